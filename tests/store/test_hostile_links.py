"""Hostile links YAML files, the import summary and progress: problems, never tracebacks or gigabytes."""
import tracemalloc
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import zhizao.api as zz
from zhizao.outputs.cli import app
from zhizao.store.importing import ImportFailed, read_links
from zhizao.store.store import Store

ASSETS = Path(__file__).parents[1] / "assets"
PLAN = ASSETS / "fictional-plan.yaml"
LINKS = (ASSETS / "fictional-links.yaml").read_text(encoding="utf-8")
runner = CliRunner()


@pytest.fixture(scope="module")
def plan():
    return zz.load_plan(PLAN)


def _refused(tmp_path, plan, text: str | bytes):
    f = tmp_path / "links.yaml"
    f.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    db = tmp_path / "l.duckdb"
    with pytest.raises(ImportFailed) as e:
        zz.import_data(f, plan=plan, db=db)
    with Store(db) as s:
        assert s.counts()["links"] == 0 and s.counts()["batches"] == 0
    assert all(p.message_zh and p.message_en and len(p.value) <= 200 for p in e.value.problems)
    return e.value.problems


def test_python_tag_is_a_problem_with_its_line(tmp_path, plan):
    probs = _refused(tmp_path, plan, 'links:\n  - !!python/object/apply:os.system ["echo pwned"]\n')
    assert probs[0].code == "bad_yaml" and probs[0].row == 2


def test_billion_laughs_is_refused_without_gigabytes(tmp_path, plan):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append("links:\n  - *i")
    tracemalloc.start()
    probs = _refused(tmp_path, plan, "\n".join(lines) + "\n")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert probs[0].code == "bad_yaml" and "aliases" in probs[0].message_en and peak < 50e6


@pytest.mark.parametrize("text", [
    "links: 5\n", "- just\n- a list\n", "links:\n  - 7\n  - [1, 2]\n", "series:\n  - {series: [1], unit: x}\n",
    "links:\n  - {indicator: {a: 1}, series: s, comparability: comparable}\n", "links: [\n", "\x00\x01",
    "plan_id: [1]\nlinks: []\n",
])
def test_wrong_shapes_are_problems(tmp_path, plan, text):
    _refused(tmp_path, plan, text)


def test_not_utf8_is_a_problem(tmp_path, plan):
    probs = _refused(tmp_path, plan, "links: []\n# 注释\n".encode("gbk"))
    assert probs[0].code == "unreadable_file"


def test_long_values_are_truncated_in_messages(tmp_path, plan):
    probs = _refused(tmp_path, plan, "links:\n  - {indicator: " + "x" * 100_000 + ", series: s, comparability: comparable}\n")
    assert probs[0].code == "unknown_indicator" and len(probs[0].message_en) < 400


def test_cli_refuses_bad_links_without_traceback(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text('links:\n  - !!python/object/apply:os.system ["echo pwned"]\n', encoding="utf-8")
    r = runner.invoke(app, ["data", "import", str(f), "--plan", str(PLAN), "--db", str(tmp_path / "c.duckdb")])
    assert r.exit_code != 0 and "Traceback" not in r.output and "bad_yaml" not in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)


def test_summary_counts_distinct_sources_and_reports_progress(store_db, plan):
    db = store_db
    zz.import_data(ASSETS / "fictional-links.yaml", plan=plan, db=db)
    stages = []
    s = zz.import_data(ASSETS / "fictional-data.csv", plan=plan, db=db, progress=lambda st, n: stages.append((st, n)))
    urls = zz.observations(db)["source_url"].nunique()
    assert s.observations == 12 and s.sources == urls < s.observations
    assert [st for st, _ in stages] == ["read", "validate", "check", "write"] and stages[-1][1] == 12


def test_cli_import_shows_stages_on_stderr(tmp_path):
    db = tmp_path / "p.duckdb"
    runner.invoke(app, ["data", "import", str(ASSETS / "fictional-links.yaml"), "--plan", str(PLAN), "--db", str(db)])
    r = runner.invoke(app, ["data", "import", str(ASSETS / "fictional-data.csv"), "--plan", str(PLAN), "--db", str(db)])
    assert r.exit_code == 0 and "validating" in r.output and "6 个来源" in r.output


yamlish = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=15),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(
        st.sampled_from(["series", "links", "plan_id", "indicator", "unit", "transform", "comparability",
                         "numerator", "denominator", "x"]), kids, max_size=5),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(data=yamlish)
def test_fuzz_links_reader(data, plan):
    try:
        text = yaml.safe_dump(data, allow_unicode=True)
    except yaml.YAMLError:
        return
    series, links, problems = read_links(text, plan, "fuzz.yaml")
    assert all(p.message_zh and p.message_en and len(p.value) <= 200 for p in problems)


@settings(max_examples=200, deadline=None)
@given(cut=st.integers(0, len(LINKS)), junk=st.text(max_size=20))
def test_fuzz_mutated_links_text(cut, junk, plan):
    read_links(LINKS[:cut] + junk + LINKS[cut:], plan, "mut.yaml")
