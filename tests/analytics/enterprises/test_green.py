"""Energy and water intensity against the binding targets: constant-price value added chained by real
growth, cumulative change since the indicator's base year, the schedule and the three 晴雨表 levels,
worked out by hand; the 2021–2025 plan's −16 %/−20 % and the 2023—2027 plan's −13 % from the same data."""
from __future__ import annotations

import math

import pandas as pd
import pytest
from ana2_helpers import ASSETS, edata
from hypothesis import given, settings as hsettings, strategies as st

import zhizao.api as zz
from zhizao.analytics.enterprises import green
from zhizao.analytics.enterprises.green import INTENSITY_COLUMNS, KEY_USER_COLUMNS, chain_constant
from zhizao.plan.load import parse_plan
from zhizao.settings import Settings

CITY, DISTRICT = "500000", "500101"
# year, energy (万吨标准煤), water (万立方米), value added (亿元, current prices), real growth (%)
CITY_ROWS = [(2020, 100, 1000, 1000, None), (2021, 100, 1000, 1100, 10), (2022, 99, 950, 1200, 5),
             (2023, 102, 900, 1300, 5), (2024, 98, 880, 1400, 6)]
# a district whose energy rose faster than its output in 2023
DISTRICT_ROWS = [(2020, 10, 100, 100, None), (2021, 10, 100, 110, 10), (2022, 10, 95, 120, 10),
                 (2023, 12, 95, 130, 5)]


def _green(rows, area=CITY):
    return [{"area": area, "year": y, "energy": e, "water": w, "value_added": va, "va_real_growth": g}
            for y, e, w, va, g in rows]


DATA = edata(green=_green(CITY_ROWS) + _green(DISTRICT_ROWS, DISTRICT))


def _plan(pid):
    return zz.load_plan(pid)


def _row(frame, area, indicator, year):
    r = frame[(frame["area"] == area) & (frame["indicator"] == indicator) & (frame["year"] == year)]
    assert len(r) == 1
    return r.iloc[0]


def test_constant_prices_chain_the_real_growth():
    assert chain_constant([1000, 1100, 1200], [float("nan"), 10, 5]).tolist() == pytest.approx([1000, 1100, 1155])
    c = chain_constant([1000, 1100, 1200], [float("nan"), float("nan"), 5])
    assert c[0] == 1000 and math.isnan(c[1]) and math.isnan(c[2])


def test_2021_2025_plan_by_hand():
    f = green.intensity(_plan("chongqing-manufacturing-2021-2025"), DATA)
    assert list(f.columns) == INTENSITY_COLUMNS
    assert set(f["indicator"]) == {"energy_intensity_reduction", "water_intensity_reduction"}
    r = _row(f, CITY, "energy_intensity_reduction", 2022)
    # VA at 2020 prices: 1000, 1100, 1155; intensity 0.1, 100/1100, 99/1155 吨标准煤/万元
    assert r["va_constant"] == pytest.approx(1155) and r["intensity"] == pytest.approx(99 / 1155)
    assert r["yoy_change"] == pytest.approx(100 * ((99 / 1155) / (100 / 1100) - 1))
    assert r["cumulative_change"] == pytest.approx(100 * ((99 / 1155) / 0.1 - 1))  # −14.3 %
    assert r["required_to_date"] == pytest.approx(100 * (0.84 ** (2 / 5) - 1))  # −6.7 %
    assert r["base_year"] == 2020 and r["target"] == -16 and r["target_year"] == 2025 and r["binding"]
    assert r["level"] == 3 and "达到进度要求" in r["reasons_zh"]
    assert pd_isna(_row(f, CITY, "energy_intensity_reduction", 2020)["level"])  # the base year has no level
    w = _row(f, CITY, "water_intensity_reduction", 2024)
    assert w["required_to_date"] == pytest.approx(100 * (0.8 ** (4 / 5) - 1))
    assert w["intensity_unit"] == "立方米/万元" and w["use_unit"] == "万立方米"
    # the district: 2023 intensity 12 / (100·1.1·1.1·1.05) up on 10 / 121 → level 1 (red)
    d = _row(f, DISTRICT, "energy_intensity_reduction", 2023)
    assert d["yoy_change"] == pytest.approx(100 * ((12 / 127.05) / (10 / 121) - 1)) and d["level"] == 1
    assert d["reasons_zh"].startswith("一级预警（红色）；单位工业增加值能耗同比上升")


def pd_isna(x):
    return bool(pd.isna(x))


def test_2023_2027_plan_from_the_same_data():
    f = green.intensity(_plan("chongqing-manufacturing-2023-2027"), DATA)
    assert set(f["indicator"]) == {"energy_intensity_reduction"}  # the plan sets no water target
    r = _row(f, CITY, "energy_intensity_reduction", 2023)
    # base 2022 (the plan's base year): intensity 99/1155 → 102/1212.75, −1.9 %; schedule −13 % over 5 years
    assert r["base_year"] == 2022 and r["target"] == -13 and not r["binding"]
    assert r["cumulative_change"] == pytest.approx(100 * ((102 / 1212.75) / (99 / 1155) - 1))
    assert r["required_to_date"] == pytest.approx(100 * (0.87 ** (1 / 5) - 1))
    assert r["gap_pp"] == pytest.approx(r["cumulative_change"] - r["required_to_date"]) and r["gap_pp"] > 0
    assert r["level"] == 2 and "落后0.9个百分点" in r["reasons_zh"]
    # a tolerance of 1 pp lets it through as green
    assert _row(green.intensity(_plan("chongqing-manufacturing-2023-2027"), DATA,
                                Settings({"green_schedule_tolerance": 1})), CITY, "energy_intensity_reduction",
                2023)["level"] == 3
    assert pd_isna(_row(f, CITY, "energy_intensity_reduction", 2021)["cumulative_change"])  # before the base year


