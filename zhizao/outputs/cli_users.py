"""`zhizao user …`: accounts of the multi-user server (docs/accounts.md).

Accounts live in the PostgreSQL database of server mode (--db or $ZHIZAO_DB = postgresql://…); on
a DuckDB store (local single-user mode, no accounts) every command refuses and says how to switch.
Every change writes an audit row whose actor is `cli:<system user>` (`cli:<sudo user> via <system
user>` under sudo). Passwords: accounts.check_password (docs/accounts.md). Times are shown in the
display time zone (settings.display_time_zone), named in the column heading.
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from enum import Enum
from typing import Optional

import typer

from zhizao import formatting, labels
from zhizao.codes.regions import DISTRICTS, district_name
from zhizao.errors import UserError
from zhizao.outputs.console import Lang, fitted_table, make_console
from zhizao.settings import display_time_zone
from zhizao.store import postgres
from zhizao.store.store import default_actor

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


def actor() -> str:
    """cli:<system user>, or cli:<sudo user> via <system user> under sudo (store.default_actor)."""
    return default_actor()


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
    """The password rule, which the accounts module keeps for every caller (accounts.check_password)."""
    from zhizao.store.accounts import check_password  # argon2 with it: only when a user command runs

    check_password(username, password)


def read_password(password_stdin: bool, lang: Lang, username: str) -> str:
    """The new password: one line of stdin, or asked twice; a password the rule refuses is said
    after the first entry (not after typing it twice)."""
    en = lang == Lang.en
    if password_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        check_strength(username, password)
        return password
    first = typer.prompt("Password" if en else "密码", hide_input=True)
    check_strength(username, first)
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
        password = read_password(password_stdin, lang, username)
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
        user = a.get(username)
        if user is not None and role == Role.district and region is None and user["role"] != "district":
            check_region("district", None)  # the same hint as zhizao user add, naming zhizao user regions
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
    zone, zone_zh, zone_en = display_time_zone()
    heads = [("用户名", "User"), ("名称", "Name"), ("角色", "Role"), ("区县", "District"), ("状态", "State"),
             (f"最近登录（{zone_zh}）", f"Last login ({zone_en})")]
    cells = []
    for r in rows:
        state = [w for w, on in ((("停用", "disabled")[en], r["disabled"]), (("锁定", "locked")[en], r["locked"])) if on]
        cells.append([r["username"], r["display_name"] or "", labels.label("role", r["role"], lang.value),
                      f"{district_name(r['region'], lang.value)} {r['region']}" if r["region"] else "",
                      ("、" if not en else ", ").join(state) or ("正常", "active")[en],
                      formatting.local_time(r["last_login"], zone)])
    console.print(fitted_table([h[en] for h in heads], cells, console.width, keep_whole=(0,)))


@user_app.command("regions")
def regions(lang: Lang = LangOpt) -> None:
    """区县代码（GB/T 2260），供 --region 使用 / the district codes (GB/T 2260) that --region takes."""
    en = lang == Lang.en
    cells = [[code, district_name(code, lang.value)] for code in DISTRICTS]
    console.print(fitted_table([("代码", "Code")[en], ("区县", "District")[en]], cells, console.width, keep_whole=(0,)))


def _state(username: str, disabled: bool, db: str | None, lang: Lang) -> None:
    with accounts(db) as a:
        user = a.get(username)
        if user is None:
            raise UserError(f"没有用户“{username}”；用 zhizao user list 查看", f"no user '{username}'; see zhizao user list")
        locked = user["locked_until"] is not None and user["locked_until"] > _now()
        if (user["disabled_at"] is not None) == disabled and not (not disabled and locked):
            # as asked already: nothing is written (no second audit row)
            console.print((f"user {username} is disabled already" if disabled else f"user {username} is enabled already")
                          if lang == Lang.en else (f"用户 {username} 已停用" if disabled else f"用户 {username} 已是启用状态"),
                          markup=False)
            return
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
        password = read_password(password_stdin, lang, username)
        a.set_password(username, password, actor=actor())
    console.print(f"user {username}: password changed" if lang == Lang.en else f"已修改用户 {username} 的密码",
                  markup=False)


def _now():
    from zhizao.store.accounts import now  # with the accounts module, loaded by accounts() already

    return now()


def _working_names(a, username: str) -> list[str]:
    """Names of the user's tokens that still work (not revoked, not expired)."""
    return [k["name"] for k in a.list_tokens(username) if k["working"] and k["name"]]


def _require_user(a, username: str) -> None:
    if a.get(username) is None:
        raise UserError(f"没有用户“{username}”；用 zhizao user list 查看", f"no user '{username}'; see zhizao user list")


