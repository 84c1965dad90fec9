"""Issue 10, third wave (the reviewer's findings 11, 15, 16 on the dashboard): every embedded plan
served on a fresh store, an unknown plan answered in the page's language, /districts and
/monitoring tables as CSV/XLSX, no code words or raw English on those Chinese pages, district
layers without a repeated name; in Chromium: a chart's PNG named after the page and carrying its
title and source, the legend moved below the chart on a phone, printed row numbers not split."""
from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from zhizao.outputs.web.app import create_app
from zhizao.outputs.web.pages.districts import layer_label
from zhizao.store.store import Store
from zhizao.synth import generate

from conftest import TEST_HOSTS
from webtest_support import guarded_page

SECOND = "chongqing-manufacturing-2023-2027"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _text(html: str) -> str:
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- plans ------------------------------------------------------------------------------------------
def test_an_embedded_plan_is_served_on_a_fresh_store_without_the_cli(fresh_client):
    with Store(fresh_client.db) as store:
        assert SECOND not in set(store.plans()["plan_id"])  # never used on the CLI
    page = fresh_client.get(f"/p/{SECOND}/")
    assert page.status_code == 200
    j = fresh_client.get(f"/p/{SECOND}/?format=json").json()
    assert j["plan"]["id"] == SECOND
    # its bundled links were loaded on this first visit: some indicator has a value
    assert any(i.get("actual") is not None for i in j["indicators"])
    with Store(fresh_client.db) as store:
        assert SECOND in set(store.plans()["plan_id"])
    # the switcher lists it, and /plans?go= goes there
    assert SECOND in {p["id"] for p in fresh_client.get("/plans?format=json").json()["plans"]}
    assert fresh_client.get(f"/plans?go={SECOND}", follow_redirects=False).headers["location"] == f"/p/{SECOND}/"


def test_the_second_plan_reads_its_own_header(client):
    html = client.get(f"/p/{SECOND}/").text
    assert "· None" not in html and "None" not in _text(html)
    footer = re.search(r'id="plan-footer">(.*?)</span>', html, re.S).group(1)
    assert "渝府发〔2021〕18号" not in footer  # the first plan's document number is not this plan's


@pytest.mark.parametrize("path", ["/p/no-such-plan/", "/plans?go=no-such-plan"])
def test_an_unknown_plan_answers_in_the_pages_language_naming_plans(client, path):
    zh = client.get(path)
    assert zh.status_code == 404
    detail = re.search(r'id="error-detail">(.*?)</p>', zh.text, re.S).group(1)
    assert "/plans" in detail and "规划" in detail
    assert not re.search(r"\b(no plan|this store|--plan)\b", detail)
    en = client.get(path + ("&" if "?" in path else "?") + "lang=en")
    detail = re.search(r'id="error-detail">(.*?)</p>', en.text, re.S).group(1)
    assert en.status_code == 404 and "/plans" in detail and not CJK.search(detail)
    assert 'href="/plans"' in zh.text


# --- districts -----------------------------------------------------------------------------------------
def test_a_layer_does_not_repeat_its_name():
    assert layer_label("工业增加值", ["工业增加值"]) == "工业增加值"
    assert layer_label("规模以上工业总产值", ["规模以上工业产值"]) == "规模以上工业总产值（规模以上工业产值）"
    assert layer_label("地区生产总值", []) == "地区生产总值"


@pytest.mark.parametrize("base", ["", f"/p/{SECOND}"])
def test_districts_page_has_no_repeated_names_and_no_code_words(client, base):
    html = client.get(base + "/districts").text
    options = re.findall(r"<option value=\"[^\"]*\"[^>]*>([^<]*)</option>", html)
    for o in options:
        m = re.match(r"(.+?)（(.+?)）", o)
        assert not (m and m.group(1) == m.group(2)), o
    text = _text(html)
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), re.findall(r"\b[a-z]+_[a-z_]+\b", text)


