"""Charts drawn with matplotlib and returned as SVG text for inlining.

Each SVG is cleaned so the page stays self-contained and references nothing
outside itself: no XML prolog, no metadata block, no namespace URLs (the HTML
parser puts an inline <svg> into the SVG namespace on its own).

Nothing global changes on import: the figures are ``matplotlib.figure.Figure``
objects (no pyplot, no backend choice, no figure manager), and the look
(:data:`STYLE`) applies only inside :func:`style`, around each chart. Axes
that show throughput label their ticks with matplotlib's ``EngFormatter``
(``10 M``); tables format numbers with ``fmt.si``.
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import EngFormatter, NullFormatter

#: The charts' rcParams, applied by :func:`style`.
STYLE = {
    "svg.fonttype": "none",  # text as <text>, not glyph paths: smaller pages
    "font.size": 9,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "figure.dpi": 100,
}

LINESTYLES = ("-", "--", ":", "-.")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")


@dataclass(frozen=True)
class ScalingSeries:
    """One strategy's throughput against cores (workers = cores)."""

    label: str
    host_index: int  # selects the line style: one per host
    cores: Sequence[int]
    medians: Sequence[float]
    lows: Sequence[float]  # min over repetitions, per core count
    highs: Sequence[float]  # max over repetitions


@dataclass(frozen=True)
class WorkersSeries:
    """One strategy's throughput against workers at a fixed core count."""

    label: str
    host_index: int
    workers: Sequence[int]
    medians: Sequence[float]


@dataclass(frozen=True)
class KindBar:
    """What more workers on 1 core, and more cores, buy one strategy (x, vs 1 worker on 1 core)."""

    label: str
    workers_gain: float | None  # None: not measured
    cores_gain: float | None


@contextmanager
def style() -> Iterator[None]:
    """The charts' look (:data:`STYLE`) for the figures made and saved inside it."""
    with matplotlib.rc_context(STYLE):
        yield