def test_status_is_the_whole_area_latest_year():
    s = green.status(_plan("chongqing-manufacturing-2021-2025"), DATA)
    assert s[["indicator", "area", "year"]].values.tolist() == [
        ["energy_intensity_reduction", CITY, 2024], ["water_intensity_reduction", CITY, 2024]]


def test_red_threshold_setting():
    f = green.intensity(_plan("chongqing-manufacturing-2021-2025"), DATA, Settings({"green_red_change": 20}))
    assert _row(f, DISTRICT, "energy_intensity_reduction", 2023)["level"] == 2  # +14 % is under 20 %


def test_plans_without_the_concept_or_data_say_why():
    fictional = zz.load_plan(ASSETS / "fictional-plan.yaml")
    f = green.intensity(fictional, DATA)
    assert f.empty and list(f.columns) == INTENSITY_COLUMNS
    assert f.attrs["reason_zh"] == "本规划未列单位工业增加值能耗（水耗）指标"
    assert green.status(fictional, DATA).attrs["reason_en"] == "this plan has no energy or water intensity indicator"
    e = green.intensity(_plan("chongqing-manufacturing-2021-2025"), edata())
    assert e.empty and e.attrs["reason_zh"] == "没有能耗水耗数据（能耗水耗表为空）"


def test_a_second_plan_with_the_concept():
    text = (ASSETS / "fictional-plan.yaml").read_text(encoding="utf-8").replace(
        "kind: cumulative_change, target: {year: 2027, value: -15,",
        "kind: cumulative_change, concept: energy_per_unit_industrial_va_above_scale, "
        "target: {year: 2027, value: -15,")
    plan = parse_plan(text, "fictional", folder=ASSETS)
    rows = [{"area": "990100", "year": y, "energy": e, "water": None, "value_added": 100, "va_real_growth": 0}
            for y, e in ((2022, 50), (2023, 52))]
    f = green.intensity(plan, edata(green=rows))
    r = _row(f, "990100", "energy_intensity", 2023)
    assert r["area_name"] == "河湾市" and r["cumulative_change"] == pytest.approx(4) and r["level"] == 1
    assert r["required_to_date"] == pytest.approx(100 * (0.85 ** 0.2 - 1))


@hsettings(max_examples=40, deadline=None)
@given(st.floats(1, 1e5), st.floats(1, 1e5), st.integers(2, 8))
def test_zero_growth_and_constant_energy_is_zero_change(energy, va, n):
    rows = [{"area": CITY, "year": 2020 + i, "energy": energy, "water": energy, "value_added": va * (1 + i),
             "va_real_growth": 0.0 if i else None} for i in range(n)]  # current prices move, real output does not
    f = green.intensity(_plan("chongqing-manufacturing-2021-2025"), edata(green=rows))
    later = f[f["year"] > 2020]
    assert later["yoy_change"].abs().max() < 1e-9 and later["cumulative_change"].abs().max() < 1e-9
    # no change while the schedule asks for a fall: behind it, level 2, never red
    assert set(later["level"].astype(int)) == {2}


def test_key_energy_users():
    reg = [{"enterprise_id": e, "name": f"企业{e}", "district": DISTRICT} for e in "KLS"]
    annual = [{"enterprise_id": "K", "year": 2023, "energy": 12000, "value_added": 6000},
              {"enterprise_id": "K", "year": 2024, "energy": 15000, "value_added": 6000},
              {"enterprise_id": "L", "year": 2023, "energy": 20000, "value_added": 10000},
              {"enterprise_id": "L", "year": 2024, "energy": 18000, "value_added": 12000},
              {"enterprise_id": "S", "year": 2023, "energy": 500, "value_added": 100},
              {"enterprise_id": "S", "year": 2024, "energy": 1500, "value_added": 100}]
    k = green.key_energy_users(edata(registry=reg, annual=annual), 2024, Settings())
    assert list(k.columns) == KEY_USER_COLUMNS
    assert k["enterprise_id"].tolist() == ["L", "K"]  # S uses under 10,000 tce
    # total change 3000 − 2000 + 1000 = 2000: K's +3000 is 150 % of it, L's −2000 −100 %
    by = k.set_index("enterprise_id")
    assert by.loc["K", "share_of_change"] == pytest.approx(1.5) and by.loc["L", "share_of_change"] == pytest.approx(-1)
    assert by.loc["L", "intensity"] == pytest.approx(1.5) and by.loc["L", "intensity_change"] == pytest.approx(-25)
    assert by.loc["K", "intensity_change"] == pytest.approx(25) and "增加3,000吨标准煤" in by.loc["K", "reasons_zh"]
