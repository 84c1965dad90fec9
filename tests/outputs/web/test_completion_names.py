"""Issue 10 w4 (A, B): one name per number. 完成率 = actual ÷ target (final.completion_pct, what a
终期评估 reports), 进度完成度 = (actual − baseline)/(target − baseline); every completion-like number on
/, /completion, the indicator page, the CLI scorecard and the report carries one of the two names
and the value of its own field. A qualified value's pace figures say they are at its cautious end."""
import re
import shutil

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from zhizao import api, formatting, labels
from zhizao.outputs.cli import app as cli_app
from zhizao.outputs.reports.content import _indicator_text, scorecard_header
from zhizao.outputs.web.app import create_app
from zhizao.outputs.web.charts import indicator_chart

RATE, CHANGE = labels.COMPLETION_RATE, labels.CHANGE_COMPLETION
P2 = "/p/chongqing-manufacturing-2023-2027"


def expected(ind: dict, lang: str) -> tuple[str, str]:
    """(name, text) the one figure of an indicator must show."""
    if ind.get("final") is not None:
        return RATE[lang == "en"], formatting.completion_rate(ind["final"]["completion_pct"])
    return CHANGE[lang == "en"], formatting.completion(ind["completion"], lang)


@pytest.mark.parametrize("year", [2024, 2025])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_cards_and_completion_table_name_their_number(client, bundled_db, year, lang):
    result = api.assess(db=bundled_db, year=year, lang=lang)
    by_id = {i["id"]: i for i in result["indicators"]}
    html = client.get(f"/?year={year}&lang={lang}").text
    seen = 0
    for iid, card in re.findall(r'data-indicator="(\w+)">(.*?)</a>', html, re.S):
        m = re.search(r'card-completion-label">([^<]*)</span> <span class="card-completion">([^<]*)<', card)
        if m is None:
            continue
        seen += 1
        assert (m.group(1), m.group(2).replace("&gt;", ">")) == expected(by_id[iid], lang), iid
    assert seen >= 5
    assert "完成度</" not in html.replace("进度完成度</", "")  # never the bare, ambiguous name
    table = client.get(f"/completion?year={year}&lang={lang}").text
    head = re.search(r"<thead>(.*?)</thead>", table, re.S).group(1)
    name = RATE[lang == "en"] if year == 2025 else CHANGE[lang == "en"]
    assert f"<th>{name}</th>" in head and "<th>完成度</th>" not in head
    for iid, cell in re.findall(r'<tr data-indicator="(\w+)">.*?completion-cell">([^<]*)', table, re.S):
        assert (name, cell.replace("&gt;", ">")) == expected(by_id[iid], lang), iid


def test_final_table_row_agrees_with_its_own_text(client):
    """Row by row the 完成率 column says what the 终期评估结论 says (不低于目标的86.7%, 完成104.8%)."""
    table = client.get("/completion?year=2025&lang=zh").text
    rows = re.findall(r'completion-cell">([^<]*)</td>.*?final-text">([^<]*)</td>', table, re.S)
    checked = [(v, text) for v, text in rows if v != "—" and re.search(r"\d%", text)]
    assert len(checked) >= 3
    for v, text in checked:
        assert v in text, (v, text)


def test_indicator_page_names_both_measures(client, bundled_db):
    for year in (2024, 2025):
        ind = next(i for i in api.assess(db=bundled_db, year=year)["indicators"] if i["id"] == "labour_productivity")
        html = client.get(f"/indicator/labour_productivity?year={year}&lang=zh").text
        name, text = expected(ind, "zh")
        assert re.search(rf'<th>{name}</th><td id="completion-value">{re.escape(text)}', html)
        if year == 2025:  # the other measure under its own name
            assert re.search(rf'<th>{CHANGE[0]}</th><td id="change-completion-value">'
                             rf'{re.escape(formatting.completion(ind["completion"], "zh"))}', html)


@pytest.mark.parametrize("year,name", [(2024, CHANGE[0]), (2025, RATE[0]), (2023, CHANGE[0])])
def test_cli_scorecard_column_name_and_values(bundled_db, year, name):
    out = CliRunner().invoke(cli_app, ["assess", "--db", str(bundled_db), "--year", str(year)],
                             env={"COLUMNS": "200"}).output
    head = next(line for line in out.splitlines() if "指标" in line and "实际" in line)
    assert name in head and "┃ 完成度" not in head
    result = api.assess(db=bundled_db, year=year)
    row = next(line for line in out.splitlines() if line.startswith("│ 规模以上工业产值"))
    assert expected(result["indicators"][0], "zh")[1] in row


def test_report_names_the_change_share():
    assert CHANGE[0] in scorecard_header("zh") and "完成度" not in [h for h in scorecard_header("zh")]


@pytest.fixture(scope="module")
def c2(bundled_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("names") / "store.duckdb"
    shutil.copy(bundled_db, db)
    api.open_store(db, plan=api.resolve_plan(P2.split("/")[-1], db=db)).close()
    with TestClient(create_app(db=db, warm=False, allowed_hosts=["testserver"])) as client:
        yield client, db


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_qualified_value_pace_figures_say_their_cautious_end(c2, lang):
    """约36 shown; 进度完成度 63.3% = (34.2 − 31.1)/(36 − 31.1) and 1.03个百分点/年 say they are at 34.2."""
    client, db = c2
    ind = client.get(f"{P2}/indicator/sei_va_share?year=2025&format=json&lang={lang}").json()["indicator"]
    assert ind["actual"] == 36 and ind["actual_assessed"] == pytest.approx(34.2)
    assert ind["completion"] == pytest.approx((34.2 - 31.1) / (36 - 31.1), rel=1e-3)
    note = labels.label("ui", "cautious_end_note", lang).format(value="34.2").replace("'", "&#39;")
    html = client.get(f"{P2}/indicator/sei_va_share?year=2025&lang={lang}").text
    comp = re.search(r'id="completion-value">(.*?)</td>', html, re.S).group(1)
    growth = re.search(r'id="observed-growth">(.*?)</td>', html, re.S).group(1)
    assert comp.startswith("63.3%") and note in comp
    pp = "1.03个百分点/年" if lang == "zh" else "1.03 percentage points a year"
    assert growth.startswith(pp) and note in growth and "%/年" not in html and "%/yr" not in html
    card = re.search(r'data-indicator="sei_va_share">(.*?)</a>',
                     client.get(f"{P2}/?year=2025&lang={lang}").text, re.S).group(1)
    assert "63.3%" in card and note in card
    table = client.get(f"{P2}/completion?year=2025&lang={lang}").text
    assert note in re.search(r'data-indicator="sei_va_share">.*?</tr>', table, re.S).group(0)
    plan = api.resolve_plan(P2.split("/")[-1], db=db)
    line = next(s for s in indicator_chart(ind, plan, lang)["series"] if s["data"] and len(s["data"]) == 2
                and s["type"] == "line" and s["data"][0][0] == "2025")
    assert line["data"][0][1] == pytest.approx(34.2) and "34.2" in line["name"]  # the legend says why it starts there
    assert "按区间保守端34.2计算" in _indicator_text(ind, "zh") if lang == "zh" else True
