"""Reference values for the next plan (“十五五” drafting): trend extrapolation with an interval.

Pure: (plan, assessment result, plan in force, years) → (plan-file skeleton as YAML, table). The
observed path is the assessment's own selection (its `history` rows marked `chosen`), never a
second selection rule. Method and basis: docs/methodology.md §Reference values for the next plan.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd
import yaml
from scipy import stats

from zhizao.plan.lint import _growth_consistency as stated_growth_findings  # the lint's own check
from zhizao import formatting, labels
from zhizao.analytics.final import nonnegative
from zhizao.analytics.progress import target_display
from zhizao.plan.lint import lint_plan
from zhizao.plan.spec import Direction, GrowthUnit, Indicator, PathShape, Plan, Point, Target, TargetKind

MIN_POINTS = 3
LEVEL = 0.8  # two-sided prediction interval: the usual fan-chart band for planning projections
Z_LEVEL = 1.2816  # the normal quantile of LEVEL, for the two-point random walk (final.project uses Z90)
MIN_STEP = 0.02  # least yearly relative step of that random walk: projection_min_volatility's default
BOUNDS = {"more_than": "at_least", "at_least": "at_least", "at_most": "at_most", "less_than": "at_most"}
COLUMNS = ["indicator", "name", "unit", "kind", "latest_year", "latest_value", "latest_qualifier", "reference_value",
           "reference_bound", "low", "high", "method", "in_force_plan", "in_force_target", "in_force_year",
           "in_force_match", "stated_growth_check", "note"]
PLACEHOLDER = ("参考值（待定）", "reference value (to be decided)")
METHODS = {  # code → (zh, en)
    "log_linear": ("对数线性趋势", "log-linear trend"),
    "linear": ("线性趋势", "linear trend"),
    "cumulative": ("年均变化率外推（对数线性）", "annual rate of change, log-linear"),
    "cagr": ("年均增速（几何平均）", "average annual growth (geometric mean)"),
    # the final evaluation's rules for thin or bounded data (final.projection_for, labels.PROJECTION_BASIS)
    "hold_latest": labels.PROJECTION_BASIS["hold_latest"],
    "bound": labels.PROJECTION_BASIS["bound"],
}


def _t(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


@dataclass(frozen=True)
class Reference:
    value: float | None
    low: float | None
    high: float | None
    method: str | None  # a METHODS code
    points: tuple[tuple[int, float], ...]
    reason: str | None = None  # why there is no value (zh / en joined later)
    reason_en: str | None = None
    bound: str | None = None  # at_least / at_most: the value is a bound held (BOUNDS), not an estimate


def _quantile(df: int) -> float:
    return float(stats.t.ppf(0.5 + LEVEL / 2, df))


def _ols(xs: list[float], ys: list[float], x0: float) -> tuple[float, float]:
    """(prediction at x0, its prediction standard error) of a least-squares line."""
    n = len(xs)
    xm, ym = sum(xs) / n, sum(ys) / n
    sxx = sum((x - xm) ** 2 for x in xs)
    slope = sum((x - xm) * (y - ym) for x, y in zip(xs, ys)) / sxx
    fit = ym + slope * (x0 - xm)
    resid = [y - (ym + slope * (x - xm)) for x, y in zip(xs, ys)]
    s2 = sum(r * r for r in resid) / (n - 2)
    return fit, math.sqrt(s2 * (1 + 1 / n + (x0 - xm) ** 2 / sxx))


def trend_reference(points: list[tuple[int, float]], method: str, to_year: int, *, start_year: int | None = None,
                    origin_year: int | None = None) -> Reference:
    """The value in `to_year` on the trend of `points` ((year, value), one per year), with an
    interval from the residual spread that widens with the horizon (OLS prediction interval, LEVEL).

    method: `log_linear` (levels, ratios: log value on year), `linear` (shares in percentage points,
    counts, indices), `cumulative` (points are cumulative changes in % since `origin_year`, where the
    change is 0; the reference is the change from `start_year` to `to_year`), `cagr` (points are
    annual growth rates in %; the reference is the average rate over `start_year` → `to_year`)."""
    pts = tuple(sorted(points))
    if not pts:
        return Reference(None, None, None, method, pts, "没有可比的年度数值，无从外推",
                         "no comparable annual value: nothing to extrapolate")
    if len(pts) == 2 and method in ("log_linear", "linear"):
        return _hold_latest(pts, method, to_year)
    if len(pts) < MIN_POINTS:
        period = method in ("cumulative", "cagr")
        return Reference(None, None, None, method, pts,
                         f"仅有{len(pts)}个可比年度数值，不足以推算{'新规划期的变化' if period else '参考值'}",
                         f"only {len(pts)} comparable annual value(s): too few to project "
                         f"{'the change over the new period' if period else 'a reference value'}")
    xs = [float(y) for y, _ in pts]
    if method == "cagr":
        logs = [math.log1p(v / 100) for _, v in pts]
        n, h = len(logs), max(to_year - (start_year or int(xs[-1])), 1)
        mean = sum(logs) / n
        sd = math.sqrt(sum((x - mean) ** 2 for x in logs) / (n - 1))
        half = _quantile(n - 1) * sd * math.sqrt(1 / n + 1 / h)  # estimate + the next h years' own noise
        return Reference(100 * math.expm1(mean), 100 * math.expm1(mean - half), 100 * math.expm1(mean + half),
                         method, pts)
    if method == "cumulative":
        if any(v <= -100 for _, v in pts):
            return Reference(None, None, None, method, pts, "累计变化不能低于−100%", "a cumulative change below −100 %")
        origin = origin_year if origin_year is not None else int(xs[0]) - 1
        xs2, ys2 = [float(origin)] + xs, [0.0] + [math.log1p(v / 100) for _, v in pts]
        start = start_year if start_year is not None else int(xs[-1])
        a, _ = _ols(xs2, ys2, start)
        b, se = _ols(xs2, ys2, to_year)
        q = _quantile(len(xs2) - 2)
        return Reference(100 * math.expm1(b - a), 100 * math.expm1(b - a - q * se),
                         100 * math.expm1(b - a + q * se), method, pts)
    if method == "log_linear":
        if any(v <= 0 for _, v in pts):  # logs need positive values: read linearly instead
            method = "linear"
        else:
            fit, se = _ols(xs, [math.log(v) for _, v in pts], to_year)
            q = _quantile(len(xs) - 2)
            return Reference(math.exp(fit), math.exp(fit - q * se), math.exp(fit + q * se), method, pts)
    fit, se = _ols(xs, [v for _, v in pts], to_year)
    q = _quantile(len(xs) - 2)
    return Reference(fit, fit - q * se, fit + q * se, "linear", pts)


def _hold_latest(pts: tuple, method: str, to_year: int) -> Reference:
    """Two values are one change, not a trend: the latest value held, the one change a random walk's
    yearly step (at least MIN_STEP), so the interval widens with √h — final.project's rule, at LEVEL."""
    (x0, v0), (x1, v1) = pts
    log = method == "log_linear" and v0 > 0 and v1 > 0
    y0, y1 = (math.log(v0), math.log(v1)) if log else (v0, v1)
    h = max(to_year - x1, 1)
    step = max(abs(y1 - y0) / max(x1 - x0, 1), MIN_STEP * (1 if log else max(abs(v1), 1e-9)))
    half = Z_LEVEL * step * math.sqrt(h)
    back = math.exp if log else (lambda y: y)
    return Reference(v1, back(y1 - half), back(y1 + half), "hold_latest", pts)


