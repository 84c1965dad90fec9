"""Random cells and bytes in enterprise files give problems or contract frames, never a traceback —
by the row reader and by the column-wise reader of large CSV files."""
from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from zhizao.ingest import enterprise_frames as ef
from zhizao.ingest import enterprises
from zhizao.ingest.enterprises import read_enterprise_files
from zhizao.plan.load import load_plan

from tests.ingest.test_enterprise_files import A, B, tables
from tests.table_files import write_csv

CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "500112", "沙坪坝区", "P1", "甲新区", "链主", "小巨人", "国家级", "市级", "是", "否", "2024",
                     "2024/5/1", "45413", "2024年2月30日", "1,000", "-1", "1e400", "nan", "inf", "18%", "Ⅱ类", "C3670",
                     A, B, "=cmd|' /C calc'!A0", "\u200b", "１２"]),
    st.text(alphabet=string.digits + "ABCDEFGHJKLMNPQRTUWXY", min_size=18, max_size=18))


@pytest.fixture(scope="module")
def plan():
    return load_plan()


def _check(frames, problems):
    assert bool(frames) != bool(problems)
    for p in problems:
        assert p.message_zh and p.message_en and p.code and p.file
    for name, f in frames.items():  # whatever was accepted keeps the contract
        assert list(f.columns) == ef.FRAMES[name]
    if "tags" in frames:
        assert set(frames["tags"]["tag"]) <= set(ef.TAGS) and set(frames["tags"]["level"]) <= set(ef.LEVELS)
        t = frames["tags"]
        assert ((t["lost"] == "") | (t["lost"] > t["acquired"])).all()
    if "registry" in frames:
        assert set(frames["registry"]["size"]) <= set(ef.SIZES) | {""}
    if "annual" in frames:
        a = frames["annual"]
        assert a["year"].between(1949, 2100).all() and (a[ef.ANNUAL_MEASURES].fillna(0) >= 0).all().all()


@pytest.mark.parametrize("fast", [False, True])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(noise=st.dictionaries(st.sampled_from(list(ef.FRAMES)),
                             st.lists(st.lists(CELL, min_size=0, max_size=9), min_size=0, max_size=5), max_size=3))
def test_random_cells_give_problems_never_a_traceback(plan, tmp_path, monkeypatch, fast, noise):
    monkeypatch.setattr(enterprises, "FAST_CSV_BYTES", 0 if fast else 1 << 30)
    data = tables("500112", "500106")
    for name, extra in noise.items():
        data[name].extend(extra)
    frames, problems, _ = read_enterprise_files(write_csv(tmp_path, data), plan)
    _check(frames, problems)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300), fast=st.booleans())
def test_random_bytes_are_an_unreadable_file_or_problems(plan, tmp_path, monkeypatch, data, fast):
    monkeypatch.setattr(enterprises, "FAST_CSV_BYTES", 0 if fast else 1 << 30)
    path = tmp_path / "annual.csv"
    path.write_bytes(data)
    frames, problems, _ = read_enterprise_files([path], plan)
    assert frames == {} and problems
