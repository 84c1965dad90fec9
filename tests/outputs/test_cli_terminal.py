"""The terminal for a reader at 80 and 120 columns (issue 10, third wave): tables whose words and
numbers are never split, names first, sources in words with the address last, help without "…",
and bad input as one Chinese line with exit status 2."""
from __future__ import annotations

import io
import re

import pytest
from rich.cells import cell_len
from rich.console import Console

from tests.outputs.cli_support import run_main
from zhizao import api
from zhizao.outputs import cli, console as term


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("term") / "s.duckdb"
    api.assess(db=path)  # a store with the bundled data
    return path


def _run(args, capsys, monkeypatch, width):
    out = io.StringIO()
    monkeypatch.setattr(cli, "console", Console(file=out, width=width, force_terminal=False, color_system=None))
    code, stdout, stderr = run_main(args, capsys, monkeypatch)
    return code, out.getvalue() + stdout, stderr


def _cells(text: str) -> list[list[str]]:
    """Table body rows as lists of cell texts, one per printed line."""
    return [[c.strip() for c in line.split("│")[1:-1]] for line in text.splitlines() if line.startswith("│")]


def test_wrap_never_splits_a_number_or_a_word():
    assert term.wrap("22,655 (2020)", 8) == ["22,655", "(2020)"]
    assert term.wrap("Overall level of informatization", 16) == ["Overall level of", "informatization"]
    assert term.wrap("★ 规模以上工业产值", 6)[0] == "★ 规模"  # the star stays with the name
    assert all(cell_len(x) <= 10 for x in term.wrap("规模以上工业企业每亿元营业收入有效发明专利数", 10))


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_scorecard_names_whole_words_at_80_and_120(db, capsys, monkeypatch, width, lang):
    code, text, _ = _run(["assess", "--db", str(db), "--year", "2024", "--lang", lang], capsys, monkeypatch, width)
    assert code == 0
    table = text[:text.rindex("└")]
    assert "…" not in table and max(cell_len(x) for x in text.splitlines()) <= width
    first = " ".join(r[0] for r in _cells(table) if r and r[0])
    result = api.assess(db=db, year=2024, lang=lang)
    for ind in result["indicators"]:
        name = (ind["name_en"] or ind["name"]) if lang == "en" else ind["name"]
        flat = first if lang == "en" else first.replace(" ", "")
        assert (name if lang == "en" else name.replace(" ", "")) in flat, name
    if lang == "en":  # folded between words: no line of the first column ends inside a word of a name
        words = {w for i in result["indicators"] for w in (i["name_en"] or "").split()}
        for r in _cells(table):
            last = r[0].split()[-1] if r and r[0].split() else ""
            assert not last or last in words or last == "★", last


@pytest.mark.parametrize("width", [80, 120])
def test_chinese_reason_bullets_keep_their_text_on_the_bullet_line(db, capsys, monkeypatch, width):
    code, text, _ = _run(["assess", "--db", str(db), "--year", "2024"], capsys, monkeypatch, width)
    assert code == 0
    bullets = [line for line in text.splitlines() if line.lstrip().startswith("·")]
    assert bullets and all(len(line.strip()) > 3 for line in bullets)
    assert not any(line.strip() == "★" for line in text.splitlines())


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("args", [["plan", "show"], ["plan", "show", "--lang", "en"], ["data", "list"],
                                  ["data", "sources"], ["plan", "show", "--plan", "chongqing-manufacturing-2023-2027"],
                                  ["plan", "draft"], ["plan", "draft", "--lang", "en"]])
def test_tables_fit_and_keep_numbers_whole(db, capsys, monkeypatch, width, args):
    code, text, _ = _run([*args, "--db", str(db)], capsys, monkeypatch, width)
    assert code == 0, text
    assert max(cell_len(x) for x in text.splitlines()) <= width
    rows = _cells(text)
    assert rows
    for r in rows:  # a number never ends a line of a cell while its next digits start the next
        for c in r:
            assert not re.search(r"\d,$|\d,\d{0,2}$", c), c
    assert "not_applicable" not in text and "industrial_output_above_scale" not in text
    if "en" in args:  # English tables: units in English, no 个百分点 (notes under the table come from analytics)
        table = text[:text.rindex("┘")]
        assert "个百分点" not in table and "亿元" not in table
    if args[:2] == ["plan", "show"]:
        assert "22,6" not in {c for r in rows for c in r} and "(202" not in {c for r in rows for c in r}


