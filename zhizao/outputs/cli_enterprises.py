"""`zhizao enterprise|park|green …`: enterprises, parks and the binding green targets (docs/enterprises.md).

enterprise list | show ID | tags | muju | prices | changes | srdi | backward | counts | import FILE… | template;
park list | show ID; green status | intensity | key-users. `muju --format xlsx` and `prices --format xlsx` write the
office layouts (zhizao.outputs.enterprise_exports); `template` the blank import workbook. Thin: the analyses are zhizao.api_enterprises (which
calls zhizao.analytics.enterprises); this module parses options and prints. The data are the plan's active
imported enterprise data, else the synthetic default, which every output labels (a banner line above a table,
on stderr for machine formats; an `origin` column in JSON/CSV; the workbook's first line).
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import List, Optional

import pandas as pd
import typer
from rich.cells import cell_len
from rich.text import Text

from zhizao import formatting, labels
from zhizao import api_enterprises as ze
from zhizao.codes import regions
from zhizao.errors import UserError
from zhizao.outputs.cli_common import (REASONS_SHOWN, DbOpt, DistrictOpt, Fmt, FmtOpt, LangOpt, LimitOpt, OutOpt,
                                        PlanOpt, SetOpt, YearOpt, check_out, import_progress, limited, refuse_import,
                                        resolve_plan, save)
from zhizao.outputs import enterprise_exports
from zhizao.outputs.console import Lang, cell, fitted_table, fixed, make_console, numeric_columns, parse_settings
from zhizao.outputs.spreadsheet_safe import write_csv, xlsx_cell, xlsx_text
from zhizao.store.importing import ImportFailed

enterprise_app = typer.Typer(help="企业：名录、标签、亩均效益评价、差别电价名单、类别变化、专精特新筛查、落后产能、企业数、导入"
                                  "及导入模板 / enterprises: registry, tags, 亩均 evaluation, price list, class changes, "
                                  "专精特新 screening, backward capacity, counts, import and its template.",
                             no_args_is_help=True)
park_app = typer.Typer(help="园区：亩均效益、用地控制指标与排名，园区企业 / parks: 亩均 results, land-use targets, rank, "
                            "their enterprises.", no_args_is_help=True)
green_app = typer.Typer(help="绿色约束性目标：单位增加值能耗、水耗及三级预警 / binding green targets: energy and water "
                             "intensity with the three warning levels.", no_args_is_help=True)
console = make_console()
err = make_console(stderr=True)

KLASS_STYLE = {"A": "green", "B": "", "C": "yellow", "D": "bold red"}
LEVEL_STYLE = {1: "bold red", 2: "yellow", 3: "green"}
INTS = ("rank", "n", "n_lost", "n_A", "n_B", "n_C", "n_D", "n_failed", "stock", "new", "new_cumulative", "lost",
        "n_enterprises", "year", "base_year", "env_violations", "quality_failures", "safety_violations")
PCTS = ("share", "share_ab", "rd_intensity", "yoy_change", "cumulative_change", "required_to_date", "intensity_change",
        "share_of_change", "surcharge_water")
# shares the analytics give as fractions (docs/enterprises.md); a reader's table or workbook shows percent
FRACTIONS = ("share", "share_ab", "share_of_change")
PPS = ("gap_pp",)
CHANGE_ORDER = {"down": 0, "up": 1, "new": 2, "gone": 3, "same": 4}


class Tag(str, Enum):
    chain_leader = "chain_leader"
    srdi_sme = "srdi_sme"
    little_giant = "little_giant"
    single_champion = "single_champion"
    high_tech = "high_tech"
    tech_sme = "tech_sme"
    innovative_sme = "innovative_sme"
    above_scale = "above_scale"


class TagLevel(str, Enum):
    national = "national"
    municipal = "municipal"


class MujuLevel(str, Enum):
    enterprises = "enterprises"
    classes = "classes"
    benchmarks = "benchmarks"


class By(str, Enum):
    district = "district"
    park = "park"
    industry = "industry"


class Klass(str, Enum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"


class Measure(str, Enum):
    energy = "energy"
    water = "water"


def register(app: typer.Typer) -> None:
    """Add `zhizao enterprise|park|green …` to the main app."""
    app.add_typer(enterprise_app, name="enterprise")
    app.add_typer(park_app, name="park")
    app.add_typer(green_app, name="green")


# --- helpers ------------------------------------------------------------------------------------
def _say(key: str, lang: str, **kw) -> str:
    return labels.label("cli_enterprise_words", key, lang).format(**kw)


def _banner(df: pd.DataFrame, fmt: Fmt, lang: str) -> None:
    """The data's origin in one line above a table (stderr for machine formats): synthetic data are
    never unlabelled."""
    a = df.attrs
    out = console if fmt == Fmt.table else err
    head, _ = ze.enterprise_source_words(dict(a), lang)
    if a.get("synthetic"):
        out.print(Text(_say("synthetic_line", lang, source=head or "—"), style="bold yellow"))
    elif fmt == Fmt.table and a.get("source"):
        sep = ": " if lang == "en" else "："
        out.print(Text(f"{_say('source', lang)}{sep}{head or a['source']}"
                       + (f" · {_say('as_of', lang)} {a['as_of']}" if a.get("as_of") else ""), style="dim"))


def _machine(df: pd.DataFrame, fmt: Fmt) -> pd.DataFrame:
    """JSON/CSV: the codes as the analytics give them, the data's origin as the first column; in CSV,
    lists and dicts as JSON text."""
    out = df.copy()
    out.insert(0, "origin", "synthetic" if df.attrs.get("synthetic") else "imported")
    if fmt == Fmt.csv:
        for c in out.columns:
            if out[c].map(lambda v: isinstance(v, (list, dict, tuple))).any():
                out[c] = out[c].map(lambda v: json.dumps(v, ensure_ascii=False)
                                    if isinstance(v, (list, dict, tuple)) else v)
    return out


def _write(df: pd.DataFrame, fmt: Fmt, out: Optional[Path], lang: str, plan, title: str, more=()) -> bool:
    """JSON/CSV/XLSX output (to stdout or `out`); False for a table (the caller prints it). XLSX: a sheet
    per (title, frame), headers and codes in words, the data's source first; `more`: further sheets."""
    if fmt == Fmt.table:
        return False
    if fmt == Fmt.xlsx:
        save(out, _workbook(plan, df.attrs, [(title, df), *more], lang), lang)
        return True
    data = _machine(df, fmt)
    text = (data.to_json(orient="records", force_ascii=False, indent=2, default_handler=str) + "\n"
            if fmt == Fmt.json else write_csv(data))
    if out is None:
        sys.stdout.write(text)
    else:
        save(out, text.encode("utf-8"), lang)
    return True


