"""The Kesennuma example: its plan master from the seed's transcription (source.toml), and two
years of answers with invented actual values (サンプル値).

The policy tree, the projects with their bodies and departments and the 28 indicators (names,
bodies, baselines, targets, the reasoning text) are the seed's, as source.toml transcribes them.
Everything a department would type (amounts, texts, this year's actuals) is invented here and
says so: the plan's name carries 「サンプル値」, and so does every text typed.

Run: python -m examples.kesennuma.make_example  (writes this folder's 計画マスタ.xlsx, 提出/ and
履歴.sqlite3: 令和2年度 recorded in the history, 令和3年度 answered and ready to build).
"""

from __future__ import annotations

import shutil
import tempfile
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from demo.build_demo import write_master
from examples.seeds import SAMPLE, sample_answers, sample_number, type_into
from reporter import api
from reporter.core import form, rating, schema
from reporter.core.model import Master
from reporter.forms.cells import put
from reporter.forms.workbook import open_for_edit
from reporter.master import load_master

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SOURCE = HERE / "source.toml"
MASTER_NAME = "計画マスタ.xlsx"
RETURNED = "提出"
HISTORY = "履歴.sqlite3"
PLAN_NAME = "気仙沼市地域福祉計画（サンプル値による例）"
PRESET = "達成率4段階"
# The seed names the body (市, 市社協) of each indicator, not the department: this example gives
# the city's indicators to 社会福祉課 (the office of the plan), an assumption said in README.md.
CITY_DEPARTMENT = "社会福祉課"
UNNAMED = "（担当課未定・市）"  # a project whose marker names the city but no department
FIRST_YEAR, SECOND_YEAR = 2020, 2021

# Invented share of the way from baseline to target reached by each year, per indicator (cycled):
# enough variety to give every rating of the preset.
SHARES = {FIRST_YEAR: (0.25, 0.15, 0.3, 0.05, 0.2, 0.1), SECOND_YEAR: (0.45, 0.35, 0.5, 0.1, 0.42, -0.2)}
QUALITATIVE = {FIRST_YEAR: ("達成", "一部達成"), SECOND_YEAR: ("達成", "一部達成")}
NOT_MEASURED = {SECOND_YEAR: "K16"}  # 公民館 participants: 測定不能 (invented)


def source() -> dict[str, Any]:
    return tomllib.loads(SOURCE.read_text(encoding="utf-8"))


def department_of(body: str) -> str:
    return "市社協" if body == "市社協" else CITY_DEPARTMENT


def tables(data: dict[str, Any], year: int) -> dict[str, list[list[object]]]:
    plan = data["plan"]
    projects = data["projects"]
    departments: list[list[object]] = []
    for p in projects:
        for d in p["departments"] or [UNNAMED]:
            departments.append([p["id"], d])
    placements: dict[str, int] = {}
    placed: list[list[object]] = []
    for p in projects:
        for code in p["policies"]:
            placements[code] = placements.get(code, 0) + 1
            placed.append([p["id"], code, placements[code]])
    columns = schema.BY_NAME[schema.INDICATORS].column_names
    indicators = []
    for ind in data["indicators"]:
        row = {"指標ID": ind["id"], "施策コード": ind["policy"], "指標名": ind["name"],
               "報告担当": department_of(ind["body"]), "種類": ind["kind"], "方向": ind.get("direction", "増加"),
               "単位": ind.get("unit", ""), "基準年度": 2018, "基準値": ind.get("baseline", ind["baseline_text"]),
               "目標年度": 2023, "目標値": ind.get("target", ind["target_text"]),
               "目標設定の考え方": ind["rationale"], "備考": _note(ind)}
        indicators.append([row.get(c, "") for c in columns])
    return {
        "計画": [["項目", "値"], ["計画名", PLAN_NAME], ["市区町村名", plan["city"]],
                ["計画開始年度", plan["first_year"]], ["計画終了年度", plan["last_year"]], ["評価年度", year],
                ["金額単位", "千円"]],
        "施策体系": [["コード", "名称", "親コード", "階層名"],
                 *([p["code"], p["name"], p["parent"], p["level"]] for p in data["policies"])],
        "事業": [["事業ID", "事業名", "概要"], *([p["id"], p["name"], p["marker"]] for p in projects)],
        "事業配置": [["事業ID", "施策コード", "番号"], *placed],
        "担当課": [["事業ID", "担当課名"], *departments],
        "選択肢": [["種類", "番号", "表示名", "名称を記入"],
                ["対象者", 1, "高齢者", ""], ["対象者", 2, "障害者", ""], ["対象者", 3, "子ども・子育て世帯", ""],
                ["対象者", 4, "地域住民", ""], ["対象者", 5, "その他", "○"],
                ["連携評価", 1, "できた", ""], ["連携評価", 2, "できなかった", ""],
                ["連携評価", 3, "どちらともいえない", ""], ["連携評価", 4, "必要なかった", ""],
                ["連携相手", 1, "市民", ""], ["連携相手", 2, "地域・事業者", ""], ["連携相手", 3, "市社協", ""],
                ["連携相手", 4, "市の関係課", "○"]],
        "指標": [list(columns), *indicators],
        "評価基準": [["項目", "値", "意味", "条件"], ["プリセット", PRESET, "", ""]],
    }


