"""Monitoring from the published monthly series in the store (real data, sparse).

The store holds what Chongqing has published month by month (bundled: docs/data-import.md §Bundled
data): year-to-date (1–N月) growth of 规上工业增加值 for the city, for industries and plan clusters
(汽车产业, 电子产业, 材料产业 …) and for a few districts, each row with its source address and grade
(A government site, B official media, C reprint, D secondary). They are growth rates, not levels,
and far from every month is published, so this path does only what rates allow, and says what is
missing instead of filling it in:

- the YTD growth table of a period (industry, district), one value per subject: when several sources
  give one, the best is used (final before preliminary, higher grade, exact, latest vintage) and
  disagreeing values are reported;
- the city's gap to the target path (`target_annual_growth_pct`). The growth the remaining months
  need takes last year's monthly levels, which are not published; it is given under the published-
  rate model's assumption (equal months, s = m/12) and labelled as approximate;
- five-light signals, where the subject's own history has enough published points
  (`light_history_periods`, at least 3; otherwise "insufficient history");
- the annual forecast of the published-rate model (`forecast_from_ytd_growth`, backtested in
  scripts/forecast_backtest.py), with its backtest on the published years;
- the rules that need a continuous series or levels (anomalies, CUSUM, change points, drag,
  enterprise rules) are not run, and `not_run` says why.

Nothing here is synthetic, and nothing here is mixed with synthetic numbers. Nothing here reads the
store either: the caller passes its observations to `from_observations` (zhizao.api.published_monitoring
does both).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from zhizao import formatting
from zhizao.analytics.monitoring.forecast import forecast_from_ytd_growth
from zhizao.analytics.monitoring.lights import LIGHTS_EN, _cutoffs, _light_severity, _light_stat, light_of
from zhizao.analytics.monitoring.periods import FIRST_MONTH, PERIODS_PER_YEAR, period_label, slot_of
from zhizao.analytics.monitoring.warning_table import WARNING_COLUMNS, empty_warnings
from zhizao.codes.regions import CITY_CODE, CITY_NAME, DISTRICTS, FUNCTIONAL_ZONES
from zhizao.settings import Settings

CITY_SERIES = "规模以上工业增加值累计增长率"
CITY_MONTH_SERIES = "规模以上工业增加值当月增长率"
CITY_ANNUAL_SERIES = "规模以上工业增加值增长率"
GROWTH_SUFFIX = "增长率"
VA_GROWTH_SUFFIX = "增加值累计增长率"
NOT_INDUSTRY = (CITY_SERIES, "GDP累计增长率")
GRADE_RANK = {"A": 0, "B": 1, "C": 2, "D": 3, "none": 4}
SOURCE_COLUMNS = ["grade", "source_url", "status"]
MODEL = "s·G_m + (1−s)·g_prev, s = m/12 (published-rate model)"
NOT_RUN = {
    "anomaly": ("需要连续的月度序列（稳健STL/同比稳健z）；公布数据只有零星月份",
                "needs a continuous monthly series (robust STL / YoY robust z); published months are sparse"),
    "cusum_shift": ("需要连续的月度同比序列；公布数据只有零星月份",
                    "needs a continuous monthly YoY series; published months are sparse"),
    "change_point": ("需要连续的月度同比序列；公布数据只有零星月份",
                     "needs a continuous monthly YoY series; published months are sparse"),
    "drag": ("拉动需要各部分上年同期的比重（水平值），未公布",
             "pulls need last year's shares (levels) of the parts, which are not published"),
    "enterprise_*": ("企业数据未公布", "enterprise data are not published"),
}


@dataclass
class PublishedData:
    """Growth rows of the store used by monitoring, and where they came from."""

    growth: pd.DataFrame  # subject_type, subject_id, subject_name, series, year, month, value, status, grade, source_url,
    #                       publisher, source_title, …
    annual: pd.DataFrame  # the city's published annual growth (year, value, status, grade, source_url)
    db: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def city(self) -> pd.DataFrame:
        return self.growth[self.growth["subject_type"] == "city"]


def _subject(series: str, region: str) -> tuple[str, str, str]:
    """(subject_type, subject_id, subject_name) of a growth row."""
    if region == CITY_CODE:
        if series in (CITY_SERIES, CITY_MONTH_SERIES):
            return "city", CITY_CODE, CITY_NAME
        name = series[:-len(VA_GROWTH_SUFFIX)] if series.endswith(VA_GROWTH_SUFFIX) else series
        return "industry", name, name
    if region in DISTRICTS:
        return "district", region, DISTRICTS[region]
    if region in FUNCTIONAL_ZONES:
        return "zone", region, FUNCTIONAL_ZONES[region][0]
    return "region", region, region


def from_observations(obs: pd.DataFrame, db: str = "") -> PublishedData:
    """Select the monitoring rows from store observations (`Store.observations()`)."""
    o = obs[(obs["synthetic"] != True) & obs["unit"].eq("%") & obs["series"].str.endswith(GROWTH_SUFFIX)]  # noqa: E712
    m = o[o["period_type"].isin(["ytd", "month"]) & o["value"].notna() & ~o["series"].isin(NOT_INDUSTRY[1:])].copy()
    # city-level rows: the city series and value-added growth of industries; districts: any growth
    city = m["region"] == CITY_CODE
    m = m[~city | m["series"].isin([CITY_SERIES, CITY_MONTH_SERIES]) | m["series"].str.endswith(VA_GROWTH_SUFFIX)]
    subj = [_subject(s, r) for s, r in zip(m["series"], m["region"])]
    m["subject_type"] = [x[0] for x in subj]
    m["subject_id"] = [x[1] for x in subj]
    m["subject_name"] = [x[2] for x in subj]
    m["month"] = m["month"].astype(int).clip(lower=FIRST_MONTH)
    m["year"] = m["year"].astype(int)
    m["grade"] = m["grade"].fillna("none")
    cols = ["subject_type", "subject_id", "subject_name", "series", "period_type", "year", "month", "value",
            "qualifier", "status", "grade", "vintage", "source_url", "publisher", "source_title"]
    a = o[(o["period_type"] == "year") & (o["series"] == CITY_ANNUAL_SERIES) & (o["region"] == CITY_CODE)]
    a = a.assign(grade=a["grade"].fillna("none"), year=a["year"].astype(int))
    # reindex: publisher and title are for citing the source; a frame without them still works
    return PublishedData(m.reindex(columns=cols).reset_index(drop=True),
                         a.reindex(columns=["year", "value", "qualifier", "status", "grade", "vintage", "source_url",
                                            "publisher", "source_title"]).reset_index(drop=True), db)


def _rank(d: pd.DataFrame) -> pd.DataFrame:
    """Best row first: final before preliminary, higher grade, exact, latest vintage."""
    return d.assign(_s=(d["status"] != "final").astype(int), _g=d["grade"].map(GRADE_RANK).fillna(9),
                    _q=(d.get("qualifier", pd.Series("exact", index=d.index)) != "exact").astype(int),
                    _v=pd.to_datetime(d["vintage"], errors="coerce")).sort_values(
        ["_s", "_g", "_q", "_v"], ascending=[True, True, True, False], na_position="last")


def best(d: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One row per key: the best source, with `sources` (how many gave a value) and `conflict`
    (the values they gave, when they disagree)."""
    if d.empty:
        return d.assign(sources=pd.Series(dtype=int), conflict=pd.Series(dtype=object))
    r = _rank(d)
    n = r.groupby(keys, sort=False)["value"].transform("size")
    spread = r.groupby(keys, sort=False)["value"].transform(lambda v: ", ".join(formatting.number(x) for x in v) if v.nunique() > 1 else "")
    out = r.assign(sources=n, conflict=spread).drop_duplicates(keys)
    return out.drop(columns=["_s", "_g", "_q", "_v"]).sort_values(keys).reset_index(drop=True)


