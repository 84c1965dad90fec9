"""Golden cases, computed by hand (numbers written out), for every kind of target."""
import math

import pytest
from hypothesis import assume, given, settings as hsettings, strategies as st

from zhizao.analytics.progress import assess_average_growth, assess_progress, planned_value
from zhizao.plan.spec import Indicator
from zhizao.settings import Settings

S = Settings()


def ind(**kw) -> Indicator:
    base = dict(id="x", name="x", category="c", unit="亿元", nature="expected", kind="level",
                baseline={"year": 2020, "value": 100}, target={"year": 2025, "value": 200}, section="t")
    base.update(kw)
    return Indicator.model_validate(base)


def approx(a, b, rel=1e-6):
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-9)


def test_level_geometric_path():
    i = ind(stated_growth={"value": 14.87, "unit": "percent"})
    p = assess_progress(i, 100, 2023, 150, "exact", S)
    assert approx(p.planned, 151.5716566510398)  # 100·2^(3/5)
    assert approx(p.completion, 0.5) and approx(p.time_elapsed, 0.6)
    assert approx(p.observed_growth, 0.14471424255333187)  # 1.5^(1/3) − 1
    assert approx(p.planned_growth, 0.1486983549970351)  # 2^(1/5) − 1
    assert approx(p.growth_ratio, 0.9732067483612534)
    assert approx(p.required_growth, 0.15470053837925146)  # (200/150)^(1/2) − 1
    assert approx(p.projected, 196.55560456566727)
    assert p.status == "on_track" and p.status_definite


def test_share_in_percentage_points_is_linear():
    i = ind(unit="%", kind="share", baseline={"year": 2020, "value": 32}, target={"year": 2025, "value": 35},
            stated_growth={"value": 0.6, "unit": "percentage_points"})
    p = assess_progress(i, 32, 2022, 33.0, "exact", S)
    assert approx(p.planned, 33.2) and approx(p.completion, 1 / 3)
    assert approx(p.observed_growth, 0.5) and approx(p.planned_growth, 0.6)
    assert approx(p.growth_ratio, 0.5 / 0.6)
    assert approx(p.required_growth, 2 / 3) and approx(p.projected, 34.5)
    assert p.status == "behind"


def test_count_ahead():
    i = ind(unit="个", kind="count", baseline={"year": 2020, "value": 10}, target={"year": 2025, "value": 30},
            stated_growth={"value": 4, "unit": "per_year"})
    p = assess_progress(i, 10, 2023, 25, "exact", S)
    assert approx(p.planned, 22) and approx(p.completion, 0.75) and approx(p.growth_ratio, 1.25)
    assert p.status == "ahead"


def test_index_on_track():
    i = ind(unit="指数", kind="index", baseline={"year": 2020, "value": 59.2}, target={"year": 2025, "value": 65})
    p = assess_progress(i, 59.2, 2022, 61.5, "exact", S)
    assert approx(p.completion, 2.3 / 5.8) and approx(p.growth_ratio, 1.15 / 1.16)
    assert p.status == "on_track"


def test_cumulative_decrease_compounds_never_sums():
    i = ind(unit="%", kind="cumulative_change", direction="decrease", baseline=None,
            target={"year": 2025, "value": -16, "comparator": "<="})
    # on pace after 1 year: 1 − 0.84^(1/5) = 3.427 %, not 16/5 = 3.2 %
    assert approx(planned_value(i, None, 2021, 2020), -3.4269701092490057)
    assert approx(planned_value(i, None, 2023, 2020), -9.932611280091596)
    p = assess_progress(i, None, 2023, -10.0, "exact", S, base_year=2020)
    assert approx(p.completion, 0.625)
    assert approx(p.observed_growth, -0.03451061539437028) and approx(p.planned_growth, -0.03426970109249006)
    assert approx(p.growth_ratio, 1.0070299504868754)
    assert p.status == "on_track"
    assert assess_progress(i, None, 2024, -16.5, "exact", S, base_year=2020).status == "achieved"
    assert assess_progress(i, None, 2023, 1.0, "exact", S, base_year=2020).deterioration


def test_strictly_greater_target():
    i = ind(unit="%", kind="ratio", path="linear", baseline={"year": 2020, "value": 5.85},
            target={"year": 2025, "value": 6, "comparator": ">"})
    assert assess_progress(i, 5.85, 2021, 6.0, "exact", S).status != "achieved"  # 6 is not > 6
    assert assess_progress(i, 5.85, 2021, 6.2, "exact", S).status == "achieved"
    p = assess_progress(i, 5.85, 2021, 6.0, "more_than", S)  # 超6 meets >6
    assert p.status == "achieved" and p.status_definite


