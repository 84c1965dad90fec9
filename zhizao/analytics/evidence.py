"""Turn observations into annual values in an indicator's own terms, through its links.

A link says how a series informs an indicator (shared/design/data-model.md):
- `identity`: the series is the indicator's measure (a series named by the indicator id always is);
- `derived_ratio`: numerator ÷ denominator × scale, each input converted to its declared unit;
- `chain_real_growth`: a constant-price level, the baseline chained with real growth rates (%);
- `chain_annual_changes`: a cumulative change compounded from annual changes (%);
- `cumulative_from_levels`: a cumulative change from a level series: L_t / L_base − 1.
Only links marked `comparable` may decide a status; the others come back as labelled evidence.
Pure functions: data frames in, lists of dicts out.
"""
from __future__ import annotations

import math
from typing import Any

import pandas as pd

from zhizao.analytics.selection import GRADE_RANK, select_best
from zhizao.ingest.units import UnitError, convert
from zhizao.plan.spec import Indicator, PriceBasis, TargetKind

WORST_QUALIFIER_FREE = "exact"


def source_record(row: pd.Series | dict, role: str) -> dict:
    g = (lambda k: row.get(k) if hasattr(row, "get") else None)
    return {
        "title": _clean(g("source_title")),
        "publisher": _clean(g("publisher")),
        "url": _clean(g("source_url")),
        "grade": _clean(g("grade")) or "none",
        "published": _date(g("published")),
        "accessed": _date(g("accessed")),
        "quote": _clean(g("quote")),
        "observation_status": _clean(g("status")),
        "vintage": _date(g("vintage")),
        "series": _clean(g("series")),
        "period": _clean(g("period_key")),
        "value_text": _clean(g("value_text")),
        "unit": _clean(g("unit")),
        "role": role,
    }


def _clean(v: Any) -> Any:
    if v is None:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return v.item() if hasattr(v, "item") else v


def _date(v: Any) -> str | None:
    v = _clean(v)
    if v is None:
        return None
    return str(v)[:10]


def annual_rows(obs: pd.DataFrame, series: str, region: str) -> pd.DataFrame:
    """All annual observations of one series for one region (whole industry)."""
    if obs.empty:
        return obs
    m = (obs["series"] == series) & (obs["region"] == region) & (obs["period_type"] == "year")
    m &= obs["industry"].isin(["ALL", ""]) | obs["industry"].isna()
    return obs[m]


def _worst_grade(grades: list[str]) -> str:
    return max((g or "none" for g in grades), key=lambda g: GRADE_RANK.get(g, 4))


def _combined_qualifier(quals: list[str]) -> str:
    quals = [q for q in quals if q != "exact"]
    if not quals:
        return "exact"
    return quals[0] if len(set(quals)) == 1 else "about"


def _latest_vintage(vintages: list) -> str | None:
    vs = [_date(v) for v in vintages if _date(v)]
    return max(vs) if vs else None


