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
    heights = {1: 20, 2: 18, 8: 48, 16: 120, 18: 110, 27: 110, 29: 110, 31: 110,
               36: 36, 38: 31, 43: 120, 44: 24, 46: 60}
    for row, h in heights.items():
        ws.row_dimensions[row].height = h

    prefilled(ws, "B1:L1", "F_PLAN_NAME", bold=True, size=11, halign="center")
    put(ws, "B2:H2", "{評価年度}における自己評価シート及び計画期間（{計画期間}）における自己評価シート",
        size=9, halign="center")
    label(ws, "I2", "評価年度", halign="center")
    prefilled(ws, "J2:L2", "F_FISCAL_YEAR", halign="center", size=10, bold=True)
    # The project's place in the plan: the policies above its own (one line per level, with the
    # master's level names), then its own policy under its level name. The writer hides the rows
    # of the notes (計画の体系, 他の位置づけ, 分類) when a sheet has nothing to say there.
    label(ws, "B4", "計画の体系", bold=True)
    prefilled(ws, "C4:L4", "L_POLICY_PATH")
    prefilled(ws, "B5", "L_POLICY_LEVEL", bold=True, fill=LABEL_FILL)
    prefilled(ws, "C5", "F_POLICY_CODE", halign="center")
    prefilled(ws, "D5:L5", "F_POLICY_NAME", bold=True)
    label(ws, "B6", "1 事業名", bold=True)
    prefilled(ws, "C6", "F_PROJECT_NO", halign="center")
    prefilled(ws, "D6:L6", "F_PROJECT_NAME", bold=True)
    label(ws, "B7", "他の位置づけ", bold=True)
    prefilled(ws, "C7:L7", "L_ALSO_PLACED")
    label(ws, "B8", "2 概要", bold=True)
    prefilled(ws, "C8:L8", "F_OVERVIEW", valign="top")
    label(ws, "B9", "事業の分類", bold=True)
    prefilled(ws, "C9:L9", "L_AXES")
    label(ws, "B10", "3 担当課名", bold=True)
    prefilled(ws, "C10:L10", "F_DEPARTMENT")
    # Rows 11–14 hold three target groups each: the rows a plan does not use are hidden.
    assert form.TARGET_SLOTS == 12
    label(ws, "B11:B15", "4 事業の対象者\n（■を選択）", bold=True)
    for i in range(form.TARGET_SLOTS):
        row = 11 + i // 3
        check, text = (("C", "D{r}:E{r}"), ("F", "G{r}:H{r}"), ("I", "J{r}:L{r}"))[i % 3]
        field(ws, f"{check}{row}", f"F_TARGET_{i + 1}", valign="center", halign="center")
        prefilled(ws, text.format(r=row), f"L_TARGET_{i + 1}")
    label(ws, "C15:D15", "その他の内容")
    field(ws, "E15:L15", "F_TARGET_OTHER", valign="center")
    label(ws, "B16", "5 {評価年度}\n実施状況", bold=True, valign="top")
    field(ws, "C16:L16", "F_STATUS")
    label(ws, "B17", "6 事業費", bold=True)
    label(ws, "C17:D17", "{評価年度}決算額", size=8)
    field(ws, "E17:F17", "F_SETTLED", valign="center", halign="right", number_format="#,##0")
    put(ws, "G17", "千円")
    label(ws, "H17:I17", "{次年度}予算額", size=8)
    field(ws, "J17:K17", "F_BUDGET", valign="center", halign="right", number_format="#,##0")
    put(ws, "L17", "千円")
    label(ws, "B18:B25", "7 計画期間に\nおける事業実績", bold=True, valign="top")
    field(ws, "C18:L18", "F_RESULTS")
    label(ws, "C19:E19", "項目（単位）", halign="center")
    for c, col in enumerate("FGHIJK", start=1):
        prefilled(ws, f"{col}19", f"L_FIG_Y{c}", fill=LABEL_FILL, halign="center")
    label(ws, "L19", "合計", halign="center")
    for r in range(1, form.FIGURE_ROWS + 1):
        row = 19 + r
        field(ws, f"C{row}:E{row}", f"F_FIG_{r}_LABEL", valign="center")
        for c, col in enumerate("FGHIJK", start=1):
            field(ws, f"{col}{row}", f"F_FIG_{r}_Y{c}", valign="center", halign="right")
        field(ws, f"L{row}", f"F_FIG_{r}_TOTAL", valign="center", halign="right")
    label(ws, "B26:B31", "8 {計画期間}\nにおける{階層名}\n「{施策名}」\nに対して",
          bold=True, valign="top")
    label(ws, "C26:L26", "{階層名}に対して貢献できたこと（{評価年度}）")
    field(ws, "C27:L27", "F_CONTRIB_YEAR")
    label(ws, "C28:L28", "計画期間を通して{階層名}に対して貢献できたこと")
    field(ws, "C29:L29", "F_CONTRIB_PERIOD")
    label(ws, "C30:L30", "（１）課題と今後の取り組みの方向性")
    field(ws, "C31:L31", "F_CHALLENGES")
    label(ws, "B32:B43", "9 計画期間に\nおける庁内または\n他の組織との\n連携状況",
          bold=True, valign="top")
    label(ws, "C32:D32", "（１）連携状況")
    prefilled(ws, "E32:L32", "L_SCALE_LEGEND", size=8)
    label(ws, "C33:I33", "市の関係部局内との組織横断的な連携")
    field(ws, "J33:L33", "F_COLLAB_INTERNAL", valign="center")
    label(ws, "C34:I34", "地域保健福祉活動の担い手との連携（担い手とは（２）連携相手①～⑪のこと）")
    field(ws, "J34:L34", "F_COLLAB_COMMUNITY", valign="center")
    label(ws, "C35:L35", "（２）連携相手　※以下から選択し番号を記入（複数回答可）。ない場合は「なし」")
    prefilled(ws, "C36:L36", "L_PARTNER_LEGEND", size=8, valign="top")
    label(ws, "C37:E37", "連携できた相手")
    field(ws, "F37:L37", "F_PARTNERS_DONE", valign="center")
    label(ws, "C38:E38", "連携したかったが\nできなかった相手")  # two lines: row 38 is their height
    field(ws, "F38:L38", "F_PARTNERS_WANTED", valign="center")
    for i in range(1, form.PARTNER_NAME_SLOTS + 1):
        row = 38 + i
        prefilled(ws, f"C{row}:E{row}", f"L_PARTNER_NAME_{i}", fill=LABEL_FILL, size=8)
        field(ws, f"F{row}:L{row}", f"F_PARTNER_NAME_{i}", valign="center")
    label(ws, "C42:L42", "（３）上記の理由、具体的な連携の状況（うまくいった点、工夫した点など）")
    field(ws, "C43:L43", "F_COLLAB_DETAIL")

    # 10: the project's self-rating, shown only when the master's 評価基準 asks for it (the form
    # writer hides these rows otherwise).
    label(ws, "B44:B46", "10 事業の\n自己評価", bold=True, valign="top")
    prefilled(ws, "C44:L44", "L_RATING_LEGEND", size=8)
    label(ws, "C45:D45", "評価（一覧から選択）", size=8)
    field(ws, "E45:F45", "F_RATING", valign="center", halign="center")
    put(ws, "G45:L45", "")
    label(ws, "C46:D46", "評価の理由", size=8, valign="top")
    field(ws, "E46:L46", "F_RATING_REASON")

    ws.print_area = "A1:L46"
    ws.row_breaks.append(Break(id=25))  # page 2 starts at 「8 …に対して」
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
