"""What a series name as published says beyond the series (docs/data-import.md §Series names as
published), and what a source address says about its date and publisher.

Releases and compilations write facts into the name: `软件业务收入(预计)` (preliminary),
`工业增加值增长率(一季度)` (the period), `地区生产总值(五经普修订后)` (a revision), `新能源汽车产量(约)`
(an approximate value), `工业增加值年均增长(2016—2025十年)` (an average over a range) and
`软件业务收入(2025年规划目标)` (a target, not a value). `read_series_name` separates them; the import
uses the clean series name and carries the rest into status, period, qualifier and basis.

Releases also name one series several ways (`规上工业产值`, `规模工业产值` for `规上工业总产值`). The
synonyms are data (resources/reference/series-synonyms.csv: published name → series, and why), so
one series is one map layer; the import keeps the published name in the note ("名称原文").
"""
from __future__ import annotations

import csv
import io
import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from urllib.parse import urlparse

from .basis import Basis, basis_in_name

_PAREN = re.compile(r"\(([^()]*)\)")
_PRELIM = re.compile(r"(?:政府工作报告|经信委)?预计(?:表述)?")
# Year-to-date tags → the month the period ends with.
_PERIOD_TAGS = {"一季度": 3, "第一季度": 3, "1季度": 3, "上半年": 6, "前三季度": 9,
                "1-3月": 3, "1-6月": 6, "1-9月": 9, "1-11月": 11}
_MONTH_RANGE = re.compile(r"^1[-—–~至]([2-9]|1[01])月$")
_REVISED = re.compile(r"^(?:.*经普)?修订(?:后|值)?$")
_ABOUT = {"约", "约数", "概数"}
_RANGE = re.compile(r"(20\d{2}|19\d{2})\s*[-—–~至]+\s*(20\d{2})")
# A target restated as if it were a value: 目标 / 规划 / 计划 in the name (not 规划基期表述, which is
# the plan's own baseline sentence and a value).
_TARGET = re.compile(r"目标|规划(?!基期)|计划(?:达到|值)")


@dataclass(frozen=True)
class SeriesName:
    series: str  # the series the name denotes
    preliminary: bool = False
    month: int | None = None  # year-to-date period ending in this month
    revised: bool = False
    about: bool = False  # 约: an approximate value
    basis: Basis | None = None  # an average or cumulative change over a year range in the name
    target: bool = False  # a target restated, not an observed value
    changed: bool = False  # the name differed from `series`


def read_series_name(text: str) -> SeriesName:
    """'软件业务收入(预计)' → 软件业务收入, preliminary; parentheses made half-width (NFKC)."""
    name = (text or "").strip().replace("（", "(").replace("）", ")")
    original = name
    flags: dict = {"preliminary": False, "month": None, "revised": False, "about": False,
                   "basis": None, "target": bool(_TARGET.search(name))}

    def inner(m: re.Match) -> str:
        parts = [p.strip() for p in re.split(r"[,，、;；]", m.group(1))]
        kept = []
        for p in parts:
            compact = p.replace(" ", "")
            if not compact:
                continue
            if _PRELIM.fullmatch(compact):
                flags["preliminary"] = True
            elif compact in _PERIOD_TAGS or _MONTH_RANGE.match(compact):
                flags["month"] = _PERIOD_TAGS.get(compact) or int(_MONTH_RANGE.match(compact).group(1))
            elif _REVISED.match(compact):
                flags["revised"] = True
            elif compact in _ABOUT:
                flags["about"] = True
            elif (r := _RANGE.search(compact)) and re.search(r"年均|累计", name) and basis_in_name(original) is None:
                start, end = int(r.group(1)), int(r.group(2))
                code = "average_over" if "年均" in name else "cumulative_since"
                flags["basis"] = Basis(code, str(start - 1), end, f"{start}—{end}")
            elif compact in ("十年", "表述"):
                continue  # words around a range or a statement: nothing to keep
            else:
                kept.append(p)
        return f"({'，'.join(kept)})" if kept else ""

    if not flags["target"]:
        name = _PAREN.sub(inner, name).strip()
        name = series_synonyms().get(name, name)
    return SeriesName(series=name, changed=name != original, **flags)


