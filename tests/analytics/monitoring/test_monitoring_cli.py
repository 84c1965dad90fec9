"""The monitoring CLI commands on a tiny synthetic data set."""
import csv
import io
import json

import pytest
import typer
from typer.testing import CliRunner

from zhizao.outputs.cli_monitoring import register

app = typer.Typer()
register(app)
runner = CliRunner()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("synth")
    r = runner.invoke(app, ["synth", "--out", str(d), "--enterprises", "200", "--months", "30", "--start", "2022-01"])
    assert r.exit_code == 0, r.output
    return d


def test_monitor_json_by_district(data_dir):
    r = runner.invoke(app, ["monitor", "--data", str(data_dir), "--by", "district", "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout[r.stdout.index("["):])
    assert sum(x["pull_pp"] for x in rows) == pytest.approx(rows and sum(x["pull_pp"] for x in rows))
    assert {"subject_id", "ytd_growth_pct", "contribution_pct", "pull_pp", "rank", "light"} <= set(rows[0])


@pytest.mark.parametrize("by", ["city", "industry", "cluster", "zone", "enterprise", "project"])
def test_monitor_table_each_view(data_dir, by):
    r = runner.invoke(app, ["monitor", "--data", str(data_dir), "--by", by, "--period", "2024-05", "--lang", "en"])
    assert r.exit_code == 0, r.output
    assert "SYNTHETIC" in r.output


def test_warnings_csv_and_severity_filter(data_dir):
    r = runner.invoke(app, ["warnings", "--data", str(data_dir), "--format", "csv", "--severity", "high"])
    assert r.exit_code == 0, r.output
    # parsed as CSV: text cells are quoted (docs/reports.md §Spreadsheet safety)
    rows = csv.DictReader(io.StringIO(r.stdout, newline=""))
    assert rows.fieldnames[:7] == ["subject_type", "subject_id", "subject_name", "period", "rule", "severity", "evidence"]
    assert {row["severity"] for row in rows} <= {"high"}


def test_settings_override_and_unknown_setting(data_dir):
    r = runner.invoke(app, ["warnings", "--data", str(data_dir), "--format", "json", "--rule", "target_gap",
                            "--set", "target_annual_growth_pct=20"])
    assert r.exit_code == 0 and json.loads(r.stdout)[0]["rule"] == "target_gap"
    bad = runner.invoke(app, ["warnings", "--data", str(data_dir), "--set", "no_such=1"])
    assert bad.exit_code != 0


def test_forecast(data_dir):
    r = runner.invoke(app, ["forecast", "--data", str(data_dir), "--format", "json"])
    assert r.exit_code == 0, r.output
    f = json.loads(r.stdout)[0]
    assert {"growth_pct", "growth_lo", "growth_hi", "level"} <= set(f)


def test_missing_data_dir_says_what_to_do(tmp_path):
    r = runner.invoke(app, ["monitor", "--data", str(tmp_path / "none")])
    assert r.exit_code != 0 and "zhizao synth" in str(r.exception)


def test_the_spark_engine_gets_only_the_periods_from_the_cli(data_dir):
    """With monitoring_engine = spark the CLI reads of the monthly reports only their periods (Spark reads
    the folder itself); the span it checks periods against is the full read's."""
    from zhizao.outputs.cli_monitoring import _data_span, _synthetic_inputs
    from zhizao.settings import Settings

    full = _synthetic_inputs(data_dir, Settings())
    light = _synthetic_inputs(data_dir, Settings({"monitoring_engine": "spark"}))
    assert list(light.monthly.columns) == ["year", "month"] and len(full.monthly.columns) > 2
    assert len(light.monthly) == len(full.monthly) and light.data_dir == full.data_dir == data_dir
    assert _data_span(light) == _data_span(full)
    assert light.enterprises.equals(full.enterprises) and light.projects.equals(full.projects)
