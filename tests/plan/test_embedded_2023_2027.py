"""The second embedded plan: 《深入推进新时代新征程新重庆制造业高质量发展行动方案（2023—2027年）》 with its
companion plans' 2027 targets, encoded from the research team's targets table (its copy:
tests/assets/chongqing-2023-2027-targets.csv), linked to the bundled statistics."""
import csv
import re
from pathlib import Path

import pytest

import zhizao.api as zz
from zhizao.plan.load import PlanError, embedded_plans, load_plan
from zhizao.plan.spec import Comparator, Direction, Nature, TargetKind
from zhizao.store.importing import bundled_links_name, bundled_links_text, bundled_rows, read_links

ASSETS = Path(__file__).parents[1] / "assets"
PLAN_ID = "chongqing-manufacturing-2023-2027"
DEFAULT_ID = "chongqing-manufacturing-2021-2025"


@pytest.fixture(scope="module")
def plan():
    return load_plan(PLAN_ID)


def rows():
    with open(ASSETS / "chongqing-2023-2027-targets.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _items(plan):
    """name → (kind, item) over indicators and clusters."""
    return {**{i.name: ("indicator", i) for i in plan.indicators}, **{c.name: ("cluster", c) for c in plan.clusters}}


# --- the registry ------------------------------------------------------------------------------
def test_registry_lists_both_plans_default_first_and_ids_are_file_stems():
    paths = embedded_plans()
    assert paths[0].stem == DEFAULT_ID and PLAN_ID in [p.stem for p in paths]
    for p in paths:
        assert load_plan(p).plan.id == p.stem  # an embedded plan is addressed by its id
    assert load_plan(None).plan.id == DEFAULT_ID  # the 2021—2025 plan stays the default
    assert load_plan(PLAN_ID).plan.id == PLAN_ID
    assert load_plan(Path(PLAN_ID)).plan.id == PLAN_ID


def test_unknown_plan_id_names_the_embedded_plans():
    with pytest.raises(PlanError) as e:
        load_plan("chongqing-manufacturing-1999")
    assert PLAN_ID in str(e.value) and DEFAULT_ID in str(e.value)


# --- every target of targets.csv --------------------------------------------------------------
@pytest.mark.parametrize("row", rows(), ids=lambda r: r["indicator"])
def test_every_target_is_encoded_with_number_unit_year_and_source(plan, row):
    items = _items(plan)
    assert row["indicator"] in items, f"{row['indicator']} is not in the plan"
    kind, x = items[row["indicator"]]
    year = int(row["target_year"]) if row["target_year"] else None
    if kind == "cluster":
        assert x.scale_target == float(row["target"]) and x.unit == row["unit"] and x.target_year == year
    else:
        t = x.target
        assert t is not None and x.unit == row["unit"] and t.year == year
        if x.direction == Direction.decrease:  # 累计下降13% → [-13%]
            assert t.value == -float(row["target"]) and t.comparator == Comparator.le
            assert x.kind == TargetKind.cumulative_change
        else:
            assert t.value == float(row["target"])
        # 超 / 超过 are strict; 达到 / 提高至 / 以上 are ≥
        strict = re.search(r"超(过)?\d", row["target_text"]) is not None
        assert t.comparator == (Comparator.gt if strict else Comparator.le if x.direction == Direction.decrease
                                else Comparator.ge)
        assert x.nature == (Nature.unstated if not row["attribute"] else x.nature)
        # the printed sentence is kept as the indicator's note; the target shows as ≥4, >800 …
        assert t.text is None and any(note.startswith("原文：") and row["target"] in note for note in x.notes)
    assert x.source == row["source_url"]  # each target cites its pages
    companion = row["category"].removeprefix("重庆·")
    assert x.section == companion  # the (companion) plan and its part


def test_cumulative_additions_count_from_their_plans_start(plan):
    for ind in plan.indicators:
        if re.search(r"累计新增|新培育|新增|新建", ind.name):
            assert ind.kind == TargetKind.count and ind.baseline is not None and ind.baseline.value == 0, ind.id
            start = 2025 if "2025" in ind.section.split("·")[0] else 2024
            assert ind.baseline.year == start - 1, ind.id
        elif ind.kind != TargetKind.cumulative_change:
            assert ind.baseline is None, f"{ind.id}: the plans print no baselines"


def test_plan_meta_base_year_heading_and_regions(plan):
    meta = plan.plan
    assert (meta.base_year, meta.target_year) == (2022, 2027)
    assert meta.cluster_heading == "“33618”现代制造业集群体系"
    assert meta.document_number is None and meta.baseline_rule is None  # neither is on the cited pages
    assert all(i.nature == Nature.unstated for i in plan.indicators)
    undated = [c.id for c in plan.clusters if c.target_year is None]
    assert undated == ["leading_cluster_tier", "pillar_cluster_tier", "featured_cluster_tier"]
    assert plan.indicator("new_star_clusters").target.year is None
    assert plan.regions == load_plan(None).regions  # same districts, groups and map


# --- links to the bundled statistics -------------------------------------------------------------
def test_links_file_is_this_plans_and_reads_clean(plan):
    assert bundled_links_name(PLAN_ID) == "links-2023-2027.yaml"
    assert bundled_links_name(DEFAULT_ID) == "links.yaml"
    _, links, problems = read_links(bundled_links_text(PLAN_ID), plan, "links-2023-2027.yaml")
    assert problems == [] and set(links["plan_id"]) == {PLAN_ID}


def test_every_linked_series_is_in_the_bundled_data(plan):
    _, links, _ = read_links(bundled_links_text(PLAN_ID), plan, "links-2023-2027.yaml")
    published = set(bundled_rows(plan)["series"])
    named = {s for col in ("series", "numerator", "denominator") for s in links[col].dropna() if s}
    assert named - published == set()


def test_value_added_shares_are_comparable_here_unlike_the_2021_plan(plan):
    _, links, _ = read_links(bundled_links_text(PLAN_ID), plan, "x")
    sei = links[(links["indicator"] == "sei_va_share") & (links["series"] == "战略性新兴产业增加值占规上工业增加值比重")]
    assert list(sei["comparability"]) == ["comparable"]
    _, old, _ = read_links(bundled_links_text(DEFAULT_ID), load_plan(None), "links.yaml")
    old_sei = old[old["series"] == "战略性新兴产业增加值占规上工业增加值比重"]
    assert list(old_sei["comparability"]) == ["different_definition"]  # a share of 产值 there


def test_a_new_store_for_the_plan_gets_the_bundled_data_with_its_links(plan, tmp_path):
    with zz.open_store(tmp_path / "p.duckdb", plan) as store:
        links = store.links(PLAN_ID)
        assert len(store.observations()) > 300
    assert set(links["plan_id"]) == {PLAN_ID} and "revenue_above_scale" in set(links["indicator"])


# --- lint and assessment --------------------------------------------------------------------------
def test_lint_has_no_errors_but_missing_baselines(plan):
    f = zz.lint(plan)
    errors = f[f["severity"] == "error"]
    assert set(errors["check"]) <= {"baseline_present"}, errors.to_string()


def test_lint_is_clean_of_errors(plan):
    f = zz.lint(plan)
    assert not (f["severity"] == "error").any(), f[f["severity"] == "error"].to_string()


def test_assess_2024_runs_and_shows_targets_without_data(plan, tmp_path):
    out = zz.assess(plan, db=tmp_path / "a.duckdb", year=2024)
    by_id = {i["id"]: i for i in out["indicators"]}
    assert len(by_id) == len(plan.indicators)
    # no published series at all for these: said, not guessed
    for i in ("quality_competitiveness_index", "tech_renovation_investment_share", "unicorn_enterprises"):
        assert by_id[i]["status"] == "no_comparable_data"
    assert by_id["revenue_above_scale"]["actual"] == pytest.approx(2.8)  # 2.8万亿元 in 2024, converted


def test_one_store_holds_both_embedded_plans(tmp_path):
    """The store made for the 2021—2025 plan gets the 2023—2027 plan's bundled links when that plan
    is opened in it (once), so both assess from the same statistics."""
    db = tmp_path / "both.duckdb"
    first = zz.assess(None, db=db, year=2024)
    second = zz.assess(PLAN_ID, db=db, year=2024)
    by_id = {i["id"]: i for i in second["indicators"]}
    assert by_id["revenue_above_scale"]["actual"] == pytest.approx(2.8)  # linked here, not only in a new store
    assert any(i["status"] != "no_comparable_data" for i in first["indicators"])
    with zz.open_store(db) as store:
        assert {DEFAULT_ID, PLAN_ID} <= set(store.linked_plan_ids())
        bundled = store.batches().query("kind == 'bundled'")
    zz.assess(PLAN_ID, db=db, year=2024)  # opening again adds nothing
    with zz.open_store(db) as store:
        assert len(store.batches().query("kind == 'bundled'")) == len(bundled) == 2
