"""The PostgreSQL backend answers as the DuckDB one: the bundled data, the scorecard, the audit log;
an unreachable server is a clear message, never a traceback or a hang."""
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import psycopg
import pytest
from typer.testing import CliRunner

import zhizao.api as zz
from zhizao.outputs.cli import app
from zhizao.store import postgres
from zhizao.store.postgres import StoreUnavailable
from zhizao.store.store import Batch, Store, default_actor

ASSETS = Path(__file__).parents[1] / "assets"
PLAN = ASSETS / "fictional-plan.yaml"
REPO = Path(__file__).parents[2]
runner = CliRunner()
DOWN = "postgresql://zhizao@127.0.0.1:1/nothing"  # nothing listens on port 1


def _same(a: pd.DataFrame, b: pd.DataFrame, drop=("batch_id", "imported_at")) -> None:
    cols = [c for c in drop if c in a]
    pd.testing.assert_frame_equal(a.drop(columns=cols).reset_index(drop=True),
                                  b.drop(columns=cols).reset_index(drop=True))


def test_bundled_store_reads_the_same_on_both_backends(tmp_path, pg_url):
    duck = zz.open_store(tmp_path / "b.duckdb")
    pg = zz.open_store(pg_url)
    assert (duck.backend, pg.backend) == ("duckdb", "postgresql")
    with duck, pg:
        for read in ("observations", "sources", "series", "links", "batches", "plans", "nonfinite"):
            _same(getattr(duck, read)(), getattr(pg, read)())
        assert duck.counts() == pg.counts()
        assert duck.series_units() == pg.series_units()
        keys = [duck.existing_keys(), pg.existing_keys()]  # a set: no order
        _same(*(k.sort_values(list(k.columns), key=lambda c: c.astype(str)) for k in keys))


def _statuses(env_db: str) -> dict:
    env = {**os.environ, "ZHIZAO_DB": env_db}
    r = subprocess.run([sys.executable, "-m", "zhizao.outputs.cli", "assess", "--year", "2024", "--format", "json"],
                       capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
    assert r.returncode == 0, r.stderr
    return {i["id"]: (i["status"], i["actual"]) for i in json.loads(r.stdout)["indicators"]}


def test_assess_with_zhizao_db_url_prints_the_same_scorecard(tmp_path, pg_url):
    duck = _statuses(str(tmp_path / "a.duckdb"))
    assert duck and _statuses(pg_url) == duck


def test_unreachable_server_is_a_message_naming_it(tmp_path):
    with pytest.raises(StoreUnavailable) as e:
        Store(DOWN)
    assert "127.0.0.1:1" in e.value.reason_zh and "ZHIZAO_DB" in e.value.reason_en
    r = subprocess.run([sys.executable, "-m", "zhizao.outputs.cli", "data", "batches", "--db", DOWN],
                       capture_output=True, text=True, cwd=REPO, timeout=120)
    assert r.returncode == 2 and "Traceback" not in r.stderr and "无法连接 PostgreSQL" in r.stderr


def test_password_never_shown(pg_url):
    assert postgres.redact("postgresql://u:s3cret@h:5/db") == "postgresql://u:***@h:5/db"
    with pytest.raises(StoreUnavailable) as e:
        Store("postgresql://u:s3cret@127.0.0.1:1/db")
    assert "s3cret" not in str(e.value)


def test_asking_for_plans_creates_no_schema(pg_url):
    ids = list(zz.plans(pg_url)["id"])
    assert "chongqing-manufacturing-2021-2025" in ids
    assert postgres.current_revision(pg_url) is None  # nothing was created
    with psycopg.connect(pg_url) as con:
        assert con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
                           ).fetchone()[0] == 0


def test_a_write_by_another_process_is_seen_and_bumps_the_generation(pg_url):
    plan = zz.load_plan(PLAN)
    zz.import_data(ASSETS / "fictional-links.yaml", plan=plan, db=pg_url)
    with Store(pg_url) as s:
        before, n = s.generation, s.counts()["observations"]
    code = ("import zhizao.api as zz, sys; zz.import_data(sys.argv[1], plan=zz.load_plan(sys.argv[2]), "
            "db=sys.argv[3])")
    subprocess.run([sys.executable, "-c", code, str(ASSETS / "fictional-data.csv"), str(PLAN), pg_url],
                   check=True, cwd=REPO, timeout=300)
    with Store(pg_url) as s:
        assert s.generation == before + 1 and s.counts()["observations"] > n


def test_non_finite_values_survive_the_snapshot(pg_url):
    obs = pd.DataFrame({"series": ["x", "x"], "region": ["500000"] * 2, "industry": ["ALL"] * 2,
                        "period_type": ["year"] * 2, "year": [2023, 2024], "period_key": ["2023", "2024"],
                        "value": [math.inf, math.nan], "qualifier": ["exact"] * 2, "unit": ["亿元"] * 2,
                        "status": ["final"] * 2})
    with Store(pg_url) as s:
        s.commit(Batch(kind="import", file="bad.csv", sha256=None, observations=obs))
    with Store(pg_url) as s:
        assert len(s.nonfinite()) == 2
        values = s.observations(include_nonfinite=True)["value"]
        assert math.isinf(values.iloc[0]) and math.isnan(values.iloc[1])


