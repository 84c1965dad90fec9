"""The inputs of monthly monitoring, read once for every output (CLI, dashboard, brief).

Two sources, never mixed in one table:
- synthetic (default): the SYNTHETIC enterprise data written by `zhizao synth` (a folder);
- published: the real published monthly growth rates in the store, with their source grade and
  address (zhizao.analytics.monitoring.published; read through zhizao.api.published_monitoring).

`load_monitoring_inputs` is the seam that reads either. It sits here, below the CLI, so that the
CLI (cli_monitoring), the monitoring view and the reports import it and nothing imports the CLI.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from zhizao import api
from zhizao.codes.uscc import valid_mask
from zhizao.errors import MonitoringDataMissing, UserError
from zhizao.plan.load import PlanError
from zhizao.synth import SynthData

DEFAULT_DATA = Path("zhizao-synth")
DATA_ENV = "ZHIZAO_MONITORING_DATA"
SOURCES = ("synthetic", "published")
# --by views of the published source → the subject type they read (clusters are published as industries)
PUBLISHED_VIEWS = {"city": "city", "industry": "industry", "cluster": "industry", "district": "district"}


def default_data_dir() -> Path:
    """The monitoring data folder when none is named, for every command and page that reads or writes
    it (synth, monitor, warnings, forecast, brief, serve): $ZHIZAO_MONITORING_DATA, else ./zhizao-synth."""
    env = os.environ.get(DATA_ENV, "").strip()
    return Path(env) if env else DEFAULT_DATA


@dataclass
class MonitoringInputs:
    enterprises: pd.DataFrame
    monthly: pd.DataFrame
    prices: pd.DataFrame | None
    projects: pd.DataFrame = field(default_factory=pd.DataFrame)
    project_monthly: pd.DataFrame = field(default_factory=pd.DataFrame)
    metadata: dict = field(default_factory=dict)
    source: str = "synthetic"  # synthetic | data | published
    # source == "published": the store's published growth rows (monitoring.published.PublishedData);
    # enterprises and monthly are then empty (nothing enterprise-level is published)
    published: Any = None
    data_dir: Path | None = None  # the folder read (source synthetic): the spark engine reads it itself


def check_monitoring_plan(plan: str | None, db, source: str):
    """The plan named for monitoring (None if none). The synthetic data is generated for the embedded
    default plan's districts and industries: another plan is refused rather than shown its figures."""
    if plan is None:
        return None
    try:
        p = api.resolve_plan(plan, db, register=False)
    except PlanError as e:
        raise UserError(f"规划文件无法使用：{e}", f"the plan file cannot be used: {e}") from None
    if source != "published" and p.plan.id != api.BUNDLED_PLAN_ID:
        raise UserError(
            f"合成监测数据按内置默认规划 {api.BUNDLED_PLAN_ID} 的区县与产业生成，不适用于规划“{p.plan.id}”；"
            "该规划请用 zhizao monitor/warnings/forecast --source published 读取其数据库中已公布的月度数据",
            f"the synthetic monitoring data is generated for the embedded default plan {api.BUNDLED_PLAN_ID}'s "
            f"districts and industries and does not fit plan '{p.plan.id}'; for that plan use zhizao "
            "monitor/warnings/forecast --source published (the published monthly data in its store)")
    return p


def load_monitoring_inputs(data_dir: Path | str | None = None, *, source: str = "synthetic",
                           db: Path | str | None = None, plan=None,
                           monthly_columns: tuple[str, ...] | None = None) -> MonitoringInputs:
    """The inputs of monitoring.

    source="synthetic" (default): the parquet files written by `zhizao synth` in `data_dir` (default:
    `default_data_dir()`).
    source="published": the published monthly growth rates in the store at `db` (default store; a
    new store gets the bundled data), in `.published`; growth rates only, so there are no enterprise
    frames and `refresh` does not apply (see zhizao.analytics.monitoring.published). `plan` (a Plan)
    is the plan the store is opened for: a new store gets the bundled data only for the embedded one.
    `monthly_columns`: read only these columns of the monthly reports (the spark engine reads the
    folder itself and needs from here only the periods the data span).
    """
    if source == "published":
        pub = api.published_monitoring(db, plan)
        return MonitoringInputs(pd.DataFrame(), pd.DataFrame(), None, metadata={"synthetic": False, "db": pub.db},
                                source="published", published=pub)
    if source != "synthetic":
        raise ValueError(f"unknown source {source!r}; use one of {SOURCES}")
    d = Path(data_dir) if data_dir is not None else default_data_dir()
    if not (d / "metadata.json").exists():
        raise MonitoringDataMissing(
            f"“{d}”中没有监测数据：请先运行 `zhizao synth --out {d}`（合成演示数据），或用 --data 指定数据目录，"
            "或用 --source published 读取已发布的月度数据",
            f"no monitoring data in {d}: run `zhizao synth --out {d}` first (synthetic demo data), point --data "
            "at your data folder, or use --source published for the published monthly series")
    if monthly_columns is None:
        s = SynthData.read(d)
    else:
        s = SynthData.read(d, frames=tuple(n for n in SynthData.FILES if n != "monthly"))
        s.monthly = pd.read_parquet(d / "monthly.parquet", columns=list(monthly_columns))
    bad = int((~valid_mask(s.enterprises["credit_code"].to_numpy(dtype=str))).sum())
    if bad:  # a wrong check character means a mistyped or corrupted code: refuse rather than guess
        raise ValueError(f"{bad} enterprises have an invalid 统一社会信用代码 (GB 32100 check failed)")
    return MonitoringInputs(s.enterprises, s.monthly, s.prices if len(s.prices) else None, s.projects,
                            s.project_monthly, s.metadata, "synthetic" if s.metadata.get("synthetic") else "data",
                            data_dir=d)
