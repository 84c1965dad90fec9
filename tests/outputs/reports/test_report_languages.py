"""The label contracts the outputs share (issue 10): units, targets and sources in the reader's language."""
import re

import pytest

from zhizao import formatting, labels
from zhizao.analytics.progress import target_display
from zhizao.plan.load import load_plan

CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.mark.parametrize("unit, en", [
    ("亿元", "100 million yuan"), ("万元", "10,000 yuan"), ("万亿元", "trillion yuan"), ("%", "%"),
    ("百分点", "percentage points"), ("个", "units"), ("家", "enterprises"), ("万人", "10,000 persons"),
    ("万元/人", "10,000 yuan per person"), ("吨标准煤/万元", "tonnes of standard coal per 10,000 yuan"),
    ("立方米/万元", "m³ per 10,000 yuan"), ("件", "items"), ("项", "items"), ("辆", "vehicles"), ("台", "sets"),
    ("万家", "10,000 enterprises"), ("万辆", "10,000 vehicles"), ("指数", "index"), ("万亿", "trillion yuan"),
])
def test_unit_label(unit, en):
    assert labels.unit_label(unit, "en") == en
    assert labels.unit_label(unit, "zh") == unit


def test_unknown_unit_falls_back_to_itself():
    assert labels.unit_label("光年", "en") == "光年"
    assert labels.unit_label("%（低于全国平均的幅度）", "en").startswith("% ")
    assert labels.unit_label(None, "en") == "" and labels.unit_label("", "zh") == ""


@pytest.mark.parametrize("plan_id", ["chongqing-manufacturing-2021-2025", "chongqing-manufacturing-2023-2027"])
def test_every_unit_and_target_of_the_embedded_plans_reads_in_english(plan_id):
    plan = load_plan(plan_id)
    for ind in plan.indicators:
        assert not CJK.search(labels.unit_label(ind.unit, "en")), ind.unit
        if ind.target is not None:
            en = target_display(ind.target, "en")
            assert not CJK.search(en), (ind.id, ind.target.text, en)
            assert "e+" not in en


@pytest.mark.parametrize("target, zh, en", [
    ({"text": "30 左右", "value": 30, "comparator": "≈"}, "30 左右", "about 30"),
    ({"text": "保持≥28", "value": 28, "comparator": ">=", "every_year": True}, "保持≥28", "≥28 every year"),
    ({"text": ">6", "value": 6, "comparator": ">"}, ">6", ">6"),
    ({"text": "[-16%]", "value": -16, "comparator": "<="}, "[-16%]", "[-16%]"),
    ({"text": None, "value": 5, "upper": 6, "comparator": "between"}, "5—6", "5–6"),
    ({"text": None, "value": 30000, "comparator": ">="}, "≥30,000", "≥30,000"),  # grouped as the values beside it
    ({"text": None, "value": 1234567, "comparator": ">="}, "≥1,234,567", "≥1,234,567"),
])
def test_target_display(target, zh, en):
    assert target_display(target, "zh") == zh
    assert target_display(target, "en") == en


def test_source_text_publisher_and_title_first_grade_in_words_address_last():
    s = formatting.source_text("2023年重庆市国民经济和社会发展统计公报", "重庆市统计局", "A", "https://tjj.cq.gov.cn/x")
    assert s == "重庆市统计局《2023年重庆市国民经济和社会发展统计公报》 · A 政府网站原文 · https://tjj.cq.gov.cn/x"
    weak = formatting.source_text(None, "某公众号", "D", "https://mp.example/x", "en")
    assert weak.startswith("某公众号 · D: secondary compilation") and weak.endswith(" · https://mp.example/x")
    assert formatting.source_text(None, None, None, None) == labels.label("grade", "none")
    assert "C 其他网站转载" in formatting.source_text("t", "p", "C", None)
