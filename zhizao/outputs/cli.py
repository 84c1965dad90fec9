"""The `zhizao` command. Thin: parses options, calls zhizao.api, prints. Reference: docs/cli.md."""
from __future__ import annotations

import json
import os
import re
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Optional

import pandas as pd
import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from zhizao import __version__, api, formatting, labels
from zhizao.analytics.final import final_label
from zhizao.analytics.progress import status_label, target_display
from zhizao.codes import regions
from zhizao.codes.industries import division_name
from zhizao.errors import UserError
from zhizao.ingest.table import problems_frame
from zhizao.outputs.cli_admin import register as register_admin
from zhizao.outputs.cli_chains import register as register_chains
from zhizao.outputs.cli_delivery import register as register_delivery
from zhizao.outputs.cli_enterprises import register as register_enterprises
from zhizao.outputs.cli_monitoring import register as register_monitoring
from zhizao.outputs.cli_users import register as register_users
from zhizao.outputs.console import (Fmt, Lang, cell, check_year, fitted_table, make_console,
                                    numeric_columns, parse_settings, wrap)
from zhizao.outputs.reports.cli import register_all as register_reports  # report and brief
from zhizao.outputs.spreadsheet_safe import write_csv
from zhizao.outputs.web.cli import register as register_web
from zhizao.plan.load import PlanError
from zhizao.settings import display_time_zone
from zhizao.plan.search import search_plan
from zhizao.settings import SETTINGS, baseline_rule
from zhizao.store.importing import ImportFailed
from zhizao.store.store import StoreBusy, as_db

try:  # typer ≥ 0.20 vendors click as typer._click; an older typer runs on the real click
    from typer._click import exceptions as click_exceptions
except ImportError:
    from click import exceptions as click_exceptions


def _readable_help() -> None:
    """Help at 80 columns: typer lays an option's help out in rich Columns, which cut a long Chinese
    run with "…"; a Group wraps it instead. The help option's own line is bilingual like the rest."""
    try:
        from rich.console import Group  # noqa: PLC0415 - only with typer's optional rich help
        from typer import rich_utils  # noqa: PLC0415 - typer without rich has no rich_utils
    except ImportError:  # pragma: no cover - typer without rich: click's plain help
        return
    original = getattr(rich_utils, "_get_parameter_help", None)
    if original is None or getattr(original, "zhizao", False):
        return

    def parameter_help(*, param, ctx, markup_mode):
        if getattr(param, "name", None) == "help":
            param.help = "显示本帮助并退出 / show this help and exit"
        cols = original(param=param, ctx=ctx, markup_mode=markup_mode)
        items = list(getattr(cols, "renderables", [cols]))
        for item in items:
            if isinstance(item, Text):
                item.overflow = "fold"  # the table's column would cut it with "…"
        return Group(*items)

    parameter_help.zhizao = True
    rich_utils._get_parameter_help = parameter_help
    _flags_without_value()
    command_help = getattr(rich_utils, "_make_command_help", None)
    if command_help is not None:
        def folded_command_help(*args, **kwargs):
            text = command_help(*args, **kwargs)
            if isinstance(text, Text):
                text.overflow = "fold"
            return text

        rich_utils._make_command_help = folded_command_help


def _flags_without_value() -> None:
    """A flag (--help, --version, --no-anomalies) takes no value: typer ≥ 0.2x prints `<bool>` after
    it as if it did. Its type column stays empty; options with a value keep theirs."""
    try:
        from typer.core import TyperOption  # noqa: PLC0415 - typer's class, patched once with the help
    except ImportError:  # pragma: no cover - an older typer has no value hint on flags
        return
    original = getattr(TyperOption, "display_type_rich", None)
    if original is None or getattr(original, "zhizao", False):
        return

    def display_type_rich(self, ctx):
        if getattr(self, "is_flag", False) and self.metavar is None:
            return None
        return original(self, ctx)

    display_type_rich.zhizao = True
    TyperOption.display_type_rich = display_type_rich


_readable_help()

app = typer.Typer(
    help="智造 zhizao — 规划实施监测预警 / plan-implementation monitoring and early warning.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
)
plan_app = typer.Typer(help="规划：查看与一致性检查 / the plan: show and lint.", no_args_is_help=True)
data_app = typer.Typer(help="数据：导入、查看、来源、撤回 / statistics: import, list, sources, withdraw.", no_args_is_help=True)
app.add_typer(plan_app, name="plan")
app.add_typer(data_app, name="data")


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"zhizao {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True,
                                       help="显示版本号并退出 / print the version and exit")) -> None:
    """智造 zhizao — 规划实施监测预警 / plan-implementation monitoring and early warning."""

console = make_console()
err = make_console(stderr=True)


class Section(str, Enum):
    indicators = "indicators"
    clusters = "clusters"
    industries = "industries"
    technologies = "technologies"
    platforms = "platforms"
    tasks = "tasks"
    safeguards = "safeguards"
    regions = "regions"


DbOpt = typer.Option(None, "--db", parser=as_db, metavar="PATH|URL",
                     help="DuckDB 文件或 postgresql:// URL；缺省用 $ZHIZAO_DB，再缺省 ~/.local/share/zhizao/zhizao.duckdb")
PLAN_HELP = ("规划：编号或 YAML 文件路径（用过一次的文件可用编号，见 zhizao plan list）；缺省为数据库所属规划，再缺省为内置默认规划 "
             "/ plan id or YAML path (a file once used is known by its id: zhizao plan list); default: the store's plan, "
             "else the embedded default")
PlanOpt = typer.Option(None, "--plan", envvar="ZHIZAO_PLAN", help=PLAN_HELP)
LangOpt = typer.Option(Lang.zh, "--lang", help="输出语言 / output language")
FmtOpt = typer.Option(Fmt.table, "--format", help="输出格式 / output format")


