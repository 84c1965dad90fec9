"""zhizao backup / restore: round trips on both backends, across backends, and refusals (a damaged
or newer archive, a store that is not empty) that write nothing."""
import json
import uuid
import zipfile
from pathlib import Path

import pandas as pd
import psycopg
import pytest
from typer.testing import CliRunner

import zhizao.api as zz
from zhizao.outputs.cli import app
from zhizao.store.backup import BackupError
from zhizao.store.store import Store

ASSETS = Path(__file__).parents[1] / "assets"
PLAN = ASSETS / "fictional-plan.yaml"
READS = ("observations", "sources", "series", "links", "batches", "plans")
runner = CliRunner()


def _fill(db) -> None:
    """The bundled data, a plan file registered, an import and a withdrawal."""
    zz.open_store(db).close()
    plan = zz.resolve_plan(PLAN, db)
    zz.import_data(ASSETS / "fictional-links.yaml", plan=plan, db=db)
    s = zz.import_data(ASSETS / "fictional-data.csv", plan=plan, db=db)
    zz.withdraw(s.batch_id, "test", db=db, by="analyst")


def _state(db) -> dict:
    with Store(db) as s:
        out = {r: s.__getattribute__(r)() for r in READS}
        out["withdrawn"] = s.observations(include_withdrawn=True)
        out["plan_text"] = {p: s.plan_text(p) for p in out["plans"]["plan_id"]}
        out["audit"] = s.audit_log().drop(columns=["audit_id"])
    return out


def _assert_same(a: dict, b: dict) -> None:
    for key in (*READS, "withdrawn"):
        pd.testing.assert_frame_equal(a[key], b[key], check_dtype=False)
    assert a["plan_text"] == b["plan_text"]
    restored = b["audit"][b["audit"]["action"] != "restore"].reset_index(drop=True)
    old = a["audit"][a["audit"]["action"] != "restore"].reset_index(drop=True)
    pd.testing.assert_frame_equal(old, restored, check_dtype=False)  # nothing of the log is lost


def _other(store_db, tmp_path, pg_factory):
    return tmp_path / "copy.duckdb" if isinstance(store_db, Path) else pg_factory()