def to_svg(fig: Figure, chart_id: str) -> str:
    """The figure as self-contained SVG text; ``chart_id`` salts its element ids."""
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": chart_id}):  # stable, unique ids per chart
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buf.getvalue()
    svg = re.sub(r"<\?xml[^>]*\?>\s*", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", svg)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{chart_id}" ', 1)
    return svg.strip()


def line_style(i: int, host_index: int = 0) -> dict[str, str]:
    """Marker by series, line style by host."""
    return {"marker": MARKERS[i % len(MARKERS)], "linestyle": LINESTYLES[host_index % len(LINESTYLES)]}


def _log2_axis(ax: Any, ticks: Sequence[int]) -> None:
    ax.set_xscale("log", base=2)
    ax.set_xticks(ticks)
    ax.set_xticklabels([str(t) for t in ticks])
    ax.minorticks_off()


def _eng_axis(axis: Any) -> None:
    """Throughput tick labels with SI prefixes (``EngFormatter``: 2.5 M); on a
    log scale (only chosen over more than a decade) the decades only."""
    axis.set_major_formatter(EngFormatter(sep=" "))
    axis.set_minor_formatter(NullFormatter())


def scaling_chart(chart_id: str, title: str, unit: str, series: Sequence[ScalingSeries]) -> str:
    """Throughput vs cores (median, min..max error bars) and self speedup."""
    with style():
        fig = Figure(figsize=(10, 3.6))
        ax1, ax2 = fig.subplots(1, 2)
        all_cores = sorted({c for s in series for c in s.cores})
        for i, s in enumerate(series):
            if not s.cores:
                continue
            yerr = [[m - lo for m, lo in zip(s.medians, s.lows)], [hi - m for m, hi in zip(s.medians, s.highs)]]
            ax1.errorbar(s.cores, s.medians, yerr=yerr, capsize=3, label=s.label, **line_style(i, s.host_index))
            if s.cores[0] == 1 and s.medians[0]:
                speedups = [m / s.medians[0] for m in s.medians]
                ax2.plot(s.cores, speedups, label=s.label, **line_style(i, s.host_index))
        ax2.plot(all_cores, all_cores, color="grey", linewidth=0.8, linestyle="--", label="ideal")
        ax1.set_title(f"{title}: throughput")
        ax1.set_xlabel("cores (workers = cores)")
        ax1.set_ylabel(f"{unit} (median, min..max)")
        ax2.set_title("self speedup (vs own 1-core)")
        ax2.set_xlabel("cores")
        ax2.set_ylabel("speedup")
        for ax in (ax1, ax2):
            if len(all_cores) > 1:
                _log2_axis(ax, all_cores)
        # Strategies often differ by orders of magnitude (a lock per increment vs
        # a local count): a linear axis would flatten all but the fastest.
        positive = [m for s in series for m in s.medians if m and m > 0]
        if positive and max(positive) / min(positive) > 30:
            ax1.set_yscale("log")
            ax1.set_ylabel(f"{unit} (median, min..max; log scale)")
        else:
            ax1.set_ylim(bottom=0)
        _eng_axis(ax1.yaxis)
        ax2.legend(fontsize=7, loc="best")
        ax1.legend(fontsize=7, loc="best")
        fig.tight_layout()
        return to_svg(fig, chart_id)


def workers_chart(chart_id: str, title: str, unit: str, series: Sequence[WorkersSeries]) -> str:
    """Throughput vs workers at fixed cores (oversubscription view)."""
    with style():
        fig = Figure(figsize=(6.5, 3.6))
        ax = fig.subplots()
        all_workers = sorted({w for s in series for w in s.workers})
        for i, s in enumerate(series):
            ax.plot(s.workers, s.medians, label=s.label, **line_style(i, s.host_index))
        if len(all_workers) > 1:
            _log2_axis(ax, all_workers)
        ax.set_ylim(bottom=0)
        _eng_axis(ax.yaxis)
        ax.set_title(f"{title}: workers vs cores")
        ax.set_xlabel("workers")
        ax.set_ylabel(f"{unit} (median)")
        ax.legend(fontsize=7, loc="best")
        fig.tight_layout()
        return to_svg(fig, chart_id)


def kind_chart(chart_id: str, title: str, rows: Sequence[KindBar]) -> str:
    """Wait vs cpu: what more workers (1 core) and more cores buy."""
    with style():
        fig = Figure(figsize=(7, 0.5 + 0.45 * max(1, len(rows))))
        ax = fig.subplots()
        y = range(len(rows))
        ax.barh([v - 0.2 for v in y], [r.workers_gain or 0 for r in rows], height=0.38, label="more workers, 1 core")
        ax.barh([v + 0.2 for v in y], [r.cores_gain or 0 for r in rows], height=0.38, label="more cores")
        ax.axvline(1.0, color="grey", linewidth=0.8)
        ax.set_yticks(list(y))
        ax.set_yticklabels([r.label for r in rows], fontsize=7)
        ax.invert_yaxis()
        ax.set_xlabel("throughput gain (x, vs 1 worker on 1 core)")
        ax.set_title(title)
        ax.legend(fontsize=7, loc="best")
        fig.tight_layout()
        return to_svg(fig, chart_id)


def probe_chart(chart_id: str, title: str, values: Sequence[float], split: float | None) -> str:
    """Histogram of the machine-state probe's round trips (ns) of one run,
    with the near/far split marked when there is one."""
    with style():
        fig = Figure(figsize=(6.5, 2.6))
        ax = fig.subplots()
        ax.hist(values, bins=min(40, max(5, len(values) // 4)), color="#4c72b0")
        if split is not None:
            label = f"near | far split ({split:.0f} ns)"
            ax.axvline(split, color="#c44e52", linestyle="--", linewidth=1.0, label=label)
            ax.legend(fontsize=7, loc="best")
        ax.set_title(title)
        ax.set_xlabel("inter-core round trip (ns), before and after each repetition")
        ax.set_ylabel("probes")
        fig.tight_layout()
        return to_svg(fig, chart_id)
