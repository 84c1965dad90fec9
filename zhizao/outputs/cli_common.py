"""What the `chain`, `enterprise`/`park`/`green` and `project`/`service`/`task` commands share: their
options (declared once, so --help reads the same everywhere), the output format with xlsx, and the
helpers for writing files, cutting long tables and showing a refused import's problems.
The words come from labels' chain_words (where these helpers were first written)."""
from __future__ import annotations

import re
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import NoReturn, Optional

import pandas as pd
import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

from zhizao import api, labels
from zhizao.errors import UserError
from zhizao.ingest.table import problems_frame
from zhizao.outputs.console import Lang, fitted_table, make_console
from zhizao.plan.load import PlanError
from zhizao.store.store import as_db

err = make_console(stderr=True)
REASONS_SHOWN = 2  # reasons in a table cell; JSON/CSV/XLSX have them all


class Fmt(str, Enum):  # table|json|csv as every command, and xlsx (written to --out)
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


PlanOpt = typer.Option(None, "--plan", envvar="ZHIZAO_PLAN", help="规划：编号或 YAML 文件路径；缺省为数据库所属规划 / "
                                                                  "plan id or YAML path; default: the store's plan")
DbOpt = typer.Option(None, "--db", parser=as_db, metavar="PATH|URL",
                     help="DuckDB 文件或 postgresql:// URL；缺省 $ZHIZAO_DB / DuckDB file or postgresql:// URL")
LangOpt = typer.Option(Lang.zh, "--lang", help="输出语言 / output language")
FmtOpt = typer.Option(Fmt.table, "--format", help="输出格式（xlsx 须配 --out）/ output format (xlsx needs --out)")
OutOpt = typer.Option(None, "--out", help="写入文件而不是屏幕（csv、json、xlsx）/ write to this file instead (csv, json, "
                                          "xlsx)")
SetOpt = typer.Option(None, "-s", "--set", help="覆盖设置 NAME=VALUE（可重复，见 zhizao settings）/ setting override "
                                                "NAME=VALUE (repeatable)")
LimitOpt = typer.Option(50, "--limit", min=0, help="表格最多行数，0 为全部 / rows in table format, 0 = all")
YearOpt = typer.Option(None, "--year", min=1949, max=2100, help="评价年份；缺省为数据中最近一年 / the year; default: "
                                                                "the latest in the data")
DistrictOpt = typer.Option(None, "--district", help="只看这个区县（GB/T 2260 代码或名称）/ one district only (code or "
                                                    "name)")


def _say(key: str, lang: str, **kw) -> str:
    return labels.label("chain_words", key, lang).format(**kw)


def resolve_plan(plan: Optional[str], db, lang: str):
    """The plan named by --plan (else the store's); a broken plan file as a message naming its problem."""
    try:
        return api.resolve_plan(plan, db, register=False)
    except PlanError as e:  # the file's own problems, located
        raise UserError(f"规划文件无法使用：{e}", f"the plan file cannot be used: {e}") from None


def check_out(fmt: Fmt, out: Optional[Path]) -> None:
    """--format and --out agree (checked before any work, so the mistake is the only line)."""
    if fmt == Fmt.table and out is not None:
        raise UserError("--out 用于 csv、json 或 xlsx：请同时给出 --format csv|json|xlsx",
                        "--out writes csv, json or xlsx: add --format csv|json|xlsx")
    if fmt == Fmt.xlsx and out is None:
        raise UserError("--format xlsx 须用 --out 文件名.xlsx 指定写入的文件",
                        "--format xlsx needs --out FILE.xlsx: the file to write")


def save(out: Path, payload: bytes, lang: str) -> None:
    """Write a file the user named; a folder that is missing or read-only is a message, not a trace."""
    try:
        out.write_bytes(payload)
    except OSError as e:
        raise UserError(f"无法写入 {out}（{e.strerror or e}）：请检查目录是否存在、是否有写权限",
                        f"cannot write {out} ({e.strerror or e}): check that the folder exists and is writable") from None
    err.print(f"{_say('written', lang)} {out}", markup=False, highlight=False)


