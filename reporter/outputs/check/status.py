"""The office's submission-status workbook (xlsxwriter): who sent what, what must be fixed,
what is missing, and every file that could not be used, with counts that reconcile."""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import xlsxwriter

from reporter import atomic
from reporter.core.issues import Severity
from reporter.core.report import CheckReport, Status
from reporter.outputs.xlsx import A3, INTEGER_FORMAT, open_workbook, table

STATUS_COLOURS = {Status.SUBMITTED: "#C6EFCE", Status.NEEDS_FIX: "#FFC7CE", Status.MISSING: "#D9D9D9"}


def write_status_file(report: CheckReport, target: Path, today: date) -> Path:
    """The status workbook, written atomically (module-level: it may run in a worker process)."""
    return atomic.write_with(target, partial(write_status, report, today=today))


def write_status(report: CheckReport, target: Path, today: date) -> None:
    book = open_workbook(target)
    title = book.add_format({"bold": True, "font_size": 14})
    _summary(book, report, today, title)
    _status_list(book, report)
    _departments(book, report)
    _unusable(book, report)
    _issues(book, report)
    book.close()


def _summary(book: xlsxwriter.Workbook, report: CheckReport, today: date, title: Any) -> None:
    ws = book.add_worksheet("概要")
    n = report.counts()
    ws.write_string(0, 0, f"{report.year_label} 自己評価シート 提出状況（{today:%Y年%m月%d日} 確認）", title)
    lines = [
        ("計画マスタ上のシート数", n["expected"]),
        ("　うち提出あり", n["submitted"]),
        ("　うち未提出", n["missing"]),
        ("提出ありのうち集計に使うシート（エラーなし）", n["included"]),
        ("提出ありのうち要修正で集計から除くシート", n["excluded"]),
        ("同じシートが重複して届き、古いため使わなかったシート", n["superseded"]),
        ("読み込んだファイル数", n["files"]),
        ("　うち使用できなかったファイル", n["unusable_files"]),
        ("エラー（件）", n["errors"]),
        ("警告（件）", n["warnings"]),
        ("お知らせ（件）", n["infos"]),
    ]
    number = book.add_format({"num_format": INTEGER_FORMAT})
    for r, (label, value) in enumerate(lines, start=2):
        ws.write_string(r, 0, label)
        ws.write_number(r, 1, value, number)
    check = (f"照合：{n['expected']} = {n['submitted']} + {n['missing']}（提出＋未提出）、"
             f"{n['submitted']} = {n['included']} + {n['excluded']}（集計対象＋除外）")
    ws.write_string(len(lines) + 3, 0, check)
    ws.set_column(0, 0, 52)
    ws.set_column(1, 1, 10)


def _status_list(book: xlsxwriter.Workbook, report: CheckReport) -> None:
    ws = book.add_worksheet("提出状況")
    rows = []
    for spec in report.master.sheets():
        record = report.record_for(spec)
        found = report.sheet_issues(record) if record else ()
        counts = [sum(1 for i in found if i.severity is s) for s in Severity]
        rows.append([spec.department, spec.policy_code, spec.number, spec.project_id,
                     report.master.project(spec.project_id).name, report.status(spec).value, *counts,
                     record.source.file if record else "", record.source.sheet if record else ""])
    table(book, ws, 0, ("担当課", "施策", "番号", "事業ID", "事業名", "状況", "エラー", "警告",
                        "お知らせ", "ファイル", "シート"), rows, (24, 7, 5, 7, 40, 8, 6, 6, 7, 40, 10), paper=A3)
    for status, colour in STATUS_COLOURS.items():
        fmt = book.add_format({"bg_color": colour, "border": 1})
        ws.conditional_format(1, 5, max(len(rows), 1), 5, {"type": "cell", "criteria": "==",
                                                            "value": f'"{status.value}"', "format": fmt})


def _departments(book: xlsxwriter.Workbook, report: CheckReport) -> None:
    ws = book.add_worksheet("担当課別")
    received: dict[str | None, list[str]] = {}
    for f in report.files:
        received.setdefault(f.department, []).append(f.name)
    rows = []
    for dept in report.master.departments:
        specs = report.master.sheets_of(dept)
        statuses = [report.status(s) for s in specs]
        rows.append([dept, len(specs), *(statuses.count(s) for s in Status), "、".join(received.get(dept, ()))])
    table(book, ws, 0, ("担当課", "シート数", *(s.value for s in Status), "届いたファイル"), rows,
          (30, 9, 8, 8, 8, 60))


def _unusable(book: xlsxwriter.Workbook, report: CheckReport) -> None:
    ws = book.add_worksheet("使用できないファイル")
    rows: list[list[object]] = []
    for f in report.files:
        if not f.usable:
            reasons = f.reasons
            rows.append([f.name, f.department or "（不明）", "\n".join(i.message for i in reasons),
                         "、".join(i.code for i in reasons)])
    for r in report.superseded:
        rows.append([r.source.file, r.spec.department, f"シート「{r.source.sheet}」は新しい提出があるため使いません。",
                     "batch.duplicate-submission"])
    for path in report.passed_over:
        rows.append([path.name, "", "提出されたシートではないため読み飛ばしました（Excel などの一時ファイル・"
                     "システムファイル、または計画マスタ）。", ""])
    table(book, ws, 0, ("ファイル", "担当課", "理由", "コード"), rows, (50, 24, 70, 26))


def _issues(book: xlsxwriter.Workbook, report: CheckReport) -> None:
    ws = book.add_worksheet("問題一覧")
    rank = {s: n for n, s in enumerate(Severity)}  # errors first; within a severity, files in the order read
    rows = [[i.location.file, i.location.sheet, i.location.cell, i.location.field, i.severity.label,
             i.message, i.code] for i in sorted(report.issues, key=lambda i: rank[i.severity])]
    table(book, ws, 0, ("ファイル", "シート", "セル", "項目", "区分", "内容", "コード"), rows,
          (40, 10, 6, 26, 7, 70, 26), paper=A3)
