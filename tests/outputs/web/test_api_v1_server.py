"""The API in server mode as the reviewer used it (store and accounts in one PostgreSQL database, a
token per role): refusals read as API answers in both languages, the description declares its
security and the bounds the routes enforce, enterprise reads are audited as exports, withdrawals carry
the role and the client address, and the audit log gives times with their offset and details as objects."""
from __future__ import annotations

import re
from datetime import datetime

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (content_type_conformance, negative_data_rejection, not_a_server_error,
                                 positive_data_acceptance, response_schema_conformance, status_code_conformance)

from zhizao import api
from zhizao.outputs.web.app import create_app

from test_web_auth_support import DISTRICT_A, PW, USERS, auth_synth, drop, module_database  # noqa: F401

CJK = re.compile(r"[\u3400-\u9fff]")
HEADER = "series,region,period,value,unit,source_url,grade,vintage,quote\n"


@pytest.fixture(scope="module")
def pg_app(postgres_server, auth_synth):
    name, url = module_database(postgres_server)
    app = create_app(db=url, monitoring_data=auth_synth, warm=False, allowed_hosts=["testserver"])
    for user, (role, region) in USERS.items():
        app.state.accounts.add_user(user, role, PW, region=region)
    app.url = url
    app.tokens = {u: app.state.accounts.create_token(u, name="api-test") for u in USERS}
    with TestClient(app):
        yield app
    drop(postgres_server, name)


def as_user(app, who: str | None) -> TestClient:
    c = TestClient(app)
    if who is not None:
        c.headers["Authorization"] = f"Bearer {app.tokens[who]}"
    return c


def bilingual(r, status: int) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["status"] == status and "Traceback" not in r.text
    assert CJK.search(body["detail_zh"]), body  # never English where Chinese belongs
    assert body["detail_en"] and not CJK.search(body["detail_en"]), body
    return body


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("who, method, path", [
    ("district_a", "GET", "/api/v1/audit"),
    ("guest", "GET", "/api/v1/audit"),
    ("district_a", "POST", "/api/v1/batches/b_x/withdraw"),
    ("guest", "POST", "/api/v1/batches/b_x/withdraw"),  # (monitoring aggregates are every reader's: FIX3-WEB)
    ("guest", "POST", "/api/v1/imports"),
])
def test_a_refused_route_reads_as_an_api_answer_in_both_languages(pg_app, who, method, path, lang):
    """Was: detail_zh "no such page" (English) with lang=en and detail_en null; "没有这个页面" for an API path."""
    c = as_user(pg_app, who)
    r = c.request(method, path, params={"lang": lang}, json={"reason": "x"} if method == "POST" else None)
    body = bilingual(r, 404)
    assert "页面" not in body["detail_zh"] and "page" not in body["detail_en"]
    assert "没有这个资源" in body["detail_zh"] and "not found" in body["detail_en"]
    assert body["detail"] == (body["detail_en"] if lang == "en" else body["detail_zh"])


def test_not_logged_in_is_a_bilingual_401_naming_the_token(pg_app):
    for lang in ("zh", "en"):
        body = bilingual(TestClient(pg_app).get("/api/v1/audit", params={"lang": lang}), 401)
        assert "Authorization: Bearer" in body["detail_zh"] and "Authorization: Bearer" in body["detail_en"]
    body = bilingual(TestClient(pg_app).get("/api/v1/batches", headers={"Authorization": "Bearer zt_nope"}), 401)
    assert "zhizao user token" in body["detail_en"]


def test_enterprise_reads_through_the_api_are_audited_as_exports(pg_app):
    c = as_user(pg_app, "district_a")
    before = len(api.audit_log(pg_app.url, action="export"))
    r = c.get("/api/v1/monitoring/subjects", params={"type": "enterprise", "limit": 10000})
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert items and {i["district"] for i in items} == {DISTRICT_A}
    rows = api.audit_log(pg_app.url, action="export").to_dict("records")
    assert len(rows) == before + 1
    row = rows[0]
    assert (row["actor"], row["role"], row["rows"], row["target"]) == ("district_a", "district", len(items),
                                                                       "api:monitoring/subjects")
    assert "type=enterprise" in row["detail"] and row["ip"]
    one = items[0]["id"]
    assert c.get(f"/api/v1/monitoring/subjects/enterprise/{one}").status_code == 200
    assert api.audit_log(pg_app.url, action="export", limit=1).iloc[0]["target"].endswith(one)
    # aggregates only: nothing to audit
    assert c.get("/api/v1/monitoring/subjects", params={"type": "district"}).status_code == 200
    assert len(api.audit_log(pg_app.url, action="export")) == before + 2


def test_an_unknown_district_code_is_422_naming_it(pg_app):
    body = bilingual(as_user(pg_app, "analyst").get("/api/v1/monitoring/subjects", params={"district": "999999"}), 422)
    assert "999999" in body["detail_zh"] and "999999" in body["detail_en"] and "zhizao user regions" in body["detail_zh"]


def test_a_withdrawal_is_audited_with_role_and_client_address(pg_app):
    c = as_user(pg_app, "analyst")
    text = HEADER + "规上工业总产值,500000,2024,123,亿元,https://example.org/api-withdraw,C,2025-02-01,api-withdraw\n"
    r = c.post("/api/v1/imports", files={"file": ("w.csv", text.encode())})
    assert r.status_code == 201, r.text
    batch = r.json()["batch_id"]
    r = c.post(f"/api/v1/batches/{batch}/withdraw", json={"reason": "口径有误"})
    assert r.status_code == 200, r.text
    row = api.audit_log(pg_app.url, action="withdraw", limit=1).iloc[0]
    assert (row["target"], row["actor"], row["role"]) == (batch, "analyst", "analyst")
    pg_app.last_withdrawal = row


