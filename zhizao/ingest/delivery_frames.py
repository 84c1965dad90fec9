"""The plan-delivery data an import or a form edit produces and the analytics read: investment
projects with their stage dates, 三服务 problems, and the 任务分工方案 (work items, milestones,
progress reports) with the units it assigns work to.

Seven frames with fixed columns (the contract every reader and writer keeps; NaN/"" = unknown;
dates are 'YYYY-MM-DD' strings, "" = none):
- projects: project_id, name, cluster (a plan cluster id or ""), chain / link (a plan chain id and
  one of its link ids, or ""), district (GB/T 2260 code of the plan), park (park_id or ""), investor
  (name), investor_id (统一社会信用代码 or ""), planned_investment (万元, total), planned_output
  (万元 a year at 达产), for each stage in STAGES a planned date `planned_<stage>` and an actual
  date `<stage>` ("" not reached), status (PROJECT_STATUSES), note. Stage dates, planned and
  actual, never go backwards (签约 ≤ 开工 ≤ 投产 ≤ 达产 among those given);
- project_progress: project_id, year, month, investment (万元 completed in that month), output
  (万元 in that month, NaN before 投产);
- problems: problem_id, enterprise_id (统一社会信用代码 or ""), enterprise_name, district,
  category (PROBLEM_CATEGORIES), description, department (a unit: see below), raised, deadline
  (≥ raised), status (PROBLEM_STATUSES), resolved (date, set iff status is resolved, ≥ raised),
  resolution (text);
- work_items: item_id, task (a plan task or safeguard id), title, lead / cooperating (";"-joined
  units), start, deadline (≥ start), basis ("plan_text" | "zhizao_reading" | "user"), section, quote;
- milestones: item_id, seq (1, 2, …), due, text, done (date or "");
- progress_reports: report_id, item_id (a known work item), date, completion (0–100 %, the
  reporter's estimate for the whole item), text, attachments (";"-joined references: file names
  or URLs, never the files), reporter;
- departments: department_id, name, name_en, kind ("department" | "group" | "districts" |
  "other"), aliases (";"-joined).

A unit (牵头单位/配合单位/责任单位) is a department_id or name/alias of `departments` (the plan's
Plan.departments plus imported ones) or a district code or name of the plan.

Every row is one version: an import or a form edit writes new versions, never overwrites. The
active row of a key (KEYS) is its latest version in a non-withdrawn batch; `history` keeps all.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from zhizao.plan.spec import PROJECT_STAGES

STAGES = tuple(s.value for s in PROJECT_STAGES)  # signed, started, production, full_production
STAGE_NAMES = {"signed": ("签约", "signed"), "started": ("开工", "construction started"),
               "production": ("投产", "in production"), "full_production": ("达产", "at full production")}
PROJECT_STATUSES = ("active", "suspended", "cancelled")  # 推进中 / 暂缓 / 终止
PROBLEM_CATEGORIES = {  # the 三服务 台账's usual categories (要素保障 split as 煤电油气运)
    "energy_supply": ("要素保障（煤电油气运）", "factor supply (coal, power, oil, gas, transport)"),
    "financing": ("融资", "financing"),
    "labour": ("用工", "labour"),
    "land": ("用地", "land"),
    "approval": ("审批", "approvals"),
    "supply_chain": ("供应链", "supply chain"),
    "market": ("市场开拓", "markets"),
    "technology": ("技术创新", "technology"),
    "policy": ("政策兑现", "policy delivery"),
    "other": ("其他", "other"),
}
PROBLEM_STATUSES = ("open", "in_progress", "resolved")  # 待办 / 办理中 / 已办结
WORK_BASES = ("plan_text", "zhizao_reading", "user")
DEPARTMENT_KINDS = ("department", "group", "districts", "other")

PROJECT_COLUMNS = ["project_id", "name", "cluster", "chain", "link", "district", "park", "investor",
                   "investor_id", "planned_investment", "planned_output",
                   *[f"planned_{s}" for s in STAGES], *STAGES, "status", "note"]
PROGRESS_COLUMNS = ["project_id", "year", "month", "investment", "output"]
PROBLEM_COLUMNS = ["problem_id", "enterprise_id", "enterprise_name", "district", "category", "description",
                   "department", "raised", "deadline", "status", "resolved", "resolution"]
WORK_ITEM_COLUMNS = ["item_id", "task", "title", "lead", "cooperating", "start", "deadline", "basis",
                     "section", "quote"]
MILESTONE_COLUMNS = ["item_id", "seq", "due", "text", "done"]
REPORT_COLUMNS = ["report_id", "item_id", "date", "completion", "text", "attachments", "reporter"]
DEPARTMENT_COLUMNS = ["department_id", "name", "name_en", "kind", "aliases"]

FRAMES = {"projects": PROJECT_COLUMNS, "project_progress": PROGRESS_COLUMNS, "problems": PROBLEM_COLUMNS,
          "work_items": WORK_ITEM_COLUMNS, "milestones": MILESTONE_COLUMNS, "progress_reports": REPORT_COLUMNS,
          "departments": DEPARTMENT_COLUMNS}
KEYS = {"projects": ["project_id"], "project_progress": ["project_id", "year", "month"],
        "problems": ["problem_id"], "work_items": ["item_id"], "milestones": ["item_id", "seq"],
        "progress_reports": ["report_id"], "departments": ["department_id"]}
# which frames make up each area of the data (an area is synthetic until anything of it is imported)
AREAS = {"projects": ("projects", "project_progress"), "services": ("problems",),
         "tasks": ("work_items", "milestones", "progress_reports", "departments")}
# the columns of each version in `DeliveryData.history` besides the frame's own
HISTORY_COLUMNS = ["frame", "key", "batch_id", "kind", "actor", "recorded_at", "withdrawn"]

FLOAT_COLUMNS = frozenset({"planned_investment", "planned_output", "investment", "output", "completion"})
INT_COLUMNS = frozenset({"year", "month", "seq"})


def _dtype(column: str) -> str:
    if column in INT_COLUMNS:
        return "Int64"
    return "float64" if column in FLOAT_COLUMNS else "object"


def empty_frame(frame: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in FRAMES[frame]})


def key_text(frame: str, row) -> str:
    """One string naming a row's key (for history and messages): 'P-001', 'P-001/2024/3'."""
    return "/".join(str(row[k]) for k in KEYS[frame])


