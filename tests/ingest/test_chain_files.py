"""Reading and checking chain data files (zhizao/ingest/chains.py): the good files read to the contract's
frames; every bad input is one problem naming file, sheet, row and column; random cells never raise."""
from __future__ import annotations

import string
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from zhizao.analytics.chains import data as contract
from zhizao.ingest import chains
from zhizao.ingest.chains import read_chain_files
from zhizao.plan.load import load_plan

from tests.ingest.chain_files import A, B, C, D, chain_plan_path, code, tables, write_csv, write_xlsx


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    return load_plan(chain_plan_path(tmp_path_factory.mktemp("plan")))


def test_columns_are_the_contracts():
    assert chains.ENTERPRISE_COLUMNS == contract.ENTERPRISE_COLUMNS
    assert chains.MEMBER_COLUMNS == contract.MEMBER_COLUMNS
    assert chains.SUPPLY_COLUMNS == contract.SUPPLY_COLUMNS
    assert chains.ROLES == contract.ROLES and chains.HOME_COUNTRY == contract.HOME_COUNTRY


def test_good_csv_reads_to_the_contract_frames(plan, tmp_path):
    frames, problems, sha = read_chain_files(write_csv(tmp_path), plan)
    assert problems == [] and len(sha) == 64
    e, m, s = frames["chain_enterprises"], frames["chain_members"], frames["chain_supply"]
    assert list(e.columns) == chains.ENTERPRISE_COLUMNS and list(s.columns) == chains.SUPPLY_COLUMNS
    assert e.set_index("enterprise_id").loc[B, "output"] == 8000  # "8,000"
    assert e.set_index("enterprise_id").loc[C, "country"] == "CN"  # 中国
    abroad = e.set_index("enterprise_id").loc["JP-NIDEC-01"]
    assert abroad["country"] == "JP" and pd.isna(abroad["district"])
    # names resolve to ids, Chinese roles to the contract's
    assert set(m["link"]) == {"magnets", "windings", "motor"} and set(m["chain"]) == {"motors"}
    assert m.set_index("enterprise_id").loc[D, "role"] == "leader"
    assert m.set_index("enterprise_id").loc["JP-NIDEC-01", "role"] == "core"
    assert sorted(s["share"]) == [0.3, 0.4, 0.6, 1.0]  # percent → fraction; "30%" too


def test_gbk_csv_and_english_headers_and_sheet_names(plan, tmp_path):
    english = {"enterprises": ["enterprise_id", "name", "district", "country", "output"],
               "members": ["enterprise_id", "chain", "link", "role", "capacity"],
               "supply": ["supplier_id", "buyer_id", "chain", "link", "share"]}
    data = tables(**{k: (lambda rows, h=h: rows.__setitem__(0, h)) for k, h in english.items()})
    frames, problems, _ = read_chain_files(write_csv(tmp_path, encoding="gbk"), plan)
    assert problems == [] and len(frames["chain_supply"]) == 4
    book = write_xlsx(tmp_path, data, {"enterprises": "enterprises", "members": "members", "supply": "supply"})
    frames, problems, _ = read_chain_files([book], plan)
    assert problems == [] and len(frames["chain_members"]) == 5


def test_xlsx_with_a_title_row_and_a_notes_sheet(plan, tmp_path):
    data = tables(enterprises=lambda rows: rows.insert(0, ["河湾市电机产业链企业（虚构）"]))
    frames, problems, _ = read_chain_files([write_xlsx(tmp_path, data)], plan)
    assert problems == [] and len(frames["chain_enterprises"]) == 5


def _append(row):
    return lambda rows: rows.append(row)


