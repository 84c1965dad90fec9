"""Final evaluation (终期评估, issue 9): golden statuses for every target kind and form, in zh and en;
one selection rule; assumed vintages that serve --as-of."""
import math
import re
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from strategies import links_frame, make_plan, obs_frame  # noqa: E402

from zhizao.analytics.assessment import assess_plan  # noqa: E402
from zhizao.analytics.selection import pick, select_best  # noqa: E402
from zhizao.settings import Settings  # noqa: E402

NO_LINKS = links_frame([])
LEVEL = {"id": "v", "name": "产值", "unit": "亿元", "kind": "level",
         "baseline": {"year": 2020, "value": 4000}, "target": {"year": 2025, "value": 5000}}


def rows(series, values: dict, unit="亿元", **kw):
    return [{"series": series, "year": y, "value": v, "unit": unit, **kw} for y, v in values.items()]


def run(inds, data, year=2025, lang="zh"):
    return assess_plan(make_plan(inds), obs_frame(data), NO_LINKS, year=year, lang=lang)


def final(ind, data, year=2025, lang="zh"):
    return run([ind], data, year, lang)["indicators"][0]["final"]


# --- the target year's own value ------------------------------------------------------------------
def test_over_completed_reads_with_the_figure():
    f = final(LEVEL, rows("v", {2025: 5210}))
    assert f["status"] == "completed" and f["label"] == "已完成" and f["over_completed"]
    assert math.isclose(f["completion_pct"], 104.2) and not f["projected"] and f["data_year"] == 2025
    assert f["text"] == "2025年实际值5,210亿元，超额完成目标（目标≥5,000亿元，完成104.2%）"
    en = final(LEVEL, rows("v", {2025: 5210}), lang="en")
    assert en["label"] == "completed" and "exceeded" in en["text"] and "104.2%" in en["text"]


def test_basically_completed_within_the_share_of_the_required_change():
    f = final(LEVEL, rows("v", {2025: 4960}))  # 96 % of the change 4000 → 5000
    assert f["status"] == "basically_completed" and f["label"] == "基本完成" and "96%" in f["text"]
    assert final(LEVEL, rows("v", {2025: 4960}), lang="en")["label"] == "basically completed"


def test_not_completed_is_not_a_mid_term_label():
    r = run([LEVEL], rows("v", {2025: 4800}))["indicators"][0]
    assert r["final"]["status"] == "not_completed" and r["status_label"] == "未完成"  # not 基本符合预期
    assert "差200亿元" in r["final"]["text"] and "完成96.0%" in r["final"]["text"]


def test_binding_targets_are_never_basically_completed():
    f = final({**LEVEL, "nature": "binding"}, rows("v", {2025: 4960}))
    assert f["status"] == "not_completed"


def test_met_in_the_target_year_is_completed_not_achieved_early():
    r = run([LEVEL], rows("v", {2025: 5000}))["indicators"][0]
    assert r["final"]["status"] == "completed" and not r["final"]["over_completed"] and r["status_label"] == "已完成"


def test_completion_is_share_of_target_not_of_the_change():
    # 5.85 → >6: 6.92 is 115.4 % of the target, not 716 % of the change (the old printed figure).
    ind = {"id": "m", "name": "利润率", "unit": "%", "kind": "share", "baseline": {"year": 2020, "value": 5.85},
           "target": {"year": 2025, "value": 6, "comparator": ">"}}
    f = final(ind, rows("m", {2025: 6.92}, unit="%"))
    assert f["status"] == "completed" and round(f["completion_pct"], 1) == 115.3 and f["over_completed"]


def test_cumulative_decrease_and_level_decrease():
    cum = {"id": "e", "name": "能耗下降", "unit": "%", "kind": "cumulative_change", "direction": "decrease",
           "nature": "binding", "target": {"year": 2025, "value": -16, "comparator": "<="}}
    f = final(cum, rows("e", {2025: -17.0}, unit="%"))
    assert f["status"] == "completed" and math.isclose(f["completion_pct"], 106.25)
    assert final(cum, rows("e", {2025: -15.5}, unit="%"))["status"] == "not_completed"  # binding: in full
    down = {"id": "w", "name": "用水量", "unit": "立方米", "kind": "level", "direction": "decrease",
            "baseline": {"year": 2020, "value": 100}, "target": {"year": 2025, "value": 80, "comparator": "<="}}
    f = final(down, rows("w", {2025: 78}, unit="立方米"))
    assert f["status"] == "completed" and round(f["completion_pct"], 1) == 102.6


