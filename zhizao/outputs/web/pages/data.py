"""Data: the stored observations (filterable) and the browser upload.

The upload goes through `zhizao.api.import_data`, the same call as `zhizao data import`, so the
checks and the all-or-nothing rule are the CLI's; this page only shows every problem in a table.
The chain data (issue 12) upload goes through `zhizao.api.import_chain_data`, as `zhizao chain import`:
one XLSX with three sheets or three CSVs in one form; city-level data, so city roles only (import_city).
"""
from __future__ import annotations

import logging
import math
import re
import tempfile
import unicodedata
from dataclasses import replace
from pathlib import Path

import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Query, UploadFile
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile as StarletteUploadFile

from zhizao import api, labels
from zhizao.codes.regions import district_name
from zhizao.errors import UserError
from zhizao.ingest._errors import IngestError
from zhizao.ingest.table import COLUMN_ALIASES, ImportProblem, TableReadError, read_table
from zhizao.outputs.web.auth import Refused, audit, register_refusal_reason
from zhizao.outputs.web.i18n import t
from zhizao.outputs.web.pages import enterprises as ent_pages
from zhizao.outputs.web.pages.common import Ctx, page_context
from zhizao.outputs.web.pages.indicator import linked_series, observations_table
from zhizao.outputs.web.render import jsonable, respond, wants_json
from zhizao.store.importing import ImportFailed
from zhizao.store.store import StoreBusy

router = APIRouter()
log = logging.getLogger(__name__)

PAGE_SIZE = 100
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
UPLOAD_SUFFIXES = (".csv", ".xlsx")
COLUMNS = ["obs_id", "series", "region", "region_name", "industry", "period_key", "value", "value_text", "unit",
           "qualifier", "price_basis", "status", "grade", "vintage", "source_title", "publisher", "source_url",
           "quote", "batch_id"]


def filtered(ctx: Ctx, q: str, indicator: str | None, region: str | None) -> pd.DataFrame:
    obs = ctx.user.visible(ctx.state.observations())
    if indicator:
        obs = obs[obs["series"].isin(list(linked_series(ctx.state.links(), indicator)))]
    if region:
        obs = obs[obs["region"] == region]
    obs = obs.assign(region_name=obs["region"].map(ctx.region_name))
    if q:
        hay = obs["series"] + " " + obs["region_name"] + " " + obs["quote"].fillna("")
        obs = obs[hay.str.contains(q, regex=False)]
    return obs.reindex(columns=COLUMNS)


def data_page_data(ctx: Ctx, q: str = "", indicator: str | None = None, region: str | None = None,
                   page: int = 1) -> dict:
    obs = filtered(ctx, q, indicator, region)
    pages = max(1, math.ceil(len(obs) / PAGE_SIZE))
    page = min(max(1, page), pages)
    batches = ctx.state.batches()
    actors = import_actors(ctx)
    return {
        "counts": ctx.state.counts(),
        "filters": {"q": q, "indicator": indicator, "region": region},
        "total": len(obs), "page": page, "pages": pages, "page_size": PAGE_SIZE,
        "observations": jsonable(obs.iloc[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]),
        # Only the file's own name: a batch's full path is the server's (a temporary folder for uploads).
        "batches": [{**b, "file": _base_name(b.get("file")),
                     "kind_label": labels.label("batch_kind", b.get("kind"), ctx.lang),
                     "imported_by": actors.get(b["batch_id"])}
                    for b in jsonable(batches.sort_values("imported_at", ascending=False))],
        "upload": None,
        # issue 12: the chain data form, for the roles that may import city-level data, on a plan with chains
        "chain_upload": None, "chain_upload_offered": bool(ctx.plan.chains) and ctx.user.can("import_city"),
        # issue 13: the enterprise files (api_enterprises.import_enterprise_data), city roles only
        "enterprise_upload": None,
        "enterprise_upload_offered": ent_pages.ent_api is not None and ctx.user.can("import_city"),
        # issue 14: the project, problem and task files (api_delivery.import_delivery_data); district users their rows
        "delivery_upload": None, "delivery_upload_offered": delivery_offered(ctx),
    }


