"""Withdrawing a batch: recorded, never deleted, left out of every read; stores holding inf/NaN
(from before imports refused them) still assess and report."""
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

import zhizao.api as zz
from zhizao.outputs.cli import app
from zhizao.store.store import SCHEMA, Store

ASSETS = Path(__file__).parents[1] / "assets"
PLAN = ASSETS / "fictional-plan.yaml"
runner = CliRunner()


def _store(db):
    plan = zz.load_plan(PLAN)
    zz.import_data(ASSETS / "fictional-links.yaml", plan=plan, db=db)
    s = zz.import_data(ASSETS / "fictional-data.csv", plan=plan, db=db)
    return plan, db, s.batch_id


def test_withdrawn_batch_stops_counting_but_stays_recorded(store_db):
    plan, db, batch = _store(store_db)
    before = zz.assess(plan, db=db)
    assert len(zz.observations(db)) > 0
    with Store(db) as s:
        stored = s.counts()
    info = zz.withdraw(batch, "wrong release", db=db, by="analyst")
    assert info["withdrawal_reason"] == "wrong release" and info["withdrawn_by"] == "analyst"
    assert zz.observations(db).empty
    with Store(db) as s:
        assert s.counts() == stored  # nothing deleted
        assert s.sources()["observations"].sum() == 0
        assert s.existing_keys().empty
    all_rows = zz.observations(db, include_withdrawn=True)
    assert len(all_rows) == stored["observations"] and (all_rows["withdrawal_reason"] == "wrong release").all()
    after = zz.assess(plan, db=db)
    assert after["summary"]["counts"]["no_comparable_data"] > before["summary"]["counts"]["no_comparable_data"]
    b = zz.batches(db).set_index("batch_id")
    assert b.loc[batch, "withdrawal_reason"] == "wrong release" and pd.notna(b.loc[batch, "withdrawn_at"])
    # The corrected file may be imported again: withdrawn values are not "already stored".
    zz.import_data(ASSETS / "fictional-data.csv", plan=plan, db=db)
    assert len(zz.observations(db)) == stored["observations"]


def test_withdrawn_links_stop_counting(store_db):
    plan, db, _ = _store(store_db)
    links_batch = zz.batches(db).query("kind == 'links'")["batch_id"].iloc[0]
    zz.withdraw(links_batch, db=db)
    with Store(db) as s:
        assert s.links(plan.plan.id).empty and s.links().empty


def test_cli_withdraw_refusals_exit_2(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIZAO_DB", str(tmp_path / "cli.duckdb"))
    r = runner.invoke(app, ["data", "withdraw", "b_nope"])
    assert r.exit_code == 2 and "b_nope" in r.output and "zhizao data batches" in r.output
    assert "Traceback" not in r.output
    bundled = zz.batches(tmp_path / "cli.duckdb")["batch_id"].iloc[0]
    r = runner.invoke(app, ["data", "withdraw", bundled, "--lang", "en"])
    assert r.exit_code == 2 and "bundled batch cannot be withdrawn" in r.output


def test_cli_withdraw_and_list(store_db):
    plan, db, batch = _store(store_db)
    r = runner.invoke(app, ["data", "withdraw", batch, "--reason", "错误口径", "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert batch in r.output
    r = runner.invoke(app, ["data", "withdraw", batch, "--db", str(db)])
    assert r.exit_code == 2 and "已于" in r.output
    r = runner.invoke(app, ["data", "list", "--db", str(db), "--format", "csv"])
    assert r.exit_code == 0 and r.stdout.strip().count("\n") == 0  # header only
    r = runner.invoke(app, ["data", "list", "--include-withdrawn", "--db", str(db), "--format", "csv"])
    assert r.exit_code == 0 and "错误口径" in r.stdout
    r = runner.invoke(app, ["data", "batches", "--db", str(db), "--format", "csv"])
    assert r.exit_code == 0 and "错误口径" in r.stdout


def test_store_made_by_the_old_schema_is_upgraded(tmp_path):
    db = tmp_path / "old.duckdb"
    old_schema = SCHEMA.split("CREATE TABLE IF NOT EXISTS withdrawals")[0]
    con = duckdb.connect(str(db))
    con.execute(old_schema)
    con.execute("INSERT INTO batches VALUES ('b_old', 'import', 'x.csv', NULL, 0, now()::TIMESTAMP, NULL)")
    con.close()
    with Store(db, read_only=True) as s:  # a read-only reader of an old store: nothing withdrawn
        assert s.batches()["withdrawn_at"].isna().all() and s.observations().empty
    zz.withdraw("b_old", "test", db=db)
    assert zz.batches(db).set_index("batch_id").loc["b_old", "withdrawal_reason"] == "test"


def _plant_inf(db):
    """A row as an import before the fix stored it: value inf (from 1e400), plus a NaN."""
    with Store(db) as s:
        s.con.execute("INSERT INTO batches VALUES ('b_bad', 'import', 'bad.csv', NULL, 2, now()::TIMESTAMP, NULL)")
        s.con.execute("""INSERT INTO observations
            SELECT obs_id + 1000000, series, region, industry, period_type, 2024, month, '2024', 'inf'::DOUBLE,
                   qualifier, '1e400', unit, unit_original, price_basis, status, vintage, source_id, quote, note,
                   'b_bad', synthetic, basis, basis_from
            FROM observations WHERE series = '软件业务收入' ORDER BY obs_id LIMIT 1""")
        s.con.execute("""INSERT INTO observations
            SELECT obs_id + 2000000, series, region, industry, period_type, 2024, month, '2024', 'nan'::DOUBLE,
                   qualifier, 'nan', unit, unit_original, price_basis, status, vintage, source_id, quote, note,
                   'b_bad', synthetic, basis, basis_from
            FROM observations WHERE series = '软件业务收入' ORDER BY obs_id LIMIT 1""")


def test_store_holding_inf_still_assesses_and_reports(tmp_path):
    from zhizao.outputs.reports.content import build_content

    db = tmp_path / "inf.duckdb"
    zz.open_store(db).close()
    _plant_inf(db)
    plan = zz.load_plan()
    result = zz.assess(plan, db=db, year=2024)
    ignored = result["summary"]["ignored_values"]
    assert [(i["batch_id"], i["count"]) for i in ignored] == [("b_bad", 2)]
    assert "zhizao data withdraw b_bad" in ignored[0]["message"]
    soft = next(i for i in result["indicators"] if i["id"] == "software_revenue")
    assert soft["actual"] is None or abs(soft["actual"]) < 1e6
    obs = zz.observations(db)
    assert obs["value"].map(lambda v: abs(v) < float("inf")).all()
    report = build_content(result, obs, plan, "zh", None)
    assert report is not None
    r = runner.invoke(app, ["assess", "--db", str(db), "--year", "2024"])
    assert r.exit_code == 0 and "zhizao data withdraw b_bad" in r.output
    # Withdrawing the batch removes the note.
    zz.withdraw("b_bad", "1e400", db=db)
    assert zz.assess(plan, db=db, year=2024)["summary"]["ignored_values"] == []