def bound_reference(latest: dict, points: list[tuple[int, float]]) -> Reference:
    """A latest value that is only a bound (超26,000) is not a point to fit: the bound held, no interval."""
    v = float(latest["value"])
    return Reference(v, None, None, "bound", tuple(points), None, None, BOUNDS[latest["qualifier"]])


def method_for(ind: Indicator) -> str:
    """Geometric indicators (levels, ratios, percent growth) trend in logs, linear ones in units
    or percentage points: the same shapes as the planned path (docs/methodology.md §2)."""
    if ind.kind == TargetKind.cumulative_change:
        return "cumulative"
    if ind.kind == TargetKind.average_annual_growth:
        return "cagr"
    return "log_linear" if ind.path_shape == PathShape.geometric else "linear"


def observed_path(ind: Indicator, assessed: dict, base_year: int) -> tuple[list[tuple[int, float]], list[str], list[str]]:
    """(points, notes zh, notes en): the assessment's chosen comparable value per year up to
    `base_year`; qualified values (超/近/约…) bound a value and are left out of the fit."""
    chosen = [h for h in assessed.get("history") or [] if h.get("chosen") and h["year"] <= base_year]
    exact = [(int(h["year"]), float(h["value"])) for h in chosen if h.get("qualifier", "exact") == "exact"]
    zh, en = [], []
    left = sorted({int(h["year"]) for h in chosen if h.get("qualifier", "exact") != "exact"})
    if left:
        zh.append(f"带限定词的数值（{'、'.join(map(str, left))}年）只表示界限，未用于拟合")
        en.append(f"qualified values ({', '.join(map(str, left))}) only bound the figure and are not fitted")
    b = assessed.get("baseline") or {}
    years = {y for y, _ in exact}
    if (ind.kind not in (TargetKind.cumulative_change, TargetKind.average_annual_growth) and b.get("value") is not None
            and b.get("year") not in years and b.get("year", base_year + 1) <= base_year
            and (b.get("qualifier") or "exact") == "exact"):
        exact.append((int(b["year"]), float(b["value"])))  # the plan's printed baseline is a published figure
        zh.append(f"含规划所列{b['year']}年基期值")
        en.append(f"includes the plan's printed {b['year']} baseline")
    return sorted(exact), zh, en


