"""The plan browser's tables as CSV/XLSX (formula-safe, numbers as numbers, codes as words) and
完成度 on the dashboard by the one rule of formatting.completion (issue 10)."""
from __future__ import annotations

import csv
import io
import re
import shutil

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

import zhizao.api as zz
from zhizao import formatting
from zhizao.outputs.web.app import create_app

SECOND = "chongqing-manufacturing-2023-2027"
EVIL = '=HYPERLINK("http://evil")'


@pytest.fixture(scope="module")
def planted(bundled_db):
    """The default plan with a cluster name and a task title a spreadsheet would run as a formula."""
    plan = zz.load_plan()
    plan.clusters[0] = plan.clusters[0].model_copy(update={"name": EVIL})
    plan.tasks[0] = plan.tasks[0].model_copy(update={"title": "+cmd|' /C calc'!A0"})
    with TestClient(create_app(db=bundled_db, plan=plan, warm=False, allowed_hosts=["testserver"])) as c:
        c.plan = plan
        yield c


@pytest.fixture(scope="module")
def both(bundled_db, tmp_path_factory):
    """A store where the second embedded plan is registered too (served at /p/<id>/)."""
    db = tmp_path_factory.mktemp("plan-exports") / "store.duckdb"
    shutil.copy(bundled_db, db)
    zz.open_store(db, plan=zz.resolve_plan(SECOND, db=db)).close()
    with TestClient(create_app(db=db, warm=False, allowed_hosts=["testserver"])) as c:
        yield c


def _xlsx(c, url):
    r = c.get(url)
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"], (url, r.status_code)
    return list(load_workbook(io.BytesIO(r.content), read_only=True).active.iter_rows(values_only=True))


def test_plan_page_offers_each_table(client):
    html = client.get("/plan?lang=zh").text
    for name in ("indicators", "clusters", "industries", "items"):
        assert f"table={name}&amp;format=xlsx" in html and f"table={name}&amp;format=csv" in html, name


def test_plan_indicators_download_header_numbers_and_words(client):
    rows = _xlsx(client, "/plan?table=indicators&format=xlsx&lang=zh")
    assert rows[0] == ("指标", "类别", "属性", "单位", "类型", "基期年", "基期", "目标", "目标年", "价格口径", "状态",
                       "规划章节")
    plan = zz.load_plan()
    assert len(rows) == len(plan.indicators) + 1
    first = plan.indicators[0]
    assert rows[1][0] == first.name and rows[1][6] == pytest.approx(first.baseline.value)
    assert isinstance(rows[1][6], (int, float)) and isinstance(rows[1][5], int)  # numbers, years as integers
    words = {v for r in rows[1:] for v in (r[2], r[4], r[9])}
    assert not words & {"expected", "binding", "level", "share", "current", "constant"}  # codes as words
    en = _xlsx(client, "/plan?table=clusters&format=xlsx&lang=en")
    assert en[0][:4] == ("Cluster", "As printed", "Scale target", "Unit") and "100 million yuan" in {r[3] for r in en[1:]}


def test_second_plan_tables_download(both):
    client = both
    rows = _xlsx(client, f"/p/{SECOND}/plan?table=indicators&format=xlsx&lang=zh")
    assert len(rows) == len(zz.load_plan(SECOND).indicators) + 1
    clusters = _xlsx(client, f"/p/{SECOND}/plan?table=clusters&format=xlsx&lang=zh")
    assert clusters[0][0] == "产业集群" and len(clusters) > 1


def test_plan_downloads_are_formula_safe(planted):
    rows = _xlsx(planted, "/plan?table=clusters&format=xlsx&lang=zh")
    assert rows[0][0] == "产业集群"
    names = [r[0] for r in rows[1:]]
    assert "'" + EVIL in names and EVIL not in names
    text = planted.get("/plan?table=industries&format=csv&lang=zh").content.decode("utf-8-sig")
    cells = [v for row in csv.reader(io.StringIO(text)) for v in row]
    assert "'" + EVIL in cells and EVIL not in cells  # the industry's cluster column
    items = _xlsx(planted, "/plan?table=items&format=xlsx&lang=zh")
    titles = [r[1] for r in items[1:]]
    assert "'+cmd|' /C calc'!A0" in titles and not any(t.startswith(("=", "+", "-", "@")) for t in titles)


def test_cluster_page_evidence_downloads_in_the_readers_words(client):
    plan = zz.load_plan()
    cid = plan.clusters[0].id
    html = client.get(f"/plan/cluster/{cid}?lang=en").text
    assert "table=evidence&amp;format=xlsx" in html and "100 million yuan" in html
    rows = _xlsx(client, f"/plan/cluster/{cid}?table=evidence&format=xlsx&lang=en")
    assert rows[0] == ("Series", "Year", "Value", "As printed", "Unit", "Comparability", "Grade", "Note", "Source")
    assert all(r[4] == "100 million yuan" for r in rows[1:]) and all(not re.fullmatch(r"[A-D]", r[6]) for r in rows[1:])
    zh = client.get(f"/plan/cluster/{cid}?lang=zh").text
    grades = re.findall(r'<td>([A-D])</td>', zh.split('id="cluster-evidence"')[1])
    assert not grades  # a grade in words, not a bare letter


# --- 完成度 on the dashboard ------------------------------------------------------------------------
def _completions(client, base=""):
    ind = client.get(f"{base}/?format=json&year=2024").json()["indicators"]
    return {i["id"]: i["completion"] for i in ind if i.get("completion") is not None}


def test_completion_reads_by_one_rule_on_every_page(client):
    comp = _completions(client)
    over = next(k for k, v in comp.items() if 1 < v <= 3)
    far = next(k for k, v in comp.items() if v > 3)
    for lang, capped in (("zh", "超过300%"), ("en", "&gt;300%")):
        exact = formatting.completion(comp[over], lang)
        page = client.get(f"/indicator/{over}?year=2024&lang={lang}").text
        assert exact in page, (lang, exact)
        assert capped in client.get(f"/indicator/{far}?year=2024&lang={lang}").text
        overview = client.get(f"/?year=2024&lang={lang}").text
        assert exact in overview and capped in overview
        table = client.get(f"/completion?year=2024&lang={lang}").text
        assert exact in table and capped in table
        assert f"{round(100 * comp[far])}%" not in table  # never the raw 716%


def test_completion_table_download_keeps_the_exact_value(client):
    comp = _completions(client)
    rows = _xlsx(client, "/completion?table=completion&format=xlsx&year=2024&lang=zh")
    k = rows[0].index("进度完成度（%）")
    by_name = {r[0]: r[k] for r in rows[1:]}
    ind = {i["id"]: i for i in client.get("/?format=json&year=2024&lang=zh").json()["indicators"]}
    for i, v in comp.items():
        assert by_name[ind[i]["name"]] == pytest.approx(100 * v, rel=1e-5)  # 715.59, not a capped text
