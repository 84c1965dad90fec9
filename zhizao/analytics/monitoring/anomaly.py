"""Anomaly and change-point primitives for short monthly series (methods.md §2.3).

- robust z: (x − median) / (1.4826·MAD)
- robust STL (statsmodels) on log levels, residual robust z
- tabular CUSUM (Page 1954): S_H = max(0, z − K + S_H), S_L = max(0, −K − z + S_L), signal at H
- PELT with an l2 cost (Killick et al. 2012), written here in numpy: series have < 100 points, so
  an exact O(n²)-worst-case search is instant and spares a dependency (ruptures) for 40 lines.
"""
from __future__ import annotations

import numpy as np
from statsmodels.tsa.seasonal import STL

MAD_SCALE = 1.4826


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


def trailing_robust_z(x: np.ndarray, window: int, min_points: int | None = None) -> np.ndarray:
    """Robust z of x[t] against x[t−window … t−1]; NaN until min_points (default: window) finite
    past points exist — a MAD from a handful of points flags everything."""
    x = np.asarray(x, dtype=float)
    out = np.full_like(x, np.nan)
    need = window if min_points is None else min_points
    for t in range(len(x)):
        past = x[max(0, t - window):t]
        past = past[np.isfinite(past)]
        if len(past) < max(3, need) or not np.isfinite(x[t]):
            continue
        med = np.median(past)
        mad = np.median(np.abs(past - med)) * MAD_SCALE
        if mad > 0:
            out[t] = (x[t] - med) / mad
    return out


def stl_residual_z(levels: np.ndarray, period: int) -> np.ndarray:
    """Robust STL (seasonal=7, robust=True) on log levels; robust z of the residuals.

    Requires positive, finite levels; NaN output otherwise.
    """
    y = np.asarray(levels, dtype=float)
    if not (np.isfinite(y).all() and (y > 0).all()) or len(y) < 2 * period + 1:
        return np.full_like(y, np.nan)
    res = STL(np.log(y), period=period, seasonal=7, robust=True).fit()
    return robust_z(res.resid)


def cusum(z: np.ndarray, k: float, h: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tabular CUSUM on a standardised series; sums restart after a signal.

    Returns (S_high, S_low, signal) with signal +1 (upward shift), −1 (downward) or 0.
    """
    z = np.asarray(z, dtype=float)
    hi = np.zeros_like(z)
    lo = np.zeros_like(z)
    sig = np.zeros(len(z), dtype=int)
    sh = sl = 0.0
    for t, v in enumerate(z):
        if not np.isfinite(v):
            hi[t], lo[t] = sh, sl
            continue
        sh = max(0.0, v - k + sh)
        sl = max(0.0, -k - v + sl)
        hi[t], lo[t] = sh, sl
        if sh > h:
            sig[t], sh, sl = 1, 0.0, 0.0
        elif sl > h:
            sig[t], sh, sl = -1, 0.0, 0.0
    return hi, lo, sig


def pelt_l2(x: np.ndarray, penalty: float, min_size: int = 2) -> list[int]:
    """Change points (indices where a new segment starts) minimising Σ segment SSE + penalty·#cp."""
    x = np.asarray(x, dtype=float)
    n = len(x)
    if n < 2 * min_size:
        return []
    s1 = np.concatenate([[0.0], np.cumsum(x)])
    s2 = np.concatenate([[0.0], np.cumsum(x * x)])

    def cost(a: int, b: int) -> float:  # SSE of x[a:b]
        m = b - a
        return s2[b] - s2[a] - (s1[b] - s1[a]) ** 2 / m

    F = np.full(n + 1, np.inf)
    F[0] = -penalty
    last = np.zeros(n + 1, dtype=int)
    candidates = [0]
    for t in range(min_size, n + 1):
        vals = [(F[s] + cost(s, t) + penalty, s) for s in candidates if t - s >= min_size]
        if vals:
            F[t], last[t] = min(vals)
        # Pruning: a start that is already worse than the optimum can never be optimal again.
        candidates = [s for s in candidates if t - s < min_size or F[s] + cost(s, t) <= F[t]]
        if np.isfinite(F[t]):
            candidates.append(t)
    cps, t = [], n
    while t > 0:
        s = last[t]
        if s > 0:
            cps.append(int(s))
        t = s
    return sorted(cps)
