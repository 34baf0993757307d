"""scripts/history report: the trend page (index.html) and summary.md.

The page is one offline file (inline SVG charts, inline CSS and a small
inline script for the filter; no external references): per machine
fingerprint and scenario group (scenario + its non-worker parameters) one
chart of throughput per commit, every strategy x workers x cores a line with
its 95% bootstrap CI band, change points as dashed lines labelled with the
commit that starts the new level and the magnitude. Checkboxes filter the
charts by strategy and core count (``#hide=strategy:mutex,cores:2``
in the address starts with those unchecked).
"""
from __future__ import annotations

import html
import json

from reporting import outputs
from reporting.render_html import _CSS

from . import summary_md
from .trend_chart import trend_chart

_FILTER_JS = """
(function () {
  function apply() {
    var off = {};
    document.querySelectorAll('input[data-kind]').forEach(function (box) {
      if (!box.checked) off[box.dataset.kind + ':' + box.value] = true;
    });
    document.querySelectorAll('g[id^="s--"]').forEach(function (g) {
      var parts = g.id.split('--');  // s, strategy, c<cores>, n
      var hide = off['strategy:' + parts[1]] || off['cores:' + parts[2].slice(1)];
      g.style.display = hide ? 'none' : '';
    });
  }
  // #hide=strategy:mutex,cores:2 in the address starts with those unchecked.
  var hidden = decodeURIComponent(location.hash.replace(/^#hide=/, '')).split(',');
  document.querySelectorAll('input[data-kind]').forEach(function (box) {
    if (hidden.indexOf(box.dataset.kind + ':' + box.value) >= 0) box.checked = false;
    box.addEventListener('change', apply);
  });
  apply();
})();
"""

_EXTRA_CSS = "fieldset{border:1px solid #d0d7de;margin:.5em 0}label{margin-right:1em;white-space:nowrap}"


def _unit(metric: str) -> str:
    if metric.startswith("ratio_to_"):
        return "throughput / " + metric[len("ratio_to_") :] + " (per round)"
    return "items/s" if metric == "items_per_second" else "runs/s"


def groups(results) -> dict:
    """(fingerprint, scenario, params) -> [(series, points, changes)]."""
    out: dict = {}
    for s, pts, found in results:
        out.setdefault((s.fingerprint, s.scenario, s.params), []).append((s, pts, found))
    return dict(sorted(out.items()))


