"""Server mode end to end on PostgreSQL, as deployed: the store AND the accounts in one PostgreSQL
database (create_app(db=URL): no separate accounts URL), one account per role (docs/accounts.md).

Imports through the dashboard (session + CSRF) and through the API (Bearer token, no CSRF) and a
withdrawal are in the audit log — /admin/audit and Store.audit_log — with the user as actor and the
rows; a district user's file with another district's row is refused whole; a guest cannot upload
and sees no enterprise rows; a disabled user is out at once (session and token); `zhizao backup` then
`zhizao restore` into a fresh database keeps the accounts (users log in) and the whole audit log.
Then schemathesis on /api/v1 with an analyst's token.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (content_type_conformance, not_a_server_error, response_schema_conformance,
                                 status_code_conformance)

from zhizao import api
from zhizao.outputs.web.app import create_app

from test_web_auth_support import DISTRICT_A, DISTRICT_B, PW, USERS, auth_synth, drop, login, module_database  # noqa: F401

ZHIZAO = str(Path(sys.executable).parent / "zhizao")
HEADER = "series,region,period,value,unit,source_url,grade,vintage,quote\n"


def row(region: str, value: int, tag: str) -> str:
    return f"规上工业总产值,{region},2024,{value},亿元,https://example.org/server-mode/{tag},C,2025-02-01,{tag}\n"


@pytest.fixture(scope="module")
def pg_app(postgres_server, auth_synth):
    """The app as `zhizao serve` makes it with ZHIZAO_DB=postgresql://…: store and accounts in one database."""
    name, url = module_database(postgres_server)
    app = create_app(db=url, monitoring_data=auth_synth, warm=False, allowed_hosts=["testserver"])
    assert app.state.accounts is not None  # server mode without naming the accounts separately
    for user, (role, region) in USERS.items():
        app.state.accounts.add_user(user, role, PW, region=region)
    app.url = url
    with TestClient(app):
        yield app
    drop(postgres_server, name)


def session(app, who: str | None) -> TestClient:
    c = TestClient(app)
    if who is not None:
        assert login(c, who).status_code == 303
    return c


def upload(c: TestClient, name: str, text: str, headers: dict | None = None):
    if headers is None:
        c.get("/data?format=json")  # the CSRF cookie
        headers = {"X-CSRF-Token": c.cookies["zhizao_csrf"]}
    return c.post("/data/upload?format=json", files={"file": (name, text.encode())}, headers=headers)


def audit_rows(app, **where) -> list[dict]:
    return api.audit_log(app.url, **where).to_dict("records")


def counts(app) -> dict:
    with api.open_store(app.url) as store:
        return store.counts()


# --- imports and withdrawals in the audit log, with the user as actor -------------------------------
def test_a_dashboard_import_is_audited_with_the_user_as_actor(pg_app):
    c = session(pg_app, "analyst")
    r = upload(c, "dash.csv", HEADER + row("500000", 5101, "dash-1") + row(DISTRICT_A, 5102, "dash-2"))
    assert r.status_code == 200 and r.json()["upload"]["ok"], r.text[-800:]
    batch = r.json()["upload"]["summary"]["batch_id"]
    [entry] = [a for a in audit_rows(pg_app, action="import") if a["target"] == batch]
    assert entry["rows"] == 2 and entry["actor"] == "analyst" and entry["role"] == "analyst"
    page = session(pg_app, "admin").get("/admin/audit?format=json&action=import").json()
    assert any(a["target"] == batch and a["actor"] == "analyst" for a in page["rows"])


