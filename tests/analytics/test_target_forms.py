"""Golden cases for every target form of the spec, computed by hand (issue 8 items 1, 2, 3, 8)."""
import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from strategies import links_frame, make_plan, obs_frame  # noqa: E402

from zhizao.analytics.assessment import assess_plan  # noqa: E402
from zhizao.analytics.progress import assess_progress, target_display  # noqa: E402
from zhizao.settings import Settings  # noqa: E402

S = Settings()
NO_LINKS = links_frame([])


def approx(a, b, rel=1e-9):
    return a is not None and math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)


def one(ind: dict, rows: list[dict], year: int, lang: str = "zh", **plan_kw) -> dict:
    plan = make_plan([ind], **plan_kw)
    return assess_plan(plan, obs_frame(rows), NO_LINKS, year=year, lang=lang)["indicators"][0]


# --- 1. average growth without a baseline; cumulative change from the plan's base year -----------
def test_average_growth_without_baseline_does_not_crash_and_uses_plan_base_year():
    ind = {"id": "g", "name": "工业增加值年均增长", "unit": "%", "kind": "average_annual_growth",
           "target": {"year": 2027, "value": 6}}
    r = one(ind, [{"series": "g", "year": 2023, "value": 7.0, "unit": "%"},
                  {"series": "g", "year": 2024, "value": 5.0, "unit": "%"}], 2024, base_year=2022, target_year=2027)
    g = (1.07 * 1.05) ** 0.5 - 1
    assert approx(r["observed_growth"], g) and approx(r["time_elapsed"], 2 / 5)
    assert approx(r["required_growth"], (1.06 ** 5 / (1.07 * 1.05)) ** (1 / 3) - 1)
    assert approx(r["growth_ratio"], g / 0.06) and r["status"] == "on_track"  # 5.997 % against 6 %
    assert [p["year"] for p in r["path"]] == list(range(2022, 2028))


def test_cumulative_change_without_baseline_measured_from_the_plans_base_year():
    # A three-year plan (2022→2025): −13.5 % after one year of three; target −15 %.
    ind = {"id": "e", "name": "能耗下降", "unit": "%", "kind": "cumulative_change", "direction": "decrease",
           "nature": "binding", "target": {"year": 2025, "value": -15, "comparator": "<="}}
    r = one(ind, [{"series": "e", "year": 2023, "value": -4.0, "unit": "%"}], 2023, base_year=2022, target_year=2025)
    assert approx(r["time_elapsed"], 1 / 3)  # not 0.6 (target year − 5)
    planned = (0.85 ** (1 / 3) - 1)
    assert approx(r["planned_growth"], planned) and approx(r["observed_growth"], -0.04)
    assert approx(r["growth_ratio"], 0.04 / abs(planned))
    assert r["status"] == "behind" and r["baseline"]["year"] == 2022


# --- 2. targets without a printed baseline -------------------------------------------------------
LEVEL = {"id": "v", "name": "软件收入", "unit": "亿元", "kind": "level", "target": {"year": 2025, "value": 200}}


def test_store_base_year_value_serves_as_baseline_labelled_with_its_source():
    rows = [{"series": "v", "year": 2020, "value": 100, "unit": "亿元", "quote": "2020年收入100亿元",
             "grade": "B", "url": "https://example.org/2020"},
            {"series": "v", "year": 2023, "value": 150, "unit": "亿元"}]
    r = one(LEVEL, rows, 2023)
    b = r["baseline"]
    assert b["source"] == "store" and b["value"] == 100 and b["year"] == 2020
    assert b["source_record"]["quote"] == "2020年收入100亿元" and b["source_record"]["grade"] == "B"
    assert b["source_record"]["url"] == "https://example.org/2020"
    assert approx(r["growth_ratio"], (1.5 ** (1 / 3) - 1) / (2 ** 0.2 - 1)) and r["status"] == "on_track"


def test_printed_baseline_is_labelled_plan():
    r = one({**LEVEL, "baseline": {"year": 2020, "value": 100}}, [{"series": "v", "year": 2023, "value": 150,
                                                                    "unit": "亿元"}], 2023)
    assert r["baseline"]["source"] == "plan" and r["status"] == "on_track"


