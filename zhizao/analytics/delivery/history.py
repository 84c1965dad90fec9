"""What changed in each version of a delivery row (docs/delivery.md §History).

`history` is DeliveryData.history: one row per stored version (HISTORY_COLUMNS + `values`, a dict
column → value). Per key, versions are taken in the order they were recorded; each is compared with
the latest earlier version that is not withdrawn (the one that was in force when it was recorded):
the first gives one row with change "created" (column ""), a later one a row per changed column
(change "changed"; a version that changes nothing gives none). A withdrawn version is listed like
the others with withdrawn True, and later versions are compared past it.
"""
from __future__ import annotations

import math

import pandas as pd

from zhizao import labels
from zhizao.ingest.delivery_frames import COLUMN_WORDS, FRAMES, KEYS

CHANGE_COLUMNS = ["frame", "key", "recorded_at", "actor", "kind", "batch_id", "withdrawn", "change", "change_zh",
                  "change_en", "column", "column_zh", "column_en", "before", "after"]


def _plain(v):
    """A stored value as compared and shown: None/NaN → "", whole floats → int."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is pd.NaT:
        return ""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _columns(frame: str, values: list[dict]) -> list[str]:
    own = [c for c in FRAMES.get(frame, []) if c not in KEYS.get(frame, [])]
    extra = sorted({c for v in values for c in v} - set(own) - set(KEYS.get(frame, [])))
    return own + extra


def changes(history: pd.DataFrame, frame: str | None = None, key: str | None = None) -> pd.DataFrame:
    """One row per created row or changed column, newest first; `frame` / `key` (key_text) narrow it."""
    h = history
    if frame is not None:
        h = h[h["frame"] == frame]
    if key is not None:
        h = h[h["key"].astype(str) == str(key)]
    if h.empty:
        return pd.DataFrame({c: pd.Series(dtype="bool" if c == "withdrawn" else "object") for c in CHANGE_COLUMNS})
    h = h.assign(_pos=range(len(h))).sort_values(["recorded_at", "_pos"], kind="stable")
    rows = []
    for (fr, k), versions in h.groupby(["frame", "key"], sort=False):
        in_force: dict | None = None
        cols = _columns(fr, [v for v in versions["values"] if isinstance(v, dict)])
        words = COLUMN_WORDS.get(fr, {})
        for v in versions.itertuples(index=False):
            values = {c: _plain(x) for c, x in (v.values if isinstance(v.values, dict) else {}).items()}
            head = {"frame": fr, "key": k, "recorded_at": v.recorded_at, "actor": v.actor or "", "kind": v.kind,
                    "batch_id": v.batch_id, "withdrawn": bool(v.withdrawn)}
            if in_force is None:
                rows.append({**head, **_change("created"), "column": "", "column_zh": "", "column_en": "",
                             "before": "", "after": ""})
            else:
                for c in cols:
                    before, after = in_force.get(c, ""), values.get(c, "")
                    if str(before) != str(after):
                        zh, en = words.get(c, (c, c))
                        rows.append({**head, **_change("changed"), "column": c, "column_zh": zh, "column_en": en,
                                     "before": before, "after": after})
            if not bool(v.withdrawn):
                in_force = values
    out = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    # newest version first; a version's columns stay in the frame's order
    out["_order"] = range(len(out))
    out = out.sort_values(["recorded_at", "_order"], ascending=[False, True], kind="stable")
    return out.drop(columns="_order").reset_index(drop=True)


def _change(code: str) -> dict:
    zh, en = labels.HISTORY_CHANGE[code]
    return {"change": code, "change_zh": zh, "change_en": en}
