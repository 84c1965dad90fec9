"""Write docs/cli.md from the CLI's own --help, so the reference cannot drift (a test checks)."""
from __future__ import annotations

import sys
from pathlib import Path

import typer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

INTRO = """# CLI reference

Generated from `zhizao --help` by `python scripts/gen_cli_docs.py`; `tests/test_docs.py` fails when
this file and the CLI disagree.

The store is the DuckDB file or `postgresql://` URL given by `--db`, else the `ZHIZAO_DB` environment
variable, else `~/.local/share/zhizao/zhizao.duckdb` (`$XDG_DATA_HOME/zhizao/zhizao.duckdb` when that
is set); docs/storage.md describes both backends, `zhizao db status` and `zhizao backup` / `restore`.
A new store for the embedded plan is loaded with the bundled real Chongqing data.

The plan is `--plan ID|PATH` on every command that uses one, else the `ZHIZAO_PLAN` environment
variable, else the store's own plan: the embedded default when the store has its data (or nothing
yet), else the first plan registered in the store. A plan file used once is registered in the store
(its text, so it loads even if the file moves) and can then be named by its id; `zhizao plan list`
lists the embedded and registered plans. Statistics are shared by the plans of a store; links belong
to one plan (`data import --plan`). An unknown id exits 2, listing the known ids.
Every command has a Python twin in `zhizao.api` returning data frames or dicts.

Exit status: 0 done; 1 a finding or refusal the command reports (an import refused with its problems
table, lint errors) or an internal error (one line, no traceback; `ZHIZAO_DEBUG=1` shows the
traceback); 2 a mistake in the command line or its input files, with a message naming what to do.
"""


def _commands(app: typer.Typer) -> list[tuple[str, typer.Typer | None]]:
    """(name, sub-app or None) for each command of a Typer app, sorted by name."""
    out = []
    for c in app.registered_commands:
        out.append((c.name or c.callback.__name__.replace("_", "-"), None))
    for g in app.registered_groups:
        out.append((g.name or g.typer_instance.info.name, g.typer_instance))
    return sorted(out, key=lambda x: x[0])


def render() -> str:
    from typer.testing import CliRunner

    from zhizao.outputs.cli import app

    runner = CliRunner()
    parts = [INTRO]

    def walk(sub: typer.Typer | None, path: list[str]) -> None:
        if len(path) > 1:
            parts.append(f"\n## `{' '.join(path)}`\n\n")
        out = runner.invoke(app, [*path[1:], "--help"], env={"COLUMNS": "100", "TERMINAL_WIDTH": "100", "NO_COLOR": "1"},
                            terminal_width=100, prog_name="zhizao").output
        parts.append("```text\n" + "\n".join(line.rstrip() for line in out.strip("\n").splitlines()) + "\n```\n")
        if sub is not None:
            for name, child in _commands(sub):
                walk(child, path + [name])

    walk(app, ["zhizao"])
    return "".join(parts)


if __name__ == "__main__":
    (ROOT / "docs" / "cli.md").write_text(render(), encoding="utf-8")
    print("wrote docs/cli.md")