def test_average_growth_range_and_every_year():
    avg = {"id": "g", "name": "年均增长", "unit": "%", "kind": "average_annual_growth",
           "target": {"year": 2025, "value": 6}}
    assert final(avg, rows("g", {y: 6.5 for y in range(2021, 2026)}, unit="%"))["status"] == "completed"
    assert final(avg, rows("g", {2021: 6.5, 2022: 6.5}, unit="%"))["status"] == "expected_completed"
    rng = {"id": "r", "name": "占比", "unit": "%", "kind": "share", "baseline": {"year": 2020, "value": 4},
           "target": {"year": 2025, "value": 5, "upper": 6, "comparator": "between"}}
    f = final(rng, rows("r", {2025: 5.5}, unit="%"))
    assert f["status"] == "completed" and not f["over_completed"]
    assert final(rng, rows("r", {2025: 7}, unit="%"))["status"] == "not_completed"
    keep = {"id": "k", "name": "保持", "unit": "%", "kind": "share", "baseline": {"year": 2020, "value": 28},
            "target": {"year": 2025, "value": 28, "comparator": ">=", "every_year": True}}
    f = final(keep, rows("k", {2021: 28.3, 2022: 27.6, 2023: 28.4, 2024: 29, 2025: 29}, unit="%"))
    assert f["status"] == "not_completed" and "2022" in f["text"]


# --- projected from older data ---------------------------------------------------------------------
@pytest.mark.parametrize("values,status,label", [
    ({2021: 4300, 2022: 4600, 2023: 4900}, "expected_completed", "预计完成"),
    ({2021: 4200, 2022: 4410, 2023: 4630}, "expected_basically_completed", "预计基本完成"),
    ({2021: 4100, 2022: 4200, 2023: 4300}, "expected_difficult", "预计难以完成"),
])
def test_projected_to_the_target_year_naming_the_data_year(values, status, label):
    f = final(LEVEL, rows("v", values))
    assert f["status"] == status and f["label"] == label and f["projected"] and f["data_year"] == 2023
    p = f["projection"]
    assert p["year"] == 2025 and p["low"] < p["value"] < p["high"] and p["method"]
    assert f["text"].startswith("最新数据为2023年") and "90%区间" in f["text"]
    en = final(LEVEL, rows("v", values), lang="en")
    assert en["text"].startswith("latest data 2023") and en["status"] == status


def test_projection_is_log_linear_through_baseline_and_values():
    f = final(LEVEL, rows("v", {2021: 4400, 2022: 4840, 2023: 5324}))  # 10 % a year exactly
    assert math.isclose(f["projection"]["value"], 4000 * 1.1 ** 5, rel_tol=1e-9)


# --- qualified, no data, tracked ------------------------------------------------------------------
def test_qualified_value_says_what_can_and_cannot_be_concluded():
    ind = {"id": "o", "name": "规上工业产值", "unit": "亿元", "kind": "level",
           "baseline": {"year": 2020, "value": 22655}, "target": {"year": 2025, "value": 30000}}
    r = run([ind], rows("o", {2023: 26000}, qualifier="more_than", value_text="超2.6万"))["indicators"][0]
    f = r["final"]
    assert f["status"] == "undetermined" and f["label"] == "无法判断"
    assert "不低于目标的86.7%" in f["text"] and "能否完成无法确认" in f["text"] and "2023" in f["text"]
    assert "或" not in f["text"] and "滞后" not in r["status_label"]
    at_target = run([LEVEL], rows("v", {2025: 4900}, qualifier="more_than"))["indicators"][0]["final"]
    assert at_target["status"] == "undetermined"
    assert final(LEVEL, rows("v", {2025: 5000}, qualifier="more_than"))["status"] == "completed"


def test_no_data_and_tracked():
    binding = {**LEVEL, "nature": "binding"}
    res = run([binding, {"id": "t", "name": "绿色工厂", "unit": "个", "kind": "count"}],
              rows("t", {2021: 100, 2025: 121}, unit="个"))
    nd, tr = (i["final"] for i in res["indicators"])
    assert nd["status"] == "no_data" and nd["label"] == "无可比数据" and nd["completion_pct"] is None
    assert tr["status"] == "tracked" and tr["label"] == "仅监测"
    s = res["summary"]
    assert s["final_counts"]["no_data"] == 1 and s["final_counts"]["tracked"] == 1
    assert s["binding_final"] == [{"id": "v", "status": "no_data", "label": "无可比数据"}]
    assert res["evaluation"] == {"kind": "final", "year": 2025, "target_year": 2025}


def test_mid_term_results_keep_mid_term_labels_and_final_is_null():
    res = run([LEVEL], rows("v", {2023: 4900}), year=2023)
    assert res["evaluation"]["kind"] == "mid_term" and res["indicators"][0]["final"] is None
    assert "final_counts" not in res["summary"] and res["indicators"][0]["status_label"] == "快于预期"
    assert "pace_status_label" not in res["indicators"][0]


