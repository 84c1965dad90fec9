"""The versioned JSON REST API (/api/v1) and the health check (/health); docs/api.md.

The routes read what the pages read — the plans' `WebState` caches, `zhizao.api`, the monitoring
state — so an API answer never disagrees with its page. They sit on the main app behind the same
authorisation dependency as the pages (app.py); every enterprise row goes through
`User.visible` / `User.can_see_region`, and a row outside the user's scope answers 404, as an
unknown id does (its existence must not leak). Errors are one JSON shape (`ApiError`), never a
traceback. The OpenAPI description is built from these routes only (GET /api/v1/openapi.json);
no Swagger UI: the dashboard loads nothing from the network.
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
from datetime import date, datetime, timezone
from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile as StarletteUploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

import zhizao
from zhizao import api
from zhizao.analytics.monitoring.warnings import WARNING_RULES
from zhizao.codes.regions import DISTRICTS
from zhizao.errors import UserError
from zhizao.outputs import monitoring_view as mv
from zhizao.outputs.console import check_year
from zhizao.outputs.web.auth import User, audit as audit_row, client_ip, current_user
from zhizao.outputs.web.i18n import LANGS, request_lang
from zhizao.outputs.web.monitoring_state import MonitoringUnavailable
from zhizao.outputs.web.pages.common import Ctx
from zhizao.outputs.web.pages.data import import_upload, user_file
from zhizao.outputs.web.pages.indicator import indicator_links, related_observations
from zhizao.outputs.web.render import jsonable, with_params
from zhizao.outputs.web.state import StoreBusyPage, WebState
from zhizao.store import postgres
from zhizao.store.store import Store, StoreBusy

log = logging.getLogger(__name__)

PREFIX = "/api/v1"
API_VERSION = 1
MAX_LIMIT = 10_000
HEALTH_TIMEOUT = 4.5  # seconds: the probe gives up before a load balancer's usual 5 s
SUBJECT_TYPES = ("city", "district", "zone", "industry", "cluster", "enterprise")

# The permission each route needs; the authorisation table (auth.py) takes these in. Row scope
# (a district user's own enterprises) is applied inside the routes on top of it.
PERMISSIONS: dict[tuple[str, str], str] = {
    ("GET", PREFIX + "/openapi.json"): "read_public",
    ("GET", PREFIX + "/plans"): "read_public",
    ("GET", PREFIX + "/plans/{plan_id}"): "read_public",
    ("GET", PREFIX + "/plans/{plan_id}/assessment"): "read_public",
    ("GET", PREFIX + "/plans/{plan_id}/indicators/{indicator_id}"): "read_public",
    ("GET", PREFIX + "/observations"): "read_public",
    ("GET", PREFIX + "/sources"): "read_public",
    ("GET", PREFIX + "/batches"): "read_public",
    ("POST", PREFIX + "/imports"): "import",
    ("POST", PREFIX + "/batches/{batch_id}/withdraw"): "withdraw",
    # aggregates (city, districts, zones, industries, clusters) for every reader, as the /monitoring page;
    # enterprise rows only in the user's scope (none for guests), filtered inside the routes
    ("GET", PREFIX + "/monitoring/subjects"): "read_public",
    ("GET", PREFIX + "/monitoring/subjects/{subject_type}/{subject_id}"): "read_public",
    ("GET", PREFIX + "/audit"): "admin",
}
# Answered without login (load balancers); exposes no data.
NO_LOGIN: frozenset[tuple[str, str]] = frozenset({("GET", "/health"), ("HEAD", "/health")})


# --- errors ------------------------------------------------------------------------------------
class ApiProblem(StarletteHTTPException):
    """An API refusal with its reason in both languages (answered by `http_error`, via app.py)."""

    def __init__(self, status: int, zh: str, en: str, headers: dict | None = None, **extra: Any):
        super().__init__(status, f"{zh} / {en}", headers)
        self.zh, self.en, self.extra = zh, en, extra


class ApiError(BaseModel):
    """Every error of the API: the reason in the request's language, and in each language."""
    status: int = Field(description="HTTP 状态码 / the HTTP status")
    detail: str = Field(description="原因，按请求语言 / the reason in the request's language")
    detail_zh: str = Field(description="中文原因与处理办法 / the reason in Chinese")
    detail_en: str = Field(description="英文原因 / the reason in English")
    model_config = ConfigDict(json_schema_extra={"example": {
        "status": 404, "detail": "没有编号为“x”的规划", "detail_zh": "没有编号为“x”的规划", "detail_en": "no plan 'x'"}})


_CJK = re.compile(r"[\u3400-\u9fff]")


def split_detail(detail: str) -> tuple[str | None, str | None]:
    """(Chinese, English) of a message written "中文 / English" (the project's HTTPException form);
    of a message in one language, that language's side and None for the other."""
    if " / " in detail:
        zh, en = detail.split(" / ", 1)
        if _CJK.search(zh) and not _CJK.search(en):
            return zh, en
    return (detail, None) if _CJK.search(detail) else (None, detail or None)


# What each status means to a script, in both languages: the words of a refusal that came in one
# language only (an English framework phrase, a page's Chinese message).
STATUS_WORDS: dict[int, tuple[str, str]] = {
    400: ("请求无效：请按 /api/v1/openapi.json 的说明发送", "bad request: see /api/v1/openapi.json"),
    401: ("未登录或令牌无效：脚本请以 Authorization: Bearer <令牌> 发送（管理员用 zhizao user token 生成），浏览器请先登录 /login",
          "not logged in, or the token is invalid: scripts send Authorization: Bearer <token> (an administrator "
          "creates one with zhizao user token); browsers log in at /login first"),
    403: ("没有权限，或缺少 CSRF 令牌（把 Cookie zhizao_csrf 的值放入 X-CSRF-Token 头）",
          "not allowed, or the CSRF token is missing (send the zhizao_csrf cookie's value in X-CSRF-Token)"),
    404: ("没有这个资源，或不在本账户的范围内（接口列表见 /api/v1/openapi.json）",
          "not found, or outside this user's scope (see /api/v1/openapi.json)"),
    405: ("该地址不接受此请求方法：见 /api/v1/openapi.json", "this address does not take that method: see /api/v1/openapi.json"),
    409: ("与现有数据冲突", "conflicts with the stored data"),
    413: ("请求太大", "the request is too large"),
    415: ("不支持的请求体类型：见 /api/v1/openapi.json", "unsupported body type: see /api/v1/openapi.json"),
    422: ("参数或文件有误：见 /api/v1/openapi.json", "invalid parameters or file: see /api/v1/openapi.json"),
    429: ("请求过于频繁，请稍后重试", "too many requests: retry later"),
    500: ("服务器内部错误，请稍后重试并报告管理员", "internal error: retry later and tell the administrator"),
    503: ("数据库暂不可用，请稍后重试", "the store is busy or unavailable: retry later"),
}
# A page's refusal of a route ("no such page" to a logged-in user without the permission, "not found"
# for a row outside the scope): in the API it is a resource that is not there.
_PAGE_WORDS = re.compile(r"没有这个页面|没有找到|^no such page$|^not found$", re.I)


