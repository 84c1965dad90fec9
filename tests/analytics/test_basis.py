"""The basis of a value in the assessment: compounding, averages, stocks, refusals with reasons."""
import math
import textwrap

import pytest

import zhizao.api as zz
from zhizao.analytics import basis as B
from zhizao.plan.spec import TargetKind
from zhizao.store.importing import ImportFailed

PLAN = textwrap.dedent("""\
    plan: {id: basis-test-2021-2025, title: 口径测试规划（虚构）, issuer: 测试市人民政府（虚构）, base_year: 2020, target_year: 2025}
    categories: [{id: c, name: 类}]
    indicators:
      - {id: energy, name: 能耗下降, category: c, unit: "%", nature: binding, direction: decrease,
         kind: cumulative_change, target: {year: 2025, value: -13.5, comparator: "<="}, section: 表1}
      - {id: growth, name: 增加值年均增长, category: c, unit: "%", nature: expected, kind: average_annual_growth,
         baseline: {year: 2020, value: 5}, target: {year: 2025, value: 6, comparator: ">="}, section: 表1}
      - {id: firms, name: 绿色工厂, category: c, unit: 家, nature: expected, kind: count,
         baseline: {year: 2020, value: 1000}, target: {year: 2025, value: 3000}, section: 表1}
      - {id: rd_share, name: 有研发机构企业占比, category: c, unit: "%", nature: expected, kind: share,
         baseline: {year: 2020, value: 20}, target: {year: 2025, value: 30}, section: 表1}
    regions: {whole_code: "990200", whole_name: 测试市}
    """)
LINKS = textwrap.dedent("""\
    plan_id: basis-test-2021-2025
    series:
      - {series: 有研发机构的企业数, unit: 家}
      - {series: 规上工业企业数, unit: 个}
    links:
      - {indicator: rd_share, transform: derived_ratio, comparability: comparable,
         numerator: 有研发机构的企业数, denominator: 规上工业企业数, denominator_unit: 个, scale: 100}
    """)
HEAD = "指标,时期,数值,单位,口径,网址,等级\n"


def _assess(tmp_path, rows: str, year: int, links: str = LINKS):
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    (tmp_path / "links.yaml").write_text(links, encoding="utf-8")
    (tmp_path / "data.csv").write_text(HEAD + rows, encoding="utf-8")
    plan = zz.load_plan(tmp_path / "plan.yaml")
    db = tmp_path / "s.duckdb"
    zz.import_data(tmp_path / "links.yaml", plan=plan, db=db)
    zz.import_data(tmp_path / "data.csv", plan=plan, db=db)
    return {i["id"]: i for i in zz.assess(plan, db=db, year=year)["indicators"]}


def test_annual_changes_compound_into_the_cumulative_target(tmp_path):
    ind = _assess(tmp_path, "energy,2021,比上年下降3%,%,,https://e.org/1,A\n"
                            "energy,2022,-2.5,%,比上年,https://e.org/2,A\n"
                            "energy,2023,下降4%,%,change_on_previous_year,https://e.org/3,A\n", 2023)["energy"]
    assert math.isclose(ind["actual"], (0.97 * 0.975 * 0.96 - 1) * 100, rel_tol=1e-9)  # −9.208 %, not −4
    assert ind["actual_transform"] == "chain_annual_changes"
    assert [i["value"] for i in ind["actual_derivation"]["inputs"]] == [-3, -2.5, -4]
    assert {s["basis"] for s in ind["sources"]} == {"change_on_previous_year"} and len(ind["sources"]) == 3
    assert ind["status"] != "no_comparable_data"


def test_published_cumulative_since_base_year_wins_and_other_base_year_is_kept_out(tmp_path):
    ind = _assess(tmp_path, "energy,2023,较2020年累计下降10%,%,,https://e.org/1,A\n"
                            "energy,2023,-3,%,比上年,https://e.org/2,A\n"
                            "energy,2022,较2019年累计下降8%,%,,https://e.org/3,A\n", 2023)["energy"]
    assert ind["actual"] == -10 and ind["actual_transform"] == "identity"
    reasons = [e["reason"] for e in ind["other_evidence"]]
    assert any("2019" in r and "基期2020" in r for r in reasons)
    assert any("缺少2021年" in r for r in reasons)  # a lone 2023 change cannot be compounded


def test_a_period_average_does_not_replace_annual_rates(tmp_path):
    rows = "".join(f"growth,{y},{g},%,比上年,https://e.org/{y},A\n" for y, g in
                   ((2021, 8), (2022, 5), (2023, 6), (2024, 7), (2025, 4)))
    rows += "growth,2025,十四五以来年均增长6.6%,%,,https://e.org/avg,A\n"
    ind = _assess(tmp_path, rows, 2025)["growth"]
    expected = (1.08 * 1.05 * 1.06 * 1.07 * 1.04) ** 0.2 - 1
    assert math.isclose(ind["observed_growth"], expected, rel_tol=1e-9)
    avg = [e for e in ind["other_evidence"] if e["value"] == 6.6]
    assert avg and "逐年增速齐全" in avg[0]["reason"]


def test_a_period_average_fills_years_without_annual_rates_exactly(tmp_path):
    rows = ("growth,2021,8,%,,https://e.org/1,A\n"
            "growth,2023,6.6,%,2021—2023年年均,https://e.org/avg,A\n")
    ind = _assess(tmp_path, rows, 2023)["growth"]
    assert math.isclose(ind["observed_growth"], 0.066, rel_tol=1e-9)  # Π(1+g) = 1.066³
    implied = [h for h in ind["history"] if h["transform"] == "average_over"]
    assert {h["year"] for h in implied} == {2022, 2023}
    # evaluated for 2022, the 2023 average is not used (nor shown)
    early = _assess(tmp_path / "early", rows, 2022)["growth"] if (tmp_path / "early").mkdir() is None else None
    assert not any(h["transform"] == "average_over" for h in early["history"])
    assert all(e["year"] <= 2022 for e in early["other_evidence"])