def test_chinese_final_texts_hold_no_english_codes():
    inds = [LEVEL, {**LEVEL, "id": "v2"}, {**LEVEL, "id": "v3", "nature": "binding"},
            {"id": "t", "name": "监测", "unit": "个", "kind": "count"}]
    data = rows("v", {2025: 5210}) + rows("v2", {2022: 4300, 2023: 4500}) + rows("t", {2024: 3}, unit="个")
    for i in run(inds, data)["indicators"]:
        for text in (i["final"]["label"], i["final"]["text"], i["status_label"]):
            assert not re.search(r"[A-Za-z_]{2,}", text), text


# --- one selection rule -----------------------------------------------------------------------------
def test_a_later_dated_revision_beats_an_undated_value_everywhere():
    data = [{"series": "v", "year": 2022, "value": 2705, "unit": "亿元", "vintage": None},
            {"series": "v", "year": 2022, "value": 2710, "unit": "亿元", "vintage": "2024-06-30"}]
    ind = {**LEVEL, "baseline": {"year": 2020, "value": 2000}}
    r = run([ind], data, year=2022)["indicators"][0]
    assert r["actual"] == 2710 and [c["value"] for c in r["conflicts"]] == [2705]
    chosen, _ = select_best(obs_frame(data))
    assert chosen["value"].tolist() == [2710]


def test_assessment_and_frames_order_the_same_keys_the_same_way():
    base = {"series": "v", "year": 2022, "unit": "亿元"}
    data = [{**base, "value": 1, "status": "preliminary", "vintage": "2025-01-01"},
            {**base, "value": 2, "grade": "B", "vintage": "2025-01-01"},
            {**base, "value": 3, "qualifier": "more_than", "vintage": "2025-01-01"},
            {**base, "value": 4, "vintage": None},
            {**base, "value": 5, "vintage": "2023-01-01"},
            {**base, "value": 6, "vintage": "2024-01-01"}]
    frame_order = select_best(obs_frame(data))[0]["value"].tolist() + \
        select_best(obs_frame(data))[1]["value"].tolist()
    cands = [{"status": r.get("status", "final"), "grade": r.get("grade", "A"), "qualifier": r.get("qualifier", "exact"),
              "transform": "identity", "vintage": r["vintage"], "obs_ids": [i + 1], "value": r["value"]}
             for i, r in enumerate(data)]
    first, rest = pick(cands)
    assert frame_order == [first["value"]] + [c["value"] for c in rest] == [6, 5, 4, 3, 2, 1]


# --- assumed vintages serve --as-of ------------------------------------------------------------------
def _store(tmp_path, data):
    from zhizao.store.store import Batch, Store
    s = Store(tmp_path / "a.duckdb")
    obs = obs_frame(data).drop(columns=["source_title", "publisher", "source_url", "published", "accessed",
                                        "grade", "obs_id", "batch_id"])
    s.commit(Batch(kind="import", file="t.csv", sha256=None, observations=obs))
    return s


def test_as_of_today_equals_no_option_and_a_past_date_leaves_out_later_releases(tmp_path):
    ind = {"id": "rd", "name": "研发机构占比", "unit": "%", "kind": "share",
           "baseline": {"year": 2020, "value": 25}, "target": {"year": 2025, "value": 50}}
    # the final 2021 value has no known date; a 预计 value for 2021 is dated: it must not decide over the final
    data = [{"series": "rd", "year": 2021, "value": 24.5, "unit": "%", "vintage": None},
            {"series": "rd", "year": 2021, "value": 30, "unit": "%", "status": "preliminary", "vintage": "2022-01-18"},
            {"series": "rd", "year": 2022, "value": 26, "unit": "%", "vintage": None}]
    plan = make_plan([ind])
    with _store(tmp_path, data) as s:
        everything = s.observations().assign(grade="A")  # the test batch has no sources table rows
        today = s.observations(as_of=date.today()).assign(grade="A")
        assert len(today) == len(everything) == 3
        assert everything["vintage_assumed"].tolist() == [True, False, True]
        assert str(everything.loc[everything["year"] == 2022, "known_since"].iloc[0])[:10] <= "2023-03-31"
        past = s.observations(as_of=date(2022, 6, 30))
        assert sorted(past["value"]) == [24.5, 30]  # 2022's value was released in 2023 (assumed 03-31)
        early = s.observations(as_of=date(2022, 2, 1)).assign(grade="A")
    a = assess_plan(plan, everything, NO_LINKS, year=2022)["indicators"][0]
    b = assess_plan(plan, today, NO_LINKS, year=2022, as_of=date.today().isoformat())["indicators"][0]
    assert (a["status"], a["actual"]) == (b["status"], b["actual"]) == ("seriously_behind", 26)
    c = assess_plan(plan, early, NO_LINKS, year=2021, as_of="2022-02-01")["indicators"][0]
    assert c["actual"] == 30 and c["actual_observation_status"] == "preliminary"  # all that was known then
    a21 = assess_plan(plan, today, NO_LINKS, year=2021, as_of=date.today().isoformat())["indicators"][0]
    assert a21["actual"] == 24.5 and a21["status"] != "on_track"  # the 预计 value does not win
    assert a21["sources"][0]["vintage_assumed"] is True


