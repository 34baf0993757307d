"""summary.md: the recent change points, for a CI job summary."""
from __future__ import annotations


def _fmt(v) -> str:
    return f"{v:.4g}"


def recent_changes(results, recent: int) -> list:
    """(series, points, change) of changes among the last ``recent`` points of their series, newest first."""
    out = []
    for s, pts, found in results:
        for c in found:
            if c.index >= len(pts) - recent:
                out.append((s, pts, c))
    out.sort(key=lambda t: (-(t[2].index - len(t[1])), t[0].key))
    return out


def render(results, recent: int, threshold: float) -> str:
    rows = recent_changes(results, recent)
    machines = sorted({s.fingerprint for s, _, _ in results})
    commits = {p.commit for _, pts, _ in results for p in pts}
    failing = [(s, c) for s, pts, found in results if found for c in [found[-1]] if c.magnitude <= -threshold]
    lines = ["## Performance history", ""]
    lines.append(
        f"{len(results)} series on {len(machines)} machine(s), {len(commits)} commits. "
        + (
            f"**{len(failing)} series whose newest change is a slowdown past {threshold * 100:g}%.**"
            if failing
            else f"No series whose newest change is a slowdown past {threshold * 100:g}%."
        )
    )
    lines.append("")
    if not rows:
        lines.append(f"No change points among the last {recent} commits of any series.")
        return "\n".join(lines) + "\n"
    lines.append(
        f"Change points among the last {recent} commits of each series (E-Divisive with means; "
        "before/after: medians of the segments' repetitions with 95% bootstrap CIs):"
    )
    lines.append("")
    lines.append("| case | machine | commits | change | before | after |")
    lines.append("|---|---|---|---:|---|---|")
    for s, pts, c in rows:
        b = f"{_fmt(c.before_median)}" + (f" [{_fmt(c.before.lo)}, {_fmt(c.before.hi)}]" if c.before else "")
        a = f"{_fmt(c.after_median)}" + (f" [{_fmt(c.after.lo)}, {_fmt(c.after.hi)}]" if c.after else "")
        word = "slower" if c.magnitude < 0 else "faster"
        lines.append(
            f"| `{s.key}` | {s.fingerprint} | `{pts[c.index - 1].commit[:10]}..{pts[c.index].commit[:10]}` "
            f"| {c.magnitude * 100:+.1f}% {word} | {b} | {a} |"
        )
    return "\n".join(lines) + "\n"