def refusal_words(exc: StarletteHTTPException) -> tuple[str, str]:
    """(Chinese, English) of a refusal: the exception's own .zh/.en (auth.Refused, ApiProblem), a known
    framework phrase, or its "中文 / English" detail; a language it lacks comes from STATUS_WORDS —
    never English in the Chinese reason, never none in English."""
    status = exc.status_code
    zh, en = getattr(exc, "zh", None), getattr(exc, "en", None)
    if zh is None and en is None:
        default = DEFAULT_WORDS.get((status, str(exc.detail)))
        if default:  # Starlette's or FastAPI's own English phrase
            return default
        zh, en = split_detail(str(exc.detail or ""))
    generic = STATUS_WORDS.get(status, (f"请求未完成（HTTP {status}）", f"the request was not completed (HTTP {status})"))
    if status == 404 and any(w and _PAGE_WORDS.search(w.strip()) for w in (zh, en)):
        return STATUS_WORDS[404]
    if status == 401 and "X-Login-URL" in (getattr(exc, "headers", None) or {}):  # the pages' "log in first"
        return STATUS_WORDS[401]
    if zh and not _CJK.search(zh):  # English where Chinese belongs
        en, zh = en or zh, None
    return zh or generic[0], en or generic[1]


def error_response(request: Request, status: int, detail: str | None = None, headers: dict | None = None,
                   *, zh: str | None = None, en: str | None = None, **extra: Any) -> JSONResponse:
    """The API's error answer; app.py's exception handlers call it for paths under /api/v1."""
    if zh is None and en is None:
        zh, en = refusal_words(StarletteHTTPException(status, detail or ""))
    generic = STATUS_WORDS.get(status, (f"请求未完成（HTTP {status}）", f"the request was not completed (HTTP {status})"))
    zh, en = zh or generic[0], en or generic[1]
    lang = request_lang(request)
    if request.url.path == PREFIX + "/imports" and status == 422:
        extra.setdefault("problems", [])  # the import's 422 always lists its problems (none: a parameter)
    body = {"status": status, "detail": en if lang == "en" else zh, "detail_zh": zh, "detail_en": en, **extra}
    return JSONResponse(jsonable(body), status_code=status, headers=headers)


def is_api(request: Request) -> bool:
    return request.url.path == PREFIX or request.url.path.startswith(PREFIX + "/")


def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    """Any HTTPException under /api/v1 (ours, the authorisation's, CSRF's, unknown paths) in the API's shape."""
    if isinstance(exc, ApiProblem):
        return error_response(request, exc.status_code, zh=exc.zh, en=exc.en, headers=exc.headers, **exc.extra)
    zh, en = refusal_words(exc)
    return error_response(request, exc.status_code, zh=zh, en=en, headers=getattr(exc, "headers", None))


DEFAULT_WORDS = {
    (404, "Not Found"): ("没有这个接口地址：接口列表见 /api/v1/openapi.json", "no such API address: see /api/v1/openapi.json"),
    (405, "Method Not Allowed"): ("该地址不接受此请求方法：见 /api/v1/openapi.json",
                                  "this address does not take that method: see /api/v1/openapi.json"),
    (400, "There was an error parsing the body"): ("请求体无法解析：请按 /api/v1/openapi.json 的说明发送",
                                                   "the request body could not be parsed: see /api/v1/openapi.json"),
}


def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    bad_json = next((e for e in errors if e.get("type") == "json_invalid"), None)
    if bad_json is not None:  # the body is not JSON at all: the request is malformed (400), not a wrong value
        where = str((bad_json.get("ctx") or {}).get("error", ""))[:200]
        return error_response(request, 400, zh=f"请求体不是有效的 JSON（{where}）：请发送如 {{\"reason\": \"…\"}} 的 JSON，"
                                               "Content-Type: application/json",
                              en=f"the request body is not valid JSON ({where}): send JSON such as "
                                 '{"reason": "…"} with Content-Type: application/json')
    not_object = next((e for e in errors if tuple(e.get("loc", ())) == ("body",)
                       and e.get("type") in ("dict_type", "model_attributes_type", "model_type")), None)
    if not_object is not None:  # e.g. curl -d '{…}' without Content-Type: a form body, not a JSON object
        return error_response(request, 400, zh="请求体不是 JSON 对象：请发送如 {\"reason\": \"…\"} 的 JSON，"
                                               "并带 Content-Type: application/json 头（curl 用 -H 'Content-Type: application/json'）",
                              en='the request body is not a JSON object: send JSON such as {"reason": "…"} with the '
                                 "header Content-Type: application/json (curl: -H 'Content-Type: application/json')")
    zh = "；".join(validation_words(e, "zh") for e in errors)[:2000]
    en = "; ".join(validation_words(e, "en") for e in errors)[:2000]
    return error_response(request, 422, zh=f"请求参数无效：{zh}；请按 /api/v1/openapi.json 的说明填写参数",
                          en=f"invalid request: {en}; see /api/v1/openapi.json for the parameters")


_WHERE = {"query": ("参数", "parameter"), "path": ("地址中的", "path parameter"), "body": ("请求体字段", "body field"),
          "header": ("请求头", "header"), "cookie": ("Cookie", "cookie")}


