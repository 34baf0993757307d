"""Scaling-law fits of throughput X against cores p (scipy curve_fit).

- Amdahl: ``X(p) = lam / (f + (1 - f) / p)``; ``f`` is the serial fraction.
- Universal Scalability Law (Gunther):
  ``X(p) = lam * p / (1 + sigma (p - 1) + kappa p (p - 1))``;
  ``sigma`` is contention, ``kappa`` coherency (crosstalk); with kappa > 0
  throughput peaks at ``p* = sqrt((1 - sigma) / kappa)``.

A fit is only attempted with at least ``MIN_CORE_COUNTS`` distinct core
counts: with fewer, two or three parameters fit anything and mean nothing.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

#: Model values at each core count.
Values = npt.NDArray[np.float64]

MIN_CORE_COUNTS = 4


def amdahl(p: npt.ArrayLike, lam: float, f: float) -> Values:
    p = np.asarray(p, dtype=float)
    return lam / (f + (1.0 - f) / p)


def usl(p: npt.ArrayLike, lam: float, sigma: float, kappa: float) -> Values:
    p = np.asarray(p, dtype=float)
    return lam * p / (1.0 + sigma * (p - 1.0) + kappa * p * (p - 1.0))


@dataclass
class Fit:
    """One fitted model."""

    model: str  # "amdahl" | "usl"
    params: dict[str, float]  # name -> value
    r2: float
    cov: Values | None = None  # curve_fit's parameter covariance (params' order), for projection.py
    points: int = 0  # core counts fitted

    def predict(self, p: npt.ArrayLike) -> Values:
        if self.model == "amdahl":
            return amdahl(p, self.params["lam"], self.params["f"])
        return usl(p, self.params["lam"], self.params["sigma"], self.params["kappa"])

    @property
    def peak_cores(self) -> float | None:
        """USL only: the core count where throughput peaks (None: no peak)."""
        if self.model != "usl" or self.params["kappa"] <= 1e-12:
            return None
        return math.sqrt(max(0.0, 1.0 - self.params["sigma"]) / self.params["kappa"])


def _r2(y: npt.ArrayLike, yhat: npt.ArrayLike) -> float:
    y, yhat = np.asarray(y, float), np.asarray(yhat, float)
    ss_tot = float(np.sum((y - y.mean()) ** 2))
    ss_res = float(np.sum((y - yhat) ** 2))
    return 1.0 - ss_res / ss_tot if ss_tot > 0 else (1.0 if ss_res == 0 else 0.0)


def fit_scaling(cores: Sequence[float], throughput: Sequence[float]) -> tuple[list[Fit], str | None]:
    """Fit both laws. Returns (fits, reason): fits is a list (may be empty),
    reason explains why there is no fit (or is None)."""
    from scipy.optimize import curve_fit

    p = np.asarray(cores, dtype=float)
    x = np.asarray(throughput, dtype=float)
    distinct = len(set(p.tolist()))
    if distinct < MIN_CORE_COUNTS:
        return [], (
            f"no scaling-law fit: {distinct} core count{'s' if distinct != 1 else ''} "
            f"measured, a fit needs at least {MIN_CORE_COUNTS}"
        )
    order = np.argsort(p)
    p, x = p[order], x[order]
    lam0 = float(x[0] / p[0]) if p[0] > 0 else float(x[0])
    fits: list[Fit] = []
    try:
        params, cov = curve_fit(amdahl, p, x, p0=[lam0, 0.1], bounds=([0.0, 0.0], [np.inf, 1.0]), maxfev=20000)
        fits.append(
            Fit("amdahl", {"lam": float(params[0]), "f": float(params[1])}, _r2(x, amdahl(p, *params)), cov, len(p))
        )
    except (RuntimeError, ValueError):
        pass
    try:
        params, cov = curve_fit(
            usl, p, x, p0=[lam0, 0.05, 0.001], bounds=([0.0, 0.0, 0.0], [np.inf, 1.0, 1.0]), maxfev=20000
        )
        fits.append(
            Fit(
                "usl",
                {"lam": float(params[0]), "sigma": float(params[1]), "kappa": float(params[2])},
                _r2(x, usl(p, *params)),
                cov,
                len(p),
            )
        )
    except (RuntimeError, ValueError):
        pass
    return fits, (None if fits else "no scaling-law fit: the fit did not converge")
