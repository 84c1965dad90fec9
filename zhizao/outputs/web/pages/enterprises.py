"""企业、园区与绿色约束性指标 (issue 13): the enterprise registry, 亩均效益 evaluation with its
差别电价/水价 list, 专精特新 screening, backward-capacity candidates, parks and their land-use targets,
and the binding energy and water intensity targets.

Everything is computed by the `zhizao.api_enterprises` functions over the plan's enterprise data (the
store's imports, else the labelled synthetic default), once per store version (`_call`); the pages
only pick, scope and word the frames. One generic table (`Col`, `table`) serves every page: the page,
its JSON twin and its CSV/XLSX exports are built from the same rows, so they cannot disagree.

Enterprise rows follow the row rules of auth.py, as the chain pages do: a city user sees every
enterprise, a district user those registered in their district (the others are counted, never
named), a guest counts only. Aggregates (classes, summaries, parks, the area's energy and water) are
public. A plan without a park system or without energy/water targets says so instead of failing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Callable
from urllib.parse import quote

import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import Response

from zhizao import formatting, labels
from zhizao.codes.industries import industry_code_name
from zhizao.errors import UserError
from zhizao.ingest.enterprise_frames import TAGS
from zhizao.outputs import enterprise_exports
from zhizao.outputs.web.auth import audit, not_visible
from zhizao.outputs.web.i18n import pick, t
from zhizao.outputs.web.pages.common import Ctx, page_context
from zhizao.outputs.web.pages.districts import place_name
from zhizao.outputs.web.render import cell_number, frame, respond
from zhizao.settings import Settings

from zhizao import api_enterprises as ent_api

router = APIRouter()

PAGES = ("/enterprises", "/enterprises/{enterprise_id}", "/muju", "/srdi", "/parks", "/parks/{park_id}", "/green")
UPLOAD = "/data/enterprises/upload"  # pages/data.py: the enterprise files, city-level data (import_city)
TEMPLATE = "/data/enterprises/template"  # the blank import template (enterprise_exports.template_workbook)
WORKBOOKS = {"results": "/muju/results.xlsx", "prices": "/muju/prices.xlsx"}  # 亩均评价结果表, 差别电价名单
# every page public: enterprise names and codes on them are row-scoped (`visible`), and so are the
# office workbooks; app.py registers these at / and under /p/<plan_id>/
PERMISSIONS = {**{("GET", p): "read_public" for p in (*PAGES, TEMPLATE, *WORKBOOKS.values())},
               ("POST", UPLOAD): "import_city"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

CLASSES = ("A", "B", "C", "D")
CLASS_COLOURS = {"A": "#1a9850", "B": "#91cf60", "C": "#fc8d59", "D": "#d73027"}
LEVEL_COLOURS = {1: "#c0392b", 2: "#e6b800", 3: "#1a9850"}  # 能耗双控 一级红 二级黄 三级绿
GREEN_CONCEPTS = {"energy": "energy_per_unit_industrial_va_above_scale",
                  "water": "water_per_unit_industrial_va_above_scale"}
TOP = 50  # rows of an enterprise table shown at once; the rest folded, all in the exports
# rows a page renders at most (shown and folded): 12,000 enterprises in four tables made a 29 MB page that
# took 20 s to render; the rest are in the table's CSV/XLSX and the JSON twin
HTML_ROWS = 1000
SUBNAV = (("enterprises", "/enterprises", "ent_nav_registry"), ("muju", "/muju", "ent_nav_muju"),
          ("srdi", "/srdi", "ent_nav_srdi"), ("parks", "/parks", "ent_nav_parks"), ("green", "/green", "ent_nav_green"))
ID_TEXT = re.compile(r"^[0-9A-Za-z_-]{1,40}$")  # an enterprise's or park's id in an address


# --- the analyses, once per store version -------------------------------------------------------
def _api(ctx: Ctx):
    return ent_api


def enterprise_data(ctx: Ctx):
    """The plan's EnterpriseData (imported, else the synthetic default), read once per store version."""
    api = _api(ctx)
    return ctx.state.cached(("ent_data",), lambda: api.enterprise_data(db=ctx.state.db, plan=ctx.plan))


def _call(ctx: Ctx, name: str, **kw) -> pd.DataFrame:
    """`api_enterprises.<name>(plan, db, **kw)` once per store version and arguments; shared by every
    user (scope its enterprise rows with `visible`)."""
    api = _api(ctx)

    def compute() -> pd.DataFrame:
        try:
            return getattr(api, name)(plan=ctx.plan, db=ctx.state.db, **kw)
        except UserError as e:  # e.g. no figures for the year before: the table says why, the page stands
            out = pd.DataFrame()
            out.attrs["message"] = (e.reason_zh, e.reason_en)
            return out
    return ctx.state.cached(("ent", name, tuple(sorted(kw.items()))), compute)


def enterprise_batch_key(state) -> str | None:
    """The plan's enterprise data version (None: the synthetic default or not yet available): what the
    monitoring page's enterprise warnings change with (page_cache keeps that page by it)."""
    data = state.cached(("ent_data",), lambda: ent_api.enterprise_data(db=state.db, plan=state.plan))
    return data.batch_id


def years(ctx: Ctx, frame_name: str = "annual") -> list[int]:
    """The years of one of the enterprise frames ("annual" by default, "green" for the area table)."""
    df = getattr(enterprise_data(ctx), frame_name)
    return sorted({int(y) for y in pd.to_numeric(df["year"], errors="coerce").dropna()}) if len(df) else []


def pick_year(ctx: Ctx, year: str | None, known: list[int] | None = None) -> int | None:
    """The year asked (one of `known`, by default the annual figures' years), else the latest; 422 naming
    the years for any other."""
    known = years(ctx) if known is None else known
    if not year:
        return known[-1] if known else None
    if year.isdigit() and int(year) in known:
        return int(year)
    sep = ", " if ctx.lang == "en" else "、"
    raise HTTPException(422, t("ent_bad_year", ctx.lang).format(
        value=year[:20], years=sep.join(map(str, known)) or formatting.MISSING))


def data_info(ctx: Ctx) -> dict:
    """Where the enterprise data come from (the synthetic label first when they are synthetic)."""
    d = enterprise_data(ctx)
    source, note = _api(ctx).enterprise_source_words(d, ctx.lang)
    source = source + (("; " if ctx.lang == "en" else "；") + note if note else "")
    spans = {k: span(years(ctx, k), ctx.lang) for k in ("annual", "green")}
    # the data's own years first: an import's date says when it was read, not what it covers
    covered = ("; " if ctx.lang == "en" else "；").join(t(f"ent_years_{k}", ctx.lang).format(years=v)
                                                         for k, v in spans.items() if v) or formatting.MISSING
    when = t("ent_as_of_synthetic" if d.synthetic else "ent_imported_on", ctx.lang).format(
        as_of=d.as_of or formatting.MISSING)
    return {"synthetic": bool(d.synthetic), "synthetic_label": t("ent_synthetic", ctx.lang) if d.synthetic else None,
            "source": d.source, "as_of": d.as_of, "batch_id": d.batch_id, "empty": bool(d.is_empty),
            "years": {k: years(ctx, k) for k in spans},
            "notice": t("ent_source", ctx.lang).format(source=source or formatting.MISSING, years=covered, when=when)}


