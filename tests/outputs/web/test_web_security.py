"""Browser security without a browser: CSRF (token and same origin), security headers, the Host
check, escaping of data in chart JSON, the upload's file name and temporary path."""
from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from zhizao.outputs.web.app import create_app
from zhizao.outputs.web.security import CSP, host_name

from webtest_support import GOOD_CSV, csrf_headers, store_counts


def _upload(client, name="good.csv", content=GOOD_CSV.encode(), headers=None, data=None, fmt="json"):
    return client.post(f"/data/upload?format={fmt}", files={"file": (name, content, "text/csv")},
                       headers=headers or {}, data=data or {})


# --- CSRF ---------------------------------------------------------------------------------------
def test_cross_origin_upload_is_refused_even_with_the_token(fresh_client):
    before = store_counts(fresh_client.db)
    token = csrf_headers(fresh_client)
    for origin in ("https://evil.example", "null", "http://testserver.evil.example"):
        r = _upload(fresh_client, headers={**token, "Origin": origin})
        assert r.status_code == 403, origin
        assert "跨站请求被拒绝" in r.json()["detail"] and "cross-site request refused" in r.json()["detail"]
    r = _upload(fresh_client, headers={**token, "Referer": "https://evil.example/page.html"})
    assert r.status_code == 403
    assert store_counts(fresh_client.db) == before


def test_upload_without_or_with_a_wrong_token_is_refused(fresh_client):
    before = store_counts(fresh_client.db)
    fresh_client.get("/data")  # the cookie alone is not enough: a cross-site form would send it too
    assert _upload(fresh_client).status_code == 403
    assert _upload(fresh_client, headers={"Origin": "http://testserver"}).status_code == 403
    r = _upload(fresh_client, headers={"X-CSRF-Token": "A" * 43}, fmt="html")
    assert r.status_code == 403 and "CSRF" in r.text and "刷新" in r.text and "<html" in r.text
    fresh_client.cookies.clear()  # a token but no cookie (another visitor's token)
    assert _upload(fresh_client, headers={"X-CSRF-Token": "A" * 43}).status_code == 403
    assert store_counts(fresh_client.db) == before


def test_same_origin_with_the_token_imports(fresh_client):
    token = csrf_headers(fresh_client)
    r = _upload(fresh_client, headers={**token, "Origin": "http://testserver"})
    assert r.status_code == 200 and r.json()["upload"]["ok"], r.text


def test_the_page_form_carries_the_token_as_a_field(fresh_client):
    html = fresh_client.get("/data").text
    field = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    assert field == fresh_client.cookies["zhizao_csrf"]
    # What the browser sends: the form field, Origin of the page, the cookie.
    r = _upload(fresh_client, data={"csrf_token": field}, headers={"Origin": "http://testserver"}, fmt="html")
    assert r.status_code == 200 and 'id="upload-ok"' in r.text


def test_csrf_cookie_is_httponly_and_strict(client):
    r = client.get("/")
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("zhizao_csrf=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "set-cookie" not in client.get("/plan").headers  # kept, not renewed on every page


# --- headers --------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/", "/data?format=json", "/static/app.js", "/no-such-page",
                                 "/geo/chongqing-districts.geojson", "/download/sources?format=csv"])
def test_security_headers_on_every_response(client, url):
    h = client.get(url).headers
    assert h["content-security-policy"] == CSP
    assert "script-src 'self';" in CSP and "'unsafe-inline'" not in CSP.split("script-src")[1].split(";")[0]
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "same-origin"
    assert h["x-frame-options"] == "DENY"
    assert h["cross-origin-opener-policy"] == "same-origin"


def test_no_inline_script_or_handler_in_any_page(client):
    for url in ("/", "/indicator/software_revenue", "/plan", "/districts", "/data", "/downloads", "/monitoring"):
        html = client.get(url).text
        for tag in re.findall(r"<script[^>]*>", html):
            assert 'src="/static/' in tag or 'type="application/json"' in tag, (url, tag)
        assert not re.search(r"\son[a-z]+=", html), url


# --- Host -----------------------------------------------------------------------------------------
def test_unknown_host_is_refused(client):
    r = client.get("/", headers={"Host": "attacker.example"})
    assert r.status_code == 400 and "--allowed-host" in r.text and "不允许的主机名" in r.text
    assert r.headers["x-frame-options"] == "DENY"
    assert client.get("/?format=json", headers={"Host": "attacker.example:8000"}).status_code == 400


