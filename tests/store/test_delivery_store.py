"""Plan-delivery data in the store (issue 14), on DuckDB and PostgreSQL: the seven contract frames round-trip
as written; the active row is chosen per KEY (an import is an upsert, an edit supersedes one key, a withdrawal
brings the previous version back); history keeps every version with its kind and actor; ids of new reports
and problems are assigned in the write; a failed write leaves nothing; counts, backup and restore carry the
tables; an older store (before 0005) reads as empty and gains the tables when written."""
from __future__ import annotations

import re

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings as hsettings, strategies as st

import zhizao.api as zz
from zhizao.ingest.delivery_frames import FRAMES, HISTORY_COLUMNS, empty_frame
from zhizao.store import postgres
from zhizao.store.delivery import (DELIVERY_TABLE_NAMES, DELIVERY_TABLES, _text, batches_frame, delivery_frame,
                                   history_frame, versions)
from zhizao.store.store import SCHEMA, Store

from tests.table_files import SQL_TYPES, contract_frame, row_counts, stored_columns

PLAN_ID = "riverton-industry-2023-2027"


def frame(name: str, rows: list[dict]) -> pd.DataFrame:
    """A contract frame from partial rows: missing text is "", missing numbers NaN, ints Int64."""
    return contract_frame(empty_frame(name), rows)


def project(pid: str, **kw) -> dict:
    return {"project_id": pid, "name": f"项目{pid}", "district": "990101", "investor": "某公司",
            "planned_investment": 1000.0, "planned_signed": "2024-01-10", "planned_started": "2024-03-01",
            "signed": "2024-01-12", "status": "active", **kw}


def everything() -> dict[str, pd.DataFrame]:
    """All seven frames, with what a store could spoil: commas, quotes and a newline in text, leading
    zeros, unknown numbers, a zero, tiny and huge numbers."""
    return {
        "projects": frame("projects", [
            project("P-001", name='河湾"精密",电机\n项目', planned_output=0.0, park="P01", chain="motor",
                    link="winding", cluster="equipment", investor_id="0123"),
            project("P-002", planned_investment=1 / 3, signed="", status="suspended", note="暂缓，待用地")]),
        "project_progress": frame("project_progress", [
            {"project_id": "P-001", "year": 2024, "month": 1, "investment": 0.1 + 0.2},
            {"project_id": "P-001", "year": 2024, "month": 2, "investment": 1.7976931348623157e308, "output": 5e-324}]),
        "problems": frame("problems", [
            {"problem_id": "Q-1", "enterprise_name": "西区绕组", "district": "990102", "category": "land",
             "description": "用地指标不足；需协调", "department": "economy_it", "raised": "2024-05-01",
             "deadline": "2024-06-30", "status": "open"}]),
        "work_items": frame("work_items", [
            {"item_id": "W1", "task": "t1", "title": "推进电机产业链", "lead": "economy_it;990101",
             "cooperating": "", "start": "2024-01-01", "deadline": "2025-12-31", "basis": "user"}]),
        "milestones": frame("milestones", [{"item_id": "W1", "seq": 1, "due": "2024-12-31", "text": "完成规划"},
                                           {"item_id": "W1", "seq": 2, "due": "2025-06-30", "text": "投产"}]),
        "progress_reports": frame("progress_reports", [
            {"report_id": "R1", "item_id": "W1", "date": "2024-06-30", "completion": 0.0, "text": "启动",
             "attachments": "a.pdf;https://x.example/b", "reporter": "张三"}]),
        "departments": frame("departments", [{"department_id": "economy_it", "name": "市经济信息委",
                                              "name_en": "Economy and IT Commission", "kind": "department",
                                              "aliases": "经信委;市经信委"}]),
    }


def commit(db, frames, *, plan_id=PLAN_ID, file="delivery.xlsx", kind="delivery", **kw) -> str:
    with Store(db) as s:
        return s.commit_delivery(plan_id, frames, kind=kind, file=file, sha256=None if file is None else "0" * 64, **kw)


