"""Enterprise data in the store (issue 13), on DuckDB and PostgreSQL: the six contract frames round-trip as
written; what is active is chosen per frame (registry, tags, parks) and per year (annual, srdi, green)
through imports, a revision of one year and withdrawals; a failed write leaves nothing; counts, backup and
restore carry the tables; an older store read without the tables has no enterprise data. Then the api:
enterprise_data and import_enterprise_data (with a stand-in reader where the ingest part has not landed)."""
from __future__ import annotations

import importlib

import sys
import types

import duckdb
import numpy as np
import pandas as pd
import pytest

import zhizao.api as zz
from zhizao import api_enterprise_data as ed
from zhizao.codes import uscc
from zhizao.errors import UserError
from zhizao.ingest.enterprise_frames import FRAMES, EnterpriseData, empty_frame
from zhizao.store import postgres
from zhizao.store.importing import ImportFailed
from zhizao.store.store import ENTERPRISE_TABLE_NAMES, ENTERPRISE_TABLES, SCHEMA, Store

from tests.ingest.chain_files import PLAN_ID, chain_plan_path, write_csv
from tests.table_files import SQL_TYPES, contract_frame, row_counts, stored_columns

E1, E2, E3, E4 = (uscc.make_code(d, f"MB{n:06d}") for n, d in enumerate(("990101", "990102", "990101", "990102"), 1))


@pytest.fixture
def plan_path(tmp_path):
    return chain_plan_path(tmp_path)


def frame(name: str, rows: list[dict]) -> pd.DataFrame:
    """A contract frame from partial rows: missing text is "", missing numbers NaN, year Int64."""
    return contract_frame(empty_frame(name), rows)


def registry(*ids, name_suffix="") -> pd.DataFrame:
    return frame("registry", [{"enterprise_id": e, "name": f"企业{i}{name_suffix}", "district": e[2:8],
                               "park": "P1" if i % 2 else "", "industry_class": "3610", "size": "small",
                               "established": "2015-03-01"} for i, e in enumerate(ids)])


def annual(years, value=100.0, ids=(E1, E2)) -> pd.DataFrame:
    return frame("annual", [{"enterprise_id": e, "year": y, "land_area": 10.0, "revenue": value, "tax": value / 10}
                            for y in years for e in ids])


def everything() -> dict[str, pd.DataFrame]:
    """All six frames, with what a store could spoil: commas, quotes and a newline in text, leading
    zeros, unknown numbers, a zero, a negative growth, huge and tiny numbers."""
    return {
        "registry": frame("registry", [
            {"enterprise_id": E1, "name": '河湾"精密",电机\n有限公司', "district": "990101", "park": "P1",
             "industry_class": "0610", "size": "small", "established": "2010-01-31"},
            {"enterprise_id": E2, "name": "西区绕组", "district": "990102"}]),
        "tags": frame("tags", [
            {"enterprise_id": E1, "tag": "srdi_sme", "level": "municipal", "acquired": "2021-06-30", "lost": "2024-06-30"},
            {"enterprise_id": E1, "tag": "little_giant", "level": "national", "acquired": "2024-07-01"},
            {"enterprise_id": E2, "tag": "above_scale", "acquired": "2019-12-31"}]),
        "annual": frame("annual", [
            {"enterprise_id": E1, "year": 2024, "land_area": 12.5, "revenue": 123456789.123456, "tax": 0.0,
             "energy": 1e-9, "obsolete_equipment": 1.0},
            {"enterprise_id": E2, "year": 2024, "revenue": 0.1 + 0.2, "tax": 1 / 3, "energy": 5e-324,
             "value_added": 1.7976931348623157e308}]),
        "srdi": frame("srdi", [
            {"enterprise_id": E1, "year": 2024, "niche_years": 5.0, "product_field": "key", "digital_level": 2.0,
             "ip_class": "1_high_value", "rd_institution": "", "local_points": 7.5, "direct_pass": ""}]),
        "parks": frame("parks", [
            {"park_id": "P1", "name": "东区工业园", "tier": "municipal_park", "districts": "990101;990102",
             "area": 3500.0, "leading_industries": "36;38", "target_investment_per_mu": 300.0,
             "target_tax_per_mu": 25.0}]),
        "green": frame("green", [
            {"area": "990100", "year": 2023, "energy": 1500.2, "water": 80000.0, "value_added": 3000.0,
             "va_real_growth": -1.5},
            {"area": "990101", "year": 2023, "energy": 700.0}]),
    }


