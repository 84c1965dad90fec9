"""Formula injection: every CSV/XLSX zhizao writes shows hostile text as text, numbers as numbers."""
from __future__ import annotations

import copy
import csv
import io
import math
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from hostile_support import HOSTILE, PLANTED, SOURCE_ID, VALUE, neutralised, plant
from zhizao import api
from zhizao.outputs import cli_monitoring
from zhizao.outputs.cli import app
from zhizao.outputs.console import make_console
from zhizao.outputs.spreadsheet_safe import (FORMULA_TRIGGERS, neutralise, neutralise_frame, write_csv, write_xlsx,
                                             xlsx_text)

runner = CliRunner()
FULL_WIDTH = ["＝1+1", "＋1", "－2+3", "＠SUM(A1)"]
# Text a store can hold (UTF-8: no lone surrogates; NUL is not CSV text).
STORED_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
PLAIN_NUMBERS = ["-5", "+3.2", "-1,234.5", "-4.1%", "-1e5", "-.5"]


def _is_plain_number(s: str) -> bool:
    try:
        return math.isfinite(float(s.replace(",", "").rstrip("%")))
    except ValueError:
        return False


# --- the function --------------------------------------------------------------------------
@pytest.mark.parametrize("text", HOSTILE + FULL_WIDTH + ["=1", "-", "+", "@", "-x", "--1", "- 5", "-5-5"])
def test_triggering_text_gets_a_quote(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", PLAIN_NUMBERS + ["", "abc", "重庆", " =1", "'=1", "5-2", "GDP=1"])
def test_other_text_and_plain_numbers_are_unchanged(text):
    assert neutralise(text) == text


@pytest.mark.parametrize("value", [-5, -2.5, 0, None, float("nan"), date(2024, 1, 1), True])
def test_non_text_is_unchanged(value):
    out = neutralise(value)
    assert out is value


@settings(max_examples=500)
@given(st.text())
def test_neutralise_property(text):
    out = neutralise(text)
    assert out in (text, "'" + text)
    # Only a plain number may still start with a trigger (the spreadsheet reads it as that number).
    assert not out.startswith(FORMULA_TRIGGERS) or _is_plain_number(out)
    if not text.startswith(FORMULA_TRIGGERS):
        assert out == text
    assert neutralise(out) == out  # idempotent


@settings(max_examples=300)
@given(st.text())
def test_xlsx_text_never_leaves_a_trigger_behind_control_characters(text):
    out = xlsx_text("\x01" + text)  # control characters are dropped before the check, not after
    assert not out.startswith(FORMULA_TRIGGERS) or _is_plain_number(out)


def test_frame_keeps_numbers_numeric():
    df = pd.DataFrame({"name": HOSTILE, "value": [-5.0, 1.5, -2.0, 3.0, 4.0, -6.0], "n": [-1, 2, 3, 4, 5, 6],
                       "mixed": [-5.0, "=1", None, "-7", "x", 2]})
    out = neutralise_frame(df)
    assert out["name"].tolist() == [neutralised(h) for h in HOSTILE]
    assert out["value"].dtype == df["value"].dtype and out["value"].tolist() == df["value"].tolist()
    assert out["n"].dtype == df["n"].dtype
    assert out["mixed"].tolist()[:2] == [-5.0, "'=1"] and out["mixed"].tolist()[3:] == ["-7", "x", 2]
    assert df["name"].tolist() == HOSTILE, "the caller's frame is not modified"


# --- CSV and XLSX writers ------------------------------------------------------------------
def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_write_csv_keeps_whole_numbers_beside_a_blank_whole():
    """Was: an object column [1, None] came out as 1.0 (Series.map inferred floats): the audit export's rows."""
    df = pd.DataFrame([{"rows": 1, "t": "x"}, {"rows": None, "t": "=1"}, {"rows": 58, "t": None}], dtype=object)
    lines = write_csv(df).splitlines()
    assert lines[1].startswith("1,") and lines[3].startswith("58,") and "1.0" not in lines[1]
    assert lines[2] == '"","\'=1"'


def test_write_csv():
    rows = _csv_rows(write_csv(pd.DataFrame({"t": HOSTILE, "v": [-5.0] * 6, HOSTILE[0]: range(6)})))
    assert rows[0] == ["t", "v", neutralised(HOSTILE[0])]
    assert [r[0] for r in rows[1:]] == [neutralised(h) for h in HOSTILE]
    assert {r[1] for r in rows[1:]} == {"-5.0"}


def test_write_csv_quotes_text_so_a_carriage_return_cannot_start_a_row():
    rows = _csv_rows(write_csv(pd.DataFrame({"t": ["a\r=1+1", "b\n@SUM(A1)"], "v": [1, 2]})))
    assert rows == [["t", "v"], ["a\r=1+1", "1"], ["b\n@SUM(A1)", "2"]]


@settings(max_examples=300)
@given(st.lists(STORED_TEXT, min_size=1, max_size=5))
def test_write_csv_property(texts):
    rows = _csv_rows(write_csv(pd.DataFrame({"t": texts, "v": range(len(texts))})))
    assert [r[0] for r in rows[1:]] == [neutralise(t) for t in texts]  # one row per row, whatever the text
    assert [r[1] for r in rows[1:]] == [str(i) for i in range(len(texts))]


def _sheet(df: pd.DataFrame):
    buf = io.BytesIO()
    write_xlsx(df, buf, "t")
    return load_workbook(io.BytesIO(buf.getvalue())).active


def test_write_xlsx_strings_are_string_cells_and_numbers_numbers():
    df = pd.DataFrame({"t": HOSTILE, "v": [-5.0, 1.5, float("nan"), float("inf"), 0.0, -1.0],
                       "mixed": [-5, "=1", None, "\x01=2", "-7", date(2024, 1, 2)]})
    ws = _sheet(df)
    for r, h in enumerate(HOSTILE, start=2):
        cell = ws.cell(r, 1)
        assert cell.data_type == "s" and cell.value == neutralised(h), (h, cell.value)
    assert [ws.cell(r, 2).value for r in range(2, 8)] == [-5.0, 1.5, None, "inf", 0.0, -1.0]
    assert ws.cell(2, 2).data_type == "n"
    mixed = [ws.cell(r, 3) for r in range(2, 8)]
    assert mixed[0].value == -5 and mixed[0].data_type == "n"
    assert mixed[1].value == "'=1" and mixed[3].value == "'=2" and mixed[4].value == "-7"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


@settings(max_examples=50, deadline=None)
@given(st.lists(STORED_TEXT, min_size=1, max_size=8))
def test_write_xlsx_never_writes_a_formula(texts):
    ws = _sheet(pd.DataFrame({"t": texts}))
    for r in range(2, len(texts) + 2):
        cell = ws.cell(r, 1)
        assert cell.data_type != "f"
        v = cell.value or ""
        assert not v.startswith(FORMULA_TRIGGERS) or _is_plain_number(v)


# --- the CLI -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("hostile") / "h.duckdb"
    api.open_store(db).close()
    plant(db)
    return db


def _planted_row(rows: list[list[str]], id_col: str = "source_id") -> dict:
    head = rows[0]
    hits = [dict(zip(head, r)) for r in rows[1:] if dict(zip(head, r)).get(id_col) == SOURCE_ID]
    assert len(hits) == 1
    return hits[0]


def test_cli_data_list_csv(hostile_db):
    r = runner.invoke(app, ["data", "list", "--format", "csv", "--db", str(hostile_db)])
    assert r.exit_code == 0, r.output
    row = _planted_row(_csv_rows(r.stdout))
    for field, text in PLANTED.items():
        assert row[field] == neutralised(text), field
    assert float(row["value"]) == VALUE and row["value"].startswith("-")


def test_cli_data_sources_csv(hostile_db):
    r = runner.invoke(app, ["data", "sources", "--format", "csv", "--db", str(hostile_db)])
    assert r.exit_code == 0, r.output
    row = _planted_row(_csv_rows(r.stdout))
    assert row["title"] == neutralised(PLANTED["source_title"]) and row["publisher"] == neutralised(PLANTED["publisher"])


def test_cli_json_is_not_neutralised(hostile_db):
    import json

    r = runner.invoke(app, ["data", "sources", "--format", "json", "--db", str(hostile_db)])
    assert {s["title"] for s in json.loads(r.stdout) if s["source_id"] == SOURCE_ID} == {PLANTED["source_title"]}


def test_cli_assess_csv(hostile_db, monkeypatch):
    real = api.scorecard
    monkeypatch.setattr(api, "scorecard", lambda result: real(result).assign(reason=HOSTILE[0], name=HOSTILE[3]))
    r = runner.invoke(app, ["assess", "--format", "csv", "--db", str(hostile_db)])
    assert r.exit_code == 0, r.output
    rows = _csv_rows(r.stdout)
    head = rows[0]
    assert {row[head.index("reason")] for row in rows[1:]} == {neutralised(HOSTILE[0])}
    assert {row[head.index("name")] for row in rows[1:]} == {neutralised(HOSTILE[3])}


def test_monitoring_csv(capsys):
    df = pd.DataFrame({"name": HOSTILE, "ytd_growth": [-5.0] * 6, "evidence": [{"k": "=1"}] * 6})
    cli_monitoring._emit(df, "csv", "zh", "", make_console())
    rows = _csv_rows(capsys.readouterr().out)
    assert [r[0] for r in rows[1:]] == [neutralised(h) for h in HOSTILE]
    assert {r[1] for r in rows[1:]} == {"-5.0"}


# --- the report workbook -------------------------------------------------------------------
def test_report_xlsx(hostile_db, tmp_path):
    from zhizao.outputs.reports import build_report

    plan = api.load_plan()
    result = copy.deepcopy(api.assess(plan, db=hostile_db))
    result["indicators"][0]["reason"] = HOSTILE[0]
    result["indicators"][0]["actual_text"] = HOSTILE[2]
    paths = build_report(result, api.observations(hostile_db), plan, formats=["xlsx"], out_dir=tmp_path)
    wb = load_workbook(paths["xlsx"])
    assert all(c.data_type != "f" for ws in wb for row in ws.iter_rows() for c in row)
    obs = wb["观测值"]
    head = [c.value for c in obs[1]]
    url_col = head.index("来源地址") + 1  # the planted row's source (its id is not in the Chinese workbook)
    rows = [r for r in range(2, obs.max_row + 1) if obs.cell(r, url_col).value == "http://x.example/a"]
    assert len(rows) == 1
    row = rows[0]
    col = {"series": "统计序列", "quote": "原文摘录", "note": "备注", "value_text": "公布文本", "source_title": "来源标题",
           "publisher": "发布者"}
    for field, label in col.items():
        cell = obs.cell(row, head.index(label) + 1)
        assert cell.data_type == "s" and cell.value == neutralised(PLANTED[field]), field
    value = obs.cell(row, head.index("数值") + 1)
    assert value.value == VALUE and value.data_type == "n"
    card = wb["记分卡"]
    texts = {c.value for row in card.iter_rows(min_row=2) for c in row}
    assert neutralised(HOSTILE[0]) in texts and neutralised(HOSTILE[2]) in texts
