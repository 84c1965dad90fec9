"""The enterprise pages (issue 13): /enterprises, an enterprise, /muju, /srdi, /parks, a park, /green — each
with its JSON twin and table exports, at / and /p/<plan>/; what a district user and a guest may see of
enterprises; hostile names; bad parameters; the /data enterprise upload; a phone at 390 px.

Most tests run the pages over a stand-in for `zhizao.api_enterprises` (`FakeApi`, frames in the contract's
columns, on a fictional plan with two districts and a park system), so that they test the pages alone; the
tests at the end run the real API on the embedded plans (skipped until it is there)."""
from __future__ import annotations

import csv as csv_module
import io
import json
import shutil
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
import yaml
from fastapi.testclient import TestClient

from zhizao.errors import UserError
from zhizao.ingest.enterprise_frames import EnterpriseData, empty_frame
from zhizao.ingest.table import ImportProblem
from zhizao.outputs.web import auth
from zhizao.outputs.web.app import create_app
from zhizao.outputs.web.pages import enterprises as ent_pages
from zhizao.store.importing import ImportFailed

from webtest_support import csrf_headers, free_port, guarded_page

ASSETS = Path(__file__).parents[2] / "assets"
HOSTS = ["testserver"]
PLAN_ID = "riverton-enterprises-test"
EAST, WEST = "990101", "990102"
HOSTILE = '<script>alert("x")</script>"onerror=alert(1) 泵业'
E1, E2, E3 = "91990101MA0000001X", "91990102MA0000002X", "91990102MA0000003X"  # E3: the hostile name
NAMES = {E1: "东岸精工有限公司", E2: "西岸泵业有限公司", E3: HOSTILE}
DIST = {E1: EAST, E2: WEST, E3: WEST}
PAGES = ["/enterprises", f"/enterprises/{E2}", "/muju", "/srdi", "/parks", "/parks/P1", "/green"]


def enterprise_plan(tmp: Path) -> Path:
    """The fictional plan with two districts and a two-tier park system; no energy or water target."""
    doc = yaml.safe_load((ASSETS / "fictional-plan.yaml").read_text(encoding="utf-8"))
    doc["plan"]["id"] = PLAN_ID
    doc["regions"]["districts"] = [{"code": EAST, "name": "东岸区"}, {"code": WEST, "name": "西岸区"}]
    doc["park_system"] = {"name": "“1+2”园区体系", "name_en": "The 1+2 park system", "section": "四(五)",
                          "tiers": [{"id": "zone", "name": "开发区", "count": 1}, {"id": "park", "name": "特色园区", "count": 2}]}
    path = tmp / "enterprise-plan.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def _ents(ids=(E1, E2, E3), **cols) -> pd.DataFrame:
    return pd.DataFrame({"enterprise_id": list(ids), "name": [NAMES[i] for i in ids],
                         "district": [DIST[i] for i in ids], **{k: list(v) for k, v in cols.items()}})