def periods(data: PublishedData) -> list[tuple[int, int]]:
    """Periods (year, month) with a published YTD growth of the city, in order."""
    c = data.city[data.city["period_type"] == "ytd"]
    return sorted({(int(y), int(m)) for y, m in zip(c["year"], c["month"])})


def latest_period(data: PublishedData, subject_type: str = "city") -> tuple[int, int] | None:
    """The latest period with a published YTD growth of a subject of the type (default: the city)."""
    if subject_type == "city":
        p = periods(data)
        return p[-1] if p else None
    g = data.growth[(data.growth["period_type"] == "ytd") & (data.growth["subject_type"] == subject_type)]
    return max(zip(g["year"].astype(int), g["month"].astype(int))) if len(g) else None


def _ytd(data: PublishedData, subject_type: str | None = None) -> pd.DataFrame:
    g = data.growth[data.growth["period_type"] == "ytd"]
    if subject_type:
        g = g[g["subject_type"] == subject_type]
    return best(g, ["subject_type", "subject_id", "series", "year", "month"])


def _light(values: pd.DataFrame, year: int, month: int, s: Settings) -> tuple[str | None, dict]:
    """Five-light of one subject's published YTD growth at (year, month) — the same statistic and
    cut-offs as `warnings.lights`, on the published points of its history; None with the reason
    when there are too few."""
    first = int(values["year"].min())
    T = (max(int(values["year"].max()), year) - first + 1) * PERIODS_PER_YEAR
    series = np.full(T, np.nan)
    series[slot_of(values["year"].to_numpy(), values["month"].to_numpy(), first)] = values["value"].to_numpy(dtype=float)
    slot = int(slot_of(year, month, first))
    stat, ev = _light_stat(series, slot, s)
    light = light_of(stat, _cutoffs(s))
    if light is None:
        ev["insufficient_history"] = True
    return light, ev


