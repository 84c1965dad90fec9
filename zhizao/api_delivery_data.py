"""Plan-delivery data for a plan (issue 14): projects, 三服务 problems and the 任务分工方案, what the delivery
analyses read, and how imports and form/API edits write it.

`delivery_data` gives, frame by frame, the plan's stored data (Store.delivery_frames: the active version of
each key) where anything of the frame is stored, else the frame's default: the labelled synthetic demo
data (zhizao.synth.delivery) for projects, project_progress, problems and progress_reports. Work items,
milestones and departments start from the plan's own 任务分工 (Plan.work_items, Plan.departments; basis
plan_text, NOT synthetic) with the stored rows upserted over them by key. An import is one batch of kind "delivery" (an upsert: keys it does not list stay), an edit one
batch of kind "delivery_edit"; both all or nothing (docs/storage.md §Delivery data).
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

from zhizao import api_plans as api
from zhizao.errors import UserError
from zhizao.ingest.delivery_frames import (AREAS, COLUMN_WORDS, FRAME_NAMES, FRAMES, KEYS, DeliveryData,
                                          empty_frame, key_text)
from zhizao.ingest.table import ImportProblem
from zhizao.ingest.workbook import Problems, Sheet
from zhizao.ingest.delivery_frames import plan_departments, plan_work_items
from zhizao.store.delivery import ASSIGNED_KEYS, DELIVERY_EDIT_KIND, DELIVERY_KIND, empty_delivery, empty_history
from zhizao.store.importing import ImportFailed
from zhizao.store.store import CHAIN_FILE_SEPARATOR, _utcnow, display_date

__all__ = ["delivery_data", "import_delivery_data", "record_delivery_edit", "delivery_source_words", "district_problems"]

PLAN_FRAMES = ("work_items", "milestones", "departments")  # default: the plan's own 任务分工
SYNTHETIC_FRAMES = ("projects", "project_progress", "problems", "progress_reports")  # default: synthetic
PLAN_SOURCE = ("规划原文（任务分工）", "the plan's own task decomposition (its text)")
SYNTHETIC_WORDS = ("合成数据（演示用）", "SYNTHETIC (demo data)")
EDIT_WORDS = ("表单录入", "form entries")
SOURCE_SEPARATOR = "；"  # between the parts of DeliveryData.source: stored, synthetic, plan's own


def delivery_data(db=None, plan=None, as_of=None) -> DeliveryData:
    """The plan's delivery data: per frame what is stored, else its default (see the module's doc); work
    items, milestones and units start from the plan's own, the stored ones upserted over them by key;
    `history` every stored version. Dates (docs/delivery.md §Data): `as_of` the given date, else today
    (display time zone) when anything is stored, else the synthetic data's own; `synthetic_as_of` the
    synthetic data's own date when no date is given (a synthetic area is judged at it: area_as_of).
    Reading creates no store."""
    plan = api.resolve_plan(plan, db, register=False)
    frames, info, history = _stored(db, plan.plan.id)
    present = set(info["frames_present"])
    missing_synthetic = [f for f in SYNTHETIC_FRAMES if f not in present]
    default = None
    if missing_synthetic:
        from zhizao.synth.delivery import default_delivery_data  # noqa: PLC0415 - the synth part's module

        default = default_delivery_data(plan)
    own = _plan_own(plan)
    out = {}
    for f in FRAMES:
        if f in PLAN_FRAMES:  # the plan's own stay: stored rows add to them and win by key
            out[f] = _with_plan_rows(f, own[f], frames[f] if f in present else None)
        elif f in present:
            out[f] = frames[f]
        else:
            out[f] = default.frame(f).copy()  # the cached default stays as generated
    parts = []
    if present:
        parts.append(", ".join(info["files"]) or EDIT_WORDS[0])
    if missing_synthetic:
        parts.append(default.source)
    if _plan_rows_shown(own, frames, present):
        parts.append(PLAN_SOURCE[0])
    synthetic_as_of = None
    if as_of is not None:
        as_of = _date_text(as_of)
    else:
        synthetic_as_of = default.as_of if default is not None else None
        as_of = display_date(_utcnow()) if present else synthetic_as_of
    return DeliveryData(**out, synthetic_frames=frozenset(missing_synthetic), source=SOURCE_SEPARATOR.join(parts),
                        batch_id=info["batch_ids"][-1] if info["batch_ids"] else None, as_of=as_of, history=history,
                        synthetic_as_of=synthetic_as_of, frame_sources=_frame_sources(info))


def _frame_sources(info: dict) -> dict[str, tuple[str, ...]]:
    return {f: tuple(names) for f, names in (info.get("frame_files") or {}).items()}


def _plan_rows_shown(own: dict, frames: dict, present: set) -> bool:
    """Whether any of the plan's own work items or milestones is still shown (not replaced by a stored row)."""
    for f in ("work_items", "milestones"):
        if len(own[f]) and (f not in present or len(_keys(f, own[f]) - _keys(f, frames[f]))):
            return True
    return False


