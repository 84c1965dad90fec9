"""The delivery pages (issue 14): /projects, a project, /services, /tasks, a work item — JSON twins, CSV/XLSX
tables, /p/<plan>/ — their forms (CSRF, roles, district scope), the /data delivery upload, the monitoring
page's delivery warnings, hostile text and formula injection, and the 2023—2027 plan's /tasks.

Everything runs on the real `zhizao.api_delivery` over a real store: a fictional plan with two districts, one
task and one department, its ledger imported through `import_delivery_data` from the import template
(`delivery_exports.template_workbook`) filled with rows; forms and uploads write into a private copy. The
embedded plans are checked on their labelled synthetic default."""
from __future__ import annotations

import io
import shutil
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
import yaml
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from zhizao import api_delivery as dl_api
from zhizao.ingest import delivery_frames as dlf
from zhizao.outputs.delivery_exports import template_sheet, template_workbook
from zhizao.outputs.web import auth
from zhizao.outputs.web.app import create_app
from zhizao.outputs.web.pages import delivery as dl_pages
from zhizao.api import load_plan

from webtest_support import csrf_headers

ASSETS = Path(__file__).parents[2] / "assets"
HOSTS = ["testserver"]
PLAN_ID = "riverton-delivery-test"
EAST, WEST = "990101", "990102"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
FORMULA = '=HYPERLINK("http://evil.example","点我")'
OTHER_PLAN = "chongqing-manufacturing-2023-2027"


def delivery_plan(tmp: Path) -> Path:
    """The fictional plan with two districts, one plan task and one department of its own."""
    doc = yaml.safe_load((ASSETS / "fictional-plan.yaml").read_text(encoding="utf-8"))
    doc["plan"]["id"] = PLAN_ID
    doc["regions"]["districts"] = [{"code": EAST, "name": "东岸区"}, {"code": WEST, "name": "西岸区"}]
    doc["tasks"] = [{"id": "t1", "title": "园区提质", "section": "四(一)", "text": "推动园区提质增效。"}]
    doc["departments"] = [{"id": "econ", "name": "经济信息委", "name_en": "Economy Commission"}]
    path = tmp / "delivery-plan.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


STAGES = {"planned_signed": "2023-01-10", "planned_started": "2023-06-01", "planned_production": "2024-06-01",
          "planned_full_production": "2025-06-01", "signed": "2023-01-12", "started": "2023-07-01"}
LEDGER = {
    "projects": [{"project_id": "P1", "name": XSS, "cluster": "lighting", "district": EAST, "investor": FORMULA,
                  "planned_investment": 50000, "status": "active", **STAGES},
                 {"project_id": "P2", "name": "西岸电池项目", "district": WEST, "investor": "西岸投资",
                  "planned_investment": 20000, "status": "active", **STAGES}],
    "project_progress": [{"project_id": "P1", "year": 2024, "month": 1, "investment": 1000}],
    "problems": [{"problem_id": "Q1", "enterprise_name": "东岸精工", "district": EAST, "category": "land",
                  "description": XSS, "department": "econ", "raised": "2024-01-01", "deadline": "2024-02-01",
                  "status": "open"},
                 {"problem_id": "Q2", "enterprise_name": "西岸泵业", "district": WEST, "category": "financing",
                  "description": FORMULA, "department": WEST, "raised": "2024-01-01", "deadline": "2024-03-01",
                  "status": "open"}],
    "work_items": [{"item_id": "W1", "task": "t1", "title": "东岸园区提质", "lead": EAST, "cooperating": "econ",
                    "start": "2023-01-01", "deadline": "2025-12-31", "basis": "user", "section": "四(一)"},
                   {"item_id": "W2", "task": "t1", "title": "全市统筹", "lead": "econ", "start": "2023-01-01",
                    "deadline": "2025-12-31", "basis": "user", "section": "四(一)"}],
    "milestones": [{"item_id": "W1", "seq": 1, "due": "2024-06-30", "text": "完成规划"}],
    "progress_reports": [{"report_id": "R20240101-1", "item_id": "W1", "date": "2024-01-01", "completion": 30,
                          "text": XSS + FORMULA, "attachments": "a.pdf", "reporter": "east"}],
}


def filled_template(plan, rows: dict[str, list[dict]], lang: str = "zh") -> bytes:
    """The import template of `plan` with its example rows replaced by `rows` (text cells stay text)."""
    wb = load_workbook(io.BytesIO(template_workbook(plan, lang)))
    for frame, columns in dlf.FRAMES.items():
        ws = wb[template_sheet(frame, lang)]
        ws.delete_rows(2, ws.max_row)
        for i, r in enumerate(rows.get(frame, []), 2):
            for j, col in enumerate(columns, 1):
                v = r.get(col)
                if v is not None:
                    c = ws.cell(row=i, column=j, value=v)
                    if isinstance(v, str):
                        c.data_type = "s"  # a formula-like text is text, as a user's ledger holds it
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def make_store(bundled_db: Path, tmp: Path) -> tuple[Path, Path]:
    """A private store with the fictional plan's ledger imported for real; (db, plan file)."""
    db = tmp / "store.duckdb"
    shutil.copy(bundled_db, db)
    plan_path = delivery_plan(tmp)
    book = tmp / "台账.xlsx"
    book.write_bytes(filled_template(load_plan(plan_path), LEDGER))
    out = dl_api.import_delivery_data([book], plan=str(plan_path), db=db, actor="cli:test", today="2026-01-01")
    assert out["projects"] == 2 and out["work_items"] == 2
    return db, plan_path


