"""PostgreSQL restarted or stopped under a running dashboard (issue 11 §Faults), through real processes:
a PostgreSQL cluster of this test's own (scripts/postgres.sh with its own ZHIZAO_PG_DIR and port: the
shared test server is never restarted), `zhizao user add|token` and `zhizao serve` as subprocesses, and
an admin's browser session and an API token over HTTP.

Asserted: no request hangs (each answers within the client's timeout) while the server restarts or is
down; down, pages and the API answer 503 naming the database and /health 503, quickly; afterwards the
SAME session and token work again without restarting zhizao: pages, a fresh import, its audit row.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import httpx2 as httpx
import psycopg
import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "postgres.sh"
ZHIZAO = str(Path(sys.executable).parent / "zhizao")
PW = "a long enough password"
TIMEOUT = 10.0  # the client's bound: a request that takes longer is a hang
CSV = ("series,region,period,value,unit,source_url,grade,vintage,quote\n"
       "规上工业总产值,500000,2024,{value},亿元,https://example.org/t/restart-{value},C,2025-02-01,重启后导入\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def cluster():
    """A PostgreSQL cluster of this module's own (directory under /tmp so that the `postgres` user can
    reach it when the tests run as root), stopped and removed at the end whatever happens."""
    if shutil.which("bash") is None:
        pytest.skip("no bash")
    folder = tempfile.mkdtemp(prefix="zhizao-pg-restart-")
    env = {**os.environ, "ZHIZAO_PG_DIR": folder, "ZHIZAO_PG_PORT": str(free_port())}

    def pg(command: str) -> str:
        out = subprocess.run(["bash", str(SCRIPT), command], env=env, capture_output=True, text=True, timeout=180)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    try:
        try:
            server = pg("start").splitlines()[-1]
        except AssertionError as e:
            if os.environ.get("CI"):
                raise
            pytest.skip(f"no PostgreSQL cluster of our own: {e}")
        with psycopg.connect(server, autocommit=True) as con:
            con.execute('CREATE DATABASE "zhizao"')
        yield SimpleNamespace(pg=pg, env=env, url=server.rsplit("/", 1)[0] + "/zhizao")
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop"], env=env, capture_output=True, timeout=120)
        shutil.rmtree(folder, ignore_errors=True)


def run_cli(args: list[str], url: str, stdin: str | None = None) -> str:
    out = subprocess.run([ZHIZAO, *args], input=stdin, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "ZHIZAO_DB": url})
    assert out.returncode == 0, out.stderr + out.stdout
    return out.stdout


@pytest.fixture(scope="module")
def served(cluster, tmp_path_factory):
    """`zhizao serve` on the cluster's database, an admin account and its API token."""
    url = cluster.url
    run_cli(["user", "add", "chen", "--role", "admin", "--password-stdin"], url, PW + "\n")
    token = run_cli(["user", "token", "chen", "--name", "restart"], url).strip().splitlines()[-1].strip()
    assert token
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([ZHIZAO, "serve", "--host", "127.0.0.1", "--port", str(port)], stdout=out,
                                stderr=subprocess.STDOUT, env={**os.environ, "ZHIZAO_DB": url,
                                                               "ZHIZAO_MONITORING_DATA": str(log.parent / "none")})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            assert proc.poll() is None, log.read_text(errors="replace")
            try:
                if httpx.get(base + "/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "zhizao serve did not start: " + log.read_text(errors="replace")
            time.sleep(0.5)
        yield SimpleNamespace(base=base, token=token, proc=proc, log=log, url=url)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(autouse=True)
def no_server_errors(served):
    """No request ended in an unhandled exception (a 500 with a traceback in the server's log)."""
    start = served.log.stat().st_size
    yield
    with open(served.log, "rb") as f:
        f.seek(start)
        text = f.read().decode("utf-8", "replace")
    assert "Exception in ASGI application" not in text and "Traceback" not in text, text[-4000:]


def browser(base: str) -> httpx.Client:
    """An admin logged in through the login form (the CSRF token from GET /login)."""
    c = httpx.Client(base_url=base, timeout=TIMEOUT)
    c.get("/login")
    r = c.post("/login", data={"username": "chen", "password": PW, "csrf_token": c.cookies["zhizao_csrf"]})
    assert r.status_code == 303 and "zhizao_session" in c.cookies, r.text
    return c


PAGES = ("/", "/plan", "/data?format=json", "/districts")


def browse(c: httpx.Client, token: str) -> list[tuple[str, int, float, str]]:
    """(address, status, seconds, body start) of one round of pages, JSON and API requests; a request
    that does not answer within TIMEOUT fails the test (httpx raises)."""
    out = []
    bearer = {"Authorization": f"Bearer {token}"}
    for path, headers in [*((p, {}) for p in PAGES), ("/api/v1/batches", bearer), ("/api/v1/sources", bearer),
                          ("/health", {})]:
        t0 = time.monotonic()
        try:
            r = c.get(path, headers=headers)
        except httpx.TimeoutException:
            pytest.fail(f"{path} did not answer within {TIMEOUT} s")
        out.append((path, r.status_code, time.monotonic() - t0, r.text[:400]))
    return out


def import_csv(c: httpx.Client, value: int) -> httpx.Response:
    return c.post("/data/upload?format=json", files={"file": (f"restart-{value}.csv", CSV.format(value=value).encode())},
                  headers={"X-CSRF-Token": c.cookies["zhizao_csrf"]})


def assert_answers(rounds) -> None:
    for path, status, seconds, body in rounds:
        assert status in (200, 503), (path, status, body)
        assert seconds < TIMEOUT
        assert "Traceback" not in body and 'File "' not in body


def test_restart_then_the_same_session_keeps_working(served, cluster):
    c = browser(served.base)
    before = browse(c, served.token)
    assert all(s == 200 for _, s, _, _ in before), before
    r = import_csv(c, 7001)
    assert r.status_code == 200 and r.json()["upload"]["ok"], r.text[-1500:]

    # Requests while the cluster restarts: each answers (200 from the cache or 503), none hangs.
    restart = subprocess.Popen(["bash", str(SCRIPT), "restart"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=cluster.env)
    during = []
    while restart.poll() is None:
        during += browse(c, served.token)
    assert restart.returncode == 0, restart.stderr.read()
    assert_answers(during)
    print("during the restart:", sorted({(p, st) for p, st, _, _ in during}), "slowest %.2f s" % max(x[2] for x in during))

    # Afterwards: the same cookie and token, no restart of zhizao.
    after = []
    deadline = time.monotonic() + 30
    while True:
        after = browse(c, served.token)
        if all(s == 200 for _, s, _, _ in after) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert all(s == 200 for _, s, _, _ in after), after
    assert c.get("/admin/audit?format=json").status_code == 200  # still chen's session, still admin
    r = import_csv(c, 7002)
    assert r.status_code == 200 and r.json()["upload"]["ok"], r.text[-1500:]
    batch = r.json()["upload"]["summary"]["batch_id"]
    with psycopg.connect(served.url) as con:
        rows = con.execute("SELECT actor, rows FROM audit WHERE action = 'import' AND target = %s", [batch]).fetchall()
    assert len(rows) == 1 and rows[0][1] == 1
    api = c.get("/api/v1/batches", headers={"Authorization": f"Bearer {served.token}"})
    assert api.status_code == 200 and batch in {b["batch_id"] for b in api.json()["batches"]}


def test_stopped_database_is_a_quick_503_naming_it_and_then_back(served, cluster):
    c = browser(served.base)
    assert browse(c, served.token)  # warm
    cluster.pg("stop")
    try:
        # A page never computed (a filter nobody asked for) cannot be served from the cache.
        t0 = time.monotonic()
        r = c.get("/data?format=json&q=no-such-text-anywhere")
        assert time.monotonic() - t0 < TIMEOUT
        assert r.status_code == 503 and r.headers.get("retry-after"), r.text
        assert "PostgreSQL" in r.text and "127.0.0.1" in r.text and "Traceback" not in r.text
        html = c.get("/data?q=another-uncached-filter")
        assert html.status_code == 503 and "无法连接 PostgreSQL 数据库" in html.text and "Traceback" not in html.text
        t0 = time.monotonic()
        h = c.get("/health")
        assert time.monotonic() - t0 < 6 and h.status_code == 503 and h.json()["status"] == "unavailable"
        api = c.get("/api/v1/sources", headers={"Authorization": f"Bearer {served.token}"})
        assert api.status_code == 503 and api.headers.get("retry-after") and "detail_zh" in api.json(), api.text
        up = import_csv(c, 7003)
        assert up.status_code in (422, 503) and "Traceback" not in up.text
        assert_answers(browse(c, served.token))
    finally:
        cluster.pg("start")
    deadline = time.monotonic() + 30
    while c.get("/health").status_code != 200:
        assert time.monotonic() < deadline, "not back within 30 s of the database's start"
        time.sleep(0.5)
    assert all(s == 200 for _, s, _, _ in browse(c, served.token))
    assert c.get("/data?format=json&q=no-such-text-anywhere").status_code == 200
    r = import_csv(c, 7004)
    assert r.status_code == 200 and r.json()["upload"]["ok"], r.text[-1500:]
