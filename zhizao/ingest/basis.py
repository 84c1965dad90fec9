"""The basis of a value: what a published number measures besides its period.

Releases print levels (2121 家), changes on the previous year (比上年下降10.8%), cumulative
changes since a year (较2020年累计下降13.5%), averages over a period (十四五以来年均增长6.6%) and
stocks as of a date (截至2022年3月，累计2121家). The basis is stored with every observation:

* `level` — a value for its period (the default; every value before the basis existed);
* `change_on_previous_year` — % (or 百分点) change on the year before;
* `cumulative_since` — change of the level since `basis_from` (a base year: 较2020年 → "2020");
* `average_over` — the average annual change over the years after `basis_from` up to the
  observation's year (十四五以来 / 2021—2025年年均 → "2020", the year the period grows from);
* `stock_as_of` — a stock counted on a date (`basis_from` "2022-03" or "2022-03-31"); it
  counts for the year of that date.

`parse_basis` reads the import's basis column (codes or wordings), `basis_in_text` finds a basis
at the front of a value (and returns the value without it), `basis_in_name` recognises a series
name that states one (only unambiguous forms: 累计 alone also means year-to-date or a stock).
"""
from __future__ import annotations

from zhizao import labels

import re
import unicodedata
from dataclasses import dataclass

from ._errors import IngestError

BASES = ("level", "change_on_previous_year", "cumulative_since", "average_over", "stock_as_of")
NEEDS_FROM = ("cumulative_since", "average_over", "stock_as_of")

LABELS = labels.BASIS

