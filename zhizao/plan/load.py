"""Read a plan YAML file into a validated `Plan`, reporting every problem at once."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from zhizao.plan.spec import Plan

DEFAULT_PLAN = "chongqing-manufacturing-2021-2025.yaml"


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


def load_plan(path: str | Path | None = None) -> Plan:
    """Load and validate a plan; the embedded Chongqing plan when `path` is None."""
    if path is None:
        return _load_default()
    return _load(Path(path))


@lru_cache(maxsize=1)
def _load_default() -> Plan:
    return _load(default_plan_path())


def _load(path: Path) -> Plan:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanError([PlanProblem(name, "", None, "file not found / 文件不存在")]) from None
    except UnicodeDecodeError as e:
        raise PlanError([PlanProblem(name, "", None, f"not UTF-8 text: {e}")]) from None
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise PlanError([PlanProblem(name, "", line, f"YAML syntax error: {e}")]) from None
    if not isinstance(data, dict):
        raise PlanError([PlanProblem(name, "", 1, "expected a mapping with 'plan' and 'indicators'")])
    try:
        return Plan.model_validate(data)
    except ValidationError as e:
        problems = []
        for err in e.errors():
            loc = list(err["loc"])
            path_text = _path_text(loc, data)
            problems.append(PlanProblem(name, path_text, _line_of(node, loc), _reason(err)))
        raise PlanError(problems) from None


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
