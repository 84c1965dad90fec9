import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from zhizao.ingest.table import (
    OUTPUT_COLUMNS,
    ImportProblem,
    import_table,
    problems_frame,
    read_table,
    validate_rows,
)

SERIES = {"GDP": "亿元", "工业增加值增长率": "%", "新能源汽车产量": "万辆", "R&D经费": "亿元",
          "战新占比提高": "百分点", "两化融合": "指数"}
REGIONS = {"渝北区": "500112", "500112": "500112", "璧山区": "500120"}
KW = dict(series_units=SERIES, resolve_region=REGIONS.get, window=(2021, 2025), default_region="CQ")
REAL = Path(__file__).resolve().parents[2] / "zhizao" / "resources" / "datasets" / "chongqing"  # bundled copy


def write_csv(path: Path, rows: list[list[str]], encoding: str) -> Path:
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def validate(df, file="t.csv"):
    return validate_rows(df, file=file, **KW)


def test_gbk_csv(tmp_path):
    path = write_csv(tmp_path / "gbk.csv", [
        ["指标", "地区", "时期", "数值", "单位", "来源网址", "等级", "原文"],
        ["GDP", "", "2024", "3.2万", "亿元", "https://cq.gov.cn/a", "A", "地区生产总值达到3.2万亿元"],
        ["工业增加值增长率", "渝北区", "2024年1-9月", "8.1", "%", "", "b", "规上工业增加值增长8.1%"],
    ], "gbk")
    df = read_table(path)
    assert list(df.columns) == ["指标", "地区", "时期", "数值", "单位", "来源网址", "等级", "原文", "_row"]
    assert df["_row"].tolist() == [2, 3]
    out, problems = validate(df)
    assert problems == []
    assert out["value"].tolist() == [32000.0, 8.1]
    assert out["region"].tolist() == ["CQ", "500112"]
    assert out["period_key"].tolist() == ["2024", "2024-09"]
    assert out["grade"].tolist() == ["A", "B"]
    assert list(out.columns) == OUTPUT_COLUMNS


