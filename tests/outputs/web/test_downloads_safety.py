"""Dashboard downloads: formula injection neutralised in CSV and XLSX, files built once per store state."""
from __future__ import annotations

import csv
import gc
import io
import json
import os
import sys
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/outputs: the shared hostile texts
from hostile_support import HOSTILE, PLANTED, SOURCE_ID, VALUE, neutralised, plant  # noqa: E402

from zhizao.outputs.web.app import create_app  # noqa: E402
from zhizao.outputs.web.pages import downloads  # noqa: E402

# column of each planted field in each table
COLUMNS = {"observations": {f: f for f in PLANTED}, "sources": {"source_title": "title", "publisher": "publisher"}}


@pytest.fixture(scope="module")
def hostile_client(bundled_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("hostile-web") / "h.duckdb"
    db.write_bytes(bundled_db.read_bytes())
    plant(db)
    with TestClient(create_app(db=db, warm=False, allowed_hosts=["testserver"])) as c:
        yield c


def _csv(r) -> list[dict]:
    assert r.status_code == 200 and r.content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))


def _xlsx(r) -> tuple[list, list]:
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows())
    return [c.value for c in rows[0]], rows[1:]


@pytest.mark.parametrize("name", ["observations", "sources"])
def test_csv_download_neutralises_text(hostile_client, name):
    rows = [r for r in _csv(hostile_client.get(f"/download/{name}?format=csv")) if r["source_id"] == SOURCE_ID]
    assert len(rows) == 1
    for field, col in COLUMNS[name].items():
        assert rows[0][col] == neutralised(PLANTED[field]), col
    if name == "observations":
        assert float(rows[0]["value"]) == VALUE and rows[0]["value"] == "-5.0"


@pytest.mark.parametrize("name", ["observations", "sources"])
def test_xlsx_download_has_string_cells_not_formulas(hostile_client, name):
    head, rows = _xlsx(hostile_client.get(f"/download/{name}?format=xlsx"))
    assert all(c.data_type != "f" for row in rows for c in row)
    mine = [row for row in rows if row[head.index("source_id")].value == SOURCE_ID]
    assert len(mine) == 1
    for field, col in COLUMNS[name].items():
        cell = mine[0][head.index(col)]
        assert cell.data_type == "s" and cell.value == neutralised(PLANTED[field]), col
    if name == "observations":
        value = mine[0][head.index("value")]
        assert value.data_type == "n" and value.value == VALUE
    numbers = [c for row in rows for c in row if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)]
    assert numbers and all(c.data_type == "n" for c in numbers)


def test_json_download_is_not_neutralised(hostile_client):
    js = hostile_client.get("/download/observations?format=json").json()
    mine = [o for o in js if o["source_id"] == SOURCE_ID]
    assert mine[0]["series"] == PLANTED["series"] and mine[0]["value"] == VALUE


def test_scorecard_downloads_neutralise_text(hostile_client, monkeypatch):
    real = downloads.table
    monkeypatch.setattr(downloads, "table", lambda ctx, name: real(ctx, name).assign(reason=HOSTILE[0], name=HOSTILE[4]))
    # a language of its own, so that the cached scorecard files of other tests are not reused
    rows = _csv(hostile_client.get("/download/scorecard?format=csv&lang=en"))
    assert {r["reason"] for r in rows} == {neutralised(HOSTILE[0])} and {r["name"] for r in rows} == {neutralised(HOSTILE[4])}
    head, xrows = _xlsx(hostile_client.get("/download/scorecard?format=xlsx&lang=en"))
    assert {row[head.index("reason")].value for row in xrows} == {neutralised(HOSTILE[0])}
    assert all(c.data_type != "f" for row in xrows for c in row)


def test_table_files_are_built_once_per_store_state(fresh_db, monkeypatch):
    calls = []
    real = downloads.table_file
    monkeypatch.setattr(downloads, "table_file", lambda df, name, fmt: calls.append((name, fmt)) or real(df, name, fmt))
    with TestClient(create_app(db=fresh_db, warm=False, allowed_hosts=["testserver"])) as c:
        first = c.get("/download/observations?format=xlsx")
        second = c.get("/download/observations?format=xlsx")
        assert first.status_code == second.status_code == 200 and first.content == second.content
        assert int(second.headers["content-length"]) == len(second.content)
        assert 'filename="zhizao-observations.xlsx"' in second.headers["content-disposition"]
        assert calls == [("observations", "xlsx")]
        c.get("/download/observations?format=csv")
        assert calls == [("observations", "xlsx"), ("observations", "csv")]
        plant(fresh_db)  # the store changed: the next download is built again and holds the new row
        head, rows = _xlsx(c.get("/download/observations?format=xlsx"))
        assert calls[-1] == ("observations", "xlsx") and len(calls) == 3
        assert SOURCE_ID in {row[head.index("source_id")].value for row in rows}


def test_a_dropped_table_file_is_removed():
    f = downloads.table_file(pd.DataFrame({"a": [1]}), "t", "json")
    path = f.path
    assert json.loads(Path(path).read_text()) == [{"a": 1}]
    del f
    gc.collect()
    assert not os.path.exists(path)
