"""The district map joins all 38 districts by adcode and lists the functional zones beside it."""
from __future__ import annotations

import json

import pytest

from zhizao import api
from zhizao.outputs.web.pages.districts import geojson_adcodes

PLAN = api.load_plan()
DISTRICT_CODES = {d.code for d in PLAN.regions.districts}


def test_bundled_geojson_joins_all_38_plan_districts(client):
    geo = client.get("/geo/chongqing-districts.geojson")
    assert geo.status_code == 200 and geo.headers["content-type"].startswith("application/geo+json")
    codes = [f["properties"]["adcode"] for f in json.loads(geo.content)["features"]]
    assert len(codes) == len(set(codes)) == 38
    assert set(codes) == DISTRICT_CODES == set(geojson_adcodes())


def test_json_twin_has_38_rows_and_a_full_join(client):
    j = client.get("/districts?format=json").json()
    assert [r["code"] for r in j["districts"]] == [d.code for d in PLAN.regions.districts]
    assert j["join"] == {"geojson_features": 38, "joined": 38, "plan_districts": 38}
    assert j["layers"], "the bundled data has district values"
    assert all(r["group"] for r in j["districts"]), "every district belongs to one of 一区两群"
    assert {z["code"] for z in j["functional_zones"]} == {z.code for z in PLAN.regions.functional_zones}


def test_map_option_names_every_district_by_adcode(client):
    from zhizao.outputs.web.pages.districts import map_option

    j = client.get("/districts?format=json").json()
    option = map_option(j, "zh")
    series = option["series"][0]
    assert series["nameProperty"] == "adcode" and option["geoUrl"] == j["map"]["url"] == f"/p/{PLAN.plan.id}/geo.geojson"
    assert {d["name"] for d in series["data"]} == DISTRICT_CODES
    shown = [d for d in series["data"] if d["value"] is not None]
    assert len(shown) == max(p["districts"] for p in j["current"]["periods"]) > 0


def test_any_layer_and_period_can_be_chosen(client):
    layers = client.get("/districts?format=json").json()["layers"]
    for layer in layers:
        for p in layer["periods"]:
            j = client.get("/districts", params={"layer": layer["series"], "period": p["period"], "format": "json"}).json()
            assert j["layer"] == layer["series"] and j["period"] == p["period"]
            assert sum(r["value"] is not None for r in j["districts"]) == p["districts"]


def test_grouping_layer(client):
    j = client.get("/districts?layer=groups&format=json").json()
    assert j["layer"] == "groups" and j["current"] is None
    html = client.get("/districts?layer=groups").text
    assert "渝东北三峡库区城镇群" in html and "两江新区" in html


def test_unknown_layer_falls_back_to_the_fullest(client):
    j = client.get("/districts?layer=nonsense&format=json").json()
    assert j["layer"] == j["layers"][0]["series"]


# --- issue 10: coverage, 无数据, the district officer's view -----------------------------------------
def test_default_layer_is_the_series_with_most_districts_and_coverage_counts_the_plan_districts(client):
    j = client.get("/districts?format=json").json()
    best = max(l["best_period_districts"] for l in j["layers"])
    assert j["current"]["best_period_districts"] == best
    shown = sum(r["value"] is not None for r in j["districts"])
    assert j["coverage"] == {"with_data": shown, "no_data": 38 - shown, "districts": len(PLAN.regions.districts)}
    assert shown == best
    html = client.get("/districts").text
    assert f"{shown}/38" in html and 'id="map-legend"' in html and f"无数据（{38 - shown}/38）" in html


def test_near_duplicate_series_names_are_one_layer(client):
    """规上工业产值 / 规模工业产值增长率 / 规上工业增加值累计增长率 … are layers of their series, not their own."""
    from zhizao.ingest.names import series_synonyms

    layers = {l["series"] for l in client.get("/districts?format=json").json()["layers"]}
    assert not layers & set(series_synonyms()), layers & set(series_synonyms())
    assert "规模以上工业总产值" in layers and "规模以上工业增加值增长率" in layers


