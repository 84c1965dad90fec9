"""A lint finding: one module so the plan's lints (numbers, chain maps) share it without importing each other."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    indicator: str  # the subject: an indicator id, or "chain.link" / "chain" for the chain maps
    check: str
    severity: str  # error | warning | info
    message_zh: str
    message_en: str
