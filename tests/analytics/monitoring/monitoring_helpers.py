"""Tiny crafted inputs for the warning rules."""
import numpy as np
import pandas as pd


from zhizao.analytics.monitoring.context import context_from_levels
from zhizao.analytics.monitoring.panel import build_panel
from zhizao.analytics.monitoring.context import context_from_panel


def city_levels(values, first_year=2021, subject_type="city", subject_id="500000", measure="value_added"):
    """Single-period levels, 11 reporting periods a year (month 2 = 1–2月)."""
    n = len(values)
    slot = np.arange(n)
    return pd.DataFrame({"subject_type": subject_type, "subject_id": subject_id,
                         "year": first_year + slot // 11, "month": slot % 11 + 2, measure: values})


def ctx_from(*frames):
    return context_from_levels(pd.concat(frames, ignore_index=True))


def enterprise_ctx(series: dict[int, dict[str, list]], first_year=2023):
    """Enterprises id → {measure: values per slot (None = not reported)} → context with a panel."""
    rows = []
    for eid, measures in series.items():
        n = len(measures["value_added"])
        for t in range(n):
            if measures["value_added"][t] is None:
                continue
            rows.append({"enterprise_id": eid, "year": first_year + t // 11, "month": t % 11 + 2,
                         **{m: v[t] for m, v in measures.items()}})
    monthly = pd.DataFrame(rows)
    ent = pd.DataFrame({"enterprise_id": list(series), "credit_code": [f"C{e}" for e in series],
                        "name": [f"合成企业{e:06d}" for e in series], "district": "500112",
                        "industry": "36", "cluster": "automotive", "zone": "NONE"})
    return context_from_panel(build_panel(ent, monthly))