BAD = {  # case → (changes, code, table label, row, column)
    "check character": ({"enterprises": _append([A[:-1] + ("0" if A[-1] != "0" else "1"), "甲", "990101", "", ""])},
                        "bad_credit_code", "enterprises.csv", 7, "企业代码"),
    "malformed code": ({"enterprises": _append(["12345", "乙", "990101", "", ""])},
                       "bad_credit_code", "enterprises.csv", 7, "企业代码"),
    "district not 6 digits": ({"enterprises": _append([code("990101", 7), "丙", "99010", "", ""])},
                              "bad_district", "enterprises.csv", 7, "所在地代码"),
    "district in the area but not the plan's": ({"enterprises": _append([code("990101", 7), "丁", "990199", "", ""])},
                                                "unknown_district", "enterprises.csv", 7, "所在地代码"),
    "unknown province": ({"enterprises": _append([code("980101", 7), "戊", "980101", "", ""])},
                         "unknown_district", "enterprises.csv", 7, "所在地代码"),
    "duplicate enterprise": ({"enterprises": _append([A, "东区磁材", "990101", "", ""])},
                             "duplicate_enterprise", "enterprises.csv", 7, "企业代码"),
    "negative output": ({"enterprises": _append([code("990101", 7), "己", "990101", "", "-5"])},
                        "negative_value", "enterprises.csv", 7, "产值(万元)"),
    "unknown chain": ({"members": _append([A, "无此链", "magnets", "配套", ""])},
                      "unknown_chain", "members.csv", 7, "产业链"),
    "unknown link": ({"members": _append([A, "motors", "芯片", "配套", ""])},
                     "unknown_link", "members.csv", 7, "环节"),
    "unknown role": ({"members": _append([B, "motors", "magnets", "老板", ""])},
                     "unknown_role", "members.csv", 7, "角色"),
    "negative capacity": ({"members": _append([B, "motors", "magnets", "配套", "-1"])},
                          "negative_value", "members.csv", 7, "产能(万元)"),
    "member not an enterprise": ({"members": _append([code("990101", 50), "motors", "magnets", "配套", ""])},
                                 "unknown_enterprise", "members.csv", 7, "企业代码"),
    "unknown supplier": ({"supply": _append([code("990101", 99), D, "motors", "magnets", "10"])},
                         "unknown_enterprise", "supply.csv", 6, "供应商代码"),
    "unknown buyer": ({"supply": _append([A, code("990101", 98), "motors", "magnets", "10"])},
                      "unknown_enterprise", "supply.csv", 6, "采购商代码"),
    "self-loop": ({"supply": _append([D, D, "motors", "motor", "10"])}, "self_loop", "supply.csv", 6, "采购商代码"),
    "supplier not a member of the link": ({"supply": _append([C, D, "motors", "magnets", "10"])},
                                          "supplier_not_member", "supply.csv", 6, "供应商代码"),
    "share above 100": ({"supply": _append([A, C, "motors", "magnets", "150"])},
                        "share_out_of_range", "supply.csv", 6, "占需求比重(%)"),
    "negative share": ({"supply": _append([A, C, "motors", "magnets", "-3"])},
                       "share_out_of_range", "supply.csv", 6, "占需求比重(%)"),
    "shares of a need above 100 %": ({"supply": _append(["JP-NIDEC-01", D, "motors", "磁材", "80"])},
                                     "share_over_100", "supply.csv", 6, "占需求比重(%)"),
    "duplicate relation": ({"supply": _append([B, D, "motors", "windings", "0"])},
                           "duplicate_relation", "supply.csv", 6, "供应商代码"),
    "unknown link in supply": ({"supply": _append([A, C, "motors", "芯片", "5"])},
                               "unknown_link", "supply.csv", 6, "环节"),
    "not a number": ({"supply": _append([A, C, "motors", "magnets", "三成"])},
                     "bad_number", "supply.csv", 6, "占需求比重(%)"),
    "empty share": ({"supply": _append([A, C, "motors", "magnets", ""])},
                    "missing_value", "supply.csv", 6, "占需求比重(%)"),
    "unknown column": ({"enterprises": lambda rows: [r.append("x") for r in rows] and rows[0].__setitem__(-1, "联系人")},
                       "unknown_column", "enterprises.csv", 1, "联系人"),
    "missing column": ({"members": lambda rows: [r.pop(3) for r in rows]}, "missing_column", "members.csv", None, "角色"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_each_bad_input_is_one_located_problem(case, plan, tmp_path):
    changes, code_, file, row, column = BAD[case]
    frames, problems, _ = read_chain_files(write_csv(tmp_path, tables(**changes)), plan)
    assert frames == {}
    found = [p for p in problems if p.code == code_]
    assert found, [p.message_en for p in problems]
    p = found[0]
    assert (p.file, p.row, p.column) == (file, row, column), p
    assert p.message_zh.startswith(f"文件“{file}”") and p.message_en.startswith(f"File '{file}'")
    assert "\n" not in p.message_zh


def test_the_same_problem_in_a_workbook_names_the_sheet(plan, tmp_path):
    changes = {"supply": _append([D, D, "motors", "motor", "10"])}
    _, problems, _ = read_chain_files([write_xlsx(tmp_path, tables(**changes))], plan)
    (p,) = problems
    assert (p.file, p.row, p.column, p.code) == ("chains.xlsx[供应关系]", 6, "采购商代码", "self_loop")
    assert "工作表“供应关系”第6行" in p.message_zh and "sheet '供应关系', row 6" in p.message_en


def test_every_problem_at_once(plan, tmp_path):
    changes = {"enterprises": lambda rows: rows.extend([["12345", "乙", "99010", "", "-5"],
                                                        [code("990101", 8), "丙", "", "XX1", ""]]),
               "members": _append([A, "无此链", "magnets", "老板", ""]),
               "supply": _append([D, D, "motors", "motor", "150"])}
    _, problems, _ = read_chain_files(write_csv(tmp_path, tables(**changes)), plan)
    assert {"bad_credit_code", "bad_district", "bad_country", "negative_value", "unknown_chain", "unknown_role",
            "self_loop", "share_out_of_range"} <= {p.code for p in problems}


def test_a_missing_table_and_unreadable_files(plan, tmp_path):
    paths = write_csv(tmp_path)
    _, problems, _ = read_chain_files(paths[:2], plan)
    assert [p.code for p in problems] == ["missing_table"] and "供应关系" in problems[0].message_zh
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    _, problems, _ = read_chain_files([junk], plan)
    assert [p.code for p in problems] == ["unreadable_file"]
    _, problems, _ = read_chain_files([*paths, paths[0]], plan)
    assert [p.code for p in problems] == ["duplicate_table"]


@pytest.mark.parametrize("spoil", ["empty file", "binary", "header only", "wrong header"])
def test_an_unusable_enterprises_table_is_one_problem_not_a_cascade(spoil, plan, tmp_path):
    """The members and supply rows are not each reported as "not in the enterprises table" when that
    table could not be read or has no rows: one problem, for the file that has it."""
    paths = write_csv(tmp_path)
    ent = paths[0]
    content = {"empty file": b"", "binary": b"\x00\x01\x02\xff\xfe garbage",
               "header only": ent.read_bytes().splitlines(keepends=True)[0],
               "wrong header": "甲,乙,丙\n1,2,3\n".encode("utf-8")}[spoil]
    ent.write_bytes(content)
    _, problems, _ = read_chain_files(paths, plan)
    assert problems and all(p.file == ent.name for p in problems), [(p.file, p.code) for p in problems]
    assert not any(p.code in ("unknown_enterprise", "supplier_not_member") for p in problems)


def test_an_unusable_members_table_skips_the_supplier_membership_check(plan, tmp_path):
    paths = write_csv(tmp_path)
    paths[1].write_bytes(paths[1].read_bytes().splitlines(keepends=True)[0])  # the header, no rows
    _, problems, _ = read_chain_files(paths, plan)
    assert [(p.file, p.code) for p in problems] == [(paths[1].name, "empty_table")]


def test_a_readable_enterprises_table_still_checks_every_reference(plan, tmp_path):
    """The skip is for an unusable table only: a member missing from a good enterprises table is reported."""
    data = tables(enterprises=lambda rows: rows.pop(1))  # A is gone: its member row and its supply rows
    _, problems, _ = read_chain_files(write_csv(tmp_path, data), plan)
    codes = [p.code for p in problems]
    assert "unknown_enterprise" in codes and {p.value for p in problems if p.code == "unknown_enterprise"} == {A}


CELL = st.one_of(st.text(max_size=12), st.sampled_from(["", "motors", "磁材", "配套", "链主", "100", "-1", "1e400",
                                                         "nan", "inf", "990101", "CN", "%", A, B, "=cmd|' /C calc'!A0"]),
                 st.text(alphabet=string.digits + "ABCDEFGHJKLMNPQRTUWXY", min_size=18, max_size=18))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["enterprises", "members", "supply"]),
                       st.lists(st.lists(CELL, min_size=0, max_size=7), min_size=0, max_size=6), max_size=3))
