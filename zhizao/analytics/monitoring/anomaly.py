"""Anomaly and change-point primitives for short monthly series (docs/reference/methods.md §2.3).

- robust z: (x − median) / (1.4826·MAD)
- robust STL on log levels, residual robust z
- tabular CUSUM (Page 1954): S_H = max(0, z − K + S_H), S_L = max(0, −K − z + S_L), signal at H
- PELT with an l2 cost (Killick et al. 2012), written here in numpy: series have < 100 points, so
  an exact O(n²)-worst-case search is instant and spares a dependency (ruptures).

A refresh watches ~80 aggregate series of equal length, so each primitive also works on all of them
at once (rows of a 2-D array): one numpy pass instead of 80 Python-level fits.

- `stl_rows` is STL (Cleveland et al. 1990) exactly as statsmodels' `STL(..., robust=True).fit()`
  computes it (same windows, degrees, jumps = 1, 2 inner × 15 outer iterations, bisquare weights
  from 6·median|r|, same fall-backs), with every LOESS step written as a product with a fixed banded
  kernel matrix: for fixed robustness weights w, a local-linear fit at x₀ is
  ȳ_w + b·(Σw·d·y/Σw − d̄_w·ȳ_w) with d = x − x₀ and b = −d̄_w / var_w(d), whose weighted sums
  are matrix products over all series at once. The moving averages and the low-pass LOESS do not
  depend on the data, so they are one precomputed matrix. Agreement with statsmodels to ~1e-12 is
  tested (tests/analytics/monitoring/test_monitoring_anomaly.py); only the summation order differs.
  `stl_residual_z` (one series, statsmodels) is kept as the reference.
- `trailing_robust_z`, `cusum` accept a 2-D array (one series per row) and give, row by row, the
  same numbers as a loop over the rows.
- `pelt_l2_many` runs the same pruned search as `pelt_l2` for many series at once (candidate sets
  as a boolean mask), so it returns exactly the change points of `pelt_l2` on each series.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Sequence

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

MAD_SCALE = 1.4826


# --- robust z ---------------------------------------------------------------------------------------

def robust_z(x: np.ndarray) -> np.ndarray:
    """Robust z of each point against the whole (finite part of the) series; NaN if MAD is 0."""
    x = np.asarray(x, dtype=float)
    ok = np.isfinite(x)
    if ok.sum() < 3:
        return np.full_like(x, np.nan)
    med = np.median(x[ok])
    mad = np.median(np.abs(x[ok] - med)) * MAD_SCALE
    if mad == 0:
        return np.full_like(x, np.nan)
    return (x - med) / mad


def robust_z_rows(X: np.ndarray, min_scale: float = 0.0) -> np.ndarray:
    """`robust_z` of each row of a 2-D array (rows without NaN in one vectorised pass).

    min_scale: floor on the scale 1.4826·MAD (0 = none, as `robust_z`), so that a series whose
    residuals are all but zero does not turn rounding-level deviations into huge z."""
    X = np.asarray(X, dtype=float)
    out = np.full_like(X, np.nan)
    full = np.isfinite(X).all(axis=1)
    if full.any() and X.shape[1] >= 3:
        A = X[full]
        med = np.median(A, axis=1)
        mad = np.maximum(np.median(np.abs(A - med[:, None]), axis=1) * MAD_SCALE, min_scale)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (A - med[:, None]) / mad[:, None]
        z[mad == 0] = np.nan
        out[full] = z
    for i in np.nonzero(~full)[0]:
        x = X[i]
        ok = np.isfinite(x)
        if ok.sum() < 3:
            continue
        med = np.median(x[ok])
        mad = max(np.median(np.abs(x[ok] - med)) * MAD_SCALE, min_scale)
        if mad > 0:
            out[i] = (x - med) / mad
    return out


def trailing_robust_z(x: np.ndarray, window: int, min_points: int | None = None,
                      min_scale: float = 0.0) -> np.ndarray:
    """Robust z of x[t] against x[t−window … t−1]; NaN until min_points (default: window) finite
    past points exist — a MAD from a handful of points flags everything. min_scale: floor on the
    scale 1.4826·MAD (0 = none).

    x may be 2-D (one series per row): all rows are done at once, with the same result as row by row.
    """
    x = np.asarray(x, dtype=float)
    X = x[None, :] if x.ndim == 1 else x
    B, T = X.shape
    out = np.full((B, T), np.nan)
    need = max(3, window if min_points is None else min_points)
    if T == 0 or window < 1:
        return out[0] if x.ndim == 1 else out
    padded = np.concatenate([np.full((B, window), np.nan), X], axis=1)
    W = sliding_window_view(padded, window, axis=1)[:, :T, :]  # W[:, t] = x[t − window … t − 1]
    fin = np.isfinite(W)
    cnt = fin.sum(axis=-1)
    valid = (cnt >= need) & np.isfinite(X)
    full = valid & (cnt == window)  # every past point finite: plain medians along the last axis
    if full.any():
        P = W[full]
        med = np.median(P, axis=1)
        mad = np.maximum(np.median(np.abs(P - med[:, None]), axis=1) * MAD_SCALE, min_scale)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(mad > 0, (X[full] - med) / mad, np.nan)
        out[full] = z
    for b, t in zip(*np.nonzero(valid & ~full)):  # windows with gaps (only with min_points < window)
        past = W[b, t][fin[b, t]]
        med = np.median(past)
        mad = max(np.median(np.abs(past - med)) * MAD_SCALE, min_scale)
        if mad > 0:
            out[b, t] = (X[b, t] - med) / mad
    return out[0] if x.ndim == 1 else out


# --- STL ----------------------------------------------------------------------------------------------

def stl_residual_z(levels: np.ndarray, period: int) -> np.ndarray:
    """Robust STL (seasonal=7, robust=True; statsmodels) on log levels; robust z of the residuals.

    Requires positive, finite levels; NaN output otherwise. One series; `stl_residual_z_rows` does
    the same for many series at once (and is what the rules use).
    """
    from statsmodels.tsa.seasonal import STL  # noqa: PLC0415 - heavy, the reference for stl_rows only (tests)

    y = np.asarray(levels, dtype=float)
    if not (np.isfinite(y).all() and (y > 0).all()) or len(y) < 2 * period + 1:
        return np.full_like(y, np.nan)
    res = STL(np.log(y), period=period, seasonal=7, robust=True).fit()
    return robust_z(res.resid)


def stl_residual_z_rows(levels: np.ndarray, period: int, seasonal: int = 7, min_scale: float = 0.0) -> np.ndarray:
    """`stl_residual_z` of every row of a 2-D array of levels (rows of equal length), at once.
    min_scale: floor on the residuals' robust scale (log units; 0 = none)."""
    L = np.asarray(levels, dtype=float)
    out = np.full(L.shape, np.nan)
    n = L.shape[1]
    if n < 2 * period + 1:
        return out
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(L).all(axis=1) & (L > 0).all(axis=1)
    if ok.any():
        Y = np.log(L[ok])
        season, trend = stl_rows(Y, period, seasonal)
        out[ok] = robust_z_rows(Y - season - trend, min_scale)
    return out