def _field(loc, lang: str) -> str:
    """A validation error's place in words: 参数 type, 请求体字段 reason, 请求体 (the whole body)."""
    parts = [str(p) for p in loc]
    kind = _WHERE.get(parts[0]) if parts else None
    name = ".".join(parts[1:] if kind else parts)
    if kind is None:
        return name
    if not name:
        return "请求体" if lang != "en" else "the body"
    return f"{kind[0]} {name}" if lang != "en" else f"{kind[1]} '{name}'"


def validation_words(e: dict, lang: str = "zh") -> str:
    """One pydantic validation error in the reader's words, naming the field (Chinese: never pydantic's
    English; a type not translated here says the field is invalid, with the value's type)."""
    field = _field(e.get("loc", ()), lang)
    c = e.get("ctx") or {}
    kind = e.get("type", "")
    value = e.get("input")
    got = str(value)[:40] if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None
    if lang == "en":
        return f"{field}: {e.get('msg', 'invalid')}" + (f" (got '{got}')" if got is not None and kind != "missing" else "")
    expected = str(c.get("expected", "")).replace("' or '", "、").replace("', '", "、").replace("'", "")
    words = {
        "missing": f"缺少{field}（必填）",
        "literal_error": f"{field} 须为 {expected} 之一",
        "enum": f"{field} 须为 {expected} 之一",
        "int_parsing": f"{field} 须为整数", "int_type": f"{field} 须为整数",
        "int_from_float": f"{field} 须为整数（不带小数）",
        "float_parsing": f"{field} 须为数字", "float_type": f"{field} 须为数字",
        "bool_parsing": f"{field} 须为 true 或 false", "bool_type": f"{field} 须为 true 或 false",
        "string_type": f"{field} 须为文本",
        "greater_than": f"{field} 须大于 {c.get('gt')}", "greater_than_equal": f"{field} 须不小于 {c.get('ge')}",
        "less_than": f"{field} 须小于 {c.get('lt')}", "less_than_equal": f"{field} 须不大于 {c.get('le')}",
        "string_too_short": f"{field} 至少 {c.get('min_length')} 个字符",
        "string_too_long": f"{field} 最多 {c.get('max_length')} 个字符",
        "string_pattern_mismatch": f"{field} 格式不符（须符合 {c.get('pattern')}）",
        "date_parsing": f"{field} 须为日期 YYYY-MM-DD", "date_from_datetime_parsing": f"{field} 须为日期 YYYY-MM-DD",
        "date_type": f"{field} 须为日期 YYYY-MM-DD",
        "dict_type": f"{field} 须为 JSON 对象", "model_attributes_type": f"{field} 须为 JSON 对象",
        "list_type": f"{field} 须为列表", "json_invalid": f"{field} 不是有效的 JSON",
    }.get(kind, f"{field} 无效")
    return words + (f"，收到“{got}”" if got is not None and kind != "missing" else "")


def _responses(*codes: int) -> dict:
    words = {400: "请求体无法解析（如不是有效的 JSON）/ the body could not be parsed (e.g. not valid JSON)",
             401: "未登录或令牌无效 / not logged in or the token is invalid",
             403: "无权限或 CSRF 令牌缺失 / not allowed, or the CSRF token is missing",
             404: "不存在或不在本账户范围内 / not found, or outside this user's scope",
             409: "冲突 / conflict", 422: "参数或文件有误 / invalid parameters or file",
             503: "数据库暂不可用，稍后重试 / the store is busy or unavailable: retry later"}
    return {c: {"model": ApiError, "description": words[c]} for c in codes}


READ_ERRORS = _responses(401, 404, 422, 503)
WRITE_ERRORS = _responses(400, 401, 403, 404, 409, 422, 503)

router = APIRouter(prefix=PREFIX, tags=["v1"], responses=READ_ERRORS)
health_router = APIRouter()


# --- common parameters -------------------------------------------------------------------------
def api_lang(request: Request, lang: Literal["zh", "en"] | None = Query(
        None, description="回答语言（缺省：zhizao_lang Cookie，否则中文）/ the answer's language")) -> str:
    return lang if lang in LANGS else request_lang(request)


def _plans(request: Request):
    return request.app.state.plans


def _state(request: Request, plan_id: str | None, lang: str) -> WebState:
    """The plan's state (None: the default plan's); 404 naming the served plans otherwise."""
    plans = _plans(request)
    if plan_id is None:
        return plans.default
    state = plans.get(plan_id)
    if state is None:
        known = [p["id"] for p in plans.listing(lang)]
        raise ApiProblem(404, f"没有编号为“{plan_id[:80]}”的规划；已知规划：{'、'.join(known)}（GET /api/v1/plans）",
                         f"no plan '{plan_id[:80]}'; known plans: {', '.join(known)} (GET /api/v1/plans)")
    return state


def _ctx(request: Request, user: User, lang: str, state: WebState) -> Ctx:
    return Ctx(request=request, user=user, lang=lang, state=state)


def _page(total: int, limit: int, offset: int, request: Request) -> dict:
    nxt = with_params(request, offset=offset + limit) if offset + limit < total else None
    return {"total": total, "limit": limit, "offset": offset, "next": nxt}


def _busy(e: StoreBusyPage | StoreBusy) -> ApiProblem:
    zh, en = (e.message_zh, e.message_en) if isinstance(e, StoreBusy) else split_detail(str(e.detail))
    return ApiProblem(503, zh, en or zh, headers={"Retry-After": "5"})


# --- models ------------------------------------------------------------------------------------
class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class PlanItem(BaseModel):
    id: str = Field(description="规划编号 / plan id", examples=["chongqing-manufacturing-2021-2025"])
    title: str = Field(description="规划标题 / title")
    period: str = Field(description="规划期 / plan period", examples=["2020–2025"])
    default: bool = Field(description="是否看板的缺省规划 / the dashboard's default plan")
    url: str = Field(description="看板页面地址 / the dashboard page")
    api_url: str = Field(description="本接口中的规划摘要 / the plan's summary in this API")


class PlanList(BaseModel):
    plans: list[PlanItem]


class IndicatorRef(BaseModel):
    id: str
    name: str
    name_en: str | None = None
    category: str
    unit: str
    nature: str
    kind: str
    section: str
    api_url: str


