"""亩均效益综合评价 ("亩均论英雄"): per-enterprise indicators, benchmark-ratio × weight scores, classes A–D
by score rank and the share settings, the differentiated-price list (差别电价/水价), summaries and how a
class changed from one year to the next (docs/enterprises.md §亩均效益评价; docs/reference/methods.md §3.1).

Vectorised over whole columns: 500,000 enterprises are one pass (bench/muju_bench.py).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from zhizao import formatting, labels
from zhizao.analytics.enterprises.data import EnterpriseData
from zhizao.errors import UserError
from zhizao.settings import Settings

GROUPS = ("above", "below")
CLASSES = ("A", "B", "C", "D")
# The items of each group (Huangyan 2022: six for 规上, two for 规下).
ITEMS: dict[str, tuple[str, ...]] = {
    "above": ("tax_per_mu", "va_per_mu", "va_per_energy", "va_per_emission", "labour_productivity", "rd_intensity"),
    "below": ("tax_per_mu", "tax_per_kwh"),
}
ALL_ITEMS = ("tax_per_mu", "va_per_mu", "va_per_energy", "va_per_emission", "labour_productivity", "rd_intensity",
             "tax_per_kwh")
# item = numerator / denominator × scale (annual measures; docs/reference/methods.md §3.1 definitions)
ITEM_PARTS: dict[str, tuple[str, str, float]] = {
    "tax_per_mu": ("tax", "land_area", 1.0), "va_per_mu": ("value_added", "land_area", 1.0),
    "va_per_energy": ("value_added", "energy", 1.0), "va_per_emission": ("value_added", "emissions", 1.0),
    "labour_productivity": ("value_added", "employees", 1.0), "rd_intensity": ("rd_expense", "revenue", 100.0),
    "tax_per_kwh": ("tax", "electricity", 1.0),
}
RAW = ["revenue", "value_added", "tax", "energy", "emissions", "employees", "rd_expense", "electricity"]
INDICATOR_COLUMNS = ["enterprise_id", "name", "district", "park", "industry_class", "group", "land_area",
                     *ALL_ITEMS, *RAW]
ENTERPRISE_COLUMNS = [*INDICATOR_COLUMNS, *(f"pts_{i}" for i in ALL_ITEMS), "score", "rank", "klass", "imputed",
                      "reasons_zh", "reasons_en"]
BENCHMARK_COLUMNS = ["group", "item", "benchmark", "weight", "cap", "n", "average_points"]
CLASS_COLUMNS = ["group", "klass", "n", "share"]
PRICE_COLUMNS = ["enterprise_id", "name", "district", "park", "industry_class", "group", "klass", "score", "rank",
                 "electricity", "water", "surcharge_electricity", "surcharge_water", "extra_cost",
                 "reasons_zh", "reasons_en"]
SUMMARY_BY = {"district": "district", "park": "park", "industry": "industry_class"}
SUMMARY_COLUMNS = ["n", *(f"n_{k}" for k in CLASSES), "n_not_evaluated", "share_ab", "tax_per_mu", "va_per_mu",
                   "mean_score"]
CHANGE_COLUMNS = ["enterprise_id", "name", "district", "park", "group_before", "group_now", "klass_before",
                  "klass_now", "change", "score_before", "score_now", "score_change", "reasons_zh", "reasons_en"]


@dataclass(frozen=True)
class MujuResult:
    enterprises: pd.DataFrame  # ENTERPRISE_COLUMNS, one row per registry enterprise with figures in `year`
    benchmarks: pd.DataFrame  # BENCHMARK_COLUMNS
    classes: pd.DataFrame  # CLASS_COLUMNS: every group × class, zero counts included
    year: int


def weight(settings: Settings, group: str, item: str) -> float:
    return float(settings[f"muju_weight_{item}" if group == "above" else f"muju_small_weight_{item}"])


# --- numbers in words, vectorised (formatting.py decides how each number reads) -------------------
_ONE_DECIMAL = np.array([formatting.number(i / 10, 1) for i in range(20001)], dtype=object)


def fmt1(x: np.ndarray) -> np.ndarray:
    """One decimal, as formatting.number(v, 1): a table for 0–2000 (scores, points), else per value."""
    x = np.asarray(x, dtype=float)
    tenths = np.nan_to_num(x, nan=-1.0, posinf=-1.0, neginf=-1.0) * 10
    idx = np.rint(tenths)
    # near a half the table could round the other way than the decimal formatting: format those exactly
    half = np.abs(tenths - np.floor(tenths) - 0.5) < 1e-6
    inside = (idx >= 0) & (idx <= 20000) & np.isfinite(x) & ~half
    out = np.empty(len(x), dtype=object)
    out[inside] = _ONE_DECIMAL[idx[inside].astype(np.int64)]
    for i in np.flatnonzero(~inside):
        out[i] = formatting.number(x[i], 1)
    return out


def fmt_int(x: np.ndarray) -> np.ndarray:
    """Whole numbers (ranks, counts) as formatting.number(v, 0) prints them (thousands separators; a test
    keeps the two equal): a plain format, as ranks run to hundreds of thousands of distinct values."""
    return np.array([f"{int(v):,}" for v in np.asarray(x, dtype=float).tolist()], dtype=object)


def fmt_sig(x: np.ndarray) -> np.ndarray:
    """Indicator values (any size) with four significant figures, formatting.significant."""
    return np.array([formatting.significant(v) for v in np.asarray(x, dtype=float)], dtype=object)


def join_rows(parts: list[np.ndarray], sep: str) -> np.ndarray:
    """Per row: the non-empty parts joined by sep."""
    if not parts or len(parts[0]) == 0:
        return np.zeros(0, dtype=object)
    return np.array([sep.join(filter(None, row)) for row in zip(*parts)], dtype=object)


def _word(table: str, code: str, lang: str) -> str:
    return labels.label(table, code, lang)


# --- indicators -----------------------------------------------------------------------------
def _year_rows(data: EnterpriseData, year: int) -> pd.DataFrame:
    """Registry enterprises joined to their annual figures of `year` (the last row if one repeats)."""
    ann = data.annual
    ann = ann[ann["year"].astype("float64") == float(year)].drop_duplicates("enterprise_id", keep="last")
    reg = data.registry[["enterprise_id", "name", "district", "park", "industry_class"]]
    reg = reg.drop_duplicates("enterprise_id", keep="last")
    return reg.merge(ann.drop(columns=["year"]), on="enterprise_id", how="inner").reset_index(drop=True)


def _ratio(num: np.ndarray, den: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """num/den × scale; NaN where either is unknown or the denominator is not positive (undefined)."""
    ok = np.isfinite(num) & np.isfinite(den) & (den > 0)
    out = np.full(len(num), np.nan)
    with np.errstate(over="ignore"):
        out[ok] = num[ok] / den[ok] * scale
    out[~np.isfinite(out)] = np.nan  # a denominator too close to 0 says nothing either
    return out


def _indicators(df: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    col = {c: df[c].to_numpy(dtype=float, na_value=np.nan) for c in ["land_area", *RAW]}
    revenue = col["revenue"]
    group = np.where(revenue >= float(settings["above_scale_revenue_min"]), "above",
                     np.where(np.isfinite(revenue), "below", "")).astype(object)
    out = df[["enterprise_id", "name", "district", "park", "industry_class"]].copy()
    for c in ("name", "district", "park", "industry_class"):
        out[c] = out[c].fillna("")
    out["group"] = group
    out["land_area"] = col["land_area"]
    for item, (num, den, scale) in ITEM_PARTS.items():
        out[item] = _ratio(col[num], col[den], scale)
    for c in RAW:
        out[c] = col[c]
    return out


def muju_indicators(data: EnterpriseData, year: int, settings: Settings) -> pd.DataFrame:
    """Per registry enterprise with annual figures in `year`: its group (规上 "above" when revenue ≥
    above_scale_revenue_min, "below" under it, "" when revenue is unknown) and the seven 亩均 items
    (INDICATOR_COLUMNS; NaN where a figure is missing or a denominator is not positive)."""
    return _indicators(_year_rows(data, year), settings)[INDICATOR_COLUMNS]


# --- evaluation -----------------------------------------------------------------------------
def _cut(n: int, share_pct: float) -> int:
    """How many of n enterprises a cumulative share (%) covers, rounded half up."""
    return int(np.floor(n * share_pct / 100.0 + 0.5 + 1e-9))


def class_of_rank(rank: np.ndarray, n: int, settings: Settings) -> np.ndarray:
    """Class by rank (1 = best; tied enterprises carry the best rank of their tie, so they share the better
    class): A up to the rounded muju_share_a % of n, B up to a+b %, C up to a+b+c %, D after."""
    a, b, c = (float(settings[f"muju_share_{k}"]) for k in "abc")
    ka, kb, kc = _cut(n, a), _cut(n, a + b), _cut(n, a + b + c)
    return np.where(rank <= ka, "A", np.where(rank <= kb, "B", np.where(rank <= kc, "C", "D"))).astype(object)


def evaluate(data: EnterpriseData, year: int, settings: Settings) -> MujuResult:
    """The 亩均 evaluation of `year`: each item scores indicator ÷ benchmark × weight, between 0 and
    muju_item_cap × weight (no upper limit when the cap is 0); the benchmark is the evaluated group's
    aggregate (Σ numerator ÷ Σ denominator over its enterprises with the item). An item an enterprise has
    no figure for gets the group's average points for it (listed in `imputed`). Enterprises without a
    positive land area or without revenue are not evaluated (klass "", the reason in words)."""
    df = _indicators(_year_rows(data, year), settings)
    n_rows = len(df)
    group = df["group"].to_numpy()
    land = df["land_area"].to_numpy(dtype=float)
    has_land = np.isfinite(land) & (land > 0)
    evaluated = has_land & (group != "")
    cap_mult = float(settings["muju_item_cap"])
    pts = {i: np.full(n_rows, np.nan) for i in ALL_ITEMS}
    imputed_flag = {i: np.zeros(n_rows, dtype=bool) for i in ALL_ITEMS}
    score = np.full(n_rows, np.nan)
    rank = np.full(n_rows, np.nan)
    klass = np.full(n_rows, "", dtype=object)
    group_n = np.zeros(n_rows)
    bench_rows, class_rows = [], []
    for g in GROUPS:
        m = evaluated & (group == g)
        idx = np.flatnonzero(m)
        total = np.zeros(len(idx))
        for item in ITEMS[g]:
            w = weight(settings, g, item)
            num, den, scale = ITEM_PARTS[item]
            x = df[item].to_numpy(dtype=float)[idx]
            valid = np.isfinite(x)
            sden = df[den].to_numpy(dtype=float)[idx][valid].sum()
            bench = scale * df[num].to_numpy(dtype=float)[idx][valid].sum() / sden if valid.any() and sden > 0 \
                else np.nan
            p = np.full(len(idx), np.nan)
            if np.isfinite(bench) and bench > 0:
                p[valid] = np.clip(x[valid] / bench * w, 0.0, cap_mult * w if cap_mult > 0 else np.inf)
            else:  # no usable benchmark: the item does not tell enterprises apart, each gets its weight
                p[valid] = w
            avg = float(p[valid].mean()) if valid.any() else w
            p[~valid] = avg
            pts[item][idx] = p
            imputed_flag[item][idx] = ~valid
            total += p
            bench_rows.append({"group": g, "item": item, "benchmark": bench, "weight": w,
                               "cap": cap_mult * w if cap_mult > 0 else np.nan, "n": int(valid.sum()),
                               "average_points": avg})
        score[idx] = total
        r = pd.Series(np.round(total, 9)).rank(method="min", ascending=False).to_numpy()
        rank[idx] = r
        k = class_of_rank(r, len(idx), settings)
        klass[idx] = k
        group_n[idx] = len(idx)
        for c in CLASSES:
            n_c = int((k == c).sum())
            class_rows.append({"group": g, "klass": c, "n": n_c, "share": n_c / len(idx) if len(idx) else np.nan})
    out = df.copy()
    for item in ALL_ITEMS:
        out[f"pts_{item}"] = pts[item]
    out["score"] = score
    out["rank"] = pd.array(np.where(np.isfinite(rank), rank, np.nan), dtype="Float64").astype("Int64")
    out["klass"] = klass
    out["imputed"] = _imputed(imputed_flag, n_rows)
    out["reasons_zh"], out["reasons_en"] = _reasons(out, evaluated, has_land, group_n, imputed_flag, settings)
    return MujuResult(out[ENTERPRISE_COLUMNS], pd.DataFrame(bench_rows, columns=BENCHMARK_COLUMNS),
                      pd.DataFrame(class_rows, columns=CLASS_COLUMNS), int(year))


def _imputed(flags: dict[str, np.ndarray], n: int) -> list[tuple[str, ...]]:
    """Per enterprise: the items scored at the group's average, a tuple (the empty one shared by most)."""
    any_flag = np.zeros(n, dtype=bool)
    for f in flags.values():
        any_flag |= f
    out: list[tuple[str, ...]] = [()] * n
    for i in np.flatnonzero(any_flag).tolist():
        out[i] = tuple(item for item in ALL_ITEMS if flags[item][i])
    return out


