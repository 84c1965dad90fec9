"""Synthetic micro-data: labelled, valid, calibrated, anomalies recorded."""
import json

import pandas as pd
import pytest

from zhizao.codes.regions import DISTRICTS
from zhizao.codes.uscc import is_valid
from zhizao.synth import SynthData, generate
from zhizao.synth.reference import CITY_VA_YTD_GROWTH


@pytest.fixture(scope="module")
def small():
    return generate(400, 36, "2022-01", seed=3)


def _city_ytd_growth(d: SynthData) -> dict:
    m = d.monthly.merge(d.enterprises[["enterprise_id", "industry"]]).merge(d.prices[["industry", "year", "month", "deflator"]])
    m["real"] = m["value_added"] / m["deflator"]
    c = m.groupby(["year", "month"])["real"].sum().sort_index()
    ytd = c.groupby(level="year").cumsum()
    return {(y, mo): (ytd[(y, mo)] / ytd[(y - 1, mo)] - 1) * 100 for (y, mo) in ytd.index if (y - 1, mo) in ytd.index}


def test_everything_is_labelled_synthetic(small):
    assert small.metadata["synthetic"] is True
    for name in SynthData.FILES:
        df = getattr(small, name)
        assert df["synthetic"].all(), name
    assert small.enterprises["name"].str.match(r"^合成企业\d{6}$").all()


def test_dimensions_are_valid(small):
    e = small.enterprises
    assert e["credit_code"].map(lambda c: is_valid(c, check_org_code=True)).all()
    assert e["credit_code"].is_unique
    assert (e["credit_code"].str[2:8] == e["district"]).all()
    assert set(e["district"]) <= set(DISTRICTS)
    assert e["industry"].astype(int).between(13, 43).all()
    assert set(e["size_class"]) <= {"大型", "中型", "小型", "微型"}


def test_no_january_rows_and_jan_feb_combined(small):
    assert (small.monthly["month"] >= 2).all()
    assert "1–2月" in small.metadata["periods"]


def test_city_growth_reproduces_published_figures(small):
    g = _city_ytd_growth(small)
    for year in (2023, 2024):
        for month, target in CITY_VA_YTD_GROWTH[year].items():
            assert g[(year, month)] == pytest.approx(target, abs=1e-9), (year, month)
    achieved = {(c["year"], c["month"]): c["synthetic_ytd_growth_pct"]
                for c in small.metadata["calibration"]["city_va_ytd_growth"]}
    assert achieved[(2024, 9)] == pytest.approx(8.1)


def test_level_and_counts_of_the_default_province():
    d = generate(seed=0)
    cal = d.metadata["calibration"]
    out = cal["output_level"]["synthetic_output_yi_by_year"]
    assert out[2020] == pytest.approx(22700.0, rel=1e-9)  # 2.27万亿
    assert out[2023] > 26000  # published "超2.6万亿"
    assert abs(cal["active_enterprises_by_year"][2021] - 7098) / 7098 < 0.03
    # heavy tail: the largest 1% of enterprises hold a large share of value added
    va = d.monthly.groupby("enterprise_id")["value_added"].sum().sort_values(ascending=False)
    assert va.iloc[: len(va) // 100].sum() / va.sum() > 0.2
    assert d.monthly.groupby("year")["enterprise_id"].nunique().is_monotonic_increasing  # entries > exits


def test_anomalies_are_recorded_and_present(small):
    a = small.anomalies
    assert set(a["kind"]) >= {"sharp_fall", "stopped_reporting"}
    assert a["synthetic"].all() and a["expected_rules"].notna().all()
    stop = a[a["kind"] == "stopped_reporting"].iloc[0]
    rows = small.monthly[small.monthly["enterprise_id"] == stop["enterprise_id"]]
    slot = lambda y, m: y * 11 + m  # noqa: E731
    assert (slot(rows["year"], rows["month"]) < slot(stop["year"], stop["month"])).all()
    clean = generate(400, 36, "2022-01", seed=3, anomalies=None)
    assert not (clean.anomalies["category"] == "injected").any()


def test_structural_events_are_recorded_separately(small):
    a = small.anomalies
    s = a[a["category"] == "structural"]
    assert set(s["kind"]) == {"industry_trend", "city_path"} and (a.loc[a["category"] == "injected", "kind"] != "industry_trend").all()
    # 汽车 (36): +18 pp relative growth in 2024 after 0 in 2023 — a level step and a YoY shift at 1—2月
    auto = s[(s["kind"] == "industry_trend") & (s["subject_id"] == "36") & (s["year"] == 2024)].iloc[0]
    assert auto["month"] == 2 and auto["level_step_pct"] == 18.0 and auto["growth_shift_pp"] == 18.0
    # the first generated year's successor has no observed YoY before it: its shift is unknown
    assert s[(s["kind"] == "industry_trend") & (s["year"] == 2023)]["growth_shift_pp"].isna().all()
    city = s[s["kind"] == "city_path"]
    assert (city["subject_type"] == "city").all() and (city["growth_shift_pp"].abs() >= 3.0).all()
    assert small.metadata["anomalies"]["structural_counts"]["industry_trend"] == (s["kind"] == "industry_trend").sum()
    flat = generate(100, 24, "2023-01", seed=1, industry_trends=False)
    assert not (flat.anomalies["kind"] == "industry_trend").any()


def test_deterministic_for_a_seed():
    a, b = generate(100, 24, "2023-01", seed=9), generate(100, 24, "2023-01", seed=9)
    pd.testing.assert_frame_equal(a.monthly, b.monthly)
    assert a.enterprises["credit_code"].tolist() == b.enterprises["credit_code"].tolist()


def test_write_and_read(tmp_path, small):
    paths = small.write(tmp_path)
    assert {p.name for p in paths} >= {"monthly.parquet", "metadata.json"}
    meta = json.loads((tmp_path / "metadata.json").read_text(encoding="utf-8"))
    assert meta["synthetic"] is True and meta["seed"] == 3
    back = SynthData.read(tmp_path)
    assert len(back.monthly) == len(small.monthly)


def test_start_must_be_january():
    with pytest.raises(ValueError):
        generate(10, 24, "2022-03")
