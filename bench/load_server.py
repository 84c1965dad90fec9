"""Load on the dashboard server: concurrent virtual users of mixed roles plus uploaders (issue 11, Load).

    .venv/bin/python bench/load_server.py                          # 50 users, 5 uploaders, 60 s, scratch DuckDB
    .venv/bin/python bench/load_server.py --users 3 --seconds 3 --uploaders 1 --json
    .venv/bin/python bench/load_server.py --db postgresql://zhizao@127.0.0.1:54329/bench --accounts

Starts `zhizao serve` on a free 127.0.0.1 port in a subprocess, over a scratch copy of the store
(`--db`: a DuckDB file, copied, or a postgresql:// URL, used as it is — give it a scratch database:
the uploads stay in it; default a fresh DuckDB store with the bundled data) and small synthetic
monitoring data (`zhizao synth`, or `--monitoring-data DIR`). Then, for `--seconds`, `--users`
virtual users browse (overview, indicator pages, /completion, /districts, /monitoring with its
district and subject pages, the JSON twins, table exports), each pausing `--think` seconds on
average between pages, and `--uploaders` users each post `--uploads-each` small valid CSV imports
through /data/upload (double-submit CSRF: the zhizao_csrf cookie sent back as X-CSRF-Token).

Roles (`--accounts`): creates one account per role with `zhizao user add` (admin, analyst, guest,
district users bound to districts, an analyst for the uploaders), logs every virtual user in at
POST /login and gives them pages their role may see (docs/accounts.md: aggregates, monitoring's
included, for everyone; a district's enterprise pages for its own district users and the city's).
Each virtual user sends its own address in X-Forwarded-For, as the reverse proxy does. Without accounts (the local mode, or a server
that has none) every user is the anonymous local visitor, and the report says so.

Reports p50/p95/p99 per request kind and overall (logins are listed but not in the overall, they
happen once while users ramp up), the request count, and the errors: any status other than
2xx/3xx, a redirect to /login, a refused upload, a timeout or a broken connection. Traffic goes to
127.0.0.1 only; every loop ends at the deadline. Exit status: 0 when the overall p95 is under
300 ms and there was no error, 1 otherwise, 3 when the server could not be set up. The client
shares the machine's cores with the server, so the numbers are an upper bound.
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

try:
    import httpx2 as httpx  # the test extra's client (httpx's successor, same API)
except ImportError:  # pragma: no cover — an environment with plain httpx
    import httpx

TARGET_P95_MS = 300.0
CSRF_COOKIE = "zhizao_csrf"
ROLE_MIX = (("analyst", 4), ("district", 4), ("admin", 1), ("guest", 1))  # 40 % / 40 % / 10 % / 10 %
LOGIN_KIND = "POST /login"
UPLOAD_KIND = "POST /data/upload"

# Page kinds: a template (its name in the report) and what it is filled with. Aggregates are for everyone;
# the monitoring pages and exports for city staff; a district user sees its own district.
# As docs/accounts.md: everyone (guests too) reads the published aggregates, monitoring's included (its
# enterprise warnings filtered to the user's scope); a district user also its own district's enterprises.
PUBLIC = ["/", "/?format=json", "/indicator/{indicator}", "/indicator/{indicator}?format=json",
          "/completion", "/completion?format=json", "/districts", "/districts?format=json",
          "/monitoring", "/monitoring?format=json", "/monitoring/subject/industry/{industry}",
          "/monitoring/subject/cluster/{cluster}"]
CITY = PUBLIC + ["/monitoring/district/{district}", "/monitoring/district/{district}?format=json",
                 "/monitoring/subject/enterprise/{enterprise}",
                 "/data", "/data?format=json", "/downloads", "/download/scorecard?format=csv",
                 "/download/observations?format=csv", "/completion?table=completion&format=xlsx",
                 "/gaps?table=gaps&format=csv"]
DISTRICT = PUBLIC + ["/monitoring/district/{own}", "/monitoring/district/{own}?format=json",
                     "/monitoring/subject/enterprise/{own_enterprise}", "/data?format=json",
                     "/download/observations?format=csv", "/completion?table=completion&format=xlsx"]
PAGES = {"admin": CITY, "analyst": CITY, "district": DISTRICT, "guest": PUBLIC, "anonymous": CITY}


class SetupError(Exception):
    """The server or its data could not be prepared (exit 3)."""


@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def ok(self, kind: str, ms: float) -> None:
        self.times[kind].append(ms)

    def error(self, kind: str, what: str) -> None:
        self.errors[kind].append(what[:200])


@dataclass
class Catalogue:
    """What the pages are filled with, read from the server's own JSON twins."""
    indicator: list[str]
    district: list[str]
    industry: list[str]
    cluster: list[str]
    enterprise: dict[str, list[str]]  # district → enterprise credit codes shown on its page


