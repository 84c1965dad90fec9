"""Scale benchmark of the 亩均 evaluation: zhizao vs a plain pandas version of the same formula.

    python bench/muju_bench.py [--small] [--impl both|zhizao|pandas] [--local-data] [--json]

Each implementation runs in a fresh subprocess (so peak RSS is its own). The child makes the data
(`zhizao.synth.enterprises.generate_enterprise_data(plan, n_enterprises=500_000)` on the embedded plan;
--local-data: the small generator in this file, for use before the synth generator exists), then times
the evaluation of the latest year from the EnterpriseData frames:
- zhizao: `zhizao.analytics.enterprises.muju.evaluate(data, year, Settings())`;
- pandas: `pandas_evaluate` below, the same method written as an analyst would in pandas (a merge,
  a loop over the groups and items with column arithmetic, rank).
Reported: times, peak RSS (ru_maxrss, includes making the data) and sampled during the work, the
classes found, whether both gave every enterprise the same class, and PASS/FAIL against the target
(zhizao < 10 s for 500,000 enterprises on 2 cores). --small: 20,000 enterprises. Exit 0 when the target
passes and the classes agree, 1 otherwise.

The method (docs/enterprises.md §亩均效益评价, docs/reference/methods.md §3.1), which the pandas
version implements on its own from the docs (not from zhizao's code), so that the two must agree on
every enterprise's class:
- enterprises: the registry's with an `annual` row in the year; group "above" when revenue ≥
  above_scale_revenue_min (万元), "below" under it; unknown revenue: no group, not evaluated;
- evaluated: a group and land_area > 0; the others get class "";
- items: above — tax/land, VA/land, VA/energy, VA/emissions, VA/employees, R&D/revenue × 100;
  below — tax/land, tax/electricity. An item has no figure when a figure is unknown or its
  divisor is not > 0;
- benchmark = Σ numerator ÷ Σ denominator over the group's evaluated enterprises with the item (the
  group's aggregate, not the mean of the ratios); points = value ÷ benchmark × weight, at least 0 and
  at most muju_item_cap × weight (0: no cap); an item without a figure gets the mean points of the
  item in its group; an item no enterprise has, or whose benchmark is not > 0, gives everyone its
  weight; score = Σ points;
- classes within the group by score rank (scores equal to 9 decimals tie and take the best rank, so
  the better class): A when rank ≤ round(n × share_a %), B when ≤ round(n × (a+b) %), C when ≤
  round(n × (a+b+c) %), else D (rounded half up).
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
from pathlib import Path

SIZES = {"full": 500_000, "small": 20_000}
TARGET_S = 10.0
GIB = 1024 ** 3
SEED = 0
ITEMS = {"above": {"tax_per_mu": ("tax", "land_area"), "va_per_mu": ("value_added", "land_area"),
                   "va_per_energy": ("value_added", "energy"), "va_per_emission": ("value_added", "emissions"),
                   "labour_productivity": ("value_added", "employees"), "rd_intensity": ("rd_expense", "revenue")},
         "below": {"tax_per_mu": ("tax", "land_area"), "tax_per_kwh": ("tax", "electricity")}}
WEIGHT_PREFIX = {"above": "muju_weight_", "below": "muju_small_weight_"}


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

def local_data(plan, n: int, seed: int):
    """A stand-in for zhizao.synth.enterprises (SYNTHETIC): n enterprises in the plan's districts with one
    year of figures; some without land area, emissions or electricity, so every rule is exercised."""
    import numpy as np
    import pandas as pd

    from zhizao.codes.uscc import generate_codes
    from zhizao.ingest.enterprise_frames import FRAMES, EnterpriseData, empty_frame

    rng = np.random.default_rng(seed)
    districts = [d.code for d in plan.regions.districts] or [plan.regions.whole_code[:4] + "01"]
    district = rng.choice(districts, n)
    ids = generate_codes(district, rng)
    reg = pd.DataFrame({"enterprise_id": ids.astype(object), "name": [f"合成企业{i}" for i in range(n)],
                        "district": district.astype(object), "park": "",
                        "industry_class": rng.choice(["3612", "3670", "3985", "3311", "2614"], n).astype(object),
                        "size": "", "established": ""})
    year = plan.plan.base_year + 1
    revenue = rng.lognormal(7.6, 1.2, n)  # 万元: about 40 % below 2000
    land = rng.lognormal(3.0, 0.9, n)
    land[rng.random(n) < 0.005] = np.nan
    va = revenue * rng.uniform(0.15, 0.35, n)
    emissions = rng.lognormal(1.5, 1.0, n)
    emissions[rng.random(n) < 0.03] = np.nan
    electricity = rng.lognormal(5.0, 1.1, n)
    electricity[rng.random(n) < 0.01] = 0.0
    cols = {"enterprise_id": ids.astype(object), "year": pd.array(np.full(n, year), dtype="Int64"),
            "land_area": land, "revenue": revenue, "main_revenue": revenue * 0.95, "value_added": va,
            "tax": revenue * rng.uniform(0.01, 0.08, n), "energy": va * rng.lognormal(-0.5, 0.8, n),
            "electricity": electricity, "water": rng.lognormal(9, 1, n), "emissions": emissions,
            "rd_expense": revenue * rng.uniform(0.0, 0.06, n), "employees": np.maximum(1, rng.lognormal(4.5, 1, n).round())}
    annual = pd.DataFrame(cols)
    for c in FRAMES["annual"]:
        if c not in annual:
            annual[c] = 0.0
    return EnterpriseData(reg, empty_frame("tags"), annual[FRAMES["annual"]], empty_frame("srdi"), empty_frame("parks"),
                          empty_frame("green"), synthetic=True,
                          source=f"合成数据 bench/muju_bench.py local generator, seed {seed}")


def make_data(size: str, use_local: bool):
    from zhizao.plan.load import load_plan

    plan = load_plan()
    if use_local:
        return local_data(plan, SIZES[size], SEED)
    from zhizao.synth.enterprises import generate_enterprise_data

    return generate_enterprise_data(plan, n_enterprises=SIZES[size])


# --- the two implementations -----------------------------------------------------------------------

def pandas_evaluate(data, year: int, s) -> "pd.DataFrame":
    """The 亩均 evaluation in plain pandas (the module docstring's method): enterprise_id, group, score, klass."""
    import numpy as np
    import pandas as pd

    a = data.annual[data.annual["year"] == year].drop_duplicates("enterprise_id", keep="last")
    reg = data.registry[["enterprise_id"]].drop_duplicates("enterprise_id", keep="last")
    df = reg.merge(a, on="enterprise_id", how="inner")
    df["group"] = np.select([df["revenue"] >= s["above_scale_revenue_min"], df["revenue"].notna()],
                            ["above", "below"], "")
    df["evaluated"] = (df["land_area"] > 0) & (df["group"] != "")
    cap = s["muju_item_cap"]
    parts = []
    for group, items in ITEMS.items():
        g = df[(df["group"] == group) & df["evaluated"]].copy()
        g["score"] = 0.0
        for item, (num, den) in items.items():
            scale = 100.0 if item == "rd_intensity" else 1.0
            weight = s[WEIGHT_PREFIX[group] + item]
            value = (g[num] / g[den] * scale).where((g[den] > 0) & g[num].notna())
            value = value.where(np.isfinite(value))  # a denominator too close to 0: no figure
            has = value.notna()
            benchmark = g.loc[has, num].sum() / g.loc[has, den].sum() * scale if has.any() else np.nan
            if benchmark > 0:
                pts = (value / benchmark * weight).clip(lower=0, upper=cap * weight if cap else None)
            else:  # no usable benchmark: the item does not tell the enterprises apart
                pts = pd.Series(weight, index=g.index, dtype=float).where(has)
            g["score"] += pts.fillna(pts.mean() if has.any() else weight)
        n = len(g)
        rank = g["score"].round(9).rank(method="min", ascending=False)
        cuts = [np.floor(n * c / 100 + 0.5 + 1e-9) for c in np.cumsum([s[f"muju_share_{k}"] for k in "abc"])]
        g["klass"] = np.select([rank <= cuts[0], rank <= cuts[1], rank <= cuts[2]], ["A", "B", "C"], "D")
        parts.append(g[["enterprise_id", "group", "score", "klass"]])
    rest = df.loc[~df["evaluated"], ["enterprise_id", "group"]].assign(score=np.nan, klass="")
    return pd.concat([*parts, rest], ignore_index=True)


def _latest_year(data) -> int:
    import pandas as pd

    return int(pd.to_numeric(data.annual["year"], errors="coerce").max())


def run_zhizao(data, year: int):
    from zhizao.analytics.enterprises.muju import evaluate
    from zhizao.settings import Settings

    s = Settings()
    t = time.perf_counter()
    r = evaluate(data, year, s)
    return time.perf_counter() - t, r.enterprises[["enterprise_id", "klass"]]


def run_pandas(data, year: int):
    from zhizao.settings import Settings

    s = Settings()
    t = time.perf_counter()
    r = pandas_evaluate(data, year, s)
    return time.perf_counter() - t, r[["enterprise_id", "klass"]]


def child(impl: str, size: str, use_local: bool, out: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    t = time.perf_counter()
    data = make_data(size, use_local)
    gen_s = time.perf_counter() - t
    year = _latest_year(data)
    sampler = _Sampler()
    sampler.start()
    seconds, classes = (run_zhizao if impl == "zhizao" else run_pandas)(data, year)
    peak = sampler.stop()
    classes = classes.astype({"enterprise_id": str, "klass": str})
    classes.to_parquet(out.with_suffix(".parquet"), index=False)
    counts = classes["klass"].value_counts().to_dict()
    out.write_text(json.dumps({
        "impl": impl, "enterprises": len(data.registry), "year": year, "generate_s": gen_s, "evaluate_s": seconds,
        "work_peak_gib": peak / GIB, "maxrss_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / GIB,
        "classes": {("not evaluated" if k == "" else k): int(v) for k, v in sorted(counts.items())}}))


def _compare(paths: dict[str, Path]) -> dict:
    """Whether both implementations gave every enterprise the same class (and which did not)."""
    import pandas as pd

    z, p = (pd.read_parquet(paths[i].with_suffix(".parquet")) for i in ("zhizao", "pandas"))
    m = z.merge(p, on="enterprise_id", how="outer", suffixes=("_zhizao", "_pandas"), indicator=True)
    differ = m[(m["_merge"] != "both") | (m["klass_zhizao"] != m["klass_pandas"])]
    return {"same": differ.empty, "differing": len(differ),
            "examples": differ.head(5).drop(columns="_merge").astype(str).to_dict("records")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--small", action="store_true", help=f"{SIZES['small']:,} enterprises")
    ap.add_argument("--impl", choices=["both", "zhizao", "pandas"], default="both")
    ap.add_argument("--local-data", action="store_true", help="the generator in this file, not zhizao.synth")
    ap.add_argument("--json", action="store_true", help="the report as JSON on stdout")
    ap.add_argument("--child", choices=["zhizao", "pandas"], help=argparse.SUPPRESS)
    ap.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    size = "small" if a.small else "full"
    if a.child:
        child(a.child, size, a.local_data, a.child_out)
        return 0
    impls = ["zhizao", "pandas"] if a.impl == "both" else [a.impl]
    results, paths = {}, {}
    say = (lambda *x: print(*x, file=sys.stderr, flush=True)) if a.json else (lambda *x: print(*x, flush=True))
    try:
        for impl in impls:
            out = Path(tempfile.gettempdir()) / f"zhizao-muju-bench-{impl}-{os.getpid()}.json"
            paths[impl] = out
            args = [sys.executable, __file__, "--child", impl, "--child-out", str(out)]
            args += ["--small"] if a.small else []
            args += ["--local-data"] if a.local_data else []
            say(f"running {impl} ({size}) …")
            if subprocess.run(args).returncode != 0:
                print(f"{impl} failed (see above)", file=sys.stderr)
                return 1
            results[impl] = json.loads(out.read_text())
        same = _compare(paths) if len(results) == 2 else None
    finally:
        for out in paths.values():
            out.unlink(missing_ok=True)
            out.with_suffix(".parquet").unlink(missing_ok=True)
    z = results.get("zhizao")
    target = {"evaluate_s_max": TARGET_S, "met": z["evaluate_s"] < TARGET_S} if z else None
    ok = (target is None or target["met"]) and (same is None or same["same"])
    report = {"size": size, "local_data": a.local_data, "impls": results, "same_classes": same, "target": target,
              "pass": ok}
    if a.json:
        print(json.dumps(report, ensure_ascii=False))
        return 0 if ok else 1
    head = ["impl", "enterprises", "year", "make data s", "evaluate s", "peak RSS GiB", "work peak GiB", "classes"]
    rows = [[impl, f"{r['enterprises']:,}", str(r["year"]), f"{r['generate_s']:.1f}", f"{r['evaluate_s']:.2f}",
             f"{r['maxrss_gib']:.2f}", f"{r['work_peak_gib']:.2f}",
             " ".join(f"{k}={v:,}" for k, v in r["classes"].items())] for impl, r in results.items()]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
    print(" | ".join(h.ljust(w) for h, w in zip(head, widths)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths)))
    if z and "pandas" in results:
        print(f"speed-up: {results['pandas']['evaluate_s'] / max(z['evaluate_s'], 1e-9):.1f}×")
    if same is not None:
        print(f"same classes: {'yes' if same['same'] else 'NO'}"
              + ("" if same["same"] else f" ({same['differing']:,} enterprises differ, e.g. {same['examples'][:2]})"))
    if target:
        print(f"evaluate < {TARGET_S:g} s: {'PASS' if target['met'] else 'FAIL'} (zhizao, {size}, "
              f"{z['evaluate_s']:.2f} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