def test_audit_log_on_both_backends(store_db):
    plan = zz.load_plan(PLAN)
    zz.import_data(ASSETS / "fictional-links.yaml", plan=plan, db=store_db)
    s1 = zz.import_data(ASSETS / "fictional-data.csv", plan=plan, db=store_db, actor="alice", role="district")
    zz.withdraw(s1.batch_id, "wrong release", db=store_db, by="bob")
    with Store(store_db) as s:
        counts = s.counts()
        generation = getattr(s, "generation", None)
        s.record_audit("login", actor="alice", role="district", ip="127.0.0.1", detail={"ok": True})
        assert s.counts() == counts
        if generation is not None:
            assert s.generation == generation  # a login does not make the data caches stale
        log = s.audit_log()
        assert list(log["action"]) == ["login", "withdraw", "import", "import"]  # newest first
        assert list(log["audit_id"]) == sorted(log["audit_id"], reverse=True)
        imp = log[log["target"] == s1.batch_id].set_index("action")
        assert imp.loc["import", "actor"] == "alice" and imp.loc["import", "role"] == "district"
        assert imp.loc["import", "rows"] == s1.observations
        detail = json.loads(imp.loc["import", "detail"])
        assert detail["file"].endswith("fictional-data.csv") and len(detail["sha256"]) == 64
        assert imp.loc["withdraw", "actor"] == "bob" and json.loads(imp.loc["withdraw", "detail"])["reason"] == \
            "wrong release"
        assert log.iloc[-1]["actor"] == default_actor()  # the links import, from the "command line"
        assert list(s.audit_log(actor="alice")["action"]) == ["login", "import"]
        assert list(s.audit_log(action="withdraw")["target"]) == [s1.batch_id]
        assert len(s.audit_log(limit=2)) == 2
        assert s.audit_log(since=pd.Timestamp("2100-01-01").to_pydatetime()).empty


def test_failed_write_leaves_no_audit_row(store_db):
    with Store(store_db) as s:
        bad = Batch(kind="import", file="x", sha256=None, observations=pd.DataFrame({"series": ["a"], "value": [None]}))
        with pytest.raises(Exception):
            s.commit(bad)
        assert s.audit_log().empty and s.counts()["batches"] == 0


# --- connection reuse: a page costs no connect; a broken kept connection is replaced, never used ---------------------
def _counting_connect(monkeypatch) -> list:
    made = []
    real = postgres.connect

    def counting(url, **kw):
        made.append(url)
        return real(url, **kw)

    monkeypatch.setattr(postgres, "connect", counting)
    return made


def test_stores_reuse_the_connection_of_a_closed_store(pg_url, monkeypatch):
    from zhizao.store import pg_store

    Store(pg_url).close()  # the schema (the migration has its own connection)
    made = _counting_connect(monkeypatch)
    seen = set()
    for _ in range(5):
        with Store(pg_url) as s:
            assert s.counts()["observations"] == 0
            seen.add(s._pg.info.backend_pid)
    assert made == [] and len(seen) == 1  # the first store's connection, handed on: no connect
    assert len(pg_store._idle[pg_url]) == 1
    with Store(pg_url) as a, Store(pg_url) as b:  # two at once: two connections
        assert a._pg is not b._pg
    assert len(made) == 1 and len(pg_store._idle[pg_url]) == 2


def test_a_connection_closed_by_the_server_is_replaced_not_used(pg_url, postgres_server, monkeypatch):
    """As after a server restart: the kept connections' sessions are gone. The next store opens (no error),
    on a new connection, and sees the data; every other kept (dead) connection is dropped too."""
    from zhizao.store import pg_store

    with Store(pg_url) as a, Store(pg_url) as b:
        pids = {a._pg.info.backend_pid, b._pg.info.backend_pid}
    assert len(pg_store._idle[pg_url]) == 2
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        for pid in pids:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    made = _counting_connect(monkeypatch)
    with Store(pg_url) as s:
        fresh = s._pg
        assert fresh.info.backend_pid not in pids and s.counts()["observations"] == 0
    assert made == [pg_url]
    assert pg_store._idle[pg_url] == [fresh]  # the new one is kept; the dead ones are gone


def test_a_connection_left_in_a_transaction_is_not_kept(pg_url):
    from zhizao.store import pg_store

    s = Store(pg_url)
    s._pg.execute("BEGIN")  # e.g. a failure inside a transaction block
    pg = s._pg
    s.close()
    assert pg.closed and pg not in pg_store._idle.get(pg_url, [])


# --- the store's address: one check, before anything is opened or created -------------------------
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from tests.outputs.cli_support import run_main  # noqa: E402
from zhizao.errors import UserError  # noqa: E402
from zhizao.store.store import as_db  # noqa: E402

REVIEWED = ["mysql://zhizao@127.0.0.1:54329/zhizao", "postgresql:/zhizao@127.0.0.1:54329/postgres",
            "postgres//zhizao@127.0.0.1:54329/postgres", "host=127.0.0.1 dbname=postgres user=zhizao",
            "md:foo", "s3://bucket/x.duckdb", "http://example.org/x.duckdb", "sqlite:/tmp/x.db"]
