"""Charts for the report (matplotlib with the bundled IPAex Gothic font of matplotlib-fontja).

Each chart is drawn without a title: the document puts the figure's heading above it. Labels are
never cut: long ones wrap onto several lines and the figure grows to fit them. The colours are
the Okabe-Ito palette (told apart with colour-blindness), paired so that neighbours also differ
in lightness when printed in grey. The format follows the target's suffix (.png for Word, .svg
for the HTML edition)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.ticker
import matplotlib_fontja  # noqa: F401  (registers the Japanese font and selects it)
from matplotlib.axes import Axes
from matplotlib.figure import Figure  # no pyplot: figures drawn straight to a file, no GUI state

from reporter import atomic

# Okabe-Ito: blue, orange, sky blue, vermillion, bluish green, reddish purple, yellow, grey.
COLOURS = ["#0072B2", "#E69F00", "#56B4E9", "#D55E00", "#009E73", "#CC79A7", "#F0E442", "#999999"]
LINE_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#999999"]  # no pale ones
TARGET_COLOUR = "#D55E00"
BASELINE_COLOUR = "#666666"
WIDTH_IN = 6.3  # fits the A4 text width with 20 mm margins
DPI = 200
FONT_PT = 8
LINE_IN = FONT_PT * 1.3 / 72  # one line of a tick label
# A label's width in half-width columns before it wraps (a full-width character counts two).
LABEL_COLUMNS = 26
LEGEND_COLUMNS = 34
# Never at the start of a line (Japanese line breaking rule, kinsoku).
_NO_LINE_START = set("、。，．,.)）」』】〕］｝〉》ー々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ・：；！？")


def columns(text: str) -> int:
    """The width of ``text`` in half-width columns: full-width and wide characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "FWA" else 1 for c in text)


def wrap(text: str, width: int = LABEL_COLUMNS) -> str:
    """``text`` broken into lines of at most ``width`` columns (a closing mark may overhang by one
    character rather than start a line); the text is kept whole."""
    lines: list[str] = []
    line = ""
    for char in text:
        if line and columns(line + char) > width and char not in _NO_LINE_START:
            lines.append(line.rstrip())
            line = char.lstrip()
        else:
            line += char
    lines.append(line)
    return "\n".join(x for x in lines if x)


def number(value: float) -> str:
    """A number with thousands separators: whole numbers without decimals, others with up to two."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _lines(labels: Sequence[str]) -> int:
    return max((label.count("\n") + 1 for label in labels), default=1)


def _save(fig: Figure, path: Path, dpi: int = DPI) -> Path:
    fmt = path.suffix.lstrip(".").lower() or "png"
    # A fixed salt and no date: the same data draws the same SVG.
    metadata: dict[str, Any] = {"Date": None} if fmt == "svg" else {}
    with matplotlib.rc_context({"svg.hashsalt": "reporter", "svg.fonttype": "path"}):
        atomic.write_with(path, lambda tmp: fig.savefig(tmp, dpi=dpi, format=fmt, metadata=metadata))
    return path


def _frame(ax: Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=FONT_PT)


def _amount_axis(axis: Any) -> None:
    axis.set_major_locator(matplotlib.ticker.MaxNLocator(5))
    axis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))


def _text_colour(hex_colour: str) -> str:
    """Black or white, whichever contrasts more with the bar (WCAG's relative luminance)."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(hex_colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "black" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "white"


def _rows(names: Sequence[str], minimum: float) -> tuple[list[float], float]:
    """Each category's centre and the total height (inches): a row is as tall as its label."""
    centres: list[float] = []
    top = 0.0
    for name in names:
        height = max(minimum, (name.count("\n") + 1) * LINE_IN + 0.1)
        centres.append(top + height / 2)
        top += height
    return centres, top


def _category_axes(names: Sequence[str], minimum: float, extra: float) -> tuple[Figure, Axes, list[float]]:
    """A figure of horizontal bars, one row per name, tall enough for every wrapped label (the
    y axis counts inches, so a bar's thickness is given in inches too)."""
    centres, total = _rows(names, minimum)
    fig = Figure(figsize=(WIDTH_IN, total + extra), layout="constrained")
    ax = fig.subplots()
    ax.set_yticks(centres, names)
    ax.set_ylim(total, 0)
    _frame(ax)
    return fig, ax, centres


def collaboration(rows: Sequence[Mapping[str, Any]], path: Path) -> Path:
    """Both collaboration scales as 100% stacked bars, the sheet counts inside."""
    scales = list(dict.fromkeys(r["scale"] for r in rows))
    labels = [r["label"] for r in rows if r["scale"] == scales[0]]
    fig, ax, centres = _category_axes([wrap(s, 20) for s in scales], minimum=0.55, extra=1.0)
    for n, (y, scale) in enumerate(zip(centres, scales, strict=True)):
        counts = [r["sheets"] for r in rows if r["scale"] == scale]
        total = sum(counts) or 1
        left = 0.0
        for i, count in enumerate(counts):
            share = count / total * 100
            colour = COLOURS[i % len(COLOURS)]
            ax.barh(y, share, height=0.4, left=left, color=colour, edgecolor="white", linewidth=0.8,
                    label=labels[i] if n == 0 else None)
            if share >= 6:
                ax.text(left + share / 2, y, f"{count:,}", ha="center", va="center", fontsize=FONT_PT,
                        color=_text_colour(colour))
            left += share
    ax.set_xlim(0, 100)
    ax.set_xlabel("シート数の割合（%）。棒の中の数字はシート数", fontsize=FONT_PT)
    fig.legend(ncols=min(len(labels), 5), fontsize=FONT_PT - 1, loc="outside lower center", frameon=False)
    return _save(fig, path)


def targets(rows: Sequence[Mapping[str, Any]], path: Path) -> Path:
    fig, ax, centres = _category_axes([wrap(r["label"]) for r in rows], minimum=0.3, extra=0.55)
    counts = [r["sheets"] for r in rows]
    bars = ax.barh(centres, counts, height=0.22, color=COLOURS[0])
    ax.bar_label(bars, labels=[f"{c:,}" for c in counts], fontsize=FONT_PT, padding=2)
    ax.set_xlim(0, max(counts, default=0) * 1.1 or 1)
    ax.set_xlabel("対象に含めたシート数", fontsize=FONT_PT)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    return _save(fig, path)


def _paired_bars(names: Sequence[str], first: Sequence[float], second: Sequence[float],
                 labels: tuple[str, str]) -> tuple[Figure, Axes]:
    """Two bars per row (the first above), the legend below the chart."""
    fig, ax, centres = _category_axes(names, minimum=0.42, extra=0.85)
    ax.barh([c - 0.09 for c in centres], first, height=0.18, color=COLOURS[0], label=labels[0])
    ax.barh([c + 0.09 for c in centres], second, height=0.18, color=COLOURS[1], label=labels[1])
    fig.legend(ncols=2, fontsize=FONT_PT, loc="outside lower center", frameon=False)
    return fig, ax


def costs(rows: Sequence[Mapping[str, Any]], path: Path, unit: str) -> Path:
    """Settled and budget per policy of the top level shown (leaves if the tree is flat)."""
    fig, ax = _paired_bars([wrap(f"{r['code']} {r['name']}") for r in rows], [r["settled"] for r in rows],
                           [r["budget"] for r in rows], ("決算額", "次年度予算額"))
    ax.set_xlabel(f"金額（{unit}）", fontsize=FONT_PT)
    _amount_axis(ax.xaxis)
    return _save(fig, path)


def partner_totals(rows: Sequence[Mapping[str, Any]]) -> dict[str, tuple[int, int]]:
    """Per partner, over all policies: sheets that worked with it, and that wanted to but could not."""
    totals: dict[str, tuple[int, int]] = {}
    for r in rows:
        done, wanted = totals.get(r["label"], (0, 0))
        totals[r["label"]] = (done + r["done"], wanted + r["wanted"])
    return totals


def partners(rows: Sequence[Mapping[str, Any]], path: Path) -> Path:
    """How often each partner was worked with, and wanted but not reached, over all sheets."""
    totals = partner_totals(rows)
    fig, ax = _paired_bars([wrap(n, 30) for n in totals], [v[0] for v in totals.values()],
                           [v[1] for v in totals.values()], ("連携できた", "連携したかったができなかった"))
    ax.set_xlabel("シート数", fontsize=FONT_PT)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    return _save(fig, path)


MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]  # told apart without colour


