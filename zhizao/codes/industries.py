"""GB/T 4754-2017 manufacturing divisions (门类 C, 大类 13–43) and the plan's six clusters.

Names, Chinese and English, are read from zhizao/resources/reference/gbt4754-2017-manufacturing.csv
(its README gives the sources). The cluster ↔ division mapping is zhizao's reading of the plan, copied
from the embedded plan's industries (gbt4754_divisions); divisions outside any cluster map to "other".
"""
from __future__ import annotations

import csv
import io
from importlib import resources


def _rows() -> list[dict[str, str]]:
    text = resources.files("zhizao.resources").joinpath("reference/gbt4754-2017-manufacturing.csv").read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


_ROWS = _rows()
DIVISIONS = {r["code"]: r["name"] for r in _ROWS if r["level"] == "division"}  # code → 中文名
DIVISIONS_EN = {r["code"]: r["name_en"] for r in _ROWS if r["level"] == "division"}  # code → NBS English name
# Every manufacturing code (division 2, group 3, class 4 digits) → (level, 中文名).
CODES: dict[str, tuple[str, str]] = {r["code"]: (r["level"], r["name"]) for r in _ROWS}

# cluster id → (name, name_en, divisions)
CLUSTERS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "electronic_information": ("电子信息", "Electronic information", ("39",)),
    "automotive": ("汽车", "Automotive", ("36",)),
    "equipment": ("装备", "Equipment", ("34", "35")),
    "materials": ("材料", "Materials", ("26", "28", "29", "30", "31", "32")),
    "specialty_consumer_goods": ("特色消费品", "Specialty consumer goods",
                                 ("13", "14", "15", "16", "17", "18", "22")),
    "biomedicine": ("生物医药", "Biomedicine", ("27",)),
}
OTHER_CLUSTER = ("other", "其他行业", "Other industries")


def cluster_of(division: str) -> str:
    for cid, (_, _, divs) in CLUSTERS.items():
        if division in divs:
            return cid
    return OTHER_CLUSTER[0]


def cluster_name(cluster_id: str, lang: str = "zh") -> str:
    if cluster_id == OTHER_CLUSTER[0]:
        return OTHER_CLUSTER[1] if lang == "zh" else OTHER_CLUSTER[2]
    name, name_en, _ = CLUSTERS[cluster_id]
    return name if lang == "zh" else name_en


def division_name(code: str, lang: str = "zh") -> str:
    """The division's name in the reader's language (the NBS English name in English); an unknown
    code is returned as it is."""
    code = str(code)
    return (DIVISIONS_EN if lang == "en" else DIVISIONS).get(code, code)


def is_industry_code(code) -> bool:
    """True for a GB/T 4754-2017 manufacturing division, group or class code (``36``, ``361``, ``3612``)."""
    return isinstance(code, str) and code in CODES


def industry_code_level(code: str) -> str | None:
    """``division`` / ``group`` / ``class``, or None for a code that is not in the table."""
    found = CODES.get(str(code))
    return found[0] if found else None


def industry_code_name(code: str, lang: str = "zh") -> str:
    """The name of a division, group or class. The NBS prints English names for divisions only, so in
    English a group or class is named by its division's English name and its code
    (``Manufacture of Automobiles — 3612``); an unknown code is returned as it is."""
    code = str(code)
    found = CODES.get(code)
    if found is None:
        return code
    if lang != "en":
        return found[1]
    if found[0] == "division":
        return DIVISIONS_EN.get(code) or found[1]
    return f"{DIVISIONS_EN.get(code[:2]) or DIVISIONS.get(code[:2], code[:2])} — {code}"