def _reasons(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(reasons_zh=[f"{n}：说明" for n in df["name"]], reasons_en=[f"{n}: reasons" for n in df["name"]])


class FakeApi:
    """`zhizao.api_enterprises` as the contract writes it, over three enterprises in two districts."""

    def __init__(self, synthetic: bool = False):
        self.synthetic = synthetic
        self.imported: list = []
        self.fail: ImportFailed | None = None

    def enterprise_data(self, db=None, plan=None):
        reg = _ents(park=["P1", "P1", ""], industry_class=["3441", "3441", "3311"], size=["medium", "small", "small"],
                    established=["2010-01-01", "2015-06-01", ""])
        tags = pd.DataFrame([(E1, "srdi_sme", "municipal", "2022-03-01", ""), (E2, "high_tech", "", "2021-01-01", "2024-01-01")],
                            columns=["enterprise_id", "tag", "level", "acquired", "lost"])
        annual = pd.DataFrame([(i, y, 100.0, 5000.0 + k) for i in (E1, E2, E3) for k, y in enumerate((2023, 2024))],
                              columns=["enterprise_id", "year", "land_area", "revenue"]).astype({"year": "Int64"})
        parks = pd.DataFrame([("P1", "东岸开发区", "zone", f"{EAST};{WEST}", 3000.0, "3441", 300.0, 500.0, 20.0)],
                             columns=["park_id", "name", "tier", "districts", "area", "leading_industries",
                                      "target_investment_per_mu", "target_output_per_mu", "target_tax_per_mu"])
        return EnterpriseData(reg, tags, annual, empty_frame("srdi"), parks, empty_frame("green"),
                              synthetic=self.synthetic, source="合成数据 test" if self.synthetic else "test-enterprises.xlsx",
                              batch_id=None if self.synthetic else "b1", as_of="2024-12-31")

    @staticmethod
    def enterprise_source_words(d, lang="zh"):
        return d.source, ""

    def enterprises(self, plan=None, db=None, year=None, settings=None, district=None, park=None, tag=None):
        df = _ents(park=["P1", "P1", ""], industry_class=["3441", "3441", "3311"], size=["medium", "small", "small"],
                   tags=[["srdi_sme"], [], []])
        if district:
            df = df[df["district"] == district]
        if tag:
            df = df[df["tags"].map(lambda x: tag in x)]
        return df

    def enterprise_counts(self, plan=None, db=None, tag=None, level=None, **kw):
        assert tag is None  # every tag at once, a `tag` column first
        return pd.DataFrame({"tag": ["srdi_sme"] * 2, "year": [2023, 2024], "stock": [1, 1], "new": [0, 0], "lost": [0, 0]})

    def muju(self, plan=None, db=None, year=None, settings=None, level="enterprises"):
        if level == "classes":
            return pd.DataFrame({"group": ["above"] * 4, "klass": list("ABCD"), "n": [1, 0, 1, 1],
                                 "share": [1 / 3, 0.0, 1 / 3, 1 / 3]})  # fractions, as the analytics give them
        if level == "benchmarks":
            return pd.DataFrame({"group": ["above"], "item": ["tax_per_mu"], "benchmark": [12.5], "weight": [30.0],
                                 "cap": [3.0]})
        return _reasons(_ents(park=["P1", "P1", ""], industry_class=["3441"] * 3, group=["above"] * 3,
                              land_area=[100.0, 50.0, 10.0], tax_per_mu=[20.123456, 5.0, 1.0],
                              score=[95.0, 60.0, 40.0], rank=[1, 2, 3], klass=["A", "C", "D"],
                              imputed=[[], ["va_per_emission"], []]))

    def muju_prices(self, plan=None, db=None, year=None, settings=None):
        return _reasons(_ents((E2, E3), klass=["C", "D"], electricity=[100.0, 50.0], extra_cost=[5.0, 10.0]))

    def muju_summary(self, plan=None, db=None, year=None, settings=None, by="district"):
        keys = {"district": [EAST, WEST], "park": ["P1", ""], "industry": ["34", "33"]}[by]
        return pd.DataFrame({by: keys, "n": [1, 2], "n_A": [1, 0], "n_B": [0, 0], "n_C": [0, 1], "n_D": [0, 1],
                             "share_ab": [1.0, 0.0], "tax_per_mu": [20.0, 4.0]})

    def muju_changes(self, plan=None, db=None, year=None, settings=None):
        if year == 2023:  # as the real API: no figures for the year before
            raise UserError("2022 年没有年度指标，无法比较", "no annual figures for 2022")
        return _reasons(_ents(klass_before=["B", "C", ""], klass_now=["A", "C", "D"], change=["up", "same", "new"]))

    def backward_candidates(self, plan=None, db=None, year=None, settings=None):
        return _reasons(_ents((E3,), criteria=[["energy", "safety"]], n_failed=[2], klass=["D"]))

    def srdi_candidates(self, plan=None, db=None, year=None, settings=None, closest=False):
        df = _reasons(_ents((E2, E3), score=[55.0, 30.0], gap=[5.0, 30.0], eligible=[True, False],
                            qualifies=[False, False], missed_points=[{"rd": 5.0}, {}], check_rd=[False, True]))
        return df.iloc[:1] if closest else df

    def parks(self, plan=None, db=None, year=None, settings=None):
        return pd.DataFrame({"park_id": ["P1"], "name": ["东岸开发区"], "tier": ["zone"], "tier_name": ["开发区"],
                             "districts": [f"{EAST};{WEST}"], "area": [3000.0], "land_used": [150.0],
                             "n_enterprises": [2], "tax_per_mu": [16.7], "target_tax_per_mu": [20.0],
                             "tax_per_mu_met": [False], "rank": [1], "n_A": [1], "n_C": [1]})

    def park_enterprises(self, plan=None, db=None, year=None, settings=None, park_id=None):
        return self.muju(level="enterprises").iloc[:2]

    def green(self, plan=None, db=None, year=None, settings=None, level="status"):
        if level == "key_users":
            return _reasons(_ents((E1, E2), energy=[20000.0, 12000.0], value_added=[5000.0, 800.0]))
        return pd.DataFrame({"measure": ["energy", "energy"], "area": ["990100", EAST], "year": [2024, 2024],
                             "intensity": [0.5, 0.7], "yoy_change": [-3.0, 2.5], "level": [3, 1]})

    def enterprise_warnings(self, plan=None, db=None, year=None, settings=None):
        return pd.DataFrame(columns=["subject_type", "subject_id", "subject_name", "period", "rule", "severity",
                                     "evidence", "explanation_zh", "explanation_en"])

    def import_enterprise_data(self, paths, *, plan=None, db=None, actor=None, role=None, ip=None, progress=None):
        if self.fail is not None:
            raise self.fail
        self.imported.append([Path(p).name for p in paths])
        return {"batch_id": "b2", "plan_id": PLAN_ID, "file": ", ".join(Path(p).name for p in paths),
                "rows": {"registry": 3, "parks": 1}}


@pytest.fixture(scope="module")
def fake():
    return FakeApi()


@pytest.fixture(scope="module")
def app(bundled_db, tmp_path_factory, fake):
    tmp = tmp_path_factory.mktemp("ent-web")
    shutil.copy(bundled_db, tmp / "store.duckdb")
    mp = pytest.MonkeyPatch()
    mp.setattr(ent_pages, "ent_api", fake)
    application = create_app(db=tmp / "store.duckdb", plan=enterprise_plan(tmp), warm=False, allowed_hosts=HOSTS)
    yield application
    mp.undo()


@pytest.fixture(scope="module")
def _client(app):
    with TestClient(app) as client:
        yield client


@pytest.fixture
def c(_client, fake, monkeypatch):
    _client.cookies.clear()
    _client.app.dependency_overrides.clear()
    if ent_pages.ent_api is not fake:  # the `real` fixture below puts the real API in place for its module
        monkeypatch.setattr(ent_pages, "ent_api", fake)
        _client.app.state.plans.default.invalidate()
    return _client


def as_user(app, user: auth.User) -> TestClient:
    app.dependency_overrides[auth.current_user] = lambda: user
    return TestClient(app)


DISTRICT_WEST = auth.User(id="w", level="district", region=WEST, role="district", authenticated=True)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_in_both_languages_at_both_addresses(c, path):
    for prefix in ("", f"/p/{PLAN_ID}"):
        zh = c.get(prefix + path)
        assert zh.status_code == 200, (prefix + path, zh.text[:300])
        assert "Traceback" not in zh.text and 'id="ent-subnav"' in zh.text
        en = c.get(prefix + path + "?lang=en")
        assert en.status_code == 200 and 'lang="en"' in en.text
        twin = c.get(prefix + path + "?format=json").json()
        assert twin["plan"] == PLAN_ID and twin["data"]["synthetic"] is False and twin["data"]["batch_id"] == "b1"
        assert "test-enterprises.xlsx" in twin["data"]["notice"]
        for tb in twin["tables"]:  # each table downloads as CSV with its header row
            if tb["rows"]:
                csv = c.get(prefix + path + ("&" if "?" in path else "?") + f"table={tb['name']}&format=csv")
                assert csv.status_code == 200 and csv.content.startswith(b"\xef\xbb\xbf")
                head = next(csv_module.reader(io.StringIO(csv.text.lstrip("\ufeff"))))
                assert head == [col["label"] for col in tb["columns"]]


def test_the_nav_links_the_pages_and_the_registry_words_codes(c):
    html = c.get("/enterprises").text
    assert 'id="nav-enterprises"' in html and 'class="active"' in html
    for href in ("/enterprises", "/muju", "/srdi", "/parks", "/green"):
        assert f'href="{href}"' in html
    d = c.get("/enterprises?format=json").json()
    (reg, counts) = d["tables"]
    first = reg["rows"][0]
    assert first["district"] == "东岸区" and first["tags"] == "专精特新中小企业" and first["park"] == "东岸开发区"
    assert first["_url"] == f"/enterprises/{E1}"
    assert counts["rows"][0]["tag"] == "专精特新中小企业" and counts["rows"][0]["stock"] == 1
    en = c.get("/enterprises?format=json&lang=en").json()["tables"][0]["rows"][0]
    assert en["tags"] == "specialised SME (专精特新)"


def test_filters_are_checked(c):
    assert [r["enterprise_id"] for r in c.get(f"/enterprises?district={WEST}&format=json").json()["tables"][0]["rows"]] == [E2, E3]
    assert [r["enterprise_id"] for r in c.get("/enterprises?tag=srdi_sme&format=json").json()["tables"][0]["rows"]] == [E1]
    for q, words in (("district=110101", "所在区县"), ("tag=unicorn", "标签"), ("park=P9", "园区")):
        r = c.get(f"/enterprises?{q}")
        assert r.status_code == 422 and words in r.text and "Traceback" not in r.text
    r = c.get("/muju?year=1999")
    assert r.status_code == 422 and "2023、2024" in r.text
    assert c.get("/muju?year=1999&lang=en").text.count("2023, 2024") >= 1
    older = c.get("/muju?year=2023&format=json&lang=zh").json()
    assert older["year"] == 2023
    changes = next(tb for tb in older["tables"] if tb["name"] == "changes")
    assert changes["rows"] == [] and changes["empty"] == "2022 年没有年度指标，无法比较"
    assert "2022 年没有年度指标" in c.get("/muju?year=2023&lang=zh").text
    assert c.get("/muju?format=json").json()["year"] == 2024  # the latest by default


def test_unknown_ids_answer_404_naming_what_there_is(c):
    r = c.get("/parks/P9")
    assert r.status_code == 404 and "P1" in r.text
    assert c.get("/enterprises/91990101MA0000009X").status_code == 404
    assert c.get("/enterprises/%3Cscript%3E").status_code == 404


def test_muju_page_shows_classes_prices_changes_and_the_chart(c):
    d = c.get("/muju?format=json").json()
    tables = {tb["name"]: tb for tb in d["tables"]}
    assert set(tables) >= {"classes", "by_district", "by_park", "by_industry", "enterprises", "prices", "changes",
                           "backward", "benchmarks"}
    ent = tables["enterprises"]["rows"]
    assert [r["klass"] for r in ent] == ["A", "C", "D"] and ent[0]["tax_per_mu"] == 20.1235  # 6 significant digits
    assert ent[1]["imputed"] == "单位排放增加值"
    assert tables["backward"]["rows"][0]["criteria"] == "能耗、安全"
    assert tables["changes"]["rows"][0]["change"] == "上升"
    assert tables["by_district"]["rows"][0]["_by"] == "东岸区"
    assert tables["by_park"]["rows"][0]["_by"] == "东岸开发区"
    html = c.get("/muju").text
    assert 'id="chart-classes"' in html and 'class="klass klass-D"' in html and "20.1235" not in html
    assert c.get("/muju?table=prices&format=xlsx").content[:2] == b"PK"


def test_parks_page_names_the_plan_system_and_marks_targets(c):
    d = c.get("/parks?format=json").json()
    assert d["park_system"]["name"] == "“1+2”园区体系" and [x["count"] for x in d["park_system"]["tiers"]] == [1, 2]
    (parks,) = d["tables"]
    row = parks["rows"][0]
    assert row["_url"] == "/parks/P1" and row["districts"] == "东岸区、西岸区" and row["tax_per_mu_met"] == "否"
    labels_ = [col["label"] for col in parks["columns"]]
    assert "亩均税收（万元/亩） · 目标" in labels_ and "亩均税收（万元/亩） · 达标" in labels_
    one = c.get("/parks/P1?format=json").json()
    assert one["park"]["name"] == "东岸开发区" and len(one["tables"][1]["rows"]) == 2


def test_green_page_without_targets_says_so_and_words_levels(c):
    d = c.get("/green?format=json").json()
    assert d["message"] == "本规划未列单位增加值能耗、水耗约束性指标；下表只列数据中的强度变化"
    status = d["tables"][0]["rows"]
    assert [r["level"] for r in status] == ["三级（绿）", "一级（红）"] and status[1]["area"] == "东岸区"
    html = c.get("/green").text
    assert 'id="chart-intensity_energy"' in html and 'id="green-legend"' in html


def test_hostile_names_are_text_everywhere(c):
    for path in ("/enterprises", "/muju", "/srdi", f"/enterprises/{E3}"):
        html = c.get(path).text
        assert "<script>alert" not in html and "&lt;script&gt;alert" in html, path
    csv = c.get("/enterprises?table=enterprises&format=csv").text
    assert HOSTILE.replace('"', '""') in csv  # a CSV cell as written (quoted), not HTML-escaped


def test_a_district_user_sees_their_district_only(app):
    c = as_user(app, DISTRICT_WEST)
    try:
        for path in ("/enterprises", "/muju", "/srdi", "/parks/P1", "/green"):
            html = c.get(path).text
            assert NAMES[E1] not in html and E1 not in html, path
            d = c.get(path + "?format=json").json()
            text = json.dumps(d, ensure_ascii=False)
            assert NAMES[E1] not in text and E1 not in text, path
            assert any(tb["hidden"] for tb in d["tables"]) == (path != "/srdi"), path  # E1 is no 专精特新 candidate
            for tb in d["tables"]:
                if tb["rows"]:
                    csv = c.get(f"{path}?table={tb['name']}&format=csv").text
                    assert NAMES[E1] not in csv and E1 not in csv
        reg = c.get("/enterprises?format=json").json()["tables"][0]
        assert [r["enterprise_id"] for r in reg["rows"]] == [E2, E3] and reg["hidden"] == 1
        assert "另有 1 家企业不在您的查看范围" in c.get("/enterprises").text
        assert c.get(f"/enterprises/{E1}").status_code == 404  # as if it did not exist
        assert c.get(f"/enterprises/{E2}").status_code == 200
        # aggregates stay whole: every district's class counts
        assert len(c.get("/muju?format=json").json()["tables"][1]["rows"]) == 2
    finally:
        app.dependency_overrides.clear()


def test_a_guest_sees_counts_only(app):
    c = as_user(app, auth.GUEST)
    try:
        for path in ("/enterprises", "/muju", "/srdi", "/parks/P1", "/green"):
            d = c.get(path + "?format=json").json()
            text = json.dumps(d, ensure_ascii=False)
            assert all(n not in text for n in NAMES.values()) and all(i not in text for i in NAMES), path
        reg = c.get("/enterprises?format=json").json()["tables"][0]
        assert reg["rows"] == [] and reg["hidden"] == 3
        assert c.get(f"/enterprises/{E2}").status_code == 404
        assert c.get("/parks?format=json").json()["tables"][0]["rows"]  # parks are aggregates
    finally:
        app.dependency_overrides.clear()


def test_synthetic_data_are_labelled_on_page_json_and_export(app, fake, monkeypatch):
    synthetic = FakeApi(synthetic=True)
    monkeypatch.setattr(ent_pages, "ent_api", synthetic)
    state = app.state.plans.default
    state.invalidate()
    try:
        with TestClient(app) as c:
            html = c.get("/muju").text
            assert 'id="synthetic-banner"' in html and "合成数据（演示用" in html
            assert c.get("/muju?format=json").json()["data"]["synthetic"] is True
            csv = c.get("/muju?table=enterprises&format=csv").text.lstrip("\ufeff")
            head, first = list(csv_module.reader(io.StringIO(csv)))[:2]
            assert head[0] == "来源" and first[0].startswith("合成数据（演示用")
            assert "SYNTHETIC" in c.get("/muju?lang=en").text
    finally:
        monkeypatch.setattr(ent_pages, "ent_api", fake)
        state.invalidate()


def test_routes_are_public_pages_and_a_city_upload(app):
    routes = [r for r in auth.app_routes(app) if any(r[1].endswith(p) for p in ent_pages.PAGES)]
    assert len(routes) == 2 * len(ent_pages.PAGES)
    assert all(auth.ROUTE_PERMISSIONS[r] == "read_public" for r in routes)
    assert auth.ROUTE_PERMISSIONS[("POST", "/data/enterprises/upload")] == "import_city"
    assert auth.ROUTE_PERMISSIONS[("POST", f"/p/{{plan_id}}/data/enterprises/upload")] == "import_city"


def _upload(client, files, fmt="json"):
    return client.post(f"/data/enterprises/upload?format={fmt}", files=[("files", f) for f in files],
                       headers=csrf_headers(client))


def test_enterprise_upload_imports_or_lists_every_problem(c, fake):
    assert 'id="enterprise-upload-form"' in c.get("/data").text
    fake.fail = ImportFailed([ImportProblem(file="ent.xlsx[企业名录]", row=3, column="统一社会信用代码", value="123",
                                            code="bad_credit_code", message_zh="校验码错误", message_en="bad check character")])
    try:
        r = _upload(c, [("ent.xlsx", b"PK", "application/octet-stream")])
        assert r.status_code == 422
        (p,) = r.json()["enterprise_upload"]["problems"]
        assert (p["file"], p["sheet"], p["row"], p["column"]) == ("ent.xlsx", "企业名录", 3, "统一社会信用代码")
        page = _upload(c, [("ent.xlsx", b"PK", "application/octet-stream")], fmt="html")
        assert page.status_code == 200 and 'id="enterprise-problems"' in page.text and "校验码错误" in page.text
    finally:
        fake.fail = None
    bad = _upload(c, [("ent.txt", b"x", "text/plain")])
    assert bad.status_code == 422 and bad.json()["enterprise_upload"]["problems"][0]["code"] == "unsupported_file"
    ok = _upload(c, [("企业名录.csv", b"a,b\n", "text/csv"), ("园区.csv", b"a,b\n", "text/csv")])
    assert ok.status_code == 200, ok.text
    up = ok.json()["enterprise_upload"]
    assert up["ok"] and up["batch_id"] == "b2" and up["rows_text"] == "企业名录 3 行、园区 1 行"
    assert fake.imported[-1] == ["企业名录.csv", "园区.csv"]
    assert "/tmp" not in json.dumps(up, ensure_ascii=False)


def test_enterprise_upload_is_for_city_roles(app):
    for user in (DISTRICT_WEST, auth.GUEST):
        c = as_user(app, user)
        try:
            assert 'id="enterprise-upload-form"' not in c.get("/data").text
            r = c.post("/data/enterprises/upload", files=[("files", ("x.csv", b"a", "text/csv"))], headers=csrf_headers(c))
            assert r.status_code == 403 and "市级数据" in r.text
            en = c.post("/data/enterprises/upload?lang=en", files=[("files", ("x.csv", b"a", "text/csv"))],
                        headers=csrf_headers(c))
            assert en.status_code == 403 and "city-level" in en.text and "Traceback" not in en.text
        finally:
            app.dependency_overrides.clear()


# --- a phone, in Chromium ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def live(app):
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield SimpleNamespace(url=f"http://127.0.0.1:{port}")
    server.should_exit = True
    thread.join(timeout=10)


def test_no_enterprise_page_is_wider_than_a_phone_and_print_hides_the_navigation(live, browser):
    with guarded_page(browser) as page:
        page.set_viewport_size({"width": 390, "height": 844})
        wide = {}
        for path in PAGES:
            page.goto(live.url + path)
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide[path] = width
        assert wide == {}
        page.goto(live.url + "/muju")
        page.wait_for_selector('#chart-classes[data-ready="1"] canvas')
        page.emulate_media(media="print")
        assert not page.locator("#ent-subnav").is_visible() and page.locator("#enterprises-table").is_visible()


# --- the real enterprise API on the embedded plans (runs once zhizao.api_enterprises is merged) -----------------
SECOND = "chongqing-manufacturing-2023-2027"


@pytest.fixture(scope="module")
def real(bundled_db, tmp_path_factory):
    pytest.importorskip("zhizao.api_enterprises")
    db = tmp_path_factory.mktemp("ent-real") / "store.duckdb"
    shutil.copy(bundled_db, db)
    mp = pytest.MonkeyPatch()
    import zhizao.api_enterprises as real_api
    mp.setattr(ent_pages, "ent_api", real_api)  # another test module may have left a stand-in
    with TestClient(create_app(db=db, warm=False, allowed_hosts=HOSTS)) as client:
        yield client
    mp.undo()


@pytest.mark.parametrize("prefix", ["", f"/p/{SECOND}"])
def test_embedded_plans_show_the_labelled_synthetic_default(real, prefix):
    for path in ("/enterprises", "/muju", "/srdi", "/parks", "/green"):
        r = real.get(prefix + path)
        assert r.status_code == 200, (prefix + path, r.text[:300])
        assert 'id="synthetic-banner"' in r.text
        d = real.get(prefix + path + "?format=json").json()
        assert d["data"]["synthetic"] is True
    muju = real.get(prefix + "/muju?format=json").json()
    assert {r["klass"] for r in next(tb for tb in muju["tables"] if tb["name"] == "enterprises")["rows"]} >= {"A", "D"}
    first = real.get(prefix + "/enterprises?format=json").json()["tables"][0]["rows"][0]
    assert real.get(first["_url"]).status_code == 200


def test_the_second_plan_has_no_park_system_and_the_first_has_green_targets(real):
    assert real.get(f"/p/{SECOND}/parks?format=json").json()["message"] == "本规划未列园区体系，也没有导入园区数据"
    first = real.get("/parks?format=json").json()
    assert first["park_system"]["tiers"][0]["count"] == 2 and first["tables"][0]["rows"]
    green = real.get("/green?format=json").json()
    assert green["message"] is None
    assert {r["level"] for r in green["tables"][0]["rows"]} <= {"一级（红）", "二级（黄）", "三级（绿）"}
    assert any(r["level"] == "一级（红）" for r in green["tables"][1]["rows"])  # the synthetic district whose intensity rose


def test_enterprise_warnings_join_the_monitoring_list_with_their_pages(app, fake, monkeypatch):
    from zhizao.outputs import monitoring_view as mv

    rows = pd.DataFrame([("area", EAST, "东岸区", "2024-12", "green_level1", "high", {"yoy_change": 2.5}, "能耗强度上升", "rose"),
                         ("park", "P1", "东岸开发区", "2024-12", "park_below_target", "medium", {}, "低于目标", "below")],
                        columns=["subject_type", "subject_id", "subject_name", "period", "rule", "severity", "evidence",
                                 "explanation_zh", "explanation_en"])
    monkeypatch.setattr(fake, "enterprise_warnings", lambda **kw: rows)
    monkeypatch.setattr(ent_pages, "ent_api", fake)  # the `real` fixture above leaves the real API in place
    state = app.state.plans.default
    state.invalidate()
    try:
        ctx = SimpleNamespace(state=state, plan=state.plan, lang="zh")
        out, info = ent_pages.warning_rows(ctx, mv.chain_warning_rows)
        assert info["synthetic"] is False and info["source"] == "test-enterprises.xlsx"
        assert [(w["rule"], w["url"], w["severity"]) for w in out] == [
            ("green_level1", "/green", "high"), ("park_below_target", "/parks/P1", "medium")]
        assert out[0]["explanation"] == "能耗强度上升"
    finally:
        state.invalidate()


BACKWARD_WARNINGS = pd.DataFrame(
    [("district", WEST, "西岸区", "2024-12", "enterprise_backward", "low",
      {"n_candidates": 3, "enterprises": [E1, E2, E3]}, "西岸区有3家企业符合落后产能认定条件", "3 candidates"),
     ("area", EAST, "东岸区", "2024-12", "green_level1", "high", {"yoy_change": 2.5}, "能耗强度上升", "rose")],
    columns=["subject_type", "subject_id", "subject_name", "period", "rule", "severity", "evidence",
             "explanation_zh", "explanation_en"])


def test_monitoring_without_its_data_lists_the_enterprise_warnings_scoped_to_the_viewer(app, fake, monkeypatch):
    monkeypatch.setattr(fake, "enterprise_warnings", lambda **kw: BACKWARD_WARNINGS)
    monkeypatch.setattr(ent_pages, "ent_api", fake)
    state = app.state.plans.default
    state.invalidate()
    try:
        def evidence(client, who):  # `who`: the page cache keys by the signed-in user, not the stand-in one
            d = client.get(f"/monitoring?format=json&who={who}").json()
            ew = d["enterprise_warnings"]
            assert ew["count"] == 2 and [w["rule"] for w in ew["rows"]] == ["green_level1", "enterprise_backward"]
            (w,) = [w for w in ew["rows"] if w["rule"] == "enterprise_backward"]
            assert w["evidence"]["n_candidates"] == 3 and w["url"] == "/muju#section-backward"
            return w["evidence"]["enterprises"], json.dumps(d, ensure_ascii=False)

        with TestClient(app) as city:
            assert evidence(city, 'city')[0] == [E1, E2, E3]
            html = city.get("/monitoring").text
            assert 'id="enterprise-warnings"' in html and "西岸区有3家企业符合落后产能认定条件" in html
            assert "test-enterprises.xlsx" in html  # its own source, not the monitoring folder's
        west = as_user(app, DISTRICT_WEST)
        codes, text = evidence(west, 'west')
        assert codes == [E2, E3] and E1 not in text
        app.dependency_overrides.clear()
        guest = as_user(app, auth.GUEST)
        codes, text = evidence(guest, 'guest')
        assert codes == [] and not any(e in text for e in (E1, E2, E3))
    finally:
        app.dependency_overrides.clear()
        state.invalidate()


def test_a_warning_export_labels_each_row_by_its_own_data(monkeypatch):
    from zhizao.outputs.web.pages import monitoring as mon_pages

    d = {"period_label": "2024年12月", "synthetic": True, "synthetic_label": "合成数据（演示用，非真实企业）"}
    rows = [{"severity_label": "低", "rule_title": "落后产能", "subject_type": "district", "subject_type_label": "区县",
             "subject_name": "西岸区", "subject_id": WEST, "explanation": "x", "synthetic": False,
             "source": "企业数据.xlsx"},
            {"severity_label": "中", "rule_title": "增速回落", "subject_type": "district", "subject_type_label": "区县",
             "subject_name": "东岸区", "subject_id": EAST, "explanation": "y"}]
    df = mon_pages.warnings_frame(rows, d, "zh")
    assert list(df["来源"]) == ["企业数据.xlsx", "合成数据（演示用，非真实企业）"]
    d["synthetic"] = False
    assert "来源" not in mon_pages.warnings_frame(rows[1:], d, "zh").columns
    assert list(mon_pages.warnings_frame([{**rows[0], "synthetic": True}], d, "en")["Source"]) == \
        ["Synthetic data (demo, not real enterprises)"]


def test_shares_are_percent_and_each_group_shows_its_own_items(c):
    d = c.get("/muju?format=json").json()
    tables = {tb["name"]: tb for tb in d["tables"]}
    assert [r["share"] for r in tables["classes"]["rows"]] == [33.3333, 0.0, 33.3333, 33.3333]  # not 0.333
    assert [r["share_ab"] for r in tables["by_district"]["rows"]] == [100.0, 0.0]
    html = c.get("/muju").text
    assert ">33.3<" in html and ">0.3<" not in html
    help_ = tables["enterprises"]["help"]
    assert "权重的 2 倍为上限" in help_ and "总分因此可超过 100" in help_ and "规上企业评价：亩均税收。" in help_
    en = c.get("/muju?format=json&lang=en").json()["tables"]
    assert "capped at 2× its weight" in next(tb for tb in en if tb["name"] == "enterprises")["help"]


def test_industry_codes_come_with_their_names(c):
    rows = c.get("/muju?format=json").json()["tables"]
    ent = next(tb for tb in rows if tb["name"] == "enterprises")["rows"]
    assert ent[0]["industry_class"] == "3441 泵及真空设备制造"
    assert c.get(f"/enterprises/{E1}?format=json").json()["enterprise"]["industry_class"] == "3441 泵及真空设备制造"
    by = next(tb for tb in rows if tb["name"] == "by_industry")["rows"]
    assert by[0]["_by"] == "34 通用设备制造业"


def test_the_notice_says_the_data_years_and_the_import_date(c):
    d = c.get("/enterprises?format=json").json()["data"]
    assert d["years"]["annual"] == [2023, 2024]
    assert "数据年份：年度指标 2023—2024；导入于 2024-12-31" in d["notice"]
    en = c.get("/enterprises?format=json&lang=en").json()["data"]["notice"]
    assert "years: yearly figures 2023–2024; imported on 2024-12-31" in en


def test_a_filter_given_twice_is_refused_and_a_park_404_points_to_the_plans_parks(c):
    r = c.get(f"/enterprises?district={EAST}&district={WEST}")
    assert r.status_code == 422 and "district" in r.text and "只能给一个值" in r.text
    assert c.get("/muju?year=2023&year=2024&lang=en").status_code == 422
    r = c.get(f"/p/{PLAN_ID}/parks/P9")
    assert r.status_code == 404 and f"/p/{PLAN_ID}/parks" in r.text


def test_the_import_template_is_linked_on_the_data_page_in_both_languages(c):
    from openpyxl import load_workbook

    html = c.get("/data").text
    assert 'href="/data/enterprises/template"' in html
    assert 'href="/data/enterprises/template?lang=en"' in c.get("/data?lang=en").text
    for lang, sheet in (("zh", "企业名录"), ("en", "registry")):
        r = c.get(f"/data/enterprises/template?lang={lang}")
        assert r.status_code == 200 and r.content[:2] == b"PK"
        assert sheet in load_workbook(io.BytesIO(r.content)).sheetnames


def test_the_office_workbooks_hold_the_rows_the_user_may_see(app, c):
    from openpyxl import load_workbook

    def cells(client, path):
        r = client.get(path)
        assert r.status_code == 200, r.text[:200]
        wb = load_workbook(io.BytesIO(r.content))
        return {str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None}

    html = c.get("/muju").text
    assert 'id="workbook-results"' in html and 'href="/muju/prices.xlsx?year=2024"' in html
    every = cells(c, "/muju/results.xlsx?year=2024")
    assert {E1, E2, E3} <= every and NAMES[E1] in every
    assert {E2, E3} <= cells(c, "/muju/prices.xlsx")
    west = as_user(app, DISTRICT_WEST)
    try:
        mine = cells(west, "/muju/results.xlsx")
        assert E2 in mine and E1 not in mine and NAMES[E1] not in mine
    finally:
        app.dependency_overrides.clear()
    guest = as_user(app, auth.GUEST)
    try:
        assert 'id="workbook-results"' not in guest.get("/muju").text
        assert guest.get("/muju/results.xlsx").status_code == 404
    finally:
        app.dependency_overrides.clear()


def test_user_text_is_isolated_from_the_cells_around_it(c):
    html = c.get("/enterprises").text
    assert f"<bdi>{NAMES[E2]}</bdi>" in html and "<bdi>&lt;script&gt;" in html


def test_green_opens_with_the_whole_area_and_each_district_in_the_year_asked(real):
    d = real.get("/green?format=json").json()
    tb = next(tb for tb in d["tables"] if tb["name"] == "intensity")
    top = tb["rows"][:tb["top"]]
    assert len(tb["rows"]) > 3 * tb["top"] and tb["more_url"] == "/green?all=1#section-intensity"
    whole = {r["area"] for r in top[:3]}
    assert whole == {"重庆市"} and {r["year"] for r in top if r["area"] != "重庆市"} == {"2024"}
    assert "2019" in d["data"]["notice"] or "2020" in d["data"]["notice"]  # the area table's own years
    older = real.get("/green?year=2020&format=json")
    assert older.status_code == 200, older.text[:200]  # a year of the area table only
    tb = next(tb for tb in older.json()["tables"] if tb["name"] == "intensity")
    assert {r["year"] for r in tb["rows"][:tb["top"]] if r["area"] != "重庆市"} == {"2020"}
    users = next(tb for tb in older.json()["tables"] if tb["name"] == "key_users")
    assert users["rows"] == [] and "2020 年没有企业年度指标" in users["empty"]
    assert real.get("/green?all=1&format=json").json()["tables"][1]["top"] is None
    csv = real.get("/green?table=intensity&format=csv").text
    assert csv.count("\n") > len(top) + 50  # the export holds every row
    html = real.get("/green").text
    assert 'id="intensity-more"' in html and 'id="intensity-all"' in html


def test_green_chart_draws_the_whole_area_first_and_the_districts_in_grey(real):
    html = real.get("/green?lang=en").text
    energy = json.loads(html.split('id="chart-option-intensity_energy"', 1)[1].split(">", 1)[1].split("</script>", 1)[0])
    first, *others = energy["series"]
    assert first["name"] == "Whole area (500000)" and first["lineStyle"]["width"] == 4
    assert energy["legend"]["data"][0] == first["name"] and len(energy["legend"]["data"]) < len(energy["series"])
    assert {s["lineStyle"]["color"] for s in others} <= {ent_pages.GREY, ent_pages.LEVEL_COLOURS[1]}
    assert "Dadukou District" in {s["name"] for s in others}
    assert energy["yAxis"]["name"] == "Energy per unit of value added (tce per 10k yuan)"
    assert energy["yAxis"]["nameLocation"] == "middle"


def test_a_page_renders_at_most_html_rows_and_says_the_rest_are_in_the_export(c, monkeypatch):
    monkeypatch.setattr(ent_pages, "HTML_ROWS", 2)
    html = c.get("/enterprises").text
    assert 'id="enterprises-in-export"' in html and "另有 1 行未在网页列出" in html
    assert NAMES[E1] in html and NAMES[E2] in html and "<bdi>&lt;script&gt;" not in html
    assert len(c.get("/enterprises?format=json").json()["tables"][0]["rows"]) == 3
    assert c.get("/enterprises?table=enterprises&format=csv").text.count("\n") == 4  # the header and every row
