"""Reference values for the next plan (docs/methodology.md §7): trend extrapolation with a
prediction interval, the plan in force matched by concept or name, and a skeleton that lints."""
from __future__ import annotations

import math
import re

import pandas as pd
import pytest
import yaml

from zhizao.analytics.next_plan import (COLUMNS, PLACEHOLDER, definitions_agree, draft, match_in_force,
                                        normalised_name,
                                        observed_path, trend_reference)
from zhizao.plan.lint import lint_plan
from zhizao.plan.load import load_plan, parse_plan

IN_FORCE = "chongqing-manufacturing-2023-2027"


@pytest.fixture(scope="module")
def plan():
    return load_plan()


@pytest.fixture(scope="module")
def in_force():
    return load_plan(IN_FORCE)


# --- golden reference values on synthetic paths ------------------------------------------------
def test_exact_geometric_path_extrapolates_exactly_with_no_spread():
    ref = trend_reference([(y, 100 * 1.1 ** (y - 2019)) for y in range(2019, 2024)], "log_linear", 2030)
    assert ref.value == pytest.approx(100 * 1.1 ** 11, rel=1e-9)
    assert ref.low == pytest.approx(ref.value, rel=1e-9) and ref.high == pytest.approx(ref.value, rel=1e-9)


def test_exact_linear_path_extrapolates_exactly():
    ref = trend_reference([(y, 30 + 0.5 * (y - 2020)) for y in range(2020, 2026)], "linear", 2030)
    assert ref.value == pytest.approx(35.0) and ref.low == pytest.approx(35.0) and ref.high == pytest.approx(35.0)


@pytest.mark.parametrize("method, truth, noise", [
    ("linear", lambda y: 40 + 1.2 * (y - 2019), [0.6, -0.5, 0.4, -0.7, 0.3, -0.1, 0.2]),
    ("log_linear", lambda y: 500 * 1.08 ** (y - 2019), [1.02, 0.97, 1.03, 0.98, 1.01, 0.99, 1.0]),
])
def test_noisy_path_interval_covers_the_trend_and_widens_with_the_horizon(method, truth, noise):
    pts = [(y, truth(y) + n if method == "linear" else truth(y) * n) for y, n in zip(range(2019, 2026), noise)]
    ref = trend_reference(pts, method, 2030)
    assert ref.low < truth(2030) < ref.high
    assert ref.low < ref.value < ref.high
    near = trend_reference(pts, method, 2027)
    assert (ref.high - ref.low) / ref.value > (near.high - near.low) / near.value


def test_average_growth_reference_is_the_geometric_mean_rate():
    exact = trend_reference([(y, 6.0) for y in range(2021, 2026)], "cagr", 2030, start_year=2025)
    assert exact.value == pytest.approx(6.0) and exact.low == pytest.approx(6.0) and exact.high == pytest.approx(6.0)
    rates = [8.0, 5.0, 6.5, 5.5, 6.0]
    noisy = trend_reference(list(zip(range(2021, 2026), rates)), "cagr", 2030, start_year=2025)
    mean = math.prod(1 + r / 100 for r in rates) ** (1 / 5) - 1
    assert noisy.value == pytest.approx(100 * mean) and noisy.low < 6.0 < noisy.high


def test_cumulative_change_reference_covers_the_new_period_only():
    # −3 % a year since 2020, published as the change since 2020: the next period 2025→2030 is 0.97^5 − 1
    pts = [(y, 100 * (0.97 ** (y - 2020) - 1)) for y in range(2021, 2024)]
    ref = trend_reference(pts, "cumulative", 2030, start_year=2025, origin_year=2020)
    assert ref.value == pytest.approx(100 * (0.97 ** 5 - 1), rel=1e-9)


@pytest.mark.parametrize("n", [0, 1])
def test_fewer_than_two_points_give_no_value_and_say_why(n):
    ref = trend_reference([(2020 + i, 10.0 + i) for i in range(n)], "linear", 2030)
    assert ref.value is None and ref.low is None and ref.high is None
    assert ("仅有1个" in ref.reason if n else "没有可比" in ref.reason) and ref.reason_en


def test_two_points_hold_the_latest_value_as_the_final_evaluation_does():
    # One change (+18 %) is no trend: the latest value held, the change a random walk's yearly step
    # (final.project's rule, here at the 80 % level), never "不作趋势外推" beside an interval.
    ref = trend_reference([(2020, 35.5), (2021, 41.9)], "log_linear", 2025)
    assert ref.method == "hold_latest" and ref.value == pytest.approx(41.9)
    step = math.log(41.9 / 35.5)
    assert ref.low == pytest.approx(41.9 * math.exp(-1.2816 * step * 2)) and ref.high > 41.9
    far = trend_reference([(2020, 35.5), (2021, 41.9)], "log_linear", 2030)
    assert far.value == pytest.approx(41.9) and far.high - far.low > ref.high - ref.low
    flat = trend_reference([(2020, 10.0), (2021, 10.0)], "linear", 2030)  # no change: still an interval
    assert flat.value == 10.0 and flat.low < 10.0 < flat.high
    assert trend_reference([(2020, -2.0), (2021, -3.0)], "cumulative", 2030, start_year=2025).value is None