def read(db, plan_id=PLAN_ID):
    with Store(db, read_only=True) as s:
        return s.delivery_frames(plan_id)


def history(db, frame_name=None, key=None, plan_id=PLAN_ID):
    with Store(db, read_only=True) as s:
        return s.delivery_history(plan_id, frame_name, key)


def table_rows(db) -> dict[str, int]:
    return row_counts(db, DELIVERY_TABLE_NAMES)


# --- the tables --------------------------------------------------------------------------------------
def test_each_table_has_the_contract_columns_then_batch_and_plan(store_db):
    got, pg = stored_columns(store_db)
    for name, table in DELIVERY_TABLES.items():
        expected = [(c, SQL_TYPES[str(d)][pg]) for c, d in empty_frame(name).dtypes.items()]
        text = SQL_TYPES["object"][pg]
        assert got[table] == [*expected, ("batch_id", text), ("plan_id", text)], table


def test_the_seven_frames_read_back_as_written(store_db):
    frames = everything()
    batch_id = commit(store_db, frames, note="note", actor="analyst1", role="analyst", ip="10.0.0.9")
    got, info = read(store_db)
    for name in FRAMES:  # exactly, dtypes too: text "", Int64, every float bit for bit
        pd.testing.assert_frame_equal(got[name], frames[name], obj=name, check_exact=True)
    assert got["projects"].loc[1, "signed"] == "" and got["projects"].loc[0, "planned_output"] == 0.0
    assert np.isnan(got["projects"].loc[1, "planned_output"])
    assert info["batch_ids"] == [batch_id] and info["files"] == ["delivery.xlsx"]
    assert info["frames_present"] == list(FRAMES) and info["active"]["milestones"] == [batch_id]
    batch = zz.batches(store_db).set_index("batch_id").loc[batch_id]
    assert (batch["kind"], batch["rows"], batch["file"]) == ("delivery", 10, "delivery.xlsx")
    audit = zz.audit_log(store_db, action="import").iloc[0]
    assert (audit["target"], audit["actor"], audit["role"], audit["ip"]) == (batch_id, "analyst1", "analyst", "10.0.0.9")
    assert '"kind": "delivery"' in audit["detail"] and '"projects": 2' in audit["detail"]
    h = history(store_db, "project_progress")
    assert list(h["key"]) == ["P-001/2024/1", "P-001/2024/2"]
    assert h["values"].iloc[0] == {"project_id": "P-001", "year": 2024, "month": 1, "investment": 0.1 + 0.2,
                                   "output": None}  # plain Python values; an unknown number is None


def test_an_import_is_an_upsert_per_key_and_keys_keep_their_first_order(store_db):
    b1 = commit(store_db, {"projects": frame("projects", [project("P-001"), project("P-002"), project("P-003")]),
                           "project_progress": everything()["project_progress"]}, file="first.xlsx")
    b2 = commit(store_db, {"projects": frame("projects", [project("P-004"), project("P-002", name="改名")])},
                file="second.xlsx")
    got, info = read(store_db)
    assert list(got["projects"]["project_id"]) == ["P-001", "P-002", "P-003", "P-004"]
    assert list(got["projects"]["name"]) == ["项目P-001", "改名", "项目P-003", "项目P-004"]  # unlisted keys stay
    assert len(got["project_progress"]) == 2  # a frame the second import does not hold stays whole
    assert info["batch_ids"] == [b1, b2] and info["files"] == ["first.xlsx", "second.xlsx"]
    assert info["active"]["projects"] == sorted([b1, b2]) and info["active"]["project_progress"] == [b1]
    assert got["problems"].empty and list(got["problems"].columns) == list(FRAMES["problems"])
    assert table_rows(store_db)["dl_projects"] == 5  # the older P-002 stays stored


