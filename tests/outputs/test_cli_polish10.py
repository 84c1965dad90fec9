"""Last terminal polish of issue 10: warnings' prose folds between tokens, scorecard reasons group
their numbers, completion keeps one decimal, an index has no unit word after its number."""
from __future__ import annotations

import json
import re

import pytest

from tests.outputs.cli_support import run_main, synth_dir  # noqa: F401 - fixture
from zhizao import formatting

NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?%?")


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_warnings_prose_never_folds_inside_a_number(synth_dir, tmp_path, capsys, monkeypatch, width, lang):  # noqa: F811
    args = ["warnings", "--data", str(synth_dir), "--db", str(tmp_path / "s.duckdb"), "--lang", lang]
    code, out, _ = run_main([*args, "--format", "json"], capsys, monkeypatch)
    assert code == 0
    texts = [w[f"explanation_{lang}"] for w in json.loads(out)]
    assert texts
    monkeypatch.setenv("COLUMNS", str(width))
    code, table, _ = run_main([*args, "--limit", "5000"], capsys, monkeypatch)  # every row the JSON has
    assert code == 0
    lines = [line for line in table.splitlines() if line.startswith("│")]
    for number in {n for t in texts for n in NUMBER.findall(t)}:
        assert any(number in line for line in lines), number  # printed whole on one line


def test_completion_keeps_one_decimal():
    assert formatting.completion(0.49) == "49.0%"
    assert formatting.completion(0.783) == "78.3%"
    assert formatting.completion(1.0) == "100.0%"
    assert formatting.completion(-0.0001) == "0.0%"
    assert formatting.completion(5) == "超过300%"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from zhizao import api

    path = tmp_path_factory.mktemp("polish") / "s.duckdb"
    api.assess(db=path)  # a store with the bundled data
    return path


UNGROUPED = re.compile(r"(?<![\d.,“\"#])\d{5,}(?!\d)")  # “33618” is a name; years have 4 digits


@pytest.mark.parametrize("plan", ["chongqing-manufacturing-2021-2025", "chongqing-manufacturing-2023-2027"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_scorecard_prints_no_ungrouped_number(db, capsys, monkeypatch, plan, lang):
    monkeypatch.setenv("COLUMNS", "200")
    for year in ([], ["--year", "2024"]):
        code, out, err = run_main(["assess", "--db", str(db), "--plan", plan, "--lang", lang, *year], capsys, monkeypatch)
        assert code == 0, err
        assert not UNGROUPED.findall(out), [x for x in out.splitlines() if UNGROUPED.search(x)]


def test_built_targets_group_the_number_itself():
    from zhizao.analytics.progress import target_display

    assert target_display({"comparator": ">=", "value": 30000.0}) == "≥30,000"
    assert target_display({"comparator": "between", "value": 10000.0, "upper": 12345.6}, "en") == "10,000–12,345.6"
    assert target_display({"comparator": "<=", "value": -0.5}) == "≤-0.5"


def test_completion_rate_keeps_one_decimal():
    assert formatting.completion_rate(96) == "96.0%" and formatting.completion_rate(104.24) == "104.2%"
    assert formatting.completion_rate(716.3) == "716.3%" and formatting.completion_rate(None) == formatting.MISSING


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_final_scorecard_completion_rate_column_one_decimal(db, capsys, monkeypatch, lang):
    monkeypatch.setenv("COLUMNS", "220")
    code, out, _ = run_main(["assess", "--db", str(db), "--year", "2025", "--lang", lang], capsys, monkeypatch)
    assert code == 0
    head = next(x for x in out.splitlines() if x.startswith("┃"))
    col = [c.strip() for c in head.split("┃")[1:-1]].index("完成率" if lang == "zh" else next(
        c.strip() for c in head.split("┃")[1:-1] if "ompletion" in c or "rate" in c.lower()))
    cells = [r.split("│")[1:-1][col].strip() for r in out.splitlines() if r.startswith("│")]
    shown = [c for c in cells if c.endswith("%")]
    assert shown and all(re.fullmatch(r"-?[\d,]+\.\d%", c) for c in shown), shown


def test_index_unit_goes_before_the_number():
    assert formatting.with_unit("61.5", "指数") == "指数61.5"
    assert formatting.with_unit("61.5", "指数", "en") == "index\u00a061.5"
    assert formatting.value(61.5, "指数") == "指数61.5" and formatting.unit_suffix("指数") == ""
    assert formatting.with_unit("2,705", "亿元") == "2,705亿元"  # other units stay after the number


@pytest.mark.parametrize("plan", ["chongqing-manufacturing-2021-2025", "chongqing-manufacturing-2023-2027"])
@pytest.mark.parametrize("width", [80, 200])
def test_scorecard_never_prints_a_number_before_index(db, capsys, monkeypatch, plan, width):
    monkeypatch.setenv("COLUMNS", str(width))
    for args in (["--lang", "zh"], ["--year", "2025"], ["--lang", "en", "--year", "2025"]):
        code, out, _ = run_main(["assess", "--db", str(db), "--plan", plan, *args], capsys, monkeypatch)
        assert code == 0
        assert not re.search(r"\d\s*(指数|index)", out), [x for x in out.splitlines() if re.search(r"\d\s*(指数|index)", x)]