@pytest.fixture(scope="module")
def store(bundled_db, tmp_path_factory):
    return make_store(bundled_db, tmp_path_factory.mktemp("dl-web"))


@pytest.fixture(scope="module")
def app(store):
    db, plan_path = store
    return create_app(db=db, plan=plan_path, warm=False, allowed_hosts=HOSTS)


@pytest.fixture
def c(app):
    app.dependency_overrides.clear()
    with TestClient(app) as client:
        yield client
    app.dependency_overrides.clear()


@pytest.fixture
def fresh(bundled_db, tmp_path):
    """An app over a private copy (forms and uploads write into it); (app, db)."""
    db, plan_path = make_store(bundled_db, tmp_path)
    application = create_app(db=db, plan=plan_path, warm=False, allowed_hosts=HOSTS)
    yield application, db
    application.dependency_overrides.clear()


def as_user(app, user: auth.User) -> TestClient:
    app.dependency_overrides[auth.current_user] = lambda: user
    return TestClient(app)


def versions(db) -> int:
    return len(dl_api.delivery_data(db=db, plan=PLAN_ID).history)


DISTRICT_EAST = auth.User(id="east", level="district", region=EAST, role="district", authenticated=True)
PAGES = ["/projects", "/projects/P1", "/services", "/tasks", "/tasks/W1"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_with_its_twin_and_tables_at_both_addresses(c, path):
    for prefix in ("", f"/p/{PLAN_ID}"):
        zh = c.get(prefix + path)
        assert zh.status_code == 200, (prefix + path, zh.text[:500])
        assert 'id="dl-subnav"' in zh.text and 'id="nav-delivery"' in zh.text and "Traceback" not in zh.text
        assert 'id="synthetic-banner"' not in zh.text  # the imported ledger, not the demo data
        en = c.get(prefix + path + "?lang=en")
        assert en.status_code == 200 and 'lang="en"' in en.text
        twin = c.get(prefix + path + "?format=json").json()
        assert twin["plan"] == PLAN_ID and twin["data"]["synthetic"] is False and "台账.xlsx" in twin["data"]["notice"]
        for tb in twin["tables"]:
            if tb["rows"]:
                csv = c.get(prefix + path + f"?table={tb['name']}&format=csv")
                assert csv.status_code == 200 and csv.content.startswith(b"\xef\xbb\xbf")
                assert c.get(prefix + path + f"?table={tb['name']}&format=xlsx").content[:2] == b"PK"


def test_projects_page_words_stages_and_links_each_project(c):
    d = c.get("/projects?format=json").json()
    tables = {tb["name"]: tb for tb in d["tables"]}
    assert [(r["stage"], r["n"]) for r in tables["funnel"]["rows"]] == [("签约", 2), ("开工", 2), ("投产", 0), ("达产", 0)]
    assert [(r["_by"], r["stage"], r["n"]) for r in tables["by_district"]["rows"][:2]] == [("东岸区", "签约", 1),
                                                                                        ("东岸区", "开工", 1)]
    assert {r["_by"] for r in tables["by_cluster"]["rows"]} == {"照明", "未归入集群"}
    p1 = next(r for r in tables["projects"]["rows"] if r["project_id"] == "P1")
    assert p1["_url"] == "/projects/P1" and p1["district"] == "东岸区" and p1["stage"] == "开工" and p1["days_overdue"] > 0
    assert p1["next_stage"] == "投产" and p1["next_planned"] == "2024-06-01" and "2024-06-01" in p1["reasons"]
    assert 'id="chart-funnel"' in c.get("/projects").text
    assert [r["project_id"] for r in c.get(f"/projects?district={WEST}&format=json").json()["tables"][-1]["rows"]] == ["P2"]
    r = c.get("/projects?district=110101")
    assert r.status_code == 422 and "东岸区" in r.text
    one = c.get("/projects/P1?format=json").json()
    tables = {tb["name"]: tb for tb in one["tables"]}
    assert tables["stages"]["rows"][1] == {"stage": "开工", "planned": "2023-06-01", "actual": "2023-07-01", "slip": 30}
    assert [(r["column"], r["actor"]) for r in tables["history"]["rows"]] == [("新增", "cli:test")]
    assert tables["progress"]["rows"] == [{"year": 2024, "month": 1, "investment": 1000.0, "output": None}]
    en = {tb["name"]: tb for tb in c.get("/projects/P1?format=json&lang=en").json()["tables"]}
    assert en["history"]["rows"][0]["column"] == "created" and en["stages"]["rows"][1]["stage"] == "construction started"
    assert c.get("/projects/P9").status_code == 404 and "P9" in c.get("/projects/P9").text


def test_services_and_tasks_pages_word_the_real_summaries(c):
    d = {tb["name"]: tb for tb in c.get("/services?format=json").json()["tables"]}
    assert {r["_by"]: r["overdue"] for r in d["by_department"]["rows"]} == {"经济信息委": 1, "西岸区": 1}
    assert {r["_by"] for r in d["by_district"]["rows"]} == {"东岸区", "西岸区"}
    assert {r["_by"] for r in d["by_category"]["rows"]} == {"用地", "融资"}
    en = {tb["name"]: tb for tb in c.get("/services?format=json&lang=en").json()["tables"]}
    assert "Economy Commission" in {r["_by"] for r in en["by_department"]["rows"]}
    assert {r["_by"] for r in en["by_category"]["rows"]} == {"land", "financing"}
    q1 = next(r for r in d["problems"]["rows"] if r["problem_id"] == "Q1")
    assert q1["department"] == "经济信息委" and q1["category"] == "用地" and q1["days_overdue"] > 0 and q1["reasons"]
    t = {tb["name"]: tb for tb in c.get("/tasks?format=json&lang=zh").json()["tables"]}
    assert {r["_by"]: r["n"] for r in t["by_department"]["rows"]} == {"东岸区": 1, "经济信息委": 1}
    assert [r["_by"] for r in t["by_task"]["rows"]] == ["园区提质"]
    w1 = next(r for r in t["items"]["rows"] if r["item_id"] == "W1")
    assert w1["lead"] == "东岸区" and w1["cooperating"] == "经济信息委" and w1["completion"] == 30
    assert w1["_url"] == "/tasks/W1" and w1["status"] == "逾期未完成" and "2025-12-31" in w1["reasons"]
    one = {tb["name"]: tb for tb in c.get("/tasks/W1?format=json&lang=zh").json()["tables"]}
    assert [r["text"] for r in one["milestones"]["rows"]] == ["完成规划"]
    assert [r["report_id"] for r in one["reports"]["rows"]] == ["R20240101-1"]


def test_hostile_text_is_escaped_in_html_and_json(c):
    for path in ("/projects", "/projects/P1", "/services", "/tasks/W1"):
        html = c.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html, path
        assert "&lt;script&gt;alert" in html, path
    twin = c.get("/services?format=json")  # data, not markup: served as JSON, the text as written
    assert twin.headers["content-type"].startswith("application/json")
    assert any(r["description"] == XSS for r in twin.json()["tables"][-1]["rows"])
    # JSON inside a page (the charts' options, the warnings' evidence) never closes its script element
    assert "</script><img" not in c.get("/projects").text and "</script><img" not in c.get("/monitoring").text


def test_downloads_defuse_formulas(c):
    for path, table, needle in (("/services", "problems", "HYPERLINK"), ("/projects", "projects", "HYPERLINK"),
                                ("/tasks/W1", "reports", "HYPERLINK")):
        body = c.get(f"{path}?table={table}&format=xlsx").content
        ws = load_workbook(io.BytesIO(body)).active
        cells = [str(v) for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str) and needle in v]
        assert cells and all(not v.startswith("=") for v in cells), cells
        csv = c.get(f"{path}?table={table}&format=csv").text
        assert needle in csv and "\n=HYPERLINK" not in csv and ",=HYPERLINK" not in csv


