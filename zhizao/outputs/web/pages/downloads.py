"""Downloads: evaluation reports (from zhizao.outputs.reports, when installed) and the data as
CSV / XLSX / JSON."""
from __future__ import annotations

import importlib
import json
import os
import tempfile
import weakref
from pathlib import Path

import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask

from zhizao.outputs.spreadsheet_safe import write_csv, write_xlsx
from zhizao.outputs.web.auth import accounts_of, audit
from zhizao.outputs.web.i18n import t
from zhizao.outputs.web.pages.common import Ctx, When, evaluation_options, page_context
from zhizao.outputs.web.render import jsonable, respond

router = APIRouter()

REPORT_FORMATS = {"html": "text/html; charset=utf-8",
                  "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  "pdf": "application/pdf",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
TABLE_FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": REPORT_FORMATS["xlsx"], "json": "application/json"}
TABLES = ("observations", "scorecard", "sources")


def report_builder():
    """`zhizao.outputs.reports.build_report`, or None while that module is not installed.
    Imported lazily (about half a second: it brings matplotlib and python-docx); app.py pays for
    it at start-up."""
    try:
        return importlib.import_module("zhizao.outputs.reports").build_report
    except (ImportError, AttributeError):
        return None


def build_report_bytes(build, ctx: Ctx, when: When, fmt: str) -> bytes:
    """One report file, built in a temporary folder by the reports module's own contract:
    build_report(result, observations, plan, formats=[fmt], out_dir, lang, delivery) -> {format: path}; the
    final report's chapter 三 gets the stored delivery data as `zhizao report` does (never the synthetic)."""
    from zhizao import api  # noqa: PLC0415 - the delivery data only for a final report
    from zhizao.outputs.reports.final import is_final  # noqa: PLC0415 - with the reports module, lazily

    result = ctx.state.assessment(ctx.lang, when.year, when.as_of)
    observations = ctx.user.visible(ctx.state.observations(when.as_of))
    as_of = str(when.as_of)[:10] if when.as_of else None
    delivery = (api.delivery_data(db=ctx.state.db, plan=ctx.plan, as_of=as_of)
                if is_final(result) and api._store_if_exists(ctx.state.db) is not None else None)
    with tempfile.TemporaryDirectory(prefix="zhizao-web-report-") as tmp:
        more = {"delivery": delivery} if delivery is not None else {}  # a mid-term report has no chapter 三 data
        paths = build(result, observations, ctx.plan, formats=[fmt], out_dir=Path(tmp), lang=ctx.lang, **more)
        return Path(paths[fmt]).read_bytes()


@router.get("/download/report")
def download_report(ctx: Ctx = Depends(page_context), when: When = Depends(evaluation_options),
                    format: str = Query("html")):
    if format not in REPORT_FORMATS:
        raise HTTPException(422, f"report format must be one of {', '.join(REPORT_FORMATS)}")
    build = report_builder()
    if build is None:
        raise HTTPException(404, t("report_unavailable", ctx.lang)
                            + " (zhizao.outputs.reports.build_report is not importable)")
    try:
        # Cached with the assessments: a second download of the same report costs nothing.
        body = ctx.state.cached(("report", ctx.lang, when.year, when.as_of, format),
                                lambda: build_report_bytes(build, ctx, when, format))
    except RuntimeError as e:  # a font or LibreOffice missing on this machine; the message says which
        raise HTTPException(503, f"{t('report_failed', ctx.lang)}: {e}") from None
    audit(ctx.request, "download", "report", detail={"format": format, "year": when.year})
    filename = f"zhizao-report-{when.year or 'latest'}-{ctx.lang}.{format}"
    return Response(body, media_type=REPORT_FORMATS[format],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def table(ctx: Ctx, name: str) -> pd.DataFrame:
    if name == "observations":
        return ctx.user.visible(ctx.state.observations())
    if name == "scorecard":
        return ctx.state.scorecard(ctx.lang)
    return ctx.state.sources()


class TableFile:
    """One produced download on disk. Kept in the state's cache per store state; the file is
    removed when the last reference goes (cache dropped and no response still sending it)."""

    def __init__(self, suffix: str):
        fd, self.path = tempfile.mkstemp(prefix="zhizao-download-", suffix=suffix)
        os.close(fd)
        weakref.finalize(self, _remove, self.path)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def table_file(df: pd.DataFrame, name: str, fmt: str) -> TableFile:
    """The file of one table. CSV and XLSX text is neutralised against formula injection
    (zhizao.outputs.spreadsheet_safe); JSON is for programs and left as stored."""
    f = TableFile("." + fmt)
    if fmt == "csv":
        # UTF-8 with BOM: Excel on Chinese Windows otherwise reads the file as GBK.
        write_csv(df, f.path, bom=True)
    elif fmt == "xlsx":
        write_xlsx(df, f.path, sheet_name=name)
    else:  # as JSONResponse renders it
        Path(f.path).write_bytes(json.dumps(jsonable(df), ensure_ascii=False, allow_nan=False,
                                            separators=(",", ":")).encode("utf-8"))
    return f


def _table_response(ctx: Ctx, name: str, fmt: str) -> Response:
    # Built once per store state (an XLSX of 100k observations takes seconds), then sent from disk.
    key = ("download", name, fmt, ctx.lang, ctx.user.id, ctx.user.level, ctx.user.region)
    f = ctx.state.cached(key, lambda: table_file(table(ctx, name), name, fmt))
    # The background task holds `f` until the file is sent, so a cache drop cannot remove it mid-way.
    return FileResponse(f.path, media_type=TABLE_FORMATS[fmt], filename=f"zhizao-{name}.{fmt}",
                        background=BackgroundTask(lambda: f))


@router.get("/download/{name}")
def download_table(name: str, ctx: Ctx = Depends(page_context), format: str = Query("csv")):
    if name not in TABLES:
        raise HTTPException(404, f"no download named '{name}'")
    if format not in TABLE_FORMATS:
        raise HTTPException(422, f"format must be one of {', '.join(TABLE_FORMATS)}")
    response = _table_response(ctx, name, format)
    if accounts_of(ctx.request) is not None:  # server mode: who took which rows
        audit(ctx.request, "download", name, rows=len(table(ctx, name)), detail={"format": format})
    return response


def downloads_data(ctx: Ctx) -> dict:
    available = report_builder() is not None
    return {
        "reports": {"available": available, "message": None if available else t("report_unavailable", ctx.lang),
                    "links": [{"format": f, "url": f"{ctx.base}/download/report?format={f}"} for f in REPORT_FORMATS]},
        "tables": [{"name": n, "label": t({"observations": "all_observations", "scorecard": "scorecard",
                                           "sources": "sources_list"}[n], ctx.lang),
                    "links": [{"format": f, "url": f"{ctx.base}/download/{n}?format={f}"} for f in TABLE_FORMATS]}
                   for n in TABLES],
        # issue 10: the print-ready completion table and the data gaps with their import template
        "pages": [{"label": t("completion_title", ctx.lang), "url": f"{ctx.base}/completion",
                   "links": [{"format": f, "url": f"{ctx.base}/completion?table=completion&format={f}"} for f in ("xlsx", "csv")]},
                  {"label": t("nav_gaps", ctx.lang), "url": f"{ctx.base}/gaps",
                   "links": [{"format": f, "url": f"{ctx.base}/gaps?table=gaps&format={f}"} for f in ("xlsx", "csv")]
                   + [{"format": "template", "label": t("template_csv", ctx.lang),
                       "url": f"{ctx.base}/gaps?table=template&format=csv"}]}],
        "json_twins": [*(ctx.base + u for u in ("/?format=json", "/indicator/{id}?format=json", "/plan?format=json",
                                                "/completion?format=json", "/gaps?format=json",
                                                "/plan/{kind}/{id}?format=json", "/districts?format=json")),
                       "/monitoring?format=json", "/monitoring/district/{adcode}?format=json",
                       "/monitoring/subject/{type}/{id}?format=json", ctx.base + "/data?format=json",
                       ctx.base + "/downloads?format=json", "/plans?format=json", "/p/{plan_id}/?format=json"],
    }


@router.get("/downloads")
def downloads_page(ctx: Ctx = Depends(page_context)):
    return respond(ctx.request, "downloads.html", downloads_data(ctx), lang=ctx.lang, user=ctx.user,
                   page="downloads", title=t("nav_downloads", ctx.lang) + " · " + t("app_title", ctx.lang))