def commit(db, frames, *, plan_id=PLAN_ID, file="enterprises.xlsx", **kw) -> str:
    with Store(db) as s:
        return s.commit_enterprises(plan_id, frames, file=file, sha256="0" * 64, **kw)


def read(db, plan_id=PLAN_ID):
    with Store(db, read_only=True) as s:
        return s.enterprise_frames(plan_id)


def table_rows(db) -> dict[str, int]:
    return row_counts(db, ENTERPRISE_TABLE_NAMES)


# --- the tables --------------------------------------------------------------------------------------
def test_each_table_has_the_contract_columns_then_batch_and_plan(store_db):
    got, pg = stored_columns(store_db)
    for name, table in ENTERPRISE_TABLES.items():
        expected = [(c, SQL_TYPES[str(d)][pg]) for c, d in empty_frame(name).dtypes.items()]
        text = SQL_TYPES["object"][pg]
        assert got[table] == [*expected, ("batch_id", text), ("plan_id", text)], table


def test_the_six_frames_read_back_as_written(store_db):
    frames = everything()
    batch_id = commit(store_db, frames, note="note", actor="analyst1", role="analyst", ip="10.0.0.9")
    got, info = read(store_db)
    for name in FRAMES:
        # exactly, dtypes too: text "", year Int64, every float bit for bit
        pd.testing.assert_frame_equal(got[name], frames[name], obj=name, check_exact=True)
    assert got["registry"].loc[1, "park"] == "" and np.isnan(got["annual"].loc[1, "land_area"])
    assert info["batch_ids"] == [batch_id] and info["files"] == ["enterprises.xlsx"]
    assert info["active"] == {"registry": batch_id, "tags": batch_id, "parks": batch_id, "annual": {2024: batch_id},
                              "srdi": {2024: batch_id}, "green": {2023: batch_id}}
    assert len(info["as_of"]) == 10 and info["imported_at"] is not None
    batch = zz.batches(store_db).set_index("batch_id").loc[batch_id]
    assert (batch["kind"], batch["rows"], batch["file"]) == ("enterprise", 11, "enterprises.xlsx")
    audit = zz.audit_log(store_db, action="import").iloc[0]
    assert (audit["target"], audit["actor"], audit["role"], audit["ip"]) == (batch_id, "analyst1", "analyst", "10.0.0.9")
    assert '"kind": "enterprise"' in audit["detail"] and '"registry": 2' in audit["detail"]


def test_an_import_of_some_frames_stores_only_those(store_db):
    batch_id = commit(store_db, {"green": everything()["green"]}, file="/data/x/green.csv")
    got, info = read(store_db)
    assert len(got["green"]) == 2 and all(got[n].empty for n in FRAMES if n != "green")
    assert list(got["registry"].columns) == list(FRAMES["registry"])
    assert info["active"] == {"green": {2023: batch_id}} and info["files"] == ["green.csv"]