# --- the plan in force --------------------------------------------------------------------------
_PAREN = re.compile(r"[（(][^）)]*[）)]")
_GENERIC = ("规模以上", "规上", "工业企业", "企业", "增加值", "产值", "数量", "累计", "比重", "占比", "的")


def normalised_name(name: str) -> str:
    """What an indicator measures, without the 口径 words: 战略性新兴产业增加值占规模以上工业增加值比重
    and 战略性新兴产业占比 both give 战略性新兴产业 (the part before 占, generic words removed)."""
    text = _PAREN.sub("", name).split("占", 1)[0]
    for w in _GENERIC:
        text = text.replace(w, "")
    return re.sub(r"\s+", "", text)


def _measure(ind: Indicator) -> str | None:
    """增加值 or 产值: what the numerator counts, from the name before 占, else from the definition."""
    for text in (ind.name, ind.definition or ""):
        head = _PAREN.sub("", text).split("占", 1)[0]
        for word in ("增加值", "产值"):
            if word in head:
                return word
    return None


def definitions_agree(ind: Indicator, other: Indicator) -> tuple[bool, str, str]:
    """(agree, why zh, why en): different concepts, or 产值 against 增加值 in the names or definitions
    (战略性新兴产业占比 is an output share, its 2023–2027 namesake a value-added share), disagree."""
    if ind.concept and other.concept and ind.concept != other.concept:
        a, b = _measure(ind), _measure(other)
        if a and b and a != b:
            return False, f"{a}口径与{b}口径", f"{labels.label('measure_word', a, 'en')} against {labels.label('measure_word', b, 'en')}"
        return False, "统计口径不同", "another statistical definition"
    a, b = _measure(ind), _measure(other)
    if a and b and a != b:
        return False, f"{a}口径与{b}口径", f"{labels.label('measure_word', a, 'en')} against {labels.label('measure_word', b, 'en')}"
    return True, "", ""


def match_in_force(ind: Indicator, in_force: Plan | None) -> tuple[Indicator | None, str, str]:
    """The in-force plan's indicator for `ind`: the same `concept`, else the same normalised name
    (saying when the definitions differ: definitions_agree); (None, why, why_en) when there is none."""
    if in_force is None:
        return None, "", ""
    for other in in_force.indicators:
        if ind.concept and other.concept == ind.concept:
            return other, f"按统计口径匹配：{other.name}", f"matched by definition: {other.name_en or other.name}"
    key = normalised_name(ind.name)
    if len(key) >= 2:
        for other in in_force.indicators:
            if normalised_name(other.name) == key:
                zh, en = f"按名称匹配：{other.name}", f"matched by name: {other.name_en or other.name}"
                agree, why, why_en = definitions_agree(ind, other)
                if not agree:
                    zh += f"（{why}，口径不同，仅供参考）"
                    en += f" ({why_en}: a different definition, for orientation only)"
                if ind.unit != other.unit:
                    zh += f"（单位为{other.unit}）"
                    en += f" (unit {other.unit})"
                return other, zh, en
    return None, "", ""


# --- the draft ---------------------------------------------------------------------------------
def _round(v: float) -> float:
    return float(f"{v:.4g}")


def _fmt(v: float | None) -> str:
    return formatting.MISSING if v is None else formatting.number(_round(v), _decimals(_round(v)))


def _decimals(v: float) -> int:
    """The decimals four significant digits need (28.7643 → 2, 1072.26 → 0): what the table prints."""
    text = formatting.significant(v, 4)
    return len(text.split(".")[1]) if "." in text else 0


