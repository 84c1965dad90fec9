"""专精特新中小企业 screening against the national criteria (工信部企业〔2022〕63号, docs/reference/methods.md
§3.2; docs/enterprises.md §专精特新 screening): the four eligibility checks, the 13-indicator score with
the points each candidate gets and misses, and the candidates closest to qualifying per district.

The scoring table is DATA (SCORING): each indicator's bands, checked in order, first match scores.
`year` is the 上年度 of the criteria: the figures of `year` in `annual` and `srdi`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from zhizao import formatting, labels
from zhizao.analytics.enterprises.counts import holders
from zhizao.analytics.enterprises.data import EnterpriseData
from zhizao.settings import Settings

SME_SIZES = ("medium", "small", "micro")
SME_REVENUE_MAX = 40000.0  # 万元: an industrial SME has revenue under 4亿 (统计上大中小微型企业划分办法(2017))
NICHE_YEARS_MIN = 2.0
RD_EXPENSE_MIN = 100.0  # 万元
RD_SHARE_MIN = 3.0  # % of revenue
REVENUE_MIN = 1000.0  # 万元
EQUITY_MIN = 2000.0  # 万元, new equity financing over the last two years


@dataclass(frozen=True)
class Item:
    """One scoring indicator: `value` names the input column (computed in `_inputs`); `bands` are
    (comparator, threshold, points) checked in order, or `levels` map a category to points;
    `tag` is the evidence level of docs/reference/methods.md §3.2."""

    key: str
    group: str
    max_points: float
    value: str
    unit: str = ""
    bands: tuple[tuple[str, float, float], ...] = ()
    levels: tuple[tuple[str, float], ...] = ()
    also: str | None = None  # a second input scored on `also_bands`; the item takes the better of the two
    also_bands: tuple[tuple[str, float, float], ...] = ()
    also_unit: str = ""
    tag: str = "C"


SCORING: tuple[Item, ...] = (
    Item("main_share", "specialised", 5, "main_share", "%", (("ge", 80, 5), ("ge", 70, 3), ("ge", 60, 1))),
    Item("revenue_growth", "specialised", 10, "revenue_growth", "%",
         (("ge", 10, 10), ("ge", 8, 8), ("ge", 6, 6), ("ge", 4, 4), ("ge", 0, 2))),
    # 1 point per full 2 years, at most 5
    Item("niche_years", "specialised", 5, "niche_years", "年",
         (("ge", 10, 5), ("ge", 8, 4), ("ge", 6, 3), ("ge", 4, 2), ("ge", 2, 1))),
    Item("product_field", "specialised", 5, "product_field", levels=(("key", 5), ("foundation", 3))),
    Item("digital_level", "refined", 5, "digital_level", "级", (("ge", 3, 5), ("ge", 2, 3))),
    # +3 per item (质量奖, 体系认证, 自主品牌, 标准), at most 5
    Item("quality", "refined", 5, "quality_items", "项", (("ge", 2, 5), ("ge", 1, 3))),
    Item("net_margin", "refined", 10, "net_margin", "%",
         (("ge", 10, 10), ("ge", 8, 8), ("ge", 6, 6), ("ge", 4, 4), ("ge", 2, 2))),
    # <50 % 5; 50–60 % 3; 60–70 % 1; >70 % 0 — 60 % scores 1 and 70 % scores 1 (zhizao's reading of the edges)
    Item("debt_ratio", "refined", 5, "debt_ratio", "%", (("lt", 50, 5), ("lt", 60, 3), ("le", 70, 1))),
    # points as the province awards them, capped at srdi_local_points_max (not banded here)
    Item("local", "distinctive", 15, "local_points", "分"),
    Item("ip", "innovation", 10, "ip_class",
         levels=(("1_high_value", 10), ("1_own", 8), ("1", 6), ("2", 2)), tag="P"),
    Item("rd_expense", "innovation", 10, "rd_expense", "万元",
         (("ge", 500, 10), ("ge", 400, 8), ("ge", 300, 6), ("ge", 200, 4), ("ge", 100, 2)),
         also="rd_share", also_bands=(("ge", 10, 10), ("ge", 8, 8), ("ge", 6, 6), ("ge", 4, 4), ("ge", 3, 2)),
         also_unit="%"),
    Item("rd_staff", "innovation", 5, "rd_staff_share", "%", (("ge", 20, 5), ("ge", 10, 3), ("ge", 5, 1)), tag="M"),
    Item("rd_institution", "innovation", 10, "rd_institution",
         levels=(("national", 10), ("provincial", 8), ("municipal", 4), ("below", 2)), tag="M"),
)
ITEMS = tuple(i.key for i in SCORING)
CHECKS = ("check_niche", "check_rd", "check_revenue", "check_score")
SCREEN_COLUMNS = ["enterprise_id", "name", "district", "park", "industry_class", "size", "revenue", "main_revenue",
                  "rd_expense", "rd_share", "main_share", "revenue_growth", "net_margin", "debt_ratio", "niche_years",
                  "equity_financing", "direct_pass", *CHECKS, *(f"pts_{k}" for k in ITEMS), "score", "missed_points",
                  "eligible", "qualifies", "gap", "reasons_zh", "reasons_en"]
CLOSEST_COLUMNS = [*SCREEN_COLUMNS, "failed_checks", "rank_in_district"]

_OPS = {"ge": np.greater_equal, "gt": np.greater, "lt": np.less, "le": np.less_equal}
_OP_TEXT = {"ge": "≥", "gt": ">", "lt": "<", "le": "≤"}
_UNIT_EN = {"年": " years", "级": "", "项": " items", "分": " points", "万元": " 万元"}


def _banded(x: np.ndarray, bands) -> np.ndarray:
    """Points of the first band each value meets; 0 when none (or unknown)."""
    x = np.asarray(x, dtype=float)
    known = np.isfinite(x)
    conds = [known & _OPS[op](np.where(known, x, 0.0), t) for op, t, _ in bands]
    return np.select(conds, [p for *_, p in bands], 0.0) if bands else np.zeros(len(x))


def item_points(item: Item, frame: pd.DataFrame, settings: Settings) -> np.ndarray:
    """The points `item` gives each row of `frame` (the columns of `_inputs`)."""
    if item.levels:
        codes = frame[item.value].fillna("").astype(str)
        return codes.map(dict(item.levels)).fillna(0.0).to_numpy(dtype=float)
    if not item.bands:  # local points: as awarded, capped
        cap = min(float(settings["srdi_local_points_max"]), item.max_points)
        return np.clip(np.nan_to_num(frame[item.value].to_numpy(dtype=float)), 0.0, cap)
    pts = _banded(frame[item.value].to_numpy(dtype=float), item.bands)
    if item.also:
        pts = np.maximum(pts, _banded(frame[item.also].to_numpy(dtype=float), item.also_bands))
    return pts


def _next_band(item: Item, value, points: float, lang: str) -> str:
    """What the next better band asks for, in words: '≥80%可得5分' / '≥80% for 5 points'."""
    if item.levels:
        better = [(c, p) for c, p in item.levels if p > points]
        if not better:
            return ""
        code, p = better[-1]
        word = labels.SRDI_LEVEL_WORD.get(code, (code, code))
        return f"{word[0]}可得{p:g}分" if lang == "zh" else f"{word[1]} for {p:g} points"
    better = [(op, t, p) for op, t, p in item.bands if p > points]
    if not better:
        return ""
    op, t, p = better[-1]  # the nearest better band
    text = f"{_OP_TEXT[op]}{formatting.number(t)}{_unit(item.unit, lang)}"
    if item.also:
        alt = [(o, tt, pp) for o, tt, pp in item.also_bands if pp == p]
        if alt:
            o, tt, _ = alt[0]
            text += (f"或{_OP_TEXT[o]}{formatting.number(tt)}{item.also_unit}" if lang == "zh"
                     else f" or {_OP_TEXT[o]}{formatting.number(tt)}{item.also_unit}")
    return f"{text}可得{p:g}分" if lang == "zh" else f"{text} for {p:g} points"


def _unit(unit: str, lang: str) -> str:
    return unit if lang == "zh" else _UNIT_EN.get(unit, unit)


def _value_text(item: Item, value, lang: str) -> str:
    if item.levels:
        code = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
        return labels.SRDI_LEVEL_WORD.get(code, (code, code))[lang == "en"] if code else formatting.MISSING
    x = pd.to_numeric(value, errors="coerce")
    return formatting.MISSING if pd.isna(x) else formatting.number(x) + _unit(item.unit, lang)


def _inputs(data: EnterpriseData, year: int) -> pd.DataFrame:
    """Per registry enterprise with annual figures in `year`: the scoring inputs."""
    a = data.annual
    now = a[a["year"] == year].drop_duplicates("enterprise_id", keep="last").set_index("enterprise_id")
    reg = data.registry.drop_duplicates("enterprise_id", keep="last").set_index("enterprise_id")
    f = reg.join(now.drop(columns=["year"]), how="inner")
    s = data.srdi
    s = s[s["year"] == year].drop_duplicates("enterprise_id", keep="last").set_index("enterprise_id")
    f = f.join(s.drop(columns=["year"]), how="left")
    revenue = f["revenue"].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        f["rd_share"] = np.where(revenue > 0, 100 * f["rd_expense"].astype(float) / revenue, np.nan)
        f["main_share"] = np.where(revenue > 0, 100 * f["main_revenue"].astype(float) / revenue, np.nan)
        f["net_margin"] = np.where(revenue > 0, 100 * f["net_profit"].astype(float) / revenue, np.nan)
        assets = f["assets"].astype(float)
        f["debt_ratio"] = np.where(assets > 0, 100 * f["liabilities"].astype(float) / assets, np.nan)
    f["revenue_growth"] = _growth(a, year, f.index)
    return f.reset_index()


def _growth(annual: pd.DataFrame, year: int, ids) -> np.ndarray:
    """近2年主营业务收入平均增长率 (%): the geometric mean of the two years' growth, (R_y / R_{y-2})^(1/2) − 1,
    on main business revenue (on revenue where main business revenue is not given in all three years)."""
    def level(col, y):
        sub = annual[annual["year"] == y].drop_duplicates("enterprise_id", keep="last").set_index("enterprise_id")
        return sub[col].reindex(ids).to_numpy(dtype=float)

    main_now, main_then = level("main_revenue", year), level("main_revenue", year - 2)
    rev_now, rev_then = level("revenue", year), level("revenue", year - 2)
    use_main = np.isfinite(main_now) & np.isfinite(main_then)
    now = np.where(use_main, main_now, rev_now)
    then = np.where(use_main, main_then, rev_then)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.where((then > 0) & (now >= 0), 100 * (np.sqrt(now / then) - 1), np.nan)
    return g


def screen(data: EnterpriseData, year: int, settings: Settings | None = None) -> pd.DataFrame:
    """Per SME (size medium/small/micro, or unknown size with revenue under 4亿) with figures in `year`
    not holding srdi_sme (any level) on year-12-31: the checks, the points per indicator, score,
    missed_points ({indicator: points missed}), eligible (checks 1–3), qualifies (all four), gap
    (points short of srdi_pass_score; 0 on a direct pass) and the reasons in words."""
    s = settings or Settings()
    f = _inputs(data, int(year))
    size = f["size"].fillna("").astype(str)
    sme = size.isin(SME_SIZES) | ((size == "") & (f["revenue"].astype(float) < SME_REVENUE_MAX))
    held = set(holders(data, "srdi_sme", f"{int(year):04d}-12-31"))
    f = f[sme & ~f["enterprise_id"].isin(held)].reset_index(drop=True)
    for col in ("product_field", "ip_class", "rd_institution", "direct_pass", "park", "size"):
        f[col] = f[col].fillna("").astype(str)
    pts = {k.key: item_points(k, f, s) for k in SCORING}
    for k, v in pts.items():
        f[f"pts_{k}"] = v
    f["score"] = np.sum(list(pts.values()), axis=0) if len(f) else np.zeros(0)
    rd = f["rd_expense"].to_numpy(dtype=float)
    rev = f["revenue"].to_numpy(dtype=float)
    eq = f["equity_financing"].to_numpy(dtype=float)
    f["check_niche"] = np.nan_to_num(f["niche_years"].to_numpy(dtype=float), nan=-1) >= NICHE_YEARS_MIN
    f["check_rd"] = (np.nan_to_num(rd, nan=-1) >= RD_EXPENSE_MIN) & (np.nan_to_num(f["rd_share"].to_numpy(dtype=float),
                                                                                    nan=-1) >= RD_SHARE_MIN)
    f["check_revenue"] = (np.nan_to_num(rev, nan=-1) >= REVENUE_MIN) | (np.nan_to_num(eq, nan=-1) >= EQUITY_MIN)
    direct = f["direct_pass"].to_numpy(dtype=object) != ""
    passed = f["score"].to_numpy(dtype=float) >= float(s["srdi_pass_score"])
    f["check_score"] = passed | direct
    f["eligible"] = f["check_niche"] & f["check_rd"] & f["check_revenue"]
    f["qualifies"] = f["eligible"] & f["check_score"]
    f["gap"] = np.where(f["check_score"], 0.0, float(s["srdi_pass_score"]) - f["score"].to_numpy(dtype=float))
    missed, rz, re_ = [], [], []
    maxes = {k.key: (min(k.max_points, float(s["srdi_local_points_max"])) if k.key == "local" else k.max_points)
             for k in SCORING}
    records = f.to_dict("records")
    for r in records:
        m = {k: round(maxes[k] - r[f"pts_{k}"], 4) for k in ITEMS if maxes[k] - r[f"pts_{k}"] > 1e-9}
        missed.append(m)
        zh, en = _reasons(r, m, s)
        rz.append(zh)
        re_.append(en)
    f["missed_points"] = missed
    f["reasons_zh"] = rz
    f["reasons_en"] = re_
    for c in SCREEN_COLUMNS:
        if c not in f:
            f[c] = np.nan
    return f[SCREEN_COLUMNS].sort_values(["district", "gap", "score", "enterprise_id"],
                                         ascending=[True, True, False, True], kind="stable").reset_index(drop=True)


def _reasons(r: dict, missed: dict, s: Settings) -> tuple[str, str]:
    zh, en = [], []
    score = formatting.number(r["score"], 1)
    pass_mark = formatting.number(s["srdi_pass_score"], 0)
    if r["qualifies"]:
        if r["direct_pass"] and r["score"] < s["srdi_pass_score"]:
            how = ("直通条件：" + r["direct_pass"], "direct pass: " + r["direct_pass"])
        else:
            how = (f"评分{score}分，达到{pass_mark}分", f"score {score}, at least {pass_mark}")
        zh.append(f"符合专精特新中小企业条件（{how[0]}）")
        en.append(f"meets the 专精特新 criteria ({how[1]})")
    else:
        for c in CHECKS:
            if not r[c]:
                cz, ce = labels.SRDI_CHECK[c]
                if c == "check_score":
                    cz = f"评分{score}分，差{formatting.number(r['gap'], 1)}分达到{pass_mark}分"
                    ce = f"score {score}, {formatting.number(r['gap'], 1)} short of {pass_mark}"
                    zh.append(cz)
                    en.append(ce)
                else:
                    zh.append(f"未满足：{cz}")
                    en.append(f"fails: {ce}")
    # the items with most points missed first, at most four, each with what it lacks
    by_item = {i.key: i for i in SCORING}
    top = sorted(missed.items(), key=lambda kv: (-kv[1], ITEMS.index(kv[0])))[:4]
    lz, le = [], []
    for k, lost in top:
        it = by_item[k]
        have = r[f"pts_{k}"]
        value = r.get(it.value)
        nz, ne = labels.SRDI_ITEM[k]
        hint_zh, hint_en = _next_band(it, value, have, "zh"), _next_band(it, value, have, "en")
        shown = bool(it.bands or it.levels)  # the local points are the value itself
        vz, ve = (_value_text(it, value, "zh"), " " + _value_text(it, value, "en")) if shown else ("", "")
        lz.append(f"{nz}{vz}得{have:g}分" + (f"（{hint_zh}）" if hint_zh else ""))
        le.append(f"{ne}{ve}: {have:g} points" + (f" ({hint_en})" if hint_en else ""))
    if lz:
        zh.append("失分较多：" + "；".join(lz))
        en.append("points missed: " + "; ".join(le))
    return "；".join(zh), "; ".join(en)


def closest(screened: pd.DataFrame, settings: Settings | None = None, per_district: int = 5) -> pd.DataFrame:
    """Per district, the non-qualifying candidates within srdi_near_points of the pass mark, fewest
    failed checks first, then smallest gap, then highest score: at most `per_district` each, with the
    checks they fail (failed_checks) and their rank in the district."""
    s = settings or Settings()
    near = float(s["srdi_near_points"])
    c = screened[~screened["qualifies"].astype(bool) & (screened["gap"] <= near + 1e-9)].copy()
    c["failed_checks"] = [[k for k in CHECKS if not r[k]] for r in c[list(CHECKS)].to_dict("records")]
    c["_n"] = c["failed_checks"].map(len)
    c = c.sort_values(["district", "_n", "gap", "score", "enterprise_id"],
                      ascending=[True, True, True, False, True], kind="stable")
    c["rank_in_district"] = c.groupby("district", sort=False).cumcount() + 1
    c = c[c["rank_in_district"] <= int(per_district)]
    return c[CLOSEST_COLUMNS].reset_index(drop=True)
