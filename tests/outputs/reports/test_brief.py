"""The monthly brief (zhizao brief): DOCX and HTML from a small synthetic folder made here; its
numbers are the refresh's, it says the data are synthetic, and it is reproducible."""
from __future__ import annotations

import re
import zipfile
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from zhizao.analytics.monitoring.forecast import forecast_year
from zhizao.analytics.monitoring.refresh import refresh
from zhizao.outputs.cli_monitoring import load_monitoring_inputs
from zhizao.outputs.reports.brief import build_brief, g1, pp2
from zhizao.settings import Settings
from zhizao.synth import generate

PERIOD = "2024-06"
LABEL_ZH = "合成数据（演示用，非真实企业）"
LABEL_EN = "Synthetic data (demo, not real enterprises)"
SECTIONS_ZH = ("一、总体运行", "二、分区县", "三、分行业", "四、预警提示", "五、重点企业（风险企业）", "六、数据说明")
ANOMALIES = {"sharp_fall": 0.03, "consecutive_decline": 0.02, "stopped_reporting": 0.02,
             "output_power_divergence": 0.02, "district_shock": 1.0, "industry_shift": 0.5}


@pytest.fixture(scope="module")
def brief(tmp_path_factory, fonts):
    data = tmp_path_factory.mktemp("brief-synth") / "data"
    generate(300, 36, "2022-01", seed=2, anomalies=ANOMALIES).write(data)
    out = tmp_path_factory.mktemp("brief-1")
    paths = build_brief(data, period=PERIOD, formats=("docx", "html"), out_dir=out, lang="zh")
    inputs = load_monitoring_inputs(data)
    result = refresh(inputs.enterprises, inputs.monthly, inputs.prices, period=PERIOD)
    s = Settings()
    fc = forecast_year(result.city_path[["year", "month", "value"]], *result.period,
                       alpha=float(s["forecast_alpha"]), n_sim=int(s["forecast_simulations"]))
    return SimpleNamespace(data=data, out=out, paths=paths, result=result, forecast=fc,
                           html=unescape(paths["html"].read_text(encoding="utf-8")),
                           xml=_part(paths["docx"], "word/document.xml").decode("utf-8"))


