"""Reading and checking enterprise data files (zhizao/ingest/enterprises.py): good files in Chinese or
English, UTF-8 or GBK CSV or XLSX read to the contract's frames; every bad input is a problem naming
file, sheet, row and column; references are checked against the import, else the active data; the
same on the embedded plan, the 2023—2027 plan (no park system) and the fictional test plan."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from zhizao.ingest import enterprise_frames as ef
from zhizao.ingest import enterprises
from zhizao.ingest.enterprises import read_enterprise_files
from zhizao.plan.load import embedded_plan_path, load_plan

from tests.table_files import credit_code, write_csv, write_workbook

ASSETS = Path(__file__).parents[1] / "assets"
ROOT = Path(__file__).parents[2]


def tables(d1: str, d2: str, tier: str = "国家级新区", whole: str = "500000") -> dict[str, list[list[str]]]:
    """Good tables for a plan with districts d1 and d2 (the first rows of each table)."""
    a, b = credit_code(d1, 1), credit_code(d2, 2)
    return {
        "registry": [["统一社会信用代码", "企业名称", "所在区县", "所在园区", "行业代码", "企业规模", "成立日期"],
                     [a, "甲精密制造有限公司", d1, "P1", "C3670", "中型", "2010/3/5"],
                     [b, "乙电子有限公司", d2, "", "3981", "小型", "2015年6月1日"]],
        "tags": [["统一社会信用代码", "企业名称", "标签", "级别", "认定日期", "失效日期"],
                 [a, "甲精密制造有限公司", "国家级专精特新小巨人", "", "2022-07-01", ""],
                 [b, "乙电子有限公司", "专精特新中小企业", "市级", "2019-01-01", "2022-01-01"],
                 [b, "乙电子有限公司", "专精特新中小企业", "市级", "45413", ""],
                 [a, "甲精密制造有限公司", "规上", "", "2018-12-31", ""]],
        "annual": [["统一社会信用代码", "年份", "用地面积（亩）", "营业收入（万元）", "税收（万元）", "综合能耗（吨标准煤）",
                    "从业人员（人）", "淘汰类设备"],
                   [a, "2024", "120", "52,000", "1500", "3000", "310", "否"],
                   [b, "2024年", "30.5", "900", "", "", "25", "是"],
                   [a, "2023", "120", "48000", "1400", "3100", "300", ""]],
        "srdi": [["统一社会信用代码", "年份", "从事细分市场年限（年）", "主导产品领域", "数字化水平", "知识产权类别",
                  "研发人员占比（%）", "研发机构级别", "特色化指标得分", "直通条件"],
                 [b, "2024", "6", "补短板", "二级", "Ⅰ类高价值", "18%", "市级", "12", "无"]],
        "parks": [["园区代码", "园区名称", "层级", "所在区县", "面积（亩）", "主导产业", "亩均税收目标（万元/亩）"],
                  ["P1", "甲新区", tier, f"{d1}、{d2}", "100000", "3670;3981", "30"]],
        "green": [["地区", "年份", "能源消费量（万吨标准煤）", "用水量（万立方米）", "工业增加值（亿元）", "增加值可比增速（%）"],
                  [whole, "2023", "5000", "30000", "8000", "6.1"],
                  [d1, "2024", "480", "2900", "850", "-2"]],
    }


ENGLISH = {"registry": ["enterprise_id", "name", "district", "park", "industry_class", "size", "established"],
           "tags": ["credit code", "enterprise name", "tag", "level", "acquired", "lost"],
           "annual": ["enterprise_id", "year", "land area", "revenue", "tax", "energy", "employees",
                      "obsolete_equipment"],
           "srdi": ["enterprise_id", "year", "niche_years", "product_field", "digital_level", "ip_class",
                    "rd_staff_share", "rd_institution", "local_points", "direct_pass"],
           "parks": ["park_id", "name", "tier", "districts", "area", "leading_industries", "target_tax_per_mu"],
           "green": ["area", "year", "energy", "water", "value_added", "va_real_growth"]}


def write_xlsx(folder: Path, data: dict, sheets: dict | None = None) -> Path:
    """enterprises.xlsx: a sheet a table, named as `sheets` says, else by its Chinese name."""
    names = {k: v[0] for k, v in enterprises.FRAME_NAMES.items()} if sheets is None else sheets
    return write_workbook(folder / "enterprises.xlsx", {names[name]: rows for name, rows in data.items()})


@pytest.fixture(scope="module")
def plan():
    return load_plan()


@pytest.fixture(scope="module")
def plan_2027():
    return load_plan(embedded_plan_path("chongqing-manufacturing-2023-2027"))


def fictional(folder: Path, *, parks: bool) -> Path:
    """The fictional 河湾市 plan (no districts: codes under 99); with `parks` a park system of two tiers."""
    data = yaml.safe_load((ASSETS / "fictional-plan.yaml").read_text(encoding="utf-8"))
    if parks:
        data["park_system"] = {"name": "“1+3”园区体系（虚构）", "name_en": "The 1+3 parks (fictional)", "section": "三",
                               "tiers": [{"id": "core", "name": "核心园区", "count": 1},
                                         {"id": "satellite", "name": "卫星园区", "count": 3}]}
    path = folder / f"fictional-{parks}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def good(plan) -> dict:
    return tables("500112", "500106")


def test_good_csv_reads_to_the_contract_frames(plan, tmp_path):
    frames, problems, sha = read_enterprise_files(write_csv(tmp_path, good(plan)), plan)
    assert problems == [] and len(sha) == 64 and set(frames) == set(ef.FRAMES)
    for name, f in frames.items():
        assert list(f.columns) == ef.FRAMES[name]
        assert f.dtypes.to_dict() == ef.empty_frame(name).dtypes.to_dict(), name
    reg = frames["registry"].set_index("enterprise_id")
    a, b = credit_code("500112", 1), credit_code("500106", 2)
    assert reg.loc[a, "established"] == "2010-03-05" and reg.loc[b, "established"] == "2015-06-01"
    assert (reg.loc[a, "industry_class"], reg.loc[a, "size"], reg.loc[a, "park"]) == ("3670", "medium", "P1")
    assert reg.loc[b, "park"] == ""
    tags = frames["tags"]
    assert tags.iloc[0][["tag", "level", "acquired", "lost"]].tolist() == ["little_giant", "national", "2022-07-01", ""]
    assert tags.iloc[2]["acquired"] == "2024-05-01"  # the Excel serial 45413
    assert tags.iloc[3][["tag", "level"]].tolist() == ["above_scale", ""]
    ann = frames["annual"].set_index(["enterprise_id", "year"])
    assert ann.loc[(a, 2024), "revenue"] == 52000 and ann.loc[(b, 2024), "land_area"] == 30.5
    assert ann.loc[(a, 2024), "obsolete_equipment"] == 0 and ann.loc[(b, 2024), "obsolete_equipment"] == 1
    assert pd.isna(ann.loc[(b, 2024), "tax"]) and pd.isna(ann.loc[(a, 2024), "water"])  # blank and absent: unknown
    srdi = frames["srdi"].iloc[0]
    assert (srdi["product_field"], srdi["digital_level"], srdi["ip_class"], srdi["rd_staff_share"],
            srdi["rd_institution"], srdi["direct_pass"]) == ("key", 2, "1_high_value", 18, "municipal", "")
    park = frames["parks"].iloc[0]
    assert (park["tier"], park["districts"], park["leading_industries"]) == ("new_area", "500112;500106", "3670;3981")
    green = frames["green"]
    assert green["area"].tolist() == ["500000", "500112"] and green["va_real_growth"].tolist() == [6.1, -2]


def test_gbk_english_headers_and_a_workbook_give_the_same_frames(plan, tmp_path):
    data = good(plan)
    expected, _, _ = read_enterprise_files(write_csv(tmp_path, data), plan)
    english = {k: [ENGLISH[k], *rows[1:]] for k, rows in data.items()}
    gbk = tmp_path / "gbk"
    gbk.mkdir()
    frames, problems, _ = read_enterprise_files(write_csv(gbk, english, encoding="gbk"), plan)
    assert problems == []
    for name in ef.FRAMES:
        pd.testing.assert_frame_equal(frames[name], expected[name])
    # a workbook: a title row, a real date cell, an unused sheet with only its header
    data["registry"].insert(0, ["企业名录（测试）"])
    data["tags"][1][4] = dt.datetime(2022, 7, 1)
    data["unused"] = [["统一社会信用代码", "年份", "从事细分市场年限（年）"]]
    book = write_xlsx(tmp_path, {k: v for k, v in data.items() if k != "srdi"},
                      {**{k: v[0] for k, v in enterprises.FRAME_NAMES.items()}, "unused": "专精特新"})
    frames, problems, _ = read_enterprise_files([book], plan)
    assert problems == [] and set(frames) == set(ef.FRAMES) - {"srdi"}
    for name in frames:
        pd.testing.assert_frame_equal(frames[name], expected[name])


def test_the_large_file_reader_gives_the_same_frames(plan, tmp_path, monkeypatch):
    paths = write_csv(tmp_path, good(plan))
    slow, _, _ = read_enterprise_files(paths, plan)
    monkeypatch.setattr(enterprises, "FAST_CSV_BYTES", 0)
    fast, problems, _ = read_enterprise_files(paths, plan)
    assert problems == []
    for name in ef.FRAMES:
        pd.testing.assert_frame_equal(fast[name], slow[name])
    # a row wider than the header: the row reader takes the file and says where
    data = good(plan)
    data["annual"].append([credit_code("500112", 1), "2022", "1", "1", "1", "1", "1", "否", "多出来的"])
    _, problems, _ = read_enterprise_files(write_csv(tmp_path, data), plan)
    assert [(p.code, p.row) for p in problems] == [("extra_cells", 5)]
    # a row cut short is refused, not padded with blanks, by either reader
    data = good(plan)
    data["annual"][2] = data["annual"][2][:5]
    for limit in (0, 1 << 30):
        monkeypatch.setattr(enterprises, "FAST_CSV_BYTES", limit)
        _, problems, _ = read_enterprise_files(write_csv(tmp_path, data), plan)
        assert [(p.code, p.row) for p in problems] == [("missing_fields", 3)], limit


def _append(row):
    return lambda rows: rows.append(row)


def _set(r, c, value):
    return lambda rows: rows[r].__setitem__(c, value)


A, B = credit_code("500112", 1), credit_code("500106", 2)
BAD = {  # case → (table, change, code, row, column)
    "wrong check character": ("registry", _append([A[:-1] + ("0" if A[-1] != "0" else "1"), "丙", "500112", "", "",
                                                   "", ""]), "bad_credit_code", 4, "统一社会信用代码"),
    "duplicate enterprise": ("registry", _append([A, "丙", "500112", "", "", "", ""]), "duplicate_enterprise", 4,
                             "统一社会信用代码"),
    "unknown district": ("registry", _set(2, 2, "500199"), "unknown_district", 3, "所在区县"),
    "district outside": ("registry", _set(2, 2, "110101"), "unknown_district", 3, "所在区县"),
    "not a district": ("registry", _set(2, 2, "火星区"), "bad_district", 3, "所在区县"),
    "unknown park": ("registry", _set(2, 3, "P9"), "unknown_park", 3, "所在园区"),
    "bad industry": ("registry", _set(2, 4, "99999"), "bad_industry_class", 3, "行业代码"),
    "unknown size": ("registry", _set(2, 5, "巨型"), "unknown_size", 3, "企业规模"),
    "bad date": ("registry", _set(2, 6, "2015-02-30"), "bad_date", 3, "成立日期"),
    "missing name": ("registry", _set(2, 1, ""), "missing_value", 3, "企业名称"),
    "unknown tag": ("tags", _set(1, 2, "优秀企业"), "unknown_tag", 2, "标签"),
    "unknown level": ("tags", _set(2, 3, "区级"), "unknown_level", 3, "级别"),
    "level twice, differently": ("tags", _set(1, 3, "市级"), "level_conflict", 2, "级别"),
    "lost before acquired": ("tags", _set(2, 5, "2018-01-01"), "lost_before_acquired", 3, "失效日期"),
    "overlapping spells": ("tags", _set(3, 4, "2021-06-30"), "overlapping_spells", 4, "认定日期"),
    "tag date before 1949": ("tags", _set(1, 4, "1948-12-31"), "bad_date", 2, "认定日期"),
    "tag of an unknown enterprise": ("tags", _set(1, 0, credit_code("500112", 77)), "unknown_enterprise", 2,
                                     "统一社会信用代码"),
    "negative land area": ("annual", _set(1, 2, "-120"), "negative_value", 2, "用地面积（亩）"),
    "not a number": ("annual", _set(1, 4, "一千五"), "bad_number", 2, "税收（万元）"),
    "too much money": ("annual", _set(1, 3, "2e13"), "value_out_of_range", 2, "营业收入（万元）"),
    "half an employee": ("annual", _set(1, 6, "3.5"), "not_whole", 2, "从业人员（人）"),
    "not yes or no": ("annual", _set(1, 7, "也许"), "bad_number", 2, "淘汰类设备"),
    "year 1948": ("annual", _set(1, 1, "1948"), "value_out_of_range", 2, "年份"),
    "year 2101": ("annual", _set(1, 1, "2101"), "value_out_of_range", 2, "年份"),
    "duplicate year": ("annual", _set(3, 1, "2024"), "duplicate_year", 4, "统一社会信用代码"),
    "share above 100": ("srdi", _set(1, 6, "120"), "value_out_of_range", 2, "研发人员占比（%）"),
    "digital level 4": ("srdi", _set(1, 4, "4"), "value_out_of_range", 2, "数字化水平"),
    "unknown IP class": ("srdi", _set(1, 5, "Ⅲ类"), "unknown_ip_class", 2, "知识产权类别"),
    "unknown tier": ("parks", _set(1, 2, "省级园区"), "unknown_tier", 2, "层级"),
    "park in an unknown district": ("parks", _set(1, 3, "500112、500199"), "unknown_district", 2, "所在区县"),
    "negative park area": ("parks", _set(1, 4, "-1"), "negative_value", 2, "面积（亩）"),
    "green area not the plan's": ("green", _set(1, 0, "510000"), "unknown_district", 2, "地区"),
    "growth of −100 %": ("green", _set(2, 5, "-100"), "value_out_of_range", 3, "增加值可比增速（%）"),
    "wrong unit": ("annual", _set(0, 2, "用地面积（平方米）"), "wrong_unit", 1, "用地面积（平方米）"),
    "unknown column": ("parks", lambda rows: [r.append("x") for r in rows] and rows[0].__setitem__(-1, "联系人"),
                       "unknown_column", 1, "联系人"),
    "missing column": ("tags", lambda rows: [r.pop(4) for r in rows], "missing_column", None, "认定日期"),
    # an enterprise in 500101 placed in P1, which lies in 500112 and 500106
    "enterprise outside its park's districts": ("registry", _set(1, 2, "500101"), "park_district_mismatch", 2,
                                                "所在园区"),
    "name too long": ("registry", _set(2, 1, "乙" * 201), "name_too_long", 3, "企业名称"),
    "bidi override in a name": ("registry", _set(2, 1, "乙电子\u202e司公限有"), "bad_name", 3, "企业名称"),
    "line break in a name": ("registry", _set(2, 1, "乙电子\n有限公司"), "bad_name", 3, "企业名称"),
    "control character in a park name": ("parks", _set(1, 1, "甲\x07新区"), "bad_name", 2, "园区名称"),
    "park name too long": ("parks", _set(1, 1, "园" * 201), "name_too_long", 2, "园区名称"),
    "year in Chinese numerals": ("annual", _set(1, 1, "二〇二四年"), "bad_number", 2, "年份"),
    "green value added at constant prices": ("green", _set(0, 4, "工业增加值（亿元，可比价）"), "wrong_unit", 1,
                                             "工业增加值（亿元，可比价）"),
    "English header in another unit": ("annual", _set(0, 2, "land_area (ha)"), "wrong_unit", 1, "land_area (ha)"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_each_bad_input_is_a_located_problem(case, plan, tmp_path):
    table, change, code_, row, column = BAD[case]
    data = good(plan)
    change(data[table])
    frames, problems, _ = read_enterprise_files(write_csv(tmp_path, data), plan)
    assert frames == {}
    found = [p for p in problems if p.code == code_]
    assert found, [p.message_en for p in problems]
    p = found[0]
    assert (p.file, p.row, p.column) == (f"{table}.csv", row, column), p
    assert p.message_zh.startswith(f"文件“{table}.csv”") and p.message_en.startswith(f"File '{table}.csv'")
    assert re.search(r"[\u4e00-\u9fff]", p.message_zh.split("：", 1)[1]) and "\n" not in p.message_zh


def test_a_repeated_tag_is_a_duplicate_not_an_overlap(plan, tmp_path):
    data = good(plan)
    data["tags"].append(list(data["tags"][1]))
    _, problems, _ = read_enterprise_files(write_csv(tmp_path, data), plan)
    assert [(p.code, p.row) for p in problems] == [("duplicate_tag", 6)] and "第2行" in problems[0].message_zh


def test_the_same_problem_in_a_workbook_names_the_sheet(plan, tmp_path):
    data = good(plan)
    data["annual"][1][2] = "-120"
    _, problems, _ = read_enterprise_files([write_xlsx(tmp_path, data)], plan)
    (p,) = problems
    assert (p.file, p.row, p.column, p.code) == ("enterprises.xlsx[年度指标]", 2, "用地面积（亩）", "negative_value")
    assert "工作表“年度指标”第2行" in p.message_zh and "sheet '年度指标', row 2" in p.message_en


def test_every_problem_at_once(plan, tmp_path):
    data = good(plan)
    data["registry"][2][2] = "500199"
    data["tags"][1][2] = "优秀企业"
    data["annual"][1][2] = "-1"
    data["green"][1][0] = "510000"
    data["parks"][1][2] = "省级园区"
    _, problems, _ = read_enterprise_files(write_csv(tmp_path, data), plan)
    assert {"unknown_district", "unknown_tag", "negative_value", "unknown_tier"} <= {p.code for p in problems}
    assert len({p.file for p in problems}) == 5


def test_references_use_the_active_data_when_the_import_lacks_the_table(plan, tmp_path):
    data = good(plan)
    first, _, _ = read_enterprise_files(write_csv(tmp_path, data), plan)
    active = ef.EnterpriseData(*(first[f] for f in ef.FRAMES), synthetic=False, source="test")
    later = tmp_path / "later"
    later.mkdir()
    data["annual"].append([credit_code("500112", 77), "2025", "1", "1", "1", "1", "1", "否"])
    paths = write_csv(later, {"annual": data["annual"]})
    _, problems, _ = read_enterprise_files(paths, plan, existing=active)
    assert [(p.code, p.row) for p in problems] == [("unknown_enterprise", 5)]
    _, problems, _ = read_enterprise_files(paths, plan)  # nothing active: one problem, not one per row
    assert [(p.code, p.row) for p in problems] == [("no_registry", None)]
    # a registry alone refers to the active parks; a parks table alone must keep the parks in use
    reg = write_csv(later, {"registry": data["registry"]})
    frames, problems, _ = read_enterprise_files(reg, plan, existing=active)
    assert problems == [] and set(frames) == {"registry"}
    parks = write_csv(later, {"parks": [data["parks"][0], ["P2", "乙园", "", "500112", "10", "", ""]]})
    _, problems, _ = read_enterprise_files(parks, plan, existing=active)
    assert [(p.code, p.value) for p in problems] == [("park_in_use", "P1")]


def test_a_registry_with_parks_but_no_parks_table(plan, tmp_path):
    data = good(plan)
    _, problems, _ = read_enterprise_files(write_csv(tmp_path, {"registry": data["registry"]}), plan)
    assert [(p.code, p.row) for p in problems] == [("unknown_park", 2)]


def test_unusable_files_are_one_problem_each(plan, tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    _, problems, _ = read_enterprise_files([junk], plan)
    assert [p.code for p in problems] == ["unreadable_file"]
    paths = write_csv(tmp_path, good(plan))
    paths[0].write_bytes(b"\x00\x01\x02\xff\xfe garbage")  # the registry: the others are not checked against it
    _, problems, _ = read_enterprise_files(paths, plan)
    assert [(p.file, p.code) for p in problems] == [("registry.csv", "unreadable_file")]
    _, problems, _ = read_enterprise_files([*paths[1:], paths[1]], plan)
    assert "duplicate_table" in [p.code for p in problems]
    empty = tmp_path / "annual.csv"
    empty.write_text("统一社会信用代码,年份\n", encoding="utf-8")
    _, problems, _ = read_enterprise_files([empty], plan)
    assert [p.code for p in problems] == ["empty_table"]


def test_the_fictional_plan(tmp_path):
    """No districts listed: codes under the area's first two digits (99); no park system: any tier."""
    plan = load_plan(fictional(tmp_path, parks=False))
    data = tables("990101", "990102", tier="县级园区", whole="990100")
    frames, problems, _ = read_enterprise_files(write_csv(tmp_path, data), plan)
    assert problems == [] and frames["parks"]["tier"].tolist() == ["县级园区"]
    assert frames["green"]["area"].tolist() == ["990100", "990101"]
    data["registry"][2][2] = "500112"
    _, problems, _ = read_enterprise_files(write_csv(tmp_path, data), plan)
    assert [(p.code, p.row) for p in problems] == [("unknown_district", 3)] and "99" in problems[0].message_zh
    with_parks = load_plan(fictional(tmp_path, parks=True))
    _, problems, _ = read_enterprise_files(write_csv(tmp_path, tables("990101", "990102", tier="县级园区", whole="990100")), with_parks)
    assert [p.code for p in problems] == ["unknown_tier"] and "核心园区" in problems[0].message_zh
    frames, problems, _ = read_enterprise_files(write_csv(tmp_path, tables("990101", "990102", tier="卫星园区", whole="990100")),
                                                with_parks)
    assert problems == [] and frames["parks"]["tier"].tolist() == ["satellite"]


