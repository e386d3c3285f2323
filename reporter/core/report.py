"""The result of a check: every file, every sheet, every issue, and counts that reconcile."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property
from pathlib import Path

from reporter.core import era
from reporter.core.issues import Issue, Severity
from reporter.core.model import Master, SheetSpec
from reporter.core.records import IndicatorRecord, SheetRecord


class Status(StrEnum):
    SUBMITTED = "提出済"
    NEEDS_FIX = "要修正"
    MISSING = "未提出"


@dataclass(frozen=True)
class FileResult:
    path: Path
    name: str  # relative to the input folder
    department: str | None  # from the identity; None when the file could not be identified
    usable: bool  # False when nothing of it can be read (refused, foreign, wrong year …)
    sheets: tuple[str, ...] = ()  # sheet names read
    issues: tuple[Issue, ...] = ()

    @property
    def reasons(self) -> tuple[Issue, ...]:
        """Why the file as a whole cannot be used (its errors not tied to a sheet); what the
        console, the status table and the report's appendix all list."""
        return tuple(i for i in self.issues if not i.location.sheet and i.severity is Severity.ERROR)


@dataclass(frozen=True)
class CheckReport:
    master: Master
    files: tuple[FileResult, ...]
    records: tuple[SheetRecord, ...]  # one per received (project, policy, department)
    superseded: tuple[SheetRecord, ...]  # older copies not used
    missing: tuple[SheetSpec, ...]
    issues: tuple[Issue, ...]  # every issue, files, sheets and batch
    passed_over: tuple[Path, ...] = ()  # lock and system files, plan masters among the submissions
    by_sheet: dict[tuple[str, str], tuple[Issue, ...]] = field(default_factory=dict)
    indicators: tuple[IndicatorRecord, ...] = ()  # this year's answer per indicator (the newest file's)

    @cached_property
    def _indicator_answers(self) -> dict[str, IndicatorRecord]:
        return {r.indicator_id: r for r in self.indicators}

    def indicator_answer(self, indicator_id: str) -> IndicatorRecord | None:
        return self._indicator_answers.get(indicator_id)

    def with_issues(self, extra: tuple[Issue, ...]) -> CheckReport:
        """The report with file-level issues found after the check (a feedback copy not made)."""
        if not extra:
            return self
        by_file: dict[str, list[Issue]] = {}
        for i in extra:
            by_file.setdefault(i.location.file, []).append(i)
        files = tuple(replace(f, issues=f.issues + tuple(by_file.get(f.name, ()))) for f in self.files)
        return replace(self, files=files, issues=self.issues + extra)

    def sheet_issues(self, record: SheetRecord) -> tuple[Issue, ...]:
        return self.by_sheet.get((record.source.file, record.source.sheet), ())

    def has_errors(self, record: SheetRecord) -> bool:
        return any(i.severity is Severity.ERROR for i in self.sheet_issues(record))

    @property
    def included(self) -> tuple[SheetRecord, ...]:
        return tuple(r for r in self.records if not self.has_errors(r))

    @property
    def excluded(self) -> tuple[SheetRecord, ...]:
        return tuple(r for r in self.records if self.has_errors(r))

    @cached_property
    def _by_spec(self) -> dict[SheetSpec, SheetRecord]:
        return {r.spec: r for r in self.records}

    def status(self, spec: SheetSpec) -> Status:
        record = self._by_spec.get(spec)
        if record is None:
            return Status.MISSING
        return Status.NEEDS_FIX if self.has_errors(record) else Status.SUBMITTED

    def record_for(self, spec: SheetSpec) -> SheetRecord | None:
        return self._by_spec.get(spec)

    def counts(self) -> dict[str, int]:
        return {
            "expected": len(self.master.sheets()),
            "submitted": len(self.records),
            "missing": len(self.missing),
            "included": len(self.included),
            "excluded": len(self.excluded),
            "superseded": len(self.superseded),
            "files": len(self.files),
            "unusable_files": sum(1 for f in self.files if not f.usable),
            "errors": sum(1 for i in self.issues if i.severity is Severity.ERROR),
            "warnings": sum(1 for i in self.issues if i.severity is Severity.WARNING),
            "infos": sum(1 for i in self.issues if i.severity is Severity.INFO),
        }

    @property
    def any_errors(self) -> bool:
        return any(i.severity is Severity.ERROR for i in self.issues)

    @property
    def year_label(self) -> str:
        return era.long(self.master.plan.fiscal_year)


def index_by_sheet(found: Sequence[Issue]) -> dict[tuple[str, str], tuple[Issue, ...]]:
    index: dict[tuple[str, str], list[Issue]] = {}
    for i in found:
        if i.location.sheet:
            index.setdefault((i.location.file, i.location.sheet), []).append(i)
    return {k: tuple(v) for k, v in index.items()}


def to_json(report: CheckReport) -> dict[str, object]:
    """The whole report as plain JSON-able data (for --json)."""
    def issue(i: Issue) -> dict[str, object]:
        loc = i.location
        return {"code": i.code, "severity": i.severity.value, "file": loc.file, "sheet": loc.sheet,
                "cell": loc.cell, "field": loc.field, "message": i.message,
                "params": {k: str(v) for k, v in i.params.items()}}

    def record(r: SheetRecord) -> dict[str, object]:
        return {"project_id": r.spec.project_id, "policy_code": r.spec.policy_code,
                "number": r.spec.number, "department": r.spec.department, "file": r.source.file,
                "sheet": r.source.sheet, "status": "excluded" if report.has_errors(r) else "included",
                "settled": r.settled.number, "budget": r.budget.number}

    return {
        "fiscal_year": report.master.plan.fiscal_year,
        "plan": report.master.plan.name,
        "counts": report.counts(),
        "files": [{"file": f.name, "department": f.department, "usable": f.usable,
                   "sheets": list(f.sheets)} for f in report.files],
        "sheets": [record(r) for r in report.records],
        "superseded": [{"file": r.source.file, "sheet": r.source.sheet} for r in report.superseded],
        "missing": [{"project_id": s.project_id, "policy_code": s.policy_code, "number": s.number,
                     "department": s.department} for s in report.missing],
        "passed_over": [p.name for p in report.passed_over],
        "issues": [issue(i) for i in report.issues],
    }
