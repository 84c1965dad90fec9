"""`zhizao chain …` as a user runs it: every subcommand and format in Chinese and English on the embedded
plan (its synthetic default data, labelled), the fictional plan with a chain (tests/ingest/chain_files),
and a plan without chains; bad arguments exit 2 with one line; a refused import exits 1, lists every
problem and stores nothing."""
from __future__ import annotations

import json
import re

import pytest
from rich.cells import cell_len

from cli_support import run_main, synth_dir  # noqa: F401 (synth_dir: a fixture)
from tests.ingest.chain_files import ASSETS, tables, write_csv
from tests.outputs.chain_plan import chain_plan_path
from zhizao import api, labels
from zhizao.analytics import chains as analytics
from zhizao.outputs import cli_chains, cli_common
from zhizao.outputs.cli_delivery import delivery_rules
from zhizao.outputs.cli_enterprises import enterprise_rules
from zhizao.outputs.console import make_console

EMBEDDED = "chongqing-manufacturing-2021-2025"
# listed beside the chain warnings, after them: the enterprise ones (issue 13) and the project, 三服务 and task
# ones (issue 14)
ENTERPRISE_RULES = set(enterprise_rules()) | set(delivery_rules())
NO_CHAINS = "chongqing-manufacturing-2023-2027"
from zhizao.plan.chain_lint import lint_chains


@pytest.fixture
def zz(tmp_path, capsys, monkeypatch):
    """`zhizao ARGS` on a store that does not exist yet (the chain data: the synthetic default)."""
    monkeypatch.setenv("ZHIZAO_DB", str(tmp_path / "store.duckdb"))
    monkeypatch.delenv("ZHIZAO_PLAN", raising=False)

    def run(*args: str):
        return run_main(list(args), capsys, monkeypatch)
    return run


@pytest.fixture(scope="module")
def chain_plan(tmp_path_factory):
    return str(chain_plan_path(tmp_path_factory.mktemp("chain-plan")))


def first_chain(plan=None):
    return api.resolve_plan(plan, register=False).chains[0]


# --- every subcommand, every format, both languages -------------------------------------------------
COMMANDS = [["list"], ["risk"], ["risk", "--level", "relations", "--grade", "high"],
            ["risk", "--level", "enterprises", "--grade", "medium"], ["whatif", "--region", "abroad"], ["gaps"]]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: "-".join(a))
