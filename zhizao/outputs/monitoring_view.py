"""What the monitoring page and the monthly brief show, computed once from a refresh.

Pure functions over `zhizao.analytics.monitoring.refresh.MonitoringResult` returning plain dicts
and lists, so that the dashboard (zhizao/outputs/web/pages/monitoring.py) and the brief
(zhizao/outputs/reports/brief.py) print the same numbers. Nothing here formats for a medium.

Data: the directory written by `zhizao synth` (read through
`zhizao.outputs.monitoring_inputs.load_monitoring_inputs`). The context (enterprise panel and
aggregate series) is built once per directory state and refreshed per period with
`refresh_context`, which is what `refresh` does after building the same context.
"""
from __future__ import annotations

from zhizao import labels

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from zhizao.analytics.monitoring.context import SUBJECT_LABELS, context_from_panel
from zhizao.analytics.monitoring.forecast import forecast_year
from zhizao.analytics.monitoring.growth import pct, target_gap
from zhizao.analytics.monitoring.panel import build_panel, no_hugepage_advice, prev_year, ytd
from zhizao.analytics.monitoring.periods import PERIODS_PER_YEAR, parse_period
from zhizao.analytics.monitoring.periods import period_label as _period_label
from zhizao.analytics.monitoring.refresh import prepare_enterprises, refresh_context
from zhizao.analytics.monitoring.warnings import RULES
from zhizao.codes.industries import cluster_name, division_name
from zhizao.codes.regions import DISTRICTS, district_name
from zhizao.outputs.monitoring_inputs import (DATA_ENV, MonitoringInputs, default_data_dir,  # noqa: F401 (re-exported)
                                              load_monitoring_inputs)
from zhizao.settings import Settings

SYNTHETIC_LABEL = {"zh": labels.ORIGIN["synthetic"][0], "en": labels.ORIGIN["synthetic"][1]}
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
SEVERITY_LABEL = labels.SEVERITY
LIGHT_EN = {k: v[1].split(" (")[0] for k, v in labels.LIGHT.items()}
LIGHT_COLOURS = {"过热": "#d73027", "偏热": "#f4c430", "正常": "#1a9850", "偏冷": "#74add1", "过冷": "#313695"}
PART_TYPES = ("district", "zone", "industry", "cluster")


def data_stamp(data_dir: Path | str) -> tuple | None:
    """What changes when the data change: the folder's and each file's mtime and size.
    None when the folder holds no monitoring data (no metadata.json)."""
    d = Path(data_dir)
    if not (d / "metadata.json").is_file():
        return None
    parts = [d.stat().st_mtime_ns]
    for p in sorted(d.iterdir()):
        if p.suffix in (".parquet", ".json"):
            st = p.stat()
            parts.append((p.name, st.st_mtime_ns, st.st_size))
    return tuple(parts)


def synth_hint(data_dir: Path | str, lang: str = "zh") -> str:
    d = str(data_dir)
    if lang == "en":
        return (f"No monitoring data in {d}. Create synthetic data with `zhizao synth --out {d}` "
                f"(or point {DATA_ENV} at a folder written by `zhizao synth`).")
    return (f"{d} 中没有监测数据。请运行 `zhizao synth --out {d}` 生成合成数据"
            f"（或将环境变量 {DATA_ENV} 指向 `zhizao synth` 写出的目录）。")


@dataclass
class MonitoringData:
    """The loaded inputs and the context built from them (shared by every period's refresh)."""
    data_dir: Path
    inputs: MonitoringInputs
    context: Any  # zhizao.analytics.monitoring.context.MonitoringContext
    synthetic: bool
    metadata: dict = field(default_factory=dict)

    @property
    def periods(self) -> list[tuple[int, int]]:
        """Reporting periods with a previous year to compare with (growth, contributions), oldest first."""

        return [self.context.period(s) for s in range(PERIODS_PER_YEAR, self.context.latest + 1)]