def import_actors(ctx: Ctx) -> dict[str, str]:
    """batch id → who imported it (the store's audit row `import` of the batch: a user name, or
    cli:<system user> for the command line and the bundled data); read once per store version."""
    def compute() -> dict[str, str]:
        with ctx.state._open() as store:
            log_ = store.audit_log(action="import")
        return {str(t_): str(a) for t_, a in zip(log_["target"], log_["actor"]) if t_ is not None and a is not None}
    return ctx.state.cached(("import_actors",), compute)


UPLOAD_PREFIX = "zhizao-upload-"  # the temporary folder of a browser or API upload (import_upload)


def _base_name(file: str | None) -> str | None:
    return file.replace("\\", "/").rsplit("/", 1)[-1] if file else file


def user_file(file):
    """A file name as the user gave it: an upload's temporary path (/tmp/zhizao-upload-…/mine.csv, what the
    store records for the batch and its audit row) is the user's own name (mine.csv); anything else as it is."""
    if isinstance(file, str) and f"/{UPLOAD_PREFIX}" in file.replace("\\", "/"):
        return _base_name(file)
    return file


@router.get("/data")
def data_page(ctx: Ctx = Depends(page_context), q: str = Query("", max_length=100),
              indicator: str | None = Query(None), region: str | None = Query(None),
              page: int = Query(1, ge=1)):
    data = data_page_data(ctx, q.strip(), indicator, region, page)
    # The export is the whole filtered table, not the page of 100 on screen.
    tables = {"observations": lambda: observations_table(jsonable(filtered(ctx, q.strip(), indicator, region)),
                                                         ctx.lang)}
    return respond(ctx.request, "data.html", data, lang=ctx.lang, user=ctx.user, page="data",
                   title=t("nav_data", ctx.lang) + " · " + t("app_title", ctx.lang), tables=tables)



def _saved_uploads(uploads, given: list[str], tmp: Path, problems: list, names: dict[str, str]) -> list[Path]:
    """The uploaded files written under `tmp` (their paths), each checked for its kind and size; a refused file
    is a problem (and is not written). `names` maps each saved name to the name the user gave."""
    paths = []
    for i, (u, name) in enumerate(zip(uploads, given)):
        content = u.file.read(MAX_UPLOAD_BYTES + 1)
        if Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
            problems.append(_problem(name, "unsupported_file", f"只接受 CSV 或 XLSX 文件，收到“{name}”",
                                     f"only CSV or XLSX files are accepted, got '{name}'"))
        elif len(content) > MAX_UPLOAD_BYTES:
            problems.append(_problem(name, "file_too_large", "文件超过 20 MB：请拆分后分别上传",
                                     "the file is over 20 MB: split it and upload the parts"))
        else:
            saved = temp_name(name)
            folder = tmp / str(i)  # two files of one name do not overwrite each other
            folder.mkdir()
            (folder / saved).write_bytes(content)
            paths.append(folder / saved)
            names[saved] = name
    return paths

def _problem(name: str, code: str, zh: str, en: str) -> ImportProblem:
    return ImportProblem(file=name, row=None, column=None, value=None, code=code, message_zh=zh, message_en=en)


def _unforeseen(name: str, e: Exception, doc: str) -> ImportProblem:
    """A bug or an input no check foresaw, as one listed problem (never a 500); nothing was written."""
    return _problem(
        name, "import_error",
        f"导入失败（{type(e).__name__}），未写入任何数据：请检查文件格式（{doc}）后重试；仍失败请把文件交给维护人员",
        f"the import failed ({type(e).__name__}) and nothing was written: check the file's format ({doc}) "
        "and try again; if it still fails, give the file to the maintainers")


