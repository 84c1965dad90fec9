"""Settings, declared once.

Every threshold or tolerance that no official source fixes is a `Setting` here, with its default,
its meaning and where the default comes from. docs/methodology.md documents each one (a test checks),
and `zhizao settings` lists them. Override on the command line with `-s name value`, or in Python
with `Settings(overrides)`.

All lists are here — the assessment's (ASSESSMENT_SETTINGS), monthly monitoring's
(MONITORING_SETTINGS) and the chain analytics' (CHAIN_SETTINGS, docs/chains.md): this is a base module
that every layer imports, so it imports no layer itself (docs/architecture.md); the analytics receive
the values in a `Settings`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any, Iterable, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from zhizao.errors import UserError


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help_zh: str
    help_en: str
    basis: str  # where the default comes from: an official source, or "zhizao default"
    basis_zh: str = ""  # the same in Chinese, for Chinese outputs (empty: `basis` is shown)
    bounds: tuple[float, float] | None = None  # the values that make sense (inclusive); -s outside is refused
    choices: tuple[str, ...] | None = None  # the words a text setting takes; -s anything else is refused


ASSESSMENT_SETTINGS: tuple[Setting, ...] = (
    Setting(
        "on_track_ratio", 0.95,
        "观察增速与所需增速之比不低于该值为“基本符合预期”",
        "Observed/required growth ratio at or above which an indicator is on track",
        "Eurostat SDG / Statistics Canada / Open SDG ProgressMeasure (0.95)",
        "欧盟统计局可持续发展目标监测、加拿大统计局及 Open SDG 进展测度方法（0.95）",
        bounds=(0.5, 1.5),
    ),
    Setting(
        "behind_ratio", 0.6,
        "比值低于该值为“严重滞后”，介于两者之间为“滞后于预期”",
        "Ratio below which an indicator is seriously behind (between this and on_track: behind)",
        "Eurostat SDG / Open SDG ProgressMeasure (0.6)",
        "欧盟统计局可持续发展目标监测及 Open SDG 进展测度方法（0.6）",
        bounds=(0.0, 1.0),
    ),
    Setting(
        "ahead_ratio", 1.10,
        "比值不低于该值为“快于预期”",
        "Ratio at or above which an indicator is ahead of the plan",
        "zhizao default: no official source fixes this cut-off",
        "zhizao 默认值：无官方来源规定该界限",
        bounds=(1.0, 3.0),
    ),
    Setting(
        "approx_tolerance", 0.02,
        "“左右”目标的相对容差（±2%）",
        "Relative tolerance of an approximate (about …, ≈) target",
        "zhizao default: no official source fixes this tolerance",
        "zhizao 默认值：无官方来源规定该容差",
        bounds=(0.0, 0.5),
    ),
    Setting(
        "near_epsilon", 0.05,
        "“近X”“约X”等限定词对应区间的相对宽度（近X ∈ [X·(1−ε), X]）",
        "Relative width of the interval for 'nearly X' and 'about X'",
        "zhizao default: no official source fixes the width (the interval form: docs/methodology.md §1)",
        "zhizao 默认值：无官方来源规定区间宽度（区间形式见 docs/methodology.md 第1节）",
        bounds=(0.0, 0.5),
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
        bounds=(0.5, 1.0),
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


# --- monthly monitoring and early warning (zhizao.analytics.monitoring) ----------------------------
# Rule bodies read these by name from a `Settings`; none is a literal in a rule. The NBS 预警信号系统
# critical values (临界点) are NOT published (docs/reference/methods.md §2.1/§6 item 5), so the five-light cut-offs
# are project choices, documented as such.
_NBS_UNCONFIRMED = (
    "zhizao default: NBS five-light 临界点 are not published (docs/reference/methods.md §2.1, §6 item 5 — "
    "unconfirmed); bands follow docs/reference/methods.md [D] suggestion"
)
_NBS_UNCONFIRMED_ZH = (
    "zhizao 默认值：国家统计局五色灯临界点未公开（docs/reference/methods.md 第2.1节、第6节第5项，未证实），"
    "分档依该文件的设计建议[D]"
)

# Where a monitoring default was tuned on the synthetic ground truth: the measurement behind it.
DQ = "scripts/detection_quality.py, 6 seeds × 2 worlds, docs/monitoring.md §Detection quality"
DQ_ZH = "scripts/detection_quality.py，6个随机种子×2种情景，见 docs/monitoring.md 检测质量一节（Detection quality）"

MONITORING_SETTINGS: tuple[Setting, ...] = (
    # --- target path -------------------------------------------------------------------------
    Setting(
        "target_annual_growth_pct", 6.0,
        "规上工业增加值全年增长目标（%），用于累计增速与目标路径的差距",
        "Annual growth target (%) of 规上 industrial value added used by the target-path rule",
        "Plan 专栏1: 工业增加值年均增长6% (全部工业, 不变价) — applied to 规上 as a proxy "
        "(different definition)",
        "规划专栏1：工业增加值年均增长6%（全部工业、不变价），借用于规上工业（口径不同）",
    ),
    Setting(
        "target_gap_medium_pp", 0.0,
        "累计增速低于目标超过该值（百分点）为“中”级预警",
        "YTD growth below target by more than this (pp) gives a medium warning",
        "zhizao default",
        "zhizao 默认值",
    ),
    Setting(
        "target_gap_high_pp", 1.0,
        "累计增速低于目标超过该值（百分点），或余下月份所需增速高于当前累计增速该值以上，为“高”级预警",
        "Gap (pp) beyond which, or required-rest-of-year growth this far above YTD growth, the "
        "warning is high",
        "zhizao default",
        "zhizao 默认值",
    ),
    # --- engine --------------------------------------------------------------------------------
    Setting(
        "monitoring_engine", "numpy",
        "月度监测刷新的计算引擎：numpy（缺省，单机）；spark（Apache Spark，用于超出单机的企业数据：需安装 "
        "zhizao[spark] 与 Java 运行环境，结果与 numpy 相同）",
        "Engine of the monitoring refresh: numpy (default, one machine); spark (Apache Spark, for enterprise data "
        "that outgrow one machine: needs zhizao[spark] and a Java runtime; same results as numpy)",
        "zhizao default (docs/monitoring.md §Scale)",
        "zhizao 默认值（docs/monitoring.md §Scale）",
        choices=("numpy", "spark"),
    ),
    # --- five lights ---------------------------------------------------------------------------
    Setting(
        "light_method", "fixed",
        "五色灯临界值方法：fixed（缺省）＝全市用固定增速临界值，区县、功能区、行业、产业集群与同期同类对象比较"
        "（稳健z值）；history＝每个对象（含全市）与自身历史比较（稳健z值）",
        "Five-light method: fixed (default) = the city against fixed growth cut-offs, districts, zones, industries "
        "and clusters against their peers in the same period (robust z); history = every subject, the city too, "
        "against its own history (robust z)",
        _NBS_UNCONFIRMED + "; fixed is the default because a history-relative light can call a falling "
        "series 过热 when its past fell faster, which readers take as a wrong signal",
        _NBS_UNCONFIRMED_ZH + "；缺省用fixed：相对自身历史的灯会在过去下降更快时把正在下降的序列判为“过热”，读者会视为错误信号",
    ),
    Setting(
        "light_z_cutoffs", "2,1,-1,-2",
        "稳健z值临界值（由高到低，过热/偏热/正常/偏冷/过冷的分界）：fixed法下区县、功能区、行业、产业集群与同期"
        "同类对象比较，history法下各对象与自身历史比较；全市在fixed法下用固定增速临界值",
        "Robust-z cut-offs (high to low) between overheated | warm | normal | cool | cold: with fixed, districts, "
        "zones, industries and clusters against their peers in the same period; with history, every subject "
        "against its own history. Under fixed the city keeps light_fixed_cutoffs",
        _NBS_UNCONFIRMED + " (green within ±1σ, yellow/light blue ±1–2σ, orange/blue beyond ±2σ)",
        _NBS_UNCONFIRMED_ZH + "（±1σ以内为正常，±1—2σ为偏热/偏冷，±2σ以外为过热/过冷）",
    ),
    Setting(
        "light_fixed_cutoffs", "12,9,5,3",
        "fixed法下全市的累计增速临界值（%，由高到低）：≥12过热，9–12偏热，5–9正常，3–5偏冷，<3过冷；"
        "区县、功能区、行业、产业集群与同类对象比较，不用此值",
        "The city's YTD growth cut-offs (%, high to low) with the fixed method; districts, zones, industries and "
        "clusters are judged against their peers instead (light_z_cutoffs)",
        _NBS_UNCONFIRMED + " (fixed values chosen around the 6% plan rate)",
        _NBS_UNCONFIRMED_ZH + "（固定值围绕规划的6%增速选定）",
    ),
    Setting(
        "light_history_periods", 33,
        "history法用于估计中心与离散度的历史期数（报告期，1—2月合并为一期，每年11期）",
        "Number of past reporting periods (11 a year, 1–2月 merged) for the history method",
        "zhizao default (three years)",
        "zhizao 默认值（三年）",
    ),
    Setting(
        "light_min_sigma_pp", 1.5,
        "稳健σ的下限（百分点）：同类比较与history法都用，避免离散度很小时的微小差异被亮灯",
        "Floor on the robust σ (pp), for the peer comparison and the history method alike, so that small "
        "differences do not light up when the spread is tiny",
        "zhizao default",
        "zhizao 默认值",
    ),
    Setting(
        "light_composite_green_band", "83.3,116.7",
        "全市综合预警指数（100=全部绿灯）的绿灯区间",
        "Green band of the city composite index (100 = all indicators green)",
        "zhizao default: inferred from published NBS readings, not a published rule (docs/reference/methods.md §2.1)",
        "zhizao 默认值：由国家统计局已公布的读数推断，并非公布的规则（docs/reference/methods.md 第2.1节）",
    ),
    # --- anomalies and turning points ----------------------------------------------------------
    Setting(
        "anomaly_min_periods_stl", 36,
        "使用稳健STL残差检测异常所需的最少报告期数；不足时改用同比增速的稳健z值",
        "Minimum reporting periods for robust-STL anomalies; shorter series use robust z of YoY",
        "docs/reference/methods.md §2.3 (STL needs ≥2 cycles; ≥36 months in practice [M])",
        "docs/reference/methods.md 第2.3节（STL至少需要2个周期，实践中需≥36个月[M]）",
    ),
    Setting(
        "anomaly_z", 4.5,
        "稳健z值（中位数/MAD）超过该值判为异常值",
        "Robust z (median/MAD) above which a point is an anomaly",
        "Iglewicz–Hoaglin's 3.5 (docs/reference/methods.md §2.3 [M]) assumes independent points; robust-STL residuals of "
        "short 11-period subseries understate the scale. 3.5 → 4.5 (with the floor and 11 points below): "
        f"recall of injected shocks 0.54/0.48 → 0.83/0.78, precision 0.31/0.60 → 0.64/0.65 (no-trend/default world; {DQ})",
        "Iglewicz–Hoaglin 取3.5（docs/reference/methods.md 第2.3节[M]），假定各点独立；11期短子序列的稳健STL残差低估离散度。"
        f"3.5 → 4.5（配合下面的离散度下限与11个点）：注入冲击的检出率 0.54/0.48 → 0.83/0.78，精确率 0.31/0.60 → 0.64/0.65"
        f"（无趋势情景/缺省情景；{DQ_ZH}）",
    ),
    Setting(
        "anomaly_min_sigma_pct", 1.5,
        "异常值稳健z的离散度下限（STL残差：水平值的%；短序列：同比增速的百分点）",
        "Floor on the robust scale of the anomaly z (STL residuals: % of the level; short series: pp of YoY growth)",
        "zhizao default: with fewer than ~45 periods robust STL fits most points exactly (residual MAD ~1e-15, "
        f"so z of 10⁴–10¹³ on rounding noise); 0 → 1.5 removes those alarms ({DQ})",
        f"zhizao 默认值：少于约45期时稳健STL几乎精确拟合多数点（残差MAD约10⁻¹⁵，舍入误差即得10⁴—10¹³的z值）；"
        f"0 → 1.5 消除了这些误报（{DQ_ZH}）",
    ),
    Setting(
        "anomaly_short_window", 22,
        "同比增速稳健z值的滚动窗口（报告期）：短序列的异常检测与CUSUM使用",
        "Trailing window (reporting periods) of the YoY growth's robust z (short-series anomalies, CUSUM)",
        "docs/reference/methods.md §2.3 step 3 (trailing 12–24 months)",
        "docs/reference/methods.md 第2.3节第3步（取最近12—24个月）",
    ),
    Setting(
        "anomaly_short_min_points", 11,
        "短序列异常检测（同比增速稳健z）所需的最少历史点数（不超过滚动窗口）",
        "Past YoY points the short-series anomaly z needs (at most the trailing window)",
        "zhizao default: one year of YoY history; 22 (a full window) left shocks in the second and third "
        f"year undetectable — every missed injected district shock was there ({DQ})",
        f"zhizao 默认值：一年的同比历史；取22（整个窗口）时第二、三年注入的冲击无法检出，漏检的区县冲击全在其中（{DQ_ZH}）",
    ),
    Setting(
        "cusum_k", 0.5,
        "CUSUM参考值K（以同比增速稳健z为单位）",
        "CUSUM reference value K (in units of the YoY growth's robust z)",
        "Montgomery / JMP: K = δ/2 for a 1σ shift (docs/reference/methods.md §2.3)",
        "Montgomery / JMP：检测1σ偏移取 K = δ/2（docs/reference/methods.md 第2.3节）",
    ),
    Setting(
        "cusum_h", 8.0,
        "CUSUM决策区间H（以同比增速稳健z为单位）",
        "CUSUM decision interval H (in units of the YoY growth's robust z)",
        "Montgomery: H = 4σ–5σ (docs/reference/methods.md §2.3) for independent points; YoY growth is strongly autocorrelated, "
        "so the run length at H = 5 is far shorter than nominal. 5 → 8: same recall of injected shifts (9/16), "
        f"hits −52 %/−41 %, precision 0.38/0.63 → 0.49/0.65 (no-trend/default world; {DQ})",
        "Montgomery：独立点取 H = 4σ—5σ（docs/reference/methods.md 第2.3节）；同比增速自相关很强，H = 5 时的平均运行长度远短于名义值。"
        f"5 → 8：注入偏移的检出数不变（9/16），报警次数 −52%/−41%，精确率 0.38/0.63 → 0.49/0.65（无趋势情景/缺省情景；{DQ_ZH}）",
    ),
    Setting(
        "change_point_penalty", 15.0,
        "PELT(l2)惩罚系数c：pen = c·σ²·ln n（σ由一阶差分稳健估计）",
        "PELT (l2) penalty factor c in pen = c·σ²·ln n (σ robustly from first differences)",
        "zhizao default: the BIC-like c = 2 (docs/reference/methods.md §2.3 [M]) assumes independent noise, but YoY "
        "growth of aggregates is autocorrelated; on synthetic data without anomalies or trends c = 2 "
        "signalled in ~17% of series-periods, c = 10 in ~2%. 10 → 15 (with 9 points below): same recall of "
        f"injected shifts (15/16), precision 0.50/0.73 → 0.61/0.80 (no-trend/default world; {DQ})",
        "zhizao 默认值：类BIC的 c = 2（docs/reference/methods.md 第2.3节[M]）假定噪声独立，但汇总量的同比增速自相关；"
        "在无异常、无趋势的合成数据上，c = 2 时约17%的序列·期报出变点，c = 10 时约2%。"
        f"10 → 15（配合下面的9个点）：注入偏移的检出数不变（15/16），精确率 0.50/0.73 → 0.61/0.80（无趋势情景/缺省情景；{DQ_ZH}）",
    ),
    Setting(
        "change_point_min_size", 3,
        "PELT最小段长（报告期）",
        "PELT minimum segment length (reporting periods)",
        "docs/reference/methods.md §2.3 (min_size ≥ 3 for monthly data)",
        "docs/reference/methods.md 第2.3节（月度数据最小段长≥3）",
    ),
    Setting(
        "change_point_min_points", 9,
        "变点检测所需的最少同比增速点数（不少于2倍最小段长加1）",
        "YoY growth points a series needs before change points are looked for (at least 2·min size + 1)",
        "zhizao default: 7 (2·3 + 1) let the noise estimate rest on 6 differences; in the first year of YoY "
        f"data 95 % of change points were false alarms; 11 lost an early injected shift, 9 does not ({DQ})",
        f"zhizao 默认值：取7（2×3+1）时噪声估计只依赖6个差分，同比数据第一年的变点95%为误报；取11漏掉一个较早的注入偏移，取9不会（{DQ_ZH}）",
    ),
    Setting(
        "change_point_recent", 4,
        "变点距评估期不超过该期数才报告为转折点（须大于最小段长，新段至少有最小段长个点才能识别）",
        "A change point is reported as a turning point while it is younger than this many periods "
        "(must exceed the minimum segment length, which the new segment needs before it can be seen)",
        "zhizao default",
        "zhizao 默认值",
    ),
    Setting(
        "spring_festival_march", "downgrade",
        "3月受春节影响时异常类预警的处理：downgrade=降为“低”级，suppress=不报，none=照常",
        "How anomaly warnings in March (Spring Festival effect) are handled: downgrade, suppress or none",
        "zhizao default (docs/reference/methods.md §2.3: treat 1–2月 together and flag March)",
        "zhizao 默认值（docs/reference/methods.md 第2.3节：1—2月合并，3月单独标注）",
    ),
    # --- enterprise distress -------------------------------------------------------------------
    Setting(
        "enterprise_sharp_fall_pct", -40.0,
        "企业当期增加值同比降幅达到该值（%）为“大幅下滑”",
        "Single-period YoY fall (%) of an enterprise's value added that counts as a sharp fall",
        "zhizao default",
        "zhizao 默认值",
    ),
    Setting(
        "enterprise_decline_periods", 3,
        "企业连续同比下降的期数达到该值为“连续下滑”",
        "Consecutive periods of YoY decline for a consecutive-decline warning",
        "zhizao default (common practice: 连续3个月)",
        "zhizao 默认值（常见做法：连续3个月）",
    ),
    Setting(
        "enterprise_decline_pct", -20.0,
        "连续下滑中每期同比增速均低于该值（%）",
        "Each period's YoY growth (%) must be below this in a consecutive decline",
        "zhizao default",
        "zhizao 默认值",
    ),
    Setting(
        "enterprise_stopped_periods", 1,
        "本年已报送的企业连续该期数未报送或产值为零，判为“停报/停产”",
        "Periods without a report (or with zero output), after reporting earlier this year",
        "zhizao default",
        "zhizao 默认值",
    ),
    Setting(
        "enterprise_divergence_pp", 30.0,
        "企业产值（不变价）与用电量同比增速之差的绝对值达到该值（百分点）为“产值用电背离”",
        "Absolute gap (pp) between YoY growth of output (constant prices) and of electricity use",
        "zhizao default",
        "zhizao 默认值",
    ),
    Setting(
        "enterprise_high_share_pct", 0.5,
        "企业上年同期增加值占全市比重达到该值（%）时企业类预警为“高”级",
        "Enterprise share (%) of the city's value added a year earlier above which its warnings are high",
        "zhizao default",
        "zhizao 默认值",
    ),
    Setting(
        "enterprise_medium_share_pct", 0.02,
        "企业比重达到该值（%）为“中”级，低于为“低”级",
        "Enterprise share (%) above which its warnings are medium (below: low)",
        "zhizao default",
        "zhizao 默认值",
    ),
    # --- drag on the total ---------------------------------------------------------------------
    Setting(
        "drag_pp", -0.1,
        "区县/行业对全市累计增长的拉动不高于该值（百分点）为“拖累”",
        "Pull (pp) on the city's YTD growth at or below which a district or industry is dragging",
        "zhizao default",
        "zhizao 默认值",
    ),
    Setting(
        "drag_high_pp", -0.5,
        "拉动不高于该值（百分点）为“高”级",
        "Pull (pp) at or below which the drag warning is high",
        "zhizao default",
        "zhizao 默认值",
    ),
    # --- forecast ------------------------------------------------------------------------------
    Setting(
        "forecast_alpha", 0.1,
        "预测区间的显著性水平（0.1即90%预测区间）",
        "Significance level of prediction intervals (0.1 = 90% interval)",
        "zhizao default",
        "zhizao 默认值",
        bounds=(0.01, 0.5),
    ),
    Setting(
        "forecast_simulations", 500,
        "预测全年累计值时的模拟路径数",
        "Simulated paths used to forecast the annual total",
        "zhizao default",
        "zhizao 默认值",
    ),
)


# --- industrial chains and supply-chain security (issue 12: zhizao.analytics.chains, docs/chains.md) ---
# No official source fixes how a chain link or a supply relation is graded: every weight and cut-off
# below is a zhizao default, tunable with -s; the HHI cut-off borrows the merger guidelines' scale.
_CHAIN = "zhizao default: no official source grades supply-chain risk; tunable (docs/chains.md)"
_CHAIN_ZH = "zhizao 默认值：无官方来源规定供应链风险的分级方法，可调整（见 docs/chains.md）"


def _chain_weight(name: str, default: float, zh: str, en: str) -> Setting:
    return Setting(name, default, f"风险评分中“{zh}”因素的权重（各因素得分0—1，按权重加权平均）",
                   f"Weight of the '{en}' factor in the risk score (each factor scores 0–1; the score is "
                   f"their weighted mean)", _CHAIN, _CHAIN_ZH, bounds=(0.0, 1.0))


CHAIN_SETTINGS: tuple[Setting, ...] = (
    Setting(
        "chain_weak_link_max", 1,
        "本地配套企业不超过该数（且至少1家）的环节为“薄弱环节”；没有本地企业的为“缺失环节”",
        "A link with at least one and at most this many local member enterprises is weak (none: missing)",
        "zhizao default: the issue's 'weak link = one local enterprise'",
        "zhizao 默认值：薄弱环节即只有一家本地企业",
        bounds=(0, 50),
    ),
    Setting(
        "chain_capacity_known_min", 1.0,
        "环节内已知产能的企业占比不低于该值时，才按产能计算集中度（HHI）和外地产能占比；否则按企业数计",
        "Share of a link's members whose capacity must be known before its concentration (HHI) and outside "
        "share are measured by capacity; below it they are measured by member counts",
        "zhizao default: all members, because one unknown capacity (often the chain leader's) can turn the "
        "picture around",
        "zhizao 默认值：全部企业，因为一家产能未知（常为链主）就可能使结果颠倒",
        bounds=(0.5, 1.0),
    ),
    Setting(
        "chain_dominant_share", 0.7,
        "一家供应商占采购方该环节需求的比重不低于该值时为“主导来源”（仅一家记录的供应商时为“单一来源”）",
        "A supplier holding at least this share of a buyer's need for a link is a dominant source (the only "
        "recorded supplier is a single source)",
        _CHAIN, _CHAIN_ZH, bounds=(0.5, 1.0),
    ),
    Setting(
        "chain_hhi_high", 0.25,
        "赫芬达尔指数（0—1）不低于该值为“高度集中”（采购方的供应商份额，或环节内企业产能）",
        "HHI (0–1) at or above which supply is highly concentrated (a buyer's suppliers, or the capacity of a "
        "link's members)",
        "US DOJ/FTC Horizontal Merger Guidelines 2010: HHI above 2,500 (0.25) is highly concentrated; applying "
        "it to supply is a zhizao default",
        "美国司法部与联邦贸易委员会《横向合并指南》（2010）：HHI高于2500（即0.25）为高度集中；用于供应集中度为 zhizao 默认做法",
        bounds=(0.0, 1.0),
    ),
    Setting(
        "chain_local_share_low", 0.3,
        "按需求加权的本地配套率低于该值时，列为风险原因并在产业链层面预警",
        "Need-weighted local supply share below which it is named as a risk reason and a chain is warned",
        _CHAIN, _CHAIN_ZH, bounds=(0.0, 1.0),
    ),
    Setting(
        "chain_region_factor", 0.25,
        "供应商位于区域（如成渝地区）内、本地以外时“来源地”因素的得分（本地为0，境外为1）",
        "Location factor score of a supplier in the supply region outside the local area (local 0, abroad 1)",
        _CHAIN, _CHAIN_ZH, bounds=(0.0, 1.0),
    ),
    Setting(
        "chain_domestic_factor", 0.5,
        "供应商位于国内其他省份时“来源地”因素的得分（本地为0，境外为1）",
        "Location factor score of a supplier elsewhere in the country (local 0, abroad 1)",
        _CHAIN, _CHAIN_ZH, bounds=(0.0, 1.0),
    ),
    Setting(
        "chain_risk_high", 0.6,
        "风险评分（0—1）不低于该值为“高”风险",
        "Risk score (0–1) at or above which the grade is high",
        _CHAIN, _CHAIN_ZH, bounds=(0.0, 1.0),
    ),
    Setting(
        "chain_risk_medium", 0.3,
        "风险评分不低于该值（且低于高风险界限）为“中”风险，否则为“低”",
        "Risk score at or above which (and below the high cut-off) the grade is medium; below it low",
        _CHAIN, _CHAIN_ZH, bounds=(0.0, 1.0),
    ),
    _chain_weight("chain_w_rel_source", 0.3, "单一或主导来源", "single or dominant source"),
    _chain_weight("chain_w_rel_concentration", 0.1, "采购集中度", "buyer's supplier concentration"),
    _chain_weight("chain_w_rel_location", 0.2, "供应商来源地", "supplier location"),
    _chain_weight("chain_w_rel_share", 0.15, "占采购方需求比重", "share of the buyer's need"),
    _chain_weight("chain_w_rel_alternatives", 0.25, "缺少替代企业", "no alternative supplier"),
    _chain_weight("chain_w_link_members", 0.35, "本地企业缺失或薄弱", "missing or weak local members"),
    _chain_weight("chain_w_link_outside", 0.25, "依赖外地供应", "dependence on outside supply"),
    _chain_weight("chain_w_link_concentration", 0.15, "环节产能集中", "capacity concentration"),
    _chain_weight("chain_w_link_critical", 0.1, "链条关键节点", "critical point of the chain"),
    _chain_weight("chain_w_link_relations", 0.15, "高风险供应关系占比", "share of high-risk relations"),
    _chain_weight("chain_w_ent_exposure", 0.4, "投入端最高风险", "riskiest input"),
    _chain_weight("chain_w_ent_outside", 0.2, "投入依赖外地", "inputs from outside"),
    _chain_weight("chain_w_ent_critical", 0.4, "对下游不可或缺", "indispensable to others"),
    Setting(
        "chain_critical_reach_top", 50,
        "关键节点分析中计算全部下游可达企业数的企业个数（按直接采购方数量取前若干家）",
        "How many enterprises (most direct buyers first) get their full downstream reach counted in the "
        "critical-node analysis",
        "zhizao default: bounds the work on large supply graphs",
        "zhizao 默认值：限制大型供应网络上的计算量",
        bounds=(0, 10000),
    ),
    Setting(
        "chain_whatif_max_rounds", 200,
        "断供推演的最多传递轮数（供应关系有环时损失逐轮趋近不动点）",
        "Most rounds of the disruption what-if's propagation (with cycles in supply the loss approaches its "
        "fixed point round by round)",
        "zhizao default: a loss change below one millionth ends the propagation earlier",
        "zhizao 默认值：损失变化小于百万分之一时提前结束",
        bounds=(1, 10000),
    ),
    Setting(
        "chain_whatif_min_loss", 0.0005,
        "断供推演中损失低于该比例的企业和环节不列为受影响（受影响产值合计仍包括全部损失）",
        "A what-if lists an enterprise or link as affected only from this loss on (the output at risk still "
        "sums every loss)",
        "zhizao default: 0.05 %, below which a list row would read 0.0 %",
        "zhizao 默认值：0.05%，低于此值的行显示为0.0%",
        bounds=(0.0, 0.5),
    ),
    Setting(
        "chain_warn_roles", "leader,core",
        "在预警表中按企业预警的角色（逗号分隔：leader 链主、core 核心配套、supplier 配套）",
        "Roles of the enterprises warned about one by one in the warning table (comma-separated: leader, core, "
        "supplier)",
        "zhizao default: the key enterprises the plan names, chain leaders and core suppliers",
        "zhizao 默认值：规划所称重点企业，即链主和核心配套企业",
    ),
)


# Cited when a baseline is re-based and the plan states no rule of its own (plan.baseline_rule).
# --- enterprises, parks and green targets (issue 13; docs/enterprises.md) ----------------------------
_MUJU = "台州黄岩区2022年亩均效益评价（docs/reference/methods.md §3.1 [C]）"
_MUJU_EN = "Huangyan (Taizhou) 2022 亩均 evaluation (docs/reference/methods.md §3.1 [C])"
_ZZ = "zhizao default: no official source fixes this; tunable (docs/enterprises.md)"
_ZZ_ZH = "zhizao 默认值：无官方来源规定，可调整（见 docs/enterprises.md）"


def _muju_weight(name: str, default: float, zh: str, en: str, small: bool = False) -> Setting:
    who_zh, who_en = ("规下企业", "below-scale") if small else ("规上企业", "above-scale")
    return Setting(name, default, f"亩均效益评价（{who_zh}）中“{zh}”的权重（分）",
                   f"Points for '{en}' in the 亩均 evaluation of {who_en} enterprises", _MUJU_EN, _MUJU,
                   bounds=(0.0, 100.0))


def _share(name: str, cls: str, default: float) -> Setting:
    return Setting(name, default, f"亩均效益评价按得分排序后 {cls} 类企业所占比例（%；A、B、C、D 四类合计须为100）",
                   f"Share (%) of evaluated enterprises put in class {cls} by score rank (A+B+C+D must be 100)",
                   "铜陵2021年亩均效益评价2.0版（docs/reference/methods.md §3.1 [C]）: A 20 %, B 45 %, C 30 %, D 5 %",
                   "Tongling 2021 (2.0) 亩均 evaluation (docs/reference/methods.md §3.1 [C]): A 20 %, B 45 %, C 30 %, D 5 %",
                   bounds=(0.0, 100.0))


MUJU_SHARE_SETTINGS = ("muju_share_a", "muju_share_b", "muju_share_c", "muju_share_d")

ENTERPRISE_SETTINGS: tuple[Setting, ...] = (
    _muju_weight("muju_weight_tax_per_mu", 30.0, "亩均税收", "tax per mu"),
    _muju_weight("muju_weight_va_per_mu", 20.0, "亩均增加值", "value added per mu"),
    _muju_weight("muju_weight_va_per_energy", 20.0, "单位能耗增加值", "value added per unit of energy"),
    _muju_weight("muju_weight_va_per_emission", 10.0, "单位排放增加值", "value added per unit of emissions"),
    _muju_weight("muju_weight_labour_productivity", 10.0, "全员劳动生产率", "labour productivity"),
    _muju_weight("muju_weight_rd_intensity", 10.0, "R&D经费占营业收入比重", "R&D spending / revenue"),
    _muju_weight("muju_small_weight_tax_per_mu", 50.0, "亩均税收", "tax per mu", small=True),
    _muju_weight("muju_small_weight_tax_per_kwh", 50.0, "单位电耗税收", "tax per kWh", small=True),
    Setting("muju_item_cap", 2.0,
            "每项得分不超过该项权重的倍数（0为不封顶），以免个别企业的极端值左右排名",
            "Cap on each item's points as a multiple of its weight (0: no cap), so outliers do not decide ranks",
            "Many counties cap items at 1.5–2× the weight (docs/reference/methods.md §3.1 [M], unconfirmed): zhizao default",
            "许多区县将单项得分封顶为权重的1.5—2倍（docs/reference/methods.md §3.1 [M]，未证实）：zhizao 默认值", bounds=(0.0, 10.0)),
    _share("muju_share_a", "A", 20.0),
    _share("muju_share_b", "B", 45.0),
    _share("muju_share_c", "C", 30.0),
    _share("muju_share_d", "D", 5.0),
    Setting("muju_surcharge_electricity_c", 0.10, "C 类企业差别电价加价（元/千瓦时）",
            "Electricity surcharge for class C (yuan/kWh)", "瑞安2018（docs/reference/methods.md §3.1 [C]）: C +0.10",
            "瑞安2018（docs/reference/methods.md §3.1 [C]）：C 类加价0.10元/千瓦时", bounds=(0.0, 5.0)),
    Setting("muju_surcharge_electricity_d", 0.15, "D 类企业差别电价加价（元/千瓦时）",
            "Electricity surcharge for class D (yuan/kWh)", "瑞安2018（docs/reference/methods.md §3.1 [C]）: C− +0.15",
            "瑞安2018（docs/reference/methods.md §3.1 [C]）：C−类加价0.15元/千瓦时", bounds=(0.0, 5.0)),
    Setting("muju_surcharge_water_c", 15.0, "C 类企业差别水价加价（%）", "Water surcharge for class C (%)",
            "瑞安2018（docs/reference/methods.md §3.1 [C]）: C +15 %", "瑞安2018（docs/reference/methods.md §3.1 [C]）：C 类加价15%",
            bounds=(0.0, 500.0)),
    Setting("muju_surcharge_water_d", 30.0, "D 类企业差别水价加价（%）", "Water surcharge for class D (%)",
            "瑞安2018（docs/reference/methods.md §3.1 [C]）: +30 %", "瑞安2018（docs/reference/methods.md §3.1 [C]）：加价30%", bounds=(0.0, 500.0)),
    Setting("above_scale_revenue_min", 2000.0, "规模以上工业企业的年营业收入下限（万元）",
            "Annual revenue (万元) from which an industrial enterprise is above-scale (规上)",
            "NBS, since 2011 (国统字〔2010〕87号; docs/reference/methods.md §3.3 [C])",
            "国家统计局，2011年起（国统字〔2010〕87号；docs/reference/methods.md §3.3 [C]）", bounds=(0.0, 1e6)),
    Setting("srdi_pass_score", 60.0, "专精特新中小企业评分的合格线（分）", "Pass mark of the 专精特新 score",
            "工信部企业〔2022〕63号（docs/reference/methods.md §3.2 [C]）", "工信部企业〔2022〕63号（docs/reference/methods.md §3.2 [C]）",
            bounds=(0.0, 100.0)),
    Setting("srdi_local_points_max", 15.0, "专精特新评分中“特色化”地方指标的满分（省级主管部门设定）",
            "Points of the 特色化 local indicators in the 专精特新 score (set by the province)",
            "工信部企业〔2022〕63号（docs/reference/methods.md §3.2 [C]）", "工信部企业〔2022〕63号（docs/reference/methods.md §3.2 [C]）",
            bounds=(0.0, 15.0)),
    Setting("srdi_near_points", 10.0, "评分差距不超过该分数的未达标企业列为“接近达标”候选",
            "Candidates within this many points of the pass mark are listed as closest to qualifying",
            _ZZ, _ZZ_ZH, bounds=(0.0, 60.0)),
    Setting("backward_energy_ratio", 2.0,
            "单位增加值能耗高于同行业（GB/T 4754 中类）中位数该倍数的企业，不符合能耗标准",
            "An enterprise whose energy per unit of value added exceeds its industry group's median by this "
            "factor fails the energy criterion", _ZZ, _ZZ_ZH, bounds=(1.0, 20.0)),
    Setting("key_energy_user_min", 10000.0, "年综合能耗不低于该值（吨标准煤）的企业为重点用能单位",
            "Annual energy use (tce) from which an enterprise is a key energy user (重点用能单位)",
            "《重点用能单位节能管理办法》（2018）：年综合能源消费量一万吨标准煤及以上",
            "《重点用能单位节能管理办法》（2018）：年综合能源消费量一万吨标准煤及以上", bounds=(0.0, 1e7)),
    Setting("green_red_change", 0.0,
            "单位增加值能耗（水耗）同比变化高于该值（%）为一级预警（红色，不降反升）",
            "A year-on-year change in energy (water) intensity above this (%) is a level-1 (red) warning: it rose",
            "国家发展改革委《2021年上半年各地区能耗双控目标完成情况晴雨表》的一级预警（能耗强度不降反升）; "
            "the threshold is zhizao's reading",
            "国家发展改革委《2021年上半年各地区能耗双控目标完成情况晴雨表》一级预警：能耗强度不降反升（阈值为 zhizao 的理解）",
            bounds=(-50.0, 50.0)),
    Setting("green_schedule_tolerance", 0.0,
            "累计降低率落后于进度要求不超过该值（百分点）仍视为三级（绿色，进展顺利）；超过为二级（黄色）",
            "Percentage points a cumulative reduction may trail the schedule and still be level 3 (green); "
            "beyond it, level 2 (yellow)",
            "国家发展改革委2021年晴雨表的二级预警（降低率未达到进度要求）；容差为 zhizao 默认值",
            "国家发展改革委2021年晴雨表二级预警：能耗强度降低率未达到进度要求（容差为 zhizao 默认值）",
            bounds=(0.0, 10.0)),
)

# issue 14: projects, 三服务 problems and the 任务分工方案 under supervision
DELIVERY_SETTINGS: tuple[Setting, ...] = (
    Setting("project_stage_grace_days", 30,
            "项目阶段（开工、投产、达产）超过计划日期该天数仍未实现，列为“阶段逾期”预警",
            "Days past a stage's planned date (start, production, full production) before it is a warning",
            "zhizao default (offices usually review slipped projects monthly)",
            "zhizao 默认值（各地一般按月调度滞后项目）", bounds=(0, 365)),
    Setting("project_investment_gap_pp", 20.0,
            "在建项目累计完成投资占计划总投资比重落后于时间进度超过该值（百分点），列为“投资滞后”预警",
            "Percentage points by which a project's completed share of planned investment may trail the share "
            "of its construction time elapsed before it is a warning",
            "zhizao default; the 序时进度 comparison of 重点项目 调度",
            "zhizao 默认值；比较方法为重点项目调度的序时进度", bounds=(0.0, 100.0)),
    Setting("problem_overdue_high_days", 30,
            "“三服务”问题超过办理期限该天数仍未办结，预警由中级升为高级",
            "Days a 三服务 problem may be past its deadline before its warning is raised from medium to high",
            "zhizao default", "zhizao 默认值", bounds=(0, 365)),
    Setting("task_behind_pp", 20.0,
            "任务自报完成度落后于时间进度超过该值（百分点），列为“进度滞后”",
            "Percentage points by which an item's reported completion may trail the share of its time elapsed "
            "before it is behind schedule",
            "zhizao default; 督办 practice compares progress with time elapsed (序时进度)",
            "zhizao 默认值；督办通行做法为与序时进度比较", bounds=(0.0, 100.0)),
    Setting("task_stalled_days", 90,
            "未完成的任务超过该天数没有新的进展报告，列为“进展停滞”",
            "Days without a progress report after which an unfinished item is stalled",
            "zhizao default (a quarter: most 任务分工 ask for quarterly reports)",
            "zhizao 默认值（一个季度：任务分工方案一般要求按季度报送进展）", bounds=(1, 3650)),
)

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


SETTINGS: tuple[Setting, ...] = (ASSESSMENT_SETTINGS + MONITORING_SETTINGS + CHAIN_SETTINGS + ENTERPRISE_SETTINGS
                                 + DELIVERY_SETTINGS)
_BY_NAME = {s.name: s for s in SETTINGS}


class Settings(Mapping[str, Any]):
    """Defaults plus overrides; unknown names and wrong types are refused."""

    def __init__(self, overrides: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None):
        self._values = {s.name: s.default for s in SETTINGS}
        for name, value in dict(overrides or {}).items():
            self._values[name] = _checked(name, value)
        _check_shares(self._values)

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


def _checked(name: str, value: Any) -> Any:
    """An override as the setting's type, inside its bounds; UserError (zh, en) naming what is expected."""
    if name not in _BY_NAME:
        some = "、".join(s.name for s in SETTINGS[:3])
        raise UserError(f"没有名为“{name}”的设置；全部设置名称见 zhizao settings（如 {some}）",
                        f"unknown setting '{name}'; list the names with zhizao settings (e.g. {some.replace('、', ', ')})")
    setting = _BY_NAME[name]
    default = setting.default
    try:
        v = _coerce(default, value)
    except ValueError:
        kind_zh, kind_en = (("true 或 false", "true or false") if isinstance(default, bool) else
                            ("整数", "a whole number") if isinstance(default, int) else ("数字", "a number"))
        raise UserError(f"设置 {name} 应为{kind_zh}（缺省 {default}），而不是“{value}”",
                        f"setting {name} takes {kind_en} (default {default}), not '{value}'") from None
    if setting.choices and v not in setting.choices:
        raise UserError(f"设置 {name} 应为 {' 或 '.join(setting.choices)}（缺省 {default}），而不是“{value}”",
                        f"setting {name} takes {' or '.join(setting.choices)} (default {default}), not '{value}'")
    if setting.bounds and not isinstance(v, bool) and not setting.bounds[0] <= v <= setting.bounds[1]:
        lo, hi = (f"{x:g}" for x in setting.bounds)
        raise UserError(f"设置 {name} 应在 {lo}—{hi} 之间（缺省 {default}），而不是 {value}",
                        f"setting {name} must lie between {lo} and {hi} (default {default}), not {value}")
    return v


