"""产业链 Chains (issue 12): the plan's industrial chains, each chain as a layered graph of its links
coloured by risk grade, a link with its enterprises and supply relations, and the disruption what-if.

Everything is computed by `zhizao.analytics.chains` over `api.chain_data` (the store's chain batch, else
the labelled synthetic default), once per store version (`_analysis`); the pages only pick, scope and
word it. Enterprise names and codes follow the row rules of auth.py: a city user sees every enterprise,
a district user those producing in their district (the others are counted, never named), a guest none.
A plan without chain maps gets the same pages saying so (本规划未列产业链图谱), never an error.
"""
from __future__ import annotations

import dataclasses
import io
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from zhizao import api, formatting, labels
from zhizao.analytics import chains as chain_analytics
from zhizao.analytics.chains.data import ChainData
from zhizao.codes import regions as codes_regions
from zhizao.outputs import chain_exports
from zhizao.outputs.web.auth import User, audit, may
from zhizao.outputs.web.i18n import pick, t
from zhizao.outputs.web.pages.common import Ctx, page_context
from zhizao.outputs.web.pages.districts import place_name
from zhizao.outputs.web.render import cell_number, frame, respond
from zhizao.plan.spec import ChainStage
from zhizao.settings import Settings

router = APIRouter()

GRADES = ("high", "medium", "low")
GRADE_COLOURS = {"high": "#c0392b", "medium": "#e08214", "low": "#1a9850", "none": "#9e9e9e"}
STATUSES = ("missing", "weak", "covered")
LOCATIONS = ("local", "region", "domestic", "abroad")
MAX_SCENARIOS = 3  # what-if scenarios compared side by side
MAX_PICKS = 50
# what a scenario's comparison shows (analytics.chains.whatif SUMMARY_KEYS), in this order
SUMMARY_SHOWN = ("removed", "links_lost", "links_stopped", "local_links_lost", "links_weakened", "enterprises_affected",
                 "output_at_risk_downstream", "output_at_risk")  # enterprises, districts or regions in one scenario (a longer query is a mistake)
ROW_HEIGHT = 90  # px per link of the fullest stage: the graph's height
REGION_CODE = re.compile(r"^\d{2}$")  # a GB/T 2260 province prefix
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")  # ISO 3166-1 alpha-2

NAME_MAX = api.SCENARIO_NAME_MAX  # characters of a scenario's name (the form's maxlength; a longer one is refused)
TOP = 20  # rows of a long table shown at once (what-if, members, relations); the rest folded or in the export
TOP_LIST = 10  # critical enterprises listed before the fold (each a few lines on a phone)


# --- the analysis, once per store version -------------------------------------------------------
@dataclass(frozen=True)
class Analysis:
    data: ChainData
    summary: pd.DataFrame  # per chain
    coverage: pd.DataFrame  # per (chain, link)
    risk: Any  # analytics ChainRisk: .links, .relations, .enterprises
    critical: pd.DataFrame
    backups: pd.DataFrame
    gaps: pd.DataFrame
    location: dict  # enterprise_id -> local / region / domestic / abroad
    enterprises: dict  # enterprise_id -> {name, district, country, output}


def _analysis(ctx: Ctx) -> Analysis | None:
    """The plan's chain analysis (None for a plan without chain maps); shared by every user: scope it."""
    if not ctx.plan.chains:
        return None
    return ctx.state.cached(("chains_analysis",), lambda: analyse(ctx.plan, api.chain_data(ctx.state.db, ctx.plan)))


def chain_batch_key(state) -> str | None:
    """The plan's active chain batch (None: the synthetic default, or no chain maps), read once per store
    version: what the monitoring page's chain warnings change with (page_cache keeps that page by it)."""
    if not state.plan.chains:
        return None

    def read():
        with state._open() as store:
            info = store.chain_batch(state.plan.plan.id)
        return info["batch_id"] if info else None
    return state.cached(("chain_batch",), read)


def analyse(plan, data: ChainData, settings: Settings | None = None) -> Analysis:
    """Every analytic the pages show, over one ChainData (a thin layer over zhizao.analytics.chains):
    the risk grading once, the summary, critical nodes and backups reuse it."""
    settings = settings or Settings()
    risk = chain_analytics.risk(plan, data, settings)
    ents = data.enterprises
    located = chain_analytics.locate(ents, plan) if not ents.empty else pd.Series(dtype=object)
    location = dict(zip(ents["enterprise_id"], located))
    enterprises = {r["enterprise_id"]: r for r in ents.to_dict(orient="records")}
    return Analysis(data=data, summary=chain_analytics.chain_summary(plan, data, settings, chain_risk=risk),
                    coverage=risk.coverage, risk=risk, critical=risk.critical,
                    backups=chain_analytics.backups(plan, data, risk, settings),
                    gaps=chain_analytics.gaps(plan, data, settings, chain_risk=risk),
                    location=location, enterprises=enterprises)


# --- words --------------------------------------------------------------------------------------
def grade_label(grade: Any, lang: str) -> str:
    return t(f"chain_grade_{grade}", lang) if grade in GRADES else formatting.MISSING


def status_label(status: Any, lang: str) -> str:
    if status == "no_data":  # a chain without any member in the data (analytics): 无数据, the grey of the map
        return t("chain_grade_none", lang)
    return t(f"chain_status_{status}", lang) if status in STATUSES else formatting.MISSING


def stage_label(stage: Any, lang: str) -> str:
    return labels.label("chain_stage", getattr(stage, "value", stage), lang)


def role_label(role: Any, lang: str) -> str:
    return t(f"chain_role_{role}", lang) if f"chain_role_{role}" in labels.UI else str(role)


def reasons(row: dict, lang: str) -> str:
    text = row.get("reasons_en" if lang == "en" else "reasons_zh")
    return text if isinstance(text, str) else ""


def province_name(plan, prefix: str, lang: str) -> str:
    """An outside province by its GB/T 2260 prefix (codes.regions); a prefix that names no province (a
    fictional plan's) but lies in the plan's supply region by that region's name, else the code said so."""
    prefix = str(prefix)[:2]
    name = codes_regions.province_name(prefix, lang)
    if name:
        return name
    sr = plan.supply_region
    if sr is not None and any(str(x)[:2] == prefix for x in sr.division_prefixes):
        return pick(sr.name, sr.name_en, lang)
    return t("chain_province_code", lang).format(code=prefix)


def place(ctx: Ctx, a: Analysis, eid: str, shown: bool = True) -> str | None:
    """Where an enterprise produces, in words: the plan's district, else the province, else the country.
    For an enterprise the user may not see (`shown` False) only the province outside the plan's area:
    never a district of the plan (it would all but name a district's few enterprises), never a country."""
    e = a.enterprises.get(eid) or {}
    district, country = e.get("district") or "", e.get("country") or ""
    where = a.location.get(eid)
    if not shown:
        return province_name(ctx.plan, district, ctx.lang) if where in ("region", "domestic") and district else None
    if where == "local":
        return ctx.region_name(district) if ctx.lang != "en" else _district_en(ctx, district)
    if where == "abroad" or not district:  # the location class already says 境外: the country's code
        return country or formatting.MISSING
    return province_name(ctx.plan, district, ctx.lang)


