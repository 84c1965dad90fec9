"""The second review of the dashboard and the API as every role (issue 11, FIX3-WEB): enterprise rows
through JSON twins are audited exports, the data page's import table in words, error pages that keep
the user, English pages in English, API errors in Chinese, audit exports as people read them."""
from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from zhizao.outputs.web.app import create_app

from test_web_auth_support import DISTRICT_A, auth_synth, client_as, server  # noqa: F401
from webtest_support import GOOD_CSV, csrf_headers


@pytest.fixture(scope="module")
def clients(server):
    return {role: client_as(server.app_, role) for role in ("district_a", "admin", "guest")} | \
        {"anonymous": client_as(server.app_, None)}


@pytest.fixture(scope="module")
def enterprise_a(auth_synth):
    e = pd.read_parquet(auth_synth / "enterprises.parquet")
    return e[e["district"] == DISTRICT_A]["credit_code"].iloc[0]


def exports(app, actor: str) -> list[dict]:
    rows, _ = app.state.accounts.audit_log(actor=actor, action="export", limit=1000)
    return rows


# --- 1. enterprise rows as a page's JSON twin are an audited export ------------------------------------
@pytest.mark.parametrize("path", [f"/monitoring/district/{DISTRICT_A}?format=json",
                                  "/monitoring/subject/enterprise/{code}?format=json"])
def test_enterprise_json_twins_are_audited_every_time(server, clients, enterprise_a, path):
    c, app = clients["district_a"], server.app_
    url = path.format(code=enterprise_a)
    before = len(exports(app, "district_a"))
    for _ in range(2):  # the second answer is not replayed from the page cache: audited again
        r = c.get(url)
        assert r.status_code == 200, r.text[:300]
    rows = exports(app, "district_a")[: len(exports(app, "district_a")) - before]
    assert len(rows) == 2, rows
    assert all(row["rows"] and row["rows"] >= 1 for row in rows)
    assert {json.loads(row["detail"])["format"] if isinstance(row["detail"], str) else row["detail"]["format"]
            for row in rows} == {"json"}
    if "district" in path:
        assert rows[0]["rows"] >= len(r.json()["enterprises"]) > 0


def test_aggregate_pages_are_not_audited(server, clients):
    c, app = clients["admin"], server.app_
    before = len(exports(app, "admin"))
    assert c.get("/monitoring/subject/city/500000?format=json").status_code == 200
    assert len(exports(app, "admin")) == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_a_page_asked_for_a_file_format_says_which_exist(clients, enterprise_a, fmt):
    c = clients["district_a"]
    for url in (f"/monitoring/subject/enterprise/{enterprise_a}?format={fmt}",
                f"/monitoring/district/{DISTRICT_A}?format={fmt}"):
        r = c.get(url)
        assert r.status_code == 400, (url, r.status_code)
        assert "format=json" in r.text and "text/html" in r.headers["content-type"]
    assert "enterprises" in c.get(f"/monitoring/district/{DISTRICT_A}?format=csv").text  # the table to ask for


def test_the_enterprise_list_exports_as_csv_and_xlsx_audited(server, clients):
    c, app = clients["district_a"], server.app_
    page = c.get(f"/monitoring/district/{DISTRICT_A}")
    assert 'id="enterprise-export"' in page.text and "table=enterprises&amp;format=csv" in page.text
    before = len(exports(app, "district_a"))
    r = c.get(f"/monitoring/district/{DISTRICT_A}?table=enterprises&format=csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    df = pd.read_csv(io.StringIO(r.content.decode("utf-8-sig")), dtype=str)
    assert "统一社会信用代码" in df.columns and len(df) == len(c.get(
        f"/monitoring/district/{DISTRICT_A}?format=json").json()["enterprises"])
    assert set(df["规模"].dropna()) <= {"大型", "中型", "小型", "微型"}
    x = c.get(f"/monitoring/district/{DISTRICT_A}?table=enterprises&format=xlsx&lang=en")
    assert x.status_code == 200
    sheet = pd.read_excel(io.BytesIO(x.content), dtype=str)
    assert set(sheet["Size"].dropna()) <= {"large", "medium", "small", "micro"}
    rows = exports(app, "district_a")
    assert len(rows) >= before + 3  # csv, json, xlsx
    assert any(r["target"] == "monitoring_district:enterprises" for r in rows)


def test_english_district_page_names_size_classes_in_english(clients):
    r = clients["district_a"].get(f"/monitoring/district/{DISTRICT_A}?lang=en")
    table = r.text.split('id="enterprise-table"', 1)[1]
    assert not any(w in table for w in ("大型", "中型", "小型", "微型"))
    assert any(w in table for w in (">large<", ">medium<", ">small<"))
