import pytest

from zhizao.ingest.units import UNITS, UnitError, convert, normalize_unit, unit_info, unit_scale_word


@pytest.mark.parametrize(
    "value, a, b, expected",
    [
        (22700, "万元", "亿元", 2.27),
        (2.27, "亿元", "万元", 22700.0),
        (2.27, "万亿元", "亿元", 22700.0),
        (22700, "亿元", "万亿元", 2.27),
        (3.2, "万亿", "亿元", 32000.0),  # 万亿 is shorthand for 万亿元
        (3725609.5, "万元", "亿元", 372.56095),
        (1, "元", "千元", 0.001),
        (5, "百万元", "万元", 500.0),
        (95.3, "万辆", "辆", 953000.0),
        (1.2, "亿片", "万片", 12000.0),
        (6, "万人", "人", 60000.0),
        (5.7, "%", "百分比", 5.7),
        (2.4, "个百分点", "百分点", 2.4),
        (3, "万吨标准煤", "吨标准煤", 30000.0),
        (25, "万元/人", "元/人", 250000.0),
        (59.2, "指数", "指数", 59.2),
        (7, "立方米/万元", "立方米/万元", 7.0),
    ],
)
def test_conversions(value, a, b, expected):
    assert convert(value, a, b) == pytest.approx(expected, rel=1e-12)


def test_exact_decimal_results():
    assert convert(22700, "万元", "亿元") == 2.27
    assert convert(2.27, "万亿元", "亿元") == 22700.0


@pytest.mark.parametrize(
    "a, b",
    [("%", "百分点"), ("百分点", "%"), ("个百分点", "百分比"), ("亿元", "辆"), ("万辆", "万台"),
     ("亿元", "%"), ("指数", "%"), ("亿元", "亿美元"), ("亿元", "furlongs")],
)
def test_refusals(a, b):
    with pytest.raises(UnitError) as info:
        convert(1.0, a, b)
    assert info.value.reason_zh and info.value.reason_en


def test_percent_point_refusal_explains():
    with pytest.raises(UnitError) as info:
        convert(1.0, "%", "百分点")
    assert "percentage point" in info.value.reason_en and "百分点" in info.value.reason_zh


def test_normalisation():
    assert normalize_unit(" 亿 元 ") == "亿元"
    assert normalize_unit("％") == "%"
    assert normalize_unit("万亿") == "万亿元"
    assert normalize_unit("个百分点") == "百分点"
    assert convert(1, "亿 元", "亿元") == 1
    assert convert(4, "人年", "人年") == 4  # same unit: no table lookup needed
    assert convert(4, "某单位", " 某单位 ") == 4


def test_scale_word_of_units():
    assert unit_scale_word("亿元") == "亿"
    assert unit_scale_word("万亿元") == "万亿"
    assert unit_scale_word("万辆") == "万"
    assert unit_scale_word("百分点") is None  # not 百 × 分点
    assert unit_scale_word("元") is None
    assert unit_scale_word("立方米/万元") is None


def test_table_is_small_data():
    assert all(isinstance(d, str) and f > 0 for d, f in UNITS.values())
    assert unit_info("亿元") == ("money", 1e8)
