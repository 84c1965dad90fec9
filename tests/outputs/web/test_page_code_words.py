"""No code words in the Chinese pages (issue 10): every page of the plan's dashboard, fetched in
Chinese, shows no code identifier (labels.code_words(): chain_real_growth, proxy, identity …) and
no raw float (6.92339) in its visible text. Both embedded plans."""
from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from zhizao import api, labels
from zhizao.outputs.web.app import create_app

SECOND = "chongqing-manufacturing-2023-2027"
RAW_FLOAT = re.compile(r"\d+\.\d{5,}")


class VisibleText(HTMLParser):
    """The text a reader sees: no script/style content, no attributes."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible(html: str) -> str:
    p = VisibleText()
    p.feed(html)
    return " ".join(p.parts)


def leaks(text: str) -> list[str]:
    words = [w for w in labels.code_words() if re.search(rf"(?<![A-Za-z_]){re.escape(w)}(?![A-Za-z_])", text)]
    return words + RAW_FLOAT.findall(text)


@pytest.fixture(scope="module")
def c(bundled_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("code-words") / "store.duckdb"
    shutil.copy(bundled_db, db)
    api.open_store(db, plan=api.resolve_plan(SECOND, db=db)).close()
    with TestClient(create_app(db=db, warm=False, allowed_hosts=["testserver"])) as client:
        yield client


def pages(c, base: str) -> list[str]:
    ids = [i["id"] for i in c.get(f"{base}/?format=json&lang=zh").json()["indicators"]]
    plan = c.get(f"{base}/plan?format=json&lang=zh").json()
    items = [f"{base}/plan/{k}/{x['id']}" for k, xs in (plan.get("sections") or {}).items()
             if isinstance(xs, list) for x in xs[:2] if isinstance(x, dict) and "id" in x]
    return [f"{base}/", f"{base}/completion", f"{base}/gaps", f"{base}/plan", f"{base}/data", f"{base}/downloads",
            "/plans", *(f"{base}/indicator/{i}" for i in ids), *items]


@pytest.mark.parametrize("base", ["", f"/p/{SECOND}"])
def test_chinese_pages_show_no_code_words_and_no_raw_floats(c, base):
    found = {}
    for path in pages(c, base):
        r = c.get(path, params={"lang": "zh"})
        assert r.status_code == 200, path
        bad = leaks(visible(r.text))
        if bad:
            found[path] = sorted(set(bad))
    assert found == {}


def test_the_scan_finds_a_code_word():
    assert leaks(visible("<p>换算 chain_real_growth</p><script>proxy</script>")) == ["chain_real_growth"]
    assert leaks(visible("<td>6.92339</td>")) == ["6.92339"]
