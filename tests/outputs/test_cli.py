"""The CLI end to end (typer's CliRunner), including the JSON contract of `assess`."""
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhizao.outputs.cli import app

ASSETS = Path(__file__).parents[1] / "assets"
runner = CliRunner()


@pytest.fixture()
def db(tmp_path, monkeypatch):
    path = tmp_path / "cli.duckdb"
    monkeypatch.setenv("ZHIZAO_DB", str(path))
    return path


def test_assess_json_contract(db):
    r = runner.invoke(app, ["assess", "--format", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert set(out) >= {"plan", "year", "indicators", "summary", "clusters"}
    keys = {"id", "name", "nature", "status", "status_label", "actual", "planned", "target", "completion",
            "required_growth", "planned_growth", "projected", "sources"}
    assert all(keys <= set(i) for i in out["indicators"]) and len(out["indicators"]) == 20
    assert {i["status"] for i in out["indicators"]} <= {
        "achieved", "ahead", "on_track", "behind", "seriously_behind", "no_comparable_data"}


def test_assess_table_and_english(db):
    r = runner.invoke(app, ["assess"])
    assert r.exit_code == 0 and "规模以上工业产值" in r.stdout and "无可比数据" in r.stdout
    r = runner.invoke(app, ["assess", "--lang", "en", "--format", "csv"])
    assert r.exit_code == 0 and "no comparable data" in r.stdout


def test_assess_settings_override(db):
    strict = json.loads(runner.invoke(app, ["assess", "--format", "json", "-s", "on_track_ratio=1.05"]).stdout)
    rd = {i["id"]: i for i in strict["indicators"]}["rd_expenditure"]
    assert rd["status"] == "behind"  # ratio 1.03 is below a 1.05 bar
    assert runner.invoke(app, ["assess", "-s", "no_such_setting=1"]).exit_code == 2


def test_plan_show_lint_and_search(db):
    assert "软件业务收入" in runner.invoke(app, ["plan", "show"]).stdout
    r = runner.invoke(app, ["plan", "lint"])
    assert r.exit_code == 0 and "software_revenue" in r.stdout
    r = runner.invoke(app, ["plan", "show", "--search", "氢燃料"])
    assert r.exit_code == 0 and "new_energy_connected_vehicles" in r.stdout


def test_bad_plan_file_exits_2(tmp_path, db):
    f = tmp_path / "p.yaml"
    f.write_text("plan: {id: p}\n", encoding="utf-8")
    r = runner.invoke(app, ["assess", "--plan", str(f)])
    assert r.exit_code == 2 and "plan.title" in r.output


def test_data_import_refusal_lists_problems(tmp_path, db):
    bad = tmp_path / "bad.csv"
    bad.write_text("series,period,value,unit\nsoftware_revenue,2024,约三千,亿元\nnope,2024,1,亿元\n", encoding="utf-8")
    runner.invoke(app, ["assess", "--format", "csv"])  # creates the store with bundled data
    before = runner.invoke(app, ["data", "list", "--format", "csv"]).stdout
    r = runner.invoke(app, ["data", "import", str(bad)])
    assert r.exit_code == 1 and "约三千" in r.output and "nope" in r.output
    assert runner.invoke(app, ["data", "list", "--format", "csv"]).stdout == before


def test_data_sources_and_settings(db):
    r = runner.invoke(app, ["data", "sources", "--format", "json"])
    assert r.exit_code == 0 and len(json.loads(r.stdout)) > 50
    assert "on_track_ratio" in runner.invoke(app, ["settings"]).stdout


def test_as_of_reproduces_an_earlier_view(db):
    late = json.loads(runner.invoke(app, ["assess", "--format", "json"]).stdout)
    early = json.loads(runner.invoke(app, ["assess", "--format", "json", "--as-of", "2022-06-30"]).stdout)
    assert early["as_of"] == "2022-06-30"
    assert sum(i["status"] != "no_comparable_data" for i in early["indicators"]) < \
        sum(i["status"] != "no_comparable_data" for i in late["indicators"])


def test_plan_problems_with_markup_like_text_exit_2(tmp_path):
    f = tmp_path / "markup.yaml"
    f.write_text('plan: {id: "[/red]", title: t}\n', encoding="utf-8")
    r = runner.invoke(app, ["plan", "lint", str(f)])
    assert r.exit_code == 2 and "[/red]" in r.output  # before: rich MarkupError traceback
