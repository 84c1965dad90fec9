"""CLI commands of monthly monitoring: synth, monitor, warnings, forecast.

`register(app)` adds them to the main Typer app. Two sources (`--source`), never mixed in one table:
- synthetic (default): the SYNTHETIC enterprise data written by `zhizao synth` (`--data DIR`);
- published: the real published monthly growth rates in the store (`--db PATH`), with their source
  grade and address (zhizao.analytics.monitoring.published). They are sparse, so what is missing is
  said, not filled in.
`load_monitoring_inputs` is the seam that reads either.
"""
from __future__ import annotations

from zhizao import labels

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, List, Optional

import numpy as np
import pandas as pd
import typer
from zhizao.errors import MonitoringDataMissing
from zhizao.outputs.console import make_console
from zhizao.outputs.monitoring_inputs import (DEFAULT_DATA, PUBLISHED_VIEWS, SOURCES,  # noqa: F401 (re-exported)
                                              MonitoringInputs, check_monitoring_plan, load_monitoring_inputs)
from zhizao.outputs.spreadsheet_safe import write_csv
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

LABELS = labels.COLUMN
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
SEVERITY_ZH = {k: v[0] for k, v in labels.SEVERITY.items()}
LIGHT_EN = {k: v[1] for k, v in labels.LIGHT.items()}


PLAN_HELP = ("规划（编号或路径，亦可用 ZHIZAO_PLAN）：--source published 按该规划打开数据库；合成数据只适用于内置默认规划 "
             "/ plan id or path (or ZHIZAO_PLAN): --source published opens the store for it; the synthetic data fits "
             "the embedded default plan only")


def _plan_or_exit(plan: Optional[str], db, source: str, lang: str):
    """check_monitoring_plan for a command: the reason in the user's language, exit 2."""
    from zhizao.errors import UserError  # noqa: PLC0415

    try:
        return check_monitoring_plan(plan, db, source)
    except UserError as e:
        make_console(stderr=True).print(e.reason(lang), style="red", markup=False, highlight=False)
        raise typer.Exit(2) from None


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
        sys.stdout.write(write_csv(out))  # text neutralised against formula injection
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


# --- published source -----------------------------------------------------------------------------

def _check_source(source: str) -> str:
    if source not in SOURCES:
        raise typer.BadParameter(f"--source must be one of {', '.join(SOURCES)}")
    return source


def _published_banner(inputs: MonitoringInputs, console: Console, lang: str, fmt: str) -> None:
    if fmt == "table":
        console.print("[bold cyan]" + ("公布数据（真实、零星：只有已公布的月份与指标；每行附来源等级与地址）" if lang == "zh" else
                                        "PUBLISHED data (real, sparse: only the months and series that were published; "
                                        "each row with its source grade and address)") + f"[/]  store: {inputs.published.db}")


def _published_period(inputs: MonitoringInputs, period: Optional[str]) -> tuple[int, int]:
    from zhizao.analytics.monitoring.periods import parse_period  # noqa: PLC0415
    from zhizao.analytics.monitoring.published import latest_period  # noqa: PLC0415

    if period:
        return parse_period(period)
    p = latest_period(inputs.published)
    if p is None:
        raise typer.BadParameter("the store has no published 规模以上工业增加值累计增长率; import it first")
    return p


def _emit_published(df: pd.DataFrame, fmt: str, lang: str, title: str, console: Console) -> None:
    """As _emit; in table format the source addresses become numbered references listed below the
    table (full addresses stay in json/csv), and empty columns are dropped."""
    if fmt != "table" or "source_url" not in df:
        _emit(df, fmt, lang, title, console)
        return
    urls = [u for u in dict.fromkeys(df["source_url"]) if isinstance(u, str) and u]
    ref = {u: f"[{i + 1}]" for i, u in enumerate(urls)}
    view = df.assign(source_url=df["source_url"].map(lambda u: ref.get(u, "")))
    view = view[[c for c in view.columns if not (view[c].isna() | (view[c].astype(str) == "")).all()]]
    _emit(view.rename(columns={"source_url": "ref"}), fmt, lang, title, console)
    grades = dict(zip(df["source_url"], df["grade"])) if "grade" in df else {}
    for u in urls:
        console.print(f"  {ref[u]} {grades.get(u, '')} {u}", overflow="fold")


