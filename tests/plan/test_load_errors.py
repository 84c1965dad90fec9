"""Bad plan files: every problem at once, naming the file, the path inside it, the line and the reason."""
import pytest

from zhizao.plan.load import PlanError, load_plan
from zhizao.plan.lint import lint_plan


def test_problems_name_file_path_and_line(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("""plan: {id: p, title: t, issuer: i, base_year: 2020, target_year: 2025}
categories: [{id: c, name: c}]
indicators:
  - id: a
    name: A
    category: c
    unit: "%"
    nature: mandatory
    kind: share
    baseline: {year: 2020, value: 1}
    target: {year: 2025, value: 2, comparator: "=>"}
    section: s
  - id: b
    name: B
    category: c
    unit: 个
    nature: expected
    kind: count
    target: {year: 2025, value: 3}
    sectoin: s
""", encoding="utf-8")
    with pytest.raises(PlanError) as e:
        load_plan(f)
    probs = e.value.problems
    paths = {p.path for p in probs}
    assert "indicators[0](a).nature" in paths
    assert "indicators[0](a).target.comparator" in paths
    assert "indicators[1](b).sectoin" in paths and "indicators[1](b).section" in paths
    assert all(p.file == str(f) for p in probs)
    nature = next(p for p in probs if p.path.endswith("nature"))
    assert nature.line == 8 and "mandatory" in nature.reason


def test_yaml_syntax_error_has_line(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("plan: [unclosed\n", encoding="utf-8")
    with pytest.raises(PlanError) as e:
        load_plan(f)
    assert e.value.problems[0].line is not None


def test_lint_finds_the_software_growth_inconsistency():
    findings = {(f.indicator, f.check): f for f in lint_plan(load_plan())}
    sw = findings[("software_revenue", "stated_growth_reaches_target")]
    assert sw.severity == "warning" and "20.11%" in sw.message_zh and "4576" in sw.message_zh  # 2000·1.18^5 = 4575.5
    assert not any(f.severity == "error" for f in findings.values())


def test_lint_reports_contradictions(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("""plan: {id: p, title: t, issuer: i, base_year: 2020, target_year: 2025}
categories: [{id: c, name: c}]
indicators:
  - {id: a, name: A, category: c, unit: 亿元, nature: expected, kind: share, section: s,
     baseline: {year: 2020, value: 10}, target: {year: 2025, value: 5, comparator: "<="},
     stated_growth: {value: 1, unit: percentage_points}}
""", encoding="utf-8")
    checks = {x.check for x in lint_plan(load_plan(f)) if x.severity == "error"}
    assert {"unit_matches_kind", "growth_unit_matches_unit", "comparator_direction", "target_beyond_baseline"} <= checks