def _note(ind: dict[str, Any]) -> str:
    written = f"計画の記載：現状 {ind['baseline_text']}、目標 {ind['target_text']}"
    return "。".join(part for part in (ind.get("note", ""), written) if part)


def actual(ind: dict[str, Any], index: int, year: int) -> tuple[object, str]:
    """An invented actual for ``year`` (and the reason for none)."""
    if NOT_MEASURED.get(year) == ind["id"]:
        return None, rating.Special.UNMEASURABLE.value
    if ind["kind"] == "定性":
        choices = QUALITATIVE[year]
        return choices[index % len(choices)], ""
    baseline, target = float(ind["baseline"]), float(ind["target"])
    if ind.get("direction") == "維持":
        return target if index % 2 == 0 else max(target - 1, 0), ""
    shares = SHARES[year]
    value = baseline + (target - baseline) * shares[index % len(shares)]
    value = round(value, 1) if ind.get("unit") in ("％", "%") else round(value)
    return value, ""


def fill(path: Path, master: Master, data: dict[str, Any], year: int) -> None:
    """Answer a generated workbook through its defined names and its 指標 sheet."""
    wb = open_for_edit(path)
    for ws in wb.worksheets:
        if "F_STATUS" in ws.defined_names:
            number = sample_number(path.name, ws.title)
            type_into(ws, {"F_TARGET_1": "■", "F_TARGET_4": "■", **sample_answers(number)})
    if form.INDICATOR_SHEET in wb.sheetnames:
        ws = wb[form.INDICATOR_SHEET]
        titles = [c.value for c in ws[form.INDICATOR_HEADER_ROW]]
        col = {t: titles.index(t) + 1 for t in (form.INDICATOR_ACTUAL, form.INDICATOR_NO_VALUE, form.INDICATOR_NOTE)}
        order = {ind["id"]: (n, ind) for n, ind in enumerate(data["indicators"])}
        for r in range(form.INDICATOR_HEADER_ROW + 1, ws.max_row + 1):
            ident = ws.cell(row=r, column=1).value
            if ident not in order:
                continue
            n, ind = order[ident]
            value, reason = actual(ind, n, year)
            put(ws.cell(row=r, column=col[form.INDICATOR_ACTUAL]), value)
            put(ws.cell(row=r, column=col[form.INDICATOR_NO_VALUE]), reason or None)
            put(ws.cell(row=r, column=col[form.INDICATOR_NOTE]), f"{SAMPLE}説明の例です。")
    wb.save(path)


def answer_year(data: dict[str, Any], year: int, folder: Path, history: Path | None) -> Path:
    """The master for ``year`` and its answered workbooks in ``folder``/提出."""
    master_path = write_master(tables(data, year), folder / MASTER_NAME)
    master, problems = load_master(master_path)
    if master is None:
        raise SystemExit("\n".join(p.line() for p in problems))
    returned = folder / RETURNED
    shutil.rmtree(returned, ignore_errors=True)
    returned.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        result = api.forms(master_path, ROOT / api.DEFAULT_TEMPLATE, Path(tmp), history=history)
        for generated in result.files:
            fill(generated, master, data, year)
            shutil.copy2(generated, returned / generated.name)
    return master_path


def build(target: Path = HERE) -> Path:
    """Write the example into ``target``: 令和2年度 answered and recorded in the history, then
    令和3年度 answered (forms carrying 令和2年度's actuals)."""
    data = source()
    history = target / HISTORY
    history.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        master_path = answer_year(data, FIRST_YEAR, work, history)
        outcome = api.build(master_path, work / RETURNED, work / "output", ROOT / api.DEFAULT_REPORT_TEMPLATE,
                            date(2021, 6, 1), history=history)
        assert outcome.recorded is not None, "the first year was not recorded"
    return answer_year(data, SECOND_YEAR, target, history)


if __name__ == "__main__":
    print(build())
