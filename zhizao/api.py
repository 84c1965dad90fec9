"""The Python API: what the CLI does, returning data frames and dicts for notebooks.

    import zhizao.api as zz
    plan = zz.load_plan()                     # the embedded default plan
    plan = zz.resolve_plan("x.yaml", db=...)  # a file or an id; remembered by the store (zz.plans())
    result = zz.assess(year=2024)             # dict, as `zhizao assess --format json`
    zz.scorecard(result)                      # one row per indicator (pandas)
    zz.observations()                         # every stored value with its source
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from zhizao.analytics.assessment import assess_plan
from zhizao.analytics.chains.data import ChainData
from zhizao.analytics.monitoring.published import PublishedData, from_observations
from zhizao.analytics.next_plan import draft
from zhizao.analytics.progress import target_display
from zhizao.errors import UserError
from zhizao.plan.lint import Finding, findings_frame, lint_plan
from zhizao.plan.load import PlanError, embedded_plans, load_plan, parse_plan
from zhizao.plan.spec import Plan
from zhizao.settings import Settings
from zhizao.ingest.chains import read_chain_files
from zhizao.store.importing import ImportFailed, ImportSummary, bundled_links_name, bundled_mismatches, import_file
from zhizao.store import backup as _archive, postgres
from zhizao.store.store import Store, as_db, system_user
from zhizao.synth import chains as synth_chains

from zhizao.api_plans import (BUNDLED_PLAN_ID, PLAN_ENV, UnknownPlan, _default_id,  # noqa: F401 - re-exported
                               _store_if_exists, known_plan_ids, open_store, plan_and_record, resolve_plan)

_chain_plan = plan_and_record

__all__ = [
    "load_plan", "resolve_plan", "plans", "open_store", "assess", "scorecard", "observations", "sources", "lint",
    "import_data", "withdraw", "batches", "Settings", "draft_plan", "published_monitoring",
    "backup", "restore", "store_status", "upgrade_store", "audit_log", "chain_data", "import_chain_data", "Scenario",
]

def plans(db: str | Path | None = None) -> pd.DataFrame:
    """Every plan zhizao knows here: the embedded ones and those registered in the store, with
    whether the store holds them (registered, or links naming them)."""
    store = _store_if_exists(db)
    registered = pd.DataFrame(columns=["plan_id", "kind", "source", "registered_at"])
    linked: list[str] = []
    texts: dict[str, str] = {}
    if store is not None:
        with store:
            registered = store.plans()
            linked = store.linked_plan_ids()
            texts = {i: store.plan_text(i) for i in registered["plan_id"]}
    reg = {r["plan_id"]: r for r in registered.to_dict(orient="records")}
    default_id = _default_id(list(reg), linked)  # as resolve_plan(None)
    rows = []

    def row(plan_id: str, kind: str, source: str, obj: Plan | None, note: str | None = None) -> dict:
        r = reg.get(plan_id)
        return {
            "id": plan_id, "title": obj.plan.title if obj else (r or {}).get("title"),
            "period": f"{obj.plan.base_year}–{obj.plan.target_year}" if obj else None,
            "kind": kind, "source": source, "default": plan_id == default_id,
            "registered_at": r["registered_at"] if r else None,
            "indicators": len(obj.indicators) if obj else None,
            "in_store": r is not None or plan_id in linked, "note": note,
        }

    for path in embedded_plans():
        r = reg.get(path.stem)
        if r is not None and r["kind"] == "file":
            continue  # a file plan that took an embedded plan's id: listed below, as the store knows it
        try:
            obj, note = load_plan(path.stem), None
        except PlanError as e:
            obj, note = None, str(e.problems[0])
        rows.append(row(path.stem, "embedded", path.stem, obj, note))
    for plan_id, r in reg.items():
        if r["kind"] == "embedded":
            continue
        try:
            obj, note = parse_plan(texts[plan_id], plan_id), None
        except PlanError as e:
            obj, note = None, str(e.problems[0])
        rows.append(row(plan_id, "file", r["source"], obj, note))
    for plan_id in linked:
        if not any(x["id"] == plan_id for x in rows):
            rows.append(row(plan_id, "unknown", "", None,
                            "数据库有该规划的关联但未登记其文件：用 --plan 文件路径 指定一次 / links name this plan "
                            "but its file is not registered: name it once with --plan PATH"))
    return pd.DataFrame(rows)


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
    """Assess every indicator of `plan` (a Plan, a path, an id, or None: see `resolve_plan`)."""
    if store is None:
        plan = resolve_plan(plan, db)
    elif not isinstance(plan, Plan):  # the caller's store: ids are looked up there, nothing registered
        plan = resolve_plan(plan, getattr(store, "path", None), register=False)
    own = store is None
    store = store or open_store(db, plan)
    settings = settings if isinstance(settings, Settings) else Settings(settings)
    try:
        when = _as_date(as_of)
        # non-finite values too: the assessment notes and drops them; the settings carry the assumed
        # release dates that --as-of uses
        obs = store.observations(as_of=when, include_nonfinite=True, settings=settings)
        links = store.links(plan.plan.id)
    finally:
        if own:
            store.close()
    obs, links = _with_enterprise_data(plan, obs, links, db if own else getattr(store, "path", db), when, settings)
    obs, links = _with_project_counts(plan, obs, links, db if own else getattr(store, "path", db), when)
    return assess_plan(plan, obs, links, year=year, settings=settings, lang=lang,
                       as_of=when.isoformat() if when else None)


def _with_enterprise_data(plan: Plan, obs: pd.DataFrame, links: pd.DataFrame, db, when: date | None,
                          settings: Settings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The store's values plus what imported enterprise data give the plan's indicators (never synthetic
    data): the registry's counts for indicators with a registry_count, the green table's cumulative
    intensity change for energy/water intensity indicators; in an as-of view, only those known by then."""
    if not (any(i.registry_count is not None for i in plan.indicators) or green_concepts(plan)):
        return obs, links  # nothing to add: the enterprise data are not even read
    ent_obs, ent_links = enterprise_assessment_inputs(plan, db, settings=settings)
    if ent_obs.empty:
        return obs, links
    if when is not None:
        ent_obs = ent_obs[pd.to_datetime(ent_obs["known_since"]).dt.date <= when]
    return (pd.concat([obs, ent_obs.reindex(columns=obs.columns)], ignore_index=True),
            pd.concat([links, ent_links.reindex(columns=links.columns)], ignore_index=True))


