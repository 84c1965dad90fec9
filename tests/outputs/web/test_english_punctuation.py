"""Issue 10 polish (P-en): the English pages use English punctuation. No ：（）、；，。 in the text
zhizao writes on /data, /gaps, /plan (and its search), the plan items of every kind, /districts,
/monitoring (city, subject, district), /downloads and /completion, for both embedded plans; the
plan's or a source's own words may keep theirs, in elements marked `verbatim` (and quotes)."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from zhizao.outputs.web.app import create_app
from zhizao.synth import generate

MARKS = re.compile(r"[：（）、；，。]")
SECOND = "/p/chongqing-manufacturing-2023-2027"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
QUOTED = {"script", "style", "blockquote"}  # a blockquote is a source's own words


class _Text(HTMLParser):
    """Text nodes outside `verbatim` elements, with their tag, where a Chinese mark occurs."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.hits: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, tag in QUOTED or "verbatim" in (dict(attrs).get("class") or "").split()))

    def handle_endtag(self, tag):
        for k in range(len(self.stack) - 1, -1, -1):
            if self.stack[k][0] == tag:
                del self.stack[k:]
                break

    def handle_data(self, data):
        if not any(v for _, v in self.stack) and MARKS.search(data):
            self.hits.append((self.stack[-1][0] if self.stack else "", data.strip()[:100]))


def chinese_marks(html: str) -> list[tuple[str, str]]:
    p = _Text()
    p.feed(html)
    return p.hits


@pytest.fixture(scope="module")
def mon_client(bundled_db, tmp_path_factory):
    data = tmp_path_factory.mktemp("punct-synth") / "data"
    generate(120, 14, "2023-01", seed=3).write(data)
    app = create_app(db=bundled_db, monitoring_data=data, warm=False, allowed_hosts=["testserver"])
    with TestClient(app) as c:
        yield c


def _first_per_kind(html: str, pattern: str) -> list[str]:
    seen: dict[str, str] = {}
    for url, kind in re.findall(pattern, html):
        seen.setdefault(kind, url.replace("&amp;", "&"))
    return list(seen.values())


def _en(client, url: str) -> str:
    r = client.get(url + ("&" if "?" in url else "?") + "lang=en")
    assert r.status_code == 200, url
    return r.text


def test_detector_finds_the_marks_outside_verbatim():
    assert chinese_marks('<p>Cluster：<span class="verbatim">汽车、电子</span></p>') == [("p", "Cluster：")]
    assert chinese_marks('<p>Cluster: <span class="verbatim">汽车、电子</span><br>ok</p>') == []


@pytest.mark.parametrize("pre", ["", SECOND])
def test_english_pages_use_english_punctuation(client, pre):
    urls = [f"{pre}/{p}" for p in ("data", "gaps", "plan", "plan?q=%E6%B1%BD%E8%BD%A6", "districts", "downloads",
                                     "completion")]
    urls += _first_per_kind(_en(client, f"{pre}/plan"), r'href="([^"?#]*/plan/(\w+)/[^"?#]+)"')
    assert len(urls) >= 8
    bad = {u: h[:3] for u in urls if (h := chinese_marks(_en(client, u)))}
    assert bad == {}


def test_english_monitoring_pages_use_english_punctuation(mon_client):
    urls = ["/monitoring"]
    urls += _first_per_kind(_en(mon_client, "/monitoring"), r'href="([^"#]*/monitoring/(subject|district)/[^"#]+)"')
    assert len(urls) >= 2, urls
    bad = {u: h[:3] for u in urls if (h := chinese_marks(_en(mon_client, u)))}
    assert bad == {}
