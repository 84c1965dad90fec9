"""SYNTHETIC industrial-chain data: enterprises on the plan's chain links and who supplies whom.

Nothing here describes a real enterprise: names are 合成企业C000001… (the C keeps them apart from the
monitoring enterprises' 合成企业000001 in the one enterprise registry of zhizao.synth.enterprises), credit codes are random (but pass the
GB 32100 check, region part = the enterprise's district), and the ChainData says synthetic=True with
a source text naming the generator and its seed. It works for any plan with chains and uses only the
plan: its chains and links (stage, upstream), the districts of plan.regions, the supply region's
GB/T 2260 prefixes and the clusters' scale targets. docs/synthetic-data.md describes the model;
in short:

- Enterprises get a main link (links upstream have more members), a location drawn by the link's
  stage (upstream parts and materials come more often from outside and abroad), 1–2 链主 (leader) per
  chain on its final-stage links (local, large), the largest fifth of each link's members are core
  suppliers (核心配套), the rest suppliers; about one in eight sits on a second link.
- Output (万元) is lognormal by stage and calibrated: the enterprises whose main chain it is produce
  CHAINS_SHARE_OF_CLUSTER of their cluster's scale target, split equally among the cluster's chains
  (an assumption, not a statistic: the generated enterprises stand for the chain's main producers).
- Supply: for every upstream → downstream pair of links, each member of the downstream link buys the
  upstream product from 1..k members of the upstream link (weighted by capacity, without
  replacement, never from itself); the shares are a Dirichlet split of the covered part of its need
  (all of it mostly, 50–95 % sometimes: the rest is unrecorded). About a fifth of buyer-links are
  single-source by design.
- So that every analysis has something to show, a few non-final links are made missing (no local
  member) and a few weak (exactly one local member).

Everything is vectorised numpy (no loop per relation): 100,000 enterprises and 1,000,000 relations
take seconds (bench/ measures).
"""
from __future__ import annotations

import hashlib
import threading

import numpy as np
import pandas as pd

from zhizao.analytics.chains.data import (ENTERPRISE_COLUMNS, HOME_COUNTRY, MEMBER_COLUMNS, SUPPLY_COLUMNS,
                                          ChainData)
from zhizao.codes.uscc import generate_codes
from zhizao.errors import UserError
from zhizao.plan.spec import ChainStage, Plan

GENERATOR = "zhizao synth chains"
AS_OF = "2024-12-31"  # the date the synthetic data claim to describe (fixed: results do not move with the clock)
STAGE_ORDER = {s: i for i, s in enumerate(ChainStage)}  # materials 0 … services 4

# Other Chinese places enterprises outside the plan's area come from: GB/T 2260 codes as published in
# the Ministry of Civil Affairs' list 中华人民共和国县以上行政区划代码 (mca.gov.cn). Codes under the
# plan's own province or its supply region are skipped for "domestic" at run time.
OTHER_PLACES: tuple[tuple[str, str], ...] = (
    ("110000", "北京市"), ("120000", "天津市"), ("310000", "上海市"), ("320500", "苏州市"),
    ("320200", "无锡市"), ("330100", "杭州市"), ("330200", "宁波市"), ("340100", "合肥市"),
    ("350200", "厦门市"), ("370200", "青岛市"), ("420100", "武汉市"), ("430100", "长沙市"),
    ("440100", "广州市"), ("440300", "深圳市"), ("441900", "东莞市"), ("510100", "成都市"),
    ("610100", "西安市"),
)
ABROAD_COUNTRIES = ("JP", "KR", "DE", "US", "NL", "FR", "CH", "SE")  # ISO 3166-1 alpha-2
ABROAD_REGION = "000000"  # the region part of an abroad enterprise's synthetic credit code: no Chinese registrar