SYNONYMS_FILE = "reference/series-synonyms.csv"


@lru_cache(maxsize=1)
def series_synonyms() -> dict[str, str]:
    """Published name → the series it denotes (exact names, after the parenthesised tags are read)."""
    text = resources.files("zhizao.resources").joinpath(SYNONYMS_FILE).read_text(encoding="utf-8")
    return {r["published"].strip(): r["series"].strip() for r in csv.DictReader(io.StringIO(text))
            if r.get("published") and r.get("series")}


# --- the source address -----------------------------------------------------------------------
_URL_DATES = [
    (r"t(20\d{2})(\d{2})(\d{2})_", True),
    (r"/(20\d{2})[-/]?(\d{2})[-/](\d{2})(?:/|$)", True),
    (r"/(20\d{2})/(\d{2})(\d{2})/", True),
    (r"/(20\d{2})(\d{2})(\d{2})/", True),
    (r"/(20\d{2})(\d{2})/", False),
    (r"/(20\d{2})-(\d{2})/", False),
]


def date_from_url(url: str | None, year: int, today: date | None = None) -> str | None:
    """The publication date an address carries (…/t20230320_…, /2022-08/18/, /2025/0121/ …).
    A month without a day gives the month's last day: the value was known by then at the latest.
    A date before the period's year − 1 or after today is not a publication date of it."""
    if not url:
        return None
    parsed = urlparse(url)
    path = parsed.path + "?" + (parsed.query or "")
    today = today or date.today()
    for pat, has_day in _URL_DATES:
        m = re.search(pat, path)
        if not m:
            continue
        y, mo = int(m.group(1)), int(m.group(2))
        try:
            dt = date(y, mo, int(m.group(3)) if has_day else monthrange(y, mo)[1])
        except ValueError:
            continue
        if year - 1 <= dt.year and dt <= today:
            return dt.isoformat()
    return None


_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")

# Who runs a site is a fact about the address, not a guess about the page: used as publisher.
PUBLISHERS = {
    "cq.gov.cn": "重庆市人民政府", "tjj.cq.gov.cn": "重庆市统计局", "ws.cq.gov.cn": "万盛经开区管委会",
    "cqrd.gov.cn": "重庆市人大常委会", "bishan.gov.cn": "璧山区人民政府", "cqcs.gov.cn": "长寿区人民政府",
    "stats.gov.cn": "国家统计局",
    "cq.people.com.cn": "人民网重庆频道", "en.people.cn": "人民网英文版", "cnews.chinadaily.com.cn": "中国日报网",
    "cq.news.cn": "新华网重庆频道", "cq.xinhuanet.com": "新华网重庆频道", "epaper.cqrb.cn": "重庆日报",
    "news.cqnews.net": "华龙网", "cq.cqnews.net": "华龙网", "www.hkcd.com": "香港商报", "cqcb.com": "重庆晨报上游新闻",
    "www.ichongqing.info": "iChongqing", "app.ichongqing.info": "iChongqing", "news.cgtn.com": "CGTN",
    "epaper.cena.com.cn": "中国电子报", "big5.cri.cn": "国际在线",
}


def source_defaults(url: str | None, quote: str | None) -> tuple[str | None, str | None]:
    """(title, publisher) an address implies when the file gives none: the site's owner for a
    known site; for a machine-readable yearbook copy on github.com, the quote's first part
    (the table it names) as title."""
    host = urlparse(url).netloc.lower() if url else ""
    if host == "github.com":
        title = quote.split(";")[0].strip() if quote else None
        # A collector's remark ("research compilation") is no title: a table's name is Chinese,
        # with at most R&D or GDP in Latin letters.
        if not title or not _CJK.search(title) or _LATIN_WORD.search(title.replace("R&D", "").replace("GDP", "")):
            return None, None
        publisher = "国家统计局、科学技术部等（统计年鉴的公开机器可读副本）" if "年鉴" in title else None
        return title, publisher
    return None, PUBLISHERS.get(host) or PUBLISHERS.get(host.removeprefix("www."))
