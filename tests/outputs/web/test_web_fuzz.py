"""Fuzz every query parameter and the upload with hypothesis: never a 500, never a traceback,
never a payload pasted unescaped into a page, never a partial write."""
from __future__ import annotations

import shutil
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhizao.outputs.web.app import create_app

from webtest_support import store_counts

PAYLOADS = ["<img src=x onerror=alert(1)>", '"><script>alert(2)</script>', "javascript:alert(3)", "{{7*7}}",
            "</script><svg onload=alert(4)>", "'\"`<>&", "%00", "\x00", "../../etc/passwd", "1e400", "-1", "2024-13-45",
            "渝北区", "500112", "software_revenue", "groups", "2024", "\u202e", "a" * 300]
MARKER = "<zz-fuzz>"  # only an unescaped paste shows this tag in a page

text = st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=40),
                 st.builds(lambda a, b: a + MARKER + b, st.text(max_size=10), st.sampled_from(PAYLOADS)))

# (url template, query parameters): every GET route with its parameters.
ROUTES = [
    ("/", ["year", "as_of", "lang"]),
    ("/indicator/{}", ["year", "as_of"]),
    ("/plan", ["q"]),
    ("/plan/{}/{}", []),
    ("/districts", ["layer", "period"]),
    ("/monitoring", ["period", "severity", "rule"]),
    ("/monitoring/district/{}", ["period"]),
    ("/monitoring/subject/{}/{}", ["period"]),
    ("/data", ["q", "indicator", "region", "page"]),
    ("/downloads", []),
    ("/download/{}", ["format"]),
]


@pytest.fixture(scope="module")
def fuzz_client(bundled_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("fuzz") / "store.duckdb"
    shutil.copy(bundled_db, db)
    app = create_app(db=db, warm=False, allowed_hosts=["testserver"],
                     monitoring_data=tmp_path_factory.mktemp("no-monitoring"))
    with TestClient(app, raise_server_exceptions=False) as c:
        c.db = db
        yield c


def _check(r, url: str) -> None:
    assert r.status_code < 500, (url, r.status_code, r.text[:500])
    assert "Traceback" not in r.text, url
    if r.headers.get("content-type", "").startswith("text/html"):
        assert MARKER not in r.text, url
        assert "<img src=x" not in r.text and "<script>alert" not in r.text and "<svg onload" not in r.text, url


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(route=st.sampled_from(ROUTES), path_parts=st.lists(text, min_size=2, max_size=2),
       values=st.lists(text, min_size=4, max_size=4), fmt=st.sampled_from(["", "json", "html", "csv", "xlsx"]))
def test_no_query_or_path_breaks_a_page(fuzz_client, route, path_parts, values, fmt):
    template, names = route
    url = template.format(*[quote(p, safe="") or "x" for p in path_parts])
    params = dict(zip(names, values))
    if fmt:
        params["format"] = fmt
    if template == "/download/{}" and "format" in params:
        params["format"] = fmt or values[0]
    r = fuzz_client.get(url, params=params)
    _check(r, url)


def _token(client) -> dict:
    if "zhizao_csrf" not in client.cookies:
        client.get("/data?format=json")
    return {"X-CSRF-Token": client.cookies["zhizao_csrf"]}


csv_cell = st.one_of(st.sampled_from(PAYLOADS + ["300(<img src=x onerror=alert`1`>)", "超2.6万", ""]), st.text(max_size=20))
HEADER = "series,region,period,value,unit,source_title,source_url,publisher,quote,note"


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.one_of(st.sampled_from(["a.csv", "b.xlsx", "c.txt", "", "../x.csv", "x" * 300 + ".csv",
                                       "<img src=x onerror=alert(1)>.csv", "名\x00.csv", "..csv", ".csv"]),
                      st.text(max_size=300).map(lambda s: s + ".csv")),
       body=st.one_of(st.binary(max_size=2000),
                      st.lists(st.lists(csv_cell, min_size=10, max_size=10), min_size=1, max_size=4).map(
                          lambda rows: (HEADER + "\n" + "\n".join(
                              ",".join('"' + c.replace('"', '""') + '"' for c in r) for r in rows)).encode()),
                      st.sampled_from([b"", b"\xff\xfe\x00", b"PK\x03\x04broken", b"a" * 140_000 + b"\n"])),
       lang=st.sampled_from(["zh", "en"]), fmt=st.sampled_from(["json", "html"]))
def test_no_upload_breaks_the_page_or_half_writes(fuzz_client, name, body, lang, fmt):
    before = store_counts(fuzz_client.db)
    r = fuzz_client.post(f"/data/upload?format={fmt}&lang={lang}", files={"file": (name, body, "text/csv")},
                         headers=_token(fuzz_client))
    _check(r, "/data/upload")
    assert r.status_code in (200, 422), r.status_code
    if fmt == "json":
        up = r.json()["upload"]
        if not up["ok"]:
            assert up["problems"] and all(p["message"] for p in up["problems"])
            assert store_counts(fuzz_client.db) == before  # all or nothing
    # The page shows no server path.
    assert "zhizao-upload-" not in fuzz_client.get("/data").text
