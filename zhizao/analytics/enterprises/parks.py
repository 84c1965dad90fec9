"""Parks: land-use control indicators (investment, output and tax per mu) of each park against its
targets, the 亩均 classes of its enterprises, a ranking, and a park's enterprises
(docs/enterprises.md §Parks). The parks are data users enter; the plan only names the tiers
(plan.park_system), and a plan without one shows each park's tier text as it is.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from zhizao import formatting, labels
from zhizao.analytics.enterprises.data import EnterpriseData
from zhizao.analytics.enterprises.muju import CLASSES, ENTERPRISE_COLUMNS, MujuResult, evaluate
from zhizao.errors import UserError
from zhizao.plan.spec import Plan
from zhizao.settings import Settings

# land-use control indicator → the annual measure summed over the park's enterprises (÷ their land)
MEASURES = {"investment_per_mu": "investment", "output_per_mu": "revenue", "tax_per_mu": "tax"}
PARK_RESULT_COLUMNS = [
    "park_id", "name", "tier", "tier_name", "tier_name_en", "districts", "area", "land_used", "n_enterprises",
    "n_with_data",
    *(c for m in MEASURES for c in (m, f"target_{m}", f"met_{m}", f"gap_{m}")),
    *(f"n_{k}" for k in CLASSES), "mean_score", "rank", "reasons_zh", "reasons_en"]


def tier_names(plan: Plan, tier: str) -> tuple[str, str]:
    """The tier's name in the plan's park system (zh, en); a tier the plan does not name (or a plan
    without a park system) reads as it is."""
    system = getattr(plan, "park_system", None)
    for t in (system.tiers if system else []):
        if t.id == tier:
            return t.name, t.name_en or t.name
    return tier, tier


def park_results(plan: Plan, data: EnterpriseData, year: int, result: MujuResult | None,
                 settings: Settings) -> pd.DataFrame:
    """Per park of data.parks: the land its enterprises use in `year` (Σ land_area), investment, output
    (revenue) and tax per mu (Σ ÷ Σ land over the enterprises with both figures), each against the park's
    target (met True/False, NaN without a target or a value; gap = value − target), the 亩均 classes of its
    enterprises, their mean score and a rank by tax per mu (1 = highest; none without a value)."""
    if result is None:
        result = evaluate(data, year, settings)
    parks = data.parks
    if parks.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in PARK_RESULT_COLUMNS})
    reg = data.registry[["enterprise_id", "park"]].drop_duplicates("enterprise_id", keep="last")
    ann = data.annual[data.annual["year"].astype("float64") == float(year)].drop_duplicates("enterprise_id",
                                                                                             keep="last")
    firms = reg[reg["park"].fillna("") != ""].merge(
        ann[["enterprise_id", "land_area", *MEASURES.values()]], on="enterprise_id", how="left")
    land = firms["land_area"].to_numpy(dtype=float)
    land_ok = np.isfinite(land) & (land > 0)
    cols = {"park": firms["park"].to_numpy(), "one": np.ones(len(firms), dtype=int),
            "with_data": land_ok.astype(int), "land_used": np.where(land_ok, land, 0.0)}
    for ind, measure in MEASURES.items():
        x = firms[measure].to_numpy(dtype=float)
        ok = land_ok & np.isfinite(x)
        cols[f"sum_{ind}"] = np.where(ok, x, 0.0)
        cols[f"land_{ind}"] = np.where(ok, land, 0.0)
    sums = pd.DataFrame(cols).groupby("park").sum()
    e = result.enterprises
    e = e[(e["park"] != "") & (e["klass"] != "")]
    class_counts = pd.crosstab(e["park"], e["klass"]).reindex(columns=list(CLASSES), fill_value=0)
    mean_score = e.groupby("park")["score"].mean()

    out = parks[["park_id", "name", "tier", "districts", "area"]].copy().reset_index(drop=True)
    pid = out["park_id"]
    names = [tier_names(plan, t) for t in out["tier"].fillna("")]
    out["tier_name"] = [n[0] for n in names]
    out["tier_name_en"] = [n[1] for n in names]
    get = lambda col, default=0: pid.map(sums[col]).fillna(default).to_numpy() if col in sums else \
        np.full(len(pid), default)  # noqa: E731 - a column of the per-park sums, by park id
    out["land_used"] = get("land_used", 0.0).astype(float)
    out["n_enterprises"] = get("one").astype(int)
    out["n_with_data"] = get("with_data").astype(int)
    for ind in MEASURES:
        den = get(f"land_{ind}", 0.0).astype(float)
        value = np.where(den > 0, get(f"sum_{ind}", 0.0).astype(float) / np.where(den > 0, den, 1.0), np.nan)
        target = parks[f"target_{ind}"].to_numpy(dtype=float)
        known = np.isfinite(value) & np.isfinite(target)
        out[ind] = value
        out[f"target_{ind}"] = target
        met = np.full(len(out), np.nan, dtype=object)
        met[known] = [bool(v) for v in (value >= target)[known]]
        out[f"met_{ind}"] = met
        out[f"gap_{ind}"] = np.where(known, value - target, np.nan)
    for k in CLASSES:
        out[f"n_{k}"] = pid.map(class_counts[k]).fillna(0).astype(int).to_numpy()
    out["mean_score"] = pid.map(mean_score).to_numpy(dtype=float)
    out["rank"] = out["tax_per_mu"].rank(method="min", ascending=False).astype("Int64")
    out["reasons_zh"], out["reasons_en"] = zip(*(_park_reasons(row) for row in out.itertuples(index=False))) \
        if len(out) else ((), ())
    out = out.sort_values(["rank", "park_id"], na_position="last")
    return out[PARK_RESULT_COLUMNS].reset_index(drop=True)


def _park_reasons(row) -> tuple[str, str]:
    if row.n_with_data == 0:
        return (f"园区内无当年有用地面积数据的企业（登记企业{row.n_enterprises}家），无法计算亩均指标",
                f"no enterprise in the park has a land area this year ({row.n_enterprises} registered): "
                "no per-mu indicator")
    below_zh, below_en, no_target = [], [], 0
    for ind in MEASURES:
        value, target, met = getattr(row, ind), getattr(row, f"target_{ind}"), getattr(row, f"met_{ind}")
        zh, en = labels.PARK_TARGET[ind]
        if not np.isfinite(target):
            no_target += 1
            continue
        if met is False:
            v, t, gap = (formatting.significant(x) for x in (value, target, target - value))
            below_zh.append(f"{zh}{v}万元/亩，低于目标{t}（差{gap}）")
            below_en.append(f"{en} {v} (10,000 yuan per mu), below its target {t} by {gap}")
    if below_zh:
        return "；".join(below_zh), "; ".join(below_en)
    if no_target == len(MEASURES):
        return "园区未设土地利用控制指标目标", "the park has no land-use control targets"
    return "已设目标的土地利用控制指标均达到目标", "every land-use control indicator with a target meets it"


def park_enterprises(data: EnterpriseData, park_id: str, result: MujuResult) -> pd.DataFrame:
    """The registry enterprises of a park with their 亩均 results of result.year (empty result columns for
    one without figures that year): class A first, highest score first."""
    if park_id not in set(data.parks["park_id"]):
        known = "、".join(map(str, data.parks["park_id"].head(5)))
        raise UserError(f"数据中没有编号为“{park_id}”的园区" + (f"（已有：{known}…）" if known else "（尚无园区数据）"),
                        f"no park '{park_id}' in the data" + (f" (there are {known.replace('、', ', ')}…)"
                                                              if known else " (no park data yet)"))
    reg = data.registry[data.registry["park"] == park_id].drop_duplicates("enterprise_id", keep="last")
    res = result.enterprises.drop(columns=["name", "district", "park", "industry_class"])
    out = reg[["enterprise_id", "name", "district", "park", "industry_class"]].merge(res, on="enterprise_id",
                                                                                    how="left")
    none = out["klass"].isna()
    out["klass"] = out["klass"].fillna("")
    out["group"] = out["group"].fillna("")
    out.loc[none, "reasons_zh"], out.loc[none, "reasons_en"] = labels.MUJU_NOT_EVALUATED["no_figures"]
    out["imputed"] = [v if isinstance(v, tuple) else () for v in out["imputed"]]
    order = out["klass"].map({"A": 0, "B": 1, "C": 2, "D": 3}).fillna(4)
    out = out.assign(_o=order).sort_values(["_o", "score", "enterprise_id"], ascending=[True, False, True],
                                           na_position="last").drop(columns="_o")
    return out[ENTERPRISE_COLUMNS].reset_index(drop=True)
