"""Whole pages kept per store version (page_cache.py): computed once, replayed with the visitor's
own CSRF token and language, dropped when the store changes."""
from __future__ import annotations

import re
import shutil

import pytest
from fastapi.testclient import TestClient

from zhizao.outputs.web.app import create_app
from zhizao.outputs.web.pages import districts

from webtest_support import GOOD_CSV, csrf_headers


@pytest.fixture
def counted(monkeypatch):
    """Counts how often the districts page computes its layers."""
    calls = []
    real = districts.layers

    def layers(ctx):
        calls.append(ctx.lang)
        return real(ctx)

    monkeypatch.setattr(districts, "layers", layers)
    return calls


def test_a_page_is_computed_once_per_store_version(fresh_client, counted, tmp_path):
    c = fresh_client
    first = c.get("/districts")
    again = c.get("/districts")
    assert first.status_code == again.status_code == 200
    assert first.content == again.content and len(counted) == 1
    assert again.headers["content-security-policy"]  # replayed answers keep the security headers
    c.get("/districts?lang=en")  # another language is another page
    assert len(counted) == 2
    # An import changes the store: the page is computed anew and shows it.
    csv = tmp_path / "new.csv"
    csv.write_text(GOOD_CSV, encoding="utf-8")
    with csv.open("rb") as f:
        r = c.post("/data/upload?format=json", files={"file": ("new.csv", f, "text/csv")}, headers=csrf_headers(c))
    assert r.status_code == 200, r.text
    before = len(counted)
    c.cookies.delete("zhizao_lang")
    c.get("/districts")
    assert len(counted) == before + 1


def _form_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]*)"', html).group(1)


def test_each_visitor_gets_their_own_token_from_a_kept_page(fresh_db):
    app = create_app(db=fresh_db, warm=False, allowed_hosts=["testserver"])
    with TestClient(app) as a, TestClient(app) as b:
        page_a = a.get("/data").text
        page_b = b.get("/data").text  # replayed from the kept answer
        assert _form_token(page_a) == a.cookies["zhizao_csrf"]
        assert _form_token(page_b) == b.cookies["zhizao_csrf"] != a.cookies["zhizao_csrf"]
        assert page_a.replace(_form_token(page_a), "") == page_b.replace(_form_token(page_b), "")
        # B's form token works for B's upload.
        r = b.post("/data/upload?format=json", data={"csrf_token": _form_token(page_b)},
                   files={"file": ("x.txt", b"x", "text/plain")}, headers={"origin": "http://testserver"})
        assert r.status_code == 422 and r.json()["upload"]["problems"][0]["code"] == "unsupported_file"


def test_a_chosen_token_cannot_rewrite_what_others_see(fresh_db):
    """A visitor may choose their own cookie token, even one equal to text on the page: the
    page kept for others must not change."""
    app = create_app(db=fresh_db, warm=False, allowed_hosts=["testserver"])
    with TestClient(app) as probe:
        plain = probe.get("/data?page=2").text
    chosen = re.search(r"[A-Za-z0-9_-]{20,100}", plain.split("<main>", 1)[1]).group(0)
    app = create_app(db=fresh_db, warm=False, allowed_hosts=["testserver"])
    with TestClient(app) as attacker, TestClient(app) as other:
        attacker.cookies.set("zhizao_csrf", chosen)
        assert chosen in attacker.get("/data?page=2").text
        seen = other.get("/data?page=2").text
        assert seen.replace(_form_token(seen), "") == plain.replace(_form_token(plain), "")


def test_errors_and_monitoring_are_not_kept(client, counted):
    assert client.get("/indicator/nope").status_code == 404
    assert client.get("/indicator/nope").status_code == 404  # not a replay of a kept 404 either way
    from zhizao.outputs.web.page_cache import cacheable

    assert not cacheable("/monitoring") and not cacheable("/download/observations") and not cacheable("/downloads")
    assert not cacheable("/static/app.js") and cacheable("/indicator/x") and cacheable("/")


# --- server mode: monitoring pages per user and scope, exports recorded every time ---------------------------------
from test_web_auth_support import DISTRICT_A, DISTRICT_B, auth_synth, client_as, server  # noqa: E402,F401
from zhizao.outputs.web.pages import monitoring as monitoring_page  # noqa: E402


@pytest.fixture
def counted_monitoring(monkeypatch):
    """Counts how often the monitoring page computes its data, per user."""
    calls = []
    real = monitoring_page.monitoring_data

    def counting(ctx, *a, **kw):
        calls.append(ctx.user.id)
        return real(ctx, *a, **kw)

    monkeypatch.setattr(monitoring_page, "monitoring_data", counting)
    return calls


