"""Accounts on PostgreSQL (zhizao/store/accounts.py): hashes only, policy, sessions, lock-out, tokens, audit."""
from __future__ import annotations

from datetime import timedelta

import pytest

from zhizao.errors import UserError
from zhizao.store import accounts as acc
from zhizao.store.accounts import Accounts, digest

PW = "correct horse battery"


@pytest.fixture
def accounts(pg_url):
    a = Accounts(pg_url)
    yield a
    a.close()


def sql(a: Accounts, query: str, args=()):
    with a.pool.connection() as con:
        cur = con.execute(query, args)
        return cur.fetchall() if cur.description else None


def test_only_hashes_are_stored(accounts):
    accounts.add_user("ana", "analyst", PW)
    token = accounts.create_session("ana")
    api = accounts.create_token("ana", name="script")
    dump = repr(sql(accounts, "SELECT * FROM users")) + repr(sql(accounts, "SELECT * FROM sessions")) + \
        repr(sql(accounts, "SELECT * FROM api_tokens")) + repr(sql(accounts, "SELECT * FROM audit"))
    assert PW not in dump and token not in dump and api not in dump
    assert sql(accounts, "SELECT password_hash FROM users")[0][0].startswith("$argon2id$")
    assert sql(accounts, "SELECT session_hash FROM sessions")[0][0] == digest(token)


@pytest.mark.parametrize("username,role,password,region", [
    ("ana", "analyst", "short", None),                      # < 10 characters
    ("longusername", "analyst", "LongUserName", None),      # the user name
    ("d", "district", PW, None),                            # a district user needs a district
    ("d", "district", PW, "999999"),                        # not a known district code
    ("a", "admin", PW, "500112"),                           # only district users have one
    ("a", "boss", PW, None),                                # no such role
    ("bad name", "guest", PW, None),
])
def test_policy_refuses(accounts, username, role, password, region):
    with pytest.raises(UserError):
        accounts.add_user(username, role, password, region=region)
    assert accounts.list_users() == []


def test_login_lockout_and_same_answer_for_unknown_user(accounts):
    accounts.add_user("ana", "analyst", PW)
    assert accounts.authenticate("nobody", PW).outcome == "bad"
    for _ in range(acc.LOCK_AFTER - 1):
        assert accounts.authenticate("ana", "wrong password!").outcome == "bad"
    assert accounts.authenticate("ana", "wrong password!").outcome == "locked"
    # locked: even the right password does not open it, and the answer does not say it was right
    r = accounts.authenticate("ana", PW)
    assert r.outcome == "locked" and r.account is None
    assert accounts.list_users()[0]["locked"]
    # the lock runs out
    sql(accounts, "UPDATE users SET locked_until = now() AT TIME ZONE 'UTC' - interval '1 minute'")
    assert accounts.authenticate("ana", PW).outcome == "ok"
    actions = [r["action"] for r in accounts.audit_log(limit=100)[0]]
    assert actions.count("login_failed") == acc.LOCK_AFTER + 2 and "lockout" in actions


def test_sessions_expire_idle_and_absolute_and_end_at_logout(accounts):
    accounts.add_user("ana", "analyst", PW)
    t1 = accounts.create_session("ana")
    assert accounts.session_account(t1).username == "ana"
    sql(accounts, "UPDATE sessions SET last_seen = last_seen - %s", [acc.SESSION_IDLE + timedelta(seconds=1)])
    assert accounts.session_account(t1) is None  # idle too long
    t2 = accounts.create_session("ana")
    sql(accounts, "UPDATE sessions SET expires_at = now() AT TIME ZONE 'UTC' - interval '1 second' "
                  "WHERE session_hash = %s", [digest(t2)])
    assert accounts.session_account(t2) is None  # past the absolute limit, though just used
    t3 = accounts.create_session("ana", replaces=t2)
    assert sql(accounts, "SELECT count(*) FROM sessions WHERE session_hash = %s", [digest(t2)])[0][0] == 0
    accounts.end_session(t3)
    assert accounts.session_account(t3) is None
    assert accounts.session_account("") is None and accounts.session_account("x" * 500) is None


def test_disabled_users_sessions_and_tokens_stop_at_once(accounts):
    accounts.add_user("d1", "district", PW, region="500112")
    s = accounts.create_session("d1")
    k = accounts.create_token("d1")
    assert accounts.token_account(k).region == "500112"
    accounts.set_disabled("d1", True)
    assert accounts.session_account(s) is None and accounts.token_account(k) is None
    assert accounts.authenticate("d1", PW).outcome == "disabled"
    accounts.set_disabled("d1", False)
    assert accounts.token_account(k) is not None  # a token survives a pause; the session was deleted
    assert accounts.session_account(s) is None


def test_tokens_expire_and_are_revoked(accounts):
    accounts.add_user("ana", "analyst", PW)
    a = accounts.create_token("ana", name="a", expires_days=1)
    b = accounts.create_token("ana", name="b")
    sql(accounts, "UPDATE api_tokens SET expires_at = now() AT TIME ZONE 'UTC' - interval '1 second' WHERE name = 'a'")
    assert accounts.token_account(a) is None and accounts.token_account(b).username == "ana"
    assert accounts.revoke_tokens("ana", name="b") == 1
    assert accounts.token_account(b) is None
    with pytest.raises(UserError):
        accounts.create_token("nobody")


def test_password_change_ends_sessions_and_every_change_is_audited(accounts):
    accounts.add_user("ana", "analyst", PW, actor="cli:root")
    s = accounts.create_session("ana")
    accounts.set_password("ana", "another long password", actor="cli:root")
    assert accounts.session_account(s) is None
    assert accounts.authenticate("ana", PW).outcome == "bad"
    assert accounts.authenticate("ana", "another long password").outcome == "ok"
    rows, total = accounts.audit_log(actor="cli:root")
    assert [r["action"] for r in rows] == ["user_passwd", "user_add"] and total == 2
    assert all(r["at"] is not None for r in rows)


def test_a_duckdb_store_has_no_accounts(tmp_path):
    with pytest.raises(UserError) as e:
        Accounts(str(tmp_path / "x.duckdb"))
    assert "postgresql://" in e.value.reason_zh and "ZHIZAO_DB" in e.value.reason_en