def test_no_baseline_anywhere_gives_gap_and_required_growth_never_a_pace():
    r = one(LEVEL, [{"series": "v", "year": 2023, "value": 150, "unit": "亿元"}], 2023, lang="en")
    assert r["status"] == "not_met" and r["reason_code"] == "no_baseline"
    assert "pace cannot be judged" in r["reason"]
    assert r["gap"] == 50 and approx(r["required_growth"], (200 / 150) ** 0.5 - 1)
    assert r["growth_ratio"] is None and r["completion"] is None
    zh = one(LEVEL, [{"series": "v", "year": 2023, "value": 150, "unit": "亿元"}], 2023)
    assert "无法判断进度" in zh["reason"]


def test_about_value_against_at_least_target_is_not_definitely_met():
    # 36左右 against ≥36: [34.2, 37.8] may or may not meet it.
    ind = {"id": "s", "name": "占比", "unit": "%", "kind": "share", "target": {"year": 2025, "value": 36}}
    r = one(ind, [{"series": "s", "year": 2023, "value": 36, "unit": "%", "qualifier": "about"}], 2023)
    assert r["status"] == "not_met" and not r["status_definite"] and r["status_if_high"] == "achieved"
    met = one(ind, [{"series": "s", "year": 2023, "value": 36.5, "unit": "%"}], 2023)
    assert met["status"] == "achieved" and met["gap"] == 0 and met["reason"] is None


# --- 3. each spec form ---------------------------------------------------------------------------
def test_indicator_without_target_is_tracked_with_latest_value_and_trend():
    ind = {"id": "f", "name": "绿色工厂", "unit": "个", "kind": "count"}
    r = one(ind, [{"series": "f", "year": 2021, "value": 100, "unit": "个"},
                  {"series": "f", "year": 2023, "value": 121, "unit": "个"}], 2024)
    assert r["status"] == "tracked" and r["status_label"] == "仅监测" and r["target"] is None
    assert r["actual"] == 121 and r["data_year"] == 2023
    assert r["trend"]["from_year"] == 2021 and r["trend"]["change"] == 21 and approx(r["trend"]["growth_per_year"], 0.1)
    assert not r["binding_alert"] and r["reason_code"] == "no_target"


def test_qualified_baseline_status_definite_only_when_both_readings_agree():
    # 超过50 read as [50, 52.5] (ε = 0.05); target 100 in 2025; value 80 in 2023.
    ind = {"id": "q", "name": "企业数", "unit": "个", "kind": "count", "baseline": {"year": 2020, "value": 50,
           "qualifier": "more_than", "text": "超过50"}, "target": {"year": 2025, "value": 100}}
    r = one(ind, [{"series": "q", "year": 2023, "value": 80, "unit": "个"}], 2023)
    # low reading: (80−50)/3 ÷ 50/5 = 1.0 → on track; high: (80−52.5)/3 ÷ 47.5/5 = 0.965 → on track
    assert r["status"] == "on_track" and r["status_definite"]
    assert r["baseline"]["low"] == 50 and approx(r["baseline"]["high"], 52.5)
    assert approx(r["growth_ratio"], (27.5 / 3) / (47.5 / 5))  # the conservative reading is reported
    r2 = one(ind, [{"series": "q", "year": 2023, "value": 79, "unit": "个"}], 2023)
    # low: 29/3 ÷ 10 = 0.967 on track; high: 26.5/3 ÷ 9.5 = 0.930 behind → not definite
    assert r2["status"] == "behind" and not r2["status_definite"] and r2["status_if_high"] == "on_track"
    # 近50 reads [47.5, 50]: the high end is now the printed value, the low end is better.
    p = assess_progress(make_plan([ind]).indicators[0], 50, 2023, 79, "exact", S, baseline_qualifier="nearly")
    assert p.status == "on_track" and p.status_definite  # 29/3 ÷ 10 = 0.967; 31.5/3 ÷ 10.5 = 1.0


def test_range_achieved_inside_gap_to_nearer_end_pace_by_path_to_range():
    ind = {"id": "r", "name": "研发强度", "unit": "%", "kind": "share", "baseline": {"year": 2020, "value": 4},
           "target": {"year": 2025, "value": 5, "upper": 6, "comparator": "区间", "text": "5—6%"}}
    inside = one(ind, [{"series": "r", "year": 2023, "value": 5.5, "unit": "%"}], 2023)
    assert inside["status"] == "achieved" and inside["gap"] == 0
    below = one(ind, [{"series": "r", "year": 2023, "value": 4.45, "unit": "%"}], 2023)
    assert approx(below["gap"], 0.55) and approx(below["growth_ratio"], (0.45 / 3) / (1 / 5))
    assert below["status"] == "behind"  # 0.75: path to the range's lower end
    above = one(ind, [{"series": "r", "year": 2023, "value": 7, "unit": "%"}], 2023)
    assert above["status"] == "not_met" and above["reason_code"] == "beyond_range" and above["gap"] == -1


