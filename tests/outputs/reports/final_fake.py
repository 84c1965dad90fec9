"""A small fake final-evaluation result (contract A) and next-plan reference table (contract B).

The final statuses and reference values are made by other parts of zhizao; the report tests code
against the contracts (docs/reports.md §Final evaluation) with these fakes, one per final status.
"""
from __future__ import annotations

import copy

import pandas as pd

LABELS = {"completed": "已完成", "basically_completed": "基本完成", "not_completed": "未完成",
          "expected_completed": "预计完成", "expected_basically_completed": "预计基本完成",
          "expected_difficult": "预计难以完成", "undetermined": "无法判断", "no_data": "无可比数据", "tracked": "仅监测"}

# (status, data_year, projected, completion %, text): every status of the contract at least once.
CASES = [
    ("completed", 2025, False, 104.2, "2025年实际值5210亿元，超额完成目标（目标5000亿元，完成104.2%）"),
    ("basically_completed", 2025, False, 96.0, "2025年实际值4800亿元，基本完成目标（目标5000亿元，完成96.0%）"),
    ("not_completed", 2025, False, 71.3, "2025年实际值为目标的71.3%，未完成目标"),
    ("expected_completed", 2023, True, 101.0, "最新数据为2023年，按趋势2025年预计完成目标"),
    ("expected_basically_completed", 2023, True, 95.5, "最新数据为2023年，按趋势2025年预计基本完成目标"),
    ("expected_difficult", 2022, True, 80.1, "最新数据为2022年，按趋势2025年预计难以完成目标"),
    ("undetermined", 2023, False, 86.7, "最新数据为2023年（超2.6万），不低于目标的86.7%，能否完成无法确认"),
    ("no_data", None, False, None, "没有可比数据，无法评估"),
]


def make_final(result: dict) -> dict:
    """`result` (a real 2025 assessment) with the contract-A fields filled in, statuses cycling through CASES."""
    r = copy.deepcopy(result)
    r["evaluation"] = {"kind": "final", "year": r["year"], "target_year": r["plan"]["target_year"]}
    counts: dict[str, int] = {}
    for k, ind in enumerate(r["indicators"]):
        status, year, projected, completion, text = CASES[k % len(CASES)]
        ind["final"] = {
            "status": status, "label": LABELS[status], "data_year": year, "projected": projected,
            "projection": ({"year": 2025, "value": (ind.get("actual") or 100.0) * 1.1,
                            "low": (ind.get("actual") or 100.0) * 1.02, "high": (ind.get("actual") or 100.0) * 1.18,
                            "method": "trend"} if projected else None),
            "completion_pct": completion, "over_completed": bool(completion and completion > 100), "text": text,
        }
        counts[status] = counts.get(status, 0) + 1
    r["summary"]["final_counts"] = counts
    r["summary"]["binding_final"] = [i["id"] for i in r["indicators"] if i.get("binding")]
    return r


def make_mid(result: dict) -> dict:
    """A mid-term result (contract A: final is null)."""
    r = copy.deepcopy(result)
    r["year"] = r["plan"]["target_year"] - 2
    r["evaluation"] = {"kind": "mid_term", "year": r["year"], "target_year": r["plan"]["target_year"]}
    for ind in r["indicators"]:
        ind["final"] = None
    return r


def make_draft(result: dict) -> pd.DataFrame:
    """Contract B's table: one row per indicator."""
    rows = []
    for ind in result["indicators"]:
        v = ind.get("actual")
        rows.append({
            "indicator": ind["id"], "name": ind["name"], "unit": ind["unit"], "kind": ind.get("kind"),
            "latest_year": ind.get("data_year"), "latest_value": v,
            "reference_value": None if v is None else v * 1.3, "low": None if v is None else v * 1.1,
            "high": None if v is None else v * 1.5, "method": "趋势外推" if v is not None else None,
            "in_force_plan": "现行规划", "in_force_target": None if v is None else v * 1.2,
            "in_force_year": 2027 if v is not None else None,
            "stated_growth_check": "目标与所述增速一致" if v is not None else None, "note": None,
        })
    return pd.DataFrame(rows)
