"""`zhizao user …`: accounts of the multi-user server (docs/accounts.md).

Accounts live in the PostgreSQL database of server mode (--db or $ZHIZAO_DB = postgresql://…); on
a DuckDB store (local single-user mode, no accounts) every command refuses and says how to switch.
Every change writes an audit row whose actor is `cli:<system user>`.
"""
from __future__ import annotations

import getpass
import os
import sys
from contextlib import contextmanager
from enum import Enum
from typing import Optional

import typer
from rich.table import Table

from zhizao import formatting, labels
from zhizao.codes.regions import district_name
from zhizao.errors import UserError
from zhizao.outputs.console import Lang, make_console
from zhizao.store import postgres

user_app = typer.Typer(help="账户（服务器模式）：新建、列出、停用、改密码、API 令牌 / accounts (server mode): add, list, "
                            "disable, passwd, API tokens.", no_args_is_help=True)
console = make_console()
err = make_console(stderr=True)  # notes; stdout carries only what a script reads (the token)

SERVER_ONLY_ZH = ("账户只用于服务器模式（PostgreSQL）：本机 DuckDB 数据库是单用户模式，没有账户。"
                  "请用 --db 或环境变量 ZHIZAO_DB=postgresql://用户@主机:端口/库名 指定服务器数据库")
SERVER_ONLY_EN = ("accounts exist only in server mode (PostgreSQL): a local DuckDB store is single-user, with no "
                  "accounts. Name the server database with --db or ZHIZAO_DB=postgresql://user@host:port/db")


class Role(str, Enum):
    admin = "admin"
    analyst = "analyst"
    district = "district"
    guest = "guest"


DbOpt = typer.Option(None, "--db", help="账户所在的 PostgreSQL 数据库（postgresql://…）；缺省用 $ZHIZAO_DB / the "
                                        "PostgreSQL database of the accounts; default: $ZHIZAO_DB")
LangOpt = typer.Option(Lang.zh, "--lang", help="消息语言 / message language")


def actor() -> str:
    try:
        return "cli:" + getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return f"cli:uid{os.getuid()}"


@contextmanager
def accounts(db: str | None):
    """The accounts database, or a UserError saying why not (a DuckDB store, a server that is down)."""
    from zhizao.store.accounts import Accounts  # psycopg and argon2: only when a user command runs

    url = db or os.environ.get("ZHIZAO_DB")
    if not postgres.is_postgres(url):
        raise UserError(SERVER_ONLY_ZH, SERVER_ONLY_EN)
    try:
        a = Accounts(url)
    except UserError:
        raise
    except Exception as e:  # noqa: BLE001 — psycopg (server down, refused) or the migration: a message
        first = str(e).strip().splitlines()[0][:200] if str(e).strip() else type(e).__name__
        raise UserError(f"无法连接账户数据库（{first}）：请检查 PostgreSQL 是否运行、地址是否正确",
                        f"cannot reach the accounts database ({first}): check that PostgreSQL runs and the URL") from None
    try:
        yield a
    finally:
        a.close()


def read_password(password_stdin: bool, lang: Lang) -> str:
    en = lang == Lang.en
    if password_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    first = typer.prompt("Password" if en else "密码", hide_input=True)
    second = typer.prompt("Password again" if en else "再次输入密码", hide_input=True)
    if first != second:
        raise UserError("两次输入的密码不一致", "the two passwords differ")
    return first


@user_app.command("add")
def add(username: str = typer.Argument(..., help="用户名 / user name"),
        role: Role = typer.Option(..., "--role", help="角色 / role: admin | analyst | district | guest"),
        region: Optional[str] = typer.Option(None, "--region", help="区县用户所属区县代码（GB/T 2260）/ a district "
                                                                     "user's district code (GB/T 2260)"),
        name: Optional[str] = typer.Option(None, "--name", help="显示名称 / display name"),
        password_stdin: bool = typer.Option(False, "--password-stdin", help="从标准输入读取一行作为密码 / read the "
                                                                            "password from one line of stdin"),
        db: Optional[str] = DbOpt, lang: Lang = LangOpt) -> None:
    """新建用户（密码至少10个字符，不能与用户名相同）/ add a user (password ≥ 10 characters, not the user name)."""
    with accounts(db) as a:
        password = read_password(password_stdin, lang)
        a.add_user(username, role.value, password, region=region, display_name=name, actor=actor())
    where = f" {district_name(region, lang.value)}" if region else ""
    console.print(f"已新建用户 {username}（{labels.label('role', role.value)}{where}）" if lang != Lang.en else
                  f"user {username} added ({labels.label('role', role.value, 'en')}{where})", markup=False)


