"""SYNTHETIC enterprise micro-data for monitoring (enterprise data are confidential).

Nothing written here describes a real enterprise: names are 合成企业000123, credit codes are random
(but pass the GB 32100 check), and every frame carries `synthetic=True`; the metadata says so too.

Model (per enterprise i, calendar month t, all logs):
    real activity = size_i + seasonal(month) + industry trend(t) + own drift_i·t + AR(1) noise
with a heavy-tailed size (lognormal, σ = SIZE_SIGMA, times district and industry multipliers), the
district drawn by weight and the GB/T 4754 division drawn by weight × district affinity
(`reference.py`). Enterprises enter the directory at 1–2月 and leave after December. January and
February are reported together (one row, month = 2). Current prices = constant × an industry
deflator shaped by the national PPI; output = value added / VA ratio; electricity = output ×
intensity × noise; revenue, profit and employment follow output.

Calibration, in this order:
1. Known anomalies are injected and recorded (the ground-truth frame, category "injected"); the
   assumed industry trend changes and the jumps of the calibrated city path (step 2) are recorded
   there too, as category "structural" (real structure a turning-point rule should see, not anomalies).
2. Growth: for every year after the first, each reporting period is scaled by one common factor
   so that the city's constant-price value added reproduces the published 累计增长率 path exactly:
   published 1–N月 anchors (reference.CITY_VA_YTD_GROWTH: e.g. 2024 8.7 / 8.6 / 8.3 / 8.1 / 7.9 /
   7.3, 2023 annual 6.6), linear between anchors, held flat before the first and after the last;
   years without any anchor use the plan's 6% (marked "assumed"). The first year has no previous
   year and is not growth-calibrated. Industry and district paths are NOT calibrated: they follow
   the assumed industry trends and the common factor.
3. Level: one constant makes 规上工业总产值 (current prices) of 2020 equal 2.27万亿元 (if 2020 is
   generated; else the nearest year extrapolated at the calibrated growth). "2023 > 2.6万亿" and
   "7,098 enterprises in 2021" are reported in the metadata against the synthetic values.
Since the common factor applies to every enterprise, injected anomalies stay anomalies relative to
their peers, while the city total follows the published path.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from zhizao.analytics.monitoring.periods import (PERIODS_PER_YEAR, slot_of, spring_festival_reaches_march,
                                                 year_month_of)
from zhizao.codes.industries import DIVISIONS, cluster_of
from zhizao.codes.regions import DISTRICTS, FUNCTIONAL_ZONES, NO_ZONE
from zhizao.codes.uscc import generate_codes
from zhizao.synth import reference as R

GENERATOR_VERSION = "1"
ENTERPRISE_KINDS = ("sharp_fall", "consecutive_decline", "stopped_reporting", "output_power_divergence")
AGGREGATE_KINDS = ("district_shock", "industry_shift")
STRUCTURAL_KINDS = ("industry_trend", "city_path")
# A change of the calibrated city's single-period YoY growth of at least this many points from one
# reporting period to the next is recorded as a structural event of the city (the published YTD
# anchors, interpolated, make the implied monthly path jump: 2021 1—3月 35.4% → 4月 ~4%)
CITY_PATH_SHIFT_PP = 3.0
EXPECTED_RULES = {
    "sharp_fall": "enterprise_sharp_fall",
    "consecutive_decline": "enterprise_consecutive_decline",
    "stopped_reporting": "enterprise_stopped_reporting",
    "output_power_divergence": "enterprise_output_power_divergence",
    "district_shock": "anomaly",
    "industry_shift": "change_point,cusum_shift",
    # not an anomaly: the assumed relative industry trend changes each January (real structure that
    # turning-point rules should see; its level step also shows in the anomaly rule for a period or two)
    "industry_trend": "change_point,cusum_shift",
    "city_path": "change_point,cusum_shift",
}
# Per enterprise-year for enterprise kinds; per year for aggregate kinds.
DEFAULT_ANOMALY_RATES = {"sharp_fall": 0.002, "consecutive_decline": 0.0015, "stopped_reporting": 0.0015,
                         "output_power_divergence": 0.0015, "district_shock": 1.0, "industry_shift": 0.5}
MEASURES = ("value_added", "output", "revenue", "profit", "electricity", "employment")


@dataclass
class SynthData:
    enterprises: pd.DataFrame
    monthly: pd.DataFrame
    prices: pd.DataFrame
    anomalies: pd.DataFrame
    projects: pd.DataFrame
    project_monthly: pd.DataFrame
    metadata: dict = field(default_factory=dict)

    FILES = ("enterprises", "monthly", "prices", "anomalies", "projects", "project_monthly")

    def write(self, out_dir: str | Path) -> list[Path]:
        """Parquet per frame plus metadata.json (synthetic = true) in out_dir."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        for name in self.FILES:
            p = out / f"{name}.parquet"
            getattr(self, name).to_parquet(p, index=False)
            paths.append(p)
        p = out / "metadata.json"
        p.write_text(json.dumps(self.metadata, ensure_ascii=False, indent=2), encoding="utf-8")
        paths.append(p)
        return paths

    @classmethod
    def read(cls, data_dir: str | Path, frames: tuple[str, ...] | None = None) -> "SynthData":
        d = Path(data_dir)
        meta = json.loads((d / "metadata.json").read_text(encoding="utf-8"))
        got = {n: (pd.read_parquet(d / f"{n}.parquet") if (frames is None or n in frames)
                   and (d / f"{n}.parquet").exists() else pd.DataFrame()) for n in cls.FILES}
        return cls(**got, metadata=meta)


