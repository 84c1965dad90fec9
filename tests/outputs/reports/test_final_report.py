"""The 终期评估 draft (final.py) and the 公文 style (GB/T 9704-2012), on a fake final result (final_fake.py,
the contracts in docs/reports.md) and, for structure only, on the real assessment."""
from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from docx import Document

from final_fake import make_draft, make_final, make_mid
from reporttest_support import need
from zhizao.outputs.reports import build_report
from zhizao.outputs.reports.content import build_content
from zhizao.outputs.reports.model import Bullets, Heading, Para, Table

CHAPTERS_ZH = ["一、总体评价", "二、主要指标完成情况", "三、重点任务和重大工程进展", "四、六大产业集群发展情况",
               "五、区县落实情况", "六、存在的主要问题", "七、下一步建议与“十五五”目标设定参考", "附件：指标口径与数据来源"]
# English codes a Chinese reader must never see; URLs and units are not codes.
CODE = re.compile(r"(?<![A-Za-z])[a-z_]{4,}(?![A-Za-z])")
URL = re.compile(r"https?://\S+|www\.\S+|\S+\.(?:html?|pdf|xlsx?|shtml|cn|com)\S*")
UNITS = {"kgce", "tce"}
# Publishers' own titles may be English ("NBS … CSV export"): a source's title is quoted, not a code.
SOURCE_TITLE = re.compile(r"NBS data\.stats\.gov\.cn[^；<]*|[A-Z][A-Za-z .,'()-]{12,}")


def codes(text: str) -> set[str]:
    return {m for m in CODE.findall(SOURCE_TITLE.sub(" ", URL.sub(" ", text))) if m not in UNITS}


@pytest.fixture(scope="module")
def final(assessed, fonts, tmp_path_factory):
    """The Chinese final report of the fake final result, in every format (default style: 公文)."""
    need("soffice", "libreoffice-writer-nogui")
    result = make_final(assessed.result)
    out = tmp_path_factory.mktemp("final-report")
    paths = build_report(result, assessed.observations, assessed.plan, out_dir=out, draft=make_draft(result))
    report = build_content(result, assessed.observations, assessed.plan, "zh", draft=make_draft(result))
    return SimpleNamespace(**{**vars(assessed), "result": result, "paths": paths, "report": report})


def _chapters(report) -> dict[str, list]:
    out: dict[str, list] = {}
    key = None
    for b in report.blocks:
        if isinstance(b, Heading) and b.level == 1:
            key = b.text
            out[key] = []
        elif key:
            out[key].append(b)
    return out


def test_final_layout_has_every_chapter_non_empty(final):
    chapters = _chapters(final.report)
    assert list(chapters) == CHAPTERS_ZH
    for title, blocks in chapters.items():
        assert any(isinstance(b, (Para, Table, Bullets)) and (getattr(b, "text", "") or getattr(b, "rows", None)
                                                                 or getattr(b, "items", None)) for b in blocks), title
    assert final.report.style == "gongwen" and final.report.final


def test_docx_chapters_and_main_table(final):
    doc = Document(final.paths["docx"])
    paras = doc.paragraphs
    heads = [k for k, p in enumerate(paras) if p.style.name == "Heading 1"]
    assert [paras[k].text for k in heads] == CHAPTERS_ZH
    body = doc.element.body
    # every chapter has text or a table before the next chapter
    ends = heads[1:] + [len(paras)]
    for k, end in zip(heads, ends):
        text = "".join(p.text for p in paras[k + 1:end]).strip()
        start, stop = paras[k]._p, paras[end]._p if end < len(paras) else None
        tables_between = False
        for el in start.itersiblings():
            if stop is not None and el is stop:
                break
            tables_between |= el.tag.endswith("}tbl")
        assert text or tables_between, paras[k].text
    main = next(t for t in doc.tables if t.rows[0].cells[0].text == "序号" and len(t.columns) == 9)
    assert [c.text for c in main.rows[0].cells] == ["序号", "指标", "单位", "属性", "基期值", "目标值", "实际值（年份）",
                                                    "完成情况", "数据来源"]
    results = [r.cells[7].text for r in main.rows[1:]]
    assert len(results) == len(final.result["indicators"])
    assert "已完成" in results and "无可比数据" in results
    # a projected result names the year of its data
    assert any(re.fullmatch(r"预计(基本)?完成（据20\d\d年数据）|预计难以完成（据20\d\d年数据）", r) for r in results)
    assert body is not None


