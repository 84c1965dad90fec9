"""Risk grades (高/中/低) of supply relations, chain links and enterprises, with the reasons that make
them up; critical nodes; backup suppliers (docs/chains.md §Risk grade, §Critical nodes, §Backups).

A grade is a weighted mean of factor scores in [0, 1] (weights: the chain_w_* settings), cut at
chain_risk_high / chain_risk_medium. Every factor that scores above 0 is named in reasons_zh /
reasons_en, with its number; the factor scores themselves are columns (f_*), so a reader can redo it.
"""
from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
import rustworkx as rx
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order

from zhizao import formatting
from zhizao.analytics.chains.coverage import _coverage, buyer_links, groups, summary_frame
from zhizao.analytics.chains.data import ROLES, ChainData
from zhizao.analytics.chains.frames import LOCATIONS, Prepared, contains, link_graph, prepare, uniq
from zhizao.settings import Settings

GRADES = ("high", "medium", "low")
RELATION_COLUMNS = ["chain", "link", "supplier_id", "buyer_id", "share", "supplier_location", "n_suppliers",
                    "single_source", "dominant", "buyer_hhi", "alternatives", "local_alternatives",
                    "f_source", "f_concentration", "f_location", "f_share", "f_alternatives",
                    "score", "grade", "reasons_zh", "reasons_en"]
LINK_RISK_COLUMNS = ["chain", "link", "name", "name_en", "status", "n_local", "local_share", "recorded_outside",
                     "outside_basis", "abroad_share", "hhi", "hhi_basis", "articulation", "betweenness", "high_relations",
                     "f_members", "f_outside", "f_concentration", "f_critical", "f_relations",
                     "score", "grade", "reasons_zh", "reasons_en"]
ENTERPRISE_RISK_COLUMNS = ["enterprise_id", "name", "district", "location", "role", "output", "inputs",
                           "max_input_score", "outside_input_share", "sole_supplier_of", "articulation",
                           "f_exposure", "f_outside", "f_critical", "score", "grade", "reasons_zh", "reasons_en"]
CRITICAL_COLUMNS = ["level", "chain", "link", "enterprise_id", "name", "location", "articulation", "betweenness",
                    "sole_supplier_of", "buyers", "downstream_reach"]
BACKUP_COLUMNS = ["chain", "link", "supplier_id", "buyer_id", "relation_score", "rank", "candidate_id",
                  "candidate_name", "candidate_location", "candidate_role", "candidate_capacity",
                  "supplies_buyer", "reason_zh", "reason_en"]
NO_REASON = ("无突出风险因素", "no notable risk factor")
NO_DATA = ("无数据：数据中该产业链无任何企业，不评级", "no data: the data have no enterprise on this chain, not graded")

_PCT = np.array([formatting.share(i / 100, 0) for i in range(101)], dtype=object)
_RATIO = np.array([formatting.ratio(i / 100) for i in range(101)], dtype=object)
_LOC_ZH = np.array(["本地", "区域内", "外省", "境外"], dtype=object)
_LOC_EN = np.array(["local", "in the region", "in another province", "abroad"], dtype=object)
_LOC_ADJ_EN = np.array(["local", "regional", "out-of-province", "foreign"], dtype=object)


def _pct(x: np.ndarray) -> np.ndarray:
    return _PCT[np.clip(np.rint(np.nan_to_num(x) * 100), 0, 100).astype(np.int64)]


def _ratio(x: np.ndarray) -> np.ndarray:
    return _RATIO[np.clip(np.rint(np.nan_to_num(x) * 100), 0, 100).astype(np.int64)]


def _text(cond: np.ndarray, *pieces) -> np.ndarray:
    """Per row: the pieces (strings or object arrays) joined where cond holds, "" elsewhere."""
    out = np.full(len(cond), "", dtype=object)
    if not cond.any():
        return out
    acc = np.full(int(cond.sum()), "", dtype=object)
    for piece in pieces:
        acc = acc + (piece[cond] if isinstance(piece, np.ndarray) else piece)
    out[cond] = acc
    return out