def percentiles(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None, "max_ms": None}
    if len(values) == 1:
        v = round(values[0], 1)
        return {"p50_ms": v, "p95_ms": v, "p99_ms": v, "max_ms": v}
    q = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50_ms": round(statistics.median(values), 1), "p95_ms": round(q[94], 1),
            "p99_ms": round(q[98], 1), "max_ms": round(max(values), 1)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def zhizao_command() -> list[str]:
    """The `zhizao` of this interpreter (the venv's), so the server runs the checked-out code."""
    return [sys.executable, "-m", "zhizao.outputs.cli"]


def is_url(db: str) -> bool:
    return db.startswith(("postgresql://", "postgres://"))


def server_env(db: str, monitoring: Path) -> dict[str, str]:
    # A URL goes through $ZHIZAO_DB (what a deployment sets), a file through --db.
    env = {**os.environ, "ZHIZAO_MONITORING_DATA": str(monitoring), "NO_COLOR": "1"}
    env.pop("ZHIZAO_PLAN", None)
    if is_url(db):
        env["ZHIZAO_DB"] = db
    return env


def run_cli(args: list[str], env: dict[str, str], stdin: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*zhizao_command(), *args], env=env, input=stdin, capture_output=True, text=True,
                          timeout=timeout, check=False)


def prepare_store(db_arg: str | None, tmp: Path) -> str:
    """The store the server will use: a fresh DuckDB with the bundled data, a scratch copy of a given
    DuckDB file, or the given URL."""
    if db_arg and is_url(db_arg):
        return db_arg
    db = tmp / "bench.duckdb"
    if db_arg:
        src = Path(db_arg)
        if not src.is_file():
            raise SetupError(f"--db {db_arg}: no such DuckDB file")
        shutil.copy2(src, db)
        return str(db)
    from zhizao import api  # noqa: PLC0415 — only to build a fresh store with the bundled data

    api.open_store(db).close()
    return str(db)


def prepare_monitoring(given: Path | None, tmp: Path, env: dict[str, str]) -> Path:
    if given:
        if not (given / "monthly.parquet").is_file():
            raise SetupError(f"--monitoring-data {given}: not a `zhizao synth` folder (no monthly.parquet)")
        return given
    out = tmp / "synth"
    r = run_cli(["synth", "--out", str(out), "--enterprises", "500", "--months", "36"], env)
    if r.returncode != 0:
        raise SetupError("zhizao synth failed: " + (r.stderr or r.stdout).strip()[-400:])
    return out


def create_accounts(env: dict[str, str], db: str, districts: list[str]) -> tuple[dict[str, tuple[str, str]], str]:
    """One account per role (district users for the first districts) → ({name: (role, region)}, note).
    An empty dict and the reason when the server has no accounts."""
    password = secrets.token_urlsafe(18)
    wanted = [("bench-admin", "admin", None), ("bench-analyst", "analyst", None), ("bench-guest", "guest", None),
              ("bench-uploader", "analyst", None)] + [(f"bench-district-{d}", "district", d) for d in districts[:3]]
    db_args = [] if is_url(db) else ["--db", db]
    made: dict[str, tuple[str, str]] = {}
    for name, role, region in wanted:
        args = ["user", "add", name, "--role", role, *(["--region", region] if region else []), "--password-stdin",
                *db_args]
        r = run_cli(args, env, stdin=password + "\n", timeout=120)
        if r.returncode != 0:
            first = next((ln for ln in (r.stderr or r.stdout).splitlines() if ln.strip()), "").strip()
            return {}, f"`zhizao user add` failed ({first[:160]}): every user is the anonymous local visitor"
        made[name] = (role, region or "")
    ACCOUNT_PASSWORD[0] = password
    return made, f"{len(made)} accounts created (roles {', '.join(sorted({r for r, _ in made.values()}))})"


ACCOUNT_PASSWORD = [""]


