"""`zhizao plan draft`: the reference-value table in every format, the skeleton written with --out
(loads and lints), the plan in force found by itself, and bad options ending in exit 2."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import zhizao.api as zz
from zhizao.analytics.next_plan import COLUMNS
from zhizao.outputs.cli import app
from zhizao.plan.lint import lint_plan
from zhizao.plan.load import load_plan, parse_plan

runner = CliRunner()


@pytest.fixture(scope="module")
def bundled_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("draft") / "bundled.duckdb"
    zz.open_store(db).close()  # the embedded plan's store: bundled data
    return db


@pytest.fixture()
def db(bundled_db, tmp_path, monkeypatch) -> Path:
    path = tmp_path / "store.duckdb"
    shutil.copy(bundled_db, path)
    monkeypatch.setenv("ZHIZAO_DB", str(path))
    monkeypatch.delenv("ZHIZAO_PLAN", raising=False)
    return path


def test_json_rows_carry_reference_values_and_the_in_force_targets(db):
    r = runner.invoke(app, ["plan", "draft", "--to", "2030", "--base-year", "2025", "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = {x["indicator"]: x for x in json.loads(r.stdout)}
    assert len(rows) == len(load_plan().indicators) and list(next(iter(rows.values()))) == COLUMNS
    rd = rows["rd_expenditure"]  # 2019–2023 in the bundled data: a log-linear trend
    assert rd["low"] < rd["reference_value"] < rd["high"] and rd["latest_year"] == 2023
    assert rd["in_force_target"] == 800 and rd["in_force_year"] == 2027 and "10%" in rd["stated_growth_check"]
    sei = rows["sei_output_share"]  # 战新: output share vs the 2023—2027 value-added share: no target in force
    assert sei["in_force_target"] is None and sei["in_force_match"] == "different_definition"
    assert "口径不同，仅供参考" in sei["note"] and "36%" in sei["note"]
    assert "深入推进" in sei["in_force_plan"]
    water = rows["water_intensity_reduction"]
    assert water["reference_value"] is None and "没有可比" in water["note"]


def test_out_writes_a_skeleton_that_loads_and_lints(db, tmp_path):
    out = tmp_path / "next.yaml"
    r = runner.invoke(app, ["plan", "draft", "--base-year", "2025", "--out", str(out), "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[0].replace('"', "").split(",") == COLUMNS
    p = parse_plan(out.read_text(encoding="utf-8"))
    assert (p.plan.base_year, p.plan.target_year) == (2025, 2030)
    assert not [f for f in lint_plan(p) if f.severity == "error"]
    assert p.indicator("rd_expenditure").target.text == "参考值（待定）"
    lint = runner.invoke(app, ["plan", "lint", str(out)])
    assert lint.exit_code == 0, lint.output


def test_table_and_english(db):
    r = runner.invoke(app, ["plan", "draft", "--base-year", "2025"])
    assert r.exit_code == 0 and "下一期规划参考值" in r.stdout and "--out" in r.stderr
    r = runner.invoke(app, ["plan", "draft", "--base-year", "2025", "--lang", "en", "--format", "json"])
    rows = {x["indicator"]: x for x in json.loads(r.stdout)}
    assert "log-linear" in rows["rd_expenditure"]["method"] and rows["rd_expenditure"]["name"].startswith("R&D")


def test_in_force_can_be_named_and_defaults_to_the_plan_covering_the_next_year(db):
    assert zz.in_force_plan(load_plan(), db).plan.id == "chongqing-manufacturing-2023-2027"
    assert zz.in_force_plan(load_plan("chongqing-manufacturing-2023-2027"), db) is None
    _, df = zz.draft_plan(db=db, base_year=2025, in_force="chongqing-manufacturing-2023-2027")
    assert df.set_index("indicator").loc["rd_intensity", "in_force_target"] == 2


def _run(args: list[str], tmp_path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zhizao.outputs.cli", "plan", "draft", *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120,
                          env={"ZHIZAO_DB": str(tmp_path / "s.duckdb"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})


@pytest.mark.parametrize("args, words", [
    (["--to", "2024", "--base-year", "2025"], "须在基期年2025之后"),
    (["--to", "2090", "--base-year", "2025", "--lang", "en"], "at most 20 years"),
    (["--in-force", "no-such-plan"], "没有编号为“no-such-plan”的规划"),
    (["--from", "chongqing-manufacturing-2023-2027", "--in-force", "chongqing-manufacturing-2023-2027",
      "--base-year", "2025"], "不能与 --from 为同一规划"),
    (["--format", "xml"], "xml"),
])
def test_bad_options_exit_2_with_a_message(args, words, tmp_path):
    r = _run(args, tmp_path)
    assert r.returncode == 2, r.stderr
    assert words in r.stderr and "Traceback" not in r.stderr + r.stdout


def test_unwritable_out_exits_2(db, tmp_path):
    r = runner.invoke(app, ["plan", "draft", "--base-year", "2025", "--out", str(tmp_path / "no" / "x.yaml")])
    assert r.exit_code == 2 and "无法写入" in r.stderr
