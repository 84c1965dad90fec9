"""CLI commands that administer the store: backup, restore, db status, db upgrade (docs/storage.md).

`register(app)` adds them to the main Typer app. They work on both backends: the DuckDB file or the
PostgreSQL database named by --db, else $ZHIZAO_DB, else the user's DuckDB file.
"""
from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from zhizao import api, labels
from zhizao.errors import UserError
from zhizao.outputs.console import Fmt, Lang, make_console
from zhizao.store import postgres
from zhizao.store.store import as_db

console = make_console()
err = make_console(stderr=True)
DB_HELP = ("DuckDB 文件或 postgresql:// URL；缺省用 $ZHIZAO_DB，再缺省 ~/.local/share/zhizao/zhizao.duckdb / a DuckDB "
           "file or a postgresql:// URL (default: $ZHIZAO_DB, else the user's DuckDB file)")


def _say(key: str, lang: Lang) -> str:
    pair = labels.STORE_STATUS[key]
    return pair[1] if lang == Lang.en else pair[0]


def _progress(lang: Lang):
    """A line per table on stderr, as each is written (a big store takes a while)."""
    def step(table: str, rows: int) -> None:
        err.print(f"  {table}: {rows:,} {_say('rows', lang)}", highlight=False, markup=False)
    return step


@contextmanager
def _refusals(lang: Lang):
    """A refusal (damaged archive, store not empty, server down) is one line in the reader's language, exit 2."""
    try:
        yield
    except UserError as e:
        err.print(e.reason(lang.value), style="red", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


def register(app: typer.Typer) -> None:
    """Add the store administration commands to `app`."""
    DB = typer.Option(None, "--db", parser=as_db, metavar="PATH|URL", help=DB_HELP)
    LANG = typer.Option(Lang.zh, "--lang", help="输出语言 / output language")
    FMT = typer.Option(Fmt.table, "--format", help="输出格式（table 或 json）/ output format (table or json)")
    db_app = typer.Typer(help="数据库：状态与结构升级 / the store: status and schema upgrade.", no_args_is_help=True)
    app.add_typer(db_app, name="db")

    @app.command("backup")
    def backup_cmd(out: Optional[Path] = typer.Option(None, "--out", metavar="FILE.zip",
                                                      help="备份文件（.zip，必填；所在文件夹须已存在）/ the archive to "
                                                           "write (.zip, required; its folder must exist)"),
                   db: Optional[Path] = DB, lang: Lang = LANG):
        """备份数据库（统计数据、规划、审计日志；PostgreSQL 另含账户）为一个 zip 文件，两种后端通用；
        文件权限 0600（含密码与令牌散列和审计日志）。运行监测数据目录（企业数据）不在其中，须另行备份 /
        back up the store (statistics, plans, audit log; accounts too on PostgreSQL) into one zip for either
        backend; written with mode 0600 (it holds password and token hashes and the audit log). The monitoring
        data folder (enterprise data) is not in it: back it up as well."""
        with _refusals(lang):
            if out is None:
                raise UserError("缺少 --out：请给出备份文件的路径，如 zhizao backup --out zhizao-backup.zip",
                                "missing --out: name the archive to write, e.g. zhizao backup --out zhizao-backup.zip")
            manifest = api.backup(db, out, progress=_progress(lang))
            rows = sum(t["rows"] for t in manifest["tables"].values())
            console.print(f"{_say('backed_up', lang)} {out} ({manifest['backend']}, {manifest['schema_revision']}, "
                          f"{rows:,} {_say('rows', lang)})", highlight=False, markup=False)
            console.print(_say("private", lang), highlight=False, markup=False)

    @app.command("restore")
    def restore_cmd(archive: Path = typer.Argument(..., help="zhizao backup 生成的备份文件 / an archive from zhizao backup"),
                    db: Optional[Path] = DB,
                    force: bool = typer.Option(False, "--force", help="目标数据库已有数据时，用备份替换其全部数据 / "
                                               "replace the data of a store that is not empty"),
                    lang: Lang = LANG):
        """把备份恢复到空数据库（可跨后端：DuckDB ↔ PostgreSQL）；先校验备份，损坏或更新版本的备份不写入；
        --force 用备份替换统计数据（和备份中的账户），审计日志保留并追加 / restore an archive into an empty store
        (across backends too); a damaged or newer archive writes nothing; --force replaces the statistics (and the
        archive's accounts), the audit log is kept and the archive's rows added."""
        with _refusals(lang):
            result = api.restore(db, archive, force=force, progress=_progress(lang))
            target = api.store_status(db)["location"]
            console.print(f"{_say('restored', lang)} {target}: " + ", ".join(
                f"{t} {n:,}" for t, n in result["tables"].items()), highlight=False, markup=False)
            if result["skipped"]:
                console.print(f"{_say('skipped', lang)}: {', '.join(result['skipped'])}", highlight=False, markup=False)
            if result.get("first_admin"):  # server mode without an account: nobody can log in yet
                console.print(_say("first_admin", lang), highlight=False, markup=False)

    @db_app.command("status")
    def status_cmd(db: Optional[Path] = DB, fmt: Fmt = FMT, lang: Lang = LANG):
        """数据库后端、位置（不含密码）、结构版本与最新版本、各表行数 / backend, location (no password),
        schema revision against the latest, rows per table."""
        with _refusals(lang):
            if fmt == Fmt.csv:
                raise UserError("db status 只支持 --format table 或 json", "db status supports --format table or json only")
            info = api.store_status(db)
            if fmt == Fmt.json:
                typer.echo(json.dumps(info, ensure_ascii=False, indent=2))
                return
            table = Table(show_header=False, box=None)
            for key in ("backend", "location", "revision", "head", "up_to_date", "generation"):
                value = info.get(key)
                if key == "up_to_date" and info.get("newer"):  # db upgrade cannot help: say what can
                    value = postgres.NewerSchema(info["revision"]).reason(lang.value)
                elif key == "up_to_date":
                    value = _say("yes" if value else "no", lang)
                elif key == "revision" and value is None:
                    value = _say("none", lang)
                if value is not None:
                    table.add_row(_say(key, lang), str(value))
            for name, rows in info["counts"].items():
                table.add_row(f"{_say('table', lang)} {name}", f"{rows:,}")
            console.print(table)

    @db_app.command("upgrade")
    def upgrade_cmd(db: Optional[Path] = DB, lang: Lang = LANG):
        """把数据库结构升级到最新版本（PostgreSQL：Alembic 迁移；DuckDB：打开时补齐新列和新表）/
        bring the schema to the latest revision (PostgreSQL: Alembic migrations; DuckDB: new columns and tables)."""
        with _refusals(lang):
            before = api.store_status(db).get("revision")
            info = api.upgrade_store(db)
            if info["backend"] != "postgresql":
                key = "duckdb_upgraded"
            else:  # an empty database or an older schema was migrated; else it already was the latest
                key = "upgraded_to" if before != info["revision"] else "upgraded"
            was = ""
            if key == "upgraded_to":  # （原为 0001） / (was 0001); an empty database: （原为空数据库）
                was = (f" (was {before or 'an empty database'})" if lang == Lang.en
                       else f"（原为{before and ' ' + before or '空数据库'}）")
            console.print(f"{info['location']}: {_say(key, lang)} {info['revision']}{was}", highlight=False, markup=False)
