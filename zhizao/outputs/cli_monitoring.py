"""CLI commands of monthly monitoring: synth, monitor, warnings, forecast.

`register(app)` adds them to the main Typer app. For now they read SYNTHETIC enterprise data written
by `zhizao synth`; `load_monitoring_inputs` is the seam where the published series from the store
will be connected.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

import numpy as np
import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

DEFAULT_DATA = Path("zhizao-synth")

LABELS = {
    "subject_type": ("类型", "Type"), "subject_id": ("代码", "Code"), "subject_name": ("名称", "Name"),
    "period": ("期别", "Period"), "rule": ("规则", "Rule"), "severity": ("级别", "Severity"),
    "explanation": ("说明", "Explanation"), "ytd_growth_pct": ("累计增长%", "YTD growth %"),
    "month_growth_pct": ("当月增长%", "Month growth %"), "share_prev_pct": ("上年比重%", "Share (prev) %"),
    "contribution_pct": ("贡献率%", "Contribution %"), "pull_pp": ("拉动(百分点)", "Pull (pp)"),
    "rank": ("位次", "Rank"), "light": ("信号灯", "Light"), "year": ("年", "Year"), "month": ("月", "Month"),
    "ytd": ("累计值(万元)", "YTD (10k yuan)"), "growth_pct": ("增长%", "Growth %"),
    "completion_pct": ("完成率%", "Completion %"), "schedule_pct": ("序时进度%", "Schedule %"),
    "gap_pp": ("差距(百分点)", "Gap (pp)"), "planned_investment": ("计划投资(万元)", "Planned (10k yuan)"),
    "cumulative_investment": ("累计完成(万元)", "Done (10k yuan)"), "name": ("名称", "Name"),
    "credit_code": ("统一社会信用代码", "Credit code"), "district_name": ("区县", "District"),
    "target_pct": ("目标%", "Target %"), "required_rest_pct": ("余下月份需增长%", "Needed rest %"),
    "through_month": ("截至月份", "Through month"), "growth_lo": ("下限%", "Low %"),
    "growth_hi": ("上限%", "High %"), "level": ("全年预测值(万元)", "Annual level (10k yuan)"),
}
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
SEVERITY_ZH = {"high": "高", "medium": "中", "low": "低"}
LIGHT_EN = {"过热": "red (overheated)", "偏热": "yellow (warm)", "正常": "green (normal)",
            "偏冷": "light blue (cool)", "过冷": "blue (cold)"}


@dataclass
class MonitoringInputs:
    enterprises: pd.DataFrame
    monthly: pd.DataFrame
    prices: pd.DataFrame | None
    projects: pd.DataFrame = field(default_factory=pd.DataFrame)
    project_monthly: pd.DataFrame = field(default_factory=pd.DataFrame)
    metadata: dict = field(default_factory=dict)
    source: str = "synthetic"


def load_monitoring_inputs(data_dir: Path | str = DEFAULT_DATA) -> MonitoringInputs:
    """The inputs of monitoring. SEAM: today the synthetic parquet files written by `zhizao synth`;
    the lead will add the published monthly series from the store here (as aggregate levels, see
    zhizao.analytics.monitoring.context.context_from_levels)."""
    from zhizao.codes.uscc import valid_mask  # noqa: PLC0415
    from zhizao.synth import SynthData  # noqa: PLC0415

    d = Path(data_dir)
    if not (d / "metadata.json").exists():
        raise FileNotFoundError(f"no monitoring data in {d}: run `zhizao synth --out {d}` first")
    s = SynthData.read(d)
    bad = int((~valid_mask(s.enterprises["credit_code"].to_numpy(dtype=str))).sum())
    if bad:  # a wrong check character means a mistyped or corrupted code: refuse rather than guess
        raise ValueError(f"{bad} enterprises have an invalid 统一社会信用代码 (GB 32100 check failed)")
    return MonitoringInputs(s.enterprises, s.monthly, s.prices if len(s.prices) else None, s.projects,
                            s.project_monthly, s.metadata, "synthetic" if s.metadata.get("synthetic") else "data")


def _lab(key: str, lang: str) -> str:
    return LABELS.get(key, (key, key))[0 if lang == "zh" else 1]


def _settings(pairs: Optional[List[str]]):
    """Settings from NAME=VALUE overrides (unknown names are refused by Settings)."""
    from zhizao.settings import Settings  # noqa: PLC0415

    overrides = {}
    for p in pairs or []:
        name, sep, value = p.partition("=")
        if not sep:
            raise typer.BadParameter(f"expected NAME=VALUE, got {p!r}")
        overrides[name.strip()] = value.strip()
    return Settings(overrides)


def _emit(df: pd.DataFrame, fmt: str, lang: str, title: str, console: Console) -> None:
    if fmt == "json":
        sys.stdout.write(df.to_json(orient="records", force_ascii=False, indent=2, default_handler=str) + "\n")
    elif fmt == "csv":
        out = df.copy()
        for c in out.columns:
            if out[c].map(lambda v: isinstance(v, dict)).any():
                out[c] = out[c].map(lambda v: json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v)
        sys.stdout.write(out.to_csv(index=False))
    else:
        t = Table(title=title, show_lines=False)
        for c in df.columns:
            t.add_column(_lab(c, lang), justify="right" if pd.api.types.is_numeric_dtype(df[c]) else "left")
        for row in df.itertuples(index=False):
            t.add_row(*[_cell(v) for v in row])
        console.print(t)


def _cell(v) -> str:
    if v is None or (isinstance(v, float) and not np.isfinite(v)) or v is pd.NA:
        return "—"
    if isinstance(v, (float, np.floating)):
        return f"{v:,.2f}"
    return str(v)


def _synthetic_banner(inputs: MonitoringInputs, console: Console, lang: str, fmt: str) -> None:
    if inputs.source == "synthetic" and fmt == "table":
        console.print("[bold yellow]" + ("合成数据（非真实企业数据）" if lang == "zh" else
                                          "SYNTHETIC data (not real enterprises)") + "[/]")


def _run_refresh(inputs: MonitoringInputs, period, settings, console: Console, lang: str):
    from zhizao.analytics.monitoring.refresh import STEPS, refresh  # noqa: PLC0415

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as prog:
        task = prog.add_task("监测刷新" if lang == "zh" else "Monitoring refresh", total=len(STEPS))
        return refresh(inputs.enterprises, inputs.monthly, inputs.prices, period=period, settings=settings,
                       progress=lambda step: prog.update(task, advance=1, description=step))


def register(app: typer.Typer) -> None:
    """Add the monitoring commands to `app`."""

    @app.command("synth")
    def synth_cmd(
        out: Path = typer.Option(DEFAULT_DATA, "--out", help="output directory / 输出目录"),
        enterprises: int = typer.Option(6700, "--enterprises", help="enterprises in the first year"),
        months: int = typer.Option(72, "--months", help="calendar months"),
        start: str = typer.Option("2019-01", "--start", help="first month (a January)"),
        seed: int = typer.Option(0, "--seed"),
        no_anomalies: bool = typer.Option(False, "--no-anomalies", help="inject no anomalies"),
        lang: str = typer.Option("zh", "--lang", help="zh | en"),
    ) -> None:
        """生成合成企业月度数据（带注入异常及其真值表）/ Write SYNTHETIC enterprise data."""
        from zhizao.synth import generate  # noqa: PLC0415

        console = Console(stderr=True)
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                      console=console, transient=True) as prog:
            prog.add_task("生成合成数据…" if lang == "zh" else "Generating synthetic data…")
            data = generate(enterprises, months, start, seed, anomalies=None if no_anomalies else "default")
            paths = data.write(out)
        t = Table(title=("合成数据已写入 " if lang == "zh" else "SYNTHETIC data written to ") + str(out))
        t.add_column("file")
        t.add_column("rows", justify="right")
        for p in paths:
            name = p.stem
            rows = len(getattr(data, name)) if hasattr(data, name) and p.suffix == ".parquet" else ""
            t.add_row(p.name, str(rows))
        console.print(t)
        cal = data.metadata["calibration"]["city_va_ytd_growth"]
        done = [c for c in cal if c["basis"] == "published"]
        console.print(("已校准到公布的累计增速 " if lang == "zh" else "Calibrated to published YTD growth at ")
                      + ", ".join(f"{c['year']}-{c['month']:02d} {c['synthetic_ytd_growth_pct']:.1f}%" for c in done))

    @app.command("monitor")
    def monitor_cmd(
        period: Optional[str] = typer.Option(None, "--period", help="YYYY-MM (default: latest)"),
        by: str = typer.Option("district", "--by", help="city|district|zone|industry|cluster|enterprise|project"),
        fmt: str = typer.Option("table", "--format", help="table|json|csv"),
        data: Path = typer.Option(DEFAULT_DATA, "--data", help="data directory"),
        top: int = typer.Option(20, "--top", help="rows for --by enterprise"),
        lang: str = typer.Option("zh", "--lang", help="zh | en"),
        set_: Optional[List[str]] = typer.Option(None, "--set", help="setting override NAME=VALUE (repeatable)"),
    ) -> None:
        """月度监测：累计/当月增速、贡献率与拉动、位次 / Monthly growth, contributions and ranks."""
        from zhizao.analytics.monitoring.growth import target_gap  # noqa: PLC0415
        from zhizao.analytics.monitoring.projects import project_progress  # noqa: PLC0415

        console = Console(stderr=fmt != "table")
        inputs = load_monitoring_inputs(data)
        _synthetic_banner(inputs, console, lang, fmt)
        s = _settings(set_)
        r = _run_refresh(inputs, period, s, console, lang)
        y, m = r.period
        title = f"{y}年1—{m}月" if lang == "zh" else f"{y}-{m:02d} YTD"
        if by == "city":
            path = r.city_path[["year", "month", "value"]]
            df = target_gap(path, float(s["target_annual_growth_pct"]))
            df = df.merge(r.city_path[["year", "month", "month_growth_pct"]], on=["year", "month"])
            df = df[["year", "month", "ytd_growth_pct", "month_growth_pct", "target_pct", "gap_pp", "required_rest_pct"]]
        elif by == "enterprise":
            e = r.enterprises.assign(abs_pull=lambda d: d["pull_pp"].abs()).nlargest(top, "abs_pull")
            df = e[["credit_code", "name", "district", "industry", "ytd", "growth_pct", "contribution_pct", "pull_pp"]]
        elif by == "project":
            df = project_progress(inputs.projects, inputs.project_monthly, r.period)
            df = df.sort_values("gap_pp").head(top)[["project_id", "name", "district", "planned_investment",
                                                      "cumulative_investment", "completion_pct", "schedule_pct", "gap_pp"]]
        else:
            c = r.contributions[r.contributions["subject_type"] == by]
            g = r.growth[r.growth["subject_type"] == by][["subject_id", "month_growth_pct"]]
            lt = r.lights[(r.lights["subject_type"] == by) & (r.lights["measure"] == "value_added")][["subject_id", "light"]]
            df = c.merge(g, on="subject_id", how="left").merge(lt, on="subject_id", how="left")
            if lang == "en" and by in ("district", "industry", "cluster", "zone"):
                ss = r.context.series[by]
                df["subject_name"] = df["subject_id"].map(dict(zip(ss.ids, ss.names_en)))
            df = df.sort_values("rank")[["subject_id", "subject_name", "ytd", "growth_pct", "month_growth_pct",
                                         "share_prev_pct", "contribution_pct", "pull_pp", "rank", "light"]]
            df = df.rename(columns={"growth_pct": "ytd_growth_pct"})
            if lang == "en" and fmt == "table":
                df["light"] = df["light"].map(LIGHT_EN).fillna(df["light"])
        _emit(df.reset_index(drop=True), fmt, lang, title, console)

    @app.command("warnings")
    def warnings_cmd(
        period: Optional[str] = typer.Option(None, "--period", help="YYYY-MM (default: latest)"),
        severity: str = typer.Option("low", "--severity", help="minimum severity: high|medium|low"),
        rule: Optional[List[str]] = typer.Option(None, "--rule", help="only these rules"),
        fmt: str = typer.Option("table", "--format", help="table|json|csv"),
        data: Path = typer.Option(DEFAULT_DATA, "--data", help="data directory"),
        limit: int = typer.Option(200, "--limit", help="max rows in table format"),
        lang: str = typer.Option("zh", "--lang", help="zh | en"),
        set_: Optional[List[str]] = typer.Option(None, "--set", help="setting override NAME=VALUE (repeatable)"),
    ) -> None:
        """预警：目标差距、五色灯、异常与转折、企业风险、拖累 / Early warnings."""
        console = Console(stderr=fmt != "table")
        inputs = load_monitoring_inputs(data)
        _synthetic_banner(inputs, console, lang, fmt)
        r = _run_refresh(inputs, period, _settings(set_), console, lang)
        w = r.warnings
        w = w[w["severity"].map(SEVERITY_ORDER) <= SEVERITY_ORDER.get(severity, 2)]
        if rule:
            w = w[w["rule"].isin(rule)]
        w = w.sort_values(["severity", "rule"], key=lambda c: c.map(SEVERITY_ORDER) if c.name == "severity" else c)
        if fmt == "table":
            col = "explanation_zh" if lang == "zh" else "explanation_en"
            view = w[["severity", "rule", "subject_name", col]].rename(columns={col: "explanation"}).head(limit)
            if lang == "zh":
                view = view.assign(severity=view["severity"].map(SEVERITY_ZH))
            _emit(view.reset_index(drop=True), fmt, lang, f"{len(w)} " + ("条预警" if lang == "zh" else "warnings"), console)
        else:
            _emit(w.reset_index(drop=True), fmt, lang, "", console)

    @app.command("forecast")
    def forecast_cmd(
        period: Optional[str] = typer.Option(None, "--period", help="cut-off YYYY-MM (default: latest)"),
        fmt: str = typer.Option("table", "--format", help="table|json|csv"),
        data: Path = typer.Option(DEFAULT_DATA, "--data", help="data directory"),
        lang: str = typer.Option("zh", "--lang", help="zh | en"),
        set_: Optional[List[str]] = typer.Option(None, "--set", help="setting override NAME=VALUE (repeatable)"),
    ) -> None:
        """全年增速与总量预测（含预测区间）/ Forecast of the year's growth and level."""
        from zhizao.analytics.monitoring.forecast import forecast_year  # noqa: PLC0415

        console = Console(stderr=fmt != "table")
        inputs = load_monitoring_inputs(data)
        _synthetic_banner(inputs, console, lang, fmt)
        s = _settings(set_)
        r = _run_refresh(inputs, period, s, console, lang)
        y, m = r.period
        f = forecast_year(r.city_path[["year", "month", "value"]], y, m, alpha=float(s["forecast_alpha"]),
                          n_sim=int(s["forecast_simulations"]))
        df = pd.DataFrame([{"year": y, "through_month": m, "ytd_growth_pct": f["ytd_growth_pct"],
                            "growth_pct": f["growth_pct"], "growth_lo": f["growth_lo"], "growth_hi": f["growth_hi"],
                            "level": f["level"], "model": f["model"]}])
        title = (f"全年预测（{int((1 - float(s['forecast_alpha'])) * 100)}%预测区间，不变价）" if lang == "zh"
                 else f"Annual forecast ({int((1 - float(s['forecast_alpha'])) * 100)}% interval, constant prices)")
        _emit(df, fmt, lang, title, console)
