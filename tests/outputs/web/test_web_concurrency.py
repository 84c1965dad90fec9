"""Reads never wait for writes; recomputation happens once; a store held by another process
never gives a 500 (docs/dashboard.md §Concurrency). Ordering is forced with events, not timed."""
from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from zhizao import api
from zhizao.outputs.web import state as state_module
from zhizao.outputs.web.app import create_app
from zhizao.outputs.web.state import WebState
from zhizao.store.importing import ImportFailed

from webtest_support import GOOD_CSV, csrf_headers

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from store_holder import held_by_another_process  # noqa: E402

DEADLOCK_GUARD = 60  # seconds; only reached when a read is blocked, which is the failure

# What a CLI import does first: commit a batch row (the file changes) and keep the file open.
WRITE_A_BATCH = "INSERT INTO batches VALUES ('b_other_process', 'import', 'x.csv', NULL, 0, now(), NULL)"




def _in_thread(fn, *args):
    out: dict = {}

    def run():
        try:
            out["value"] = fn(*args)
        except BaseException as e:  # noqa: BLE001 - re-raised by the caller's assertions
            out["error"] = e

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t, out


@pytest.fixture
def good_csv(tmp_path) -> Path:
    path = tmp_path / "good.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    return path


def test_a_read_during_a_slow_import_returns_the_last_state_at_once(fresh_db, good_csv, monkeypatch):
    st = WebState(fresh_db, None)
    before = st.observations()
    first = st.assessment("zh")
    started, release = threading.Event(), threading.Event()
    real_import = api.import_data

    def slow_import(*a, **kw):
        summary = real_import(*a, **kw)  # committed, but the upload has not finished
        started.set()
        release.wait(DEADLOCK_GUARD)
        return summary

    monkeypatch.setattr(state_module.api, "import_data", slow_import)
    upload, upload_out = _in_thread(st.import_file, good_csv)
    try:
        assert started.wait(DEADLOCK_GUARD)
        reader, out = _in_thread(lambda: (st.observations(), st.assessment("zh"), st.counts()))
        reader.join(DEADLOCK_GUARD / 2)
        assert not reader.is_alive(), "a read waited for the import"
        assert "error" not in out, out.get("error")
        observations, assessment, counts = out["value"]
        assert observations is before and assessment is first  # the cached pages of the last state
        assert counts["observations"] >= len(before)  # a page not cached yet is computed, not blocked
    finally:
        release.set()
    upload.join(DEADLOCK_GUARD)
    assert "error" not in upload_out, upload_out.get("error")
    assert len(st.observations()) == len(before) + 2


def test_the_importer_prepares_the_new_pages_so_readers_do_not_recompute(fresh_db, good_csv, monkeypatch):
    st = WebState(fresh_db, None)
    st.warm()
    n = len(st.observations())
    calls = []
    real = state_module.assess_plan_languages
    monkeypatch.setattr(state_module, "assess_plan_languages",
                        lambda *a, **kw: (calls.append(kw["langs"]), real(*a, **kw))[1])
    st.import_file(good_csv)
    assert calls == [("zh", "en")]  # both languages in one computation, by the upload
    st.assessment("zh"), st.assessment("en"), st.observations()
    assert calls == [("zh", "en")]
    assert len(st.observations()) == n + 2


def test_concurrent_cold_reads_after_an_import_compute_once(fresh_db, good_csv, monkeypatch):
    st = WebState(fresh_db, None)
    st.warm()
    api.import_data(good_csv, db=fresh_db)  # by another process, say: only the file tells
    n = 12
    calls, arrived = [], []
    go = threading.Event()
    real = state_module.assess_plan_languages

    def slow_assess(*a, **kw):
        calls.append(kw["langs"])
        go.wait(DEADLOCK_GUARD)
        return real(*a, **kw)

    monkeypatch.setattr(state_module, "assess_plan_languages", slow_assess)

    def read():
        arrived.append(1)
        return st.assessment("zh")

    threads = [_in_thread(read) for _ in range(n)]
    while len(arrived) < n or not calls:
        threading.Event().wait(0.01)
    threading.Event().wait(0.5)  # let the last arrivals reach the cache (any later one finds the value)
    go.set()
    for t, _ in threads:
        t.join(DEADLOCK_GUARD)
    results = [out["value"] for _, out in threads]
    assert len(calls) == 1, f"{len(calls)} computations for one page"
    assert all(r is results[0] for r in results)


