"""One rule for terminal output: rich consoles that stay readable in pipes and CI logs."""
from __future__ import annotations

import sys

from rich.console import Console


def make_console(stderr: bool = False) -> Console:
    """A rich console; when the stream is not a terminal, 200 columns instead of rich's 80,
    so that wide Chinese tables are not truncated in logs and redirected output."""
    stream = sys.stderr if stderr else sys.stdout
    return Console(stderr=stderr, width=None if stream.isatty() else 200)