def generate(n_enterprises: int = 6700, months: int = 72, start: str = "2019-01", seed: int = 0,
             anomalies: Mapping[str, float] | str | None = "default", projects: bool = True,
             industry_trends: bool = True) -> SynthData:
    """Generate synthetic 规上 enterprises and their monthly reports (see the module docstring).

    n_enterprises: enterprises in the directory in the first year (later entries come on top: the
    default 6,700 from 2019 gives about 7,100 active in 2021, cf. the published 7,098). months: calendar months from `start` (which must be a January). anomalies:
    "default" (DEFAULT_ANOMALY_RATES), None/"none", or a mapping kind → rate. industry_trends=False
    drops the assumed relative industry trends (then the injected anomalies are the only structural
    changes — used to measure false alarms).
    """
    y0, m0 = (int(x) for x in start.split("-")[:2])
    if m0 != 1:
        raise ValueError("start must be a January (YYYY-01): years are calibrated as wholes")
    if months < 2:
        raise ValueError("need at least two months (1–2月 is the first reporting period)")
    rng = np.random.default_rng(seed)
    cal_year = y0 + np.arange(months) // 12
    cal_month = np.arange(months) % 12 + 1
    n_years = int(cal_year[-1] - y0 + 1)
    S = n_years * PERIODS_PER_YEAR
    last_slot = int(slot_of(cal_year[-1], cal_month[-1], y0))
    slot_year, slot_month = year_month_of(np.arange(S), y0)

    ent = _enterprises(n_enterprises, y0, n_years, rng)
    n = len(ent)
    ind_codes = sorted(DIVISIONS)
    ind_idx = pd.Index(ind_codes).get_indexer(ent["industry"])
    A = np.zeros((n, S))
    starts = np.nonzero(cal_month != 2)[0]  # January opens the 1–2月 period; February joins it
    A[:, :len(starts)] = np.add.reduceat(_real_activity(ent, ind_idx, ind_codes, cal_year, cal_month, rng,
                                                        industry_trends), starts, axis=1)
    active = _active_mask(ent, slot_year, last_slot)

    edits = _Edits(n, S)
    truth = _inject(ent, active, edits, last_slot, anomalies, n_years, rng)
    truth += _structural_events(ent, y0, n_years, last_slot) if industry_trends else []
    active &= ~edits.dropped
    va = A * active  # constant-price value added
    del A
    edits.apply(va)
    factor, calib = _growth_factors(va.sum(axis=0), slot_year, slot_month, last_slot, y0)
    va *= factor
    truth += _city_path_events(va.sum(axis=0), last_slot)
    D = _deflators(ind_codes, slot_year, slot_month, y0)  # industries × S
    va_ratio = np.array([R.INDUSTRY_PARAMS[k][2] for k in ind_codes])[ind_idx]
    out_const = va / va_ratio[:, None]
    out_cur = out_const * D[ind_idx] * np.exp(rng.normal(0, R.OUTPUT_NOISE_SD, out_const.shape))
    level_scale, level_info = _level_scale(out_cur, slot_year, last_slot)
    for arr in (va, out_const, out_cur):
        arr *= level_scale

    mask = active
    rows, slots = np.nonzero(mask)
    monthly = pd.DataFrame({
        "enterprise_id": rows.astype(np.int32),
        "year": slot_year[slots].astype(np.int16),
        "month": slot_month[slots].astype(np.int8),
    })
    del rows, slots
    monthly["value_added"] = (va * D[ind_idx])[mask]
    monthly["output"] = out_cur[mask]
    city = {"va_const": va.sum(axis=0)[:last_slot + 1], "output": out_cur.sum(axis=0)[:last_slot + 1]}
    del out_cur
    revenue = out_const * D[ind_idx] * 0.97 * np.exp(rng.normal(0, 0.03, out_const.shape))
    monthly["revenue"] = revenue[mask]
    first_year_rev = (revenue * (slot_year[None, :] == np.maximum(ent["entry_year"].to_numpy(), y0)[:, None])).sum(axis=1)
    revenue *= ent["_margin"].to_numpy()[:, None] + rng.normal(0, 0.02, revenue.shape)
    monthly["profit"] = revenue[mask]
    del revenue
    intensity = np.array([R.INDUSTRY_PARAMS[k][3] for k in ind_codes])[ind_idx]
    elec = out_const * intensity[:, None] * np.exp(rng.normal(0, R.ELECTRICITY_NOISE_SD, out_const.shape))
    del out_const
    edits.undo_divergence(elec)  # inflated reports do not use more electricity
    monthly["electricity"] = elec[mask]
    del elec
    n_active = np.maximum(mask.sum(axis=1), 1)
    annual_va = va.sum(axis=1) / n_active * PERIODS_PER_YEAR
    emp = np.maximum(1, np.round(ent["_emp_scale"].to_numpy() * annual_va / R.LABOUR_PRODUCTIVITY)).astype(np.int32)
    monthly["employment"] = np.broadcast_to(emp[:, None], mask.shape)[mask]
    monthly["synthetic"] = True
    del va
    active_by_year = {int(y): int((mask[:, slot_year == y].any(axis=1)).sum()) for y in np.unique(slot_year[:last_slot + 1])}

    ent = _finish_enterprises(ent, first_year_rev, emp, int(slot_year[last_slot]))
    prices = _price_frame(ind_codes, D, slot_year, slot_month, last_slot)
    truth = _truth_frame(truth, ent, y0)
    proj, proj_m = _projects(ent, rng, y0, last_slot) if projects else (pd.DataFrame(), pd.DataFrame())
    meta = _metadata(seed, n_enterprises, months, start, slot_year, slot_month, last_slot, city, truth,
                     calib, level_info, anomalies, active_by_year)
    meta["industry_trends"] = industry_trends
    return SynthData(ent, monthly, prices, truth, proj, proj_m, meta)


# --- enterprises -----------------------------------------------------------------------------------

def _enterprises(n0: int, y0: int, n_years: int, rng: np.random.Generator) -> pd.DataFrame:
    # n0 enterprises in the directory in the first year, ENTRY_RATE·n0 entering each later year (at
    # 1–2月); each stays a geometric number of years (EXIT_RATE a year) and leaves after December.
    per_year = int(round(R.ENTRY_RATE * n0))
    entry = np.concatenate([np.full(n0, y0)] + [np.full(per_year, y0 + k) for k in range(1, n_years)])
    n = len(entry)
    dcodes = sorted(DISTRICTS)
    dw = np.array([R.DISTRICT_PARAMS[d][0] for d in dcodes])
    district = np.array(dcodes)[rng.choice(len(dcodes), size=n, p=dw / dw.sum())]
    icodes = sorted(DIVISIONS)
    iw = np.array([R.INDUSTRY_PARAMS[k][0] for k in icodes])
    industry = np.empty(n, dtype="U2")
    for d in dcodes:  # industry | district ∝ weight × affinity
        sel = np.nonzero(district == d)[0]
        if len(sel):
            w = iw * np.array([R.AFFINITY.get((d, k), 1.0) for k in icodes])
            industry[sel] = np.array(icodes)[rng.choice(len(icodes), size=len(sel), p=w / w.sum())]
    dsize = np.array([R.DISTRICT_PARAMS[d][1] for d in dcodes])[np.searchsorted(dcodes, district)]
    isize = np.array([R.INDUSTRY_PARAMS[k][1] for k in icodes])[np.searchsorted(icodes, industry)]
    log_size = rng.normal(0, R.SIZE_SIGMA, n) + np.log(dsize) + np.log(isize)
    log_size = np.where(entry > y0, log_size - 0.5, log_size)  # entrants start smaller
    # Large enterprises rarely leave the directory: the top decile exits at a fifth of the rate.
    big = log_size >= np.quantile(log_size, 0.9)
    life = rng.geometric(np.where(big, R.EXIT_RATE / 5, R.EXIT_RATE))  # years in the directory
    exit_year = entry + life - 1
    zone = np.full(n, NO_ZONE, dtype=object)
    u = rng.random(n)
    for z, shares in R.ZONE_SHARES.items():
        for d, share in shares.items():
            zone[(district == d) & (u < share)] = z
    return pd.DataFrame({
        "enterprise_id": np.arange(n, dtype=np.int32),
        "credit_code": generate_codes(district, rng),
        "name": [f"合成企业{i:06d}" for i in range(n)],
        "district": district,
        "zone": zone.astype(str),
        "industry": industry,
        "entry_year": entry.astype(np.int16),
        "exit_year": exit_year.astype(np.int32),
        "_log_size": log_size,
        "_drift": rng.normal(0, R.DRIFT_SD, n),
        "_margin": np.clip(rng.normal(0.06, 0.04, n), -0.1, 0.3),
        "_emp_scale": np.exp(rng.normal(0, 0.3, n)),
    })


def _active_mask(ent: pd.DataFrame, slot_year: np.ndarray, last_slot: int) -> np.ndarray:
    e = ent["entry_year"].to_numpy()[:, None]
    x = ent["exit_year"].to_numpy()[:, None]
    m = (slot_year[None, :] >= e) & (slot_year[None, :] <= x)
    m[:, last_slot + 1:] = False
    return m


def _real_activity(ent, ind_idx, ind_codes, cal_year, cal_month, rng, industry_trends: bool = True) -> np.ndarray:
    n, T = len(ent), len(cal_year)
    # Industry trend: a step each January, so that year-on-year growth in year y is shifted by
    # exactly that year's relative growth (a smooth ramp would spread it over two years).
    trend = np.zeros((len(ind_codes), T))
    years = np.unique(cal_year)
    for k, code in enumerate(ind_codes):
        pp = R.INDUSTRY_TREND_PP.get(code, {}) if industry_trends else {}
        step = np.cumsum([np.log1p(pp.get(int(y), 0.0) / 100) for y in years])
        trend[k] = step[np.searchsorted(years, cal_year)]
    seas = np.log(np.array(R.SEASONAL))[cal_month - 1]
    sf = np.array([np.log(R.SPRING_FESTIVAL_MARCH_FACTOR) if m == 3 and spring_festival_reaches_march(int(y))
                   else 0.0 for y, m in zip(cal_year, cal_month)])
    t_years = (np.arange(T) / 12.0)
    X = np.empty((n, T))
    sd0 = R.NOISE_SD / np.sqrt(1 - R.NOISE_AR ** 2)
    X[:, 0] = rng.normal(0, sd0, n)
    for t in range(1, T):  # AR(1) noise, one column at a time (memory: one n × T array)
        X[:, t] = R.NOISE_AR * X[:, t - 1] + rng.normal(0, R.NOISE_SD, n)
    X += ent["_log_size"].to_numpy()[:, None]
    X += ent["_drift"].to_numpy()[:, None] * t_years[None, :]
    X += (seas + sf)[None, :]
    X += trend[ind_idx]
    np.exp(X, out=X)
    return X


# --- anomalies -------------------------------------------------------------------------------------

class _Edits:
    """Multiplicative edits of constant-price value added (everything else derives from it), and
    dropped cells. `divergence` edits inflate reported value added and output but not electricity."""

    def __init__(self, n: int, S: int):
        self.items: list[tuple[np.ndarray, np.ndarray, float, bool]] = []
        self.dropped = np.zeros((n, S), dtype=bool)

    def add(self, rows, slots, factor: float, divergence: bool = False) -> None:
        self.items.append((np.asarray(rows), np.asarray(slots), float(factor), divergence))

    def apply(self, va: np.ndarray) -> None:
        for rows, slots, f, _ in self.items:
            va[np.ix_(rows, slots)] *= f

    def undo_divergence(self, electricity: np.ndarray) -> None:
        for rows, slots, f, div in self.items:
            if div:
                electricity[np.ix_(rows, slots)] /= f


def _rates(anomalies) -> dict[str, float]:
    if anomalies is None or anomalies == "none":
        return {}
    if anomalies == "default":
        return dict(DEFAULT_ANOMALY_RATES)
    unknown = set(anomalies) - set(DEFAULT_ANOMALY_RATES)
    if unknown:
        raise ValueError(f"unknown anomaly kinds {sorted(unknown)}; known: {sorted(DEFAULT_ANOMALY_RATES)}")
    return {k: float(v) for k, v in anomalies.items()}


def _count(rate: float, units: float, rng) -> int:
    x = rate * units
    return int(np.floor(x) + (rng.random() < x - np.floor(x)))


def _inject(ent, active, edits: _Edits, last_slot: int, anomalies, n_years: int, rng) -> list[dict]:
    rates = _rates(anomalies)
    n = len(ent)
    truth: list[dict] = []
    used = np.zeros(n, dtype=bool)
    P = PERIODS_PER_YEAR
    eval_years = max(n_years - 1, 0)
    spans = {"sharp_fall": 1, "consecutive_decline": 4, "stopped_reporting": 1, "output_power_divergence": 1}
    for kind in ENTERPRISE_KINDS:
        k = _count(rates.get(kind, 0.0), n * eval_years, rng)
        span = spans[kind]
        lo, hi = P + (1 if kind == "stopped_reporting" else 0), last_slot - span + 1
        if k == 0 or hi < lo:
            continue
        got = 0
        for _ in range(50):  # vectorised rejection sampling of (enterprise, slot)
            rows = rng.integers(0, n, 4 * k)
            slots = rng.integers(lo, hi + 1, 4 * k)
            if kind == "stopped_reporting":
                slots = np.where(slots % P == 0, slots + 1, slots)  # never at 1–2月: nothing earlier that year
                slots = np.minimum(slots, last_slot)
            ok = ~used[rows]
            for j in range(span):
                ok &= active[rows, slots + j] & active[rows, slots + j - P]
            if kind == "stopped_reporting":
                ok &= active[rows, slots - 1]
            for r, s in zip(rows[ok], slots[ok]):
                if used[r] or got >= k:
                    continue
                used[r] = True
                got += 1
                truth.append(_enterprise_anomaly(kind, int(r), int(s), span, edits, last_slot, rng))
            if got >= k:
                break
    dist = ent["district"].to_numpy()
    for _ in range(_count(rates.get("district_shock", 0.0), eval_years, rng)):
        counts = pd.Series(dist).value_counts()
        big = counts[counts >= 30].index.to_numpy()
        if not len(big) or last_slot < P:
            break
        d = big[rng.integers(len(big))]
        s = int(rng.integers(P, last_slot + 1))
        f = float(rng.uniform(0.6, 0.75))
        edits.add(np.nonzero(dist == d)[0], [s], f)
        truth.append({"kind": "district_shock", "subject_type": "district", "subject_id": d,
                      "enterprise_id": None, "slot": s, "periods": 1, "factor": f})
    ind = ent["industry"].to_numpy()
    for _ in range(_count(rates.get("industry_shift", 0.0), eval_years, rng)):
        counts = pd.Series(ind).value_counts()
        big = counts[counts >= 30].index.to_numpy()
        if not len(big) or last_slot - 3 < P:
            break
        k = big[rng.integers(len(big))]
        s = int(rng.integers(P, last_slot - 2))
        f = float(rng.uniform(0.75, 0.85))
        edits.add(np.nonzero(ind == k)[0], np.arange(s, last_slot + 1), f)
        truth.append({"kind": "industry_shift", "subject_type": "industry", "subject_id": k,
                      "enterprise_id": None, "slot": s, "periods": None, "factor": f})
    return truth


def _enterprise_anomaly(kind: str, r: int, s: int, span: int, edits: _Edits, last_slot: int, rng) -> dict:
    if kind == "sharp_fall":
        f = float(rng.uniform(0.3, 0.5))
        edits.add([r], [s], f)
    elif kind == "consecutive_decline":
        f = float(rng.uniform(0.6, 0.75))
        edits.add([r], np.arange(s, s + span), f)
    elif kind == "stopped_reporting":
        f = 0.0
        edits.dropped[r, s:] = True
        span = None
    else:  # output_power_divergence: reported output and value added inflated, electricity real
        f = float(rng.uniform(1.5, 1.8))
        edits.add([r], [s], f, divergence=True)
    return {"kind": kind, "subject_type": "enterprise", "subject_id": None, "enterprise_id": r,
            "slot": s, "periods": span, "factor": f}


def _structural_events(ent: pd.DataFrame, y0: int, n_years: int, last_slot: int) -> list[dict]:
    """The assumed industry trends (reference.INDUSTRY_TREND_PP) as ground-truth events of category
    "structural": at 1–2月 of year y the division's level steps by pp_y % against the rest
    (`level_step_pct`), and its year-on-year growth shifts by pp_y − pp_(y−1) points
    (`growth_shift_pp`; unknown in the second generated year, whose previous YoY is not observed)."""
    present = set(ent["industry"])
    out = []
    for code in sorted(R.INDUSTRY_TREND_PP):
        if code not in present:
            continue
        pp = R.INDUSTRY_TREND_PP[code]
        for y in range(y0 + 1, y0 + n_years):
            slot = int(slot_of(y, 2, y0))
            if slot > last_slot:
                break
            level = float(pp.get(y, 0.0))
            shift = level - float(pp.get(y - 1, 0.0)) if y - 1 > y0 else float("nan")
            if level == 0 and not (np.isfinite(shift) and shift != 0):  # nothing changes
                continue
            out.append({"kind": "industry_trend", "subject_type": "industry", "subject_id": code,
                        "enterprise_id": None, "slot": slot, "periods": None, "factor": 1 + level / 100,
                        "level_step_pct": level, "growth_shift_pp": shift})
    return out


def _city_path_events(city: np.ndarray, last_slot: int) -> list[dict]:
    """Jumps of the calibrated city's single-period YoY growth (≥ CITY_PATH_SHIFT_PP from the
    period before) as structural events of the city: real turns of the published path, not anomalies.
    The level moves about as much against last year's pattern, so level_step_pct = growth_shift_pp."""
    P = PERIODS_PER_YEAR
    c = city[:last_slot + 1]
    if len(c) <= P + 1:
        return []
    with np.errstate(divide="ignore", invalid="ignore"):
        g = (c[P:] / c[:-P] - 1) * 100
    out = []
    for j in range(1, len(g)):
        shift = float(g[j] - g[j - 1])
        if np.isfinite(shift) and abs(shift) >= CITY_PATH_SHIFT_PP:
            out.append({"kind": "city_path", "subject_type": "city", "subject_id": "500000", "enterprise_id": None,
                        "slot": P + j, "periods": None, "factor": 1 + shift / 100, "level_step_pct": shift,
                        "growth_shift_pp": shift})
    return out


# --- calibration -----------------------------------------------------------------------------------

def _target_path(year: int) -> tuple[dict[int, float], str]:
    anchors = R.CITY_VA_YTD_GROWTH.get(year)
    if not anchors:
        return {m: R.ASSUMED_GROWTH_PCT for m in range(2, 13)}, "assumed"
    ms = sorted(anchors)
    vals = np.interp(np.arange(2, 13), ms, [anchors[m] for m in ms])  # flat outside the anchors
    return {m: float(v) for m, v in zip(range(2, 13), vals)}, "published"


def _growth_factors(city: np.ndarray, slot_year, slot_month, last_slot: int, y0: int):
    P = PERIODS_PER_YEAR
    S = len(city)
    factor = np.ones(S)
    cal = city.copy()
    info: list[dict] = []
    for s0 in range(P, last_slot + 1, P):
        year = int(slot_year[s0])
        path, how = _target_path(year)
        prev = cal[s0 - P:s0]
        c_prev = np.cumsum(prev)
        c_target_prev = 0.0
        for j in range(P):
            s = s0 + j
            if s > last_slot:
                break
            m = int(slot_month[s])
            c_target = c_prev[j] * (1 + path[m] / 100)
            x = c_target - c_target_prev
            if x <= 0:  # an anchor path implying a negative single month: keep 5% of last year's
                x = 0.05 * prev[j]
            factor[s] = x / city[s] if city[s] > 0 else 1.0
            cal[s] = city[s] * factor[s]
            c_target_prev = c_target_prev + x
            anchor = R.CITY_VA_YTD_GROWTH.get(year, {}).get(m)
            info.append({"year": year, "month": m, "target_ytd_growth_pct": round(path[m], 4),
                         "basis": how if anchor is None and how == "assumed" else
                         ("published" if anchor is not None else "interpolated"),
                         "source": R.CITY_VA_YTD_GROWTH_SOURCES.get((year, m))})
    for year, anchors in R.CITY_VA_YTD_GROWTH.items():  # anchors outside the calibrated span
        for m in anchors:
            s = int(slot_of(year, m, y0))
            if not (P <= s <= last_slot):
                info.append({"year": year, "month": m, "target_ytd_growth_pct": anchors[m],
                             "basis": "published, not used (outside generated span or first year)",
                             "source": R.CITY_VA_YTD_GROWTH_SOURCES.get((year, m))})
    return factor, info


