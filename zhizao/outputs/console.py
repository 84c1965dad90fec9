"""One rule for terminal output: rich consoles that stay readable in pipes and CI logs, and one
way to print a table cell (numbers through zhizao.formatting: never 6.92339, 3.032e+04, NaT)."""
from __future__ import annotations

import datetime as dt
import math
import sys

from rich.console import Console

from zhizao import formatting
from zhizao.errors import UserError


def make_console(stderr: bool = False) -> Console:
    """A rich console; when the stream is not a terminal, 200 columns instead of rich's 80,
    so that wide Chinese tables are not truncated in logs and redirected output."""
    stream = sys.stderr if stderr else sys.stdout
    return Console(stderr=stderr, width=None if stream.isatty() else 200)


def cell(v, kind: str = "auto", lang: str = "zh") -> str:
    """A value as a table cell. kind: level (26,834 · 6.92), pct (a value in percent whose header
    says %: 7.3), pp (percentage points, header says so: 0.52), int, date, text, auto (by type)."""
    if v is None or v is getattr(formatting.pd, "NA", None):
        return formatting.MISSING
    if isinstance(v, float) and not math.isfinite(v):
        return formatting.MISSING
    if kind == "text":
        return str(v)
    if kind == "date" or isinstance(v, (dt.date, dt.datetime)) or type(v).__name__ in ("Timestamp", "NaTType"):
        return formatting.date(v)
    if isinstance(v, bool) or type(v).__name__ == "bool_":
        return ("yes" if v else "no") if lang == "en" else ("是" if v else "否")
    if kind == "int":
        x = formatting._float(v)
        return formatting.MISSING if x is None else str(int(round(x)))
    if kind == "pct":
        return formatting.number(v, 1)
    if kind == "pp":
        return formatting.number(v, 2)
    if kind == "level" or isinstance(v, float) or type(v).__name__.startswith(("float", "int")):
        if kind == "auto" and type(v).__name__.startswith("int"):
            return str(v)
        return formatting.number(v)
    text = str(v)
    return formatting.MISSING if text in ("nan", "NaT", "None", "<NA>") else text


def check_year(plan, year: int | None) -> None:
    """An evaluation year (--year) inside the plan's period: after the base year, up to the target
    year; UserError naming the allowed years otherwise (report must not write a 2030 report)."""
    if year is None:
        return
    base, lo, hi = plan.plan.base_year, plan.plan.base_year + 1, plan.plan.target_year
    if not lo <= year <= hi:
        raise UserError(f"评估年份 {year} 不在规划期内：--year 可取 {lo}—{hi}（基期 {base} 年之后、目标年 {hi} 年及以前）",
                        f"evaluation year {year} is outside the plan period: --year takes {lo}–{hi} "
                        f"(after the base year {base}, up to the target year {hi})")
