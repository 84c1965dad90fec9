"""Hostile and careless inputs (issue 7): every one ends as problems, never a traceback."""
import csv
import math

import openpyxl
import pytest

from zhizao.ingest.table import (
    MAX_CELL_CHARS,
    TableReadError,
    import_table,
    read_table,
    validate_rows,
)
from zhizao.ingest.units import BOUNDS, out_of_bounds
from zhizao.ingest.values import ValueParseError, parse_value

SERIES = {"GDP": "亿元", "工业增加值增长率": "%", "战新占比提高": "百分点", "企业数": "家",
          "新能源汽车产量": "万辆"}
KW = dict(series_units=SERIES, resolve_region={"渝北区": "500112"}.get, window=(2016, 2025),
          default_region="CQ")
HEADER = ["指标", "时期", "数值", "单位", "来源网址", "等级", "版本日期"]


def write_csv(path, rows, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def run(path):
    """What an import does: rows or problems; TableReadError becomes its single problem."""
    try:
        df = read_table(path)
    except TableReadError as exc:
        return None, [exc.problem(path.name)]
    return validate_rows(df, file=path.name, **KW)


def one_row(tmp_path, value, unit="亿元", series="GDP"):
    path = write_csv(tmp_path / "v.csv", [HEADER, [series, "2024", value, unit, "https://a.cn/1", "A",
                                                   "2025-01-20"]])
    return run(path)


# ---------------------------------------------------------------- values


@pytest.mark.parametrize("text", ["1e400", "9" * 400, "inf", "-inf", "nan", "Infinity", "1e1000000",
                                  "-1e999999999", "超1e400"])
def test_non_finite_values_refused(tmp_path, text):
    with pytest.raises(ValueParseError):
        parse_value(text)
    out, problems = one_row(tmp_path, text)
    assert out.empty and [(p.row, p.column, p.code) for p in problems] == [(2, "数值", "bad_value")]
    assert len(problems[0].value) < 200  # cited, not copied


@pytest.mark.parametrize("value,unit,series", [
    ("2e15", "亿元", "GDP"), ("-2e9", "亿元", "GDP"), ("20000", "%", "工业增加值增长率"),
    ("-5", "家", "企业数"), ("2000", "百分点", "战新占比提高"), ("1e300", "万亿元", "GDP"),
    ("下降3家", "家", "企业数"), ("2e10", "亿辆", "新能源汽车产量"),
])
def test_absurd_values_refused_with_bounds(tmp_path, value, unit, series):
    out, problems = one_row(tmp_path, value, unit, series)
    assert out.empty
    [p] = problems
    assert (p.row, p.column, p.value, p.code) == (2, "数值", value, "value_out_of_range")
    assert "合理范围" in p.message_zh and "sane range" in p.message_en


def test_bounds_are_data_for_every_dimension():
    from zhizao.ingest.units import UNITS
    for unit, (dim, _) in UNITS.items():
        assert dim in BOUNDS or dim.startswith("count:")
        assert out_of_bounds(0.0, unit) is None or BOUNDS.get(dim, (0,))[0] > 0
        assert out_of_bounds(math.inf, unit) is not None
    assert out_of_bounds(1e16, "某未知单位") is not None and out_of_bounds(5.0, "某未知单位") is None


@pytest.mark.parametrize("text,unit,number", [
    ("下降4.1%", "%", -4.1), ("增长5.2%", "%", 5.2), ("提高0.8个百分点", "百分点", 0.8),
    ("减少3.1个百分点", "百分点", -3.1), ("回落0.5个百分点", "百分点", -0.5), ("上升3%", "%", 3.0),
    ("增长-3.1%", "%", -3.1), ("比上年下降2.7%", "%", -2.7), ("同比增长12.5%", "%", 12.5),
    ("下降超2%", "%", -2.0),
])
def test_change_words_read_with_sign(tmp_path, text, unit, number):
    assert parse_value(text, unit).number == number
    series = "工业增加值增长率" if unit == "%" else "战新占比提高"
    out, problems = one_row(tmp_path, text, unit, series)
    assert problems == [] and out["value"].tolist() == [number] and out["value_text"][0] == text


def test_change_word_units_checked():
    with pytest.raises(ValueParseError):
        parse_value("下降-2%")  # a decrease with a minus sign: ambiguous
    df = read_table_rows([["工业增加值增长率", "2024", "提高0.8个百分点", "%"]])
    _, problems = validate_rows(df, file="t.csv", **KW)
    assert [(p.column, p.code) for p in problems] == [("数值", "unit_mismatch")]


def read_table_rows(rows):
    import pandas as pd
    return pd.DataFrame(rows, columns=["指标", "时期", "数值", "单位"])


# ---------------------------------------------------------------- unreadable files


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 8,  # binary garbage with NULs
    b"\x89PNG\r\n\x1a\n" + bytes(range(1, 32)) * 40,  # binary without NULs
    "指标,时期,数值,单位\nGDP,2024,1\x00,亿元\n".encode(),  # NUL inside a text CSV
    "指标,时期".encode("gbk") + b"\x81\x81\xff\xfe\x00",
])
def test_binary_and_garbage_is_one_problem(tmp_path, data):
    path = tmp_path / "garbage.csv"
    path.write_bytes(data)
    with pytest.raises(TableReadError):
        read_table(path)
    out, problems = run(path)
    assert [(p.file, p.code) for p in problems] == [("garbage.csv", "unreadable_file")]
    assert "无法读取" in problems[0].message_zh and "cannot be read" in problems[0].message_en


