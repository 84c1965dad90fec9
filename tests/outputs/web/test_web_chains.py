"""The chain pages (issue 12): /chains, a chain's map, a link, the what-if — each with its JSON twin and
table exports, on a fictional plan with a chain (built here) and on the embedded plans; a plan without
chains; unknown ids; hostile enterprise names; what a district user and a guest may see of enterprises."""
from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from fastapi.testclient import TestClient

import zhizao.api as zz
from zhizao import formatting
from zhizao.analytics.chains.data import ChainData
from zhizao.outputs.web import auth
from zhizao.outputs.web.app import create_app

ASSETS = Path(__file__).parents[2] / "assets"
HOSTS = ["testserver"]
PLAN_ID = "riverton-chains-test"
EAST, WEST = "990101", "990102"  # the fictional plan's districts (added here)
HOSTILE = '<script>alert("x")</script>"onerror=alert(1) 泵业'
HOSTILE_ID = "91990101HOSTILE001"


def chain_plan(tmp: Path) -> Path:
    """The fictional plan with districts, a cluster, an industry, a technology, a supply region and one
    chain of four links (castings → motors → pumps → service, castings also straight into pumps)."""
    doc = yaml.safe_load((ASSETS / "fictional-plan.yaml").read_text(encoding="utf-8"))
    doc["plan"]["id"] = PLAN_ID
    doc["regions"]["districts"] = [{"code": EAST, "name": "东岸区"}, {"code": WEST, "name": "西岸区"}]
    doc["clusters"] = [{"id": "machines", "name": "装备集群", "scale_target": 1000, "target_year": 2027,
                        "target_text": "千亿级", "industries": ["pumps"], "section": "三(一)"}]
    doc["industries"] = [{"id": "pumps", "name": "水泵", "group": "pillar", "section": "三(一)1", "cluster": "machines"}]
    doc["technologies"] = [{"id": "sealing", "title": "高压密封技术", "section": "专栏13", "text": "高压密封"}]
    doc["supply_region"] = {"name": "河湾经济圈", "name_en": "Riverton economic zone", "division_prefixes": ["98"]}
    link = lambda i, name, stage, up=(), **kw: {"id": i, "name": name, "name_en": name + " (en)", "stage": stage,  # noqa: E731
                                                 "upstream": list(up), "section": "四(二) 专栏2", **kw}
    doc["chains"] = [{"id": "pump", "name": "水泵产业链", "name_en": "Pump chain", "cluster": "machines",
                      "industries": ["pumps"], "section": "四(二)", "text": "梳理水泵产业链图谱",
                      "links": [link("castings", "铸件", "materials"),
                                link("motors", "电机", "parts", ["castings"], technologies=["sealing"],
                                     key_products=["高效电机"], industry_class="3812", quote="发展高效电机"),
                                link("pumps", "整泵", "final", ["motors", "castings"], key_products=["工业水泵"]),
                                link("service", "运维服务", "services", ["pumps"])]}]
    path = tmp / "chain-plan.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def chain_data() -> ChainData:
    """Enterprises in both districts, in the supply region, elsewhere in China and abroad; one with a
    hostile name; a single-source motor supply (high risk) with a backup candidate."""
    ents = pd.DataFrame([
        ("E1", "东岸整泵厂", EAST, "CN", 50000.0), ("E2", "西岸整泵厂", WEST, "CN", 30000.0),
        ("M1", "东岸电机厂", EAST, "CN", 8000.0), ("M2", "经济圈电机厂", "980101", "CN", 6000.0),
        ("C1", "广东铸件厂", "440101", "CN", 4000.0), ("C2", "日本铸件社", "", "JP", 5000.0),
        (HOSTILE_ID, HOSTILE, WEST, "CN", 1000.0), ("S1", "西岸运维", WEST, "CN", float("nan")),
    ], columns=["enterprise_id", "name", "district", "country", "output"])
    members = pd.DataFrame([
        ("E1", "pump", "pumps", "leader", 50000.0), ("E2", "pump", "pumps", "core", 30000.0),
        ("M1", "pump", "motors", "core", 8000.0), ("M2", "pump", "motors", "supplier", 6000.0),
        (HOSTILE_ID, "pump", "motors", "supplier", 1000.0),
        ("C1", "pump", "castings", "supplier", 4000.0), ("C2", "pump", "castings", "supplier", 5000.0),
        ("S1", "pump", "service", "supplier", float("nan")),
    ], columns=["enterprise_id", "chain", "link", "role", "capacity"])
    supply = pd.DataFrame([
        ("M1", "E1", "pump", "motors", 0.9), ("M2", "E2", "pump", "motors", 0.5), (HOSTILE_ID, "E2", "pump", "motors", 0.4),
        ("C1", "M1", "pump", "castings", 1.0), ("C2", "M2", "pump", "castings", 1.0), ("C2", "E1", "pump", "castings", 0.5),
        ("S1", "E1", "pump", "service", 0.3),
    ], columns=["supplier_id", "buyer_id", "chain", "link", "share"])
    return ChainData(ents, members, supply, synthetic=False, source="test-chains.csv", batch_id="b1", as_of="2024-12-31")


