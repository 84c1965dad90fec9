"""Reads during writes: latency of cached dashboard pages while uploads run (issue 7, item 5).

    .venv/bin/python bench/web_concurrency_bench.py                       # 50 readers, 5 uploaders, 60 s
    .venv/bin/python bench/web_concurrency_bench.py --seconds 20 --readers 20 --uploaders 2 --check

Starts `python -m zhizao.outputs.web.cli` on a free 127.0.0.1 port over a scratch copy of the
store (bundled data), warms each page once, then for `--seconds` runs `--readers` threads that
request the pages in turn and `--uploaders` threads that each upload a valid CSV of `--rows`
rows (a new source per row, so none is refused as a duplicate) in a loop. Prints p50/p95/p99 per page and
for uploads, and the errors (any status other than 200, or no answer). Only 127.0.0.1 is ever
contacted; every loop ends at the deadline. `--check` exits 1 if a page's p95 is over 300 ms or
there was any error. The client shares this machine's cores with the server, so the numbers are
an upper bound.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import quote
from urllib.request import Request, urlopen

sys.path.insert(0, str(Path(__file__).parent))
from web_bench import free_port, get, wait_until_up  # noqa: E402

BUDGET_MS = 300.0
TOKEN: dict[str, str] = {}  # base address → the CSRF token uploads send
PAGES = ["/", "/?format=json", "/?lang=en", "/indicator/software_revenue", "/plan", "/plan?q=动力电池",
         "/districts", "/data", "/data?format=json", "/downloads"]


def percentiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        v = values[0] if values else float("nan")
        return v, v, v
    q = statistics.quantiles(values, n=100, method="inclusive")
    return statistics.median(values), q[94], q[98]


def csrf_token(base: str) -> str:
    """The dashboard's CSRF cookie, as a script gets it: one GET, then send it back as a header."""
    with urlopen(base + "/data?format=json", timeout=60) as r:
        for header in r.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            if name.strip() == "zhizao_csrf":
                return rest.split(";", 1)[0]
    raise RuntimeError("the dashboard set no zhizao_csrf cookie")


def upload(base: str, who: int, i: int, rows: int) -> float:
    """One valid CSV of `rows` rows, each under a source address never used before; raises on a
    refusal."""
    tag = f"{who}-{i}-{uuid.uuid4().hex[:8]}"
    csv = "series,region,period,value,unit,source_url,grade,vintage,quote\n" + "".join(
        f"规上工业总产值,渝北区,2024,{6000 + j % 500},亿元,https://example.org/bench/{tag}/{j},C,2025-02-01,bench\n"
        for j in range(rows))
    boundary = "zhizao" + uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench-{tag}.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n").encode("utf-8")
    req = Request(base + "/data/upload?format=json", data=body, method="POST",
                  headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                           "X-CSRF-Token": TOKEN[base], "Cookie": f"zhizao_csrf={TOKEN[base]}"})
    start = time.perf_counter()
    with urlopen(req, timeout=120) as r:
        answer = json.loads(r.read())
    if not answer["upload"]["ok"]:
        raise RuntimeError(f"upload refused: {answer['upload']['problems'][:1]}")
    return (time.perf_counter() - start) * 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60, help="how long readers and uploaders run (≤ 600)")
    ap.add_argument("--readers", type=int, default=50, help="reader threads (≤ 200)")
    ap.add_argument("--uploaders", type=int, default=5, help="uploader threads (≤ 20)")
    ap.add_argument("--rows", type=int, default=2, help="rows per uploaded CSV (≤ 150000: the 20 MB upload limit)")
    ap.add_argument("--check", action="store_true", help=f"exit 1 on any error or a page p95 over {BUDGET_MS:.0f} ms")
    args = ap.parse_args()
    seconds = max(1.0, min(args.seconds, 600.0))
    readers, uploaders = max(0, min(args.readers, 200)), max(0, min(args.uploaders, 20))
    rows = max(1, min(args.rows, 150_000))

    tmp = Path(tempfile.mkdtemp(prefix="zhizao-conc-bench-"))
    try:
        db = tmp / "bench.duckdb"
        from zhizao import api  # noqa: PLC0415 — only needed to build the store

        api.open_store(db).close()
        (tmp / "no-monitoring").mkdir()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = subprocess.Popen([sys.executable, "-m", "zhizao.outputs.web.cli", "--host", "127.0.0.1",
                                 "--port", str(port), "--db", str(db), "--monitoring-data", str(tmp / "no-monitoring")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            startup = wait_until_up(base, proc)
            TOKEN[base] = csrf_token(base)
            for path in PAGES:  # one cache miss each, not measured
                get(base + quote(path, safe="/?=&"))
            print(f"server up in {startup:.1f} s; {readers} readers, {uploaders} uploaders ({rows} rows each) "
                  f"for {seconds:g} s")
            times: dict[str, list[float]] = defaultdict(list)
            errors: dict[str, list[str]] = defaultdict(list)
            lock = threading.Lock()
            deadline = time.monotonic() + seconds

            def record(kind: str, fn):
                try:
                    ms = fn()
                except (HTTPError, URLError, OSError, RuntimeError, ValueError) as e:
                    with lock:
                        errors[kind].append(f"{type(e).__name__}: {e}"[:200])
                else:
                    with lock:
                        times[kind].append(ms)

            def reader(k: int):
                i = k
                while time.monotonic() < deadline:
                    path = PAGES[i % len(PAGES)]
                    record(path, lambda: get(base + quote(path, safe="/?=&")))
                    i += 1

            def uploader(k: int):
                i = 0
                while time.monotonic() < deadline:
                    record("POST /data/upload", lambda: upload(base, k, i, rows))
                    i += 1

            threads = ([threading.Thread(target=reader, args=(k,)) for k in range(readers)]
                       + [threading.Thread(target=uploader, args=(k,)) for k in range(uploaders)])
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = seconds + max(0.0, time.monotonic() - deadline)

            print(f"\n{'page':<32} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7}")
            worst, total_errors, reads = 0.0, 0, 0
            for kind in [*PAGES, "POST /data/upload"]:
                v = times.get(kind, [])
                p50, p95, p99 = percentiles(v)
                n_err = len(errors.get(kind, []))
                total_errors += n_err
                if kind in PAGES:
                    worst = max(worst, p95)
                    reads += len(v)
                flag = "  > budget" if kind in PAGES and p95 > BUDGET_MS else ""
                print(f"{kind:<32} {len(v):>6} {p50:8.1f} {p95:8.1f} {p99:8.1f} {max(v, default=float('nan')):8.1f}"
                      f" {n_err:>7}{flag}")
            all_reads = [x for k in PAGES for x in times.get(k, [])]
            p50, p95, p99 = percentiles(all_reads)
            print(f"\nall pages: {reads} reads ({reads / elapsed:.1f}/s), p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
                  f"p99 {p99:.1f} ms; uploads: {len(times.get('POST /data/upload', []))}; errors: {total_errors}")
            print(f"worst page p95: {worst:.1f} ms (budget {BUDGET_MS:.0f} ms)")
            for kind, errs in errors.items():
                print(f"  {kind}: {errs[0]}")
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        return 1 if args.check and (worst > BUDGET_MS or total_errors) else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
