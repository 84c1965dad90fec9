"""SYNTHETIC plan-delivery data (issue 14): investment projects with stage dates and monthly progress,
三服务 problems, and progress reports on the plan's work items — the embedded default of the projects,
services and tasks features when nothing is stored. Nothing here describes a real project, enterprise
problem or report; the DeliveryData lists these four frames in `synthetic_frames` and its source names
the generator and its seed. work_items, milestones and departments are the plan's own (not synthetic).

Where the rows come from (any plan with regions; a plan without regions gets empty frames):
- projects: the monitoring synthetic projects of `zhizao synth` (zhizao.synth.generator `_projects`, the
  same seed and defaults as zhizao.synth.enterprises.MONITORING_ARGS) located in the plan's districts keep
  their ids (P000123), names (合成项目000123), owners (investor = the owner's credit code and name, as in the
  enterprise registry), districts and planned investment; their start month and monthly investment are
  the monitoring ones (the 1–2月 reporting period split half and half into January and February, so
  cumulative investment agrees at every monitoring period). Further projects (PN000001 …, mostly signed
  recently, the pipeline) have investors drawn from the synthetic enterprise registry. Cluster, chain and
  link: a plan link whose GB/T 4754 class shares the project's division, else its cluster; park: the
  investor's park in the registry.
- problems: enterprises of the registry; categories by assumed weights; the responsible unit is the
  enterprise's district (40 %) or one of the plan's departments (all districts when the plan names no
  department; the whole area when it has neither).
- progress_reports: quarterly reports on each of the plan's work items (none when it has none).

Deliberately present at the as_of (built relative to it, using the delivery settings' defaults):
a project overdue at 开工 (PN000001), a project behind on investment (PN000002), overdue problems (some
beyond problem_overdue_high_days), a stalled item, an item behind schedule, and an overdue item when
the plan has an item due before the as_of (the 2021–2025 plan's items are all due 2025-12-31: none can
be overdue at 2024-12-31).

Scale: ILLUSTRATIVE. The monitoring projects (388 for the embedded plans, planned investment median
about 2亿元) are fixed by the monitoring generator; their completed investment in 2021 is compared, not
calibrated, with the published 工业投资 3,145亿元 (2021, 市经济信息委, grade A,
zhizao/resources/datasets/chongqing/official.csv) in docs/synthetic-data.md: they stand for a sample
of 重点项目, not all industrial investment. Counts of problems and reports and every rate and lag below
are zhizao assumptions.
"""
from __future__ import annotations

import hashlib
import threading
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd

from zhizao.codes.industries import cluster_of
from zhizao.codes.regions import DISTRICTS as MONITORING_DISTRICTS
from zhizao.errors import UserError
from zhizao.ingest.delivery_frames import (FRAMES, DeliveryData, empty_frame, plan_departments,
                                           plan_work_items, unit_names)
from zhizao.plan.spec import Plan
from zhizao.settings import Settings
from zhizao.synth.enterprises import MONITORING_ARGS, default_enterprise_data, generate_enterprise_data
from zhizao.synth.generator import generate

GENERATOR = "zhizao synth delivery"
# the last month of the monitoring synthetic data (2019-01 + 72 months) and the enterprise data's as_of
AS_OF = "2024-12-31"
SYNTHETIC_FRAMES = frozenset({"projects", "project_progress", "problems", "progress_reports"})

# --- assumptions (zhizao, not statistics) ---------------------------------------------------------------
PIPELINE_SHARE, PIPELINE_MIN = 0.25, 24  # further projects: a quarter of the monitoring ones, at least 24
PROJECTS_PER_ENTERPRISE = 1 / 40  # without monitoring projects: registry size ÷ 40
PROBLEMS_PER_ENTERPRISE, PROBLEMS_MIN, PROBLEMS_MAX = 1 / 40, 30, 400
PROBLEM_WINDOW_DAYS = 540  # problems raised in the 18 months before the as_of
DISTRICT_HANDLES = 0.4  # share of problems whose responsible unit is the enterprise's district
PROBLEM_WEIGHTS = {"energy_supply": 3, "financing": 4, "labour": 3, "land": 2, "approval": 3,
                   "supply_chain": 3, "market": 2, "technology": 1, "policy": 2, "other": 1}
PROBLEM_TEXT = {
    "energy_supply": "用电负荷不足，新增产线需协调变压器增容", "financing": "流动资金紧张，申请银行续贷及贴息支持",
    "labour": "一线技术工人招聘困难，缺口约百人", "land": "扩建项目用地指标未落实",
    "approval": "项目环评、能评审批进度慢", "supply_chain": "关键零部件供应不稳定，需对接本地配套企业",
    "market": "产品进入政府采购及首台套目录困难", "technology": "共性技术攻关缺少合作平台",
    "policy": "技改补助资金尚未兑现", "other": "厂区周边道路及物流通道需改善",
}
OUTPUT_PER_INVESTMENT = (1.0, 2.5)  # planned yearly output at 达产 ÷ planned investment (uniform)
REPORT_MONTHS = (3, 6, 9, 12)  # quarterly progress reports (on the 25th), plus a recent one


def generate_delivery_data(plan: Plan, *, seed: int = 0, as_of: str | None = None) -> DeliveryData:
    """SYNTHETIC delivery data for any plan (see the module docstring); deterministic for (plan, seed,
    as_of). as_of: the date the data describe ('YYYY-MM-DD', default AS_OF): nothing actual is after it."""
    ref = _as_of(as_of)
    source = f"合成数据（演示用）：{GENERATOR}, seed {seed}"
    work, miles = (_conform(f, df) for f, df in zip(("work_items", "milestones"), plan_work_items(plan)))
    base = dict(work_items=work, milestones=miles, departments=_conform("departments", plan_departments(plan)),
                synthetic_frames=SYNTHETIC_FRAMES, source=source, batch_id=None, as_of=str(ref))
    if plan.regions is None:
        return DeliveryData(**{f: empty_frame(f) for f in SYNTHETIC_FRAMES}, **base)
    rng = np.random.default_rng([seed, 14])
    settings = Settings()
    ent = default_enterprise_data(plan) if seed == 0 else generate_enterprise_data(plan, seed=seed)
    registry = ent.registry
    codes = [d.code for d in plan.regions.districts] or [plan.regions.whole_code]
    projects, progress = _projects(plan, codes, registry, seed, ref, settings, rng)
    problems = _problems(plan, codes, registry, ref, settings, rng)
    reports = _reports(plan, work, ref, settings, rng)
    return DeliveryData(projects=projects, project_progress=progress, problems=problems,
                        progress_reports=reports, **base)


_CACHE: dict[tuple[str, str], DeliveryData] = {}
_LOCK = threading.Lock()


def default_delivery_data(plan: Plan) -> DeliveryData:
    """The embedded default: generate_delivery_data(plan, seed=0), cached per plan (its id and content).
    Each call gets its own copies of the frames."""
    key = (plan.plan.id, hashlib.sha256(plan.model_dump_json().encode()).hexdigest())
    with _LOCK:
        data = _CACHE.get(key)
        if data is None:
            data = _CACHE[key] = generate_delivery_data(plan, seed=0)
    return DeliveryData(*(data.frame(f).copy() for f in FRAMES), synthetic_frames=data.synthetic_frames,
                        source=data.source, batch_id=None, as_of=data.as_of)


def _as_of(as_of: str | None) -> np.datetime64:
    text = AS_OF if as_of is None else str(as_of).strip()
    try:
        d = date.fromisoformat(text)
    except ValueError:
        raise UserError(f"日期“{as_of}”无效：请写成 YYYY-MM-DD", f"invalid date '{as_of}': write YYYY-MM-DD") from None
    if not 1949 <= d.year <= 2100:
        raise UserError("日期须在 1949—2100 年之间", "the date must be within 1949–2100")
    return np.datetime64(d.isoformat(), "D")


