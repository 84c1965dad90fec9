"""Same store and as-of date → same report; and what the report compares itself with."""
from __future__ import annotations

import zipfile
from html import unescape

from zhizao import api
from zhizao.outputs.reports import build_report


def _part(path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def test_rebuilding_gives_identical_files(built):
    # Into the same folder: the report's own saved JSON must not count as "the previous report".
    again = build_report(built.result, built.observations, built.plan, formats=("docx", "html", "xlsx"),
                         out_dir=built.out, previous=built.previous)
    assert again["html"].read_bytes() == built.bytes["html"]
    assert again["docx"].read_bytes() == built.bytes["docx"]  # zip entry times are fixed too
    assert again["xlsx"].read_bytes() == built.bytes["xlsx"]


def test_docx_document_xml_identical_across_folders(built, tmp_path):
    again = build_report(built.result, built.observations, built.plan, formats=("docx",), out_dir=tmp_path,
                         previous=built.previous)
    assert _part(again["docx"], "word/document.xml") == _part(built.paths["docx"], "word/document.xml")


def test_no_previous_evaluation_is_said(built, tmp_path):
    paths = build_report(built.result, built.observations, built.plan, formats=("html",), out_dir=tmp_path)
    assert "没有可比较的上一期评估" in paths["html"].read_text(encoding="utf-8")


def test_a_saved_earlier_report_is_the_comparison(built, tmp_path):
    year = built.result["year"]
    # what was knowable in mid-year one year before (assumed release dates count: docs/methodology.md §1)
    earlier = api.assess(db=built.db, year=year - 1, as_of=f"{year - 1}-06-30")
    build_report(earlier, None, built.plan, formats=("html",), out_dir=tmp_path)
    paths = build_report(built.result, built.observations, built.plan, formats=("html",), out_dir=tmp_path)
    html = paths["html"].read_text(encoding="utf-8")
    assert f"与上一期报告（zhizao-report-{year - 1}-asof-{year - 1}-06-30-zh.json" in html
    changed = [i for i in built.result["indicators"]
               if i["status"] != {e["id"]: e for e in earlier["indicators"]}[i["id"]]["status"]]
    assert changed, "the as-of view one year earlier should differ somewhere"
    assert 'id="tbl-changes"' in html


def test_english_report(built, tmp_path):
    result = api.assess(db=built.db, lang="en", year=built.result["year"])
    paths = build_report(result, built.observations, built.plan, formats=("html", "xlsx"), out_dir=tmp_path, lang="en")
    html = unescape(paths["html"].read_text(encoding="utf-8"))
    assert paths["html"].name.endswith("-en.html") and '<html lang="en">' in html
    assert "Scorecard" in html and "Appendix B. Methodology" in html
    for ind in result["indicators"]:
        assert ind["name_en"] in html
        assert ind["status_label"] in html


def test_pdf_is_byte_identical_when_rebuilt(built, tmp_path):
    """LibreOffice stamps the clock into the PDF; zhizao replaces those stamps (to_pdf.stabilise_pdf)."""
    again = build_report(built.result, built.observations, built.plan, formats=("pdf",), out_dir=tmp_path,
                         previous=built.previous)
    data = again["pdf"].read_bytes()
    assert b"D:19800101000000" in data
    assert data == built.bytes["pdf"]
