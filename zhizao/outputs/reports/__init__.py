"""The evaluation report (中期/终期评估报告): DOCX, HTML, PDF and XLSX from one assessment.

    import zhizao.api as zz
    from zhizao.outputs.reports import build_report
    result = zz.assess(year=2025, as_of="2026-06-30")
    paths = build_report(result, zz.observations(as_of="2026-06-30"), zz.load_plan(), out_dir=Path("out"))

Contents are built once, format-neutrally (content.py), then rendered (to_docx, to_html, to_xlsx;
the PDF is the DOCX converted by LibreOffice, to_pdf). Reference: docs/reports.md.
"""
from __future__ import annotations

# Lazy: the CLI imports this package to register its commands, and the builders bring matplotlib
# and python-docx (about 0.4 s) that only `zhizao report` needs.
_EXPORTS = ("build_report", "previous_assessment", "report_stem", "FORMATS", "FontMissing", "PdfConversionError")
__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        from zhizao.outputs.reports import build  # lazy: see above (matplotlib, python-docx)

        return getattr(build, name)
    raise AttributeError(name)
