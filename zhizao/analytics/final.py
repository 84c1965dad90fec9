"""Final evaluation (终期评估): was each target completed in the target year?

Pure: an indicator's assessment (zhizao.analytics.assessment) and its spec in, the `final` part of
the result out (docs/assessment-json.md, docs/methodology.md §3a). Rules:
- data of the target year: 已完成 (the comparator holds, with the ≈ tolerance), 基本完成 (not met,
  but at least `basic_completion_share` of the required change reached; never for binding
  indicators, which must be met in full), else 未完成;
- older data: projected to the target year on a log-linear (or linear) trend through the baseline
  and the chosen values, with a 90 % interval from the residuals (at least
  `projection_min_volatility` a year) — 预计完成 / 预计基本完成 / 预计难以完成, naming the data year;
- a qualified value (超/近/约 …) whose readings disagree says what it shows and that completion
  cannot be confirmed (无法判断), never two opposite statuses.
"""
from __future__ import annotations

import math
from collections import Counter

from zhizao import formatting, labels
from zhizao.analytics.progress import Interval, beyond_range, interval_for, meets_target, target_display
from zhizao.plan.spec import Comparator, Direction, Indicator, PathShape, TargetKind

FINAL_STATUSES = ("completed", "basically_completed", "not_completed", "expected_completed",
                  "expected_basically_completed", "expected_difficult", "undetermined", "no_data", "tracked")
FINAL_LABELS = labels.FINAL_STATUS
Z90 = 1.645  # two-sided 90 % normal interval
QUAL_ZH = {"more_than": "超", "at_least": "不低于", "nearly": "近", "about": "约", "at_most": "不超过", "less_than": "不足"}
QUAL_EN = {k: en + " " for k, (_zh, en) in labels.QUALIFIER_MARK.items()}  # the words every output uses
BOUNDS = {"more_than": "at_least", "at_least": "at_least", "at_most": "at_most", "less_than": "at_most"}


# units of things counted (家, 个, 项; 万家 …): such a value is never below 0
COUNT_UNITS = ("个", "家", "项", "件", "户", "座")


def nonnegative(ind: Indicator) -> bool:
    """Whether the indicator's values cannot be negative: a count (kind, unit, or counted from a register)."""
    unit = (ind.unit or "").strip().removeprefix("万")
    return (ind.kind == TargetKind.count or unit in COUNT_UNITS or getattr(ind, "project_count", None) is not None
            or getattr(ind, "registry_count", None) is not None)


def final_label(status: str, lang: str = "zh") -> str:
    zh, en = FINAL_LABELS[status]
    return en if lang == "en" else zh


def evaluation_kind(year: int, target_year: int) -> dict:
    return {"kind": "final" if year >= target_year else "mid_term", "year": year, "target_year": target_year}


def final_summary(indicators: list[dict]) -> dict:
    counts = Counter(i["final"]["status"] for i in indicators if i.get("final"))
    binding = [i for i in indicators if i["binding"] and i.get("final")]
    return {"final_counts": {s: counts.get(s, 0) for s in FINAL_STATUSES},
            "binding_final": [{"id": i["id"], "status": i["final"]["status"], "label": i["final"]["label"]}
                              for i in binding]}


# --- numbers and words ------------------------------------------------------------------------
def num(v: float | None) -> str:
    """A number as a reader writes it (zhizao.formatting): 5,210, 86.7, 6.92, 0.899."""
    return formatting.number(v)


def pct_text(p: float) -> str:
    """A completion share as its 完成率 column prints it (formatting.completion_rate): 104.2, 49.0."""
    return formatting.completion_rate(p).rstrip("%")


def _u(unit: str | None, lang: str) -> str:
    if not unit:
        return ""
    return formatting.unit_suffix(unit, lang)


