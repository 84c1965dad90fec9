"""Every report reads right for its reader (issue 10): no code words or raw floats in the Chinese
reports, English units and targets in the English ones, numbers through zhizao.formatting.

Builds the DOCX, HTML and XLSX (not the PDF: it is the DOCX converted) of the mid-term and the final
report for both embedded plans from one store with the bundled data.
"""
from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import docx
import openpyxl
import pytest

from zhizao import api, labels
from zhizao.outputs.reports import build_report
from zhizao.outputs.reports.content import build_content
from zhizao.outputs.reports.model import Table

DEFAULT = "chongqing-manufacturing-2021-2025"
SECOND = "chongqing-manufacturing-2023-2027"
# (plan, year): mid-term and final of each embedded plan.
CASES = [(DEFAULT, 2024), (DEFAULT, 2025), (SECOND, 2025), (SECOND, 2027)]
CODE = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, sorted(labels.code_words(), key=len, reverse=True)))
                  + r")(?![A-Za-z0-9_])")
RAW_FLOAT = re.compile(r"\d+\.\d{5,}|\b\d(?:\.\d+)?[eE][+-]\d+\b")
URL = re.compile(r"https?://\S+")
CJK = re.compile(r"[\u3400-\u9fff]")
# XLSX columns holding a source's words verbatim (a quote, the value as printed): the data's, not ours.
VERBATIM = {"公布文本", "原文摘录", "value_text", "quote"}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return tmp_path_factory.mktemp("code-words") / "x.duckdb"


def _build(store: Path, out: Path, plan_id: str, year: int, lang: str) -> dict:
    plan = api.load_plan(plan_id)
    result = api.assess(plan, year=year, db=store, lang=lang)
    return build_report(result, api.observations(store, plan=plan), plan, formats=("docx", "html", "xlsx"),
                        out_dir=out, lang=lang)


@pytest.fixture(scope="module")
def zh_reports(store, tmp_path_factory):
    return {case: _build(store, tmp_path_factory.mktemp("zh"), *case, "zh") for case in CASES}


def docx_text(path) -> str:
    d = docx.Document(path)
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def html_text(path) -> str:
    s = Path(path).read_text(encoding="utf-8")
    s = re.sub(r"<style.*?</style>", " ", s, flags=re.S)
    s = re.sub(r"<[^>]+>", " ", s)  # tags, with their attributes (image data, link addresses)
    return html_lib.unescape(s)


def xlsx_cells(path):
    """(sheet, header, cell) of every cell below the header row."""
    wb = openpyxl.load_workbook(path)
    for ws in wb:
        rows = list(ws.iter_rows())
        header = [c.value for c in rows[0]] if rows else []
        for row in rows[1:]:
            for k, cell in enumerate(row):
                yield ws.title, (header[k] if k < len(header) else None), cell


def xlsx_text(path) -> str:
    return "\n".join(c.value for _, head, c in xlsx_cells(path) if isinstance(c.value, str) and head not in VERBATIM)


def _hits(pattern, text: str) -> list[str]:
    """Matches outside source addresses (an address may hold anything)."""
    return sorted({m.group(0) for m in pattern.finditer(URL.sub(" ", text))})


@pytest.mark.parametrize("case", CASES, ids=[f"{p[-9:]}-{y}" for p, y in CASES])
def test_chinese_reports_print_no_code_words_and_no_raw_floats(zh_reports, case):
    paths = zh_reports[case]
    for fmt, text in (("docx", docx_text(paths["docx"])), ("html", html_text(paths["html"])),
                      ("xlsx", xlsx_text(paths["xlsx"]))):
        assert len(text) > 1000, fmt
        assert not _hits(CODE, text), f"{case} {fmt}: code words {_hits(CODE, text)}"
        assert not _hits(RAW_FLOAT, text), f"{case} {fmt}: raw numbers {_hits(RAW_FLOAT, text)[:10]}"


@pytest.mark.parametrize("case", CASES[:2], ids=["mid-term", "final"])
def test_xlsx_numbers_have_a_display_format(zh_reports, case):
    # The cells keep the unrounded value; Excel's General format would show 28.7642761315 (a short
    # value such as a setting's 0.95 reads well in General).
    general = [(sheet, head, c.value) for sheet, head, c in xlsx_cells(zh_reports[case]["xlsx"])
               if isinstance(c.value, float) and RAW_FLOAT.search(repr(c.value)) and c.number_format == "General"]
    assert not general, general[:5]


@pytest.fixture(scope="module")
def en_content(store):
    out = {}
    for plan_id, year in (CASES[0], CASES[1], CASES[3]):
        plan = api.load_plan(plan_id)
        result = api.assess(plan, year=year, db=store, lang="en")
        out[(plan_id, year)] = build_content(result, api.observations(store, plan=plan), plan, "en")
    return out


def _table(report, key: str) -> Table:
    return next(b for b in report.blocks if isinstance(b, Table) and b.key == key)


def _column(table: Table, *names: str) -> list[str]:
    k = next(i for i, h in enumerate(table.header) if h in names)
    return [row[k].text for row in table.rows]


@pytest.mark.parametrize("case, key", [(CASES[0], "scorecard"), (CASES[1], "final-indicators"),
                                       (CASES[3], "final-indicators")])
def test_english_report_units_targets_and_statuses_are_english(en_content, case, key):
    table = _table(en_content[case], key)
    for name in (("Unit",), ("Target",), ("Nature",), ("Status", "Result")):
        cells = _column(table, *name)
        assert not [c for c in cells if CJK.search(c)], (name, cells)
    units = _column(table, "Unit")
    assert "100 million yuan" in units and "亿元" not in units


def test_english_prose_and_clusters(en_content):
    report = en_content[CASES[0]]
    clusters = _table(report, "clusters")
    assert not [c for c in _column(clusters, "Unit", "Comparability") if CJK.search(c)]
    text = " ".join(getattr(b, "text", "") for b in report.blocks)
    assert "30 左右" not in text and "about 30" in text
    assert not _hits(RAW_FLOAT, text)


def test_sources_appendix_names_publisher_grade_in_words_and_address_last(zh_reports):
    text = docx_text(zh_reports[CASES[0]]["docx"])
    assert "较弱的来源" in text and "D级来源" in text  # the weakest sources named as such
    rows = [line for line in text.splitlines() if " · " in line and "http" in line]
    assert rows, "no source cell in the appendix"
    for line in rows:
        source = line.split(" | ")[-1]
        # publisher/title, then the grade in words, then the address
        parts = source.split(" · ")
        assert parts[-1].startswith("http"), source
        assert any(parts[-2].startswith(labels.GRADE[g][0]) for g in "ABCD"), source
