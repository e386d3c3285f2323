"""Turn the transcription of seed 001 (Sendai, FY2020) into the shipped demo under input/.

1. the plan master (input/計画マスタ.xlsx), derived from the 38 transcribed sheets;
2. the department workbooks made by `reporter forms` from it, filled through their defined
   names with what each department wrote, as they would send them back (input/提出/).

Run: python -m demo.build_demo  (from the repository root)
"""

from __future__ import annotations

import re
import shutil
import tempfile
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter, range_boundaries

from reporter import api, starter
from reporter.core import form, layout, normalize, schema
from reporter.core.model import Master
from reporter.forms.cells import merged_range, put
from reporter.forms.workbook import open_for_edit
from reporter.forms.writer import choice_text

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "sendai_fy2020"
INPUT = ROOT / "input"
MASTER_NAME = "計画マスタ.xlsx"
RETURNED = "提出"

PLAN = {
    "計画名": "第３期仙台市地域保健福祉計画「支え合いのまち推進プラン」",
    "市区町村名": "仙台市",
    "計画開始年度": "H28",
    "計画終了年度": "R2",
    "評価年度": "R2",
    "金額単位": "千円",
}
TARGETS = [("高齢者", ""), ("障害者", ""), ("子育て世帯", ""), ("地域活動者・支援者", ""),
           ("その他", "○")]
SCALE = ["できた", "できなかった", "どちらともいえない", "必要なかった"]
QUESTIONS = ["市の関係部局内との組織横断的な連携", "地域保健福祉活動の担い手との連携"]  # the form's 9 (1)
PARTNERS = [
    ("ＮＰＯ", ""), ("ボランティア団体", ""), ("福祉サービス事業者", ""), ("学校", ""),
    ("相談機関", "○"), ("企業", ""), ("民生委員児童委員", ""), ("町内会", ""),
    ("地区社会福祉協議会", ""), ("コミュニティソーシャルワーカー（ＣＳＷ）", ""),
    ("仙台市社会福祉協議会及び各区・支部事務所（ＣＳＷを除く）", ""),
    ("市の関係部局（各課公所名）", "○"),
]