def _check_shares(values: Mapping[str, Any]) -> None:
    """The 亩均 class shares are one set: they must add up to 100 %."""
    total = sum(float(values[n]) for n in MUJU_SHARE_SETTINGS)
    if abs(total - 100.0) > 1e-6:
        parts = " + ".join(f"{values[n]:g}" for n in MUJU_SHARE_SETTINGS)
        raise UserError(f"亩均效益 A、B、C、D 四类比例之和应为100%，现为 {parts} = {total:g}%：请调整 "
                        f"{'、'.join(MUJU_SHARE_SETTINGS)}",
                        f"the 亩均 class shares A, B, C and D must add up to 100 %, not {parts} = {total:g} %: "
                        f"adjust {', '.join(MUJU_SHARE_SETTINGS)}")


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


# --- display (issue 11): the time zone in which pages show times ----------------------------------
# Times are stored in UTC (audit log, imports, sessions); a page shows them in DISPLAY_TIME_ZONE, named
# beside them. $ZHIZAO_TIME_ZONE (an IANA name such as Asia/Urumqi) overrides it for a deployment.
TIME_ZONE_ENV = "ZHIZAO_TIME_ZONE"
DISPLAY_TIME_ZONE = "Asia/Shanghai"
TIME_ZONE_WORDS = {"Asia/Shanghai": ("北京时间", "Beijing time")}


def display_time_zone() -> tuple[tzinfo, str, str]:
    """(zone, Chinese name, English name) in which to show times: 北京时间，UTC+8 / Beijing time, UTC+8
    by default. An unknown $ZHIZAO_TIME_ZONE is a UserError naming the variable."""
    name = os.environ.get(TIME_ZONE_ENV, "").strip() or DISPLAY_TIME_ZONE
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        if name != DISPLAY_TIME_ZONE:
            raise UserError(f"环境变量 {TIME_ZONE_ENV} 的时区“{name[:40]}”无法识别：请用 IANA 名称，如 Asia/Shanghai",
                            f"{TIME_ZONE_ENV}: unknown time zone '{name[:40]}': use an IANA name such as Asia/Shanghai")
        zone = timezone(timedelta(hours=8), "UTC+8")  # China has one offset and no summer time
    offset = datetime.now(zone).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    hours, rest = divmod(abs(minutes), 60)
    utc = "UTC" + (("-" if minutes < 0 else "+") + str(hours) if minutes else "") + (f":{rest:02d}" if rest else "")
    zh, en = TIME_ZONE_WORDS.get(name, (name, name))
    return zone, f"{zh}，{utc}", f"{en}, {utc}"
