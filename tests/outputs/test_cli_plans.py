"""Several plans in one store: `plan list`, --plan by id or path and ZHIZAO_PLAN on every command,
unknown ids refused (exit 2, the known ids listed), and the store's own plan when none is named."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import zhizao.api as zz
from zhizao.outputs.cli import app

ASSETS = Path(__file__).parents[1] / "assets"
PLAN_FILE = ASSETS / "fictional-plan.yaml"
FICTIONAL = "riverton-industry-2023-2027"
CHONGQING = zz.BUNDLED_PLAN_ID
runner = CliRunner()


@pytest.fixture(scope="module")
def two_plans_db(tmp_path_factory) -> Path:
    """Chongqing with its bundled data, and the fictional plan registered by path with its data."""
    db = tmp_path_factory.mktemp("plans") / "two.duckdb"
    zz.resolve_plan(None, db)
    zz.open_store(db).close()
    zz.import_data(ASSETS / "fictional-links.yaml", plan=str(PLAN_FILE), db=db)
    zz.import_data(ASSETS / "fictional-data.csv", plan=FICTIONAL, db=db)
    return db


@pytest.fixture()
def db(two_plans_db, tmp_path, monkeypatch) -> Path:
    path = tmp_path / "store.duckdb"
    shutil.copy(two_plans_db, path)
    monkeypatch.setenv("ZHIZAO_DB", str(path))
    monkeypatch.delenv("ZHIZAO_PLAN", raising=False)
    return path


def test_plan_list_shows_embedded_and_registered_plans(db):
    rows = {r["id"]: r for r in json.loads(runner.invoke(app, ["plan", "list", "--format", "json"]).stdout)}
    assert rows[CHONGQING]["kind"] == "embedded" and rows[CHONGQING]["in_store"] and rows[CHONGQING]["default"]
    f = rows[FICTIONAL]
    assert f["kind"] == "file" and f["in_store"] and f["indicators"] == 7 and f["period"] == "2022–2027"
    assert f["source"] == str(PLAN_FILE.resolve()) and f["registered_at"]
    table = runner.invoke(app, ["plan", "list", "--lang", "en"])
    assert table.exit_code == 0 and FICTIONAL in table.stdout and "In this store" in table.stdout


def test_a_new_store_lists_the_embedded_plans_without_creating_itself(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIZAO_DB", str(tmp_path / "none.duckdb"))
    rows = json.loads(runner.invoke(app, ["plan", "list", "--format", "json"]).stdout)
    assert CHONGQING in [r["id"] for r in rows] and not any(r["in_store"] for r in rows)
    assert not (tmp_path / "none.duckdb").exists()


def _assessed_plan(args, env=None):
    r = runner.invoke(app, ["assess", "--format", "json", *args], env=env)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)["plan"]["id"]


def test_assess_by_id_by_path_and_by_environment(db):
    assert _assessed_plan([]) == CHONGQING
    assert _assessed_plan(["--plan", FICTIONAL]) == FICTIONAL
    assert _assessed_plan(["--plan", str(PLAN_FILE)]) == FICTIONAL
    assert _assessed_plan([], env={"ZHIZAO_PLAN": FICTIONAL}) == FICTIONAL
    assert _assessed_plan(["--plan", CHONGQING], env={"ZHIZAO_PLAN": FICTIONAL}) == CHONGQING  # the option wins


def test_a_plan_file_used_once_is_known_by_id_after_it_moved(db, tmp_path):
    moved = tmp_path / "moved.yaml"
    shutil.copy(PLAN_FILE, moved)
    other = tmp_path / "other.duckdb"
    assert _assessed_plan(["--plan", str(moved), "--db", str(other)]) == FICTIONAL
    moved.unlink()
    assert _assessed_plan(["--plan", FICTIONAL, "--db", str(other)]) == FICTIONAL


@pytest.mark.parametrize("args", [
    ["assess"], ["plan", "show"], ["plan", "lint"], ["data", "list"], ["monitor", "--source", "published"],
    ["warnings", "--source", "published"], ["forecast", "--source", "published"], ["synth"], ["brief"],
    ["report", "--format", "html"], ["serve"],
])
def test_unknown_plan_id_is_refused_with_the_known_ids(db, args, tmp_path):
    for how in (["--plan", "no-such-plan"], ["--lang", "en", "--plan", "no-such-plan"]):
        r = runner.invoke(app, [*args, *how, *(["--out", str(tmp_path)] if args[0] in ("report", "brief") else [])])
        assert r.exit_code == 2, (args, r.output)
        assert r.exception is None or isinstance(r.exception, SystemExit)
        assert "no-such-plan" in r.output and "Traceback" not in r.output
        if args[0] not in ("synth", "brief"):  # those name the one plan they fit instead
            assert CHONGQING in r.output
    r = runner.invoke(app, [*args], env={"ZHIZAO_PLAN": "no-such-plan"})
    assert r.exit_code == 2 and "no-such-plan" in r.output


def test_data_import_unknown_plan_is_refused(db):
    r = runner.invoke(app, ["data", "import", str(ASSETS / "fictional-links.yaml"), "--plan", "no-such-plan"])
    assert r.exit_code == 2 and "zhizao plan list" in r.output


def test_unknown_plan_through_the_installed_command_is_a_message(tmp_path):
    r = subprocess.run([sys.executable, "-m", "zhizao.outputs.cli", "assess", "--plan", "no-such-plan"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120,
                       env={"ZHIZAO_DB": str(tmp_path / "s.duckdb"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert r.returncode == 2 and "没有编号为“no-such-plan”的规划" in r.stderr and "Traceback" not in r.stderr


def test_plan_show_and_lint_take_an_id_positionally_or_by_option(db):
    for args in (["plan", "show", FICTIONAL], ["plan", "show", "--plan", FICTIONAL], ["plan", "show", str(PLAN_FILE)]):
        r = runner.invoke(app, [*args, "--format", "json"])
        assert r.exit_code == 0, r.output
        assert {x["id"] for x in json.loads(r.stdout)} == {"output", "value_added", "hightech_share", "margin",
                                                          "energy_intensity", "parks", "new_projects"}
    r = runner.invoke(app, ["plan", "lint", "--format", "json"], env={"ZHIZAO_PLAN": FICTIONAL})
    assert r.exit_code in (0, 1) and "软件业务收入" not in r.stdout


def test_data_import_records_links_for_the_chosen_plan(db):
    r = runner.invoke(app, ["data", "import", str(ASSETS / "fictional-links.yaml")], env={"ZHIZAO_PLAN": FICTIONAL})
    assert r.exit_code == 0, r.output
    with zz.Store(db) as store:
        links = store.links()
    batch = links[links["batch_id"] == links["batch_id"].max()]
    assert set(batch["plan_id"]) == {FICTIONAL}


def test_data_list_with_a_plan_leaves_out_the_other_plans_series(db):
    every = {r["series"] for r in json.loads(runner.invoke(app, ["data", "list", "--format", "json"]).stdout)}
    mine = {r["series"] for r in json.loads(runner.invoke(app, ["data", "list", "--format", "json", "--plan",
                                                                FICTIONAL]).stdout)}
    chongqing = {r["series"] for r in json.loads(runner.invoke(app, ["data", "list", "--format", "json", "--plan",
                                                                     CHONGQING]).stdout)}
    assert "hightech_share" in mine and "hightech_share" not in chongqing  # the fictional plan's own series
    assert mine < every and chongqing < every
    assert "全市规模以上工业增加值" not in mine or "全市规模以上工业增加值" in chongqing


def test_report_for_the_chosen_plan(db, tmp_path):
    r = runner.invoke(app, ["report", "--plan", FICTIONAL, "--format", "html", "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    html = next(tmp_path.glob("*.html")).read_text(encoding="utf-8")
    assert "河湾市工业发展规划" in html and "渝府发" not in html


def test_published_monitoring_opens_the_store_for_the_plan(db):
    r = runner.invoke(app, ["monitor", "--source", "published", "--plan", CHONGQING, "--format", "json"])
    assert r.exit_code == 0, r.output


def test_synthetic_monitoring_refuses_a_plan_it_was_not_generated_for(db, tmp_path):
    for args in (["monitor"], ["warnings"], ["forecast"], ["synth", "--out", str(tmp_path / "s")],
                 ["brief", "--out", str(tmp_path)]):
        r = runner.invoke(app, [*args, "--plan", FICTIONAL, "--lang", "en"])
        # warnings lists what it has without monitoring data (the synthetic chain, enterprise and delivery
        # warnings are made for any plan) and says why the monitoring ones are missing; the others refuse
        assert r.exit_code == (0 if args == ["warnings"] else 2), (args, r.output)
        text = " ".join(r.output.split())
        assert "--source published" in text and FICTIONAL in text
        if args == ["warnings"]:
            assert text.startswith("No monitoring data, so only") and "三服务 and task warnings are listed" in text


def test_serve_takes_the_plan(db, monkeypatch):
    import uvicorn

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda application, **kw: seen.update(app=application))
    r = runner.invoke(app, ["serve", "--plan", FICTIONAL])
    assert r.exit_code == 0, r.output
    assert seen["app"].state.web.plan.plan.id == FICTIONAL
    assert f"/p/{FICTIONAL}/" in r.output and f"/p/{CHONGQING}/" in r.output
    seen.clear()
    assert runner.invoke(app, ["serve"], env={"ZHIZAO_PLAN": str(PLAN_FILE)}).exit_code == 0
    assert seen["app"].state.web.plan.plan.id == FICTIONAL


def test_a_store_for_another_plan_is_never_read_as_the_default_plan(tmp_path, monkeypatch):
    db = tmp_path / "f.duckdb"
    monkeypatch.setenv("ZHIZAO_DB", str(db))
    monkeypatch.delenv("ZHIZAO_PLAN", raising=False)
    zz.import_data(ASSETS / "fictional-links.yaml", plan=str(PLAN_FILE), db=db)
    assert _assessed_plan([]) == FICTIONAL  # the store's own plan, not the embedded default
    rows = {r["id"]: r for r in json.loads(runner.invoke(app, ["plan", "list", "--format", "json"]).stdout)}
    assert rows[FICTIONAL]["default"] and not rows[CHONGQING]["default"] and not rows[CHONGQING]["in_store"]
    assert json.loads(runner.invoke(app, ["data", "list", "--format", "json"]).stdout) == []  # no bundled data


def test_a_store_with_links_of_an_unregistered_plan_asks_for_its_file(tmp_path, monkeypatch):
    db = tmp_path / "old.duckdb"
    monkeypatch.setenv("ZHIZAO_DB", str(db))
    monkeypatch.delenv("ZHIZAO_PLAN", raising=False)
    zz.import_data(ASSETS / "fictional-links.yaml", plan=zz.load_plan(PLAN_FILE), db=db)  # a Plan: not registered
    r = runner.invoke(app, ["assess"])
    assert r.exit_code == 2 and FICTIONAL in r.output and "--plan" in r.output and "Traceback" not in r.output
    r = runner.invoke(app, ["plan", "list", "--format", "json"])
    rows = {x["id"]: x for x in json.loads(r.stdout)}
    assert rows[FICTIONAL]["kind"] == "unknown" and rows[FICTIONAL]["in_store"]
