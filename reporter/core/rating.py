"""Indicators and ratings: the rule a city rates by, as data, and the pure arithmetic that applies it.

A rule (the master's 評価基準 sheet, or one of the presets in ``presets``) names its scale (labels,
best first), the method for numeric indicators, the labels of the codes for a year without a value,
how qualitative targets map onto the scale and how a policy's rating is rolled up. Nothing here
divides by zero or lets NaN through: an achievement that cannot be computed is None and says why.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from reporter.core import normalize


class Method(StrEnum):
    RATE = "達成率"  # (actual - baseline) / (target - baseline), banded
    PRORATED = "按分達成率"  # the same against the target prorated over the years (or the interim target)
    BASELINE = "基準値比較"  # against the baseline with a tolerance, and the target


class Direction(StrEnum):
    UP = "増加"  # an increase is the aim
    DOWN = "減少"  # a decrease is the aim
    KEEP = "維持"  # keep the target (it may equal the baseline)


class Rollup(StrEnum):
    MEAN = "平均"  # the mean of the ratings' points, rounded half up
    WORST = "最低"  # the lowest rating
    MODE = "最多"  # the most frequent rating (a tie goes to the lower)


class Special(StrEnum):
    """A year without a value, and why: chosen by the department instead of a value."""

    UNMEASURABLE = "測定不能"
    ENDED = "終了"
    NOT_STARTED = "未着手"


# Conditions of the baseline method, in the order they are tried.
REACHED, ABOVE, WITHIN, BELOW = "目標以上", "基準超", "許容幅内", "基準未満"
CONDITIONS = (REACHED, WITHIN, ABOVE, BELOW)
QUALITATIVE_CHOICES = ("達成", "一部達成", "未達成")


@dataclass(frozen=True)
class Grade:
    label: str  # A, B, ◎ …
    meaning: str  # 目標を達成 …
    bound: float | None = None  # rate methods: the lowest achievement (%) of this grade; None: the rest
    condition: str = ""  # baseline method: one of CONDITIONS


@dataclass(frozen=True)
class RatingRule:
    name: str  # the preset's name, or 「計画マスタの評価基準」
    method: Method
    grades: tuple[Grade, ...]  # best first
    tolerance: float = 10.0  # % of the baseline (baseline method)
    specials: Mapping[Special, str] = field(default_factory=dict)  # code -> label shown
    qualitative: Mapping[str, str] = field(default_factory=dict)  # 達成 -> A …
    rollup: Rollup = Rollup.MEAN
    include_projects: bool = False  # a policy's rating also counts its projects' self-ratings
    project_rating: bool = False  # each project sheet carries a self-rating and its reason

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(g.label for g in self.grades)

    def special_label(self, special: Special) -> str:
        return self.specials.get(special, "－")

    def points(self, label: str) -> int | None:
        """A grade's points: the best has as many as there are grades, the last one."""
        return len(self.grades) - self.labels.index(label) if label in self.labels else None


@dataclass(frozen=True)
class Indicator:
    id: str
    policy_code: str
    name: str
    department: str  # 報告担当: the department whose workbook carries it
    unit: str = ""
    qualitative: bool = False
    direction: Direction = Direction.UP
    baseline_year: int | None = None
    baseline: float | None = None  # numeric indicators
    baseline_text: str = ""  # as the plan writes it
    target_year: int | None = None
    target: float | None = None
    target_text: str = ""
    interim: tuple[tuple[int, float], ...] = ()  # (year, target) set by the plan
    rationale: str = ""
    note: str = ""
    row: int = 0  # its row in the master (for messages)


@dataclass(frozen=True)
class Actual:
    """This year's answer for an indicator, as the check normalised it."""

    value: float | None = None  # numeric
    choice: str = ""  # qualitative: 達成 / 一部達成 / 未達成
    special: Special | None = None  # no value, and why
    explanation: str = ""

    @property
    def given(self) -> bool:
        return self.value is not None or bool(self.choice) or self.special is not None


@dataclass(frozen=True)
class Rated:
    label: str  # "" when there is nothing to rate
    achievement: float | None = None  # %, None when not computed
    goal: float | None = None  # the value measured against (the target, or this year's prorated target)
    basis: str = ""  # how the rating was reached, in Japanese


