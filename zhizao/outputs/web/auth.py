"""The single authorisation point of the dashboard.

Every router is included with `Depends(current_user)` (see app.py), so a request reaches no page,
JSON twin, download or upload without passing through this function. Today it returns one
anonymous city-level user. The roadmap adds district users who may see only their own district's
enterprise data: that check belongs here (who the user is) and in `User.can_see_region` /
`User.visible` (what they may see), which every page that shows observations already calls, so
adding district users changes this module and not the pages.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from fastapi import Request

CITY = "500000"


@dataclass(frozen=True)
class User:
    id: str
    level: str  # "city" sees everything; "district" (roadmap) sees its own district's enterprise rows
    region: str = CITY  # GB/T 2260 code the user belongs to
    can_import: bool = True

    def can_see_region(self, region: str) -> bool:
        return self.level == "city" or region == self.region

    def visible(self, obs: pd.DataFrame) -> pd.DataFrame:
        """Rows of an observations frame this user may see. Published aggregate statistics are
        public; only enterprise-level rows (none yet in the store) will be restricted."""
        if self.level == "city" or obs.empty or "enterprise_id" not in obs.columns:
            return obs
        mine = obs["enterprise_id"].isna() | (obs["region"] == self.region)
        return obs[mine]


ANONYMOUS_CITY_USER = User(id="anonymous", level="city")


def current_user(request: Request) -> User:
    """Who is asking. No login yet: everyone is the anonymous city-level user.

    Raise fastapi.HTTPException(401/403) here to refuse a request; FastAPI runs this once per
    request even when a handler also asks for the user.
    """
    return ANONYMOUS_CITY_USER