def _say_missing(console: Console, lang: str, what_zh: str, what_en: str) -> None:
    console.print("[yellow]" + (what_zh if lang == "zh" else what_en) + "[/]")


def _city_line(inputs, y: int, m: int, s, console: Console, lang: str, fmt: str) -> None:
    """The city's YTD growth, target gap and light at the period (table format), or what is missing."""
    from zhizao.analytics.monitoring.published import city_path, periods  # noqa: PLC0415

    p = city_path(inputs.published, s, lang)
    row = p[(p["year"] == y) & (p["month"] == m)]
    if row.empty:
        have = ", ".join(f"{a}-{b:02d}" for a, b in periods(inputs.published) if a == y) or "—"
        _say_missing(console, lang, f"全市规模以上工业增加值累计增长率 {y}-{m:02d} 未公布（{y}年已公布：{have}），不计算目标差距。",
                     f"The city's YTD value-added growth is not published for {y}-{m:02d} (published in {y}: {have}); "
                     f"no target gap.")
        return
    _emit_published(row[["year", "month", "ytd_growth_pct", "target_pct", "gap_pp", "required_rest_pct", "light",
                         "grade", "source_url"]].reset_index(drop=True), fmt, lang,
                    "全市（公布数）" if lang == "zh" else "City (published)", console)
    if fmt == "table":
        _say_missing(console, lang, "余下月份需增长%为近似值：上年各月水平未公布，按各月等量（s = m/12）估算。",
                     "'Needed rest %' is approximate: last year's monthly levels are not published; months taken as equal (s = m/12).")


def _monitor_published(inputs, period, by, fmt, lang, s, console) -> None:
    from zhizao.analytics.monitoring.published import city_path, growth_table  # noqa: PLC0415

    view = PUBLISHED_VIEWS.get(by)
    if view is None:
        raise typer.BadParameter(f"--by {by} is not available with --source published: nothing at that level is "
                                 f"published; use one of {', '.join(PUBLISHED_VIEWS)}")
    _published_banner(inputs, console, lang, fmt)
    if view != "city" and not period:  # default: the latest period with a published value at this level
        from zhizao.analytics.monitoring.published import latest_period  # noqa: PLC0415

        latest = latest_period(inputs.published, view)
        period = f"{latest[0]}-{latest[1]:02d}" if latest else None
    y, m = _published_period(inputs, period)
    if view == "city":
        df = city_path(inputs.published, s, lang)
        title = "全市规上工业增加值累计增长（公布数）与目标路径" if lang == "zh" else "City YTD value-added growth (published) and the target path"
        _emit_published(df, fmt, lang, title, console)
        if fmt == "table":
            _say_missing(console, lang, "只列已公布的月份；余下月份需增长%为近似值（上年各月水平未公布，按各月等量估算）。",
                         "Only published months are listed; 'needed rest %' is approximate (last year's monthly "
                         "levels are not published; months taken as equal).")
        return
    df = growth_table(inputs.published, (y, m), view, s, lang)
    title = (f"{y}年1—{m}月 规上工业增加值累计增长（公布数，{'分产业' if view == 'industry' else '分区县'}）" if lang == "zh"
             else f"{y}-{m:02d} YTD growth (published, by {'industry' if view == 'industry' else 'district'})")
    if fmt == "table":
        if df["ytd_growth_pct"].notna().sum() == 0:
            _say_missing(console, lang, f"{y}-{m:02d} 没有公布的{'产业' if view == 'industry' else '区县'}累计增速。",
                         f"Nothing published for {y}-{m:02d} at this level.")
        cols = ["subject_name", *(["series"] if view != "industry" else []), "ytd_growth_pct", "light", "grade",
                "source_url", "conflict", "note"]
        _emit_published(df[cols], fmt, lang, title, console)
        _city_line(inputs, y, m, s, console, lang, fmt)
    else:
        _emit(df, fmt, lang, title, console)