def _with_project_counts(plan: Plan, obs: pd.DataFrame, links: pd.DataFrame, db, when: date | None
                         ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The store's values plus the stored project register's counts for indicators with a project_count
    (never synthetic projects); in an as-of view, only stages reached by then."""
    if not any(i.project_count is not None for i in plan.indicators):
        return obs, links  # nothing to add: the project register is not even read
    p_obs, p_links = project_assessment_inputs(plan, db, as_of=when)
    if p_obs.empty:
        return obs, links
    return (pd.concat([obs, p_obs.reindex(columns=obs.columns)], ignore_index=True),
            pd.concat([links, p_links.reindex(columns=links.columns)], ignore_index=True))


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
                 series: list[str] | None = None, include_withdrawn: bool = False, plan=None) -> pd.DataFrame:
    """Stored values that count; `include_withdrawn` adds withdrawn batches' rows with their withdrawal.
    With `plan` (a Plan, path or id), the series that only other plans use are left out."""
    when = _as_date(as_of)
    if plan is not None:
        plan = resolve_plan(plan, db, register=False)
    with open_store(db, plan) as store:
        obs = store.observations(as_of=when, series=series, include_withdrawn=include_withdrawn)
        if plan is not None:
            obs = obs[~obs["series"].isin(other_plans_series(store, plan))].reset_index(drop=True)
        return obs


def plan_series(plan: Plan, links: pd.DataFrame) -> set[str]:
    """The series a plan's indicators read: their own ids and every series its links name."""
    return {i.id for i in plan.indicators} | _link_series(links)


def _link_series(links: pd.DataFrame) -> set[str]:
    return {x for col in ("series", "numerator", "denominator") if col in links for x in links[col].dropna()}


@lru_cache(maxsize=32)
def _indicator_ids(text: str) -> frozenset[str]:
    try:
        return frozenset(i.id for i in parse_plan(text).indicators)
    except PlanError:
        return frozenset()


def other_plans_series(store: Store, plan: Plan) -> set[str]:
    """Series that other plans of the store use (their links, their indicator ids) and `plan` does
    not: one plan's pages and reports leave them out. Values no plan names stay visible to all."""
    links = store.links()
    mine = plan_series(plan, links[links["plan_id"].isna() | (links["plan_id"] == plan.plan.id)])
    others = _link_series(links[links["plan_id"].notna() & (links["plan_id"] != plan.plan.id)])
    for plan_id in store.plans()["plan_id"]:
        if plan_id != plan.plan.id:
            others |= _indicator_ids(store.plan_text(plan_id))
    return others - mine


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
             by: str | None = None, role: str | None = None, ip: str | None = None) -> dict:
    """Withdraw an import batch: recorded (when, by whom — with the account's role and client address
    when a server withdraws it — and why), never deleted; its values and links stop counting
    everywhere. The bundled batch cannot be withdrawn (start a new store instead)."""
    if by is None:
        try:
            by = system_user()  # the uid's name, not $LOGNAME; the audit row adds the sudo user
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
        out = store.withdraw(batch_id, reason=reason, by=by, role=role, ip=ip)
        if out.get("kind") in ("delivery", "delivery_edit"):  # what it held, for the message
            out["frames"] = store.delivery_batch_rows(batch_id)
        return out


