"""Issue 10, fourth wave: the English workbook has no Chinese in the cells zhizao writes; only the
columns that quote a source or the plan verbatim (as published / as printed) may hold Chinese."""
from __future__ import annotations

import re

import openpyxl
import pytest

from zhizao import api
from zhizao.outputs.reports import build_report

SECOND = "chongqing-manufacturing-2023-2027"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# Columns quoting the source or the plan as published; the About sheet's document number is the plan's.
VERBATIM = {
    "Scorecard": {"target as printed"},
    "Observations": {"series", "value_text", "unit_original", "quote", "note", "publisher", "source_title",
                     "source_url"},
    "Clusters": {"target as printed"},
}


@pytest.mark.parametrize("plan_id", [None, SECOND])
def test_english_workbook_has_no_chinese_outside_verbatim_columns(plan_id, tmp_path):
    db = tmp_path / "x.duckdb"
    plan = api.load_plan(plan_id) if plan_id else api.load_plan()
    res = api.assess(plan, year=2025, db=db, lang="en")
    path = build_report(res, api.observations(db, plan=plan), plan, formats=("xlsx",), out_dir=tmp_path,
                        lang="en")["xlsx"]
    wb = openpyxl.load_workbook(path)
    bad = []
    for ws in wb.worksheets:
        head = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=1):
            for c in row:
                column = head[c.column - 1] if c.column <= len(head) else None
                text = c.value
                if column == "indicator" and isinstance(text, str):  # the plan's English name may gloss a term: (专精特新)
                    text = re.sub(r"\([^)]*\)", "", text)
                if column in VERBATIM.get(ws.title, ()) or not isinstance(text, str) or not CJK.search(text):
                    continue
                if ws.title == "About" and ws.cell(c.row, 1).value == "Document number":
                    continue
                bad.append((ws.title, column, c.value[:60]))
    assert bad == [], bad[:10]
    card = wb["Scorecard"]
    head = [c.value for c in card[1]]
    texts = [r[head.index("actual with qualifier and unit")] for r in card.iter_rows(min_row=2, values_only=True)]
    if plan_id is None:
        assert "more than 26,000 (100 million yuan)" in texts
