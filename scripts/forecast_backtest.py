"""Backtest of the annual-growth forecast against the naive baseline (annual = current YTD growth).

    python scripts/forecast_backtest.py [--data-dir zhizao/resources/datasets/chongqing] [--seeds 0 1 2]

1. Real bundled series (规模以上工业增加值累计增长率, Chongqing): only sparse published YTD growth
   rates and a few annual rates — too short and too sparse for a seasonal model, so the published-rate
   model `forecast_from_ytd_growth` (s·G + (1−s)·last year's annual growth) is backtested on every
   (year, month) whose annual outcome is published.
2. Synthetic aggregates (constant-price value added of the city and of the six plan clusters): the
   forecast of `forecast_year` (½ SARIMA airline + ½ naive, simulated 90% intervals), SARIMA alone
   and naive, cut-offs 1–2月 … 1–11月 of 2022–2024; and the next-year forecast made in December
   (`forecast_next_year`: ½ SARIMA + ½ last year's growth) for 2022–2024.
MAE / RMSE are in percentage points of annual growth.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from zhizao.analytics.monitoring.context import context_from_panel  # noqa: E402
from zhizao.analytics.monitoring.forecast import (backtest, backtest_next_year, error_summary,  # noqa: E402
                                                  forecast_from_ytd_growth)
from zhizao.analytics.monitoring.panel import build_panel  # noqa: E402
from zhizao.synth import generate  # noqa: E402

SERIES = "规模以上工业增加值累计增长率"
ANNUAL = "规模以上工业增加值增长率"


def _find_data(arg: Path | None) -> Path:
    for d in ([arg] if arg else []) + [ROOT / "zhizao/resources/datasets/chongqing"]:
        if d and (d / "monthly_cumulative.csv").exists():
            return d
    raise SystemExit("monthly_cumulative.csv not found; pass --data-dir")


def real_backtest(data_dir: Path) -> pd.DataFrame:
    m = pd.read_csv(data_dir / "monthly_cumulative.csv", dtype=str)
    a = pd.read_csv(data_dir / "annual.csv", dtype=str)
    m = m[m["indicator"] == SERIES].copy()
    m = m[~m["period"].str.contains("当月")]
    m["year"] = m["period"].str[:4].astype(int)
    m["month"] = m["period"].str[5:7].astype(int)
    m["g"] = pd.to_numeric(m["value"], errors="coerce")
    m = m.drop_duplicates(["year", "month"])
    # annual outcomes: plain indicator first; a preliminary (预计) figure only where no other exists
    a = a[a["indicator"].str.startswith(ANNUAL)].copy()
    a["prelim"] = a["indicator"].str.contains("预计")
    a["v"] = pd.to_numeric(a["value"], errors="coerce")
    annual = a.sort_values("prelim").drop_duplicates("year").set_index(a.sort_values("prelim").drop_duplicates("year")["year"].astype(int))["v"]
    rows = []
    for r in m.itertuples():
        if r.month == 12 or r.year not in annual.index:
            continue
        prev = annual.get(r.year - 1, np.nan)
        rows.append({"year": r.year, "through_month": r.month, "actual_pct": annual[r.year], "naive_pct": r.g,
                     "model_pct": forecast_from_ytd_growth(r.g, r.month, prev), "prev_annual_known": bool(np.isfinite(prev))})
    return pd.DataFrame(rows).sort_values(["year", "through_month"])


def synthetic_backtest(seeds: list[int], years=(2022, 2023, 2024)) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(in-year backtest, next-year backtest) on the same synthetic aggregates."""
    frames, ahead = [], []
    for seed in seeds:
        d = generate(6700, 72, "2019-01", seed)
        ctx = context_from_panel(build_panel(d.enterprises, d.monthly, d.prices))
        subjects = [("city", 0)] + [("cluster", i) for i, c in enumerate(ctx.series["cluster"].ids) if c != "other"]
        for st, i in subjects:
            L = ctx.series[st].levels["value_added"][i, :ctx.latest + 1]
            yy, mm = zip(*(ctx.period(t) for t in range(len(L))))
            levels = pd.DataFrame({"year": yy, "month": mm, "value": L})
            b = backtest(levels, years, n_sim=300)
            frames.append(b.assign(seed=seed, subject=f"{st}:{ctx.series[st].ids[i]}"))
            ahead.append(backtest_next_year(levels, years, n_sim=300).assign(seed=seed,
                                                                               subject=f"{st}:{ctx.series[st].ids[i]}"))
    return pd.concat(frames, ignore_index=True), pd.concat(ahead, ignore_index=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Backtest of the annual growth forecast vs naive")
    ap.add_argument("--data-dir", type=Path)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    a = ap.parse_args(argv)
    from rich.console import Console
    from rich.table import Table

    console = Console(width=160)
    real = real_backtest(_find_data(a.data_dir))
    t = Table(title="Real published series (Chongqing 规上工业增加值, YTD growth → annual growth), pp")
    for c in ("year", "through_month", "actual_pct", "naive_pct", "model_pct", "prev_annual_known"):
        t.add_column(c, justify="right")
    for r in real.itertuples(index=False):
        t.add_row(str(r.year), str(r.through_month), f"{r.actual_pct:.1f}", f"{r.naive_pct:.1f}", f"{r.model_pct:.2f}",
                  "yes" if r.prev_annual_known else "no (= naive)")
    console.print(t)

    def summary(title: str, d: pd.DataFrame, coverage: bool = False) -> None:
        s = error_summary(d, columns=[c for c in ("model_pct", "sarima_pct", "naive_pct") if c in d])
        tab = Table(title=title)
        for c in ("forecast", "n", "MAE pp", "RMSE pp"):
            tab.add_column(c, justify="right")
        for r in s.itertuples(index=False):
            tab.add_row(r.forecast, str(r.n), f"{r.mae_pp:.2f}", f"{r.rmse_pp:.2f}")
        console.print(tab)
        if coverage:
            console.print(f"90% interval coverage: {d['covered'].mean():.0%} (n = {len(d)})")

    summary("Real series: published-rate model vs naive", real)
    summary("Real series, only cases with last year's annual known", real[real["prev_annual_known"]])
    syn, ahead = synthetic_backtest(a.seeds)
    summary(f"SYNTHETIC aggregates (city + 6 clusters, seeds {a.seeds}, 2022–2024, cut-offs 1–2月…1–11月): "
            "model (½ SARIMA + ½ naive) vs SARIMA alone vs naive", syn, coverage=True)
    err = {c: (syn[c] - syn["actual_pct"]).abs() for c in ("model_pct", "sarima_pct", "naive_pct")}
    by = pd.DataFrame(err).groupby(syn["through_month"]).mean()
    tab = Table(title="SYNTHETIC: MAE by cut-off month (pp)")
    for c in ("through_month", "model", "sarima", "naive"):
        tab.add_column(c, justify="right")
    for m, r in by.iterrows():
        tab.add_row(str(m), f"{r.model_pct:.2f}", f"{r.sarima_pct:.2f}", f"{r.naive_pct:.2f}")
    console.print(tab)
    summary("SYNTHETIC next-year forecast made in December (no month of the year yet): model (½ SARIMA + ½ "
            "last year's growth) vs SARIMA alone vs naive (= last year's growth)", ahead, coverage=True)
    summary("SYNTHETIC next-year forecast, the city only", ahead[ahead["subject"].str.startswith("city")],
            coverage=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
