"""The full refresh on small synthetic data: sums, shapes, and the panel ↔ pandas-aggregate paths."""
import numpy as np
import pandas as pd
import pytest

from zhizao.analytics.monitoring.context import context_from_levels, context_from_panel
from zhizao.analytics.monitoring.forecast import backtest, error_summary, forecast_from_ytd_growth, forecast_year
from zhizao.analytics.monitoring.panel import build_panel
from zhizao.analytics.monitoring.projects import project_progress
from zhizao.analytics.monitoring.refresh import STEPS, observations, refresh, refresh_context
from zhizao.analytics.monitoring.warnings import WARNING_COLUMNS
from zhizao.synth import generate


@pytest.fixture(scope="module")
def data():
    return generate(300, 36, "2022-01", seed=5)


@pytest.fixture(scope="module")
def result(data):
    steps = []
    r = refresh(data.enterprises, data.monthly, data.prices, period="2024-09", progress=steps.append)
    r.steps = steps
    return r


def test_refresh_shapes_and_progress(result):
    assert result.period == (2024, 9)
    assert result.steps == list(STEPS)
    assert list(result.warnings.columns) == WARNING_COLUMNS
    assert set(result.growth["subject_type"]) == {"city", "district", "zone", "industry", "cluster"}
    assert result.price_basis["value_added"] == "constant"


def test_city_growth_is_calibrated(result):
    city = result.growth[result.growth["subject_type"] == "city"].iloc[0]
    assert city["ytd_growth_pct"] == pytest.approx(8.1, abs=1e-9)  # published 2024 1—9月


@pytest.mark.parametrize("part", ["district", "zone", "industry", "cluster"])
def test_contributions_sum_to_the_total(result, part):
    c = result.contributions[result.contributions["subject_type"] == part]
    assert c["pull_pp"].sum() == pytest.approx(8.1, abs=1e-9)
    assert c["contribution_pct"].sum() == pytest.approx(100.0, abs=1e-9)


def test_enterprise_contributions_sum_to_the_total(result):
    e = result.enterprises
    assert e["pull_pp"].sum() == pytest.approx(8.1, abs=1e-9)
    assert e["contribution_pct"].sum() == pytest.approx(100.0, abs=1e-9)


def test_observations_constant_and_current_prices(result):
    o = observations(result)
    assert set(o["price"]) == {"constant", "current"} and set(o["span"]) == {"ytd", "month"}
    city = o[(o["subject_type"] == "city") & (o["kind"] == "growth_pct") & (o["span"] == "ytd")]
    real = city[city["price"] == "constant"]["value"].iloc[0]
    nominal = city[city["price"] == "current"]["value"].iloc[0]
    assert real == pytest.approx(8.1) and nominal != pytest.approx(real)  # the deflator moved


def test_panel_and_pandas_aggregates_agree(data):
    panel = build_panel(data.enterprises, data.monthly, data.prices)
    ctx = context_from_panel(panel)
    m = data.monthly.merge(data.enterprises[["enterprise_id", "district", "industry"]]).merge(
        data.prices[["industry", "year", "month", "deflator"]])
    m["value_added"] = m["value_added"] / m["deflator"]
    d = m.groupby(["district", "year", "month"], as_index=False)["value_added"].sum()
    c = m.groupby(["year", "month"], as_index=False)["value_added"].sum()
    levels = pd.concat([c.assign(subject_type="city", subject_id="500000"),
                        d.rename(columns={"district": "subject_id"}).assign(subject_type="district")])
    ctx2 = context_from_levels(levels)
    assert np.allclose(ctx.city.levels["value_added"], ctx2.city.levels["value_added"], equal_nan=True)
    r1 = refresh_context(ctx, period=(2024, 9), rules=["drag", "anomaly"])
    r2 = refresh_context(ctx2, period=(2024, 9), rules=["drag", "anomaly"])
    a = r1.contributions.query("subject_type == 'district'").set_index("subject_id")["pull_pp"]
    b = r2.contributions.query("subject_type == 'district'").set_index("subject_id")["pull_pp"]
    assert np.allclose(a.sort_index(), b.reindex(a.index).fillna(0).sort_index())


def test_january_rows_are_added_into_february():
    ent = pd.DataFrame({"enterprise_id": [7], "industry": ["36"], "district": ["500112"]})
    long = pd.DataFrame({"enterprise_id": 7, "year": 2024, "month": [1, 2, 3], "value_added": [3.0, 4.0, 5.0]})
    p = build_panel(ent, long)
    assert p.values["value_added"][0, :2].tolist() == [7.0, 5.0]
    assert p.reported[0, :3].tolist() == [True, True, False]


def test_unknown_enterprises_are_ignored():
    ent = pd.DataFrame({"enterprise_id": [10, 20], "industry": ["36", "39"], "district": ["500112", "500103"]})
    long = pd.DataFrame({"enterprise_id": [10, 20, 99], "year": 2024, "month": 2, "value_added": [1.0, 2.0, 5.0]})
    p = build_panel(ent, long)
    assert p.values["value_added"][:, 0].tolist() == [1.0, 2.0]


def test_forecast_on_a_clean_series():
    rng = np.random.default_rng(0)
    n = 55
    season = np.tile(np.linspace(0.8, 1.2, 11), 5)
    v = 100 * season * np.exp(np.log(1.06) / 11 * np.arange(n) + rng.normal(0, 0.005, n))
    d = pd.DataFrame({"year": 2020 + np.arange(n) // 11, "month": np.arange(n) % 11 + 2, "value": v})
    f = forecast_year(d, 2024, 6, n_sim=200)
    actual = (v[44:].sum() / v[33:44].sum() - 1) * 100
    assert f["growth_lo"] < f["growth_pct"] < f["growth_hi"]
    assert abs(f["growth_pct"] - actual) < 1.0
    late = forecast_year(d, 2024, 10, n_sim=200)
    assert late["growth_hi"] - late["growth_lo"] < f["growth_hi"] - f["growth_lo"]  # less left to guess
    assert forecast_year(d.iloc[:20], 2021, 6)["model"] == "insufficient data"
    b = backtest(d, [2024], months=[4, 8], n_sim=100)
    assert len(b) == 2 and set(error_summary(b)["forecast"]) == {"model_pct", "naive_pct"}


def test_forecast_from_ytd_growth_by_hand():
    assert forecast_from_ytd_growth(8.0, 6, 6.0) == pytest.approx(7.0)  # ½·8 + ½·6
    assert forecast_from_ytd_growth(8.7, 2, None) == pytest.approx(8.7)  # no prior year → naive


def test_project_progress_by_hand():
    projects = pd.DataFrame({"project_id": ["P1"], "planned_investment": [120.0], "start_year": [2024],
                             "start_month": [2], "planned_periods": [10]})
    monthly = pd.DataFrame({"project_id": "P1", "year": 2024, "month": [2, 3, 4, 5], "investment": [10.0] * 4})
    p = project_progress(projects, monthly, (2024, 5)).iloc[0]
    assert p["completion_pct"] == pytest.approx(40 / 120 * 100)
    assert p["schedule_pct"] == pytest.approx(40.0)
    assert p["gap_pp"] == pytest.approx(40 / 1.2 - 40)
