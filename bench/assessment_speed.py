"""Speed of the plan assessment (`zhizao.api.assess`) on the embedded plans with their bundled data
and on the fictional test plan (not a timed test).

    python bench/assessment_speed.py [--runs 7] [--lang zh|en|both]

Each store is created and filled once (bundled data, or the fictional plan's files), outside the
timer. Then, per plan and language, the median of `--runs` calls of `api.assess(plan, db=…)` (store
read + analytics) and of `assess_plan` alone on data read once (the analytics).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import zhizao.api as zz  # noqa: E402
from zhizao.analytics.assessment import assess_plan  # noqa: E402
from zhizao.settings import Settings  # noqa: E402

ASSETS = ROOT / "tests" / "assets"


def plans(tmp: Path) -> list[tuple[str, object, Path]]:
    out = []
    for plan_id in ("chongqing-manufacturing-2021-2025", "chongqing-manufacturing-2023-2027"):
        db = tmp / f"{plan_id}.duckdb"
        zz.assess(plan_id, db=db)  # creates the store with the bundled data
        out.append((plan_id, plan_id, db))
    fictional = zz.load_plan(ASSETS / "fictional-plan.yaml")
    db = tmp / "fictional.duckdb"
    zz.import_data(ASSETS / "fictional-links.yaml", plan=fictional, db=db)
    zz.import_data(ASSETS / "fictional-data.csv", plan=fictional, db=db)
    out.append(("fictional (tests/assets)", fictional, db))
    return out


def median_s(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--lang", choices=["zh", "en", "both"], default="both")
    args = ap.parse_args()
    langs = ["zh", "en"] if args.lang == "both" else [args.lang]
    with tempfile.TemporaryDirectory() as tmp:
        print(f"median of {args.runs} runs")
        print(f"{'plan':40} {'lang':4} {'api.assess':>11} {'assess_plan':>12}")
        for name, plan, db in plans(Path(tmp)):
            plan_obj = zz.resolve_plan(plan, db, register=False)
            with zz.open_store(db, plan_obj) as store:
                obs = store.observations(include_nonfinite=True)
                links = store.links(plan_obj.plan.id)
            for lang in langs:
                full = median_s(lambda: zz.assess(plan, db=db, lang=lang), args.runs)
                pure = median_s(lambda: assess_plan(plan_obj, obs, links, settings=Settings(), lang=lang), args.runs)
                print(f"{name:40} {lang:4} {full * 1000:9.0f} ms {pure * 1000:10.0f} ms")


if __name__ == "__main__":
    main()