def test_the_2023_2027_plan_takes_parks_with_any_tier(plan_2027, tmp_path):
    assert plan_2027.park_system is None
    frames, problems, _ = read_enterprise_files(write_csv(tmp_path, tables("500112", "500106", tier="市级特色园区")),
                                                plan_2027)
    assert problems == [] and frames["parks"]["tier"].tolist() == ["市级特色园区"]


@pytest.mark.parametrize("text,expected", [("2024-05-01", "2024-05-01"), ("2024/5/1", "2024-05-01"),
                                           ("2024年5月1日", "2024-05-01"), ("2024.5.1", "2024-05-01"),
                                           ("20240501", "2024-05-01"), ("45413", "2024-05-01"),
                                           ("2024-05-01 00:00:00", "2024-05-01"), ("2024-13-01", None),
                                           ("五月一日", None), ("", None)])
def test_dates(text, expected):
    d = enterprises.parse_date(text)
    assert (d.isoformat() if d else None) == expected


def test_every_enterprise_problem_code_is_documented():
    src = (ROOT / "zhizao" / "ingest" / "enterprises.py").read_text(encoding="utf-8")
    codes = set(re.findall(r'"([a-z]+(?:_[a-z0-9]+)+)",\s*f?"[^"]*[\u4e00-\u9fff]', src))
    codes |= {f"unknown_{k}" for k in ("product_field", "ip_class", "rd_institution")}
    codes |= {"name_too_long", "bad_name", "formula"}
    codes -= set().union(*map(set, ef.FRAMES.values()))
    doc = (ROOT / "docs" / "data-import.md").read_text(encoding="utf-8").split("## Enterprise data", 1)[1]
    missing = sorted(c for c in codes if f"`{c}`" not in doc)
    assert len(codes) > 20 and not missing, missing


