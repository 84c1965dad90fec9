"""The monitoring page (/monitoring): city summary, district map by adcode, pulls by division and
cluster, warnings with drill-down to their evidence, each district's enterprises — always labelled
SYNTHETIC — and one browser test. The data are a small `zhizao synth` folder made here."""
from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from webtest_support import CANVAS_PIXELS, MAP_STATE, SCREENSHOTS, free_port, guarded_page
from zhizao import labels
from zhizao.analytics.monitoring.refresh import refresh
from zhizao.codes.regions import DISTRICTS
from zhizao.codes.uscc import valid_mask
from zhizao.outputs.web.app import create_app
from zhizao.synth import generate

LABEL_ZH = "合成数据（演示用，非真实企业）"
LABEL_EN = "Synthetic data (demo, not real enterprises)"
PERIOD = "2024-06"
# More enterprise anomalies than the default, so that a small folder has enterprise warnings too.
ANOMALIES = {"sharp_fall": 0.03, "consecutive_decline": 0.02, "stopped_reporting": 0.02,
             "output_power_divergence": 0.02, "district_shock": 1.0, "industry_shift": 0.5}


@pytest.fixture(scope="module")
def synth_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("monitoring-synth") / "data"
    generate(300, 36, "2022-01", seed=2, anomalies=ANOMALIES).write(out)
    return out


@pytest.fixture(scope="module")
def expected(synth_dir):
    """The refresh the page must show, computed here with the analytics' own entry point."""
    from zhizao.outputs.cli_monitoring import load_monitoring_inputs

    inputs = load_monitoring_inputs(synth_dir)
    return SimpleNamespace(inputs=inputs,
                           at=refresh(inputs.enterprises, inputs.monthly, inputs.prices, period=PERIOD),
                           latest=refresh(inputs.enterprises, inputs.monthly, inputs.prices))


@pytest.fixture(scope="module")
def chain_w(bundled_db):
    """The chain warnings `zhizao warnings` appends (issue 12): the store's plan's chain data (here the
    synthetic default), whatever the period."""
    import zhizao.api as zz

    return zz.chain_warnings(None, bundled_db)


@pytest.fixture(scope="module")
def ent_w(bundled_db):
    """The green, park and backward-capacity warnings listed beside them (issue 13)."""
    import zhizao.api as zz

    return zz.enterprise_warnings(db=bundled_db)


@pytest.fixture(scope="module")
def dl_w(bundled_db):
    """The project, 三服务 and task warnings listed beside them (issue 14; here the synthetic default)."""
    from zhizao import api_delivery

    return api_delivery.delivery_warnings(db=bundled_db)


@pytest.fixture(scope="module")
def mclient(bundled_db, synth_dir):
    app = create_app(db=bundled_db, monitoring_data=synth_dir, warm=False, allowed_hosts=["testserver"])
    with TestClient(app) as c:
        yield c


@pytest.fixture
def mc(mclient):
    mclient.cookies.clear()
    return mclient


def _city(r):
    return r.growth[r.growth["subject_type"] == "city"].iloc[0]