@pytest.mark.parametrize("data", [b"PK\x03\x04broken", b"not a workbook at all", b""])
def test_broken_xlsx_is_one_problem(tmp_path, data):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(data)
    _, problems = run(path)
    assert [p.code for p in problems] == ["unreadable_file"]


def test_file_name_too_long_is_a_problem(tmp_path):
    path = tmp_path / ("很长的文件名" * 60 + ".csv")  # > 255 bytes: OSError on open
    _, problems = run(path)
    assert [p.code for p in problems] == ["unreadable_file"]
    out, problems = import_table(path, **KW)
    assert out.empty and [p.code for p in problems] == ["unreadable_file"]


def test_field_over_csv_limit_is_a_problem(tmp_path):
    huge = "长" * 131_073 * 2
    path = write_csv(tmp_path / "long.csv", [HEADER, ["GDP", "2024", "1", "亿元", "https://a.cn/1", "A", "2025-01-20"],
                                             ["GDP", "2023", "2", "亿元", "", "", huge]])
    out, problems = run(path)
    assert out.empty
    assert ("cell_too_long", 3, "版本日期") in {(p.code, p.row, p.message_en.split('"')[3]) for p in problems}
    assert all(len(p.message_zh) < 400 and (p.value is None or len(p.value) < 200) for p in problems)
    ok = write_csv(tmp_path / "ok.csv", [HEADER + ["原文"], ["GDP", "2024", "1", "亿元", "", "", "",
                                                             "长" * MAX_CELL_CHARS]])
    assert run(ok)[1] == []


def test_no_header_row_is_one_line(tmp_path):
    rows = [["甲", "乙", "丙"]] + [[str(i), "x", "y"] for i in range(18)]
    _, problems = run(write_csv(tmp_path / "noheader.csv", rows))
    [p] = problems
    assert p.code == "unreadable_file" and "表头" in p.message_zh and "header" in p.message_en


def test_boms_mixed_line_endings_and_blank_files(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeff\ufeff指标,时期,数值,单位\r\nGDP,2024,1,亿元\nGDP,2023,2,亿元\rGDP,2022,3,亿元\r\n"
                     .encode("utf-8"))
    out, problems = run(path)
    assert problems == [] and out["value"].tolist() == [1.0, 2.0, 3.0]
    for name, data in (("empty.csv", b""), ("blank.csv", b"\n\n \n"), ("header.csv", "指标,时期,数值,单位\n".encode())):
        (tmp_path / name).write_bytes(data)
        out, problems = run(tmp_path / name)
        assert out.empty and "empty_file" in {p.code for p in problems}


def test_column_named_like_an_internal_one(tmp_path):
    path = write_csv(tmp_path / "internal.csv", [["指标", "时期", "数值", "单位", "_row", "_width"],
                                                 ["GDP", "2024", "1", "亿元", "x", "y"]])
    _, problems = run(path)
    assert {(p.code, p.column) for p in problems} == {("unknown_column", "_row"), ("unknown_column", "_width")}


# ---------------------------------------------------------------- silently wrong