def sources(db: str | Path | None = None) -> pd.DataFrame:
    with open_store(db) as store:
        return store.sources()


def lint(plan=None, lang: str = "zh", *, db: str | Path | None = None) -> pd.DataFrame:
    plan = resolve_plan(plan, db, register=False)
    findings = lint_plan(plan)
    if bundled_links_name(plan.plan.id):
        for p in bundled_mismatches(plan):  # the bundled data is loaded into stores of this plan id
            findings.append(Finding(
                str(p.value), "bundled_links_match", "warning",
                f"内置数据 {p.message_zh}：该关联不会载入；请保留内置指标编号，或给规划另起 plan.id",
                f"bundled data {p.message_en}: that link is not loaded; keep the bundled indicator ids "
                "or give the plan its own plan.id"))
    return findings_frame(findings, lang)


def import_data(path: str | Path, *, plan=None, db: str | Path | None = None, progress=None,
                actor: str | None = None, role: str | None = None) -> ImportSummary:
    """Import a CSV/XLSX (long format) or a links YAML; all or nothing (raises ImportFailed).
    `progress(stage, rows)` is called as each stage starts: read, validate, check, write.
    Links are recorded for `plan` (see `resolve_plan`); values are shared by every plan.
    `actor`/`role`: who imports, for the audit log (default cli:<system user>)."""
    plan = resolve_plan(plan, db)
    with open_store(db, plan) as store:
        return import_file(store, path, plan, progress=progress, actor=actor, role=role)


def in_force_plan(plan: Plan, db: str | Path | None = None) -> Plan | None:
    """The plan in force after `plan` ends: an embedded or registered plan for the same region whose
    period covers the year after `plan`'s target year (the latest issued first); None if there is none."""
    whole = plan.regions.whole_code if plan.regions else None
    if whole is None:
        return None
    found = []
    for plan_id in known_plan_ids(db):
        if plan_id == plan.plan.id:
            continue
        try:
            other = resolve_plan(plan_id, db, register=False)
        except (UserError, PlanError):
            continue
        if (other.regions and other.regions.whole_code == whole
                and other.plan.base_year <= plan.plan.target_year < other.plan.target_year):
            found.append(other)
    found.sort(key=lambda p: (p.plan.issued or date.min, p.plan.target_year), reverse=True)
    return found[0] if found else None


def draft_plan(plan=None, *, to_year: int = 2030, db: str | Path | None = None, in_force=None, lang: str = "zh",
               base_year: int | None = None) -> tuple[str, pd.DataFrame]:
    """Reference values for the plan after `plan` (docs/methodology.md §Reference values for the next
    plan): the plan-file skeleton (YAML) and one row per indicator (zhizao.analytics.next_plan.COLUMNS). `in_force`: the plan in
    force (id, path or Plan), default the one found by `in_force_plan`; `base_year`: default the
    latest complete calendar year."""
    plan = resolve_plan(plan, db, register=False)
    if base_year is None:
        base_year = date.today().year - 1
    if not isinstance(to_year, int) or not base_year < to_year <= base_year + 20:
        raise UserError(f"目标年 --to {to_year} 须在基期年{base_year}之后、至多20年（如 {base_year + 5}）",
                        f"--to {to_year} must be after the base year {base_year} and at most 20 years later "
                        f"(e.g. {base_year + 5})")
    other = in_force_plan(plan, db) if in_force is None else resolve_plan(in_force, db, register=False)
    if other is not None and other.plan.id == plan.plan.id:
        raise UserError("--in-force 不能与 --from 为同一规划", "--in-force must be another plan than --from")
    result = assess(plan, year=base_year, db=db, lang=lang)
    return draft(plan, result, to_year=to_year, base_year=base_year, in_force=other, lang=lang)


def published_monitoring(db: str | Path | None = None, plan=None) -> PublishedData:
    """The published monthly growth rows of the store at `db` for monitoring
    (zhizao.analytics.monitoring.published): the default store, or the one opened for `plan` (a Plan);
    a new store gets the bundled data. The store is read here, so the analytics stay free of I/O."""
    with open_store(db, plan) as store:
        return from_observations(store.observations(), store.location)


# --- administration of the store (docs/storage.md) ------------------------------------------------
def backup(db: str | Path | None = None, out: str | Path = "zhizao-backup.zip", *, progress=None) -> dict:
    """Back up the store at `db` into the archive `out` (zip of Parquet + manifest); returns the manifest.
    `progress(table, rows)` is called as each table is written."""
    return _archive.backup(db, out, progress=progress)


