"""`zhizao chain …`: industrial-chain maps and supply-chain security (docs/chains.md §Commands 命令).

list | show CHAIN | risk | whatif | gaps | lint [PLAN_FILE] | import FILE… | export. Thin: the analyses
are zhizao.api's chain_* functions (which call zhizao.analytics.chains); this module parses options and
prints. The data are the plan's active imported chain batch, else the synthetic default, which every
output labels (a banner line in tables, an `origin` column in JSON/CSV, the workbook's first line).
"""
from __future__ import annotations

import dataclasses
import json
import re
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import pandas as pd
import typer
from rich.cells import cell_len
from rich.text import Text

from zhizao import api, formatting, labels
from zhizao.analytics.chains import Scenario, locate
from zhizao.codes import regions
from zhizao.errors import UserError
from zhizao.outputs.cli_common import (REASONS_SHOWN, DbOpt, Fmt, FmtOpt, LangOpt, LimitOpt, OutOpt, PlanOpt, SetOpt,
                                        check_out, import_progress, limited, refuse_import, resolve_plan, save)
from zhizao.outputs.console import (Lang, cell, column_cells, fitted_table, make_console, numeric_columns,
                                   parse_settings, wrap)
from zhizao.outputs.spreadsheet_safe import write_csv
from zhizao.plan.chain_lint import lint_chains
from zhizao.plan.lint import findings_frame
from zhizao.settings import Settings
from zhizao.store.importing import ImportFailed

chain_app = typer.Typer(help="产业链图谱与供应链安全：列表、图谱、风险、断供情景、招商清单、检查、导入、导出 / industrial "
                             "chains and supply-chain security: list, map, risk, what-if, gaps, lint, import, export.",
                        no_args_is_help=True)
console = make_console()
err = make_console(stderr=True)

W = labels.CHAIN_WORDS
GRADE_ORDER = {"high": 0, "medium": 1, "low": 2}
GRADE_STYLE = {"high": "bold red", "medium": "yellow", "low": "green"}
UNKNOWN_WHEN_BLANK = ("local_share", "region_share", "domestic_share", "abroad_share", "need_lost_share")
SHARES = ("local_share", "region_share", "domestic_share", "abroad_share", "unrecorded_share", "share", "loss_share",
          "need_lost_share", "loss")
LEVELS = ("output", "capacity", "output_at_risk", "size")
YI = ("output_at_risk_yi", "output_at_risk_downstream_yi", "output_at_risk_total_yi")  # 亿元: one number of decimals for the whole column
# Amounts in 万元 (the analytics' unit): JSON/CSV/XLSX keep it and say it in the column name; a table
# prints output at risk in 亿元, since a city's output at risk runs to 7 digits of 万元.
MONEY = ("output", "capacity", "output_removed", "output_at_risk_downstream", "output_at_risk")
MONEY_SUFFIX = "_10k_yuan"
COUNTS = ("links", "missing", "weak", "high_risk_links", "enterprises", "leaders", "n_members", "n_local", "n_region",
          "rank", "removed", "links_lost", "links_stopped", "local_links_lost", "links_weakened", "enterprises_affected",
          "chains_affected", "members_removed")


class Level(str, Enum):
    links = "links"
    relations = "relations"
    enterprises = "enterprises"


class Grade(str, Enum):
    high = "high"
    medium = "medium"
    low = "low"


class ExportFmt(str, Enum):
    xlsx = "xlsx"
    graphml = "graphml"


ChainOpt = typer.Option(None, "--chain", help="只看这条产业链（编号或名称，见 zhizao chain list）/ one chain only (id "
                                              "or name)")
def register(app: typer.Typer) -> None:
    """Add `zhizao chain …` to the main app."""
    app.add_typer(chain_app, name="chain")


# --- helpers ------------------------------------------------------------------------------------
def _say(key: str, lang: str, **kw) -> str:
    return labels.label("chain_words", key, lang).format(**kw)


_settings = parse_settings


def _no_chains(plan, fmt: Fmt, lang: str) -> bool:
    """A plan without chain maps: one line (stderr for machine formats, which get an empty list), True."""
    if plan.chains:
        return False
    if fmt == Fmt.json:
        sys.stdout.write("[]\n")
    (console if fmt == Fmt.table else err).print(_say("no_chains", lang), markup=False, highlight=False)
    return True


def _banner(df: pd.DataFrame, fmt: Fmt, lang: str, verbose: bool = False) -> None:
    """The data's origin in one line above a table (stderr for machine formats): synthetic data are
    never unlabelled. `verbose`: the data's notes too (the synthetic calibration assumption)."""
    a = df.attrs
    out = console if fmt == Fmt.table else err
    if a.get("synthetic"):
        head, note = api.chain_source_words(a, lang)
        out.print(Text(_say("synthetic_line", lang, source=head), style="bold yellow"))
        if verbose and note:
            out.print(Text(_say("data_note", lang, note=note), style="dim"))
    elif fmt == Fmt.table and a.get("source"):
        out.print(Text(f"{_say('source', lang)}{': ' if lang == 'en' else '：'}{a['source']}"
                       + (f" · {_say('as_of', lang)} {a['as_of']}" if a.get("as_of") else "")
                       + (f" · {_say('batch', lang, batch=a['batch_id'])}" if verbose and a.get("batch_id") else ""),
                       style="dim"))


