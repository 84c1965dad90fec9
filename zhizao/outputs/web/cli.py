"""`zhizao serve`: the dashboard on a local port.

zhizao/outputs/cli.py calls `register(app)`. FastAPI and uvicorn are imported only when the
command runs, so `zhizao --help` works without the web dependencies.
Run without the main CLI: `python -m zhizao.outputs.web.cli --port 8000`.
"""
from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path
from typing import List, Optional

import typer

from zhizao.errors import UserError
from zhizao.plan.load import PlanError
from zhizao.store.store import as_db

FORWARDED_ENV = "ZHIZAO_FORWARDED_ALLOW_IPS"
DEFAULT_PROXIES = "127.0.0.1,::1"  # uvicorn's default: a reverse proxy on the same machine


def serve(
    host: str = typer.Option(
        "127.0.0.1", "--host",
        help="监听地址；本机模式无登录，非本机地址（如 0.0.0.0）会把无需认证的上传开放给网络 / address to bind; "
             "local mode has no login: a non-loopback address exposes an unauthenticated upload to the network"),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="端口 / port (1–65535)"),
    db: Optional[Path] = typer.Option(None, "--db", parser=as_db, metavar="PATH|URL",
                                      help="DuckDB 文件或 postgresql:// URL（服务器模式，需登录）；缺省用 $ZHIZAO_DB / "
                                           "DuckDB file or postgresql:// URL (server mode: login required)"),
    plan: Optional[str] = typer.Option(
        None, "--plan", envvar="ZHIZAO_PLAN",
        help="默认规划（首页 /）：编号或 YAML 路径；数据库中的其他规划在 /p/编号/；缺省为数据库所属规划 / the default plan "
             "(served at /): id or YAML path; the store's other plans are at /p/<id>/; default: the store's plan"),
    lang: str = typer.Option("zh", "--lang", help="消息语言 / message language: zh | en"),
    monitoring_data: Optional[Path] = typer.Option(
        None, "--monitoring-data",
        help="运行监测页读取的 zhizao synth 目录；缺省用 $ZHIZAO_MONITORING_DATA，再缺省 ./zhizao-synth / monitoring data folder"),
    allowed_host: Optional[List[str]] = typer.Option(
        None, "--allowed-host",
        help="允许的 Host 名（可重复；另加 $ZHIZAO_ALLOWED_HOSTS，逗号分隔）；缺省只有 localhost、127.0.0.1、::1 和 --host "
             "/ Host name browsers may use (repeatable; also $ZHIZAO_ALLOWED_HOSTS); default: loopback names and --host"),
    forwarded_allow_ips: Optional[str] = typer.Option(
        None, "--forwarded-allow-ips", envvar=FORWARDED_ENV, metavar="ADDRESSES",
        help="信任其 X-Forwarded-For/-Proto 头的反向代理地址（逗号分隔的 IP 或网段，* 为全部）：客户端地址（登录限速、审计）"
             "和 https 取自这些头；缺省用 $ZHIZAO_FORWARDED_ALLOW_IPS，再缺省 $FORWARDED_ALLOW_IPS，再缺省 127.0.0.1,::1 / "
             "reverse proxies whose X-Forwarded-For/-Proto are trusted (comma-separated IPs or networks, * for any): the "
             "client address (login rate limit, audit) and https come from them; default $ZHIZAO_FORWARDED_ALLOW_IPS, else "
             "$FORWARDED_ALLOW_IPS, else 127.0.0.1,::1"),
) -> None:
    """启动网页看板 / serve the web dashboard (http://HOST:PORT/)."""
    import uvicorn  # lazy: the server, only this command needs it

    from zhizao.outputs.web.app import create_app  # lazy: FastAPI and the pages (~0.3 s), only this command

    hosts = [host, *(allowed_host or [])]
    try:  # the plan is resolved before listening: a wrong --plan is a message, not a broken server
        proxies = trusted_proxies(forwarded_allow_ips)
        app = create_app(db=db, plan=plan, monitoring_data=monitoring_data, allowed_hosts=hosts)
    except UserError as e:
        typer.echo(e.reason(lang), err=True)
        raise typer.Exit(2) from None
    except PlanError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(2) from None
    if not _port_free(host, port):  # uvicorn would log a traceback-like error and exit 1
        typer.echo(f"端口 {port} 已被占用或无权使用（{host}）：请用 --port 换一个端口" if lang != "en" else
                   f"port {port} on {host} is in use or not allowed: choose another with --port", err=True)
        raise typer.Exit(2)
    served = app.state.plans.listing(lang)
    typer.echo(f"zhizao dashboard: http://{host}:{port}/  (Ctrl+C 停止 / to stop)")
    # Which mode (docs/accounts.md): local has no accounts, so binding beyond loopback opens it to all.
    if app.state.accounts is None:
        typer.echo("本机单用户模式（无账户）/ single-user local mode (no accounts)")
        if not is_loopback(host):
            typer.echo(f"警告：本机模式没有登录，监听 {host} 使网络上任何人都能查看并上传数据；多用户请用服务器模式"
                       f"（ZHIZAO_DB=postgresql://…，docs/accounts.md）。\n"
                       f"warning: local mode, nothing is authenticated; bound to {host}, anyone on the network can view and upload "
                       "data. For several users use server mode (ZHIZAO_DB=postgresql://…, docs/accounts.md).", err=True)
    else:
        typer.echo("服务器模式：需要登录（账户见 zhizao user list）/ server mode: login required (see zhizao user list)")
        typer.echo(f"信任这些代理的 X-Forwarded-For/-Proto / trusted proxies: {proxies}")
        if not _has_accounts(app):
            typer.echo("警告：数据库中还没有账户，无人能登录：先建立第一个管理员：zhizao user add 用户名 --role admin\n"
                       "warning: no account exists yet, so nobody can log in: create the first administrator with "
                       "zhizao user add USERNAME --role admin", err=True)
    for p in served:
        typer.echo(f"  {'*' if p['default'] else ' '} {p['id']}  http://{host}:{port}{p['url']}  {p['title']}")
    # One process, one worker: the assessment cache and the DuckDB lock live in this process.
    # X-Forwarded-For/-Proto are read from `proxies` only (uvicorn's ProxyHeadersMiddleware): the client
    # address and the scheme of a request from any other address are its own.
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=True, forwarded_allow_ips=proxies)


