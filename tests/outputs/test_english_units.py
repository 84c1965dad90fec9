"""Issue 10, fourth wave: in English a scaled unit never follows a number bare ("2,705 100 million
yuan" reads as one number), qualifiers are words ("more than 26,000", never 超), and the CLI's English
scorecard, plan draft and the plan lint say it in English on both embedded plans."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import zhizao.api as zz
from zhizao import formatting, labels
from zhizao.outputs.cli import app

SECOND = "chongqing-manufacturing-2023-2027"
# a number, a space, then a unit that starts with a number: the misreading the reviewer found
BARE_SCALED = re.compile(r"\d (?:10,000|100 million|1,000)\b")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
runner = CliRunner()


@pytest.mark.parametrize("v, unit, q, en, zh", [
    (2705, "亿元", None, "2,705 (100 million yuan)", "2,705亿元"),
    (26000, "亿元", "more_than", "more than 26,000 (100 million yuan)", "超26,000亿元"),
    (41.9, "万元/人", None, "41.9 (10,000 yuan per person)", "41.9万元/人"),
    (36, "%", "about", "about 36%", "约36%"),
    (0.899, "件", None, "0.899 items", "0.899件"),
    (2.6, "万亿元", None, "2.6 trillion yuan", "2.6万亿元"),
])
def test_value_reads_as_one_number_with_its_unit(v, unit, q, en, zh):
    assert formatting.value(v, unit, "en", q) == en
    assert formatting.value(v, unit, "zh", q) == zh
    # an English label already translated reads the same
    assert formatting.value(v, labels.unit_label(unit, "en"), "en", q) == en


def test_every_scaled_english_unit_is_bracketed():
    for zh, en in labels.UNIT.values():
        text = formatting.with_unit("12", zh, "en")
        assert not BARE_SCALED.search(text), text


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("en-units") / "bundled.duckdb"
    zz.open_store(path).close()
    return path


def _run(args, width=120):
    r = runner.invoke(app, args, env={"COLUMNS": str(width)})
    assert r.exit_code == 0, r.output
    return r.output


@pytest.mark.parametrize("plan", [None, SECOND])
@pytest.mark.parametrize("width", [80, 120])
def test_assess_in_english_has_no_bare_scaled_unit_nor_chinese_qualifier(db, plan, width):
    out = _run(["assess", "--lang", "en", "--db", str(db)] + (["--plan", plan] if plan else []), width)
    flat = re.sub(r"\s*[│┃]\s*", " ", out)
    flat = re.sub(r"\s+", " ", flat)
    assert not BARE_SCALED.search(flat), BARE_SCALED.search(flat)
    assert not re.search(r"[超近约]\d", out)
    if plan is None:
        assert "more than 26,000 (100 million yuan)" in flat  # the published 超2.6万, in words
        assert "(target 30,000 (100 million yuan))" in flat   # the target grouped as the value beside it


def test_plan_draft_in_english_has_no_chinese_units(db):
    out = _run(["plan", "draft", "--to", "2030", "--lang", "en", "--db", str(db)])
    assert "个百分点" not in out and "% prediction interval" in out and " % prediction" not in out
    assert "0.4 pp a year" in re.sub(r"\s+", " ", out)