class PlanSummary(BaseModel):
    id: str
    title: str
    title_en: str | None = None
    issuer: str
    base_year: int
    target_year: int
    region_code: str | None = Field(None, description="全域行政区划代码 / the whole region's GB/T 2260 code")
    region_name: str | None = None
    default: bool
    counts: dict[str, int] = Field(description="指标、产业、集群与区县个数 / counts of indicators, industries, clusters, districts")
    indicators: list[IndicatorRef]
    assessment_url: str


class Assessment(Open):
    """As `zhizao assess --format json` (docs/assessment-json.md)."""
    plan: dict[str, Any]
    year: int
    evaluation: dict[str, Any]
    as_of: str | None
    lang: Literal["zh", "en"]
    settings: dict[str, Any]
    summary: dict[str, Any]
    indicators: list[dict[str, Any]]
    clusters: list[dict[str, Any]]


class Observation(Open):
    """One stored value with its source, unit, price basis and vintage."""
    obs_id: int | None = None
    series: str
    region: str
    region_name: str | None = None
    industry: str | None = None
    period_type: str | None = None
    year: int | None = None
    month: int | None = None
    period_key: str
    value: float | None = None
    value_text: str | None = None
    qualifier: str | None = None
    unit: str | None = Field(None, description="单位 / unit")
    price_basis: str | None = Field(None, description="价格口径 current|constant / price basis")
    status: str | None = None
    basis: str | None = None
    basis_from: str | None = None
    vintage: str | None = Field(None, description="数值公布（已知）日期 / when the value became known")
    known_since: str | None = None
    vintage_assumed: bool | None = None
    source_id: str | None = None
    source_title: str | None = None
    publisher: str | None = None
    source_url: str | None = None
    grade: str | None = Field(None, description="来源等级 A–D / source grade")
    quote: str | None = None
    batch_id: str | None = None
    synthetic: bool | None = None


class IndicatorDetail(BaseModel):
    plan_id: str
    year: int
    as_of: str | None
    assessment: dict[str, Any] = Field(description="该指标的评估，同 assess JSON 的 indicators[] / as in the assessment JSON")
    spec: dict[str, Any] = Field(description="规划文件中的指标定义 / the indicator as the plan file defines it")
    links: list[dict[str, Any]]
    observations: list[Observation]


class ObservationPage(BaseModel):
    total: int = Field(description="符合条件的行数 / rows matching")
    limit: int
    offset: int
    next: str | None = Field(description="下一页地址（相对）/ the next page's address, null on the last")
    plan_id: str
    items: list[Observation]


class Source(Open):
    source_id: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: str | None = None
    accessed: str | None = None
    grade: str


class SourceList(BaseModel):
    sources: list[Source]


class Batch(Open):
    batch_id: str
    kind: str = Field(description="bundled | import | synthetic")
    file: str | None = Field(None, description="文件名（不含服务器路径）/ the file's own name")
    sha256: str | None = None
    rows: int | None = None
    imported_at: str
    note: str | None = None
    withdrawn_at: str | None = None
    withdrawn_by: str | None = None
    withdrawal_reason: str | None = None


class BatchList(BaseModel):
    batches: list[Batch]


class ImportProblemModel(BaseModel):
    file: str
    row: int | None = Field(None, description="表格行号（null：整个文件）/ the spreadsheet row, null for the file")
    column: str | None = None
    value: str | None = None
    code: str
    message: str
    message_zh: str | None = None
    message_en: str | None = None


class ImportRefused(ApiError):
    problems: list[ImportProblemModel] = Field(description="每一个问题 / every problem; nothing was written")


class ImportResult(BaseModel):
    ok: Literal[True]
    file: str
    batch_id: str
    observations: int
    sources: int


class WithdrawRequest(BaseModel):
    reason: str = Field(min_length=1, max_length=500, description="撤回原因（记录在案）/ why (recorded)",
                        examples=["数据口径有误，将重新导入"])


class Subject(Open):
    subject_type: str = Field(description="city|district|zone|industry|cluster|enterprise")
    id: str = Field(description="区县代码、产业代码或企业统一社会信用代码 / code or credit code")
    name: str | None = None
    district: str | None = Field(None, description="企业所在区县代码 / an enterprise's district")
    api_url: str


class SubjectPage(BaseModel):
    period: str
    synthetic: bool = Field(description="数据为合成数据时为 true / true for synthetic data (zhizao synth)")
    total: int
    limit: int
    offset: int
    next: str | None
    items: list[Subject]


class SubjectDetail(BaseModel):
    period: str
    synthetic: bool
    subject: dict[str, Any]
    info: dict[str, Any] | None
    light: dict[str, Any] | None
    warnings: list[dict[str, Any]]
    series: dict[str, Any]


class AuditEntry(Open):
    audit_id: int
    at: str = Field(description="时间（UTC，ISO 8601，带 +00:00）/ when, UTC, ISO 8601 with its offset",
                    examples=["2025-06-30T08:15:00+00:00"])
    actor: str
    role: str | None = None
    action: str
    target: str | None = None
    rows: int | None = None
    detail: dict[str, Any] | None = Field(None, description="详情（JSON 对象）/ details, a JSON object")
    ip: str | None = None


class AuditPage(BaseModel):
    total: int
    limit: int
    offset: int
    next: str | None
    items: list[AuditEntry]


# --- OpenAPI -----------------------------------------------------------------------------------
DESCRIPTION = """智造 zhizao 的 JSON 接口，第 1 版。认证：浏览器会话 Cookie，或脚本用 `Authorization: Bearer <令牌>`
（`zhizao user token 用户名`）；本机单用户模式无需登录（各操作的 security 不适用）；访客可读的操作的 security 含 `{}`。写操作（POST）在会话模式下须带 CSRF 令牌
（Cookie zhizao_csrf 的值放入 X-CSRF-Token 头）。错误一律为 {status, detail, detail_zh, detail_en}。
说明见 docs/api.md。

The zhizao JSON API, version 1. Authentication: the browser's session cookie, or `Authorization: Bearer
<token>` for scripts (`zhizao user token USERNAME`); none in the single-user local mode (every operation's
`security` then does not apply). Operations open to guests list `{}` among their security requirements. State-changing
requests (POST) with a session carry the CSRF token (the zhizao_csrf cookie's value in X-CSRF-Token).
Errors are always {status, detail, detail_zh, detail_en}. See docs/api.md."""