def display_name(filename: str | None) -> str:
    """The user's file name as problems cite it: no directories (the browser's path means nothing
    here), no control characters, at most 255 characters."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable()).strip() or "upload"
    if len(name) > 255:  # cut the stem, keep the suffix (it decides how the file is read)
        suffix = Path(name).suffix[:16]
        name = name[: 255 - len(suffix)] + suffix
    return name


def temp_name(name: str) -> str:
    """A name that is safe to create in the temporary folder: its suffix kept, the stem cut to
    120 bytes of UTF-8 (file systems allow 255) and never '.' or '..'."""
    suffix = Path(name).suffix.lower()
    stem = name[: len(name) - len(suffix)] if suffix else name
    stem = stem.encode("utf-8")[:120].decode("utf-8", "ignore").strip(". ") or "upload"
    return stem + suffix


def import_upload(ctx: Ctx, upload: UploadFile) -> dict:
    """Import one uploaded file; returns {ok, file, summary} or {ok: False, problems}. Never raises:
    whatever goes wrong is a listed problem."""
    name = display_name(upload.filename)
    suffix = Path(name).suffix.lower()
    problems: list[ImportProblem] = []
    summary = None
    try:
        content = upload.file.read(MAX_UPLOAD_BYTES + 1)
        if suffix not in UPLOAD_SUFFIXES:
            problems.append(_problem(name, "unsupported_file", f"只接受 CSV 或 XLSX 文件，收到“{name}”",
                                     f"only CSV or XLSX files are accepted, got '{name}'"))
        elif len(content) > MAX_UPLOAD_BYTES:
            problems.append(_problem(name, "file_too_large", "文件超过 20 MB：请拆分后分别上传",
                                     "the file is over 20 MB: split it and upload the parts"))
        else:
            # Saved under (a safe form of) its own name, so that the import history shows the
            # user's file; problems are mapped back to the full name below.
            with tempfile.TemporaryDirectory(prefix=UPLOAD_PREFIX) as tmp:
                path = Path(tmp) / temp_name(name)
                path.write_bytes(content)
                try:
                    problems = region_problems(ctx, path, name)
                    if not problems:
                        signed_in = ctx.user.authenticated  # local mode: the store's default actor
                        summary = ctx.state.import_file(path, actor=ctx.user.id if signed_in else None,
                                                        role=ctx.user.role if signed_in else None)
                except ImportFailed as e:
                    problems = [replace(p, file=name) if p.file in (path.name, str(path)) else p for p in e.problems]
                except IngestError as e:  # unreadable file (encoding, damaged workbook, .xls)
                    problems.append(_problem(name, "unreadable_file", e.reason_zh, e.reason_en))
    except Exception as e:  # a bug or an input no check foresaw: a listed problem, never a 500
        log.exception("upload of %r failed", name)
        problems = [_unforeseen(name, e, "docs/data-import.md")]
    if problems:
        audit(ctx.request, "upload_refused", name, rows=len(problems),
              detail={"codes": sorted({p.code for p in problems})})
        return {"ok": False, "file": name, "problems": [
            {"file": p.file, "row": p.row, "column": p.column, "value": p.value, "code": p.code,
             "code_label": labels.label("problem_code", p.code, ctx.lang),
             "message": p.message_en if ctx.lang == "en" else p.message_zh,
             "message_zh": p.message_zh, "message_en": p.message_en} for p in problems]}  # both: the API's
    return {"ok": True, "file": name, "summary": {"batch_id": summary.batch_id, "observations": summary.observations,
                                                 "sources": summary.sources}}


def _canonical(header: str) -> str:
    return unicodedata.normalize("NFKC", str(header)).replace(" ", "").lower()


def region_problems(ctx: Ctx, path: Path, name: str) -> list[ImportProblem]:
    """For a district user: one problem per row whose region is not the user's district (a blank
    region means the whole area, not the district); the file is then refused whole. Nothing for
    city users. A file the reader cannot read is left to the import, which says why."""
    if ctx.user.level == "city":
        return []
    mine = ctx.user.region or ""
    try:
        df = read_table(path)
    except TableReadError:
        return []
    aliases = {_canonical(a) for a in COLUMN_ALIASES["region"]}
    column = next((c for c in df.columns if _canonical(c) in aliases), None)
    zh_region = f"{ctx.region_name(mine) or district_name(mine)}（{mine}）"
    en_region = f"{district_name(mine, 'en')} ({mine})" if district_name(mine, "en") != mine else mine
    if column is None:  # no region column: every row is the whole area's
        return [ImportProblem(file=name, row=None, column=None, value=None, code="region_not_allowed",
                              message_zh=t("upload_no_region_column", "zh").format(region=zh_region),
                              message_en=t("upload_no_region_column", "en").format(region=en_region))]
    names = {v: k for k, v in ctx.state.region_names.items()}
    other = (t("upload_region_refused", "zh").format(region=zh_region),
             t("upload_region_refused", "en").format(region=en_region))
    city = (t("upload_city_refused", "zh").format(region=zh_region),
            t("upload_city_refused", "en").format(region=en_region))
    out = []
    for row, value in zip(df["_row"], df[column]):
        v = (value or "").strip()
        if v != mine and names.get(v) != mine:
            zh, en = city if not v else other  # a blank region is the whole city, not another district
            out.append(ImportProblem(file=name, row=int(row), column=str(column), value=v or None,
                                     code="region_not_allowed", message_zh=zh, message_en=en))
    return out


@router.post("/data/upload")
async def upload(ctx: Ctx = Depends(page_context)):
    if not ctx.user.can_import:  # auth.ROUTE_PERMISSIONS refuses first; kept as a second lock
        raise HTTPException(404, "no such page")
    # Read by hand: a form without a chosen file sends the field as text, which a typed
    # UploadFile parameter would turn into a bare validation error.
    try:
        file = (await ctx.request.form()).get("file")
    except Exception:  # a malformed multipart body
        file = None
    if isinstance(file, StarletteUploadFile):
        result = await run_in_threadpool(import_upload, ctx, file)
    else:  # no file chosen (a form field without a file name arrives as text)
        result = {"ok": False, "file": "", "problems": [
            {"file": "", "row": None, "column": None, "value": None, "code": "no_file",
             "code_label": labels.label("problem_code", "no_file", ctx.lang),
             "message": "No file was chosen: choose a CSV or XLSX file, then upload" if ctx.lang == "en"
             else "没有选择文件：请先选择 CSV 或 XLSX 文件再上传"}]}
    data = await run_in_threadpool(data_page_data, ctx)
    data["upload"] = result
    # A refusal is 422 for programs (the JSON twin); the HTML page that explains it is a normal
    # page (200), so the browser does not report a failed load on top of the problems table.
    refused = not result["ok"] and wants_json(ctx.request)
    return respond(ctx.request, "data.html", data, lang=ctx.lang, user=ctx.user, page="data",
                   title=t("nav_data", ctx.lang) + " · " + t("app_title", ctx.lang),
                   status_code=422 if refused else 200)


# --- issue 12: the chain data upload -----------------------------------------------------------------------
MAX_CHAIN_FILES = 3  # one XLSX, or the three CSVs
SHEET_LABEL = re.compile(r"^(?P<file>.*)\[(?P<sheet>[^\[\]]*)\]$")  # ingest.chains names a sheet's problems file[sheet]


def _chain_problem(p: ImportProblem, names: dict[str, str], lang: str) -> dict:
    """A problem as the table shows it: the user's file name, the sheet apart."""
    m = SHEET_LABEL.match(p.file or "")
    file, sheet = (m["file"], m["sheet"]) if m else (p.file, None)
    file = names.get(_base_name(file) or "", _base_name(file) or "")
    return {"file": file, "sheet": sheet, "row": p.row, "column": p.column, "value": p.value, "code": p.code,
            "code_label": labels.label("problem_code", p.code, lang),
            "message": _user_names(p.message_en if lang == "en" else p.message_zh, names),
            "message_zh": _user_names(p.message_zh, names), "message_en": _user_names(p.message_en, names)}


