"""The API's plan and store helpers: which plan a call means and the store it reads. `zhizao.api`
re-exports them; the enterprise API (`zhizao.api_enterprises`, `zhizao.api_enterprise_data`) uses them
from here, so that `zhizao.api` can re-export the enterprise API without an import cycle."""
from __future__ import annotations

from pathlib import Path


from zhizao.errors import UserError
from zhizao.plan.load import PlanError, embedded_plan_ids, embedded_plans, load_plan, looks_like_path, parse_plan
from zhizao.plan.spec import Plan
from zhizao.store.importing import bundled_links_name, load_bundled, load_bundled_links
from zhizao.store.store import Store, as_db


BUNDLED_PLAN_ID = "chongqing-manufacturing-2021-2025"
PLAN_ENV = "ZHIZAO_PLAN"  # read by the CLI (--plan's default), not by these functions


def open_store(db: str | Path | None = None, plan=None, *, bundled: bool = True) -> Store:
    """Open (or create) the store; a new store for the embedded plan gets the bundled real data."""
    store = Store(db)
    if plan is None:  # no plan named: a store registered for other plans gets no bundled data
        if _default_id(list(store.plans()["plan_id"]), store.linked_plan_ids()) != BUNDLED_PLAN_ID:
            return store
        plan = load_plan()
    if bundled and bundled_links_name(plan.plan.id):  # an embedded plan's id
        if store.is_empty():
            load_bundled(store, plan)
        elif (store.batches()["kind"] == "bundled").any():  # the statistics are there, for another plan
            load_bundled_links(store, plan)
    return store


# --- which plan --------------------------------------------------------------------------------
class UnknownPlan(UserError):
    """A --plan id that is neither embedded nor registered in the store."""


def _store_if_exists(db: str | Path | None) -> Store | None:
    """The store at `db` if there is one: asking which plans a store knows must not create one (a
    PostgreSQL database without zhizao's schema counts as no store yet)."""
    db = as_db(db)
    if isinstance(db, str):
        store = Store(db, read_only=True)
        if store.has_schema():
            return store
        store.close()
        return None
    if str(db) != ":memory:" and not db.is_file():
        return None
    return Store(db)


def known_plan_ids(db: str | Path | None = None) -> list[str]:
    """Embedded plan ids, then those registered in the store at `db`."""
    ids = list(embedded_plan_ids())
    store = _store_if_exists(db)
    if store is not None:
        with store:
            ids += [i for i in store.plans()["plan_id"] if i not in ids]
    return ids


def _registered(store: Store, plan_id: str) -> Plan:
    text = store.plan_text(plan_id)
    try:
        source = store.plans().set_index("plan_id")["source"].get(plan_id)
        folder = Path(source).parent if isinstance(source, str) and looks_like_path(source) else None
        return parse_plan(text, f"{store.location} → plans[{plan_id}]", folder=folder)
    except PlanError as e:  # a plan registered by an older zhizao whose spec has changed since
        raise UserError(
            f"数据库登记的规划“{plan_id}”已无法读取：{e.problems[0]}；请用 --plan 文件路径 重新指定规划文件",
            f"the plan '{plan_id}' registered in the store can no longer be read: {e.problems[0]}; "
            "name its file again with --plan PATH") from None


def _default_id(registered: list[str], linked: list[str]) -> str | None:
    """The plan a store is for when none is named: the embedded default if the store has it (or
    no plan at all), else the first registered plan; None if only unregistered plans' links."""
    if BUNDLED_PLAN_ID in registered or BUNDLED_PLAN_ID in linked or not (registered or linked):
        return BUNDLED_PLAN_ID
    return registered[0] if registered else None


def _store_default(store: Store) -> Plan | None:
    """The store's own plan when none is named: None for the embedded default plan."""
    registered, linked = list(store.plans()["plan_id"]), store.linked_plan_ids()
    found = _default_id(registered, linked)
    if found == BUNDLED_PLAN_ID:
        return None
    if found is not None:  # a store made for other plans: never silently show the default plan instead
        return _registered(store, found)
    raise UserError(
        f"数据库 {store.location} 存放的是规划 {'、'.join(linked)} 的数据，但未登记该规划文件；"
        "请用 --plan 文件路径 指定一次（之后可用编号）",
        f"the store {store.location} holds data for plan(s) {', '.join(linked)} but does not know their file; "
        "name it once with --plan PATH (its id works afterwards)")


def resolve_plan(plan=None, db: str | Path | None = None, *, register: bool = True) -> Plan:
    """The plan to use: a Plan, a YAML path, an embedded or registered plan id, or None.

    None is the store's plan: the embedded default, unless the store at `db` was made for other
    plans (then the first registered one). With `register`, a plan named by path or embedded id is
    remembered in the store (its text, so the id names it later even if the file moves).
    Unknown ids raise UnknownPlan listing the known ones; bad files raise PlanError."""
    if plan is not None and not isinstance(plan, (str, Path)):
        return plan
    if isinstance(plan, str) and not plan.strip():
        plan = None
    kind = source = text = None
    if plan is None:
        store = _store_if_exists(db)
        if store is not None:
            with store:
                found = _store_default(store)
            if found is not None:
                return found
        obj, kind, source = load_plan(), "embedded", BUNDLED_PLAN_ID
    elif looks_like_path(plan):
        path = Path(plan).expanduser()
        obj = load_plan(path)  # PlanError with every problem when the file cannot be used
        kind, source, text = "file", str(path.resolve()), path.read_text(encoding="utf-8")
    elif str(plan) in embedded_plan_ids():
        obj, kind, source = load_plan(str(plan)), "embedded", str(plan)
    else:
        store = _store_if_exists(db)
        if store is not None:
            with store:
                if store.plan_text(str(plan)) is not None:
                    return _registered(store, str(plan))
        known = known_plan_ids(db)
        raise UnknownPlan(
            f"没有编号为“{str(plan)[:80]}”的规划。已知规划：{'、'.join(known)}。规划文件请写路径（如 ./plan.yaml），"
            "用过一次后即可用编号；zhizao plan list 列出全部",
            f"no plan with id '{str(plan)[:80]}'. Known plans: {', '.join(known)}. Give a plan file as a path "
            "(e.g. ./plan.yaml); once used, its id works too; zhizao plan list shows them all")
    if register:
        if text is None:
            text = next(p for p in embedded_plans() if p.stem == source).read_text(encoding="utf-8")
        with Store(db) as store:
            store.register_plan(obj.plan.id, obj.plan.title, kind, source, text)
    return obj


def plan_and_record(plan, db) -> tuple[Plan, tuple | None]:
    """The plan as resolve_plan gives it, and the row (id, title, kind, source, text) that
    resolve_plan(register=True) would write — written by the import itself, only if it succeeds.
    None for a Plan object (no text to keep) or one the store already has."""
    obj = resolve_plan(plan, db, register=False)
    if isinstance(plan, Plan):
        return obj, None
    if isinstance(plan, str) and not plan.strip():
        plan = None
    if plan is not None and looks_like_path(plan):
        path = Path(plan).expanduser()
        return obj, (obj.plan.id, obj.plan.title, "file", str(path.resolve()), path.read_text(encoding="utf-8"))
    source = str(plan) if plan is not None else obj.plan.id
    found = next((p for p in embedded_plans() if p.stem == source), None)
    if found is None:  # a plan the store registered already
        return obj, None
    return obj, (obj.plan.id, obj.plan.title, "embedded", source, found.read_text(encoding="utf-8"))