def load_data(data_dir: Path | str) -> MonitoringData:
    """Read a `zhizao synth` folder and build the monitoring context. FileNotFoundError when the
    folder has no data; ValueError when the data are refused (e.g. invalid credit codes)."""
    d = Path(data_dir)
    inputs = load_monitoring_inputs(d)
    with no_hugepage_advice():
        panel = build_panel(prepare_enterprises(inputs.enterprises), inputs.monthly, inputs.prices)
        ctx = context_from_panel(panel)
    return MonitoringData(d, inputs, ctx, inputs.source == "synthetic", dict(inputs.metadata))


def refresh_at(data: MonitoringData, period: tuple[int, int] | None, settings=None):
    """`refresh_context` of the loaded data at `period` (None = the latest)."""
    return refresh_context(data.context, period=period, settings=settings)


def check_period(data: MonitoringData, text: str | None) -> tuple[int, int] | None:
    """'YYYY-MM' → (year, month) among the data's periods; None for none given. ValueError otherwise."""
    if not text:
        return None
    y, m = parse_period(text)
    periods = data.periods
    if (y, m) not in periods:
        if not periods:
            raise ValueError("the data cover less than two years: no period has a previous year to compare with")
        lo, hi = periods[0], periods[-1]
        raise ValueError(f"period must be between {lo[0]}-{lo[1]:02d} and {hi[0]}-{hi[1]:02d}, got {text!r}")
    return y, m


# --- small helpers ------------------------------------------------------------------------------
def num(x) -> float | None:
    """A plain float, None for missing or non-finite values."""
    if x is None or x is pd.NA:
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def period_key(period: tuple[int, int]) -> str:
    return f"{period[0]}-{period[1]:02d}"


def period_label(period: tuple[int, int], lang: str, kind: str = "ytd") -> str:

    return _period_label(period[0], period[1], kind, lang)


def severity_label(sev: str, lang: str) -> str:
    zh, en = SEVERITY_LABEL.get(sev, (sev, sev))
    return en if lang == "en" else zh


def light_label(light: str | None, lang: str) -> str | None:
    if light is None:
        return None
    return LIGHT_EN.get(light, light) if lang == "en" else light


def rule_title(rule: str, lang: str) -> str:

    if rule in labels.TABLES.get("chain_rule", {}):  # the chain rules (issue 12), titled by the chain analytics
        return labels.label("chain_rule", rule, lang)
    r = RULES.get(rule)
    if r is None:
        return rule
    return r.title_en if lang == "en" else r.title_zh


def chain_warning_rows(chain_warnings: pd.DataFrame, lang: str = "zh") -> list[dict]:
    """The chain warnings (api.chain_warnings: WARNING_COLUMNS, rules chain_…) as rows of the same shape
    as `warning_rows`, to list beside the monitoring ones (`zhizao warnings` prints both); most severe first.
    An enterprise's district is the chain data's (evidence "district"), for the district users' filter."""
    if chain_warnings is None or chain_warnings.empty:
        return []
    rows = []
    for r in chain_warnings.to_dict("records"):
        ev = dict(r["evidence"]) if isinstance(r["evidence"], dict) else {}
        st = r["subject_type"]
        rows.append({
            "subject_type": st, "subject_type_label": labels.label("subject_type", st, lang),
            "subject_id": str(r["subject_id"]), "subject_name": r["subject_name"],
            "district": ev.get("district") if st == "enterprise" else None, "period": r["period"],
            "rule": r["rule"], "rule_title": rule_title(r["rule"], lang), "severity": r["severity"],
            "severity_label": severity_label(r["severity"], lang), "evidence": ev,
            "explanation": r["explanation_en"] if lang == "en" else r["explanation_zh"],
            "synthetic": bool(chain_warnings.attrs.get("synthetic")),
        })
    rows.sort(key=lambda x: (SEVERITY_ORDER.get(x["severity"], 9), x["rule"], x["subject_type"], x["subject_id"]))
    return rows


def subject_type_label(st: str, lang: str) -> str:

    zh, en = SUBJECT_LABELS.get(st, (st, st))
    return en if lang == "en" else zh


def subject_display(result, st: str, sid: str, lang: str, fallback: str | None = None) -> str:
    """Display name of an aggregate subject in the reader's language (districts and zones in pinyin,
    industries by their English division names), with the code for industries."""
    ctx = result.context
    ss = ctx.series.get(st) if ctx is not None else None
    name = fallback or sid
    if ss is not None and sid in ss.ids:
        i = ss.ids.index(sid)
        name = ss.names[i]
        if lang == "en" and ss.names_en:
            name = ss.names_en[i]
    if st == "industry":
        return f"{sid} {name}" if name != sid else sid
    return name


# --- tables -------------------------------------------------------------------------------------
def city_summary(result, settings=None) -> dict:
    """The city at the period: YTD and single-period growth, the target path, the composite light,
    the warnings by severity."""
    s = settings if settings is not None else Settings()
    y, m = result.period
    g = result.growth[result.growth["subject_type"] == "city"].iloc[0]
    target = float(s["target_annual_growth_pct"])
    tg = target_gap(result.city_path[["year", "month", "value"]], target)
    row = tg[(tg["year"] == y) & (tg["month"] == m)]
    row = row.iloc[0] if len(row) else None
    path = result.city_path
    now = path[(path["year"] == y) & (path["month"] == m)]
    nominal = num(now["ytd_growth_current_pct"].iloc[0]) if "ytd_growth_current_pct" in now and len(now) else None
    lt = result.lights
    comp = lt[(lt["subject_type"] == "city") & (lt["measure"] == "composite")] if len(lt) else lt
    va = lt[(lt["subject_type"] == "city") & (lt["measure"] == "value_added")] if len(lt) else lt
    w = result.warnings
    return {
        "period": period_key(result.period), "year": y, "month": m,
        "subject_id": str(g["subject_id"]),
        "ytd": num(g["ytd"]), "ytd_prev": num(g["ytd_prev"]), "ytd_growth_pct": num(g["ytd_growth_pct"]),
        "month_value": num(g["month_value"]), "month_growth_pct": num(g["month_growth_pct"]),
        "ytd_growth_current_pct": nominal,
        "target_pct": target,
        "gap_pp": num(row["gap_pp"]) if row is not None else None,
        "required_rest_pct": num(row["required_rest_pct"]) if row is not None else None,
        "months_left": int(12 - m),
        "light": va["light"].iloc[0] if len(va) else None,
        "composite_light": comp["light"].iloc[0] if len(comp) else None,
        "composite_index": num(comp["index"].iloc[0]) if len(comp) and "index" in comp else None,
        "warnings": {sev: int((w["severity"] == sev).sum()) for sev in SEVERITY_ORDER},
        "warnings_total": int(len(w)),
        "price_basis": result.price_basis.get("value_added"),
    }


