"""The dashboard serves every plan in the store: /p/<plan_id>/… with JSON twins, the default plan
also at /, a plan switcher in the header, and each plan's pages show only its own indicators."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import zhizao.api as zz
from zhizao.outputs.web.app import create_app

ASSETS = Path(__file__).parents[2] / "assets"
PLAN_FILE = ASSETS / "fictional-plan.yaml"
FICTIONAL = "riverton-industry-2023-2027"
CHONGQING = zz.BUNDLED_PLAN_ID
SECOND = "chongqing-manufacturing-2023-2027"  # embedded, not yet used: listed and served on its first visit
HOSTS = ["testserver"]
F_IDS = {"output", "value_added", "hightech_share", "margin", "energy_intensity", "parks", "new_projects"}


@pytest.fixture(scope="module")
def two_plans_db(bundled_db, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("web-plans") / "two.duckdb"
    shutil.copy(bundled_db, db)
    zz.import_data(ASSETS / "fictional-links.yaml", plan=str(PLAN_FILE), db=db)  # registers the plan
    zz.import_data(ASSETS / "fictional-data.csv", plan=FICTIONAL, db=db)
    return db


@pytest.fixture(scope="module")
def c(two_plans_db):
    with TestClient(create_app(db=two_plans_db, allowed_hosts=HOSTS)) as client:
        yield client


def test_create_app_takes_a_plan_a_path_or_an_id(two_plans_db):
    for plan in (zz.load_plan(PLAN_FILE), PLAN_FILE, str(PLAN_FILE), FICTIONAL):
        app = create_app(db=two_plans_db, plan=plan, warm=False, allowed_hosts=HOSTS)
        assert app.state.web.plan.plan.id == FICTIONAL
        with TestClient(app) as client:
            assert {i["id"] for i in client.get("/?format=json").json()["indicators"]} == F_IDS
    assert create_app(db=two_plans_db, warm=False, allowed_hosts=HOSTS).state.web.plan.plan.id == CHONGQING


def test_create_app_refuses_an_unknown_id_naming_the_known_ones(two_plans_db):
    with pytest.raises(zz.UnknownPlan) as e:
        create_app(db=two_plans_db, plan="no-such-plan", warm=False, allowed_hosts=HOSTS)
    assert FICTIONAL in e.value.reason("en") and CHONGQING in e.value.reason("zh")


def test_each_plan_at_its_own_address_with_its_json_twin(c):
    cq = c.get("/?format=json").json()
    assert cq["plan"]["id"] == CHONGQING and len(cq["indicators"]) == 20
    assert c.get(f"/p/{CHONGQING}/?format=json").json()["indicators"] == cq["indicators"]
    f = c.get(f"/p/{FICTIONAL}/?format=json").json()
    assert f["plan"]["id"] == FICTIONAL and {i["id"] for i in f["indicators"]} == F_IDS
    ind = c.get(f"/p/{FICTIONAL}/indicator/output?format=json").json()
    assert ind["indicator"]["actual"] == 1200
    assert c.get(f"/p/{FICTIONAL}/plan?format=json").json()["plan"]["id"] == FICTIONAL
    for page in ("districts", "data", "downloads"):
        assert c.get(f"/p/{FICTIONAL}/{page}?format=json").status_code == 200, page
    twins = c.get(f"/p/{FICTIONAL}/downloads?format=json").json()
    assert f"/p/{FICTIONAL}/?format=json" in twins["json_twins"]
    assert all(link["url"].startswith(f"/p/{FICTIONAL}/download/") for link in twins["reports"]["links"])


def test_a_plans_pages_show_only_its_indicators(c):
    html = c.get(f"/p/{FICTIONAL}/").text
    linked = set(re.findall(r'href="/p/' + FICTIONAL + r'/indicator/([^"?]+)"', html))
    assert linked == F_IDS
    assert not re.search(r'href="/indicator/', html)  # every plan link stays within the plan
    assert "软件业务收入" not in html
    assert c.get(f"/p/{FICTIONAL}/indicator/software_revenue").status_code == 404
    cq_ids = {i["id"] for i in c.get("/?format=json").json()["indicators"]}
    assert c.get(f"/p/{CHONGQING}/indicator/{next(iter(cq_ids))}").status_code == 200
    plan_page = c.get(f"/p/{FICTIONAL}/plan").text
    assert "河湾市" in plan_page and "软件业务收入" not in plan_page


def test_a_plans_data_page_leaves_out_the_other_plans_series(c):
    f_series = {r["series"] for r in c.get(f"/p/{FICTIONAL}/data?format=json").json()["observations"]}
    cq_series = {r["series"] for r in c.get("/data?format=json").json()["observations"]}
    assert "hightech_share" in f_series and "hightech_share" not in cq_series
    cq_linked = {r["series"] for r in c.get("/indicator/software_revenue?format=json").json()["observations"]}
    assert cq_linked and not (f_series & cq_linked)


def test_the_header_switches_between_the_plans(c):
    html = c.get("/").text
    form = re.search(r'<form class="plan-switch" method="get" action="/plans">(.*?)</form>', html, re.S)
    assert form, "no plan switcher"
    options = re.findall(r'<option value="([^"]+)"( selected)?>', form.group(1))
    assert [o[0] for o in options] == [CHONGQING, FICTIONAL, SECOND] and options[0][1] == " selected"
    assert "data-autosubmit" in form.group(1) and "<script>" not in html  # the CSP: no inline script
    here = c.get(f"/p/{FICTIONAL}/indicator/output").text
    assert re.search(rf'<option value="{FICTIONAL}" selected>', here)
    r = c.get(f"/plans?go={FICTIONAL}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/p/{FICTIONAL}/"
    assert c.get("/plans?go=no-such-plan").status_code == 404


def test_the_plans_page_lists_every_plan_with_its_addresses(c):
    j = c.get("/plans?format=json").json()
    assert [(p["id"], p["url"], p["default"]) for p in j["plans"]] == [
        (CHONGQING, f"/p/{CHONGQING}/", True), (FICTIONAL, f"/p/{FICTIONAL}/", False),
        (SECOND, f"/p/{SECOND}/", False)]
    assert c.get("/plans?lang=en").status_code == 200


def test_an_unknown_plan_address_is_404_naming_the_plans(c):
    r = c.get("/p/no-such-plan/?format=json")
    assert r.status_code == 404 and FICTIONAL in r.json()["detail"]
    assert c.get("/p/no-such-plan/indicator/output").status_code == 404


def test_a_store_made_for_another_plan_serves_that_plan_at_the_root(tmp_path):
    db = tmp_path / "f.duckdb"
    zz.import_data(ASSETS / "fictional-links.yaml", plan=str(PLAN_FILE), db=db)
    zz.import_data(ASSETS / "fictional-data.csv", plan=FICTIONAL, db=db)
    with TestClient(create_app(db=db, warm=False, allowed_hosts=HOSTS)) as client:
        j = client.get("/?format=json").json()
        assert j["plan"]["id"] == FICTIONAL and {i["id"] for i in j["indicators"]} == F_IDS
        assert client.get("/plan?format=json").json()["plan"]["id"] == FICTIONAL
        assert [p["id"] for p in client.get("/plans?format=json").json()["plans"]] == [FICTIONAL]
        assert 'class="plan-switch"' not in client.get("/").text  # one plan: nothing to switch


def test_a_plan_registered_while_serving_is_served_from_its_first_visit(bundled_db, tmp_path):
    db = tmp_path / "s.duckdb"
    shutil.copy(bundled_db, db)
    with TestClient(create_app(db=db, warm=False, allowed_hosts=HOSTS)) as client:
        assert client.get(f"/p/{FICTIONAL}/").status_code == 404
        zz.import_data(ASSETS / "fictional-links.yaml", plan=str(PLAN_FILE), db=db)  # e.g. the CLI meanwhile
        assert client.get(f"/p/{FICTIONAL}/?format=json").json()["plan"]["id"] == FICTIONAL


def test_an_upload_under_a_plans_address_answers_for_that_plan(bundled_db, tmp_path):
    db = tmp_path / "s.duckdb"
    shutil.copy(bundled_db, db)
    zz.import_data(ASSETS / "fictional-links.yaml", plan=str(PLAN_FILE), db=db)
    with TestClient(create_app(db=db, warm=False, allowed_hosts=HOSTS)) as client:
        page = client.get(f"/p/{FICTIONAL}/data").text
        assert f'action="/p/{FICTIONAL}/data/upload"' in page
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        before = client.get(f"/p/{FICTIONAL}/indicator/output?format=json").json()["indicator"]["actual"]
        r = client.post(f"/p/{FICTIONAL}/data/upload?format=json", data={"csrf_token": token},
                        files={"file": ("f.csv", (ASSETS / "fictional-data.csv").read_bytes(), "text/csv")},
                        headers={"Origin": "http://testserver"})
        assert r.status_code == 200 and r.json()["upload"]["ok"], r.text
        assert before is None
        assert client.get(f"/p/{FICTIONAL}/indicator/output?format=json").json()["indicator"]["actual"] == 1200


@pytest.fixture(scope="module")
def two_plans_server(two_plans_db, tmp_path_factory):
    import threading
    import time

    import uvicorn

    from webtest_support import free_port

    db = tmp_path_factory.mktemp("live-plans") / "store.duckdb"
    shutil.copy(two_plans_db, db)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db=db, warm=False), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the test server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_choosing_a_plan_in_the_switcher_opens_its_overview(browser, two_plans_server):
    from webtest_support import guarded_page

    with guarded_page(browser) as page:  # fails on console errors (a CSP refusal is one)
        page.goto(two_plans_server + "/")
        page.select_option("#plan-switch", FICTIONAL)
        page.wait_for_url(f"**/p/{FICTIONAL}/")
        assert page.locator("#indicator-cards .card").count() == len(F_IDS)
        page.locator('#indicator-cards a[data-indicator="output"]').click()
        page.wait_for_url(f"**/p/{FICTIONAL}/indicator/output")
        page.select_option("#plan-switch", CHONGQING)
        page.wait_for_url(f"**/p/{CHONGQING}/")
        assert page.locator("#indicator-cards .card").count() == 20