def test_binding_first_in_overall(final):
    blocks = _chapters(final.report)["一、总体评价"]
    first = next(b for b in blocks if isinstance(b, Para))
    assert "约束性指标" in first.text


def test_html_chapters(final):
    html = final.paths["html"].read_text(encoding="utf-8")
    for title in CHAPTERS_ZH:
        m = re.search(r'<section id="sec-[^"]+">\s*<h1[^>]*>' + re.escape(title) + r"</h1>(.*?)</section>", html, re.S)
        assert m, title
        assert re.sub(r"<[^>]+>|\s", "", m.group(1)), title


def _pdf_pages(pdf: Path) -> list[str]:
    need("pdftotext", "poppler-utils")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def test_pdf_chapters_no_empty_page_no_broken_numbers(final):
    pages = _pdf_pages(final.paths["pdf"])
    text = "".join(pages)
    flat = re.sub(r"\s", "", text)
    for title in CHAPTERS_ZH:
        assert re.sub(r"\s", "", title) in flat, title
    for k, page in enumerate(pages, 1):
        # a page holding only its page number (— 3 —) or nothing is an empty page
        assert re.sub(r"[—\s\d]", "", page), f"page {k} is empty"
    # every number of three or more digits in the prose is printed whole (not 20|23年 across lines)
    numbers = {m for b in final.report.blocks if isinstance(b, Para) for m in re.findall(r"\d{3,}(?:\.\d+)?", b.text)}
    assert numbers
    broken = [n for n in numbers if n not in text]
    assert not broken, broken


def test_pdf_uses_the_free_substitutes(final):
    need("pdffonts", "poppler-utils")
    fonts = subprocess.run(["pdffonts", str(final.paths["pdf"])], capture_output=True, text=True, check=True).stdout
    assert "NotoSerifCJK" in fonts and "NotoSansCJK" in fonts  # 仿宋/小标宋/楷体 → Noto Serif, 黑体 → Noto Sans
    assert "Bold" in fonts  # 小标宋 and 楷体 headings in the bold face


def test_gongwen_fonts_margins_grid_in_docx_xml(final):
    with zipfile.ZipFile(final.paths["docx"]) as z:
        styles = z.read("word/styles.xml").decode("utf-8")
        document = z.read("word/document.xml").decode("utf-8")
        font_table = z.read("word/fontTable.xml").decode("utf-8")

    def style_xml(name: str) -> str:
        m = re.search(r'<w:style [^>]*>(?:(?!</w:style>).)*?<w:name w:val="' + re.escape(name) + r'"/>.*?</w:style>',
                      styles, re.S)
        assert m, name
        return m.group(0)

    for name, face in (("Normal", "仿宋_GB2312"), ("heading 1", "黑体"), ("heading 2", "楷体_GB2312"),
                       ("Title", "方正小标宋简体")):
        xml = style_xml(name)
        assert f'w:eastAsia="{face}"' in xml, (name, face)
        assert f'w:ascii="{face}"' in xml
    assert '<w:sz w:val="32"/>' in style_xml("Normal")  # 三号 = 16 pt
    assert '<w:sz w:val="44"/>' in style_xml("Title")  # 二号 = 22 pt
    for face in ("仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体"):
        assert f'w:name="{face}"' in font_table
    # GB/T 9704-2012 margins (twips: 37 mm top, 35 bottom, 28 left, 26 right) and the 22-line grid
    sect = re.findall(r"<w:pgMar [^>]*/>", document)
    assert sect
    for pg in sect:
        vals = {k: int(v) for k, v in re.findall(r'w:(top|bottom|left|right)="(\d+)"', pg)}
        for side, mm in (("top", 37), ("bottom", 35), ("left", 28), ("right", 26)):
            assert abs(vals[side] - mm / 25.4 * 1440) <= 2, (side, vals)
    grids = re.findall(r"<w:docGrid [^>]*/>", document)
    assert grids and all('w:type="linesAndChars"' in g and 'w:linePitch="579"' in g for g in grids)
    # 22 lines of 579 twips fill the 225 mm type area; 28 characters of the charSpace pitch fill 156 mm
    char_space = int(re.search(r'w:charSpace="(-?\d+)"', grids[0]).group(1))
    assert abs(28 * (16 + char_space / 4096) - 156 / 25.4 * 72) < 0.5
    assert abs(22 * 579 / 20 - 225 / 25.4 * 72) < 1