def openapi_document(app) -> dict:
    """The description of the /api/v1 routes only (the pages are not part of the API)."""
    # Built for every route, then cut to /api/v1 (FastAPI keeps included routers as opaque entries).
    doc = get_openapi(title="zhizao API", version=zhizao.__version__, description=DESCRIPTION, routes=app.routes)
    doc["paths"] = {p: v for p, v in doc.get("paths", {}).items() if p.startswith(PREFIX + "/")}
    schemas = doc.get("components", {}).get("schemas", {})
    used: set[str] = set()
    todo = [doc["paths"]]
    while todo:  # keep only the schemas the API's paths reach
        for ref in re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(todo.pop())):
            if ref not in used and ref in schemas:
                used.add(ref)
                todo.append(schemas[ref])
    if schemas:
        doc["components"]["schemas"] = {k: v for k, v in schemas.items() if k in used}
    doc["info"]["x-api-version"] = API_VERSION
    doc.setdefault("components", {})["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer", "description": "zhizao user token USERNAME"},
        "session": {"type": "apiKey", "in": "cookie", "name": "zhizao_session"},
    }
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            op["security"] = security_of(method.upper(), path)
    _real_bounds(doc, app)
    return doc


def security_of(method: str, path: str) -> list[dict]:
    """An operation's OpenAPI security: a token or a session; `{}` too (no credentials) where guests
    may read (read_public). In the local mode no operation needs credentials (DESCRIPTION says so)."""
    needed = [{"bearer": []}, {"session": []}]
    return [{}, *needed] if PERMISSIONS.get((method, path)) in ("read_public", "public") else needed


def _real_bounds(doc: dict, app) -> None:
    """The bounds the routes enforce, in the description: `year` within the served plans' periods
    (after the base year, up to the target year); `period` among the monitoring data's periods;
    `district` one of the district codes."""
    plans = getattr(app.state, "plans", None)
    years = [(st.plan.plan.base_year + 1, st.plan.plan.target_year) for st in (plans.states() if plans else [])]
    periods: list[str] = []
    monitoring = getattr(app.state, "monitoring", None)
    if monitoring is not None:
        try:
            periods = [mv.period_key(p) for p in monitoring.data().periods]
        except Exception:  # noqa: BLE001 - no monitoring data (yet): the pattern alone
            periods = []
    for ops in doc["paths"].values():
        for op in ops.values():
            for param in op.get("parameters", []):
                variants = param.get("schema", {}).get("anyOf") or [param.get("schema", {})]
                for v in variants:
                    if param["name"] == "year" and v.get("type") == "integer" and years:
                        v["minimum"], v["maximum"] = min(y[0] for y in years), max(y[1] for y in years)
                    elif param["name"] == "period" and v.get("type") == "string" and periods:
                        v.pop("pattern", None)
                        v["enum"] = periods
                    elif param["name"] == "district" and v.get("type") == "string":
                        v.pop("pattern", None)
                        v["enum"] = list(DISTRICTS)


@router.get("/openapi.json", include_in_schema=False)
def openapi_json(request: Request):
    doc = getattr(request.app.state, "api_v1_openapi", None)
    if doc is None:
        doc = request.app.state.api_v1_openapi = openapi_document(request.app)
    return JSONResponse(doc)


# --- plans -------------------------------------------------------------------------------------
@router.get("/plans", response_model=PlanList, summary="规划列表 / the plans served")
def list_plans(request: Request, lang: str = Depends(api_lang)):
    """看板提供的全部规划，缺省规划在前 / every plan the dashboard serves, the default first."""
    try:
        rows = _plans(request).listing(lang)
    except StoreBusyPage as e:
        raise _busy(e) from None
    return {"plans": [{**p, "api_url": f"{PREFIX}/plans/{p['id']}"} for p in rows]}


@router.get("/plans/{plan_id}", response_model=PlanSummary, summary="规划摘要 / a plan's summary")
def plan_summary(request: Request, plan_id: str = Path(description="规划编号 / plan id"),
                 lang: str = Depends(api_lang)):
    state = _state(request, plan_id, lang)
    p = state.plan
    meta = p.plan
    return {
        "id": meta.id, "title": meta.title, "title_en": meta.title_en, "issuer": meta.issuer,
        "base_year": meta.base_year, "target_year": meta.target_year,
        "region_code": p.regions.whole_code if p.regions else None,
        "region_name": p.regions.whole_name if p.regions else None,
        "default": state is _plans(request).default,
        "counts": {"indicators": len(p.indicators), "industries": len(p.industries), "clusters": len(p.clusters),
                   "districts": len(p.regions.districts) if p.regions else 0},
        "indicators": [{"id": i.id, "name": i.name, "name_en": i.name_en, "category": i.category, "unit": i.unit,
                        "nature": i.nature.value, "kind": i.kind.value, "section": i.section,
                        "api_url": f"{PREFIX}/plans/{meta.id}/indicators/{i.id}"} for i in p.indicators],
        "assessment_url": f"{PREFIX}/plans/{meta.id}/assessment",
    }


def _assessment(state: WebState, lang: str, year: int | None, as_of: date | None) -> dict:
    try:
        check_year(state.plan, year)
    except UserError as e:
        raise ApiProblem(422, e.reason_zh, e.reason_en) from None
    try:
        return state.assessment(lang, year, as_of)
    except StoreBusyPage as e:
        raise _busy(e) from None


YEAR = Query(None, ge=1000, le=9999, description="评估年份（规划期内：基期之后至目标年；缺省：有数据的最近年份）/ "
             "evaluation year (after the base year, up to the target year)")
AS_OF = Query(None, pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", json_schema_extra={"format": "date"},
              description="只用该日（YYYY-MM-DD）已知的数据 / only values known by this date (YYYY-MM-DD)")


