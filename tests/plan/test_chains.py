"""The plans' chain maps (issue 12): the embedded plan's chains rest on its own text, and `lint_chains`
finds what makes a map contradict itself."""
from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import zhizao.api as zz
from zhizao.codes.industries import industry_code_level, industry_code_name, is_industry_code
from zhizao.plan.chain_lint import lint_chains
from zhizao.plan.lint import lint_plan
from zhizao.plan.spec import Chain, ChainLink, ChainStage

ASSETS = Path(__file__).resolve().parents[1] / "assets"
STAGES = list(ChainStage)


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)  # the .txt breaks lines (and pages) inside sentences


@pytest.fixture(scope="module")
def plan():
    return zz.load_plan()


@pytest.fixture(scope="module")
def plan_text():
    return _norm(resources.files("zhizao.resources").joinpath(
        "plans/chongqing-manufacturing-2021-2025.txt").read_text("utf-8"))


def test_every_cluster_has_a_chain_and_the_named_chains_are_there(plan):
    assert {c.cluster for c in plan.chains} == {c.id for c in plan.clusters}
    names = {c.name for c in plan.chains}
    for wanted in ("新能源及智能网联汽车", "动力电池", "新型显示", "工业机器人", "轨道交通装备", "生物药", "纺织服装"):
        assert wanted in names
    assert any("功率半导体" in n for n in names) and any("计算机与手机" in n for n in names)
    assert {"聚氨酯材料", "聚酰胺材料"} <= names


def test_each_chain_has_5_to_12_links_with_english_names(plan):
    for chain in plan.chains:
        assert 5 <= len(chain.links) <= 12, chain.id
        assert chain.name_en and all(link.name_en for link in chain.links), chain.id


def test_every_quote_and_chain_sentence_is_the_plans_text(plan, plan_text):
    for chain in plan.chains:
        assert chain.text and _norm(chain.text) in plan_text, chain.id
        for link in chain.links:
            assert link.quote and link.section, (chain.id, link.id)
            assert _norm(link.quote) in plan_text, (chain.id, link.id, link.quote)


def test_sections_are_written_as_the_files_other_sections(plan):
    style = re.compile(r"^[一二三四五六七八九十]+\([一二三四五六七八九十]+\)\d*( 专栏\d+( [一二三四五六七八九十]+)?)?$")
    for chain in plan.chains:
        assert style.match(chain.section), chain.section
        for link in chain.links:
            assert style.match(link.section), (chain.id, link.id, link.section)


def test_references_are_valid(plan):
    products = {p for ind in plan.industries for group in ind.key_products for p in group.products}
    technologies = {t.id for t in plan.technologies}
    industries = {i.id for i in plan.industries}
    for chain in plan.chains:
        assert set(chain.industries) <= industries
        ids = {link.id for link in chain.links}
        for link in chain.links:
            assert set(link.key_products) <= products, (chain.id, link.id)  # as printed in 专栏2–12
            assert set(link.technologies) <= technologies
            assert set(link.upstream) <= ids
            assert link.industry_class is None or is_industry_code(link.industry_class), (chain.id, link.id)


def test_the_embedded_maps_lint_clean(plan):
    assert lint_chains(plan) == []  # not even a warning: every link leads to a final product or service
    assert not [f for f in lint_plan(plan) if f.check.startswith("chain_")]


def test_the_supply_region_is_the_sichuan_part_of_the_economic_circle(plan):
    region = plan.supply_region
    assert region is not None and region.name == "成渝地区双城经济圈" and region.section == "四(八)"
    assert len(region.division_prefixes) == 15 and all(re.fullmatch(r"51\d\d", p) for p in region.division_prefixes)
    assert "5101" in region.division_prefixes and "5104" not in region.division_prefixes  # 成都 in, 攀枝花 out


def test_a_plan_without_chains_lints_without_chain_findings():
    other = zz.load_plan("chongqing-manufacturing-2023-2027")
    assert other.chains == [] and lint_chains(other) == []


def test_the_fictional_plans_chain_loads_and_lints_clean():
    fictional = zz.load_plan(ASSETS / "fictional-plan.yaml")
    (chain,) = fictional.chains
    assert [link.id for link in chain.links][0] == "substrate" and chain.cluster == "lighting"
    assert fictional.supply_region.division_prefixes == ["98"]
    assert lint_chains(fictional) == []


def test_industry_code_lookup():
    assert is_industry_code("36") and is_industry_code("361") and is_industry_code("3612")
    assert not is_industry_code("3699") and not is_industry_code("01") and not is_industry_code(3612)
    assert industry_code_name("3612") == "新能源车整车制造" and industry_code_level("3612") == "class"
    assert industry_code_name("36", "en") == "Manufacture of Automobiles"
    assert industry_code_name("3612", "en") == "Manufacture of Automobiles — 3612"
    assert industry_code_name("9999") == "9999" and industry_code_level("9999") is None