def span(ys: list[int], lang: str) -> str:
    """2022—2024 (2022–2024 in English), one year alone, "" for none."""
    if not ys:
        return ""
    return str(ys[0]) if ys[0] == ys[-1] else f"{ys[0]}{'–' if lang == 'en' else '—'}{ys[-1]}"


# --- who may see which enterprise ---------------------------------------------------------------
def district_of(ctx: Ctx) -> dict[str, str]:
    reg = enterprise_data(ctx).registry
    return dict(zip(reg["enterprise_id"], reg["district"].fillna(""))) if len(reg) else {}


def can_name(ctx: Ctx, district: Any) -> bool:
    """Whether the user may see an enterprise of `district` by name and code (auth.User.can_see_region)."""
    if ctx.user.level == "city":
        return True
    return isinstance(district, str) and bool(district) and ctx.user.can_see_region(district)


def visible(ctx: Ctx, df: pd.DataFrame | None) -> tuple[pd.DataFrame, int]:
    """(the enterprise rows of `df` the user may see, how many others there are). A frame without
    enterprise_id is an aggregate: every row, for everyone. The district is the registry's."""
    if df is None:
        return pd.DataFrame(), 0
    if "enterprise_id" not in df.columns or ctx.user.level == "city" or df.empty:
        return df, 0
    where = df["district"] if "district" in df.columns else df["enterprise_id"].map(district_of(ctx))
    mine = where.map(lambda d: can_name(ctx, d)).astype(bool)
    return df[mine], int((~mine).sum())


# --- words --------------------------------------------------------------------------------------
def district_words(ctx: Ctx, code: Any) -> str:
    if not isinstance(code, str) or not code:
        return ""
    return place_name(code, ctx.region_name(code), ctx.lang)


def industry_words(code: Any, lang: str) -> str:
    """A GB/T 4754 code with its name (223 纸制品制造; in English the NBS's division name and the code)."""
    if code is None or (isinstance(code, float) and pd.isna(code)) or code == "":
        return ""
    code = str(code)
    name = industry_code_name(code, lang)
    if name == code:
        return code
    return name if code in name else f"{code} {name}"


def area_words(ctx: Ctx, code: Any, fallback: Any = None) -> str:
    """An area of the green table: a district by its name (English where known), the whole area by the
    plan's name (in English "Whole area" and its code: the plan names it in Chinese only)."""
    words = district_words(ctx, code)
    if words and (ctx.lang != "en" or words != ctx.region_name(code)):
        return words
    regions = ctx.plan.regions
    if regions is not None and code == regions.whole_code:
        return t("ent_whole_area", ctx.lang).format(code=code) if ctx.lang == "en" else regions.whole_name
    return words or str(fallback or code or "")


def tag_words(tag: Any, lang: str) -> str:
    key = f"ent_tag_{tag}"
    return t(key, lang) if key in labels.UI else str(tag or "")


def word(prefix: str, code: Any, lang: str) -> str:
    """A coded value in words (labels.UI `<prefix>_<code>`), else the code as given."""
    if code is None or (isinstance(code, float) and pd.isna(code)) or code == "":
        return ""
    key = f"{prefix}_{code}"
    return t(key, lang) if key in labels.UI else str(code)


def _items(v: Any) -> list:
    """A list cell as a list: a list or tuple as it is, text split at ; 、 or , (the frames may join them)."""
    if isinstance(v, (list, tuple, set)):
        return list(v)
    if hasattr(v, "tolist") and not isinstance(v, str):
        return list(v.tolist())
    if isinstance(v, str) and v:
        return [x.strip() for x in re.split(r"[;；、,，]", v) if x.strip()]
    return []


# --- one table: columns, scoped rows, the page's cells, the export ------------------------------
@dataclass(frozen=True)
class Col:
    key: str  # the frame's column
    label: str  # labels.UI key, or the words themselves when `raw`
    kind: str = "text"  # text num int pct klass bool district districts tag tags level reasons list criteria
    #                     green_level measure group change size unit area industry indicator share (a fraction as %)
    digits: int | None = None
    raw: bool = False

    def head(self, lang: str) -> str:
        return self.label if self.raw else t(self.label, lang)

    @property
    def numeric(self) -> bool:
        return self.kind in ("num", "int", "pct", "share")


def cell(ctx: Ctx, col: Col, row: dict) -> Any:
    """A value as the page, its JSON twin and the export carry it: numbers as numbers, codes in words."""
    lang, v = ctx.lang, row.get(col.key)
    if col.kind == "reasons":
        text = row.get("reasons_en" if lang == "en" else "reasons_zh")
        return text if isinstance(text, str) else ""
    if col.kind == "share":  # a fraction (what the analytics give) shown as a percent
        x = cell_number(v)
        return None if x is None else cell_number(100 * x)
    if col.numeric:
        x = cell_number(v)
        return None if x is None else (int(round(x)) if col.kind == "int" else x)
    if col.kind == "bool":
        if v is None or (isinstance(v, float) and pd.isna(v)):
            return ""
        return t("ent_yes" if bool(v) else "ent_no", lang)
    if col.kind == "district":
        return district_words(ctx, v)
    if col.kind == "industry":
        return industry_words(v, lang)
    if col.kind == "indicator":  # the plan's own name of the indicator, English on an English page
        ind = next((i for i in ctx.plan.indicators if i.id == row.get("indicator")), None)
        return pick(ind.name, getattr(ind, "name_en", None), lang) if ind is not None else str(v or "")
    if col.kind == "area":
        return area_words(ctx, v, row.get("area_name"))
    if col.kind == "districts":
        return (", " if lang == "en" else "、").join(district_words(ctx, x) for x in _items(v))
    if col.kind == "tag":
        return tag_words(v, lang)
    if col.kind == "tags":
        return (", " if lang == "en" else "、").join(tag_words(x, lang) for x in _items(v))
    if col.kind == "criteria":
        return (", " if lang == "en" else "、").join(word("ent_criterion", x, lang) for x in _items(v))
    if col.kind == "list":
        return (", " if lang == "en" else "、").join(word("ent_item", x, lang) for x in _items(v))
    if col.kind == "green_level":
        x = cell_number(v)
        return word("ent_green_level", int(x), lang) if x is not None else ""
    if col.kind in ("level", "measure", "group", "change", "size", "unit"):
        return word(f"ent_{col.kind}", v, lang)
    if col.kind == "klass":
        return v if v in CLASSES else ""
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    return str(v)