def test_random_cells_give_problems_never_a_traceback(plan, tmp_path, noise):
    changes = {name: (lambda rows, extra=extra: rows.extend(extra)) for name, extra in noise.items()}
    frames, problems, _ = read_chain_files(write_csv(tmp_path, tables(**changes)), plan)
    assert bool(frames) != bool(problems)
    for p in problems:
        assert p.message_zh and p.message_en and p.code
    if frames:  # whatever was accepted keeps the contract
        assert frames["chain_supply"]["share"].between(0, 1).all()
        assert set(frames["chain_members"]["role"]) <= set(chains.ROLES)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_random_bytes_are_an_unreadable_file_or_problems(plan, tmp_path, data):
    path = tmp_path / "supply.csv"
    path.write_bytes(data)
    frames, problems, _ = read_chain_files([path], plan)
    assert frames == {} and problems


def test_every_chain_problem_code_is_documented():
    import re

    root = Path(__file__).parents[2]
    src = (root / "zhizao" / "ingest" / "chains.py").read_text(encoding="utf-8")
    # a problem's code is the snake_case literal just before its Chinese message
    codes = set(re.findall(r'"([a-z]+(?:_[a-z0-9]+)+)",\s*f?"[^"]*[\u4e00-\u9fff]', src))
    codes -= {*chains.ENTERPRISE_COLUMNS, *chains.MEMBER_COLUMNS, *chains.SUPPLY_COLUMNS, *chains.CHAIN_TABLES}
    doc = (root / "docs" / "data-import.md").read_text(encoding="utf-8").split("## Chain data", 1)[1]
    missing = sorted(c for c in codes if f"`{c}`" not in doc)
    assert len(codes) > 20 and not missing, missing