def _rows_of(df, lang):
    from zhizao.outputs.monitoring_view import chain_warning_rows
    return chain_warning_rows(df, lang)


def test_a_district_user_sees_and_edits_only_their_district(fresh):
    app, db = fresh
    c = as_user(app, DISTRICT_EAST)
    n = versions(db)
    listed = c.get("/projects?format=json").json()["tables"][-1]
    assert [r["project_id"] for r in listed["rows"]] == ["P1"] and listed["hidden"] == 1
    assert "西岸电池项目" not in c.get("/projects").text
    assert c.get("/projects/P2").status_code == 404  # another district's: as if absent
    # the forms answer another district's row exactly as a row that does not exist (same status, same body)
    for path, data, other in (("/projects/{}/stage", {"stage": "production", "date": "2024-07-01"}, "P2"),
                              ("/services/{}/resolve", {"resolved": "2024-02-01", "resolution": "ok"}, "Q2"),
                              ("/tasks/{}/report", {"date": "2024-02-01", "completion": "10", "text": "x"}, "W2")):
        theirs = c.post(path.format(other), data=data, headers=csrf_headers(c))
        absent = c.post(path.format("NOPE123"), data=data, headers=csrf_headers(c))
        assert theirs.status_code == absent.status_code == 404, (path, theirs.text[:300])
        assert theirs.text.replace(other, "ID") == absent.text.replace("NOPE123", "ID")
    # a new problem of another district: refused by the api's district check, in words, nothing stored
    r = c.post("/services/add?format=json", data={"district": WEST, "enterprise_name": "x", "category": "land",
                                                  "description": "d", "department": "econ", "raised": "2024-01-01",
                                                  "deadline": "2024-02-01"}, headers=csrf_headers(c))
    assert r.status_code == 422 and not r.json()["form"]["ok"]
    assert "东岸区" in r.json()["form"]["problems"][0]["message"] and "Traceback" not in r.text
    assert versions(db) == n  # nothing stored
    items = c.get("/tasks?format=json").json()["tables"][-1]
    assert [r["item_id"] for r in items["rows"]] == ["W1"] and items["hidden"] == 1
    problems = c.get("/services?format=json").json()
    assert [r["problem_id"] for r in problems["tables"][-1]["rows"]] == ["Q1"]
    assert [p["code"] for p in problems["forms"]["resolve"]["problems"]] == ["Q1"]
    assert [d["code"] for d in problems["forms"]["problem"]["districts"]] == [EAST]
    # warnings on /monitoring: their own district's only
    rows, _ = dl_pages.warning_rows(SimpleNamespace(user=DISTRICT_EAST, lang="zh", base="", plan=app.state.web.plan,
                                                    state=app.state.web, request=None), _rows_of)
    assert {w["subject_id"] for w in rows} <= {"P1", "Q1", "W1"} and {"P1", "Q1"} <= {w["subject_id"] for w in rows}


