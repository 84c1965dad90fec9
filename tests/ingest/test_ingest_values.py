"""Hand-checked value forms, most taken verbatim from zhizao/resources/datasets/chongqing/*.csv."""

import pytest

from zhizao.ingest.values import QUALIFIERS, ParsedValue, ValueParseError, parse_value


@pytest.mark.parametrize(
    "text, unit, number, qualifier",
    [
        ("超2.6万", "亿元", 26000.0, "more_than"),  # annual.csv 规上工业总产值 2023
        ("超26000", "亿元", 26000.0, "more_than"),
        ("近1500", "亿元", 1500.0, "nearly"),
        ("突破254", "万辆", 254.0, "at_least"),
        ("3.8万余", "家", 38000.0, "more_than"),
        ("4500亿级", "亿元", 4500.0, "about"),
        ("7000亿级", "亿元", 7000.0, "about"),
        ("过千亿", "亿元", 1000.0, "more_than"),  # districts.csv 璧山区 2024
        ("超过2700", "亿元", 2700.0, "more_than"),
        ("超过2万", "亿元", 20000.0, "more_than"),
        ("近20", "%", 20.0, "nearly"),
        ("30左右", "%", 30.0, "about"),
        ("近7000", "亿元", 7000.0, "nearly"),
        ("突破8000", "亿元", 8000.0, "at_least"),
        ("超50", "万辆", 50.0, "more_than"),
        ("超1.35万", "亿元", 13500.0, "more_than"),
        ("2.27万", "亿元", 22700.0, "exact"),
        ("2.79万", "亿元", 27900.0, "exact"),
        ("-21.9", "%", -21.9, "exact"),
        ("25.0", "%", 25.0, "exact"),
        ("3725609.5", "万元", 3725609.5, "exact"),
        ("2.4倍(即增长1.4倍)", "倍", 2.4, "exact"),
    ],
)
def test_real_value_forms(text, unit, number, qualifier):
    pv = parse_value(text, unit)
    assert pv.number == number
    assert pv.qualifier == qualifier
    assert pv.text == text


def test_scale_fields():
    pv = parse_value("超2.6万")
    assert (pv.number, pv.scale_word, pv.scale_factor, pv.unit_scale) == (26000.0, "万", 1e4, None)


def test_qianyi_rule_drops_the_unit_scale():
    with_unit = parse_value("过千亿", "亿元")
    assert (with_unit.number, with_unit.scale_word, with_unit.unit_scale) == (1000.0, "千", "亿")
    bare = parse_value("过千亿")  # no unit: the whole scale applies
    assert bare.number == 1e11 and bare.scale_word == "千亿"
    assert parse_value("4500亿级", "亿元").unit_scale == "亿"
    assert parse_value("突破万亿", "万亿元").number == 1.0
    assert parse_value("突破万亿", "亿元").number == 10000.0
    assert parse_value("2.79万亿", "亿元").number == 27900.0


def test_multiple_keeps_parenthetical():
    pv = parse_value("2.4倍(即增长1.4倍)", "倍")
    assert (pv.mark, pv.note) == ("倍", "即增长1.4倍")
    assert pv.text == "2.4倍(即增长1.4倍)"


@pytest.mark.parametrize(
    "text, number",
    [
        ("１，２３４．５", 1234.5),  # full-width digits and comma
        ("1,234.5", 1234.5),
        ("1,234,567", 1234567.0),
        ("+5", 5.0),
        ("−3.5", -3.5),  # U+2212 minus
        ("5%", 5.0),
        ("５．７％", 5.7),
        (" 2.6 万 ", 26000.0),
        ("1e-05", 1e-05),
        ("2.01万", 20100.0),  # exact, not 20099.999999999996
    ],
)
def test_number_spellings(text, number):
    assert parse_value(text).number == number


@pytest.mark.parametrize(
    "text, qualifier",
    [
        ("逾300", "more_than"), ("多300", "more_than"), ("300多", "more_than"), ("30余万", "more_than"),
        ("不低于30", "at_least"), ("达到30以上", "at_least"), ("30以上", "at_least"),
        ("接近30", "nearly"), ("将近30", "nearly"),
        ("约30", "about"), ("大约30", "about"), ("30上下", "about"), ("约30左右", "about"),
        ("不超过30", "at_most"), ("30以内", "at_most"), ("30以下", "at_most"),
        ("不足30", "less_than"), ("低于30", "less_than"), ("不到30", "less_than"),
        ("达到30", "exact"), ("30", "exact"),
    ],
)
def test_every_trigger(text, qualifier):
    assert parse_value(text).qualifier == qualifier


def test_yu_before_scale():
    assert parse_value("30余万", "辆").number == 300000.0


def test_unit_pasted_into_value():
    assert parse_value("37万辆", "万辆").number == 37.0
    assert parse_value("2.6万亿元", "亿元").number == 26000.0


def test_qualifier_table_documents_triggers():
    assert set(QUALIFIERS) == {"exact", "more_than", "at_least", "nearly", "about", "at_most", "less_than"}
    for zh, en, triggers in QUALIFIERS.values():
        assert zh and en and isinstance(triggers, list)
    assert "…余" in QUALIFIERS["more_than"][2] and "…级" in QUALIFIERS["about"][2]


def test_parsed_value_is_frozen():
    pv = parse_value("1")
    assert isinstance(pv, ParsedValue)
    with pytest.raises(AttributeError):
        pv.number = 2.0  # type: ignore[misc]


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("", "empty"),
        ("   ", "empty"),
        ("abc", "letters"),
        ("约三千", "Chinese numerals"),
        ("2 3", "more than one number"),
        ("30-40", "more than one number"),
        ("2万3千", "more than one number"),
        ("近2万余", "conflicting"),
        ("超30以下", "conflicting"),
        ("1234,5", "thousands"),
        ("—", "placeholder"),
        ("+", "not a recognised"),
        ("万亿元元", "not a recognised"),
    ],
)
def test_refusals(text, fragment):
    with pytest.raises(ValueParseError) as info:
        parse_value(text)
    assert fragment in info.value.reason_en
    assert info.value.reason_zh
