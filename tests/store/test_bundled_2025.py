"""The bundled 2025 files and official.csv go through the users' import into a new store, with
their vintages; first releases and revisions are both kept; restated targets are not values."""
import math
import pandas as pd
from pathlib import Path

import pytest

import zhizao.api as zz
from zhizao.store.importing import BUNDLED_FILES, bundled_dir
from zhizao.store.store import Store

ASSETS = Path(__file__).parents[1] / "assets"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("b25") / "cq.duckdb"
    zz.open_store(path).close()
    return path


@pytest.fixture(scope="module")
def obs(db):
    with Store(db) as s:
        return s.observations()


def _rows(obs, series, period, region="500000"):
    return obs[(obs.series == series) & (obs.period_key == period) & (obs.region == region)]


def test_every_bundled_file_is_in_the_package():
    assert {"annual_2025.csv", "districts_2025.csv", "monthly_cumulative_2025.csv",
            "yearbook_datasets_2025.csv", "official.csv"} <= set(BUNDLED_FILES)
    assert all(bundled_dir().joinpath(f).is_file() for f in BUNDLED_FILES)


def test_2025_rows_with_vintages(obs):
    gdp = _rows(obs, "地区生产总值", "2025")
    assert set(gdp.value) == {33757.93}
    assert pd.Timestamp(2026, 2, 3) in set(gdp.vintage)  # official.csv published
    g = _rows(obs, "GDP", "2025")  # annual_2025.csv: the date is only in the cq.gov.cn address
    assert pd.Timestamp(2026, 2, 3) in set(g.vintage)
    ytd = _rows(obs, "GDP累计", "2025-09")
    assert list(ytd.value) == [24449.36] and list(ytd.vintage) == [pd.Timestamp(2025, 10, 24)]
    sw = _rows(obs, "软件业务收入", "2025", region="500103")  # 渝中区, (预计) in the name
    assert list(sw.status) == ["preliminary"] and list(sw.value) == [450]
    q1 = obs[(obs.series == "工业增加值增长率") & (obs.period_key == "2025-03")]
    assert list(q1.value) == [7.0]  # (一季度) in the name → the period


def test_two_revision_examples_keep_both_vintages(obs):
    profit = _rows(obs, "规模以上工业企业利润总额", "2021")
    first = profit[profit.value == 1887.5]
    assert list(first.status) == ["preliminary"] and list(first.vintage) == [pd.Timestamp(2022, 5, 17)]
    assert math.isclose(profit[profit.status == "final"].value.min(), 1877.55)
    gdp = _rows(obs, "地区生产总值", "2022")
    first = gdp[gdp.value == 29129.03]
    assert list(first.status) == ["preliminary"] and list(first.vintage) == [pd.Timestamp(2023, 3, 17)]
    revised = gdp[gdp.value == 28771.8]
    assert len(revised) == 1 and list(revised.status) == ["final"]  # official.csv and yearbook kept once


def test_targets_and_ten_year_averages_are_not_2025_values(db, obs):
    assert not obs.series.str.contains("目标").any()
    assert _rows(obs, "软件业务收入", "2025").empty  # the 2025 target 5000 restated
    avg = _rows(obs, "工业增加值年均增长", "2025")
    assert list(avg.basis) == ["average_over"] and list(avg.basis_from) == ["2015"]
    with Store(db) as s:
        note = s.batches().query("kind == 'bundled'").note.iloc[0]
    assert "软件业务收入(2025年规划目标)" in note and "规上工业企业营业收入(规划目标2027)" in note


def test_derived_share_uses_the_revised_gdp(db, obs):
    share = {i["id"]: i for i in zz.assess(db=db)["indicators"]}["industrial_va_share_of_gdp"]
    # 2022: 8276 ÷ the revised (五经普, final) 28771.8, which the selection prefers to the first 29129.03
    assert math.isclose(share["actual"], 8276 / 28771.8 * 100, rel_tol=1e-9) and share["actual_derivation"]
    assert list(_rows(obs, "工业增加值占地区生产总值比重", "2021").value) == [28.3]  # published, official.csv


def test_user_file_in_the_bundled_columns(tmp_path, db):
    copy = tmp_path / "cq.duckdb"
    copy.write_bytes(Path(db).read_bytes())
    s = zz.import_data(ASSETS / "bundled-columns.csv", db=copy)
    assert s.observations == 5
    with Store(copy) as st:
        o = st.observations()
    o = o[o.batch_id == s.batch_id] if "batch_id" in o else o[o.note.fillna("").str.contains("as published")]
    by = {r.series: r for r in o.itertuples()}
    assert by["软件业务收入"].status == "preliminary" and by["软件业务收入"].vintage == pd.Timestamp(2024, 12, 10)
    assert by["工业增加值增长率"].period_key == "2024-03" and by["工业增加值增长率"].vintage == pd.Timestamp(2024, 4, 20)
    assert by["地区生产总值"].status == "final"
    assert by["新能源汽车产量"].qualifier == "about"
    assert math.isclose(by["汽车产量"].value, 250)  # 2.5 million vehicles in 万辆
