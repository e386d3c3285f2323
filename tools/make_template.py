"""Write templates/様式.xlsx, the starting look of the self-evaluation form.

The office may restyle the template in Excel (fonts, colours, widths, heights, labels, moving
blocks) as long as every defined name stays; this script is only how the first one was made.
Run: python tools/make_template.py
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from reporter import starter
from reporter.core import form

FONT = "ＭＳ Ｐゴシック"
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LABEL_FILL = PatternFill("solid", fgColor="EDEDED")
INPUT_FILL = PatternFill("solid", fgColor="FFF9E1")
COLS = "BCDEFGHIJKL"


def put(ws: Worksheet, rng: str, value: object = None, *, name: str | None = None,
        bold: bool = False, fill: PatternFill | None = None, size: float = 9,
        wrap: bool = True, halign: str = "left", valign: str = "center") -> None:
    first = rng.split(":")[0]
    if ":" in rng:
        ws.merge_cells(rng)
    for row in ws[rng] if ":" in rng else ((ws[rng],),):
        for c in row:
            c.border = BOX
            if fill is not None:
                c.fill = fill
    cell = ws[first]
    cell.value = value
    cell.font = Font(name=FONT, size=size, bold=bold)
    cell.alignment = Alignment(wrap_text=wrap, horizontal=halign, vertical=valign)
    if name:
        col = "".join(ch for ch in first if ch.isalpha())
        row_no = "".join(ch for ch in first if ch.isdigit())
        ws.parent.defined_names[name] = DefinedName(
            name, attr_text=f"'{form.TEMPLATE_SHEET}'!${col}${row_no}")


def label(ws: Worksheet, rng: str, text: str, **kw: object) -> None:
    put(ws, rng, text, fill=LABEL_FILL, **kw)  # type: ignore[arg-type]


def field(ws: Worksheet, rng: str, name: str, *, valign: str = "top",
          halign: str = "left", number_format: str | None = None) -> None:
    put(ws, rng, None, name=name, fill=INPUT_FILL, valign=valign, halign=halign, size=9)
    if number_format:
        ws[rng.split(":")[0]].number_format = number_format


def prefilled(ws: Worksheet, rng: str, name: str, **kw: object) -> None:
    put(ws, rng, None, name=name, **kw)  # type: ignore[arg-type]


def build() -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = form.TEMPLATE_SHEET
    ws.column_dimensions["A"].width = 1.5
    ws.column_dimensions["B"].width = 15
    for col in COLS[1:]:
        ws.column_dimensions[col].width = 7.9
    heights = {1: 20, 2: 18, 6: 48, 11: 120, 13: 110, 22: 110, 24: 110, 26: 110,
               31: 36, 33: 31, 38: 120, 39: 24, 41: 60}
    for row, h in heights.items():
        ws.row_dimensions[row].height = h

    prefilled(ws, "B1:L1", "F_PLAN_NAME", bold=True, size=11, halign="center")
    put(ws, "B2:H2", "{評価年度}における自己評価シート及び計画期間（{計画期間}）における自己評価シート",
        size=9, halign="center")
    label(ws, "I2", "評価年度", halign="center")
    prefilled(ws, "J2:L2", "F_FISCAL_YEAR", halign="center", size=10, bold=True)
    label(ws, "B4", "重点施策", bold=True)
    prefilled(ws, "C4:D4", "L_POLICY_LEVEL")
    prefilled(ws, "E4", "F_POLICY_CODE", halign="center")
    prefilled(ws, "F4:L4", "F_POLICY_NAME", bold=True)
    label(ws, "B5", "1 事業名", bold=True)
    prefilled(ws, "C5", "F_PROJECT_NO", halign="center")
    prefilled(ws, "D5:L5", "F_PROJECT_NAME", bold=True)
    label(ws, "B6", "2 概要", bold=True)
    prefilled(ws, "C6:L6", "F_OVERVIEW", valign="top")
    label(ws, "B7", "3 担当課名", bold=True)
    prefilled(ws, "C7:L7", "F_DEPARTMENT")
    label(ws, "B8:B10", "4 事業の対象者\n（■を選択）", bold=True)
    slots = [("C8", "D8:E8"), ("F8", "G8:H8"), ("I8", "J8:L8"),
             ("C9", "D9:E9"), ("F9", "G9:H9"), ("I9", "J9:L9")]
    for i, (check, text) in enumerate(slots, start=1):
        field(ws, check, f"F_TARGET_{i}", valign="center", halign="center")
        prefilled(ws, text, f"L_TARGET_{i}")
    label(ws, "C10:D10", "その他の内容")
    field(ws, "E10:L10", "F_TARGET_OTHER", valign="center")
    label(ws, "B11", "5 {評価年度}\n実施状況", bold=True, valign="top")
    field(ws, "C11:L11", "F_STATUS")
    label(ws, "B12", "6 事業費", bold=True)
    label(ws, "C12:D12", "{評価年度}決算額", size=8)
    field(ws, "E12:F12", "F_SETTLED", valign="center", halign="right", number_format="#,##0")
    put(ws, "G12", "千円")
    label(ws, "H12:I12", "{次年度}予算額", size=8)
    field(ws, "J12:K12", "F_BUDGET", valign="center", halign="right", number_format="#,##0")
    put(ws, "L12", "千円")
    label(ws, "B13:B20", "7 計画期間に\nおける事業実績", bold=True, valign="top")
    field(ws, "C13:L13", "F_RESULTS")
    label(ws, "C14:E14", "項目（単位）", halign="center")
    for c, col in enumerate("FGHIJK", start=1):
        prefilled(ws, f"{col}14", f"L_FIG_Y{c}", fill=LABEL_FILL, halign="center")
    label(ws, "L14", "合計", halign="center")
    for r in range(1, form.FIGURE_ROWS + 1):
        row = 14 + r
        field(ws, f"C{row}:E{row}", f"F_FIG_{r}_LABEL", valign="center")
        for c, col in enumerate("FGHIJK", start=1):
            field(ws, f"{col}{row}", f"F_FIG_{r}_Y{c}", valign="center", halign="right")
        field(ws, f"L{row}", f"F_FIG_{r}_TOTAL", valign="center", halign="right")
    label(ws, "B21:B26", "8 {計画期間}\nにおける重点施策\n「{施策名}」\nに対して",
          bold=True, valign="top")
    label(ws, "C21:L21", "施策の方向に対して貢献できたこと（{評価年度}）")
    field(ws, "C22:L22", "F_CONTRIB_YEAR")
    label(ws, "C23:L23", "計画期間を通して施策の方向に対して貢献できたこと")
    field(ws, "C24:L24", "F_CONTRIB_PERIOD")
    label(ws, "C25:L25", "（１）課題と今後の取り組みの方向性")
    field(ws, "C26:L26", "F_CHALLENGES")
    label(ws, "B27:B38", "9 計画期間に\nおける庁内または\n他の組織との\n連携状況",
          bold=True, valign="top")
    label(ws, "C27:D27", "（１）連携状況")
    prefilled(ws, "E27:L27", "L_SCALE_LEGEND", size=8)
    label(ws, "C28:I28", "市の関係部局内との組織横断的な連携")
    field(ws, "J28:L28", "F_COLLAB_INTERNAL", valign="center")
    label(ws, "C29:I29", "地域保健福祉活動の担い手との連携（担い手とは（２）連携相手①～⑪のこと）")
    field(ws, "J29:L29", "F_COLLAB_COMMUNITY", valign="center")
    label(ws, "C30:L30", "（２）連携相手　※以下から選択し番号を記入（複数回答可）。ない場合は「なし」")
    prefilled(ws, "C31:L31", "L_PARTNER_LEGEND", size=8, valign="top")
    label(ws, "C32:E32", "連携できた相手")
    field(ws, "F32:L32", "F_PARTNERS_DONE", valign="center")
    label(ws, "C33:E33", "連携したかったが\nできなかった相手")  # two lines: row 33 is their height
    field(ws, "F33:L33", "F_PARTNERS_WANTED", valign="center")
    for i in range(1, form.PARTNER_NAME_SLOTS + 1):
        row = 33 + i
        prefilled(ws, f"C{row}:E{row}", f"L_PARTNER_NAME_{i}", fill=LABEL_FILL, size=8)
        field(ws, f"F{row}:L{row}", f"F_PARTNER_NAME_{i}", valign="center")
    label(ws, "C37:L37", "（３）上記の理由、具体的な連携の状況（うまくいった点、工夫した点など）")
    field(ws, "C38:L38", "F_COLLAB_DETAIL")

    # 10: the project's self-rating, shown only when the master's 評価基準 asks for it (the form
    # writer hides these rows otherwise).
    label(ws, "B39:B41", "10 事業の\n自己評価", bold=True, valign="top")
    prefilled(ws, "C39:L39", "L_RATING_LEGEND", size=8)
    label(ws, "C40:D40", "評価（一覧から選択）", size=8)
    field(ws, "E40:F40", "F_RATING", valign="center", halign="center")
    put(ws, "G40:L40", "")
    label(ws, "C41:D41", "評価の理由", size=8, valign="top")
    field(ws, "E41:L41", "F_RATING_REASON")

    ws.print_area = "A1:L41"
    ws.row_breaks.append(Break(id=20))
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    # The footer sits inside the bottom margin: Excel and LibreOffice both print it whole there.
    ws.page_margins.top, ws.page_margins.header = 0.6, 0.3
    ws.page_margins.bottom, ws.page_margins.footer = 0.9, 0.35
    ws.print_options.horizontalCentered = True
    # What a department knows its sheet by (the sheet's name is an internal code); the writer
    # fills the placeholders and cuts a long 事業名 to what fits beside the page number.
    ws.oddFooter.left.text = "{階層名} {施策コード}　No.{事業番号}　{事業名}"
    ws.oddFooter.left.size = 9
    ws.oddFooter.right.text = "ページ &P / &N"
    ws.oddFooter.right.size = 9
    ws.sheet_view.showGridLines = False
    return wb


def main() -> None:
    target = Path(__file__).resolve().parents[1] / "templates" / "様式.xlsx"
    build().save(target)
    shutil.copyfile(target, starter.packaged(starter.FORM_TEMPLATE))  # the package ships the same
    print(target)


if __name__ == "__main__":
    main()