# --- helpers ----------------------------------------------------------------------------------------------

NAT = np.datetime64("NaT", "D")


def _days(a) -> np.ndarray:
    return np.asarray(np.round(a), dtype="int64").astype("timedelta64[D]")


def _text(dates: np.ndarray) -> np.ndarray:
    """'YYYY-MM-DD', "" for NaT."""
    out = np.datetime_as_string(dates.astype("datetime64[D]"), unit="D").astype(object)
    out[np.isnat(dates)] = ""
    return out


def _typed(frame: str, cols: dict) -> pd.DataFrame:
    """A contract frame: text columns numpy objects, year/month/seq Int64, amounts float64."""
    out = empty_frame(frame)
    n = max((len(v) for v in cols.values() if np.ndim(v)), default=0)
    if n == 0:
        return out
    data = {}
    for c in out.columns:
        v = cols[c]
        a = np.asarray(v) if np.ndim(v) else np.full(n, v, dtype=object)
        dt = out[c].dtype
        data[c] = (pd.Series(a.astype(object), dtype=object) if dt == object
                   else pd.Series(a).astype(dt))
    return pd.DataFrame(data)


def _conform(frame: str, df: pd.DataFrame) -> pd.DataFrame:
    """The plan's own frames in the contract dtypes (pandas 3 infers its str dtype for text)."""
    return _typed(frame, {c: df[c].to_numpy() for c in df.columns}) if len(df) else empty_frame(frame)


def _month_start(d: np.ndarray) -> np.ndarray:
    return d.astype("datetime64[M]")


def _ordered(cols: list[np.ndarray]) -> list[np.ndarray]:
    """Dates that never go backwards among those given (NaT skipped): each at least the latest before it."""
    out, run = [], np.full(len(cols[0]), NAT)
    for c in cols:
        c = c.copy()
        fix = ~np.isnat(c) & ~np.isnat(run) & (c < run)
        c[fix] = run[fix]
        out.append(c)
        run = np.where(np.isnat(c), run, c)
    return out


# --- projects ---------------------------------------------------------------------------------------------

