"""One authorisation point (auth.authorize on every router), login, sessions, CSRF, rate limit, tokens, audit."""
from __future__ import annotations

import re

import pytest
from fastapi import HTTPException
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount

from zhizao.outputs.web import api_v1
from zhizao.outputs.web.app import PLAN_PREFIX, PLAN_ROUTERS, ROUTERS, create_app
from zhizao.outputs.web.auth import GUEST, LOCAL, ROUTE_PERMISSIONS, SESSION_COOKIE, User, app_routes, current_user
from zhizao.outputs.web.security import LOGIN_ATTEMPTS, RateLimiter
from zhizao.store import accounts as acc

from test_web_auth_support import DISTRICT_A, DISTRICT_B, PW, auth_synth, client_as, login, server  # noqa: F401
from webtest_support import GOOD_CSV

CJK = re.compile(r"[\u4e00-\u9fff]")
# Values for the path parameters of the page routes, to reach every route with a real URL.
SAMPLE = {"plan_id": "chongqing-manufacturing-2021-2025", "indicator_id": "software_revenue", "kind": "cluster", "item_id": "automotive", "name": "observations",
          "adcode": "500112", "subject_type": "district", "subject_id": "500112", "batch_id": "b_1",
          "chain_id": "nev", "link_id": "power_battery",  # issue 12: the chain pages
          "enterprise_id": "91500000MA0000001X", "park_id": "P1",  # issue 13: the enterprise pages
          "project_id": "P1", "problem_id": "Q1"}  # issue 14: the delivery pages


def every_route() -> list[tuple[str, str]]:
    """(method, url) for every route of every page module: new routes are covered automatically."""
    out = []
    for router in ROUTERS:
        for r in router.routes:
            assert isinstance(r, APIRoute)
            out += [(m, r.path.format(**SAMPLE)) for m in sorted(r.methods)]
            if router in PLAN_ROUTERS:  # the same pages under each plan's prefix
                out += [(m, (PLAN_PREFIX + r.path).format(**SAMPLE)) for m in sorted(r.methods)]
    for r in api_v1.router.routes:  # the JSON API, behind the same point
        out += [(m, r.path.format(**SAMPLE)) for m in sorted(r.methods)]
    return out


def test_the_app_serves_only_the_page_routers_and_static(shared_app):
    # Every route reaches the app through include_router(..., dependencies=[Depends(authorize), …]);
    # anything else would be a route outside the authorisation point.
    page_routes = sum(len(r.routes) for r in ROUTERS) + sum(len(r.routes) for r in PLAN_ROUTERS)
    others = [r for r in shared_app.routes if not (isinstance(r, Mount) and r.path == "/static")]
    # + the JSON API (behind the same point) and /health (no login, no data: api_v1.NO_LOGIN)
    assert len(others) == len(ROUTERS) + len(PLAN_ROUTERS) + 2
    assert len(app_routes(shared_app)) >= page_routes > 20


def test_every_route_has_a_policy_entry(shared_app):
    """A new route without an entry in auth.ROUTE_PERMISSIONS fails here (and is refused at run time)."""
    missing = [key for key in app_routes(shared_app) if key not in ROUTE_PERMISSIONS]
    assert missing == []


def test_a_route_without_an_entry_is_closed(bundled_db, monkeypatch):
    import zhizao.outputs.web.auth as auth

    monkeypatch.delitem(auth.ROUTE_PERMISSIONS, ("GET", "/p/{plan_id}/plan"))
    c = TestClient(create_app(db=bundled_db, warm=False, allowed_hosts=["testserver"]))
    assert c.get("/plan").status_code == 200
    assert c.get(f"/p/{SAMPLE['plan_id']}/plan").status_code == 404


@pytest.fixture(scope="module")
def refusing_client(tmp_path_factory, bundled_db):
    app = create_app(db=bundled_db, warm=False, allowed_hosts=["testserver"])

    def refuse():
        raise HTTPException(403, "refused by the test")

    app.dependency_overrides[current_user] = refuse
    with TestClient(app) as c:
        yield c


