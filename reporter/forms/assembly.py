"""Department workbooks assembled from one prototype: the form sheet written once with openpyxl,
then copied as text for every sheet of every department.

Writing each department's workbook with openpyxl (loading the template, copying the sheet,
setting validations and protection, saving) costs about a quarter of a second; a plan of a
thousand sheets took over a minute. The sheets of a plan differ only in a few pre-filled cells
(the policy, the project, the department) and the placeholders that name the policy: the
prototype holds a marker in each of them, and a department's workbook is the prototype's parts
with the markers replaced (XML-escaped), its workbook part, relationships and content types
listing its own sheets, and its hidden identity. `writer.write_department` writes the same
workbook with openpyxl; a test holds the two equal.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from reporter.core import form, identity
from reporter.core.held import History
from reporter.core.identity import Identity, SheetIdentity
from reporter.core.model import Master, SheetSpec
from reporter.core.normalize import xml_safe
from reporter.forms import fit, notes, writer

PROTOTYPE = "PROTOTYPE"  # the prototype sheet's title
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_SHEET = f"{NS_R}/worksheet"
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


def _marker(n: int) -> str:
    return f"@@REPORTER-{n}@@"  # ASCII: written as it is, whatever the writer escapes


NUMBERS = ("F_PROJECT_NO",)  # per-sheet fields that hold a number


class PrototypeError(Exception):
    """The prototype came out unlike what the assembly expects: a change of openpyxl's output
    that this module must follow (tests/test_forms.py holds it to openpyxl's own workbooks)."""


class Forms:
    """The plan's forms: ``write(department, target)`` for each department."""

    def __init__(self, master: Master, template: writer.Template, history: History | None = None) -> None:
        self.master, self.template, self.history = master, template, history
        writer.check_template(master, template)
        self.columns = writer.reported_columns(master, history)
        values, subs = writer.sheet_values(master, master.sheets()[0])
        # (a template made before version 2 has no cells for the notes)
        self.fields = {name: _marker(i) for i, name in enumerate(writer.PER_SHEET_FIELDS)
                       if name not in NUMBERS and name in template.addresses}
        self.placeholders = {key: _marker(100 + i) for i, key in enumerate(writer.PER_SHEET_PLACEHOLDERS)}
        # Cells whose whole value differs from sheet to sheet: the project's number, and the
        # figures earlier reports gave (a number, a text or nothing).
        self.cell_markers = {name: _marker(200 + i)
                             for i, name in enumerate((*NUMBERS, *writer.carried_names(self.columns)))}
        values = {**values, **self.fields, **self.cell_markers}
        subs = {**subs, **self.placeholders}
        # Last year's answers: a row of markers that each department's rows replace.
        year = history.latest_before(master.plan.fiscal_year) if history is not None else None
        markers: tuple[object, ...] = tuple(_marker(300 + c) for c in range(len(writer.PREVIOUS_WIDTHS)))
        previous = None if year is None else (year, [markers])
        buffer = io.BytesIO()
        wb = writer.workbook(master, template, [(PROTOTYPE, values, subs)], None, self.columns, previous,
                             fit_rows=False)
        # Row heights follow each sheet's own texts (a long 概要 needs a taller row): the boxes
        # are the prototype's, their markers replaced per sheet.
        self.boxes = fit.text_boxes(wb[PROTOTYPE])
        self.heights, self.hidden, self.default_height = fit.row_heights(wb[PROTOTYPE])
        self.note_rows = notes.note_rows(wb[PROTOTYPE], template.addresses)  # hidden where a sheet has no note
        wb.save(buffer)
        with zipfile.ZipFile(buffer) as z:
            self.parts = {info.filename: z.read(info) for info in z.infolist()}
        if any(name.startswith("xl/worksheets/_rels/") for name in self.parts):
            raise PrototypeError("the prototype sheet has parts of its own")
        self._understand()

    def _understand(self) -> None:
        """Find the prototype's sheets, names and relationships."""
        book = self.parts["xl/workbook.xml"].decode()
        rels = self.parts["xl/_rels/workbook.xml.rels"].decode()
        relationship = r'<Relationship [^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"'
        targets = {m.group(2): m.group(1) for m in re.finditer(relationship, rels)}
        sheets = re.findall(r'<sheet [^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"/>', book)
        expected = [form.LISTS_SHEET, PROTOTYPE]
        if [n for n, _ in sheets] not in (expected, [*expected, form.PREVIOUS_SHEET]):
            raise PrototypeError(f"sheets {sheets}")
        member = {name: targets[rid].lstrip("/") for name, rid in sheets}
        self.lists_xml = self.parts[member[form.LISTS_SHEET]]
        self.sheet_xml = self.parts[member[PROTOTYPE]].decode()
        self.previous_xml = self.parts[member[form.PREVIOUS_SHEET]].decode() if form.PREVIOUS_SHEET in member else ""
        if self.previous_xml and not re.search(_PREVIOUS_ROW, self.previous_xml):
            raise PrototypeError("the marker row of last year's answers")
        for marker in (*self.fields.values(), *self.cell_markers.values()):  # placeholders: when used
            if f"<t>{marker}</t>" not in self.sheet_xml:
                raise PrototypeError(f"marker {marker} not written")
        names = re.findall(r'<definedName name="([^"]+)"( localSheetId="\d+")?>([^<]*)</definedName>', book)
        self.global_names = [(n, text) for n, local, text in names if not local]
        self.local_names = [(n, text.replace(f"'{PROTOTYPE}'!", "")) for n, local, text in names if local]
        if any(PROTOTYPE in text for _, text in self.global_names):
            raise PrototypeError("a workbook-wide name points into the prototype")
        self.book_head = book[:book.index("<sheets>")]
        self.book_tail = book[book.index("</definedNames>") + len("</definedNames>"):] if "</definedNames>" in book \
            else book[book.index("</sheets>") + len("</sheets>"):]
        self.other_rels = [(t, target) for t, target in re.findall(
            r'<Relationship [^>]*?Type="([^"]+)"[^>]*?Target="([^"]+)"', rels) if t != REL_SHEET]
        types = self.parts["[Content_Types].xml"].decode()
        self.types = re.sub(rf'<Override PartName="[^"]+" ContentType="{re.escape(CT_SHEET)}"/>', "", types)
        self.fixed = {name: data for name, data in self.parts.items()
                      if name not in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml")
                      and not name.startswith("xl/worksheets/")}
        # A whole-cell marker's cell is written anew per sheet, its style kept.
        self.cells: dict[str, str] = {}  # marker -> the cell's attributes
        for name, marker in self.cell_markers.items():
            address = self.template.addresses[name]
            cell = re.search(rf'<c r="{address}"([^>]*?) t="inlineStr"><is><t>{re.escape(marker)}</t></is></c>',
                             self.sheet_xml)
            if cell is None:
                raise PrototypeError(f"the cell of {name}")
            self.cells[marker] = f'r="{address}"{cell.group(1)}'
        self.cell_pattern = re.compile(
            r'<c r="[A-Z]+[0-9]+"[^>]*? t="inlineStr"><is><t>(@@REPORTER-2\d\d@@)</t></is></c>')

    def write(self, department: str, target: Path) -> None:
        master = self.master
        if master.indicators_of(department):
            # The 指標 sheet differs in rows and rules from department to department: the few
            # departments that report indicators get their workbook from openpyxl itself.
            writer.write_department(master, department, self.template, target, self.history)
            return
        specs = master.sheets_of(department)
        plan = master.plan
        fingerprint = identity.fingerprint(self.template.addresses)
        ident = Identity(form.FORM_VERSION, plan.name, plan.city, plan.fiscal_year, department,
                         tuple(SheetIdentity(s.sheet_name, s, fingerprint) for s in specs))
        previous = writer.previous_answers(master, specs, self.history) if self.previous_xml else None
        extra = [form.PREVIOUS_SHEET] if previous else []
        titles = [form.LISTS_SHEET, *(s.sheet_name for s in specs), *extra, form.IDENTITY_SHEET]
        sheets = [self.lists_xml, *(self._sheet(master, spec).encode("utf-8") for spec in specs),
                  *([_previous_xml(self.previous_xml, previous[1]).encode("utf-8")] if previous else []),
                  _identity_xml(ident).encode("utf-8")]
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", self._types(len(sheets)))
            for name, data in self.fixed.items():
                z.writestr(name, data)
            z.writestr("xl/workbook.xml", self._book(titles))
            z.writestr("xl/_rels/workbook.xml.rels", self._rels(len(sheets)))
            for n, data in enumerate(sheets, start=1):
                z.writestr(f"xl/worksheets/sheet{n}.xml", data)

    def _sheet(self, master: Master, spec: SheetSpec) -> str:
        values, subs = writer.sheet_values(master, spec, self.history, self.columns)
        by_marker = {marker: values[name] for name, marker in self.cell_markers.items()}
        xml = self.cell_pattern.sub(lambda m: _cell(self.cells[m.group(1)], by_marker[m.group(1)]), self.sheet_xml)
        for name, marker in self.fields.items():
            xml = xml.replace(f"<t>{marker}</t>", f'<t xml:space="preserve">{_text(values[name])}</t>')
        xml = _in_header_footer(xml, {marker: _text(fit.footer_text(subs[key]))
                                      for key, marker in self.placeholders.items()})
        for key, marker in self.placeholders.items():
            xml = xml.replace(marker, _text(subs[key]))
        hidden = notes.rows_to_hide(values, self.note_rows) - self.hidden
        return _with_rows(xml, self._heights(values, subs, hidden), hidden)

    def _heights(self, values: dict[str, object], subs: dict[str, str], hidden: set[int]) -> dict[int, float]:
        """The rows that this sheet's texts make taller than the prototype's (``hidden``: the rows
        this sheet hides besides the prototype's)."""
        texts = {marker: values[name] for name, marker in (*self.fields.items(), *self.cell_markers.items())}
        texts.update({marker: subs[key] for key, marker in self.placeholders.items()})
        def text(m: re.Match[str]) -> str:
            value = texts[m.group(0)]
            return "" if value is None else str(value)

        boxes = [replace(box, text=_MARKER.sub(text, box.text)) for box in self.boxes]
        return fit.fitted(boxes, self.heights, self.hidden | hidden, self.default_height)

    def _book(self, titles: list[str]) -> str:
        states = {form.LISTS_SHEET: ' state="hidden"', form.IDENTITY_SHEET: ' state="veryHidden"'}
        sheets = "".join(f'<sheet xmlns:r="{NS_R}" name={quoteattr(t)} sheetId="{n}"{states.get(t, "")} r:id="rId{n}"/>'
                         for n, t in enumerate(titles, start=1))
        names = [f'<definedName name="{n}">{text}</definedName>' for n, text in self.global_names]
        for local, title in enumerate(titles):
            if title in (form.LISTS_SHEET, form.IDENTITY_SHEET, form.PREVIOUS_SHEET):
                continue
            quoted = escape("'" + title.replace("'", "''") + "'")
            names += [f'<definedName name="{n}" localSheetId="{local}">{_with_sheet(text, quoted)}</definedName>'
                      for n, text in self.local_names]
        return f"{self.book_head}<sheets>{sheets}</sheets><definedNames>{''.join(names)}</definedNames>{self.book_tail}"

    def _rels(self, count: int) -> str:
        rels = [f'<Relationship Id="rId{n}" Type="{REL_SHEET}" Target="/xl/worksheets/sheet{n}.xml"/>'
                for n in range(1, count + 1)]
        rels += [f'<Relationship Id="rIdPart{i}" Type="{t}" Target="{target}"/>'
                 for i, (t, target) in enumerate(self.other_rels, start=1)]
        return f'<Relationships xmlns="{NS_PKG}">{"".join(rels)}</Relationships>'

    def _types(self, count: int) -> str:
        sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{CT_SHEET}"/>'
                         for n in range(1, count + 1))
        return self.types.replace("</Types>", sheets + "</Types>", 1)


