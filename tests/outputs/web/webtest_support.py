"""Constants and helpers shared by the dashboard tests (a uniquely named module: the test folders
are not packages, so a second `conftest` import could resolve to another folder's file)."""
from __future__ import annotations

import socket
from pathlib import Path

from zhizao import api

REPO = Path(__file__).resolve().parents[3]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

GOOD_CSV = (
    "series,region,period,value,unit,source_url,grade,vintage,quote\n"
    "软件业务收入,500000,2024,3300,亿元,https://example.org/web-test/sw-2024,B,2025-01-20,全市软件业务收入3300亿元\n"
    "规上工业总产值,渝北区,2024,6000,亿元,https://example.org/web-test/yb-2024,C,2025-02-01,渝北区规上工业总产值6000亿元\n"
)
# Four problems: unknown region, non-numeric value, unknown series, year outside the plan window.
BAD_CSV = (
    "series,region,period,value,unit\n"
    "软件业务收入,火星区,2024,abc,亿元\n"
    "不存在的指标,500000,1990,12,亿元\n"
)
BAD_PROBLEMS = 4


def store_counts(db: Path) -> dict[str, int]:
    with api.open_store(db) as store:
        return store.counts()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
