"""Shared by the auth and role tests (no tests here): a server-mode app with one user per role."""
from __future__ import annotations

import shutil
import uuid

import psycopg
import pytest
from fastapi.testclient import TestClient

from zhizao.outputs.web.app import create_app
from zhizao.synth import generate

PW = "a long enough password"
DISTRICT_A, DISTRICT_B = "500120", "500107"
USERS = {"admin": ("admin", None), "analyst": ("analyst", None), "district_a": ("district", DISTRICT_A),
         "district_b": ("district", DISTRICT_B), "guest": ("guest", None)}
ANOMALIES = {"sharp_fall": 0.03, "consecutive_decline": 0.02, "stopped_reporting": 0.02,
             "output_power_divergence": 0.02, "district_shock": 1.0, "industry_shift": 0.5}


def module_database(server_url: str):
    name = "zt_" + uuid.uuid4().hex[:12]
    with psycopg.connect(server_url, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    return name, server_url.rsplit("/", 1)[0] + "/" + name


def drop(server_url: str, name: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def auth_synth(tmp_path_factory):
    out = tmp_path_factory.mktemp("auth-synth") / "data"
    generate(300, 36, "2022-01", seed=2, anomalies=ANOMALIES).write(out)
    return out


@pytest.fixture(scope="module")
def server(postgres_server, bundled_db, auth_synth, tmp_path_factory):
    """A server-mode app: a DuckDB store for the data, a fresh PostgreSQL database for the accounts."""
    name, url = module_database(postgres_server)
    db = tmp_path_factory.mktemp("auth-store") / "store.duckdb"
    shutil.copy(bundled_db, db)
    app = create_app(db=db, monitoring_data=auth_synth, warm=False, allowed_hosts=["testserver"], accounts=url)
    for user, (role, region) in USERS.items():
        app.state.accounts.add_user(user, role, PW, region=region)
    app.db = db
    with TestClient(app) as c:
        c.app_ = app
        yield c
    drop(postgres_server, name)


def login(client, username: str, password: str = PW, *, reset: bool = True, **extra):
    """POST /login as a browser does (the CSRF cookie from GET /login). `reset`: forget earlier attempts
    of this test address, which every test client shares (the rate limit is tested on its own)."""
    if reset:
        client.app.state.login_limiter.reset()
    client.get("/login")
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": client.cookies.get("zhizao_csrf"), **extra},
                       follow_redirects=False)


def client_as(app, who: str | None) -> TestClient:
    """A new client (own cookies) logged in as `who` (None: not logged in)."""
    c = TestClient(app)
    if who is not None:
        r = login(c, who)
        assert r.status_code == 303, r.text
    return c
