"""bench/muju_bench.py: a --small run reports both implementations, their classes and whether they agree;
its plain pandas formula gives the classes worked out by hand. Speed is not asserted here (that is the
benchmark's own job, on a quiet machine)."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from zhizao.codes.uscc import make_code
from zhizao.ingest.enterprise_frames import FRAMES, EnterpriseData, empty_frame
from zhizao.settings import Settings
from tests.scripts import load_script

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "muju_bench.py"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=600,
                          cwd=ROOT, check=False)


def bench():
    return load_script("bench/muju_bench.py")


def test_small_pandas_run_on_the_local_data():
    r = run("--small", "--impl", "pandas", "--local-data", "--json")
    assert r.returncode == 0, r.stderr
    rep = json.loads(r.stdout)
    p = rep["impls"]["pandas"]
    assert rep["size"] == "small" and rep["local_data"] and rep["same_classes"] is None and rep["target"] is None
    assert p["enterprises"] == 20_000 and sum(p["classes"].values()) == 20_000
    evaluated = 20_000 - p["classes"]["not evaluated"]
    assert 0 < p["classes"]["not evaluated"] < 500  # the generator leaves some without land area
    for k, share in zip("ABCD", (20, 45, 30, 5)):  # per group, so within a couple of firms of the shares
        assert abs(p["classes"][k] - evaluated * share / 100) <= 3
    assert p["evaluate_s"] > 0 and p["maxrss_gib"] >= p["work_peak_gib"] > 0


def five_firms() -> EnterpriseData:
    ids = [make_code("990101", f"MA00000{i}") for i in range(1, 7)]
    reg = pd.DataFrame({"enterprise_id": ids, "name": list("甲乙丙丁戊己"), "district": "990101", "park": "",
                        "industry_class": "39", "size": "", "established": ""})
    # tax/mu 1..5 (benchmark 3); VA/mu 10..50; energy, emissions, employees, R&D such that every firm's
    # other items equal the benchmark except that firm 3 has no emissions (average points) and 己 no land
    ann = pd.DataFrame({"enterprise_id": ids, "year": pd.array([2024] * 6, dtype="Int64"),
                        "land_area": [10.0, 10, 10, 10, 10, float("nan")], "revenue": [5000.0] * 6,
                        "tax": [10.0, 20, 30, 40, 50, 60], "value_added": [100.0, 200, 300, 400, 500, 600],
                        "energy": [100.0, 200, 300, 400, 500, 600], "emissions": [1.0, 2, float("nan"), 4, 5, 6],
                        "employees": [10.0, 20, 30, 40, 50, 60], "rd_expense": [150.0] * 6, "electricity": [1.0] * 6})
    for c in FRAMES["annual"]:
        if c not in ann:
            ann[c] = 0.0
    return EnterpriseData(reg, empty_frame("tags"), ann[FRAMES["annual"]], empty_frame("srdi"), empty_frame("parks"),
                          empty_frame("green"), synthetic=True, source="test")


def test_pandas_formula_by_hand():
    out = bench().pandas_evaluate(five_firms(), 2024, Settings()).set_index("enterprise_id")
    ids = list(five_firms().registry["enterprise_id"])
    # tax/mu 1..5 → points 30·x/3 = 10..50; VA/mu 10..50 (benchmark 30) → 20·x/30; the other items are
    # the same for all (value = benchmark → the weight): 20 + 10 + 10 + 10 = 50 each
    expected = [10 + 20 / 3 + 50, 20 + 40 / 3 + 50, 30 + 20 + 50, 40 + 80 / 3 + 50, min(50, 60) + 100 / 3 + 50]
    assert out.loc[ids[:5], "score"].tolist() == pytest.approx(expected)
    # 5 evaluated, A 20 % B 45 % C 30 % D 5 %, cuts rounded half up: A ≤ round(1) = 1, B ≤ round(3.25) = 3,
    # C ≤ round(4.75) = 5 — no D among five (docs/enterprises.md §亩均效益评价)
    assert out.loc[ids, "klass"].tolist() == ["C", "C", "B", "B", "A", ""]
    capped = bench().pandas_evaluate(five_firms(), 2024, Settings({"muju_item_cap": 1.5}))
    top = capped.set_index("enterprise_id").loc[ids[4], "score"]
    assert top == pytest.approx(45 + 30 + 50)  # tax/mu 5/3 × 30 = 50 > 1.5 × 30; VA/mu 50/30 × 20 > 1.5 × 20


def _both(data: EnterpriseData, s: Settings = Settings()) -> pd.DataFrame:
    from zhizao.analytics.enterprises.muju import evaluate

    p = bench().pandas_evaluate(data, 2024, s).set_index("enterprise_id")
    z = evaluate(data, 2024, s).enterprises.set_index("enterprise_id")
    assert p.loc[z.index, "klass"].tolist() == z["klass"].tolist()  # the bench's pandas agrees with zhizao
    np.testing.assert_allclose(p.loc[z.index, "score"].to_numpy(dtype=float), z["score"].to_numpy(dtype=float))
    return p


def test_pandas_benchmark_is_the_groups_aggregate_and_ties_share_the_better_class():
    ids = [make_code("990101", f"MB00000{i}") for i in range(1, 5)]
    reg = pd.DataFrame({"enterprise_id": ids, "name": list("子丑寅卯"), "district": "990101", "park": "",
                        "industry_class": "39", "size": "", "established": ""})
    # below-scale: tax/mu 1, 3, 1 on 10, 30, 20 亩 → benchmark 120/60 = 2 (the mean of the ratios would be 5/3)
    # → 25, 75, 25 points of 50; tax/kWh 1 and 1 (benchmark 1 → 50 each), the third has no electricity → the
    # average 50; the fourth has no revenue: no group, not evaluated
    ann = pd.DataFrame({"enterprise_id": ids, "year": pd.array([2024] * 4, dtype="Int64"),
                        "land_area": [10.0, 30, 20, 10], "revenue": [1000.0, 1000, 1000, float("nan")],
                        "tax": [10.0, 90, 20, 10], "electricity": [10.0, 90, 0, 10]})
    for c in FRAMES["annual"]:
        if c not in ann:
            ann[c] = float("nan")
    data = EnterpriseData(reg, empty_frame("tags"), ann[FRAMES["annual"]], empty_frame("srdi"),
                          empty_frame("parks"), empty_frame("green"), synthetic=True, source="test")
    out = _both(data)
    assert out.loc[ids[:3], "score"].tolist() == pytest.approx([75, 125, 75])
    # n = 3: A ≤ round(0.6) = 1, B ≤ round(1.95) = 2; the tie at rank 2 shares B
    assert out.loc[ids, "klass"].tolist() == ["B", "A", "B", ""]
    assert out.loc[ids[3], "group"] == ""


def test_pandas_points_never_fall_below_zero():
    d = five_firms()
    d.annual.loc[0, "value_added"] = -100.0  # a loss-making firm: its value-added items score 0, not below
    out = _both(d)
    # tax/mu 1 of benchmark 3 → 10; VA/mu, VA/energy, VA/emission, VA/employees → 0; R&D 3 % of 3 % → 10
    assert out.loc[d.registry["enterprise_id"].iloc[0], "score"] == pytest.approx(20)
    _both(d, Settings({"muju_item_cap": 0}))


def test_small_run_compares_zhizao_and_pandas():
    r = run("--small", "--json")
    assert r.returncode in (0, 1), r.stderr  # 1 = slower than the target on a busy machine, or classes differ
    rep = json.loads(r.stdout)
    assert set(rep["impls"]) == {"zhizao", "pandas"}
    assert rep["same_classes"]["same"], rep["same_classes"]
    assert rep["impls"]["zhizao"]["classes"] == rep["impls"]["pandas"]["classes"]
    assert rep["target"]["met"] == (rep["impls"]["zhizao"]["evaluate_s"] < 10) and rep["pass"] == (r.returncode == 0)


def test_a_wrong_option_is_one_line_and_exit_2():
    r = run("--impl", "numpy")
    assert r.returncode == 2 and "--impl" in r.stderr and "Traceback" not in r.stderr