_MARKER = re.compile(r"@@REPORTER-\d+@@")
_ROW = re.compile(r'<row r="(\d+)"([^>]*?)(/?)>')
_HEADER_FOOTER = re.compile(r"<headerFooter.*?</headerFooter>", re.DOTALL)


def _with_rows(sheet: str, heights: dict[int, float], hidden: set[int]) -> str:
    """The sheet's rows of ``heights`` given those heights, and its rows of ``hidden`` hidden."""
    if not heights and not hidden:
        return sheet

    def row(m: re.Match[str]) -> str:
        number = int(m.group(1))
        if number not in heights and number not in hidden:
            return m.group(0)
        attributes = m.group(2)
        if number in heights:
            attributes = re.sub(r' (ht|customHeight)="[^"]*"', "", attributes)
            attributes += f' ht="{heights[number]:g}" customHeight="1"'
        if number in hidden:
            attributes = re.sub(r' hidden="[^"]*"', "", attributes) + ' hidden="1"'
        return f'<row r="{number}"{attributes}{m.group(3)}>'

    return _ROW.sub(row, sheet)


def _in_header_footer(sheet: str, texts: dict[str, str]) -> str:
    """The sheet with the markers of its page header and footer replaced by ``texts``."""
    def replaced(m: re.Match[str]) -> str:
        part = m.group(0)
        for marker, text in texts.items():
            part = part.replace(marker, text)
        return part

    return _HEADER_FOOTER.sub(replaced, sheet, count=1)