def test_commands_in_every_format_label_the_synthetic_data(zz, args, lang):
    code, out, err = zz("chain", *args, "--lang", lang)
    assert code == 0, err
    label = "合成数据（演示用）" if lang == "zh" else "SYNTHETIC"
    assert label in out and "Traceback" not in out + err
    code, out, err = zz("chain", *args, "--lang", lang, "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    rows = rows if isinstance(rows, list) else [rows]  # one what-if scenario: an object with its tables
    assert rows and all(r["origin"] == "synthetic" for r in rows)
    assert "SYNTHETIC" in err or "合成数据" in err  # machine formats: the label on stderr, stdout stays parseable
    code, out, err = zz("chain", *args, "--lang", lang, "--format", "csv")
    assert code == 0 and out.startswith('"origin"') and '"synthetic"' in out


def test_list_matches_the_api_and_prints_chain_names(zz):
    df = api.chains(EMBEDDED)
    assert df.attrs["synthetic"] is True and len(df) == len(api.resolve_plan(EMBEDDED, register=False).chains)
    code, out, _ = zz("chain", "list", "--format", "json")
    rows = json.loads(out)
    assert [r["chain"] for r in rows] == list(df["chain"])
    assert [r["missing"] for r in rows] == [int(x) for x in df["missing"]]
    code, out, _ = zz("chain", "list")
    for name in df["name"]:
        assert name[:4] in out  # a long name may wrap, its start is on one line


def test_show_prints_the_chain_upstream_first_with_status_and_risk(zz):
    chain = first_chain(EMBEDDED)
    code, out, err = zz("chain", "show", chain.id)
    assert code == 0, err
    stages = [s for s in ("上游材料", "零部件", "系统与总成", "整机与终端", "应用与服务") if f"── {s}" in out]
    assert stages and [out.index(f"── {s}") for s in stages] == sorted(out.index(f"── {s}") for s in stages)
    for link in chain.links:
        assert link.name[:3] in out
    assert "风险" in out and "本地" in out
    code, out, _ = zz("chain", "show", chain.name, "--lang", "en", "--format", "json")  # by name too
    rows = json.loads(out)
    assert {r["link"] for r in rows} == {k.id for k in chain.links}
    assert all(r["grade"] in ("high", "medium", "low") and r["reasons_en"] for r in rows)


def test_tables_fit_80_columns(zz, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(cli_chains, "console", make_console())
    chain = first_chain(EMBEDDED)
    for args in (["list"], ["list", "--lang", "en"], ["show", chain.id], ["risk", "--limit", "5"],
                 ["risk", "--level", "relations", "--limit", "5", "--lang", "en"],
                 ["whatif", "--region", "abroad", "--limit", "5"]):
        code, out, err = zz("chain", *args)
        assert code == 0, err
        wide = [line for line in out.splitlines() if cell_len(line) > 80]
        assert not wide, (args, wide[:2])


def test_whatif_compares_named_scenarios(zz):
    d = api.resolve_plan(EMBEDDED, register=False).regions.districts[0].code
    code, out, err = zz("chain", "whatif", "--scenario", f"本区=district:{d}", "--scenario", "境外=region:abroad",
                        "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert [r["scenario"] for r in rows] == ["本区", "境外"] and all(r["removed"] > 0 for r in rows)
    want = api.chain_whatif([analytics.Scenario("境外", regions=("abroad",))], EMBEDDED)
    # 万元 as computed, the unit in the column's name
    assert rows[1]["output_at_risk_10k_yuan"] == pytest.approx(float(want["output_at_risk"].iloc[0]))
    assert "output_at_risk" not in rows[1]


LINK_ROW = re.compile(r"│ (削弱|断链|本地配套断链|停产) +│")


def _link_rows(out: str) -> list[str]:
    return [line for line in out.splitlines() if LINK_ROW.search(line)]


def test_whatif_limits_every_table_and_hides_links_under_the_minimum_loss(zz):
    """--limit cuts the links table as well as the enterprises (a line says how many more), and a link
    weakened by less than the minimum loss (what would print as 0.0%) is counted, not listed."""
    code, out, err = zz("chain", "whatif", "--region", "abroad", "--format", "json")
    doc = json.loads(out)
    minimum = cli_chains._min_loss(api.Settings())
    need = lambda lk: lk["need_lost_share"] or 0.0  # noqa: E731 - null: no buyer recorded, nothing measured
    small = [lk for lk in doc["links"] if lk["status"] == "weakened" and need(lk) < minimum]
    listed = len(doc["links"]) - len(small)
    assert small and listed > 3  # the synthetic default has both, or the test tests nothing
    code, out, err = zz("chain", "whatif", "--region", "abroad", "--limit", "3")
    assert code == 0, err
    assert len(_link_rows(out)) == 3
    assert f"另有 {listed - 3} 个受影响环节未列出" in out and f"另有 {len(small)} 个环节需求缺口低于" in out
    downstream = [e for e in doc["enterprises"] if not e.get("removed")]  # the removed are the scenario
    assert f"另有 {len(downstream) - 3:,} 家受影响的下游企业未列出" in out
    order = {"lost": 0, "stopped": 1, "local_lost": 2, "weakened": 3}  # the worst three: by status, then need lost
    worst = sorted((lk for lk in doc["links"] if lk not in small), key=lambda lk: (order[lk["status"]], -need(lk)))[:3]
    shown = sorted(line.rstrip(" │").rsplit("│", 1)[1].strip() for line in _link_rows(out))
    assert shown == sorted(f"{lk['need_lost_share'] * 100:.1f}" if lk["need_lost_share"] is not None else "—"
                           for lk in worst)
    code, out, err = zz("chain", "whatif", "--region", "abroad", "--limit", "0")
    rows = _link_rows(out)
    assert len(rows) == listed and not any(line.rstrip(" │").endswith("│ 0.0") for line in rows)
    assert "受影响环节未列出" not in out and "下游企业未列出" not in out
    code, out, err = zz("chain", "whatif", "--region", "abroad", "--limit", "3", "--lang", "en")
    assert f"{listed - 3} more links hit" in out and f"{len(small)} more links lost less than" in out


def test_whatif_comparison_reads_at_80_columns_with_links_losing_local_supply(zz, monkeypatch):
    """Scenarios as columns, the measures as rows: no header folds a character a line, whatever the
    scenario names; the row 失去本地配套的环节 gives compare()'s local_links_lost."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(cli_chains, "console", make_console())
    d = api.resolve_plan(EMBEDDED, register=False).regions.districts[0].code
    args = ["--scenario", f"本区全部企业停产的情景=district:{d}", "--scenario", "境外=region:abroad",
            "--scenario", "日本=region:JP"]
    code, out, err = zz("chain", "whatif", *args, "--format", "json")
    rows = json.loads(out)
    assert all("local_links_lost" in r for r in rows)
    code, out, err = zz("chain", "whatif", *args)
    assert code == 0, err
    assert all(cell_len(line) <= 80 for line in out.splitlines())
    lines = out.splitlines()
    for words in ("受影响的下游企业", "失去本地配套的环节", "下游受影响产值（亿元）", "合计（含停供企业，亿元）"):
        assert any(words in line for line in lines), words  # on one line, not folded
    local = next(line for line in lines if "失去本地配套的环节" in line)
    assert [c.strip() for c in local.split("│")[2:-1]] == [f"{r['local_links_lost']:,}" for r in rows]
    assert any("本区全部企业停产的情景" in line and "境外" in line for line in lines)  # scenarios side by side
    code, out, err = zz("chain", "whatif", *args, "--lang", "en")
    assert "Links losing all local supply" in out


def test_one_scenario_json_has_its_tables(zz):
    code, out, err = zz("chain", "whatif", "--region", "abroad", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["origin"] == "synthetic" and doc["summary"]["removed"] > 0
    assert doc["links"] and doc["enterprises"]


def test_export_writes_a_workbook_and_a_graph(zz, tmp_path):
    import networkx as nx
    import openpyxl

    x, g = tmp_path / "c.xlsx", tmp_path / "c.graphml"
    assert zz("chain", "export", "--format", "xlsx", "--out", str(x))[0] == 0
    wb = openpyxl.load_workbook(x)
    assert wb.sheetnames == ["链条概况", "环节", "供应关系风险", "重点企业风险", "备份企业", "招商清单"]
    chain = first_chain(EMBEDDED)
    assert zz("chain", "export", "--format", "graphml", "--out", str(g), "--chain", chain.id, "--enterprises")[0] == 0
    graph = nx.read_graphml(g)
    assert {n for n, d in graph.nodes(data=True) if d["kind"] == "link"} == {f"{chain.id}/{k.id}" for k in chain.links}


# --- the fictional plan (a second plan with a chain) ------------------------------------------------
def test_the_fictional_plans_own_chain(zz):
    plan = str(ASSETS / "fictional-plan.yaml")
    chain = first_chain(plan)
    code, out, err = zz("chain", "list", "--plan", plan, "--lang", "en")
    assert code == 0 and (chain.name_en or chain.name) in out and "SYNTHETIC" in out, err
    code, out, err = zz("chain", "show", chain.id, "--plan", plan)
    assert code == 0 and all(k.name[:3] in out for k in chain.links), err
    code, out, err = zz("chain", "whatif", "--region", "abroad", "--plan", plan, "--format", "json")
    assert code == 0 and json.loads(out)["summary"]["removed"] > 0, err
    code, out, err = zz("chain", "gaps", "--plan", plan, "--format", "json")
    assert code == 0 and isinstance(json.loads(out), list), err


def test_fictional_plan_with_a_chain(zz, chain_plan):
    code, out, err = zz("chain", "list", "--plan", chain_plan)
    assert code == 0 and "电机产业链" in out, err
    code, out, err = zz("chain", "show", "motors", "--plan", chain_plan, "--lang", "en")
    assert code == 0 and "Motors" in out and "── materials" in out and "── final products" in out, err
    for args in (["risk", "--level", "relations"], ["whatif", "--region", "abroad"]):
        code, out, err = zz("chain", *args, "--plan", chain_plan, "--format", "json")
        assert code == 0 and json.loads(out), (args, err)


# --- a plan without chains --------------------------------------------------------------------------
@pytest.mark.parametrize("lang,words", [("zh", "本规划未列产业链图谱"), ("en", "this plan has no chain maps")])
def test_a_plan_without_chains_says_so(zz, lang, words):
    code, out, err = zz("chain", "list", "--plan", NO_CHAINS, "--lang", lang)
    assert code == 0 and out.strip() == words
    code, out, err = zz("chain", "list", "--plan", NO_CHAINS, "--format", "json")
    assert code == 0 and json.loads(out) == []
    for args in (["show", "x"], ["risk", "--chain", "x"], ["export", "--format", "xlsx", "--out", "x.xlsx",
                                                           "--chain", "x"]):
        code, out, err = zz("chain", *args, "--plan", NO_CHAINS, "--lang", lang)
        assert code == 2 and words in err and len(err.strip().splitlines()) == 1, (args, err)


@pytest.mark.parametrize("lang,words", [("zh", "本规划未列产业链图谱"), ("en", "this plan has no chain maps")])
def test_commands_naming_no_chain_exit_0_on_a_plan_without_chains(zz, tmp_path, lang, words):
    """whatif and export without --chain are like list/risk/gaps: the one line, exit 0 (exit 2 is for a
    command naming a chain), and no file written."""
    for args in (["whatif", "--region", "abroad"], ["risk"], ["gaps"]):
        code, out, err = zz("chain", *args, "--plan", NO_CHAINS, "--lang", lang)
        assert code == 0 and out.strip() == words, (args, out, err)
    code, out, err = zz("chain", "whatif", "--region", "abroad", "--plan", NO_CHAINS, "--format", "json")
    assert code == 0 and json.loads(out) == []
    for fmt in ("xlsx", "graphml"):
        target = tmp_path / f"chains.{fmt}"
        code, out, err = zz("chain", "export", "--format", fmt, "--out", str(target), "--plan", NO_CHAINS,
                            "--lang", lang)
        assert code == 0 and out.strip() == words and not target.exists(), (fmt, out, err)
    code, out, err = zz("chain", "whatif", "--plan", NO_CHAINS)  # a mistake is still one
    assert code == 2 and "--enterprise" in err


# --- mistakes: one line, exit 2 ---------------------------------------------------------------------
@pytest.mark.parametrize("args,words", [
    (["show", "no-such-chain"], "zhizao chain list"),
    (["risk", "--level", "towns"], "--level"),
    (["risk", "--chain", "no-such-chain"], "没有产业链"),
    (["whatif", "--enterprise", "NOPE"], "没有企业 NOPE"),
    (["whatif", "--district", "123456"], "没有区县代码 123456"),
    (["whatif", "--region", "ZZZ"], "--region"),
    (["whatif", "--region", "KP"], "没有位于“KP”的企业"),
    (["whatif", "--scenario", "oops"], "--scenario"),
    (["whatif", "--scenario", "a=town:1"], "enterprise:"),
    (["whatif"], "--enterprise"),
    (["risk", "-s", "no_such_setting=1"], "zhizao settings"),
    (["list", "--format", "xlsx"], "--out"),
])
def test_mistakes_exit_2_with_one_line(zz, args, words):
    code, out, err = zz("chain", *args)
    assert code == 2, (args, out, err)
    assert words in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err


def test_unknown_chain_names_the_chains(zz):
    code, _, err = zz("chain", "show", "nope", "--lang", "en")
    assert code == 2 and first_chain(EMBEDDED).id in err and "no chain 'nope'" in err


# --- import ---------------------------------------------------------------------------------------
def test_a_refused_import_lists_every_problem_and_stores_nothing(zz, chain_plan, tmp_path):
    def spoil(rows):
        rows[1][0] = "91500000MA00000000"  # a wrong check character
        rows.append(rows[2][:])  # a duplicate enterprise
    paths = write_csv(tmp_path, tables(enterprises=spoil))
    code, out, err = zz("chain", "import", *map(str, paths), "--plan", chain_plan)
    assert code == 1 and "导入被拒绝" in err and "enterprises.csv" in err
    assert "91500000MA00000000" in err and "与第3行重复" in err  # both problems, under their file
    assert api.chain_data(plan=chain_plan).synthetic  # nothing stored: still the synthetic default


def test_a_good_import_replaces_the_synthetic_data(zz, chain_plan, tmp_path):
    paths = write_csv(tmp_path)
    code, out, err = zz("chain", "import", *map(str, paths), "--plan", chain_plan)
    assert code == 0 and "已导入" in out, err
    code, out, err = zz("chain", "list", "--plan", chain_plan, "--format", "json")
    assert code == 0 and json.loads(out)[0]["origin"] == "imported"
    code, out, err = zz("chain", "list", "--plan", chain_plan)
    assert "合成数据" not in out and "enterprises.csv" in out


def test_an_import_registers_its_plan_file_so_its_id_works_everywhere(zz, chain_plan, tmp_path):
    """`chain import --plan FILE` remembers the plan as `data import` does: `plan list` shows it in the
    store, `--plan ID` finds it and its data, and the dashboard serves it at /p/ID/chains."""
    from fastapi.testclient import TestClient

    from zhizao.outputs.web.app import create_app

    plan_id = api.resolve_plan(chain_plan, register=False).plan.id
    db = str(tmp_path / "store.duckdb")
    code, out, err = zz("chain", "import", *map(str, write_csv(tmp_path)), "--plan", chain_plan)
    assert code == 0, err
    code, out, err = zz("plan", "list", "--format", "json")
    assert code == 0 and any(r["id"] == plan_id and r["in_store"] for r in json.loads(out)), out
    code, out, err = zz("chain", "list", "--plan", plan_id, "--format", "json")
    assert code == 0 and json.loads(out)[0]["origin"] == "imported", err
    with TestClient(create_app(db=db, warm=False, allowed_hosts=["testserver"])) as client:
        page = client.get(f"/p/{plan_id}/chains")
    assert page.status_code == 200 and "电机产业链" in page.text


def test_import_of_a_missing_file_exits_2(zz, chain_plan, tmp_path):
    code, _, err = zz("chain", "import", str(tmp_path / "none.csv"), "--plan", chain_plan)
    assert code == 2 and "文件不存在" in err


# --- lint -----------------------------------------------------------------------------------------
def test_lint_is_clean_on_the_embedded_plan_and_fails_a_cycle(zz, chain_plan, tmp_path):
    import yaml

    code, out, err = zz("chain", "lint", EMBEDDED)
    errors = [f for f in lint_chains(api.resolve_plan(EMBEDDED, register=False)) if f.severity == "error"]
    assert code == (1 if errors else 0), out + err
    data = yaml.safe_load(open(chain_plan, encoding="utf-8"))
    motors = next(c for c in data["chains"] if c["id"] == "motors")
    motors["links"][0]["upstream"] = ["motor"]  # 磁材 upstream of itself through 电机整机
    bad = tmp_path / "cycle.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out, err = zz("chain", "lint", str(bad))
    assert code == 1 and "motors" in out, out + err
    code, out, err = zz("chain", "lint", NO_CHAINS, "--lang", "en")
    assert code == 0 and "this plan has no chain maps" in out


# --- chain warnings in `zhizao warnings` ------------------------------------------------------------
def test_warnings_json_contains_the_chain_rules(zz, synth_dir):
    code, out, err = zz("warnings", "--data", str(synth_dir), "--format", "json")
    assert code == 0, err
    rules = {w["rule"] for w in json.loads(out)}
    assert any(r.startswith("chain_") for r in rules) and any(not r.startswith("chain_") for r in rules)


def _severity_runs(rows: list[dict]) -> list[tuple[str, bool]]:
    """(severity, is a chain warning — or an enterprise one, listed after them: issue 13) in the order listed,
    consecutive repeats merged."""
    runs = []
    for w in rows:
        key = (w["severity"], w["rule"].startswith("chain_") or w["rule"] in ENTERPRISE_RULES)
        if not runs or runs[-1] != key:
            runs.append(key)
    return runs


def test_warnings_list_monitoring_before_chain_within_a_severity_and_count_them_apart(zz, synth_dir):
    code, out, err = zz("warnings", "--data", str(synth_dir), "--format", "json")
    rows = json.loads(out)
    runs = _severity_runs(rows)
    assert [s for s, _ in runs] == sorted((s for s, _ in runs), key=["high", "medium", "low"].index)
    for sev in {s for s, _ in runs}:  # in each severity: monitoring (False) then chain (True), once each
        assert [c for s, c in runs if s == sev] in ([False], [True], [False, True]), runs
    chain = [w for w in rows if w["rule"].startswith("chain_")]
    n, period = len(rows) - len(chain) - sum(w["rule"] in ENTERPRISE_RULES for w in rows), chain[0]["period"]
    code, out, err = zz("warnings", "--data", str(synth_dir), "--limit", "5")
    assert code == 0 and f"{n} 条监测预警 + {len(chain)} 条产业链预警（合成数据，截至 {period}）" in out, out[:600]
    code, out, err = zz("warnings", "--data", str(synth_dir), "--limit", "5", "--lang", "en")
    assert f"{n} monitoring warnings + {len(chain)} chain warnings (SYNTHETIC data, as of {period})" in out


def test_published_warnings_say_the_chain_warnings_apart(zz):
    code, out, err = zz("warnings", "--source", "published", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    chain = [w for w in rows if w["rule"].startswith("chain_")]
    assert chain and len(chain) < len(rows)
    code, out, err = zz("warnings", "--source", "published", "--limit", "3")
    title = re.search(r"(\d{4}-\d{2}): (\d+) 条监测预警（公布数） \+ (\d+) 条产业链预警（合成数据，截至 (\d{4}-\d{2})）", out)
    assert title, out[:800]
    n = len(rows) - len(chain) - sum(w["rule"] in ENTERPRISE_RULES for w in rows)
    assert (int(title[2]), int(title[3]), title[4]) == (n, len(chain), chain[0]["period"])
    assert title[1] != title[4]  # the point of saying them apart: not the reporting period


@pytest.mark.parametrize("lang,words", [("zh", "没有监测数据，只列出产业链预警"), ("en", "No monitoring data")])
def test_warnings_without_monitoring_data_still_list_the_chain_warnings(zz, tmp_path, lang, words):
    missing = tmp_path / "no-such-folder"
    code, out, err = zz("warnings", "--data", str(missing), "--lang", lang, "--limit", "3")
    assert code == 0, err
    assert words in out and "zhizao synth" in out and "Traceback" not in out + err
    expected = api.chain_warnings()
    period = expected["period"].iloc[0]
    title = (f"{len(expected)} 条产业链预警（合成数据，截至 {period}）" if lang == "zh"
             else f"{len(expected)} chain warnings (SYNTHETIC data, as of {period})")
    assert title in out and ("；无监测数据" if lang == "zh" else "; no monitoring data") in out
    assert len([line for line in out.splitlines() if re.match(r"│ (高|中|低|high|medium|low) ", line)]) == 3
    code, out, err = zz("warnings", "--data", str(missing), "--format", "json", "--severity", "high", "--lang", lang)
    rows = json.loads(out)
    assert code == 0 and words.split("，")[0] in err  # the line on stderr, stdout stays JSON
    assert rows and all((w["rule"].startswith("chain_") or w["rule"] in ENTERPRISE_RULES) and w["severity"] == "high"
                        for w in rows)
    assert sum(w["rule"].startswith("chain_") for w in rows) == int((expected["severity"] == "high").sum())
    code, out, err = zz("warnings", "--data", str(missing), "--period", "2024-06")
    assert code == 2 and "zhizao synth" in err  # a period names the monitoring data: still a mistake


# --- Chinese output reads as Chinese --------------------------------------------------------------
CODES = sorted({k for t in ("cli_chain_grade", "cli_chain_stage", "cli_chain_status", "cli_chain_role",
                            "cli_chain_place", "chain_rule") for k in labels.TABLES.get(t, {})} | {"covered", "abroad"})
CODE = re.compile(r"(?<![\w/.:-])(" + "|".join(map(re.escape, CODES)) + r")(?![\w/.:-])")


@pytest.mark.parametrize("args", [["list"], ["show", "power_battery"], ["risk"], ["risk", "--level", "relations"],
                                  ["risk", "--level", "enterprises"], ["whatif", "--region", "abroad"]],
                         ids=lambda a: "-".join(a))
def test_chinese_tables_have_no_code_words(zz, args):
    if args[0] == "show" and "power_battery" not in {c.id for c in api.resolve_plan(EMBEDDED, register=False).chains}:
        args = ["show", first_chain(EMBEDDED).id]
    code, out, err = zz("chain", *args, "--limit", "0") if args[0] in ("risk", "whatif") else zz("chain", *args)
    assert code == 0, err
    found = {m for line in out.splitlines() for m in CODE.findall(line)}
    assert not found, found


# --- second wave: how the commands read (issue 12 polish) -------------------------------------------
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")


def _wide_console(monkeypatch, columns: str):
    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setattr(cli_chains, "console", make_console())
    monkeypatch.setattr(cli_chains, "err", make_console(stderr=True))
    monkeypatch.setattr(cli_common, "err", make_console(stderr=True))  # the shared helpers' stderr


@pytest.mark.parametrize("lang,label,other", [("zh", "合成数据（演示用）：", "calibrated"),
                                              ("en", "SYNTHETIC data (demo): ", "产值")])
def test_the_synthetic_banner_is_one_short_line_in_the_chosen_language(zz, monkeypatch, lang, label, other):
    _wide_console(monkeypatch, "80")
    code, out, err = zz("chain", "list", "--lang", lang)
    assert code == 0, err
    first = out.splitlines()[0]
    assert first.startswith(label) and "seed 0" in first and cell_len(first) <= 80
    assert other not in out and "校准" not in out and "calibrated" not in out  # the note only on request
    code, out, _ = zz("chain", "list", "--lang", lang, "--verbose")
    note = {"zh": "数据说明：产值按", "en": "About the data: output calibrated"}[lang]
    assert out.splitlines()[0] == first and note in out and other not in out
    code, out, err = zz("chain", "risk", "--lang", lang, "--format", "csv")  # machine formats: the line on stderr
    assert err.splitlines()[0].startswith(label) and '"synthetic"' in out


def test_whatif_scenarios_are_named_in_words(zz):
    plan = api.resolve_plan(EMBEDDED, register=False)
    d = plan.regions.districts[0]
    data = api.chain_data(plan=EMBEDDED)
    eid, ename = data.enterprises["enterprise_id"].iloc[0], data.enterprises["name"].iloc[0]
    for args, zh, en in ((["--district", d.code], d.name, None), (["--region", "44"], "广东省", "Guangdong"),
                         (["--region", "JP"], "境外（JP）", "abroad (JP)"), (["--region", "abroad"], "境外", "abroad"),
                         (["--enterprise", eid], ename, ename)):
        if args[1] not in ("abroad", "JP", eid) and args[0] == "--region" and \
                not data.enterprises["district"].astype(str).str.startswith(args[1]).any():
            continue
        code, out, err = zz("chain", "whatif", *args, "--format", "json")
        assert code == 0 and json.loads(out)["summary"]["scenario"] == zh, (args, err)
        if en:
            code, out, err = zz("chain", "whatif", *args, "--format", "json", "--lang", "en")
            assert json.loads(out)["summary"]["scenario"] == en, (args, err)
    code, out, err = zz("chain", "whatif", "--district", d.code, "--region", "abroad", "--format", "csv")
    assert f'"{d.name}、境外"' in out and "district:" not in out


def test_whatif_names_the_fictional_plans_places(zz, chain_plan):
    code, out, err = zz("chain", "whatif", "--district", "990101", "--plan", chain_plan, "--format", "json",
                        "--lang", "en")
    assert code == 0 and json.loads(out)["summary"]["scenario"] == "东区", err  # no English name: the plan's own


def test_output_at_risk_in_yi_yuan_in_tables_and_10k_yuan_in_json(zz, monkeypatch):
    _wide_console(monkeypatch, "120")
    want = float(api.chain_whatif([analytics.Scenario("x", regions=("abroad",))], EMBEDDED)["output_at_risk"].iloc[0])
    code, out, err = zz("chain", "whatif", "--region", "abroad", "--limit", "3")
    assert code == 0 and "风险产值（亿元）" in out and "万元" not in out, err
    yi = f"{want / 1e4:,.0f}" if want >= 1e7 else f"{want / 1e4:,.1f}"
    assert yi in out and f"{want:,.0f}" not in out
    code, out, _ = zz("chain", "whatif", "--region", "abroad", "--format", "json")
    doc = json.loads(out)
    assert doc["summary"]["output_at_risk_10k_yuan"] == pytest.approx(want)
    assert all("output_at_risk_10k_yuan" in r and "output_at_risk" not in r for r in doc["enterprises"])
    code, out, _ = zz("chain", "whatif", "--region", "abroad", "--format", "json", "--lang", "en")
    assert "(100m yuan)" not in out
    code, out, _ = zz("chain", "whatif", "--region", "abroad", "--lang", "en")
    assert "Output at risk (100m yuan)" in re.sub(r"[\s│┃]+", " ", out) or "(100m" in out


def test_reasons_in_a_table_are_the_first_two(zz, monkeypatch):
    df = api.chain_risk(EMBEDDED, level="relations")
    df.attrs.clear()
    short = cli_chains._reasons(df, "zh")
    many = df["reasons_zh"].str.split("；").str.len() > 2
    assert many.any()
    assert (short.loc[many, "reasons"] == df.loc[many, "reasons_zh"].map(lambda t: "；".join(t.split("；")[:2]) + "…")).all()
    assert (short.loc[~many, "reasons"] == df.loc[~many, "reasons_zh"]).all()
    en = cli_chains._reasons(df, "en")["reasons"]
    assert (en.str.count("; ") <= 1).all()
    _wide_console(monkeypatch, "80")
    code, out, err = zz("chain", "risk", "--level", "relations", "--limit", "5")
    assert code == 0 and "…" in out and "原因只列前两条" in err
    code, out, _ = zz("chain", "risk", "--level", "relations", "--format", "csv")
    assert any(line.count("；") >= 2 for line in out.splitlines())  # CSV keeps every reason
    code, out, err = zz("chain", "gaps", "--limit", "5")  # the 招商 list's reasons too
    assert code == 0 and all(line.count("；") <= 1 for line in out.splitlines())


@pytest.mark.parametrize("args", [["list"], ["show", "power_battery"], ["risk", "--limit", "0"],
                                  ["risk", "--level", "enterprises", "--limit", "20"], ["gaps"],
                                  ["whatif", "--region", "JP"]], ids=lambda a: "-".join(a))
def test_english_output_has_no_chinese_but_names(zz, args):
    plan = api.resolve_plan(EMBEDDED, register=False)
    if args[0] == "show" and "power_battery" not in {c.id for c in plan.chains}:
        args = ["show", plan.chains[0].id]
    code, out, err = zz("chain", *args, "--lang", "en")
    assert code == 0, err
    data = api.chain_data(plan=EMBEDDED)
    names = sorted(set(data.enterprises["name"]), key=len, reverse=True)
    names += [c.section for c in plan.chains] + [p for c in plan.chains for k in c.links for p in k.key_products]
    names += [x for c in plan.chains for k in c.links for p in k.key_products for x in re.split("[、，,]", p)]
    text = out + err
    if args[0] == "gaps":  # its last column: the plan's key products as printed (names, no English in the plan)
        text = "\n".join("│".join(line.split("│")[:-2]) if line.count("│") > 2 else line for line in text.splitlines())
    for n in sorted(set(names), key=len, reverse=True):
        text = text.replace(n, "")
    left = {line.strip() for line in text.splitlines() if CJK.search(line)}
    assert not left, list(left)[:5]


# --- import: progress, a readable refusal, GBK ---------------------------------------------------
def test_import_shows_its_stages_and_a_gbk_csv_imports(zz, chain_plan, tmp_path):
    paths = write_csv(tmp_path, encoding="gbk")
    code, out, err = zz("chain", "import", *map(str, paths), "--plan", chain_plan)
    assert code == 0, err
    assert "读取文件…" in err and "逐行校验 14 行…" in err and "写入数据库 14 行…" in err
    assert out.strip().startswith("已导入：企业 5 家，环节企业 5 条，供应关系 4 条（批次 b_")
    data = api.chain_data(plan=chain_plan)
    assert not data.synthetic and "东区磁材有限公司" in set(data.enterprises["name"])  # GBK read as Chinese
    code, out, err = zz("chain", "import", *map(str, paths), "--plan", chain_plan, "--lang", "en")
    assert "checking 14 rows…" in err and out.startswith("imported: 5 enterprises, 5 link members, 4 supply relations")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_refused_import_lists_row_column_value_and_reason_once(zz, chain_plan, tmp_path, monkeypatch, lang):
    from tests.ingest.chain_files import write_xlsx

    _wide_console(monkeypatch, "80")

    def spoil(rows):
        rows[1][0] = "91500000MA00000000"
    path = write_xlsx(tmp_path, tables(enterprises=spoil, supply=lambda r: r[1].__setitem__(4, "160")))
    code, out, err = zz("chain", "import", str(path), "--plan", chain_plan, "--lang", lang)
    assert code == 1
    sheet = "sheet" if lang == "en" else "工作表"
    assert f"chains.xlsx · {sheet} 企业" in err and f"chains.xlsx · {sheet} 供应关系" in err
    assert err.index(f"{sheet} 企业") < err.index(f"{sheet} 供应关系")  # file order
    assert "文件“" not in err and "File '" not in err  # the place is in the columns, not repeated in the reason
    assert ("须在0到100之间" if lang == "zh" else "between 0 and 100") in re.sub(r"[\s│]+", "", err) or \
        ("须在0到" in err if lang == "zh" else "between 0" in err)
    assert all(cell_len(line) <= 80 for line in err.splitlines())


def test_province_names_come_from_the_one_gbt2260_table():
    from zhizao.codes import regions

    assert regions.province_name("44", "zh") == "广东省" and regions.province_name("440300", "en") == "Guangdong"
    assert regions.province_name("99", "zh") is None and regions.province_name("", "en") is None
    assert len(regions.PROVINCES) == 34


# --- second review fixes ------------------------------------------------------------------------
def test_whatif_table_lists_downstream_enterprises_as_the_summary_counts_them(zz):
    """The enterprise table's rows + "另有 N" equal the summary's 受影响的下游企业 (the removed
    enterprises are the scenario, not hit); the comparison shows downstream output apart from the total."""
    d = api.resolve_plan(EMBEDDED, None, register=False).regions.districts[0].code
    code, out, err = zz("chain", "whatif", "--district", d, "--format", "json")
    doc = json.loads(out)
    affected = doc["summary"]["enterprises_affected"]
    assert doc["summary"]["removed"] > 0 and affected > 0
    code, out, err = zz("chain", "whatif", "--district", d, "--limit", "3")
    assert code == 0
    more = re.search(r"另有 ([\d,]+) 家受影响的下游企业", out)
    assert more and int(more[1].replace(",", "")) + 3 == affected
    assert "下游受影响产值（亿元）" in out and "合计（含停供企业，亿元）" in out
    code, out, err = zz("chain", "whatif", "--district", d, "--limit", "3", "--lang", "en")
    assert "Members removed" in out and "Stopped" not in out


@pytest.mark.parametrize("region", ["CN", "cn", "50", "5001", "500101", "ZZ"])
def test_whatif_refuses_home_and_own_area_regions(zz, region):
    """CN (the home country) and any code inside the plan's own area are districts, not outside regions
    (one rule with the web: api.chain_region_problem); ZZ is no ISO 3166-1 code."""
    code, out, err = zz("chain", "whatif", "--region", region)
    assert code == 2 and "Traceback" not in err
    assert f"--region {region.upper()}" in err
    if region not in ("ZZ",):
        assert "--district" in err


def test_region_rule_is_the_plans_own_on_a_second_plan(chain_plan):
    """The rule comes from the plan: the fictional plan's area (99…) is refused, Chongqing's 50 is an
    outside province there, the supply region's prefix and countries are accepted."""
    cq = api.resolve_plan(EMBEDDED, register=False)
    fic = api.resolve_plan(chain_plan, register=False)
    assert api.chain_region_problem(cq, "50") and api.chain_region_problem(fic, "50") is None
    area = fic.regions.districts[0].code
    assert api.chain_region_problem(fic, area[:4], "en") and "--district" in api.chain_region_problem(fic, area, "en")
    for ok in ["51", "44", "abroad", "JP", "de"]:
        assert api.chain_region_problem(fic, ok) is None, ok
    assert "ISO 3166-1" in api.chain_region_problem(fic, "ZZ")
    assert api.chain_region_problem(fic, "CN") and api.chain_region_problem(fic, "5x")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_per_command_xlsx_is_worded_like_the_export(zz, tmp_path, lang):
    """--format xlsx of list/risk/gaps/whatif: the source line first (synthetic labelled), headers in the
    reader's language, chain ids as names; the what-if's links and downstream enterprises on sheets of
    their own (the removed enterprises are the scenario, not listed as hit)."""
    import openpyxl

    heads = labels.CHAIN_HEAD
    i = 1 if lang == "en" else 0
    chain = first_chain(EMBEDDED)
    name = (chain.name_en or chain.name) if lang == "en" else chain.name
    for args, first_head in ((["list"], heads["chain"][i]), (["risk"], heads["chain"][i]),
                             (["gaps"], heads["rank"][i])):
        x = tmp_path / f"{args[0]}.xlsx"
        code, out, err = zz("chain", *args, "--format", "xlsx", "--out", str(x), "--lang", lang)
        assert code == 0, err
        ws = openpyxl.load_workbook(x).worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
        assert "合成数据（演示用）" in rows[0][0]
        assert first_head in rows[1] and "local_share" not in rows[1] and "origin" not in rows[1]
        if args[0] != "gaps":
            assert any(name in r for r in rows[2:])
    x = tmp_path / "w.xlsx"
    code, out, err = zz("chain", "whatif", "--region", "abroad", "--format", "xlsx", "--out", str(x), "--lang", lang)
    assert code == 0, err
    wb = openpyxl.load_workbook(x)
    assert len(wb.worksheets) == 3
    doc = json.loads(zz("chain", "whatif", "--region", "abroad", "--format", "json")[1])
    ents = list(wb.worksheets[2].iter_rows(values_only=True))
    assert len(ents) - 2 == doc["summary"]["enterprises_affected"]
    assert len(list(wb.worksheets[1].iter_rows(values_only=True))) - 2 == len(doc["links"])
    compare = list(wb.worksheets[0].iter_rows(values_only=True))
    assert heads["output_at_risk_total"][i] in compare[1] and heads["output_at_risk_downstream"][i] in compare[1]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_gaps_of_one_chain_names_its_links(zz, lang):
    """--chain C drops the chain column, not the links' names (no link id in the table)."""
    df = api.chain_gaps(EMBEDDED)
    assert len(df)
    cid = df["chain"].iloc[0]
    chain = next(c for c in api.resolve_plan(EMBEDDED, register=False).chains if c.id == cid)
    names = {k.id: ((k.name_en or k.name) if lang == "en" else k.name) for k in chain.links}
    code, out, err = zz("chain", "gaps", "--chain", cid, "--lang", lang, "--limit", "0")
    assert code == 0, err
    for link in df.loc[df["chain"] == cid, "link"]:
        assert names[link][:6] in out
        if names[link] != link:
            assert f"│ {link} " not in out


def test_scenario_names_over_the_shared_maximum_are_refused(zz):
    """As the web's what-if form (one constant, api.SCENARIO_NAME_MAX): refused, not cut."""
    from zhizao.outputs.web.pages import chains as web_chains

    assert web_chains.NAME_MAX == api.SCENARIO_NAME_MAX == 40
    code, out, err = zz("chain", "whatif", "--scenario", "境" * 41 + "=region:abroad")
    assert code == 2 and "41" in err and "40" in err
    code, out, err = zz("chain", "whatif", "--scenario", "境" * 40 + "=region:abroad", "--format", "json")
    assert code == 0, err


def test_weakened_is_xueruo_as_on_the_web():
    assert labels.label("cli_chain_status", "weakened", "zh") == labels.UI["chain_whatif_weakened"][0] == "削弱"
    assert labels.label("chain_head", "links_weakened", "zh") == "削弱环节"
