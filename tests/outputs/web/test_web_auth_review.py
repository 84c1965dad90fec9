"""The reviewer's findings on server mode (issue 11): exports of enterprise data audited, the audit page in
words, links only where the user may follow them, the data folder for administrators, the upload refusal's
wording, a readable header."""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from zhizao.outputs.web.auth import GUEST, LOCAL, User, may

from test_web_auth_support import DISTRICT_A, DISTRICT_B, auth_synth, client_as, login, server  # noqa: F401
from test_page_code_words import VisibleText, visible

CJK = re.compile(r"[\u4e00-\u9fff]")
CSS = Path(__file__).resolve().parents[3] / "zhizao" / "outputs" / "web" / "static" / "app.css"


def words(html: str) -> str:
    """The visible text with the tags' own gaps closed (原因：… as a reader sees it)."""
    p = VisibleText()
    p.feed(html)
    return re.sub(r"\s+", " ", "".join(p.parts))


def audit_rows(app, **where) -> list[dict]:
    rows, _ = app.state.accounts.audit_log(**where, limit=500)
    return rows


# --- A. exports of enterprise data are audited ----------------------------------------------------
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_monitoring_table_exports_are_audited(server, fmt):
    app = server.app_
    c = client_as(app, "analyst")
    before = len(audit_rows(app, actor="analyst", action="export"))
    r = c.get(f"/monitoring?table=warnings&format={fmt}")
    assert r.status_code == 200
    rows = audit_rows(app, actor="analyst", action="export")
    assert len(rows) == before + 1
    assert rows[0]["target"] == "monitoring:warnings" and rows[0]["rows"] > 0 and rows[0]["role"] == "analyst"


def test_the_monthly_brief_is_an_audited_export(server):
    app = server.app_
    c = client_as(app, "admin")
    r = c.get("/monitoring/brief?format=html")
    assert r.status_code == 200
    row = audit_rows(app, actor="admin", action="export")[0]
    assert row["target"].startswith("monitoring_brief:") and row["rows"] > 100  # every district's enterprises
    assert json.loads(row["detail"])["format"] == "html"


# --- B. the audit page --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def audited(server):
    """An audit log with the rows the reviewer found unreadable."""
    app = server.app_
    acc = app.state.accounts
    login(TestClient(app), "nobody-at-all", "wrong password")  # login_failed, reason bad
    acc.audit("district_a", "upload_refused", "d_mixed.csv", role="district", rows=2,
              detail={"codes": ["region_not_allowed"]}, ip="127.0.0.1")
    acc.audit("cli:root", "plan_register", "chongqing-manufacturing-2023-2027",
              detail={"kind": "embedded", "sha256": "d8bf9fb374333944e182a67f99be88cd442fe96a7",
                      "source": "chongqing-manufacturing-2023-2027"})
    acc.audit("locky2", "lockout", "locky2", detail={"until": "2026-11-30T16:56:53.982025"}, ip="127.0.0.1")
    acc.audit("=cmd|' /C calc'!A0", "login_failed", None, detail={"reason": "bad"}, ip="10.0.0.1")
    return client_as(app, "admin")


def test_the_audit_page_says_everything_in_words(audited):
    html = audited.get("/admin/audit").text
    text = words(html)
    assert '{"' not in text and "region_not_allowed" not in text and "plan_register" not in text
    assert "T16:56" not in text and "982025" not in text
    assert "原因：用户名或密码不正确" in text and "问题：非本区县的行" in text and "登记规划" in text
    assert "锁定至：2026-12-01 00:56:53" in text  # 16:56 UTC is 00:56 the next day in Beijing
    assert "时间（北京时间，UTC+8）" in text
    assert f"角色：区县用户；区县：璧山区 {DISTRICT_A}" in text  # user_add of district_a
    options = re.search(r'<select id="audit-action".*?</select>', html, re.S).group(0)
    assert "登记规划" in options and ">plan_register<" not in options and ">lockout<" not in options
    html_en = audited.get("/admin/audit?lang=en").text
    en = words(re.search(r'<table class="data audit" id="audit">.*?</table>', html_en, re.S).group(0))
    assert "plan registered" in en and "reason: wrong user name or password" in en and "Beijing time, UTC+8" in en
    assert "problems: another district's row" in en and not CJK.search(en), en
    audited.get("/admin/audit?lang=zh")  # the client's language back to Chinese


