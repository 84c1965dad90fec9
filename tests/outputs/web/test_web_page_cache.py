"""Whole pages kept per store version (page_cache.py): computed once, replayed with the visitor's
own CSRF token and language, dropped when the store changes."""
from __future__ import annotations

import re

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
