"""Feedback for a department: its own workbook returned with every problem cell marked and
commented, a first sheet listing the problems, and a plain-text version for an email."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.cell import column_index_from_string
from openpyxl.worksheet.worksheet import Worksheet

from reporter.core import era
from reporter.core.issues import Issue, Severity
from reporter.forms.cells import cells_of, enclosing_range, put
from reporter.forms.workbook import open_for_edit
from reporter.intake import container, read
from reporter.outputs.check import marked
from reporter.outputs.xlsx import is_number, row_height

FILLS = {
    Severity.ERROR: PatternFill("solid", fgColor="FFC7CE"),
    Severity.WARNING: PatternFill("solid", fgColor="FFEB9C"),
    Severity.INFO: PatternFill("solid", fgColor="DDEBF7"),
}
ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
LIST_SHEET = "確認結果"
# What the department reads: no issue codes (the office's status table has them in a column).
HEADERS = ("No.", "シート", "セル", "項目", "区分", "内容（どこが・どう直すか）")
WIDTHS = (5, 12, 7, 30, 8, 80)


def sort_issues(found: Sequence[Issue], sheet_order: Sequence[str]) -> list[Issue]:
    """Errors, then warnings, then notices; within each, in the order of the sheets and cells."""
    rank = {name: i for i, name in enumerate(sheet_order)}

    def key(i: Issue) -> tuple[int, int, int, int, str]:
        letters = i.location.cell.rstrip("0123456789")
        row = int(i.location.cell[len(letters):] or 0)
        column = column_index_from_string(letters) if letters.isalpha() and letters.isupper() else 0
        return (ORDER[i.severity], rank.get(i.location.sheet, -1), row, column, i.code)

    return sorted(found, key=key)


def guidance(counts: Mapping[Severity, int]) -> str:
    """The line asking the department for what its problems need: a fix, a check, or nothing."""
    if counts[Severity.ERROR]:
        also = "警告の箇所もあわせて確認してください。" if counts[Severity.WARNING] else ""
        return f"お手数ですが、エラーの箇所を修正し、修正したファイルを再度ご提出ください。{also}"
    if counts[Severity.WARNING]:
        return "警告の箇所を確認してください。誤りがあった場合は、修正したファイルを再度ご提出ください。"
    if counts[Severity.INFO]:
        return "修正が必要な点はありません。お知らせを確認してください。"
    return "確認したところ、問題はありませんでした。ご提出ありがとうございました。"


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
    counts = _counts(ordered)
    rows = tuple((n, i.location.sheet, i.location.cell, i.location.field, i.severity.label, i.message)
                 for n, i in enumerate(ordered, start=1))
    return marked.ListSheet(
        LIST_SHEET, f"{year_label} 自己評価シート 確認結果",
        f"担当課：{department}　　ファイル：{file_name}　　確認日：{era.date_text(today)}",
        "　".join(f"{s.label} {counts[s]} 件" for s in Severity), guidance(counts),
        HEADERS, WIDTHS, rows, tuple(i.severity for i in ordered), severity_column=4)


def _counts(found: Sequence[Issue]) -> dict[Severity, int]:
    return {s: sum(1 for i in found if i.severity is s) for s in Severity}


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
    put(ws["A4"], listing.guide_line)
    header_row = marked.LIST_HEADER_ROW
    for c, (title, width) in enumerate(zip(listing.headers, listing.widths, strict=True), start=1):
        cell = ws.cell(row=header_row, column=c)
        put(cell, title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[cell.column_letter].width = width
    ws.row_dimensions[header_row].height = row_height(zip(listing.headers, listing.widths, strict=True))
    for n, (values, severity) in enumerate(zip(listing.rows, listing.severities, strict=True), start=1):
        row = header_row + n
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=c)
            put(cell, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row=row, column=listing.severity_column + 1).fill = FILLS[severity]
        ws.row_dimensions[row].height = row_height(
            (v, w) for v, w in zip(values, listing.widths, strict=True) if not is_number(v))
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"


def email_text(department: str, year_label: str, file_name: str, ordered: Sequence[Issue],
               missing: Sequence[Issue]) -> str:
    """A plain text fit for an email body to the department: it asks for a fix or a check only
    when there is something to fix or check."""
    lines = [f"{department} ご担当者様", "",
             f"{year_label}の自己評価シート（{file_name}）をご提出いただき、ありがとうございました。"]
    if not ordered and not missing:
        lines += ["内容を確認したところ、問題はありませんでした。", ""]
        return "\n".join(lines)
    counts = _counts(ordered)
    asked = "・".join(word for word, s in (("修正", Severity.ERROR), ("確認", Severity.WARNING)) if counts[s])
    if asked:
        lines.append(f"内容を確認したところ、次の点について{asked}をお願いします。")
    elif ordered:
        lines.append("内容を確認したところ、修正が必要な点はありません。次のお知らせを確認してください。")
    if any(i.location.cell for i in ordered):
        lines.append("該当するセルは、返送するファイルで色を付け、コメントで説明しています。")
    lines.append("")
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
        lines += [f"{n}. {_missing_sheet(i)}" for n, i in enumerate(missing, start=1)]
        lines.append("")
    if counts[Severity.ERROR]:
        lines.append("お手数ですが、修正したファイルを再度ご提出ください。")
    elif counts[Severity.WARNING]:
        lines.append("誤りがあった場合は、修正したファイルを再度ご提出ください。")
    if missing:
        lines.append("まだ提出されていないシートも、記入してご提出ください。")
    return "\n".join(lines) + "\n"


def _where(issue: Issue) -> str:
    return issue.location.describe(with_file=False) or "ファイル全体"


def _missing_sheet(issue: Issue) -> str:
    """A missing sheet as the department knows it (the issue's message speaks to the office)."""
    project, policy = issue.params.get("project"), issue.params.get("policy_code")
    name = f"シート「{issue.location.sheet}」" if issue.location.sheet else ""
    return f"{name}「{project}」（施策 {policy}）" if project else issue.message
