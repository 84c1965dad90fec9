"""Canonical units and conversion between units of the same dimension.

The table is data: unit → (dimension, factor to the dimension's base unit).
Units convert only within a dimension; everything else raises `UnitError`.
Percentage points (百分点) are a separate dimension from percent (%): a point is a
difference of two percentages, so no factor turns one into the other.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata

from ._errors import IngestError


class UnitError(IngestError):
    """A unit is unknown or cannot be converted to the requested unit."""


# Chinese scale words that may prefix a unit or follow a number (longest first).
SCALE_WORDS: dict[str, float] = {
    "万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "千万": 1e7, "百万": 1e6,
    "亿": 1e8, "万": 1e4, "千": 1e3, "百": 1e2,
}

# Things counted; each noun is its own dimension (辆 never converts to 台).
_COUNT_NOUNS = ("个", "家", "件", "台", "辆", "人", "片", "项", "套", "户", "人年")
# 家 is the measure word of 个 for enterprises and institutions (年鉴 企业单位数（个）, releases 2121家):
# the same count, so they convert 1:1. Other nouns count different things.
_SAME_COUNT = {"家": "个"}

UNITS: dict[str, tuple[str, float]] = {
    # money (yuan); 万亿 alone is the releases' shorthand for 万亿元 (see ALIASES)
    "元": ("money", 1.0), "千元": ("money", 1e3), "万元": ("money", 1e4),
    "百万元": ("money", 1e6), "十亿元": ("money", 1e9), "亿元": ("money", 1e8), "万亿元": ("money", 1e12),
    "美元": ("money_usd", 1.0), "万美元": ("money_usd", 1e4), "亿美元": ("money_usd", 1e8),
    # shares and growth
    "%": ("percent", 1.0),
    "百分点": ("percentage_point", 1.0),
    "指数": ("index", 1.0),
    "倍": ("multiple", 1.0),
    # physical quantities and ratios used by the plan
    "吨": ("mass", 1.0), "万吨": ("mass", 1e4),
    "吨标准煤": ("energy", 1.0), "万吨标准煤": ("energy", 1e4), "亿吨标准煤": ("energy", 1e8),
    "元/人": ("money_per_person", 1.0), "万元/人": ("money_per_person", 1e4),
    "立方米/万元": ("water_per_money", 1.0),
    "吨标准煤/万元": ("energy_per_money", 1.0),
    **{f"{p}{n}": (f"count:{_SAME_COUNT.get(n, n)}", f) for n in _COUNT_NOUNS
       for p, f in (("", 1.0), ("千", 1e3), ("万", 1e4), ("百万", 1e6), ("亿", 1e8))},
}

_DIMENSION_ZH = {
    "money": "人民币金额", "money_usd": "美元金额", "percent": "百分比", "percentage_point": "百分点",
    "index": "指数", "multiple": "倍数", "mass": "重量", "energy": "能源量",
    "money_per_person": "人均金额", "water_per_money": "单位产出用水量",
    "energy_per_money": "单位产出能耗",
}


def dimension_label(dimension: str, lang: str = "zh") -> str:
    """Readable name of a dimension id such as 'money' or 'count:辆'."""
    if lang != "zh":
        return dimension
    if dimension.startswith("count:"):
        return f"数量（{dimension[6:]}）"
    return _DIMENSION_ZH.get(dimension, dimension)


# Other spellings → canonical spelling (compared after normalisation).
ALIASES: dict[str, str] = {
    "百分比": "%", "percent": "%", "pct": "%",
    "个百分点": "百分点", "pp": "百分点", "percentage point": "百分点",
    "percentage points": "百分点",
    "万亿": "万亿元",
    "index": "指数",
    # English releases (人民网英文版, 中国日报网): the value stays as printed, the unit says its scale
    "million yuan": "百万元", "billion yuan": "十亿元", "trillion yuan": "万亿元",
    "million vehicles": "百万辆", "万元/人·年": "万元/人",
}


@functools.lru_cache(maxsize=4096)  # pure; an import asks the same few units
def normalize_unit(unit: str) -> str:
    """Canonical spelling: NFKC (full-width → half-width), no spaces, aliases resolved."""
    text = unicodedata.normalize("NFKC", unit or "").strip()
    lowered = re.sub(r"\s+", " ", text).lower()
    if lowered in ALIASES:
        return ALIASES[lowered]
    text = re.sub(r"\s+", "", text)
    return ALIASES.get(text.lower(), text)


def unit_info(unit: str) -> tuple[str, float]:
    """(dimension, factor to the base unit) of a known unit; `UnitError` otherwise."""
    norm = normalize_unit(unit)
    if norm not in UNITS:
        raise UnitError(f"未知单位“{unit}”", f"unknown unit '{unit}'")
    return UNITS[norm]


@functools.lru_cache(maxsize=4096)  # pure; an import asks the same few units
def unit_scale_word(unit: str) -> str | None:
    """The scale word a unit starts with, e.g. 亿 for 亿元, 万亿 for 万亿元, None for 元 or 百分点.

    A prefix counts only when the rest is itself a known unit of the same dimension whose
    factor differs by exactly that scale, so 百分点 is not read as 百 × 分点.
    """
    norm = normalize_unit(unit)
    if norm not in UNITS:
        return None
    dim, factor = UNITS[norm]
    for word, scale in SCALE_WORDS.items():
        rest = norm[len(word):]
        if norm.startswith(word) and rest in UNITS:
            rest_dim, rest_factor = UNITS[rest]
            if rest_dim == dim and abs(rest_factor * scale - factor) <= 1e-9 * factor:
                return word
    return None


# Sane range of a value by dimension: (lowest, highest, unit they are written in), inclusive.
# A value outside is absurd (a typo, a wrong unit, a hostile file) and is refused at import
# (`value_out_of_range`). Kept generous: China's GDP is about 1.3e6 亿元. Documented in
# docs/data-import.md ("Values zhizao refuses").
BOUNDS: dict[str, tuple[float, float, str]] = {
    "money": (-1e9, 1e9, "亿元"),  # negative: losses, decreases
    "money_usd": (-1e8, 1e8, "亿美元"),
    "percent": (-1000.0, 10000.0, "%"),  # shares, growth (profits can fall by more than 100 %)
    "percentage_point": (-1000.0, 1000.0, "百分点"),
    "index": (-1e6, 1e6, "指数"),
    "multiple": (0.0, 1e4, "倍"),
    "mass": (0.0, 1e13, "吨"),
    "energy": (0.0, 1e13, "吨标准煤"),
    "money_per_person": (-1e9, 1e9, "元/人"),
    "water_per_money": (0.0, 1e6, "立方米/万元"),
    "energy_per_money": (0.0, 1e3, "吨标准煤/万元"),
    "count": (0.0, 1e13, ""),  # in the counted noun itself (个, 家, 辆 …): never negative
}
UNKNOWN_UNIT_LIMIT = 1e15  # |value| in its own unit when the unit is not in UNITS


@functools.lru_cache(maxsize=4096)  # pure; an import asks the same few units
def value_bounds(unit: str) -> tuple[float, float, str]:
    """(lowest, highest, bound unit) of a sane value in `unit`; see `BOUNDS`."""
    try:
        dim = unit_info(unit)[0]
    except UnitError:
        return -UNKNOWN_UNIT_LIMIT, UNKNOWN_UNIT_LIMIT, unit
    if dim.startswith("count:"):
        lo, hi, _ = BOUNDS["count"]
        return lo, hi, dim[6:]
    return BOUNDS[dim]


def out_of_bounds(value: float, unit: str) -> tuple[float, float, str] | None:
    """None when `value` (in `unit`) is finite and within `value_bounds(unit)`, else the bounds."""
    lo, hi, bound_unit = value_bounds(unit)
    try:
        v = convert(value, unit, bound_unit) if bound_unit != unit else value
    except UnitError:
        v = value
    return None if math.isfinite(v) and lo <= v <= hi else (lo, hi, bound_unit)


def same_unit(a: str, b: str) -> bool:
    return normalize_unit(a) == normalize_unit(b)


def _factors(from_unit: str, to_unit: str) -> tuple[float, float]:
    if same_unit(from_unit, to_unit):
        return 1.0, 1.0
    dim_a, fa = unit_info(from_unit)
    dim_b, fb = unit_info(to_unit)
    if dim_a != dim_b:
        if {dim_a, dim_b} == {"percent", "percentage_point"}:
            raise UnitError(
                f"“{from_unit}”与“{to_unit}”不能互换：百分点是两个百分比之差，不是百分比",
                f"'{from_unit}' and '{to_unit}' do not convert: a percentage point is the "
                "difference of two percentages, not a percentage",
            )
        raise UnitError(
            f"单位“{from_unit}”（{dimension_label(dim_a)}）不能换算为“{to_unit}”"
            f"（{dimension_label(dim_b)}）",
            f"unit '{from_unit}' ({dim_a}) cannot be converted to '{to_unit}' ({dim_b})",
        )
    return fa, fb


def conversion_factor(from_unit: str, to_unit: str) -> float:
    """Factor f such that x [from_unit] = x·f [to_unit]; `UnitError` when not convertible."""
    fa, fb = _factors(from_unit, to_unit)
    return fa / fb


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert a number between units of the same dimension, e.g. 2.27 万亿元 → 22700 亿元."""
    fa, fb = _factors(from_unit, to_unit)
    # Scale by the exact ratio ≥ 1 so that 22700 万元 → 亿元 gives 2.27, not 2.2700000000000005.
    if fa == fb:
        return float(value)
    return value * (fa / fb) if fa > fb else value / (fb / fa)
