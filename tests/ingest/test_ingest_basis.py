"""The basis column and the basis wordings in values, series names and periods."""
import csv
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings, strategies as st

from zhizao.ingest.basis import BasisError, basis_in_name, basis_in_text, parse_basis
from zhizao.ingest.table import import_table

SERIES = {"能耗下降": "%", "绿色工厂": "家", "增加值增长": "%", "用水量比上年下降": "%"}
KW = dict(series_units=SERIES, resolve_region=lambda t: None, window=(2015, 2025), default_region="990100")
HEAD = ["指标", "时期", "数值", "单位", "口径"]


def _csv(tmp_path: Path, rows, head=HEAD) -> Path:
    path = tmp_path / "d.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([head, *rows])
    return path


def _xlsx(tmp_path: Path, rows, head=HEAD) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in [head, *rows]:
        ws.append(r)
    path = tmp_path / "d.xlsx"
    wb.save(path)
    return path


GOOD = [
    ["能耗下降", "2023", "-3", "%", "比上年"],
    ["能耗下降", "2022", "较2020年累计下降8.1%", "%", ""],
    ["能耗下降", "2024", "-13.5", "%", "cumulative_since 2020"],
    ["增加值增长", "2025", "6.6", "%", "2021—2025年年均"],
    ["增加值增长", "2024", "十四五以来年均增长6.6%", "%", ""],
    ["绿色工厂", "2022", "2121", "家", "截至2022年3月"],
    ["绿色工厂", "截止2023年底", "累计2500", "家", ""],
    ["绿色工厂", "2021", "1800", "家", ""],
    ["绿色工厂", "2021", "比上年增长12%", "%", ""],
]
EXPECTED = [("change_on_previous_year", None, -3.0), ("cumulative_since", "2020", -8.1),
            ("cumulative_since", "2020", -13.5), ("average_over", "2020", 6.6), ("average_over", "2020", 6.6),
            ("stock_as_of", "2022-03", 2121.0), ("stock_as_of", "2023-12", 2500.0), ("level", None, 1800.0),
            ("change_on_previous_year", None, 12.0)]


@pytest.mark.parametrize("writer", [_csv, _xlsx])
def test_basis_column_and_wordings(tmp_path, writer):
    out, problems = import_table(writer(tmp_path, GOOD), **KW)
    assert problems == []
    got = [(b, None if f is None else f, v) for b, f, v in zip(out["basis"], out["basis_from"], out["value"])]
    assert got == EXPECTED
    assert list(out["period_key"])[5:7] == ["2022", "2023"]  # stocks count for the year of their date
    assert out["unit"].iloc[-1] == "%"  # a change of a count keeps its %


def test_without_a_basis_column_values_are_levels(tmp_path):
    out, problems = import_table(_csv(tmp_path, [["绿色工厂", "2021", "1800", "家"]], HEAD[:4]), **KW)
    assert problems == [] and list(out["basis"]) == ["level"] and out["basis_from"].iloc[0] is None


@pytest.mark.parametrize("row, code", [
    (["用水量比上年下降", "2023", "较2020年累计下降13.5%", "%", ""], "basis_conflict"),  # name vs value
    (["能耗下降", "2023", "-3", "%", "比上年", ], None),
    (["能耗下降", "2023", "较2020年累计下降13.5%", "%", "比上年"], "basis_conflict"),  # column vs value
    (["能耗下降", "2023", "较2019年累计下降13.5%", "%", "cumulative_since 2020"], "basis_conflict"),
    (["能耗下降", "2023", "累计下降13.5%", "%", ""], "basis_needs_year"),
    (["增加值增长", "2024", "6.6", "%", "2021—2025年年均"], "basis_period_conflict"),
    (["绿色工厂", "2021", "2121", "家", "截至2022年3月"], "basis_period_conflict"),
    (["能耗下降", "2023", "-3", "%", "大概"], "bad_basis"),
    (["能耗下降", "2023", "-3", "%", "level"], None),
    (["用水量比上年下降", "2023", "-3", "%", "level"], "basis_conflict"),
])
def test_contradictions_are_refused(tmp_path, row, code):
    _, problems = import_table(_csv(tmp_path, [row]), **KW)
    assert [p.code for p in problems] == ([code] if code else [])
    for p in problems:  # every refusal says what to do, in both languages
        assert p.message_zh and p.message_en and "：" in p.message_zh


def test_same_period_on_two_bases_is_not_a_duplicate(tmp_path):
    out, problems = import_table(_csv(tmp_path, [["能耗下降", "2023", "-3", "%", "比上年"],
                                                 ["能耗下降", "2023", "-10", "%", "较2020年累计"]]), **KW)
    assert problems == [] and len(out) == 2


def test_unknown_series_says_how_to_register_it(tmp_path):
    _, problems = import_table(_csv(tmp_path, [["新序列", "2023", "5", "亿元", ""]]), **KW)
    (p,) = problems
    assert p.code == "unknown_series"
    assert "series:" in p.message_zh and "{series: 新序列, unit: 亿元}" in p.message_zh
    assert "links:" in p.message_en and "docs/data-import.md" in p.message_en


def test_parsers():
    assert parse_basis("  ") is None
    assert parse_basis("同比") .basis == "change_on_previous_year"
    assert parse_basis("较2020年累计").start == "2020"
    assert parse_basis("十三五时期年均") == parse_basis("十三五时期年均").__class__("average_over", "2015", 2020,
                                                                            "十三五时期年均")
    assert parse_basis("stock_as_of 2022-03-31").start == "2022-03-31"
    with pytest.raises(BasisError):
        parse_basis("cumulative_since twenty")
    assert basis_in_name("万元工业增加值用水量较2020年累计下降").start == "2020"
    assert basis_in_name("单位地区生产总值能源消费量累计下降(2016-2021)").start == "2015"
    for plain in ("GDP累计", "国家智能制造示范工厂(累计)", "汽车产量累计增长率", "规上工业增加值增长率"):
        assert basis_in_name(plain) is None  # 累计 alone is year to date or a stock
    assert basis_in_text("超2.6万") == (None, "超2.6万")


_WORDS = st.sampled_from(["比上年", "同比", "较上年", "较{y}年累计", "{y}年以来累计", "十四五以来年均",
                          "{a}—{y}年年均", "截至{y}年{m}月", "截止{y}年底", "cumulative_since {y}",
                          "average_over {y}", "stock_as_of {y}-{m:02d}", "level", "存量"])


@settings(max_examples=150, deadline=None)
@given(_WORDS, st.integers(2000, 2030), st.integers(1, 12), st.sampled_from(["", "下降", "增长"]),
       st.decimals(0, 100, places=1).map(str))
def test_wording_parser_property(word, y, m, change, number):
    text = word.format(y=y, a=y - 4, m=m)
    b = parse_basis(text)
    assert b is not None and b.basis in ("level", "change_on_previous_year", "cumulative_since", "average_over",
                                         "stock_as_of")
    if b.start is not None and b.basis != "stock_as_of":
        assert int(b.start) in (y, y - 5, 2020)
    # the same words in front of a value give the same basis and leave only the number
    if b.basis in ("change_on_previous_year", "cumulative_since", "average_over") and not text.isascii():
        found, rest = basis_in_text(text + change + number + "%")
        assert (found.basis, found.start) == (b.basis, b.start)
        assert rest == change + number + "%"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_wording_parser_never_crashes(text):
    try:
        parse_basis(text)
    except BasisError as e:
        assert e.reason_zh and e.reason_en
    basis_in_text(text)
    basis_in_name(text)
