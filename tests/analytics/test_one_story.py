"""One story per indicator (issue 10): the same data give the same projection in the mid-term and the
final evaluation; a qualified value is shown as published and its interval decides the status only;
a status straddling two readings reads in words; an indicator above its target but not 预计完成 says
why; targets read 30%左右; the CLI lists every 无法判断 / 预计… indicator with its reason."""
import io
import math

import pytest
from hypothesis import given, settings as hsettings, strategies as st
from rich.console import Console

from zhizao import api
from zhizao.analytics.final import projection_for
from zhizao.analytics.progress import interval_for, status_words, target_display
from zhizao.outputs import cli
from zhizao.settings import Settings

P2 = "chongqing-manufacturing-2023-2027"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("story") / "s.duckdb"
    api.open_store(path).close()
    return path


@pytest.fixture(scope="module")
def by_year(db):
    return {(plan, y, lang): {i["id"]: i for i in api.assess(plan=plan, db=db, year=y, lang=lang)["indicators"]}
            for plan in (None, P2) for y in (2024, 2025) for lang in ("zh",)}


@pytest.mark.parametrize("ind", ["labour_productivity", "profit_margin", "rd_intensity", "rd_expenditure",
                                 "industrial_va_share_of_gdp", "software_revenue"])
def test_one_projection_for_the_same_data(by_year, ind):
    mid, fin = by_year[(None, 2024, "zh")][ind], by_year[(None, 2025, "zh")][ind]
    assert mid["data_year"] == fin["data_year"] < 2024  # the same data in both evaluations
    proj = fin["final"]["projection"]
    assert math.isclose(mid["projected"], proj["value"], rel_tol=1e-12)
    assert math.isclose(fin["projected"], proj["value"], rel_tol=1e-12)
    assert mid["projection"] == {k: proj[k] for k in mid["projection"]}


def test_two_points_hold_the_latest_value(by_year):
    """One yearly change is no trend: labour productivity 2020→2021 is not compounded to 61.1."""
    lp = by_year[(None, 2024, "zh")]["labour_productivity"]
    assert lp["projection"]["basis"] == "hold_latest" and lp["projection"]["points"] == 2
    assert math.isclose(lp["projected"], 41.9) and lp["projection"]["low"] < 40 < lp["projection"]["high"]


def test_projection_for_needs_a_value_before_the_target_year(by_year):
    fin = by_year[(None, 2025, "zh")]["software_revenue"]
    spec = api.resolve_plan(None).indicator("software_revenue")
    assert projection_for({**fin, "data_year": 2025}, spec, 2025, Settings()) is None
    assert projection_for({**fin, "data_year": None}, spec, 2025, Settings()) is None


def test_qualified_value_is_shown_as_published(by_year):
    sei = by_year[(P2, 2025, "zh")]["sei_va_share"]
    assert sei["qualifier"] == "about" and sei["actual"] == 36.0  # 36%左右, never 34.2
    assert math.isclose(sei["actual_assessed"], 34.2) and math.isclose(sei["actual_low"], 34.2)
    assert math.isclose(sei["actual_high"], 37.8)
    assert sei["status_words"] == "基本符合预期，按区间上端为提前实现"
    assert "?" not in sei["status_words"] and "/" not in sei["status_words"]


@hsettings(max_examples=60, deadline=None)
@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.floats(min_value=0.001, max_value=0.3))
def test_about_is_symmetric_and_nearly_below(v, eps):
    about = interval_for(v, "about", eps)
    assert math.isclose(v - about.low, about.high - v, rel_tol=1e-9, abs_tol=1e-9)
    nearly = interval_for(v, "nearly", eps)
    assert nearly.high == v and math.isclose(v - nearly.low, abs(v) * eps, rel_tol=1e-9, abs_tol=1e-9)


def test_status_words():
    assert status_words("on_track", True, None, "zh") == "基本符合预期"
    assert status_words("on_track", False, "achieved", "en") == "on track; at the interval's upper end: achieved"


