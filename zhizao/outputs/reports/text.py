"""Labels (中文 / English) and number formatting shared by every format.

Numbers shown in the report are formatted here and only here, from the assessment's values,
so the DOCX, HTML, PDF and charts print the same digits.
"""
from __future__ import annotations

from zhizao import formatting, labels

import math

from zhizao.analytics.progress import STATUSES, status_label

__all__ = ["STATUSES", "status_label", "t", "num", "pct", "completion", "ratio", "growth", "actual_text", "qual_mark",
           "ind_name", "planned_growth", "required_growth", "cluster_heading", "unit", "with_unit", "code_label"]

LABELS = labels.REPORT


# 终期评估 (final evaluation) statuses, as the assessment labels them (contract A in docs/reports.md).
FINAL_LABELS = labels.FINAL_STATUS


def final_label(status: str, lang: str) -> str:
    zh, en = FINAL_LABELS.get(status, (status, status))
    return en if lang == "en" else zh


def t(key: str, lang: str) -> str:
    zh, en = LABELS[key]
    return en if lang == "en" else zh


QUAL_MARK_ZH = {k: zh for k, (zh, _en) in labels.QUALIFIER_MARK.items()}  # the marks every table prints
# English in words (labels.QUALIFIER_MARK): "more than 26,000", never 超 or a bare ">" before a level.
QUAL_MARK_EN = {k: en + " " for k, (_zh, en) in labels.QUALIFIER_MARK.items()}


def qual_mark(qualifier: str | None, lang: str) -> str:
    return (QUAL_MARK_EN if lang == "en" else QUAL_MARK_ZH).get(qualifier or "exact", "")


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def num(v) -> str:
    """Four significant digits, never fewer than the integer digits and never more than four
    decimals: 26833.86 → 26,834, 1.5654 → 1.565, 0.000780 → 0.0008."""
    text = formatting.significant(v)
    if "." in text and len(text.split(".")[1]) > 4:
        text = formatting.number(v, 4, grouping=False)
    return formatting.grouped(text)  # 26,834 as the CLI and the dashboard print it


def pct(v, digits: int = 1) -> str:
    """A fraction as a percentage: 0.452 → 45.2%."""
    return formatting.share(v, digits)


def completion(v, lang: str) -> str:
    """Completion of the way from baseline to target, by the one rule of formatting.completion:
    exact up to 300% (104.2%), beyond it 超过300%."""
    return formatting.completion(v, lang)


def ratio(v) -> str:
    return formatting.ratio(v)


def unit(u: str | None, lang: str) -> str:
    """The unit in the reader's language (亿元 → 100 million yuan in English)."""
    return labels.unit_label(u, lang)


def with_unit(value_text: str, u: str | None, lang: str) -> str:
    """A number and its unit in prose: 452亿元; 452 (100 million yuan), 28.8%, 1739 units."""
    if lang != "en":
        return f"{value_text}{u or ''}"
    return formatting.with_unit(value_text, u, lang)


def code_label(table: str, code, lang: str) -> str:
    """A code's word (labels.TABLES); "—" for none."""
    return labels.label(table, code, lang) if code not in (None, "") else formatting.MISSING


def growth_is_rate(ind: dict) -> bool:
    """Geometric and cumulative paths grow by a rate; linear ones by units per year."""
    if ind.get("kind") in ("cumulative_change", "average_annual_growth"):
        return True
    if str(ind.get("method") or "").startswith("线性"):  # geometric path fell back to linear
        return False
    return ind.get("path_shape") == "geometric"


def growth(ind: dict, v, lang: str) -> str:
    """A per-year growth of `ind`: 7.42% or 0.3个百分点/年 (0.3 pp per year)."""
    if _missing(v):
        return "—"
    if growth_is_rate(ind):
        return formatting.percent(100 * float(v), 2)
    u = ind.get("unit") or ""
    if u == "%":
        return formatting.points(v, lang, digits=2, signed=False) + ("/年" if lang != "en" else " per year")
    return f"{num(v)} {unit(u, lang)}{t('per_year', lang)}" if lang == "en" else f"{num(v)}{u}{t('per_year', lang)}"


def planned_growth(ind: dict):
    """Growth per year the plan needs over the whole period, baseline → target."""
    return ind.get("planned_growth")


def required_growth(ind: dict):
    """Growth per year still needed from the data year to reach the target."""
    return ind.get("required_growth")


def actual_text(value, qualifier: str | None, lang: str) -> str:
    """A value with its qualifier mark: 超26000, ≥8000."""
    return "—" if _missing(value) else qual_mark(qualifier, lang) + num(value)


def cluster_heading(result: dict, lang: str) -> str:
    """How the plan names its clusters as a group (plan.cluster_heading), else a neutral word."""
    p = result.get("plan") or {}
    if lang == "en":
        return p.get("cluster_heading_en") or p.get("cluster_heading") or "the industry clusters"
    return p.get("cluster_heading") or "产业集群"


def ind_name(ind: dict, lang: str) -> str:
    return (ind.get("name_en") or ind["name"]) if lang == "en" else ind["name"]


def status_text(ind: dict, lang: str) -> str:
    """The status label, with the optimistic reading when a qualified value straddles two statuses."""
    s = status_label(ind["status"], lang)
    if not ind.get("status_definite", True) and ind.get("status_if_high"):
        s += f"（{t('or', lang)}{status_label(ind['status_if_high'], lang)}）" if lang != "en" else \
            f" (or {status_label(ind['status_if_high'], lang)})"
    return s