@user_app.command("token")
def token(username: str = UserArg,
          name: Optional[str] = typer.Option(None, "--name", help="令牌名称：字母、数字或 . _ -，同一用户的有效令牌不可重名；"
                                                                 "缺省依次取 token-1、token-2… / the token's name: letters, "
                                                                 "digits or . _ -, unique among the user's working tokens; "
                                                                 "default token-1, token-2 …"),
          expires_days: int = typer.Option(365, "--expires-days", min=0,
                                           help="有效天数；0 为永不过期 / days until it expires; 0: never"),
          db: Optional[str] = DbOpt, lang: Lang = LangOpt) -> None:
    """生成 API 令牌（只显示这一次；缺省 365 天后过期）/ create an API token (printed once only; expires after
    365 days by default)."""
    en = lang == Lang.en
    with accounts(db) as a:
        _require_user(a, username)
        value = a.create_token(username, name=name, expires_days=expires_days, actor=actor())
        made = a.list_tokens(username)[-1]  # the newest: its (given or generated) name and expiry
    zone, zone_zh, zone_en = display_time_zone()
    until = formatting.local_time(made["expires_at"], zone) if made["expires_at"] is not None else None
    about = ((f"token {made['name']} of {username}, " + (f"expires {until} ({zone_en})" if until else "never expires"))
             if en else f"用户 {username} 的令牌 {made['name']}，" + (f"{until}（{zone_zh}）过期" if until else "永不过期"))
    note = ("the token is shown only now: keep it; scripts send it as Authorization: Bearer <token>" if en
            else "令牌只显示这一次，请妥善保存；脚本以 Authorization: Bearer <令牌> 头发送")
    err.print(about, markup=False, highlight=False)
    err.print(note, markup=False, style="yellow")
    sys.stdout.write(value + "\n")


@user_app.command("tokens")
def tokens(username: str = UserArg, db: Optional[str] = DbOpt, lang: Lang = LangOpt) -> None:
    """列出用户的 API 令牌：名称、创建、过期、最近使用、状态（不显示令牌本身）/ list a user's API tokens: name,
    created, expires, last used, state (never the token)."""
    en = lang == Lang.en
    with accounts(db) as a:
        _require_user(a, username)
        rows = a.list_tokens(username)
    if not rows:
        err.print(f"user {username} has no API token; create one with zhizao user token {username}" if en else
                  f"用户 {username} 没有 API 令牌；用 zhizao user token {username} 生成", markup=False)
        return
    zone, zone_zh, zone_en = display_time_zone()
    zone_word = zone_en if en else zone_zh
    heads = [("名称", "Name"), (f"创建（{zone_word}）", f"Created ({zone_word})"),
             (f"过期（{zone_word}）", f"Expires ({zone_word})"), (f"最近使用（{zone_word}）", f"Last used ({zone_word})"),
             ("状态", "State")]
    cells = []
    for k in rows:
        if k["revoked_at"] is not None:
            state = ("已撤销", "revoked")[en]
        elif not k["working"]:
            state = ("已过期", "expired")[en]
        else:
            state = ("有效", "working")[en]
        cells.append([k["name"] or ("（无名称）", "(no name)")[en], formatting.local_time(k["created_at"], zone),
                      formatting.local_time(k["expires_at"], zone) if k["expires_at"] is not None else ("永不", "never")[en],
                      formatting.local_time(k["last_used"], zone), state])
    console.print(fitted_table([h[en] for h in heads], cells, console.width, keep_whole=(0,)))


@user_app.command("revoke-token")
def revoke_token(username: str = UserArg,
                 name: Optional[str] = typer.Option(None, "--name", help="只撤销该名称的令牌；缺省撤销全部 / revoke "
                                                                        "only the token of this name; default: all"),
                 db: Optional[str] = DbOpt, lang: Lang = LangOpt) -> None:
    """撤销用户的 API 令牌（名称见 zhizao user tokens）/ revoke a user's API tokens (names: zhizao user tokens)."""
    en = lang == Lang.en
    with accounts(db) as a:
        _require_user(a, username)
        names = _working_names(a, username)
        if name is not None and name not in names:
            known_zh = f"有效令牌：{'、'.join(names)}" if names else "该用户没有有效令牌"
            known_en = f"its working tokens: {', '.join(names)}" if names else "it has no working token"
            raise UserError(f"用户 {username} 没有名为 {name} 的有效令牌（{known_zh}；见 zhizao user tokens {username}）",
                            f"user {username} has no working token named {name} ({known_en}; see zhizao user tokens "
                            f"{username})")
        n = a.revoke_tokens(username, name=name, actor=actor())
    if not n:
        console.print(f"user {username} has no token to revoke" if en else f"用户 {username} 没有可撤销的令牌", markup=False)
        return
    console.print(f"{n} token(s) of {username} revoked" if en else f"已撤销用户 {username} 的 {n} 个令牌", markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