def _machine(df: pd.DataFrame) -> pd.DataFrame:
    """JSON/CSV: the codes as the analytics give them, the data's origin as the first column; amounts in
    万元 as computed, their column named with the unit (output_at_risk_10k_yuan)."""
    out = df.rename(columns=_money_names(df.columns))
    out.insert(0, "origin", "synthetic" if df.attrs.get("synthetic") else "imported")
    for c in out.columns:  # lists and dicts as JSON text in CSV
        if out[c].map(lambda v: isinstance(v, (list, dict, tuple))).any():
            out[c] = out[c].map(lambda v: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict, tuple)) else v)
    return out


def _money_names(columns) -> dict:
    return {c: f"{c}{MONEY_SUFFIX}" for c in columns if c in MONEY}


def _money_doc(record: dict) -> dict:
    """A JSON object (a what-if's summary) with its 万元 amounts named like the tables' columns."""
    return {f"{k}{MONEY_SUFFIX}" if k in MONEY else k: v for k, v in record.items()}


def _write(df: pd.DataFrame, fmt: Fmt, out: Optional[Path], lang: str, plan=None, title: str = "sheet_summary",
           more=()) -> bool:
    """JSON/CSV/XLSX output (to stdout or `out`); False for a table (the caller prints it). XLSX: the
    sheets worded as `zhizao chain export`'s (title: a chain_words key; `more`: further (key, frame)
    sheets, e.g. a what-if's links and enterprises); JSON/CSV: the frame as computed."""
    check_out(fmt, out)
    if fmt == Fmt.table:
        return False
    if fmt == Fmt.xlsx:
        from zhizao.outputs import chain_exports  # noqa: PLC0415 - openpyxl only when a workbook is written
        sheets = [(_say(title, lang), df), *((_say(k, lang), f) for k, f in more)]
        save(out, chain_exports.sheets_workbook(plan, df.attrs, sheets, lang), lang)
        return True
    data = _machine(df)
    text = (data.to_json(orient="records", force_ascii=False, indent=2, default_handler=str) + "\n"
            if fmt == Fmt.json else write_csv(data))
    if out is None:
        sys.stdout.write(text)
    else:
        save(out, text.encode("utf-8"), lang)
    return True


def _names(plan, lang: str) -> tuple[dict, dict]:
    en = lang == "en"
    chains = {c.id: ((c.name_en or c.name) if en else c.name) for c in plan.chains}
    links = {(c.id, k.id): ((k.name_en or k.name) if en else k.name) for c in plan.chains for k in c.links}
    return chains, links


def _cluster_names(plan, lang: str) -> dict:
    return {c.id: ((c.name_en or c.name) if lang == "en" else c.name) for c in plan.clusters}


def _view(df: pd.DataFrame, plan, lang: str, data=None) -> pd.DataFrame:
    """A frame for a reader: chain/link/cluster ids as names, codes as words, enterprise ids as names."""
    chains, links = _names(plan, lang)
    out = df.copy()
    if "link" in out and "chain" in out:
        out["link"] = [links.get((c, k), k) for c, k in zip(out["chain"], out["link"])]
    if "chain" in out:
        out["chain"] = out["chain"].map(lambda c: chains.get(c, c))
    if "cluster" in out:
        out["cluster"] = out["cluster"].map(lambda c: _cluster_names(plan, lang).get(c, c))
    for col, table in (("grade", "cli_chain_grade"), ("stage", "cli_chain_stage"), ("status", "cli_chain_status"),
                       ("role", "cli_chain_role"), ("location", "cli_chain_place")):
        if col in out:
            out[col] = out[col].map(lambda v, t=table: labels.label(t, v, lang) if isinstance(v, str) else v)
    if data is not None and len(data.enterprises):
        names = dict(zip(data.enterprises["enterprise_id"], data.enterprises["name"]))
        for col in ("supplier_id", "buyer_id", "candidate_id", "enterprise_id"):
            if col in out:
                out[col] = out[col].map(lambda v: names.get(v, v))
    for col in out.columns:
        if out[col].map(lambda v: isinstance(v, (list, tuple))).any():
            out[col] = out[col].map(lambda v: ("; " if lang == "en" else "、").join(map(str, v))
                                    if isinstance(v, (list, tuple)) else v)
    return out


def _head(c: str, lang: str) -> str:
    if c in ("supplier_id", "buyer_id", "candidate_id", "enterprise_id"):  # shown by name in a table
        c = c[:-3]
    for table in ("chain_head", "cli_column"):
        if c in labels.TABLES[table]:
            return labels.label(table, c, lang)
    return c


def _cells(df: pd.DataFrame, lang: str) -> list[list[str]]:
    cols = []
    for c in df.columns:
        if c in UNKNOWN_WHEN_BLANK:  # no recorded supply behind it: 未记录, never a 0 % nor a bare dash
            blank = labels.CHAIN_NOT_RECORDED[1 if lang == "en" else 0]
            cols.append([blank if pd.isna(v) else cell(float(v) * 100, "pct", lang) for v in df[c]])
        elif c in SHARES:
            cols.append([cell(None if pd.isna(v) else float(v) * 100, "pct", lang) for v in df[c]])
        elif c in COUNTS:
            cols.append([cell(v, "int", lang) for v in df[c]])
        elif c in YI:
            cols.append(column_cells(df[c], "level", lang))
        elif c in LEVELS or c in ("score", "hhi", "buyer_hhi"):
            cols.append([cell(v, "level", lang) for v in df[c]])
        else:
            cols.append([cell(v, "auto", lang) for v in df[c]])
    return [list(r) for r in zip(*cols)] if cols else []


