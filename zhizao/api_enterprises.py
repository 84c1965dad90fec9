"""Enterprises, parks and the binding green targets (issue 13, docs/enterprises.md): the analyses as data frames.

    import zhizao.api as zz
    zz.enterprises(district="500112", tag="srdi_sme")   # the registry with the tags held now
    zz.muju(year=2024)                                   # 亩均效益 evaluation: scores, classes A–D and why
    zz.muju_prices()                                     # 差别电价/水价名单 (classes C and D)
    zz.green()                                           # energy/water intensity against the binding targets

Each function takes (plan=None, db=None, year=None, settings=None, …) and returns a DataFrame whose attrs
say where the data came from: synthetic (True → the labelled synthetic default, 合成数据（演示用）), source,
as_of, batch_id (and year where a year was evaluated; park_names {park_id: name} where rows name a park). The data are the plan's active imported enterprise data,
else the synthetic default (zhizao.api_enterprise_data.enterprise_data); the analytics are
zhizao.analytics.enterprises. Synthetic data never feed the plan's assessment (registry_assessment_inputs).
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from zhizao import api_plans as _api
from zhizao.analytics.enterprises import backward as _backward
from zhizao.analytics.enterprises import counts as _counts
from zhizao.analytics.enterprises import green as _green
from zhizao.analytics.enterprises import muju as _muju
from zhizao.analytics.enterprises import parks as _parks
from zhizao.analytics.enterprises import srdi as _srdi
from zhizao.analytics.enterprises import warnings as _warnings
from zhizao.analytics.enterprises.data import TAGS, EnterpriseData
from zhizao.api_enterprise_data import enterprise_data, enterprise_source_words, import_enterprise_data
from zhizao.api_enterprise_data import _imported as _stored_enterprise_data  # imported only, no synthetic
from zhizao.errors import UserError
from zhizao.plan.spec import Plan
from zhizao.settings import Settings

__all__ = [
    "enterprise_data", "import_enterprise_data", "enterprise_source_words", "enterprises", "enterprise_profile",
    "enterprise_tags", "muju", "muju_evaluation", "muju_prices", "muju_summary", "muju_changes", "parks",
    "park_enterprises", "srdi_candidates", "backward_candidates", "enterprise_counts", "green", "enterprise_warnings",
    "registry_assessment_inputs", "green_assessment_inputs", "enterprise_assessment_inputs",
    "enterprise_years",
]

MUJU_LEVELS = ("enterprises", "benchmarks", "classes")
SUMMARY_BY = ("district", "park", "industry")
GREEN_LEVELS = ("status", "intensity", "key_users")
TAG_LEVELS = ("national", "municipal")
NO_PARK_SYSTEM = ("本规划未列产业园区体系", "this plan has no park system")


# --- the data and the choices every analysis shares -------------------------------------------------
def _context(plan, db, settings) -> tuple[Plan, EnterpriseData, Settings]:
    plan = _api.resolve_plan(plan, db, register=False)
    data = enterprise_data(db=db, plan=plan)
    s = settings if isinstance(settings, Settings) else Settings(settings)
    return plan, data, s


def _stamped(df: pd.DataFrame, data: EnterpriseData, year: int | None = None) -> pd.DataFrame:
    df.attrs.update(synthetic=bool(data.synthetic), source=data.source, as_of=data.as_of, batch_id=data.batch_id)
    if "park" in df and len(data.parks):  # so an output can name a row's park (a few dozen parks)
        df.attrs["park_names"] = dict(zip(data.parks["park_id"].astype(str), data.parks["name"].astype(str)))
    if year is not None:
        df.attrs["year"] = int(year)
    return df


def enterprise_years(data: EnterpriseData, frame: str = "annual") -> list[int]:
    """The years a frame (annual, srdi, green) holds, ascending."""
    df = data.frame(frame)
    if df.empty or "year" not in df:
        return []
    return sorted(int(y) for y in pd.to_numeric(df["year"], errors="coerce").dropna().unique())


def _year(data: EnterpriseData, year: int | None, frame: str = "annual") -> int:
    """The year to evaluate: `year` if the data hold it, else the latest; UserError naming the years."""
    years = enterprise_years(data, frame)
    sheet = {"annual": ("年度指标", "annual figures"), "srdi": ("专精特新", "专精特新 inputs"),
             "green": ("能耗水耗", "energy and water")}[frame]
    if not years:
        raise UserError(f"企业数据中没有{sheet[0]}：请导入含“{sheet[0]}”表的文件（zhizao enterprise import）",
                        f"the enterprise data have no {sheet[1]}: import a file with the '{sheet[0]}' sheet "
                        "(zhizao enterprise import)")
    if year is None:
        return years[-1]
    if int(year) not in years:
        shown = "、".join(map(str, years))
        raise UserError(f"{year} 年没有{sheet[0]}数据：--year 可取 {shown}",
                        f"no {sheet[1]} for {year}: --year takes {', '.join(map(str, years))}")
    return int(year)


def _districts(plan: Plan) -> list[str]:
    return [d.code for d in (plan.regions.districts if plan.regions else [])]


def check_district(plan: Plan, data: EnterpriseData, district: str | None) -> str | None:
    """A --district value: one of the plan's district codes (or, for a plan listing none, a code of the
    data); UserError naming some otherwise."""
    if district is None:
        return None
    code = str(district).strip()
    known = _districts(plan) or sorted(set(data.registry["district"].dropna().astype(str)) - {""})
    if code in known:
        return code
    names = {d.code: d.name for d in (plan.regions.districts if plan.regions else [])}
    for c, n in names.items():  # a district named in words
        if code == n:
            return c
    shown = "、".join(known[:8]) + ("…" if len(known) > 8 else "")
    raise UserError(f"没有区县“{code[:40]}”：请给本规划的区县代码（GB/T 2260 六位），如 {shown}"
                    "（zhizao plan show --section regions 列出全部）",
                    f"no district '{code[:40]}': give one of the plan's district codes (6-digit GB/T 2260), e.g. "
                    f"{', '.join(known[:8])} (zhizao plan show --section regions lists them)")


def check_park(data: EnterpriseData, park: str | None) -> str | None:
    """A park id (or name) of the data's parks; UserError naming some otherwise."""
    if park is None:
        return None
    text = str(park).strip()
    parks_ = data.parks
    if parks_.empty:
        raise UserError("企业数据中没有园区：请先导入“园区”表（zhizao enterprise import）",
                        "the enterprise data have no parks: import the 园区 (parks) sheet first (zhizao enterprise "
                        "import)")
    for pid, name in zip(parks_["park_id"].astype(str), parks_["name"].astype(str)):
        if text in (pid, name):
            return pid
    ids = list(parks_["park_id"].astype(str))
    raise UserError(f"没有园区“{text[:40]}”：园区编号如 {'、'.join(ids[:6])}（zhizao park list 列出全部）",
                    f"no park '{text[:40]}': park ids are like {', '.join(ids[:6])} (zhizao park list shows them all)")


