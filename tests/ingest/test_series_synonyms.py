"""One series, one name: the near-duplicates releases use (规上工业产值, 规模工业产值增长率 …) are read as
the series they denote (resources/reference/series-synonyms.csv), and the import keeps the
published name in the note."""
from __future__ import annotations

import pytest

from zhizao.ingest.names import read_series_name, series_synonyms


@pytest.mark.parametrize("published, series, month", [
    ("规上工业产值(一季度)", "规模以上工业总产值", 3),
    ("规上工业产值", "规模以上工业总产值", None),
    ("规模工业产值增长率(前三季度)", "规模以上工业总产值增长率", 9),
    ("规上工业增加值累计增长率(前三季度)", "规模以上工业增加值增长率", 9),
    ("规上工业总产值（前三季度）", "规模以上工业总产值", 9),
])
def test_synonyms_name_the_series(published, series, month):
    name = read_series_name(published)
    assert (name.series, name.month, name.changed) == (series, month, True)


def test_a_registered_name_and_other_names_are_left_alone():
    assert read_series_name("规模以上工业总产值").changed is False
    assert read_series_name("软件业务收入(预计)").series == "软件业务收入"
    assert read_series_name("工业增加值增长率").series == "工业增加值增长率"  # 全部工业 ≠ 规上


def test_the_table_maps_to_names_that_are_not_themselves_synonyms():
    table = series_synonyms()
    assert table and not set(table.values()) & set(table)


def test_bundled_district_observations_keep_the_published_name(tmp_path):
    from zhizao import api

    obs = api.observations(db=tmp_path / "store.duckdb")
    rows = obs[obs["series"] == "规模以上工业总产值"]
    assert rows["note"].str.contains("名称原文 / as published: 规上工业产值", regex=False).any()
    assert not obs["series"].isin(list(series_synonyms())).any()