def _reasons(out: pd.DataFrame, evaluated: np.ndarray, has_land: np.ndarray, group_n: np.ndarray,
             imputed_flag: dict[str, np.ndarray], settings: Settings) -> tuple[np.ndarray, np.ndarray]:
    """Per enterprise in words: class, score, rank in its group, the (at most two) items furthest below
    the group's benchmark and the items scored at the average; or why it is not evaluated. One pass per
    row (500,000 rows: building strings column by column costs several times more)."""
    n = len(out)
    zh = np.full(n, "", dtype=object)
    en = np.full(n, "", dtype=object)
    no_land = ~has_land
    zh[no_land], en[no_land] = labels.MUJU_NOT_EVALUATED["no_land"]
    no_rev = has_land & ~evaluated
    zh[no_rev], en[no_rev] = labels.MUJU_NOT_EVALUATED["no_revenue"]
    for g in GROUPS:
        m = evaluated & (out["group"].to_numpy() == g)
        if not m.any():
            continue
        items = ITEMS[g]
        weights = np.array([weight(settings, g, i) for i in items])
        mat = np.column_stack([out[f"pts_{i}"].to_numpy(dtype=float)[m] for i in items])
        imp = np.column_stack([imputed_flag[i][m] for i in items])
        rel = np.where(weights > 0, mat / np.where(weights > 0, weights, 1.0), np.inf)
        rel[imp] = np.inf  # an average is no weakness
        order = np.argsort(rel, axis=1, kind="stable")[:, :2]
        rows = np.arange(len(rel))
        lows = [(order[:, j], rel[rows, order[:, j]] < 1.0 - 1e-9, fmt1(mat[rows, order[:, j]])) for j in range(order.shape[1])]
        if len(lows) == 1:  # a one-item scheme: no second item
            lows.append((lows[0][0], np.zeros(len(rel), dtype=bool), lows[0][2]))
        (j1, b1, p1), (j2, b2, p2) = lows
        izh = [labels.MUJU_ITEM[i][0] for i in items]
        ien = [labels.MUJU_ITEM[i][1] for i in items]
        wt = [formatting.number(w, 1) for w in weights]
        # imputed items as a bit mask, each combination put in words once
        mask = (imp * (1 << np.arange(len(items)))).sum(axis=1)
        imp_zh, imp_en = {}, {}
        for v in np.unique(mask).tolist():
            chosen = [i for i in range(len(items)) if v >> i & 1]
            imp_zh[v] = f"；{'、'.join(izh[i] for i in chosen)}缺数据，按本组平均分计" if chosen else ""
            imp_en[v] = f"; no figure for {', '.join(ien[i] for i in chosen)}: the group's average points" \
                if chosen else ""
        k = out["klass"].to_numpy()[m]
        sc = fmt1(out["score"].to_numpy(dtype=float)[m])
        rk = fmt_int(out["rank"].to_numpy(dtype=float, na_value=np.nan)[m])
        gn = formatting.number(int(m.sum()), 0)
        gzh, gen = labels.MUJU_GROUP[g]
        zh_m, en_m = [], []
        cols = (k, sc, rk, j1, b1, p1, j2, b2, p2, mask)
        for kk, s_, r_, a1, x1, q1, a2, x2, q2, mk in zip(*(np.asarray(c).tolist() for c in cols)):
            if x1 and x2:
                lz = f"低于基准：{izh[a1]}（{q1}/{wt[a1]}分）、{izh[a2]}（{q2}/{wt[a2]}分）"
                le = f"below the benchmark: {ien[a1]} ({q1} of {wt[a1]} points), {ien[a2]} ({q2} of {wt[a2]} points)"
            elif x1:
                lz = f"低于基准：{izh[a1]}（{q1}/{wt[a1]}分）"
                le = f"below the benchmark: {ien[a1]} ({q1} of {wt[a1]} points)"
            else:
                lz, le = "各项均不低于本组基准", "no item below the group's benchmark"
            zh_m.append(f"{kk}类：得分{s_}，{gzh}企业第{r_}名（共{gn}家）；{lz}{imp_zh[mk]}")
            en_m.append(f"class {kk}: score {s_}, rank {r_} of {gn} {gen} enterprises; {le}{imp_en[mk]}")
        zh[m], en[m] = zh_m, en_m
    return zh, en


