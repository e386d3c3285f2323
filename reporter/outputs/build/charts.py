"""Charts for the report (matplotlib with the bundled IPAex Gothic font of matplotlib-fontja)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.ticker
import matplotlib_fontja  # noqa: F401  (registers the Japanese font and selects it)
from matplotlib.figure import Figure  # no pyplot: figures drawn straight to PNG, no GUI state

COLOURS = ["#2E75B6", "#F4B183", "#A9D18E", "#BFBFBF", "#FFD966", "#8FAADC"]
WIDTH_IN = 6.3  # fits the A4 text width with 20 mm margins
DPI = 200


def _save(fig: Any, path: Path) -> Path:
    fig.tight_layout()
    # zlib's fastest level: an eighth of the drawing time saved for a fifth more bytes (the
    # charts are flat colours; the Word file holds four of them).
    fig.savefig(path, dpi=DPI)
    return path


def collaboration(rows: Sequence[dict[str, Any]], path: Path) -> Path:
    """Both collaboration scales as 100% stacked bars."""
    scales = list(dict.fromkeys(r["scale"] for r in rows))
    labels = [r["label"] for r in rows if r["scale"] == scales[0]]
    fig = Figure(figsize=(WIDTH_IN, 2.6))
    ax = fig.subplots()
    for y, scale in enumerate(scales):
        counts = [r["sheets"] for r in rows if r["scale"] == scale]
        total = sum(counts) or 1
        left = 0.0
        for i, count in enumerate(counts):
            share = count / total * 100
            ax.barh(y, share, left=left, color=COLOURS[i % len(COLOURS)], label=labels[i] if y == 0 else None)
            if share >= 6:
                ax.text(left + share / 2, y, f"{count}", ha="center", va="center", fontsize=9)
            left += share
    ax.set_yticks(range(len(scales)), [s.replace("との", "との\n") for s in scales], fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("シート数の割合（%）。棒の中の数字はシート数", fontsize=8)
    ax.invert_yaxis()
    ax.legend(ncol=min(len(labels), 5), fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.32),
              frameon=False)
    return _save(fig, path)


def targets(rows: Sequence[dict[str, Any]], path: Path) -> Path:
    fig = Figure(figsize=(WIDTH_IN, 2.4))
    ax = fig.subplots()
    names = [r["label"] for r in rows]
    counts = [r["sheets"] for r in rows]
    bars = ax.barh(names, counts, color=COLOURS[0])
    ax.bar_label(bars, fontsize=8, padding=2)
    ax.invert_yaxis()
    ax.set_xlabel("対象に含めたシート数", fontsize=8)
    ax.tick_params(labelsize=8)
    return _save(fig, path)


def costs(rows: Sequence[dict[str, Any]], path: Path, unit: str) -> Path:
    """Settled and budget per policy of the top level shown (leaves if the tree is flat)."""
    fig = Figure(figsize=(WIDTH_IN, 2.8))
    ax = fig.subplots()
    names = [f"{r['code']} {r['name'][:14]}{'…' if len(r['name']) > 14 else ''}" for r in rows]
    settled = [r["settled"] for r in rows]
    budget = [r["budget"] for r in rows]
    y = range(len(rows))
    ax.barh([i - 0.2 for i in y], settled, height=0.4, color=COLOURS[0], label="決算額")
    ax.barh([i + 0.2 for i in y], budget, height=0.4, color=COLOURS[1], label="次年度予算額")
    ax.set_yticks(list(y), names, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(f"金額（{unit}）", fontsize=8)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(5))
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.tick_params(axis="x", labelsize=8)
    ax.legend(fontsize=8, frameon=False)
    return _save(fig, path)


def partners(rows: Sequence[dict[str, Any]], path: Path) -> Path:
    """How often each partner was worked with, and wanted but not reached, over all sheets."""
    totals: dict[str, list[int]] = {}
    for r in rows:
        key = r["label"]
        done, wanted = totals.setdefault(key, [0, 0])
        totals[key] = [done + r["done"], wanted + r["wanted"]]
    names = [n if len(n) <= 16 else n[:15] + "…" for n in totals]
    fig = Figure(figsize=(WIDTH_IN, 3.2))
    ax = fig.subplots()
    y = range(len(names))
    ax.barh([i - 0.2 for i in y], [v[0] for v in totals.values()], height=0.4, color=COLOURS[0], label="連携できた")
    ax.barh([i + 0.2 for i in y], [v[1] for v in totals.values()], height=0.4, color=COLOURS[1],
            label="連携したかったができなかった")
    ax.set_yticks(list(y), names, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("シート数", fontsize=8)
    ax.tick_params(axis="x", labelsize=8)
    ax.legend(fontsize=8, frameon=False, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.18))
    return _save(fig, path)


def trend(data: dict[str, Any], path: Path, unit: str) -> Path:
    """Settled amounts of each top-level policy over the plan years held."""
    fig = Figure(figsize=(WIDTH_IN, 3.0))
    ax = fig.subplots()
    years = data["years"]
    for i, series in enumerate(data["series"]):
        name = series["name"]
        label = f"{series['code']} {name[:22]}{'…' if len(name) > 22 else ''}"
        values = [float("nan") if v is None else v for v in series["values"]]
        ax.plot(years, values, marker="o", color=COLOURS[i % len(COLOURS)], label=label)
    ax.set_ylabel(f"決算額（{unit}）", fontsize=8)
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(5))
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.tick_params(labelsize=8)
    ax.legend(fontsize=7, frameon=False, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.12))
    return _save(fig, path)


def indicator(trend: dict[str, Any], path: Path) -> Path:
    """One indicator's run: the baseline, each year's actual and the target (a dashed line)."""
    fig = Figure(figsize=(3.4, 1.7))
    ax = fig.subplots()
    labels = [f"{trend['baseline_label']}\n基準", *(label for label, _ in trend["points"])]
    values = [trend["baseline"], *(v for _, v in trend["points"])]
    ax.plot(range(len(values)), values, marker="o", color=COLOURS[0], linewidth=1.5, markersize=4)
    ax.plot([0], [trend["baseline"]], marker="o", color=COLOURS[3], markersize=5)
    if trend["target"] is not None:
        ax.axhline(trend["target"], color=COLOURS[1], linestyle="--", linewidth=1)
        ax.annotate(f"目標 {trend['target']:,g}（{trend['target_label']}）", xy=(1, trend["target"]),
                    xycoords=("axes fraction", "data"), xytext=(-2, 3), textcoords="offset points",
                    ha="right", va="bottom", fontsize=6.5, color="#C55A11")
    ax.set_xticks(range(len(labels)), labels)
    ax.margins(x=0.08, y=0.25)
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(4))
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,g}"))
    ax.set_ylabel(trend["unit"], fontsize=7)
    ax.tick_params(labelsize=6.5)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    return path