def test_plan_show_names_first_ids_on_request_and_cluster_names(db, capsys, monkeypatch):
    _, text, _ = _run(["plan", "show", "--db", str(db)], capsys, monkeypatch, 120)
    assert _cells(text)[0][0] != "" and "sei_output_share" not in text and "不涉及" in text
    _, text, _ = _run(["plan", "show", "--db", str(db), "--ids"], capsys, monkeypatch, 200)
    assert "sei_output_share" in text
    _, text, _ = _run(["plan", "show", "--db", str(db), "--section", "industries"], capsys, monkeypatch, 200)
    plan = api.resolve_plan(None, db)
    assert all(c.id not in {x for r in _cells(text) for x in r} for c in plan.clusters)
    assert any(c.name in text for c in plan.clusters)


def test_plan_show_in_english_has_no_chinese_units_or_points(db, capsys, monkeypatch):
    _, text, _ = _run(["plan", "show", "--db", str(db), "--lang", "en"], capsys, monkeypatch, 120)
    body = text[text.index("┏"):text.rindex("┘")]
    assert not re.search(r"[\u4e00-\u9fff]", body), [x for x in body.splitlines() if re.search(r"[\u4e00-\u9fff]", x)][:3]
    assert "pp a year" in body


def test_data_list_is_limited_and_sources_are_in_words(db, capsys, monkeypatch):
    total = len(api.observations(db))
    _, text, _ = _run(["data", "list", "--db", str(db)], capsys, monkeypatch, 80)
    assert f"共 {total} 条，显示前 50 条" in text and "--limit 0" in text
    assert len(text.splitlines()) < 1200
    assert "政府网站原文" in text or "主流或官方媒体" in text  # grades in words, under the table
    table = text[:text.rindex("┘")]
    assert "http" not in table  # addresses are listed under the table, not squeezed into a column


def test_data_sources_one_row_per_address_address_last(db, capsys, monkeypatch):
    _, text, _ = _run(["data", "sources", "--db", str(db)], capsys, monkeypatch, 120)
    src = api.sources(db)
    tail = text[text.rindex("┘"):]
    numbered = [line for line in tail.splitlines() if line.strip().startswith("[")]
    assert len(src) > src["url"].nunique()  # the store holds the same address more than once
    assert len(numbered) == src["url"].dropna().nunique()  # listed once each
    flat = "".join(x.strip() for x in tail.splitlines())
    assert all(u in flat for u in src["url"].dropna())
    assert "src_" not in text
    assert re.search(r"\bA 政府网站原文", text)


@pytest.mark.parametrize("args", [["--help"], ["plan", "show", "--help"], ["data", "list", "--help"],
                                  ["data", "--help"], ["assess", "--help"], ["monitor", "--help"],
                                  ["warnings", "--help"], ["serve", "--help"]])
def test_help_at_80_columns_is_not_cut_and_is_bilingual(capsys, monkeypatch, args):
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("TERMINAL_WIDTH", "80")
    from typer import rich_utils

    monkeypatch.setattr(rich_utils, "MAX_WIDTH", 80)
    code, out, _ = run_main(args, capsys, monkeypatch)
    assert code == 0
    assert not [line for line in out.splitlines() if line.rstrip(" │").endswith("…")]
    assert "Show this message and exit" not in out and "显示本帮助并退出" in out


@pytest.mark.parametrize("args", [["--help"], ["synth", "--help"], ["assess", "--help"]])
def test_help_shows_no_value_hint_on_flags(capsys, monkeypatch, args):
    """A flag takes no value: no `<bool>` after --help, --version, --no-anomalies; options with a value
    keep theirs (<zh|en>)."""
    monkeypatch.setenv("COLUMNS", "100")
    code, out, _ = run_main(args, capsys, monkeypatch)
    assert code == 0
    assert "<bool>" not in out and "--help" in out
    assert re.search(r"--(lang|version)", out)
    if args[0] == "synth":
        assert "<zh|en>" in out


@pytest.mark.parametrize("args, words", [
    (["serve", "--port", "99999"], ["--port", "1—65535"]),
    (["assess", "-s", "on_track_ratio=abc"], ["on_track_ratio", "数字"]),
    (["assess", "-s", "foo=1"], ["foo", "zhizao settings"]),
    (["assess", "-s", "on_track_ratio=2"], ["on_track_ratio", "0.5—1.5"]),
    (["data", "import", "/tmp/zhizao-nonexist.csv"], ["文件不存在：/tmp/zhizao-nonexist.csv"]),
])
def test_bad_input_is_one_chinese_line_exit_2(db, capsys, monkeypatch, args, words):
    code, out, err = run_main([*args, *(["--db", str(db)] if args[0] != "serve" else [])], capsys, monkeypatch)
    assert code == 2
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    assert all(w in lines[0] for w in words), lines[0]
    assert re.search(r"[\u4e00-\u9fff]", lines[0]) and not re.search(r"could not convert|does not exist|unknown setting",
                                                                      lines[0])