def test_chinese_report_has_no_english_codes(final):
    doc = Document(final.paths["docx"])
    texts = [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    found = set().union(*(codes(x) for x in texts))
    assert not found, sorted(found)
    html = re.sub(r"<style>.*?</style>|<[^>]+>", " ", final.paths["html"].read_text(encoding="utf-8"), flags=re.S)
    assert not codes(html), sorted(codes(html))


# Columns that carry sources' own words as published (an English wire story, "billion yuan") or the
# import's bilingual note: quoted data, not codes.
VERBATIM = {"原文摘录", "来源标题", "发布者", "原始单位", "备注", "公布文本", "来源地址"}


def test_chinese_xlsx_has_no_english_codes(final):
    from openpyxl import load_workbook

    wb = load_workbook(final.paths["xlsx"], read_only=True)
    found: dict[str, set] = {}
    for ws in wb.worksheets:
        header = None
        for row in ws.iter_rows(values_only=True):
            if header is None:
                header = row
            for h, v in zip(header, row):
                if isinstance(v, str) and h not in VERBATIM and codes(v):
                    found.setdefault(f"{ws.title}/{h}", set()).update(codes(v))
    assert not found, {k: sorted(v)[:10] for k, v in found.items()}


def test_mid_term_layout_stays(assessed):
    report = build_content(make_mid(assessed.result), assessed.observations, assessed.plan, "zh")
    heads = [b.text for b in report.blocks if isinstance(b, Heading) and b.level == 1]
    assert heads[0] == "一、评估概要" and "一、总体评价" not in heads
    assert report.style == "standard" and not report.final


def test_missing_contract_fields_degrade(assessed):
    """A final result without ind["final"] and no reference values: 无法判断 and saying why, never a guessed status."""
    result = make_final(assessed.result)
    for ind in result["indicators"]:
        ind.pop("final")
    result["summary"].pop("final_counts")
    report = build_content(result, assessed.observations, assessed.plan, "zh")
    main = next(b for b in report.blocks if isinstance(b, Table) and b.key == "final-indicators")
    assert {r[7].text for r in main.rows} == {"无法判断"}
    assert any(isinstance(b, Para) and b.style == "alert" and "重新评估" in b.text for b in report.blocks)
    nxt = _chapters(report)["七、下一步建议与“十五五”目标设定参考"]
    assert any(isinstance(b, Para) and "暂无“十五五”目标设定参考值" in b.text for b in nxt)


def test_english_final_report(assessed):
    result = make_final(assessed.result)
    report = build_content(result, assessed.observations, assessed.plan, "en", draft=make_draft(result))
    heads = [b.text for b in report.blocks if isinstance(b, Heading) and b.level == 1]
    assert heads[0] == "1. Overall assessment" and heads[-1].startswith("Annex")
    assert report.style == "standard"  # 公文 is for the Chinese document


def test_real_assessment_at_target_year_structure(assessed):
    """End to end on the real assessment evaluated at the target year: the final layout, whatever fields it has."""
    from zhizao import api

    result = api.assess(year=assessed.result["plan"]["target_year"], db=assessed.db)
    report = build_content(result, assessed.observations, assessed.plan, "zh")
    heads = [b.text for b in report.blocks if isinstance(b, Heading) and b.level == 1]
    assert heads == CHAPTERS_ZH
    main = next(b for b in report.blocks if isinstance(b, Table) and b.key == "final-indicators")
    assert len(main.rows) == len(result["indicators"])
