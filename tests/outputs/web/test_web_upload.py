"""Browser upload without a browser: same checks as the CLI, all or nothing, every problem shown."""
from __future__ import annotations

import io

import openpyxl

from webtest_support import BAD_CSV, BAD_PROBLEMS, GOOD_CSV, csrf_headers, store_counts


def _post(client, name: str, content: bytes, fmt: str = "json"):
    return client.post(f"/data/upload?format={fmt}", files={"file": (name, content, "application/octet-stream")},
                       headers=csrf_headers(client))


def test_valid_csv_is_imported(fresh_client):
    before = store_counts(fresh_client.db)
    r = _post(fresh_client, "good.csv", GOOD_CSV.encode("utf-8"))
    assert r.status_code == 200, r.text
    up = r.json()["upload"]
    assert up["ok"] and up["file"] == "good.csv" and up["summary"]["observations"] == 2
    after = store_counts(fresh_client.db)
    assert after["observations"] == before["observations"] + 2
    assert after["batches"] == before["batches"] + 1
    # the pages see the new data at once (the cache follows the file)
    j = fresh_client.get("/data?q=web-test&format=json").json()
    assert j["counts"]["observations"] == after["observations"]


def test_bad_csv_lists_every_problem_and_changes_nothing(fresh_client):
    before = store_counts(fresh_client.db)
    r = _post(fresh_client, "bad.csv", BAD_CSV.encode("utf-8"))
    assert r.status_code == 422
    up = r.json()["upload"]
    assert up["ok"] is False and len(up["problems"]) == BAD_PROBLEMS
    for p in up["problems"]:
        assert p["file"] == "bad.csv" and p["code"] and p["message"]
    assert {p["column"] for p in up["problems"]} == {"region", "value", "series", "period"}
    assert store_counts(fresh_client.db) == before


def test_problems_table_in_html_and_english(fresh_client):
    r = _post(fresh_client, "bad.csv", BAD_CSV.encode("utf-8"), fmt="html")
    assert r.status_code == 200  # the page explaining the refusal is an ordinary page
    assert 'id="problems"' in r.text and r.text.count('<td class="p-code"') == BAD_PROBLEMS and "数据库未改变" in r.text
    r = fresh_client.post("/data/upload?lang=en&format=json", files={"file": ("bad.csv", BAD_CSV.encode())},
                          headers=csrf_headers(fresh_client))
    messages = [p["message"] for p in r.json()["upload"]["problems"]]
    assert len(messages) == BAD_PROBLEMS and all(m.startswith("Row ") for m in messages)
    assert any("is not a number" in m for m in messages)


def test_gbk_csv_and_xlsx_are_accepted(fresh_client):
    r = _post(fresh_client, "gbk.csv", GOOD_CSV.encode("gb18030"))
    assert r.json()["upload"]["ok"], r.json()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["series", "period", "value", "unit", "source_url", "grade", "vintage"])
    ws.append(["软件业务收入", "2024", 3350, "亿元", "https://example.org/web-test/xlsx", "B", "2025-03-01"])
    buf = io.BytesIO()
    wb.save(buf)
    r = _post(fresh_client, "data.xlsx", buf.getvalue())
    assert r.status_code == 200 and r.json()["upload"]["summary"]["observations"] == 1


def test_same_file_twice_is_refused_the_second_time(fresh_client):
    assert _post(fresh_client, "good.csv", GOOD_CSV.encode()).status_code == 200
    before = store_counts(fresh_client.db)
    r = _post(fresh_client, "good.csv", GOOD_CSV.encode())
    assert r.status_code == 422
    assert {p["code"] for p in r.json()["upload"]["problems"]} == {"already_in_store"}
    assert store_counts(fresh_client.db) == before


def test_unsupported_and_unreadable_files(fresh_client):
    before = store_counts(fresh_client.db)
    r = _post(fresh_client, "notes.txt", b"hello")
    assert r.status_code == 422 and r.json()["upload"]["problems"][0]["code"] == "unsupported_file"
    r = _post(fresh_client, "broken.xlsx", b"not a workbook")
    assert r.status_code == 422 and r.json()["upload"]["problems"][0]["code"] == "unreadable_file"
    r = _post(fresh_client, "../../etc/evil.csv", b"series,period,value,unit\n")
    assert r.json()["upload"]["file"] == "evil.csv"
    assert store_counts(fresh_client.db) == before
