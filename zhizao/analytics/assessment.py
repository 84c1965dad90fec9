"""Assess a whole plan: one status per indicator with every input that produced it.

Pure: (plan, observations, links, year, settings) → a JSON-able dict (docs/assessment-json.md).
"""
from __future__ import annotations

from zhizao import labels

import copy
import math
import re
from collections import Counter
from typing import Any

import pandas as pd

from zhizao.analytics.evidence import AnnualIndex, annual_index, candidates_for_link, price_basis_conflict, uses_baseline
from zhizao.analytics.final import evaluation_kind, final_evaluation, final_summary, projection_for
from zhizao.analytics.progress import (
    STATUSES,
    assess_average_growth,
    assess_every_year,
    assess_progress,
    assess_without_pace,
    baseline_band,
    interval_for,
    planned_value,
    status_label,
    status_words,
    target_display,
)
from zhizao.analytics.selection import GRADE_RANK, deciding_grade, pick, select_best_records
from zhizao.plan.spec import Indicator, Plan, TargetKind
from zhizao.settings import Settings

NATURE_LABELS = labels.NATURE
COMPARABILITY_LABELS = labels.COMPARABILITY
# Why an indicator has no status, or a status without a pace judgement: `reason_code` in the JSON.
REASONS = labels.REASON


def reason_text(code: str | None, lang: str, **kw) -> str | None:
    if code is None:
        return None
    zh, en = REASONS[code]
    text = en if lang == "en" else zh
    if "years" in kw:
        kw["years"] = ("、" if lang != "en" else ", ").join(str(y) for y in kw["years"])
    return text.format(**kw) if kw else text