def check_tag(tag: str | None) -> str | None:
    if tag is None:
        return None
    if tag not in TAGS:
        raise UserError(f"没有企业标签“{str(tag)[:40]}”：可取 {'、'.join(TAGS)}",
                        f"no enterprise tag '{str(tag)[:40]}': use one of {', '.join(TAGS)}")
    return tag


def check_level(level: str | None) -> str | None:
    if level is None or level == "":
        return None
    if level not in TAG_LEVELS:
        raise UserError(f"标签级别“{str(level)[:40]}”无效：可取 {'、'.join(TAG_LEVELS)}",
                        f"invalid tag level '{str(level)[:40]}': use one of {', '.join(TAG_LEVELS)}")
    return level


def _choice(value: str, allowed: tuple[str, ...], what_zh: str, what_en: str) -> str:
    if value not in allowed:
        raise UserError(f"{what_zh}“{str(value)[:40]}”无效：可取 {'、'.join(allowed)}",
                        f"invalid {what_en} '{str(value)[:40]}': use one of {', '.join(allowed)}")
    return value


def _held(tags: pd.DataFrame, when: str) -> pd.DataFrame:
    """Tag spells held on `when` ('YYYY-MM-DD'): acquired <= when and (lost == "" or when < lost)."""
    if tags.empty:
        return tags
    acquired = tags["acquired"].fillna("").astype(str)
    lost = tags["lost"].fillna("").astype(str)
    return tags[(acquired != "") & (acquired <= when) & ((lost == "") | (when < lost))]


def _on(data: EnterpriseData, year: int | None) -> str:
    """The date 'current' tags are read on: the end of `year`, else the data's own date, else today."""
    if year is not None:
        return f"{int(year)}-12-31"
    return str(data.as_of or date.today().isoformat())[:10]


def _filtered(df: pd.DataFrame, district: str | None = None, park: str | None = None) -> pd.DataFrame:
    if district is not None and "district" in df:
        df = df[df["district"].astype(str) == district]
    if park is not None and "park" in df:
        df = df[df["park"].astype(str) == park]
    return df.reset_index(drop=True)