# --- assumptions (zhizao, not statistics) -----------------------------------------------------------
CHAINS_SHARE_OF_CLUSTER = 0.6  # the generated members of a cluster's chains produce 60 % of its scale target
UNIT_IN_WAN = {"万元": 1.0, "亿元": 1e4, "亿": 1e4, "万亿元": 1e8, "万亿": 1e8, "元": 1e-4}
# by stage (materials, parts, systems, final, services)
P_LOCAL = (0.40, 0.50, 0.60, 0.75, 0.80)
P_REGION = (0.15, 0.15, 0.12, 0.08, 0.08)  # of the supply region (→ domestic when the plan names none)
P_ABROAD = (0.12, 0.12, 0.06, 0.02, 0.02)  # the rest: elsewhere in China
MEMBER_WEIGHT = (1.0, 1.6, 1.0, 0.5, 0.5)  # relative number of members per link
MEDIAN_OUTPUT_WAN = (2e4, 1.5e4, 3e4, 8e4, 1e4)
OUTPUT_SIGMA = 1.2
LEADER_BOOST = 5.0
CORE_FRACTION = 0.2
SECOND_LINK_RATE = 0.12
SECOND_LINK_SAME_CHAIN = 0.8
SINGLE_SOURCE_RATE = 0.2  # buyer-links kept to one supplier when relations are spread
FULL_COVERAGE_RATE = 0.75  # buyer-links whose recorded shares cover all of the need
CAPACITY_UNKNOWN_RATE = 0.01  # supplier memberships with capacity NaN (real data have gaps too)
MISSING_RATE, WEAK_RATE = 0.06, 0.08  # of links; at least one each when there are eligible links


def _default_enterprises(n_links: int) -> int:
    return int(np.clip(40 * n_links, 300, 2000))


def generate_chain_data(plan: Plan, *, seed: int = 0, n_enterprises: int | None = None,
                        n_relations: int | None = None) -> ChainData:
    """SYNTHETIC chain data for any plan with chains (see the module docstring); deterministic for a
    seed. n_enterprises: default 40 per link (300–2,000); n_relations: default about three suppliers
    per buyer-link. An empty ChainData for a plan without chains."""
    source = f"合成数据（演示用）：{GENERATOR}, seed {seed}"
    if not plan.chains or not any(c.links for c in plan.chains):
        return ChainData.empty(source, synthetic=True)
    rng = np.random.default_rng(seed)
    links = _links(plan)
    n_links = len(links["chain"])
    n_ent = _default_enterprises(n_links) if n_enterprises is None else int(n_enterprises)
    if n_ent < n_links:
        raise UserError(f"企业数 {n_ent} 少于产业链环节数 {n_links}：每个环节至少要一家企业，请调大企业数",
                        f"{n_ent} enterprises are fewer than the {n_links} chain links: every link needs one; "
                        "ask for more enterprises")
    if n_relations is not None and n_relations < 0:
        raise UserError("供应关系数不能为负数", "the number of supply relations cannot be negative")
    status = _designate(links, rng)
    main = _main_links(links, n_ent, rng)
    stage = links["stage"][main]
    loc = _locations(plan, stage, rng)  # 0 local, 1 region, 2 domestic, 3 abroad
    output = np.exp(np.log(np.asarray(MEDIAN_OUTPUT_WAN)[stage]) + OUTPUT_SIGMA * rng.standard_normal(n_ent))
    has_region, has_local = bool(_region_codes(plan)), plan.regions is not None
    _enforce_status(main, status, loc, output, has_region, has_local, rng)
    leaders = _leaders(links, main, output, rng)
    if has_local:  # a plan without regions has no local enterprises at all
        loc[leaders] = 0
    output[leaders] *= LEADER_BOOST
    calibrated = _calibrate(plan, links, main, output)
    districts, countries = _places(plan, loc, rng)
    m_ent, m_link, capacity = _memberships(links, status, main, output, rng)
    role = _roles(m_ent, m_link, capacity, leaders, main, n_links)
    unknown = (role == 2) & (rng.random(len(capacity)) < CAPACITY_UNKNOWN_RATE)
    capacity[unknown] = np.nan

    code_regions = np.where(loc == 3, ABROAD_REGION, districts)
    ids = generate_codes(code_regions, rng).astype(object)
    width = max(6, len(str(n_ent)))
    names = np.array([f"合成企业C{i:0{width}d}" for i in range(1, n_ent + 1)], dtype=object)
    enterprises = pd.DataFrame({"enterprise_id": ids, "name": names, "district": districts.astype(object),
                                "country": countries.astype(object), "output": output.astype("float64")})
    chain_ids = np.array(links["chain_id"], dtype=object)
    link_ids = np.array(links["link_id"], dtype=object)
    role_names = np.array(["leader", "core", "supplier"], dtype=object)
    order = np.lexsort((m_ent, m_link))
    members = pd.DataFrame({"enterprise_id": ids[m_ent[order]], "chain": chain_ids[m_link[order]],
                            "link": link_ids[m_link[order]], "role": role_names[role[order]],
                            "capacity": capacity[order].astype("float64")})

    sup, buy, s_link, share = _supply(links, m_ent, m_link, capacity, output, n_ent, n_relations, rng)
    supply = pd.DataFrame({"supplier_id": ids[sup], "buyer_id": ids[buy], "chain": chain_ids[s_link],
                           "link": link_ids[s_link], "share": share.astype("float64")})
    if calibrated:
        source += (f"；产值按所属产业集群规模目标的 {CHAINS_SHARE_OF_CLUSTER:.0%} 校准（假设）"
                   f" / output calibrated to {CHAINS_SHARE_OF_CLUSTER:.0%} of the cluster scale target (assumption)")
    return ChainData(enterprises[ENTERPRISE_COLUMNS], members[MEMBER_COLUMNS], supply[SUPPLY_COLUMNS],
                     synthetic=True, source=source, batch_id=None, as_of=AS_OF)