# --- which data are active --------------------------------------------------------------------------
def test_active_data_per_frame_and_per_year_through_imports_a_revision_and_withdrawals(store_db):
    """b1: registry of 2, annual 2023–2024. b2: annual 2025 only (a year added). b3: registry of 4 and
    annual 2024 revised. Then b3 and b1 withdrawn, one after the other."""
    b1 = commit(store_db, {"registry": registry(E1, E2), "annual": annual([2023, 2024], 100.0),
                           "parks": everything()["parks"]}, file="2024.xlsx")
    b2 = commit(store_db, {"annual": annual([2025], 300.0)}, file="2025.xlsx")
    got, info = read(store_db)
    assert list(got["registry"]["enterprise_id"]) == [E1, E2]
    assert list(got["annual"]["year"]) == [2023, 2023, 2024, 2024, 2025, 2025]  # 2025 added, by year
    assert info["batch_ids"] == [b1, b2] and info["files"] == ["2024.xlsx", "2025.xlsx"]
    assert info["active"]["annual"] == {2023: b1, 2024: b1, 2025: b2}

    b3 = commit(store_db, {"registry": registry(E1, E2, E3, E4, name_suffix="（新）"),
                           "annual": annual([2024], 222.0, ids=(E1, E2, E3))}, file="revised.xlsx")
    got, info = read(store_db)
    assert list(got["registry"]["enterprise_id"]) == [E1, E2, E3, E4]  # the whole registry replaced
    by_year = got["annual"].groupby("year")["revenue"].agg(list).to_dict()
    assert by_year == {2023: [100.0, 100.0], 2024: [222.0, 222.0, 222.0], 2025: [300.0, 300.0]}
    assert info["active"]["annual"] == {2023: b1, 2024: b3, 2025: b2} and info["active"]["registry"] == b3
    assert info["active"]["parks"] == b1  # b3 has no parks: b1's stay
    assert info["batch_ids"] == [b1, b2, b3]
    assert table_rows(store_db)["ent_annual"] == 4 + 2 + 3  # the revised 2024 rows stay in b1

    zz.withdraw(b3, "wrong file", db=store_db)
    got, info = read(store_db)
    assert list(got["registry"]["name"]) == ["企业0", "企业1"]  # b1's registry again
    assert got["annual"].groupby("year")["revenue"].sum().to_dict() == {2023: 200.0, 2024: 200.0, 2025: 600.0}
    assert info["batch_ids"] == [b1, b2]

    zz.withdraw(b1, "also wrong", db=store_db)
    got, info = read(store_db)
    assert got["registry"].empty and got["parks"].empty and list(got["annual"]["year"].unique()) == [2025]
    assert info["batch_ids"] == [b2] and info["active"] == {"annual": {2025: b2}}
    assert table_rows(store_db)["ent_registry"] == 6  # withdrawn, never deleted


def test_each_plan_has_its_own_enterprise_data_and_other_batches_do_not_count(store_db, plan_path, tmp_path):
    zz.import_chain_data(write_csv(tmp_path), plan=plan_path, db=store_db)  # a chain batch of the same plan is not enterprise data
    mine = commit(store_db, {"registry": registry(E1)})
    other = commit(store_db, {"registry": registry(E2, E3)}, plan_id="riverton-other-2023-2027")
    got, info = read(store_db)
    assert list(got["registry"]["enterprise_id"]) == [E1] and info["batch_ids"] == [mine]
    got, info = read(store_db, "riverton-other-2023-2027")
    assert len(got["registry"]) == 2 and info["batch_ids"] == [other]
    got, info = read(store_db, "nobody")
    assert all(f.empty for f in got.values()) and info == {"batch_ids": [], "files": [], "imported_at": None,
                                                          "as_of": None, "active": {}}


def test_a_write_that_fails_half_way_leaves_neither_rows_nor_the_plan(store_db, plan_path, monkeypatch):
    import zhizao.store.pg_store as pg_module
    import zhizao.store.store as store_module

    zz.open_store(store_db).close()
    real = store_module.stored_enterprise_frame

    def failing(name, data, batch_id, plan_id):
        if name == "parks":  # after the plans row, the batch and three tables
            raise RuntimeError("disk full")
        return real(name, data, batch_id, plan_id)

    monkeypatch.setattr(store_module, "stored_enterprise_frame", failing)
    monkeypatch.setattr(pg_module, "stored_enterprise_frame", failing)
    text = plan_path.read_text(encoding="utf-8")
    batches = len(zz.batches(store_db))
    with pytest.raises(RuntimeError):
        commit(store_db, everything(), register=(PLAN_ID, "河湾", "file", str(plan_path), text))
    assert table_rows(store_db) == dict.fromkeys(ENTERPRISE_TABLE_NAMES, 0)
    assert len(zz.batches(store_db)) == batches
    with Store(store_db, read_only=True) as s:
        assert PLAN_ID not in list(s.plans()["plan_id"])


def test_frames_not_of_the_contract_are_a_programming_error(store_db):
    with pytest.raises(ValueError, match="not enterprise frames"):
        commit(store_db, {"companies": registry(E1)})
    with pytest.raises(ValueError, match="lacks"):
        commit(store_db, {"registry": registry(E1).drop(columns=["size"])})
    assert table_rows(store_db) == dict.fromkeys(ENTERPRISE_TABLE_NAMES, 0)


