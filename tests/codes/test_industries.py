"""GB/T 4754-2017 divisions in both languages (issue 10: never "Division 36" in English)."""
import csv
from importlib import resources

import pytest

from zhizao.codes.industries import DIVISIONS, DIVISIONS_EN, division_name


def test_31_divisions_with_chinese_and_english_names():
    assert sorted(DIVISIONS) == [str(c) for c in range(13, 44)]
    assert sorted(DIVISIONS_EN) == sorted(DIVISIONS)
    for code in DIVISIONS:
        en = division_name(code, "en")
        assert en and en.isascii() and "Division" not in en, (code, en)
        assert division_name(code) == DIVISIONS[code]


@pytest.mark.parametrize("code, zh, en", [
    ("36", "汽车制造业", "Manufacture of Automobiles"),
    ("39", "计算机、通信和其他电子设备制造业", "Manufacture of Computers, Communication and Other Electronic Equipment"),
    (39, "计算机、通信和其他电子设备制造业", "Manufacture of Computers, Communication and Other Electronic Equipment"),
])
def test_known_names(code, zh, en):
    assert division_name(code, "zh") == zh and division_name(code, "en") == en


def test_unknown_code_is_returned_as_it_is():
    assert division_name("99", "en") == "99"


def test_reference_csv_has_english_names_for_divisions_only():
    text = resources.files("zhizao.resources").joinpath("reference/gbt4754-2017-manufacturing.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) == 819
    assert all(bool(r["name_en"]) == (r["level"] == "division") for r in rows)
