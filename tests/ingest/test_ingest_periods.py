import pytest

from zhizao.ingest.periods import Period, PeriodError, parse_period


@pytest.mark.parametrize(
    "text, ptype, year, month",
    [
        ("2024", "year", 2024, None),
        ("2024年", "year", 2024, None),
        ("2024年全年", "year", 2024, None),
        ("2024-09", "ytd", 2024, 9),
        ("2024-9", "ytd", 2024, 9),
        ("2024-02", "ytd", 2024, 2),  # 1–2月 released together
        ("2024-01", "ytd", 2024, 1),
        ("2020-05(当月)", "month", 2020, 5),  # monthly_cumulative.csv
        ("2020-05（当月）", "month", 2020, 5),
        ("2024-09M", "month", 2024, 9),
        ("2024年9月当月", "month", 2024, 9),
        ("2024年9月", "month", 2024, 9),
        ("2024年1-9月", "ytd", 2024, 9),
        ("2024年1—9月", "ytd", 2024, 9),
        ("2024年1–9月", "ytd", 2024, 9),
        ("2024年1月-9月", "ytd", 2024, 9),
        ("２０２４年１－９月", "ytd", 2024, 9),
        ("2024年前三季度", "ytd", 2024, 9),
        ("2024年一季度", "ytd", 2024, 3),
        ("2024年第一季度", "ytd", 2024, 3),
        ("2024年上半年", "ytd", 2024, 6),
        ("2024年1-2月", "ytd", 2024, 2),
    ],
)
def test_parse(text, ptype, year, month):
    assert parse_period(text) == Period(ptype, year, month)


@pytest.mark.parametrize(
    "period, key, zh, en",
    [
        (Period("year", 2024), "2024", "2024年", "2024"),
        (Period("ytd", 2024, 9), "2024-09", "2024年1-9月", "Jan–Sep 2024"),
        (Period("month", 2024, 9), "2024-09M", "2024年9月", "Sep 2024"),
        (Period("ytd", 2024, 2), "2024-02", "2024年1-2月", "Jan–Feb 2024"),
    ],
)
def test_key_and_labels(period, key, zh, en):
    assert period.key == key
    assert period.label("zh") == zh and period.label("en") == en
    assert parse_period(key) == period  # keys parse back


@pytest.mark.parametrize(
    "text",
    ["", "abc", "24-09", "2024-13", "2024-00", "2024年3-9月", "2024年二季度", "2024-09X", "2024/09"],
)
def test_bad_periods(text):
    with pytest.raises(PeriodError) as info:
        parse_period(text)
    assert info.value.reason_zh and info.value.reason_en


def test_invalid_construction():
    with pytest.raises(PeriodError):
        Period("year", 2024, 3)
    with pytest.raises(PeriodError):
        Period("quarter", 2024, 3)