def _district_en(ctx: Ctx, code: str) -> str:
    return place_name(code, ctx.region_name(code), "en")


def location_label(where: Any, ctx: Ctx) -> str:
    if where == "region" and ctx.plan.supply_region is not None:
        return pick(ctx.plan.supply_region.name, ctx.plan.supply_region.name_en, ctx.lang)
    return t(f"chain_loc_{where}", ctx.lang) if where in LOCATIONS else formatting.MISSING


# --- who may see which enterprise ---------------------------------------------------------------
def can_name(user: User, a: Analysis, eid: str) -> bool:
    """Whether `user` may see this enterprise's name and code (auth.User.can_see_region of where it produces)."""
    if user.level == "city":
        return True
    e = a.enterprises.get(eid)
    return e is not None and user.can_see_region(e.get("district") or None)


def enterprise_cell(ctx: Ctx, a: Analysis, eid: str) -> dict:
    """An enterprise as a cell: its name and code when the user may see them, else only where it is."""
    shown = can_name(ctx.user, a, eid)
    e = a.enterprises.get(eid) or {}
    return {"id": eid if shown else None, "name": (e.get("name") if shown else None), "shown": shown,
            "location": a.location.get(eid), "location_label": location_label(a.location.get(eid), ctx),
            "place": place(ctx, a, eid, shown)}


# --- shared page data ---------------------------------------------------------------------------
def data_info(ctx: Ctx, a: Analysis | None) -> dict:
    """Where the chain data come from (the synthetic label first when they are synthetic)."""
    if a is None:
        return {"synthetic": False, "synthetic_label": None, "source": None, "as_of": None, "batch_id": None}
    d = a.data
    # the source in the page's language (the generator writes its note in both): a file name as given
    source, note = api.chain_source_words(d, ctx.lang)
    source = source + (("; " if ctx.lang == "en" else "；") + note if note else "")
    return {"synthetic": bool(d.synthetic), "synthetic_label": t("chain_synthetic", ctx.lang) if d.synthetic else None,
            "source": d.source, "as_of": d.as_of, "batch_id": d.batch_id,
            "notice": t("chain_source", ctx.lang).format(source=source or formatting.MISSING,
                                                         as_of=d.as_of or formatting.MISSING)}


def _records(df: pd.DataFrame | None, **where) -> list[dict]:
    if df is None or df.empty:
        return []
    mask = pd.Series(True, index=df.index)
    for col, value in where.items():
        if col in df.columns:
            mask &= df[col] == value
    return df[mask].to_dict(orient="records")


def _chain(ctx: Ctx, chain_id: str):
    for c in ctx.plan.chains:
        if c.id == chain_id:
            return c
    if not ctx.plan.chains:
        raise HTTPException(404, t("chain_none", ctx.lang))
    known = ("、" if ctx.lang != "en" else ", ").join(c.id for c in ctx.plan.chains)
    raise HTTPException(404, t("chain_unknown", ctx.lang).format(id=chain_id[:60], known=known))


def _link(ctx: Ctx, chain, link_id: str):
    for lk in chain.links:
        if lk.id == link_id:
            return lk
    known = ("、" if ctx.lang != "en" else ", ").join(lk.id for lk in chain.links)
    raise HTTPException(404, t("chain_link_unknown", ctx.lang).format(id=link_id[:60], chain=chain.id, known=known))


def _title(ctx: Ctx, *what: str) -> str:
    return " · ".join([*what, t("nav_chains", ctx.lang), pick(ctx.plan.plan.title, ctx.plan.plan.title_en, ctx.lang)])


def _int(v) -> int | None:
    x = cell_number(v)
    return None if x is None else int(x)


def _names(ctx: Ctx, a: Analysis, ids) -> dict:
    """Names the user may see among `ids` and how many others there are."""
    ids = list(dict.fromkeys(ids))
    shown = [enterprise_cell(ctx, a, i) for i in ids if can_name(ctx.user, a, i)]
    return {"shown": shown, "hidden": len(ids) - len(shown)}


# --- /chains -------------------------------------------------------------------------------------
def chains_data(ctx: Ctx, a: Analysis | None) -> dict:
    rows = []
    summary = {r["chain"]: r for r in _records(a.summary)} if a is not None else {}
    members = a.data.members if a is not None else None
    for c in ctx.plan.chains:
        s = summary.get(c.id, {})
        leaders = [] if members is None or members.empty else \
            list(members.loc[(members["chain"] == c.id) & (members["role"] == "leader"), "enterprise_id"])
        rows.append({"id": c.id, "name": pick(c.name, c.name_en, ctx.lang), "section": c.section,
                     "cluster": c.cluster, "cluster_name": _cluster_name(ctx, c.cluster),
                     "links": len(c.links), "missing": _int(s.get("missing")), "weak": _int(s.get("weak")),
                     "local_share": cell_number(s.get("local_share")), "region_share": cell_number(s.get("region_share")),
                     "high_risk_links": _int(s.get("high_risk_links")), "enterprises": _int(s.get("enterprises")),
                     "leaders": _names(ctx, a, leaders) if a is not None else {"shown": [], "hidden": 0},
                     "url": f"{ctx.base}/chains/{c.id}"})
    region = ctx.plan.supply_region
    return {"plan": ctx.plan.plan.id, "has_chains": bool(ctx.plan.chains),
            "message": None if ctx.plan.chains else t("chain_none", ctx.lang),
            "supply_region": pick(region.name, region.name_en, ctx.lang) if region else None,
            "data": data_info(ctx, a), "chains": rows, "downloads": download_links(ctx)}


def _cluster_name(ctx: Ctx, cluster_id: str) -> str:
    for c in getattr(ctx.plan, "clusters", []) or []:
        if c.id == cluster_id:
            return pick(c.name, getattr(c, "name_en", None), ctx.lang)
    return cluster_id


def chains_frame(d: dict, lang: str) -> pd.DataFrame:
    sep = "、" if lang != "en" else "; "
    heads = [t(k, lang) for k in ("chain_name", "chain_cluster", "chain_links", "chain_missing", "chain_weak",
                                  "chain_local_share", "chain_region_share", "chain_high_risk_links",
                                  "chain_enterprises", "chain_leaders")]
    heads[5] += "（%）" if lang != "en" else " (%)"
    heads[6] += "（%）" if lang != "en" else " (%)"
    out = [dict(zip(heads, (r["name"], r["cluster_name"], r["links"], r["missing"], r["weak"], _pct(r["local_share"]),
                            _pct(r["region_share"]), r["high_risk_links"], r["enterprises"],
                            _leaders_text(r["leaders"], lang, sep)))) for r in d["chains"]]
    return _labelled(frame(out, columns=heads), d["data"], lang)


def _pct(v) -> float | None:
    return None if v is None else cell_number(100 * v)


