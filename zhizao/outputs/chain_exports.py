"""Chain maps leaving zhizao as files: a GraphML graph (yEd, Gephi, networkx) and an XLSX workbook.

- `chain_graph` builds a networkx DiGraph: one node per chain link (stage, local coverage, status, risk
  grade) with upstream → downstream edges; with `enterprises=True` also one node per enterprise, its
  membership edges (enterprise → link) and its supply edges (supplier → buyer, share, grade).
- `write_graphml` writes it with every attribute value GraphML can hold (no None, no control
  characters XML 1.0 refuses, lists as text), text neutralised against formula injection as in CSV.
- `chain_workbook` returns the XLSX bytes: sheets 链条概况, 环节, 供应关系风险, 重点企业风险, 备份企业,
  招商清单; a first line naming the data's source (and 合成数据（演示用） when synthetic), the header row bold
  and frozen, CJK-wide columns, numbers as numbers and every text cell neutralised against formula
  injection (spreadsheet_safe).
"""
from __future__ import annotations

import io
import math
from pathlib import Path
from typing import IO, Any

import networkx as nx
import pandas as pd
from rich.cells import cell_len

from zhizao import api, labels
from zhizao.analytics import chains as analytics
from zhizao.outputs.spreadsheet_safe import ILLEGAL_CHARACTERS_RE, xlsx_cell, xlsx_text
from zhizao.settings import Settings

SHARE_COLUMNS = ("local_share", "region_share", "domestic_share", "abroad_share", "unrecorded_share", "share",
                 "loss_share", "local_capacity_share", "recorded_outside", "outside_input_share", "capacity_known",
                 "loss", "need_lost_share")  # the what-if sheets (zhizao chain whatif --format xlsx)
# Repeats of a column the workbook already shows in the reader's language (chain and link ids become names)
REPEATS = ("chain_name", "chain_name_en", "name_en")


