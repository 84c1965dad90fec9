"""plan lint on indicators counted from a register (issue 14): a cumulative project count needs no printed
baseline (0 at the end of its basis year by definition), a yearly one is told to print one; an enterprise
registry count of additions cannot even load without one."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from zhizao.plan.lint import lint_plan
from zhizao.plan.load import PlanError, load_plan
from zhizao.plan.spec import Plan

FICTIONAL = Path(__file__).parents[1] / "assets" / "fictional-plan.yaml"


def _checks(plan, ind_id: str) -> dict[str, tuple[str, str]]:
    return {f.check: (f.message_zh, f.message_en) for f in lint_plan(plan) if f.indicator == ind_id}


def _variant(**update) -> Plan:
    plan = load_plan(FICTIONAL)
    ind = next(i for i in plan.indicators if i.id == "new_projects")
    if "period" in update:
        update["project_count"] = ind.project_count.model_copy(update={"period": update.pop("period")})
    return plan.model_copy(update={"indicators": [ind.model_copy(update=update)]})


def test_cumulative_project_count_without_baseline_is_zero_by_definition():
    checks = _checks(load_plan(FICTIONAL), "new_projects")
    assert "baseline_missing" not in checks
    zh, en = checks["baseline_zero"]
    assert "2022年末按定义为0" in zh and "无需填写基期值" in zh
    assert "0 by definition at the end of 2022" in en and "no baseline needed" in en


def test_yearly_project_count_without_baseline_is_told_to_print_one():
    checks = _checks(_variant(period="yearly"), "new_projects")
    assert "baseline_zero" not in checks
    zh, en = checks["baseline_missing"]
    assert "baseline: {year: 2022, value: …}" in zh and "不判断进度" in zh
    assert "baseline: {year: 2022, value: …}" in en and "no pace is judged" in en
    assert "数据库导入" not in zh  # not the generic hint: a register count cannot be imported


def test_a_printed_baseline_needs_no_hint():
    plan = load_plan(FICTIONAL)
    base = next(i.baseline for i in plan.indicators if i.baseline is not None).model_copy(
        update={"year": 2022, "value": 0.0})
    for period in ("cumulative", "yearly"):
        checks = _checks(_variant(period=period, baseline=base), "new_projects")
        assert not {"baseline_zero", "baseline_missing"} & set(checks)


def test_other_indicators_keep_the_generic_hint():
    plan = _variant(project_count=None)
    zh, _ = _checks(plan, "new_projects")["baseline_missing"]
    assert "若数据库导入了2022年的可比数值" in zh


def test_registry_count_of_additions_without_baseline_is_refused_at_load(tmp_path):
    doc = yaml.safe_load(FICTIONAL.read_text(encoding="utf-8"))
    ind = next(i for i in doc["indicators"] if i["id"] == "new_projects")
    del ind["project_count"]
    ind.update(unit="家", registry_count={"tag": "srdi_sme", "measure": "new"})
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PlanError) as e:
        load_plan(path)
    assert "须给出 baseline" in str(e.value) and "needs a baseline" in str(e.value)
