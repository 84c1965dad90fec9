"""A user's mistakes end in a message and exit status 2; the unexpected in one line and exit 1.

These go through `main()` (the installed `zhizao` command), which holds the last net."""
from __future__ import annotations

import subprocess
import sys

import pytest

from zhizao.outputs import cli


def run(args: list[str], tmp_path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zhizao.outputs.cli", *args], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, env={"ZHIZAO_DB": str(tmp_path / "s.duckdb"), "PATH": "/usr/bin:/bin",
                                                      "HOME": str(tmp_path)})


@pytest.mark.parametrize("args, words", [
    (["monitor", "--period", "2030-01"], "zhizao synth"),
    (["warnings", "--lang", "en", "--period", "2025-06"], "no monitoring data"),  # without --period: the chain warnings
    (["data", "list", "--as-of", "2024/13/01"], "YYYY-MM-DD"),
])
def test_mistakes_end_in_a_message(args, words, tmp_path):
    r = run(args, tmp_path)
    assert r.returncode == 2, r.stderr
    assert words in r.stderr
    assert "Traceback" not in r.stderr + r.stdout


def test_as_of_accepts_slashes(tmp_path):
    r = run(["data", "list", "--as-of", "2024/06/30", "--format", "csv"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("obs_id,") or "series" in r.stdout.splitlines()[0]


def test_unexpected_error_is_one_message_not_a_traceback(monkeypatch, capsys):
    def boom(**_):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(cli, "app", boom)
    monkeypatch.delenv("ZHIZAO_DEBUG", raising=False)
    with pytest.raises(SystemExit) as e:
        cli.main()
    assert e.value.code == 1
    out = capsys.readouterr().err
    assert "内部错误" in out and "RuntimeError: disk on fire" in out and "Traceback" not in out


def test_debug_shows_the_traceback(monkeypatch):
    monkeypatch.setattr(cli, "app", lambda **_: (_ for _ in ()).throw(RuntimeError("x")))
    monkeypatch.setenv("ZHIZAO_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli.main()


@pytest.mark.parametrize("content", [b"\x00\x01\x02PK\x03\x04garbage\xff\xfe" * 50, b"\xff\xfe\xfa" * 100])
def test_import_of_unreadable_file_is_a_problem_not_a_traceback(content, tmp_path):
    bad = tmp_path / "garbage.csv"
    bad.write_bytes(content)
    r = run(["data", "import", str(bad)], tmp_path)
    assert r.returncode == 1, r.stderr
    assert "unreadable_file" in r.stderr or "无法读取" in r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    listed = run(["data", "batches", "--format", "csv"], tmp_path)
    assert "garbage.csv" not in listed.stdout
