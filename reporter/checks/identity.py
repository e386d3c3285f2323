"""Rules on a returned workbook's identity: plan, year, version, department, and each sheet."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from reporter.core import era, form, issues, normalize
from reporter.core.identity import Identity, SheetIdentity
from reporter.core.issues import Issue, Location
from reporter.core.model import Master, SheetSpec
from reporter.intake.read import FormWorkbook, RawSheet

# The issue codes this module raises (tests/test_contracts.py holds every code to one module).
CODES = (
    "file.not-a-form",
    "form.wrong-plan",
    "form.wrong-year",
    "form.old-version",
    "form.unknown-department",
    "form.unknown-project",
    "form.no-sheets",
    "form.sheet-missing",
    "form.sheet-renamed",
    "form.sheet-copied",
    "form.layout-changed",
    "form.department-mismatch",
    "form.prefilled-changed",
)


@dataclass(frozen=True)
class Recognised:
    """A sheet of the workbook matched to the (project, policy, department) it answers."""

    sheet: RawSheet
    spec: SheetSpec


def check_workbook(book: FormWorkbook, master: Master, file: str) -> tuple[list[Recognised], list[Issue]]:
    """The sheets that can be read, and every identity problem of the workbook and its sheets."""
    found: list[Issue] = []
    ident = book.identity
    problem = _workbook_problem(ident, master, file)
    if problem is not None or ident is None:
        return [], [problem] if problem else []
    recognised: list[Recognised] = []
    used: set[str] = set()
    for sheet in book.sheets:
        entry = _match(sheet, ident, used, {s.name for s in book.sheets})
        loc = Location(file, sheet.name)
        if entry is None:
            found.append(issues.make("form.sheet-copied", loc))
            continue
        used.add(entry.sheet_name)
        if entry.sheet_name != sheet.name:
            found.append(issues.make("form.sheet-renamed", loc, original=entry.sheet_name))
        sheet_issues = list(_sheet_problems(sheet, entry, master, file))
        found.extend(sheet_issues)
        if not any(i.severity.value == "error" for i in sheet_issues):
            # The master's own spec: the identity stored in the workbook does not carry the
            # other placements a sheet answers for (``also``).
            recognised.append(Recognised(sheet, master.spec(entry.spec) or entry.spec))
    for entry in ident.sheets:
        if entry.sheet_name not in used:
            project = _project_name(master, entry.spec)
            found.append(issues.make("form.sheet-missing", Location(file, entry.sheet_name),
                                     sheet_name=entry.sheet_name, project=project))
    if not book.sheets:
        found.append(issues.make("form.no-sheets", Location(file)))
    return recognised, found


def _workbook_problem(ident: Identity | None, master: Master, file: str) -> Issue | None:
    loc = Location(file)
    plan = master.plan
    if ident is None:
        return issues.make("file.not-a-form", loc)
    if ident.plan_name != plan.name:
        return issues.make("form.wrong-plan", loc, found=ident.plan_name, expected=plan.name)
    if ident.fiscal_year != plan.fiscal_year:
        return issues.make("form.wrong-year", loc, found=era.long(ident.fiscal_year),
                           expected=era.long(plan.fiscal_year))
    if ident.form_version != form.FORM_VERSION:
        return issues.make("form.old-version", loc, found=ident.form_version, expected=form.FORM_VERSION)
    if ident.department not in master.departments:
        return issues.make("form.unknown-department", loc, value=ident.department)
    return None


def _match(sheet: RawSheet, ident: Identity, used: set[str], present: set[str]) -> SheetIdentity | None:
    """The identity entry of a sheet: by its name, else (renamed) by its pre-filled cells."""
    if sheet.identity is not None and sheet.identity.sheet_name not in used:
        return sheet.identity
    code = normalize.text(_value(sheet, "F_POLICY_CODE"))
    number = normalize.text(_value(sheet, "F_PROJECT_NO"))
    for entry in ident.sheets:
        free = entry.sheet_name not in used and entry.sheet_name not in present
        if free and entry.spec.policy_code == code and str(entry.spec.number) == number:
            return entry
    return None


def _sheet_problems(sheet: RawSheet, entry: SheetIdentity, master: Master, file: str) -> Iterator[Issue]:
    loc = Location(file, sheet.name)
    if sheet.fingerprint != entry.fingerprint:
        yield issues.make("form.layout-changed", loc)
        return
    if not master.expects(entry.spec):
        yield issues.make("form.unknown-project", loc, project_id=entry.spec.project_id,
                          policy_code=entry.spec.policy_code)
        return
    department = normalize.text(_value(sheet, "F_DEPARTMENT"))
    if department != normalize.text(entry.spec.department):
        yield issues.make("form.department-mismatch",
                          Location(file, sheet.name, sheet.addresses["F_DEPARTMENT"],
                                   form.BY_NAME["F_DEPARTMENT"].label),
                          found=department, expected=entry.spec.department)
    project = master.project(entry.spec.project_id)
    for name, want in (("F_PROJECT_NAME", project.name), ("F_POLICY_CODE", entry.spec.policy_code)):
        got = normalize.text(_value(sheet, name))
        if got != normalize.text(want):
            yield issues.make("form.prefilled-changed",
                              Location(file, sheet.name, sheet.addresses[name], form.BY_NAME[name].label),
                              label=form.BY_NAME[name].label, found=got, expected=want)


def _value(sheet: RawSheet, name: str) -> object:
    return sheet.values.get(name)


def _project_name(master: Master, spec: SheetSpec) -> str:
    try:
        return master.project(spec.project_id).name
    except KeyError:
        return spec.project_id
