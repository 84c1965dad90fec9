"""The binding green targets: energy and water use per unit of industrial value added, yearly and
cumulatively against the plan's targets, with the three levels of the NDRC 能耗双控 晴雨表
(docs/enterprises.md §Green targets; docs/reference/methods.md §1.5).

- Value added at constant prices: the first year's current-price value added, chained forward by
  va_real_growth (% at comparable prices); a year without growth breaks the chain (NaN after it).
- intensity = use / constant-price value added: 万吨标准煤/亿元 = 吨标准煤/万元 (water: 立方米/万元).
- cumulative_change = (I_t / I_base − 1) × 100, base = the indicator's baseline year, else the plan's.
- required_to_date = ((1 + target/100)^(elapsed/span) − 1) × 100 (the schedule; −16 % over 5 years asks
  −3.4 % after one); gap_pp = cumulative_change − required_to_date (> 0: behind schedule).
- level 1 (red): yoy_change > green_red_change (intensity rose); else 2 (yellow): gap_pp >
  green_schedule_tolerance; else 3 (green). Years up to the base year get no level.
Districts are held to the plan's own target (the plan sets no district targets): zhizao's reading.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from zhizao import formatting, labels
from zhizao.codes.regions import CITY_CODE, CITY_NAME_EN, district_name
from zhizao.analytics.enterprises.data import EnterpriseData
from zhizao.settings import Settings

CONCEPTS = {"energy": "energy_per_unit_industrial_va_above_scale",
            "water": "water_per_unit_industrial_va_above_scale"}
INTENSITY_UNIT = {"energy": "吨标准煤/万元", "water": "立方米/万元"}
USE_UNIT = {"energy": "万吨标准煤", "water": "万立方米"}
INTENSITY_COLUMNS = ["measure", "area", "area_name", "area_name_en", "year", "use", "use_unit", "value_added", "va_real_growth",
                     "va_constant", "intensity", "intensity_unit", "yoy_change", "indicator", "indicator_name",
                     "base_year", "target", "target_year", "cumulative_change", "required_to_date", "gap_pp", "level",
                     "binding", "reasons_zh", "reasons_en"]
KEY_USER_COLUMNS = ["enterprise_id", "name", "district", "industry_class", "energy", "energy_before",
                    "energy_change", "value_added", "intensity", "intensity_before", "intensity_change",
                    "share_of_change", "reasons_zh", "reasons_en"]


def indicators(plan) -> list:
    """The plan's indicators measured as energy or water per unit of industrial value added."""
    wanted = set(CONCEPTS.values())
    return [i for i in plan.indicators if i.concept in wanted and i.target is not None]


def _measure(ind) -> str:
    return next(m for m, c in CONCEPTS.items() if c == ind.concept)


def _empty(reason: tuple[str, str]) -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype=float if c in ("use", "value_added", "va_real_growth", "va_constant",
                                                         "intensity", "yoy_change", "target", "cumulative_change",
                                                         "required_to_date", "gap_pp") else object)
                       for c in INTENSITY_COLUMNS})
    df.attrs["reason_zh"], df.attrs["reason_en"] = reason
    return df


def area_names(plan) -> dict[str, tuple[str, str]]:
    r = plan.regions
    if r is None:
        return {}
    # English names where zhizao knows them (GB/T 2260 codes of its bundled list), else the plan's own name
    whole_en = CITY_NAME_EN if r.whole_code == CITY_CODE else r.whole_name
    names = {r.whole_code: (r.whole_name, whole_en)}
    names.update({d.code: (d.name, en if (en := district_name(d.code, "en")) != d.code else d.name)
                  for d in r.districts})
    return names


def chain_constant(value_added: np.ndarray, growth: np.ndarray) -> np.ndarray:
    """Value added at the first year's prices: VA_0, then VA_{t-1} × (1 + g_t/100). Years must be
    consecutive; a missing growth (or first value) makes the rest NaN."""
    out = np.full(len(value_added), np.nan)
    if not len(value_added):
        return out
    out[0] = value_added[0]
    for t in range(1, len(out)):
        out[t] = out[t - 1] * (1 + growth[t] / 100.0)
    return out


def _series(g: pd.DataFrame, measure: str) -> pd.DataFrame:
    """One area's rows over consecutive years (gaps filled with NaN), with constant-price VA and intensity."""
    g = g.drop_duplicates("year", keep="last").set_index("year").sort_index()
    years = range(int(g.index.min()), int(g.index.max()) + 1)
    g = g.reindex(years)
    va = g["value_added"].to_numpy(dtype=float)
    grow = g["va_real_growth"].to_numpy(dtype=float)
    const = chain_constant(va, grow)
    use = g[measure].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        inten = np.where(const > 0, use / const, np.nan)
        prev = np.concatenate([[np.nan], inten[:-1]])
        yoy = np.where(prev > 0, 100 * (inten / prev - 1), np.nan)
    return pd.DataFrame({"year": list(years), "use": use, "value_added": va, "va_real_growth": grow,
                         "va_constant": const, "intensity": inten, "yoy_change": yoy})