def _warnings_published(inputs, period, severity, rule, fmt, limit, lang, s, console) -> None:
    from zhizao.analytics.monitoring.published import NOT_RUN, warnings_table  # noqa: PLC0415

    _published_banner(inputs, console, lang, fmt)
    y, m = _published_period(inputs, period)
    w = warnings_table(inputs.published, (y, m), s)
    w = w[w["severity"].map(SEVERITY_ORDER) <= SEVERITY_ORDER.get(severity, 2)]
    if rule:
        w = w[w["rule"].isin(rule)]
    w = w.sort_values(["severity", "rule"], key=lambda c: c.map(SEVERITY_ORDER) if c.name == "severity" else c)
    if fmt == "table":
        col = "explanation_zh" if lang == "zh" else "explanation_en"
        view = w.assign(grade=w["evidence"].map(lambda e: e.get("grade")), source_url=w["evidence"].map(lambda e: e.get("source_url")))
        view = view[["severity", "rule", "subject_name", col, "grade", "source_url"]].rename(columns={col: "explanation"}).head(limit)
        if lang == "zh":
            view = view.assign(severity=view["severity"].map(SEVERITY_ZH))
        _emit_published(view.reset_index(drop=True), fmt, lang, f"{y}-{m:02d}: {len(w)} " + ("条预警（公布数）" if lang == "zh" else "warnings (published)"), console)
    else:
        _emit(w.reset_index(drop=True), fmt, lang, "", console)
    console.print("未运行的规则（公布数据不足）：" if lang == "zh" else "Rules not run on published data:")
    for k, v in NOT_RUN.items():
        console.print(f"  {k}: {v[0 if lang == 'zh' else 1]}")


