"""Confidence bands of the scaling-law fits (fit.py) and their projection to
core counts beyond the measured ones, marked as projections.

The band is the delta method on curve_fit's parameter covariance: the
variance of the fitted throughput at p is g(p)^T C g(p), with g the gradient
of the model in its parameters (central differences) and C the covariance
(scaled by the residual variance, as curve_fit returns it); the 95 % band is
the fit +- t(0.975, n - k) times its square root (n core counts fitted, k
parameters). It is a band for the fitted curve under the model, not for a
future measurement, and it says nothing when the model is wrong: the report
marks every value beyond the measured core counts as a projection. With no
degree of freedom left (n <= k) or a covariance that is not finite, there is
no band ("n/a").
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from . import fmt
from .analysis import Group
from .document import CellValue, Table
from .fit import Fit

#: Projected core counts: the next powers of two above the largest measured.
PROJECTED = 2

_ORDER = {"amdahl": ("lam", "f"), "usl": ("lam", "sigma", "kappa")}


def projected_cores(measured: Sequence[int]) -> list[int]:
    """The next PROJECTED powers of two above max(measured): 8 -> [16, 32], 6 -> [8, 16]."""
    top = max(measured)
    p = 1
    while p <= top:
        p *= 2
    return [p * 2**i for i in range(PROJECTED)]


def band(fit: Fit, p: float, level: float = 0.95) -> tuple[float, float | None, float | None]:
    """(fitted throughput, low, high) at p cores; low/high None without a band."""
    names = _ORDER[fit.model]
    theta = np.array([fit.params[n] for n in names], dtype=float)
    value = float(fit.predict(p))

    def at(t: npt.NDArray[np.float64]) -> float:
        return float(Fit(fit.model, dict(zip(names, t)), fit.r2).predict(p))

    cov = None if fit.cov is None else np.asarray(fit.cov, dtype=float)
    dof = fit.points - len(names)
    if cov is None or dof < 1 or not np.all(np.isfinite(cov)):
        return value, None, None
    grad = np.zeros(len(names))
    for i in range(len(names)):
        h = max(abs(theta[i]) * 1e-6, 1e-12)
        up, down = theta.copy(), theta.copy()
        up[i] += h
        down[i] -= h
        grad[i] = (at(up) - at(down)) / (2 * h)
    var = float(grad @ cov @ grad)
    from scipy.stats import t as student_t

    half = float(student_t.ppf(0.5 + level / 2, dof)) * math.sqrt(max(var, 0.0))
    return value, value - half, value + half


def band_text(fit: Fit, p: float, fmt_num: Callable[[float], str]) -> str:
    """ "X [lo, hi]" (``fmt_num`` formats a throughput); "X (no band)" without one."""
    value, lo, hi = band(fit, p)
    if lo is None or hi is None:
        return f"{fmt_num(value)} (no band)"
    return f"{fmt_num(value)} [{fmt_num(max(lo, 0.0))}, {fmt_num(hi)}]"


def projection_table(group: Group) -> Table | None:
    """The fits' values with 95 % bands at the largest measured core count and
    at the projected ones (a Table), or None when no strategy has a fit."""
    if not group.cores:
        return None
    top = max(group.cores)
    ahead = projected_cores(group.cores)
    rows: list[list[CellValue]] = []
    for s in group.strategies:
        fits, _ = group.fits(s)
        for f in fits:
            rows.append(
                [
                    s,
                    "Amdahl" if f.model == "amdahl" else "USL",
                    band_text(f, top, fmt.si),
                    *[band_text(f, p, fmt.si) for p in ahead],
                ]
            )
    if not rows:
        return None
    headers = ["strategy", "model", f"fit at {top} cores (measured)", *[f"PROJECTION {p} cores" for p in ahead]]
    return Table(
        headers,
        rows,
        "throughput the fit gives, [95 % band of the fitted curve]; the PROJECTION columns are "
        "beyond the measured core counts: extrapolations of the model, not measurements "
        "(method: scripts/reporting/projection.py)",
    )