@pytest.mark.parametrize("table", ["districts", "zones"])
def test_district_tables_download_as_csv_and_xlsx(client, table):
    html = client.get("/districts").text
    assert f"table={table}&amp;format=csv" in html and f"table={table}&amp;format=xlsx" in html
    csv = client.get(f"/districts?table={table}&format=csv")
    assert csv.status_code == 200 and csv.headers["content-disposition"].endswith(f'-{table}.csv"')
    df = pd.read_csv(io.StringIO(csv.content.decode("utf-8-sig")))
    assert CJK.search(df.columns[0]) and len(df) > 0
    xlsx = client.get(f"/districts?table={table}&format=xlsx")
    assert xlsx.status_code == 200
    assert list(pd.read_excel(io.BytesIO(xlsx.content)).columns) == list(df.columns)


def test_district_table_export_has_the_pages_values(client):
    j = client.get("/districts?format=json").json()
    df = pd.read_csv(io.StringIO(client.get("/districts?table=districts&format=csv").content.decode("utf-8-sig")),
                     dtype={"代码": str})
    assert len(df) == len(j["districts"])
    with_value = {r["code"]: r["value"] for r in j["districts"] if r["value"] is not None}
    got = df.set_index("代码")["数值"].dropna().to_dict()
    assert set(got) == set(with_value)
    assert all(got[c] == pytest.approx(v, rel=1e-5) for c, v in with_value.items())
    assert not any(str(g) in ("A", "B", "C", "D") for g in df["等级"].dropna())


# --- monitoring ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def mclient(bundled_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("third-wave-synth") / "data"
    generate(300, 36, "2022-01", seed=2).write(out)
    app = create_app(db=bundled_db, monitoring_data=out, warm=False, allowed_hosts=TEST_HOSTS)
    with TestClient(app) as c:
        yield c


@pytest.mark.parametrize("table", ["districts", "industries", "clusters", "zones", "warnings"])
def test_monitoring_tables_download_with_the_synthetic_label(mclient, table):
    mclient.cookies.clear()
    html = mclient.get("/monitoring").text
    assert f"table={table}&amp;format=xlsx" in html
    csv = mclient.get(f"/monitoring?table={table}&format=csv")
    assert csv.status_code == 200, csv.text[:300]
    df = pd.read_csv(io.StringIO(csv.content.decode("utf-8-sig")))
    assert "来源" in df.columns and set(df["来源"]) == {"合成数据（演示用，非真实企业）"}
    xlsx = pd.read_excel(io.BytesIO(mclient.get(f"/monitoring?table={table}&format=xlsx").content))
    assert list(xlsx.columns) == list(df.columns) and len(xlsx) == len(df)
    words = " ".join(map(str, df.columns)) + " " + " ".join(str(v) for v in df.to_numpy().ravel())
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", words)


def test_monitoring_warnings_export_has_every_filtered_warning(mclient):
    mclient.cookies.clear()
    j = mclient.get("/monitoring?format=json").json()
    df = pd.read_csv(io.StringIO(mclient.get("/monitoring?table=warnings&format=csv").content.decode("utf-8-sig")))
    assert len(df) == j["warning_filter"]["shown"]
    low = pd.read_csv(io.StringIO(mclient.get("/monitoring?table=warnings&format=csv&severity=low")
                                  .content.decode("utf-8-sig")))
    assert set(low["级别"]) <= {"低"}


def test_monitoring_chinese_page_has_no_pp_and_no_negative_zero(mclient):
    mclient.cookies.clear()
    html = mclient.get("/monitoring").text
    assert not re.search(r"-0(\.0+)?(%|\b)(?![.\d])", _text(html))
    options = re.findall(r'<script type="application/json" id="chart-option-(\w+)">(.*?)</script>', html, re.S)
    import json
    for name, text in options:
        opt = json.loads(text)
        axis = opt.get("xAxis") or {}
        assert axis.get("name") != "pp", name
        for s in opt.get("series", []):
            for item in s.get("data", []):
                label = (item.get("label") or {}).get("formatter") if isinstance(item, dict) else None
                assert label is None or not re.fullmatch(r"-0(\.0+)?", label)
    assert "：" in _text(html).split("数据目录")[1][:2]  # a Chinese colon after a Chinese label
    en = mclient.get("/monitoring?lang=en").text
    assert '"name": "pp"' in en or '"name":"pp"' in en


# --- in the browser ------------------------------------------------------------------------------------
@pytest.fixture
def page(browser, live_server):
    with guarded_page(browser) as pg:
        pg.base = live_server.url
        yield pg


def _visit(page, path):
    assert page.goto(page.base + path).status == 200
    page.wait_for_load_state("networkidle")