def test_forms_store_edits_with_their_history_and_refuse_bad_ones(fresh):
    app, db = fresh
    c = as_user(app, DISTRICT_EAST)
    n = versions(db)
    # a stage date before the previous stage's: refused on the page, in the reader's language, nothing stored
    page = c.post("/projects/P1/stage", data={"stage": "production", "date": "2022-01-01"}, headers=csrf_headers(c))
    assert page.status_code == 200 and 'id="dl-form-refused"' in page.text and "Traceback" not in page.text
    assert "2022-01-01" in page.text and versions(db) == n
    en = c.post("/projects/P1/stage?lang=en&format=json", data={"stage": "production", "date": "2022-01-01"},
                headers=csrf_headers(c))
    assert en.status_code == 422 and en.json()["form"]["problems"]
    assert "is before" in en.json()["form"]["problems"][0]["message"] and "nothing was written" in en.json()["form"]["message"]
    assert versions(db) == n
    # a good one: stored as an edit by the user, in the project's history
    ok = c.post("/projects/P1/stage?lang=zh", data={"stage": "production", "date": "2024-07-01"}, headers=csrf_headers(c))
    assert ok.status_code == 200 and 'id="dl-form-ok"' in ok.text and versions(db) == n + 1
    one = {tb["name"]: tb for tb in c.get("/projects/P1?format=json&lang=zh").json()["tables"]}
    assert one["stages"]["rows"][2]["actual"] == "2024-07-01"
    assert (one["history"]["rows"][0]["column"], one["history"]["rows"][0]["after"],
            one["history"]["rows"][0]["actor"]) == ("实际投产日期", "2024-07-01", "east")
    # a progress report: stored, listed newest first, in the item's history
    ok = c.post("/tasks/W1/report?format=json", data={"date": "2024-02-01", "completion": "45", "text": "已完成选址",
                                                      "attachments": "a.pdf; b.docx"}, headers=csrf_headers(c))
    assert ok.status_code == 200 and ok.json()["form"]["ok"], ok.text[:500]
    item = {tb["name"]: tb for tb in ok.json()["tables"]}
    assert (item["reports"]["rows"][0]["text"], item["reports"]["rows"][0]["completion"],
            item["reports"]["rows"][0]["attachments"]) == ("已完成选址", 45, "a.pdf;b.docx")
    assert item["reports"]["rows"][0]["report_id"] in {r["key"] for r in item["history"]["rows"]}
    w1 = next(r for r in c.get("/tasks?format=json").json()["tables"][-1]["rows"] if r["item_id"] == "W1")
    assert w1["completion"] == 45 and w1["last_report"] == "2024-02-01"
    m = versions(db)
    bad = c.post("/tasks/W1/report?format=json", data={"date": "2024-02-01", "completion": "120", "text": "x"},
                 headers=csrf_headers(c))
    assert bad.status_code == 422 and "0—100" in bad.json()["form"]["problems"][0]["message"] and versions(db) == m
    # a problem added, then resolved
    ok = c.post("/services/add?format=json", data={"district": EAST, "enterprise_name": "东岸新材", "category": "land",
                                                   "description": "用地指标未落实", "department": "econ",
                                                   "raised": "2024-03-01", "deadline": "2024-04-01"},
                headers=csrf_headers(c))
    assert ok.status_code == 200 and ok.json()["form"]["ok"], ok.text[:500]
    new = next(r for r in ok.json()["tables"][-1]["rows"] if r["enterprise_name"] == "东岸新材")
    assert new["problem_id"].startswith("Q") and new["status"] == "待办"
    bad = c.post("/services/add?format=json", data={"district": EAST, "enterprise_name": "x", "category": "land",
                                                    "description": "d", "department": "econ", "raised": "2024-03-01",
                                                    "deadline": "2024-02-01"}, headers=csrf_headers(c))
    assert bad.status_code == 422 and bad.json()["form"]["problems"]  # a deadline before it was raised
    ok = c.post("/services/_/resolve", data={"problem_id": new["problem_id"], "resolved": "2024-03-20",
                                             "resolution": "已协调供地"}, headers=csrf_headers(c))
    assert ok.status_code == 200 and 'id="dl-form-ok"' in ok.text
    done = next(r for r in c.get("/services?format=json").json()["tables"][-1]["rows"]
                if r["problem_id"] == new["problem_id"])
    assert (done["status"], done["resolved"], done["resolution"]) == ("已办结", "2024-03-20", "已协调供地")
    # no CSRF token: refused, nothing stored
    m = versions(db)
    assert c.post("/projects/P1/stage", data={"stage": "full_production", "date": "2025-07-01"}).status_code == 403
    assert versions(db) == m


