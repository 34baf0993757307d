"""Render a Document as one self-contained HTML page (inline CSS and SVG,
no scripts, no external resources)."""
from __future__ import annotations

import html
import re

from .document import Alert, Bullets, Chart, Document, Heading, Heatmap, Para, Table, Toc, cell_style, cell_text

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;max-width:1200px;
 padding:0 1em;color:#1b1f24;line-height:1.45}
h1{font-size:1.6em}h2{border-bottom:1px solid #d0d7de;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.6em 0;font-size:.88em}
th,td{border:1px solid #d0d7de;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f6f8fa}caption{caption-side:bottom;font-size:.85em;color:#57606a;text-align:left;padding-top:.3em}
td.error{background:#ffebe9;color:#82071e;font-weight:bold}td.heat{text-align:right;font-variant-numeric:tabular-nums}td.warn{background:#fff8c5}td.good{color:#116329}
.alert{border-left:.3em solid;padding:.4em .8em;margin:.5em 0}
.alert.error{border-color:#cf222e;background:#ffebe9;color:#82071e}
.alert.warning{border-color:#bf8700;background:#fff8c5}.alert.info{border-color:#0969da;background:#ddf4ff}
figure{margin:1em 0}figure svg{max-width:100%;height:auto}figcaption{font-size:.85em;color:#57606a}
code{background:#f6f8fa;padding:0 .2em;border-radius:3px;font-size:.92em}
"""


def _inline(text: str) -> str:
    """Escape, then turn **bold** and `code` into tags."""
    s = html.escape(text, quote=False)
    s = re.sub(r"`([^`]+)`", r"<code>\1</code>", s)
    return re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", s)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def _heat_colour(v: float) -> str:
    """1.0 (the best) green, 0.5 and below red, yellow between."""
    t = max(0.0, min(1.0, (v - 0.5) / 0.5))
    hue = 120.0 * t
    return f"hsl({hue:.0f},70%,{88 - 10 * t:.0f}%)"


def _heatmap(b: Heatmap) -> str:
    rows = ["<table>"]
    if b.caption:
        rows.append(f"<caption>{_inline(b.caption)}</caption>")
    rows.append("<thead><tr><th></th>" + "".join(f"<th>{_inline(c)}</th>" for c in b.columns) + "</tr></thead><tbody>")
    for label, values in b.rows:
        cells = []
        for v in values:
            if v is None:
                cells.append("<td></td>")
            else:
                cells.append(f'<td class="heat" style="background:{_heat_colour(v)}">{v:.0%}</td>')
        rows.append(f"<tr><th>{_inline(label)}</th>" + "".join(cells) + "</tr>")
    rows.append("</tbody></table>")
    return "\n".join(rows)


def _table(b: Table) -> str:
    rows = ["<table>"]
    if b.caption:
        rows.append(f"<caption>{_inline(b.caption)}</caption>")
    rows.append("<thead><tr>" + "".join(f"<th>{_inline(h)}</th>" for h in b.headers) + "</tr></thead><tbody>")
    for row in b.rows:
        cells = []
        for c in row:
            style = cell_style(c)
            cls = f' class="{style}"' if style else ""
            cells.append(f"<td{cls}>{_inline(cell_text(c))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    rows.append("</tbody></table>")
    return "\n".join(rows)


def render(doc: Document) -> str:
    body: list[str] = []
    toc: list[str] = []
    seen: dict[str, int] = {}
    toc_at = None
    for b in doc.blocks:
        if isinstance(b, Heading):
            slug = _slug(b.text)
            seen[slug] = seen.get(slug, 0) + 1
            if seen[slug] > 1:
                slug = f"{slug}-{seen[slug]}"
            if b.level == 2:
                toc.append(f'<li><a href="#{slug}">{_inline(b.text)}</a></li>')
            body.append(f'<h{b.level} id="{slug}">{_inline(b.text)}</h{b.level}>')
        elif isinstance(b, Para):
            body.append(f"<p>{_inline(b.text)}</p>")
        elif isinstance(b, Alert):
            body.append(f'<div class="alert {html.escape(b.kind)}">{_inline(b.text)}</div>')
        elif isinstance(b, Bullets):
            body.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in b.items) + "</ul>")
        elif isinstance(b, Table):
            body.append(_table(b))
        elif isinstance(b, Heatmap):
            body.append(_heatmap(b))
        elif isinstance(b, Toc):
            toc_at = len(body)
            body.append("")
        elif isinstance(b, Chart):
            caption = f"<figcaption>{_inline(b.caption)}</figcaption>" if b.caption else ""
            body.append(f"<figure>{b.svg}{caption}</figure>")
    title = html.escape(doc.title)
    nav = f"<nav><ul>{''.join(toc)}</ul></nav>"
    if toc_at is not None:
        body[toc_at] = nav
        nav = ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<h1>{title}</h1>\n"
        f"{nav}\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )
