"""SYNTHETIC enterprise registry, parks and area energy/water statistics (issue 13): the embedded default
of the enterprise features when nothing is imported. Nothing here describes a real enterprise or park;
the EnterpriseData says synthetic=True and its source names the generator and its seed.

One registry, three kinds of enterprise (names never collide):
- the monitoring enterprises of `zhizao synth` (zhizao.synth.generator, same seed, its defaults: 6,700
  from 2019-01, 72 months) in the plan's districts: same credit codes and names (合成企业000123), and their
  yearly revenue, value added, electricity, profit and employment are the sums of their monthly rows;
- the chain synthetic enterprises located in the plan's area (zhizao.synth.chains, same seed): same codes
  and names (合成企业C000001); chain leaders carry the tag chain_leader;
- further enterprises (合成企业R000001), mostly small, up to `n_enterprises` (default: 40 % more than
  the first two kinds, at least 1,000), so that below-scale firms and 专精特新 candidates exist.

CALIBRATED (published or plan figures; docs/synthetic-data.md):
- the monitoring enterprises' levels: 规上工业总产值 2020 = 2.27万亿元 and the published growth path
  (generator.py); their count (about 7,700 in the directory in 2024; the 2021–2025 plan says 规上工业企业
  “超过6800家” in 2020, the generator 7,100 in 2021 against the published 7,098);
- R&D: Σ R&D expense / Σ revenue of the above-scale enterprises in the first generated year =
  RD_INTENSITY_ABOVE_SCALE (1.7 %; the 2021–2025 plan: 规上工业企业研发投入强度“超过1.6%” in 2020);
- tag counts from the plan's own targets when it has registry_count indicators: a stock target T
  (专精特新 5000 家, 高新技术企业 1.28万家, 科技型企业 8.6万家) gives a stock of STOCK_SHARE_OF_TARGET × T at the
  last year (an assumption about progress, capped at TAG_CAP_SHARE of the enterprises that can hold the
  tag: the registry is a sample, so the 万家 targets cannot be reached by it); a "new" target (新培育小巨人
  120 家 in 2024—2027) gives T ÷ (target year − baseline year) new holders a year after the baseline;
- 亩均 levels: in the last year, the medians of 亩均增加值, 单位能耗增加值, 单位排放增加值 (规上) and 亩均税收
  (规上 and 规下) are the benchmarks of the worked 黄岩 2022 evaluation (docs/reference/methods.md §3.1:
  136.16万元/亩, 2.694万元/吨标准煤, 4,929.81万元/吨, 24.097 and 11.5932万元/亩), and each group's aggregate
  (the evaluation's benchmark, Σ ÷ Σ) is made equal to its median by tilting the firms' spread with their
  size (_centred), so the median enterprise scores about each item's weight.
ASSUMED (zhizao, not statistics): every distribution's shape and spread, land, tax, water, emission,
investment and compliance rates, tag shares when the plan has no target, validity of tags (3 years,
85 % renewed), park areas and targets, the area paths before the first annual year (value added +6 %
a year, energy and water intensity −3.5 % and −4.5 % a year), prices (real growth = nominal − 1 point).

Deliberately present: D-class material (enterprises holding far more land than their output needs),
backward-capacity candidates (energy per value added 3–5× its GB/T 4754 group's median; environment,
quality, safety violations; obsolete equipment), near-miss 专精特新 candidates (eligible, scoring about
55–57, one or two per district), a district whose energy intensity rose in the last year (a red green
warning; the whole area when the plan has no districts), parks below their land-use targets.
"""
from __future__ import annotations

import hashlib
import threading
from functools import lru_cache

import numpy as np
import pandas as pd

from zhizao.codes.industries import CODES, DIVISIONS
from zhizao.codes.regions import DISTRICTS as MONITORING_DISTRICTS
from zhizao.codes.uscc import generate_codes
from zhizao.errors import UserError
from zhizao.ingest.enterprise_frames import ANNUAL_MEASURES, FRAMES, EnterpriseData, empty_frame
from zhizao.plan.spec import Plan
from zhizao.settings import Settings
from zhizao.synth import reference as R
from zhizao.synth.chains import default_chain_data, generate_chain_data
from zhizao.synth.generator import generate

GENERATOR = "zhizao synth enterprises"
DEFAULT_YEARS = (2022, 2023, 2024)
# `zhizao synth` defaults: the monitoring pages show these enterprises
MONITORING_ARGS = {"n_enterprises": 6700, "months": 72, "start": "2019-01"}
GREEN_YEARS_BEFORE = 5  # the area table starts at the plan's base year or 5 years before the last year

# --- calibration and assumptions (see the module docstring) ---------------------------------------------
RD_INTENSITY_ABOVE_SCALE = 1.7  # % (plan 2021–2025: 规上工业企业研发投入强度超过1.6%)
STOCK_SHARE_OF_TARGET = 0.65  # stock at the last year as a share of a plan's stock target (assumed)
TAG_CAP_SHARE = 0.6  # at most this share of the enterprises that can hold a tag hold it
DEFAULT_TAG_SHARE = {"srdi_sme": 0.06, "high_tech": 0.15, "tech_sme": 0.25, "innovative_sme": 0.2}
LITTLE_GIANT_SHARE, CHAMPION_SHARE = 0.08, 0.01  # of 专精特新 holders / of large+medium firms, when no target
VALIDITY_YEARS, RENEWAL_RATE, REGAIN_RATE = 3, 0.85, 0.3
EXTRA_SHARE, EXTRA_MIN = 0.4, 1000
# 亩均 medians: the 黄岩 2022 benchmarks (docs/reference/methods.md §3.1)
VA_PER_MU = 136.16  # 亩均增加值, 万元/亩
TAX_PER_MU_ABOVE, TAX_PER_MU_BELOW = 24.097, 11.5932  # 亩均税收 of 规上 and 规下, 万元/亩
VA_PER_TCE = 2.694  # 单位能耗增加值, 万元/吨标准煤
VA_PER_EMISSION = 4929.81  # 单位排放增加值, 万元/吨
TAX_PER_VA = 0.18  # tax ÷ value added of enterprises outside both groups in the last year (assumed)
WATER_PER_VA = 20.0  # m³ per 万元 of value added
TCE_PER_10K_KWH = 1.229  # 电力折标准煤系数（当量值）: 1.229 tce per 万千瓦时
ELECTRIFICATION_GAIN = 0.045  # electricity's share of energy rises 4.5 % a year: intensity falls
DEFLATION_PP = 1.0  # real growth = nominal growth − 1 point
RISE_PCT = 5.0  # the deliberate district's energy intensity rise in the last year
# an area the registry sample leaves empty (assumed): value added 万元 and energy tce per 万元
AREA_VA_ASSUMED, ENERGY_PER_VA_ASSUMED = 100_000.0, 0.5
HEAVY = ("22", "25", "26", "28", "30", "31", "32", "44")  # energy-intensive divisions
MAX_PARKS_PER_TIER = 50
NEAR_MISS_PER_DISTRICT = 2
SIZE_OF_CLASS = {"大型": "large", "中型": "medium", "小型": "small", "微型": "micro"}
SME = ("medium", "small", "micro", "")


def generate_enterprise_data(plan: Plan, *, seed: int = 0, n_enterprises: int | None = None,
                             years: "list[int] | tuple[int, ...] | None" = None) -> EnterpriseData:
    """SYNTHETIC enterprise data for any plan with regions (see the module docstring); deterministic for a
    seed. n_enterprises: the registry's size (default: the monitoring and chain enterprises of the plan's
    area plus 40 %, at least 1,000 more); years: the years of `annual` and `srdi` (default 2022–2024).
    A plan without regions gets empty frames (still labelled synthetic)."""
    years = sorted({int(y) for y in (years or DEFAULT_YEARS)})
    if not all(1949 <= y <= 2100 for y in years):
        raise UserError("合成数据的年份须在 1949—2100 之间", "synthetic data years must be within 1949–2100")
    if n_enterprises is not None and int(n_enterprises) < 1:
        raise UserError("企业数须至少为 1", "the number of enterprises must be at least 1")
    source = f"合成数据（演示用）：{GENERATOR}, seed {seed}"
    as_of = f"{years[-1]}-12-31"
    if plan.regions is None:
        return _empty(source, as_of)
    rng = np.random.default_rng([seed, 13])
    codes = [d.code for d in plan.regions.districts] or [plan.regions.whole_code]
    ent = _registry_base(plan, codes, seed, n_enterprises, years, rng)
    _measures(ent, years, rng)
    near = _near_misses(ent, years, rng)
    _deliberate(ent, years, near, rng)
    tags = _tags(plan, ent, years, near, rng)
    srdi = _srdi(ent, years, tags, near, rng)
    parks, park_of = _parks(plan, ent, years, rng)
    ent["park"] = park_of
    green = _green(plan, ent, years, codes, rng)
    registry = _frame({"enterprise_id": ent["id"], "name": ent["name"], "district": ent["district"],
                             "park": ent["park"], "industry_class": ent["industry_class"], "size": ent["size"],
                             "established": ent["established"]})
    annual = _annual_frame(ent, years)
    return EnterpriseData(_typed("registry", registry), _typed("tags", tags), _typed("annual", annual),
                          _typed("srdi", srdi), _typed("parks", parks), _typed("green", green),
                          synthetic=True, source=source, batch_id=None, as_of=as_of)


_CACHE: dict[tuple[str, str], EnterpriseData] = {}
_LOCK = threading.Lock()


def default_enterprise_data(plan: Plan) -> EnterpriseData:
    """The embedded default: generate_enterprise_data(plan, seed=0), cached per plan (its id and content).
    Each call gets its own copies of the frames."""
    key = (plan.plan.id, hashlib.sha256(plan.model_dump_json().encode()).hexdigest())
    with _LOCK:
        data = _CACHE.get(key)
        if data is None:
            data = _CACHE[key] = generate_enterprise_data(plan, seed=0)
    return EnterpriseData(*(data.frame(f).copy() for f in FRAMES), synthetic=True, source=data.source,
                          batch_id=None, as_of=data.as_of)


def _empty(source: str, as_of: str) -> EnterpriseData:
    return EnterpriseData(*(empty_frame(f) for f in FRAMES), synthetic=True, source=source, as_of=as_of)


def _typed(frame: str, df: pd.DataFrame) -> pd.DataFrame:
    out = empty_frame(frame)
    if df.empty:
        return out
    return pd.DataFrame({c: df[c] if df[c].dtype == out[c].dtype else df[c].astype(out[c].dtype)
                         for c in out.columns}).reset_index(drop=True)


def _frame(cols: dict) -> pd.DataFrame:
    """A frame whose text columns stay numpy objects (pandas 3 would infer its str dtype, which the
    contract frames do not use, and converting back costs seconds at 500,000 enterprises)."""
    n = max((len(v) for v in cols.values() if np.ndim(v)), default=0)
    out = {}
    for k, v in cols.items():
        a = np.asarray(v) if np.ndim(v) else np.full(n, v, dtype=object if isinstance(v, str) else None)
        out[k] = pd.Series(a, dtype=object) if a.dtype.kind in "OUS" else a
    return pd.DataFrame(out)


# --- the registry: monitoring, chain and further enterprises ------------------------------------------------