# --- the page and its JSON twin ------------------------------------------------------------------
def test_page_and_json_twin_say_synthetic_and_match_the_refresh(mc, expected, chain_w, ent_w, dl_w):
    html = mc.get("/monitoring")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert LABEL_ZH in html.text and 'id="synthetic-banner"' in html.text
    for chart in ("map", "cluster_pulls", "industry_pulls"):
        assert f'id="chart-option-{chart}"' in html.text
    j = mc.get("/monitoring?format=json").json()
    assert j["page"] == "monitoring" and j["synthetic"] is True and j["synthetic_label"] == LABEL_ZH
    r = expected.latest
    assert j["period"] == f"{r.period[0]}-{r.period[1]:02d}"
    assert j["city"]["ytd_growth_pct"] == pytest.approx(float(_city(r)["ytd_growth_pct"]))
    assert len(chain_w) and len(ent_w) and len(dl_w)
    assert j["city"]["warnings_total"] == len(r.warnings) + len(chain_w) + len(ent_w) + len(dl_w)
    # 38 districts joined to the boundaries by adcode, values from the refresh
    assert [d["id"] for d in j["districts"]] == list(DISTRICTS)
    assert j["join"]["geojson_features"] == j["join"]["joined"] == j["join"]["districts"] == 38
    c = r.contributions
    pulls = dict(zip(c.loc[c["subject_type"] == "district", "subject_id"], c.loc[c["subject_type"] == "district", "pull_pp"]))
    for d in j["districts"]:
        if d["has_data"]:
            assert d["pull_pp"] == pytest.approx(pulls[d["id"]])
        else:
            assert d["id"] not in pulls and d["ytd_growth_pct"] is None
    # pulls by division and by cluster, each adding up to the city's growth
    for kind in ("industries", "clusters"):
        assert sum(x["pull_pp"] for x in j[kind]) == pytest.approx(float(_city(r)["ytd_growth_pct"]), abs=1e-6)
    assert {x["id"] for x in j["industries"]} == set(c.loc[c["subject_type"] == "industry", "subject_id"])


def test_map_and_bars_chart_options(mc):
    from zhizao.outputs.web.pages.monitoring import growth_map, pull_bars

    j = mc.get("/monitoring?format=json").json()
    option = growth_map(j, "zh")
    series = option["series"][0]
    assert series["nameProperty"] == "adcode" and option["geoUrl"] == "/geo/chongqing-districts.geojson"
    assert [d["name"] for d in series["data"]] == list(DISTRICTS)
    assert all(d["url"].startswith("/monitoring/district/") for d in series["data"])
    bars = pull_bars(j["clusters"], "t", "zh")
    assert len(bars["series"][0]["data"]) == len(j["clusters"]) == len(bars["yAxis"]["data"])


def test_period_and_language(mc, expected):
    j = mc.get(f"/monitoring?period={PERIOD}&lang=en&format=json").json()
    assert j["period"] == PERIOD and j["lang"] == "en" and j["synthetic_label"] == LABEL_EN
    assert j["city"]["ytd_growth_pct"] == pytest.approx(float(_city(expected.at)["ytd_growth_pct"]))
    html = mc.get(f"/monitoring?period={PERIOD}").text  # the cookie keeps English
    assert LABEL_EN in html and '<html lang="en">' in html and "Monitoring" in html
    assert [p["period"] for p in j["periods"]][0] == j["periods"][0]["period"] >= PERIOD
    for bad in ("2022-06", "2031-01", "abc"):  # 2022 has no previous year in the data
        r = mc.get(f"/monitoring?period={bad}&format=json")
        assert r.status_code == 422 and "period" in r.json()["detail"]


def all_pages(mc, query: str) -> list[dict]:
    """Every warning the page lists for `query`, page after page."""
    out, page = [], 1
    while True:
        j = mc.get(f"/monitoring?{query}&page={page}&format=json").json()
        out += j["warnings"]
        if page >= j["warning_page"]["pages"]:
            return out
        page += 1