def test_guests_see_counts_only_and_cannot_post(app, store):
    c = as_user(app, auth.GUEST)
    n = versions(store[0])
    d = c.get("/projects?format=json").json()
    assert d["guest"] and d["tables"][-1]["rows"] == [] and d["tables"][-1]["hidden"] == 2
    assert d["tables"][0]["rows"]  # the funnel: counts for everyone
    html = c.get("/services").text
    assert 'id="dl-guest"' in html and 'id="problem-form"' not in html
    r = c.post("/services/add", data={"district": EAST}, headers=csrf_headers(c))
    assert r.status_code == 403 and "只能查看" in r.text and versions(store[0]) == n
    app.dependency_overrides.clear()


def test_the_2023_2027_plan_has_no_task_decomposition(c):
    for lang, words in (("zh", "本规划未列任务分工"), ("en", "this plan has no task decomposition")):
        r = c.get(f"/p/{OTHER_PLAN}/tasks?lang={lang}")
        assert r.status_code == 200 and words in r.text, r.text[:400]
    assert c.get(f"/p/{OTHER_PLAN}/tasks?format=json").json()["no_tasks"] is True
    assert c.get(f"/p/{OTHER_PLAN}/tasks/W1").status_code == 404


def test_delivery_upload_of_the_filled_template_for_city_and_district_users(fresh, tmp_path):
    app, db = fresh
    plan = app.state.web.plan
    c = as_user(app, auth.LOCAL)
    assert 'id="delivery-upload-form"' in c.get("/data").text
    book = filled_template(plan, {"projects": [{**LEDGER["projects"][1], "project_id": "P3", "name": "西岸新项目"}],
                                  "problems": [{**LEDGER["problems"][0], "problem_id": "Q3"}]})
    ok = c.post("/data/delivery/upload?format=json", files=[("files", ("台账.xlsx", book, "application/octet-stream"))],
                headers=csrf_headers(c))
    assert ok.status_code == 200 and ok.json()["delivery_upload"]["ok"], ok.text[:800]
    assert ok.json()["delivery_upload"]["rows_text"] == "项目 1 行、三服务问题 1 行"
    assert "P3" in {r["project_id"] for r in c.get("/projects?format=json").json()["tables"][-1]["rows"]}
    # a district user: every row must be of their district, else nothing is imported
    e = as_user(app, DISTRICT_EAST)
    n = versions(db)
    other = filled_template(plan, {"projects": [{**LEDGER["projects"][1], "project_id": "P4", "name": "西岸另一项目"}]})
    r = e.post("/data/delivery/upload?format=json", files=[("files", ("台账.xlsx", other, "application/octet-stream"))],
               headers=csrf_headers(e))
    assert r.status_code == 422 and r.json()["delivery_upload"]["problems"][0]["code"] == "outside_district"
    assert versions(db) == n
    mine = filled_template(plan, {"projects": [{**LEDGER["projects"][0], "project_id": "P5", "name": "东岸新项目"}]})
    r = e.post("/data/delivery/upload?format=json", files=[("files", ("台账.xlsx", mine, "application/octet-stream"))],
               headers=csrf_headers(e))
    assert r.status_code == 200 and r.json()["delivery_upload"]["ok"] and versions(db) == n + 1
    bad = filled_template(plan, {"projects": [{**LEDGER["projects"][0], "project_id": "P6", "started": "2022-01-01"}]})
    r = e.post("/data/delivery/upload", files=[("files", ("台账.xlsx", bad, "application/octet-stream"))],
               headers=csrf_headers(e))
    assert r.status_code == 200 and "P6" not in str(dl_api.delivery_data(db=db, plan=PLAN_ID).projects["project_id"].tolist())
    assert "Traceback" not in r.text
    g = as_user(app, auth.GUEST)
    assert g.post("/data/delivery/upload", files=[("files", ("x.csv", b"a", "text/csv"))],
                  headers=csrf_headers(g)).status_code == 403


def _upload(client, book: bytes, lang: str = "zh"):
    return client.post(f"/data/delivery/upload?format=json&lang={lang}",
                       files=[("files", ("台账.xlsx", book, "application/octet-stream"))], headers=csrf_headers(client))


