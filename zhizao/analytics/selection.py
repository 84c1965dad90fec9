"""Which of several published values for the same period to use — the one rule, in one place.

The rule (docs/methodology.md §1): final over preliminary, then the higher source grade, then an
exact value over a qualified one (超/近/约 …), then a published value over one zhizao derived, then a
value with a known vintage over one without, the later known vintage first, then the latest import.
An undated value never beats a dated revision: its date is unknown, not early or late.
Every other value stays visible as a conflict. `rank_rows` (data frames of observations),
`rank_records` (observations as dicts, the assessment's fast path) and `pick` (the assessment's
candidates) apply the same `preference` key.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

# R: an office's own register (imported project register, enterprise registry): decides like B
GRADE_RANK = {"A": 0, "B": 1, "R": 1, "C": 2, "D": 3, "none": 4}
KEY = ["series", "region", "industry", "period_key"]


def deciding_grade(grade: str | None, min_grade: str) -> bool:
    """Grade D (and rows without a source address) never decide a status on their own."""
    return GRADE_RANK.get(grade or "none", 4) <= GRADE_RANK[min_grade]


def _day(v: Any) -> str | None:
    if v is None:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return str(v)[:10] or None


def _neg(text: str) -> str:
    # Later dates first under an ascending sort: invert each digit.
    return "".join(chr(ord("9") - ord(ch) + ord("0")) if ch.isdigit() else ch for ch in text)


def preference(status: str | None, grade: str | None, qualifier: str | None, *, derived: bool = False,
               vintage: Any = None, obs_id: int | None = None) -> tuple:
    """Sort key: the preferred value sorts first."""
    day = _day(vintage)
    grade = grade if isinstance(grade, str) else "none"
    return (
        status != "final",
        GRADE_RANK.get(grade, 4),
        (qualifier or "exact") != "exact",
        bool(derived),
        day is None,                     # a known vintage over an unknown one
        _neg(day) if day else "",        # the later known vintage first
        -(obs_id or 0),                  # then the latest import
    )


def candidate_key(c: dict) -> tuple:
    """`preference` for an assessment candidate (zhizao.analytics.evidence._candidate)."""
    return preference(c["status"], c["grade"], c["qualifier"], derived=c["transform"] != "identity",
                      vintage=c["vintage"], obs_id=max(c.get("obs_ids") or [0]))


def pick(cands: list[dict]) -> tuple[dict, list[dict]]:
    """The preferred candidate and the rest (its conflicts)."""
    ordered = sorted(cands, key=candidate_key)
    return ordered[0], ordered[1:]


def rank_rows(obs: pd.DataFrame) -> pd.DataFrame:
    """`obs` sorted so that, within each key, the preferred row comes first (the `preference` key)."""
    if obs.empty:
        return obs
    keys = [preference(s, g, q, vintage=v, obs_id=int(i) if pd.notna(i) else 0)
            for s, g, q, v, i in zip(obs["status"], obs["grade"], obs["qualifier"], obs["vintage"], obs["obs_id"])]
    order = sorted(range(len(obs)), key=lambda k: keys[k])
    return obs.iloc[order]


def select_best(obs: pd.DataFrame, key: list[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(chosen, others): one preferred row per key, and the rows it was preferred over."""
    if key is None:  # values on different bases (比上年, 累计, 年均 …) are not versions of one another
        key = KEY + [c for c in ("basis", "basis_from") if c in obs.columns]
    if obs.empty:
        return obs, obs
    ranked = rank_rows(obs)
    first = ~ranked.duplicated(key, keep="first")
    return ranked[first].reset_index(drop=True), ranked[~first].reset_index(drop=True)


def _row_key(r: dict) -> tuple:
    return preference(r["status"], r.get("grade"), r["qualifier"], vintage=r["vintage"],
                      obs_id=int(r["obs_id"]) if pd.notna(r["obs_id"]) else 0)


def rank_records(rows: list[dict]) -> list[dict]:
    """`rank_rows` for observations as dicts (one per row, as DataFrame.iterrows gives them)."""
    keys = [_row_key(r) for r in rows]
    return [rows[k] for k in sorted(range(len(rows)), key=keys.__getitem__)]


def select_best_records(rows: list[dict], key: tuple[str, ...] = ("period_key",)) -> tuple[list[dict], list[dict]]:
    """`select_best` for observations as dicts: (chosen, others), both in preference order."""
    chosen: list[dict] = []
    others: list[dict] = []
    seen: set = set()
    for r in rank_records(rows):
        k = tuple(None if _missing(r.get(c)) else r.get(c) for c in key)  # missing keys are equal, as in duplicated()
        (others if k in seen else chosen).append(r)
        seen.add(k)
    return chosen, others


def _missing(v: Any) -> bool:
    try:
        return v is None or bool(pd.isna(v))
    except (TypeError, ValueError):
        return False