def test_warning_filters(mc, expected, chain_w, ent_w, dl_w):
    j = mc.get(f"/monitoring?period={PERIOD}&format=json").json()
    w = pd.concat([expected.at.warnings, chain_w, ent_w, dl_w], ignore_index=True)
    assert j["warning_filter"]["total"] == len(all_pages(mc, f"period={PERIOD}")) == len(w)
    for sev in ("high", "medium", "low"):
        f = all_pages(mc, f"period={PERIOD}&severity={sev}")
        assert len(f) == int((w["severity"] == sev).sum()) == j["warning_counts"][sev]
        assert all(x["severity"] == sev for x in f)
    rule = w["rule"].iloc[0]
    f = mc.get(f"/monitoring?period={PERIOD}&rule={rule}&severity=&format=json").json()
    assert f["warnings"] and all(x["rule"] == rule for x in f["warnings"])
    assert f["warning_filter"]["shown"] == int((w["rule"] == rule).sum())
    html = mc.get(f"/monitoring?period={PERIOD}&rule={rule}").text
    assert html.count(f'data-rule="{rule}"') == len(f["warnings"])
    for rule in chain_w["rule"].unique():  # the chain rules pass the filter and are offered in its list
        f = all_pages(mc, f"period={PERIOD}&rule={rule}")
        assert len(f) == int((chain_w["rule"] == rule).sum()) and rule in {r["id"] for r in j["rules"]}
    assert {"chain", "chain_link"} <= {x["id"] for x in j["subject_types"]}
    assert mc.get("/monitoring?severity=urgent&format=json").status_code == 422
    assert mc.get("/monitoring?rule=no_such_rule&format=json").status_code == 422


# --- drill-down to the evidence ----------------------------------------------------------------------
def test_every_kind_of_warning_drills_down_to_its_evidence(mc):
    one_per_type = {}
    for w in all_pages(mc, f"period={PERIOD}"):
        # the chain warnings open the chain pages (a test below), the enterprise ones theirs (issue 13)
        if not w["rule"].startswith("chain_") and not w.get("enterprise") and not w.get("delivery"):
            one_per_type.setdefault(w["subject_type"], w)
    assert {"district", "industry", "enterprise"} <= set(one_per_type)
    for st, w in one_per_type.items():
        assert w["url"] == f"/monitoring/subject/{st}/{w['subject_id']}?period={PERIOD}"
        d = mc.get(w["url"] + "&format=json").json()
        assert d["page"] == "monitoring_subject" and d["synthetic"] is True
        assert d["subject"] == {**d["subject"], "type": st, "id": w["subject_id"]}
        same = [x for x in d["warnings"] if x["rule"] == w["rule"]]
        assert same and same[0]["evidence"] == w["evidence"] and same[0]["explanation"] == w["explanation"]
        s = d["series"]
        assert s["periods"][-1] == PERIOD and len(s["value"]) == len(s["periods"])
        html = mc.get(w["url"]).text
        assert LABEL_ZH in html and 'id="chart-option-series"' in html
        assert w["explanation"] in html
        for key in w["evidence"]:  # in words: a code never reaches the Chinese page
            assert f"<th>{labels.label('evidence_key', key, 'zh')}</th>" in html and f"<th>{key}</th>" not in html


def test_subject_series_are_the_refresh_numbers(mc, expected):
    r = expected.at
    d = mc.get(f"/monitoring/subject/city/500000?period={PERIOD}&format=json").json()
    path = r.city_path.set_index(["year", "month"])["ytd_growth_pct"]
    assert d["series"]["ytd_growth_pct"][-1] == pytest.approx(float(path.loc[(2024, 6)]))
    assert d["info"]["target_pct"] == 6.0
    code = r.warnings.loc[r.warnings["subject_type"] == "enterprise", "subject_id"].iloc[0]
    e = mc.get(f"/monitoring/subject/enterprise/{code}?period={PERIOD}&format=json").json()
    row = r.enterprises[r.enterprises["credit_code"] == code].iloc[0]
    assert e["info"]["district"] == row["district"] and e["info"]["ytd"] == pytest.approx(float(row["ytd"]))
    assert "electricity_growth_pct" in e["series"]
    assert mc.get("/monitoring/subject/enterprise/91500000NOTACODE00?format=json").status_code == 404
    assert mc.get("/monitoring/subject/planet/x").status_code == 404