# --- review findings: one source of headers, own columns per table, formulas, names, parks, years -------------
def test_headers_with_units_and_price_basis_are_accepted(plan, tmp_path):
    """The template's headers (Chinese and English with units), any alias with the column's unit, and a
    money column's price basis after the unit read as the plain headers do."""
    data = good(plan)
    expected, _, _ = read_enterprise_files(write_csv(tmp_path, data), plan)
    for lang, names in (("zh", enterprises.COLUMN_ZH), ("en", enterprises.COLUMN_EN)):
        folder = tmp_path / lang
        folder.mkdir()
        renamed = {}
        for frame, rows in data.items():
            keys = [enterprises.header_key(frame, h)[0] for h in rows[0]]
            renamed[frame] = [[h if k == "_ignore" else names[frame][k] for h, k in zip(rows[0], keys)], *rows[1:]]
        frames, problems, _ = read_enterprise_files(write_csv(folder, renamed), plan)
        assert problems == [], (lang, [p.message_en for p in problems])
        for name in ef.FRAMES:
            pd.testing.assert_frame_equal(frames[name], expected[name])
    assert enterprises.COLUMN_EN["annual"]["land_area"] == "land_area (mu)"
    for frame, header, key in (("annual", "land area (mu)", "land_area"), ("annual", "revenue (10k yuan)", "revenue"),
                               ("annual", "营业收入（万元，当年价）", "revenue"),
                               ("green", "增加值（亿元，当年价）", "value_added"),
                               ("green", "工业增加值(亿元, 现价)", "value_added"),
                               ("green", "value added (100m yuan, current prices)", "value_added"),
                               ("green", "工业增加值可比增速（%，可比价）", "va_real_growth"),
                               ("annual", "环保违法次数（次）", "env_violations"),
                               ("annual", "淘汰类设备（0/1）", "obsolete_equipment")):
        assert enterprises.header_key(frame, header) == (key, None), header
    for frame, header in (("green", "增加值（万元）"), ("annual", "增加值（亿元）"), ("annual", "营业收入（万元，不变价）"),
                          ("green", "增加值可比增速（%，当年价）")):
        key, why = enterprises.header_key(frame, header)
        assert key is None and why is not None, header