def _table(df: pd.DataFrame, lang: str, title: str | None = None, group: str | None = None) -> None:
    """The frame as a table fitted to the terminal; a grade column coloured. `group`: a column shown as
    a bold heading row above its rows (the chain above its links) instead of a column of its own."""
    groups = list(df[group]) if group and group in df else None
    if groups is not None:
        df = df.drop(columns=group)
    heads = [_head(str(c), lang) for c in df.columns]
    rows = _cells(df, lang)
    whole = set(numeric_columns([[r[i] for r in rows] for i in range(len(heads))]))
    heads = _two_line_heads(heads, rows, whole)
    graded = list(df.columns).index("grade") if "grade" in df.columns else None
    words = {labels.label("cli_chain_grade", k, lang): k for k in GRADE_STYLE}
    shown, styles, last = [], [], object()
    for k, r in enumerate(rows):
        if groups is not None and groups[k] != last:
            last = groups[k]
            shown.append([str(last)] + [""] * (len(r) - 1))
            styles.append(["bold"] + [None] * (len(r) - 1))
        shown.append(r)
        styles.append([GRADE_STYLE.get(words.get(r[graded])) if i == graded else None for i in range(len(r))]
                      if graded is not None else [None] * len(r))
    console.print(fitted_table(heads, shown, console.width, keep_whole=tuple(sorted(whole)), title=title,
                               styles=styles))


def _two_line_heads(heads: list[str], rows: list[list[str]], whole: set) -> list[str]:
    """When the table is wider than the terminal, a number column's header of several words in two
    lines: a number column is kept whole, header included, so "Output at risk (100m yuan)" over
    "2,611" would otherwise take the room the text columns need."""
    natural = [max([cell_len(h)] + [cell_len(r[i]) for r in rows]) for i, h in enumerate(heads)]
    if sum(natural) + 3 * len(heads) + 1 <= console.width:
        return heads
    out = []
    for i, h in enumerate(heads):
        words = h.split(" ")
        if i in whole and len(words) > 1 and "\n" not in h:
            cut = min(range(1, len(words)), key=lambda k: max(cell_len(" ".join(words[:k])),
                                                               cell_len(" ".join(words[k:]))))
            h = " ".join(words[:cut]) + "\n" + " ".join(words[cut:])
        out.append(h)
    return out


def _reasons(df: pd.DataFrame, lang: str, stem: str = "reasons") -> pd.DataFrame:
    """reasons_zh / reasons_en (or why_zh / why_en) as one column `stem` in the reader's language, with
    only the first two reasons and "…" (a table row stays a few lines high at 80 columns; JSON/CSV/XLSX
    keep them all). Says once, on stderr, when some were left out."""
    keep = f"{stem}_en" if lang == "en" else f"{stem}_zh"
    if keep not in df:
        return df
    sep = "; " if lang == "en" else "；"
    full = df[keep]
    short = full.map(lambda t: sep.join(t.split(sep)[:REASONS_SHOWN]) + "…"
                     if isinstance(t, str) and len(t.split(sep)) > REASONS_SHOWN else t)
    if (short != full).any():
        err.print(_say("reasons_cut", lang), style="dim", markup=False, highlight=False)
    return df.drop(columns=[f"{stem}_zh", f"{stem}_en"], errors="ignore").assign(**{stem: short})


def _min_grade(df: pd.DataFrame, grade: Optional[Grade]) -> pd.DataFrame:
    if grade is None or "grade" not in df:
        return df
    return df[df["grade"].map(GRADE_ORDER).fillna(9) <= GRADE_ORDER[grade.value]]


def _by_grade(df: pd.DataFrame) -> pd.DataFrame:
    if "grade" not in df or df.empty:
        return df
    key = df["grade"].map(GRADE_ORDER).fillna(9)
    score = -df["score"].fillna(0) if "score" in df else 0
    return df.assign(_k=key, _s=score).sort_values(["_k", "_s"], kind="stable").drop(columns=["_k", "_s"])


# --- commands -----------------------------------------------------------------------------------
@chain_app.command("list")
def chain_list(plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt, fmt: Fmt = FmtOpt,
               out: Optional[Path] = OutOpt, lang: Lang = LangOpt, set_: Optional[List[str]] = SetOpt,
               verbose: bool = typer.Option(False, "--verbose", "-v", help="也说明数据的来源与假设（如合成数据的产值"
                                                                            "校准）/ also the data's notes and "
                                                                            "assumptions (e.g. the synthetic "
                                                                            "output calibration)")):
    """规划的产业链：环节数、缺失与薄弱环节、本地与区域配套率、高风险环节 / the plan's chains: links, missing and
    weak links, local and regional supply, high-risk links."""
    lang = lang.value
    check_out(fmt, out)
    p = resolve_plan(plan, db, lang)
    if _no_chains(p, fmt, lang):
        return
    df = api.chains(p, db, settings=_settings(set_))
    _banner(df, fmt, lang, verbose)
    if _write(df, fmt, out, lang, p, "sheet_summary"):
        return
    cols = ["chain", "cluster", "links", "missing", "weak", "local_share", "region_share", "high_risk_links"]
    view = _view(df[[c for c in cols if c in df]], p, lang)
    if console.width < 100 and "cluster" in view:  # the chain's name says its cluster; 80 columns keep the numbers
        view = view.drop(columns="cluster")
    _table(view, lang, _say("chains_title", lang))


