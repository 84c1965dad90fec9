"""The built report, format by format: what a reader (and Word, LibreOffice, a browser) gets."""
from __future__ import annotations

import re
import subprocess
import zipfile

from docx import Document
from openpyxl import load_workbook

from reporttest_support import need
from zhizao.outputs.reports.content import scorecard_header
from zhizao.outputs.reports.style import STATUS_FILL
from zhizao.outputs.reports.content import _yearly
from zhizao.outputs.reports.text import num, required_growth


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def test_every_format_is_written(built):
    assert set(built.paths) == {"docx", "html", "pdf", "xlsx", "json"}
    for kind, path in built.paths.items():
        assert path.is_file() and path.stat().st_size > 1000, kind
    assert built.bytes["pdf"].startswith(b"%PDF")


# --- DOCX ------------------------------------------------------------------------------------
def test_docx_converts_with_plain_libreoffice_headless(built, tmp_path):
    exe = need("soffice", "libreoffice-writer-nogui")
    profile = (tmp_path / "profile").as_uri()  # private profile: no clash with another LibreOffice
    subprocess.run([exe, "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(built.paths["docx"])], check=True, capture_output=True, timeout=240)
    pdf = tmp_path / (built.paths["docx"].stem + ".pdf")
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")


def test_docx_names_cjk_fonts_for_east_asian_text(built):
    with zipfile.ZipFile(built.paths["docx"]) as z:
        styles = z.read("word/styles.xml").decode("utf-8")
        fonts = z.read("word/fontTable.xml").decode("utf-8")
    assert 'w:eastAsia="Noto Serif CJK SC"' in styles  # body: 宋体-style
    assert 'w:eastAsia="Noto Sans CJK SC"' in styles  # headings: 黑体-style
    assert "eastAsiaTheme" not in styles and "asciiTheme" not in styles  # theme fonts would override
    assert 'w:altName w:val="宋体"' in fonts and 'w:altName w:val="黑体"' in fonts


def test_docx_has_toc_page_numbers_and_heading_styles(built):
    doc = Document(built.paths["docx"])
    xml = doc.element.xml
    assert "TOC \\o" in xml
    footers = "".join(s.footer._element.xml for s in doc.sections)
    assert "PAGE" in footers and "fldChar" in footers
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "一、评估概要" in headings and "二、指标评估总表" in headings
    assert doc.core_properties.created.date().isoformat() <= "2100-01-01"
    assert doc.core_properties.author == "zhizao"


def _numbers(text: str) -> list[tuple[float, int]]:
    """Numbers in `text` with their decimal places (26,834: thousands separators as printed)."""
    return [(float(m.replace(",", "")), len(m.partition(".")[2]))
            for m in re.findall(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?", text)]


def _equal(text: str, expected, *, scale: float = 1.0) -> None:
    """`text` shows `expected` (× scale) to the precision it prints; "—" for a missing value."""
    if expected is None:
        assert text == "—", text
        return
    (shown, decimals), *_ = _numbers(text)
    assert abs(shown - expected * scale) <= 0.5 * 10 ** -decimals + 1e-9, (text, expected)


def test_docx_scorecard_numbers_equal_the_assessment(built):
    doc = Document(built.paths["docx"])
    header = scorecard_header("zh")
    table = next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == header)
    by_name = {i["name"]: i for i in built.result["indicators"]}
    rows = table.rows[1:]
    assert len(rows) == len(by_name)
    binding_first = [c.cells[0].text.startswith("★") for c in rows]
    assert binding_first == sorted(binding_first, reverse=True)
    for row in rows:
        cells = [c.text for c in row.cells]
        ind = by_name[cells[0].removeprefix("★ ")]
        col = dict(zip(header, cells))
        _equal(col["基期值"], ind["baseline"]["value"])
        assert col["基期值"].endswith("*") == bool(ind["baseline"]["rebased"])
        _equal(col["目标值"], ind["target"]["value"])
        assert col["数据年份"] == (str(ind["data_year"]) if ind["data_year"] else "—")
        _equal(col["实际值"], ind["actual"])
        _equal(col["规划路径值"], ind["planned"])
        if ind["completion"] is not None and ind["completion"] > 3:  # far past the target the ratio says little
            assert col["进度完成度"] == "超过300%", col["进度完成度"]
        else:
            _equal(col["进度完成度"], ind["completion"], scale=100)
        _equal(col["时间进度"], ind["time_elapsed"], scale=100)
        _equal(col["增速比"], ind["growth_ratio"])
        assert col["状态"].startswith(ind["status_label"])
        assert col["单位"] == ind["unit"]


# --- PDF -------------------------------------------------------------------------------------
def test_pdf_embeds_cjk_fonts(built):
    exe = need("pdffonts", "poppler-utils")
    out = subprocess.run([exe, str(built.paths["pdf"])], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    cjk = [r for r in rows if "CJK" in r[0]]
    assert cjk, out
    # columns from the right: emb sub uni object-id generation
    assert all(r[-5] == "yes" for r in rows), out


def test_pdf_text_has_every_indicator_and_status(built):
    exe = need("pdftotext", "poppler-utils")
    text = _squash(subprocess.run([exe, str(built.paths["pdf"]), "-"], capture_output=True, text=True,
                                  check=True).stdout)
    for ind in built.result["indicators"]:
        assert _squash(ind["name"]) in text, ind["name"]
        assert ind["status_label"] in text
    assert "目录" in text and "第2页" in text


# --- HTML ------------------------------------------------------------------------------------
def test_html_is_one_offline_file(built):
    html = built.paths["html"].read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.I)
    assert not re.search(r"<link\b", html, re.I)
    assert not re.search(r"<img[^>]*src\s*=\s*\"(?!data:)", html, re.I)
    assert not re.search(r"url\(", html, re.I)
    assert html.count('src="data:image/png;base64,') >= len(built.result["indicators"])
    # Source addresses only in the data-sources appendix, as links to the sources.
    sources = re.search(r'<section id="sec-sources">.*?</section>', html, re.S)
    assert sources and "https://" in sources.group(0)
    rest = html.replace(sources.group(0), "")
    assert "http://" not in rest and "https://" not in rest


def test_html_has_every_indicator_status_and_cluster(built):
    html = built.paths["html"].read_text(encoding="utf-8")
    for ind in built.result["indicators"]:
        assert ind["name"] in html and f'id="ind-{ind["id"]}"' in html
    for c in built.result["clusters"]:
        assert c["name"] in html
    for status in STATUS_FILL:
        assert f"s-{status}" in html


def test_html_states_projection_and_growth_needed_from_now_on(built):
    html = built.paths["html"].read_text(encoding="utf-8")
    with_data = [i for i in built.result["indicators"] if i["actual"] is not None]
    assert with_data
    for ind in with_data:
        if ind.get("projected") is not None and ind["data_year"] < ind["target"]["year"]:
            assert f"预计{num(ind['projected'])}" in html, ind["id"]
        needed = required_growth(ind)
        if needed is not None and ind["status"] != "achieved":
            assert f"此后需年均{_yearly(ind, needed, 'zh')}" in html, ind["id"]  # 年均4.7% / 年均增加0.41个百分点


# --- XLSX ------------------------------------------------------------------------------------
def test_xlsx_scorecard_and_observations(built):
    wb = load_workbook(built.paths["xlsx"])
    assert wb.sheetnames[:2] == ["记分卡", "观测值"]
    card, obs = wb["记分卡"], wb["观测值"]
    header = [c.value for c in card[1]]
    assert header[:2] == ["指标", "领域"] and "状态" in header
    assert "指标代码" not in header and "状态代码" not in header  # codes only in the English workbook
    assert card.max_row - 1 == len(built.result["indicators"])
    status_col = header.index("状态") + 1
    actual_col = header.index("实际值") + 1
    by_name = {i["name"]: i for i in built.result["indicators"]}
    for r in range(2, card.max_row + 1):
        ind = by_name[card.cell(r, 1).value]
        assert card.cell(r, status_col).value == ind["status_label"]
        assert card.cell(r, status_col).fill.fgColor.rgb[-6:] == STATUS_FILL[ind["status"]]
        assert card.cell(r, actual_col).value == ind["actual"]  # unrounded
    assert obs.max_row - 1 == len(built.observations)  # every stored value
    assert [c.value for c in obs[1]][:2] == ["观测值编号", "统计序列"]
    assert "导入批次" not in [c.value for c in obs[1]]


def test_english_xlsx_keeps_the_codes_for_programs(built, tmp_path):
    from zhizao import api
    from zhizao.outputs.reports import build_report

    result = api.assess(db=built.db, lang="en", year=built.result["year"])
    paths = build_report(result, built.observations, built.plan, formats=("xlsx",), out_dir=tmp_path, lang="en")
    header = [c.value for c in load_workbook(paths["xlsx"]).worksheets[0][1]]
    assert header[0] == "id" and "status code" in header


def test_saved_json_is_the_assessment(built):
    import json

    saved = json.loads(built.paths["json"].read_text(encoding="utf-8"))
    assert saved["assessment"]["summary"] == built.result["summary"]
    assert saved["year"] == built.result["year"]


def test_changes_section_names_what_it_compares_with(built):
    html = built.paths["html"].read_text(encoding="utf-8")
    assert "与上次评估相比的变化" in html
    if built.previous is not None:
        assert f"评估年份{built.previous['year']}" in html