def test_an_unknown_column_is_told_its_own_tables_columns(plan, tmp_path):
    """The green table's message lists the green columns and units (万吨标准煤, 万立方米, 亿元), not annual's."""
    data = good(plan)
    for rows in data["green"]:
        rows.append("x")
    data["green"][0][-1] = "联系人"
    _, problems, _ = read_enterprise_files(write_csv(tmp_path, {"green": data["green"]}), plan)
    (p,) = problems
    assert p.code == "unknown_column" and p.column == "联系人"
    for words in ("地区代码", "能源消费量（万吨标准煤）", "用水量（万立方米）", "工业增加值（亿元，当年价）"):
        assert words in p.message_zh, words
    assert "用地面积" not in p.message_zh and "吨标准煤）、" not in p.message_zh.replace("万吨标准煤）", "")
    assert "energy (10k tce)" in p.message_en and "land_area" not in p.message_en
    data = good(plan)
    data["annual"][0][2] = "占地"
    _, problems, _ = read_enterprise_files(write_csv(tmp_path, {"registry": data["registry"], "parks": data["parks"],
                                                                "annual": data["annual"]}), plan)
    (p,) = problems
    assert "综合能耗（吨标准煤）" in p.message_zh and "万吨标准煤" not in p.message_zh


def test_a_year_in_words_is_told_to_write_four_digits(plan, tmp_path):
    data = good(plan)
    data["annual"][1][1] = "二〇二四年"
    data["annual"][2][2] = "三十"  # a number column keeps the number hint
    _, problems, _ = read_enterprise_files(write_csv(tmp_path, data), plan)
    year, number = problems
    assert year.column == "年份" and "四位数字的年份（如 2024）" in year.message_zh and "four digits" in year.message_en
    assert "1200.5" not in year.message_zh
    assert number.column == "用地面积（亩）" and "如 1200.5" in number.message_zh


