"""Progress of one indicator against its target: planned path, completion, growth ratio, status.

Pure arithmetic on numbers; no data frames, no I/O. Formulas and references: docs/methodology.md.

Conventions
- `b`, `T`: baseline and target values; `n`: years elapsed since the base year, `N`: plan length.
- Cumulative-change indicators are handled in "change space": baseline 0, target e.g. −16 (%),
  actual the cumulative change so far; their path compounds: (1 − 0.16)^(n/N) − 1.
- Direction d = +1 (higher is better) or −1; the growth ratio is d·observed/|required|, as in
  Open SDG's ProgressMeasure (Eurostat method).
"""
from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass

from zhizao import formatting, labels
from zhizao.plan.spec import Comparator, Direction, Indicator, PathShape, TargetKind

STATUSES = ("achieved", "ahead", "on_track", "behind", "seriously_behind", "not_met", "no_comparable_data", "tracked")
STATUS_LABELS = labels.STATUS
# Worse statuses come later; the conservative reading of an interval is the worse one.
_RANK = {s: i for i, s in enumerate(("achieved", "ahead", "on_track", "behind", "seriously_behind", "not_met",
                                     "no_comparable_data"))}
PACE_STATUSES = ("ahead", "on_track", "behind", "seriously_behind")
COMPARATOR_SIGNS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "≈": "≈", "=": "", "between": ""}


def status_label(status: str, lang: str = "zh") -> str:
    zh, en = STATUS_LABELS[status]
    return en if lang == "en" else zh


def status_words(status: str, definite: bool = True, if_high: str | None = None, lang: str = "zh") -> str:
    """A status as a sentence reads it: a qualified value whose interval straddles two statuses gives
    "基本符合预期，按区间上端为提前实现", never "基本符合预期?/提前实现"."""
    text = status_label(status, lang)
    if definite or not if_high or if_high == status:
        return text
    return labels.label("ui", "status_if_high_words", lang).format(status=text, high=status_label(if_high, lang))


def _g(v: float) -> str:
    """30,000 · 1.45: six significant digits, never 3e+04, grouped as the value beside it."""
    text = formatting.significant(v, 6)
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, dot, frac = digits.partition(".")
    return f"{sign}{int(whole):,}{dot}{frac}" if whole.isdigit() else text


_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def target_display(target, lang: str = "zh", unit: str | None = None) -> str:
    """A target as printed when the plan gives its text, else built from comparator and value
    (≥36, 5—6, 保持≥28); `target` is a spec Target or the assessment's target dict. In English a
    printed text with Chinese in it (30 左右, 保持≥28) is rebuilt from the parsed fields.
    With `unit` the unit goes where a reader puts it: 30%左右, about 30%, ≥36%, 5000亿元."""
    if target is None:
        return "—"
    get = (lambda k: target.get(k)) if isinstance(target, dict) else (lambda k: getattr(target, k, None))
    text = get("text")
    if text and (lang != "en" or not _CJK.search(text)):
        if unit:
            text = re.sub(r"(?<=\d)\s+(?=左右)", "", text)  # the plan prints "30 左右": 30%左右
        # the plan's printed number (30000) grouped as the value beside it: 30,000
        text = formatting.grouped(text.replace("—", "–") if lang == "en" else text)
    else:
        text = _built_target(get, lang)
    return _with_unit(text, unit, lang)


def _with_unit(text: str, unit: str | None, lang: str) -> str:
    """The unit after the number, before a trailing 左右 (30%左右, never 30 左右%)."""
    if not unit or text == "—" or text.endswith(unit) or not formatting.unit_suffix(unit, lang):
        return text  # 指数: "目标65", never "65指数"
    if lang == "en":
        return formatting.with_unit(text, unit, "en")
    if text.endswith("左右"):
        return f"{text[:-2]}{unit}左右"
    return f"{text}{unit}"