# --- the differentiated-price list ------------------------------------------------------------
def price_list(result: MujuResult, data: EnterpriseData, settings: Settings) -> pd.DataFrame:
    """差别电价/水价名单: the class C and D enterprises, D first, lowest score first. extra_cost (万元) is
    the electricity surcharge × electricity use (万千瓦时 × 元/千瓦时 = 万元); the water surcharge is a
    percentage of the local water price, which the data do not hold, so it is given with the volume."""
    e = result.enterprises
    e = e[e["klass"].isin(["C", "D"])]
    ann = data.annual[data.annual["year"].astype("float64") == float(result.year)]
    ann = ann.drop_duplicates("enterprise_id", keep="last")[["enterprise_id", "water"]]
    out = e.merge(ann, on="enterprise_id", how="left")
    is_d = (out["klass"] == "D").to_numpy()
    out["surcharge_electricity"] = np.where(is_d, float(settings["muju_surcharge_electricity_d"]),
                                            float(settings["muju_surcharge_electricity_c"]))
    out["surcharge_water"] = np.where(is_d, float(settings["muju_surcharge_water_d"]),
                                      float(settings["muju_surcharge_water_c"]))
    out["extra_cost"] = out["electricity"].to_numpy(dtype=float) * out["surcharge_electricity"].to_numpy()
    el = np.array([formatting.number(v, 2) for v in out["surcharge_electricity"]], dtype=object)
    wa = fmt1(out["surcharge_water"].to_numpy())
    cost = np.array([formatting.number(v) for v in out["extra_cost"]], dtype=object)
    k = out["klass"].to_numpy(dtype=object)
    out["reasons_zh"] = (k + "类（得分" + fmt1(out["score"].to_numpy(dtype=float)) + "）：电价每千瓦时加价" + el +
                         "元，按用电量加收" + cost + "万元；水价加价" + wa + "%")
    out["reasons_en"] = ("class " + k + " (score " + fmt1(out["score"].to_numpy(dtype=float)) +
                         "): electricity +" + el + " yuan per kWh, " + cost + " (10,000 yuan) on its use; water +" +
                         wa + "%")
    out = out.assign(_d=~is_d).sort_values(["_d", "score", "enterprise_id"]).drop(columns="_d")
    return out[PRICE_COLUMNS].reset_index(drop=True)