# --- status, backup, older stores --------------------------------------------------------------------
def test_counts_and_db_status_count_the_enterprise_tables(store_db):
    with Store(store_db) as s:
        before = s.counts()
    assert {k: before[k] for k in (*ENTERPRISE_TABLE_NAMES, "enterprise_batches")} == dict.fromkeys(
        (*ENTERPRISE_TABLE_NAMES, "enterprise_batches"), 0)
    commit(store_db, everything())
    commit(store_db, {"annual": annual([2025])})
    with Store(store_db, read_only=True) as s:
        after = s.counts()
    assert {t: after[t] for t in ENTERPRISE_TABLE_NAMES} == {
        "ent_registry": 2, "ent_tags": 3, "ent_annual": 4, "ent_srdi": 1, "ent_parks": 1, "ent_green": 2}
    assert after["enterprise_batches"] == 2 and after["batches"] == before["batches"] + 2
    assert after["chain_batches"] == 0 and after["observations"] == before["observations"]
    status = zz.store_status(store_db)["counts"]
    assert status["ent_annual"] == 4 and status["enterprise_batches"] == 2


def test_backup_and_restore_carry_the_enterprise_tables(store_db, tmp_path):
    b1 = commit(store_db, everything())
    b2 = commit(store_db, {"annual": annual([2024], 999.0)})
    zz.withdraw(b2, "test", db=store_db)
    before, info = read(store_db)
    manifest = zz.backup(store_db, tmp_path / "b.zip")
    assert {t: manifest["tables"][t]["rows"] for t in ENTERPRISE_TABLE_NAMES} == {
        "ent_registry": 2, "ent_tags": 3, "ent_annual": 4, "ent_srdi": 1, "ent_parks": 1, "ent_green": 2}
    assert manifest["schema_revision"] == postgres.head_revision()
    target = tmp_path / "copy.duckdb"  # DuckDB → DuckDB, PostgreSQL → DuckDB
    zz.restore(target, tmp_path / "b.zip")
    after, after_info = read(target)
    assert after_info["batch_ids"] == [b1] == info["batch_ids"]
    for name in FRAMES:
        pd.testing.assert_frame_equal(after[name], before[name], obj=name)
    assert table_rows(target) == table_rows(store_db)
    zz.restore(store_db, tmp_path / "b.zip", force=True)  # and back over the original, replacing it
    assert table_rows(store_db) == table_rows(target)
    again, _ = read(store_db)
    pd.testing.assert_frame_equal(again["registry"], everything()["registry"])


def test_a_duckdb_backup_restores_into_postgresql(tmp_path, pg_url):
    duck = tmp_path / "s.duckdb"
    commit(duck, everything())
    zz.backup(duck, tmp_path / "b.zip")
    zz.restore(pg_url, tmp_path / "b.zip")
    got, info = read(pg_url)
    for name, expected in everything().items():
        pd.testing.assert_frame_equal(got[name], expected, obj=name)


def test_an_older_duckdb_file_read_only_has_no_enterprise_data_and_gains_the_tables_when_written(tmp_path):
    db = tmp_path / "old.duckdb"
    old = SCHEMA.split("-- Enterprise data")[0]
    assert "ent_registry" not in old
    con = duckdb.connect(str(db))
    con.execute(old)
    con.close()
    with Store(db, read_only=True) as s:
        frames, info = s.enterprise_frames(PLAN_ID)
        counts = s.counts()
    assert all(f.empty for f in frames.values()) and info["batch_ids"] == []
    assert counts["ent_registry"] == counts["enterprise_batches"] == 0
    status = zz.store_status(db)
    assert not status["up_to_date"] and status["counts"]["ent_annual"] == 0  # db status: older, no crash
    commit(db, {"registry": registry(E1)})  # opened for writing: the tables are made
    assert len(read(db)[0]["registry"]) == 1 and zz.store_status(db)["up_to_date"]


def test_an_older_postgresql_database_read_only_has_no_enterprise_data(pg_url):
    postgres.upgrade(pg_url, "0003")
    with Store(pg_url, read_only=True) as s:
        frames, info = s.enterprise_frames(PLAN_ID)
        counts = s.counts()
    assert all(f.empty for f in frames.values()) and info["batch_ids"] == []
    assert counts["ent_annual"] == 0 and postgres.current_revision(pg_url) == "0003"  # a reader does not migrate
    commit(pg_url, {"registry": registry(E1)})  # a writer migrates to the head (0004 and later)
    assert postgres.current_revision(pg_url) == postgres.head_revision() and len(read(pg_url)[0]["registry"]) == 1