_scheme = st.one_of(st.sampled_from(["mysql", "MySQL", "sqlite", "s3", "http", "https", "md", "postgresq", "pg",
                                     "postgres", "PostgreSQL", "postgresql", "file", "duckdb", "a", "x-y.z+w"]),
                    st.from_regex(r"[A-Za-z][A-Za-z0-9+.\-]{0,12}", fullmatch=True))
_rest = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30)
_hostile = st.one_of(
    st.builds(lambda s, sep, r: s + sep + r, _scheme, st.sampled_from([":/", ":", ":x/", ":\\"]), _rest),
    st.builds(lambda s, r: s + "://" + r, _scheme.filter(lambda s: s.lower() not in ("postgresql", "postgres")), _rest),
    st.builds(lambda s, r: s + "//" + r, st.sampled_from(["postgres", "postgresql", "POSTGRES"]), _rest),
    st.builds(lambda k, v, r: f"{k}={v} {r}", st.sampled_from(postgres.LIBPQ_KEYWORDS + ("HOST", "DbName")),
              st.text("abc123.", max_size=8), _rest),
)


def _no_network(monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError(f"a network connection was attempted: {args}")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.parametrize("value", REVIEWED)
def test_a_wrong_store_address_is_one_line_exit_2(value, tmp_path, capsys, monkeypatch):
    """The reviewer's addresses: DuckDB took mysql: for an extension (downloading mysql_scanner, leaving
    ./mysql:/… folders, "内部错误", exit 1); postgres//… and host=… silently became local files."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ZHIZAO_DB", raising=False)
    _no_network(monkeypatch)
    for args in (["db", "status", "--db", value], ["data", "list", "--db", value], ["backup", "--out", "b.zip", "--db", value]):
        code, out, err = run_main(args, capsys, monkeypatch)
        assert code == 2, (args, err)
        assert "postgresql://用户@主机:端口/库名" in err and "DuckDB 文件路径" in err and "内部错误" not in err
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    monkeypatch.setenv("ZHIZAO_DB", value)
    code, _, err = run_main(["data", "list", "--lang", "en"], capsys, monkeypatch)
    assert code == 2 and "ZHIZAO_DB" in err and "postgresql://user@host:port/dbname" in err
    assert list(tmp_path.iterdir()) == []  # no ./mysql:/… folder, no stray DuckDB file


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(value=_hostile)
def test_hostile_addresses_never_open_create_or_connect(value, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ZHIZAO_DB", raising=False)
    _no_network(monkeypatch)
    with pytest.raises(UserError) as e:
        as_db(value)
    assert "postgresql://" in e.value.reason_zh and "DuckDB" in e.value.reason_en
    code, out, err = run_main(["db", "status", "--db", value], capsys, monkeypatch)
    assert code == 2 and "Traceback" not in err and "内部错误" not in err
    assert list(tmp_path.iterdir()) == []


def test_accepted_addresses_and_any_case_of_the_scheme(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "postgres").mkdir()  # an explicit store's folder must exist (store.check_folder)
    assert as_db(tmp_path / "x.duckdb") == tmp_path / "x.duckdb"
    assert as_db("zhizao.duckdb") == Path("zhizao.duckdb")
    assert as_db("postgres/zhizao.duckdb") == Path("postgres/zhizao.duckdb")  # a folder named postgres
    assert as_db(":memory:") == Path(":memory:")
    for url in ("postgresql://z@h:1/d", "POSTGRESQL://z@h:1/d", "Postgres://z@h/d"):
        assert as_db(url) == url and postgres.is_postgres(url)
        assert postgres.libpq_url(url).startswith("postgresql://z@h")


def test_duckdb_never_loads_an_extension_by_itself(tmp_path):
    """No network at run time: even a path DuckDB would read as an extension prefix cannot load one."""
    from zhizao.store.store import connect

    con = connect(tmp_path / "x.duckdb")
    assert con.execute("SELECT current_setting('autoload_known_extensions'), "
                       "current_setting('autoinstall_known_extensions')").fetchone() == (False, False)


@pytest.mark.parametrize("url", [
    "postgresql://zhizao:s3cret@127.0.0.1:1/nothing",
    "postgresql://zhizao@127.0.0.1:1/nothing?password=s3cret",
    "postgresql://zhizao@127.0.0.1:1/nothing?sslmode=disable&password=s3cret",
])
def test_a_password_in_the_url_is_never_printed(url, tmp_path, capsys, monkeypatch):
    assert "s3cret" not in postgres.redact(url) and "***" in postgres.redact(url)
    monkeypatch.chdir(tmp_path)
    for args in (["db", "status", "--db", url], ["db", "status", "--db", url, "--format", "json"],
                 ["user", "list", "--db", url], ["backup", "--out", "b.zip", "--db", url]):
        code, out, err = run_main(args, capsys, monkeypatch)
        assert code == 2 and "s3cret" not in out + err, (args, out, err)
    assert "s3cret" not in postgres.redact("host=h password=s3cret dbname=x")
