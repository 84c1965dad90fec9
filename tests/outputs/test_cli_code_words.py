"""What the terminal prints in Chinese reads as Chinese: no code identifiers (labels.code_words()), no
English SYNTHETIC notice, and no raw numbers (6.92339, 3.032e+04, -0%, 716%, NaT, 00:00:00) (issue 10)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from cli_support import run_main, synth_dir  # noqa: E402,F401 - synth_dir is a fixture

from zhizao import labels  # noqa: E402

COMMANDS = [
    ["assess"], ["assess", "--year", "2024"], ["assess", "--year", "2023", "--as-of", "2024-06-30"],
    ["assess", "--plan", "chongqing-manufacturing-2023-2027"],
    ["plan", "show"], ["plan", "show", "--section", "clusters"], ["plan", "show", "--section", "industries"],
    ["plan", "show", "--section", "regions"], ["plan", "list"],
    ["data", "list"], ["data", "sources"], ["data", "batches"], ["settings"],
    ["monitor"], ["monitor", "--by", "enterprise"], ["monitor", "--by", "city"], ["monitor", "--by", "project"],
    ["warnings"], ["forecast"], ["forecast", "--period", "2024-06"],
    ["monitor", "--source", "published"], ["warnings", "--source", "published"],
    ["forecast", "--source", "published"],
]
# Codes the CLI's own tables translate (labels' CLI block) are scanned too.
WORDS = sorted(labels.code_words() | {k for t in ("qualifier", "indicator_kind", "industry_group")
                                      for k in labels.TABLES[t] if "_" in k})
CODE = re.compile(r"(?<![\w/.-])(" + "|".join(map(re.escape, WORDS)) + r")(?![\w/.-])")
# Three lowercase English words in a row: prose, not a name (Eurostat, STL, CUSUM) or a file path.
ENGLISH_PROSE = re.compile(r"(?<![\w/.-])[a-z]{2,}(?:[ ,;:]+[a-z]{2,}){2,}(?![\w/.-])")
RAW_NUMBER = re.compile(r"\d\.\d{4,}|\d[eE][+-]\d|-0%|(?<![\d.,])\d{4,}%|NaT|00:00:00|\bnan\b")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory, synth_dir):
    mp = pytest.MonkeyPatch()
    home = tmp_path_factory.mktemp("words")
    mp.setenv("ZHIZAO_DB", str(home / "s.duckdb"))
    mp.delenv("ZHIZAO_PLAN", raising=False)
    mp.setenv("ZHIZAO_MONITORING_DATA", str(synth_dir))
    mp.chdir(home)
    (home / "zhizao-synth").symlink_to(synth_dir)
    yield mp
    mp.undo()


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_chinese_output_has_no_code_words_or_raw_numbers(args, outputs, capsys, monkeypatch):
    code, out, err = run_main([*args, "--lang", "zh"] if args[0] != "plan" or args[1] != "list" else args,
                              capsys, monkeypatch)
    assert code == 0, err
    lines = (out + err).splitlines()
    if args == ["settings"]:  # the first column holds the names a user types with --set: identifiers on purpose
        lines = [line.split("│", 2)[2] if line.count("│") > 2 else line for line in lines]
        prose = {m.group(0) for line in lines for m in ENGLISH_PROSE.finditer(line)}
        assert not prose, f"English in the Chinese settings (meaning, basis): {prose}"
    text = "\n".join(lines)
    found = {m for line in lines for m in CODE.findall(line)}
    assert not found, f"code words in {' '.join(args)}: {found}"
    assert "SYNTHETIC" not in text
    raw = {m.group(0) for m in RAW_NUMBER.finditer(text)}
    assert not raw, f"raw numbers in {' '.join(args)}: {raw}"


def test_december_forecast_is_the_actual(outputs, capsys, monkeypatch):
    """The synthetic data end in December: the year is complete, so no `7.30 [7.30, 7.30]` interval."""
    code, out, _ = run_main(["forecast"], capsys, monkeypatch)
    assert code == 0 and "实际值，不是预测" in out and "下限" not in out
    code, out, _ = run_main(["forecast", "--lang", "en"], capsys, monkeypatch)
    assert code == 0 and "the actual, not a forecast" in out


def test_english_mode_prints_english_headers(outputs, capsys, monkeypatch):
    for args, heads in ((["plan", "show"], ("Name", "Target", "binding indicator")), (["data", "list"], ("Series", "Value")),
                        (["settings"], ("Name", "Default", "Meaning")), (["data", "batches"], ("Batch", "Rows"))):
        code, out, _ = run_main([*args, "--lang", "en"], capsys, monkeypatch)
        assert code == 0 and all(h in out for h in heads), (args, out[:400])
        assert "名称" not in out.split("\n", 3)[-1][:600] or args[0] == "plan"
