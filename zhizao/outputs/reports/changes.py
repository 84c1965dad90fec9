"""What changed since the last report.

The previous evaluation is, in order of preference:
1. a report JSON saved beside the output by an earlier `build_report` (the last report actually
   issued), if it evaluates an earlier year or an earlier as-of date;
2. the assessment one year earlier, given by the caller (`previous_assessment`): evaluation year − 1
   and, when the report has an as-of date, that date − 1 year.
Neither: the report says there is nothing to compare with.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from zhizao import api
from zhizao.settings import SETTINGS

SAVED_PREFIX = "zhizao-report-"
SAVED_FORMAT = 1


@dataclass
class Previous:
    result: dict
    origin: str  # "saved" | "assessment"
    file: str | None = None  # the saved report's file name


def _key(result: dict) -> tuple:
    # No as-of date means "everything known", i.e. later than any dated view of the same year.
    return (result.get("year") or 0, result.get("as_of") or "9999-12-31")


def saved_payload(result: dict) -> dict:
    """What a report saves beside itself for the next report to compare with."""
    return {"zhizao_report": SAVED_FORMAT, "plan_id": result["plan"]["id"], "year": result["year"],
            "as_of": result.get("as_of"), "lang": result.get("lang"), "assessment": result}


def find_saved(out_dir: Path, result: dict) -> Previous | None:
    """The latest saved report in `out_dir` that is earlier than `result` (same plan)."""
    best: tuple | None = None
    for path in sorted(Path(out_dir).glob(f"{SAVED_PREFIX}*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        prev = data.get("assessment") if isinstance(data, dict) else None
        if data.get("zhizao_report") != SAVED_FORMAT or not isinstance(prev, dict):
            continue
        if data.get("plan_id") != result["plan"]["id"] or _key(prev) >= _key(result):
            continue  # another plan, or this very evaluation (a rebuild) or a later one
        if best is None or _key(prev) > best[0]:
            best = (_key(prev), Previous(prev, "saved", path.name))
    return best[1] if best else None


def one_year_earlier(as_of: str | None) -> str | None:
    if not as_of:
        return None
    d = date.fromisoformat(as_of)
    try:
        return d.replace(year=d.year - 1).isoformat()
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28).isoformat()


def previous_assessment(result: dict, plan=None, db=None, settings=None) -> dict | None:
    """The assessment one year earlier: evaluation year − 1, as-of date − 1 year (if any)."""
    year = result.get("year")
    if not year or year - 1 <= result["plan"]["base_year"]:
        return None
    if settings is None:  # the same thresholds as the report's own run (names this version knows)
        known = {s.name for s in SETTINGS}
        settings = {k: v for k, v in (result.get("settings") or {}).items() if k in known}
    return api.assess(plan, year=year - 1, as_of=one_year_earlier(result.get("as_of")), db=db,
                      lang=result.get("lang", "zh"), settings=settings)


@dataclass
class Change:
    indicator: dict  # current
    before: dict | None  # previous, same id


def compare(current: dict, previous: dict) -> list[Change]:
    """Indicators whose status, data year or value differ from the previous evaluation."""
    before = {i["id"]: i for i in previous.get("indicators", [])}
    out = []
    for ind in current["indicators"]:
        b = before.get(ind["id"])
        if b is None or any(ind.get(k) != b.get(k) for k in
                            ("status", "status_if_high", "data_year", "actual", "qualifier")):
            out.append(Change(ind, b))
    return out
