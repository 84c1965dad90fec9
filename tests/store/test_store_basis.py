"""The basis columns in the store: stored with each value, and added to an older store file."""
from pathlib import Path

import duckdb

import zhizao.api as zz
from zhizao.store.store import Store

ASSETS = Path(__file__).parents[1] / "assets"
PLAN = ASSETS / "fictional-plan.yaml"
HEAD = "series,period,value,unit,basis,grade,source_url\n"


def _old_store(path: Path) -> None:
    """A store as written before the basis existed: observations without basis / basis_from."""
    plan = zz.load_plan(PLAN)
    zz.import_data(ASSETS / "fictional-links.yaml", plan=plan, db=path)
    zz.import_data(ASSETS / "fictional-data.csv", plan=plan, db=path)
    con = duckdb.connect(str(path))
    con.execute("ALTER TABLE observations DROP COLUMN basis_from")
    con.execute("ALTER TABLE observations DROP COLUMN basis")
    con.close()


def test_old_store_read_only_reads_levels(tmp_path):
    db = tmp_path / "old.duckdb"
    _old_store(db)
    with Store(db, read_only=True) as s:
        obs = s.observations()
    assert len(obs) and set(obs["basis"]) == {"level"} and obs["basis_from"].isna().all()


def test_old_store_gains_the_columns_and_takes_new_imports(tmp_path):
    db = tmp_path / "old.duckdb"
    _old_store(db)
    before = len(zz.observations(db=db))
    plan = zz.load_plan(PLAN)
    (tmp_path / "d.csv").write_text(HEAD + "energy_intensity,2023,较2022年累计下降4%,%,,A,https://e.org/1\n"
                                    "energy_intensity,2024,-3,%,比上年,A,https://e.org/2\n", encoding="utf-8")
    zz.import_data(tmp_path / "d.csv", plan=plan, db=db)
    obs = zz.observations(db=db)
    assert len(obs) == before + 2
    new = obs.sort_values("obs_id").tail(2)
    assert list(new["basis"]) == ["cumulative_since", "change_on_previous_year"]
    assert list(new["basis_from"].fillna("")) == ["2022", ""]
    assert set(obs.sort_values("obs_id").head(before)["basis"]) == {"level"}
    con = duckdb.connect(str(db), read_only=True)
    cols = [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                      "WHERE table_name = 'observations'").fetchall()]
    con.close()
    assert {"basis", "basis_from"} <= set(cols)


def test_same_value_on_another_basis_is_not_already_stored(tmp_path, store_db):
    plan = zz.load_plan(PLAN)
    db = store_db
    zz.import_data(ASSETS / "fictional-links.yaml", plan=plan, db=db)
    (tmp_path / "a.csv").write_text(HEAD + "energy_intensity,2024,-3,%,比上年,A,https://e.org/1\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text(HEAD + "energy_intensity,2024,-3,%,较2022年累计,A,https://e.org/1\n",
                                    encoding="utf-8")
    zz.import_data(tmp_path / "a.csv", plan=plan, db=db)
    zz.import_data(tmp_path / "b.csv", plan=plan, db=db)  # not refused as already stored
    assert sorted(zz.observations(db=db)["basis"]) == ["change_on_previous_year", "cumulative_since"]