def _join(parts: list[np.ndarray], sep: str, empty: str) -> np.ndarray:
    """Per row: the non-empty parts joined by sep; `empty` where none is."""
    if not parts or len(parts[0]) == 0:
        return np.zeros(0, dtype=object)
    return np.array([sep.join(filter(None, row)) or empty for row in zip(*parts)], dtype=object)


def _grade(score: np.ndarray, s: Settings) -> np.ndarray:
    return np.where(score >= s["chain_risk_high"], "high",
                    np.where(score >= s["chain_risk_medium"], "medium", "low")).astype(object)


def _score(factors: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    total = sum(weights.values())
    n = len(next(iter(factors.values())))
    if total <= 0:
        return np.zeros(n)
    return sum(weights[k] * np.nan_to_num(factors[k]) for k in weights) / total


@dataclass(frozen=True)
class ChainRisk:
    links: pd.DataFrame
    relations: pd.DataFrame
    enterprises: pd.DataFrame
    coverage: pd.DataFrame  # link_coverage, on which the link grades rest
    critical: pd.DataFrame  # critical_nodes


# --- relations --------------------------------------------------------------------------------------

def _relations(p: Prepared, bl: pd.DataFrame, cov: pd.DataFrame, s: Settings) -> pd.DataFrame:
    L = max(p.n_links, 1)
    n = len(p.s_sup)
    pos = groups(p)[1] if n else np.zeros(0, np.int64)  # the relation's (buyer, link) row of bl
    n_sup = bl["n_suppliers"].to_numpy()[pos] if n else np.zeros(0, np.int64)
    hhi = bl["hhi"].to_numpy()[pos] if n else np.zeros(0)
    share = p.s_share
    single = n_sup == 1
    dominant = ~single & (share >= s["chain_dominant_share"])
    loc = p.ent_loc[p.s_sup]
    is_member = contains(uniq(p.m_ent * L + p.m_link), p.s_sup * L + p.s_link)
    n_members = cov["n_members"].to_numpy()[p.s_link]
    n_local = cov["n_local"].to_numpy()[p.s_link]
    alt = np.maximum(n_members - is_member, 0)
    local_alt = np.maximum(n_local - (is_member & (loc == 0)), 0)
    loc_factor = np.array([0.0, s["chain_region_factor"], s["chain_domestic_factor"], 1.0])
    f = {
        "source": np.where(single, 1.0, np.where(dominant, 0.5, 0.0)),
        "concentration": hhi,
        "location": loc_factor[loc],
        "share": share,
        "alternatives": np.where(alt == 0, 1.0, np.where(local_alt == 0, 0.5, 0.0)),
    }
    w = {k: float(s[f"chain_w_rel_{k}"]) for k in f}
    score = _score(f, w)
    hhi_high = s["chain_hhi_high"]
    zh = [
        _text(single, "单一来源（该环节仅一家记录的供应商）"),
        _text(dominant, "主导来源（占需求", _pct(share), "）"),
        _text(~single & (hhi >= hhi_high), "采购高度集中（HHI ", _ratio(hhi), "）"),
        _text(loc > 0, "供应商在", _LOC_ZH[loc]),
        _text(~dominant & (share >= 0.5), "占采购方需求", _pct(share)),
        _text(alt == 0, "该环节无其他企业可替代"),
        _text((alt > 0) & (local_alt == 0), "该环节无本地替代企业"),
    ]
    en = [
        _text(single, "single source (the only recorded supplier for this link)"),
        _text(dominant, "dominant source (", _pct(share), " of the need)"),
        _text(~single & (hhi >= hhi_high), "highly concentrated purchases (HHI ", _ratio(hhi), ")"),
        _text(loc > 0, "supplier ", _LOC_EN[loc]),
        _text(~dominant & (share >= 0.5), _pct(share), " of the buyer's need"),
        _text(alt == 0, "no other enterprise on this link to replace it"),
        _text((alt > 0) & (local_alt == 0), "no local alternative on this link"),
    ]
    links = p.links
    return pd.DataFrame({
        "chain": links["chain"].to_numpy()[p.s_link] if n else [], "link": links["link"].to_numpy()[p.s_link] if n else [],
        "supplier_id": p.ent_ids[p.s_sup], "buyer_id": p.ent_ids[p.s_buy], "share": share,
        "supplier_location": np.asarray(LOCATIONS, dtype=object)[loc], "n_suppliers": n_sup.astype(np.int64),
        "single_source": single, "dominant": dominant, "buyer_hhi": hhi,
        "alternatives": alt.astype(np.int64), "local_alternatives": local_alt.astype(np.int64),
        **{f"f_{k}": v for k, v in f.items()}, "score": score, "grade": _grade(score, s),
        "reasons_zh": _join(zh, "；", NO_REASON[0]), "reasons_en": _join(en, "; ", NO_REASON[1]),
    }, columns=RELATION_COLUMNS)


# --- links ------------------------------------------------------------------------------------------

def _link_graph_measures(plan, links: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per link: articulation point of its chain's (undirected) link graph; betweenness (directed,
    normalised 0–1). networkx: a chain has tens of links."""
    ap = np.zeros(len(links), dtype=bool)
    bc = np.zeros(len(links))
    pos = {(c, lk): i for i, (c, lk) in enumerate(zip(links["chain"], links["link"]))}
    for chain in plan.chains:
        g = link_graph(plan, chain.id)
        if g.number_of_nodes() == 0:
            continue
        for node in nx.articulation_points(g.to_undirected()):
            ap[pos[(chain.id, node)]] = True
        for node, value in nx.betweenness_centrality(g, normalized=True).items():
            bc[pos[(chain.id, node)]] = value
    return ap, bc


def _links(plan, p: Prepared, bl: pd.DataFrame, cov: pd.DataFrame, rel: pd.DataFrame,
           s: Settings) -> pd.DataFrame:
    L = p.n_links
    status = cov["status"].to_numpy()
    recorded = 1.0 - cov["unrecorded_share"].to_numpy()
    outside_rec = np.divide(recorded - cov["local_share"].to_numpy(), recorded, out=np.full(L, np.nan),
                            where=recorded > 1e-12)
    n_members = cov["n_members"].to_numpy()
    n_local = cov["n_local"].to_numpy()
    cap_out = 1.0 - cov["local_capacity_share"].to_numpy()  # NaN unless enough capacity is known
    count_out = np.divide(n_members - n_local, n_members, out=np.ones(L), where=n_members > 0)
    # what is known of dependence on outside: recorded supply, else capacity, else member counts
    rec_ok, cap_ok = np.isfinite(outside_rec), np.isfinite(cap_out)
    f_outside = np.where(rec_ok, outside_rec, np.where(cap_ok, cap_out, count_out))
    outside_basis = np.where(rec_ok, "supply", np.where(cap_ok, "capacity", np.where(n_members > 0, "members", "")))
    hhi = cov["hhi"].to_numpy()
    hhi_ok = np.isfinite(hhi)
    f_conc = np.where(hhi_ok, hhi, np.divide(1.0, n_members, out=np.zeros(L), where=n_members > 0))
    hhi_basis = np.where(hhi_ok, "capacity", np.where(n_members > 0, "members", ""))
    ap, bc = _link_graph_measures(plan, p.links)
    high_rel = np.bincount(p.s_link, weights=(rel["grade"].to_numpy() == "high"), minlength=L) if len(rel) else np.zeros(L)
    n_rel = cov["n_relations"].to_numpy()
    f_rel = np.divide(high_rel, n_rel, out=np.zeros(L), where=n_rel > 0)
    f = {"members": np.where(status == "missing", 1.0, np.where(status == "weak", 0.5, 0.0)),
         "outside": np.clip(f_outside, 0.0, 1.0), "concentration": f_conc,
         "critical": np.maximum(ap.astype(float), bc), "relations": f_rel}
    w = {k: float(s[f"chain_w_link_{k}"]) for k in f}
    score = _score(f, w)
    low = s["chain_local_share_low"]
    hhi_high = s["chain_hhi_high"]
    abroad = cov["abroad_share"].to_numpy()
    # named only where something is known: recorded supply or members (a link without either is missing)
    outside_named = (f["outside"] >= 1.0 - low) & (outside_basis != "")
    nl = np.asarray(n_local).astype(str).astype(object)
    nm = np.asarray(n_members).astype(str).astype(object)
    n_out = np.asarray(n_members - n_local).astype(str).astype(object)
    # the reason says what the outside share rests on: recorded supply, capacity or member counts
    by_sup, by_cap, by_cnt = (outside_named & (outside_basis == b) for b in ("supply", "capacity", "members"))
    conc_named = f_conc >= hhi_high
    zh = [
        _text(status == "missing", "缺失环节：无本地企业"),
        _text(status == "weak", "薄弱环节：本地企业仅", nl, "家"),
        _text(by_sup, "外地供应占", _pct(f["outside"])),
        _text(by_cap, "外地产能占", _pct(f["outside"]), "（无采购记录）"),
        _text(by_cnt, "外地企业占", _pct(f["outside"]), "（", nm, "家中", n_out, "家；无采购记录）"),
        _text(abroad > 0, "境外供应占需求", _pct(abroad)),
        _text(conc_named & hhi_ok, "产能高度集中（HHI ", _ratio(f_conc), "）"),
        _text(conc_named & ~hhi_ok, "企业少（共", nm, "家，按企业数计HHI ", _ratio(f_conc), "）"),
        _text(ap, "链条关键节点（删去则链条断开）"),
        _text(~ap & (bc > 0.2), "链条中介节点（介数 ", _ratio(bc), "）"),
        _text(f_rel > 0, "高风险供应关系占", _pct(f_rel)),
    ]
    en = [
        _text(status == "missing", "missing link: no local enterprise"),
        _text(status == "weak", "weak link: only ", nl, " local enterprise(s)"),
        _text(by_sup, _pct(f["outside"]), " supplied from outside"),
        _text(by_cap, _pct(f["outside"]), " of capacity outside (no recorded purchases)"),
        _text(by_cnt, _pct(f["outside"]), " of member enterprises outside (", n_out, " of ", nm,
              "; no recorded purchases)"),
        _text(abroad > 0, _pct(abroad), " of the need supplied from abroad"),
        _text(conc_named & hhi_ok, "highly concentrated capacity (HHI ", _ratio(f_conc), ")"),
        _text(conc_named & ~hhi_ok, "few members (", nm, "; HHI by count ", _ratio(f_conc), ")"),
        _text(ap, "articulation point of the chain (removing it cuts the chain)"),
        _text(~ap & (bc > 0.2), "between many links (betweenness ", _ratio(bc), ")"),
        _text(f_rel > 0, _pct(f_rel), " of its supply relations are high risk"),
    ]
    # a chain the data do not cover is not graded: no factor, score or grade, one reason saying why
    nod = status == "no_data"
    if nod.any():
        f = {k: np.where(nod, np.nan, v) for k, v in f.items()}
        score = np.where(nod, np.nan, score)
    grade = np.where(nod, None, _grade(score, s)).astype(object)
    reasons_zh = np.where(nod, NO_DATA[0], _join(zh, "；", NO_REASON[0])).astype(object)
    reasons_en = np.where(nod, NO_DATA[1], _join(en, "; ", NO_REASON[1])).astype(object)
    return pd.DataFrame({
        "chain": cov["chain"].to_numpy(), "link": cov["link"].to_numpy(), "name": cov["name"].to_numpy(),
        "name_en": cov["name_en"].to_numpy(), "status": status, "n_local": n_local,
        "local_share": cov["local_share"].to_numpy(), "recorded_outside": outside_rec,
        "outside_basis": outside_basis.astype(object), "abroad_share": abroad,
        "hhi": hhi, "hhi_basis": hhi_basis.astype(object), "articulation": ap, "betweenness": bc, "high_relations": high_rel.astype(np.int64),
        **{f"f_{k}": v for k, v in f.items()}, "score": score, "grade": grade,
        "reasons_zh": reasons_zh, "reasons_en": reasons_en,
    }, columns=LINK_RISK_COLUMNS)


# --- enterprises ------------------------------------------------------------------------------------

def supply_articulation(p: Prepared) -> np.ndarray:
    """Articulation points of the enterprise supply graph (undirected: who trades with whom), by
    enterprise code. rustworkx: compiled, a million edges take about a second."""
    out = np.zeros(p.n_ent, dtype=bool)
    if len(p.s_sup) == 0:
        return out
    g = rx.PyGraph(multigraph=False)
    g.add_nodes_from(range(p.n_ent))
    E = p.n_ent
    pairs = uniq(np.minimum(p.s_sup, p.s_buy) * E + np.maximum(p.s_sup, p.s_buy))
    g.add_edges_from_no_data(list(zip((pairs // E).tolist(), (pairs % E).tolist())))
    idx = np.fromiter(rx.articulation_points(g), dtype=np.int64)
    out[idx] = True
    return out


def _enterprises(p: Prepared, rel: pd.DataFrame, ap: np.ndarray, s: Settings) -> pd.DataFrame:
    E = p.n_ent
    involved = np.zeros(E, dtype=bool)
    involved[p.m_ent] = True
    involved[p.s_sup] = True
    involved[p.s_buy] = True
    score_r = rel["score"].to_numpy() if len(rel) else np.zeros(0)
    max_in = np.zeros(E)
    if len(score_r):
        np.maximum.at(max_in, p.s_buy, score_r)
    inputs = np.bincount(p.s_buy, minlength=E)
    rec = np.bincount(p.s_buy, weights=p.s_share, minlength=E)
    outside = np.bincount(p.s_buy, weights=np.where(p.ent_loc[p.s_sup] > 0, p.s_share, 0.0), minlength=E)
    out_share = np.divide(outside, rec, out=np.zeros(E), where=rec > 0)
    single = rel["single_source"].to_numpy() if len(rel) else np.zeros(0, dtype=bool)
    sole = np.bincount(p.s_sup[single], minlength=E) if len(single) else np.zeros(E, dtype=np.int64)
    f = {"exposure": max_in, "outside": out_share, "critical": 0.5 * (sole > 0) + 0.5 * ap}
    w = {k: float(s[f"chain_w_ent_{k}"]) for k in f}
    score = _score(f, w)
    # the best role an enterprise holds on any link (leader first)
    role = np.full(E, len(ROLES), dtype=np.int64)
    if len(p.m_ent):
        np.minimum.at(role, p.m_ent, p.m_role.astype(np.int64))
    roles = np.asarray([*ROLES, ""], dtype=object)[role]
    loc = p.ent_loc
    zh = [
        _text(max_in >= s["chain_risk_high"], "投入端有高风险供应关系（最高评分 ", _ratio(max_in), "）"),
        _text(out_share >= 1.0 - s["chain_local_share_low"], "投入的", _pct(out_share), "来自外地"),
        _text(sole > 0, "是", sole.astype(str).astype(object), "个采购环节的唯一供应商"),
        _text(ap, "供应网络的关键节点（删去则网络断开）"),
    ]
    en = [
        _text(max_in >= s["chain_risk_high"], "a high-risk input (top score ", _ratio(max_in), ")"),
        _text(out_share >= 1.0 - s["chain_local_share_low"], _pct(out_share), " of its inputs from outside"),
        _text(sole > 0, "sole supplier of ", sole.astype(str).astype(object), " buyer link(s)"),
        _text(ap, "articulation point of the supply network (removing it disconnects it)"),
    ]
    df = pd.DataFrame({
        "enterprise_id": p.ent_ids, "name": p.ent_names, "district": p.ent_district,
        "location": np.asarray(LOCATIONS, dtype=object)[loc], "role": roles, "output": p.ent_output,
        "inputs": inputs.astype(np.int64), "max_input_score": max_in, "outside_input_share": out_share,
        "sole_supplier_of": sole.astype(np.int64), "articulation": ap,
        **{f"f_{k}": v for k, v in f.items()}, "score": score, "grade": _grade(score, s),
        "reasons_zh": _join(zh, "；", NO_REASON[0]), "reasons_en": _join(en, "; ", NO_REASON[1]),
    }, columns=ENTERPRISE_RISK_COLUMNS)
    return df[involved].reset_index(drop=True)


# --- critical nodes ---------------------------------------------------------------------------------

def _critical(plan, p: Prepared, rel: pd.DataFrame, ap_ent: np.ndarray, s: Settings) -> pd.DataFrame:
    ap, bc = _link_graph_measures(plan, p.links)
    link_rows = pd.DataFrame({"level": "link", "chain": p.links["chain"], "link": p.links["link"],
                              "enterprise_id": None, "name": p.links["name"], "location": None,
                              "articulation": ap, "betweenness": bc, "sole_supplier_of": 0, "buyers": 0,
                              "downstream_reach": np.nan})
    link_rows = link_rows[link_rows["articulation"] | (link_rows["betweenness"] > 0)]
    E = p.n_ent
    single = rel["single_source"].to_numpy() if len(rel) else np.zeros(0, dtype=bool)
    sole = np.bincount(p.s_sup[single], minlength=E) if len(single) else np.zeros(E, dtype=np.int64)
    pairs = uniq(p.s_sup * max(E, 1) + p.s_buy)
    buyers = np.bincount(pairs // max(E, 1), minlength=E)
    pick = np.flatnonzero(ap_ent | (sole > 0))
    reach = np.full(E, np.nan)
    top = int(s["chain_critical_reach_top"])
    if len(pick) and top and len(pairs):
        g = csr_matrix((np.ones(len(pairs), dtype=np.int8), (pairs // E, pairs % E)), shape=(E, E))
        order = pick[np.argsort(-buyers[pick], kind="stable")][:top]
        for e in order:  # one compiled BFS per enterprise, a bounded few
            reach[e] = len(breadth_first_order(g, int(e), directed=True, return_predecessors=False)) - 1
    ent_rows = pd.DataFrame({"level": "enterprise", "chain": None, "link": None, "enterprise_id": p.ent_ids[pick],
                             "name": p.ent_names[pick], "location": np.asarray(LOCATIONS, dtype=object)[p.ent_loc[pick]],
                             "articulation": ap_ent[pick], "betweenness": np.nan,
                             "sole_supplier_of": sole[pick].astype(np.int64), "buyers": buyers[pick].astype(np.int64),
                             "downstream_reach": reach[pick]})
    ent_rows = ent_rows.sort_values(["sole_supplier_of", "buyers"], ascending=False, kind="stable")
    parts = [df for df in (link_rows, ent_rows) if len(df)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in CRITICAL_COLUMNS})
    return pd.concat(parts, ignore_index=True)[CRITICAL_COLUMNS]


# --- public -----------------------------------------------------------------------------------------

def risk(plan, data: ChainData, settings: Settings | None = None) -> ChainRisk:
    """Grade every supply relation, chain link and enterprise high / medium / low, with reasons."""
    s = settings or Settings()
    p = prepare(plan, data)
    bl = buyer_links(p)
    cov = _coverage(p, bl, s)
    rel = _relations(p, bl, cov, s)
    links = _links(plan, p, bl, cov, rel, s)
    ap_ent = supply_articulation(p)
    ents = _enterprises(p, rel, ap_ent, s)
    crit = _critical(plan, p, rel, ap_ent, s)
    return ChainRisk(links=links, relations=rel, enterprises=ents, coverage=cov, critical=crit)


def critical_nodes(plan, data: ChainData, settings: Settings | None = None, *, chain_risk: ChainRisk | None = None
                   ) -> pd.DataFrame:
    """Link level: articulation points and betweenness of each chain's link graph. Enterprise level:
    articulation points of the supply graph and sole suppliers, with direct buyers and (for the
    chain_critical_reach_top with most buyers) the number of enterprises downstream."""
    if chain_risk is not None:
        return chain_risk.critical
    return risk(plan, data, settings).critical


def chain_summary(plan, data: ChainData, settings: Settings | None = None, *,
                  chain_risk: ChainRisk | None = None) -> pd.DataFrame:
    """Per chain: links, missing, weak, need-weighted local and local + region shares, links graded
    high, member enterprises, leaders (链主) and their names."""
    s = settings or Settings()
    cr = chain_risk if chain_risk is not None else risk(plan, data, s)
    p = prepare(plan, data)
    return summary_frame(plan, p, buyer_links(p), cr.coverage, cr.links["grade"])


def backups(plan, data: ChainData, chain_risk: ChainRisk | None = None, settings: Settings | None = None,
            top: int = 3) -> pd.DataFrame:
    """For each high-risk relation, up to `top` other members of its link able to supply the buyer:
    local first, then region, domestic, abroad; within a class larger capacity first, then 链主 and
    core suppliers before others; the enterprise id breaks ties."""
    s = settings or Settings()
    cr = chain_risk if chain_risk is not None else risk(plan, data, s)
    p = prepare(plan, data)
    rel = cr.relations
    high = np.flatnonzero(rel["grade"].to_numpy() == "high") if len(rel) else np.zeros(0, np.int64)
    if len(high) == 0 or len(p.m_ent) == 0 or top <= 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in BACKUP_COLUMNS})
    L = p.n_links
    mk = np.unique(p.m_ent * L + p.m_link, return_index=True)[1]
    m = pd.DataFrame({"link": p.m_link[mk], "cand": p.m_ent[mk], "role": p.m_role[mk].astype(np.int64),
                      "cap": p.m_cap[mk]})
    m["loc"] = p.ent_loc[m["cand"].to_numpy()]
    m["id"] = p.ent_ids[m["cand"].to_numpy()]
    m = m.sort_values(["link", "loc", "cap", "role", "id"], ascending=[True, True, False, True, True],
                      na_position="last", kind="stable")
    m["order"] = m.groupby("link").cumcount()
    m = m[m["order"] < top + 2]  # the supplier and the buyer may be among them: two spare
    r = pd.DataFrame({"rel": high, "link": p.s_link[high], "sup": p.s_sup[high], "buy": p.s_buy[high]})
    x = r.merge(m, on="link", how="inner")
    x = x[(x["cand"] != x["sup"]) & (x["cand"] != x["buy"])]
    x = x.sort_values(["rel", "order"], kind="stable")
    x["rank"] = x.groupby("rel").cumcount() + 1
    x = x[x["rank"] <= top]
    trade = uniq(p.s_buy.astype(np.int64) * p.n_ent + p.s_sup)
    existing = contains(trade, x["buy"].to_numpy(dtype=np.int64) * p.n_ent + x["cand"].to_numpy(dtype=np.int64))
    loc = x["loc"].to_numpy()
    cap = x["cap"].to_numpy()
    cap_zh = np.array([("，产能" + formatting.number(c, 0) + "万元") if np.isfinite(c) else "" for c in cap], dtype=object)
    cap_en = np.array([(", capacity " + formatting.number(c, 0) + " (10k yuan)") if np.isfinite(c) else "" for c in cap],
                      dtype=object)
    role_zh = np.array(["链主", "核心配套", "配套"], dtype=object)[x["role"].to_numpy()]
    role_en = np.array(["chain leader", "core supplier", "supplier"], dtype=object)[x["role"].to_numpy()]
    sup_zh = np.where(existing, "，已向该企业供货", "")
    sup_en = np.where(existing, ", already supplies this buyer", "")
    rows = x["rel"].to_numpy()
    return pd.DataFrame({
        "chain": rel["chain"].to_numpy()[rows], "link": rel["link"].to_numpy()[rows],
        "supplier_id": rel["supplier_id"].to_numpy()[rows], "buyer_id": rel["buyer_id"].to_numpy()[rows],
        "relation_score": rel["score"].to_numpy()[rows], "rank": x["rank"].to_numpy(dtype=np.int64),
        "candidate_id": x["id"].to_numpy(), "candidate_name": p.ent_names[x["cand"].to_numpy()],
        "candidate_location": np.asarray(LOCATIONS, dtype=object)[loc], "candidate_role": np.asarray(ROLES, dtype=object)[x["role"].to_numpy()],
        "candidate_capacity": cap, "supplies_buyer": existing,
        "reason_zh": _LOC_ZH[loc] + "企业，" + role_zh + cap_zh + sup_zh,
        "reason_en": _LOC_ADJ_EN[loc] + " enterprise, " + role_en + cap_en + sup_en,
    }, columns=BACKUP_COLUMNS).reset_index(drop=True)
