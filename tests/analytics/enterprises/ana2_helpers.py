"""Small hand-built enterprise data for the 专精特新, count, green and warning tests: rows as dicts, the
contract's columns filled in ("" for text, NaN for numbers) so each test writes only what it checks."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from zhizao.analytics.enterprises.data import FRAMES, EnterpriseData, empty_frame

ASSETS = Path(__file__).resolve().parents[2] / "assets"


def frame(name: str, rows: list[dict] | None) -> pd.DataFrame:
    empty = empty_frame(name)
    if not rows:
        return empty
    df = pd.DataFrame(rows)
    for c in FRAMES[name]:
        if c not in df:
            df[c] = "" if empty[c].dtype == object else np.nan
    return df[FRAMES[name]].astype({c: empty[c].dtype for c in FRAMES[name]})


def edata(*, registry=None, tags=None, annual=None, srdi=None, parks=None, green=None, synthetic=False,
          as_of=None, source="测试数据 test rows") -> EnterpriseData:
    return EnterpriseData(frame("registry", registry), frame("tags", tags), frame("annual", annual),
                          frame("srdi", srdi), frame("parks", parks), frame("green", green),
                          synthetic=synthetic, source=source, as_of=as_of)