def goal(rule: RatingRule, ind: Indicator, year: int) -> float | None:
    """What ``year``'s actual is measured against: the final target, or under the prorated
    method the plan's interim target for the year, else the target prorated linearly."""
    if ind.target is None:
        return None
    if rule.method is not Method.PRORATED:
        return ind.target
    interim = dict(ind.interim)
    if year in interim:
        return interim[year]
    if ind.baseline is None or ind.baseline_year is None or ind.target_year is None:
        return None
    span = ind.target_year - ind.baseline_year
    if span <= 0 or year >= ind.target_year:
        return ind.target
    share = max(0, year - ind.baseline_year) / span
    return ind.baseline + (ind.target - ind.baseline) * share


def achievement(ind: Indicator, actual: float, against: float | None) -> float | None:
    """(actual − baseline) ÷ (goal − baseline) in %; for a kept target, actual ÷ goal. None
    where it cannot be computed (no goal, no baseline, a zero span)."""
    if against is None or not math.isfinite(actual):
        return None
    if ind.direction is Direction.KEEP:
        return actual / against * 100 if against else None
    if ind.baseline is None or against == ind.baseline:
        return None
    value = (actual - ind.baseline) / (against - ind.baseline) * 100
    return value if math.isfinite(value) else None


def rate(rule: RatingRule, ind: Indicator, answer: Actual | None, year: int) -> Rated:
    """The indicator's rating for ``year`` by ``rule``."""
    if answer is None or not answer.given:
        return Rated("", basis="未報告")
    if answer.special is not None:
        return Rated(rule.special_label(answer.special), basis=answer.special.value)
    if ind.qualitative:
        label = rule.qualitative.get(answer.choice, "")
        return Rated(label, basis=answer.choice)
    assert answer.value is not None
    against = goal(rule, ind, year)
    rate_ = achievement(ind, answer.value, against)
    if rule.method is Method.BASELINE:
        condition = _condition(rule, ind, answer.value)
        grade = next((g for g in rule.grades if g.condition == condition), None)
        return Rated(grade.label if grade else "", rate_, against, condition)
    if rate_ is None:
        return Rated("", None, against, "達成率を計算できません")
    grade = next((g for g in rule.grades if g.bound is None or rate_ >= g.bound - 1e-9), None)
    return Rated(grade.label if grade else "", rate_, against, f"達成率 {percent(rate_)}")


def _condition(rule: RatingRule, ind: Indicator, actual: float) -> str:
    sign = -1.0 if ind.direction is Direction.DOWN else 1.0
    if ind.target is not None and sign * (actual - ind.target) >= 0:
        return REACHED
    base = ind.baseline if ind.baseline is not None else 0.0
    if abs(actual - base) <= abs(base) * rule.tolerance / 100 + 1e-9:
        return WITHIN
    return ABOVE if sign * (actual - base) > 0 else BELOW


def rollup(rule: RatingRule, labels: Iterable[str]) -> str:
    """A policy's rating from the ratings below it (codes and blanks left out); "" for none."""
    rated = [label for label in labels if label in rule.labels]
    if not rated:
        return ""
    worst = max(rated, key=rule.labels.index)
    if rule.rollup is Rollup.WORST:
        return worst
    if rule.rollup is Rollup.MODE:
        counts = Counter(rated)
        top = max(counts.values())
        return max((label for label, n in counts.items() if n == top), key=rule.labels.index)
    mean = sum(rule.points(label) or 0 for label in rated) / len(rated)
    points = math.floor(mean + 0.5)
    return rule.labels[len(rule.labels) - points]


def counts(rule: RatingRule, labels: Iterable[str]) -> dict[str, int]:
    """How many of each grade and code (every grade listed, zero included)."""
    found = Counter(labels)
    shown = (*rule.labels, *dict.fromkeys(rule.special_label(s) for s in Special))
    return {label: found.get(label, 0) for label in shown}


def percent(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "－"
    return f"{value:,.0f}%" if abs(value) >= 10 else f"{value:,.1f}%"


def number_text(value: float | None, unit: str = "") -> str:
    if value is None or not math.isfinite(value):
        return "－"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text}{unit}" if unit else text