# --- the registry -----------------------------------------------------------------------------------
def enterprises(plan=None, db: str | Path | None = None, year: int | None = None,
                settings: Mapping[str, Any] | Settings | None = None, *, district: str | None = None,
                park: str | None = None, tag: str | None = None) -> pd.DataFrame:
    """The registry (`zhizao enterprise list`): REGISTRY_COLUMNS, park_name, and `tags` — the tags held at the
    end of `year` (default: on the data's date), as a list of codes in TAGS order, `tag_levels` beside them.
    Filters: district (code), park (id or name), tag (a TAGS code)."""
    plan, data, _ = _context(plan, db, settings)
    district, park, tag = check_district(plan, data, district), check_park(data, park), check_tag(tag)
    reg = data.registry.copy()
    held = _held(data.tags, _on(data, year))
    order = {t: i for i, t in enumerate(TAGS)}
    by_ent: dict[str, list[tuple[str, str]]] = {}
    for e, t, lv in zip(held["enterprise_id"], held["tag"], held["level"].fillna("")):
        by_ent.setdefault(str(e), []).append((str(t), str(lv)))
    pairs = [sorted(set(by_ent.get(str(e), [])), key=lambda p: (order.get(p[0], 99), p[1])) for e in reg["enterprise_id"]]
    reg["tags"] = [[t for t, _ in p] for p in pairs]
    reg["tag_levels"] = [[lv for _, lv in p] for p in pairs]
    names = dict(zip(data.parks["park_id"].astype(str), data.parks["name"])) if len(data.parks) else {}
    reg["park_name"] = reg["park"].map(lambda p: names.get(str(p), "") if isinstance(p, str) else "")
    reg = _filtered(reg, district, park)
    if tag is not None:
        reg = reg[reg["tags"].map(lambda ts: tag in ts)].reset_index(drop=True)
    return _stamped(reg, data, year)


def _enterprise_id(data: EnterpriseData, enterprise: str) -> str:
    """An enterprise named by its credit code or its exact name; UserError otherwise."""
    text = str(enterprise).strip()
    reg = data.registry
    ids = reg["enterprise_id"].astype(str)
    if (ids == text).any():
        return text
    if (ids == text.upper()).any():
        return text.upper()
    by_name = reg[reg["name"].astype(str) == text]
    if len(by_name):
        return str(by_name["enterprise_id"].iloc[0])
    sample = "、".join(ids.head(3))
    raise UserError(f"企业名录中没有“{text[:60]}”：请给统一社会信用代码或完整企业名称，如 {sample}"
                    "（zhizao enterprise list 列出全部）",
                    f"no enterprise '{text[:60]}' in the registry: give its unified social credit code or full "
                    f"name, e.g. {', '.join(ids.head(3))} (zhizao enterprise list shows them all)")


def enterprise_profile(enterprise: str, plan=None, db: str | Path | None = None, year: int | None = None,
                       settings: Mapping[str, Any] | Settings | None = None) -> dict[str, pd.DataFrame]:
    """One enterprise (`zhizao enterprise show`), by credit code or name: {"registry": its row (with tags held),
    "tags": its tag history, "annual": its yearly figures, "muju": its 亩均 result in each year with annual data
    (score, rank, klass, reasons), "backward": the backward-capacity criteria it fails in `year`}. Each frame
    carries the data's attrs."""
    plan, data, s = _context(plan, db, settings)
    eid = _enterprise_id(data, enterprise)
    reg = enterprises(plan, db, year, s)
    out = {"registry": reg[reg["enterprise_id"] == eid].reset_index(drop=True)}
    tags = data.tags[data.tags["enterprise_id"].astype(str) == eid].sort_values(["acquired", "tag"])
    out["tags"] = tags.reset_index(drop=True)
    annual = data.annual[data.annual["enterprise_id"].astype(str) == eid].sort_values("year")
    out["annual"] = annual.reset_index(drop=True)
    rows = []
    for y in sorted(int(v) for v in annual["year"].dropna()):
        res = _muju.evaluate(data, y, s)
        e = res.enterprises
        rows.append(e[e["enterprise_id"].astype(str) == eid].assign(year=y))
    out["muju"] = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    if len(annual):
        y = _year(data, year)
        bc = _backward.backward_candidates(data, y, s)
        out["backward"] = bc[bc["enterprise_id"].astype(str) == eid].reset_index(drop=True)
    else:
        out["backward"] = pd.DataFrame()
    return {k: _stamped(v, data, year) for k, v in out.items()}


