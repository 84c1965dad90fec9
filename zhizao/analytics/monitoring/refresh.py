"""The full monitoring refresh used by the CLI and the bench: one function, `refresh`.

enterprise frames → dense panel → aggregate series → growth, contributions, five lights and every
registered warning rule, at one reporting period (default: the latest).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping

import numpy as np
import pandas as pd

from zhizao.analytics.monitoring.context import MonitoringContext, context_from_panel, context_with_period
from zhizao.analytics.monitoring.contributions import contributions
from zhizao.analytics.monitoring.growth import pct
from zhizao.analytics.monitoring.panel import PERIODS_PER_YEAR, add_period, build_panel, no_hugepage_advice, prev_year, ytd
from zhizao.analytics.monitoring.warnings import (RULES, WARNING_COLUMNS, WARNING_RULES, empty_warnings, lights,
                                                  slot_for)
from zhizao.codes.industries import cluster_of
from zhizao.errors import UserError
from zhizao.settings import Settings

STEPS = ("panel", "growth", "contributions", "lights", *WARNING_RULES)


@dataclass
class MonitoringResult:
    period: tuple[int, int]
    growth: pd.DataFrame  # one row per aggregate subject at the period
    city_path: pd.DataFrame  # the city's YTD and single-period growth over all periods
    contributions: pd.DataFrame  # parts of the city (district, zone, industry, cluster) at the period
    enterprises: pd.DataFrame  # enterprise growth and contributions at the period
    lights: pd.DataFrame
    warnings: pd.DataFrame
    price_basis: dict[str, str]
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step (and panel.<part>)
    context: MonitoringContext | None = None


def prepare_enterprises(enterprises: pd.DataFrame) -> pd.DataFrame:
    """Add the plan cluster from the GB/T 4754 division when the frame lacks it."""
    if "cluster" in enterprises.columns:
        return enterprises
    e = enterprises.copy()
    e["cluster"] = e["industry"].astype(str).map(cluster_of)
    return e


def growth_table(ctx: MonitoringContext, slot: int) -> pd.DataFrame:
    """YTD and single-period levels and growth (%) of every aggregate subject at `slot`."""
    rows = []
    for st, ss in ctx.series.items():
        L = ss.levels["value_added"]
        Y = ytd(L)
        p = slot - PERIODS_PER_YEAR
        cur_m, prev_m = L[:, slot], (L[:, p] if p >= 0 else np.full(len(ss.ids), np.nan))
        cur_y, prev_y = Y[:, slot], (Y[:, p] if p >= 0 else np.full(len(ss.ids), np.nan))
        rows.append(pd.DataFrame({
            "subject_type": st, "subject_id": ss.ids, "subject_name": ss.names,
            "ytd": cur_y, "ytd_prev": prev_y, "ytd_growth_pct": pct(cur_y, prev_y),
            "month_value": cur_m, "month_value_prev": prev_m, "month_growth_pct": pct(cur_m, prev_m),
        }))
    return pd.concat(rows, ignore_index=True)


def city_path(ctx: MonitoringContext) -> pd.DataFrame:
    """The city's value added per period: constant prices (value, ytd, growth) and, when the data
    carry it, current prices (value_current, ytd_current, nominal growth)."""
    L = ctx.city.levels["value_added"][0]
    Y = ytd(L)
    years, months = zip(*(ctx.period(t) for t in range(ctx.n_slots)))
    d = pd.DataFrame({"year": years, "month": months, "value": L, "ytd": Y,
                      "month_growth_pct": pct(L, prev_year(L)), "ytd_growth_pct": pct(Y, prev_year(Y))})
    cur = ctx.city.levels.get("value_added_current")
    if cur is not None:
        C = ytd(cur[0])
        d["value_current"], d["ytd_current"] = cur[0], C
        d["ytd_growth_current_pct"] = pct(C, prev_year(C))
    return d.iloc[:ctx.latest + 1]


def observations(result: MonitoringResult) -> pd.DataFrame:
    """The refresh as tidy observations: subject_type, subject_id, subject_name, year, month,
    measure, span (ytd | month), kind (level | growth_pct), price (constant | current), value."""
    y, m = result.period
    g = result.growth
    rows = []
    for span, level, growth in (("ytd", "ytd", "ytd_growth_pct"), ("month", "month_value", "month_growth_pct")):
        for kind, col in (("level", level), ("growth_pct", growth)):
            rows.append(g[["subject_type", "subject_id", "subject_name"]].assign(
                year=y, month=m, measure="value_added", span=span, kind=kind, price="constant", value=g[col]))
    p = result.city_path
    if "ytd_current" in p:
        now = p[(p["year"] == y) & (p["month"] == m)]
        city = g[g["subject_type"] == "city"].iloc[0]
        for span, kind, col in (("ytd", "level", "ytd_current"), ("ytd", "growth_pct", "ytd_growth_current_pct"),
                                ("month", "level", "value_current")):
            rows.append(pd.DataFrame([{"subject_type": "city", "subject_id": city["subject_id"],
                                       "subject_name": city["subject_name"], "year": y, "month": m,
                                       "measure": "value_added", "span": span, "kind": kind, "price": "current",
                                       "value": float(now[col].iloc[0])}]))
    return pd.concat(rows, ignore_index=True)


def contribution_table(ctx: MonitoringContext, slot: int) -> pd.DataFrame:
    """贡献率 and 拉动 of each part type's members to the city's YTD growth at `slot`."""
    frames = []
    if slot < PERIODS_PER_YEAR:
        return pd.DataFrame()
    for st, ss in ctx.series.items():
        if st == "city":
            continue
        Y = ytd(ss.levels["value_added"])
        c = contributions(Y[:, slot], Y[:, slot - PERIODS_PER_YEAR])
        d = pd.DataFrame({"subject_type": st, "subject_id": ss.ids, "subject_name": ss.names,
                          "ytd": Y[:, slot], "ytd_prev": Y[:, slot - PERIODS_PER_YEAR],
                          **{k: v for k, v in c.items() if k != "delta"}})
        d["rank"] = d["pull_pp"].rank(ascending=False, method="min").astype("Int64")
        frames.append(d)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def enterprise_table(ctx: MonitoringContext, slot: int) -> pd.DataFrame:
    """Each enterprise's YTD value added, growth, 贡献率 and 拉动 at `slot` (sums to the city)."""
    p = ctx.panel
    if p is None or slot < PERIODS_PER_YEAR:
        return pd.DataFrame()
    A = p.values["value_added"]
    ys = slot - slot % PERIODS_PER_YEAR
    ones = np.ones(slot + 1 - ys)
    cur = A[:, ys:slot + 1] @ ones  # a matrix-vector product reads the strided block at memory speed
    prev = A[:, ys - PERIODS_PER_YEAR:slot - PERIODS_PER_YEAR + 1] @ ones
    c = contributions(cur, prev)
    e = p.enterprises
    cols = [k for k in ("credit_code", "name", "district", "industry", "cluster") if k in e.columns]
    d = e[cols].copy() if cols else pd.DataFrame(index=e.index)
    d["ytd"], d["ytd_prev"] = cur, prev
    for k in ("growth_pct", "contribution_pct", "pull_pp"):
        d[k] = c[k]
    d["reported"] = p.reported[:, slot]
    return d


