"""What every dashboard request asks PostgreSQL, made cheap without serving stale answers (LOAD-2):
the store generation shared by concurrent callers (pg_store.current_generation), and the session
lookup in one statement that writes only when the idle clock is old (accounts.session_account)."""
from __future__ import annotations

import threading
from datetime import timedelta

import psycopg
import pytest

from zhizao.store import accounts as acc
from zhizao.store import pg_store
from zhizao.store.accounts import Accounts, digest
from zhizao.store.pg_store import _SharedQuery, current_generation
from zhizao.store.store import Store

PW = "correct horse battery"


def test_a_shared_query_never_answers_a_caller_who_asked_after_it_started():
    shared = _SharedQuery()
    started, release = threading.Event(), threading.Event()
    answers = iter(["first", "second"])

    def query():
        started.set()
        release.wait(5)
        return next(answers)

    got = {}
    leader = threading.Thread(target=lambda: got.setdefault("leader", shared.run(query)))
    leader.start()
    assert started.wait(5)
    started.clear()
    # Asked while the first query runs: a write committed just before it asked may not be in that answer.
    late = threading.Thread(target=lambda: got.setdefault("late", shared.run(query)))
    late.start()
    release.set()
    leader.join(5)
    late.join(5)
    assert got == {"leader": "first", "late": "second"}


def test_callers_waiting_together_share_one_query():
    shared = _SharedQuery()
    release = threading.Event()
    calls = []

    def query():
        calls.append(1)
        release.wait(5)
        return len(calls)

    first = threading.Thread(target=shared.run, args=(query,))
    first.start()
    while not calls:
        threading.Event().wait(0.001)
    got = []
    waiting = [threading.Thread(target=lambda: got.append(shared.run(query))) for _ in range(8)]
    for t in waiting:
        t.start()
    while shared._asked < 9:  # the eight have asked, behind the first query
        threading.Event().wait(0.001)
    release.set()
    first.join(5)
    for t in waiting:
        t.join(5)
    assert len(got) == 8 and set(got) == {2} and len(calls) == 2  # the eight shared the second query


def test_the_shared_query_passes_its_error_to_every_caller():
    shared = _SharedQuery()

    def query():
        raise RuntimeError("down")

    for _ in range(2):
        with pytest.raises(RuntimeError, match="down"):
            shared.run(query)


def test_the_generation_sees_a_write_at_once(pg_url, tmp_path):
    with Store(pg_url) as store:
        before = current_generation(pg_url)
        store.register_plan("x", "X", "file", "x.yaml", "plan: {id: x}\n")
    assert current_generation(pg_url) == before + 1
    pg_store.forget_snapshots()


@pytest.fixture
def accounts(pg_url):
    a = Accounts(pg_url)
    a.add_user("ana", "analyst", PW)
    yield a
    a.close()


def _last_seen(a: Accounts, token: str):
    with psycopg.connect(a.url, autocommit=True) as con:
        return con.execute("SELECT last_seen FROM sessions WHERE session_hash = %s", [digest(token)]).fetchone()[0]


def _set_last_seen(a: Accounts, token: str, ago: timedelta) -> None:
    with psycopg.connect(a.url, autocommit=True) as con:
        con.execute("UPDATE sessions SET last_seen = %s WHERE session_hash = %s", [acc.now() - ago, digest(token)])


def test_a_fresh_session_is_looked_up_without_writing(accounts):
    token = accounts.create_session("ana")
    _set_last_seen(accounts, token, timedelta(seconds=10))
    seen = _last_seen(accounts, token)
    assert accounts.session_account(token).username == "ana"
    assert _last_seen(accounts, token) == seen  # younger than SESSION_TOUCH: not written
    _set_last_seen(accounts, token, acc.SESSION_TOUCH + timedelta(seconds=5))
    old = _last_seen(accounts, token)
    assert accounts.session_account(token).username == "ana"
    assert _last_seen(accounts, token) > old + acc.SESSION_TOUCH  # the idle clock restarted


def test_the_one_statement_lookup_still_ends_sessions_at_once(accounts):
    token = accounts.create_session("ana")
    assert accounts.session_account(token) is not None
    _set_last_seen(accounts, token, acc.SESSION_IDLE + timedelta(seconds=1))
    assert accounts.session_account(token) is None  # idle too long
    token = accounts.create_session("ana")
    accounts.set_disabled("ana", True)
    assert accounts.session_account(token) is None  # disabled: the very next lookup
    accounts.set_disabled("ana", False)
    token = accounts.create_session("ana")
    accounts.end_session(token)
    assert accounts.session_account(token) is None  # logged out
    # The pooled connections are handed back as the other methods expect them (transactions, not autocommit).
    with accounts.pool.connection() as con:
        assert con.autocommit is False