def test_a_district_user_cannot_take_over_another_districts_rows_by_key(fresh):
    """B1/B12: the takeover of a project, a problem, a work item (by adding one's district as co-operating),
    a progress report and a month of progress, all in one upload: every row refused at once, nothing stored."""
    app, db = fresh
    plan = app.state.web.plan
    e = as_user(app, DISTRICT_EAST)
    n = versions(db)
    before = dl_api.delivery_data(db=db, plan=PLAN_ID)
    hijack = filled_template(plan, {
        "projects": [{**LEDGER["projects"][1], "district": EAST, "name": "被东岸区接管"}],
        "problems": [{**LEDGER["problems"][1], "district": EAST, "status": "resolved", "resolved": "2024-02-01",
                      "resolution": "已办结（伪）"}],
        "work_items": [{**LEDGER["work_items"][1], "cooperating": EAST}]})
    r = _upload(e, hijack)
    assert r.status_code == 422, r.text[:800]
    problems = r.json()["delivery_upload"]["problems"]
    assert {p["sheet"] for p in problems} == {"项目", "三服务问题", "任务分工"} and "Traceback" not in r.text
    assert all(p["code"] == "outside_district" and "已有记录" in p["message"] for p in problems), problems
    # rows hanging on another district's project or item: a month of progress, a progress report
    hanging = filled_template(plan, {
        "project_progress": [{"project_id": "P2", "year": 2024, "month": 2, "investment": 5}],
        "progress_reports": [{"report_id": "R20240301-9", "item_id": "W2", "date": "2024-03-01", "completion": 90,
                              "text": "伪造进展", "reporter": "east"}]})
    r = _upload(e, hanging)
    assert r.status_code == 422 and {p["sheet"] for p in r.json()["delivery_upload"]["problems"]} == {"项目进度", "进展报告"}
    assert versions(db) == n
    after = dl_api.delivery_data(db=db, plan=PLAN_ID)
    for frame in ("projects", "problems", "work_items", "progress_reports", "project_progress"):
        pd.testing.assert_frame_equal(getattr(after, frame), getattr(before, frame))
    # the same in English: the messages are English
    en = _upload(e, hijack, "en").json()["delivery_upload"]["problems"]
    assert en and all("district" in p["message"] for p in en)


def test_a_field_over_its_limit_is_refused_and_the_form_says_the_limit(fresh):
    app, db = fresh
    c = as_user(app, DISTRICT_EAST)
    n = versions(db)
    html = c.get("/services").text
    assert f'name="description" rows="3" maxlength="{dl_pages.limit_of("description")}"' in html
    assert f'name="enterprise_name" maxlength="{dl_pages.limit_of("enterprise_name")}"' in html
    assert dl_pages.limit_of("enterprise_name") == 200 and dl_pages.limit_of("attachments") == 500
    r = c.post("/services/add?format=json", data={"district": EAST, "enterprise_name": "长" * 201, "category": "land",
                                                  "description": "x" * 5000, "department": "econ",
                                                  "raised": "2024-01-01", "deadline": "2024-02-01"},
               headers=csrf_headers(c))
    assert r.status_code == 422
    said = [p["message"] for p in r.json()["form"]["problems"]]
    assert any("问题描述" in m and "2000" in m and "5000" in m for m in said), said
    assert any("企业名称" in m and "200" in m for m in said), said
    r = c.post("/tasks/W1/report?format=json&lang=en", data={"date": "2024-02-01", "completion": "5", "text": "ok",
                                                            "attachments": "a" * 501}, headers=csrf_headers(c))
    assert r.status_code == 422 and "Attachments" in r.json()["form"]["problems"][0]["message"]
    assert "500" in r.json()["form"]["problems"][0]["message"]
    assert versions(db) == n  # nothing stored, nothing cut short


def test_local_form_edits_name_the_web_not_the_cli(fresh):
    app, db = fresh
    c = as_user(app, auth.LOCAL)
    ok = c.post("/projects/P1/stage?format=json", data={"stage": "production", "date": "2024-07-01"},
                headers=csrf_headers(c))
    assert ok.status_code == 200 and ok.json()["form"]["ok"], ok.text[:500]
    hist = dl_api.delivery_data(db=db, plan=PLAN_ID).history
    actor = hist.sort_values("recorded_at").iloc[-1]["actor"]
    assert actor.startswith("web:") and not actor.startswith("cli:")