def test_an_edit_supersedes_one_key_and_history_names_kind_and_actor(store_db):
    b1 = commit(store_db, {"projects": frame("projects", [project("P-001"), project("P-002")])}, actor="importer")
    edit = commit(store_db, {"projects": frame("projects", [project("P-002", started="2024-03-05")])},
                  kind="delivery_edit", file=None, actor="district1", role="district")
    got, info = read(store_db)
    assert list(got["projects"]["started"]) == ["", "2024-03-05"]
    assert info["batch_ids"] == [b1, edit] and info["files"] == ["delivery.xlsx"]  # the edit names no file
    h = history(store_db, "projects", "P-002")
    assert list(h.columns) == [*HISTORY_COLUMNS, "values"]
    assert list(h["batch_id"]) == [b1, edit] and list(h["kind"]) == ["delivery", "delivery_edit"]
    assert list(h["actor"]) == ["importer", "district1"] and not h["withdrawn"].any()
    assert [v["started"] for v in h["values"]] == ["", "2024-03-05"] and h["recorded_at"].is_monotonic_increasing
    assert list(history(store_db, "projects")["key"]) == ["P-001", "P-002", "P-002"]
    assert history(store_db, "problems").empty
    audit = zz.audit_log(store_db, action="edit").iloc[0]
    assert audit["target"] == edit and '"keys": ["projects:P-002"]' in audit["detail"]
    assert zz.batches(store_db).set_index("batch_id").loc[edit, "kind"] == "delivery_edit"


def test_withdrawing_an_edit_restores_the_previous_version(store_db):
    commit(store_db, {"projects": frame("projects", [project("P-001")])})
    edit = commit(store_db, {"projects": frame("projects", [project("P-001", status="cancelled")])},
                  kind="delivery_edit", file=None)
    assert read(store_db)[0]["projects"].loc[0, "status"] == "cancelled"
    zz.withdraw(edit, "误操作", db=store_db)
    got, info = read(store_db)
    assert got["projects"].loc[0, "status"] == "active" and edit not in info["batch_ids"]
    h = history(store_db, "projects", "P-001")
    assert list(h["withdrawn"]) == [False, True]  # kept, marked withdrawn
    # an edit that created a key: withdrawn, the key is gone
    new = commit(store_db, {"problems": everything()["problems"]}, kind="delivery_edit", file=None)
    assert len(read(store_db)[0]["problems"]) == 1
    zz.withdraw(new, "test", db=store_db)
    got, info = read(store_db)
    assert got["problems"].empty and "problems" not in info["frames_present"]


def test_each_plan_has_its_own_delivery_data(store_db):
    mine = commit(store_db, {"projects": frame("projects", [project("P-001")])})
    other = commit(store_db, {"projects": frame("projects", [project("P-001", name="另一规划")])}, plan_id="other")
    assert read(store_db)[0]["projects"].loc[0, "name"] == "项目P-001" and read(store_db)[1]["batch_ids"] == [mine]
    assert read(store_db, "other")[1]["batch_ids"] == [other]
    got, info = read(store_db, "nobody")
    assert all(f.empty for f in got.values()) and info["batch_ids"] == [] and info["frames_present"] == []


def test_new_report_and_problem_ids_are_assigned_in_the_write_and_never_reused(store_db):
    def report(date, rid=""):
        return {"progress_reports": frame("progress_reports", [{"report_id": rid, "item_id": "W1", "date": date,
                                                                 "completion": 10.0}])}
    first = commit(store_db, report("2025-06-30"), kind="delivery_edit", file=None)
    second = commit(store_db, report("2025-06-30"), kind="delivery_edit", file=None)
    zz.withdraw(second, "test", db=store_db)
    third = commit(store_db, report("2025-06-30"), kind="delivery_edit", file=None)
    other_day = commit(store_db, report("2025-07-01"), kind="delivery_edit", file=None)
    ids = {r["batch_id"]: r["key"] for _, r in history(store_db, "progress_reports").iterrows()}
    assert [ids[b] for b in (first, second, third, other_day)] == [
        "R20250630-1", "R20250630-2", "R20250630-3", "R20250701-1"]
    problem = everything()["problems"].assign(problem_id="")
    commit(store_db, {"problems": problem}, kind="delivery_edit", file=None)
    assert list(read(store_db)[0]["problems"]["problem_id"]) == ["Q20240501-1"]
    with pytest.raises(ValueError, match="blank key"):  # an import names every key
        commit(store_db, report("2025-06-30"))


