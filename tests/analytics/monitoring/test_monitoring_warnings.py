"""Each warning rule firing and not firing on tiny crafted frames; the registry contract."""
import json
import subprocess
import sys

import numpy as np
import pytest

from zhizao.analytics.monitoring.settings import MONITORING_SETTINGS
from zhizao.analytics.monitoring.warnings import RULES, WARNING_COLUMNS, lights, run_rules
from zhizao.settings import Settings

from monitoring_helpers import city_levels, ctx_from, enterprise_ctx

S = Settings()


def fired(ctx, rule, slot, **overrides):
    out = RULES[rule](ctx, slot, Settings(overrides) if overrides else S)
    assert list(out.columns) == WARNING_COLUMNS
    json.dumps(out["evidence"].tolist())  # evidence must be JSON-able
    return out


# --- registry --------------------------------------------------------------------------------------

def test_registry_settings_exist_and_are_declared_once():
    names = [s.name for s in MONITORING_SETTINGS]
    assert len(names) == len(set(names))
    for rule in RULES.values():
        assert set(rule.settings) <= set(names), rule.name
    assert {"target_gap", "five_light", "anomaly", "cusum_shift", "change_point", "drag",
            "enterprise_sharp_fall", "enterprise_consecutive_decline", "enterprise_stopped_reporting",
            "enterprise_output_power_divergence"} <= set(RULES)


def test_every_setting_has_a_basis_and_unconfirmed_light_cutoffs_say_so():
    for s in MONITORING_SETTINGS:
        assert s.basis and s.help_zh and s.help_en
    light = {s.name: s for s in MONITORING_SETTINGS}["light_z_cutoffs"]
    assert "unconfirmed" in light.basis and "zhizao default" in light.basis


@pytest.mark.parametrize("first", ["zhizao.analytics.monitoring.warnings", "zhizao.settings",
                                   "zhizao.analytics.monitoring.settings", "zhizao.synth"])
def test_monitoring_settings_collected_whatever_the_import_order(first):
    code = f"import {first}\nfrom zhizao.settings import Settings\nprint(Settings()['anomaly_z'])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "4.5"


# --- target gap -------------------------------------------------------------------------------------

def test_target_gap_fires_below_target_and_not_above():
    slow = ctx_from(city_levels([100.0] * 11 + [103.0] * 5))
    w = fired(slow, "target_gap", 15)
    assert len(w) == 1 and w["severity"].iloc[0] == "high"
    assert w["evidence"].iloc[0]["gap_pp"] == pytest.approx(-3.0)
    assert "低于全年目标" in w["explanation_zh"].iloc[0]
    fast = ctx_from(city_levels([100.0] * 11 + [107.0] * 5))
    assert fired(fast, "target_gap", 15).empty


def test_target_gap_threshold_comes_from_settings():
    ctx = ctx_from(city_levels([100.0] * 11 + [103.0] * 5))
    assert fired(ctx, "target_gap", 15, target_annual_growth_pct=2.0).empty


# --- five lights ------------------------------------------------------------------------------------

def test_five_light_fixed_method():
    hot = ctx_from(city_levels([100.0] * 11 + [115.0] * 3))
    w = fired(hot, "five_light", 13, light_method="fixed")
    assert set(w["evidence"].map(lambda e: e.get("light"))) == {"过热"}
    sev = dict(zip(w["evidence"].map(lambda e: e.get("measure")), w["severity"]))
    assert sev == {"value_added": "medium", "composite": "high"}
    normal = ctx_from(city_levels([100.0] * 11 + [107.0] * 3))
    assert fired(normal, "five_light", 13, light_method="fixed").empty
    lt = lights(normal, 13, Settings({"light_method": "fixed"}))
    assert set(lt["light"]) == {"正常"} and lt[lt["measure"] == "composite"]["index"].iloc[0] == 100.0


