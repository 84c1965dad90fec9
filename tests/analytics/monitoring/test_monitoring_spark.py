"""The spark engine (analytics.monitoring.spark, in Spark local mode) gives the numpy refresh's results on
the synthetic data: every table and aggregate series to 1e-12 relative, every warning exactly — at the
latest period and an earlier one, through `zhizao.api.refresh_data` with `monitoring_engine = spark` on a
folder whose monthly reports are Parquet parts, with January reported apart from February, reports of
enterprises outside the directory, missing values, and a directory without the cluster column.

CI installs pyspark (zhizao[spark]) and Java (scripts/install.sh --test), so there these tests run; on a
machine without them they are skipped, never under CI."""
import os
import shutil
import warnings

import numpy as np
import pandas as pd
import pytest

import zhizao.api as zz
from zhizao.settings import Settings

from tests.analytics.monitoring.test_monitoring_new_period import assert_same, data

try:
    import pyarrow as pa
    import pyspark  # noqa: F401
    MISSING = None if shutil.which("java") or os.environ.get("JAVA_HOME") else "no Java runtime"
except ImportError:
    MISSING = "pyspark is not installed"
if MISSING and os.environ.get("CI"):
    raise RuntimeError(f"CI must run the Spark tests, but {MISSING}: scripts/install.sh --test installs both")
pytestmark = pytest.mark.skipif(MISSING is not None, reason=f"the spark engine needs zhizao[spark] and Java: {MISSING}")

SPARK = Settings({"monitoring_engine": "spark"})


@pytest.fixture(scope="module")
def spark():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # pyspark's note on pandas 3: zhizao passes Arrow, not pandas
        session = zz.spark_session("local[2]", **{"spark.sql.shuffle.partitions": "4"})
    yield session
    session.stop()


def frame(spark, df: pd.DataFrame):
    return spark.createDataFrame(pa.Table.from_pandas(df, preserve_index=False))


def refreshes(spark, ent, monthly, prices, period=None):
    from zhizao.analytics.monitoring.spark import refresh_spark

    got = refresh_spark(frame(spark, ent), frame(spark, monthly), frame(spark, prices), period=period)
    return got, zz.refresh(ent, monthly, prices, period=period)


def test_spark_equals_numpy_at_the_latest_and_an_earlier_period(spark):
    d = data()[0]
    for period in (None, "2021-06"):
        got, want = refreshes(spark, d.enterprises, d.monthly, d.prices, period)
        assert_same(got, want)
        assert len(want.warnings) and len(want.enterprises) == len(d.enterprises)
    assert {"spark.aggregates", "spark.window"} <= set(got.timings)


def test_january_apart_outsiders_missing_values_and_no_cluster_column(spark):
    d = data()[0]
    m = d.monthly.copy()
    feb = m.index[(m["month"] == 2) & (m["year"] == 2020)][:100]
    jan = m.loc[feb].assign(month=1)
    m.loc[feb, "value_added"] *= 0.5
    jan["value_added"] *= 0.5
    outsider = m.iloc[:20].assign(enterprise_id=10**7)  # not in the directory: left out by both engines
    m = pd.concat([m, jan, outsider], ignore_index=True)
    m.loc[m.sample(50, random_state=2).index, "output"] = np.nan
    ent = d.enterprises.drop(columns=["cluster"])
    got, want = refreshes(spark, ent, m, d.prices)
    assert_same(got, want)


def test_refresh_data_picks_the_engine_by_setting_and_reads_parquet_parts(spark, tmp_path):
    d = data()[0]
    d.write(tmp_path)
    monthly = tmp_path / "monthly.parquet"
    monthly.unlink()
    monthly.mkdir()  # written in pieces, one per year, as a partitioned export would be
    for year, part in d.monthly.groupby("year"):
        part.to_parquet(monthly / f"part-{year}.parquet", index=False)
    got = zz.refresh_data(tmp_path, settings=SPARK, spark=spark)
    want = zz.refresh_data(tmp_path)
    assert_same(got, want)
    assert "spark.aggregates" in got.timings and "spark.aggregates" not in want.timings



def test_the_cli_honours_the_engine_setting(spark, tmp_path):
    """`zhizao monitor -s monitoring_engine=spark` gives the numpy command's JSON (the session of the
    fixture is reused: getOrCreate)."""
    import json

    from typer.testing import CliRunner

    from tests.analytics.monitoring.test_monitoring_cli import app

    d = data()[0]
    d.write(tmp_path)
    runner = CliRunner()
    out = {}
    for engine in ("numpy", "spark"):
        r = runner.invoke(app, ["monitor", "--data", str(tmp_path), "--by", "district", "--format", "json",
                                "--set", f"monitoring_engine={engine}"])
        assert r.exit_code == 0, r.output
        out[engine] = json.loads(r.stdout[r.stdout.index("["):])
    assert [x["subject_id"] for x in out["spark"]] == [x["subject_id"] for x in out["numpy"]]
    for a, b in zip(out["spark"], out["numpy"]):
        assert a["pull_pp"] == pytest.approx(b["pull_pp"], rel=1e-9, abs=1e-12) and a["light"] == b["light"]


def test_a_spark_failure_is_a_message_not_a_trace(spark, tmp_path):
    from zhizao.errors import UserError

    with pytest.raises(UserError) as e:
        zz.refresh_data("file:///nonexistent/zhizao-data", settings=SPARK, spark=spark)
    assert "Spark" in e.value.reason("zh") and "docs/monitoring.md" in e.value.reason("en")


def test_the_enterprise_window_received_in_pieces_gives_the_same(spark, monkeypatch):
    import zhizao.analytics.monitoring.spark as engine

    monkeypatch.setattr(engine, "WINDOW_PIECE_CELLS", 997)  # a few thousand cells: several pieces, uneven bounds
    d = data()[0]
    got, want = refreshes(spark, d.enterprises, d.monthly, d.prices)
    assert_same(got, want)