def _date_text(value) -> str:
    """A date given as a date or text as 'YYYY-MM-DD'; UserError naming the format otherwise."""
    try:
        return pd.Timestamp(str(value)).date().isoformat()
    except (ValueError, TypeError):
        raise UserError(f"日期“{str(value)[:40]}”无法识别：请写成 YYYY-MM-DD，如 2025-06-30",
                        f"the date '{str(value)[:40]}' is not a date: write it as YYYY-MM-DD, e.g. 2025-06-30") from None


def _plan_own(plan) -> dict[str, pd.DataFrame]:
    work, miles = plan_work_items(plan)
    return {"work_items": work, "milestones": miles, "departments": plan_departments(plan)}


def _keys(frame: str, df: pd.DataFrame) -> set[str]:
    return {key_text(frame, r) for r in df[KEYS[frame]].to_dict("records")} if len(df) else set()


def _with_plan_rows(frame: str, own: pd.DataFrame, stored: pd.DataFrame | None) -> pd.DataFrame:
    """The plan's own rows (work items, milestones, units) plus the stored ones; a stored row with a plan
    row's key replaces it. So importing one item adds it and the plan's stay, and a report on a plan
    item never loses its item (docs/storage.md §Delivery data)."""
    if stored is None or stored.empty:
        return own
    if own.empty:
        return stored
    own_keys = [key_text(frame, r) for r in own[KEYS[frame]].to_dict("records")]
    stored_keys = [key_text(frame, r) for r in stored[KEYS[frame]].to_dict("records")]
    if not set(own_keys) - set(stored_keys):
        return stored.reset_index(drop=True)
    # the plan's order, a replaced row in its place, then the new rows in their stored order
    rows = dict(zip(own_keys, own.astype(object).to_dict("records")))
    rows.update(zip(stored_keys, stored.astype(object).to_dict("records")))
    order = own_keys + [k for k in stored_keys if k not in set(own_keys)]
    out = pd.DataFrame([rows[k] for k in order], columns=list(stored.columns))
    return out.astype(stored.dtypes.to_dict())


def _stored(db, plan_id: str):
    """(frames, info, history) of what the store holds for the plan; empty when there is no store."""
    store = api._store_if_exists(db)
    if store is None:
        return (*empty_delivery(), empty_history())
    with store:
        return store.delivery_state(plan_id)


def _real_data(db, plan, store=None) -> DeliveryData:
    """What imports and edits check against: the stored frames, the plan's own 任务分工 where none is
    stored, and never the synthetic rows (empty frames instead: demo projects are not real). Read
    from `store` when given (an edit holds it open from its read to its write)."""
    if store is not None:
        frames, info, history = store.delivery_state(plan.plan.id)
    else:
        frames, info, history = _stored(db, plan.plan.id)
    present = set(info["frames_present"])
    own = _plan_own(plan)
    out = {f: _with_plan_rows(f, own[f], frames[f] if f in present else None) if f in PLAN_FRAMES
           else frames[f] if f in present else empty_frame(f) for f in FRAMES}
    return DeliveryData(**out, source=", ".join(info["files"]),
                        batch_id=info["batch_ids"][-1] if info["batch_ids"] else None, history=history,
                        frame_sources=_frame_sources(info))


def _store_exists(db) -> bool:
    store = api._store_if_exists(db)
    if store is None:
        return False
    store.close()
    return True


