"""A feature that is not documented is a failing test (the datasette habit)."""
from pathlib import Path

from zhizao.settings import SETTINGS
from tests.scripts import load_script

ROOT = Path(__file__).resolve().parents[1]


def _gen():
    return load_script("scripts/gen_cli_docs.py")


def test_cli_reference_is_current():
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == _gen().render(), \
        "docs/cli.md is stale: run `python scripts/gen_cli_docs.py`"


def test_every_setting_is_documented():
    docs = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md"))
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in docs]
    assert not missing, f"settings without documentation: {missing}"


def test_readme_gives_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "scripts/install.sh" in readme and "zhizao assess" in readme
    assert "bash .ci/run" in readme or ".venv/bin/python -m pytest" in readme


def test_every_import_problem_code_is_documented():
    import re
    src = (ROOT / "zhizao" / "ingest" / "table.py").read_text(encoding="utf-8")
    src += (ROOT / "zhizao" / "store" / "importing.py").read_text(encoding="utf-8")
    pattern = r'"((?:unknown|bad|missing|duplicate|empty|extra|already|unreadable|unit)_[a-z_]+|period_outside_plan|period_year_conflict)"'
    codes = set(re.findall(pattern, src)) - {"unit_original"}
    doc = (ROOT / "docs" / "data-import.md").read_text(encoding="utf-8")
    missing = sorted(c for c in codes if f"`{c}`" not in doc)
    assert len(codes) > 15 and not missing, f"import problem codes not in docs/data-import.md: {missing}"