def test_a_write_that_fails_half_way_leaves_neither_rows_nor_the_plan(store_db, monkeypatch, tmp_path):
    import zhizao.store.delivery as delivery_module

    from tests.ingest.chain_files import chain_plan_path

    plan_path = chain_plan_path(tmp_path)
    zz.open_store(store_db).close()
    real = delivery_module.stored_delivery_frame

    def failing(name, data, batch_id, plan_id):
        if name == "work_items":  # after the plans row, the batch, the audit row and three tables
            raise RuntimeError("disk full")
        return real(name, data, batch_id, plan_id)

    monkeypatch.setattr(delivery_module, "stored_delivery_frame", failing)
    batches, audit = len(zz.batches(store_db)), len(zz.audit_log(store_db))
    with pytest.raises(RuntimeError):
        commit(store_db, everything(), register=(PLAN_ID, "河湾", "file", str(plan_path),
                                                 plan_path.read_text(encoding="utf-8")))
    assert table_rows(store_db) == dict.fromkeys(DELIVERY_TABLE_NAMES, 0)
    assert len(zz.batches(store_db)) == batches and len(zz.audit_log(store_db)) == audit
    with Store(store_db, read_only=True) as s:
        assert PLAN_ID not in list(s.plans()["plan_id"])


def test_what_is_not_the_contract_is_a_programming_error(store_db):
    p = frame("projects", [project("P-001")])
    for frames, kind, message in (({"companies": p}, "delivery", "not delivery frames"),
                                  ({"projects": p.drop(columns=["status"])}, "delivery", "lacks"),
                                  ({"projects": pd.concat([p, p])}, "delivery", "duplicate keys"),
                                  ({"projects": p.assign(project_id="")}, "delivery_edit", "blank key"),
                                  ({"projects": p}, "enterprise", "batch kind"),
                                  ({"projects": p.iloc[:0]}, "delivery", "no delivery rows")):
        with pytest.raises(ValueError, match=message):
            commit(store_db, frames, kind=kind)
    assert table_rows(store_db) == dict.fromkeys(DELIVERY_TABLE_NAMES, 0)
    with pytest.raises(ValueError, match="not a delivery frame"):
        history(store_db, "companies")


# --- status, backup, older stores --------------------------------------------------------------------
def test_counts_and_db_status_count_the_delivery_tables(store_db):
    with Store(store_db) as s:
        before = s.counts()
    names = (*DELIVERY_TABLE_NAMES, "delivery_batches", "delivery_edit_batches")
    assert {k: before[k] for k in names} == dict.fromkeys(names, 0)
    commit(store_db, everything())
    commit(store_db, {"projects": frame("projects", [project("P-001", status="cancelled")])}, kind="delivery_edit",
           file=None)
    with Store(store_db, read_only=True) as s:
        after = s.counts()
    assert {t: after[t] for t in DELIVERY_TABLE_NAMES} == {
        "dl_projects": 3, "dl_project_progress": 2, "dl_problems": 1, "dl_work_items": 1, "dl_milestones": 2,
        "dl_progress_reports": 1, "dl_departments": 1}
    assert (after["delivery_batches"], after["delivery_edit_batches"]) == (1, 1)
    assert after["batches"] == before["batches"] + 2 and after["enterprise_batches"] == 0
    status = zz.store_status(store_db)
    assert status["counts"]["dl_projects"] == 3 and status["counts"]["delivery_edit_batches"] == 1
    assert status["up_to_date"]


