"""Series names as published (预计, 一季度, 修订, 约, year ranges, targets) and dated addresses."""
from datetime import date

import pandas as pd

from zhizao.ingest.names import date_from_url, read_series_name, source_defaults
from zhizao.ingest.table import validate_rows


def test_names_carry_status_period_revision_and_basis():
    assert read_series_name("软件业务收入(预计)").series == "软件业务收入"
    assert read_series_name("软件业务收入（预计）").preliminary
    n = read_series_name("工业增加值（全部工业，预计）")
    assert (n.series, n.preliminary) == ("工业增加值(全部工业)", True)
    assert read_series_name("规上工业总产值(前三季度)").month == 9
    assert read_series_name("工业增加值增长率(1-6月)").month == 6
    r = read_series_name("地区生产总值（五经普修订后）")
    assert (r.series, r.revised) == ("地区生产总值", True)
    a = read_series_name("工业增加值年均增长（2016—2025十年）")
    assert a.series == "工业增加值年均增长"
    assert (a.basis.basis, a.basis.start, a.basis.end) == ("average_over", "2015", 2025)
    assert read_series_name("新能源汽车产量（约）").about
    # A name that is the plan's baseline sentence is a value; a restated target is not.
    assert not read_series_name("工业增加值(规划基期表述)").target
    assert read_series_name("软件业务收入(2025年规划目标)").target
    assert read_series_name("规上工业企业营业收入(规划目标2027)").target
    plain = read_series_name("地区生产总值")
    assert not plain.changed and plain.series == "地区生产总值"


def test_dates_from_addresses():
    assert date_from_url("https://cq.gov.cn/x/202303/t20230320_11785098.html", 2022) == "2023-03-20"
    assert date_from_url("http://swjmn.cn/money/2022-08/18/content_1.htm", 2021) == "2022-08-18"
    assert date_from_url("http://cq.people.com.cn/n2/2025/0121/c367668-4.html", 2024) == "2025-01-21"
    assert date_from_url("https://x.cn/202301/a.html", 2022) == "2023-01-31"  # month only: its last day
    assert date_from_url("https://x.cn/201501/a.html", 2022) is None  # before the period: not its release
    assert date_from_url("https://x.cn/t20990101_1.html", 2022, today=date(2026, 1, 1)) is None
    assert date_from_url(None, 2022) is None


def test_source_defaults():
    assert source_defaults("https://tjj.cq.gov.cn/a.html", "")[1] == "重庆市统计局"
    assert source_defaults("https://unknown.example/a", "") == (None, None)


def _validate(rows: list[dict], **kw):
    df = pd.DataFrame(rows, dtype=object)
    return validate_rows(df, file="t.csv", series_units={"软件业务收入": "亿元", "地区生产总值": "亿元"},
                         resolve_region=lambda t: "500000" if t in ("", "全市") else None,
                         window=(2015, 2025), default_region="500000", **kw)


def test_validate_rows_reads_the_name():
    base = {"indicator": "软件业务收入(预计)", "year": "2022", "value": "2750", "unit": "亿元",
            "source_url": "http://cq.news.cn/2023-01/10/c_1129269068.htm", "source_grade": "B", "quote": "q"}
    out, problems = _validate([base])
    assert not problems
    r = out.iloc[0]
    assert (r.series, r.status, r.vintage, r.grade) == ("软件业务收入", "preliminary", "2023-01-10", "B")
    assert "软件业务收入(预计)" in r.note
    # A publication date wins over the address; a month-only date is the month's end.
    out, _ = _validate([{**base, "published": "2023-01"}])
    assert out.iloc[0].vintage is None and out.iloc[0].published == "2023-01-31"
    out, _ = _validate([{**base, "indicator": "软件业务收入(一季度)", "year": "2022"}])
    assert out.iloc[0].period_key == "2022-03"


def test_target_rows_are_refused_or_skipped():
    rows = [{"indicator": "软件业务收入(2025年规划目标)", "year": "2025", "value": "5000", "unit": "亿元"},
            {"indicator": "软件业务收入", "year": "2022", "value": "2705", "unit": "亿元"}]
    _, problems = _validate(rows)
    assert [p.code for p in problems] == ["target_not_value"]
    assert "规划目标" in problems[0].message_zh
    out, problems = _validate(rows, targets="skip")
    assert not problems and list(out["value"]) == [2705.0]
    assert [p.code for p in out.attrs["skipped"]] == ["target_not_value"]