def enterprise_tags(plan=None, db: str | Path | None = None, year: int | None = None,
                    settings: Mapping[str, Any] | Settings | None = None, *, tag: str | None = None,
                    level: str | None = None, district: str | None = None) -> pd.DataFrame:
    """The tag history (`zhizao enterprise tags`): TAG_COLUMNS with name and district, and `held` (the spell is
    held at the end of `year`, default on the data's date); newest acquisition first."""
    plan, data, _ = _context(plan, db, settings)
    tag, level, district = check_tag(tag), check_level(level), check_district(plan, data, district)
    tags = data.tags.merge(data.registry[["enterprise_id", "name", "district"]], on="enterprise_id", how="left")
    if tag is not None:
        tags = tags[tags["tag"] == tag]
    if level is not None:
        tags = tags[tags["level"].fillna("") == level]
    tags = _filtered(tags, district)
    when = _on(data, year)
    held = _held(tags, when)
    tags = tags.assign(held=tags.index.isin(held.index))
    tags = tags.sort_values(["acquired", "enterprise_id"], ascending=[False, True], kind="stable")
    return _stamped(tags.reset_index(drop=True), data, year)


# --- 亩均效益 -------------------------------------------------------------------------------------------
def _evaluation(plan, db, year, settings):
    plan, data, s = _context(plan, db, settings)
    y = _year(data, year)
    return plan, data, s, y, _muju.evaluate(data, y, s)


def muju_evaluation(plan=None, db: str | Path | None = None, year: int | None = None,
                    settings: Mapping[str, Any] | Settings | None = None) -> tuple[EnterpriseData, _muju.MujuResult]:
    """(data, MujuResult): the enterprise data and their whole 亩均 evaluation of `year` — what the office
    workbooks (zhizao.outputs.enterprise_exports) take; pass it as `evaluation=` to muju / muju_prices so
    one command evaluates once."""
    _, data, _, _, res = _evaluation(plan, db, year, settings)
    return data, res


def _evaluated(plan, db, year, settings, evaluation):
    """_evaluation, or the caller's (data, MujuResult) from muju_evaluation."""
    if evaluation is None:
        return _evaluation(plan, db, year, settings)
    data, res = evaluation
    s = settings if isinstance(settings, Settings) else Settings(settings)
    return _api.resolve_plan(plan, db, register=False), data, s, int(res.year), res


def muju(plan=None, db: str | Path | None = None, year: int | None = None,
         settings: Mapping[str, Any] | Settings | None = None, *, level: str = "enterprises",
         district: str | None = None, park: str | None = None,
         evaluation: tuple[EnterpriseData, _muju.MujuResult] | None = None) -> pd.DataFrame:
    """The 亩均效益 evaluation of `year` (default: the latest with annual data), `zhizao enterprise muju`:
    level "enterprises" (indicators, pts_<item>, score, rank, klass, imputed, reasons_zh/en), "benchmarks" or
    "classes". district/park filter the enterprises (the classes are the whole evaluation's)."""
    _choice(level, MUJU_LEVELS, "亩均评价层级", "muju level")
    plan, data, s, y, res = _evaluated(plan, db, year, settings, evaluation)
    district, park = check_district(plan, data, district), check_park(data, park)
    df = getattr(res, level)
    if level == "enterprises":
        df = _filtered(df, district, park)
    return _stamped(df.reset_index(drop=True), data, y)


def muju_prices(plan=None, db: str | Path | None = None, year: int | None = None,
                settings: Mapping[str, Any] | Settings | None = None, *, district: str | None = None,
                evaluation: tuple[EnterpriseData, _muju.MujuResult] | None = None) -> pd.DataFrame:
    """差别电价/水价名单 (`zhizao enterprise prices`): classes C and D with their surcharges and extra cost."""
    plan, data, s, y, res = _evaluated(plan, db, year, settings, evaluation)
    district = check_district(plan, data, district)
    return _stamped(_filtered(_muju.price_list(res, data, s), district), data, y)


def muju_summary(by: str = "district", plan=None, db: str | Path | None = None, year: int | None = None,
                 settings: Mapping[str, Any] | Settings | None = None) -> pd.DataFrame:
    """The evaluation summed by "district", "park" or "industry" (GB/T 4754 division): n, n_A…n_D, share_ab,
    tax_per_mu, va_per_mu, mean score."""
    _choice(by, SUMMARY_BY, "汇总方式", "summary")
    plan, data, s, y, res = _evaluation(plan, db, year, settings)
    return _stamped(_muju.summarise(res, by).reset_index(drop=True), data, y)


