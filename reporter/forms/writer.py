"""Department workbooks from the office's template (openpyxl).

One workbook per department, one sheet per (project, policy) the department reports on, copied
from the template sheet; every field reachable through a sheet-local defined name.
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import PatternFill, Protection
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from reporter.core import era, form, identity
from reporter.core.form import Field, Kind
from reporter.core.identity import Identity, SheetIdentity
from reporter.core.model import Choice, Master, SheetSpec
from reporter.core.normalize import circled
from reporter.errors import FormTemplateError
from reporter.forms.cells import cells_of, merged_range, put

UNUSED_FILL = PatternFill("solid", fgColor="D9D9D9")  # a slot this plan does not use


@dataclass(frozen=True)
class Template:
    path: Path
    addresses: dict[str, str]  # defined name -> A1 address in the template sheet


def choice_text(choice: Choice) -> str:
    return f"{circled(choice.number)}{choice.label}"


def load_template(path: Path) -> Template:
    if not path.is_file():
        raise FormTemplateError(f"様式テンプレート「{path}」が見つかりません。templates フォルダを確認してください。")
    wb = load_workbook(path)
    if form.TEMPLATE_SHEET not in wb.sheetnames:
        raise FormTemplateError(f"様式テンプレート「{path.name}」にシート「{form.TEMPLATE_SHEET}」がありません。")
    addresses = {}
    for name, dn in wb.defined_names.items():
        for sheet, ref in dn.destinations:
            if sheet == form.TEMPLATE_SHEET:
                addresses[name] = ref.replace("$", "").split(":")[0]
    missing = [n for n in form.ALL_NAMES if n not in addresses]
    if missing:
        raise FormTemplateError(
            f"様式テンプレート「{path.name}」に名前（名前の定義）{'、'.join(missing)} がありません。"
            "Excel の［数式］→［名前の管理］で元に戻してください。")
    return Template(path, addresses)


def write_department(master: Master, department: str, template: Template, target: Path) -> None:
    """Write the department's workbook to ``target`` with openpyxl, sheet by sheet (the caller
    makes it atomic). ``assembly.Forms`` writes the same workbooks from one prototype."""
    sheets = [(spec.sheet_name, *sheet_values(master, spec)) for spec in master.sheets_of(department)]
    plan = master.plan
    idents = tuple(SheetIdentity(spec.sheet_name, spec, identity.fingerprint(template.addresses))
                   for spec in master.sheets_of(department))
    ident = Identity(form.FORM_VERSION, plan.name, plan.city, plan.fiscal_year, department, idents)
    workbook(master, template, sheets, ident).save(target)


def workbook(master: Master, template: Template, sheets: list[tuple[str, dict[str, object], dict[str, str]]],
             ident: Identity | None) -> Workbook:
    """The workbook of ``sheets`` (title, field values, placeholder texts), with the hidden
    lists and, when given, the identity."""
    wb = load_workbook(template.path)
    base = wb[form.TEMPLATE_SHEET]
    for name in list(wb.defined_names):
        if name in form.ALL_NAMES:
            del wb.defined_names[name]
    _lists_sheet(wb, master)
    for title, values, subs in sheets:
        ws = wb.copy_worksheet(base)
        ws.title = title
        _copy_print_setup(base, ws)
        _fill(ws, values, subs, template.addresses)
        _validate_and_unlock(ws, master, template.addresses)
        # Every field gets a sheet-local name; the label cells (L_…) are the template's business
        # and are not needed to read a returned sheet.
        for name, address in template.addresses.items():
            if name in form.BY_NAME:
                col = "".join(ch for ch in address if ch.isalpha())
                row = "".join(ch for ch in address if ch.isdigit())
                ws.defined_names[name] = DefinedName(name, attr_text=f"'{ws.title}'!${col}${row}")
    wb.remove(base)
    if ident is not None:
        _identity_sheet(wb, ident)
    wb.active = 0
    return wb


def _copy_print_setup(src: Worksheet, dst: Worksheet) -> None:
    dst.print_area = src.print_area
    dst.row_breaks = copy(src.row_breaks)
    dst.col_breaks = copy(src.col_breaks)
    dst.HeaderFooter = copy(src.HeaderFooter)
    dst.sheet_view.showGridLines = src.sheet_view.showGridLines
    dst.sheet_view.zoomScale = src.sheet_view.zoomScale
    dst.print_title_rows = src.print_title_rows


# What differs from one sheet to another of a plan's forms (the rest is the plan's).
PER_SHEET_FIELDS = ("F_POLICY_CODE", "F_POLICY_NAME", "F_PROJECT_NO", "F_PROJECT_NAME", "F_OVERVIEW",
                    "F_DEPARTMENT", "L_POLICY_LEVEL")
PER_SHEET_PLACEHOLDERS = ("{施策名}", "{施策コード}", "{階層名}")


def sheet_values(master: Master, spec: SheetSpec) -> tuple[dict[str, object], dict[str, str]]:
    """The field values and the placeholder texts of a sheet."""
    return _values(master, spec), _placeholders(master, spec)


def _placeholders(master: Master, spec: SheetSpec) -> dict[str, str]:
    plan = master.plan
    policy = master.policy(spec.policy_code)
    return {
        "{計画名}": plan.name,
        "{市区町村名}": plan.city,
        "{評価年度}": era.long(plan.fiscal_year),
        "{次年度}": era.long(plan.fiscal_year + 1),
        "{計画期間}": f"{era.short(plan.first_year)}～{era.short(plan.last_year)}",
        "{施策名}": policy.name,
        "{施策コード}": policy.code,
        "{階層名}": policy.level,
    }


def _fill(ws: Worksheet, values: dict[str, object], subs: dict[str, str], addresses: dict[str, str]) -> None:
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and "{" in cell.value:
                text: str = cell.value
                for key, sub in subs.items():
                    text = text.replace(key, sub)
                put(cell, text)
    for name, value in values.items():
        put(ws[addresses[name]], value)


def _values(master: Master, spec: SheetSpec) -> dict[str, object]:
    plan, choices = master.plan, master.choices
    policy, project = master.policy(spec.policy_code), master.project(spec.project_id)
    values: dict[str, object] = {
        "F_PLAN_NAME": plan.name,
        "F_FISCAL_YEAR": era.long(plan.fiscal_year),
        "F_POLICY_CODE": policy.code,
        "F_POLICY_NAME": policy.name,
        "F_PROJECT_NO": spec.number,
        "F_PROJECT_NAME": project.name,
        "F_OVERVIEW": project.overview,
        "F_DEPARTMENT": spec.department,
        "L_POLICY_LEVEL": policy.level,
        "L_SCALE_LEGEND": "　".join(choice_text(c) for c in choices.scale),
        "L_PARTNER_LEGEND": "　".join(choice_text(c) for c in choices.partners),
    }
    for i in range(form.TARGET_SLOTS):
        target = choices.targets[i] if i < len(choices.targets) else None
        values[f"L_TARGET_{i + 1}"] = "" if target is None else (
            f"{target.label}（内容は下欄）" if target.named else target.label)
    for c in range(form.FIGURE_YEARS):
        years = plan.years
        values[f"L_FIG_Y{c + 1}"] = era.short(years[c]) if c < len(years) else ""
    named = [p for p in choices.partners if p.named]
    for i in range(form.PARTNER_NAME_SLOTS):
        values[f"L_PARTNER_NAME_{i + 1}"] = (
            f"{circled(named[i].number)}{named[i].label}の名称" if i < len(named) else "")
    return values


def _validation(field: Field) -> DataValidation:
    kind = field.kind
    if kind is Kind.CHECK:
        dv = DataValidation(type="list", formula1=f"={form.LIST_CHECK}", allow_blank=True)
    elif kind is Kind.SCALE:
        dv = DataValidation(type="list", formula1=f"={form.LIST_SCALE}", allow_blank=True)
    elif kind is Kind.AMOUNT:
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                            allow_blank=True)
    else:
        dv = DataValidation(allow_blank=True)
    if kind in (Kind.CHECK, Kind.SCALE, Kind.AMOUNT):
        dv.error = ("一覧から選んでください。" if kind is not Kind.AMOUNT
                    else "千円単位の数値（0 以上）を入力してください。「千円」や「,」は不要です。")
        dv.errorTitle = "入力できない値です"
        dv.showErrorMessage = True
    dv.promptTitle = field.label[:32]
    dv.prompt = field.prompt[:255]
    dv.showInputMessage = True
    return dv


def _validate_and_unlock(ws: Worksheet, master: Master, addresses: dict[str, str]) -> None:
    unused = _unused_inputs(master)
    for field in form.INPUTS:
        rng = merged_range(ws, addresses[field.name])
        if field.name in unused:
            for cell in cells_of(ws, rng):
                cell.fill = UNUSED_FILL
            continue
        for cell in cells_of(ws, rng):
            cell.protection = Protection(locked=False)
        dv = _validation(field)
        dv.add(rng)
        ws.add_data_validation(dv)
    ws.protection.sheet = True
    ws.protection.formatRows = False  # let departments heighten a row for a long text
    ws.protection.formatCells = True
    ws.protection.selectLockedCells = False


def _unused_inputs(master: Master) -> set[str]:
    """Slots the master does not use stay locked, so nothing is typed where nothing is read."""
    plan, choices = master.plan, master.choices
    unused = {f"F_TARGET_{i + 1}" for i in range(len(choices.targets), form.TARGET_SLOTS)}
    if not any(t.named for t in choices.targets):
        unused.add("F_TARGET_OTHER")
    named = sum(1 for p in choices.partners if p.named)
    unused |= {f"F_PARTNER_NAME_{i + 1}" for i in range(named, form.PARTNER_NAME_SLOTS)}
    for c in range(len(plan.years), form.FIGURE_YEARS):
        unused |= {f"F_FIG_{r + 1}_Y{c + 1}" for r in range(form.FIGURE_ROWS)}
    return unused


def _lists_sheet(wb: Workbook, master: Master) -> None:
    ws = wb.create_sheet(form.LISTS_SHEET)
    ws.sheet_state = "hidden"
    put(ws["A1"], "チェック")
    for i, mark in enumerate(form.CHECK_MARKS, start=2):
        put(ws.cell(row=i, column=1), mark)
    put(ws["B1"], "連携評価")
    for i, choice in enumerate(master.choices.scale, start=2):
        put(ws.cell(row=i, column=2), choice_text(choice))
    last_check = len(form.CHECK_MARKS) + 1
    last_scale = len(master.choices.scale) + 1
    wb.defined_names[form.LIST_CHECK] = DefinedName(
        form.LIST_CHECK, attr_text=f"'{form.LISTS_SHEET}'!$A$2:$A${last_check}")
    wb.defined_names[form.LIST_SCALE] = DefinedName(
        form.LIST_SCALE, attr_text=f"'{form.LISTS_SHEET}'!$B$2:$B${last_scale}")
    ws.protection.sheet = True


def _identity_sheet(wb: Workbook, ident: Identity) -> None:
    ws = wb.create_sheet(form.IDENTITY_SHEET)
    ws.sheet_state = "veryHidden"
    for r, row in enumerate(identity.to_rows(ident), start=1):
        for c, value in enumerate(row, start=1):
            put(ws.cell(row=r, column=c), value)
    ws.protection.sheet = True
