"""Hostile text for the spreadsheet-export tests (formula injection, OWASP CSV-injection rule)."""
from __future__ import annotations

from pathlib import Path

import duckdb

HYPERLINK = '=HYPERLINK("http://x","y")'
HOSTILE = [HYPERLINK, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
# field -> the hostile text planted there (one observation and its source)
PLANTED = {"series": HOSTILE[0], "quote": HOSTILE[1], "note": HOSTILE[2], "value_text": HOSTILE[3],
           "source_title": HOSTILE[4], "publisher": HOSTILE[5]}
SOURCE_ID = "src_hostile"
VALUE = -5.0  # a negative number: must stay a number


def plant(db: Path) -> None:
    """Straight into an existing store (the importer is not under test here)."""
    con = duckdb.connect(str(db))
    try:
        con.execute("INSERT INTO sources VALUES (?, ?, ?, 'http://x.example/a', NULL, NULL, 'C')",
                    [SOURCE_ID, PLANTED["source_title"], PLANTED["publisher"]])
        con.execute(
            """INSERT INTO observations SELECT max(obs_id) + 1, ?, '500000', 'ALL', 'year', 2024, NULL, '2024', ?,
                      'exact', ?, '亿元', '亿元', 'current', 'final', DATE '2024-03-01', ?, ?, ?,
                      (SELECT min(batch_id) FROM batches), FALSE, 'level', NULL FROM observations""",
            [PLANTED["series"], VALUE, PLANTED["value_text"], SOURCE_ID, PLANTED["quote"], PLANTED["note"]])
    finally:
        con.close()


def neutralised(text: str) -> str:
    return "'" + text