@dataclass(frozen=True)
class Record:
    """One transcribed sheet of seed 001 (keys as in SCHEMA.md)."""

    data: Mapping[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.data[key]


def load_records(folder: Path = DATA) -> list[Record]:
    """Every transcribed sheet (one file per sheet: sheet_01.toml … sheet_38.toml), by seq."""
    records = []
    for path in sorted(folder.glob("sheet_[0-9][0-9].toml")):
        with path.open("rb") as f:
            records.extend(Record(data) for data in tomllib.load(f)["sheet"])
    return sorted(records, key=lambda r: r["seq"])


def project_ids(records: Sequence[Record]) -> dict[int, str]:
    """seq -> project ID. Sheets at the same (policy, number) are one project reported by
    several departments; the same name under two policies is one project placed twice."""
    ids: dict[int, str] = {}
    by_place: dict[tuple[str, int], str] = {}
    by_name: dict[str, str] = {}
    for r in records:
        place = (r["policy_code"], r["number"])
        pid = by_place.get(place) or by_name.get(r["project_name"])
        if pid is None:
            pid = f"P{len(set(ids.values())) + 1:02d}"
        ids[r["seq"]] = by_place[place] = by_name[r["project_name"]] = pid
    return ids


def master_tables(records: Sequence[Record]) -> dict[str, list[list[object]]]:
    ids = project_ids(records)
    policies: dict[str, str] = {}
    projects: dict[str, Record] = {}
    placements: dict[tuple[str, str, int], None] = {}
    departments: dict[tuple[str, str], None] = {}
    for r in records:
        pid = ids[r["seq"]]
        policies.setdefault(r["policy_code"], r["policy_name"])
        projects.setdefault(pid, r)
        placements[(pid, r["policy_code"], r["number"])] = None
        departments[(pid, r["department"])] = None
    choices: list[list[object]] = [["種類", "番号", "表示名", "名称を記入"]]
    choices += [["対象者", i, label, named] for i, (label, named) in enumerate(TARGETS, 1)]
    choices += [["連携評価", i, label, ""] for i, label in enumerate(SCALE, 1)]
    choices += [["連携相手", i, label, named] for i, (label, named) in enumerate(PARTNERS, 1)]
    choices += [["連携設問", i, label, ""] for i, label in enumerate(QUESTIONS, 1)]
    # Sendai answered 地域防災リーダー once under each of its two policies: one sheet per placement.
    placed: dict[str, int] = {}
    for pid, _, _ in placements:
        placed[pid] = placed.get(pid, 0) + 1
    return {
        "計画": [["項目", "値"], *([k, v] for k, v in PLAN.items())],
        "施策体系": [["コード", "名称", "親コード", "階層名"],
                 *([c, n, "", "施策の方向"] for c, n in policies.items())],
        "事業": [["事業ID", "事業名", "概要", "シートの単位"],
               *([pid, r["project_name"], r["overview"], "施策ごと" if placed[pid] > 1 else ""]
                 for pid, r in projects.items())],
        "事業配置": [["事業ID", "施策コード", "番号"], *(list(p) for p in placements)],
        "担当課": [["事業ID", "担当課名"], *(list(d) for d in departments)],
        "選択肢": choices,
        "指標": [list(schema.BY_NAME[schema.INDICATORS].column_names)],
    }


def write_master(tables: Mapping[str, Iterable[Sequence[object]]], path: Path) -> Path:
    """Write a plan master workbook from rows per sheet (also used by the tests)."""
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    for name, rows in tables.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                put(ws.cell(row=r, column=c), value)
        for col in "ABCDEFGHI":
            ws.column_dimensions[col].width = 14 if col != "C" else 40
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


_PLAIN_AMOUNT = re.compile(r"^[\d,]+千円$")
_PLAIN_NUMBER = re.compile(r"^-?[\d,]+(\.\d+)?$")


def amount_cell(written: str) -> object:
    """What a department types in the amount cell for the seed's printed amount.

    Plain 「1,546千円」 was typed as the number 1546 (the form shows 千円); full-width or spaced
    forms such as 「10,891　千円」 or 「０　千円」 were typed as text, and stay text here.
    """
    if written == "":
        return None
    if _PLAIN_AMOUNT.match(written):
        return int(written[:-2].replace(",", ""))
    return written


def figure_cell(written: str) -> object:
    if written == "":
        return None
    if _PLAIN_NUMBER.match(written):
        number = float(written.replace(",", ""))
        return int(number) if number.is_integer() and "." not in written else number
    return written


def cell_values(record: Record, master: Master) -> dict[str, object]:
    """Every input field of the sheet, by defined name, as the department filled it."""
    choices = master.choices
    values: dict[str, object] = {}
    for i, target in enumerate(choices.targets, start=1):
        values[f"F_TARGET_{i}"] = "■" if target.label in record["targets"] else "□"
    values["F_TARGET_OTHER"] = record["target_other"] or None
    for name, key in (("F_STATUS", "status"), ("F_RESULTS", "results"),
                      ("F_CONTRIB_YEAR", "contribution_year"),
                      ("F_CONTRIB_PERIOD", "contribution_period"),
                      ("F_CHALLENGES", "challenges"), ("F_PARTNERS_DONE", "partners_done"),
                      ("F_PARTNERS_WANTED", "partners_wanted"),
                      ("F_COLLAB_DETAIL", "collab_detail")):
        values[name] = record[key] or None
    values["F_SETTLED"] = amount_cell(record["settled"])
    values["F_BUDGET"] = amount_cell(record["budget"])
    for name, key in (("F_COLLAB_INTERNAL", "collab_internal"),
                      ("F_COLLAB_COMMUNITY", "collab_community")):
        values[name] = _scale(record[key], master)
    values["F_PARTNER_NAME_1"] = record["partner5_name"] or None
    values["F_PARTNER_NAME_2"] = record["partner12_name"] or None
    values.update(_figures(record, master))
    return values


def _scale(written: str, master: Master) -> object:
    """The seed writes 「①」; a department picks 「①できた」 from the dropdown."""
    number = normalize.scale(written, {c.number: c.label for c in master.choices.scale})
    for choice in master.choices.scale:
        if choice.number == number:
            return choice_text(choice)
    return written or None


def _figures(record: Record, master: Master) -> dict[str, object]:
    years = master.plan.years
    columns = []
    for header in record["figure_years"]:
        year = normalize.fiscal_year(header)
        if year not in years:
            raise ValueError(f"seq {record['seq']}: figure header {header!r} not in plan")
        columns.append(years.index(year) + 1)
    rows = record.data.get("figures", [])
    if len(rows) > form.FIGURE_ROWS:
        raise ValueError(f"seq {record['seq']}: {len(rows)} figure rows")
    values: dict[str, object] = {}
    for r, row in enumerate(rows, start=1):
        values[f"F_FIG_{r}_LABEL"] = row["label"]
        for c, written in zip(columns, row["values"], strict=True):
            values[f"F_FIG_{r}_Y{c}"] = figure_cell(written)
        values[f"F_FIG_{r}_TOTAL"] = figure_cell(row.get("total", ""))
    return values


def fill_workbook(path: Path, records_by_sheet: Mapping[str, Record], master: Master) -> None:
    """Fill a generated department workbook in place, through its defined names."""
    wb = open_for_edit(path)
    for ws in wb.worksheets:
        record = records_by_sheet.get(ws.title)
        if record is None:
            continue
        for name, value in cell_values(record, master).items():
            for _, ref in ws.defined_names[name].destinations:
                put(ws[ref.replace("$", "")], value)
                if isinstance(value, str) and form.BY_NAME[name].kind in (form.Kind.LONGTEXT, form.Kind.TEXT):
                    _fit_row(ws, ref.replace("$", ""), value)
    wb.save(path)


def _fit_row(ws: Any, address: str, text: str) -> None:
    """Heighten the row so the text shows in full, as a department does (Excel caps at 409 pt)."""
    min_col, min_row, max_col, max_row = range_boundaries(merged_range(ws, address))
    if min_row != max_row:
        return
    px = sum((ws.column_dimensions[get_column_letter(c)].width or 8.43) * 7 + 5 for c in range(min_col, max_col + 1))
    current = ws.row_dimensions[min_row].height or 15
    ws.row_dimensions[min_row].height = min(409, layout.height_for(text, int(px / layout.FULL_WIDTH_PX), current))


def build(target: Path = INPUT) -> list[Path]:
    from reporter.master import load_master

    records = load_records()
    master_path = write_master(master_tables(records), target / MASTER_NAME)
    master, problems = load_master(master_path)
    if master is None:
        raise SystemExit("\n".join(p.line() for p in problems))
    if target == INPUT:  # the package ships the same master (reporter init --demo)
        shutil.copyfile(master_path, starter.packaged(starter.DEMO_MASTER))
    ids = project_ids(records)
    returned = target / RETURNED
    shutil.rmtree(returned, ignore_errors=True)
    returned.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        result = api.forms(master_path, ROOT / api.DEFAULT_TEMPLATE, Path(tmp))
        files = []
        for department, generated in zip(master.departments, result.files, strict=True):
            mine = {spec.sheet_name: r for spec in master.sheets_of(department)
                    for r in records
                    if (ids[r["seq"]], r["policy_code"], r["department"]) == spec.key}
            fill_workbook(generated, mine, master)
            files.append(Path(shutil.copy2(generated, returned / generated.name)))
    return files


if __name__ == "__main__":
    for f in build():
        print(f.relative_to(ROOT))
