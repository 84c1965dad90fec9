"""Monitoring settings as the rules read them.

The thresholds are declared once, in the base module `zhizao.settings` (MONITORING_SETTINGS): a
base module imports no layer, so the declarations live there and the analytics receive the values
in a `Settings`. Add a new monitoring threshold there, not here. This module keeps the name
importable and holds the rules' parsing helper.
"""
from __future__ import annotations

from zhizao.settings import MONITORING_SETTINGS

__all__ = ["MONITORING_SETTINGS", "parse_floats"]


def parse_floats(text: str) -> tuple[float, ...]:
    """'2,1,-1,-2' → (2.0, 1.0, -1.0, -2.0); settings hold lists as text so -s can override them."""
    return tuple(float(x) for x in str(text).split(",") if x.strip())