def test_officer_sees_own_district_against_the_city_rank_and_comparison(client):
    layer = "规模以上工业增加值增长率"
    j = client.get("/districts", params={"layer": layer, "period": "2024", "format": "json"}).json()
    with_value = sorted((r for r in j["districts"] if r["value"] is not None), key=lambda r: -r["value"])
    me, other = with_value[-1], with_value[0]
    no_data = next(r for r in j["districts"] if r["value"] is None)
    params = {"layer": layer, "period": "2024", "district": me["code"], "compare": [other["code"], no_data["code"]]}
    o = client.get("/districts", params={**params, "format": "json"}).json()["officer"]
    assert o["district"]["code"] == me["code"] and o["district"]["rank"] == len(with_value) == o["ranked"]
    assert [r["code"] for r in o["rows"]] == [me["code"], other["code"], no_data["code"]]
    assert o["rows"][2]["rank"] is None and o["rows"][2]["value_display"] == "—"
    city = j["whole"]["value"]
    assert city is not None and o["against"] == "diff_whole"
    diff = me["value"] - city
    assert o["district"]["diff_display"] == f"{'+' if diff > 0 else ''}{diff:.1f}个百分点".replace("-0.0", "0")
    html = client.get("/districts", params=params).text  # a plain GET form: works without JavaScript
    assert 'id="officer-form"' in html and 'name="compare" multiple' in html
    assert 'id="compare-table"' in html and f"{len(with_value)}/{len(with_value)}" in html
    assert 'id="chart-option-compare"' in html
    assert client.get("/districts", params={"district": "999999"}).status_code == 422


def test_a_level_is_compared_as_a_share_of_the_city(client):
    j = client.get("/districts?format=json").json()
    me = next(r for r in j["districts"] if r["value"] is not None)
    o = client.get("/districts", params={"layer": j["layer"], "period": j["period"], "district": me["code"],
                                         "format": "json"}).json()["officer"]
    assert j["current"]["unit"] != "%" and o["against"] == "share_whole"
    assert o["district"]["diff_display"].endswith("%")


def test_second_embedded_plan_has_the_same_district_page(fresh_db):
    from fastapi.testclient import TestClient

    from zhizao.outputs.web.app import create_app

    second = "chongqing-manufacturing-2023-2027"
    api.assess(second, db=fresh_db, year=2024)
    with TestClient(create_app(db=fresh_db, warm=False, allowed_hosts=["testserver"])) as c:
        j = c.get(f"/p/{second}/districts?format=json").json()
        n = len(api.load_plan(second).regions.districts)
        assert j["coverage"]["districts"] == n and j["coverage"]["with_data"] >= 1
        me = next(r for r in j["districts"] if r["value"] is not None)
        html = c.get(f"/p/{second}/districts", params={"district": me["code"]}).text
        assert 'id="officer-summary"' in html and "无数据" in html



# --- issue 10 w4: a layer names an indicator in brackets only when it measures the same thing -------------
def test_layer_label_keeps_related_indicators_apart():
    from zhizao.outputs.web.pages.districts import layer_label

    assert layer_label("规模以上工业增加值增长率", [], ["工业增加值"]) == "规模以上工业增加值增长率（相关指标：工业增加值）"
    assert layer_label("规模以上工业总产值", ["规模以上工业产值"]) == "规模以上工业总产值（规模以上工业产值）"
    assert layer_label("S", ["A"], ["B"]) == "S（A；相关指标：B）"
    assert layer_label("S", [], ["B"], "en") == "S (related indicator: B)"


@pytest.mark.parametrize("base", ["", "/p/chongqing-manufacturing-2023-2027"])
def test_layers_pair_a_series_only_with_an_indicator_it_measures(request, base):
    """Before: 规模以上工业增加值增长率（工业增加值） paired a growth rate with a level (a proxy link)."""
    # a first visit to the second plan writes it into the store: a private copy, not the shared one
    client = request.getfixturevalue("fresh_client" if base else "client")
    j = client.get(base + "/districts?format=json").json()
    for layer in j["layers"]:
        same, _, related = layer["label"].partition("相关指标：")
        for i in layer["indicators"]:
            if i["direct"]:
                assert i["name"] == layer["series"] or f"{layer['series']}（" in same and i["name"] in same
            else:
                assert i["name"] in related
    if not base:
        rate = next(x for x in j["layers"] if x["series"] == "规模以上工业增加值增长率")
        assert rate["label"] != "规模以上工业增加值增长率（工业增加值）" and "相关指标：" in rate["label"]
        assert [i["direct"] for i in rate["indicators"]] == [False]
        html = client.get("/districts", params={"layer": rate["series"]}).text
        assert 'id="related-indicators"' in html and 'id="linked-indicators"' not in html
        en = client.get("/districts", params={"layer": rate["series"], "lang": "en"}).text
        assert "Related indicator: " in en and "Districts covered: " in en
