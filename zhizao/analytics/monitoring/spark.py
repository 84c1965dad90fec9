"""The monitoring refresh on Apache Spark: the results of `refresh`, for micro-data that outgrow one
machine (all provinces' enterprises, or all enterprises rather than 规上 only). Issue 15; needs the
optional extra `zhizao[spark]` and a Java runtime (docs/monitoring.md §Scale).

Spark does what grows with the data: from the enterprise reports (Spark DataFrames the caller read,
e.g. `spark.read.parquet` of a partitioned folder) it assigns reporting periods, adds January into
1–2月, deflates, and sums by subject and period — value added, the comparable-enterprise pairs (an
enterprise's value in a period and a year earlier, both reported) and the city totals of every
measure. The driver receives the aggregate series (subjects × periods: a few thousand numbers) and
the enterprise cells of the periods the enterprise rules and tables read (the two years ending at
the period), and runs zhizao's own code on them — chained comparable index, growth, contributions,
five lights, every warning rule. The rules thus have one implementation and the numpy refresh is the
reference: tests/analytics/monitoring/test_monitoring_spark.py compares the two on synthetic data.

By construction two things differ: sums are added in another order (agreement to ~1e-12 relative),
and the panel's rows are in enterprise_id order (the numpy refresh keeps the given frame's order).
When January and February prices of one industry differ, the February deflator is used for 1–2月.
"""
from __future__ import annotations

import time
from typing import Callable, Iterable, Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
from pyspark.sql import DataFrame as SparkFrame, Window, functions as F

from zhizao.analytics.monitoring.context import GROUP_COLUMNS, MonitoringContext, SeriesSet, subject_name
from zhizao.analytics.monitoring.panel import (CITY_MEASURES, DEFLATED, DENSE_MEASURES, PERIODS_PER_YEAR, Panel,
                                               chain_index)
from zhizao.analytics.monitoring.refresh import MonitoringResult, _refresh, _Steps
from zhizao.analytics.monitoring.warning_table import slot_for
from zhizao.codes.industries import cluster_of
from zhizao.codes.regions import CITY_CODE, CITY_NAME, CITY_NAME_EN
from zhizao.errors import UserError
from zhizao.settings import Settings

P = PERIODS_PER_YEAR
WINDOW_PIECE_CELLS = 20_000_000  # enterprise cells the driver receives at a time (~0.7 GB in Arrow)


def refresh_spark(enterprises: SparkFrame, monthly: SparkFrame, prices: SparkFrame | None = None, *,
                  period: tuple[int, int] | str | None = None, settings: Settings | Mapping | None = None,
                  rules: Iterable[str] | None = None,
                  progress: Callable[[str], None] | None = None) -> MonitoringResult:
    """`refresh` with the data-sized work on Spark. enterprises, monthly and prices have the columns
    `refresh` takes. The result's timings hold the Spark parts as `spark.<part>`."""
    steps = _Steps(progress)
    parts: dict[str, float] = {}
    t = time.perf_counter()
    ent = _with_cluster(enterprises)
    groups = [c for c in GROUP_COLUMNS.values() if c in ent.columns]
    keep = [c for c in ("enterprise_id", "credit_code", "name", "district", "zone", "industry", "cluster",
                        "size_class") if c in ent.columns]  # what the tables and warnings show: the driver holds one row per enterprise
    ent_pd = ent.select(*keep).orderBy("enterprise_id").toArrow().to_pandas()
    measures = [m for m in CITY_MEASURES if m in monthly.columns]
    if "value_added" not in measures:
        raise UserError("企业月报缺少增加值（value_added）列", "the enterprise reports lack the value_added column")
    dense = [m for m in DENSE_MEASURES if m in measures]
    span = monthly.agg(F.min("year"), F.max("year")).first()
    first_year, T = int(span[0]), (int(span[1]) - int(span[0]) + 1) * P
    parts["spark.enterprises"] = time.perf_counter() - t

    t = time.perf_counter()
    cells, basis = _cells(monthly, ent, groups, measures, dense, prices, first_year, T)
    cells = cells.cache()
    city = _by_slot(cells.groupBy("slot").agg(*[F.sum(m).alias(m) for m in [*measures, "value_added_current"]]), T)
    if not np.isfinite(city["value_added"]).any():
        raise UserError("企业月报中没有名录内企业的数据", "no report belongs to an enterprise of the directory")
    sums, nums, dens = _group_sums(cells, groups)
    parts["spark.aggregates"] = time.perf_counter() - t

    t = time.perf_counter()
    any_report = np.isfinite(city["value_added"])
    series = _series(ent_pd, groups, sums, nums, dens, city, any_report, T)
    latest = int(np.nonzero(any_report)[0].max())
    probe = MonitoringContext(first_year, T, latest, series)
    slot = slot_for(probe, period)
    panel = _window_panel(cells, ent_pd, dense, slot, first_year, T, city, basis, measures)
    cells.unpersist()
    parts["spark.window"] = time.perf_counter() - t
    ctx = MonitoringContext(first_year, T, latest, series, panel, dict(basis))
    steps("panel")
    steps.timings.update(parts)
    return _refresh(ctx, probe.period(slot), settings, rules, steps)


