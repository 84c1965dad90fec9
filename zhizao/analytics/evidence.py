"""Turn observations into annual values in an indicator's own terms, through its links.

A link says how a series informs an indicator (docs/data-import.md §Links (YAML)):
- `identity`: the series is the indicator's measure (a series named by the indicator id always is);
- `derived_ratio`: numerator ÷ denominator × scale, each input converted to its declared unit;
- `chain_real_growth`: a constant-price level, the baseline chained with real growth rates (%);
- `chain_annual_changes`: a cumulative change compounded from annual changes (%);
- `cumulative_from_levels`: a cumulative change from a level series: L_t / L_base − 1.
Only links marked `comparable` may decide a status; the others come back as labelled evidence.
The basis of each value (level, change on the previous year, cumulative, average, stock) decides
what it may stand for (zhizao.analytics.basis); a value it cannot use comes back unusable with
the reason, never dropped. Pure functions: data frames in, lists of dicts out.

Speed (issue 11): an assessment asks for the rows of ~150 links. `AnnualIndex` splits the annual
whole-industry observations by (series, region) once, as plain dicts (the values DataFrame.iterrows
gives), so a link's rows are a lookup and no pandas object is built per row.
"""
from __future__ import annotations

import math
from typing import Any

import pandas as pd

from zhizao.analytics import basis as B
from zhizao.analytics.selection import GRADE_RANK, select_best_records
from zhizao.ingest.basis import basis_label
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
        # when the value became known; assumed (from its period, publication or import) when no vintage is known
        "known_since": _date(g("known_since")),
        "vintage_assumed": bool(_clean(g("vintage_assumed"))) if _clean(g("vintage_assumed")) is not None else None,
        "series": _clean(g("series")),
        "period": _clean(g("period_key")),
        "value_text": _clean(g("value_text")),
        "unit": _clean(g("unit")),
        "role": role,
        **_basis_fields(row),
    }


def _basis_fields(row) -> dict:
    basis, start = B.row_basis(row)
    out = {"basis": basis, "basis_from": start,
           "basis_label": f"{basis_label(basis, start, 'zh')} / {basis_label(basis, start, 'en')}"}
    if basis == B.STOCK:
        out["basis_note"] = B.stock_note(start)
    return out


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


class AnnualIndex:
    """The annual observations by (series, region), each row a dict, in the frame's order."""

    def __init__(self, obs: pd.DataFrame | None):
        self._all: dict[tuple, list[dict]] = {}
        self._whole: dict[tuple, list[dict]] = {}
        if obs is None or obs.empty:
            return
        year = obs["period_type"] == "year"
        sub = obs[year]
        whole = (obs["industry"].isin(["ALL", ""]) | obs["industry"].isna())[year]
        cols = list(sub.columns)
        # one object array: the values iterrows would give
        for values, is_whole in zip(sub.values, whole.to_numpy(dtype=bool)):
            r = dict(zip(cols, values))
            key = (r["series"], r["region"])
            self._all.setdefault(key, []).append(r)
            if is_whole:
                self._whole.setdefault(key, []).append(r)

    def rows(self, series: str, region: str) -> list[dict]:
        """All annual observations of one series for one region (whole industry)."""
        return self._whole.get((series, region), [])

    def all_industries(self, series: str, region: str) -> list[dict]:
        """All annual observations of one series for one region, of any industry."""
        return self._all.get((series, region), [])


def annual_index(obs: "pd.DataFrame | AnnualIndex") -> AnnualIndex:
    return obs if isinstance(obs, AnnualIndex) else AnnualIndex(obs)


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


def uses_baseline(link: dict) -> bool:
    """Whether a link's candidates depend on the baseline (only a chain of real growth rates does)."""
    return (link.get("transform") or "identity") == "chain_real_growth"


