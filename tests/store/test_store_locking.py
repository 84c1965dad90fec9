"""Two processes, one DuckDB file: opens wait for the other process, then refuse clearly.

DuckDB lets one process at a time open a file for writing (docs/dashboard.md §Concurrency). The
holder here is a real second process; "waiting" is observed through the retry's sleep, never timed.
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import zhizao.api as zz
import zhizao.store.store as store_module
from zhizao.store.store import Store, StoreBusy

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from store_holder import held_by_another_process  # noqa: E402

ASSETS = Path(__file__).parents[1] / "assets"
PLAN = ASSETS / "fictional-plan.yaml"


# The CLI, with a marker file touched when the open starts waiting for the lock.
WAITING_CLI = """
import pathlib, sys
import zhizao.store.store as st
marker, real_sleep = pathlib.Path(sys.argv[1]), st.time.sleep
def sleep(s):
    marker.touch()
    real_sleep(s)
st.time.sleep = sleep
sys.argv = ["zhizao", *sys.argv[2:]]
from zhizao.outputs.cli import main
main()
"""


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "s.duckdb"
    zz.import_data(ASSETS / "fictional-links.yaml", plan=zz.load_plan(PLAN), db=path)
    return path


def _cli_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "ZHIZAO_LOCK_TIMEOUT"}
    return {**env, "PYTHONIOENCODING": "utf-8", **extra}


def test_an_open_waits_while_another_process_holds_the_file(db, monkeypatch):
    waiting = threading.Event()
    real_sleep = store_module.time.sleep
    monkeypatch.setattr(store_module.time, "sleep", lambda s: (waiting.set(), real_sleep(s)))
    result = {}

    def open_it():
        try:
            with Store(db, lock_timeout=120) as s:
                result["counts"] = s.counts()
        except Exception as e:  # noqa: BLE001 - reported by the assertion below
            result["error"] = e

    with held_by_another_process(db):
        t = threading.Thread(target=open_it)
        t.start()
        assert waiting.wait(60), "the open did not wait for the lock"
        assert t.is_alive()
    t.join(120)
    assert "error" not in result, result.get("error")
    assert result["counts"]["links"] > 0


def test_an_open_gives_up_with_a_clear_message(db, monkeypatch):
    with held_by_another_process(db) as holder:
        with pytest.raises(StoreBusy) as info:
            Store(db, lock_timeout=0.2)
        monkeypatch.setenv("ZHIZAO_LOCK_TIMEOUT", "0")
        with pytest.raises(StoreBusy):
            Store(db)  # the default comes from the environment
    e = info.value
    assert "数据库正被另一个进程使用" in e.message_zh and "请稍后重试" in e.message_zh
    assert f"进程 {holder.pid}" in e.message_zh and "in use by another process" in e.message_en
    assert str(db) in e.message_en


def test_other_open_errors_are_not_retried(tmp_path):
    folder = tmp_path / "a-folder.duckdb"
    folder.mkdir()
    with pytest.raises(Exception) as info:
        Store(folder, lock_timeout=60)
    assert not isinstance(info.value, StoreBusy)


def test_cli_import_refused_clearly_while_another_process_holds_the_store(db):
    with held_by_another_process(db):
        r = subprocess.run(
            [sys.executable, "-m", "zhizao.outputs.cli", "data", "import", str(ASSETS / "fictional-data.csv"),
             "--db", str(db), "--plan", str(PLAN)],
            capture_output=True, text=True, env=_cli_env(ZHIZAO_LOCK_TIMEOUT="0.3"), timeout=120)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    assert "数据库正被另一个进程使用" in r.stderr and "in use by another process" in r.stderr
    with Store(db) as s:
        assert s.counts()["observations"] == 0  # nothing written


def test_cli_import_succeeds_once_the_server_releases_the_store(db, tmp_path):
    """The dashboard holds the file only while it computes; a CLI import started then waits."""
    marker = tmp_path / "cli-is-waiting"
    with Store(db) as server_connection:  # this process plays the server, mid-computation
        cli = subprocess.Popen(
            [sys.executable, "-c", WAITING_CLI, str(marker), "data", "import",
             str(ASSETS / "fictional-data.csv"), "--db", str(db), "--plan", str(PLAN)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_cli_env(ZHIZAO_LOCK_TIMEOUT="120"))
        for _ in range(600):
            if marker.exists() or cli.poll() is not None:
                break
            threading.Event().wait(0.1)
        assert marker.exists(), "the CLI did not wait for the lock: " + (cli.stderr.read() if cli.poll() else "")
        assert server_connection.counts()["observations"] == 0
    out, errs = cli.communicate(timeout=120)
    assert cli.returncode == 0, errs
    assert "Traceback" not in errs
    with Store(db) as s:
        assert s.counts()["observations"] > 0