def _valued(v: float, unit: str | None, lang: str, qualifier: str | None = None, text: str | None = None) -> str:
    q = qualifier or "exact"
    if text and q != "exact" and lang != "en":
        return f"{text}{_u(unit, lang)}" if not text.endswith(unit or "\0") else text
    mark = (QUAL_EN if lang == "en" else QUAL_ZH).get(q, "")
    return f"{mark}{formatting.with_unit(num(v), unit, lang)}"


# --- the rules --------------------------------------------------------------------------------
def completion_pct(ind: Indicator, v: float) -> float | None:
    """Share of the target reached, as a reader reads "完成104.2%": value ÷ target (target ÷ value for a
    level to decrease; for a range, against its nearer end)."""
    t = ind.target
    T = t.value
    if t.comparator == Comparator.between and v > t.upper:
        T = t.upper
    if ind.kind in (TargetKind.cumulative_change, TargetKind.average_annual_growth) or ind.direction != Direction.decrease:
        return None if T == 0 else 100.0 * v / T
    return None if v == 0 else 100.0 * T / v


def change_share(ind: Indicator, v: float, baseline: float | None) -> float | None:
    """Share of the required change reached: (v − b)/(T − b); without a baseline the level ratio."""
    t = ind.target
    T = t.value if not (t.comparator == Comparator.between and baseline is not None and baseline > t.upper) else t.upper
    if ind.kind in (TargetKind.cumulative_change, TargetKind.average_annual_growth):
        return None if T == 0 else v / T
    if baseline is not None and T != baseline:
        return (v - baseline) / (T - baseline)
    pct = completion_pct(ind, v)
    return None if pct is None else pct / 100.0


def _reading(ind: Indicator, v: float, baseline: float | None, settings, binding: bool) -> str:
    """completed | basically | not for one exact reading."""
    if meets_target(ind, Interval.exact(v), settings["approx_tolerance"])[0]:
        return "completed"
    if math.isinf(v) or binding or beyond_range(ind, v, baseline):
        return "not"
    share = change_share(ind, v, baseline)
    return "basically" if share is not None and share >= settings["basic_completion_share"] else "not"


def _ends(iv: Interval, d: int) -> tuple[float, float]:
    """(pessimistic, optimistic) ends of an interval for direction d."""
    return (iv.low, iv.high) if d > 0 else (iv.high, iv.low)


# --- projection -------------------------------------------------------------------------------
def _points(res: dict, ind: Indicator) -> dict[int, float]:
    pts: dict[int, float] = {}
    b = res["baseline"]
    if ind.kind == TargetKind.cumulative_change and b.get("year") is not None:
        pts[b["year"]] = 0.0
    elif b.get("value") is not None and b.get("year") is not None:
        pts[b["year"]] = float(b["value"])
    for h in res.get("history") or []:
        # a qualified value (超/近/约) only bounds the figure: not a point to fit (next_plan.observed_path too)
        if h.get("chosen") and h.get("value") is not None and h["year"] not in pts \
                and (h.get("qualifier") or "exact") == "exact":
            pts[h["year"]] = float(h["value"])
    if res.get("data_year") is not None and res.get("actual_published") is not None:
        pts[res["data_year"]] = float(res["actual_published"])
    return dict(sorted(pts.items()))