def _leaders_text(leaders: dict, lang: str, sep: str) -> str:
    names = [e["name"] for e in leaders["shown"] if e["name"]]
    if leaders["hidden"]:
        names.append(t("chain_others_count", lang).format(n=leaders["hidden"]))
    return sep.join(names)


def _labelled(df: pd.DataFrame, info: dict, lang: str) -> pd.DataFrame:
    """A table of synthetic data says so in its first column (as the monitoring exports do)."""
    if info.get("synthetic"):
        df.insert(0, t("source", lang), info["synthetic_label"])
    return df


@router.get("/chains")
def chains_page(ctx: Ctx = Depends(page_context)):
    a = _analysis(ctx)
    d = chains_data(ctx, a)
    shown = sum(len(r["leaders"]["shown"]) for r in d["chains"])
    return respond(ctx.request, "chains.html", d, lang=ctx.lang, user=ctx.user, page="chains", title=_title(ctx),
                   tables={"chains": lambda: chains_frame(d, ctx.lang)}, exported=("chains", shown))


# --- downloads: /chains/download and /chains/{chain_id}/download?format=xlsx|graphml --------------
# Declared before /chains/{chain_id}, which would take "download" for a chain id.
DOWNLOADS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "graphml": "application/graphml+xml"}


def download_links(ctx: Ctx, chain_id: str | None = None) -> list[dict]:
    """The download links a page shows (none when the user may not download)."""
    path = f"{ctx.base}/chains/{chain_id}/download" if chain_id else f"{ctx.base}/chains/download"
    if not ctx.plan.chains or not may(ctx.user, path):
        return []
    lang = "&lang=en" if ctx.lang == "en" else ""
    return [{"format": f, "label": t(f"chain_download_{f}", ctx.lang), "url": f"{path}?format={f}{lang}"}
            for f in DOWNLOADS]


def visible_ids(user: User, a: Analysis) -> set[str] | None:
    """The enterprises `user` may see by name and code; None for every one (a city user)."""
    if user.level == "city":
        return None
    return {eid for eid in a.enterprises if can_name(user, a, eid)}


def scoped(a: Analysis, seen: set[str] | None, lang: str) -> tuple[ChainData, Any, pd.DataFrame, int]:
    """(data, risk, backups) for the workbook of a user who sees `seen` only, and how many enterprise rows
    it carries. The analytics were computed on every enterprise (the grades are the pages'); what names or
    codes an enterprise outside `seen` is dropped: its enterprise row, its relations with no end in
    `seen` (the other end's code and name left blank), backup candidates, its name among the leaders."""
    risk, data, backups = a.risk, a.data, a.backups
    if seen is not None:
        hidden = t("chain_hidden_name", lang)
        ents = data.enterprises
        data = dataclasses.replace(data, enterprises=ents.assign(
            name=ents["name"].where(ents["enterprise_id"].isin(seen), hidden)))  # chain_summary's leader names
        rel = risk.relations
        rel = rel[rel["supplier_id"].isin(seen) | rel["buyer_id"].isin(seen)]
        names = dict(zip(data.enterprises["enterprise_id"], data.enterprises["name"]))
        rel = rel.assign(**{k: rel[f"{k}_id"].map(lambda x: names.get(x, hidden) if x in seen else hidden)
                            for k in ("supplier", "buyer")})
        rel = rel.assign(**{f"{k}_id": rel[f"{k}_id"].where(rel[f"{k}_id"].isin(seen), None)
                            for k in ("supplier", "buyer")})
        risk = dataclasses.replace(risk, relations=rel,
                                   enterprises=risk.enterprises[risk.enterprises["enterprise_id"].isin(seen)])
        b = backups
        b = b[b["candidate_id"].isin(seen) & (b["supplier_id"].isin(seen) | b["buyer_id"].isin(seen))]
        backups = b.assign(**{c: b[c].where(b[c].isin(seen), None) for c in ("supplier_id", "buyer_id")})
    rows = len(risk.relations) + len(risk.enterprises) + len(backups)
    return data, risk, backups, rows


def ascii_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "zhizao-chains"


def attachment(name: str) -> str:
    """Content-Disposition: an ASCII filename for old clients, the exact one as filename*."""
    return f'attachment; filename="{ascii_name(name)}"; filename*=UTF-8\'\'{quote(name)}'


def download(ctx: Ctx, chain, format: str) -> Response:
    if format not in DOWNLOADS:
        raise HTTPException(422, t("chain_download_format", ctx.lang).format(value=str(format)[:20]))
    a = _analysis(ctx)
    if a is None:
        raise HTTPException(404, t("chain_none", ctx.lang))
    seen = visible_ids(ctx.user, a)
    scope = None if seen is None else (ctx.user.level, ctx.user.region)
    chain_id = chain.id if chain is not None else None
    data, risk, backups, rows = scoped(a, seen, ctx.lang)

    def build() -> bytes:
        if format == "xlsx":
            return chain_exports.chain_workbook(ctx.plan, data, risk, a.gaps, chain_id, lang=ctx.lang,
                                                backups=backups)
        g = chain_exports.chain_graph(ctx.plan, data, risk, chain_id, enterprises=True)
        if seen is not None:  # the graph names enterprises on nodes: only the user's, the rest left out
            g.remove_nodes_from([n for n, d in list(g.nodes(data=True))
                                 if d.get("kind") == "enterprise" and n[len("enterprise:"):] not in seen])
        buf = io.BytesIO()
        chain_exports.write_graphml(g, buf)
        return buf.getvalue()

    body = ctx.state.cached(("chain_download", chain_id, format, ctx.lang, scope), build)
    target = f"chains:{chain_id}:{format}" if chain_id else f"chains:{format}"
    if rows:  # enterprise rows leave the server: audited as every export is
        audit(ctx.request, "export", target, rows=rows, detail={"format": format, "path": ctx.request.url.path})
    stem = f"zhizao-{ctx.plan.plan.id}-chains" + (f"-{chain_id}" if chain_id else "")
    if a.data.synthetic:
        stem += "-synthetic"
    return Response(body, media_type=DOWNLOADS[format],
                    headers={"Content-Disposition": attachment(f"{stem}.{format}")})


@router.get("/chains/download")
def chains_download(ctx: Ctx = Depends(page_context), format: str = Query("xlsx")):
    if not ctx.plan.chains:
        raise HTTPException(404, t("chain_none", ctx.lang))
    return download(ctx, None, format)


@router.get("/chains/{chain_id}/download")
def chain_download(chain_id: str, ctx: Ctx = Depends(page_context), format: str = Query("xlsx")):
    return download(ctx, _chain(ctx, chain_id), format)