def test_qualified_values_are_left_out_of_the_fit_and_the_printed_baseline_is_kept(plan):
    ind = plan.indicator("industrial_output_above_scale")
    hist = [{"year": 2021, "value": 27000, "qualifier": "exact", "chosen": True},
            {"year": 2023, "value": 26000, "qualifier": "more_than", "chosen": True},
            {"year": 2023, "value": 1, "qualifier": "exact", "chosen": False}]
    pts, zh, _ = observed_path(ind, {"history": hist, "baseline": {"year": 2020, "value": 22655,
                                                                   "qualifier": "exact"}}, 2025)
    assert pts == [(2020, 22655.0), (2021, 27000.0)]
    assert any("2023" in n and "未用于拟合" in n for n in zh) and any("基期值" in n for n in zh)


# --- the plan in force -------------------------------------------------------------------------
def test_names_normalise_to_what_is_measured():
    assert normalised_name("战略性新兴产业增加值占规模以上工业增加值比重") == normalised_name("战略性新兴产业占比") == "战略性新兴产业"
    assert normalised_name("工业增加值占地区生产总值比重") != normalised_name("制造业增加值占地区生产总值比重")


def test_chongqing_in_force_match(plan, in_force):
    other, how, _ = match_in_force(plan.indicator("sei_output_share"), in_force)
    assert other.id == "sei_va_share" and other.target.value == 36 and other.target.year == 2027
    assert "按名称匹配" in how and "产值口径与增加值口径，口径不同，仅供参考" in how  # output vs value-added share
    assert not definitions_agree(plan.indicator("sei_output_share"), other)[0]
    other, how, _ = match_in_force(plan.indicator("rd_institution_share"), in_force)
    assert other.target.value == 40 and "按统计口径匹配" in how and "concept" not in how
    assert match_in_force(plan.indicator("software_revenue"), in_force)[0] is None


# --- the draft ---------------------------------------------------------------------------------
def _history(values: dict[int, float]) -> list[dict]:
    return [{"year": y, "value": v, "qualifier": "exact", "chosen": True} for y, v in values.items()]


@pytest.fixture(scope="module")
def drafted(plan, in_force):
    result = {"indicators": [
        {"id": "software_revenue", "history": _history({y: 2000 * 1.2 ** (y - 2020) for y in range(2020, 2026)})},
        # a share falling against its direction: the reference is no target
        {"id": "digital_design_tools_rate", "history": _history({2021: 80.0, 2022: 79.0, 2023: 78.0, 2024: 77.0,
                                                                 2025: 76.0})},
        {"id": "sei_output_share", "history": _history({2021: 30.0, 2022: 31.0, 2023: 32.0})},
        {"id": "energy_intensity_reduction", "history": _history({2021: -3.0, 2022: -5.91, 2023: -8.73})},
    ]}
    return draft(plan, result, to_year=2030, base_year=2025, in_force=in_force)


def test_table_has_the_contract_columns_and_one_row_per_indicator(plan, drafted):
    _, df = drafted
    assert list(df.columns) == COLUMNS and list(df["indicator"]) == [i.id for i in plan.indicators]
    sw = df.set_index("indicator").loc["software_revenue"]
    assert sw["reference_value"] == pytest.approx(2000 * 1.2 ** 10) and sw["latest_year"] == 2025
    assert "对数线性" in sw["method"] and "2020—2025" in sw["method"]
    sei = df.set_index("indicator").loc["sei_output_share"]
    # an output share (2021–25) beside a value-added share (2023–27): the namesake is no target in force
    assert sei["reference_value"] == pytest.approx(39.0) and pd.isna(sei["in_force_target"]) and pd.isna(sei["in_force_year"])
    assert sei["in_force_match"] == "different_definition" and "重庆" in sei["in_force_plan"]
    assert "产值口径与增加值口径" in sei["note"] and "仅供参考" in sei["note"] and "36%" in sei["note"]
    rd = df.set_index("indicator").loc["rd_institution_share"]  # same concept: the target in force
    assert rd["in_force_target"] == 40 and rd["in_force_year"] == 2027 and rd["in_force_match"] == "concept"
    none = df.set_index("indicator").loc["profit_margin"]
    assert math.isnan(none["reference_value"]) and "没有可比" in none["note"]


def test_stated_growth_is_checked_by_the_lint_from_the_latest_value(drafted):
    _, df = drafted
    check = df.set_index("indicator").loc["software_revenue", "stated_growth_check"]
    reached = 2000 * 1.2 ** 5 * 1.18 ** 5
    assert "18%" in check and f"{reached:.4g}" in check and "2025" in check


