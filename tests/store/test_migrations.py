"""Schema migrations: PostgreSQL from a POPULATED database at revision 0001 to head keeps every row;
an old DuckDB file gains the new tables; the DuckDB SCHEMA and the PostgreSQL head agree."""
import duckdb
import pytest
import psycopg

import zhizao.api as zz
from zhizao.store import postgres
from zhizao.store.delivery import DELIVERY_TABLE_NAMES
from zhizao.store.store import CHAIN_TABLE_NAMES, ENTERPRISE_TABLE_NAMES, SCHEMA, STATISTICS_TABLES, Store

# Compatible column types: DuckDB's name → PostgreSQL's information_schema.data_type
TYPES = {"VARCHAR": "character varying", "INTEGER": "integer", "BIGINT": "bigint", "DOUBLE": "double precision",
         "BOOLEAN": "boolean", "DATE": "date", "TIMESTAMP": "timestamp without time zone"}


def test_head_revision_is_read_without_alembic_as_alembic_reads_it():
    assert postgres.latest_revision() == postgres.head_revision()
    assert postgres.revisions()[0] == "0001"


def test_populated_database_at_0001_upgrades_keeping_every_row(tmp_path, pg_url):
    duck = tmp_path / "bundled.duckdb"
    zz.open_store(duck).close()
    postgres.upgrade(pg_url, "0001")
    assert postgres.current_revision(pg_url) == "0001"
    with Store(duck, read_only=True) as d, psycopg.connect(pg_url) as pg:  # plain SQL, as 0001 knows it
        expected = {}
        for table in STATISTICS_TABLES:
            cur = d.con.execute(f"SELECT * FROM {table}")
            cols = [c[0] for c in cur.description]
            rows = cur.fetchall()
            expected[table] = len(rows)
            with pg.cursor().copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as cp:
                for row in rows:
                    cp.write_row(row)
        pg.execute("UPDATE store_meta SET generation = 1")
        before = d.observations()
    postgres.upgrade(pg_url)
    assert postgres.current_revision(pg_url) == postgres.head_revision()
    with Store(pg_url) as s:
        counts = s.counts()
        assert {t: counts[t] for t in expected if t in counts} == {t: expected[t] for t in expected if t in counts}
        assert counts["chain_enterprises"] == counts["chain_batches"] == 0  # 0001 had no chain tables
        after = s.observations()
        assert s.generation == 1 and s.audit_log().empty
    assert before.drop(columns=["known_since"]).equals(after.drop(columns=["known_since"]))


def test_opening_an_old_postgresql_database_for_writing_upgrades_it(pg_url):
    postgres.upgrade(pg_url, "0001")
    with Store(pg_url, read_only=True) as s:  # a reader does not migrate
        assert s.is_empty()
    assert postgres.current_revision(pg_url) == "0001"
    with Store(pg_url) as s:
        s.record_audit("login", actor="x")
    assert postgres.current_revision(pg_url) == postgres.head_revision()