def test_default_hosts_are_loopback_and_configurable(bundled_db, monkeypatch):
    monkeypatch.delenv("ZHIZAO_ALLOWED_HOSTS", raising=False)
    app = create_app(db=bundled_db, warm=False)
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/plan").status_code == 200
        for host in ("localhost:8000", "[::1]:8000", "127.0.0.1"):
            assert c.get("/plan", headers={"Host": host}).status_code == 200, host
        for host in ("testserver", "evil.example", "127.0.0.1.evil.example", "[::1", ""):
            assert c.get("/plan", headers={"Host": host}).status_code == 400, host
    monkeypatch.setenv("ZHIZAO_ALLOWED_HOSTS", "dash.example.gov.cn, *.intra.example")
    app = create_app(db=bundled_db, warm=False, allowed_hosts=["10.0.0.5"])
    with TestClient(app, base_url="http://dash.example.gov.cn") as c:
        for host in ("dash.example.gov.cn", "a.intra.example", "10.0.0.5:8000", "localhost"):
            assert c.get("/plan", headers={"Host": host}).status_code == 200, host
        assert c.get("/plan", headers={"Host": "intra.example.evil"}).status_code == 400


def test_host_name_parsing():
    assert host_name("LocalHost:8000") == "localhost"
    assert host_name("[::1]:8000") == "::1" and host_name("[::1]") == "::1"
    assert host_name("::1") == "" and host_name("[::1]x") == ""


# --- data in pages ----------------------------------------------------------------------------------
def test_chart_json_cannot_close_its_script_element(fresh_client):
    from zhizao.outputs.web.pages import districts

    payload = "</script><script>alert(1)</script>"
    option = districts.map_option({"districts": [{"code": "500112", "name": payload, "group": None, "value": 1,
                                                  "group_name": payload, "value_text": payload}],
                                   "layer": payload, "period": "2024", "current": {"unit": payload}, "groups": [],
                                   "coverage": {"with_data": 1, "no_data": 0, "districts": 1}},
                                  "zh")
    from zhizao.outputs.web.render import TEMPLATES

    html = TEMPLATES.env.from_string("{{ o|tojson }}").render(o=option)
    assert "</script" not in html.lower() and "<script" not in html.lower()
    assert json.loads(html) == option


def test_batches_show_the_file_name_not_the_server_path(fresh_client):
    r = _upload(fresh_client, name="季度数据.csv", headers=csrf_headers(fresh_client), fmt="html")
    assert r.status_code == 200
    page = fresh_client.get("/data")
    assert "zhizao-upload-" not in page.text and "/tmp/" not in page.text
    files = [b["file"] for b in fresh_client.get("/data?format=json").json()["batches"]]
    assert "季度数据.csv" in files and not any(f and "/" in f for f in files)


def test_a_300_character_file_name_is_a_listed_problem_or_an_import(fresh_client):
    long_name = "统计" * 100 + ".csv"  # 604 bytes of UTF-8: no file system takes it as a name
    r = _upload(fresh_client, name=long_name, headers=csrf_headers(fresh_client))
    assert r.status_code == 200, r.text
    assert r.json()["upload"]["ok"] and r.json()["upload"]["file"] == long_name
    r = _upload(fresh_client, name="x" * 300 + ".csv", content=b"series,period,value,unit\n",
                headers=csrf_headers(fresh_client))
    assert r.status_code == 422 and r.json()["upload"]["problems"]
    assert {p["file"] for p in r.json()["upload"]["problems"]} == {"x" * 251 + ".csv"}  # cited, at most 255


def test_an_unexpected_failure_is_a_listed_problem_not_a_500(fresh_client, monkeypatch):
    state = fresh_client.app.state.web

    def boom(path):
        raise OSError(36, "File name too long")

    monkeypatch.setattr(state, "import_file", boom)
    before = store_counts(fresh_client.db)
    r = _upload(fresh_client, headers=csrf_headers(fresh_client), fmt="html")
    assert r.status_code == 200 and 'id="problems"' in r.text and "import_error" in r.text
    assert "Traceback" not in r.text and "未写入任何数据" in r.text
    r = fresh_client.post("/data/upload?format=json&lang=en", files={"file": ("a.csv", b"x", "text/csv")},
                          headers=csrf_headers(fresh_client))
    assert r.status_code == 422 and "nothing was written" in r.json()["upload"]["problems"][0]["message"]
    assert store_counts(fresh_client.db) == before
