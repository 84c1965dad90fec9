"""Growth, 贡献率/拉动 and the target path: hand-computed cases."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from zhizao.analytics.monitoring.contributions import contribution_table, contributions, pulls_from_growth, rank
from zhizao.analytics.monitoring.growth import add_growth, required_rest_growth, target_gap


def _levels():
    return pd.DataFrame({"year": [2023] * 3 + [2024] * 3, "month": [2, 3, 4] * 2,
                         "value": [100.0, 50.0, 50.0, 110.0, 60.0, 40.0]})


def test_add_growth_by_hand():
    g = add_growth(_levels())
    cur = g[g["year"] == 2024]
    # YTD 110, 170, 210 vs 100, 150, 200
    assert np.allclose(cur["ytd_growth_pct"], [10.0, 100 * (170 / 150 - 1), 5.0])
    assert np.allclose(cur["month_growth_pct"], [10.0, 20.0, -20.0])
    assert g[g["year"] == 2023]["ytd_growth_pct"].isna().all()


def test_add_growth_by_group_does_not_mix_groups():
    d = pd.concat([_levels().assign(k="a"), _levels().assign(k="b", value=lambda x: x["value"] * 2)])
    g = add_growth(d, by=["k"])
    a, b = g[(g["k"] == "a") & (g["year"] == 2024)], g[(g["k"] == "b") & (g["year"] == 2024)]
    assert np.allclose(a["ytd_growth_pct"].to_numpy(), b["ytd_growth_pct"].to_numpy())


def test_required_rest_growth_by_hand():
    # (1200·1.06 − 330) / (1200 − 300) − 1 = 942/900 − 1
    assert required_rest_growth(330, 300, 1200, 6.0) == pytest.approx((942 / 900 - 1) * 100)


def test_target_gap_frame():
    d = pd.DataFrame({"year": [2023] * 11 + [2024] * 3, "month": list(range(2, 13)) + [2, 3, 4],
                      "value": [100.0] * 11 + [103.0] * 3})
    t = target_gap(d, 6.0)
    last = t.iloc[-1]
    assert last["ytd_growth_pct"] == pytest.approx(3.0)
    assert last["gap_pp"] == pytest.approx(-3.0)
    # rest: (1100·1.06 − 309) / (1100 − 300) − 1
    assert last["required_rest_pct"] == pytest.approx(((1100 * 1.06 - 309) / 800 - 1) * 100)


def test_contributions_by_hand_and_sums():
    c = contributions([110.0, 45.0, 60.0], [100.0, 50.0, 50.0])
    # ΔY 10, −5, 10; ΣΔ 15; base 200 → total growth 7.5 %
    assert np.allclose(c["pull_pp"], [5.0, -2.5, 5.0])
    assert np.allclose(c["contribution_pct"], [200 / 3, -100 / 3, 200 / 3])
    assert c["pull_pp"].sum() == pytest.approx(7.5)
    assert c["contribution_pct"].sum() == pytest.approx(100.0)
    assert np.allclose(c["share_prev_pct"], [50, 25, 25])


def test_contributions_new_part_counts_from_zero():
    c = contributions([110.0, 10.0], [100.0, np.nan])
    assert np.allclose(c["pull_pp"], [10.0, 10.0]) and np.isnan(c["growth_pct"][1])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1e6), st.floats(0.01, 1e6)), min_size=1, max_size=40))
def test_pulls_sum_to_total_growth(pairs):
    cur = np.array([p[0] for p in pairs])
    prev = np.array([p[1] for p in pairs])
    c = contributions(cur, prev)
    total = (cur.sum() / prev.sum() - 1) * 100
    assert c["pull_pp"].sum() == pytest.approx(total, rel=1e-9, abs=1e-9)
    if abs(cur.sum() - prev.sum()) > 1e-6 * prev.sum():
        assert c["contribution_pct"].sum() == pytest.approx(100.0, rel=1e-6)


def test_contribution_table_and_rank():
    d = pd.DataFrame({"part": ["a", "b", "c"], "cur": [110.0, 45.0, 60.0], "prev": [100.0, 50.0, 50.0]})
    t = contribution_table(d, "part")
    assert t["rank"].tolist() == [1, 3, 1]
    assert rank(t, "pull_pp", ascending=True)["rank"].tolist() == [2, 1, 2]


def test_pulls_from_growth():
    t = pulls_from_growth(pd.Series([5.0, 3.0, 2.0], index=list("abc")), pd.Series([10.0, -5.0, 20.0], index=list("abc")))
    assert np.allclose(t["pull_pp"], [5.0, -1.5, 4.0])
    assert t["pull_pp"].sum() == pytest.approx(7.5)
