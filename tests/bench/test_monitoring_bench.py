"""bench/monitoring_bench.py's profile: a province run of the zhizao refresh prints where the time goes, its
parts add up to the refresh, and the one-column scan is measured beside it. Speed is not asserted here
(that is the benchmark's own job, on a quiet machine)."""
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "monitoring_bench.py"


def bench():
    spec = importlib.util.spec_from_file_location("monitoring_bench", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_profile_rows_add_up_and_name_every_part():
    b = bench()
    run = {"load_s": 1.0, "refresh_s": 3.0, "scan_s": 0.02,
           "profile": {"panel": 2.0, "panel.index": 0.5, "panel.scatter": 1.0, "panel.deflation": 0.3,
                       "panel.totals": 0.1, "panel.aggregates": 0.1, "growth": 0.2, "contributions": 0.3,
                       "lights": 0.05, "target_gap": 0.05, "drag": 0.1, "anomaly": 0.1, "cusum_shift": 0.05,
                       "change_point": 0.05, "enterprise_sharp_fall": 0.1}}
    rows = {name: (sec, share) for name, sec, share in b.profile_rows(run)}
    assert rows["load (parquet → frames)"] == (1.0, 0.25)
    assert rows["panel: scatter into dense arrays"] == (1.0, 0.25)
    assert abs(rows["lights, target gap, drag"][0] - 0.2) < 1e-12
    assert abs(rows["detectors"][0] - 0.2) < 1e-12 and rows["enterprise rules"][0] == 0.1
    assert rows["refresh total (without load)"] == (3.0, 0.75)
    assert rows["one-column scan (read + sum)"][0] == 0.02
    parts = sum(sec for name, sec, _ in b.profile_rows(run) if not name.startswith(("load", "refresh", "one-")))
    assert abs(parts - 3.0) < 1e-9  # the parts of this run cover its refresh
    met = {what: ok for what, _, _, ok in b.scale_target_rows({"refresh_s": 2.4, "maxrss_gib": 3.5, "load_s": 1.5})}
    assert met == {"refresh_s": True, "maxrss_gib": False, "load_s": False}  # strictly under each target


def test_a_province_run_prints_where_the_time_goes(tmp_path):
    r = subprocess.run([sys.executable, str(SCRIPT), "--scale", "province", "--impl", "zhizao", "--data-dir",
                        str(tmp_path)], capture_output=True, text=True, timeout=900, cwd=ROOT, check=False)
    assert r.returncode in (0, 1), r.stderr  # 1: a speed target missed on a busy machine, not a failure here
    assert "Where the time goes: zhizao, province" in r.stdout
    for part in ("panel: index rows and periods", "panel: scatter into dense arrays", "panel: deflation",
                 "panel: aggregates by subject", "detectors", "enterprise rules", "one-column scan"):
        assert part in r.stdout, part
    summary = json.loads((tmp_path / "province" / "result-zhizao.json").read_text())
    prof = summary["profile"]
    panel_parts = sum(v for k, v in prof.items() if k.startswith("panel."))
    assert 0 < panel_parts <= prof["panel"] + 1e-6  # the parts are inside the panel step
    assert summary["scan_s"] > 0
