"""Scale benchmark of the chain analytics: zhizao (numpy, rustworkx, scipy) vs plain networkx.

    python bench/chain_bench.py [--small] [--impl both|zhizao|networkx] [--local-data]

Each implementation runs in a fresh subprocess (so peak RSS is its own). The child makes the chain data
(`zhizao.synth.chains.generate_chain_data`, 100,000 enterprises and 1,000,000 supply relations;
--local-data: the small generator in this file, on a bench plan built here, for use before the synth
generator exists or on a plan without chains), then times:
- full grading: coverage + risk of every relation, link and enterprise + critical nodes + backups
  for the high-risk relations;
- one what-if: the enterprise with most buyers removed, loss propagated to the fixed point.
networkx does the same in plain Python: the graph built in networkx, per-node loops for coverage,
HHI, single sources and scores, nx.articulation_points, nx.descendants for the reach, and a
worklist (BFS) for the what-if. Reported: times, peak RSS (ru_maxrss, includes making the data) and
sampled during the work, whether both got the same coverage and output at risk, PASS/FAIL against
the targets (grading < 30 s, what-if < 2 s, peak < 4 GiB). --small: 5,000 enterprises, 50,000 relations.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

SIZES = {"full": (100_000, 1_000_000), "small": (5_000, 50_000)}
TARGET_GRADING_S, TARGET_WHATIF_S, TARGET_GIB = 30.0, 2.0, 4.0
GIB = 1024 ** 3
SEED = 7


def _rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class _Sampler(threading.Thread):
    """Samples RSS every few ms: the peak during the work alone (ru_maxrss also covers making the data)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak = _rss_bytes()
        self._halt = threading.Event()

    def run(self):
        while not self._halt.is_set():
            self.peak = max(self.peak, _rss_bytes())
            time.sleep(0.005)

    def stop(self) -> int:
        self._halt.set()
        self.join()
        return max(self.peak, _rss_bytes())


# --- data ------------------------------------------------------------------------------------------

def bench_plan():
    """A fictional plan with 9 chains of 8 links (for --local-data, or when the plan has no chains)."""
    from zhizao.plan.spec import Plan

    stages = ["materials", "materials", "parts", "parts", "systems", "systems", "final", "services"]
    ups = [[], [], ["l0"], ["l0", "l1"], ["l2"], ["l2", "l3"], ["l4", "l5"], ["l6"]]
    chains = [{"id": f"c{c}", "name": f"测试链{c}（虚构）", "cluster": "k", "section": "四(二)",
               "links": [{"id": f"l{i}", "name": f"环节{i}", "stage": stages[i], "upstream": ups[i],
                          "section": "四(二)"} for i in range(8)]} for c in range(9)]
    return Plan.model_validate({
        "plan": {"id": "bench-chains", "title": "基准测试规划（虚构）", "issuer": "虚构", "base_year": 2022,
                 "target_year": 2027},
        "categories": [{"id": "s", "name": "规模"}], "indicators": [],
        "clusters": [{"id": "k", "name": "集群", "scale_target": 1, "target_year": 2027, "target_text": "x",
                      "section": "三"}],
        "regions": {"whole_code": "990000", "whole_name": "虚构市",
                    "districts": [{"code": f"9901{i:02d}", "name": f"区{i}"} for i in range(1, 21)]},
        "supply_region": {"name": "虚构区域", "division_prefixes": ["98"]},
        "chains": chains})