# --- each district's enterprises ---------------------------------------------------------------------
def test_district_enterprise_list(mc, expected):
    r = expected.at
    warned = r.warnings[r.warnings["subject_type"] == "enterprise"]
    codes = dict(zip(r.enterprises["credit_code"], r.enterprises["district"]))
    adcode = codes[warned["subject_id"].iloc[0]]
    j = mc.get(f"/monitoring/district/{adcode}?period={PERIOD}&format=json").json()
    assert j["page"] == "monitoring_district" and j["synthetic"] is True
    ents = j["enterprises"]
    mine = r.enterprises[(r.enterprises["district"] == adcode)
                         & ((r.enterprises["ytd"] > 0) | (r.enterprises["ytd_prev"] > 0) | r.enterprises["reported"])]
    assert len(ents) == len(mine) > 0
    assert all(e["district"] == adcode for e in ents)
    assert valid_mask([e["credit_code"] for e in ents]).all()
    assert sum(e["ytd"] for e in ents) == pytest.approx(float(mine["ytd"].sum()))
    by_code = {e["credit_code"]: e for e in ents}
    for code in warned["subject_id"]:
        if codes[code] == adcode:
            assert set(warned.loc[warned["subject_id"] == code, "rule"]) == {w["rule"] for w in by_code[code]["warnings"]}
    for key in ("credit_code", "name", "industry", "industry_name", "ytd", "ytd_growth_pct", "warnings", "url"):
        assert key in ents[0]
    html = mc.get(f"/monitoring/district/{adcode}?period={PERIOD}").text
    assert LABEL_ZH in html and ents[0]["credit_code"] in html and DISTRICTS[adcode] in html
    assert html.count('data-credit-code="') == len(ents)
    assert mc.get("/monitoring/district/999999").status_code == 404
    # a district without enterprises in the data is a page saying so, not an error
    empty = next(c for c in DISTRICTS if c not in set(r.enterprises["district"]))
    e = mc.get(f"/monitoring/district/{empty}?format=json").json()
    assert e["enterprises"] == [] and e["district"]["has_data"] is False


def test_navigation_links_the_page(mc):
    html = mc.get("/").text
    assert 'href="/monitoring"' in html and "运行监测" in html
    assert 'class="active" aria-current="page">运行监测' in mc.get("/monitoring/subject/city/500000").text


# --- without data, with changed data -----------------------------------------------------------------
def test_missing_data_says_how_to_create_it(bundled_db, tmp_path):
    missing = tmp_path / "not-there"
    app = create_app(db=bundled_db, monitoring_data=missing, warm=False, allowed_hosts=["testserver"])
    with TestClient(app) as c:
        for url in ("/monitoring", "/monitoring/district/500112", "/monitoring/subject/city/500000"):
            r = c.get(url)
            assert r.status_code == 200 and f"zhizao synth --out {missing}" in r.text
            j = c.get(url + "?format=json").json()
            assert j["available"] is False and j["reason"] == "missing"
        assert c.get("/monitoring/brief?format=html").status_code == 404


def test_default_folder_comes_from_the_environment(bundled_db, synth_dir, monkeypatch):
    monkeypatch.setenv("ZHIZAO_MONITORING_DATA", str(synth_dir))
    app = create_app(db=bundled_db, warm=False)
    assert app.state.monitoring.data_dir == synth_dir
    monkeypatch.delenv("ZHIZAO_MONITORING_DATA")
    assert create_app(db=bundled_db, warm=False).state.monitoring.data_dir == Path("zhizao-synth")


