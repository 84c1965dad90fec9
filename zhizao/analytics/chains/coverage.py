"""Local supply coverage (本地配套率) per link and per chain (docs/chains.md §Coverage).

Need-weighted: every buyer of a link's product counts with its annual output (its need for the
product is taken as proportional to its output); the share of that need recorded from local, region,
domestic and abroad suppliers, and the unrecorded rest, sum to 1 per buyer and so per link. Where no
supply is recorded the location shares are NaN (unknown), never 0: 0 % would read as "no local supply".
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from zhizao.analytics.chains.data import ChainData
from zhizao.analytics.chains.frames import LOCATIONS, Prepared, prepare
from zhizao.settings import Settings

COVERAGE_COLUMNS = ["chain", "link", "name", "name_en", "stage", "stage_order", "n_members", "n_local",
                    "n_region", "n_buyers", "n_relations", "local_share", "region_share", "domestic_share",
                    "abroad_share", "unrecorded_share", "capacity", "capacity_known", "local_capacity_share", "hhi",
                    "status"]
SUMMARY_COLUMNS = ["chain", "name", "name_en", "has_data", "links", "missing", "weak", "local_share", "region_share",
                   "unrecorded_share", "high_risk_links", "enterprises", "leaders", "leader_names"]
STATUSES = ("missing", "weak", "covered", "no_data")


def chain_has_data(p: Prepared) -> np.ndarray:
    """Per link: whether its chain has any member in the data. Data imported for one chain say
    nothing of the others: their links are "no_data", not missing (docs/chains.md §Coverage)."""
    L = p.n_links
    if L == 0:
        return np.zeros(0, dtype=bool)
    chain_codes, link_chain = np.unique(p.links["chain"].to_numpy(dtype=object).astype(str), return_inverse=True)
    has = np.zeros(len(chain_codes), dtype=bool)
    if len(p.m_link):
        has[link_chain[p.m_link]] = True
    return has[link_chain]


def buyer_links(p: Prepared) -> pd.DataFrame:
    """One row per (buyer, link) with recorded supply: buyer, link, weight, the share of need from each
    location class (local, region, domestic, abroad), unrecorded, n_suppliers, the buyer's HHI.

    weight = the buyer's output; a buyer of unknown (or zero) output counts as the mean known output of
    the link's buyers, and when none is known every buyer counts equally."""
    if "buyer_links" in p.cache:
        return p.cache["buyer_links"]
    if len(p.s_sup) == 0:
        return pd.DataFrame({c: pd.Series(dtype=float) for c in ["buyer", "link", "weight", *LOCATIONS, "recorded",
                                                              "unrecorded", "n_suppliers", "hhi"]})
    g, g_codes = groups(p)
    n_g = len(g)
    loc = p.ent_loc[p.s_sup]
    out = {}
    for i, name in enumerate(LOCATIONS):
        out[name] = np.bincount(g_codes, weights=np.where(loc == i, p.s_share, 0.0), minlength=n_g)
    recorded = np.bincount(g_codes, weights=p.s_share, minlength=n_g)
    scale = np.where(recorded > 1.0, 1.0 / np.where(recorded > 0, recorded, 1.0), 1.0)  # Σ share > 1 is cut to 1
    for name in LOCATIONS:
        out[name] = out[name] * scale
    recorded = np.minimum(recorded, 1.0)
    n_sup = np.bincount(g_codes, minlength=n_g)
    total = np.bincount(g_codes, weights=p.s_share, minlength=n_g)
    norm = p.s_share / np.where(total[g_codes] > 0, total[g_codes], 1.0)
    hhi = np.bincount(g_codes, weights=norm * norm, minlength=n_g)
    hhi = np.where(total > 0, hhi, 1.0 / np.maximum(n_sup, 1))  # all shares 0: count suppliers equal
    buyer = g // p.n_links
    link = g % p.n_links
    df = pd.DataFrame({"buyer": buyer, "link": link, **out, "recorded": recorded,
                       "unrecorded": np.clip(1.0 - recorded, 0.0, 1.0), "n_suppliers": n_sup, "hhi": hhi})
    out_b = p.ent_output[buyer]
    w = pd.Series(np.where(out_b > 0, out_b, np.nan))
    w = w.fillna(w.groupby(link).transform("mean")).fillna(1.0)
    df["weight"] = w.to_numpy()
    p.cache["buyer_links"] = df
    return df


