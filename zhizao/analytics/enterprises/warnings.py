"""Enterprise and green warnings in the monitoring warning table's columns (WARNING_COLUMNS), for
`zhizao warnings` and /monitoring (docs/enterprises.md §Warnings):

- green_level1 (high): an area's energy or water intensity rose on the year (晴雨表 一级预警);
- green_level2 (medium): its cumulative reduction trails the schedule (二级预警);
- park_below_target (medium): a park below one or more of its land-use control targets;
- enterprise_backward (low): per district, the number of backward-capacity candidates.
period = "YYYY-12" of the year; explanations end with （合成数据）/ (SYNTHETIC data) when the data are synthetic.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from zhizao import formatting, labels
from zhizao.analytics.enterprises import green
from zhizao.analytics.enterprises.data import PARK_TARGETS, EnterpriseData
from zhizao.analytics.monitoring.warning_table import WARNING_COLUMNS, empty_warnings
from zhizao.settings import Settings

from zhizao.analytics.enterprises.backward import backward_candidates
from zhizao.analytics.enterprises.muju import evaluate
from zhizao.analytics.enterprises.parks import park_results

RULES = ("green_level1", "green_level2", "park_below_target", "enterprise_backward")
# park_results' measure for each land-use target of the parks frame
PARK_MEASURES = {t: t.removeprefix("target_") for t in PARK_TARGETS}
PARK_WORDS = {"investment_per_mu": ("亩均投资强度", "investment per mu"),
              "output_per_mu": ("亩均产出", "output per mu"), "tax_per_mu": ("亩均税收", "tax per mu")}


def _num(x):
    x = float(x)
    return round(x, 4) if np.isfinite(x) else None


def _row(st, sid, name, period, rule, severity, evidence, zh, en) -> dict:
    return {"subject_type": st, "subject_id": sid, "subject_name": name, "period": period, "rule": rule,
            "severity": severity, "evidence": evidence, "explanation_zh": zh, "explanation_en": en}


def enterprise_warnings(plan, data: EnterpriseData, year: int, settings: Settings | None = None,
                        result=None, *, parks: pd.DataFrame | None = None,
                        backward: pd.DataFrame | None = None) -> pd.DataFrame:
    """The four rules for `year`. `result` (a MujuResult of `year`) saves re-evaluating for the parks;
    `parks` (park_results) and `backward` (backward_candidates) may be passed when already computed."""
    s = settings or Settings()
    year = int(year)
    period = f"{year}-12"
    synth = labels.ENTERPRISE_WORDS["synthetic_suffix"] if data.synthetic else ("", "")
    rows = _green_rows(plan, data, year, s, period, synth)
    if parks is None and not data.parks.empty:
        res = result if result is not None else evaluate(data, year, s)
        parks = park_results(plan, data, year, res, s)
    if parks is not None:
        rows += _park_rows(data, parks, period, synth)
    if backward is None and not data.annual.empty:
        backward = backward_candidates(data, year, s, result)
    if backward is not None:
        rows += _backward_rows(plan, data, backward, period, synth)
    return pd.DataFrame(rows, columns=WARNING_COLUMNS) if rows else empty_warnings()


def _green_rows(plan, data, year, s, period, synth) -> list[dict]:
    g = green.intensity(plan, data, s)
    if g.empty:
        return []
    g = g[(g["year"] == year) & g["level"].isin([1, 2])]
    whole = plan.regions.whole_code if plan.regions else None
    rows = []
    for r in g.itertuples(index=False):
        lvl = int(r.level)
        st = "city" if r.area == whole else "district"
        ind = plan.indicator(r.indicator)
        rows.append(_row(st, r.area, r.area_name, period, f"green_level{lvl}", "high" if lvl == 1 else "medium",
                         {"indicator": r.indicator, "measure": r.measure, "intensity": _num(r.intensity),
                          "yoy_change": _num(r.yoy_change), "cumulative_change": _num(r.cumulative_change),
                          "required_to_date": _num(r.required_to_date), "gap_pp": _num(r.gap_pp),
                          "base_year": int(r.base_year), "binding": bool(r.binding), "level": lvl},
                         f"{r.area_name}{ind.name}：{r.reasons_zh}{synth[0]}",
                         f"{r.area_name_en}, {ind.name_en or ind.name}: {r.reasons_en}{synth[1]}"))
    return rows


def _park_rows(data, parks: pd.DataFrame, period, synth) -> list[dict]:
    """A park below any of its targets (a target not set, or a measure unknown, is not a miss)."""
    targets = data.parks.drop_duplicates("park_id", keep="last").set_index("park_id")
    rows = []
    for r in parks.to_dict("records"):
        pid = r["park_id"]
        if pid not in targets.index:
            continue
        missed, zh, en = {}, [], []
        for t, m in PARK_MEASURES.items():
            target, value = targets.at[pid, t], r.get(m, np.nan)
            if pd.notna(target) and pd.notna(value) and float(value) < float(target):
                missed[m] = {"value": _num(value), "target": _num(target)}
                wz, we = PARK_WORDS[m]
                zh.append(f"{wz}{formatting.number(value)}万元/亩，低于目标{formatting.number(target)}万元/亩")
                en.append(f"{we} {formatting.number(value)} 万元/亩, below its target {formatting.number(target)}")
        if missed:
            rows.append(_row("park", pid, r.get("name") or targets.at[pid, "name"], period, "park_below_target",
                             "medium", {"below": missed}, "；".join(zh) + synth[0], "; ".join(en) + synth[1]))
    return rows


def _backward_rows(plan, data, backward: pd.DataFrame, period, synth) -> list[dict]:
    if backward.empty:
        return []
    district_of = data.registry.drop_duplicates("enterprise_id", keep="last").set_index("enterprise_id")["district"]
    b = backward.assign(_district=district_of.reindex(backward["enterprise_id"]).fillna("").to_numpy())
    names = {d.code: d.name for d in plan.regions.districts} if plan.regions else {}
    rows = []
    for district, grp in b.groupby("_district", sort=True):
        n = int(grp["enterprise_id"].nunique())
        counts: dict[str, int] = {}
        if "criteria" in grp:
            for crit in grp["criteria"]:
                for c in (crit if isinstance(crit, (list, tuple, np.ndarray)) else [crit]):
                    counts[str(c)] = counts.get(str(c), 0) + 1
        name = names.get(district, district)
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        cz = "、".join(f"{labels.ENTERPRISE_BACKWARD_WORD.get(k, (k, k))[0]}{v}家" for k, v in top)
        ce = ", ".join(f"{labels.ENTERPRISE_BACKWARD_WORD.get(k, (k, k))[1]} {v}" for k, v in top)
        rows.append(_row("district", district, name, period, "enterprise_backward", "low",
                         {"n_candidates": n, "criteria": counts, "enterprises": sorted(grp["enterprise_id"])[:10]},
                         f"{name}有{n}家企业符合落后产能认定条件" + (f"（{cz}）" if cz else "") + synth[0],
                         f"{green.area_names(plan).get(district, (name, name))[1]}: {n} backward-capacity candidate(s)"
                         + (f" ({ce})" if ce else "") + synth[1]))
    return rows