def test_refresh_is_cached_per_folder_state_and_period(bundled_db, synth_dir, tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(synth_dir, data)
    app = create_app(db=bundled_db, monitoring_data=data, warm=False, allowed_hosts=["testserver"])
    state = app.state.monitoring
    with TestClient(app) as c:
        c.get(f"/monitoring?period={PERIOD}")
        first = state.result((2024, 6))
        t = time.perf_counter()
        assert c.get(f"/monitoring?period={PERIOD}").status_code == 200
        assert time.perf_counter() - t < 1.0
        assert state.result((2024, 6)) is first
        assert state.result(None) is not first  # another period, another refresh
        meta = data / "metadata.json"
        st = meta.stat()
        os.utime(meta, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # `zhizao synth` rewrote the folder
        assert state.result((2024, 6)) is not first


def test_brief_download(mc):
    r = mc.get(f"/monitoring/brief?format=html&period={PERIOD}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "zhizao-brief-2024-06-zh.html" in r.headers["content-disposition"]
    assert LABEL_ZH in r.text and "总体运行" in r.text
    assert mc.get("/monitoring/brief?format=pdf").status_code == 422


# --- in the browser ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def monitoring_server(bundled_db, synth_dir, tmp_path_factory):
    """uvicorn on a free localhost port over the small synthetic folder (as conftest's live_server)."""
    import shutil

    import uvicorn

    db = tmp_path_factory.mktemp("live-monitoring") / "store.duckdb"
    shutil.copy(bundled_db, db)
    app = create_app(db=db, monitoring_data=synth_dir)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_monitoring_page_in_the_browser(browser, monitoring_server):
    with guarded_page(browser) as page:
        response = page.goto(monitoring_server + f"/monitoring?period={PERIOD}")
        assert response.status == 200
        page.wait_for_load_state("networkidle")
        assert page.locator("#synthetic-banner").inner_text().startswith(LABEL_ZH)
        page.wait_for_selector('#chart-map[data-ready="1"] canvas')
        state = page.evaluate(MAP_STATE)
        assert {k: state[k] for k in ("data", "joined", "regions", "drawn")} == {"data": 38, "joined": 38, "regions": 38, "drawn": 38}
        for chart in ("chart-industry_pulls", "chart-cluster_pulls", "chart-map"):
            page.wait_for_selector(f'#{chart}[data-ready="1"] canvas')
            px = page.evaluate(CANVAS_PIXELS, chart)
            assert px and px["width"] > 100 and px["height"] > 100
            assert px["painted"] > 500 and px["colours"] > 3, (chart, px)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "monitoring.png"), full_page=True)
        # drill down from the warning list to the evidence page
        page.locator("#warning-table a").first.click()
        page.wait_for_load_state("networkidle")
        assert re.search(r"/monitoring/subject/[a-z]+/", page.url)
        page.wait_for_selector('#chart-series[data-ready="1"] canvas')
        assert page.locator("#subject-warnings table.evidence").count() >= 1


def test_serve_passes_the_monitoring_folder(monkeypatch, bundled_db, synth_dir):
    import typer
    import uvicorn
    from typer.testing import CliRunner

    from zhizao.outputs.web.cli import register

    app = typer.Typer()
    register(app)

    @app.command("other")
    def other():
        pass

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda application, **kw: seen.update(app=application))
    result = CliRunner().invoke(app, ["serve", "--db", str(bundled_db), "--monitoring-data", str(synth_dir)])
    assert result.exit_code == 0, result.output
    assert seen["app"].state.monitoring.data_dir == synth_dir


# --- issue 10: grouped and paged warnings, the light as a status, one meaning for red ------------------
def test_warnings_are_grouped_and_paged_without_five_lights(mc):
    from zhizao.outputs.web.pages.monitoring import WARNINGS_PER_PAGE

    j = mc.get(f"/monitoring?period={PERIOD}&format=json").json()
    total = j["warning_filter"]["total"]
    assert total > WARNINGS_PER_PAGE, "the fixture has more warnings than a page"
    assert sum(g["count"] for g in j["warning_groups"]) == total
    assert [g["count"] for g in j["warning_groups"]] == sorted((g["count"] for g in j["warning_groups"]), reverse=True)
    assert all(w["rule"] != "five_light" for w in all_pages(mc, f"period={PERIOD}"))
    assert all(g["rule"] != "five_light" for g in j["warning_groups"])
    assert any(r["light"] for r in j["districts"])  # the light stays: a column of the subject tables
    pg = j["warning_page"]
    assert len(j["warnings"]) == WARNINGS_PER_PAGE and pg["page"] == 1 and pg["prev_url"] is None and pg["next_url"]
    two = mc.get(pg["next_url"].split("#")[0] + "&format=json").json()
    assert two["warning_page"]["page"] == 2 and two["warnings"] != j["warnings"]
    g = j["warning_groups"][0]
    grouped = mc.get(g["url"].split("#")[0] + "&format=json").json()
    assert grouped["warning_filter"]["shown"] == g["count"]
    assert all(w["rule"] == g["rule"] and w["subject_type"] == g["subject_type"] for w in grouped["warnings"])
    assert mc.get(f"/monitoring?period={PERIOD}&rule=five_light&format=json").status_code == 422
    assert mc.get(f"/monitoring?period={PERIOD}&type=town&format=json").status_code == 422
    html = mc.get(f"/monitoring?period={PERIOD}").text
    assert 'id="warning-groups"' in html and 'id="warning-pager"' in html and 'rel="next"' in html