def _light_text(light: str | None, ev: dict, lang: str) -> str:
    if light is not None:
        return light if lang == "zh" else LIGHTS_EN[light]  # one wording and colour (labels.LIGHT) everywhere
    n = ev.get("history_points", 0)
    return f"历史不足（{n}点）" if lang == "zh" else f"insufficient history ({n} pts)"


def growth_table(data: PublishedData, period: tuple[int, int], subject_type: str = "industry",
                 settings: Settings | None = None, lang: str = "zh") -> pd.DataFrame:
    """YTD growth (%) of every subject of a type at `period`, with its light, source grade and
    address; subjects published in other periods but not this one get a row with no value and a
    note saying when they were published."""
    s = settings or Settings()
    y, m = period
    g = _ytd(data, subject_type)
    rows = []
    for (sid, series), d in g.groupby(["subject_id", "series"], sort=True):
        now = d[(d["year"] == y) & (d["month"] == m)]
        name = d["subject_name"].iloc[0]
        if len(now):
            r = now.iloc[0]
            light, ev = _light(d, y, m, s)
            rows.append({"subject_id": sid, "subject_name": name, "series": series, "year": y, "month": m,
                         "ytd_growth_pct": float(r["value"]), "light": _light_text(light, ev, lang),
                         "history_points": ev.get("history_points"), "grade": r["grade"],
                         "source_url": r["source_url"], "status": r["status"], "sources": int(r["sources"]),
                         "conflict": r["conflict"], "note": ""})
        else:
            have = ", ".join(f"{a}-{b:02d}" for a, b in sorted(zip(d["year"], d["month"])))
            rows.append({"subject_id": sid, "subject_name": name, "series": series, "year": y, "month": m,
                         "ytd_growth_pct": np.nan, "light": "", "history_points": None, "grade": "",
                         "source_url": "", "status": "", "sources": 0, "conflict": "",
                         "note": (f"{y}-{m:02d}未公布（已公布：{have}）" if lang == "zh" else
                                  f"not published for {y}-{m:02d} (published: {have})")})
    cols = ["subject_id", "subject_name", "series", "year", "month", "ytd_growth_pct", "light", "history_points",
            "grade", "source_url", "status", "sources", "conflict", "note"]
    out = pd.DataFrame(rows, columns=cols)
    has = out["ytd_growth_pct"].notna()
    return pd.concat([out[has].sort_values("ytd_growth_pct", ascending=False), out[~has]], ignore_index=True)


def _annual(data: PublishedData) -> pd.DataFrame:
    return best(data.annual, ["year"]) if len(data.annual) else data.annual


def city_path(data: PublishedData, settings: Settings | None = None, lang: str = "zh") -> pd.DataFrame:
    """The city's published YTD growth path with the gap to the target path at each period (and the
    single-month growth where that was published)."""
    s = settings or Settings()
    target = float(s["target_annual_growth_pct"])
    c = _ytd(data, "city")
    mg = data.city[data.city["period_type"] == "month"]
    mg = best(mg, ["year", "month"]).set_index(["year", "month"])["value"] if len(mg) else pd.Series(dtype=float)
    rows = []
    for r in c.itertuples(index=False):
        light, ev = _light(c, r.year, r.month, s)
        gap = float(r.value) - target
        rows.append({"year": r.year, "month": r.month, "ytd_growth_pct": float(r.value),
                     "month_growth_pct": float(mg.get((r.year, r.month), np.nan)), "target_pct": target,
                     "gap_pp": gap, "required_rest_pct": required_rest_growth_approx(float(r.value), r.month, target),
                     "light": _light_text(light, ev, lang), "grade": r.grade, "source_url": r.source_url,
                     "status": r.status, "sources": int(r.sources), "conflict": r.conflict})
    return pd.DataFrame(rows, columns=["year", "month", "ytd_growth_pct", "month_growth_pct", "target_pct", "gap_pp",
                                       "required_rest_pct",
                                       "light", "grade", "source_url", "status", "sources", "conflict"])