def test_a_bidi_name_is_quoted_with_its_characters_visible(plan, tmp_path):
    data = good(plan)
    data["registry"][2][1] = "乙\u202e电子"
    _, problems, _ = read_enterprise_files(write_csv(tmp_path, data), plan)
    (p,) = problems
    assert "\u202e" not in p.message_zh and "U+202E" in p.message_zh and "U+202E" in p.message_en
    data["registry"][2][1] = "乙" * 200  # at the limit: accepted
    frames, problems, _ = read_enterprise_files(write_csv(tmp_path, data), plan)
    assert problems == [] and len(frames["registry"]["name"].iloc[1]) == 200


def test_a_formula_without_a_value_is_reported_as_a_formula(plan, tmp_path):
    """A workbook written by a program holds formulas with no value Excel computed: said so, not "为空"."""
    data = good(plan)
    data["registry"][2][1] = '=HYPERLINK("http://example.com","乙电子有限公司")'
    data["annual"][1][3] = "=B2*100"
    data["annual"][1].append("")
    data["annual"][0].append("备注")
    data["annual"][2].append("=A1")  # in a column not stored: not a problem
    _, problems, _ = read_enterprise_files([write_xlsx(tmp_path, data)], plan)
    assert {(p.file, p.row, p.column, p.code) for p in problems} == {
        ("enterprises.xlsx[年度指标]", 2, "营业收入（万元）", "formula"),
        ("enterprises.xlsx[企业名录]", 3, "企业名称", "formula")} and len(problems) == 2
    p = next(p for p in problems if p.row == 3)
    assert "公式" in p.message_zh and "数值" in p.message_zh and "为空" not in p.message_zh
    assert "HYPERLINK" in p.value and "formula" in p.message_en