def _user_names(text: str, names: dict[str, str]) -> str:
    for saved, given in names.items():
        text = text.replace(saved, given)
    return text


def import_chain_upload(ctx: Ctx, uploads: list) -> dict:
    """Import the uploaded chain files (all or nothing); {ok, files, summary} or {ok: False, problems}.
    Never raises: whatever goes wrong is a listed problem."""
    given = [display_name(u.filename) for u in uploads]
    label = ", ".join(given)
    problems: list[ImportProblem] = []
    names: dict[str, str] = {}
    summary = None
    try:
        if not uploads:
            problems.append(_problem("", "no_file", "没有选择文件：请选择一个 XLSX 或三个 CSV 文件再上传",
                                     "no file was chosen: choose one XLSX or three CSV files, then upload"))
        elif len(uploads) > MAX_CHAIN_FILES:
            problems.append(_problem(label, "too_many_files", f"最多上传 {MAX_CHAIN_FILES} 个文件（一个 XLSX 或三个 CSV）",
                                     f"at most {MAX_CHAIN_FILES} files (one XLSX or three CSVs)"))
        with tempfile.TemporaryDirectory(prefix=UPLOAD_PREFIX) as tmp:
            paths = [] if problems else _saved_uploads(uploads, given, Path(tmp), problems, names)
            if not problems:
                signed_in = ctx.user.authenticated
                with ctx.state._import_lock:  # uploads one at a time (WebState.import_file's lock)
                    try:
                        summary = api.import_chain_data(paths, plan=ctx.plan, db=ctx.state.db,
                                                        actor=ctx.user.id if signed_in else None,
                                                        role=ctx.user.role if signed_in else None)
                    finally:
                        ctx.state.invalidate()  # the chain pages and warnings read the new batch
    except ImportFailed as e:
        problems = list(e.problems)
    except StoreBusy as e:
        problems = [_problem(label, "store_busy", e.message_zh, e.message_en)]
    except IngestError as e:
        problems = [_problem(label, "unreadable_file", e.reason_zh, e.reason_en)]
    except UserError as e:  # a plan without chain maps
        problems = [_problem(label, "no_chains", e.reason_zh, e.reason_en)]
    except Exception as e:  # a bug or an input no check foresaw: a listed problem, never a 500
        log.exception("chain upload of %r failed", label)
        problems = [_unforeseen(label, e, "docs/data-import.md §Chain data")]
    if problems:
        audit(ctx.request, "upload_refused", label, rows=len(problems),
              detail={"kind": "chains", "codes": sorted({p.code for p in problems})})
        return {"ok": False, "files": given, "problems": [_chain_problem(p, names, ctx.lang) for p in problems]}
    counts = {k: summary.get(k) for k in ("enterprises", "members", "supply")}
    return {"ok": True, "files": given, "batch_id": summary["batch_id"], "counts": counts,
            "counts_text": t("chain_upload_counts", ctx.lang).format(**counts)}


