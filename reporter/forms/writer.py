"""Department workbooks from the office's template (openpyxl).

One workbook per department, one sheet per (project, policy) the department reports on, copied
from the template sheet; every field reachable through a sheet-local defined name.
"""

from __future__ import annotations

from copy import copy, deepcopy
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.header_footer import _HeaderFooterPart
from openpyxl.worksheet.worksheet import Worksheet

from reporter.core import era, form, held, identity, layout
from reporter.core.form import Field, Kind
from reporter.core.held import History
from reporter.core.identity import Identity, SheetIdentity
from reporter.core.model import Choice, Master, SheetSpec
from reporter.core.normalize import circled
from reporter.core.rating import QUALITATIVE_CHOICES, Special
from reporter.errors import FormTemplateError
from reporter.forms import fit, indicators, notes, unused
from reporter.forms.cells import cells_of, merged_range, put

REPORTED_FILL = PatternFill("solid", fgColor="DDEBF7")  # a figure reported in an earlier year: locked
REPORTED_PROMPT = ("前年度までに報告された値です（変更できません）。訂正が必要な場合は、"
                   "この年度の数値の入力後に、企画担当課へご連絡ください。")


@dataclass(frozen=True)
class Template:
    path: Path
    addresses: dict[str, str]  # defined name -> A1 address in the template sheet

    @property
    def target_slots(self) -> int:
        """The target-group checkboxes the template holds, each with its label (an office's
        template made before version 2 holds six)."""
        count = 0
        while count < form.TARGET_SLOTS and {f"F_TARGET_{count + 1}", f"L_TARGET_{count + 1}"} <= self.addresses.keys():
            count += 1
        return count


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
    optional = {*form.RATING_NAMES, *form.LATER_NAMES}
    missing = [n for n in form.ALL_NAMES if n not in addresses and n not in optional]
    if missing:
        raise FormTemplateError(
            f"様式テンプレート「{path.name}」に名前（名前の定義）{'、'.join(missing)} がありません。"
            "Excel の［数式］→［名前の管理］で元に戻してください。")
    return Template(path, addresses)


def check_template(master: Master, template: Template) -> None:
    """A master that asks for the project self-rating needs a template with its cells, and a
    plan's target groups need as many slots."""
    missing = [n for n in form.RATING_NAMES if n not in template.addresses]
    if master.project_rating and missing:
        raise FormTemplateError(
            f"計画マスタの評価基準は事業の自己評価を求めていますが、様式テンプレート「{template.path.name}」に名前"
            f"{'、'.join(missing)} がありません。"
            "同梱の templates/様式.xlsx の「10 事業の自己評価」欄を写してください。")
    groups, slots = len(master.choices.targets), template.target_slots
    if groups > slots:
        raise FormTemplateError(
            f"計画マスタの選択肢「対象者」は {groups} 項目ありますが、様式テンプレート「{template.path.name}」の"
            f"「4 事業の対象者」欄は {slots} 項目分です。同梱の templates/様式.xlsx（{form.TARGET_SLOTS} 項目分）を"
            f"使うか、その対象者欄（名前 F_TARGET_{slots + 1}～F_TARGET_{groups}・"
            f"L_TARGET_{slots + 1}～L_TARGET_{groups}）を写してください。")


def write_department(master: Master, department: str, template: Template, target: Path,
                     history: History | None = None) -> None:
    """Write the department's workbook to ``target`` with openpyxl, sheet by sheet (the caller
    makes it atomic). ``assembly.Forms`` writes the same workbooks from one prototype."""
    check_template(master, template)
    columns = reported_columns(master, history)
    sheets = [(spec.sheet_name, *sheet_values(master, spec, history, columns))
              for spec in master.sheets_of(department)]
    previous = previous_answers(master, master.sheets_of(department), history)
    plan = master.plan
    idents = tuple(SheetIdentity(spec.sheet_name, spec, identity.fingerprint(template.addresses))
                   for spec in master.sheets_of(department))
    ident = Identity(form.FORM_VERSION, plan.name, plan.city, plan.fiscal_year, department, idents)
    workbook(master, template, sheets, ident, columns, previous, department, history).save(target)