def trend(data: Mapping[str, Any], path: Path, unit: str) -> Path:
    """Settled amounts of each top-level policy over the plan years held."""
    series = data["series"]
    labels = [wrap(f"{s['code']} {s['name']}", LEGEND_COLUMNS) for s in series]
    legend_rows = (len(series) + 1) // 2 * _lines(labels)
    fig = Figure(figsize=(WIDTH_IN, 2.6 + legend_rows * LINE_IN), layout="constrained")
    ax = fig.subplots()
    years = data["years"]
    for i, (one, label) in enumerate(zip(series, labels, strict=True)):
        values = [float("nan") if v is None else v for v in one["values"]]
        ax.plot(years, values, marker=MARKERS[i % len(MARKERS)], color=LINE_COLOURS[i % len(LINE_COLOURS)],
                label=label)
    ax.set_ylabel(f"決算額（{unit}）", fontsize=FONT_PT)
    _amount_axis(ax.yaxis)
    ax.margins(x=0.1)
    _frame(ax)
    fig.legend(fontsize=FONT_PT - 1, frameon=False, ncols=2, loc="outside lower center")
    return _save(fig, path)


def indicator(trend: Mapping[str, Any], path: Path) -> Path:
    """One indicator's run: the baseline, each year's actual and the target (a dashed line)."""
    fig = Figure(figsize=(3.4, 1.8), layout="constrained")
    ax = fig.subplots()
    labels = [f"{trend['baseline_label']}\n基準", *(label for label, _ in trend["points"])]
    values = [trend["baseline"], *(v for _, v in trend["points"])]
    ax.plot(range(len(values)), values, marker="o", color=COLOURS[0], linewidth=1.5, markersize=4)
    ax.plot([0], [trend["baseline"]], marker="s", color=BASELINE_COLOUR, markersize=5)
    if trend["target"] is not None:
        ax.axhline(trend["target"], color=TARGET_COLOUR, linestyle="--", linewidth=1)
        ax.annotate(f"目標 {number(trend['target'])}（{trend['target_label']}）", xy=(1, trend["target"]),
                    xycoords=("axes fraction", "data"), xytext=(-2, 3), textcoords="offset points",
                    ha="right", va="bottom", fontsize=6.5, color="#A63F00")
    ax.set_xticks(range(len(labels)), labels)
    ax.margins(x=0.08, y=0.25)
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(4))
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: number(v)))
    ax.set_ylabel(trend["unit"], fontsize=7)
    _frame(ax)
    ax.tick_params(labelsize=6.5)
    return _save(fig, path, dpi=150)
