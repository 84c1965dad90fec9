"""The plan specification: a development plan as data.

The YAML format is documented in docs/plan-spec.md; these models are its single definition.
Everything here is plan text turned into typed values — no statistics, no assessment.
"""
from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

ASCII_ID = r"^[a-z][a-z0-9_]*$"


class Strict(BaseModel):
    """Unknown keys are errors: a typo in a plan file must not pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Nature(str, Enum):
    expected = "expected"  # 预期性
    binding = "binding"  # 约束性
    unstated = "unstated"  # the plan does not say (many action plans print no 属性 column)


class Direction(str, Enum):
    increase = "increase"
    decrease = "decrease"


class TargetKind(str, Enum):
    level = "level"  # an amount: 亿元, 万元/人
    share = "share"  # a percentage of a whole, moved in percentage points
    count = "count"  # a number of things: platforms, enterprises
    index = "index"  # a composite score such as 两化融合发展水平
    ratio = "ratio"  # a quotient that grows by percent, e.g. patents per 亿元 revenue
    average_annual_growth = "average_annual_growth"  # the target is itself a growth rate
    cumulative_change = "cumulative_change"  # [-16%]: change over the whole period


class Comparator(str, Enum):
    ge = ">="
    gt = ">"
    le = "<="
    lt = "<"
    approx = "≈"  # 左右: within a tolerance
    eq = "="
    between = "between"  # a range (5—6%): value ≤ actual ≤ upper


# How plan files may also write a comparator (as printed in Chinese texts, or in full width).
COMPARATOR_ALIASES = {"≥": ">=", "≧": ">=", "＞": ">", "≤": "<=", "≦": "<=", "＜": "<", "＝": "=", "==": "=",
                      "~": "≈", "～": "≈", "左右": "≈", "约": "≈", "range": "between", "区间": "between"}


class Qualifier(str, Enum):
    """How a printed number is qualified; the same codes as observations (zhizao.ingest.values)."""

    exact = "exact"
    more_than = "more_than"  # 超过50
    at_least = "at_least"  # 不低于, 以上
    nearly = "nearly"  # 近80
    about = "about"  # 约, 左右
    at_most = "at_most"  # 不超过, 以内
    less_than = "less_than"  # 不足, 低于


class PriceBasis(str, Enum):
    current = "current"  # 当年价
    constant = "constant"  # 不变价 / 可比价
    not_applicable = "not_applicable"


class GrowthUnit(str, Enum):
    percent = "percent"  # 年均增长 6%
    percentage_points = "percentage_points"  # 每年提高 0.6 个百分点
    per_year = "per_year"  # 每年增加 0.6 万元/人, 4 个


class PathShape(str, Enum):
    geometric = "geometric"
    linear = "linear"
    compound = "compound"  # cumulative change compounded over the period


def _comparator_alias(v):
    return COMPARATOR_ALIASES.get(v.strip(), v.strip()) if isinstance(v, str) else v


class Point(Strict):
    year: int
    value: float
    qualifier: Qualifier = Qualifier.exact  # a baseline printed "超过50" is {value: 50, qualifier: more_than}
    text: str | None = None  # as printed


class Target(Strict):
    # None: the plan names no year (an undated tier such as 33618's 万亿级): judged achieved or
    # not, never for pace.
    year: int | None
    value: float
    comparator: Comparator = Comparator.ge
    upper: float | None = None  # with comparator `between`: the upper end (value is the lower)
    # For ≈ (左右): relative tolerance; None means the `approx_tolerance` setting.
    tolerance: float | None = Field(default=None, ge=0, lt=1)
    # 保持…以上: the condition must hold in every year of the plan period, not only at the end.
    every_year: bool = False
    text: str | None = None  # as printed, e.g. "30 左右", ">6", "[-16%]", "5—6%"

    @field_validator("comparator", mode="before")
    @classmethod
    def _aliases(cls, v):
        return _comparator_alias(v)

    @model_validator(mode="after")
    def _range(self) -> "Target":
        if self.comparator == Comparator.between:
            if self.upper is None or self.upper < self.value:
                raise ValueError("区间目标（between）需要 upper ≥ value（区间两端）/ comparator 'between' needs "
                                 "`upper` ≥ `value` (the range's two ends)")
        elif self.upper is not None:
            raise ValueError("upper 只用于区间目标（comparator: between）/ `upper` is only for comparator "
                             "'between' (a range)")
        return self


class StatedGrowth(Strict):
    value: float
    unit: GrowthUnit
    text: str | None = None  # as printed: "0.6 个百分点"


class Category(Strict):
    id: str = Field(pattern=ASCII_ID)
    name: str
    name_en: str | None = None


class Indicator(Strict):
    id: str = Field(pattern=ASCII_ID)
    name: str
    name_en: str | None = None
    category: str
    unit: str
    nature: Nature
    direction: Direction = Direction.increase
    kind: TargetKind
    baseline: Point | None = None  # None when the plan prints "—" or no baseline at all
    target: Target | None = None  # None: tracked without a target (监测指标, e.g. 绿色工厂 count)
    stated_growth: StatedGrowth | None = None
    path: PathShape | None = None  # None: follow stated_growth, else the kind's default
    price_basis: PriceBasis = PriceBasis.current
    concept: str | None = None  # statistical definition id, e.g. sei_share_of_output
    definition: str | None = None  # the definition in words (口径)
    scope: str | None = None  # 规上 / 全部 / 全社会
    lead_department: str | None = None  # 牵头单位
    frequency: Literal["annual", "quarterly", "monthly"] = "annual"
    section: str  # where the plan states it, e.g. "二(四) 专栏1"
    # Where the target is printed when that is not the plan's own text: a companion plan, a page.
    source: str | None = None
    notes: list[str] = Field(default_factory=list)
    # Warning settings as Chinese indicator cards carry them (触警阈值 / 优质阈值).
    alert_threshold: float | None = None
    excellence_threshold: float | None = None
    # An enterprise count (专精特新 5000 家) read from an imported enterprise registry's tag history.
    registry_count: RegistryCount | None = None
    # Counted from the project register (签约/开工/投产 targets), when the plan sets such targets
    project_count: ProjectCount | None = None

    @model_validator(mode="after")
    def _registry_count(self) -> "Indicator":
        rc = self.registry_count
        if rc is not None and rc.measure == "new" and self.baseline is None:
            raise ValueError(f"指标 {self.id}：registry_count.measure 为 new（累计新增）时须给出 baseline（起算年）/ "
                             f"indicator {self.id}: registry_count with measure 'new' needs a baseline (the year "
                             f"additions count from)")
        return self

    @property
    def path_shape(self) -> PathShape:
        if self.path is not None:
            return self.path
        if self.kind == TargetKind.cumulative_change:
            return PathShape.compound
        if self.stated_growth is not None:
            return (
                PathShape.geometric
                if self.stated_growth.unit == GrowthUnit.percent
                else PathShape.linear
            )
        if self.kind in (TargetKind.level, TargetKind.ratio):
            return PathShape.geometric
        return PathShape.linear


class EnterpriseTag(str, Enum):
    """The enterprise labels plans set targets for (an enterprise holds each over dated spells)."""

    chain_leader = "chain_leader"  # 链主企业
    srdi_sme = "srdi_sme"  # 专精特新中小企业
    little_giant = "little_giant"  # 专精特新“小巨人”企业
    single_champion = "single_champion"  # 制造业单项冠军企业
    high_tech = "high_tech"  # 高新技术企业
    tech_sme = "tech_sme"  # 科技型企业
    innovative_sme = "innovative_sme"  # 创新型中小企业
    above_scale = "above_scale"  # 规模以上工业企业 (营业收入 ≥ 2000万元)


class RegistryCount(Strict):
    """How an indicator counts enterprises in the registry: holders of `tag` (at `level`, any when
    None) at the end of each year (`stock`), or those that acquired it after the baseline year
    (`new`, the plans' 累计新增 / 新培育)."""

    tag: EnterpriseTag
    level: Literal["national", "municipal"] | None = None
    measure: Literal["stock", "new"] = "stock"


class ProjectStage(str, Enum):
    """The stages an investment project passes (签约一批、建设一批、投产一批), in order."""

    signed = "signed"  # 签约
    started = "started"  # 开工
    production = "production"  # 投产
    full_production = "full_production"  # 达产


PROJECT_STAGES = tuple(ProjectStage)


class ProjectCount(Strict):
    """How an indicator is counted from the project register: the projects that reached `stage`
    (their number, or their planned investment in 亿元), each year (`yearly`) or since the baseline
    year (`cumulative`, the plans' 累计)."""

    stage: ProjectStage
    measure: Literal["count", "investment"] = "count"
    period: Literal["yearly", "cumulative"] = "cumulative"


class Department(Strict):
    """A unit a plan assigns work to (市经济信息委, 领导小组, 各区县…): the vocabulary of 牵头单位/配合单位.
    Districts of `regions` are units too and need not be listed."""

    id: str = Field(pattern=ASCII_ID)
    name: str
    name_en: str | None = None
    aliases: list[str] = Field(default_factory=list)
    kind: Literal["department", "group", "districts", "other"] = "department"


class Milestone(Strict):
    due: date
    text: str
    text_en: str | None = None


class WorkItem(Strict):
    """One line of the plan's 任务分工方案: a piece of a task (四) or safeguard (五) with its lead and
    co-operating units (department ids or district codes), deadline and milestones.
    `basis`: "plan_text" when the plan's own words assign it (quoted), "zhizao_reading" otherwise."""

    id: str = Field(pattern=ASCII_ID)
    task: str  # id in tasks or safeguards
    title: str
    title_en: str | None = None
    lead: list[str] = Field(min_length=1)
    cooperating: list[str] = Field(default_factory=list)
    start: date | None = None  # None: the plan's issue date, else its base year's end
    deadline: date
    milestones: list[Milestone] = Field(default_factory=list)
    basis: Literal["plan_text", "zhizao_reading"] = "plan_text"
    section: str
    quote: str | None = None

    @model_validator(mode="after")
    def _dates(self) -> "WorkItem":
        if self.start is not None and self.deadline < self.start:
            raise ValueError(f"期限 deadline {self.deadline} 早于开始 start {self.start} / deadline before start")
        return self


class Cluster(Strict):
    """An industry cluster with a scale target (万亿级电子信息 …)."""

    id: str = Field(pattern=ASCII_ID)
    name: str
    name_en: str | None = None
    scale_target: float  # in `unit`
    unit: str = "亿元"
    measure: str = "产值"  # what the scale counts; the plan says only "万亿级"
    target_year: int | None  # None: an undated tier (33618: 万亿级 with no year)
    target_text: str  # as printed: 万亿级
    industries: list[str] = Field(default_factory=list)  # industry ids
    gbt4754_divisions: list[str] = Field(default_factory=list)
    section: str
    source: str | None = None  # as Indicator.source: where the target is printed, if not the plan's own text


class ProductGroup(Strict):
    name: str
    products: list[str]


class Industry(Strict):
    """An industry direction of 三: strategic emerging, pillar or future."""

    id: str = Field(pattern=ASCII_ID)
    name: str
    name_en: str | None = None
    group: Literal["strategic_emerging", "pillar", "future"]
    section: str
    text: str = ""  # the plan's paragraph, for search and citation
    sub_industries: list[str] = Field(default_factory=list)
    key_products: list[ProductGroup] = Field(default_factory=list)  # 专栏2–12
    key_products_section: str | None = None
    gbt4754_divisions: list[str] = Field(default_factory=list)  # only where the mapping is clear
    cluster: str | None = None


class TextItem(Strict):
    """A searchable, citable piece of plan text: a task, safeguard, technology or platform."""

    id: str = Field(pattern=ASCII_ID)
    title: str
    section: str
    text: str
    industries: list[str] = Field(default_factory=list)
    indicators: list[str] = Field(default_factory=list)


class RegionGroup(Strict):
    id: str = Field(pattern=ASCII_ID)
    name: str
    name_en: str | None = None
    parent: str | None = None
    districts: list[str] = Field(default_factory=list)  # GB/T 2260 codes


class District(Strict):
    code: str = Field(pattern=r"^\d{6}$")
    name: str
    aliases: list[str] = Field(default_factory=list)


class FunctionalZone(Strict):
    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    name: str
    aliases: list[str] = Field(default_factory=list)
    host_districts: list[str] = Field(default_factory=list)  # codes; empty if it spans several
    note: str | None = None


class Geometry(Strict):
    """The region map: a GeoJSON FeatureCollection whose features carry GB/T 2260 codes."""

    # A file bundled with zhizao (`geo/…` under zhizao/resources) or a path relative to the plan file.
    file: str
    code_property: str = "adcode"  # the feature property holding the code the data join on
    licence: str | None = None  # who drew it and under which licence, shown under the map


class Regions(Strict):
    whole_code: str = Field(pattern=r"^\d{6}$")  # 500000 = 全市
    whole_name: str
    geometry: Geometry | None = None  # None: the plan has no map
    districts: list[District] = Field(default_factory=list)
    groups: list[RegionGroup] = Field(default_factory=list)
    functional_zones: list[FunctionalZone] = Field(default_factory=list)


class ChainStage(str, Enum):
    """Where a link sits in a chain, upstream first (上游材料 → 零部件 → 系统 → 整机/终端 → 服务)."""

    materials = "materials"  # 原材料、基础材料
    parts = "parts"  # 零部件、元器件
    systems = "systems"  # 系统、模组、总成
    final = "final"  # 整机、终端产品
    services = "services"  # 应用与服务


class ChainLink(Strict):
    """A link (环节) of an industrial chain, drawn from the plan's words."""

    id: str = Field(pattern=ASCII_ID)  # unique within its chain
    name: str
    name_en: str | None = None
    stage: ChainStage
    upstream: list[str] = Field(default_factory=list)  # ids of the links (same chain) that supply this one
    key_products: list[str] = Field(default_factory=list)  # the plan's key products it covers (专栏2–12), as printed
    technologies: list[str] = Field(default_factory=list)  # ids in the plan's technologies (专栏13)
    industry_class: str | None = None  # GB/T 4754-2017 code (class, group or division) where one fits
    section: str  # where the plan says it, e.g. "三(一)1 专栏2"
    quote: str | None = None  # the plan's words the link rests on


class Chain(Strict):
    """An industrial chain (产业链) as a directed graph of links: upstream → downstream."""

    id: str = Field(pattern=ASCII_ID)
    name: str
    name_en: str | None = None
    cluster: str  # cluster id
    industries: list[str] = Field(default_factory=list)  # industry ids
    section: str
    text: str | None = None  # the plan's sentence that names the chain
    links: list[ChainLink]


class SupplyRegion(Strict):
    """The wider region counted beside the plan's own area in local supply (本地配套), e.g. 成渝地区:
    enterprises whose GB/T 2260 code starts with one of `division_prefixes`."""

    name: str
    name_en: str | None = None
    division_prefixes: list[str] = Field(min_length=1)
    section: str | None = None


class ParkTier(Strict):
    """A tier of the plan's park system (the "10" of “2+10+36”)."""

    id: str = Field(pattern=ASCII_ID)
    name: str
    name_en: str | None = None
    count: int | None = Field(default=None, ge=0)  # how many parks the plan counts in this tier


class ParkSystem(Strict):
    """The plan's industrial park system (产业园区体系): its tiers as the plan names them. The parks
    themselves (area, districts, industries, land-use targets) are data that users enter."""

    name: str
    name_en: str | None = None
    tiers: list[ParkTier] = Field(min_length=1)
    section: str
    quote: str | None = None


class PlanMeta(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$")
    title: str
    title_en: str | None = None
    issuer: str
    document_number: str | None = None
    issued: date | None = None
    base_year: int
    target_year: int
    source_text: str | None = None  # where the full text is
    notes: list[str] = Field(default_factory=list)  # table footnotes, as printed
    # The plan's own words that baselines follow the final published figures (专栏1注1), cited
    # when a baseline is re-based; None: re-basing is zhizao's default practice, cited as such.
    baseline_rule: str | None = None
    # How the plan names its clusters as a group (六大产业集群, “33618”现代制造业集群体系); None: 产业集群.
    cluster_heading: str | None = None
    cluster_heading_en: str | None = None

    @model_validator(mode="after")
    def _years(self) -> "PlanMeta":
        if self.target_year <= self.base_year:
            raise ValueError(f"目标年 target_year {self.target_year} 须晚于基期年 base_year {self.base_year} / "
                             f"target_year {self.target_year} must be after base_year {self.base_year}")
        return self


class Plan(Strict):
    plan: PlanMeta
    categories: list[Category]
    indicators: list[Indicator]
    clusters: list[Cluster] = Field(default_factory=list)
    industries: list[Industry] = Field(default_factory=list)
    technologies: list[TextItem] = Field(default_factory=list)  # 专栏13
    platforms: list[TextItem] = Field(default_factory=list)  # 专栏14
    tasks: list[TextItem] = Field(default_factory=list)  # 四
    safeguards: list[TextItem] = Field(default_factory=list)  # 五
    regions: Regions | None = None
    chains: list[Chain] = Field(default_factory=list)  # 产业链图谱 (四(二))
    supply_region: SupplyRegion | None = None  # the wider region of local supply (成渝), if the plan names one
    park_system: ParkSystem | None = None  # 产业园区体系 (“2+10+36”), if the plan names one
    departments: list[Department] = Field(default_factory=list)  # the units the plan names (牵头/配合单位)
    work_items: list[WorkItem] = Field(default_factory=list)  # 任务分工方案 the plan's text supports

    @model_validator(mode="after")
    def _references(self, info: ValidationInfo) -> "Plan":
        if (info.context or {}).get("references_checked"):  # the loader checked the raw data, with lines
            return self
        problems = reference_problems(self.model_dump(mode="json"))
        if problems:
            raise ValueError("; ".join(f"{_loc_text(loc)}: {reason}" for loc, reason in problems[:50]))
        return self

    def indicator(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    def category_name(self, category_id: str, lang: str = "zh") -> str:
        for c in self.categories:
            if c.id == category_id:
                return (c.name_en or c.name) if lang == "en" else c.name
        return category_id


# --- references between parts of a plan ------------------------------------------------------
TEXT_SECTIONS = ("technologies", "platforms", "tasks", "safeguards")


def _loc_text(loc: list) -> str:
    return "".join(f"[{x}]" if isinstance(x, int) else (f".{x}" if i else str(x)) for i, x in enumerate(loc))


def reference_problems(data: dict) -> list[tuple[list, str]]:
    """Unknown or duplicate ids across the plan, as (location, reason); on raw YAML data, so it runs
    (and reports together with every other problem) even when parts of the plan are malformed.
    Linear in the plan's size."""
    out: list[tuple[list, str]] = []

    def items(*path):
        cur = data
        for part in path:
            if isinstance(part, int):
                cur = cur[part] if isinstance(cur, list) and part < len(cur) else None
            else:
                cur = cur.get(part) if isinstance(cur, dict) else None
        return [(i, x) for i, x in enumerate(cur)] if isinstance(cur, list) else []

    def ids(path: tuple, key: str = "id") -> set:
        seen: dict = {}
        for i, x in items(*path):
            v = x.get(key) if isinstance(x, dict) else None
            if not isinstance(v, (str, int)):
                continue
            if v in seen:
                out.append(([*path, i, key], f"duplicate {key} '{v}' (first at {_loc_text([*path, seen[v]])})"))
            else:
                seen[v] = i
        return set(seen)

    def refs(path: tuple, key: str, known: set, what: str, many: bool = True) -> None:
        for i, x in items(*path):
            if not isinstance(x, dict):
                continue
            vals = x.get(key)
            vals = (vals if isinstance(vals, list) else []) if many else ([] if vals is None else [vals])
            for j, v in enumerate(vals):
                if isinstance(v, (str, int)) and v not in known:
                    loc = [*path, i, key, j] if many else [*path, i, key]
                    out.append((loc, f"unknown {what} '{v}'"))

    categories = ids(("categories",))
    indicators = ids(("indicators",))
    clusters = ids(("clusters",))
    industries = ids(("industries",))
    text_ids = {section: ids((section,)) for section in TEXT_SECTIONS}
    refs(("indicators",), "category", categories, "category", many=False)
    refs(("clusters",), "industries", industries, "industry")
    refs(("industries",), "cluster", clusters, "cluster", many=False)
    for section in TEXT_SECTIONS:
        refs((section,), "industries", industries, "industry")
        refs((section,), "indicators", indicators, "indicator")
    ids(("park_system", "tiers"))
    departments = ids(("departments",))
    ids(("work_items",))
    refs(("work_items",), "task", text_ids["tasks"] | text_ids["safeguards"], "task or safeguard", many=False)
    ids(("chains",))
    refs(("chains",), "cluster", clusters, "cluster", many=False)
    refs(("chains",), "industries", industries, "industry")
    for i, chain in items("chains"):
        if not isinstance(chain, dict):
            continue
        links = ids(("chains", i, "links"))
        refs(("chains", i, "links"), "upstream", links, "link of this chain")
        refs(("chains", i, "links"), "technologies", text_ids["technologies"], "technology")
    if isinstance(data.get("regions"), dict):
        districts = ids(("regions", "districts"), "code")
        zones = ids(("regions", "functional_zones"), "code")
        groups = ids(("regions", "groups"))
        refs(("regions", "groups"), "districts", districts | zones, "district code")
        refs(("regions", "groups"), "parent", groups, "region group", many=False)
        refs(("regions", "functional_zones"), "host_districts", districts, "district code")
    else:
        districts = set()
    for key in ("lead", "cooperating"):
        refs(("work_items",), key, departments | districts, "department id or district code")
    return out