def reported_columns(master: Master, history: History | None) -> tuple[int, ...]:
    """The columns (1-based) of the figures table that earlier reports fill: the years before
    the one under review, once the history holds one of them (the department types only its
    own year); none in the first year the tool is used."""
    plan = master.plan
    latest = history.latest_before(plan.fiscal_year) if history is not None else None
    if latest is None:
        return ()
    # up to the latest year held: a year after it (not recorded) stays open to type
    return tuple(c for c, year in enumerate(plan.years[:form.FIGURE_YEARS], start=1) if year <= latest)


def carried_names(columns: tuple[int, ...]) -> tuple[str, ...]:
    """The fields an earlier report fills: each row's label and its cells of ``columns``."""
    if not columns:
        return ()
    return tuple(name for r in range(1, form.FIGURE_ROWS + 1)
                 for name in (f"F_FIG_{r}_LABEL", *(f"F_FIG_{r}_Y{c}" for c in columns)))


Previous = tuple[int, list[tuple[object, ...]]]  # the year, and a row per sheet it held


def previous_answers(master: Master, specs: tuple[SheetSpec, ...], history: History | None) -> Previous | None:
    """Last year's amounts and answers of ``specs``, as the history holds them (None when it
    holds no earlier year, or none of these sheets)."""
    year = history.latest_before(master.plan.fiscal_year) if history is not None else None
    if history is None or year is None:
        return None
    rows: list[tuple[object, ...]] = []
    for spec in specs:
        held_sheet = history.sheet(year, spec)
        if held_sheet is not None:
            texts = held_sheet.texts
            rows.append((spec.sheet_name, held_sheet.project_name, held_sheet.settled, held_sheet.budget,
                         texts.get("status", ""), texts.get("challenges", ""), texts.get("collab_detail", "")))
    return (year, rows) if rows else None


PREVIOUS_WIDTHS = (9, 24, 12, 12, 50, 40, 40)


def previous_row_height(row: tuple[object, ...]) -> float:
    """Rows are given their height: LibreOffice prints the wrapped cells of an unsized row on
    top of each other, and Excel sizes a row only when it is edited."""
    return max(layout.height_for(str(value), int((width * 7 + 5) / layout.FULL_WIDTH_PX), 15.0)
               for value, width in zip(row, PREVIOUS_WIDTHS, strict=True))


def previous_headers(year: int) -> tuple[str, ...]:
    return ("シート", "事業名", f"{era.long(year)}決算額（千円）", f"{era.long(year + 1)}予算額（千円）",
            f"{era.long(year)}実施状況", "課題と今後の取り組みの方向性", "具体的な連携の状況")


def workbook(master: Master, template: Template, sheets: list[tuple[str, dict[str, object], dict[str, str]]],
             ident: Identity | None, columns: tuple[int, ...] = (), previous: Previous | None = None,
             department: str | None = None, history: History | None = None, fit_rows: bool = True) -> Workbook:
    """The workbook of ``sheets`` (title, field values, placeholder texts), with the hidden
    lists and, when given, the identity; the figures of ``columns`` locked as reported; last
    year's answers on a sheet of their own for reference; ``department``'s indicators. Each
    row is as tall as its texts need unless ``fit_rows`` is off (the prototype of
    ``assembly.Forms``, which fits every sheet to its own texts)."""
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
        notes.hide_empty(ws, values, template.addresses)
        _validate_and_unlock(ws, master, template.addresses, columns)
        if fit_rows:
            fit.fit_rows(ws)
        # Every field gets a sheet-local name; the label cells (L_…) are the template's business
        # and are not needed to read a returned sheet.
        for name, address in template.addresses.items():
            if name in form.BY_NAME:
                col = "".join(ch for ch in address if ch.isalpha())
                row = "".join(ch for ch in address if ch.isdigit())
                ws.defined_names[name] = DefinedName(name, attr_text=f"'{ws.title}'!${col}${row}")
    wb.remove(base)
    if department is not None:
        indicators.write_sheet(wb, master, department, history)
    if previous is not None:
        _previous_sheet(wb, *previous)
    if ident is not None:
        _identity_sheet(wb, ident)
    wb.active = 0
    return wb


def _copy_print_setup(src: Worksheet, dst: Worksheet) -> None:
    dst.print_area = src.print_area
    dst.row_breaks = copy(src.row_breaks)
    dst.col_breaks = copy(src.col_breaks)
    dst.HeaderFooter = deepcopy(src.HeaderFooter)  # its parts are filled per sheet
    dst.sheet_view.showGridLines = src.sheet_view.showGridLines
    dst.sheet_view.zoomScale = src.sheet_view.zoomScale
    dst.print_title_rows = src.print_title_rows


