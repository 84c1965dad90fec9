"""The monitoring commands as a reader meets them (issue 10, third wave): tables that fit 80 and 120
columns without cutting a number, words instead of codes, English names, the period range, the
default data folder and published sources cited by publisher and grade in words."""
from __future__ import annotations

import contextlib
import io
import json
import re
import sys

import pytest
from rich.cells import cell_len
from rich.console import Console

from zhizao.analytics.monitoring.refresh import STEPS
from zhizao.codes.regions import DISTRICTS, DISTRICTS_EN
from zhizao.outputs import cli, cli_monitoring
from zhizao.outputs.console import column_cells
from zhizao.synth import generate

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("reader") / "zhizao-synth"
    generate(400, 48, "2021-01", 0, anomalies="default").write(d)  # 2021-01 … 2024-12
    return d


def run(args, width, monkeypatch):
    """(exit status, the table console's text, stdout + stderr) of `zhizao ARGS` run as a user runs
    it (main(), with its one-line errors), in a terminal `width` columns wide (COLUMNS)."""
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setattr(sys, "argv", ["zhizao", *args])
    buf, out = io.StringIO(), io.StringIO()
    monkeypatch.setattr(cli_monitoring, "make_console",
                        lambda stderr=False: Console(file=buf, width=width, force_terminal=False, color_system=None))
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            cli.main()
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    return code, buf.getvalue(), out.getvalue() + buf.getvalue()


def column(text: str, index: int) -> str:
    """The text of one table column read down the table (folded cells joined), whitespace removed."""
    return "".join("".join(line.split("│")[index].split()) for line in text.splitlines()
                   if line.startswith("│") and line.count("│") > index)


def fits(text: str, width: int) -> None:
    assert max(cell_len(line) for line in text.splitlines()) <= width
    assert "…" not in text


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("by", ["district", "enterprise", "project", "industry", "city"])
def test_monitor_tables_fit_and_keep_numbers_whole(data, by, width, monkeypatch):
    code, text, _ = run(["monitor", "--data", str(data), "--by", by, "--period", "2024-06"], width, monkeypatch)
    assert code == 0, text
    fits(text, width)
    _, js, out = run(["monitor", "--data", str(data), "--by", by, "--period", "2024-06", "--format", "json"],
                     width, monkeypatch)
    rows = json.loads(out[out.index("["):])
    left = re.search(r"略去：(.*?)；", text)
    gone = set(left.group(1).split("、")) if left else set()
    # every number of a column that is shown is there whole (never "7,64…" nor folded over lines)
    for key in ("ytd", "pull_pp", "cumulative_investment", "gap_pp"):
        if rows and key in rows[0] and cli_monitoring._lab(key, "zh") not in gone:
            values = [r[key] for r in rows]
            # JSON rounds the last digit: -0.15 may have been -0.1500001 (printed -0.2)
            shown = [column_cells([v + d if v is not None else v for v in values], cli_monitoring._kind(key))
                     for d in (-1e-9, 1e-9)]
            for r, lo, hi in zip(rows, *shown):
                if r[key] is not None:
                    assert lo in text or hi in text, (key, r[key])
    if width == 80 and by in ("district", "enterprise"):
        assert left and "--format csv" in text  # what was left out is said, and how to see it


@pytest.mark.parametrize("by", ["district", "industry", "city", "enterprise"])
def test_monitor_columns_have_one_number_of_decimals(data, by, monkeypatch):
    """Growth, shares and contributions with one decimal each (13.0 over 9.3, 贡献率 0.0, not 0), pulls two;
    a level column all whole numbers or all with one decimal (never 8,206.8 among 7,647,151)."""
    _, text, _ = run(["monitor", "--data", str(data), "--by", by, "--period", "2024-06"], 200, monkeypatch)
    heads = [h.strip() for h in next(x for x in text.splitlines() if x.startswith("┃")).split("┃")[1:-1]]
    body = [[c.strip() for c in x.split("│")[1:-1]] for x in text.splitlines() if x.startswith("│")]
    assert body
    checked = 0
    for i, h in enumerate(heads):
        cells = [r[i] for r in body if r[i] not in ("", "—")]
        if h.endswith("%") or h.startswith("差距"):
            assert all(re.fullmatch(r"-?[\d,]+\.\d", c) for c in cells), (h, cells)
            checked += 1
        elif h.startswith("拉动"):  # pulls with two decimals, as in the monthly brief
            assert all(re.fullmatch(r"-?[\d,]+\.\d\d", c) for c in cells), (h, cells)
        elif "万元" in h:
            decimals = {len(c.split(".")[1]) if "." in c else 0 for c in cells}
            assert len(decimals) == 1 and decimals <= {0, 1}, (h, cells)
    assert checked >= 2


