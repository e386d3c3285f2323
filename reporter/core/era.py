"""Japanese eras and fiscal years (年度: April to March).

A fiscal year is identified by the calendar year in which it starts: FY2019 = 令和元年度 = R1.
"""

from __future__ import annotations

from dataclasses import dataclass


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