def _default_windows(period: int, seasonal: int) -> tuple[int, int]:
    """statsmodels' defaults for the trend and low-pass windows (smallest odd integers as there)."""
    trend = int(np.ceil(1.5 * period / (1 - 1.5 / seasonal)))
    trend += (trend % 2) == 0
    low_pass = period + 1
    low_pass += (low_pass % 2) == 0
    return trend, low_pass


class _Loess:
    """Local-linear LOESS of a length-n series at given points, as matrices over the n inputs.

    Point p is fitted from the inputs nleft[p]…nright[p] (1-based) at abscissa xs[p] with tricube
    weights K (STL's `est`); weighted sums over the inputs are products with K, K·d and K·d², d being
    the input position minus xs.
    """

    def __init__(self, n: int, len_: int, xs: np.ndarray, nleft: np.ndarray, nright: np.ndarray, degree: int = 1):
        P = len(xs)
        j = np.arange(1, n + 1, dtype=float)[None, :]
        xs = np.asarray(xs, dtype=float)[:, None]
        inside = (j >= np.asarray(nleft)[:, None]) & (j <= np.asarray(nright)[:, None])
        h = np.maximum(xs - np.asarray(nleft)[:, None], np.asarray(nright)[:, None] - xs)
        if len_ > n:
            h = h + (len_ - n) // 2.0
        r = np.abs(j - xs)
        with np.errstate(divide="ignore", invalid="ignore"):
            tri = (1.0 - (r / h) ** 3) ** 3
        K = np.where(r <= 0.001 * h, 1.0, tri)
        K = np.where(inside & (r <= 0.999 * h), K, 0.0)
        d = np.where(inside, j - xs, 0.0)
        self.K, self.Kd, self.Kd2 = K.T.copy(), (K * d).T.copy(), (K * d * d).T.copy()  # n × P
        self.linear = (h[:, 0] > 0) & (degree > 0)
        self.range = n - 1.0
        self.P = P

    def fit(self, y: np.ndarray, w: np.ndarray | None) -> np.ndarray:
        """Fitted values (…, P) for inputs y (…, n) with robustness weights w (or None); NaN where
        every weight is 0 (STL then falls back, as statsmodels does)."""
        wy = y if w is None else y * w
        s0 = (np.ones_like(y) if w is None else w) @ self.K
        with np.errstate(divide="ignore", invalid="ignore"):
            t0 = (wy @ self.K) / s0
            m1 = ((np.ones_like(y) if w is None else w) @ self.Kd) / s0
            m2 = ((np.ones_like(y) if w is None else w) @ self.Kd2) / s0
            t1 = (wy @ self.Kd) / s0
            c = m2 - m1 * m1
            slope = np.sqrt(np.maximum(c, 0.0)) > 0.001 * self.range
            b = -m1 / c
            ys = np.where(self.linear & slope, t0 + b * (t1 - m1 * t0), t0)
        return np.where(s0 > 0, ys, np.nan)


