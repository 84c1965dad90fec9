"""The plan's chain maps as frames, where each enterprise is, and the integer-coded arrays the chain
analytics share (docs/chains.md §Method).

Every function here is pure: the plan and the three chain frames in, frames and arrays out.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from zhizao.analytics.chains.data import ROLES, ChainData
from zhizao.plan.spec import ChainStage

LINK_COLUMNS = ["chain", "link", "name", "name_en", "stage", "stage_order", "section", "industry_class",
                "key_products", "technologies", "quote"]
EDGE_COLUMNS = ["chain", "upstream", "downstream"]
LOCATIONS = ("local", "region", "domestic", "abroad")  # coded 0..3 in the arrays, nearest first
STAGE_ORDER = {s.value: i for i, s in enumerate(ChainStage)}


def uniq(a: np.ndarray) -> np.ndarray:
    """Sorted distinct values of an integer array (a sort: numpy's hashed unique is slower on 10⁶ keys)."""
    if len(a) == 0:
        return a
    x = np.sort(a, kind="stable")
    return x[np.r_[True, x[1:] != x[:-1]]]


def contains(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """keys ∈ sorted_keys, by binary search."""
    if len(sorted_keys) == 0:
        return np.zeros(len(keys), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return sorted_keys[at] == keys


def chain_frames(plan) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(links, edges) of every chain of the plan; empty frames with the columns when it has none."""
    links, edges = [], []
    for chain in plan.chains:
        for lk in chain.links:
            links.append({"chain": chain.id, "link": lk.id, "name": lk.name, "name_en": lk.name_en or lk.name,
                          "stage": lk.stage.value, "stage_order": STAGE_ORDER[lk.stage.value],
                          "section": lk.section, "industry_class": lk.industry_class,
                          "key_products": list(lk.key_products), "technologies": list(lk.technologies),
                          "quote": lk.quote})
            edges.extend({"chain": chain.id, "upstream": up, "downstream": lk.id} for up in lk.upstream)
    links_df = pd.DataFrame(links, columns=LINK_COLUMNS)
    links_df["stage_order"] = links_df["stage_order"].astype("int64")
    return links_df, pd.DataFrame(edges, columns=EDGE_COLUMNS)


def link_graph(plan, chain_id: str) -> nx.DiGraph:
    """The links of one chain, an edge from each upstream link to the link it supplies."""
    g = nx.DiGraph()
    for chain in plan.chains:
        if chain.id == chain_id:
            for lk in chain.links:
                g.add_node(lk.id)
                g.add_edges_from((up, lk.id) for up in lk.upstream)
    return g


def area_prefix(whole_code: str) -> str:
    """The GB/T 2260 prefix of the plan's whole area: 500000 → 50, 440300 → 4403 (the code without
    its trailing 00 pairs), so a prefecture-level plan is not read as its whole province."""
    code = whole_code
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def location_codes(enterprises: pd.DataFrame, plan) -> np.ndarray:
    """0 local, 1 region, 2 domestic, 3 abroad (LOCATIONS) for each enterprise row.

    local: the district is one of the plan's districts (or, when the plan lists none, lies in its
    whole area); region: inside the plan's supply region (plan.supply_region prefixes), not local;
    domestic: elsewhere in the home country; abroad: country other than CN. A missing country counts as
    home when a district is given."""
    n = len(enterprises)
    district = enterprises["district"].fillna("").astype(str).str.strip().to_numpy(dtype=object)
    country = enterprises["country"].fillna("").astype(str).str.strip().str.upper()
    has_district = district != ""
    home = ((country == "CN") | ((country == "") & has_district)).to_numpy()
    regions = getattr(plan, "regions", None)
    d = pd.Series(district, dtype=object)
    if regions is not None and regions.districts:
        local = d.isin({x.code for x in regions.districts}).to_numpy()
    elif regions is not None:
        local = d.str.startswith(area_prefix(regions.whole_code)).to_numpy() & has_district
    else:
        local = np.zeros(n, dtype=bool)
    region = np.zeros(n, dtype=bool)
    if getattr(plan, "supply_region", None) is not None:
        region = d.str.startswith(tuple(plan.supply_region.division_prefixes)).to_numpy() & has_district
    code = np.full(n, 2, dtype=np.int8)
    code[home & region] = 1
    code[home & local] = 0
    code[~home] = 3
    return code


def locate(enterprises: pd.DataFrame, plan) -> pd.Series:
    """Location class of each enterprise: "local", "region", "domestic" or "abroad" (index kept)."""
    codes = location_codes(enterprises, plan)
    return pd.Series(np.asarray(LOCATIONS, dtype=object)[codes], index=enterprises.index, name="location")


@dataclass
class Prepared:
    """The chain data as integer codes: enterprises 0..E-1, links 0..L-1 (in chain_frames order)."""

    links: pd.DataFrame  # chain_frames' links
    edges: pd.DataFrame
    ent_ids: np.ndarray  # enterprise_id by code
    ent_names: np.ndarray
    ent_district: np.ndarray
    ent_country: np.ndarray
    ent_loc: np.ndarray  # LOCATIONS code
    ent_output: np.ndarray  # float, NaN unknown
    m_ent: np.ndarray  # members: enterprise code, link code, role code (ROLES), capacity
    m_link: np.ndarray
    m_role: np.ndarray
    m_cap: np.ndarray
    s_sup: np.ndarray  # supply: supplier code, buyer code, link code, share
    s_buy: np.ndarray
    s_link: np.ndarray
    s_share: np.ndarray
    s_rows: np.ndarray  # the row labels of data.supply each relation came from
    cache: dict = field(default_factory=dict)  # settings-free intermediates (buyer-links, groups)

    @property
    def n_ent(self) -> int:
        return len(self.ent_ids)

    @property
    def n_links(self) -> int:
        return len(self.links)


# One-slot memo of the last (plan, data, Prepared), by identity: a new ChainData is prepared anew. One
# tuple, read and replaced whole, so concurrent requests never pair one data set with another's arrays.
_LAST: list[tuple] = []


def prepare(plan, data: ChainData) -> Prepared:
    """Integer-coded arrays of the chain data; members and relations that name an enterprise or a link
    unknown to the plan are left out (the import refuses them: this is for frames built in code)."""
    last = _LAST[-1] if _LAST else None
    if last is not None and last[0] is plan and last[1] is data:
        return last[2]
    links, edges = chain_frames(plan)
    ents = data.enterprises.drop_duplicates("enterprise_id")
    ent_index = pd.Index(ents["enterprise_id"].astype(str))
    link_index = pd.MultiIndex.from_frame(links[["chain", "link"]].astype(str)) if len(links) else None

    def link_codes(df: pd.DataFrame) -> np.ndarray:
        if link_index is None or df.empty:
            return np.full(len(df), -1, dtype=np.int64)
        keys = pd.MultiIndex.from_arrays([df["chain"].astype(str), df["link"].astype(str)])
        return link_index.get_indexer(keys)

    m = data.members
    m_ent = ent_index.get_indexer(m["enterprise_id"].astype(str))
    m_link = link_codes(m)
    keep = (m_ent >= 0) & (m_link >= 0)
    role = pd.Categorical(m["role"], categories=list(ROLES)).codes.astype(np.int8)
    s = data.supply
    s_sup = ent_index.get_indexer(s["supplier_id"].astype(str))
    s_buy = ent_index.get_indexer(s["buyer_id"].astype(str))
    s_link = link_codes(s)
    share = pd.to_numeric(s["share"], errors="coerce").to_numpy(dtype=float)
    skeep = (s_sup >= 0) & (s_buy >= 0) & (s_link >= 0) & (s_sup != s_buy) & np.isfinite(share)
    prepared = Prepared(
        links=links, edges=edges,
        ent_ids=ent_index.to_numpy(dtype=object),
        ent_names=ents["name"].astype(object).to_numpy(),
        ent_district=ents["district"].astype(object).to_numpy(),
        ent_country=ents["country"].astype(object).to_numpy(),
        ent_loc=location_codes(ents, plan),
        ent_output=pd.to_numeric(ents["output"], errors="coerce").to_numpy(dtype=float),
        m_ent=m_ent[keep].astype(np.int64), m_link=m_link[keep].astype(np.int64), m_role=role[keep],
        m_cap=pd.to_numeric(m["capacity"], errors="coerce").to_numpy(dtype=float)[keep],
        s_sup=s_sup[skeep].astype(np.int64), s_buy=s_buy[skeep].astype(np.int64),
        s_link=s_link[skeep].astype(np.int64), s_share=np.clip(share[skeep], 0.0, 1.0),
        s_rows=np.flatnonzero(skeep),
    )
    _LAST[:] = [(plan, data, prepared)]
    return prepared