# --- second review fixes ------------------------------------------------------------------------
def test_a_cell_too_long_is_one_problem_not_also_empty(plan, tmp_path):
    long = "长" * 100_000
    data = tables(enterprises=_append([code("990101", 7), long, "990101", "", ""]))
    frames, problems, _ = read_chain_files(write_csv(tmp_path, data), plan)
    mine = [p for p in problems if p.row == 7 and p.file == "enterprises.csv"]
    assert [p.code for p in mine] == ["cell_too_long"], [p.message_en for p in mine]


@pytest.mark.parametrize("country,ok", [("ZZ", False), ("XX", False), ("de", True), ("JP", True)])
def test_country_is_an_assigned_iso_3166_code(plan, tmp_path, country, ok):
    data = tables(enterprises=_append([f"{country.upper()}-ONE-01", "境外企业", "", country, ""]))
    frames, problems, _ = read_chain_files(write_csv(tmp_path, data), plan)
    bad = [p for p in problems if p.code == "bad_country"]
    assert (not bad) == ok, [p.message_en for p in problems]
    if not ok:
        assert (bad[0].row, bad[0].value) == (7, country)


def test_the_249_iso_codes_with_their_source():
    from zhizao.codes import countries
    assert len(countries.ALPHA_2) == 249 and {"CN", "JP", "DE", "SS", "XK"} - {"XK"} <= countries.ALPHA_2
    assert "ZZ" not in countries.ALPHA_2 and "XK" not in countries.ALPHA_2  # user-assigned codes are not countries
    assert "iso-codes" in countries.__doc__


@pytest.mark.parametrize("share,refused,total", [("60.000001", False, None), ("60.00005", False, None),
                                                 ("60.00015", True, "100.0001"), ("60.001", True, "100.001")])
def test_shares_of_a_need_have_a_relative_tolerance_of_1e_6(plan, tmp_path, share, refused, total):
    """60 % + 40 %: a spreadsheet's rounding (100.000001 %) is accepted; above 100.0001 % refused, and the
    total printed with the digits that make "超过100%" true."""
    data = tables(supply=lambda rows: rows[1].__setitem__(4, share))
    frames, problems, _ = read_chain_files(write_csv(tmp_path, data), plan)
    over = [p for p in problems if p.code == "share_over_100"]
    assert bool(over) == refused, [p.message_en for p in problems]
    if refused:
        assert f"合计 {total}%" in over[0].message_zh and float(total) > 100
    else:
        assert problems == [] and frames["chain_supply"]["share"].max() <= 1
