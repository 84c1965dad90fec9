"""Enterprise and green warnings in the monitoring warning table's exact columns: the green levels per
area and indicator, parks below their land-use targets, backward-capacity candidates per district."""
from __future__ import annotations

import pandas as pd
from ana2_helpers import edata

import zhizao.api as zz
from zhizao.analytics.enterprises.warnings import enterprise_warnings
from zhizao.analytics.monitoring.warning_table import WARNING_COLUMNS
from zhizao.settings import Settings

CITY, D1, D2 = "500000", "500101", "500102"
GREEN = [{"area": CITY, "year": y, "energy": e, "water": w, "value_added": 1000, "va_real_growth": g}
         for y, e, w, g in ((2020, 100, 100, None), (2021, 99, 90, 0), (2022, 100, 80, 0))]
# D1's energy intensity rises in 2022 (red); the city's too; the city's water falls fast (green)
GREEN += [{"area": D1, "year": y, "energy": e, "water": w, "value_added": 100, "va_real_growth": g}
          for y, e, w, g in ((2020, 10, 10, None), (2021, 10, 9, 0), (2022, 11, 8, 0))]
REGISTRY = [{"enterprise_id": e, "name": f"企业{e}", "district": d} for e, d in
            (("B1", D1), ("B2", D1), ("B3", D2), ("OK", D2))]
PARKS = [{"park_id": "P1", "name": "甲园区", "tier": "municipal_park", "target_investment_per_mu": 300,
          "target_output_per_mu": 500, "target_tax_per_mu": 20},
         {"park_id": "P2", "name": "乙园区", "tier": "municipal_park", "target_tax_per_mu": 20}]
PARK_RESULTS = pd.DataFrame({"park_id": ["P1", "P2"], "name": ["甲园区", "乙园区"],
                             "investment_per_mu": [250.0, 100.0], "output_per_mu": [600.0, float("nan")],
                             "tax_per_mu": [19.5, 25.0]})
BACKWARD = pd.DataFrame({"enterprise_id": ["B1", "B2", "B3"],
                         "criteria": [["energy", "safety"], ["energy"], ["technology"]], "n_failed": [2, 1, 1]})


def _plan():
    return zz.load_plan("chongqing-manufacturing-2021-2025")


def _warnings(data, **kw):
    return enterprise_warnings(_plan(), data, 2022, Settings(), parks=kw.get("parks", PARK_RESULTS),
                               backward=kw.get("backward", BACKWARD))


def test_rules_rows_and_exact_columns():
    w = _warnings(edata(registry=REGISTRY, parks=PARKS, green=GREEN))
    assert list(w.columns) == WARNING_COLUMNS
    assert set(w["period"]) == {"2022-12"}
    got = sorted(zip(w["rule"], w["subject_type"], w["subject_id"], w["severity"]))
    # energy: the city (100/1000 after 99/1000) and D1 (11 after 10) rose → level 1; city water fell 11 %
    # a year, ahead of −20 % over 5 years → green, no row. P1 misses investment and tax; P2 meets tax.
    assert got == [("enterprise_backward", "district", D1, "low"), ("enterprise_backward", "district", D2, "low"),
                   ("green_level1", "city", CITY, "high"), ("green_level1", "district", D1, "high"),
                   ("park_below_target", "park", "P1", "medium")]
    city = w[(w["rule"] == "green_level1") & (w["subject_id"] == CITY)].iloc[0]
    assert city["subject_name"] == "重庆市" and city["evidence"]["indicator"] == "energy_intensity_reduction"
    assert city["evidence"]["level"] == 1 and city["evidence"]["yoy_change"] > 0
    assert city["explanation_zh"].startswith("重庆市规模以上工业单位增加值能耗下降率：一级预警（红色）")
    p1 = w[w["rule"] == "park_below_target"].iloc[0]
    assert set(p1["evidence"]["below"]) == {"investment_per_mu", "tax_per_mu"}
    assert "亩均税收19.5万元/亩，低于目标20万元/亩" in p1["explanation_zh"]
    d1 = w[(w["rule"] == "enterprise_backward") & (w["subject_id"] == D1)].iloc[0]
    assert d1["evidence"]["n_candidates"] == 2 and d1["evidence"]["criteria"] == {"energy": 2, "safety": 1}
    assert d1["explanation_zh"] == "万州区有2家企业符合落后产能认定条件（能耗2家、安全1家）"


def test_level2_is_medium():
    # steady intensity while the schedule asks for a fall: behind it, yellow
    g = [{"area": CITY, "year": y, "energy": 100, "water": 100 - (y - 2020), "value_added": 1000,
          "va_real_growth": 0 if y > 2020 else None} for y in (2020, 2021, 2022)]
    w = _warnings(edata(green=g), parks=PARK_RESULTS.iloc[0:0], backward=BACKWARD.iloc[0:0])
    assert sorted(zip(w["rule"], w["severity"], w["evidence"].map(lambda e: e["measure"]))) == [
        ("green_level2", "medium", "energy"), ("green_level2", "medium", "water")]


def test_synthetic_data_say_so_in_every_explanation():
    w = _warnings(edata(registry=REGISTRY, parks=PARKS, green=GREEN, synthetic=True))
    assert len(w) == 5
    assert w["explanation_zh"].str.endswith("（合成数据）").all()
    assert w["explanation_en"].str.endswith("(SYNTHETIC data)").all()


def test_nothing_to_warn_is_an_empty_table_with_the_columns():
    w = _warnings(edata(), parks=PARK_RESULTS.iloc[0:0], backward=BACKWARD.iloc[0:0])
    assert w.empty and list(w.columns) == WARNING_COLUMNS
    # a plan with no green indicator: no green rows, the others still come
    fictional = zz.load_plan(__import__("ana2_helpers").ASSETS / "fictional-plan.yaml")
    w = enterprise_warnings(fictional, edata(registry=REGISTRY, green=GREEN), 2022, Settings(),
                            parks=PARK_RESULTS.iloc[0:0], backward=BACKWARD)
    assert set(w["rule"]) == {"enterprise_backward"}
    assert w["subject_name"].tolist() == [D1, D2]  # the fictional plan lists no districts: codes stand
