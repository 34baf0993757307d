"""The trend chart of one scenario group: throughput per commit.

Drawn with matplotlib in the style of scripts/reporting/charts.py
(``charts.style()``) and returned as self-contained inline SVG
(``charts.to_svg``). Every
series' artists carry an SVG id ``s--<strategy>--c<cores>--<chart>-<n>`` so the
page's filter can hide them.
"""
from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure

from reporting import charts


def trend_chart(chart_id: str, title: str, unit: str, commits: list[str], series: list[dict[str, Any]]) -> str:
    """commits: the group's commit axis (full shas, oldest first).
    series: list of dicts with ``label``, ``strategy``, ``cores``, ``points``
    (changes.CommitPoint) and ``changes`` (changes.Change, indices into
    ``points``)."""
    with charts.style():
        return _draw(chart_id, title, unit, commits, series)


def _draw(chart_id: str, title: str, unit: str, commits: list[str], series: list[dict[str, Any]]) -> str:
    fig = Figure(figsize=(10, 3.8))
    ax = fig.subplots()
    x_of = {sha: i for i, sha in enumerate(commits)}
    n = 0
    for i, s in enumerate(series):
        pts = [p for p in s["points"] if p.commit in x_of]
        xs = [x_of[p.commit] for p in pts]
        gid = f"s--{s['strategy']}--c{s['cores']}"
        style = charts.line_style(i, i // len(charts.MARKERS))
        (line,) = ax.plot(xs, [p.median for p in pts], label=s["label"], markersize=4, linewidth=1.2, **style)
        line.set_gid(f"{gid}--{chart_id}-{n}")
        n += 1
        marked = [(x, p.median) for x, p in zip(xs, pts) if p.checked == 0 or p.tsan == "flagged"]
        if marked:  # a run whose answers were not all checked, or a strategy TSan flagged
            (cross,) = ax.plot(
                [x for x, _ in marked],
                [y for _, y in marked],
                "x",
                color="#c0392b",
                markersize=8,
                markeredgewidth=2,
                linestyle="none",
            )
            cross.set_gid(f"{gid}--{chart_id}-{n}")
            n += 1
        banded = [(x, p.interval) for x, p in zip(xs, pts) if p.interval is not None]
        if banded:
            band = ax.fill_between(
                [x for x, _ in banded],
                [b.lo for _, b in banded],
                [b.hi for _, b in banded],
                alpha=0.18,
                color=line.get_color(),
                linewidth=0,
            )
            band.set_gid(f"{gid}--{chart_id}-{n}")
            n += 1
        for c in s["changes"]:
            x = x_of[s["points"][c.index].commit] - 0.5
            colour = "#c0392b" if c.magnitude < 0 else "#1e8449"
            vline = ax.axvline(x, color=colour, linestyle="--", linewidth=1.6)
            vline.set_gid(f"{gid}--{chart_id}-{n}")
            n += 1
            label = f"{s['points'][c.index].commit[:7]} {s['strategy']} c{s['cores']} {c.magnitude * 100:+.1f}%"
            text = ax.annotate(
                label,
                xy=(x, 1.0),
                xycoords=("data", "axes fraction"),
                rotation=90,
                fontsize=7,
                color=colour,
                ha="right",
                va="top",
            )
            text.set_gid(f"{gid}--{chart_id}-{n}")
            n += 1
    lows = [p.median for s in series for p in s["points"] if p.median > 0]
    if lows and max(lows) / min(lows) > 8:  # strategies orders of magnitude apart: log scale
        ax.set_yscale("log")
    step = max(1, len(commits) // 40)
    ticks = list(range(0, len(commits), step))
    ax.set_xticks(ticks)
    ax.set_xticklabels([commits[t][:7] for t in ticks], rotation=90, fontsize=7, family="monospace")
    ax.set_xlim(-0.5, max(len(commits) - 0.5, 0.5))
    ax.set_xlabel("commit (oldest left)")
    ax.set_ylabel(unit)
    ax.set_title(title)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return charts.to_svg(fig, chart_id)