def test_an_api_import_with_a_token_needs_no_csrf_and_is_audited_with_the_user(pg_app):
    token = pg_app.state.accounts.create_token("analyst", name="api-import")
    c = TestClient(pg_app)  # no cookies at all: no CSRF token either
    r = c.post("/api/v1/imports", files={"file": ("api.csv", (HEADER + row("500000", 5201, "api-1")).encode())},
               headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 201, r.text
    batch = r.json()["batch_id"]
    [entry] = [a for a in audit_rows(pg_app, action="import") if a["target"] == batch]
    assert entry["rows"] == 1 and entry["actor"] == "analyst"


def test_an_api_import_without_a_valid_token_or_csrf_is_refused_and_writes_nothing(pg_app):
    before = counts(pg_app)
    c = TestClient(pg_app)
    body = {"file": ("api.csv", (HEADER + row("500000", 5301, "api-refused")).encode())}
    assert c.post("/api/v1/imports", files=body).status_code == 401  # nobody: login first
    assert c.post("/api/v1/imports", files=body, headers={"Authorization": "Bearer zt_forged"}).status_code == 401
    s = session(pg_app, "analyst")  # a session without the CSRF token
    assert s.post("/api/v1/imports", files=body).status_code == 403
    assert counts(pg_app) == before


def test_a_withdrawal_through_the_api_is_audited_with_the_user_and_rows(pg_app):
    token = pg_app.state.accounts.create_token("admin", name="withdraw")
    auth = {"Authorization": f"Bearer {token}"}
    c = TestClient(pg_app)
    made = c.post("/api/v1/imports", files={"file": ("w.csv", (HEADER + row("500000", 5401, "w-1")
                                                             + row("500000", 5402, "w-2").replace("2024", "2023")).encode())},
                  headers=auth)
    assert made.status_code == 201, made.text
    batch = made.json()["batch_id"]
    r = c.post(f"/api/v1/batches/{batch}/withdraw", json={"reason": "录入错误"}, headers=auth)
    assert r.status_code == 200 and r.json()["withdrawn_at"], r.text
    [entry] = [a for a in audit_rows(pg_app, action="withdraw") if a["target"] == batch]
    assert entry["actor"] == "admin" and entry["rows"] == 2 and "录入错误" in (entry["detail"] or "")
    page = session(pg_app, "admin").get("/admin/audit?format=json&action=withdraw").json()
    assert any(a["target"] == batch and a["actor"] == "admin" for a in page["rows"])
    # nothing is lost: the withdrawn batch stays recorded, with who and why
    listed = {b["batch_id"]: b for b in c.get("/api/v1/batches", headers=auth).json()["batches"]}
    assert listed[batch]["withdrawn_by"] == "admin" and listed[batch]["withdrawal_reason"] == "录入错误"
    assert c.post(f"/api/v1/batches/{batch}/withdraw", json={"reason": "x"}, headers=auth).status_code == 409


# --- scope ------------------------------------------------------------------------------------------
def test_a_district_users_upload_with_another_districts_row_is_refused_whole(pg_app):
    before = counts(pg_app)
    c = session(pg_app, "district_a")
    r = upload(c, "mixed.csv", HEADER + row(DISTRICT_A, 5501, "mine") + row(DISTRICT_B, 5502, "theirs"))
    up = r.json()["upload"]
    assert r.status_code == 422 and not up["ok"]
    assert [(p["row"], p["code"]) for p in up["problems"]] == [(3, "region_not_allowed")]
    assert counts(pg_app) == before
    refused = [a for a in audit_rows(pg_app, action="upload_refused") if a["target"] == "mixed.csv"]
    assert refused and refused[0]["actor"] == "district_a"
    ok = upload(c, "mine.csv", HEADER + row(DISTRICT_A, 5503, "mine-only"))
    assert ok.json()["upload"]["ok"], ok.text[-800:]
    # and through the API with the district user's token: the same rule
    token = pg_app.state.accounts.create_token("district_a", name="scope")
    api_r = TestClient(pg_app).post("/api/v1/imports", headers={"Authorization": f"Bearer {token}"},
                                    files={"file": ("m.csv", (HEADER + row(DISTRICT_B, 5504, "api-theirs")).encode())})
    assert api_r.status_code == 422 and api_r.json()["problems"][0]["code"] == "region_not_allowed"


def test_a_guest_cannot_upload_and_sees_no_enterprise_rows(pg_app):
    before = counts(pg_app)
    anon = TestClient(pg_app)
    anon.get("/data")
    r = anon.post("/data/upload", files={"file": ("g.csv", (HEADER + row("500000", 1, "g")).encode())},
                  headers={"X-CSRF-Token": anon.cookies["zhizao_csrf"]})
    assert r.status_code == 401 and "/login?next=" in r.text and 'id="login-button"' in r.text
    guest = session(pg_app, "guest")
    assert upload(guest, "g.csv", HEADER + row("500000", 1, "g")).status_code == 404
    assert counts(pg_app) == before
    for path in (f"/monitoring/district/{DISTRICT_A}?format=json", "/monitoring/brief?format=json"):
        assert guest.get(path).status_code in (401, 404), path
    # the API's monitoring aggregates are every reader's (FIX3-WEB); its enterprise rows are none of a guest's
    assert guest.get("/api/v1/monitoring/subjects?type=enterprise").json()["items"] == []
    subjects = guest.get("/api/v1/monitoring/subjects?limit=10000")
    if subjects.status_code == 200:
        assert not [s for s in subjects.json()["items"] if s["subject_type"] == "enterprise"]
    overview = guest.get("/monitoring?format=json")
    assert overview.status_code == 200 and '"enterprise_id"' not in overview.text.replace('"enterprise_id": null', "")


def test_a_disabled_users_session_and_token_stop_at_once(pg_app):
    accounts = pg_app.state.accounts
    accounts.add_user("leaving", "analyst", PW)
    token = accounts.create_token("leaving", name="t")
    c = session(pg_app, "leaving")
    bearer = TestClient(pg_app)
    auth = {"Authorization": f"Bearer {token}"}
    assert c.get(f"/monitoring/district/{DISTRICT_A}?format=json").status_code == 200
    assert bearer.get("/api/v1/batches", headers=auth).status_code == 200
    subprocess.run([ZHIZAO, "user", "disable", "leaving"], env={**os.environ, "ZHIZAO_DB": pg_app.url},
                   check=True, capture_output=True, timeout=120)  # by the CLI, as an administrator does
    assert c.get(f"/monitoring/district/{DISTRICT_A}?format=json").status_code == 401
    assert bearer.get("/api/v1/batches", headers=auth).status_code == 401
    assert upload(c, "late.csv", HEADER + row("500000", 1, "late")).status_code in (401, 403)
    assert login(TestClient(pg_app), "leaving").status_code == 403


# --- backup and restore -----------------------------------------------------------------------------
def test_backup_then_restore_into_a_fresh_database_keeps_accounts_and_the_audit_log(pg_app, postgres_server,
                                                                                     tmp_path):
    session(pg_app, "admin").get("/data?table=observations&format=csv")  # an export: one more audit row
    pg_app.state.accounts.add_user("gone", "analyst", PW)
    pg_app.state.accounts.set_disabled("gone", True)
    archive = tmp_path / "zhizao.zip"
    env = {**os.environ, "ZHIZAO_DB": pg_app.url}
    out = subprocess.run([ZHIZAO, "backup", "--out", str(archive)], env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    before = audit_rows(pg_app)
    name, target = module_database(postgres_server)
    try:
        out = subprocess.run([ZHIZAO, "restore", str(archive), "--db", target], env=env, capture_output=True,
                             text=True, timeout=300)
        assert out.returncode == 0, out.stderr + out.stdout
        after = api.audit_log(target).to_dict("records")
        def key(a: dict) -> tuple:
            return tuple(None if pd.isna(a[k]) else str(a[k]) for k in ("at", "actor", "action", "target", "rows"))

        assert {key(a) for a in before} <= {key(a) for a in after}
        assert any(a["action"] == "restore" for a in after)
        assert counts(pg_app) == counts(SimpleApp(target))
        restored = create_app(db=target, warm=False, allowed_hosts=["testserver"])
        with TestClient(restored):
            for who in ("admin", "district_a"):
                c = TestClient(restored)
                assert login(c, who).status_code == 303, who
            assert c.get(f"/monitoring/district/{DISTRICT_B}?format=json").status_code == 404  # scope kept
            assert login(TestClient(restored), "gone").status_code == 403  # still disabled
        restored.state.accounts.close()
    finally:
        drop(postgres_server, name)


class SimpleApp:
    def __init__(self, url: str):
        self.url = url


# --- schemathesis in server mode ---------------------------------------------------------------------
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]


def test_the_api_conforms_in_server_mode_with_an_analysts_token(pg_app):
    token = pg_app.state.accounts.create_token("analyst", name="schemathesis")
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", pg_app)
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 12
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=4, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
        run()


def test_zhizao_db_naming_postgresql_is_server_mode_without_naming_the_accounts(pg_app, monkeypatch):
    """`zhizao serve` calls create_app(db=None) and the store comes from ZHIZAO_DB: that URL must make
    the server mode (login required), not a local single-user dashboard on the shared database."""
    monkeypatch.setenv("ZHIZAO_DB", pg_app.url)
    app = create_app(warm=False, allowed_hosts=["testserver"])
    try:
        assert app.state.accounts is not None
        c = TestClient(app)
        assert c.get(f"/monitoring/district/{DISTRICT_A}").status_code == 401
        assert login(c, "analyst").status_code == 303
    finally:
        app.state.accounts.close()