@dataclass(frozen=True)
class DeliveryData:
    projects: pd.DataFrame
    project_progress: pd.DataFrame
    problems: pd.DataFrame
    work_items: pd.DataFrame
    milestones: pd.DataFrame
    progress_reports: pd.DataFrame
    departments: pd.DataFrame
    # frames whose rows are generated demo data (labelled 合成数据（演示用）/ SYNTHETIC wherever shown);
    # the others are imported or edited data, or the plan's own 任务分工 (basis plan_text)
    synthetic_frames: frozenset[str] = frozenset()
    source: str = ""  # in words: the generator and its seed, and/or the imported files
    batch_id: str | None = None  # the latest store batch it includes; None for the in-memory default
    as_of: str | None = None  # 'YYYY-MM-DD' the data describe (overdue is judged at this date)
    # every stored version of every key: HISTORY_COLUMNS + `values` (a dict column → value); empty
    # for the in-memory default
    history: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=[*HISTORY_COLUMNS, "values"]))
    # the synthetic frames' own date: a synthetic area is judged at it (its demo ends there), unless the
    # caller chose an as_of (then None); see area_as_of
    synthetic_as_of: str | None = None
    # frame → where its active stored rows come from: file names, "" for form/API edits (oldest first)
    frame_sources: dict = field(default_factory=dict)

    @classmethod
    def empty(cls, source: str = "") -> "DeliveryData":
        return cls(*(empty_frame(f) for f in FRAMES), source=source)

    def frame(self, name: str) -> pd.DataFrame:
        return getattr(self, name)

    @property
    def synthetic(self) -> bool:
        return bool(self.synthetic_frames)

    def area_synthetic(self, area: str) -> bool:
        """Whether the area ("projects" | "services" | "tasks") shows generated data."""
        return any(f in self.synthetic_frames for f in AREAS[area])

    def area_as_of(self, area: str) -> str | None:
        """The date an area's statuses are judged at: a synthetic area's own date (synthetic_as_of, set
        only when the caller chose no as_of), else as_of."""
        if self.synthetic_as_of and self.area_synthetic(area):
            return self.synthetic_as_of
        return self.as_of