@pytest.mark.parametrize("method,url", every_route())
def test_refusal_at_the_one_point_closes_every_route(refusing_client, method, url):
    kwargs = {"files": {"file": ("x.csv", b"a,b\n")}} if method == "POST" else {}
    assert refusing_client.request(method, url, **kwargs).status_code == 403
    assert refusing_client.request(method, url + "?format=json", **kwargs).status_code == 403


def test_static_files_carry_no_data_and_stay_public(refusing_client):
    assert refusing_client.get("/static/app.css").status_code == 200
    assert refusing_client.get("/static/vendor/echarts/echarts.min.js").status_code == 200


# --- local mode ------------------------------------------------------------------------------------
def test_local_mode_is_one_user_who_may_do_everything_and_says_so(client):
    assert client.app.state.accounts is None
    assert LOCAL.can_see_region("500112") and all(LOCAL.can(p) for p in set(ROUTE_PERMISSIONS.values()))
    html = client.get("/plan").text
    assert "本机单用户模式（无账户）" in html and 'id="logout"' not in html
    assert "single-user local mode (no accounts)" in client.get("/plan?lang=en").text
    assert 'id="login-form"' not in client.get("/login").text


def test_row_scope_of_the_user_kinds():
    import pandas as pd

    obs = pd.DataFrame({"region": ["500112", "500101", "500000"], "enterprise_id": ["e1", "e2", None]})
    yubei = User(id="yubei", level="district", region="500112", role="district")
    assert yubei.visible(obs)["region"].tolist() == ["500112", "500000"]
    assert not yubei.can_see_region("500101") and yubei.can_see_region("500112")
    assert GUEST.visible(obs)["region"].tolist() == ["500000"] and not GUEST.can_see_region("500112")
    assert not GUEST.can_see_region(None)


# --- server mode: login, sessions, CSRF --------------------------------------------------------------
def test_login_sets_a_safe_cookie_rotates_it_and_logout_ends_it(server):
    app = server.app_
    c = TestClient(app)
    r = login(c, "analyst")
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax") and "Secure" not in cookie
    first = c.cookies[SESSION_COOKIE]
    assert c.get("/data?format=json").status_code == 200
    html = c.get("/plan").text
    assert "analyst" in html and "市级分析员" in html and 'id="logout"' in html and "本机单用户模式" not in html
    # a second login replaces the session id; the old one no longer works
    assert login(c, "analyst").status_code == 303
    second = c.cookies[SESSION_COOKIE]
    assert second != first and app.state.accounts.session_account(first) is None
    # logout needs the CSRF token
    assert c.post("/logout", follow_redirects=False).status_code == 403
    r = c.post("/logout", data={"csrf_token": c.cookies["zhizao_csrf"]}, follow_redirects=False)
    assert r.status_code == 303 and app.state.accounts.session_account(second) is None
    assert c.get(f"/monitoring/district/{DISTRICT_A}").status_code == 401


def test_secure_cookie_when_asked(server, monkeypatch):
    monkeypatch.setenv("ZHIZAO_SECURE_COOKIES", "1")
    r = login(TestClient(server.app_), "analyst")
    assert "Secure" in r.headers["set-cookie"]


def test_login_without_the_csrf_token_is_refused(server):
    c = TestClient(server.app_)
    c.get("/login")
    r = c.post("/login", data={"username": "analyst", "password": PW}, follow_redirects=False)
    assert r.status_code == 403 and SESSION_COOKIE not in c.cookies


def test_unknown_user_and_wrong_password_get_the_same_answer(server):
    c = TestClient(server.app_)
    a = login(c, "nobody-here", "whatever password")
    b = login(c, "guest", "the wrong password")
    assert a.status_code == b.status_code == 401
    assert a.text.replace("nobody-here", "X") == b.text.replace("guest", "X")
    assert "用户名或密码不正确" in a.text


