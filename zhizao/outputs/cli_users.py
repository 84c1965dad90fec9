"""`zhizao user …`: accounts of the multi-user server (docs/accounts.md).

Accounts live in the PostgreSQL database of server mode (--db or $ZHIZAO_DB = postgresql://…); on
a DuckDB store (local single-user mode, no accounts) every command refuses and says how to switch.
Every change writes an audit row whose actor is `cli:<system user>`. Passwords: at least 10
characters, not the user name, at least 5 different characters (docs/accounts.md).
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
from zhizao.codes.regions import DISTRICTS, district_name
from zhizao.errors import UserError
from zhizao.outputs.console import Lang, fitted_table, make_console
from zhizao.store import postgres

user_app = typer.Typer(help="账户（服务器模式）：新建、列出、修改、停用、改密码、API 令牌、区县代码 / accounts (server mode): "
                            "add, list, set, disable, passwd, API tokens, district codes.", no_args_is_help=True)
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
UserArg = typer.Argument(..., metavar="USERNAME", help="用户名 / user name")
MIN_DISTINCT = 5  # different characters a password needs (aaaaaaaaaa, ababababab are refused)


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
    postgres.check_address(url, "--db" if db else "ZHIZAO_DB")
    if not postgres.is_postgres(url):
        raise UserError(SERVER_ONLY_ZH, SERVER_ONLY_EN)
    try:
        a = Accounts(url)
    except UserError:
        raise
    except Exception as e:  # noqa: BLE001 — psycopg (server down, refused) or the migration: a message
        first = str(e).strip().splitlines()[0][:200] if str(e).strip() else type(e).__name__
        first = postgres.redact(first)
        raise UserError(f"无法连接账户数据库 {postgres.redact(url)}（{first}）：请检查 PostgreSQL 是否运行、地址是否正确",
                        f"cannot reach the accounts database {postgres.redact(url)} ({first}): check that PostgreSQL "
                        "runs and the URL") from None
    try:
        yield a
    finally:
        a.close()


def check_region(role: str | None, region: str | None) -> None:
    """A district code the accounts know, with the command that lists them (before any database work)."""
    if region and region not in DISTRICTS:
        raise UserError(f"“{region[:20]}”不是已知的区县代码（GB/T 2260，如 500112 渝北区）；全部区县代码见 zhizao user regions",
                        f"'{region[:20]}' is not a known district code (GB/T 2260, e.g. 500112 Yubei District); "
                        "zhizao user regions lists them all")
    if role == "district" and not region:
        raise UserError("区县用户须用 --region 指定所属区县的代码（如 500112）；全部区县代码见 zhizao user regions",
                        "a district user needs --region: the district's code (e.g. 500112); zhizao user regions lists them")


def check_strength(username: str, password: str) -> None:
    """The CLI's password rule on top of the accounts' (≥ 10 characters, not the user name): at least
    MIN_DISTINCT different characters, so never one character repeated."""
    from zhizao.store.accounts import check_password  # argon2 with it: only when a user command runs

    check_password(username, password)
    if len(set(password)) < MIN_DISTINCT:
        raise UserError(f"密码太简单：至少要有 {MIN_DISTINCT} 个不同的字符（不能是同一字符重复）",
                        f"the password is too simple: it needs at least {MIN_DISTINCT} different characters "
                        "(not one character repeated)")


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
def add(username: str = UserArg,
        role: Role = typer.Option(..., "--role", help="角色 / role: admin | analyst | district | guest"),
        region: Optional[str] = typer.Option(None, "--region", metavar="CODE",
                                             help="区县用户所属区县代码（见 zhizao user regions）/ a district user's "
                                                  "district code (see zhizao user regions)"),
        name: Optional[str] = typer.Option(None, "--name", help="显示名称 / display name"),
        password_stdin: bool = typer.Option(False, "--password-stdin", help="从标准输入读取一行作为密码 / read the "
                                                                            "password from one line of stdin"),
        db: Optional[str] = DbOpt, lang: Lang = LangOpt) -> None:
    """新建用户（密码至少10个字符、至少5个不同字符，不能与用户名相同）/ add a user (password ≥ 10 characters,
    ≥ 5 different ones, not the user name)."""
    check_region(role.value, region)
    with accounts(db) as a:
        password = read_password(password_stdin, lang)
        check_strength(username, password)
        a.add_user(username, role.value, password, region=region, display_name=name, actor=actor())
    where = f" {district_name(region, lang.value)} {region}" if region else ""
    console.print(f"已新建用户 {username}（{labels.label('role', role.value)}{where}）" if lang != Lang.en else
                  f"user {username} added ({labels.label('role', role.value, 'en')}{where})", markup=False)


@user_app.command("set")
def set_user(username: str = UserArg,
             role: Optional[Role] = typer.Option(None, "--role", help="新角色 / new role: admin | analyst | district | guest"),
             region: Optional[str] = typer.Option(None, "--region", metavar="CODE",
                                                  help="区县用户的新区县代码（见 zhizao user regions）/ a district "
                                                       "user's new district (see zhizao user regions)"),
             name: Optional[str] = typer.Option(None, "--name", help="新显示名称（\"\" 清除）/ new display name "
                                                                     "(\"\" clears it)"),
             db: Optional[str] = DbOpt, lang: Lang = LangOpt) -> None:
    """修改用户的角色、所属区县或显示名称（记入审计日志；会话与令牌的下一次请求即按新角色）/ change a user's
    role, district or display name (audited; their sessions and tokens get the new role on the next request)."""
    en = lang == Lang.en
    if role is None and region is None and name is None:
        raise UserError("没有要修改的内容：请给出 --role、--region 或 --name", "nothing to change: give --role, --region or --name")
    check_region(None, region)
    with accounts(db) as a:
        changes = a.update_user(username, role=role.value if role else None, region=region, display_name=name,
                                actor=actor())
    if not changes:
        console.print(f"user {username}: nothing changed" if en else f"用户 {username} 没有变化", markup=False)
        return

    def shown(field: str, value) -> str:
        if value is None:
            return formatting.MISSING
        if field == "role":
            return labels.label("role", value, lang.value)
        return f"{district_name(value, lang.value)} {value}" if field == "region" else str(value)

    words = {"role": ("角色", "role"), "region": ("区县", "district"), "display_name": ("名称", "name")}
    parts = [f"{words[f][en]} {shown(f, a)} → {shown(f, b)}" for f, (a, b) in changes.items()]
    console.print(f"user {username} changed: " + "; ".join(parts) if en else f"已修改用户 {username}：" + "；".join(parts),
                  markup=False)


@user_app.command("list")
def list_users(db: Optional[str] = DbOpt, lang: Lang = LangOpt) -> None:
    """列出用户：角色、区县（名称与代码）、状态、最近登录；不显示密码散列 / list the users: role, district
    (name and code), state, last login; no hashes."""
    en = lang == Lang.en
    with accounts(db) as a:
        rows = a.list_users()
    if not rows:
        err.print("no users yet: create the first administrator with zhizao user add USERNAME --role admin" if en else
                  "还没有用户：先建立第一个管理员：zhizao user add 用户名 --role admin", markup=False)
        return
    heads = [("用户名", "User"), ("名称", "Name"), ("角色", "Role"), ("区县", "District"), ("状态", "State"),
             ("最近登录（UTC）", "Last login (UTC)")]
    cells = []
    for r in rows:
        state = [w for w, on in ((("停用", "disabled")[en], r["disabled"]), (("锁定", "locked")[en], r["locked"])) if on]
        cells.append([r["username"], r["display_name"] or "", labels.label("role", r["role"], lang.value),
                      f"{district_name(r['region'], lang.value)} {r['region']}" if r["region"] else "",
                      ("、" if not en else ", ").join(state) or ("正常", "active")[en],
                      formatting.date(r["last_login"]) if r["last_login"] else formatting.MISSING])
    console.print(fitted_table([h[en] for h in heads], cells, console.width, keep_whole=(0,)))


@user_app.command("regions")
def regions(lang: Lang = LangOpt) -> None:
    """区县代码（GB/T 2260），供 --region 使用 / the district codes (GB/T 2260) that --region takes."""
    en = lang == Lang.en
    cells = [[code, district_name(code, lang.value)] for code in DISTRICTS]
    console.print(fitted_table([("代码", "Code")[en], ("区县", "District")[en]], cells, console.width, keep_whole=(0,)))


def _state(username: str, disabled: bool, db: str | None, lang: Lang) -> None:
    with accounts(db) as a:
        a.set_disabled(username, disabled, actor=actor())
        revoked = a.revoke_tokens(username, actor=actor()) if disabled else 0
    zh = (f"已停用用户 {username}：其会话已结束，{revoked} 个 API 令牌已撤销（重新启用后须用 zhizao user token 生成新令牌）"
          if disabled else f"已启用用户 {username}（锁定已解除；停用时撤销的令牌不会恢复）")
    en = (f"user {username} disabled: its sessions ended and {revoked} API token(s) were revoked (after enabling, "
          "create new ones with zhizao user token)" if disabled
          else f"user {username} enabled (any lock-out lifted; tokens revoked on disabling stay revoked)")
    console.print(en if lang == Lang.en else zh, markup=False)


@user_app.command("disable")
def disable(username: str = UserArg, db: Optional[str] = DbOpt, lang: Lang = LangOpt) -> None:
    """停用用户：会话立即结束，API 令牌全部撤销 / disable a user: sessions end at once, API tokens are revoked."""
    _state(username, True, db, lang)


@user_app.command("enable")
def enable(username: str = UserArg, db: Optional[str] = DbOpt, lang: Lang = LangOpt) -> None:
    """启用用户，并解除登录失败锁定（停用时撤销的令牌不恢复）/ enable a user and lift a lock-out (tokens revoked
    on disabling stay revoked)."""
    _state(username, False, db, lang)


@user_app.command("passwd")
def passwd(username: str = UserArg,
           password_stdin: bool = typer.Option(False, "--password-stdin", help="从标准输入读取密码 / read the "
                                                                               "password from stdin"),
           db: Optional[str] = DbOpt, lang: Lang = LangOpt) -> None:
    """修改密码（该用户的会话随即结束）/ set a new password (the user's sessions end)."""
    with accounts(db) as a:
        if a.get(username) is None:
            raise UserError(f"没有用户“{username}”；用 zhizao user list 查看", f"no user '{username}'; see zhizao user list")
        password = read_password(password_stdin, lang)
        check_strength(username, password)
        a.set_password(username, password, actor=actor())
    console.print(f"user {username}: password changed" if lang == Lang.en else f"已修改用户 {username} 的密码",
                  markup=False)


def _active_names(a, username: str) -> list[str]:
    """Names of the user's tokens that still work (not revoked, not expired)."""
    from zhizao.store.accounts import now  # with the accounts module, loaded by accounts() already

    t = now()
    return [k["name"] for k in a.list_tokens(username)
            if k["revoked_at"] is None and (k["expires_at"] is None or k["expires_at"] > t)]


@user_app.command("token")
def token(username: str = UserArg,
          name: Optional[str] = typer.Option(None, "--name", help="令牌名称（撤销时用；同一用户的有效令牌不可重名）/ the "
                                                                 "token's name (to revoke it; unique among the user's tokens)"),
          expires_days: Optional[int] = typer.Option(None, "--expires-days", min=1,
                                                     help="有效天数；缺省不过期 / days until it expires; default: never"),
          db: Optional[str] = DbOpt, lang: Lang = LangOpt) -> None:
    """生成 API 令牌（只显示这一次）/ create an API token (printed once only)."""
    with accounts(db) as a:
        if a.get(username) is None:
            raise UserError(f"没有用户“{username}”；用 zhizao user list 查看", f"no user '{username}'; see zhizao user list")
        if name is not None and name in _active_names(a, username):
            raise UserError(f"用户 {username} 已有名为“{name}”的有效令牌：请另取名称，或先 zhizao user revoke-token "
                            f"{username} --name {name}",
                            f"user {username} already has a token named '{name}': choose another name, or first run "
                            f"zhizao user revoke-token {username} --name {name}")
        value = a.create_token(username, name=name, expires_days=expires_days, actor=actor())
    note = ("the token is shown only now: keep it; scripts send it as Authorization: Bearer <token>" if lang == Lang.en
            else "令牌只显示这一次，请妥善保存；脚本以 Authorization: Bearer <令牌> 头发送")
    err.print(note, markup=False, style="yellow")
    sys.stdout.write(value + "\n")


@user_app.command("revoke-token")
def revoke_token(username: str = UserArg,
                 name: Optional[str] = typer.Option(None, "--name", help="只撤销该名称的令牌；缺省撤销全部 / revoke "
                                                                        "only the token of this name; default: all"),
                 db: Optional[str] = DbOpt, lang: Lang = LangOpt) -> None:
    """撤销用户的 API 令牌 / revoke a user's API tokens."""
    with accounts(db) as a:
        if a.get(username) is None:
            raise UserError(f"没有用户“{username}”；用 zhizao user list 查看", f"no user '{username}'; see zhizao user list")
        if name is not None:
            names = [n for n in _active_names(a, username) if n is not None]
            if name not in names:
                known_zh = f"有效令牌：{'、'.join(names)}" if names else "该用户没有有名称的有效令牌"
                known_en = f"its tokens: {', '.join(names)}" if names else "it has no named token that works"
                raise UserError(f"用户 {username} 没有名为 {name} 的令牌（{known_zh}）",
                                f"user {username} has no token named {name} ({known_en})")
        n = a.revoke_tokens(username, name=name, actor=actor())
    console.print(f"{n} token(s) of {username} revoked" if lang == Lang.en else f"已撤销用户 {username} 的 {n} 个令牌",
                  markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