# --- summaries ------------------------------------------------------------------------------
def summarise(result: MujuResult, by: str) -> pd.DataFrame:
    """Per district, park ("" = outside parks) or industry (GB/T 4754 division, the class's first two
    digits): enterprises evaluated (n) and per class, those not evaluated, the A+B share, 亩均税收 and
    亩均增加值 of the evaluated (Σ ÷ Σ land) and the mean score."""
    if by not in SUMMARY_BY:
        raise UserError(f"汇总方式应为 district、park 或 industry，而不是“{by}”",
                        f"summarise by district, park or industry, not '{by}'")
    e = result.enterprises
    key = e[SUMMARY_BY[by]].fillna("").astype(str)
    if by == "industry":
        key = key.str[:2]
    ev = (e["klass"] != "").to_numpy()
    land = np.where(ev, e["land_area"].to_numpy(dtype=float), np.nan)
    tax, va = e["tax"].to_numpy(dtype=float), e["value_added"].to_numpy(dtype=float)
    frame = pd.DataFrame({
        by: key.to_numpy(), "n": ev.astype(int), **{f"n_{k}": (e["klass"] == k).to_numpy().astype(int) for k in CLASSES},
        "n_not_evaluated": (~ev).astype(int),
        "tax": np.where(ev & np.isfinite(tax), tax, 0.0), "land_tax": np.where(ev & np.isfinite(tax), land, 0.0),
        "va": np.where(ev & np.isfinite(va), va, 0.0), "land_va": np.where(ev & np.isfinite(va), land, 0.0),
        "score": np.where(ev, e["score"].to_numpy(dtype=float), 0.0),
    })
    s = frame.groupby(by, sort=True).sum()
    s["share_ab"] = (s["n_A"] + s["n_B"]) / s["n"].where(s["n"] > 0)
    s["tax_per_mu"] = s["tax"] / s["land_tax"].where(s["land_tax"] > 0)
    s["va_per_mu"] = s["va"] / s["land_va"].where(s["land_va"] > 0)
    s["mean_score"] = s["score"] / s["n"].where(s["n"] > 0)
    return s.reset_index()[[by, *SUMMARY_COLUMNS]]


