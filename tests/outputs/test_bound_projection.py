"""Issue 10 polish (P-en): a projection that holds a bound (超26,000 → 至少26,000, final.projection_for
basis `bound`) is named as held on the indicator chart, draws no interval, and the workbook shows
至少26,000 / at least 26,000 instead of an interval whose two ends are equal."""
from __future__ import annotations

import openpyxl
import pytest

from zhizao import api
from zhizao.outputs.reports import build_report
from zhizao.outputs.reports.text import ind_name
from zhizao.outputs.web.charts import indicator_chart

IND = "industrial_output_above_scale"  # 2023: 超2.6万亿 (the embedded default plan's data)


@pytest.fixture(scope="module")
def final_result(tmp_path_factory):
    d = tmp_path_factory.mktemp("bound")
    plan = api.load_plan()
    out = {lang: api.assess(plan, year=2025, db=d / "x.duckdb", lang=lang) for lang in ("zh", "en")}
    return plan, d / "x.duckdb", out


def _ind(res):
    return next(i for i in res["indicators"] if i["id"] == IND)


@pytest.mark.parametrize("lang,name", [("zh", "按下限持平：至少26,000"), ("en", "bound held: at least 26,000")])
def test_chart_names_a_held_bound_and_draws_no_interval(final_result, lang, name):
    plan, _, res = final_result
    ind = _ind(res[lang])
    assert ind["final"]["projection"]["basis"] == "bound"
    names = [s["name"] for s in indicator_chart(ind, plan, lang)["series"]]
    assert name in names
    assert not any(n in names for n in ("90%区间", "90% interval", "按现趋势预测", "Projection on current trend"))


@pytest.mark.parametrize("lang,text,head", [("zh", "至少26,000", "目标年外推值"),
                                            ("en", "at least 26,000", "projected to the target year")])
def test_workbook_shows_a_held_bound_not_an_equal_interval(final_result, tmp_path, lang, text, head):
    plan, db, res = final_result
    path = build_report(res[lang], api.observations(db, plan=plan), plan, formats=("xlsx",), out_dir=tmp_path,
                        lang=lang)["xlsx"]
    ws = openpyxl.load_workbook(path).worksheets[0]  # the scorecard
    cols = [c.value for c in ws[1]]
    name = ind_name(_ind(res[lang]), lang)
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == name or r[:2] == (IND, name))  # en leads with the id
    cell = dict(zip(cols, row))
    assert cell[head] == text
    low = [c for c in cols if c in ("外推区间下限", "projection low")][0]
    high = [c for c in cols if c in ("外推区间上限", "projection high")][0]
    assert cell[low] is None and cell[high] is None