@lru_cache(maxsize=2)
def _monitoring_projects(seed: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    d = generate(MONITORING_ARGS["n_enterprises"], MONITORING_ARGS["months"], MONITORING_ARGS["start"], seed)
    return d.projects, d.project_monthly, d.enterprises[["enterprise_id", "credit_code", "name"]]


def _link_table(plan: Plan) -> pd.DataFrame:
    rows = [{"cluster": c.cluster, "chain": c.id, "link": ln.id, "division": (ln.industry_class or "")[:2]}
            for c in plan.chains for ln in c.links]
    return pd.DataFrame(rows, columns=["cluster", "chain", "link", "division"])


def _place(plan: Plan, divisions: np.ndarray, rng) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cluster, chain, link per project: a plan link of the same GB/T 4754 division, else the division's
    cluster when the plan has it; else (35 %) any link, or any cluster when the plan has no chains."""
    n = len(divisions)
    cl, ch, lk = (np.full(n, "", dtype=object) for _ in range(3))
    links = _link_table(plan)
    clusters = [c.id for c in plan.clusters]
    u = rng.random(n)
    pick = rng.random(n)
    for i, div in enumerate(divisions):
        match = links[links["division"] == div] if len(links) else links
        if len(match):
            r = match.iloc[int(pick[i] * len(match))]
        elif cluster_of(div) in clusters:
            cl[i] = cluster_of(div)
            continue
        elif u[i] < 0.35 and len(links):
            r = links.iloc[int(pick[i] * len(links))]
        elif u[i] < 0.35 and clusters:
            cl[i] = clusters[int(pick[i] * len(clusters))]
            continue
        else:
            continue
        cl[i], ch[i], lk[i] = r["cluster"], r["chain"], r["link"]
    return cl, ch, lk


def _projects(plan, codes, registry, seed, ref, settings, rng):
    parts = []
    if set(codes) & set(MONITORING_DISTRICTS):
        parts.append(_from_monitoring(codes, registry, seed, ref, rng))
    n_known = len(parts[0][0]["project_id"]) if parts else 0
    n_new = (max(PIPELINE_MIN, round(PIPELINE_SHARE * n_known)) if parts
             else max(PIPELINE_MIN, round(len(registry) * PROJECTS_PER_ENTERPRISE)))
    if len(registry):
        parts.append(_new_projects(n_new, registry, ref, settings, rng))
    if not parts:
        return empty_frame("projects"), empty_frame("project_progress")
    cols = {k: np.concatenate([p[0][k] for p in parts]) for k in parts[0][0]}
    prog = pd.concat([p[1] for p in parts], ignore_index=True)
    cols["cluster"], cols["chain"], cols["link"] = _place(plan, cols.pop("division"), rng)
    # park: the investor's park in the registry (the project is in the investor's district)
    park = registry.set_index("enterprise_id")["park"].reindex(cols["investor_id"]).fillna("")
    cols["park"] = park.to_numpy(dtype=object)
    cols["planned_output"] = np.round(cols["planned_investment"] * rng.uniform(*OUTPUT_PER_INVESTMENT,
                                                                                len(cols["project_id"])), 1)
    cols["planned_investment"] = np.round(cols["planned_investment"], 1)
    stage_cols = ["planned_signed", "planned_started", "planned_production", "planned_full_production"]
    for names in (stage_cols, ["signed", "started", "production", "full_production"]):
        for name, c in zip(names, _ordered([cols[x] for x in names])):
            cols[name] = c
    for s in ("signed", "started", "production", "full_production"):  # nothing actual after the as_of
        cols[s] = np.where(cols[s] > ref, NAT, cols[s])
    keep = ~np.isnat(cols["signed"])
    cols = {k: v[keep] for k, v in cols.items()}
    # investment only from the start month on
    start_m = pd.Series(_month_start(cols["started"]), index=cols["project_id"])
    s_m = prog["project_id"].map(start_m).to_numpy(dtype="datetime64[M]")
    at = ((prog["year"] - 1970) * 12 + prog["month"] - 1).to_numpy().astype("datetime64[M]")
    prog = prog[~np.isnat(s_m) & (at >= s_m)]
    prog = _with_output(cols, prog, ref, rng)
    for k in [*stage_cols, "signed", "started", "production", "full_production"]:
        cols[k] = _text(cols[k])
    projects = _typed("projects", cols)
    prog = prog[prog["project_id"].isin(set(projects["project_id"]))]
    return projects, _typed("project_progress", {c: prog[c].to_numpy() for c in prog.columns})


def _from_monitoring(codes, registry, seed, ref, rng):
    proj, pm, ents = _monitoring_projects(seed)
    proj = proj[proj["district"].isin(codes)].reset_index(drop=True)
    n = len(proj)
    names = ents.set_index("credit_code")["name"]
    start_m = np.where(proj["start_month"] == 2, 1, proj["start_month"]).astype(int)  # 1–2月 → January
    first = np.array([np.datetime64(f"{y:04d}-{m:02d}-01") for y, m in zip(proj["start_year"], start_m)],
                     dtype="datetime64[D]")
    started = first + _days(rng.integers(0, 20, n))
    late = rng.random(n) < 0.3
    planned_started = started - _days(np.where(late, rng.integers(30, 121, n), rng.integers(-15, 16, n)))
    signed = np.minimum(started, planned_started) - _days(rng.integers(30, 241, n))
    months = proj["planned_periods"].to_numpy() * 12 / 11  # reporting periods (11 a year) → months
    planned_production = planned_started + _days(months * 30.44)
    planned_full = planned_production + _days(rng.integers(180, 541, n))
    # monthly rows: the monitoring period 1–2月 (month 2) split into January and February
    m = pm[pm["project_id"].isin(proj["project_id"])]
    jf = m["month"] == 2
    prog = pd.concat([m[~jf], m[jf].assign(month=1, investment=m.loc[jf, "investment"] / 2),
                      m[jf].assign(investment=m.loc[jf, "investment"] / 2)], ignore_index=True)
    prog = prog.assign(year=prog["year"].astype(int), month=prog["month"].astype(int))[
        ["project_id", "year", "month", "investment"]]
    total = prog.groupby("project_id")["investment"].sum().reindex(proj["project_id"]).fillna(0).to_numpy()
    months_since = (prog["year"] - 1970) * 12 + prog["month"] - 1
    last = months_since.groupby(prog["project_id"]).max().reindex(proj["project_id"]).to_numpy()
    run_end = (last.astype("int64") + 1).astype("datetime64[M]").astype("datetime64[D]") - 1  # last day invested
    complete = run_end + 31 < ref  # the monitoring run ended before the data's last month
    done = total >= 0.8 * proj["planned_investment"].to_numpy()
    production = np.where(complete & done, run_end + _days(rng.integers(0, 61, n)),
                          np.where(complete, planned_production + _days(rng.integers(90, 361, n)), NAT))
    full = production + (planned_full - planned_production) + _days(rng.integers(-30, 121, n))
    status = np.where(complete & ~done & (rng.random(n) < 0.1), "suspended", "active").astype(object)
    cols = {"project_id": proj["project_id"].to_numpy(dtype=object), "name": proj["name"].to_numpy(dtype=object),
            "district": proj["district"].to_numpy(dtype=object),
            "investor": names.reindex(proj["credit_code"]).to_numpy(dtype=object),
            "investor_id": proj["credit_code"].to_numpy(dtype=object),
            "planned_investment": proj["planned_investment"].to_numpy(dtype=float),
            "planned_signed": signed, "planned_started": planned_started,
            "planned_production": planned_production, "planned_full_production": planned_full,
            "signed": signed, "started": started, "production": production, "full_production": full,
            "status": status, "note": np.full(n, "", dtype=object),
            "division": proj["industry"].to_numpy(dtype=object)}
    return cols, prog


def _new_projects(n, registry, ref, settings, rng):
    ids = np.array([f"PN{i + 1:06d}" for i in range(n)], dtype=object)
    who = registry.iloc[rng.choice(len(registry), size=n, replace=len(registry) < n)]
    planned_inv = np.exp(rng.normal(np.log(20000), 1.0, n))
    signed = ref - _days(rng.integers(10, 2 * 365, n))  # mostly recent signings: the pipeline
    planned_started = signed + _days(rng.integers(60, 301, n))
    build = rng.integers(240, 901, n)
    planned_production = planned_started + _days(build)
    planned_full = planned_production + _days(rng.integers(180, 541, n))

    def slip(k):
        late = rng.random(k) < 0.3
        return _days(np.where(late, rng.integers(60, 361, k), rng.integers(-20, 41, k)))

    started = planned_started + slip(n)
    started = np.where(started <= ref, np.maximum(started, signed), NAT)
    production = started + _days(build) + slip(n)
    production = np.where(~np.isnat(started) & (production <= ref), production, NAT)
    full = production + (planned_full - planned_production) + slip(n)
    pace = np.where(rng.random(n) < 0.25, rng.uniform(0.4, 0.7, n), rng.uniform(0.9, 1.1, n))
    # the deliberate cases, relative to the as_of
    grace = int(settings["project_stage_grace_days"])
    signed[0], planned_started[0], started[0] = ref - 420, ref - (grace + 210), NAT  # overdue at 开工
    planned_production[0] = planned_started[0] + 540
    planned_full[0], production[0], full[0] = planned_production[0] + 365, NAT, NAT
    if n > 1:  # behind on investment: half its construction time gone, a fraction of it invested
        signed[1], planned_started[1], started[1] = ref - 600, ref - 365, ref - 365
        planned_production[1], planned_full[1], production[1], full[1] = ref + 365, ref + 730, NAT, NAT
        gap = float(settings["project_investment_gap_pp"]) + 15
        pace[1] = max(0.0, 0.5 - gap / 100) / 0.5  # invested share = pace × elapsed share
    # monthly investment from the start month to the production month (or the as_of)
    s_m = _month_start(started)
    e_m = np.where(np.isnat(production), _month_start(ref), _month_start(production))
    length = np.where(np.isnat(started), 0, (e_m - s_m).astype(int) + 1)
    planned_months = np.maximum((planned_production - planned_started).astype(int) / 30.44, 1)
    if n > 1:
        length[1] = 12
        planned_months[1] = 24
    pid = np.repeat(np.arange(n), length)
    offset = np.arange(len(pid)) - np.repeat(np.cumsum(length) - length, length)
    month = s_m[pid] + offset
    inv = planned_inv[pid] / planned_months[pid] * pace[pid] * np.exp(rng.normal(0, 0.2, len(pid)))
    if n > 1:  # exact share for the deliberate case
        sel = pid == 1
        inv[sel] = planned_inv[1] * pace[1] * 0.5 / sel.sum()
    y = month.astype("datetime64[Y]").astype(int) + 1970
    prog = pd.DataFrame({"project_id": ids[pid], "year": y, "month": month.astype(int) % 12 + 1,
                         "investment": inv})
    status = np.where(np.isnat(started) & (rng.random(n) < 0.05), "cancelled", "active").astype(object)
    status[:2] = "active"
    note = np.full(n, "", dtype=object)
    note[0], note[1] = "合成示例：开工逾期", "合成示例：投资滞后"
    cols = {"project_id": ids, "name": np.array([f"合成项目N{i + 1:06d}" for i in range(n)], dtype=object),
            "district": who["district"].to_numpy(dtype=object), "investor": who["name"].to_numpy(dtype=object),
            "investor_id": who["enterprise_id"].to_numpy(dtype=object), "planned_investment": planned_inv,
            "planned_signed": signed, "planned_started": planned_started,
            "planned_production": planned_production, "planned_full_production": planned_full,
            "signed": signed, "started": started, "production": production, "full_production": full,
            "status": status, "note": note,
            "division": who["industry_class"].fillna("").astype(str).str[:2].to_numpy(dtype=object)}
    return cols, prog


def _with_output(cols, prog, ref, rng):
    """Monthly output from the 投产 month to the as_of: ramping from 30 % to the planned yearly output ÷ 12
    at 达产 (or after 18 months); investment 0 in months without any."""
    prod = cols["production"]
    ok = ~np.isnat(prod) & (prod <= ref)
    idx = np.flatnonzero(ok)
    p_m = _month_start(prod[idx])
    length = (_month_start(ref) - p_m).astype(int) + 1
    pid = np.repeat(idx, length)
    offset = np.arange(len(pid)) - np.repeat(np.cumsum(length) - length, length)
    month = np.repeat(p_m, length) + offset
    full = cols["full_production"][pid]
    ramp_months = np.where(np.isnat(full) | (full > ref), 18,
                           np.maximum((_month_start(full) - np.repeat(p_m, length)).astype(int), 1))
    ramp = np.clip(0.3 + 0.7 * offset / ramp_months, 0.3, 1.0)
    out = cols["planned_output"][pid] / 12 * ramp * np.exp(rng.normal(0, 0.1, len(pid)))
    y = month.astype("datetime64[Y]").astype(int) + 1970
    o = pd.DataFrame({"project_id": cols["project_id"][pid], "year": y, "month": month.astype(int) % 12 + 1,
                      "output": np.round(out, 1)})
    merged = prog.merge(o, on=["project_id", "year", "month"], how="outer")
    merged["investment"] = merged["investment"].fillna(0.0).round(1)
    # no month after the as_of
    merged = merged[merged["year"] * 12 + merged["month"] <= (int(str(ref)[:4]) * 12 + int(str(ref)[5:7]))]
    return merged.sort_values(["project_id", "year", "month"], kind="stable").reset_index(drop=True)[
        ["project_id", "year", "month", "investment", "output"]]


# --- problems ---------------------------------------------------------------------------------------------

def _units(plan: Plan, codes: list[str]) -> list[str]:
    """The units a problem may be assigned to besides districts: the plan's departments (not its groups
    or 'all districts' entries); all districts when it names none; the whole area when it has neither."""
    deps = [d.id for d in plan.departments if d.kind in ("department", "other")]
    return deps or codes


def _problems(plan, codes, registry, ref, settings, rng):
    if not len(registry):
        return empty_frame("problems")
    n = int(np.clip(round(len(registry) * PROBLEMS_PER_ENTERPRISE), PROBLEMS_MIN, PROBLEMS_MAX))
    who = registry.iloc[rng.choice(len(registry), size=n, replace=len(registry) < n)]
    cats = list(PROBLEM_WEIGHTS)
    w = np.array([PROBLEM_WEIGHTS[c] for c in cats], dtype=float)
    category = np.asarray(cats, dtype=object)[rng.choice(len(cats), size=n, p=w / w.sum())]
    units = _units(plan, codes)
    district = who["district"].to_numpy(dtype=object)
    unit = np.where(rng.random(n) < DISTRICT_HANDLES, district,
                    np.asarray(units, dtype=object)[rng.integers(0, len(units), n)])
    raised = ref - _days(np.sort(rng.integers(0, PROBLEM_WINDOW_DAYS, n))[::-1])
    deadline = raised + _days(rng.choice([15, 30, 60, 90], n))
    took = _days(np.minimum(np.exp(rng.normal(np.log(25), 0.7, n)), 365))
    resolved = raised + took
    # most problems whose deadline has passed are resolved; the rest still open or in progress
    done = (resolved <= ref) & ((deadline < ref) & (rng.random(n) < 0.9) | (rng.random(n) < 0.6))
    # deliberately overdue: three well beyond problem_overdue_high_days, two within it
    high = int(settings["problem_overdue_high_days"])
    past = np.flatnonzero(deadline < ref - (high + 10))
    recent = np.flatnonzero((deadline < ref) & (deadline >= ref - (high - 1)))
    for i in [*past[:3], *recent[-2:]]:
        done[i] = False
    if len(past) < 3 or len(recent) < 2:  # a tiny sample: make them
        for k, days in enumerate((high + 40, high + 20, high + 15, max(high // 2, 1), 1)[: min(5, n)]):
            deadline[k] = ref - days
            raised[k] = deadline[k] - 30
            done[k] = False
    resolved = np.where(done, np.maximum(resolved, raised), NAT)
    status = np.where(done, "resolved", np.where(rng.random(n) < 0.6, "in_progress", "open")).astype(object)
    resolution = np.where(done, "合成示例：已协调解决并回访企业", "").astype(object)
    desc = np.array(["合成示例：" + PROBLEM_TEXT[c] for c in category], dtype=object)
    return _typed("problems", {
        "problem_id": np.array([f"Q{i + 1:06d}" for i in range(n)], dtype=object),
        "enterprise_id": who["enterprise_id"].to_numpy(dtype=object),
        "enterprise_name": who["name"].to_numpy(dtype=object), "district": district, "category": category,
        "description": desc, "department": unit, "raised": _text(raised), "deadline": _text(deadline),
        "status": status, "resolved": _text(resolved), "resolution": resolution})


# --- progress reports -------------------------------------------------------------------------------------

def _share(item, when) -> float:
    start, deadline = np.datetime64(item["start"]), np.datetime64(item["deadline"])
    span = max(int((deadline - start).astype(int)), 1)
    return float(np.clip((when - start).astype(int) / span * 100, 0, 100))


def _reports(plan, work: pd.DataFrame, ref, settings, rng):
    if not len(work):
        return empty_frame("progress_reports")
    names = unit_names(plan)
    behind_pp = float(settings["task_behind_pp"])
    stalled_days = int(settings["task_stalled_days"])
    rows = []
    n_items = len(work)
    # which items carry the deliberate cases (by position: deterministic for a plan)
    due_before = [i for i, d in enumerate(work["deadline"]) if np.datetime64(d) < ref]
    overdue_item = due_before[0] if due_before else None
    future = [i for i in range(n_items) if i not in due_before and np.datetime64(work["start"].iloc[i]) < ref]
    long_run = [i for i in future if np.datetime64(work["start"].iloc[i]) < ref - (stalled_days + 2)]
    stalled_item = long_run[0] if long_run else None
    future = [i for i in future if i != stalled_item]
    # behind needs time to trail: an item whose elapsed share exceeds task_behind_pp by 5 points
    ahead = [i for i in future if _share(work.iloc[i], ref) > behind_pp + 5]
    behind_item = ahead[0] if ahead else None
    silent_item = future[-1] if len(future) > 2 else None  # no report yet: not started
    for i, w in enumerate(work.itertuples(index=False)):
        if i == silent_item:
            continue
        start, deadline = np.datetime64(w.start), np.datetime64(w.deadline)
        last = ref
        if i == stalled_item:  # silent for more than task_stalled_days (as long as the item has run)
            room = int((ref - start).astype(int)) - stalled_days
            last = ref - stalled_days - max(1, min(60, room // 2))
        dates = [np.datetime64(f"{y:04d}-{m:02d}-25") for y in range(int(str(start)[:4]), int(str(ref)[:4]) + 1)
                 for m in REPORT_MONTHS]
        dates = [d for d in dates if start < d <= last]
        if start < last and (not dates or last - dates[-1] > 45):  # a recent report besides the quarterly ones
            dates.append(max(last - int(rng.integers(5, 26)), start + 1))
        span = max(int((deadline - start).astype(int)), 1)
        skill = rng.normal(0, 6)
        lead = str(w.lead).split(";")[0]
        for d in dates:
            share = float(np.clip((d - start).astype(int) / span * 100, 0, 100))
            if i == overdue_item:
                c = min(share, 100) - 25
            elif i == behind_item:
                c = share - (behind_pp + 15)
            elif d > deadline:
                c = 100.0
            else:
                c = share + skill + rng.normal(0, 3)
            rows.append({"item_id": w.item_id, "date": d, "completion": round(float(np.clip(c, 0, 100)), 0),
                         "reporter": names.get(lead, lead), "title": w.title})
    if not rows:
        return empty_frame("progress_reports")
    r = pd.DataFrame(rows).sort_values(["date", "item_id"], kind="stable").reset_index(drop=True)
    # completion estimates never fall from one report to the next
    r["completion"] = r.groupby("item_id")["completion"].cummax()
    dates = _text(r["date"].to_numpy(dtype="datetime64[D]"))
    seq = r.groupby("date").cumcount() + 1
    ids = np.array([f"R{d.replace('-', '')}-{k}" for d, k in zip(dates, seq)], dtype=object)
    text = np.array([f"合成示例：{t}，按计划推进，累计完成约{c:.0f}%" for t, c in zip(r["title"], r["completion"])],
                    dtype=object)
    attach = np.where(rng.random(len(r)) < 0.3, np.char.add(np.char.add("进展报告-", ids.astype(str)), ".pdf"),
                      "").astype(object)
    return _typed("progress_reports", {"report_id": ids, "item_id": r["item_id"].to_numpy(dtype=object),
                                       "date": dates, "completion": r["completion"].to_numpy(dtype=float),
                                       "text": text, "attachments": attach,
                                       "reporter": r["reporter"].to_numpy(dtype=object)})
