"""The JSON API (/api/v1, /health): the CLI's assessment, paging, the all-or-nothing import and the
withdrawal, enterprise scope (out of scope answers 404), one error shape, the health check."""
from __future__ import annotations

import dataclasses
import json
import socket

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import zhizao
from zhizao.outputs import monitoring_view as mv
from zhizao.outputs.cli import app as cli_app
from zhizao.outputs.web import api_v1
from zhizao.outputs.web.app import create_app
from zhizao.outputs.web.auth import User, current_user
from zhizao.store import postgres
from zhizao.synth import generate

from webtest_support import BAD_CSV, BAD_PROBLEMS, GOOD_CSV, csrf_headers, store_counts

PLANS = ("chongqing-manufacturing-2021-2025", "chongqing-manufacturing-2023-2027")
ERROR_KEYS = {"status", "detail", "detail_zh", "detail_en"}


def _error(r, status: int) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert ERROR_KEYS <= set(body) and body["status"] == status
    assert "Traceback" not in r.text
    return body


# --- the assessment is the CLI's -----------------------------------------------------------------
@pytest.mark.parametrize("plan_id", PLANS)
@pytest.mark.parametrize("query", [{}, {"year": 2024, "lang": "en"}])
def test_assessment_equals_cli_assess_json(fresh_client, plan_id, query):
    r = fresh_client.get(f"/api/v1/plans/{plan_id}/assessment", params=query)
    assert r.status_code == 200, r.text
    args = ["assess", "--format", "json", "--db", str(fresh_client.db), "--plan", plan_id]
    if "year" in query:
        args += ["--year", str(query["year"]), "--lang", query["lang"]]
    cli = CliRunner().invoke(cli_app, args)
    assert cli.exit_code == 0, cli.output
    assert r.json() == json.loads(cli.stdout)


def test_year_outside_the_plan_is_422_in_both_languages(client):
    body = _error(client.get(f"/api/v1/plans/{PLANS[0]}/assessment", params={"year": 2040, "lang": "en"}), 422)
    assert "2040" in body["detail_zh"] and "评估年份" in body["detail_zh"]
    assert body["detail"] == body["detail_en"] and "outside the plan period" in body["detail_en"]


def test_unknown_plan_indicator_and_address_answer_404(client):
    assert "chongqing-manufacturing-2021-2025" in _error(client.get("/api/v1/plans/no-such-plan"), 404)["detail"]
    _error(client.get(f"/api/v1/plans/{PLANS[0]}/indicators/no_such"), 404)
    body = _error(client.get("/api/v1/no/such/route", params={"lang": "en"}), 404)
    assert "openapi.json" in body["detail"] and "没有这个接口" in body["detail_zh"]


def test_plans_and_indicator_agree_with_the_assessment(client):
    plans = client.get("/api/v1/plans").json()["plans"]
    assert [p["id"] for p in plans][:1] == [PLANS[0]] and plans[0]["default"]
    summary = client.get(plans[0]["api_url"]).json()
    assert summary["counts"]["indicators"] == len(summary["indicators"]) > 0
    result = client.get(summary["assessment_url"]).json()
    first = summary["indicators"][0]
    detail = client.get(first["api_url"]).json()
    assert detail["assessment"] == next(i for i in result["indicators"] if i["id"] == first["id"])
    assert detail["spec"]["id"] == first["id"]
    assert all({"unit", "price_basis", "vintage", "source_url"} <= set(o) for o in detail["observations"])


# --- paging ---------------------------------------------------------------------------------------
def test_observations_pages_add_up_to_the_whole(client):
    whole = client.get("/api/v1/observations", params={"limit": 10000}).json()
    assert whole["next"] is None and whole["total"] == len(whole["items"]) > 250
    seen, url = [], "/api/v1/observations?limit=250"
    while url:
        page = client.get(url).json()
        assert page["total"] == whole["total"] and len(page["items"]) <= 250
        seen += page["items"]
        url = page["next"]
    assert seen == whole["items"]
    row = seen[0]
    assert {"source_url", "publisher", "grade", "unit", "price_basis", "vintage", "known_since"} <= set(row)


def test_observation_filters_and_limits(client):
    r = client.get("/api/v1/observations", params=[("series", "GDP"), ("region", "500000"), ("limit", 5)]).json()
    assert r["items"] and all(o["series"] == "GDP" and o["region"] == "500000" for o in r["items"])
    assert r["total"] > 5 and r["next"].endswith("offset=5")
    assert "limit" in _error(client.get("/api/v1/observations", params={"limit": 10001}), 422)["detail_en"]
    assert client.get("/api/v1/observations", params={"offset": 10 ** 6}).json()["items"] == []