def _part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def _rows(html: str, key: str) -> list[list[str]]:
    """Cells of the table with id tbl-KEY (tags stripped)."""
    m = re.search(rf'<table id="tbl-{re.escape(key)}"[^>]*>(.*?)</table>', html, re.S)
    assert m, key
    body = m.group(1).split("<tbody>")[1]
    return [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
            for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_both_formats_with_every_section(brief):
    assert brief.paths["html"].name == "zhizao-brief-2024-06-zh.html"
    assert brief.paths["docx"].name == "zhizao-brief-2024-06-zh.docx"
    for title in SECTIONS_ZH:
        assert title in brief.html and title in brief.xml
    assert brief.html.count("data:image/png;base64,") >= 3  # city path, district and cluster pulls
    assert "<script" not in brief.html and "http" not in brief.html.split("<body>")[1]


def test_says_synthetic_in_both_formats(brief):
    assert LABEL_ZH in brief.html and LABEL_ZH in brief.xml
    assert brief.html.index(LABEL_ZH) < brief.html.index("一、总体运行")  # on the title page already


def test_overall_numbers_are_the_refresh_and_forecast(brief):
    r = brief.result
    city = r.growth[r.growth["subject_type"] == "city"].iloc[0]
    assert f"累计增长{g1(city['ytd_growth_pct'])}" in brief.html
    assert f"当期增长{g1(city['month_growth_pct'])}" in brief.html
    fc = brief.forecast
    assert f"预测全年增长{g1(fc['growth_pct'])}（90%预测区间{g1(fc['growth_lo'])}—{g1(fc['growth_hi'])}）" in brief.html
    path = r.city_path[(r.city_path["year"] == 2024) & (r.city_path["month"] <= 6)]
    rows = _rows(brief.html, "city_path")
    assert [row[1] for row in rows] == [g1(v) for v in path["ytd_growth_pct"]]


def test_district_and_industry_tables_are_the_refresh(brief):
    c = brief.result.contributions
    for key, st in (("districts", "district"), ("clusters", "cluster"), ("divisions", "industry")):
        part = c[c["subject_type"] == st].sort_values(["rank", "subject_id"])
        rows = _rows(brief.html, key)
        assert len(rows) == len(part)
        assert [row[0] for row in rows] == [str(int(x)) for x in part["rank"]]
        if key == "districts":  # rank, name, ytd, growth, pull, contribution, light, warnings
            assert [row[4] for row in rows] == [pp2(v) for v in part["pull_pp"]]
            assert [row[3] for row in rows] == [g1(v) for v in part["growth_pct"]]
            assert [row[5] for row in rows] == [g1(v) for v in part["contribution_pct"]]
        else:  # rank, name, ytd, growth, share, contribution, pull, light
            assert [row[6] for row in rows] == [pp2(v) for v in part["pull_pp"]]
            assert [row[5] for row in rows] == [g1(v) for v in part["contribution_pct"]]


def test_warnings_by_severity_and_risk_enterprises(brief):
    w = brief.result.warnings
    n = {s: int((w["severity"] == s).sum()) for s in ("high", "medium", "low")}
    assert f"本期共{len(w)}条预警：高级别{n['high']}条、中级别{n['medium']}条、低级别{n['low']}条。" in brief.html
    for sev in ("high", "medium"):
        if n[sev]:
            assert len(_rows(brief.html, f"warnings-{sev}")) == n[sev]
    codes = set(w.loc[w["subject_type"] == "enterprise", "subject_id"])
    assert codes
    listed = {row[0] for row in _rows(brief.html, "enterprises")}
    assert listed == codes


def test_reproducible(brief, tmp_path):
    again = build_brief(brief.data, period=PERIOD, formats=("docx", "html"), out_dir=tmp_path, lang="zh")
    assert again["html"].read_bytes() == brief.paths["html"].read_bytes()
    assert _part(again["docx"], "word/document.xml") == _part(brief.paths["docx"], "word/document.xml")
    assert again["docx"].read_bytes() == brief.paths["docx"].read_bytes()


def test_cli_english_and_errors(brief, tmp_path):
    from zhizao.outputs.cli import app

    runner = CliRunner()
    r = runner.invoke(app, ["brief", "--data", str(brief.data), "--period", PERIOD, "--format", "html",
                            "--lang", "en", "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    html = unescape((tmp_path / "zhizao-brief-2024-06-en.html").read_text(encoding="utf-8"))
    assert LABEL_EN in html and "1. Overall" in html and "6. About the data" in html
    r = runner.invoke(app, ["brief", "--data", str(tmp_path / "nothing"), "--out", str(tmp_path)])
    assert r.exit_code == 2 and "zhizao synth --out" in r.output
    r = runner.invoke(app, ["brief", "--data", str(brief.data), "--period", "2022-05", "--out", str(tmp_path)])
    assert r.exit_code == 2 and "超出数据范围" in r.output
    r = runner.invoke(app, ["brief", "--data", str(brief.data), "--format", "pdf", "--out", str(tmp_path)])
    assert r.exit_code == 2 and "pdf" in r.output and "docx、html" in r.output  # names the allowed formats


@pytest.mark.parametrize("period", ["2030-01", "2024/13"])
def test_bad_period_is_told_in_the_readers_language(brief, tmp_path, period):
    """A period outside the data (or not a period) exits 2 with a Chinese message naming the range or
    the form; English with --lang en; nothing written (issue 10: the detail came in English)."""
    from zhizao.outputs.cli import app

    runner = CliRunner()
    r = runner.invoke(app, ["brief", "--data", str(brief.data), "--period", period, "--out", str(tmp_path)])
    msg = " ".join(r.output.split())
    assert r.exit_code == 2 and "Traceback" not in msg
    assert re.findall(r"[A-Za-z]{3,}", msg) in (["period"], ["YYYY"]), msg  # the option or the form only
    assert re.search(r"\d{4}-\d{2}—\d{4}-\d{2}", msg) if period == "2030-01" else ("YYYY-MM" in msg)
    r = runner.invoke(app, ["brief", "--data", str(brief.data), "--period", period, "--lang", "en",
                            "--out", str(tmp_path)])
    assert r.exit_code == 2 and ("period must be between" in r.output if period == "2030-01" else "YYYY-MM" in r.output)
    assert not list(tmp_path.iterdir())


def test_december_brief_forecasts_next_year(brief, tmp_path):
    """December: the year's growth is the actual; the brief forecasts the next year instead (issue 10)."""
    paths = build_brief(brief.data, period="2024-12", formats=("html",), out_dir=tmp_path, lang="zh")
    text = re.sub(r"<[^>]+>", "", unescape(paths["html"].read_text(encoding="utf-8")))
    assert "全年已结束" in text and re.search(r"预测2025年增长-?\d+(\.\d)?%（90%预测区间", text)
    assert "预测全年增长" not in text


def test_largest_drags_come_first(brief):
    """负拉动较大的 lists the divisions by the size of their drag (-0.58 before -0.18 before -0.06)."""
    m = re.search(r"负拉动较大的：(.*?)。", brief.html)
    assert m, "the brief names no drags"
    pulls = [float(x) for x in re.findall(r"（(-[\d.]+)个百分点）", m.group(1))]
    assert len(pulls) >= 2 and pulls == sorted(pulls)
    div = brief.result.contributions
    worst = sorted(div[(div["subject_type"] == "industry") & (div["pull_pp"] < 0)]["pull_pp"])[:len(pulls)]
    assert pulls == [float(pp2(v)) for v in worst]


def test_brief_numbers_are_zhizao_formatting():
    from zhizao import formatting
    from zhizao.outputs.reports.brief import pp1, wan, yi

    assert g1(8.0) == formatting.percent(8.0) and g1(-0.04) == "0%" and g1(None) == formatting.MISSING
    assert pp2(-0.001) == "0" and pp2(0.4) == formatting.number(0.4, 2)
    assert pp1(float("nan")) == formatting.MISSING
    assert yi(43888123.4) == "4,388.81" and wan(26833.86) == "26,834"