@lru_cache(maxsize=4)
def _monitoring(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    d = generate(MONITORING_ARGS["n_enterprises"], MONITORING_ARGS["months"], MONITORING_ARGS["start"], seed,
                 projects=False)
    m = d.monthly
    yearly = m.groupby(["enterprise_id", "year"], sort=True).agg(
        revenue=("revenue", "sum"), value_added=("value_added", "sum"), profit=("profit", "sum"),
        electricity=("electricity", "sum"), employment=("employment", "mean")).reset_index()
    return d.enterprises, yearly


def _divisions() -> list[str]:
    return sorted(DIVISIONS)


def _weighted_divisions(n: int, rng) -> np.ndarray:
    divs = _divisions()
    w = np.array([R.INDUSTRY_PARAMS.get(k, (1.0,))[0] for k in divs])
    return np.asarray(divs)[rng.choice(len(divs), size=n, p=w / w.sum())]


def _groups_of(division: np.ndarray, rng) -> np.ndarray:
    """A GB/T 4754 group (3 digits) inside each division (uniform over the division's groups)."""
    out = division.astype("U4").copy()
    for d in np.unique(division):
        groups = [c for c, (lvl, _) in CODES.items() if lvl == "group" and c.startswith(d)]
        sel = np.flatnonzero(division == d)
        if groups and len(sel):
            out[sel] = np.asarray(groups)[rng.integers(0, len(groups), len(sel))]
    return out


def _registry_base(plan: Plan, codes: list[str], seed: int, n_enterprises, years: list[int], rng) -> dict:
    Y = len(years)
    parts: list[dict] = []
    # 1. the monitoring enterprises in the plan's districts (same ids and names as the monitoring pages)
    if set(codes) & set(MONITORING_DISTRICTS):
        parts.append(_monitoring_part(codes, seed, years))
    # 2. the chain enterprises in the plan's area (same ids and names as the chain pages)
    if plan.chains and any(c.links for c in plan.chains):
        parts.append(_chain_part(plan, codes, seed, years, rng))
    known = sum(len(p["id"]) for p in parts)
    n_extra = max(EXTRA_MIN, int(round(EXTRA_SHARE * known))) if n_enterprises is None else int(n_enterprises) - known
    if n_enterprises is not None and n_extra < 0:  # fewer wanted than known: keep the first ones (leaders first)
        parts = [_take(p, slice(0, None)) for p in parts]
        merged = _concat(parts)
        order = np.argsort(~merged["leader"], kind="stable")[:int(n_enterprises)]
        return _take(merged, np.sort(order))
    if n_extra > 0:
        parts.append(_extra_part(codes, n_extra, years, rng))
    ent = _concat(parts)
    # credit codes are unique across parts (independent draws could meet: redraw the later one)
    ids = ent["id"]
    dup = np.flatnonzero(pd.Series(ids).duplicated().to_numpy())
    while len(dup):
        ids[dup] = generate_codes(ent["district"][dup], rng)
        dup = np.flatnonzero(pd.Series(ids).duplicated().to_numpy())
    assert ent["revenue"].shape == (len(ids), Y)
    return ent


def _concat(parts: list[dict]) -> dict:
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def _take(p: dict, idx) -> dict:
    return {k: v[idx] for k, v in p.items()}


def _part(n: int, Y: int) -> dict:
    nan = np.full((n, Y), np.nan)
    return {"id": np.empty(n, dtype=object), "name": np.empty(n, dtype=object), "district": np.empty(n, dtype="U6"),
            "division": np.empty(n, dtype="U2"), "industry_class": np.empty(n, dtype=object),
            "size": np.full(n, "", dtype=object), "est_year": np.zeros(n, dtype=np.int64),
            "leader": np.zeros(n, dtype=bool), "kind": np.zeros(n, dtype=np.int8),
            "in_directory": np.zeros((n, Y), dtype=bool), "dir_entry": np.zeros(n, dtype=np.int64),
            "dir_exit": np.zeros(n, dtype=np.int64),  # 0: still in the 规上 directory (monitoring only)
            "revenue": nan.copy(), "value_added": nan.copy(), "electricity": nan.copy(), "net_profit": nan.copy(),
            "employees": nan.copy()}


def _monitoring_part(codes: list[str], seed: int, years: list[int]) -> dict:
    ents, yearly = _monitoring(seed)
    span = np.arange(int(yearly["year"].min()), int(yearly["year"].max()) + 1)
    Y = len(years)
    # a requested year outside the monitoring span takes the nearest year's figures at the assumed growth
    src = np.clip(years, span[0], span[-1])
    scale = (1 + R.ASSUMED_GROWTH_PCT / 100) ** (np.asarray(years) - src)
    keep = ents["district"].isin(codes).to_numpy()
    e = ents[keep].reset_index(drop=True)
    pos = pd.Series(np.arange(len(e)), index=e["enterprise_id"].to_numpy())
    y = yearly[yearly["enterprise_id"].isin(e["enterprise_id"])]
    p = _part(len(e), Y)
    for j, (yr, s) in enumerate(zip(src, scale)):
        rows = y[y["year"] == yr]
        i = pos[rows["enterprise_id"].to_numpy()].to_numpy()
        for col, mcol in (("revenue", "revenue"), ("value_added", "value_added"), ("electricity", "electricity"),
                          ("net_profit", "profit"), ("employees", "employment")):
            v = rows[mcol].to_numpy(dtype=float)
            p[col][i, j] = v * (s if col != "employees" else 1.0)
        p["in_directory"][i, j] = True
    active = p["in_directory"].any(axis=1)
    p = _take(p, active)
    e = e[active].reset_index(drop=True)
    p["id"] = e["credit_code"].to_numpy(dtype=object)
    p["name"] = e["name"].to_numpy(dtype=object)
    p["district"] = e["district"].to_numpy(dtype="U6")
    p["division"] = e["industry"].to_numpy(dtype="U2")
    p["size"] = e["size_class"].map(SIZE_OF_CLASS).fillna("").to_numpy(dtype=object)
    entry = e["entry_year"].to_numpy(dtype=np.int64)
    p["dir_entry"] = entry
    p["dir_exit"] = e["exit_year"].fillna(0).to_numpy(dtype=np.int64)
    p["kind"][:] = 0
    return p


def _chain_part(plan: Plan, codes: list[str], seed: int, years: list[int], rng) -> dict:
    cd = default_chain_data(plan) if seed == 0 else generate_chain_data(plan, seed=seed)
    e = cd.enterprises
    local = e["district"].isin(codes).to_numpy()
    e = e[local].reset_index(drop=True)
    n, Y = len(e), len(years)
    p = _part(n, Y)
    p["id"] = e["enterprise_id"].to_numpy(dtype=object)
    p["name"] = e["name"].to_numpy(dtype=object)
    p["district"] = e["district"].to_numpy(dtype="U6")
    p["kind"][:] = 1
    m = cd.members
    main = m.drop_duplicates("enterprise_id").set_index("enterprise_id")
    leaders = set(m.loc[m["role"] == "leader", "enterprise_id"])
    p["leader"] = pd.Series(p["id"]).isin(leaders).to_numpy()
    link_class = {(c.id, lk.id): lk.industry_class for c in plan.chains for lk in c.links}
    cls = np.array([link_class.get((main.at[i, "chain"], main.at[i, "link"])) or "" if i in main.index else ""
                    for i in p["id"]], dtype=object)
    valid = np.array([c[:2] in DIVISIONS for c in cls])
    division = np.where(valid, np.array([c[:2] for c in cls], dtype="U2"), _weighted_divisions(n, rng))
    p["division"] = division.astype("U2")
    p["industry_class"] = np.where(valid, cls, "").astype(object)
    # output of the chain data is the last year's; earlier years back-cast at the firm's growth
    growth = rng.normal(0.07, 0.08, n)
    last = e["output"].to_numpy(dtype=float) * 0.97
    k = years[-1] - np.asarray(years)
    p["revenue"] = last[:, None] / (1 + growth[:, None]) ** k[None, :]
    return p


def _extra_part(codes: list[str], n: int, years: list[int], rng) -> dict:
    Y = len(years)
    p = _part(n, Y)
    w = rng.gamma(2.0, 1.0, len(codes)) + 0.1
    p["district"] = np.asarray(codes, dtype="U6")[rng.choice(len(codes), size=n, p=w / w.sum())]
    p["division"] = _weighted_divisions(n, rng)
    width = max(6, len(str(n)))
    p["name"] = np.array([f"合成企业R{i:0{width}d}" for i in range(1, n + 1)], dtype=object)
    p["id"] = generate_codes(p["district"], rng).astype(object)
    p["kind"][:] = 2
    # mostly small: median revenue 1,500万元 (about 40 % above the 2,000万元 规上 line)
    base = np.exp(rng.normal(np.log(1500), 1.0, n))
    growth = rng.normal(0.06, 0.1, n)
    k = np.asarray(years) - years[-1]
    p["revenue"] = base[:, None] * np.exp(growth[:, None] * k[None, :] + rng.normal(0, 0.05, (n, Y)))
    return p


# --- yearly measures ------------------------------------------------------------------------------------------

def _params(division: np.ndarray, idx: int, default: float) -> np.ndarray:
    table = {k: v[idx] for k, v in R.INDUSTRY_PARAMS.items()}
    return np.array([table.get(d, default) for d in division], dtype=float)


def _measures(ent: dict, years: list[int], rng) -> None:
    n, Y = ent["revenue"].shape
    div = ent["division"]
    heavy = np.isin(div, HEAVY)
    # a division alone (or nothing) becomes a group inside it: the backward-capacity test compares groups
    missing_class = np.array([not c or len(c) < 3 for c in ent["industry_class"]], dtype=bool)
    ent["industry_class"] = np.where(missing_class, _groups_of(div, rng), ent["industry_class"]).astype(object)

    # years a firm exists: monitoring firms as in the directory; others from their establishment
    yrs = np.asarray(years)
    est = np.where(ent["kind"] == 0, np.minimum(ent["dir_entry"] - rng.integers(0, 8, n), ent["dir_entry"]),
                   rng.integers(1985, years[0] + 2, n))
    ent["est_year"] = est
    exists = np.where(ent["kind"][:, None] == 0, ent["in_directory"], est[:, None] <= yrs[None, :])
    exists[np.flatnonzero(~exists.any(axis=1)), -1] = True  # everyone is in the registry for a reason
    month = rng.integers(1, 13, n)
    day = rng.integers(1, 29, n)
    ent["established"] = np.array([f"{y:04d}-{m:02d}-{d:02d}" for y, m, d in zip(est, month, day)], dtype=object)

    rev = ent["revenue"]
    va_ratio = _params(div, 2, 0.25) * 0.97  # value added per unit of revenue
    va = np.where(np.isnan(ent["value_added"]), rev * va_ratio[:, None] * np.exp(rng.normal(0, 0.1, (n, Y))),
                  ent["value_added"])
    va = np.maximum(va, rev * 0.02)
    intensity = _params(div, 3, 0.02) / 0.97  # 万千瓦时 per 万元 of revenue
    elec = np.where(np.isnan(ent["electricity"]), rev * intensity[:, None] * np.exp(rng.normal(0, 0.3, n))[:, None],
                    ent["electricity"])
    productivity = R.LABOUR_PRODUCTIVITY * np.exp(rng.normal(0, 0.3, n))  # 万元 of value added per worker
    emp = np.where(np.isnan(ent["employees"]), np.maximum(1, np.round(va / productivity[:, None])), ent["employees"])
    margin = np.clip(rng.normal(0.06, 0.05, n), -0.15, 0.3)
    profit = np.where(np.isnan(ent["net_profit"]), rev * margin[:, None], ent["net_profit"])

    # energy from electricity and its share of energy (rising: electrification lowers intensity)
    share0 = np.where(heavy, rng.uniform(0.2, 0.45, n), rng.uniform(0.4, 0.8, n))
    share = np.minimum(0.95, share0[:, None] * (1 + ELECTRIFICATION_GAIN) ** (yrs - years[0])[None, :])
    water = va * WATER_PER_VA * np.where(heavy, 3.0, 1.0)[:, None] * np.exp(rng.normal(0, 0.7, n))[:, None] \
        * (1 - 0.045) ** (yrs - years[0])[None, :]
    eps_emission = rng.normal(0, 0.9, n) + np.where(heavy, np.log(0.3), 0.0)
    no_emission = rng.random(n) < 0.04  # not reported: the evaluation imputes it
    eps_tax = rng.normal(0, 0.45, n)
    tax_noise = np.exp(rng.normal(0, 0.1, (n, Y)))
    eps_land = rng.normal(0, 0.7, n)
    no_land = rng.random(n) < 0.01  # land area not known: not evaluated

    # the 亩均 items, calibrated on the last year: medians at the 黄岩 2022 benchmarks and each group's
    # aggregate (the evaluation's benchmark) at its median, so the median enterprise scores about the weight
    ref = exists.shape[1] - 1 - np.argmax(exists[:, ::-1], axis=1)  # the last year a firm exists
    va_ref = va[np.arange(n), ref]
    z = np.log(np.clip(np.nan_to_num(va_ref), 1e-6, None))
    above_last = exists[:, -1] & (rev[:, -1] >= _above_min())
    below_last = exists[:, -1] & ~above_last
    # land: fixed per enterprise, its last year's value added at a 亩均增加值 around VA_PER_MU
    land = va_ref / (np.exp(eps_land) * _centred(eps_land, z, VA_PER_MU, above_last, num=va_ref))
    land = np.round(np.maximum(2.0, land), 1)
    land[no_land] = np.nan
    # tax: a share of value added, scaled per group (by its last year's revenue) to its 亩均税收 benchmark
    base = np.log(va[:, -1] / land * tax_noise[:, -1] * TAX_PER_VA)  # NaN: no land or not in the last year
    grp_above = rev[np.arange(n), ref] >= _above_min()
    factor = np.ones(n)
    for mask, target, members in ((above_last, TAX_PER_MU_ABOVE, grp_above), (below_last, TAX_PER_MU_BELOW, ~grp_above)):
        f = _centred(eps_tax + base, z, target, mask & np.isfinite(base), den=np.nan_to_num(land))
        factor[members] = f[members]
    tax = va * (TAX_PER_VA * np.exp(eps_tax) * factor)[:, None] * tax_noise
    energy = elec * TCE_PER_10K_KWH / share
    # energy: the electricity-based ratio shifted so that 单位能耗增加值 sits around VA_PER_TCE (electricity
    # stays within energy: its share at most 95 %)
    x0 = va[:, -1] / energy[:, -1]
    ok = np.isfinite(x0) & (x0 > 0)
    f = _centred(np.log(np.where(ok, x0, 1.0)), z, VA_PER_TCE, above_last & ok, num=np.nan_to_num(va[:, -1]))
    energy = np.maximum(energy / f[:, None], elec * TCE_PER_10K_KWH / 0.95)
    emissions = va / (np.exp(eps_emission) * _centred(eps_emission, z, VA_PER_EMISSION, above_last, num=va_ref))[:, None]
    emissions[no_emission] = np.nan

    # R&D: a third do none; the rest lognormal, scaled so the above-scale aggregate hits the calibration
    rd_int = np.where(rng.random(n) < 0.35, 0.0, np.exp(rng.normal(np.log(0.02), 0.7, n)))
    above0 = exists[:, 0] & (rev[:, 0] >= _above_min())
    tot = np.nansum(rev[above0, 0] * rd_int[above0])
    if tot > 0:
        rd_int *= RD_INTENSITY_ABOVE_SCALE / 100 * np.nansum(rev[above0, 0]) / tot
    rd_int = np.minimum(rd_int, 0.25)
    rd = rev * rd_int[:, None] * np.exp(rng.normal(0, 0.1, (n, Y)))
    ent["rd_int"] = rd_int

    assets = rev * np.exp(rng.normal(0, 0.4, n))[:, None]
    debt = np.clip(rng.normal(0.55, 0.15, n), 0.05, 1.2)
    inv = rev * np.exp(rng.normal(np.log(0.06), 0.8, (n, Y))) * (rng.random((n, Y)) < 0.7)
    main_share = np.clip(rng.normal(0.9, 0.08, n), 0.4, 1.0)

    ent["size"] = np.where(ent["size"] == "", _size(emp, rev, exists), ent["size"]).astype(object)
    unknown = (ent["kind"] == 2) & (rng.random(n) < 0.02)
    ent["size"][unknown] = ""  # real registries have gaps too

    ent.update({
        "exists": exists, "revenue": rev, "main_revenue": rev * main_share[:, None], "value_added": va, "tax": tax,
        "energy": energy, "electricity": elec, "water": water, "emissions": emissions, "rd_expense": rd,
        "employees": np.round(emp), "net_profit": profit, "assets": assets, "liabilities": assets * debt[:, None],
        "investment": inv, "land_area": np.repeat(land[:, None], Y, axis=1),
        "env_violations": rng.poisson(0.02, (n, Y)).astype(float),
        "quality_failures": rng.poisson(0.015, (n, Y)).astype(float),
        "safety_violations": rng.poisson(0.015, (n, Y)).astype(float),
        "obsolete_equipment": (rng.random((n, 1)) < 0.005).repeat(Y, axis=1).astype(float),
    })


def _centred(eps: np.ndarray, z: np.ndarray, target: float, mask: np.ndarray, *, num: np.ndarray | None = None,
             den: np.ndarray | None = None) -> np.ndarray:
    """The factor c·exp(b·z) per enterprise that makes the ratio x = exp(eps)·factor have, over `mask`,
    the median `target` and an aggregate equal to that median — Σ num ÷ Σ (num ÷ x) when the denominator
    is derived from x (num given), Σ (den·x) ÷ Σ den when the numerator is (den given). b tilts the
    spread with size z (larger firms a little more efficient): with a spread independent of size a
    lognormal ratio's aggregate sits exp(±σ²/2) off its median, and the evaluation's benchmark is that
    aggregate. b by bisection (the aggregate rises with b)."""
    w = num if num is not None else den
    m = mask & np.isfinite(eps) & np.isfinite(z) & (w > 0)
    if not m.any():
        return np.full(len(eps), target)
    zc = z - z[m].mean()

    def factor(b: float) -> np.ndarray:
        f = np.exp(b * zc)
        return f * (target / np.median(np.exp(eps[m]) * f[m]))

    def gap(b: float) -> float:
        x = np.exp(eps[m]) * factor(b)[m]
        agg = num[m].sum() / (num[m] / x).sum() if num is not None else (den[m] * x).sum() / den[m].sum()
        return float(np.log(agg / target))

    lo, hi = -1.5, 1.5
    if gap(lo) >= 0:
        return factor(lo)
    if gap(hi) <= 0:
        return factor(hi)
    for _ in range(40):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if gap(mid) < 0 else (lo, mid)
    return factor((lo + hi) / 2)


def _above_min() -> float:
    return float(Settings()["above_scale_revenue_min"])


def _size(emp: np.ndarray, rev: np.ndarray, exists: np.ndarray) -> np.ndarray:
    """统计上大中小微型企业划分办法（2017）, 工业: employees and revenue (万元) of the last year it exists."""
    n = len(emp)
    last = exists.shape[1] - 1 - np.argmax(exists[:, ::-1], axis=1)
    e, r = emp[np.arange(n), last], rev[np.arange(n), last]
    return np.select([(e >= 1000) & (r >= 40000), (e >= 300) & (r >= 2000), (e >= 20) & (r >= 300)],
                     ["large", "medium", "small"], "micro").astype(object)


# --- the deliberate cases ---------------------------------------------------------------------------------------

def _near_misses(ent: dict, years: list[int], rng) -> np.ndarray:
    """Up to NEAR_MISS_PER_DISTRICT small firms per district made eligible for 专精特新 (niche, R&D ≥ 100万
    and ≥ 3 %, revenue ≥ 1,000万) with a profile scoring about 55–57: close to the 60 pass mark."""
    ok = np.isin(ent["size"], ("small", "medium")) & ent["exists"].all(axis=1) & ~ent["leader"]
    picks = []
    for d in np.unique(ent["district"]):
        cand = np.flatnonzero(ok & (ent["district"] == d))
        if len(cand):
            picks.extend(rng.choice(cand, size=min(NEAR_MISS_PER_DISTRICT, len(cand)), replace=False))
    near = np.array(sorted(picks), dtype=np.int64)
    if not len(near):
        return near
    k = np.asarray(years) - years[-1]
    last = rng.uniform(3000, 8000, len(near))
    rev = last[:, None] * 1.07 ** k[None, :]  # revenue growth 7 % a year (6–8 %: 6 points)
    ent["revenue"][near] = rev
    ent["main_revenue"][near] = rev * 0.85  # ≥ 80 %: 5 points
    ent["value_added"][near] = rev * 0.3
    ent["rd_expense"][near] = rev * 0.045  # 4.5 %, 135–360万: ≥ 100万 and ≥ 3 %; 4 points
    ent["net_profit"][near] = rev * 0.05  # 4–6 %: 4 points
    ent["assets"][near] = rev * 1.0
    ent["liabilities"][near] = rev * 0.55  # 50–60 %: 3 points
    ent["employees"][near] = np.round(rev / 60)
    ent["est_year"][near] = np.minimum(ent["est_year"][near], years[0] - 8)
    ent["established"][near] = np.array([f"{y:04d}-03-01" for y in ent["est_year"][near]], dtype=object)
    return near


def _deliberate(ent: dict, years: list[int], near: np.ndarray, rng) -> None:
    n, Y = ent["revenue"].shape
    above = ent["exists"] & (ent["revenue"] >= _above_min())
    spare = np.ones(n, dtype=bool)
    spare[near] = False
    spare &= ~ent["leader"]
    # D-class material: land far beyond what the output needs (亩均 taxes and value added collapse)
    idle = np.flatnonzero(spare & (rng.random(n) < 0.015))
    ent["land_area"][idle] *= rng.uniform(4, 8, len(idle))[:, None]
    spare[idle] = False
    # backward capacity, energy: energy per value added 3–5× its group's median, every year
    hogs = np.flatnonzero(spare & above.any(axis=1) & (rng.random(n) < 0.01))
    group = np.array([c[:3] for c in ent["industry_class"]], dtype="U3")
    for j in range(Y):
        ratio = ent["energy"][:, j] / ent["value_added"][:, j]
        med = pd.Series(ratio).groupby(group).transform("median").to_numpy()
        ent["energy"][hogs, j] = ent["value_added"][hogs, j] * med[hogs] * rng.uniform(3, 5, len(hogs))
    spare[hogs] = False
    # backward capacity, the other criteria: at least three enterprises each in the last year
    for col in ("env_violations", "quality_failures", "safety_violations", "obsolete_equipment"):
        cand = np.flatnonzero(spare & ent["exists"][:, -1])
        if len(cand):
            pick = rng.choice(cand, size=min(3, len(cand)), replace=False)
            ent[col][pick, -1] = np.maximum(ent[col][pick, -1], 1.0)
            if col == "obsolete_equipment":
                ent[col][pick, :] = 1.0
            spare[pick] = False
    ent["obsolete_equipment"] = np.minimum(ent["obsolete_equipment"], 1.0)
    ent["hogs"], ent["idle"] = hogs, idle


# --- tags -----------------------------------------------------------------------------------------------------------

def _targets(plan: Plan, years: list[int]) -> dict[tuple[str, str | None], dict]:
    """registry_count indicators of the plan: (tag, level) → {"stock": n} or {"new_per_year": x, "from": year}."""
    out: dict[tuple[str, str | None], dict] = {}
    for ind in plan.indicators:
        rc = ind.registry_count
        if rc is None or ind.target is None:
            continue
        tag = rc.tag.value if hasattr(rc.tag, "value") else str(rc.tag)
        factor = 1e4 if ind.unit.strip().startswith("万") else 1.0
        t = float(ind.target.value) * factor
        key = (tag, rc.level)
        if rc.measure == "stock":
            out.setdefault(key, {})["stock"] = STOCK_SHARE_OF_TARGET * t
        elif ind.baseline is not None and ind.target.year and ind.target.year > ind.baseline.year:
            cur = out.setdefault(key, {})
            if "new_per_year" not in cur:  # the first such indicator counts (later ones overlap it)
                cur.update(new_per_year=t / (ind.target.year - ind.baseline.year), **{"from": ind.baseline.year + 1})
    return out


def _tags(plan: Plan, ent: dict, years: list[int], near: np.ndarray, rng) -> pd.DataFrame:
    n = len(ent["id"])
    last = years[-1]
    targets = _targets(plan, years)
    rows: list[pd.DataFrame] = []

    def add(idx, tag, level, acquired, lost):
        if len(idx):
            rows.append(_frame({"enterprise_id": ent["id"][idx], "tag": tag, "level": level,
                                      "acquired": acquired, "lost": lost}))

    # 规上: monitoring firms as in the directory; others by runs of years with revenue over the line
    mon = np.flatnonzero(ent["kind"] == 0)
    add(mon, "above_scale", "", [f"{y}-01-01" for y in ent["dir_entry"][mon]],
        ["" if x == 0 else f"{x + 1}-01-01" for x in ent["dir_exit"][mon]])
    over = ent["exists"] & (ent["revenue"] >= _above_min())
    other = ent["kind"] != 0
    prev = np.zeros(n, dtype=bool)
    start = np.zeros(n, dtype=np.int64)
    for j, y in enumerate(years):
        cur = over[:, j] & other
        begin = cur & ~prev
        start[begin] = y if j else np.maximum(ent["est_year"][begin] + 1, y - rng.integers(0, 5, begin.sum()))
        start[begin] = np.minimum(start[begin], y)
        end = prev & ~cur
        idx = np.flatnonzero(end)
        add(idx, "above_scale", "", [f"{s}-01-01" for s in start[idx]], [f"{y}-01-01"] * len(idx))
        prev = cur
    idx = np.flatnonzero(prev)
    add(idx, "above_scale", "", [f"{s}-01-01" for s in start[idx]], [""] * len(idx))

    # 链主: the chain data's leaders, recognised by the city one to three years before the last year
    lead = np.flatnonzero(ent["leader"])
    add(lead, "chain_leader", "municipal", [f"{last - int(k)}-09-01" for k in rng.integers(1, 4, len(lead))],
        [""] * len(lead))

    sme = np.isin(ent["size"], SME) & ent["exists"][:, -1]
    sme_ok = sme.copy()
    sme_ok[near] = False  # the near misses hold no 专精特新 title
    big = np.isin(ent["size"], ("large", "medium")) & ent["exists"][:, -1]
    w_rd = ent["rd_int"] + 0.002

    def count(tag, level, eligible: np.ndarray, default_share: float) -> int:
        t = targets.get((tag, level), targets.get((tag, None), {}))
        cap = int(TAG_CAP_SHARE * eligible.sum())
        want = int(round(t["stock"])) if "stock" in t else int(round(default_share * eligible.sum()))
        return max(0, min(want, cap))

    # 专精特新中小企业 (municipal), 创新型中小企业, 科技型企业, 高新技术企业: spells of 3 years, mostly renewed
    srdi = _holders(sme_ok, w_rd, count("srdi_sme", "municipal", sme_ok, DEFAULT_TAG_SHARE["srdi_sme"]), rng)
    for part in _spell_frames(ent, srdi, "srdi_sme", "municipal", years, "07-15", rng):
        rows.append(part)
    innov_elig = sme_ok
    innov = np.union1d(srdi, _holders(innov_elig, w_rd, count("innovative_sme", "", innov_elig,
                                                                 DEFAULT_TAG_SHARE["innovative_sme"]), rng))
    innov = innov[~np.isin(innov, near)] if len(near) else innov
    for part in _spell_frames(ent, innov, "innovative_sme", "", years, "05-20", rng):
        rows.append(part)
    tech = _holders(sme, w_rd, count("tech_sme", "", sme, DEFAULT_TAG_SHARE["tech_sme"]), rng)
    for part in _spell_frames(ent, tech, "tech_sme", "", years, "04-30", rng):
        rows.append(part)
    all_ok = ent["exists"][:, -1]
    ht = _holders(all_ok, w_rd * 3, count("high_tech", "", all_ok, DEFAULT_TAG_SHARE["high_tech"]), rng)
    for part in _spell_frames(ent, ht, "high_tech", "", years, "11-30", rng):
        rows.append(part)

    # 小巨人 (national): among current 专精特新 holders; the plan's "new" target sets the yearly additions
    held = _held_at(rows, "srdi_sme", f"{last}-12-31")
    srdi_now = np.flatnonzero(pd.Series(ent["id"]).isin(held).to_numpy())
    n_lg = min(len(srdi_now), max(1, int(round(LITTLE_GIANT_SHARE * len(srdi_now)))))
    per_year = _per_year(targets, "little_giant", "national", years, n_lg / 6)
    rows.extend(_new_each_year(ent, srdi_now, "little_giant", "national", years, per_year, n_lg, "08-10", rng))
    # 单项冠军: national and municipal, among large and medium firms
    for level, share in (("national", CHAMPION_SHARE / 3), ("municipal", CHAMPION_SHARE)):
        cand = np.flatnonzero(big)
        n_c = min(len(cand), max(1, int(round(share * len(cand)))))
        # a target at any level (None) sets the national additions; the municipal ones stay assumed
        per_year = _per_year(targets, "single_champion", level, years, n_c / 6, any_level=level == "national")
        weights = ent["revenue"][cand, -1]
        weights = np.nan_to_num(weights, nan=0.0) + 1.0
        order = cand[np.argsort(-weights * rng.uniform(0.5, 1.5, len(cand)), kind="stable")]
        rows.extend(_new_each_year(ent, order[:max(n_c, int(per_year.sum()) + 1)], "single_champion", level,
                                   years, per_year, n_c, "12-01", rng, ordered=True))
    return pd.concat(rows, ignore_index=True) if rows else empty_frame("tags")


def _per_year(targets: dict, tag: str, level: str, years: list[int], default: float, any_level: bool = True
              ) -> np.ndarray:
    """Expected new holders in each generated year: the plan's "new" target spread over its years from
    the year after its baseline; before that (or without a target) `default`."""
    t = targets.get((tag, level)) or (targets.get((tag, None)) if any_level else None) or {}
    if "new_per_year" not in t:
        return np.full(len(years), default)
    return np.where(np.asarray(years) >= t["from"], t["new_per_year"], default)


def _holders(eligible: np.ndarray, weight: np.ndarray, k: int, rng) -> np.ndarray:
    """k enterprises among the eligible, weighted (Efraimidis–Spirakis keys), sorted."""
    cand = np.flatnonzero(eligible)
    k = min(k, len(cand))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    keys = -np.log(rng.random(len(cand))) / weight[cand]
    return np.sort(cand[np.argsort(keys, kind="stable")[:k]])


def _spell_frames(ent: dict, idx: np.ndarray, tag: str, level: str, years: list[int], batch: str,
                  rng) -> list[pd.DataFrame]:
    """Spells for the holders: acquired at a yearly batch date within the six years up to the last
    year (later years weigh more: the stock grows), valid VALIDITY_YEARS, RENEWAL_RATE renewed; some
    lost titles are regained a year later (a second spell that never overlaps the first)."""
    if not len(idx):
        return []
    last = years[-1]
    span = np.arange(last - 5, last + 1)
    w = 1.25 ** np.arange(len(span))
    acq = span[rng.choice(len(span), size=len(idx), p=w / w.sum())]
    acq = np.maximum(acq, ent["est_year"][idx] + 1)
    acq = np.minimum(acq, last)
    lost = np.zeros(len(idx), dtype=np.int64)
    due = acq + VALIDITY_YEARS <= last
    drop = due & (rng.random(len(idx)) > RENEWAL_RATE)
    lost[drop] = acq[drop] + VALIDITY_YEARS
    out = [_frame({"enterprise_id": ent["id"][idx], "tag": tag, "level": level,
                         "acquired": [f"{a}-{batch}" for a in acq],
                         "lost": ["" if x == 0 else f"{x}-{batch}" for x in lost]})]
    regain = drop & (lost + 1 <= last) & (rng.random(len(idx)) < REGAIN_RATE)
    if regain.any():
        out.append(_frame({"enterprise_id": ent["id"][idx[regain]], "tag": tag, "level": level,
                                 "acquired": [f"{x + 1}-{batch}" for x in lost[regain]], "lost": ""}))
    return out


def _held_at(rows: list[pd.DataFrame], tag: str, date: str) -> set:
    if not rows:
        return set()
    t = pd.concat(rows, ignore_index=True)
    t = t[(t["tag"] == tag) & (t["acquired"] <= date) & ((t["lost"] == "") | (t["lost"] > date))]
    return set(t["enterprise_id"])


def _new_each_year(ent: dict, cand: np.ndarray, tag: str, level: str, years: list[int], per_year: np.ndarray,
                   stock: int, batch: str, rng, ordered: bool = False) -> list[pd.DataFrame]:
    """A stock of holders before the generated years and about per_year new ones in each of them."""
    if not len(cand):
        return []
    order = cand if ordered else rng.permutation(cand)
    new = rng.poisson(per_year)
    n_before = max(0, stock - int(new.sum()))
    total = min(len(order), n_before + int(new.sum()))
    acq = np.empty(total, dtype=np.int64)
    acq[:min(n_before, total)] = rng.integers(years[0] - 5, years[0], min(n_before, total))
    pos = min(n_before, total)
    for y, k in zip(years, new):
        k = min(int(k), total - pos)
        acq[pos:pos + k] = y
        pos += k
    idx = order[:total]
    acq = np.maximum(acq, ent["est_year"][idx] + 1)
    acq = np.minimum(acq, years[-1])
    return [_frame({"enterprise_id": ent["id"][idx], "tag": tag, "level": level,
                          "acquired": [f"{a}-{batch}" for a in acq], "lost": ""})]


# --- 专精特新 inputs -----------------------------------------------------------------------------------------------------

def _srdi(ent: dict, years: list[int], tags: pd.DataFrame, near: np.ndarray, rng) -> pd.DataFrame:
    sme = np.flatnonzero(np.isin(ent["size"], SME))
    holders = set(tags.loc[tags["tag"] == "srdi_sme", "enterprise_id"])
    strong = pd.Series(ent["id"][sme]).isin(holders).to_numpy()  # hashing: np.isin on strings is slow
    m = len(sme)
    # a firm's niche years, product field, quality, IP … are traits; years add to the niche only
    niche0 = np.clip(years[0] - ent["est_year"][sme] - rng.integers(0, 6, m), 0, 40)
    field = np.asarray(["key", "foundation", ""], dtype=object)[
        np.where(strong, rng.choice(3, m, p=[0.4, 0.4, 0.2]), rng.choice(3, m, p=[0.1, 0.2, 0.7]))]
    digital = np.where(strong, rng.choice([2, 3], m), rng.choice([1, 2, 3], m, p=[0.5, 0.35, 0.15])).astype(float)
    quality = np.where(strong, rng.integers(1, 5, m), rng.integers(0, 3, m)).astype(float)
    ip = np.asarray(["1_high_value", "1_own", "1", "2", ""], dtype=object)[
        np.where(strong, rng.choice(5, m, p=[0.2, 0.35, 0.3, 0.15, 0.0]), rng.choice(5, m, p=[0.02, 0.08, 0.2, 0.3, 0.4]))]
    staff = np.where(strong, rng.uniform(10, 35, m), rng.uniform(0, 15, m))
    inst = np.asarray(["national", "provincial", "municipal", "below", ""], dtype=object)[
        np.where(strong, rng.choice(5, m, p=[0.03, 0.27, 0.5, 0.15, 0.05]), rng.choice(5, m, p=[0.0, 0.03, 0.12, 0.25, 0.6]))]
    equity = np.where(rng.random(m) < 0.08, rng.uniform(200, 8000, m), 0.0)
    local = np.where(strong, rng.integers(8, 16, m), rng.integers(0, 12, m)).astype(float)
    direct = np.where(rng.random(m) < 0.002, "近两年新增股权融资≥6000万元", "").astype(object)
    equity[direct != ""] = np.maximum(equity[direct != ""], 6000.0)
    # the near misses: a fixed profile worth about 55–57 points with the annual figures of _near_misses
    nm = np.isin(sme, near)
    niche0[nm] = 6
    field[nm], digital[nm], quality[nm], ip[nm] = "foundation", 3.0, 1.0, "1"
    staff[nm], inst[nm], equity[nm], local[nm], direct[nm] = 12.0, "municipal", 0.0, 5.0, ""
    frames = []
    for j, y in enumerate(years):
        live = ent["exists"][sme, j]
        s = sme[live]
        frames.append(_frame({
            "enterprise_id": ent["id"][s], "year": y, "niche_years": (niche0 + j)[live].astype(float),
            "product_field": field[live], "digital_level": digital[live], "quality_items": quality[live],
            "ip_class": ip[live], "rd_staff_share": np.round(staff[live], 1), "rd_institution": inst[live],
            "equity_financing": np.round(equity[live], 1), "local_points": local[live], "direct_pass": direct[live]}))
    return pd.concat(frames, ignore_index=True) if frames else empty_frame("srdi")


# --- parks ------------------------------------------------------------------------------------------------------------

def _parks(plan: Plan, ent: dict, years: list[int], rng) -> tuple[pd.DataFrame, np.ndarray]:
    n = len(ent["id"])
    park_of = np.full(n, "", dtype=object)
    ps = plan.park_system
    if ps is None:
        return empty_frame("parks"), park_of
    codes = [d.code for d in plan.regions.districts] or [plan.regions.whole_code]
    rows = []
    k = 0
    for t_idx, tier in enumerate(ps.tiers):
        cnt = min(MAX_PARKS_PER_TIER, tier.count if tier.count is not None else 3)
        for _ in range(cnt):
            k += 1
            # the first tier's parks span two or three districts, the others one (sometimes two)
            span = int(rng.integers(2, 4)) if t_idx == 0 else 1 + int(rng.random() < 0.2)
            ds = sorted(rng.choice(codes, size=min(span, len(codes)), replace=False).tolist())
            rows.append({"park_id": f"P{k:02d}", "name": f"合成园区{k:02d}", "tier": tier.id, "districts": ds,
                         "tier_idx": t_idx})
    if not rows:
        return empty_frame("parks"), park_of
    # enterprises of a district hosting parks: 60 % inside one of them (first tiers weigh more)
    for d in np.unique(ent["district"]):
        host = [r for r in rows if d in r["districts"]]
        sel = np.flatnonzero((ent["district"] == d) & (rng.random(n) < 0.6))
        if host and len(sel):
            w = np.array([3.0 ** -r["tier_idx"] for r in host])
            park_of[sel] = np.array([r["park_id"] for r in host], dtype=object)[
                rng.choice(len(host), size=len(sel), p=w / w.sum())]
    j = len(years) - 1
    live = ent["exists"][:, j]
    land = np.nan_to_num(ent["land_area"][:, j])
    below = rng.permutation(len(rows))[:max(1, int(round(0.3 * len(rows))))]
    out = []
    for i, r in enumerate(rows):
        m = (park_of == r["park_id"]) & live
        L = land[m].sum()
        if L > 0:
            actual = [np.nansum(ent[c][m, j]) / L for c in ("investment", "revenue", "tax")]
            area = L * rng.uniform(1.3, 2.5)
            divs = pd.Series(ent["division"][m]).value_counts().index[:3].tolist()
        else:  # a park without enterprises: typical values (assumed) by tier
            actual = [x * 0.5 ** r["tier_idx"] for x in (30.0, 600.0, 25.0)]
            area = 20000 * 0.4 ** r["tier_idx"] * rng.uniform(0.7, 1.4)
            divs = _weighted_divisions(2, rng).tolist()
        f = rng.uniform(1.15, 1.5) if i in below else rng.uniform(0.75, 0.95)
        tgt = [float(np.round(a * f * rng.uniform(0.97, 1.03), 1)) for a in actual]
        out.append({"park_id": r["park_id"], "name": r["name"], "tier": r["tier"],
                    "districts": ";".join(r["districts"]), "area": float(np.round(area, 0)),
                    "leading_industries": ";".join(sorted(set(divs))), "target_investment_per_mu": tgt[0],
                    "target_output_per_mu": tgt[1], "target_tax_per_mu": tgt[2]})
    return pd.DataFrame(out), park_of


# --- the area energy and water table ---------------------------------------------------------------------------------

def _green(plan: Plan, ent: dict, years: list[int], codes: list[str], rng) -> pd.DataFrame:
    """Districts (or the whole area when the plan lists none) and the whole area: the above-scale
    registry's sums in the generated years (a district's energy made to rise in the last year), back-cast
    before them; whole = Σ districts."""
    Y = len(years)
    above = ent["exists"] & (ent["revenue"] >= _above_min())
    areas = sorted(set(codes))
    A = len(areas)
    ai = pd.Index(areas).get_indexer(ent["district"])
    E, W, V = (np.zeros((A, Y)) for _ in range(3))
    for j in range(Y):
        m = above[:, j] & (ai >= 0)
        for arr, col in ((E, "energy"), (W, "water"), (V, "value_added")):
            arr[:, j] = np.bincount(ai[m], weights=np.nan_to_num(ent[col][m, j]), minlength=A)
    assumed = _fill_empty_areas(E, W, V, years)
    g = np.full((A, Y), np.nan)  # real growth, %
    g[:, 1:] = (V[:, 1:] / V[:, :-1] - 1) * 100 - DEFLATION_PP
    # the deliberate red: one sizeable area's energy intensity rises RISE_PCT in the last year (an area
    # backed by the registry when there is one: its largest energy users use more)
    if Y >= 2:
        pool = np.flatnonzero(~assumed) if (~assumed).any() else np.arange(A)
        big = pool[E[pool, -2] >= np.quantile(E[pool, -2], 0.5)]
        a = int(rng.choice(big))
        target = E[a, -2] * (1 + g[a, -1] / 100) * (1 + RISE_PCT / 100)
        mine = np.flatnonzero(above[:, -1] & (ai == a))
        e = np.nan_to_num(ent["energy"][mine, -1])
        top = mine[np.argsort(-e)][:max(1, int(np.searchsorted(np.cumsum(np.sort(e)[::-1]), 0.5 * e.sum())) + 1)]
        rest = E[a, -1] - np.nansum(ent["energy"][top, -1])
        if assumed[a]:  # no registry enterprise carries the area's figure
            E[a, -1] = target
        elif target > rest and np.nansum(ent["energy"][top, -1]) > 0:
            ent["energy"][top, -1] *= (target - rest) / np.nansum(ent["energy"][top, -1])
            E[a, -1] = target
        ent["rising_area"] = areas[a]
    # back-cast the years before the first generated one
    base = plan.plan.base_year
    first = min(base, years[-1] - GREEN_YEARS_BEFORE)
    pre = list(range(first, years[0]))
    P = len(pre)
    E2, W2, V2, g2 = (np.zeros((A, P + Y)) for _ in range(4))
    E2[:, P:], W2[:, P:], V2[:, P:], g2[:, P:] = E, W, V, g
    for k in range(P - 1, -1, -1):
        gr = rng.normal(6.0, 1.5, A)  # real growth into year k+1
        g2[:, k + 1] = gr
        V2[:, k] = V2[:, k + 1] / (1 + (gr + DEFLATION_PP) / 100)
        ce = rng.normal(-3.5, 1.0, A) / 100
        cw = rng.normal(-4.5, 1.5, A) / 100
        E2[:, k] = E2[:, k + 1] / (1 + gr / 100) / (1 + ce)
        W2[:, k] = W2[:, k + 1] / (1 + gr / 100) / (1 + cw)
    g2[:, 0] = rng.normal(6.0, 1.5, A) if P else g2[:, 0]
    if not P:
        g2[:, 0] = np.where(np.isnan(g2[:, 0]), rng.normal(6.0, 1.5, A), g2[:, 0])
    all_years = pre + list(years)
    frames = []
    if plan.regions.districts:
        # whole area: sums, and real growth at the previous year's prices
        wg = np.full(P + Y, np.nan)
        prev = V2[:, :-1]
        with np.errstate(divide="ignore", invalid="ignore"):
            wg[1:] = (prev * (1 + g2[:, 1:] / 100)).sum(axis=0) / prev.sum(axis=0) * 100 - 100
        wg[0] = float(np.average(g2[:, 0], weights=np.maximum(V2[:, 0], 1e-9)))
        frames.append(pd.DataFrame({"area": plan.regions.whole_code, "year": all_years, "energy": E2.sum(axis=0) / 1e4,
                                    "water": W2.sum(axis=0) / 1e4, "value_added": V2.sum(axis=0) / 1e4,
                                    "va_real_growth": wg}))
    for i, a in enumerate(areas):
        frames.append(pd.DataFrame({"area": a, "year": all_years, "energy": E2[i] / 1e4, "water": W2[i] / 1e4,
                                    "value_added": V2[i] / 1e4, "va_real_growth": g2[i]}))
    out = pd.concat(frames, ignore_index=True)
    for c in ("energy", "water", "value_added", "va_real_growth"):
        out[c] = out[c].round(4)
    return out


def _fill_empty_areas(E: np.ndarray, W: np.ndarray, V: np.ndarray, years: list[int]) -> np.ndarray:
    """An area whose above-scale registry enterprises leave a generated year without energy, water or
    value added (a small sample spread over many districts) gets an assumed path, in place: in the last
    year half the median value added of the areas the registry covers (AREA_VA_ASSUMED without any),
    nominal growth 6 % + DEFLATION_PP a year before, and the covered areas' pooled intensities of each
    year (else ENERGY_PER_VA_ASSUMED and WATER_PER_VA falling 3.5 % and 4.5 % a year). A statistical
    table has no empty district, and intensities need positive figures. Returns the filled areas."""
    Y = E.shape[1]
    covered = ((E >= 1) & (W >= 1) & (V >= 1)).all(axis=1)  # ≥ 1 (tce, m³, 万元): 万-unit tables round to 4 decimals
    if covered.all():
        return ~covered
    k = np.arange(Y) - (Y - 1)  # years before the last: −(Y−1) … 0
    if covered.any():
        va_last = 0.5 * float(np.median(V[covered, -1]))
        e_int = E[covered].sum(axis=0) / V[covered].sum(axis=0)
        w_int = W[covered].sum(axis=0) / V[covered].sum(axis=0)
    else:
        va_last = AREA_VA_ASSUMED
        e_int = ENERGY_PER_VA_ASSUMED * (1 - 0.035) ** (k + Y - 1)
        w_int = WATER_PER_VA * (1 - 0.045) ** (k + Y - 1)
    va = va_last * (1 + (6.0 + DEFLATION_PP) / 100) ** k
    V[~covered] = va
    E[~covered] = va * e_int
    W[~covered] = va * w_int
    return ~covered


# --- frames -----------------------------------------------------------------------------------------------------------

def _annual_frame(ent: dict, years: list[int]) -> pd.DataFrame:
    rows, cols = np.nonzero(ent["exists"])
    out = {"enterprise_id": ent["id"][rows], "year": np.asarray(years)[cols]}
    for m in ANNUAL_MEASURES:
        v = ent[m][rows, cols].astype(float)
        out[m] = np.round(v, 2) if m not in ("employees",) else np.round(v)
    return _frame(out)  # registry order, then year