def muju_changes(plan=None, db: str | Path | None = None, year: int | None = None,
                 settings: Mapping[str, Any] | Settings | None = None, *, district: str | None = None) -> pd.DataFrame:
    """How each enterprise's class changed from the year before (`zhizao enterprise changes`): klass_before,
    klass_now, change (up/down/same/new/gone), the score change and the items that moved most."""
    plan, data, s, y, now = _evaluation(plan, db, year, settings)
    district = check_district(plan, data, district)
    years = enterprise_years(data)
    if y - 1 not in years:
        raise UserError(f"{y - 1} 年没有年度指标，无法比较 {y} 年的类别变化：有数据的年份为 {'、'.join(map(str, years))}",
                        f"no annual figures for {y - 1}, so {y}'s class changes cannot be compared: the data hold "
                        f"{', '.join(map(str, years))}")
    before = _muju.evaluate(data, y - 1, s)
    return _stamped(_filtered(_muju.class_changes(now, before), district), data, y)


# --- parks ------------------------------------------------------------------------------------------
def parks(plan=None, db: str | Path | None = None, year: int | None = None,
          settings: Mapping[str, Any] | Settings | None = None) -> pd.DataFrame:
    """The parks with their land-use results against their targets and their rank (`zhizao park list`).
    Empty for data without parks; attrs["no_park_system"] is set for a plan that names no park system."""
    plan, data, s = _context(plan, db, settings)
    if data.parks.empty:
        df = pd.DataFrame(columns=["park_id", "name", "tier", "tier_name", "districts", "area", "rank"])
        df = _stamped(df, data, year)
        df.attrs["no_park_system"] = plan.park_system is None
        return df
    y = _year(data, year)
    res = _muju.evaluate(data, y, s)
    df = _stamped(_parks.park_results(plan, data, y, res, s).reset_index(drop=True), data, y)
    df.attrs["no_park_system"] = plan.park_system is None
    return df


def park_enterprises(park_id: str, plan=None, db: str | Path | None = None, year: int | None = None,
                     settings: Mapping[str, Any] | Settings | None = None) -> pd.DataFrame:
    """The enterprises of one park (id or name) with their 亩均 result (`zhizao park show`)."""
    plan, data, s = _context(plan, db, settings)
    pid = check_park(data, park_id)
    y = _year(data, year)
    res = _muju.evaluate(data, y, s)
    df = _stamped(_parks.park_enterprises(data, pid, res).reset_index(drop=True), data, y)
    df.attrs["park_id"] = pid
    return df


# --- 专精特新, backward capacity, counts -----------------------------------------------------------------
def srdi_candidates(plan=None, db: str | Path | None = None, year: int | None = None,
                    settings: Mapping[str, Any] | Settings | None = None, *, closest: bool = False,
                    per_district: int = 5, district: str | None = None) -> pd.DataFrame:
    """专精特新 screening of `year` (`zhizao enterprise srdi`): each SME not yet holding the tag with the
    eligibility checks, its points and what it misses; `closest`: the non-qualifying candidates within
    srdi_near_points of the pass mark, `per_district` per district."""
    plan, data, s = _context(plan, db, settings)
    district = check_district(plan, data, district)
    y = _year(data, year, "srdi" if enterprise_years(data, "srdi") else "annual")
    df = _srdi.screen(data, y, s)
    if closest:
        df = _srdi.closest(df, s, per_district=per_district)
    return _stamped(_filtered(df, district), data, y)


def backward_candidates(plan=None, db: str | Path | None = None, year: int | None = None,
                        settings: Mapping[str, Any] | Settings | None = None, *,
                        district: str | None = None) -> pd.DataFrame:
    """Backward-capacity candidates of `year` (`zhizao enterprise backward`): the criteria each fails (energy,
    environment, quality, safety, technology), the numbers behind them and its 亩均 class."""
    plan, data, s, y, res = _evaluation(plan, db, year, settings)
    district = check_district(plan, data, district)
    return _stamped(_filtered(_backward.backward_candidates(data, y, s, res), district), data, y)


def enterprise_counts(tag: str | None = None, level: str | None = None, plan=None, db: str | Path | None = None,
                      year: int | None = None, settings: Mapping[str, Any] | Settings | None = None) -> pd.DataFrame:
    """Holders of a tag per year (`zhizao enterprise counts`): tag, year, stock (holders on 31 December),
    new (enterprises first acquiring the tag in that year), new_cumulative (first acquisitions from
    attrs["new_since"], the first year shown, to that year — all of them, as nobody acquired the tag before)
    and lost (held at the end of the year before, not at the end of this one); with no tag, every tag.
    `year` keeps that year only."""
    plan, data, _ = _context(plan, db, settings)
    tag, level = check_tag(tag), check_level(level)
    frames = []
    for t in [tag] if tag is not None else list(TAGS):
        c = _counts.tag_counts(data, t, level)  # its `new` is cumulative since the year before its first year
        if len(c):
            c = c.rename(columns={"new": "new_cumulative"})
            c["new"] = c["new_cumulative"].diff().fillna(c["new_cumulative"]).astype("int64")
            frames.append(c.assign(tag=t))
    cols = ["tag", "year", "stock", "new", "new_cumulative", "lost"]
    df = (pd.concat(frames, ignore_index=True)[cols] if frames
          else pd.DataFrame({c: pd.Series(dtype=object if c == "tag" else "int64") for c in cols}))
    since = int(df["year"].min()) if len(df) else None
    if year is not None:
        df = df[df["year"] == int(year)]
    df = _stamped(df.reset_index(drop=True), data, year)
    df.attrs["level"] = level
    df.attrs["new_since"] = since
    return df