# --- the api -------------------------------------------------------------------------------------------
def test_enterprise_data_is_the_active_imported_data(store_db, plan_path):
    first = commit(store_db, everything(), file="/tmp/a/enterprises.xlsx")
    second = commit(store_db, {"annual": annual([2025])}, file="/tmp/a/annual-2025.csv")
    data = ed.enterprise_data(store_db, plan_path)
    assert isinstance(data, EnterpriseData) and not data.synthetic
    assert data.batch_id == second and data.source == "enterprises.xlsx, annual-2025.csv"
    assert sorted(data.annual["year"].unique()) == [2024, 2025] and len(data.registry) == 2
    assert data.as_of == read(store_db)[1]["as_of"]
    assert ed.enterprise_source_words(data, "en") == ("enterprises.xlsx, annual-2025.csv", "")
    assert first != second


def test_without_imported_data_enterprise_data_is_the_synthetic_default(tmp_path, plan_path):
    synth = importlib.import_module("zhizao.synth.enterprises")
    db = tmp_path / "none.duckdb"  # no store: reading creates none
    data = ed.enterprise_data(db, plan_path)
    assert data.synthetic and data.batch_id is None and not db.exists()
    default = synth.default_enterprise_data(zz.resolve_plan(plan_path, db, register=False))
    # the synth default hands each caller its own copies of the frames: equal, not the same object
    assert (data.source, data.as_of) == (default.source, default.as_of) and len(data.registry)
    for name in FRAMES:
        pd.testing.assert_frame_equal(data.frame(name), default.frame(name))
    b = commit(db, {"registry": registry(E1)})
    assert ed.enterprise_data(db, plan_path).batch_id == b
    zz.withdraw(b, "test", db=db)
    assert ed.enterprise_data(db, plan_path).synthetic  # withdrawn: the default again


def test_source_words_of_synthetic_data():
    attrs = {"synthetic": True, "source": "合成数据（演示用）：zhizao synth enterprises, seed 0；按公开汇总校准 / calibrated"}
    assert ed.enterprise_source_words(attrs, "zh") == ("zhizao synth enterprises, seed 0", "按公开汇总校准")
    assert ed.enterprise_source_words(attrs, "en") == ("zhizao synth enterprises, seed 0", "calibrated")
    plain = {"synthetic": True, "source": "合成数据 zhizao synth enterprises, seed 0"}
    assert ed.enterprise_source_words(plain, "en") == ("zhizao synth enterprises, seed 0", "")


@pytest.fixture
def stand_in_reader(monkeypatch):
    """zhizao.ingest.enterprises as the contract describes it, for the import's own wiring (plan
    registration, all or nothing, `existing`), while the ingest part has not landed: returns the frames
    or the problems it is given, and records what it was called with."""
    calls = []
    module = types.ModuleType("zhizao.ingest.enterprises")

    def read_enterprise_files(paths, plan, *, existing=None, progress=None):
        calls.append({"paths": paths, "plan": plan.plan.id, "existing": existing})
        return module.answer

    module.read_enterprise_files = read_enterprise_files
    module.answer = (everything(), [], "f" * 64)
    monkeypatch.setitem(sys.modules, "zhizao.ingest.enterprises", module)
    return module, calls