def required_rest_growth_approx(ytd_growth_pct: float, month: int, target_pct: float) -> float:
    """Growth (%) the remaining months need for the annual target, with last year's months taken as
    equal (s = m/12 of the annual total by month m): (T − s·G) / (1 − s). Approximate: the exact
    value needs last year's monthly levels (growth.required_rest_growth). NaN at year end."""
    s = max(month, FIRST_MONTH) / 12
    if s >= 1:
        return float("nan")
    return (target_pct - s * ytd_growth_pct) / (1 - s)


def target_gap(data: PublishedData, period: tuple[int, int], settings: Settings | None = None) -> dict | None:
    """The city's position against the target path at `period`, or None when the city's YTD growth
    is not published for it."""
    s = settings or Settings()
    p = city_path(data, s)
    row = p[(p["year"] == period[0]) & (p["month"] == period[1])]
    return None if row.empty else row.iloc[0].to_dict()


def warnings_table(data: PublishedData, period: tuple[int, int], settings: Settings | None = None) -> pd.DataFrame:
    """target_gap and five_light warnings from the published rates at `period` (WARNING_COLUMNS),
    each with its source grade and address in the evidence."""
    s = settings or Settings()
    y, m = period
    lz, le = period_label(y, m, "ytd", "zh"), period_label(y, m, "ytd", "en")
    rows = []
    tg = target_gap(data, period, s)
    if tg is not None and tg["gap_pp"] < -float(s["target_gap_medium_pp"]):
        g, target, gap, rest = tg["ytd_growth_pct"], tg["target_pct"], tg["gap_pp"], tg["required_rest_pct"]
        sev = "high" if gap <= -float(s["target_gap_high_pp"]) else "medium"
        rest_zh = f"；按各月等量近似，余下月份需增长约{formatting.percent(rest)}" if np.isfinite(rest) else ""
        rest_en = f"; with equal months assumed the rest of the year needs about {formatting.percent(rest)}" if np.isfinite(rest) else ""
        rows.append({"subject_type": "city", "subject_id": CITY_CODE, "subject_name": CITY_NAME,
                     "period": f"{y}-{m:02d}", "rule": "target_gap", "severity": sev,
                     "evidence": {"ytd_growth_pct": g, "target_pct": target, "gap_pp": round(gap, 4),
                                  "required_rest_pct_approx": None if not np.isfinite(rest) else round(rest, 4),
                                  "grade": tg["grade"], "source_url": tg["source_url"], "source": "published"},
                     "explanation_zh": f"{lz}，全市规上工业增加值累计增长{formatting.percent(g)}（公布数，{tg['grade']}级来源），"
                                       f"低于全年目标{formatting.percent(target)}共{formatting.points(-gap, 'zh', signed=False)}{rest_zh}。",
                     "explanation_en": f"{le}: published YTD value-added growth {formatting.percent(g)} (grade "
                                       f"{tg['grade']} source), {formatting.points(-gap, 'en', signed=False)} below the "
                                       f"{formatting.percent(target)} target{rest_en}."})
    for st in ("city", "industry", "district", "zone"):
        tab = (city_path(data, s).query("year == @y and month == @m").assign(
            subject_id=CITY_CODE, subject_name=CITY_NAME, series=CITY_SERIES) if st == "city"
            else growth_table(data, period, st, s))
        for r in tab[tab["ytd_growth_pct"].notna()].to_dict("records"):
            d = _ytd(data, st)
            d = d[(d["subject_id"] == r["subject_id"]) & (d["series"] == r["series"])]
            light, ev = _light(d, y, m, s)
            if light is None or light == "正常":
                continue
            sev = _light_severity(st, "value_added", light in ("过热", "过冷"))
            rows.append({"subject_type": st, "subject_id": r["subject_id"], "subject_name": r["subject_name"],
                         "period": f"{y}-{m:02d}", "rule": "five_light", "severity": sev,
                         "evidence": {**{k: v for k, v in ev.items() if v is not None}, "light": light,
                                      "series": r["series"], "grade": r["grade"], "source_url": r["source_url"],
                                      "source": "published"},
                         "explanation_zh": f"{lz}，{_who(st, r, 'zh')}为{formatting.percent(r['ytd_growth_pct'])}"
                                           f"（公布数，{r['grade']}级来源），亮{light}信号（相对自身已公布历史）。",
                         "explanation_en": f"{le}: {_who(st, r, 'en')} {formatting.percent(r['ytd_growth_pct'])} "
                                           f"(published, grade {r['grade']}) signals {LIGHTS_EN[light]} against its "
                                           f"own published history."})
    return pd.DataFrame(rows, columns=WARNING_COLUMNS) if rows else empty_warnings()