def draft(plan: Plan, result: dict, *, to_year: int, base_year: int, in_force: Plan | None = None,
          lang: str = "zh") -> tuple[str, pd.DataFrame]:
    """(YAML skeleton, table with COLUMNS) for a plan from `base_year` to `to_year` following `plan`,
    from the assessment `result` of `plan` (evaluated at `base_year`)."""
    by_id = {i["id"]: i for i in result.get("indicators", [])}
    rows, indicators = [], []
    for ind in plan.indicators:
        assessed = by_id.get(ind.id, {})
        points, nzh, nen = observed_path(ind, assessed, base_year)
        chosen = [h for h in assessed.get("history") or [] if h.get("chosen") and h["year"] <= base_year]
        latest = max(chosen, key=lambda h: h["year"]) if chosen else None
        method = method_for(ind)
        if (latest is not None and latest.get("qualifier") in BOUNDS and method in ("log_linear", "linear")
                and (not points or int(latest["year"]) > points[-1][0])):
            ref = bound_reference(latest, points)  # a newer bound outranks older exact values, held as a bound
        else:
            ref = trend_reference(points, method, to_year, start_year=base_year,
                                  origin_year=(ind.baseline.year if ind.baseline else plan.plan.base_year))
        if ref.value is not None and ind.kind == TargetKind.share and ind.unit.strip() in ("%", "％"):
            clipped = [min(max(x, 0.0), 100.0) for x in (ref.value, ref.low, ref.high)]
            if clipped != [ref.value, ref.low, ref.high]:
                nzh.append("比重限于0—100%")
                nen.append("a share is kept within 0–100 %")
            ref = Reference(*clipped, ref.method, ref.points, bound=ref.bound)
        elif ref.value is not None and nonnegative(ind) and min(ref.value, ref.low, ref.high) < 0:
            nzh.append("数量不为负，区间下端取0")
            nen.append("a count is never below 0: the interval stops at 0")
            ref = Reference(*(max(x, 0.0) for x in (ref.value, ref.low, ref.high)), ref.method, ref.points,
                            bound=ref.bound)
        if ref.value is None:
            nzh.insert(0, ref.reason)
            nen.insert(0, ref.reason_en)
        method_text = None if ref.value is None else _method_text(ref, latest, lang)
        other, how_zh, how_en = match_in_force(ind, in_force)
        match = None
        if other is not None:
            nzh.append(how_zh)
            nen.append(how_en)
            match = "concept" if how_zh.startswith("按统计口径") else "name"
            if not definitions_agree(ind, other)[0]:
                match = "different_definition"  # a namesake of another definition is never the target in force
                if other.target is not None:
                    nzh.append(f"其{other.target.year or ''}年目标{_target_words(other)}仅供参考，未列为现行规划目标")
                    nen.append(f"its {other.target.year or ''} target {_target_words(other, 'en')} is for orientation "
                               "only, not shown as the target in force")
        elif in_force is not None:
            nzh.append("现行规划无对应指标")
            nen.append("no matching indicator in the plan in force")
        comparable = other if match in ("concept", "name") else None
        skeleton, check = _skeleton_indicator(ind, ref, latest, base_year, to_year, other, in_force, lang,
                                              comparable=comparable is not None)
        indicators.append(skeleton)
        rows.append({
            "indicator": ind.id, "name": (ind.name_en or ind.name) if lang == "en" else ind.name,
            "unit": ind.unit, "kind": ind.kind.value,
            "latest_year": None if latest is None else int(latest["year"]),
            "latest_value": None if latest is None else float(latest["value"]),
            "latest_qualifier": None if latest is None or (latest.get("qualifier") or "exact") == "exact"
            else latest["qualifier"],
            "reference_value": ref.value, "reference_bound": ref.bound, "low": ref.low, "high": ref.high,
            "method": method_text,
            "in_force_plan": None if other is None else (
                (in_force.plan.title_en or in_force.plan.title) if lang == "en" else in_force.plan.title),
            "in_force_target": None if comparable is None or comparable.target is None else float(comparable.target.value),
            "in_force_year": None if comparable is None or comparable.target is None else comparable.target.year,
            "in_force_match": match,
            "stated_growth_check": check,
            "note": ("; " if lang == "en" else "；").join(nen if lang == "en" else nzh) or None,
        })
    _drop_contradicting_targets(plan, indicators, base_year, to_year, in_force, rows, lang)
    text = _yaml(plan, indicators, base_year, to_year, in_force)
    df = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("latest_year", "in_force_year"):
        df[col] = df[col].astype("Int64")
    return text, df