def test_values_left_out_by_as_of_are_not_released_not_missing():
    res = assess_plan(make_plan([LEVEL]), obs_frame([]), NO_LINKS, year=2023, as_of="2021-01-01")
    i = res["indicators"][0]
    assert i["reason_code"] == "not_released" and "截至2021-01-01尚未发布" in i["reason"]
    assert "未找到公开发布的数据" not in i["reason"]


def test_two_points_are_no_trend_the_latest_value_is_held():
    """5.85 (2020) → 6.92 (2021) is one change: projected to 2025 it stays 6.92 with a wide interval
    (a trend through two points gave 11.2 with a narrow one)."""
    from zhizao.analytics.final import project
    from zhizao.settings import Settings

    ind = make_plan([{"id": "m", "name": "利润率", "unit": "%", "kind": "share",
                      "baseline": {"year": 2020, "value": 5.85}, "target": {"year": 2025, "value": 6, "comparator": ">"}}]
                    ).indicators[0]
    p = project(ind, {2020: 5.85, 2021: 6.92}, 2025, Settings())
    assert p["value"] == pytest.approx(6.92)
    assert p["low"] < 5.85 and p["high"] > 8  # ±1.645 · 1.07 · √4 ≈ ±3.5
    three = project(ind, {2020: 5.0, 2021: 6.0, 2022: 7.0}, 2025, Settings())
    assert three["value"] == pytest.approx(10.0)  # three points on a line: the trend is extended


def test_a_revised_table_is_not_known_before_its_latest_figure(tmp_path):
    """The revised GDP table runs to 2024: as of mid-2023 the 2022 share is derived from the first
    release (8276 ÷ 29129.03), today from the revision (8276 ÷ 28771.8)."""
    from zhizao import api

    db = tmp_path / "s.duckdb"

    def share(as_of):
        r = api.assess(db=db, year=2022, as_of=as_of)
        return next(i for i in r["indicators"] if i["id"] == "industrial_va_share_of_gdp")["actual"]

    assert share("2023-06-30") == pytest.approx(8276 / 29129.03 * 100)
    assert share(date.today().isoformat()) == pytest.approx(8276 / 28771.8 * 100)


# --- a bound is held, never fitted (issue 10, fourth wave) ------------------------------------------
OUTPUT = {"id": "o", "name": "规上工业产值", "unit": "亿元", "kind": "level",
          "baseline": {"year": 2020, "value": 22655}, "target": {"year": 2025, "value": 30000}}


def test_a_bound_is_held_as_a_bound_and_says_at_least():
    """超26,000 (2023) fitted with the baseline extrapolated to 28,688 [22,374—36,784]: now the bound
    is held (至少26,000), with no interval around a number that was never published."""
    data = rows("o", {2021: 24000}) + rows("o", {2023: 26000}, qualifier="more_than", value_text="超2.6万")
    for lang, words in (("zh", "2025年至少26,000亿元"), ("en", "at least 26,000 (100 million yuan) in 2025")):
        f = final(OUTPUT, data, lang=lang)
        p = f["projection"]
        assert p["basis"] == "bound" and p["value"] == p["low"] == p["high"] == 26000
        assert f["status"] == "undetermined" and words in f["text"]
    zh = final(OUTPUT, data)["text"]
    assert "不低于目标的86.7%" in zh and "界限值，不作外推" in zh and zh.index("至少") < zh.index("能否完成无法确认")
    # the bound already meets the target: at least the target, so expected completed
    assert final({**OUTPUT, "target": {"year": 2025, "value": 25000}}, data)["status"] == "expected_completed"
    # at most a value below the target: the best case misses it
    low = final(OUTPUT, rows("o", {2021: 24000}) + rows("o", {2023: 25000}, qualifier="at_most"))
    assert low["status"] == "expected_difficult" and "至多25,000" in low["text"]


def test_a_qualified_earlier_value_is_not_a_point_of_the_fit():
    exact = final(LEVEL, rows("v", {2021: 4400, 2022: 4840, 2023: 5324}))["projection"]
    with_bound = final(LEVEL, rows("v", {2021: 4400, 2023: 5324}) + rows("v", {2022: 9000}, qualifier="more_than"))
    assert with_bound["projection"]["points"] == 3  # baseline, 2021, 2023: not the 2022 bound
    assert with_bound["projection"]["value"] < exact["value"] * 1.05
    about = final(LEVEL, rows("v", {2021: 4400, 2022: 4840}) + rows("v", {2023: 5324}, qualifier="about"))
    assert "保守端" in about["projection"]["method"]