def _who(subject_type: str, row: dict, lang: str) -> str:
    """What a published row measures, e.g. 汽车产业增加值累计增长率, 璧山区规上工业增加值增长率."""
    if subject_type == "city":
        return ("全市" if lang == "zh" else "City ") + row["series"]
    if subject_type == "industry":
        return row["series"]
    return f"{row['subject_name']}{row['series']}" if lang == "zh" else f"{row['subject_id']} {row['series']}"


def backtest(data: PublishedData) -> pd.DataFrame:
    """The published-rate model on every published (year, month < 12) city YTD growth whose annual
    outcome is published: forecast, naive (= YTD growth) and actual annual growth."""
    c = _ytd(data, "city")
    a = _annual(data).set_index("year")["value"] if len(data.annual) else pd.Series(dtype=float)
    rows = []
    for r in c.itertuples(index=False):
        if r.month == 12 or r.year not in a.index:
            continue
        prev = a.get(r.year - 1, np.nan)
        rows.append({"year": r.year, "through_month": r.month, "actual_pct": float(a[r.year]),
                     "naive_pct": float(r.value), "model_pct": forecast_from_ytd_growth(float(r.value), r.month, prev),
                     "prev_annual_known": bool(np.isfinite(prev))})
    return pd.DataFrame(rows, columns=["year", "through_month", "actual_pct", "naive_pct", "model_pct", "prev_annual_known"])


def forecast(data: PublishedData, period: tuple[int, int]) -> dict:
    """Annual growth of period's year from the city's published YTD growth at `period` and last
    year's published annual growth (published-rate model). Values missing → NaN and `missing`."""
    y, m = period
    c = _ytd(data, "city")
    now = c[(c["year"] == y) & (c["month"] == m)]
    ann = _annual(data)
    prev = ann[ann["year"] == y - 1] if len(ann) else ann
    out = {"year": y, "through_month": m, "model": MODEL, "ytd_growth_pct": np.nan, "prev_annual_growth_pct": np.nan,
           "growth_pct": np.nan, "ytd_grade": "", "ytd_source_url": "", "prev_grade": "", "prev_source_url": "",
           "prev_status": "", "missing": []}
    if now.empty:
        out["missing"].append(f"{CITY_SERIES} {y}-{m:02d}")
        return out
    r = now.iloc[0]
    out.update(ytd_growth_pct=float(r["value"]), ytd_grade=r["grade"], ytd_source_url=r["source_url"])
    g_prev = None
    if len(prev):
        p = prev.iloc[0]
        g_prev = float(p["value"])
        out.update(prev_annual_growth_pct=g_prev, prev_grade=p["grade"], prev_source_url=p["source_url"],
                   prev_status=p["status"])
    else:  # the model then falls back to the naive forecast (annual = YTD growth) and says so
        out["missing"].append(f"{CITY_ANNUAL_SERIES} {y - 1}")
        out["model"] = "naive: annual = YTD growth (last year's annual growth not published)"
    out["growth_pct"] = forecast_from_ytd_growth(out["ytd_growth_pct"], m, g_prev)
    bt = backtest(data)
    if len(bt):
        e = (bt["model_pct"] - bt["actual_pct"]).abs()
        out.update(backtest_n=len(bt), backtest_mae_pp=float(e.mean()),
                   backtest_naive_mae_pp=float((bt["naive_pct"] - bt["actual_pct"]).abs().mean()))
    return out
