"""Downloads: reports via zhizao.outputs.reports.build_report (404 while it is missing) and data files."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from zhizao.outputs.web.pages import downloads


@pytest.mark.parametrize("name", ["observations", "scorecard", "sources"])
def test_table_downloads(client, name):
    csv = client.get(f"/download/{name}?format=csv")
    assert csv.status_code == 200 and "attachment" in csv.headers["content-disposition"]
    df = pd.read_csv(io.BytesIO(csv.content), encoding="utf-8-sig")
    xlsx = pd.read_excel(io.BytesIO(client.get(f"/download/{name}?format=xlsx").content))
    js = client.get(f"/download/{name}?format=json").json()
    assert len(df) == len(xlsx) == len(js) > 0
    if name == "scorecard":
        assert len(df) == 20 and "status_label" in df.columns
    if name == "observations":
        assert {"series", "region", "value", "unit", "grade", "source_url"} <= set(df.columns)


def test_unknown_download_and_format(client):
    assert client.get("/download/secrets?format=csv").status_code == 404
    assert client.get("/download/observations?format=exe").status_code == 422


def test_report_is_404_with_a_clear_message_while_missing(client, monkeypatch):
    monkeypatch.setattr(downloads, "report_builder", lambda: None)
    r = client.get("/download/report?format=docx")
    assert r.status_code == 404 and "zhizao.outputs.reports.build_report" in r.text
    j = client.get("/downloads?format=json").json()
    assert j["reports"]["available"] is False and j["reports"]["message"]


def test_report_calls_build_report_when_present(client, monkeypatch):
    calls = []

    def build_report(result, observations, plan, formats, out_dir, lang):
        # the contract of zhizao.outputs.reports.build_report: files in out_dir, {format: path}
        calls.append({"formats": list(formats), "lang": lang, "indicators": len(result["indicators"]),
                      "observations": len(observations), "plan": plan.plan.id})
        path = out_dir / f"r.{formats[0]}"
        path.write_bytes(b"%PDF-fake" if formats[0] == "pdf" else b"<html>report</html>")
        return {formats[0]: path}

    monkeypatch.setattr(downloads, "report_builder", lambda: build_report)
    r = client.get("/download/report?format=pdf&year=2022")
    assert r.status_code == 200 and r.content == b"%PDF-fake" and r.headers["content-type"] == "application/pdf"
    assert calls[0]["formats"] == ["pdf"] and calls[0]["lang"] == "zh" and calls[0]["indicators"] == 20
    assert calls[0]["observations"] > 0 and calls[0]["plan"] == "chongqing-manufacturing-2021-2025"
    client.get("/download/report?format=pdf&year=2022")
    assert len(calls) == 1, "a second download of the same report is served from the cache"
    assert client.get("/download/report?format=exe").status_code == 422


def test_report_build_failure_is_explained(client, monkeypatch):
    def build_report(*a, **kw):
        raise RuntimeError("LibreOffice (soffice) is not installed")

    monkeypatch.setattr(downloads, "report_builder", lambda: build_report)
    r = client.get("/download/report?format=pdf&year=2021")
    assert r.status_code == 503 and "soffice" in r.text


def test_real_html_report_when_the_reports_module_is_installed(fresh_client):
    assert downloads.report_builder() is not None
    r = fresh_client.get("/download/report?format=html")
    assert r.status_code == 200, r.text[:300] and r.headers["content-type"].startswith("text/html")
    assert "attachment" in r.headers["content-disposition"] and len(r.content) > 1000


def test_downloads_page_links(client):
    html = client.get("/downloads").text
    for href in ("/download/report?format=docx", "/download/report?format=pdf", "/download/observations?format=xlsx",
                 "/download/scorecard?format=csv"):
        assert href in html
