"""Enterprise counts from the tag history (stock, cumulative new, lost) and the plan indicators they
observe, on hand-built spells whose counts are worked out in the comments (docs/enterprises.md §Enterprise counts)."""
from __future__ import annotations

import pandas as pd
from ana2_helpers import ASSETS, edata
from hypothesis import given, settings as hsettings, strategies as st

import zhizao.api as zz
from zhizao.analytics.enterprises import counts
from zhizao.analytics.enterprises.counts import OBSERVATION_COLUMNS, registry_observations, tag_counts

SPELLS = [
    {"enterprise_id": "E1", "tag": "srdi_sme", "level": "municipal", "acquired": "2021-03-01", "lost": "2023-06-30"},
    {"enterprise_id": "E2", "tag": "srdi_sme", "level": "municipal", "acquired": "2022-12-31", "lost": ""},
    {"enterprise_id": "E3", "tag": "srdi_sme", "level": "municipal", "acquired": "2020-05-01", "lost": "2021-01-01"},
    {"enterprise_id": "E3", "tag": "srdi_sme", "level": "municipal", "acquired": "2024-02-01", "lost": ""},
    {"enterprise_id": "E5", "tag": "srdi_sme", "level": "national", "acquired": "2022-01-01", "lost": ""},
    {"enterprise_id": "E4", "tag": "little_giant", "level": "national", "acquired": "2023-07-01", "lost": ""},
]


def test_stock_new_lost_by_hand():
    # year ends: 2020 {E3}; 2021 {E1} (E3 lost on 2021-01-01); 2022 {E1, E2 (acquired on 12-31), E5};
    # 2023 {E2, E5} (E1 lost); 2024 {E2, E5, E3 again}. New since 2020: E1 (2021), E2 and E5 (2022);
    # E3's return in 2024 is not new (its first acquisition was 2020).
    c = tag_counts(edata(tags=SPELLS), "srdi_sme", years=range(2020, 2025), baseline=2020)
    assert list(c.columns) == ["year", "stock", "new", "lost"]
    assert c["stock"].tolist() == [1, 1, 3, 2, 3]
    assert c["new"].tolist() == [0, 1, 3, 3, 3]
    assert c["lost"].tolist() == [0, 1, 0, 1, 0]


def test_level_filter_and_default_years():
    c = tag_counts(edata(tags=SPELLS), "srdi_sme", "national")
    assert c["year"].tolist() == [2022] and c["stock"].tolist() == [1]  # E5 only; years = its event years
    c = tag_counts(edata(tags=SPELLS), "srdi_sme", "national", years=[2021, 2023])
    assert c["stock"].tolist() == [0, 1]
    assert tag_counts(edata(tags=SPELLS), "chain_leader").empty


def test_lost_on_the_last_day_is_not_held_that_day():
    t = [{"enterprise_id": "X", "tag": "high_tech", "acquired": "2022-06-01", "lost": "2023-12-31"}]
    c = tag_counts(edata(tags=t), "high_tech", years=[2022, 2023])
    assert c["stock"].tolist() == [1, 0] and c["lost"].tolist() == [0, 1]


def _plan_2327():
    return zz.load_plan("chongqing-manufacturing-2023-2027")