# --- words shared by the import, the template, the exports and the pages ----------------------------
FRAME_NAMES = {  # frame → (中文 sheet name, English): the template's sheets; the import accepts both
    "projects": ("项目", "projects"), "project_progress": ("项目进度", "project progress"),
    "problems": ("三服务问题", "problems"), "work_items": ("任务分工", "work items"),
    "milestones": ("任务节点", "milestones"), "progress_reports": ("进展报告", "progress reports"),
    "departments": ("单位", "units"),
}
COLUMN_WORDS: dict[str, dict[str, tuple[str, str]]] = {  # column → (中文, English), without the unit
    "projects": {
        "project_id": ("项目编号", "project id"), "name": ("项目名称", "project name"),
        "cluster": ("所属产业集群", "cluster"), "chain": ("所属产业链", "chain"), "link": ("产业链环节", "chain link"),
        "district": ("所在区县", "district"), "park": ("所在园区", "park"), "investor": ("投资主体", "investor"),
        "investor_id": ("投资主体统一社会信用代码", "investor credit code"),
        "planned_investment": ("计划总投资", "planned investment"), "planned_output": ("达产后年产值", "planned output"),
        **{f"planned_{s}": (f"计划{STAGE_NAMES[s][0]}日期", f"planned {STAGE_NAMES[s][1]} date") for s in STAGES},
        **{s: (f"实际{STAGE_NAMES[s][0]}日期", f"{STAGE_NAMES[s][1]} date") for s in STAGES},
        "status": ("项目状态", "status"), "note": ("备注", "note"),
    },
    "project_progress": {"project_id": ("项目编号", "project id"), "year": ("年份", "year"), "month": ("月份", "month"),
                         "investment": ("当月完成投资", "investment in the month"),
                         "output": ("当月产值", "output in the month")},
    "problems": {
        "problem_id": ("问题编号", "problem id"), "enterprise_id": ("统一社会信用代码", "credit code"),
        "enterprise_name": ("企业名称", "enterprise"), "district": ("所在区县", "district"),
        "category": ("问题类别", "category"), "description": ("问题描述", "description"),
        "department": ("责任单位", "responsible unit"), "raised": ("提出日期", "raised"),
        "deadline": ("办理期限", "deadline"), "status": ("办理状态", "status"), "resolved": ("办结日期", "resolved"),
        "resolution": ("办理结果", "resolution"),
    },
    "work_items": {
        "item_id": ("任务编号", "item id"), "task": ("对应规划任务", "plan task"), "title": ("工作任务", "work item"),
        "lead": ("牵头单位", "lead units"), "cooperating": ("配合单位", "co-operating units"),
        "start": ("开始日期", "start"), "deadline": ("完成时限", "deadline"), "basis": ("分工依据", "basis"),
        "section": ("规划条款", "plan section"), "quote": ("规划原文", "plan text"),
    },
    "milestones": {"item_id": ("任务编号", "item id"), "seq": ("节点序号", "milestone no."),
                   "due": ("节点时限", "due"), "text": ("节点内容", "milestone"), "done": ("完成日期", "done")},
    "progress_reports": {
        "report_id": ("报告编号", "report id"), "item_id": ("任务编号", "item id"), "date": ("报告日期", "date"),
        "completion": ("完成进度", "completion"), "text": ("进展情况", "progress"),
        "attachments": ("附件", "attachments"), "reporter": ("报送人", "reporter"),
    },
    "departments": {"department_id": ("单位编号", "unit id"), "name": ("单位名称", "unit name"),
                    "name_en": ("英文名称", "English name"), "kind": ("单位类别", "kind"),
                    "aliases": ("别名", "aliases")},
}
COLUMN_UNITS = {"planned_investment": "万元", "planned_output": "万元", "investment": "万元", "output": "万元",
                "completion": "%"}