def _label(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def links_for(ind: Indicator, links: pd.DataFrame | dict[str, list[dict]]) -> list[dict]:
    """The indicator's own series (always comparable) plus its declared links. `links`: the links
    frame, or `links_by_indicator` of it (grouped once for every indicator)."""
    own = [{"series": ind.id, "comparability": "comparable", "transform": "identity"}]
    rows = links.get(ind.id, []) if isinstance(links, dict) else links_by_indicator(links).get(ind.id, [])
    return own + [{k: (None if _isnull(v) else v) for k, v in r.items()} for r in rows]


def links_by_indicator(links: pd.DataFrame | None) -> dict[str, list[dict]]:
    """The links' rows (as `to_dict("records")` gives them) by indicator, in the frame's order."""
    out: dict[str, list[dict]] = {}
    if links is None or links.empty:
        return out
    for r in links.to_dict("records"):
        if isinstance(r["indicator"], str):
            out.setdefault(r["indicator"], []).append(r)
    return out


def _isnull(v: Any) -> bool:
    try:
        return v is None or (not isinstance(v, (list, dict, str)) and pd.isna(v))
    except (TypeError, ValueError):
        return False


def _pick(cands: list[dict]) -> tuple[dict, list[dict]]:
    """Best candidate for one year, by the selection rule (zhizao.analytics.selection); the rest are conflicts."""
    return pick(cands)


PERIOD_KINDS = (TargetKind.cumulative_change, TargetKind.average_annual_growth)


def assess_indicator(
    ind: Indicator,
    plan: Plan,
    obs: pd.DataFrame | AnnualIndex,
    links: pd.DataFrame | dict[str, list[dict]],
    year: int,
    settings: Settings,
    lang: str = "zh",
    evidence: dict | None = None,
) -> dict:
    """`evidence`: a dict shared by the calls for one plan, year and data in several languages —
    the candidates do not depend on the language, so they are computed once (assess_plan_languages)."""
    tg = ind.target
    # Period targets (cumulative, average growth) run from the plan's base year when no baseline is printed.
    base_year = ind.baseline.year if ind.baseline else plan.plan.base_year
    # A period target printed without a year covers the plan period; other undated targets have no path.
    target_year = None if tg is None else (tg.year if tg.year is not None else (
        plan.plan.target_year if ind.kind in PERIOD_KINDS else None))
    region = plan.regions.whole_code if plan.regions else "500000"
    ind_links = links_for(ind, links)
    obs = annual_index(obs)
    printed = ind.baseline.value if ind.baseline else None
    min_grade = settings["min_grade_alone"]

    def decides(c: dict) -> bool:
        return (c["comparability"] == "comparable" and c["usable"]
                and price_basis_conflict(ind, c) is None and deciding_grade(c["grade"], min_grade))

    # A link's candidates are computed once for the base year and the years after, except a chain
    # of real growth, which starts from the baseline decided below. (A value of the base year that
    # can decide never depends on the evaluation year `up_to`.)
    computed = {} if evidence is None else evidence

    def link_candidates(k: int, b: float | None) -> list[dict]:
        key = (ind.id, k, b) if uses_baseline(ind_links[k]) else (ind.id, k)
        if key not in computed:
            computed[key] = candidates_for_link(ind, ind_links[k], obs, b, base_year, region, up_to=year)
        return computed[key]

    def base_year_candidates(b):
        return [c for k, lk in enumerate(ind_links) if lk.get("transform") in (None, "identity", "derived_ratio")
                for c in link_candidates(k, b) if c["year"] == base_year]

    # 1. The baseline: printed (re-based on a final comparable figure, plan note 1), else a comparable
    #    base-year value from the store, labelled as such.
    baseline = printed
    baseline_qualifier = ind.baseline.qualifier.value if ind.baseline else "exact"
    baseline_info: dict[str, Any] = {
        "year": base_year, "value": printed, "printed_value": printed, "rebased": False,
        "qualifier": baseline_qualifier if printed is not None else None,
        "text": ind.baseline.text if ind.baseline else None,
        "source": "plan" if printed is not None else None, "source_record": None,
    }
    if ind.kind != TargetKind.cumulative_change and printed is not None:
        # Only a final, exact figure at least as precise as the printed one replaces it:
        # 2.27万 must not replace a printed 22655, while 3725609.5万元 replaces 370亿元.
        final_base = [c for c in base_year_candidates(printed) if decides(c) and c["status"] == "final"
                      and c["qualifier"] == "exact" and _precision(c) >= _sig_digits(f"{printed:g}")]
        if final_base and settings["rebase_baseline"]:
            best, _ = _pick(final_base)
            if not math.isclose(best["value"], printed, rel_tol=1e-9) or baseline_qualifier != "exact":
                baseline, baseline_qualifier = best["value"], "exact"
                best = copy.deepcopy(best)  # its records are in the candidates below too: no shared dicts
                baseline_info.update(value=baseline, rebased=True, qualifier="exact", source_record=best["sources"][0],
                                     derivation=best["derivation"])
    elif ind.kind == TargetKind.cumulative_change:
        baseline_info["value"] = 0.0
    elif ind.kind != TargetKind.average_annual_growth:
        stored = [c for c in base_year_candidates(None) if decides(c)]
        if stored:
            best = copy.deepcopy(_pick(stored)[0])  # its records are in the candidates below too
            baseline, baseline_qualifier = best["value"], best["qualifier"]
            baseline_info.update(value=baseline, qualifier=baseline_qualifier, source="store",
                                 label=(f"规划未列基期值，采用数据库中{base_year}年的可比数值（{best['series']}）"
                                        if lang != "en" else f"the plan prints no baseline: the comparable {base_year} "
                                        f"value in the store ({best['series']}) is used"),
                                 source_record=best["sources"][0], sources=best["sources"],
                                 derivation=best["derivation"], series=best["series"])
    if baseline is not None and baseline_qualifier != "exact" and ind.kind != TargetKind.cumulative_change:
        lo, hi = baseline_band(baseline, baseline_qualifier, settings["near_epsilon"])
        baseline_info.update(low=lo, high=hi)

    # 2. Candidates from every link.
    cands = [c for k in range(len(ind_links)) for c in link_candidates(k, baseline)]
    # Targets judged on the value alone (no target, undated, held every year) may use the base year's value.
    level_only = tg is None or target_year is None
    first_year = base_year if level_only else base_year + 1
    deciding = [c for c in cands if decides(c) and first_year <= c["year"] <= year]
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
    has_path = target_year is not None and (ind.kind in PERIOD_KINDS or baseline is not None) and target_year > base_year
    result["path"] = [] if not has_path else [
        {"year": y, "planned": planned_value(ind, baseline, y, base_year, target_year)}
        for y in range(base_year, target_year + 1)]

    if tg is None:
        return _finish_tracked(result, ind, deciding, lang)
    if tg.every_year:
        return _finish_every_year(result, ind, plan, deciding, base_year, year, settings, lang)
    if ind.kind == TargetKind.average_annual_growth:
        return _finish_average_growth(result, ind, deciding, base_year, target_year, settings, lang)
    if not deciding:
        return _no_data(result, ind, cands, other, base_year, year, lang)

    latest_year = max(c["year"] for c in deciding)
    chosen, conflicts = _pick([c for c in deciding if c["year"] == latest_year])
    if target_year is None or (baseline is None and ind.kind != TargetKind.cumulative_change):
        code = "undated_target" if target_year is None else "no_baseline"
        prog = assess_without_pace(ind, latest_year, chosen["value"], chosen["qualifier"], settings, code,
                                   target_year=target_year, base_year=base_year)
    else:
        prog = assess_progress(ind, baseline, latest_year, chosen["value"], chosen["qualifier"], settings,
                               base_year=base_year, baseline_qualifier=baseline_qualifier, target_year=target_year)
    _set_progress(result, ind, prog, lang)
    result.update(
        actual_text=chosen["sources"][0].get("value_text") if chosen["derivation"] is None else None,
        actual=chosen["value"], actual_assessed=prog.actual,  # shown as published; the interval decides
        actual_published=chosen["value"],
        qualifier=chosen["qualifier"],
        actual_derivation=chosen["derivation"],
        actual_transform=chosen["transform"],
        actual_series=chosen["series"],
        actual_observation_status=chosen["status"],
        sources=chosen["sources"],
        conflicts=[_evidence_record(c, "按选用规则未采用 / not selected by the selection rule", lang)
                   for c in conflicts],
    )
    return result


def _set_progress(result: dict, ind: Indicator, prog, lang: str, **reason_kw) -> None:
    result.update(prog.as_dict())
    result.update(
        status_label=status_label(prog.status, lang),
        status_if_high_label=status_label(prog.status_if_high, lang) if prog.status_if_high else None,
        status_words=status_words(prog.status, prog.status_definite, prog.status_if_high, lang),
        binding_alert=ind.nature.value == "binding" and prog.status in ("behind", "seriously_behind", "not_met"),
        reason=reason_text(prog.reason_code, lang, **reason_kw),
    )


def _one_story(i: dict, ind: Indicator, plan: Plan, settings: Settings) -> None:
    """The published value's interval (for the status only) and THE projection to the target year,
    the one the final evaluation reads too (final.projection_for): `projected` is its value."""
    if i.get("actual") is not None and i.get("qualifier"):
        iv = interval_for(i["actual"], i["qualifier"], settings["near_epsilon"])
        i["actual_low"] = iv.low if math.isfinite(iv.low) else None
        i["actual_high"] = iv.high if math.isfinite(iv.high) else None
    if i.get("projected") is None or i.get("data_year") is None or ind.target is None:
        return
    target_year = ind.target.year if ind.target.year is not None else plan.plan.target_year
    proj = projection_for(i, ind, target_year, settings)
    i["projection"] = None if proj is None else {k: proj[k] for k in ("year", "value", "low", "high", "method",
                                                                      "basis", "points")}
    if proj is not None:
        i["projected"] = proj["value"]
    elif i["data_year"] < target_year:
        i["projected"] = None  # too few points: no number rather than a second method's number


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


def _skeleton(ind: Indicator, plan: Plan, baseline_info: dict, lang: str) -> dict:
    tg = ind.target
    return {
        "id": ind.id, "name": ind.name, "name_en": ind.name_en,
        "category": ind.category, "category_name": plan.category_name(ind.category, lang),
        "nature": ind.nature.value, "nature_label": _label(NATURE_LABELS[ind.nature.value], lang),
        "binding": ind.nature.value == "binding",
        "unit": ind.unit, "kind": ind.kind.value, "direction": ind.direction.value,
        "price_basis": ind.price_basis.value, "path_shape": ind.path_shape.value,
        "section": ind.section, "lead_department": ind.lead_department, "target_source": ind.source,
        "baseline": baseline_info,
        "target": None if tg is None else {
            "year": tg.year, "value": tg.value, "comparator": tg.comparator.value, "upper": tg.upper,
            "every_year": tg.every_year, "text": tg.text, "tolerance": tg.tolerance,
            "display": target_display(tg, lang)},
        "stated_growth": ind.stated_growth.model_dump(mode="json") if ind.stated_growth else None,
        "status": "no_comparable_data", "status_label": status_label("no_comparable_data", lang),
        "status_definite": True, "status_if_high": None, "status_if_high_label": None,
        "status_words": status_label("no_comparable_data", lang),
        "binding_alert": False, "deterioration": False, "data_year": None,
        "actual": None, "actual_text": None, "qualifier": None, "actual_derivation": None,
        "actual_assessed": None, "actual_low": None, "actual_high": None, "projection": None,
        "planned": None, "time_elapsed": None, "completion": None, "observed_growth": None,
        "planned_growth": None, "growth_ratio": None, "required_growth": None, "projected": None, "gap": None,
        "sources": [], "conflicts": [], "method": None, "reason": None, "reason_code": None,
    }


def _no_data(result, ind, cands, other, base_year, year, lang) -> dict:
    comparable = [c for c in cands if c["comparability"] == "comparable"]
    if any(c["year"] > year for c in comparable) and not any(c["year"] <= year for c in comparable if c["year"] > base_year):
        code = "before_year"
    elif comparable and all(c["year"] <= base_year for c in comparable):
        code = "only_base_year"
    elif comparable:
        code = "not_deciding"
    elif other:
        code = "only_other_evidence"
    else:
        code = "no_data"
    result["reason_code"] = code
    result["reason"] = reason_text(code, lang)
    result["binding_alert"] = ind.nature.value == "binding"
    return result


def _chosen_by_year(deciding: list[dict]) -> dict[int, dict]:
    return {y: _pick([c for c in deciding if c["year"] == y])[0] for y in sorted({c["year"] for c in deciding})}


def _set_actual(result: dict, chosen: dict) -> None:
    result.update(
        data_year=chosen["year"], actual=chosen["value"], actual_published=chosen["value"],
        qualifier=chosen["qualifier"], actual_derivation=chosen["derivation"],
        actual_text=chosen["sources"][0].get("value_text") if chosen["derivation"] is None and chosen["sources"] else None,
        actual_transform=chosen["transform"], actual_series=chosen["series"],
        actual_observation_status=chosen["status"], sources=chosen["sources"],
    )


def _finish_tracked(result, ind, deciding, lang) -> dict:
    """An indicator without a target: its latest value and trend, never a status of progress."""
    result.update(status="tracked", status_label=status_label("tracked", lang), reason_code="no_target",
                  reason=reason_text("no_target", lang), method="仅监测：最新值与趋势")
    by_year = _chosen_by_year(deciding)
    if not by_year:
        return result
    last = max(by_year)
    _set_actual(result, by_year[last])
    prev = [y for y in by_year if y < last]
    if prev:
        y0 = max(prev)
        a, z = by_year[y0]["value"], by_year[last]["value"]
        result["trend"] = {
            "from_year": y0, "from_value": a, "to_year": last, "to_value": z, "change": z - a,
            "change_per_year": (z - a) / (last - y0),
            "growth_per_year": (z / a) ** (1 / (last - y0)) - 1 if a > 0 and z > 0 else None,
        }
    return result


def _finish_every_year(result, ind, plan, deciding, base_year, year, settings, lang) -> dict:
    """保持…以上: each year of the period so far is checked; a failing year is named."""
    by_year = _chosen_by_year(deciding)
    end = ind.target.year if ind.target.year is not None else plan.plan.target_year
    years = list(range(base_year + 1, min(year, end) + 1))
    if not by_year or not years:
        code = "no_data" if not by_year else "only_base_year"
        result.update(reason_code=code, reason=reason_text(code, lang), binding_alert=ind.nature.value == "binding")
        return result
    values = {y: (c["value"], c["qualifier"]) for y, c in by_year.items()}
    prog, detail = assess_every_year(ind, values, years, complete=year >= end, settings=settings)
    names = {"every_year_failed": detail["failed_years"], "every_year_unsure": detail["unsure_years"],
             "every_year_missing": detail["missing_years"]}
    _set_progress(result, ind, prog, lang, **({"years": names[prog.reason_code]} if prog.reason_code else {}))
    chosen = by_year[prog.data_year]
    _set_actual(result, chosen)
    result["actual_assessed"] = prog.actual
    result["every_year"] = {"checked": {str(y): ok for y, ok in detail["years"].items()}, **{
        k: detail[k] for k in ("failed_years", "unsure_years", "missing_years")}}
    return result


def _finish_average_growth(result, ind, deciding, base_year, target_year, settings, lang) -> dict:
    rates = {y: c["value"] for y, c in _chosen_by_year(deciding).items()}
    if not rates:
        result["reason_code"] = "no_data"
        result["reason"] = reason_text("no_data", lang)
        result["binding_alert"] = ind.nature.value == "binding"
        return result
    try:
        prog = assess_average_growth(ind, rates, settings, base_year=base_year, target_year=target_year)
    except ValueError:
        have = [y for y in rates if y > base_year]
        missing = [y for y in range(base_year + 1, max(have, default=base_year + 1) + 1) if y not in rates]
        result["reason_code"] = "average_growth_gap"
        result["reason"] = reason_text("average_growth_gap", lang, years=missing)
        result["binding_alert"] = ind.nature.value == "binding"
        return result
    _set_progress(result, ind, prog, lang)
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


def assess_clusters(plan: Plan, obs: pd.DataFrame | AnnualIndex, links: pd.DataFrame | dict[str, list[dict]],
                    year: int, lang: str = "zh") -> list[dict]:
    """Latest published scale of each cluster against its scale target (no status: the plan
    gives only an order of magnitude, 万亿级 …, and published cluster figures change definition)."""
    out = []
    region = plan.regions.whole_code if plan.regions else "500000"
    obs = annual_index(obs)
    links = links if isinstance(links, dict) else links_by_indicator(links)
    for cl in plan.clusters:
        evidence = []
        for lk in links.get(f"cluster:{cl.id}", []):
            best, _ = select_best_records([r for r in obs.all_industries(lk["series"], region) if r["year"] <= year])
            for r in best:
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
    return assess_plan_languages(plan, obs, links, year, settings, (lang,), as_of)[lang]


def assess_plan_languages(
    plan: Plan,
    obs: pd.DataFrame,
    links: pd.DataFrame,
    year: int | None = None,
    settings: Settings | None = None,
    langs: tuple[str, ...] = ("zh", "en"),
    as_of: str | None = None,
) -> dict[str, dict]:
    """`assess_plan` in several languages at once: {lang: result}. Statuses, values and evidence
    do not depend on the language (only labels and texts do), so the data are indexed and every
    link's candidates computed once; each result equals `assess_plan(..., lang=lang)`. The results
    share their evidence records (sources, derivations): treat them as read-only."""
    settings = settings or Settings()
    finite, ignored = _drop_nonfinite(obs, langs[0])
    if year is None:
        years = finite.loc[finite["period_type"] == "year", "year"] if not finite.empty else pd.Series(dtype=int)
        year = min(int(years.max()), plan.plan.target_year) if len(years) else plan.plan.base_year
    index, by_indicator = AnnualIndex(finite), links_by_indicator(links)  # once for every indicator
    evidence: dict = {}
    return {lang: _assess_plan(plan, ignored if lang == langs[0] or not ignored else _drop_nonfinite(obs, lang)[1],
                               index, by_indicator, year, settings, lang, as_of, evidence) for lang in langs}


def _assess_plan(plan: Plan, ignored: list[dict], index: AnnualIndex,
                 by_indicator: dict[str, list[dict]], year: int, settings: Settings, lang: str, as_of: str | None,
                 evidence: dict) -> dict:
    indicators = [assess_indicator(ind, plan, index, by_indicator, year, settings, lang, evidence)
                  for ind in plan.indicators]
    by_id = {ind.id: ind for ind in plan.indicators}
    for i in indicators:
        _one_story(i, by_id[i["id"]], plan, settings)
    if as_of:
        for i in indicators:  # values may exist but were not yet released on that date: say so
            if i["reason_code"] == "no_data":
                i.update(reason_code="not_released", reason=reason_text("not_released", lang, as_of=str(as_of)[:10]))
    evaluation = evaluation_kind(year, plan.plan.target_year)
    for i in indicators:
        i["final"] = (final_evaluation(i, by_id[i["id"]], plan.plan.target_year, settings, lang)
                      if evaluation["kind"] == "final" else None)
        if i["final"] is not None:  # no mid-term wording in a final evaluation; the pace label stays available
            i["pace_status_label"] = i["status_label"]
            i["status_label"] = i["final"]["label"]
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
        "evaluation": evaluation,
        "as_of": as_of,
        "lang": lang,
        "settings": dict(settings),
        "summary": {
            "counts": {s: counts.get(s, 0) for s in STATUSES},
            "binding_behind": [i["id"] for i in indicators if i["binding_alert"]],
            "ignored_values": ignored,
            **(final_summary(indicators) if evaluation["kind"] == "final" else {}),
        },
        "indicators": indicators,
        "clusters": assess_clusters(plan, index, by_indicator, year, lang),
    }
