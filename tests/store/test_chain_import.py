"""Chain data in the store, on DuckDB and PostgreSQL: an import is one batch for one plan, read back as
imported; a bad file stores nothing; a withdrawal makes the previous batch active again; a plan
without chains is refused; backup and restore carry the chain tables."""
from __future__ import annotations

import pandas as pd
import pytest

import zhizao.api as zz
from zhizao.errors import UserError
from zhizao.store.importing import ImportFailed
from zhizao.store.store import CHAIN_TABLE_NAMES, Store

from tests.ingest.chain_files import A, D, PLAN_ID, chain_plan_path, tables, write_csv, write_xlsx


@pytest.fixture
def plan_path(tmp_path):
    return chain_plan_path(tmp_path)


def _chain_rows(db) -> dict[str, int]:
    with Store(db) as s:
        if s.backend == "postgresql":
            return {t: s._pg.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in CHAIN_TABLE_NAMES}
        return {t: s.con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in CHAIN_TABLE_NAMES}


def test_import_round_trip_and_audit(store_db, plan_path, tmp_path):
    before = zz.chain_data(store_db, plan_path)
    assert before.batch_id is None  # nothing imported: the (synthetic) default
    paths = write_csv(tmp_path)
    result = zz.import_chain_data(paths, plan=plan_path, db=store_db, actor="analyst1", role="analyst", ip="10.0.0.9")
    assert (result["enterprises"], result["members"], result["supply"]) == (5, 5, 4)
    assert result["plan_id"] == PLAN_ID
    data = zz.chain_data(store_db, plan_path)
    assert not data.synthetic and data.batch_id == result["batch_id"]
    assert data.source == "enterprises.csv, members.csv, supply.csv" and len(data.as_of) == 10
    from zhizao.ingest.chains import read_chain_files
    from zhizao.plan.load import load_plan

    expected, _, _ = read_chain_files(paths, load_plan(plan_path))
    for got, table in ((data.enterprises, "chain_enterprises"), (data.members, "chain_members"),
                       (data.supply, "chain_supply")):
        pd.testing.assert_frame_equal(got, expected[table], check_dtype=False)
    assert data.enterprises.set_index("enterprise_id").loc["JP-NIDEC-01", "district"] is None
    assert pd.isna(data.enterprises.set_index("enterprise_id").loc[tables()["enterprises"][3][0], "output"])
    batch = zz.batches(store_db).set_index("batch_id").loc[result["batch_id"]]
    assert batch["kind"] == "chain" and batch["rows"] == 14
    audit = zz.audit_log(store_db, action="import").iloc[0]
    assert (audit["target"], audit["actor"], audit["role"], audit["ip"]) == (result["batch_id"], "analyst1",
                                                                               "analyst", "10.0.0.9")
    assert '"kind": "chain"' in audit["detail"] and f'"plan_id": "{PLAN_ID}"' in audit["detail"]


@pytest.mark.parametrize("case", ["self-loop", "share sum", "unknown link"])
def test_a_bad_file_is_refused_whole_and_nothing_is_stored(case, store_db, plan_path, tmp_path):
    change, code, row, column = {
        "self-loop": ({"supply": lambda r: r.append([D, D, "motors", "motor", "10"])}, "self_loop", 6, "采购商代码"),
        "share sum": ({"supply": lambda r: r.append(["JP-NIDEC-01", D, "motors", "magnets", "80"])},
                      "share_over_100", 6, "占需求比重(%)"),
        "unknown link": ({"members": lambda r: r.append([A, "motors", "芯片", "配套", ""])}, "unknown_link", 7, "环节"),
    }[case]
    zz.open_store(store_db).close()
    batches = len(zz.batches(store_db))
    with pytest.raises(ImportFailed) as e:
        zz.import_chain_data([write_xlsx(tmp_path, tables(**change))], plan=plan_path, db=store_db)
    assert [(p.code, p.row, p.column) for p in e.value.problems] == [(code, row, column)]
    assert len(zz.batches(store_db)) == batches
    assert _chain_rows(store_db) == dict.fromkeys(CHAIN_TABLE_NAMES, 0)


