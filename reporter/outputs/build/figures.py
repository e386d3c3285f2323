"""Every figure of the report: the chart drawn (PNG for Word, SVG for the HTML edition), its
heading, an alternative text that states the data, and the same data as a small table.

A figure with nothing to show (no data, or every value zero or missing) is still returned, under
its name, with ``path`` None: the documents then show its table, or say there is no data."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from reporter.outputs.build import charts
from reporter.outputs.build.aggregate import Aggregates
from reporter.outputs.build.yearly import amount_text

Format = Literal["png", "svg"]
FORMATS: tuple[Format, ...] = ("png", "svg")


@dataclass(frozen=True)
class Figure:
    """One chart. ``rows`` hold the charted data as text (numbers with thousands separators):
    the first cell of a row names it (a row heading), the others are numbers."""

    name: str
    title: str  # the heading the document puts above the chart
    alt: str  # the alternative text: what the chart shows, with its data
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    path: Path | None  # the drawn file; None when there is nothing to draw


def draw(ctx: Mapping[str, Any], agg: Aggregates, folder: Path, fmt: Format) -> dict[str, Figure]:
    """Every chart the report may show, drawn into ``folder`` as ``<name>.<fmt>``: costs,
    collaboration, partners, targets, trend and one ``indicator_<ID>`` per indicator."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}; expected one of {FORMATS}")
    folder.mkdir(parents=True, exist_ok=True)
    unit = ctx["plan"]["unit"]
    made = [
        _costs([p for p in ctx["policies"] if p["depth"] == ctx["chart_depth"]], unit),
        _collaboration(ctx["collaboration"]),
        _partners(agg.partners),
        _targets(ctx["targets"]),
        _trend(ctx["trend"], unit),
        *(_indicator(i) for i in ctx["ratings"]["indicators"]),
    ]
    return {figure.name: _drawn(figure, painter, values, folder, fmt) for figure, painter, values in made}


Painter = Callable[[Path], Path]
Made = tuple[Figure, Painter | None, list[float | None]]


def _drawn(figure: Figure, painter: Painter | None, values: Sequence[float | None], folder: Path,
           fmt: Format) -> Figure:
    if painter is None or not _anything(values):
        return figure
    return replace(figure, path=painter(folder / f"{figure.name}.{fmt}"))


def _anything(values: Iterable[float | None]) -> bool:
    """Some value neither missing nor zero: an empty chart (axes of −0.04…0.04) is never drawn."""
    return any(v is not None and not math.isnan(v) and v != 0 for v in values)


def _empty(name: str, title: str, columns: tuple[str, ...]) -> Made:
    return Figure(name, title, f"{title}：表示するデータがありません。", columns, (), None), None, []


def _sentence(head: str, parts: Iterable[str]) -> str:
    return f"{head}。" + "".join(f"{p}。" for p in parts)


def _costs(top: Sequence[Mapping[str, Any]], unit: str) -> Made:
    title = "施策別の事業費（決算額と次年度予算額）"
    columns = ("施策", f"決算額（{unit}）", f"次年度予算額（{unit}）")
    if not top:
        return _empty("costs", title, columns)
    rows = tuple((f"{p['code']} {p['name']}", amount_text(p["settled"]), amount_text(p["budget"])) for p in top)
    alt = _sentence(f"施策別の決算額と次年度予算額（{unit}）", (f"{r[0]}：決算額 {r[1]}、予算額 {r[2]}" for r in rows))
    values = [v for p in top for v in (p["settled"], p["budget"])]
    return (Figure("costs", title, alt, columns, rows, None),
            lambda path: charts.costs(top, path, unit), values)


def _collaboration(rows: Sequence[Mapping[str, Any]]) -> Made:
    title = "連携の状況（回答別のシート数の割合）"
    scales = list(dict.fromkeys(r["scale"] for r in rows))
    if not scales:
        return _empty("collaboration", title, ("設問",))
    labels = [r["label"] for r in rows if r["scale"] == scales[0]]
    columns = ("設問", *(f"{label}（シート数）" for label in labels))
    table = tuple((s, *(f"{r['sheets']:,}" for r in rows if r["scale"] == s)) for s in scales)
    alt = _sentence("連携の状況について、回答ごとのシート数と割合", (
        f"{s}：" + "、".join(f"{r['label']} {r['sheets']:,}（{r['share_text']}）" for r in rows if r["scale"] == s)
        for s in scales))
    return (Figure("collaboration", title, alt, columns, table, None),
            lambda path: charts.collaboration(rows, path), [r["sheets"] for r in rows])