def test_a_computation_that_fails_is_not_kept_and_its_waiters_get_the_error(fresh_db, monkeypatch):
    st = WebState(fresh_db, None)
    monkeypatch.setattr(state_module, "assess_plan_languages", lambda *a, **kw: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        st.assessment("zh")
    monkeypatch.undo()
    assert st.assessment("zh")["indicators"]


@pytest.fixture
def busy_app(fresh_db, monkeypatch):
    monkeypatch.setenv("ZHIZAO_LOCK_TIMEOUT", "0.3")
    app = create_app(db=fresh_db, warm=False, allowed_hosts=["testserver"])
    with TestClient(app) as c:
        c.db = fresh_db
        yield c


def test_pages_while_another_process_writes_are_never_500(busy_app, good_csv):
    c = busy_app
    old = c.get("/data?format=json").json()
    token = csrf_headers(c)
    assert c.get("/?format=json").status_code == 200
    with held_by_another_process(c.db, WRITE_A_BATCH):
        # The file changed, so the cache is out of date, but the writer still holds it: the
        # last page is served.
        r = c.get("/data?format=json")
        assert r.status_code == 200 and r.json()["batches"] == old["batches"]
        assert c.get("/?format=json").status_code == 200
        assert c.get("/").status_code == 200
        # A page never computed cannot be served: 503 with the reason and when to retry.
        r = c.get("/?format=json&year=2023")
        assert r.status_code == 503 and r.headers["retry-after"]
        assert "数据库正被另一个进程使用" in r.json()["detail"]
        r = c.get("/?year=2023&lang=en")
        assert r.status_code == 503 and "in use by another process" in r.text
        # An upload is refused with the problem listed, nothing written.
        with good_csv.open("rb") as f:
            r = c.post("/data/upload?format=json", files={"file": ("good.csv", f, "text/csv")}, headers=token)
        assert r.status_code == 422
        assert [p["code"] for p in r.json()["upload"]["problems"]] == ["store_busy"]
    # Released: the other process's batch shows.
    batches = c.get("/data?format=json").json()["batches"]
    assert any(b["batch_id"] == "b_other_process" for b in batches)
    assert c.get("/?format=json&year=2023").status_code == 200


def test_an_upload_while_the_file_is_held_lists_store_busy(fresh_db, good_csv, monkeypatch):
    st = WebState(fresh_db, None)
    monkeypatch.setenv("ZHIZAO_LOCK_TIMEOUT", "0.2")
    with held_by_another_process(fresh_db):
        with pytest.raises(ImportFailed) as info:
            st.import_file(good_csv)
    (p,) = info.value.problems
    assert p.code == "store_busy" and p.file == "good.csv" and "请稍后重试" in p.message_zh


def test_a_cached_monitoring_period_does_not_wait_for_another_periods_refresh(tmp_path, monkeypatch):
    from zhizao.outputs import monitoring_view as mv
    from zhizao.outputs.web import monitoring_state as ms_module
    from zhizao.synth.generator import generate

    folder = tmp_path / "synth"
    generate(60, 24, "2023-01", seed=3).write(folder)
    ms = ms_module.MonitoringState(folder)
    latest = ms.result(None)
    started, release, calls = threading.Event(), threading.Event(), []
    real = mv.refresh_at

    def slow_refresh(data, key):
        calls.append(key)
        started.set()
        release.wait(DEADLOCK_GUARD)
        return real(data, key)

    monkeypatch.setattr(ms_module.mv, "refresh_at", slow_refresh)
    other = (2023, 6)
    slow = [_in_thread(ms.result, other) for _ in range(3)]
    try:
        assert started.wait(DEADLOCK_GUARD)
        reader, out = _in_thread(ms.result, None)
        reader.join(DEADLOCK_GUARD / 2)
        assert not reader.is_alive(), "a cached period waited for another period's refresh"
        assert out["value"] is latest
    finally:
        release.set()
    for t, _ in slow:
        t.join(DEADLOCK_GUARD)
    assert calls == [other]  # three requests, one refresh
    assert all(o["value"] is slow[0][1]["value"] for _, o in slow)
