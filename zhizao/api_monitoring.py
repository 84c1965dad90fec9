"""The stored monitoring panel: a refresh's context kept on disk (issue 15, docs/monitoring.md §At scale).

    import zhizao.api as zz
    r = zz.refresh(enterprises, monthly, prices)          # full refresh (zhizao.analytics.monitoring)
    zz.save_panel(r.context, "panel", source={...})       # the panel, its aggregates and subjects
    ctx = zz.load_panel("panel")                          # memory-mapped: no pass over the data
    r = zz.refresh_context(ctx)                           # the results again, from the stored aggregates
    r = zz.add_period("panel", rows, prices)              # next month: one column, history untouched

The folder (zhizao.store.arrays) holds the enterprise × period arrays as .npy files opened
memory-mapped, the aggregate series and the metadata in one small file that is replaced last, and
the enterprise frame. `add_period` writes the new period's column in place and then commits; a new
year or new enterprises rewrite the folder. Its results equal a full refresh on all the data.
"""
from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Callable, Iterable, Mapping

import numpy as np
import pandas as pd

from zhizao.analytics.monitoring.context import MonitoringContext, SeriesSet, groups_from_matrix, subject_name
from zhizao.analytics.monitoring.panel import Panel
from zhizao.analytics.monitoring.refresh import MonitoringResult, refresh, refresh_period
from zhizao.codes.regions import CITY_CODE, CITY_NAME, CITY_NAME_EN
from zhizao.errors import UserError
from zhizao.settings import Settings
from zhizao.store import arrays

__all__ = ["save_panel", "load_panel", "panel_meta", "add_period", "refresh_data", "spark_session"]

SPARK_MASTER_ENV = "ZHIZAO_SPARK_MASTER"
_FRAMES = ("enterprises", "monthly", "prices")

_SERIES_MEASURES = ("value_added", "value_added_comparable")


def save_panel(ctx: MonitoringContext, folder: Path | str, source: Mapping | None = None) -> None:
    """Store a context built from micro-data (a refresh's `result.context`). `source` says where the
    reports came from (e.g. the synthetic generator's metadata); it is kept and returned by panel_meta."""
    if ctx.panel is None or ctx.groups is None:
        raise UserError("只有由企业月报构建的监测结果才能存为面板", "only a refresh of enterprise micro-data can be stored")
    large, small, meta = _parts(ctx)
    meta["source"] = dict(source or {})
    arrays.write_folder(folder, large, small, {"enterprises": ctx.panel.enterprises}, meta)


def panel_meta(folder: Path | str) -> dict:
    """The stored panel's metadata: first year, periods, latest period, measures, price basis, source."""
    return arrays.read_meta(folder)


def load_panel(folder: Path | str) -> MonitoringContext:
    """The stored context, its enterprise arrays memory-mapped read-only."""
    f = arrays.open_folder(folder)
    latest = f.meta["latest"]
    if f.large["reported"][latest + 1:].any():
        raise UserError(f"{folder} 中有一期未完成的追加：请重新运行 add_period 追加该期",
                        f"{folder} holds an unfinished new period: run add_period for it again")
    return _context(f)


def add_period(folder: Path | str, rows: pd.DataFrame, prices: pd.DataFrame | None = None, *,
               enterprises: pd.DataFrame | None = None, settings: Settings | Mapping | None = None,
               rules: Iterable[str] | None = None,
               progress: Callable[[str], None] | None = None) -> MonitoringResult:
    """Add the next reporting period's enterprise reports to the stored panel and return its refresh.

    rows: enterprise_id, year, month and the panel's measures, one reporting period (1–2月 may hold
    January and February rows). enterprises: the directory with new enterprises appended (default:
    the stored one). Nothing is written unless the period is accepted; a refused period raises
    UserError with the reason."""
    t0 = time.perf_counter()
    f = arrays.open_folder(folder, writable=True)
    _clean_after(f)
    ctx = _context(f)
    opened = time.perf_counter() - t0
    n, T = ctx.panel.n, ctx.n_slots
    try:
        result = refresh_period(ctx, ctx.panel.enterprises if enterprises is None else enterprises, rows, prices,
                                settings=settings, rules=rules, progress=progress)
    except UserError:
        _clean_after(f)  # nothing of a refused period stays
        arrays.flush(f)
        raise
    new = result.context
    large, small, meta = _parts(new)
    meta["source"] = f.meta.get("source", {})
    t0 = time.perf_counter()
    if (new.panel.n, new.n_slots) != (n, T):
        arrays.write_folder(folder, large, small, {"enterprises": new.panel.enterprises}, meta)
    else:
        arrays.flush(f)
        arrays.commit_small(folder, small, meta)
    result.timings.update({"store.open": opened, "store.write": time.perf_counter() - t0})
    return result