def test_backup_and_restore_carry_the_delivery_tables(store_db, tmp_path):
    b1 = commit(store_db, everything())
    edit = commit(store_db, {"projects": frame("projects", [project("P-001", status="cancelled")])},
                  kind="delivery_edit", file=None, actor="district1")
    withdrawn = commit(store_db, {"projects": frame("projects", [project("P-002", name="撤回的")])},
                       kind="delivery_edit", file=None)
    zz.withdraw(withdrawn, "test", db=store_db)
    before, info = read(store_db)
    manifest = zz.backup(store_db, tmp_path / "b.zip")
    assert manifest["tables"]["dl_projects"]["rows"] == 4 and manifest["schema_revision"] == postgres.head_revision()
    target = tmp_path / "copy.duckdb"  # DuckDB → DuckDB, PostgreSQL → DuckDB
    zz.restore(target, tmp_path / "b.zip")
    after, after_info = read(target)
    assert after_info["batch_ids"] == [b1, edit] == info["batch_ids"]
    for name in FRAMES:
        pd.testing.assert_frame_equal(after[name], before[name], obj=name)
    assert list(history(target, "projects")["actor"]) == list(history(store_db, "projects")["actor"])
    assert table_rows(target) == table_rows(store_db)
    zz.restore(store_db, tmp_path / "b.zip", force=True)  # and back over the original, replacing it
    assert table_rows(store_db) == table_rows(target)
    pd.testing.assert_frame_equal(read(store_db)[0]["projects"], before["projects"])


def test_a_duckdb_backup_restores_into_postgresql(tmp_path, pg_url):
    duck = tmp_path / "s.duckdb"
    commit(duck, everything())
    zz.backup(duck, tmp_path / "b.zip")
    zz.restore(pg_url, tmp_path / "b.zip")
    got, _ = read(pg_url)
    for name, expected in everything().items():
        pd.testing.assert_frame_equal(got[name], expected, obj=name, check_exact=True)


def test_an_older_duckdb_file_reads_as_no_delivery_data_and_gains_the_tables_when_written(tmp_path):
    db = tmp_path / "old.duckdb"
    old = SCHEMA.split("-- Plan-delivery data")[0]
    assert "dl_projects" not in old and "ent_registry" in old
    con = duckdb.connect(str(db))
    con.execute(old)
    con.close()
    with Store(db, read_only=True) as s:
        frames, info = s.delivery_frames(PLAN_ID)
        counts, h = s.counts(), s.delivery_history(PLAN_ID)
    assert all(f.empty for f in frames.values()) and info["batch_ids"] == [] and h.empty
    assert counts["dl_projects"] == counts["delivery_batches"] == 0
    status = zz.store_status(db)
    assert not status["up_to_date"] and status["counts"]["dl_problems"] == 0  # db status: older, no crash
    commit(db, {"projects": frame("projects", [project("P-001")])})  # opened for writing: the tables are made
    assert len(read(db)[0]["projects"]) == 1 and zz.store_status(db)["up_to_date"]


def test_an_older_postgresql_database_reads_as_no_delivery_data_and_migrates_when_written(pg_url):
    postgres.upgrade(pg_url, "0004")
    with Store(pg_url, read_only=True) as s:
        frames, info = s.delivery_frames(PLAN_ID)
        counts = s.counts()
    assert all(f.empty for f in frames.values()) and info["batch_ids"] == []
    assert counts["dl_projects"] == 0 and postgres.current_revision(pg_url) == "0004"  # a reader does not migrate
    commit(pg_url, {"projects": frame("projects", [project("P-001")])})  # a writer migrates to 0005
    assert postgres.current_revision(pg_url) == "0005" and len(read(pg_url)[0]["projects"]) == 1


