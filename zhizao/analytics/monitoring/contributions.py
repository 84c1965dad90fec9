"""贡献率 (contribution share) and 拉动 (pull, percentage points), and rankings.

For parts i of a total Y (docs/reference/methods.md §2.4):
    ΔY_i = Y_i,t − Y_i,t−1 (same period of the previous year; YTD levels for 累计)
    贡献率_i = ΔY_i / ΣΔY × 100           Σ 贡献率 = 100
    拉动_i   = ΔY_i / ΣY_t−1 × 100         Σ 拉动 = total growth (%)
The parts must partition the total; use constant-price levels for real growth. When only growth
rates and last year's structure are known, 拉动_i = w_i,t−1 · g_i (`pulls_from_growth`).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from zhizao.analytics.monitoring.growth import pct


def contributions(cur: Sequence[float] | np.ndarray, prev: Sequence[float] | np.ndarray) -> dict[str, np.ndarray]:
    """Arrays of parts' current and previous levels → growth, share, 贡献率 and 拉动 (numpy)."""
    cur = np.asarray(cur, dtype=float)
    prev = np.asarray(prev, dtype=float)
    cur0, prev0 = np.nan_to_num(cur), np.nan_to_num(prev)  # a part absent in a year counts as 0
    delta = cur0 - prev0
    total_prev = prev0.sum()
    total_delta = delta.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        pull = delta / total_prev * 100 if total_prev > 0 else np.full_like(delta, np.nan)
        share = prev0 / total_prev * 100 if total_prev > 0 else np.full_like(delta, np.nan)
        contrib = delta / total_delta * 100 if total_delta != 0 else np.full_like(delta, np.nan)
    return {"growth_pct": pct(cur, prev), "share_prev_pct": share, "contribution_pct": contrib,
            "pull_pp": pull, "delta": delta}


def contribution_table(levels: pd.DataFrame, part: str, cur: str = "cur", prev: str = "prev",
                       by: Sequence[str] = ()) -> pd.DataFrame:
    """Add growth_pct, share_prev_pct, contribution_pct, pull_pp and rank to a frame of parts.

    `levels` has one row per part (and per `by` group, e.g. period) with current and previous levels.
    Rank 1 = largest pull.
    """
    frames = []
    groups = levels.groupby(list(by), sort=False) if by else [((), levels)]
    for _, g in groups:
        g = g.copy()
        for k, v in contributions(g[cur].to_numpy(), g[prev].to_numpy()).items():
            if k != "delta":
                g[k] = v
        g["rank"] = g["pull_pp"].rank(ascending=False, method="min").astype("Int64")
        frames.append(g)
    return pd.concat(frames, ignore_index=True) if frames else levels.assign(
        growth_pct=[], share_prev_pct=[], contribution_pct=[], pull_pp=[], rank=[])


def pulls_from_growth(weights_prev: pd.Series, growth_pct: pd.Series) -> pd.DataFrame:
    """拉动 = w_i,t−1 · g_i when only growth rates and last year's structure are published.

    weights_prev need not sum to 1 (they are normalised); the implied total growth is Σ pulls.
    """
    w = weights_prev.astype(float) / weights_prev.astype(float).sum()
    g = growth_pct.reindex(w.index).astype(float)
    pull = w * g
    total = pull.sum()
    return pd.DataFrame({
        "share_prev_pct": w * 100,
        "growth_pct": g,
        "pull_pp": pull,
        "contribution_pct": pull / total * 100 if total != 0 else np.nan,
    })


def rank(df: pd.DataFrame, value: str, by: Sequence[str] = (), ascending: bool = False,
         out: str = "rank") -> pd.DataFrame:
    """Competition ranking (1, 2, 2, 4) of `value`, within `by` groups; NaN values get no rank."""
    d = df.copy()
    r = d.groupby(list(by))[value].rank(ascending=ascending, method="min") if by else \
        d[value].rank(ascending=ascending, method="min")
    d[out] = r.astype("Int64")
    return d
