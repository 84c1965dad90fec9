"""Build the evaluation report in the requested formats (see the package docstring)."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Iterable

import pandas as pd

from zhizao.outputs.reports.changes import Previous, find_saved, previous_assessment, saved_payload
from zhizao.outputs.reports.content import build_content
from zhizao.outputs.reports.fonts import FontMissing, find_cjk_fonts
from zhizao.outputs.reports.files import parse_formats
from zhizao.outputs.reports.to_html import render_html
from zhizao.outputs.reports.to_pdf import PdfConversionError, docx_to_pdf, find_soffice
from zhizao.plan.load import load_plan

__all__ = ["build_report", "previous_assessment", "report_stem", "FORMATS", "FontMissing", "PdfConversionError"]

FORMATS = ("docx", "html", "pdf", "xlsx")


def report_stem(result: dict, lang: str) -> str:
    """File name without extension: zhizao-report-2025[-asof-2026-06-30]-zh."""
    stem = f"zhizao-report-{result['year']}"
    if result.get("as_of"):
        stem += f"-asof-{result['as_of']}"
    return f"{stem}-{lang}"


def _formats(formats: Iterable[str] | str) -> list[str]:
    return parse_formats(formats, FORMATS, "report")


def build_report(
    result: dict,
    observations: pd.DataFrame | None,
    plan=None,
    formats: Iterable[str] | str = FORMATS,
    out_dir: Path | str = Path("."),
    lang: str = "zh",
    *,
    previous: dict | None = None,
    style: str = "auto",
    draft: pd.DataFrame | None = None,
    draft_error: str | None = None,
    delivery=None,
) -> dict[str, Path]:
    """Write the report in `formats` to `out_dir`; returns {format: path}, plus "json".

    Assess with the same `lang` for a fully translated report (reasons and evidence labels come
    from the assessment). `previous` is the assessment to report changes against (see `previous_assessment`); a report
    JSON saved earlier in `out_dir` for an earlier evaluation takes precedence. The JSON of this
    report is always written beside it, for the next report to compare with. `delivery` (a
    DeliveryData) gives the final report's chapter 三 the reported task progress and project counts.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    wanted = _formats(formats)
    # Fail before any work when a format cannot be produced.
    find_cjk_fonts()
    if "pdf" in wanted:
        find_soffice()
    if plan is None:
        plan = load_plan()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = report_stem(result, lang)

    prev = find_saved(out, result) or (Previous(previous, "assessment") if previous else None)
    report = build_content(result, observations, plan, lang, prev, style=style, draft=draft, draft_error=draft_error,
                           delivery=delivery)

    paths: dict[str, Path] = {}
    if "docx" in wanted or "pdf" in wanted:
        from zhizao.outputs.reports.to_docx import render_docx  # lazy: python-docx (~0.2 s), DOCX and PDF only

        with tempfile.TemporaryDirectory(prefix="zhizao-report-") as tmp:
            if "docx" in wanted:
                paths["docx"] = render_docx(report, out / f"{stem}.docx")
            if "pdf" in wanted:
                # The PDF is made from a copy naming the free substitutes of the 公文 faces (fonts.py),
                # which LibreOffice here has; the DOCX names the faces the recipients' Word has.
                src = render_docx(report, Path(tmp) / f"{stem}.docx", pdf_fonts=True)
                paths["pdf"] = docx_to_pdf(src, out / f"{stem}.pdf")
    if "html" in wanted:
        paths["html"] = render_html(report, out / f"{stem}.html")
    if "xlsx" in wanted:
        from zhizao.outputs.reports.to_xlsx import render_xlsx  # lazy: openpyxl, the XLSX only

        paths["xlsx"] = render_xlsx(report, result, observations, plan, out / f"{stem}.xlsx")
    saved = out / f"{stem}.json"
    saved.write_text(json.dumps(saved_payload(result), ensure_ascii=False, indent=1, default=str) + "\n",
                     encoding="utf-8")
    paths["json"] = saved
    return {k: paths[k] for k in (*FORMATS, "json") if k in paths}