_PREVIOUS_ROW = r'<row r="3"[^>]*>.*?</row>'
_PREVIOUS_CELL = re.compile(r'<c r="([A-Z]+)3"([^>]*?) t="inlineStr"><is><t>@@REPORTER-3(\d\d)@@</t></is></c>')


def _previous_xml(sheet: str, rows: list[tuple[object, ...]]) -> str:
    """The prototype's sheet of last year's answers with its marker row repeated for ``rows``."""
    marked = re.search(_PREVIOUS_ROW, sheet)
    assert marked is not None  # checked when the prototype was understood
    template = marked.group(0)
    out = []
    for n, row in enumerate(rows, start=3):
        line = template.replace('<row r="3"', f'<row r="{n}"', 1)
        line = re.sub(r' ht="[0-9.]+"', f' ht="{writer.previous_row_height(row)}"', line, count=1)
        def filled(m: re.Match[str], n: int = n, row: tuple[object, ...] = row) -> str:
            return _cell(f'r="{m.group(1)}{n}"{m.group(2)}', row[int(m.group(3))])

        out.append(_PREVIOUS_CELL.sub(filled, line))
    last = 2 + len(rows)
    sheet = re.sub(r'<dimension ref="A1:([A-Z]+)\d+"/>', rf'<dimension ref="A1:\g<1>{last}"/>', sheet, count=1)
    return sheet.replace(template, "".join(out), 1)


def _cell(attributes: str, value: object) -> str:
    """A cell of the prototype's style holding ``value`` as openpyxl would write it."""
    if value is None or value == "":
        return f"<c {attributes}/>"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<c {attributes} t="n"><v>{value}</v></c>'
    return f'<c {attributes} t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is></c>'


def _with_sheet(text: str, quoted: str) -> str:
    """A prototype sheet-local reference ("$E$4", "$A$1:$L$38", "$5:$5,$A:$A") on this sheet."""
    return ",".join(f"{quoted}!{part}" for part in text.split(","))


def _text(value: object) -> str:
    return escape(xml_safe(str(value)))


def _identity_xml(ident: Identity) -> str:
    rows = []
    for r, row in enumerate(identity.to_rows(ident), start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{chr(65 + c)}{r}"
            if isinstance(value, int | float) and not isinstance(value, bool):
                cells.append(f'<c r="{ref}" t="n"><v>{value}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is></c>')
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    return (f'<worksheet xmlns="{NS_MAIN}"><sheetData>{"".join(rows)}</sheetData>'
            '<sheetProtection sheet="1" objects="1" scenarios="1"/></worksheet>')
