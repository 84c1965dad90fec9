"""The stylesheet and scripts as files: a lost brace silently swallows every rule after it
(a merge once dropped the `}` of the print block, and the phone layout stopped applying)."""
from __future__ import annotations

import re
from pathlib import Path

import zhizao

STATIC = Path(zhizao.__file__).parent / "outputs" / "web" / "static"


def _depths(css: str) -> list[int]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)  # braces in comments do not count
    depth, seen = 0, []
    for ch in css:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        seen.append(depth)
    return seen


def test_stylesheet_braces_balance_and_blocks_close():
    css = (STATIC / "app.css").read_text(encoding="utf-8")
    depths = _depths(css)
    assert min(depths, default=0) >= 0 and depths[-1] == 0
    # each marked part starts at the top level, outside any @media block
    for m in re.finditer(r"/\* === ", css):
        assert _depths(css[:m.start()])[-1] == 0, css[m.start():m.start() + 60]


def test_no_merge_markers_in_the_package():
    root = Path(zhizao.__file__).parent
    for path in root.rglob("*"):
        if path.suffix in {".py", ".html", ".css", ".js", ".yaml", ".md", ".csv"} and "vendor" not in path.parts:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not re.search(r"^(<<<<<<<|>>>>>>>) ", text, re.M), path