# --- green binding targets ----------------------------------------------------------------------------
def green(plan=None, db: str | Path | None = None, year: int | None = None,
          settings: Mapping[str, Any] | Settings | None = None, *, level: str = "status",
          district: str | None = None) -> pd.DataFrame:
    """Energy and water intensity against the plan's targets (`zhizao green …`): level "status" (the whole
    area's latest year per indicator: cumulative change, schedule, gap, warning level 1/2/3 and why),
    "intensity" (per measure, area and year; `district` keeps one area, `year` one year) or "key_users" (the
    key energy users of `year`). A plan without energy/water intensity indicators gives an empty status
    (attrs["no_green_targets"] True)."""
    _choice(level, GREEN_LEVELS, "绿色指标层级", "green level")
    plan, data, s = _context(plan, db, settings)
    district = check_district(plan, data, district)
    if level == "key_users":
        y = _year(data, year)
        df = _filtered(_green.key_energy_users(data, y, s), district)
        return _stamped(df, data, y)
    if level == "status":
        df = _green.status(plan, data, s)
    else:
        df = _green.intensity(plan, data, s)
        if district is not None and "area" in df:
            df = df[df["area"].astype(str) == district]
        if year is not None and "year" in df:
            df = df[df["year"] == int(year)]
    df = _stamped(df.reset_index(drop=True), data, year)
    df.attrs["no_green_targets"] = not green_concepts(plan)
    return df


GREEN_CONCEPTS = ("energy_per_unit_industrial_va_above_scale", "water_per_unit_industrial_va_above_scale")


def green_concepts(plan: Plan) -> list[str]:
    """The plan's indicators the green analyses assess (their concept is energy or water intensity)."""
    return [i.id for i in plan.indicators if getattr(i, "concept", None) in GREEN_CONCEPTS]


def enterprise_warnings(plan=None, db: str | Path | None = None, year: int | None = None,
                        settings: Mapping[str, Any] | Settings | None = None) -> pd.DataFrame:
    """The green, park and backward-capacity warnings (WARNING_COLUMNS; rules green_level1, green_level2,
    park_below_target, enterprise_backward) that `zhizao warnings` lists beside the monitoring ones. Data
    without annual figures still give the green warnings."""
    plan, data, s = _context(plan, db, settings)
    years = enterprise_years(data)
    y = _year(data, year) if years else (int(year) if year is not None else plan.plan.base_year)
    res = _muju.evaluate(data, y, s) if years else None
    return _stamped(_warnings.enterprise_warnings(plan, data, y, s, res).reset_index(drop=True), data, y)


# --- the plan's assessment ----------------------------------------------------------------------------
REGISTRY_SERIES_PREFIX = "registry."  # the series of a registry count: registry.<indicator id>
REGISTRY_GRADE = "R"  # an office's own register, not a published text (labels.GRADE; docs/api.md §Enterprises)
OBSERVATION_COLUMNS = [
    "obs_id", "series", "region", "industry", "period_type", "year", "month", "period_key", "value", "qualifier",
    "value_text", "unit", "unit_original", "price_basis", "status", "vintage", "source_id", "quote", "note",
    "batch_id", "synthetic", "basis", "basis_from", "source_title", "publisher", "source_url", "published",
    "accessed", "grade", "known_since", "vintage_assumed", "vintage_assumed_from",
]
LINK_COLUMNS = ["plan_id", "indicator", "series", "comparability", "transform", "numerator", "numerator_unit",
                "denominator", "denominator_unit", "scale", "region", "note", "batch_id"]