def local_data(plan, n_ent: int, n_rel: int, seed: int):
    """Small stand-in for zhizao.synth.chains: random enterprises on random links, each relation from a
    member of an upstream link to a member of the link it supplies (SYNTHETIC)."""
    import numpy as np
    import pandas as pd

    from zhizao.analytics.chains.data import ChainData
    from zhizao.analytics.chains.frames import chain_frames

    rng = np.random.default_rng(seed)
    links, edges = chain_frames(plan)
    ids = np.array([f"91{i:016d}" for i in range(n_ent)], dtype=object)
    where = rng.choice(4, n_ent, p=[0.5, 0.15, 0.25, 0.1])
    local = [d.code for d in plan.regions.districts] or [plan.regions.whole_code]
    district = np.where(where == 0, rng.choice(local, n_ent), np.where(where == 1, "980101",
                        np.where(where == 2, "110101", "")))
    ent = pd.DataFrame({"enterprise_id": ids, "name": [f"合成企业{i}" for i in range(n_ent)], "district": district,
                        "country": np.where(where == 3, "JP", "CN"), "output": rng.lognormal(8, 1.5, n_ent)})
    L = len(links)
    m_link = np.concatenate([rng.integers(0, L, n_ent), rng.integers(0, L, n_ent // 3)])
    m_ent = np.concatenate([np.arange(n_ent), rng.integers(0, n_ent, n_ent // 3)])
    mem = pd.DataFrame({"e": m_ent, "l": m_link}).drop_duplicates()
    mem["role"] = rng.choice(["leader", "core", "supplier"], len(mem), p=[0.02, 0.18, 0.8])
    mem["capacity"] = rng.lognormal(7, 1.5, len(mem))
    key = {(c, lk): i for i, (c, lk) in enumerate(zip(links["chain"], links["link"]))}
    e_up = np.array([key[(c, u)] for c, u in zip(edges["chain"], edges["upstream"])])
    e_dn = np.array([key[(c, d)] for c, d in zip(edges["chain"], edges["downstream"])])
    by_link = mem.sort_values("l")
    starts = np.searchsorted(by_link["l"].to_numpy(), np.arange(L + 1))
    counts = np.diff(starts)
    pick = rng.integers(0, len(e_up), int(n_rel * 1.1))
    up, dn = e_up[pick], e_dn[pick]
    ok = (counts[up] > 0) & (counts[dn] > 0)
    up, dn = up[ok], dn[ok]
    members = by_link["e"].to_numpy()
    sup = members[starts[up] + (rng.random(len(up)) * counts[up]).astype(int)]
    buy = members[starts[dn] + (rng.random(len(dn)) * counts[dn]).astype(int)]
    rel = pd.DataFrame({"s": sup, "b": buy, "l": up, "w": rng.pareto(1.5, len(up)) + 0.1})
    rel = rel[rel["s"] != rel["b"]].drop_duplicates(["s", "b", "l"]).head(n_rel)
    tot = rel.groupby(["b", "l"])["w"].transform("sum")
    cover = rng.uniform(0.5, 1.0, len(rel))
    rel["share"] = rel["w"] / tot * cover
    members_df = pd.DataFrame({"enterprise_id": ids[mem["e"].to_numpy()], "chain": links["chain"].to_numpy()[mem["l"]],
                               "link": links["link"].to_numpy()[mem["l"]], "role": mem["role"].to_numpy(),
                               "capacity": mem["capacity"].to_numpy()})
    supply = pd.DataFrame({"supplier_id": ids[rel["s"].to_numpy()], "buyer_id": ids[rel["b"].to_numpy()],
                           "chain": links["chain"].to_numpy()[rel["l"]], "link": links["link"].to_numpy()[rel["l"]],
                           "share": rel["share"].to_numpy()})
    return ChainData(ent, members_df, supply.reset_index(drop=True), synthetic=True,
                     source=f"合成数据 bench/chain_bench.py local generator, seed {seed}")


def make_data(size: str, use_local: bool):
    n_ent, n_rel = SIZES[size]
    if use_local:
        plan = bench_plan()
        return plan, local_data(plan, n_ent, n_rel, SEED)
    from zhizao.plan.load import load_plan
    from zhizao.synth.chains import generate_chain_data

    plan = load_plan()
    if not plan.chains:
        raise SystemExit("the default plan has no chains: run with --local-data")
    return plan, generate_chain_data(plan, seed=SEED, n_enterprises=n_ent, n_relations=n_rel)


# --- the two implementations -----------------------------------------------------------------------

def run_zhizao(plan, data) -> dict:
    import numpy as np

    from zhizao.analytics.chains import Scenario, backups, risk, whatif
    from zhizao.settings import Settings

    s = Settings()
    t = time.perf_counter()
    cr = risk(plan, data, s)
    b = backups(plan, data, cr, s, top=3)
    grading = time.perf_counter() - t
    top = _top_supplier(data)
    t = time.perf_counter()
    w = whatif(plan, data, Scenario("top supplier", enterprises=(top,)), s)
    wi = time.perf_counter() - t
    # cold: the same what-if on data not yet prepared (as a first request would)
    from zhizao.analytics.chains.data import ChainData
    fresh = ChainData(data.enterprises, data.members, data.supply, synthetic=data.synthetic, source=data.source)
    t = time.perf_counter()
    whatif(plan, fresh, Scenario("top supplier", enterprises=(top,)), s)
    cold = time.perf_counter() - t
    cov = cr.coverage
    return {"grading_s": grading, "whatif_s": wi, "whatif_cold_s": cold, "relations": len(cr.relations),
            "high_relations": int((cr.relations["grade"] == "high").sum()), "backups": len(b),
            "articulation": int(cr.enterprises["articulation"].sum()),
            "local_share": {f"{c}/{lk}": float(x) for c, lk, x in zip(cov["chain"], cov["link"], cov["local_share"])},
            "single_sources": int(cr.relations["single_source"].sum()),
            "whatif_affected": w.summary["enterprises_affected"],
            "output_at_risk": w.summary["output_at_risk"], "rounds": w.summary["rounds"],
            "finite": bool(np.isfinite(cr.relations["score"]).all())}


def _top_supplier(data) -> str:
    return str(data.supply.groupby("supplier_id")["buyer_id"].nunique().idxmax())


def run_networkx(plan, data) -> dict:
    """The same computations in plain networkx and Python loops (no numpy in the loops)."""
    import networkx as nx

    from zhizao.analytics.chains.frames import locate
    from zhizao.settings import Settings

    s = Settings()
    t = time.perf_counter()
    ents = data.enterprises
    loc = dict(zip(ents["enterprise_id"], locate(ents, plan)))
    output = {e: (o if o == o and o > 0 else None) for e, o in zip(ents["enterprise_id"], ents["output"])}
    G = nx.DiGraph()
    G.add_nodes_from(ents["enterprise_id"])
    for sup, buy, c, lk, sh in data.supply.itertuples(index=False):
        G.add_edge(sup, buy)
        G[sup][buy].setdefault("links", {})[(c, lk)] = sh
    members = defaultdict(list)
    for e, c, lk, role, cap in data.members.itertuples(index=False):
        members[(c, lk)].append((e, role, cap))
    # per buyer and link: shares by location, suppliers, HHI
    need = defaultdict(lambda: defaultdict(float))  # (c, lk) → location → Σ weight·share
    weight = defaultdict(float)
    per_bl = {}
    for buy in G.nodes:
        groups = defaultdict(list)
        for sup in G.predecessors(buy):
            for key, sh in G[sup][buy]["links"].items():
                groups[key].append((sup, sh))
        for key, sups in groups.items():
            per_bl[(buy, key)] = sups
    known = defaultdict(list)
    for (buy, key) in per_bl:
        if output[buy] is not None:
            known[key].append(output[buy])
    for (buy, key), sups in per_bl.items():
        w = output[buy] if output[buy] is not None else (sum(known[key]) / len(known[key]) if known[key] else 1.0)
        total = sum(sh for _, sh in sups)
        scale = 1.0 / total if total > 1 else 1.0
        weight[key] += w
        for sup, sh in sups:
            need[key][loc[sup]] += w * sh * scale
    # nothing recorded for a link: its local share is unknown (NaN), as in zhizao
    local_share = {f"{c}/{lk}": (need[(c, lk)]["local"] / weight[(c, lk)]
                                 if weight[(c, lk)] and sum(need[(c, lk)].values()) > 1e-12 * weight[(c, lk)]
                                 else float("nan"))
                   for c, lk in ((ch.id, x.id) for ch in plan.chains for x in ch.links)}
    # relation scores: the same factors and weights as zhizao
    n_members = {k: len(v) for k, v in members.items()}
    n_local = {k: sum(loc[e] == "local" for e, _, _ in v) for k, v in members.items()}
    member_set = {(e, k) for k, v in members.items() for e, _, _ in v}
    lf = {"local": 0.0, "region": s["chain_region_factor"], "domestic": s["chain_domestic_factor"], "abroad": 1.0}
    wts = {k: s[f"chain_w_rel_{k}"] for k in ("source", "concentration", "location", "share", "alternatives")}
    high, single_n = [], 0
    for (buy, key), sups in per_bl.items():
        total = sum(sh for _, sh in sups)
        hhi = sum((sh / total) ** 2 for _, sh in sups) if total > 0 else 1.0 / len(sups)
        for sup, sh in sups:
            single = len(sups) == 1
            single_n += single
            dominant = not single and sh >= s["chain_dominant_share"]
            is_m = (sup, key) in member_set
            alt = max(n_members.get(key, 0) - is_m, 0)
            lalt = max(n_local.get(key, 0) - (is_m and loc[sup] == "local"), 0)
            f = {"source": 1.0 if single else (0.5 if dominant else 0.0), "concentration": hhi,
                 "location": lf[loc[sup]], "share": sh,
                 "alternatives": 1.0 if alt == 0 else (0.5 if lalt == 0 else 0.0)}
            score = sum(wts[k] * f[k] for k in wts) / sum(wts.values())
            if score >= s["chain_risk_high"]:
                high.append((sup, buy, key))
    ap = set(nx.articulation_points(G.to_undirected(as_view=False)))
    # downstream reach of the top sole suppliers
    sole = defaultdict(int)
    for (buy, key), sups in per_bl.items():
        if len(sups) == 1:
            sole[sups[0][0]] += 1
    cands = sorted((e for e in G.nodes if e in ap or sole.get(e)), key=lambda e: -G.out_degree(e))
    for e in cands[:int(s["chain_critical_reach_top"])]:
        len(nx.descendants(G, e))
    # backups: per high relation, members of the link, local first, capacity
    order = {"local": 0, "region": 1, "domestic": 2, "abroad": 3}
    ranked = {k: sorted(v, key=lambda m: (order[loc[m[0]]], -(m[2] if m[2] == m[2] else -1), m[0]))
              for k, v in members.items()}
    n_backups = 0
    for sup, buy, key in high:
        n_backups += len([m for m in ranked.get(key, [])[:5] if m[0] not in (sup, buy)][:3])
    grading = time.perf_counter() - t
    # what-if: worklist propagation (a buyer's loss = max over its links of Σ share·loss)
    top = _top_supplier(data)
    t = time.perf_counter()
    loss = defaultdict(float)
    loss[top] = 1.0
    frontier, rounds = {top}, 0
    while frontier:  # rounds over the enterprises whose loss grew, as zhizao's rounds
        rounds += 1
        buyers = {b for e in frontier for b in G.successors(e)}
        grown = {}
        for buy in buyers:
            groups = defaultdict(float)
            for sup in G.predecessors(buy):
                for key, sh in G[sup][buy]["links"].items():
                    groups[key] += sh * loss[sup]
            new = max(min(v, 1.0) for v in groups.values())
            if new > loss[buy] + 1e-6:
                grown[buy] = new
        loss.update(grown)
        frontier = set(grown)
    at_risk = sum(v * (output[e] or 0.0) for e, v in loss.items() if v > 1e-6)
    wi = time.perf_counter() - t
    return {"grading_s": grading, "whatif_s": wi, "relations": G.number_of_edges(), "high_relations": len(high),
            "backups": n_backups, "articulation": len(ap), "local_share": local_share, "single_sources": single_n,
            "whatif_affected": sum(1 for e, v in loss.items()
                                   if v >= max(s["chain_whatif_min_loss"], 1e-6) and e != top),
            "output_at_risk": at_risk, "rounds": rounds, "finite": True}


def child(impl: str, size: str, use_local: bool, out: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    t = time.perf_counter()
    plan, data = make_data(size, use_local)
    gen_s = time.perf_counter() - t
    sampler = _Sampler()
    sampler.start()
    res = (run_zhizao if impl == "zhizao" else run_networkx)(plan, data)
    peak = sampler.stop()
    res.update({"impl": impl, "generate_s": gen_s, "enterprises": len(data.enterprises),
                "supply_rows": len(data.supply), "work_peak_gib": peak / GIB,
                "maxrss_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / GIB})
    out.write_text(json.dumps(res))


def _same(a: dict, b: dict) -> bool:
    def close(x, y):
        return (x != x and y != y) or abs(x - y) < 1e-6  # NaN (nothing recorded) on both sides, or equal

    shares = all(close(a["local_share"][k], b["local_share"].get(k, -1)) for k in a["local_share"])
    risk_ok = abs(a["output_at_risk"] - b["output_at_risk"]) <= 1e-3 * max(1.0, a["output_at_risk"])
    return shares and risk_ok and a["single_sources"] == b["single_sources"] and a["high_relations"] == b["high_relations"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--small", action="store_true", help="5,000 enterprises, 50,000 relations")
    ap.add_argument("--impl", choices=["both", "zhizao", "networkx"], default="both")
    ap.add_argument("--local-data", action="store_true", help="the generator in this file, on a bench plan")
    ap.add_argument("--child", choices=["zhizao", "networkx"], help=argparse.SUPPRESS)
    ap.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    size = "small" if a.small else "full"
    if a.child:
        child(a.child, size, a.local_data, a.child_out)
        return 0
    impls = ["zhizao", "networkx"] if a.impl == "both" else [a.impl]
    results = {}
    for impl in impls:
        out = Path(tempfile.gettempdir()) / f"zhizao-chain-bench-{impl}-{os.getpid()}.json"
        args = [sys.executable, __file__, "--child", impl, "--child-out", str(out)]
        args += ["--small"] if a.small else []
        args += ["--local-data"] if a.local_data else []
        print(f"running {impl} ({size}) …", flush=True)
        if subprocess.run(args).returncode != 0:
            raise SystemExit(f"{impl} failed")
        results[impl] = json.loads(out.read_text())
        out.unlink()
    z, n = results.get("zhizao"), results.get("networkx")
    same = _same(z, n) if z and n else None
    head = ["impl", "enterprises", "relations", "generate s", "grading s", "what-if s", "what-if cold s", "peak RSS GiB",
            "work peak GiB", "high rel.", "what-if affected", "speed-up grading", "speed-up what-if"]
    rows = []
    for impl, r in results.items():
        sg = f"{n['grading_s'] / z['grading_s']:.1f}×" if impl == "zhizao" and n else ""
        sw = f"{n['whatif_s'] / max(z['whatif_s'], 1e-9):.1f}×" if impl == "zhizao" and n else ""
        rows.append([impl, f"{r['enterprises']:,}", f"{r['supply_rows']:,}", f"{r['generate_s']:.1f}",
                     f"{r['grading_s']:.2f}", f"{r['whatif_s']:.3f}",
                     f"{r['whatif_cold_s']:.3f}" if "whatif_cold_s" in r else "—", f"{r['maxrss_gib']:.2f}",
                     f"{r['work_peak_gib']:.2f}", f"{r['high_relations']:,}", f"{r['whatif_affected']:,}", sg, sw])
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
    print(" | ".join(h.ljust(w) for h, w in zip(head, widths)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths)))
    if same is not None:
        print(f"same results (local shares, single sources, high relations, output at risk): {'yes' if same else 'NO'}")
    ok = True
    if z:
        checks = {"grading < 30 s": z["grading_s"] < TARGET_GRADING_S,
                  "what-if < 2 s (cold too)": max(z["whatif_s"], z["whatif_cold_s"]) < TARGET_WHATIF_S,
                  "peak < 4 GiB": z["maxrss_gib"] < TARGET_GIB}
        print("; ".join(f"{k}: {'PASS' if v else 'FAIL'}" for k, v in checks.items()) + f" (zhizao, {size})")
        ok = all(checks.values()) and same is not False
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
