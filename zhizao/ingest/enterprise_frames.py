"""The enterprise data an import produces and the analytics read: a registry with dated tags, yearly figures, 专精特新 inputs, parks, and the
area-level energy and water statistics of the green targets.

Six frames with fixed columns (the contract every reader and writer keeps; NaN/"" = unknown):
- registry: enterprise_id (统一社会信用代码, check character valid), name, district (GB/T 2260 code, one
  of the plan's districts), park (a park_id of `parks`, "" outside parks), industry_class (GB/T
  4754-2017 code, 2–4 digits), size (SIZES or ""), established ('YYYY-MM-DD' or "");
- tags: enterprise_id, tag (TAGS), level (LEVELS: "national", "municipal" or "" when the tag has no
  level), acquired ('YYYY-MM-DD'), lost ('YYYY-MM-DD' or "" while held). Spells of one (enterprise,
  tag, level) do not overlap; history is kept, never overwritten;
- annual: enterprise_id, year and the ANNUAL_MEASURES (units in ANNUAL_UNITS);
- srdi: enterprise_id, year and the 专精特新 scoring inputs SRDI_INPUTS that `annual` does not hold;
- parks: park_id, name, tier (a tier id of plan.park_system), districts (";"-joined GB/T 2260 codes),
  area (亩), leading_industries (";"-joined GB/T 4754 codes), and land-use control targets (万元/亩);
- green: area (plan.regions.whole_code or a district code), year, energy (万吨标准煤), water (万立方米),
  value_added (亿元, current prices), va_real_growth (% over the previous year at comparable prices).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from zhizao.plan.spec import EnterpriseTag

REGISTRY_COLUMNS = ["enterprise_id", "name", "district", "park", "industry_class", "size", "established"]
TAG_COLUMNS = ["enterprise_id", "tag", "level", "acquired", "lost"]
ANNUAL_MEASURES = ["land_area", "revenue", "main_revenue", "value_added", "tax", "energy", "electricity", "water",
                   "emissions", "rd_expense", "employees", "net_profit", "assets", "liabilities", "investment",
                   "env_violations", "quality_failures", "safety_violations", "obsolete_equipment"]
ANNUAL_COLUMNS = ["enterprise_id", "year", *ANNUAL_MEASURES]
ANNUAL_UNITS = {
    "land_area": "亩", "revenue": "万元", "main_revenue": "万元", "value_added": "万元", "tax": "万元",
    "energy": "吨标准煤", "electricity": "万千瓦时", "water": "立方米", "emissions": "吨", "rd_expense": "万元",
    "employees": "人", "net_profit": "万元", "assets": "万元", "liabilities": "万元", "investment": "万元",
    "env_violations": "次", "quality_failures": "次", "safety_violations": "次", "obsolete_equipment": "0/1",
}
# 专精特新 inputs not in `annual` (docs/reference/methods.md §3.2): years in the niche market, the lead
# product's field (PRODUCT_FIELDS), digitalisation level 1–3, number of quality items (质量奖/体系认证/
# 自主品牌/标准), best IP class (IP_CLASSES), R&D staff share (%), R&D institution level
# (RD_INSTITUTIONS), new equity financing over the last two years (万元), local 特色化 points (0–15)
# and a direct-pass reason ("" none).
SRDI_INPUTS = ["niche_years", "product_field", "digital_level", "quality_items", "ip_class", "rd_staff_share",
               "rd_institution", "equity_financing", "local_points", "direct_pass"]
SRDI_COLUMNS = ["enterprise_id", "year", *SRDI_INPUTS]
PARK_TARGETS = ["target_investment_per_mu", "target_output_per_mu", "target_tax_per_mu"]
PARK_COLUMNS = ["park_id", "name", "tier", "districts", "area", "leading_industries", *PARK_TARGETS]
GREEN_COLUMNS = ["area", "year", "energy", "water", "value_added", "va_real_growth"]

TAGS = tuple(t.value for t in EnterpriseTag)
LEVELS = ("national", "municipal", "")
SIZES = ("large", "medium", "small", "micro")  # 大型 / 中型 / 小型 / 微型 (统计上大中小微型企业划分办法(2017))
PRODUCT_FIELDS = ("key", "foundation", "")  # 补短板/锻长板/填空白 (5 分) · 工业“六基”/老字号/配套龙头 (3 分) · 其他
IP_CLASSES = ("1_high_value", "1_own", "1", "2", "")  # Ⅰ类高价值 · 自主研发Ⅰ类 · Ⅰ类 · Ⅱ类 · 无
RD_INSTITUTIONS = ("national", "provincial", "municipal", "below", "")  # 国家级 · 省级 · 市级 · 市级以下 · 无

TEXT_COLUMNS = frozenset({"enterprise_id", "name", "district", "park", "industry_class", "size", "established",
                          "tag", "level", "acquired", "lost", "product_field", "ip_class", "rd_institution",
                          "direct_pass", "park_id", "tier", "districts", "leading_industries"})
INT_COLUMNS = frozenset({"year"})
FRAMES = {"registry": REGISTRY_COLUMNS, "tags": TAG_COLUMNS, "annual": ANNUAL_COLUMNS, "srdi": SRDI_COLUMNS,
          "parks": PARK_COLUMNS, "green": GREEN_COLUMNS}


def _dtype(frame: str, column: str) -> str:
    if column in INT_COLUMNS:
        return "Int64"
    if column in TEXT_COLUMNS or (frame == "green" and column == "area"):
        return "object"
    return "float64"


def empty_frame(frame: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=_dtype(frame, c)) for c in FRAMES[frame]})


@dataclass(frozen=True)
class EnterpriseData:
    registry: pd.DataFrame
    tags: pd.DataFrame
    annual: pd.DataFrame
    srdi: pd.DataFrame
    parks: pd.DataFrame
    green: pd.DataFrame
    synthetic: bool  # True: every output labels it 合成数据（演示用）/ SYNTHETIC
    source: str  # in words: the generator and its seed, or the imported files
    batch_id: str | None = None  # the store batch it came from; None for the in-memory synthetic default
    as_of: str | None = None  # 'YYYY-MM-DD' the data describe

    @classmethod
    def empty(cls, source: str = "", *, synthetic: bool = False) -> "EnterpriseData":
        return cls(*(empty_frame(f) for f in FRAMES), synthetic=synthetic, source=source)

    def frame(self, name: str) -> pd.DataFrame:
        return getattr(self, name)

    @property
    def is_empty(self) -> bool:
        return self.registry.empty and self.parks.empty and self.green.empty
