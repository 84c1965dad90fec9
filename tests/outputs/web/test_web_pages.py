"""Every page renders (HTML) and has a JSON twin that says the same thing."""
from __future__ import annotations

import pytest

from zhizao import api

PLAN = api.load_plan()
PAGES = [
    "/", "/?year=2023", "/?year=2024&as_of=2024-06-30",
    "/indicator/software_revenue", "/indicator/energy_intensity_reduction",
    "/plan", "/plan?q=动力电池", "/plan?q=集成电路 人工智能",
    "/plan/industry/new_energy_connected_vehicles", "/plan/cluster/automotive",
    "/plan/technology/tech_integrated_circuits", "/plan/platform/platform_manufacturing_innovation_centres",
    "/plan/task/key_core_technology_breakthroughs", "/plan/safeguard/organizational_leadership",
    "/districts", "/districts?layer=groups", "/data", "/data?q=软件", "/data?indicator=software_revenue",
    "/data?page=2", "/downloads",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_and_its_json_twin(client, path):
    html = client.get(path)
    assert html.status_code == 200, html.text[:500]
    assert html.headers["content-type"].startswith("text/html")
    assert "<main>" in html.text and "智造" in html.text
    twin = client.get(path + ("&" if "?" in path else "?") + "format=json")
    assert twin.status_code == 200
    assert twin.headers["content-type"] == "application/json"
    body = twin.json()
    assert body["lang"] == "zh" and body["page"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_indicator_page(client, lang):
    for ind in PLAN.indicators:
        r = client.get(f"/indicator/{ind.id}?lang={lang}")
        assert r.status_code == 200, (ind.id, r.text[:300])
        j = client.get(f"/indicator/{ind.id}?format=json&lang={lang}").json()
        assert j["indicator"]["id"] == ind.id
        for key in ("baseline", "target", "history", "sources", "conflicts", "other_evidence"):
            assert key in j["indicator"]


def test_every_plan_item_page(client):
    items = [("industry", x.id) for x in PLAN.industries] + [("cluster", c.id) for c in PLAN.clusters]
    for kind, attr in (("technology", "technologies"), ("platform", "platforms"), ("task", "tasks"),
                       ("safeguard", "safeguards")):
        items += [(kind, x.id) for x in getattr(PLAN, attr)]
    for kind, item_id in items:
        r = client.get(f"/plan/{kind}/{item_id}?format=json")
        assert r.status_code == 200, (kind, item_id)
        assert r.json()["item"]["id"] == item_id


def test_overview_json(client):
    j = client.get("/?format=json").json()
    assert sum(c["count"] for c in j["counts"]) == len(PLAN.indicators) == len(j["indicators"])
    assert len(j["clusters"]) == 6
    assert j["period"]["base_year"] == 2020 and j["period"]["target_year"] == 2025
    assert 0 <= j["period"]["elapsed_eval"] <= 1
    card = next(c for c in j["indicators"] if c["id"] == "energy_intensity_reduction")
    assert card["binding"] is True and card["colour"].startswith("#")


def test_overview_html_shows_cards_binding_and_clusters(client):
    html = client.get("/").text
    assert html.count('data-indicator="') == 20
    assert "约束性" in html and "规划期已过" in html
    assert 'id="chart-option-clusters"' in html and "echarts.min.js" in html


def test_indicator_page_shows_inputs_and_evidence(client):
    html = client.get("/indicator/software_revenue").text
    for text in ("计算依据", "增速比", "所需年均增速", "基期已按最终公布数据替换", "候选数值", "同期其他数值",
                 "其他证据", "数据库中的相关观测值", 'id="chart-option-indicator"'):
        assert text in html, text
    j = client.get("/indicator/software_revenue?format=json").json()
    assert j["observations"], "observations of linked series with sources"
    assert {"grade", "qualifier", "vintage", "comparability", "source_url"} <= set(j["observations"][0])


def test_plan_search_in_chinese(client):
    j = client.get("/plan?q=动力电池&format=json").json()
    assert j["results"] and all(r["url"].startswith("/plan/") for r in j["results"])
    assert any(r["id"] == "new_energy_connected_vehicles" for r in j["results"])
    assert client.get("/plan?q=不存在的词语xyz&format=json").json()["results"] == []


def test_plan_item_links_to_indicators_and_data(client):
    j = client.get("/plan/task/enterprise_innovation_capability?format=json").json()
    assert {i["id"] for i in j["indicators"]} >= {"rd_expenditure", "rd_intensity"}
    assert all(link["url"].startswith("/data?indicator=") for link in j["data_links"])
    j = client.get("/plan/industry/new_energy_connected_vehicles?format=json").json()
    assert j["item"]["key_products"] and j["cluster"]["id"] == "automotive"
    assert j["data_links"] and all(link["count"] > 0 for link in j["data_links"])


def test_indicator_redirect_and_not_found(client):
    r = client.get("/plan/indicator/rd_intensity", follow_redirects=False)
    assert r.status_code in (302, 307) and r.headers["location"] == "/indicator/rd_intensity"
    r = client.get("/indicator/no_such_indicator")
    assert r.status_code == 404 and "no_such_indicator" in r.text and "<main>" in r.text
    r = client.get("/indicator/no_such_indicator?format=json")
    assert r.status_code == 404 and r.json()["status"] == 404


def test_bad_parameters_are_explained(client):
    r = client.get("/?year=abc&format=json")
    assert r.status_code == 422 and "year" in r.json()["detail"]
    r = client.get("/?as_of=2024-13-45")
    assert r.status_code == 422 and "as_of" in r.text


def test_english_switch_and_cookie(client):
    r = client.get("/?lang=en")
    assert r.status_code == 200 and "Overview" in r.text and '<html lang="en">' in r.text
    assert r.cookies.get("zhizao_lang") == "en"
    r = client.get("/plan")  # no parameter: the cookie remembers English
    assert '<html lang="en">' in r.text and "Search the plan" in r.text
    assert client.get("/?format=json").json()["lang"] == "en"
    r = client.get("/?lang=zh")
    assert '<html lang="zh-CN">' in r.text and "总览" in r.text


def test_static_assets_are_local(client):
    js = client.get("/static/vendor/echarts/echarts.min.js")
    assert js.status_code == 200 and len(js.content) > 500_000
    for name in ("LICENSE", "NOTICE"):
        assert client.get(f"/static/vendor/echarts/{name}").status_code == 200
    for path in ("/", "/indicator/software_revenue", "/districts"):
        html = client.get(path).text
        assert "http://" not in html.split("<main>")[0] and "cdn" not in html.lower()
        assert "<script src=\"/static/" in html