@chain_app.command("show")
def chain_show(chain: str = typer.Argument(..., help="产业链编号或名称（见 zhizao chain list）/ chain id or name"),
               plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt, fmt: Fmt = FmtOpt,
               out: Optional[Path] = OutOpt, lang: Lang = LangOpt, set_: Optional[List[str]] = SetOpt):
    """产业链图谱：从上游到下游逐环节列出本地企业、配套状态与风险 / the chain upstream → downstream: each link
    with its local members, status and risk."""
    lang = lang.value
    check_out(fmt, out)
    p = resolve_plan(plan, db, lang)
    cid = api.chain_id(p, chain)
    s = _settings(set_)
    df = api.chain_links(cid, p, db, settings=s)
    _banner(df, fmt, lang)
    if _write(df, fmt, out, lang, p, "sheet_links"):
        return
    summary = api.chains(p, db, settings=s)
    _outline(p, p.chains[[c.id for c in p.chains].index(cid)], df, api.chain_data(db=db, plan=p),
             summary[summary["chain"] == cid].iloc[0].to_dict(), lang)


def _outline(plan, chain, df: pd.DataFrame, data, summary: dict, lang: str) -> None:
    """The chain as an indented outline: a heading per stage, upstream first; each link on one line
    (name, local members / all members, status, risk), its local members and upstream links under it."""
    en = lang == "en"
    chains, links = _names(plan, lang)
    width = console.width
    title = chains[chain.id]
    cluster = _cluster_names(plan, lang).get(chain.cluster, chain.cluster)
    console.print(Text(f"{title}  ({cluster}; {chain.section})" if en else f"{title}（{cluster}；{chain.section}）",
                       style="bold"), overflow="fold")
    n = {k: int((df["status"] == k).sum()) if "status" in df else 0 for k in ("missing", "weak")}
    high = int((df["grade"] == "high").sum()) if "grade" in df else 0
    facts = [f"{_head('links', lang)} {len(df)}", f"{_head('missing', lang)} {n['missing']}",
             f"{_head('weak', lang)} {n['weak']}", f"{_head('high_risk_links', lang)} {high}"]
    for key in ("local_share", "region_share"):  # the chain's need-weighted shares (as chain list)
        v = summary.get(key)
        if v is not None and pd.notna(v):
            facts.append(f"{_head(key, lang).rstrip('%').rstrip()} {formatting.percent(float(v) * 100)}")
    console.print(Text(" · ".join(facts)))
    members = data.members[data.members["chain"] == chain.id] if not data.is_empty else data.members
    ent = data.enterprises.set_index("enterprise_id") if len(data.enterprises) else None
    local_ids = set()
    if ent is not None and len(ent):
        where = locate(data.enterprises, plan)
        local_ids = set(data.enterprises.loc[(where == "local").to_numpy(), "enterprise_id"])
    role_rank = {"leader": 0, "core": 1, "supplier": 2}
    order = df.sort_values(["stage_order", "link"], kind="stable") if "stage_order" in df else df
    stage = None
    for r in order.to_dict("records"):
        if r.get("stage") != stage:
            stage = r.get("stage")
            word = labels.label("cli_chain_stage", stage, lang)
            console.print(Text(f"── {word} " + "─" * max(0, min(width, 60) - cell_len(word) - 4), style="bold cyan"))
        grade = r.get("grade") if isinstance(r.get("grade"), str) else None
        status = r.get("status") if isinstance(r.get("status"), str) else None
        n_local = r.get("n_local")
        n_all = r.get("n_members")
        line = Text("  ● ")
        line.append(links.get((chain.id, r["link"]), r["link"]), style="bold")
        count = (f"{int(n_local) if pd.notna(n_local) else 0}/{int(n_all) if pd.notna(n_all) else 0}")
        line.append(f"  {'local' if en else '本地'} {count}")
        if status:
            line.append(f"  {labels.label('cli_chain_status', status, lang)}",
                        style="red" if status == "missing" else "yellow" if status == "weak" else "")
        if grade:
            line.append(f"  {'risk' if en else '风险'} {labels.label('cli_chain_grade', grade, lang)}", style=GRADE_STYLE[grade])
        console.print(line, overflow="fold")
        mine = members[members["link"] == r["link"]]
        mine = mine[mine["enterprise_id"].isin(local_ids)]
        if len(mine):
            mine = mine.assign(_r=mine["role"].map(role_rank).fillna(3), _c=-mine["capacity"].fillna(0))
            mine = mine.sort_values(["_r", "_c"], kind="stable")
            shown = [f"{ent.at[e, 'name'] if ent is not None and e in ent.index else e}"
                     f"（{labels.label('cli_chain_role', role, lang)}）" if not en else
                     f"{ent.at[e, 'name'] if ent is not None and e in ent.index else e} ({labels.label('cli_chain_role', role, lang)})"
                     for e, role in zip(mine["enterprise_id"].head(3), mine["role"].head(3))]
            text = ("; " if en else "、").join(shown)
            if len(mine) > 3:
                text += (" " if en else "") + _say("more", lang, n=len(mine))
            _under(("local: " if en else "本地企业：") + text, width)
        else:
            _under(_say("none_local", lang), width, style="red")
        ups = r.get("upstream") or []
        if len(ups):
            _under(("upstream: " if en else "上游：") + ("; " if en else "、").join(links.get((chain.id, u), u) for u in ups),
                   width, style="dim")
    console.print(Text(_say("legend", lang), style="dim"))