def _as_of(text: str | None) -> date | None:
    """An ISO date (YYYY-MM-DD) or 422: a number (as_of=0) is not a date."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ApiProblem(422, f"as_of 须为日期 YYYY-MM-DD，收到“{text[:20]}”",
                         f"as_of must be a date YYYY-MM-DD, got '{text[:20]}'") from None


@router.get("/plans/{plan_id}/assessment", response_model=Assessment,
            summary="评估结果 / the assessment, as `zhizao assess --format json`")
def assessment(request: Request, plan_id: str, year: int | None = YEAR, as_of: str | None = AS_OF,
               lang: str = Depends(api_lang)):
    """与 `zhizao assess --format json` 相同的 JSON（docs/assessment-json.md）/ the same JSON as the CLI's."""
    result = _assessment(_state(request, plan_id, lang), lang, year, _as_of(as_of))
    # Serialised as the CLI does (default=str), so the two are equal byte for value.
    return Response(json.dumps(result, ensure_ascii=False, default=str), media_type="application/json")


@router.get("/plans/{plan_id}/indicators/{indicator_id}", response_model=IndicatorDetail,
            summary="指标详情 / one indicator: assessment, definition, links, observations")
def indicator(request: Request, plan_id: str, indicator_id: str, year: int | None = YEAR,
              as_of: str | None = AS_OF, lang: str = Depends(api_lang), user: User = Depends(current_user)):
    state = _state(request, plan_id, lang)
    result = _assessment(state, lang, year, _as_of(as_of))
    ind = next((i for i in result["indicators"] if i["id"] == indicator_id), None)
    if ind is None:
        raise ApiProblem(404, f"规划 {plan_id} 中没有指标“{indicator_id[:80]}”（指标编号见 /api/v1/plans/{plan_id}）",
                         f"plan {plan_id} has no indicator '{indicator_id[:80]}' (see /api/v1/plans/{plan_id})")
    try:
        links = indicator_links(state.links(), indicator_id).drop(columns=["batch_id"])
        obs = related_observations(_ctx(request, user, lang, state), indicator_id)
    except StoreBusyPage as e:
        raise _busy(e) from None
    return jsonable({"plan_id": state.plan.plan.id, "year": result["year"], "as_of": result["as_of"],
                     "assessment": json.loads(json.dumps(ind, default=str)),
                     "spec": state.plan.indicator(indicator_id).model_dump(mode="json"),
                     "links": links, "observations": obs})


# --- observations, sources, batches ------------------------------------------------------------
OBS_FIELDS = list(Observation.model_fields)


@router.get("/observations", response_model=ObservationPage, summary="观测值（分页）/ observations, paged")
def observations(request: Request,
                 series: list[str] | None = Query(None, description="序列名，可重复 / series, repeatable"),
                 region: str | None = Query(None, description="行政区划代码 / GB/T 2260 region code"),
                 plan_id: str | None = Query(None, description="规划编号（缺省：看板缺省规划）；只含该规划用到及无规划使用的序列 / "
                                             "plan id (default: the dashboard's default plan)"),
                 as_of: str | None = AS_OF,
                 limit: int = Query(1000, ge=1, le=MAX_LIMIT, description=f"每页行数，至多 {MAX_LIMIT} / rows per page"),
                 offset: int = Query(0, ge=0, description="跳过的行数 / rows to skip"),
                 lang: str = Depends(api_lang), user: User = Depends(current_user)):
    """存储的观测值及其来源、单位、价格口径与公布日期（与数据页相同）/ stored values with their source, unit,
    price basis and vintage, as on the data page."""
    state = _state(request, plan_id, lang)
    try:
        obs = user.visible(state.observations(_as_of(as_of)))
    except StoreBusyPage as e:
        raise _busy(e) from None
    if series:
        obs = obs[obs["series"].isin(series)]
    if region:
        obs = obs[obs["region"] == region]
    total = len(obs)
    rows = obs.iloc[offset: offset + limit]
    if "enterprise_id" in rows.columns:
        _audit_enterprise_read(request, "observations", int(rows["enterprise_id"].notna().sum()))
    rows = rows.assign(region_name=rows["region"].map(lambda c: state.region_names.get(c, c)))
    return {**_page(total, limit, offset, request), "plan_id": state.plan.plan.id,
            "items": jsonable(rows.reindex(columns=[c for c in OBS_FIELDS if c in rows.columns]))}


@router.get("/sources", response_model=SourceList, summary="来源 / the sources")
def sources(request: Request, lang: str = Depends(api_lang)):
    try:
        return {"sources": jsonable(_plans(request).default.sources())}
    except StoreBusyPage as e:
        raise _busy(e) from None


def _base_name(file: str | None) -> str | None:
    # Only the file's own name: a batch's full path is the server's (a temporary folder for uploads).
    return file.replace("\\", "/").rsplit("/", 1)[-1] if file else file


@router.get("/batches", response_model=BatchList, summary="导入批次 / the import batches")
def batches(request: Request, lang: str = Depends(api_lang)):
    """全部批次（含已撤回的批次及撤回时间、人、原因），最新在前 / every batch, withdrawn ones included, newest first."""
    try:
        df = _plans(request).default.batches()
    except StoreBusyPage as e:
        raise _busy(e) from None
    rows = jsonable(df.sort_values("imported_at", ascending=False))
    return {"batches": [{**b, "file": _base_name(b.get("file"))} for b in rows]}


# --- writes ------------------------------------------------------------------------------------
@router.post("/imports", status_code=201, response_model=ImportResult, summary="导入文件 / import a file",
             responses={**WRITE_ERRORS, 422: {"model": ImportRefused, "description": "文件有问题，未写入任何数据 / "
                                                                                     "the file was refused whole"}},
             openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                 "type": "object", "required": ["file"],
                 "properties": {"file": {"type": "string", "format": "binary",
                                         "description": "CSV 或 XLSX（docs/data-import.md）"}}}}}}})