def restore(db: str | Path | None, archive: str | Path, *, force: bool = False, progress=None,
            actor: str | None = None) -> dict:
    """Restore `archive` into the store at `db` (empty, or replaced with `force`), across backends too;
    raises UserError (BackupError) for a damaged or newer archive or a store that is not empty."""
    return _archive.restore(db, archive, force=force, progress=progress, actor=actor)


def store_status(db: str | Path | None = None) -> dict:
    """Backend, location (without password), schema revision and the latest one, generation, rows per table."""
    db = as_db(db)
    head = postgres.latest_revision()
    info: dict[str, Any] = {"backend": "postgresql" if isinstance(db, str) else "duckdb",
                            "location": postgres.redact(db), "head": head, "counts": {}}
    if isinstance(db, str):
        revision = postgres.current_revision(db)
        # newer: a newer zhizao migrated it (postgres.NewerSchema says what to do)
        info.update(revision=revision, up_to_date=revision == head, newer=postgres.is_newer(revision))
        if revision is not None:
            with Store(db, read_only=True) as store:
                info["generation"] = store.generation
                info["counts"] = {**store.counts(), "audit": len(store.audit_log())}
            info["counts"].update(postgres.account_counts(db))
        return info
    if not (str(db) == ":memory:" or db.is_file()):
        info.update(revision=None, up_to_date=False)
        return info
    with Store(db, read_only=True) as store:
        current = (store._has_basis and store._withdrawals and store._has_audit() and store._has_plans()
                   and store._has_table("dl_projects"))  # the newest tables (0005): an older file lacks them
        info.update(revision=head if current else "older", up_to_date=bool(current))
        info["counts"] = {**store.counts(), **({"audit": len(store.audit_log())} if current else {})}
    return info


def upgrade_store(db: str | Path | None = None) -> dict:
    """Bring the store's schema to the latest revision (PostgreSQL: Alembic; DuckDB: opening it for
    writing adds what an older file lacks); returns store_status."""
    db = as_db(db)
    if isinstance(db, str):
        postgres.upgrade(db)
    else:
        Store(db).close()
    return store_status(db)


def audit_log(db: str | Path | None = None, *, limit: int | None = None, actor: str | None = None,
              action: str | None = None, since=None) -> pd.DataFrame:
    """The audit log of the store at `db`, newest first (see Store.audit_log)."""
    with Store(db) as store:
        return store.audit_log(limit=limit, actor=actor, action=action, since=since)


# chain data
NO_CHAINS_ZH = "本规划未列产业链图谱"
NO_CHAINS_EN = "this plan has no chain maps"
CHAIN_FILE_SEPARATOR = " | "  # between the files of one chain import in batches.file


def chain_data(db: str | Path | None = None, plan=None) -> ChainData:
    """The plan's chain data: its active chain batch in the store (the latest import not withdrawn),
    else the synthetic default (labelled), else — for a plan without chains — an empty ChainData."""
    plan = resolve_plan(plan, db, register=False)
    if not plan.chains:
        return ChainData.empty(f"{NO_CHAINS_ZH} / {NO_CHAINS_EN}")
    store = _store_if_exists(db)  # a read: no store is created for it
    if store is not None:
        with store:
            info = store.chain_batch(plan.plan.id)
            frames = store.chain_frames(info["batch_id"]) if info else None
        if info:
            return ChainData(frames["chain_enterprises"], frames["chain_members"], frames["chain_supply"],
                             synthetic=False, source=_file_names(info["file"]) or info["batch_id"],
                             batch_id=info["batch_id"], as_of=_display_date(info["imported_at"]))
    return _synthetic_chain_data(plan)


def _display_date(when) -> str:
    """A stored UTC time's date in the display time zone (the day 北京时间 the batch list shows)."""
    from zhizao.settings import display_time_zone  # noqa: PLC0415 - settings' function, this block's only use

    t = pd.Timestamp(when)
    t = t.tz_localize("UTC") if t.tzinfo is None else t
    return t.tz_convert(display_time_zone()[0]).date().isoformat()


def _file_names(files: str | None) -> str:
    """The imported file names without their folders (a batch of three CSVs names all three)."""
    return ", ".join(Path(f).name for f in str(files or "").split(CHAIN_FILE_SEPARATOR) if f)


def _synthetic_chain_data(plan: Plan) -> ChainData:
    return synth_chains.default_chain_data(plan)


