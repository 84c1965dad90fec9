"""Every option value is checked: a bad one ends in ONE line naming what is allowed, exit status 2,
no traceback (through main(), the installed `zhizao`), and nothing is written (issue 10)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from cli_support import run_main, synth_dir  # noqa: E402,F401 - synth_dir is a fixture

BAD = [
    (["assess", "--as-of", "30/06/2024"], "YYYY-MM-DD"),
    (["assess", "--year", "2030"], "2021"),
    (["assess", "--year", "abc"], "--year"),
    (["assess", "--format", "xml"], "table"),
    (["assess", "--lang", "fr"], "zh"),
    (["assess", "-s", "no_such_setting=1"], "--set"),
    (["assess", "--plan", "chongqing-manufacturing-2023-2027", "--year", "2021"], "2023"),
    (["report", "--year", "2030"], "2025"),
    (["report", "--style", "fancy"], "gongwen"),
    (["report", "--format", "docx,odt"], "xlsx"),
    (["brief", "--format", "pdf"], "html"),
    (["plan", "show", "--section", "towns"], "indicators"),
    (["plan", "list", "--format", "pdf"], "json"),
    (["data", "list", "--as-of", "2024/13/01"], "YYYY-MM-DD"),
    (["data", "batches", "--lang", "de"], "en"),
    (["settings", "--format", "yaml"], "csv"),
    (["monitor", "--by", "town"], "district"),
    (["monitor", "--source", "rumour"], "published"),
    (["monitor", "--period", "2030-01"], "2022-02"),  # the first month with a YTD growth
    (["monitor", "--period", "2024/13"], "YYYY-MM"),
    (["monitor", "--top", "0"], "--top"),
    (["monitor", "--source", "published", "--by", "enterprise"], "industry"),
    (["monitor", "--source", "published", "--period", "2030-01"], "2030-01"),
    (["warnings", "--severity", "critical"], "high"),
    (["warnings", "--rule", "foo"], "five_light"),
    (["warnings", "--period", "2010-05"], "2022-02"),
    (["forecast", "--period", "2030-01"], "2022-02"),
    (["forecast", "--set", "nope=1"], "--set"),
    (["synth", "--start", "2019-05"], "2019-01"),
    (["synth", "--months", "3"], "--months"),
    (["no-such-command"], "zhizao"),
    (["assess", "--no-such-option"], "--no-such-option"),
]


@pytest.fixture()
def env(tmp_path, monkeypatch, synth_dir):
    monkeypatch.setenv("ZHIZAO_DB", str(tmp_path / "s.duckdb"))
    monkeypatch.delenv("ZHIZAO_PLAN", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "zhizao-synth").symlink_to(synth_dir)  # the monitoring commands' default --data
    return tmp_path


@pytest.mark.parametrize("args, words", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_value_is_one_line_and_exit_2(args, words, env, capsys, monkeypatch):
    before = {p.name for p in env.iterdir()}
    code, out, err = run_main(args, capsys, monkeypatch)
    assert code == 2, (out, err)
    assert "Traceback" not in out + err and "内部错误" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert words in lines[0], lines[0]
    assert {p.name for p in env.iterdir()} <= before | {"s.duckdb", "s.duckdb.wal"}  # no report, no data written


def test_english_messages_with_lang_en(env, capsys, monkeypatch):
    code, _, err = run_main(["monitor", "--by", "town", "--lang", "en"], capsys, monkeypatch)
    assert code == 2 and "allowed: city, district" in err
    code, _, err = run_main(["assess", "--year", "2030", "--lang", "en"], capsys, monkeypatch)
    assert code == 2 and "outside the plan period" in err and "2021–2025" in err


def test_version(capsys, monkeypatch):
    from zhizao import __version__

    code, out, _ = run_main(["--version"], capsys, monkeypatch)
    assert code == 0 and out.strip() == f"zhizao {__version__}" and __version__[0].isdigit()