def table(ctx: Ctx, name: str, df: pd.DataFrame | None, cols: list[Col], *, title: str, help: str | None = None,
          link: bool = True, empty: str | None = None, top: int | None = TOP, more_url: str | None = None) -> dict:
    """A page's table `name`: the columns `df` has among `cols`, its rows the user may see (`hidden`
    counts the others), each enterprise row with the address of its page."""
    df = df if df is not None else pd.DataFrame()
    shown, hidden = visible(ctx, df)
    cols = [c for c in cols if c.key in df.columns or (c.kind == "reasons" and "reasons_zh" in df.columns)]
    rows = []
    for r in shown.to_dict(orient="records"):
        out = {c.key: cell(ctx, c, r) for c in cols}
        eid = r.get("enterprise_id")
        if link and isinstance(eid, str) and eid:
            out["_url"] = f"{ctx.base}/enterprises/{quote(eid, safe='')}"
        if "klass" in r:
            out["_klass"] = r.get("klass") if r.get("klass") in CLASSES else ""
        if "level" in r and any(c.kind == "green_level" for c in cols):
            x = cell_number(r.get("level"))
            out["_level"] = int(x) if x is not None else None
        rows.append(out)
    return {"name": name, "title": title, "help": help, "hidden": hidden, "total": len(df),
            "enterprise_rows": "enterprise_id" in df.columns, "top": top, "more_url": more_url, "limit": HTML_ROWS,
            "empty": _message(df, ctx.lang) or empty or t("ent_none", ctx.lang),
            "columns": [{"key": c.key, "label": c.head(ctx.lang), "kind": c.kind, "numeric": c.numeric,
                         "digits": c.digits} for c in cols],
            "rows": rows}


def _message(df: pd.DataFrame, lang: str) -> str | None:
    m = df.attrs.get("message")
    return (m[1] if lang == "en" else m[0]) if m else None


def table_frame(tb: dict, info: dict, lang: str) -> pd.DataFrame:
    """The table as a spreadsheet: the page's columns and cells; synthetic data labelled in the first column."""
    heads = [c["label"] for c in tb["columns"]]
    df = frame([dict(zip(heads, (r.get(c["key"]) for c in tb["columns"]))) for r in tb["rows"]], columns=heads)
    if info.get("synthetic"):
        df.insert(0, t("source", lang), info["synthetic_label"])
    return df


def named(tables: list[dict]) -> int:
    """Enterprise rows a page's JSON twin hands out (an audited export when there are any)."""
    return sum(len(tb["rows"]) for tb in tables if tb["enterprise_rows"])


def _title(ctx: Ctx, *what: str) -> str:
    return " · ".join([*what, pick(ctx.plan.plan.title, ctx.plan.plan.title_en, ctx.lang)])


def _page(ctx: Ctx, page: str, template: str, d: dict, title: str, tables: list[dict], target: str,
          charts: dict | None = None, status_code: int = 200):
    """The page, its JSON twin or one of its tables (render.respond)."""
    d = {"plan": ctx.plan.plan.id, "data": data_info(ctx), "subnav": subnav(ctx, page), "page_title": title,
         "tables": tables, **d}
    exports = {tb["name"]: (lambda tb=tb: table_frame(tb, d["data"], ctx.lang)) for tb in tables}
    return respond(ctx.request, template, d, lang=ctx.lang, user=ctx.user, page=page, title=_title(ctx, title),
                   charts=charts, tables=exports, exported=(target, named(tables)),
                   status_code=status_code)


def subnav(ctx: Ctx, page: str) -> list[dict]:
    return [{"id": k, "label": t(label, ctx.lang), "url": f"{ctx.base}{href}", "active": page.startswith(k)}
            for k, href, label in SUBNAV]


# --- the columns ----------------------------------------------------------------------------------
# the name first: the column that stays in view while a wide table scrolls on a phone (app.css)
ID = [Col("name", "ent_col_name"), Col("enterprise_id", "ent_col_enterprise_id")]
INDUSTRY = Col("industry_class", "ent_col_industry_class", "industry")
WHERE = [Col("district", "ent_col_district", "district"), Col("park", "ent_col_park"), INDUSTRY]
MUJU_ITEMS = ("tax_per_mu", "va_per_mu", "va_per_energy", "va_per_emission", "labour_productivity", "rd_intensity",
              "tax_per_kwh")
REGISTRY = [*ID, *WHERE, Col("size", "ent_col_size", "size"), Col("tags", "ent_col_tags", "tags"),
            Col("established", "ent_col_established")]
MUJU = [*ID, Col("district", "ent_col_district", "district"), Col("park", "ent_col_park"),
        INDUSTRY, Col("group", "ent_col_group", "group"),
        Col("land_area", "ent_col_land_area", "num", 1), *(Col(k, f"ent_col_{k}", "num", 2) for k in MUJU_ITEMS),
        Col("score", "ent_col_score", "num", 1), Col("rank", "ent_col_rank", "int"), Col("klass", "ent_col_klass", "klass"),
        Col("imputed", "ent_col_imputed", "list"), Col("reasons", "ent_col_reasons", "reasons")]
CLASS_TABLE = [Col("group", "ent_col_group", "group"), Col("klass", "ent_col_klass", "klass"),
               Col("n", "ent_col_n", "int"), Col("share", "ent_col_share", "share", 1)]
BENCHMARKS = [Col("group", "ent_col_group", "group"), Col("item", "ent_col_item", "list"),
              Col("benchmark", "ent_col_benchmark", "num", 2), Col("weight", "ent_col_weight", "num", 1),
              Col("cap", "ent_col_cap", "num", 2)]
COUNTS_BY = [Col("n", "ent_col_n", "int"), *(Col(f"n_{k}", f"ent_col_n_{k}", "int") for k in CLASSES),
             Col("share_ab", "ent_col_share_ab", "share", 1), Col("tax_per_mu", "ent_col_tax_per_mu", "num", 2),
             Col("va_per_mu", "ent_col_va_per_mu", "num", 2), Col("score", "ent_col_mean_score", "num", 1),
             Col("mean_score", "ent_col_mean_score", "num", 1)]
PRICES = [*ID, Col("district", "ent_col_district", "district"), Col("klass", "ent_col_klass", "klass"),
          Col("score", "ent_col_score", "num", 1), Col("electricity", "ent_col_electricity", "num", 1),
          Col("surcharge_electricity", "ent_col_surcharge_electricity", "num", 3),
          Col("water", "ent_col_water", "num", 0), Col("surcharge_water", "ent_col_surcharge_water", "num", 3),
          Col("extra_cost", "ent_col_extra_cost", "num", 1), Col("reasons", "ent_col_reasons", "reasons")]
CHANGES = [*ID, Col("district", "ent_col_district", "district"), Col("klass_before", "ent_col_klass_before", "klass"),
           Col("klass_now", "ent_col_klass_now", "klass"), Col("change", "ent_col_change", "change"),
           Col("score_change", "ent_col_score_change", "num", 1), Col("reasons", "ent_col_reasons", "reasons")]