def _ess_points(n: int, len_: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Evaluation windows of STL's `ess` with jump 1: (xs, nleft, nright), 1-based."""
    xs = np.arange(1, n + 1)
    if len_ >= n:
        return xs, np.ones(n, dtype=int), np.full(n, n)
    nsh = (len_ + 2) // 2
    nleft = np.ones(n, dtype=int)
    nright = np.full(n, len_)
    left, right = 1, len_
    for i in range(n):
        if i + 1 > nsh and right != n:
            left, right = left + 1, right + 1
        nleft[i], nright[i] = left, right
    return xs, nleft, nright


@lru_cache(maxsize=64)
def _ess(n: int, len_: int) -> _Loess:
    return _Loess(n, len_, *_ess_points(n, len_))


@lru_cache(maxsize=64)
def _subseries(k: int, ns: int) -> _Loess:
    """Seasonal smoother of a cycle-subseries of length k: the k points and one extrapolated point
    at each end (positions 0 and k + 1), as STL's `ss`."""
    xs, nleft, nright = _ess_points(k, ns)
    xs = np.r_[0, xs, k + 1]
    nleft = np.r_[1, nleft, max(1, k - ns + 1)]
    nright = np.r_[min(ns, k), nright, k]
    return _Loess(k, ns, xs, nleft, nright)


def _moving_average_matrix(m: int, len_: int) -> np.ndarray:
    """(m − len_ + 1) × m matrix of a moving average of length len_."""
    out = np.zeros((m - len_ + 1, m))
    for i in range(m - len_ + 1):
        out[i, i:i + len_] = 1.0 / len_
    return out


@lru_cache(maxsize=64)
def _low_pass(n: int, period: int, low_pass: int) -> np.ndarray:
    """STL's low-pass filter of the cycle-subseries smooth (length n + 2·period → n): moving
    averages of length period, period, 3 and a LOESS of length low_pass, as one (n + 2p) × n matrix."""
    m = n + 2 * period
    F = _moving_average_matrix(m, period)
    F = _moving_average_matrix(m - period + 1, period) @ F
    F = _moving_average_matrix(m - 2 * period + 2, 3) @ F  # n × m
    lo = _ess(n, low_pass)
    smooth = lo.fit(np.eye(n), None)  # row q: the fit at every point of unit input q → n × n
    return (F.T @ smooth).copy()


def stl_rows(Y: np.ndarray, period: int, seasonal: int = 7, robust: bool = True,
             inner_iter: int | None = None, outer_iter: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """STL of every row of Y (finite, rows of equal length n ≥ 2·period + 1): (season, trend).

    Same algorithm, defaults and results as statsmodels.tsa.seasonal.STL(y, period, seasonal,
    robust=robust).fit() row by row (degrees 1, jumps 1).
    """
    Y = np.asarray(Y, dtype=float)
    B, n = Y.shape
    trend_len, low_len = _default_windows(period, seasonal)
    inner = (2 if robust else 5) if inner_iter is None else inner_iter
    outer = (15 if robust else 0) if outer_iter is None else outer_iter
    # cycle-subseries j = 0 … period−1 hold positions j, j + p, …; grouped by their length k
    ks = (n - 1 - np.arange(period)) // period + 1
    groups = []
    for k in sorted(set(ks.tolist())):
        js = np.nonzero(ks == k)[0]
        idx = js[:, None] + period * np.arange(k)[None, :]
        pos = js[:, None] + period * np.arange(k + 2)[None, :]
        groups.append((idx, pos, _subseries(k, seasonal)))
    low = _low_pass(n, period, low_len)
    tr = _ess(n, trend_len)
    trend = np.zeros((B, n))
    season = np.zeros((B, n))
    rw = None  # robustness weights; None = not used yet (statsmodels' userw = False)
    C = np.empty((B, n + 2 * period))
    k_outer = 0
    while True:
        for _ in range(inner):
            D = Y - trend
            for idx, pos, lo in groups:
                sub = D[:, idx]  # B × G × k
                fitted = lo.fit(sub, None if rw is None else rw[:, idx])  # B × G × (k + 2)
                bad = np.isnan(fitted)
                if bad.any():  # all weights 0: ess keeps the input, the end points their neighbour
                    mid = fitted[..., 1:-1]
                    mid[bad[..., 1:-1]] = sub[bad[..., 1:-1]]
                    fitted[..., 0] = np.where(bad[..., 0], fitted[..., 1], fitted[..., 0])
                    fitted[..., -1] = np.where(bad[..., -1], fitted[..., -2], fitted[..., -1])
                C[:, pos] = fitted
            season = C[:, period:period + n] - C @ low
            S = Y - season
            t = tr.fit(S, rw)
            trend = np.where(np.isnan(t), S, t)
        k_outer += 1
        if k_outer > outer:
            break
        rw = _robustness_weights(Y - (trend + season))
    return season, trend


def _robustness_weights(resid: np.ndarray) -> np.ndarray:
    """Bisquare weights of |residuals| / (6·median), 1 everywhere for a row whose median is 0."""
    r = np.abs(resid)
    n = r.shape[1]
    mid0 = n // 2
    mid1 = n - mid0 - 1
    part = np.partition(r, (mid1, mid0) if mid1 != mid0 else mid0, axis=1)
    cmad = 3.0 * (part[:, mid0] + part[:, mid1])
    c = cmad[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(r <= 0.001 * c, 1.0, np.where(r <= 0.999 * c, (1.0 - (r / c) ** 2) ** 2, 0.0))
    w[cmad == 0] = 1.0
    return w


# --- CUSUM --------------------------------------------------------------------------------------------

def cusum(z: np.ndarray, k: float, h: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tabular CUSUM on a standardised series; sums restart after a signal.

    Returns (S_high, S_low, signal) with signal +1 (upward shift), −1 (downward) or 0. NaN points
    leave the sums unchanged. z may be 2-D (one series per row, all run at once).
    """
    z = np.asarray(z, dtype=float)
    Z = z[None, :] if z.ndim == 1 else z
    B, T = Z.shape
    hi = np.zeros((B, T))
    lo = np.zeros((B, T))
    sig = np.zeros((B, T), dtype=int)
    sh = np.zeros(B)
    sl = np.zeros(B)
    for t in range(T):
        v = Z[:, t]
        fin = np.isfinite(v)
        sh = np.where(fin, np.maximum(0.0, v - k + sh), sh)
        sl = np.where(fin, np.maximum(0.0, -k - v + sl), sl)
        hi[:, t], lo[:, t] = sh, sl
        up = fin & (sh > h)
        down = fin & ~up & (sl > h)
        sig[up, t], sig[down, t] = 1, -1
        reset = up | down
        if reset.any():
            sh = np.where(reset, 0.0, sh)
            sl = np.where(reset, 0.0, sl)
    if z.ndim == 1:
        return hi[0], lo[0], sig[0]
    return hi, lo, sig


# --- PELT ---------------------------------------------------------------------------------------------

def pelt_l2(x: np.ndarray, penalty: float, min_size: int = 2) -> list[int]:
    """Change points (indices where a new segment starts) minimising Σ segment SSE + penalty·#cp."""
    return pelt_l2_many([x], [penalty], min_size)[0]


def pelt_l2_many(xs: Sequence[np.ndarray], penalties: Sequence[float], min_size: int = 2) -> list[list[int]]:
    """`pelt_l2` of several series (any lengths) at once: the optimal-partitioning recursion
    F(t) = min_s F(s) + SSE(s, t) + penalty over the still-possible starts s, with PELT's pruning
    (drop s once F(s) + SSE(s, t) > F(t)); SSE from cumulative sums. Ties go to the earliest start."""
    xs = [np.asarray(x, dtype=float) for x in xs]
    B = len(xs)
    out: list[list[int]] = [[] for _ in range(B)]
    if B == 0:
        return out
    lens = np.array([len(x) for x in xs])
    N = int(lens.max())
    if N < 2 * min_size:
        return out
    X = np.zeros((B, N))
    for b, x in enumerate(xs):
        X[b, :len(x)] = x
    s1 = np.concatenate([np.zeros((B, 1)), np.cumsum(X, axis=1)], axis=1)
    s2 = np.concatenate([np.zeros((B, 1)), np.cumsum(X * X, axis=1)], axis=1)
    pen = np.asarray(penalties, dtype=float)[:, None]
    F = np.full((B, N + 1), np.inf)
    F[:, 0] = -pen[:, 0]
    last = np.zeros((B, N + 1), dtype=int)
    alive = np.zeros((B, N + 1), dtype=bool)
    alive[:, 0] = True
    rows = np.arange(B)
    with np.errstate(divide="ignore", invalid="ignore"):
        for t in range(min_size, N + 1):
            m = t - np.arange(t + 1)
            cost = s2[:, t:t + 1] - s2[:, :t + 1] - (s1[:, t:t + 1] - s1[:, :t + 1]) ** 2 / m
            base = F[:, :t + 1] + cost
            ok = alive[:, :t + 1] & (m >= min_size)
            vals = np.where(ok, base + pen, np.inf)
            best = np.argmin(vals, axis=1)
            has = ok.any(axis=1)
            F[has, t] = vals[rows, best][has]
            last[has, t] = best[has]
            alive[:, :t + 1] &= (m < min_size) | (base <= F[:, t:t + 1])
            alive[:, t] = np.isfinite(F[:, t])
    for b in range(B):
        n = int(lens[b])
        if n < 2 * min_size:
            continue
        cps, t = [], n
        while t > 0:
            s = int(last[b, t])
            if s > 0:
                cps.append(s)
            t = s
        out[b] = sorted(cps)
    return out