# --- class changes --------------------------------------------------------------------------
_ORDER = {"A": 4, "B": 3, "C": 2, "D": 1, "": 0}


def class_changes(now: MujuResult, before: MujuResult) -> pd.DataFrame:
    """Per enterprise in either year: its class before and now, up/down/same, new (not evaluated before) or
    gone (not evaluated now), the score change and, in words, the two items whose points moved most."""
    cols = ["enterprise_id", "name", "district", "park", "group", "klass", "score", *(f"pts_{i}" for i in ALL_ITEMS)]
    m = before.enterprises[cols].merge(now.enterprises[cols], on="enterprise_id", how="outer",
                                       suffixes=("_before", "_now"))
    for c in ("name", "district", "park"):
        m[c] = m[f"{c}_now"].where(m[f"{c}_now"].notna(), m[f"{c}_before"]).fillna("")
    for c in ("group", "klass"):
        for s in ("_before", "_now"):
            m[c + s] = m[c + s].fillna("").astype(object)
    kb = m["klass_before"].map(_ORDER).to_numpy()
    kn = m["klass_now"].map(_ORDER).to_numpy()
    change = np.where(kb == 0, np.where(kn == 0, "gone", "new"),
                      np.where(kn == 0, "gone", np.where(kn > kb, "up", np.where(kn < kb, "down", "same"))))
    m["change"] = change.astype(object)
    m["score_change"] = m["score_now"] - m["score_before"]
    m["reasons_zh"], m["reasons_en"] = _change_reasons(m, before.year, now.year)
    m = m.sort_values(["change", "enterprise_id"], key=lambda s: s.map(
        {"down": 0, "up": 1, "new": 2, "gone": 3, "same": 4}) if s.name == "change" else s)
    return m[CHANGE_COLUMNS].reset_index(drop=True)