def _plain(v: Any) -> Any:
    """A value GraphML can hold: str/int/float/bool; None for missing (the attribute is left out)."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (list, tuple, set)):
        return _plain("; ".join(str(x) for x in v))
    if hasattr(v, "item") and not isinstance(v, str):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, (bool, int, float)):
        return v
    return ILLEGAL_CHARACTERS_RE.sub("", str(v))


def _attrs(d: dict) -> dict:
    return {k: p for k, v in d.items() if (p := _plain(v)) is not None}


def merge_new(left: pd.DataFrame, right: pd.DataFrame, on=("chain", "link")) -> pd.DataFrame:
    """`left` with the columns of `right` it lacks, matched on `on` (no _x/_y twins)."""
    on = list(on)
    return left.merge(right[on + [c for c in right.columns if c not in left.columns]], on=on, how="left")


def link_node(chain: str, link: str) -> str:
    return f"{chain}/{link}"


def enterprise_node(enterprise_id: str) -> str:
    return f"enterprise:{enterprise_id}"


def _chains(plan, chain: str | None) -> list:
    return [c for c in plan.chains if chain is None or c.id == chain]


def chain_graph(plan, data, risk=None, chain: str | None = None, *, enterprises: bool = False,
                settings: Settings | None = None) -> nx.DiGraph:
    """The plan's chain links (or one chain's) as a DiGraph, upstream → downstream. Link nodes
    ("chain/link") carry kind="link", chain, link, name, name_en, stage, stage_order, section,
    key_products, local/region shares, n_members, n_local, status and the risk grade with its score and
    reasons; with `enterprises`, enterprise nodes ("enterprise:ID": name, district, country, output,
    location, grade) with member edges to their links (kind="member", role, capacity) and supply edges
    between them (kind="supply", chain, link, share, grade). `risk`: analytics ChainRisk (computed when None)."""
    s = settings if settings is not None else Settings()
    if risk is None:
        risk = analytics.risk(plan, data, s)
    g = nx.DiGraph(name=_plain(", ".join(c.id for c in _chains(plan, chain))), synthetic=bool(data.synthetic),
                   source=_plain(data.source) or "")
    links, edges = analytics.chain_frames(plan)
    table = merge_new(merge_new(links, risk.coverage), risk.links)
    if chain is not None:
        table = table[table["chain"] == chain]
        edges = edges[edges["chain"] == chain]
    for r in table.to_dict("records"):
        g.add_node(link_node(r["chain"], r["link"]), kind="link", **_attrs(r))
    for r in edges.to_dict("records"):
        g.add_edge(link_node(r["chain"], r["upstream"]), link_node(r["chain"], r["downstream"]), kind="flow",
                   chain=r["chain"])
    if not enterprises or data.is_empty:
        return g
    members = data.members if chain is None else data.members[data.members["chain"] == chain]
    ids = set(members["enterprise_id"])
    supply = data.supply if chain is None else data.supply[data.supply["chain"] == chain]
    ids |= set(supply["supplier_id"]) | set(supply["buyer_id"])
    ent = data.enterprises[data.enterprises["enterprise_id"].isin(ids)]
    where = analytics.locate(ent, plan) if len(ent) else pd.Series(dtype=object)
    egrade = risk.enterprises.set_index("enterprise_id")["grade"] if "grade" in risk.enterprises else pd.Series(dtype=object)
    for r, loc in zip(ent.to_dict("records"), where.tolist() if len(ent) else []):
        g.add_node(enterprise_node(r["enterprise_id"]), kind="enterprise", location=loc,
                   grade=egrade.get(r["enterprise_id"]), **_attrs(r))
    for r in members.to_dict("records"):
        g.add_edge(enterprise_node(r["enterprise_id"]), link_node(r["chain"], r["link"]), kind="member",
                   **_attrs({"role": r["role"], "capacity": r["capacity"]}))
    rel = risk.relations
    rgrade = ({(a, b, c, d): x for a, b, c, d, x in zip(rel["supplier_id"], rel["buyer_id"], rel["chain"], rel["link"],
                                                         rel["grade"])} if "grade" in rel else {})
    for r in supply.to_dict("records"):
        u, v = enterprise_node(r["supplier_id"]), enterprise_node(r["buyer_id"])
        attrs = _attrs({"chain": r["chain"], "link": r["link"], "share": r["share"],
                        "grade": rgrade.get((r["supplier_id"], r["buyer_id"], r["chain"], r["link"]))})
        if g.has_edge(u, v) and g.edges[u, v].get("kind") == "supply":  # one edge per pair: products listed
            e = g.edges[u, v]
            e["link"] = f"{e['link']}; {attrs['link']}"
            e["share"] = max(e.get("share", 0), attrs.get("share", 0))
            continue
        g.add_edge(u, v, kind="supply", **attrs)
    for n in g.nodes:  # every node has its kind, also an enterprise only named by a supply row
        g.nodes[n].setdefault("kind", "enterprise" if n.startswith("enterprise:") else "link")
    return g


def _file_value(v: Any) -> Any:
    """A value for the GraphML file: plain, and a text neutralised as in CSV/XLSX (spreadsheet_safe) —
    Gephi and yEd export node and edge tables to CSV/Excel, passing an imported name such as
    `=HYPERLINK(…)` on to a spreadsheet. Numbers and booleans stay as they are."""
    p = _plain(v)
    return xlsx_text(p) if isinstance(p, str) else p


def _file_attrs(d: dict) -> dict:
    return {k: p for k, v in d.items() if (p := _file_value(v)) is not None}


def write_graphml(graph: nx.DiGraph, target: str | Path | IO[bytes]) -> None:
    """`graph` as GraphML; attribute values made plain (text without control characters, no None) and
    text neutralised against formula injection, node ids too (the same text on nodes and edges)."""
    clean = nx.DiGraph()
    clean.graph.update(_file_attrs(graph.graph))
    for n, d in graph.nodes(data=True):
        clean.add_node(_file_value(n), **_file_attrs(d))
    for u, v, d in graph.edges(data=True):
        clean.add_edge(_file_value(u), _file_value(v), **_file_attrs(d))
    nx.write_graphml(clean, target, encoding="utf-8")


# --- the workbook -------------------------------------------------------------------------------
def _head(column: str, lang: str) -> str:
    return labels.label("chain_head", column, lang) if column in labels.CHAIN_HEAD else column


def _words(df: pd.DataFrame, plan, lang: str) -> pd.DataFrame:
    """Codes as words for a reader (grades, stages, statuses, roles), chain and link ids as names;
    shares in percent (the header says %)."""
    en = lang == "en"
    chain_names = {c.id: ((c.name_en or c.name) if en else c.name) for c in plan.chains}
    link_names = {(c.id, k.id): ((k.name_en or k.name) if en else k.name) for c in plan.chains for k in c.links}
    out = df.copy()
    if "link" in out and "chain" in out:
        out["link"] = [link_names.get((c, k), k) for c, k in zip(out["chain"], out["link"])]
    if "chain" in out:
        out["chain"] = out["chain"].map(lambda c: chain_names.get(c, c))
    if "cluster" in out:  # the plan's cluster names, not their ids
        clusters = {c.id: ((c.name_en or c.name) if en else c.name) for c in plan.clusters}
        out["cluster"] = out["cluster"].map(lambda c: clusters.get(c, c))
    for col, table in (("grade", "cli_chain_grade"), ("stage", "cli_chain_stage"), ("status", "cli_chain_status"),
                       ("role", "cli_chain_role"), ("location", "cli_chain_place"), ("candidate_role", "cli_chain_role"),
                       ("supplier_location", "cli_chain_place"), ("candidate_location", "cli_chain_place"),
                       ("size_basis", "cli_chain_size_basis"), ("outside_basis", "cli_chain_basis"),
                       ("hhi_basis", "cli_chain_basis")):
        if col in out:
            out[col] = out[col].map(lambda v, t=table: labels.label(t, v, lang) if isinstance(v, str) else v)
    for col in SHARE_COLUMNS:
        if col in out and pd.api.types.is_numeric_dtype(out[col]):
            out[col] = (out[col] * 100).round(1)
    for col in out.columns:  # lists (key products, upstream links) as one text
        if out[col].map(lambda v: isinstance(v, (list, tuple))).any():
            out[col] = out[col].map(lambda v: ("; " if en else "、").join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    for stem in ("reasons", "reason", "why"):  # the reader's language only
        keep = f"{stem}_en" if en else f"{stem}_zh"
        if keep in out:
            out = out.rename(columns={keep: stem}).drop(columns=[f"{stem}_zh", f"{stem}_en"], errors="ignore")
    if "name" in out and "enterprise_id" not in out and ("link" in out or "chain" in out):  # the chain/link column says it
        out = out.drop(columns="name")
    return out.drop(columns=[c for c in REPEATS if c in out])


def _width(values: list) -> float:
    """A column width in Excel units for CJK text: a Chinese character is two."""
    longest = max((max(cell_len(line) for line in str(v).split("\n")) for v in values if v is not None), default=4)
    return float(min(max(longest + 2, 6), 60))


def _sheet(wb, title: str, df: pd.DataFrame, note: str, lang: str) -> None:
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415 - openpyxl only when a workbook is written
    from openpyxl.styles import Font  # noqa: PLC0415 - as above
    from openpyxl.utils import get_column_letter  # noqa: PLC0415 - as above

    ws = wb.create_sheet(title=title[:31])
    heads = [_head(str(c), lang) for c in df.columns]
    columns = [[xlsx_cell(v) for v in df[c].astype(object).tolist()] for c in df.columns]
    for i, (h, col) in enumerate(zip(heads, columns), start=1):
        ws.column_dimensions[get_column_letter(i)].width = _width([h, *col[:2000]])
    ws.freeze_panes = "A3"  # the note line and the header stay in view
    ws.append([xlsx_text(note)])
    bold = Font(bold=True)
    row = []
    for h in heads:
        c = WriteOnlyCell(ws, value=xlsx_text(h))
        c.font = bold
        row.append(c)
    ws.append(row)
    for values in zip(*columns):
        ws.append(list(values))


def source_line(data, lang: str = "zh") -> str:
    """The workbook's first line in the reader's language: the synthetic label (合成数据（演示用）, and
    SYNTHETIC in English too) with the generator and its note, or the imported files; and the date."""
    en = lang == "en"
    source, note = api.chain_source_words(data, lang)
    parts = [labels.label("chain_words", "synthetic_line" if data.synthetic else "source", lang).format(
        source=source or "—") if data.synthetic else
        f"{labels.label('chain_words', 'source', lang)}{': ' if en else '：'}{source or '—'}"]
    if note:
        parts.append(note)
    if data.as_of:
        parts.append(f"{labels.label('chain_words', 'as_of', lang)} {data.as_of}")
    if data.synthetic and en:  # the label a Chinese reader of the file looks for, too
        parts.insert(0, labels.CHAIN_WORDS["synthetic"][0])
    return ("; " if en else "；").join(parts)


def chain_workbook(plan, data, risk=None, gaps: pd.DataFrame | None = None, chain: str | None = None, *,
                   lang: str = "zh", settings: Settings | None = None, backups: pd.DataFrame | None = None) -> bytes:
    """The XLSX workbook of the plan's chains (or one chain): 链条概况, 环节, 供应关系风险, 重点企业风险,
    备份企业, 招商清单 (English sheet names with lang="en"). `risk` (ChainRisk), `gaps` and `backups` are
    computed when None."""
    from openpyxl import Workbook  # noqa: PLC0415 - openpyxl only when a workbook is written

    s = settings if settings is not None else Settings()
    if risk is None:
        risk = analytics.risk(plan, data, s)
    if gaps is None:
        gaps = analytics.gaps(plan, data, s)
    if backups is None:
        backups = analytics.backups(plan, data, risk, s)
    summary = analytics.chain_summary(plan, data, s, chain_risk=risk)
    links, _ = analytics.chain_frames(plan)
    link_table = merge_new(merge_new(links, risk.coverage), risk.links)
    link_table = link_table.drop(columns=[c for c in ("name", "name_en", "stage_order", "quote") if c in link_table])
    enterprises = risk.enterprises
    relations, gaps_, backups_ = risk.relations, gaps, backups
    if chain is not None:
        summary = summary[summary["chain"] == chain]
        link_table = link_table[link_table["chain"] == chain]
        relations = relations[relations["chain"] == chain]
        gaps_ = gaps_[gaps_["chain"] == chain]
        if "chain" in backups_:
            backups_ = backups_[backups_["chain"] == chain]
        members = set(data.members.loc[data.members["chain"] == chain, "enterprise_id"])
        enterprises = enterprises[enterprises["enterprise_id"].isin(members)]
    names = data.enterprises.set_index("enterprise_id")["name"] if len(data.enterprises) else pd.Series(dtype=object)
    relations = relations.assign(**{k: relations[f"{k}_id"].map(names) for k in ("supplier", "buyer")
                                    if f"{k}_id" in relations and k not in relations})
    w = labels.CHAIN_WORDS
    i = 1 if lang == "en" else 0
    note = source_line(data, lang)
    wb = Workbook(write_only=True)
    for key, df in (("sheet_summary", summary), ("sheet_links", link_table), ("sheet_relations", relations),
                    ("sheet_enterprises", enterprises), ("sheet_backups", backups_), ("sheet_gaps", gaps_)):
        _sheet(wb, w[key][i], _words(df.reset_index(drop=True), plan, lang), note, lang)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def sheets_workbook(plan, stamp: dict, sheets, lang: str = "zh") -> bytes:
    """A workbook of the given (title, frame) sheets worded as chain_workbook's (headers in the reader's
    language, codes as words, the data's source line first, text through spreadsheet_safe): what
    `zhizao chain list|show|risk|gaps|whatif --format xlsx` writes. `stamp`: the frames' attrs
    (synthetic, source, as_of)."""
    from types import SimpleNamespace  # noqa: PLC0415 - the attrs as the object source_line reads
    from openpyxl import Workbook  # noqa: PLC0415 - openpyxl only when a workbook is written

    data = SimpleNamespace(synthetic=bool(stamp.get("synthetic")), source=stamp.get("source") or "",
                           as_of=stamp.get("as_of"))
    note = source_line(data, lang)
    wb = Workbook(write_only=True)
    seen: set[str] = set()
    for title, df in sheets:
        title = str(title)[:31]
        while title in seen:  # openpyxl renames a repeated title; say which is which instead
            title = f"{title[:28]} {len(seen)}"
        seen.add(title)
        _sheet(wb, title, _words(df.reset_index(drop=True), plan, lang), note, lang)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
