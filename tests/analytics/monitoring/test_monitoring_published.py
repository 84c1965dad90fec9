"""Monitoring from the published monthly series bundled in the store (real data, sparse)."""
import json

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

import zhizao.api as zz
from zhizao.analytics.monitoring import published as P
from zhizao.outputs.cli_monitoring import load_monitoring_inputs, register
from zhizao.settings import Settings

app = typer.Typer()
register(app)
runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    import zhizao.api as zz

    path = tmp_path_factory.mktemp("store") / "x.duckdb"
    zz.open_store(path).close()  # a new store gets the bundled published data
    return path


@pytest.fixture(scope="module")
def data(db):
    return zz.published_monitoring(db)


def test_inputs_seam_reads_the_store(db):
    inputs = load_monitoring_inputs(source="published", db=db)
    assert inputs.source == "published" and inputs.enterprises.empty and inputs.metadata["synthetic"] is False
    with pytest.raises(ValueError):
        load_monitoring_inputs(source="nope")


def test_city_rows_best_source_and_latest_period(data):
    assert not data.growth.empty
    p = P.city_path(data)
    sep = p[(p["year"] == 2024) & (p["month"] == 9)].iloc[0]
    # two sources publish 1—9月 8.1: the A-grade government page is used, and both are counted
    assert sep["ytd_growth_pct"] == pytest.approx(8.1) and sep["grade"] == "A" and sep["sources"] == 2
    assert "cq.gov.cn" in sep["source_url"] and sep["conflict"] == ""
    # monthly_cumulative_2025.csv (issue 9): 规上工业增加值 1—6月 5.6 % (cqrd.gov.cn, A) is the latest city
    # period; 1—6月 汽车/材料 … 产业 (rxcm95.cn, C) and 1—9月 汽车 12.6 % (tjj.cq.gov.cn, A) for industries.
    assert P.latest_period(data) == (2025, 6)
    assert P.latest_period(data, "industry") == (2025, 9)


def test_industry_table_says_what_is_missing(data):
    t = P.growth_table(data, (2024, 9), "industry", Settings({"light_method": "history"}), lang="en")
    auto = t[t["subject_id"] == "汽车产业"].iloc[0]
    assert auto["ytd_growth_pct"] == pytest.approx(25.9) and auto["grade"] == "A" and auto["source_url"].startswith("http")
    assert auto["light"] and auto["history_points"] == 3  # 2022-10, 2024-02, 2024-03 within 33 periods
    chem = t[t["subject_id"] == "化工行业"].iloc[0]
    assert chem["light"].startswith("insufficient history")
    missing = t[t["ytd_growth_pct"].isna()]
    assert len(missing) and missing["note"].str.contains("not published for 2024-09").all()
    assert (missing["grade"] == "").all()  # nothing guessed
    med = missing[missing["subject_id"] == "医药产业"]["note"].iloc[0]
    assert "2024-02" in med


def test_fixed_lights_need_no_history(data):
    t = P.growth_table(data, (2024, 9), "industry", lang="en")  # default: fixed cut-offs 12/9/5/3
    by = t.set_index("subject_id")
    # the same words and colours as every other output (labels.LIGHT): 过热 is orange, not red
    assert by.loc["汽车产业", "light"].startswith("overheated")  # 25.9 % ≥ 12
    assert by.loc["化工行业", "light"].startswith("overheated")  # 16.8 %
    assert by.loc["消费品产业", "light"].startswith("normal")  # 6.0 % in 5–9


def test_target_gap_uses_the_setting(data):
    tg = P.target_gap(data, (2024, 9), Settings())
    assert tg["gap_pp"] == pytest.approx(8.1 - 6.0) and tg["target_pct"] == 6.0
    assert tg["required_rest_pct"] == pytest.approx((6.0 - 0.75 * 8.1) / 0.25)
    assert P.target_gap(data, (2023, 9)) is None  # not published: no gap
    w = P.warnings_table(data, (2024, 9), Settings({"target_annual_growth_pct": 9.0}))
    row = w[w["rule"] == "target_gap"].iloc[0]
    assert row["severity"] == "medium" and row["evidence"]["grade"] == "A" and row["evidence"]["source"] == "published"
    json.dumps(w["evidence"].tolist())
    assert P.warnings_table(data, (2024, 9))["rule"].eq("target_gap").sum() == 0


def test_forecast_published_rate_model(data):
    f = P.forecast(data, (2024, 10))
    assert f["growth_pct"] == pytest.approx(10 / 12 * 7.9 + 2 / 12 * 6.6)
    assert f["ytd_grade"] == "B" and f["prev_annual_growth_pct"] == pytest.approx(6.6)
    assert f["backtest_n"] >= 5 and f["backtest_mae_pp"] < f["backtest_naive_mae_pp"]
    gone = P.forecast(data, (2023, 9))
    assert np.isnan(gone["growth_pct"]) and gone["missing"]


def test_cli_monitor_published_json_has_sources(db):
    r = runner.invoke(app, ["monitor", "--source", "published", "--db", str(db), "--period", "2024-09", "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout[r.stdout.index("["):])
    got = {x["subject_id"]: x for x in rows}
    assert got["电子产业"]["ytd_growth_pct"] == pytest.approx(2.9) and got["电子产业"]["grade"] == "C"
    assert all(x["source_url"] for x in rows if x["ytd_growth_pct"] is not None)
    r = runner.invoke(app, ["monitor", "--source", "published", "--db", str(db), "--by", "city", "--lang", "en"])
    assert r.exit_code == 0 and "PUBLISHED" in r.output and "SYNTHETIC" not in r.output
    r = runner.invoke(app, ["monitor", "--source", "published", "--db", str(db), "--by", "enterprise"])
    assert r.exit_code != 0


def test_cli_warnings_and_forecast_published(db):
    r = runner.invoke(app, ["warnings", "--source", "published", "--db", str(db), "--period", "2024-09",
                            "--set", "target_annual_growth_pct=9", "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert "target_gap" in {x["rule"] for x in rows}
    r = runner.invoke(app, ["forecast", "--source", "published", "--db", str(db), "--format", "json"])
    assert r.exit_code == 0, r.output
    f = json.loads(r.stdout)[0]
    # The latest period is now 2025-06 (规上工业增加值 1—6月 5.6 %, monthly_cumulative_2025.csv, cqrd.gov.cn A)
    # with 2024's 7.3 % for the rest of the year: 6/12 × 5.6 + 6/12 × 7.3 = 6.45 (was 7.6833 from 2024-10).
    assert f["growth_pct"] == pytest.approx(6 / 12 * 5.6 + 6 / 12 * 7.3, abs=1e-3) and f["ytd_source_url"].startswith("http")
    r = runner.invoke(app, ["forecast", "--source", "published", "--db", str(db), "--period", "2023-09"])
    assert r.exit_code == 2 and "2023-09" in r.output
