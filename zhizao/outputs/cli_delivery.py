"""`zhizao project|service|task …`: investment projects, 三服务 problems and the plan's tasks under
supervision (docs/delivery.md).

project list | show ID | funnel | import FILE… | stage ID STAGE DATE; service list | show ID | summary | add |
resolve ID DATE TEXT | import FILE…; task list | show ID | progress | report ID | import FILE…. Thin: the analyses
are zhizao.api_delivery; this module parses options and prints. The edit commands store one new version
(zhizao.api_delivery.record_delivery_edit, actor = the OS user) and print what was stored; bad input is
refused with every problem listed, exit 2, nothing stored. Synthetic data are labelled everywhere (one
banner line above a table, on stderr for machine formats; `origin` and `synthetic` columns in JSON/CSV;
the workbook's first line).
"""
from __future__ import annotations

import dataclasses
import getpass
import json
import os
import re
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import List, Optional

import pandas as pd
import typer
from rich.cells import cell_len
from rich.text import Text

from zhizao import api_delivery as zd
from zhizao.api_delivery_data import SYNTHETIC_WORDS
from zhizao import labels
from zhizao.errors import UserError
from zhizao.ingest.delivery_frames import (COLUMN_WORDS, FRAME_NAMES, FRAMES, PROBLEM_CATEGORIES, PROBLEM_STATUSES,
                                           STAGE_NAMES, STAGES, STATUS_NAMES, unit_names)
from zhizao.outputs.cli_common import (REASONS_SHOWN, DbOpt, DistrictOpt, Fmt, FmtOpt, LangOpt, LimitOpt, OutOpt,
                                        PlanOpt, SetOpt, import_progress, limited, refuse_import, save)
from zhizao.outputs.cli_enterprises import _district_names, _start
from zhizao.outputs.console import (Lang, cell, fitted_table, make_console, min_width, numeric_columns,
                                    parse_settings, wrap)
from zhizao.outputs.spreadsheet_safe import write_csv, xlsx_cell, xlsx_text
from zhizao.store.importing import ImportFailed

project_app = typer.Typer(help="重点项目：签约、开工、投产、达产进度，逾期与投资滞后，推进漏斗，导入与录入 / investment "
                               "projects: stages from signing to full production, slippage, the funnel, import and "
                               "edits.", no_args_is_help=True)
service_app = typer.Typer(help="三服务问题：登记、办理、逾期，按部门、区县、类别统计 / 三服务 problems: log, resolve, "
                               "overdue items, counts by department, district and category.", no_args_is_help=True)
task_app = typer.Typer(help="任务分工与督办：牵头/配合单位、节点、进展报告，滞后、停滞与逾期 / the plan's tasks under "
                            "supervision: lead and co-operating units, milestones, progress reports, delays.",
                       no_args_is_help=True)
console = make_console()
err = make_console(stderr=True)

INTS = ("no", "days_overdue", "days_open", "n", "open", "in_progress", "resolved_n", "n_reports", "done", "on_track",
        "behind", "stalled", "not_started", "seq", "year", "month", "resolution_days", "overdue_n", "done_n",
        "n_problems", "n_items")
PCTS = ("investment_share", "schedule_share", "share", "on_time_share", "completion", "time_share",
        "mean_completion")
PPS = ("gap_pp",)
MONEY = ("planned_investment", "planned_output", "cumulative_investment", "investment", "output")
NAMES, NAME_CELLS, TEXT_CELLS = ("name", "title", "enterprise_name"), 14, 8  # readable widths of a table's text
WHOLE = ("no", "project_id", "problem_id", "recorded_at")  # short ids a reader types back, times: never wrapped
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|—|")  # dates are kept whole too
STATUS_STYLE = {"overdue": "bold red", "stalled": "yellow", "behind": "yellow", "done": "green"}


class TaskFmt(str, Enum):  # task list: Fmt and the 任务分工方案 as a Word document
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    docx = "docx"


def _choices(name: str, values: tuple[str, ...]) -> type[Enum]:
    """A typer choice over a vocabulary declared once elsewhere (api_delivery, delivery_frames)."""
    return Enum(name, {v: v for v in values}, type=str)


FunnelBy = _choices("FunnelBy", zd.FUNNEL_BY)
ServiceBy = _choices("ServiceBy", zd.SERVICE_BY)
TaskBy = _choices("TaskBy", zd.TASK_BY)
ProblemStatus = _choices("ProblemStatus", PROBLEM_STATUSES)
ItemStatus = _choices("ItemStatus", zd.ITEM_STATUSES)


AsOfOpt = typer.Option(None, "--as-of", metavar="YYYY-MM-DD", help="按这一天判断逾期与进度；缺省为今天（合成数据为其自"
                                                                  "带日期）/ judge overdue and progress on this date; "
                                                                  "default: today (synthetic data: their own date)")
DepartmentOpt = typer.Option(None, "--department", help="只看这个单位（编号或名称）/ one unit only (id or name)")


def register(app: typer.Typer) -> None:
    """Add `zhizao project|service|task …` to the main app."""
    app.add_typer(project_app, name="project")
    app.add_typer(service_app, name="service")
    app.add_typer(task_app, name="task")


# --- helpers ------------------------------------------------------------------------------------------------
def _say(key: str, lang: str, **kw) -> str:
    return labels.label("cli_delivery_words", key, lang).format(**kw)


# how a synthetic source begins (api_delivery_data.delivery_source_words, zhizao.synth)
SYNTHETIC_PREFIXES = (*SYNTHETIC_WORDS, "合成数据")


def _source(attrs: dict, lang: str) -> str:
    """The data's source in the reader's language, without the synthetic label the banner says itself."""
    text = str(attrs.get(f"source_{'en' if lang == 'en' else 'zh'}") or attrs.get("source") or "")
    for prefix in SYNTHETIC_PREFIXES:
        if attrs.get("synthetic") and text.startswith(prefix):
            return text[len(prefix):].lstrip("：:, ，;；")
    return text


def _banner(df: pd.DataFrame, fmt: Fmt, lang: str) -> None:
    """The data's origin in one line above a table (stderr for machine formats)."""
    a = df.attrs
    out = console if fmt == Fmt.table else err
    source = visible(_source(a, lang))  # file names are the user's text
    if a.get("synthetic"):
        out.print(Text(_say("synthetic_line", lang, source=source or "—"), style="bold yellow"))
    elif fmt == Fmt.table and (source or a.get("as_of")):
        sep = ": " if lang == "en" else "："
        out.print(Text(f"{_say('source', lang)}{sep}{source or '—'}"
                       + (f" · {_say('as_of', lang)} {a['as_of']}" if a.get("as_of") else ""), style="dim"))


