"""Settings, declared once.

Every threshold or tolerance that no official source fixes is a `Setting` here, with its default,
its meaning and where the default comes from. docs/methodology.md documents each one (a test checks),
and `zhizao settings` lists them. Override on the command line with `-s name value`, or in Python
with `Settings(overrides)`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help_zh: str
    help_en: str
    basis: str  # where the default comes from: an official source, or "zhizao default"
    basis_zh: str = ""  # the same in Chinese, for Chinese outputs (empty: `basis` is shown)


ASSESSMENT_SETTINGS: tuple[Setting, ...] = (
    Setting(
        "on_track_ratio", 0.95,
        "观察增速与所需增速之比不低于该值为“基本符合预期”",
        "Observed/required growth ratio at or above which an indicator is on track",
        "Eurostat SDG / Statistics Canada / Open SDG ProgressMeasure (0.95)",
        "欧盟统计局可持续发展目标监测、加拿大统计局及 Open SDG 进展测度方法（0.95）",
    ),
    Setting(
        "behind_ratio", 0.6,
        "比值低于该值为“严重滞后”，介于两者之间为“滞后于预期”",
        "Ratio below which an indicator is seriously behind (between this and on_track: behind)",
        "Eurostat SDG / Open SDG ProgressMeasure (0.6)",
        "欧盟统计局可持续发展目标监测及 Open SDG 进展测度方法（0.6）",
    ),
    Setting(
        "ahead_ratio", 1.10,
        "比值不低于该值为“快于预期”",
        "Ratio at or above which an indicator is ahead of the plan",
        "zhizao default: no official source fixes this cut-off",
        "zhizao 默认值：无官方来源规定该界限",
    ),
    Setting(
        "approx_tolerance", 0.02,
        "“左右”目标的相对容差（±2%）",
        "Relative tolerance of an approximate (左右, ≈) target",
        "zhizao default: no official source fixes this tolerance",
        "zhizao 默认值：无官方来源规定该容差",
    ),
    Setting(
        "near_epsilon", 0.05,
        "“近X”“约X”等限定词对应区间的相对宽度（近X ∈ [X·(1−ε), X]）",
        "Relative width of the interval for 近X (nearly) and 约X (about)",
        "zhizao default: no official source fixes the width (the interval form: docs/methodology.md §1)",
        "zhizao 默认值：无官方来源规定区间宽度（区间形式见 docs/methodology.md 第1节）",
    ),
    Setting(
        "rebase_baseline", True,
        "基期值以最终公布数据为准：有可比终值时替换规划印刷基期值（规划有此规定时引用规划原文）",
        "Replace a printed baseline by a final published figure for the base year (citing the plan's own "
        "rule where it states one: plan.baseline_rule)",
        "The plan's own rule (plan.baseline_rule) where it states one; otherwise zhizao's default practice",
        "规划有规定时依规划原文（如“现状数据以统计年鉴最终公布数据为准”），否则为 zhizao 默认做法",
    ),
    Setting(
        "min_grade_alone", "C",
        "能单独决定状态的最低来源等级（D级来源永不单独决定状态）",
        "Lowest source grade that may decide a status on its own (grade D never does)",
        "zhizao/resources/datasets/SHARED-DATA-README.md (source grades): grade D is never the only support for a status",
        "数据来源等级规则（zhizao/resources/datasets/SHARED-DATA-README.md）：D级来源永不单独支持状态判断",
    ),
    Setting(
        "assumed_annual_release", "03-31",
        "未注明发布日期的年度数值，假定于次年该日（月-日）已知（统计公报一般于次年3月发布）",
        "An annual value without a known date is assumed known on this day (MM-DD) of the following year "
        "(the statistical communiqué)",
        "zhizao assumption: provincial statistical communiqués appear by the end of March of the following year",
        "zhizao 假定：省级统计公报一般于次年3月底前发布",
    ),
    Setting(
        "assumed_monthly_release_days", 20,
        "未注明发布日期的月度/累计数值，假定于该月结束后若干天已知",
        "A monthly or year-to-date value without a known date is assumed known this many days after its month",
        "zhizao assumption: monthly releases appear about 20 days after the month",
        "zhizao 假定：月度数据一般于月后约20天发布",
    ),
    Setting(
        "basic_completion_share", 0.95,
        "终期评估：未达到目标但完成所需变化量的该比例及以上为“基本完成”（约束性指标不适用）",
        "Final evaluation: a target not met but with at least this share of the required change reached is "
        "basically completed (never for binding indicators)",
        "zhizao default: no official cut-off; 0.95 mirrors the on-track ratio and the UN SDG report's "
        "'met or almost met' band",
        "zhizao 默认值：无官方界限；0.95 与“基本符合预期”的增速比一致，也对应联合国可持续发展目标报告的“已实现或接近实现”区间",
    ),
    Setting(
        "projection_min_volatility", 0.02,
        "终期评估外推：每年相对波动的下限（数据点太少无法估计残差时使用）",
        "Final evaluation projection: lower bound of the yearly relative volatility (used when too few "
        "points leave no residuals)",
        "zhizao default",
        "zhizao 默认值",
    ),
)


# Cited when a baseline is re-based and the plan states no rule of its own (plan.baseline_rule).
DEFAULT_BASELINE_RULE = ("zhizao 默认做法：以最终公布数据替换规划印刷的基期值",
                         "zhizao's default practice: final published figures replace printed baselines")


def baseline_rule(plan, lang: str = "zh") -> str:
    """Why a baseline may be re-based: the plan's own words (plan.baseline_rule), else zhizao's practice."""
    meta = plan.get("plan", plan) if isinstance(plan, dict) else getattr(plan, "plan", plan)
    # a Plan, its PlanMeta, an assessment result or its "plan" part
    rule = meta.get("baseline_rule") if isinstance(meta, dict) else getattr(meta, "baseline_rule", None)
    if rule:
        return rule if lang != "en" else f"the plan's rule: {rule}"
    return DEFAULT_BASELINE_RULE[lang == "en"]


def _collect() -> tuple[Setting, ...]:
    found: list[Setting] = list(ASSESSMENT_SETTINGS)
    # Other areas declare their settings beside their code; collected here so there is one list.
    try:
        from zhizao.analytics.monitoring.settings import MONITORING_SETTINGS  # noqa: PLC0415

        found.extend(MONITORING_SETTINGS)
    except ImportError:
        pass
    return tuple(found)


SETTINGS: tuple[Setting, ...] = _collect()
_BY_NAME = {s.name: s for s in SETTINGS}


class Settings(Mapping[str, Any]):
    """Defaults plus overrides; unknown names and wrong types are refused."""

    def __init__(self, overrides: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None):
        self._values = {s.name: s.default for s in SETTINGS}
        for name, value in dict(overrides or {}).items():
            if name not in _BY_NAME:
                raise KeyError(f"unknown setting '{name}' (see `zhizao settings`)")
            self._values[name] = _coerce(_BY_NAME[name].default, value)

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __getattr__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(key) from None


def _coerce(default: Any, value: Any) -> Any:
    if isinstance(value, str) and not isinstance(default, str):
        if isinstance(default, bool):
            low = value.strip().lower()
            if low in ("1", "true", "yes", "on"):
                return True
            if low in ("0", "false", "no", "off"):
                return False
            raise ValueError(f"expected true/false, got {value!r}")
        return type(default)(value)
    return value