def test_monitoring_is_kept_per_user_and_never_shows_another_scope(server, counted_monitoring):
    app = server.app_
    # not `with`: a client's exit would end the module's app (its accounts pool)
    a, b, admin = client_as(app, "district_a"), client_as(app, "district_b"), client_as(app, "admin")
    url = "/monitoring?format=json&type=enterprise"
    first_a = a.get(url)
    assert first_a.status_code == 200 and a.get(url).content == first_a.content
    # enterprise warnings as JSON are an audited export (FIX3-WEB): computed each time, never replayed
    assert counted_monitoring == ["district_a", "district_a"]
    html = "/monitoring?type=enterprise"
    assert a.get(html).text == a.get(html).text
    assert counted_monitoring == ["district_a"] * 3  # the page's second view was the kept answer
    seen_a = {w["district"] for w in first_a.json()["warnings"]}
    seen_b = {w["district"] for w in b.get(url).json()["warnings"]}
    assert b.get(html).status_code == 200  # not A's kept page
    assert counted_monitoring == ["district_a"] * 3 + ["district_b"] * 2
    assert seen_a == {DISTRICT_A} and seen_b <= {DISTRICT_B}  # B is not served A's kept rows
    everyone = {w["district"] for w in admin.get(url).json()["warnings"]}
    assert len(everyone) > 1  # the city sees several districts' enterprises (so the two above were filtered)
    # The HTML page names its own user only.
    page_a, page_b = a.get("/monitoring").text, b.get("/monitoring").text
    assert "district_a" in page_a and "district_b" not in page_a
    assert "district_b" in page_b and "district_a" not in page_b
    # A district page of another district stays 404 however often its own district's page was kept.
    assert a.get(f"/monitoring/district/{DISTRICT_A}").status_code == 200
    assert a.get(f"/monitoring/district/{DISTRICT_A}").status_code == 200
    assert a.get(f"/monitoring/district/{DISTRICT_B}").status_code == 404
    assert admin.get(f"/monitoring/district/{DISTRICT_B}").status_code == 200
    assert a.get(f"/monitoring/district/{DISTRICT_B}").status_code == 404


def test_an_export_is_recorded_each_time_it_is_served(server):
    app = server.app_
    c = client_as(app, "analyst")
    before = app.state.accounts.audit_log(actor="analyst", action="export")[1]
    for _ in range(3):
        r = c.get("/gaps?table=gaps&format=csv")
        assert r.status_code == 200
    assert app.state.accounts.audit_log(actor="analyst", action="export")[1] == before + 3
    page = c.get("/gaps")  # the page itself records nothing and is kept
    assert page.status_code == 200 and c.get("/gaps").content == page.content


