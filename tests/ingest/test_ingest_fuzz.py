"""Fuzz the importer (issue 7): arbitrary bytes, arbitrary CSV text, mutated valid files and
random XLSX cells give rows or problems, never another exception; every accepted value is
finite and within the bounds of its unit; rows and problems never come together."""
import csv
import io
import math
import tempfile
from pathlib import Path

import openpyxl
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhizao.ingest.table import COLUMN_ALIASES, TableReadError, read_table, validate_rows
from zhizao.ingest.units import UNITS, out_of_bounds

SERIES = {"GDP": "亿元", "增长率": "%", "占比提高": "百分点", "企业数": "家", "产量": "万辆",
          "能耗": "吨标准煤/万元", "指数": "指数"}
KW = dict(series_units=SERIES, resolve_region={"渝北区": "500112", "500112": "500112"}.get,
          window=(2016, 2025), default_region="500000")
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VALID = ("指标,地区,时期,数值,单位,来源网址,等级,版本日期,原文\n"
         "GDP,,2024,超3.2万,亿元,https://a.cn/1,A,2025-01-20,地区生产总值\n"
         "增长率,渝北区,2024-09,下降4.1%,%,,B,,\n"
         "占比提高,,2023,提高0.8个百分点,百分点,,,,\n"
         "企业数,500112,2022,近1500,家,,,,\n").encode()


def check(out: pd.DataFrame, problems: list) -> None:
    assert out.empty or not problems  # all or nothing
    for p in problems:
        assert p.code and p.message_zh and p.message_en
        assert p.value is None or len(p.value) < 200
    for value, unit, series in zip(out["value"], out["unit"], out["series"]):
        assert math.isfinite(value) and out_of_bounds(value, unit) is None
        assert series in SERIES


def run_bytes(data: bytes, suffix: str = ".csv") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"f{suffix}"
        path.write_bytes(data)
        try:
            df = read_table(path)
        except TableReadError as exc:
            p = exc.problem(path.name)
            assert p.code == "unreadable_file" and p.message_zh and p.message_en
            return
        check(*validate_rows(df, file=path.name, **KW))


@FAST
@given(st.binary(max_size=3000), st.sampled_from([".csv", ".xlsx", ".txt"]))
def test_arbitrary_bytes(data, suffix):
    run_bytes(data, suffix)


header_names = st.sampled_from([a for names in COLUMN_ALIASES.values() for a in names] + ["颜色", ""])
cell = st.one_of(st.text(max_size=30), st.sampled_from(
    ["GDP", "增长率", "企业数", "2024", "2024-09", "2024年1-9月", "亿元", "%", "百分点", "家", "1e400",
     "-5", "下降4.1%", "注：初步核算", "单位：亿元", "\ufeff指标", "nan", "inf", "9" * 400]))


@FAST
@given(st.lists(st.lists(st.one_of(header_names, cell), max_size=10), max_size=12),
       st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]), st.sampled_from([",", "\t"]))
def test_arbitrary_csv_text(rows, encoding, delimiter):
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter).writerows(rows)
    try:
        data = buf.getvalue().encode(encoding)
    except UnicodeEncodeError:
        data = buf.getvalue().encode("utf-8")
    run_bytes(data)


@st.composite
def mutated(draw):
    data = bytearray(VALID)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["delete", "insert", "flip", "truncate", "duplicate"]))
        i = draw(st.integers(0, len(data)))
        if op == "delete":
            del data[i:i + draw(st.integers(1, 20))]
        elif op == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=8) | st.sampled_from(
                [b",", b"\n", b"\r", b'"', b"\x00", b"\xef\xbb\xbf", "万".encode(), b"e999"]))
        elif op == "flip" and i < len(data):
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "truncate":
            del data[i:]
        elif op == "duplicate":
            data += data[i:]
    return bytes(data)


@FAST
@given(mutated())
def test_mutated_valid_file(data):
    run_bytes(data)


value_text = st.one_of(
    st.text(max_size=20),
    st.from_regex(r"\A(下降|增长|提高|超|近|约)?[+-]?\d{0,420}(\.\d{0,5})?([eE][+-]?\d{1,7})?"
                  r"(万|亿|万亿)?(%|倍|个百分点)?(左右|以上)?\Z", fullmatch=True),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(SERIES)), value_text, st.sampled_from(sorted(UNITS))),
                min_size=1, max_size=8))
def test_random_values_and_units(rows):
    df = pd.DataFrame([(s, "2024", v, u) for s, v, u in rows], columns=["指标", "时期", "数值", "单位"])
    check(*validate_rows(df, file="v.csv", **KW))


xlsx_cell = st.one_of(
    st.none(), st.integers(-10**20, 10**20), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20).map(lambda t: "".join(c for c in t if c >= " ")),
    st.sampled_from(["GDP", "2024", "亿元", "下降4.1%", "注：说明", "单位：亿元", "指标"]),
    st.dates(), st.booleans())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 3), st.lists(st.lists(xlsx_cell, max_size=6), max_size=8),
       st.lists(st.tuples(st.integers(1, 12), st.integers(1, 6), st.integers(0, 3), st.integers(0, 2)),
                max_size=3))
def test_random_xlsx_cells(title_rows, rows, merges):
    wb = openpyxl.Workbook()
    ws = wb.active
    for _ in range(title_rows):
        ws.append(["统计表标题"])
    ws.append(["指标", "时期", "数值", "单位"])
    for r in rows:
        ws.append(r)
    for row, col, down, across in merges:
        ws.merge_cells(start_row=row, start_column=col, end_row=row + down, end_column=col + across)
    buf = io.BytesIO()
    wb.save(buf)
    run_bytes(buf.getvalue(), ".xlsx")