def _source_line(attrs: dict, lang: str) -> str:
    head, _ = ze.enterprise_source_words(dict(attrs), lang)
    en = lang == "en"
    if attrs.get("synthetic"):
        line = _say("synthetic_line", lang, source=head or "—")
        if en:  # the label a Chinese reader of the file looks for, too
            line = f"{labels.CLI_ENTERPRISE_WORDS['synthetic_line'][0].split('：')[0]}; {line}"
    else:
        line = f"{_say('source', lang)}{': ' if en else '：'}{head or attrs.get('source') or '—'}"
    if attrs.get("as_of"):
        line += f"{'; ' if en else '；'}{_say('as_of', lang)} {attrs['as_of']}"
    return line


def _workbook(plan, attrs: dict, sheets, lang: str) -> bytes:
    """Sheets of (title, frame): the source line, a bold header row in the reader's language, the rows with
    codes as words and every text cell through spreadsheet_safe."""
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
        view = _words(_drop_other_language(df, lang), plan, lang, attrs.get("park_names") or df.attrs.get("park_names"))
        ws.append([xlsx_text(note)])
        bold = Font(bold=True)
        row = []
        for c in view.columns:
            h = WriteOnlyCell(ws, value=xlsx_text(_head(str(c), lang)))
            h.font = bold
            row.append(h)
        ws.append(row)
        for values in view.astype(object).itertuples(index=False):
            ws.append([xlsx_cell(v) for v in values])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _drop_other_language(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """reasons_zh/reasons_en as one `reasons` column in the reader's language (all reasons)."""
    keep, other = ("reasons_en", "reasons_zh") if lang == "en" else ("reasons_zh", "reasons_en")
    if keep not in df:
        return df
    return df.drop(columns=[other], errors="ignore").rename(columns={keep: "reasons"})


def _head(c: str, lang: str) -> str:
    if c.startswith("pts_"):  # an item's points
        item = labels.label("cli_enterprise_item", c[4:], lang)
        return f"{item} points" if lang == "en" else f"{item}得分"
    if c in labels.CLI_ENTERPRISE_HEAD:
        return labels.label("cli_enterprise_head", c, lang)
    return c


def _district_names(plan, lang: str) -> dict:
    names = {d.code: d.name for d in (plan.regions.districts if plan.regions else [])}
    if plan.regions:
        names[plan.regions.whole_code] = plan.regions.whole_name
    if lang == "en":  # zhizao's English name where it knows one, else the plan's own
        names = {c: (n if regions.district_name(c, "en") == c else regions.district_name(c, "en"))
                 for c, n in names.items()}
    return names


def _words(df: pd.DataFrame, plan, lang: str, park_names: dict | None = None) -> pd.DataFrame:
    """A frame for a reader: district codes as names, codes as words, lists joined, shares in percent."""
    out = df.copy()
    for col in FRACTIONS:
        if col in out:
            out[col] = pd.to_numeric(out[col], errors="coerce") * 100
    districts = _district_names(plan, lang)
    sep = "; " if lang == "en" else "、"
    for col in ("district", "area"):
        if col in out:
            out[col] = out[col].map(lambda v: districts.get(str(v), v) if isinstance(v, str) else v)
    if "districts" in out:
        out["districts"] = out["districts"].map(lambda v: sep.join(districts.get(d, d) for d in str(v).split(";") if d)
                                                if isinstance(v, str) else v)
    if park_names and "park" in out:
        out["park"] = out["park"].map(lambda v: park_names.get(str(v), v) if isinstance(v, str) else v)
    tiers = {t.id: ((t.name_en or t.name) if lang == "en" else t.name)
             for t in (plan.park_system.tiers if plan.park_system else [])}
    if "tier" in out:
        out["tier"] = out["tier"].map(lambda v: tiers.get(v, v) if isinstance(v, str) else v)
    indicators = {i.id: ((i.name_en or i.name) if lang == "en" else i.name) for i in plan.indicators}
    if "indicator" in out:
        out["indicator"] = out["indicator"].map(lambda v: indicators.get(v, v) if isinstance(v, str) else v)
    for col, table in (("tag", "cli_enterprise_tag"), ("tags", "cli_enterprise_tag"), ("level", "cli_enterprise_level"),
                       ("size", "cli_enterprise_size"), ("group", "cli_enterprise_group"),
                       ("change", "cli_enterprise_change"), ("criteria", "cli_enterprise_criterion"),
                       ("imputed", "cli_enterprise_item"), ("item", "cli_enterprise_item"),
                       ("measure", "cli_green_measure")):
        if col not in out:
            continue
        out[col] = out[col].map(lambda v, t=table: sep.join(labels.label(t, x, lang) for x in v)
                                if isinstance(v, (list, tuple)) else labels.label(t, v, lang) if isinstance(v, str) else v)
    if "warning_level" in out:
        out["warning_level"] = out["warning_level"].map(
            lambda v: labels.label("cli_green_level", int(v), lang) if pd.notna(v) else v)
    if "missed_points" in out:
        out["missed_points"] = out["missed_points"].map(lambda v: _missed(v, lang))
    for col in out.columns:
        if out[col].map(lambda v: isinstance(v, (list, tuple))).any():
            out[col] = out[col].map(lambda v: sep.join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    return out


def _missed(v, lang: str):
    """missed_points ({indicator: points missed} or a list) in words."""
    if isinstance(v, dict):
        sep = "; " if lang == "en" else "、"
        return sep.join(f"{k} −{cell(p, 'auto', lang)}" for k, p in v.items())
    return v


def _reasons(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """reasons_zh / reasons_en as one `reasons` column in the reader's language, with the first two reasons
    and "…" (a table row stays a few lines high at 80 columns; JSON/CSV/XLSX keep them all)."""
    keep = "reasons_en" if lang == "en" else "reasons_zh"
    if keep not in df:
        return df
    sep = "; " if lang == "en" else "；"
    full = df[keep]
    short = full.map(lambda t: sep.join(t.split(sep)[:REASONS_SHOWN]) + "…"
                     if isinstance(t, str) and len(t.split(sep)) > REASONS_SHOWN else t)
    if (short != full).any():
        err.print(labels.label("chain_words", "reasons_cut", lang), style="dim", markup=False, highlight=False)
    return df.drop(columns=["reasons_zh", "reasons_en"], errors="ignore").assign(reasons=short)


def _cells(df: pd.DataFrame, lang: str) -> list[list[str]]:
    cols = []
    for c in df.columns:
        if c in INTS:
            cols.append([cell(v, "int", lang) for v in df[c]])
        elif c in PCTS:
            cols.append([cell(v, "pct", lang) for v in df[c]])
        elif c in PPS:
            cols.append([cell(v, "pp", lang) for v in df[c]])
        elif c == "benchmark":  # three significant digits: an R&D share of 1.69 % is not 2
            cols.append([formatting.grouped(formatting.significant(v, 3)) if pd.notna(v) else formatting.MISSING
                         for v in df[c]])
        elif pd.api.types.is_float_dtype(df[c]):
            cols.append(_floats(df[c]))
        else:
            cols.append([cell(v, "auto", lang) for v in df[c]])
    return [list(r) for r in zip(*cols)] if cols else []


def _floats(values: pd.Series) -> list[str]:
    """A column of amounts with one number of decimals for all its rows, so they line up: none from
    1,000, one from 10, else two (亩均 values in 万元/亩 are often below 10)."""
    xs = pd.to_numeric(values, errors="coerce").abs()
    top = xs.max() if xs.notna().any() else 0
    digits = 0 if top >= 1000 else 1 if top >= 10 else 2
    return [fixed(v, digits) for v in values]


def _split_heads(heads: list[str], rows: list[list[str]], whole: tuple[int, ...]) -> list[str]:
    """When the table is wider than the terminal, a number column's header with a unit in two lines
    (亩均税收 over （万元/亩）): a number column is kept whole, header included, and would otherwise take
    the room the names need."""
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
        out.append(h)
    return out


def _table(df: pd.DataFrame, lang: str, title: str | None = None) -> None:
    """The frame as a table fitted to the terminal; a class or warning-level column coloured."""
    if df.empty:
        console.print(_say("no_rows", lang), markup=False, highlight=False)
        return
    heads = [_head(str(c), lang) for c in df.columns]
    rows = _cells(df, lang)
    whole = numeric_columns([[r[i] for r in rows] for i in range(len(heads))])
    heads = _split_heads(heads, rows, whole)
    styled = {i: c for i, c in enumerate(df.columns) if c in ("klass", "klass_now")}
    styles = [[KLASS_STYLE.get(r[i]) if i in styled else None for i in range(len(r))] for r in rows]
    console.print(fitted_table(heads, rows, console.width, keep_whole=whole, title=title, styles=styles))


def _show(df: pd.DataFrame, cols: list[str], plan, lang: str, title: str, limit: int = 0, data_parks=None) -> None:
    """Columns `cols` (those present) of `df`, limited, reasons shortened, in words, as a table."""
    view = limited(df, limit, lang) if limit else df
    if {"reasons_zh", "reasons_en"} & set(cols):  # the note on cut reasons only when reasons are shown
        view = _reasons(view, lang)
    cols = list(dict.fromkeys("reasons" if c in ("reasons_zh", "reasons_en") else c for c in cols))
    view = _words(view[[c for c in cols if c in view]], plan, lang, data_parks or df.attrs.get("park_names"))
    _table(view.reset_index(drop=True), lang, title)


def _title(key: str, lang: str, **kw) -> str:
    return _say(key, lang, **kw)


def _start(plan, db, fmt: Fmt, out, lang: Lang):
    """The checks every command makes first: --format and --out agree, the plan resolves."""
    lang = lang.value
    check_out(fmt, out)
    return resolve_plan(plan, db, lang), lang


def _outside_parks_last(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A by-park summary for a reader: the enterprises outside any park (park "") named so, last."""
    attrs = dict(df.attrs)
    outside = df["park"].fillna("").astype(str) == ""
    out = pd.concat([df[~outside], df[outside].assign(park=_say("outside_parks", lang))], ignore_index=True)
    out.attrs.update(attrs)
    return out


def _by_class(df: pd.DataFrame) -> pd.DataFrame:
    """Evaluated enterprises by class then score (best first), the not-evaluated last."""
    if "klass" not in df or df.empty:
        return df
    key = df["klass"].map({"A": 0, "B": 1, "C": 2, "D": 3}).fillna(9)
    score = -pd.to_numeric(df["score"], errors="coerce").fillna(float("-inf")) if "score" in df else 0
    return df.assign(_k=key, _s=score).sort_values(["_k", "_s"], kind="stable").drop(columns=["_k", "_s"])


# --- enterprise … ------------------------------------------------------------------------------------
@enterprise_app.command("list")
def enterprise_list(district: Optional[str] = DistrictOpt,
                    park: Optional[str] = typer.Option(None, "--park", help="只看这个园区（编号或名称）/ one park "
                                                                            "only (id or name)"),
                    tag: Optional[Tag] = typer.Option(None, "--tag", help="只看持有该标签的企业 / only holders of "
                                                                          "this tag"),
                    year: Optional[int] = YearOpt, plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt,
                    fmt: Fmt = FmtOpt, out: Optional[Path] = OutOpt, limit: int = LimitOpt, lang: Lang = LangOpt):
    """企业名录：区县、园区、行业、规模与当前持有的标签 / the enterprise registry with the tags held now (at the
    end of --year)."""
    p, lang = _start(plan, db, fmt, out, lang)
    df = ze.enterprises(p, db, year, district=district, park=park, tag=tag.value if tag else None)
    _banner(df, fmt, lang)
    if _write(df, fmt, out, lang, p, _say("list_title", lang, n=len(df))):
        return
    view = df.assign(park=df["park_name"]) if "park_name" in df else df
    _show(view, ["name", "district", "park", "industry_class", "size", "tags"], p, lang,
          _title("list_title", lang, n=len(df)), limit)


@enterprise_app.command("show")
def enterprise_show(enterprise: str = typer.Argument(..., metavar="ID", help="统一社会信用代码或企业全称 / credit "
                                                                             "code or full name"),
                    year: Optional[int] = YearOpt, plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt,
                    fmt: Fmt = FmtOpt, out: Optional[Path] = OutOpt, lang: Lang = LangOpt,
                    set_: Optional[List[str]] = SetOpt):
    """一家企业：基本信息、标签记录、年度指标、历年亩均评价与落后产能判据 / one enterprise: facts, tag
    history, annual figures, its 亩均 results and backward-capacity criteria."""
    p, lang = _start(plan, db, fmt, out, lang)
    prof = ze.enterprise_profile(enterprise, p, db, year, parse_settings(set_))
    reg = prof["registry"]
    _banner(reg, fmt, lang)
    if fmt == Fmt.json:
        doc = {"origin": "synthetic" if reg.attrs.get("synthetic") else "imported",
               **{k: json.loads(v.to_json(orient="records", force_ascii=False, default_handler=str))
                  for k, v in prof.items()}}
        text = json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n"
        if out is None:
            sys.stdout.write(text)
        else:
            save(out, text.encode("utf-8"), lang)
        return
    sheets = [(_say(f"show_{k}" if k != "registry" else "show_facts", lang), v) for k, v in prof.items() if len(v)]
    if fmt == Fmt.csv:  # one table: the registry row; the other tables are in JSON and XLSX
        _write(reg, fmt, out, lang, p, sheets[0][0])
        return
    if fmt == Fmt.xlsx:
        _write(reg, fmt, out, lang, p, sheets[0][0], sheets[1:])
        return
    r = _words(reg.assign(park=reg["park_name"]), p, lang).iloc[0]
    sep = ": " if lang == "en" else "："
    console.print(Text(f"{r['name']}（{r['enterprise_id']}）" if lang == "zh" else f"{r['name']} ({r['enterprise_id']})",
                       style="bold"))
    for c in ("district", "park", "industry_class", "size", "established", "tags"):
        v = r.get(c)
        console.print(Text(f"  {_head(c, lang)}{sep}{v if isinstance(v, str) and v else _say('none', lang)}"),
                      overflow="fold")
    if len(prof["tags"]):
        _show(prof["tags"], ["tag", "level", "acquired", "lost"], p, lang, _say("show_tags", lang))
    if len(prof["annual"]):
        _show(prof["annual"], ["year", "land_area", "revenue", "value_added", "tax", "energy"], p, lang,
              _say("show_annual", lang))
    if len(prof["muju"]):
        _show(prof["muju"], ["year", "group", "score", "rank", "klass", "reasons_zh", "reasons_en"], p, lang,
              _say("show_muju", lang))
    if len(prof["backward"]):
        _show(prof["backward"], ["criteria", "reasons_zh", "reasons_en"], p, lang, _say("show_backward", lang))


@enterprise_app.command("tags")
def enterprise_tags(tag: Optional[Tag] = typer.Option(None, "--tag", help="只看这个标签 / one tag only"),
                    level: Optional[TagLevel] = typer.Option(None, "--level", help="只看这个级别 / one level only"),
                    district: Optional[str] = DistrictOpt, year: Optional[int] = YearOpt,
                    plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt, fmt: Fmt = FmtOpt,
                    out: Optional[Path] = OutOpt, limit: int = LimitOpt, lang: Lang = LangOpt):
    """标签记录：获得与失去日期，最近获得的在前 / the tag history (acquired, lost), newest first."""
    p, lang = _start(plan, db, fmt, out, lang)
    df = ze.enterprise_tags(p, db, year, tag=tag.value if tag else None, level=level.value if level else None,
                            district=district)
    _banner(df, fmt, lang)
    if _write(df, fmt, out, lang, p, _say("tags_title", lang, n=len(df))):
        return
    _show(df, ["name", "district", "tag", "level", "acquired", "lost"], p, lang, _title("tags_title", lang, n=len(df)),
          limit)


@enterprise_app.command("muju")
def enterprise_muju(level: MujuLevel = typer.Option(MujuLevel.enterprises, "--level", help="企业得分与类别、各类企业数"
                                                    "或基准值 / enterprises, classes or benchmarks"),
                    by: Optional[By] = typer.Option(None, "--by", help="按区县、园区或行业汇总 / summed by district, "
                                                                       "park or industry"),
                    klass: Optional[Klass] = typer.Option(None, "--class", help="只看这一类 / one class only"),
                    district: Optional[str] = DistrictOpt,
                    park: Optional[str] = typer.Option(None, "--park", help="只看这个园区 / one park only"),
                    year: Optional[int] = YearOpt, plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt,
                    fmt: Fmt = FmtOpt, out: Optional[Path] = OutOpt, limit: int = LimitOpt, lang: Lang = LangOpt,
                    set_: Optional[List[str]] = SetOpt):
    """亩均效益综合评价：各项指标、得分、A/B/C/D 类及原因 / the 亩均 evaluation: indicators, score, class A–D and
    why."""
    p, lang = _start(plan, db, fmt, out, lang)
    s = parse_settings(set_)
    if by is not None:
        df = ze.muju_summary(by.value, p, db, year, s)
        y = df.attrs.get("year")
        title = _say("summary_title", lang, year=y, by=_say(f"by_{by.value}", lang))
        _banner(df, fmt, lang)
        if fmt in (Fmt.table, Fmt.xlsx) and by == By.park and "park" in df:
            df = _outside_parks_last(df, lang)
        if _write(df, fmt, out, lang, p, title):
            return
        first = by.value if by.value in df else df.columns[0]
        cols = [first, "n", "n_A", "n_B", "n_C", "n_D", "share_ab", "tax_per_mu", "va_per_mu"]
        if console.width < 100:  # 80 columns keep the names: value added per mu is in JSON/CSV/XLSX
            cols.remove("va_per_mu")
        _show(df, cols, p, lang, title, limit)
        return
    if fmt == Fmt.xlsx and level == MujuLevel.enterprises:  # the office layout: 亩均评价结果表
        data, res = ze.muju_evaluation(p, db, year, s)
        df = ze.muju(p, db, year, s, district=district, park=park, evaluation=(data, res))
        if klass is not None:
            df = df[df["klass"] == klass.value]
        _banner(df, fmt, lang)
        book = enterprise_exports.muju_workbook(p, data, replace(res, enterprises=df), lang=lang, settings=s)
        save(out, book, lang)
        return
    df = ze.muju(p, db, year, s, level=level.value, district=district, park=park)
    y = df.attrs.get("year")
    if level == MujuLevel.enterprises:
        attrs = dict(df.attrs)
        if klass is not None:
            df = df[df["klass"] == klass.value]
        df = _by_class(df).reset_index(drop=True)
        df.attrs.update(attrs)
    _banner(df, fmt, lang)
    key = {"enterprises": "muju_title", "classes": "classes_title", "benchmarks": "benchmarks_title"}[level.value]
    title = _say(key, lang, year=y, n=len(df))
    if _write(df, fmt, out, lang, p, title):
        return
    if level == MujuLevel.classes:
        _show(df, ["group", "klass", "n", "share"], p, lang, title)
    elif level == MujuLevel.benchmarks:
        _show(df, ["group", "item", "benchmark", "weight", "cap"], p, lang, title)
    else:
        _show(df, ["name", "district", "group", "score", "klass", "reasons_zh", "reasons_en"], p, lang, title, limit)
        console.print(Text(_say("legend_klass", lang), style="dim"))


@enterprise_app.command("prices")
def enterprise_prices(district: Optional[str] = DistrictOpt, year: Optional[int] = YearOpt,
                      plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt, fmt: Fmt = FmtOpt,
                      out: Optional[Path] = OutOpt, limit: int = LimitOpt, lang: Lang = LangOpt,
                      set_: Optional[List[str]] = SetOpt):
    """差别电价/水价名单：C、D 类企业的加价标准与预计加价金额 / the differentiated-price list: classes C and D with
    their surcharges and extra cost."""
    p, lang = _start(plan, db, fmt, out, lang)
    s = parse_settings(set_)
    if fmt == Fmt.xlsx:  # the office layout: 差别电价/水价名单
        data, res = ze.muju_evaluation(p, db, year, s)
        df = ze.muju_prices(p, db, year, s, district=district, evaluation=(data, res))
        _banner(df, fmt, lang)
        save(out, enterprise_exports.price_workbook(p, data, res, df, lang=lang, settings=s), lang)
        return
    df = ze.muju_prices(p, db, year, s, district=district)
    df = _by_class(df).reset_index(drop=True) if "klass" in df else df
    title = _say("prices_title", lang, year=df.attrs.get("year"), n=len(df))
    _banner(df, fmt, lang)
    if _write(df, fmt, out, lang, p, title):
        return
    _show(df, ["name", "district", "klass", "surcharge_electricity", "surcharge_water", "extra_cost"], p, lang, title,
          limit)


@enterprise_app.command("changes")
def enterprise_changes(district: Optional[str] = DistrictOpt, year: Optional[int] = YearOpt,
                       every: bool = typer.Option(False, "--all", help="也列出类别不变的企业 / also the enterprises "
                                                                       "whose class stayed"),
                       plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt, fmt: Fmt = FmtOpt,
                       out: Optional[Path] = OutOpt, limit: int = LimitOpt, lang: Lang = LangOpt,
                       set_: Optional[List[str]] = SetOpt):
    """亩均类别较上年的变化及原因（下降的在前）/ how each enterprise's class changed from the year before and why
    (falls first)."""
    p, lang = _start(plan, db, fmt, out, lang)
    df = ze.muju_changes(p, db, year, parse_settings(set_), district=district)
    y = df.attrs.get("year")
    if "change" in df:
        attrs = dict(df.attrs)
        df = df.assign(_o=df["change"].map(CHANGE_ORDER).fillna(9)).sort_values("_o", kind="stable").drop(columns="_o")
        if not every and fmt == Fmt.table:
            df = df[df["change"] != "same"]
        df = df.reset_index(drop=True)
        df.attrs.update(attrs)
    title = _say("changes_title", lang, year=y, prev=(y - 1) if y else "")
    _banner(df, fmt, lang)
    if _write(df, fmt, out, lang, p, title):
        return
    _show(df, ["name", "district", "klass_before", "klass_now", "change", "reasons_zh", "reasons_en"], p, lang, title,
          limit)


@enterprise_app.command("srdi")
def enterprise_srdi(closest: bool = typer.Option(False, "--closest", help="只看各区县最接近认定标准的企业 / only "
                                                                          "the candidates closest to qualifying, "
                                                                          "per district"),
                    per_district: int = typer.Option(5, "--per-district", min=1, help="--closest 时每个区县的企业数 / "
                                                                                      "candidates per district "
                                                                                      "with --closest"),
                    district: Optional[str] = DistrictOpt, year: Optional[int] = YearOpt,
                    plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt, fmt: Fmt = FmtOpt,
                    out: Optional[Path] = OutOpt, limit: int = LimitOpt, lang: Lang = LangOpt,
                    set_: Optional[List[str]] = SetOpt):
    """专精特新筛查：基本条件、各项得分与失分、距认定标准差几分 / 专精特新 screening: eligibility, points got and
    missed, how far from qualifying."""
    p, lang = _start(plan, db, fmt, out, lang)
    df = ze.srdi_candidates(p, db, year, parse_settings(set_), closest=closest, per_district=per_district,
                            district=district)
    if "score" in df and not closest:
        attrs = dict(df.attrs)
        df = df.sort_values("score", ascending=False, kind="stable").reset_index(drop=True)
        df.attrs.update(attrs)
    key = "closest_title" if closest else "srdi_title"
    title = _say(key, lang, year=df.attrs.get("year"), n=len(df))
    _banner(df, fmt, lang)
    if _write(df, fmt, out, lang, p, title):
        return
    _show(df, ["name", "district", "score", "gap", "qualifies", "reasons_zh", "reasons_en"], p, lang, title, limit)


@enterprise_app.command("backward")
def enterprise_backward(district: Optional[str] = DistrictOpt, year: Optional[int] = YearOpt,
                        plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt, fmt: Fmt = FmtOpt,
                        out: Optional[Path] = OutOpt, limit: int = LimitOpt, lang: Lang = LangOpt,
                        set_: Optional[List[str]] = SetOpt):
    """落后产能候选企业：能耗、环保、质量、安全、技术判据中未达标的各项 / backward-capacity candidates with the
    criteria each fails (energy, environment, quality, safety, technology)."""
    p, lang = _start(plan, db, fmt, out, lang)
    df = ze.backward_candidates(p, db, year, parse_settings(set_), district=district)
    if "n_failed" in df:
        attrs = dict(df.attrs)
        df = df.sort_values("n_failed", ascending=False, kind="stable").reset_index(drop=True)
        df.attrs.update(attrs)
    title = _say("backward_title", lang, year=df.attrs.get("year"), n=len(df))
    _banner(df, fmt, lang)
    if _write(df, fmt, out, lang, p, title):
        return
    _show(df, ["name", "district", "criteria", "klass", "reasons_zh", "reasons_en"], p, lang, title, limit)


@enterprise_app.command("counts")
def enterprise_counts(tag: Optional[Tag] = typer.Option(None, "--tag", help="只看这个标签；缺省为全部标签 / one tag; "
                                                                            "default: every tag"),
                      level: Optional[TagLevel] = typer.Option(None, "--level", help="只数这个级别 / count this "
                                                                                     "level only"),
                      year: Optional[int] = YearOpt, plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt,
                      fmt: Fmt = FmtOpt, out: Optional[Path] = OutOpt, limit: int = typer.Option(0, "--limit", min=0,
                      help="表格最多行数，0 为全部 / rows in table format, 0 = all"), lang: Lang = LangOpt):
    """按标签统计的企业数：年末持有、当年新增、累计新增（自首年起）、当年失去 / enterprises per tag and year:
    holders at year end, new in the year, new since the first year shown, lost in the year."""
    p, lang = _start(plan, db, fmt, out, lang)
    df = ze.enterprise_counts(tag.value if tag else None, level.value if level else None, p, db, year)
    title = _say("counts_title", lang)
    _banner(df, fmt, lang)
    # a reader's table or workbook names the first year in the cumulative column's header
    since = df.attrs.get("new_since")
    cumulative = _say("new_cumulative_since", lang, year=since) if since else _head("new_cumulative", lang)
    view = df.rename(columns={"lost": "n_lost", "new": "new_in_year", "new_cumulative": cumulative})
    if fmt == Fmt.xlsx:
        _write(view, fmt, out, lang, p, title)
        return
    if _write(df, fmt, out, lang, p, title):
        return
    cols = ["tag", "year", "stock", "new_in_year", cumulative, "n_lost"]
    _show(view, cols[1:] if tag else cols, p, lang, title, limit)


@enterprise_app.command("import")
def enterprise_import(files: List[Path] = typer.Argument(..., metavar="FILE...",
                                                         help="一个 XLSX（企业名录、企业标签、年度指标、专精特新、园区、"
                                                              "能耗水耗表）或每表一个 CSV / one XLSX with any of the six "
                                                              "sheets, or one CSV per table"),
                      plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt, lang: Lang = LangOpt):
    """导入企业、标签、年度指标、专精特新、园区与能耗水耗数据（全部成功或全部不导入）/ import enterprise data, all
    or nothing."""
    lang = lang.value
    for f in files:
        if not f.is_file():
            raise UserError(f"文件不存在：{f}" if not f.exists() else f"不是文件而是目录：{f}，请给出要导入的文件",
                            f"file not found: {f}" if not f.exists() else f"{f} is a folder; give the file to import")
    resolve_plan(plan, db, lang)  # a plan that cannot be used is said before any file is read
    try:
        with import_progress(lang) as progress:
            # the --plan words: the import registers a plan named by path or id (its id works after)
            summary = ze.import_enterprise_data([str(f) for f in files], plan=plan, db=db, progress=progress)
    except ImportFailed as e:
        refuse_import(e.problems, lang)
    sep = "; " if lang == "en" else "，"
    rows = sep.join(_say(f"frame_{k}", lang, n=f"{summary[k]:,}") for k in ("registry", "tags", "annual", "srdi",
                                                                             "parks", "green") if k in summary)
    console.print(Text(_say("imported_line", lang, batch=summary.get("batch_id"), rows=rows)))


@enterprise_app.command("template")
def enterprise_template(out: Optional[Path] = typer.Option(None, "--out", help="写入的文件（.xlsx）；缺省为当前目录下的"
                                                                              "“企业数据导入模板.xlsx”/ the file to write "
                                                                              "(.xlsx); default: "
                                                                              "enterprise-import-template.xlsx here"),
                        plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt, lang: Lang = LangOpt):
    """空白导入模板：企业名录、企业标签、年度指标、专精特新、园区、能耗水耗六张表（各一行示例）和说明表 / the blank
    import template: the six sheets zhizao enterprise import reads, one example row each, and a sheet of the
    accepted values."""
    lang = lang.value
    if out is None:
        out = Path(_say("template_file", lang))
    if out.suffix.lower() != ".xlsx":
        raise UserError(f"模板是 Excel 工作簿：--out 请用 .xlsx 结尾的文件名（现为 {out}）",
                        f"the template is an Excel workbook: give --out a file name ending in .xlsx (not {out})")
    if out.is_dir():
        raise UserError(f"{out} 是目录：--out 请给出文件名，如 {out / _say('template_file', 'zh')}",
                        f"{out} is a folder: give --out a file name, e.g. {out / _say('template_file', 'en')}")
    p = resolve_plan(plan, db, lang)
    save(out, enterprise_exports.template_workbook(p, lang), lang)


# --- park … ------------------------------------------------------------------------------------------
def _targets_met(df: pd.DataFrame) -> pd.Series:
    """'k/n': of the park's targets that are set, how many are met (the analytics' *met* columns)."""
    met = [c for c in df.columns if "met" in c.split("_") and c != "targets_met"]
    if not met:
        return pd.Series([None] * len(df), index=df.index)

    def one(r) -> str | None:
        vals = [r[c] for c in met if isinstance(r[c], (bool,)) or (pd.notna(r[c]) and r[c] in (True, False, 0, 1))]
        return f"{sum(bool(v) for v in vals)}/{len(vals)}" if vals else None
    return df.apply(one, axis=1)


def _no_parks(df: pd.DataFrame, fmt: Fmt, lang: str) -> bool:
    """Data without parks: a line saying so and how to add them (stderr for machine formats), True."""
    if len(df):
        if df.attrs.get("no_park_system") and fmt == Fmt.table:
            console.print(Text(_say("no_park_system", lang), style="dim"))
        return False
    if fmt == Fmt.json:
        sys.stdout.write("[]\n")
    (console if fmt == Fmt.table else err).print(
        _say("no_park_system", lang) if df.attrs.get("no_park_system") else _say("no_parks", lang),
        markup=False, highlight=False)
    if df.attrs.get("no_park_system"):
        (console if fmt == Fmt.table else err).print(_say("no_parks", lang), markup=False, highlight=False)
    return True


@park_app.command("list")
def park_list(year: Optional[int] = YearOpt, plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt,
              fmt: Fmt = FmtOpt, out: Optional[Path] = OutOpt, limit: int = LimitOpt, lang: Lang = LangOpt,
              set_: Optional[List[str]] = SetOpt):
    """园区排名：亩均投资、产值、税收与用地控制指标对比，各类企业数 / parks ranked: investment, output and tax
    per mu against their land-use targets, enterprises per class."""
    p, lang = _start(plan, db, fmt, out, lang)
    df = ze.parks(p, db, year, parse_settings(set_))
    _banner(df, fmt, lang)
    if _no_parks(df, fmt, lang):
        return
    if "rank" in df:
        attrs = dict(df.attrs)
        df = df.sort_values("rank", kind="stable").reset_index(drop=True)
        df.attrs.update(attrs)
    title = _say("parks_title", lang, year=df.attrs.get("year"), n=len(df))
    if _write(df, fmt, out, lang, p, title):
        return
    cols = ["rank", "park_name", "tier", "n_enterprises", "investment_per_mu", "output_per_mu", "tax_per_mu",
            "targets_met"]
    if console.width < 100:  # 80 columns keep the names: investment per mu is in JSON/CSV/XLSX
        cols.remove("investment_per_mu")
    _show(df.assign(targets_met=_targets_met(df), park_name=df["name"]), cols, p, lang, title, limit)


@park_app.command("show")
def park_show(park: str = typer.Argument(..., metavar="ID", help="园区编号或名称（见 zhizao park list）/ park id or "
                                                                 "name"),
              year: Optional[int] = YearOpt, plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt,
              fmt: Fmt = FmtOpt, out: Optional[Path] = OutOpt, limit: int = LimitOpt, lang: Lang = LangOpt,
              set_: Optional[List[str]] = SetOpt):
    """一个园区：用地控制指标与其企业的亩均评价 / one park: its land-use results and its enterprises' 亩均
    evaluation."""
    p, lang = _start(plan, db, fmt, out, lang)
    s = parse_settings(set_)
    df = _by_class(ze.park_enterprises(park, p, db, year, s)).reset_index(drop=True)
    pid = df.attrs.get("park_id", park)
    parks = ze.parks(p, db, year, s)
    row = parks[parks["park_id"].astype(str) == str(pid)]
    df.attrs.update(parks.attrs)
    name = str(row["name"].iloc[0]) if len(row) else str(pid)
    title = _say("park_title", lang, year=df.attrs.get("year"), park=name)
    _banner(df, fmt, lang)
    if _write(df, fmt, out, lang, p, title, [(name, row)] if fmt == Fmt.xlsx else ()):
        return
    if len(row):
        facts = _words(row.assign(targets_met=_targets_met(row)), p, lang).iloc[0]
        sep = ": " if lang == "en" else "："
        console.print(Text(name, style="bold"))
        for c in ("tier", "districts", "area", "rank", "investment_per_mu", "output_per_mu", "tax_per_mu",
                  "targets_met"):
            if c in facts.index:
                head = _head("park_area" if c == "area" else c, lang)
                console.print(Text(f"  {head}{sep}{cell(facts[c], 'auto', lang)}"), overflow="fold")
    _show(df, ["name", "district", "score", "klass", "tax_per_mu", "va_per_mu"], p, lang, title, limit)


# --- green … -----------------------------------------------------------------------------------------
def _no_green(df: pd.DataFrame, fmt: Fmt, lang: str) -> bool:
    if not df.attrs.get("no_green_targets") or len(df):
        return False
    if fmt == Fmt.json:
        sys.stdout.write("[]\n")
    (console if fmt == Fmt.table else err).print(_say("no_green", lang), markup=False, highlight=False)
    return True


def _levelled(df: pd.DataFrame) -> pd.DataFrame:
    """The analytics' warning `level` (1/2/3) as `warning_level` for a reader (`level` is a tag level elsewhere)."""
    return df.rename(columns={"level": "warning_level"}) if "level" in df else df


def _green_table(df: pd.DataFrame, cols: list[str], plan, lang: str, title: str, limit: int) -> None:
    view = _levelled(df)
    _show(view, cols, plan, lang, title, limit)


def _natures(df: pd.DataFrame, plan) -> dict[str, str]:
    """{indicator id: its nature (binding, expected, unstated)} for the indicators of `df`."""
    ids = set(df["indicator"].astype(str)) if "indicator" in df else set()
    return {i.id: i.nature.value for i in plan.indicators if i.id in ids}


def _indicator_with_nature(ind_id: str, plan, natures: dict, lang: str) -> str:
    ind = next((i for i in plan.indicators if i.id == ind_id), None)
    name = ind_id if ind is None else ((ind.name_en or ind.name) if lang == "en" else ind.name)
    nature = _say(f"nature_{natures.get(ind_id, 'unstated')}", lang)
    return f"{name} ({nature})" if lang == "en" else f"{name}（{nature}）"


def _green_status_title(df: pd.DataFrame, plan, lang: str) -> str:
    """The status table's title: the measures it holds and the natures the plan gives their indicators
    (约束性 / 预期性 / 未标属性) — a plan that does not call a target binding is not said to."""
    measures = [m for m in ("energy", "water") if "measure" in df and (df["measure"] == m).any()] or ["energy", "water"]
    sep = " and " if lang == "en" else "、"
    what = sep.join(_say(f"measure_{m}", lang) for m in measures)
    natures = [n for n in ("binding", "expected", "unstated") if n in set(_natures(df, plan).values())]
    nature = ("; " if lang == "en" else "；").join(_say(f"nature_{n}", lang) for n in natures)
    return _say("green_status_title", lang, what=what, nature=nature) if nature else \
        _say("green_status_title_plain", lang, what=what)


@green_app.command("status")
def green_status(plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt, fmt: Fmt = FmtOpt,
                 out: Optional[Path] = OutOpt, limit: int = LimitOpt, lang: Lang = LangOpt,
                 set_: Optional[List[str]] = SetOpt):
    """能耗、水耗强度约束性目标：累计下降、进度要求、差距与三级预警 / energy and water intensity targets: the
    cumulative fall, the schedule, the gap and the warning level."""
    p, lang = _start(plan, db, fmt, out, lang)
    df = ze.green(p, db, None, parse_settings(set_), level="status")
    _banner(df, fmt, lang)
    if _no_green(df, fmt, lang):
        return
    title = _green_status_title(df, p, lang)
    if _write(df, fmt, out, lang, p, title):
        return
    natures = _natures(df, p)
    if len(set(natures.values())) > 1:  # mixed: each indicator says its own nature
        df = df.assign(indicator=df["indicator"].map(lambda i: _indicator_with_nature(i, p, natures, lang)))
    cols = ["indicator", "year", "yoy_change", "cumulative_change", "required_to_date", "gap_pp", "warning_level"]
    if console.width >= 120:  # the reasons repeat these numbers in words: at 80 columns they are in JSON/CSV/XLSX
        cols += ["reasons_zh", "reasons_en"]
    _green_table(df, cols, p, lang, title, limit)


@green_app.command("intensity")
def green_intensity(measure: Optional[Measure] = typer.Option(None, "--measure", help="只看能耗或水耗 / energy or "
                                                                                      "water only"),
                    district: Optional[str] = DistrictOpt, year: Optional[int] = YearOpt,
                    plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt, fmt: Fmt = FmtOpt,
                    out: Optional[Path] = OutOpt, limit: int = LimitOpt, lang: Lang = LangOpt,
                    set_: Optional[List[str]] = SetOpt):
    """逐年单位增加值能耗、水耗（全市与区县）：同比、累计变化与预警等级 / energy and water per unit of value added
    by area and year: year on year, cumulative change, warning level."""
    p, lang = _start(plan, db, fmt, out, lang)
    df = ze.green(p, db, year, parse_settings(set_), level="intensity", district=district)
    if measure is not None and "measure" in df:
        attrs = dict(df.attrs)
        df = df[df["measure"] == measure.value].reset_index(drop=True)
        df.attrs.update(attrs)
    _banner(df, fmt, lang)
    title = _say("green_intensity_title", lang)
    if _write(df, fmt, out, lang, p, title):
        return
    if df.attrs.get("no_green_targets"):
        console.print(Text(_say("no_green", lang), style="dim"))
    _green_table(df, ["measure", "area", "year", "intensity", "yoy_change", "cumulative_change", "warning_level"], p,
                 lang, title, limit)
    if len(df):
        console.print(Text(_say("intensity_units", lang), style="dim"))


@green_app.command("key-users")
def green_key_users(district: Optional[str] = DistrictOpt, year: Optional[int] = YearOpt,
                    plan: Optional[str] = PlanOpt, db: Optional[Path] = DbOpt, fmt: Fmt = FmtOpt,
                    out: Optional[Path] = OutOpt, limit: int = LimitOpt, lang: Lang = LangOpt,
                    set_: Optional[List[str]] = SetOpt):
    """重点用能企业：能耗、增加值（现价）、强度及其变化、占能耗增量的比重 / key energy users: energy, value added
    (current prices), intensity and its change, share of the rise in energy use."""
    p, lang = _start(plan, db, fmt, out, lang)
    df = ze.green(p, db, year, parse_settings(set_), level="key_users", district=district)
    title = _say("key_users_title", lang, year=df.attrs.get("year"), n=len(df))
    _banner(df, fmt, lang)
    # the enterprise's intensity is energy per value added: its unit in the header (tce per 10k yuan)
    view = df.rename(columns={"intensity": "energy_intensity"})
    if _write(view if fmt == Fmt.xlsx else df, fmt, out, lang, p, title):
        return
    _show(view, ["name", "district", "energy", "energy_intensity", "intensity_change", "share_of_change"], p, lang, title,
          limit)


# --- zhizao warnings ------------------------------------------------------------------------------------
def enterprise_rules() -> dict:
    """The enterprise, park and green warning rules and their titles."""
    return labels.TABLES["cli_enterprise_rule"]


def warnings_source_line(w: pd.DataFrame, out_console, lang: str) -> None:
    """The line above the warnings table saying where the enterprise warnings' data come from."""
    head, _ = ze.enterprise_source_words(dict(w.attrs), lang)
    origin = labels.label("chain_words", "synthetic", lang) if w.attrs.get("synthetic") else ""
    out_console.print(Text(_say("warn_source", lang) + " · ".join(x for x in (origin, head) if x),
                           style="bold yellow" if w.attrs.get("synthetic") else "dim"))


def enterprise_warning_rows(plan, db, settings, severity_rank: int, rules, severity_order: dict, out_console,
                            lang: str, fmt: str) -> pd.DataFrame:
    """The plan's enterprise, park and green warnings (api_enterprises.enterprise_warnings), filtered as the
    monitoring ones (severity at most `severity_rank` in `severity_order`, `rules` if given); in table format
    a line says where their data come from."""
    w = ze.enterprise_warnings(plan, db, None, settings)
    if fmt == "table" and len(w):
        warnings_source_line(w, out_console, lang)
    attrs = dict(w.attrs)
    if "evidence" in w:  # the monitoring table reads evidence as a dict
        w = w.assign(evidence=w["evidence"].map(lambda e: e if isinstance(e, dict) else {}))
    w = w[w["severity"].map(severity_order).fillna(9) <= severity_rank]
    w = w[w["rule"].isin(rules)] if rules else w
    w.attrs.update(attrs)
    return w