def test_old_duckdb_file_gains_the_audit_table_and_basis(tmp_path):
    db = tmp_path / "old.duckdb"
    old = SCHEMA.split("CREATE TABLE IF NOT EXISTS withdrawals")[0].replace(
        "    synthetic BOOLEAN NOT NULL DEFAULT FALSE,\n    basis VARCHAR DEFAULT 'level',  -- level | change_on_previous_year"
        " | cumulative_since | average_over | stock_as_of\n    basis_from VARCHAR ", "    synthetic BOOLEAN NOT NULL DEFAULT FALSE ")
    assert "basis_from" not in old and "audit" not in old
    con = duckdb.connect(str(db))
    con.execute(old)
    con.close()
    with Store(db, read_only=True) as s:
        assert s.audit_log().empty  # a reader of an old file: no log yet, no error
    zz.open_store(db).close()  # opened for writing: the bundled data, with its audit row
    tables = {r[0] for r in duckdb.connect(str(db), read_only=True).execute(
        "SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"audit", "withdrawals", "plans"} <= tables
    with Store(db) as s:
        assert list(s.audit_log()["action"]) == ["import"]
    assert zz.store_status(db)["up_to_date"]


def _duckdb_columns() -> dict[str, dict[str, str]]:
    con = duckdb.connect(":memory:")
    con.execute(SCHEMA)
    out: dict[str, dict[str, str]] = {}
    for table, column, kind in con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns").fetchall():
        out.setdefault(table, {})[column] = kind
    return out


def test_duckdb_schema_and_postgresql_head_have_the_same_tables_and_columns(pg_url):
    postgres.upgrade(pg_url)
    with psycopg.connect(pg_url) as pg:
        rows = pg.execute("SELECT table_name, column_name, data_type FROM information_schema.columns "
                          "WHERE table_schema = 'public'").fetchall()
    pg_cols: dict[str, dict[str, str]] = {}
    for table, column, kind in rows:
        pg_cols.setdefault(table, {})[column] = kind
    duck = _duckdb_columns()
    for table in (*STATISTICS_TABLES, *CHAIN_TABLE_NAMES, *ENTERPRISE_TABLE_NAMES, *DELIVERY_TABLE_NAMES, "audit"):
        assert set(duck[table]) == set(pg_cols[table]), table
        for column, kind in duck[table].items():
            assert TYPES[kind] == pg_cols[table][column], (table, column, kind, pg_cols[table][column])
    assert set(duck) == {*STATISTICS_TABLES, *CHAIN_TABLE_NAMES, *ENTERPRISE_TABLE_NAMES, *DELIVERY_TABLE_NAMES, "audit"}


def test_a_database_migrated_by_a_newer_zhizao_is_one_clear_line_everywhere(tmp_path, pg_url, capsys, monkeypatch):
    """The documented rollback (docs/deployment.md §7): a newer zhizao migrated the database. Was: restore
    --force and db upgrade failed with 内部错误 CommandError "Can't locate revision '0003'", exit 1, and
    db status advised zhizao db upgrade."""
    from tests.outputs.cli_support import run_main

    archive = tmp_path / "b.zip"
    duck = tmp_path / "s.duckdb"
    zz.open_store(duck).close()
    zz.backup(duck, archive)
    postgres.upgrade(pg_url)
    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute("UPDATE alembic_version SET version_num = '0099'")
    head = postgres.latest_revision()
    line = f"数据库结构版本 0099 比本程序（最新 {head}）新：请使用更新版本的 zhizao，或把备份恢复到一个新建的空数据库"
    for args in (["restore", str(archive), "--force"], ["db", "upgrade"], ["user", "list"]):
        code, out, err = run_main([*args, "--db", pg_url], capsys, monkeypatch)
        assert code == 2, (args, err)
        assert line in err and "内部错误" not in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    code, out, err = run_main(["db", "status", "--db", pg_url], capsys, monkeypatch)
    assert code == 0 and line in out and "请运行 zhizao db upgrade" not in out
    code, out, _ = run_main(["db", "status", "--db", pg_url, "--lang", "en", "--format", "json"], capsys, monkeypatch)
    assert '"newer": true' in out
    code, _, err = run_main(["db", "upgrade", "--db", pg_url, "--lang", "en"], capsys, monkeypatch)
    assert code == 2 and f"newer than this zhizao knows (latest {head})" in err
    assert postgres.current_revision(pg_url) == "0099"  # nothing was touched


def test_db_upgrade_and_status_say_what_they_did_in_one_kind_of_bracket(pg_url, capsys, monkeypatch):
    """Was: "(原为 （尚未建立）)"; db status had no users, sessions or tokens counts."""
    from tests.outputs.cli_support import run_main

    code, out, err = run_main(["db", "upgrade", "--db", pg_url], capsys, monkeypatch)
    head = postgres.latest_revision()
    assert code == 0 and f"已升级到 {head}（原为空数据库）" in out and "(" not in out.split(head, 1)[1]
    code, out, _ = run_main(["db", "status", "--db", pg_url], capsys, monkeypatch)
    assert all(f"表 {t}" in out for t in ("users", "sessions", "api_tokens"))
    postgres.upgrade(pg_url)


@pytest.mark.parametrize("url", ["postgresql://zhizao@127.0.0.1:54329/x?foo=bar", "postgresql://zhizao@[::1:54329/x",
                                 "postgresql://zhizao:se cret@127.0.0.1:54329/x"])
@pytest.mark.parametrize("command", [["db", "status"], ["backup", "--out", "b.zip"], ["assess"]])
def test_a_postgresql_url_libpq_refuses_is_one_line_exit_2(url, command, tmp_path, capsys, monkeypatch):
    """Was: 内部错误 ProgrammingError, exit 1. The password is never repeated."""
    from tests.outputs.cli_support import run_main

    monkeypatch.chdir(tmp_path)
    code, out, err = run_main([*command, "--db", url], capsys, monkeypatch)
    assert code == 2, err
    assert "PostgreSQL 地址" in err and "内部错误" not in err and "cret" not in err
    assert len(err.strip().splitlines()) == 1
    monkeypatch.setenv("ZHIZAO_DB", url)
    code, _, err = run_main([*command, "--lang", "en"] if command != ["assess"] else command, capsys, monkeypatch)
    assert code == 2 and "ZHIZAO_DB" in err and "内部错误" not in err


def test_an_explicit_duckdb_path_in_a_missing_folder_is_refused_naming_it(tmp_path, capsys, monkeypatch):
    """Was: ZHIZAO_DB=/nonexistent/dir/x.duckdb zhizao assess created the folders and a new store."""
    from tests.outputs.cli_support import run_main

    missing = tmp_path / "nonexistent" / "dir"
    monkeypatch.setenv("ZHIZAO_DB", str(missing / "x.duckdb"))
    code, _, err = run_main(["assess"], capsys, monkeypatch)
    assert code == 2 and str(missing) in err and "内部错误" not in err
    monkeypatch.delenv("ZHIZAO_DB")
    code, _, err = run_main(["db", "status", "--db", str(missing / "x.duckdb")], capsys, monkeypatch)
    assert code == 2 and str(missing) in err
    assert not (tmp_path / "nonexistent").exists()
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))  # the default location is still created
    code, _, err = run_main(["db", "upgrade"], capsys, monkeypatch)
    assert code == 0, err
    assert (tmp_path / "xdg" / "zhizao" / "zhizao.duckdb").is_file()
