"""The CLI scorecard in the final year shows the final labels; binding indicators without data are not red;
`--as-of` today gives the statuses of no option on the bundled data (issue 9)."""
import json
import re
from datetime import date

import pytest
from typer.testing import CliRunner

from zhizao.outputs.cli import app

runner = CliRunner()


@pytest.fixture()
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIZAO_DB", str(tmp_path / "cli.duckdb"))


def test_final_year_scorecard_shows_final_labels(db):
    r = runner.invoke(app, ["assess", "--year", "2025"])
    assert r.exit_code == 0, r.output
    assert "终期评价" in r.stdout and "预计难以完成" in r.stdout and "无法判断" in r.stdout
    assert not re.search("提前实现|基本符合预期|滞后于预期|快于预期", r.stdout)
    assert "需关注的约束性指标" not in r.stdout  # the binding ones lack data: not a failure
    assert "缺少可比数据的约束性指标" in r.stdout
    en = runner.invoke(app, ["assess", "--year", "2025", "--lang", "en"])
    assert "Final evaluation" in en.stdout and "unlikely to be completed" in en.stdout
    mid = runner.invoke(app, ["assess", "--year", "2024"])
    assert "终期评价" not in mid.stdout and "增速比" in mid.stdout


def test_as_of_today_equals_no_option_on_the_bundled_data(db):
    plain = json.loads(runner.invoke(app, ["assess", "--format", "json"]).stdout)
    today = json.loads(runner.invoke(app, ["assess", "--format", "json", "--as-of", date.today().isoformat()]).stdout)
    assert [(i["id"], i["status"], i["actual"]) for i in plain["indicators"]] == \
        [(i["id"], i["status"], i["actual"]) for i in today["indicators"]]
    rd = {i["id"]: i for i in today["indicators"]}["rd_institution_share"]
    assert rd["status"] != "on_track" and rd["actual_observation_status"] == "final"