def test_truncated_last_row_refused(tmp_path):
    path = tmp_path / "cut.csv"
    path.write_text("指标,时期,数值,单位,来源网址,等级,版本日期\n"
                    "GDP,2024,1,亿元,https://a.cn/1,A,2025-01-20\n"
                    "GDP,2023,2,亿元,https://a.cn/1,A,2025-01-20\n"
                    "GDP,2022,3,亿元,https://a.cn/", encoding="utf-8")
    out, problems = run(path)
    assert out.empty
    [p] = problems
    assert (p.row, p.code) == (4, "missing_fields")
    assert "等级、版本日期" in p.message_zh and "等级, 版本日期" in p.message_en


# ---------------------------------------------------------------- statistics bureau layouts


def bureau_workbook(path, *, merged: bool, footnote: bool, unit_column: bool = True):
    wb = openpyxl.Workbook()
    ws = wb.active
    width = 4 if unit_column else 3
    ws.append(["重庆市规模以上工业主要指标（2022—2024年）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.append([None] * (width - 1) + ["单位：亿元"])
    ws.append(["指标", "年份", "数值", "单位"][:width])
    for year, value in ((2022, "28000"), (2023, "30000"), (2024, "32193")):
        ws.append(["GDP" if not merged or year == 2022 else None, year, value, "亿元"][:width])
    if merged:
        ws.merge_cells("A4:A6")
    if footnote:
        ws.append(["注：2024年为初步核算数。"])
        ws.merge_cells(start_row=7, start_column=1, end_row=7, end_column=width)
        ws.append(["2. 部分数据因四舍五入，分项合计与总计略有出入。"])
        ws.append(["资料来源：重庆市统计局"])
    wb.save(path)
    return path


@pytest.mark.parametrize("merged", [False, True])
@pytest.mark.parametrize("footnote", [False, True])
@pytest.mark.parametrize("unit_column", [False, True])
def test_bureau_xlsx_with_title_rows(tmp_path, merged, footnote, unit_column):
    path = bureau_workbook(tmp_path / "统计局.xlsx", merged=merged, footnote=footnote, unit_column=unit_column)
    df = read_table(path)
    assert df.attrs["header_row"] == 3 and df["_row"].tolist() == [4, 5, 6]
    out, problems = validate_rows(df, file=path.name, **KW)
    assert problems == []
    assert out["value"].tolist() == [28000.0, 30000.0, 32193.0]
    assert out["series"].tolist() == ["GDP"] * 3 and out["unit_original"].tolist() == ["亿元"] * 3


def test_bureau_csv_with_title_and_wrong_header_names_its_row(tmp_path):
    rows = [["2024年主要指标"], ["单位：亿元"], ["指标", "时期", "数值", "颜色"], ["GDP", "2024", "1", "红"]]
    df = read_table(write_csv(tmp_path / "t.csv", rows))
    assert df.attrs["header_row"] == 3
    _, problems = validate_rows(df, file="t.csv", **KW)
    assert [(p.row, p.column, p.code) for p in problems] == [(3, "颜色", "unknown_column")]
    rows[2][3], rows[3][3] = "单位", "亿元"
    out, problems = validate_rows(read_table(write_csv(tmp_path / "t.csv", rows)), file="t.csv", **KW)
    assert problems == [] and out["row"].tolist() == [4]


def test_tab_separated_with_title_line(tmp_path):
    path = tmp_path / "t.tsv"
    path.write_text("重庆市2024年统计表\n指标\t时期\t数值\t单位\nGDP\t2024\t1,234.5\t亿元\n", encoding="utf-8")
    out, problems = run(path)
    assert problems == [] and out["value"].tolist() == [1234.5]


def test_a_million_columns_is_one_problem(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("指标,时期,数值,单位" + ",x" * 1_000_000 + "\nGDP,2024,1,亿元\n", encoding="utf-8")
    _, problems = run(path)
    assert [p.code for p in problems] == ["unreadable_file"] and "1000" in problems[0].message_en


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf\x8c\x87,a\n", b"\xff\xfe\x00\xd8\x00", b"\xfe\xff\x00"])
def test_bom_then_invalid_bytes(tmp_path, data):  # found by the fuzz suite
    path = tmp_path / "bom.csv"
    path.write_bytes(data)
    assert [p.code for p in run(path)[1]] == ["unreadable_file"]
