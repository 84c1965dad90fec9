"""Hostile and careless plan files: always a PlanError listing located problems, never a traceback."""
import copy
import tracemalloc
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import zhizao.api as zz
from zhizao.plan.load import PlanError, default_plan_path, load_plan

ASSETS = Path(__file__).parents[1] / "assets"
EMBEDDED = default_plan_path().read_text(encoding="utf-8")


def _problems(tmp_path, text: str, name="p.yaml"):
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as e:
        load_plan(f)
    assert e.value.problems and all(p.reason for p in e.value.problems)
    return e.value.problems


def _embedded() -> dict:
    return yaml.safe_load(EMBEDDED)


def test_unknown_references_and_duplicate_ids_reported_together(tmp_path):
    data = _embedded()
    data["industries"][0]["cluster"] = "no_such_cluster"
    data["industries"].append(copy.deepcopy(data["industries"][1]))
    data["clusters"].append(copy.deepcopy(data["clusters"][0]))
    data["regions"]["groups"][0]["districts"].append("999999")
    data["regions"]["functional_zones"][0]["host_districts"] = ["888888"]
    data["indicators"][0]["nature"] = "mandatory"  # a field error, reported in the same list
    probs = _problems(tmp_path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    reasons = "\n".join(f"{p.path}: {p.reason}" for p in probs)
    assert "unknown cluster 'no_such_cluster'" in reasons
    assert f"duplicate id '{data['industries'][1]['id']}'" in reasons
    assert f"duplicate id '{data['clusters'][0]['id']}'" in reasons
    assert "unknown district code '999999'" in reasons and "unknown district code '888888'" in reasons
    assert any(p.path.endswith("nature") for p in probs)
    assert all(p.line for p in probs)


def test_duplicate_yaml_keys_named_with_line(tmp_path):
    text = EMBEDDED.replace("  - id: software_revenue\n", "  - id: software_revenue\n    unit: 亿元\n", 1)
    probs = _problems(tmp_path, text)
    dup = [p for p in probs if "duplicate key" in p.reason]
    assert dup and dup[0].path.endswith("unit") and dup[0].line
    lines = text.splitlines()
    first = lines.index("  - id: software_revenue") + 2  # the inserted key
    assert lines[dup[0].line - 1].strip().startswith("unit:") and f"first on line {first}" in dup[0].reason


@pytest.mark.parametrize("text", [
    "[" * 100_000 + "]" * 100_000,
    "".join(" " * i + "a:\n" for i in range(3000)),
    "plan: " + "{a: " * 60 + "1" + "}" * 60,
])
def test_deep_nesting_is_refused(tmp_path, text):
    probs = _problems(tmp_path, text)
    assert any("nest" in p.reason or "YAML" in p.reason for p in probs)


def test_alias_bomb_in_a_plan_is_refused_quickly(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    tracemalloc.start()
    probs = _problems(tmp_path, "\n".join(lines) + "\n")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert any("aliases expand" in p.reason for p in probs) and peak < 50e6


def test_python_tag_in_a_plan_is_a_problem(tmp_path):
    probs = _problems(tmp_path, 'plan: !!python/object/apply:os.system ["echo pwned"]\n')
    assert probs[0].line == 1 and "python" in probs[0].reason


def test_custom_plan_with_the_bundled_id_and_a_renamed_indicator(tmp_path):
    f = tmp_path / "renamed.yaml"
    f.write_text(EMBEDDED.replace("  - id: software_revenue\n", "  - id: software_income\n", 1), encoding="utf-8")
    plan = load_plan(f)
    result = zz.assess(plan, db=tmp_path / "r.duckdb")  # crashed with ImportFailed before
    assert len(result["indicators"]) == 20
    batch = zz.batches(tmp_path / "r.duckdb").iloc[0]
    assert "software_revenue" in batch["note"]
    lint = zz.lint(plan, "en")
    assert (lint["check"] == "bundled_links_match").any()


plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=10), kids, max_size=4),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=plain)
def test_fuzz_random_documents(tmp_path, data):
    f = tmp_path / "fuzz.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PlanError):
        load_plan(f)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(0, len(EMBEDDED)), junk=st.text(max_size=30))
def test_fuzz_mutated_embedded_plan_text(tmp_path, cut, junk):
    f = tmp_path / "mut.yaml"
    f.write_text(EMBEDDED[:cut] + junk + EMBEDDED[cut:], encoding="utf-8")
    try:
        load_plan(f)
    except PlanError as e:
        assert e.problems and all(isinstance(p.reason, str) and len(p.reason) < 2000 for p in e.problems)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(section=st.sampled_from(["indicators", "clusters", "industries", "tasks", "categories"]),
       field=st.sampled_from(["id", "cluster", "category", "industries", "name", "target", "section"]),
       value=plain)
def test_fuzz_mutated_embedded_plan_values(tmp_path, section, field, value):
    data = _embedded()
    data[section][0][field] = value
    f = tmp_path / "val.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        load_plan(f)
    except PlanError as e:
        assert e.problems