def part_rows(result, subject_type: str, lang: str = "zh") -> list[dict]:
    """One row per part of the city (district, zone, industry, cluster): YTD level and growth,
    single-period growth, share, 贡献率, 拉动, rank (1 = largest pull), five-light signal and the
    number of warnings; by rank."""
    c = result.contributions
    if c is None or c.empty:
        return []
    c = c[c["subject_type"] == subject_type]
    g = result.growth[result.growth["subject_type"] == subject_type].set_index("subject_id")
    lt = result.lights
    lights = {}
    if len(lt):
        sel = lt[(lt["subject_type"] == subject_type) & (lt["measure"] == "value_added")]
        lights = dict(zip(sel["subject_id"], sel["light"]))
    w = result.warnings
    w = w[w["subject_type"] == subject_type]
    counts = w.groupby("subject_id").size().to_dict() if len(w) else {}
    worst = {}
    for sid, sev in zip(w["subject_id"], w["severity"]):
        if sid not in worst or SEVERITY_ORDER[sev] < SEVERITY_ORDER[worst[sid]]:
            worst[sid] = sev
    rows = []
    for r in c.to_dict("records"):
        sid = str(r["subject_id"])
        rows.append({
            "subject_type": subject_type, "id": sid, "name": subject_display(result, subject_type, sid, lang,
                                                                              r["subject_name"]),
            "ytd": num(r["ytd"]), "ytd_prev": num(r["ytd_prev"]), "ytd_growth_pct": num(r["growth_pct"]),
            "month_growth_pct": num(g["month_growth_pct"].get(sid)) if sid in g.index else None,
            "share_prev_pct": num(r["share_prev_pct"]), "contribution_pct": num(r["contribution_pct"]),
            "pull_pp": num(r["pull_pp"]), "rank": None if pd.isna(r["rank"]) else int(r["rank"]),
            "light": lights.get(sid), "light_label": light_label(lights.get(sid), lang),
            "warnings": int(counts.get(sid, 0)), "worst_severity": worst.get(sid),
        })
    rows.sort(key=lambda x: (x["rank"] is None, x["rank"] or 0, x["id"]))
    return rows


def district_rows(result, lang: str = "zh") -> list[dict]:
    """All 38 districts (GB/T 2260 order), with the district's row where the data have one."""
    by_id = {r["id"]: r for r in part_rows(result, "district", lang)}
    out = []
    for code in DISTRICTS:
        name = district_name(code, lang)
        r = by_id.get(code)
        out.append({**(r or {k: None for k in ("ytd", "ytd_prev", "ytd_growth_pct", "month_growth_pct",
                                               "share_prev_pct", "contribution_pct", "pull_pp", "rank",
                                               "light", "light_label", "worst_severity")}),
                    "subject_type": "district", "id": code, "name": name,
                    "warnings": r["warnings"] if r else 0, "has_data": r is not None})
    return out


def enterprise_district(result) -> dict[str, str]:
    """Credit code → district code of every enterprise in the refresh."""
    e = result.enterprises
    if e is None or e.empty or "credit_code" not in e:
        return {}
    return dict(zip(e["credit_code"].astype(str), e["district"].astype(str)))


def warning_rows(result, lang: str = "zh", *, severity: str | None = None, rule: str | None = None,
                 subject_type: str | None = None, subject_id: str | None = None) -> list[dict]:
    """The warnings at the period, most severe first, filtered; with the explanation in `lang`."""
    w = result.warnings
    if severity:
        w = w[w["severity"] == severity]
    if rule:
        w = w[w["rule"] == rule]
    if subject_type:
        w = w[w["subject_type"] == subject_type]
    if subject_id:
        w = w[w["subject_id"].astype(str) == str(subject_id)]
    districts = enterprise_district(result) if (w["subject_type"] == "enterprise").any() else {}
    rows = []
    for r in w.to_dict("records"):
        st, sid = r["subject_type"], str(r["subject_id"])
        name = r["subject_name"] if st == "enterprise" else subject_display(result, st, sid, lang, r["subject_name"])
        rows.append({
            "subject_type": st, "subject_type_label": subject_type_label(st, lang), "subject_id": sid,
            "subject_name": name, "district": districts.get(sid) if st == "enterprise" else None,
            "period": r["period"], "rule": r["rule"], "rule_title": rule_title(r["rule"], lang),
            "severity": r["severity"], "severity_label": severity_label(r["severity"], lang),
            "evidence": dict(r["evidence"]) if isinstance(r["evidence"], dict) else r["evidence"],
            "explanation": r["explanation_en"] if lang == "en" else r["explanation_zh"],
        })
    rows.sort(key=lambda x: (SEVERITY_ORDER.get(x["severity"], 9), x["rule"], x["subject_type"], x["subject_id"]))
    return rows