BACKWARD = [*ID, Col("district", "ent_col_district", "district"), INDUSTRY,
            Col("criteria", "ent_col_criteria", "criteria"), Col("n_failed", "ent_col_n_failed", "int"),
            Col("klass", "ent_col_klass", "klass"), Col("reasons", "ent_col_reasons", "reasons")]
# the points missed per item are in the reasons, in words (missed_points holds the items' codes)
SRDI = [*ID, Col("district", "ent_col_district", "district"), Col("score", "ent_col_score", "num", 1),
        Col("gap", "ent_col_srdi_gap", "num", 1),
        *(Col(f"check_{k}", f"ent_col_check_{k}", "bool") for k in ("niche", "rd", "revenue", "score")),
        Col("eligible", "ent_col_eligible", "bool"), Col("qualifies", "ent_col_qualifies", "bool"),
        Col("reasons", "ent_col_reasons", "reasons")]
COUNTS = [Col("tag", "ent_col_tag", "tag"), Col("level", "ent_col_level", "level"), Col("year", "ent_col_year"),
          Col("stock", "ent_col_stock", "int"), Col("new", "ent_col_new", "int"), Col("lost", "ent_col_lost_n", "int")]
TAG_HISTORY = [Col("tag", "ent_col_tag", "tag"), Col("level", "ent_col_level", "level"),
               Col("acquired", "ent_col_acquired"), Col("lost", "ent_col_lost")]
ANNUAL = [Col("year", "ent_col_year"), Col("land_area", "ent_col_land_area", "num", 1),
          Col("revenue", "ent_col_revenue", "num", 0), Col("value_added", "ent_col_value_added", "num", 0),
          Col("tax", "ent_col_tax", "num", 0), Col("energy", "ent_col_energy", "num", 0),
          Col("electricity", "ent_col_electricity", "num", 1), Col("water", "ent_col_water", "num", 0),
          Col("emissions", "ent_col_emissions", "num", 1), Col("rd_expense", "ent_col_rd_expense", "num", 0),
          Col("employees", "ent_col_employees", "int")]
PARK_FIGURES = ("investment_per_mu", "output_per_mu", "tax_per_mu")
GREEN = [Col("indicator_name", "ent_col_indicator", "indicator"), Col("measure", "ent_col_measure", "measure"),
         Col("area", "ent_col_area", "area"), Col("year", "ent_col_year"),
         Col("intensity", "ent_col_intensity", "num", 4), Col("intensity_unit", "ent_col_unit", "unit"), Col("yoy_change", "ent_col_yoy_change", "pct", 1),
         Col("base_year", "ent_col_base_year"), Col("cumulative_change", "ent_col_cumulative_change", "pct", 1),
         Col("required_to_date", "ent_col_required_to_date", "pct", 1), Col("gap_pp", "ent_col_gap_pp", "num", 1),
         Col("level", "ent_col_green_level", "green_level"), Col("binding", "ent_col_binding", "bool"),
         Col("reasons", "ent_col_reasons", "reasons")]
KEY_USERS = [*ID, Col("district", "ent_col_district", "district"), Col("energy", "ent_col_energy", "num", 0),
             Col("energy_change", "ent_col_energy_change", "num", 0), Col("value_added", "ent_col_value_added_current", "num", 0), Col("intensity", "ent_col_ent_intensity", "num", 3),
             Col("intensity_change", "ent_col_intensity_change", "pct", 1),
             Col("share_of_change", "ent_col_share_of_change", "share", 1), Col("reasons", "ent_col_reasons", "reasons")]


def park_columns(ctx: Ctx, df: pd.DataFrame) -> list[Col]:
    """The park table's columns: fixed ones, then each land-use figure with its target, whether it is met
    and the gap, under whichever of the usual names the frame gives them."""
    cols = [Col("name", "ent_col_park_name"), Col("rank", "ent_col_rank", "int"), Col("park_id", "ent_col_park_id"),
            Col("tier_name", "ent_col_tier"), Col("districts", "ent_col_districts", "districts"),
            Col("area", "ent_col_park_area", "num", 0), Col("land_used", "ent_col_land_used", "num", 0),
            Col("n_enterprises", "ent_col_n", "int")]
    if "tier_name" not in df.columns:
        cols.insert(3, Col("tier", "ent_col_tier"))
    for x in PARK_FIGURES:
        head = t(f"ent_col_{x}", ctx.lang)
        cols.append(Col(x, f"ent_col_{x}", "num", 2))
        for key, what, kind in ((f"target_{x}", "ent_target", "num"), (f"{x}_target", "ent_target", "num"),
                                (f"{x}_met", "ent_met", "bool"), (f"met_{x}", "ent_met", "bool"),
                                (f"{x}_gap", "ent_gap", "num"), (f"gap_{x}", "ent_gap", "num")):
            if key in df.columns:
                cols.append(Col(key, f"{head} · {t(what, ctx.lang)}", kind, 2 if kind == "num" else None, raw=True))
    cols += [Col("gap", "ent_gap", "num", 2), *(Col(f"n_{k}", f"ent_col_n_{k}", "int") for k in CLASSES),
             Col("reasons", "ent_col_reasons", "reasons")]
    return cols


def park_names(ctx: Ctx) -> dict[str, str]:
    parks = enterprise_data(ctx).parks
    return dict(zip(parks["park_id"], parks["name"])) if len(parks) else {}


def with_park_names(ctx: Ctx, df: pd.DataFrame) -> pd.DataFrame:
    """A frame's park ids as the parks' names (an id the parks frame lacks stays as given)."""
    if df is None or df.empty or "park" not in df.columns:
        return df
    names = park_names(ctx)
    return df.assign(park=df["park"].map(lambda p: names.get(p, p) if isinstance(p, str) else ""))


# --- /enterprises ---------------------------------------------------------------------------------
def _choice(ctx: Ctx, value: str | None, allowed: dict[str, str], what: str) -> str | None:
    """A filter's value: one of `allowed` (code → words), else 422 naming them."""
    if not value:
        return None
    if value in allowed:
        return value
    sep = ", " if ctx.lang == "en" else "、"
    known = sep.join(f"{k} {v}" if v != k else k for k, v in list(allowed.items())[:40])
    raise HTTPException(422, t("ent_bad_choice", ctx.lang).format(what=t(what, ctx.lang), value=value[:40],
                                                                  known=known or formatting.MISSING))


def once(ctx: Ctx, *names: str) -> None:
    """422 when a filter is given more than once (?district=A&district=B): the pages take one of each and
    would otherwise answer for the last one silently."""
    for name in names:
        if len(ctx.request.query_params.getlist(name)) > 1:
            raise HTTPException(422, t("ent_param_twice", ctx.lang).format(name=name))


def districts_offered(ctx: Ctx) -> dict[str, str]:
    regions = ctx.plan.regions
    codes = [d.code for d in regions.districts] if regions else []
    return {c: district_words(ctx, c) for c in codes}


