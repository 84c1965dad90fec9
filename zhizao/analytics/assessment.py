"""Assess a whole plan: one status per indicator with every input that produced it.

Pure: (plan, observations, links, year, settings) → a JSON-able dict (docs/assessment-json.md).
"""
from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

import pandas as pd

from zhizao.analytics.evidence import candidates_for_link, price_basis_conflict
from zhizao.analytics.progress import (
    STATUSES,
    assess_average_growth,
    assess_progress,
    planned_value,
    status_label,
)
from zhizao.analytics.selection import GRADE_RANK, deciding_grade
from zhizao.plan.spec import Indicator, Plan, TargetKind
from zhizao.settings import Settings

NATURE_LABELS = {"expected": ("预期性", "expected"), "binding": ("约束性", "binding")}
COMPARABILITY_LABELS = {
    "comparable": ("可比", "comparable"),
    "different_definition": ("口径不同", "different definition"),
    "proxy": ("近似替代", "proxy"),
}


def _label(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def links_for(ind: Indicator, links: pd.DataFrame) -> list[dict]:
    """The indicator's own series (always comparable) plus its declared links."""
    own = [{"series": ind.id, "comparability": "comparable", "transform": "identity"}]
    if links is None or links.empty:
        return own
    rows = links[links["indicator"] == ind.id]
    return own + [{k: (None if _isnull(v) else v) for k, v in r.items()} for r in rows.to_dict("records")]


def _isnull(v: Any) -> bool:
    try:
        return v is None or (not isinstance(v, (list, dict, str)) and pd.isna(v))
    except (TypeError, ValueError):
        return False


def _pick(cands: list[dict]) -> tuple[dict, list[dict]]:
    """Best candidate for one year, by the selection rule; the rest are conflicts."""
    def key(c):
        return (
            c["status"] != "final",
            GRADE_RANK.get(c["grade"], 4),
            c["qualifier"] != "exact",
            c["transform"] != "identity",  # a published value over one we derived
            "" if c["vintage"] is None else _neg(c["vintage"]),
        )
    ordered = sorted(cands, key=key)
    return ordered[0], ordered[1:]


def _neg(date_text: str) -> str:
    # Later dates first: invert digits so that a plain ascending sort puts them first.
    return "".join(chr(ord("9") - ord(ch) + ord("0")) if ch.isdigit() else ch for ch in date_text)


def assess_indicator(
    ind: Indicator,
    plan: Plan,
    obs: pd.DataFrame,
    links: pd.DataFrame,
    year: int,
    settings: Settings,
    lang: str = "zh",
) -> dict:
    base_year = ind.baseline.year if ind.baseline else plan.plan.base_year
    region = plan.regions.whole_code if plan.regions else "500000"
    ind_links = links_for(ind, links)
    printed = ind.baseline.value if ind.baseline else None
    min_grade = settings["min_grade_alone"]

    def decides(c: dict) -> bool:
        return (c["comparability"] == "comparable" and c["usable"]
                and price_basis_conflict(ind, c) is None and deciding_grade(c["grade"], min_grade))

    # 1. Re-base the baseline on a final comparable figure for the base year (plan note 1).
    baseline = printed
    baseline_info: dict[str, Any] = {"year": base_year, "value": printed, "printed_value": printed,
                                     "rebased": False, "source": None}
    if ind.kind != TargetKind.cumulative_change and printed is not None:
        base_cands = [c for lk in ind_links if lk.get("transform") in (None, "identity", "derived_ratio")
                      for c in candidates_for_link(ind, lk, obs, printed, base_year, region)
                      if c["year"] == base_year]
        # Only a final, exact figure at least as precise as the printed one replaces it:
        # 2.27万 must not replace a printed 22655, while 3725609.5万元 replaces 370亿元.
        final_base = [c for c in base_cands if decides(c) and c["status"] == "final" and c["qualifier"] == "exact"
                      and _precision(c) >= _sig_digits(f"{printed:g}")]
        if final_base and settings["rebase_baseline"]:
            best, _ = _pick(final_base)
            if not math.isclose(best["value"], printed, rel_tol=1e-9):
                baseline = best["value"]
                baseline_info.update(value=baseline, rebased=True, source=best["sources"][0],
                                     derivation=best["derivation"])
    else:
        baseline_info["value"] = 0.0 if ind.kind == TargetKind.cumulative_change else None

    # 2. Candidates from every link.
    cands = [c for lk in ind_links for c in candidates_for_link(ind, lk, obs, baseline, base_year, region, up_to=year)]
    deciding = [c for c in cands if decides(c) and base_year < c["year"] <= year]
    other = []
    for c in cands:
        if decides(c) or c["year"] > year:  # later years are not evidence for this one
            continue
        reason = (
            c["unusable_reason"]
            or price_basis_conflict(ind, c)
            or (None if c["comparability"] != "comparable" else
                f"来源等级{c['grade']}不能单独决定状态 / grade {c['grade']} never decides a status alone")
        )
        other.append(_evidence_record(c, reason, lang))

    # 3. The value that decides: latest year with a deciding candidate.
    history = _history(cands, decides, base_year, year)
    result = _skeleton(ind, plan, baseline_info, lang)
    result["other_evidence"] = sorted(other, key=lambda e: (e["year"], e["series"]))
    result["history"] = history
    result["path"] = [{"year": y, "planned": planned_value(ind, baseline, y) if _has_path(ind, baseline) else None}
                      for y in range(base_year, ind.target.year + 1)]

    if ind.kind == TargetKind.average_annual_growth:
        return _finish_average_growth(result, ind, deciding, settings, lang)
    if not deciding or (baseline is None and ind.kind != TargetKind.cumulative_change):
        return _no_data(result, ind, cands, other, base_year, year, lang)

    latest_year = max(c["year"] for c in deciding)
    chosen, conflicts = _pick([c for c in deciding if c["year"] == latest_year])
    prog = assess_progress(ind, baseline, latest_year, chosen["value"], chosen["qualifier"], settings)
    result.update(prog.as_dict())
    result.update(
        status_label=status_label(prog.status, lang),
        status_if_high_label=status_label(prog.status_if_high, lang) if prog.status_if_high else None,
        actual_text=chosen["sources"][0].get("value_text") if chosen["derivation"] is None else None,
        actual_published=chosen["value"],
        qualifier=chosen["qualifier"],
        actual_derivation=chosen["derivation"],
        actual_transform=chosen["transform"],
        actual_series=chosen["series"],
        actual_observation_status=chosen["status"],
        sources=chosen["sources"],
        conflicts=[_evidence_record(c, "按选用规则未采用 / not selected by the selection rule", lang)
                   for c in conflicts],
        binding_alert=ind.nature.value == "binding" and prog.status in ("behind", "seriously_behind"),
        reason=None,
    )
    return result


def _sig_digits(text: str | None) -> int:
    """Significant digits of a number as printed ("2.27万" → 3, "3725609.5" → 8, "370" → 3)."""
    if not text:
        return 0
    m = re.search(r"\d[\d,]*(?:\.\d+)?", str(text))
    if not m:
        return 0
    digits = m.group(0).replace(",", "").replace(".", "").lstrip("0")
    return len(digits)


def _precision(c: dict) -> int:
    if c["derivation"] is not None:
        texts = [i.get("value_text") for i in c["derivation"].get("inputs", [])]
        return min((_sig_digits(t) for t in texts), default=0)
    return _sig_digits(c["sources"][0].get("value_text") if c["sources"] else None)


def _has_path(ind: Indicator, baseline: float | None) -> bool:
    return ind.kind in (TargetKind.cumulative_change, TargetKind.average_annual_growth) or baseline is not None


def _skeleton(ind: Indicator, plan: Plan, baseline_info: dict, lang: str) -> dict:
    return {
        "id": ind.id, "name": ind.name, "name_en": ind.name_en,
        "category": ind.category, "category_name": plan.category_name(ind.category, lang),
        "nature": ind.nature.value, "nature_label": _label(NATURE_LABELS[ind.nature.value], lang),
        "binding": ind.nature.value == "binding",
        "unit": ind.unit, "kind": ind.kind.value, "direction": ind.direction.value,
        "price_basis": ind.price_basis.value, "path_shape": ind.path_shape.value,
        "section": ind.section, "lead_department": ind.lead_department,
        "baseline": baseline_info,
        "target": {"year": ind.target.year, "value": ind.target.value, "comparator": ind.target.comparator.value,
                   "text": ind.target.text, "tolerance": ind.target.tolerance},
        "stated_growth": ind.stated_growth.model_dump(mode="json") if ind.stated_growth else None,
        "status": "no_comparable_data", "status_label": status_label("no_comparable_data", lang),
        "status_definite": True, "status_if_high": None, "status_if_high_label": None,
        "binding_alert": False, "deterioration": False, "data_year": None,
        "actual": None, "actual_text": None, "qualifier": None, "actual_derivation": None,
        "planned": None, "time_elapsed": None, "completion": None, "observed_growth": None,
        "planned_growth": None, "growth_ratio": None, "required_growth": None, "projected": None,
        "sources": [], "conflicts": [], "method": None, "reason": None,
    }


def _no_data(result, ind, cands, other, base_year, year, lang) -> dict:
    comparable = [c for c in cands if c["comparability"] == "comparable"]
    if any(c["year"] > year for c in comparable) and not any(c["year"] <= year for c in comparable if c["year"] > base_year):
        why = ("评估年份之前没有可比数据", "no comparable value up to the evaluation year")
    elif comparable and all(c["year"] <= base_year for c in comparable):
        why = ("只有基期值，无法判断进度", "only a base-year value: progress cannot be measured")
    elif comparable:
        why = ("可比数据来源等级不足或价格口径不符（见其他证据）",
               "comparable values exist but none may decide (source grade or price basis; see other evidence)")
    elif other:
        why = ("仅有口径不同或近似替代的数据，不据此判断状态",
               "only series with a different definition or proxies were published; they do not decide the status")
    else:
        why = ("未找到公开发布的数据", "no published value found")
    if ind.kind != TargetKind.cumulative_change and ind.baseline is None:
        why = ("规划未给出基期值", "the plan gives no baseline")
    result["reason"] = why[1] if lang == "en" else why[0]
    result["binding_alert"] = ind.nature.value == "binding"
    return result


def _finish_average_growth(result, ind, deciding, settings, lang) -> dict:
    rates = {}
    for y in sorted({c["year"] for c in deciding}):
        best, _ = _pick([c for c in deciding if c["year"] == y])
        rates[y] = best["value"]
    try:
        prog = assess_average_growth(ind, rates, settings)
    except ValueError as e:
        result["reason"] = str(e)
        return result
    result.update(prog.as_dict())
    result["status_label"] = status_label(prog.status, lang)
    result["binding_alert"] = ind.nature.value == "binding" and prog.status in ("behind", "seriously_behind")
    return result


def _history(cands: list[dict], decides, base_year: int, year: int) -> list[dict]:
    """Every comparable value by year, the chosen one marked; for charts and tables."""
    rows = []
    by_year: dict[int, list[dict]] = {}
    for c in cands:
        if c["comparability"] == "comparable" and c["year"] <= year:
            by_year.setdefault(c["year"], []).append(c)
    for y, cs in sorted(by_year.items()):
        ok = [c for c in cs if decides(c)]
        best = _pick(ok)[0] if ok else None
        for c in cs:
            rows.append({
                "year": y, "value": c["value"], "qualifier": c["qualifier"], "status": c["status"],
                "grade": c["grade"], "series": c["series"], "transform": c["transform"],
                "deciding": decides(c), "chosen": c is best, "vintage": c["vintage"],
                "source_url": c["sources"][0].get("url") if c["sources"] else None,
            })
    return rows


def _evidence_record(c: dict, reason: str | None, lang: str) -> dict:
    return {
        "series": c["series"], "comparability": c["comparability"],
        "comparability_label": _label(COMPARABILITY_LABELS.get(c["comparability"], (c["comparability"],) * 2), lang),
        "transform": c["transform"], "year": c["year"], "value": c["value"], "qualifier": c["qualifier"],
        "status": c["status"], "grade": c["grade"], "note": c["link_note"], "reason": reason,
        "derivation": c["derivation"], "sources": c["sources"],
    }


def assess_clusters(plan: Plan, obs: pd.DataFrame, links: pd.DataFrame, year: int, lang: str = "zh") -> list[dict]:
    """Latest published scale of each cluster against its scale target (no status: the plan
    gives only an order of magnitude, 万亿级 …, and published cluster figures change definition)."""
    from zhizao.analytics.selection import select_best
    out = []
    region = plan.regions.whole_code if plan.regions else "500000"
    for cl in plan.clusters:
        rows = [] if links is None or links.empty else links[links["indicator"] == f"cluster:{cl.id}"].to_dict("records")
        evidence = []
        for lk in rows:
            sel = obs[(obs["series"] == lk["series"]) & (obs["region"] == region) & (obs["period_type"] == "year")
                      & (obs["year"] <= year)] if not obs.empty else obs
            best, _ = select_best(sel, ["period_key"])
            for _, r in best.iterrows():
                evidence.append({
                    "series": lk["series"], "year": int(r["year"]), "value": float(r["value"]),
                    "qualifier": r["qualifier"], "unit": r["unit"], "value_text": r["value_text"],
                    "grade": r["grade"] if isinstance(r["grade"], str) else "none",
                    "comparability": lk["comparability"],
                    "comparability_label": _label(COMPARABILITY_LABELS[lk["comparability"]], lang),
                    "note": None if _isnull(lk.get("note")) else lk.get("note"),
                    "source": {"url": r["source_url"], "quote": r["quote"], "grade": r["grade"]},
                })
        evidence.sort(key=lambda e: (e["year"], GRADE_RANK.get(e["grade"], 4) * -1))
        latest = evidence[-1] if evidence else None
        out.append({
            "id": cl.id, "name": cl.name if lang != "en" else (cl.name_en or cl.name),
            "target": cl.scale_target, "unit": cl.unit, "target_text": cl.target_text, "measure": cl.measure,
            "target_year": cl.target_year,
            "actual": latest["value"] if latest else None, "qualifier": latest["qualifier"] if latest else None,
            "year": latest["year"] if latest else None,
            "share_of_target": (latest["value"] / cl.scale_target) if latest else None,
            "comparability": latest["comparability"] if latest else None,
            "grade": latest["grade"] if latest else None,
            "value_text": latest["value_text"] if latest else None,
            "evidence": evidence,
        })
    return out


def _drop_nonfinite(obs: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, list[dict]]:
    """inf/NaN values (stored before imports refused them) cannot be assessed: leave them out and say
    which batches hold them, so the user can withdraw those batches."""
    if obs.empty or "value" not in obs:
        return obs, []
    values = pd.to_numeric(obs["value"], errors="coerce")
    bad = ~values.map(lambda v: isinstance(v, float) and math.isfinite(v))
    if not bad.any():
        return obs, []
    out = []
    for batch_id, rows in obs[bad].groupby(obs.loc[bad, "batch_id"].fillna("?") if "batch_id" in obs else "?"):
        series = "、".join(sorted(map(str, rows["series"].unique()))[:5])
        n = len(rows)
        out.append({
            "batch_id": batch_id, "count": n, "series": sorted(map(str, rows["series"].unique()))[:20],
            "message": (f"batch {batch_id}: {n} non-finite value(s) ({series}) were ignored; "
                        f"withdraw the batch with: zhizao data withdraw {batch_id}") if lang == "en" else
                       (f"批次 {batch_id} 中 {n} 个数值为无穷大或非数（{series}），评估时已忽略；"
                        f"请撤回该批次：zhizao data withdraw {batch_id}"),
        })
    return obs[~bad], out


def assess_plan(
    plan: Plan,
    obs: pd.DataFrame,
    links: pd.DataFrame,
    year: int | None = None,
    settings: Settings | None = None,
    lang: str = "zh",
    as_of: str | None = None,
) -> dict:
    """The evaluation of every indicator of `plan` for `year` (default: the latest year with
    data, at most the target year)."""
    settings = settings or Settings()
    obs, ignored = _drop_nonfinite(obs, lang)
    if year is None:
        years = obs.loc[obs["period_type"] == "year", "year"] if not obs.empty else pd.Series(dtype=int)
        year = min(int(years.max()), plan.plan.target_year) if len(years) else plan.plan.base_year
    indicators = [assess_indicator(ind, plan, obs, links, year, settings, lang) for ind in plan.indicators]
    counts = Counter(i["status"] for i in indicators)
    return {
        "plan": {
            "id": plan.plan.id, "title": plan.plan.title, "title_en": plan.plan.title_en,
            "issuer": plan.plan.issuer, "document_number": plan.plan.document_number,
            "base_year": plan.plan.base_year, "target_year": plan.plan.target_year,
            # Plan-specific words the outputs cite (none of them hard-coded there).
            "baseline_rule": plan.plan.baseline_rule, "cluster_heading": plan.plan.cluster_heading,
            "cluster_heading_en": plan.plan.cluster_heading_en,
        },
        "year": year,
        "as_of": as_of,
        "lang": lang,
        "settings": dict(settings),
        "summary": {
            "counts": {s: counts.get(s, 0) for s in STATUSES},
            "binding_behind": [i["id"] for i in indicators if i["binding_alert"]],
            "ignored_values": ignored,
        },
        "indicators": indicators,
        "clusters": assess_clusters(plan, obs, links, year, lang),
    }