def test_an_import_commits_one_batch_and_registers_its_plan(store_db, plan_path, tmp_path, stand_in_reader):
    module, calls = stand_in_reader
    zz.open_store(store_db).close()
    result = ed.import_enterprise_data([tmp_path / "e.xlsx"], plan=str(plan_path), db=store_db,
                                       actor="analyst1", role="analyst", ip="10.0.0.9")
    assert result["plan_id"] == PLAN_ID and result["file"] == str(tmp_path / "e.xlsx")
    assert {n: result[n] for n in FRAMES} == {"registry": 2, "tags": 3, "annual": 2, "srdi": 1, "parks": 1, "green": 2}
    assert calls[0]["existing"] is None  # nothing imported yet: never the synthetic default
    assert zz.resolve_plan(PLAN_ID, store_db, register=False).plan.id == PLAN_ID  # registered by the import
    data = ed.enterprise_data(store_db, PLAN_ID)
    assert data.batch_id == result["batch_id"] and data.source == "e.xlsx"
    module.answer = ({"annual": annual([2025])}, [], "e" * 64)
    second = ed.import_enterprise_data(tmp_path / "a.csv", plan=PLAN_ID, db=store_db)
    assert calls[1]["existing"].batch_id == result["batch_id"]  # references checked against the imported data
    assert second["frames"] == ["annual"] and second["registry"] == 0 and second["annual"] == 2
    assert (zz.audit_log(store_db, action="plan_register")["target"] == PLAN_ID).sum() == 1


def test_a_refused_import_stores_and_registers_nothing(store_db, plan_path, tmp_path, stand_in_reader):
    from zhizao.ingest.table import ImportProblem

    module, _ = stand_in_reader
    problem = ImportProblem(file="e.xlsx", row=3, column="统一社会信用代码", value="91990101MB0000011X",
                            code="bad_credit_code", message_zh="校验码错误", message_en="wrong check character")
    module.answer = ({}, [problem], "f" * 64)
    zz.open_store(store_db).close()
    with pytest.raises(ImportFailed) as e:
        ed.import_enterprise_data([tmp_path / "e.xlsx"], plan=str(plan_path), db=store_db)
    assert e.value.problems == [problem]
    module.answer = ({"registry": empty_frame("registry")}, [], "f" * 64)  # headers only: nothing to store
    with pytest.raises(UserError) as e:
        ed.import_enterprise_data([tmp_path / "e.xlsx"], plan=str(plan_path), db=store_db)
    assert "没有企业数据" in e.value.reason_zh and "no enterprise data" in e.value.reason_en
    assert table_rows(store_db) == dict.fromkeys(ENTERPRISE_TABLE_NAMES, 0)
    with Store(store_db, read_only=True) as s:
        assert PLAN_ID not in list(s.plans()["plan_id"])


def test_importing_a_real_workbook(store_db, plan_path, tmp_path):
    """The ingest part's reader on one workbook of six sheets (English headers), read back from the store."""
    frames = everything()
    # what a store keeps but an import refuses: a line break in a name, an amount beyond the import's bound
    frames["registry"].loc[0, "name"] = '河湾"精密",电机有限公司'
    frames["annual"].loc[1, "value_added"] = 1e12
    path = tmp_path / "enterprises.xlsx"
    sheets = {"registry": "企业名录", "tags": "企业标签", "annual": "年度指标", "srdi": "专精特新", "parks": "园区",
              "green": "能耗水耗"}
    with pd.ExcelWriter(path) as xl:
        for name, sheet in sheets.items():
            frames[name].to_excel(xl, sheet_name=sheet, index=False)
    result = ed.import_enterprise_data(path, plan=plan_path, db=store_db)
    data = ed.enterprise_data(store_db, plan_path)
    assert data.batch_id == result["batch_id"] and not data.synthetic
    for name in FRAMES:
        assert len(data.frame(name)) == len(frames[name]), name
    assert set(data.registry["enterprise_id"]) == {E1, E2}
    assert data.registry.set_index("enterprise_id").loc[E2, "industry_class"] == ""  # a blank industry is unknown
    assert data.registry.set_index("enterprise_id").loc[E1, "industry_class"] == "0610"


def test_the_cli_lists_and_withdraws_an_enterprise_batch(store_db, capsys, monkeypatch):
    """`zhizao data batches` names the kind in words; `zhizao data withdraw BATCH` stops it counting."""
    from tests.outputs.cli_support import run_main

    batch_id = commit(store_db, everything())
    code, out, err = run_main(["data", "batches", "--db", str(store_db)], capsys, monkeypatch)
    assert code == 0 and "企业数据" in out, err
    code, out, err = run_main(["data", "withdraw", batch_id, "--reason", "错文件", "--db", str(store_db)],
                              capsys, monkeypatch)
    assert code == 0, err
    frames, info = read(store_db)
    assert info["batch_ids"] == [] and all(f.empty for f in frames.values())
    assert table_rows(store_db)["ent_registry"] == 2
