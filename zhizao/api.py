"""The Python API: what the CLI does, returning data frames and dicts for notebooks.

    import zhizao.api as zz
    plan = zz.load_plan()                     # the embedded Chongqing plan
    result = zz.assess(year=2024)             # dict, as `zhizao assess --format json`
    zz.scorecard(result)                      # one row per indicator (pandas)
    zz.observations()                         # every stored value with its source
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from zhizao.analytics.assessment import assess_plan
from zhizao.analytics.progress import target_display
from zhizao.errors import UserError
from zhizao.plan.lint import findings_frame, lint_plan
from zhizao.plan.load import load_plan
from zhizao.settings import Settings
from zhizao.store.importing import BUNDLED, ImportSummary, bundled_links_name, import_file, load_bundled
from zhizao.store.store import Store

__all__ = [
    "load_plan", "open_store", "assess", "scorecard", "observations", "sources", "lint",
    "import_data", "withdraw", "batches", "Settings",
]

BUNDLED_PLAN_ID = "chongqing-manufacturing-2021-2025"


def open_store(db: str | Path | None = None, plan=None, *, bundled: bool = True) -> Store:
    """Open (or create) the store; a new store for the embedded plan gets the bundled real data."""
    store = Store(db)
    plan = plan or load_plan()
    if bundled and store.is_empty() and bundled_links_name(plan.plan.id):  # an embedded plan's id
        load_bundled(store, plan)
    return store


def _as_date(as_of: str | date | None) -> date | None:
    """A date from YYYY-MM-DD (also YYYY/MM/DD, YYYY.MM.DD, YYYYMMDD); UserError otherwise."""
    if as_of is None or isinstance(as_of, date):
        return as_of
    text = str(as_of).strip()
    m = re.fullmatch(r"(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})", text)
    try:
        return date(int(m[1]), int(m[2]), int(m[3])) if m else date.fromisoformat(text)
    except ValueError:
        raise UserError(f"日期“{text[:40]}”无效：请写成 YYYY-MM-DD，如 2024-06-30",
                        f"invalid date '{text[:40]}': write it as YYYY-MM-DD, e.g. 2024-06-30") from None


def assess(
    plan=None,
    *,
    year: int | None = None,
    as_of: str | date | None = None,
    db: str | Path | None = None,
    store: Store | None = None,
    lang: str = "zh",
    settings: Mapping[str, Any] | Settings | None = None,
) -> dict:
    """Assess every indicator of `plan` (a Plan, a path, or None for the embedded plan)."""
    plan = plan if plan is not None and not isinstance(plan, (str, Path)) else load_plan(plan)
    own = store is None
    store = store or open_store(db, plan)
    try:
        when = _as_date(as_of)
        obs = store.observations(as_of=when, include_nonfinite=True)  # the assessment notes and drops them
        links = store.links(plan.plan.id)
    finally:
        if own:
            store.close()
    settings = settings if isinstance(settings, Settings) else Settings(settings)
    return assess_plan(plan, obs, links, year=year, settings=settings, lang=lang,
                       as_of=when.isoformat() if when else None)


SCORECARD_COLUMNS = [
    "id", "name", "category_name", "nature_label", "unit", "baseline", "target", "data_year", "actual",
    "qualifier", "planned", "completion", "time_elapsed", "growth_ratio", "planned_growth",
    "required_growth", "projected", "status", "status_label", "status_definite", "binding_alert", "reason",
]


def scorecard(result: dict) -> pd.DataFrame:
    """One row per indicator: the assessment as a table."""
    rows = []
    for i in result["indicators"]:
        rows.append({
            **{k: i.get(k) for k in SCORECARD_COLUMNS},
            "baseline": i["baseline"]["value"],
            "target": target_display(i["target"], result.get("lang", "zh")),
        })
    return pd.DataFrame(rows, columns=SCORECARD_COLUMNS)


def observations(db: str | Path | None = None, *, as_of: str | date | None = None,
                 series: list[str] | None = None, include_withdrawn: bool = False) -> pd.DataFrame:
    """Stored values that count; `include_withdrawn` adds withdrawn batches' rows with their withdrawal."""
    with open_store(db) as store:
        return store.observations(as_of=_as_date(as_of), series=series, include_withdrawn=include_withdrawn)


def batches(db: str | Path | None = None) -> pd.DataFrame:
    """Every import batch with its withdrawal (when, by whom, why) if it was withdrawn."""
    with open_store(db) as store:
        return store.batches()


class WithdrawRefused(Exception):
    """A withdrawal that cannot be made; the store is unchanged."""

    def __init__(self, message_zh: str, message_en: str):
        self.message_zh, self.message_en = message_zh, message_en
        super().__init__(message_en)


def withdraw(batch_id: str, reason: str | None = None, *, db: str | Path | None = None,
             by: str | None = None) -> dict:
    """Withdraw an import batch: recorded (when, by whom, why), never deleted; its values and links
    stop counting everywhere. The bundled batch cannot be withdrawn (start a new store instead)."""
    if by is None:
        import getpass
        try:
            by = getpass.getuser()
        except Exception:  # no user name in some containers: the record still has when and why
            by = None
    with open_store(db) as store:
        info = store.batch(batch_id)
        if info is None:
            raise WithdrawRefused(
                f"数据库中没有批次“{batch_id[:80]}”；用 zhizao data batches 查看批次号",
                f"no batch '{batch_id[:80]}' in the store; see the batch ids with zhizao data batches")
        if info["kind"] == "bundled":
            raise WithdrawRefused(
                "内置数据批次不能撤回；如需不含内置数据的数据库，请用 --db 新建一个并只导入自己的文件",
                "the bundled batch cannot be withdrawn; for a store without it, create a new one with --db "
                "and import your own files")
        if pd.notna(info.get("withdrawn_at")):
            raise WithdrawRefused(
                f"批次 {batch_id} 已于 {info['withdrawn_at']:%Y-%m-%d %H:%M} 撤回",
                f"batch {batch_id} was already withdrawn on {info['withdrawn_at']:%Y-%m-%d %H:%M}")
        return store.withdraw(batch_id, reason=reason, by=by)


def sources(db: str | Path | None = None) -> pd.DataFrame:
    with open_store(db) as store:
        return store.sources()


def lint(plan=None, lang: str = "zh") -> pd.DataFrame:
    plan = plan if plan is not None and not isinstance(plan, (str, Path)) else load_plan(plan)
    findings = lint_plan(plan)
    if bundled_links_name(plan.plan.id):
        from zhizao.plan.lint import Finding
        from zhizao.store.importing import bundled_mismatches

        for p in bundled_mismatches(plan):  # the bundled data is loaded into stores of this plan id
            findings.append(Finding(
                str(p.value), "bundled_links_match", "warning",
                f"内置数据 {p.message_zh}：该关联不会载入；请保留内置指标编号，或给规划另起 plan.id",
                f"bundled data {p.message_en}: that link is not loaded; keep the bundled indicator ids "
                "or give the plan its own plan.id"))
    return findings_frame(findings, lang)


def import_data(path: str | Path, *, plan=None, db: str | Path | None = None, progress=None) -> ImportSummary:
    """Import a CSV/XLSX (long format) or a links YAML; all or nothing (raises ImportFailed).
    `progress(stage, rows)` is called as each stage starts: read, validate, check, write."""
    plan = plan if plan is not None and not isinstance(plan, (str, Path)) else load_plan(plan)
    with open_store(db, plan) as store:
        return import_file(store, path, plan, progress=progress)