def _built_target(get, lang: str) -> str:
    comp = get("comparator")
    comp = getattr(comp, "value", comp)
    if get("value") is None:
        return "—"
    if comp == "between":
        s = f"{_g(get('value'))}{'–' if lang == 'en' else '—'}{_g(get('upper'))}"
    else:
        s = COMPARATOR_SIGNS.get(comp, "") + _g(get("value"))
        if comp == "≈":
            s = f"{_g(get('value'))}左右" if lang != "en" else f"about {_g(get('value'))}"
    if get("every_year"):
        s = (f"保持{s}" if lang != "en" else f"{s} every year")
    return s


@dataclass(frozen=True)
class Interval:
    """A published value as an interval: 超X → (X, ∞), 近X → [X(1−ε), X], exact → [X, X]."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    @classmethod
    def exact(cls, v: float) -> "Interval":
        return cls(v, v)


def interval_for(value: float, qualifier: str, epsilon: float) -> Interval:
    if qualifier == "more_than":
        return Interval(value, math.inf, low_open=True)
    if qualifier == "at_least":
        return Interval(value, math.inf)
    if qualifier == "nearly":
        return Interval(value - abs(value) * epsilon, value, high_open=True)
    if qualifier == "about":
        return Interval(value - abs(value) * epsilon, value + abs(value) * epsilon)
    if qualifier == "at_most":
        return Interval(-math.inf, value)
    if qualifier == "less_than":
        return Interval(-math.inf, value, high_open=True)
    return Interval.exact(value)


def baseline_band(value: float, qualifier: str | None, epsilon: float) -> tuple[float, float]:
    """The readings of a qualified baseline. A printed baseline rounds a known figure, so 超过50 is read
    as [50, 50·(1+ε)] and 近80 as [80·(1−ε), 80], not as an open bound (docs/methodology.md §2)."""
    w = abs(value) * epsilon
    if qualifier in ("more_than", "at_least"):
        return value, value + w
    if qualifier in ("nearly", "at_most", "less_than"):
        return value - w, value
    if qualifier == "about":
        return value - w, value + w
    return value, value


def _sign(ind: Indicator) -> int:
    return -1 if ind.direction == Direction.decrease else 1


def _path_sign(ind: Indicator, b: float, target: float) -> int:
    # A range is approached from whichever side the baseline lies on.
    if ind.target.comparator == Comparator.between:
        return -1 if target < b else 1
    return _sign(ind)


def path_target(ind: Indicator, baseline: float | None) -> float:
    """The value the planned path runs to: the target, or for a range its end nearer the baseline."""
    t = ind.target
    if t.comparator != Comparator.between:
        return t.value
    if baseline is not None and baseline > t.upper:
        return t.upper
    if baseline is not None and t.value <= baseline <= t.upper:
        return t.upper if _sign(ind) > 0 else t.value
    return t.value


def base_value(ind: Indicator, baseline: float | None) -> float:
    """Cumulative changes start from 0 by definition; other kinds need a baseline."""
    if ind.kind == TargetKind.cumulative_change:
        return 0.0
    if baseline is None:
        raise ValueError(f"{ind.id}: a baseline is needed for kind {ind.kind.value}")
    return baseline


def _years(ind: Indicator, base_year: int | None, target_year: int | None) -> tuple[int, int]:
    """(t0, T): the base year is the printed baseline's, else the caller's (the plan's base year, never
    guessed); the target year is the target's, else the caller's (the plan period, for period targets)."""
    t0 = base_year if base_year is not None else (ind.baseline.year if ind.baseline is not None else None)
    T = ind.target.year if ind.target.year is not None else target_year
    if t0 is None:
        raise ValueError(f"{ind.id}: the base year is needed (the plan's base year)")
    if T is None:
        raise ValueError(f"{ind.id}: an undated target has no path")
    if T <= t0:
        raise ValueError(f"{ind.id}: target year {T} is not after base year {t0}")
    return t0, T


def planned_value(ind: Indicator, baseline: float | None, year: int | float, base_year: int | None = None,
                  target_year: int | None = None) -> float:
    """Value on the planned path in `year`; equals the target exactly in the target year."""
    if ind.kind == TargetKind.average_annual_growth:
        return ind.target.value  # the path of an average-growth target is the constant rate itself
    b = base_value(ind, baseline)
    t0, T = _years(ind, base_year, target_year)
    target = path_target(ind, b)
    tau = (year - t0) / (T - t0)
    shape = ind.path_shape
    if shape == PathShape.compound:
        return 100.0 * ((1 + target / 100.0) ** tau - 1)
    if shape == PathShape.geometric and b > 0 and target > 0:
        return b * (target / b) ** tau
    return b + (target - b) * tau


def meets_target(ind: Indicator, v: Interval, tolerance: float) -> tuple[bool, bool]:
    """(definitely met, possibly met) for the interval `v`."""
    T = ind.target.value
    comp = ind.target.comparator
    if comp == Comparator.eq:  # "reach T": in the desired direction
        comp = Comparator.ge if ind.direction == Direction.increase else Comparator.le
    if comp == Comparator.between:
        U = ind.target.upper
        return (v.low >= T and v.high <= U), (v.high >= T and v.low <= U and not (v.high == T and v.high_open)
                                              and not (v.low == U and v.low_open))
    if comp == Comparator.approx:
        tol = ind.target.tolerance if ind.target.tolerance is not None else tolerance
        band = abs(T) * tol
        if ind.direction == Direction.increase:
            return v.low >= T - band, v.high >= T - band
        return v.high <= T + band, v.low <= T + band
    if comp == Comparator.ge:
        return v.low >= T, v.high >= T
    if comp == Comparator.gt:
        return (v.low > T or (v.low == T and v.low_open)), v.high > T
    if comp == Comparator.le:
        return v.high <= T, v.low <= T
    if comp == Comparator.lt:
        return (v.high < T or (v.high == T and v.high_open)), v.low < T
    raise ValueError(comp)


def gap_to_target(ind: Indicator, v: float, tolerance: float) -> float:
    """What is still missing: (target − value), in the indicator's unit; 0 once met. For a range,
    the distance to its nearer end."""
    if meets_target(ind, Interval.exact(v), tolerance)[0]:
        return 0.0
    t = ind.target
    if t.comparator == Comparator.between:
        return (t.value - v) if v < t.value else (t.upper - v)
    return t.value - v


def beyond_range(ind: Indicator, v: float, baseline: float | None) -> bool:
    """A value past the far end of a range (5—6 % reached 7 % from 4 %): not met, and no pace."""
    t = ind.target
    if t.comparator != Comparator.between:
        return False
    if baseline is None or baseline < t.value:
        return v > t.upper
    if baseline > t.upper:
        return v < t.value
    return v < t.value or v > t.upper


@dataclass(frozen=True)
class Progress:
    data_year: int
    actual: float  # the conservative end of the interval
    planned: float | None
    time_elapsed: float | None
    completion: float | None
    observed_growth: float | None
    planned_growth: float | None
    growth_ratio: float | None
    required_growth: float | None
    projected: float | None
    status: str
    status_definite: bool
    status_if_high: str | None
    deterioration: bool
    method: str
    gap: float | None = None  # target − actual (0 once met); for a range, to its nearer end
    reason_code: str | None = None  # why the pace is not judged (see assessment.REASONS)

    def as_dict(self) -> dict:
        return asdict(self)


def _growth(shape: PathShape, start: float, end: float, years: float, cumulative: bool) -> float | None:
    """Per-year growth: a rate for geometric/compound paths, units per year for linear ones."""
    if years <= 0:
        return None
    if cumulative:  # values are cumulative % changes; convert to level indices first
        a, z = 1 + start / 100.0, 1 + end / 100.0
        if a <= 0 or z <= 0:
            return None
        return (z / a) ** (1 / years) - 1
    if shape == PathShape.geometric:
        if start <= 0 or end <= 0:
            return None
        return (end / start) ** (1 / years) - 1
    return (end - start) / years


def _project(shape: PathShape, value: float, growth: float | None, years: float, cumulative: bool) -> float | None:
    if growth is None:
        return None
    if cumulative:
        return 100.0 * ((1 + value / 100.0) * (1 + growth) ** years - 1)
    if shape == PathShape.geometric:
        return value * (1 + growth) ** years
    return value + growth * years


def _status_from_ratio(ratio: float | None, s) -> str:
    if ratio is None:
        return "no_comparable_data"
    if ratio >= s["ahead_ratio"]:
        return "ahead"
    if ratio >= s["on_track_ratio"]:
        return "on_track"
    if ratio >= s["behind_ratio"]:
        return "behind"
    return "seriously_behind"


def _combine(statuses: list[str]) -> tuple[str, bool, str | None]:
    """(reported, definite, optimistic): the worse reading decides; the better is shown when they differ."""
    worse = max(statuses, key=lambda s: _RANK[s])
    best = min(statuses, key=lambda s: _RANK[s])
    definite = len(set(statuses)) == 1
    return worse, definite, None if definite else best


def assess_progress(
    ind: Indicator,
    baseline: float | None,
    data_year: int,
    value: float,
    qualifier: str,
    settings,
    *,
    base_year: int | None = None,
    baseline_qualifier: str | None = "exact",
    target_year: int | None = None,
) -> Progress:
    """Status of `ind` given its (re-based) baseline and the value observed in `data_year`.

    `value` is in the indicator's own terms: a level, a share, or (cumulative kinds) the
    cumulative % change since the base year. Qualified values — and qualified baselines (超过50) —
    are assessed at both ends of their interval; the status is definite only when every reading
    agrees, else the worse one is reported and the better one is `status_if_high`.
    `base_year` defaults to the printed baseline's year (the plan's base year when none is printed);
    `target_year` serves period targets (cumulative) printed without a year.
    """
    if ind.kind == TargetKind.average_annual_growth:
        raise ValueError("use assess_average_growth for average-annual-growth targets")
    t0, T = _years(ind, base_year, target_year)
    tol = settings["approx_tolerance"]
    interval = interval_for(value, qualifier, settings["near_epsilon"])
    cumulative = ind.kind == TargetKind.cumulative_change
    if cumulative:
        bands = [0.0]
    else:
        lo, hi = baseline_band(base_value(ind, baseline), baseline_qualifier, settings["near_epsilon"])
        bands = [lo] if lo == hi else [lo, hi]
    met_all, _ = meets_target(ind, interval, tol)
    statuses: list[str] = []
    results: list[tuple[float, float, dict]] = []
    reason = None
    for b in bands:
        d = _path_sign(ind, b, path_target(ind, b))
        ends = (interval.low, interval.high) if d > 0 else (interval.high, interval.low)  # conservative first
        for v in ends:
            if met_all or math.isinf(v) and meets_target(ind, Interval.exact(v), tol)[0]:
                statuses.append("achieved")
                continue
            if math.isinf(v) or beyond_range(ind, v, b):
                statuses.append("not_met")  # 不足X for a target to increase: the reading has no lower end
                reason = "unbounded_value" if math.isinf(v) else "beyond_range"
                continue
            res = _progress_at(ind, b, data_year, v, settings, t0, T)
            results.append((b, v, res))
            met, _ = meets_target(ind, Interval.exact(v), tol)
            if not met and res["status"] == "no_comparable_data":  # the target equals the baseline: no pace
                reason = "target_equals_baseline"
                res["status"] = "not_met"
            statuses.append("achieved" if met else res["status"])
    status, definite, if_high = _combine(statuses)
    if not results:  # every reading is unbounded or past a range: report at the printed value
        v = value
        results.append((bands[0], v, _progress_at(ind, bands[0], data_year, v, settings, t0, T)))
    # The numbers shown are those of the conservative reading: the worse status, then the baseline end
    # farther from the target and the value end nearer the baseline.
    d0 = _sign(ind)
    b, v, res = max(results, key=lambda r: (_RANK.get(r[2]["status"], 0), d0 * r[0], -d0 * r[1]))
    return Progress(
        data_year=data_year,
        actual=v,
        planned=res["planned"],
        time_elapsed=res["time_elapsed"],
        completion=res["completion"],
        observed_growth=res["observed_growth"],
        planned_growth=res["planned_growth"],
        growth_ratio=res["growth_ratio"],
        required_growth=res["required_growth"] if status != "achieved" else None,
        projected=res["projected"],
        status=status,
        status_definite=definite,
        status_if_high=if_high,
        deterioration=res["growth_ratio"] is not None and res["growth_ratio"] < 0,
        method=res["method"],
        gap=gap_to_target(ind, v, tol) if not math.isinf(v) else 0.0,
        reason_code=reason if status == "not_met" else None,
    )


def _progress_at(ind: Indicator, b: float, year: int, v: float, s, t0: int, T: int) -> dict:
    cumulative = ind.kind == TargetKind.cumulative_change
    shape = ind.path_shape
    target = path_target(ind, b)
    n, N = year - t0, T - t0
    d = _path_sign(ind, b, target)
    planned = planned_value(ind, b, year, t0, T)
    distance = target - b
    completion = (v - b) / distance if distance != 0 else None
    observed = _growth(shape, b, v, n, cumulative)
    required = _growth(shape, b, target, N, cumulative)
    if shape == PathShape.geometric and (observed is None or required is None):
        # Non-positive values cannot grow geometrically; fall back to the linear reading.
        shape = PathShape.linear
        observed = _growth(shape, b, v, n, cumulative)
        required = _growth(shape, b, target, N, cumulative)
    ratio = None
    if observed is not None and required not in (None, 0):
        ratio = d * observed / abs(required)
    remaining = _growth(shape, v, target, T - year, cumulative) if year < T else None
    projected = _project(shape, v, observed, T - year, cumulative) if year <= T else v
    status = _status_from_ratio(ratio, s) if n > 0 else "no_comparable_data"
    method = labels.PATH_METHOD[shape.value][0]  # English twin: labels.method_words
    return {
        "planned": planned,
        "time_elapsed": n / N,
        "completion": completion,
        "observed_growth": observed,
        "planned_growth": required,
        "growth_ratio": ratio,
        "required_growth": remaining,
        "projected": projected,
        "status": status,
        "method": method,
    }


def assess_without_pace(ind: Indicator, data_year: int, value: float, qualifier: str, settings, reason_code: str,
                        *, target_year: int | None = None, base_year: int | None = None) -> Progress:
    """A target whose pace cannot be judged (no baseline, an undated target): met or not, the gap,
    and — when the target has a year — the growth per year still needed. Never a pace status."""
    tol = settings["approx_tolerance"]
    interval = interval_for(value, qualifier, settings["near_epsilon"])
    definitely, possibly = meets_target(ind, interval, tol)
    status = "achieved" if definitely else "not_met"
    d = _sign(ind)
    v = interval.low if d > 0 else interval.high
    if math.isinf(v):
        v = value
    T = ind.target.year if ind.target.year is not None else target_year
    required = None
    shape = ind.path_shape
    cumulative = ind.kind == TargetKind.cumulative_change
    if status != "achieved" and T is not None and data_year < T:
        target = ind.target.value if ind.target.comparator != Comparator.between else (
            ind.target.value if v < ind.target.value else ind.target.upper)
        required = _growth(shape, v, target, T - data_year, cumulative)
        if required is None and shape == PathShape.geometric:
            shape = PathShape.linear
            required = _growth(shape, v, target, T - data_year, cumulative)
    elapsed = None
    if T is not None and base_year is not None and T > base_year:
        elapsed = (data_year - base_year) / (T - base_year)
    return Progress(
        data_year=data_year, actual=v, planned=None, time_elapsed=elapsed, completion=None,
        observed_growth=None, planned_growth=None, growth_ratio=None, required_growth=required, projected=None,
        status=status, status_definite=definitely or not possibly,
        status_if_high=None if (definitely or not possibly) else "achieved",
        deterioration=False,
        method=labels.PATH_METHOD["target_only"][0],
        gap=gap_to_target(ind, v, tol), reason_code=None if status == "achieved" else reason_code,
    )


def assess_every_year(ind: Indicator, values: dict[int, tuple[float, str]], years: list[int], complete: bool,
                      settings) -> tuple[Progress, dict]:
    """保持…以上: the condition must hold in each of `years` (the period so far). Any year that
    definitely fails makes it not met, named; all years met → on track, achieved once the period is
    `complete`. A year without data is named and keeps it from being achieved."""
    tol = settings["approx_tolerance"]
    eps = settings["near_epsilon"]
    checks, failed, unsure, missing = {}, [], [], []
    for y in years:
        if y not in values:
            missing.append(y)
            continue
        definitely, possibly = meets_target(ind, interval_for(*values[y], eps), tol)
        checks[y] = definitely
        if not possibly:
            failed.append(y)
        elif not definitely:
            unsure.append(y)
    last = max(values) if values else years[-1]
    v, q = values[last]
    if failed:
        status, definite, high, code = "not_met", True, None, "every_year_failed"
    elif unsure:
        status, definite, high, code = "not_met", False, ("achieved" if complete and not missing else "on_track"), \
            "every_year_unsure"
    else:
        status = "achieved" if complete and not missing else "on_track"
        definite, high, code = True, None, ("every_year_missing" if missing else None)
    prog = Progress(
        data_year=last, actual=interval_for(v, q, eps).low if _sign(ind) > 0 else interval_for(v, q, eps).high,
        planned=None, time_elapsed=None, completion=None, observed_growth=None, planned_growth=None,
        growth_ratio=None, required_growth=None, projected=None, status=status, status_definite=definite,
        status_if_high=high, deterioration=False, method="每年均须达到（保持…以上）：逐年检验",
        gap=gap_to_target(ind, v, tol), reason_code=code,
    )
    if math.isinf(prog.actual):
        prog = Progress(**{**prog.as_dict(), "actual": v})
    return prog, {"years": checks, "failed_years": failed, "unsure_years": unsure, "missing_years": missing}


def assess_average_growth(ind: Indicator, rates: dict[int, float], settings, *, base_year: int | None = None,
                          target_year: int | None = None) -> Progress:
    """Targets that are themselves an average annual growth rate (年均增长 g%).

    `rates` maps year → observed growth (%) for consecutive years after the base year (the printed
    baseline's year, else `base_year`: the plan's). Achieved once the compounded growth so far already
    reaches (1+g)^N (a range only at the end of the period).
    """
    t0, T = _years(ind, base_year, target_year)
    g = ind.target.value / 100.0
    years = sorted(y for y in rates if t0 < y <= T)
    if not years or years != list(range(t0 + 1, years[-1] + 1)):
        raise ValueError("average-growth assessment needs consecutive annual rates from the base year")
    n, N = len(years), T - t0
    d = _sign(ind)
    growth_factor = math.prod(1 + rates[y] / 100.0 for y in years)
    observed = growth_factor ** (1 / n) - 1 if growth_factor > 0 else -1.0
    ratio = d * observed / abs(g) if g != 0 else None
    completion = (growth_factor - 1) / ((1 + g) ** N - 1) if g != 0 else None
    remaining = None
    if n < N and growth_factor > 0:
        remaining = ((1 + g) ** N / growth_factor) ** (1 / (N - n)) - 1
    comp = ind.target.comparator
    if comp == Comparator.between:
        inside = meets_target(ind, Interval.exact(100 * observed), settings["approx_tolerance"])[0]
        achieved = n == N and inside
        status = "achieved" if achieved else ("not_met" if n == N or ratio is None else _status_from_ratio(ratio, settings))
    else:
        if comp == Comparator.approx:
            tol = ind.target.tolerance if ind.target.tolerance is not None else settings["approx_tolerance"]
            g_met = g - d * abs(g) * tol
        else:
            g_met = g
        achieved = growth_factor >= (1 + g_met) ** N if d > 0 else growth_factor <= (1 + g_met) ** N
        status = "achieved" if achieved else ("not_met" if ratio is None else _status_from_ratio(ratio, settings))
    return Progress(
        data_year=years[-1], actual=100 * observed, planned=100 * g, time_elapsed=n / N,
        completion=completion, observed_growth=observed, planned_growth=g, growth_ratio=ratio,
        required_growth=remaining if status != "achieved" else None, projected=100 * observed, status=status,
        status_definite=True, status_if_high=None, deterioration=ratio is not None and ratio < 0,
        method="年均增速目标：已实现几何平均增速/目标增速",
        gap=0.0 if status == "achieved" else ind.target.value - 100 * observed,
        reason_code=None if status != "not_met" else ("zero_growth_target" if g == 0 else "beyond_range"),
    )