# --- /chains/{chain_id} ---------------------------------------------------------------------------
def link_rows(ctx: Ctx, chain, a: Analysis | None) -> list[dict]:
    cov = {r["link"]: r for r in _records(a.coverage, chain=chain.id)} if a is not None else {}
    risk = {r["link"]: r for r in _records(a.risk.links, chain=chain.id)} if a is not None else {}
    crit = {r["link"]: r for r in _critical_links(a, chain.id)} if a is not None else {}
    order = {s: i for i, s in enumerate(_stage_values())}
    rows = []
    for lk in chain.links:
        c, r, k = cov.get(lk.id, {}), risk.get(lk.id, {}), crit.get(lk.id, {})
        c = shares_recorded(c)
        stage = getattr(lk.stage, "value", lk.stage)
        rows.append({"id": lk.id, "name": pick(lk.name, lk.name_en, ctx.lang), "stage": stage,
                     "stage_order": order.get(stage, 0), "stage_label": stage_label(stage, ctx.lang),
                     "upstream": list(lk.upstream), "section": lk.section,
                     "n_members": _int(c.get("n_members")), "n_local": _int(c.get("n_local")),
                     "local_share": cell_number(c.get("local_share")), "region_share": cell_number(c.get("region_share")),
                     "abroad_share": cell_number(c.get("abroad_share")), "hhi": cell_number(c.get("hhi")),
                     "recorded": c.get("recorded", False),
                     "status": c.get("status"), "status_label": status_label(c.get("status"), ctx.lang),
                     "grade": r.get("grade"), "grade_label": grade_label(r.get("grade"), ctx.lang),
                     "score": cell_number(r.get("score")), "reasons": reasons(r, ctx.lang),
                     "critical": bool(k), "betweenness": cell_number(k.get("betweenness")),
                     "articulation": bool(k.get("articulation")) if k else False,
                     "url": f"{ctx.base}/chains/{chain.id}/links/{lk.id}"})
    return sorted(rows, key=lambda r: (r["stage_order"], chain_index(chain, r["id"])))


def shares_recorded(row: dict) -> dict:
    """A coverage row with its shares blank (None) when no supply of the link is recorded: the analytics
    give local_share NaN then (older ones 0 with unrecorded_share 1); "0 %" would read as all outside.
    `recorded` says which; the pages write 未记录 / not recorded."""
    if not row:
        return {"recorded": False}
    unrecorded = cell_number(row.get("unrecorded_share"))
    recorded = cell_number(row.get("local_share")) is not None and not (unrecorded is not None and unrecorded >= 1 - 1e-9)
    if recorded:
        return {**row, "recorded": True}
    return {**row, "recorded": False, **{k: None for k in ("local_share", "region_share", "domestic_share",
                                                            "abroad_share")}}


def chain_index(chain, link_id: str) -> int:
    return next(i for i, lk in enumerate(chain.links) if lk.id == link_id)


def _stage_values() -> list[str]:
    return [s.value for s in ChainStage]


def _critical_links(a: Analysis, chain_id: str) -> list[dict]:
    """The link-level critical nodes of a chain (articulation points, betweenness above 0)."""
    return [r for r in _records(a.critical, chain=chain_id) if r.get("level") == "link"]


def _critical_enterprises(ctx: Ctx, a: Analysis, chain_id: str) -> dict:
    """The chain's members among the critical enterprises (articulation points of the supply graph, sole
    suppliers), named where the user may see them, else counted."""
    m = a.data.members
    mine = set(m.loc[m["chain"] == chain_id, "enterprise_id"]) if not m.empty else set()
    crit = a.critical
    rows = [] if crit.empty else [r for r in crit[crit["level"] == "enterprise"].to_dict(orient="records")
                                  if r["enterprise_id"] in mine]
    shown = [{**enterprise_cell(ctx, a, r["enterprise_id"]), "articulation": bool(r.get("articulation")),
              "sole_supplier_of": _int(r.get("sole_supplier_of")), "buyers": _int(r.get("buyers")),
              "downstream_reach": _int(r.get("downstream_reach"))}
             for r in rows if can_name(ctx.user, a, r["enterprise_id"])]
    # the most critical first: articulation points, then sole supply, then how far down the loss reaches
    shown.sort(key=lambda e: (not e["articulation"], -(e["sole_supplier_of"] or 0), -(e["downstream_reach"] or 0),
                              -(e["buyers"] or 0), e["name"] or ""))
    return {"shown": shown, "hidden": len(rows) - len(shown)}


def gap_rows(ctx: Ctx, chain, a: Analysis | None) -> list[dict]:
    """The chain's 招商 list: analytics.chains.gaps (missing and weak links ranked by risk, score, size)."""
    if a is None:
        return []
    out = []
    for r in _records(a.gaps, chain=chain.id):
        why = r.get("why_en" if ctx.lang == "en" else "why_zh")
        products = r.get("key_products")  # the analytics join them with "、"
        basis = r.get("size_basis")
        out.append({"rank": _int(r.get("rank")), "link": r.get("link"),
                    "name": pick(r.get("name"), r.get("name_en"), ctx.lang) or r.get("link"),
                    "status": r.get("status"), "status_label": status_label(r.get("status"), ctx.lang),
                    "grade": r.get("grade"), "grade_label": grade_label(r.get("grade"), ctx.lang),
                    "why": why if isinstance(why, str) else "", "size": cell_number(r.get("size")),
                    "size_basis": basis, "size_basis_label": t(f"chain_size_basis_{basis}", ctx.lang)
                    if f"chain_size_basis_{basis}" in labels.UI else "",
                    "key_products": [x for x in str(products).split("、") if x] if isinstance(products, str) else
                    list(products) if isinstance(products, (list, tuple)) else [],
                    "url": f"{ctx.base}/chains/{chain.id}/links/{r.get('link')}"})
    return sorted(out, key=lambda r: (r["rank"] is None, r["rank"] or 0))


def graph_option(chain, rows: list[dict], lang: str) -> dict:
    """The chain as an ECharts graph on a hidden grid: one column per stage (upstream left, the stage
    named above it), the links of a stage spread down it; colour = risk grade, size and label = local
    coverage. Fixed coordinates: a stage with one link does not stretch the picture. Nodes link to their page."""
    by_stage: dict[int, list[dict]] = {}
    for r in rows:
        by_stage.setdefault(r["stage_order"], []).append(r)
    columns = sorted(by_stage)
    height = max((len(v) for v in by_stage.values()), default=1)
    order = [r for stage in columns for r in by_stage[stage]]
    index = {r["id"]: i for i, r in enumerate(order)}
    cats = [*GRADES, "none"]
    names = [grade_label(g, lang) if g != "none" else t("chain_grade_none", lang) for g in cats]
    nodes = []
    for col, stage in enumerate(columns):
        group = by_stage[stage]
        offset = (height - len(group)) / 2
        for j, r in enumerate(group):
            share = r["local_share"]
            cover = formatting.share(share, 0) if share is not None else t("chain_not_recorded", lang)
            # colour is the grade, as the legend says; grey only without one (no data at all, status no_data).
            # A graded link with no supply recorded keeps its colour: its label says 未记录 for the share.
            cat = r["grade"] if r["grade"] in GRADES else "none"
            nodes.append({
                "name": r["name"], "value": [col, offset + j],
                "category": cats.index(cat),
                "symbolSize": 18 + round(30 * (share or 0)),
                "label": {"formatter": f"{r['name']}\n{cover}"},
                "url": r["url"],
                # the tooltip's lines (chains.js writes them as text)
                "tip": [r["name"], f"{t('chain_stage', lang)}: {r['stage_label']}",
                        f"{t('chain_local_share', lang)}: {cover}",
                        f"{t('chain_risk', lang)}: {r['grade_label']}", f"{t('chain_status', lang)}: {r['status_label']}"],
            })
    edges = [{"source": index[u], "target": index[r["id"]]} for r in order for u in r["upstream"] if u in index]
    stage_names = [by_stage[s][0]["stage_label"] for s in columns]
    return {
        "animation": False,
        "tooltip": {"trigger": "item", "confine": True},
        # the legend is the page's own (HTML, printed, read aloud), not drawn in the canvas
        "grid": {"left": 40, "right": 40, "top": 48, "bottom": 40, "containLabel": False},
        "xAxis": {"type": "category", "data": stage_names, "position": "top", "boundaryGap": True,
                  "axisTick": {"show": False}, "axisLine": {"show": False},
                  "axisLabel": {"fontWeight": "bold", "interval": 0, "width": 70, "overflow": "break"}},
        "yAxis": {"type": "value", "inverse": True, "show": False, "min": -0.5, "max": height - 0.5},
        "series": [{
            "type": "graph", "coordinateSystem": "cartesian2d",
            "categories": [{"name": n, "itemStyle": {"color": GRADE_COLOURS[g]}} for g, n in zip(cats, names)],
            "label": {"show": True, "position": "bottom", "fontSize": 11},
            "edgeSymbol": ["none", "arrow"], "edgeSymbolSize": 8,
            "lineStyle": {"color": "#888", "width": 1.5, "curveness": 0.15},
            "emphasis": {"focus": "adjacency"},
            "data": nodes, "links": edges,
        }],
    }