def test_long_lists_are_paged_and_their_downloads_are_whole(fresh, tmp_path):
    app, db = fresh
    plan = app.state.web.plan
    c = as_user(app, auth.LOCAL)
    many = [{**LEDGER["problems"][0], "problem_id": f"QM{i:04d}", "description": f"第{i}个问题"} for i in range(230)]
    assert _upload(c, filled_template(plan, {"problems": many})).json()["delivery_upload"]["ok"]
    d = c.get("/services?format=json").json()
    problems = d["tables"][-1]
    total = 232  # Q1, Q2 and these
    assert len(problems["rows"]) == dl_pages.PER_PAGE and problems["paging"]["total"] == total
    assert problems["paging"]["pages"] == 3 and problems["paging"]["next_url"].endswith("page=2")
    assert len(d["forms"]["resolve"]["problems"]) <= dl_pages.PER_PAGE  # the form offers this page's open ones
    last = c.get("/services?format=json&page=3").json()["tables"][-1]
    assert len(last["rows"]) == total - 2 * dl_pages.PER_PAGE and last["paging"]["prev_url"].endswith("page=2")
    seen = {r["problem_id"] for p in (1, 2, 3) for r in c.get(f"/services?format=json&page={p}").json()["tables"][-1]["rows"]}
    assert len(seen) == total
    html = c.get("/services?page=2").text
    assert 'id="problems-pager"' in html and 'id="problems-more"' in html and "第 2/3 页" in html
    csv = c.get("/services?table=problems&format=csv&page=2")
    assert csv.status_code == 200 and len(pd.read_csv(io.BytesIO(csv.content))) == total  # the download: every row
    assert c.get("/services?page=x").status_code == 422 and "Traceback" not in c.get("/services?page=x").text
    assert len(c.get("/services?format=json&page=999").json()["tables"][-1]["rows"]) == total - 2 * dl_pages.PER_PAGE


def test_office_layouts_are_reachable_and_district_scoped(fresh):
    from docx import Document

    app, db = fresh
    e = as_user(app, DISTRICT_EAST)
    for path, links in (("/services", ["services_ledger"]), ("/tasks", ["tasks_table", "tasks_docx"]),
                        ("/projects", ["projects_ledger"])):
        d = e.get(path + "?format=json").json()
        assert [x["kind"] for x in d["office"]] == links
        assert 'id="dl-office"' in e.get(path).text
    book = e.get("/services/ledger.xlsx")
    assert book.status_code == 200 and book.headers["content-type"].startswith(dl_pages.XLSX)
    cells = " ".join(str(v) for row in load_workbook(io.BytesIO(book.content)).active.iter_rows(values_only=True)
                     for v in row if v is not None)
    assert "东岸精工" in cells and "西岸泵业" not in cells  # a district user's ledger: their rows
    projects = e.get("/projects/ledger.xlsx")
    cells = " ".join(str(v) for row in load_workbook(io.BytesIO(projects.content)).active.iter_rows(values_only=True)
                     for v in row if v is not None)
    assert "P1" in cells and "P2" not in cells
    doc = e.get("/tasks/table.docx")
    assert doc.status_code == 200 and doc.headers["content-type"].startswith(dl_pages.DOCX)
    words = " ".join(cell.text for t in Document(io.BytesIO(doc.content)).tables for row in t.rows for cell in row.cells)
    assert "东岸园区提质" in words and "全市统筹" not in words
    assert e.get("/tasks/table.xlsx").status_code == 200
    assert as_user(app, auth.LOCAL).get(f"/p/{PLAN_ID}/services/ledger.xlsx").status_code == 200
    g = as_user(app, auth.GUEST)
    assert g.get("/services/ledger.xlsx").status_code == 401 and g.get("/services?format=json").json()["office"] == []


def test_routes_are_registered_with_their_permissions(app):
    for p in dl_pages.PAGES:
        assert auth.ROUTE_PERMISSIONS[("GET", p)] == "read_public"
        assert auth.ROUTE_PERMISSIONS[("GET", f"/p/{{plan_id}}{p}")] == "read_public"
    for p in (*dl_pages.FORMS.values(), dl_pages.UPLOAD):
        assert auth.ROUTE_PERMISSIONS[("POST", p)] == "import"


def test_monitoring_lists_the_delivery_warnings_of_the_users_rows(app):
    """Without monitoring data (the fixture's folder is empty) the page still lists them, scoped."""
    c = as_user(app, auth.LOCAL)
    rows = c.get("/monitoring?format=json").json()["delivery_warnings"]["rows"]
    by = {(w["rule"], w["subject_id"]): w for w in rows}
    assert {("project_stage_overdue", "P1"), ("project_stage_overdue", "P2"), ("problem_overdue", "Q1"),
            ("problem_overdue", "Q2"), ("task_overdue", "W1"), ("task_overdue", "W2")} <= set(by)
    assert rows[0]["severity"] == "high"  # most severe first
    assert by[("project_stage_overdue", "P1")]["url"] == "/projects/P1"
    assert by[("project_stage_overdue", "P1")]["rule_title"] == "项目阶段逾期"
    assert by[("problem_overdue", "Q1")]["url"] == "/services" and by[("task_overdue", "W1")]["url"] == "/tasks/W1"
    html = c.get("/monitoring").text
    assert 'id="delivery-warning-table"' in html and "<script>alert" not in html
    # the page cache knows users by their session, which the override does not give: another query per user
    east = as_user(app, DISTRICT_EAST).get("/monitoring?format=json&u=east").json()["delivery_warnings"]["rows"]
    assert {w["subject_id"] for w in east} == {"P1", "Q1", "W1"}
    assert as_user(app, auth.GUEST).get("/monitoring?format=json&u=guest").json()["delivery_warnings"]["rows"] == []
    app.dependency_overrides.clear()