# first year of each five-year plan (十四五 = 2021–2025); 以来 counts from the year before
FIVE_YEAR_PLANS = {"十五": 2001, "十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026}
_FYP = "|".join(sorted(FIVE_YEAR_PLANS, key=len, reverse=True))


class BasisError(IngestError):
    """The basis text cannot be read, or needs a year or date it does not give."""


@dataclass(frozen=True)
class Basis:
    """A basis as read; `start` is `basis_from` (None: not stated yet), `end` the last year a
    stated range covers (2021—2025年年均 → 2025), to be checked against the period."""

    basis: str
    start: str | None = None
    end: int | None = None
    text: str = ""

    def label(self, lang: str = "zh") -> str:
        return basis_label(self.basis, self.start, lang)


def basis_label(basis: str | None, basis_from: str | None, lang: str = "zh") -> str:
    """'较2020年累计' / 'cumulative since 2020', '截至2022-03' / 'stock as of 2022-03' …"""
    basis = basis or "level"
    zh = lang != "en"
    f = basis_from or "?"
    if basis == "cumulative_since":
        return f"较{f}年累计" if zh else f"cumulative since {f}"
    if basis == "average_over":
        return f"{f}年以来年均" if zh else f"annual average since {f}"
    if basis == "stock_as_of":
        return f"截至{f}" if zh else f"stock as of {f}"
    return LABELS.get(basis, (basis, basis))[0 if zh else 1]


_DASH = r"[-—–~至到]"
_YEAR = r"(?:19|20|21)\d{2}"
_CHANGE_WORDS = r"(?:增长|下降|提高|降低|减少|增加|上升|回落|下滑|下跌|上涨|变化|增减|增速|降幅)"
_DATE = re.compile(
    rf"(?:截至|截止)(?:到)?(?P<y>{_YEAR})(?:年(?:(?P<m>\d{{1,2}})月(?:(?P<d>\d{{1,2}})日)?(?:底|末|份)?"
    rf"|(?P<ye>底|末)?)|-(?P<m2>\d{{1,2}})(?:-(?P<d2>\d{{1,2}}))?)?"
)
_PREV = re.compile(r"^(?:比上年同期|较上年同期|比上年|较上年|同比|比去年|较去年|上年同期)")
_CUM = re.compile(
    rf"^(?:(?:较|比|相比|相较)(?P<y>{_YEAR})年(?:末|底)?(?:累计)?"
    rf"|(?P<y2>{_YEAR})年以来(?:累计)?|(?P<fyp>{_FYP})以来累计"
    rf"|(?P<a>{_YEAR})年?{_DASH}(?P<b>{_YEAR})年?累计|累计(?=\({_YEAR})|累计(?={_CHANGE_WORDS}))"
)
_CUM_RANGE_AFTER = re.compile(rf"^\((?P<a>{_YEAR}){_DASH}(?P<b>{_YEAR})\)")
_AVG = re.compile(
    rf"^(?:(?P<fyp>{_FYP})(?:以来|时期|期间)?年均|(?P<y>{_YEAR})年以来年均"
    rf"|(?P<a>{_YEAR})年?{_DASH}(?P<b>{_YEAR})年?(?:期间)?年均|年均)"
)


def _match_cumulative(s: str) -> tuple[Basis, int] | None:
    m = _CUM.match(s)
    if not m:
        return None
    end = None
    if m["y"] or m["y2"]:
        start = m["y"] or m["y2"]
    elif m["fyp"]:
        start = str(FIVE_YEAR_PLANS[m["fyp"]] - 1)
    elif m["a"]:
        start, end = str(int(m["a"]) - 1), int(m["b"])
    else:
        start = None
    length = m.end()
    r = _CUM_RANGE_AFTER.match(s[length:])
    if start is None and r:  # 累计下降(2016-2021) is written with the range after
        start, end, length = str(int(r["a"]) - 1), int(r["b"]), length + r.end()
    return Basis("cumulative_since", start, end, s[:length]), length


def _match_average(s: str) -> tuple[Basis, int] | None:
    m = _AVG.match(s)
    if not m:
        return None
    end = None
    if m["fyp"]:
        start = str(FIVE_YEAR_PLANS[m["fyp"]] - 1)
        if "以来" not in m.group(0):  # 十四五时期年均: the whole five years
            end = FIVE_YEAR_PLANS[m["fyp"]] + 4
    elif m["y"]:
        start = m["y"]
    elif m["a"]:
        start, end = str(int(m["a"]) - 1), int(m["b"])
    else:
        start = None
    return Basis("average_over", start, end, m.group(0)), m.end()


def _match_stock(s: str) -> tuple[Basis, int] | None:
    m = _DATE.match(s)
    if not m:
        return None
    y = int(m["y"])
    month = m["m"] or m["m2"]
    day = m["d"] or m["d2"]
    if month is None:
        month = "12"  # 截至2022年底 / 截至2022年
    mo = int(month)
    if not 1 <= mo <= 12:
        raise BasisError(f"“{m.group(0)}”中的月份不在1–12之间", f"the month in '{m.group(0)}' is not 1–12")
    date = f"{y}-{mo:02d}"
    if day is not None:
        d = int(day)
        if not 1 <= d <= 31:
            raise BasisError(f"“{m.group(0)}”中的日期不在1–31之间", f"the day in '{m.group(0)}' is not 1–31")
        date += f"-{d:02d}"
    return Basis("stock_as_of", date, None, m.group(0)), m.end()


_CODE = re.compile(
    r"^(?P<code>level|change_on_previous_year|cumulative_since|average_over|stock_as_of)"
    r"(?:[:：=\s]*(?P<arg>\S*))?$", re.IGNORECASE)
_LEVEL_WORDS = {"水平", "水平值", "绝对值", "总量", "当年值", "当期值", "年度值"}
_PREV_WORDS = {"比上年", "较上年", "同比", "比上年增长", "比上年下降", "比上年增减", "比上年变化", "较上年增长",
               "较上年下降", "同比增长", "同比下降", "比上年提高", "比上年降低", "比上年同期", "较上年同期",
               "增速", "增长率", "年度增速", "当年增速", "上年同期"}
_STOCK_WORDS = {"存量", "时点数", "时点值", "累计数", "累计认定", "期末数"}


def parse_basis(text: str) -> Basis | None:
    """The basis column: a code (`cumulative_since 2020`, `average_over:2020`, `stock_as_of 2022-03`)
    or a wording (比上年, 较2020年累计, 十四五以来年均, 2021—2025年年均, 截至2022年3月 …). Blank → None.
    `start` may stay None (累计下降, 年均, 存量): the value or the period must then supply it."""
    raw = "" if text is None else str(text)
    s = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", raw)).strip()
    if not s:
        return None
    m = _CODE.match(s)
    if m:
        code, arg = m["code"].lower(), (m["arg"] or "").strip()
        if not arg:
            return Basis(code, None, None, raw)
        if code in ("level", "change_on_previous_year"):
            raise BasisError(f"“{code}”不带年份或日期", f"'{code}' takes no year or date")
        if code == "stock_as_of":
            d = re.fullmatch(rf"({_YEAR})(?:-(\d{{1,2}})(?:-(\d{{1,2}}))?)?", arg)
            if not d:
                raise BasisError("stock_as_of 后应为日期，如 stock_as_of 2022-03",
                                 "stock_as_of takes a date, e.g. stock_as_of 2022-03")
            return Basis("stock_as_of", _match_stock(f"截至{arg}")[0].start, None, raw)
        if not re.fullmatch(_YEAR, arg):
            raise BasisError(f"{code} 后应为起算年份，如 {code} 2020",
                             f"{code} takes the year the change is measured from, e.g. {code} 2020")
        return Basis(code, arg, None, raw)
    compact = s.replace(" ", "")
    if compact in _LEVEL_WORDS:
        return Basis("level", None, None, raw)
    if compact in _STOCK_WORDS:
        return Basis("stock_as_of", None, None, raw)
    if compact in _PREV_WORDS:
        return Basis("change_on_previous_year", None, None, raw)
    found, rest = basis_in_text(compact)
    if found is not None:
        if not re.sub(rf"{_CHANGE_WORDS}|率|幅度|%|[()]", "", rest):
            return Basis(found.basis, found.start, found.end, raw)
    raise BasisError(
        "不是可识别的数据口径：可写 level、change_on_previous_year、cumulative_since 2020、average_over 2020、"
        "stock_as_of 2022-03，或 比上年、较2020年累计、十四五以来年均、2021—2025年年均、截至2022年3月",
        "not a recognised basis: use level, change_on_previous_year, cumulative_since 2020, average_over 2020, "
        "stock_as_of 2022-03, or the wordings 比上年, 较2020年累计, 十四五以来年均, 2021—2025年年均, 截至2022年3月")


def basis_in_text(text: str) -> tuple[Basis | None, str]:
    """A basis stated at the front of a value (`较2020年累计下降13.5%`, `比上年增长5%`,
    `十四五以来年均增长6.6%`, `截至2022年3月累计2121`): (basis, the value without the basis words).
    The change word stays (`下降13.5%` → −13.5)."""
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or "")))
    s = s.lstrip(",，:：")
    if not s:
        return None, s
    found = _match_stock(s)
    if found:
        b, n = found
        return b, strip_stock_words(s[n:])
    for matcher in (_match_cumulative, _match_average):
        found = matcher(s)
        if found:
            b, n = found
            return b, s[n:].lstrip(",，:：")
    m = _PREV.match(s)
    if m:  # the change word after it (增长/下降) keeps the sign
        return Basis("change_on_previous_year", None, None, m.group(0)), s[m.end():]
    return None, s