def test_a_park_in_other_districts_is_refused_against_the_active_data(plan, tmp_path):
    data = good(plan)
    first, problems, _ = read_enterprise_files(write_csv(tmp_path, data), plan)
    assert problems == []
    active = ef.EnterpriseData(*(first[f] for f in ef.FRAMES), synthetic=False, source="test")
    later = tmp_path / "later"
    later.mkdir()
    # a registry alone: its parks are the active ones (P1 in 500112 and 500106)
    data["registry"][2][3] = "P1"  # B in 500106: inside
    data["registry"].append([credit_code("500101", 3), "丙", "500101", "P1", "", "", ""])
    _, problems, _ = read_enterprise_files(write_csv(later, {"registry": data["registry"]}), plan, existing=active)
    (p,) = problems
    assert (p.code, p.row, p.column, p.value) == ("park_district_mismatch", 4, "所在园区", "P1")
    assert "500112、500106" in p.message_zh and "500101" in p.message_zh and "500112, 500106" in p.message_en
    # a parks table alone: P1 now only in 500106 leaves out A (500112) of the active registry
    parks = [data["parks"][0], ["P1", "甲新区", "国家级新区", "500106", "100000", "3670", "30"]]
    _, problems, _ = read_enterprise_files(write_csv(later, {"parks": parks}), plan, existing=active)
    (p,) = problems
    assert (p.code, p.row, p.column) == ("park_district_mismatch", 2, "所在区县") and "500112" in p.message_zh
    # a park without districts is not checked
    parks[1][3] = ""
    _, problems, _ = read_enterprise_files(write_csv(later, {"parks": parks}), plan, existing=active)
    assert problems == []