def test_withdrawing_the_active_batch_makes_the_previous_one_active(store_db, plan_path, tmp_path):
    first = zz.import_chain_data(write_csv(tmp_path), plan=plan_path, db=store_db)
    fewer = tables(supply=lambda rows: rows.pop())
    second = zz.import_chain_data([write_xlsx(tmp_path, fewer)], plan=plan_path, db=store_db)
    data = zz.chain_data(store_db, plan_path)
    assert data.batch_id == second["batch_id"] and len(data.supply) == 3 and data.source == "chains.xlsx"
    zz.withdraw(second["batch_id"], "wrong file", db=store_db)
    data = zz.chain_data(store_db, plan_path)
    assert data.batch_id == first["batch_id"] and len(data.supply) == 4  # the older batch was kept
    zz.withdraw(first["batch_id"], "also wrong", db=store_db)
    assert zz.chain_data(store_db, plan_path).batch_id is None
    assert _chain_rows(store_db)["chain_supply"] == 7  # withdrawn, never deleted


def test_each_plan_has_its_own_chain_data(store_db, plan_path, tmp_path):
    zz.import_chain_data(write_csv(tmp_path), plan=plan_path, db=store_db)
    text = plan_path.read_text(encoding="utf-8").replace(PLAN_ID, "riverton-other-2023-2027")
    other = tmp_path / "other.yaml"
    other.write_text(text, encoding="utf-8")
    assert zz.chain_data(store_db, other).batch_id is None


def test_a_plan_without_chains_is_refused_and_reads_empty(store_db, tmp_path):
    plan = chain_plan_path(tmp_path, chains=False)
    with pytest.raises(UserError) as e:
        zz.import_chain_data(write_csv(tmp_path), plan=plan, db=store_db)
    assert "本规划未列产业链图谱" in e.value.reason_zh and "no chain maps" in e.value.reason_en
    data = zz.chain_data(store_db, plan)
    assert data.is_empty and not data.synthetic and "本规划未列产业链图谱" in data.source


def test_backup_and_restore_carry_the_chain_tables(store_db, plan_path, tmp_path):
    first = zz.import_chain_data(write_csv(tmp_path), plan=plan_path, db=store_db)
    second = zz.import_chain_data([write_xlsx(tmp_path)], plan=plan_path, db=store_db)
    zz.withdraw(second["batch_id"], "test", db=store_db)
    before = zz.chain_data(store_db, plan_path)
    manifest = zz.backup(store_db, tmp_path / "b.zip")
    assert {t: manifest["tables"][t]["rows"] for t in CHAIN_TABLE_NAMES} == \
        {"chain_enterprises": 10, "chain_members": 10, "chain_supply": 8}
    target = tmp_path / "copy.duckdb"  # DuckDB → DuckDB, PostgreSQL → DuckDB
    zz.restore(target, tmp_path / "b.zip")
    after = zz.chain_data(target, plan_path)
    assert after.batch_id == first["batch_id"] == before.batch_id
    for a, b in ((before.enterprises, after.enterprises), (before.members, after.members),
                 (before.supply, after.supply)):
        pd.testing.assert_frame_equal(a, b, check_dtype=False)
    assert _chain_rows(target) == _chain_rows(store_db)
    zz.restore(store_db, tmp_path / "b.zip", force=True)  # and back over the original, replacing it
    assert _chain_rows(store_db) == _chain_rows(target)


def test_counts_and_db_status_count_the_chain_tables(store_db, plan_path, tmp_path):
    """Store.counts / `zhizao db status`: rows of each chain table and the chain batches, on both backends
    (PostgreSQL counts them in PostgreSQL: the chain tables are not in the statistics snapshot)."""
    with Store(store_db) as s:
        before = s.counts()
    assert {k: before[k] for k in (*CHAIN_TABLE_NAMES, "chain_batches")} == dict.fromkeys(
        (*CHAIN_TABLE_NAMES, "chain_batches"), 0)
    zz.import_chain_data(write_csv(tmp_path), plan=plan_path, db=store_db)
    zz.import_chain_data(write_csv(tmp_path), plan=plan_path, db=store_db)  # a second batch: rows add up
    with Store(store_db, read_only=True) as s:
        after = s.counts()
    assert (after["chain_enterprises"], after["chain_members"], after["chain_supply"]) == (10, 10, 8)
    assert after["chain_batches"] == 2 and after["batches"] == before["batches"] + 2
    assert after["observations"] == before["observations"]  # the statistics' counts are unchanged
    status = zz.store_status(store_db)["counts"]
    assert status["chain_supply"] == 8 and status["chain_batches"] == 2


