"""Phone, print and exports in Chromium (issue 10): at 390 px no page of the plan's dashboard is
wider than the screen; print emulation hides the navigation and keeps the status colours; a
chart's PNG button downloads a PNG; the CSV/XLSX links download files with the header row.
Both embedded plans are served (the second at /p/<id>/)."""
from __future__ import annotations

import io
import shutil
import threading
import time
from types import SimpleNamespace

import pytest

from zhizao import api
from zhizao.outputs.web.app import create_app

from webtest_support import free_port, guarded_page

SECOND = "chongqing-manufacturing-2023-2027"
P2 = f"/p/{SECOND}"


@pytest.fixture(scope="module")
def server(bundled_db, tmp_path_factory):
    import uvicorn

    db = tmp_path_factory.mktemp("print-phone") / "store.duckdb"
    shutil.copy(bundled_db, db)
    api.open_store(db, plan=api.resolve_plan(SECOND, db=db)).close()  # the second embedded plan too
    app = create_app(db=db)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield SimpleNamespace(url=f"http://127.0.0.1:{srv.config.port}")
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(browser, server):
    with guarded_page(browser) as pg:
        pg.base = server.url
        yield pg


def visit(page, path: str):
    response = page.goto(page.base + path)
    assert response.status == 200, path
    page.wait_for_load_state("networkidle")


PHONE_PAGES = ["/", "/indicator/software_revenue", "/indicator/energy_intensity_reduction", "/completion", "/gaps",
               "/plan", "/plan/industry/new_energy_connected_vehicles", "/data", "/downloads", "/plans",
               f"{P2}/", f"{P2}/indicator/rd_expenditure", f"{P2}/gaps", f"{P2}/completion"]


def test_no_page_is_wider_than_a_phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    wide = {}
    for path in PHONE_PAGES:
        visit(page, path)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # opened tables too
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[path] = width
    assert wide == {}


def test_charts_fit_a_phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    visit(page, "/indicator/software_revenue")
    page.wait_for_selector('#chart-indicator[data-ready="1"] canvas')
    width = page.evaluate("document.querySelector('#chart-indicator canvas').getBoundingClientRect().width")
    assert 200 < width <= 390


def test_print_hides_the_navigation_and_keeps_status_colours(page):
    visit(page, "/")
    assert page.locator("header.top").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()
    assert not page.locator(".export-bar").first.is_visible()
    badge = page.locator("#indicator-cards .badge").first
    style = badge.evaluate("e => { const s = getComputedStyle(e); return [s.printColorAdjust || s.webkitPrintColorAdjust, s.backgroundColor]; }")
    assert style[0] == "exact"
    assert style[1] not in ("rgba(0, 0, 0, 0)", "transparent", "rgb(255, 255, 255)")


def test_print_opens_the_collapsed_sections_and_fits_the_chart(page):
    visit(page, "/indicator/software_revenue")
    assert page.locator("#fold-history").get_attribute("open") is None
    page.emulate_media(media="print")
    page.wait_for_function("() => document.querySelector('#fold-history').open")
    assert page.locator("#history").is_visible()
    assert not page.locator(".chart-tools").first.is_visible()
    page.emulate_media(media="screen")
    page.wait_for_function("() => !document.querySelector('#fold-history').open")


def test_a_chart_downloads_as_png(page):
    visit(page, "/indicator/software_revenue")
    page.wait_for_selector('#chart-indicator[data-ready="1"] canvas')
    with page.expect_download() as info:
        page.click('button[data-export-chart="indicator"]')
    download = info.value
    assert download.suggested_filename.endswith(".png")
    with open(download.path(), "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("path,link", [("/completion", "completion"), (f"{P2}/gaps", "gaps")])
def test_table_exports_open_with_the_header_row(page, path, link):
    from openpyxl import load_workbook

    visit(page, path)
    with page.expect_download() as info:
        page.click(f'.export-bar a[data-export="xlsx"][href*="table={link}"]')
    assert info.value.suggested_filename.endswith(".xlsx")
    with open(info.value.path(), "rb") as f:
        ws = load_workbook(io.BytesIO(f.read()), read_only=True).active
    header = next(ws.iter_rows(values_only=True))
    assert header[0] == "指标"
    with page.expect_download() as info:
        page.click(f'.export-bar a[data-export="csv"][href*="table={link}"]')
    text = io.open(info.value.path(), encoding="utf-8-sig").read()
    assert text.splitlines()[0].startswith('"指标"')
