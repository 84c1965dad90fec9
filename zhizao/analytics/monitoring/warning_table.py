"""The warning table and the rule registry: every rule takes (context, slot, settings) and returns a
frame with exactly WARNING_COLUMNS: subject_type, subject_id, subject_name, period ('YYYY-MM', the last
month of the reporting period), rule, severity (high / medium / low), evidence (JSON-able dict),
explanation_zh, explanation_en. Thresholds are read from settings by name (declared in `settings.py`);
rule bodies hold none. Shared helpers of the rule modules live here too.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from zhizao import labels
from zhizao.analytics.monitoring.context import SUBJECT_LABELS, MonitoringContext
from zhizao.analytics.monitoring.growth import pct
from zhizao.analytics.monitoring.panel import prev_year, ytd
from zhizao.analytics.monitoring.periods import parse_period
from zhizao.settings import Settings

WARNING_COLUMNS = ["subject_type", "subject_id", "subject_name", "period", "rule", "severity",
                   "evidence", "explanation_zh", "explanation_en"]
SEVERITIES = ("high", "medium", "low")
SEVERITY_ZH = {k: v[0] for k, v in labels.SEVERITY.items()}
AGGREGATE_TYPES = ("city", "district", "zone", "industry", "cluster")
PART_TYPES = ("district", "zone", "industry", "cluster")

RuleFunc = Callable[[MonitoringContext, int, Settings], pd.DataFrame]


@dataclass(frozen=True)
class Rule:
    name: str
    func: RuleFunc
    subject_types: tuple[str, ...]
    title_zh: str
    title_en: str
    settings: tuple[str, ...]  # names of the settings the rule reads
    signal: bool = False  # a status (the five lights), shown as a column: not run as a warning by default

    def __call__(self, ctx: MonitoringContext, slot: int, settings: Settings) -> pd.DataFrame:
        return self.func(ctx, slot, settings)


RULES: dict[str, Rule] = {}


def register(name: str, subject_types: tuple[str, ...], title_zh: str, title_en: str,
             settings: tuple[str, ...], signal: bool = False) -> Callable[[RuleFunc], RuleFunc]:
    def deco(func: RuleFunc) -> RuleFunc:
        RULES[name] = Rule(name, func, subject_types, title_zh, title_en, settings, signal)
        return func
    return deco


def empty_warnings() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in WARNING_COLUMNS})


def slot_for(ctx: MonitoringContext, period) -> int:
    """Reporting-period index of (year, month) or 'YYYY-MM'; None → the latest with data."""
    if period is None:
        return ctx.latest
    y, m = parse_period(period) if isinstance(period, str) else period
    return ctx.slot(y, m)


# --- small helpers ----------------------------------------------------------------------------------

def _num(x, nd: int = 4):
    """JSON-able number: python float rounded, None for NaN/inf."""
    if x is None:
        return None
    x = float(x)
    return round(x, nd) if np.isfinite(x) else None


def _period_text(ctx: MonitoringContext, slot: int) -> str:
    y, m = ctx.period(slot)
    return f"{y}-{m:02d}"


def _frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=WARNING_COLUMNS) if rows else empty_warnings()


def _cached(ctx: MonitoringContext, key, make):
    if key not in ctx.cache:
        ctx.cache[key] = make()
    return ctx.cache[key]


def _va(ctx: MonitoringContext, st: str) -> np.ndarray:
    return ctx.series[st].levels["value_added"]


def _ytd_growth(ctx: MonitoringContext, st: str, measure: str = "value_added") -> np.ndarray:
    def make():
        L = ctx.series[st].levels[measure]
        Y = ytd(L)
        return pct(Y, prev_year(Y))
    return _cached(ctx, ("ytd_growth", st, measure), make)


def _label(st: str, lang: str) -> str:
    return SUBJECT_LABELS[st][0 if lang == "zh" else 1]


def _who(st: str, name: str, lang: str) -> str:
    """The subject as an explanation names it: the kind only where the name does not already say it
    (大足区, not 区县大足区; Dazu District, not District Dazu District)."""
    if st in ("city", "district", "zone"):
        return name
    return f"{_label(st, lang)}{'' if lang == 'zh' else ' '}{name}"


def _subject_types(ctx: MonitoringContext, wanted: Iterable[str]) -> list[str]:
    return [st for st in wanted if st in ctx.series]


def _march_policy(ctx: MonitoringContext, slot: int, s: Settings) -> str | None:
    """'downgrade' / 'suppress' when the period is March and the setting asks; None otherwise."""
    _, m = ctx.period(slot)
    mode = s["spring_festival_march"]
    return mode if m == 3 and mode in ("downgrade", "suppress") else None


