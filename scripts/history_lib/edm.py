"""E-Divisive with means: change points in a series of measurement groups.

The method is Matteson & James, "A Nonparametric Approach for Multiple
Change Point Analysis of Multivariate Data", JASA 109(505), 2014 (the energy
statistic and hierarchical divisive estimation), as used for performance
series by Daly et al., "The Use of Change Point Detection to Identify
Software Performance Regressions in a Continuous Integration System",
ICPE 2020 (MongoDB; open-sourced as Hunter, now Apache Otava).

A series is a list of *groups*, one per point (all runs of one commit); a
group holds those runs' repetitions (a series with one value per point has
groups of one). Change points may only fall between groups. For a candidate
split of a segment into X = Z[:tau] and Y = Z[tau:kappa] (sizes m, n) the
statistic is the scaled energy distance

    Q(tau, kappa) = m n / (m + n) * ( 2/(m n) sum|X_i - Y_j|
                                      - 1/C(m,2) sum_{i<k} |X_i - X_k|
                                      - 1/C(n,2) sum_{j<k} |Y_j - Y_k| )

on the logarithms of the values (a change is judged relative to the level),
maximized over kappa (the paper's estimator: a change that is later undone
is still found) and then over tau. The best tau of a segment is tested with
a permutation test that shuffles whole runs within the segment (repetitions
of one run share that run's machine state, so only runs are exchangeable)
and deals them back into the commits' slots (each commit keeps its number of
runs), counting how often the shuffled segment's maximal Q reaches the
observed one. An accepted split divides the segment and both parts are
searched again, until no split is significant.

Since splits fall between groups, the distances are summed per pair of
runs once; a permutation permutes that matrix and sums it into groups, and all permutations
of a batch are evaluated at once with 2-D prefix sums. The test stops early
once the split can no longer be significant.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

#: Permutation test: at most this many permutations, in batches.
PERMUTATIONS = 199
FIRST_BATCH = 10  # most segments without a change stop after these
BATCH = 50
#: Significance level of one split.
ALPHA = 0.01
#: Each side of a split holds at least this many groups.
MIN_GROUPS = 3
#: The distance exponent of the energy statistic (0 < EXPONENT < 2 in Matteson & James).
EXPONENT = 1.0


@dataclass(frozen=True)
class Split:
    """An accepted change point: the first group of the new segment."""

    index: int  # group index (0-based) where the new level starts
    q: float  # the energy statistic of the split within its segment
    p: float  # permutation p-value


def _prefix_sums(d: np.ndarray) -> np.ndarray:
    """P[..., a, b] = sum_{i<a, j<b} d[..., i, j] (zero-padded)."""
    shape = d.shape[:-2] + (d.shape[-2] + 1, d.shape[-1] + 1)
    p = np.zeros(shape)
    p[..., 1:, 1:] = d.cumsum(axis=-2).cumsum(axis=-1)
    return p


def _group_distances(values: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """G[a, b]: the sum of |x - y|^EXPONENT over x in block a, y in block b
    (blocks: consecutive runs of ``sizes`` values)."""
    d = np.abs(values[:, None] - values[None, :]) ** EXPONENT
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    return np.add.reduceat(np.add.reduceat(d, starts, axis=0), starts, axis=1)


def _q(g: np.ndarray, sizes: np.ndarray, min_groups: int):
    """Q of every split of segments given as group distances.

    g: (..., k, k) group distance sums in series order; sizes: (..., k) group
    sizes in the same order. For each candidate first group ``tau`` of the
    new level the statistic is maximized over the end ``kappa`` of the right
    part (Matteson & James's Q(tau, kappa): a change that later reverts is
    still found). Returns (cuts, q) with q of shape (..., K), -inf where a
    side has fewer than two values."""
    k = g.shape[-1]
    cuts = np.arange(min_groups, k - min_groups + 1)
    ends = np.arange(2 * min_groups, k + 1)
    p = _prefix_sums(g)
    counts = np.concatenate([np.zeros(sizes.shape[:-1] + (1,)), np.cumsum(sizes, axis=-1)], axis=-1)
    t, e = cuts[:, None], ends[None, :]  # (K, E)
    ptt = p[..., cuts, cuts][..., :, None]  # P[t, t]: ordered pairs within the left side
    pte = p[..., t, e]  # P[t, kappa]
    pee = p[..., ends, ends][..., None, :]  # P[kappa, kappa]
    cross = pte - ptt
    right = pee - 2.0 * pte + ptt
    m = counts[..., cuts][..., :, None]
    n = counts[..., ends][..., None, :] - m
    with np.errstate(divide="ignore", invalid="ignore"):
        # m n/(m+n) * (2 cross/(m n) - left/(m(m-1)) - right/(n(n-1))), with few temporaries
        total = m + n
        q = (2.0 / total) * cross
        q -= (n / (total * (m - 1))) * ptt
        q -= (m / (total * (n - 1))) * right
    ok = (e - t >= min_groups) & (m >= 2) & (n >= 2)
    q[~np.broadcast_to(ok, q.shape)] = -np.inf
    return cuts, q.max(axis=-1)


def _best_split(g: np.ndarray, sizes: np.ndarray, min_groups: int):
    """(group index, Q) of the best split of one segment, or None."""
    k = len(sizes)
    if k < 2 * min_groups:
        return None
    cuts, q = _q(g, sizes, min_groups)
    best = int(np.argmax(q))
    if not np.isfinite(q[best]):
        return None
    return int(cuts[best]), float(q[best])


def _slot_sums(r: np.ndarray, block_sizes: np.ndarray, slots: np.ndarray):
    """Block distances r (..., nb, nb) and sizes summed into groups of
    ``slots`` consecutive blocks: (group distances (..., k, k), group sizes (..., k))."""
    if np.all(slots == 1):  # one run per group: nothing to sum
        return r, block_sizes
    starts = np.concatenate([[0], np.cumsum(slots)[:-1]])
    g = np.add.reduceat(np.add.reduceat(r, starts, axis=-2), starts, axis=-1)
    return g, np.add.reduceat(block_sizes, starts, axis=-1)


def significance(r, block_sizes, slots, q_obs, min_groups, rng, alpha=ALPHA, permutations=PERMUTATIONS, batch=BATCH):
    """Permutation p-value of a segment's maximal Q.

    r: (nb, nb) distance sums between the segment's blocks (runs);
    block_sizes: values per block; slots: blocks per group (commit). Each
    permutation shuffles the blocks and deals them back into the groups'
    slots (a group keeps its number of runs). Evaluated in batches; stops
    early once the split cannot be significant at ``alpha``."""
    nb = len(block_sizes)
    limit = alpha * (permutations + 1) - 1  # the most exceedances a significant split may have
    exceed, done = 0, 0
    while done < permutations:
        count = min(batch if done else FIRST_BATCH, permutations - done)
        order = np.argsort(rng.random((count, nb)), axis=1)
        gp, sizes = _slot_sums(r[order[:, :, None], order[:, None, :]], block_sizes[order], slots)
        qs = _q(gp, sizes, min_groups)[1].max(axis=1)
        exceed += int(np.sum(qs >= q_obs - 1e-9 * abs(q_obs)))
        done += count
        if exceed > limit:
            break
    return (exceed + 1) / (done + 1)


def seed_for(key: str) -> int:
    """A stable seed per series, so detection is reproducible."""
    return zlib.crc32(("edm:" + key).encode("utf-8")) & 0xFFFFFFFF


def change_points(
    groups,
    key: str = "",
    alpha: float = ALPHA,
    min_groups: int = MIN_GROUPS,
    permutations: int = PERMUTATIONS,
    blocks=None,
) -> list:
    """Significant change points of a series, sorted by index.

    groups: a list of non-empty sequences of positive values (one per point,
    in series order). blocks: per group, the sizes of the runs its values
    come from, in order (default: each group is one run); the permutation
    test shuffles runs. Returns :class:`Split`s; split.index g means groups
    [.., g-1] and [g, ..] differ."""
    sizes_all = np.array([len(g) for g in groups], dtype=int)
    if np.any(sizes_all == 0):
        raise ValueError("every point needs at least one value")
    if blocks is None:
        blocks = [[n] for n in sizes_all]
    if [sum(b) for b in blocks] != list(sizes_all) or any(n <= 0 for b in blocks for n in b):
        raise ValueError("blocks must split every group's values into runs")
    block_sizes = np.array([n for b in blocks for n in b], dtype=int)
    slots_all = np.array([len(b) for b in blocks], dtype=int)
    block_start = np.concatenate([[0], np.cumsum(slots_all)])  # first block of each group
    value_start = np.concatenate([[0], np.cumsum(sizes_all)])
    logs = np.log(np.concatenate([np.asarray(g, dtype=float) for g in groups])) if len(groups) else np.array([])
    rng = np.random.default_rng(seed_for(key))
    found = []
    pending = [(0, len(groups))]  # segments [g0, g1) to search
    while pending:
        g0, g1 = pending.pop()
        if g1 - g0 < 2 * min_groups:
            continue
        values = logs[value_start[g0] : value_start[g1]]
        bsizes = block_sizes[block_start[g0] : block_start[g1]]
        r = _group_distances(values, bsizes)  # per pair of runs
        slots = slots_all[g0:g1]
        g, sizes = _slot_sums(r, bsizes, slots)
        best = _best_split(g, sizes, min_groups)
        if best is None:
            continue
        at, q = best
        if q <= 0:
            continue
        p = significance(r, bsizes, slots, q, min_groups, rng, alpha, permutations)
        if p > alpha:
            continue
        found.append(Split(g0 + at, q, p))
        pending += [(g0, g0 + at), (g0 + at, g1)]
    return sorted(found, key=lambda s: s.index)