def test_a_blank_industry_is_unknown(plan, tmp_path):
    data = good(plan)
    data["registry"][2][4] = ""
    frames, problems, _ = read_enterprise_files(write_csv(tmp_path, data), plan)
    assert problems == [] and frames["registry"]["industry_class"].tolist() == ["3670", ""]


def test_a_formula_excel_computed_is_read_as_its_value(plan, tmp_path):
    """A workbook saved by Excel keeps each formula's value beside it: that value is read, as shown."""
    import zipfile

    data = good(plan)
    data["registry"][2][1] = '=HYPERLINK("http://example.com","乙电子有限公司")'
    path = write_xlsx(tmp_path, {"registry": data["registry"], "parks": data["parks"]})
    saved = tmp_path / "saved.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(saved, "w") as out:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/") and b"<f>" in body:
                # what Excel writes: the formula, and its cached string value
                body = re.sub(rb'<c r="B3"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?',
                              lambda m: b'<c r="B3" t="str"><f>' + m.group(2) + "</f><v>乙电子有限公司</v>".encode(),
                              body)
                assert "乙电子有限公司</v>".encode() in body
            out.writestr(item, body)
    frames, problems, _ = read_enterprise_files([saved], plan)
    assert problems == [] and frames["registry"]["name"].tolist() == ["甲精密制造有限公司", "乙电子有限公司"]
