"""Examples built from the seed transcriptions (``examples/<name>/source.toml``): each plan's
master (tree with its level names and narratives, projects with their bodies and placements,
departments, classification axes and sub-plans) and one year of answers typed through the
forms' defined names.

The tree, the projects, the axes and the bodies are the seed's, as source.toml transcribes them
(placeholders are marked there and in each example's README.md). Everything a department would
type (amounts, texts) is invented here and says 「サンプル値」.

Run: python -m examples.seeds oshu  (writes examples/oshu/計画マスタ.xlsx and 提出/); no name: all.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import tomllib
import zlib
from pathlib import Path
from typing import Any

from demo import build_demo
from demo.build_demo import write_master
from reporter import api
from reporter.core import schema
from reporter.forms.cells import put
from reporter.forms.workbook import open_for_edit
from reporter.master import load_master

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MASTER_NAME = "計画マスタ.xlsx"
RETURNED = "提出"
SAMPLE = "（サンプル値）"
NAMES = ("sendai_next", "oshu", "sagamihara")
# The choice lists the seeds do not give: Sendai's current form's, with neutral question labels.
TARGETS = ("高齢者", "障害者", "子育て世帯", "地域活動者・支援者")
SCALE = ("できた", "できなかった", "どちらともいえない", "必要なかった")
PARTNERS = (("ＮＰＯ", ""), ("ボランティア団体", ""), ("町内会", ""), ("社会福祉協議会", ""), ("市の関係部局", "○"))
QUESTIONS = ("庁内の関係部署との連携", "地域の担い手との連携")

# Sendai's next plan (seed 000) names no projects: the example places the current plan's projects
# (seed 001, the demo) under the new plan's three 基本的方向, and gives each the 3つの支援 and
# キーワード of its direction. PLACEHOLDER, said in examples/sendai_next/README.md.
SENDAI_NEXT_PLACES = {"1-4": "1", "2-1": "2", "3-3": "2", "2-2": "3", "4-2": "3"}
SENDAI_NEXT_AXES = {
    "1": {"3つの支援": ["参加支援"], "キーワード": ["①多様性を理解し、認めあう", "②社会とつながる機会づくり"]},
    "2": {"3つの支援": ["地域づくりに向けた支援"],
          "キーワード": ["③地域の多様な主体の協働", "⑤住民の支えあい活動の推進"]},
    "3": {"3つの支援": ["断らない相談支援", "参加支援"], "キーワード": ["⑥支援ネットワークの強化", "⑦総合相談の充実"]},
}


def source(name: str) -> dict[str, Any]:
    data = tomllib.loads((HERE / name / "source.toml").read_text(encoding="utf-8"))
    if name == "sendai_next" and not data.get("projects"):
        data["projects"] = _sendai_projects()
    return data


def _sendai_projects() -> list[dict[str, Any]]:
    records = build_demo.load_records()
    ids = build_demo.project_ids(records)
    projects: dict[str, dict[str, Any]] = {}
    for r in records:
        pid = ids[r["seq"]]
        code = SENDAI_NEXT_PLACES[r["policy_code"]]
        p = projects.setdefault(pid, {"id": pid, "name": r["project_name"], "policies": [], "departments": [],
                                      "body": r["overview"], "axes": SENDAI_NEXT_AXES[code]})
        if code not in p["policies"]:
            p["policies"].append(code)
        if r["department"] not in p["departments"]:
            p["departments"].append(r["department"])
    return list(projects.values())


UNNAMED = "担当課未定"  # the transcriptions' 「（担当課未定）」: headings put the department in brackets


def tables(data: dict[str, Any]) -> dict[str, list[list[object]]]:
    """The plan master's sheets from a transcription."""
    plan = data["plan"]
    projects = [{**p, "departments": [UNNAMED if d == "（担当課未定）" else d for d in p["departments"]]}
                for p in data["projects"]]
    numbers: dict[str, int] = {}
    placed: list[list[object]] = []
    for p in projects:
        for code in p["policies"]:
            numbers[code] = numbers.get(code, 0) + 1
            placed.append([p["id"], code, numbers[code]])
    targets = [*data.get("targets", {}).get("groups", TARGETS), "その他"]
    notes = {"課題認識": "issue", "対応方針": "direction", "説明": "description"}
    return {
        "計画": [["項目", "値"], ["計画名", plan["name"]], ["市区町村名", plan["city"]],
                ["計画開始年度", plan["first_year"]], ["計画終了年度", plan["last_year"]],
                ["評価年度", plan["first_year"]], ["金額単位", "千円"],
                *([["シートの単位", plan["sheet_unit"]]] if plan.get("sheet_unit") else [])],
        "施策体系": [["コード", "名称", "親コード", "階層名", *notes],
                 *([p["code"], p["name"], p["parent"], p["level"], *(p.get(k, "") for k in notes.values())]
                   for p in data["policies"])],
        "事業": [["事業ID", "事業名", "概要"], *([p["id"], p["name"], p.get("body", "")] for p in projects)],
        "事業配置": [["事業ID", "施策コード", "番号"], *placed],
        "担当課": [["事業ID", "担当課名"], *([p["id"], d] for p in projects for d in p["departments"])],
        "選択肢": [["種類", "番号", "表示名", "名称を記入"],
                *([schema.LIST_TARGETS, n, label, "○" if label == "その他" else ""]
                  for n, label in enumerate(targets, 1)),
                *([schema.LIST_SCALE, n, label, ""] for n, label in enumerate(SCALE, 1)),
                *([schema.LIST_PARTNERS, n, label, named] for n, (label, named) in enumerate(PARTNERS, 1)),
                *([schema.LIST_QUESTIONS, n, label, ""] for n, label in enumerate(QUESTIONS, 1))],
        schema.AXES: [["軸名", "値", "区分", "説明"],
                      *([a["name"], v["name"], schema.SUB_PLAN if a["kind"] == schema.SUB_PLAN else "",
                         v.get("description", "")] for a in data.get("axes", []) for v in a["values"])],
        schema.PROJECT_AXES: [["事業ID", "軸名", "値"],
                              *([p["id"], axis, value] for p in projects
                                for axis, values in p.get("axes", {}).items() for value in values)],
    }