def _target_words(other: Indicator, lang: str = "zh") -> str:
    shown = formatting.grouped(target_display(other.target, lang))
    words = re.search(r"[\u4e00-\u9fff%]", shown)  # 30左右 / 30%左右 carries its words: no second unit
    return shown if words else shown + (other.unit if lang != "en" else f" {labels.unit_label(other.unit, lang)}")


def _method_text(ref: Reference, latest: dict | None, lang: str) -> str:
    """How the reference was reached, in the final evaluation's words for thin or bounded data."""
    years = [y for y, _ in ref.points]
    m_zh, m_en = METHODS[ref.method]
    if ref.method == "bound":
        word = labels.label("bound_word", ref.bound, lang)
        q = formatting.grouped(_fmt(ref.value))
        return _t(lang, f"{latest['year']}年{m_zh}：参考值为{word}{q}，无区间",
                  f"{latest['year']}: {m_en}; the reference is {word}{q}, no interval")
    level = int(LEVEL * 100)
    if ref.method == "hold_latest":
        return _t(lang, f"{m_zh}（{years[0]}、{years[-1]}年2个数值，同终期评估），{level}%区间据该变化",
                  f"{m_en} ({years[0]} and {years[-1]}, as in the final evaluation), {level}% interval from that change")
    return _t(lang, f"{m_zh}，{years[0]}—{years[-1]}年{len(years)}个数值，{level}%预测区间",
              f"{m_en}, {len(years)} values {years[0]}–{years[-1]}, {level}% prediction interval")


def _skeleton_indicator(ind: Indicator, ref: Reference, latest: dict | None, base_year: int, to_year: int,
                        other: Indicator | None, in_force: Plan | None, lang: str,
                        comparable: bool = True) -> tuple[dict, str | None]:
    """The draft's entry for `ind` and the stated-growth check of the reference (lint's own check)."""
    period = ind.kind in (TargetKind.cumulative_change, TargetKind.average_annual_growth)
    up = ind.direction == Direction.increase
    out = {k: v for k, v in {
        "id": ind.id, "name": ind.name, "name_en": ind.name_en, "category": ind.category, "unit": ind.unit,
        "nature": ind.nature.value, "direction": ind.direction.value, "kind": ind.kind.value,
    }.items() if v is not None}
    notes = []
    if latest is not None and int(latest["year"]) == base_year and not period \
            and (latest.get("qualifier") or "exact") == "exact":
        out["baseline"] = {"year": base_year, "value": _round(float(latest["value"]))}
    elif not period:
        notes.append(f"基期值待定：数据库中没有{base_year}年的确切可比数值")
    if ref.value is not None:
        out["target"] = {"year": to_year, "value": _round(ref.value), "comparator": ">=" if up else "<=",
                         "text": PLACEHOLDER[0]}
        if ref.bound is not None:
            notes.append(f"参考值：{METHODS[ref.method][0]}，{to_year}年{labels.label('bound_word', ref.bound, 'zh')}"
                         f"{_fmt(ref.value)}；目标由起草人确定")
        else:
            notes.append(f"参考值：{METHODS[ref.method][0]}至{to_year}年为{_fmt(ref.value)}，"
                         f"{int(LEVEL * 100)}%区间{_fmt(ref.low)}—{_fmt(ref.high)}；目标由起草人确定")
    else:
        notes.append(f"无参考值：{ref.reason}")
    if ind.stated_growth is not None and "target" in out:  # a growth without a target is a lint warning
        g = ind.stated_growth
        out["stated_growth"] = {"value": g.value, "unit": g.unit.value, "text": f"{g.text or g.value}（沿用原规划，待定）"}
    for key in ("path", "concept", "definition", "scope", "lead_department"):
        v = getattr(ind, key)
        if v is not None:
            out[key] = getattr(v, "value", v)
    out["price_basis"] = ind.price_basis.value
    out["section"] = f"待定（原规划{ind.section}）"
    if other is not None and other.target is not None:
        notes.append(f"现行规划《{in_force.plan.title}》{other.target.year or ''}年目标{_target_words(other)}（{other.name}"
                     + ("）" if comparable else "，口径不同，仅供参考）"))
    check = _growth_check(ind, ref, latest, to_year, lang)
    out["notes"] = notes
    return out, check


