"""Render a Document as GitHub-flavoured Markdown (CI job summary, terminal)."""
from __future__ import annotations

from .document import Alert, Bullets, Chart, Document, Heading, Heatmap, Para, Table, cell_text

_ALERT = {"error": "> [!CAUTION]", "warning": "> [!WARNING]", "info": "> [!NOTE]"}


def _escape_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(doc: Document) -> str:
    out = [f"# {doc.title}", ""]
    for b in doc.blocks:
        if isinstance(b, Heading):
            out += [f"{'#' * b.level} {b.text}", ""]
        elif isinstance(b, Para):
            out += [b.text, ""]
        elif isinstance(b, Alert):
            out += [_ALERT.get(b.kind, "> [!NOTE]"), f"> {b.text}", ""]
        elif isinstance(b, Bullets):
            out += [f"- {item}" for item in b.items] + [""]
        elif isinstance(b, Table):
            out.append("| " + " | ".join(_escape_cell(h) for h in b.headers) + " |")
            out.append("|" + "|".join("---" for _ in b.headers) + "|")
            for row in b.rows:
                out.append("| " + " | ".join(_escape_cell(cell_text(c)) for c in row) + " |")
            if b.caption:
                out += ["", f"<sub>{b.caption}</sub>"]
            out.append("")
        elif isinstance(b, Heatmap):
            out += ["Heatmap of every strategy's throughput relative to the best: see `index.html`.", ""]
        elif isinstance(b, Chart):
            continue  # charts live in index.html
    out.append("Charts: see `index.html` beside this file.")
    return "\n".join(out) + "\n"
