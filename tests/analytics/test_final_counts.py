"""Projections of values that cannot be negative (a number of projects, enterprises, platforms): the final
evaluation's 90 % interval and the next-plan reference interval stop at 0 (review of issue 14: a register
count of 0 then 2 was extrapolated with "90%区间-3.7—7.7"); other indicators keep their band."""
from __future__ import annotations

from pathlib import Path

import pytest

from zhizao.analytics.final import nonnegative, project
from zhizao.analytics.next_plan import draft
from zhizao.plan.load import load_plan
from zhizao.settings import Settings

FICTIONAL = load_plan(Path(__file__).parents[1] / "assets" / "fictional-plan.yaml")


def ind(i: str):
    return next(x for x in FICTIONAL.indicators if x.id == i)


def test_which_indicators_cannot_be_negative():
    assert nonnegative(ind("new_projects")) and nonnegative(ind("parks"))  # project_count; kind count, 个
    assert not nonnegative(ind("output"))  # an amount in 亿元 (a level could in principle turn negative)
    assert nonnegative(ind("output").model_copy(update={"unit": "万家"}))  # a count by its unit alone


def test_a_count_held_flat_after_one_change_never_goes_below_zero():
    # the review's case: 0 at the end of 2024, 2 in 2025, to 2028 — one change, held at 2 with a band ±5.7
    p = project(ind("new_projects"), {2024: 0.0, 2025: 2.0}, 2028, Settings())
    assert p["value"] == 2.0 and p["low"] == 0.0 and p["high"] == pytest.approx(2 + 1.645 * 2 * 3 ** 0.5)
    assert "区间下端取0" in p["method"]
    # the same numbers of an amount keep their (negative) lower end
    q = project(ind("output").model_copy(update={"path": "linear"}), {2024: 0.0, 2025: 2.0}, 2028, Settings())
    assert q["low"] == pytest.approx(2 - 1.645 * 2 * 3 ** 0.5) and q["low"] < 0 and "取0" not in q["method"]


def test_a_falling_count_trend_stops_at_zero():
    p = project(ind("parks"), {2022: 4.0, 2023: 3.0, 2024: 1.0}, 2027, Settings())
    assert p["value"] == 0.0 and p["low"] == 0.0 and p["high"] >= 0.0


def test_a_comfortable_count_band_is_untouched():
    p = project(ind("parks"), {2022: 4.0, 2023: 5.0, 2024: 7.0}, 2027, Settings())
    assert p["low"] > 0 and "取0" not in p["method"]


def test_next_plan_reference_of_a_count_stops_at_zero():
    hist = [{"year": y, "value": v, "qualifier": "exact", "chosen": True} for y, v in ((2023, 0.0), (2024, 2.0))]
    _, df = draft(FICTIONAL, {"indicators": [{"id": "new_projects", "history": hist}]}, to_year=2030, base_year=2024)
    row = df.set_index("indicator").loc["new_projects"]
    assert row["reference_value"] == 2.0 and row["low"] == 0.0 and row["high"] > 2.0
    assert "区间下端取0" in row["note"]