def _observation(k: int, plan: Plan, ind, data: EnterpriseData, *, series: str, year: int, value: float, unit: str,
                 quote: str, title: tuple[str, str], publisher: str, basis: str, basis_from: str | None,
                 price_basis: str | None, imported: str, release: str) -> dict:
    """One observation row in the store's layout (with its source columns) from imported enterprise data:
    `preliminary`, grade REGISTRY_GRADE, known from the earlier of the data's date and the next year's
    usual annual release."""
    known = min(imported, f"{year + 1}-{release}")
    return {
        "obs_id": -(k + 1),  # negative: never an id of the store's own rows
        "series": series, "region": plan.regions.whole_code if plan.regions else "", "industry": "ALL",
        "period_type": "year", "year": year, "month": None, "period_key": str(year), "value": float(value),
        "qualifier": "exact", "value_text": f"{value:g}", "unit": unit, "unit_original": None,
        "price_basis": price_basis, "status": "preliminary", "vintage": None,
        "source_id": f"enterprise:{data.batch_id or 'imported'}", "quote": quote, "note": str(data.source),
        "batch_id": data.batch_id or "", "synthetic": False, "basis": basis, "basis_from": basis_from,
        "source_title": f"{title[0]}（{data.source}） / {title[1]} ({data.source})", "publisher": publisher,
        "source_url": None, "published": None, "accessed": None, "grade": REGISTRY_GRADE,
        "known_since": pd.Timestamp(known), "vintage_assumed": True,
        "vintage_assumed_from": "imported" if known == imported else "annual_release",  # the store's codes
    }


def _link(plan: Plan, ind, series: str, note: str, data: EnterpriseData) -> dict:
    return {"plan_id": plan.plan.id, "indicator": ind.id, "series": series, "comparability": "comparable",
            "transform": "identity", "numerator": None, "numerator_unit": None, "denominator": None,
            "denominator_unit": None, "scale": None, "region": plan.regions.whole_code if plan.regions else "",
            "note": note, "batch_id": data.batch_id or ""}