# What differs from one sheet to another of a plan's forms (the rest is the plan's).
PER_SHEET_FIELDS = ("F_POLICY_CODE", "F_POLICY_NAME", "F_PROJECT_NO", "F_PROJECT_NAME", "F_OVERVIEW",
                    "F_DEPARTMENT", "L_POLICY_LEVEL", *form.NOTE_NAMES)
PER_SHEET_PLACEHOLDERS = ("{施策名}", "{施策コード}", "{階層名}", "{事業名}", "{事業番号}")


def sheet_values(master: Master, spec: SheetSpec, history: History | None = None,
                 columns: tuple[int, ...] = ()) -> tuple[dict[str, object], dict[str, str]]:
    """The field values and the placeholder texts of a sheet; with ``columns``, the figures
    earlier reports gave (see ``reported_columns``)."""
    values = _values(master, spec)
    if columns and history is not None:
        values.update(_carried(master, spec, history, columns))
    return values, _placeholders(master, spec)


def _carried(master: Master, spec: SheetSpec, history: History, columns: tuple[int, ...]) -> dict[str, object]:
    years = master.plan.years
    rows = held.carried(history, spec, master.plan.fiscal_year)[:form.FIGURE_ROWS]
    values: dict[str, object] = dict.fromkeys(carried_names(columns))
    for r, row in enumerate(rows, start=1):
        values[f"F_FIG_{r}_LABEL"] = row.label or None
        for c in columns:
            values[f"F_FIG_{r}_Y{c}"] = row.values.get(years[c - 1])
    return values


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
        "{階層名}": notes.level_name(policy),
        "{事業名}": master.project(spec.project_id).name,
        "{事業番号}": str(spec.number),
    }


def _fill(ws: Worksheet, values: dict[str, object], subs: dict[str, str], addresses: dict[str, str]) -> None:
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and "{" in cell.value:
                text: str = cell.value
                for key, sub in subs.items():
                    text = text.replace(key, sub)
                put(cell, text)
    _fill_header_footer(ws, subs)
    for name, value in values.items():
        if name in addresses:  # a template without the self-rating cells (form.RATING_NAMES)
            put(ws[addresses[name]], value)


def _header_footer_parts(ws: Worksheet) -> list[_HeaderFooterPart]:
    hf = ws.HeaderFooter
    items = (hf.oddHeader, hf.oddFooter, hf.evenHeader, hf.evenFooter, hf.firstHeader, hf.firstFooter)
    return [part for item in items if item is not None for part in (item.left, item.center, item.right)]


def _fill_header_footer(ws: Worksheet, subs: dict[str, str]) -> None:
    """The placeholders of the page header and footer (「{階層名} {施策コード} No.{事業番号}」):
    what a department knows its sheet by, never the sheet's code."""
    for part in _header_footer_parts(ws):
        if part.text and "{" in part.text:
            text: str = part.text
            for key, sub in subs.items():
                text = text.replace(key, fit.footer_text(sub))
            part.text = text


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
        "L_POLICY_LEVEL": notes.level_name(policy),
        **notes.values(master, spec),
        "L_SCALE_LEGEND": "　".join(choice_text(c) for c in choices.scale),
        "L_PARTNER_LEGEND": "　".join(choice_text(c) for c in choices.partners),
        "L_RATING_LEGEND": "　".join(f"{g.label}：{g.meaning}" for g in master.rule.grades)
        if master.rule is not None and master.project_rating else "",
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
    elif kind is Kind.RATING:
        dv = DataValidation(type="list", formula1=f"={form.LIST_RATING}", allow_blank=True)
    elif kind is Kind.AMOUNT:
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                            allow_blank=True)
    else:
        dv = DataValidation(allow_blank=True)
    if kind in (Kind.CHECK, Kind.SCALE, Kind.RATING, Kind.AMOUNT):
        dv.error = ("一覧から選んでください。" if kind is not Kind.AMOUNT
                    else "千円単位の数値（0 以上）を入力してください。「千円」や「,」は不要です。")
        dv.errorTitle = "入力できない値です"
        dv.showErrorMessage = True
    dv.promptTitle = field.label[:32]
    dv.prompt = field.prompt[:255]
    dv.showInputMessage = True
    return dv


