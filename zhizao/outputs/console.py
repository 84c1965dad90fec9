"""One rule for terminal output: rich consoles that stay readable in pipes and CI logs, and one
way to print a table cell (numbers through zhizao.formatting: never 6.92339, 3.032e+04, NaT)."""
from __future__ import annotations

import datetime as dt
import math
import os
import sys
from enum import Enum

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from zhizao import formatting
from zhizao.errors import UserError
from zhizao.settings import Settings


# Output format and language of every command (typer refuses other values: exit 2).
class Fmt(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


def make_console(stderr: bool = False) -> Console:
    """A rich console; when the stream is not a terminal, the width in $COLUMNS (a pipe into a pager
    of known width), else 200 columns instead of rich's 80 so logs keep wide Chinese tables whole."""
    stream = sys.stderr if stderr else sys.stdout
    return Console(stderr=stderr, width=None if stream.isatty() else (env_width() or 200))


def env_width() -> int | None:
    """$COLUMNS as a width, when it is a sensible number."""
    try:
        w = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return None
    return w if 20 <= w <= 1000 else None


def cell(v, kind: str = "auto", lang: str = "zh") -> str:
    """A value as a table cell. kind: level (26,834 · 6.92), pct (a value in percent whose header
    says %: 7.3, 13.0), pp (percentage points, header says so: 0.5), int, date, text, auto (by type).
    pct and pp keep one decimal, pull (拉动, pp) two, zeros included, so a column's numbers line up
    (13.0 over 9.3)."""
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
    if kind in ("pct", "pp"):
        return fixed(v, 1)
    if kind == "pull":  # 拉动 in percentage points: two decimals, as the monthly brief prints it
        return fixed(v, 2)
    if kind == "level" or isinstance(v, float) or type(v).__name__.startswith(("float", "int")):
        if kind == "auto" and type(v).__name__.startswith("int"):
            return str(v)
        return formatting.number(v)
    text = str(v)
    return formatting.MISSING if text in ("nan", "NaT", "None", "<NA>") else text


def fixed(v, digits: int) -> str:
    """Exactly `digits` decimals with thousands separators (13.0, 0.0, 8,207); never -0.0."""
    x = formatting._float(v)
    if x is None:
        return formatting.MISSING
    text = f"{x:,.{digits}f}"
    return text.lstrip("-") if text.startswith("-") and not any(c in "123456789" for c in text) else text


def column_cells(values, kind: str = "auto", lang: str = "zh") -> list[str]:
    """A column's cells: as `cell`, except that a level column has one number of decimals for all its
    rows (0 when its largest value reaches 1,000, else 1), so 8,206.8 never sits among whole numbers."""
    values = list(values)
    if kind != "level":
        return [cell(v, kind, lang) for v in values]
    xs = [abs(x) for x in map(formatting._float, values) if x is not None]
    digits = 0 if xs and max(xs) >= 1000 else 1
    return [cell(v, "text", lang) if isinstance(v, str) else fixed(v, digits) for v in values]


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


# --- tables that fit the terminal --------------------------------------------------------------
# rich folds a cell anywhere when its column is narrow ("22,6/55", "informatizati/on", "★" alone on a
# line). These helpers wrap text the way a reader expects: between words, between Chinese characters
# (punctuation stays with its neighbour), never inside a number or an English word; they give each
# column at least its longest unbreakable piece and share the rest of the width.
_OPENING = set("（《「“‘(【[★")
_CLOSING = set("，。、；：！？）》」”’)%％】]…·")


def _wide(ch: str) -> bool:
    return cell_len(ch) > 1


def tokens(text: str) -> list[str]:
    """Pieces a line may break between: a run of narrow characters (a number, an English word, with
    its trailing spaces), or one Chinese character; punctuation sticks to its neighbour."""
    out: list[str] = []
    glue_next = False
    for ch in text:
        if ch in _CLOSING and out and not out[-1].endswith(" "):
            out[-1] += ch
        elif glue_next and out:
            out[-1] += ch
        elif ch == " ":
            if out:
                out[-1] += ch
            else:
                out.append(ch)
        elif not _wide(ch) and ch not in _OPENING and out and not _wide(out[-1][-1]) \
                and not out[-1].endswith(" ") and out[-1][-1] not in _CLOSING:
            out[-1] += ch
        else:
            out.append(ch)
        glue_next = ch in _OPENING or (glue_next and ch == " ")  # "★ 名称": the star stays
    return out


def min_width(text: str) -> int:
    """The widest piece of `text` that must not be broken."""
    return max((cell_len(t.rstrip()) for line in str(text).split("\n") for t in tokens(line)), default=0)


def wrap(text: str, width: int) -> list[str]:
    """`text` as lines of at most `width` cells, broken between tokens; a token wider than the line
    (only when the terminal is too narrow for it) is folded as a last resort."""
    lines: list[str] = []
    for para in str(text).split("\n"):
        line = ""
        for tok in tokens(para):
            if cell_len(line + tok.rstrip()) <= width:
                line += tok
                continue
            if line.strip():
                lines.append(line.rstrip())
            line = tok.lstrip()
            while cell_len(line.rstrip()) > width:  # last resort: fold
                cut = next(i for i in range(len(line), 0, -1) if cell_len(line[:i]) <= width)
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line.rstrip())
    return lines