def _partners(rows: Sequence[Mapping[str, Any]]) -> Made:
    title = "連携の相手（連携できた相手と、連携したかったができなかった相手）"
    columns = ("連携の相手", "連携できた（シート数）", "連携したかったができなかった（シート数）")
    totals = charts.partner_totals(rows)
    if not totals:
        return _empty("partners", title, columns)
    table = tuple((name, f"{done:,}", f"{wanted:,}") for name, (done, wanted) in totals.items())
    alt = _sentence("連携の相手ごとのシート数", (
        f"{name}：連携できた {done}、連携したかったができなかった {wanted}" for name, done, wanted in table))
    values: list[float | None] = [float(v) for pair in totals.values() for v in pair]
    return (Figure("partners", title, alt, columns, table, None),
            lambda path: charts.partners(rows, path), values)


def _targets(rows: Sequence[Mapping[str, Any]]) -> Made:
    title = "事業の対象者（対象に含めたシート数）"
    columns = ("対象者", "シート数", "割合")
    if not rows:
        return _empty("targets", title, columns)
    table = tuple((r["label"], f"{r['sheets']:,}", r["share_text"]) for r in rows)
    alt = _sentence("事業の対象者ごとの、対象に含めたシート数（1枚のシートが複数の対象者を含むことがあります）",
                    ("、".join(f"{label} {sheets}（{share}）" for label, sheets, share in table),))
    return (Figure("targets", title, alt, columns, table, None),
            lambda path: charts.targets(rows, path), [r["sheets"] for r in rows])


def _trend(data: Mapping[str, Any] | None, unit: str) -> Made:
    title = "計画期間の決算額の推移（施策別）"
    if not data or not data["series"]:
        return _empty("trend", title, ("施策",))
    years = list(data["years"])
    columns = ("施策", *(f"{y}決算額（{unit}）" for y in years))
    table = tuple((f"{s['code']} {s['name']}", *(amount_text(v) for v in s["values"])) for s in data["series"])
    gaps = any(v is None for s in data["series"] for v in s["values"])
    alt = _sentence(f"施策別の決算額の推移（{unit}{'、－は記録なし' if gaps else ''}）", (
        f"{row[0]}：" + "、".join(f"{y} {v}" for y, v in zip(years, row[1:], strict=True)) for row in table))
    values = [v for s in data["series"] for v in s["values"]]
    return (Figure("trend", title, alt, columns, table, None),
            lambda path: charts.trend(data, path, unit), values)


def _indicator(ind: Mapping[str, Any]) -> Made:
    name = ind["chart"]
    title = f"{ind['id']}「{ind['name']}」の推移（灰色の四角は基準値、破線は目標値）"
    trend = ind["trend"]
    unit = trend["unit"] if trend else ind["unit"]
    columns = ("年度", f"値（{unit}）" if unit else "値")
    if not trend:
        return _empty(name, title, columns)
    rows = [(f"{trend['baseline_label']}（基準値）", charts.number(trend["baseline"])),
            *((label, charts.number(v)) for label, v in trend["points"])]
    parts = [f"基準値 {charts.number(trend['baseline'])}（{trend['baseline_label']}）",
             "、".join(f"{label} {charts.number(v)}" for label, v in trend["points"])]
    values = [trend["baseline"], *(v for _, v in trend["points"])]
    if trend["target"] is not None:
        rows.append((f"{trend['target_label']}（目標値）", charts.number(trend["target"])))
        parts.append(f"目標値 {charts.number(trend['target'])}（{trend['target_label']}）")
        values.append(trend["target"])
    head = f"{ind['id']}「{ind['name']}」の推移" + (f"（{unit}）" if unit else "")
    return (Figure(name, title, _sentence(head, parts), columns, tuple(rows), None),
            lambda path: charts.indicator(trend, path), values)
