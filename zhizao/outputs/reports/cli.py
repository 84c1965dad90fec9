"""`zhizao report` (the evaluation report in DOCX, HTML, PDF and XLSX) and `zhizao brief` (the
monthly brief of monitoring, DOCX and HTML). The main CLI calls `register_all(app)` (both);
`register` and `register_brief` add one each. This module imports nothing from zhizao.outputs.cli
(no import cycle)."""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from zhizao import api
from zhizao.errors import UserError
from zhizao.outputs.cli_monitoring import _plan_or_exit
from zhizao.outputs.console import check_year, make_console
from zhizao.outputs.reports.fonts import FontMissing
from zhizao.plan.load import PlanError

err = make_console(stderr=True)
out = make_console()

PLAN_HELP = ("规划：编号或 YAML 文件路径；缺省为数据库所属规划，再缺省为内置默认规划 / plan id or YAML path; "
             "default: the store's plan, else the embedded default")


REPORT_FORMATS = ("docx", "html", "pdf", "xlsx")
BRIEF_FORMATS = ("docx", "html")


def check_formats(text: str, allowed: tuple[str, ...]) -> None:
    """--format: a comma-separated list of `allowed`; UserError naming them otherwise (nothing is written)."""
    bad = [f for f in (x.strip().lower() for x in text.split(",")) if f not in allowed]
    if bad or not text.strip():
        raise UserError(f"--format 的取值“{text}”无效：可取 {'、'.join(allowed)}（逗号分隔）",
                        f"invalid --format '{text}': use {', '.join(allowed)} (comma-separated)")


class ReportLang(str, Enum):
    zh = "zh"
    en = "en"


class ReportStyle(str, Enum):
    auto = "auto"
    standard = "standard"
    gongwen = "gongwen"


def _draft(p, db, lang: str, target_year: int):
    """Next-plan reference values for the final report's chapter 七 (zhizao.api.draft_plan), or why there are none."""
    fn = getattr(api, "draft_plan", None)
    if fn is None:
        return None, None  # this version cannot: the chapter says so
    try:
        return fn(p, to_year=target_year + 5, db=db, lang=lang)[1], None
    except UserError as e:
        return None, e.reason(lang)
    except (ValueError, KeyError) as e:  # the report goes on; chapter 七 says why the table is missing
        return None, str(e)


def _delivery(p, db, as_of: str | None):
    """The stored delivery data for the final report's chapter 三 (zhizao.api.delivery_data; the chapter
    reads only its non-synthetic frames), or None when there is no store (nothing real to read)."""
    if api._store_if_exists(db) is None:
        return None
    return api.delivery_data(db=db, plan=p, as_of=str(as_of)[:10] if as_of else None)