def _frames(obs: list[dict], links: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The store's observation columns and, beside them, its source columns (title, grade, known_since …)."""
    if not obs:
        return pd.DataFrame(columns=OBSERVATION_COLUMNS), pd.DataFrame(columns=LINK_COLUMNS)
    frame = pd.DataFrame(obs)
    frame = frame[[*OBSERVATION_COLUMNS, *(c for c in frame.columns if c not in OBSERVATION_COLUMNS)]]
    return frame, pd.DataFrame(links, columns=LINK_COLUMNS)


def counted_inputs(plan: Plan, counted: pd.DataFrame, data, prefix: str, link_note: str,
                   observation) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(observations, links) from counted rows (indicator, year, value …) of the plan's indicators: one
    observation per row by `observation(k, ind, row, series)` on series <prefix><indicator>, one link per
    series. Shared by the registry, green and project inputs."""
    indicators = {i.id: i for i in plan.indicators}
    obs, links = [], []
    for k, r in enumerate(counted.to_dict("records")):
        ind = indicators.get(r["indicator"])
        if ind is None:
            continue
        series = f"{prefix}{ind.id}"
        obs.append(observation(k, ind, r, series))
        if not any(lk["series"] == series for lk in links):
            links.append(_link(plan, ind, series, link_note, data))
    return _frames(obs, links)


def _imported_data(plan: Plan, db) -> EnterpriseData | None:
    """The plan's active imported enterprise data, None when nothing is imported: the synthetic default never
    feeds the assessment, so it is not even generated (that would cost every `zhizao assess` most of a second)."""
    return _stored_enterprise_data(db, plan.plan.id)


def registry_assessment_inputs(plan=None, db: str | Path | None = None, *,
                               settings: Mapping[str, Any] | Settings | None = None
                               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(observations, links) in the store's layout (Store.observations() with its source columns, and
    Store.links()) for the plan's indicators with a registry_count, counted from the imported registry's tag
    history (analytics.enterprises.counts.registry_observations): series registry.<indicator>, one annual value
    per year, linked to its indicator as comparable/identity. Empty when the plan has no such indicator or
    the enterprise data are the synthetic default (synthetic data never feed the assessment).

    The values are `preliminary` with grade REGISTRY_GRADE: a published final figure for the same year
    decides before them; they are known (for an as-of view: filter on known_since) from the earlier of the
    data's date (as_of) and the usual annual release (setting assumed_annual_release) of the next year."""
    plan = _api.resolve_plan(plan, db, register=False)
    s = settings if isinstance(settings, Settings) else Settings(settings)
    if not any(i.registry_count is not None for i in plan.indicators):
        return _frames([], [])
    data = _imported_data(plan, db)
    if data is None or data.registry.empty or data.tags.empty:
        return _frames([], [])
    ro = _counts.registry_observations(plan, data)
    if ro is None or ro.empty:
        return _frames([], [])
    imported = str(data.as_of or date.today().isoformat())[:10]
    release = str(s["assumed_annual_release"])

    def observation(k: int, ind, r: dict, series: str) -> dict:
        y = int(r["year"])
        stock = r.get("measure", "stock") == "stock"
        what_zh = (f"{y}年末持有标签的企业数" if stock else f"{r.get('basis_year')}年后首次获得标签的企业数")
        what_en = (f"enterprises holding the tag at the end of {y}" if stock
                   else f"enterprises first acquiring the tag after {r.get('basis_year')}")
        return _observation(
            k, plan, ind, data, series=series, year=y, value=float(r["value"]), unit=r.get("unit") or ind.unit,
            quote=f"企业名录标签记录：{what_zh} / enterprise registry tag history: {what_en}",
            title=("导入的企业名录", "imported enterprise registry"), publisher="企业名录导入 / enterprise registry import",
            basis="level", basis_from=None,
            price_basis=ind.price_basis.value if ind.price_basis is not None else None,
            imported=imported, release=release)
    return counted_inputs(plan, ro, data, REGISTRY_SERIES_PREFIX,
                          "企业名录标签记录 / enterprise registry tag history", observation)


GREEN_SERIES_PREFIX = "green."  # the series of a green indicator's cumulative change: green.<indicator id>


def green_assessment_inputs(plan=None, db: str | Path | None = None, *,
                            settings: Mapping[str, Any] | Settings | None = None
                            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(observations, links) in the store's layout for the plan's indicators whose concept is energy or water
    per unit of industrial value added (GREEN_CONCEPTS): from the IMPORTED green table
    (analytics.enterprises.green.intensity), the whole area's cumulative change (%) of the intensity since the
    indicator's base year, one value per year after it — the value a cumulative_change target reads (−16 =
    down 16 %), basis cumulative_since <base year>, price basis constant (value added chained at comparable
    prices). Series green.<indicator>, linked as comparable/identity. Empty for a plan without such an
    indicator, for the synthetic default and for imported data without a green table. `preliminary`, grade
    REGISTRY_GRADE and known_since as registry_assessment_inputs."""
    plan = _api.resolve_plan(plan, db, register=False)
    s = settings if isinstance(settings, Settings) else Settings(settings)
    if not green_concepts(plan) or plan.regions is None:
        return _frames([], [])
    data = _imported_data(plan, db)
    if data is None or data.green.empty:
        return _frames([], [])
    full = _green.intensity(plan, data, s)
    if full.empty:
        return _frames([], [])
    whole = full[(full["area"].astype(str) == plan.regions.whole_code) & (full["year"] > full["base_year"])
                 & pd.to_numeric(full["cumulative_change"], errors="coerce").notna()]
    imported = str(data.as_of or date.today().isoformat())[:10]
    release = str(s["assumed_annual_release"])

    def observation(k: int, ind, r: dict, series: str) -> dict:
        y, base = int(r["year"]), int(r["base_year"])
        mz, me = ("单位工业增加值能耗", "energy per unit of industrial value added") if r["measure"] == "energy" else \
            ("单位工业增加值用水量", "water per unit of industrial value added")
        return _observation(
            k, plan, ind, data, series=series, year=y, value=float(r["cumulative_change"]), unit="%",
            quote=f"能耗水耗表：{y}年{mz}较{base}年累计变化（增加值按可比价） / energy and water table: {me} in {y}, "
                  f"cumulative change since {base} (value added at comparable prices)",
            title=("导入的能耗水耗数据", "imported energy and water data"),
            publisher="企业数据导入 / enterprise data import", basis="cumulative_since", basis_from=str(base),
            price_basis="constant", imported=imported, release=release)
    return counted_inputs(plan, whole, data, GREEN_SERIES_PREFIX,
                          "能耗水耗表（可比价） / energy and water table (comparable prices)", observation)


def enterprise_assessment_inputs(plan=None, db: str | Path | None = None, *,
                                 settings: Mapping[str, Any] | Settings | None = None
                                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What imported enterprise data give the plan's assessment: registry_assessment_inputs and
    green_assessment_inputs together (observation ids distinct). Empty for the synthetic default."""
    reg_obs, reg_links = registry_assessment_inputs(plan, db, settings=settings)
    green_obs, green_links = green_assessment_inputs(plan, db, settings=settings)
    parts = [(o, lk) for o, lk in ((reg_obs, reg_links), (green_obs, green_links)) if len(o)]
    if not parts:
        return reg_obs, reg_links
    if len(parts) == 2:
        green_obs = green_obs.assign(obs_id=green_obs["obs_id"] - len(reg_obs))
        parts = [(reg_obs, reg_links), (green_obs, green_links)]
    return (pd.concat([o for o, _ in parts], ignore_index=True),
            pd.concat([lk for _, lk in parts], ignore_index=True))