async def import_file(request: Request, lang: str = Depends(api_lang), user: User = Depends(current_user)):
    """与看板上传相同的导入：全部写入或全部不写，逐行列出每个问题 / the dashboard upload's import: all or
    nothing, every problem listed by row, column and reason."""
    if not user.can_import:
        raise ApiProblem(404, "本账户不能导入数据", "this user may not import data")
    try:
        file = (await request.form()).get("file")
    except Exception:  # a malformed multipart body
        file = None
    if not isinstance(file, StarletteUploadFile):
        raise ApiProblem(422, "请求中没有文件：用 multipart/form-data 的 file 字段发送 CSV 或 XLSX 文件",
                         "no file in the request: send a CSV or XLSX file as the multipart/form-data field 'file'",
                         problems=[])
    ctx = _ctx(request, user, lang, _plans(request).default)
    result = await run_in_threadpool(import_upload, ctx, file)
    if not result["ok"]:
        n = len(result["problems"])
        raise ApiProblem(422, f"文件“{result['file']}”有 {n} 个问题，未写入任何数据；逐条修改后重新导入",
                         f"the file '{result['file']}' has {n} problem(s) and nothing was written; fix each and "
                         "import it again", problems=result["problems"])
    return {"ok": True, "file": result["file"], **result["summary"]}


@router.post("/batches/{batch_id}/withdraw", response_model=Batch, responses=WRITE_ERRORS,
             summary="撤回批次 / withdraw a batch")
def withdraw(request: Request, batch_id: str, body: WithdrawRequest, lang: str = Depends(api_lang),
             user: User = Depends(current_user)):
    """批次记录保留，其数值不再计入 / the batch stays recorded; its values stop counting everywhere."""
    plans = _plans(request)
    try:
        known = set(plans.default.batches()["batch_id"])
    except StoreBusyPage as e:
        raise _busy(e) from None
    if batch_id not in known:
        raise ApiProblem(404, f"没有批次“{batch_id[:80]}”（批次号见 /api/v1/batches）",
                         f"no batch '{batch_id[:80]}' (see /api/v1/batches)")
    try:
        # One writer at a time with the uploads of this server (they share the store).
        with plans.default._import_lock:
            info = api.withdraw(batch_id, body.reason, db=plans.db, by=user.id, role=user.role, ip=client_ip(request))
    except api.WithdrawRefused as e:
        raise ApiProblem(409, e.message_zh, e.message_en) from None
    except StoreBusy as e:
        raise _busy(e) from None
    finally:
        for state in plans.states():
            state.invalidate()
    return {**jsonable(info), "file": _base_name(info.get("file"))}


# --- monitoring --------------------------------------------------------------------------------
def _monitoring(request: Request, period: str | None, lang: str):
    state = request.app.state.monitoring
    try:
        data = state.data()
    except MonitoringUnavailable as e:
        hint_zh = mv.synth_hint(state.data_dir, "zh") if e.reason == "missing" else e.message
        hint_en = mv.synth_hint(state.data_dir, "en") if e.reason == "missing" else e.message
        raise ApiProblem(404, hint_zh, hint_en) from None
    if not data.periods:
        raise ApiProblem(404, "监测数据不足两年，没有可比的报告期（zhizao synth --months）",
                         "the monitoring data cover less than two years: no comparable period (zhizao synth --months)")
    try:
        p = mv.check_period(data, period)
    except ValueError:
        lo, hi = mv.period_key(data.periods[0]), mv.period_key(data.periods[-1])
        raise ApiProblem(422, f"报告期须在 {lo} 至 {hi} 之间（YYYY-MM），收到“{str(period)[:20]}”",
                         f"period must be between {lo} and {hi} (YYYY-MM), got '{str(period)[:20]}'") from None
    return data, state.result(p)


def _subject_rows(result, user: User, lang: str, kind: str | None, district: str | None) -> list[dict]:
    out: list[dict] = []
    if kind in (None, "city"):
        city = mv.city_summary(result)
        out.append({**city, "subject_type": "city", "id": city["subject_id"],
                    "name": mv.subject_display(result, "city", city["subject_id"], lang)})
    if kind in (None, "district"):
        out += [r for r in mv.district_rows(result, lang) if district is None or r["id"] == district]
    for st in ("zone", "industry", "cluster"):
        if kind in (None, st):
            out += mv.part_rows(result, st, lang)
    if kind in (None, "enterprise"):
        out += [{**r, "subject_type": "enterprise", "id": r["credit_code"]}
                for r in mv.enterprise_rows(result, district, lang) if user.can_see_region(r["district"])]
    return [{**r, "api_url": f"{PREFIX}/monitoring/subjects/{r['subject_type']}/{r['id']}"} for r in out]


PERIOD_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
PERIOD = Query(None, pattern=PERIOD_PATTERN,
               description="报告期 YYYY-MM，须在监测数据的报告期内（缺省：最新）/ the reporting period, one of the "
                           "monitoring data's (default: the latest)")


def _audit_enterprise_read(request: Request, what: str, rows: int) -> None:
    """Enterprise rows read through the API are an export, audited as the dashboard's downloads are
    (who, what, how many rows; server mode only). Written before the rows are answered: what cannot
    be recorded is not given (auth.audit answers 503)."""
    if rows:
        audit_row(request, "export", f"api:{what}", rows=rows,
                  detail={"format": "json", "path": request.url.path, "query": str(request.url.query)[:500]})


@router.get("/monitoring/subjects", response_model=SubjectPage, summary="监测对象（分页）/ monitoring subjects")
def monitoring_subjects(request: Request,
                        type: Literal["city", "district", "zone", "industry", "cluster", "enterprise"] | None = Query(
                            None, description="对象类型 / subject type"),
                        district: str | None = Query(None, pattern=r"^[0-9]{6}$",
                                                     description="只列该区县（行政区划代码）的区县行与企业 / one "
                                                                 "district's row and enterprises (its GB/T 2260 code)"),
                        period: str | None = PERIOD,
                        limit: int = Query(100, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0),
                        lang: str = Depends(api_lang), user: User = Depends(current_user)):
    """运行监测页的城市、区县、园区、产业、集群与企业行；企业只列本账户可见区县的 / the monitoring page's rows;
    enterprises only of the districts this user may see."""
    if district is not None and district not in DISTRICTS:
        raise ApiProblem(422, f"没有区县代码“{district[:20]}”：district 须为区县的行政区划代码（如 500112 渝北区；"
                              "全部代码见 zhizao user regions 或 type=district 的行）",
                         f"no district '{district[:20]}': district takes a district's GB/T 2260 code (e.g. 500112 "
                         "Yubei District; all codes: zhizao user regions, or the type=district rows)")
    data, result = _monitoring(request, period, lang)
    rows = _subject_rows(result, user, lang, type, district)
    page = rows[offset: offset + limit]
    _audit_enterprise_read(request, "monitoring/subjects", sum(r["subject_type"] == "enterprise" for r in page))
    return {"period": mv.period_key(result.period), "synthetic": bool(data.synthetic),
            **_page(len(rows), limit, offset, request), "items": jsonable(page)}