def test_stock_as_of_a_date_counts_for_its_year_and_says_so(tmp_path):
    ind = _assess(tmp_path, "firms,截至2022年3月,2121,家,,https://e.org/1,A\n", 2022)["firms"]
    assert ind["actual"] == 2121 and ind["data_year"] == 2022
    assert ind["sources"][0]["basis"] == "stock_as_of" and ind["sources"][0]["basis_from"] == "2022-03"
    assert "计入2022年" in ind["sources"][0]["basis_note"]


def test_change_for_a_level_target_is_kept_out_with_a_reason(tmp_path):
    ind = _assess(tmp_path, "firms,2022,比上年增长10%,%,,https://e.org/1,A\n"
                            "firms,2021,1500,家,,https://e.org/2,A\n", 2022)["firms"]
    assert ind["data_year"] == 2021
    (e,) = [e for e in ind["other_evidence"] if e["year"] == 2022]
    assert "比上年变化" in e["reason"] and "水平" in e["reason"]


def test_later_years_are_not_evidence_for_an_earlier_evaluation_year(tmp_path):
    ind = _assess(tmp_path, "firms,2021,1500,家,,https://e.org/1,A\n"
                            "firms,2024,比上年增长10%,%,,https://e.org/2,A\n", 2022)["firms"]
    assert all(e["year"] <= 2022 for e in ind["other_evidence"])
    assert all(h["year"] <= 2022 for h in ind["history"])


def test_ratio_inputs_in_jia_and_ge_convert(tmp_path):
    ind = _assess(tmp_path, "有研发机构的企业数,2022,250,家,,https://e.org/1,A\n"
                            "规上工业企业数,2022,1000,个,,https://e.org/2,A\n", 2022)["rd_share"]
    assert ind["actual"] == 25


def test_ratio_unit_mismatch_is_listed_not_silent(tmp_path):
    links = LINKS.replace("{series: 有研发机构的企业数, unit: 家}", "{series: 有研发机构的企业数, unit: 家}\n"
                          "  - {series: 研发人员, unit: 人}").replace("numerator: 有研发机构的企业数", "numerator: 研发人员")
    # the store does not know 研发人员's unit when… it does: refused at link import
    with pytest.raises(ImportFailed) as exc:
        _assess(tmp_path, "", 2022, links=links.replace("denominator_unit: 个", "denominator_unit: 个, numerator_unit: 家"))
    assert any(p.code == "unit_mismatch" and "numerator_unit" in p.message_en for p in exc.value.problems)


def test_ratio_unit_mismatch_unknown_at_link_import_gives_a_reason(tmp_path):
    links = LINKS.replace("denominator_unit: 个", "denominator_unit: 辆")
    links = links.replace("  - {series: 规上工业企业数, unit: 个}\n", "")
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    (tmp_path / "links.yaml").write_text(links, encoding="utf-8")
    plan = zz.load_plan(tmp_path / "plan.yaml")
    db = tmp_path / "s.duckdb"
    zz.import_data(tmp_path / "links.yaml", plan=plan, db=db)  # 规上工业企业数 not registered yet
    (tmp_path / "reg.yaml").write_text("series:\n  - {series: 规上工业企业数, unit: 个}\n", encoding="utf-8")
    zz.import_data(tmp_path / "reg.yaml", plan=plan, db=db)
    (tmp_path / "d.csv").write_text(HEAD + "有研发机构的企业数,2022,250,家,,https://e.org/1,A\n"
                                    "规上工业企业数,2022,1000,个,,https://e.org/2,A\n", encoding="utf-8")
    zz.import_data(tmp_path / "d.csv", plan=plan, db=db)
    ind = {i["id"]: i for i in zz.assess(plan, db=db, year=2022)["indicators"]}["rd_share"]
    assert ind["status"] == "no_comparable_data"
    (e,) = [e for e in ind["other_evidence"] if e["transform"] == "derived_ratio"]
    assert e["value"] is None and "denominator_unit" in e["reason"]


# ------------------------------------------------------------------ pure functions


def test_compound_changes_golden():
    assert math.isclose(B.compound_changes([-3, -2.5, -4]), -9.208, abs_tol=1e-9)
    assert B.compound_changes([]) == 0


def test_implied_rates_reproduce_the_average():
    known = {2021: 8.0}
    filled = B.implied_rates(6.6, 2020, 2023, known)
    assert set(filled) == {2022, 2023}
    prod = 1.08 * math.prod(1 + g / 100 for g in filled.values())
    assert math.isclose(prod, 1.066 ** 3, rel_tol=1e-12)
    assert B.implied_rates(6.6, 2020, 2021, {2021: 5}) == {}


def test_identity_reasons():
    assert B.identity_reason(TargetKind.count, "stock_as_of", "2022-03", 2020) is None
    assert B.identity_reason(TargetKind.count, "average_over", "2020", 2020)
    assert B.identity_reason(TargetKind.cumulative_change, "cumulative_since", "2020", 2020) is None
    assert B.identity_reason(TargetKind.cumulative_change, "average_over", "2020", 2020)
    assert B.identity_reason(TargetKind.average_annual_growth, "average_over", "2020", 2020) is None
    assert B.identity_reason(TargetKind.average_annual_growth, "average_over", "2015", 2020)
    assert B.row_basis({}) == ("level", None)