def test_as_of_header_in_chinese(db, capsys, monkeypatch):
    _, text, _ = _run(["assess", "--db", str(db), "--as-of", "2024-06-30"], capsys, monkeypatch, 120)
    assert "按 2024-06-30 已知数据" in text and "as of" not in text


def test_columns_env_sets_the_width_of_a_pipe(monkeypatch):
    monkeypatch.setenv("COLUMNS", "90")
    assert term.make_console().width == 90
    monkeypatch.delenv("COLUMNS")
    assert term.make_console().width == 200


# --- fourth wave (issue 10): the terminal's last leftovers ----------------------------------------
@pytest.mark.parametrize("width", [80, 120])
def test_data_sources_give_the_title_the_width_and_explain_grades_below(db, capsys, monkeypatch, width):
    _, text, _ = _run(["data", "sources", "--db", str(db)], capsys, monkeypatch, width)
    head = next(x for x in text.splitlines() if x.startswith("┃") and "标题" in x)
    cols = head.split("┃")[1:-1]
    title = next(c for c in cols if "标题" in c)
    grade = next(c for c in cols if "来源等级" in c or "等级" in c)
    assert cell_len(title) > cell_len(grade)  # the title column is the wide one
    assert "C 其他网站转载的政府或官方媒体原文" not in "".join(_cells(text)[0])
    legend = text[text.index("来源等级："):text.index("地址：")]
    assert "A 政府网站原文" in legend and "D 二手整理或自媒体" in legend
    if width == 120:
        assert "A 政府网站" in [c for r in _cells(text) for c in r]
    assert all(cell_len(x) <= width for x in text.splitlines())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_data_list_at_80_columns_no_one_character_column_and_region_names(db, capsys, monkeypatch, lang):
    _, text, _ = _run(["data", "list", "--db", str(db), "--lang", lang, "--limit", "8"], capsys, monkeypatch, 80)
    rows = _cells(text)
    assert rows
    # no column one character wide: no cell is a lone Chinese character (现/价 over two lines)
    assert not [c for r in rows for c in r if len(c) == 1 and cell_len(c) == 2], text
    assert "500000" not in text
    assert ("重庆市" if lang == "zh" else "Chongqing") in text
    assert ("价格口径、状态" if lang == "zh" else "price basis and status") in text


def test_data_list_region_names_from_the_second_plan(db, capsys, monkeypatch):
    _, text, _ = _run(["data", "list", "--db", str(db), "--plan", "chongqing-manufacturing-2023-2027", "--limit", "5"],
                      capsys, monkeypatch, 120)
    assert "500000" not in text and "价格口径" in text


@pytest.mark.parametrize("plan", ["chongqing-manufacturing-2021-2025", "chongqing-manufacturing-2023-2027"])
def test_plan_show_and_scorecard_group_targets(db, capsys, monkeypatch, plan):
    from zhizao.plan.load import embedded_plan_ids  # noqa: PLC0415 - only to skip an id that is not embedded

    if plan not in embedded_plan_ids():
        pytest.skip("not an embedded plan id")
    _, shown, _ = _run(["plan", "show", "--plan", plan, "--db", str(db)], capsys, monkeypatch, 160)
    _, card, _ = _run(["assess", "--plan", plan, "--db", str(db)], capsys, monkeypatch, 160)
    cells = [c for text in (shown, card) for r in _cells(text) for c in r]
    assert not [c for c in cells if re.search(r"(?<![\d.,“])\d{5,}(?!\d)", c)]  # “33618” is a name
    assert any(re.search(r"\d,\d{3}", c) for c in cells)


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("year", [[], ["--year", "2025"]])
def test_scorecard_notes_one_a_line(db, capsys, monkeypatch, width, year):
    _, text, _ = _run(["assess", "--db", str(db), *year], capsys, monkeypatch, width)
    assert not [x for x in text.splitlines() if x.rstrip().endswith(("；*", "; *"))]
    assert "★ 约束性指标；" in text and re.search(r"^\* 基期值", text, re.M)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_settings_evidence_tags_in_words(db, capsys, monkeypatch, lang):
    _, text, _ = _run(["settings", "--lang", lang], capsys, monkeypatch, 200)
    flat = "".join(r[-1] for r in _cells(text))  # the basis column read down
    assert not re.search(r"\[[CPMD]\]", flat)
    want = "依据等级D：设计建议" if lang == "zh" else "evidence grade D: design suggestion"
    assert want.replace(" ", "") in flat.replace(" ", "")
