"""The report as renderer-neutral blocks; render_md and render_html print them.

Text in Para/Alert/Bullets/Cell may use two bits of inline markup, which both
renderers understand: ``**bold**`` and ```code```.
"""
from __future__ import annotations

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
    items: list


@dataclass
class Cell:
    """A table cell; style is '', 'error', 'warn' or 'good'."""

    text: str
    style: str = ""


@dataclass
class Table:
    headers: list
    rows: list  # list of lists of str or Cell
    caption: str = ""


@dataclass
class Chart:
    """An inline SVG (HTML only; Markdown says where to find it)."""

    svg: str
    caption: str = ""


@dataclass
class Heatmap:
    """Values relative to the best (0..1] per row and column; HTML colours
    the cells, Markdown points to index.html. rows: [(label, [value|None])]."""

    columns: list
    rows: list
    caption: str = ""


@dataclass
class Toc:
    """Where the HTML table of contents goes (Markdown has none)."""


@dataclass
class Document:
    title: str
    blocks: list = field(default_factory=list)

    def add(self, *blocks):
        self.blocks.extend(b for b in blocks if b is not None)
        return self


def cell_text(c) -> str:
    return c.text if isinstance(c, Cell) else str(c)


def cell_style(c) -> str:
    return c.style if isinstance(c, Cell) else ""