@router.get("/enterprises")
def enterprises_page(ctx: Ctx = Depends(page_context), district: str | None = Query(None),
                     tag: str | None = Query(None), park: str | None = Query(None)):
    once(ctx, "district", "tag", "park", "year")
    district = _choice(ctx, district, districts_offered(ctx), "ent_col_district")
    tag = _choice(ctx, tag, {x: tag_words(x, ctx.lang) for x in TAGS}, "ent_col_tag")
    park = _choice(ctx, park, park_names(ctx), "ent_col_park")
    reg = _call(ctx, "enterprises", district=district, park=park, tag=tag)
    counts = _call(ctx, "enterprise_counts", tag=None, level=None)  # every tag's yearly stock, new, lost: public
    tables = [table(ctx, "enterprises", with_park_names(ctx, reg), REGISTRY, title=t("ent_registry", ctx.lang)),
              table(ctx, "tag_counts", counts, COUNTS, title=t("ent_tag_counts", ctx.lang),
                    help=t("ent_tag_counts_help", ctx.lang))]
    d = {"filters": {"district": district, "tag": tag, "park": park,
                     "districts": [{"code": k, "name": v} for k, v in districts_offered(ctx).items()],
                     "tags": [{"code": x, "name": tag_words(x, ctx.lang)} for x in TAGS],
                     "parks": [{"code": k, "name": v} for k, v in park_names(ctx).items()]},
         "intro": t("ent_registry_intro", ctx.lang)}
    return _page(ctx, "enterprises", "enterprises.html", d, t("ent_nav_registry", ctx.lang), tables, "enterprises")


@router.get("/enterprises/{enterprise_id}")
def enterprise_page(enterprise_id: str, ctx: Ctx = Depends(page_context), year: str | None = Query(None)):
    once(ctx, "year")
    data = enterprise_data(ctx)
    reg = data.registry
    row = reg[reg["enterprise_id"] == enterprise_id] if ID_TEXT.match(enterprise_id) and len(reg) else reg.iloc[0:0]
    if row.empty or not can_name(ctx, row.iloc[0]["district"]):
        raise not_visible(ctx.lang)  # outside the user's view: as if it did not exist
    e = row.iloc[0].to_dict()
    y = pick_year(ctx, year)
    tags = data.tags[data.tags["enterprise_id"] == enterprise_id] if len(data.tags) else data.tags
    annual = data.annual[data.annual["enterprise_id"] == enterprise_id].sort_values("year") if len(data.annual) \
        else data.annual
    mine = lambda df: df[df["enterprise_id"] == enterprise_id] if df is not None and len(df) and "enterprise_id" in df.columns else pd.DataFrame()  # noqa: E731
    items = scored_items(_call(ctx, "muju", level="benchmarks", year=y)) if y else {}
    muju = only_scored(mine(_call(ctx, "muju", level="enterprises", year=y)), items) if y else pd.DataFrame()
    change = mine(_call(ctx, "muju_changes", year=y)) if y else pd.DataFrame()
    srdi = mine(_call(ctx, "srdi_candidates", closest=False, year=y)) if y else pd.DataFrame()
    backward = mine(_call(ctx, "backward_candidates", year=y)) if y else pd.DataFrame()
    strip = lambda cols: [c for c in cols if c.key not in ("enterprise_id", "name", "district", "park", "industry_class")]  # noqa: E731
    tables = [table(ctx, "tags", tags.assign(enterprise_id=enterprise_id), TAG_HISTORY, title=t("ent_tag_history", ctx.lang),
                    link=False),
              table(ctx, "annual", annual, ANNUAL, title=t("ent_annual", ctx.lang), link=False),
              table(ctx, "muju", muju, strip(MUJU), title=t("ent_nav_muju", ctx.lang), link=False),
              table(ctx, "change", change, strip(CHANGES), title=t("ent_changes", ctx.lang), link=False),
              table(ctx, "srdi", srdi, strip(SRDI), title=t("ent_srdi_screen", ctx.lang), link=False,
                    empty=t("ent_srdi_not_candidate", ctx.lang)),
              table(ctx, "backward", backward, strip(BACKWARD), title=t("ent_backward", ctx.lang), link=False,
                    empty=t("ent_backward_none_one", ctx.lang))]
    park = e.get("park") or ""
    d = {"enterprise": {"id": enterprise_id, "name": e.get("name"), "district": district_words(ctx, e.get("district")),
                        "park": park_names(ctx).get(park, park), "park_url": f"{ctx.base}/parks/{quote(park)}" if park else None,
                        "industry_class": industry_words(e.get("industry_class"), ctx.lang),
                        "size": word("ent_size", e.get("size"), ctx.lang),
                        "established": e.get("established") or ""},
         "year": y, "years": years(ctx), "crumb": {"label": t("ent_nav_registry", ctx.lang), "url": f"{ctx.base}/enterprises"}}
    return _page(ctx, "enterprises_one", "enterprises_one.html", d, str(e.get("name")), tables, f"enterprises:{enterprise_id}")


# --- /muju ----------------------------------------------------------------------------------------
def scored_items(benchmarks: pd.DataFrame | None) -> dict[str, list[str]]:
    """group → the items it is scored on (weight > 0 in the evaluation's benchmarks): 规下 enterprises on
    fewer items (tax per mu and per kWh by the published practice) than 规上 ones."""
    if benchmarks is None or benchmarks.empty or not {"group", "item"} <= set(benchmarks.columns):
        return {}
    b = benchmarks
    if "weight" in b.columns:
        b = b[pd.to_numeric(b["weight"], errors="coerce").fillna(0) > 0]
    return {g: list(dict.fromkeys(x["item"])) for g, x in b.groupby("group", sort=False)}


def only_scored(df: pd.DataFrame | None, items: dict[str, list[str]]) -> pd.DataFrame | None:
    """Each row's figures of the items its group is not scored on blanked (a 规上 row shows no 单位电耗税收)."""
    if df is None or df.empty or not items or "group" not in df.columns:
        return df
    out = df.copy()
    for item in MUJU_ITEMS:
        if item in out.columns:
            unused = ~out["group"].map(lambda g: item in items.get(g, MUJU_ITEMS)).astype(bool)
            out[item] = out[item].astype(float).mask(unused)
    return out


def muju_help(ctx: Ctx, items: dict[str, list[str]]) -> str:
    """The results table's help: how a score is made, the item cap (a score can exceed 100) and which
    group is scored on which items."""
    sep = ", " if ctx.lang == "en" else "、"
    groups = [t("ent_muju_items", ctx.lang).format(group=word("ent_group", g, ctx.lang),
                                                   items=sep.join(word("ent_item", i, ctx.lang) for i in its))
              for g, its in items.items()]
    cap = Settings()["muju_item_cap"]
    parts = [t("ent_muju_help", ctx.lang),
             t("ent_muju_cap", ctx.lang).format(cap=formatting.number(cap), example=formatting.number(30 * cap)) if cap else "",
             *groups]
    return (" " if ctx.lang == "en" else "").join(p for p in parts if p)


