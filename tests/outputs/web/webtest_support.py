"""Constants and helpers shared by the dashboard tests (a uniquely named module: the test folders
are not packages, so a second `conftest` import could resolve to another folder's file)."""
from __future__ import annotations

import socket
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from zhizao import api

REPO = Path(__file__).resolve().parents[3]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

GOOD_CSV = (
    "series,region,period,value,unit,source_url,grade,vintage,quote\n"
    "软件业务收入,500000,2024,3300,亿元,https://example.org/web-test/sw-2024,B,2025-01-20,全市软件业务收入3300亿元\n"
    "规上工业总产值,渝北区,2024,6000,亿元,https://example.org/web-test/yb-2024,C,2025-02-01,渝北区规上工业总产值6000亿元\n"
)
# Four problems: unknown region, non-numeric value, unknown series, year outside the plan window.
BAD_CSV = (
    "series,region,period,value,unit\n"
    "软件业务收入,火星区,2024,abc,亿元\n"
    "不存在的指标,500000,1990,12,亿元\n"
)
BAD_PROBLEMS = 4


def csrf_headers(client) -> dict[str, str]:
    """The CSRF header a script sends: the zhizao_csrf cookie's value, got by a first GET."""
    if "zhizao_csrf" not in client.cookies:
        client.get("/data?format=json")
    return {"X-CSRF-Token": client.cookies["zhizao_csrf"]}


def store_counts(db: Path) -> dict[str, int]:
    with api.open_store(db) as store:
        return store.counts()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def guarded_page(browser):
    """A fresh browser page (no cookies) that fails the test on console errors and refuses, and
    reports, any request that would leave the machine."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    errors: list[str] = []
    outside: list[str] = []

    def guard(route):
        if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
            return route.continue_()
        outside.append(route.request.url)
        return route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        yield page
    finally:
        context.close()
    assert errors == [], f"console errors: {errors}"
    assert outside == [], f"requests to the network: {outside}"


# Counts painted pixels and distinct colours of a chart's canvas (sampled every 7th pixel).
CANVAS_PIXELS = """(id) => {
  const canvas = document.querySelector('#' + id + ' canvas');
  if (!canvas) return null;
  const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0; const colours = new Set();
  for (let i = 0; i < d.length; i += 28) {
    if (d[i + 3] > 0) { painted++; colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]); }
  }
  return {painted, colours: colours.size, width: canvas.width, height: canvas.height};
}"""

# How the district map joined its data to the bundled boundaries (by adcode).
MAP_STATE = """() => {
  const chart = echarts.getInstanceByDom(document.getElementById('chart-map'));
  const data = chart.getOption().series[0].data;
  const geo = echarts.getMap(chart.getOption().series[0].map);  // registered under the plan's name
  const features = (geo.geoJSON || geo.geoJson).features.map(f => f.properties.adcode);
  const series = chart.getModel().getSeriesByIndex(0);
  return {data: data.length, features: features.length,
          joined: data.filter(d => features.includes(d.name)).length,
          regions: series.coordinateSystem.regions.length, drawn: series.getData().count()};
}"""