def groups(p: Prepared) -> tuple[np.ndarray, np.ndarray]:
    """(keys, code per relation) of the (buyer, link) groups: key = buyer·L + link, sorted, so one
    buyer's groups are contiguous."""
    if "groups" not in p.cache:
        p.cache["groups"] = np.unique(p.s_buy * p.n_links + p.s_link, return_inverse=True)
    return p.cache["groups"]


def _weighted(df: pd.DataFrame, by: str, n: int) -> dict[str, np.ndarray]:
    """Σ weight·share / Σ weight per group code `by` (0..n-1); groups without buyers or with nothing
    recorded: unrecorded 1 and the location shares NaN (unknown)."""
    g = df[by].to_numpy(dtype=np.int64)
    w = df["weight"].to_numpy(dtype=float)
    if len(df):  # relative to the group's largest weight: tiny outputs must not underflow to 0
        wmax = np.zeros(n)
        np.maximum.at(wmax, g, w)
        w = w / wmax[g]
    wsum = np.bincount(g, weights=w, minlength=n) if len(df) else np.zeros(n)
    res = {}
    for name in (*LOCATIONS, "unrecorded"):
        num = np.bincount(g, weights=w * df[name].to_numpy(), minlength=n) if len(df) else np.zeros(n)
        res[name] = np.divide(num, wsum, out=np.zeros(n), where=wsum > 0)
    res["unrecorded"] = np.where(wsum > 0, res["unrecorded"], 1.0)
    nothing = res["unrecorded"] >= 1.0 - 1e-12
    for name in LOCATIONS:
        res[name] = np.where(nothing, np.nan, res[name])
    return res