def class_chart(ctx: Ctx, classes: pd.DataFrame) -> dict | None:
    """The classes as stacked bars per group (规上 / 规下): how many enterprises in each of A–D."""
    if classes is None or classes.empty or not {"klass", "n"} <= set(classes.columns):
        return None
    groups = list(dict.fromkeys(classes["group"])) if "group" in classes.columns else [""]
    names = [word("ent_group", g, ctx.lang) or t("ent_all", ctx.lang) for g in groups]
    series = []
    for k in CLASSES:
        values = []
        for g in groups:
            sel = classes[(classes["klass"] == k) & ((classes["group"] == g) if "group" in classes.columns else True)]
            values.append(int(sel["n"].sum()) if len(sel) else 0)
        series.append({"name": t("ent_class_name", ctx.lang).format(k=k), "type": "bar", "stack": "n",
                       "itemStyle": {"color": CLASS_COLOURS[k]}, "data": values, "label": {"show": True}})
    return {"animation": False, "tooltip": {"trigger": "axis"}, "legend": {"top": 0},
            "grid": {"left": 60, "right": 20, "top": 36, "bottom": 30},
            "xAxis": {"type": "value", "name": t("ent_col_n", ctx.lang)},
            "yAxis": {"type": "category", "data": names}, "series": series}


@router.get("/muju")
def muju_page(ctx: Ctx = Depends(page_context), year: str | None = Query(None)):
    once(ctx, "year")
    y = pick_year(ctx, year)
    get = (lambda name, **kw: _call(ctx, name, year=y, **kw)) if y else (lambda name, **kw: pd.DataFrame())
    classes = get("muju", level="classes")
    items = scored_items(get("muju", level="benchmarks"))
    summaries = [table(ctx, f"by_{by}", with_park_names(ctx, get("muju_summary", by=by)).rename(columns={by: "_by"}),
                       [Col("_by", f"ent_by_{by}", {"district": "district", "industry": "industry"}.get(by, "text")),
                        *COUNTS_BY],
                       title=t(f"ent_summary_{by}", ctx.lang)) for by in ("district", "park", "industry")]
    tables = [table(ctx, "classes", classes, CLASS_TABLE, title=t("ent_classes", ctx.lang), help=t("ent_classes_help", ctx.lang)),
              *summaries,
              table(ctx, "enterprises", only_scored(with_park_names(ctx, get("muju", level="enterprises")), items), MUJU,
                    title=t("ent_muju_results", ctx.lang), help=muju_help(ctx, items)),
              table(ctx, "prices", get("muju_prices"), PRICES, title=t("ent_prices", ctx.lang),
                    help=t("ent_prices_help", ctx.lang)),
              table(ctx, "changes", get("muju_changes"), CHANGES, title=t("ent_changes", ctx.lang)),
              table(ctx, "backward", get("backward_candidates"), BACKWARD, title=t("ent_backward", ctx.lang),
                    help=t("ent_backward_help", ctx.lang)),
              table(ctx, "benchmarks", get("muju", level="benchmarks"), BENCHMARKS, title=t("ent_benchmarks", ctx.lang))]
    chart = class_chart(ctx, classes)
    d = {"year": y, "years": years(ctx), "intro": t("ent_muju_intro", ctx.lang),
         "workbooks": workbook_links(ctx, y),
         "chart": {"name": "classes", "title": t("ent_classes", ctx.lang), "height": 220} if chart else None}
    return _page(ctx, "muju", "enterprises.html", d, t("ent_nav_muju", ctx.lang), tables, "muju",
                 charts={"classes": chart} if chart else None)


# --- the office workbooks of /muju and the import template of /data ------------------------------------
def workbook_links(ctx: Ctx, year: int | None) -> list[dict]:
    """The 亩均评价结果表 and 差别电价名单 downloads, for users who may see enterprises by name (the rows
    are theirs: a district user's district); none for a guest, who would get empty sheets."""
    if year is None or ctx.user.level not in ("city", "district"):
        return []
    q = f"?year={year}" + ("&lang=en" if ctx.lang == "en" else "")
    return [{"kind": k, "label": t(f"ent_workbook_{k}", ctx.lang), "url": f"{ctx.base}{path}{q}"}
            for k, path in WORKBOOKS.items()]


