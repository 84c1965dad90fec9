"""Downloads: evaluation reports (from zhizao.outputs.reports, when installed) and the data as
CSV / XLSX / JSON."""
from __future__ import annotations

import importlib
import io
import tempfile
from pathlib import Path

import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import JSONResponse, Response

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
    build_report(result, observations, plan, formats=[fmt], out_dir, lang) -> {format: path}."""
    result = ctx.state.assessment(ctx.lang, when.year, when.as_of)
    observations = ctx.user.visible(ctx.state.observations(when.as_of))
    with tempfile.TemporaryDirectory(prefix="zhizao-web-report-") as tmp:
        paths = build(result, observations, ctx.plan, formats=[fmt], out_dir=Path(tmp), lang=ctx.lang)
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
    filename = f"zhizao-report-{when.year or 'latest'}-{ctx.lang}.{format}"
    return Response(body, media_type=REPORT_FORMATS[format],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def table(ctx: Ctx, name: str) -> pd.DataFrame:
    if name == "observations":
        return ctx.user.visible(ctx.state.observations())
    if name == "scorecard":
        return ctx.state.scorecard(ctx.lang)
    return ctx.state.sources()


def _table_response(df: pd.DataFrame, name: str, fmt: str) -> Response:
    filename = f"zhizao-{name}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if fmt == "json":
        return JSONResponse(jsonable(df), headers=headers)
    if fmt == "csv":
        # UTF-8 with BOM: Excel on Chinese Windows otherwise reads the file as GBK.
        return Response(df.to_csv(index=False).encode("utf-8-sig"), media_type=TABLE_FORMATS["csv"], headers=headers)
    buf = io.BytesIO()
    df.to_excel(buf, index=False, sheet_name=name[:31])
    return Response(buf.getvalue(), media_type=TABLE_FORMATS["xlsx"], headers=headers)


@router.get("/download/{name}")
def download_table(name: str, ctx: Ctx = Depends(page_context), format: str = Query("csv")):
    if name not in TABLES:
        raise HTTPException(404, f"no download named '{name}'")
    if format not in TABLE_FORMATS:
        raise HTTPException(422, f"format must be one of {', '.join(TABLE_FORMATS)}")
    return _table_response(table(ctx, name), name, format)


def downloads_data(ctx: Ctx) -> dict:
    available = report_builder() is not None
    return {
        "reports": {"available": available, "message": None if available else t("report_unavailable", ctx.lang),
                    "links": [{"format": f, "url": f"/download/report?format={f}"} for f in REPORT_FORMATS]},
        "tables": [{"name": n, "label": t({"observations": "all_observations", "scorecard": "scorecard",
                                           "sources": "sources_list"}[n], ctx.lang),
                    "links": [{"format": f, "url": f"/download/{n}?format={f}"} for f in TABLE_FORMATS]}
                   for n in TABLES],
        "json_twins": ["/?format=json", "/indicator/{id}?format=json", "/plan?format=json",
                       "/plan/{kind}/{id}?format=json", "/districts?format=json", "/monitoring?format=json",
                       "/monitoring/district/{adcode}?format=json",
                       "/monitoring/subject/{type}/{id}?format=json", "/data?format=json",
                       "/downloads?format=json"],
    }


@router.get("/downloads")
def downloads_page(ctx: Ctx = Depends(page_context)):
    return respond(ctx.request, "downloads.html", downloads_data(ctx), lang=ctx.lang, user=ctx.user,
                   page="downloads", title=t("nav_downloads", ctx.lang) + " · " + t("app_title", ctx.lang))
