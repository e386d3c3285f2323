"""What Excel checks when it opens a workbook, checked here without Excel: every part is
well-formed XML, has a content type and is reached by a relationship that points at it; the
workbook's sheets and sheet-local names agree; a worksheet's elements come in the order the
schema (CT_Worksheet) prescribes; comments and their drawing match. A workbook that passes
opens without Excel's repair prompt as far as these rules go."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
WORKSHEET_ORDER = (
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr", "sheetProtection",
    "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate", "customSheetViews", "mergeCells",
    "phoneticPr", "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions", "pageMargins",
    "pageSetup", "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors",
    "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF", "picture", "oleObjects", "controls",
    "webPublishItems", "tableParts", "extLst")


def problems(path: Path) -> list[str]:
    """Every breach of the rules above; an empty list for a sound workbook."""
    found: list[str] = []
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist() if not n.endswith("/")}
    trees = {}
    for name, data in parts.items():
        if name.endswith((".xml", ".rels", ".vml")):
            try:
                trees[name] = ET.fromstring(data)
            except ET.ParseError as exc:
                found.append(f"{name}: not well-formed ({exc})")
    types = trees["[Content_Types].xml"]
    overrides = {e.get("PartName", "").lstrip("/") for e in types.iter(f"{CT}Override")}
    defaults = {e.get("Extension", "").lower() for e in types.iter(f"{CT}Default")}
    for name in parts:
        if name != "[Content_Types].xml" and name not in overrides and name.rsplit(".", 1)[-1].lower() not in defaults:
            found.append(f"{name}: no content type")
    for part in overrides - set(parts):
        found.append(f"content type for a missing part {part}")
    for rels_name, tree in trees.items():
        if not rels_name.endswith(".rels"):
            continue
        folder = posixpath.dirname(posixpath.dirname(rels_name))
        ids = [r.get("Id") for r in tree.iter(f"{REL}Relationship")]
        if len(ids) != len(set(ids)):
            found.append(f"{rels_name}: an Id used twice")
        for r in tree.iter(f"{REL}Relationship"):
            if r.get("TargetMode") == "External":
                continue
            target = r.get("Target", "")
            resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(folder, target))
            if resolved not in parts:
                found.append(f"{rels_name}: {r.get('Id')} points at missing {resolved}")
    book = trees["xl/workbook.xml"]
    book_rels = {r.get("Id"): r.get("Target") for r in trees["xl/_rels/workbook.xml.rels"].iter(f"{REL}Relationship")}
    sheets = list(book.iter(f"{MAIN}sheet"))
    names = [s.get("name") for s in sheets]
    if len(set(names)) != len(names) or len({s.get("sheetId") for s in sheets}) != len(sheets):
        found.append("workbook: a sheet name or sheetId used twice")
    for s in sheets:
        if s.get(R_ID) not in book_rels:
            found.append(f"workbook: sheet {s.get('name')} has no relationship")
    for dn in book.iter(f"{MAIN}definedName"):
        local = dn.get("localSheetId")
        if local is not None and not int(local) < len(sheets):
            found.append(f"workbook: name {dn.get('name')} local to a sheet that does not exist ({local})")
    selected = 0
    for s in sheets:
        member = posixpath.normpath(posixpath.join("xl", book_rels[s.get(R_ID)]))
        tree = trees.get(member)
        if tree is None:
            continue
        order = [WORKSHEET_ORDER.index(c.tag.removeprefix(MAIN)) for c in tree if c.tag.removeprefix(MAIN)
                 in WORKSHEET_ORDER]
        if order != sorted(order):
            found.append(f"{member}: elements out of the schema's order")
        selected += sum(1 for v in tree.iter(f"{MAIN}sheetView") if v.get("tabSelected") in ("1", "true"))
        found += _comments(member, tree, trees, parts)
    if selected > 1:
        found.append(f"{selected} sheets selected at once (a group)")
    return found


def _comments(member: str, sheet: ET.Element, trees: dict[str, ET.Element], parts: dict[str, bytes]) -> list[str]:
    rels_name = f"{posixpath.dirname(member)}/_rels/{posixpath.basename(member)}.rels"
    if rels_name not in trees:
        return []
    targets = {r.get("Type", "").rsplit("/", 1)[-1]: posixpath.normpath(posixpath.join(posixpath.dirname(member),
                                                                                       r.get("Target", "")))
               for r in trees[rels_name].iter(f"{REL}Relationship")}
    if "comments" not in targets:
        return []
    comments = trees[targets["comments"]]
    refs = [c.get("ref") for c in comments.iter(f"{MAIN}comment")]
    found = []
    if sheet.find(f"{MAIN}legacyDrawing") is None or "vmlDrawing" not in targets:
        found.append(f"{member}: comments without their drawing")
    else:
        shapes = len(re.findall(rb"<x:ClientData ObjectType=\"Note\"", parts[targets["vmlDrawing"]]))
        if shapes != len(refs):
            found.append(f"{member}: {len(refs)} comments, {shapes} note shapes")
    return found