def test_the_cli_lists_and_withdraws_a_delivery_edit(store_db, capsys, monkeypatch):
    """`zhizao data batches` names both kinds in words; `zhizao data withdraw BATCH` undoes an edit."""
    from tests.outputs.cli_support import run_main

    commit(store_db, {"projects": frame("projects", [project("P-001")])})
    edit = commit(store_db, {"projects": frame("projects", [project("P-001", status="cancelled")])},
                  kind="delivery_edit", file=None)
    code, out, err = run_main(["data", "batches", "--db", str(store_db)], capsys, monkeypatch)
    assert code == 0 and "项目、三服务与任务数据" in out and "项目、三服务与任务修改" in out, err
    code, out, err = run_main(["data", "withdraw", edit, "--reason", "错填", "--db", str(store_db)], capsys, monkeypatch)
    assert code == 0, err
    assert read(store_db)[0]["projects"].loc[0, "status"] == "active"
    # its own wording: which frames, how many rows, what withdrawing does; never "nan" nor the observations' words
    assert "项目、三服务与任务修改：项目 1 行" in out and "回到此前的版本" in out, out
    assert "nan" not in out and "数值" not in out and "参与评估" not in out
    imported = commit(store_db, {"projects": frame("projects", [project("P-002")]),
                                 "problems": everything()["problems"]}, file="d.xlsx")
    code, out, err = run_main(["data", "withdraw", imported, "--db", str(store_db), "--lang", "en"], capsys, monkeypatch)
    assert code == 0 and "projects 1 rows, problems 1 rows; file d.xlsx" in out, out
    assert not re.search(r"[\u4e00-\u9fff]", out)  # English only


def test_a_batch_counts_its_rows_per_frame(store_db):
    b = commit(store_db, everything())
    with Store(store_db) as s:
        assert s.delivery_batch_rows(b) == {f: len(df) for f, df in everything().items()}
        assert s.delivery_batch_rows("b_none") == {}


def test_the_helpers_the_delivery_module_keeps_agree_with_the_stores():
    """zhizao/store/delivery.py cannot import store.py (store.py imports it): its copies must agree."""
    from zhizao.store import delivery, store

    assert delivery.FILE_SEPARATOR == store.CHAIN_FILE_SEPARATOR
    assert delivery.file_names("/a/x.xlsx | /b/y.csv") == store.chain_file_names("/a/x.xlsx | /b/y.csv") == "x.xlsx | y.csv"
    assert len(delivery.new_batch_id()) == len(store.new_batch_id()) and delivery.new_batch_id()[:2] == "b_"
    when = pd.Timestamp("2025-06-30 17:30")  # UTC: 1 July in Beijing
    assert delivery.display_date(when) == store.display_date(when) == "2025-07-01"

_CELLS = st.one_of(st.none(), st.just(float("nan")), st.text(max_size=6), st.integers(-10**6, 10**6),
                   st.floats(allow_nan=False, allow_infinity=False, width=32))


@hsettings(max_examples=80, deadline=None)
@given(st.lists(_CELLS, min_size=1, max_size=12), st.booleans())
def test_stored_text_reads_back_as_the_cell_rule_says(values, only_text):
    """A text column read back: "" for a missing value, whole floats without ".0", text as it is — the fast
    path for columns of text alone gives what the cell-by-cell rule gives."""
    if only_text:
        values = [v if v is None or isinstance(v, str) else str(v) for v in values]
    rows = pd.DataFrame({"problem_id": pd.Series(values, dtype=object)})
    got = delivery_frame("problems", rows)["problem_id"].tolist()
    assert got == [_text(v) for v in values]
    assert all(isinstance(v, str) for v in got)


def test_the_history_values_are_plain_python_by_kind():
    """history_frame's `values`: int for an int column, float for a float one, str for text, None when missing."""
    rows = pd.DataFrame({"project_id": ["P1", "P1"], "year": [2024, None], "month": [3, 4],
                         "investment": [12.5, None], "batch_id": ["b1", "b1"]})
    batches = batches_frame([("b1", "delivery", "f.csv", pd.Timestamp("2025-01-01"), False, "me")])
    v = history_frame("project_progress", versions("project_progress", rows, batches))["values"].tolist()
    assert v[0]["project_id"] == "P1" and type(v[0]["year"]) is int and type(v[0]["investment"]) is float
    assert v[1]["year"] is None and v[1]["investment"] is None and type(v[1]["month"]) is int