def _parks(db, plan_id: str) -> set[str] | None:
    """The park ids of the plan's imported enterprise data, or None when none is imported (not checked)."""
    from zhizao.api_enterprise_data import _imported  # noqa: PLC0415 - only an import needs it

    data = _imported(db, plan_id)
    if data is None or not len(data.parks):
        return None
    return set(data.parks["park_id"])


def import_delivery_data(paths, *, plan=None, db=None, actor: str | None = None, role: str | None = None,
                         ip: str | None = None, progress=None, today: str | None = None,
                         district: str | None = None) -> dict:
    """Import projects, problems and 任务分工 data — one XLSX with any of the seven sheets, or CSV files one
    per frame — for `plan`; all or nothing (ImportFailed lists every problem). An upsert: the keys the files
    list get a new version, the others stay. References are checked against this import and the stored
    data (with the plan's own 任务分工), never the synthetic default. Returns batch_id, plan_id, file,
    frames (those present) and the rows of each of the seven frames (0 when absent). A plan named by path
    or embedded id is registered in the import's own transaction; a refused import registers nothing.
    `district` (a district user's GB/T 2260 code): every row must be that district's (see
    district_problems), else the import is refused with each row outside it."""
    from zhizao.ingest.delivery import read_delivery_files  # noqa: PLC0415 - the ingest part's module

    plan, plan_row = api.plan_and_record(plan, db)
    paths = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    district = _district_code(plan, district)
    existing = _real_data(db, plan)
    frames, problems, sha = read_delivery_files(paths, plan, existing=existing, parks=_parks(db, plan.plan.id),
                                                today=today, progress=progress)
    if problems:
        raise ImportFailed(problems)
    frames = {name: frame for name, frame in frames.items() if len(frame)}
    if district is not None:
        refused = district_problems(plan, frames, existing, district)
        if refused:
            raise ImportFailed(refused)
    if not frames:
        zh = "、".join(FRAME_NAMES[f][0] for f in FRAMES)
        en = ", ".join(FRAME_NAMES[f][1] for f in FRAMES)
        raise UserError(f"文件中没有项目、三服务或任务数据（{zh} 均无数据行）；未写入任何数据。请检查工作表名或文件",
                        f"the file holds no projects, services or tasks data (no rows in any of {en}); nothing was "
                        "written. Check the sheet names or the file")
    rows = sum(len(f) for f in frames.values())
    (progress or (lambda stage, n: None))("write", rows)
    file = CHAIN_FILE_SEPARATOR.join(str(p) for p in paths)
    note = f"项目、三服务与任务数据 / delivery data ({plan.plan.id}): " + ", ".join(
        f"{n} {len(f)}" for n, f in frames.items())
    with api.open_store(db, plan) as store:
        batch_id = store.commit_delivery(plan.plan.id, frames, kind=DELIVERY_KIND, file=file, sha256=sha, note=note,
                                         actor=actor, role=role, ip=ip, register=plan_row)
    return {"batch_id": batch_id, "plan_id": plan.plan.id, "file": file, "frames": list(frames),
            **{name: len(frames[name]) if name in frames else 0 for name in FRAMES}}


