"""Read a plan YAML file into a validated `Plan`, reporting every problem at once."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from zhizao.plan.spec import Plan, reference_problems

DEFAULT_PLAN = "chongqing-manufacturing-2021-2025.yaml"
PLAN_ID = r"[a-z0-9][a-z0-9_\-]*"  # as PlanMeta.id: a name without a suffix or folder


@dataclass(frozen=True)
class PlanProblem:
    file: str
    path: str  # e.g. indicators[3].target.comparator
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path or '(top)'}: {self.reason}"


class PlanError(Exception):
    """A plan file that cannot be used; `problems` lists all that were found."""

    def __init__(self, problems: list[PlanProblem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"plan file has {len(problems)} problem(s):\n{lines}")


def default_plan_path() -> Path:
    return Path(str(resources.files("zhizao.resources.plans").joinpath(DEFAULT_PLAN)))


def embedded_plans() -> list[Path]:
    """The plan files bundled with zhizao, the default first; a plan's id is its file stem."""
    folder = default_plan_path().parent
    found = sorted(p for p in folder.glob("*.yaml") if p.name != DEFAULT_PLAN)
    return [default_plan_path(), *found]


def embedded_plan_path(plan_id: str) -> Path | None:
    """The bundled file of the plan `plan_id` (its file stem), or None."""
    return next((p for p in embedded_plans() if p.stem == plan_id), None)


def embedded_plan_ids() -> list[str]:
    return [p.stem for p in embedded_plans()]


def looks_like_path(text: str | Path) -> bool:
    """A --plan value is a file when it exists, ends in .yaml/.yml or has a folder in it; else an id."""
    t = str(text)
    return t.lower().endswith((".yaml", ".yml")) or "/" in t or "\\" in t or Path(t).is_file()


def load_plan(path: str | Path | None = None) -> Plan:
    """Load and validate a plan: the embedded default when None, a YAML file, or an embedded plan id."""
    if path is None:
        return _load_default()
    if not looks_like_path(path):
        if str(path) in embedded_plan_ids():
            return _load_embedded(str(path))
        known = "、".join(embedded_plan_ids())
        raise PlanError([PlanProblem(str(path), "", None,
                                     f"no such plan file or embedded plan id / 没有此规划文件或内置规划编号 (embedded / 内置: {known})")])
    return _load(Path(path))


@lru_cache(maxsize=1)
def _load_default() -> Plan:
    return _load(default_plan_path())


@lru_cache(maxsize=8)
def _load_embedded(plan_id: str) -> Plan:
    if default_plan_path().stem == plan_id:
        return _load_default()
    return _load(default_plan_path().parent / f"{plan_id}.yaml")


def _load(path: Path) -> Plan:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanError([PlanProblem(name, "", None, "file not found / 文件不存在")]) from None
    except UnicodeDecodeError as e:
        raise PlanError([PlanProblem(name, "", None, f"not UTF-8 text: {e}")]) from None
    except OSError as e:  # a directory, a name too long, no permission …
        raise PlanError([PlanProblem(name, "", None, f"cannot read the file: {e.strerror or e}")]) from None
    return parse_plan(text, name, folder=path.resolve().parent)


def parse_plan(text: str, name: str = "<plan>", *, folder: Path | None = None) -> Plan:
    """A plan from its YAML text (e.g. as a store's plans registry keeps it); PlanError if unusable.
    `folder`: where the plan file is (a map file named in it is relative to it); default: here."""
    data, node, found = read_yaml(text)
    problems = [PlanProblem(name, path_text, line, reason) for line, path_text, reason in found]
    if data is None and problems:
        raise PlanError(problems)
    if not isinstance(data, dict):
        raise PlanError([PlanProblem(name, "", 1, "expected a mapping with 'plan' and 'indicators'")])
    for loc, reason in reference_problems(data):
        problems.append(PlanProblem(name, _path_text(loc, data), _line_of(node, loc), reason))
    try:
        # References were checked above on the raw data, with lines; the model need not repeat them.
        plan = Plan.model_validate(data, context={"references_checked": True})
    except ValidationError as e:
        for err in e.errors():
            loc = list(err["loc"])
            problems.append(PlanProblem(name, _path_text(loc, data), _line_of(node, loc), _reason(err)))
        raise PlanError(problems) from None
    plan, geo_problem = _resolve_geometry(plan, folder or Path.cwd())
    if geo_problem:
        problems.append(PlanProblem(name, "regions.geometry.file", _line_of(node, ["regions", "geometry", "file"]),
                                    geo_problem))
    if problems:
        raise PlanError(problems)
    return plan


