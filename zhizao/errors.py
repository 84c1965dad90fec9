"""The one error type a user may see: a reason in Chinese and English, and what to do.

Any layer raises `UserError` (or a subclass) for a mistake the user can fix; the CLI prints its
reason in the chosen language and exits 2, the dashboard shows it on the page. Anything else
that escapes is a bug, reported by the CLI's last net as an internal error.
"""
from __future__ import annotations


class UserError(ValueError):
    def __init__(self, reason_zh: str, reason_en: str) -> None:
        super().__init__(f"{reason_zh} / {reason_en}")
        self.reason_zh = reason_zh
        self.reason_en = reason_en

    def reason(self, lang: str = "zh") -> str:
        return self.reason_en if lang == "en" else self.reason_zh


class MonitoringDataMissing(UserError, FileNotFoundError):
    """No `zhizao synth` folder where monitoring looked (still a FileNotFoundError for callers)."""