def test_a_withdrawal_on_postgresql_records_the_client_address(pg_app):
    assert pg_app.last_withdrawal["ip"] == "testclient"


def test_a_withdrawal_on_duckdb_records_role_and_client_address(fresh_db):
    """Was: role and ip null (api_v1.withdraw passed only by=user.id)."""
    from webtest_support import csrf_headers

    app = create_app(db=fresh_db, warm=False, allowed_hosts=["testserver"])
    with TestClient(app) as c:
        text = HEADER + "规上工业总产值,500000,2024,321,亿元,https://example.org/api-withdraw-d,C,2025-02-01,w-d\n"
        r = c.post("/api/v1/imports", files={"file": ("w.csv", text.encode())}, headers=csrf_headers(c))
        assert r.status_code == 201, r.text
        batch = r.json()["batch_id"]
        r = c.post(f"/api/v1/batches/{batch}/withdraw", json={"reason": "口径有误"}, headers=csrf_headers(c))
        assert r.status_code == 200, r.text
    row = api.audit_log(fresh_db, action="withdraw", limit=1).iloc[0]
    assert (row["target"], row["actor"], row["role"], row["ip"]) == (batch, "local", "local", "testclient")


def test_audit_entries_give_the_time_with_its_offset_and_details_as_objects(pg_app):
    r = as_user(pg_app, "admin").get("/api/v1/audit", params={"limit": 50})
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert items
    for item in items:
        assert datetime.fromisoformat(item["at"]).utcoffset() is not None, item["at"]
        assert item["detail"] is None or isinstance(item["detail"], dict), item
    assert any(isinstance(i["detail"], dict) for i in items)


def test_every_operation_declares_its_security(pg_app):
    doc = TestClient(pg_app).get("/api/v1/openapi.json").json()
    schemes = set(doc["components"]["securitySchemes"])
    assert schemes == {"bearer", "session"}
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            assert op.get("security"), (method, path)
            named = {k for req in op["security"] for k in req}
            assert named == schemes, (method, path)
            public = {} in op["security"]
            assert public == (method == "get" and not path.startswith("/api/v1/audit")), path


@pytest.mark.parametrize("query", [{"as_of": "0"}, {"as_of": "2024-02-30"}, {"year": "1000"}])
def test_dates_and_years_outside_the_described_bounds_are_422(pg_app, query):
    c = as_user(pg_app, "district_a")
    plan_id = c.get("/api/v1/plans").json()["plans"][0]["id"]
    bilingual(c.get(f"/api/v1/plans/{plan_id}/assessment", params=query), 422)
    doc = c.get("/api/v1/openapi.json").json()
    params = {p["name"]: p for p in doc["paths"]["/api/v1/plans/{plan_id}/assessment"]["get"]["parameters"]}
    year = next(v for v in params["year"]["schema"]["anyOf"] if v.get("type") == "integer")
    assert year["minimum"] > 1000 and year["maximum"] < 9999
    period = next(v for v in doc["paths"]["/api/v1/monitoring/subjects"]["get"]["parameters"] if v["name"] == "period")
    allowed = next(v for v in period["schema"]["anyOf"] if v.get("type") == "string")
    assert "2020-2025" not in allowed.get("enum", []) and (allowed.get("enum") or allowed.get("pattern"))


def test_a_parameter_error_on_imports_still_lists_problems(pg_app):
    r = as_user(pg_app, "analyst").post("/api/v1/imports", params={"lang": "true"},
                                        files={"file": ("x.csv", HEADER.encode())})
    body = bilingual(r, 422)
    assert body["problems"] == []


# --- schemathesis as the reviewer ran it (`st run` with a district token), with the data checks -----
BASE_CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]
# A file's content decides whether it is imported, which no schema can describe: imports get the
# conformance checks (a 422 must list `problems`), the reads also the data acceptance checks.
DATA_CHECKS = [*BASE_CHECKS, negative_data_rejection, positive_data_acceptance]
OPERATIONS = [("GET", "/api/v1/plans/{plan_id}/assessment"), ("GET", "/api/v1/monitoring/subjects"),
              ("GET", "/api/v1/observations"), ("POST", "/api/v1/imports")]


def test_the_api_conforms_with_a_district_token_including_data_acceptance(pg_app):
    """Was: a 422 without `problems` for ?lang=true on imports; as_of=0 accepted; year=1000 and
    period=2020-2025 refused though the description allowed them. Last in this file: schemathesis's
    ASGI client ends the app's lifespan (the accounts pool) when it is done."""
    token = pg_app.tokens["district_a"]
    plan_id = TestClient(pg_app).get("/api/v1/plans").json()["plans"][0]["id"]
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", pg_app)
    for method, path in OPERATIONS:
        operation = schema[path][method]
        overrides = {"plan_id": plan_id} if "{plan_id}" in path else {}
        checks = BASE_CHECKS if method == "POST" else DATA_CHECKS

        @given(case=operation.as_strategy())
        @settings(max_examples=25, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            if overrides:
                case.path_parameters = {**(case.path_parameters or {}), **overrides}
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=checks)
        run()
