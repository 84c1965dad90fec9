"""The bundled data's source fields say who published what, not how the data were collected
(issue 10, finding 12): no working notes ("上一轮检索所得", "本轮未能读取", "read_file id …",
"research compilation") in title, publisher, note or quote; no English remark inside a Chinese
title or publisher; series names read as names (no "规上工业企业_R&D经费内部支出")."""
import re

import pandas as pd
import pytest

import zhizao.api as zz
from zhizao.ingest.names import source_defaults
from zhizao.plan.load import load_plan
from zhizao.store.importing import BUNDLED_FILES, bundled_rows, bundled_tables
from zhizao.store.store import Store

WORKING_NOTE = re.compile(r"read_file|本轮|检索|上一轮|\bid\s*\d{6,}|research compilation|LOW trust|cross-check"
                          r"|decrypted|CNKI|repo author", re.I)
CJK = re.compile(r"[\u4e00-\u9fff]")
# Latin words a Chinese title or publisher may carry: abbreviations and proper names.
LATIN_OK = {"GDP", "R", "D", "TV", "C39", "iChongqing", "CGTN"}
FIELDS = ("source_title", "publisher", "note", "quote")
PLANS = ("chongqing-manufacturing-2021-2025", "chongqing-manufacturing-2023-2027")


def _cells():
    for name, df in bundled_tables():
        for col in FIELDS:
            if col in df.columns:
                for i, v in df[col].items():
                    if isinstance(v, str) and v.strip():
                        yield name, i + 2, col, v


def test_no_working_notes_in_the_bundled_files():
    found = [(f, row, col, v[:60]) for f, row, col, v in _cells() if WORKING_NOTE.search(v)]
    assert found == []


def test_chinese_titles_and_publishers_carry_no_english_remarks():
    found = []
    for f, row, col, v in _cells():
        if col in ("source_title", "publisher", "note") and CJK.search(v):
            words = set(re.findall(r"[A-Za-z]{2,}", v.replace("R&D", ""))) - LATIN_OK
            if words:
                found.append((f, row, col, sorted(words)))
    assert found == []


@pytest.mark.parametrize("plan_id", PLANS)
def test_loaded_rows_are_clean(plan_id):
    """As the import reads them (titles implied by an address or a quote included)."""
    rows = bundled_rows(load_plan(plan_id))
    for col in ("source_title", "publisher", "note", "quote"):
        texts = rows[col].dropna().astype(str)
        assert not texts.str.contains(WORKING_NOTE).any(), texts[texts.str.contains(WORKING_NOTE)].unique()[:3]
    assert not rows["series"].str.contains("_").any(), rows.loc[rows["series"].str.contains("_"), "series"].unique()


def test_series_names_read_as_names():
    for name, df in bundled_tables():
        col = "indicator" if "indicator" in df.columns else "series"
        assert not df[col].astype(str).str.contains("_").any(), name
    rows = bundled_rows(load_plan(PLANS[0]))
    assert "规上工业企业R&D经费内部支出" in set(rows["series"])


def test_one_address_keeps_its_publisher(tmp_path):
    """Two files cite the same page; the store keeps the copy that names the publisher."""
    path = tmp_path / "cq.duckdb"
    zz.open_store(path).close()
    with Store(path) as s:
        src = s.sources()
    row = src[src["url"] == "http://www.cqworld.cn/news_show.aspx?id=24230"]
    assert len(row) and row["publisher"].notna().all()
    assert set(row["publisher"]) == {"重庆与世界（重庆日报报业集团）"}


def test_a_collectors_remark_is_no_title():
    url = "https://github.com/someone/panel/blob/abc/raw_data.csv"
    assert source_defaults(url, "research compilation; column x; LOW trust") == (None, None)
    title, publisher = source_defaults(url, "中国科技统计年鉴2021 表2-14 (2020年)")
    assert title == "中国科技统计年鉴2021 表2-14 (2020年)" and "年鉴" in publisher


def test_every_bundled_file_is_scanned():
    assert {name for name, _ in bundled_tables()} == set(BUNDLED_FILES)
    assert any(isinstance(df, pd.DataFrame) and "note" in df.columns for _, df in bundled_tables())
