"""Bilingual error base shared by the ingest modules."""

from __future__ import annotations

from zhizao.errors import UserError


class IngestError(UserError):
    """A value or file the ingest modules cannot read; the reason in Chinese and English."""