def _under(text: str, width: int, style: str = "") -> None:
    lead = "      "
    for k, line in enumerate(wrap(text, max(20, width - len(lead)))):
        console.print(Text(lead + line, style=style), overflow="ignore", crop=False)


@chain_app.command("risk")
def chain_risk(level: Level = typer.Option(Level.links, "--level", help="环节、供应关系或重点企业 / links, supply "
                                                                       "relations or key enterprises"),
               chain: Optional[str] = ChainOpt,
               grade: Optional[Grade] = typer.Option(None, "--grade", help="最低风险等级（high 只看高风险）/ minimum "
                                                                           "risk grade (high: high only)"),
               plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt, fmt: Fmt = FmtOpt,
               out: Optional[Path] = OutOpt, limit: int = LimitOpt, lang: Lang = LangOpt,
               set_: Optional[List[str]] = SetOpt):
    """风险分级（高/中/低）及其原因：环节、供应关系、重点企业 / risk grades (high/medium/low) with their reasons:
    links, supply relations, key enterprises."""
    lang = lang.value
    check_out(fmt, out)
    p = resolve_plan(plan, db, lang)
    if chain is None and _no_chains(p, fmt, lang):
        return
    df = api.chain_risk(p, db, chain=chain, level=level.value, settings=_settings(set_))
    df = _by_grade(_min_grade(df, grade)).reset_index(drop=True)
    _banner(df, fmt, lang)
    sheet = {"links": "risk_links", "relations": "risk_relations", "enterprises": "risk_enterprises"}[level.value]
    if _write(df, fmt, out, lang, p, sheet):
        return
    data = api.chain_data(db=db, plan=p)
    cols = {"links": ["chain", "link", "grade", "reasons"],
            "relations": ["chain", "relation", "link", "grade", "reasons"],
            "enterprises": ["enterprise_id", "location", "grade", "reasons"]}[level.value]
    view = _reasons(limited(df, limit, lang), lang)  # the most severe first, then by chain
    if chain is not None:
        cols = [c for c in cols if c != "chain"]
    elif "chain" in view:  # the chain as a heading over its rows, in the plan's order
        order = {c.id: i for i, c in enumerate(p.chains)}
        view = view.assign(_o=view["chain"].map(order)).sort_values("_o", kind="stable").drop(columns="_o")
    view = _view(view, p, lang, data)
    if level == Level.relations:  # supplier → buyer in one column: the share is in the reasons
        view = view.assign(relation=[f"{a} → {b}" for a, b in zip(view["supplier_id"], view["buyer_id"])])
    view = view[[c for c in cols if c in view]]
    title = _say({"links": "risk_links", "relations": "risk_relations", "enterprises": "risk_enterprises"}[level.value],
                 lang)
    _table(view, lang, f"{title}（{len(df)}）" if lang == "zh" else f"{title} ({len(df)})",
           group="chain" if chain is None else None)


@chain_app.command("gaps")
def chain_gaps(chain: Optional[str] = ChainOpt, plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt,
               fmt: Fmt = FmtOpt, out: Optional[Path] = OutOpt, limit: int = LimitOpt, lang: Lang = LangOpt,
               set_: Optional[List[str]] = SetOpt):
    """分链条招商清单：缺失与薄弱环节，按风险与规模排序 / what to attract: the missing and weak links of each
    chain, ranked by risk and size."""
    lang = lang.value
    check_out(fmt, out)
    p = resolve_plan(plan, db, lang)
    if chain is None and _no_chains(p, fmt, lang):
        return
    df = api.chain_gaps(p, db, chain=chain, settings=_settings(set_))
    _banner(df, fmt, lang)
    if _write(df, fmt, out, lang, p, "sheet_gaps"):
        return
    cols = ["chain", "link", "status", "why", "key_products"]  # in rank order within each chain (JSON has rank)
    if chain is not None:
        cols.remove("chain")
    view = limited(df, limit, lang)
    if lang == "en" and "key_products" in view:  # the plan's product names as printed, listed the English way
        view = view.assign(key_products=view["key_products"].map(
            lambda t: "; ".join(t.split("、")) if isinstance(t, str) else t))
    view = _reasons(view, lang, "why")
    view = _view(view, p, lang)  # with its chain column: a link is named within its chain, even under --chain
    _table(view[[c for c in cols if c in view]], lang, _say("gaps_title", lang),
           group="chain" if chain is None else None)


SPEC = re.compile(r"^(enterprise|district|region)[:：](.+)$")


def _scenario(name: str, enterprises=(), districts=(), regions=()) -> Scenario:
    regions = tuple(r.strip() if r.strip().isdigit() or r.strip().lower() == "abroad" else r.strip().upper()
                    for r in regions)
    return Scenario(name=name, enterprises=tuple(e.strip() for e in enterprises),
                    districts=tuple(d.strip() for d in districts),
                    regions=tuple("abroad" if r.lower() == "abroad" else r for r in regions))