@pytest.fixture
def pg_factory(request):
    """Another fresh PostgreSQL database (besides store_db's), made only when asked for; dropped after."""
    made = []

    def make() -> str:
        server = request.getfixturevalue("postgres_server")
        name = "zt_" + uuid.uuid4().hex[:12]
        with psycopg.connect(server, autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        made.append((server, name))
        return server.rsplit("/", 1)[0] + "/" + name

    yield make
    for server, name in made:
        with psycopg.connect(server, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_round_trip_on_each_backend(store_db, tmp_path, pg_factory):
    _fill(store_db)
    manifest = zz.backup(store_db, tmp_path / "b.zip")
    assert manifest["tables"]["observations"]["rows"] > 0 and manifest["schema_revision"]
    target = _other(store_db, tmp_path, pg_factory)
    result = zz.restore(target, tmp_path / "b.zip")
    assert result["tables"]["observations"] == manifest["tables"]["observations"]["rows"]
    before, after = _state(store_db), _state(target)
    _assert_same(before, after)
    assert list(after["audit"]["action"])[0] == "restore"
    # The restored store works on: another import, the withdrawn batch still withdrawn.
    assert after["batches"]["withdrawal_reason"].eq("test").sum() == 1


def test_across_backends_duckdb_to_postgresql_and_back(tmp_path, pg_url):
    duck = tmp_path / "a.duckdb"
    _fill(duck)
    zz.backup(duck, tmp_path / "a.zip")
    zz.restore(pg_url, tmp_path / "a.zip")
    zz.backup(pg_url, tmp_path / "p.zip")
    back = tmp_path / "back.duckdb"
    result = zz.restore(back, tmp_path / "p.zip")
    assert set(result["skipped"]) == {"users", "sessions", "api_tokens"}  # DuckDB holds no accounts
    _assert_same(_state(duck), _state(pg_url))
    _assert_same(_state(duck), _state(back))
    with Store(pg_url) as s:  # the restore counts as a data write
        assert s.generation >= 1


def _tamper(src: Path, dst: Path, member: str, change) -> None:
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w") as out:
        for item in z.infolist():
            data = z.read(item.filename)
            out.writestr(item, change(data) if item.filename == member else data)


def test_damaged_or_newer_archive_is_refused_and_writes_nothing(store_db, tmp_path, pg_factory):
    _fill(store_db)
    zz.backup(store_db, tmp_path / "b.zip")
    flipped = tmp_path / "flipped.zip"
    _tamper(tmp_path / "b.zip", flipped, "tables/observations.parquet",
            lambda d: d[:100] + bytes([d[100] ^ 0xFF]) + d[101:])
    newer = tmp_path / "newer.zip"
    _tamper(tmp_path / "b.zip", newer, "manifest.json",
            lambda d: json.dumps({**json.loads(d), "schema_revision": "9999"}).encode())
    cut = tmp_path / "cut.zip"
    cut.write_bytes((tmp_path / "b.zip").read_bytes()[:-200])
    target = _other(store_db, tmp_path, pg_factory)
    for bad, word in ((flipped, "损坏"), (newer, "升级"), (cut, "损坏"), (tmp_path / "none.zip", "找不到")):
        with pytest.raises(BackupError) as e:
            zz.restore(target, bad)
        assert word in e.value.reason_zh
    assert not (isinstance(target, Path) and target.exists())  # nothing was created either
    r = runner.invoke(app, ["restore", str(flipped), "--db", str(target), "--lang", "en"])
    assert r.exit_code == 2 and "damaged" in r.output and "Traceback" not in r.output


def test_non_empty_store_needs_force_which_replaces_it(store_db, tmp_path):
    _fill(store_db)
    zz.backup(store_db, tmp_path / "b.zip")
    before = _state(store_db)
    with pytest.raises(BackupError) as e:
        zz.restore(store_db, tmp_path / "b.zip")
    assert "--force" in e.value.reason_zh
    zz.restore(store_db, tmp_path / "b.zip", force=True)
    after = _state(store_db)
    for key in (*READS, "withdrawn"):
        pd.testing.assert_frame_equal(before[key], after[key], check_dtype=False)
    # the log keeps its rows and gains the archive's and the restore
    assert len(after["audit"]) == 2 * len(before["audit"]) + 1


def test_cli_backup_restore_and_db_status(store_db, tmp_path, pg_factory):
    _fill(store_db)
    out = tmp_path / "cli.zip"
    r = runner.invoke(app, ["backup", "--out", str(out), "--db", str(store_db)])
    assert r.exit_code == 0, r.output
    assert out.is_file() and "observations" in r.output
    target = _other(store_db, tmp_path, pg_factory)
    r = runner.invoke(app, ["restore", str(out), "--db", str(target)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["restore", str(out), "--db", str(target)])
    assert r.exit_code == 2 and "--force" in r.output
    r = runner.invoke(app, ["db", "status", "--db", str(target), "--format", "json"])
    assert r.exit_code == 0, r.output
    info = json.loads(r.stdout)
    assert info["up_to_date"] and info["revision"] == info["head"]
    assert info["counts"]["observations"] == _state(store_db)["withdrawn"].shape[0]


# --- the archive is private; a wrong --out is refused, never guessed ---------------------------------
from tests.outputs.cli_support import run_main  # noqa: E402


@pytest.fixture
def small_store(tmp_path):
    db = tmp_path / "s.duckdb"
    zz.open_store(db).close()
    return db


def test_the_archive_is_written_readable_by_its_owner_only(small_store, tmp_path, capsys, monkeypatch):
    """It holds password and token hashes (PostgreSQL), enterprise data and the audit log: was 0644."""
    monkeypatch.chdir(tmp_path)
    old = tmp_path / "b1.zip"
    old.write_bytes(b"an older archive")
    old.chmod(0o644)
    code, out, err = run_main(["backup", "--out", "b1.zip", "--db", str(small_store)], capsys, monkeypatch)
    assert code == 0, err
    assert (old.stat().st_mode & 0o777) == 0o600 and "0600" in out
    zz.backup(small_store, tmp_path / "b2.zip")
    assert ((tmp_path / "b2.zip").stat().st_mode & 0o777) == 0o600


def test_a_missing_folder_is_refused_naming_it_and_nothing_is_created(small_store, tmp_path, capsys, monkeypatch):
    target = tmp_path / "nonexistent" / "dir" / "x.zip"
    code, out, err = run_main(["backup", "--out", str(target), "--db", str(small_store)], capsys, monkeypatch)
    assert code == 2 and str(target.parent) in err and "mkdir -p" in err
    assert not (tmp_path / "nonexistent").exists()
    code, _, err = run_main(["backup", "--out", str(tmp_path), "--db", str(small_store), "--lang", "en"],
                            capsys, monkeypatch)
    assert code == 2 and "is a folder" in err


def test_backup_without_out_says_what_is_missing_in_both_languages(small_store, capsys, monkeypatch):
    code, _, err = run_main(["backup", "--db", str(small_store)], capsys, monkeypatch)
    assert code == 2 and err.strip().startswith("缺少 --out") and "取值无效" not in err and "Missing option" not in err
    code, _, err = run_main(["backup", "--db", str(small_store), "--lang", "en"], capsys, monkeypatch)
    assert code == 2 and err.strip().startswith("missing --out")


def test_the_backup_says_what_it_holds_and_the_timer_archives_the_monitoring_folder(small_store, tmp_path, capsys,
                                                                                     monkeypatch):
    """Was: `zhizao backup` said 其中有企业数据 while the enterprise data (the monitoring folder) was in
    neither backup. The message says what the archive holds and what it does not; the backup service
    (deploy/systemd/zhizao-backup.service) archives $ZHIZAO_MONITORING_DATA, run here as systemd would."""
    import shlex
    import subprocess
    import tarfile

    code, out, err = run_main(["backup", "--out", str(tmp_path / "b.zip"), "--db", str(small_store)], capsys, monkeypatch)
    assert code == 0, err
    assert "其中有企业数据" not in out and "运行监测数据目录" in out and "不在其中" in out
    unit = (Path(__file__).parents[2] / "deploy" / "systemd" / "zhizao-backup.service").read_text(encoding="utf-8")
    lines = [ln.split("=", 1)[1] for ln in unit.splitlines() if ln.startswith("ExecStart=") and "tar " in ln]
    assert len(lines) == 1
    argv = shlex.split(lines[0].replace("$$", "\0").replace("%%", "%").replace("\0", "$"))
    assert argv[:2] == ["/bin/sh", "-c"]
    backups = tmp_path / "backups"
    backups.mkdir()
    script = argv[2].replace("/var/backups/zhizao", str(backups))
    monitoring = tmp_path / "lib" / "monitoring"
    (monitoring / "2026-01").mkdir(parents=True)
    (monitoring / "2026-01" / "enterprises.csv").write_text("id,name\n1,某企业\n", encoding="utf-8")
    subprocess.run(["sh", "-c", f"umask 0077; {script}"], check=True,
                   env={"PATH": "/usr/bin:/bin", "ZHIZAO_MONITORING_DATA": str(monitoring)})
    [archive] = backups.glob("monitoring-*.tar.gz")
    assert (archive.stat().st_mode & 0o777) == 0o600
    with tarfile.open(archive) as t:
        assert "monitoring/2026-01/enterprises.csv" in t.getnames()
    failed = subprocess.run(["sh", "-c", script], env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
    assert failed.returncode != 0 and "ZHIZAO_MONITORING_DATA" in failed.stderr  # unset: the run fails, visibly


def test_a_duckdb_backup_restored_into_postgresql_says_to_create_the_first_administrator(small_store, tmp_path, pg_url,
                                                                                          capsys, monkeypatch):
    archive = tmp_path / "b.zip"
    zz.backup(small_store, archive)
    code, out, err = run_main(["restore", str(archive), "--db", pg_url], capsys, monkeypatch)
    assert code == 0, err
    assert "zhizao user add" in out and "--role admin" in out
    code, out, err = run_main(["restore", str(archive), "--db", str(tmp_path / "new.duckdb")], capsys, monkeypatch)
    assert code == 0 and "zhizao user add" not in out  # local mode has no accounts
