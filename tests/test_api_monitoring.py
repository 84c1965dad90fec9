"""The stored monitoring panel (zhizao.api_monitoring over zhizao.store.arrays): a stored refresh loads
memory-mapped and refreshes to the same results; add_period adds the next period in place and equals a
full refresh; a new year rewrites the folder; a refused period leaves the folder as it was; an
interrupted one is detected on load and cleaned by the next add_period; a folder of another format
or no folder at all is a UserError naming it."""
import numpy as np
import pandas as pd
import pytest

import zhizao.api as zz
from zhizao.analytics.monitoring.context import context_from_panel
from zhizao.errors import UserError
from zhizao.store import arrays

from tests.analytics.monitoring.test_monitoring_new_period import assert_same, data, known_by


def stored(tmp_path, upto=202105):
    d, key, periods = data()
    base = d.monthly[key <= upto]
    ent = known_by(d.enterprises, base)
    folder = tmp_path / "panel"
    zz.save_panel(zz.refresh(ent, base, d.prices).context, folder, source={"synthetic": True, "seed": 3})
    return d, key, periods, folder, ent


def test_a_stored_refresh_loads_memory_mapped_and_gives_the_same_results(tmp_path):
    d, key, periods, folder, ent = stored(tmp_path)
    full = zz.refresh(ent, d.monthly[key <= 202105], d.prices)
    ctx = zz.load_panel(folder)
    assert isinstance(ctx.panel.values["value_added"].base, np.memmap) or isinstance(
        ctx.panel.values["value_added"].T, np.memmap)
    assert_same(zz.refresh_context(ctx), full)  # from the stored aggregates
    assert_same(zz.refresh_context(context_from_panel(ctx.panel, ctx.groups)), full)  # recomputed from the panel
    meta = zz.panel_meta(folder)
    assert meta["period"] == "2021-05" and meta["source"] == {"synthetic": True, "seed": 3}
    assert meta["price_basis"]["value_added"] == "constant"


def test_add_period_equals_a_full_refresh_and_persists(tmp_path):
    d, key, periods, folder, ent = stored(tmp_path)
    for p in (202106, 202107):
        rows = d.monthly[key == p]
        got = zz.add_period(folder, rows, d.prices)
        full = zz.refresh(ent, d.monthly[key <= p], d.prices)
        assert_same(got, full)
        assert_same(zz.refresh_context(zz.load_panel(folder)), full)
    assert zz.panel_meta(folder)["period"] == "2021-07"


def test_a_new_year_rewrites_the_folder_with_its_new_enterprises(tmp_path):
    d, key, periods, folder, ent = stored(tmp_path, upto=202012)
    rows = d.monthly[key == 202102]
    now = known_by(d.enterprises, d.monthly[key <= 202102])
    got = zz.add_period(folder, rows, d.prices, enterprises=now)
    assert_same(got, zz.refresh(now, d.monthly[key <= 202102], d.prices))
    ctx = zz.load_panel(folder)
    assert (ctx.panel.n, ctx.n_slots) == (len(now), 33)
    assert not list(folder.parent.glob(".panel.*"))  # no temporary folder left behind


def test_a_refused_period_leaves_the_folder_as_it_was(tmp_path):
    d, key, periods, folder, ent = stored(tmp_path)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    rows = d.monthly[key == 202106]
    with pytest.raises(UserError, match="2021-06"):
        zz.add_period(folder, d.monthly[key == 202107], d.prices)  # one period skipped
    with pytest.raises(UserError):
        zz.add_period(folder, pd.concat([rows, rows.iloc[:1]]), d.prices)  # an enterprise twice
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_an_interrupted_period_is_detected_then_cleaned(tmp_path):
    d, key, periods, folder, ent = stored(tmp_path)
    f = arrays.open_folder(folder, writable=True)
    slot = f.meta["latest"] + 1
    f.large["reported"][slot, :5] = True  # cells written, the commit never made
    f.large["values.value_added"][slot, :5] = 99.0
    arrays.flush(f)
    del f
    with pytest.raises(UserError, match="add_period"):
        zz.load_panel(folder)
    got = zz.add_period(folder, d.monthly[key == 202106], d.prices)
    assert_same(got, zz.refresh(ent, d.monthly[key <= 202106], d.prices))


def test_not_a_panel_folder_and_another_format_are_named(tmp_path):
    with pytest.raises(UserError, match="small.npz"):
        zz.load_panel(tmp_path)
    d, key, periods, folder, ent = stored(tmp_path)
    meta = arrays.read_meta(folder)
    with np.load(folder / arrays.SMALL) as z:
        small = {k: z[k] for k in z.files if k != arrays.META_KEY}
    arrays._write_small(folder, small, {**meta, "format": 99})
    with pytest.raises(UserError, match="99"):
        zz.load_panel(folder)


def test_a_refresh_without_micro_data_cannot_be_stored(tmp_path):
    from tests.analytics.monitoring.monitoring_helpers import city_levels, ctx_from

    with pytest.raises(UserError):
        zz.save_panel(ctx_from(city_levels([1.0] * 22)), tmp_path / "p")
    assert not (tmp_path / "p").exists()


def test_the_spark_engine_without_pyspark_is_a_message(tmp_path, monkeypatch):
    import builtins

    real = builtins.__import__

    def no_pyspark(name, *a, **k):
        if name.startswith("pyspark"):
            raise ImportError(name)
        return real(name, *a, **k)

    d, key, periods = data()
    d.write(tmp_path)
    monkeypatch.setattr(builtins, "__import__", no_pyspark)
    with pytest.raises(UserError) as e:
        zz.refresh_data(tmp_path, settings={"monitoring_engine": "spark"})
    assert "zhizao[spark]" in e.value.reason("zh") and "zhizao[spark]" in e.value.reason("en")


def test_refresh_data_names_a_folder_without_reports(tmp_path):
    with pytest.raises(UserError, match="enterprises.parquet"):
        zz.refresh_data(tmp_path)
    with pytest.raises(UserError, match="spark"):
        zz.refresh_data("hdfs://cluster/monitoring")  # a remote path needs the spark engine


def test_a_spark_error_is_told_by_its_java_message():
    from zhizao.api_monitoring import _spark_reason

    e = RuntimeError("An error occurred while calling o64.getResult.\n: org.apache.spark.SparkException: Job aborted "
                     "due to stage failure: Total size of serialized results is bigger than spark.driver.maxResultSize"
                     "\n\tat org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages(DAGScheduler.scala:1)")
    assert _spark_reason(e).startswith("org.apache.spark.SparkException: Job aborted")  # Py4J's ": " prefix too
    assert _spark_reason(ValueError("plain")) == "plain"