def import_chain_data(paths, *, plan=None, db: str | Path | None = None, actor: str | None = None,
                      role: str | None = None, ip: str | None = None, progress=None) -> dict:
    """Import chain data — one XLSX with three sheets, or three CSV files — for `plan`; all or nothing
    (ImportFailed lists every problem). The new batch becomes the plan's active chain data; older
    batches stay. `progress(stage, rows)` is called as each stage starts: read, validate, write.
    Returns the batch id, the plan id, the file(s) and the rows of each table. A plan named by path or
    embedded id is registered in the store in the import's own transaction (its id works afterwards, as
    after `zhizao data import`); a refused import registers nothing."""
    plan, plan_row = _chain_plan(plan, db)
    if not plan.chains:
        raise UserError(f"{NO_CHAINS_ZH}（{plan.plan.id}），无法导入产业链数据；请选用列有产业链图谱的规划（--plan）",
                        f"{NO_CHAINS_EN} ({plan.plan.id}), so chain data cannot be imported; choose a plan "
                        "with chain maps (--plan)")
    paths = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    frames, problems, sha = read_chain_files(paths, plan, progress=progress)
    if problems:
        raise ImportFailed(problems)
    step = progress or (lambda stage, rows: None)
    rows = sum(len(f) for f in frames.values())
    step("write", rows)
    file = CHAIN_FILE_SEPARATOR.join(str(p) for p in paths)
    note = (f"产业链数据 / chain data ({plan.plan.id}): " + ", ".join(
        f"{t.removeprefix('chain_')} {len(f)}" for t, f in frames.items()))
    with open_store(db, plan) as store:
        batch_id = store.commit_chain(plan.plan.id, frames, file=file, sha256=sha, note=note,
                                      actor=actor, role=role, ip=ip, register=plan_row)
    return {"batch_id": batch_id, "plan_id": plan.plan.id, "file": file,
            **{t.removeprefix("chain_"): len(f) for t, f in frames.items()}}


# chains: analyses
from zhizao.analytics import chains as _chain_analytics  # noqa: E402 - this block's own import, kept with it
Scenario = _chain_analytics.Scenario  # for chain_whatif: zz.chain_whatif([zz.Scenario("境外", regions=("abroad",))])
# Each frame carries where its data came from in `attrs`: synthetic (bool: True → the synthetic default,
# 合成数据（演示用）), source (in words), as_of and batch_id — a DataFrame's attrs, not a column, so the
# tables stay as the analytics define them (the CLI adds an `origin` column to its JSON/CSV).
def _chain_context(plan, db, settings=None):
    """(plan, chain data, settings) for the chain analyses."""
    plan = resolve_plan(plan, db, register=False)
    data = chain_data(db=db, plan=plan)
    return plan, data, settings if settings is not None else Settings()


def _stamped(df: pd.DataFrame, data) -> pd.DataFrame:
    df.attrs.update(synthetic=bool(data.synthetic), source=data.source, as_of=data.as_of, batch_id=data.batch_id)
    return df


def chain_source_words(data_or_attrs, lang: str = "zh") -> tuple[str, str]:
    """(source, note) of chain data (a ChainData or a frame's attrs) in the reader's language: for the
    synthetic default the generator and seed, and its calibration note (zhizao.synth.chains writes
    合成数据（演示用）：GENERATOR, seed N[；说明 / note]); for imported data the file names and ""."""
    a = data_or_attrs if isinstance(data_or_attrs, dict) else vars(data_or_attrs)
    source = str(a.get("source") or "")
    if not a.get("synthetic"):
        return source, ""
    text = source.removeprefix("合成数据（演示用）").lstrip("：: ")
    head, _, note = text.partition("；")
    zh, sep, en = note.partition(" / ")
    return head.strip(), (en if lang == "en" and sep else zh).strip()


def _first(values, n: int = 8, sep: str = "、") -> str:
    values = [str(v) for v in values]
    return sep.join(values[:n]) + ("…" if len(values) > n else "")


def chain_id(plan: Plan, chain: str) -> str:
    """The id of the plan's chain named by id or by its (Chinese or English) name; UserError naming the
    chains otherwise, or saying the plan has none."""
    if not plan.chains:
        raise UserError("本规划未列产业链图谱：没有可选的产业链", "this plan has no chain maps: there is no chain to name")
    text = str(chain).strip()
    for c in plan.chains:
        if text in (c.id, c.name, c.name_en):
            return c.id
    ids = [c.id for c in plan.chains]
    raise UserError(f"没有产业链“{text[:40]}”：可取 {_first(ids)}（zhizao chain list 列出全部）",
                    f"no chain '{text[:40]}': use one of {_first(ids, sep=', ')} (zhizao chain list shows them all)")