def test_utf8_bom_csv_with_english_headers(tmp_path):
    path = write_csv(tmp_path / "bom.csv", [
        [" Series ", "PERIOD", "Value", "unit", "status", "price_basis", "vintage", "Note"],
        ["GDP", "2022", "29129.03", "亿元", "初步核算", "当年价", "2023-03-20", "first release"],
        ["GDP", "2022", "28771.84", "亿元", "年鉴", "现价", "2024-12-30", ""],
        ["R&D经费", "2021", "6038000", "万元", "", "", "", ""],
    ], "utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    out, problems = validate(read_table(path))
    assert problems == []
    assert out["status"].tolist() == ["preliminary", "final", "final"]
    assert out["price_basis"].tolist() == ["current", "current", None]
    assert out["vintage"].tolist() == ["2023-03-20", "2024-12-30", None]
    assert out.loc[2, "value"] == pytest.approx(603.8)
    assert (out.loc[2, "unit"], out.loc[2, "unit_original"]) == ("亿元", "万元")
    assert out["note"].tolist() == ["first release", None, None]


def test_xlsx_cells_read_as_displayed(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["series", "period", "value", "unit", "published", "quote"])
    ws.append(["GDP", 2024, 32193.0, "亿元", dt.datetime(2025, 1, 20), "2024年GDP"])
    ws.append([None] * 6)  # blank row: skipped but counted
    ws.append(["工业增加值增长率", "2024-09", 0.081, "%", None, None])
    ws.cell(row=4, column=3).number_format = "0.0%"
    ws.append(["新能源汽车产量", dt.datetime(2024, 9, 1), "突破59.43", "万辆", None, None])
    ws.cell(row=5, column=2).number_format = "yyyy-mm"
    path = tmp_path / "t.xlsx"
    wb.save(path)

    df = read_table(path)
    assert df["_row"].tolist() == [2, 4, 5]
    assert df["period"].tolist() == ["2024", "2024-09", "2024-09"]
    assert df["value"].tolist() == ["32193", "8.1%", "突破59.43"]
    assert df["published"].tolist() == ["2025-01-20", "", ""]
    out, problems = validate(df, "t.xlsx")
    assert problems == []
    assert out["row"].tolist() == [2, 4, 5]
    assert out["qualifier"].tolist() == ["exact", "exact", "at_least"]


def test_many_problems_reported_at_once(tmp_path):
    rows = [
        ["指标", "地区", "行业", "时期", "数值", "单位", "价格口径", "数据状态", "等级", "发布日期", "网址", "颜色"],
        ["GDP", "", "", "2024", "32193.15", "亿元", "", "", "A", "2025-01-20", "https://a.cn/1", ""],  # 2 ok
        ["GDP", "", "", "2024", "32193.15", "亿元", "", "", "A", "", "https://a.cn/1", ""],  # 3 dup of 2
        ["不存在的指标", "", "", "2024", "1", "亿元", "", "", "", "", "", ""],  # 4
        ["GDP", "", "", "2023", "约三千", "亿元", "", "", "", "", "", ""],  # 5
        ["GDP", "", "", "2023", "3000", "辆", "", "", "", "", "", ""],  # 6
        ["GDP", "", "", "2019", "3000", "亿元", "", "", "", "", "", ""],  # 7
        ["GDP", "", "", "2024年13月", "3000", "亿元", "", "", "", "", "", ""],  # 8
        ["GDP", "火星区", "", "2024", "3000", "亿元", "", "", "", "", "", ""],  # 9
        ["GDP", "", "", "2024", "3000", "亿元", "", "", "AA", "2024/01/05", "", ""],  # 10
        ["GDP", "", "汽车", "2022", "3000", "亿元", "市场价", "草稿", "", "", "", ""],  # 11
        ["工业增加值增长率", "", "", "2024", "2.4", "百分点", "", "", "", "", "", ""],  # 12
        ["GDP", "", "", "2021", "", "亿元", "", "", "", "", "", ""],  # 13
    ]
    df = read_table(write_csv(tmp_path / "bad.csv", rows, "utf-8"))
    out, problems = validate(df, "bad.csv")
    assert out.empty and list(out.columns) == OUTPUT_COLUMNS
    got = {(p.row, p.column, p.code) for p in problems}
    expected = {
        (1, "颜色", "unknown_column"),
        (3, "指标", "duplicate_key"),
        (4, "指标", "unknown_series"),
        (5, "数值", "bad_value"),
        (6, "单位", "unit_mismatch"),
        (7, "时期", "period_outside_plan"),
        (8, "时期", "bad_period"),
        (9, "地区", "unknown_region"),
        (10, "等级", "bad_grade"),
        (10, "发布日期", "bad_date"),
        (11, "行业", "bad_industry"),
        (11, "价格口径", "bad_price_basis"),
        (11, "数据状态", "bad_status"),
        (12, "单位", "unit_mismatch"),
        (13, "数值", "missing_value"),
    }
    assert got == expected
    assert all(p.file == "bad.csv" for p in problems)
    dup = next(p for p in problems if p.code == "duplicate_key")
    assert "第2行" in dup.message_zh and "row 2" in dup.message_en
    bad = next(p for p in problems if p.code == "bad_value")
    assert bad.message_zh.startswith("第5行“数值”列的值“约三千”无法解析为数字")
    assert bad.value == "约三千"
    mismatch = next(p for p in problems if p.row == 12)
    assert "percentage point" in mismatch.message_en


def test_missing_columns_and_empty_file(tmp_path):
    df = read_table(write_csv(tmp_path / "h.csv", [["指标", "数值"]], "utf-8"))
    _, problems = validate(df)
    codes = sorted((p.code, p.column) for p in problems)
    assert codes == [("empty_file", None), ("missing_column", "period"), ("missing_column", "unit")]
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    _, problems = validate(read_table(empty))
    assert {p.code for p in problems} == {"empty_file", "missing_column"}


def test_missing_column_still_checks_rows(tmp_path):
    df = read_table(write_csv(tmp_path / "m.csv", [["指标", "时期", "数值"], ["GDP", "2024", "abc"]], "utf-8"))
    _, problems = validate(df)
    assert {(p.code, p.row) for p in problems} == {("missing_column", None), ("bad_value", 2)}


def test_year_column_stands_in_for_period(tmp_path):
    df = read_table(write_csv(tmp_path / "y.csv", [
        ["indicator", "year", "period", "value", "unit"],
        ["工业增加值增长率", "2024", "2024-09", "8.1", "%"],
        ["GDP", "2024", "", "3.2万", "亿元"],
        ["GDP", "2023", "2024-09", "1", "亿元"],
    ], "utf-8"))
    out, problems = validate(df)
    assert [(p.row, p.code) for p in problems] == [(4, "period_year_conflict")]
    df = df[df["_row"] != 4]
    out, problems = validate(df)
    assert out["period_key"].tolist() == ["2024-09", "2024"]


def test_status_auto_detection():
    df = pd.DataFrame({
        "series": ["GDP", "GDP", "GDP", "GDP"],
        "period": ["2024"] * 4,
        "value": ["1", "2", "3", "4"],
        "unit": ["亿元"] * 4,
        "quote": ["初步核算，全年地区生产总值…", "预计增长", "达到", ""],
        "vintage": ["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04"],
        "status": ["", "", "", "快报"],
    })
    out, problems = validate(df)
    assert problems == []
    assert out["status"].tolist() == ["preliminary", "preliminary", "final", "preliminary"]
    assert out["row"].tolist() == [2, 3, 4, 5]  # no _row column: index + 2


def test_value_mark_must_match_unit():
    df = pd.DataFrame({"series": ["GDP"], "period": ["2024"], "value": ["5%"], "unit": ["亿元"]})
    _, problems = validate(df)
    assert [(p.code, p.column) for p in problems] == [("unit_mismatch", "value")]


def test_extra_cells_and_multiline_rows(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text('series,period,value,unit,quote\nGDP,2024,1,亿元,"two\nlines"\n\nGDP,2023,2,亿元,q,surplus\n',
                    encoding="utf-8")
    df = read_table(path)
    assert df["_row"].tolist() == [2, 4]  # the quoted newline stays in row 2; row 3 is blank
    _, problems = validate(df)
    assert [(p.row, p.code, p.value) for p in problems] == [(4, "extra_cells", "surplus")]


def test_problems_frame():
    p = ImportProblem("f.csv", 5, "数值", "约三千", "bad_value", "中文说明", "English text")
    zh = problems_frame([p])
    assert list(zh.columns) == ["文件", "行", "列", "值", "问题"]
    assert zh.iloc[0].tolist() == ["f.csv", 5, "数值", "约三千", "中文说明"]
    en = problems_frame([p], lang="en")
    assert list(en.columns) == ["file", "row", "column", "value", "problem"]
    assert en.iloc[0]["problem"] == "English text"
    assert problems_frame([]).empty


def test_import_table_unreadable(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    out, problems = import_table(path, **KW)
    assert out.empty and [p.code for p in problems] == ["unreadable_file"]


@pytest.mark.parametrize("name", ["annual", "monthly_cumulative", "districts", "yearbook_datasets"])
def test_real_files_import(name):
    df = read_table(REAL / f"{name}.csv")
    units = dict(zip(df["indicator"], df["unit"]))
    out, problems = validate_rows(df, file=name, series_units=units,
                                  resolve_region=lambda text: text, window=(2019, 2025),
                                  default_region="500000")
    assert problems == []
    assert len(out) == len(df)
    if name == "districts":
        row = out[out["value_text"] == "过千亿"].iloc[0]
        assert (row["value"], row["qualifier"], row["region"]) == (1000.0, "more_than", "璧山区")


def test_decode_bytes_orders():
    from zhizao.ingest.table import TableReadError, decode_bytes

    text = "指标,时期,数值\nGDP,2024,超2.6万\n"
    assert decode_bytes(text.encode("gbk")) == (text, "gb18030")
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")
    assert decode_bytes(text.encode("utf-8-sig")) == (text, "utf-8-sig")
    assert decode_bytes(text.encode("utf-16")) == (text, "utf-16")
    with pytest.raises(TableReadError):
        decode_bytes(b"\x81")


def test_import_table_good_file(tmp_path):
    path = write_csv(tmp_path / "ok.csv", [["序列", "期间", "值", "单位"], ["两化融合", "2022", "61.5", "指数"]],
                     "gb18030")
    out, problems = import_table(path, **KW)
    assert problems == [] and out.loc[0, "value"] == 61.5