def test_approximate_target_uses_tolerance():
    i = ind(unit="%", kind="share", baseline={"year": 2020, "value": 28},
            target={"year": 2025, "value": 30, "comparator": "≈"})
    assert assess_progress(i, 28, 2024, 29.5, "exact", S).status == "achieved"  # within 2 % of 30
    p = assess_progress(i, 28, 2024, 29.3, "exact", S)
    assert p.status == "behind" and approx(p.growth_ratio, (1.3 / 4) / (2 / 5))
    tight = Settings({"approx_tolerance": 0.001})
    assert assess_progress(i, 28, 2024, 29.5, "exact", tight).status != "achieved"


def test_qualifiers_make_intervals():
    i = ind(baseline={"year": 2020, "value": 1000}, target={"year": 2025, "value": 1500})
    p = assess_progress(i, 1000, 2024, 1500, "nearly", S)  # 近1500: [1425, 1500)
    assert not p.status_definite and p.status != "achieved" and p.status_if_high == "achieved"
    assert approx(p.actual, 1425)
    q = assess_progress(i, 1000, 2024, 1500, "more_than", S)  # 超1500 meets ≥1500
    assert q.status == "achieved" and q.status_definite


def test_seriously_behind_and_deterioration():
    i = ind()
    p = assess_progress(i, 100, 2023, 95, "exact", S)
    assert p.status == "seriously_behind" and p.deterioration


def test_average_growth_target():
    i = ind(unit="%", kind="average_annual_growth", target={"year": 2025, "value": 6})
    p = assess_average_growth(i, {2021: 8.0, 2022: 3.0, 2023: 6.5}, S, base_year=2020)
    g = (1.08 * 1.03 * 1.065) ** (1 / 3) - 1
    assert approx(p.observed_growth, g) and approx(p.growth_ratio, g / 0.06)
    assert approx(p.required_growth, (1.06 ** 5 / (1.08 * 1.03 * 1.065)) ** 0.5 - 1)


kinds = st.sampled_from(["level", "share", "count", "index", "ratio"])
paths = st.sampled_from([None, "geometric", "linear"])


@given(b=st.floats(1, 1e5), factor=st.floats(1.01, 5), kind=kinds, path=paths, T=st.integers(2022, 2040))
@hsettings(max_examples=200, deadline=None)
def test_path_hits_target_exactly_in_target_year(b, factor, kind, path, T):
    i = ind(kind=kind, path=path, baseline={"year": 2020, "value": b}, target={"year": T, "value": b * factor})
    assert math.isclose(planned_value(i, b, T), b * factor, rel_tol=1e-9)
    assert math.isclose(planned_value(i, b, 2020), b, rel_tol=1e-9)


@given(c=st.floats(-90, -0.1), T=st.integers(2022, 2040))
def test_cumulative_path_hits_target(c, T):
    i = ind(unit="%", kind="cumulative_change", direction="decrease", baseline=None,
            target={"year": T, "value": c, "comparator": "<="})
    assert math.isclose(planned_value(i, None, T, 2020), c, rel_tol=1e-9)


@given(v1=st.floats(50, 400), v2=st.floats(50, 400), kind=kinds, path=paths, year=st.integers(2021, 2025))
@hsettings(max_examples=200, deadline=None)
def test_completion_is_monotone_in_actual(v1, v2, kind, path, year):
    assume(v1 < v2)
    i = ind(kind=kind, path=path)
    p1 = assess_progress(i, 100, year, v1, "exact", S)
    p2 = assess_progress(i, 100, year, v2, "exact", S)
    assert p1.completion <= p2.completion
    order = ["seriously_behind", "behind", "on_track", "ahead", "achieved"]
    assert order.index(p1.status) <= order.index(p2.status)  # more is never a worse status


@given(c1=st.floats(-40, 5), c2=st.floats(-40, 5))
def test_completion_monotone_for_decreases(c1, c2):
    assume(c1 < c2)
    i = ind(unit="%", kind="cumulative_change", direction="decrease", baseline=None,
            target={"year": 2025, "value": -16, "comparator": "<="})
    assert assess_progress(i, None, 2023, c1, "exact", S, base_year=2020).completion >= assess_progress(i, None, 2023, c2, "exact", S, base_year=2020).completion
