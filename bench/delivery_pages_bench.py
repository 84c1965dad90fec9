"""Scale check of the 三服务 pages (issue 14, review B #2): a store with many problems.

    python bench/delivery_pages_bench.py [--problems 100000] [--keep DIR]

Builds a store in a temporary folder (or DIR) holding N problems of the embedded default plan, imported
as one CSV through `zhizao.api_delivery.import_delivery_data` (districts and units of the plan, a third
resolved, the rest open and mostly overdue), then times the dashboard's start-up as `zhizao serve` starts
it (warm: the first pages' assessments and the delivery statuses computed), and, in that process (FastAPI
TestClient, local mode), the first and the second request of:
/services (HTML), /services?format=json, /services?page=500, /projects, /tasks, /monitoring (without
monitoring data: the delivery warnings listed there), the problem list as CSV, the 三服务问题台账 XLSX.
Reported: seconds and bytes of each. Target: /services (HTML and JSON) under 2 s, first request
included; exit 1 when missed.
"""
from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 2.0


def make_csv(path: Path, n: int, plan) -> None:
    from zhizao.ingest import delivery_frames as dlf

    districts = [d.code for d in plan.regions.districts]
    units = list(dlf.plan_departments(plan)["department_id"]) or districts
    categories = list(dlf.PROBLEM_CATEGORIES)
    heads = [dlf.COLUMN_WORDS["problems"][c][0] for c in dlf.FRAMES["problems"]]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(heads)
        for i in range(n):
            month = 1 + i % 12
            resolved = i % 3 == 0
            row = {"problem_id": f"B{i:07d}", "enterprise_id": "", "enterprise_name": f"压测企业{i % 5000}",
                   "district": districts[i % len(districts)], "category": categories[i % len(categories)],
                   "description": f"第 {i} 个问题：用地指标未落实", "department": units[i % len(units)],
                   "raised": f"2024-{month:02d}-01", "deadline": f"2024-{month:02d}-28",
                   "status": "resolved" if resolved else "open",
                   "resolved": f"2024-{month:02d}-20" if resolved else "", "resolution": "已协调" if resolved else "",
                   "note": ""}
            w.writerow([row.get(c, "") for c in dlf.FRAMES["problems"]])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--problems", type=int, default=100_000)
    ap.add_argument("--keep", type=Path, default=None, help="folder for the store (kept)")
    args = ap.parse_args()
    from fastapi.testclient import TestClient

    from zhizao import api_delivery
    from zhizao.api import load_plan
    from zhizao.outputs.web.app import create_app

    folder = args.keep or Path(tempfile.mkdtemp(prefix="zhizao-dl-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "store.duckdb"
    plan = load_plan(None)
    if not db.exists():
        src = folder / "三服务问题.csv"
        make_csv(src, args.problems, plan)
        t0 = time.perf_counter()
        out = api_delivery.import_delivery_data([src], db=db, actor="bench", today="2026-01-01")
        print(f"import of {out['problems']:,} problems: {time.perf_counter() - t0:.1f} s")
    # as `zhizao serve` starts: warm (the first pages computed at start-up), start-up timed apart
    app = create_app(db=db, warm=True, monitoring_data=folder / "no-monitoring-data",
                     allowed_hosts=["testserver"])
    paths = ["/services", "/services?format=json", "/services?page=500", "/projects", "/tasks", "/monitoring",
             "/services?table=problems&format=csv", "/services/ledger.xlsx"]
    worst = 0.0
    t0 = time.perf_counter()
    with TestClient(app) as c:
        print(f"start-up (warm: assessments, delivery statuses): {time.perf_counter() - t0:.2f} s")
        for path in paths:
            times = []
            for _ in range(2):
                t0 = time.perf_counter()
                r = c.get(path)
                times.append(time.perf_counter() - t0)
            print(f"{path:45} {r.status_code} first {times[0]:6.2f} s  again {times[1]:6.2f} s  {len(r.content):>12,} bytes")
            if path.startswith("/services?format=json") or path == "/services":
                worst = max(worst, *times)
            if r.status_code != 200:
                worst = float("inf")
    ok = worst < TARGET_S
    print(f"/services worst {worst:.2f} s: {'PASS' if ok else 'FAIL'} (target < {TARGET_S} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