def enterprise_rows(result, district: str | None = None, lang: str = "zh") -> list[dict]:
    """Enterprises (of one district, or all) at the period: credit code, name, industry, YTD value
    added (constant prices), growth, 贡献率, 拉动 and their warnings; largest first."""
    e = result.enterprises
    if e is None or e.empty:
        return []
    ent = result.context.panel.enterprises if result.context is not None and result.context.panel is not None else None
    if district is not None:
        mask = (e["district"].astype(str) == str(district)).to_numpy()
        e = e[mask]
        ent = ent[mask] if ent is not None else None
    # Enterprises that left the directory before this year and have not come back: no YTD at all.
    keep = ((e["ytd"] > 0) | (e["ytd_prev"] > 0) | e["reported"]).to_numpy()
    e = e[keep]
    extra = ent[keep] if ent is not None else None
    w = result.warnings
    w = w[w["subject_type"] == "enterprise"]
    by_code: dict[str, list[dict]] = {}
    for r in w.to_dict("records"):
        by_code.setdefault(str(r["subject_id"]), []).append(
            {"rule": r["rule"], "rule_title": rule_title(r["rule"], lang), "severity": r["severity"],
             "severity_label": severity_label(r["severity"], lang)})
    size = extra["size_class"].astype(str).tolist() if extra is not None and "size_class" in extra else [None] * len(e)
    rows = []
    for r, sz in zip(e.to_dict("records"), size):
        code = str(r["credit_code"])
        ind = str(r["industry"])
        ws = sorted(by_code.get(code, []), key=lambda x: (SEVERITY_ORDER[x["severity"]], x["rule"]))
        rows.append({
            "credit_code": code, "name": r["name"], "district": str(r["district"]),
            "industry": ind, "industry_name": division_name(ind, lang),
            "cluster": r.get("cluster"), "cluster_name": cluster_name(r["cluster"], lang) if r.get("cluster") else None,
            "size_class": sz, "ytd": num(r["ytd"]), "ytd_prev": num(r["ytd_prev"]),
            "ytd_growth_pct": num(r["growth_pct"]), "contribution_pct": num(r["contribution_pct"]),
            "pull_pp": num(r["pull_pp"]), "reported": bool(r["reported"]), "warnings": ws,
        })
    rows.sort(key=lambda x: (-(x["ytd"] or 0), x["credit_code"]))
    return rows


def risk_enterprises(result, lang: str = "zh", limit: int | None = None) -> list[dict]:
    """Enterprises with at least one warning, most severe and largest first."""
    rows = [r for r in enterprise_rows(result, None, lang) if r["warnings"]]
    rows.sort(key=lambda x: (SEVERITY_ORDER[x["warnings"][0]["severity"]], -(x["ytd_prev"] or 0), x["credit_code"]))
    return rows[:limit] if limit else rows


