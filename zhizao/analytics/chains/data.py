"""The chain data: enterprises, their places on the plan's chain links, and who supplies whom.

Three frames with fixed columns (the contract every reader and writer keeps):
- enterprises: enterprise_id (统一社会信用代码 for real data), name, district (GB/T 2260 code of where it
  produces, inside or outside the plan's area; empty when abroad), country (ISO 3166-1 alpha-2, "CN" at
  home), output (annual output value, 万元; NaN when unknown);
- members: enterprise_id, chain, link, role (ROLES), capacity (annual capacity for the link, 万元; NaN ok);
- supply: supplier_id, buyer_id, chain, link (the product the supplier delivers), share (fraction 0–1 of
  the buyer's need for that product; per buyer and link the shares sum to at most 1, the rest unrecorded).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

ENTERPRISE_COLUMNS = ["enterprise_id", "name", "district", "country", "output"]
MEMBER_COLUMNS = ["enterprise_id", "chain", "link", "role", "capacity"]
SUPPLY_COLUMNS = ["supplier_id", "buyer_id", "chain", "link", "share"]
ROLES = ("leader", "core", "supplier")  # 链主 / 核心配套 / 配套
HOME_COUNTRY = "CN"


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("output", "capacity", "share") else object)
                         for c in columns})


@dataclass(frozen=True)
class ChainData:
    enterprises: pd.DataFrame
    members: pd.DataFrame
    supply: pd.DataFrame
    synthetic: bool  # True: every output labels it 合成数据（演示用）/ SYNTHETIC
    source: str  # in words: the generator and its seed, or the imported file
    batch_id: str | None = None  # the store batch it came from; None for the in-memory synthetic default
    as_of: str | None = None  # 'YYYY-MM-DD' the data describe

    @classmethod
    def empty(cls, source: str = "", *, synthetic: bool = False) -> "ChainData":
        return cls(_empty(ENTERPRISE_COLUMNS), _empty(MEMBER_COLUMNS), _empty(SUPPLY_COLUMNS),
                   synthetic=synthetic, source=source)

    @property
    def is_empty(self) -> bool:
        return self.members.empty
