"""Parameters of the synthetic generator: published calibration targets and zhizao assumptions.

Published figures (with their source address and grade, from zhizao/resources/datasets/chongqing/*.csv) are the
calibration targets; everything else here — district and industry weights, size multipliers,
value-added ratios, electricity intensities, price sensitivities, noise — is a zhizao assumption
chosen to look plausible for Chongqing, NOT a published statistic.
"""
from __future__ import annotations

from zhizao.codes.regions import DISTRICTS

# --- calibration targets (published) ----------------------------------------------------------------

# 规模以上工业增加值累计增长率 (%), by year and last month of the YTD period (2 = 1–2月, 12 = annual).
CITY_VA_YTD_GROWTH: dict[int, dict[int, float]] = {
    2019: {4: 13.6, 9: 5.4, 12: 6.2},
    2020: {12: 5.8},
    2021: {3: 35.4, 4: 26.6, 6: 19.0, 12: 10.7},
    2022: {3: 8.5, 6: 6.3, 10: 4.5},
    2023: {10: 5.5, 12: 6.6},
    2024: {2: 8.7, 3: 8.6, 8: 8.3, 9: 8.1, 10: 7.9, 12: 7.3},
}
CITY_VA_YTD_GROWTH_SOURCES: dict[tuple[int, int], str] = {
    (2019, 4): "tjj.cq.gov.cn (A)", (2019, 9): "m.shzx.org (C)", (2019, 12): "cqcb.com (C)",
    (2020, 12): "geipa.cn (C)", (2021, 3): "hkcd.com (B)", (2021, 4): "liaoningxiaochi.com (C)",
    (2021, 6): "sxcntv.com (C)", (2021, 12): "cq.people.com.cn (B, 预计 — preliminary)",
    (2022, 3): "xlxgaofu.com (C)", (2022, 6): "xlxgaofu.com (C)", (2022, 10): "gdcenn.cn (C)",
    (2023, 10): "301130.zt1388.com (C)", (2023, 12): "blog.bobobk.com (C)",
    (2024, 2): "gdcenn.cn (C)", (2024, 3): "cq.people.com.cn (B)", (2024, 8): "cqrd.gov.cn (A)",
    (2024, 9): "cq.gov.cn (A)", (2024, 10): "ichongqing.info (B)",
    (2024, 12): "cnews.chinadaily.com.cn (B)",
}
# Years after the last published one follow the plan's 6% (专栏1), marked "assumed" in metadata.
ASSUMED_GROWTH_PCT = 6.0

# 规模以上工业总产值 (亿元): 2020 = 2.27万亿 (nanmuxuan.com, C) sets the level; 2023 "超2.6万亿"
# (en.people.cn, B) is checked, not forced.
OUTPUT_LEVEL_YEAR = 2020
OUTPUT_LEVEL_YI = 22700.0
OUTPUT_AT_LEAST: dict[int, float] = {2023: 26000.0}
ENTERPRISE_COUNT: dict[int, int] = {2021: 7098}  # iid.sg (C); reported against, not forced

# --- assumptions (zhizao) ---------------------------------------------------------------------------

# district adcode → (relative number of 规上 enterprises, relative mean size). Central districts and
# 主城新区 are heavier; 渝北/江北 (autos), 沙坪坝/九龙坡 (electronics, aluminium), 涪陵/长寿 (chemicals)
# have larger enterprises.
DISTRICT_PARAMS: dict[str, tuple[float, float]] = {
    "500103": (0.1, 0.5), "500104": (1.2, 1.0), "500105": (1.8, 3.0), "500106": (3.5, 2.0),
    "500107": (5.0, 1.6), "500108": (2.5, 1.0), "500109": (3.5, 1.0), "500112": (5.5, 2.5),
    "500113": (4.5, 1.2), "500102": (5.0, 1.5), "500115": (3.5, 1.5), "500116": (6.5, 1.0),
    "500117": (4.5, 0.9), "500118": (5.0, 1.0), "500119": (1.5, 0.8), "500110": (3.0, 0.8),
    "500111": (4.0, 0.8), "500120": (6.0, 1.0), "500151": (4.5, 0.8), "500152": (3.0, 0.7),
    "500153": (4.0, 0.8), "500101": (3.0, 0.9), "500154": (1.5, 0.6), "500155": (2.0, 0.6),
    "500229": (0.2, 0.4), "500230": (1.0, 0.5), "500231": (1.5, 0.6), "500233": (1.2, 0.5),
    "500235": (1.0, 0.5), "500236": (0.6, 0.5), "500237": (0.3, 0.4), "500238": (0.2, 0.4),
    "500114": (0.8, 0.6), "500156": (0.4, 0.5), "500240": (0.5, 0.6), "500241": (0.8, 0.5),
    "500242": (0.5, 0.5), "500243": (0.4, 0.5),
}
assert set(DISTRICT_PARAMS) == set(DISTRICTS)