def _level(yoy: float, gap: float, s: Settings) -> float:
    if np.isfinite(yoy) and yoy > float(s["green_red_change"]):
        return 1.0
    if np.isfinite(gap) and gap > float(s["green_schedule_tolerance"]):
        return 2.0
    if np.isfinite(yoy) or np.isfinite(gap):
        return 3.0
    return np.nan


def intensity(plan, data: EnterpriseData, settings: Settings | None = None) -> pd.DataFrame:
    """Per (measure, area, year) and plan indicator of the concept: intensity, its changes, the schedule
    and the level. A plan without such indicators, or no green data: an empty frame whose
    attrs reason_zh / reason_en say why."""
    s = settings or Settings()
    inds = indicators(plan)
    if not inds:
        return _empty(labels.ENTERPRISE_WORDS["no_green_concept"])
    if data.green.empty:
        return _empty(labels.ENTERPRISE_WORDS["no_green_data"])
    names = area_names(plan)
    whole = plan.regions.whole_code if plan.regions else None
    rows = []
    green = data.green.dropna(subset=["year"])
    areas = sorted(green["area"].astype(str).unique(), key=lambda a: (a != whole, a))
    for ind in inds:
        m = _measure(ind)
        base = ind.baseline.year if ind.baseline is not None else plan.plan.base_year
        target, tyear = float(ind.target.value), ind.target.year or plan.plan.target_year
        span = tyear - base
        for area in areas:
            ser = _series(green[green["area"].astype(str) == area], m)
            at_base = ser.loc[ser["year"] == base, "intensity"]
            i0 = float(at_base.iloc[0]) if len(at_base) else np.nan
            for r in ser.itertuples(index=False):
                if not np.isfinite(r.use):  # a year the table does not give (or gives without this measure)
                    continue
                elapsed = min(max(r.year - base, 0), span)
                cum = 100 * (r.intensity / i0 - 1) if r.year >= base and i0 > 0 else np.nan
                req = 100 * ((1 + target / 100) ** (elapsed / span) - 1) if r.year >= base and span > 0 else np.nan
                gap = cum - req
                lvl = _level(r.yoy_change, gap, s) if r.year > base else np.nan
                az, ae = names.get(area, (area, area))
                zh, en = _reasons(m, ind, r.year, base, r.yoy_change, cum, req, gap, lvl, i0)
                rows.append({"measure": m, "area": area, "area_name": az, "area_name_en": ae, "year": int(r.year), "use": r.use,
                             "use_unit": USE_UNIT[m], "value_added": r.value_added, "va_real_growth": r.va_real_growth,
                             "va_constant": r.va_constant, "intensity": r.intensity,
                             "intensity_unit": INTENSITY_UNIT[m], "yoy_change": r.yoy_change, "indicator": ind.id,
                             "indicator_name": ind.name, "base_year": base, "target": target, "target_year": tyear,
                             "cumulative_change": cum, "required_to_date": req, "gap_pp": gap, "level": lvl,
                             "binding": ind.nature.value == "binding", "reasons_zh": zh, "reasons_en": en})
    out = pd.DataFrame(rows, columns=INTENSITY_COLUMNS)
    out["level"] = out["level"].astype("Int64")
    return out


def _reasons(m, ind, year, base, yoy, cum, req, gap, lvl, i0) -> tuple[str, str]:
    mz, me = labels.GREEN_MEASURE[m]
    if year <= base:
        if year == base:
            return (f"{year}年为{ind.name}的基期年", f"{year} is the base year of {ind.name_en or ind.name}")
        return (f"{year}年早于基期年{base}年", f"{year} is before the base year {base}")
    zh, en = [], []
    if np.isfinite(yoy):
        word_zh = "上升" if yoy > 0 else "下降"
        word_en = "rose" if yoy > 0 else "fell"
        zh.append(f"{mz}同比{word_zh}{formatting.percent(abs(yoy), 1)}")
        en.append(f"{me} {word_en} {formatting.percent(abs(yoy), 1)} on the year")
    else:
        zh.append(f"{mz}无上年可比数据")
        en.append(f"{me}: no comparable figure for the year before")
    if np.isfinite(cum):
        cz = "上升" if cum > 0 else "下降"
        ce = "up" if cum > 0 else "down"
        zh.append(f"较{base}年累计{cz}{formatting.percent(abs(cum), 1)}，进度要求累计下降"
                  f"{formatting.percent(abs(req), 1)}，" + (f"落后{formatting.points(gap, 'zh', signed=False)}"
                                                         if gap > 0 else "达到进度要求"))
        en.append(f"{ce} {formatting.percent(abs(cum), 1)} since {base}, against {formatting.percent(abs(req), 1)} "
                  f"down required by now: " + (f"{formatting.points(gap, 'en', signed=False)} behind"
                                                if gap > 0 else "on schedule"))
    elif not np.isfinite(i0):
        zh.append(f"缺少基期年{base}年的数据，无法计算累计变化")
        en.append(f"no data for the base year {base}: no cumulative change")
    if lvl == lvl:  # not NaN
        lz, le = labels.GREEN_LEVEL[str(int(lvl))]
        zh.insert(0, lz)
        en.insert(0, le)
    return "；".join(zh), "; ".join(en)