def project(ind: Indicator, points: dict[int, float], year: int, settings) -> dict | None:
    """Value in `year` on the trend of `points`, with a 90 % interval; None with fewer than two points."""
    if len(points) < 2:
        return None
    cumulative = ind.kind == TargetKind.cumulative_change
    xs = list(points)
    raw = [1 + v / 100.0 for v in points.values()] if cumulative else list(points.values())
    log = (cumulative or ind.path_shape in (PathShape.geometric, PathShape.compound)) and all(v > 0 for v in raw)
    ys = [math.log(v) for v in raw] if log else raw
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    y0 = my + slope * (year - mx)
    h = year - xs[-1]
    floor = settings["projection_min_volatility"] * math.sqrt(max(h, 1))
    if not log:
        floor *= max(abs(raw[-1]), 1e-9)
    se = floor
    if n == 2:
        # One change is no trend (a year's +18 % would compound to +90 % in four): hold the latest value,
        # a random walk whose yearly step is that change, so the interval widens with the root of the horizon.
        y0 = ys[-1]
        se = max(floor, abs(ys[-1] - ys[0]) / max(xs[-1] - xs[0], 1) * math.sqrt(max(h, 1)))
    if n >= 3:
        s = math.sqrt(sum((y - (my + slope * (x - mx))) ** 2 for x, y in zip(xs, ys)) / (n - 2))
        se = max(se, s * math.sqrt(1 + 1 / n + (year - mx) ** 2 / sxx))
    lo, hi = y0 - Z90 * se, y0 + Z90 * se
    back = (lambda y: math.exp(y)) if log else (lambda y: y)
    conv = (lambda v: 100.0 * (v - 1)) if cumulative else (lambda v: v)
    method = ("仅有一个年度变化，按最新值持平外推，90%区间据该变化（随机游走）" if n == 2 else
              "对数线性趋势（基期值及各年选用值），90%区间据残差" if log else "线性趋势（基期值及各年选用值），90%区间据残差")
    value, low, high = conv(back(y0)), conv(back(lo)), conv(back(hi))
    if not log and nonnegative(ind) and low < 0:  # a linear band can cross 0; a number of things cannot
        value, low, high = max(value, 0.0), 0.0, max(high, 0.0)
        method += "；数量不为负，区间下端取0"
    return {"year": year, "value": value, "low": low, "high": high, "method": method, "points": n}


def _project_average(res: dict, ind: Indicator, target_year: int, settings) -> dict | None:
    rates = {h["year"]: float(h["value"]) for h in res.get("history") or [] if h.get("chosen")}
    base = res["baseline"]["year"]
    years = sorted(y for y in rates if base < y <= target_year)
    if not years:
        return None
    n, N = len(years), target_year - base
    k = N - n
    vals = [rates[y] / 100.0 for y in years]
    m = sum(vals) / n
    sd = math.sqrt(sum((v - m) ** 2 for v in vals) / (n - 1)) if n >= 2 else 0.0
    sd = max(sd, settings["projection_min_volatility"] * abs(m) if m else settings["projection_min_volatility"])
    done = math.prod(1 + v for v in vals)

    def avg(rate):
        f = done * (1 + rate) ** k
        return 100.0 * (f ** (1 / N) - 1) if f > 0 else -100.0
    spread = Z90 * sd / math.sqrt(max(k, 1))
    return {"year": target_year, "value": avg(m), "low": avg(m - spread), "high": avg(m + spread),
            "method": "已有各年增速延续其均值推算期末年均增速，90%区间据各年增速的波动", "points": n}


def projection_for(res: dict, ind: Indicator, target_year: int, settings) -> dict | None:
    """THE projection of an indicator to `target_year` from its values so far: the mid-term
    assessment's `projected` and the final evaluation both read it, so one data set gives one number
    (docs/methodology.md §3b). A 约/近 value is projected from its conservative end; a bound (超/不低于/
    不超过/不足) is held as the bound, never fitted (basis `bound`). None without a value, with data of the
    target year, or with fewer than two points. `basis`: trend (three or more points), hold_latest (two:
    one change is no trend), bound, average_growth."""
    dy = res.get("data_year")
    if dy is None or target_year is None or dy >= target_year or ind.target is None:
        return None
    if ind.kind == TargetKind.average_annual_growth:
        proj = _project_average(res, ind, target_year, settings)
        return None if proj is None else {**proj, "basis": "average_growth"}
    v = res.get("actual_published") if res.get("actual_published") is not None else res.get("actual")
    if v is None:
        return None
    pts = _points(res, ind)
    q = res.get("qualifier") or "exact"
    if q in BOUNDS:  # 超26,000 is a bound, not a value: held as the bound (至少), not fitted or extended
        v = float(v)
        return {"year": target_year, "value": v, "low": v, "high": v, "bound": BOUNDS[q], "basis": "bound",
                "method": f"{dy}年数值为界限值，不作外推，按该界限持平：{target_year}年{labels.label('bound_word', BOUNDS[q], 'zh')}"
                          f"{num(v)}", "points": len(pts)}
    d = -1 if ind.direction == Direction.decrease else 1
    pess = _ends(interval_for(v, q, settings["near_epsilon"]), d)[0]
    pts[dy] = pess  # 约/近: the conservative end (finite for both)
    proj = project(ind, pts, target_year, settings)
    if proj is not None and q != "exact":
        proj["method"] += f"；{dy}年数值带限定词（{QUAL_ZH[q]}），按其保守端{num(pess)}计"
    return None if proj is None else {**proj, "basis": "hold_latest" if proj["points"] == 2 else "trend"}


