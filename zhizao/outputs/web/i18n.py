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
    "indicators": ("20 项主要指标", "The plan's indicators"),
    "clusters": ("六大产业集群规模进展", "Progress of the six industry clusters"),
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
    "groups": ("一区两群", "Regional groups (一区两群)"),
    "functional_zones": ("功能区（不在地图上）", "Functional zones (not on the map)"),
    "district": ("区县", "District"),
    "linked_indicator": ("对应规划指标", "Plan indicator"),
    "host_districts": ("所在区县", "Host districts"),
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


def pick(zh: str | None, en: str | None, lang: str) -> str | None:
    """An English name where the plan gives one, else the Chinese."""
    return (en or zh) if lang == "en" else zh