def register(app: typer.Typer) -> None:
    """Add the `report` command to `app`."""

    @app.command("report")
    def report(
        plan: Optional[str] = typer.Option(None, "--plan", envvar="ZHIZAO_PLAN", help=PLAN_HELP),
        year: Optional[int] = typer.Option(None, "--year", help="评估年份；缺省为有数据的最近年份 / evaluation year"),
        as_of: Optional[str] = typer.Option(None, "--as-of", help="YYYY-MM-DD：按当日已知数据评估 / data known on"),
        fmt: str = typer.Option("docx,html,pdf,xlsx", "--format", help="逗号分隔 / comma-separated: docx,html,pdf,xlsx"),
        out_dir: Path = typer.Option(Path("."), "--out", help="输出目录 / output directory"),
        lang: ReportLang = typer.Option(ReportLang.zh, "--lang", help="报告语言 / report language"),
        db: Optional[Path] = typer.Option(None, "--db", help="DuckDB 文件；缺省用 $ZHIZAO_DB 或默认位置 / the store"),
        style: ReportStyle = typer.Option(
            ReportStyle.auto, "--style",
            help="版式：auto＝中文终期评估用公文版式（GB/T 9704-2012），其余用 standard；gongwen 公文版式 / layout: auto = "
                 "gongwen for the Chinese final report, else standard"),
    ):
        """生成中期/终期评估报告 / write the evaluation report (DOCX, HTML, PDF, XLSX)."""
        from zhizao.outputs.reports.build import (  # lazy: matplotlib and python-docx (~0.5 s), this command only
            PdfConversionError, build_report, previous_assessment)
        from zhizao.outputs.reports.final import is_final  # lazy with the builders: its charts need matplotlib

        try:
            check_formats(fmt, REPORT_FORMATS)
            p = api.resolve_plan(plan, db)
            check_year(p, year)  # before anything is written
        except (UserError, PlanError) as e:
            err.print(e.reason(lang.value) if isinstance(e, UserError) else str(e), style="red", markup=False,
                      highlight=False)
            raise typer.Exit(2) from None
        try:
            result = api.assess(p, year=year, as_of=as_of, db=db, lang=lang.value)
            obs = api.observations(db, as_of=as_of, plan=p)  # only this plan's values: the store may hold others
            prev = previous_assessment(result, p, db)
            draft, draft_error = (_draft(p, db, lang.value, result["plan"]["target_year"]) if is_final(result)
                                  else (None, None))
            delivery = _delivery(p, db, as_of) if is_final(result) else None
            paths = build_report(result, obs, p, formats=fmt, out_dir=out_dir, lang=lang.value, previous=prev,
                                 style=style.value, draft=draft, draft_error=draft_error, delivery=delivery)
        except UserError as e:
            err.print(e.reason(lang.value), style="red", markup=False, highlight=False)
            raise typer.Exit(2) from None
        except (PlanError, ValueError, FontMissing, PdfConversionError) as e:
            err.print(str(e), style="red", markup=False, highlight=False)
            raise typer.Exit(2) from None
        for kind, path in paths.items():
            out.print(f"{kind}: {path}")


def register_brief(app: typer.Typer) -> None:
    """Add the `brief` command (monthly brief, 月度经济运行分析) to `app`."""

    @app.command("brief")
    def brief(
        period: Optional[str] = typer.Option(None, "--period", help="报告期 YYYY-MM；缺省为最新 / period (default: latest)"),
        fmt: str = typer.Option("docx,html", "--format", help="逗号分隔 / comma-separated: docx,html"),
        out_dir: Path = typer.Option(Path("."), "--out", help="输出目录 / output directory"),
        data: Optional[Path] = typer.Option(
            None, "--data", help="zhizao synth 写出的目录；缺省用 $ZHIZAO_MONITORING_DATA，再缺省 ./zhizao-synth / data folder"),
        lang: ReportLang = typer.Option(ReportLang.zh, "--lang", help="语言 / language"),
        plan: Optional[str] = typer.Option(
            None, "--plan", envvar="ZHIZAO_PLAN",
            help="规划（编号或路径）；合成监测数据只适用于内置默认规划 / plan id or path; the synthetic monitoring "
                 "data fits the embedded default plan only"),
    ):
        """生成月度经济运行分析（DOCX、HTML）/ write the monthly brief of monitoring (DOCX, HTML)."""
        from zhizao.outputs.reports.brief import build_brief  # lazy: the brief's monitoring view, only this command

        _plan_or_exit(plan, None, "synthetic", lang.value)
        try:
            check_formats(fmt, BRIEF_FORMATS)
            paths = build_brief(data, period=period, formats=fmt, out_dir=out_dir, lang=lang.value)
        except UserError as e:
            err.print(e.reason(lang.value), style="red", markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        except (FileNotFoundError, ValueError, FontMissing) as e:
            err.print(("月度分析未生成：" if lang.value == "zh" else "the brief was not written: ") + str(e),
                      style="red", markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        for kind, path in paths.items():
            out.print(f"{kind}: {path}")


def register_all(app: typer.Typer) -> None:
    """Both commands of this area: `report` and `brief`."""
    register(app)
    register_brief(app)
