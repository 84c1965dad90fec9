"""One rule for 完成度 in every output (formatting.completion), and the report workbook's words from
the one label source (issue 10): codes as labels.py words in the Chinese workbook, English units in
the English observations sheet."""
from __future__ import annotations

import io
import math

import openpyxl
import pytest
from rich.console import Console

from zhizao import api, formatting, labels
from zhizao.outputs import cli
from zhizao.outputs.reports import build_report, to_xlsx
from zhizao.outputs.reports.text import completion as report_completion

SECOND = "chongqing-manufacturing-2023-2027"


@pytest.mark.parametrize("v,zh,en", [
    (0.452, "45.2%", "45.2%"), (1.042, "104.2%", "104.2%"), (1.6552, "165.5%", "165.5%"), (3.0, "300.0%", "300.0%"), (0.49, "49.0%", "49.0%"),
    (3.0001, "超过300%", ">300%"), (7.1559, "超过300%", ">300%"), (-0.0864, "-8.6%", "-8.6%"),
    (None, "—", "—"), (math.nan, "—", "—"), (math.inf, "—", "—"),
])
def test_completion_is_exact_up_to_the_cap(v, zh, en):
    assert formatting.completion(v, "zh") == zh and formatting.completion(v, "en") == en
    assert report_completion(v, "zh") == zh and report_completion(v, "en") == en  # the reports' words


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return tmp_path_factory.mktemp("completion") / "x.duckdb"


@pytest.fixture(scope="module")
def result(store):
    return api.assess(db=store, year=2024)


def _by_id(result):
    return {i["id"]: i for i in result["indicators"]}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cli_scorecard_shows_over_completion_up_to_the_cap(store, monkeypatch, lang):
    res = api.assess(db=store, year=2024, lang=lang)  # mid-term: the final year prints 完成率 instead
    over = [i for i in res["indicators"] if i["completion"] is not None and 1 < i["completion"] <= 3]
    far = [i for i in res["indicators"] if i["completion"] is not None and i["completion"] > 3]
    assert over and far  # the bundled data have both (labour productivity 165.5%, profit margin 716%)
    for width in (80, 120, 200):
        out = io.StringIO()
        monkeypatch.setattr(cli, "console", Console(file=out, width=width, force_terminal=False, color_system=None))
        cli._print_scorecard(res, api.scorecard(res), lang)
        text = out.getvalue()
        for i in over:
            assert formatting.completion(i["completion"], lang) in text, (width, i["id"])
        assert ("超过300%" if lang == "zh" else ">300%") in text and "716%" not in text
        assert lang == "en" or ">300%" not in text


def test_report_xlsx_keeps_the_exact_completion(store, result, tmp_path):
    plan = api.load_plan()
    paths = build_report(result, api.observations(store, plan=plan), plan, formats=("xlsx",), out_dir=tmp_path,
                         lang="zh")
    ws = openpyxl.load_workbook(paths["xlsx"])["记分卡"]
    head = [c.value for c in ws[1]]
    col = head.index("进度完成度")
    names = {i["name"]: i for i in result["indicators"]}
    seen = 0
    for row in ws.iter_rows(min_row=2):
        ind = names[row[head.index("指标")].value]
        if ind["completion"] is not None:
            assert row[col].value == pytest.approx(ind["completion"]) and row[col].number_format == "0.0%"
            seen += 1
    assert seen


# --- the workbook's words --------------------------------------------------------------------------
def test_no_code_word_table_is_left_in_to_xlsx():
    assert not hasattr(to_xlsx, "ZH_WORDS")
    for table in {**to_xlsx.WORD_TABLES, **to_xlsx.OBS_WORD_TABLES}.values():
        assert table in labels.TABLES


@pytest.fixture(scope="module")
def workbooks(store, tmp_path_factory):
    out = {}
    for plan_id in (None, SECOND):
        plan = api.load_plan(plan_id) if plan_id else api.load_plan()
        for lang in ("zh", "en"):
            res = api.assess(plan, year=2025, db=store, lang=lang)
            paths = build_report(res, api.observations(store, plan=plan), plan, formats=("xlsx",),
                                 out_dir=tmp_path_factory.mktemp(f"wb-{lang}"), lang=lang)
            out[(plan.plan.id, lang)] = (openpyxl.load_workbook(paths["xlsx"]), plan)
    return out


def _column(ws, header):
    head = [c.value for c in ws[1]]
    k = head.index(header)
    return [r[k] for r in ws.iter_rows(min_row=2, values_only=True)]


@pytest.mark.parametrize("plan_id", [api.load_plan().plan.id, SECOND])
def test_chinese_workbook_shows_codes_as_labels_words(workbooks, plan_id):
    wb, plan = workbooks[(plan_id, "zh")]
    ws = wb["记分卡"]
    kinds = {i.kind.value for i in plan.indicators}
    assert set(_column(ws, "指标类型")) == {labels.label("indicator_kind", k, "zh") for k in kinds}
    assert set(_column(ws, "方向")) <= {w for w, _ in labels.DIRECTION.values()}
    assert set(_column(ws, "价格口径")) <= {w for w, _ in labels.PRICE_BASIS.values()}
    assert set(_column(ws, "目标比较符")) - {None} <= {w for w, _ in labels.COMPARATOR.values()}
    quals = set(_column(ws, "限定词")) - {None}
    assert quals <= {w for w, _ in labels.QUALIFIER.values()}
    obs = wb["观测值"]
    assert set(_column(obs, "期别类型")) <= {w for w, _ in labels.PERIOD_TYPE.values()}
    assert set(_column(obs, "数据性质")) - {None} <= {w for w, _ in labels.OBS_STATUS.values()}
    assert "亿元" in _column(obs, "单位")  # the Chinese workbook keeps the unit as printed


@pytest.mark.parametrize("plan_id", [api.load_plan().plan.id, SECOND])
def test_english_observations_sheet_has_english_units(workbooks, plan_id):
    wb, _ = workbooks[(plan_id, "en")]
    units = set(_column(wb["Observations"], "unit")) - {None}
    assert "100 million yuan" in units and "亿元" not in units
    assert {u for u in units if u == labels.unit_label(u, "en") and any("\u4e00" <= ch <= "\u9fff" for ch in u)} \
        <= {u for u in units if u not in labels.UNIT}  # only units labels.py does not know stay Chinese
    original = set(_column(wb["Observations"], "unit_original")) - {None}
    assert not original or any("\u4e00" <= ch <= "\u9fff" for u in original for ch in u)  # as printed