def test_warning_groups_split_by_severity_as_the_refresh(mc, synth_dir, bundled_db):
    """Issue 10 w4: "企业连续下滑 · 企业 · 中 · 18" hid 17 低 behind the worst; each group now counts
    every severity, as `zhizao warnings` prints them — the chain warnings too (issue 12)."""
    import json as json_
    from collections import Counter

    from typer.testing import CliRunner

    from zhizao.analytics.monitoring.warnings import WARNING_RULES
    from zhizao.api_delivery import DELIVERY_RULES
    from zhizao.outputs.cli import app

    j = mc.get(f"/monitoring?period={PERIOD}&format=json").json()
    out = CliRunner().invoke(app, ["warnings", "--data", str(synth_dir), "--db", str(bundled_db), "--period", PERIOD,
                                   "--format", "json"])
    assert out.exit_code == 0, out.output
    w = pd.DataFrame(json_.loads(out.stdout[out.stdout.index("["):]))
    w = w[w["rule"].isin(WARNING_RULES) | w["rule"].str.startswith("chain_")
          | w["rule"].isin(["green_level1", "green_level2", "park_below_target", "enterprise_backward"])  # issue 13
          | w["rule"].isin(DELIVERY_RULES)]  # issue 14
    assert w["rule"].str.startswith("chain_").any() and (~w["rule"].str.startswith("chain_")).any()
    want = Counter(zip(w["rule"], w["subject_type"], w["severity"]))
    got = {(g["rule"], g["subject_type"], s["id"]): s["count"] for g in j["warning_groups"] for s in g["severities"]}
    assert got == dict(want)
    assert all(g["count"] == sum(s["count"] for s in g["severities"]) for g in j["warning_groups"])
    for sev, n in j["warning_counts"].items():  # the headline counts are the groups' sums
        assert n == sum(c for (_, _, s), c in got.items() if s == sev)
    html = mc.get(f"/monitoring?period={PERIOD}").text
    table = html[html.index('id="warning-groups"'):html.index("</table>", html.index('id="warning-groups"'))]
    for g in j["warning_groups"]:
        row = table[table.index(f'data-group-rule="{g["rule"]}" data-group-type="{g["subject_type"]}"'):]
        row = row[:row.index("</tr>")]
        for s in g["severities"]:
            assert f'{s["label"]}</span> {s["count"]}</a>' in row
        sub = mc.get(g["severities"][0]["url"].split("#")[0] + "&format=json").json()
        assert sub["warning_filter"]["shown"] == g["severities"][0]["count"]


def test_districts_are_not_mostly_overheated_or_cold(mc):
    """Before: the city's cut-offs put most districts at 过冷/过热; against their peers few are."""
    j = mc.get(f"/monitoring?period={PERIOD}&format=json").json()
    lit = [r["light"] for r in j["districts"] if r["light"]]
    assert lit and sum(x in ("过冷", "过热") for x in lit) <= len(lit) // 4


