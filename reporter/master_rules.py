"""The master's indicators (指標) and its rating rule (評価基準): read, checked against the plan
and the departments, every problem naming sheet, row and column."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from reporter.core import normalize, presets, rating, schema
from reporter.core.issues import Location
from reporter.core.model import Plan, PolicyNode
from reporter.core.rating import Direction, Grade, Indicator, Method, RatingRule, Rollup, Special
from reporter.master_sheets import (
    INDICATOR_COLUMNS,
    RULE_COLUMNS,
    SHEET_INDICATORS,
    SHEET_RULES,
    YES,
    Collector,
    Row,
    read_rows,
    required,
    unique,
)

# The issue codes this module raises (tests/test_contracts.py holds every code to one module).
CODES = (
    "master.unknown-department",
    "master.rule-unusable",
    "master.bad-bands",
)


def indicators(tables: dict[str, list[list[object]]], policies: tuple[PolicyNode, ...],
                assignments: tuple[tuple[str, str], ...], out: Collector) -> tuple[Indicator, ...]:
    if SHEET_INDICATORS not in tables:  # optional sheet
        return ()
    codes = {p.code for p in policies}
    departments = {d for _, d in assignments}
    result = []
    for r in unique(read_rows(SHEET_INDICATORS, tables, out, INDICATOR_COLUMNS), "指標ID", out):
        code = required(r, "施策コード", out)
        if code and code not in codes:
            out.add("master.unknown-policy", r.at("施策コード"), value=code)
        department = required(r, "報告担当", out)
        if department and department not in departments:
            out.add("master.unknown-department", r.at("報告担当"), value=department)
        kind = normalize.text(r.get("種類")) or "数値"
        if kind not in ("数値", "定性"):
            out.add("master.bad-value", r.at("種類"), column="種類", value=r.get("種類"),
                    hint="「数値」か「定性」を入力してください。")
        direction = normalize.text(r.get("方向")) or Direction.UP.value
        if direction not in {d.value for d in Direction}:
            out.add("master.bad-value", r.at("方向"), column="方向", value=r.get("方向"),
                    hint="「増加」「減少」「維持」のいずれかを入力してください。")
            direction = Direction.UP.value
        ind = Indicator(
            r.get("指標ID"), code, required(r, "指標名", out), department, r.get("単位"), kind == "定性",
            Direction(direction), _year(r, "基準年度", out), None, r.get("基準値"), _year(r, "目標年度", out), None,
            r.get("目標値"), (), r.get("目標設定の考え方"), r.get("備考"), r.number)
        if not ind.qualitative:
            ind = replace(ind, baseline=_measure(r, "基準値", ind.unit, out),
                          target=_measure(r, "目標値", ind.unit, out),
                          interim=_interim(r, ind.unit, out))
        result.append(ind)
    return tuple(result)


def _year(row: Row, column: str, out: Collector) -> int | None:
    raw = row.get(column)
    year = normalize.fiscal_year(raw) if raw else None
    if raw and year is None:
        out.add("master.bad-value", row.at(column), column=column, value=raw, hint=schema.YEAR_FORMS)
    return year


def _measure(row: Row, column: str, unit: str, out: Collector) -> float | None:
    raw = row.get(column)
    if not raw:
        return None
    found = rating.measure(raw, unit)
    if found.value is None:
        hint = (f"単位は「{unit}」です。数値だけ（例：85）を入力してください。" if found.problem == "unit"
                else "数値を入力してください。数で測らない指標なら「種類」を「定性」にしてください。")
        out.add("master.bad-value", row.at(column), column=column, value=raw, hint=hint)
    return found.value


def _interim(row: Row, unit: str, out: Collector) -> tuple[tuple[int, float], ...]:
    raw = normalize.text(row.get("年度別目標"))
    if not raw:
        return ()
    found = []
    for part in re.split(r"[、,;；\s]+", raw):
        year_text, _, value_text = part.partition("=")
        year = normalize.fiscal_year(year_text)
        value = rating.measure(value_text, unit).value if value_text else None
        if year is None or value is None:
            out.add("master.bad-value", row.at("年度別目標"), column="年度別目標", value=row.get("年度別目標"),
                    hint="「R3=9000、R4=9250」のように、年度=値 を「、」で区切って入力してください。")
            return ()
        found.append((year, value))
    return tuple(sorted(found))


def check_indicators(indicators: tuple[Indicator, ...], rule: RatingRule, plan: Plan | None,
                      out: Collector) -> None:
    """The rule must apply to every numeric indicator: a baseline, a target, a span to divide by."""
    for ind in indicators:
        def at(column: str, ind: Indicator = ind) -> Location:
            return Location(sheet=SHEET_INDICATORS, row=ind.row, column=column)

        if ind.qualitative:
            continue
        if ind.baseline is None and ind.baseline_text == "":
            out.add("master.rule-unusable", at("基準値"), id=ind.id, reason="基準値がありません",
                    hint="基準値を入力してください。")
        if ind.target is None and ind.target_text == "":
            out.add("master.rule-unusable", at("目標値"), id=ind.id, reason="目標値がありません",
                    hint="目標値を入力してください。")
        if ind.baseline is None or ind.target is None:
            continue
        if ind.direction is not Direction.KEEP and ind.target == ind.baseline:
            out.add("master.rule-unusable", at("目標値"), id=ind.id,
                    reason="目標値が基準値と同じで、達成率を計算できません",
                    hint="基準値を保つ目標なら「方向」を「維持」にしてください。")
        elif ind.direction is Direction.KEEP and ind.target == 0:
            out.add("master.rule-unusable", at("目標値"), id=ind.id,
                    reason="維持する目標値が 0 で、達成率を計算できません",
                    hint="目標値を確かめてください。")
        elif (ind.direction is Direction.UP and ind.target < ind.baseline) or (
                ind.direction is Direction.DOWN and ind.target > ind.baseline):
            out.add("master.rule-unusable", at("方向"), id=ind.id,
                    reason=f"方向が「{ind.direction.value}」なのに目標値が基準値の"
                           f"{'下' if ind.direction is Direction.UP else '上'}です",
                    hint="「方向」か目標値を直してください。")
        if rule.method is Method.PRORATED and not ind.interim:
            if ind.baseline_year is None or ind.target_year is None or ind.target_year <= ind.baseline_year:
                out.add("master.rule-unusable", at("目標年度"), id=ind.id,
                        reason="按分の評価には基準年度より後の目標年度が要ります",
                        hint="基準年度と目標年度を入力するか、「年度別目標」を入力してください。")
            elif plan is not None and plan.fiscal_year <= ind.baseline_year:
                out.add("master.rule-unusable", at("基準年度"), id=ind.id,
                        reason="評価年度が基準年度より後でないため、按分した目標が 0 になります",
                        hint="「年度別目標」にこの年度の目標を入力してください。")


# The rows of the 評価基準 sheet, by their 項目 (A column).
_RULE_KEYS = ("プリセット", "方式", "評価", "許容幅（％）", "測定不能", "終了", "未着手", "定性", "施策の評価",
              "施策の評価に事業を含める", "事業の自己評価")


def rule(tables: dict[str, list[list[object]]], out: Collector) -> RatingRule:
    """The rating rule: a preset, changed by the rows of the 評価基準 sheet (the default preset
    when the sheet is absent)."""
    rule = presets.PRESETS[presets.DEFAULT]
    if SHEET_RULES not in tables:
        return rule
    rows = read_rows(SHEET_RULES, tables, out, RULE_COLUMNS)
    keys = {normalize.text(k): k for k in _RULE_KEYS}
    grades: list[tuple[Row, Grade]] = []
    specials = dict(rule.specials)
    qualitative: dict[str, str] = {}
    qualitative_rows: list[tuple[Row, str]] = []
    for r in rows:
        key = keys.get(normalize.text(r.get("項目")))
        value = r.get("値")
        if key is None:
            out.add("master.bad-value", r.at("項目"), column="項目", value=r.get("項目"),
                    hint=f"{'・'.join(_RULE_KEYS)} のいずれかを入力してください。")
            continue
        if key == "プリセット":
            if value not in presets.PRESETS:
                out.add("master.bad-value", r.at("値"), column="値", value=value,
                        hint=f"プリセットは {'・'.join(presets.PRESETS)} のいずれかです。")
            else:
                rule = presets.PRESETS[value]
                specials = dict(rule.specials)
        elif key == "方式":
            if _one_of(r, [m.value for m in Method], out):
                rule = replace(rule, method=Method(value))
        elif key == "評価":
            if required(r, "値", out):
                grades.append((r, _grade(r, out)))
        elif key == "許容幅（％）":
            tolerance = normalize.amount(value).number
            if tolerance is None or tolerance < 0:
                out.add("master.bad-value", r.at("値"), column="値", value=value,
                        hint="0 以上の数値（例：10）を入力してください。")
            else:
                rule = replace(rule, tolerance=tolerance)
        elif key in ("測定不能", "終了", "未着手"):
            specials[Special(key)] = required(r, "値", out)
        elif key == "定性":
            if _one_of(r, rating.QUALITATIVE_CHOICES, out):
                qualitative[value] = r.get("条件")
                qualitative_rows.append((r, r.get("条件")))
        elif key == "施策の評価":
            if _one_of(r, [m.value for m in Rollup], out):
                rule = replace(rule, rollup=Rollup(value))
        else:
            flag = normalize.text(value).lower()
            _one_of(r, ["する", "しない"], out, accepted=flag in ON | NO)
            if key == "施策の評価に事業を含める":
                rule = replace(rule, include_projects=flag in ON)
            else:
                rule = replace(rule, project_rating=flag in ON)
    if grades:
        rule = replace(rule, grades=tuple(g for _, g in grades), name="計画マスタの評価基準")
    rule = replace(rule, specials=specials, qualitative={**rule.qualitative, **qualitative})
    _check_grades(rule, grades, out)
    for r, label in qualitative_rows:
        if label not in rule.labels:
            out.add("master.bad-value", r.at("条件"), column="条件", value=label,
                    hint=f"評価の記号（{'・'.join(rule.labels)}）のいずれかを入力してください。")
    return rule


def _one_of(row: Row, words: Sequence[str], out: Collector, accepted: bool | None = None) -> bool:
    """Whether the row's 値 is one of ``words`` (or ``accepted`` says so); else a bad-value issue
    listing them."""
    ok = row.get("値") in words if accepted is None else accepted
    if not ok:
        out.add("master.bad-value", row.at("値"), column="値", value=row.get("値"),
                hint=f"{'・'.join(f'「{w}」' for w in words)} のいずれかを入力してください。")
    return ok


ON = YES | {"する"}
NO = {"しない", "いいえ", "no", "n", "0", "false", "×", "✕", "無", "なし"}


def _grade(row: Row, out: Collector) -> Grade:
    condition = normalize.text(row.get("条件"))
    bound: float | None = None
    if condition and condition not in rating.CONDITIONS:
        bound = normalize.amount(condition.rstrip("%")).number
        if bound is None:
            out.add("master.bad-value", row.at("条件"), column="条件", value=row.get("条件"),
                    hint=f"達成率の下限（例：80）か、{'・'.join(rating.CONDITIONS)} のどれかを入力してください。")
        condition = ""
    return Grade(row.get("値"), row.get("意味"), bound, condition)


def _check_grades(rule: RatingRule, rows: list[tuple[Row, Grade]], out: Collector) -> None:
    """A scale whose bands overlap, leave a gap or repeat a label cannot rate: say which row."""
    if not rows:
        return
    seen: dict[str, int] = {}
    for r, g in rows:
        if g.label in seen:
            out.add("master.duplicate-id", r.at("値"), column="評価の記号", value=g.label, first_row=seen[g.label])
        seen.setdefault(g.label, r.number)
    if rule.method is Method.BASELINE:
        used: dict[str, int] = {}
        for r, g in rows:
            if g.condition not in rating.CONDITIONS:
                out.add("master.bad-bands", r.at("条件"), label=g.label,
                        reason=f"基準値比較の方式では、条件に {'・'.join(rating.CONDITIONS)} のどれかが要ります")
            elif g.condition in used:
                out.add("master.bad-bands", r.at("条件"), label=g.label,
                        reason=f"条件「{g.condition}」が {used[g.condition]}行目と重なっています")
            used.setdefault(g.condition, r.number)
        missing = [c for c in rating.CONDITIONS if c not in used]
        if missing:
            out.add("master.bad-bands", rows[-1][0].at("条件"), label=rows[-1][1].label,
                    reason=f"条件 {'・'.join(missing)} に当たる評価がなく、評価できない実績が残ります")
        return
    previous: tuple[Row, Grade] | None = None
    for n, (r, g) in enumerate(rows):
        last = n == len(rows) - 1
        if g.condition:
            out.add("master.bad-bands", r.at("条件"), label=g.label,
                    reason=f"{rule.method.value}の方式では、条件は達成率の下限（％）です")
        elif g.bound is None and not last:
            out.add("master.bad-bands", r.at("条件"), label=g.label,
                    reason="下限が空欄なのは最後の評価だけです（空欄の評価より下の評価に当たる実績がなくなります）")
        elif g.bound is not None and last:
            out.add("master.bad-bands", r.at("条件"), label=g.label,
                    reason=f"最後の評価の下限を空欄にしてください（{g.bound:g}%未満の実績に当たる評価がありません）")
        elif g.bound is not None and previous is not None and previous[1].bound is not None \
                and g.bound >= previous[1].bound:
            out.add("master.bad-bands", r.at("条件"), label=g.label,
                    reason=f"下限 {g.bound:g}% が {previous[0].number}行目の評価「{previous[1].label}」の下限"
                           f" {previous[1].bound:g}% 以上で、区分が重なっています（上の行ほど大きくしてください）")
        previous = (r, g)