def limited(df: pd.DataFrame, limit: int, lang: str) -> pd.DataFrame:
    """The first `limit` rows (0: all), saying on stderr how many were left out."""
    if limit and len(df) > limit:
        err.print(_say("limited", lang, n=len(df), k=limit), style="dim", markup=False, highlight=False)
        return df.head(limit)
    return df


@contextmanager
def import_progress(lang: str):
    """The import's stage (reading, checking N rows, writing) on stderr: a live line on a terminal,
    one line per stage in a log — a million supply rows take a while."""
    def label(stage: str, rows) -> str:
        key = f"stage_{stage}"
        if key not in labels.CHAIN_WORDS:
            return stage
        return _say(key, lang, rows=f"{rows:,}" if isinstance(rows, int) else "…")

    if not err.is_terminal:
        yield lambda stage, rows: err.print(label(stage, rows), style="dim", markup=False, highlight=False)
        return
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err,
                  transient=True) as bar:
        task = bar.add_task("", total=None)
        yield lambda stage, rows: bar.update(task, description=label(stage, rows))


SHEET = re.compile(r"^(?P<file>.+)\[(?P<sheet>[^\[\]]+)\]$")  # the table readers' "file[sheet]"


def _where(p) -> tuple[str, str | None]:
    """(file, sheet) of a problem: the readers name an XLSX sheet as file[sheet]."""
    m = SHEET.match(str(p.file or ""))
    if m and f"“{m['sheet']}”" in p.message_zh:
        return m["file"], m["sheet"]
    return str(p.file or ""), None


def _reason(p, file: str, sheet: str | None, lang: str) -> str:
    """The problem's reason without the place the other columns already give (the reader writes
    文件“F”工作表“S”第R行“C”列的值“V”：reason); the whole message when it is written otherwise."""
    if lang == "en":
        where = f"File '{file}'" + (f", sheet '{sheet}'" if sheet else "") + (
            f", row {p.row}" if p.row is not None else "") + (f', column "{p.column}"' if p.column else "") + (
            f', value "{p.value}"' if p.value else "") + ": "
        text = p.message_en
    else:
        where = f"文件“{file}”" + (f"工作表“{sheet}”" if sheet else "") + (
            f"第{p.row}行" if p.row is not None else "") + (f"“{p.column}”列" if p.column else "") + (
            f"的值“{p.value}”" if p.value else "") + "："
        text = p.message_zh
    return text[len(where):] if text.startswith(where) and len(text) > len(where) else text


def refuse_import(problems, lang: str) -> NoReturn:
    """A refused import (nothing was written): how many problems, each in a table, exit status 1."""
    err.print(Text(_say("refused", lang, n=len(problems)), style="red"))
    show_problems(problems, lang)
    raise typer.Exit(1)


def show_problems(problems, lang: str) -> None:
    """Every problem of a refused import in file and row order, a table per file (and sheet of an XLSX)
    under its name: row, column, value, reason — the place said once, so the reason has room at 80 columns."""
    order: dict = {}
    rows = []
    for p in problems:
        file, sheet = _where(p)
        order.setdefault((file, sheet), len(order))
        rows.append((order[(file, sheet)], p.row if p.row is not None else 0, file, sheet, p))
    rows.sort(key=lambda r: r[:2])
    heads = list(problems_frame([], lang).columns)[1:]  # row, column, value, problem in the reader's language
    groups: dict = {}
    for _, _, file, sheet, p in rows:
        groups.setdefault((file, sheet), []).append(["" if p.row is None else str(p.row), p.column or "",
                                                     p.value or "", _reason(p, file, sheet, lang)])
    sheet_word = labels.label("chain_head", "sheet", lang)
    for (file, sheet), shown in groups.items():
        where = f"{file} · {sheet_word} {sheet}" if sheet else file
        err.print(Text(where, style="bold"))
        err.print(fitted_table(heads, shown, err.width, keep_whole=(0,)))
