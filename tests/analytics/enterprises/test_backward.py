"""Backward-capacity candidates: each criterion alone, the energy median rule, and what fails nothing."""
from __future__ import annotations

import numpy as np
import pytest
from ana1_helpers import data, firm

from zhizao.analytics.enterprises import backward, muju
from zhizao.settings import Settings

S = Settings()

# three peers of GB/T 4754 group 367 using 1 tce per 万元 of value added (the median)
PEERS = [firm(f"P{i}", industry="3670", energy=100.0, value_added=100.0, env_violations=0.0, quality_failures=0.0,
              safety_violations=0.0, obsolete_equipment=0.0) for i in range(3)]


def candidates(*firms, settings=S, result=None):
    d = data([*PEERS, *firms])
    return backward.backward_candidates(d, 2024, settings, result).set_index("enterprise_id")


@pytest.mark.parametrize("criterion,measures,words", [
    ("environment", {"env_violations": 1.0}, "环保违法1次"),
    ("quality", {"quality_failures": 2.0}, "产品质量抽查不合格2次"),
    ("safety", {"safety_violations": 1.0}, "安全生产违法1次"),
    ("technology", {"obsolete_equipment": 1.0}, "使用淘汰类工艺装备"),
    ("energy", {"energy": 250.0, "value_added": 100.0}, "为同行业（367）中位数1的2.5倍"),
])
def test_each_criterion_alone(criterion, measures, words):
    m = {"energy": 100.0, "value_added": 100.0, **measures}
    c = candidates(firm("X", industry="3670", **m))
    assert list(c.index) == ["X"]
    assert c.loc["X", "criteria"] == [criterion] and c.loc["X", "n_failed"] == 1
    assert words in c.loc["X", "reasons_zh"]
    assert c.loc["X", "reasons_en"]


def test_energy_uses_the_group_median_and_the_ratio_setting():
    # 5 firms in group 367: 1, 1, 1, 2, 2.5 tce per 万元 → median 1; exactly 2× does not fail, 2.5× does
    c = candidates(firm("TWO", industry="3671", energy=200.0, value_added=100.0),
                   firm("MORE", industry="3672", energy=250.0, value_added=100.0))
    assert list(c.index) == ["MORE"]
    assert c.loc["MORE", "group_median"] == pytest.approx(1.0)
    assert c.loc["MORE", "energy_per_va"] == pytest.approx(2.5) and c.loc["MORE", "energy_ratio"] == pytest.approx(2.5)
    c = candidates(firm("MORE", industry="3672", energy=250.0, value_added=100.0),
                   settings=Settings({"backward_energy_ratio": 3}))
    assert c.empty
    # another group is not compared with 367: alone in 261, its own median
    c = candidates(firm("ALONE", industry="2611", energy=900.0, value_added=100.0))
    assert c.empty


def test_energy_without_positive_value_added_fails():
    c = candidates(firm("LOSS", industry="3670", energy=50.0, value_added=-10.0))
    assert c.loc["LOSS", "criteria"] == ["energy"]
    assert "增加值不为正" in c.loc["LOSS", "reasons_zh"] and np.isnan(c.loc["LOSS", "energy_ratio"])
    # it does not move the median the others are held to
    assert c.loc["LOSS", "group_median"] == pytest.approx(1.0)


def test_unknown_figures_fail_nothing_and_several_criteria_sort_first():
    c = candidates(firm("UNKNOWN", industry="3670"),
                   firm("ONE", industry="3670", energy=100.0, value_added=100.0, env_violations=3.0),
                   firm("THREE", industry="3311", energy=1.0, value_added=1.0, env_violations=1.0,
                        safety_violations=1.0, obsolete_equipment=1.0))
    assert list(c.index) == ["THREE", "ONE"]
    assert c.loc["THREE", "criteria"] == ["environment", "safety", "technology"]
    assert c.loc["THREE", "n_failed"] == 3
    assert c.loc["THREE", "reasons_zh"].count("；") == 2
    assert list(c.reset_index().columns) == backward.BACKWARD_COLUMNS


def test_klass_from_a_muju_result():
    firms = [*PEERS, firm("X", industry="3670", land_area=10.0, revenue=500.0, tax=1.0, electricity=10.0,
                         env_violations=1.0)]
    for _, a in firms[:3]:
        a.update(land_area=10.0, revenue=500.0, tax=50.0, electricity=10.0)
    d = data(firms)
    r = muju.evaluate(d, 2024, S)
    c = backward.backward_candidates(d, 2024, S, r).set_index("enterprise_id")
    assert c.loc["X", "klass"] == r.enterprises.set_index("enterprise_id").loc["X", "klass"] != ""
    assert backward.backward_candidates(d, 2024, S).set_index("enterprise_id").loc["X", "klass"] == ""


def test_no_data_for_the_year():
    assert backward.backward_candidates(data(PEERS), 2030, S).empty
