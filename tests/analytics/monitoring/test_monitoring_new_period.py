"""A new reporting period added to a refresh (`refresh_period`: add_period + context_with_period) gives
the results of a full refresh on all the data: every table, every aggregate series, every warning —
within a year, across a new year with new enterprises, and from any cut point (hypothesis). A period
that is not the next one, or is malformed, is refused with the reason and changes nothing."""
from functools import lru_cache

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from zhizao.analytics.monitoring.refresh import prepare_enterprises, refresh, refresh_period
from zhizao.errors import UserError
from zhizao.synth.generator import generate


@lru_cache(maxsize=4)
def data(seed: int = 3):
    d = generate(300, 38, "2019-01", seed=seed)
    key = d.monthly["year"].astype(int) * 100 + d.monthly["month"].astype(int)
    return d, key, sorted(key.unique())


def assert_same(a, b):
    """Equal results: tables to 1e-12 relative (sums of a period summed alone may differ in the last
    bit from the same sums over all periods at once), warnings exactly."""
    for name in ("growth", "city_path", "contributions", "lights"):
        pd.testing.assert_frame_equal(getattr(a, name).reset_index(drop=True), getattr(b, name).reset_index(drop=True),
                                      rtol=1e-12, obj=name)
    pd.testing.assert_frame_equal(a.enterprises.reset_index(drop=True), b.enterprises.reset_index(drop=True),
                                  rtol=1e-12, obj="enterprises")
    pd.testing.assert_frame_equal(a.warnings.reset_index(drop=True), b.warnings.reset_index(drop=True), obj="warnings")
    assert a.period == b.period
    for st_, ss in b.context.series.items():
        assert a.context.series[st_].ids == ss.ids
        for m, v in ss.levels.items():
            np.testing.assert_allclose(a.context.series[st_].levels[m], v, rtol=1e-12, equal_nan=True,
                                       err_msg=f"{st_} {m}")


def known_by(ent, monthly):
    """The directory as it stood: the enterprises that reported so far, in directory order."""
    return ent[ent["enterprise_id"].isin(monthly["enterprise_id"].unique())]


def run_periods(seed: int, cut: int, steps: int):
    """Full refresh up to period `cut` (exclusive), then `steps` new periods one at a time, each
    compared with a full refresh on all the data up to it."""
    d, key, periods = data(seed)
    ent = prepare_enterprises(d.enterprises)
    seen = known_by(ent, d.monthly[key < periods[cut]])
    ctx = refresh(seen, d.monthly[key < periods[cut]], d.prices).context
    for p in periods[cut:cut + steps]:
        rows = d.monthly[key == p]
        new_ids = ~ent["enterprise_id"].isin(seen["enterprise_id"]) & ent["enterprise_id"].isin(rows["enterprise_id"])
        seen = pd.concat([seen, ent[new_ids]])
        got = refresh_period(ctx, seen, rows, d.prices)
        assert_same(got, refresh(seen, d.monthly[key <= p], d.prices))
        ctx = got.context
    return ctx


def test_months_within_a_year_equal_a_full_refresh():
    d, key, periods = data()
    run_periods(3, periods.index(202105), 4)


def test_a_new_year_with_new_enterprises_equals_a_full_refresh():
    d, key, periods = data()
    cut = periods.index(202102)  # 1–2月 of 2021: the panel grows a year, and the year's entrants join
    before = known_by(d.enterprises, d.monthly[key < periods[cut]])
    after = known_by(d.enterprises, d.monthly[key <= periods[cut]])
    assert len(after) > len(before)  # the case is really exercised
    ctx = run_periods(3, cut, 2)
    assert ctx.n_slots == 3 * 11


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from([3, 5]), cut=st.integers(12, 33))  # 34 periods: 2019–2021 and 1–2月 2022
def test_any_cut_point_equals_a_full_refresh(seed, cut):
    run_periods(seed, cut, 1)


def test_january_and_february_rows_make_one_period():
    d, key, periods = data()
    cut = periods.index(202202)
    m = d.monthly
    base = m[key < periods[cut]]
    rows = m[key == periods[cut]].copy()
    half = rows.sample(frac=0.5, random_state=1)  # these enterprises report January and February apart
    jan = half.assign(month=1, **{c: half[c] * 0.4 for c in ("value_added", "output", "revenue", "profit",
                                                              "electricity")})
    feb = rows.copy()
    feb.loc[half.index, ["value_added", "output", "revenue", "profit", "electricity"]] *= 0.6
    split = pd.concat([jan, feb])
    ent = known_by(d.enterprises, pd.concat([base, split]))
    got = refresh_period(refresh(known_by(d.enterprises, base), base, d.prices).context, ent, split, d.prices)
    assert_same(got, refresh(ent, pd.concat([base, split]), d.prices))
    assert_same(got, refresh(ent, pd.concat([base, rows]), d.prices))  # January + February = 1–2月


def base_context():
    d, key, periods = data()
    cut = periods.index(202106)
    base = d.monthly[key < periods[cut]]
    ent = known_by(d.enterprises, base)
    return d, ent, refresh(ent, base, d.prices).context, d.monthly[key == periods[cut]], key, periods


@pytest.mark.parametrize("case,words", [
    ("skip", ("2021-06", "2021-08")),
    ("two periods", ("2021-06",)),
    ("duplicate", ("两行",)),
    ("no measure", ("electricity",)),
    ("reordered", ("顺序",)),
    ("no prices", ("价格指数",)),
    ("empty", ("没有数据行",)),
])
def test_a_wrong_period_is_refused_and_changes_nothing(case, words):
    d, ent, ctx, rows, key, periods = base_context()
    before = {m: a.copy() for m, a in ctx.panel.values.items()}
    reported = ctx.panel.reported.copy()
    prices = d.prices
    if case == "skip":
        rows = d.monthly[key == periods[periods.index(202106) + 2]]
    elif case == "two periods":
        rows = d.monthly[(key == 202106) | (key == 202107)]
    elif case == "duplicate":
        rows = pd.concat([rows, rows.iloc[:1]])
    elif case == "no measure":
        rows = rows.drop(columns=["electricity"])
    elif case == "reordered":
        ent = ent.iloc[::-1]
    elif case == "no prices":
        prices = None
    elif case == "empty":
        rows = rows.iloc[:0]
    with pytest.raises(UserError) as e:
        refresh_period(ctx, ent, rows, prices)
    text = e.value.reason("zh") + e.value.reason("en")
    assert all(w in text for w in words), text
    for m, a in before.items():
        np.testing.assert_array_equal(ctx.panel.values[m], a)
    np.testing.assert_array_equal(ctx.panel.reported, reported)


def test_a_context_without_micro_data_is_refused():
    from tests.analytics.monitoring.monitoring_helpers import city_levels, ctx_from

    with pytest.raises(UserError):
        refresh_period(ctx_from(city_levels([1.0] * 22)), pd.DataFrame(), pd.DataFrame())