def test_skeleton_loads_and_lints_without_errors(drafted):
    text, df = drafted
    p = parse_plan(text)
    assert p.plan.base_year == 2025 and p.plan.target_year == 2030
    assert not [f for f in lint_plan(p) if f.severity == "error"]
    sw = p.indicator("software_revenue")
    assert sw.target.text == PLACEHOLDER[0] and sw.target.year == 2030 and sw.nature.value == "expected"
    assert sw.target.value == pytest.approx(2000 * 1.2 ** 10, rel=1e-3)
    assert sw.baseline.year == 2025 and sw.baseline.value == pytest.approx(2000 * 1.2 ** 5, rel=1e-3)
    assert any("参考值" in n for n in sw.notes)
    falling = p.indicator("digital_design_tools_rate")
    assert falling.target is None and any("方向相反" in n for n in falling.notes)
    assert "方向相反" in df.set_index("indicator").loc["digital_design_tools_rate", "note"]
    assert p.indicator("energy_intensity_reduction").target.value < 0
    assert p.indicator("energy_intensity_reduction").nature.value == "binding"
    assert yaml.safe_load(text)["plan"]["id"].endswith("-draft-2030")


def test_english_table(plan, in_force):
    result = {"indicators": [{"id": "rd_expenditure", "history": _history({2019: 336, 2020: 373, 2021: 425,
                                                                           2022: 479, 2023: 500})}]}
    _, df = draft(plan, result, to_year=2030, base_year=2025, in_force=in_force, lang="en")
    row = df.set_index("indicator").loc["rd_expenditure"]
    assert row["name"].startswith("R&D") and "log-linear" in row["method"] and "matched by definition" in row["note"]
    assert "Chongqing" in row["in_force_plan"] or row["in_force_plan"]


def test_numbers_read_as_the_table_prints_them(plan, in_force):
    """基期28.7643 / 目标31.794 / 499.904…1072.26 (issue 10): the check and the skeleton's notes word
    the values as the table shows them (four significant digits, grouped), never raw decimals."""
    result = {"indicators": [
        {"id": "rd_expenditure", "history": _history({2019: 335.8918, 2020: 372.56095, 2021: 424.5267,
                                                      2022: 479.3346, 2023: 499.9041})},
        {"id": "industrial_va_share", "history": _history({2020: 28.0, 2021: 28.3, 2022: 28.7643})}]}
    text, df = draft(plan, result, to_year=2030, base_year=2023, in_force=in_force)
    checks = " ".join(str(x) for x in df["stated_growth_check"].dropna())
    assert "基期499.9按" in checks and "与目标1072相差" in checks
    assert not re.search(r"\d\.\d{5,}|\d{4,}\.\d|\d\.\d{4}", checks)
    notes = " ".join(n for e in yaml.safe_load(text)["indicators"] for n in e.get("notes", []))
    assert not re.search(r"\d{4,}\.\d|\d\.\d{4}", notes) and re.search(r"为1,\d{3}", notes)
    assert "按统计口径（concept）" not in " ".join(df["note"].dropna())


def test_definitions_differ_by_the_measure_words_without_concepts(plan, in_force):
    # no concepts: 产值 in one definition, 增加值 in the other's name still disagree
    old = plan.indicator("sei_output_share").model_copy(update={"concept": None})
    new = in_force.indicator("sei_va_share").model_copy(update={"concept": None})
    agree, why, why_en = definitions_agree(old, new)
    assert not agree and why == "产值口径与增加值口径" and "output" in why_en and "value added" in why_en
    assert definitions_agree(new, new)[0]


def test_a_bound_is_held_with_its_qualifier_never_fitted(plan):
    # 2020 baseline, 2021 and 2022 exact, 2023 超26000: the bound is newer than the fit's points
    result = {"indicators": [{"id": "industrial_output_above_scale", "baseline": {"year": 2020, "value": 22655},
                              "history": _history({2021: 24000.0, 2022: 25000.0})
                              + [{"year": 2023, "value": 26000.0, "qualifier": "more_than", "chosen": True}]}]}
    for lang in ("zh", "en"):
        _, df = draft(plan, result, to_year=2030, base_year=2025, lang=lang)
        row = df.set_index("indicator").loc["industrial_output_above_scale"]
        assert row["reference_value"] == 26000 and row["reference_bound"] == "at_least"
        assert pd.isna(row["low"]) and pd.isna(row["high"])
        assert row["latest_value"] == 26000 and row["latest_qualifier"] == "more_than" and row["latest_year"] == 2023
        assert ("至少26,000" in row["method"] and "界限值" in row["method"]) if lang == "zh" else \
            "at least 26,000" in row["method"]
    text, _ = draft(plan, result, to_year=2030, base_year=2025)
    entry = next(i for i in yaml.safe_load(text)["indicators"] if i["id"] == "industrial_output_above_scale")
    assert any("至少26,000" in n for n in entry["notes"])
