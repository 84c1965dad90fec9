"""The embedded plan matches 专栏1 of the plan's own text, row by row."""
import re
from importlib import resources

import pytest

from zhizao.plan.load import load_plan
from zhizao.plan.spec import Comparator, GrowthUnit, Nature

TEXT = resources.files("zhizao.resources.plans").joinpath("chongqing-manufacturing-2021-2025.txt").read_text("utf-8")


def table_rows():
    start = TEXT.index("专栏 1 重庆制造业")
    end = TEXT.index("注：1.", start)
    rows = []
    for line in TEXT[start:end].splitlines():
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) >= 6 and cells[2] in ("预期性", "约束性"):
            rows.append(cells[1:6])
    return rows


ROWS = table_rows()


def test_table_has_twenty_rows():
    assert len(ROWS) == 20


def _name_and_unit(cell):
    cell = cell.replace("其中:", "").strip()
    m = re.match(r"(.+?)\s*\((.+)\)$", cell)
    return (m.group(1).strip(), m.group(2)) if m else (cell, None)


@pytest.mark.parametrize("row", ROWS, ids=[r[0] for r in ROWS])
def test_indicator_matches_printed_row(row):
    name_cell, nature, base_text, target_text, growth_text = row
    name, unit = _name_and_unit(name_cell)
    plan = load_plan()
    ind = next(i for i in plan.indicators if i.name == name)
    assert ind.nature == (Nature.expected if nature == "预期性" else Nature.binding)
    if unit:
        assert ind.unit == unit
    # baseline
    if base_text == "—":
        assert ind.baseline is None
    else:
        assert ind.baseline.value == float(base_text) and ind.baseline.year == 2020
    # target, with its comparator and printed text
    t = ind.target
    assert t.year == 2025
    assert t.text.replace(" ", "") == target_text.replace(" ", "")
    if target_text.startswith(">"):
        assert t.comparator == Comparator.gt and t.value == float(target_text[1:])
    elif "左右" in target_text:
        assert t.comparator == Comparator.approx and t.value == float(target_text.replace("左右", ""))
    elif target_text.startswith("["):
        num = float(target_text.strip("[]%"))
        assert t.value == num and t.comparator == Comparator.le and ind.kind.value == "cumulative_change"
    else:
        assert t.comparator == Comparator.ge and t.value == float(target_text)
    # stated annual growth and its unit
    g = ind.stated_growth
    if growth_text == "—":
        assert g is None
    elif growth_text.endswith("%"):
        assert g.unit == GrowthUnit.percent and g.value == float(growth_text[:-1])
    elif "百分点" in growth_text:
        assert g.unit == GrowthUnit.percentage_points and g.value == float(growth_text.split("个")[0])
    else:
        assert g.unit == GrowthUnit.per_year and g.value == float(re.match(r"[\d.]+", growth_text).group(0))


def test_footnotes_applied():
    plan = load_plan()
    assert plan.indicator("industrial_value_added").price_basis.value == "constant"  # 注2
    assert plan.indicator("software_revenue").price_basis.value == "current"  # 注3
    for i in ("energy_intensity_reduction", "water_intensity_reduction"):
        ind = plan.indicator(i)
        assert ind.nature == Nature.binding and ind.kind.value == "cumulative_change"
        assert ind.direction.value == "decrease" and ind.path_shape.value == "compound"


def test_structure_is_complete():
    plan = load_plan()
    assert {c.target_text for c in plan.clusters} == {"万亿级", "五千亿级", "三千亿级", "六千亿级", "千亿级"}
    assert len(plan.clusters) == 6
    groups = {x.group for x in plan.industries}
    assert groups == {"strategic_emerging", "pillar", "future"}
    assert sum(1 for x in plan.industries if x.key_products) == 11  # 专栏2–12
    codes = [c for g in plan.regions.groups for c in g.districts]
    assert len(codes) == 38 and len(set(codes)) == 38
    assert {d.code for d in plan.regions.districts} == set(codes)
    assert {z.name for z in plan.regions.functional_zones} >= {"两江新区", "重庆高新区", "万盛经开区"}
    sections = {t.section.split()[0][:2] for t in plan.tasks}
    assert {"四(", } <= {s[:2] for s in sections}
    assert len(plan.safeguards) == 8
