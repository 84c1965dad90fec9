"""The report's wording (issue 10, findings 11 and 14): a per-year change of a level reads
"年均增加4.8万元/人" (not "年均4.8万元/人/年"); targets are grouped like every number (30,000) and carry
their unit in prose (目标≥4万亿元) unless their text already carries words; the sources appendix
counts values as 数值条数; §七 (next-plan reference values) prints numbers as the table does, no
"。、", no code words; sources carry no collection notes."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from zhizao import api, formatting
from zhizao.outputs.reports.content import build_content
from zhizao.outputs.reports.model import Bullets, Heading, Para, Table

DEFAULT = "chongqing-manufacturing-2021-2025"
SECOND = "chongqing-manufacturing-2023-2027"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("wording") / "x.duckdb"


def _content(store, plan_id, year, lang="zh", with_draft=False):
    plan = api.load_plan(plan_id)
    result = api.assess(plan, year=year, db=store, lang=lang)
    draft = api.draft_plan(plan, to_year=2030, db=store, lang=lang, base_year=year)[1] if with_draft else None
    return build_content(result, api.observations(store, plan=plan), plan, lang, draft=draft)


def _text(report) -> str:
    parts = []
    for b in report.blocks:
        if isinstance(b, (Para, Heading)):
            parts.append(b.text)
        elif isinstance(b, Bullets):
            parts += b.items
        elif isinstance(b, Table):
            parts.append(" | ".join(b.header))
            parts += [" | ".join(c.text for c in row) for row in b.rows]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def mid(store):
    return _content(store, DEFAULT, 2024)


@pytest.fixture(scope="module")
def final(store):
    return _content(store, DEFAULT, 2025, with_draft=True)


def test_growth_of_a_level_reads_as_an_increase(mid):
    text = _text(mid)
    assert not re.search(r"年均[^，。；]*?/年", text)  # 年均…/年 says "per year" twice
    assert "年均增加4.8万元/人" in text  # labour productivity, 2021 over 2020
    assert "规划所需年均增加0.58万元/人" in text
    assert re.search(r"年均增加0\.\d+个百分点", text)  # a share moves in percentage points


def test_targets_are_grouped_and_carry_their_unit(mid, store):
    text = _text(mid)
    assert "（目标30,000亿元）" in text and "目标30000" not in text
    assert "目标40万元/人" in text
    card = next(b for b in mid.blocks if isinstance(b, Table) and b.key == "scorecard")
    assert "30,000" in [c.text for row in card.rows for c in row]
    # the 2023–2027 plan's targets in prose: ≥4 万亿元, not a bare ≥4
    text27 = _text(_content(store, SECOND, 2025))
    assert "目标≥4万亿元" in text27
    # a target text with words is not followed by a second unit
    assert not re.search(r"左右\s*%", text + text27)


def test_sources_appendix_counts_values(mid):
    grades = next(b for b in mid.blocks if isinstance(b, Table) and b.key == "grades")
    assert grades.header[1] == "数值条数"
    counts = next(b for b in mid.blocks if isinstance(b, Table) and b.key == "counts")
    assert counts.header[1] == "指标数"  # the status table does count indicators


def test_sources_carry_no_collection_notes(mid):
    text = _text(mid)
    for note in ("上一轮检索", "本轮", "read_file", "research compilation", "规上工业企业_"):
        assert note not in text


def test_next_plan_chapter_numbers_and_words(final):
    draft = next(b for b in final.blocks if isinstance(b, Table) and b.key == "final-draft")
    text = "\n".join(" | ".join(c.text for c in row) for row in draft.rows)
    assert "。、" not in text and "concept" not in text
    assert "按统计口径匹配" in text
    for number in re.findall(r"基期([\d.]+)", text):  # as the table prints: 4 significant digits (28.7643 → 28.76)
        digits = number.replace(".", "").lstrip("0")
        assert len(digits) <= max(4, len(number.split(".")[0])), number
    assert not re.search(r"\d\.\d{5,}|\d{4,}\.\d", text)  # no 499.904, 1072.26
    assert "1,072" in text or "基期28.76" in text


def test_grouped():
    assert formatting.grouped("30000") == "30,000"
    assert formatting.grouped("≥2008.2") == "≥2,008.2"
    assert formatting.grouped("30 左右") == "30 左右"
    assert formatting.grouped("2025年超26000") == "2025年超26,000"
    assert formatting.grouped("1.45") == "1.45" and formatting.grouped("0.12345") == "0.12345"


@pytest.mark.parametrize("plan_id", [DEFAULT, SECOND])
def test_every_indicator_has_its_unit(plan_id):
    """Every indicator of both embedded plans carries a unit (the reports word targets with it), the
    2023–2027 one as its source rows print it; an indicator the plan prints without a unit says so in
    a YAML comment ("原文未列单位") beside its id."""
    import csv
    from importlib import resources

    plan = api.load_plan(plan_id)
    yaml_text = resources.files("zhizao.resources").joinpath("plans", f"{plan_id}.yaml").read_text(encoding="utf-8")
    for ind in plan.indicators:
        if not (ind.unit or "").strip():
            assert re.search(rf"id: {re.escape(ind.id)}\b.*#.*原文未列单位", yaml_text), ind.id
    if plan_id == SECOND:
        assets = Path(__file__).parents[2] / "assets" / "chongqing-2023-2027-targets.csv"
        with open(assets, encoding="utf-8", newline="") as f:
            printed = {r["indicator"]: r["unit"] for r in csv.DictReader(f)}
        for ind in plan.indicators:
            assert ind.name in printed and ind.unit == printed[ind.name], (ind.id, ind.unit, printed.get(ind.name))