GEO_SUFFIXES = (".geojson", ".json")


def _resolve_geometry(plan: Plan, folder: Path) -> tuple[Plan, str | None]:
    """The map file as an absolute path (a bundled `geo/…` file stays as written): a path in a plan
    is relative to the plan file, wherever zhizao runs from."""
    geo = plan.regions.geometry if plan.regions else None
    if geo is None:
        return plan, None
    if not geo.file.lower().endswith(GEO_SUFFIXES):
        return plan, "the map must be a GeoJSON file (.geojson or .json) / 地图须为 GeoJSON 文件"
    if geo.file.startswith("geo/"):
        found = resources.files("zhizao.resources").joinpath(geo.file).is_file()
        return plan, None if found else f"no bundled map '{geo.file}' (zhizao/resources/geo) / 没有该内置地图文件"
    where = Path(geo.file) if Path(geo.file).is_absolute() else folder / geo.file
    if not where.is_file():
        return plan, f"map file not found: {where} / 地图文件不存在"
    regions = plan.regions.model_copy(update={"geometry": geo.model_copy(update={"file": str(where)})})
    return plan.model_copy(update={"regions": regions}), None


# --- YAML, parsed once ----------------------------------------------------------------------
MAX_DEPTH = 50  # a plan is about 6 levels deep; this refuses pathological nesting before recursion
MAX_EXPANSION = 4  # aliases may at most multiply the document's nodes by this (billion laughs)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10x faster


def read_yaml(text: str, *, aliases: bool = True) -> tuple[Any, yaml.Node | None, list[tuple[int | None, str, str]]]:
    """Parse YAML once: (data, composed node, problems as (line, path, reason)).

    Problems: syntax errors, nesting deeper than MAX_DEPTH, duplicate keys (YAML keeps only the last),
    aliases (refused when `aliases` is False, else limited in expansion). `data` is None when the
    document cannot be used at all; duplicate keys still give data, so they are listed with the rest."""
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
            return None, None, [(mark.line + 1 if mark else None, "", f"YAML syntax error: {_short(e)}")]
        except RecursionError:
            return None, None, [(None, "", f"nested too deeply (more than {MAX_DEPTH} levels)")]
        if node is None:
            return None, None, []
        problems = _walk(node, aliases)
        if any(reason.startswith(("nested too deeply", "aliases", "YAML aliases")) for _, _, reason in problems):
            return None, node, problems
        try:
            data = loader.construct_document(node)
        except yaml.YAMLError as e:  # e.g. a !!python tag: safe construction refuses it
            mark = getattr(e, "problem_mark", None)
            return None, node, problems + [(mark.line + 1 if mark else None, "", f"YAML: {_short(e)}")]
        return data, node, problems
    finally:
        loader.dispose()


def _short(e: Exception, limit: int = 300) -> str:
    text = " ".join(str(e).split())
    return text if len(text) <= limit else text[:limit] + "…"