def render_page(results, order: list, recent: int, threshold: float, relative_to: str | None = None) -> tuple[str, str]:
    position = {sha: i for i, sha in enumerate(order)}
    esc = html.escape
    strategies = sorted({s.strategy for s, _, _ in results})
    cores = sorted({s.cores for s, _, _ in results})
    body = []
    summary = summary_md.render(results, recent, threshold)
    machines = {}
    for s, _, _ in results:
        machines[s.fingerprint] = s.machine
    body.append(
        "<p>Throughput per commit from the results store (<code>scripts/history</code>; method and "
        "columns: <code>docs/history.md</code>). Lines: the median of every repetition of the commit's runs, "
        "band: its 95% bootstrap CI; dashed lines: change points (E-Divisive with means, Matteson &amp; "
        "James 2014), labelled with the first commit at the new level; a red x: a commit whose runs "
        "did not check every answer, or whose strategy ThreadSanitizer flagged.</p>"
    )
    if relative_to:
        body.append(
            f'<p class="alert info">Relative mode: every value is the ratio of the case\'s throughput to '
            f"the <code>{esc(relative_to)}</code> case of the same run and round (the machine state common "
            "to both cancels); a change of that strategy shows in every ratio.</p>"
        )
    body.append(
        '<h2 id="machines">Machines</h2><table><tr><th>fingerprint</th>'
        + "".join(f"<th>{esc(k)}</th>" for k in next(iter(machines.values()), {}))
        + "</tr>"
    )
    for fp, m in sorted(machines.items()):
        body.append(
            f"<tr><td><code>{esc(fp)}</code></td>" + "".join(f"<td>{esc(str(v))}</td>" for v in m.values()) + "</tr>"
        )
    body.append("</table>")
    body.append('<h2 id="recent">Recent changes</h2>')
    rows = summary_md.recent_changes(results, recent)
    if rows:
        body.append(
            "<table><tr><th>case</th><th>machine</th><th>commits</th><th>change</th><th>before</th>"
            "<th>after</th></tr>"
        )
        for s, pts, c in rows:
            cls = "error" if c.magnitude <= -threshold else ("good" if c.magnitude > 0 else "warn")
            b = f"{c.before_median:.4g}" + (f" [{c.before.lo:.4g}, {c.before.hi:.4g}]" if c.before else "")
            a = f"{c.after_median:.4g}" + (f" [{c.after.lo:.4g}, {c.after.hi:.4g}]" if c.after else "")
            body.append(
                f"<tr><td><code>{esc(s.key)}</code></td><td>{esc(s.fingerprint)}</td>"
                f"<td><code>{pts[c.index - 1].commit[:10]}..{pts[c.index].commit[:10]}</code></td>"
                f'<td class="{cls}">{c.magnitude * 100:+.1f}%</td><td>{b}</td><td>{a}</td></tr>'
            )
        body.append("</table>")
    else:
        body.append(f"<p>No change points among the last {recent} commits of any series.</p>")
    body.append('<h2 id="trends">Trends</h2><fieldset><legend>Show</legend>')
    body.append(
        "<div>strategy: "
        + "".join(
            f'<label><input type="checkbox" data-kind="strategy" value="{esc(x)}" checked> {esc(x)}</label>'
            for x in strategies
        )
        + "</div>"
    )
    body.append(
        "<div>cores: "
        + "".join(f'<label><input type="checkbox" data-kind="cores" value="{c}" checked> {c}</label>' for c in cores)
        + "</div></fieldset>"
    )
    for n, ((fp, scenario, params), members) in enumerate(groups(results).items()):
        commits = sorted({p.commit for _, pts, _ in members for p in pts}, key=lambda sha: position.get(sha, 1e9))
        title = f"{scenario}" + (f" {params}" if params else "") + (f" (machine {fp})" if len(machines) > 1 else "")
        series = [
            {
                "label": f"{s.strategy} w{s.workers} c{s.cores}",
                "strategy": s.strategy,
                "cores": s.cores,
                "points": pts,
                "changes": found,
            }
            for s, pts, found in sorted(members, key=lambda m: (m[0].strategy, m[0].cores, m[0].workers))
        ]
        svg = trend_chart(f"trend{n}", title, _unit(members[0][0].metric), commits, series)
        body.append(
            f"<h3>{esc(title)}</h3><figure>{svg}<figcaption>{len(members)} series, {len(commits)} commits"
            "</figcaption></figure>"
        )
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>Performance history</title>\n"
        f"<style>{_CSS}{_EXTRA_CSS}</style>\n</head>\n<body>\n<h1>Performance history</h1>\n"
        + "\n".join(body)
        + f"\n<script>{_FILTER_JS}</script>\n</body>\n</html>\n"
    )
    return page, summary


def run(args, results, order) -> int:
    if not results:
        print("history: no series in the store (add runs first)", file=__import__("sys").stderr)
        return 2
    page, summary = render_page(results, order, args.recent, args.threshold, getattr(args, "relative_to", None))
    outputs.write_all(
        args.out,
        {
            "index.html": page,
            "summary.md": summary,
            "changes.json": json.dumps(_changes_json(results), indent=1) + "\n",
        },
    )
    print(
        f"history: wrote {args.out}/index.html, summary.md and changes.json "
        f"({len(results)} series, {sum(len(f) for _, _, f in results)} change points)"
    )
    return 0


def _changes_json(results) -> list:
    out = []
    for s, pts, found in results:
        for c in found:
            out.append(
                {
                    "case": s.key,
                    "machine": s.fingerprint,
                    "from": pts[c.index - 1].commit,
                    "to": pts[c.index].commit,
                    "magnitude": round(c.magnitude, 5),
                    "before": c.before_median,
                    "after": c.after_median,
                    "p": c.p,
                }
            )
    return out