def test_the_audit_page_shows_beijing_time_of_the_stored_utc(server, audited):
    j = audited.get("/admin/audit?format=json").json()
    row = j["rows"][0]
    stored = datetime.fromisoformat(row["at"])
    assert row["at_local"] == (stored + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M:%S")
    assert j["time_zone"] == "北京时间，UTC+8"


def test_the_audit_log_exports_through_spreadsheet_safe_and_the_export_is_audited(server, audited):
    r = audited.get("/admin/audit?table=audit&format=csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    body = r.content.decode("utf-8-sig").replace('"', "")
    assert body.splitlines()[0].startswith("时间（北京时间，UTC+8）,时间（UTC）,操作人")
    assert "\n=cmd" not in body and ",=cmd" not in body and "'=cmd" in body  # a formula is text
    assert "问题：非本区县的行" in body and "d8bf9fb374333944e182a67f99be88cd442fe96a7" in body  # whole, not cut
    x = audited.get("/admin/audit?table=audit&format=xlsx&action=lockout")
    assert x.status_code == 200 and x.content[:2] == b"PK"
    done = audit_rows(server.app_, actor="admin", action="export")
    assert [d["target"] for d in done[:2]] == ["admin_audit:audit", "admin_audit:audit"]
    assert done[0]["rows"] >= 1 and done[1]["rows"] >= 5


def test_the_audit_table_keeps_time_role_and_action_on_one_line_and_prints():
    css = CSS.read_text()
    assert re.search(r"table\.audit td\.c-at, table\.audit td\.c-role, table\.audit td\.c-action[^{]*\{ white-space: nowrap",
                     css)
    assert re.search(r"table\.audit td\.c-actor, table\.audit td\.c-target \{[^}]*text-overflow: ellipsis", css)
    assert ".page-admin_audit main { page: landscape; }" in css


# --- E. the header is readable and wraps between items -------------------------------------------------
def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_the_header_names_the_user_readably_and_keeps_words_whole():
    css = CSS.read_text()
    bar = re.search(r"\.top \{[^}]*background: (#[0-9a-f]{6})", css).group(1)
    who = re.findall(r"\.tools \.who \{[^}]*color: (#[0-9a-f]{6})", css)[-1]  # the last rule wins
    hi, lo = sorted((_luminance(bar), _luminance(who)), reverse=True)
    assert (hi + 0.05) / (lo + 0.05) >= 4.5
    assert re.search(r"\.top nav a, \.tools > a, \.tools > form, \.tools \.who \.part, \.tools button \{ white-space: nowrap", css)
    assert re.search(r"\.tools \{ flex-wrap: wrap", css)


# --- F, G. links only where they lead somewhere; the folder for administrators ---------------------------
def test_may_asks_the_one_policy():
    yubei = User(id="y", level="district", region="500112", role="district")
    analyst = User(id="a", level="city", role="analyst", authenticated=True)
    assert may(yubei, "/monitoring/district/500112?period=2024-06") and not may(yubei, "/monitoring/district/500101")
    assert not may(GUEST, "/monitoring/district/500112") and not may(GUEST, "/monitoring/brief")
    assert not may(yubei, "/monitoring/brief?format=html") and may(analyst, "/monitoring/brief?format=docx")
    assert may(GUEST, "/monitoring") and may(GUEST, "/p/x/plan") and not may(GUEST, "/admin/audit")
    assert not may(analyst, "/admin/audit") and may(LOCAL, "/admin/audit")
    assert not may(analyst, "/no/such/route") and not may(GUEST, "/data/upload", "POST")
    assert may(yubei, "/monitoring/subject/enterprise/X", region="500112")
    assert not may(yubei, "/monitoring/subject/enterprise/X", region="500101")


@pytest.mark.parametrize("role,district_links,brief", [("district_a", {DISTRICT_A}, False), ("guest", set(), False),
                                                        ("anonymous", set(), False), ("analyst", None, True)])
def test_the_monitoring_page_shows_only_links_the_user_may_follow(server, role, district_links, brief):
    c = client_as(server.app_, None if role == "anonymous" else role)
    html = c.get("/monitoring").text
    linked = set(re.findall(r'href="/monitoring/district/(\d+)', html))
    j = c.get("/monitoring?format=json").json()
    with_url = {d["id"] for d in j["districts"] if d["url"]}
    if district_links is None:  # city roles: every district
        assert len(linked) == len(j["districts"]) == len(with_url) >= 38
    else:
        assert linked == with_url == district_links
    chart = json.loads(re.search(r'id="chart-option-map">(.*?)</script>', html, re.S).group(1))
    map_links = {d["name"] for d in chart["series"][0]["data"] if d["url"]}
    assert map_links == (with_url if district_links is None else district_links)
    assert ("/monitoring/brief?format=docx" in html) is brief and bool(j["brief"]) is brief
    for href in set(re.findall(r'href="(/monitoring[^"#]*)', html)):  # every link shown answers
        href = href.replace("&amp;", "&")
        if "/brief" not in href:  # the page's JSON twin: quicker than the page
            href += ("&" if "?" in href else "?") + "format=json"
        assert c.get(href).status_code == 200, href


@pytest.mark.parametrize("role,shown", [("anonymous", False), ("guest", False), ("district_a", False),
                                        ("analyst", False), ("admin", True)])
def test_the_data_folder_is_shown_to_administrators_only(server, auth_synth, role, shown):
    c = client_as(server.app_, None if role == "anonymous" else role)
    j = c.get("/monitoring?format=json").json()
    assert (j["data_dir"] == str(auth_synth)) if shown else j["data_dir"] is None
    assert (str(auth_synth) in c.get("/monitoring").text) is shown


# --- H. the upload refusal's words --------------------------------------------------------------------
HEADER = "series,region,period,value,unit,source_url,grade,vintage,quote\n"


def test_a_district_upload_with_a_whole_city_row_says_so_in_both_languages(server):
    c = client_as(server.app_, "district_a")
    text = (HEADER + "规上工业总产值,,2024,600,亿元,https://example.org/t/c,C,2025-02-01,x\n"
            + f"规上工业总产值,{DISTRICT_B},2024,600,亿元,https://example.org/t/b,C,2025-02-01,x\n")
    r = c.post("/data/upload?format=json", files={"file": ("a-rather-long-file-name-for-a-phone.csv", text.encode())},
               headers={"X-CSRF-Token": c.cookies["zhizao_csrf"]})
    city, other = r.json()["upload"]["problems"]
    assert city["value"] is None and "全市" in city["message_zh"] and "其他地区" not in city["message_zh"]
    assert "whole-city" in city["message_en"] and "其他地区" in other["message_zh"]
    for p in (city, other):
        assert not CJK.search(p["message_en"]), p["message_en"]
        assert "Bishan District (500120)" in p["message_en"] and p["code"] == "region_not_allowed"
        assert p["code_label"] == "非本区县的行"
    html = c.post("/data/upload", files={"file": ("a-rather-long-file-name-for-a-phone.csv", text.encode())},
                  headers={"X-CSRF-Token": c.cookies["zhizao_csrf"]}).text
    table = re.search(r'<table class="data" id="problems">.*?</table>', html, re.S).group(0)
    assert "region_not_allowed" not in visible(table) and "非本区县的行" in table