def _parse_scenario(text: str) -> Scenario:
    """NAME=KIND:VALUE[,KIND:VALUE…] with KIND enterprise|district|region."""
    name, sep, spec = text.partition("=")
    if not sep or not name.strip() or not spec.strip():
        raise UserError(f"--scenario 应写成 名称=类型:值[,类型:值…]（类型 enterprise、district、region），而不是“{text}”",
                        f"--scenario expects NAME=KIND:VALUE[,KIND:VALUE…] (KIND enterprise, district, region), "
                        f"not '{text}'")
    parts = {"enterprise": [], "district": [], "region": []}
    for item in re.split(r"[,，]", spec):
        m = SPEC.match(item.strip())
        if not m:
            raise UserError(f"--scenario {name}：“{item.strip()}”应写成 enterprise:代码、district:区县代码 或 region:地区",
                            f"--scenario {name}: '{item.strip()}' should be enterprise:ID, district:CODE or "
                            "region:PREFIX|abroad|XX")
        parts[m[1]].append(m[2])
    name = name.strip()
    if len(name) > api.SCENARIO_NAME_MAX:  # refused, not cut, as the web's what-if form
        raise UserError(f"--scenario：情景名称有 {len(name)} 个字符，最多 {api.SCENARIO_NAME_MAX} 个：请缩短",
                        f"--scenario: the scenario name has {len(name)} characters, at most "
                        f"{api.SCENARIO_NAME_MAX}: shorten it")
    return _scenario(name, parts["enterprise"], parts["district"], parts["region"])


@chain_app.command("whatif")
def chain_whatif(enterprise: Optional[List[str]] = typer.Option(None, "--enterprise", help="断供企业代码（可重复）/ "
                                                                                          "enterprise id (repeatable)"),
                 district: Optional[List[str]] = typer.Option(None, "--district", help="断供区县代码（可重复）/ "
                                                                                      "district code (repeatable)"),
                 region: Optional[List[str]] = typer.Option(None, "--region", help="断供地区：GB/T 2260 代码前缀、"
                                                                                  "abroad 或国家代码如 JP（可重复）/ a "
                                                                                  "code prefix, abroad or a country "
                                                                                  "code (repeatable)"),
                 scenario: Optional[List[str]] = typer.Option(None, "--scenario", help="命名情景 "
                                                              "名称=enterprise:代码,district:代码,region:地区（可重复，"
                                                              "用于比较）/ a named scenario NAME=KIND:VALUE,… "
                                                              "(repeatable, to compare)"),
                 plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt, fmt: Fmt = FmtOpt,
                 out: Optional[Path] = OutOpt, limit: int = typer.Option(10, "--limit", min=0, help="每张表的最多行数，"
                                                                                                   "0 为全部 / rows of each "
                                                                                                   "table, 0 = all"),
                 lang: Lang = LangOpt, set_: Optional[List[str]] = SetOpt):
    """断供情景：移除企业、区县或外部地区后断链的环节、受影响企业与风险产值，可比较多个情景 / disruption what-if:
    links lost, enterprises hit and output at risk when enterprises, a district or a region stop supplying."""
    lang = lang.value
    check_out(fmt, out)
    p = resolve_plan(plan, db, lang)
    runs = [_parse_scenario(s) for s in scenario or []]
    if enterprise or district or region:
        runs.insert(0, _scenario("", enterprise or (), district or (), region or ()))
    for run in runs:  # one rule with the web's what-if (api.chain_region_problem)
        for r in run.regions:
            if api.chain_region_problem(p, r, "zh"):
                raise UserError(f"--region {r}：{api.chain_region_problem(p, r, 'zh')}",
                                f"--region {r}: {api.chain_region_problem(p, r, 'en')}")
    if not runs:
        raise UserError("请指定断供对象：--enterprise 代码、--district 区县代码、--region 地区，或 --scenario 名称=…",
                        "say what stops supplying: --enterprise ID, --district CODE, --region PREFIX|abroad|XX or "
                        "--scenario NAME=…")
    names = [r.name for r in runs]
    if len(set(names)) < len(names):
        raise UserError("情景名称重复：每个 --scenario 须有自己的名称", "scenario names repeat: give each --scenario its own name")
    if _no_chains(p, fmt, lang):  # as list/risk/gaps: nothing to disrupt is no mistake (exit 0)
        return
    if runs[0].name == "":  # the unnamed scenario of --enterprise/--district/--region: named by what stops
        data = api.chain_data(db=db, plan=p)
        runs[0] = dataclasses.replace(runs[0], name=_scenario_name(runs[0], p, data, lang, taken=names[1:]))
    settings = _settings(set_)
    df = api.chain_whatif(runs, p, db, settings=settings)
    _banner(df, fmt, lang)
    whatifs = df.attrs.get("whatifs", [])
    if fmt == Fmt.json and len(runs) == 1 and out is None:  # one scenario: its tables too
        w = whatifs[0]
        doc = {"origin": "synthetic" if df.attrs.get("synthetic") else "imported", "summary": _money_doc(w.summary),
               **{k: json.loads(_machine(getattr(w, k)).drop(columns="origin").to_json(
                   orient="records", force_ascii=False, default_handler=str)) for k in ("links", "enterprises", "chains")}}
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    more = ()
    if fmt == Fmt.xlsx:  # the links and downstream enterprises of every scenario, a scenario column first
        def every(kind: str) -> pd.DataFrame:
            frames = [getattr(w, kind).assign(scenario=w.summary.get("scenario", "")) for w in whatifs]
            both = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
            if kind == "enterprises" and "removed" in both:
                both = both[~both["removed"].fillna(False).astype(bool)].drop(columns="removed")
            return both[["scenario", *[c for c in both.columns if c != "scenario"]]] if len(both.columns) else both
        more = (("whatif_links", every("links")), ("sheet_whatif_enterprises", every("enterprises")))
    sheet = df.rename(columns={"output_at_risk": "output_at_risk_total"}) if fmt == Fmt.xlsx else df  # the total
    sheet.attrs.update(df.attrs)
    if _write(sheet, fmt, out, lang, p, "whatif_title", more):
        return
    _compare_table(df, limit, lang)
    if len(whatifs) == 1:
        w = whatifs[0]
        _whatif_links(w.links, p, limit, _min_loss(settings), lang)
        en = w.enterprises
        if len(en) and "removed" in en:  # downstream only, as the summary counts them (the removed are the scenario)
            en = en[~en["removed"].fillna(False).astype(bool)]
        if len(en) and "output_at_risk" in en:
            en = en.sort_values("output_at_risk", ascending=False)
        if len(en):
            cols = ["enterprise_id", "location", "loss", "output_at_risk_yi"]
            shown = _yi(en.head(limit) if limit else en)
            _table(_view(shown[[c for c in cols if c in shown]], p, lang,
                         api.chain_data(db=db, plan=p)), lang, _say("whatif_enterprises", lang))
            _more(len(en) - len(shown), "more_enterprises", lang)