def test_red_means_a_high_severity_warning_only():
    import re as re_
    from importlib import resources

    from zhizao.outputs.web.pages import monitoring as page

    def reddish(hex_colour: str) -> bool:  # hue within 15° of red, saturated (#c0392b, #d73027, #b2182b)
        import colorsys

        h, _, sat = colorsys.rgb_to_hls(*(int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)))
        return (h * 360 < 15 or h * 360 > 345) and sat > 0.5

    assert not any(reddish(c) for c in [*page.GROWTH_COLOURS, page.POSITIVE, page.NEGATIVE])
    css = resources.files("zhizao.outputs.web").joinpath("static/app.css").read_text(encoding="utf-8")
    block = css[css.index("/* === issue 10: districts & monitoring === */"):]
    for cls in (".neg", ".light-hot"):
        colour = re_.search(re_.escape(cls) + r"\s*\{\s*color:\s*(#[0-9a-fA-F]{6})", block).group(1)
        assert not reddish(colour), (cls, colour)


def test_chinese_monitoring_pages_have_no_code_words(mc):
    j = mc.get(f"/monitoring?period={PERIOD}&format=json").json()
    urls = [f"/monitoring?period={PERIOD}", f"/monitoring?period={PERIOD}&page=2", j["city"]["url"],
            j["industries"][0]["url"], j["warnings"][0]["url"], f"/monitoring/district/{j['districts'][0]['id']}"]
    for url in urls:
        words = code_words_in(mc.get(url).text)
        assert not words, (url, words)


def code_words_in(html: str) -> list[str]:
    """Code words in what a reader sees (text, not markup, scripts or attribute values)."""
    text = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return sorted(w for w in labels.code_words()
                  if re.search(r"(?<![A-Za-z_])" + re.escape(w) + r"(?![A-Za-z_])", text))


NARROW = 390
OVERFLOW = "() => document.documentElement.scrollWidth"


def test_districts_and_monitoring_at_390px_in_the_browser(browser, monitoring_server):
    """A phone: no page overflows sideways; the map legend says 无数据; page 2 of the warnings opens;
    no code word on the Chinese pages."""
    with guarded_page(browser) as page:
        page.set_viewport_size({"width": NARROW, "height": 844})
        for url in ("/districts", "/districts?district=500102&compare=500105&compare=500120",
                    f"/monitoring?period={PERIOD}"):
            assert page.goto(monitoring_server + url).status == 200
            page.wait_for_load_state("networkidle")
            assert page.evaluate(OVERFLOW) <= NARROW, (url, page.evaluate(OVERFLOW))
            assert not code_words_in(page.content()), url
            if url.startswith("/districts"):
                assert "无数据" in page.locator("#map-legend").inner_text()
        page.locator("#warning-pager a[rel=next]").click()
        page.wait_for_load_state("networkidle")
        assert "page=2" in page.url and "（21–" in page.locator("#warning-pager").inner_text()
        assert page.locator("#warning-table tbody tr").count() >= 1
        assert page.evaluate(OVERFLOW) <= NARROW


def test_english_monitoring_pages_use_english_brackets(mc):
    """Issue 10 w4 (H): "Warnings（25/25）" on the English page."""
    en = mc.get(f"/monitoring?period={PERIOD}&lang=en").text
    heads = re.findall(r"<h2>(.*?)</h2>", en) + re.findall(r'class="stat-label">(.*?)</div>', en)
    assert heads and not any(c in h for h in heads for c in "（）：")
    d = next(iter(DISTRICTS))
    for path in (f"/monitoring/district/{d}", f"/monitoring/subject/city/500000"):
        page = mc.get(path + f"?period={PERIOD}&lang=en").text
        assert not any(c in h for h in re.findall(r"<h2>(.*?)</h2>", page) for c in "（）：")


