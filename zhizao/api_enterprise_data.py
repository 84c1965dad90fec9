"""Enterprise data for a plan (issue 13): what the enterprise analyses read, and its import.

`enterprise_data` gives the plan's active imported data (Store.enterprise_frames: per frame, or per year
for the yearly frames), else the labelled synthetic default of zhizao.synth.enterprises. An import is
all or nothing: one batch of kind "enterprise" that registers its plan in the same transaction, as a
chain import does (docs/storage.md §Enterprise data).

The plan and store helpers come from zhizao.api_plans, so that zhizao.api can re-export this module.
"""
from __future__ import annotations

from pathlib import Path

from zhizao import api_plans as api
from zhizao.errors import UserError
from zhizao.ingest.enterprise_frames import FRAMES, EnterpriseData
from zhizao.store.importing import ImportFailed
from zhizao.store.store import CHAIN_FILE_SEPARATOR

__all__ = ["enterprise_data", "import_enterprise_data", "enterprise_source_words", "FRAME_NAMES"]

# The six frames as messages and notes name them (the sheet names of the import workbook).
FRAME_NAMES = {"registry": ("企业名录", "registry"), "tags": ("企业标签", "tags"), "annual": ("年度指标", "annual"),
               "srdi": ("专精特新", "SRDI"), "parks": ("园区", "parks"), "green": ("能耗水耗", "energy and water")}
SYNTHETIC_PREFIXES = ("合成数据（演示用）", "合成数据")  # how a synthetic source begins (zhizao.synth)


def enterprise_data(db=None, plan=None) -> EnterpriseData:
    """The plan's enterprise data: what is imported and active in the store at `db` (synthetic=False,
    source = the file names, batch_id = the latest import, as_of = its date), else the synthetic default
    of the plan (labelled synthetic). Reading creates no store."""

    plan = api.resolve_plan(plan, db, register=False)
    imported = _imported(db, plan.plan.id)
    if imported is not None:
        return imported
    from zhizao.synth.enterprises import default_enterprise_data  # noqa: PLC0415 - the synth part's module

    return default_enterprise_data(plan)


def _imported(db, plan_id: str) -> EnterpriseData | None:
    """The active imported data of the plan, or None when nothing is imported (or no store exists)."""

    store = api._store_if_exists(db)
    if store is None:
        return None
    with store:
        frames, info = store.enterprise_frames(plan_id)
    if not info["batch_ids"]:
        return None
    return EnterpriseData(**{name: frames[name] for name in FRAMES}, synthetic=False,
                          source=", ".join(info["files"]) or ", ".join(info["batch_ids"]),
                          batch_id=info["batch_ids"][-1], as_of=info["as_of"])


def import_enterprise_data(paths, *, plan=None, db=None, actor: str | None = None, role: str | None = None,
                           ip: str | None = None, progress=None) -> dict:
    """Import enterprise data — one XLSX with any of the six sheets, or CSV files one per frame — for
    `plan`; all or nothing (ImportFailed lists every problem). References are checked against this import,
    else against the plan's active imported data. Returns batch_id, plan_id, file, frames (the frames
    present) and the rows of each of the six frames (0 when absent). A plan named by path or embedded id is
    registered in the import's own transaction; a refused import registers nothing."""
    from zhizao.ingest.enterprises import read_enterprise_files  # noqa: PLC0415 - the ingest part's module

    plan, plan_row = api.plan_and_record(plan, db)
    paths = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    existing = _imported(db, plan.plan.id)  # never the synthetic default: its enterprises are not real
    frames, problems, sha = read_enterprise_files(paths, plan, existing=existing, progress=progress)
    if problems:
        raise ImportFailed(problems)
    frames = {name: frame for name, frame in frames.items() if len(frame)}
    if not frames:
        names = "、".join(zh for zh, _ in FRAME_NAMES.values())
        raise UserError(f"文件中没有企业数据（{names} 均无数据行）；未写入任何数据。请检查工作表名或文件",
                        f"the file holds no enterprise data (no rows in any of {', '.join(en for _, en in FRAME_NAMES.values())}); "
                        "nothing was written. Check the sheet names or the file")
    rows = sum(len(f) for f in frames.values())
    (progress or (lambda stage, n: None))("write", rows)
    file = CHAIN_FILE_SEPARATOR.join(str(p) for p in paths)
    note = f"企业数据 / enterprise data ({plan.plan.id}): " + ", ".join(f"{n} {len(f)}" for n, f in frames.items())
    with api.open_store(db, plan) as store:
        batch_id = store.commit_enterprises(plan.plan.id, frames, file=file, sha256=sha, note=note,
                                            actor=actor, role=role, ip=ip, register=plan_row)
    return {"batch_id": batch_id, "plan_id": plan.plan.id, "file": file, "frames": list(frames),
            **{name: len(frames[name]) if name in frames else 0 for name in FRAMES}}


def enterprise_source_words(data_or_attrs, lang: str = "zh") -> tuple[str, str]:
    """(source, note) of enterprise data (an EnterpriseData or a frame's attrs) in the reader's language:
    for the synthetic default the generator and seed, and its note when the source has one
    (合成数据（演示用）：GENERATOR, seed N[；说明 / note]); for imported data the file names and ""."""
    a = data_or_attrs if isinstance(data_or_attrs, dict) else vars(data_or_attrs)
    source = str(a.get("source") or "")
    if not a.get("synthetic"):
        return source, ""
    text = source
    for prefix in SYNTHETIC_PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix):]
            break
    head, _, note = text.lstrip("：: ").partition("；")
    zh, sep, en = note.partition(" / ")
    return head.strip(), (en if lang == "en" and sep else zh).strip()