def chains(plan=None, db: str | Path | None = None, *, settings: Settings | None = None) -> pd.DataFrame:
    """One row per chain of the plan (`zhizao chain list`): chain, name, name_en, cluster, links, missing, weak,
    local_share, region_share (fractions 0–1), high_risk_links, enterprises, leaders, leader_names. Empty (with these
    columns) for a plan without chains. attrs: synthetic, source, as_of, batch_id."""
    plan, data, s = _chain_context(plan, db, settings)
    summary = _chain_analytics.chain_summary(plan, data, s)
    names = pd.DataFrame([{"chain": c.id, "name": c.name, "name_en": c.name_en, "cluster": c.cluster}
                          for c in plan.chains], columns=["chain", "name", "name_en", "cluster"])
    out = _merge_new(names, summary, on=["chain"])
    return _stamped(out, data)


def chain_links(chain: str, plan=None, db: str | Path | None = None, *,
                settings: Settings | None = None) -> pd.DataFrame:
    """The links of one chain, upstream first (`zhizao chain show`): the plan's words (name, stage, upstream,
    section, key products …), local coverage (link_coverage) and the link's risk grade with its reasons.
    attrs: synthetic, source, as_of, batch_id."""
    plan, data, s = _chain_context(plan, db, settings)
    cid = chain_id(plan, chain)
    links, edges = _chain_analytics.chain_frames(plan)
    links = links[links["chain"] == cid]
    ups = edges[edges["chain"] == cid].groupby("downstream")["upstream"].agg(list)
    links = links.assign(upstream=links["link"].map(lambda k: ups.get(k, [])))
    cr = _chain_analytics.risk(plan, data, s)
    out = _merge_new(_merge_new(links, cr.coverage), cr.links)
    return _stamped(out.reset_index(drop=True), data)


def _merge_new(left: pd.DataFrame, right: pd.DataFrame, on=("chain", "link")) -> pd.DataFrame:
    """`left` with the columns of `right` it lacks, matched on `on` (no _x/_y twins)."""
    on = list(on)
    return left.merge(right[on + [c for c in right.columns if c not in left.columns]], on=on, how="left")


RISK_LEVELS = ("links", "relations", "enterprises")


def chain_risk(plan=None, db: str | Path | None = None, chain: str | None = None, level: str = "links",
               settings: Settings | None = None) -> pd.DataFrame:
    """Risk grades (high/medium/low) with reasons_zh/reasons_en and their inputs (`zhizao chain risk`):
    level "links" (per chain link), "relations" (per supply relation) or "enterprises" (per key
    enterprise); `chain` keeps one chain's rows. attrs: synthetic, source, as_of, batch_id."""
    if level not in RISK_LEVELS:
        raise UserError(f"风险层级“{level}”无效：可取 {'、'.join(RISK_LEVELS)}",
                        f"invalid risk level '{level}': use one of {', '.join(RISK_LEVELS)}")
    plan, data, s = _chain_context(plan, db, settings)
    cid = chain_id(plan, chain) if chain is not None else None
    df = getattr(_chain_analytics.risk(plan, data, s), level)
    if cid is not None:
        if "chain" in df:
            df = df[df["chain"] == cid]
        elif level == "enterprises":  # an enterprise belongs to the chains it is a member of
            ids = set(data.members.loc[data.members["chain"] == cid, "enterprise_id"])
            df = df[df["enterprise_id"].isin(ids)]
    return _stamped(df.reset_index(drop=True), data)


def chain_backups(plan=None, db: str | Path | None = None, chain: str | None = None, *, top: int = 3,
                  settings: Settings | None = None) -> pd.DataFrame:
    """Backup candidates (备份企业) for each high-risk supply relation, local first, ranked.
    attrs: synthetic, source, as_of, batch_id."""
    plan, data, s = _chain_context(plan, db, settings)
    cid = chain_id(plan, chain) if chain is not None else None
    df = _chain_analytics.backups(plan, data, _chain_analytics.risk(plan, data, s), s, top=top)
    if cid is not None and "chain" in df:
        df = df[df["chain"] == cid]
    return _stamped(df.reset_index(drop=True), data)


def chain_gaps(plan=None, db: str | Path | None = None, chain: str | None = None,
               settings: Settings | None = None) -> pd.DataFrame:
    """The 招商 brief (`zhizao chain gaps`): per chain, the missing and weak links ranked by risk and size,
    with the key products to attract. attrs: synthetic, source, as_of, batch_id."""
    plan, data, s = _chain_context(plan, db, settings)
    cid = chain_id(plan, chain) if chain is not None else None
    df = _chain_analytics.gaps(plan, data, s)
    if cid is not None:
        df = df[df["chain"] == cid]
    return _stamped(df.reset_index(drop=True), data)


