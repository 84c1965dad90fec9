"""Backward-capacity candidates (落后产能): enterprises failing at least one of the composite criteria —
energy, environment, quality, safety, technology — each with the criteria it fails and the numbers
behind them (docs/enterprises.md §Backward capacity). A candidate list for review, not a verdict.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from zhizao import formatting, labels
from zhizao.analytics.enterprises.data import EnterpriseData
from zhizao.analytics.enterprises.muju import MujuResult
from zhizao.settings import Settings

CRITERIA = ("energy", "environment", "quality", "safety", "technology")
# criterion → the annual count that fails it from 1 on
COUNTS = {"environment": "env_violations", "quality": "quality_failures", "safety": "safety_violations",
          "technology": "obsolete_equipment"}
BACKWARD_COLUMNS = ["enterprise_id", "name", "district", "park", "industry_class", "industry_group", "energy",
                    "value_added", "energy_per_va", "group_median", "energy_ratio", *COUNTS.values(), "criteria",
                    "n_failed", "klass", "reasons_zh", "reasons_en"]


def industry_group(industry_class: pd.Series) -> pd.Series:
    """The GB/T 4754 group (中类): the class code's first three digits (a shorter code as it is)."""
    return industry_class.fillna("").astype(str).str[:3]


def backward_candidates(data: EnterpriseData, year: int, settings: Settings,
                        result: MujuResult | None = None) -> pd.DataFrame:
    """Registry enterprises with figures in `year` failing ≥ 1 criterion: energy (energy per unit of value
    added above backward_energy_ratio × the median of its industry group's enterprises with a positive
    value added; energy used with no positive value added fails too), environment (env_violations ≥ 1),
    quality (quality_failures ≥ 1), safety (safety_violations ≥ 1), technology (obsolete_equipment ≥ 1).
    An unknown figure fails nothing. Most criteria failed first; klass from `result` when given."""
    ann = data.annual[data.annual["year"].astype("float64") == float(year)].drop_duplicates("enterprise_id",
                                                                                             keep="last")
    reg = data.registry[["enterprise_id", "name", "district", "park", "industry_class"]]
    df = reg.drop_duplicates("enterprise_id", keep="last").merge(
        ann[["enterprise_id", "energy", "value_added", *COUNTS.values()]], on="enterprise_id", how="inner")
    for c in ("name", "district", "park", "industry_class"):
        df[c] = df[c].fillna("").astype(object)
    df["industry_group"] = industry_group(df["industry_class"]).to_numpy()
    energy = df["energy"].to_numpy(dtype=float)
    va = df["value_added"].to_numpy(dtype=float)
    ok = np.isfinite(energy) & np.isfinite(va) & (va > 0) & (energy >= 0)
    df["energy_per_va"] = np.where(ok, energy / np.where(ok, va, 1.0), np.nan)
    median = df.loc[ok].groupby("industry_group")["energy_per_va"].median()
    df["group_median"] = df["industry_group"].map(median).to_numpy(dtype=float)
    gm = df["group_median"].to_numpy()
    df["energy_ratio"] = np.where(ok & (gm > 0), df["energy_per_va"].to_numpy() / np.where(gm > 0, gm, 1.0), np.nan)
    no_va = np.isfinite(energy) & (energy > 0) & np.isfinite(va) & (va <= 0)
    fails = {"energy": (df["energy_ratio"].to_numpy() > float(settings["backward_energy_ratio"])) | no_va}
    for criterion, column in COUNTS.items():
        x = df[column].to_numpy(dtype=float)
        fails[criterion] = np.isfinite(x) & (x >= 1)
    mat = np.column_stack([fails[c] for c in CRITERIA]) if len(df) else np.zeros((0, len(CRITERIA)), dtype=bool)
    n_failed = mat.sum(axis=1)
    keep = n_failed > 0
    df, mat, no_va = df.loc[keep].reset_index(drop=True), mat[keep], no_va[keep]
    df["criteria"] = [[c for c, f in zip(CRITERIA, row) if f] for row in mat]
    df["n_failed"] = n_failed[keep].astype(int)
    if result is not None:
        k = result.enterprises.set_index("enterprise_id")["klass"]
        df["klass"] = df["enterprise_id"].map(k).fillna("").astype(object)
    else:
        df["klass"] = ""
    zh, en = zip(*(_reasons(row, nv, settings) for row, nv in zip(df.itertuples(index=False), no_va))) \
        if len(df) else ((), ())
    df["reasons_zh"], df["reasons_en"] = list(zh), list(en)
    df = df.sort_values(["n_failed", "energy_ratio", "enterprise_id"], ascending=[False, False, True],
                        na_position="last")
    return df[BACKWARD_COLUMNS].reset_index(drop=True)


def _count(v: float) -> str:
    return formatting.number(v, 0)


def _reasons(row, no_va: bool, settings: Settings) -> tuple[str, str]:
    zh, en = [], []
    for c in row.criteria:
        czh, cen = labels.BACKWARD_CRITERION[c]
        if c == "energy" and no_va:
            zh.append(f"{czh}：耗能{formatting.number(row.energy)}吨标准煤而增加值不为正")
            en.append(f"{cen}: uses {formatting.number(row.energy)} tce with no positive value added")
        elif c == "energy":
            zh.append(f"{czh}：单位增加值能耗{formatting.significant(row.energy_per_va)}吨标准煤/万元，"
                      f"为同行业（{row.industry_group}）中位数{formatting.significant(row.group_median)}的"
                      f"{formatting.ratio(row.energy_ratio, 1)}倍（标准：超过{formatting.number(settings['backward_energy_ratio'])}倍）")
            en.append(f"{cen}: {formatting.significant(row.energy_per_va)} tce per 10,000 yuan of value added, "
                      f"{formatting.ratio(row.energy_ratio, 1)} times its industry group ({row.industry_group}) median "
                      f"{formatting.significant(row.group_median)} (fails above "
                      f"{formatting.number(settings['backward_energy_ratio'])} times)")
        elif c == "environment":
            zh.append(f"{czh}：环保违法{_count(row.env_violations)}次")
            en.append(f"{cen}: {_count(row.env_violations)} environmental violation(s)")
        elif c == "quality":
            zh.append(f"{czh}：产品质量抽查不合格{_count(row.quality_failures)}次")
            en.append(f"{cen}: {_count(row.quality_failures)} failed quality inspection(s)")
        elif c == "safety":
            zh.append(f"{czh}：安全生产违法{_count(row.safety_violations)}次")
            en.append(f"{cen}: {_count(row.safety_violations)} work-safety violation(s)")
        else:
            zh.append(f"{czh}：使用淘汰类工艺装备")
            en.append(f"{cen}: uses equipment listed for phase-out")
    return "；".join(zh), "; ".join(en)
