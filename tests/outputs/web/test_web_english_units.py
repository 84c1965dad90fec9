"""Issue 10, fourth wave: the English overview and indicator page show units in English with a scaled
unit bracketed, qualifiers in words, English punctuation in sentences and the method in English."""
from __future__ import annotations

import re

import pytest

SECOND = "/p/chongqing-manufacturing-2023-2027"
BARE_SCALED = re.compile(r"\d (?:10,000|100 million)\b")
CJK_PUNCT = re.compile(r"[：（）、；]")


def _text(html: str) -> str:
    body = re.sub(r"<script.*?</script>|<style.*?</style>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


@pytest.mark.parametrize("base", ["", SECOND])
def test_english_overview_units_and_punctuation(client, base):
    r = client.get(f"{base}/?lang=en")
    assert r.status_code == 200
    main = _text(r.text.split("<main", 1)[1])
    assert not BARE_SCALED.search(main)
    assert "亿元" not in main and "万元" not in main and "万亿级" not in main
    alert = re.search(r'<p class="alert">(.*?)</p>', r.text, re.S)
    if alert:
        assert not CJK_PUNCT.search(_text(alert.group(1)))
    if not base:
        assert "10,000 (100 million yuan)" in main  # the 万亿级 cluster's target


def test_chinese_overview_keeps_the_plans_tier_words(client):
    main = _text(client.get("/?lang=zh").text)
    assert "万亿级（10,000亿元）" in main


@pytest.mark.parametrize("path, words", [
    ("/indicator/labour_productivity", ["41.9 (10,000 yuan per person) (2021)", "linear path"]),
    ("/indicator/software_revenue", ["2,705 (100 million yuan)", "geometric path"]),
    (SECOND + "/indicator/sei_va_share", ["about 36%", "percentage points a year"]),
])
def test_english_indicator_page(client, path, words):
    main = _text(client.get(path + "?lang=en").text.split("<main", 1)[1])
    for w in words:
        assert w in main
    assert "线性路径" not in main and "几何路径" not in main
    assert not BARE_SCALED.search(main)