@router.get("/monitoring/subjects/{subject_type}/{subject_id}", response_model=SubjectDetail,
            summary="一个监测对象 / one monitoring subject: its row, light, warnings and monthly series")
def monitoring_subject(request: Request, subject_type: str, subject_id: str, period: str | None = PERIOD,
                       lang: str = Depends(api_lang), user: User = Depends(current_user)):
    missing = ApiProblem(404, f"监测数据中没有{mv.subject_type_label(subject_type, 'zh') if subject_type in SUBJECT_TYPES else '对象'}"
                              f"“{subject_id[:40]}”（见 /api/v1/monitoring/subjects）",
                         f"no {subject_type[:20]} '{subject_id[:40]}' in the monitoring data "
                         "(see /api/v1/monitoring/subjects)")
    if subject_type not in SUBJECT_TYPES:
        raise missing
    data, result = _monitoring(request, period, lang)
    if subject_type == "enterprise":
        info = mv.enterprise_info(result, subject_id, lang)
        if info is None or not user.can_see_region(info["district"]):
            raise missing  # out of scope answers as unknown: its existence must not leak
        name = info["name"]
        _audit_enterprise_read(request, f"monitoring/subjects/enterprise/{subject_id[:40]}", 1)
    else:
        name = mv.subject_display(result, subject_type, subject_id, lang)
        info = next((r for r in mv.part_rows(result, subject_type, lang) if r["id"] == subject_id), None)
        if subject_type == "city":
            info = {**(info or {}), **mv.city_summary(result)}
    series = mv.subject_series(result, subject_type, subject_id)
    if series is None:
        raise missing
    warnings = [w for w in mv.warning_rows(result, lang, subject_type=subject_type, subject_id=subject_id)
                if w["rule"] in WARNING_RULES]
    return jsonable({"period": mv.period_key(result.period), "synthetic": bool(data.synthetic),
                     "subject": {"type": subject_type, "type_label": mv.subject_type_label(subject_type, lang),
                                 "id": subject_id, "name": name},
                     "info": info, "light": mv.light_detail(result, subject_type, subject_id),
                     "warnings": warnings, "series": series})


# --- audit -------------------------------------------------------------------------------------
def _audit_entry(row: dict) -> dict:
    """`at` as ISO 8601 with its UTC offset (stored naive UTC); `detail` as the object it holds."""
    at = row.get("at")
    if isinstance(at, datetime):
        row["at"] = (at if at.tzinfo else at.replace(tzinfo=timezone.utc)).isoformat()
    detail = row.get("detail")
    if isinstance(detail, str):
        try:
            parsed = json.loads(detail)
        except ValueError:
            parsed = None
        row["detail"] = parsed if isinstance(parsed, dict) else {"text": detail}
    if isinstance(row.get("detail"), dict) and "file" in row["detail"]:  # an upload's temporary path: the user's name
        row["detail"] = {**row["detail"], "file": user_file(row["detail"]["file"])}
    return row


@router.get("/audit", response_model=AuditPage, summary="审计日志（管理员）/ the audit log (administrators)")
def audit(request: Request, actor: str | None = Query(None, max_length=200), action: str | None = Query(None, max_length=100),
          limit: int = Query(100, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0),
          lang: str = Depends(api_lang), user: User = Depends(current_user)):
    """导入、撤回、登录、导出与账户变更，最新在前；本机单用户模式没有审计日志（404）/ imports, withdrawals,
    logins, exports and account changes, newest first; none in the local mode (404)."""
    accounts = getattr(request.app.state, "accounts", None)
    if accounts is None or getattr(user, "role", None) != "admin":
        raise ApiProblem(404, "没有审计日志：审计日志只在服务器模式（PostgreSQL，账户）下对管理员提供",
                         "no audit log: it exists in the server mode (PostgreSQL, accounts), for administrators")
    try:
        rows, total = accounts.audit_log(actor=actor, action=action, limit=limit, offset=offset)
        rows = [_audit_entry(r) for r in rows]
    except Exception as e:  # noqa: BLE001 - the accounts database down: say so, never a traceback
        log.warning("audit read failed: %s", e)
        raise ApiProblem(503, "账户数据库暂不可用，请稍后重试", "the accounts database is unavailable: retry later",
                         headers={"Retry-After": "5"}) from None
    return {**_page(total, limit, offset, request), "items": jsonable(rows)}


# --- health ------------------------------------------------------------------------------------
def probe(db) -> tuple[str, str | None]:
    """(backend, schema) when the store answers; raises when it does not."""
    if postgres.is_postgres(str(db)):
        revision = postgres.current_revision(str(db))
        if revision is None:
            raise RuntimeError("no schema")
        return "postgresql", revision
    with Store(db, lock_timeout=2.0) as store:
        store.is_empty()
    return "duckdb", "embedded"


# Not in the API's description (it is outside /api/v1): docs/api.md §Health.
@health_router.api_route("/health", methods=["GET", "HEAD"], include_in_schema=False)
async def health(request: Request):
    db = request.app.state.plans.db
    backend = "postgresql" if postgres.is_postgres(str(db)) else "duckdb"
    try:
        backend, schema = await asyncio.wait_for(run_in_threadpool(probe, db), HEALTH_TIMEOUT)
    except Exception as e:  # noqa: BLE001 - unreachable, busy, broken or too slow: all "unavailable"
        log.warning("health probe failed: %s: %s", type(e).__name__, e)
        return JSONResponse({"status": "unavailable", "backend": backend, "schema": None}, status_code=503,
                            headers={"Retry-After": "5", "Cache-Control": "no-store"})
    return JSONResponse({"status": "ok", "backend": backend, "schema": schema}, headers={"Cache-Control": "no-store"})