def test_monitoring_with_data_lists_the_synthetic_default_beside_the_others(bundled_db, tmp_path):
    from zhizao.synth import generate

    generate(40, 14, "2023-01", seed=3).write(tmp_path / "synth")
    application = create_app(db=bundled_db, monitoring_data=tmp_path / "synth", warm=False, allowed_hosts=HOSTS)
    with TestClient(application) as c:
        d = c.get("/monitoring?format=json").json()
        assert d["available"] and "project_stage_overdue" in {r["id"] for r in d["rules"]}
        assert "work_item" in {x["id"] for x in d["subject_types"]}
        stage = c.get("/monitoring?rule=project_stage_overdue&format=json").json()
        assert stage["warnings"] and all(w["delivery"] and w["url"] == f"/projects/{w['subject_id']}"
                                         for w in stage["warnings"])
        assert all(w["synthetic"] for w in stage["warnings"])
        assert c.get("/monitoring?rule=problem_overdue&format=json").json()["warning_filter"]["shown"] > 0


# --- the embedded plans: their labelled synthetic default and the plan's own 任务分工 -------------------------
@pytest.fixture(scope="module")
def real(bundled_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("dl-real") / "store.duckdb"
    shutil.copy(bundled_db, db)
    with TestClient(create_app(db=db, warm=False, allowed_hosts=HOSTS)) as client:
        yield client


@pytest.mark.parametrize("prefix", ["", f"/p/{OTHER_PLAN}"])
def test_embedded_plans_show_the_labelled_synthetic_default(real, prefix):
    for path in ("/projects", "/services", "/tasks"):
        for lang in ("zh", "en"):
            r = real.get(f"{prefix}{path}?lang={lang}")
            assert r.status_code == 200 and "Traceback" not in r.text, (prefix + path, r.text[:300])
        d = real.get(prefix + path + "?format=json&lang=zh").json()
        if path != "/tasks":
            assert d["data"]["synthetic"] is True and 'id="synthetic-banner"' in real.get(prefix + path).text
            assert d["tables"][-1]["rows"] and all(tb["rows"] for tb in d["tables"][:2])
    tasks = real.get(prefix + "/tasks?format=json&lang=zh").json()
    if prefix:
        assert tasks["no_tasks"] is True
    else:
        assert tasks["basis_note"] and tasks["tables"][-1]["rows"] and tasks["data"]["synthetic"] is True
        by = {tb["name"]: tb for tb in tasks["tables"]}
        assert "市级有关部门" in {r["_by"] for r in by["by_department"]["rows"]}
        first = tasks["tables"][-1]["rows"][0]
        assert first["basis"] == "规划原文"
        one = real.get(first["_url"] + "?format=json").json()
        assert {tb["name"] for tb in one["tables"]} == {"milestones", "reports", "history"}
        project = real.get("/projects?format=json").json()["tables"][-1]["rows"][0]
        assert real.get(project["_url"]).status_code == 200


# --- a phone, in Chromium ------------------------------------------------------------------------------
def test_no_delivery_page_is_wider_than_a_phone_and_print_hides_the_forms(app, browser):
    import threading
    import time

    import uvicorn

    from webtest_support import free_port, guarded_page

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the test server did not start"
        time.sleep(0.05)
    try:
        with guarded_page(browser) as page:
            page.set_viewport_size({"width": 390, "height": 844})
            wide = {}
            for path in PAGES:
                page.goto(f"http://127.0.0.1:{port}{path}")
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > 390:
                    wide[path] = width
            assert wide == {}
            page.goto(f"http://127.0.0.1:{port}/services")
            assert page.locator("#problem-form").is_visible()
            assert page.locator("#problems-table").inner_text().count("<script>") == 1  # the payload as text
            page.emulate_media(media="print")
            assert not page.locator("#problem-form").is_visible() and not page.locator("#dl-subnav").is_visible()
            assert page.locator("#problems-table").is_visible()
    finally:
        server.should_exit = True
        thread.join(timeout=10)




def test_without_monitoring_data_the_most_severe_warnings_are_listed_and_the_rest_counted(app, monkeypatch):
    """A hundred thousand overdue problems must not make a page of tens of MB: the first rows, most severe
    first, and a line saying how many more there are (the count in the heading stays the whole)."""
    from zhizao.outputs.web.pages import monitoring as mon_pages

    c = as_user(app, auth.LOCAL)
    whole = c.get("/monitoring?format=json&n=all").json()["delivery_warnings"]
    assert whole["more"] == 0 and len(whole["rows"]) == whole["count"] >= 6
    monkeypatch.setattr(mon_pages, "UNAVAILABLE_ROWS", 2)
    cut = c.get("/monitoring?format=json&n=two").json()["delivery_warnings"]
    assert cut["count"] == whole["count"] and cut["more"] == whole["count"] - 2
    assert cut["rows"] == whole["rows"][:2] and cut["rows"][0]["severity"] == "high"
    html = c.get("/monitoring?n=two").text
    assert f"另有 {whole['count'] - 2:,} 条较轻的预警未列出" in html
    app.dependency_overrides.clear()