@pytest.fixture(scope="module")
def plan_file(tmp_path_factory) -> Path:
    return chain_plan(tmp_path_factory.mktemp("chain-plan"))


@pytest.fixture(scope="module")
def app(bundled_db, plan_file, tmp_path_factory):
    db = tmp_path_factory.mktemp("chain-web") / "store.duckdb"
    shutil.copy(bundled_db, db)
    mp = pytest.MonkeyPatch()
    real = getattr(zz, "chain_data", None)
    data = chain_data()
    # the test plan's data come from here (the store's import is tested with the store); other plans as usual
    mp.setattr(zz, "chain_data", lambda db=None, plan=None: data if getattr(plan, "plan", None) and
               plan.plan.id == PLAN_ID else real(db, plan), raising=False)
    application = create_app(db=db, plan=plan_file, warm=False, allowed_hosts=HOSTS)
    yield application
    mp.undo()


@pytest.fixture(scope="module")
def _client(app):
    with TestClient(app) as client:
        yield client


@pytest.fixture
def c(_client):
    _client.cookies.clear()  # a page asked in English remembers the language: each test starts in Chinese
    return _client


def as_user(app, user: auth.User) -> TestClient:
    """A client whose every request is `user` (local mode has one user: override who is asking)."""
    app.dependency_overrides[auth.current_user] = lambda: user
    return TestClient(app)