def _plan(plan: Optional[str], db: Optional[Path] = None, lang: "Lang | str" = "zh", *, register: bool = True):
    """The plan named by --plan / ZHIZAO_PLAN (id or path) or the store's; exit 2 with the reason."""
    try:
        return api.resolve_plan(plan, db, register=register)
    except PlanError as e:
        err.print(str(e), style="red", markup=False, highlight=False, soft_wrap=True)  # plan text is data, not markup
        raise typer.Exit(2) from None
    except UserError as e:
        err.print(e.reason(getattr(lang, "value", lang)), style="red", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


_settings = parse_settings  # -s NAME=VALUE (console.parse_settings, shared with zhizao chain)


def _emit(df: pd.DataFrame, fmt: Fmt, title: str | None = None, lang: "Lang | str" = "zh",
          kinds: dict[str, str] | None = None, folds: tuple[str, ...] = (), group: str | None = None) -> None:
    """JSON and CSV keep the codes (machine formats); a table gets the reader's headers (labels.CLI_COLUMN)
    and cells through zhizao.formatting (`kinds`: column → console.cell kind), fitted to the terminal
    (console.fitted_table: numbers whole, words unbroken); `folds` wrap, the rest are kept whole if they
    fit. `group`: a column shown as a heading row above its rows instead of a column of its own."""
    if fmt == Fmt.json:
        sys.stdout.write(df.to_json(orient="records", force_ascii=False, date_format="iso", indent=2) + "\n")
    elif fmt == Fmt.csv:  # text neutralised: CSV is opened in spreadsheets (formula injection)
        sys.stdout.write(write_csv(df))
    else:
        lang = getattr(lang, "value", lang)
        kinds = kinds or {}
        heads = [labels.label("cli_column", c, lang) if c in labels.CLI_COLUMN else str(c) for c in df.columns]
        groups = list(df[group]) if group else [None] * len(df)
        if group:
            df = df.drop(columns=group)
            heads = [labels.label("cli_column", c, lang) if c in labels.CLI_COLUMN else str(c) for c in df.columns]
        rows = [[cell(v, kinds.get(c, "auto"), lang) for c, v in zip(df.columns, row)] for row in df.itertuples(index=False)]
        whole = set(numeric_columns([[r[i] for r in rows] for i in range(len(heads))]))
        whole |= {i for i, c in enumerate(df.columns) if kinds.get(c) in ("level", "pct", "pp", "int", "date")
                  or (folds and c not in folds)}
        shown, styles, last = [], [], object()
        for g, r in zip(groups, rows):
            if group and g != last:
                shown.append([str(g)] + [""] * (len(r) - 1))
                styles.append(["bold"] + [None] * (len(r) - 1))
                last = g
            shown.append(r)
            styles.append([None] * len(r))
        console.print(fitted_table(heads, shown, console.width, keep_whole=tuple(sorted(whole)), title=title,
                                   styles=styles))


def _labelled(df: pd.DataFrame, columns: dict[str, str], lang: "Lang | str") -> pd.DataFrame:
    """Codes in `columns` (column → labels table) as the reader's words, for table output."""
    lang = getattr(lang, "value", lang)
    return df.assign(**{c: df[c].map(lambda v, t=t: v if v is None or (isinstance(v, float) and pd.isna(v))
                                     else labels.label(t, getattr(v, "value", v), lang))
                        for c, t in columns.items() if c in df})


def _fail(e: UserError, lang: "Lang | str") -> None:
    err.print(e.reason(getattr(lang, "value", lang)), style="red", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(2)


# --- plan ------------------------------------------------------------------------------------
@plan_app.command("show")
def plan_show(
    plan: Optional[str] = typer.Argument(None, help="规划编号或 YAML 文件（同 --plan）/ plan id or file (as --plan)"),
    plan_opt: Optional[str] = PlanOpt,
    db: Optional[Path] = DbOpt,
    section: Section = typer.Option(Section.indicators, help="规划的哪一部分 / which part of the plan"),
    search: Optional[str] = typer.Option(None, "--search", help="在规划文本中检索（中文）/ search the plan text"),
    ids: bool = typer.Option(False, "--ids", help="表中也列出编号 / also show ids in the table"),
    fmt: Fmt = FmtOpt,
    lang: Lang = LangOpt,
):
    """显示规划内容 / show the plan's indicators, clusters, industries, tasks and more."""
    p = _plan(plan or plan_opt, db, lang, register=False)
    en = lang == Lang.en
    L = lang.value
    section = section.value
    table = fmt == Fmt.table

    def name_of(x):
        return (getattr(x, "name_en", None) or x.name) if en else x.name

    def divisions(codes):
        return ("; " if en else "、").join(f"{d} {division_name(d, L)}" if division_name(d, L) != d else d for d in codes)

    if section == "indicators":
        df = pd.DataFrame([{
            "id": i.id, "name": name_of(i),
            "category": p.category_name(i.category, L), "nature": i.nature.value,
            "unit": labels.unit_label(i.unit, L), "kind": i.kind.value,
            "baseline": None if i.baseline is None else
            f"{_plan_number(i.baseline, L) if table else (i.baseline.text or formatting.number(i.baseline.value))}"
            f" ({i.baseline.year})",
            "target": None if i.target is None else formatting.grouped(target_display(i.target, L))
            + (f" ({i.target.year})" if i.target.year is not None else ""),
            "stated_growth": _stated_growth(i, L) if table else (i.stated_growth.text if i.stated_growth else None),
            "price_basis": i.price_basis.value, "section": i.section,
        } for i in p.indicators])
    elif section == "clusters":
        ind_name = {x.id: name_of(x) for x in p.industries}
        df = pd.DataFrame([{"id": c.id, "name": name_of(c),
                            "scale_target": formatting.value(c.scale_target, labels.unit_label(c.unit, L), L),
                            "target_year": c.target_year, "target_text": c.target_text,
                            "industries": ("; " if en else "、").join(ind_name.get(x, x) for x in c.industries),
                            "gbt4754": divisions(c.gbt4754_divisions),
                            "section": c.section} for c in p.clusters])
        if table and en:  # the plan's own words (万亿级) are Chinese: in json/csv only
            df = df.drop(columns="target_text")
    elif section == "industries":
        cluster_name = {c.id: name_of(c) for c in p.clusters}
        df = pd.DataFrame([{"id": x.id, "name": name_of(x), "group": x.group, "section": x.section,
                            "sub_industries": "、".join(x.sub_industries),
                            "key_products": sum(len(g.products) for g in x.key_products),
                            "gbt4754": divisions(x.gbt4754_divisions),
                            "cluster": cluster_name.get(x.cluster, x.cluster) if table else x.cluster}
                           for x in p.industries])
    elif section in ("technologies", "platforms", "tasks", "safeguards"):
        df = pd.DataFrame([{"id": t.id, "section": t.section, "title": t.title, "text": t.text[:80] + "…"}
                           for t in getattr(p, section)])
    elif section == "regions":
        r = p.regions
        group_of = {c: g.name for g in (r.groups if r else []) for c in g.districts}
        df = pd.DataFrame([{"code": d.code, "name": d.name, "group": group_of.get(d.code)} for d in (r.districts if r else [])]
                          + [{"code": z.code, "name": z.name, "group": labels.label("subject_type", "zone", L)}
                             for z in (r.functional_zones if r else [])])
    if search:
        df = search_plan(p, search)
    if table:
        title = (p.plan.title_en or p.plan.title) if en else p.plan.title
        console.print(Text(f"{title}  {p.plan.document_number or ''}  {p.plan.base_year}–{p.plan.target_year}", style="bold"))
        df = _labelled(df, {"nature": "nature", "kind": "indicator_kind", "price_basis": "price_basis",
                            "group": "industry_group"}, lang)
        # Names first: ids are for scripts (--format json/csv) and --ids; the plan's section numbers
        # (二(四) 专栏1) are Chinese text, and the kind repeats the unit: wide terminals only.
        drop = [] if ids or "name" not in df else ["id"]
        group = None
        if section == "indicators" and not search:  # category as heading rows, binding as ★: fits 80 columns
            drop += ["kind", "nature"] + (["section"] if en or console.width < 140 else [])
            df = df.assign(name=[("★" if i.nature.value == "binding" else "") + n for i, n in zip(p.indicators, df["name"])])
            group = "category"
        df = df.drop(columns=[c for c in drop if c in df])
        _emit(df, fmt, lang=lang, group=group)
        if group:
            console.print(Text("★ binding indicator; the others are expected (indicative) indicators" if en else
                               "★ 约束性指标，其余为预期性指标", style="dim"))
        return
    _emit(df, fmt, lang=lang)


def _plan_number(b, lang: str) -> str:
    """A baseline as the plan prints it in Chinese; in English (or a bare value) the number, formatted."""
    if b.text and lang != "en":
        return formatting.grouped(b.text)
    return formatting.number(b.value)


def _stated_growth(ind, lang: str) -> str | None:
    """The plan's stated yearly growth: as printed in Chinese; rebuilt from value and unit in English."""
    g = ind.stated_growth
    if g is None:
        return None
    if lang != "en" and g.text:
        return g.text
    unit = getattr(g.unit, "value", g.unit)
    if unit == "percent":
        return f"{formatting.number(g.value)}%" + (" a year" if lang == "en" else "")
    if unit == "percentage_points":
        return formatting.points(g.value, lang, 2, signed=False) + (" a year" if lang == "en" else "")
    return f"{formatting.number(g.value)} {labels.unit_label(ind.unit, lang)}" + (" a year" if lang == "en" else "")


@plan_app.command("lint")
def plan_lint(
    plan: Optional[str] = typer.Argument(None, help="规划编号或 YAML 文件（同 --plan）/ plan id or file (as --plan)"),
    plan_opt: Optional[str] = PlanOpt,
    db: Optional[Path] = DbOpt,
    fmt: Fmt = FmtOpt,
    lang: Lang = LangOpt,
):
    """检查规划数字的内部一致性 / check a plan's internal consistency (exit 1 on errors)."""
    p = _plan(plan or plan_opt, db, lang, register=False)
    df = api.lint(p, lang.value)
    if df.empty and fmt == Fmt.table:
        console.print("没有发现问题 / no problems found")
    else:
        _emit(df, fmt, title="规划一致性检查 / plan lint")
    if (df["severity"] == "error").any():
        raise typer.Exit(1)


@plan_app.command("draft")
def plan_draft(
    from_plan: Optional[str] = typer.Option(None, "--from", envvar="ZHIZAO_PLAN",
                                            help="据以外推的规划（编号或路径），缺省同 --plan / the plan to extrapolate "
                                                 "(id or path); default as --plan"),
    to_year: int = typer.Option(2030, "--to", help="参考值的目标年 / the year of the reference values"),
    in_force: Optional[str] = typer.Option(None, "--in-force",
                                           help="现行规划（编号或路径）；缺省为同一地区、期间覆盖原规划目标年次年的规划 / the "
                                                "plan in force; default: one for the same region whose period covers "
                                                "the year after the plan's target year"),
    base_year: Optional[int] = typer.Option(None, "--base-year",
                                            help="基期年；缺省为最近一个完整年度 / base year; default: the latest "
                                                 "complete year"),
    out: Optional[Path] = typer.Option(None, "--out", help="把规划文件骨架（YAML）写入该文件 / write the plan-file "
                                                           "skeleton (YAML) to this file"),
    db: Optional[Path] = DbOpt,
    fmt: Fmt = FmtOpt,
    lang: Lang = LangOpt,
):
    """下一期规划参考值：趋势外推及区间、现行规划目标、增速核对 / reference values for the next plan."""
    p = _plan(from_plan, db, lang, register=False)
    force = _plan(in_force, db, lang, register=False) if in_force else None
    try:
        text, df = api.draft_plan(p, to_year=to_year, db=db, in_force=force, lang=lang.value, base_year=base_year)
    except UserError as e:
        err.print(e.reason(lang.value), style="red", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    en = lang == Lang.en
    if out is not None:
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as e:
            err.print(f"cannot write {out}: {e.strerror or e} / 无法写入 {out}：请检查目录是否存在、是否有写权限",
                      style="red", markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
    if fmt != Fmt.table:
        _emit(df, fmt)
    else:
        _print_draft(df, lang.value)
    if out is not None:
        err.print(f"plan-file skeleton written to {out}" if en else f"规划文件骨架已写入 {out}", markup=False)
    elif fmt == Fmt.table:
        err.print("write the plan-file skeleton with --out FILE" if en else "用 --out 文件 保存规划文件骨架（YAML）",
                  markup=False)


def _print_draft(df: pd.DataFrame, lang: str) -> None:
    """The reference values as a reader compares them: name, latest, reference (range), the target in
    force — each number with its year; method, growth check and notes numbered under the table."""
    en = lang == "en"

    def num(v, year=None):
        if v is None or pd.isna(v):
            return "—"
        return formatting.number(v) + (f" ({int(year)})" if year is not None and not pd.isna(year) else "")

    rows, notes = [], []
    for r in df.itertuples(index=False):
        unit = labels.unit_label(r.unit, lang)
        ref = num(r.reference_value)
        if not pd.isna(r.low) and not pd.isna(r.high):
            ref += f" ({formatting.number(r.low)}–{formatting.number(r.high)})"
        texts = [t for t in (r.method, r.stated_growth_check, r.note) if isinstance(t, str) and t.strip()]
        mark = ""
        if texts:
            notes.append(("；" if not en else "; ").join(texts))
            mark = f" [{len(notes)}]"
        rows.append([r.name + mark, unit, num(r.latest_value, r.latest_year), ref, num(r.in_force_target, r.in_force_year)])
    heads = (["Indicator", "Unit", "Latest (year)", "Reference (range)", "Target in force (year)"] if en else
             ["指标", "单位", "最新值（年份）", "参考值（区间）", "现行规划目标（年份）"])
    console.print(fitted_table(heads, rows, console.width, keep_whole=(2, 3, 4),
                               title="Reference values for the next plan" if en else "下一期规划参考值"))
    for k, n in enumerate(notes, 1):
        _bullet(f"[{k}]", n)


@plan_app.command("list")
def plan_list(db: Optional[Path] = DbOpt, fmt: Fmt = FmtOpt, lang: Lang = LangOpt):
    """列出内置规划与数据库登记的规划 / list the embedded plans and those registered in the store."""
    df = api.plans(db)
    if fmt != Fmt.table:
        _emit(df, fmt)
        return
    en = lang == Lang.en
    kinds = {"embedded": ("内置", "embedded"), "file": ("文件", "file"), "unknown": ("未登记", "not registered")}
    view = pd.DataFrame({
        ("ID" if en else "编号"): df["id"] + df["default"].map({True: " *", False: ""}),
        ("Title" if en else "名称"): df["title"],
        ("Period" if en else "期间"): df["period"],
        ("Kind" if en else "类型"): df["kind"].map(lambda k: kinds.get(k, (k, k))[en]),
        ("Indicators" if en else "指标数"): df["indicators"].map(lambda n: "" if pd.isna(n) else str(int(n))),
        ("In this store" if en else "在本数据库"): df["in_store"].map(lambda b: ("yes" if en else "是") if b else ("no" if en else "否")),
        ("Registered" if en else "登记时间"): df["registered_at"].map(lambda t: "" if pd.isna(t) else f"{t:%Y-%m-%d %H:%M}"),
        ("Source" if en else "来源"): df["source"],
    })
    _emit(view, fmt, title="规划 / plans")
    console.print(("* the default plan; give another with --plan ID|PATH or ZHIZAO_PLAN" if en else
                   "* 默认规划；用 --plan 编号或路径（或环境变量 ZHIZAO_PLAN）指定其他规划"), markup=False)
    for note in df["note"].dropna():
        err.print(note, style="yellow", markup=False, highlight=False)


# --- data ------------------------------------------------------------------------------------
@data_app.command("import")
def data_import(
    file: Path = typer.Argument(..., help="CSV (UTF-8/GBK)、XLSX 或 links YAML / a CSV, XLSX or links YAML file"),
    db: Optional[Path] = DbOpt,
    plan: Optional[str] = PlanOpt,
    lang: Lang = LangOpt,
):
    """导入数据（全部成功或全部不导入）；关联记在所选规划下 / import a file, all or nothing; links are for the chosen plan."""
    if not file.is_file():  # checked here, not by click: its message is English
        _fail(UserError(f"文件不存在：{file}" if not file.exists() else f"不是文件而是目录：{file}，请给出要导入的文件",
                        f"file not found: {file}" if not file.exists() else f"{file} is a folder; give the file to import"),
              lang)
    p = _plan(plan, db, lang)
    try:
        with _import_progress() as progress:
            s = api.import_data(file, plan=p, db=db, progress=progress)
    except ImportFailed as e:
        err.print(f"[red]导入被拒绝：发现 {len(e.problems)} 个问题，数据库未改变 / import refused: "
                  f"{len(e.problems)} problem(s), nothing was written[/red]")
        df = problems_frame(e.problems, lang.value)
        t = Table(show_lines=False)
        for c in df.columns:
            t.add_column(str(c))
        for row in df.itertuples(index=False):  # Text: a value like "[/red]" is data, not markup
            t.add_row(*[Text("" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)) for v in row])
        err.print(t)
        raise typer.Exit(1) from None
    console.print(f"已导入 / imported: {s.observations} 条观测值 observations, {s.sources} 个来源 sources, "
                  f"{s.links} 条关联 links （批次 batch {s.batch_id}）")


_STAGE_LABELS = {"read": "读取文件 / reading", "validate": "逐行校验 / validating",
                 "check": "与已有数据比对 / checking against the store", "write": "写入数据库 / writing"}


@contextmanager
def _import_progress():
    """Stage progress on stderr: a live line on a terminal, one line per stage in a log."""
    def label(stage, rows):
        return _STAGE_LABELS.get(stage, stage) + (f" · {rows} 行 rows" if rows is not None else "")

    if not err.is_terminal:
        yield lambda stage, rows: err.print(label(stage, rows), markup=False, highlight=False)
        return
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("", total=None)
        yield lambda stage, rows: bar.update(task, description=label(stage, rows))


@data_app.command("list")
def data_list(
    series: Optional[list[str]] = typer.Option(None, "--series", help="只列出这些序列 / only these series"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="YYYY-MM-DD：只显示当日已知的数据"),
    include_withdrawn: bool = typer.Option(False, "--include-withdrawn",
                                           help="也列出已撤回批次的数值（含撤回时间与原因）/ also withdrawn batches' values"),
    db: Optional[Path] = DbOpt,
    plan: Optional[str] = typer.Option(None, "--plan", envvar="ZHIZAO_PLAN",
                                       help="只列出该规划的指标用到的数值（编号或路径）；缺省列出全部 / only the values this "
                                            "plan's indicators use (id or path); default: all"),
    limit: int = typer.Option(50, "--limit", min=0, help="表中最多显示几条，0 为全部 / rows in the table, 0 = all"),
    fmt: Fmt = FmtOpt,
    lang: Lang = LangOpt,
):
    """列出观测值及其来源、等级、版本 / list observations with source, grade and vintage."""
    p = _plan(plan, db, lang, register=False) if plan else None
    df = api.observations(db, as_of=as_of, series=series, include_withdrawn=include_withdrawn, plan=p)
    if fmt != Fmt.table:
        _emit(df, fmt)
        return
    en = lang == Lang.en
    total = len(df)
    if limit:
        df = df.head(limit)
    # Sources by number: the address is too long for a column; it is listed under the table, last.
    keys = df["source_id"].where(df["source_id"].notna(), df["source_url"])
    number = {k: i + 1 for i, k in enumerate(dict.fromkeys(k for k in keys if isinstance(k, str)))}
    cols = ["series", "region", "period_key", "value", "value_text", "price_basis", "status", "vintage", "source"]
    if include_withdrawn:
        cols += ["batch_id", "withdrawn_at", "withdrawal_reason"]
    # 原文数值 only where the source printed more than a plain number (超2.6万, 2.79万): 310.39594 is the value
    plain = df["value_text"].astype(str).str.fullmatch(r"[-+]?[\d,]*\.?\d+")
    # the value as read: qualifier, number, unit (超26,000亿元) — one column instead of three
    value = [("" if pd.isna(v) else formatting.value(v, u if isinstance(u, str) else None, lang.value, q))
             for v, q, u in zip(df["value"], df["qualifier"], df["unit"])]
    view = df.assign(value=value, value_text=df["value_text"].where(~plain, None),
                     source=[f"[{number[k]}]" if k in number else None for k in keys])
    view = _labelled(view[cols], {"qualifier": "qualifier", "price_basis": "price_basis", "status": "obs_status"}, lang)
    named = p or _plan(None, db, lang, register=False)
    view = view.assign(region=view["region"].map(lambda c: _region_name(c, named, lang.value)))
    view = view.drop(columns=[c for c in ("value_text",) if view[c].isna().all()])
    # Nine columns do not fit 80: price basis and status go (said under the table) rather than
    # print one character a line (现/价)
    narrow = console.width < 100
    if narrow:
        view = view.drop(columns=["price_basis", "status"])
    _emit(view, fmt, lang=lang, kinds={"vintage": "date", "withdrawn_at": "date", "period_key": "text"},
          folds=("series", "value", "value_text", "withdrawal_reason"))
    if narrow:
        console.print(Text(labels.label("cli_words", "list_narrow", lang.value), style="dim"))
    if limit and total > limit:
        console.print(Text(f"{total} values, the first {limit} shown; --limit 0 shows all, --series narrows the list" if en
                           else f"共 {total} 条，显示前 {limit} 条；--limit 0 显示全部，--series 只看某些序列", style="bold"))
    if number:
        console.print(Text("Sources:" if en else "来源：", style="bold"))
        first = df.assign(_k=keys).drop_duplicates("_k").set_index("_k")
        for k, n in number.items():
            r = first.loc[k]
            _bullet(f"[{n}]", formatting.source_text(r["source_title"], r["publisher"], r["grade"], r["source_url"],
                                                     lang.value))


def _region_name(code, plan, lang: str) -> str:
    """A region code as its name: the plan's regions (the whole area, districts, zones), in English
    the names of zhizao.codes.regions; an unknown code stays as it is."""
    if not isinstance(code, str):
        return code
    r = getattr(plan, "regions", None)
    if lang == "en":
        if r is not None and code == r.whole_code and code == regions.CITY_CODE:
            return regions.CITY_NAME_EN
        name = regions.district_name(code, "en")
        return name if name != code else regions.zone_name(code, "en")
    if r is not None:
        names = {r.whole_code: r.whole_name, **{d.code: d.name for d in r.districts},
                 **{z.code: z.name for z in r.functional_zones}}
        if code in names:
            return names[code]
    name = regions.district_name(code, "zh")
    return name if name != code else regions.zone_name(code, "zh")


@data_app.command("batches")
def data_batches(db: Optional[Path] = DbOpt, fmt: Fmt = FmtOpt, lang: Lang = LangOpt):
    """列出导入批次及撤回记录 / list import batches with their withdrawal (when, by whom, why)."""
    df = api.batches(db)
    if fmt != Fmt.table:
        _emit(df, fmt)
        return
    # Narrow enough for 80 columns: the long texts (note, withdrawal reason) are listed under the table.
    # Times are stored in UTC and shown in the display time zone, named in the heading (as /admin/audit).
    zone, zone_zh, zone_en = display_time_zone()
    view = _labelled(df[["batch_id", "kind", "file", "rows", "imported_at", "withdrawn_at"]], {"kind": "batch_kind"}, lang)
    view = view.assign(file=view["file"].map(lambda f: Path(f).name if isinstance(f, str) else f),
                       imported_at=view["imported_at"].map(lambda t: formatting.local_time(t, zone)),
                       withdrawn_at=view["withdrawn_at"].map(lambda t: formatting.local_time(t, zone)))
    if df["withdrawn_at"].isna().all():
        view = view.drop(columns="withdrawn_at")
    zone_word = zone_en if lang == Lang.en else zone_zh
    view = view.rename(columns={c: labels.label("cli_column", c, lang.value) + (f" ({zone_word})" if lang == Lang.en
                                                                                 else f"（{zone_word}）")
                                for c in ("imported_at", "withdrawn_at") if c in view})
    _emit(view, fmt, lang=lang, kinds={"rows": "int"}, folds=("file",))
    en = lang == Lang.en
    for row in df.itertuples(index=False):
        texts = [t for t in (labels.batch_note(row.note, lang.value), ((f"withdrawn by {row.withdrawn_by or '?'}: " if en else
                                         f"撤回（{row.withdrawn_by or '?'}）：") + str(row.withdrawal_reason or ""))
                             if isinstance(row.withdrawn_by, str) or isinstance(row.withdrawal_reason, str) else None)
                 if isinstance(t, str) and t]
        for t in texts:
            console.print(Text(f"{row.batch_id}: {t}"), style="dim", overflow="fold")


@data_app.command("withdraw")
def data_withdraw(
    batch: str = typer.Argument(..., help="批次号，见 zhizao data batches / batch id"),
    reason: Optional[str] = typer.Option(None, "--reason", help="撤回原因（记录在案）/ why, recorded"),
    db: Optional[Path] = DbOpt,
    lang: Lang = LangOpt,
):
    """撤回一个导入批次：记录在案、不删除，其数值不再参与评估 / withdraw an import batch (recorded, never deleted)."""
    try:
        info = api.withdraw(batch, reason, db=db)
    except api.WithdrawRefused as e:
        err.print(e.message_en if lang == Lang.en else e.message_zh, style="red", markup=False)
        raise typer.Exit(2) from None
    when = f"{info['withdrawn_at']:%Y-%m-%d %H:%M}"
    if info.get("kind") in ("delivery", "delivery_edit", "enterprise", "chain"):
        console.print(_withdrawn_words(batch, info, when, lang.value), markup=False)
    elif lang == Lang.en:
        console.print(f"withdrawn: batch {batch} ({info['rows']} values, {info['file'] or ''}) on {when}; "
                      "its values and links no longer count. List them with data list --include-withdrawn.",
                      markup=False)
    else:
        console.print(f"已撤回：批次 {batch}（{info['rows']} 条数值，{info['file'] or ''}），{when}；"
                      "其数值与关联不再参与评估。用 data list --include-withdrawn 查看。", markup=False)


def _withdrawn_words(batch: str, info: dict, when: str, lang: str) -> str:
    """The withdraw message of a delivery, enterprise or chain batch: its kind, rows (per frame for delivery
    data), file and what withdrawing it does — not the observations' wording."""
    from zhizao.ingest.delivery_frames import FRAME_NAMES  # noqa: PLC0415 - delivery batches only

    en = lang == "en"
    w = labels.WITHDRAW_WORDS
    kind = str(info.get("kind"))
    frames = info.get("frames") or {}
    rows = ("、" if not en else ", ").join(f"{FRAME_NAMES[f][en]} {w['rows'][en].format(n=n)}" for f, n in frames.items()
                                           if f in FRAME_NAMES)
    if not rows and info.get("rows") is not None and info.get("rows") == info.get("rows"):
        rows = w["rows"][en].format(n=int(info["rows"]))
    file = info.get("file")
    what = [labels.BATCH_KIND.get(kind, (kind, kind))[en], rows,
            w["file"][en].format(file=file) if isinstance(file, str) and file else ""]
    sep = "; " if en else "；"
    what_text = (f"{what[0]}: " if en else f"{what[0]}：") + sep.join(p for p in what[1:] if p)
    tail = w["delivery" if kind.startswith("delivery") else kind][en]
    return w["head"][en].format(batch=batch, what=what_text, when=when) + tail + ("." if en else "。")


@data_app.command("sources")
def data_sources(db: Optional[Path] = DbOpt, fmt: Fmt = FmtOpt, lang: Lang = LangOpt):
    """列出数据来源 / list sources with grade and number of values."""
    df = api.sources(db)
    if fmt != Fmt.table:
        _emit(df, fmt)
        return
    en = lang == Lang.en
    # One row per address (the same page may be recorded twice, once without a title): the reader's
    # fields first, the grade in words, the address last — under the table, by number.
    key = df["url"].where(df["url"].notna() & (df["url"].astype(str).str.strip() != ""), df["source_id"])
    merged = (df.assign(_k=key).groupby("_k", sort=False, dropna=False)
              .agg(publisher=("publisher", "first"), title=("title", "first"), grade=("grade", "first"),
                   published=("published", "first"), accessed=("accessed", "first"),
                   observations=("observations", "sum"), url=("url", "first")).reset_index(drop=True))
    grades = merged["grade"].where(merged["grade"].isin(list(labels.GRADE)), "none")
    narrow = console.width < 100
    # a short word in the column (at 80 columns the letter), so that the title gets the width; the
    # full words in a legend under the table
    view = pd.DataFrame({
        "no": [f"[{i + 1}]" for i in range(len(merged))],
        "publisher": merged["publisher"], "title": merged["title"],
        "grade": grades.map(lambda g: (g if g != "none" else "—") if narrow else
                            labels.label("grade_short", g, lang.value)),
        "published": merged["published"], "accessed": merged["accessed"], "observations": merged["observations"],
    })
    if view["accessed"].isna().all():  # no access date recorded: no column of dashes
        view = view.drop(columns="accessed")
    # the publisher at most a third of the room left to the two texts: the title reads on fewer lines
    room = console.width - 60 if "accessed" not in view else console.width - 71
    cap = max(8, room // 3)
    view = view.assign(publisher=view["publisher"].map(
        lambda t: "\n".join(wrap(t, cap)) if isinstance(t, str) and t.strip() else t))
    _emit(view.rename(columns={"no": "#"}), fmt, lang=lang,
          kinds={"published": "date", "accessed": "date", "observations": "int", "title": "text", "publisher": "text"},
          folds=("publisher", "title"))
    shown = [g for g in labels.GRADE if g in set(grades)]
    console.print(Text(labels.label("cli_words", "grade_legend", lang.value), style="bold"))
    for g in shown:
        _bullet("", labels.label("grade", g, lang.value))
    console.print(Text("Addresses:" if en else "地址：", style="bold"))
    for n, url in zip(view["no"], merged["url"]):
        _bullet(n, url if isinstance(url, str) and url.strip() else labels.label("grade", "none", lang.value))


# --- assess ----------------------------------------------------------------------------------
@app.command("assess")
def assess(
    plan: Optional[str] = PlanOpt,
    year: Optional[int] = typer.Option(None, "--year", help="评估年份；缺省为有数据的最近年份 / evaluation year"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="YYYY-MM-DD：按当日已知数据重现评估"),
    db: Optional[Path] = DbOpt,
    fmt: Fmt = FmtOpt,
    lang: Lang = LangOpt,
    setting: Optional[list[str]] = typer.Option(None, "-s", "--set", help="覆盖设置 name=value，见 zhizao settings"),
):
    """评估规划目标进展（记分卡）/ assess progress towards the plan's targets (the scorecard).

    表下列出无可比数据或不判断进度的原因（终期评估另列无法判断、预计完成情况的依据）；进度完成度显示精确比例（如104.2%），
    超过300%显示为“超过300%”（基期与目标接近时比例失去意义，精确值见--format json）。--year 须在规划期内。/ Below the
    table: why an indicator has no comparable data or no pace (in a final evaluation also why it is undetermined or
    projected). The share of required change achieved prints exactly (104.2%) up to 300%, above as ">300%" (exact: --format json).
    --year lies in the plan period.
    """
    p = _plan(plan, db, lang)
    try:
        check_year(p, year)
        result = api.assess(p, year=year, as_of=as_of, db=db, lang=lang.value, settings=_settings(setting))
    except UserError as e:
        _fail(e, lang)
    if fmt == Fmt.json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    card = api.scorecard(result)
    if fmt == Fmt.csv:
        sys.stdout.write(write_csv(card))
        return
    _print_scorecard(result, card, lang.value)


COMPLETION_CAP = formatting.COMPLETION_CAP  # the one rule of formatting.completion (docs/methodology.md)


STATUS_STYLE = {"achieved": "bold green", "ahead": "green", "on_track": "cyan", "behind": "yellow",
                "seriously_behind": "bold red", "not_met": "magenta", "no_comparable_data": "dim", "tracked": "blue"}
FINAL_STYLE = {"completed": "bold green", "basically_completed": "green", "not_completed": "bold red",
               "expected_completed": "cyan", "expected_basically_completed": "cyan", "expected_difficult": "yellow",
               "undetermined": "magenta", "no_data": "dim", "tracked": "blue"}


def _print_scorecard(result: dict, card: pd.DataFrame, lang: str) -> None:
    en = lang == "en"
    p = result["plan"]
    console.print(f"[bold]{p['title_en'] if en and p.get('title_en') else p['title']}[/bold]  {p.get('document_number') or ''}")
    as_of = formatting.date(result["as_of"]) if result["as_of"] else None
    console.print(Text((f"Evaluation year: {result['year']}" + (f"   data known on {as_of}" if as_of else "")) if en else
                       (f"评估年份：{result['year']}" + (f"   按 {as_of} 已知数据" if as_of else ""))))
    final = (result.get("evaluation") or {}).get("kind") == "final"
    if final:  # 终期评估: completion of each target, never the mid-term pace labels
        fc = result["summary"]["final_counts"]
        console.print("  ".join(f"[{FINAL_STYLE[s]}]{final_label(s, lang)} {n}[/]" for s, n in fc.items()))
    else:
        counts = result["summary"]["counts"]
        console.print("  ".join(f"[{STATUS_STYLE[s]}]{status_label(s, lang)} {n}[/]" for s, n in counts.items()))
    # A terminal narrower than the full table (it needs about 150 columns) gets the columns a reader
    # decides on, the unit next to the value; every cell wraps between words (console.fitted_table).
    compact = console.width < 150
    heads = (["Indicator", "Nature", "Unit", "Baseline", "Target", "Year", "Actual", labels.CHANGE_COMPLETION[1], "Time", "Ratio", "Status"]
             if en else ["指标", "属性", "单位", "基期", "目标", "年份", "实际", labels.CHANGE_COMPLETION[0], "时间进度", "增速比", "状态"])
    if final:
        heads = (["Indicator", "Nature", "Unit", "Baseline", "Target", "Year", "Actual", labels.COMPLETION_RATE[1],
                  f"Projected {result['evaluation']['target_year']}", "Final evaluation"] if en else
                 ["指标", "属性", "单位", "基期", "目标", "年份", "实际", labels.COMPLETION_RATE[0],
                  f"{result['evaluation']['target_year']}年外推（90%区间）", "终期评价"])
    keep = [0, 4, 5, 6, 7, len(heads) - 1] if compact else list(range(len(heads)))
    rows, styles = [], []

    def add_row(*cells, style=None):
        rows.append([cells[k] for k in keep])
        styles.append([None] * (len(keep) - 1) + [style])

    for ind in result["indicators"]:
        b = ind["baseline"]
        base = "—" if b["value"] is None else (formatting.qualified(formatting.number(b["value"]), b.get("qualifier"), lang)
                                               + ("*" if b["rebased"] else "") + ("†" if b.get("source") == "store" else ""))
        unit = labels.unit_label(ind["unit"], lang)
        actual = "—" if ind["actual"] is None else formatting.number(ind["actual"])
        if compact:  # no unit column: 2,705 (100 million yuan), 28.76%
            actual = formatting.with_unit(actual, ind["unit"], lang)
        actual = formatting.qualified(actual, ind["qualifier"], lang)
        status = ind.get("status_words") or ind["status_label"]  # 基本符合预期，按区间上端为提前实现
        name = (ind["name_en"] or ind["name"]) if en else ind["name"]
        if final:
            f = ind["final"]
            proj = f["projection"]
            add_row(
                ("★ " if ind["binding"] else "") + name, ind["nature_label"], unit, base,
                formatting.grouped(target_display(ind["target"], lang)), str(f["data_year"] or "—"), actual,
                formatting.completion_rate(f["completion_pct"]),
                "—" if not proj else (f"{formatting.number(proj['value'])} ({formatting.number(proj['low'])}"
                                      f"—{formatting.number(proj['high'])})"),
                f["label"], style=FINAL_STYLE[f["status"]],
            )
            continue
        add_row(
            ("★ " if ind["binding"] else "") + name, ind["nature_label"], unit, base,
            formatting.grouped(target_display(ind["target"], lang)), str(ind["data_year"] or "—"), actual,
            formatting.completion(ind["completion"], lang), formatting.share(ind["time_elapsed"], 0), formatting.ratio(ind["growth_ratio"]),
            status, style=STATUS_STYLE[ind["status"]],
        )
    whole = tuple(i for i, k in enumerate(keep) if heads[k] in ("年份", "Year", *labels.CHANGE_COMPLETION, *labels.COMPLETION_RATE, "时间进度",
                                                                "Time", "增速比", "Ratio"))
    console.print(fitted_table([heads[k] for k in keep], rows, console.width, keep_whole=whole, styles=styles))
    rule = baseline_rule(result, lang)
    if en and result["plan"].get("baseline_rule"):  # the plan's own Chinese words: marked as a quotation
        rule = f"the plan's rule, quoted: “{result['plan']['baseline_rule']}”"
    # one note a line: a wrapped "★ …；* …" line could end on "；* " with its words on the next
    notes = (["★ binding indicator;", f"* baseline re-based on the final published figure ({rule});",
              "† the plan prints no baseline: the base-year value in the store is used;",
              "A qualified published value (more than / nearly / about …) is judged at both ends of its interval; the status names both readings; the share of required change achieved and the ratio are at its cautious end.",
              "Details, sources and inputs: zhizao assess --format json"] if en else
             ["★ 约束性指标；", f"* 基期值已按最终公布数替换（{rule}）；",
              "† 规划未给出基期值，采用数据库中的基期年数值；",
              "公布值带限定词（超/近/约…）时按区间两端判断，状态写明两种判断；进度完成度、增速比按区间保守端计算。",
              "明细、来源与计算输入：zhizao assess --format json"])
    if final:
        notes[3] = ("Projected: the latest data extended on its trend to the target year (docs/methodology.md §3a)."
                    if en else "外推：最新数据按趋势推算至目标年（docs/methodology.md §3a）。")
    elif any((formatting._float(i["completion"]) or 0) > COMPLETION_CAP for i in result["indicators"]):
        cap = formatting.completion(COMPLETION_CAP + 1, lang)
        notes.insert(4, f"{cap}: far past the target (the baseline was close to it); the exact figure is in --format json."
                     if en else f"{cap}：已远超目标（基期值与目标接近，比例失去意义）；精确数值见 --format json。")
    for n in notes:  # the rule may quote the plan: text, not markup
        console.print(Text(n, style="dim"))
    _print_reasons(result, lang)
    for ignored in result["summary"].get("ignored_values", []):
        console.print(ignored["message"], style="yellow", markup=False)
    # Missing data is not a failure: binding indicators without data are listed apart, not in red.
    by_id = {i["id"]: i for i in result["indicators"]}
    alerts = result["summary"]["binding_behind"]
    nodata = [i for i in alerts if by_id[i]["status"] == "no_comparable_data"]
    failing = [i for i in alerts if i not in nodata and not (final and by_id[i]["final"]["status"] in (
        "completed", "expected_completed", "undetermined", "no_data"))]
    if failing:
        console.print(("[bold red]Binding indicators needing attention: " if en else "[bold red]需关注的约束性指标：")
                      + ("; " if en else "、").join(_names(result, failing, en)) + "[/]")
    if nodata:
        console.print(("[yellow]Binding indicators without comparable data (not a failure): " if en else
                       "[yellow]缺少可比数据的约束性指标（不是未完成）：") + ("; " if en else "、").join(_names(result, nodata, en))
                      + "[/]")


FINAL_WITH_REASON = ("undetermined", "expected_completed", "expected_basically_completed", "expected_difficult")


def _print_reasons(result: dict, lang: str) -> None:
    """Why an indicator has no comparable data (or no pace judgement): the assessment's reason, in words."""
    en = lang == "en"
    # In a final evaluation every 无法判断 / 预计… status is listed with its reason (the final text).
    rows = [(((i["name_en"] or i["name"]) if en else i["name"]),
             (i["final"]["text"] if (i.get("final") or {}).get("status") in FINAL_WITH_REASON else i["reason"]))
            for i in result["indicators"]
            if i.get("reason") or (i.get("final") or {}).get("status") in FINAL_WITH_REASON]
    if not rows:
        return
    final = any(i.get("final") for i in result["indicators"])
    console.print(("Why some indicators have no status or no pace" + (", or are projected or undetermined" if final else "")
                   + ":") if en else ("无可比数据或不判断进度的原因" + ("，及无法判断、预计完成情况的依据" if final else "") + "："),
                  style="bold", markup=False)
    for name, reason in rows:
        _bullet("·", f"{name}{': ' if en else '：'}{reason}")


def _bullet(mark: str, text: str) -> None:
    """`mark text` with the text wrapped under itself (hanging indent), never a line holding the mark alone."""
    lead = f"  {mark} "
    lines = wrap(text, max(20, console.width - cell_len(lead)))
    for k, line in enumerate(lines):
        console.print(Text((lead if k == 0 else " " * cell_len(lead)) + line), overflow="ignore", crop=False)


def _names(result: dict, ids: list[str], en: bool) -> list[str]:
    by_id = {i["id"]: i for i in result["indicators"]}
    return [((by_id[i]["name_en"] or by_id[i]["name"]) + f" ({by_id[i]['status_label']})") if en else
            (by_id[i]["name"] + f"（{by_id[i]['status_label']}）") for i in ids]


@app.command("settings")
def settings_cmd(fmt: Fmt = FmtOpt, lang: Lang = LangOpt):
    """列出所有设置及缺省值和依据 / list settings with defaults and where they come from."""
    def meaning(s):
        text = s.help_en if lang == Lang.en else s.help_zh
        if s.bounds and fmt == Fmt.table:  # the range -s accepts
            lo, hi = (formatting.number(x) for x in s.bounds)
            text += f" (allowed {lo}–{hi})" if lang == Lang.en else f"（可取 {lo}—{hi}）"
        return text

    def evidence(text: str) -> str:  # "[D]" of docs/reference/methods.md in words: ，依据等级D：设计建议
        return re.sub(r"\s?\[([CPMD])\]", lambda m: labels.label("cli_words", "evidence", lang.value).format(
                          tag=m.group(1), words=labels.label("evidence_tag", m.group(1), lang.value)), text)

    df = pd.DataFrame([{"name": s.name, "default": s.default, "meaning": meaning(s),
                        "basis": (s.basis_zh or s.basis) if lang == Lang.zh and fmt == Fmt.table else s.basis}
                       for s in SETTINGS])
    if fmt == Fmt.table:
        df = df.assign(basis=df["basis"].map(lambda t: evidence(t) if isinstance(t, str) else t))
    if fmt == Fmt.table:  # the name is what -s NAME=VALUE takes: it stays as typed
        df = df.assign(default=df["default"].map(lambda v: cell(v, "auto", lang.value) if not isinstance(v, str) else v))
    _emit(df, fmt, lang=lang)


def _register_areas() -> None:
    """Each output area adds its own commands (report, serve, monitor …)."""
    for register in (register_reports, register_web, register_monitoring, register_users, register_admin, register_chains,
                     register_enterprises, register_delivery):
        register(app)


_register_areas()


def main() -> None:
    """The command's entry point: a user never sees a Python traceback.

    Expected failures are handled where they happen (bad options exit 2 with a message); this
    is the last net for the unexpected: one line saying what failed and that nothing was
    written (imports are transactional), exit 1. ZHIZAO_DEBUG=1 shows the traceback."""
    click = click_exceptions
    try:
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            raise SystemExit(code)
    except click.UsageError as e:  # a wrong option or value: one line naming the allowed values, exit 2
        if type(e).__name__ == "NoArgsIsHelpError" and e.ctx is not None:  # `zhizao` alone: the help
            typer.echo(e.ctx.get_help())
            raise SystemExit(2) from None
        lang = "en" if "en" in _lang_args(sys.argv) else "zh"
        err.print(usage_message(e, lang), style="red", markup=False, highlight=False, soft_wrap=True)
        raise SystemExit(2) from None
    except typer.Abort:
        err.print("[yellow]已中断 / interrupted[/yellow]")
        raise SystemExit(130) from None
    except StoreBusy as e:  # any command: the file is held by another process (docs/dashboard.md)
        err.print(f"{e.message_zh}\n{e.message_en}", style="red", markup=False, highlight=False, soft_wrap=True)
        raise SystemExit(2) from None
    except UserError as e:
        lang = "en" if "en" in _lang_args(sys.argv) else "zh"
        err.print(e.reason(lang), style="red", markup=False, highlight=False, soft_wrap=True)
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        err.print("[yellow]已中断 / interrupted[/yellow]")
        raise SystemExit(130) from None
    except Exception as e:  # noqa: BLE001 — the last net, by design
        if os.environ.get("ZHIZAO_DEBUG"):
            raise
        what = f"{type(e).__name__}: {str(e)[:300]}"
        err.print(f"内部错误，操作未完成（导入不会只写入一部分）：{what}\n"
                  f"internal error, the command did not complete (an import never writes half): {what}\n"
                  "设置 ZHIZAO_DEBUG=1 可查看详细信息并报告此问题 / set ZHIZAO_DEBUG=1 for details and report it.",
                  style="red", markup=False, highlight=False, soft_wrap=True)
        raise SystemExit(1) from None


def usage_message(e, lang: str = "zh") -> str:
    """A click usage error as one line in the reader's language, naming the allowed values."""
    click = click_exceptions
    ctx = getattr(e, "ctx", None)
    where = f"zhizao {' '.join(ctx.command_path.split()[1:])}".strip() if ctx is not None else "zhizao"
    param = getattr(e, "param", None)
    opt = ("/".join(param.opts) if getattr(param, "opts", None) else getattr(param, "name", None)) if param else None
    detail = " ".join(e.format_message().split())  # click may wrap: one line
    detail = re.sub(r"^Invalid value for '[^']*': (Value error, )?", "", detail)
    choice = re.search(r"'(.*?)' is not one of (.+?)\.?$", detail)
    cause = _parser_error(e)  # a parser's own UserError (e.g. --db: store.as_db) says it best, in both languages
    if isinstance(e, click.BadParameter) and cause is not None:
        return cause.reason(lang)
    if isinstance(e, click.BadParameter) and opt and choice:
        allowed = [c.strip().strip("'") for c in choice[2].split(",")]
        zh = f"{opt} 的取值“{choice[1]}”无效，可取：{'、'.join(allowed)}（见 {where} --help）"
        en = f"invalid value '{choice[1]}' for {opt}; allowed: {', '.join(allowed)} (see {where} --help)"
    elif (isinstance(e, click.BadParameter) and opt and re.search(r"(less|greater) than or equal to", detail)
          and None not in (bounds := _bounds(param))):
        lo, hi = bounds
        zh = f"{opt} 应在 {lo}—{hi} 之间（见 {where} --help）"
        en = f"{opt} must lie between {lo} and {hi} (see {where} --help)"
    elif isinstance(e, click.BadParameter) and opt and (high := re.search(r"less than or equal to (\S+)", detail)):
        zh = f"{opt} 应不大于 {high[1]}（见 {where} --help）"
        en = f"{opt} must be at most {high[1]} (see {where} --help)"
    elif isinstance(e, click.BadParameter) and opt and (low := re.search(r"greater than or equal to (\S+)", detail)):
        zh = f"{opt} 应不小于 {low[1]}（见 {where} --help）"
        en = f"{opt} must be at least {low[1]} (see {where} --help)"
    elif isinstance(e, click.BadParameter) and opt and (rng := re.search(r"not in the range (\S+?)<=x<=(\S+?)\.?$", detail)):
        zh = f"{opt} 应在 {rng[1]}—{rng[2]} 之间（见 {where} --help）"
        en = f"{opt} must lie between {rng[1]} and {rng[2]} (see {where} --help)"
    elif isinstance(e, click.BadParameter) and opt and "valid integer" in detail:
        zh = f"{opt} 应为整数（见 {where} --help）"
        en = f"{opt} takes a whole number (see {where} --help)"
    elif isinstance(e, click.BadParameter) and opt:
        zh = f"{opt} 的取值无效：{detail}（见 {where} --help）"
        en = f"{detail} (see {where} --help)"
    elif isinstance(e, click.NoSuchOption):
        zh = f"没有选项 {e.option_name}（见 {where} --help）"
        en = f"no such option: {e.option_name} (see {where} --help)"
    else:
        zh = f"命令行有误：{detail}（见 {where} --help）"
        en = f"{detail} (see {where} --help)"
    return en if lang == "en" else zh


def _parser_error(e) -> UserError | None:
    """The UserError an option's parser raised, if that is what `e` reports: click keeps it as the
    context; typer ≥ 0.2x wraps it in a pydantic ValidationError (its ctx["error"])."""
    for inner in (e.__cause__, e.__context__):
        if isinstance(inner, UserError):
            return inner
        for item in (inner.errors() if hasattr(inner, "errors") and callable(inner.errors) else []):
            found = (item.get("ctx") or {}).get("error") if isinstance(item, dict) else None
            if isinstance(found, UserError):
                return found
    return None


def _bounds(param) -> tuple:
    """(min, max) of a numeric option, wherever this typer/click keeps them."""
    holder = param if hasattr(param, "min") else getattr(param, "type", None)
    return getattr(holder, "min", None), getattr(holder, "max", None)


def _lang_args(argv: list[str]) -> list[str]:
    """The value of --lang on the command line (for messages raised before a command parsed it)."""
    return [v for k, v in zip(argv, argv[1:]) if k == "--lang"] + [a.split("=", 1)[1] for a in argv if a.startswith("--lang=")]


if __name__ == "__main__":
    main()