def test_a_chart_png_is_named_after_the_page_and_carries_title_and_source(page):
    from PIL import Image

    _visit(page, "/indicator/software_revenue")
    page.wait_for_selector('#chart-indicator[data-ready="1"] canvas')
    info = page.evaluate("""async () => {
        const p = await window.zhizaoComposePng(document.getElementById('chart-indicator'));
        return {filename: p.filename, title: p.title, source: p.source, top: p.top, chart: p.chartHeight,
                height: p.height, h1: document.querySelector('main h1').textContent.trim()};
    }""")
    assert info["filename"] == "zhizao-chongqing-manufacturing-2021-2025-software_revenue-indicator.png"
    assert info["h1"].split()[0] in info["title"]
    assert info["source"].startswith("来源：") and "/indicator/software_revenue" in info["source"]
    with page.expect_download() as dl:
        page.click('button[data-export-chart="indicator"]')
    assert dl.value.suggested_filename == info["filename"]
    img = Image.open(dl.value.path()).convert("L")
    assert img.height == info["height"] > info["chart"]
    # ink in the title band and in the source band (text was drawn there)
    title_band = img.crop((0, 0, img.width, info["top"]))
    source_band = img.crop((0, info["top"] + info["chart"], img.width, img.height))
    assert title_band.getextrema()[0] < 100 and source_band.getextrema()[0] < 160


def test_the_second_plan_charts_are_named_after_it(page):
    _visit(page, f"/p/{SECOND}/")  # never used on the CLI: served on this first visit
    page.wait_for_selector('[data-chart][data-ready="1"] canvas')
    name = page.evaluate("""async () => (await window.zhizaoComposePng(
        document.querySelector('[data-chart][data-ready="1"]'))).filename""")
    assert name.startswith(f"zhizao-{SECOND}-overview-")


def test_on_a_phone_the_legend_is_below_the_chart(page):
    page.set_viewport_size({"width": 390, "height": 844})
    _visit(page, "/indicator/software_revenue")
    page.wait_for_selector('#chart-indicator[data-ready="1"] canvas')
    opt = page.evaluate("""() => { const o = echarts.getInstanceByDom(document.getElementById('chart-indicator'))
        .getOption(); return {legend: o.legend[0], grid: o.grid[0]}; }""")
    assert opt["legend"]["bottom"] == 0 and opt["legend"]["top"] in (None, "auto")  # not over the axis name
    assert opt["grid"]["bottom"] >= 70  # room for the legend under the axis labels
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_timeout(300)
    wide = page.evaluate("""() => echarts.getInstanceByDom(document.getElementById('chart-indicator'))
        .getOption().legend[0].top""")
    assert wide == 5  # the desktop layout back on a wide screen


def test_printed_completion_row_numbers_are_not_split(page):
    page.set_viewport_size({"width": 1123, "height": 794})  # A4 landscape at 96 dpi
    _visit(page, "/completion")
    page.emulate_media(media="print")
    cells = page.evaluate("""() => [...document.querySelectorAll('#completion-table tbody tr')].map(tr => {
        const td = tr.children[0], s = getComputedStyle(td);
        const range = document.createRange(); range.selectNodeContents(td);
        return {text: td.textContent.trim(), lines: range.getClientRects().length, ws: s.whiteSpace};
    })""")
    assert len(cells) >= 10
    assert all(c["lines"] == 1 and c["ws"] == "nowrap" for c in cells), [c for c in cells if c["lines"] != 1]


@pytest.mark.parametrize("path", ["/monitoring/district/999999", "/monitoring?severity=urgent",
                                  "/monitoring?period=2031-01", "/monitoring/subject/planet/x"])
def test_monitoring_errors_speak_the_pages_language_only(mclient, path):
    mclient.cookies.clear()
    zh = mclient.get(path)
    assert zh.status_code in (404, 422)
    detail = re.search(r'id="error-detail">(.*?)</p>', zh.text, re.S).group(1)
    assert CJK.search(detail) and not re.search(r"\b(must|district|got|subject)\b", detail), detail
    en = mclient.get(path + ("&" if "?" in path else "?") + "lang=en")
    assert not CJK.search(re.search(r'id="error-detail">(.*?)</p>', en.text, re.S).group(1))
