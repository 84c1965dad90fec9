"""`zhizao enterprise|park|green …` as a user runs it: every subcommand in every format and both languages on
the embedded plan's synthetic default (labelled everywhere), tables within 80 columns, a second plan without
parks or green targets saying so, mistakes exiting 2 with one line, an import refused with row and column
(nothing stored) and an import accepted (its data then replace the synthetic default), and the enterprise
warnings in `zhizao warnings`."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.cells import cell_len

from cli_support import run_main
from zhizao import api
from zhizao import api_enterprises as ze
from zhizao.outputs import cli_chains, cli_common, cli_enterprises
from zhizao.outputs.console import make_console

EMBEDDED = "chongqing-manufacturing-2021-2025"
CURRENT = "chongqing-manufacturing-2023-2027"
FICTIONAL = str(Path(__file__).parents[1] / "assets" / "fictional-plan.yaml")
CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015
CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code(body: str) -> str:
    """A unified social credit code: the 17 characters and their check character."""
    total = sum(CODE_CHARS.index(c) * w for c, w in zip(body, CODE_WEIGHTS))
    return body + CODE_CHARS[(31 - total % 31) % 31]


@pytest.fixture
def zz(tmp_path, capsys, monkeypatch):
    """`zhizao ARGS` on a store that does not exist yet (the enterprise data: the synthetic default)."""
    monkeypatch.setenv("ZHIZAO_DB", str(tmp_path / "store.duckdb"))
    monkeypatch.delenv("ZHIZAO_PLAN", raising=False)

    def run(*args: str):
        return run_main(list(args), capsys, monkeypatch)
    return run


def _narrow(monkeypatch, columns: str = "80") -> None:
    monkeypatch.setenv("COLUMNS", columns)
    for module in (cli_enterprises, cli_chains):
        monkeypatch.setattr(module, "console", make_console())
        monkeypatch.setattr(module, "err", make_console(stderr=True))
    monkeypatch.setattr(cli_common, "err", make_console(stderr=True))  # the shared helpers' stderr


def _some_enterprise() -> str:
    return str(ze.enterprises(EMBEDDED)["enterprise_id"].iloc[0])


def _some_park() -> str | None:
    parks = ze.enterprise_data(plan=EMBEDDED).parks
    return str(parks["park_id"].iloc[0]) if len(parks) else None


COMMANDS = [["enterprise", "list"], ["enterprise", "tags"], ["enterprise", "muju"],
            ["enterprise", "muju", "--level", "classes"], ["enterprise", "muju", "--level", "benchmarks"],
            ["enterprise", "muju", "--by", "district"], ["enterprise", "prices"], ["enterprise", "changes"],
            ["enterprise", "srdi"], ["enterprise", "srdi", "--closest"], ["enterprise", "backward"],
            ["enterprise", "counts"], ["park", "list"], ["green", "status"], ["green", "intensity"],
            ["green", "key-users"]]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: "-".join(a))
def test_every_command_and_format_labels_the_synthetic_data(zz, args, lang, tmp_path):
    label = "合成数据（演示用）" if lang == "zh" else "SYNTHETIC"
    code, out, err = zz(*args, "--lang", lang)
    assert code == 0, err
    assert label in out and "Traceback" not in out + err
    code, out, err = zz(*args, "--lang", lang, "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert all(r["origin"] == "synthetic" for r in rows)
    assert label in err  # machine formats: the label on stderr, stdout stays parseable
    code, out, err = zz(*args, "--lang", lang, "--format", "csv")
    assert code == 0 and (out.startswith('"origin"') or not out.strip()), err
    book = tmp_path / f"{'-'.join(args)}-{lang}.xlsx"
    code, _, err = zz(*args, "--lang", lang, "--format", "xlsx", "--out", str(book))
    assert code == 0, err
    openpyxl = pytest.importorskip("openpyxl")
    ws = openpyxl.load_workbook(book).worksheets[0]
    top = f"{ws.cell(1, 1).value} {ws.cell(2, 1).value}"  # the source line, or an office layout's title and 单位 row
    assert "合成数据（演示用）" in top or (lang == "en" and "SYNTHETIC" in top)


def test_tables_fit_80_columns(zz, monkeypatch):
    _narrow(monkeypatch)
    more = [["enterprise", "show", _some_enterprise()], ["enterprise", "muju", "--by", "park"]]
    if _some_park():
        more.append(["park", "show", _some_park()])
    for args in [*COMMANDS, *more]:
        for lang in ("zh", "en"):
            code, out, err = zz(*args, "--lang", lang, "--limit", "5") if args[1] != "show" else \
                zz(*args, "--lang", lang)
            assert code == 0, (args, err)
            wide = [line for line in out.splitlines() + err.splitlines() if cell_len(line) > 80]
            assert not wide, (args, lang, wide[:2])


def test_list_matches_the_api_and_a_filter_narrows_it(zz):
    df = ze.enterprises(EMBEDDED)
    code, out, _ = zz("enterprise", "list", "--format", "json")
    rows = json.loads(out)
    assert [r["enterprise_id"] for r in rows] == list(df["enterprise_id"])
    district = df["district"].iloc[0]
    code, out, _ = zz("enterprise", "list", "--district", district, "--format", "json")
    assert {r["district"] for r in json.loads(out)} == {district}
    code, out, _ = zz("enterprise", "list", "--district", district, "--limit", "0")
    name = next(d.name for d in api.resolve_plan(EMBEDDED, register=False).regions.districts if d.code == district)
    assert code == 0 and name in out and district not in out  # a district by its name in a table


def test_show_prints_the_enterprise_with_its_tags_and_classes(zz):
    eid = _some_enterprise()
    name = str(ze.enterprises(EMBEDDED).set_index("enterprise_id").at[eid, "name"])
    code, out, err = zz("enterprise", "show", eid)
    assert code == 0, err
    assert name[:6] in out and eid in out
    code, out, _ = zz("enterprise", "show", name, "--format", "json")
    doc = json.loads(out)
    assert doc["origin"] == "synthetic" and doc["registry"][0]["enterprise_id"] == eid
    assert {"tags", "annual", "muju", "backward"} <= set(doc)


def test_muju_table_is_ordered_by_class_and_says_what_the_classes_mean(zz):
    code, out, _ = zz("enterprise", "muju", "--format", "json")
    classes = [r["klass"] for r in json.loads(out) if r["klass"]]
    assert classes == sorted(classes)
    code, out, _ = zz("enterprise", "muju", "--class", "D", "--format", "json")
    assert {r["klass"] for r in json.loads(out)} <= {"D"}
    code, out, _ = zz("enterprise", "muju", "--lang", "en")
    assert "A develop first" in out


@pytest.mark.parametrize("args,words", [
    (["enterprise", "list", "--district", "999999"], "区县"),
    (["enterprise", "show", "NO-SUCH-ENTERPRISE"], "企业名录中没有"),
    (["enterprise", "muju", "--year", "1990"], "--year"),
    (["enterprise", "muju", "--level", "cities"], "--level"),
    (["enterprise", "list", "--tag", "unicorn"], "--tag"),
    (["enterprise", "muju", "--format", "xlsx"], "--out"),
    (["enterprise", "list", "--out", "x.csv"], "--format"),
    (["enterprise", "muju", "-s", "muju_share_a=50"], "100"),
    (["park", "show", "no-such-park"], "园区"),
    (["enterprise", "import", "no-such-file.xlsx"], "文件不存在"),
])
def test_mistakes_exit_2_with_one_line(zz, args, words):
    code, out, err = zz(*args)
    assert code == 2, (out, err)
    assert words in err and "Traceback" not in err
    code, _, err_en = zz(*args, "--lang", "en")
    assert code == 2 and err_en.strip() and err_en != err


def test_a_plan_without_parks_or_green_targets_says_so(zz):
    code, out, err = zz("park", "list", "--plan", FICTIONAL)
    assert code == 0, err
    assert "本规划未列产业园区体系" in out
    code, out, err = zz("green", "status", "--plan", FICTIONAL, "--lang", "en")
    assert code == 0 and "this plan has no energy or water intensity indicator" in out
    code, out, err = zz("green", "status", "--plan", FICTIONAL, "--format", "json")
    assert code == 0 and json.loads(out) == []
    code, out, err = zz("enterprise", "list", "--plan", FICTIONAL, "--format", "json")
    assert code == 0 and all(r["origin"] == "synthetic" for r in json.loads(out))


# --- import --------------------------------------------------------------------------------------------
def _workbook(path: Path, rows: list[dict], tags: list[dict]) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "企业名录"
    cols = ["enterprise_id", "name", "district", "park", "industry_class", "size", "established"]
    ws.append(cols)
    for r in rows:
        ws.append([r.get(c, "") for c in cols])
    ws = wb.create_sheet("企业标签")
    cols = ["enterprise_id", "tag", "level", "acquired", "lost"]
    ws.append(cols)
    for r in tags:
        ws.append([r.get(c, "") for c in cols])
    wb.save(path)
    return path


def test_a_bad_credit_code_is_refused_with_row_and_column_and_nothing_is_stored(zz, tmp_path):
    d = api.resolve_plan(CURRENT, register=False).regions.districts[0].code
    good = credit_code("91500000MA5U00001")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    path = _workbook(tmp_path / "bad.xlsx", [
        {"enterprise_id": good, "name": "甲制造有限公司", "district": d, "size": "small"},
        {"enterprise_id": bad, "name": "乙制造有限公司", "district": d, "size": "small"}], [])
    code, out, err = zz("enterprise", "import", str(path), "--plan", CURRENT)
    assert code == 1, (out, err)
    assert "导入被拒绝" in err and bad in err and "3" in err  # the second data row is spreadsheet row 3
    code, out, _ = zz("enterprise", "list", "--plan", CURRENT, "--format", "json")
    assert all(r["origin"] == "synthetic" for r in json.loads(out))


def test_an_import_replaces_the_synthetic_default_and_feeds_the_counts(zz, tmp_path):
    d = api.resolve_plan(CURRENT, register=False).regions.districts[0].code
    ids = [credit_code(f"91500000MA5U{i:05d}") for i in range(3)]
    path = _workbook(tmp_path / "registry.xlsx",
                     [{"enterprise_id": e, "name": f"测试企业{i}有限公司", "district": d, "size": "small",
                       "industry_class": "3670"} for i, e in enumerate(ids)],
                     [{"enterprise_id": ids[0], "tag": "srdi_sme", "acquired": "2023-05-01"},
                      {"enterprise_id": ids[1], "tag": "srdi_sme", "acquired": "2024-03-01", "lost": "2024-06-01"},
                      {"enterprise_id": ids[2], "tag": "srdi_sme", "acquired": "2024-09-01"}])
    code, out, err = zz("enterprise", "import", str(path), "--plan", CURRENT)
    assert code == 0, err
    assert "已导入企业数据" in out
    code, out, err = zz("enterprise", "list", "--plan", CURRENT, "--format", "json")
    rows = json.loads(out)
    assert sorted(r["enterprise_id"] for r in rows) == sorted(ids) and {r["origin"] for r in rows} == {"imported"}
    assert "合成数据" not in err
    code, out, _ = zz("enterprise", "counts", "--tag", "srdi_sme", "--plan", CURRENT, "--format", "json")
    stock = {r["year"]: r["stock"] for r in json.loads(out)}
    assert stock[2023] == 1 and stock[2024] == 2
    obs, _ = ze.registry_assessment_inputs(CURRENT)
    assert obs.set_index(["series", "year"]).at[("registry.specialised_smes", 2024), "value"] == 2


# --- zhizao warnings -------------------------------------------------------------------------------------
def test_warnings_list_the_enterprise_warnings_with_their_rules(zz, tmp_path):
    w = ze.enterprise_warnings(EMBEDDED)
    if not len(w):
        pytest.skip("the synthetic default raises no enterprise warning")
    code, out, err = zz("warnings", "--data", str(tmp_path / "none"), "--format", "json")
    assert code == 0, err
    rules = {r["rule"] for r in json.loads(out)}
    assert set(w["rule"]) <= rules
    rule = w["rule"].iloc[0]
    code, out, err = zz("warnings", "--data", str(tmp_path / "none"), "--rule", rule)
    assert code == 0, err
    assert cli_enterprises.enterprise_rules()[rule][0][:6] in out and "企业、园区与绿色预警" in out


# --- fix C: the template, the office layouts, counts, shares, natures, benchmarks --------------------------
def _book(path: Path):
    openpyxl = pytest.importorskip("openpyxl")
    return openpyxl.load_workbook(path)


def test_template_writes_the_six_sheets_and_their_notes(zz, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = zz("enterprise", "template")
    assert code == 0, err
    wb = _book(tmp_path / "企业数据导入模板.xlsx")  # the default name, in the current folder
    assert wb.sheetnames == ["企业名录", "企业标签", "年度指标", "专精特新", "园区", "能耗水耗", "说明"]
    assert wb["企业名录"].cell(1, 1).value.startswith("统一社会信用代码") and wb["企业名录"].max_row == 2
    code, _, err = zz("enterprise", "template", "--lang", "en", "--out", str(tmp_path / "t.xlsx"), "--plan", FICTIONAL)
    assert code == 0, err
    wb = _book(tmp_path / "t.xlsx")
    assert wb.sheetnames[:6] == ["registry", "tags", "annual", "srdi", "parks", "green"] and len(wb.sheetnames) == 7
    code, _, err = zz("enterprise", "template", "--out", str(tmp_path / "t.csv"))
    assert code == 2 and ".xlsx" in err and not (tmp_path / "t.csv").exists()


def test_muju_and_prices_xlsx_are_the_office_layouts(zz, tmp_path):
    district = ze.enterprises(EMBEDDED)["district"].iloc[0]
    code, _, err = zz("enterprise", "muju", "--format", "xlsx", "--out", str(tmp_path / "m.xlsx"),
                      "--district", district)
    assert code == 0, err
    wb = _book(tmp_path / "m.xlsx")
    assert "分类统计" in wb.sheetnames and "规上企业" in wb.sheetnames
    ws = wb["规上企业"]
    assert "工业企业亩均效益综合评价结果" in ws.cell(1, 1).value and "合成数据（演示用）" in ws.cell(2, 1).value
    heads = [c.value for c in ws[3]]
    assert heads[:3] == ["序号", "企业名称", "统一社会信用代码"]
    assert any("得分" in str(h) for h in heads) and any("类别" in str(h) for h in heads)
    col = next(k for k, h in enumerate(heads, start=1) if "区县" in str(h))
    name = next(d.name for d in api.resolve_plan(EMBEDDED, register=False).regions.districts if d.code == district)
    values = {ws.cell(r, col).value for r in range(5, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, int)}
    assert values == {name}  # --district kept in the office layout
    code, _, err = zz("enterprise", "prices", "--format", "xlsx", "--out", str(tmp_path / "p.xlsx"))
    assert code == 0, err
    ws = _book(tmp_path / "p.xlsx").worksheets[0]
    assert "差别电价" in ws.cell(1, 1).value and [c.value for c in ws[3]][:2] == ["序号", "企业名称"]
    n = len(ze.muju_prices(EMBEDDED))
    assert sum(isinstance(ws.cell(r, 1).value, int) for r in range(4, ws.max_row + 1)) == n


def test_counts_show_the_years_additions_and_the_cumulative(zz, monkeypatch):
    _narrow(monkeypatch)
    code, out, _ = zz("enterprise", "counts", "--tag", "srdi_sme", "--format", "json")
    rows = json.loads(out)
    assert all(b["new_cumulative"] == a["new_cumulative"] + b["new"] for a, b in zip(rows, rows[1:]))
    assert any(r["new"] != r["new_cumulative"] for r in rows)
    code, out, err = zz("enterprise", "counts", "--tag", "srdi_sme")
    assert code == 0, err
    assert "当年新增" in out and f"累计新增（自{rows[0]['year']}年起）" in out
    code, out, _ = zz("enterprise", "counts", "--tag", "srdi_sme", "--lang", "en")
    assert "New in year" in out and f"New since {rows[0]['year']}" in out


@pytest.mark.parametrize("args,column", [(["enterprise", "muju", "--by", "district"], "share_ab"),
                                         (["enterprise", "muju", "--by", "park"], "share_ab"),
                                         (["enterprise", "muju", "--level", "classes"], "share"),
                                         (["green", "key-users"], "share_of_change")])
def test_shares_are_shown_in_percent(zz, args, column, tmp_path):
    code, out, _ = zz(*args, "--format", "json")
    shares = [r[column] for r in json.loads(out) if r[column] is not None]
    assert shares and max(abs(x) for x in shares) <= 1  # the analytics' fractions in machine formats
    big = max(shares, key=abs)
    code, out, err = zz(*args, "--limit", "0")
    assert code == 0, err
    assert f"{big * 100:.1f}" in out  # 64.5, not 0.6
    book = tmp_path / "s.xlsx"
    zz(*args, "--format", "xlsx", "--out", str(book))
    cells = [c.value for row in _book(book).worksheets[0].iter_rows(min_row=3) for c in row]
    assert any(isinstance(v, float) and v == pytest.approx(big * 100) for v in cells)


def test_the_outside_park_row_is_named(zz):
    code, out, _ = zz("enterprise", "muju", "--by", "park", "--limit", "0")
    assert "园区外" in out
    code, out, _ = zz("enterprise", "muju", "--by", "park", "--limit", "0", "--lang", "en")
    assert "not in a park" in out
    code, out, _ = zz("enterprise", "muju", "--by", "park", "--format", "json")
    assert "" in {r["park"] for r in json.loads(out)}  # machine formats keep the code


def test_green_status_title_follows_each_indicators_nature(zz):
    code, out, err = zz("green", "status")
    assert code == 0, err
    assert "（约束性）" in out
    code, out, err = zz("green", "status", "--plan", CURRENT)
    assert code == 0, err
    assert "未标属性" in out and "约束性" not in out
    code, out, _ = zz("green", "status", "--plan", CURRENT, "--lang", "en")
    assert "nature not stated" in out and "binding" not in out


def test_benchmarks_keep_three_significant_digits(zz):
    b = ze.muju(EMBEDDED, level="benchmarks")
    rd = float(b[b["item"] == "rd_intensity"]["benchmark"].iloc[0])
    code, out, _ = zz("enterprise", "muju", "--level", "benchmarks")
    assert f"{rd:.3g}" in out


def test_key_users_give_the_intensity_unit(zz):
    code, out, _ = zz("green", "key-users", "--limit", "3")
    assert "吨标准煤/万元" in out
    code, out, _ = zz("green", "key-users", "--limit", "3", "--lang", "en")
    assert "tce/10k yuan" in out


def test_imported_green_table_reaches_zhizao_assess(zz, tmp_path):
    """Imported (never synthetic) energy and water figures decide the green indicators' status."""
    openpyxl = pytest.importorskip("openpyxl")
    plan = api.resolve_plan(EMBEDDED, register=False)
    base, whole = plan.plan.base_year, plan.regions.whole_code
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "能耗水耗"
    ws.append(["area", "year", "energy", "water", "value_added", "va_real_growth"])
    for y in range(base, 2026):  # intensity down 16 % (energy) and 20 % (water) by 2025, value added flat
        k = (y - base) / (2025 - base)
        ws.append([whole, y, 1000 * 0.84 ** k, 50000 * 0.8 ** k, 10000, 0 if y > base else None])
    wb.save(tmp_path / "green.xlsx")
    code, out, err = zz("assess", "--plan", EMBEDDED, "--year", "2025", "--format", "json")
    assert code == 0, err
    before = {i["id"]: i for i in json.loads(out)["indicators"]}
    assert before["energy_intensity_reduction"]["status"] != "achieved"
    code, out, err = zz("enterprise", "import", str(tmp_path / "green.xlsx"), "--plan", EMBEDDED)
    assert code == 0, err
    code, out, err = zz("assess", "--plan", EMBEDDED, "--year", "2025", "--format", "json")
    assert code == 0, err
    after = {i["id"]: i for i in json.loads(out)["indicators"]}
    for ind in ("energy_intensity_reduction", "water_intensity_reduction"):
        assert after[ind]["status"] == "achieved", after[ind]