SCENARIO_NAME_MAX = 40  # characters of a what-if scenario's name (CLI --scenario and the web form alike)
HOME_COUNTRY = "CN"  # the chain data's country at home (contract: country "CN" at home)


def _plan_area(plan: Plan) -> tuple[str, list[str]]:
    """(the plan area's GB/T 2260 prefix — its whole code without trailing 00 pairs —, its district codes)."""
    whole = plan.regions.whole_code if plan.regions else ""
    area = whole
    while len(area) > 2 and area.endswith("00"):
        area = area[:-2]
    return area, [d.code for d in (plan.regions.districts if plan.regions else [])]


def chain_region_problem(plan: Plan, value: str, lang: str = "zh") -> str | None:
    """Why `value` cannot be a what-if's outside region (None when it can): one rule for the CLI's --region
    and the web's what-if. Allowed: "abroad", an ISO 3166-1 country code other than the home country, a
    GB/T 2260 prefix (2–6 digits) outside the plan's own area (other provinces, the supply region's
    prefixes). The home country and any code overlapping the plan's area are districts: use --district."""
    from zhizao.codes.countries import is_country  # noqa: PLC0415 - data module, only for this check

    en = lang == "en"
    v = str(value or "").strip()
    area, districts = _plan_area(plan)
    to_district = ("use --district CODE (the plan's districts: zhizao plan show --section regions; on the web, "
                   "the district list)" if en else
                   "请改用 --district 区县代码（本规划区县见 zhizao plan show --section regions；网页上用区县列表）")
    if v.lower() == "abroad":
        return None
    if re.fullmatch(r"[A-Za-z]{2}", v):
        code = v.upper()
        if code == HOME_COUNTRY:
            return (f"region {code} is the home country, not an outside region: for another province give its "
                    f"code prefix (e.g. 44); inside the plan's area {to_district}" if en else
                    f"地区 {code} 是本国而不是外部地区：外省请给省级代码前缀（如 44），本规划范围内{to_district}")
        if not is_country(code):
            return (f"region {code} is not an ISO 3166-1 country code: use abroad, a country code such as JP or a "
                    "GB/T 2260 province prefix such as 44" if en else
                    f"地区 {code} 不是 ISO 3166-1 国家代码：可取 abroad（境外）、国家代码如 JP 或省级代码前缀如 44")
        return None
    if re.fullmatch(r"\d{2,6}", v):
        inside = bool(area) and (v.startswith(area) or area.startswith(v)) or any(d.startswith(v) for d in districts)
        if inside:
            return (f"region {v} lies in the plan's own area ({area}): its enterprises are local, so {to_district}"
                    if en else f"地区 {v} 在本规划范围（{area}）之内，其企业是本地企业：{to_district}")
        return None
    return ("invalid region: use abroad, a two-letter country code (e.g. JP) or a GB/T 2260 code prefix (e.g. 44)"
            if en else "地区无效：可取 abroad（境外）、两位国家代码（如 JP）或 GB/T 2260 代码前缀（如 44）")


def _check_scenario(sc, data, plan: Plan) -> None:
    """Every enterprise, district and region of a scenario exists in the data; UserError naming some that do."""
    ent = data.enterprises
    known = set(ent["enterprise_id"].astype(str))
    bad = [e for e in sc.enterprises if e not in known]
    if bad:
        raise UserError(f"情景“{sc.name}”：数据中没有企业 {_first(bad, 3)}；企业代码如 {_first(sorted(known), 3)}"
                        "（zhizao chain risk --level enterprises --format csv 列出全部）",
                        f"scenario '{sc.name}': no enterprise {_first(bad, 3, ', ')} in the data; enterprise ids are "
                        f"like {_first(sorted(known), 3, ', ')} (zhizao chain risk --level enterprises --format csv "
                        "lists them)")
    districts = sorted(set(ent["district"].dropna().astype(str)) - {""}
                       | {d.code for d in (plan.regions.districts if plan.regions else [])})
    bad = [d for d in sc.districts if d not in districts]
    if bad:
        local = [d.code for d in (plan.regions.districts if plan.regions else [])] or districts
        raise UserError(f"情景“{sc.name}”：没有区县代码 {_first(bad, 3)}；可取本规划区县如 {_first(local, 6)}"
                        "（GB/T 2260 六位代码，zhizao plan show --section regions 列出）",
                        f"scenario '{sc.name}': no district code {_first(bad, 3, ', ')}; use a district of the plan "
                        f"such as {_first(local, 6, ', ')} (6-digit GB/T 2260; zhizao plan show --section regions)")
    for r in sc.regions:
        problem = chain_region_problem(plan, r, "zh")
        if problem:
            raise UserError(f"情景“{sc.name}”：{problem}", f"scenario '{sc.name}': {chain_region_problem(plan, r, 'en')}")
        if r == "abroad":
            hit = (ent["country"].astype(str) != "CN").any()
        elif r.isdigit():
            hit = ent["district"].astype(str).str.startswith(r).any()
        else:
            hit = (ent["country"].astype(str) == r).any()
        if not hit:
            codes = sorted(set(ent["country"].astype(str)) - {"CN"})
            provinces = sorted(set(ent["district"].dropna().astype(str).str[:2]) - {""})
            raise UserError(f"情景“{sc.name}”：数据中没有位于“{r}”的企业；可取 abroad（境外）、国家代码如 "
                            f"{_first(codes, 5)}，或省级代码前缀如 {_first(provinces, 6)}",
                            f"scenario '{sc.name}': no enterprise of the data is in '{r}'; use abroad, a country "
                            f"code such as {_first(codes, 5, ', ')} or a province prefix such as "
                            f"{_first(provinces, 6, ', ')}")