def candidates_for_link(
    ind: Indicator, link: dict, obs: pd.DataFrame | AnnualIndex, baseline: float | None, base_year: int,
    region: str, up_to: int | None = None,
) -> list[dict]:
    """Annual candidate values for `ind` from one link, each with its sources and derivation.
    `up_to` (the evaluation year) keeps later values out of what is derived for earlier years.
    `obs`: the observations, or their AnnualIndex (built once for many links)."""
    obs = annual_index(obs)
    transform = link.get("transform") or "identity"
    region = link.get("region") or region
    out: list[dict] = []
    if transform == "identity":
        out += _identity(ind, link, obs.rows(link["series"], region), base_year, up_to)
    elif transform == "derived_ratio":
        num_rows = _inputs(link, obs.rows(link["numerator"], region), transform, out)
        den_rows = _inputs(link, obs.rows(link["denominator"], region), transform, out)
        num, _ = select_best_records(num_rows)
        den, _ = select_best_records(den_rows)
        dens = {int(r["year"]): r for r in den}
        for n in num:
            d = dens.get(int(n["year"]))
            if d is None:
                continue
            try:
                nv = convert(float(n["value"]), n["unit"], link.get("numerator_unit") or n["unit"])
                dv = convert(float(d["value"]), d["unit"], link.get("denominator_unit") or d["unit"])
            except UnitError as e:
                # Never nothing: the ratio is listed with why it could not be formed.
                out.append(_unusable(ind, link, n, f"派生比率的输入单位与关联声明的单位不符，无法换算（{e.reason_zh}）；"
                                     f"请改正关联文件中的 numerator_unit / denominator_unit / unit mismatch in a "
                                     f"derived ratio: {e.reason_en}; correct numerator_unit / denominator_unit in "
                                     "the links file", value=None, sources=[source_record(n, "numerator"),
                                                                            source_record(d, "denominator")]))
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
        rows, _ = select_best_records(_inputs(link, obs.rows(link["series"], region), transform, out))
        by_year = {int(r["year"]): r for r in rows}
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
        rows, _ = select_best_records(_inputs(link, obs.rows(link["series"], region), transform, out))
        by_year = {int(r["year"]): r for r in rows}
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


def _inputs(link: dict, rows: list[dict], transform: str, out: list[dict]) -> list[dict]:
    """The rows whose basis the derived link can use; the others are listed unusable in `out`."""
    keep = []
    for r in rows:
        reason = B.input_reason(transform, *B.row_basis(r))
        if reason is None:
            keep.append(r)
        else:
            out.append(_unusable(None, link, r, reason, value=None))
    return keep


def _identity(ind: Indicator, link: dict, rows: list[dict], base_year: int, up_to: int | None) -> list[dict]:
    """Candidates from a series that is the indicator's measure, by the basis of each value."""
    out: list[dict] = []
    changes, averages, annual = [], [], []
    for r in rows:
        basis, start = B.row_basis(r)
        if ind.kind == TargetKind.cumulative_change and basis == B.CHANGE:
            changes.append(r)  # compounded below
            continue
        reason = B.identity_reason(ind.kind, basis, start, base_year)
        if reason is not None:
            out.append(_unusable(ind, link, r, reason))
            continue
        if ind.kind == TargetKind.average_annual_growth and basis == B.AVERAGE:
            averages.append(r)  # fills years without an annual rate, below
            continue
        try:
            value = convert(float(r["value"]), r["unit"], ind.unit)
        except UnitError as e:
            out.append(_unusable(ind, link, r, f"单位无法换算 / unit not convertible: {e}"))
            continue
        annual.append(r)
        out.append(_candidate(link, int(r["year"]), value, r["qualifier"], r["status"], r.get("grade"),
                              r.get("vintage"), [source_record(r, "actual")], None, r.get("price_basis"),
                              obs_ids=[int(r["obs_id"])]))
    if changes:
        out += _compounded(ind, link, changes, base_year)
    if averages:
        out += _from_average(ind, link, averages, annual, base_year, up_to)
    return out


def _compounded(ind: Indicator, link: dict, rows: list[dict], base_year: int) -> list[dict]:
    """A cumulative change since the base year from annual changes: (1 + r₁)(1 + r₂)… − 1."""
    out: list[dict] = []
    best, _ = select_best_records(rows)
    by_year = {int(r["year"]): r for r in best}
    chain = B.consecutive_from(by_year, base_year + 1)
    for y, r in sorted(by_year.items()):
        if y in chain or y <= base_year:
            if y <= base_year:
                out.append(_unusable(ind, link, r, f"基期及以前的比上年变化不计入自{base_year}年起的累计 / an annual "
                                     f"change up to the base year is not part of the change since {base_year}"))
            continue
        gap = next(g for g in range(base_year + 1, y) if g not in by_year)
        out.append(_unusable(ind, link, r, f"缺少{gap}年的比上年变化，无法累计到{y}年 / the annual change of {gap} "
                             f"is missing, so the changes cannot be compounded to {y}"))
    if str(rows[0]["unit"]).strip() != "%":
        return out + [_unusable(ind, link, by_year[y], "比上年变化不是百分比，无法连乘 / the annual changes are "
                                "not percentages and cannot be compounded") for y in chain]
    used: list = []
    for y in chain:
        used.append(by_year[y])
        value = B.compound_changes([float(u["value"]) for u in used])
        deriv = {"formula": "Π(1 + 比上年变化率) − 1 / Π(1 + annual change) − 1", "base": 0.0,
                 "inputs": [{"year": int(u["year"]), "series": link["series"], "value": float(u["value"]),
                             "unit": "%", "value_text": _clean(u.get("value_text")),
                             "basis": "change_on_previous_year"} for u in used]}
        cand = _candidate(link, y, value, _combined_qualifier([u["qualifier"] for u in used]),
                          "final" if all(u["status"] == "final" for u in used) else "preliminary",
                          _worst_grade([u.get("grade") for u in used]),
                          _latest_vintage([u.get("vintage") for u in used]),
                          [source_record(u, "annual_change") for u in used], deriv, None,
                          obs_ids=[int(u["obs_id"]) for u in used])
        cand["transform"] = "chain_annual_changes"  # derived, so a published cumulative value wins
        out.append(cand)
    return out


