"""Edit history as changes, hand-built: created, a changed column, a withdrawn edit shown as withdrawn."""
from __future__ import annotations

import pandas as pd

from zhizao.analytics.delivery.history import changes
from zhizao.ingest.delivery_frames import HISTORY_COLUMNS


def version(frame, key, batch, recorded_at, values, *, kind="delivery_edit", actor="张三", withdrawn=False):
    return {"frame": frame, "key": key, "batch_id": batch, "kind": kind, "actor": actor, "recorded_at": recorded_at,
            "withdrawn": withdrawn, "values": values}


P1 = {"problem_id": "Q1", "district": "500101", "category": "land", "department": "economy_it",
      "raised": "2024-01-10", "deadline": "2024-02-10", "status": "open", "resolved": "", "resolution": ""}


def history():
    rows = [
        version("problems", "Q1", "b1", "2024-01-10T09:00:00", P1, kind="delivery", actor="import"),
        version("problems", "Q1", "b2", "2024-01-20T09:00:00", {**P1, "status": "in_progress"}),
        # withdrawn: recorded, then taken back; the next edit is compared with b2's version
        version("problems", "Q1", "b3", "2024-02-01T09:00:00",
                {**P1, "status": "resolved", "resolved": "2024-02-01", "resolution": "误报"}, withdrawn=True),
        version("problems", "Q1", "b4", "2024-02-05T09:00:00",
                {**P1, "status": "resolved", "resolved": "2024-02-05", "resolution": "已协调供地"}, actor="李四"),
        version("problems", "Q1", "b5", "2024-02-06T09:00:00", {**P1, "status": "resolved", "resolved": "2024-02-05",
                                                                 "resolution": "已协调供地"}),  # no change
        version("progress_reports", "R1", "b6", "2024-03-01T09:00:00",
                {"report_id": "R1", "item_id": "w1", "date": "2024-03-01", "completion": 40.0}),
        version("progress_reports", "R1", "b7", "2024-03-02T09:00:00",
                {"report_id": "R1", "item_id": "w1", "date": "2024-03-01", "completion": 40}),  # same number
    ]
    return pd.DataFrame(rows, columns=[*HISTORY_COLUMNS, "values"])


def test_created_then_changed_columns_newest_first():
    c = changes(history(), "problems", "Q1")
    assert c["batch_id"].tolist() == ["b4", "b4", "b4", "b3", "b3", "b3", "b2", "b1"]
    created = c.iloc[-1]
    assert (created["change"], created["column"], created["actor"], created["kind"]) == (
        "created", "", "import", "delivery")
    assert created["change_zh"] == "新增"
    b2 = c[c["batch_id"] == "b2"].iloc[0]
    assert (b2["column"], b2["before"], b2["after"], b2["change"]) == ("status", "open", "in_progress", "changed")
    assert (b2["column_zh"], b2["column_en"]) == ("办理状态", "status")


def test_a_withdrawn_edit_is_shown_as_withdrawn_and_skipped_as_a_baseline():
    c = changes(history(), "problems", "Q1")
    b3 = c[c["batch_id"] == "b3"]
    assert b3["withdrawn"].all() and set(b3["column"]) == {"status", "resolved", "resolution"}
    assert not c[c["batch_id"] != "b3"]["withdrawn"].any()
    b4 = c[c["batch_id"] == "b4"].set_index("column")
    # compared with b2 (in force when b4 was recorded), not with the withdrawn b3
    assert b4.loc["status", "before"] == "in_progress" and b4.loc["status", "after"] == "resolved"
    assert b4.loc["resolution", "before"] == "" and b4.loc["resolution", "after"] == "已协调供地"
    assert b4.loc["resolved", "actor"] == "李四"


def test_a_version_that_changes_nothing_gives_no_row_and_numbers_compare_by_value():
    h = history()
    assert "b5" not in set(changes(h)["batch_id"])
    r = changes(h, "progress_reports")
    assert r["batch_id"].tolist() == ["b6"] and r.iloc[0]["change"] == "created"


def test_filters_and_a_first_version_withdrawn():
    h = history()
    assert set(changes(h)["frame"]) == {"problems", "progress_reports"}
    assert changes(h, key="R1")["frame"].tolist() == ["progress_reports"]
    empty = changes(h, "projects")
    assert empty.empty and "before" in empty.columns
    # the first version withdrawn: the next one is the row's creation
    h2 = pd.DataFrame([version("projects", "P1", "x1", "2024-01-01", {"project_id": "P1", "name": "甲"}, withdrawn=True),
                       version("projects", "P1", "x2", "2024-01-02", {"project_id": "P1", "name": "乙"})],
                      columns=[*HISTORY_COLUMNS, "values"])
    c = changes(h2, "projects", "P1")
    assert c["change"].tolist() == ["created", "created"] and c["withdrawn"].tolist() == [False, True]