# --- lint_chains on maps built here -----------------------------------------------------------
def _chain(links: list[dict], cid: str = "c") -> Chain:
    return Chain(id=cid, name="测试链", name_en="Test chain", cluster="x", section="三(一)",
                 links=[ChainLink(**{"section": "三(一)", "quote": "原文", **link}) for link in links])


def _lint(links: list[dict]):
    from types import SimpleNamespace
    return lint_chains(SimpleNamespace(chains=[_chain(links)]))  # lint_chains reads only .chains


def _link(i, stage="parts", upstream=(), **kw):
    return {"id": f"l{i}", "name": f"环节{i}", "name_en": f"Link {i}", "stage": stage, "upstream": list(upstream), **kw}


def test_a_cycle_is_an_error_naming_its_links_in_order():
    findings = _lint([_link(0, "materials", ["l2"]), _link(1, "parts", ["l0"]), _link(2, "parts", ["l1"]),
                      _link(3, "final", ["l2"])])
    (cycle,) = [f for f in findings if f.check == "chain_cycle"]
    assert cycle.severity == "error" and cycle.indicator == "c.l0"
    # in the direction of supply: 0 supplies 1, 1 supplies 2, 2 supplies 0
    assert "“环节0”→“环节1”→“环节2”→“环节0”" in cycle.message_zh
    assert "'Link 0' → 'Link 1' → 'Link 2' → 'Link 0'" in cycle.message_en


def test_a_link_upstream_of_itself_is_a_cycle():
    findings = _lint([_link(0, "materials"), _link(1, "final", ["l0", "l1"])])
    assert [(f.check, f.indicator) for f in findings if f.severity == "error"] == [("chain_cycle", "c.l1")]


def test_a_stage_inversion_is_a_warning():
    findings = _lint([_link(0, "final"), _link(1, "materials", ["l0"]), _link(2, "final", ["l1"])])
    (inv,) = [f for f in findings if f.check == "chain_stage_order"]
    assert inv.severity == "warning" and inv.indicator == "c.l1"
    assert "整机/终端" in inv.message_zh and "final products" in inv.message_en


@pytest.mark.parametrize("code,word", [("3699", "不是"), ("36a", "格式"), ("12345", "格式"), ("0136", "不是")])
def test_a_bad_industry_class_is_an_error(code, word):
    findings = _lint([_link(0, "materials", industry_class=code), _link(1, "final", ["l0"])])
    (bad,) = findings
    assert (bad.check, bad.severity, bad.indicator) == ("chain_industry_class", "error", "c.l0")
    assert word in bad.message_zh and code in bad.message_en


def test_incomplete_maps_are_warnings_and_missing_citations_info():
    findings = _lint([_link(0, "materials"), _link(1, "parts", ["l0"]), _link(2, "systems"),
                      _link(3, "parts", section="", quote=None)])
    got = {(f.check, f.indicator, f.severity) for f in findings}
    assert got == {("chain_no_final_link", "c", "warning"), ("chain_isolated_link", "c.l2", "warning"),
                   ("chain_isolated_link", "c.l3", "warning"), ("chain_citation", "c.l3", "info")}
    findings = _lint([_link(0, "materials"), _link(1, "parts", ["l0"]), _link(2, "final", ["l0"])])
    assert [(f.check, f.indicator) for f in findings] == [("chain_no_final_path", "c.l1")]
    assert _lint([_link(0, "final")]) == []  # a one-link chain is not isolated


@st.composite
def dags(draw):
    """A random chain map whose edges only go from a lower index to a higher one: acyclic."""
    n = draw(st.integers(2, 12))
    links = []
    for i in range(n):
        ups = draw(st.lists(st.integers(0, i - 1), unique=True, max_size=min(i, 4))) if i else []
        links.append(_link(i, draw(st.sampled_from(STAGES)).value, [f"l{u}" for u in ups]))
    return links


@settings(max_examples=60, deadline=None)
@given(dags(), st.data())
def test_random_dags_never_have_a_cycle_and_a_back_edge_always_makes_one(links, data):
    assert not any(f.check == "chain_cycle" for f in _lint(links))
    edges = [(int(u[1:]), i) for i, link in enumerate(links) for u in link["upstream"]]
    # a back edge: from a link to one of its ancestors (or itself)
    if edges and data.draw(st.booleans()):
        u, v = data.draw(st.sampled_from(edges))
        a, b = v, u  # v's product now also goes upstream into u
    else:
        a = b = data.draw(st.integers(0, len(links) - 1))
    links[b] = {**links[b], "upstream": [*links[b]["upstream"], f"l{a}"]}
    cycles = [f for f in _lint(links) if f.check == "chain_cycle"]
    assert len(cycles) == 1 and cycles[0].severity == "error"
