"""`zhizao serve --forwarded-allow-ips` (docs/deployment.md §4, §6): in the container nginx's requests
come from the bridge gateway, not 127.0.0.1. Was: uvicorn trusted forwarded headers from 127.0.0.1 only,
so every client had the gateway's address (one city-wide login limit, the gateway in every audit row,
cookies never Secure). The app is driven through the uvicorn configuration `serve` builds (its
ProxyHeadersMiddleware), from the address the proxy would have."""
from __future__ import annotations

import pytest
import uvicorn
from fastapi.testclient import TestClient

from zhizao.outputs.web import cli as web_cli
from zhizao.outputs.web.security import LOGIN_ATTEMPTS
from zhizao.store.accounts import Accounts

from tests.outputs.cli_support import run_main

GATEWAY = ("10.88.0.1", 41000)  # podman's default bridge gateway: where nginx's requests come from
PW = "a long enough password"


@pytest.fixture
def serve(pg_url, tmp_path, capsys, monkeypatch):
    """`zhizao serve ARGS` up to the point of listening: (exit code, stdout, stderr, uvicorn Config)."""
    configs = []
    # Instead of listening: the configuration uvicorn.run would serve with (the same Config it builds).
    monkeypatch.setattr(uvicorn, "run", lambda application, **kw: configs.append(uvicorn.Config(application, **kw)))
    monkeypatch.setattr(web_cli, "_port_free", lambda host, port: True)
    monkeypatch.chdir(tmp_path)
    for name in ("ZHIZAO_FORWARDED_ALLOW_IPS", "FORWARDED_ALLOW_IPS", "ZHIZAO_DB"):
        monkeypatch.delenv(name, raising=False)

    def run(*args):
        code, out, err = run_main(["serve", "--db", pg_url, "--port", "8765", *args], capsys, monkeypatch)
        return code, out, err, (configs[-1] if configs and code == 0 else None)
    return run


def _client(config) -> TestClient:
    config.load()
    return TestClient(config.loaded_app, client=GATEWAY, base_url="http://localhost")


def _first_cookie(config) -> str:
    """The Set-Cookie of a first visit (no cookie yet) that says it came over https."""
    with TestClient(config.loaded_app, client=GATEWAY, base_url="http://localhost") as c:
        r = c.get("/login", headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"})
    return r.headers["set-cookie"]


def _fail_login(c: TestClient, address: str, proto: str = "http"):
    headers = {"X-Forwarded-For": address, "X-Forwarded-Proto": proto}
    c.get("/login", headers=headers)
    return c.post("/login", data={"username": "ana", "password": "not the password",
                                  "csrf_token": c.cookies.get("zhizao_csrf")}, headers=headers, follow_redirects=False)


def test_the_allowed_proxys_forwarded_address_is_the_client(serve, pg_url):
    code, out, err, config = serve("--forwarded-allow-ips", "10.88.0.0/16")
    assert code == 0, err
    assert "10.88.0.0/16" in out
    assert "zhizao user add" in err  # no account yet: how to create the first administrator
    with Accounts(pg_url) as a:
        a.add_user("ana", "analyst", PW)
    with _client(config) as c:
        codes = [_fail_login(c, "203.0.113.5").status_code for _ in range(LOGIN_ATTEMPTS + 1)]
        assert codes[-1] == 429 and codes[0] == 401
        assert _fail_login(c, "203.0.113.6").status_code == 401  # another client is not shut out
    assert "secure" in _first_cookie(config).lower()  # nginx said https
    with Accounts(pg_url) as a:
        rows, _ = a.audit_log(action="login_failed", limit=100)
    assert {r["ip"] for r in rows} == {"203.0.113.5", "203.0.113.6"}


def test_the_environment_sets_it_too(serve, monkeypatch):
    monkeypatch.setenv("ZHIZAO_FORWARDED_ALLOW_IPS", "10.88.0.1")
    code, _, err, config = serve()
    assert code == 0, err
    assert config.forwarded_allow_ips == "10.88.0.1"


def test_without_it_a_forged_header_from_elsewhere_is_ignored(serve, pg_url):
    code, _, err, config = serve()
    assert code == 0, err
    with Accounts(pg_url) as a:
        a.add_user("ana", "analyst", PW)
    with _client(config) as c:
        assert _fail_login(c, "203.0.113.5").status_code == 401
    assert "secure" not in _first_cookie(config).lower()  # a forged https from elsewhere
    with Accounts(pg_url) as a:
        rows, _ = a.audit_log(action="login_failed")
    assert [r["ip"] for r in rows] == [GATEWAY[0]]


@pytest.mark.parametrize("value", ["nginx", "10.88.0.0/99", "1.2.3"])
def test_a_value_that_is_no_address_is_refused(serve, value):
    code, _, err, _ = serve("--forwarded-allow-ips", value)
    assert code == 2 and value in err and "IP" in err and "Traceback" not in err