def test_monitor_at_120_columns_leaves_nothing_out(data, monkeypatch):
    _, text, _ = run(["monitor", "--data", str(data), "--period", "2024-06"], 120, monkeypatch)
    assert "略去" not in text and "上年比重%" in text and "拉动(百分点)" in text


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_warnings_fold_the_explanation_not_cut_it(data, width, lang, monkeypatch):
    code, text, _ = run(["warnings", "--data", str(data), "--lang", lang, "--limit", "12"], width, monkeypatch)
    assert code == 0, text
    fits(text, width)
    _, _, out = run(["warnings", "--data", str(data), "--lang", lang, "--format", "json"], width, monkeypatch)
    rows = json.loads(out)[:12]
    shown = column(text, 4)
    for r in rows:
        assert "".join(r[f"explanation_{lang}"].split()) in shown


def test_progress_shows_words_not_codes(data, monkeypatch):
    seen = []

    class Recorder:  # stands in for rich's Progress and keeps every description shown
        def __init__(self, *a, **k):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

        def add_task(self, description, **k):
            seen.append(description)
            return 0

        def update(self, task, advance=0, description=None):
            seen.append(description)

    monkeypatch.setattr(cli_monitoring, "Progress", Recorder)
    for lang in ("zh", "en"):
        seen.clear()
        code, text, _ = run(["warnings", "--data", str(data), "--lang", lang], 120, monkeypatch)
        assert code == 0, text
        assert len(seen) == len(STEPS) + 1
        for d in seen:
            assert d not in STEPS and "_" not in d, d
            assert bool(CJK.search(d)) == (lang == "zh"), d
    assert "企业产值与用电量背离" in "".join(cli_monitoring.step_title(s, "zh") for s in STEPS)


def test_synth_start_must_be_a_january(tmp_path, monkeypatch):
    for start in ("2019-02", "2019-12", "2019"):
        code, _, out = run(["synth", "--out", str(tmp_path / "s"), "--start", start, "--months", "13",
                            "--enterprises", "20"], 80, monkeypatch)
        assert code == 2 and "1月" in out and "2019-01" in out, out
        assert not (tmp_path / "s").exists()


def test_period_range_starts_at_the_first_ytd_growth(data, monkeypatch):
    # the data start in 2021-01: the first month with a year-to-date growth is 2022's 1–2月
    code, _, out = run(["monitor", "--data", str(data), "--period", "2021-05"], 80, monkeypatch)
    assert code == 2 and "2022-02—2024-12" in out and "内部错误" not in out, out
    code, _, out = run(["monitor", "--data", str(data), "--period", "2022-02", "--format", "json"], 80, monkeypatch)
    assert code == 0, out


