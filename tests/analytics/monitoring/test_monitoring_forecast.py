"""The next-year forecast made in December (no period of the year yet), its backtest, and the
`forecast` command in December (the actual, then next year) and mid-year (as before) (issue 10)."""
import json

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from zhizao.analytics.monitoring.forecast import backtest_next_year, forecast_next_year, forecast_year
from zhizao.outputs.cli_monitoring import register

app = typer.Typer()
register(app)
runner = CliRunner()


def clean_series(years: int = 5, growth: float = 1.06, noise: float = 0.005) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    n = 11 * years
    season = np.tile(np.linspace(0.8, 1.2, 11), years)
    v = 100 * season * np.exp(np.log(growth) / 11 * np.arange(n) + rng.normal(0, noise, n))
    return pd.DataFrame({"year": 2020 + np.arange(n) // 11, "month": np.arange(n) % 11 + 2, "value": v})


def test_next_year_from_the_history_alone():
    d = clean_series()
    actual = (d[d.year == 2024].value.sum() / d[d.year == 2023].value.sum() - 1) * 100
    f = forecast_next_year(d[d.year < 2024], 2024, n_sim=200)
    assert f["through_month"] == 0 and np.isnan(f["ytd_growth_pct"])
    assert f["growth_lo"] < f["growth_pct"] < f["growth_hi"]
    assert abs(f["growth_pct"] - actual) < 1.5
    # the naive part is last year's growth; the level is last year's total grown by the point forecast
    prev, prev2 = d[d.year == 2023].value.sum(), d[d.year == 2022].value.sum()
    assert f["naive_growth_pct"] == pytest.approx((prev / prev2 - 1) * 100)
    assert f["level"] == pytest.approx(prev * (1 + f["growth_pct"] / 100))
    # wider than a forecast made at June of the same year: nothing of the year is known yet
    june = forecast_year(d, 2024, 6, n_sim=200)
    assert f["growth_hi"] - f["growth_lo"] > june["growth_hi"] - june["growth_lo"]


def test_next_year_needs_two_complete_years():
    d = clean_series()
    assert forecast_next_year(d[d.year < 2022], 2022)["model"] == "insufficient data"  # 22 periods
    part = d[(d.year < 2023) & ~((d.year == 2022) & (d.month > 8))]  # 2022 incomplete
    assert np.isnan(forecast_next_year(part, 2023)["growth_pct"])


def test_backtest_next_year():
    b = backtest_next_year(clean_series(), [2023, 2024], n_sim=100)
    assert list(b["year"]) == [2023, 2024] and (b["through_month"] == 0).all()
    assert {"actual_pct", "model_pct", "sarima_pct", "naive_pct", "covered"} <= set(b.columns)
    assert (b["model_pct"] - b["actual_pct"]).abs().max() < 2.0


@pytest.fixture(scope="module")
def december(tmp_path_factory):
    """Synthetic data ending in December 2024 (three complete years)."""
    d = tmp_path_factory.mktemp("synth-dec")
    r = runner.invoke(app, ["synth", "--out", str(d), "--enterprises", "200", "--months", "36", "--start", "2022-01"])
    assert r.exit_code == 0, r.output
    return d


def test_december_prints_the_actual_and_next_year(december):
    r = runner.invoke(app, ["forecast", "--data", str(december)])
    assert r.exit_code == 0, r.output
    assert "2024年全年数据已齐" in r.output and "实际值，不是预测" in r.output
    assert "2025年全年增长预测" in r.output and "90%预测区间" in r.output
    r = runner.invoke(app, ["forecast", "--data", str(december), "--lang", "en"])
    assert r.exit_code == 0 and "the actual, not a forecast" in r.output and "2025 forecast: annual growth" in r.output
    r = runner.invoke(app, ["forecast", "--data", str(december), "--format", "json"])
    assert r.exit_code == 0, r.output
    actual, ahead = json.loads(r.stdout)
    assert (actual["year"], actual["basis"], actual["growth_lo"]) == (2024, "actual", None)
    assert actual["growth_pct"] == pytest.approx(actual["ytd_growth_pct"])
    assert (ahead["year"], ahead["through_month"], ahead["basis"]) == (2025, 0, "forecast")
    assert ahead["growth_lo"] < ahead["growth_pct"] < ahead["growth_hi"]


def test_mid_year_is_as_before(december):
    r = runner.invoke(app, ["forecast", "--data", str(december), "--period", "2024-06", "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert len(rows) == 1 and "basis" not in rows[0]
    assert (rows[0]["year"], rows[0]["through_month"]) == (2024, 6)
    assert rows[0]["growth_lo"] < rows[0]["growth_pct"] < rows[0]["growth_hi"]
    r = runner.invoke(app, ["forecast", "--data", str(december), "--period", "2024-06"])
    assert r.exit_code == 0 and "实际值" not in r.output and "2025" not in r.output
    assert "季节ARIMA与朴素法等权组合" in r.output and "naive" not in r.output  # the model in words
