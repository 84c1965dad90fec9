"""YTD ↔ single month with January and February released together."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from zhizao.analytics.monitoring.periods import (merge_jan_feb, month_to_ytd, parse_period, period_label,
                                                 spring_festival_reaches_march, ytd_growth_to_month_growth,
                                                 ytd_to_month)


def test_ytd_to_month_jan_feb_combined():
    d = pd.DataFrame({"year": 2024, "month": [2, 3, 4], "ytd": [20.0, 32.0, 45.0]})
    out = ytd_to_month(d)
    assert out["value"].tolist() == [20.0, 12.0, 13.0]
    assert out["jan_feb_combined"].tolist() == [True, False, False]
    assert out["spring_festival_flag"].tolist() == [False, True, False]


def test_ytd_to_month_january_separate():
    d = pd.DataFrame({"year": 2024, "month": [1, 2, 3], "ytd": [8.0, 20.0, 32.0]})
    assert ytd_to_month(d)["value"].tolist() == [8.0, 12.0, 12.0]


def test_ytd_to_month_gap_gives_nan_and_years_are_separate():
    d = pd.DataFrame({"year": [2023, 2023, 2023, 2024], "month": [2, 3, 5, 2], "ytd": [10.0, 15.0, 30.0, 11.0]})
    v = ytd_to_month(d)["value"].tolist()
    assert v[:2] == [10.0, 5.0] and np.isnan(v[2]) and v[3] == 11.0


def test_month_to_ytd_hole_breaks_the_rest_of_the_year():
    d = pd.DataFrame({"year": 2024, "month": [2, 3, 5, 6], "value": [10.0, 5.0, 6.0, 7.0]})
    y = month_to_ytd(d)["ytd"].tolist()
    assert y[:2] == [10.0, 15.0] and np.isnan(y[2]) and np.isnan(y[3])


def test_merge_jan_feb():
    d = pd.DataFrame({"k": ["a", "a", "a"], "year": 2024, "month": [1, 2, 3], "value": [3.0, 4.0, 5.0]})
    out = merge_jan_feb(d, ["value"]).sort_values("month")
    assert out["month"].tolist() == [2, 3] and out["value"].tolist() == [7.0, 5.0]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0.1, 1e6), min_size=11, max_size=11))
def test_round_trip(values):
    d = pd.DataFrame({"year": 2024, "month": range(2, 13), "value": values})
    back = ytd_to_month(month_to_ytd(d).drop(columns="value"), value="ytd")
    assert np.allclose(back["value"], values, rtol=1e-9)


def test_ytd_growth_to_month_growth_by_hand():
    # last year single periods 20, 10, 10 → C_prev 20, 30, 40; YTD growth 10, 12, 11 %
    # current YTD 22, 33.6, 44.4 → single 22, 11.6, 10.8 → growth 10, 16, 8 %
    out = ytd_growth_to_month_growth(pd.Series([10.0, 12.0, 11.0], index=[2, 3, 4]),
                                     pd.Series([20.0, 10.0, 10.0], index=[2, 3, 4]))
    assert np.allclose(out["month_growth_pct"], [10.0, 16.0, 8.0])
    assert not out["approximate"].any()


def test_ytd_growth_to_month_growth_equal_weights_is_marked():
    out = ytd_growth_to_month_growth(pd.Series([8.7, 8.6], index=[2, 3]))
    # equal weights: prev 2 and 1 → cur YTD 2.174, 3.258 → March 1.084 → 8.4 %
    assert out["approximate"].all()
    assert out["month_growth_pct"].iloc[1] == pytest.approx(8.4, abs=1e-9)


@pytest.mark.parametrize("text,expected", [("2024-09", (2024, 9)), ("2024-9", (2024, 9)), ("202410", (2024, 10)),
                                           ("2024-01", (2024, 2)), ("2024年1-2月", (2024, 2)), ("2024-12", (2024, 12))])
def test_parse_period(text, expected):
    assert parse_period(text) == expected


def test_parse_period_rejects_garbage():
    with pytest.raises(ValueError):
        parse_period("Sept 2024")


def test_labels_and_spring_festival():
    assert period_label(2024, 2) == "2024年1—2月"
    assert period_label(2024, 9, "month") == "2024年9月"
    assert period_label(2024, 9, "ytd", "en") == "Jan–Sep 2024"
    assert spring_festival_reaches_march(2024) is True  # 2 月 10 日 + 20 天 = 3 月 1 日
    assert spring_festival_reaches_march(2023) is False
    assert spring_festival_reaches_march(1999) is None