# --- writes: the dashboard upload's import, and withdrawal ---------------------------------------
def test_bad_file_changes_nothing_and_lists_every_problem(fresh_client, tmp_path):
    before = store_counts(fresh_client.db)
    r = fresh_client.post("/api/v1/imports", files={"file": ("bad.csv", BAD_CSV.encode(), "text/csv")},
                          headers=csrf_headers(fresh_client))
    body = _error(r, 422)
    assert len(body["problems"]) == BAD_PROBLEMS
    assert all(p["file"] == "bad.csv" and p["message_zh"] and p["message_en"] for p in body["problems"])
    assert {p["row"] for p in body["problems"]} == {2, 3} and all(p["column"] for p in body["problems"])
    assert store_counts(fresh_client.db) == before


def test_import_then_withdraw_round_trip(fresh_client):
    h = csrf_headers(fresh_client)
    total = fresh_client.get("/api/v1/observations").json()["total"]
    r = fresh_client.post("/api/v1/imports", files={"file": ("good.csv", GOOD_CSV.encode(), "text/csv")}, headers=h)
    assert r.status_code == 201, r.text
    batch = r.json()["batch_id"]
    assert r.json()["observations"] == 2
    assert fresh_client.get("/api/v1/observations").json()["total"] == total + 2
    assert fresh_client.get("/api/v1/batches").json()["batches"][0]["batch_id"] == batch

    _error(fresh_client.post(f"/api/v1/batches/{batch}/withdraw", json={"reason": ""}, headers=h), 422)
    w = fresh_client.post(f"/api/v1/batches/{batch}/withdraw", json={"reason": "口径有误"}, headers=h)
    assert w.status_code == 200, w.text
    assert w.json()["withdrawal_reason"] == "口径有误" and w.json()["withdrawn_at"]
    assert fresh_client.get("/api/v1/observations").json()["total"] == total
    again = _error(fresh_client.post(f"/api/v1/batches/{batch}/withdraw", json={"reason": "x"}, headers=h), 409)
    assert "已于" in again["detail_zh"]
    _error(fresh_client.post("/api/v1/batches/b_nope/withdraw", json={"reason": "x"}, headers=h), 404)
    bundled = next(b for b in fresh_client.get("/api/v1/batches").json()["batches"] if b["kind"] == "bundled")
    _error(fresh_client.post(f"/api/v1/batches/{bundled['batch_id']}/withdraw", json={"reason": "x"}, headers=h), 409)


def test_writes_without_the_csrf_token_are_refused_in_the_api_shape(fresh_client):
    before = store_counts(fresh_client.db)
    body = _error(fresh_client.post("/api/v1/imports", files={"file": ("g.csv", GOOD_CSV.encode(), "text/csv")}), 403)
    assert "CSRF" in body["detail_zh"] and body["detail_en"].startswith("missing or invalid CSRF token")
    assert store_counts(fresh_client.db) == before
    assert _error(fresh_client.post("/api/v1/imports", data={"x": "1"}, headers=csrf_headers(fresh_client)),
                  422)["problems"] == []


# --- monitoring subjects: enterprises only of the user's district --------------------------------
@pytest.fixture(scope="module")
def synth(tmp_path_factory):
    out = tmp_path_factory.mktemp("api-monitoring") / "data"
    generate(120, 30, "2022-01", seed=3).write(out)
    result = mv.refresh_at(mv.load_data(out), None)
    ents = mv.enterprise_rows(result, None)
    a = ents[0]["district"]
    b = next(e["district"] for e in ents if e["district"] != a)
    return out, a, b, ents


@pytest.fixture(scope="module")
def mon_app(bundled_db, synth):
    return create_app(db=bundled_db, monitoring_data=synth[0], warm=False, allowed_hosts=["testserver"])


def district_user(code: str) -> User:
    fields = {f.name for f in dataclasses.fields(User)}
    extra = {"role": "district"} if "role" in fields else {}  # the accounts' User has a role
    return User(id=f"district-{code}", level="district", region=code, **extra)


def test_district_user_sees_only_its_enterprises_and_404_for_others(mon_app, synth):
    _, a, b, ents = synth
    city = TestClient(mon_app)
    every = city.get("/api/v1/monitoring/subjects", params={"type": "enterprise", "limit": 10000}).json()
    assert every["synthetic"] and every["total"] == len(ents)
    b_ent = next(e for e in ents if e["district"] == b)
    a_ent = next(e for e in ents if e["district"] == a)
    assert city.get(f"/api/v1/monitoring/subjects/enterprise/{b_ent['credit_code']}").status_code == 200

    mon_app.dependency_overrides[current_user] = lambda: district_user(a)
    try:
        c = TestClient(mon_app)
        mine = c.get("/api/v1/monitoring/subjects", params={"type": "enterprise", "limit": 10000})
        assert mine.json()["items"] and {e["district"] for e in mine.json()["items"]} == {a}
        whole = c.get("/api/v1/monitoring/subjects", params={"limit": 10000}).text
        assert b_ent["credit_code"] not in whole and b_ent["name"] not in whole
        assert {e["district"] for e in c.get("/api/v1/monitoring/subjects", params={
            "district": b, "limit": 10000}).json()["items"] if e["subject_type"] == "enterprise"} == set()
        other = c.get(f"/api/v1/monitoring/subjects/enterprise/{b_ent['credit_code']}")
        unknown = c.get("/api/v1/monitoring/subjects/enterprise/000000000000000000")
        assert other.status_code == unknown.status_code == 404
        # the same answer as for an id that does not exist (the id asked for is echoed, nothing else)
        assert b_ent["name"] not in other.text
        assert other.text.replace(b_ent["credit_code"], "?") == unknown.text.replace("000000000000000000", "?")
        assert c.get(f"/api/v1/monitoring/subjects/enterprise/{a_ent['credit_code']}").json()["info"]["district"] == a
        # aggregates stay visible everywhere: the other district's own row
        assert c.get(f"/api/v1/monitoring/subjects/district/{b}").status_code == 200
    finally:
        mon_app.dependency_overrides.clear()