@user_app.command("list")
def list_users(db: Optional[str] = DbOpt, lang: Lang = LangOpt) -> None:
    """列出用户（不显示密码散列）/ list the users (no hashes)."""
    en = lang == Lang.en
    with accounts(db) as a:
        rows = a.list_users()
    table = Table(show_lines=False)
    for head in (("用户名", "User"), ("名称", "Name"), ("角色", "Role"), ("区县", "District"), ("状态", "State"),
                 ("最近登录（UTC）", "Last login (UTC)")):
        table.add_column(head[en])
    for r in rows:
        state = [w for w, on in ((("停用", "disabled")[en], r["disabled"]), (("锁定", "locked")[en], r["locked"])) if on]
        table.add_row(r["username"], r["display_name"] or "", labels.label("role", r["role"], lang.value),
                      district_name(r["region"], lang.value) if r["region"] else "",
                      ("、" if not en else ", ").join(state) or ("正常", "active")[en],
                      formatting.date(r["last_login"]) if r["last_login"] else formatting.MISSING)
    console.print(table)


def _state(username: str, disabled: bool, db: str | None, lang: Lang) -> None:
    with accounts(db) as a:
        a.set_disabled(username, disabled, actor=actor())
    zh = f"已停用用户 {username}：其会话和 API 令牌立即失效" if disabled else f"已启用用户 {username}（锁定已解除）"
    en = (f"user {username} disabled: its sessions and API tokens stop working now" if disabled
          else f"user {username} enabled (any lock-out lifted)")
    console.print(en if lang == Lang.en else zh, markup=False)


@user_app.command("disable")
def disable(username: str = typer.Argument(..., help="用户名 / user name"), db: Optional[str] = DbOpt,
            lang: Lang = LangOpt) -> None:
    """停用用户（会话与令牌立即失效）/ disable a user (sessions and tokens stop at once)."""
    _state(username, True, db, lang)


@user_app.command("enable")
def enable(username: str = typer.Argument(..., help="用户名 / user name"), db: Optional[str] = DbOpt,
           lang: Lang = LangOpt) -> None:
    """启用用户，并解除登录失败锁定 / enable a user and lift a lock-out."""
    _state(username, False, db, lang)


@user_app.command("passwd")
def passwd(username: str = typer.Argument(..., help="用户名 / user name"),
           password_stdin: bool = typer.Option(False, "--password-stdin", help="从标准输入读取密码 / read the "
                                                                               "password from stdin"),
           db: Optional[str] = DbOpt, lang: Lang = LangOpt) -> None:
    """修改密码（该用户的会话随即结束）/ set a new password (the user's sessions end)."""
    with accounts(db) as a:
        if a.get(username) is None:
            raise UserError(f"没有用户“{username}”；用 zhizao user list 查看", f"no user '{username}'; see zhizao user list")
        a.set_password(username, read_password(password_stdin, lang), actor=actor())
    console.print(f"user {username}: password changed" if lang == Lang.en else f"已修改用户 {username} 的密码",
                  markup=False)


@user_app.command("token")
def token(username: str = typer.Argument(..., help="用户名 / user name"),
          name: Optional[str] = typer.Option(None, "--name", help="令牌名称（撤销时用）/ the token's name (to revoke it)"),
          expires_days: Optional[int] = typer.Option(None, "--expires-days", min=1,
                                                     help="有效天数；缺省不过期 / days until it expires; default: never"),
          db: Optional[str] = DbOpt, lang: Lang = LangOpt) -> None:
    """生成 API 令牌（只显示这一次）/ create an API token (printed once only)."""
    with accounts(db) as a:
        value = a.create_token(username, name=name, expires_days=expires_days, actor=actor())
    note = ("the token is shown only now: keep it; scripts send it as Authorization: Bearer <token>" if lang == Lang.en
            else "令牌只显示这一次，请妥善保存；脚本以 Authorization: Bearer <令牌> 头发送")
    err.print(note, markup=False, style="yellow")
    sys.stdout.write(value + "\n")


@user_app.command("revoke-token")
def revoke_token(username: str = typer.Argument(..., help="用户名 / user name"),
                 name: Optional[str] = typer.Option(None, "--name", help="只撤销该名称的令牌；缺省撤销全部 / revoke "
                                                                        "only the token of this name; default: all"),
                 db: Optional[str] = DbOpt, lang: Lang = LangOpt) -> None:
    """撤销用户的 API 令牌 / revoke a user's API tokens."""
    with accounts(db) as a:
        n = a.revoke_tokens(username, name=name, actor=actor())
    console.print(f"{n} token(s) of {username} revoked" if lang == Lang.en else f"已撤销用户 {username} 的 {n} 个令牌",
                  markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