PAGES = ["/chains", "/chains/pump", "/chains/pump/links/motors", "/chains/pump/links/castings",
         "/chains/pump/whatif?s1_enterprise=M1&s2_district=990101&s3_region=JP"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_and_json_twin_answers_on_a_plan_with_a_chain(c, path, lang):
    sep = "&" if "?" in path else "?"
    for url in (path, f"/p/{PLAN_ID}{path}"):
        page = c.get(f"{url}{sep}lang={lang}")
        assert page.status_code == 200, (url, page.text[:500])
        assert "Traceback" not in page.text
        twin = c.get(f"{url}{sep}lang={lang}&format=json")
        assert twin.status_code == 200 and twin.json()["lang"] == lang
    assert ("Chains" if lang == "en" else "产业链") in page.text


def test_the_list_counts_and_names(c):
    d = c.get("/chains?format=json").json()
    assert d["has_chains"] and d["data"]["source"] == "test-chains.csv" and not d["data"]["synthetic"]
    (row,) = d["chains"]
    assert row["id"] == "pump" and row["links"] == 4
    assert [e["name"] for e in row["leaders"]["shown"]] == ["东岸整泵厂"] and row["leaders"]["hidden"] == 0
    assert d["supply_region"] == "河湾经济圈"
    assert (row["missing"], row["weak"], row["enterprises"]) == (1, 1, 8)  # castings: none local; service: one
    assert 0 < row["local_share"] < row["region_share"] < 1


def test_the_chain_graph_is_layered_by_stage_and_the_table_says_the_same(c):
    r = c.get("/chains/pump")
    option = json.loads(re.search(r'<script type="application/json" id="chart-option-chain">(.*?)</script>',
                                  r.text, re.S).group(1))
    series = option["series"][0]
    assert series["type"] == "graph" and series["coordinateSystem"] == "cartesian2d"
    assert option["xAxis"]["data"] == ["原材料", "零部件", "整机与终端", "应用与服务"]  # the stages, in order
    xs = {n["name"]: n["value"][0] for n in series["data"]}
    assert xs["铸件"] < xs["电机"] < xs["整泵"] < xs["运维服务"]  # upstream left, downstream right
    edges = {(series["data"][e["source"]]["name"], series["data"][e["target"]]["name"]) for e in series["links"]}
    assert edges == {("铸件", "电机"), ("电机", "整泵"), ("铸件", "整泵"), ("整泵", "运维服务")}
    assert all(n["url"].startswith("/chains/pump/links/") for n in series["data"])
    d = c.get("/chains/pump?format=json").json()
    assert [x["id"] for x in d["links"]] == ["castings", "motors", "pumps", "service"]
    table = r.text.split('id="links-table"')[1].split("</table>")[0]
    for name in ("铸件", "电机", "整泵", "运维服务"):
        assert name in table
    assert '<script src="/static/chains.js" defer></script>' in r.text


def test_the_table_exports(c):
    for url, tables in (("/chains", ["chains"]), ("/chains/pump", ["links", "gaps"]),
                        ("/chains/pump/links/motors", ["members", "relations", "backups"]),
                        ("/chains/pump/whatif?s1_enterprise=M1", ["compare", "links", "enterprises"])):
        sep = "&" if "?" in url else "?"
        for name in tables:
            for fmt in ("csv", "xlsx"):
                r = c.get(f"{url}{sep}table={name}&format={fmt}")
                assert r.status_code == 200, (url, name, fmt, r.text[:300])
                assert "attachment" in r.headers["content-disposition"]
    csv = c.get("/chains/pump/links/motors?table=members&format=csv").content.decode("utf-8-sig")
    assert "东岸电机厂" in csv and "M1" in csv


def test_a_plan_without_chains_says_so(c):
    for lang, words in (("zh", "本规划未列产业链图谱"), ("en", "this plan has no chain maps")):
        r = c.get(f"/p/chongqing-manufacturing-2023-2027/chains?lang={lang}")
        assert r.status_code == 200 and words in r.text
        twin = c.get(f"/p/chongqing-manufacturing-2023-2027/chains?lang={lang}&format=json").json()
        assert twin["has_chains"] is False and twin["message"] == words and twin["chains"] == []
        miss = c.get(f"/p/chongqing-manufacturing-2023-2027/chains/pump?lang={lang}")
        assert miss.status_code == 404 and words in html.unescape(miss.text)


@pytest.mark.parametrize("url,zh,en", [
    ("/chains/nosuch", "没有编号为“nosuch”的产业链", "has no chain 'nosuch'"),
    ("/chains/pump/links/nosuch", "没有编号为“nosuch”的环节", "has no link 'nosuch'"),
    ("/chains/nosuch/links/motors", "没有编号为“nosuch”的产业链", "has no chain 'nosuch'"),
    ("/chains/nosuch/whatif", "没有编号为“nosuch”的产业链", "has no chain 'nosuch'"),
])
def test_unknown_ids_answer_404_in_the_pages_language(c, url, zh, en):
    for lang, words in (("zh", zh), ("en", en)):
        r = c.get(f"{url}?lang={lang}")
        assert r.status_code == 404 and words in html.unescape(r.text), r.text[:400]
        assert c.get(f"{url}?lang={lang}&format=json").json()["detail"].find(words) >= 0


@pytest.mark.parametrize("query,zh,en", [
    ("s1_enterprise=NOPE", "不是本链的企业", "not an enterprise of this chain"),
    ("s1_district=500101", "不是本规划的区县代码", "not a district code of this plan"),
    ("s2_region=ZZ", "不是 ISO 3166-1 国家代码", "not an ISO 3166-1 country code"),  # api.chain_region_problem
    ("s2_region=KP", "不是可选的外部地区", "not an outside region on offer"),  # a country with no enterprise here
    ("s2_region=CN", "请改用 --district", "use --district"),  # the home country: as the CLI
    ("s2_region=9901", "在本规划范围", "lies in the plan's own area"),
    ("s4_enterprise=M1", "不认识的参数", "unknown parameters"),
])
def test_whatif_parameters_are_checked(c, query, zh, en):
    for lang, words in (("zh", zh), ("en", en)):
        r = c.get(f"/chains/pump/whatif?{query}&lang={lang}")
        assert r.status_code == 422 and words in html.unescape(r.text)
        assert 'id="whatif-form"' in r.text  # the form comes back to be corrected
        twin = c.get(f"/chains/pump/whatif?{query}&lang={lang}&format=json")
        assert twin.status_code == 422 and any(words in p for p in twin.json()["problems"])


def test_whatif_compares_scenarios_side_by_side(c):
    d = c.get("/chains/pump/whatif?s1_name=断电机&s1_enterprise=M1&s2_region=JP&s3_district=990101&format=json").json()
    assert [r["name"] for r in d["results"]] == ["断电机", "情景2", "情景3"]
    for r in d["results"]:
        assert set(r["summary"]) >= {"removed", "links_lost", "enterprises_affected", "output_at_risk_10k_yuan",
                                     "output_at_risk_yi"}
    page = c.get("/chains/pump/whatif?s1_name=断电机&s1_enterprise=M1&s2_region=JP")
    head = page.text.split('id="compare-table"')[1].split("</thead>")[0]
    assert "断电机" in head and "情景2" in head
    assert 'value="M1" selected' in page.text  # the choices stay in the form


def test_a_form_without_script_reaches_the_whatif(c):
    page = c.get("/chains/pump").text
    form = page.split('id="whatif-form"')[1].split("</form>")[0]
    assert 'method="get"' in page.split('id="whatif-form"')[0][-200:] and 'name="s1_enterprise"' in form
    assert 'name="s3_region"' in form and 'name="s4_' not in form


def test_hostile_names_are_escaped_in_html_and_json_in_attributes(c):
    for url in ("/chains/pump/links/motors", "/chains/pump", "/chains/pump/whatif?s1_enterprise=" + HOSTILE_ID):
        text = c.get(url).text
        assert "<script>alert" not in text and '"onerror=alert' not in text
        assert "&lt;script&gt;alert" in text or "\\u003cscript\\u003e" in text
    # the graph's option and any data in a <script type=application/json> cannot close the element
    for block in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', c.get("/chains/pump").text, re.S):
        assert "<" not in block
    d = c.get("/chains/pump/links/motors?format=json").json()
    assert HOSTILE in {e["name"] for e in d["members"]["shown"]}  # JSON carries the name as data, unharmed
    csv = c.get("/chains/pump/links/motors?table=members&format=csv").content.decode("utf-8-sig")
    assert HOSTILE.replace('"', '""') in csv


def _words(d) -> str:
    return json.dumps(d, ensure_ascii=False)


def test_a_district_user_sees_only_their_districts_enterprises(app):
    c = as_user(app, auth.User(id="d", level="district", region=EAST, role="district", authenticated=True))
    try:
        link = c.get("/chains/pump/links/motors?format=json").json()
        assert [e["name"] for e in link["members"]["shown"]] == ["东岸电机厂"] and link["members"]["hidden"] == 2
        text = _words(link) + c.get("/chains/pump/links/motors").text
        for other in ("经济圈电机厂", "M2", HOSTILE_ID, "西岸整泵厂"):
            assert other not in text, other
        assert HOSTILE not in text and "&lt;script&gt;" not in text
        lst = c.get("/chains?format=json").json()
        assert [e["name"] for e in lst["chains"][0]["leaders"]["shown"]] == ["东岸整泵厂"]
        chain = c.get("/chains/pump").text
        assert "西岸整泵厂" not in chain and 'value="E2"' not in chain and 'value="E1"' in chain
        # an enterprise of another district in the what-if: as unknown as one that does not exist
        other = c.get("/chains/pump/whatif?s1_enterprise=E2&format=json")
        none = c.get("/chains/pump/whatif?s1_enterprise=E9&format=json")
        assert other.status_code == none.status_code == 422
        assert other.json()["problems"][0].replace("E2", "X") == none.json()["problems"][0].replace("E9", "X")
        w = c.get("/chains/pump/whatif?s1_district=990102&format=json").json()
        assert "西岸整泵厂" not in _words(w)
        csv = c.get("/chains/pump/links/motors?table=relations&format=csv").content.decode("utf-8-sig")
        assert "经济圈电机厂" not in csv
    finally:
        app.dependency_overrides.clear()


def test_a_guest_sees_counts_never_enterprise_rows(app):
    c = as_user(app, auth.GUEST)
    try:
        names = set(chain_data().enterprises["name"]) | {HOSTILE_ID, 'value="E1"', 'value="M1"'}
        for url in PAGES + [p + ("&" if "?" in p else "?") + "format=json" for p in PAGES] + \
                ["/chains/pump/links/motors?table=members&format=csv", "/chains/pump/links/motors?table=relations&format=csv"]:
            r = c.get(url)
            assert r.status_code in (200, 422), (url, r.status_code)
            body = r.content.decode("utf-8-sig")
            leaked = [n for n in names if n in body or html.escape(n) in body]
            assert not leaked, (url, leaked)
        link = c.get("/chains/pump/links/motors?format=json").json()
        assert link["members"]["shown"] == [] and link["members"]["hidden"] == 3
        assert sum(g["n"] for g in link["relations"]["by_grade"]) == 3
    finally:
        app.dependency_overrides.clear()


def test_every_chain_route_has_a_permission(app):
    routes = [r for r in auth.app_routes(app) if r[1].startswith(("/chains", "/p/{plan_id}/chains"))]
    assert len(routes) == 12  # four pages and two downloads, at / and under /p/<plan_id>
    assert all(auth.ROUTE_PERMISSIONS[r] == ("export_all" if r[1].endswith("/download") else "read_public")
               for r in routes)


@pytest.mark.parametrize("plan,chain", [(zz.BUNDLED_PLAN_ID, "nev"), ("fictional", "led")])
def test_the_embedded_and_the_fictional_plans_chains_with_their_synthetic_data(bundled_db, tmp_path, plan, chain):
    """The plan's own chain maps and the synthetic default data (api.chain_data): every page answers and
    says the data are synthetic, in both languages."""
    db = tmp_path / "store.duckdb"
    shutil.copy(bundled_db, db)
    plan = str(ASSETS / "fictional-plan.yaml") if plan == "fictional" else plan
    with TestClient(create_app(db=db, plan=plan, warm=False, allowed_hosts=HOSTS)) as client:
        d = client.get("/chains?format=json").json()
        assert d["data"]["synthetic"] and chain in {r["id"] for r in d["chains"]}
        assert all(r["enterprises"] for r in d["chains"])
        one = client.get(f"/chains/{chain}?format=json").json()
        link = one["links"][0]["id"]
        some = one["whatif"]["choices"]["enterprises"][0]["id"]
        for lang, label in (("zh", "合成数据"), ("en", "SYNTHETIC")):
            for url in ("/chains", f"/chains/{chain}", f"/chains/{chain}/links/{link}",
                        f"/chains/{chain}/whatif?s1_enterprise={some}"):
                sep = "&" if "?" in url else "?"
                r = client.get(f"{url}{sep}lang={lang}")
                assert r.status_code == 200 and 'id="synthetic-banner"' in r.text and label in r.text, url
                assert client.get(f"{url}{sep}lang={lang}&format=json").json()["data"]["synthetic"] is True
        csv = client.get(f"/chains/{chain}?table=links&format=csv&lang=zh").content.decode("utf-8-sig")
        assert csv.splitlines()[1].lstrip('"').startswith("合成数据")  # exported tables carry the label too


# --- second wave: downloads, the 招商 list, the chain data upload ------------------------------------------
def _sheets(content: bytes) -> dict[str, list[tuple]]:
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def test_the_gap_list_is_the_analytics_frame(c):
    from zhizao.analytics import chains as analytics

    plan = c.app.state.plans.default.plan
    want = analytics.gaps(plan, chain_data())
    got = c.get("/chains/pump?format=json").json()["gaps"]
    assert [(g["rank"], g["link"], g["status"], g["grade"]) for g in got] == \
        list(zip(want["rank"], want["link"], want["status"], want["grade"]))
    assert [g["size"] for g in got] == pytest.approx(list(want["size"]))
    assert all(g["why"] == w for g, w in zip(got, want["why_zh"]))
    en = c.get("/chains/pump?format=json&lang=en").json()["gaps"]
    assert all(g["why"] == w and g["size_basis_label"] for g, w in zip(en, want["why_en"]))
    html = c.get("/chains/pump?lang=zh").text
    assert 'id="gaps-table"' in html and "规模（万元）" in html


@pytest.mark.parametrize("url", ["/chains/download", "/chains/pump/download"])
def test_downloads_workbook_and_graphml(c, url):
    page = c.get("/chains" if url == "/chains/download" else "/chains/pump")
    assert f'href="{url}?format=xlsx"' in page.text and f'href="{url}?format=graphml"' in page.text
    r = c.get(url + "?format=xlsx")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    cd = r.headers["content-disposition"]
    assert cd.startswith('attachment; filename="zhizao-') and cd.isascii() and "filename*=UTF-8''" in cd
    sheets = _sheets(r.content)
    assert "供应关系风险" in sheets and "招商清单" in sheets
    assert any("东岸电机厂" in str(row) for row in sheets["供应关系风险"])
    en = _sheets(c.get(url + "?format=xlsx&lang=en").content)
    assert not any("供应关系风险" == s for s in en)
    g = c.get(url + "?format=graphml")
    assert g.status_code == 200 and g.text.startswith("<?xml") and "enterprise:M1" in g.text and "pump/motors" in g.text
    assert c.get(url + "?format=pdf").status_code == 422


def test_downloads_hold_only_the_users_enterprises(app):
    c = as_user(app, auth.User(id="d", level="district", region=EAST, role="district", authenticated=True))
    try:
        others = ["经济圈电机厂", "西岸整泵厂", "广东铸件厂", "日本铸件社", HOSTILE_ID, "M2", "C1", "C2", "E2"]
        book = _sheets(c.get("/chains/pump/download?format=xlsx").content)
        cells = [str(v) for rows in book.values() for row in rows for v in row if v is not None]
        assert "东岸电机厂" in cells and "东岸整泵厂" in cells
        assert not [w for w in others if w in cells], [w for w in others if w in cells]
        assert "（不在查看范围）" in cells  # a relation of theirs with a supplier elsewhere: shown, unnamed
        graph = c.get("/chains/download?format=graphml").text
        assert "enterprise:M1" in graph and not [w for w in others if f"enterprise:{w}" in graph or f">{w}<" in graph]
        page = c.get("/chains/pump").text
        assert 'id="chain-downloads"' in page and "下载文件只含您可查看的企业" in page
    finally:
        app.dependency_overrides.clear()
    g = as_user(app, auth.GUEST)
    try:
        book = _sheets(g.get("/chains/download?format=xlsx").content)
        assert len(book["供应关系风险"]) == 2 and len(book["重点企业风险"]) == 2  # the source line and the header
        cells = " ".join(str(v) for rows in book.values() for row in rows for v in row if v is not None)
        assert not [n for n in chain_data().enterprises["name"] if n in cells]
    finally:
        app.dependency_overrides.clear()


@pytest.fixture(scope="module")
def upload_app(bundled_db, tmp_path_factory):
    from tests.ingest.chain_files import chain_plan_path

    tmp = tmp_path_factory.mktemp("chain-upload")
    shutil.copy(bundled_db, tmp / "store.duckdb")
    application = create_app(db=tmp / "store.duckdb", plan=chain_plan_path(tmp), warm=False, allowed_hosts=HOSTS)
    with TestClient(application) as client:
        yield client


def _upload(client, paths, fmt="json"):
    from webtest_support import csrf_headers

    files = [("files", (Path(p).name, Path(p).read_bytes(), "application/octet-stream")) for p in paths]
    return client.post(f"/data/chains/upload?format={fmt}", files=files, headers=csrf_headers(client))


def test_chain_upload_refuses_a_bad_workbook_whole_then_imports_good_files(upload_app, tmp_path):
    from tests.ingest.chain_files import D, tables, write_csv, write_xlsx

    c = upload_app
    assert 'id="chain-upload-form"' in c.get("/data").text
    before = c.get("/chains?format=json").json()["data"]
    assert before["synthetic"] is True
    bad = write_xlsx(tmp_path, tables(supply=lambda rows: rows.append([D, D, "motors", "motor", "10"])))
    r = _upload(c, [bad])
    assert r.status_code == 422
    up = r.json()["chain_upload"]
    assert up["ok"] is False
    (p,) = up["problems"]
    assert (p["file"], p["sheet"], p["row"], p["code"]) == ("chains.xlsx", "供应关系", 6, "self_loop") and p["column"]
    assert "/tmp" not in json.dumps(up, ensure_ascii=False)
    page = _upload(c, [bad], fmt="html")
    assert page.status_code == 200 and 'id="chain-problems"' in page.text and "自己供应自己" in page.text
    assert c.get("/chains?format=json").json()["data"]["synthetic"] is True  # nothing written
    ok = _upload(c, write_csv(tmp_path))
    assert ok.status_code == 200, ok.text
    up = ok.json()["chain_upload"]
    assert up["ok"] and up["counts"]["supply"] == 4 and up["batch_id"]
    after = c.get("/chains?format=json").json()["data"]
    assert after["synthetic"] is False and after["batch_id"] == up["batch_id"] and "supply.csv" in after["source"]
    book = _upload(c, [write_xlsx(tmp_path)], fmt="html")
    assert 'id="chain-upload-ok"' in book.text


def test_chain_upload_is_for_city_roles(upload_app, tmp_path):
    from tests.ingest.chain_files import write_csv

    app_ = upload_app.app
    for user in (auth.User(id="d", level="district", region="990101", role="district", authenticated=True), auth.GUEST):
        c = as_user(app_, user)
        try:
            assert 'id="chain-upload-form"' not in c.get("/data").text
            # not "no such page": the data page is theirs; the upload is refused, saying why, in the page's language
            r = _upload(c, write_csv(tmp_path))
            assert r.status_code == 403 and "产业链数据由市级用户导入" in r.text, (user.role, r.status_code, r.text[:200])
            html_r = _upload(c, write_csv(tmp_path), fmt="html")
            assert html_r.status_code == 403 and "产业链数据由市级用户导入" in html_r.text
            en = c.post("/data/chains/upload?lang=en", files=[("files", ("x.csv", b"a", "text/csv"))],
                        headers=__import__("webtest_support").csrf_headers(c))
            assert en.status_code == 403 and "chain data are imported by city-level users" in en.text
            assert "Traceback" not in en.text
        finally:
            app_.dependency_overrides.clear()
    assert auth.ROUTE_PERMISSIONS[("POST", "/data/chains/upload")] == "import_city"
    assert {r for r in auth.PERMISSIONS["import_city"]} == {"local", "admin", "analyst"}


def test_a_plan_without_chains_offers_no_chain_download_or_upload(c):
    p = "/p/chongqing-manufacturing-2023-2027"
    assert c.get(f"{p}/chains?format=json").json()["downloads"] == []
    assert c.get(f"{p}/chains/download").status_code == 404
    assert 'id="chain-upload-form"' not in c.get(f"{p}/data").text


# --- third wave: the review's fixes ------------------------------------------------------------------------
WEST_USER = auth.User(id="w", level="district", region=WEST, role="district", authenticated=True)
EAST_USER = auth.User(id="e", level="district", region=EAST, role="district", authenticated=True)


def _relation(d: dict, supplier_place_key: str = "supplier") -> list[dict]:
    return [r[supplier_place_key] for r in d["relations"]["shown"]]


def test_a_hidden_counterpart_shows_its_location_class_and_province_never_a_district(app):
    """S1 (西岸区) supplies E1 (东岸区): an east user sees the relation, its supplier as 本地 only; C1 in
    Guangdong as 国内其他地区 · 广东省; M2 in the supply region (prefix 98, no real province) by the region's name."""
    c = as_user(app, EAST_USER)
    try:
        d = c.get("/chains/pump/links/service?format=json").json()
        (s1,) = _relation(d)
        assert s1["shown"] is False and s1["name"] is None and s1["location"] == "local"
        assert s1["place"] is None and s1["location_label"] == "本地"
        page = c.get("/chains/pump/links/service").text
        csv = c.get("/chains/pump/links/service?table=relations&format=csv").content.decode("utf-8-sig")
        en = c.get("/chains/pump/links/service?format=json&lang=en").json()
        for body in (_words(d), page.split('id="link-relations"')[1], csv, _words(en)):
            assert "西岸区" not in body and WEST not in body and "West" not in body
        assert "本地" in csv
        castings = c.get("/chains/pump/links/castings?format=json&lang=zh").json()
        places = {(x["location"], x["place"]) for x in _relation(castings)}
        assert ("domestic", "广东省") in places and ("abroad", None) in places  # a country is not shown either
        assert "Guangdong" in _words(c.get("/chains/pump/links/castings?format=json&lang=en").json())
    finally:
        app.dependency_overrides.clear()
    w = as_user(app, WEST_USER)
    try:
        motors = w.get("/chains/pump/links/motors?format=json").json()
        m2 = next(x for x in _relation(motors) if x["location"] == "region")
        assert m2["name"] is None and m2["place"] == "河湾经济圈"
    finally:
        app.dependency_overrides.clear()


def test_the_whatif_offers_the_supply_regions_name_not_a_code(c):
    regions = {x["code"]: x["name"] for x in c.get("/chains/pump/whatif?format=json").json()["choices"]["regions"]}
    assert regions["98"] == "河湾经济圈" and regions["44"] == "广东省"
    assert "行政区划代码" not in c.get("/chains/pump/whatif").text
    en = {x["code"]: x["name"] for x in c.get("/chains/pump/whatif?format=json&lang=en").json()["choices"]["regions"]}
    assert en["98"] == "Riverton economic zone" and en["44"] == "Guangdong"


@pytest.mark.parametrize("query,zh,en", [
    ("s1_name=" + "长" * 41 + "&s1_enterprise=M1", "名称过长（41 字）：最多 40 字", "name is too long (41 characters): at most 40"),
    ("s1_name=断电&s1_enterprise=M1&s2_name=断电&s2_region=JP", "情景名称重复：断电", "scenario names repeat: 断电"),
])
def test_scenario_names_are_limited_and_unique(c, query, zh, en):
    for lang, words in (("zh", zh), ("en", en)):
        r = c.get(f"/chains/pump/whatif?{query}&lang={lang}")
        assert r.status_code == 422 and words in html.unescape(r.text), html.unescape(r.text)[:300]
        assert 'id="whatif-form"' in r.text and 'maxlength="40"' in r.text
        twin = c.get(f"/chains/pump/whatif?{query}&lang={lang}&format=json")
        assert twin.status_code == 422 and any(words in p for p in twin.json()["problems"])
        assert twin.json()["results"] == []


def test_a_huge_scenario_name_is_refused_not_echoed(c):
    name = "情" * 5000
    r = c.get(f"/chains/pump/whatif?s1_name={name}&s1_enterprise=M1")
    assert r.status_code == 422 and "情" * 41 not in r.text
    # a default name taken by another scenario repeats too
    assert c.get("/chains/pump/whatif?s1_name=情景2&s1_enterprise=M1&s2_region=JP&lang=zh").status_code == 422
    assert c.get("/chains/pump/whatif?s1_name=" + "长" * 40 + "&s1_enterprise=M1").status_code == 200


def test_whatif_tables_show_the_top_rows_and_the_export_holds_all(c, monkeypatch):
    from zhizao.outputs.web.pages import chains as pages

    url = "/chains/pump/whatif?s1_enterprise=C2&s1_enterprise=M1"
    full = c.get(url + "&format=json").json()["results"][0]
    ents = full["enterprises"]["shown"]
    assert len(ents) >= 2
    risks = [e["output_at_risk_10k_yuan"] or 0 for e in ents]
    assert risks == sorted(risks, reverse=True)  # by output at risk
    monkeypatch.setattr(pages, "TOP", 1)
    page = c.get(url).text
    table = page.split('class="data small chain-table whatif-enterprises"')[1].split("</table>")[0]
    assert table.count("<tr>") == 2 and ents[0]["name"] in table and ents[1]["name"] not in table  # header + 1
    assert f"另有 {len(ents) - 1} 项未列出" in page
    csv = c.get(url + "&table=enterprises&format=csv").content.decode("utf-8-sig")
    assert all(e["name"] in csv for e in ents)
    # losses under the minimum are left out and counted
    floor = sorted(e["loss_share"] for e in ents)[-1]
    monkeypatch.setattr(pages, "min_loss", lambda settings: floor)
    cut = c.get(url + "&format=json").json()["results"][0]
    assert all(e["loss_share"] >= floor for e in cut["enterprises"]["shown"]) and cut["enterprises"]["below"] >= 1
    assert "损失不足" in c.get(url).text


def test_the_minimum_loss_follows_the_setting_when_there_is_one():
    from zhizao.outputs.web.pages import chains as pages
    from zhizao.settings import Settings

    assert 0 < pages.min_loss(Settings()) < 0.05
    assert pages.min_loss({"chain_whatif_min_loss": 0.02}) == 0.02


def test_a_link_with_no_recorded_supply_says_not_recorded_and_keeps_its_grade_colour(c):
    """No supply of 整泵 (pumps) is recorded: its shares are 未记录, not 0 %; its node keeps its grade's colour
    (the legend says colour is the grade) with 未记录 as its label; grey (无数据) only without a grade."""
    d = c.get("/chains/pump?format=json").json()
    pumps = next(r for r in d["links"] if r["id"] == "pumps")
    assert pumps["recorded"] is False and pumps["local_share"] is None
    motors = next(r for r in d["links"] if r["id"] == "motors")
    assert motors["recorded"] is True and motors["local_share"] > 0
    page = c.get("/chains/pump").text
    row = page.split('data-link="pumps"')[1].split("</tr>")[0]
    assert "未记录" in row and "0%" not in row
    assert "未记录" not in page.split('data-link="motors"')[1].split("</tr>")[0]
    option = json.loads(re.search(r'id="chart-option-chain">(.*?)</script>', page, re.S).group(1))
    cats = [x["name"] for x in option["series"][0]["categories"]]
    node = next(n for n in option["series"][0]["data"] if n["name"] == "整泵")
    assert pumps["grade"] in ("high", "medium", "low")
    assert cats[node["category"]] == pumps["grade_label"] != "无数据" and "未记录" in node["label"]["formatter"]
    assert "not recorded" in c.get("/chains/pump/links/pumps?lang=en").text
    # no grade (a chain without any member in the data: status no_data): grey, 无数据
    from zhizao.outputs.web.pages import chains as pages

    rows = [{**r, "grade": None, "status": "no_data"} for r in d["links"]]
    option = pages.graph_option(None, rows, "zh")  # the chain object is not read: the rows say it all
    g = option["series"][0]
    assert {g["categories"][n["category"]]["name"] for n in g["data"]} == {"无数据"}
    assert {g["categories"][n["category"]]["itemStyle"]["color"] for n in g["data"]} == {pages.GRADE_COLOURS["none"]}
    assert pages.status_label("no_data", "zh") == "无数据" and pages.status_label("no_data", "en") == "No data"


def test_critical_lists_are_sorted_and_name_cut_points(c):
    d = c.get("/chains/pump?format=json").json()
    links = d["critical_links"]
    keys = [(not r["articulation"], -(r["betweenness"] or 0)) for r in links]
    assert keys == sorted(keys)
    if any(r["articulation"] for r in links):
        assert "割点" in c.get("/chains/pump").text.split('id="critical-links"')[1].split("</ul>")[0]
    ents = d["critical_enterprises"]["shown"]
    ek = [(not e["articulation"], -(e["sole_supplier_of"] or 0)) for e in ents]
    assert ek == sorted(ek)


def test_the_english_pages_give_the_source_in_english(bundled_db, tmp_path):
    db = tmp_path / "store.duckdb"
    shutil.copy(bundled_db, db)
    with TestClient(create_app(db=db, warm=False, allowed_hosts=HOSTS)) as client:
        en = client.get("/chains?format=json&lang=en").json()["data"]["notice"]
        zh = client.get("/chains?format=json&lang=zh").json()["data"]["notice"]
        assert not re.search(r"[\u4e00-\u9fff]", en), en
        assert re.search(r"[\u4e00-\u9fff]", zh)


# --- fourth wave: the second review's fixes ---------------------------------------------------------------
def test_hidden_high_risk_relations_are_counted_in_the_backups_section(app):
    """A district user who sees "高 1" among a link's relations but neither end of it is told that the high-risk
    relation is outside their view, never that the link has none (page and JSON `backups.hidden`)."""
    city = TestClient(app).get("/chains/pump/links/castings?format=json").json()
    high = next(g["n"] for g in city["relations"]["by_grade"] if g["grade"] == "high")
    assert high > 0 and city["backups"]["hidden"] == 0 and city["backups"]["shown"]
    c = as_user(app, WEST_USER)
    try:
        d = c.get("/chains/pump/links/castings?format=json").json()
        seen = sum(r["grade"] == "high" for r in d["relations"]["shown"])
        assert d["backups"]["hidden"] == high - seen > 0
        assert len(d["backups"]["shown"]) == len({(g["supplier"]["id"], g["buyer"]["id"]) for g in d["backups"]["shown"]})
        for lang, said, none in (("zh", f"{high - seen} 条高风险供应关系不在您的查看范围", "本环节没有需要备份的高风险供应关系"),
                                 ("en", f"{high - seen} high-risk supply relations are outside what you may see",
                                  "no high-risk relation on this link needs a backup")):
            page = c.get(f"/chains/pump/links/castings?lang={lang}").text
            assert said in page and none not in page
    finally:
        app.dependency_overrides.clear()


def test_whatif_output_at_risk_is_in_yi_yuan_on_the_page_and_both_units_in_json(c):
    """As `zhizao chain whatif`: the page's amounts in 亿元 (headers say so); the JSON names each unit in its key
    (万元 as computed, 亿元 as shown); a weakened link reads 削弱 on the page as in the CLI's words."""
    from zhizao import labels

    url = "/chains/pump/whatif?s1_enterprise=C2&s1_enterprise=M1"
    r = c.get(url + "&format=json").json()["results"][0]
    total = r["summary"]["output_at_risk_10k_yuan"]
    assert total and r["summary"]["output_at_risk_yi"] == pytest.approx(total / 1e4)
    e = r["enterprises"]["shown"][0]
    assert e["output_at_risk_yi"] == pytest.approx(e["output_at_risk_10k_yuan"] / 1e4)
    for lang, unit, old in (("zh", "亿元", "万元"), ("en", "100 million yuan", "10,000 yuan")):
        page = c.get(url + f"&lang={lang}").text
        compare = page.split('id="compare-table"')[1].split("</table>")[0]
        assert unit in compare and old not in compare
        row = compare.split('data-key="output_at_risk_yi"')[1].split("</tr>")[0]
        assert formatting.number(total / 1e4, 2) in row and formatting.number(total, 0) not in row
        assert unit in page.split('class="data small chain-table whatif-enterprises"')[1].split("</thead>")[0]
    csv = c.get(url + "&table=compare&format=csv&lang=zh").content.decode("utf-8-sig")
    assert "亿元" in csv and "万元" not in csv
    assert labels.label("whatif_status", "weakened", "zh") == "削弱" == labels.CHAIN_HEAD["links_weakened"][0][:2]