def _chart_height(rows: list[dict]) -> int:
    per: dict[int, int] = {}
    for r in rows:
        per[r["stage_order"]] = per.get(r["stage_order"], 0) + 1
    return max(300, 110 + ROW_HEIGHT * max(per.values(), default=1))


def whatif_choices(ctx: Ctx, chain, a: Analysis | None) -> dict:
    """What a scenario may remove: the chain's enterprises the user may see, the plan's districts, and
    the outside regions (provinces and countries) the data's enterprises are in."""
    if a is None:
        return {"enterprises": [], "districts": [], "regions": []}
    m = a.data.members
    ids = list(dict.fromkeys(m.loc[m["chain"] == chain.id, "enterprise_id"])) if not m.empty else []
    ents = sorted((enterprise_cell(ctx, a, i) for i in ids if can_name(ctx.user, a, i)),
                  key=lambda e: (e["location"] != "local", e["name"] or ""))
    districts = [{"code": d.code, "name": ctx.region_name(d.code) if ctx.lang != "en" else _district_en(ctx, d.code)}
                 for d in (ctx.plan.regions.districts if ctx.plan.regions else [])]
    regions: dict[str, str] = {}
    for eid, where in a.location.items():
        e = a.enterprises.get(eid) or {}
        if where in ("region", "domestic") and e.get("district"):
            p = str(e["district"])[:2]
            regions[p] = province_name(ctx.plan, p, ctx.lang)
        elif where == "abroad":
            regions["abroad"] = t("chain_abroad_all", ctx.lang)
            if e.get("country"):
                regions[str(e["country"])] = t("chain_abroad", ctx.lang) + (f" ({e['country']})" if ctx.lang == "en"
                                                                             else f"（{e['country']}）")
    return {"enterprises": ents, "districts": districts,
            "regions": [{"code": k, "name": v} for k, v in sorted(regions.items(), key=lambda kv: (kv[0] == "abroad", kv[0]))]}


def chain_data(ctx: Ctx, chain, a: Analysis | None) -> dict:
    rows = link_rows(ctx, chain, a)
    # articulation points (割点) first, then by betweenness
    crit_links = sorted((r for r in rows if r["critical"]), key=lambda r: (not r["articulation"], -(r["betweenness"] or 0)))
    return {"plan": ctx.plan.plan.id, "data": data_info(ctx, a),
            "chain": {"id": chain.id, "name": pick(chain.name, chain.name_en, ctx.lang), "section": chain.section,
                      "text": chain.text, "cluster": chain.cluster, "cluster_name": _cluster_name(ctx, chain.cluster)},
            "links": rows, "gaps": gap_rows(ctx, chain, a), "critical_links": crit_links,
            "critical_enterprises": _critical_enterprises(ctx, a, chain.id) if a is not None else {"shown": [], "hidden": 0},
            "whatif": {"url": f"{ctx.base}/chains/{chain.id}/whatif", "choices": whatif_choices(ctx, chain, a),
                       "scenarios": MAX_SCENARIOS, "name_max": NAME_MAX},
            "graph_height": _chart_height(rows), "downloads": download_links(ctx, chain.id), "top": TOP,
            "top_list": TOP_LIST,
            "grades": [{"grade": g, "label": grade_label(g, ctx.lang) if g != "none" else t("chain_grade_none", ctx.lang),
                        "colour": GRADE_COLOURS[g]} for g in (*GRADES, "none")]}


def links_frame(d: dict, lang: str) -> pd.DataFrame:
    pct = "（%）" if lang != "en" else " (%)"
    heads = [t("chain_stage", lang), t("chain_link", lang), t("chain_members", lang), t("chain_local_members", lang),
             t("chain_local_share", lang) + pct, t("chain_region_share", lang) + pct, t("chain_abroad_share", lang) + pct,
             "HHI", t("chain_status", lang), t("chain_risk", lang), t("chain_reasons", lang), t("chain_section", lang)]
    out = [dict(zip(heads, (r["stage_label"], r["name"], r["n_members"], r["n_local"], _pct(r["local_share"]),
                            _pct(r["region_share"]), _pct(r["abroad_share"]), r["hhi"], r["status_label"],
                            r["grade_label"], r["reasons"], r["section"]))) for r in d["links"]]
    return _labelled(frame(out, columns=heads), d["data"], lang)


def gaps_frame(d: dict, lang: str) -> pd.DataFrame:
    sep = "、" if lang != "en" else "; "
    heads = [t(k, lang) for k in ("chain_rank", "chain_link", "chain_status", "chain_risk", "chain_why",
                                  "chain_size_unit", "chain_key_products")]
    out = [dict(zip(heads, (r["rank"], r["name"], r["status_label"], r["grade_label"], r["why"], r["size"],
                            sep.join(r["key_products"])))) for r in d["gaps"]]
    return _labelled(frame(out, columns=heads), d["data"], lang)


@router.get("/chains/{chain_id}")
def chain_page(chain_id: str, ctx: Ctx = Depends(page_context)):
    chain = _chain(ctx, chain_id)
    a = _analysis(ctx)
    d = chain_data(ctx, chain, a)
    named = len(d["critical_enterprises"]["shown"]) + len(d["whatif"]["choices"]["enterprises"])
    return respond(ctx.request, "chains_chain.html", d, lang=ctx.lang, user=ctx.user, page="chains_chain",
                   title=_title(ctx, d["chain"]["name"]), charts={"chain": graph_option(chain, d["links"], ctx.lang)},
                   tables={"links": lambda: links_frame(d, ctx.lang), "gaps": lambda: gaps_frame(d, ctx.lang)},
                   exported=(f"chains:{chain.id}", named))