STATUS_NAMES = {  # value → (中文, English) for the vocabularies above
    # 推进中, not 正常推进: a project years late is still "active" and must not read as on schedule
    "project": {"active": ("推进中", "active"), "suspended": ("暂缓", "suspended"), "cancelled": ("终止", "cancelled")},
    "problem": {"open": ("待办", "open"), "in_progress": ("办理中", "in progress"), "resolved": ("已办结", "resolved")},
    "basis": {"plan_text": ("规划原文", "the plan's text"), "zhizao_reading": ("zhizao 的理解", "zhizao's reading"),
              "user": ("用户录入", "entered by users")},
    "department": {"department": ("部门", "department"), "group": ("领导小组", "leading group"),
                   "districts": ("各区县", "districts"), "other": ("其他", "other")},
}


def plan_departments(plan) -> pd.DataFrame:
    """The plan's own units (Plan.departments) as a departments frame."""
    rows = [{"department_id": d.id, "name": d.name, "name_en": d.name_en or "", "kind": d.kind,
             "aliases": ";".join(d.aliases)} for d in plan.departments]
    return (pd.DataFrame(rows, columns=DEPARTMENT_COLUMNS).astype(object) if rows  # object, as empty_frame
            else empty_frame("departments"))


def unit_vocabulary(plan, departments: pd.DataFrame | None = None) -> dict[str, str]:
    """Every way a unit may be written → its canonical id (a department_id, or a district's GB/T 2260 code):
    ids, names and aliases of the plan's departments and of `departments` (imported ones win), and the
    plan's whole area (its code and name: 全市 as a unit) and district codes, names and aliases. Matching is
    exact after stripping spaces."""
    vocab: dict[str, str] = {}
    if plan.regions is not None:
        vocab[plan.regions.whole_code] = vocab[plan.regions.whole_name.strip()] = plan.regions.whole_code
        for d in plan.regions.districts:
            for word in (d.code, d.name, *d.aliases):
                vocab[word.strip()] = d.code
    frames = [plan_departments(plan)] + ([departments] if departments is not None and len(departments) else [])
    for frame in frames:
        for row in frame.itertuples(index=False):
            words = [row.department_id, row.name, *(a for a in str(row.aliases or "").split(";") if a.strip())]
            for word in words:
                if isinstance(word, str) and word.strip():
                    vocab[word.strip()] = row.department_id
    return vocab


def unit_names(plan, departments: pd.DataFrame | None = None, lang: str = "zh") -> dict[str, str]:
    """Canonical unit id → its name in `lang` (English falls back to the Chinese name)."""
    names: dict[str, str] = {}
    if plan.regions is not None:
        names[plan.regions.whole_code] = plan.regions.whole_name
        names.update({d.code: d.name for d in plan.regions.districts})
    frames = [plan_departments(plan)] + ([departments] if departments is not None and len(departments) else [])
    for frame in frames:
        for row in frame.itertuples(index=False):
            names[row.department_id] = (row.name_en or row.name) if lang == "en" else row.name
    return names


def plan_work_items(plan) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The plan's own 任务分工 (Plan.work_items) as work_items and milestones frames; start defaults to the
    plan's issue date, else 1 January after its base year."""
    default_start = (plan.plan.issued.isoformat() if plan.plan.issued else f"{plan.plan.base_year + 1}-01-01")
    items, stones = [], []
    for w in plan.work_items:
        items.append({"item_id": w.id, "task": w.task, "title": w.title, "lead": ";".join(w.lead),
                      "cooperating": ";".join(w.cooperating),
                      "start": w.start.isoformat() if w.start else default_start,
                      "deadline": w.deadline.isoformat(), "basis": w.basis, "section": w.section,
                      "quote": w.quote or ""})
        for i, m in enumerate(w.milestones, 1):
            stones.append({"item_id": w.id, "seq": i, "due": m.due.isoformat(), "text": m.text, "done": ""})
    work = pd.DataFrame(items, columns=WORK_ITEM_COLUMNS).astype(object) if items else empty_frame("work_items")
    miles = pd.DataFrame(stones, columns=MILESTONE_COLUMNS) if stones else empty_frame("milestones")
    if len(miles):
        miles = miles.astype(empty_frame("milestones").dtypes.to_dict())
    return work, miles