def test_a_locked_account_answers_as_a_wrong_password_and_so_does_an_unknown_name(server):
    """Lock-out does not tell which names exist: after LOCK_AFTER failures an account and a name that is
    no account answer alike (401, one message naming both causes), even with the right password."""
    app = server.app_
    app.state.accounts.add_user("locky", "analyst", PW)
    c = TestClient(app)
    answers = {}
    for name in ("locky", "no-such-locky"):
        for _ in range(acc.LOCK_AFTER):
            assert login(c, name, "wrong password 1").status_code == 401
        answers[name] = login(c, name, PW if name == "locky" else "wrong password 1")
    locked, unknown = answers["locky"], answers["no-such-locky"]
    assert locked.status_code == unknown.status_code == 401 and SESSION_COOKIE not in c.cookies
    assert locked.text.replace("no-such-locky", "X").replace("locky", "X") == \
        unknown.text.replace("no-such-locky", "X").replace("locky", "X")
    assert "用户名或密码不正确，或账户因多次失败已暂时锁定（15 分钟后再试" in locked.text
    assert "该账户因多次登录失败已暂时锁定" not in locked.text
    # the first failure's answer is the same too
    assert login(c, "guest", "the wrong password").text.replace("guest", "X") == locked.text.replace("locky", "X")
    for name in ("locky", "no-such-locky"):
        log, _ = app.state.accounts.audit_log(actor=name)
        assert [r["action"] for r in log].count("lockout") == 1, name
    assert app.state.accounts.authenticate("no-such-locky", "x").outcome == "locked"


def test_login_attempts_are_rate_limited_per_address(server):
    c = TestClient(server.app_)
    server.app_.state.login_limiter.reset()
    codes = [login(c, "nobody", "wrong password", reset=False).status_code for _ in range(LOGIN_ATTEMPTS + 1)]
    assert codes[:-1] == [401] * LOGIN_ATTEMPTS and codes[-1] == 429
    r = login(c, "analyst", reset=False)  # even the right password waits
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    log, _ = server.app_.state.accounts.audit_log(action="login_rate_limited")
    assert {"nobody", "analyst"} <= {row["actor"] for row in log}  # refused attempts are recorded
    server.app_.state.login_limiter.reset()


def test_successful_logins_do_not_count_towards_the_rate_limit(server):
    """An office behind one address logs in many times: only failures count."""
    c = TestClient(server.app_)
    server.app_.state.login_limiter.reset()
    assert [login(c, "analyst", reset=False).status_code for _ in range(LOGIN_ATTEMPTS + 5)] == \
        [303] * (LOGIN_ATTEMPTS + 5)
    server.app_.state.login_limiter.reset()


def test_a_login_name_is_cut_to_the_user_name_limit(server):
    c = TestClient(server.app_)
    long_name = "x" * 199 + "Z"
    assert login(c, long_name, "whatever password").status_code == 401
    log, _ = server.app_.state.accounts.audit_log(action="login_failed", actor="x" * acc.MAX_USERNAME)
    assert log and all(len(r["actor"]) == acc.MAX_USERNAME == 64 for r in log)


def test_the_rate_limiter_window_slides():
    now = [0.0]
    rl = RateLimiter(limit=2, window=10, clock=lambda: now[0])
    assert rl.hit("a") == 0 and rl.hit("a") == 0 and rl.hit("a") == 10 and rl.hit("b") == 0
    now[0] = 10.5
    assert rl.hit("a") == 0
    assert rl.wait("c") == 0 and rl.wait("c") == 0  # asking records nothing; only fail() does
    rl.fail("c"), rl.fail("c")
    assert rl.wait("c") == 10