def _change_reasons(m: pd.DataFrame, y0: int, y1: int) -> tuple[np.ndarray, np.ndarray]:
    n = len(m)
    diffs = np.column_stack([m[f"pts_{i}_now"].to_numpy(dtype=float) - m[f"pts_{i}_before"].to_numpy(dtype=float)
                             for i in ALL_ITEMS]) if n else np.zeros((0, len(ALL_ITEMS)))
    mag = np.where(np.isfinite(diffs), np.abs(diffs), -1.0)
    order = np.argsort(-mag, axis=1, kind="stable")[:, :2] if n else np.zeros((0, 2), dtype=int)
    kb, kn = m["klass_before"].to_numpy(dtype=object), m["klass_now"].to_numpy(dtype=object)
    same_group = (m["group_before"] == m["group_now"]).to_numpy()
    change = m["change"].to_numpy()
    zh = np.full(n, "", dtype=object)
    en = np.full(n, "", dtype=object)
    for i in range(n):
        c = change[i]
        if c == "new":
            zh[i], en[i] = f"{y1}年新参评，{kn[i]}类", f"evaluated for the first time in {y1}: class {kn[i]}"
            continue
        if c == "gone":
            zh[i], en[i] = f"{y0}年为{kb[i]}类，{y1}年未评价", f"class {kb[i]} in {y0}, not evaluated in {y1}"
            continue
        head_zh = f"{kb[i]}类→{kn[i]}类，得分{formatting.number(m['score_before'].iat[i], 1)}→" \
                  f"{formatting.number(m['score_now'].iat[i], 1)}"
        head_en = f"class {kb[i]} → {kn[i]}, score {formatting.number(m['score_before'].iat[i], 1)} → " \
                  f"{formatting.number(m['score_now'].iat[i], 1)}"
        if not same_group[i]:
            g0, g1 = m["group_before"].iat[i], m["group_now"].iat[i]
            zh[i] = head_zh + f"；由{labels.MUJU_GROUP[g0][0]}转为{labels.MUJU_GROUP[g1][0]}，评价指标不同，得分不可直接比较"
            en[i] = head_en + f"; moved from {labels.MUJU_GROUP[g0][1]} to {labels.MUJU_GROUP[g1][1]}: other items, " \
                              "scores not comparable"
            continue
        moved_zh, moved_en = [], []
        for j in order[i]:
            if mag[i, j] <= 0:
                continue
            item = ALL_ITEMS[j]
            d = formatting.number(diffs[i, j], 1)
            d = d if d.startswith("-") else "+" + d
            moved_zh.append(f"{labels.MUJU_ITEM[item][0]}{d}分")
            moved_en.append(f"{labels.MUJU_ITEM[item][1]} {d} points")
        zh[i] = head_zh + ("；变化最大：" + "、".join(moved_zh) if moved_zh else "；各项得分未变")
        en[i] = head_en + ("; moved most: " + ", ".join(moved_en) if moved_en else "; no item's points changed")
    return zh, en