def _registered(db) -> list[str]:
    with Store(db, read_only=True) as s:
        return list(s.plans()["plan_id"])


def test_a_chain_import_registers_its_plan_so_the_id_works_after(store_db, plan_path, tmp_path):
    """A plan named by path is registered by the import (as `zhizao data import` does): its id then
    finds the plan and its chain data, and `plans()` lists it as in the store."""
    zz.open_store(store_db).close()
    result = zz.import_chain_data(write_csv(tmp_path), plan=str(plan_path), db=store_db)
    assert PLAN_ID in _registered(store_db)
    assert zz.resolve_plan(PLAN_ID, store_db, register=False).plan.id == PLAN_ID
    assert zz.chain_data(store_db, PLAN_ID).batch_id == result["batch_id"]
    listed = zz.plans(store_db).set_index("id")
    assert listed.loc[PLAN_ID, "in_store"] and listed.loc[PLAN_ID, "registered_at"] is not None
    assert (zz.audit_log(store_db, action="plan_register")["target"] == PLAN_ID).sum() == 1
    zz.import_chain_data(write_csv(tmp_path), plan=str(plan_path), db=store_db)  # unchanged: no second row
    assert (zz.audit_log(store_db, action="plan_register")["target"] == PLAN_ID).sum() == 1


def test_a_refused_chain_import_registers_nothing(store_db, plan_path, tmp_path):
    zz.open_store(store_db).close()
    bad = tables(supply=lambda r: r.append([D, D, "motors", "motor", "10"]))
    with pytest.raises(ImportFailed):
        zz.import_chain_data([write_xlsx(tmp_path, bad)], plan=str(plan_path), db=store_db)
    assert PLAN_ID not in _registered(store_db)


def test_the_plan_is_registered_in_the_same_transaction_as_the_data(store_db, plan_path, tmp_path, monkeypatch):
    """A write that fails half way leaves neither the chain rows nor the plan."""
    import zhizao.store.pg_store as pg_module
    import zhizao.store.store as store_module

    zz.open_store(store_db).close()
    real = store_module.stored_chain_frame

    def failing(frame, cols, batch_id, plan_id):
        if "supplier_id" in cols:  # after the plans row and the first two tables
            raise RuntimeError("disk full")
        return real(frame, cols, batch_id, plan_id)

    monkeypatch.setattr(store_module, "stored_chain_frame", failing)
    monkeypatch.setattr(pg_module, "stored_chain_frame", failing)
    with pytest.raises(RuntimeError):
        zz.import_chain_data(write_csv(tmp_path), plan=str(plan_path), db=store_db)
    assert PLAN_ID not in _registered(store_db)
    assert _chain_rows(store_db) == dict.fromkeys(CHAIN_TABLE_NAMES, 0)


def test_a_three_csv_batch_names_every_file_and_as_of_is_the_display_date(store_db, plan_path, tmp_path, monkeypatch):
    """`zhizao data batches` shows Path(file).name: a three-CSV import's batch names all three (the full
    paths stay in the audit detail); as_of is the import's date in the display time zone (the batch list's)."""
    from datetime import datetime
    from pathlib import Path

    from zhizao.store import pg_store, store as store_module

    # 20:30 UTC is the next day in Beijing: the UTC date would be a day behind the batch list
    for module in (store_module, pg_store):
        monkeypatch.setattr(module, "_utcnow", lambda: datetime(2026, 3, 31, 20, 30))
    monkeypatch.setenv("ZHIZAO_TIME_ZONE", "Asia/Shanghai")
    paths = write_csv(tmp_path)
    result = zz.import_chain_data(paths, plan=plan_path, db=store_db)
    batch = zz.batches(store_db).set_index("batch_id").loc[result["batch_id"]]
    assert Path(batch["file"]).name == "enterprises.csv | members.csv | supply.csv"
    audit = zz.audit_log(store_db, action="import").iloc[0]
    assert str(paths[0]) in audit["detail"]
    assert zz.chain_data(store_db, plan_path).as_of == "2026-04-01"