def record_delivery_edit(frame: str, values: dict, *, plan=None, db=None, actor: str | None = None,
                         role: str | None = None, ip: str | None = None, note: str | None = None,
                         today: str | None = None, district: str | None = None) -> dict:
    """One form/API edit: `values` checked by zhizao.ingest.delivery.check_edit against the stored data
    (merged over the key's active row; a new key is a new row), then stored as one batch of kind
    "delivery_edit" (the previous version stays in history; withdrawing the batch restores it). A new
    progress report's report_id ("" or absent) is assigned as R + YYYYMMDD of its date + "-" + n, a new
    problem's problem_id as Q + YYYYMMDD of its raised date + "-" + n. Returns batch_id, plan_id, frame,
    key and row (the stored row). ImportFailed with the problems when refused: nothing is stored.
    `district`: the edited row, before and after, must be that district's (district_problems).
    The store stays open from the read to the write: on DuckDB its file lock keeps another process's
    edit from slipping in between (an edit merged over a stale row would undo that edit)."""
    from zhizao.ingest.delivery import check_edit  # noqa: PLC0415 - the ingest part's module

    if frame not in FRAMES:
        names = ", ".join(FRAMES)
        raise UserError(f"没有名为“{str(frame)[:40]}”的数据表；可修改的是：{names}",
                        f"no data table named '{str(frame)[:40]}'; the tables are: {names}")
    plan, plan_row = api.plan_and_record(plan, db)
    today = today or display_date(_utcnow())
    values = dict(values)
    if frame in ASSIGNED_KEYS:
        values.setdefault(ASSIGNED_KEYS[frame][0], "")
    district = _district_code(plan, district)
    note = note or f"{FRAME_NAMES[frame][0]} / {FRAME_NAMES[frame][1]} ({plan.plan.id})"

    def checked(real: DeliveryData) -> pd.DataFrame:
        row, problems = check_edit(frame, values, plan, real, today=today)
        if not problems and district is not None:
            problems = district_problems(plan, {frame: row}, real, district, form=True)
        if problems:
            raise ImportFailed(problems)
        return row

    if not _store_exists(db):
        checked(_real_data(db, plan))  # a refused edit must not create the store
    with api.open_store(db, plan) as store:
        row = checked(_real_data(db, plan, store))
        batch_id = store.commit_delivery(plan.plan.id, {frame: row}, kind=DELIVERY_EDIT_KIND, file=None, sha256=None,
                                         note=note, actor=actor, role=role, ip=ip, register=plan_row)
        stored = store.delivery_history(plan.plan.id, frame)
    mine = stored[stored["batch_id"] == batch_id].iloc[0]
    return {"batch_id": batch_id, "plan_id": plan.plan.id, "frame": frame, "key": mine["key"], "row": mine["values"]}


def delivery_source_words(data: DeliveryData, area: str, lang: str = "zh") -> str:
    """Where an area's data ("projects" | "services" | "tasks") come from, in `lang` only: 合成数据（演示用）
    and the generator when the area shows synthetic rows; the files (表单录入 for edits) of the area's own
    stored frames, never another area's; 规划原文（任务分工）for the tasks area while any of the plan's own
    work items or milestones is shown (never for projects or problems)."""
    en = lang == "en"
    frames = AREAS[area]
    parts = str(data.source or "").split(SOURCE_SEPARATOR)
    words = []
    if any(f in data.synthetic_frames for f in frames):
        generator = next((p for p in parts if p.startswith("合成数据")), "")
        for prefix in ("合成数据（演示用）", "合成数据"):
            if generator.startswith(prefix):
                generator = generator[len(prefix):].lstrip("：: ")
                break
        words.append(f"{SYNTHETIC_WORDS[en]}{': ' if en else '：'}{generator}" if generator else SYNTHETIC_WORDS[en])
    stored = [f for f in frames if f not in data.synthetic_frames and f in data.frame_sources]
    names: list[str] = []
    for f in stored:
        for n in data.frame_sources[f]:
            n = n or EDIT_WORDS[en]
            if n not in names:
                names.append(n)
    if names:
        words.append(", ".join(names))
    if area == "tasks" and PLAN_SOURCE[0] in parts:
        words.append(PLAN_SOURCE[en])
    return ("; " if en else "；").join(w for w in words if w)


# --- a district user's scope ---------------------------------------------------------------------------
OUTSIDE_DISTRICT = "outside_district"  # ImportProblem.code of a row outside the caller's district
FORM_WORDS = ("表单", "form")


def _district_code(plan, district: str | None) -> str | None:
    """`district` as one of the plan's district codes (None: no scope); UserError naming them otherwise."""
    if district is None:
        return None
    codes = {d.code: d.name for d in (plan.regions.districts if plan.regions is not None else [])}
    code = str(district).strip()
    if code not in codes:
        listed = "、".join(f"{c} {n}" for c, n in list(codes.items())[:8]) or "—"
        raise UserError(f"“{code[:40]}”不是本规划的区县代码：请写 GB/T 2260 六位代码，如 {listed}",
                        f"'{code[:40]}' is not a district code of the plan: write the 6-digit GB/T 2260 code, "
                        f"e.g. {', '.join(list(codes)[:8]) or '—'}")
    return code


def _units(value) -> set[str]:
    return {u.strip() for u in str(value or "").split(";") if u.strip()}


