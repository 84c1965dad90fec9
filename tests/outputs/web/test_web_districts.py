"""The district map joins all 38 districts by adcode and lists the functional zones beside it."""
from __future__ import annotations

import json

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