# --- the evaluation of one indicator ----------------------------------------------------------
def final_evaluation(res: dict, ind: Indicator, plan_target_year: int, settings, lang: str = "zh") -> dict:
    en = lang == "en"
    out = {"status": None, "label": None, "data_year": res.get("data_year"), "projected": False,
           "projection": None, "completion_pct": None, "over_completed": False, "text": None}

    def done(status: str, text: str) -> dict:
        out.update(status=status, label=final_label(status, lang), text=text)
        return out

    unit = res.get("unit")
    tg = ind.target
    if tg is None:
        dy = res.get("data_year")
        return done("tracked", (f"the plan sets no target; latest value {num(res.get('actual'))}{_u(unit, lang)} ({dy})"
                                if en else f"规划未设目标，仅监测；最新值为{dy}年{num(res.get('actual'))}{_u(unit, lang)}")
                    if dy is not None else ("the plan sets no target; no value yet" if en else "规划未设目标，仅监测；暂无数据"))
    T_year = tg.year or plan_target_year
    tdisp = target_display(res.get("target") or tg, lang, unit)  # 30%左右, never 30 左右%
    target_words = f"target {tdisp}" if en else f"目标{tdisp}"
    if res["status"] == "no_comparable_data" or res.get("data_year") is None:
        why = res.get("reason") or ""
        why = why.split(" / ")[-1 if en else 0]
        return done("no_data", (f"no comparable data: completion cannot be judged ({why})" if en
                                else f"无可比数据，无法评价是否完成（{why}）") if why else
                    ("no comparable data: completion cannot be judged" if en else "无可比数据，无法评价是否完成"))
    binding = res.get("binding", False)
    d = -1 if ind.direction == Direction.decrease else 1
    baseline = res["baseline"].get("value") if ind.kind != TargetKind.cumulative_change else 0.0
    dy = res["data_year"]
    q = res.get("qualifier") or "exact"
    v = res.get("actual_published") if res.get("actual_published") is not None else res.get("actual")
    vtext = _valued(v, unit, lang, q, res.get("actual_text"))
    if ind.kind == TargetKind.average_annual_growth:
        v, q = res.get("actual"), "exact"  # the observed average so far
        vtext = _valued(v, "%", lang)
    iv = interval_for(v, q, settings["near_epsilon"])
    pess, opt = _ends(iv, d)
    out["completion_pct"] = completion_pct(ind, v)  # of the value as published; the interval decides the status
    pct = out["completion_pct"]
    pct_words = "" if pct is None else (f", {pct_text(pct)}% of the target" if en else f"，完成{pct_text(pct)}%")

    failed = (res.get("every_year") or {}).get("failed_years") or []
    if failed:
        years = ("、" if not en else ", ").join(map(str, failed))
        return done("not_completed", f"not held in every year (missed in {years}); {target_words}" if en
                    else f"未能逐年保持（{years}年未达到），{target_words}")

    if dy >= T_year:  # the target year's own value
        readings = {_reading(ind, x, baseline, settings, binding) for x in (pess, opt)}
        if len(readings) > 1:
            return done("undetermined", _qualified_text(dy, vtext, pct, target_words, en, projected=False))
        r = readings.pop()
        if r == "completed":
            over = pct is not None and pct > 100.0 + 1e-9 and tg.comparator not in (Comparator.approx, Comparator.between)
            out["over_completed"] = over
            if en:
                return done("completed", f"{dy} actual {vtext}: target " + ("exceeded" if over else "met")
                            + f" ({target_words}{pct_words})")
            return done("completed", f"{dy}年实际值{vtext}，{'超额完成' if over else '完成'}目标（{target_words}{pct_words}）")
        if r == "basically":
            share = change_share(ind, pess, baseline)
            tol = settings["basic_completion_share"]
            return done("basically_completed",
                        f"{dy} actual {vtext}: target basically met ({target_words}{pct_words}; {num(100 * share)}% of "
                        f"the required change, threshold {num(100 * tol)}%)" if en else
                        f"{dy}年实际值{vtext}，基本完成目标（{target_words}{pct_words}，达到所需变化量的{num(100 * share)}%，"
                        f"基本完成标准为{num(100 * tol)}%）")
        gap = _gap(ind, pess)
        gap_words = "" if gap is None else (f", short by {num(abs(gap))}{_u(unit, lang)}" if en
                                            else f"，差{num(abs(gap))}{_u(unit, lang)}")
        return done("not_completed", f"{dy} actual {vtext}: target not met ({target_words}{pct_words}{gap_words})"
                    if en else f"{dy}年实际值{vtext}，未完成目标（{target_words}{pct_words}{gap_words}）")

    # Older data: project to the target year (the same projection the mid-term assessment shows).
    out["projected"] = True
    proj = projection_for(res, ind, T_year, settings)
    if proj is None:
        return done("undetermined", (f"latest data {dy} ({vtext}{pct_words}); too few values to project to {T_year}; "
                                     f"{target_words}") if en else
                    f"最新数据为{dy}年（{vtext}{pct_words}），数据点不足，无法外推到{T_year}年；{target_words}")
    out["projection"] = {k: proj[k] for k in ("year", "value", "low", "high", "method", "basis", "points")}
    c = proj["value"]
    if proj["basis"] == "bound":
        return done(*_bound_status(ind, res, proj, baseline, settings, binding, d, dy, T_year, vtext, pct,
                                   target_words, unit, lang))
    lo_end, hi_end = (proj["low"], proj["high"]) if d > 0 else (proj["high"], proj["low"])
    central = _reading(ind, c, baseline, settings, binding)
    low = _reading(ind, lo_end, baseline, settings, binding)
    unbounded = math.isinf(opt)  # 超X for a target to increase: the projection is a lower bound
    if central == "completed" and low != "not":
        status = "expected_completed"
    elif unbounded:
        return done("undetermined", _qualified_text(dy, vtext, pct, target_words, en, projected=True))
    elif central == "completed" and binding:
        status = "undetermined"
    elif central in ("completed", "basically"):
        status = "expected_basically_completed"
    else:
        status = "expected_difficult"
    band = f"{num(proj['low'])}—{num(proj['high'])}"
    how = labels.label("projection_basis", proj["basis"], lang)
    if en:
        text = (f"latest data {dy} ({vtext}{pct_words}); {how}: about {num(c)}{_u(unit, lang)} in {T_year} "
                f"(90% interval {band}): {final_label(status, 'en')} ({target_words})")
    else:
        text = (f"最新数据为{dy}年（{vtext}{pct_words}），{how}{T_year}年约{num(c)}{_u(unit, lang)}"
                f"（90%区间{band}），{final_label(status)}（{target_words}）")
    met_already = not math.isinf(pess) and meets_target(ind, Interval.exact(pess), settings["approx_tolerance"])[0]
    if met_already and status != "expected_completed":
        text += _why_not_completed(status, dy, T_year, lo_end, central, c, unit, d, binding, en)
    return done(status, text)