def sample_number(file_name: str, sheet: str) -> int:
    """An invented number that tells the sheets apart (their amounts)."""
    return zlib.crc32(f"{file_name}{sheet}".encode()) % 4000


def sample_answers(number: int) -> dict[str, object]:
    """What a department would type on one sheet, invented and saying so (no target group: each
    example picks its own)."""
    return {
        "F_STATUS": f"{SAMPLE}計画に沿って実施しました。", "F_SETTLED": 100 * (number + 1),
        "F_BUDGET": 110 * (number + 1), "F_CONTRIB_YEAR": f"{SAMPLE}地域の参加が広がりました。",
        "F_CHALLENGES": f"{SAMPLE}担い手の確保が課題です。", "F_COLLAB_INTERNAL": "①できた",
        "F_COLLAB_COMMUNITY": "③どちらともいえない", "F_PARTNERS_DONE": "①③", "F_PARTNERS_WANTED": "なし",
        "F_COLLAB_DETAIL": f"{SAMPLE}関係団体と情報を共有しました。",
    }


def type_into(ws: Any, values: dict[str, object]) -> None:
    """Write ``values`` into a form sheet through its defined names (names it lacks are skipped)."""
    for name, value in values.items():
        if name in ws.defined_names:
            for _, ref in ws.defined_names[name].destinations:
                put(ws[ref.replace("$", "")], value)


def fill(path: Path) -> None:
    """Answer a generated workbook through its defined names (invented amounts and texts)."""
    wb = open_for_edit(path)
    for ws in wb.worksheets:
        if "F_STATUS" not in ws.defined_names:
            continue
        number = sample_number(path.name, ws.title)
        second = "■" if number % 2 else "□"  # every other sheet
        type_into(ws, {"F_TARGET_1": "■", "F_TARGET_2": second, **sample_answers(number)})
    wb.save(path)


def build(name: str, target: Path | None = None) -> Path:
    """Write the example's master and answered workbooks into ``target`` (its own folder by
    default); the master's path."""
    target = target or HERE / name
    master_path = write_master(tables(source(name)), target / MASTER_NAME)
    master, problems = load_master(master_path)
    if master is None:
        raise SystemExit("\n".join(p.line() for p in problems))
    returned = target / RETURNED
    shutil.rmtree(returned, ignore_errors=True)
    returned.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        result = api.forms(master_path, ROOT / api.DEFAULT_TEMPLATE, Path(tmp))
        for generated in result.files:
            fill(generated)
            shutil.copy2(generated, returned / generated.name)
    return master_path


if __name__ == "__main__":
    for example in sys.argv[1:] or NAMES:
        print(build(example))
