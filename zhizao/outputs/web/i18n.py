"""Interface strings in Chinese and English, and the request's language.

The language comes from `?lang=` (then remembered in the `zhizao_lang` cookie by app.py), else
the cookie, else Chinese. Plan text and statistics stay as published (Chinese); only the
interface and the assessment's labels switch.
"""
from __future__ import annotations

from fastapi import Request

LANGS = ("zh", "en")
COOKIE = "zhizao_lang"

# key → (中文, English). One table so that a missing translation is easy to spot in review.
STRINGS: dict[str, tuple[str, str]] = {
    "app_title": ("智造 · 规划实施监测", "Zhizao · plan monitoring"),
    "nav_overview": ("总览", "Overview"),
    "nav_plan": ("规划浏览", "Plan"),
    "nav_districts": ("区县", "Districts"),
    "nav_data": ("数据", "Data"),
    "nav_downloads": ("下载", "Downloads"),
    "json_twin": ("本页 JSON", "This page as JSON"),
    "switch_lang": ("English", "中文"),
    "plan_switch": ("规划", "Plan"),
    "plan_switch_go": ("切换", "Go"),
    "plans_title": ("本数据库中的规划", "Plans in this store"),
    "plans_note": ("每项规划有自己的页面地址（/p/规划编号/）；默认规划也在首页 /。用 zhizao plan list 查看，zhizao serve --plan 选择默认规划。",
                   "Each plan has its own addresses (/p/<plan id>/); the default plan is also at /. "
                   "See zhizao plan list; zhizao serve --plan picks the default."),
    "plan_name": ("规划", "Plan"),
    "default_plan": ("默认", "default"),
    # overview
    "plan_period": ("规划期", "Plan period"),
    "eval_year": ("评估年份", "Evaluation year"),
    "as_of": ("截至（数据公布日期）", "Known as of"),
    "time_elapsed": ("规划期已过", "Plan period elapsed"),
    "time_elapsed_eval": ("按评估年份", "at the evaluation year"),
    "time_elapsed_today": ("按今天日期", "by today's date"),
    "apply": ("查看", "Show"),
    "counts_by_status": ("各状态指标数", "Indicators by status"),
    "binding_behind": ("需关注的约束性指标", "Binding indicators needing attention"),
    "indicators": ("主要指标", "The plan's indicators"),
    # {} is the plan's cluster_heading (六大产业集群, “33618”现代制造业集群体系 …): see cluster_heading()
    "clusters": ("{}规模进展", "Progress of {}"),
    "binding": ("约束性", "binding"),
    "value": ("数值", "Value"),
    "target": ("目标", "Target"),
    "baseline": ("基期", "Baseline"),
    "data_year": ("数据年份", "Data year"),
    "no_data": ("暂无可比数据", "no comparable data"),
    "cluster": ("集群", "Cluster"),
    "scale_target": ("规模目标", "Scale target"),
    "latest": ("最新规模", "Latest scale"),
    "share_of_target": ("达目标比例", "Share of target"),
    "comparability": ("可比性", "Comparability"),
    "evidence": ("依据", "Evidence"),
    "comp_comparable": ("可比", "comparable"),
    "comp_different_definition": ("口径不同", "different definition"),
    "comp_proxy": ("近似替代", "proxy"),
    # indicator
    "chart": ("实际值、规划路径、目标与预测", "Actual, planned path, target and projection"),
    "actual": ("实际值", "Actual"),
    "planned": ("规划路径", "Planned path"),
    "projection": ("按现趋势预测", "Projection on current trend"),
    "calc_inputs": ("计算依据", "Calculation inputs"),
    "growth_ratio": ("增速比（观察/所需）", "Growth ratio (observed/required)"),
    "observed_growth": ("观察年均增速", "Observed growth per year"),
    "planned_growth": ("规划期所需年均增速（基期→目标）", "Planned growth per year (baseline → target)"),
    "required_growth": ("此后每年所需增速", "Growth still needed per year from now on"),
    "completion": ("完成度", "Completion"),
    "planned_at_year": ("序时进度值", "Planned value at data year"),
    "projected": ("目标年预测值", "Projected at target year"),
    "rebased": ("基期已按最终公布数据替换", "Baseline re-based on the final published figure"),
    "printed_baseline": ("规划印刷基期值", "Baseline as printed in the plan"),
    "derivation": ("推算过程", "Derivation"),
    "method": ("方法", "Method"),
    "status": ("状态", "Status"),
    "status_range": ("若取区间乐观端", "At the interval's optimistic end"),
    "reason": ("原因", "Reason"),
    "history": ("候选数值（含各版本）", "Values considered (all vintages)"),
    "sources": ("所用数值的来源", "Sources of the value used"),
    "conflicts": ("同期其他数值（按选用规则未采用）", "Other values for the same period (not selected)"),
    "other_evidence": ("其他证据（不决定状态）", "Other evidence (never decides the status)"),
    "stored_obs": ("数据库中的相关观测值", "Related observations in the store"),
    "year": ("年份", "Year"),
    "period": ("时期", "Period"),
    "series": ("序列", "Series"),
    "region": ("地区", "Region"),
    "qualifier": ("限定", "Qualifier"),
    "obs_status": ("数据状态", "Data status"),
    "grade": ("等级", "Grade"),
    "vintage": ("版本日期", "Vintage"),
    "source": ("来源", "Source"),
    "quote": ("原文", "Quote"),
    "chosen": ("采用", "Used"),
    "deciding": ("可决定状态", "May decide"),
    "transform": ("换算", "Transform"),
    "note": ("备注", "Note"),
    "unit": ("单位", "Unit"),
    "section": ("规划章节", "Plan section"),
    "lead_department": ("牵头单位", "Lead department"),
    "none": ("无", "none"),
    # plan browser
    "search": ("搜索规划（中文）", "Search the plan (Chinese text)"),
    "search_button": ("搜索", "Search"),
    "results": ("搜索结果", "Results"),
    "no_results": ("没有匹配的内容", "Nothing matches"),
    "kind_indicator": ("指标", "Indicators"),
    "kind_cluster": ("产业集群", "Clusters"),
    "kind_industry": ("产业方向", "Industries"),
    "kind_technology": ("关键技术（专栏13）", "Key technologies (panel 13)"),
    "kind_platform": ("创新平台（专栏14）", "Platforms (panel 14)"),
    "kind_task": ("重点任务", "Tasks"),
    "kind_safeguard": ("保障措施", "Safeguards"),
    "key_products": ("重点产品", "Key products"),
    "sub_industries": ("细分领域", "Sub-industries"),
    "related_indicators": ("相关指标", "Related indicators"),
    "related_industries": ("相关产业", "Related industries"),
    "related_items": ("提及本产业的任务、技术与平台", "Tasks, technologies and platforms naming it"),
    "items_naming_indicator": ("提及本指标的任务、技术与平台", "Tasks, technologies and platforms naming it"),
    "related_data": ("相关数据", "Related data"),
    "group_strategic_emerging": ("战略性新兴产业", "Strategic emerging"),
    "group_pillar": ("支柱产业", "Pillar"),
    "group_future": ("未来产业", "Future"),
    "plan_notes": ("规划注释", "Plan notes"),
    # districts
    "map_title": ("区县数据地图", "District map"),
    "layer": ("数据序列", "Series"),
    "no_district_data": ("库中没有区县数据", "The store has no district data"),
    "groups": ("区域分组", "Regional groups"),
    "no_map": ("本规划未提供区域地图（regions.geometry），区县以表格列出",
               "This plan names no region map (regions.geometry); the districts are listed as a table"),
    "functional_zones": ("功能区（不在地图上）", "Functional zones (not on the map)"),
    "district": ("区县", "District"),
    "linked_indicator": ("对应规划指标", "Plan indicator"),
    "host_districts": ("所在区县", "Host districts"),
    # monitoring
    "nav_monitoring": ("运行监测", "Monitoring"),
    "mon_title": ("规上工业运行监测", "Monthly industrial monitoring"),
    "mon_period": ("报告期（累计）", "Reporting period (year to date)"),
    "mon_no_data": ("没有监测数据", "No monitoring data"),
    "mon_bad_data": ("监测数据无法读取", "The monitoring data cannot be read"),
    "mon_data_dir": ("数据目录", "Data folder"),
    "mon_city": ("全市", "City"),
    "mon_ytd_growth": ("累计增速", "YTD growth"),
    "mon_month_growth": ("当月增速", "Single-period growth"),
    "mon_nominal_growth": ("现价累计增速", "YTD growth, current prices"),
    "mon_target": ("全年目标", "Annual target"),
    "mon_gap": ("与目标差距", "Gap to target"),
    "mon_required": ("余下月份需增长", "Growth needed in the remaining months"),
    "mon_light": ("信号灯", "Light"),
    "mon_composite": ("综合景气信号", "Composite signal"),
    "mon_map": ("各区县累计增速", "YTD growth by district"),
    "mon_pulls_industry": ("分行业拉动（GB/T 4754 大类，百分点）", "Pull by GB/T 4754 division (pp)"),
    "mon_pulls_cluster": ("分产业集群拉动（百分点）", "Pull by plan cluster (pp)"),
    "mon_ytd": ("累计增加值（万元，不变价）", "YTD value added (10k yuan, constant prices)"),
    "mon_value": ("当期增加值（万元）", "Value added in the period (10k yuan)"),
    "mon_share": ("上年比重", "Share last year"),
    "mon_contribution": ("贡献率", "Contribution"),
    "mon_pull": ("拉动（百分点）", "Pull (pp)"),
    "mon_rank": ("位次", "Rank"),
    "mon_warnings": ("预警", "Warnings"),
    "mon_severity": ("级别", "Severity"),
    "mon_rule": ("规则", "Rule"),
    "mon_subject": ("对象", "Subject"),
    "mon_explanation": ("说明", "Explanation"),
    "mon_evidence": ("依据（规则证据）", "Evidence (the rule's inputs)"),
    "mon_all": ("全部", "all"),
    "mon_drill": ("详情", "Details"),
    "mon_enterprises": ("企业名单", "Enterprises"),
    "mon_credit_code": ("统一社会信用代码", "Credit code"),
    "mon_enterprise": ("企业", "Enterprise"),
    "mon_industry": ("行业大类", "Industry division"),
    "mon_cluster": ("产业集群", "Plan cluster"),
    "mon_size": ("规模", "Size"),
    "mon_reported": ("本期报送", "Reported"),
    "mon_series": ("月度序列", "Monthly series"),
    "mon_no_warnings": ("本期无预警", "No warnings in this period"),
    "mon_none_data": ("该区县在数据中没有企业", "The data hold no enterprise in this district"),
    "mon_zones": ("功能区", "Functional zones"),
    "mon_districts": ("区县", "Districts"),
    "mon_industries": ("行业", "Industries"),
    "mon_brief": ("月度经济运行分析", "Monthly brief"),
    "mon_entry_exit": ("进入/退出名录年份", "Entered / left the directory"),
    "mon_type": ("类型", "Type"),
    "mon_back": ("返回运行监测", "Back to monitoring"),
    "mon_periods_note": ("期别以月份标注，02 为 1—2 月合计", "Periods are labelled by month; 02 is January and February together"),
    # data
    "upload": ("上传数据文件（CSV / XLSX）", "Upload a data file (CSV / XLSX)"),
    "upload_help": ("与命令行 zhizao data import 相同的校验；任何一行有问题则整个文件不导入。",
                    "Same checks as `zhizao data import`; if any row has a problem nothing is imported."),
    "upload_button": ("上传并导入", "Upload and import"),
    "imported": ("已导入", "Imported"),
    "refused": ("导入被拒绝：数据库未改变", "Import refused: the store is unchanged"),
    "problems": ("问题", "Problems"),
    "file": ("文件", "File"),
    "row": ("行", "Row"),
    "column": ("列", "Column"),
    "code": ("代码", "Code"),
    "message": ("说明", "Message"),
    "observations": ("观测值", "Observations"),
    "filter": ("筛选（序列/地区）", "Filter (series/region)"),
    "batches": ("导入记录", "Import history"),
    "rows": ("行数", "Rows"),
    "imported_at": ("导入时间", "Imported at"),
    "page": ("页", "Page"),
    "prev": ("上一页", "Previous"),
    "next": ("下一页", "Next"),
    "total": ("共", "Total"),
    # downloads
    "reports": ("评估报告", "Evaluation reports"),
    "report_unavailable": ("报告模块尚未安装，暂不可下载", "The report module is not installed yet"),
    "report_failed": ("本机无法生成该格式的报告", "This machine cannot build the report in that format"),
    "data_downloads": ("数据", "Data"),
    "scorecard": ("指标评估表", "Scorecard"),
    "all_observations": ("全部观测值（含来源）", "All observations (with sources)"),
    "sources_list": ("来源清单", "Sources"),
    "json_twins": ("各页面的 JSON", "Every page as JSON"),
    # errors
    "not_found": ("未找到", "Not found"),
    "error": ("出错了", "Something went wrong"),
    "back_home": ("返回总览", "Back to the overview"),
}


def t(key: str, lang: str) -> str:
    zh, en = STRINGS[key]
    return en if lang == "en" else zh


def request_lang(request: Request) -> str:
    q = request.query_params.get("lang")
    if q in LANGS:
        return q
    c = request.cookies.get(COOKIE)
    return c if c in LANGS else "zh"


def cluster_heading(plan, lang: str) -> str:
    """The cluster section's heading in the plan's words (plan.cluster_heading), else neutral ones."""
    meta = plan.plan
    name = (meta.cluster_heading_en or meta.cluster_heading or "the industry clusters") if lang == "en" \
        else (meta.cluster_heading or "产业集群")
    return t("clusters", lang).format(name)


def pick(zh: str | None, en: str | None, lang: str) -> str | None:
    """An English name where the plan gives one, else the Chinese."""
    return (en or zh) if lang == "en" else zh
