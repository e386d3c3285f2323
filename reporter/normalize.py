"""Pure normalisers for Japanese input as it really arrives."""

from __future__ import annotations

import re
import unicodedata

from reporter import era

_ERA_RE = re.compile(r"^(令和|平成|昭和|[RHS])\s*(元|\d{1,2})\s*(?:年度?)?$", re.IGNORECASE)
_WESTERN_RE = re.compile(r"^(\d{4})\s*(?:年度?)?$")


def text(value: object) -> str:
    """NFKC-fold and trim a cell value; None becomes ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def fiscal_year(value: object) -> int | None:
    """'R2', 'Ｒ2', '令和元年度', '平成28年度', 2020, '2020年度' -> fiscal year; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and float(value).is_integer():
        year = int(value)
        return year if 1900 <= year <= 2200 else None
    s = text(value).replace(" ", "")
    if m := _WESTERN_RE.match(s):
        return int(m.group(1))
    if m := _ERA_RE.match(s):
        n = 1 if m.group(2) == "元" else int(m.group(2))
        return era.from_era(m.group(1), n) if n >= 1 else None
    return None