# The comparison's rows: one per measure, a column per scenario, so that it reads at 80 columns
# whatever the scenarios are called (as columns, 受影响企业 folded one character a line).
COMPARE_ROWS = ("removed", "links_lost", "links_stopped", "local_links_lost", "links_weakened", "enterprises_affected",
                "output_at_risk_downstream_yi", "output_at_risk_total_yi")  # as the web: downstream apart from the total
LINK_ORDER = {"lost": 0, "stopped": 1, "local_lost": 2, "weakened": 3}  # the worst first when rows are cut
def _min_loss(settings: Settings) -> float:
    """The smallest need lost a link must show to be listed (setting chain_whatif_min_loss)."""
    return float(settings["chain_whatif_min_loss"])


def _more(n: int, key: str, lang: str, **kw) -> None:
    if n > 0:
        console.print(Text(_say(key, lang, n=f"{n:,}", **kw), style="dim"))


def _compare_table(df: pd.DataFrame, limit: int, lang: str) -> None:
    view = _yi(df.head(limit) if limit else df)
    heads = [_head("measure", lang), *(str(s) for s in view["scenario"])]
    rows = []
    for key in (k for k in COMPARE_ROWS if k in view):
        values = column_cells(view[key], "level", lang) if key in YI else [cell(v, "int", lang) for v in view[key]]
        rows.append([_head(key, lang), *values])
    console.print(fitted_table(heads, rows, console.width, title=_say("whatif_title", lang)))
    _more(len(df) - len(view), "more_scenarios", lang)


def _whatif_links(lk: pd.DataFrame, plan, limit: int, min_loss: float, lang: str) -> None:
    """The links hit, worst first up to `limit`, shown under their chain; links weakened by less than
    `min_loss` of their need are counted in a line, not listed."""
    if not len(lk):
        return
    need = pd.to_numeric(lk.get("need_lost_share"), errors="coerce").fillna(0.0)
    small = lk["status"].eq("weakened") & (need < min_loss)
    keep = lk[~small].assign(_s=lk["status"].map(LINK_ORDER).fillna(9), _n=-need[~small])
    keep = keep.sort_values(["_s", "_n"], kind="stable")
    shown = keep.head(limit) if limit else keep
    order = {c.id: i for i, c in enumerate(plan.chains)}
    shown = shown.assign(_o=shown["chain"].map(order)).sort_values(["_o"], kind="stable")
    cols = ["chain", "link", "status", "members_removed", "n_members", "need_lost_share"]
    if len(shown):
        _table(_view(shown[[c for c in cols if c in shown]], plan, lang), lang, _say("whatif_links", lang),
               group="chain")
    _more(len(keep) - len(shown), "more_links", lang)
    pct = formatting.share(min_loss, 2 if min_loss < 0.001 else 1)
    hint = _say("small_links_hint", lang)
    _more(int(small.sum()), "small_links", lang, pct=pct, hint=hint)


def _yi(df: pd.DataFrame) -> pd.DataFrame:
    """output_at_risk (万元) as output_at_risk_yi (亿元) for a table; in a comparison also the downstream
    part and the total (removed enterprises' own output included) as two rows."""
    if "output_at_risk" not in df:
        return df
    total = pd.to_numeric(df["output_at_risk"], errors="coerce") / 1e4
    out = df.assign(output_at_risk_yi=total, output_at_risk_total_yi=total)
    if "output_at_risk_downstream" in df:
        out = out.assign(output_at_risk_downstream_yi=pd.to_numeric(df["output_at_risk_downstream"], errors="coerce") / 1e4)
    return out


def _place_words(code: str, lang: str) -> str:
    """A --region value in words: abroad, a country, a province (GB/T 2260 prefix)."""
    if code == "abroad":
        return _say("abroad", lang)
    if not code.isdigit():
        return _say("abroad_country", lang, code=code)
    name = regions.province_name(code, lang)
    if name is None:
        return _say("province_code", lang, code=code)
    return name if len(code) == 2 else (f"{name} ({code})" if lang == "en" else f"{name}（{code}）")