def _with_cluster(ent: SparkFrame) -> SparkFrame:
    """The plan cluster from the GB/T 4754 division when the frame lacks it (as prepare_enterprises)."""
    if "cluster" in ent.columns:
        return ent
    inds = [r[0] for r in ent.select(F.col("industry").cast("string")).distinct().collect()]
    mapping = ent.sparkSession.createDataFrame(pa.table({"industry": inds, "cluster": [cluster_of(i) for i in inds]}))
    return ent.withColumn("industry", F.col("industry").cast("string")).join(F.broadcast(mapping), "industry", "left")


def _cells(monthly, ent, groups, measures, dense, prices, first_year, T):
    """One row per enterprise and reporting period: the measures summed (January into 1–2月; a
    missing value counts 0), value_added_current kept, the dense measures deflated."""
    zero = F.lit(0.0)
    keys = ["industry", *[g for g in groups if g != "industry"]]
    m = monthly.join(ent.select("enterprise_id", *[F.col(k).cast("string").alias(k) for k in keys]),
                     "enterprise_id")  # reports of enterprises outside the directory are left out, as in build_panel
    m = m.withColumn("slot", _slot(first_year))
    cells = m.groupBy("enterprise_id", "slot", *keys).agg(
        *[F.sum(F.coalesce(F.nanvl(F.col(x).cast("double"), zero), zero)).alias(x) for x in measures])
    cells = cells.withColumn("value_added_current", F.col("value_added"))
    basis = {x: ("physical" if x == "electricity" else "current") for x in measures}
    if prices is not None:
        p = prices.withColumn("slot", _slot(first_year)).filter((F.col("slot") >= 0) & (F.col("slot") < T))
        later = Window.partitionBy("industry", "slot").orderBy(F.desc("month"))
        p = (p.withColumn("industry", F.col("industry").cast("string")).withColumn("_r", F.row_number().over(later))
             .filter(F.col("_r") == 1).select("industry", "slot", F.col("deflator").cast("double").alias("_d")))
        cells = cells.join(F.broadcast(p), ["industry", "slot"], "left").withColumn("_d", F.coalesce("_d", F.lit(1.0)))
        for x in DEFLATED:
            if x in dense:
                cells = cells.withColumn(x, F.col(x) / F.col("_d"))
                basis[x] = "constant"
        cells = cells.drop("_d")
    return cells, basis


def _slot(first_year: int):
    return ((F.col("year").cast("int") - first_year) * P + F.greatest(F.col("month").cast("int"), F.lit(2)) - 2
            ).cast("int")


def _by_slot(df: SparkFrame, T: int) -> dict[str, np.ndarray]:
    """A per-slot Spark aggregate as arrays of length T (NaN where a slot has no row)."""
    a = df.toArrow().to_pandas()
    out = {}
    for c in a.columns:
        if c == "slot":
            continue
        v = np.full(T, np.nan)
        v[a["slot"].to_numpy()] = a[c].to_numpy(dtype=float)
        out[c] = v
    return out


def _group_sums(cells: SparkFrame, groups: list[str]):
    """(value-added sums, comparable numerator, denominator) by (subject type, id, slot), in one pass
    each: every cell stands once for each of its groups."""
    types = [st for st, col in GROUP_COLUMNS.items() if col in groups]
    tagged = F.explode(F.array(*[F.struct(F.lit(st).alias("st"), F.col(GROUP_COLUMNS[st]).cast("string").alias("id"))
                                 for st in types]))
    cur = cells.select("enterprise_id", "slot", "value_added", tagged.alias("g"))
    sums = cur.groupBy("g.st", "g.id", "slot").agg(F.sum("value_added").alias("v")).toArrow().to_pandas()
    prev = cells.select("enterprise_id", (F.col("slot") + P).alias("slot"), F.col("value_added").alias("prev"))
    pairs = cells.select("enterprise_id", "slot", "value_added", *groups).join(prev, ["enterprise_id", "slot"]) \
        .filter(F.col("prev") > 0)
    # the city is one more group every pair belongs to: one aggregation after the one join
    with_city = F.explode(F.array(F.struct(F.lit("city").alias("st"), F.lit(CITY_CODE).alias("id")),
                                  *[F.struct(F.lit(st).alias("st"), F.col(GROUP_COLUMNS[st]).cast("string").alias("id"))
                                    for st in types]))
    pairs_g = pairs.select("slot", "value_added", "prev", with_city.alias("g")) \
        .groupBy("g.st", "g.id", "slot").agg(F.sum("value_added").alias("num"), F.sum("prev").alias("den")) \
        .toArrow().to_pandas()
    city = pairs_g["st"] == "city"
    return sums, pairs_g[~city], pairs_g[city]


