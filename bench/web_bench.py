"""Response times of the dashboard: p50/p95 per page against a local uvicorn.

    .venv/bin/python bench/web_bench.py            # 30 requests per page, fresh store with the bundled data
    .venv/bin/python bench/web_bench.py --n 100 --db /path/store.duckdb --check

Starts `python -m zhizao.outputs.web.cli` on a free 127.0.0.1 port (its own process, so the
client does not share the server's interpreter), makes a bounded number of sequential requests
per page after one warm-up request each, prints a table and stops the server. Only 127.0.0.1 is
ever contacted. `--check` exits 1 if any page's p95 exceeds the 300 ms budget.
"""
from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.error import URLError
from urllib.parse import quote
from urllib.request import urlopen

BUDGET_MS = 300.0
PAGES = [
    "/", "/?format=json", "/?lang=en",
    "/indicator/software_revenue", "/indicator/software_revenue?format=json",
    "/indicator/industrial_output_above_scale",
    "/plan", "/plan?q=动力电池", "/plan/industry/new_energy_connected_vehicles", "/plan/cluster/automotive",
    "/districts", "/districts?format=json", "/districts?layer=groups",
    "/data", "/data?q=软件", "/data?format=json",
    "/downloads", "/download/scorecard?format=csv", "/download/observations?format=csv",
    "/geo/chongqing-districts.geojson",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> float:
    start = time.perf_counter()
    with urlopen(url, timeout=30) as r:
        r.read()
        if r.status != 200:
            raise RuntimeError(f"{url}: HTTP {r.status}")
    return (time.perf_counter() - start) * 1000


def wait_until_up(base: str, proc: subprocess.Popen, timeout: float = 120) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            get(base + "/static/app.css")
            return time.monotonic() - start
        except (URLError, ConnectionError):
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=30, help="requests per page (bounded: at most 1000)")
    ap.add_argument("--db", type=Path, help="store to serve (default: a fresh copy with the bundled data)")
    ap.add_argument("--check", action="store_true", help=f"exit 1 if a page's p95 exceeds {BUDGET_MS:.0f} ms")
    args = ap.parse_args()
    n = max(1, min(args.n, 1000))

    tmp = Path(tempfile.mkdtemp(prefix="zhizao-bench-"))
    try:
        if args.db:
            db = args.db
        else:
            db = tmp / "bench.duckdb"
            from zhizao import api  # noqa: PLC0415 — only needed to build the store

            api.open_store(db).close()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = subprocess.Popen([sys.executable, "-m", "zhizao.outputs.web.cli", "--host", "127.0.0.1",
                                 "--port", str(port), "--db", str(db)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            startup = wait_until_up(base, proc)
            print(f"server up in {startup:.1f} s (includes warming the assessment cache); {n} requests per page\n")
            print(f"{'page':<50} {'first':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
            worst = 0.0
            for path in PAGES:
                url = base + quote(path, safe="/?=&")
                first = get(url)  # warm-up, reported separately: a cache miss is allowed once
                times = [get(url) for _ in range(n)]
                p50, p95 = statistics.median(times), percentile(times, 95)
                worst = max(worst, p95)
                flag = "  > budget" if p95 > BUDGET_MS else ""
                print(f"{path:<50} {first:8.1f} {p50:8.1f} {p95:8.1f} {max(times):8.1f}{flag}")
            print(f"\nworst p95: {worst:.1f} ms (budget {BUDGET_MS:.0f} ms)")
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        return 1 if args.check and worst > BUDGET_MS else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