def _validate_and_unlock(ws: Worksheet, master: Master, addresses: dict[str, str],
                         columns: tuple[int, ...] = ()) -> None:
    unused_names = unused.unused_inputs(master)
    struck: set[str] = set()
    used_rows: set[int] = set()
    reported = {f"F_FIG_{r}_Y{c}" for r in range(1, form.FIGURE_ROWS + 1) for c in columns}
    prompt = DataValidation(allow_blank=True, promptTitle="前年度までの報告値", prompt=REPORTED_PROMPT,
                            showInputMessage=True)
    rating_rows: set[int] = set()
    for field in form.INPUTS:
        if field.name not in addresses:  # a template without the self-rating cells
            continue
        rng = merged_range(ws, addresses[field.name])
        if field.name in form.RATING_NAMES and not master.project_rating:
            rating_rows |= {c.row for c in cells_of(ws, rng)}
            continue
        if field.name in unused_names:
            struck.add(field.name)
            continue
        used_rows |= {c.row for c in cells_of(ws, rng)}
        if field.name in reported:
            for cell in cells_of(ws, rng):
                cell.fill = REPORTED_FILL
            prompt.add(rng)
            continue
        for cell in cells_of(ws, rng):
            cell.protection = Protection(locked=False)
        dv = _validation(field)
        dv.add(rng)
        ws.add_data_validation(dv)
    if reported:
        ws.add_data_validation(prompt)
    unused.mark(ws, struck, addresses, used_rows)
    if rating_rows and "L_RATING_LEGEND" in addresses:
        # The self-rating block (its legend row down to its last cell) is hidden when not asked for.
        legend = cells_of(ws, merged_range(ws, addresses["L_RATING_LEGEND"]))[0].row
        for row in range(min(legend, *rating_rows), max(rating_rows) + 1):
            ws.row_dimensions[row].hidden = True
    ws.protection.sheet = True
    ws.protection.formatRows = False  # let departments heighten a row for a long text
    ws.protection.formatCells = True
    ws.protection.selectLockedCells = False


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
    if master.rule is not None:
        lists = ((form.LIST_RATING, "C", "評価", master.rule.labels),
                 (form.LIST_INDICATOR_CHOICE, "D", "定性の実績", QUALITATIVE_CHOICES),
                 (form.LIST_NO_VALUE, "E", "実績がない場合", tuple(s.value for s in Special)))
        for name, col, title, items in lists:
            put(ws[f"{col}1"], title)
            for i, item in enumerate(items, start=2):
                put(ws[f"{col}{i}"], item)
            area = f"'{form.LISTS_SHEET}'!${col}$2:${col}${len(items) + 1}"
            wb.defined_names[name] = DefinedName(name, attr_text=area)
    ws.protection.sheet = True


def _previous_sheet(wb: Workbook, year: int, rows: list[tuple[object, ...]]) -> None:
    """Last year's amounts and answers, one row per sheet, locked: for reference only (the
    reader passes over a sheet without form fields)."""
    ws = wb.create_sheet(form.PREVIOUS_SHEET)
    put(ws["A1"], f"参考：{era.long(year)}に報告された内容です（変更できません）。"
                  "今年度の回答は各シートに入力してください。")
    ws["A1"].font = Font(bold=True)
    edge = Side(style="thin")
    box = Border(left=edge, right=edge, top=edge, bottom=edge)
    for c, title in enumerate(previous_headers(year), start=1):
        cell = ws.cell(row=2, column=c)
        put(cell, title)
        cell.font, cell.border = Font(bold=True), box
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    small = Font(size=9)  # the size layout.height_for estimates for
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            put(cell, value)
            cell.border, cell.font = box, small
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if c in (3, 4):
                cell.number_format = "#,##0"
        ws.row_dimensions[r].height = previous_row_height(row)
    ws.row_dimensions[2].height = 30
    for c, width in enumerate(PREVIOUS_WIDTHS, start=1):
        ws.column_dimensions[chr(64 + c)].width = width
    ws.freeze_panes = "A3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "2:2"
    ws.protection.sheet = True


def _identity_sheet(wb: Workbook, ident: Identity) -> None:
    ws = wb.create_sheet(form.IDENTITY_SHEET)
    ws.sheet_state = "veryHidden"
    for r, row in enumerate(identity.to_rows(ident), start=1):
        for c, value in enumerate(row, start=1):
            put(ws.cell(row=r, column=c), value)
    ws.protection.sheet = True
