"""Imports are all or nothing, revisions are kept, and `as_of` reproduces earlier views: on both
backends (store_db: a DuckDB file, then a PostgreSQL database)."""
from pathlib import Path

import pandas as pd
import pytest

import zhizao.api as zz
from zhizao.store.importing import ImportFailed
from zhizao.store.store import Store

ASSETS = Path(__file__).parents[1] / "assets"
PLAN = ASSETS / "fictional-plan.yaml"
HEAD = "series,region,period,value,unit,grade,source_url,published,vintage,quote\n"


def _db(db):
    plan = zz.load_plan(PLAN)
    zz.import_data(ASSETS / "fictional-links.yaml", plan=plan, db=db)
    return plan, db


def _snapshot(db):
    with Store(db) as s:
        return s.counts(), s.observations().drop(columns=["obs_id"]).to_dict("records")


def test_bad_file_reports_every_problem_and_changes_nothing(tmp_path, store_db):
    plan, db = _db(store_db)
    zz.import_data(ASSETS / "fictional-data.csv", plan=plan, db=db)
    before = _snapshot(db)
    bad = tmp_path / "bad.csv"
    bad.write_text(HEAD + "\n".join([
        "output,,2024,1300,亿元,A,https://x.org/1,,,",          # fine on its own
        "nonexistent,,2024,5,亿元,A,https://x.org/1,,,",        # unknown indicator
        "output,火星区,2024,5,亿元,A,https://x.org/1,,,",        # unknown region
        "output,,2024,约三千,亿元,A,https://x.org/1,,,",         # unparseable value
        "output,,2024,5,万辆,A,https://x.org/1,,,",              # unit not convertible
        "output,,2035,5,亿元,A,https://x.org/1,,,",              # outside the plan
        "output,,2024,1300,亿元,A,https://x.org/1,,,",           # duplicate of row 2
    ]) + "\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as e:
        zz.import_data(bad, plan=plan, db=db)
    codes = {(p.row, p.code) for p in e.value.problems}
    assert {(3, "unknown_series"), (4, "unknown_region"), (5, "bad_value"), (6, "unit_mismatch"),
            (7, "period_outside_plan"), (8, "duplicate_key")} <= codes
    assert all(p.message_zh and p.message_en and p.file == "bad.csv" for p in e.value.problems)
    assert _snapshot(db) == before


def test_gbk_csv_and_unit_conversion(tmp_path, store_db):
    plan, db = _db(store_db)
    f = tmp_path / "gbk.csv"
    f.write_bytes(("指标,时期,数值,单位,等级,网址\noutput,2023,\"11,500,000\",万元,A,https://x.org/g\n").encode("gbk"))
    zz.import_data(f, plan=plan, db=db)
    obs = zz.observations(db)
    row = obs[obs["series"] == "output"].iloc[0]
    assert row["value"] == pytest.approx(1150.0) and row["unit"] == "亿元" and row["unit_original"] == "万元"


def test_revisions_are_kept_and_as_of_reproduces_the_earlier_view(tmp_path, store_db):
    plan, db = _db(store_db)
    first = tmp_path / "v1.csv"
    first.write_text(HEAD + "output,,2024,1250,亿元,A,https://x.org/p,2025-01-20,2025-01-20,预计\n", encoding="utf-8")
    second = tmp_path / "v2.csv"
    second.write_text(HEAD + "output,,2024,1190,亿元,A,https://x.org/f,2025-06-30,2025-06-30,年鉴\n", encoding="utf-8")
    zz.import_data(first, plan=plan, db=db)
    zz.import_data(second, plan=plan, db=db)
    obs = zz.observations(db)
    assert sorted(obs.loc[obs["series"] == "output", "value"]) == [1190, 1250]  # both vintages kept
    latest = {i["id"]: i for i in zz.assess(plan, db=db, year=2024)["indicators"]}["output"]
    early = {i["id"]: i for i in zz.assess(plan, db=db, year=2024, as_of="2025-03-01")["indicators"]}["output"]
    assert latest["actual"] == 1190 and early["actual"] == 1250
    assert latest["conflicts"][0]["value"] == 1250  # the preliminary value stays visible


def test_reimporting_the_same_values_is_refused(store_db):
    plan, db = _db(store_db)
    zz.import_data(ASSETS / "fictional-data.csv", plan=plan, db=db)
    before = _snapshot(db)
    with pytest.raises(ImportFailed) as e:
        zz.import_data(ASSETS / "fictional-data.csv", plan=plan, db=db)
    assert {p.code for p in e.value.problems} == {"already_in_store"}
    assert _snapshot(db) == before


def test_xlsx_import(tmp_path, store_db):
    plan, db = _db(store_db)
    f = tmp_path / "d.xlsx"
    pd.DataFrame({"series": ["parks"], "period": ["2023"], "value": [6], "unit": ["个"], "grade": ["A"],
                  "source_url": ["https://x.org/x"]}).to_excel(f, index=False)
    zz.import_data(f, plan=plan, db=db)
    assert (zz.observations(db)["series"] == "parks").sum() == 1


def test_failed_commit_rolls_back(store_db):
    with Store(store_db) as s:
        from zhizao.store.store import Batch
        bad = Batch(kind="import", file="x", sha256=None,
                    observations=pd.DataFrame({"series": ["a"], "value": [None]}))  # NOT NULL violated
        with pytest.raises(Exception):
            s.commit(bad)
        assert s.counts()["batches"] == 0 and s.counts()["observations"] == 0
