"""Speed of the plan assessment (`zhizao.api.assess`) on the embedded plans with their bundled data
and on the fictional test plan (not a timed test).

    python bench/assessment_speed.py [--runs 7] [--lang zh|en|both]

Each store is created and filled once (bundled data, or the fictional plan's files), outside the
timer. Then, per plan and language, the median of `--runs` calls of:
- `api.assess(id, db=…)`: as the CLI and notebooks call it (resolve and register the plan, open the
  store, read, assess);
- `api.assess(Plan, db=…)`: open the store, read, assess;
- `assess_plan` on data read once: the analytics alone, as the dashboard runs them on its cached reads;
and, per plan, `assess_plan_languages` (zh and en from one computation of the evidence).

Measured on the shared 2-core machine (medians of 7; "before" is the code before issue 11's PERF
change, run as this script from an export of that commit):

| plan | api.assess(id) | api.assess(Plan) | assess_plan |
| --- | --- | --- | --- |
| 2021-2025, before → after | 429 → 88 ms (4.9×) | 391 → 61 ms (6.4×) | 335 → 11 ms (30×) |
| 2023-2027, before → after | 292 → 83 ms (3.5×) | 261 → 59 ms (4.4×) | 203 → 7 ms (29×) |
| fictional, before → after | 72 → 37 ms | 71 → 39 ms | 34 → 3 ms |

zh and en together (`assess_plan_languages`): 14 ms for the 2021-2025 plan. What remains of an
`api.assess` call is opening the DuckDB file and reading it (≈ 50 ms), and for an id, registering
the plan.
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

try:  # absent before the speed-up (to run this script on the old code)
    from zhizao.analytics.assessment import assess_plan_languages  # noqa: E402
except ImportError:
    assess_plan_languages = None
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


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


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
        print(f"{'plan':36} {'lang':5} {'api.assess(id)':>14} {'api.assess(Plan)':>16} {'assess_plan':>12}")
        for name, plan, db in plans(Path(tmp)):
            plan_obj = zz.resolve_plan(plan, db, register=False)
            with zz.open_store(db, plan_obj) as store:
                obs = store.observations(include_nonfinite=True)
                links = store.links(plan_obj.plan.id)
            for lang in langs:
                by_id = median_s(lambda: zz.assess(plan, db=db, lang=lang), args.runs)
                by_obj = median_s(lambda: zz.assess(plan_obj, db=db, lang=lang), args.runs)
                pure = median_s(lambda: assess_plan(plan_obj, obs, links, settings=Settings(), lang=lang), args.runs)
                print(f"{name:36} {lang:5} {ms(by_id):>14} {ms(by_obj):>16} {ms(pure):>12}")
            if assess_plan_languages is not None and len(langs) == 2:
                both = median_s(lambda: assess_plan_languages(plan_obj, obs, links, settings=Settings()), args.runs)
                print(f"{name:36} {'zh+en':5} {'':>14} {'':>16} {ms(both):>12}  (assess_plan_languages)")


if __name__ == "__main__":
    main()