def test_every_year_names_the_failing_year():
    ind = {"id": "m", "name": "制造业占比", "unit": "%", "kind": "share", "baseline": {"year": 2020, "value": 28},
           "target": {"year": 2025, "value": 28, "comparator": "≥", "every_year": True, "text": "保持28%以上"}}
    rows = [{"series": "m", "year": y, "value": v, "unit": "%"} for y, v in
            ((2021, 28.3), (2022, 27.6), (2023, 28.4))]
    r = one(ind, rows, 2023)
    assert r["status"] == "not_met" and r["every_year"]["failed_years"] == [2022] and "2022" in r["reason"]
    ok = one(ind, [x for x in rows if x["year"] != 2022] + [{"series": "m", "year": 2022, "value": 28.1, "unit": "%"}],
             2023)
    assert ok["status"] == "on_track" and ok["reason"] is None  # held so far; achieved only at the end
    done = one(ind, [{"series": "m", "year": y, "value": 29, "unit": "%"} for y in range(2021, 2026)], 2025)
    assert done["status"] == "achieved"
    gap = one(ind, [{"series": "m", "year": y, "value": 29, "unit": "%"} for y in (2021, 2023, 2024, 2025)], 2025)
    assert gap["status"] == "on_track" and gap["every_year"]["missing_years"] == [2022] and "2022" in gap["reason"]


def test_undated_target_is_met_or_not_with_gap_never_pace():
    ind = {"id": "u", "name": "电子信息产值", "unit": "亿元", "kind": "level", "baseline": {"year": 2020, "value": 6000},
           "target": {"year": None, "value": 10000, "text": "万亿级"}}
    r = one(ind, [{"series": "u", "year": 2023, "value": 8000, "unit": "亿元"}], 2023)
    assert r["status"] == "not_met" and r["reason_code"] == "undated_target" and r["gap"] == 2000
    assert r["growth_ratio"] is None and r["required_growth"] is None and r["path"] == []
    met = one(ind, [{"series": "u", "year": 2023, "value": 10001, "unit": "亿元"}], 2023)
    assert met["status"] == "achieved"


def test_unstated_nature_is_labelled_and_never_binding():
    ind = {**LEVEL, "nature": "unstated", "baseline": {"year": 2020, "value": 100}}
    r = one(ind, [{"series": "v", "year": 2023, "value": 101, "unit": "亿元"}], 2023)
    assert r["nature_label"] == "未注明" and not r["binding"] and not r["binding_alert"]
    assert one(ind, [], 2023, lang="en")["nature_label"] == "not stated"


def test_comparator_aliases_print_as_symbols():
    plan = make_plan([{**LEVEL, "target": {"year": 2025, "value": 36, "comparator": "≥"}},
                      {**LEVEL, "id": "w", "target": {"year": 2025, "value": 30, "comparator": "左右"}},
                      {**LEVEL, "id": "x", "target": {"year": 2025, "value": 5, "upper": 6, "comparator": "区间"}},
                      {**LEVEL, "id": "y", "target": {"year": 2025, "value": 28, "every_year": True}}])
    assert [target_display(i.target) for i in plan.indicators] == ["≥36", "30左右", "5—6", "保持≥28"]
    assert target_display(plan.indicators[1].target, "en") == "about 30"
    res = assess_plan(plan, obs_frame([]), NO_LINKS, year=2023)
    assert [i["target"]["display"] for i in res["indicators"]] == ["≥36", "30左右", "5—6", "保持≥28"]


def test_less_than_value_is_never_achieved_for_a_target_to_increase():
    # 不足X for a target to increase: the old engine counted the unbounded lower end as achieved.
    ind = {**LEVEL, "baseline": {"year": 2020, "value": 100}}
    r = one(ind, [{"series": "v", "year": 2023, "value": 250, "unit": "亿元", "qualifier": "less_than"}], 2023)
    assert r["status"] != "achieved" and r["status_if_high"] == "achieved"