# --- the folder's parts -----------------------------------------------------------------------------

def _parts(ctx: MonitoringContext) -> tuple[dict, dict, dict]:
    p, g = ctx.panel, ctx.groups
    # period-major on disk (T × n): a new period's cells are one contiguous run of each file, so it
    # touches and writes a few MB, not every page of the enterprise × period arrays
    large = {f"values.{m}": a.T for m, a in p.values.items()}
    large["reported"] = p.reported.T
    large.update({f"groups.{st}": c.astype(np.int32) for st, c in g.codes.items()})
    large["groups_matrix.indptr"], large["groups_matrix.indices"] = g.matrix.indptr, g.matrix.indices
    if p.industry_codes is not None:
        large["industry_codes"] = np.asarray(p.industry_codes[0], dtype=np.int32)
    small = {f"city.{m}": np.asarray(v) for m, v in p.city_totals.items()}
    small["series.city.value_added_comparable"] = ctx.city.levels["value_added_comparable"]
    for st in g.spans:
        for m in _SERIES_MEASURES:
            small[f"series.{st}.{m}"] = ctx.series[st].levels[m]
    meta = {"first_year": p.first_year, "n_slots": p.n_slots, "n": p.n, "latest": ctx.latest,
            "period": "%d-%02d" % ctx.period(ctx.latest), "measures": list(p.values), "measures_in": list(p.measures_in),
            "price_basis": dict(p.price_basis), "industries": list(p.industry_codes[1]) if p.industry_codes else None,
            "groups": {st: ids for st, (_, _, ids) in g.spans.items()}}
    return large, small, meta


def _context(f: arrays.ArrayFolder) -> MonitoringContext:
    m, L, S = f.meta, f.large, f.small
    T = m["n_slots"]
    inds = m.get("industries")
    panel = Panel(m["first_year"], T, f.frames["enterprises"], {k: L[f"values.{k}"].T for k in m["measures"]},
                  L["reported"].T, {k[5:]: np.array(v) for k, v in S.items() if k.startswith("city.")},
                  dict(m["price_basis"]), tuple(m["measures_in"]),
                  (np.asarray(L["industry_codes"]), list(inds)) if inds is not None else None)
    spans, row = {}, 1
    for st, ids in m["groups"].items():
        spans[st] = (row, row + len(ids), list(ids))
        row += len(ids)
    groups = groups_from_matrix(L["groups_matrix.indptr"], L["groups_matrix.indices"], spans,
                                {st: L[f"groups.{st}"] for st in m["groups"]})
    city_levels = {k: v.reshape(1, T) for k, v in panel.city_totals.items()}
    city_levels["value_added_comparable"] = np.array(S["series.city.value_added_comparable"])
    series = {"city": SeriesSet("city", [CITY_CODE], [CITY_NAME], city_levels, [CITY_NAME_EN])}
    for st, ids in m["groups"].items():
        series[st] = SeriesSet(st, ids, [subject_name(st, i) for i in ids],
                               {k: np.array(S[f"series.{st}.{k}"]) for k in _SERIES_MEASURES},
                               [subject_name(st, i, "en") for i in ids])
    return MonitoringContext(panel.first_year, T, m["latest"], series, panel, dict(panel.price_basis), groups=groups)


def _clean_after(f: arrays.ArrayFolder) -> None:
    """Empty the cells after the committed period (left by an interrupted or refused new period)."""
    nxt = f.meta["latest"] + 1
    rep = f.large["reported"]  # periods × enterprises
    if nxt < rep.shape[0] and rep[nxt:].any():
        rep[nxt:] = False
        for k in f.meta["measures"]:
            f.large[f"values.{k}"][nxt:] = 0.0


# --- the engine: one machine or Spark -----------------------------------------------------------------

