"""Charts drawn with matplotlib and returned as SVG text for inlining.

Each SVG is cleaned so the page stays self-contained and references nothing
outside itself: no XML prolog, no metadata block, no namespace URLs (the HTML
parser puts an inline <svg> into the SVG namespace on its own).
"""
from __future__ import annotations

import io
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

plt.rcParams.update({
    "svg.fonttype": "none",  # text as <text>, not glyph paths: smaller pages
    "font.size": 9,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "figure.dpi": 100,
})

_LINESTYLES = ("-", "--", ":", "-.")
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")


def _to_svg(fig, chart_id: str) -> str:
    buf = io.StringIO()
    with plt.rc_context({"svg.hashsalt": chart_id}):  # stable, unique ids per chart
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    svg = buf.getvalue()
    svg = re.sub(r"<\?xml[^>]*\?>\s*", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", svg)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{chart_id}" ', 1)
    return svg.strip()


def _log2_axis(ax, ticks):
    ax.set_xscale("log", base=2)
    ax.set_xticks(ticks)
    ax.set_xticklabels([str(t) for t in ticks])
    ax.minorticks_off()


def _style(i: int, host_index: int = 0) -> dict:
    return {"marker": _MARKERS[i % len(_MARKERS)], "linestyle": _LINESTYLES[host_index % len(_LINESTYLES)]}


def scaling_chart(chart_id: str, title: str, unit: str, series) -> str:
    """Throughput vs cores (median, min..max error bars) and self speedup.

    series: list of (label, host_index, cores, medians, lows, highs)."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.6))
    all_cores = sorted({c for s in series for c in s[2]})
    for i, (label, host_i, cores, med, low, high) in enumerate(series):
        if not cores:
            continue
        yerr = [[m - lo for m, lo in zip(med, low)], [hi - m for m, hi in zip(med, high)]]
        ax1.errorbar(cores, med, yerr=yerr, capsize=3, label=label, **_style(i, host_i))
        if cores[0] == 1 and med[0]:
            ax2.plot(cores, [m / med[0] for m in med], label=label, **_style(i, host_i))
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
    positive = [m for s in series for m in s[3] if m and m > 0]
    if positive and max(positive) / min(positive) > 30:
        ax1.set_yscale("log")
        ax1.set_ylabel(f"{unit} (median, min..max; log scale)")
    else:
        ax1.set_ylim(bottom=0)
    ax2.legend(fontsize=7, loc="best")
    ax1.legend(fontsize=7, loc="best")
    fig.tight_layout()
    return _to_svg(fig, chart_id)


def workers_chart(chart_id: str, title: str, unit: str, series) -> str:
    """Throughput vs workers at fixed cores (oversubscription view).

    series: list of (label, host_index, workers, medians)."""
    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    all_workers = sorted({w for s in series for w in s[2]})
    for i, (label, host_i, workers, med) in enumerate(series):
        ax.plot(workers, med, label=label, **_style(i, host_i))
    if len(all_workers) > 1:
        _log2_axis(ax, all_workers)
    ax.set_ylim(bottom=0)
    ax.set_title(f"{title}: workers vs cores")
    ax.set_xlabel("workers")
    ax.set_ylabel(f"{unit} (median)")
    ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    return _to_svg(fig, chart_id)


def kind_chart(chart_id: str, title: str, rows) -> str:
    """Wait vs cpu: what more workers (1 core) and more cores buy.

    rows: list of (label, workers_gain or None, cores_gain or None)."""
    fig, ax = plt.subplots(figsize=(7, 0.5 + 0.45 * max(1, len(rows))))
    labels = [r[0] for r in rows]
    y = range(len(rows))
    ax.barh([v - 0.2 for v in y], [r[1] or 0 for r in rows], height=0.38, label="more workers, 1 core")
    ax.barh([v + 0.2 for v in y], [r[2] or 0 for r in rows], height=0.38, label="more cores")
    ax.axvline(1.0, color="grey", linewidth=0.8)
    ax.set_yticks(list(y))
    ax.set_yticklabels(labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("throughput gain (x, vs 1 worker on 1 core)")
    ax.set_title(title)
    ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    return _to_svg(fig, chart_id)


def probe_chart(chart_id: str, title: str, values, split) -> str:
    """Histogram of the machine-state probe's round trips (ns) of one run,
    with the near/far split marked when there is one."""
    fig, ax = plt.subplots(figsize=(6.5, 2.6))
    ax.hist(values, bins=min(40, max(5, len(values) // 4)), color="#4c72b0")
    if split is not None:
        ax.axvline(split, color="#c44e52", linestyle="--", linewidth=1.0, label=f"near | far split ({split:.0f} ns)")
        ax.legend(fontsize=7, loc="best")
    ax.set_title(title)
    ax.set_xlabel("inter-core round trip (ns), before and after each repetition")
    ax.set_ylabel("probes")
    fig.tight_layout()
    return _to_svg(fig, chart_id)