def _deflators(ind_codes, slot_year, slot_month, y0: int) -> np.ndarray:
    """Industry deflator per reporting period (base: average of 2020, or of the first year, = 1)."""
    S = len(slot_year)
    D = np.ones((len(ind_codes), S))
    # month index from the first January, for monthly compounding of the yearly PPI
    t = (slot_year - y0) * 12 + slot_month - 1
    for k, code in enumerate(ind_codes):
        beta = R.INDUSTRY_PARAMS[code][4]
        monthly = np.array([np.log1p(beta * R.PPI_PCT.get(int(y0 + i // 12), 0.0) / 100) / 12
                            for i in range(int(t.max()) + 1)])
        level = np.cumsum(monthly)[t]
        base_year = 2020 if (slot_year == 2020).any() else y0
        D[k] = np.exp(level - level[slot_year == base_year].mean())
    return D


def _level_scale(out_cur: np.ndarray, slot_year, last_slot: int):
    totals = out_cur.sum(axis=0)
    years = sorted(set(int(y) for y in slot_year[:last_slot + 1]))
    by_year = {y: float(totals[(slot_year == y) & (np.arange(len(slot_year)) <= last_slot)].sum()) for y in years}
    target_year = R.OUTPUT_LEVEL_YEAR if R.OUTPUT_LEVEL_YEAR in by_year else years[0]
    target = R.OUTPUT_LEVEL_YI * 1e4  # 亿元 → 万元
    gap = target_year - R.OUTPUT_LEVEL_YEAR
    if gap:  # extrapolate the 2020 level at the assumed growth
        target *= (1 + R.ASSUMED_GROWTH_PCT / 100) ** gap
    scale = target / by_year[target_year] if by_year[target_year] > 0 else 1.0
    info = {"year": target_year, "output_target_yi": round(target / 1e4, 2),
            "basis": "published 2.27万亿 (nanmuxuan.com, C)" if not gap else
            f"2020 level extrapolated at {R.ASSUMED_GROWTH_PCT}% (assumed)"}
    return scale, info


# --- frames and metadata ---------------------------------------------------------------------------

def _finish_enterprises(ent: pd.DataFrame, first_year_revenue: np.ndarray, employment: np.ndarray,
                        last_year: int) -> pd.DataFrame:
    e = ent.drop(columns=[c for c in ent.columns if c.startswith("_")]).copy()
    e["district_name"] = e["district"].map(DISTRICTS)
    e["zone_name"] = e["zone"].map(lambda z: FUNCTIONAL_ZONES.get(z, ("",))[0])
    e["industry_name"] = e["industry"].map(DIVISIONS)
    e["cluster"] = e["industry"].map(cluster_of)
    # Size class (统计上大中小微型企业划分办法（2017）, 工业): employees and revenue (万元) of the first
    # year in the directory.
    rev, emp = first_year_revenue, employment
    e["size_class"] = np.select(
        [(emp >= 1000) & (rev >= 40000), (emp >= 300) & (rev >= 2000), (emp >= 20) & (rev >= 300)],
        ["大型", "中型", "小型"], default="微型")
    e["exit_year"] = pd.array(np.where(e["exit_year"] >= last_year, pd.NA, e["exit_year"]), dtype="Int16")
    e["synthetic"] = True
    cols = ["enterprise_id", "credit_code", "name", "district", "district_name", "zone", "zone_name",
            "industry", "industry_name", "cluster", "size_class", "entry_year", "exit_year", "synthetic"]
    return e[cols]


def _price_frame(ind_codes, D, slot_year, slot_month, last_slot: int) -> pd.DataFrame:
    S = last_slot + 1
    return pd.DataFrame({
        "industry": np.repeat(ind_codes, S),
        "year": np.tile(slot_year[:S], len(ind_codes)).astype(np.int16),
        "month": np.tile(slot_month[:S], len(ind_codes)).astype(np.int8),
        "deflator": D[:, :S].ravel(),
        "synthetic": True,
    })


def _truth_frame(truth: list[dict], ent: pd.DataFrame, y0: int) -> pd.DataFrame:
    """The ground-truth table: injected anomalies (category "injected") and the assumed industry
    trend changes (category "structural", with level_step_pct and growth_shift_pp)."""
    cols = ["anomaly_id", "kind", "category", "subject_type", "subject_id", "subject_name", "enterprise_id", "year",
            "month", "periods", "factor", "level_step_pct", "growth_shift_pp", "expected_rules", "synthetic"]
    rows = []
    for i, t in enumerate(truth):
        if t["enterprise_id"] is not None:
            e = ent.iloc[t["enterprise_id"]]
            sid, name = e["credit_code"], e["name"]
        else:
            sid = t["subject_id"]
            name = {"district": DISTRICTS, "industry": DIVISIONS}.get(t["subject_type"], {}).get(sid, "全市")
        y, m = year_month_of(t["slot"], y0)
        rows.append({"anomaly_id": i + 1, "kind": t["kind"],
                     "category": "structural" if t["kind"] in STRUCTURAL_KINDS else "injected",
                     "subject_type": t["subject_type"],
                     "subject_id": sid, "subject_name": name, "enterprise_id": t["enterprise_id"],
                     "year": int(y), "month": int(m), "periods": t["periods"], "factor": round(t["factor"], 4),
                     "level_step_pct": t.get("level_step_pct", np.nan), "growth_shift_pp": t.get("growth_shift_pp", np.nan),
                     "expected_rules": EXPECTED_RULES[t["kind"]], "synthetic": True})
    d = pd.DataFrame(rows, columns=cols)
    for c in ("enterprise_id", "periods"):
        d[c] = pd.array(d[c], dtype="Int64")
    return d


def _projects(ent: pd.DataFrame, rng, y0: int, last_slot: int):
    """Industrial investment projects of some enterprises, with monthly completed investment (万元).

    About a quarter of the projects run at 40–70% of the planned pace (behind schedule)."""
    n_proj = max(1, len(ent) // 25)
    owners = rng.choice(ent["enterprise_id"].to_numpy(), size=min(n_proj, len(ent)), replace=False)
    n_proj = len(owners)
    planned = np.exp(rng.normal(np.log(20000), 1.0, n_proj))
    start = rng.integers(0, max(last_slot - 3, 1), n_proj)
    duration = rng.integers(8, 31, n_proj)
    pace = np.where(rng.random(n_proj) < 0.25, rng.uniform(0.4, 0.7, n_proj), rng.uniform(0.9, 1.1, n_proj))
    length = np.minimum(start + duration, last_slot + 1) - start
    pid = np.repeat(np.arange(n_proj), length)
    offset = np.arange(len(pid)) - np.repeat(np.cumsum(length) - length, length)
    slot = start[pid] + offset
    inv = planned[pid] / duration[pid] * pace[pid] * np.exp(rng.normal(0, 0.2, len(pid)))
    y, m = year_month_of(slot, y0)
    ids = np.array([f"P{i + 1:06d}" for i in range(n_proj)])
    pm = pd.DataFrame({"project_id": ids[pid], "year": y.astype(np.int16), "month": m.astype(np.int8),
                       "investment": inv, "synthetic": True})
    e = ent.set_index("enterprise_id")
    sy, sm = year_month_of(start, y0)
    proj = pd.DataFrame({
        "project_id": ids,
        "name": [f"合成项目{i + 1:06d}" for i in range(n_proj)],
        "enterprise_id": owners.astype(np.int32),
        "credit_code": e.loc[owners, "credit_code"].to_numpy(),
        "district": e.loc[owners, "district"].to_numpy(),
        "industry": e.loc[owners, "industry"].to_numpy(),
        "planned_investment": planned,
        "start_year": sy.astype(np.int16), "start_month": sm.astype(np.int8),
        "planned_periods": duration.astype(np.int16),
        "synthetic": True,
    })
    return proj, pm


def _metadata(seed, n_enterprises, months, start, slot_year, slot_month, last_slot, city, truth, calib,
              level_info, anomalies, active_by_year) -> dict:
    # What was achieved: the city's YTD growth of constant-price value added at each target.
    P = PERIODS_PER_YEAR
    v = city["va_const"]
    ytd_v = np.concatenate([np.cumsum(v[i:i + P]) for i in range(0, len(v), P)])
    achieved = []
    for c in calib:
        s = int(slot_of(c["year"], c["month"], int(slot_year[0])))
        if c["basis"] != "interpolated" and P <= s <= last_slot:
            g = (ytd_v[s] / ytd_v[s - P] - 1) * 100
            achieved.append({**c, "synthetic_ytd_growth_pct": round(float(g), 4)})
    out = city["output"]
    output_by_year = {int(y): round(float(out[slot_year[:last_slot + 1] == y].sum()) / 1e4, 1)
                      for y in np.unique(slot_year[:last_slot + 1])}
    return {
        "synthetic": True,
        "notice": "SYNTHETIC DATA — generated by zhizao; no row describes a real enterprise.",
        "generator": "zhizao.synth.generator", "generator_version": GENERATOR_VERSION,
        "seed": seed, "n_enterprises": n_enterprises, "months": months, "start": start,
        "end": f"{int(slot_year[last_slot])}-{int(slot_month[last_slot]):02d}",
        "units": {"value_added": "万元, current prices, single reporting period",
                  "output": "万元 (工业总产值), current prices", "revenue": "万元", "profit": "万元",
                  "electricity": "万千瓦时", "employment": "人",
                  "deflator": "index, 2020 (or first year) average = 1; constant = current / deflator",
                  "investment": "万元"},
        "periods": "month = 2 holds January and February together (1–2月); there are no January rows",
        "anomalies": {"rates": _rates(anomalies),
                      "counts": {str(k): int(v) for k, v in truth.loc[truth["category"] == "injected", "kind"]
                                 .value_counts().items()},
                      "structural_counts": {str(k): int(v) for k, v in truth.loc[truth["category"] == "structural", "kind"]
                                            .value_counts().items()},
                      "note": "anomalies.parquet is the ground truth: category 'injected' (anomalies) and "
                              "'structural' (the assumed industry trend changes, real structure, not anomalies)"},
        "calibration": {
            "method": "one common factor per reporting period to the published YTD growth path; one level constant",
            "city_va_ytd_growth": achieved,
            "targets_not_used": [c for c in calib if c["basis"].startswith("published, not used")],
            "output_level": {**level_info, "synthetic_output_yi_by_year": output_by_year},
            "output_at_least_yi": {str(k): v for k, v in R.OUTPUT_AT_LEAST.items()},
            "enterprise_count_published": {str(k): v for k, v in R.ENTERPRISE_COUNT.items()},
            "active_enterprises_by_year": active_by_year,
        },
        "assumptions": "zhizao.synth.reference: district/industry weights and sizes, VA ratios, electricity "
                       "intensities, PPI sensitivities, noise, entry/exit rates are zhizao assumptions",
    }