def test_next_only_goes_to_this_site(server):
    c = TestClient(server.app_)
    assert login(c, "analyst", next="//evil.example/x").headers["location"] == "/"
    assert login(c, "analyst", next="https://evil.example/").headers["location"] == "/"
    assert login(c, "analyst", next="/monitoring?period=2024-06").headers["location"] == "/monitoring?period=2024-06"


def test_a_disabled_user_is_out_at_once(server):
    app = server.app_
    app.state.accounts.add_user("soon-gone", "district", PW, region=DISTRICT_A)
    c = client_as(app, "soon-gone")
    assert c.get(f"/monitoring/district/{DISTRICT_A}?format=json").status_code == 200
    app.state.accounts.set_disabled("soon-gone", True)
    assert c.get(f"/monitoring/district/{DISTRICT_A}?format=json").status_code == 401
    assert "停用" in login(TestClient(app), "soon-gone").text


def test_anonymous_gets_401_with_a_login_button_logged_in_roles_404(server):
    anon = TestClient(server.app_)
    r = anon.get(f"/monitoring/district/{DISTRICT_A}")
    assert r.status_code == 401
    button = f'<a id="login-button" class="button" href="/login?next=%2Fmonitoring%2Fdistrict%2F{DISTRICT_A}">登录</a>'
    assert button in r.text
    detail = r.text.split('id="error-detail">', 1)[1].split("<", 1)[0]
    assert "/login" not in detail and "请先登录" in detail  # the address is the button's, not text
    assert "Log in</a>" in anon.get("/admin/audit?lang=en").text
    assert anon.get("/admin/audit?format=json").status_code == 401
    guest = client_as(server.app_, "guest")
    assert guest.get(f"/monitoring/district/{DISTRICT_A}").status_code == 404
    assert client_as(server.app_, "analyst").get("/admin/audit?format=json").status_code == 404


def test_refusals_carry_both_languages_and_answer_in_the_requests(server):
    """auth.Refused: .zh and .en for the API's error handler; the detail in the request's language."""
    from zhizao.outputs.web.auth import Refused, login_required, not_visible

    for e in (login_required("en"), not_visible("zh")):
        assert isinstance(e, Refused) and e.zh and e.en and not CJK.search(e.en) and CJK.search(e.zh)
    assert login_required("en").detail == login_required("zh").en
    anon = TestClient(server.app_)
    en = anon.get("/admin/audit?format=json&lang=en").json()["detail"]
    zh = anon.get("/admin/audit?format=json&lang=zh").json()["detail"]
    assert not CJK.search(en) and "log in" in en.lower()
    assert CJK.search(zh) and "log in" not in zh.lower()
    analyst = client_as(server.app_, "analyst")
    assert analyst.get("/admin/audit?format=json&lang=en").json()["detail"] == "no such page"
    assert analyst.get("/admin/audit?format=json&lang=zh").json()["detail"] == "没有这个页面"


def test_both_cookies_are_secure_over_https(server):
    """Behind TLS (the scheme is https: uvicorn --proxy-headers reads X-Forwarded-Proto) the CSRF cookie
    is Secure by the session cookie's rule; over plain http neither is (without ZHIZAO_SECURE_COOKIES)."""
    https = TestClient(server.app_, base_url="https://testserver")
    page = https.get("/login")
    assert "zhizao_csrf=" in page.headers["set-cookie"] and "Secure" in page.headers["set-cookie"]
    r = https.post("/login", data={"username": "analyst", "password": PW, "csrf_token": https.cookies["zhizao_csrf"]},
                   headers={"Origin": "https://testserver"}, follow_redirects=False)
    assert r.status_code == 303 and "Secure" in r.headers["set-cookie"]
    plain = TestClient(server.app_).get("/login")
    assert "zhizao_csrf=" in plain.headers["set-cookie"] and "Secure" not in plain.headers["set-cookie"]