def start_server(db: str, monitoring: Path, env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--monitoring-data", str(monitoring)]
    if not is_url(db):
        args += ["--db", db]
    with log.open("wb") as f:
        return subprocess.Popen([*zhizao_command(), *args], env=env, stdout=f, stderr=subprocess.STDOUT)


async def wait_until_up(client: httpx.AsyncClient, proc: subprocess.Popen, log: Path, timeout: float = 240) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if proc.poll() is not None:
            raise SetupError(f"the server exited with status {proc.returncode}: {log.read_text(errors='replace')[-600:]}")
        for probe in ("/health", "/static/app.css"):  # /health where the server has it
            try:
                if (await client.get(probe)).status_code == 200:
                    return time.monotonic() - start
            except httpx.TransportError:
                break
        await asyncio.sleep(0.2)
    raise SetupError(f"the server did not answer within {timeout:.0f} s")


def csrf(client: httpx.AsyncClient) -> str:
    return client.cookies.get(CSRF_COOKIE) or ""


async def login(client: httpx.AsyncClient, name: str, stats: Stats) -> bool:
    """GET /login for the CSRF cookie, POST the form; a session cookie other than the CSRF one means in."""
    try:
        await client.get("/login")
        before = set(client.cookies.keys())
        start = time.perf_counter()
        r = await client.post("/login", data={"username": name, "password": ACCOUNT_PASSWORD[0],
                                              "csrf_token": csrf(client)},
                              headers={"X-CSRF-Token": csrf(client)})
        ms = (time.perf_counter() - start) * 1000
    except httpx.HTTPError as e:
        stats.error(LOGIN_KIND, f"{type(e).__name__}: {e}")
        return False
    new = set(client.cookies.keys()) - before - {CSRF_COOKIE}
    if r.status_code >= 400 or not new:
        stats.error(LOGIN_KIND, f"HTTP {r.status_code} for {name}, no session cookie")
        return False
    stats.ok(LOGIN_KIND, ms)
    return True


async def discover(client: httpx.AsyncClient, own: list[str]) -> Catalogue:
    """Indicator ids, districts, industries, clusters and some enterprises, as the server lists them."""
    over = (await client.get("/?format=json")).json()
    mon = (await client.get("/monitoring?format=json")).json()
    if not mon.get("available"):
        raise SetupError(f"/monitoring has no data: {mon.get('notice')}")
    cat = Catalogue(indicator=[i["id"] for i in over["indicators"]][:10],
                    district=[d["id"] for d in mon["districts"]][:6],
                    industry=[i["id"] for i in mon["industries"]][:4],
                    cluster=[c["id"] for c in mon["clusters"]][:3], enterprise={})
    for d in dict.fromkeys([*cat.district, *own]):  # the district accounts' own enterprises too
        page = (await client.get(f"/monitoring/district/{d}?format=json")).json()
        cat.enterprise[d] = [e["credit_code"] for e in page.get("enterprises", [])][:3]
    if not (cat.indicator and cat.district and cat.industry and cat.cluster and any(cat.enterprise.values())):
        raise SetupError("the server lists no indicators, districts, industries, clusters or enterprises to browse")
    return cat


def fill(template: str, cat: Catalogue, own: str, rng: random.Random) -> str:
    everyone = [e for es in cat.enterprise.values() for e in es]
    values = {"indicator": rng.choice(cat.indicator), "district": rng.choice(cat.district),
              "industry": rng.choice(cat.industry), "cluster": rng.choice(cat.cluster),
              "enterprise": rng.choice(everyone), "own": own,
              "own_enterprise": rng.choice(cat.enterprise.get(own) or [""])}
    return template.format(**{k: v for k, v in values.items() if "{" + k + "}" in template})


async def timed_get(client: httpx.AsyncClient, kind: str, url: str, stats: Stats) -> None:
    start = time.perf_counter()
    try:
        r = await client.get(url)
    except httpx.TimeoutException:
        stats.error(kind, f"timeout: {url}")
        return
    except httpx.HTTPError as e:
        stats.error(kind, f"{type(e).__name__}: {e} ({url})")
        return
    ms = (time.perf_counter() - start) * 1000
    location = r.headers.get("location", "")
    if r.status_code >= 400:
        stats.error(kind, f"HTTP {r.status_code}: {url}")
    elif 300 <= r.status_code < 400 and "/login" in location:
        stats.error(kind, f"redirected to {location}: {url}")
    else:
        stats.ok(kind, ms)


async def browse(client: httpx.AsyncClient, role: str, own: str, cat: Catalogue, deadline: float, think: float,
                 rng: random.Random, stats: Stats, max_requests: int) -> None:
    pages = PAGES[role]
    for _ in range(max_requests):
        if time.monotonic() >= deadline:
            return
        template = rng.choice(pages)
        await timed_get(client, "GET " + template, fill(template, cat, own, rng), stats)
        if think:
            await asyncio.sleep(min(rng.uniform(0.5, 1.5) * think, max(0.0, deadline - time.monotonic())))


def upload_csv(tag: str, rows: int, region_name: str) -> bytes:
    """A valid import of `rows` observations, each under a source address never used before (so none is a
    duplicate)."""
    return ("series,region,period,value,unit,source_url,grade,vintage,quote\n" + "".join(
        f"规上工业总产值,{region_name},2024,{6000 + j % 500},亿元,https://example.org/bench/{tag}/{j},C,2025-02-01,bench\n"
        for j in range(rows))).encode("utf-8")


async def upload_loop(client: httpx.AsyncClient, k: int, count: int, rows: int, region_name: str,
                      start_at: float, deadline: float, stats: Stats) -> None:
    """`count` uploads spread evenly over the run (the first after a stagger of k seconds' fraction)."""
    spacing = max(0.0, (deadline - start_at) / max(count, 1))
    for i in range(count):
        when = start_at + spacing * (i + (k + 1) / (k + 2))
        await asyncio.sleep(max(0.0, when - time.monotonic()))
        if time.monotonic() >= deadline:
            return
        tag = f"{k}-{i}-{uuid.uuid4().hex[:8]}"
        start = time.perf_counter()
        try:
            if not csrf(client):
                await client.get("/data?format=json")  # sets the zhizao_csrf cookie
            r = await client.post("/data/upload?format=json", headers={"X-CSRF-Token": csrf(client)},
                                  files={"file": (f"bench-{tag}.csv", upload_csv(tag, rows, region_name), "text/csv")})
        except httpx.HTTPError as e:
            stats.error(UPLOAD_KIND, f"{type(e).__name__}: {e}")
            continue
        ms = (time.perf_counter() - start) * 1000
        if r.status_code >= 400:
            stats.error(UPLOAD_KIND, f"HTTP {r.status_code}: {r.text[:160]}")
            continue
        try:
            answer = r.json()["upload"]
        except (ValueError, KeyError):
            stats.error(UPLOAD_KIND, f"HTTP {r.status_code}: not the upload's JSON answer")
            continue
        if answer.get("ok"):
            stats.ok(UPLOAD_KIND, ms)
        else:
            stats.error(UPLOAD_KIND, f"refused: {json.dumps(answer.get('problems', [])[:1], ensure_ascii=False)}")


def client_address(i: int) -> str:
    """The i-th virtual user's own address (10.77.x.y), as the reverse proxy forwards it."""
    return f"10.77.{i // 250}.{i % 250 + 1}"


def new_client(base: str, timeout: float, address: str) -> httpx.AsyncClient:
    """A virtual user's client. Each user has its own address in X-Forwarded-For, as nginx sends it in the
    deployment (docs/deployment.md §4; uvicorn trusts forwarded headers from 127.0.0.1): the login rate
    limit counts per client address, and 55 users behind one address would be one client to it.
    trust_env=False: no proxy from the environment, the traffic stays on loopback."""
    return httpx.AsyncClient(base_url=base, timeout=timeout, follow_redirects=False, trust_env=False,
                             headers={"X-Forwarded-For": address, "X-Forwarded-Proto": "http"},
                             limits=httpx.Limits(max_connections=2, max_keepalive_connections=2))


def assign_roles(n: int, accounts: dict[str, tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(role, account name or '', own district) for each virtual user."""
    if not accounts:
        return [("anonymous", "", "") for _ in range(n)]
    by_role: dict[str, list[str]] = defaultdict(list)
    for name, (role, _) in accounts.items():
        if name != "bench-uploader":
            by_role[role].append(name)
    cycle = [r for r, w in ROLE_MIX for _ in range(w) if by_role.get(r)]
    out = []
    for i, role in zip(range(n), itertools.cycle(cycle)):
        name = by_role[role][i % len(by_role[role])]
        out.append((role, name, accounts[name][1]))
    return out


async def run(args: argparse.Namespace, tmp: Path) -> dict:
    env = server_env(args.db or "", tmp)
    db = prepare_store(args.db, tmp)
    monitoring = prepare_monitoring(args.monitoring_data, tmp, env)
    env = server_env(db, monitoring)
    accounts, account_note = {}, "local mode (--accounts not given): every user is the anonymous local visitor"
    if args.accounts:
        from zhizao.codes.regions import DISTRICTS  # noqa: PLC0415 — district codes for the district accounts

        accounts, account_note = create_accounts(env, db, sorted(DISTRICTS)[:3])
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = Path(args.server_log) if args.server_log else tmp / "server.log"
    proc = start_server(db, monitoring, env, port, log)
    stats = Stats()
    try:
        async with new_client(base, args.timeout, "10.77.255.1") as probe:
            startup = await wait_until_up(probe, proc, log)
            if accounts and not await login(probe, "bench-admin", Stats()):
                accounts, account_note = {}, ("accounts were created but POST /login gave no session: "
                                              "every user is the anonymous local visitor")
            cat = await discover(probe, sorted({region for _, region in accounts.values() if region}))
            warm_start = time.perf_counter()
            for template in sorted(set(CITY) | set(DISTRICT)):  # one cache miss per page, not measured
                own = cat.district[0]
                await probe.get(fill(template, cat, own, random.Random(0)))
            warm = time.perf_counter() - warm_start
        roles = assign_roles(args.users, accounts)
        region_names = region_name_of(cat.district[0])
        clients = [new_client(base, args.timeout, client_address(i)) for i in range(args.users + args.uploaders)]
        try:
            ramp = min(5.0, args.seconds / 4)
            t0 = time.monotonic()
            deadline = t0 + ramp + args.seconds
            rng = random.Random(args.seed)

            async def user(i: int, client: httpx.AsyncClient) -> None:
                role, name, own = roles[i]
                await asyncio.sleep(ramp * i / max(args.users, 1))
                if name and not await login(client, name, stats):
                    return
                await browse(client, role, own or cat.district[0], cat, deadline, args.think,
                             random.Random(rng.random()), stats, args.max_requests)

            async def uploader(k: int, client: httpx.AsyncClient) -> None:
                if accounts and not await login(client, "bench-uploader", stats):
                    return
                await upload_loop(client, k, args.uploads_each, args.rows, region_names, t0 + ramp, deadline, stats)

            await asyncio.gather(*(user(i, clients[i]) for i in range(args.users)),
                                 *(uploader(k, clients[args.users + k]) for k in range(args.uploaders)))
            elapsed = time.monotonic() - t0
        finally:
            for c in clients:
                await c.aclose()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return report(args, stats, accounts, account_note, db, startup, warm, elapsed, ramp)


def region_name_of(code: str) -> str:
    """The name of a district as the importer reads it (the bundled region table)."""
    from zhizao.codes.regions import DISTRICTS  # noqa: PLC0415 — names for the uploaded CSV

    return DISTRICTS.get(code, code)


def report(args, stats: Stats, accounts, account_note: str, db: str, startup: float, warm: float, elapsed: float,
           ramp: float) -> dict:
    kinds = sorted(set(stats.times) | set(stats.errors))
    rows = [{"kind": k, "n": len(stats.times.get(k, [])), **percentiles(stats.times.get(k, [])),
             "errors": len(stats.errors.get(k, []))} for k in kinds]
    measured = [x for k in kinds if k != LOGIN_KIND for x in stats.times.get(k, [])]
    errors = sum(len(v) for v in stats.errors.values())
    overall = {"n": len(measured), **percentiles(measured), "errors": errors,
               "requests_per_s": round(len(measured) / elapsed, 1) if elapsed else None}
    met = errors == 0 and overall["p95_ms"] is not None and overall["p95_ms"] < TARGET_P95_MS
    return {
        "config": {"users": args.users, "uploaders": args.uploaders, "uploads_each": args.uploads_each,
                   "rows_per_upload": args.rows, "seconds": args.seconds, "ramp_s": round(ramp, 1),
                   "think_s": args.think, "timeout_s": args.timeout,
                   "backend": "postgresql" if is_url(db) else "duckdb", "cores": os.cpu_count()},
        "mode": "accounts" if accounts else "anonymous",
        "accounts_note": account_note,
        "server": {"startup_s": round(startup, 1), "warm_up_s": round(warm, 1)},
        "elapsed_s": round(elapsed, 1),
        "kinds": rows,
        "overall": overall,
        "errors": [{"kind": k, "count": len(v), "first": v[0]} for k, v in sorted(stats.errors.items())],
        "target": {"p95_ms": TARGET_P95_MS, "errors": 0, "met": met},
    }


def print_table(rep: dict) -> None:
    c = rep["config"]
    print(f"{c['users']} users + {c['uploaders']} uploaders × {c['uploads_each']} uploads, {c['seconds']:g} s "
          f"(+{c['ramp_s']:g} s ramp), think {c['think_s']:g} s, {c['backend']}, {c['cores']} cores; "
          f"server up in {rep['server']['startup_s']:g} s, warm-up {rep['server']['warm_up_s']:g} s")
    print(f"mode: {rep['mode']} — {rep['accounts_note']}\n")

    def fmt(v):
        return f"{v:8.1f}" if v is not None else f"{'–':>8}"

    print(f"{'kind':<52} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>6}")
    for r in rep["kinds"]:
        flag = "  ≥ target" if r["p95_ms"] is not None and r["p95_ms"] >= TARGET_P95_MS else ""
        print(f"{r['kind']:<52} {r['n']:>6} {fmt(r['p50_ms'])} {fmt(r['p95_ms'])} {fmt(r['p99_ms'])} "
              f"{fmt(r['max_ms'])} {r['errors']:>6}{flag}")
    o = rep["overall"]
    print(f"{'overall (without logins)':<52} {o['n']:>6} {fmt(o['p50_ms'])} {fmt(o['p95_ms'])} {fmt(o['p99_ms'])} "
          f"{fmt(o['max_ms'])} {o['errors']:>6}")
    print(f"\n{o['n']} requests in {rep['elapsed_s']:g} s ({o['requests_per_s']}/s); errors: {o['errors']}")
    for e in rep["errors"]:
        print(f"  {e['kind']}: {e['count']} × e.g. {e['first']}")
    verdict = "met" if rep["target"]["met"] else "MISSED"
    print(f"target p95 < {TARGET_P95_MS:.0f} ms and 0 errors: {verdict}")


def bounded(lo: float, hi: float, kind=int):
    def parse(text: str):
        v = kind(text)
        if not lo <= v <= hi:
            raise argparse.ArgumentTypeError(f"must be between {lo:g} and {hi:g}")
        return v
    return parse


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="store: a DuckDB file (a scratch copy is served) or a postgresql:// URL (used as "
                                 "it is: uploads stay in it); default a fresh DuckDB with the bundled data")
    ap.add_argument("--users", type=bounded(0, 500), default=50, help="browsing virtual users (0–500)")
    ap.add_argument("--seconds", type=bounded(1, 600, float), default=60.0, help="how long they browse (1–600)")
    ap.add_argument("--uploaders", type=bounded(0, 20), default=5, help="uploading users (0–20)")
    ap.add_argument("--uploads-each", type=bounded(1, 100), default=3, help="uploads per uploader, spread over the run")
    ap.add_argument("--rows", type=bounded(1, 10_000), default=5, help="rows per uploaded CSV")
    ap.add_argument("--think", type=bounded(0, 60, float), default=1.0,
                    help="mean pause between a user's pages in seconds (uniform ×0.5–1.5; 0 = none)")
    ap.add_argument("--accounts", action="store_true",
                    help="create accounts per role and log users in (falls back to anonymous visitors if the server "
                         "has none)")
    ap.add_argument("--monitoring-data", type=Path, help="a `zhizao synth` folder (default: a small one generated)")
    ap.add_argument("--timeout", type=bounded(1, 120, float), default=30.0, help="per request, seconds")
    ap.add_argument("--max-requests", type=bounded(1, 1_000_000), default=10_000, help="per user, a bound")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--server-log", help="keep the server's output in this file")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="zhizao-load-"))
    try:
        rep = asyncio.run(run(args, tmp))
    except SetupError as e:
        print(f"load_server: {e}", file=sys.stderr)
        return 3
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        print(json.dumps(rep, ensure_ascii=False, indent=2))
    else:
        print_table(rep)
    return 0 if rep["target"]["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