def candidates_for_link(
    ind: Indicator, link: dict, obs: pd.DataFrame, baseline: float | None, base_year: int, region: str
) -> list[dict]:
    """Annual candidate values for `ind` from one link, each with its sources and derivation."""
    transform = link.get("transform") or "identity"
    region = link.get("region") or region
    out: list[dict] = []
    if transform == "identity":
        rows = annual_rows(obs, link["series"], region)
        for _, r in rows.iterrows():
            try:
                value = convert(float(r["value"]), r["unit"], ind.unit)
            except UnitError as e:
                out.append(_unusable(ind, link, r, f"单位无法换算 / unit not convertible: {e}"))
                continue
            out.append(_candidate(link, int(r["year"]), value, r["qualifier"], r["status"], r.get("grade"),
                                  r.get("vintage"), [source_record(r, "actual")], None, r.get("price_basis"),
                                  obs_ids=[int(r["obs_id"])]))
    elif transform == "derived_ratio":
        num, _ = select_best(annual_rows(obs, link["numerator"], region), ["period_key"])
        den, _ = select_best(annual_rows(obs, link["denominator"], region), ["period_key"])
        dens = {int(r["year"]): r for _, r in den.iterrows()}
        for _, n in num.iterrows():
            d = dens.get(int(n["year"]))
            if d is None:
                continue
            try:
                nv = convert(float(n["value"]), n["unit"], link.get("numerator_unit") or n["unit"])
                dv = convert(float(d["value"]), d["unit"], link.get("denominator_unit") or d["unit"])
            except UnitError:
                continue
            if dv == 0:
                continue
            scale = link.get("scale")
            scale = 1.0 if scale is None or (isinstance(scale, float) and math.isnan(scale)) else float(scale)
            value = nv / dv * scale
            formula = f"{link['numerator']} ÷ {link['denominator']}" + (f" × {scale:g}" if scale != 1 else "")
            deriv = {
                "formula": formula,
                "inputs": [
                    {"role": "numerator", "series": link["numerator"], "value": nv,
                     "unit": link.get("numerator_unit") or n["unit"], "value_text": _clean(n.get("value_text"))},
                    {"role": "denominator", "series": link["denominator"], "value": dv,
                     "unit": link.get("denominator_unit") or d["unit"], "value_text": _clean(d.get("value_text"))},
                ],
            }
            # A ratio of a lower bound and an exact number is still a lower bound; mixed → about.
            qual = _ratio_qualifier(n["qualifier"], d["qualifier"])
            status = "final" if n["status"] == d["status"] == "final" else "preliminary"
            out.append(_candidate(link, int(n["year"]), value, qual, status,
                                  _worst_grade([n.get("grade"), d.get("grade")]),
                                  _latest_vintage([n.get("vintage"), d.get("vintage")]),
                                  [source_record(n, "numerator"), source_record(d, "denominator")], deriv,
                                  n.get("price_basis"), obs_ids=[int(n["obs_id"]), int(d["obs_id"])]))
    elif transform in ("chain_real_growth", "chain_annual_changes"):
        rows, _ = select_best(annual_rows(obs, link["series"], region), ["period_key"])
        by_year = {int(r["year"]): r for _, r in rows.iterrows()}
        if transform == "chain_real_growth" and baseline is None:
            return out
        level = baseline if transform == "chain_real_growth" else 1.0
        used: list = []
        y = base_year + 1
        while y in by_year:  # chaining stops at the first missing year: no interpolation
            r = by_year[y]
            level *= 1 + float(r["value"]) / 100.0
            used.append(r)
            value = level if transform == "chain_real_growth" else 100.0 * (level - 1)
            deriv = {
                "formula": ("基期值 × Π(1 + 实际增速)" if transform == "chain_real_growth"
                            else "Π(1 + 年度变化率) − 1"),
                "base": baseline if transform == "chain_real_growth" else 0.0,
                "inputs": [{"year": int(u["year"]), "series": link["series"], "value": float(u["value"]),
                            "unit": "%", "value_text": _clean(u.get("value_text"))} for u in used],
            }
            out.append(_candidate(link, y, value, _combined_qualifier([u["qualifier"] for u in used]),
                                  "final" if all(u["status"] == "final" for u in used) else "preliminary",
                                  _worst_grade([u.get("grade") for u in used]),
                                  _latest_vintage([u.get("vintage") for u in used]),
                                  [source_record(u, "growth") for u in used], deriv,
                                  "constant" if transform == "chain_real_growth" else None,
                                  obs_ids=[int(u["obs_id"]) for u in used]))
            y += 1
    elif transform == "cumulative_from_levels":
        rows, _ = select_best(annual_rows(obs, link["series"], region), ["period_key"])
        by_year = {int(r["year"]): r for _, r in rows.iterrows()}
        base = by_year.get(base_year)
        if base is not None and float(base["value"]) > 0:
            for y, r in sorted(by_year.items()):
                if y <= base_year:
                    continue
                value = 100.0 * (float(r["value"]) / float(base["value"]) - 1)
                deriv = {"formula": f"{link['series']}(t) ÷ {link['series']}({base_year}) − 1",
                         "inputs": [{"year": base_year, "value": float(base["value"])},
                                    {"year": y, "value": float(r["value"])}]}
                out.append(_candidate(link, y, value, _combined_qualifier([base["qualifier"], r["qualifier"]]),
                                      "final" if base["status"] == r["status"] == "final" else "preliminary",
                                      _worst_grade([base.get("grade"), r.get("grade")]),
                                      _latest_vintage([base.get("vintage"), r.get("vintage")]),
                                      [source_record(base, "base"), source_record(r, "actual")], deriv,
                                      r.get("price_basis"), obs_ids=[int(base["obs_id"]), int(r["obs_id"])]))
    return out


def _ratio_qualifier(qn: str, qd: str) -> str:
    if qd == "exact":
        return qn
    return "about" if qn == "exact" or qn != qd else "about"


def _candidate(link, year, value, qualifier, status, grade, vintage, sources, derivation, price_basis,
               obs_ids) -> dict:
    return {
        "series": link.get("series") or f"{link.get('numerator')} ÷ {link.get('denominator')}",
        "transform": link.get("transform") or "identity",
        "comparability": link.get("comparability", "comparable"),
        "link_note": _clean(link.get("note")),
        "year": year,
        "value": float(f"{float(value):.12g}"),  # drop float noise such as -2.0000000000000018
        "qualifier": qualifier or "exact",
        "status": status,
        "grade": _clean(grade) or "none",
        "vintage": _date(vintage),
        "price_basis": _clean(price_basis),
        "sources": sources,
        "derivation": derivation,
        "obs_ids": obs_ids,
        "usable": True,
        "unusable_reason": None,
    }


def _unusable(ind, link, r, reason) -> dict:
    c = _candidate(link, int(r["year"]), float(r["value"]), r["qualifier"], r["status"], r.get("grade"),
                   r.get("vintage"), [source_record(r, "actual")], None, r.get("price_basis"),
                   obs_ids=[int(r["obs_id"])])
    c.update(usable=False, unusable_reason=reason)
    return c


def price_basis_conflict(ind: Indicator, cand: dict) -> str | None:
    """A constant-price target is never compared with a current-price level (plan 专栏1 注2)."""
    if ind.price_basis != PriceBasis.constant or ind.kind == TargetKind.cumulative_change:
        return None
    if cand["transform"] == "chain_real_growth":
        return None
    if cand.get("price_basis") != "constant":
        return "现价（当年价）数值不能与不变价目标比较 / a current-price level is not comparable with a constant-price target"
    return None