_NAME_PREV = re.compile(r"(?:比上年|较上年|比上年同期|较上年同期|同比)(?:" + _CHANGE_WORDS + r")")
_NAME_CUM = re.compile(rf"(?:较|比|相比)(?P<y>{_YEAR})年(?:末|底)?累计|(?P<y2>{_YEAR})年以来累计"
                       rf"|累计{_CHANGE_WORDS}\((?P<a>{_YEAR}){_DASH}(?P<b>{_YEAR})\)")
_NAME_AVG = re.compile(rf"(?P<fyp>{_FYP})以来年均|(?P<y>{_YEAR})年以来年均|(?P<a>{_YEAR})年?{_DASH}(?P<b>{_YEAR})年?年均")


def basis_in_name(name: str) -> Basis | None:
    """A basis a series name states unambiguously: '…比上年下降', '…较2020年累计下降',
    '…十四五以来年均增长', '…累计下降(2016-2021)'. Plain 累计 (year to date, or a stock) is not one."""
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(name or "")))
    s = s.replace("（", "(").replace("）", ")").replace("—", "-").replace("–", "-")
    m = _NAME_CUM.search(s)
    if m:
        if m["a"]:
            return Basis("cumulative_since", str(int(m["a"]) - 1), int(m["b"]), m.group(0))
        return Basis("cumulative_since", m["y"] or m["y2"], None, m.group(0))
    m = _NAME_AVG.search(s)
    if m:
        if m["fyp"]:
            return Basis("average_over", str(FIVE_YEAR_PLANS[m["fyp"]] - 1), None, m.group(0))
        if m["a"]:
            return Basis("average_over", str(int(m["a"]) - 1), int(m["b"]), m.group(0))
        return Basis("average_over", m["y"], None, m.group(0))
    m = _NAME_PREV.search(s)
    if m:
        return Basis("change_on_previous_year", None, None, m.group(0))
    m = _DATE.search(s)
    if m:
        return _match_stock(s[m.start():])[0]
    return None


def strip_stock_words(text: str) -> str:
    """`累计2121家` counted as of a date: the count without 累计 (a stock, not a change)."""
    return re.sub(r"^[,，:：]?(?:累计(?:认定|达到|达)?|共计|共|已)?", "", text)


def stock_year(basis_from: str | None) -> int | None:
    """The year a stock as of a date counts for."""
    m = re.match(rf"({_YEAR})", basis_from or "")
    return int(m.group(1)) if m else None
