"""bench/spark_bench.py at a tiny size: it writes the partitioned data set (one Parquet part per piece,
enterprise ids apart), refreshes it with the spark engine in local mode and with the single machine's
part-by-part panel, and finds the same results. Speed is the benchmark's own business."""
import json
import subprocess
import sys
from pathlib import Path

from tests.analytics.monitoring.test_monitoring_spark import pytestmark  # noqa: F401 - skipped as the Spark tests are

ROOT = Path(__file__).resolve().parents[2]


def test_a_tiny_partitioned_run_gives_the_same_results(tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "spark_bench.py"), "--parts", "2", "--enterprises", "300",
                        "--months", "24", "--data-dir", str(tmp_path), "--spark-master", "local[2]",
                        "--driver-memory", "1g", "--shuffle-partitions", "4"],
                       capture_output=True, text=True, timeout=900, cwd=ROOT, check=False)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert "same results: yes" in r.stdout
    assert sorted(p.name for p in (tmp_path / "monthly.parquet").iterdir()) == ["part-000.parquet", "part-001.parquet"]
    spark = json.loads((tmp_path / "result-spark.json").read_text())
    numpy = json.loads((tmp_path / "result-numpy.json").read_text())
    assert spark["enterprises"] == numpy["enterprises"] > 600 and spark["warnings"] == numpy["warnings"]