# a district user sees the data page: the chain upload refused says why (403), not "no such page"
register_refusal_reason("POST", "/data/chains/upload", *labels.UI["chain_upload_refused"])


@router.post("/data/chains/upload")
async def chain_upload(ctx: Ctx = Depends(page_context)):
    return await _city_upload(ctx, "chain_upload", import_chain_upload, labels.UI["chain_upload_refused"])


async def _city_upload(ctx: Ctx, what: str, importer, refused_reason: tuple[str, str]) -> object:
    """A city-level upload (`what`: chain_upload | enterprise_upload): the files of the form through
    `importer`, then the data page with its result (422 for a refused import asked as JSON); other roles
    get 403 with `refused_reason` (zh, en)."""
    if not ctx.user.can("import_city"):  # auth.authorize refuses first; kept as a second lock
        raise Refused(403, *refused_reason, lang=ctx.lang)
    try:
        form = await ctx.request.form()
        files = [f for f in form.getlist("files") if isinstance(f, StarletteUploadFile) and f.filename]
    except Exception:  # a malformed multipart body
        files = []
    result = await run_in_threadpool(importer, ctx, files)
    data = await run_in_threadpool(data_page_data, ctx)
    data[what] = result
    refused = not result["ok"] and wants_json(ctx.request)
    return respond(ctx.request, "data.html", data, lang=ctx.lang, user=ctx.user, page="data",
                   title=t("nav_data", ctx.lang) + " · " + t("app_title", ctx.lang),
                   status_code=422 if refused else 200)


