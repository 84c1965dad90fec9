"""`zhizao user …` and `zhizao db upgrade` as an administrator uses them on a fresh PostgreSQL database:
district codes a user can find, a role or district changed (audited), token names unique, a revocation
of a token that is not there refused, disabling revokes tokens, weak passwords refused, an empty list
says how to start, English at 80 columns without "…", and db upgrade says what it did."""
from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from zhizao import api
from zhizao.outputs import cli_users
from zhizao.store import postgres
from zhizao.store.accounts import Accounts

from cli_support import run_main

PW = "a long enough password"


@pytest.fixture
def zz(pg_url, capsys, monkeypatch):
    """`zhizao ARGS` on the fresh database; `stdin` is what --password-stdin reads."""
    def run(*args: str, stdin: str = PW + "\n"):
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        return run_main([*args, "--db", pg_url], capsys, monkeypatch)
    run.url = pg_url
    return run


def test_db_upgrade_of_an_empty_database_says_it_upgraded(zz):
    code, out, err = zz("db", "upgrade")
    assert code == 0, err
    assert f"已升级到 {postgres.latest_revision()}" in out and "原为" in out and "已是最新" not in out
    code, out, _ = zz("db", "upgrade", "--lang", "en")
    assert code == 0 and "already at the latest revision" in out


def test_an_empty_user_list_says_how_to_create_the_first_admin(zz):
    code, out, err = zz("user", "list")
    assert code == 0 and "zhizao user add" in err and "--role admin" in err


def test_a_wrong_district_points_to_the_command_listing_the_codes(zz, capsys, monkeypatch):
    code, _, err = zz("user", "add", "yubei", "--role", "district", "--region", "123456", "--password-stdin")
    assert code == 2 and "zhizao user regions" in err and "plan show" not in err
    code, _, err = zz("user", "add", "yubei", "--role", "district", "--password-stdin")
    assert code == 2 and "zhizao user regions" in err
    code, out, _ = run_main(["user", "regions"], capsys, monkeypatch)
    assert code == 0 and "500112" in out and "渝北区" in out and len(re.findall(r"\b500\d{3}\b", out)) == 38
    code, out, _ = run_main(["user", "regions", "--lang", "en"], capsys, monkeypatch)
    assert "Yubei District" in out


def test_user_list_shows_district_names_and_codes_and_fits_80_columns_in_english(zz, monkeypatch):
    assert zz("user", "add", "chen", "--role", "admin", "--name", "陈主任", "--password-stdin")[0] == 0
    assert zz("user", "add", "yubei01", "--role", "district", "--region", "500112", "--password-stdin")[0] == 0
    monkeypatch.setattr(cli_users, "console", Console(width=80, color_system=None))
    code, out, _ = zz("user", "list", "--lang", "en")
    print(out)
    assert code == 0 and "500112" in out and "Yubei" in out
    assert "…" not in out and all(len(line) <= 80 for line in out.splitlines())
    assert "administrator" in out and "analyst" not in out
    code, out, _ = zz("user", "list")
    assert "渝北区 500112" in out


def test_user_set_changes_role_district_and_name_and_is_audited(zz):
    assert zz("user", "add", "ana", "--role", "analyst", "--password-stdin")[0] == 0
    code, out, err = zz("user", "set", "ana", "--role", "district", "--region", "500112")
    assert code == 0, err
    assert "区县用户" in out and "渝北区 500112" in out
    with Accounts(zz.url) as a:
        assert (a.get("ana")["role"], a.get("ana")["region"]) == ("district", "500112")
    code, _, err = zz("user", "set", "ana", "--region", "999999")
    assert code == 2 and "zhizao user regions" in err
    code, _, err = zz("user", "set", "ana", "--role", "analyst", "--name", "安娜")
    assert code == 0, err
    with Accounts(zz.url) as a:
        assert (a.get("ana")["role"], a.get("ana")["region"], a.get("ana")["display_name"]) == ("analyst", None, "安娜")
    edits = api.audit_log(zz.url, action="user_edit")
    assert len(edits) == 2 and set(edits["target"]) == {"ana"} and edits["actor"].str.startswith("cli:").all()
    assert zz("user", "set", "nobody", "--role", "guest")[0] == 2
    assert zz("user", "set", "ana")[0] == 2  # nothing to change