@pytest.mark.parametrize("command", ["monitor", "warnings", "forecast"])
def test_monitoring_data_folder_from_the_environment(data, command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./zhizao-synth here
    monkeypatch.setenv("ZHIZAO_MONITORING_DATA", str(data))
    code, _, out = run([command, "--format", "json"], 80, monkeypatch)
    assert code == 0, out
    assert json.loads(out[out.index("["):])


def test_synth_writes_where_monitor_reads(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ZHIZAO_MONITORING_DATA", str(tmp_path / "here"))
    code, _, out = run(["synth", "--enterprises", "30", "--months", "13", "--start", "2023-01"], 80, monkeypatch)
    assert code == 0, out
    assert (tmp_path / "here" / "metadata.json").exists()


def test_english_names_industries_clusters_districts(data, monkeypatch):
    _, ind, _ = run(["monitor", "--data", str(data), "--by", "industry", "--lang", "en"], 120, monkeypatch)
    names = column(ind, 2)  # names fold over lines: read the column
    assert "ManufactureofAutomobiles" in names and "Division" not in ind and not CJK.search(names)
    _, clu, _ = run(["monitor", "--data", str(data), "--by", "cluster", "--lang", "en"], 120, monkeypatch)
    assert "Automotive" in clu and "automotive" not in clu
    _, dis, _ = run(["monitor", "--data", str(data), "--by", "district", "--lang", "en"], 120, monkeypatch)
    assert "JiangjinDistrict" in column(dis, 2) and not CJK.search(dis)
    _, zone, _ = run(["monitor", "--data", str(data), "--by", "zone", "--lang", "en"], 120, monkeypatch)
    assert "LiangjiangNewArea" in column(zone, 1) and "LIANGJIANG" not in zone
    _, _, out = run(["warnings", "--data", str(data), "--lang", "en", "--format", "json"], 120, monkeypatch)
    for w in json.loads(out):
        if w["subject_type"] in ("district", "zone", "industry", "cluster", "city"):
            text = w["explanation_en"]
            assert not CJK.search(text) and not re.search(r"\b500\d{3}\b", text), text
            assert "District District" not in text and "City Chongqing" not in text, text
    _, table, _ = run(["warnings", "--data", str(data), "--lang", "en", "--severity", "medium"], 120, monkeypatch)
    names = column(table, 3)
    assert any(re.sub(r"\s", "", n) in names for n in DISTRICTS_EN.values())
    assert not any(n in names for n in DISTRICTS.values())


def test_chinese_explanations_do_not_repeat_the_kind(data, monkeypatch):
    _, _, out = run(["warnings", "--data", str(data), "--format", "json"], 120, monkeypatch)
    text = "".join(w["explanation_zh"] for w in json.loads(out))
    assert "区县" not in text and "全市重庆市" not in text


@pytest.fixture()
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIZAO_DB", str(tmp_path / "s.duckdb"))  # a new store gets the bundled data
    monkeypatch.delenv("ZHIZAO_PLAN", raising=False)
    return tmp_path


def test_published_forecast_reads_in_the_readers_language(store, monkeypatch):
    code, zh, _ = run(["forecast", "--source", "published", "--period", "2024-09"], 80, monkeypatch)
    assert code == 0, zh
    assert "store:" not in zh and "published-rate model" not in zh and "公布增速模型" in zh
    refs = [line for line in zh.splitlines() if re.match(r"\s+\[\d+\]", line)]
    assert refs and all(re.search(r"政府网站原文|媒体|转载|未注明", r) for r in refs), refs
    assert not re.search(r"\d  [A-D] \[", zh)  # no bare grade letter next to the value
    code, en, _ = run(["forecast", "--source", "published", "--period", "2024-09", "--lang", "en"], 120, monkeypatch)
    assert code == 0, en
    assert "Database:" in en and "published-rate model: s × YTD growth" in en
    assert re.search(r"\[1\] .*(government's own site|media|reprinted)", en)
    assert "公布增速模型" not in en and "个百分点" not in en


def test_published_monitor_cites_sources_with_publisher_and_grade(store, monkeypatch):
    code, text, _ = run(["monitor", "--source", "published"], 120, monkeypatch)
    assert code == 0, text
    fits(text, 120)
    refs = [line for line in text.splitlines() if re.match(r"\s+\[\d+\]", line)]
    assert refs and all(" · " in r for r in refs)
    assert "来源等级" not in text  # the grade is said in words under the table, not as a letter column


def test_published_tables_in_words(store, monkeypatch):
    _, zh, _ = run(["monitor", "--source", "published", "--by", "city"], 120, monkeypatch)
    assert "最终" in zh and "final" not in zh
    _, en, _ = run(["monitor", "--source", "published", "--by", "city", "--lang", "en"], 120, monkeypatch)
    assert "overheated" in en and "red (" not in en  # one wording and colour for a light everywhere
    _, dis, _ = run(["monitor", "--source", "published", "--by", "district", "--lang", "en"], 120, monkeypatch)
    assert not CJK.search(column(dis, 1)) and "District" in column(dis, 1)