def test_chain_warnings_link_to_their_pages_and_follow_the_district_scope(mclient, chain_w, bundled_db, synth_dir,
                                                                          monkeypatch):
    """Issue 12: chain and chain-link warnings link to /chains/…; an enterprise's chain warning only for users
    of its district (the chain data's district), and a supplier of another district it names loses its name."""
    import zhizao.api as zz
    from zhizao.outputs.web import auth

    q = f"period={PERIOD}"
    for st in ("chain", "chain_link", "enterprise"):
        rows = [w for w in all_pages(mclient, f"{q}&type={st}") if w["rule"].startswith("chain_")]
        assert rows, st
        assert all(w["url"] and w["url"].startswith("/chains/") for w in rows), st
        assert mclient.get(rows[0]["url"]).status_code == 200
    ents = zz.chain_data(bundled_db, None).enterprises
    district_of = dict(zip(ents["enterprise_id"], ents["district"]))
    name_of = dict(zip(ents["enterprise_id"], ents["name"]))
    single = chain_w[chain_w["rule"] == "chain_single_source"]
    # a buyer whose supplier produces elsewhere: its district's user sees the warning, not the supplier's name
    pick = next(r for r in single.itertuples() if district_of.get(r.subject_id) and
                any(district_of.get(s) != district_of[r.subject_id] for s in r.evidence["suppliers"]))
    mine = district_of[pick.subject_id]
    from zhizao.outputs.web import app as app_module

    user = auth.User(id="d", level="district", region=mine, role="district", authenticated=True)
    monkeypatch.setattr(app_module, "current_user", lambda request: user)  # the page cache asks it too
    district_app = create_app(db=bundled_db, monitoring_data=synth_dir, warm=False, allowed_hosts=["testserver"])
    district_app.dependency_overrides[auth.current_user] = lambda: user
    with TestClient(district_app) as dc:
        seen = [w for w in all_pages(dc, f"{q}&type=enterprise") if w["rule"].startswith("chain_")]
        want = chain_w[(chain_w["subject_type"] == "enterprise") & (chain_w["subject_id"].map(district_of) == mine)]
        assert len(seen) == len(want) > 0
        assert all(district_of[w["subject_id"]] == mine for w in seen)
        row = next(w for w in seen if w["subject_id"] == pick.subject_id and w["rule"] == "chain_single_source")
        for s in pick.evidence["suppliers"]:
            if district_of.get(s) != mine:
                assert name_of[s] not in row["explanation"] and s not in row["evidence"]["suppliers"]
        chain_rows = [w for w in all_pages(dc, q) if w["rule"].startswith("chain_")]
        assert len(chain_rows) == len(want) + int((chain_w["subject_type"] != "enterprise").sum())
        page = dc.get(f"/monitoring?{q}&rule=chain_single_source").text
        assert not [s for s in pick.evidence["suppliers"] if district_of.get(s) != mine and name_of[s] in page]


def test_chain_warnings_show_without_monitoring_data(bundled_db, tmp_path, chain_w):
    """Second review: without monitoring data /monitoring still lists the chain warnings (as `zhizao warnings`
    does), below the notice, on the page and in its JSON twin, in the page's language."""
    app = create_app(db=bundled_db, monitoring_data=tmp_path / "not-there", warm=False, allowed_hosts=["testserver"])
    with TestClient(app) as c:
        j = c.get("/monitoring?format=json").json()
        assert j["available"] is False and j["chain_warnings"]["count"] == len(chain_w) > 0
        rows = j["chain_warnings"]["rows"]
        assert sorted((w["rule"], w["subject_id"]) for w in rows) == sorted(zip(chain_w["rule"], chain_w["subject_id"]))
        assert all(w["url"] and w["url"].startswith("/chains/") for w in rows if w["subject_type"] != "enterprise")
        for lang, notice, title in (("zh", "没有监测数据", "产业链预警"), ("en", "No monitoring data", "Chain warnings")):
            page = c.get(f"/monitoring?lang={lang}").text
            assert page.index(notice) < page.index('id="chain-warnings"') < page.index(title + (" (" if lang == "en" else "（"))
            assert page.count('<tr data-rule="chain_') == len(chain_w)
        # the other monitoring pages need the monitoring data: the notice alone
        assert 'id="chain-warnings"' not in c.get("/monitoring/district/500112").text
