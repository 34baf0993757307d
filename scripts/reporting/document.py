"""The report as renderer-neutral blocks; render_md and render_html print them.

Text in Para/Alert/Bullets/Cell may use two bits of inline markup, which both
renderers understand: ``**bold**`` and ```code```.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class Heading:
    level: int
    text: str


@dataclass
class Para:
    text: str


@dataclass
class Alert:
    """A loud message: kind is 'error', 'warning' or 'info'."""

    kind: str
    text: str


@dataclass
class Bullets:
    items: Sequence[str]


@dataclass
class Cell:
    """A table cell; style is '', 'error', 'warn' or 'good'."""

    text: str
    style: str = ""


#: A table cell's content: plain text or a styled Cell.
CellValue = str | Cell


@dataclass
class Table:
    headers: Sequence[str]
    rows: Sequence[Sequence[CellValue]]
    caption: str = ""


@dataclass
class Chart:
    """An inline SVG (HTML only; Markdown says where to find it)."""

    svg: str
    caption: str = ""


@dataclass
class Heatmap:
    """Values relative to the best (0..1] per row and column; HTML colours
    the cells, Markdown points to index.html."""

    columns: Sequence[str]
    rows: Sequence[tuple[str, Sequence[float | None]]]  # (label, value per column)
    caption: str = ""


@dataclass
class Toc:
    """Where the HTML table of contents goes (Markdown has none)."""


#: One block of the document.
Block = Heading | Para | Alert | Bullets | Table | Chart | Heatmap | Toc


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block | None) -> Document:
        self.blocks.extend(b for b in blocks if b is not None)
        return self


def cell_text(c: CellValue) -> str:
    return c.text if isinstance(c, Cell) else str(c)


def cell_style(c: CellValue) -> str:
    return c.style if isinstance(c, Cell) else ""