def _series(ent_pd, groups, sums, pairs, city_pairs, city, any_report, T) -> dict[str, SeriesSet]:
    """The aggregate series as context_from_panel makes them: value added (NaN where nobody
    reported) and the comparable chained index."""
    def pair_arrays(frame, rows, index):
        num, den = np.zeros((rows, T - P)), np.zeros((rows, T - P))
        r = index(frame)
        s = frame["slot"].to_numpy() - P
        ok = (s >= 0) & (s < T - P) & (r >= 0)
        num[r[ok], s[ok]] = frame["num"].to_numpy(dtype=float)[ok]
        den[r[ok], s[ok]] = frame["den"].to_numpy(dtype=float)[ok]
        return num, den

    city_levels = {m: v.reshape(1, T) for m, v in city.items()}
    num, den = pair_arrays(city_pairs, 1, lambda f: np.zeros(len(f), dtype=np.int64))
    city_levels["value_added_comparable"] = chain_index(city_levels["value_added"], num, den)
    out = {"city": SeriesSet("city", [CITY_CODE], [CITY_NAME], city_levels, [CITY_NAME_EN])}
    for st, col in GROUP_COLUMNS.items():
        if col not in groups:
            continue
        _, uniq = pd.factorize(ent_pd[col].astype(str), sort=True)
        ids = [str(u) for u in uniq]
        pos = pd.Index(ids)
        s = sums[sums["st"] == st]
        r = pos.get_indexer(s["id"].astype(str))
        va = np.zeros((len(ids), T))
        va[r[r >= 0], s["slot"].to_numpy()[r >= 0]] = s["v"].to_numpy(dtype=float)[r >= 0]
        p = pairs[pairs["st"] == st]
        num, den = pair_arrays(p, len(ids), lambda f: pos.get_indexer(f["id"].astype(str)))
        comp = chain_index(va, num, den)
        va[:, ~any_report] = np.nan
        out[st] = SeriesSet(st, ids, [subject_name(st, i) for i in ids], {"value_added": va, "value_added_comparable": comp},
                            [subject_name(st, i, "en") for i in ids])
    return out


def _window_panel(cells, ent_pd, dense, slot, first_year, T, city, basis, measures) -> Panel:
    """The enterprise cells of the periods the enterprise rules and tables read at `slot` — from two
    years before it (the same period a year earlier, and that year's start) — in a panel of full
    width: the other periods stay unwritten zeros (period-major, so they take no memory)."""
    lo = max(0, slot - 2 * P + 1)
    ids = ent_pd["enterprise_id"].to_numpy()
    n = len(ids)
    values = {m: np.zeros((T, n)).T for m in dense}
    reported = np.zeros((T, n), dtype=bool).T
    window = cells.filter((F.col("slot") >= lo) & (F.col("slot") <= slot)).select("enterprise_id", "slot", *dense)
    # in pieces of enterprises, straight from Arrow into the arrays: neither the JVM nor Python ever holds
    # the whole window (22 periods × every enterprise) at once
    pieces = max(1, -(-n * (slot - lo + 1) // WINDOW_PIECE_CELLS))
    bounds = [ids[min(i * n // pieces, n - 1)] for i in range(pieces)] + [None]
    for first, last in zip(bounds[:-1], bounds[1:]):
        cond = F.col("enterprise_id") >= int(first)
        if last is not None:
            cond &= F.col("enterprise_id") < int(last)
        part = window.filter(cond).toArrow()
        rows = np.searchsorted(ids, part.column("enterprise_id").to_numpy())
        slots = part.column("slot").to_numpy()
        for m in dense:
            values[m][rows, slots] = part.column(m).to_numpy()
        reported[rows, slots] = True
        del part
    city_totals = {m: v for m, v in city.items()}
    return Panel(first_year, T, ent_pd, values, reported, city_totals, {m: basis[m] for m in measures},
                 tuple(measures))