def _xlsx(body: bytes, filename: str) -> Response:
    return Response(body, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _workbook(ctx: Ctx, kind: str, year: str | None) -> Response:
    """One office workbook of the year's evaluation with the enterprises the user may see (404 for a user
    who may see none); handing them out is an export, audited as the table exports are."""
    once(ctx, "year")
    y = pick_year(ctx, year)
    if y is None or ctx.user.level not in ("city", "district"):
        raise not_visible(ctx.lang)
    ents, _ = visible(ctx, _call(ctx, "muju", level="enterprises", year=y))
    result = SimpleNamespace(enterprises=ents, benchmarks=_call(ctx, "muju", level="benchmarks", year=y),
                             classes=_call(ctx, "muju", level="classes", year=y), year=y)
    data = enterprise_data(ctx)
    if kind == "results":
        rows, body = len(ents), enterprise_exports.muju_workbook(ctx.plan, data, result, lang=ctx.lang)
    else:
        prices, _ = visible(ctx, _call(ctx, "muju_prices", year=y))
        rows = len(prices)
        body = enterprise_exports.price_workbook(ctx.plan, data, result, prices, lang=ctx.lang)
    audit(ctx.request, "export", f"muju:{kind}", rows=rows, detail={"format": "xlsx", "path": ctx.request.url.path})
    return _xlsx(body, f"zhizao-muju-{kind}-{y}.xlsx")


@router.get(WORKBOOKS["results"])
def muju_results_workbook(ctx: Ctx = Depends(page_context), year: str | None = Query(None)):
    return _workbook(ctx, "results", year)


@router.get(WORKBOOKS["prices"])
def muju_prices_workbook(ctx: Ctx = Depends(page_context), year: str | None = Query(None)):
    return _workbook(ctx, "prices", year)


@router.get(TEMPLATE)
def import_template(ctx: Ctx = Depends(page_context)):
    """The blank import template of the plan (six sheets, one example row each, a 说明 sheet), zh or en."""
    body = enterprise_exports.template_workbook(ctx.plan, ctx.lang)
    return _xlsx(body, f"zhizao-enterprise-template-{ctx.plan.plan.id}-{ctx.lang}.xlsx")


# --- /srdi ----------------------------------------------------------------------------------------
@router.get("/srdi")
def srdi_page(ctx: Ctx = Depends(page_context), year: str | None = Query(None)):
    once(ctx, "year")
    y = pick_year(ctx, year)
    get = (lambda name, **kw: _call(ctx, name, year=y, **kw)) if y else (lambda name, **kw: pd.DataFrame())
    tables = [table(ctx, "closest", get("srdi_candidates", closest=True), SRDI, title=t("ent_srdi_closest", ctx.lang),
                    help=t("ent_srdi_closest_help", ctx.lang)),
              table(ctx, "candidates", get("srdi_candidates", closest=False), SRDI, title=t("ent_srdi_screen", ctx.lang),
                    help=t("ent_srdi_help", ctx.lang))]
    d = {"year": y, "years": years(ctx), "intro": t("ent_srdi_intro", ctx.lang)}
    return _page(ctx, "srdi", "enterprises.html", d, t("ent_nav_srdi", ctx.lang), tables, "srdi")


# --- /parks ----------------------------------------------------------------------------------------
def park_system(ctx: Ctx) -> dict | None:
    ps = ctx.plan.park_system
    if ps is None:
        return None
    return {"name": pick(ps.name, ps.name_en, ctx.lang), "section": ps.section, "quote": ps.quote,
            "tiers": [{"id": x.id, "name": pick(x.name, x.name_en, ctx.lang), "count": x.count} for x in ps.tiers]}


@router.get("/parks")
def parks_page(ctx: Ctx = Depends(page_context), year: str | None = Query(None)):
    once(ctx, "year")
    y = pick_year(ctx, year)
    parks = _call(ctx, "parks", year=y) if y else pd.DataFrame()
    if ctx.lang == "en" and "tier_name_en" in parks.columns:
        parks = parks.assign(tier_name=parks["tier_name_en"].where(parks["tier_name_en"].notna(), parks["tier_name"]))
    if len(parks) and "park_id" in parks.columns:
        parks = parks.assign(_url=[f"{ctx.base}/parks/{quote(str(p), safe='')}" for p in parks["park_id"]])
    tb = table(ctx, "parks", parks, park_columns(ctx, parks), title=t("ent_parks", ctx.lang), help=t("ent_parks_help", ctx.lang))
    for r, url in zip(tb["rows"], parks["_url"] if "_url" in parks.columns else []):
        r["_url"] = url
    system = park_system(ctx)
    message = None if system or len(enterprise_data(ctx).parks) else t("ent_no_parks", ctx.lang)
    d = {"year": y, "years": years(ctx), "intro": t("ent_parks_intro", ctx.lang), "park_system": system,
         "message": message}
    return _page(ctx, "parks", "enterprises.html", d, t("ent_nav_parks", ctx.lang), [tb], "parks")


@router.get("/parks/{park_id}")
def park_page(park_id: str, ctx: Ctx = Depends(page_context), year: str | None = Query(None)):
    once(ctx, "year")
    names = park_names(ctx)
    if park_id not in names:
        sep = ", " if ctx.lang == "en" else "、"
        known = sep.join(list(names)[:20]) + ("…" if len(names) > 20 else "")
        if not names:
            raise HTTPException(404, t("ent_park_none", ctx.lang).format(id=park_id[:40], url=f"{ctx.base}/parks"))
        raise HTTPException(404, t("ent_park_unknown", ctx.lang).format(id=park_id[:40], known=known,
                                                                        url=f"{ctx.base}/parks"))
    y = pick_year(ctx, year)
    parks = _call(ctx, "parks", year=y) if y else pd.DataFrame()
    row = parks[parks["park_id"] == park_id] if len(parks) else parks
    ents = _call(ctx, "park_enterprises", park_id=park_id, year=y) if y else pd.DataFrame()
    items = scored_items(_call(ctx, "muju", level="benchmarks", year=y)) if y else {}
    tables = [table(ctx, "park", row, park_columns(ctx, row), title=t("ent_park_figures", ctx.lang), link=False),
              table(ctx, "enterprises", only_scored(with_park_names(ctx, ents), items), MUJU,
                    title=t("ent_park_enterprises", ctx.lang), help=muju_help(ctx, items) if len(ents) else None)]
    raw = enterprise_data(ctx).parks
    p = raw[raw["park_id"] == park_id].iloc[0].to_dict()
    d = {"year": y, "years": years(ctx),
         "park": {"id": park_id, "name": p.get("name"), "tier": p.get("tier"),
                  "districts": cell(ctx, Col("districts", "", "districts"), p),
                  "leading_industries": p.get("leading_industries") or ""},
         "crumb": {"label": t("ent_nav_parks", ctx.lang), "url": f"{ctx.base}/parks"}}
    return _page(ctx, "parks_one", "enterprises.html", d, str(p.get("name")), tables, f"parks:{park_id}")


# --- /green ---------------------------------------------------------------------------------------
def green_indicators(ctx: Ctx) -> list:
    return [i for i in ctx.plan.indicators if getattr(i, "concept", None) in GREEN_CONCEPTS.values()]


GREY = "#b8bec6"  # the districts' lines: context for the whole area's, not a legend of 39 colours
WHOLE_COLOUR = "#1f5fa8"


def intensity_chart(ctx: Ctx, df: pd.DataFrame, measure: str) -> dict | None:
    """Yearly intensity per area for one measure: the whole area first, thick and coloured; the districts
    thin grey lines (named on hover), those whose latest year is a level-1 (red) warning in red and in the
    legend. The y axis names the intensity and its unit, beside the axis (clear of the legend above)."""
    if df is None or df.empty or not {"measure", "area", "year", "intensity"} <= set(df.columns):
        return None
    sel = df[df["measure"] == measure].drop_duplicates(["area", "year"])
    if sel.empty:
        return None
    yrs = sorted({int(y) for y in sel["year"].dropna()})
    whole = ctx.plan.regions.whole_code if ctx.plan.regions else None
    unit = next((str(u) for u in sel.get("intensity_unit", pd.Series(dtype=object)).dropna() if str(u)), "")
    series, legend = [], []
    for area, g in sorted(sel.groupby("area", sort=False), key=lambda kv: kv[0] != whole):
        g = g.sort_values("year")
        by = {int(y): cell_number(v) for y, v in zip(g["year"], g["intensity"])}
        name = area_words(ctx, area, g["area_name"].iloc[0] if "area_name" in g.columns else None)
        last = cell_number(g["level"].iloc[-1]) if "level" in g.columns else None
        red = last == 1
        if area == whole:
            style, z = {"width": 4, "color": WHOLE_COLOUR}, 4
        else:
            style, z = {"width": 1.5 if red else 1, "color": LEVEL_COLOURS[1] if red else GREY}, 3 if red else 2
        if area == whole or red:
            legend.append(name)
        series.append({"name": name, "type": "line", "data": [by.get(y) for y in yrs], "connectNulls": False,
                       "symbol": "circle" if area == whole else "none", "lineStyle": style,
                       "itemStyle": {"color": style["color"]}, "z": z,
                       "emphasis": {"focus": "series", "lineStyle": {"width": 3}}})
    unit = word("ent_unit", unit, ctx.lang)
    axis = t(f"ent_intensity_{measure}", ctx.lang) + (f" ({unit})" if ctx.lang == "en" else f"（{unit}）") * bool(unit)
    return {"animation": False, "tooltip": {"trigger": "item", "confine": True},
            "legend": {"type": "scroll", "top": 0, "data": legend},
            "grid": {"left": 64, "right": 16, "top": 36, "bottom": 28, "containLabel": True},
            "xAxis": {"type": "category", "data": [str(y) for y in yrs]},
            "yAxis": {"type": "value", "name": axis, "nameLocation": "middle", "nameGap": 48, "scale": True},
            "series": series}


def intensity_rows(ctx: Ctx, df: pd.DataFrame, year: int | None) -> tuple[pd.DataFrame, int]:
    """The area table in reading order and how many rows open it: the whole area's years first, then each
    district in `year` (default the latest); every other row after them (folded on the page, all in the
    exports)."""
    if df is None or df.empty or not {"area", "year"} <= set(df.columns):
        return df, 0
    whole = ctx.plan.regions.whole_code if ctx.plan.regions else None
    yr = pd.to_numeric(df["year"], errors="coerce")
    latest = year if year is not None and (yr == year).any() else int(yr.max())
    is_whole = df["area"].astype(str) == str(whole)
    first = is_whole | (yr == latest)
    key = pd.DataFrame({"f": ~first, "w": ~is_whole, "m": df["measure"].astype(str) if "measure" in df else "",
                        "a": df["area"].astype(str), "y": -yr}, index=df.index)
    order = key.sort_values(["f", "w", "m", "a", "y"]).index
    return df.loc[order], int(first.sum())


@router.get("/green")
def green_page(ctx: Ctx = Depends(page_context), year: str | None = Query(None),
               all_rows: str | None = Query(None, alias="all")):
    once(ctx, "year", "all")
    annual, green_years = years(ctx), years(ctx, "green")
    y = pick_year(ctx, year, sorted(set(annual) | set(green_years)))
    status = _call(ctx, "green", level="status")
    intensity = _call(ctx, "green", level="intensity")
    users = _call(ctx, "green", level="key_users", year=y) if y in annual else pd.DataFrame()
    if y is not None and y not in annual:  # a year of the area table only: no enterprise figures to list
        users.attrs["message"] = (t("ent_no_annual_year", "zh").format(year=y), t("ent_no_annual_year", "en").format(year=y))
    ordered, first = intensity_rows(ctx, intensity, y)
    full = all_rows in ("1", "true", "yes")
    more = None if full or len(ordered) <= first else f"{ctx.base}/green?" + "&".join(
        x for x in (f"year={y}" if year else "", "lang=en" if ctx.lang == "en" else "", "all=1") if x) + "#section-intensity"
    tables = [table(ctx, "status", status, GREEN, title=t("ent_green_status", ctx.lang), help=t("ent_green_help", ctx.lang)),
              table(ctx, "intensity", ordered, GREEN, title=t("ent_green_intensity", ctx.lang),
                    help=t("ent_green_intensity_help", ctx.lang), top=None if full else max(first, 1), more_url=more),
              table(ctx, "key_users", users, KEY_USERS, title=t("ent_key_users", ctx.lang), help=t("ent_key_users_help", ctx.lang))]
    charts = {f"intensity_{m}": c for m in GREEN_CONCEPTS for c in [intensity_chart(ctx, intensity, m)] if c}
    levels = [{"level": k, "label": word("ent_green_level", k, ctx.lang), "colour": c} for k, c in LEVEL_COLOURS.items()]
    d = {"year": y, "years": sorted(set(annual) | set(green_years)), "intro": t("ent_green_intro", ctx.lang), "levels": levels,
         "message": None if green_indicators(ctx) else t("ent_no_green", ctx.lang), "all": full,
         "charts": [{"name": k, "title": t(f"ent_intensity_{k.split('_', 1)[1]}", ctx.lang), "height": 340,
                     "note": t("ent_chart_note", ctx.lang)} for k in charts]}
    return _page(ctx, "green", "enterprises.html", d, t("ent_nav_green", ctx.lang), tables, "green", charts=charts or None)


# --- the monitoring page's enterprise and green warnings -----------------------------------------
def warning_rows(ctx: Ctx, rows_of: Callable[[pd.DataFrame, str], list[dict]]) -> tuple[list[dict], dict | None]:
    """The plan's enterprise and green warnings (api_enterprises.enterprise_warnings, WARNING_COLUMNS) as
    the monitoring page's rows (`rows_of`: monitoring_view.chain_warning_rows, which words any warning
    frame), each with the address of its page and its own data's origin (`synthetic`, `source`: the
    enterprise data's, not the monitoring folder's). The warnings are aggregates, for every user; the
    credit codes a backward-capacity warning's evidence names are scoped to the viewer (`scope_evidence`).
    """
    data = enterprise_data(ctx)
    base = getattr(ctx, "base", "")

    def compute():
        w = _call(ctx, "enterprise_warnings")
        w.attrs.update(synthetic=bool(data.synthetic))
        out = []
        for r in rows_of(w, ctx.lang):
            url = {"park_below_target": f"{base}/parks/{quote(str(r['subject_id']), safe='')}",
                   "enterprise_backward": f"{base}/muju#section-backward"}.get(r["rule"], f"{base}/green")
            # titled by the enterprise analytics' words (monitoring_view knows the monitoring and chain rules)
            out.append({**r, "rule_title": rule_title(r["rule"], ctx.lang), "district": None, "url": url,
                        "enterprise": True, "synthetic": bool(data.synthetic), "source": data.source or ""})
        return out

    info = {"source": data.source, "as_of": data.as_of, "synthetic": bool(data.synthetic)}
    rows = ctx.state.cached(("ent_warning_rows", ctx.lang, base), compute)
    return [scope_evidence(ctx, w) for w in rows], info


def rule_title(rule: str, lang: str) -> str:
    """An enterprise warning rule's title (labels.ENTERPRISE_RULE), else the rule as given."""
    return labels.label("enterprise_rule", rule, lang) if rule in labels.ENTERPRISE_RULE else rule


def scope_evidence(ctx: Ctx, w: dict) -> dict:
    """A warning with the enterprises its evidence names cut to the viewer's: a city user all of them, a
    district user those registered in their district, anyone else none (the counts stay)."""
    ev = w.get("evidence")
    if not isinstance(ev, dict) or not ev.get("enterprises"):
        return w
    user = getattr(ctx, "user", None)
    if user is not None and user.level == "city":
        return w
    where = district_of(ctx)
    keep = [e for e in _items(ev["enterprises"]) if user is not None and can_name(ctx, where.get(e))]
    return {**w, "evidence": {**ev, "enterprises": keep}}


def named_in_evidence(rows: list[dict]) -> int:
    """Credit codes the warnings' evidence hands out (the JSON twin's: an audited export when any)."""
    return sum(len(_items((w.get("evidence") or {}).get("enterprises")))
               for w in rows if isinstance(w.get("evidence"), dict))