# --- /chains/{chain_id}/links/{link_id} ---------------------------------------------------------
def link_data(ctx: Ctx, chain, lk, a: Analysis | None) -> dict:
    stage = getattr(lk.stage, "value", lk.stage)
    techs = {tech.id: tech for tech in (getattr(ctx.plan, "technologies", None) or [])}
    names = {x.id: pick(x.name, x.name_en, ctx.lang) for x in chain.links}
    row = next((r for r in link_rows(ctx, chain, a) if r["id"] == lk.id), {})
    d = {"plan": ctx.plan.plan.id, "data": data_info(ctx, a),
         "chain": {"id": chain.id, "name": pick(chain.name, chain.name_en, ctx.lang), "url": f"{ctx.base}/chains/{chain.id}"},
         "link": {"id": lk.id, "name": pick(lk.name, lk.name_en, ctx.lang), "stage": stage,
                  "stage_label": stage_label(stage, ctx.lang), "section": lk.section, "quote": lk.quote,
                  "key_products": list(lk.key_products), "industry_class": lk.industry_class,
                  "technologies": [{"id": x, "name": _tech_name(techs.get(x), x, ctx.lang)} for x in lk.technologies],
                  "upstream": [{"id": u, "name": names.get(u, u), "url": f"{ctx.base}/chains/{chain.id}/links/{u}"}
                               for u in lk.upstream],
                  "downstream": [{"id": x.id, "name": names[x.id], "url": f"{ctx.base}/chains/{chain.id}/links/{x.id}"}
                                 for x in chain.links if lk.id in x.upstream]},
         "coverage": {k: row.get(k) for k in ("n_members", "n_local", "local_share", "region_share", "abroad_share", "hhi",
                                               "recorded", "status", "status_label", "grade", "grade_label", "reasons")},
         "top": TOP,
         "members": {"shown": [], "hidden": 0, "by_location": []},
         "relations": {"shown": [], "hidden": 0, "by_grade": []}, "backups": {"shown": [], "hidden": 0}}
    if a is None:
        return d
    m = a.data.members
    mem = m[(m["chain"] == chain.id) & (m["link"] == lk.id)] if not m.empty else m
    shown, counts = [], {}
    for r in mem.to_dict(orient="records"):
        eid = r["enterprise_id"]
        counts[a.location.get(eid)] = counts.get(a.location.get(eid), 0) + 1
        if can_name(ctx.user, a, eid):
            shown.append({**enterprise_cell(ctx, a, eid), "role": r["role"], "role_label": role_label(r["role"], ctx.lang),
                          "capacity": cell_number(r.get("capacity"))})
    role_order = {"leader": 0, "core": 1, "supplier": 2}
    shown.sort(key=lambda e: (role_order.get(e["role"], 3), -(e["capacity"] or 0)))
    d["members"] = {"shown": shown, "hidden": len(mem) - len(shown),
                    "by_location": [{"location": k, "label": location_label(k, ctx), "n": n}
                                    for k, n in counts.items() if k in LOCATIONS]}
    rel = _records(a.risk.relations, chain=chain.id, link=lk.id)
    seen_rel, by_grade, high_hidden = [], {}, 0
    for r in rel:
        by_grade[r.get("grade")] = by_grade.get(r.get("grade"), 0) + 1
        s_ok, b_ok = can_name(ctx.user, a, r["supplier_id"]), can_name(ctx.user, a, r["buyer_id"])
        if not (s_ok or b_ok):  # neither end in the user's scope: counted only
            high_hidden += r.get("grade") == "high"
            continue
        seen_rel.append({"supplier": enterprise_cell(ctx, a, r["supplier_id"]), "buyer": enterprise_cell(ctx, a, r["buyer_id"]),
                         "share": cell_number(r.get("share")), "grade": r.get("grade"),
                         "grade_label": grade_label(r.get("grade"), ctx.lang), "score": cell_number(r.get("score")),
                         "reasons": reasons(r, ctx.lang)})
    seen_rel.sort(key=lambda x: (GRADES.index(x["grade"]) if x["grade"] in GRADES else 3, -(x["score"] or 0)))
    d["relations"] = {"shown": seen_rel, "hidden": len(rel) - len(seen_rel),
                      "by_grade": [{"grade": g, "label": grade_label(g, ctx.lang), "n": by_grade.get(g, 0)} for g in GRADES]}
    # the high-risk relations the user may not see are counted, so that "高 1" above is not met by "none" here
    d["backups"] = {"shown": _backup_rows(ctx, a, chain.id, lk.id), "hidden": high_hidden}
    return d


def _tech_name(tech, tech_id: str, lang: str) -> str:
    if tech is None:
        return tech_id
    return pick(getattr(tech, "title", tech_id), getattr(tech, "title_en", None), lang) or tech_id


def _backup_rows(ctx: Ctx, a: Analysis, chain_id: str, link_id: str) -> list[dict]:
    """Backup candidates of this link's high-risk relations; a relation is shown when the user may see its
    buyer, a candidate is named when the user may see it (else counted in `hidden`)."""
    groups: dict[tuple, dict] = {}
    for r in _records(a.backups, chain=chain_id, link=link_id):
        key = (r.get("supplier_id"), r.get("buyer_id"))
        if not can_name(ctx.user, a, r.get("buyer_id")) and not can_name(ctx.user, a, r.get("supplier_id")):
            continue
        g = groups.setdefault(key, {"supplier": enterprise_cell(ctx, a, key[0]), "buyer": enterprise_cell(ctx, a, key[1]),
                                    "candidates": [], "hidden": 0})
        cand = r.get("candidate_id") or r.get("enterprise_id")
        if cand is not None and can_name(ctx.user, a, cand):
            reason = r.get("reason_en" if ctx.lang == "en" else "reason_zh", r.get("reason"))
            g["candidates"].append({**enterprise_cell(ctx, a, cand), "rank": _int(r.get("rank")),
                                    "reason": reason if isinstance(reason, str) else ""})
        else:
            g["hidden"] += 1
    return list(groups.values())


def where_text(e: dict) -> str:
    """An enterprise's location class and place in one cell (a hidden one: the class, and the province
    outside the plan's area)."""
    return " · ".join(x for x in (e.get("location_label"), e.get("place")) if x and x != formatting.MISSING)


def members_frame(d: dict, lang: str) -> pd.DataFrame:
    heads = [t(k, lang) for k in ("chain_enterprise", "code", "chain_role", "chain_location", "chain_place", "chain_capacity")]
    out = [dict(zip(heads, (e["name"], e["id"], e["role_label"], e["location_label"], e["place"], e["capacity"])))
           for e in d["members"]["shown"]]
    return _labelled(frame(out, columns=heads), d["data"], lang)


