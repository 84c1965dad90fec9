"""Builders of small delivery data sets for the delivery analytics tests."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from zhizao.ingest.delivery_frames import FRAMES, DeliveryData, empty_frame

ASSETS = Path(__file__).resolve().parents[2] / "assets"


def frame(name: str, rows: list[dict]) -> pd.DataFrame:
    """A contract frame of `name` from partial rows (missing text columns "", numbers NaN)."""
    if not rows:
        return empty_frame(name)
    empty = empty_frame(name)
    full = [{c: r.get(c, "" if empty[c].dtype == object else None) for c in FRAMES[name]} for r in rows]
    return pd.DataFrame(full, columns=FRAMES[name]).astype(empty.dtypes.to_dict())


def ddata(*, synthetic=(), as_of=None, history=None, source="test", **rows) -> DeliveryData:
    frames = {f: frame(f, rows.get(f, [])) for f in FRAMES}
    kw = dict(synthetic_frames=frozenset(synthetic), source=source, as_of=as_of)
    if history is not None:
        kw["history"] = history
    return DeliveryData(**frames, **kw)


def project(pid="P1", **kw) -> dict:
    return {"project_id": pid, "name": f"项目{pid}", "district": "990101", "planned_investment": 10000.0,
            "status": "active", **kw}