# --- API tokens ---------------------------------------------------------------------------------------
def test_bearer_token_authenticates_and_alone_skips_csrf(server):
    app = server.app_
    token = app.state.accounts.create_token("analyst", name="t")
    c = TestClient(app)
    auth = {"Authorization": f"Bearer {token}"}
    assert c.get(f"/monitoring/district/{DISTRICT_B}?format=json", headers=auth).status_code == 200
    up = c.post("/data/upload?format=json", headers=auth, files={"file": ("x.txt", b"hello")})
    assert up.status_code == 422 and up.json()["upload"]["problems"][0]["code"] == "unsupported_file"  # past CSRF
    bad = {"Authorization": "Bearer zt_not-a-token"}
    assert c.get("/plan?format=json", headers=bad).status_code == 401
    assert c.post("/data/upload?format=json", headers=bad, files={"file": ("x.txt", b"hi")}).status_code in (401, 403)
    # a session cookie is no substitute for the token: without CSRF token the upload is refused
    s = client_as(app, "analyst")
    assert s.post("/data/upload?format=json", files={"file": ("x.txt", b"hi")}).status_code == 403
    app.state.accounts.revoke_tokens("analyst", name="t")
    assert c.get("/plan?format=json", headers=auth).status_code == 401


# --- uploads and audit ----------------------------------------------------------------------------
def test_a_district_users_file_with_another_regions_rows_is_refused_whole(server):
    from webtest_support import store_counts

    before = store_counts(server.app_.db)
    c = client_as(server.app_, "district_a")
    r = c.post("/data/upload?format=json", files={"file": ("mixed.csv", GOOD_CSV.encode())},
               headers={"X-CSRF-Token": c.cookies["zhizao_csrf"]})
    up = r.json()["upload"]
    assert r.status_code == 422 and not up["ok"]
    assert {p["row"] for p in up["problems"]} == {2, 3} and all(p["code"] == "region_not_allowed" for p in up["problems"])
    assert store_counts(server.app_.db) == before
    mine = GOOD_CSV.splitlines()[0] + "\n" + "规上工业总产值,500120,2024,600,亿元,https://example.org/t/bs,C,2025-02-01,x\n"
    r = c.post("/data/upload?format=json", files={"file": ("mine.csv", mine.encode())},
               headers={"X-CSRF-Token": c.cookies["zhizao_csrf"]})
    assert r.json()["upload"]["ok"], r.json()
    assert client_as(server.app_, "guest").post("/data/upload?format=json", files={"file": ("m.csv", b"x")},
                                                 headers={"X-CSRF-Token": "x" * 30}).status_code in (403, 404)


def test_the_audit_page_shows_logins_and_exports_filtered_and_paged(server):
    app = server.app_
    c = client_as(app, "admin")
    assert c.get("/data?table=observations&format=csv").status_code == 200
    j = c.get("/admin/audit?format=json&action=export").json()
    assert j["total"] >= 1 and all(r["action"] == "export" for r in j["rows"])
    assert j["rows"][0]["actor"] == "admin" and j["rows"][0]["rows"] > 0 and j["rows"][0]["ip"]
    logins = c.get("/admin/audit?format=json&actor=admin&action=login").json()
    assert logins["total"] >= 1
    html = c.get("/admin/audit").text
    assert 'id="audit"' in html and "登录" in html
    for i in range(60):
        app.state.accounts.audit("bulk", "edit", f"t{i}")
    p1 = c.get("/admin/audit?format=json&actor=bulk").json()
    assert p1["total"] == 60 and len(p1["rows"]) == 50 and p1["next_url"]
    p2 = c.get(p1["next_url"] + "&format=json").json()
    assert len(p2["rows"]) == 10 and p2["prev_url"]


def test_login_page_in_english_and_on_a_phone(server):
    c = TestClient(server.app_)
    html = c.get("/login?lang=en").text
    assert 'id="login-form"' in html and "Log in" in html and "User name" in html
    assert 'name="viewport"' in html