def relations_frame(d: dict, lang: str) -> pd.DataFrame:
    hidden = t("chain_not_shown", lang)
    heads = [t(k, lang) for k in ("chain_supplier", "chain_supplier_location", "chain_buyer", "chain_share", "chain_risk",
                                  "chain_reasons")]
    heads[3] += "（%）" if lang != "en" else " (%)"
    out = [dict(zip(heads, (r["supplier"]["name"] or hidden, where_text(r["supplier"]), r["buyer"]["name"] or hidden,
                            _pct(r["share"]), r["grade_label"], r["reasons"]))) for r in d["relations"]["shown"]]
    return _labelled(frame(out, columns=heads), d["data"], lang)


def backups_frame(d: dict, lang: str) -> pd.DataFrame:
    hidden = t("chain_not_shown", lang)
    heads = [t(k, lang) for k in ("chain_buyer", "chain_supplier", "chain_rank", "chain_candidate", "chain_place",
                                  "chain_reasons")]
    out = [dict(zip(heads, (g["buyer"]["name"] or hidden, g["supplier"]["name"] or hidden, c["rank"], c["name"],
                            c["place"], c["reason"]))) for g in d["backups"]["shown"] for c in g["candidates"]]
    return _labelled(frame(out, columns=heads), d["data"], lang)


@router.get("/chains/{chain_id}/links/{link_id}")
def link_page(chain_id: str, link_id: str, ctx: Ctx = Depends(page_context)):
    chain = _chain(ctx, chain_id)
    lk = _link(ctx, chain, link_id)
    a = _analysis(ctx)
    d = link_data(ctx, chain, lk, a)
    named = len(d["members"]["shown"]) + len(d["relations"]["shown"]) + sum(len(g["candidates"]) for g in d["backups"]["shown"])
    return respond(ctx.request, "chains_link.html", d, lang=ctx.lang, user=ctx.user, page="chains_link",
                   title=_title(ctx, d["link"]["name"], d["chain"]["name"]),
                   tables={"members": lambda: members_frame(d, ctx.lang), "relations": lambda: relations_frame(d, ctx.lang),
                           "backups": lambda: backups_frame(d, ctx.lang)},
                   exported=(f"chains:{chain.id}:{lk.id}", named))


# --- /chains/{chain_id}/whatif ------------------------------------------------------------------
def parse_scenarios(request: Request, ctx: Ctx, chain, a: Analysis | None) -> tuple[list, list[str]]:
    """Up to MAX_SCENARIOS scenarios from the query (s1_name, s1_enterprise …, s2_…), each checked:
    an enterprise of the chain the user may see, a district of the plan, an outside region offered.
    Returns (scenarios as dicts, problems in the page's language)."""
    q = request.query_params
    choices = whatif_choices(ctx, chain, a)
    ents = {e["id"] for e in choices["enterprises"]}
    districts = {x["code"] for x in choices["districts"]}
    regions = {x["code"] for x in choices["regions"]}
    problems: list[str] = []
    known = {f"s{i}_{k}" for i in range(1, MAX_SCENARIOS + 1) for k in ("name", "enterprise", "district", "region")} | \
        {"lang", "format", "table"}
    extra = sorted(k for k in q.keys() if k not in known)
    if extra:
        problems.append(t("chain_whatif_bad_param", ctx.lang).format(names=", ".join(x[:30] for x in extra[:5]),
                                                                     n=MAX_SCENARIOS))
    out = []
    for i in range(1, MAX_SCENARIOS + 1):
        picks = {k: [v for v in q.getlist(f"s{i}_{k}") if v] for k in ("enterprise", "district", "region")}
        name = (q.get(f"s{i}_name") or "").strip() or t("chain_whatif_scenario", ctx.lang).format(n=i)
        if not any(picks.values()):
            continue
        if len(name) > NAME_MAX:  # refused, not cut: the page would otherwise echo whatever was sent
            problems.append(t("chain_whatif_name_long", ctx.lang).format(n=i, max=NAME_MAX, length=len(name)))
            name = t("chain_whatif_scenario", ctx.lang).format(n=i)
        if sum(len(v) for v in picks.values()) > MAX_PICKS:
            problems.append(t("chain_whatif_too_many", ctx.lang).format(name=name, n=MAX_PICKS))
            continue
        rule = [api.chain_region_problem(ctx.plan, v, ctx.lang) for v in picks["region"]]  # one rule with the CLI
        problems += [f"{name}: {m}" if ctx.lang == "en" else f"{name}：{m}" for m in dict.fromkeys(filter(None, rule))]
        for kind, allowed in (("enterprise", ents), ("district", districts), ("region", regions)):
            bad = [v[:40] for k, v in enumerate(picks[kind]) if v not in allowed and not (kind == "region" and rule[k])]
            if bad:
                problems.append(t(f"chain_whatif_unknown_{kind}", ctx.lang).format(
                    name=name, values=("、" if ctx.lang != "en" else ", ").join(bad)))
        out.append({"n": i, "name": name, **{k + "s": v for k, v in picks.items()}})
    names = [x["name"] for x in out]
    repeated = sorted({x for x in names if names.count(x) > 1}, key=names.index)
    if repeated:  # as zhizao chain whatif: each scenario its own name (the comparison is by name)
        problems.append(t("chain_whatif_name_repeated", ctx.lang).format(
            names=("、" if ctx.lang != "en" else ", ").join(repeated)))
    return out, problems


def min_loss(settings: Settings) -> float:
    """The smallest loss shown (setting chain_whatif_min_loss): a link 削弱 0% says nothing."""
    return float(settings["chain_whatif_min_loss"])


YI = 1e4  # 万元 per 亿元: the pages show output at risk in 亿元, as zhizao chain whatif does


def money(v: Any) -> dict:
    """An amount the analytics give in 万元, for the JSON in both units (the key names the unit); the page
    shows the 亿元 one."""
    x = cell_number(v)
    return {"output_at_risk_10k_yuan": x, "output_at_risk_yi": None if x is None else x / YI}


def yi_digits(values) -> int:
    """One number of decimals for a column of 亿元 amounts: 0 from 1,000 up, else 1, 2 under 10 (a plant's
    few hundred 万元 would read 0.0)."""
    xs = [abs(v) for v in values if v is not None]
    top = max(xs) if xs else 0
    return 0 if top >= 1000 else 1 if top >= 10 else 2


def whatif_status_label(status: Any, lang: str) -> str:
    key = f"chain_whatif_{status}"
    if key in labels.UI:
        return t(key, lang)
    if status in labels.WHATIF_STATUS:
        return labels.label("whatif_status", status, lang)
    return str(status or "")


