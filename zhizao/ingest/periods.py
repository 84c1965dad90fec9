"""Reporting periods: a calendar year, a year-to-date cumulative (1–N月) or a single month.

Accepted text (full-width characters and spaces are tolerated):

* year: `2024`, `2024年`, `2024年全年`, `2024年度`
* year-to-date, January to month N (the statistics bureau's 1–N月 cumulative):
  `2024-09`, `2024年1-9月` (also 1—9月, 1–9月, 1~9月, 1至9月, 1月-9月),
  `2024年一季度` (3), `2024年上半年`/`前两季度` (6), `2024年前三季度` (9), `前四季度` (12)
* single month: `2024-09(当月)`, `2024-09M`, `2024年9月当月`, `2024年9月`, `2024年9月份`

January and February are released together, so `2024-02` is the 1–2月 cumulative.
A January-only figure (`2024-01`, `2024年1月`) is valid input, but releases usually omit it.
Single quarters other than the first (二季度, 三季度, 四季度) are not cumulative and are refused.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from ._errors import IngestError


class PeriodError(IngestError):
    """The text is not a period this module understands."""


PERIOD_TYPES = ("year", "ytd", "month")
_MONTHS_EN = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass(frozen=True)
class Period:
    """A period; `month` is the last month covered (ytd) or the month itself (month)."""

    period_type: str
    year: int
    month: int | None = None

    def __post_init__(self) -> None:
        if self.period_type not in PERIOD_TYPES:
            raise PeriodError(f"未知时期类型“{self.period_type}”", f"unknown period type '{self.period_type}'")
        if not 1900 <= self.year <= 2200:
            raise PeriodError(f"年份{self.year}不合理", f"implausible year {self.year}")
        if self.period_type == "year":
            if self.month is not None:
                raise PeriodError("年度数据不应带月份", "a year period has no month")
        elif self.month is None or not 1 <= self.month <= 12:
            raise PeriodError(f"月份“{self.month}”应在1到12之间", f"month '{self.month}' must be 1–12")

    @property
    def key(self) -> str:
        """Stable text key: '2024', '2024-09' (1–9月 cumulative) or '2024-09M' (September)."""
        if self.period_type == "year":
            return str(self.year)
        return f"{self.year}-{self.month:02d}" + ("M" if self.period_type == "month" else "")

    def label(self, lang: str = "zh") -> str:
        """'2024年' / '2024年1-9月' / '2024年9月', or '2024' / 'Jan–Sep 2024' / 'Sep 2024'."""
        zh = lang == "zh"
        if self.period_type == "year":
            return f"{self.year}年" if zh else str(self.year)
        m = self.month
        if self.period_type == "month":
            return f"{self.year}年{m}月" if zh else f"{_MONTHS_EN[m - 1]} {self.year}"
        if m == 1:  # a one-month cumulative must not read like the single month
            return f"{self.year}年1月(累计)" if zh else f"Jan {self.year} (cumulative)"
        return f"{self.year}年1-{m}月" if zh else f"Jan–{_MONTHS_EN[m - 1]} {self.year}"


_DASH = r"[-—–~至到]"
_FORMS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?P<y>\d{4})(?:年|年全年|年度)?"), "year"),
    (re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})"), "ytd"),
    (re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})(?:\(当月\)|[Mm])"), "month"),
    (re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?:份)?(?:当月)?"), "month"),
    (re.compile(rf"(?P<y>\d{{4}})年(?P<a>\d{{1,2}})月?{_DASH}(?P<m>\d{{1,2}})月(?:累计)?"), "ytd"),
]
_QUARTERS = re.compile(
    r"(?P<y>\d{4})年?(?:(?P<first>第?一季度)|(?P<half>上半年)"
    r"|(?:前|一至|1-)(?P<q>[一二两三四1-4])(?:个)?季度|(?:第)?(?P<single>[二三四2-4])季度)"
)


@functools.lru_cache(maxsize=4096)  # pure; a large import repeats a few periods
def parse_period(text: str) -> Period:
    """Parse period text (see module doc); raises `PeriodError`."""
    raw = "" if text is None else str(text)
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw))
    if not s:
        raise PeriodError("时期为空", "the period is empty")
    for pattern, period_type in _FORMS:
        m = pattern.fullmatch(s)
        if m:
            if m.groupdict().get("a") not in (None, "1", "01"):
                raise PeriodError(
                    f"“{raw}”不是从1月起的累计期，只接受“1-N月”",
                    f"'{raw}' does not start in January; only 1–N cumulative periods are accepted",
                )
            month = int(m["m"]) if "m" in m.groupdict() else None
            return _make(raw, period_type, int(m["y"]), month)
    m = _QUARTERS.fullmatch(s)
    if m:
        if m["single"]:
            raise PeriodError(
                f"“{raw}”是单季度数据，不是累计数；请写成“1-N月”累计期",
                f"'{raw}' is a single quarter, not a cumulative period; give the 1–N month cumulative",
            )
        month = 3 if m["first"] else 6 if m["half"] else 3 * _CN_DIGITS[m["q"]]
        return _make(raw, "ytd", int(m["y"]), month)
    raise PeriodError(
        f"无法识别时期“{raw}”（可写2024、2024-09、2024-09(当月)、2024年1-9月）",
        f"unrecognised period '{raw}' (use 2024, 2024-09, 2024-09(当月) or 2024年1-9月)",
    )


def _make(raw: str, period_type: str, year: int, month: int | None) -> Period:
    try:
        return Period(period_type, year, month)
    except PeriodError as exc:
        raise PeriodError(f"时期“{raw}”无效：{exc.reason_zh}", f"invalid period '{raw}': {exc.reason_en}") from None