def _from_average(ind: Indicator, link: dict, averages: list[dict], annual: list[dict], base_year: int,
                  up_to: int | None) -> list[dict]:
    """Average-growth targets: an average since the base year gives the rate of the years that have
    no annual rate (so that the product of the rates equals the average's); annual rates are never
    replaced. Only the latest average up to the evaluation year is used."""
    out: list[dict] = []
    best, others = select_best_records(averages)
    usable = [r for r in best if r["year"] <= up_to] if up_to is not None else best
    # the first of the latest (as idxmax)
    chosen = max(usable, key=lambda r: r["year"]) if usable else None
    for r in best + others:
        if chosen is not None and int(r["obs_id"]) == int(chosen["obs_id"]):
            continue
        why = ("评估年份之后的期间年均值 / a period average after the evaluation year"
               if up_to is not None and int(r["year"]) > up_to else
               "已采用更晚或更优的期间年均值 / a later or better period average is used")
        out.append(_unusable(ind, link, r, why))
    if chosen is None:
        return out
    year = int(chosen["year"])
    known_rows = {int(r["year"]): r for r in select_best_records(annual)[0]}
    known = {y: float(r["value"]) for y, r in known_rows.items() if base_year < y <= year}
    filled = B.implied_rates(float(chosen["value"]), base_year, year, known)
    if not filled:
        out.append(_unusable(ind, link, chosen, "逐年增速齐全，按逐年增速判断；期间年均值仅作对照 / every year has "
                             "an annual rate, which decides; the period average is shown for comparison"))
        return out
    used_known = [known_rows[y] for y in sorted(known)]
    n, m = year - base_year, len(filled)
    for y, rate in sorted(filled.items()):
        deriv = {"formula": f"((1 + 年均)^{n} ÷ Π(1 + 已知年增速))^(1/{m}) − 1 / implied by the average "
                            f"{base_year + 1}–{year} and the known annual rates",
                 "inputs": [{"year": year, "series": link["series"], "value": float(chosen["value"]), "unit": "%",
                             "value_text": _clean(chosen.get("value_text")), "basis": "average_over",
                             "basis_from": str(base_year)}]
                 + [{"year": int(u["year"]), "series": link["series"], "value": float(u["value"]), "unit": "%",
                     "value_text": _clean(u.get("value_text"))} for u in used_known]}
        rows = [chosen, *used_known]
        cand = _candidate(link, y, rate, chosen["qualifier"], chosen["status"],
                          _worst_grade([u.get("grade") for u in rows]), _latest_vintage([u.get("vintage") for u in rows]),
                          [source_record(chosen, "average")] + [source_record(u, "annual_rate") for u in used_known],
                          deriv, chosen.get("price_basis"), obs_ids=[int(u["obs_id"]) for u in rows])
        cand["transform"] = "average_over"
        out.append(cand)
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
        "value": None if value is None else float(f"{float(value):.12g}"),  # drop float noise (-2.0000000000000018)
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


_KEEP = object()


def _unusable(ind, link, r, reason, value=_KEEP, sources=None) -> dict:
    """A value listed with why it cannot decide. `value=None` for an input of a derived link (its
    number is not in the indicator's terms)."""
    c = _candidate(link, int(r["year"]), float(r["value"]) if value is _KEEP else value, r["qualifier"],
                   r["status"], r.get("grade"), r.get("vintage"), sources or [source_record(r, "actual")], None,
                   r.get("price_basis"), obs_ids=[int(r["obs_id"])])
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