def test_token_names_are_unique_and_revoking_a_missing_name_is_refused(zz):
    assert zz("user", "add", "ana", "--role", "analyst", "--password-stdin")[0] == 0
    assert zz("user", "token", "ana", "--name", "nightly")[0] == 0
    code, out, err = zz("user", "token", "ana", "--name", "nightly")
    assert code == 2 and "nightly" in err and out == ""
    code, out, err = zz("user", "revoke-token", "ana", "--name", "nope")
    assert code == 2 and "没有名为 nope 的有效令牌" in err and "nightly" in err and "、）" not in err
    code, out, _ = zz("user", "revoke-token", "ana", "--name", "nightly")
    assert code == 0 and "1 个令牌" in out
    assert zz("user", "token", "ana", "--name", "nightly")[0] == 0  # the name is free again


def test_disabling_revokes_tokens_so_enabling_does_not_bring_them_back(zz):
    assert zz("user", "add", "ana", "--role", "analyst", "--password-stdin")[0] == 0
    code, token, _ = zz("user", "token", "ana", "--name", "nightly")
    token = token.strip()
    with Accounts(zz.url) as a:
        assert a.token_account(token) is not None
    code, out, _ = zz("user", "disable", "ana")
    assert code == 0 and "令牌已撤销" in out
    assert zz("user", "enable", "ana")[0] == 0
    with Accounts(zz.url) as a:
        assert a.token_account(token) is None


@pytest.mark.parametrize("password", ["aaaaaaaaaa", "ababababab", "1212121212ab"])
def test_weak_passwords_are_refused(zz, password):
    code, _, err = zz("user", "add", "ana", "--role", "analyst", "--password-stdin", stdin=password + "\n")
    assert code == 2 and "5 个不同的字符" in err
    assert zz("user", "add", "ana", "--role", "analyst", "--password-stdin")[0] == 0
    code, _, err = zz("user", "passwd", "ana", "--password-stdin", "--lang", "en", stdin=password + "\n")
    assert code == 2 and "5 different characters" in err


def test_help_names_the_user_argument_username(capsys, monkeypatch):
    for command in ("add", "set", "disable", "enable", "passwd", "token", "revoke-token"):
        code, out, _ = run_main(["user", command, "--help"], capsys, monkeypatch)
        assert code == 0 and "USERNAME" in out and "{username}" not in out


def test_tokens_get_names_are_listed_and_expire_by_default(zz):
    """Was: two `user token ana` made two working tokens with a NULL name that nothing could list or revoke
    by name; --name "" and names with tabs or quotes were accepted; no token expired by default; no command
    listed a user's tokens."""
    assert zz("user", "add", "ana", "--role", "analyst", "--password-stdin")[0] == 0
    code, first, err = zz("user", "token", "ana")
    assert code == 0 and first.startswith("zt_") and "token-1" in err and "过期" in err
    assert zz("user", "token", "ana")[0] == 0
    for bad in ("", "a\tb", 'say"hi', "it's", "x" * 41, "two words"):
        code, out, err = zz("user", "token", "ana", "--name", bad)
        assert code == 2 and out == "" and "令牌名称" in err, bad
    assert zz("user", "token", "ana", "--name", "forever", "--expires-days", "0")[0] == 0
    with Accounts(zz.url) as a:
        rows = a.list_tokens("ana")
    assert [k["name"] for k in rows] == ["token-1", "token-2", "forever"]
    days = (rows[0]["expires_at"] - rows[0]["created_at"]).days
    assert days == 365 and rows[2]["expires_at"] is None
    code, out, err = zz("user", "tokens", "ana")
    assert code == 0, err
    assert all(n in out for n in ("token-1", "token-2", "forever", "永不", "有效")) and "北京时间" in out
    assert first.strip() not in out and "zt_" not in out
    code, out, _ = zz("user", "revoke-token", "ana", "--name", "token-1")
    assert code == 0 and "1 个令牌" in out
    code, out, _ = zz("user", "tokens", "ana", "--lang", "en")
    assert "revoked" in out and "Beijing time" in out
    code, _, _ = zz("user", "token", "ana")  # a generated name is never one the user had
    with Accounts(zz.url) as a:
        assert a.list_tokens("ana")[-1]["name"] == "token-3"