def district_problems(plan, frames: dict[str, pd.DataFrame], existing: DeliveryData, district: str, *,
                      form: bool = False) -> list[ImportProblem]:
    """Every row of `frames` outside `district`, as a problem with file, sheet, row and column: projects and
    problems by their district; work items by their units (the district leads or co-operates); monthly
    progress by its project's district, milestones and reports by their item's units (this import's,
    else the stored); a key already stored must be the district's too (no taking over another district's
    row). Units (departments) are city-wide: a district may not import or edit them. `form`: one edit
    (file 表单, no row)."""
    names = {d.code: d.name for d in (plan.regions.districts if plan.regions is not None else [])}
    mine = f"{names.get(district, district)}（{district}）"

    def pool(name: str) -> pd.DataFrame:
        parts = [f for f in (existing.frame(name), frames.get(name)) if f is not None and len(f)]
        return pd.concat(parts, ignore_index=True) if parts else empty_frame(name)

    project_district = dict(zip(pool("projects")["project_id"].astype(str), pool("projects")["district"]))
    item_units = {str(r["item_id"]): _units(r["lead"]) | _units(r["cooperating"])
                  for r in pool("work_items").to_dict("records")}
    out = Problems()
    for name, frame in frames.items():
        rows = frame.attrs.get("rows") or []
        headers = frame.attrs.get("headers") or {}
        file = FORM_WORDS[0] if form else str(frame.attrs.get("file") or "")
        src = Sheet(file, None if form else frame.attrs.get("sheet"), 0, [], [])
        stored = existing.frame(name)
        key_cols = KEYS[name]
        stored_rows = {key_text(name, r): r for r in stored.to_dict("records")} if len(stored) else {}

        def refuse(i, column, value, zh, en):
            row = None if form else (rows[i] if i < len(rows) else None)
            out.add(src, file, row, headers.get(column) or COLUMN_WORDS[name][column][0], value, OUTSIDE_DISTRICT,
                    f"{zh}：区县用户只能导入或修改{mine}的数据，请删去该行或请市级用户办理",
                    f"{en}: a district user imports or edits only the data of district {district}; "
                    "remove the row or ask a city user")

        if name == "departments":
            refuse(0, "department_id", None, "单位名录全市共用，区县用户不能导入或修改",
                   "the list of units is city-wide and cannot be imported or edited by a district user")
            continue
        for i, r in enumerate(frame.to_dict("records")):
            before = stored_rows.get(key_text(name, r)) if all(str(r[k]) for k in key_cols) else None
            if name in ("projects", "problems"):
                for version, when in ((r, ""), (before, "已有记录")):
                    if version is not None and version["district"] != district:
                        d = version["district"]
                        refuse(i, "district", d, f"{when}所在区县为 {names.get(d, d) or '空'}，不是{mine}",
                               f"{'the stored row' if when else 'the row'} is of district '{d}', not {district}")
                        break
            elif name == "work_items":
                for version, when in ((r, ""), (before, "已有记录")):
                    if version is not None and district not in _units(version["lead"]) | _units(version["cooperating"]):
                        refuse(i, "lead", version["lead"], f"{when}牵头单位和配合单位都不含{mine}",
                               f"{'the stored item' if when else 'the item'} is neither led nor co-operated on "
                               f"by district {district}")
                        break
            elif name == "project_progress":
                d = project_district.get(str(r["project_id"]), "")
                if d != district:
                    refuse(i, "project_id", r["project_id"], f"项目所在区县为 {names.get(d, d) or '未知'}，不是{mine}",
                           f"the project is of district '{d}', not {district}")
            elif district not in item_units.get(str(r["item_id"]), set()):  # milestones, progress reports
                refuse(i, "item_id", r["item_id"], f"该任务的牵头单位和配合单位都不含{mine}",
                       f"the work item is neither led nor co-operated on by district {district}")
    if not form:
        return out.items
    return [dataclasses.replace(p, file=FORM_WORDS[0], message_zh=p.message_zh.replace(f"文件“{FORM_WORDS[0]}”", FORM_WORDS[0]),
                                message_en=p.message_en.replace(f"File '{FORM_WORDS[0]}'", "Form"))
            for p in out.items]
