"""Numbers and dates as a reader writes them, one function per kind of number.

Every output (CLI, dashboard, reports, spreadsheets' text cells, analytics' explanations) formats
through here, so that a value prints the same everywhere and never as `6.92339`, `3.032e+04`,
`-0%`, `NaT` or `00:00:00`. Missing values (None, NaN, inf, NaT) print as `MISSING`.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import pandas as pd

from zhizao import labels

MISSING = "—"


def _float(v: Any) -> float | None:
    if v is None or isinstance(v, bool):
        return None
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _trim(text: str) -> str:
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "", "-") else text


def number(v: Any, digits: int | None = None, grouping: bool = True) -> str:
    """A level: 26,833.9 · 86.7 · 6.92 · 0.899. `digits` fixes the decimals (trailing zeros dropped);
    by default fewer decimals the larger the number. Never scientific notation, never -0."""
    x = _float(v)
    if x is None:
        return MISSING if not isinstance(v, str) else v
    if digits is None:
        a = abs(x)
        digits = 0 if a >= 10000 else 1 if a >= 100 else 2 if a >= 1 else 3
    text = f"{x:,.{digits}f}" if grouping else f"{x:.{digits}f}"
    return _trim(text)


_LONG_INTEGER = re.compile(r"(?<![\d.,])\d{4,}(?![\d年])")


def grouped(text: str) -> str:
    """Thousands separators in a number as printed (a plan's target text): 30000 → 30,000,
    ≥2008.2 → ≥2,008.2, as `number` prints a value; a year (2025年) and decimals stay as they are."""
    return _LONG_INTEGER.sub(lambda m: f"{int(m.group()):,}", text) if isinstance(text, str) else text


def significant(v: Any, figures: int = 4) -> str:
    """`figures` significant digits but all integer digits: 26833.86 → 26834, 1.5654 → 1.565."""
    x = _float(v)
    if x is None:
        return MISSING
    if x == 0:
        return "0"
    decimals = max(0, figures - 1 - math.floor(math.log10(abs(x))))
    return _trim(f"{x:.{decimals}f}")


def percent(v: Any, digits: int = 1) -> str:
    """A value already in percent: 7.3 → 7.3%."""
    x = _float(v)
    return MISSING if x is None else _trim(f"{x:.{digits}f}") + "%"


def share(v: Any, digits: int = 1) -> str:
    """A fraction as a percentage: 0.452 → 45.2%."""
    x = _float(v)
    return MISSING if x is None else percent(100 * x, digits)


# Completion (share of the way from baseline to target) shows exactly up to this share: past the
# target 104.2% is what an evaluation reports (完成目标的104.2%); beyond the cap the ratio only says
# the baseline sat close to the target (5.85 → >6 reached 6.92 reads 716%), so it prints as 超过300%.
COMPLETION_CAP = 3.0


def completion(v: Any, lang: str = "zh", cap: float = COMPLETION_CAP) -> str:
    """Completion, a fraction of the way from baseline to target: 0.452 → 45.2%, 0.49 → 49.0%, 1.042 → 104.2%,
    above `cap` → 超过300% / >300%. Data cells (JSON, XLSX, CSV) keep the exact value."""
    x = _float(v)
    if x is None:
        return MISSING
    if x > cap:
        limit = share(cap, 0)
        return f">{limit}" if lang == "en" else f"超过{limit}"
    # always one decimal so that a column reads 49.0% over 78.3%
    text = f"{100 * x:.1f}"
    return ("0.0" if text == "-0.0" else text) + "%"


def completion_rate(v: Any) -> str:
    """完成率 of a final evaluation, already in percent (actual ÷ target): one decimal always, as
    `completion`, so that a column reads 96.0% over 104.2%; no cap (it is not a share of a change)."""
    x = _float(v)
    if x is None:
        return MISSING
    text = f"{x:.1f}"
    return ("0.0" if text == "-0.0" else text) + "%"


def points(v: Any, lang: str = "zh", digits: int = 1, signed: bool = True) -> str:
    """A difference of percentages: +0.3个百分点 / +0.3 pp."""
    x = _float(v)
    if x is None:
        return MISSING
    text = _trim(f"{x:.{digits}f}")
    if signed and text != "0" and not text.startswith("-"):
        text = "+" + text
    return text + (" pp" if lang == "en" else "个百分点")


def ratio(v: Any, digits: int = 2) -> str:
    x = _float(v)
    return MISSING if x is None else _trim(f"{x:.{digits}f}")


def unit_suffix(unit: str | None, lang: str = "zh") -> str:
    """What follows a number for its unit: 亿元 / "%" attached; in English words after a space, and a
    scaled unit in brackets so that its number is not read as part of the value:
    2,705 (100 million yuan), 41.9 (10,000 yuan per person), 0.899 items. `unit` may be the plan's
    unit or its English label already."""
    unit = (unit or "").strip()
    if not unit or unit in NAME_UNITS:
        return ""
    if lang != "en":
        return unit
    label = labels.unit_label(unit, "en")
    if label == "%":
        return label
    return f" ({label})" if label[:1].isdigit() else f" {label}"


# A "unit" that names the kind of number rather than what it counts: it goes before the number
# (指数61.5, index 61.5), never after it (61.5指数); a column headed with it shows the bare number.
NAME_UNITS = ("指数", "index")


def with_unit(text: str, unit: str | None, lang: str = "zh") -> str:
    """A number as printed (text) and its unit: 2,705亿元 · 2,705 (100 million yuan) · 28.76% · 指数61.5."""
    if not text or text == MISSING:
        return text
    if (unit or "").strip() in NAME_UNITS:
        return f"index\u00a0{text}" if lang == "en" else f"指数{text}"  # no-break: a line never ends on "index"
    return text + unit_suffix(unit, lang)


def qualified(text: str, qualifier: str | None, lang: str = "zh") -> str:
    """A published qualifier before the number: 超26,000 · more than 26,000 · 约36 · about 36."""
    if not text or text == MISSING:
        return text
    if qualifier not in labels.QUALIFIER_MARK:
        return text
    mark = labels.label("qualifier_mark", qualifier, lang)
    return f"{mark} {text}" if lang == "en" else mark + text


def value(v: Any, unit: str | None, lang: str = "zh", qualifier: str | None = None) -> str:
    """A value with its unit (and the published qualifier), formatted by what the unit says it is:
    超26,000亿元 / more than 26,000 (100 million yuan), 7.3%, +0.3个百分点."""
    unit = (unit or "").strip()
    if unit == "%":
        text = percent(v, 2 if (_float(v) is not None and abs(_float(v)) < 10) else 1)
    elif unit in ("百分点", "个百分点", "pp", "percentage points"):
        text = points(v, lang, signed=False)
    else:
        text = with_unit(number(v), unit, lang)
    return qualified(text, qualifier, lang)


def date(v: Any) -> str:
    """A date without a time of day (2024-06-30); a datetime keeps its time only when it has one."""
    if v is None:
        return MISSING
    if v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return MISSING
    if isinstance(v, pd.Timestamp):
        v = v.to_pydatetime()
    if isinstance(v, dt.datetime):
        if (v.hour, v.minute, v.second) == (0, 0, 0):
            return v.date().isoformat()
        return v.strftime("%Y-%m-%d %H:%M")
    if isinstance(v, dt.date):
        return v.isoformat()
    text = str(v)
    if text in ("NaT", "nan", "None", ""):
        return MISSING
    return text[:-9] if text.endswith(" 00:00:00") else text


def local_time(v: Any, zone: dt.tzinfo) -> str:
    """A stored time (naive UTC, as every table keeps it) in the display zone `zone`
    (settings.display_time_zone), to the minute: 2026-11-30 16:44. MISSING for none."""
    if v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return MISSING
    if isinstance(v, str):
        try:
            v = dt.datetime.fromisoformat(v)
        except ValueError:
            return v
    if isinstance(v, pd.Timestamp):
        v = v.to_pydatetime()
    if not isinstance(v, dt.datetime):
        return str(v)
    if v.tzinfo is None:
        v = v.replace(tzinfo=dt.timezone.utc)
    return v.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def source_text(title: str | None, publisher: str | None, grade: str | None, url: str | None,
                lang: str = "zh") -> str:
    """A source as a reader cites it: publisher and title first, the grade in words, the address last:
    重庆市统计局《…统计公报》 · A 政府网站原文 · https://…"""
    def clean(x):
        return x.strip() if isinstance(x, str) and x.strip() else None

    title, publisher, url = clean(title), clean(publisher), clean(url)
    if title and lang != "en" and not title.startswith("《"):
        title = f"《{title}》"
    head = ("" if lang != "en" else ", ").join(x for x in (publisher, title) if x)
    grade = clean(grade) or "none"
    parts = [head, labels.label("grade", grade if grade in labels.GRADE else "none", lang), url or ""]
    return " · ".join(p for p in parts if p)
