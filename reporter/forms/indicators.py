"""The department's 指標 sheet: one row per indicator it reports, the plan's baseline and target
and the actuals of earlier years (from the history) locked, this year's actual, a reason when
there is none, and a short explanation open to type.

The reader finds the columns by their headings (``form.INDICATOR_*``), which the locked sheet
keeps; the row by the indicator's ID in the first column.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from reporter.core import era, form, layout
from reporter.core.held import History
from reporter.core.model import Master
from reporter.core.rating import Indicator, number_text
from reporter.forms.cells import put

HEAD_FILL = PatternFill("solid", fgColor="D9D9D9")
INPUT_FILL = PatternFill("solid", fgColor="FFF9E1")
HELD_FILL = PatternFill("solid", fgColor="DDEBF7")
EDGE = Side(style="thin", color="808080")
BOX = Border(left=EDGE, right=EDGE, top=EDGE, bottom=EDGE)
PERCENT_UNITS = frozenset({"%", "％", "パーセント"})


@dataclass(frozen=True)
class Line:
    indicator: Indicator
    policy: str  # code and name
    earlier: tuple[str, ...]  # one text per earlier plan year ("" when not held)


def earlier_years(master: Master) -> tuple[int, ...]:
    plan = master.plan
    return tuple(y for y in plan.years if y < plan.fiscal_year)


def lines(master: Master, department: str, history: History | None) -> tuple[Line, ...]:
    years = earlier_years(master)
    found = []
    for ind in master.indicators_of(department):
        held = history.indicator(ind.id, master.plan.fiscal_year) if history is not None else {}
        texts = tuple(_held_text(held[y].value, held[y].text, ind.unit) if y in held else "" for y in years)
        policy = master.policy(ind.policy_code)
        found.append(Line(ind, f"{policy.code} {policy.name}", texts))
    return tuple(found)


def _held_text(value: float | None, text: str, unit: str) -> str:
    return number_text(value, unit) if value is not None else text


def baseline_text(ind: Indicator) -> str:
    value = number_text(ind.baseline, ind.unit) if ind.baseline is not None else ind.baseline_text
    return f"{value}（{era.short(ind.baseline_year)}）" if ind.baseline_year else value


def target_text(ind: Indicator) -> str:
    value = number_text(ind.target, ind.unit) if ind.target is not None else ind.target_text
    return f"{value}（{era.short(ind.target_year)}）" if ind.target_year else value


def headers(master: Master) -> tuple[str, ...]:
    return (form.INDICATOR_ID, "施策", "指標名", "単位", "基準値（年度）",
            *(f"{era.short(y)}実績" for y in earlier_years(master)), "目標値（年度）",
            form.INDICATOR_ACTUAL, form.INDICATOR_NO_VALUE, form.INDICATOR_NOTE)


def write_sheet(wb: Workbook, master: Master, department: str, history: History | None) -> None:
    """Add the 指標 sheet for ``department`` (nothing when it reports no indicator)."""
    rows = lines(master, department, history)
    if not rows:
        return
    ws = wb.create_sheet(form.INDICATOR_SHEET)
    plan = master.plan
    put(ws["A1"], f"指標の実績（{era.long(plan.fiscal_year)}）　{department}")
    ws["A1"].font = Font(bold=True, size=12)
    put(ws["A2"], f"黄色の欄に{era.long(plan.fiscal_year)}の実績を入力してください"
                  "（数値の指標は単位を付けずに数値だけ、"
                  "数で測らない指標は一覧から選択）。測れない場合は「実績がない場合」で理由を選んでください。")
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    titles = headers(master)
    last = len(titles)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
    ws.row_dimensions[2].height = 30
    widths = {form.INDICATOR_ID: 8, "施策": 18, "指標名": 30, "単位": 6, "基準値（年度）": 14, "目標値（年度）": 14,
              form.INDICATOR_ACTUAL: 12, form.INDICATOR_NO_VALUE: 11, form.INDICATOR_NOTE: 34}
    for c, title in enumerate(titles, start=1):
        cell = ws.cell(row=3, column=c)
        put(cell, title)
        cell.font, cell.fill, cell.border = Font(bold=True, size=9), HEAD_FILL, BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(c)].width = widths.get(title, 10)
    ws.row_dimensions[3].height = 30
    actual_col = titles.index(form.INDICATOR_ACTUAL) + 1
    numeric = DataValidation(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15", allow_blank=True,
                             showErrorMessage=True, errorTitle="入力できない値です",
                             error="単位を付けずに数値だけを入力してください（例：85）。", showInputMessage=True,
                             promptTitle="今年度の実績",
                             prompt="この指標の単位（「単位」欄）の数値を入力してください。")
    typed = DataValidation(allow_blank=True, showInputMessage=True, promptTitle="今年度の実績",
                           prompt="数値を入力してください（85 や 85% のように）。")
    choice = DataValidation(type="list", formula1=f"={form.LIST_INDICATOR_CHOICE}", allow_blank=True,
                            showErrorMessage=True, errorTitle="入力できない値です", error="一覧から選んでください。",
                            showInputMessage=True, promptTitle="今年度の実績",
                            prompt="目標に対する状況を一覧から選んでください。")
    no_value = DataValidation(type="list", formula1=f"={form.LIST_NO_VALUE}", allow_blank=True,
                              showErrorMessage=True, errorTitle="入力できない値です", error="一覧から選んでください。",
                              showInputMessage=True, promptTitle="実績がない場合",
                              prompt="実績を測れない場合だけ、理由を選んでください。")
    small = Font(size=9)
    for r, line in enumerate(rows, start=4):
        ind = line.indicator
        values: list[object] = [ind.id, line.policy, ind.name, ind.unit or ("－" if ind.qualitative else ""),
                                baseline_text(ind), *line.earlier, target_text(ind), None, None, None]
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c)
            put(cell, value)
            cell.font, cell.border = small, BOX
            right = 5 <= c <= actual_col and not (c == actual_col and ind.qualitative)
            cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="right" if right else "left")
            if c >= actual_col:
                cell.fill = INPUT_FILL
                cell.protection = Protection(locked=False)
            elif 5 < c < actual_col - 1 and value:
                cell.fill = HELD_FILL
        actual = ws.cell(row=r, column=actual_col).coordinate
        if ind.qualitative:
            choice.add(actual)
        elif ind.unit in PERCENT_UNITS:
            ws[actual].number_format = "@"  # Excel would turn a typed 「85%」 into 0.85
            typed.add(actual)
        else:
            numeric.add(actual)
        no_value.add(ws.cell(row=r, column=actual_col + 1).coordinate)
        # Every locked text shows whole (LibreOffice prints an unsized row's wrapped cells on top of
        # each other): the name, the policy, the baseline and target as the plan writes them.
        shown = ((ind.name, "指標名"), (line.policy, "施策"), (values[4], "基準値（年度）"),
                 (values[-4], "目標値（年度）"))
        ws.row_dimensions[r].height = max(
            layout.height_for(str(text), int((widths[title] * 7 + 5) / layout.FULL_WIDTH_PX), 15.0)
            for text, title in shown)
    for dv in (numeric, typed, choice, no_value):
        if dv.sqref:
            ws.add_data_validation(dv)
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "指標の実績　ページ &P / &N"
    ws.protection.sheet = True
    ws.protection.formatRows = False
    ws.protection.formatColumns = False
    ws.protection.selectLockedCells = False