def test_registry_observations_units_measures_and_years():
    tags = [*SPELLS,
            *({"enterprise_id": f"T{i}", "tag": "tech_sme", "acquired": "2021-01-01", "lost": ""} for i in range(3)),
            {"enterprise_id": "G1", "tag": "little_giant", "level": "national", "acquired": "2024-08-01", "lost": ""},
            {"enterprise_id": "G2", "tag": "little_giant", "level": "national", "acquired": "2025-08-01", "lost": ""},
            {"enterprise_id": "G3", "tag": "little_giant", "level": "municipal", "acquired": "2025-08-01", "lost": ""}]
    obs = registry_observations(_plan_2327(), edata(tags=tags, as_of="2025-12-31"))
    assert list(obs.columns) == OBSERVATION_COLUMNS
    by = {(r.indicator, r.year): r for r in obs.itertuples()}
    # stock from the plan's base year 2022, in 家 and 万家
    assert [by[("specialised_smes", y)].value for y in (2022, 2023, 2024, 2025)] == [3, 2, 3, 3]
    assert by[("tech_based_enterprises", 2025)].value == 3 / 1e4 and by[("tech_based_enterprises", 2025)].unit == "万家"
    # new national little giants: from 2024 (baseline 2023): E4 in 2023 does not count; G1 2024, G2 2025
    assert [by[("new_little_giants_2024_2027", y)].value for y in (2024, 2025)] == [1, 2]
    assert ("new_little_giants_2024_2027", 2023) not in by
    assert [by[("new_little_giants_2025_2027", y)].value for y in (2025,)] == [1]
    assert by[("new_little_giants_2025_2027", 2025)].basis_year == 2024
    assert by[("new_little_giants_2025_2027", 2025)].measure == "new"
    # tags the registry never records: no rows (unknown, not zero), and a note saying so
    assert not obs["indicator"].isin(["high_tech_enterprises", "new_single_champions_2024_2027"]).any()
    assert any("高新技术企业" in zh for zh, _ in obs.attrs["notes"])


def test_a_mid_year_as_of_does_not_make_a_year_end_count():
    obs = registry_observations(_plan_2327(), edata(tags=SPELLS, as_of="2025-06-30"))
    assert obs.loc[obs["indicator"] == "specialised_smes", "year"].max() == 2024


def test_plans_without_registry_counts_say_so():
    for plan in (zz.load_plan("chongqing-manufacturing-2021-2025"), zz.load_plan(ASSETS / "fictional-plan.yaml")):
        obs = registry_observations(plan, edata(tags=SPELLS))
        assert obs.empty and list(obs.columns) == OBSERVATION_COLUMNS
        assert obs.attrs["notes"] == [("本规划未列按企业名录计数的指标", "this plan has no enterprise-count indicators")]


DATES = st.dates(min_value=pd.Timestamp("2018-01-01").date(), max_value=pd.Timestamp("2026-12-31").date())


@st.composite
def spells(draw):
    rows = []
    for i in range(draw(st.integers(0, 8))):
        day = draw(DATES)
        for _ in range(draw(st.integers(1, 3))):  # consecutive, non-overlapping spells of one enterprise
            end = draw(st.one_of(st.none(), st.integers(1, 900)))
            lost = "" if end is None else (pd.Timestamp(day) + pd.Timedelta(days=end)).strftime("%Y-%m-%d")
            rows.append({"enterprise_id": f"P{i}", "tag": "tech_sme", "acquired": day.isoformat(), "lost": lost})
            if not lost:
                break
            day = (pd.Timestamp(lost) + pd.Timedelta(days=draw(st.integers(0, 400)))).date()
    return rows


@hsettings(max_examples=60, deadline=None)
@given(spells())
def test_counts_properties(rows):
    c = tag_counts(edata(tags=rows), "tech_sme", years=range(2018, 2028), baseline=2017)
    ids = {r["enterprise_id"] for r in rows}
    assert (c["stock"] >= 0).all() and (c["stock"] <= len(ids)).all()
    assert c["new"].is_monotonic_increasing and c["new"].iloc[-1] <= len(ids)
    prev = c["stock"].shift(fill_value=0)
    assert (c["lost"] <= prev).all()
    assert (c["stock"] >= prev - c["lost"]).all()
    # the stock equals the holders found one enterprise at a time
    def held(day):
        return {r["enterprise_id"] for r in rows if r["acquired"] <= day and (not r["lost"] or day < r["lost"])}

    for y, n in zip(c["year"], c["stock"]):
        assert n == len(held(f"{y}-12-31"))
    assert list(counts.holders(edata(tags=rows), "tech_sme", "2027-12-31")) == sorted(held("2027-12-31"))