def chain_whatif(scenarios, plan=None, db: str | Path | None = None, settings: Settings | None = None) -> pd.DataFrame:
    """Disruption what-ifs (`zhizao chain whatif`): `scenarios` are analytics Scenario objects (or one);
    returns the comparison table (one row per scenario: removed, links_lost, enterprises_affected,
    output_at_risk …); attrs["whatifs"] holds each scenario's WhatIf (.enterprises, .links, .chains,
    .summary). Unknown enterprises, districts or regions raise UserError. attrs: synthetic, source, as_of."""
    if isinstance(scenarios, _chain_analytics.Scenario):
        scenarios = [scenarios]
    plan, data, s = _chain_context(plan, db, settings)
    if not plan.chains:
        chain_id(plan, "")  # says the plan has no chains
    for sc in scenarios:
        _check_scenario(sc, data, plan)
    runs = [_chain_analytics.whatif(plan, data, sc, s) for sc in scenarios]
    out = _stamped(_chain_analytics.compare(runs).reset_index(drop=True), data)
    out.attrs["whatifs"] = runs
    return out


def chain_warnings(plan=None, db: str | Path | None = None, settings: Settings | None = None) -> pd.DataFrame:
    """The chain warnings (WARNING_COLUMNS of the monitoring warning table, rules named chain_…) that
    `zhizao warnings` lists beside the monitoring ones. attrs: synthetic, source, as_of, batch_id."""
    plan, data, s = _chain_context(plan, db, settings)
    return _stamped(_chain_analytics.chain_warnings(plan, data, s), data)


# enterprises, parks and green targets (issue 13): zhizao.api_enterprises, here as part of the one API
from zhizao.api_enterprises import (  # noqa: E402 - this block's own import, kept with it
    backward_candidates, enterprise_assessment_inputs, enterprise_counts, enterprise_data, enterprise_profile,
    enterprise_source_words, enterprise_tags, enterprise_warnings, enterprise_years, enterprises, green,
    green_assessment_inputs, green_concepts, import_enterprise_data, muju, muju_changes, muju_prices, muju_summary,
    park_enterprises, parks, registry_assessment_inputs, srdi_candidates)

__all__ += ["enterprise_data", "import_enterprise_data", "enterprises", "enterprise_profile", "enterprise_tags",
            "muju", "muju_prices", "muju_summary", "muju_changes", "parks", "park_enterprises", "srdi_candidates",
            "backward_candidates", "enterprise_counts", "green", "enterprise_warnings"]


# projects, 三服务 problems and the plan's tasks (issue 14): zhizao.api_delivery, here as part of the one API
from zhizao.api_delivery import (  # noqa: E402 - this block's own import, kept with it
    delivery_data, delivery_history, delivery_source_words, delivery_warnings, import_delivery_data, item_reports,
    problem_profile, problems, project_assessment_inputs, project_funnel, project_history, project_profile, projects,
    record_delivery_edit, service_summary, task_progress, work_item_profile, work_items)

__all__ += ["delivery_data", "import_delivery_data", "record_delivery_edit", "projects", "project_profile",
            "project_funnel", "project_history", "problems", "problem_profile", "service_summary", "work_items",
            "work_item_profile", "task_progress", "item_reports", "delivery_history", "delivery_warnings"]


# monitoring at scale (issue 15): the refresh, and its context stored memory-mapped with a new period added
from zhizao.analytics.monitoring.refresh import refresh, refresh_context  # noqa: E402 - this block's own import
from zhizao.api_monitoring import (add_period, load_panel, panel_meta, refresh_data, save_panel,  # noqa: E402
                                   spark_session)

__all__ += ["refresh", "refresh_context", "refresh_data", "spark_session", "save_panel", "load_panel", "panel_meta",
            "add_period"]
