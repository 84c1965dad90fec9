"""§七's table of reference values (issue 10, fourth wave): a namesake of another definition is never
shown as the target in force; the latest value keeps its qualifier (超26,000); a bound reads 至少; the
text states the same rule for two values as the final evaluation."""
from __future__ import annotations

import pandas as pd
import pytest

from zhizao.outputs.reports.final import _next
from zhizao.outputs.reports.model import Para, Table

RESULT = {"plan": {"target_year": 2025}, "indicators": [
    {"id": "out", "name": "规模以上工业产值", "name_en": "Gross output", "unit": "亿元"},
    {"id": "sei", "name": "战略性新兴产业占比", "name_en": "SEI share", "unit": "%"},
    {"id": "lp", "name": "全员劳动生产率", "name_en": "Labour productivity", "unit": "万元/人"},
]}
FINALS = {i["id"]: {"status": "undetermined"} for i in RESULT["indicators"]}
DRAFT = pd.DataFrame([
    {"indicator": "out", "name": "规模以上工业产值", "unit": "亿元", "latest_year": 2023, "latest_value": 26000.0,
     "latest_qualifier": "more_than", "reference_value": 26000.0, "reference_bound": "at_least", "low": None,
     "high": None, "in_force_plan": "现行规划", "in_force_target": None, "in_force_year": None,
     "in_force_match": None, "note": None},
    {"indicator": "sei", "name": "战略性新兴产业占比", "unit": "%", "latest_year": 2020, "latest_value": 32.0,
     "latest_qualifier": None, "reference_value": None, "reference_bound": None, "low": None, "high": None,
     "in_force_plan": "现行规划", "in_force_target": None, "in_force_year": None,
     "in_force_match": "different_definition", "note": "按名称匹配：…（产值口径与增加值口径，口径不同，仅供参考）"},
    {"indicator": "lp", "name": "全员劳动生产率", "unit": "万元/人", "latest_year": 2021, "latest_value": 41.9,
     "latest_qualifier": None, "reference_value": 41.9, "reference_bound": None, "low": 25.0, "high": 70.0,
     "in_force_plan": "现行规划", "in_force_target": 50.0, "in_force_year": 2027, "in_force_match": "concept",
     "note": None},
])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_table_keeps_qualifiers_and_never_pairs_another_definition(lang):
    blocks = _next(RESULT, FINALS, DRAFT, lang, 7)
    table = next(b for b in blocks if isinstance(b, Table))
    rows = {r[0].text: [c.text for c in r] for r in table.rows}
    out, sei, lp = rows["规模以上工业产值"], rows["战略性新兴产业占比"], rows["全员劳动生产率"]
    if lang == "zh":
        assert out[2].startswith("超26,000") and out[3] == "至少26,000"
        assert sei[5] == "口径不同，仅供参考" and "36" not in sei[5]
        assert lp[5].startswith("50") and "2027" in lp[5]
        text = " ".join(b.text for b in blocks if isinstance(b, Para))
        assert "按最新值持平" in text and "与终期评估的推算相同" in text and "不作趋势外推" not in text
    else:
        assert out[2].startswith("more than 26,000") and out[3] == "at least 26,000"
        assert sei[5] == "a different definition: for orientation only"
        text = " ".join(b.text for b in blocks if isinstance(b, Para))
        assert "latest value is held, as in the final evaluation" in text
