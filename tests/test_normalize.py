"""Normalisers: table-driven cases from the seeds, and properties with hypothesis."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reporter.core import era, normalize
from reporter.core.normalize import AmountKind

TO_FULL = str.maketrans("0123456789,", "０１２３４５６７８９，")


@pytest.mark.parametrize(("raw", "kind", "value", "unit"), [
    ("1,546千円", AmountKind.OK, 1546, "千円"),
    ("10,891　千円", AmountKind.OK, 10891, "千円"),
    ("０　千円", AmountKind.OK, 0, "千円"),
    ("215,412千円", AmountKind.OK, 215412, "千円"),
    ("215,411,610円", AmountKind.OK, 215411.61, "円"),
    ("12万円", AmountKind.OK, 120, "万円"),
    (1546.0, AmountKind.OK, 1546, ""),
    (" 5686 ", AmountKind.OK, 5686, ""),
    ("▲300", AmountKind.OK, -300, ""),
    ("－", AmountKind.NONE_WORD, None, ""),
    ("―", AmountKind.NONE_WORD, None, ""),
    ("なし", AmountKind.NONE_WORD, None, ""),
    ("未定", AmountKind.NONE_WORD, None, ""),
    ("", AmountKind.EMPTY, None, ""),
    (None, AmountKind.EMPTY, None, ""),
    ("約100", AmountKind.NOT_NUMBER, None, ""),
    ("1,2,3", AmountKind.NOT_NUMBER, None, ""),
])
def test_amounts_as_they_arrive(raw: object, kind: AmountKind, value: float | None,
                                unit: str) -> None:
    result = normalize.amount(raw)
    assert (result.kind, result.number, result.unit) == (kind, value, unit)


@given(st.integers(min_value=0, max_value=10**9), st.booleans(), st.booleans(),
       st.sampled_from(["", " ", "　"]))
def test_amount_any_spelling_of_a_number_in_thousands(n: int, commas: bool, full: bool,
                                                      space: str) -> None:
    digits = f"{n:,}" if commas else str(n)
    if full:
        digits = digits.translate(TO_FULL)
    assert normalize.amount(f"{digits}{space}千円").number == n
    assert normalize.amount(digits).number == n
    assert normalize.amount(f"{n * 1000}円").number == n  # 円 is converted, and flagged by unit


@given(st.text())
def test_amount_never_raises(s: str) -> None:
    result = normalize.amount(s)
    assert (result.value is None) == (result.kind is not AmountKind.OK)


@pytest.mark.parametrize(("raw", "numbers", "none", "unknown"), [
    ("①⑧⑫", (1, 8, 12), False, ()),
    ("→ ①②④⑦⑧⑨⑩⑪⑫", (1, 2, 4, 7, 8, 9, 10, 11, 12), False, ()),
    ("⑧、⑫", (8, 12), False, ()),
    ("⑧ ⑫", (8, 12), False, ()),
    ("1,2,4", (1, 2, 4), False, ()),
    ("１，２，４", (1, 2, 4), False, ()),
    ("㉑㉒㊱", (21, 22, 36), False, ()),
    ("なし", (), True, ()),
    ("→ なし", (), True, ()),
    ("①と②", (1, 2), False, ("と",)),
    (3.0, (3,), False, ()),
])
def test_circled_number_notations(raw: object, numbers: tuple[int, ...], none: bool,
                                  unknown: tuple[str, ...]) -> None:
    result = normalize.numbers(raw)
    assert (result.numbers, result.none, result.unknown) == (numbers, none, unknown)


CIRCLED = [chr(0x2460 + i) for i in range(20)] + [chr(0x3251 + i) for i in range(15)] + \
    [chr(0x32B1 + i) for i in range(15)]


@given(st.lists(st.integers(min_value=1, max_value=50), min_size=1, max_size=12, unique=True),
       st.sampled_from(["", "、", " ", "　", ","]))
def test_circled_numbers_round_trip(ns: list[int], sep: str) -> None:
    written = sep.join(CIRCLED[n - 1] for n in ns)
    assert normalize.numbers(written).numbers == tuple(ns)
    assert normalize.numbers(",".join(map(str, ns))).numbers == tuple(ns)


@given(st.text())
def test_numbers_never_raise(s: str) -> None:
    result = normalize.numbers(s)
    assert all(isinstance(n, int) for n in result.numbers)


@pytest.mark.parametrize(("raw", "ticked"), [
    ("■", True), ("☑", True), ("✓", True), ("○", True), ("レ", True), ("〇", True),
    ("□", False), ("", False), (None, False), ("はい?", None), ("x", True),
])
def test_check_marks(raw: object, ticked: bool | None) -> None:
    assert normalize.check(raw) is ticked


@pytest.mark.parametrize(("raw", "year"), [
    ("H28", 2016), ("Ｈ28", 2016), ("平成28年度", 2016), ("令和元年度", 2019), ("R1", 2019),
    ("Ｒ2", 2020), ("令和2年度", 2020), (2020, 2020), ("2020年度", 2020), ("r 3", 2021),
    ("来年", None), ("", None), (True, None),
])
def test_eras_to_fiscal_years(raw: object, year: int | None) -> None:
    assert normalize.fiscal_year(raw) == year


@given(st.integers(min_value=1926, max_value=2100))
def test_era_labels_round_trip(year: int) -> None:
    assert normalize.fiscal_year(era.short(year)) == year
    assert normalize.fiscal_year(era.long(year)) == year
    full_width = unicodedata.normalize("NFKC", era.short(year)).translate(
        str.maketrans("0123456789RHS", "０１２３４５６７８９ＲＨＳ"))
    assert normalize.fiscal_year(full_width) == year


@pytest.mark.parametrize(("raw", "n"), [
    ("①できた", 1), ("①", 1), ("1", 1), ("１", 1), ("できた", 1), ("④必要なかった", 4),
    ("⑤", None), ("よくできた", None), ("", None),
])
def test_scale(raw: str, n: int | None) -> None:
    labels = {1: "できた", 2: "できなかった", 3: "どちらともいえない", 4: "必要なかった"}
    assert normalize.scale(raw, labels) == n


@given(st.text())
def test_text_is_idempotent(s: str) -> None:
    once = normalize.text(s)
    assert normalize.text(once) == once
    assert normalize.clean_text(normalize.clean_text(s)) == normalize.clean_text(s)


NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@given(st.text())
def test_texts_never_carry_characters_xml_cannot_hold(s: str) -> None:
    assert not NOT_XML.search(normalize.text(s))
    assert not NOT_XML.search(normalize.clean_text(s))


def _clean_text_as_specified(s: str) -> str:
    """The free-text rule spelled out step by step (clean_text takes a short cut for one line)."""
    s = s.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    s = NOT_XML.sub("", s)
    s = "\n".join(line.rstrip(" \t\u3000") for line in s.split("\n"))
    return s.strip("\n").rstrip()


@given(st.text(st.sampled_from(" \t\u3000\u00a0\r\n\x0baあ１①") | st.characters()))
def test_free_text_follows_its_rule(s: str) -> None:
    assert normalize.clean_text(s) == _clean_text_as_specified(s)


def test_control_characters_from_a_cell_are_dropped_and_line_breaks_kept() -> None:
    # python-calamine reads Excel's escape _x000B_ as a vertical tab
    assert normalize.clean_text("一行目\x0b\n二行目\x01\t続き") == "一行目\n二行目\t続き"
    assert normalize.text("できた\x0b ") == "できた"
