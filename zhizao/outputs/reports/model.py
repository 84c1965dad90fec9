"""The format-neutral report: a list of blocks each renderer (DOCX, HTML) walks in order."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Heading:
    level: int  # 1 = chapter (一、…), 2 = area, 3 = indicator
    text: str
    anchor: str  # stable id: HTML fragment and DOCX bookmark


@dataclass
class Para:
    text: str
    style: str = "body"  # body | note | alert | lead | caption (a table's title, above it)


@dataclass
class Bullets:
    items: list[str]


@dataclass
class Cell:
    text: str
    status: str | None = None  # colours the cell by assessment status
    href: str | None = None  # a source address (only in the data-sources appendix)
    align: str = "left"  # left | right | center


@dataclass
class Table:
    header: list[str]
    rows: list[list[Cell]]
    key: str  # "scorecard", "counts", … : lets tests and renderers find a table
    widths: list[float] | None = None  # relative column widths
    landscape: bool = False  # DOCX: put the table on landscape pages
    small: bool = False  # smaller type (long source tables)


@dataclass
class Figure:
    png: bytes
    caption: str
    key: str
    width_cm: float = 15.0


@dataclass
class Report:
    lang: str
    title: str
    subtitle: list[str]
    title_lines: list[str] = field(default_factory=list)  # the title broken where it reads well
    blocks: list = field(default_factory=list)
    # Document date for DOCX/XLSX properties: the as-of date, else the latest vintage in the store;
    # never the clock, so the same inputs give the same files.
    doc_date: date = date(2000, 1, 1)
    plan_id: str = ""
    year: int | None = None
    as_of: str | None = None
    final: bool = False  # the 终期评估 layout (final.py)
    style: str = "standard"  # standard | gongwen (GB/T 9704-2012 公文 layout), see style_for
