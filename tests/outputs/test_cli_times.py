"""Times on the command line are in the display time zone, named (as /admin/audit): `zhizao data batches`
showed imported_at in UTC without a label, and the bundled batch's English note in zh mode."""
from __future__ import annotations

import duckdb
import pytest
from rich.console import Console

import zhizao.api as zz
from zhizao.outputs import cli

from cli_support import run_main


@pytest.fixture
def store(tmp_path):
    db = tmp_path / "s.duckdb"
    zz.open_store(db).close()
    con = duckdb.connect(str(db))
    con.execute("UPDATE batches SET imported_at = TIMESTAMP '2026-01-01 16:30:00'")
    con.close()
    return db


def test_data_batches_shows_beijing_time_named_and_the_bundled_note_in_chinese(store, capsys, monkeypatch):
    monkeypatch.setattr(cli, "console", Console(width=120, color_system=None))
    code, out, err = run_main(["data", "batches", "--db", str(store)], capsys, monkeypatch)
    assert code == 0, err
    assert "2026-01-02 00:30" in out and "北京时间" in out and "2026-01-01" not in out
    assert "随附的真实公开统计数据" in out and "bundled real published" not in out
    code, out, _ = run_main(["data", "batches", "--db", str(store), "--lang", "en"], capsys, monkeypatch)
    assert "Beijing time" in out and "bundled real published" in out
    monkeypatch.setenv("ZHIZAO_TIME_ZONE", "UTC")
    code, out, _ = run_main(["data", "batches", "--db", str(store)], capsys, monkeypatch)
    assert "2026-01-01 16:30" in out
    code, out, _ = run_main(["data", "batches", "--db", str(store), "--format", "json"], capsys, monkeypatch)
    assert "2026-01-01T16:30:00" in out  # machine formats keep the stored UTC
