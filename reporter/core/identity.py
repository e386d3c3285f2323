"""The hidden identity every generated workbook carries, and the layout fingerprint.

It lets a returned workbook be recognised by content: which plan, fiscal year and department
it was made for, which (project, policy, department) each sheet holds, and whether the layout
of a sheet (where its defined names point) is still the one it was generated with.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reporter.core import form
from reporter.core.model import SheetSpec


@dataclass(frozen=True)
class SheetIdentity:
    sheet_name: str
    spec: SheetSpec
    fingerprint: str


@dataclass(frozen=True)
class Identity:
    form_version: str
    plan_name: str
    city: str
    fiscal_year: int
    department: str
    sheets: tuple[SheetIdentity, ...]


_FIELD_ORDER = tuple(sorted(form.BY_NAME, key=lambda name: f"{name}="))


def fingerprint(addresses: Mapping[str, str]) -> str:
    """Digest of where each field of one sheet lives; rows inserted or cells moved change it."""
    lines = [f"{name}={addresses.get(name, '')}" for name in _FIELD_ORDER]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def to_rows(identity: Identity) -> list[list[object]]:
    rows: list[list[object]] = [
        ["marker", form.FORM_MARKER],
        ["form_version", identity.form_version],
        ["plan_name", identity.plan_name],
        ["city", identity.city],
        ["fiscal_year", identity.fiscal_year],
        ["department", identity.department],
    ]
    for s in identity.sheets:
        rows.append(["sheet", s.sheet_name, s.spec.project_id, s.spec.policy_code,
                     s.spec.number, s.spec.department, s.fingerprint])
    return rows


def from_rows(rows: Sequence[Sequence[object]]) -> Identity | None:
    """Parse the identity sheet; None when it is not one of ours or is damaged."""
    values: dict[str, str] = {}
    sheets: list[SheetIdentity] = []
    try:
        for row in rows:
            cells = [_s(c) for c in row]
            if not cells or not cells[0]:
                continue
            if cells[0] == "sheet":
                spec = SheetSpec(cells[2], cells[3], int(float(cells[4])), cells[5])
                sheets.append(SheetIdentity(cells[1], spec, cells[6]))
            else:
                values[cells[0]] = cells[1] if len(cells) > 1 else ""
        if values.get("marker") != form.FORM_MARKER:
            return None
        return Identity(values["form_version"], values["plan_name"], values["city"],
                        int(float(values["fiscal_year"])), values["department"], tuple(sheets))
    except (KeyError, IndexError, ValueError):
        return None


def _s(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)