class _Steps:
    """Times each step and reports it to the progress callback."""

    def __init__(self, progress: Callable[[str], None] | None):
        self.progress = progress
        self.timings: dict[str, float] = {}
        self._t = time.perf_counter()

    def __call__(self, step: str) -> None:
        t = time.perf_counter()
        self.timings[step] = t - self._t
        self._t = t
        if self.progress:
            self.progress(step)


def refresh(enterprises: pd.DataFrame, monthly: pd.DataFrame, prices: pd.DataFrame | None = None, *,
            period: tuple[int, int] | str | None = None, settings: Settings | Mapping | None = None,
            rules: Iterable[str] | None = None,
            progress: Callable[[str], None] | None = None) -> MonitoringResult:
    """Full monitoring refresh. `progress(step)` is called after each step of STEPS; the result's
    timings hold each step's seconds and, as panel.<part>, the panel step's parts (index, scatter,
    deflation, totals, aggregates: the benchmark's profile)."""
    steps = _Steps(progress)
    parts: dict[str, float] = {}
    with no_hugepage_advice():
        panel = build_panel(prepare_enterprises(enterprises), monthly, prices, timings=parts)
        t = time.perf_counter()
        ctx = context_from_panel(panel)
        parts["aggregates"] = time.perf_counter() - t
    steps("panel")
    steps.timings.update({f"panel.{k}": v for k, v in parts.items()})
    return _refresh(ctx, period, settings, rules, steps)


def refresh_period(ctx: MonitoringContext, enterprises: pd.DataFrame, rows: pd.DataFrame,
                   prices: pd.DataFrame | None = None, *, settings: Settings | Mapping | None = None,
                   rules: Iterable[str] | None = None,
                   progress: Callable[[str], None] | None = None) -> MonitoringResult:
    """The refresh for a new reporting period without recomputing history: its reports go into the
    panel (`add_period`), each aggregate gets that period's column (`context_with_period`), and the
    results and warning rules are computed at it. Equal to `refresh` on all the data (tested).
    `ctx` must come from a refresh on micro-data; its panel's arrays are updated in place, so use the
    returned result's context from then on."""
    if ctx.panel is None:
        raise UserError("追加新的一期需要由企业月报构建的监测结果", "a new period needs a context built from enterprise micro-data")
    steps = _Steps(progress)
    t = time.perf_counter()
    with no_hugepage_advice():
        panel, slot = add_period(ctx.panel, prepare_enterprises(enterprises), rows, prices)
        t1 = time.perf_counter()
        new = context_with_period(ctx, panel, slot)
    steps("panel")
    steps.timings.update({"panel.new_period": t1 - t, "panel.aggregates": time.perf_counter() - t1})
    return _refresh(new, panel.period(slot), settings, rules, steps)


def refresh_context(ctx: MonitoringContext, *, period: tuple[int, int] | str | None = None,
                    settings: Settings | Mapping | None = None, rules: Iterable[str] | None = None,
                    progress: Callable[[str], None] | None = None) -> MonitoringResult:
    """The same refresh from a built context (e.g. aggregate series without enterprises)."""
    return _refresh(ctx, period, settings, rules, _Steps(progress))


def _refresh(ctx: MonitoringContext, period, settings, rules, steps: _Steps) -> MonitoringResult:
    s = settings if isinstance(settings, Settings) else Settings(settings)
    slot = slot_for(ctx, period)
    g = growth_table(ctx, slot)
    path = city_path(ctx)
    steps("growth")
    contrib = contribution_table(ctx, slot)
    ent = enterprise_table(ctx, slot)
    steps("contributions")
    lt = lights(ctx, slot, s)
    steps("lights")
    frames = []
    for name in (list(rules) if rules is not None else list(WARNING_RULES)):  # the five lights are in `lt`
        frames.append(RULES[name](ctx, slot, s))
        steps(name)
    frames = [f for f in frames if len(f)]
    warnings = pd.concat(frames, ignore_index=True)[WARNING_COLUMNS] if frames else empty_warnings()
    return MonitoringResult(ctx.period(slot), g, path, contrib, ent, lt, warnings, dict(ctx.basis),
                            steps.timings, ctx)