def _growth_check(ind: Indicator, ref: Reference, latest: dict | None, to_year: int, lang: str) -> str | None:
    """The plan's stated growth carried from the latest value to `to_year`, against the reference,
    by zhizao.plan.lint's check ("18% a year from 2023 reaches X by 2030")."""
    g = ind.stated_growth
    if g is None or ref.value is None or ind.kind in (TargetKind.cumulative_change, TargetKind.average_annual_growth):
        return None
    if latest is None or (latest.get("qualifier") or "exact") != "exact":
        return _t(lang, "没有确切的最新数值，无法核对原规划增速", "no exact latest value: the stated growth cannot be checked")
    # The lint words its numbers as given: the values as the table prints them (28.76, not 28.7643).
    probe = ind.model_copy(update={"baseline": Point(year=int(latest["year"]), value=_round(float(latest["value"]))),
                                   "target": Target(year=to_year, value=_round(ref.value))})
    found = stated_growth_findings(probe)
    if found:  # the lint's words: its 基期 is the latest value, its 目标 the reference value
        return (f"checked from the latest value ({latest['year']}) to the reference value: {found[0].message_en}"
                if lang == "en" else f"以{latest['year']}年最新值为起点、参考值为目标核对：{found[0].message_zh}")
    n = to_year - int(latest["year"])
    v = float(latest["value"])
    reached = v * (1 + g.value / 100) ** n if g.unit == GrowthUnit.percent else v + g.value * n
    return _t(lang, f"按原规划年均增速{g.text or g.value}自{latest['year']}年的{_fmt(v)}增长{n}年达到{_fmt(reached)}，与参考值相符",
              f"the stated {g.text or g.value} a year from {_fmt(v)} in {latest['year']} reaches {_fmt(reached)} in "
              f"{to_year}, in line with the reference value")


def _drop_contradicting_targets(plan: Plan, indicators: list[dict], base_year: int, to_year: int,
                                in_force: Plan | None, rows: list[dict], lang: str) -> None:
    """A trend against the indicator's direction (a share falling, intensity rising) is no target:
    such a reference stays in the table and the notes, the skeleton entry is left without a target,
    so the draft lints without errors."""
    doc = yaml.safe_load(_yaml(plan, indicators, base_year, to_year, in_force))
    bad = {f.indicator for f in lint_plan(Plan.model_validate(doc)) if f.severity == "error"}
    for entry, row in zip(indicators, rows):
        if entry["id"] in bad and "target" in entry:
            del entry["target"]
            entry["notes"].append("趋势与指标方向相反，参考值未作为目标填入，请起草人研究确定")
            extra = _t(lang, "趋势与指标方向相反，参考值未填入骨架目标",
                       "the trend runs against the indicator's direction: not entered as the skeleton's target")
            row["note"] = extra if not row["note"] else row["note"] + ("; " if lang == "en" else "；") + extra


def _yaml(plan: Plan, indicators: list[dict], base_year: int, to_year: int, in_force: Plan | None) -> str:
    meta = plan.plan
    doc = {
        "plan": {k: v for k, v in {
            "id": f"{meta.id}-draft-{to_year}"[:120],
            "title": f"{meta.title}的后续规划参考稿（{base_year + 1}—{to_year}年）",
            "title_en": f"Reference draft following {meta.title_en or meta.id} ({base_year + 1}–{to_year})",
            "issuer": meta.issuer, "base_year": base_year, "target_year": to_year,
            "notes": ["本文件由 zhizao plan draft 生成：目标值均为趋势参考值（待定），由起草人确定；"
                      "方法见 docs/methodology.md §Reference values for the next plan。",
                      *([f"现行规划：{in_force.plan.title}"] if in_force is not None else [])],
            "baseline_rule": meta.baseline_rule, "cluster_heading": meta.cluster_heading,
            "cluster_heading_en": meta.cluster_heading_en,
        }.items() if v is not None},
        "categories": [c.model_dump(mode="json", exclude_none=True) for c in plan.categories],
        "indicators": indicators,
    }
    if plan.regions is not None:
        doc["regions"] = plan.regions.model_dump(mode="json", exclude_none=True)
    head = (f"# {doc['plan']['title']}\n# 由 zhizao plan draft 生成的规划文件骨架（docs/plan-spec.md）；"
            "目标为参考值（待定），任务、集群等章节由起草人补充。\n")
    return head + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120)