def test_monitoring_without_data_says_how_to_make_it(bundled_db, tmp_path):
    app = create_app(db=bundled_db, monitoring_data=tmp_path / "none", warm=False, allowed_hosts=["testserver"])
    body = _error(TestClient(app).get("/api/v1/monitoring/subjects"), 404)
    assert "zhizao synth" in body["detail_zh"] and "zhizao synth" in body["detail_en"]


# --- the description, permissions, audit -----------------------------------------------------------
def test_openapi_describes_the_api_only_with_its_version(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["info"]["version"] == zhizao.__version__ and doc["info"]["x-api-version"] == 1
    assert all(p.startswith("/api/v1/") for p in doc["paths"])
    assert "http://" not in json.dumps(doc) and "https://" not in json.dumps(doc)  # nothing from the network


def test_every_api_route_declares_its_permission(client):
    doc = client.get("/api/v1/openapi.json").json()
    declared = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    assert declared | {("GET", "/api/v1/openapi.json")} == set(api_v1.PERMISSIONS)
    assert set(api_v1.PERMISSIONS.values()) <= {"read_public", "read_enterprise", "import", "withdraw", "admin"}


def test_audit_is_404_in_local_mode(client):
    assert "服务器模式" in _error(client.get("/api/v1/audit"), 404)["detail_zh"]


# --- health --------------------------------------------------------------------------------------
def test_health_ok_on_duckdb_without_data(client):
    r = client.get("/health")
    assert r.status_code == 200 and r.json() == {"status": "ok", "backend": "duckdb", "schema": "embedded"}
    assert client.head("/health").status_code == 200  # some load balancers check with HEAD


def test_health_on_postgresql(client, pg_url, monkeypatch):
    plans = client.app.state.plans
    monkeypatch.setattr(plans, "db", pg_url)
    assert client.get("/health").status_code == 503  # an empty database: no schema yet
    postgres.upgrade(pg_url)
    r = client.get("/health")
    assert r.status_code == 200 and r.json() == {"status": "ok", "backend": "postgresql",
                                                 "schema": postgres.head_revision()}


def test_health_is_503_when_the_server_does_not_answer(client, monkeypatch):
    """A port that accepts connections and never speaks: the check gives up, it does not hang."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        port = silent.getsockname()[1]
        monkeypatch.setattr(client.app.state.plans, "db", f"postgresql://zhizao@127.0.0.1:{port}/x")
        r = client.get("/health")
        assert r.status_code == 503 and r.json()["status"] == "unavailable" and r.json()["backend"] == "postgresql"
        assert r.headers["retry-after"] == "5"
    finally:
        silent.close()


def test_health_needs_no_login(client):
    client.app.dependency_overrides[current_user] = _refuse
    try:
        assert client.get("/health").status_code == 200
        assert client.get("/api/v1/plans").status_code == 401
    finally:
        client.app.dependency_overrides.clear()


def _refuse():
    from fastapi import HTTPException
    raise HTTPException(401, "请先登录 / log in first")


def test_a_body_that_is_not_json_is_a_documented_bilingual_400(fresh_client):
    headers = {**csrf_headers(fresh_client), "Content-Type": "application/json"}
    for lang in ("zh", "en"):
        r = fresh_client.post("/api/v1/batches/b_x/withdraw", params={"lang": lang}, content=b'{"reason": ', headers=headers)
        body = _error(r, 400)
        assert "JSON" in body["detail_zh"] and "请求体" in body["detail_zh"] and "not valid JSON" in body["detail_en"]
        assert body["detail"] == (body["detail_en"] if lang == "en" else body["detail_zh"])
    doc = fresh_client.get("/api/v1/openapi.json").json()
    assert "400" in doc["paths"]["/api/v1/batches/{batch_id}/withdraw"]["post"]["responses"]


def test_an_english_only_refusal_still_has_a_chinese_reason(client):
    """split_detail gave English as detail_zh for an English-only message."""
    zh, en = api_v1.refusal_words(api_v1.StarletteHTTPException(404, "no such page"))
    assert "没有这个资源" in zh and "not found" in en
    zh, en = api_v1.refusal_words(api_v1.StarletteHTTPException(429, "slow down"))
    assert "请稍后" in zh and en == "slow down"
