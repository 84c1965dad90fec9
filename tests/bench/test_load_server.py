"""A short run of bench/load_server.py (3 users × 3 s, one uploader): the report's shape and no error.
Speed is not asserted here (that is the benchmark's own job, on a quiet machine)."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "load_server.py"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=600,
                          cwd=ROOT, check=False)


def test_short_run_reports_every_kind_without_error():
    r = run("--users", "3", "--seconds", "3", "--uploaders", "1", "--uploads-each", "2", "--think", "0.2", "--json")
    assert r.returncode in (0, 1), r.stderr  # 1 = slower than the target on a busy machine, not a failure here
    rep = json.loads(r.stdout)
    assert rep["mode"] == "anonymous" and "anonymous" in rep["accounts_note"]
    assert rep["config"]["users"] == 3 and rep["config"]["uploaders"] == 1 and rep["config"]["backend"] == "duckdb"
    assert rep["errors"] == [] and rep["overall"]["errors"] == 0, rep["errors"]
    kinds = {k["kind"]: k for k in rep["kinds"]}
    assert 1 <= kinds["POST /data/upload"]["n"] <= 2  # accepted; a second one may not start before the deadline
    assert any(k.startswith("GET ") for k in kinds)
    for k in rep["kinds"]:
        assert set(k) == {"kind", "n", "p50_ms", "p95_ms", "p99_ms", "max_ms", "errors"}
        assert k["n"] >= 1 and k["p50_ms"] <= k["p95_ms"] <= k["p99_ms"] <= k["max_ms"]
    o = rep["overall"]
    assert o["n"] == sum(k["n"] for k in rep["kinds"]) and o["p50_ms"] <= o["p95_ms"] <= o["p99_ms"]
    assert rep["target"]["met"] == (r.returncode == 0) == (o["p95_ms"] < 300)


def test_a_wrong_option_is_one_line_and_exit_2():
    r = run("--users", "-1")
    assert r.returncode == 2 and "--users" in r.stderr and "Traceback" not in r.stderr


def test_a_missing_store_is_a_message_and_exit_3(tmp_path):
    r = run("--db", str(tmp_path / "none.duckdb"), "--seconds", "1")
    assert r.returncode == 3 and "no such DuckDB file" in r.stderr and "Traceback" not in r.stderr