# division → (relative number, relative mean size, value-added ratio 增加值/总产值,
#             electricity intensity 万千瓦时 per 万元 of output, sensitivity to the PPI path)
INDUSTRY_PARAMS: dict[str, tuple[float, float, float, float, float]] = {
    "13": (5.0, 0.8, 0.25, 0.015, 0.5), "14": (2.0, 0.8, 0.30, 0.02, 0.4), "15": (2.0, 1.0, 0.40, 0.015, 0.3),
    "16": (0.1, 20.0, 0.70, 0.003, 0.1), "17": (1.0, 0.6, 0.22, 0.05, 0.6), "18": (1.0, 0.5, 0.25, 0.01, 0.2),
    "19": (0.8, 0.5, 0.25, 0.01, 0.2), "20": (0.8, 0.5, 0.25, 0.03, 0.6), "21": (1.0, 0.6, 0.25, 0.015, 0.3),
    "22": (1.5, 0.8, 0.25, 0.06, 0.8), "23": (1.0, 0.5, 0.30, 0.02, 0.3), "24": (0.8, 0.5, 0.25, 0.01, 0.2),
    "25": (0.5, 3.0, 0.20, 0.05, 2.5), "26": (5.0, 1.5, 0.25, 0.08, 2.5), "27": (2.5, 1.0, 0.40, 0.02, 0.1),
    "28": (0.3, 1.5, 0.20, 0.08, 2.5), "29": (4.0, 0.7, 0.25, 0.04, 1.0), "30": (9.0, 0.6, 0.30, 0.10, 2.0),
    "31": (1.5, 3.0, 0.20, 0.12, 2.5), "32": (2.5, 2.0, 0.20, 0.15, 2.5), "33": (6.0, 0.6, 0.25, 0.03, 1.0),
    "34": (6.0, 0.8, 0.28, 0.02, 0.6), "35": (3.0, 0.9, 0.30, 0.02, 0.5), "36": (14.0, 1.6, 0.20, 0.008, 0.2),
    "37": (5.0, 1.2, 0.22, 0.01, 0.3), "38": (5.0, 1.2, 0.25, 0.015, 0.8), "39": (7.0, 2.2, 0.15, 0.006, -0.5),
    "40": (1.2, 0.7, 0.30, 0.01, 0.2), "41": (0.3, 0.5, 0.25, 0.02, 0.3), "42": (0.8, 0.8, 0.20, 0.04, 1.5),
    "43": (0.5, 0.6, 0.30, 0.02, 0.3),
}

# (district, division) → multiplier on the chance an enterprise of the district is in the division.
AFFINITY: dict[tuple[str, str], float] = {
    **{(d, "36"): 3.0 for d in ("500112", "500105", "500113", "500109", "500116")},
    **{(d, "39"): 3.0 for d in ("500106", "500107", "500112", "500120", "500118")},
    **{(d, "26"): 4.0 for d in ("500102", "500115", "500101")},
    **{(d, "32"): 3.0 for d in ("500107", "500119")},
    **{(d, "37"): 3.0 for d in ("500107", "500113", "500104", "500153")},
    **{(d, "27"): 2.5 for d in ("500153", "500109", "500108")},
    **{(d, k): 2.0 for d in ("500101", "500154", "500155", "500230", "500231", "500233", "500114",
                             "500241", "500242") for k in ("13", "15")},
}

# Relative real growth of a division (pp above or below the city) in a year. The city total is then
# calibrated exactly, so these set only the shape (autos up, electronics down in 2023–2024 …) as
# suggested by the published 汽车/电子/材料 growth rates; they are not calibrated.
INDUSTRY_TREND_PP: dict[str, dict[int, float]] = {
    "36": {2021: 12.0, 2022: 8.0, 2023: 0.0, 2024: 18.0},
    "39": {2021: 18.0, 2022: -6.0, 2023: -5.0, 2024: 0.0},
    "26": {2023: 5.0, 2024: 12.0},
    "30": {2022: -6.0, 2023: -8.0, 2024: -6.0},
    "27": {2024: -4.0},
    "34": {2024: -1.0},
    "35": {2024: -1.0},
}

# Industrial PPI year-on-year (%), national, used only to shape current-price levels (zhizao
# approximation of the published national series; later years 0).
PPI_PCT: dict[int, float] = {2018: 3.5, 2019: -0.3, 2020: -1.8, 2021: 8.1, 2022: 4.1, 2023: -3.0, 2024: -2.2}

# Calendar-month production profile (January and February are low around the Spring Festival).
SEASONAL = (0.78, 0.70, 1.00, 0.97, 1.00, 1.08, 0.95, 0.97, 1.05, 0.98, 1.05, 1.15)
SPRING_FESTIVAL_MARCH_FACTOR = 0.96  # March output when the post-holiday slowdown reaches March

# Functional zones: share of a host district's enterprises inside the zone.
ZONE_SHARES: dict[str, dict[str, float]] = {
    "LIANGJIANG": {"500105": 0.5, "500112": 0.6, "500109": 0.4},
    "GAOXIN": {"500106": 0.5, "500107": 0.4},
    "WANSHENG": {"500110": 0.3},
}

SIZE_SIGMA = 1.5  # log-sd of enterprise size (heavy right tail)
NOISE_AR = 0.5  # AR(1) coefficient of the enterprise log-level noise
NOISE_SD = 0.05  # innovation sd of that noise
DRIFT_SD = 0.03  # sd of an enterprise's own yearly trend (log)
ELECTRICITY_NOISE_SD = 0.03
OUTPUT_NOISE_SD = 0.015
ENTRY_RATE = 0.09  # share of enterprises entering the directory each year (at 1–2月)
EXIT_RATE = 0.06  # share leaving it each year (after December)
LABOUR_PRODUCTIVITY = 37.1  # 万元 of value added per worker (plan 2020 全员劳动生产率), sets employment