def _scenario_name(sc: Scenario, plan, data, lang: str, taken=()) -> str:
    """A scenario in words: the enterprises' names, the plan's district names, the regions' names."""
    districts = {d.code: d.name for d in (plan.regions.districts if plan.regions else [])}
    if lang == "en":  # a district's English name where zhizao knows one, else the plan's own
        districts = {c: (n if regions.district_name(c, "en") == c else regions.district_name(c, "en"))
                     for c, n in districts.items()}
    names = dict(zip(data.enterprises["enterprise_id"], data.enterprises["name"])) if len(data.enterprises) else {}
    words = [*(str(names.get(e, e)) for e in sc.enterprises), *(districts.get(d, d) for d in sc.districts),
             *(_place_words(r, lang) for r in sc.regions)]
    sep = ", " if lang == "en" else "、"
    name = sep.join(words[:3]) + ((" " if lang == "en" else "") + _say("scenario_more", lang, total=len(words), more=len(words) - 3)
                                  if len(words) > 3 else "")
    return name if name not in taken else f"{name} ({len(taken) + 1})"


@chain_app.command("lint")
def chain_lint(plan_file: Optional[str] = typer.Argument(None, metavar="[PLAN_FILE]",
                                                         help="规划编号或 YAML 文件（同 --plan）/ plan id or file"),
               plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt, fmt: Fmt = FmtOpt, lang: Lang = LangOpt):
    """检查产业链图谱：环节成环、上下游倒置、孤立环节、行业代码 / check the chain maps: cycles, stage inversions,
    isolated links, industry classes (exit 1 on errors)."""
    lang = lang.value
    p = resolve_plan(plan_file or plan, db, lang)
    if not p.chains:
        console.print(_say("no_chains", lang), markup=False, highlight=False)
        return
    df = findings_frame(lint_chains(p), lang)
    if df.empty and fmt == Fmt.table:
        console.print(_say("no_problems", lang), markup=False)
    elif fmt == Fmt.table:
        _table(df.drop(columns=["check", "severity"]), lang, _say("lint_title", lang))
    elif fmt == Fmt.json:
        sys.stdout.write(df.to_json(orient="records", force_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(write_csv(df))
    if (df["severity"] == "error").any():
        raise typer.Exit(1)


@chain_app.command("import")
def chain_import(files: List[Path] = typer.Argument(..., metavar="FILE...",
                                                    help="企业、环节企业、供应关系：一个 XLSX（三张表）或三个 CSV / one "
                                                         "XLSX with three sheets or three CSV files"),
                 plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt, lang: Lang = LangOpt):
    """导入产业链企业与供应关系（全部成功或全部不导入）/ import chain enterprises and supply relations, all or
    nothing."""
    lang = lang.value
    for f in files:
        if not f.is_file():
            raise UserError(f"文件不存在：{f}" if not f.exists() else f"不是文件而是目录：{f}，请给出要导入的文件",
                            f"file not found: {f}" if not f.exists() else f"{f} is a folder; give the file to import")
    p = resolve_plan(plan, db, lang)
    if not p.chains:
        api.chain_id(p, "")
    try:
        with import_progress(lang) as progress:
            # the --plan words, not `p`: the import registers a plan named by path or id (its id works after)
            summary = api.import_chain_data([str(f) for f in files], plan=plan, db=db, progress=progress)
    except ImportFailed as e:
        refuse_import(e.problems, lang)
    console.print(Text(_say("imported_line", lang, batch=summary.get("batch_id"),
                            **{k: f"{summary.get(k, 0):,}" for k in ("enterprises", "members", "supply")})))


@chain_app.command("export")
def chain_export(fmt: ExportFmt = typer.Option(..., "--format", help="xlsx 工作簿或 graphml 图 / an XLSX workbook "
                                                                      "or a GraphML graph"),
                 out: Path = typer.Option(..., "--out", help="写入的文件 / the file to write"),
                 chain: Optional[str] = ChainOpt,
                 enterprises: bool = typer.Option(False, "--enterprises", help="GraphML 也含企业节点与供应关系 / "
                                                                              "GraphML with enterprises and supply "
                                                                              "edges too"),
                 plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt, lang: Lang = LangOpt,
                 set_: Optional[List[str]] = SetOpt):
    """导出产业链：XLSX（概况、环节、供应关系风险、重点企业风险、备份企业、招商清单）或 GraphML / export the chains as
    an XLSX workbook or a GraphML graph."""
    from zhizao.outputs import chain_exports  # noqa: PLC0415 - openpyxl/networkx writers: only for an export

    lang = lang.value
    check_out(fmt, out)
    p = resolve_plan(plan, db, lang)
    if chain is None and _no_chains(p, Fmt.table, lang):  # exit 0, no file: as list/risk/gaps
        return
    cid = api.chain_id(p, chain) if chain is not None else None
    s = _settings(set_)
    data = api.chain_data(db=db, plan=p)
    risk = chain_exports.analytics.risk(p, data, s)
    if fmt == ExportFmt.graphml:
        import io  # noqa: PLC0415 - the graph is written whole, then saved like every file here
        buf = io.BytesIO()
        chain_exports.write_graphml(chain_exports.chain_graph(p, data, risk, cid, enterprises=enterprises, settings=s),
                                    buf)
        payload = buf.getvalue()
    else:
        payload = chain_exports.chain_workbook(p, data, risk, None, cid, lang=lang, settings=s)
    stamp = pd.DataFrame()
    stamp.attrs.update(synthetic=data.synthetic, source=data.source, as_of=data.as_of)
    _banner(stamp, Fmt.csv, lang)  # on stderr: the file itself says it too
    save(out, payload, lang)
