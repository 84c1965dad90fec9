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
from dataclasses import asdict, dataclass

from zhizao.plan.spec import Comparator, Direction, Indicator, PathShape, TargetKind

STATUSES = ("achieved", "ahead", "on_track", "behind", "seriously_behind", "no_comparable_data")
STATUS_LABELS = {
    "achieved": ("提前实现", "achieved"),
    "ahead": ("快于预期", "ahead of plan"),
    "on_track": ("基本符合预期", "on track"),
    "behind": ("滞后于预期", "behind plan"),
    "seriously_behind": ("严重滞后", "seriously behind"),
    "no_comparable_data": ("无可比数据", "no comparable data"),
}
# Worse statuses come later; the conservative reading of an interval is the worse one.
_RANK = {s: i for i, s in enumerate(STATUSES[:-1])}


def status_label(status: str, lang: str = "zh") -> str:
    zh, en = STATUS_LABELS[status]
    return en if lang == "en" else zh


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


def _sign(ind: Indicator) -> int:
    return -1 if ind.direction == Direction.decrease else 1


def base_value(ind: Indicator, baseline: float | None) -> float:
    """Cumulative changes start from 0 by definition; other kinds need a baseline."""
    if ind.kind == TargetKind.cumulative_change:
        return 0.0
    if baseline is None:
        raise ValueError(f"{ind.id}: a baseline is needed for kind {ind.kind.value}")
    return baseline


def planned_value(ind: Indicator, baseline: float | None, year: int | float) -> float:
    """Value on the planned path in `year`; equals the target exactly in the target year."""
    b = base_value(ind, baseline)
    t0, T, target = _base_year(ind, baseline), ind.target.year, ind.target.value
    tau = (year - t0) / (T - t0)
    shape = ind.path_shape
    if ind.kind == TargetKind.average_annual_growth:
        return target  # the path of an average-growth target is the constant rate itself
    if shape == PathShape.compound:
        return 100.0 * ((1 + target / 100.0) ** tau - 1)
    if shape == PathShape.geometric and b > 0 and target > 0:
        return b * (target / b) ** tau
    return b + (target - b) * tau


def _base_year(ind: Indicator, baseline: float | None) -> int:
    return ind.baseline.year if ind.baseline is not None else ind.target.year - 5


def meets_target(ind: Indicator, v: Interval, tolerance: float) -> tuple[bool, bool]:
    """(definitely met, possibly met) for the interval `v`."""
    T = ind.target.value
    comp = ind.target.comparator
    if comp == Comparator.eq:  # "reach T": in the desired direction
        comp = Comparator.ge if ind.direction == Direction.increase else Comparator.le
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


@dataclass(frozen=True)
class Progress:
    data_year: int
    actual: float  # the conservative end of the interval
    planned: float
    time_elapsed: float
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


def assess_progress(
    ind: Indicator,
    baseline: float | None,
    data_year: int,
    value: float,
    qualifier: str,
    settings,
) -> Progress:
    """Status of `ind` given its (re-based) baseline and the value observed in `data_year`.

    `value` is in the indicator's own terms: a level, a share, or (cumulative kinds) the
    cumulative % change since the base year. Qualified values are assessed at both ends of their
    interval; the status is definite only when both ends agree, else the worse one is reported.
    """
    if ind.kind == TargetKind.average_annual_growth:
        raise ValueError("use assess_average_growth for average-annual-growth targets")
    interval = interval_for(value, qualifier, settings["near_epsilon"])
    d = _sign(ind)
    conservative = interval.low if d > 0 else interval.high
    optimistic = interval.high if d > 0 else interval.low

    statuses = []
    results = {}
    for end_name, v in (("conservative", conservative), ("optimistic", optimistic)):
        if math.isinf(v):
            statuses.append("achieved")
            continue
        res = _progress_at(ind, baseline, data_year, v, settings)
        results[end_name] = res
        met, _ = meets_target(ind, Interval.exact(v), settings["approx_tolerance"])
        statuses.append("achieved" if met else res["status"])
    # The interval as a whole may meet a target its end points alone do not:
    # 超6 is (6, ∞), entirely above a target of ">6".
    met_all, _ = meets_target(ind, interval, settings["approx_tolerance"])
    if met_all:
        statuses = ["achieved", "achieved"]
    low_status, high_status = statuses
    worse = max(low_status, high_status, key=lambda s: _RANK[s])
    definite = low_status == high_status
    res = results.get("conservative") or results["optimistic"]
    return Progress(
        data_year=data_year,
        actual=conservative if not math.isinf(conservative) else value,
        planned=res["planned"],
        time_elapsed=res["time_elapsed"],
        completion=res["completion"],
        observed_growth=res["observed_growth"],
        planned_growth=res["planned_growth"],
        growth_ratio=res["growth_ratio"],
        required_growth=res["required_growth"],
        projected=res["projected"],
        status=worse,
        status_definite=definite,
        status_if_high=None if definite else high_status,
        deterioration=res["growth_ratio"] is not None and res["growth_ratio"] < 0,
        method=res["method"],
    )


def _progress_at(ind: Indicator, baseline: float | None, year: int, v: float, s) -> dict:
    cumulative = ind.kind == TargetKind.cumulative_change
    shape = ind.path_shape
    b = base_value(ind, baseline)
    t0, T, target = _base_year(ind, baseline), ind.target.year, ind.target.value
    n, N = year - t0, T - t0
    d = _sign(ind)
    planned = planned_value(ind, baseline, year)
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
    method = {
        PathShape.geometric: "几何路径（年均增速）；观察增速/所需增速（Eurostat/Open SDG）",
        PathShape.linear: "线性路径（百分点/每年增量）；年均增量之比（Eurostat/Open SDG 比值法的线性形式）",
        PathShape.compound: "复合累计路径：1−(1+c_T)^(n/N)；年均变化率之比",
    }[shape]
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


def assess_average_growth(ind: Indicator, rates: dict[int, float], settings) -> Progress:
    """Targets that are themselves an average annual growth rate (年均增长 g%).

    `rates` maps year → observed growth (%) for consecutive years after the base year.
    Achieved once the compounded growth so far already reaches (1+g)^N.
    """
    t0 = ind.baseline.year if ind.baseline else ind.target.year - 5
    T, g = ind.target.year, ind.target.value / 100.0
    years = sorted(y for y in rates if y > t0)
    if not years or years != list(range(t0 + 1, years[-1] + 1)):
        raise ValueError("average-growth assessment needs consecutive annual rates from the base year")
    n, N = len(years), T - t0
    growth_factor = math.prod(1 + rates[y] / 100.0 for y in years)
    observed = growth_factor ** (1 / n) - 1
    ratio = observed / abs(g) if g != 0 else None
    completion = (growth_factor - 1) / ((1 + g) ** N - 1) if g != 0 else None
    remaining = (((1 + g) ** N / growth_factor) ** (1 / (N - n)) - 1) if n < N else None
    achieved = growth_factor >= (1 + g) ** N
    status = "achieved" if achieved else _status_from_ratio(ratio, settings)
    return Progress(
        data_year=years[-1], actual=100 * observed, planned=100 * g, time_elapsed=n / N,
        completion=completion, observed_growth=observed, planned_growth=g, growth_ratio=ratio,
        required_growth=remaining, projected=100 * observed, status=status, status_definite=True,
        status_if_high=None, deterioration=ratio is not None and ratio < 0,
        method="年均增速目标：已实现几何平均增速/目标增速",
    )
