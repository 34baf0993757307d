"""Number formatting shared by the Markdown, HTML and compare outputs.

Table text only: chart axes use matplotlib's ``EngFormatter`` (charts.py).
:func:`si` keeps 4 significant digits in a fixed layout ('12.35 M'), the
form every table and the compare output print.
"""
from __future__ import annotations

from .stats import Summary

_PREFIXES = ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"))


def si(x: float | None) -> str:
    """4 significant digits with an SI prefix: 12345678 -> '12.35 M'."""
    if x is None:
        return "n/a"
    for scale, prefix in _PREFIXES:
        if abs(x) >= scale * 0.9995:
            return f"{_digits(x / scale)} {prefix}"
    return _digits(x)


def _digits(v: float) -> str:
    a = abs(v)
    if a >= 100:
        return f"{v:.1f}"
    if a >= 10:
        return f"{v:.2f}"
    return f"{v:.3f}"


def ratio(x: float | None) -> str:
    """1.9 -> '1.90x'."""
    return "n/a" if x is None else f"{x:.2f}x"


def pct(x: float | None, signed: bool = False) -> str:
    """0.123 -> '12.3%' ('+12.3%' when signed)."""
    if x is None:
        return "n/a"
    return f"{x:+.1%}" if signed else f"{x:.1%}"


def num(x: float | None, digits: int = 3) -> str:
    """Plain number with `digits` decimals; 'n/a' for None."""
    return "n/a" if x is None else f"{x:.{digits}f}"


def spread(summary: Summary | None) -> str:
    """Half the min..max range relative to the median: '±2.0%'."""
    if summary is None or not summary.median:
        return ""
    return f"±{(summary.high - summary.low) / 2 / abs(summary.median):.1%}"