# --- one subject's monthly series (the drill-down) ----------------------------------------------
def subject_series(result, subject_type: str, subject_id: str) -> dict | None:
    """The monthly series of one subject up to the period: levels and year-on-year growth.

    Aggregates: single-period value added, YTD value added, YTD and single-period growth (%).
    Enterprises: single-period value added (None where not reported), its YoY growth and, where the
    data have them, output and electricity YoY growth (the divergence rule's inputs).
    None when the subject is unknown."""
    ctx = result.context
    slot = ctx.slot(*result.period)
    periods = [period_key(ctx.period(t)) for t in range(slot + 1)]

    def clean(a) -> list[float | None]:
        return [num(v) for v in np.asarray(a, dtype=float)[:slot + 1]]

    if subject_type == "enterprise":
        p = ctx.panel
        if p is None or "credit_code" not in p.enterprises:
            return None
        hits = np.nonzero(p.enterprises["credit_code"].astype(str).to_numpy() == str(subject_id))[0]
        if not len(hits):
            return None
        i = int(hits[0])
        rep = p.reported[i]
        out = {"periods": periods, "reported": [bool(x) for x in rep[:slot + 1]]}
        for measure in ("value_added", "output", "electricity"):
            if measure not in p.values:
                continue
            a = np.where(rep, p.values[measure][i], np.nan)  # not reported: no value, no growth
            growth = pct(a, prev_year(a))
            if measure == "value_added":
                out["value"] = clean(a)
            out[f"{measure}_growth_pct"] = clean(growth)
        return out
    ss = ctx.series.get(subject_type)
    if ss is None or str(subject_id) not in ss.ids:
        return None
    i = ss.ids.index(str(subject_id))
    L = ss.levels["value_added"][i]
    Y = ytd(L)
    return {"periods": periods, "value": clean(L), "ytd": clean(Y),
            "ytd_growth_pct": clean(pct(Y, prev_year(Y))), "month_growth_pct": clean(pct(L, prev_year(L)))}


def enterprise_info(result, credit_code: str, lang: str = "zh") -> dict | None:
    """The enterprise's directory record and its row at the period."""
    p = result.context.panel if result.context is not None else None
    if p is None or "credit_code" not in p.enterprises:
        return None
    ent = p.enterprises
    hits = np.nonzero(ent["credit_code"].astype(str).to_numpy() == str(credit_code))[0]
    if not len(hits):
        return None
    i = int(hits[0])
    rec = ent.iloc[i]
    row = result.enterprises.iloc[i] if result.enterprises is not None and len(result.enterprises) > i else None
    ind = str(rec.get("industry"))
    cl = rec.get("cluster")
    entry, exit_ = rec.get("entry_year"), rec.get("exit_year")
    return {
        "credit_code": str(credit_code), "name": str(rec.get("name", credit_code)),
        "district": str(rec.get("district")), "district_name": district_name(str(rec.get("district")), lang),
        "industry": ind, "industry_name": division_name(ind, lang),
        "cluster": cl, "cluster_name": cluster_name(cl, lang) if isinstance(cl, str) else None,
        "size_class": rec.get("size_class"),
        "entry_year": None if entry is None or pd.isna(entry) else int(entry),
        "exit_year": None if exit_ is None or pd.isna(exit_) else int(exit_),
        "ytd": num(row["ytd"]) if row is not None else None,
        "ytd_growth_pct": num(row["growth_pct"]) if row is not None else None,
        "pull_pp": num(row["pull_pp"]) if row is not None else None,
        "reported": bool(row["reported"]) if row is not None else None,
    }


def light_detail(result, subject_type: str, subject_id: str) -> dict | None:
    """The five-light row (value added) of an aggregate subject, with its statistics."""
    lt = result.lights
    if lt is None or lt.empty:
        return None
    sel = lt[(lt["subject_type"] == subject_type) & (lt["subject_id"].astype(str) == str(subject_id))
             & (lt["measure"] == "value_added")]
    if sel.empty:
        return None
    r = sel.iloc[0].to_dict()
    return {k: (num(v) if isinstance(v, (float, np.floating)) else v) for k, v in r.items()
            if k not in ("subject_type", "subject_id", "subject_name", "components")
            and not (isinstance(v, float) and not math.isfinite(v))}


def forecast(result, settings=None) -> dict:
    """The year's growth forecast with its interval (`forecast_year`, settings' alpha and draws)."""
    s = settings if settings is not None else Settings()
    y, m = result.period
    f = forecast_year(result.city_path[["year", "month", "value"]], y, m, alpha=float(s["forecast_alpha"]),
                      n_sim=int(s["forecast_simulations"]))
    return {k: (num(v) if isinstance(v, (float, np.floating, int, np.integer)) and not isinstance(v, bool) else v)
            for k, v in f.items()}