def status(plan, data: EnterpriseData, settings: Settings | None = None) -> pd.DataFrame:
    """The whole area's latest year with an intensity, per indicator (the plan's headline)."""
    full = intensity(plan, data, settings)
    if full.empty:
        return full
    whole = plan.regions.whole_code if plan.regions else None
    w = full[(full["area"] == whole) & full["intensity"].notna()]
    if w.empty:
        return _empty(labels.ENTERPRISE_WORDS["no_whole_area"])
    return (w.sort_values(["indicator", "year"]).groupby("indicator", sort=False).tail(1)
            .reset_index(drop=True))


def key_energy_users(data: EnterpriseData, year: int, settings: Settings | None = None) -> pd.DataFrame:
    """Enterprises using ≥ key_energy_user_min tce in `year`: energy, its change on the year before,
    value added at CURRENT prices (enterprise figures carry no price index), intensity (吨标准煤/万元)
    and its change (%), and share_of_change: the enterprise's energy change over the total change of
    all enterprises with energy in both years (NaN when that total is 0)."""
    s = settings or Settings()
    a = data.annual
    now = a[a["year"] == year].drop_duplicates("enterprise_id", keep="last").set_index("enterprise_id")
    before = a[a["year"] == year - 1].drop_duplicates("enterprise_id", keep="last").set_index("enterprise_id")
    both = now.index.intersection(before.index)
    e_now, e_before = now["energy"].astype(float), before["energy"].astype(float)
    total = float((e_now.reindex(both) - e_before.reindex(both)).sum(min_count=1))
    key = now[e_now >= float(s["key_energy_user_min"])]
    reg = data.registry.drop_duplicates("enterprise_id", keep="last").set_index("enterprise_id")
    f = pd.DataFrame(index=key.index)
    f["name"] = reg["name"].reindex(f.index).fillna("")
    f["district"] = reg["district"].reindex(f.index).fillna("")
    f["industry_class"] = reg["industry_class"].reindex(f.index).fillna("")
    f["energy"] = key["energy"].astype(float)
    f["energy_before"] = e_before.reindex(f.index)
    f["energy_change"] = f["energy"] - f["energy_before"]
    f["value_added"] = key["value_added"].astype(float)
    va_before = before["value_added"].astype(float).reindex(f.index)
    with np.errstate(divide="ignore", invalid="ignore"):
        f["intensity"] = np.where(f["value_added"] > 0, f["energy"] / f["value_added"], np.nan)
        f["intensity_before"] = np.where(va_before > 0, f["energy_before"] / va_before, np.nan)
        f["intensity_change"] = np.where(f["intensity_before"] > 0,
                                         100 * (f["intensity"] / f["intensity_before"] - 1), np.nan)
        f["share_of_change"] = f["energy_change"] / total if np.isfinite(total) and total != 0 else np.nan
    zh, en = [], []
    for r in f.itertuples():
        z = [f"{year}年综合能耗{formatting.number(r.energy)}吨标准煤"]
        e = [f"{formatting.number(r.energy)} tce in {year}"]
        if np.isfinite(r.energy_change):
            z.append(f"较上年{'增加' if r.energy_change > 0 else '减少'}{formatting.number(abs(r.energy_change))}吨标准煤")
            e.append(f"{'up' if r.energy_change > 0 else 'down'} {formatting.number(abs(r.energy_change))} tce "
                     f"on the year")
        if np.isfinite(r.intensity_change):
            z.append(f"单位增加值能耗（当年价）{'上升' if r.intensity_change > 0 else '下降'}"
                     f"{formatting.percent(abs(r.intensity_change))}")
            e.append(f"energy per unit of value added (current prices) {'rose' if r.intensity_change > 0 else 'fell'} "
                     f"{formatting.percent(abs(r.intensity_change))}")
        zh.append("，".join(z))
        en.append(", ".join(e))
    f["reasons_zh"], f["reasons_en"] = zh, en
    f = f.reset_index().rename(columns={"index": "enterprise_id"})
    return f[KEY_USER_COLUMNS].sort_values(["energy", "enterprise_id"], ascending=[False, True]).reset_index(drop=True)