def test_five_light_history_method_cold():
    vals = [100.0] * 11 + [105.0] * 11 + [110.25] * 11 + [99.0] * 2
    w = fired(ctx_from(city_levels(vals)), "five_light", 34, light_method="history")
    ev = w[w["evidence"].map(lambda e: e.get("measure")) == "value_added"]["evidence"].iloc[0]
    assert ev["light"] == "过冷" and ev["z"] < -2


# --- anomalies, CUSUM, change points ----------------------------------------------------------------

def _seasonal(n, seed=0, sd=0.01):
    rng = np.random.default_rng(seed)
    season = np.tile(np.linspace(0.8, 1.2, 11), n // 11 + 1)[:n]
    return 100 * season * np.exp(0.005 * np.arange(n) + rng.normal(0, sd, n))


def test_anomaly_fires_on_a_spike_only():
    y = _seasonal(45)
    base = ctx_from(city_levels(list(y)), city_levels(list(y), subject_type="district", subject_id="500112"))
    assert fired(base, "anomaly", 44).empty
    y2 = y.copy()
    y2[44] *= 0.6  # slot 44 = 2025 month 2 (not March)
    spiked = ctx_from(city_levels(list(y)), city_levels(list(y2), subject_type="district", subject_id="500112"))
    w = fired(spiked, "anomaly", 44)
    assert w["subject_id"].tolist() == ["500112"] and w["evidence"].iloc[0]["direction"] == "down"
    assert w["severity"].iloc[0] == "medium"


def test_anomaly_in_march_is_downgraded_or_suppressed():
    y = _seasonal(46)
    y[45] *= 0.6  # slot 45 = month 3
    ctx = ctx_from(city_levels(list(y)))
    w = fired(ctx, "anomaly", 45)
    assert w["severity"].tolist() == ["low"] and w["evidence"].iloc[0]["spring_festival_march"]
    assert "春节" in w["explanation_zh"].iloc[0]
    assert fired(ctx, "anomaly", 45, spring_festival_march="suppress").empty
    assert fired(ctx, "anomaly", 45, spring_festival_march="none")["severity"].tolist() == ["high"]


def test_anomaly_short_series_uses_yoy_robust_z():
    y = list(_seasonal(35))  # < 36 periods: no STL; YoY from slot 11, a full 22-period window at 34
    y[34] *= 0.5
    w = fired(ctx_from(city_levels(y)), "anomaly", 34)
    assert w["evidence"].iloc[0]["method"] == "yoy_robust_z"


def test_cusum_fires_during_a_sustained_shift_not_before():
    y = _seasonal(60, seed=3)
    y[44:] *= 1.06
    ctx = ctx_from(city_levels(list(y)))
    hits = [t for t in range(40, 60) if len(fired(ctx, "cusum_shift", t))]
    assert hits and min(hits) >= 44
    assert not any(len(fired(ctx, "cusum_shift", t)) for t in range(36, 44))


def test_change_point_turning_point_in_growth():
    y = _seasonal(55, seed=4, sd=0.004)
    y[40:] *= 0.85  # growth drops from ~5.6 % to ~−10 % for eleven periods
    ctx = ctx_from(city_levels(list(y)))
    hits = {t: fired(ctx, "change_point", t) for t in range(38, 47)}
    fired_at = [t for t, w in hits.items() if len(w)]
    # the drop starts at slot 40 (2024-09); it is seen once the new segment has min_size points
    assert fired_at and min(fired_at) >= 40 and max(fired_at) <= 46
    evs = [w["evidence"].iloc[0] for w in hits.values() if len(w)]
    assert any(e["shift_pp"] < -10 and e["change_at"] == "2024-09" for e in evs)
    assert fired(ctx_from(city_levels(list(_seasonal(55, seed=4, sd=0.004)))), "change_point", 44).empty


# --- drag -------------------------------------------------------------------------------------------

def test_drag_fires_for_the_falling_district_only():
    up = city_levels([100.0] * 11 + [110.0] * 3, subject_type="district", subject_id="500112")
    down = city_levels([100.0] * 11 + [90.0] * 3, subject_type="district", subject_id="500103")
    city = city_levels([200.0] * 11 + [200.0] * 3)
    w = fired(ctx_from(city, up, down), "drag", 13)
    assert w["subject_id"].tolist() == ["500103"]
    assert w["evidence"].iloc[0]["pull_pp"] == pytest.approx(-5.0) and w["severity"].iloc[0] == "high"
    assert w["subject_name"].iloc[0] == "渝中区"


def test_drag_of_a_single_industry_cluster_is_one_warning():
    """Issue 10 w4: 医药制造业 and the 生物医药 cluster (that industry alone) were two drag warnings of
    one decline; a cluster of several industries keeps its own."""
    def part(st, sid, v):
        return city_levels([100.0] * 11 + [v] * 3, subject_type=st, subject_id=sid)
    parts = [part("industry", "27", 90.0), part("cluster", "biomedicine", 90.0),
             part("industry", "26", 95.0), part("cluster", "materials", 95.0),
             part("industry", "36", 115.0), part("cluster", "automotive", 115.0)]
    ctx = ctx_from(city_levels([300.0] * 11 + [300.0] * 3), *parts)
    w = fired(ctx, "drag", 13)
    got = set(zip(w["subject_type"], w["subject_id"]))
    assert got == {("industry", "27"), ("industry", "26"), ("cluster", "materials")}
    pharma = w[w["subject_id"] == "27"].iloc[0]
    assert pharma["evidence"]["same_as_cluster"] == "biomedicine"
    assert "生物医药" in pharma["explanation_zh"] and "不另列" in pharma["explanation_zh"]
    assert "Biomedicine cluster" in pharma["explanation_en"]
    assert "same_as_cluster" not in w[w["subject_id"] == "26"].iloc[0]["evidence"]


def test_drag_single_industry_cluster_read_from_the_enterprises():
    # every enterprise is in industry 36 / cluster automotive: the panel says the cluster is that industry
    falling = [100.0] * 11 + [80.0] * 3
    ctx = enterprise_ctx({0: _ent(falling), 1: _ent(falling)})
    w = fired(ctx, "drag", 13)
    assert ("industry", "36") in set(zip(w["subject_type"], w["subject_id"]))
    assert "cluster" not in set(w["subject_type"])


# --- enterprise distress ----------------------------------------------------------------------------

def _ent(va, out=None, el=None):
    return {"value_added": va, "output": out or va, "electricity": el or va}


def test_sharp_fall():
    a = [100.0] * 11 + [50.0] * 3
    b = [100.0] * 11 + [90.0] * 3
    ctx = enterprise_ctx({0: _ent(a), 1: _ent(b)})
    w = fired(ctx, "enterprise_sharp_fall", 12)
    assert w["subject_id"].tolist() == ["C0"] and w["evidence"].iloc[0]["growth_pct"] == pytest.approx(-50.0)
    assert fired(ctx, "enterprise_sharp_fall", 12, enterprise_sharp_fall_pct=-60.0).empty


def test_consecutive_decline_needs_an_unbroken_run():
    a = [100.0] * 11 + [100.0] * 8 + [75.0] * 3
    b = [100.0] * 11 + [100.0] * 8 + [75.0, 100.0, 75.0]
    ctx = enterprise_ctx({0: _ent(a), 1: _ent(b)})
    w = fired(ctx, "enterprise_consecutive_decline", 21)
    assert w["subject_id"].tolist() == ["C0"] and w["evidence"].iloc[0]["periods"] == 3
    assert fired(ctx, "enterprise_consecutive_decline", 20).empty


def test_stopped_reporting_onset_only_and_not_at_year_start():
    a = [100.0] * 11 + [100.0] * 5 + [None] * 3  # stops at slot 16
    b = [100.0] * 19
    c = [100.0] * 11 + [None] * 8  # never reported in the second year: a year-end exit
    ctx = enterprise_ctx({0: _ent(a), 1: _ent(b), 2: _ent(c)})
    w = fired(ctx, "enterprise_stopped_reporting", 16)
    assert w["subject_id"].tolist() == ["C0"] and w["evidence"].iloc[0]["last_reported"] == "2024-06"
    assert fired(ctx, "enterprise_stopped_reporting", 17).empty
    assert fired(ctx, "enterprise_stopped_reporting", 11).empty


def test_stopped_reporting_zero_output_counts():
    a = [100.0] * 11 + [100.0] * 3 + [0.0]
    ctx = enterprise_ctx({0: _ent(a), 1: _ent([100.0] * 15)})
    assert fired(ctx, "enterprise_stopped_reporting", 14)["subject_id"].tolist() == ["C0"]


def test_output_power_divergence():
    va = [100.0] * 11 + [160.0]
    ctx = enterprise_ctx({0: _ent(va, va, [10.0] * 12), 1: _ent(va, va, [10.0] * 11 + [16.0])})
    w = fired(ctx, "enterprise_output_power_divergence", 11)
    assert w["subject_id"].tolist() == ["C0"] and w["evidence"].iloc[0]["gap_pp"] == pytest.approx(60.0)


def test_enterprise_severity_from_share():
    big = [1000.0] * 11 + [100.0]
    small = [1.0] * 11 + [0.1]
    w = fired(enterprise_ctx({0: _ent(big), 1: _ent(small)}), "enterprise_sharp_fall", 11,
              enterprise_high_share_pct=50.0, enterprise_medium_share_pct=0.05)
    assert dict(zip(w["subject_id"], w["severity"])) == {"C0": "high", "C1": "medium"}


def test_enterprise_rules_without_a_panel_return_the_empty_table():
    ctx = ctx_from(city_levels([100.0] * 14))
    for name in RULES:
        if name.startswith("enterprise_"):
            assert fired(ctx, name, 13).empty


def test_run_rules_concatenates_and_parses_periods():
    ctx = ctx_from(city_levels([100.0] * 11 + [103.0] * 5))
    out = run_rules(ctx, "2022-06", rules=["target_gap", "drag"])
    assert out["rule"].tolist() == ["target_gap"] and out["period"].iloc[0] == "2022-06"


# --- issue 10: the five lights are a status, and their cut-offs fit the subject ----------------------
def test_five_lights_are_not_run_as_warnings_by_default():
    from zhizao.analytics.monitoring.warnings import RULES, WARNING_RULES

    assert RULES["five_light"].signal and "five_light" not in WARNING_RULES
    assert set(WARNING_RULES) == {n for n in RULES if n != "five_light"}


def test_parts_are_lit_against_their_peers_the_city_against_its_cut_offs():
    """Districts growing 21–28 % while the city grows 25 %: the city's fixed cut-offs (≥12 过热) would
    light every district 过热; against their peers only the outliers light up."""
    import numpy as np

    from zhizao.analytics.monitoring.lights import _subject_stats, light_of
    from zhizao.settings import Settings

    s = Settings({"light_method": "fixed"})
    growth = np.array([[21.0], [22.0], [24.0], [25.0], [26.0], [28.0], [60.0], [-20.0]])
    stats, evs, cut = _subject_stats(growth, "district", 0, s)
    got = [light_of(z, cut) for z in stats]
    assert got[:6] == ["正常"] * 6 and got[6] == "过热" and got[7] == "过冷"
    assert evs[0]["method"] == "peers" and evs[0]["peers"] == 8
    city_stats, _, city_cut = _subject_stats(np.array([[25.0]]), "city", 0, s)
    assert light_of(city_stats[0], city_cut) == "过热"  # the city keeps the city's cut-offs
    few, _, _ = _subject_stats(np.array([[5.0], [30.0]]), "zone", 0, s)
    assert np.isnan(few).all()  # two peers are no spread


def test_the_engine_setting_takes_numpy_or_spark_only():
    from zhizao.errors import UserError

    assert Settings({"monitoring_engine": "spark"})["monitoring_engine"] == "spark"
    with pytest.raises(UserError) as e:
        Settings({"monitoring_engine": "hadoop"})
    assert "numpy 或 spark" in e.value.reason("zh") and "numpy or spark" in e.value.reason("en")