_CACHE: dict[tuple[str, str], ChainData] = {}
_LOCK = threading.Lock()


def default_chain_data(plan: Plan) -> ChainData:
    """The embedded default: generate_chain_data(plan, seed=0), cached per plan (id and the parts of the
    plan the generator reads). Each call gets its own copies of the frames."""
    parts = plan.model_dump_json(include={"chains", "regions", "supply_region", "clusters"})
    key = (plan.plan.id, hashlib.sha256(parts.encode()).hexdigest())
    with _LOCK:
        data = _CACHE.get(key)
        if data is None:
            data = _CACHE[key] = generate_chain_data(plan, seed=0)
    return ChainData(data.enterprises.copy(), data.members.copy(), data.supply.copy(), synthetic=data.synthetic,
                     source=data.source, batch_id=data.batch_id, as_of=data.as_of)


# --- the pieces ---------------------------------------------------------------------------------------

def _links(plan: Plan) -> dict:
    """The plan's links as flat arrays (global link index = position) and the upstream → downstream edges."""
    chain_idx, chain_id, link_id, stage, edges = [], [], [], [], []
    for ci, chain in enumerate(plan.chains):
        base = len(link_id)
        pos = {lk.id: base + j for j, lk in enumerate(chain.links)}
        for lk in chain.links:
            chain_idx.append(ci)
            chain_id.append(chain.id)
            link_id.append(lk.id)
            stage.append(STAGE_ORDER[lk.stage])
            edges.extend((pos[u], pos[lk.id]) for u in dict.fromkeys(lk.upstream) if u in pos)
    e = np.array(sorted(set(edges)), dtype=np.int64).reshape(-1, 2)
    return {"chain": np.array(chain_idx), "chain_id": chain_id, "link_id": link_id, "stage": np.array(stage),
            "edges": e, "n_chains": len(plan.chains)}


def _final_links(links: dict, ci: int) -> np.ndarray:
    """The chain's final-stage links, or its most downstream ones when it has none."""
    own = np.flatnonzero(links["chain"] == ci)
    st = links["stage"][own]
    final = own[st == STAGE_ORDER[ChainStage.final]]
    return final if len(final) else own[st == st.max()]


