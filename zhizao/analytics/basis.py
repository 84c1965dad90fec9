"""What a value's basis allows (docs/methodology.md §"The basis of a value"). Pure functions.

An observation is a level, a change on the previous year, a cumulative change since a year, an
average over a period or a stock as of a date (zhizao.ingest.basis). A target uses only what
answers its question; anything else is kept out of the status with a reason, never dropped:

* level targets (level, share, count, index, ratio): levels and stocks (a stock counts for the
  year of its date);
* cumulative changes: cumulative changes since the plan's base year, levels of the indicator's
  own measure (as before the basis existed), and annual changes compounded
  (1 + r₁)(1 + r₂)… − 1 over consecutive years from the base year;
* average annual growth: annual rates (levels or changes on the previous year) and, for years
  without one, the rate implied by an average since the base year (never replacing annual rates);
* chained links (chain_real_growth, chain_annual_changes) take annual changes (or levels of a
  growth-rate series); ratios and cumulative_from_levels take levels and stocks.
"""
from __future__ import annotations

import math
from typing import Any

from zhizao.ingest.basis import basis_label, stock_year
from zhizao.plan.spec import TargetKind

LEVEL, CHANGE, CUMULATIVE, AVERAGE, STOCK = (
    "level", "change_on_previous_year", "cumulative_since", "average_over", "stock_as_of")
LEVEL_KINDS = (TargetKind.level, TargetKind.share, TargetKind.count, TargetKind.index, TargetKind.ratio)


def row_basis(row: Any) -> tuple[str, str | None]:
    """(basis, basis_from) of an observation row; a row without them (an older store) is a level."""
    get = row.get if hasattr(row, "get") else (lambda k, d=None: d)
    basis, start = get("basis", None), get("basis_from", None)
    basis = basis if isinstance(basis, str) and basis else LEVEL
    start = start if isinstance(start, str) and start else None
    return basis, start


def _both(zh: str, en: str) -> str:
    return f"{zh} / {en}"


def identity_reason(kind: TargetKind, basis: str, basis_from: str | None, base_year: int) -> str | None:
    """Why a value on `basis` cannot stand for the indicator's own value (None: it can).
    Annual changes for cumulative targets and averages for average targets are not refused here:
    they are compounded / filled in (`compound_changes`, `implied_rates`)."""
    label_zh, label_en = basis_label(basis, basis_from, "zh"), basis_label(basis, basis_from, "en")
    if kind in LEVEL_KINDS:
        if basis in (LEVEL, STOCK):
            return None
        return _both(f"该数值为{label_zh}，目标是水平值，不能直接比较（由增速推算水平请用 chain_real_growth 关联）",
                     f"the value is a {label_en}; the target is a level and they do not compare "
                     "(to derive a level from growth rates use a chain_real_growth link)")
    if kind == TargetKind.cumulative_change:
        if basis in (LEVEL, CHANGE):
            return None
        if basis == CUMULATIVE:
            if basis_from == str(base_year):
                return None
            return _both(f"该数值{label_zh}，目标自基期{base_year}年起算，起算年份不同",
                         f"the value is {label_en}; the target counts from the base year {base_year}")
        return _both(f"该数值为{label_zh}，累计变化目标只用较基期累计值或逐年变化率",
                     f"the value is a {label_en}; a cumulative target uses cumulative changes since the "
                     "base year or annual changes")
    if kind == TargetKind.average_annual_growth:
        if basis in (LEVEL, CHANGE):
            return None
        if basis == AVERAGE:
            if basis_from == str(base_year):
                return None
            return _both(f"该数值为{label_zh}，目标为自基期{base_year}年起的年均增速，期间不同",
                         f"the value is an {label_en}; the target is the average since the base year {base_year}")
        return _both(f"该数值为{label_zh}，年均增速目标只用逐年增速或自基期起的期间年均值",
                     f"the value is a {label_en}; an average-growth target uses annual rates or the "
                     "average since the base year")
    return None


def input_reason(transform: str, basis: str, basis_from: str | None) -> str | None:
    """Why a row on `basis` cannot be an input of a derived link (None: it can)."""
    if transform in ("chain_real_growth", "chain_annual_changes"):
        ok, want_zh, want_en = (LEVEL, CHANGE), "逐年增速（比上年）", "annual rates (change on the previous year)"
    else:  # derived_ratio, cumulative_from_levels
        ok, want_zh, want_en = (LEVEL, STOCK), "水平值或时点存量", "levels or stocks"
    if basis in ok:
        return None
    return _both(f"该数值为{basis_label(basis, basis_from, 'zh')}，{transform} 只用{want_zh}",
                 f"the value is a {basis_label(basis, basis_from, 'en')}; {transform} uses {want_en}")


def stock_note(basis_from: str | None) -> str:
    year = stock_year(basis_from)
    return _both(f"截至{basis_from}的存量，计入{year}年", f"stock as of {basis_from}, counted for {year}")


def compound_changes(rates: list[float]) -> float:
    """Cumulative change (%) of consecutive annual changes (%): ((1 + r₁)(1 + r₂)… − 1)·100."""
    return 100.0 * (math.prod(1 + r / 100.0 for r in rates) - 1)


def consecutive_from(years, start: int) -> list[int]:
    """`start`, `start + 1`, … as long as each is in `years` (no interpolation across a gap)."""
    out, y, have = [], start, set(years)
    while y in have:
        out.append(y)
        y += 1
    return out


def implied_rates(average: float, base_year: int, year: int, known: dict[int, float]) -> dict[int, float]:
    """Annual rates (%) for the years after `base_year` up to `year` that `known` lacks, such that
    with the known rates they compound to the average: Π(1 + g) = (1 + ā)^(year − base_year).
    The missing years share one rate (which of them grew faster is unknown); an empty dict when
    nothing is missing or the average cannot be met (a factor ≤ 0)."""
    years = range(base_year + 1, year + 1)
    missing = [y for y in years if y not in known]
    if not missing:
        return {}
    total = (1 + average / 100.0) ** (year - base_year)
    have = math.prod(1 + known[y] / 100.0 for y in years if y in known)
    if total <= 0 or have <= 0:
        return {}
    rate = 100.0 * ((total / have) ** (1 / len(missing)) - 1)
    return {y: rate for y in missing}