def test_monitoring_pages_follow_the_folder(fresh_db, auth_synth, tmp_path, counted_monitoring):
    data = tmp_path / "mon"
    shutil.copytree(auth_synth, data)
    app = create_app(db=fresh_db, monitoring_data=data, warm=False, allowed_hosts=["testserver"])
    with TestClient(app) as c:
        first = c.get("/monitoring?format=json")
        assert first.status_code == 200 and c.get("/monitoring?format=json").content == first.content
        assert len(counted_monitoring) == 1
        meta = data / "metadata.json"
        meta.write_text(meta.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # the data rewritten
        assert c.get("/monitoring?format=json").status_code == 200
        assert len(counted_monitoring) == 2


# --- keyed by what the page depends on (LOAD-2): the rows the user sees and the links offered, not the user -----
import uuid  # noqa: E402

from zhizao.outputs.web.pages import overview as overview_page  # noqa: E402
from zhizao.outputs.web.state import WebState  # noqa: E402


@pytest.fixture
def counted_overview(monkeypatch):
    """Counts how often the overview page computes its data, per user."""
    calls = []
    real = overview_page.overview_data

    def counting(ctx, *a, **kw):
        calls.append(ctx.user.id)
        return real(ctx, *a, **kw)

    monkeypatch.setattr(overview_page, "overview_data", counting)
    return calls


def _who(html: str) -> str:
    return re.search(r"<!--who-->(.*?)<!--/who-->", html, re.S).group(1)


def test_a_plan_page_is_computed_once_for_every_role_and_names_each_visitor(server, counted_overview):
    app = server.app_
    url = f"/?probe={uuid.uuid4().hex}"  # an address no other test has kept
    clients = {who: client_as(app, who) for who in ("analyst", "district_a", "district_b", "admin")}
    pages = {who: c.get(url) for who, c in clients.items()}
    assert all(p.status_code == 200 for p in pages.values())
    # Analysts and district users see the same rows and links here: one computation for the three.
    # The administrator's header has one more link: one more computation. Never one per user.
    assert len(counted_overview) == 2 and "admin" in counted_overview
    for who, page in pages.items():
        html = page.text
        assert f"<strong>{who}</strong>" in _who(html)  # each visitor's own name in the header …
        assert not any(f"<strong>{other}</strong>" in html for other in clients if other != who)  # … and no other's
        assert _form_token(html) == clients[who].cookies["zhizao_csrf"]  # and their own logout token
    assert ("admin-link" in pages["admin"].text) and not any("admin-link" in pages[w].text for w in pages if w != "admin")
    assert "区县用户" in _who(pages["district_a"].text) and "区县用户" not in _who(pages["analyst"].text)
    # Without the name and the token, the three share one page.
    bare = {w: WHO_RE.sub("", p.text.replace(_form_token(p.text), "")) for w, p in pages.items() if w != "admin"}
    assert len(set(bare.values())) == 1
    # The guest's page has no logout form and is another page; the JSON twin is one for everyone.
    guest = client_as(app, None)
    assert "logout" not in guest.get(url).text and len(counted_overview) == 3
    twins = {who: c.get(url + "&format=json").json() for who, c in {**clients, "guest": guest}.items()}
    assert len(counted_overview) == 4 and all(t == twins["guest"] for t in twins.values())


WHO_RE = re.compile(r"<!--who-->.*?<!--/who-->", re.S)


def test_the_districts_map_opens_at_each_district_users_own_district(server):
    app = server.app_
    url = f"/districts?format=json&probe={uuid.uuid4().hex}"
    a, b = client_as(app, "district_a"), client_as(app, "district_b")
    assert a.get(url).json()["selection"]["district"] == DISTRICT_A
    assert b.get(url).json()["selection"]["district"] == DISTRICT_B  # not A's kept answer
    assert client_as(app, "analyst").get(url).json()["selection"]["district"] is None


def test_a_signed_in_page_without_the_name_mark_is_not_kept(server, counted_overview, monkeypatch):
    """A header restyled without _who.html would carry one user's name to the next: such a page is not kept."""
    from zhizao.outputs.web import page_cache

    monkeypatch.setattr(page_cache, "WHO", re.compile(rb"<!--never-in-a-page-->"))
    app = server.app_
    url = f"/?probe={uuid.uuid4().hex}"
    a, b = client_as(app, "analyst"), client_as(app, "district_a")
    assert "<strong>analyst</strong>" in a.get(url).text
    page_b = b.get(url).text
    assert "<strong>district_a</strong>" in page_b and "<strong>analyst</strong>" not in page_b
    assert len(counted_overview) == 2


def test_monitoring_pages_outlive_an_upload(server, counted_monitoring, tmp_path):
    """They read the monitoring folder, not the store: an import does not make them stale."""
    app = server.app_
    c = client_as(app, "analyst")
    # the HTML page: its JSON twin carries enterprise warnings for an analyst, an audited export never kept
    url = f"/monitoring?probe={uuid.uuid4().hex}"
    first = c.get(url)
    assert first.status_code == 200 and len(counted_monitoring) == 1
    csv = tmp_path / "new.csv"
    csv.write_text(GOOD_CSV.replace("2023", "2019"), encoding="utf-8")
    with csv.open("rb") as f:
        r = c.post("/data/upload?format=json", files={"file": ("new.csv", f, "text/csv")}, headers=csrf_headers(c))
    assert r.status_code == 200 and r.json()["upload"]["ok"], r.text
    again = c.get(url)
    assert again.status_code == 200 and len(counted_monitoring) == 1


def test_one_version_check_per_request(fresh_db, monkeypatch):
    """A page's reads use the version checked when the request began (WebState.pinned): a miss asks the
    store's version once, as a hit does, not once per cached read."""
    app = create_app(db=fresh_db, warm=False, allowed_hosts=["testserver"])
    stamps = []
    real = WebState.stamp
    monkeypatch.setattr(WebState, "stamp", lambda self: stamps.append(1) or real(self))
    with TestClient(app) as c:
        for url in ("/", "/", "/completion", "/districts?format=json", "/indicator/nope"):
            before = len(stamps)
            c.get(url)
            assert len(stamps) - before == 1, url
