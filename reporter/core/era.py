"""Japanese eras and fiscal years (年度: April to March).

A fiscal year is identified by the calendar year in which it starts: FY2019 = 令和元年度 = R1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Era:
    name: str  # 令和
    letter: str  # R
    first_fiscal_year: int  # fiscal year numbered 1 (元年度)


# Fiscal years are named by the era in force at their start (1 April); FY2019 began under
# Heisei but is by custom called 令和元年度, so Reiwa counts fiscal years from 2019.
ERAS: tuple[Era, ...] = (
    Era("令和", "R", 2019),
    Era("平成", "H", 1989),
    Era("昭和", "S", 1926),
)


def era_of(fiscal_year: int) -> tuple[Era, int]:
    for era in ERAS:
        if fiscal_year >= era.first_fiscal_year:
            return era, fiscal_year - era.first_fiscal_year + 1
    raise ValueError(f"fiscal year before Showa: {fiscal_year}")


def short(fiscal_year: int) -> str:
    """FY2016 -> 'H28', FY2019 -> 'R1'."""
    era, n = era_of(fiscal_year)
    return f"{era.letter}{n}"


def long(fiscal_year: int) -> str:
    """FY2016 -> '平成28年度', FY2019 -> '令和元年度'."""
    era, n = era_of(fiscal_year)
    return f"{era.name}{'元' if n == 1 else n}年度"


def from_era(letter_or_name: str, n: int) -> int:
    for era in ERAS:
        if letter_or_name.upper() in (era.letter, era.name):
            return era.first_fiscal_year + n - 1
    raise ValueError(f"unknown era: {letter_or_name}")


# The days each era began (a calendar date, unlike fiscal years, changes era on this day).
ERA_DAYS: tuple[tuple[str, date], ...] = (
    ("令和", date(2019, 5, 1)),
    ("平成", date(1989, 1, 8)),
    ("昭和", date(1926, 12, 25)),
)


def date_text(day: date) -> str:
    """2026-12-02 -> '令和8年12月2日'; the first year of an era is 元年."""
    for name, first in ERA_DAYS:
        if day >= first:
            n = day.year - first.year + 1
            return f"{name}{'元' if n == 1 else n}年{day.month}月{day.day}日"
    raise ValueError(f"date before Showa: {day}")
