"""Feedback for a department: its own workbook returned with every problem cell marked and
commented, a first sheet listing the problems, and a plain-text version for an email."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from reporter.core.issues import Issue, Severity
from reporter.core.layout import needed_lines
from reporter.forms.cells import cells_of, enclosing_range, put
from reporter.forms.workbook import open_for_edit
from reporter.intake import container, read
from reporter.outputs.check import marked

FILLS = {
    Severity.ERROR: PatternFill("solid", fgColor="FFC7CE"),
    Severity.WARNING: PatternFill("solid", fgColor="FFEB9C"),
    Severity.INFO: PatternFill("solid", fgColor="DDEBF7"),
}
ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
LIST_SHEET = "確認結果"
HEADERS = ("No.", "シート", "セル", "項目", "区分", "内容（どこが・どう直すか）", "コード")
WIDTHS = (5, 12, 7, 30, 8, 80, 26)


def sort_issues(found: Sequence[Issue], sheet_order: Sequence[str]) -> list[Issue]:
    rank = {name: i for i, name in enumerate(sheet_order)}

    def key(i: Issue) -> tuple[int, int, int, str]:
        row = int("".join(ch for ch in i.location.cell if ch.isdigit()) or 0)
        return (rank.get(i.location.sheet, -1), row, ORDER[i.severity], i.code)

    return sorted(found, key=key)


def write_workbook(source: Path, target: Path, department: str, year_label: str,
                   found: Sequence[Issue], today: date) -> str:
    """Copy ``source`` to ``target`` with the problems marked; ``source`` is only read.

    The copy is made from the submission's bytes as the container guard checks them (the full
    guard, every sheet), by editing its parts (``marked``); a workbook not written the usual way
    is opened and saved with openpyxl instead. Returns which way: "edited" or "openpyxl"."""
    data = container.read_bounded_file(source, read.DEFAULT_LIMITS)
    box = container.inspect(data, read.DEFAULT_LIMITS)
    ordered = sort_issues(found, box.sheet_names)
    listing = list_sheet(department, year_label, source.name, ordered, today)
    try:
        marked.write_copy(box, str(target), marked.marks_of(box, ordered), listing)
        return "edited"
    except marked.Unusual:
        pass
    wb = open_for_edit(data)
    _mark_cells(wb, ordered)
    if LIST_SHEET in wb.sheetnames:  # a feedback copy sent back corrected: its old list goes
        del wb[LIST_SHEET]
    ws = wb.create_sheet(LIST_SHEET, 0)
    _list_sheet(ws, listing)
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = False
    ws.sheet_view.tabSelected = True
    wb.active = 0
    wb.save(target)
    return "openpyxl"


def list_sheet(department: str, year_label: str, file_name: str, ordered: Sequence[Issue],
               today: date) -> marked.ListSheet:
    """What the first sheet of a feedback copy says, whichever way the copy is made."""
    counts = {s: sum(1 for i in ordered if i.severity is s) for s in Severity}
    rows = tuple((n, i.location.sheet, i.location.cell, i.location.field, i.severity.label, i.message, i.code)
                 for n, i in enumerate(ordered, start=1))
    return marked.ListSheet(
        LIST_SHEET, f"{year_label} 自己評価シート 確認結果",
        f"担当課：{department}　　ファイル：{file_name}　　確認日：{today:%Y年%m月%d日}",
        f"エラー {counts[Severity.ERROR]} 件（修正してください）　"
        f"警告 {counts[Severity.WARNING]} 件（確認してください）　お知らせ {counts[Severity.INFO]} 件",
        "確認したところ、問題はありませんでした。ご提出ありがとうございました。",
        HEADERS, WIDTHS, rows, tuple(i.severity for i in ordered), severity_column=4, message_column=5,
        field_column=3)


def _mark_cells(wb, ordered: Sequence[Issue]) -> None:  # type: ignore[no-untyped-def]
    """Colour every problem cell's box and comment on its top-left cell; cells that share a box
    (a user merged them) share one comment."""
    by_box: dict[tuple[str, str], list[Issue]] = {}
    for issue in ordered:
        loc = issue.location
        if loc.cell and loc.sheet in wb.sheetnames:
            by_box.setdefault((loc.sheet, enclosing_range(wb[loc.sheet], loc.cell)), []).append(issue)
    for (sheet, box), issues_here in by_box.items():
        ws = wb[sheet]
        worst = min(issues_here, key=lambda i: ORDER[i.severity]).severity
        for c in cells_of(ws, box):
            c.fill = FILLS[worst]
        text = "\n".join(f"【{i.severity.label}】{i.message}" for i in issues_here)
        comment = Comment(text, "reporter")
        comment.width, comment.height = 320, 40 + 18 * (len(text) // 22 + len(issues_here))
        ws[box.split(":")[0]].comment = comment


def _list_sheet(ws: Worksheet, listing: marked.ListSheet) -> None:
    put(ws["A1"], listing.title)
    ws["A1"].font = Font(bold=True, size=14)
    put(ws["A2"], listing.header_line)
    put(ws["A3"], listing.counts_line)
    if not listing.rows:
        put(ws["A5"], listing.empty_line)
    header_row = marked.listing_header_row(listing)
    for c, (title, width) in enumerate(zip(listing.headers, listing.widths, strict=True), start=1):
        cell = ws.cell(row=header_row, column=c)
        put(cell, title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        ws.column_dimensions[cell.column_letter].width = width
    for n, (values, severity) in enumerate(zip(listing.rows, listing.severities, strict=True), start=1):
        row = header_row + n
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=c)
            put(cell, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row=row, column=listing.severity_column + 1).fill = FILLS[severity]
        # Rows of wrapped text do not grow by themselves in every spreadsheet program.
        lines = max(needed_lines(str(values[listing.message_column]), listing.widths[listing.message_column] // 2),
                    needed_lines(str(values[listing.field_column]), listing.widths[listing.field_column] // 2))
        ws.row_dimensions[row].height = 15 * lines + 2
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"


def email_text(department: str, year_label: str, file_name: str, ordered: Sequence[Issue],
               missing: Sequence[Issue]) -> str:
    """A plain text fit for an email body to the department."""
    lines = [f"{department} ご担当者様", "",
             f"{year_label}の自己評価シート（{file_name}）をご提出いただき、ありがとうございました。"]
    if not ordered and not missing:
        lines += ["内容を確認したところ、問題はありませんでした。", ""]
        return "\n".join(lines)
    lines += ["内容を確認したところ、次の点について修正・確認をお願いします。",
              "該当するセルは、返送するファイルで色を付け、コメントで説明しています。", ""]
    sections = ((Severity.ERROR, "■ 修正が必要なもの（エラー）"),
                (Severity.WARNING, "■ 確認をお願いしたいもの（警告）"),
                (Severity.INFO, "■ お知らせ"))
    for severity, title in sections:
        items = [i for i in ordered if i.severity is severity]
        if items:
            lines.append(title)
            lines += [f"{n}. {_where(i)}：{i.message}" for n, i in enumerate(items, start=1)]
            lines.append("")
    if missing:
        lines.append("■ まだ提出されていないシート")
        lines += [f"{n}. {i.message}" for n, i in enumerate(missing, start=1)]
        lines.append("")
    if any(i.severity is Severity.ERROR for i in ordered) or missing:
        lines.append("お手数ですが、修正したファイルを再度ご提出ください。")
    return "\n".join(lines) + "\n"


def _where(issue: Issue) -> str:
    return issue.location.describe(with_file=False) or "ファイル全体"