def _designate(links: dict, rng: np.random.Generator) -> np.ndarray:
    """0 normal, 1 missing (no local member), 2 weak (one local member): chosen among links that are
    not final and feed another link, so a gap has consequences downstream."""
    n = len(links["chain"])
    status = np.zeros(n, dtype=np.int8)
    feeds = np.zeros(n, dtype=bool)
    feeds[links["edges"][:, 0]] = True
    final = np.zeros(n, dtype=bool)
    for ci in range(links["n_chains"]):
        final[_final_links(links, ci)] = True
    eligible = np.flatnonzero(feeds & ~final)
    eligible = rng.permutation(eligible)
    n_missing = min(len(eligible), max(1, round(MISSING_RATE * n)))
    n_weak = min(len(eligible) - n_missing, max(1, round(WEAK_RATE * n)))
    status[eligible[:n_missing]] = 1
    status[eligible[n_missing:n_missing + n_weak]] = 2
    return status


def _main_links(links: dict, n_ent: int, rng: np.random.Generator) -> np.ndarray:
    """Each enterprise's main link: a minimum per link, the rest by stage weight × noise."""
    n = len(links["chain"])
    per = min(3, n_ent // n)
    w = np.asarray(MEMBER_WEIGHT)[links["stage"]] * rng.gamma(4.0, 0.25, n)
    rest = rng.choice(n, size=n_ent - per * n, p=w / w.sum())
    return rng.permutation(np.concatenate([np.repeat(np.arange(n), per), rest]))


def _locations(plan: Plan, stage: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    has_region = bool(_region_codes(plan))
    has_local = plan.regions is not None
    p_local = np.asarray(P_LOCAL)[stage] if has_local else np.zeros(len(stage))
    p_region = np.asarray(P_REGION)[stage] if has_region else np.zeros(len(stage))
    p_abroad = np.asarray(P_ABROAD)[stage]
    u = rng.random(len(stage))
    return np.select([u < p_local, u < p_local + p_region, u < 1 - p_abroad], [0, 1, 2], 3).astype(np.int8)


def _outside(n: int, has_region: bool, rng: np.random.Generator) -> np.ndarray:
    """Locations for enterprises that must not be local: region, domestic or abroad."""
    p = np.array([0.35, 0.4, 0.25]) if has_region else np.array([0.0, 0.7, 0.3])
    return rng.choice(np.array([1, 2, 3], dtype=np.int8), size=n, p=p)


def _enforce_status(main, status, loc, output, has_region, has_local, rng) -> None:
    for gl in np.flatnonzero(status):
        idx = np.flatnonzero(main == gl)
        loc[idx] = _outside(len(idx), has_region, rng)
        if status[gl] == 2 and has_local:
            loc[idx[np.argmax(output[idx])]] = 0


def _leaders(links: dict, main: np.ndarray, output: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """1–2 per chain: the largest enterprises whose main link is one of the chain's final links."""
    out = []
    for ci in range(links["n_chains"]):
        cand = np.flatnonzero(np.isin(main, _final_links(links, ci)))
        k = min(len(cand), 1 + int(rng.random() < 0.5))
        out.extend(cand[np.argsort(-output[cand], kind="stable")[:k]])
    return np.array(out, dtype=np.int64)


def _calibrate(plan: Plan, links: dict, main: np.ndarray, output: np.ndarray) -> bool:
    """Scale each chain's main-link enterprises to its part of the cluster's scale target (in place).
    False when no cluster target could be used (then the outputs stay as drawn)."""
    clusters = {c.id: c for c in plan.clusters}
    per_cluster: dict[str, int] = {}
    for chain in plan.chains:
        per_cluster[chain.cluster] = per_cluster.get(chain.cluster, 0) + 1
    done = False
    ent_chain = links["chain"][main]
    for ci, chain in enumerate(plan.chains):
        cl = clusters.get(chain.cluster)
        factor = UNIT_IN_WAN.get(cl.unit.strip()) if cl is not None else None
        idx = ent_chain == ci
        if factor is None or cl.scale_target <= 0 or not idx.any():
            continue
        target = CHAINS_SHARE_OF_CLUSTER * cl.scale_target * factor / per_cluster[chain.cluster]
        output[idx] *= target / output[idx].sum()
        done = True
    return done


def _local_codes(plan: Plan) -> list[str]:
    if plan.regions is None:
        return []
    return [d.code for d in plan.regions.districts] or [plan.regions.whole_code]


def _home_prefix(plan: Plan) -> str | None:
    return plan.regions.whole_code[:2] if plan.regions is not None else None


def _region_codes(plan: Plan) -> list[str]:
    """GB/T 2260 codes inside the supply region but outside the plan's own province."""
    if plan.supply_region is None:
        return []
    home, out = _home_prefix(plan), []
    for p in plan.supply_region.division_prefixes:
        if home is not None and (p.startswith(home) or home.startswith(p)):
            continue  # the plan's own area: such an enterprise would be local
        known = [c for c, _ in OTHER_PLACES if c.startswith(p)]
        out.extend(known or [p.ljust(6, "0")[:6]])
    return out


def _domestic_codes(plan: Plan) -> list[str]:
    home = _home_prefix(plan)
    region = tuple(plan.supply_region.division_prefixes) if plan.supply_region is not None else ()
    codes = [c for c, _ in OTHER_PLACES if (home is None or not c.startswith(home)) and not c.startswith(region)]
    return codes or [c for c, _ in OTHER_PLACES if home is None or not c.startswith(home)]


def _places(plan: Plan, loc: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """District code ("" abroad) and country per enterprise; local districts by random weights."""
    n = len(loc)
    district = np.full(n, "", dtype="U6")
    local = _local_codes(plan)
    if local:
        w = rng.gamma(1.0, 1.0, len(local)) + 0.05
        idx = np.flatnonzero(loc == 0)
        district[idx] = np.asarray(local)[rng.choice(len(local), size=len(idx), p=w / w.sum())]
    for code, codes in ((1, _region_codes(plan)), (2, _domestic_codes(plan))):
        idx = np.flatnonzero(loc == code)
        if len(idx):
            district[idx] = np.asarray(codes)[rng.integers(0, len(codes), len(idx))]
    country = np.full(n, HOME_COUNTRY, dtype="U2")
    abroad = np.flatnonzero(loc == 3)
    country[abroad] = np.asarray(ABROAD_COUNTRIES)[rng.integers(0, len(ABROAD_COUNTRIES), len(abroad))]
    return district, country


def _memberships(links, status, main, output, rng):
    """(enterprise, link, capacity) per membership: the main link, and for some a second link (never a
    missing or weak one, which keeps their designed local counts)."""
    n_ent = len(main)
    capacity = output * rng.uniform(1.05, 1.6, n_ent)  # utilisation 60–95 %
    open_links = np.flatnonzero(status == 0)
    second = np.flatnonzero(rng.random(n_ent) < SECOND_LINK_RATE)
    if len(second) and len(open_links):
        same = rng.random(len(second)) < SECOND_LINK_SAME_CHAIN
        # same chain: a random open link of the main link's chain; else any open link
        chain_of_open = links["chain"][open_links]
        order = np.argsort(chain_of_open, kind="stable")
        sorted_open, sorted_chain = open_links[order], chain_of_open[order]
        start = np.searchsorted(sorted_chain, links["chain"][main[second]], "left")
        stop = np.searchsorted(sorted_chain, links["chain"][main[second]], "right")
        cnt = stop - start
        pick_same = sorted_open[np.minimum(start + (rng.random(len(second)) * cnt).astype(np.int64),
                                           len(sorted_open) - 1)]
        pick_any = open_links[rng.integers(0, len(open_links), len(second))]
        target = np.where(same & (cnt > 0), pick_same, pick_any)
        keep = target != main[second]
        second, target = second[keep], target[keep]
        m_ent = np.concatenate([np.arange(n_ent), second])
        m_link = np.concatenate([main, target])
        capacity = np.concatenate([capacity, output[second] * rng.uniform(0.1, 0.5, len(second))])
    else:
        m_ent, m_link = np.arange(n_ent), main.copy()
    return m_ent, m_link, capacity


def _roles(m_ent, m_link, capacity, leaders, main, n_links) -> np.ndarray:
    """0 leader (its main link), 1 core (the largest fifth of each link by capacity), 2 supplier."""
    order = np.lexsort((-capacity, m_link))
    sl = m_link[order]
    start = np.searchsorted(sl, np.arange(n_links))
    size = np.bincount(sl, minlength=n_links)
    rank = np.arange(len(sl)) - start[sl]
    role = np.full(len(m_ent), 2, dtype=np.int8)
    role[order[rank < np.ceil(CORE_FRACTION * size[sl])]] = 1
    is_leader = np.isin(m_ent, leaders) & (m_link == main[m_ent])
    role[is_leader] = 0
    return role


# --- supply relations -----------------------------------------------------------------------------------

def _supply(links, m_ent, m_link, capacity, output, n_ent, n_relations, rng):
    """(supplier, buyer, link, share) arrays; see the module docstring."""
    n_links = len(links["chain"])
    empty = (np.zeros(0, np.int64),) * 3 + (np.zeros(0),)
    edges = links["edges"]
    if not len(edges):
        return empty
    order = np.argsort(m_link, kind="stable")
    s_ent, s_link = m_ent[order], m_link[order]
    w = np.nan_to_num(capacity[order], nan=np.nanmedian(capacity)) ** 0.7
    start = np.searchsorted(s_link, np.arange(n_links))
    size = np.bincount(s_link, minlength=n_links)
    cumw = np.concatenate([[0.0], np.cumsum(w)])

    # buyer-links: every member of a downstream link b buys the product of each upstream link a
    cnt = size[edges[:, 1]]
    e_rep = np.repeat(np.arange(len(edges)), cnt)
    offs = np.arange(len(e_rep)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    buyers = s_ent[start[edges[e_rep, 1]] + offs]
    bl_key = np.unique(buyers.astype(np.int64) * n_links + edges[e_rep, 0])
    bl_buyer, bl_link = bl_key // n_links, bl_key % n_links
    member_key = m_ent.astype(np.int64) * n_links + m_link
    room = size[bl_link] - np.isin(bl_key, member_key)
    keep = room > 0
    bl_buyer, bl_link, room = bl_buyer[keep], bl_link[keep], room[keep]
    n_bl = len(bl_buyer)
    if not n_bl:
        return empty
    if n_relations is None:
        n_relations = int(min(room.sum(), 3 * n_bl))
    k = _allocate(room, output[bl_buyer], int(n_relations), rng)

    chosen_bl, chosen_ent = _choose(k, room, bl_buyer, bl_link, start, size, s_ent, w, cumw, rng)
    # shares: a Dirichlet(1, …) split of the covered part of each buyer-link's need
    g = rng.gamma(1.0, 1.0, len(chosen_bl))
    total = np.bincount(chosen_bl, weights=g, minlength=n_bl)
    coverage = np.where(rng.random(n_bl) < FULL_COVERAGE_RATE, 1.0, rng.uniform(0.5, 0.95, n_bl))
    share = g / total[chosen_bl] * coverage[chosen_bl]
    for _ in range(8):  # rounding can leave a sum a hair above 1
        s = np.bincount(chosen_bl, weights=share, minlength=n_bl)
        over = s > 1.0
        if not over.any():
            break
        share[over[chosen_bl]] *= 1.0 - 4e-16
    order = np.lexsort((chosen_ent, bl_buyer[chosen_bl], bl_link[chosen_bl]))
    return chosen_ent[order], bl_buyer[chosen_bl][order], bl_link[chosen_bl][order], share[order]


def _allocate(room: np.ndarray, buyer_output: np.ndarray, total: int, rng) -> np.ndarray:
    """Suppliers per buyer-link, summing to `total` (or to all the room there is): one each first,
    the extras by buyer size × noise, a fifth kept single-source while the room allows."""
    n = len(room)
    total = min(total, int(room.sum()))
    if total <= n:
        k = np.zeros(n, dtype=np.int64)
        k[rng.choice(n, size=total, replace=False)] = 1
        return k
    k = np.ones(n, dtype=np.int64)
    single = rng.random(n) < SINGLE_SOURCE_RATE
    free = np.where(single, 0, room - 1)
    if free.sum() < total - n:
        free = room - 1
    weight = np.sqrt(buyer_output) * rng.lognormal(0.0, 0.7, n)
    extra = total - n
    while extra > 0:
        open_ = free > 0
        p = np.where(open_, weight, 0.0)
        add = np.minimum(rng.multinomial(extra, p / p.sum()), free)
        if not add.any():  # tiny weights: one each to the open ones
            add = np.zeros(n, dtype=np.int64)
            add[np.flatnonzero(open_)[:extra]] = 1
        k += add
        free -= add
        extra -= int(add.sum())
    return k


def _choose(k, room, bl_buyer, bl_link, start, size, s_ent, w, cumw, rng):
    """Draw k[i] distinct suppliers (≠ buyer) for buyer-link i from the members of its link, weighted
    by w: draws with replacement for the sparse ones (rejecting repeats, a few rounds), then an
    exact weighted sample without replacement (Efraimidis–Spirakis keys) over all candidates for
    the dense ones and whatever is still short."""
    n_bl = len(k)
    have = np.zeros(n_bl, dtype=np.int64)
    got_bl: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    got_ent: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    seen = np.zeros(0, dtype=np.int64)
    n_ent = int(s_ent.max()) + 1
    sparse = (2 * k < room) & (room > 32)
    for _ in range(4):
        need = np.where(sparse, k - have, 0)
        if not need.any():
            break
        idx = np.repeat(np.arange(n_bl), (need * 1.3 + 1).astype(np.int64) * (need > 0))
        lk = bl_link[idx]
        target = cumw[start[lk]] + rng.random(len(idx)) * (cumw[start[lk] + size[lk]] - cumw[start[lk]])
        pos = np.clip(np.searchsorted(cumw, target, "right") - 1, start[lk], start[lk] + size[lk] - 1)
        ent = s_ent[pos]
        ok = ent != bl_buyer[idx]
        idx, ent = idx[ok], ent[ok]
        key = idx * n_ent + ent
        key, first = np.unique(key, return_index=True)
        fresh = ~np.isin(key, seen)
        key, first = key[fresh], first[fresh]
        key = key[np.argsort(first, kind="stable")]  # draw order: random, so keeping the first ones is fair
        cidx, cent = key // n_ent, key % n_ent
        o = np.argsort(cidx, kind="stable")
        cidx, cent = cidx[o], cent[o]
        rank = np.arange(len(cidx)) - np.searchsorted(cidx, cidx, "left")
        take = rank < (k - have)[cidx]
        cidx, cent = cidx[take], cent[take]
        got_bl.append(cidx)
        got_ent.append(cent)
        seen = np.concatenate([seen, cidx * n_ent + cent])
        have += np.bincount(cidx, minlength=n_bl)

    rest = np.flatnonzero(k > have)
    if len(rest):
        cnt = size[bl_link[rest]]
        r_rep = np.repeat(rest, cnt)
        offs = np.arange(len(r_rep)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        pos = start[bl_link[r_rep]] + offs
        ent = s_ent[pos]
        ok = (ent != bl_buyer[r_rep]) & ~np.isin(r_rep * n_ent + ent, seen)
        r_rep, ent, pos = r_rep[ok], ent[ok], pos[ok]
        keys = -np.log(rng.random(len(r_rep))) / w[pos]  # smallest keys = weighted sample without replacement
        o = np.lexsort((keys, r_rep))
        r_rep, ent = r_rep[o], ent[o]
        rank = np.arange(len(r_rep)) - np.searchsorted(r_rep, r_rep, "left")
        take = rank < (k - have)[r_rep]
        got_bl.append(r_rep[take])
        got_ent.append(ent[take])
    return np.concatenate(got_bl), np.concatenate(got_ent)