def _bound_status(ind, res, proj, baseline, settings, binding, d, dy, T_year, vtext, pct, target_words, unit, lang):
    """(status, text) when the latest value is only a bound: the bound held to the target year says
    at least (or at most) what the value will be, so only the side it bounds can be concluded."""
    en = lang == "en"
    side = (res.get("qualifier") or "exact")
    lower = BOUNDS[side] == "at_least"
    reading = _reading(ind, proj["value"], baseline, settings, binding)
    worst = lower == (d > 0)  # the bound is the pessimistic end: meeting the target at the bound is enough
    status = ("expected_completed" if worst and reading == "completed" else
              "expected_difficult" if not worst and reading == "not" else "undetermined")
    word = labels.label("bound_word", BOUNDS[side], lang)
    held = (f"the {dy} value is a bound, held, not extrapolated: {word}{num(proj['value'])}{_u(unit, lang)} in {T_year}"
            if en else f"{dy}年数值为界限值，不作外推，按该界限持平，{T_year}年{word}{num(proj['value'])}{_u(unit, lang)}")
    if status == "undetermined":
        base = _qualified_text(dy, vtext, pct, target_words, en, projected=True)
        cut = base.rfind("; whether" if en else "，能否完成")
        return status, base[:cut] + ("; " if en else "；") + held + base[cut:]
    return status, (f"latest data {dy} ({vtext}); {held}: {final_label(status, 'en')} ({target_words})" if en else
                    f"最新数据为{dy}年（{vtext}），{held}，{final_label(status)}（{target_words}）")