def _coverage(p: Prepared, bl: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    L = p.n_links
    links = p.links
    # members: one per (enterprise, link)
    mk = np.unique(p.m_ent * max(L, 1) + p.m_link, return_index=True)[1]
    m_ent, m_link, m_cap = p.m_ent[mk], p.m_link[mk], p.m_cap[mk]
    m_loc = p.ent_loc[m_ent]
    n_members = np.bincount(m_link, minlength=L)
    n_local = np.bincount(m_link, weights=(m_loc == 0), minlength=L).astype(np.int64)
    n_region = np.bincount(m_link, weights=(m_loc == 1), minlength=L).astype(np.int64)
    known = np.isfinite(m_cap) & (m_cap > 0)
    cap = np.where(known, m_cap, 0.0)
    cap_sum = np.bincount(m_link, weights=cap, minlength=L)
    cap_local = np.bincount(m_link, weights=np.where(m_loc == 0, cap, 0.0), minlength=L)
    cap_known = np.divide(np.bincount(m_link, weights=known, minlength=L), n_members, out=np.zeros(L),
                          where=n_members > 0)
    # capacity measures only where enough of it is known: one unknown 链主 would turn them around
    by_cap = (cap_sum > 0) & (cap_known >= float(settings["chain_capacity_known_min"]) - 1e-12)
    s = cap / np.where(cap_sum[m_link] > 0, cap_sum[m_link], 1.0)
    hhi = np.bincount(m_link, weights=s * s, minlength=L)
    hhi = np.where(by_cap, hhi, np.nan)
    sh = _weighted(bl, "link", L)
    n_buyers = np.bincount(bl["link"].to_numpy(), minlength=L) if len(bl) else np.zeros(L, dtype=np.int64)
    n_rel = np.bincount(p.s_link, minlength=L)
    weak_max = int(settings["chain_weak_link_max"])
    status = np.where(n_local == 0, "missing", np.where(n_local <= weak_max, "weak", "covered"))
    has = chain_has_data(p)
    status = np.where(has, status, "no_data")
    unrec = np.where(has, sh["unrecorded"], np.nan)
    cap_known = np.where(has, cap_known, np.nan)
    return pd.DataFrame({
        "chain": links["chain"].to_numpy(), "link": links["link"].to_numpy(), "name": links["name"].to_numpy(),
        "name_en": links["name_en"].to_numpy(), "stage": links["stage"].to_numpy(),
        "stage_order": links["stage_order"].to_numpy(),
        "n_members": n_members.astype(np.int64), "n_local": n_local, "n_region": n_region,
        "n_buyers": np.asarray(n_buyers, dtype=np.int64), "n_relations": n_rel.astype(np.int64),
        "local_share": sh["local"], "region_share": sh["local"] + sh["region"], "domestic_share": sh["domestic"],
        "abroad_share": sh["abroad"], "unrecorded_share": unrec,
        "capacity": cap_sum, "capacity_known": cap_known,
        "local_capacity_share": np.divide(cap_local, cap_sum, out=np.full(L, np.nan), where=by_cap),
        "hhi": hhi, "status": status.astype(object),
    }, columns=COVERAGE_COLUMNS)


def link_coverage(plan, data: ChainData, settings: Settings | None = None) -> pd.DataFrame:
    """Per (chain, link): members (all, local, region), need-weighted supply shares by location (local,
    local + region, domestic, abroad, unrecorded: they sum to 1 with region_share counted once; NaN
    where no supply is recorded), capacity HHI (NaN unless chain_capacity_known_min of the members'
    capacity is known) and the status missing / weak / covered, or no_data on a chain where the data
    have no member at all (its shares NaN)."""
    settings = settings or Settings()
    p = prepare(plan, data)
    return _coverage(p, buyer_links(p), settings)


def summary_frame(plan, p: Prepared, bl: pd.DataFrame, cov: pd.DataFrame,
                  link_grades: pd.Series | None) -> pd.DataFrame:
    """chain_summary's frame from the prepared data, the buyer-links, the coverage and the link grades."""
    chains = list(dict.fromkeys(p.links["chain"]))
    idx = {c: i for i, c in enumerate(chains)}
    n = len(chains)
    link_chain = p.links["chain"].map(idx).to_numpy(dtype=np.int64) if len(p.links) else np.zeros(0, np.int64)
    if len(bl):
        bl = bl.assign(chain_code=link_chain[bl["link"].to_numpy()])
    else:
        bl = bl.assign(chain_code=pd.Series(dtype=np.int64))
    sh = _weighted(bl, "chain_code", n)
    cc = cov.assign(chain_code=link_chain)
    grp = cc.groupby("chain_code")
    links_n = grp.size().reindex(range(n), fill_value=0).to_numpy()
    missing = grp["status"].apply(lambda s: int((s == "missing").sum())).reindex(range(n), fill_value=0)
    weak = grp["status"].apply(lambda s: int((s == "weak").sum())).reindex(range(n), fill_value=0)
    high = np.zeros(n, dtype=np.int64)
    if link_grades is not None and len(link_grades):
        high = np.bincount(link_chain, weights=(link_grades.to_numpy() == "high"), minlength=n).astype(np.int64)
    m_chain = link_chain[p.m_link] if len(p.m_link) else np.zeros(0, np.int64)
    ents = pd.DataFrame({"chain": m_chain, "ent": p.m_ent, "role": p.m_role})
    n_ent = ents.groupby("chain")["ent"].nunique().reindex(range(n), fill_value=0).to_numpy()
    leaders = ents[ents["role"] == 0].drop_duplicates(["chain", "ent"])
    n_lead = leaders.groupby("chain").size().reindex(range(n), fill_value=0).to_numpy()
    names = (leaders.assign(name=p.ent_names[leaders["ent"].to_numpy()] if len(leaders) else [])
             .groupby("chain")["name"].agg(lambda s: "、".join(sorted(map(str, s)))))
    names = names.reindex(range(n), fill_value="").to_numpy()
    has = np.zeros(n, dtype=bool)
    if len(cc):
        has[link_chain[(cc["status"] != "no_data").to_numpy()]] = True
    meta = {c.id: (c.name, c.name_en or c.name) for c in plan.chains}
    return pd.DataFrame({
        "chain": chains, "name": [meta[c][0] for c in chains], "name_en": [meta[c][1] for c in chains],
        "has_data": has, "links": links_n.astype(np.int64), "missing": missing.to_numpy(dtype=np.int64),
        "weak": weak.to_numpy(dtype=np.int64), "local_share": sh["local"],
        "region_share": sh["local"] + sh["region"], "unrecorded_share": np.where(has, sh["unrecorded"], np.nan), "high_risk_links": high, "enterprises": n_ent.astype(np.int64),
        "leaders": n_lead.astype(np.int64), "leader_names": names,
    }, columns=SUMMARY_COLUMNS)


