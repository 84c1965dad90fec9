"""Interface strings in Chinese and English, and the request's language.

The language comes from `?lang=` (then remembered in the `zhizao_lang` cookie by app.py), else
the cookie, else Chinese. Plan text and statistics stay as published (Chinese); only the
interface and the assessment's labels switch.
"""
from __future__ import annotations

from zhizao import labels

from fastapi import Request

LANGS = ("zh", "en")
COOKIE = "zhizao_lang"

# key → (中文, English). One table so that a missing translation is easy to spot in review.
STRINGS = labels.UI


def t(key: str, lang: str) -> str:
    zh, en = STRINGS[key]
    return en if lang == "en" else zh


def request_lang(request: Request) -> str:
    q = request.query_params.get("lang")
    if q in LANGS:
        return q
    c = request.cookies.get(COOKIE)
    return c if c in LANGS else "zh"


def cluster_heading(plan, lang: str) -> str:
    """The cluster section's heading in the plan's words (plan.cluster_heading), else neutral ones."""
    meta = plan.plan
    name = (meta.cluster_heading_en or meta.cluster_heading or "the industry clusters") if lang == "en" \
        else (meta.cluster_heading or "产业集群")
    return t("clusters", lang).format(name)


def pick(zh: str | None, en: str | None, lang: str) -> str | None:
    """An English name where the plan gives one, else the Chinese."""
    return (en or zh) if lang == "en" else zh
