"""Which of several published values for the same period to use.

The rule (docs/methodology.md §Selection): final over preliminary, then the higher source grade,
then an exact value over a qualified one (超/近/约 …), then the latest vintage, then the latest
import. Every other value stays visible as a conflict.
"""
from __future__ import annotations

import pandas as pd

GRADE_RANK = {"A": 0, "B": 1, "C": 2, "D": 3, "none": 4}
KEY = ["series", "region", "industry", "period_key"]


def deciding_grade(grade: str | None, min_grade: str) -> bool:
    """Grade D (and rows without a source address) never decide a status on their own."""
    return GRADE_RANK.get(grade or "none", 4) <= GRADE_RANK[min_grade]


def rank_rows(obs: pd.DataFrame) -> pd.DataFrame:
    """`obs` sorted so that, within each key, the preferred row comes first."""
    if obs.empty:
        return obs
    ranked = obs.assign(
        _status_rank=(obs["status"] != "final").astype(int),
        _grade_rank=obs["grade"].fillna("none").map(GRADE_RANK).fillna(4),
        _exact_rank=(obs["qualifier"] != "exact").astype(int),
        _vintage=pd.to_datetime(obs["vintage"]).fillna(pd.Timestamp("1900-01-01")),
    )
    ranked = ranked.sort_values(
        ["_status_rank", "_grade_rank", "_exact_rank", "_vintage", "obs_id"],
        ascending=[True, True, True, False, False],
        kind="stable",
    )
    return ranked.drop(columns=["_status_rank", "_grade_rank", "_exact_rank", "_vintage"])


def select_best(obs: pd.DataFrame, key: list[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(chosen, others): one preferred row per key, and the rows it was preferred over."""
    if key is None:  # values on different bases (比上年, 累计, 年均 …) are not versions of one another
        key = KEY + [c for c in ("basis", "basis_from") if c in obs.columns]
    if obs.empty:
        return obs, obs
    ranked = rank_rows(obs)
    first = ~ranked.duplicated(key, keep="first")
    return ranked[first].reset_index(drop=True), ranked[~first].reset_index(drop=True)