def _forecast_published(inputs, period, fmt, lang, console) -> None:
    from zhizao.analytics.monitoring.published import forecast  # noqa: PLC0415

    _published_banner(inputs, console, lang, fmt)
    y, m = _published_period(inputs, period)
    f = forecast(inputs.published, (y, m))
    if not np.isfinite(f["ytd_growth_pct"]):
        _say_missing(console, lang, f"无法预测：{'、'.join(f['missing'])} 未公布。",
                     f"No forecast: {', '.join(f['missing'])} not published.")
        raise typer.Exit(2)
    keys = ("year", "through_month", "ytd_growth_pct", "prev_annual_growth_pct", "growth_pct", "model", "ytd_grade",
            "ytd_source_url", "prev_grade", "prev_source_url", "backtest_n", "backtest_mae_pp", "backtest_naive_mae_pp")
    title = "全年增速预测（公布数，公布增速模型；无预测区间：公布点太少）" if lang == "zh" else \
        "Annual growth forecast (published data, published-rate model; no interval: too few points)"
    if fmt != "table":
        _emit(pd.DataFrame([{k: f.get(k) for k in keys}]), fmt, lang, title, console)
    else:  # one forecast: a vertical table reads better than 13 narrow columns
        zh = lang == "zh"
        refs = {u: f"[{i + 1}]" for i, u in enumerate(dict.fromkeys(u for u in (f["ytd_source_url"], f["prev_source_url"]) if u))}
        items = [
            ("年份" if zh else "Year", str(y)), ("截至月份" if zh else "Through month", f"{m}"),
            ("累计增长%（公布）" if zh else "YTD growth % (published)",
             f"{f['ytd_growth_pct']:.1f}  {f['ytd_grade']} {refs.get(f['ytd_source_url'], '')}"),
            ("上年全年增长%（公布）" if zh else "Last year's growth % (published)",
             f"{f['prev_annual_growth_pct']:.1f}  {f['prev_grade']} {refs.get(f['prev_source_url'], '')}"
             if np.isfinite(f["prev_annual_growth_pct"]) else "—"),
            ("全年增长%（预测）" if zh else "Annual growth % (forecast)", f"{f['growth_pct']:.2f}"),
            ("模型" if zh else "Model", f["model"]),
        ]
        if f.get("backtest_n"):
            items.append(("回测（已公布年份）" if zh else "Backtest (published years)",
                          f"n={f['backtest_n']}, MAE {f['backtest_mae_pp']:.2f} pp" + ("（朴素法 " if zh else " (naive ")
                          + f"{f['backtest_naive_mae_pp']:.2f} pp)"))
        t = Table(title=title, show_header=False)
        t.add_column("")
        t.add_column("")
        for k, v in items:
            t.add_row(k, v)
        console.print(t)
        for u, r in refs.items():
            console.print(f"  {r} {u}", overflow="fold")
    if f["missing"]:
        _say_missing(console, lang, f"缺：{'、'.join(f['missing'])}（已退化为朴素法）。",
                     f"Missing: {', '.join(f['missing'])} (fell back to the naive forecast).")


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
        plan: Optional[str] = typer.Option(None, "--plan", envvar="ZHIZAO_PLAN",
                                           help="规划（编号或路径）；合成数据只为内置默认规划生成 / plan id or path; "
                                                "synthetic data is generated for the embedded default plan only"),
    ) -> None:
        """生成合成企业月度数据（带注入异常及其真值表）/ Write SYNTHETIC enterprise data."""
        from zhizao.synth import generate  # noqa: PLC0415

        _plan_or_exit(plan, None, "synthetic", lang)

        console = make_console(stderr=True)
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
        by: Optional[str] = typer.Option(None, "--by", help="city|district|zone|industry|cluster|enterprise|project "
                                         "(default: district; industry for --source published)"),
        fmt: str = typer.Option("table", "--format", help="table|json|csv"),
        data: Path = typer.Option(DEFAULT_DATA, "--data", help="data directory (--source synthetic)"),
        top: int = typer.Option(20, "--top", help="rows for --by enterprise"),
        lang: str = typer.Option("zh", "--lang", help="zh | en"),
        set_: Optional[List[str]] = typer.Option(None, "--set", help="setting override NAME=VALUE (repeatable)"),
        source: str = typer.Option("synthetic", "--source", help="synthetic | published (real published rates in the store)"),
        db: Optional[Path] = typer.Option(None, "--db", help="store for --source published (default: $ZHIZAO_DB, else the user store)"),
        plan: Optional[str] = typer.Option(None, "--plan", envvar="ZHIZAO_PLAN", help=PLAN_HELP),
    ) -> None:
        """月度监测：累计/当月增速、贡献率与拉动、位次 / Monthly growth, contributions and ranks."""
        from zhizao.analytics.monitoring.growth import target_gap  # noqa: PLC0415
        from zhizao.analytics.monitoring.projects import project_progress  # noqa: PLC0415

        console = make_console(stderr=fmt != "table")
        p = _plan_or_exit(plan, db, _check_source(source), lang)
        if source == "published":
            inputs = load_monitoring_inputs(source="published", db=db, plan=p)
            _monitor_published(inputs, period, by or "industry", fmt, lang, _settings(set_), console)
            return
        by = by or "district"
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
        source: str = typer.Option("synthetic", "--source", help="synthetic | published (target gap and five lights only)"),
        db: Optional[Path] = typer.Option(None, "--db", help="store for --source published"),
        plan: Optional[str] = typer.Option(None, "--plan", envvar="ZHIZAO_PLAN", help=PLAN_HELP),
    ) -> None:
        """预警：目标差距、五色灯、异常与转折、企业风险、拖累 / Early warnings."""
        console = make_console(stderr=fmt != "table")
        p = _plan_or_exit(plan, db, _check_source(source), lang)
        if source == "published":
            inputs = load_monitoring_inputs(source="published", db=db, plan=p)
            _warnings_published(inputs, period, severity, rule, fmt, limit, lang, _settings(set_), console)
            return
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
        source: str = typer.Option("synthetic", "--source", help="synthetic | published (published-rate model, no interval)"),
        db: Optional[Path] = typer.Option(None, "--db", help="store for --source published"),
        plan: Optional[str] = typer.Option(None, "--plan", envvar="ZHIZAO_PLAN", help=PLAN_HELP),
    ) -> None:
        """全年增速与总量预测（含预测区间）/ Forecast of the year's growth and level."""
        from zhizao.analytics.monitoring.forecast import forecast_year  # noqa: PLC0415

        console = make_console(stderr=fmt != "table")
        p = _plan_or_exit(plan, db, _check_source(source), lang)
        if source == "published":
            _forecast_published(load_monitoring_inputs(source="published", db=db, plan=p), period, fmt, lang, console)
            return
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
