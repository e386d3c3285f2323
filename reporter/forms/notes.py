"""What a form sheet says of its project beyond its own cells: the policies above the sheet's own
(with the master's level names), the other placements the one sheet answers for, and the
project's classifications (分類軸). Each note sits in a row of its own, hidden when the sheet has
nothing to say there (a top-level policy, a project placed once, a plan without axes).
"""

from __future__ import annotations

from collections.abc import Mapping

from openpyxl.worksheet.worksheet import Worksheet

from reporter.core import form
from reporter.core.model import Master, PolicyNode, Project, SheetSpec
from reporter.forms.cells import cells_of, merged_range

DEFAULT_LEVEL = "施策"  # the level of a policy whose master row leaves 階層名 blank
NO_VALUE = "該当なし"  # a classification the project has no value on


def level_name(node: PolicyNode) -> str:
    return node.level or DEFAULT_LEVEL


def node_text(node: PolicyNode) -> str:
    """「施策の方向 1-1　担い手の育成」."""
    return f"{level_name(node)} {node.code}　{node.name}"


def path_text(master: Master, code: str) -> str:
    """The policies above ``code``, from the top, one line each and indented by depth; the sheet
    shows ``code``'s own policy on the row below, under its level name."""
    above = master.path(code)[:-1]
    return "\n".join(("　" * (i - 1) + "＞ " if i else "") + node_text(node) for i, node in enumerate(above))


def also_text(master: Master, spec: SheetSpec) -> str:
    """The other placements a sheet answers for, and that it answers for them all."""
    if not spec.also:
        return ""
    where = "、".join(f"{node_text(master.policy(code))}（No.{number}）" for code, number in spec.also)
    return (f"この事業は次の施策にも位置づけられています：{where}。"
            "このシート1枚で、これらの施策の分もあわせて回答してください。")


def axes_text(master: Master, project: Project) -> str:
    """One line per axis of the master: 「支援の種類：相談支援、参加支援」 (none: no text)."""
    return "\n".join(f"{axis.name}：{'、'.join(project.values_of(axis.name)) or NO_VALUE}" for axis in master.axes)


def values(master: Master, spec: SheetSpec) -> dict[str, str]:
    """The notes of a sheet by defined name ('' where there is nothing to say)."""
    return {
        "L_POLICY_PATH": path_text(master, spec.policy_code),
        "L_ALSO_PLACED": also_text(master, spec),
        "L_AXES": axes_text(master, master.project(spec.project_id)),
    }


def note_rows(ws: Worksheet, addresses: Mapping[str, str]) -> dict[str, tuple[int, ...]]:
    """The rows each note of the template may hide: the rows of its (merged) box that hold no
    other named cell (an office may have put a note beside a field)."""
    notes = [n for n in form.NOTE_NAMES if n in addresses]
    taken = {_row(address) for name, address in addresses.items() if name not in notes}
    return {name: tuple(sorted({c.row for c in cells_of(ws, merged_range(ws, addresses[name]))} - taken))
            for name in notes}


def rows_to_hide(texts: Mapping[str, object], rows: Mapping[str, tuple[int, ...]]) -> set[int]:
    """The rows of the notes that have nothing to say on this sheet."""
    return {r for name, note in rows.items() if not texts.get(name) for r in note}


def hide_empty(ws: Worksheet, texts: Mapping[str, object], addresses: Mapping[str, str]) -> None:
    for row in rows_to_hide(texts, note_rows(ws, addresses)):
        ws.row_dimensions[row].hidden = True


def _row(address: str) -> int:
    return int("".join(ch for ch in address if ch.isdigit()))
