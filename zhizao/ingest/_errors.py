"""Bilingual error base shared by the ingest modules."""

from __future__ import annotations


class IngestError(ValueError):
    """A ValueError that carries the reason in Chinese and English."""

    def __init__(self, reason_zh: str, reason_en: str) -> None:
        super().__init__(f"{reason_en} / {reason_zh}")
        self.reason_zh = reason_zh
        self.reason_en = reason_en

    def reason(self, lang: str = "zh") -> str:
        return self.reason_zh if lang == "zh" else self.reason_en
