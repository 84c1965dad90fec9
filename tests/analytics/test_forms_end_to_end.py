"""A plan with every target form, through the store: lint, assess (CLI and JSON), the report's
contents and the dashboard's JSON. Before issue 8 these crashed (ValueError: a baseline is needed)
or skipped the targets without a printed baseline."""
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import zhizao.api as zz
from zhizao.outputs.cli import app as cli_app

ASSETS = Path(__file__).resolve().parents[1] / "assets"
PLAN = ASSETS / "forms-plan.yaml"
runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("forms") / "forms.duckdb"
    zz.import_data(ASSETS / "forms-data.csv", plan=zz.load_plan(PLAN), db=path)
    return path


@pytest.fixture(scope="module")
def result(db):
    return zz.assess(zz.load_plan(PLAN), db=db, year=2024)


def test_lint_is_clean_and_in_the_users_language():
    zh = zz.lint(PLAN, "zh")
    assert not (zh["severity"] == "error").any()  # a missing baseline is not an error
    missing = zh[zh["check"] == "baseline_missing"]
    assert set(missing["indicator"]) == {"nobase", "storebase"}
    assert all("\u4e00" <= m[len("软件收入：")] <= "\u9fff" for m in missing["message"])
    assert set(zh["severity_label"]) <= {"错误", "警告", "提示"}
    en = zz.lint(PLAN, "en")
    assert "comparable 2022 value" in en[en["indicator"] == "nobase"]["message"].iloc[0]


def test_every_form_gets_its_status(result):
    by = {i["id"]: i for i in result["indicators"]}
    assert {k: v["status"] for k, v in by.items()} == {
        "tracked": "tracked", "nobase": "not_met", "storebase": "behind", "qual": "behind", "rng": "achieved",
        "every": "not_met", "undated": "not_met", "avg": "on_track", "cum": "behind"}
    assert by["storebase"]["baseline"]["source"] == "store" and by["qual"]["baseline"]["source"] == "plan"
    assert by["storebase"]["baseline"]["source_record"]["quote"] == "产值100亿元"
    assert by["every"]["every_year"]["failed_years"] == [2024]
    assert by["cum"]["time_elapsed"] == pytest.approx(2 / 3)  # from the plan's base year 2022
    assert result["summary"]["counts"]["tracked"] == 1 and result["summary"]["counts"]["not_met"] == 3
    assert result["summary"]["binding_behind"] == ["qual", "cum"]


def test_cli_scorecard_and_plan_show_print_each_form(db):
    out = runner.invoke(cli_app, ["assess", "--plan", str(PLAN), "--db", str(db), "--year", "2024"])
    assert out.exit_code == 0, out.output
    for text in ("仅监测", "尚未达到", "保持28%以上", "万亿级", "5—6", "≥200", "未注明", "100†", "超50"):
        assert text in out.output, text
    show = runner.invoke(cli_app, ["plan", "show", str(PLAN), "--format", "csv"])
    assert show.exit_code == 0 and "≥200 (2025)" in show.output and "超过50 (2022)" in show.output
    js = runner.invoke(cli_app, ["assess", "--plan", str(PLAN), "--db", str(db), "--format", "json", "--lang", "en"])
    data = json.loads(js.output)
    assert {i["id"]: i["reason_code"] for i in data["indicators"]}["undated"] == "undated_target"


def test_report_contents_and_dashboard_json(db, result):
    from fastapi.testclient import TestClient

    from zhizao.outputs.reports.content import build_content
    from zhizao.outputs.web.app import create_app

    plan = zz.load_plan(PLAN)
    for lang in ("zh", "en"):
        report = build_content(zz.assess(plan, db=db, year=2024, lang=lang), None, plan, lang)
        assert report.blocks
    app = create_app(db=db, plan=plan, allowed_hosts=["testserver"], warm=False)
    with TestClient(app) as c:
        for ind in plan.indicators:
            r = c.get(f"/indicator/{ind.id}?format=json&year=2024")
            assert r.status_code == 200, (ind.id, r.text[:300])
            assert c.get(f"/indicator/{ind.id}?year=2024").status_code == 200
        overview = c.get("/?format=json&year=2024")
        assert overview.status_code == 200 and "tracked" in overview.text
