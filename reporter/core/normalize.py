"""Pure normalisers for Japanese input as it really arrives.

Each takes a raw cell value (str, int, float, bool, date or '') and returns a plain value or a
small result object; none raises on bad input.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from reporter.core import era

_ERA_RE = re.compile(r"^(令和|平成|昭和|[RHS])\s*(元|\d{1,2})\s*(?:年度?)?$", re.IGNORECASE)
_WESTERN_RE = re.compile(r"^(\d{4})\s*(?:年度?)?$")


# Control characters XML cannot hold: a cell may carry them (Excel's _x000B_ escape is read as a
# vertical tab); they mean nothing in a form and would break the Word and Excel outputs.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(s: str) -> str:
    """``s`` without the characters XML cannot hold (looked for only in the rare string that
    has a character that does not print)."""
    return s if s.isprintable() else _NOT_XML.sub("", s)


def unprintable(s: str) -> list[str]:
    """The characters of ``s`` that ``xml_safe`` drops."""
    return _NOT_XML.findall(s)


def text(value: object) -> str:
    """NFKC-fold and trim a cell value; None becomes ''; 1546.0 becomes '1546'."""
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return xml_safe(unicodedata.normalize("NFKC", str(value))).strip()


def clean_text(value: object) -> str:
    """A free text as the department meant it: line breaks unified, trailing spaces per line
    removed, leading paragraph indents kept, full-width characters kept."""
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = str(value)
    if s.isprintable():  # one line without tabs, odd spaces or control characters: most answers
        return s.rstrip()
    s = s.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    s = xml_safe(s)
    s = "\n".join(line.rstrip(" \t\u3000") for line in s.split("\n"))
    return s.strip("\n").rstrip()


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


# --- amounts -------------------------------------------------------------------------------

class AmountKind(StrEnum):
    OK = "ok"
    EMPTY = "empty"
    NONE_WORD = "none-word"  # 「－」「なし」「未定」 where a number belongs
    NOT_NUMBER = "not-number"


NONE_WORDS = frozenset({"-", "‐", "―", "−", "ー", "─", "なし", "無し", "無", "未定", "該当なし", "特になし",
                        "不明", "未確定", "N/A", "n/a", "NA", "-千円", "ー千円"})
_AMOUNT_RE = re.compile(r"^([▲△-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(千円|万円|円)?$")


@dataclass(frozen=True)
class Amount:
    kind: AmountKind
    value: float | None = None  # in 千円 (the plan's unit)
    unit: str = ""  # the unit written: 千円, 円, 万円 or '' (none written)
    raw: str = ""

    @property
    def number(self) -> int | float | None:
        if self.value is None:
            return None
        return int(self.value) if float(self.value).is_integer() else self.value


def amount(value: object) -> Amount:
    """「10,891　千円」 -> 10891; 「０　千円」 -> 0; 「215,411,610円」 -> 215411.61 (unit 円)."""
    if isinstance(value, bool):
        return Amount(AmountKind.NOT_NUMBER, raw=str(value))
    if isinstance(value, int | float):
        return Amount(AmountKind.OK, float(value), "", text(value))
    raw = text(value)
    s = re.sub(r"\s+", "", raw)
    if s == "":
        return Amount(AmountKind.EMPTY, raw=raw)
    if s in NONE_WORDS or s.rstrip("。") in NONE_WORDS:
        return Amount(AmountKind.NONE_WORD, raw=raw)
    m = _AMOUNT_RE.match(s)
    if not m:
        return Amount(AmountKind.NOT_NUMBER, raw=raw)
    sign = -1.0 if m.group(1) else 1.0
    number = float(m.group(2).replace(",", "") + (m.group(3) or ""))
    unit = m.group(4) or ""
    scale = {"円": 0.001, "万円": 10.0}.get(unit, 1.0)
    return Amount(AmountKind.OK, round(sign * number * scale, 3), unit, raw)


# --- circled numbers, check marks, scales --------------------------------------------------

def circled(n: int) -> str:
    """1 -> ①, 21 -> ㉑, 36 -> ㊱ (up to 50); beyond that the number in brackets."""
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)
    return f"({n})"


def circled_value(ch: str) -> int | None:
    """① -> 1 … ⑳ -> 20, ㉑ -> 21 … ㉟ -> 35, ㊱ -> 36 … ㊿ -> 50; ➀/❶ styles too."""
    code = ord(ch)
    for start, first, span in _CIRCLED:
        if start <= code < start + span:
            return first + code - start
    return 0 if ch == "⓪" else None


# (first code point, the number it stands for, how many follow): ①…⑳, ㉑…㉟, ㊱…㊿, ➀ ❶ ➊ styles, ⓫…⓴
_CIRCLED = ((0x2460, 1, 20), (0x3251, 21, 15), (0x32B1, 36, 15), (0x2776, 1, 10), (0x2780, 1, 10),
            (0x278A, 1, 10), (0x24EB, 11, 10))


@dataclass(frozen=True)
class Numbers:
    """A notation such as 「①⑧⑫」, 「⑧、⑫」, 「1,2,4」 or 「なし」."""

    numbers: tuple[int, ...] = ()
    none: bool = False  # 「なし」 written
    unknown: tuple[str, ...] = ()  # parts that are neither a number nor なし
    empty: bool = False


_SEPARATORS = re.compile(r"[\s、,，・/／;；.．。→⇒]+")
_NONE_TOKENS = frozenset({"なし", "無し", "無", "特になし", "該当なし", "ない", "-", "ー", "―", "‐"})


def numbers(value: object) -> Numbers:
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return Numbers(empty=True)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Numbers((int(value),)) if float(value).is_integer() else Numbers(unknown=(str(value),))
    raw = str(value)
    # Circled digits first: NFKC would fold ① into 1 and glue ①② into 12.
    spaced = "".join(f" {n} " if (n := circled_value(ch)) is not None else ch for ch in raw)
    found: list[int] = []
    none = False
    unknown: list[str] = []
    for token in _SEPARATORS.split(text(spaced)):
        if not token:
            continue
        if token.isdigit():
            found.append(int(token))
        elif token in _NONE_TOKENS:
            none = True
        else:
            unknown.append(token)
    return Numbers(tuple(dict.fromkeys(found)), none, tuple(unknown))


TICKED = frozenset("■☑✓✔○〇◯●レ✕×✗xXvV")
UNTICKED = frozenset("□☐")


def check(value: object) -> bool | None:
    """■ ☑ ✓ ○ レ … -> True; □ or empty -> False; anything else -> None (unreadable)."""
    if isinstance(value, bool):
        return value
    s = text(value)
    if s == "" or s in UNTICKED:
        return False
    if s in TICKED or (len(s) > 1 and s[0] in TICKED and s[0] not in "xXvV"):
        return True
    return None


def scale(value: object, labels: dict[int, str]) -> int | None:
    """「①できた」, 「①」, 「1」, 「できた」 -> 1 (given the master's labels); else None."""
    raw = "" if value is None else str(value).strip()
    if raw == "":
        return None
    first = circled_value(raw[0])
    if first is not None:
        return first if first in labels else None
    s = text(raw)
    m = re.match(r"^(\d+)", s)
    if m:
        n = int(m.group(1))
        return n if n in labels else None
    for n, label in labels.items():
        if s == text(label):
            return n
    return None


_FIGURE_RE = re.compile(r"^([▲△-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*([%％]|[^\d\s]{0,4})$")


def figure(value: object) -> float | str | None:
    """A cell of the yearly figures table: 「1,217」, 1217.0, 「48.2％」, 「54人」 -> number;
    other text stays text; empty -> None."""
    if value is None or value == "":  # most of the table, most of the time
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return float(value)
    s = text(value)
    if s == "":
        return None
    m = _FIGURE_RE.match(s)
    if not m:
        return s
    number = float(m.group(2).replace(",", "") + (m.group(3) or ""))
    return -number if m.group(1) else number
