"""Number formatting, argument checks and the errors a missing font or LibreOffice gives."""
from __future__ import annotations

import pytest

from zhizao.outputs.reports import build_report, fonts, to_pdf
from zhizao.outputs.reports.changes import one_year_earlier
from zhizao.outputs.reports.text import actual_text, growth, num, pct


@pytest.mark.parametrize("value, shown", [
    (26833.86, "26,834"), (499.9041, "499.9"), (61.5, "61.5"), (1.5654251, "1.565"), (0.8992977, "0.8993"),
    (0, "0"), (-16.0, "-16"), (30000.0, "30,000"), (None, "—"), (float("nan"), "—"), (9999.7, "10,000"),
])
def test_num(value, shown):
    assert num(value) == shown


def test_percentages_growth_and_qualifiers():
    assert pct(0.4520547) == "45.2%"
    assert growth({"kind": "level", "path_shape": "geometric", "unit": "亿元"}, 0.0741723, "zh") == "7.42%"
    assert growth({"kind": "share", "path_shape": "linear", "unit": "%"}, 0.6, "zh") == "0.6个百分点/年"
    assert growth({"kind": "cumulative_change", "path_shape": "compound", "unit": "%"}, -0.0343, "zh") == "-3.43%"
    assert actual_text(26000.0, "more_than", "zh") == "超26,000"
    assert actual_text(8000.0, "at_least", "en") == "at least 8,000"  # English in words


def test_one_year_earlier():
    assert one_year_earlier("2026-06-30") == "2025-06-30"
    assert one_year_earlier("2024-02-29") == "2023-02-28"
    assert one_year_earlier(None) is None


def test_unknown_format_and_language_are_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown report format"):
        build_report({}, None, None, formats="docx,odt", out_dir=tmp_path)
    with pytest.raises(ValueError, match="lang"):
        build_report({}, None, None, out_dir=tmp_path, lang="fr")


def test_missing_libreoffice_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(to_pdf.shutil, "which", lambda name: None)
    with pytest.raises(to_pdf.PdfConversionError, match="libreoffice-writer"):
        to_pdf.find_soffice()


def test_missing_font_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(fonts, "_fc_match", lambda family: None)
    monkeypatch.setattr(fonts, "KNOWN_PATHS", {fonts.SANS: tmp_path / "none.ttc", fonts.SERIF: tmp_path / "none.ttc"})
    fonts.find_cjk_fonts.cache_clear()
    try:
        with pytest.raises(fonts.FontMissing, match="fonts-noto-cjk"):
            fonts.find_cjk_fonts()
    finally:
        fonts.find_cjk_fonts.cache_clear()