def describe(rule: RatingRule) -> tuple[str, ...]:
    """The rule in plain Japanese, printed in the report so a reader can follow every rating."""
    lines: list[str] = []
    if rule.method is Method.BASELINE:
        lines.append(f"指標の評価：実績値を基準値と目標値に照らして、次のとおり区分します（許容幅は基準値の±{rule.tolerance:g}%）。")
        words = {REACHED: "目標値に達した", ABOVE: "基準値より改善した（許容幅を超えて）",
                 WITHIN: "基準値の許容幅の中にある", BELOW: "基準値より悪化した（許容幅を超えて）"}
        lines += [f"{g.label}：{g.meaning}（{words.get(g.condition, g.condition)}）" for g in rule.grades]
    else:
        against = ("計画期間の各年度に按分した目標値（計画に年度別の目標があるときはその値）"
                   if rule.method is Method.PRORATED else "目標値")
        lines.append(f"指標の評価：達成率＝（実績値－基準値）÷（{against}－基準値）×100 を求め、次のとおり区分します。"
                     "減少を目指す指標も同じ式で、減った割合が達成率になります。"
                     "目標が基準値の維持であるときは、実績値÷目標値×100 です。")
        previous: float | None = None
        for g in rule.grades:
            if g.bound is None:
                span = f"{previous:g}%未満" if previous is not None else "すべて"
            else:
                span = f"{g.bound:g}%以上" + (f"{previous:g}%未満" if previous is not None else "")
            lines.append(f"{g.label}：{g.meaning}（達成率 {span}）")
            previous = g.bound
    if rule.qualitative:
        pairs = "、".join(f"{k}は{v}" for k, v in rule.qualitative.items())
        lines.append(f"数値でない目標（全校での実施など）：{pairs}。")
    lines.append("値のない年度：" + "、".join(f"{s.value}は「{rule.special_label(s)}」" for s in Special)
                 + "とし、施策の評価には含めません。")
    what = "指標と事業の自己評価" if rule.include_projects else "指標"
    n = len(rule.grades)
    how = {Rollup.MEAN: f"の評価を点数（{'、'.join(f'{g.label}＝{n - i}' for i, g in enumerate(rule.grades))}）に"
                        "置き換えて平均し、四捨五入した点数の評価とします。",
           Rollup.WORST: "の評価のうち、最も低いものとします。",
           Rollup.MODE: "の評価のうち、最も多いものとします（同数のときは低い方）。"}[rule.rollup]
    lines.append(f"施策の評価：その施策と下位の施策に属する{what}{how}")
    if rule.project_rating:
        lines.append(f"事業の自己評価：担当課が各事業を {'・'.join(rule.labels)} で評価し、その理由を記入します。")
    return tuple(lines)



_MEASURE_RE = re.compile(r"^([▲△-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(.*)$")
NOT_DONE = frozenset({"未実施", "実施なし", "なし"})  # a baseline never done: 0


@dataclass(frozen=True)
class Measured:
    value: float | None
    problem: str = ""  # "" / "empty" / "not-number" / "unit"
    written_unit: str = ""  # the unit written after the number, when it is not the indicator's


def measure(raw: object, unit: str) -> Measured:
    """A value in the indicator's unit: 85, 「85」, 「８５％」 (percent), 「8,000人」 (人) -> a number;
    「85件」 for a percent indicator is the wrong unit; words are not numbers."""
    if raw is None or raw == "":
        return Measured(None, "empty")
    if isinstance(raw, bool):
        return Measured(None, "not-number")
    if isinstance(raw, int | float):
        return Measured(float(raw)) if math.isfinite(raw) else Measured(None, "not-number")
    s = normalize.text(raw)
    if s == "":
        return Measured(None, "empty")
    if s in NOT_DONE:
        return Measured(0.0)
    m = _MEASURE_RE.match(s)
    if not m:
        return Measured(None, "not-number")
    number = float(m.group(2).replace(",", "") + (m.group(3) or ""))
    number = -number if m.group(1) else number
    written = m.group(4).strip()
    if written and written != normalize.text(unit):
        return Measured(None, "unit", written)
    return Measured(number)