def run_whatif(ctx: Ctx, a: Analysis, chain, scenario: dict) -> dict:
    """One scenario, worded and scoped. Links and enterprises whose loss is under min_loss are left out
    (counted in `below`); the lists are sorted (links: this chain first, by loss; enterprises by output
    at risk) and complete here and in the exports; the page shows their first TOP rows."""
    settings = Settings()
    s = chain_analytics.Scenario(name=scenario["name"], enterprises=tuple(scenario["enterprises"]),
                                 districts=tuple(scenario["districts"]), regions=tuple(scenario["regions"]))
    w = chain_analytics.whatif(ctx.plan, a.data, s, settings)
    floor = min_loss(settings)
    link_names = {(c.id, lk.id): pick(lk.name, lk.name_en, ctx.lang) for c in ctx.plan.chains for lk in c.links}
    chain_names = {c.id: pick(c.name, c.name_en, ctx.lang) for c in ctx.plan.chains}
    links, links_below = [], 0
    for r in _records(w.links):
        key = (r.get("chain"), r.get("link"))
        loss = cell_number(r.get("need_lost_share"))
        if r.get("status") == "weakened" and (loss or 0) < floor:  # lost/stopped links always count
            links_below += 1
            continue
        links.append({"chain": key[0], "chain_name": chain_names.get(key[0], key[0]), "link": key[1],
                      "name": link_names.get(key, key[1]), "status": r.get("status"),
                      "status_label": whatif_status_label(r.get("status"), ctx.lang), "loss_share": loss,
                      "url": f"{ctx.base}/chains/{key[0]}/links/{key[1]}", "this_chain": key[0] == chain.id})
    links.sort(key=lambda x: (not x["this_chain"], x["status"] == "weakened", -(x["loss_share"] or 0), x["chain"]))
    ents = [r for r in _records(w.enterprises) if not r.get("removed")]  # downstream: the removed are the scenario
    below = [r for r in ents if (cell_number(r.get("loss")) or 0) < floor]
    ents = [r for r in ents if (cell_number(r.get("loss")) or 0) >= floor]
    shown = [{**enterprise_cell(ctx, a, r["enterprise_id"]), "loss_share": cell_number(r.get("loss")),
              **money(r.get("output_at_risk"))}
             for r in ents if can_name(ctx.user, a, r["enterprise_id"])]
    shown.sort(key=lambda e: (-(e["output_at_risk_10k_yuan"] or 0), -(e["loss_share"] or 0)))
    summary = dict(w.summary)
    amounts = {}
    for k in SUMMARY_SHOWN:
        if k.startswith("output"):
            x = cell_number(summary.get(k))
            amounts.update({f"{k}_10k_yuan": x, f"{k}_yi": None if x is None else x / YI})
    return {"n": scenario["n"], "name": scenario["name"],
            "removed": {"enterprises": [enterprise_cell(ctx, a, e) for e in scenario["enterprises"]],
                        "districts": scenario["districts"], "regions": scenario["regions"]},
            "summary": {**{k: _int(summary.get(k)) for k in SUMMARY_SHOWN if not k.startswith("output")}, **amounts},
            "links": links, "links_below": links_below,
            "enterprises": {"shown": shown, "hidden": len(ents) - len(shown), "below": len(below),
                            "yi_digits": yi_digits(e["output_at_risk_yi"] for e in shown[:TOP])},
            "chains": [{"chain": r["chain"], "name": chain_names.get(r["chain"], r["chain"]),
                        "links_lost": _int(r.get("links_lost")), "links_weakened": _int(r.get("links_weakened")),
                        "enterprises_affected": _int(r.get("enterprises_affected")),
                        **money(r.get("output_at_risk"))}
                       for r in _records(w.chains) if r.get("links_lost") or r.get("links_weakened")
                       or r.get("enterprises_affected")]}


def whatif_data(ctx: Ctx, chain, a: Analysis | None) -> tuple[dict, int]:
    scenarios, problems = parse_scenarios(ctx.request, ctx, chain, a)
    results = []
    if not problems and a is not None:
        results = [run_whatif(ctx, a, chain, s) for s in scenarios]
    d = {"plan": ctx.plan.plan.id, "data": data_info(ctx, a),
         "chain": {"id": chain.id, "name": pick(chain.name, chain.name_en, ctx.lang), "url": f"{ctx.base}/chains/{chain.id}"},
         "choices": whatif_choices(ctx, chain, a), "scenarios": scenarios, "problems": problems, "results": results,
         "max_scenarios": MAX_SCENARIOS, "url": f"{ctx.base}/chains/{chain.id}/whatif", "top": TOP,
         "name_max": NAME_MAX,
         "min_loss": min_loss(Settings()),
         # the page's rows: amounts in 亿元 (the summary's *_yi), one number of decimals per row
         "summary_rows": [{"key": f"{k}_yi" if k.startswith("output") else k, "label": t(f"chain_whatif_{k}", ctx.lang),
                           "output": k.startswith("output"),
                           "digits": yi_digits(r["summary"][f"{k}_yi"] for r in results) if k.startswith("output") else 0}
                          for k in SUMMARY_SHOWN]}
    return d, (422 if problems else 200)


def compare_frame(d: dict, lang: str) -> pd.DataFrame:
    keys = [row["key"] for row in d["summary_rows"]]  # amounts in 亿元, as the page and its headers say
    heads = [t("chain_whatif_name", lang), *(row["label"] for row in d["summary_rows"])]
    out = [dict(zip(heads, (r["name"], *(r["summary"][k] for k in keys)))) for r in d["results"]]
    return _labelled(frame(out, columns=heads), d["data"], lang)


def whatif_links_frame(d: dict, lang: str) -> pd.DataFrame:
    heads = [t(k, lang) for k in ("chain_whatif_name", "chain_name", "chain_link", "chain_status")] + \
        [t("chain_whatif_loss", lang) + ("（%）" if lang != "en" else " (%)")]
    out = [dict(zip(heads, (r["name"], x["chain_name"], x["name"], x["status_label"], _pct(x["loss_share"]))))
           for r in d["results"] for x in r["links"]]
    return _labelled(frame(out, columns=heads), d["data"], lang)


def whatif_enterprises_frame(d: dict, lang: str) -> pd.DataFrame:
    heads = [t(k, lang) for k in ("chain_whatif_name", "chain_enterprise", "code", "chain_place")] + \
        [t("chain_whatif_loss", lang) + ("（%）" if lang != "en" else " (%)"), t("chain_whatif_output", lang)]
    out = [dict(zip(heads, (r["name"], e["name"], e["id"], e["place"], _pct(e["loss_share"]), e["output_at_risk_yi"])))
           for r in d["results"] for e in r["enterprises"]["shown"]]
    return _labelled(frame(out, columns=heads), d["data"], lang)


@router.get("/chains/{chain_id}/whatif")
def whatif_page(chain_id: str, ctx: Ctx = Depends(page_context)):
    chain = _chain(ctx, chain_id)
    a = _analysis(ctx)
    d, status = whatif_data(ctx, chain, a)
    named = sum(len(r["enterprises"]["shown"]) for r in d["results"]) + len(d["choices"]["enterprises"])
    return respond(ctx.request, "chains_whatif.html", d, lang=ctx.lang, user=ctx.user, page="chains_whatif",
                   title=_title(ctx, t("chain_whatif", ctx.lang), d["chain"]["name"]), status_code=status,
                   tables={"compare": lambda: compare_frame(d, ctx.lang), "links": lambda: whatif_links_frame(d, ctx.lang),
                           "enterprises": lambda: whatif_enterprises_frame(d, ctx.lang)},
                   exported=(f"chains:{chain.id}:whatif", named))