@pytest.mark.parametrize("ind,lang,words", [
    ("labour_productivity", "zh", ("最新值已达到目标", "2021年", "早于目标年4年", "低于目标")),
    ("profit_margin", "zh", ("最新值已达到目标", "90%区间下端3.39%低于目标")),
])
def test_above_target_but_only_expected_basically_says_why(by_year, ind, lang, words):
    f = by_year[(None, 2025, lang)][ind]["final"]
    assert f["status"] == "expected_basically_completed" and f["completion_pct"] > 100
    for w in words:
        assert w in f["text"], (w, f["text"])


def test_english_reason_too(db):
    r = api.assess(db=db, year=2025, lang="en")
    f = {i["id"]: i for i in r["indicators"]}["labour_productivity"]["final"]
    assert "already meets the target" in f["text"] and "2021" in f["text"] and "below the target" in f["text"]


@pytest.mark.parametrize("target,lang,unit,want", [
    ({"text": "30 左右", "value": 30, "comparator": "≈"}, "zh", "%", "30%左右"),
    ({"text": "30 左右", "value": 30, "comparator": "≈"}, "en", "%", "about 30%"),
    ({"text": None, "value": 36, "comparator": ">="}, "zh", "%", "≥36%"),
    ({"text": None, "value": 5000, "comparator": ">="}, "zh", "亿元", "≥5,000亿元"),
    ({"text": "30 左右", "value": 30, "comparator": "≈"}, "zh", None, "30 左右"),  # as printed
])
def test_target_reads_with_its_unit(target, lang, unit, want):
    assert target_display(target, lang, unit) == want


def test_final_text_never_puts_the_unit_after_zuoyou(by_year):
    f = by_year[(None, 2025, "zh")]["industrial_va_share_of_gdp"]["final"]
    assert "目标30%左右" in f["text"] and "左右%" not in f["text"] and "30 左右" not in f["text"]


def test_scorecard_lists_every_undetermined_or_expected_with_its_reason(db, monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr(cli, "console", Console(file=out, width=120, force_terminal=False, color_system=None))
    result = api.assess(db=db, year=2025)
    cli._print_scorecard(result, api.scorecard(result), "zh")
    flat = "".join(out.getvalue().split())
    listed = [i for i in result["indicators"] if i["final"]["status"] in (
        "undetermined", "expected_completed", "expected_basically_completed", "expected_difficult")]
    assert any(i["id"] == "industrial_output_above_scale" for i in listed)
    for i in listed:
        assert "".join(f"·{i['name']}：{i['final']['text']}".split()) in flat, i["id"]
    assert "?/" not in out.getvalue()


def test_one_rule_for_thin_and_bounded_data_in_the_final_evaluation_and_the_next_plan_table(db, by_year):
    """§七's table and the 终期评估 read the same data alike: two values hold the latest value (an
    interval from that one change, never "不作趋势外推" beside it), a bound is held with 至少."""
    _, df = api.draft_plan(None, to_year=2030, db=db, base_year=2025)
    rows = df.set_index("indicator")
    fin = by_year[(None, 2025, "zh")]
    lp = fin["labour_productivity"]["final"]["projection"]
    assert lp["basis"] == "hold_latest"
    ref = rows.loc["labour_productivity"]
    assert math.isclose(ref["reference_value"], lp["value"]) and ref["low"] < ref["reference_value"] < ref["high"]
    assert "按最新值持平" in ref["method"] and not any("不作趋势外推" in str(x) for x in rows["note"])
    out = fin["industrial_output_above_scale"]
    assert out["final"]["projection"]["basis"] == "bound" and out["final"]["projection"]["value"] == 26000
    assert "至少26,000" in out["final"]["text"]
    o = rows.loc["industrial_output_above_scale"]
    assert o["latest_qualifier"] == "more_than" and o["reference_bound"] == "at_least" and o["reference_value"] == 26000