def _walk(root: yaml.Node, aliases: bool) -> list[tuple[int | None, str, str]]:
    """Depth, duplicate keys and alias expansion, iteratively (no recursion) and once per node.
    Paths are kept as (parent, part) links and written out only for a problem."""
    problems: list[tuple[int | None, str, str]] = []
    seen: set[int] = set()
    has_alias = False
    stack: list = [(root, None, 1)]
    mapping, sequence = yaml.MappingNode, yaml.SequenceNode
    while stack:
        node, where, depth = stack.pop()
        if id(node) in seen:  # reached again: an alias
            if not aliases:
                return [(node.start_mark.line + 1, _where(where),
                         "YAML aliases (*name) are not allowed in this file; write the entry out")]
            has_alias = True
            continue
        seen.add(id(node))
        if depth > MAX_DEPTH:
            return [(node.start_mark.line + 1, _where(where), f"nested too deeply (more than {MAX_DEPTH} levels)")]
        cls = type(node)
        if cls is mapping or isinstance(node, mapping):
            first: dict[str, int] = {}
            for k, v in node.value:
                key = k.value if type(k) is yaml.ScalarNode else None
                if key is not None and key != "<<":
                    if key in first:
                        problems.append((k.start_mark.line + 1, _where((where, key)),
                                         f"duplicate key (first on line {first[key]}); YAML would keep only the last"))
                    else:
                        first[key] = k.start_mark.line + 1
                if type(v) is not yaml.ScalarNode or not aliases:
                    stack.append((v, (where, key), depth + 1))
                if type(k) is not yaml.ScalarNode or not aliases:
                    stack.append((k, (where, key), depth + 1))
        elif cls is sequence or isinstance(node, sequence):
            for i, v in enumerate(node.value):
                if type(v) is not yaml.ScalarNode or not aliases:
                    stack.append((v, (where, i), depth + 1))
    # Scalars are only walked where aliases are refused: an aliased scalar cannot expand.
    if has_alias and _expanded(root, MAX_EXPANSION * len(seen) + 10_000) is None:
        return [(None, "", "YAML aliases expand too much (billion laughs); write the entries out")]
    problems.sort(key=lambda p: p[0] or 0)
    return problems


def _where(link) -> str:
    parts = []
    while link is not None:
        link, part = link
        parts.append(part)
    out = ""
    for part in reversed(parts):
        out += f"[{part}]" if isinstance(part, int) else (("." if out else "") + _short(str(part), 80))
    return out


def _expanded(root: yaml.Node, limit: int) -> int | None:
    """Node count with aliases expanded, or None once it passes `limit` (memoised, iterative)."""
    size: dict[int, int] = {}
    pending: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        kids = ([x for kv in node.value for x in kv] if isinstance(node, yaml.MappingNode)
                else node.value if isinstance(node, yaml.SequenceNode) else [])
        kids = [k for k in kids if type(k) is not yaml.ScalarNode]  # containers only, as `_walk` counts
        if done:
            size[id(node)] = 1 + sum(size[id(k)] for k in kids)
            pending.discard(id(node))
            if size[id(node)] > limit:
                return None
        elif id(node) in pending:  # its own descendant: a recursive alias never ends
            return None
        elif id(node) not in size:
            pending.add(id(node))
            stack.append((node, True))
            stack.extend((k, False) for k in kids if id(k) not in size)
    return size[id(root)]


def _reason(err: dict) -> str:
    msg = err["msg"]
    if err["type"] == "extra_forbidden":
        return "unknown key (check spelling; see docs/plan-spec.md)"
    if err["type"] == "missing":
        return "required key is missing"
    if "input" in err and not isinstance(err["input"], (dict, list)):
        return f"{msg} (got {err['input']!r})"
    return msg


def _path_text(loc: list, data: dict) -> str:
    out = ""
    cur = data
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            try:
                cur = cur[part]
                if isinstance(cur, dict) and "id" in cur:
                    out += f"({cur['id']})"
            except (IndexError, KeyError, TypeError):
                cur = None
        else:
            out += ("." if out else "") + str(part)
            cur = cur.get(part) if isinstance(cur, dict) else None
    return out


def _line_of(node, loc: list) -> int | None:
    """Line number (1-based) of the deepest YAML node on `loc` that exists."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            nxt = node.value[part]
        else:
            nxt = None
        if nxt is None:
            break
        node = nxt
        line = node.start_mark.line + 1
    return line
