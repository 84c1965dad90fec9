"""Properties of the chain analytics on random small chain data (hypothesis): shares are fractions that
sum to 1 with the unrecorded rest, grades are high/medium/low with reasons, removing nothing loses
nothing and removing more never loses less."""
from __future__ import annotations

import numpy as np
from chain_helpers import LINKS, chain_data, ent, make_plan
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhizao.analytics.chains import Scenario, link_coverage, risk, whatif

PLAN = make_plan()
PLACES = [("990101", "CN"), ("990102", "CN"), ("980101", "CN"), ("110101", "CN"), ("", "JP")]
LINK_IDS = [lk["id"] for lk in LINKS]


@st.composite
def chain_datasets(draw):
    n = draw(st.integers(2, 9))
    ids = [f"E{i}" for i in range(n)]
    ents = []
    for e in ids:
        district, country = draw(st.sampled_from(PLACES))
        output = draw(st.one_of(st.just(float("nan")), st.floats(0, 1e4)))
        ents.append(ent(e, district, country, output))
    members = {}
    for e in ids:
        for lk in draw(st.lists(st.sampled_from(LINK_IDS), max_size=2, unique=True)):
            members[(e, lk)] = draw(st.one_of(st.just(float("nan")), st.floats(0, 1e3)))
    supply = {}
    for _ in range(draw(st.integers(0, 14))):
        sup, buy = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        lk = draw(st.sampled_from(LINK_IDS))
        if sup != buy:
            members.setdefault((sup, lk), 1.0)
            supply[(sup, buy, lk)] = draw(st.floats(0.01, 1.0))
    # per buyer and link the shares sum to at most 1: scale each group to a drawn total
    totals: dict = {}
    for (s, b, lk), x in supply.items():
        totals[(b, lk)] = totals.get((b, lk), 0.0) + x
    caps = {k: draw(st.floats(0.05, 1.0)) for k in totals}
    rows = [{"supplier_id": s, "buyer_id": b, "chain": "battery", "link": lk,
             "share": x / totals[(b, lk)] * min(caps[(b, lk)], totals[(b, lk)])}
            for (s, b, lk), x in supply.items()]
    roles = ("leader", "core", "supplier")
    mem = [{"enterprise_id": e, "chain": "battery", "link": lk, "role": roles[i % 3], "capacity": c}
           for i, ((e, lk), c) in enumerate(members.items())]
    return chain_data(ents, mem, rows)


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(chain_datasets())
def test_coverage_shares_are_fractions_that_sum_to_one(data):
    cov = link_coverage(PLAN, data)
    if len(data.members) == 0:  # no member on the chain: no data, every share unknown
        assert set(cov["status"]) == {"no_data"} and cov["unrecorded_share"].isna().all()
        return
    # nothing recorded: the location shares are unknown (NaN), not 0; the rest sum to 1
    unknown = cov["unrecorded_share"] >= 1 - 1e-12
    shares = cov[["local_share", "region_share", "domestic_share", "abroad_share"]]
    assert shares[unknown].isna().all().all() and shares[~unknown].notna().all().all()
    assert (cov.loc[cov["n_buyers"] == 0, "unrecorded_share"] == 1.0).all()
    cov = cov[~unknown]
    parts = cov[["local_share", "domestic_share", "abroad_share", "unrecorded_share"]]
    assert ((parts >= -1e-12) & (parts <= 1 + 1e-12)).all().all()
    region_only = cov["region_share"] - cov["local_share"]
    assert (region_only >= -1e-12).all()
    total = parts.sum(axis=1) + region_only
    np.testing.assert_allclose(total.to_numpy(), 1.0, atol=1e-9)
    assert set(cov["status"]) <= {"missing", "weak", "covered"}


@FAST
@given(chain_datasets())
def test_grades_and_reasons(data):
    cr = risk(PLAN, data)
    graded = cr.links[cr.links["status"] != "no_data"]  # no member on the chain: not graded
    assert cr.links.loc[cr.links["status"] == "no_data", "grade"].isna().all()
    for frame in (cr.relations, graded, cr.enterprises):
        assert set(frame["grade"]) <= {"high", "medium", "low"}
        assert ((frame["score"] >= 0) & (frame["score"] <= 1 + 1e-12)).all()
        assert (frame["reasons_zh"].str.len() > 0).all() and (frame["reasons_en"].str.len() > 0).all()
    assert ((cr.relations["share"] >= 0) & (cr.relations["share"] <= 1)).all()
    assert ((cr.relations["buyer_hhi"] > 0) & (cr.relations["buyer_hhi"] <= 1 + 1e-12)).all()


@FAST
@given(chain_datasets(), st.data())
def test_removing_nothing_loses_nothing_and_more_never_loses_less(data, draw):
    nothing = whatif(PLAN, data, Scenario("none"))
    assert nothing.enterprises.empty and nothing.summary["output_at_risk"] == 0
    ids = sorted(data.enterprises["enterprise_id"])
    small = draw.draw(st.lists(st.sampled_from(ids), max_size=3, unique=True))
    extra = draw.draw(st.lists(st.sampled_from(ids), max_size=3, unique=True))
    a = whatif(PLAN, data, Scenario("a", enterprises=tuple(small)))
    b = whatif(PLAN, data, Scenario("b", enterprises=tuple(set(small) | set(extra))))
    la = dict(zip(a.enterprises["enterprise_id"], a.enterprises["loss"]))
    lb = dict(zip(b.enterprises["enterprise_id"], b.enterprises["loss"]))
    assert all(0 <= x <= 1 for x in lb.values())
    assert all(lb.get(e, 0.0) >= x - 1e-4 for e, x in la.items())  # the propagation stops within 1e-6 steps
    assert b.summary["output_at_risk"] >= a.summary["output_at_risk"] - 1e-6
    assert b.summary["links_lost"] >= a.summary["links_lost"]
