"""bench/monitoring_bench.py's profile: a province run of the zhizao refresh prints where the time goes, its
parts add up to the refresh, and the one-column scan is measured beside it; the stored panel's run
(load, a new period, a full refresh from it) gives the full refresh's results. Speed is not asserted here
(that is the benchmark's own job, on a quiet machine)."""
import json
import subprocess
import sys
from pathlib import Path

from tests.scripts import load_script

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "monitoring_bench.py"


def bench():
    return load_script("bench/monitoring_bench.py")


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
    stored = {"new_period_s": 0.4, "full_s": 2.5, "maxrss_gib": 1.0, "load_s": 0.1}
    met = {what: ok for what, _, _, ok in b.scale_target_rows(stored)}
    assert met == {"new_period_s": True, "full_s": False, "maxrss_gib": True, "load_s": True}  # strictly under
    national = b.stored_rows(stored, national=True)
    assert [r[3] for r in national] == ["PASS", "PASS", "FAIL", "PASS"]  # load, new period, full, memory
    assert all(r[2] == "—" and r[3] == "—" for r in b.stored_rows(stored, national=False))  # no target at province


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
    # the stored panel: loaded, the last period added, a full refresh from it — both equal to the full refresh
    assert "Stored panel (issue 15), province" in r.stdout
    assert "same results as the full refresh: new period / full from stored" in r.stdout
    s = json.loads((tmp_path / "province" / "result-stored.json").read_text())
    assert b_same(s["new"], summary) and b_same(s["full"], summary)
    assert s["new"]["warnings"] and s["load_s"] > 0 and s["new_period_s"] > 0


def b_same(a, b):
    return bench()._same(a, b)