def _why_not_completed(status, dy, T_year, lo_end, central, c, unit, d, binding, en) -> str:
    """The latest value already meets the target, yet the status is below 预计完成: say why."""
    gap_years = T_year - dy
    if central != "completed":
        return (f"; the latest value meets the target, but the projection for {T_year} ({num(c)}{_u(unit, 'en')}) "
                f"falls short" if en else
                f"；最新值已达到目标，但{T_year}年外推值{num(c)}{_u(unit, 'zh')}未达到目标")
    if status == "undetermined" and binding:
        return ("; the latest value meets the target, but a binding target must be confirmed and the 90% interval "
                f"reaches {num(lo_end)}{_u(unit, 'en')}" if en else
                f"；最新值已达到目标，但约束性指标须确认完成，而90%区间{'下' if d > 0 else '上'}端为{num(lo_end)}{_u(unit, 'zh')}")
    if en:
        return (f"; the latest value already meets the target, but it is for {dy}, {gap_years} year(s) before the "
                f"target year, and the 90% interval reaches {'down' if d > 0 else 'up'} to {num(lo_end)}{_u(unit, 'en')}, "
                f"{'below' if d > 0 else 'above'} the target: completion is expected, not confirmed")
    return (f"；最新值已达到目标，但数据为{dy}年、早于目标年{gap_years}年，90%区间{'下' if d > 0 else '上'}端"
            f"{num(lo_end)}{_u(unit, 'zh')}{'低于' if d > 0 else '高于'}目标，故只能判断为预计基本完成")


def _gap(ind: Indicator, v: float) -> float | None:
    t = ind.target
    if t.comparator == Comparator.between:
        return (t.value - v) if v < t.value else (t.upper - v)
    return t.value - v


def _qualified_text(dy, vtext, pct, target_words, en, *, projected) -> str:
    if en:
        reach = "" if pct is None else f", at least {pct_text(pct)}% of the target" if pct <= 100 else ""
        return (f"latest data {dy} ({vtext}){reach}; whether the target is met cannot be confirmed ({target_words})"
                if projected else f"{dy} actual {vtext}{reach}; whether the target is met cannot be confirmed "
                f"({target_words})")
    reach = "" if pct is None else f"，不低于目标的{pct_text(pct)}%"
    return (f"最新数据为{dy}年（{vtext}）{reach}，能否完成无法确认（{target_words}）" if projected else
            f"{dy}年实际值{vtext}{reach}，能否完成无法确认（{target_words}）")