def fit_widths(columns: list[list[str]], width: int, keep_whole: tuple[int, ...] = ()) -> list[int]:
    """Column widths for a bordered table `width` cells wide. Each column gets, if there is room, its
    cells whole when they are short (a number column, a word like 预期性), else its longest
    unbreakable piece; the rest of the room is shared out up to each column's natural width."""
    room = width - (3 * len(columns) + 1)  # borders and one space of padding each side
    natural = [max((cell_len(line) for c in col for line in str(c).split("\n")), default=1) or 1 for col in columns]
    # a piece longer than a third of the room (an address inside a title) may fold: it must not starve the rest
    pieces = [min(natural[i], max((min_width(c) for c in col), default=1) or 1, max(18, room // 4))
              for i, col in enumerate(columns)]
    short = [natural[i] if i in keep_whole or natural[i] <= 10 else
             max([pieces[i]] + [cell_len(c) for c in col[1:] if cell_len(c) <= 10]) for i, col in enumerate(columns)]
    w = list(pieces)
    # cells kept whole where the room allows: numbers and dates first, then the cheapest columns
    for i in sorted(range(len(w)), key=lambda i: (i not in keep_whole, short[i] - pieces[i])):
        if sum(w) - w[i] + short[i] <= room:
            w[i] = short[i]
    # then, where a column's longest cell did not fit, at least its short cells (≤ 14 cells: 访问日期, A 政府网站原文)
    fits = [max([w[i]] + [cell_len(line) for c in columns[i] for line in str(c).split("\n") if cell_len(line) <= 14])
            for i in range(len(w))]
    for i in sorted(range(len(w)), key=lambda i: fits[i] - w[i]):
        if sum(w) - w[i] + fits[i] <= room:
            w[i] = fits[i]
    while sum(w) > room and max(w) > 4:  # too narrow even for the pieces: the widest columns fold
        w[w.index(max(w))] -= 1
    extra = room - sum(w)
    while extra > 0:
        open_ = [i for i in range(len(w)) if w[i] < natural[i]]
        if not open_:
            break
        share = max(1, extra // len(open_))
        for i in sorted(open_, key=lambda i: natural[i] - w[i]):
            give = min(share, natural[i] - w[i], extra)
            w[i] += give
            extra -= give
            if not extra:
                break
    return w


def fitted_table(headers: list[str], rows: list[list], width: int, *, keep_whole: tuple[int, ...] = (),
                 title: str | None = None, styles: list[list[str | None]] | None = None) -> Table:
    """A rich Table whose cells are wrapped by `wrap` into widths from `fit_widths`, so rich never
    folds them itself. rows: text cells; styles: a rich style per cell (or None)."""
    texts = [[str(c) for c in r] for r in rows]
    cols = [[h, *(r[i] for r in texts)] for i, h in enumerate(headers)]
    widths = fit_widths(cols, width, keep_whole)
    wrapped = [[wrap(c, widths[i]) for i, c in enumerate(r)] for r in texts]
    multi = any(len(c) > 1 for r in wrapped for c in r)
    t = Table(title=title, show_lines=multi, expand=False)
    for h, w in zip(headers, widths):
        t.add_column(Text("\n".join(wrap(h, w))), width=w, no_wrap=True, overflow="fold")
    for k, r in enumerate(wrapped):
        t.add_row(*[Text("\n".join(c), style=(styles[k][i] if styles and styles[k][i] else "")) for i, c in enumerate(r)])
    return t


_NUMBER = __import__("re").compile(r"[-+−≥≤<>~约超近]?[\d,.]+%?( \(\d{4}\))?|—|")


def numeric_columns(columns: list[list[str]]) -> tuple[int, ...]:
    """Columns whose cells are all numbers (or —): printed whole, never wrapped."""
    return tuple(i for i, col in enumerate(columns) if all(_NUMBER.fullmatch(str(c).strip()) for c in col))


def parse_settings(pairs: list[str] | None) -> Settings:
    """-s NAME=VALUE overrides; a wrong name, type or range is a UserError naming what is expected."""
    overrides = {}
    for p in pairs or []:
        if "=" not in p:
            raise UserError(f"-s/--set 应写成 名称=值，而不是“{p}”（名称见 zhizao settings）",
                            f"-s/--set expects NAME=VALUE, got '{p}' (names: zhizao settings)")
        k, v = p.split("=", 1)
        overrides[k.strip()] = v.strip()
    try:
        return Settings(overrides)
    except UserError as e:  # name the option: the message comes from the settings themselves
        raise UserError(f"-s/--set：{e.reason_zh}", f"-s/--set: {e.reason_en}") from None
