"""Pages that read right (issue 10): the indicator page's one-line conclusion and collapsed tables,
the overview cards' data year and source grade, the completion table, the data-gaps page and its
import template, and every page table as CSV/XLSX through spreadsheet_safe."""
from __future__ import annotations

import csv
import io
import re
import shutil

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from zhizao import api, labels
from zhizao.outputs.web.app import create_app

from webtest_support import csrf_headers

SECOND = "chongqing-manufacturing-2023-2027"
P2 = f"/p/{SECOND}"


@pytest.fixture(scope="module")
def c(bundled_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("readout") / "store.duckdb"
    shutil.copy(bundled_db, db)
    api.open_store(db, plan=api.resolve_plan(SECOND, db=db)).close()
    with TestClient(create_app(db=db, warm=False, allowed_hosts=["testserver"])) as client:
        client.db = db
        yield client


def conclusion(html: str) -> str:
    m = re.search(r'<p class="conclusion[^"]*" id="conclusion">(.*?)</p>', html, re.S)
    assert m, "no conclusion line"
    return re.sub(r"<[^>]+>", "", m.group(1))


def test_indicator_page_starts_with_a_conclusion_in_the_final_year(c):
    html = c.get("/indicator/software_revenue?lang=zh").text
    text = conclusion(html)
    ind = c.get("/indicator/software_revenue?format=json&lang=zh").json()
    assert ind["indicator"]["final"]["text"] in text
    assert labels.GRADE["C"][0] in text  # the grade in words, not a bare letter
    assert html.index('id="conclusion"') < html.index('id="chart-indicator"')


def test_conclusion_before_the_target_year_names_status_value_year_target_path_and_grade(c):
    d = c.get(f"{P2}/indicator/rd_expenditure?format=json&lang=zh").json()
    ind = d["indicator"]
    assert not (ind.get("final") or {}).get("text")
    text = d["conclusion"]
    assert text.startswith(ind["status_label"] + "：")
    assert f"（{ind['data_year']}年）" in text and f"{ind['target']['year']}年目标" in text
    assert "按规划路径" in text and "来源：" in text
    en = c.get(f"{P2}/indicator/rd_expenditure?format=json&lang=en").json()["conclusion"]
    assert "latest value" in en and "source:" in en and "年" not in en.split("source:")[0]


def test_long_tables_are_collapsed_sections(c):
    html = c.get("/indicator/software_revenue?lang=zh").text
    for table in ("history", "conflicts", "other-evidence", "observations"):
        m = re.search(rf'<details id="fold-{table}"[^>]*>', html)
        assert m and "open" not in m.group(0), table
        assert html.index(m.group(0)) < html.index(f'id="{table}"')


def test_overview_cards_show_data_year_and_source_grade(c):
    html = c.get("/?lang=zh").text
    d = c.get("/?format=json&lang=zh").json()
    with_data = [i for i in d["indicators"] if i["actual"] is not None]
    sources = re.findall(r'<div class="card-source( stale)?"[^>]*>(.*?)</div>', html, re.S)
    assert len(sources) == len(with_data)
    for (stale, body), i in zip(sources, with_data):
        assert f"数据年份 {i['data_year']}" in body
        assert i["grade_words"] in body and i["grade_words"] != "—"
        assert bool(stale) == (i["data_year"] < d["year"])
    stale = [i for i in with_data if i["data_year"] < d["year"]]
    assert f"{len(stale)}项状态依据的数据早于评估年份{d['year']}年" in d["stale"]
    assert 'href="/gaps"' in html and 'href="/completion"' in html


@pytest.mark.parametrize("base,n", [("", 20), (P2, None)])
def test_completion_table_page_and_xlsx(c, base, n):
    d = c.get(f"{base}/completion?format=json&lang=zh").json()
    n = n or len(c.get(f"{base}/?format=json").json()["indicators"])
    assert len(d["rows"]) == n
    html = c.get(f"{base}/completion?lang=zh").text
    assert html.count("<tr data-indicator=") == n
    r = c.get(f"{base}/completion?table=completion&format=xlsx&lang=zh")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    ws = load_workbook(io.BytesIO(r.content), read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    figure = "完成率（%）" if not base else "进度完成度（%）"  # a final evaluation (2021–25 plan) vs a mid-term one
    assert rows[0] == ("指标", "属性", "单位", "基期", "目标", "实际值", "数据年份", figure, "状态", "终期评估结论",
                       "来源等级")
    assert len(rows) == n + 1
    years = [r[6] for r in rows[1:] if r[6] is not None]
    assert years and all(isinstance(y, int) for y in years)  # a year is 2022, not 2022.0


def test_gaps_page_names_what_is_missing_where_and_what_to_upload(c):
    d = c.get(f"{P2}/gaps?format=json&lang=zh").json()
    kinds = {g["kind"] for r in d["indicators"] for g in r["gaps"]}
    assert {"no_data", "only_base"} <= kinds
    assert d["with_gaps"] == sum(1 for r in d["indicators"] if r["gaps"])
    for r in d["indicators"]:
        if r["gaps"]:
            assert r["where"] and r["upload"], r["id"]
    html = c.get(f"{P2}/gaps?lang=zh").text
    assert 'id="template-csv"' in html and "<code>series</code>" in html
    assert f'href="{P2}/gaps"' in html  # in the nav


def test_the_gap_template_imports_once_a_value_is_filled_in(c, tmp_path):
    r = c.get("/gaps?table=template&format=csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert list(rows[0])[:5] == ["series", "region", "period", "value", "unit"]
    row = next(x for x in rows if x["series"] == "软件业务收入")
    row.update(value="3300", source_url="https://example.org/gap-test", grade="B", quote="软件业务收入3300亿元")
    path = tmp_path / "filled.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(row))
        w.writeheader()
        w.writerow(row)
    db = tmp_path / "copy.duckdb"
    shutil.copy(c.db, db)
    assert api.import_data(path, db=db).observations == 1


def test_page_tables_export_safely(fresh_client):
    planted = ("series,region,period,value,unit,source_url,grade,quote\n"
               "软件业务收入,500000,2024,3300,亿元,https://example.org/x,B,\"=HYPERLINK(\"\"http://evil\"\")\"\n")
    r = fresh_client.post("/data/upload", files={"file": ("p.csv", planted.encode(), "text/csv")},
                          headers=csrf_headers(fresh_client))
    assert r.status_code == 200
    r = fresh_client.get("/data?q=HYPERLINK&table=observations&format=csv&lang=zh")
    assert r.content.startswith("\ufeff".encode())
    text = r.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith('"序列"')
    assert "'=HYPERLINK" in text and ',"=HYPERLINK' not in text
    x = fresh_client.get("/data?q=HYPERLINK&table=observations&format=xlsx&lang=zh")
    ws = load_workbook(io.BytesIO(x.content), read_only=True).active
    cells = [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert any(v.startswith("'=HYPERLINK") for v in cells)


def test_an_unknown_table_or_format_is_a_message(c):
    r = c.get("/indicator/software_revenue?table=nope&format=csv&lang=zh", headers={"accept": "application/json"})
    assert r.status_code == 404 and "history" in r.json()["detail"] and "表格" in r.json()["detail"]
    r = c.get("/indicator/software_revenue?table=history&format=pdf&lang=zh", headers={"accept": "application/json"})
    assert r.status_code == 422 and "csv" in r.json()["detail"]
    assert c.get("/indicator/software_revenue?table=history&format=json").json()[0]
