"""Chromium (Debian's /usr/bin/chromium, headless) against a live server on localhost.

Every page loads without console errors and without a single request leaving 127.0.0.1, the
charts draw on a non-blank canvas, the map shows 38 regions, the upload works end to end, the
language switch sticks. Screenshots go to test-artifacts/screenshots/.
"""
from __future__ import annotations

import json
from urllib.request import urlopen

import pytest

from webtest_support import BAD_CSV, BAD_PROBLEMS, CANVAS_PIXELS, GOOD_CSV, MAP_STATE, SCREENSHOTS, guarded_page


@pytest.fixture
def page(browser, live_server):
    with guarded_page(browser) as pg:
        pg.base = live_server.url
        yield pg


def visit(page, path: str, shot: str | None = None):
    response = page.goto(page.base + path)
    assert response.status == 200, path
    page.wait_for_load_state("networkidle")
    if shot:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{shot}.png"), full_page=True)
    return response


def assert_chart_drawn(page, chart_id: str):
    page.wait_for_selector(f'#{chart_id}[data-ready="1"] canvas')
    px = page.evaluate(CANVAS_PIXELS, chart_id)
    assert px and px["width"] > 100 and px["height"] > 100
    assert px["painted"] > 500 and px["colours"] > 3, px


@pytest.mark.parametrize("path,shot", [
    ("/", "overview"), ("/indicator/software_revenue", "indicator-software-revenue"),
    ("/indicator/energy_intensity_reduction", "indicator-energy-intensity"),
    ("/plan", "plan"), ("/plan?q=动力电池", "plan-search"),
    ("/plan/industry/new_energy_connected_vehicles", "plan-industry"),
    ("/districts", "districts"), ("/districts?layer=groups", "districts-groups"),
    ("/data", "data"), ("/downloads", "downloads"),
])
def test_page_loads_cleanly(page, path, shot):
    visit(page, path, shot)
    assert page.locator("main h1").count() >= 1
    for chart in page.locator("[data-chart]").all():
        assert_chart_drawn(page, chart.get_attribute("id"))


def test_charts_draw_on_overview_and_indicator(page):
    visit(page, "/")
    assert_chart_drawn(page, "chart-clusters")
    assert page.locator("#indicator-cards .card").count() == 20
    assert page.locator("#indicator-cards svg.spark").count() >= 10
    page.locator('#indicator-cards a[data-indicator="software_revenue"]').click()
    page.wait_for_url("**/indicator/software_revenue")
    assert_chart_drawn(page, "chart-indicator")
    names = page.evaluate("() => echarts.getInstanceByDom(document.getElementById('chart-indicator'))"
                          ".getOption().series.map(s => s.name)")
    assert {"规划路径", "实际值", "目标"} <= set(names)
    # the projection, named by what it rests on (a trend, or the latest value held: docs/methodology.md §3b)
    assert set(names) & {"按现趋势预测", "按最新值持平（仅一个年度变化）"}


@pytest.mark.parametrize("query", ["", "?layer=groups"])
def test_map_shows_all_38_districts(page, query):
    visit(page, "/districts" + query)
    page.wait_for_selector('#chart-map[data-ready="1"] canvas')
    state = page.evaluate(MAP_STATE)
    assert state == {"data": 38, "features": 38, "joined": 38, "regions": 38, "drawn": 38}
    assert_chart_drawn(page, "chart-map")
    assert page.locator("#functional-zones tbody tr").count() == 4


def _observations(live_server) -> int:
    with urlopen(live_server.url + "/data?format=json") as r:
        return json.load(r)["counts"]["observations"]


def test_upload_end_to_end(page, live_server, tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(GOOD_CSV, encoding="utf-8")
    bad.write_text(BAD_CSV, encoding="utf-8")
    start = _observations(live_server)

    visit(page, "/data")
    page.set_input_files("#upload-file", str(bad))
    with page.expect_navigation():
        page.click("#upload-form button[type=submit]")
    assert page.locator("#upload-refused").is_visible()
    assert page.locator("#problems tbody tr").count() == BAD_PROBLEMS
    page.screenshot(path=str(SCREENSHOTS / "upload-refused.png"), full_page=True)
    assert _observations(live_server) == start, "a refused file changes nothing"

    page.set_input_files("#upload-file", str(good))
    with page.expect_navigation():
        page.click("#upload-form button[type=submit]")
    assert page.locator("#upload-ok").is_visible()
    assert "good.csv" in page.locator("#upload-ok").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "upload-imported.png"), full_page=True)
    assert _observations(live_server) == start + 2


def test_language_switch_is_remembered(page):
    visit(page, "/")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert page.locator("header nav a").first.inner_text() == "总览"
    page.click("#lang-switch")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("header nav a").first.inner_text() == "Overview"
    visit(page, "/districts", "districts-en")  # no ?lang: the cookie keeps English
    assert page.evaluate("document.documentElement.lang") == "en"
    assert "District map" in page.locator("main h1").inner_text()
    page.click("#lang-switch")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"


def test_projector_width_is_readable(page):
    page.set_viewport_size({"width": 1920, "height": 1080})
    visit(page, "/", "overview-1920")
    size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert size >= 18
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow


# --- issue 12: the chain pages ----------------------------------------------------------------------------
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chain_page_draws_its_graph_fits_the_width_and_prints_its_table(page, width, lang):
    page.set_viewport_size({"width": width, "height": 900})
    for path in (f"/chains?lang={lang}", f"/chains/nev/links/power_battery?lang={lang}",
                 f"/chains/nev/whatif?lang={lang}&s1_district=500112"):
        visit(page, path, f"chains-{path.split('?')[0].strip('/').replace('/', '-')}-{lang}-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    visit(page, f"/chains/nev?lang={lang}", f"chain-nev-{lang}-{width}")
    assert_chart_drawn(page, "chart-chain")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no page-wide horizontal scroll"
    assert page.locator("#chart-chain").get_attribute("data-tooltip") == "1"  # chains.js ran (no inline script)
    # on a phone the stages run top to bottom and the names would overlap: shown on hover only
    assert page.locator("#chart-chain").get_attribute("data-layout") == ("narrow" if width < 600 else "wide")
    assert page.locator("#chart-chain").get_attribute("data-labels") == ("hover" if width < 600 else None)
    stage_labels_apart(page)
    visit(page, f"/chains/power_battery?lang={lang}", f"chain-power_battery-{lang}-{width}")  # five stages
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    stage_labels_apart(page)
    # no column squeezed to a letter a line: names and reasons keep a readable width
    for sel in ("#links-table td.first", "#links-table td.reasons", "#gaps-table td.first", "#gaps-table td.reasons"):
        narrowest = page.evaluate(f"Math.min(...[...document.querySelectorAll('{sel}')].map(e => e.clientWidth))")
        assert narrowest >= 90, (sel, narrowest)
    assert page.locator("#chain-downloads a").count() == 2
    rows = page.locator("#links-table tbody tr").count()
    assert rows > 3
    # the stage: a column of whole words on a wide screen, under the link's name on a phone
    if width < 600:
        assert not page.locator("#links-table th.stage").is_visible()
        assert page.locator("#links-table td.first .link-stage").first.is_visible()
    else:
        lines = page.evaluate("Math.max(...[...document.querySelectorAll('#links-table .stage')].map(e => { "
                              "const r = document.createRange(); r.selectNodeContents(e); "
                              "return r.getClientRects().length; }))")
        assert lines == 1, lines  # each stage on one line, never a character a line
    assert not page.locator("#chain-graph-print").is_visible()
    page.emulate_media(media="print")
    assert page.locator("#links-table").is_visible() and not page.locator("#chart-chain").is_visible()
    # no "Chain map" heading over an empty space: a line sends the reader to the web page instead
    assert not page.locator("#chain-graph h2").is_visible() and page.locator("#chain-graph-print").is_visible()
    if width >= 600:  # (printing from a phone keeps the phone's layout: the stage under the name)
        assert page.locator("#links-table th.stage").is_visible()
    assert not page.locator("#whatif-panel").is_visible() and not page.locator("#chain-downloads").is_visible()
    page.emulate_media(media="screen")


def stage_labels_apart(page):
    """Every stage named once on the chart, within it, no two names overlapping."""
    page.wait_for_selector('#chart-chain[data-tooltip="1"]')
    labels = page.evaluate(STAGE_LABELS)
    assert len(labels) == len({x["text"] for x in labels}) >= 4, labels  # every stage named once
    for i, a in enumerate(labels):
        assert a["x"] >= -1 and a["x"] + a["w"] <= page.evaluate("document.getElementById('chart-chain').clientWidth") + 1, a
        for b in labels[i + 1:]:
            apart = a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"] or a["y"] + a["h"] <= b["y"] or b["y"] + b["h"] <= a["y"]
            assert apart, ("stage labels overlap", a, b)


# The stage names as drawn (ECharts axis labels on the canvas; a wrapped name is one label of several
# lines): their boxes on the chart, to find two that overlap.
STAGE_LABELS = """() => {
  const chart = echarts.getInstanceByDom(document.getElementById('chart-chain'));
  const o = chart.getOption();
  const stages = (o.yAxis[0].type === 'category' ? o.yAxis[0] : o.xAxis[0]).data;
  const boxes = new Map();
  chart.getZr().storage.getDisplayList(true).forEach(el => {
    if (!el.style || el.style.text == null) { return; }
    const host = el.parent && el.parent.type === 'text' ? el.parent : el;
    const text = String(host.style.text);
    if (!stages.includes(text)) { return; }
    const r = el.getBoundingRect().clone();
    r.applyTransform(el.getComputedTransform());
    const b = boxes.get(host) || {text: text, x: r.x, y: r.y, x2: r.x + r.width, y2: r.y + r.height};
    b.x = Math.min(b.x, r.x); b.y = Math.min(b.y, r.y);
    b.x2 = Math.max(b.x2, r.x + r.width); b.y2 = Math.max(b.y2, r.y + r.height);
    boxes.set(host, b);
  });
  return [...boxes.values()].map(b => ({text: b.text, x: b.x, y: b.y, w: b.x2 - b.x, h: b.y2 - b.y}));
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chain_whatif_on_a_phone_is_short_and_fits(page, lang):
    """The review's flood: every affected enterprise and every 削弱 0% link listed (35,000 px)."""
    page.set_viewport_size({"width": 390, "height": 900})
    visit(page, f"/chains/power_battery/whatif?s1_region=JP&lang={lang}", f"chain-whatif-jp-{lang}-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate("document.documentElement.scrollHeight") < 9000
    for table in page.locator("table.whatif-enterprises, table.whatif-links").all():
        assert table.locator("tbody tr").count() <= 20


def test_chain_workbook_downloads_from_the_page(page):
    visit(page, "/chains/nev")
    with page.expect_download() as info:
        page.click('#chain-downloads a[data-format="xlsx"]')
    d = info.value
    assert d.suggested_filename.startswith("zhizao-") and d.suggested_filename.endswith("-nev-synthetic.xlsx")
    assert d.path().read_bytes()[:2] == b"PK"
