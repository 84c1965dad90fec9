"""bench/muju_bench.py: a --small run reports both implementations, their classes and whether they agree;
its plain pandas formula gives the classes worked out by hand. Speed is not asserted here (that is the
benchmark's own job, on a quiet machine)."""
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from zhizao.codes.uscc import make_code
from zhizao.ingest.enterprise_frames import FRAMES, EnterpriseData, empty_frame
from zhizao.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "muju_bench.py"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=600,
                          cwd=ROOT, check=False)


def bench():
    spec = importlib.util.spec_from_file_location("muju_bench", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


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
    # 5 evaluated, A 20 % B 45 % C 30 % D 5 %: rank 1 A; ranks 2–3 B (≤ 3.25); rank 4 C (≤ 4.75); rank 5 D
    assert out.loc[ids, "klass"].tolist() == ["D", "C", "B", "B", "A", ""]
    capped = bench().pandas_evaluate(five_firms(), 2024, Settings({"muju_item_cap": 1.5}))
    top = capped.set_index("enterprise_id").loc[ids[4], "score"]
    assert top == pytest.approx(45 + 30 + 50)  # tax/mu 5/3 × 30 = 50 > 1.5 × 30; VA/mu 50/30 × 20 > 1.5 × 20


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