def test_revoking_with_no_token_says_so_and_exit_0(zz):
    """Was: exit 0 with "已撤销用户 ana 的 0 个令牌" and an audit row."""
    assert zz("user", "add", "ana", "--role", "analyst", "--password-stdin")[0] == 0
    code, out, err = zz("user", "revoke-token", "ana")
    assert code == 0 and "没有可撤销的令牌" in out
    code, _, err = zz("user", "revoke-token", "ana", "--name", "nightly")
    assert code == 2 and "没有有效令牌" in err
    assert api.audit_log(zz.url, action="token_revoke").empty


def test_disabling_or_enabling_twice_says_so_and_writes_nothing(zz):
    assert zz("user", "add", "ana", "--role", "analyst", "--password-stdin")[0] == 0
    assert zz("user", "disable", "ana")[0] == 0
    code, out, _ = zz("user", "disable", "ana")
    assert code == 0 and "已停用" in out and "令牌已撤销" not in out
    assert len(api.audit_log(zz.url, action="user_disable")) == 1
    assert zz("user", "enable", "ana")[0] == 0
    code, out, _ = zz("user", "enable", "ana", "--lang", "en")
    assert code == 0 and "enabled already" in out
    assert len(api.audit_log(zz.url, action="user_enable")) == 1
    assert zz("user", "disable", "nobody")[0] == 2


def test_set_role_district_without_region_gives_the_add_hint(zz):
    assert zz("user", "add", "ana", "--role", "analyst", "--password-stdin")[0] == 0
    code, _, err_set = zz("user", "set", "ana", "--role", "district")
    code_add, _, err_add = zz("user", "add", "bob", "--role", "district", "--password-stdin")
    assert code == code_add == 2 and err_set == err_add and "zhizao user regions" in err_set


@pytest.mark.parametrize("password", ["1234567890", "password123", "qwertyuiop", "abcdefghijk", "Password2024!",
                                      "zyxwvutsrq"])
def test_common_digit_and_sequence_passwords_are_refused_for_python_callers_too(zz, password):
    """Was: 1234567890 and password123 were accepted."""
    code, _, err = zz("user", "add", "ana", "--role", "analyst", "--password-stdin", stdin=password + "\n")
    assert code == 2 and "密码太" in err, password
    from zhizao.errors import UserError
    with Accounts(zz.url) as a, pytest.raises(UserError):
        a.add_user("ana", "analyst", password)


def test_the_prompt_checks_the_rule_after_the_first_entry(zz, monkeypatch):
    asked = []

    def prompt(text, hide_input=False):
        asked.append(text)
        return "1234567890"
    monkeypatch.setattr(cli_users.typer, "prompt", prompt)
    code, _, err = zz("user", "add", "ana", "--role", "analyst")
    assert code == 2 and "不能全是数字" in err and asked == ["密码"]


def test_cli_audit_rows_name_the_sudo_user_and_not_a_forged_logname(zz, monkeypatch):
    """Was: cli:+getpass.getuser(): everyone using sudo -u zhizao was cli:zhizao, and LOGNAME chose the name."""
    from zhizao.store.store import system_user

    me = system_user()
    monkeypatch.setenv("LOGNAME", "forged")
    monkeypatch.setenv("USER", "forged")
    monkeypatch.setenv("SUDO_USER", "alice")
    assert zz("user", "add", "ana", "--role", "analyst", "--password-stdin")[0] == 0
    monkeypatch.delenv("SUDO_USER")
    assert zz("user", "disable", "ana")[0] == 0
    rows = api.audit_log(zz.url)
    actors = dict(zip(rows["action"], rows["actor"]))
    assert actors["user_add"] == f"cli:alice via {me}" and actors["user_disable"] == f"cli:{me}"
    assert "forged" not in " ".join(rows["actor"])


def test_user_list_shows_last_login_in_the_display_time_zone(zz):
    assert zz("user", "add", "ana", "--role", "analyst", "--password-stdin")[0] == 0
    with Accounts(zz.url) as a:
        a.create_session("ana")
        with a._conn() as con:
            con.execute("UPDATE audit SET at = '2026-01-01 16:30:00' WHERE action = 'login'")
    code, out, _ = zz("user", "list")
    assert "北京时间" in out and "2026-01-02 00:30" in out and "UTC）" not in out.replace("UTC+8）", "")