def trusted_proxies(value: str | None) -> str:
    """The proxies whose forwarded headers are trusted: `value` (--forwarded-allow-ips or
    $ZHIZAO_FORWARDED_ALLOW_IPS), else uvicorn's $FORWARDED_ALLOW_IPS, else loopback. Each item must be
    an IP address, a network (10.88.0.0/16) or * (uvicorn would take anything else as a name that never
    matches, so the proxy would silently not be trusted): UserError naming the item."""
    value = (value or os.environ.get("FORWARDED_ALLOW_IPS") or DEFAULT_PROXIES).strip()
    items = [v.strip() for v in value.split(",") if v.strip()]
    if not items:
        items = [DEFAULT_PROXIES]
    for item in items:
        if item == "*":
            continue
        try:
            ipaddress.ip_network(item, strict=False) if "/" in item else ipaddress.ip_address(item)
        except ValueError:
            raise UserError(f"--forwarded-allow-ips（或 ${FORWARDED_ENV}）中的“{item[:60]}”不是 IP 地址或网段：请写成如 "
                            "127.0.0.1,10.88.0.0/16，或 *（信任所有来源，只在端口仅对代理开放时使用）",
                            f"'{item[:60]}' in --forwarded-allow-ips (or ${FORWARDED_ENV}) is not an IP address or "
                            "network: write e.g. 127.0.0.1,10.88.0.0/16, or * (any source: only when the port is "
                            "reachable by the proxy alone)") from None
    return ",".join(items)


def _has_accounts(app) -> bool:
    """Whether server mode has an account anyone can log in with (a lookup error: assume so, the
    server says why on the first request)."""
    try:
        return bool(app.state.accounts.list_users())
    except Exception:  # noqa: BLE001 — the database is down: the pages answer 503 with the reason
        return True


def _port_free(host: str, port: int) -> bool:
    """Whether the dashboard can listen on host:port (tried and released at once)."""

    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return False
    family, _, _, _, addr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(addr)
        except OSError:
            return False
    return True


def is_loopback(host: str) -> bool:
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a name: it may resolve to any address
        return False


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


if __name__ == "__main__":
    typer.run(serve)