def refresh_data(folder: Path | str, *, period: tuple[int, int] | str | None = None,
                 settings: Settings | Mapping | None = None, rules: Iterable[str] | None = None,
                 progress: Callable[[str], None] | None = None, spark=None) -> MonitoringResult:
    """The full refresh of a monitoring data folder — zhizao synth's layout: enterprises.parquet,
    monthly.parquet (one file, or a folder of Parquet parts for data written in pieces) and
    prices.parquet (optional) — on the engine the `monitoring_engine` setting names: numpy (one
    machine) or spark (`spark`: a session, default spark_session())."""
    s = settings if isinstance(settings, Settings) else Settings(settings)
    remote = "://" in str(folder)  # hdfs://, s3a://, …: only Spark reads those, and checks them itself
    if s["monitoring_engine"] == "spark":
        session = spark if spark is not None else spark_session()  # first: it names a missing pyspark or Java
        from zhizao.analytics.monitoring.spark import refresh_spark  # optional extra: only the spark engine loads pyspark

        base = str(folder).rstrip("/")
        if not remote:
            _check_folder(Path(folder))
        try:
            frames = {k: session.read.parquet(f"{base}/{k}.parquet")
                      if remote or (Path(folder) / f"{k}.parquet").exists() else None for k in _FRAMES}
            return refresh_spark(frames["enterprises"], frames["monthly"], frames["prices"], period=period,
                                 settings=s, rules=rules, progress=progress)
        except UserError:
            raise
        except Exception as e:  # Spark's own errors (a missing path, a lost executor …) come as Java traces
            first = _spark_reason(e)
            raise UserError(f"Spark 刷新失败：{first}（检查数据路径与 Spark 集群，见 docs/monitoring.md §Scale）",
                            f"the Spark refresh failed: {first} (check the data path and the Spark cluster; "
                            "docs/monitoring.md §Scale)") from None
    if remote:
        raise UserError("numpy 引擎只读本机目录；远程路径请用 -s monitoring_engine=spark",
                        "the numpy engine reads local folders only; for a remote path use -s monitoring_engine=spark")
    folder = Path(folder)
    _check_folder(folder)
    paths = {name: folder / f"{name}.parquet" for name in _FRAMES}
    frames = {k: pd.read_parquet(p) if p.exists() else None for k, p in paths.items()}
    return refresh(frames["enterprises"], frames["monthly"], frames["prices"], period=period, settings=s,
                   rules=rules, progress=progress)


def _spark_reason(e: Exception) -> str:
    """The line of a Spark error that says what happened: the Java exception's message when there is
    one (a Py4J error's first line only names the call), else the first line."""
    lines = [x.strip().lstrip(": ") for x in str(e).strip().splitlines() if x.strip().lstrip(": ")]
    said = [x for x in lines[1:] if re.match(r"^[\w.$]+(Exception|Error): ", x)]
    return (said[0] if said else lines[0] if lines else type(e).__name__)[:400]


def _check_folder(folder: Path) -> None:
    for name in ("enterprises", "monthly"):
        if not (folder / f"{name}.parquet").exists():
            raise UserError(f"监测数据目录 {folder} 中没有 {name}.parquet", f"{folder} has no {name}.parquet")


def spark_session(master: str | None = None, **conf: str):
    """A Spark session for the spark engine. master: a cluster's URL (spark://host:7077, yarn,
    k8s://https://…) runs the work there; default $ZHIZAO_SPARK_MASTER, else local[*] (this machine's
    cores). conf: more Spark settings (e.g. spark.executor.memory="8g"). A missing pyspark or Java is
    a UserError naming the install step."""
    try:
        from pyspark.sql import SparkSession  # optional extra zhizao[spark]
    except ImportError:
        raise UserError("Spark 引擎需要 pyspark：pip install 'zhizao[spark]'（测试安装 scripts/install.sh --test 已含）",
                        "the spark engine needs pyspark: pip install 'zhizao[spark]' (scripts/install.sh --test "
                        "installs it)") from None
    import shutil  # only here: the Java check of the optional engine

    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise UserError("Spark 引擎需要 Java 运行环境：apt-get install openjdk-17-jre-headless（scripts/install-system.sh 会安装）",
                        "the spark engine needs a Java runtime: apt-get install openjdk-17-jre-headless "
                        "(scripts/install-system.sh installs it)")
    url = master or os.environ.get(SPARK_MASTER_ENV, "").strip() or "local[*]"
    # the driver collects the enterprise table (about 100 bytes an enterprise): more than Spark's 1 GiB default
    builder = (SparkSession.builder.master(url).appName("zhizao-monitoring")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "8")
               .config("spark.driver.maxResultSize", "8g")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true"))
    if url.startswith("local"):
        builder = builder.config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
    for k, v in conf.items():
        builder = builder.config(k, v)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session