def _english_filled(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """In English, each empty *_en cell filled with its Chinese twin (title_en ← title)."""
    out = df.copy()
    if lang == "en":
        for c in [c for c in out.columns if c.endswith("_en")]:
            zh = c[:-3] if c[:-3] in out else f"{c[:-3]}_zh" if f"{c[:-3]}_zh" in out else None
            if zh is not None:
                out[c] = _or(out[c], out[zh])
    return out


def _machine(df: pd.DataFrame, fmt: Fmt, lang: str = "zh") -> pd.DataFrame:
    """JSON/CSV: the codes as the analytics give them; `origin` and `synthetic` first; lists as JSON text
    in CSV; in English an empty English column (title_en of an item the plan gives no English title) holds
    the Chinese, as the table shows it."""
    out = _english_filled(df, lang)
    synthetic = bool(df.attrs.get("synthetic"))
    out.insert(0, "synthetic", synthetic)
    out.insert(0, "origin", "synthetic" if synthetic else "stored")
    if fmt == Fmt.csv:
        for c in out.columns:
            if out[c].map(lambda v: isinstance(v, (list, dict, tuple))).any():
                out[c] = out[c].map(lambda v: json.dumps(v, ensure_ascii=False, default=str)
                                    if isinstance(v, (list, dict, tuple)) else v)
    return out


def _source_line(attrs: dict, lang: str) -> str:
    en = lang == "en"
    source = _source(attrs, lang) or "—"
    if attrs.get("synthetic"):
        line = _say("synthetic_line", lang, source=source)
        if en:  # the label a Chinese reader of the file looks for, too
            line = f"合成数据（演示用）; {line}"
    else:
        line = f"{_say('source', lang)}{': ' if en else '：'}{source}"
    if attrs.get("as_of"):
        line += f"{'; ' if en else '；'}{_say('as_of', lang)} {attrs['as_of']}"
    return line


def _workbook(plan, attrs: dict, sheets, lang: str) -> bytes:
    """A plain workbook: per (title, frame) a sheet with the source line, a bold header row in the reader's
    language and the rows in words; every text cell through spreadsheet_safe."""
    import io  # noqa: PLC0415 - only when a workbook is written
    from openpyxl import Workbook  # noqa: PLC0415 - openpyxl only when a workbook is written
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415 - as above
    from openpyxl.styles import Font  # noqa: PLC0415 - as above

    wb = Workbook(write_only=True)
    note = _source_line(attrs, lang)
    seen: set[str] = set()
    for title, df in sheets:
        title = re.sub(r"[\\/*?:\[\]]", "-", str(title))[:31]  # characters a sheet title may not hold
        while title in seen:
            title = f"{title[:28]} {len(seen)}"
        seen.add(title)
        ws = wb.create_sheet(title=title)
        view = _view(_one_language(df, lang), plan, lang)
        ws.append([xlsx_text(note)])
        bold = Font(bold=True)
        heads = []
        for c in view.columns:
            h = WriteOnlyCell(ws, value=xlsx_text(_head(str(c), lang)))
            h.font = bold
            heads.append(h)
        ws.append(heads)
        for values in view.astype(object).itertuples(index=False):
            ws.append([xlsx_cell(None if _missing(v) else v) for v in values])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _missing(v) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _write(df: pd.DataFrame, fmt: Fmt, out: Optional[Path], lang: str, plan, title: str, more=()) -> bool:
    """JSON/CSV/XLSX output (to stdout or `out`); False for a table (the caller prints it)."""
    if fmt == Fmt.table:
        return False
    if fmt == Fmt.xlsx:
        save(out, _workbook(plan, df.attrs, [(title, df), *more], lang), lang)
        return True
    data = _machine(df, fmt, lang)
    text = (data.to_json(orient="records", force_ascii=False, indent=2, default_handler=str) + "\n"
            if fmt == Fmt.json else write_csv(data))
    if out is None:
        sys.stdout.write(text)
    else:
        save(out, text.encode("utf-8"), lang)
    return True


def _office(maker: str, df: pd.DataFrame, fmt: Fmt, plan, db, out: Path, lang: str, set_, *,
            frame: str | None = None, key: str | None = None) -> bool:
    """--format xlsx of a list: the office layout of zhizao.outputs.delivery_exports (`maker`: 重点项目台账,
    三服务问题台账, 任务分工方案) with the rows of `df` (the list, filters applied); False otherwise."""
    if fmt != Fmt.xlsx:
        return False
    from zhizao.outputs import delivery_exports  # noqa: PLC0415 - openpyxl only when a workbook is written

    when = df.attrs.get("as_of")
    data = zd.delivery_data(db=db, plan=plan, as_of=when)
    if frame is not None:  # a table built from the frame itself (任务分工方案): its rows filtered as the list
        rows = getattr(data, frame)
        data = dataclasses.replace(data, **{frame: rows[rows[key].astype(str).isin(set(df[key].astype(str)))]})
    save(out, getattr(delivery_exports, maker)(plan, data, df, lang=lang, as_of=when,
                                                settings=parse_settings(set_)), lang)
    return True


def _one_language(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The analytics' *_zh / *_en column pairs (reasons, status, category, lead_names…) as one column in
    the reader's language."""
    out = df.copy()
    for c in list(out.columns):
        if c.endswith("_zh") and f"{c[:-3]}_en" in out:
            stem = c[:-3]
            keep, other = (f"{stem}_en", c) if lang == "en" else (c, f"{stem}_en")
            out[stem] = _or(out[keep], out[other])
            out = out.drop(columns=[keep, other])
    # lead_names / lead_names_en, title / title_en: the reader's one (English falls back to the Chinese)
    for c in [c for c in out.columns if c.endswith("_en") and c[:-3] in out]:
        if lang == "en":
            out[c[:-3]] = _or(out[c], out[c[:-3]])
        out = out.drop(columns=c)
    return out


def _or(first: pd.Series, other: pd.Series) -> pd.Series:
    """`first`, and `other` where `first` is empty (a plan or a file without English titles)."""
    empty = first.map(lambda v: _missing(v) or (isinstance(v, str) and not v.strip()))
    return first.where(~empty, other)


# C0/C1 controls and DEL (tab and newline stay), and the bidi overrides that reorder a terminal line
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _control_word(m: re.Match) -> str:
    c = ord(m.group())
    if c < 0x20:
        return chr(0x2400 + c)  # the Control Pictures block: ␛ for ESC, ␇ for BEL
    if c == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{c:04X}>" if c > 0xFF else f"\\x{c:02x}"


def visible(v):
    """Stored text as it may reach a terminal: control characters and escape sequences shown, never
    obeyed (␛[31m, not red); anything else unchanged."""
    return _CONTROL.sub(_control_word, v) if isinstance(v, str) else v


def _visible_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = out[c].map(visible)
    out.attrs.update(df.attrs)
    return out


def _history(hist: pd.DataFrame, plan, lang: str) -> pd.DataFrame:
    """A change history (analytics.delivery.history.changes) for a reader: the first version says 新建,
    the field, the values (statuses, units, districts, categories, stages) in words, a withdrawn version
    marked 已撤回 — its change is no longer in force."""
    en = lang == "en"
    rows = []
    for r in hist.to_dict("records"):
        col = str(r.get("column") or "")
        values = pd.DataFrame({col or "_": ["" if _missing(r.get("before")) else r.get("before"),
                                            "" if _missing(r.get("after")) else r.get("after")]})
        before, after = _view(values, plan, lang).iloc[:, 0].tolist()
        kind = labels.label("cli_delivery_kind", r["kind"], lang) if isinstance(r.get("kind"), str) else r.get("kind")
        if bool(r.get("withdrawn")):  # what matters is that it is no longer in force (JSON keeps the kind)
            kind = _say("history_withdrawn", lang)
        field = (_say("history_created", lang) if not col else _head(col, lang) if en
                 else r.get("column_zh") or _head(col, lang))
        rows.append({"recorded_at": r.get("recorded_at"), "actor": r.get("actor"), "kind": kind,
                     "column": field, "before": before, "after": after})
    out = pd.DataFrame(rows, columns=["recorded_at", "actor", "kind", "column", "before", "after"])
    out["recorded_at"] = out["recorded_at"].map(lambda v: str(v)[:16].replace("T", " ") if not _missing(v) else v)
    out.attrs.update(hist.attrs)
    return out


def _show_history(hist: pd.DataFrame, plan, lang: str) -> None:
    if len(hist):
        _show(_history(hist, plan, lang), ["recorded_at", "actor", "kind", "column", "before", "after"], plan, lang,
              _say("show_history", lang), 20)


def _head(c: str, lang: str) -> str:
    if c in labels.CLI_DELIVERY_HEAD:
        return labels.label("cli_delivery_head", c, lang)
    for frame in COLUMN_WORDS.values():
        if c in frame:
            return frame[c][1 if lang == "en" else 0]
    return c


def _pair(table: dict, v, lang: str):
    p = table.get(v)
    return v if p is None else p[1 if lang == "en" else 0]


def _view(df: pd.DataFrame, plan, lang: str) -> pd.DataFrame:
    """A frame for a reader: codes as words (districts, clusters, chains, stages, statuses, categories,
    units, tasks), lists joined."""
    out = df.copy()
    en = lang == "en"
    districts = _district_names(plan, lang)
    clusters = {c.id: ((c.name_en or c.name) if en else c.name) for c in plan.clusters}
    chains = {c.id: ((c.name_en or c.name) if en else c.name) for c in plan.chains}
    links = {(c.id, k.id): ((k.name_en or k.name) if en else k.name) for c in plan.chains for k in c.links}
    units = unit_names(plan, None, lang)
    tasks = {t.id: ((getattr(t, "title_en", None) or t.title) if en else t.title)
             for t in [*getattr(plan, "tasks", []), *getattr(plan, "safeguards", [])]
             if hasattr(t, "title")}
    sep = "; " if en else "、"
    stages = {**{s: STAGE_NAMES[s] for s in STAGES}, "": (_say("stage_none", "zh"), _say("stage_none", "en"))}
    if "link" in out and "chain" in out:
        out["link"] = [links.get((c, k), k) for c, k in zip(out["chain"], out["link"])]
    for col, table in (("district", districts), ("cluster", clusters), ("chain", chains), ("task", tasks)):
        if col in out:
            out[col] = out[col].map(lambda v, t=table: t.get(v, v) if isinstance(v, str) else v)
    for col in ("stage", "next_stage"):
        if col in out:
            out[col] = out[col].map(lambda v: _pair(stages, "" if _missing(v) else v, lang))
    if "category" in out:
        out["category"] = out["category"].map(lambda v: _pair(PROBLEM_CATEGORIES, v, lang))
    words = {**STATUS_NAMES["project"], **STATUS_NAMES["problem"]}
    for col in ("status", "state"):  # state: a problem's status as judged at as_of
        if col in out:
            out[col] = out[col].map(lambda v: _pair(words, v, lang))
    if "basis" in out:
        out["basis"] = out["basis"].map(lambda v: _pair(STATUS_NAMES["basis"], v, lang))
    if "kind" in out:
        out["kind"] = out["kind"].map(lambda v: labels.label("cli_delivery_kind", v, lang) if isinstance(v, str) else v)
    for col in ("department", "lead", "cooperating"):
        if col in out:
            out[col] = out[col].map(lambda v: sep.join(units.get(u, u) for u in str(v).split(";") if u)
                                    if isinstance(v, str) else v)
    if "group" in out:
        out["group"] = out["group"].map(
            lambda v: next((t[v] for t in (districts, clusters, units, tasks) if v in t), _pair(PROBLEM_CATEGORIES, v, lang))
            if isinstance(v, str) else v)
    for col in out.columns:
        if out[col].map(lambda v: isinstance(v, (list, tuple))).any():
            out[col] = out[col].map(lambda v: sep.join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    return out


def _cells(df: pd.DataFrame, lang: str) -> list[list[str]]:
    cols = []
    for c in df.columns:
        if c in INTS:
            cols.append([cell(v, "int", lang) for v in df[c]])
        elif c in PCTS:
            cols.append([cell(v, "pct", lang) for v in df[c]])
        elif c in PPS:
            cols.append([cell(v, "pp", lang) for v in df[c]])
        elif c in MONEY:
            cols.append([cell(v, "level", lang) for v in df[c]])
        else:
            cols.append([cell(v, "auto", lang) for v in df[c]])
    return [[visible(x) for x in r] for r in zip(*cols)] if cols else []  # stored text: no raw escapes


def _show(df: pd.DataFrame, cols: list[str], plan, lang: str, title: str | None, limit: int = 0,
          styled: str | None = None, optional: tuple[str, ...] = ()) -> None:
    """Columns `cols` (those present) of `df` as a table fitted to the terminal: limited, reasons cut to
    two, codes in words; `styled`: a column of codes whose rows are coloured by STATUS_STYLE; `optional`:
    columns left out, in this order, while the table cannot be read at the terminal's width."""
    if df.empty:
        if title:
            console.print(Text(title, style="bold"))
        console.print(_say("no_rows", lang), markup=False, highlight=False)
        return
    df = limited(df, limit, lang)
    codes = list(df[styled]) if styled and styled in df else None
    view = _one_language(df, lang)
    keep = "reasons"
    if keep in view and keep in cols:
        s = "; " if lang == "en" else "；"
        full = view[keep]
        short = full.map(lambda t: s.join(t.split(s)[:REASONS_SHOWN]) + "…"
                         if isinstance(t, str) and len(t.split(s)) > REASONS_SHOWN else t)
        if (short != full).any():
            err.print(labels.label("chain_words", "reasons_cut", lang), style="dim", markup=False, highlight=False)
        view = view.assign(reasons=short)
    view = _view(view[[c for c in cols if c in view]], plan, lang).reset_index(drop=True)
    dropped = []
    while True:
        heads = [_head(str(c), lang) for c in view.columns]
        rows = _cells(view, lang)
        whole = tuple(sorted(set(numeric_columns([[r[i] for r in rows] for i in range(len(heads))]))
                             | {i for i, c in enumerate(view.columns) if c in WHOLE}
                             | {i for i in range(len(heads)) if all(_DATE.fullmatch(r[i].strip()) for r in rows)}))
        whole = tuple(sorted(set(whole) | {i for i, c in enumerate(view.columns) if c in NAMES
                                           and all(cell_len(r[i]) <= NAME_CELLS for r in rows)}))
        heads = _split_heads(heads, rows, whole)
        spare = [c for c in optional if c in view.columns]
        if not spare or _readable(view.columns, heads, rows, whole) <= console.width:
            break
        dropped.append(heads[list(view.columns).index(spare[0])].replace("\n", ""))
        view = view.drop(columns=spare[0])
    if dropped:
        err.print(_say("cols_dropped", lang, cols=("、" if lang == "zh" else ", ").join(dropped)), style="dim",
                  markup=False, highlight=False)
    styles = [[STATUS_STYLE.get(codes[k]) if codes is not None else None for _ in r] for k, r in enumerate(rows)]
    console.print(fitted_table(heads, rows, console.width, keep_whole=whole, title=title, styles=styles))


def _readable(columns, heads: list[str], rows: list[list[str]], whole: tuple[int, ...]) -> int:
    """The width a table needs to be read: numbers, dates and ids whole, names up to NAME_CELLS, other
    text up to TEXT_CELLS, and no word (of a cell or a header) broken."""
    need = 0
    for i, c in enumerate(columns):
        natural = max([cell_len(x) for x in heads[i].split("\n")] + [cell_len(r[i]) for r in rows])
        words = max([min_width(heads[i])] + [min_width(r[i]) for r in rows])
        need += natural if i in whole else max(words, min(natural, NAME_CELLS if c in NAMES else TEXT_CELLS))
    return need + 3 * len(heads) + 1


def _split_heads(heads: list[str], rows: list[list[str]], whole: tuple[int, ...]) -> list[str]:
    """When the table is wider than the terminal, a number column's header with a unit in two lines
    (投资完成 over （%）): a number column is kept whole, header included."""
    natural = [max([cell_len(h)] + [cell_len(r[i]) for r in rows]) for i, h in enumerate(heads)]
    if sum(natural) + 3 * len(heads) + 1 <= console.width:
        return heads
    out = []
    for i, h in enumerate(heads):
        for mark in ("（", " ("):
            if i in whole and mark in h and "\n" not in h and not h.startswith(mark):
                k = h.index(mark)
                h = h[:k] + "\n" + h[k:].strip()
                break
        if i in whole:  # a header no wider than its column's cells: Days / overdue, 逾期 / 天数
            h = "\n".join(_halves(part, max(cell_len(r[i]) for r in rows)) for part in h.split("\n"))
        out.append(h)
    return out


def _halves(head: str, cells: int) -> str:
    """A header wider than its column's cells: its words in lines (English), or in two halves (Chinese)."""
    if cell_len(head) <= cells:
        return head
    if " " in head.strip():
        return "\n".join(x.strip() for x in wrap(head, max(cells, min_width(head), (cell_len(head) + 1) // 2)))
    if not re.fullmatch(r"[\u4e00-\u9fff]{4,}", head):  # a unit （%） or one English word stays whole
        return head
    k = (len(head) + 1) // 2
    return f"{head[:k]}\n{head[k:]}"


def _facts(row: pd.Series, cols: list[str], plan, lang: str) -> None:
    """One record as `head：value` lines (folded, never cut)."""
    view = _view(_one_language(row.to_frame().T, lang), plan, lang).iloc[0]
    sep = ": " if lang == "en" else "："
    for c in cols:
        if c in view.index:
            v = view[c]
            kind = "pct" if c in PCTS else "int" if c in INTS else "level" if c in MONEY else "auto"
            text = cell(v, kind, lang) if not (isinstance(v, str) and not v) else _say("none", lang)
            console.print(Text(f"  {_head(c, lang)}{sep}{visible(text)}"), overflow="fold")


def _no_tasks(df: pd.DataFrame, fmt: Fmt, lang: str) -> bool:
    """A plan without a task decomposition: one line saying so and how to add one, True."""
    if not df.attrs.get("no_tasks"):
        return False
    if fmt == Fmt.json:
        sys.stdout.write("[]\n")
    (console if fmt == Fmt.table else err).print(_say("no_tasks", lang), markup=False, highlight=False)
    return True


def _actor() -> str:
    """Who records an edit: the OS user."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container): the environment's word, else unknown
        return os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"


def _date(text: str, what_zh: str, what_en: str) -> str:
    try:
        return date.fromisoformat(str(text).strip()).isoformat()
    except ValueError:
        raise UserError(f"{what_zh}“{str(text)[:40]}”无效：请写成 YYYY-MM-DD，如 2024-06-30",
                        f"invalid {what_en} '{str(text)[:40]}': write it as YYYY-MM-DD, e.g. 2024-06-30") from None


def _word(text: str, table: dict, what_zh: str, what_en: str) -> str:
    """A vocabulary value written as its code, Chinese or English name → the code; UserError naming them."""
    t = str(text).strip()
    for code, (zh, en) in table.items():
        if t in (code, zh, en) or t.lower() == en.lower():
            return code
    raise UserError(f"{what_zh}“{t[:40]}”无效：可取 {'、'.join(f'{c}（{zh}）' for c, (zh, _) in table.items())}",
                    f"invalid {what_en} '{t[:40]}': use one of {', '.join(table)}")


def _edit(frame: str, values: dict, plan, db, lang: str, note: str) -> dict:
    """Store one edit; refused: every problem (field, value, reason) on stderr, exit 2, nothing stored."""
    actor = _actor()
    try:
        stored = zd.record_delivery_edit(frame, values, plan=plan, db=db, actor=actor, role=None, note=note)
    except ImportFailed as e:
        err.print(Text(_say("edit_refused", lang, n=len(e.problems)), style="red"))
        heads = [_head("column", lang), _head("after", lang), "Problem" if lang == "en" else "问题"]
        rows = [[visible(x) for x in (p.column or "", p.value or "", p.message_en if lang == "en" else p.message_zh)]
                for p in e.problems]
        err.print(fitted_table(heads, rows, err.width))
        raise typer.Exit(2) from None
    row = stored.get("row")
    if isinstance(row, pd.DataFrame):
        row = row.iloc[0].to_dict() if len(row) else {}
    row = {c: v for c, v in dict(row or {}).items() if c in FRAMES[frame] and not _missing(v) and v != ""}
    shown = _view(pd.DataFrame([row]), plan, lang).iloc[0] if row else {}  # units, districts, codes in words
    words = COLUMN_WORDS[frame]
    sep, eq = ("; ", ": ") if lang == "en" else ("；", "：")
    what = sep.join(f"{words[c][1 if lang == 'en' else 0] if c in words else c}{eq}{cell(shown[c], 'auto', lang)}"
                    for c in row)
    console.print(Text(visible(_say("stored_line", lang, batch=stored.get("batch_id"), actor=actor, what=what))),
                  overflow="fold")
    return stored


def _import(files: List[Path], plan, db, lang: str) -> None:
    for f in files:
        if not f.is_file():
            raise UserError(f"文件不存在：{f}" if not f.exists() else f"不是文件而是目录：{f}，请给出要导入的文件",
                            f"file not found: {f}" if not f.exists() else f"{f} is a folder; give the file to import")
    _start(plan, db, Fmt.table, None, Lang(lang))  # a plan that cannot be used is said before any file is read
    try:
        with import_progress(lang) as progress:
            summary = zd.import_delivery_data([str(f) for f in files], plan=plan, db=db, actor=_actor(),
                                              progress=progress)
    except ImportFailed as e:
        refuse_import(e.problems, lang)
    counts = summary.get("rows") if isinstance(summary.get("rows"), dict) else summary
    sep = "; " if lang == "en" else "，"
    rows = sep.join(_say("rows", lang, frame=FRAME_NAMES[k][1 if lang == "en" else 0], n=f"{int(counts[k]):,}")
                    for k in FRAMES if isinstance(counts.get(k), (int, float)) and counts.get(k))
    console.print(Text(_say("imported_line", lang, batch=summary.get("batch_id"), rows=rows or "0")))


FilesArg = typer.Argument(..., metavar="FILE...", help="一个 XLSX（项目、项目进度、三服务问题、任务分工、任务节点、进展报告、"
                                                       "单位表，任选）或每表一个 CSV / one XLSX with any of the seven "
                                                       "sheets, or one CSV per table")
IMPORT_DOC = ("导入项目、三服务问题与任务分工数据（七张表任选；全部成功或全部不导入；未列出的记录保持不变）/ import "
              "project, 三服务 and task data (any of the seven sheets; all or nothing; rows not listed stay as they "
              "were).")


# --- project … ---------------------------------------------------------------------------------------------
@project_app.command("list")
def project_list(district: Optional[str] = DistrictOpt,
                 cluster: Optional[str] = typer.Option(None, "--cluster", help="只看这个产业集群（编号）/ one "
                                                                               "cluster only (id)"),
                 stage: Optional[str] = typer.Option(None, "--stage", help="只看到达这一阶段的项目：signed 签约、"
                                                                           "started 开工、production 投产、"
                                                                           "full_production 达产、none 未签约 / "
                                                                           "projects at this stage"),
                 overdue: bool = typer.Option(False, "--overdue", help="只看阶段逾期或投资滞后的项目 / only projects "
                                                                       "with a stage overdue or investment behind"),
                 as_of: Optional[str] = AsOfOpt, plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt,
                 fmt: Fmt = FmtOpt, out: Optional[Path] = OutOpt, limit: int = LimitOpt, lang: Lang = LangOpt,
                 set_: Optional[List[str]] = SetOpt):
    """重点项目：当前阶段、下一阶段计划日期、逾期天数、投资完成与时间进度 / the projects: stage reached, the next
    stage's planned date, days overdue, investment against time elapsed."""
    p, lang = _start(plan, db, fmt, out, lang)
    if stage is not None and stage != "none":
        stage = _word(stage, STAGE_NAMES, "项目阶段", "project stage")
    df = zd.projects(p, db, as_of, parse_settings(set_), district=district, cluster=cluster, stage=stage)
    if overdue:
        attrs = dict(df.attrs)
        df = df[df["stage_overdue"].fillna(False).astype(bool)
                | df["investment_behind"].fillna(False).astype(bool)].reset_index(drop=True)
        df.attrs.update(attrs)
    title = _say("projects_title", lang, n=len(df), as_of=df.attrs.get("as_of"))
    _banner(df, fmt, lang)
    if _office("project_ledger_workbook", df, fmt, p, db, out, lang, set_):
        return
    if _write(df, fmt, out, lang, p, title):
        return
    _show(df, ["project_id", "name", "district", "stage", "next_planned", "days_overdue", "investment_share"], p,
          lang, title, limit, optional=("district", "next_planned"))


@project_app.command("show")
def project_show(project: str = typer.Argument(..., metavar="ID", help="项目编号或项目全称 / project id or full name"),
                 as_of: Optional[str] = AsOfOpt, plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt,
                 fmt: Fmt = FmtOpt, out: Optional[Path] = OutOpt, lang: Lang = LangOpt,
                 set_: Optional[List[str]] = SetOpt):
    """一个项目：计划与实际阶段日期、投资进度、逐月投资与产值、修改记录 / one project: planned and actual stage
    dates, investment, monthly figures and its change history."""
    p, lang = _start(plan, db, fmt, out, lang)
    prof = zd.project_profile(project, p, db, as_of, parse_settings(set_))
    row = prof["project"]
    _banner(row, fmt, lang)
    if _profile_out(prof, "project", fmt, out, lang, p):
        return
    r = row.iloc[0]
    console.print(Text(visible(f"{r['name']}（{r['project_id']}）" if lang == "zh"
                               else f"{r['name']} ({r['project_id']})"), style="bold"), overflow="fold")
    _facts(r, ["district", "cluster", "chain", "link", "investor", "status", "planned_investment",
               "cumulative_investment", "investment_share", "schedule_share", "stage", "next_stage", "next_planned",
               "days_overdue", "reasons"], p, lang)
    stages = pd.DataFrame([{"stage": s, "planned": r.get(f"planned_{s}", ""), "actual": r.get(s, ""),
                            "slip": r.get(f"slip_{s}")} for s in STAGES])
    words = {"planned": ("计划日期", "Planned"), "actual": ("实际日期", "Actual"), "slip": ("偏差（天）", "Slip (days)")}
    heads = [_head("stage", lang), *(w[1 if lang == "en" else 0] for w in words.values())]
    console.print(fitted_table(heads, [[_pair(STAGE_NAMES, s.stage, lang), cell(s.planned or None, "auto", lang),
                                        cell(s.actual or None, "auto", lang), cell(s.slip, "int", lang)]
                                       for s in stages.itertuples()], console.width, keep_whole=(3,)))
    if len(prof["progress"]):
        _show(prof["progress"], ["year", "month", "investment", "output"], p, lang, _say("show_progress", lang), 24)
    _show_history(prof["history"], p, lang)


def _profile_out(prof: dict, first: str, fmt: Fmt, out, lang: str, plan) -> bool:
    """A show command's JSON (one object: origin, synthetic and each part), CSV (the record) or XLSX (a sheet
    per part); False for a table."""
    if fmt == Fmt.table:
        return False
    head = prof[first]
    if fmt == Fmt.json:
        doc = {"origin": "synthetic" if head.attrs.get("synthetic") else "stored",
               "synthetic": bool(head.attrs.get("synthetic")),
               **{k: json.loads(_english_filled(v, lang).to_json(orient="records", force_ascii=False,
                                                                   default_handler=str))
                  for k, v in prof.items()}}
        text = json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n"
        if out is None:
            sys.stdout.write(text)
        else:
            save(out, text.encode("utf-8"), lang)
        return True
    titles = {k: _say(f"show_{k}", lang) if f"show_{k}" in labels.CLI_DELIVERY_WORDS else k for k in prof}
    if fmt == Fmt.csv:
        return _write(head, fmt, out, lang, plan, titles[first])
    return _write(head, fmt, out, lang, plan, titles[first],
                  [(titles[k], _history(v, plan, lang) if k == "history" else v) for k, v in prof.items()
                   if k != first and len(v)])


@project_app.command("funnel")
def project_funnel(by: Optional[FunnelBy] = typer.Option(None, "--by", help="按产业集群或区县分组；缺省为全域 / per "
                                                                            "cluster or district; default: the whole "
                                                                            "area"),
                   district: Optional[str] = DistrictOpt, as_of: Optional[str] = AsOfOpt,
                   plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt, fmt: Fmt = FmtOpt,
                   out: Optional[Path] = OutOpt, limit: int = typer.Option(0, "--limit", min=0, help="表格最多行数，0 为"
                                                                           "全部 / rows in table format, 0 = all"),
                   lang: Lang = LangOpt, set_: Optional[List[str]] = SetOpt):
    """项目推进漏斗：签约、开工、投产、达产的项目数、计划总投资与占签约项目的比重 / the funnel: projects that
    reached each stage, their planned investment and their share of the signed ones."""
    p, lang = _start(plan, db, fmt, out, lang)
    df = zd.project_funnel(by.value if by else None, p, db, as_of, parse_settings(set_), district=district)
    title = _say("funnel_title", lang, as_of=df.attrs.get("as_of"))
    _banner(df, fmt, lang)
    if _write(df, fmt, out, lang, p, title):
        return
    cols = (["group"] if by else []) + ["stage", "n", "planned_investment", "share"]
    _show(df, cols, p, lang, title, limit)


@project_app.command("stage")
def project_stage(project: str = typer.Argument(..., metavar="ID", help="项目编号 / project id"),
                  stage: str = typer.Argument(..., metavar="STAGE", help="signed 签约 | started 开工 | production 投产 "
                                                                         "| full_production 达产"),
                  when: str = typer.Argument(..., metavar="DATE", help="日期 YYYY-MM-DD / the date"),
                  planned: bool = typer.Option(False, "--planned", help="记录计划日期而不是实际日期 / record the "
                                                                        "planned date instead of the actual one"),
                  plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt, lang: Lang = LangOpt):
    """记录项目某阶段的实际（或计划）日期；保留修改记录 / record a project's actual (or planned) stage date; the
    earlier value stays in the history."""
    p, lang = _start(plan, db, Fmt.table, None, lang)
    code = _word(stage, STAGE_NAMES, "项目阶段", "project stage")
    day = _date(when, "日期", "date")
    column = f"planned_{code}" if planned else code
    _edit("projects", {"project_id": project.strip(), column: day}, p, db, lang,
          f"project stage {project.strip()} {column} {day}")


TEMPLATE_DOC = ("空白导入模板：项目、项目进度、三服务问题、任务分工、任务节点、进展报告、单位七张表（各一行示例）和说明表 / "
                "the blank import template: the seven sheets `import` reads, one example row each, and a sheet of the "
                "accepted values.")
TEMPLATE_FILE = ("项目三服务任务导入模板.xlsx", "delivery-import-template.xlsx")


def _template(out: Optional[Path], plan, db, lang: str) -> None:
    if out is None:
        out = Path(TEMPLATE_FILE[1 if lang == "en" else 0])
    if out.suffix.lower() != ".xlsx":
        raise UserError(f"模板是 Excel 工作簿：--out 请用 .xlsx 结尾的文件名（现为 {out}）",
                        f"the template is an Excel workbook: give --out a file name ending in .xlsx (not {out})")
    p, _ = _start(plan, db, Fmt.table, None, Lang(lang))
    from zhizao.outputs import delivery_exports  # noqa: PLC0415 - openpyxl only when a workbook is written

    save(out, delivery_exports.template_workbook(p, lang), lang)


for _group in (project_app, service_app, task_app):
    @_group.command("import", help=IMPORT_DOC)
    def _delivery_import(files: List[Path] = FilesArg, plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt,
                         lang: Lang = LangOpt):
        _import(files, plan, db, lang.value)

    @_group.command("template", help=TEMPLATE_DOC)
    def _delivery_template(out: Optional[Path] = typer.Option(None, "--out", help="写入的文件（.xlsx）；缺省为当前目录下"
                                                                                "的“项目三服务任务导入模板.xlsx”/ the "
                                                                                "file to write (.xlsx); default: "
                                                                                "delivery-import-template.xlsx here"),
                           plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt, lang: Lang = LangOpt):
        _template(out, plan, db, lang.value)


# --- service … ---------------------------------------------------------------------------------------------
@service_app.command("list")
def service_list(district: Optional[str] = DistrictOpt, department: Optional[str] = DepartmentOpt,
                 status: Optional[ProblemStatus] = typer.Option(None, "--status", help="只看这一办理状态：open 待办、"
                                                                                       "in_progress 办理中、resolved "
                                                                                       "已办结 / one status only"),
                 category: Optional[str] = typer.Option(None, "--category", help="只看这一类问题（编号或名称，如 land"
                                                                                 "、用地）/ one category (code or "
                                                                                 "name)"),
                 overdue: bool = typer.Option(False, "--overdue", help="只看逾期的问题 / overdue problems only"),
                 as_of: Optional[str] = AsOfOpt, plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt,
                 fmt: Fmt = FmtOpt, out: Optional[Path] = OutOpt, limit: int = LimitOpt, lang: Lang = LangOpt,
                 set_: Optional[List[str]] = SetOpt):
    """三服务问题台账：企业、类别、责任单位、期限、办理状态与逾期天数 / the 三服务 problems: enterprise,
    category, responsible unit, deadline, status and days overdue."""
    p, lang = _start(plan, db, fmt, out, lang)
    cat = _word(category, PROBLEM_CATEGORIES, "问题类别", "category") if category else None
    df = zd.problems(p, db, as_of, parse_settings(set_), district=district, department=department,
                     status=status.value if status else None, category=cat, overdue=overdue)
    title = _say("problems_title", lang, n=len(df), as_of=df.attrs.get("as_of"))
    _banner(df, fmt, lang)
    if _office("service_ledger_workbook", df, fmt, p, db, out, lang, set_):
        return
    if _write(df, fmt, out, lang, p, title):
        return
    _show(df, ["problem_id", "enterprise_name", "category", "department", "deadline", "status", "days_overdue"], p,
          lang, title, limit, optional=("category", "deadline"))


@service_app.command("show")
def service_show(problem: str = typer.Argument(..., metavar="ID", help="问题编号 / problem id"),
                 as_of: Optional[str] = AsOfOpt, plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt,
                 fmt: Fmt = FmtOpt, out: Optional[Path] = OutOpt, lang: Lang = LangOpt,
                 set_: Optional[List[str]] = SetOpt):
    """一个三服务问题：描述、责任单位、期限、办理情况与修改记录 / one problem: description, responsible unit,
    deadline, resolution and its change history."""
    p, lang = _start(plan, db, fmt, out, lang)
    prof = zd.problem_profile(problem, p, db, as_of, parse_settings(set_))
    row = prof["problem"]
    _banner(row, fmt, lang)
    if _profile_out(prof, "problem", fmt, out, lang, p):
        return
    r = row.iloc[0]
    console.print(Text(visible(f"{r['problem_id']} · {r['enterprise_name']}"), style="bold"), overflow="fold")
    _facts(r, ["district", "category", "description", "department", "raised", "deadline", "status", "days_open",
               "days_overdue", "resolved", "resolution", "reasons"], p, lang)
    _show_history(prof["history"], p, lang)


@service_app.command("summary")
def service_summary(by: ServiceBy = typer.Option(ServiceBy.department, "--by", help="按责任单位、区县或问题类别 / by "
                                                                                     "responsible unit, district or "
                                                                                     "category"),
                    district: Optional[str] = DistrictOpt, as_of: Optional[str] = AsOfOpt,
                    plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt, fmt: Fmt = FmtOpt,
                    out: Optional[Path] = OutOpt, limit: int = LimitOpt, lang: Lang = LangOpt,
                    set_: Optional[List[str]] = SetOpt):
    """三服务问题办理情况：问题数、待办、办理中、已办结、逾期、按期办结率与办结天数 / counts, overdue, the share
    resolved on time and the days to resolve."""
    p, lang = _start(plan, db, fmt, out, lang)
    df = zd.service_summary(by.value, p, db, as_of, parse_settings(set_), district=district)
    key = "by_responsible" if by == ServiceBy.department else f"by_{by.value}"
    title = _say("summary_title", lang, by=_say(key, lang), as_of=df.attrs.get("as_of"))
    _banner(df, fmt, lang)
    if _write(df, fmt, out, lang, p, title):
        return
    view = df.rename(columns={by.value: "group"}) if by.value in df and "group" not in df else df
    view = view.rename(columns={"overdue": "overdue_n", "resolved": "resolved_n", "n": "n_problems"})
    _show(view, ["group", "n_problems", "open", "in_progress", "resolved_n", "overdue_n", "on_time_share",
                 "median_resolution_days"], p, lang, title, limit)


@service_app.command("add")
def service_add(enterprise: str = typer.Option(..., "--enterprise", help="企业名称 / enterprise name"),
                district: str = typer.Option(..., "--district", help="所在区县（代码或名称）/ its district"),
                category: str = typer.Option(..., "--category", help="问题类别（编号或名称，如 land、用地）/ category"),
                description: str = typer.Option(..., "--description", help="问题描述 / the problem"),
                department: str = typer.Option(..., "--department", help="责任单位（编号或名称）/ responsible unit"),
                deadline: str = typer.Option(..., "--deadline", help="办理期限 YYYY-MM-DD / deadline"),
                raised: Optional[str] = typer.Option(None, "--raised", help="提出日期；缺省为今天 / raised on "
                                                                            "(default: today)"),
                credit_code: Optional[str] = typer.Option(None, "--credit-code", help="统一社会信用代码 / credit "
                                                                                      "code"),
                problem_id: Optional[str] = typer.Option(None, "--id", help="问题编号；缺省自动编号 / problem id "
                                                                            "(default: assigned)"),
                plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt, lang: Lang = LangOpt):
    """登记一个三服务问题（状态为待办）/ log a 三服务 problem (status open)."""
    p, lang = _start(plan, db, Fmt.table, None, lang)
    names = {d.name: d.code for d in (p.regions.districts if p.regions else [])}  # the import's check names the rest
    values = {"problem_id": (problem_id or "").strip(), "enterprise_id": (credit_code or "").strip(),
              "enterprise_name": enterprise.strip(), "district": names.get(district.strip(), district.strip()),
              "category": _word(category, PROBLEM_CATEGORIES, "问题类别", "category"),
              "description": description.strip(), "department": department.strip(),
              "raised": _date(raised, "提出日期", "raised date") if raised else date.today().isoformat(),
              "deadline": _date(deadline, "办理期限", "deadline"), "status": "open", "resolved": "", "resolution": ""}
    _edit("problems", values, p, db, lang, "service add")


@service_app.command("resolve")
def service_resolve(problem: str = typer.Argument(..., metavar="ID", help="问题编号 / problem id"),
                    when: str = typer.Argument(..., metavar="DATE", help="办结日期 YYYY-MM-DD / resolved on"),
                    text: str = typer.Argument(..., metavar="TEXT", help="办理结果 / how it was resolved"),
                    plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt, lang: Lang = LangOpt):
    """办结一个三服务问题：记录办结日期与办理结果 / mark a problem resolved, with the date and how."""
    p, lang = _start(plan, db, Fmt.table, None, lang)
    _edit("problems", {"problem_id": problem.strip(), "status": "resolved", "resolved": _date(when, "办结日期",
                                                                                               "resolved date"),
                       "resolution": text.strip()}, p, db, lang, f"service resolve {problem.strip()}")


# --- task … ------------------------------------------------------------------------------------------------
@task_app.command("list")
def task_list(department: Optional[str] = DepartmentOpt,
              status: Optional[ItemStatus] = typer.Option(None, "--status", help="只看这一状态 / one status only"),
              task: Optional[str] = typer.Option(None, "--task", help="只看这项规划任务（编号）/ one plan task (id)"),
              district: Optional[str] = typer.Option(None, "--district", help="只看区县牵头或配合的任务 / items with "
                                                                              "this district as a unit"),
              as_of: Optional[str] = AsOfOpt, plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt,
              task_fmt: TaskFmt = typer.Option(TaskFmt.table, "--format",
                                               help="输出格式；xlsx、docx 为任务分工方案（须配 --out）/ output "
                                                    "format; xlsx and docx: the 任务分工方案 (need --out)"),
              out: Optional[Path] = OutOpt, limit: int = LimitOpt, lang: Lang = LangOpt,
              set_: Optional[List[str]] = SetOpt):
    """任务分工方案：工作任务、牵头单位、完成时限、完成进度与状态 / the work items: lead units, deadline,
    completion and status (done, overdue, stalled, behind, on track, not started)."""
    docx = task_fmt == TaskFmt.docx
    if docx and out is None:
        raise UserError("--format docx 须用 --out 文件名.docx 指定写入的文件",
                        "--format docx needs --out FILE.docx: the file to write")
    fmt = Fmt.xlsx if docx else Fmt(task_fmt.value)  # both office layouts are written to --out
    p, lang = _start(plan, db, fmt, out, lang)
    if department and district:
        raise UserError("--department 与 --district 请只给一个", "give --department or --district, not both")
    df = zd.work_items(p, db, as_of, parse_settings(set_), department=department or district,
                       status=status.value if status else None, task=task)
    _banner(df, fmt, lang)
    if _no_tasks(df, fmt, lang):
        return
    title = _say("items_title", lang, n=len(df), as_of=df.attrs.get("as_of"))
    if _office("task_table_docx" if docx else "task_table_workbook", df, fmt, p, db, out, lang, set_,
               frame="work_items", key="item_id"):
        return
    if _write(df, fmt, out, lang, p, title):
        return
    # the row number, not the long item id: the title needs the width (task show takes either)
    _show(df, ["no", "title", "lead_names", "deadline", "completion", "status"], p, lang, title, limit,
          styled="status", optional=("deadline",))


@task_app.command("show")
def task_show(item: str = typer.Argument(..., metavar="ID", help="task list 的序号、任务编号或工作任务全称 / the number "
                                                                 "task list shows, the item id or its full title"),
              as_of: Optional[str] = AsOfOpt, plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt,
              fmt: Fmt = FmtOpt, out: Optional[Path] = OutOpt, lang: Lang = LangOpt,
              set_: Optional[List[str]] = SetOpt):
    """一项工作任务：牵头与配合单位、时限、节点、进展报告与修改记录 / one work item: units, deadline,
    milestones, progress reports and its change history."""
    p, lang = _start(plan, db, fmt, out, lang)
    prof = zd.work_item_profile(item, p, db, as_of, parse_settings(set_))
    row = prof["item"]
    _banner(row, fmt, lang)
    if _profile_out(prof, "item", fmt, out, lang, p):
        return
    r = row.iloc[0]
    console.print(Text(visible(f"{r['item_id']} · {r['title']}"), style="bold"), overflow="fold")
    _facts(r, ["task", "lead_names", "cooperating_names", "start", "deadline", "completion", "time_share",
               "last_report", "status", "basis", "reasons"], p, lang)
    if len(prof["milestones"]):
        _show(prof["milestones"], ["seq", "due", "text", "done"], p, lang, _say("show_milestones", lang))
    if len(prof["reports"]):
        _show(prof["reports"], ["date", "completion", "text", "reporter"], p, lang, _say("show_reports", lang), 20)
    _show_history(prof["history"], p, lang)


@task_app.command("progress")
def task_progress(by: TaskBy = typer.Option(TaskBy.department, "--by", help="按牵头单位或规划任务 / by lead unit or "
                                                                            "plan task"),
                  as_of: Optional[str] = AsOfOpt, plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt,
                  fmt: Fmt = FmtOpt, out: Optional[Path] = OutOpt, limit: int = LimitOpt, lang: Lang = LangOpt,
                  set_: Optional[List[str]] = SetOpt):
    """任务进展汇总：各牵头单位（或各规划任务）的任务数、已完成、正常、滞后、停滞、逾期与平均完成进度 / progress
    by lead unit or plan task."""
    p, lang = _start(plan, db, fmt, out, lang)
    df = zd.task_progress(by.value, p, db, as_of, parse_settings(set_))
    _banner(df, fmt, lang)
    if _no_tasks(df, fmt, lang):
        return
    title = _say("progress_title", lang, by=_say(f"by_{by.value}", lang), as_of=df.attrs.get("as_of"))
    if _write(df, fmt, out, lang, p, title):
        return
    view = df.rename(columns={by.value: "group"}) if by.value in df and "group" not in df else df
    view = view.rename(columns={"overdue": "overdue_n", "done": "done_n", "n": "n_items"})
    _show(view, ["group", "n_items", "done_n", "on_track", "behind", "stalled", "overdue_n", "not_started",
                 "mean_completion"], p, lang, title, limit)


@task_app.command("report")
def task_report(item: str = typer.Argument(..., metavar="ID", help="task list 的序号、任务编号或工作任务全称 / the "
                                                                   "number task list shows, the item id or its full "
                                                                   "title"),
                completion: float = typer.Option(..., "--completion", min=0, max=100, help="完成进度 0–100（%）/ "
                                                                                           "completion 0–100 (%)"),
                text: str = typer.Option(..., "--text", help="进展情况 / what was done"),
                attachment: Optional[List[str]] = typer.Option(None, "--attachment", help="附件的文件名或网址（可重复"
                                                                                          "；只记引用）/ a file name or "
                                                                                          "URL (repeatable; the "
                                                                                          "reference only)"),
                when: Optional[str] = typer.Option(None, "--date", help="报告日期；缺省为今天 / report date "
                                                                        "(default: today)"),
                plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt, lang: Lang = LangOpt):
    """报送一项任务的进展（完成进度、进展情况、附件引用）/ add a progress report to a work item."""
    p, lang = _start(plan, db, Fmt.table, None, lang)
    refs = [a.strip() for a in attachment or [] if a.strip()]
    if any(";" in a for a in refs):
        raise UserError("附件引用中不能有分号“;”：每个附件用一个 --attachment", "an attachment reference cannot hold "
                        "';': give each attachment its own --attachment")
    item = zd.work_item_id(item, p, db)
    values = {"report_id": "", "item_id": item, "date": _date(when, "报告日期", "report date") if when
              else date.today().isoformat(), "completion": float(completion), "text": text.strip(),
              "attachments": ";".join(refs), "reporter": _actor()}
    _edit("progress_reports", values, p, db, lang, f"task report {item}")


# --- zhizao warnings -------------------------------------------------------------------------------------------
def delivery_rules() -> dict:
    """The project, 三服务 and task warning rules and their titles."""
    return labels.TABLES["cli_delivery_rule"]


def delivery_warning_rows(plan, db, settings, severity_rank: int, rules, severity_order: dict, out_console,
                          lang: str, fmt: str) -> pd.DataFrame:
    """The plan's delivery warnings (api_delivery.delivery_warnings), filtered as the monitoring ones; in table
    format a line says where their data come from."""
    w = zd.delivery_warnings(plan, db, None, settings)
    if fmt == "table" and len(w):
        delivery_source_line(w.attrs, out_console, lang)
    attrs = dict(w.attrs)
    if "evidence" in w:  # the monitoring table reads evidence as a dict
        w = w.assign(evidence=w["evidence"].map(lambda e: e if isinstance(e, dict) else {}))
    w = w[w["severity"].map(severity_order).fillna(9) <= severity_rank]
    w = w[w["rule"].isin(rules)] if rules else w
    w.attrs.update(attrs)
    return w


def delivery_source_line(attrs: dict, out_console, lang: str) -> None:
    """The line above the warnings table saying where the delivery warnings' data come from."""
    origin = labels.label("chain_words", "synthetic", lang) if attrs.get("synthetic") else ""
    out_console.print(Text(_say("warn_source", lang) + " · ".join(x for x in (origin, _source(attrs, lang)) if x),
                           style="bold yellow" if attrs.get("synthetic") else "dim"))


def with_delivery_rows(ew: pd.DataFrame, plan, db, settings, severity_rank: int, rules, severity_order: dict,
                       out_console, lang: str, fmt: str) -> pd.DataFrame:
    """The enterprise warnings `ew` and after them the delivery ones; attrs: the enterprise data's, and
    delivery_synthetic."""
    dw = delivery_warning_rows(plan, db, settings, severity_rank, rules, severity_order, out_console, lang, fmt)
    attrs = dict(ew.attrs)
    both = pd.concat([x for x in (ew, dw) if len(x)], ignore_index=True) if len(dw) else ew
    both.attrs.update(attrs, delivery_synthetic=bool(dw.attrs.get("synthetic")), delivery_attrs=dict(dw.attrs))
    return both
