"""Disruption what-if (断供推演): remove enterprises, districts or outside regions and follow the loss
down the chain (docs/chains.md §What-if).

Model (Leontief-style, fixed proportions): a removed enterprise supplies nothing; a buyer loses, for
each input link, the sum of the shares its lost suppliers delivered (times the share of its own
output each supplier lost); its production falls by the largest such loss over its input links —
a line stops at its scarcest input, no substitution within the period. A buyer that lost x supplies
x less to its own buyers, and so on, in vectorised rounds until nothing changes (a fixed point; with
cycles in supply the loss approaches it geometrically, stopped below 1e-6 or after
chain_whatif_max_rounds rounds). output_at_risk = Σ loss × output over every loss; the lists name only
enterprises and links hit by at least chain_whatif_min_loss.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from zhizao.analytics.chains.coverage import buyer_links, groups
from zhizao.analytics.chains.data import ChainData
from zhizao.analytics.chains.frames import LOCATIONS, Prepared, prepare
from zhizao.settings import Settings

TOLERANCE = 1e-6  # a loss change below this ends the propagation; smaller losses count as none
WHATIF_ENTERPRISE_COLUMNS = ["enterprise_id", "name", "district", "location", "removed", "loss", "output",
                             "output_at_risk"]
WHATIF_LINK_COLUMNS = ["chain", "link", "name", "name_en", "n_members", "members_removed", "n_local",
                       "local_removed", "need_lost_share", "status"]
WHATIF_CHAIN_COLUMNS = ["chain", "links_lost", "links_stopped", "local_links_lost", "links_weakened",
                        "enterprises_affected", "output_at_risk"]
LINK_STATUSES = ("lost", "stopped", "local_lost", "weakened")  # most severe first
SUMMARY_KEYS = ["scenario", "removed", "not_found", "links_lost", "links_stopped", "local_links_lost", "links_weakened",
                "enterprises_affected", "output_removed", "output_at_risk_downstream", "output_at_risk",
                "output_unknown", "rounds", "converged"]


@dataclass(frozen=True)
class Scenario:
    """What is removed: enterprises (ids), districts (GB/T 2260 codes) and regions (a GB/T 2260 prefix
    such as "44", "abroad", or an ISO 3166-1 country code such as "JP")."""

    name: str
    enterprises: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()


@dataclass(frozen=True)
class WhatIf:
    scenario: Scenario
    enterprises: pd.DataFrame
    links: pd.DataFrame
    chains: pd.DataFrame
    summary: dict = field(default_factory=dict)


def removed_mask(p: Prepared, scenario: Scenario) -> tuple[np.ndarray, list[str]]:
    """Which enterprises the scenario removes, and the enterprise ids it names that the data lack."""
    ids = pd.Index(p.ent_ids)
    mask = np.zeros(p.n_ent, dtype=bool)
    codes = ids.get_indexer([str(e) for e in scenario.enterprises])
    mask[codes[codes >= 0]] = True
    missing = [str(e) for e, c in zip(scenario.enterprises, codes) if c < 0]
    district = pd.Series(p.ent_district, dtype=object).fillna("").astype(str)
    country = pd.Series(p.ent_country, dtype=object).fillna("").astype(str).str.upper()
    if scenario.districts:
        mask |= district.isin([str(d) for d in scenario.districts]).to_numpy()
    for region in scenario.regions:
        r = str(region).strip()
        if r.lower() == "abroad":
            mask |= p.ent_loc == LOCATIONS.index("abroad")
        elif r.isalpha():
            mask |= (country == r.upper()).to_numpy()
        elif r:
            mask |= district.str.startswith(r).to_numpy() & (p.ent_loc != LOCATIONS.index("abroad"))
    return mask, missing


def propagate(p: Prepared, removed: np.ndarray, max_rounds: int) -> tuple[np.ndarray, np.ndarray, int, bool]:
    """(loss per enterprise in [0, 1], lost share per (buyer, link) group, rounds, converged)."""
    loss = removed.astype(float)
    keys, g = groups(p) if len(p.s_sup) else (np.zeros(0, np.int64), np.zeros(0, np.int64))
    G = len(keys)
    lost_g = np.zeros(G)
    if G == 0 or not removed.any():
        return loss, lost_g, 0, True
    buyer_of_g = keys // p.n_links
    starts = np.flatnonzero(np.r_[True, buyer_of_g[1:] != buyer_of_g[:-1]])
    buyers = buyer_of_g[starts]
    rounds, converged = 0, False
    while rounds < max_rounds:
        rounds += 1
        lost_g = np.minimum(np.bincount(g, weights=p.s_share * loss[p.s_sup], minlength=G), 1.0)
        new = loss.copy()
        new[buyers] = np.maximum(loss[buyers], np.maximum.reduceat(lost_g, starts))
        change = float(np.max(new - loss))
        loss = new
        if change < TOLERANCE:
            converged = True
            break
    return loss, lost_g, rounds, converged


def whatif(plan, data: ChainData, scenario: Scenario, settings: Settings | None = None) -> WhatIf:
    """Remove what the scenario names and propagate the loss down the supply relations."""
    s = settings or Settings()
    p = prepare(plan, data)
    removed, missing = removed_mask(p, scenario)
    loss, lost_g, rounds, converged = propagate(p, removed, int(s["chain_whatif_max_rounds"]))
    min_loss = max(float(s["chain_whatif_min_loss"]), TOLERANCE)
    L = p.n_links
    # links: members removed, all members / all local members removed, need lost
    mk = np.unique(p.m_ent * max(L, 1) + p.m_link, return_index=True)[1]
    m_ent, m_link = p.m_ent[mk], p.m_link[mk]
    local = p.ent_loc[m_ent] == 0
    gone = removed[m_ent]
    down = loss[m_ent] >= 1.0 - TOLERANCE  # removed, or lost all of some input: its production stops
    n_members = np.bincount(m_link, minlength=L)
    n_removed = np.bincount(m_link, weights=gone, minlength=L).astype(np.int64)
    n_down = np.bincount(m_link, weights=down, minlength=L).astype(np.int64)
    n_local = np.bincount(m_link, weights=local, minlength=L).astype(np.int64)
    local_removed = np.bincount(m_link, weights=gone & local, minlength=L).astype(np.int64)
    local_down = np.bincount(m_link, weights=down & local, minlength=L).astype(np.int64)
    bl = buyer_links(p)
    # need-weighted loss of the link's recorded buyers; NaN (unknown) when nobody is recorded buying it
    need_lost = np.full(L, np.nan)
    if len(bl):
        w = bl["weight"].to_numpy()
        lk = bl["link"].to_numpy(dtype=np.int64)
        wsum = np.bincount(lk, weights=w, minlength=L)
        np.divide(np.bincount(lk, weights=w * lost_g, minlength=L), wsum, out=need_lost, where=wsum > 0)
    lost = (n_members > 0) & (n_removed == n_members)
    stopped = ~lost & (n_members > 0) & (n_down == n_members)
    local_lost = ~lost & ~stopped & (n_local > 0) & (local_down == n_local)
    weakened = ~lost & ~stopped & ~local_lost & ((n_removed > 0) | (np.nan_to_num(need_lost) >= min_loss))
    status = np.select([lost, stopped, local_lost, weakened], list(LINK_STATUSES), "")
    links = pd.DataFrame({"chain": p.links["chain"].to_numpy(), "link": p.links["link"].to_numpy(),
                          "name": p.links["name"].to_numpy(), "name_en": p.links["name_en"].to_numpy(),
                          "n_members": n_members.astype(np.int64), "members_removed": n_removed, "n_local": n_local,
                          "local_removed": local_removed, "need_lost_share": need_lost, "status": status.astype(object)},
                         columns=WHATIF_LINK_COLUMNS)
    links = links[links["status"] != ""].reset_index(drop=True)
    # enterprises: the sums over every loss, the list from chain_whatif_min_loss on
    hit = np.flatnonzero(loss > TOLERANCE)
    out = p.ent_output[hit]
    at_risk = loss[hit] * out
    shown = hit[removed[hit] | (loss[hit] >= min_loss)]
    ents = pd.DataFrame({"enterprise_id": p.ent_ids[shown], "name": p.ent_names[shown],
                         "district": p.ent_district[shown], "location": np.asarray(LOCATIONS, dtype=object)[p.ent_loc[shown]],
                         "removed": removed[shown], "loss": loss[shown], "output": p.ent_output[shown],
                         "output_at_risk": loss[shown] * p.ent_output[shown]}, columns=WHATIF_ENTERPRISE_COLUMNS)
    ents = ents.sort_values(["output_at_risk", "loss"], ascending=False, na_position="last",
                            kind="stable").reset_index(drop=True)
    # chains: an enterprise on several chains counts in each
    chain_of_link = p.links["chain"].to_numpy()
    rows = []
    affected = loss > TOLERANCE
    listed = loss >= min_loss
    for chain in dict.fromkeys(chain_of_link):
        in_chain = chain_of_link == chain
        members = np.unique(m_ent[in_chain[m_link]]) if len(m_link) else np.zeros(0, np.int64)
        members = members[affected[members] & ~removed[members]]
        rows.append({"chain": chain, "links_lost": int((lost & in_chain).sum()),
                     "links_stopped": int((stopped & in_chain).sum()),
                     "local_links_lost": int((local_lost & in_chain).sum()),
                     "links_weakened": int((weakened & in_chain).sum()),
                     "enterprises_affected": int(listed[members].sum()),
                     "output_at_risk": float(np.nansum(loss[members] * p.ent_output[members]))})
    chains = pd.DataFrame(rows, columns=WHATIF_CHAIN_COLUMNS)
    down = ~removed[hit]
    summary = {
        "scenario": scenario.name, "removed": int(removed.sum()), "not_found": missing,
        "links_lost": int(lost.sum()), "links_stopped": int(stopped.sum()), "local_links_lost": int(local_lost.sum()),
        "links_weakened": int(weakened.sum()), "enterprises_affected": int((down & listed[hit]).sum()),
        "output_removed": float(np.nansum(at_risk[~down])), "output_at_risk_downstream": float(np.nansum(at_risk[down])),
        "output_at_risk": float(np.nansum(at_risk)), "output_unknown": int(np.isnan(out).sum()),
        "rounds": rounds, "converged": converged,
    }
    return WhatIf(scenario=scenario, enterprises=ents, links=links, chains=chains, summary=summary)


def compare(whatifs: list[WhatIf]) -> pd.DataFrame:
    """One row per scenario with its summary numbers, in the order given."""
    rows = [{**w.summary, "not_found": "、".join(w.summary.get("not_found", []))} for w in whatifs]
    return pd.DataFrame(rows, columns=SUMMARY_KEYS)
