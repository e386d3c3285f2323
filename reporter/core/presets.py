"""Rating rules ready to use: the master's 評価基準 sheet names one in its 「プリセット」 row (and may
change any part of it in the rows below). Each follows a kind of rule that Japanese plans publish;
README lists them (tools/readme.py writes the table from here)."""

from __future__ import annotations

from reporter.core.rating import (
    ABOVE,
    BELOW,
    REACHED,
    WITHIN,
    Grade,
    Method,
    RatingRule,
    Rollup,
    Special,
)

_CODES = {Special.UNMEASURABLE: "－", Special.ENDED: "終了", Special.NOT_STARTED: "未着手"}

PRESETS: dict[str, RatingRule] = {
    "達成率4段階": RatingRule(
        "達成率4段階", Method.RATE,
        (Grade("A", "目標を達成", 100), Grade("B", "おおむね達成", 80), Grade("C", "一定の進捗", 50),
         Grade("D", "進捗が遅れている")),
        specials=_CODES, qualitative={"達成": "A", "一部達成": "C", "未達成": "D"}, rollup=Rollup.MEAN),
    "按分目標3段階": RatingRule(
        "按分目標3段階", Method.PRORATED,
        (Grade("A", "順調", 100), Grade("B", "おおむね順調", 60), Grade("C", "遅れている")),
        specials=_CODES, qualitative={"達成": "A", "一部達成": "B", "未達成": "C"}, rollup=Rollup.MEAN),
    "基準値比較5段階": RatingRule(
        "基準値比較5段階", Method.BASELINE,
        (Grade("S", "目標を達成", condition=REACHED), Grade("A", "改善", condition=ABOVE),
         Grade("B", "横ばい", condition=WITHIN), Grade("C", "後退", condition=BELOW)),
        tolerance=10.0, specials={**_CODES, Special.UNMEASURABLE: "－"},
        qualitative={"達成": "S", "一部達成": "B", "未達成": "C"}, rollup=Rollup.MODE),
}
DEFAULT = "達成率4段階"
