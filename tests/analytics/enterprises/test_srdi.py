"""专精特新 screening: the scoring table of docs/reference/methods.md §3.2 as data, the points each
candidate gets and misses (worked out by hand below), the four checks and the closest candidates."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from ana2_helpers import edata

from zhizao.analytics.enterprises import srdi
from zhizao.analytics.enterprises.srdi import CLOSEST_COLUMNS, SCORING, SCREEN_COLUMNS, closest, item_points, screen
from zhizao.settings import Settings

D1, D2 = "500101", "500102"


def _ent(eid, district=D1, size="small", **kw):
    return {"enterprise_id": eid, "name": f"企业{eid}", "district": district, "size": size, **kw}


A_ANNUAL = [{"enterprise_id": "A", "year": 2024, "revenue": 5000, "main_revenue": 4200, "rd_expense": 260,
             "net_profit": 450, "assets": 4000, "liabilities": 2200},
            {"enterprise_id": "A", "year": 2022, "revenue": 4000, "main_revenue": 3400}]
A_SRDI = {"enterprise_id": "A", "year": 2024, "niche_years": 5, "product_field": "foundation", "digital_level": 2,
          "quality_items": 2, "ip_class": "1", "rd_staff_share": 12, "rd_institution": "municipal",
          "equity_financing": 0, "local_points": 8, "direct_pass": ""}


def test_the_table_is_100_points_in_four_groups():
    assert sum(i.max_points for i in SCORING) == 100
    groups = {}
    for i in SCORING:
        groups[i.group] = groups.get(i.group, 0) + i.max_points
    assert groups == {"specialised": 25, "refined": 25, "distinctive": 15, "innovation": 35}
    assert len(SCORING) == 13
    for i in SCORING:  # no band gives more than the indicator's points
        assert all(p <= i.max_points for *_, p in i.bands) and all(p <= i.max_points for _, p in i.levels)


def test_points_by_hand():
    d = edata(registry=[_ent("A")], annual=A_ANNUAL, srdi=[A_SRDI])
    r = screen(d, 2024).iloc[0]
    # main share 4200/5000 = 84 % → 5; growth √(4200/3400) − 1 = 11.1 % → 10; niche 5 y → 2; 六基 → 3;
    # digital level 2 → 3; 2 quality items → 5; margin 450/5000 = 9 % → 8; debt 2200/4000 = 55 % → 3;
    # local 8; class I IP → 6; R&D 260万 (4) or 5.2 % (4) → 4; R&D staff 12 % → 3; municipal institution → 4
    expected = {"main_share": 5, "revenue_growth": 10, "niche_years": 2, "product_field": 3, "digital_level": 3,
                "quality": 5, "net_margin": 8, "debt_ratio": 3, "local": 8, "ip": 6, "rd_expense": 4,
                "rd_staff": 3, "rd_institution": 4}
    assert {k: r[f"pts_{k}"] for k in expected} == expected
    assert r["score"] == 64 and r["gap"] == 0
    assert r["revenue_growth"] == pytest.approx(100 * (np.sqrt(4200 / 3400) - 1))
    assert r[list(srdi.CHECKS)].tolist() == [True, True, True, True]
    assert r["eligible"] and r["qualifies"]
    assert r["missed_points"] == {"niche_years": 3, "product_field": 2, "digital_level": 2, "net_margin": 2,
                                  "debt_ratio": 2, "local": 7, "ip": 4, "rd_expense": 6, "rd_staff": 2,
                                  "rd_institution": 6}
    assert "≥300万元或≥6%可得6分" in r["reasons_zh"] and "for 6 points" in r["reasons_en"]
    assert list(screen(d, 2024).columns) == SCREEN_COLUMNS


def _one(**values) -> pd.DataFrame:
    return pd.DataFrame([values])


@pytest.mark.parametrize("key,column,value,points", [
    ("main_share", "main_share", 80, 5), ("main_share", "main_share", 79.99, 3), ("main_share", "main_share", 59, 0),
    ("debt_ratio", "debt_ratio", 49.9, 5), ("debt_ratio", "debt_ratio", 50, 3), ("debt_ratio", "debt_ratio", 60, 1),
    ("debt_ratio", "debt_ratio", 70, 1), ("debt_ratio", "debt_ratio", 70.1, 0), ("debt_ratio", "debt_ratio", np.nan, 0),
    ("revenue_growth", "revenue_growth", -0.1, 0), ("revenue_growth", "revenue_growth", 0, 2),
    ("niche_years", "niche_years", 1.9, 0), ("niche_years", "niche_years", 7, 3), ("niche_years", "niche_years", 30, 5),
    ("quality", "quality_items", 1, 3), ("quality", "quality_items", 4, 5),
    ("rd_staff", "rd_staff_share", 20, 5), ("rd_staff", "rd_staff_share", 4.9, 0),
    ("ip", "ip_class", "1_high_value", 10), ("ip", "ip_class", "", 0),
    ("rd_institution", "rd_institution", "provincial", 8), ("product_field", "product_field", "key", 5),
])
def test_band_edges(key, column, value, points):
    item = next(i for i in SCORING if i.key == key)
    assert item_points(item, _one(**{column: value}), Settings())[0] == points


def test_rd_takes_the_better_of_amount_and_share():
    item = next(i for i in SCORING if i.key == "rd_expense")
    f = pd.DataFrame({"rd_expense": [90, 520, 150], "rd_share": [11, 1, np.nan]})
    assert item_points(item, f, Settings()).tolist() == [10, 10, 2]


def test_local_points_are_capped_by_the_setting():
    item = next(i for i in SCORING if i.key == "local")
    f = _one(local_points=15)
    assert item_points(item, f, Settings())[0] == 15
    assert item_points(item, f, Settings({"srdi_local_points_max": 10}))[0] == 10


def test_who_is_screened():
    reg = [_ent("A"), _ent("L", size="large"), _ent("U1", size=""), _ent("U2", size=""), _ent("H"), _ent("N")]
    annual = [*A_ANNUAL, *({"enterprise_id": e, "year": 2024, "revenue": rev} for e, rev in
                           (("L", 3000), ("U1", 39999), ("U2", 40000), ("H", 3000)))]
    tags = [{"enterprise_id": "H", "tag": "srdi_sme", "level": "municipal", "acquired": "2023-05-01", "lost": ""}]
    got = set(screen(edata(registry=reg, annual=annual, tags=tags), 2024)["enterprise_id"])
    # large out; unknown size under 4亿 in, at 4亿 out; H already holds the tag; N has no figures for 2024
    assert got == {"A", "U1"}


def test_direct_pass_and_failed_checks():
    low = {"enterprise_id": "B", "year": 2024, "revenue": 800, "main_revenue": 800, "rd_expense": 50}
    d = edata(registry=[_ent("B")], annual=[low],
              srdi=[{"enterprise_id": "B", "year": 2024, "niche_years": 1, "direct_pass": ""}])
    r = screen(d, 2024).iloc[0]
    # main share 100 % → 5; R&D 50万 is 6.25 % of revenue → 6: score 11, 49 short
    assert r["score"] == 11 and r["gap"] == 49
    assert not r["check_niche"] and not r["check_rd"] and not r["check_revenue"] and not r["check_score"]
    assert not r["eligible"] and not r["qualifies"]
    assert "未满足：从事细分市场2年以上" in r["reasons_zh"]
    d2 = edata(registry=[_ent("B")], annual=[{**low, "rd_expense": 120}],
               srdi=[{"enterprise_id": "B", "year": 2024, "niche_years": 3, "equity_financing": 2500,
                      "direct_pass": "近两年新增股权融资≥6000万元"}])
    r2 = screen(d2, 2024).iloc[0]
    assert r2["check_score"] and r2["gap"] == 0 and r2["qualifies"]
    assert "直通条件" in r2["reasons_zh"]


def _candidate(eid, district, score):
    """An eligible SME scoring main share 100 % (5) + R&D 100万 at 5 % of revenue (4) + niche 2 years (1)
    = 10, plus local points for the rest of `score`."""
    return (_ent(eid, district),
            {"enterprise_id": eid, "year": 2024, "revenue": 2000, "main_revenue": 2000, "rd_expense": 100},
            {"enterprise_id": eid, "year": 2024, "niche_years": 2, "local_points": score - 10})


def test_closest_per_district():
    rows = [_candidate("C1", D1, 18), _candidate("C2", D1, 16), _candidate("C3", D1, 12),
            _candidate("C4", D1, 21), _candidate("C5", D2, 19)]
    d = edata(registry=[r[0] for r in rows], annual=[r[1] for r in rows], srdi=[r[2] for r in rows])
    s = Settings({"srdi_pass_score": 20, "srdi_near_points": 5})
    sc = screen(d, 2024, s)
    assert dict(zip(sc["enterprise_id"], sc["score"])) == {"C1": 18, "C2": 16, "C3": 12, "C4": 21, "C5": 19}
    assert sc["eligible"].all()
    c = closest(sc, s)
    assert list(c.columns) == CLOSEST_COLUMNS
    # D1: C4 qualifies (21); C1 is 2 short, C2 4 short; C3 8 short is too far. D2: C5 1 short.
    assert c[["district", "enterprise_id", "gap", "rank_in_district"]].values.tolist() == [
        [D1, "C1", 2, 1], [D1, "C2", 4, 2], [D2, "C5", 1, 1]]
    assert closest(sc, s, per_district=1)["enterprise_id"].tolist() == ["C1", "C5"]
    assert c["failed_checks"].tolist() == [["check_score"]] * 3
    # an enterprise that scores enough but fails a check is closest too, ahead of those short of points
    d2 = edata(registry=[*d.registry.to_dict("records")],
               annual=[*d.annual.to_dict("records")],
               srdi=[{**r[2], "niche_years": 1} if r[0]["enterprise_id"] == "C4" else r[2] for r in rows])
    c2 = closest(screen(d2, 2024, s), s)
    # C4 (niche 1 year: check fails, and its niche point goes: 20, still at the pass mark)
    assert c2.loc[c2["district"] == D1, "enterprise_id"].tolist()[0] == "C4"
    assert c2["failed_checks"].iloc[0] == ["check_niche"]
