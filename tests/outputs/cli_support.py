"""Running `zhizao` in-process through main() (the installed entry point, with its last nets), and a
small SYNTHETIC monitoring folder shared by the CLI tests."""
from __future__ import annotations

import sys

import pytest

from zhizao.outputs import cli


def run_main(args: list[str], capsys, monkeypatch) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of `zhizao ARGS` as a user runs it."""
    monkeypatch.setattr(sys, "argv", ["zhizao", *args])
    capsys.readouterr()
    code = 0
    try:
        cli.main()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="session")
def synth_dir(tmp_path_factory):
    """Small synthetic data ending in December (2 years and a bit are needed by the forecast)."""
    from zhizao.synth import generate

    d = tmp_path_factory.mktemp("synth") / "zhizao-synth"
    generate(400, 48, "2021-01", 0, anomalies="default").write(d)
    return d