# --- issue 13: the enterprise data upload (as zhizao enterprise import; city-level data) --------------------
MAX_ENTERPRISE_FILES = 6  # one XLSX, or one CSV per frame


def import_enterprise_upload(ctx: Ctx, uploads: list) -> dict:
    """Import the uploaded enterprise files (all or nothing); {ok, files, batch_id, rows} or {ok: False,
    problems}. Never raises: whatever goes wrong is a listed problem."""
    given = [display_name(u.filename) for u in uploads]
    label = ", ".join(given)
    problems: list[ImportProblem] = []
    names: dict[str, str] = {}
    summary = None
    try:
        if not uploads:
            problems.append(_problem("", "no_file", "没有选择文件：请选择一个 XLSX 或若干 CSV 文件再上传",
                                     "no file was chosen: choose one XLSX or the CSV files, then upload"))
        elif len(uploads) > MAX_ENTERPRISE_FILES:
            problems.append(_problem(label, "too_many_files",
                                     f"最多上传 {MAX_ENTERPRISE_FILES} 个文件（一个 XLSX 或每类数据一个 CSV）",
                                     f"at most {MAX_ENTERPRISE_FILES} files (one XLSX or one CSV per kind of data)"))
        with tempfile.TemporaryDirectory(prefix=UPLOAD_PREFIX) as tmp:
            paths = [] if problems else _saved_uploads(uploads, given, Path(tmp), problems, names)
            if not problems:
                signed_in = ctx.user.authenticated
                with ctx.state._import_lock:  # uploads one at a time (WebState.import_file's lock)
                    try:
                        summary = ent_pages.ent_api.import_enterprise_data(
                            paths, plan=ctx.plan, db=ctx.state.db, actor=ctx.user.id if signed_in else None,
                            role=ctx.user.role if signed_in else None, ip=ctx.request.client.host if ctx.request.client else None)
                    finally:
                        ctx.state.invalidate()  # the enterprise pages and warnings read the new batch
    except ImportFailed as e:
        problems = list(e.problems)
    except StoreBusy as e:
        problems = [_problem(label, "store_busy", e.message_zh, e.message_en)]
    except IngestError as e:
        problems = [_problem(label, "unreadable_file", e.reason_zh, e.reason_en)]
    except UserError as e:
        problems = [_problem(label, "import_error", e.reason_zh, e.reason_en)]
    except Exception as e:  # a bug or an input no check foresaw: a listed problem, never a 500
        log.exception("enterprise upload of %r failed", label)
        problems = [_unforeseen(label, e, "docs/data-import.md")]
    if problems:
        audit(ctx.request, "upload_refused", label, rows=len(problems),
              detail={"kind": "enterprises", "codes": sorted({p.code for p in problems})})
        return {"ok": False, "files": given, "problems": [_chain_problem(p, names, ctx.lang) for p in problems]}
    rows = summary.get("rows") if isinstance(summary.get("rows"), dict) else \
        {k: summary[k] for k in ("registry", "tags", "annual", "srdi", "parks", "green") if k in summary}
    sep = ", " if ctx.lang == "en" else "、"
    return {"ok": True, "files": given, "batch_id": summary.get("batch_id"), "rows": rows,
            "rows_text": sep.join(t("ent_upload_rows", ctx.lang).format(name=t(f"ent_frame_{k}", ctx.lang), n=n)
                                  for k, n in rows.items() if f"ent_frame_{k}" in labels.UI)}


# a district user sees the data page: the enterprise upload refused says why (403), not "no such page"
register_refusal_reason("POST", ent_pages.UPLOAD, *labels.UI["ent_upload_refused"])


@router.post(ent_pages.UPLOAD)
async def enterprise_upload(ctx: Ctx = Depends(page_context)):
    return await _city_upload(ctx, "enterprise_upload", import_enterprise_upload, labels.UI["ent_upload_refused"])



# issue 14: whether the delivery upload form is shown; pages/delivery.py (which imports this module) sets it
delivery_offered = lambda ctx: False  # noqa: E731
