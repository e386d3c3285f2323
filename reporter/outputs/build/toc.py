"""The table of contents as the PDF shows it.

Word rebuilds the TOC field when the file is opened; LibreOffice's PDF export prints whatever
the field holds. So the field is filled with the document's own headings (levels 1-3) and, once
a first PDF shows where they fall, their page numbers.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.shared import Mm

TOC_LEVELS = 3
TEXT_WIDTH_MM = 170


@dataclass(frozen=True)
class Entry:
    level: int
    title: str
    page: int | None = None


def headings(document: Any) -> list[Entry]:
    found = []
    for p in document.paragraphs:
        name = p.style.name if p.style is not None else ""
        m = re.match(r"Heading (\d)$", name)
        if m and int(m.group(1)) <= TOC_LEVELS and p.text.strip():
            found.append(Entry(int(m.group(1)), p.text.strip()))
    return found


def fill(path: Path, entries: list[Entry]) -> bool:
    """Write ``entries`` as the cached result of the document's TOC field; False if none."""
    document = Document(str(path))
    anchor = next((p for p in document.paragraphs
                   if any("TOC" in (t.text or "") for t in p._p.iter(qn("w:instrText")))), None)
    if anchor is None or not entries:
        return False
    runs = list(anchor._p.iter(qn("w:r")))
    separate = next((i for i, r in enumerate(runs) if _fld(r) == "separate"), None)
    end_run = next((r for r in runs[separate or 0:] if _fld(r) == "end"), None)
    if separate is None or end_run is None:
        return False
    for r in runs[separate + 1:]:
        r.getparent().remove(r)
    base = deepcopy(anchor._p.pPr)  # each entry starts from the anchor's own formatting
    previous = anchor
    for n, entry in enumerate(entries):
        para = anchor if n == 0 else _insert_after(previous, base)
        para.paragraph_format.left_indent = Mm(5 * (entry.level - 1))
        para.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        para.add_run(f"{entry.title}\t{entry.page if entry.page is not None else ''}")
        previous = para
    previous._p.append(deepcopy(end_run))
    document.save(str(path))
    return True


def _fld(run: Any) -> str | None:
    """The type of the run's last field character (begin, separate, end), if any."""
    chars = run.findall(qn("w:fldChar"))
    return chars[-1].get(qn("w:fldCharType")) if chars else None


def _insert_after(paragraph: Any, properties: Any) -> Any:
    """A new empty paragraph after ``paragraph``, with a copy of ``properties`` (a pPr or None)."""
    from docx.oxml import OxmlElement
    from docx.text.paragraph import Paragraph

    new = OxmlElement("w:p")
    if properties is not None:
        new.append(deepcopy(properties))
    paragraph._p.addnext(new)
    return Paragraph(new, paragraph._parent)


def pages(pdf: Path, entries: list[Entry]) -> list[Entry]:
    """The page of each heading in ``pdf`` (which already shows the TOC without numbers)."""
    tool = shutil.which("pdftotext")
    if tool is None or not entries:
        return entries
    text = subprocess.run([tool, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    page_texts = [re.sub(r"\s+", "", t) for t in text.split("\f")]
    keys = [re.sub(r"\s+", "", e.title) for e in entries]
    seen = [i for i, t in enumerate(page_texts) if keys[0] in t]
    if not seen:
        return entries
    position = seen[1] if len(seen) > 1 else seen[0]  # the first is the TOC itself
    result = []
    for entry, key in zip(entries, keys, strict=True):
        found = next((i for i in range(position, len(page_texts)) if key in page_texts[i]), None)
        if found is not None:
            position = found
        result.append(Entry(entry.level, entry.title, None if found is None else found + 1))
    return result
