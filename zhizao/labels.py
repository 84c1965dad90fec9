"""Every label a reader sees for a code: one table per kind of code, (中文, English) each.

The one label source for all outputs (CLI, dashboard, reports, spreadsheets) and for the
analytics' explanations. A code without a label here must not reach a Chinese reader:
`code_words()` lists the codes the output tests scan for.
"""
from __future__ import annotations

import unicodedata

Pair = tuple[str, str]

# Interface strings of the dashboard (web).
UI: dict[str, tuple[str, str]] = {
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
    "completion": ("进度完成度", "Share of required change achieved"),  # (v−b)/(T−b); 完成率 is v/T (w4 A/B)
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
    # issue 10 w4 (/districts): an indicator a series only relates to (proxy, other definition, derivation)
    "related_indicator": ("相关指标", "related indicator"),
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
    "mon_more_warnings": ("另有 {n:,} 条较轻的预警未列出：zhizao warnings 列出全部",
                          "{n:,} less severe warnings are not listed: zhizao warnings lists them all"),
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
    # --- issue 10: dashboard (conclusions, exports, print, phone, data gaps, completion table) ---
    "concl_latest": ("最新值{value}（{year}年）", "latest value {value} ({year})"),
    "concl_no_value": ("暂无可比数值", "no comparable value yet"),
    "concl_target": ("目标{target}", "target {target}"),
    "concl_target_year": ("{year}年目标{target}", "target {target} by {year}"),
    "concl_planned": ("按规划路径{year}年应为{value}", "the planned path gives {value} for {year}"),
    "concl_grade": ("来源：{grade}", "source: {grade}"),
    "concl_final": ("终期评估", "Final evaluation"),
    "conclusion": ("结论", "Conclusion"),
    "card_source": ("来源等级", "Source grade"),
    "card_year_grade": ("{year}年数据 · {grade}", "{year} data · {grade}"),
    "stale_summary": ("{n}项状态依据的数据早于评估年份{year}年（{years}）",
                      "{n} statuses rest on data older than the evaluation year {year} ({years})"),
    "export_png": ("下载图片（PNG）", "Download image (PNG)"),
    "export_table": ("下载本表", "Download this table"),
    "print_page": ("打印本页", "Print this page"),
    "unknown_table": ("本页没有名为“{name}”的表格；可选：{names}", "this page has no table named '{name}'; tables: {names}"),
    "bad_export_format": ("格式须为 csv、xlsx 或 json，收到“{fmt}”", "format must be csv, xlsx or json, got '{fmt}'"),
    "item": ("项目", "Item"),
    "indicator": ("指标", "Indicator"),
    "nature": ("属性", "Nature"),
    "final_status": ("终期评估结论", "Final evaluation"),
    "planned_value": ("规划路径值", "Planned value"),
    "nav_completion": ("完成情况表", "Completion table"),
    "completion_title": ("主要指标完成情况表", "Main indicators: completion table"),
    "completion_note": ("评估年份{year}年；状态依据“数据年份”列的数据；来源等级见末列。A4横向打印。",
                        "Evaluation year {year}; each status rests on the data of the 'data year' column; source "
                        "grades in the last column. Prints on A4 landscape."),
    "nav_gaps": ("数据缺口", "Data gaps"),
    "gaps_title": ("数据缺口：缺什么、哪里公布、上传什么", "Data gaps: what is missing, where it is published, what to upload"),
    "gaps_intro": ("{n}项指标中{gaps}项有数据缺口。补充数据：按下方导入列整理（每行一个公布数值），在“数据”页上传或用 zhizao data import 导入。",
                   "{gaps} of {n} indicators have a data gap. To fill one: put the published values in the "
                   "import columns below (one row per number) and upload them on the Data page or with "
                   "zhizao data import."),
    "gaps_none": ("所有指标均有评估年份的可比数据", "every indicator has comparable data for the evaluation year"),
    "gap_missing": ("缺什么", "What is missing"),
    "gap_where": ("通常在哪里公布", "Where it is usually published"),
    "gap_upload": ("上传什么", "What to upload"),
    "gap_no_data": ("无任何公布数据", "no published value at all"),
    "gap_only_base": ("只有基期值", "only the base-year value"),
    "gap_only_proxy": ("只有口径不同或近似替代的数据（不决定状态）", "only series of another definition or proxies (they do not decide)"),
    "gap_not_deciding": ("有可比数据但来源等级或价格口径不足以决定状态", "comparable values exist but their grade or price basis cannot decide"),
    "gap_stale": ("最新数据为{data_year}年，早于评估年份{year}年", "the latest value is for {data_year}, before the evaluation year {year}"),
    "gap_low_grade": ("所用数值来源等级低：{grade}", "the value used has a weak source: {grade}"),
    "gap_preliminary": ("所用数值为初步数，待最终数据", "the value used is preliminary; the final figure is due"),
    "gap_no_baseline": ("缺基期年（{year}年）可比数值", "no comparable value for the base year {year}"),
    "gap_ok": ("无缺口", "no gap"),
    "gap_known_publishers": ("已有相关数据的发布者：{names}", "published so far by: {names}"),
    "gap_target_source": ("目标出处：{source}", "the target is printed in: {source}"),
    "gap_hint_statistics": ("统计部门的统计公报、统计年鉴或统计月报", "the statistics bureau's annual communiqué, yearbook or monthly report"),
    "gap_hint_department": ("牵头单位（{dept}）的工作总结、新闻发布会或政府工作报告",
                            "the lead department's ({dept}) annual summary or press conferences, or the government work report"),
    "gap_hint_generic": ("政府工作报告、统计公报及主管部门的新闻发布", "the government work report, the statistics communiqué and the responsible department's press releases"),
    "gap_upload_rows": ("{years}年的“{series}”（单位：{unit}）", "'{series}' for {years} (unit: {unit})"),
    "gap_upload_id": ("{years}年的“{name}”（序列列填指标编号 {id}；单位：{unit}）",
                      "'{name}' for {years} (series column: the indicator id {id}; unit: {unit})"),
    "import_columns": ("导入列", "Import columns"),
    "import_required": ("必填", "required"),
    "import_optional": ("选填", "optional"),
    "template_csv": ("下载导入模板（CSV，已填入缺口行）", "Download the import template (CSV, gap rows filled in)"),
    "to_upload_page": ("去上传", "Upload on the Data page"),
    "role_numerator": ("分子", "numerator"),
    "role_denominator": ("分母", "denominator"),
    "tbl_calc_inputs": ("计算依据", "Calculation inputs"),
    # === issue 10: districts & monitoring ===
    "no_data_short": ("无数据", "No data"),
    "coverage": ("覆盖区县", "Districts covered"),
    "own_district": ("本区", "My district"),
    "compare_with": ("对比区县（可多选）", "Compare with (several)"),
    "officer_title": ("本区与全市、与其他区县对比", "My district against the city and other districts"),
    "officer_hint": ("选择本区或对比区县后，显示与全市的差距、在有数据区县中的位次和对比表",
                     "Choose your district or districts to compare: the gap to the city, the rank among "
                     "the districts with data and a comparison table"),
    "rank_among": ("位次（有数据区县中，由高到低）", "Rank (among districts with data, highest first)"),
    "diff_whole": ("与全市之差", "Difference from the city"),
    "share_whole": ("占全市比重", "Share of the city"),
    "whole_value": ("全市", "City"),
    "none_chosen": ("不选", "none"),
    "mon_groups": ("预警分组（按规则和对象类型）", "Warnings by rule and subject type"),
    "mon_count": ("条数", "Count"),
    "mon_page": ("第 {page}/{pages} 页", "Page {page} of {pages}"),
    "mon_prev": ("上一页", "Previous"),
    "mon_next": ("下一页", "Next"),
    "mon_light_note": ("信号灯是各对象的景气状态（列于各表），不计入预警。区县、功能区、行业、集群与同类对象比较定灯，"
                       "全市按全市临界值定灯；红色只表示高级别预警。",
                       "The light is each subject's business-climate status (a column of the tables), not a "
                       "warning. Districts, zones, industries and clusters are lit against their peers, the "
                       "city against the city's cut-offs; red means a high-severity warning only."),
    # === issue 10 w3: districts/monitoring pages, exports, plans in the dashboard ===
    "plan_unknown": ("没有编号为“{id}”的规划；本看板的规划见 /plans：{known}",
                     "No plan with id '{id}'; the plans this dashboard serves are listed at /plans: {known}"),
    "export_source": ("来源", "Source"),
    "export_address": ("网址", "Address"),
    "mon_pp_unit": ("百分点", "pp"),
    # --- issue 10 w2: completion, plan tables, XLSX words ---
    "completion_pct_head": ("进度完成度（%）", "Share of required change achieved (%)"),
    "plan_items": ("规划条目", "Plan items"),
    "baseline_year": ("基期年", "Baseline year"),
    "plan_cluster": ("产业集群", "Cluster"),
}

# Words of the reports (DOCX, HTML, PDF, XLSX).
REPORT: dict[str, tuple[str, str]] = {
    # report kinds and title page
    "final_eval": ("终期评估报告", "final evaluation report"),
    "mid_eval": ("中期评估报告", "mid-term evaluation report"),
    "impl_of": ("实施情况", "implementation: "),
    "eval_year": ("评估年份", "Evaluation year"),
    "as_of": ("数据截至", "Data as known on"),
    "as_of_all": ("使用数据库中全部已知数据（不限发布日期）", "all values in the store, whatever their publication date"),
    "doc_no": ("规划文号", "Plan document"),
    "period": ("规划期", "Plan period"),
    "generated_by": ("由“智造”平台依据公开统计数据生成", "Produced by zhizao from published statistics"),
    "toc": ("目录", "Contents"),
    "toc_hint": ("（目录将在打开文档或更新域时生成）", "(the contents are built when the document's fields are updated)"),
    "page": ("第 {} 页", "Page {}"),
    # section titles
    "s_summary": ("一、评估概要", "1. Summary"),
    "s_scorecard": ("二、指标评估总表", "2. Scorecard"),
    "s_categories": ("三、分领域评估", "3. Indicators by area"),
    "s_clusters": ("四、{}规模目标", "4. Scale targets of {}"),  # the plan's cluster_heading
    "s_nodata": ("五、无可比数据的指标", "5. Indicators without comparable data"),
    "s_nodata_4": ("四、无可比数据的指标", "4. Indicators without comparable data"),  # a plan without clusters
    "s_sources": ("附录一　数据来源", "Appendix A. Data sources"),
    "s_method": ("附录二　评估方法", "Appendix B. Methodology"),
    "s_binding": ("约束性指标", "Binding indicators"),
    "s_counts": ("各状态指标数", "Indicators by status"),
    "s_changes": ("与上次评估相比的变化", "Changes since the last report"),
    # table headers
    "h_indicator": ("指标", "Indicator"),
    "h_nature": ("属性", "Nature"),
    "h_unit": ("单位", "Unit"),
    "h_baseline": ("基期值", "Baseline"),
    "h_target": ("目标值", "Target"),
    "h_year": ("数据年份", "Year"),
    "h_actual": ("实际值", "Actual"),
    "h_planned": ("规划路径值", "Planned"),
    "h_completion": ("进度完成度", "Share of required change achieved"),
    "h_time": ("时间进度", "Time"),
    "h_ratio": ("增速比", "Ratio"),
    "h_status": ("状态", "Status"),
    "h_count": ("指标数", "Count"),
    "h_indicators": ("指标", "Indicators"),
    "h_prev_status": ("上次状态", "Previous status"),
    "h_prev_value": ("上次数据", "Previous value"),
    "h_new_value": ("本次数据", "Current value"),
    "h_cluster": ("产业集群", "Cluster"),
    "h_scale_target": ("规模目标", "Scale target"),
    "h_share": ("占目标比例", "Share of target"),
    "h_comparability": ("可比性", "Comparability"),
    "h_series": ("统计序列", "Series"),
    "h_value": ("数值", "Value"),
    "h_note": ("说明", "Note"),
    "h_grade": ("来源等级", "Grade"),
    "h_role": ("用途", "Role"),
    "h_obs_status": ("数据性质", "Release"),
    "h_vintage": ("发布/版本日期", "Vintage"),
    "h_source": ("来源", "Source"),
    "h_setting": ("参数", "Setting"),
    "h_meaning": ("含义", "Meaning"),
    "h_basis": ("依据", "Basis"),
    "h_rule": ("判定规则", "Rule"),
    # roles in the sources appendix
    "r_baseline": ("基期值", "baseline"),
    "r_chosen": ("采用值", "used"),
    "r_not_chosen": ("未采用值", "not used"),
    "r_evidence": ("其他证据", "other evidence"),
    "r_conflict": ("未采用值", "not used"),
    "r_cluster": ("集群规模", "cluster scale"),
    "final": ("终值", "final"),
    "preliminary": ("初步数", "preliminary"),
    # chart legend
    "c_path": ("规划路径", "planned path"),
    "c_target": ("目标", "target"),
    "c_actual": ("实际值", "actual"),
    "c_actual_d": ("实际值（D级来源，不单独决定状态）", "actual (grade D, never decides alone)"),
    "c_qualified_up": ("实际值（超/不低于）", "actual (more than / at least)"),
    "c_qualified_down": ("实际值（近/不高于）", "actual (nearly / at most)"),
    "c_qualified_about": ("实际值（约）", "actual (about)"),
    "c_other_values": ("未采用的公布值", "published values not used"),
    "c_evidence": ("其他证据（口径不同，不据此判断）", "other evidence (not comparable, does not decide)"),
    "c_projection": ("按现趋势预测", "projection on the observed trend"),
    "c_projection_final": ("预测目标年值及区间", "projected to the target year, with interval"),
    "c_required": ("此后所需路径", "required path from now on"),
    "c_no_data": ("无可比数据", "no comparable data"),
    "c_year": ("年份", "year"),
    "c_clusters_title": ("{}：最新规模与目标", "{}: latest scale against target"),  # the plan's cluster_heading
    "c_cluster_target": ("规模目标", "scale target"),
    "c_cluster_actual": ("最新规模", "latest scale"),
    "c_cluster_proxy": ("最新规模（近似替代口径）", "latest scale (proxy measure)"),
    # small words
    "binding": ("约束性", "binding"),
    "expected": ("预期性", "expected"),
    "none": ("无", "none"),
    "or": ("或", "or"),
    "per_year_pp": ("个百分点/年", " pp per year"),
    "per_year": ("/年", " per year"),
    "derived": ("推算值", "derived"),
    "rebased_note": ("* 基期值已按最终公布数替换规划印刷值", "* baseline re-based on the final published figure"),
    "binding_mark_note": ("★ 约束性指标", "★ binding indicator"),
    "store_baseline_note": ("† 规划未列基期值，采用数据库中基期年的可比数值。",
                            "† the plan prints no baseline: the comparable base-year value in the store is used."),
    "indefinite_note": ("状态后的“或……”：公布值带限定词（超/近/约……），按较保守一端判断，括号内为较乐观一端的结果。",
                        "“or …” after a status: the published value is qualified (more than / nearly …); "
                        "the conservative end decides, the optimistic reading follows."),
}
# --- the bundled data's sources and the report's wording (issue 10, third wave) ---------------------
REPORT.update({
    "h_value_count": ("数值条数", "Values"),  # the sources appendix counts stored values, not indicators
})

# Column headers of monitoring tables (CLI, CSV).
COLUMN: dict[str, tuple[str, str]] = {
    "subject_type": ("类型", "Type"), "subject_id": ("代码", "Code"), "subject_name": ("名称", "Name"),
    "period": ("期别", "Period"), "rule": ("规则", "Rule"), "severity": ("级别", "Severity"),
    "explanation": ("说明", "Explanation"), "ytd_growth_pct": ("累计增长%", "YTD growth %"),
    "month_growth_pct": ("当月增长%", "Month growth %"), "share_prev_pct": ("上年比重%", "Share (prev) %"),
    "contribution_pct": ("贡献率%", "Contribution %"), "pull_pp": ("拉动(百分点)", "Pull (pp)"),
    "rank": ("位次", "Rank"), "light": ("信号灯", "Light"), "year": ("年", "Year"), "month": ("月", "Month"),
    "ytd": ("累计值(万元)", "YTD (10k yuan)"), "growth_pct": ("增长%", "Growth %"),
    "completion_pct": ("完成率%", "Completion %"), "schedule_pct": ("序时进度%", "Schedule %"),
    "gap_pp": ("差距(百分点)", "Gap (pp)"), "planned_investment": ("计划投资(万元)", "Planned (10k yuan)"),
    "cumulative_investment": ("累计完成(万元)", "Done (10k yuan)"), "name": ("名称", "Name"),
    "credit_code": ("统一社会信用代码", "Credit code"), "district_name": ("区县", "District"),
    "target_pct": ("目标%", "Target %"), "required_rest_pct": ("余下月份需增长%", "Needed rest %"),
    "through_month": ("截至月份", "Through month"), "growth_lo": ("下限%", "Low %"),
    "growth_hi": ("上限%", "High %"), "level": ("全年预测值(万元)", "Annual level (10k yuan)"),
    "series": ("指标（按公布名称）", "Series (as published)"), "grade": ("来源等级", "Grade"),
    "source_url": ("来源地址", "Source"), "status": ("状态", "Status"), "sources": ("来源数", "Sources"),
    "conflict": ("各来源数值（不一致时）", "Values if sources disagree"), "note": ("说明", "Note"),
    "history_points": ("历史公布点数", "Published history points"),
    "prev_annual_growth_pct": ("上年全年增长%", "Last year's growth %"), "model": ("模型", "Model"),
    "backtest_n": ("回测次数", "Backtest n"), "backtest_mae_pp": ("回测MAE(百分点)", "Backtest MAE (pp)"),
    "backtest_naive_mae_pp": ("朴素法MAE(百分点)", "Naive MAE (pp)"), "ref": ("来源", "Source"),
}

# Why an indicator has no status, or a status without a pace judgement (`reason_code`).
REASON: dict[str, tuple[str, str]] = {
    "no_target": ("规划未设目标值，仅监测最新数值与趋势", "the plan sets no target: tracked (latest value and trend) only"),
    "no_baseline": ("规划未给出基期值，数据库中也没有可比的基期年数值，无法判断进度；仅判断是否达到目标及差距",
                    "the plan prints no baseline and the store holds no comparable base-year value: the pace "
                    "cannot be judged, only whether the target is met and the gap"),
    "undated_target": ("目标未注明年份，不判断进度；仅判断是否达到目标及差距",
                       "the target has no year: no pace is judged, only whether it is met and the gap"),
    "target_equals_baseline": ("目标值与基期值相同，无从计算进度；仅判断是否达到目标及差距",
                               "the target equals the baseline, so no pace can be computed: only whether it is met "
                               "and the gap"),
    "zero_growth_target": ("目标增速为0，无从计算进度；仅判断是否达到目标", "the target growth is zero, so no pace can "
                           "be computed: only whether it is met"),
    "beyond_range": ("数值超出目标区间", "the value is beyond the target range"),
    "unbounded_value": ("公布值只给出一侧界限（如“不足X”），无法确认达到目标",
                        "the published value is bounded on one side only (e.g. less than X): the target cannot be confirmed"),
    "every_year_failed": ("“保持”类目标须逐年达到，以下年份未达到：{years}",
                          "the target must hold every year and was not met in: {years}"),
    "every_year_unsure": ("“保持”类目标须逐年达到，以下年份的公布值带限定词，无法确认：{years}",
                          "the target must hold every year; qualified values leave these years unsure: {years}"),
    "every_year_missing": ("已有数据的年份均达到；以下年份没有数据：{years}",
                           "met in every year with data; no data for: {years}"),
    "average_growth_gap": ("年均增速目标需要自基期起逐年连续的增速，缺少：{years}",
                           "an average-growth target needs consecutive annual rates from the base year; missing: {years}"),
    "before_year": ("评估年份之前没有可比数据", "no comparable value up to the evaluation year"),
    "only_base_year": ("只有基期值，无法判断进度", "only a base-year value: progress cannot be measured"),
    "not_deciding": ("可比数据来源等级不足或价格口径不符（见其他证据）",
                     "comparable values exist but none may decide (source grade or price basis; see other evidence)"),
    "only_other_evidence": ("仅有口径不同或近似替代的数据，不据此判断状态",
                            "only series with a different definition or proxies were published; they do not decide the status"),
    "no_data": ("未找到公开发布的数据", "no published value found"),
    "not_released": ("截至{as_of}尚未发布可比数据（该日期之后发布的数值不计入）",
                     "no comparable value had been released by {as_of} (values released later are left out)"),
}

# Mid-term (pace) statuses of the assessment.
STATUS: dict[str, tuple[str, str]] = {
    "achieved": ("提前实现", "achieved"),
    "ahead": ("快于预期", "ahead of plan"),
    "on_track": ("基本符合预期", "on track"),
    "behind": ("滞后于预期", "behind plan"),
    "seriously_behind": ("严重滞后", "seriously behind"),
    # A value exists but the pace cannot be judged (no baseline, undated target) or a condition failed
    # (保持…以上 missed in a year, a value beyond a range): never counted as a pace status.
    "not_met": ("尚未达到", "not yet met"),
    "no_comparable_data": ("无可比数据", "no comparable data"),
    "tracked": ("仅监测", "tracked (no target)"),
}

# 终期评估 (final evaluation) statuses.
FINAL_STATUS: dict[str, tuple[str, str]] = {
    "completed": ("已完成", "completed"),
    "basically_completed": ("基本完成", "basically completed"),
    "not_completed": ("未完成", "not completed"),
    "expected_completed": ("预计完成", "expected to be completed"),
    "expected_basically_completed": ("预计基本完成", "expected to be basically completed"),
    "expected_difficult": ("预计难以完成", "unlikely to be completed"),
    "undetermined": ("无法判断", "cannot be determined"),
    "no_data": ("无可比数据", "no comparable data"),
    "tracked": ("仅监测", "tracked (no target)"),
}

# Nature of an indicator (预期性/约束性).
NATURE: dict[str, Pair] = {"expected": ("预期性", "expected"), "binding": ("约束性", "binding"),
                           "unstated": ("未注明", "not stated")}

# How comparable a published series is with the plan's indicator.
COMPARABILITY: dict[str, Pair] = {
    "comparable": ("可比", "comparable"),
    "different_definition": ("口径不同", "different definition"),
    "proxy": ("近似替代", "proxy"),
}

# How a published series becomes the indicator's value (links' `transform`).
TRANSFORM: dict[str, Pair] = {
    "identity": ("直接采用", "taken as published"),
    "derived_ratio": ("由两项数据相除得出", "derived as a ratio of two series"),
    "chain_real_growth": ("基期值按逐年实际增速链乘（不变价）", "baseline chained with real growth rates (constant prices)"),
    "chain_annual_changes": ("逐年变化率累乘", "annual changes chained"),
    "cumulative_from_levels": ("由逐年水平值计算累计变化", "cumulative change computed from levels"),
}

# What a stored value measures (observations' `basis`).
BASIS: dict[str, Pair] = {
    "level": ("水平值", "level"),
    "change_on_previous_year": ("比上年变化", "change on the previous year"),
    "cumulative_since": ("累计变化", "cumulative change"),
    "average_over": ("期间年均", "average over a period"),
    "stock_as_of": ("时点存量", "stock as of a date"),
}

# Price basis of a value.
PRICE_BASIS: dict[str, Pair] = {
    "constant": ("不变价", "constant prices"), "current": ("现价", "current prices"),
    "comparable": ("可比价", "comparable prices"),
    "not_applicable": ("不涉及", "not applicable"),  # counts and shares have no price basis
}

# Publication status of an observation.
OBS_STATUS: dict[str, Pair] = {"final": ("最终", "final"), "preliminary": ("初步/预计", "preliminary")}

# Warning severities (monitoring) and plan-check severities (plan lint).
SEVERITY: dict[str, Pair] = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}
LINT_SEVERITY: dict[str, Pair] = {"error": ("错误", "error"), "warning": ("警告", "warning"), "info": ("提示", "info")}

# Five-light business-climate signal (景气信号灯); the codes are the Chinese words.
LIGHT: dict[str, Pair] = {"过热": ("过热", "overheated (orange ▲)"), "偏热": ("偏热", "warm (yellow)"),
                          "正常": ("正常", "normal (green)"), "偏冷": ("偏冷", "cool (light blue)"),
                          "过冷": ("过冷", "cold (blue ▼)")}

# Kinds of monitored subject.
SUBJECT_TYPE: dict[str, Pair] = {
    "city": ("全市", "City"), "district": ("区县", "District"), "zone": ("功能区", "Functional zone"),
    "industry": ("行业大类", "Industry division"), "cluster": ("产业集群", "Plan cluster"),
    "enterprise": ("企业", "Enterprise"),
}

# Source grades of the bundled data, explained in words (A best).
GRADE: dict[str, Pair] = {
    "A": ("A 政府网站原文", "A: the government's own site"),
    "B": ("B 主流或官方媒体", "B: mainstream or official media"),
    "C": ("C 其他网站转载的政府或官方媒体原文", "C: an official text reprinted on another site"),
    "D": ("D 二手整理或自媒体（慎用，不单独作为判断依据）",
          "D: secondary compilation or self-media (use with care, never the only support)"),
    "none": ("无来源地址", "no source address"),
}

# Keys of the evidence dictionaries, as column headers.
EVIDENCE_KEY: dict[str, Pair] = {
    "measure": ("度量", "measure"), "score": ("得分", "score"), "method": ("方法", "method"),
    "value": ("数值", "value"), "threshold": ("阈值", "threshold"), "z": ("标准分", "z-score"),
}

# Data origin: synthetic data are always labelled as such.
ORIGIN: dict[str, Pair] = {
    "synthetic": ("合成数据（演示用，非真实企业）", "Synthetic data (demo, not real enterprises)"),
    "published": ("公开发布数据", "published data"),
}

# === issue 10: districts & monitoring ===
# Keys of the monitoring rules' and lights' evidence, and the codes their values hold.
EVIDENCE_KEY.update({
    "light": ("信号灯", "light"), "growth_pct": ("累计增速（%）", "YTD growth (%)"),
    "center_pct": ("比较中心（%）", "centre compared with (%)"), "sigma_pp": ("离散度（百分点）", "spread (pp)"),
    "peers": ("同类对象数", "peers"), "history_points": ("历史期数", "past periods"), "index": ("综合指数", "index"),
    "components": ("各指标信号灯", "lights of the measures"), "ytd_growth_pct": ("累计增速（%）", "YTD growth (%)"),
    "target_pct": ("全年目标（%）", "annual target (%)"), "gap_pp": ("差距（百分点）", "gap (pp)"),
    "required_rest_pct": ("余下月份需增长（%）", "needed in the rest of the year (%)"),
    "ytd": ("本年累计", "year to date"), "ytd_prev": ("上年同期累计", "same period last year"),
    "annual_prev": ("上年全年", "last year"), "direction": ("方向", "direction"),
    "s_high": ("向上累积和", "upper CUSUM"), "s_low": ("向下累积和", "lower CUSUM"), "k": ("容许偏差k", "slack k"),
    "h": ("决策界限h", "decision limit h"), "change_at": ("转折期", "turning point"),
    "mean_before_pct": ("转折前均值（%）", "mean before (%)"), "mean_after_pct": ("转折后均值（%）", "mean after (%)"),
    "shift_pp": ("变化（百分点）", "shift (pp)"), "age_periods": ("距今期数", "periods ago"),
    "noise_pp": ("噪声（百分点）", "noise (pp)"), "pull_pp": ("拉动（百分点）", "pull (pp)"),
    "contribution_pct": ("贡献率（%）", "contribution (%)"), "share_prev_pct": ("上年比重（%）", "share last year (%)"),
    "threshold_pp": ("阈值（百分点）", "threshold (pp)"), "threshold_pct": ("阈值（%）", "threshold (%)"),
    "value_prev": ("上年同期值", "value a year earlier"), "periods": ("连续期数", "periods in a row"),
    "min_periods": ("最少期数", "minimum periods"), "last_reported": ("上次报送", "last report"),
    "last_value": ("上次报送值", "last value"), "periods_silent": ("未报送期数", "periods silent"),
    "output_growth_pct": ("产值同比（%）", "output YoY (%)"),
    "electricity_growth_pct": ("用电量同比（%）", "electricity YoY (%)"),
    "spring_festival_march": ("春节错月降级", "Spring Festival downgrade"),
    # issue 10 w4 (F): a single-industry cluster's drag, named in its industry's warning
    "same_as_cluster": ("同一下滑的产业集群", "cluster with the same decline"),
})
EVIDENCE_VALUE: dict[str, Pair] = {
    "value_added": ("规上工业增加值", "value added"), "composite": ("综合指数", "composite index"),
    "output": ("产值", "output"), "electricity": ("用电量", "electricity"),
    "fixed": ("固定临界值", "fixed cut-offs"), "history": ("相对自身历史", "against its own history"),
    "peers": ("相对同类对象", "against its peers"), "stl": ("稳健STL残差", "robust STL residual"),
    "yoy_robust_z": ("同比增速稳健标准分", "robust z of YoY growth"),
    "up": ("向上", "up"), "down": ("向下", "down"), True: ("是", "yes"), False: ("否", "no"),
}

# --- CLI (the terminal part, issue 10): headers of plan show, data list/sources/batches, settings;
# codes those tables print (qualifiers, indicator kinds, batch kinds). Monitoring headers are COLUMN.
CLI_COLUMN: dict[str, Pair] = {
    "id": ("编号", "ID"), "name": ("名称", "Name"), "category": ("类别", "Category"), "nature": ("属性", "Nature"),
    "unit": ("单位", "Unit"), "kind": ("类型", "Kind"), "baseline": ("基期值", "Baseline"), "target": ("目标", "Target"),
    "stated_growth": ("规划所列增速", "Stated growth"), "price_basis": ("价格口径", "Price basis"),
    "section": ("章节", "Section"), "group": ("分组", "Group"), "sub_industries": ("细分产业", "Sub-industries"),
    "key_products": ("重点产品数", "Key products"), "gbt4754": ("国民经济行业大类", "GB/T 4754 divisions"),
    "cluster": ("所属集群", "Cluster"), "title": ("标题", "Title"), "text": ("内容摘要", "Text"), "code": ("代码", "Code"),
    "industry": ("产业", "Industry"), "cluster_id": ("集群编号", "Cluster ID"), "scale_target": ("规模目标", "Scale target"),
    "series": ("序列", "Series"), "region": ("地区", "Region"), "period_key": ("期别", "Period"), "value": ("数值", "Value"),
    "qualifier": ("限定词", "Qualifier"), "value_text": ("原文数值", "As printed"), "status": ("状态", "Status"),
    "grade": ("来源等级", "Grade"), "vintage": ("版本日期", "Vintage"), "source": ("来源", "Source"),
    "source_url": ("来源地址", "Source address"), "batch_id": ("批次", "Batch"), "withdrawn_at": ("撤回时间", "Withdrawn at"),
    "withdrawal_reason": ("撤回原因", "Withdrawal reason"), "file": ("文件", "File"), "rows": ("行数", "Rows"),
    "imported_at": ("导入时间", "Imported at"), "note": ("说明", "Note"), "withdrawn_by": ("撤回人", "Withdrawn by"),
    "default": ("缺省值", "Default"), "meaning": ("含义", "Meaning"), "basis": ("依据", "Basis"),
    "source_id": ("来源编号", "Source ID"), "publisher": ("发布机构", "Publisher"), "url": ("地址", "Address"),
    "published": ("发布日期", "Published"), "accessed": ("访问日期", "Accessed"), "observations": ("数值条数", "Values"),
    "indicator": ("指标", "Indicator"), "check": ("检查项", "Check"), "severity_label": ("级别", "Severity"),
    "message": ("说明", "Message"), "target_year": ("目标年", "Target year"),
    "target_text": ("规划原文", "As printed"), "industries": ("包含产业", "Industries"),
    "district": ("区县", "District"), "project_id": ("项目编号", "Project ID"),
    "latest_year": ("最新数据年份", "Latest year"), "latest_value": ("最新值", "Latest value"),
    "reference_value": ("参考值", "Reference value"), "low": ("区间下限", "Low"), "high": ("区间上限", "High"),
    "method": ("方法", "Method"), "in_force_target": ("现行规划目标", "Target in force"),
    "in_force_year": ("现行目标年", "Year of that target"), "stated_growth_check": ("增速核对", "Stated growth check"),
}
QUALIFIER: dict[str, Pair] = {
    "exact": ("确数", "exact"), "more_than": ("超过", "more than"), "at_least": ("不低于", "at least"),
    "nearly": ("接近", "nearly"), "about": ("约", "about"), "at_most": ("不超过", "at most"),
    "less_than": ("不足", "less than"),
}
INDICATOR_KIND: dict[str, Pair] = {
    "level": ("总量", "level"), "share": ("比重", "share"), "count": ("个数", "count"), "index": ("指数", "index"),
    "ratio": ("比率", "ratio"), "average_annual_growth": ("年均增速", "average annual growth"),
    "cumulative_change": ("累计变化", "cumulative change"),
}
BATCH_KIND: dict[str, Pair] = {
    "bundled": ("内置数据", "bundled data"), "import": ("文件导入", "file import"), "links": ("关联文件", "links file"),
}
INDUSTRY_GROUP: dict[str, Pair] = {
    "strategic_emerging": ("战略性新兴产业", "strategic emerging"), "pillar": ("支柱产业", "pillar"),
    "future": ("未来产业", "future"),
}
CLI_TABLES = {"cli_column": CLI_COLUMN, "qualifier": QUALIFIER, "indicator_kind": INDICATOR_KIND,
              "batch_kind": BATCH_KIND, "industry_group": INDUSTRY_GROUP}

# --- issue 10 w2: completion, plan tables, XLSX words (the codes the report workbook shows as words) ---
# Direction of an indicator's target.
DIRECTION: dict[str, Pair] = {"increase": ("提高", "increase"), "decrease": ("降低", "decrease")}
# A target's comparator, as a Chinese plan words it.
COMPARATOR: dict[str, Pair] = {
    ">=": ("不低于", "at least"), ">": ("高于", "more than"), "<=": ("不高于", "at most"), "<": ("低于", "less than"),
    "≈": ("左右", "about"), "=": ("等于", "equal to"), "between": ("区间", "between"),
}
# Period type of an observation.
PERIOD_TYPE: dict[str, Pair] = {"year": ("年度", "year"), "ytd": ("年初累计", "year to date"),
                                "month": ("当月", "month")}
# Industry codes that are not GB/T 4754 divisions.
INDUSTRY_SCOPE: dict[str, Pair] = {"ALL": ("全部行业", "all industries")}

TABLES: dict[str, dict[str, Pair]] = {
    "evidence_value": EVIDENCE_VALUE,
    "ui": UI, "report": REPORT, "column": COLUMN, "reason": REASON, "status": STATUS,
    "final_status": FINAL_STATUS, "nature": NATURE, "comparability": COMPARABILITY, "transform": TRANSFORM,
    "basis": BASIS, "price_basis": PRICE_BASIS, "obs_status": OBS_STATUS, "severity": SEVERITY,
    "lint_severity": LINT_SEVERITY, "light": LIGHT, "subject_type": SUBJECT_TYPE, "grade": GRADE,
    "evidence_key": EVIDENCE_KEY, "origin": ORIGIN, **CLI_TABLES,
    "direction": DIRECTION, "comparator": COMPARATOR, "period_type": PERIOD_TYPE, "industry_scope": INDUSTRY_SCOPE,
}
# Tables whose codes are identifiers (snake_case English) that must never show in a Chinese output.
CODE_TABLES = ("status", "final_status", "nature", "comparability", "transform", "basis", "price_basis",
               "obs_status", "severity", "subject_type", "reason", "evidence_key", "indicator_kind", "period_type")


def label(table: str, code, lang: str = "zh") -> str:
    """The reader's word for `code` in `table`; an unknown code is returned as it is (and is a bug
    the code-word scan finds in Chinese outputs)."""
    if code is None:
        return ""
    pair = TABLES[table].get(code)
    if pair is None:
        return str(code)
    return pair[1] if lang == "en" else pair[0]


def code_words() -> set[str]:
    """Codes that a Chinese output must not print: the snake_case ids of the code tables."""
    words: set[str] = set()
    for name in CODE_TABLES:
        words.update(k for k in TABLES[name] if "_" in k)
    return words | {"identity", "proxy", "measure", "score", "method", "five_light", "SYNTHETIC"}


# --- reports, languages and sources (issue 10) ------------------------------------------------
# Units of the embedded plans and the bundled data (canonical spellings of zhizao.ingest.units),
# in English; the Chinese reader sees the unit as the plan prints it.
UNIT: dict[str, Pair] = {
    "元": ("元", "yuan"), "千元": ("千元", "thousand yuan"), "万元": ("万元", "10,000 yuan"),
    "百万元": ("百万元", "million yuan"), "十亿元": ("十亿元", "billion yuan"),
    "亿元": ("亿元", "100 million yuan"), "万亿元": ("万亿元", "trillion yuan"),
    "万亿": ("万亿", "trillion yuan"), "百分比": ("百分比", "%"), "万元/人·年": ("万元/人·年", "10,000 yuan per person"),
    "美元": ("美元", "US dollars"), "万美元": ("万美元", "10,000 US dollars"),
    "亿美元": ("亿美元", "100 million US dollars"),
    "%": ("%", "%"), "百分点": ("百分点", "percentage points"), "个百分点": ("个百分点", "percentage points"),
    "指数": ("指数", "index"), "倍": ("倍", "times"),
    "吨": ("吨", "tonnes"), "万吨": ("万吨", "10,000 tonnes"),
    "吨标准煤": ("吨标准煤", "tonnes of standard coal"), "万吨标准煤": ("万吨标准煤", "10,000 tonnes of standard coal"),
    "亿吨标准煤": ("亿吨标准煤", "100 million tonnes of standard coal"),
    "元/人": ("元/人", "yuan per person"), "万元/人": ("万元/人", "10,000 yuan per person"),
    "立方米/万元": ("立方米/万元", "m³ per 10,000 yuan"), "吨标准煤/万元": ("吨标准煤/万元", "tonnes of standard coal per 10,000 yuan"),
    "万家次": ("万家次", "10,000 enterprise visits"), "场": ("场", "events"),
}
# Counted nouns (个, 家, 件 …) and the scale words before them (万家, 亿片 …).
COUNT_NOUN: dict[str, Pair] = {
    "个": ("个", "units"), "家": ("家", "enterprises"), "件": ("件", "items"), "台": ("台", "sets"),
    "辆": ("辆", "vehicles"), "人": ("人", "persons"), "片": ("片", "pieces"), "项": ("项", "items"),
    "套": ("套", "sets"), "户": ("户", "households"), "人年": ("人年", "person-years"),
}
SCALE_WORD: dict[str, Pair] = {"千": ("千", "thousand"), "万": ("万", "10,000"), "百万": ("百万", "million"),
                               "亿": ("亿", "100 million")}


def unit_label(unit: str | None, lang: str = "zh") -> str:
    """A unit as the reader writes it: unchanged in Chinese; in English 亿元 → 100 million yuan,
    万家 → 10,000 enterprises. An unknown unit is returned as it is (the data's own word)."""
    if not unit or lang != "en":
        return unit or ""
    head, paren, note = unit.partition("（")  # a data unit with a note: %（低于全国平均的幅度）
    if paren and head:
        return f"{unit_label(head, lang)} （{note}"
    # NFKC and no spaces: 亿 元 / full-width forms read as the canonical spelling (this base module
    # does not import the ingest layer's aliases)
    for u in (unit, unicodedata.normalize("NFKC", unit).replace(" ", "")):
        if u in UNIT:
            return UNIT[u][1]
        if u in COUNT_NOUN:
            return COUNT_NOUN[u][1]
        for word, (_, en) in sorted(SCALE_WORD.items(), key=lambda kv: -len(kv[0])):
            if u.startswith(word) and u[len(word):] in COUNT_NOUN:
                return f"{en} {COUNT_NOUN[u[len(word):]][1]}"
    return unit


# --- monitoring numbers and the forecast (issue 10, wave 2) -----------------------------------
# The forecast models (analytics.monitoring.forecast `model`) in words; JSON/CSV keep the code.
FORECAST_MODEL: dict[str, Pair] = {
    "½·sarima(0,1,1)(0,1,1)11 + ½·naive": ("季节ARIMA与朴素法等权组合", "seasonal ARIMA and naive, equal weights"),
    "sarima(0,1,1)(0,1,1)11": ("季节ARIMA", "seasonal ARIMA"),
    "insufficient data": ("数据不足", "insufficient data"),
}

# === issue 10: one story per indicator (statuses, projections, values) ===
UI.update({
    "status_if_high_words": ("{status}，按区间上端为{high}", "{status}; at the interval's upper end: {high}"),
    "time_elapsed_at_data": ("数据年份时规划期已过", "Plan period elapsed at the data year"),
    "projection_hold": ("按最新值持平（仅一个年度变化）", "Latest value held (one yearly change only)"),
    "projection_range": ("90%区间", "90% interval"),
    "assessed_at": ("判断状态按区间保守端{value}", "status judged at the interval's cautious end {value}"),
})
# --- issue 10 w4, part A/B: one name per number. 完成率 = actual ÷ target (as a 终期评估 reports
# "完成目标的104.8%", final.completion_pct); 进度完成度 = (actual − baseline)/(target − baseline).
COMPLETION_RATE: Pair = ("完成率", "Completion rate")
CHANGE_COMPLETION: Pair = UI["completion"]
UI.update({
    "change_completion": CHANGE_COMPLETION,
    "completion_rate": COMPLETION_RATE,
    "completion_rate_head": ("完成率（%）", "Completion rate (%)"),
    "pp_per_year": ("个百分点/年", " pp a year"),  # growth of a share: never "%/年"
    "cautious_end_note": ("按区间保守端{value}计算", "computed at the interval's cautious end, {value}"),
})
# What a projection to the target year rests on (final.projection_for: docs/methodology.md §3b).
PROJECTION_BASIS: dict[str, Pair] = {
    "trend": ("按趋势外推", "extended on its trend"),
    "hold_latest": ("仅有一个年度变化，按最新值持平推算", "one yearly change only: the latest value held"),
    "average_growth": ("按已有各年增速的均值推算", "the mean of the yearly rates so far continued"),
}
TABLES["projection_basis"] = PROJECTION_BASIS
# --- part D/E (issue 10, fourth wave): a bound is held, never fitted; definitions before names -----
PROJECTION_BASIS["bound"] = ("最新值为界限值，不作外推，按该界限持平", "the latest value is a bound: held, not extrapolated")
BOUND_WORD: dict[str, Pair] = {"at_least": ("至少", "at least "), "at_most": ("至多", "at most ")}
IN_FORCE_MATCH: dict[str, Pair] = {
    "concept": ("按统计口径匹配", "matched by definition"),
    "name": ("按名称匹配", "matched by name"),
    "different_definition": ("口径不同，仅供参考", "a different definition: for orientation only"),
}
TABLES["in_force_match"] = IN_FORCE_MATCH
TABLES["bound_word"] = BOUND_WORD
MEASURE_WORD: dict[str, Pair] = {"增加值": ("增加值", "value added"), "产值": ("产值", "output")}
TABLES["measure_word"] = MEASURE_WORD

# --- the monitoring commands for a reader (issue 10, third wave) ------------------------------
# Steps of a monitoring refresh (analytics.monitoring.refresh STEPS) for the progress bar; the
# warning rules' own steps use their titles (RULES[...].title_zh/title_en).
MONITOR_STEP: dict[str, Pair] = {
    "panel": ("汇总企业数据", "building the enterprise panel"), "growth": ("计算增速", "growth rates"),
    "contributions": ("计算贡献率与拉动", "contributions and pulls"), "lights": ("五色灯信号", "five-light signals"),
}
# The published-rate forecast models (analytics.monitoring.published MODEL and its fallback).
FORECAST_MODEL.update({
    "s·G_m + (1−s)·g_prev, s = m/12 (published-rate model)":
        ("公布增速模型：s×累计增速＋(1−s)×上年全年增速，s = 月数/12",
         "published-rate model: s × YTD growth + (1 − s) × last year's growth, s = months/12"),
    "naive: annual = YTD growth (last year's annual growth not published)":
        ("朴素法：全年增速取累计增速（上年全年增速未公布）",
         "naive: annual growth = YTD growth (last year's annual growth not published)"),
})

# --- the terminal's last leftovers (issue 10, fourth wave: part G/I/J) -------------------------
# Source grades as a short word for a table column; the full words (GRADE) go in a legend under it.
GRADE_SHORT: dict[str, Pair] = {
    "A": ("A 政府网站", "A gov. site"), "B": ("B 官方媒体", "B media"), "C": ("C 转载原文", "C reprint"),
    "D": ("D 二手整理", "D secondary"), "none": ("无地址", "no address"),
}
TABLES["grade_short"] = GRADE_SHORT
CLI_WORDS: dict[str, Pair] = {
    "grade_legend": ("来源等级：", "Source grades:"),
    "list_narrow": ("价格口径、状态：终端加宽（COLUMNS=120）或用 --format csv 查看",
                    "price basis and status: in a wider terminal (COLUMNS=120) or with --format csv"),
    # the evidence tags of docs/reference/methods.md, cited by settings' basis
    "evidence": ("，依据等级{tag}：{words}", ", evidence grade {tag}: {words}"),
}
TABLES["cli_words"] = CLI_WORDS
# Evidence tags of docs/reference/methods.md ([C]/[P]/[M]/[D]) as words, where a basis cites one.
EVIDENCE_TAG: dict[str, Pair] = {
    "C": ("已核实", "confirmed"), "P": ("部分核实", "partly confirmed"),
    "M": ("凭经验、未核实", "from memory, unconfirmed"), "D": ("设计建议", "design suggestion"),
}
TABLES["evidence_tag"] = EVIDENCE_TAG

# === issue 10: fourth wave, English (units and qualifiers after/before a number) ===
# A published qualifier in front of a number (formatting.qualified): the mark a Chinese table prints,
# the words an English sentence uses (超26,000 → more than 26,000).
QUALIFIER_MARK: dict[str, Pair] = {
    "more_than": ("超", "more than"), "at_least": ("≥", "at least"), "nearly": ("近", "nearly"),
    "about": ("约", "about"), "at_most": ("≤", "at most"), "less_than": ("<", "less than"),
}
TABLES["qualifier_mark"] = QUALIFIER_MARK
# How a pace is measured (analytics.progress: the assessment's `method`, stored in Chinese): its English
# twin for English outputs (method_words).
PATH_METHOD: dict[str, Pair] = {
    "geometric": ("几何路径（年均增速）；观察增速/所需增速（Eurostat/Open SDG）",
                  "geometric path (average annual growth rate); observed rate ÷ required rate (Eurostat/Open SDG)"),
    "linear": ("线性路径（百分点/每年增量）；年均增量之比（Eurostat/Open SDG 比值法的线性形式）",
               "linear path (points or units per year); ratio of yearly increments (linear form of the "
               "Eurostat/Open SDG ratio method)"),
    "compound": ("复合累计路径：1−(1+c_T)^(n/N)；年均变化率之比",
                 "compounded cumulative path: 1 − (1 + c_T)^(n/N); ratio of average yearly rates of change"),
}
PATH_METHOD["target_only"] = ("仅判断是否达到目标及差距（无法判断进度）",
                               "whether the target is met and the gap only (no pace can be judged)")
_METHOD_BY_ZH = {zh: en for zh, en in PATH_METHOD.values()}


def method_words(text: str | None, lang: str = "zh") -> str | None:
    """The assessment's method text in the reader's language (unknown text is returned as it is)."""
    if lang != "en" or not isinstance(text, str):
        return text
    return _METHOD_BY_ZH.get(text, text)

# --- part P-en (issue 10, polish): a projection holding a bound is named as such (charts, workbook) ---
PROJECTION_BOUND: dict[str, Pair] = {"at_least": ("按下限持平：", "bound held: "),
                                     "at_most": ("按上限持平：", "bound held: ")}
TABLES["projection_bound"] = PROJECTION_BOUND

# --- AUTH (issue 11): accounts, login, roles, the audit page ---------------------------------------
ROLE: dict[str, Pair] = {"admin": ("市级管理员", "city administrator"), "analyst": ("市级分析员", "city analyst"),
                         "district": ("区县用户", "district user"), "guest": ("访客", "guest"),
                         "local": ("本机用户", "local user")}
TABLES["role"] = ROLE
AUDIT_ACTION: dict[str, Pair] = {
    "login": ("登录", "log in"), "login_failed": ("登录失败", "failed login"), "logout": ("退出", "log out"),
    "lockout": ("账户锁定", "account locked"), "export": ("导出", "export"), "download": ("下载", "download"),
    "import": ("导入", "import"), "withdraw": ("撤回", "withdrawal"), "edit": ("修改", "edit"),
    "user_add": ("新建用户", "user added"), "user_edit": ("修改用户", "user changed"), "user_disable": ("停用用户", "user disabled"),
    "user_enable": ("启用用户", "user enabled"), "user_passwd": ("修改密码", "password changed"),
    "token_add": ("生成令牌", "token created"), "token_revoke": ("撤销令牌", "token revoked"),
    "upload_refused": ("上传被拒", "upload refused"),
    "login_rate_limited": ("登录过于频繁被拒", "login refused (too many attempts)"),
    "plan_register": ("登记规划", "plan registered"), "restore": ("恢复备份", "backup restored"),
    "user_set": ("修改用户", "user changed"),
}
TABLES["audit_action"] = AUDIT_ACTION
# The audit log's detail (a JSON object) as words: its keys …
AUDIT_DETAIL_KEY: dict[str, Pair] = {
    "reason": ("原因", "reason"), "codes": ("问题", "problems"), "until": ("锁定至", "locked until"),
    "format": ("格式", "format"), "path": ("页面", "page"), "file": ("文件", "file"), "kind": ("类型", "kind"),
    "links": ("关联数", "links"), "sha256": ("SHA-256 校验值", "SHA-256"), "source": ("来源", "source"),
    "year": ("年份", "year"), "name": ("名称", "name"), "expires_days": ("有效天数", "valid for (days)"),
    "role": ("角色", "role"), "region": ("区县", "district"), "force": ("覆盖现有数据", "replacing data"),
    "from": ("备份来源", "backed up from"), "created_at": ("备份时间", "backed up at"),
    "retry_after": ("须等待（秒）", "wait (seconds)"), "period": ("报告期", "period"), "rows": ("行数", "rows"),
    "table": ("表", "table"), "method": ("请求", "request"), "query": ("条件", "query"),
}
TABLES["audit_detail_key"] = AUDIT_DETAIL_KEY
# … and the codes among its values (a failed login's reason; a refused upload's problems: PROBLEM_CODE).
AUDIT_REASON: dict[str, Pair] = {
    "bad": ("用户名或密码不正确", "wrong user name or password"), "locked": ("账户已锁定", "account locked"),
    "disabled": ("账户已停用", "account disabled"), "embedded": ("内置", "embedded"), "bundled": ("随附数据", "bundled data"),
    "import": ("导入文件", "imported file"), "file": ("文件", "file"), "duckdb": ("DuckDB", "DuckDB"),
    "postgresql": ("PostgreSQL", "PostgreSQL"), "csv": ("CSV", "CSV"), "xlsx": ("XLSX", "XLSX"),
    "json": ("JSON", "JSON"), "html": ("HTML", "HTML"), "docx": ("Word（DOCX）", "Word (DOCX)"), "pdf": ("PDF", "PDF"),
}
TABLES["audit_reason"] = AUDIT_REASON
# An import problem's code (zhizao.ingest ImportProblem.code, the upload's own) in words.
PROBLEM_CODE: dict[str, Pair] = {
    "region_not_allowed": ("非本区县的行", "another district's row"),
    "city_row_not_allowed": ("全市数据行", "whole-city row"),
    "unsupported_file": ("文件类型不支持", "unsupported file type"), "file_too_large": ("文件过大", "file too large"),
    "unreadable_file": ("文件无法读取", "unreadable file"), "import_error": ("导入出错", "import failed"),
    "no_file": ("未选择文件", "no file chosen"), "empty_file": ("空文件", "empty file"),
    "store_busy": ("数据库忙", "store busy"), "already_in_store": ("已导入过", "already imported"),
    "missing_column": ("缺少列", "missing column"), "unknown_column": ("无法识别的列", "unknown column"),
    "duplicate_column": ("列名重复", "duplicate column"), "missing_fields": ("缺少字段", "missing fields"),
    "missing_value": ("缺少数值", "missing value"), "bad_value": ("数值无法解析", "unreadable value"),
    "value_out_of_range": ("数值超出范围", "value out of range"), "bad_period": ("时期无法识别", "unreadable period"),
    "period_outside_plan": ("时期超出规划期", "period outside the plan"),
    "period_year_conflict": ("时期与年份不一致", "period and year disagree"),
    "unknown_series": ("未知序列", "unknown series"), "unknown_region": ("未知地区", "unknown region"),
    "unknown_unit": ("未知单位", "unknown unit"), "unit_mismatch": ("单位不一致", "unit mismatch"),
    "bad_url": ("来源链接无效", "invalid source link"), "bad_grade": ("来源等级无效", "invalid source grade"),
    "bad_date": ("日期无效", "invalid date"), "bad_industry": ("行业代码无效", "invalid industry code"),
    "bad_basis": ("口径无效", "invalid basis"), "basis_conflict": ("口径冲突", "basis conflict"),
    "basis_needs_year": ("口径缺少年份", "basis needs a year"),
    "basis_period_conflict": ("口径与时期冲突", "basis and period conflict"),
    "cell_too_long": ("单元格过长", "cell too long"), "duplicate_key": ("重复行", "duplicate row"),
    "extra_cells": ("多余的单元格", "extra cells"), "bad_yaml": ("YAML 无法读取", "unreadable YAML"),
    "bad_link": ("关联无效", "invalid link"),
}
TABLES["problem_code"] = PROBLEM_CODE
UI.update({
    "local_mode": ("本机单用户模式（无账户）", "single-user local mode (no accounts)"),
    "login": ("登录", "Log in"),
    "logout": ("退出登录", "Log out"),
    "login_title": ("登录", "Log in"),
    "login_intro": ("请用管理员为您建立的账户登录。未登录时只能查看公开的汇总数据。",
                    "Log in with the account an administrator created for you. Without logging in you see "
                    "published aggregates only."),
    "username": ("用户名", "User name"),
    "password": ("密码", "Password"),
    # one answer for an unknown name, a wrong password and a locked account (docs/accounts.md)
    "login_bad": ("用户名或密码不正确，或账户因多次失败已暂时锁定（{minutes} 分钟后再试；管理员可用 zhizao user enable 解锁）",
                  "wrong user name or password, or the account is locked after repeated failures (try again in "
                  "{minutes} minutes; an administrator can unlock it with zhizao user enable)"),
    "login_disabled": ("该账户已停用：请联系管理员", "this account is disabled: contact an administrator"),
    "login_rate": ("登录尝试过于频繁：请 {seconds} 秒后再试", "too many login attempts: try again in {seconds} seconds"),
    "login_needed": ("请先登录", "Please log in"),
    "logged_in_as": ("当前用户", "Logged in as"),
    "not_logged_in": ("未登录（访客）", "not logged in (guest)"),
    "nav_admin": ("审计日志", "Audit log"),
    "audit_title": ("审计日志", "Audit log"),
    "audit_intro": ("账户数据库记录的登录、导出、导入、撤回和用户变更，最新的在前。",
                    "Logins, exports, imports, withdrawals and user changes recorded in the accounts database, "
                    "newest first."),
    "audit_at": ("时间（{zone}）", "Time ({zone})"),
    "audit_zone_note": ("时间为{zone}；数据库中保存的是 UTC 时间，导出文件两者都有。",
                        "Times are {zone}; the database keeps them in UTC, and the export has both."),
    "audit_at_utc": ("时间（UTC）", "Time (UTC)"),
    "audit_export": ("导出审计日志", "Export the audit log"),
    "problem_kind": ("问题类型", "Problem"),
    "mon_data_admin_only": ("监测数据尚未准备好：请联系管理员", "the monitoring data are not ready yet: contact an administrator"),
    "audit_actor": ("操作人", "Actor"),
    "audit_role": ("角色", "Role"),
    "audit_action": ("操作", "Action"),
    "audit_target": ("对象", "Target"),
    "audit_rows": ("行数", "Rows"),
    "audit_detail": ("详情", "Detail"),
    "audit_ip": ("地址", "Address"),
    "audit_filter": ("筛选", "Filter"),
    "audit_all_actions": ("全部操作", "all actions"),
    "audit_empty": ("没有符合条件的记录", "no entries match"),
    "prev_page": ("上一页", "Previous"),
    "next_page": ("下一页", "Next"),
    "upload_region_refused": ("区县用户只能导入本区县（{region}）的数据：这一行属于其他地区，整个文件未导入",
                              "a district user imports only their own district's rows ({region}): this row "
                              "belongs to another region, so nothing in the file was imported"),
    "upload_city_refused": ("这一行的地区为空，即全市数据：区县用户（{region}）不能导入全市数据，整个文件未导入；"
                            "请填写本区县代码，或请市级用户导入",
                            "this row has no region, so it is a whole-city row: a district user ({region}) may not "
                            "import whole-city data, so nothing in the file was imported; give your district's code, "
                            "or ask a city user to import it"),
    "upload_no_region_column": ("区县用户只能导入本区县（{region}）的数据：文件没有地区列，即全市数据，整个文件未导入",
                                "a district user imports only their own district's rows ({region}): the file has no "
                                "region column, so it is whole-city data, and nothing in it was imported"),
})
# --- The notes zhizao itself writes on a batch (stored in English), in the reader's language ----------
BATCH_NOTES: tuple[tuple[str, str], ...] = (
    (r"bundled real published statistics \((.+)\)", "随附的真实公开统计数据（{0}）"),
    (r"links of the embedded plan (\S+) to the bundled statistics", "内置规划 {0} 与随附统计数据的关联"),
    (r"not loaded: (.+?): the plan has no indicator '(.*)'", "未载入：{0}：规划中没有指标“{1}”"),
    (r"not a value \((.+?)\): Row (\d+): '(.*)' restates a target, not a statistic: do not import it as a value "
     r"\(targets belong in the plan file\)\.", "不是数值（{0}）：第{1}行“{2}”是规划目标的重述，不是统计值，未作为数值导入"
                                              "（目标写在规划文件中）"),
)


def batch_note(note, lang: str = "zh"):
    """A batch's note in the reader's language: the parts zhizao wrote itself (BATCH_NOTES, stored in
    English, joined by "; ") in Chinese for zh; anything else (a user's note) as it is."""
    if lang == "en" or not isinstance(note, str):
        return note
    import re  # only here: the labels module is imported everywhere

    parts = re.split(r"; (?=not loaded: |not a value \()", note)
    out = []
    for part in parts:
        for pattern, zh in BATCH_NOTES:
            m = re.fullmatch(pattern, part)
            if m:
                part = zh.format(*m.groups())
                break
        out.append(part)
    return "；".join(out) if len(out) > 1 and all(p != q for p, q in zip(out, parts)) else "; ".join(out)


# --- STORE (issue 11): zhizao db status, backup and restore (the terminal's words) -------------
STORE_STATUS: dict[str, Pair] = {
    "backend": ("后端", "Backend"), "location": ("位置", "Location"), "revision": ("结构版本", "Schema revision"),
    "head": ("最新结构版本", "Latest revision"), "up_to_date": ("结构是否最新", "Schema up to date"),
    "generation": ("数据写入次数", "Data writes (generation)"), "table": ("表", "Table"), "rows": ("行", "rows"),
    "yes": ("是", "yes"), "no": ("否，请运行 zhizao db upgrade", "no: run zhizao db upgrade"),
    "none": ("（尚未建立）", "(not set up yet)"),
    "backed_up": ("已备份到", "Backed up to"), "restored": ("已恢复到", "Restored into"),
    "skipped": ("未恢复（此后端无这些表）", "Not restored (this backend has no such tables)"),
    "upgraded": ("数据库结构已是最新版本", "the schema was already at the latest revision"),
    "upgraded_to": ("数据库结构已升级到", "schema upgraded to"),
    "was": ("原为", "was"),
    "private": ("备份文件只有本账户可读写（权限 0600）：其中有统计数据、规划、导入批次和审计日志（PostgreSQL 的备份还有"
                "账户及密码与令牌的散列），请妥善保管。运行监测数据目录（企业数据，ZHIZAO_MONITORING_DATA）不在其中，"
                "须另行备份（docs/deployment.md §5）",
                "the archive is readable by this account only (mode 0600): it holds the statistics, plans, import "
                "batches and the audit log (and on PostgreSQL the accounts with their password and token hashes); "
                "keep it safe. The monitoring data folder (the enterprise data, ZHIZAO_MONITORING_DATA) is not in "
                "it: back it up as well (docs/deployment.md §5)"),
    "first_admin": ("数据库中还没有账户，无人能登录：先建立第一个管理员：zhizao user add 用户名 --role admin",
                    "the database has no account yet, so nobody can log in: create the first administrator with "
                    "zhizao user add USERNAME --role admin"),
    "duckdb_upgraded": ("DuckDB 数据库在每次写入打开时自动升级，已完成", "a DuckDB store upgrades itself when "
                        "opened for writing; done"),
}


# --- FIX3-WEB (issue 11, second review): enterprise exports, the data page, error pages, API errors ---
# Enterprise size classes (the synthetic directory's 大型/中型/小型/微型; GB/T 统计上大中小微型企业划分).
SIZE_CLASS: dict[str, Pair] = {"大型": ("大型", "large"), "中型": ("中型", "medium"), "小型": ("小型", "small"),
                               "微型": ("微型", "micro")}
TABLES["size_class"] = SIZE_CLASS
UI.update({
    "login_required_title": ("需要登录", "Log in required"),
    "batch_id": ("批次编号", "Batch"),
    "batch_kind": ("类型", "Kind"),
    "imported_by": ("导入人", "Imported by"),
    "mon_enterprise_export": ("导出企业名单", "Export the enterprise list"),
    "mon_warnings_export": ("导出预警", "Export the warnings"),
    "mon_enterprise_warnings": ("预警", "Warnings"),
    "page_formats": ("本页只有网页和 JSON（?format=json）；表格请用 ?table=表名&format=csv 或 xlsx，可选表格：{names}",
                     "this page is HTML or JSON (?format=json) only; for a table use ?table=NAME&format=csv or xlsx; "
                     "tables: {names}"),
    "page_formats_none": ("本页只有网页和 JSON（?format=json），没有 CSV/XLSX 表格",
                          "this page is HTML or JSON (?format=json) only: it has no CSV/XLSX table"),
    # the footer's map credit (the plan's regions.geometry.licence) in English
    "map_credit_words": ("区县边界", "District boundaries"),
})


# issue 12: chain analytics — the codes of zhizao.analytics.chains' frames in words (docs/chains.md).
RISK_GRADE: dict[str, Pair] = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}
CHAIN_STATUS: dict[str, Pair] = {"missing": ("缺失环节", "missing link"), "weak": ("薄弱环节", "weak link"),
                                 "covered": ("有本地配套", "locally covered"),
                                 # a chain the data have no member on: not covered by the data, not missing
                                 "no_data": ("无数据", "no data")}
SUPPLY_LOCATION: dict[str, Pair] = {"local": ("本地", "local"), "region": ("区域内", "in the region"),
                                    "domestic": ("外省", "other provinces"), "abroad": ("境外", "abroad")}
CHAIN_ROLE: dict[str, Pair] = {"leader": ("链主", "chain leader"), "core": ("核心配套", "core supplier"),
                               "supplier": ("配套", "supplier")}
CHAIN_STAGE: dict[str, Pair] = {"materials": ("原材料", "materials"), "parts": ("零部件", "parts"),
                                "systems": ("系统与总成", "systems"), "final": ("整机与终端", "final products"),
                                "services": ("应用与服务", "services")}
WHATIF_STATUS: dict[str, Pair] = {"lost": ("环节断链", "link lost"),
                                  "stopped": ("环节停产（企业均断供）", "members' production stops"),
                                  "local_lost": ("本地配套断链", "local supply lost"),
                                  "weakened": ("削弱", "weakened")}
CHAIN_RULE: dict[str, Pair] = {
    "chain_missing_link": ("产业链缺失环节", "Missing chain link"),
    "chain_weak_link": ("产业链薄弱环节", "Weak chain link"),
    "chain_low_local_share": ("本地配套率偏低", "Low local supply share"),
    "chain_single_source": ("单一来源高风险供应", "High-risk single-source supply"),
    "chain_high_risk_enterprise": ("供应链高风险企业", "High supply-chain risk enterprise"),
}
CHAIN_NO_CHAINS: Pair = ("本规划未列产业链图谱", "this plan has no chain maps")
# a share with no recorded supply behind it is unknown (NaN), shown in words, never as 0 %
CHAIN_NOT_RECORDED: Pair = ("未记录", "not recorded")
# what a link's outside share and concentration rest on (risk links: outside_basis, hhi_basis)
CHAIN_BASIS: dict[str, Pair] = {"supply": ("采购记录", "recorded purchases"), "capacity": ("产能", "capacity"),
                                "members": ("企业数", "member counts")}
TABLES["chain_basis"] = CHAIN_BASIS
UI.update({"chain_not_recorded": CHAIN_NOT_RECORDED, "chain_whatif_stopped": ("停产", "production stops"),
           "chain_whatif_links_stopped": ("停产的环节（企业均断供）", "Links whose members all stop")})
SUBJECT_TYPE.update({"chain": ("产业链", "Chain"), "chain_link": ("产业链环节", "Chain link")})
TABLES.update({"risk_grade": RISK_GRADE, "chain_status": CHAIN_STATUS, "supply_location": SUPPLY_LOCATION,
               "chain_role": CHAIN_ROLE, "chain_stage": CHAIN_STAGE, "whatif_status": WHATIF_STATUS,
               "chain_rule": CHAIN_RULE})


# issue 12: web (the chain pages /chains, a chain, a link, the what-if; zhizao/outputs/web/pages/chains.py)
UI.update({
    "nav_chains": ("产业链", "Chains"),
    "chain_title": ("产业链图谱与供应链安全", "Industrial chains and supply-chain security"),
    "chain_intro": ("本规划列出的重点产业链：各链环节数、缺失和薄弱环节、本地配套率与高风险环节；点击链名查看链条图谱。",
                    "The plan's key industrial chains: links, missing and weak links, local supply coverage and "
                    "high-risk links; open a chain for its map."),
    "chain_none": ("本规划未列产业链图谱", "this plan has no chain maps"),
    "chain_unknown": ("本规划没有编号为“{id}”的产业链；本规划的产业链：{known}（见 /chains）",
                      "this plan has no chain '{id}'; its chains: {known} (see /chains)"),
    "chain_link_unknown": ("产业链“{chain}”没有编号为“{id}”的环节；本链的环节：{known}",
                           "chain '{chain}' has no link '{id}'; its links: {known}"),
    "chain_synthetic": ("合成数据（演示用，非真实企业）：产业链企业与供应关系由 zhizao 生成",
                        "SYNTHETIC data (demo, not real enterprises): the chains' enterprises and supply relations "
                        "are generated by zhizao"),
    "chain_source": ("企业与供应数据：{source}；数据截至 {as_of}", "Enterprise and supply data: {source}; as of {as_of}"),
    "chain_name": ("产业链", "Chain"),
    "chain_cluster": ("所属集群", "Cluster"),
    "chain_links": ("环节数", "Links"),
    "chain_missing": ("缺失环节", "Missing links"),
    "chain_weak": ("薄弱环节", "Weak links"),
    "chain_local_share": ("本地配套率", "Local supply share"),
    "chain_region_share": ("区域配套率", "Regional supply share"),
    "chain_abroad_share": ("境外供应占比", "Supplied from abroad"),
    "chain_high_risk_links": ("高风险环节", "High-risk links"),
    "chain_enterprises": ("企业数", "Enterprises"),
    "chain_leaders": ("链主企业", "Leading enterprises"),
    "chain_others_count": ("另有 {n} 家（不在您的查看范围）", "{n} more (outside what you may see)"),
    "chain_not_shown": ("（企业名称不在您的查看范围）", "(enterprise not shown to you)"),
    "chain_graph": ("产业链图谱", "Chain map"),
    "chain_graph_help": ("从左（上游）到右（下游）按环节阶段排列；颜色为风险等级，圆的大小和数字为本地配套率；点击环节查看详情。下表为同一内容。",
                         "Upstream on the left, downstream on the right, by stage; colour is the risk grade, size and "
                         "number the local supply share; click a link for its page. The table below says the same."),
    "chain_size_help": ("圆越大，本地配套率越高", "larger circle: higher local supply share"),
    "chain_links_table": ("环节一览", "Links"),
    "chain_stage": ("阶段", "Stage"),
    "chain_link": ("环节", "Link"),
    "chain_members": ("企业数", "Enterprises"),
    "chain_local_members": ("本地企业数", "Local enterprises"),
    "chain_status": ("配套状态", "Supply status"),
    "chain_status_missing": ("缺失（无本地企业）", "Missing (no local enterprise)"),
    "chain_status_weak": ("薄弱（仅一家本地企业）", "Weak (one local enterprise)"),
    "chain_status_covered": ("有配套", "Covered"),
    "chain_risk": ("风险等级", "Risk grade"),
    "chain_grade_high": ("高", "High"),
    "chain_grade_medium": ("中", "Medium"),
    "chain_grade_low": ("低", "Low"),
    "chain_grade_none": ("无数据", "No data"),
    "chain_reasons": ("原因", "Reasons"),
    "chain_section": ("规划出处", "Plan section"),
    "chain_quote": ("规划原文", "The plan's words"),
    "chain_gaps": ("分链条招商清单（缺失与薄弱环节）", "Investment attraction list (missing and weak links)"),
    "chain_gaps_none": ("本链没有缺失或薄弱环节", "this chain has no missing or weak link"),
    "chain_rank": ("序号", "Rank"),
    "chain_why": ("理由", "Why"),
    "chain_size": ("规模", "Size"),
    "chain_key_products": ("重点产品", "Key products"),
    "chain_critical": ("关键", "critical"),
    "chain_critical_title": ("关键环节与关键企业", "Critical links and enterprises"),
    "chain_critical_help": ("关键环节：去掉后链条断开（割点）或位于多数上下游路径上（介数高）的环节",
                            "critical: a link whose loss cuts the chain (articulation point) or that lies on most "
                            "upstream–downstream paths (high betweenness)"),
    "chain_critical_none": ("本链没有关键环节", "this chain has no critical link"),
    "chain_critical_enterprises": ("关键企业", "Critical enterprises"),
    "chain_betweenness": ("介数", "betweenness"),
    "chain_technologies": ("关键技术", "Technologies"),
    "chain_industry_class": ("国民经济行业分类（GB/T 4754-2017）", "Industry class (GB/T 4754-2017)"),
    "chain_upstream": ("上游环节", "Upstream links"),
    "chain_downstream": ("下游环节", "Downstream links"),
    "chain_coverage": ("配套情况", "Supply coverage"),
    "chain_members_title": ("环节企业", "Enterprises on this link"),
    "chain_enterprise": ("企业", "Enterprise"),
    "chain_role": ("角色", "Role"),
    "chain_role_leader": ("链主", "Chain leader"),
    "chain_role_core": ("核心配套", "Core supplier"),
    "chain_role_supplier": ("配套", "Supplier"),
    "chain_location": ("所在地类别", "Location"),
    "chain_place": ("所在地", "Place"),
    "chain_capacity": ("产能（万元）", "Capacity (10,000 yuan)"),
    "chain_loc_local": ("本地", "Local"),
    "chain_loc_region": ("区域内", "Within the region"),
    "chain_loc_domestic": ("国内其他地区", "Elsewhere in China"),
    "chain_loc_abroad": ("境外", "Abroad"),
    "chain_abroad": ("境外", "Abroad"),
    "chain_abroad_all": ("全部境外供应", "All supply from abroad"),
    "chain_province_code": ("行政区划代码 {code}（省级）", "province code {code}"),
    "chain_hidden_members": ("另有 {n} 家企业不在您的查看范围，仅计数", "{n} more enterprises outside what you may see (counted only)"),
    "chain_no_members": ("本环节暂无企业", "no enterprise on this link yet"),
    "chain_relations": ("供应关系", "Supply relations"),
    "chain_supplier": ("供应方", "Supplier"),
    "chain_supplier_location": ("供应方所在地", "Supplier's place"),
    "chain_buyer": ("采购方", "Buyer"),
    "chain_share": ("占采购方需求", "Share of the buyer's need"),
    "chain_hidden_relations": ("另有 {n} 条供应关系不在您的查看范围，仅计数", "{n} more relations outside what you may see (counted only)"),
    "chain_backups": ("高风险供应关系的备份企业", "Backup suppliers for high-risk relations"),
    "chain_backups_none": ("本环节没有需要备份的高风险供应关系", "no high-risk relation on this link needs a backup"),
    "chain_candidate": ("备份企业", "Backup candidate"),
    "chain_hidden_candidates": ("另有 {n} 家候选企业不在您的查看范围", "{n} more candidates outside what you may see"),
    "chain_no_backup": ("没有可替代的企业：须列为不可替代，另作预案", "no other enterprise can supply it: irreplaceable, plan for it"),
    "chain_whatif": ("断供情景推演", "Disruption what-if"),
    "chain_whatif_help": ("假设某些企业、某个区县或某个外部地区停止供应：推演失去的环节、受影响的企业和受影响产值（沿链向下游传导）；最多并排比较 3 个情景。",
                          "Suppose some enterprises, a district or an outside region stop supplying: the links lost, the "
                          "enterprises affected and the output at risk, passed down the chain; compare up to 3 scenarios."),
    "chain_whatif_form": ("设置情景", "Set the scenarios"),
    "chain_whatif_scenario": ("情景{n}", "Scenario {n}"),
    "chain_whatif_name": ("情景名称", "Scenario name"),
    "chain_whatif_pick_enterprises": ("停供企业", "Enterprises stopping"),
    "chain_whatif_pick_districts": ("停供区县", "Districts stopping"),
    "chain_whatif_pick_regions": ("停供外部地区", "Outside regions stopping"),
    "chain_whatif_multi": ("按住 Ctrl（Mac 为 ⌘）可多选；留空的情景不计算。", "Hold Ctrl (⌘ on a Mac) to choose several; an empty scenario is skipped."),
    "chain_whatif_no_enterprises": ("本链没有您可查看的企业；仍可按区县或外部地区推演。",
                                    "no enterprise of this chain is shown to you; districts and outside regions still work."),
    "chain_whatif_run": ("推演", "Run"),
    "chain_whatif_compare": ("情景比较", "Scenarios compared"),
    "chain_whatif_removed": ("停供企业数", "Enterprises removed"),
    "chain_whatif_links_lost": ("失去的环节（无企业剩余）", "Links lost (no enterprise left)"),
    "chain_whatif_local_links_lost": ("失去本地配套的环节", "Links losing all local supply"),
    "chain_whatif_links_weakened": ("削弱的环节", "Links weakened"),
    "chain_whatif_enterprises_affected": ("受影响的下游企业", "Downstream enterprises affected"),
    "chain_whatif_output_at_risk_downstream": ("下游受影响产值（亿元）", "Downstream output at risk (100 million yuan)"),
    "chain_whatif_output_at_risk": ("受影响产值合计（亿元，含停供企业）", "Output at risk in all (100 million yuan, removed enterprises included)"),
    "chain_whatif_output": ("受影响产值（亿元）", "Output at risk (100 million yuan)"),
    "chain_whatif_local_lost": ("失去本地配套", "local supply lost"),
    "chain_whatif_chains": ("受影响的产业链", "Chains affected"),
    "chain_whatif_chain_line": ("失去 {lost} 个环节，削弱 {weak} 个，受影响企业 {n} 家",
                                "{lost} links lost, {weak} weakened, {n} enterprises affected"),
    "chain_articulation": ("供应网络的割点（去掉后网络断开）", "cut point of the supply network"),
    "chain_sole_supplier_of": ("独家供应 {n} 个采购关系", "sole supplier in {n} relations"),
    "chain_direct_buyers": ("直接采购方 {n} 家", "{n} direct buyers"),
    "chain_downstream_reach": ("下游企业 {n} 家", "{n} enterprises downstream"),
    "chain_whatif_loss": ("供应损失", "Supply lost"),
    "chain_whatif_links": ("受影响环节", "Links affected"),
    "chain_whatif_enterprises": ("受影响企业", "Enterprises affected"),
    "chain_whatif_removing": ("停供", "Stopping"),
    "chain_whatif_lost": ("失去", "lost"),
    "chain_whatif_weakened": ("削弱", "weakened"),
    "chain_whatif_no_links": ("没有环节受影响", "no link is affected"),
    "chain_whatif_none_affected": ("没有企业受影响", "no enterprise is affected"),
    "chain_hidden_affected": ("另有 {n} 家受影响企业不在您的查看范围，仅计数", "{n} more affected enterprises outside what you may see (counted only)"),
    "chain_whatif_empty": ("请在下方选择要停供的企业、区县或外部地区，然后点“推演”。",
                           "Choose below the enterprises, districts or outside regions that stop, then Run."),
    "chain_whatif_bad_param": ("不认识的参数：{names}；情景参数为 s1_name、s1_enterprise、s1_district、s1_region（至多 s{n}_…）",
                               "unknown parameters: {names}; a scenario's are s1_name, s1_enterprise, s1_district, "
                               "s1_region (up to s{n}_…)"),
    "chain_whatif_too_many": ("{name}：一个情景最多选 {n} 项，请减少", "{name}: at most {n} choices in one scenario; choose fewer"),
    "chain_whatif_unknown_enterprise": ("{name}：不是本链的企业（或不在您的查看范围）：{values}；请从列表中选择",
                                        "{name}: not an enterprise of this chain (or not shown to you): {values}; choose from the list"),
    "chain_whatif_unknown_district": ("{name}：不是本规划的区县代码：{values}；请从列表中选择",
                                      "{name}: not a district code of this plan: {values}; choose from the list"),
    "chain_whatif_unknown_region": ("{name}：不是可选的外部地区：{values}；请从列表中选择（省级代码前两位、abroad 或国家代码）",
                                    "{name}: not an outside region on offer: {values}; choose from the list (a province "
                                    "prefix, abroad or a country code)"),
    # second wave: the 招商 list's size, downloads, chain warnings on /monitoring, the chain upload on /data
    "chain_size_unit": ("规模（万元）", "Size (10,000 yuan)"),
    "chain_size_basis_buyers": ("按采购方产值", "output of its buyers"),
    "chain_size_basis_downstream": ("按下游环节企业产值", "output of the downstream links' enterprises"),
    "chain_size_basis_none": ("无产值数据", "no output data"),
    "chain_download": ("下载", "Download"),
    "chain_download_xlsx": ("工作簿（XLSX）", "Workbook (XLSX)"),
    "chain_download_graphml": ("图谱（GraphML）", "Graph (GraphML)"),
    "chain_download_scope": ("下载文件只含您可查看的企业（其他企业不列名称和代码）",
                             "downloads hold only the enterprises you may see (others without name or code)"),
    "chain_download_format": ("下载格式须为 xlsx 或 graphml，收到“{value}”", "the download format is xlsx or graphml, got '{value}'"),
    "chain_hidden_name": ("（不在查看范围）", "(not shown to you)"),
    "mon_chain_warnings": ("产业链预警 {n} 条，数据：{source}（截至 {as_of}；不随报告期变化）",
                           "{n} chain warnings, from: {source} (as of {as_of}; not tied to the reporting period)"),
    "chain_upload": ("上传产业链数据", "Upload chain data"),
    "chain_upload_help": ("一个含三个工作表（企业、链上企业、供应关系）的 XLSX，或三个 CSV 一起上传；与 zhizao chain import "
                          "的检查相同，有任何问题则整体拒绝、不写入。产业链数据为全市数据，仅市级用户可上传。",
                          "One XLSX with three sheets (enterprises, members, supply), or the three CSV files together; the "
                          "same checks as zhizao chain import, refused whole on any problem. Chain data are city-level: "
                          "city users only."),
    "chain_upload_button": ("上传产业链数据", "Upload chain data"),
    "chain_upload_ok": ("已导入产业链数据", "Chain data imported"),
    "chain_upload_counts": ("企业 {enterprises} 家，链上企业 {members} 条，供应关系 {supply} 条",
                            "{enterprises} enterprises, {members} members, {supply} supply relations"),
    "chain_upload_none": ("本规划未列产业链图谱，无法上传产业链数据", "this plan has no chain maps: no chain data to upload"),
    "sheet": ("工作表", "Sheet"),
    # third wave (review): names of scenarios, long lists folded, 未记录, the graph on a phone
    "chain_whatif_name_long": ("情景{n}的名称过长（{length} 字）：最多 {max} 字，请缩短",
                               "scenario {n}'s name is too long ({length} characters): at most {max}, shorten it"),
    "chain_whatif_name_repeated": ("情景名称重复：{names}；每个情景须有自己的名称",
                                   "scenario names repeat: {names}; give each scenario its own name"),
    "chain_whatif_stopped": ("停产", "stopped"),
    "chain_whatif_more": ("另有 {n} 项未列出，完整列表见本表的 CSV/XLSX 下载", "{n} more not listed: the table's CSV/XLSX download has them all"),
    "chain_whatif_below": ("另有 {n} 项损失不足 {min}，未列出", "{n} more with a loss under {min}, not listed"),
    "chain_whatif_top": ("按受影响产值排序，列出前 {n} 家", "sorted by output at risk, the first {n} listed"),
    "chain_more_rows": ("其余 {n} 项", "{n} more"),
    "chain_not_recorded": ("未记录", "not recorded"),
    "chain_not_recorded_help": ("未记录：该环节没有记录到任何供应关系，配套率无从计算（图中仍按风险等级着色，灰色为无数据）",
                                "not recorded: no supply of this link is recorded, so no share can be computed (the map "
                                "still colours it by its risk grade; grey is no data)"),
    "chain_cut_point": ("割点", "cut point"),
    "chain_cut_point_help": ("去掉后链条断开", "removing it splits the chain"),
    "chain_graph_help_narrow": ("在窄屏上按阶段从上（上游）到下（下游）排列，环节名称见提示框和下表。",
                                "On a narrow screen the stages run from top (upstream) to bottom (downstream); the tooltip and the table below name the links."),
    "chain_table_scroll": ("表格可左右滑动", "the table scrolls sideways"),
    # fourth wave (second review): chain warnings without monitoring data, hidden high risks, 亿元, refused upload
    "mon_chain_warnings_title": ("产业链预警", "Chain warnings"),
    "chain_graph_print": ("图谱见网页版；下表为同一内容。", "See the web page for the map; the table below holds the same."),
    "chain_upload_refused": ("产业链数据由市级用户导入；如需更新，请联系市级用户上传",
                             "chain data are imported by city-level users: ask a city-level user to upload them"),
    "chain_backups_hidden": ("{n} 条高风险供应关系不在您的查看范围", "{n} high-risk supply relations are outside what you may see"),
})
# the chain import's problem codes (zhizao.ingest.chains) in words, for the /data upload's problems table
PROBLEM_CODE.update({
    "unknown_table": ("无法识别的表", "unrecognised table"), "missing_table": ("缺少表", "missing table"),
    "duplicate_table": ("重复的表", "table given twice"), "empty_table": ("空表", "empty table"),
    "no_header": ("没有表头", "no header row"), "unknown_district": ("未知区划代码", "unknown district code"),
    "bad_district": ("区划代码格式错误", "malformed district code"), "district_abroad": ("境外企业填了区县", "district given abroad"),
    "bad_country": ("国家代码错误", "bad country code"), "bad_credit_code": ("统一社会信用代码无效", "invalid credit code"),
    "bad_number": ("不是数字", "not a number"), "negative_value": ("负数", "negative value"),
    "share_out_of_range": ("占比超出 0–1", "share outside 0–1"), "share_over_100": ("占比合计超过100%", "shares above 100%"),
    "unknown_chain": ("未知产业链", "unknown chain"), "unknown_link": ("未知环节", "unknown chain link"),
    "unknown_role": ("未知角色", "unknown role"), "unknown_enterprise": ("未知企业", "unknown enterprise"),
    "supplier_not_member": ("供应方不在该环节", "supplier not on the link"), "self_loop": ("自己供应自己", "self-supply"),
    "duplicate_enterprise": ("重复企业", "duplicate enterprise"), "duplicate_member": ("重复的链上企业", "duplicate member"),
    "duplicate_relation": ("重复的供应关系", "duplicate relation"), "too_many_files": ("文件过多", "too many files"),
    "no_chains": ("本规划未列产业链", "no chain maps"), "import_error": ("导入失败", "import failed"),
})


# --- issue 12: CLI and exports (zhizao chain …, the chain workbook and GraphML) ---------------------
# Column headers of the chain tables (terminal, XLSX); JSON/CSV keep the codes.
CHAIN_HEAD: dict[str, Pair] = {
    "chain": ("产业链", "Chain"), "chain_name": ("产业链", "Chain"), "link": ("环节", "Link"),
    "link_name": ("环节", "Link"), "name": ("名称", "Name"), "name_en": ("英文名称", "English name"),
    "cluster": ("所属集群", "Cluster"), "stage": ("环节位置", "Stage"), "stage_order": ("位置序号", "Stage order"),
    "links": ("环节", "Links"), "missing": ("缺失", "Missing"), "weak": ("薄弱", "Weak"),
    "local_share": ("本地配套%", "Local %"), "region_share": ("含区域配套%", "With region %"),
    "domestic_share": ("国内其他地区（%）", "Rest of China (%)"), "abroad_share": ("境外（%）", "Abroad (%)"),
    "unrecorded_share": ("未记录（%）", "Unrecorded (%)"), "high_risk_links": ("高风险", "High risk"),
    "enterprises": ("企业数", "Enterprises"), "leaders": ("链主企业", "Leaders"),
    "n_members": ("企业数", "Members"), "n_local": ("本地企业", "Local"), "n_region": ("区域企业", "Regional"),
    "hhi": ("集中度HHI", "HHI"), "status": ("状态", "Status"), "grade": ("风险等级", "Risk"),
    "score": ("风险分", "Score"), "reasons": ("原因", "Reasons"), "reasons_zh": ("原因", "Reasons (zh)"),
    "reasons_en": ("原因（英文）", "Reasons"), "supplier_id": ("供应商代码", "Supplier ID"),
    "supplier": ("供应商", "Supplier"), "supplier_name": ("供应商", "Supplier"), "buyer_id": ("采购商代码", "Buyer ID"),
    "buyer": ("采购商", "Buyer"), "buyer_name": ("采购商", "Buyer"), "share": ("占需求（%）", "Share of need (%)"),
    "enterprise_id": ("企业代码", "Enterprise ID"), "enterprise": ("企业", "Enterprise"),
    "district": ("所在地", "Location"), "location": ("区位", "Where"), "country": ("国家", "Country"),
    "output": ("产值（万元）", "Output (10k yuan)"), "capacity": ("产能（万元）", "Capacity (10k yuan)"),
    "role": ("角色", "Role"), "rank": ("排名", "Rank"), "reason": ("理由", "Reason"), "why": ("理由", "Why"),
    "candidate_id": ("备份企业代码", "Backup ID"), "candidate": ("备份企业", "Backup"),
    "candidate_name": ("备份企业", "Backup"), "key_products": ("重点产品", "Key products"),
    "technologies": ("关键技术", "Technologies"), "section": ("规划章节", "Section"), "quote": ("规划原文", "Plan text"),
    "industry_class": ("行业分类", "Industry class"), "size": ("规模", "Size"),
    "scenario": ("情景", "Scenario"), "removed": ("移除企业", "Removed"), "links_lost": ("断链环节", "Links lost"),
    "links_weakened": ("削弱环节", "Links weakened"), "enterprises_affected": ("受影响企业", "Enterprises hit"),
    "links_stopped": ("停产环节", "Links stopped"), "local_links_lost": ("本地断链环节", "Local lost"),
    "output_at_risk": ("风险产值（万元）", "Output at risk (10k yuan)"), "chains_affected": ("受影响产业链", "Chains hit"),
    "loss_share": ("缺供比例（%）", "Supply lost (%)"),
    "loss": ("缺供%", "Loss %"), "need_lost_share": ("需求缺口%", "Need lost %"),
    "members_removed": ("停供企业", "Stopped"), "members": ("本地企业", "Local members"),
    "single_source": ("单一来源", "Single source"), "buyer_hhi": ("采购集中度", "Buyer HHI"),
    "critical": ("关键节点", "Critical"), "relation": ("供应商 → 采购商", "Supplier → buyer"),
    "origin": ("数据", "Data"), "check": ("检查项", "Check"),
    "severity_label": ("级别", "Severity"), "message": ("说明", "Message"), "indicator": ("产业链.环节", "Chain.link"),
}
CHAIN_STAGE_WORD: dict[str, Pair] = {
    "materials": ("上游材料", "materials"), "parts": ("零部件", "parts"), "systems": ("系统与总成", "systems"),
    "final": ("整机与终端", "final products"), "services": ("应用与服务", "services"),
}
CHAIN_STATUS_WORD: dict[str, Pair] = {"missing": ("缺失", "missing"), "weak": ("薄弱", "weak"),
                                      "covered": ("有配套", "covered"), "lost": ("断链", "lost"),
                                      "weakened": ("受损", "weakened"), "stopped": ("停产", "stopped"),
                                      "local_lost": ("本地断链", "local lost")}
CHAIN_ROLE_WORD: dict[str, Pair] = {"leader": ("链主", "leader"), "core": ("核心配套", "core supplier"),
                                    "supplier": ("配套", "supplier")}
CHAIN_PLACE_WORD: dict[str, Pair] = {"local": ("本地", "local"), "region": ("区域", "region"),
                                     "domestic": ("国内其他", "rest of China"), "abroad": ("境外", "abroad")}
CHAIN_GRADE_WORD: dict[str, Pair] = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}
# What the chain commands say (terminal, workbook first line).
CHAIN_WORDS: dict[str, Pair] = {
    "no_chains": ("本规划未列产业链图谱", "this plan has no chain maps"),
    "synthetic": ("合成数据（演示用）", "SYNTHETIC data (demo)"),
    "source": ("数据来源", "Data source"), "as_of": ("数据截至", "as of"),
    "no_problems": ("没有发现问题", "no problems found"),
    "lint_title": ("产业链图谱检查", "chain map lint"),
    "chains_title": ("产业链", "Chains"), "gaps_title": ("招商清单（缺失与薄弱环节）", "What to attract (missing and weak links)"),
    "risk_links": ("环节风险", "Link risk"), "risk_relations": ("供应关系风险", "Supply-relation risk"),
    "risk_enterprises": ("重点企业风险", "Key-enterprise risk"), "whatif_title": ("断供情景比较", "Disruption scenarios"),
    "whatif_links": ("受影响环节", "Links hit"), "whatif_enterprises": ("受影响企业（风险产值最大者）",
                                                                      "Enterprises hit (largest output at risk)"),
    "imported": ("已导入", "imported"), "written": ("已写入", "written"),
    "refused": ("导入被拒绝：发现 {n} 个问题，数据库未改变", "import refused: {n} problem(s), nothing was written"),
    "sheet_summary": ("链条概况", "Chains"), "sheet_links": ("环节", "Links"),
    "sheet_relations": ("供应关系风险", "Supply risk"), "sheet_enterprises": ("重点企业风险", "Enterprise risk"),
    "sheet_backups": ("备份企业", "Backups"), "sheet_gaps": ("招商清单", "To attract"),
    "none_local": ("无本地企业", "no local enterprise"), "more": ("等{n}家", "and {n} more"),
    "none": ("无", "none"), "legend": ("风险：高 / 中 / 低；本地：本地企业数/全部企业数",
                                       "risk: high / medium / low; local: local members / all members"),
}
TABLES.update({"chain_head": CHAIN_HEAD, "cli_chain_stage": CHAIN_STAGE_WORD, "cli_chain_status": CHAIN_STATUS_WORD,
               "cli_chain_role": CHAIN_ROLE_WORD, "cli_chain_place": CHAIN_PLACE_WORD, "cli_chain_grade": CHAIN_GRADE_WORD,
               "chain_words": CHAIN_WORDS})


# issue 12: CLI polish (zhizao chain …, second wave: one-line banner, scenario names, 亿元, import progress)
CHAIN_WORDS.update({
    "synthetic_line": ("合成数据（演示用）：{source}", "SYNTHETIC data (demo): {source}"),
    "cols_dropped": ("终端较窄，略去：{cols}（--format csv 输出全部列）",
                     "narrow terminal: {cols} left out (--format csv gives every column)"),
    "data_note": ("数据说明：{note}", "About the data: {note}"),
    "batch": ("批次 {batch}", "batch {batch}"),
    "imported_line": ("已导入：企业 {enterprises} 家，环节企业 {members} 条，供应关系 {supply} 条（批次 {batch}）",
                      "imported: {enterprises} enterprises, {members} link members, {supply} supply relations "
                      "(batch {batch})"),
    "stage_read": ("读取文件…", "reading the files…"), "stage_validate": ("逐行校验 {rows} 行…", "checking {rows} rows…"),
    "stage_write": ("写入数据库 {rows} 行…", "writing {rows} rows to the store…"),
    "reasons_cut": ("原因只列前两条（…表示还有）；--format csv 或 json 列出全部",
                    "the first two reasons are shown (… means more); --format csv or json lists them all"),
    "limited": ("共 {n} 行，显示前 {k} 行；--limit 0 显示全部，--format csv 输出全部列",
                "{n} rows, the first {k} shown; --limit 0 shows all, --format csv gives every column"),
    "abroad": ("境外", "abroad"), "abroad_country": ("境外（{code}）", "abroad ({code})"),
    "province_code": ("省级代码 {code}", "province code {code}"),
    "scenario_more": ("等{total}项", "and {more} more"),
    "section": ("规划{section}", "plan section {section}"),
})
CHAIN_HEAD.update({
    "output_at_risk_yi": ("风险产值（亿元）", "Output at risk (100m yuan)"),
    "sheet": ("工作表", "sheet"),
})
CHAIN_HEAD.update({  # the workbook's other columns (risk inputs, backups), so no header is a code
    "leader_names": ("链主企业名称", "Leader names"), "n_buyers": ("采购商数", "Buyers"),
    "n_relations": ("供应关系数", "Supply relations"), "local_capacity_share": ("本地产能占比（%）", "Local capacity (%)"),
    "recorded_outside": ("外地供应占比（%）", "Supplied from outside (%)"), "articulation": ("割点", "Articulation point"),
    "betweenness": ("介数", "Betweenness"), "high_relations": ("高风险供应关系数", "High-risk relations"),
    "f_members": ("因子：本地企业", "Factor: local members"), "f_outside": ("因子：外地供应", "Factor: outside supply"),
    "f_concentration": ("因子：集中度", "Factor: concentration"), "f_critical": ("因子：关键节点", "Factor: critical"),
    "f_relations": ("因子：高风险关系", "Factor: high-risk relations"), "f_source": ("因子：单一来源", "Factor: single source"),
    "f_location": ("因子：供应商所在地", "Factor: supplier's place"), "f_share": ("因子：需求占比", "Factor: share of need"),
    "f_alternatives": ("因子：替代企业", "Factor: alternatives"), "f_exposure": ("因子：投入风险", "Factor: input risk"),
    "supplier_location": ("供应商区位", "Supplier's place"), "n_suppliers": ("供应商数", "Suppliers"),
    "dominant": ("主要供应商", "Dominant supplier"), "alternatives": ("可替代企业数", "Alternatives"),
    "local_alternatives": ("本地可替代企业数", "Local alternatives"), "inputs": ("投入关系数", "Inputs"),
    "max_input_score": ("投入最高风险分", "Top input score"), "outside_input_share": ("外地投入占比（%）", "Inputs from outside (%)"),
    "sole_supplier_of": ("独家供应采购环节数", "Sole supplier of"), "relation_score": ("供应关系风险分", "Relation score"),
    "candidate_location": ("备份企业区位", "Backup's place"), "candidate_role": ("备份企业角色", "Backup's role"),
    "candidate_capacity": ("备份企业产能（万元）", "Backup's capacity (10k yuan)"),
    "supplies_buyer": ("已向该采购商供货", "Supplies this buyer already"),
    "size_basis": ("规模口径", "Size basis"), "size": ("规模（万元）", "Size (10k yuan)"),
    "capacity_known": ("已知产能企业占比（%）", "Capacity known (% of members)"),
    "outside_basis": ("外地占比口径", "Outside share by"), "hhi_basis": ("集中度口径", "Concentration by"),
})
CHAIN_SIZE_BASIS: dict[str, Pair] = {"buyers": ("采购方产值", "the buyers' output"),
                                     "downstream": ("下游环节企业产值", "the downstream links' output"),
                                     "none": ("无", "none")}
TABLES.update({"cli_chain_size_basis": CHAIN_SIZE_BASIS})


# issue 12: CLI/store fixes (zhizao chain whatif at 80 columns, zhizao warnings with chain warnings)
CHAIN_HEAD.update({"local_links_lost": ("失去本地配套的环节", "Links losing all local supply"),
                   "links_stopped": ("停产环节", "Links stopped"),
                   # the analytics' measuring bases (risk.links), so the workbook has no code for a header
                   "capacity_known": ("已知产能的企业占比（%）", "Members with known capacity (%)"),
                   "outside_basis": ("外地占比口径", "Outside share measured by"),
                   "hhi_basis": ("集中度口径", "HHI measured by"),
                   "has_data": ("有企业数据", "Has enterprise data"),
                   "measure": ("项目", "Measure")})
for _code, _pair in {"local_lost": ("本地配套断链", "local supply lost"), "stopped": ("停产", "stopped"),
                     "no_data": ("无数据", "no data")}.items():
    CHAIN_STATUS_WORD.setdefault(_code, _pair)  # the analytics' what-if statuses, if not named already
CHAIN_WORDS.update({
    "more_links": ("另有 {n} 个受影响环节未列出（--limit 0 显示全部）", "{n} more links hit (--limit 0 shows all)"),
    "more_enterprises": ("另有 {n} 家受影响企业未列出（--limit 0 显示全部）",
                         "{n} more enterprises hit (--limit 0 shows all)"),
    "small_links": ("另有 {n} 个环节需求缺口低于 {pct}，未列出{hint}", "{n} more links lost less than {pct} of their need, "
                    "not shown{hint}"),
    "small_links_hint": ("（-s chain_whatif_min_loss=0 显示）", " (-s chain_whatif_min_loss=0 shows them)"),
    "more_scenarios": ("另有 {n} 个情景未列出（--limit 0 显示全部）", "{n} more scenarios (--limit 0 shows all)"),
})
CHAIN_WORDS.update({  # zhizao warnings: the chain warnings said apart from the monitoring ones
    "warn_title_monitoring": ("{n} 条监测预警", "{n} monitoring warnings"),
    "warn_title_monitoring_published": ("{n} 条监测预警（公布数）", "{n} monitoring warnings (published)"),
    "warn_title_chain": ("{n} 条产业链预警（{origin}截至 {period}）", "{n} chain warnings ({origin}as of {period})"),
    "warn_origin_synthetic": ("合成数据，", "SYNTHETIC data, "),
    "warn_title_sep": ("；", "; "),
    "warn_title_no_monitoring": ("无监测数据", "no monitoring data"),
    "warn_no_monitoring": ("没有监测数据，只列出产业链预警。{reason}",
                           "No monitoring data, so only the chain warnings are listed. {reason}"),
})
CHAIN_BASIS_WORD: dict[str, Pair] = {"supply": ("供应关系", "supply relations"), "capacity": ("产能", "capacity"),
                                     "members": ("企业数", "member counts")}
TABLES.update({"cli_chain_basis": CHAIN_BASIS_WORD})


# issue 12: CLI, import and store fixes from the second review (what-if downstream vs total, 削弱 as the web)
CHAIN_HEAD.update({
    "enterprises_affected": ("受影响的下游企业", "Downstream enterprises hit"),
    "output_at_risk_downstream": ("下游受影响产值（万元）", "Downstream output at risk (10k yuan)"),
    "output_removed": ("停供企业自身产值（万元）", "Removed enterprises' own output (10k yuan)"),
    "output_at_risk_total": ("受影响产值合计（万元，含停供企业）", "Output at risk in all (10k yuan, removed included)"),
    "local_removed": ("停供的本地企业", "Local members removed"),
    "output_unknown": ("产值未知的受影响企业", "Enterprises hit with unknown output"),
    "output_at_risk_downstream_yi": ("下游受影响产值（亿元）", "Downstream output at risk (100m yuan)"),
    "output_at_risk_total_yi": ("合计（含停供企业，亿元）", "In all, removed included (100m yuan)"),
    "links_weakened": ("削弱环节", "Links weakened"),
    "members_removed": ("停供企业", "Members removed"),
})
CHAIN_STATUS_WORD["weakened"] = ("削弱", "weakened")  # the web's word (labels.UI chain_whatif_weakened)
WHATIF_STATUS["weakened"] = ("削弱", "weakened")
CHAIN_WORDS.update({
    "more_enterprises": ("另有 {n} 家受影响的下游企业未列出（--limit 0 显示全部）",
                         "{n} more downstream enterprises hit (--limit 0 shows all)"),
    "whatif_enterprises": ("受影响的下游企业（风险产值最大者）", "Downstream enterprises hit (largest output at risk first)"),
    "sheet_whatif_enterprises": ("受影响的下游企业", "Downstream enterprises hit"),  # ≤ 31 characters: a sheet title
})
CHAIN_HEAD.update({"not_found": ("数据中未找到", "Not in the data"), "scenario": ("情景", "Scenario")})


# issue 13: analytics-2 (专精特新 screening, enterprise counts, green targets, enterprise warnings;
# zhizao/analytics/enterprises/srdi.py, counts.py, green.py, warnings.py; docs/enterprises.md)
ENTERPRISE_TAG_NAME: dict[str, Pair] = {
    "chain_leader": ("链主企业", "chain leader"), "srdi_sme": ("专精特新中小企业", "specialised SME (专精特新)"),
    "little_giant": ("专精特新“小巨人”企业", "little giant (小巨人)"),
    "single_champion": ("制造业单项冠军企业", "single champion (单项冠军)"),
    "high_tech": ("高新技术企业", "high-tech enterprise"), "tech_sme": ("科技型企业", "technology-based enterprise"),
    "innovative_sme": ("创新型中小企业", "innovative SME"), "above_scale": ("规模以上工业企业", "above-scale enterprise"),
}
COUNT_MEASURE: dict[str, Pair] = {"stock": ("年末存量", "stock at year end"), "new": ("累计新增", "cumulative new")}
SRDI_ITEM: dict[str, Pair] = {
    "main_share": ("主营业务收入占营业收入比重", "main business share of revenue"),
    "revenue_growth": ("近2年主营业务收入平均增长率", "2-year average growth of main business revenue"),
    "niche_years": ("从事细分市场年限", "years in the niche market"),
    "product_field": ("主导产品所属领域", "field of the lead product"),
    "digital_level": ("数字化水平", "digitalisation level"),
    "quality": ("质量管理水平", "quality management"),
    "net_margin": ("上年度净利润率", "net profit margin"),
    "debt_ratio": ("上年度资产负债率", "debt-to-asset ratio"),
    "local": ("地方特色指标", "local (特色化) indicators"),
    "ip": ("与主导产品相关的有效知识产权", "intellectual property of the lead product"),
    "rd_expense": ("上年度研发费用投入", "R&D spending"),
    "rd_staff": ("上年度研发人员占比", "R&D staff share"),
    "rd_institution": ("研发机构级别", "R&D institution level"),
}
SRDI_GROUP: dict[str, Pair] = {"specialised": ("专业化", "specialisation"), "refined": ("精细化", "refinement"),
                               "distinctive": ("特色化", "distinctiveness"), "innovation": ("创新能力", "innovation")}
SRDI_CHECK: dict[str, Pair] = {
    "check_niche": ("从事细分市场2年以上", "2+ years in a niche market"),
    "check_rd": ("研发费用不低于100万元且占营业收入3%以上", "R&D ≥ 1 million yuan and ≥ 3 % of revenue"),
    "check_revenue": ("营业收入不低于1000万元，或近2年新增股权融资不低于2000万元",
                      "revenue ≥ 10 million yuan, or new equity ≥ 20 million yuan in 2 years"),
    "check_score": ("评分达到合格线或符合直通条件", "score at the pass mark, or a direct pass"),
}
GREEN_MEASURE: dict[str, Pair] = {"energy": ("单位工业增加值能耗", "energy per unit of industrial value added"),
                                  "water": ("单位工业增加值用水量", "water per unit of industrial value added")}
GREEN_LEVEL: dict[str, Pair] = {"1": ("一级预警（红色）", "level 1 (red)"), "2": ("二级预警（黄色）", "level 2 (yellow)"),
                                "3": ("三级（绿色）", "level 3 (green)")}
ENTERPRISE_RULE: dict[str, Pair] = {
    "green_level1": ("能耗（水耗）强度一级预警", "Energy (water) intensity level-1 warning"),
    "green_level2": ("能耗（水耗）强度二级预警", "Energy (water) intensity level-2 warning"),
    "park_below_target": ("园区未达用地控制指标", "Park below its land-use targets"),
    "enterprise_backward": ("落后产能候选企业", "Backward-capacity candidates"),
}
ENTERPRISE_WORDS: dict[str, Pair] = {
    "no_registry_counts": ("本规划未列按企业名录计数的指标", "this plan has no enterprise-count indicators"),
    "no_green_concept": ("本规划未列单位工业增加值能耗（水耗）指标", "this plan has no energy or water intensity indicator"),
    "no_green_data": ("没有能耗水耗数据（能耗水耗表为空）", "no energy and water data (the green table is empty)"),
    "no_whole_area": ("能耗水耗数据中没有全市（全域）数据", "the energy and water data have no whole-area rows"),
    "synthetic_suffix": ("（合成数据）", " (SYNTHETIC data)"),
}
# backward_candidates' criteria as the district warning counts them
ENTERPRISE_BACKWARD_WORD: dict[str, Pair] = {"energy": ("能耗", "energy"), "environment": ("环保", "environment"),
                                             "quality": ("质量", "quality"), "safety": ("安全", "safety"),
                                             "technology": ("技术", "technology")}
SUBJECT_TYPE.update({"park": ("园区", "Park")})
TABLES.update({"enterprise_tag_name": ENTERPRISE_TAG_NAME, "count_measure": COUNT_MEASURE, "srdi_item": SRDI_ITEM,
               "srdi_group": SRDI_GROUP, "srdi_check": SRDI_CHECK, "green_measure": GREEN_MEASURE,
               "green_level": GREEN_LEVEL, "enterprise_rule": ENTERPRISE_RULE})
# the 专精特新 inputs' category codes (zhizao.ingest.enterprise_frames PRODUCT_FIELDS, IP_CLASSES, RD_INSTITUTIONS)
SRDI_LEVEL_WORD: dict[str, Pair] = {
    "key": ("补短板/锻长板/填空白领域", "a gap-filling or strength field"),
    "foundation": ("工业“六基”/老字号/配套龙头", "industrial foundations / time-honoured brand / key supplier"),
    "1_high_value": ("Ⅰ类高价值知识产权", "high-value class I IP"), "1_own": ("自主研发Ⅰ类知识产权", "own class I IP"),
    "1": ("Ⅰ类知识产权", "class I IP"), "2": ("Ⅱ类知识产权", "class II IP"),
    "national": ("国家级", "national"), "provincial": ("省级", "provincial"), "municipal": ("市级", "municipal"),
    "below": ("市级以下", "below municipal"),
}
# issue 13: exports (亩均评价结果表, 差别电价/水价名单 and the blank import template; zhizao/outputs/enterprise_exports.py)
# A column's name without its unit (the workbooks put the unit in the header row below, or in brackets).
ENT_EXPORT_HEAD: dict[str, Pair] = {
    "seq": ("序号", "No."), "name": ("企业名称", "Enterprise"), "enterprise_id": ("统一社会信用代码", "Credit code"),
    "district": ("所在区县", "District"), "park": ("园区", "Park"), "industry_class": ("行业", "Industry"),
    "size": ("企业规模", "Size"), "established": ("成立日期", "Established"),
    "land_area": ("用地面积", "Land area"), "tax_per_mu": ("亩均税收", "Tax per mu"),
    "va_per_mu": ("亩均增加值", "Value added per mu"), "va_per_energy": ("单位能耗增加值", "Value added per unit of energy"),
    "va_per_emission": ("单位排放增加值", "Value added per unit of emissions"),
    "labour_productivity": ("全员劳动生产率", "Labour productivity"),
    "rd_intensity": ("R&D经费占营业收入比重", "R&D spending / revenue"), "tax_per_kwh": ("单位电耗税收", "Tax per kWh"),
    "score": ("综合得分", "Score"), "rank": ("组内排名", "Rank in group"), "klass": ("评价类别", "Class"),
    "remarks": ("说明", "Remarks"), "surcharge": ("加价标准", "Surcharge"), "electricity": ("年用电量", "Electricity use"),
    "extra_cost": ("预计加价金额", "Expected extra cost"), "group": ("评价范围", "Group"), "n": ("企业数", "Enterprises"),
    "share": ("占比", "Share"),
    # the import template's columns (zhizao/ingest/enterprise_frames.py), registry first
    "tag": ("企业标签", "tag"), "level": ("级别", "level"), "acquired": ("认定日期", "acquired"), "lost": ("失效日期", "lost"),
    "year": ("年份", "year"), "revenue": ("营业收入", "revenue"), "main_revenue": ("主营业务收入", "main revenue"),
    "value_added": ("工业增加值", "value added"), "tax": ("税收", "tax"), "energy": ("综合能耗", "energy"),
    "water": ("用水量", "water"), "emissions": ("主要污染物排放量", "emissions"), "rd_expense": ("研发经费支出", "R&D expense"),
    "employees": ("年平均职工人数", "employees"), "net_profit": ("净利润", "net profit"), "assets": ("资产总额", "assets"),
    "liabilities": ("负债总额", "liabilities"), "investment": ("固定资产投资", "investment"),
    "env_violations": ("环保违法次数", "environmental violations"),
    "quality_failures": ("质量抽检不合格次数", "quality failures"),
    "safety_violations": ("安全生产违法次数", "safety violations"),
    "obsolete_equipment": ("使用淘汰类落后设备", "obsolete equipment"),
    "niche_years": ("从事细分市场年限", "years in the niche"), "product_field": ("主导产品领域", "product field"),
    "digital_level": ("数字化水平等级", "digital level"), "quality_items": ("质量管理项数", "quality items"),
    "ip_class": ("最高知识产权类别", "best IP class"), "rd_staff_share": ("研发人员占比", "R&D staff share"),
    "rd_institution": ("研发机构级别", "R&D institution"), "equity_financing": ("近两年股权融资", "equity financing"),
    "local_points": ("特色化指标得分", "local points"), "direct_pass": ("直接认定条件", "direct pass"),
    "park_id": ("园区编号", "park id"), "park_name": ("园区名称", "park name"), "tier": ("园区层级", "tier"),
    "districts": ("所在区县代码", "district codes"), "area": ("面积", "area"),
    "leading_industries": ("主导产业代码", "leading industries"),
    "target_investment_per_mu": ("亩均投资强度目标", "target investment per mu"),
    "target_output_per_mu": ("亩均产出目标", "target output per mu"),
    "target_tax_per_mu": ("亩均税收目标", "target tax per mu"),
    "green_area": ("地区代码", "area"), "green_energy": ("能源消费量", "energy"), "green_water": ("用水量", "water"),
    "green_value_added": ("地区工业增加值", "value added"),
    "va_real_growth": ("工业增加值可比增速", "real growth of value added"),
    "registry_district": ("所在区县代码", "district"), "registry_park": ("所在园区编号", "park"),
    "registry_industry": ("行业代码（GB/T 4754-2017）", "industry_class"),
}
# Units as the workbooks print them (the Chinese reader sees the Chinese unit).
ENT_EXPORT_UNIT: dict[str, Pair] = {
    "亩": ("亩", "mu"), "万元": ("万元", "10k yuan"), "亿元": ("亿元", "100m yuan"), "万元/亩": ("万元/亩", "10k yuan/mu"),
    "万元/吨标准煤": ("万元/吨标准煤", "10k yuan/tce"), "万元/吨": ("万元/吨", "10k yuan/t"),
    "万元/人": ("万元/人", "10k yuan/person"), "%": ("%", "%"), "元/千瓦时": ("元/千瓦时", "yuan/kWh"),
    "分": ("分", "points"), "万千瓦时": ("万千瓦时", "10k kWh"), "立方米": ("立方米", "m³"),
    "万立方米": ("万立方米", "10k m³"), "吨标准煤": ("吨标准煤", "tce"), "万吨标准煤": ("万吨标准煤", "10k tce"),
    "吨": ("吨", "t"), "人": ("人", "persons"), "次": ("次", "times"), "年": ("年", "years"), "0/1": ("0/1", "0/1"),
    "级": ("级", "level"), "项": ("项", "items"), "家": ("家", "enterprises"),
    "亿元，当年价": ("亿元，当年价", "100m yuan, current prices"),
}
ENT_EXPORT_WORDS: dict[str, Pair] = {
    "muju_title": ("{year}年度{area}工业企业亩均效益综合评价结果",
                   "{area}: per-mu efficiency evaluation of industrial enterprises, {year}"),
    "price_title": ("{year}年度{area}差别电价（水价）执行企业名单",
                    "{area}: enterprises under differentiated electricity and water prices, {year}"),
    "unit_row": ("填报单位（盖章）：　　　　　　　　数据年度：{year}年　　范围：{scope}　　单位：见表头",
                 "Reporting office (seal):          Data year: {year}    Scope: {scope}    Units: see the header"),
    "price_unit_row": ("填报单位（盖章）：　　　　　　　　数据年度：{year}年　　单位：万千瓦时、万元",
                       "Reporting office (seal):          Data year: {year}    Units: 10k kWh, 10k yuan"),
    "scope_above": ("规模以上工业企业（年营业收入≥{min}万元）", "above-scale enterprises (revenue ≥ {min} 10k yuan)"),
    "scope_below": ("规模以下工业企业（年营业收入<{min}万元）", "below-scale enterprises (revenue < {min} 10k yuan)"),
    "sheet_above": ("规上企业", "Above scale"), "sheet_below": ("规下企业", "Below scale"),
    "sheet_classes": ("分类统计", "Classes"), "sheet_prices": ("差别电价水价名单", "Price list"),
    "group_above": ("规上", "above scale"), "group_below": ("规下", "below scale"),
    "not_evaluated": ("未评价", "not evaluated"), "imputed": ("按平均分计：{items}", "average points for: {items}"),
    "none_evaluated": ("本年度没有可评价的企业（需要用地面积和年度数据）。",
                       "No enterprise could be evaluated this year (land area and yearly figures are needed)."),
    "no_prices": ("本年度没有 C 类、D 类企业，名单为空。", "No enterprise is in class C or D this year: the list is empty."),
    "note_head": ("说明：", "Notes: "),
    "note_formula": ("得分＝Σ（指标值÷基准值×权重），单项得分不超过权重的 {cap} 倍；缺少某项数据的企业该项按本组平均分计；没有用地面积的企业不评价。",
                     "Score = Σ (value ÷ benchmark × weight), each item at most {cap} × its weight; a missing item "
                     "gets the group's average points; enterprises without land area are not evaluated."),
    "note_formula_nocap": ("得分＝Σ（指标值÷基准值×权重），单项得分不设上限；缺少某项数据的企业该项按本组平均分计；没有用地面积的企业不评价。",
                           "Score = Σ (value ÷ benchmark × weight), items not capped; a missing item gets the group's "
                           "average points; enterprises without land area are not evaluated."),
    "note_weights": ("权重：{items}。", "Weights: {items}."),
    "note_benchmarks": ("基准值（本组评价企业平均值）：{items}。", "Benchmarks (the evaluated group's mean): {items}."),
    "note_classes": ("分类：按得分排名，A 类前 {a}%、B 类 {b}%、C 类 {c}%、D 类 {d}%（同分者取较高类别）。",
                     "Classes by score rank: A the top {a} %, B {b} %, C {c} %, D {d} % (ties take the better class)."),
    "note_source": ("数据来源：{source}", "Source: {source}"),
    "note_as_of": ("数据截至 {date}", "data as of {date}"),
    "synthetic": ("合成数据（演示用），不是真实企业，不得作为评价结果使用",
                  "SYNTHETIC data (demo): not real enterprises, not an evaluation result"),
    "surcharge_text": ("电价加价 {e} 元/千瓦时；水价加价 {w}%", "electricity +{e} yuan/kWh; water +{w} %"),
    "note_price": ("预计加价金额＝年用电量×电价加价标准（万千瓦时×元/千瓦时＝万元）；差别水价按水费的百分比加收，取决于各企业水价，未计入金额。"
                   "加价标准：C 类电价加价 {ec} 元/千瓦时、水价加价 {wc}%；D 类电价加价 {ed} 元/千瓦时、水价加价 {wd}%。",
                   "Expected extra cost = electricity use × the electricity surcharge (10k kWh × yuan/kWh = 10k yuan); "
                   "the water surcharge is a share of each enterprise's water bill and is not in the amount. "
                   "Surcharges: class C electricity +{ec} yuan/kWh, water +{wc} %; class D electricity +{ed} yuan/kWh, "
                   "water +{wd} %."),
    # the blank import template
    "sheet_registry": ("企业名录", "registry"), "sheet_tags": ("企业标签", "tags"), "sheet_annual": ("年度指标", "annual"),
    "sheet_srdi": ("专精特新", "srdi"), "sheet_parks": ("园区", "parks"), "sheet_green": ("能耗水耗", "green"),
    "sheet_about": ("说明", "About"),
    "example_name": ("示例企业（导入前请删除本行）", "Example enterprise (delete this row before importing)"),
    "example_park": ("示例园区（导入前请删除本行）", "Example park (delete this row before importing)"),
    "about_title": ("企业数据导入模板（{plan}）", "Enterprise data import template ({plan})"),
    "about_head": ("项目", "Item"), "about_values": ("可填写的值", "Accepted values"),
    "about_general": ("填写方法", "How to fill in"),
    "about_rows": ("每个工作表第一行为表头，第二行是示例（统一社会信用代码为合成的有效代码），导入前请删除示例行。可只填写其中几个工作表；也可每表一个 CSV 文件（UTF-8 或 GBK）。",
                   "Row 1 of each sheet is the header and row 2 an example (its credit code is a synthetic valid "
                   "code): delete the example rows before importing. Any of the sheets may be filled in; or one "
                   "CSV file per sheet (UTF-8 or GBK)."),
    "about_dates": ("日期", "Dates"),
    "about_dates_values": ("2024-05-01、2024/5/1、2024年5月1日 或 Excel 日期；失效日期空白表示仍持有",
                           "2024-05-01, 2024/5/1 or an Excel date; a blank 'lost' means the tag is still held"),
    "about_units": ("单位", "Units"),
    "about_units_values": ("见各列表头括号内；金额万元，土地亩，企业能耗吨标准煤，地区能耗万吨标准煤，企业用水立方米，地区用水万立方米，用电万千瓦时",
                           "in each header's brackets: money 10k yuan, land mu, enterprise energy tce, area energy 10k "
                           "tce, enterprise water m³, area water 10k m³, electricity 10k kWh"),
    "about_districts": ("区县代码", "District codes"),
    "about_districts_any": ("本规划未列区县：填写以 {prefix} 开头的 6 位行政区划代码",
                            "This plan lists no districts: a 6-digit GB/T 2260 code starting with {prefix}"),
    "about_green_area": ("能耗水耗的地区代码", "Area codes of the green sheet"),
    "about_tiers": ("园区层级", "Park tiers"),
    "about_tiers_none": ("本规划未列园区体系：园区层级按原文填写", "This plan has no park system: write the tier as you name it"),
    "about_tags": ("企业标签", "Tags"), "about_levels": ("级别", "Levels"), "about_sizes": ("企业规模", "Sizes"),
    "about_product_fields": ("主导产品领域", "Product fields"), "about_ip_classes": ("最高知识产权类别", "Best IP class"),
    "about_rd_institutions": ("研发机构级别", "R&D institution levels"),
    "about_blank": ("空白", "blank"),
    "about_codes": ("列名", "Column names"),
    "about_codes_values": ("表头可用中文（如本模板）或英文列名（见英文模板）",
                           "headers in Chinese (the Chinese template) or the English column names (this template)"),
}
ENT_EXPORT_TAG: dict[str, Pair] = {
    "chain_leader": ("链主", "chain leader"), "srdi_sme": ("专精特新中小企业", "SRDI SME"),
    "little_giant": ("小巨人", "little giant"), "single_champion": ("单项冠军", "single champion"),
    "high_tech": ("高新技术企业", "high-tech enterprise"), "tech_sme": ("科技型企业", "tech-based SME"),
    "innovative_sme": ("创新型中小企业", "innovative SME"), "above_scale": ("规上", "above scale"),
}
ENT_EXPORT_LEVEL: dict[str, Pair] = {"national": ("国家级", "national"), "municipal": ("市级", "municipal")}
ENT_EXPORT_SIZE: dict[str, Pair] = {"large": ("大型", "large"), "medium": ("中型", "medium"), "small": ("小型", "small"),
                                    "micro": ("微型", "micro")}
ENT_EXPORT_PRODUCT_FIELD: dict[str, Pair] = {
    "key": ("补短板、锻长板、填空白领域（5 分）", "key fields: gaps and strengths (5 points)"),
    "foundation": ("工业“六基”、老字号、配套龙头（3 分）", "industrial foundations, time-honoured brands (3 points)")}
ENT_EXPORT_IP_CLASS: dict[str, Pair] = {
    "1_high_value": ("Ⅰ类高价值知识产权", "class I, high value"), "1_own": ("自主研发Ⅰ类知识产权", "class I, own research"),
    "1": ("Ⅰ类知识产权", "class I"), "2": ("Ⅱ类知识产权", "class II")}
ENT_EXPORT_RD_INSTITUTION: dict[str, Pair] = {
    "national": ("国家级", "national"), "provincial": ("省级", "provincial"), "municipal": ("市级", "municipal"),
    "below": ("市级以下", "below municipal")}
# issue 13: analytics-1 (亩均效益, parks, backward capacity: zhizao.analytics.enterprises muju/parks/backward)
MUJU_ITEM: dict[str, Pair] = {
    "tax_per_mu": ("亩均税收", "tax per mu"), "va_per_mu": ("亩均增加值", "value added per mu"),
    "va_per_energy": ("单位能耗增加值", "value added per unit of energy"),
    "va_per_emission": ("单位排放增加值", "value added per unit of emissions"),
    "labour_productivity": ("全员劳动生产率", "labour productivity"),
    "rd_intensity": ("R&D经费占营业收入比重", "R&D spending / revenue"), "tax_per_kwh": ("单位电耗税收", "tax per kWh"),
}
# the unit of each item as zhizao computes it (万元/万千瓦时 is 元/千瓦时)
MUJU_ITEM_UNIT: dict[str, Pair] = {
    "tax_per_mu": ("万元/亩", "10,000 yuan per mu"), "va_per_mu": ("万元/亩", "10,000 yuan per mu"),
    "va_per_energy": ("万元/吨标准煤", "10,000 yuan per tce"), "va_per_emission": ("万元/吨", "10,000 yuan per tonne"),
    "labour_productivity": ("万元/人", "10,000 yuan per person"), "rd_intensity": ("%", "%"),
    "tax_per_kwh": ("元/千瓦时", "yuan per kWh"),
}
MUJU_GROUP: dict[str, Pair] = {"above": ("规上", "above-scale"), "below": ("规下", "below-scale")}
MUJU_CLASS: dict[str, Pair] = {"A": ("A类", "class A"), "B": ("B类", "class B"), "C": ("C类", "class C"),
                               "D": ("D类", "class D"), "": ("未评价", "not evaluated")}
MUJU_CHANGE: dict[str, Pair] = {"up": ("上升", "up"), "down": ("下降", "down"), "same": ("不变", "same"),
                                "new": ("新参评", "newly evaluated"), "gone": ("本年未评价", "not evaluated this year")}
# why an enterprise with annual figures is not evaluated (klass "")
MUJU_NOT_EVALUATED: dict[str, Pair] = {
    "no_land": ("未评价：用地面积缺失或不为正，无法计算亩均指标",
                "not evaluated: land area missing or not positive, so the per-mu items cannot be computed"),
    "no_revenue": ("未评价：营业收入缺失，无法判定规上或规下",
                   "not evaluated: revenue missing, so above- or below-scale cannot be told"),
    "no_figures": ("未评价：本年无年度数据", "not evaluated: no figures for the year"),
}
PARK_TARGET: dict[str, Pair] = {"investment_per_mu": ("亩均投资", "investment per mu"),
                                "output_per_mu": ("亩均产出（营业收入）", "output (revenue) per mu"),
                                "tax_per_mu": ("亩均税收", "tax per mu")}
PARK_NO_SYSTEM: Pair = ("本规划未列产业园区体系", "this plan has no park system")
BACKWARD_CRITERION: dict[str, Pair] = {"energy": ("能耗", "energy"), "environment": ("环保", "environment"),
                                       "quality": ("质量", "quality"), "safety": ("安全", "safety"),
                                       "technology": ("技术（落后设备）", "technology (obsolete equipment)")}
TABLES.update({"muju_item": MUJU_ITEM, "muju_item_unit": MUJU_ITEM_UNIT, "muju_group": MUJU_GROUP,
               "muju_class": MUJU_CLASS, "muju_change": MUJU_CHANGE, "muju_not_evaluated": MUJU_NOT_EVALUATED,
               "park_target": PARK_TARGET, "backward_criterion": BACKWARD_CRITERION})
# issue 13: synth (zhizao/synth/enterprises.py: the words of the synthetic enterprise default)
UI.update({
    "ent_synthetic_basis": ("合成企业沿用运行监测与产业链的合成企业；研发强度、专精特新等数量按公布值或规划目标的数量级校准，"
                            "其余为假设（见 docs/synthetic-data.md）",
                            "the synthetic enterprises are those of the monitoring and chain data; R&D intensity and "
                            "the 专精特新 and other counts follow published figures or the plan's targets in order of "
                            "magnitude, the rest is assumed (docs/synthetic-data.md)"),
})
# issue 13: web (the enterprise, 亩均, 专精特新, park and green pages; zhizao/outputs/web/pages/enterprises.py)
UI.update({
    "ent_nav": ("企业园区", "Enterprises"),
    "ent_nav_registry": ("企业名录", "Enterprise registry"),
    "ent_nav_muju": ("亩均效益评价", "Per-mu evaluation (亩均)"),
    "ent_nav_srdi": ("专精特新", "Specialised SMEs (专精特新)"),
    "ent_nav_parks": ("园区", "Parks"),
    "ent_nav_green": ("能耗水耗", "Energy and water"),
    "ent_synthetic": ("合成数据（演示用，非真实企业）：企业、园区与能耗水耗数据由 zhizao 生成；请在“数据”页导入真实数据",
                      "SYNTHETIC data (demo, not real enterprises): the enterprise, park, energy and water data are "
                      "generated by zhizao; import real data on the Data page"),
    "ent_source": ("企业数据：{source}；数据年份：{years}；{when}", "Enterprise data: {source}; years: {years}; {when}"),
    "ent_others_count": ("另有 {n} 家企业不在您的查看范围（只计数）", "{n} more enterprises outside your view (counted only)"),
    "ent_none": ("无", "none"),
    "ent_all": ("全部", "All"),
    "ent_show": ("显示", "Show"),
    "ent_yes": ("是", "yes"),
    "ent_no": ("否", "no"),
    "ent_bad_year": ("年度须为数据中的年份之一：{years}；收到“{value}”", "year must be one of the data's years: {years}; got '{value}'"),
    "ent_bad_choice": ("{what}“{value}”不在可选范围内；可选：{known}", "{what} '{value}' is not one to choose; choose one of: {known}"),
    "ent_park_unknown": ("没有编号为“{id}”的园区；已有园区：{known}（见 {url}）", "there is no park '{id}'; the parks: {known} (see {url})"),
    "ent_park_none": ("没有编号为“{id}”的园区：本规划没有园区数据（见 {url}）", "there is no park '{id}': this plan has no park data (see {url})"),
    "ent_no_parks": ("本规划未列园区体系，也没有导入园区数据", "this plan has no park system and no park data were imported"),
    "ent_no_green": ("本规划未列单位增加值能耗、水耗约束性指标；下表只列数据中的强度变化",
                     "this plan has no energy or water intensity targets; the tables show the intensities in the data only"),
    "ent_registry": ("企业名录（含当前标签）", "Registry (with current tags)"),
    "ent_registry_intro": ("按区县、标签和园区筛选企业；点击企业名称查看其标签历史、年度指标和评价结果。",
                           "Filter the enterprises by district, tag and park; open one for its tag history, yearly "
                           "figures and evaluations."),
    "ent_tag_counts": ("各类企业数量（年末存量、新增、失去）", "Enterprises by tag (stock at year end, new, lost)"),
    "ent_tag_counts_help": ("按标签历史计算：年末持有该标签的企业为存量；当年首次获得为新增。",
                            "From the tag history: holders on 31 December are the stock; a first acquisition in the "
                            "year is new."),
    "ent_tag_history": ("标签历史", "Tag history"),
    "ent_annual": ("年度指标", "Yearly figures"),
    "ent_muju_intro": ("亩均效益综合评价：按亩均税收、亩均增加值、单位能耗与排放增加值、研发投入强度、全员劳动生产率等指标"
                       "与基准值之比加权计分，规上、规下企业分组排名并按比例分为 A、B、C、D 四类；C、D 类企业执行差别电价、水价。",
                       "The per-mu (亩均) evaluation: each item's ratio to its benchmark, weighted; enterprises above and "
                       "below scale are ranked apart and classed A–D by shares; classes C and D pay differentiated "
                       "electricity and water prices."),
    "ent_classes": ("分类结果", "Classes"),
    "ent_class_name": ("{k} 类", "Class {k}"),
    "ent_classes_help": ("各组中每类企业数量及占比（类别按得分排名与比例设置划分，同分者同类）。",
                         "Enterprises per class in each group and their share (by score rank and the share settings; ties "
                         "share the better class)."),
    "ent_summary_district": ("分区县汇总", "By district"),
    "ent_summary_park": ("分园区汇总", "By park"),
    "ent_summary_industry": ("分行业汇总（国民经济行业大类）", "By industry (GB/T 4754 division)"),
    "ent_by_district": ("区县", "District"),
    "ent_by_park": ("园区", "Park"),
    "ent_by_industry": ("行业", "Industry"),
    "ent_muju_results": ("亩均效益评价结果", "Evaluation results"),
    "ent_muju_help": ("得分为各指标得分之和；未参评的企业注明原因（如缺用地面积）；缺项指标按平均分计并注明。",
                      "The score is the sum of the items' points; an enterprise not evaluated says why (e.g. no land "
                      "area); an item without data gets the average points and is named."),
    "ent_prices": ("差别电价、水价名单", "Differentiated electricity and water prices"),
    "ent_prices_help": ("C、D 类企业按设置的加价标准执行差别电价、水价；增加成本按当年用电、用水量计算。",
                        "Classes C and D pay the surcharges of the settings; the extra cost is at the year's electricity "
                        "and water use."),
    "ent_changes": ("与上年相比的类别变化", "Class change from the year before"),
    "ent_backward": ("落后产能排查对象", "Backward-capacity candidates"),
    "ent_backward_help": ("按能耗、环保、质量、安全、技术五类综合标准排查，列出每家企业未达标的标准。",
                          "Screened by energy, environment, quality, safety and technology criteria; each enterprise with "
                          "the criteria it fails."),
    "ent_backward_none_one": ("不在落后产能排查名单中", "not a backward-capacity candidate"),
    "ent_benchmarks": ("评价基准与权重", "Benchmarks and weights"),
    "ent_srdi_intro": ("对照国家专精特新中小企业认定标准（基本条件和评分表）筛查中小企业：每家企业的得分、失分项和差距。",
                       "The SMEs screened against the national 专精特新 criteria (eligibility and the scoring table): "
                       "each one's points, the points missed and the gap."),
    "ent_srdi_screen": ("专精特新筛查", "专精特新 screening"),
    "ent_srdi_help": ("尚未认定为专精特新中小企业的中小企业；“差距”为距通过分数还差的分数。",
                      "SMEs not yet recognised; the gap is the points short of the pass score."),
    "ent_srdi_closest": ("各区县最接近认定的企业", "Closest to qualifying, per district"),
    "ent_srdi_closest_help": ("差距在设置范围内的未达标企业，按区县列出最接近者，供梯度培育参考。",
                              "Candidates within the setting's points of passing, the closest per district."),
    "ent_srdi_not_candidate": ("不在专精特新筛查范围内（已认定或非中小企业）", "not screened (already recognised, or not an SME)"),
    "ent_parks_intro": ("园区的用地控制性指标（投资强度、亩均产出、亩均税收）与目标比较，以及园区亩均评价结果和排名。",
                        "Each park's land-use control indicators (investment intensity, output and tax per mu) against "
                        "their targets, with its per-mu results and rank."),
    "ent_park_system": ("园区体系", "Park system"),
    "ent_parks": ("园区排名与用地控制性指标", "Park ranking and land-use indicators"),
    "ent_parks_help": ("未设目标的指标不判断是否达标；点击园区名称查看园区企业。",
                       "An indicator without a target is not judged; open a park for its enterprises."),
    "ent_park_figures": ("园区指标", "The park's figures"),
    "ent_park_enterprises": ("园区企业", "The park's enterprises"),
    "ent_green_intro": ("单位增加值能耗、水耗逐年及累计下降与规划约束性目标比较：一级（红）为强度同比上升超过设置值，"
                        "二级（黄）为累计进度落后于时序要求超过容差，三级（绿）为正常。",
                        "Energy and water per unit of value added, yearly and cumulatively, against the plan's binding "
                        "targets: level 1 (red) an intensity rising by more than the setting, level 2 (yellow) behind "
                        "the schedule by more than the tolerance, level 3 (green) on course."),
    "ent_green_status": ("约束性目标完成情况（全市最新年度）", "Binding targets (whole area, latest year)"),
    "ent_green_help": ("累计降幅自基期年起算；时序要求按目标的年均进度计算。", "Cumulative change since the base year; the schedule is the target's even yearly pace."),
    "ent_green_intensity": ("分区县逐年强度", "Intensity by area and year"),
    "ent_intensity_energy": ("单位增加值能耗", "Energy per unit of value added"),
    "ent_intensity_water": ("单位增加值水耗", "Water per unit of value added"),
    "ent_key_users": ("重点用能企业", "Key energy users"),
    "ent_key_users_help": ("年综合能耗达到设置值的企业；增加值为当年价。", "Enterprises using at least the setting's energy; value added at current prices."),
    "ent_target": ("目标", "target"),
    "ent_met": ("达标", "met"),
    "ent_gap": ("差距", "Gap"),
    # columns
    "ent_col_enterprise_id": ("统一社会信用代码", "Credit code"),
    "ent_col_name": ("企业名称", "Enterprise"),
    "ent_col_district": ("所在区县", "District"),
    "ent_col_districts": ("所在区县", "Districts"),
    "ent_col_park": ("园区", "Park"),
    "ent_col_park_id": ("园区编号", "Park id"),
    "ent_col_park_name": ("园区名称", "Park"),
    "ent_col_tier": ("层级", "Tier"),
    "ent_col_leading_industries": ("主导产业（GB/T 4754）", "Leading industries (GB/T 4754)"),
    "ent_col_park_area": ("规划面积（亩）", "Area (mu)"),
    "ent_col_land_used": ("企业用地（亩）", "Land used (mu)"),
    "ent_col_industry_class": ("行业（GB/T 4754）", "Industry (GB/T 4754)"),
    "ent_col_size": ("规模", "Size"),
    "ent_col_established": ("成立日期", "Established"),
    "ent_col_tags": ("当前标签", "Current tags"),
    "ent_col_tag": ("标签", "Tag"),
    "ent_col_level": ("级别", "Level"),
    "ent_col_acquired": ("获得日期", "Acquired"),
    "ent_col_lost": ("失去日期", "Lost"),
    "ent_col_year": ("年度", "Year"),
    "ent_col_stock": ("年末存量", "Stock"),
    "ent_col_new": ("当年新增", "New"),
    "ent_col_lost_n": ("当年失去", "Lost"),
    "ent_col_group": ("组别", "Group"),
    "ent_col_land_area": ("用地面积（亩）", "Land (mu)"),
    "ent_col_tax_per_mu": ("亩均税收（万元/亩）", "Tax per mu (10k yuan)"),
    "ent_col_va_per_mu": ("亩均增加值（万元/亩）", "Value added per mu (10k yuan)"),
    "ent_col_va_per_energy": ("单位能耗增加值（万元/吨标准煤）", "Value added per tce (10k yuan)"),
    "ent_col_va_per_emission": ("单位排放增加值（万元/吨）", "Value added per tonne emitted (10k yuan)"),
    "ent_col_labour_productivity": ("全员劳动生产率（万元/人）", "Labour productivity (10k yuan per person)"),
    "ent_col_rd_intensity": ("研发经费占营业收入比重（%）", "R&D share of revenue (%)"),
    "ent_col_tax_per_kwh": ("单位电耗税收（万元/万千瓦时）", "Tax per 10k kWh (10k yuan)"),
    "ent_col_investment_per_mu": ("投资强度（万元/亩）", "Investment per mu (10k yuan)"),
    "ent_col_output_per_mu": ("亩均产出（万元/亩）", "Output per mu (10k yuan)"),
    "ent_col_score": ("得分", "Score"),
    "ent_col_mean_score": ("平均得分", "Mean score"),
    "ent_col_rank": ("排名", "Rank"),
    "ent_col_klass": ("类别", "Class"),
    "ent_col_imputed": ("按平均分计的指标", "Items at the average"),
    "ent_col_reasons": ("说明", "Reasons"),
    "ent_col_item": ("指标", "Item"),
    "ent_col_benchmark": ("基准值", "Benchmark"),
    "ent_col_weight": ("权重", "Weight"),
    "ent_col_cap": ("单项得分上限", "Cap"),
    "ent_col_n": ("企业数", "Enterprises"),
    "ent_col_share": ("占比（%）", "Share (%)"),
    "ent_col_n_A": ("A 类", "Class A"),
    "ent_col_n_B": ("B 类", "Class B"),
    "ent_col_n_C": ("C 类", "Class C"),
    "ent_col_n_D": ("D 类", "Class D"),
    "ent_col_share_ab": ("A、B 类占比（%）", "A and B share (%)"),
    "ent_col_electricity": ("用电量（万千瓦时）", "Electricity (10k kWh)"),
    "ent_col_surcharge_electricity": ("电价加价（元/千瓦时）", "Electricity surcharge (yuan/kWh)"),
    "ent_col_water": ("用水量（立方米）", "Water (m³)"),
    "ent_col_surcharge_water": ("水价加价（元/立方米）", "Water surcharge (yuan/m³)"),
    "ent_col_extra_cost": ("增加成本（万元）", "Extra cost (10k yuan)"),
    "ent_col_klass_before": ("上年类别", "Class before"),
    "ent_col_klass_now": ("本年类别", "Class now"),
    "ent_col_change": ("变化", "Change"),
    "ent_col_score_change": ("得分变化", "Score change"),
    "ent_col_criteria": ("未达标准", "Criteria failed"),
    "ent_col_n_failed": ("未达标准数", "Criteria failed (n)"),
    "ent_col_srdi_gap": ("距通过还差（分）", "Points short"),
    "ent_col_eligible": ("满足基本条件", "Eligible"),
    "ent_col_qualifies": ("可认定", "Qualifies"),
    "ent_col_missed_points": ("失分项", "Points missed"),
    "ent_col_revenue": ("营业收入（万元）", "Revenue (10k yuan)"),
    "ent_col_value_added": ("增加值（万元）", "Value added (10k yuan)"),
    "ent_col_value_added_current": ("增加值（万元，当年价）", "Value added (10k yuan, current prices)"),
    "ent_col_tax": ("税收（万元）", "Tax (10k yuan)"),
    "ent_col_energy": ("综合能耗（吨标准煤）", "Energy (tce)"),
    "ent_col_emissions": ("主要污染物排放（吨）", "Emissions (t)"),
    "ent_col_rd_expense": ("研发经费（万元）", "R&D (10k yuan)"),
    "ent_col_employees": ("从业人员（人）", "Employees"),
    "ent_col_indicator": ("指标", "Indicator"),
    "ent_col_measure": ("类别", "Measure"),
    "ent_col_area": ("地区", "Area"),
    "ent_col_intensity": ("强度", "Intensity"),
    "ent_col_ent_intensity": ("单位增加值能耗（吨标准煤/万元）", "Energy per value added (tce per 10k yuan)"),
    "ent_col_intensity_change": ("强度变化（%）", "Intensity change (%)"),
    "ent_col_share_of_change": ("占能耗增量比重（%）", "Share of the change in energy use (%)"),
    "ent_col_yoy_change": ("同比变化（%）", "Year on year (%)"),
    "ent_col_base_year": ("基期年", "Base year"),
    "ent_col_cumulative_change": ("累计变化（%）", "Cumulative change (%)"),
    "ent_col_required_to_date": ("时序要求（%）", "Schedule to date (%)"),
    "ent_col_gap_pp": ("差距（百分点）", "Gap (pp)"),
    "ent_col_green_level": ("预警等级", "Warning level"),
    "ent_col_binding": ("约束性", "Binding"),
    "ent_col_unit": ("单位", "Unit"),
    "ent_col_energy_change": ("能耗增量（吨标准煤）", "Change in energy (tce)"),
    "ent_col_check_niche": ("专注细分市场≥2年", "Niche ≥ 2 years"),
    "ent_col_check_rd": ("研发投入达标", "R&D requirement"),
    "ent_col_check_revenue": ("营收或融资达标", "Revenue or financing"),
    "ent_col_check_score": ("评分达标或直通", "Score or direct pass"),
    # coded values
    **{f"ent_tag_{k}": v for k, v in {
        "chain_leader": ("链主企业", "chain leader"), "srdi_sme": ("专精特新中小企业", "specialised SME (专精特新)"),
        "little_giant": ("专精特新“小巨人”", "little giant (小巨人)"), "single_champion": ("制造业单项冠军", "single champion"),
        "high_tech": ("高新技术企业", "high-tech enterprise"), "tech_sme": ("科技型企业", "tech-based enterprise"),
        "innovative_sme": ("创新型中小企业", "innovative SME"), "above_scale": ("规上企业", "above scale")}.items()},
    "ent_level_national": ("国家级", "national"),
    "ent_level_municipal": ("市级", "municipal"),
    "ent_size_large": ("大型", "large"), "ent_size_medium": ("中型", "medium"),
    "ent_size_small": ("小型", "small"), "ent_size_micro": ("微型", "micro"),
    "ent_group_above": ("规上企业", "above scale"), "ent_group_below": ("规下企业", "below scale"),
    "ent_change_up": ("上升", "up"), "ent_change_down": ("下降", "down"), "ent_change_same": ("不变", "same"),
    "ent_change_new": ("新参评", "new"), "ent_change_gone": ("未参评", "not evaluated"),
    "ent_measure_energy": ("能耗", "energy"), "ent_measure_water": ("水耗", "water"),
    "ent_green_level_1": ("一级（红）", "level 1 (red)"), "ent_green_level_2": ("二级（黄）", "level 2 (yellow)"),
    "ent_green_level_3": ("三级（绿）", "level 3 (green)"),
    **{f"ent_criterion_{k}": v for k, v in {
        "energy": ("能耗", "energy"), "environment": ("环保", "environment"), "quality": ("质量", "quality"),
        "safety": ("安全", "safety"), "technology": ("技术装备", "technology")}.items()},
    **{f"ent_item_{k}": v for k, v in {
        "tax_per_mu": ("亩均税收", "tax per mu"), "va_per_mu": ("亩均增加值", "value added per mu"),
        "va_per_energy": ("单位能耗增加值", "value added per tce"), "va_per_emission": ("单位排放增加值", "value added per emission"),
        "labour_productivity": ("全员劳动生产率", "labour productivity"), "rd_intensity": ("研发投入强度", "R&D intensity"),
        "tax_per_kwh": ("单位电耗税收", "tax per kWh")}.items()},
    # the data page's enterprise upload (pages/data.py)
    "ent_upload": ("企业、园区与能耗水耗数据", "Enterprise, park, energy and water data"),
    "ent_upload_help": ("一个 XLSX（工作表：企业名录、企业标签、年度指标、专精特新、园区、能耗水耗，有哪些传哪些）或每类一个 CSV；"
                        "与 zhizao enterprise import 相同的校验，全部通过才导入。城市级数据：只有市级用户可以上传。",
                        "One XLSX (sheets 企业名录, 企业标签, 年度指标, 专精特新, 园区, 能耗水耗 — those you have) or one CSV "
                        "per frame; the checks of zhizao enterprise import, all or nothing. City-level data: city roles only."),
    "ent_upload_button": ("上传企业数据", "Upload enterprise data"),
    "ent_upload_ok": ("已导入企业数据", "Enterprise data imported"),
    "ent_upload_rows": ("{name} {n} 行", "{name} {n} rows"),
    "ent_upload_refused": ("企业、园区与能耗数据属于市级数据：只有市级用户（管理员、分析员）可以上传；请联系市级用户导入",
                           "enterprise, park and energy data are city-level: only city roles (admin, analyst) may upload "
                           "them; ask a city user to import them"),
    "ent_frame_registry": ("企业名录", "registry"), "ent_frame_tags": ("企业标签", "tags"),
    "ent_frame_annual": ("年度指标", "annual"), "ent_frame_srdi": ("专精特新", "srdi"),
    "ent_frame_parks": ("园区", "parks"), "ent_frame_green": ("能耗水耗", "green"),
    # the review's fixes (i13-fixW): warnings without monitoring data, downloads, data years, score notes
    "ent_warnings_title": ("能耗水耗、园区与落后产能预警", "Energy, water, park and backward-capacity warnings"),
    "ent_warnings_note": ("{n} 条，数据：{source}（截至 {as_of}；不随报告期变化）",
                          "{n} warnings, from: {source} (as of {as_of}; not tied to the reporting period)"),
    "ent_synthetic_short": ("合成数据（演示用）", "SYNTHETIC data (demo)"),
    "ent_years_annual": ("年度指标 {years}", "yearly figures {years}"),
    "ent_years_green": ("能耗水耗 {years}", "energy and water {years}"),
    "ent_imported_on": ("导入于 {as_of}", "imported on {as_of}"),
    "ent_as_of_synthetic": ("截至 {as_of}", "as of {as_of}"),
    "ent_muju_items": ("{group}评价：{items}。", "{group}: scored on {items}."),
    "ent_muju_cap": ("每项得分以其权重的 {cap} 倍为上限（权重 30 的指标最多 {example} 分），总分因此可超过 100。",
                     "Each item's points are capped at {cap}× its weight (an item of weight 30 scores at most {example}), "
                     "so a score can exceed 100."),
    "ent_whole_area": ("全域（{code}）", "Whole area ({code})"),
    "ent_param_twice": ("参数 {name} 只能给一个值：请只选择一项后重试", "give the parameter {name} once: choose one value and try again"),
    "ent_no_annual_year": ("{year} 年没有企业年度指标：重点用能企业按有年度指标的年份列出", "no enterprise figures for {year}: the key energy users are listed for the years with yearly figures"),
    "ent_green_intensity_help": ("默认列出全域各年与各区县所选年度；其余各行折叠在下方，导出的 CSV/XLSX 含全部行。",
                                 "The whole area's years and each district in the chosen year first; the other rows are folded below, and the CSV/XLSX exports hold every row."),
    "ent_all_rows": ("展开全部行", "Show every row"),
    "ent_chart_note": ("粗线为全域；细灰线为各区县（悬停显示名称），红线为最新年度一级预警的区县。",
                       "The thick line is the whole area; thin grey lines are the districts (hover for the name), red ones those with a level-1 warning in the latest year."),
    "ent_workbooks": ("下载报表", "Download the office workbooks"),
    "ent_workbooks_help": ("按机关间交换的格式（标题行、单位行、来源说明）导出本年度结果；只含您有权查看的企业。",
                           "The year's results in the layout offices exchange (title, unit and source rows); only the "
                           "enterprises you may see."),
    "ent_workbook_results": ("亩均效益评价结果表", "Per-mu evaluation results (亩均评价结果表)"),
    "ent_workbook_prices": ("差别电价、水价名单", "Differentiated price list (差别电价名单)"),
    "ent_template": ("下载导入模板（XLSX）", "Download the import template (XLSX)"),
    "ent_template_help": ("六个工作表各含表头和一行示例，另附“说明”工作表列出可填的值。",
                          "Six sheets, each with its headers and one example row, and a sheet listing the accepted values."),
    "ent_more_in_export": ("另有 {n} 行未在网页列出：请下载上方的 CSV 或 XLSX 查看全部", "{n} more rows are not listed on the page: download the CSV or XLSX above for all of them"),
    "ent_unit_吨标准煤/万元": ("吨标准煤/万元", "tce per 10k yuan"),
    "ent_unit_立方米/万元": ("立方米/万元", "m³ per 10k yuan"),
})
# issue 13: store — the batch kind of an enterprise import (zhizao data batches, the /data page)
BATCH_KIND.update({"enterprise": ("企业数据", "enterprise data")})
# issue 13: cli — zhizao enterprise|park|green … (terminal, JSON/CSV keep the codes; the generic XLSX headers)
CLI_ENTERPRISE_HEAD: dict[str, Pair] = {
    "enterprise_id": ("统一社会信用代码", "Credit code"), "name": ("企业名称", "Enterprise"),
    "district": ("区县", "District"), "park": ("园区", "Park"), "park_name": ("园区", "Park"),
    "industry_class": ("行业代码", "Industry"), "size": ("规模", "Size"), "established": ("成立日期", "Established"),
    "tags": ("标签", "Tags"), "tag": ("标签", "Tag"), "level": ("级别", "Level"), "acquired": ("获得日期", "Acquired"),
    "lost": ("失去日期", "Lost"), "held": ("持有", "Held"), "year": ("年份", "Year"), "group": ("组别", "Group"),
    "land_area": ("用地（亩）", "Land (mu)"), "tax_per_mu": ("亩均税收（万元/亩）", "Tax per mu (10k yuan)"),
    "va_per_mu": ("亩均增加值（万元/亩）", "Value added per mu (10k yuan)"),
    "va_per_energy": ("单位能耗增加值（万元/吨标准煤）", "Value added per tce (10k yuan)"),
    "va_per_emission": ("单位排放增加值（万元/吨）", "Value added per tonne emitted (10k yuan)"),
    "labour_productivity": ("全员劳动生产率（万元/人）", "Labour productivity (10k yuan/person)"),
    "rd_intensity": ("研发经费占营业收入（%）", "R&D / revenue (%)"),
    "tax_per_kwh": ("单位电耗税收（万元/万千瓦时）", "Tax per 10k kWh (10k yuan)"),
    "score": ("得分", "Score"), "rank": ("排名", "Rank"), "klass": ("类别", "Class"),
    "imputed": ("按平均分计的指标", "Items given the average"), "reasons": ("原因", "Reasons"),
    "item": ("指标", "Item"), "benchmark": ("基准值", "Benchmark"), "weight": ("权重", "Weight"),
    "cap": ("封顶（权重倍数）", "Cap (× weight)"), "n": ("企业数", "Enterprises"), "share": ("占比（%）", "Share (%)"),
    "n_A": ("A类", "A"), "n_B": ("B类", "B"), "n_C": ("C类", "C"), "n_D": ("D类", "D"),
    "share_ab": ("A、B类占比（%）", "A+B (%)"),
    "surcharge_electricity": ("电价加价（元/千瓦时）", "Electricity surcharge (yuan/kWh)"),
    "surcharge_water": ("水价加价（%）", "Water surcharge (%)"), "electricity": ("用电量（万千瓦时）", "Electricity (10k kWh)"),
    "water": ("用水量（立方米）", "Water (m³)"), "extra_cost": ("加价金额（万元）", "Extra cost (10k yuan)"),
    "klass_before": ("上年类别", "Class before"), "klass_now": ("本年类别", "Class now"), "change": ("变化", "Change"),
    "score_change": ("得分变化", "Score change"), "criteria": ("未达标判据", "Criteria failed"),
    "n_failed": ("未达标项数", "Failed"), "energy": ("能耗（吨标准煤）", "Energy (tce)"),
    "env_violations": ("环保违法（次）", "Environmental violations"), "quality_failures": ("质量抽检不合格（次）", "Quality failures"),
    "safety_violations": ("安全生产违法（次）", "Safety violations"), "obsolete_equipment": ("淘汰类设备", "Obsolete equipment"),
    "eligible": ("满足基本条件", "Eligible"), "qualifies": ("达到认定标准", "Qualifies"), "gap": ("距及格线（分）", "Points short"),
    "missed_points": ("失分项", "Points missed"), "stock": ("年末数", "Holders"), "new": ("当年新增", "New in year"),
    "new_in_year": ("当年新增", "New in year"), "new_cumulative": ("累计新增", "New, cumulative"),
    "n_lost": ("当年失去", "Lost in year"), "energy_intensity": ("强度（吨标准煤/万元）", "Intensity (tce/10k yuan)"),
    "tier": ("层级", "Tier"), "tier_name": ("层级", "Tier"), "districts": ("所在区县", "Districts"), "area": ("地区", "Area"),
    "park_area": ("面积（亩）", "Area (mu)"), "land_used": ("已用地（亩）", "Land used (mu)"),
    "n_enterprises": ("企业数", "Enterprises"), "investment_per_mu": ("亩均投资（万元/亩）", "Investment per mu (10k yuan)"),
    "output_per_mu": ("亩均产值（万元/亩）", "Output per mu (10k yuan)"), "targets_met": ("达标", "Targets met"),
    "measure": ("类别", "Measure"), "intensity": ("强度", "Intensity"), "yoy_change": ("同比（%）", "Year on year (%)"),
    "cumulative_change": ("累计变化（%）", "Cumulative (%)"), "required_to_date": ("进度要求（%）", "Schedule (%)"),
    "gap_pp": ("差距（百分点）", "Gap (pp)"), "indicator": ("指标", "Indicator"), "base_year": ("基期", "Base year"),
    "binding": ("约束性", "Binding"), "warning_level": ("预警等级", "Warning"), "value_added": ("增加值（万元）", "Value added (10k yuan)"),
    "intensity_change": ("强度变化（%）", "Intensity change (%)"), "share_of_change": ("占能耗增量（%）", "Share of the rise (%)"),
    "revenue": ("营业收入（万元）", "Revenue (10k yuan)"), "tax": ("税收（万元）", "Tax (10k yuan)"),
    "origin": ("数据", "Data"), "what": ("项目", "Item"), "value": ("值", "Value"),
    "main_revenue": ("主营业务收入（万元）", "Main business revenue (10k yuan)"), "emissions": ("排放（吨）", "Emissions (t)"),
    "rd_expense": ("研发经费（万元）", "R&D spending (10k yuan)"), "employees": ("从业人员（人）", "Employees"),
    "net_profit": ("净利润（万元）", "Net profit (10k yuan)"), "assets": ("资产（万元）", "Assets (10k yuan)"),
    "liabilities": ("负债（万元）", "Liabilities (10k yuan)"), "investment": ("投资（万元）", "Investment (10k yuan)"),
    "tag_levels": ("标签级别", "Tag levels"),
}
CLI_ENTERPRISE_TAG: dict[str, Pair] = {
    "chain_leader": ("链主企业", "chain leader"), "srdi_sme": ("专精特新中小企业", "专精特新 SME"),
    "little_giant": ("专精特新“小巨人”", "little giant"), "single_champion": ("制造业单项冠军", "single champion"),
    "high_tech": ("高新技术企业", "high-tech enterprise"), "tech_sme": ("科技型企业", "tech-based SME"),
    "innovative_sme": ("创新型中小企业", "innovative SME"), "above_scale": ("规上企业", "above-scale"),
}
CLI_ENTERPRISE_LEVEL: dict[str, Pair] = {"national": ("国家级", "national"), "municipal": ("市级", "municipal"),
                                         "": ("", "")}
CLI_ENTERPRISE_SIZE: dict[str, Pair] = {"large": ("大型", "large"), "medium": ("中型", "medium"),
                                        "small": ("小型", "small"), "micro": ("微型", "micro")}
CLI_ENTERPRISE_GROUP: dict[str, Pair] = {"above": ("规上", "above-scale"), "below": ("规下", "below-scale")}
CLI_ENTERPRISE_CHANGE: dict[str, Pair] = {"up": ("上升", "up"), "down": ("下降", "down"), "same": ("不变", "same"),
                                          "new": ("新参评", "new"), "gone": ("未参评", "not evaluated")}
CLI_ENTERPRISE_CRITERION: dict[str, Pair] = {"energy": ("能耗", "energy"), "environment": ("环保", "environment"),
                                             "quality": ("质量", "quality"), "safety": ("安全", "safety"),
                                             "technology": ("技术装备", "technology")}
CLI_ENTERPRISE_ITEM: dict[str, Pair] = {k: CLI_ENTERPRISE_HEAD[k] for k in (
    "tax_per_mu", "va_per_mu", "va_per_energy", "va_per_emission", "labour_productivity", "rd_intensity", "tax_per_kwh")}
CLI_GREEN_MEASURE: dict[str, Pair] = {"energy": ("能耗强度", "energy intensity"), "water": ("水耗强度", "water intensity")}
CLI_GREEN_LEVEL: dict[int, Pair] = {1: ("一级（红色）", "level 1 (red)"), 2: ("二级（黄色）", "level 2 (yellow)"),
                                    3: ("三级（绿色）", "level 3 (green)")}
CLI_ENTERPRISE_RULE: dict[str, Pair] = {
    "green_level1": ("能耗/水耗强度一级预警（红色）", "energy/water intensity level 1 (red)"),
    "green_level2": ("能耗/水耗强度二级预警（黄色）", "energy/water intensity level 2 (yellow)"),
    "park_below_target": ("园区未达用地控制指标", "park below its land-use targets"),
    "enterprise_backward": ("落后产能候选企业", "backward-capacity candidates"),
}
CLI_ENTERPRISE_WORDS: dict[str, Pair] = {
    "synthetic_line": ("合成数据（演示用）：{source}", "SYNTHETIC data (demo): {source}"),
    "cols_dropped": ("终端较窄，略去：{cols}（--format csv 输出全部列）",
                     "narrow terminal: {cols} left out (--format csv gives every column)"),
    "source": ("数据来源", "Data source"), "as_of": ("数据截至", "as of"), "batch": ("批次 {batch}", "batch {batch}"),
    "list_title": ("企业名录（{n} 家）", "Enterprise registry ({n})"),
    "tags_title": ("企业标签记录（{n} 条）", "Enterprise tags ({n})"),
    "muju_title": ("{year}年亩均效益评价（{n} 家）", "亩均 evaluation {year} ({n} enterprises)"),
    "classes_title": ("{year}年亩均效益评价：各类企业数", "亩均 evaluation {year}: enterprises per class"),
    "benchmarks_title": ("{year}年亩均效益评价：基准值与权重", "亩均 evaluation {year}: benchmarks and weights"),
    "summary_title": ("{year}年亩均效益评价：按{by}汇总", "亩均 evaluation {year} by {by}"),
    "prices_title": ("{year}年差别电价/水价名单（{n} 家）", "Differentiated electricity/water prices {year} ({n})"),
    "changes_title": ("{year}年较{prev}年类别变化", "Class changes {prev} → {year}"),
    "srdi_title": ("{year}年专精特新培育对象筛查（{n} 家）", "专精特新 screening {year} ({n} candidates)"),
    "closest_title": ("{year}年最接近认定标准的企业（按区县）", "Closest to qualifying {year} (per district)"),
    "backward_title": ("{year}年落后产能候选企业（{n} 家）", "Backward-capacity candidates {year} ({n})"),
    "counts_title": ("企业数：年末持有、当年新增、累计新增、当年失去", "Enterprises per tag: holders, new, lost"),
    "new_cumulative_since": ("累计新增（自{year}年起）", "New since {year}"),
    "outside_parks": ("园区外", "not in a park"),
    "parks_title": ("{year}年园区亩均效益与用地控制指标（{n} 个）", "Parks {year}: 亩均 results and land-use targets ({n})"),
    "park_title": ("{year}年{park}的企业", "Enterprises of {park}, {year}"),
    "green_status_title": ("{what}强度目标进展（{nature}）", "Targets for {what} intensity ({nature})"),
    "green_status_title_plain": ("{what}强度目标进展", "Targets for {what} intensity"),
    "measure_energy": ("能耗", "energy"), "measure_water": ("水耗", "water"),
    "nature_binding": ("约束性", "binding"), "nature_expected": ("预期性", "expected"),
    "nature_unstated": ("未标属性", "nature not stated"),
    "intensity_units": ("强度单位：能耗为吨标准煤/万元，水耗为立方米/万元（增加值按可比价）",
                        "Intensity units: energy in tce per 10k yuan, water in m³ per 10k yuan (value added at "
                        "comparable prices)"),
    "template_file": ("企业数据导入模板.xlsx", "enterprise-import-template.xlsx"),
    "green_intensity_title": ("单位增加值能耗、水耗", "Energy and water per unit of value added"),
    "key_users_title": ("{year}年重点用能企业（{n} 家；增加值为现价）", "Key energy users {year} ({n}; value added at "
                        "current prices)"),
    "by_district": ("区县", "district"), "by_park": ("园区", "park"), "by_industry": ("行业", "industry"),
    "show_facts": ("企业信息", "Enterprise"), "show_tags": ("标签记录", "Tags"), "show_annual": ("年度指标", "Annual figures"),
    "show_muju": ("亩均效益评价", "亩均 evaluation"), "show_backward": ("落后产能判据", "Backward-capacity criteria"),
    "none": ("无", "none"), "held_now": ("持有中", "held"),
    "no_parks": ("企业数据中没有园区：导入含“园区”表的文件后显示（zhizao enterprise import）",
                 "the enterprise data have no parks: import a file with the 园区 (parks) sheet (zhizao enterprise "
                 "import)"),
    "no_park_system": ("本规划未列产业园区体系：园区层级按导入数据原样显示", "this plan has no park system: park tiers are "
                       "shown as imported"),
    "no_green": ("本规划未列能耗、水耗强度指标：没有可评估的绿色约束性目标",
                 "this plan has no energy or water intensity indicator: there is no green target to assess"),
    "no_rows": ("没有符合条件的记录", "nothing matches"),
    "imported_line": ("已导入企业数据（批次 {batch}）：{rows}", "imported enterprise data (batch {batch}): {rows}"),
    "frame_registry": ("企业名录 {n} 行", "registry {n} rows"), "frame_tags": ("企业标签 {n} 行", "tags {n} rows"),
    "frame_annual": ("年度指标 {n} 行", "annual figures {n} rows"), "frame_srdi": ("专精特新 {n} 行", "专精特新 {n} rows"),
    "frame_parks": ("园区 {n} 行", "parks {n} rows"), "frame_green": ("能耗水耗 {n} 行", "energy and water {n} rows"),
    "warn_source": ("企业、园区与绿色预警的数据：", "Enterprise, park and green warnings from: "),
    "warn_title_enterprise": ("{n} 条企业、园区与绿色预警（{origin}{period}）",
                              "{n} enterprise, park and green warnings ({origin}{period})"),
    "warn_no_monitoring_both": ("没有监测数据，只列出产业链预警和企业、园区与绿色预警。{reason}",
                                "No monitoring data, so only the chain warnings and the enterprise, park and green "
                                "warnings are listed. {reason}"),
    "warn_no_monitoring_enterprise": ("没有监测数据，只列出企业、园区与绿色预警。{reason}",
                                      "No monitoring data, so only the enterprise, park and green warnings are "
                                      "listed. {reason}"),
    "legend_klass": ("类别：A 优先发展、B 提升发展、C 整治提升、D 淘汰退出（按得分排名与占比设定）",
                     "classes: A develop first, B improve, C rectify, D exit (by score rank and the class shares)"),
}
TABLES.update({"cli_enterprise_head": CLI_ENTERPRISE_HEAD, "cli_enterprise_tag": CLI_ENTERPRISE_TAG,
               "cli_enterprise_level": CLI_ENTERPRISE_LEVEL, "cli_enterprise_size": CLI_ENTERPRISE_SIZE,
               "cli_enterprise_group": CLI_ENTERPRISE_GROUP, "cli_enterprise_change": CLI_ENTERPRISE_CHANGE,
               "cli_enterprise_criterion": CLI_ENTERPRISE_CRITERION, "cli_enterprise_item": CLI_ENTERPRISE_ITEM,
               "cli_green_measure": CLI_GREEN_MEASURE, "cli_green_level": CLI_GREEN_LEVEL,
               "cli_enterprise_rule": CLI_ENTERPRISE_RULE, "cli_enterprise_words": CLI_ENTERPRISE_WORDS})

# issue 14: analytics-2 (三服务 problems, task status and progress, edit history;
# zhizao/analytics/delivery/services.py, tasks.py, history.py; docs/delivery.md)
TASK_STATUS: dict[str, Pair] = {
    "done": ("已完成", "done"), "overdue": ("逾期未完成", "overdue"), "stalled": ("进展停滞", "stalled"),
    "behind": ("进度滞后", "behind schedule"), "on_track": ("正常推进", "on track"),
    "not_started": ("未开始", "not started"),
}
HISTORY_CHANGE: dict[str, Pair] = {"created": ("新增", "created"), "changed": ("修改", "changed")}
DELIVERY_TASK_WORDS: dict[str, Pair] = {
    "no_work_items": ("本规划未列任务分工", "this plan has no task decomposition"),
    "no_reasons": ("无", "none"),
    "withdrawn": ("（已撤回）", " (withdrawn)"),
}
TABLES.update({"task_status": TASK_STATUS, "history_change": HISTORY_CHANGE})
# issue 14: exports (三服务问题台账, 任务分工方案 XLSX/DOCX, 重点项目台账, the delivery import template;
# zhizao/outputs/delivery_exports.py) and the final report's chapter 三 (zhizao/outputs/reports/final.py)
DL_EXPORT_WORDS: dict[str, Pair] = {
    "synthetic": ("合成数据（演示用）", "SYNTHETIC (demo data)"),
    "source": ("数据来源：{source}", "Source: {source}"),
    "as_of": ("统计截至{date}", "as of {date}"),
    "plan_default": ("分工依据：规划原文（zhizao 按规划文本整理的默认分工，可导入修订）",
                     "basis: the plan's own text (zhizao's default decomposition from the plan; import a revised one)"),
    "attachment": ("附件", "Annex"),
    "task_title": ("《{plan}》重点任务分工方案", "Task decomposition of the {plan}"),
    "task_unit_row": ("填报单位：{area}　　进度统计截至：{date}", "Area: {area}    progress as of {date}"),
    "no_tasks": ("本规划未列任务分工", "this plan has no task decomposition"),
    "no_report": ("暂无进展报告", "no progress report yet"),
    "service_title": ("{area}“三服务”企业问题办理台账", "{area}: 三服务 enterprise problems ledger"),
    "project_title": ("{area}重点项目推进台账", "{area}: key projects ledger"),
    "unit_row": ("统计截至：{date}　　单位：万元", "As of {date}; amounts in 10k yuan"),
    "no_rows": ("没有记录", "no rows"),
    "note_head": ("说明：", "Notes: "),
    "note_overdue": ("超期：办理期限早于统计日期仍未办结；超期天数按统计日期计。",
                     "Overdue: past the deadline at the as-of date and not resolved; days counted to that date."),
    "note_project": ("阶段逾期：计划日期已过宽限期（{grace}天）仍未实现；投资滞后：累计完成投资占比落后于时间进度超过{gap}个百分点。",
                     "Stage overdue: a planned date passed by more than the grace period ({grace} days); investment "
                     "behind: the completed share of investment trails the time elapsed by more than {gap} points."),
    "note_task": ("状态：已完成、逾期（超过完成时限未完成）、停滞（{stalled}天无进展报告）、滞后（完成进度落后时间进度超过{behind}个百分点）、"
                  "按期推进、未开始。完成进度为最近一次进展报告的自报数。",
                  "Status: done, overdue (past the deadline, not done), stalled (no report for {stalled} days), behind "
                  "(completion trails the time elapsed by more than {behind} points), on track, not started. Completion "
                  "is the latest report's own estimate."),
    "sheet_services": ("三服务问题台账", "problems ledger"),
    "sheet_tasks": ("任务分工方案", "task decomposition"),
    "sheet_projects": ("重点项目台账", "projects ledger"),
    "days": ("{n}天", "{n} days"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    # the template
    "about_sheet": ("说明", "notes"),
    "about_title": ("《{plan}》项目、三服务问题与任务分工导入模板", "Import template for projects, problems and tasks: {plan}"),
    "about_head": ("事项", "item"),
    "about_values": ("可填写的值", "accepted values"),
    "about_remark": ("说明", "remark"),
    "about_rows": ("每张表第1行为表头，第2行为示例（导入前请改写或删除）；只导入需要的表即可，未列出的编号保持原值。",
                   "Row 1 of each sheet is its header, row 2 an example (rewrite or delete it before importing); "
                   "import only the sheets you need: keys not listed keep their values."),
    "about_dates": ("日期", "dates"), "about_dates_values": ("YYYY-MM-DD，如 2024-06-30", "YYYY-MM-DD, e.g. 2024-06-30"),
    "about_units": ("金额单位", "amounts"), "about_units_values": ("万元；完成进度为0—100的百分数", "10k yuan (万元); completion 0–100 %"),
    "about_units_list": ("牵头单位、配合单位、责任单位", "lead, co-operating and responsible units"),
    "about_units_list_values": ("单位名称、编号或别名，或区县名称/代码；多个单位用“;”分隔",
                                "a unit's id, name or alias, or a district's code or name; several separated by \";\""),
    "about_stage": ("项目阶段", "project stages"),
    "about_stage_values": ("签约 ≤ 开工 ≤ 投产 ≤ 达产（计划和实际日期均不得倒序；实际日期不晚于导入当日）",
                           "signed ≤ started ≤ production ≤ full production (planned and actual; actual dates not after today)"),
    "about_project_status": ("项目状态", "project status"),
    "about_category": ("问题类别", "problem category"),
    "about_problem_status": ("办理状态", "problem status"),
    "about_basis": ("分工依据", "basis"),
    "about_kind": ("单位类别", "unit kind"),
    "about_task": ("对应规划任务", "plan task"),
    "about_no_tasks": ("本规划未列重点任务，任务分工表不能导入", "this plan lists no tasks: work items cannot be imported"),
    "about_district": ("区县", "districts"),
    "about_unit": ("单位", "units"),
    "example_project": ("示例项目（请替换）", "Example project (replace)"),
    "example_investor": ("示例投资主体有限公司", "Example Investor Co., Ltd."),
    "example_enterprise": ("示例企业有限公司", "Example Enterprise Co., Ltd."),
    "example_problem": ("项目用地指标尚未落实", "the project's land quota is not yet granted"),
    "example_item": ("示例工作任务（请替换）", "Example work item (replace)"),
    "example_milestone": ("完成方案编制", "draft the scheme"),
    "example_report": ("已完成调研，方案起草中", "survey done, scheme being drafted"),
    "example_reporter": ("张三", "Zhang San"),
    "example_unit": ("示例单位（请替换）", "Example unit (replace)"),
    "example_note": ("示例", "example"),
}
DL_EXPORT_HEAD: dict[str, Pair] = {
    "seq": ("序号", "No."), "task": ("重点任务", "Plan task"), "title": ("工作任务", "Work item"),
    "lead": ("牵头单位", "Lead units"), "cooperating": ("配合单位", "Co-operating units"),
    "deadline": ("完成时限", "Deadline"), "progress": ("进展情况", "Progress"), "completion": ("完成进度", "Completion"),
    "status": ("状态", "Status"), "days_overdue": ("超期天数", "Days overdue"), "remarks": ("备注", "Remarks"),
    "cumulative_investment": ("累计完成投资", "Investment completed"), "investment_share": ("投资完成率", "Share invested"),
    "stage": ("当前阶段", "Stage reached"), "warnings": ("预警", "Warnings"),
}
FINAL_TASK_WORDS: dict[str, Pair] = {
    "tasks_lead": ("截至{date}，任务分工方案共{items}项工作任务，{n}项报送了进展（进展报告{reports}份）：{counts}；"
                   "平均完成进度{mean}（表{table}）。",
                   "As of {date} the task decomposition has {items} work items, {n} with reported progress ({reports} "
                   "reports): {counts}; mean completion {mean} (Table {table})."),
    "tasks_caption": ("表{table}　重点任务分工推进情况", "Table {table}. Progress of the task decomposition"),
    "h_seq": ("序号", "No."), "h_task": ("重点任务（规划出处）", "Task"), "h_lead": ("牵头单位", "Lead units"),
    "h_items": ("工作任务数", "Work items"), "h_mean": ("平均完成进度", "Mean completion"), "h_status": ("推进状态", "Status"),
    "tasks_no_progress": ("数据库中没有任务分工的进展报告（合成数据不用于本报告）", "the store holds no progress reports on "
                          "the task decomposition (synthetic data never feed this report)"),
    # issue 14: fix-ana — the register's total, then the signed (the shares are of the signed)
    "projects_lead": ("截至{date}，重点项目台账共有项目{total}个，其中已签约{signed}个（计划总投资{investment}），"
                      "已开工{started}个（占签约的{started_share}），已投产{production}个（占签约的{production_share}），"
                      "已达产{full}个（占签约的{full_share}）。",
                      "As of {date} the projects ledger holds {total} projects, {signed} of them signed ({investment} "
                      "of planned investment); {started} have started construction ({started_share} of those "
                      "signed), {production} are in production ({production_share}) and {full} at full production "
                      "({full_share})."),
    "projects_none_signed": ("截至{date}，重点项目台账共有项目{total}个，尚无已签约项目。",
                             "As of {date} the projects ledger holds {total} projects, none of them signed yet."),
    "projects_cluster": ("按产业集群：{items}。", "By cluster: {items}."),
    "projects_cluster_item": ("{name}签约{signed}个、投产{production}个", "{name} {signed} signed, {production} in production"),
    "synthetic_never": ("演示用合成数据不进入本报告。", "Synthetic demo data never feed this report."),
    "st_done": ("已完成{n}项", "{n} done"), "st_on_track": ("按期推进{n}项", "{n} on track"),
    "st_behind": ("滞后{n}项", "{n} behind"), "st_stalled": ("停滞{n}项", "{n} stalled"),
    "st_overdue": ("逾期未完成{n}项", "{n} overdue"), "st_not_started": ("尚未开始{n}项", "{n} not started"),
    "no_project_data": ("数据库中没有重大项目的进度数据（项目数、投资完成额、建成投产情况等）",
                        "The store holds no progress data on major projects (project counts, investment completed, "
                        "plants in operation)"),
    "no_task_reports": ("数据库中没有重点任务分工的进展报告，各项任务的完成情况需由牵头部门补充",
                        "The store holds no progress reports on the task decomposition: the lead departments must "
                        "report each task's progress"),
}
# issue 14: analytics-1 (projects and delivery warnings: zhizao.analytics.delivery projects/warnings)
DELIVERY_RULE: dict[str, Pair] = {
    "project_stage_overdue": ("项目阶段逾期", "Project stage overdue"),
    "project_investment_behind": ("项目投资滞后", "Project investment behind schedule"),
    "problem_overdue": ("“三服务”问题逾期未办结", "三服务 problem overdue"),
    "task_overdue": ("任务逾期未完成", "Work item overdue"),
    "task_behind": ("任务进度滞后", "Work item behind schedule"),
    "task_stalled": ("任务长期未报进展", "Work item stalled"),
    "milestone_overdue": ("任务节点逾期", "Milestone overdue"),
}
DELIVERY_ANALYTICS_WORDS: dict[str, Pair] = {
    "stage_overdue": ("计划{planned}{stage}，截至{as_of}逾期{days}天仍未{stage}（宽限{grace}天）",
                      "{stage} planned for {planned}: not reached {days} days later at {as_of} (grace {grace} days)"),
    "investment_behind": ("累计完成投资{cum}万元，占计划总投资{share}，时间进度{schedule}，落后{gap}"
                          "（允许落后{limit}个百分点）",
                          "{cum} 万元 invested, {share} of the planned investment, trails the {schedule} of "
                          "construction time elapsed by {gap} (allowed: {limit} pp)"),
    "project_subject": ("项目{name}：", "Project {name}: "),
    "problem_overdue": ("{name}反映的{category}问题（责任单位{department}）办理期限为{deadline}，已逾期{days}天仍未办结",
                        "{category} problem of {name} (responsible: {department}) still open {days} days after "
                        "its deadline {deadline}"),
    "problem_high": ("，超过{high}天升为高级预警", "; over {high} days, so high"),
    "task_overdue": ("{title}（牵头单位{lead}）已过完成时限{deadline}，完成进度{completion}",
                     "{title} (lead: {lead}) is past its deadline {deadline} at {completion} complete"),
    "task_behind": ("{title}（牵头单位{lead}）完成进度{completion}，时间进度{time}，落后{gap}（允许落后{limit}个百分点）",
                    "{title} (lead: {lead}) is {completion} complete, trailing the {time} of its time elapsed by "
                    "{gap} (allowed: {limit} pp)"),
    "task_stalled": ("{title}（牵头单位{lead}）{since}，超过{limit}天未报送进展",
                     "{title} (lead: {lead}): {since}, more than {limit} days without a progress report"),
    "last_report": ("最近一次报送进展为{date}", "last progress report {date}"),
    "no_report": ("自{start}开始以来从未报送进展", "no progress report since it started on {start}"),
    "milestone_overdue": ("{title}（牵头单位{lead}）有{n}个节点逾期未完成：{items}",
                          "{title} (lead: {lead}) has {n} overdue milestone(s): {items}"),
    "milestone_item": ("{due}前{text}", "{text} by {due}"),
    "no_project_counts": ("本规划未列按项目库计数的指标", "this plan has no indicator counted from the project register"),
    "no_projects": ("项目库为空，无法计数", "the project register is empty, so nothing can be counted"),
    "bad_unit_count": ("{name}：单位“{unit}”不是项目个数的单位（个、项、万个），未计数",
                       "{name}: unit '{unit}' is not a count of projects (个, 项, 万个): not counted"),
    "bad_unit_investment": ("{name}：单位“{unit}”不是投资额的单位（亿元、万元），未计数",
                            "{name}: unit '{unit}' is not an amount of investment (亿元, 万元): not counted"),
}

# issue 14: web (the project, 三服务 and 任务分工 pages, their forms, the /data delivery upload; pages/delivery.py)
UI.update({
    "dl_nav": ("项目·服务·任务", "Delivery"),
    "dl_nav_projects": ("重点项目", "Projects"), "dl_nav_services": ("三服务问题", "Enterprise problems"),
    "dl_nav_tasks": ("任务分工与督办", "Tasks and supervision"),
    "dl_synthetic": ("合成数据（演示用）：{area}由 zhizao 生成，不是真实数据；请在“数据”页导入真实台账",
                     "SYNTHETIC (demo data): the {area} are generated by zhizao, not real; import the real ledger on the Data page"),
    "dl_area_projects": ("项目", "projects"), "dl_area_services": ("三服务问题", "problems"),
    "dl_area_tasks": ("进展报告", "progress reports"),
    "dl_source": ("数据来源：{source}；状态判断日期 {as_of}", "Data: {source}; statuses judged at {as_of}"),
    "dl_no_cluster": ("未归入集群", "no cluster"), "dl_col_key": ("编号", "Id"),
    "dl_no_tasks": ("本规划未列任务分工：没有可督办的工作任务（可在“数据”页导入任务分工方案）",
                    "this plan has no task decomposition: there are no work items to supervise (import one on the Data page)"),
    "dl_plan_text_basis": ("任务分工依据规划原文（规划点名的单位），非用户导入", "the work items follow the plan's own text (the units it names), not an import"),
    "dl_guest_counts": ("未登录：只显示汇总数，不列项目、问题或任务明细；请登录", "not logged in: counts only, no projects, problems or items listed; log in"),
    "dl_hidden": ("另有 {n} 条不属于您所在区县，未列出", "{n} more rows of other districts are not listed"),
    "dl_none": ("没有记录", "nothing to list"),
    "dl_all": ("全部", "All"), "dl_show": ("显示", "Show"),
    "dl_funnel": ("项目推进漏斗（签约→开工→投产→达产）", "Project funnel (signed → started → in production → at full production)"),
    "dl_funnel_by_district": ("按区县的项目推进", "Projects by district"),
    "dl_funnel_by_cluster": ("按产业集群的项目推进", "Projects by cluster"),
    "dl_projects": ("项目清单", "Projects"), "dl_stages": ("建设阶段：计划与实际", "Stages: planned and actual"),
    "dl_progress": ("月度完成投资与产值（万元）", "Monthly investment and output (10k yuan)"),
    "dl_history": ("修改记录", "Edit history"),
    "dl_summary_department": ("按责任单位", "By responsible unit"), "dl_summary_district": ("按区县", "By district"),
    "dl_summary_category": ("按问题类别", "By category"), "dl_problems": ("问题清单", "Problems"),
    "dl_by_department": ("按牵头单位的进展", "Progress by lead unit"), "dl_by_task": ("按规划任务的进展", "Progress by plan task"),
    "dl_items": ("工作任务", "Work items"), "dl_milestones": ("节点", "Milestones"), "dl_reports": ("进展报告", "Progress reports"),
    "dl_col_project_id": ("项目编号", "Project id"), "dl_col_name": ("项目名称", "Project"),
    "dl_col_district": ("区县", "District"), "dl_col_cluster": ("产业集群", "Cluster"), "dl_col_park": ("园区", "Park"),
    "dl_col_investor": ("投资主体", "Investor"), "dl_col_planned_investment": ("计划总投资（万元）", "Planned investment (10k yuan)"),
    "dl_col_cumulative_investment": ("累计完成投资（万元）", "Invested to date (10k yuan)"),
    "dl_col_investment_share": ("投资完成率（%）", "Investment done (%)"),
    "dl_col_schedule_share": ("时间进度（%）", "Time elapsed (%)"), "dl_col_gap_pp": ("差距（百分点）", "Gap (pp)"),
    "dl_col_stage": ("当前阶段", "Stage reached"), "dl_col_stage_name": ("阶段", "Stage"),
    "dl_col_share_signed": ("占签约项目（%）", "Share of signed (%)"), "dl_col_next_stage": ("下一阶段", "Next stage"),
    "dl_col_next_planned": ("下一阶段计划日期", "Next stage planned"), "dl_col_days_overdue": ("逾期天数", "Days overdue"),
    "dl_col_status": ("状态", "Status"), "dl_col_reasons": ("说明", "Explanation"),
    "dl_col_planned": ("计划日期", "Planned"), "dl_col_actual": ("实际日期", "Actual"), "dl_col_slip": ("偏差（天）", "Slip (days)"),
    "dl_col_year": ("年份", "Year"), "dl_col_month": ("月份", "Month"),
    "dl_col_investment": ("当月完成投资（万元）", "Investment (10k yuan)"), "dl_col_output": ("当月产值（万元）", "Output (10k yuan)"),
    "dl_col_recorded_at": ("时间", "When"), "dl_col_actor": ("操作人", "Who"), "dl_col_kind": ("方式", "How"),
    "dl_col_column": ("项目", "Field"), "dl_col_before": ("原值", "Before"), "dl_col_after": ("新值", "After"),
    "dl_col_problem_id": ("问题编号", "Problem id"), "dl_col_enterprise_name": ("企业名称", "Enterprise"),
    "dl_col_category": ("问题类别", "Category"), "dl_col_description": ("问题描述", "Description"),
    "dl_col_department": ("责任单位", "Responsible unit"), "dl_col_raised": ("提出日期", "Raised"),
    "dl_col_deadline": ("办理期限", "Deadline"), "dl_col_resolved": ("办结日期", "Resolved"),
    "dl_col_resolution": ("办理结果", "Resolution"), "dl_col_days_open": ("已办天数", "Days open"),
    "dl_col_group": ("分组", "Group"), "dl_col_n": ("数量", "Number"), "dl_col_open": ("待办", "Open"),
    "dl_col_in_progress": ("办理中", "In progress"), "dl_col_resolved_n": ("已办结", "Resolved"),
    "dl_col_overdue": ("逾期", "Overdue"), "dl_col_on_time_share": ("按期办结率（%）", "Resolved on time (%)"),
    "dl_col_median_resolution_days": ("办结用时中位数（天）", "Median days to resolve"),
    "dl_col_item_id": ("任务编号", "Item id"), "dl_col_task": ("重点任务", "Plan task"), "dl_col_title": ("工作任务", "Work item"),
    "dl_col_lead": ("牵头单位", "Lead units"), "dl_col_cooperating": ("配合单位", "Co-operating units"),
    "dl_col_start": ("开始日期", "Start"), "dl_col_completion": ("完成进度（%）", "Completion (%)"),
    "dl_col_time_share": ("时间进度（%）", "Time elapsed (%)"), "dl_col_last_report": ("最近报告", "Last report"),
    "dl_col_basis": ("分工依据", "Basis"), "dl_col_done": ("已完成", "Done"), "dl_col_on_track": ("正常", "On track"),
    "dl_col_behind": ("滞后", "Behind"), "dl_col_stalled": ("停滞", "Stalled"), "dl_col_not_started": ("未开始", "Not started"),
    "dl_col_mean_completion": ("平均完成进度（%）", "Mean completion (%)"),
    "dl_col_seq": ("序号", "No."), "dl_col_due": ("时限", "Due"), "dl_col_text": ("内容", "Text"),
    "dl_col_done_date": ("完成日期", "Done on"), "dl_col_report_id": ("报告编号", "Report id"),
    "dl_col_date": ("日期", "Date"), "dl_col_attachments": ("附件", "Attachments"), "dl_col_reporter": ("报送人", "Reporter"),
    "dl_kind_delivery": ("导入", "import"), "dl_kind_delivery_edit": ("表单修改", "form edit"),
    "dl_created": ("新建", "created"),
    "dl_form_stage": ("录入阶段实际日期", "Record a stage date"), "dl_form_stage_button": ("保存阶段日期", "Save the stage date"),
    "dl_form_problem": ("登记问题", "Log a problem"), "dl_form_problem_button": ("登记", "Log the problem"),
    "dl_form_resolve": ("办结问题", "Mark a problem resolved"), "dl_form_resolve_button": ("办结", "Mark resolved"),
    "dl_form_report": ("报送进展", "Add a progress report"), "dl_form_report_button": ("报送", "Submit the report"),
    "dl_form_saved": ("已保存（批次 {batch}），原记录保留在修改记录中", "saved (batch {batch}); the previous version stays in the history"),
    "dl_form_refused": ("未保存：发现 {n} 个问题，数据库未改变", "not saved: {n} problem(s), nothing was written"),
    "dl_form_other_district": ("只能为本区县（{region}）的记录录入或修改：本条属于其他区县，未保存",
                               "you may enter or change only your district's ({region}) rows: this one is another district's; nothing was saved"),
    "dl_form_read_only": ("您的账号只能查看，不能录入或修改；请使用有录入权限的账号登录",
                          "your account may only read: log in with an account that may enter data"),
    "dl_form_missing": ("请填写“{field}”后再提交", "fill in \"{field}\", then submit"),
    "dl_form_bad_number": ("“{field}”应为 0—100 的数字，收到“{value}”", "\"{field}\" must be a number from 0 to 100, got \"{value}\""),
    "dl_unknown_choice": ("{what}“{value}”不在可选范围内：可选 {known}", "{what} \"{value}\" is not one of: {known}"),
    "dl_upload": ("项目、三服务问题与任务分工数据", "Projects, enterprise problems and task data"),
    "dl_upload_help": ("一个 XLSX（含项目、项目进度、三服务问题、任务分工、任务节点、进展报告、单位工作表中的任意几个）或每类一个 CSV；全部通过检查才写入，原记录保留为历史版本。区县用户只能导入本区县的记录",
                       "one XLSX (any of the sheets projects, project progress, problems, work items, milestones, progress reports, units) or one CSV per kind; written only when every row passes, earlier versions kept as history. A district user may import only their district's rows"),
    "dl_upload_button": ("上传并导入", "Upload and import"),
    "dl_upload_ok": ("已导入", "Imported"),
    "dl_upload_rows": ("{name} {n} 行", "{name} {n} rows"),
    "dl_upload_not_district": ("区县用户只能导入本区县（{region}）的记录：本行属于其他区县或全市",
                               "a district user may import only their district's ({region}) rows: this row is another district's or the city's"),
    "dl_upload_units_city": ("单位表是全市共用数据：区县用户不能导入", "the units sheet is city-wide data: a district user cannot import it"),
    "dl_upload_refused": ("您的账号不能导入数据；请使用有导入权限的账号登录", "your account cannot import data: log in with an account that may import"),
    "dl_warnings_note": ("{n} 条项目、三服务与任务督办预警（{source}，判断日期 {as_of}）",
                         "{n} project, service and task warnings ({source}, judged at {as_of})"),
    "dl_synthetic_short": ("合成数据（演示用）", "SYNTHETIC demo data"),
    "dl_rule_project_stage_overdue": ("项目阶段逾期", "Project stage overdue"),
    "dl_rule_project_investment_behind": ("项目投资滞后", "Project investment behind"),
    "dl_rule_problem_overdue": ("三服务问题逾期", "Enterprise problem overdue"),
    "dl_rule_task_overdue": ("任务逾期", "Work item overdue"), "dl_rule_task_behind": ("任务进度滞后", "Work item behind"),
    "dl_rule_task_stalled": ("任务停滞", "Work item stalled"), "dl_rule_milestone_overdue": ("任务节点逾期", "Milestone overdue"),
    "dl_not_found": ("没有找到“{id}”：请从列表中选择（{url}）", "\"{id}\" was not found: choose one from the list ({url})"),
    # fixes after review: a field over its limit, listings in pages, the office layouts
    "dl_form_too_long": ("“{field}”最多 {limit} 个字符，收到 {n} 个：请删减后再提交，未保存",
                         "\"{field}\" takes at most {limit} characters, got {n}: shorten it and submit again; nothing was saved"),
    "dl_page_of": ("第 {page}/{pages} 页：第 {first}—{last} 行，共 {total} 行",
                   "page {page} of {pages}: rows {first}–{last} of {total}"),
    "dl_more": ("另有 {n} 行未在本页显示：翻页查看，或下载完整列表", "{n} more rows are not on this page: turn the page or download the full list"),
    "dl_bad_page": ("页码应为正整数，收到“{value}”", "page must be a whole number from 1, got \"{value}\""),
    "dl_prev": ("上一页", "Previous page"), "dl_next": ("下一页", "Next page"),
    "dl_download_full": ("完整列表", "Full list"),
    "dl_office": ("下载公文格式", "Office layouts"),
    "dl_office_services_ledger": ("三服务问题台账（XLSX）", "Enterprise problem ledger (XLSX)"),
    "dl_office_tasks_table": ("任务分工方案（XLSX）", "Task decomposition table (XLSX)"),
    "dl_office_tasks_docx": ("任务分工方案（DOCX）", "Task decomposition table (DOCX)"),
    "dl_office_projects_ledger": ("重点项目台账（XLSX）", "Key project ledger (XLSX)"),
    "dl_warnings_more": ("另有 {n} 条预警未在此列出：请在项目、三服务问题与任务分工页面查看",
                         "{n} more warnings are not listed here: see the projects, problems and tasks pages"),
})
SUBJECT_TYPE.update({"project": ("项目", "Project"), "problem": ("三服务问题", "Enterprise problem"),
                     "work_item": ("工作任务", "Work item")})
# issue 14: store — the batch kinds of a delivery import and of one form/API edit (zhizao data batches, /data)
BATCH_KIND.update({"delivery": ("项目、三服务与任务数据", "projects, services and tasks data"),
                   "delivery_edit": ("项目、三服务与任务修改", "projects, services and tasks edit")})

# issue 14: cli (zhizao project|service|task …, zhizao/outputs/cli_delivery.py; delivery warnings in zhizao warnings)
CLI_DELIVERY_HEAD: dict[str, Pair] = {
    "project_id": ("项目编号", "Project"), "name": ("项目名称", "Name"), "cluster": ("产业集群", "Cluster"),
    "chain": ("产业链", "Chain"), "link": ("环节", "Link"), "district": ("区县", "District"), "park": ("园区", "Park"),
    "investor": ("投资主体", "Investor"), "planned_investment": ("计划总投资（万元）", "Planned investment (10k yuan)"),
    "planned_output": ("达产年产值（万元）", "Output at full production (10k yuan)"),
    "stage": ("当前阶段", "Stage"), "next_stage": ("下一阶段", "Next stage"), "next_planned": ("下一阶段计划", "Next planned"),
    "days_overdue": ("逾期天数", "Days overdue"), "cumulative_investment": ("累计投资（万元）", "Invested (10k yuan)"),
    "investment_share": ("投资完成（%）", "Invested (%)"), "schedule_share": ("时间进度（%）", "Time elapsed (%)"),
    "gap_pp": ("差距（百分点）", "Gap (pp)"), "status": ("状态", "Status"), "reasons": ("原因", "Why"),
    "group": ("分组", "Group"), "n": ("项目数", "Projects"), "share": ("占签约（%）", "Of signed (%)"),
    "year": ("年", "Year"), "month": ("月", "Month"), "investment": ("当月投资（万元）", "Investment (10k yuan)"),
    "output": ("当月产值（万元）", "Output (10k yuan)"),
    "problem_id": ("问题编号", "Problem"), "enterprise_name": ("企业", "Enterprise"), "category": ("类别", "Category"),
    "department": ("责任单位", "Responsible"), "raised": ("提出日期", "Raised"), "deadline": ("期限", "Deadline"),
    "resolved": ("办结日期", "Resolved"), "description": ("问题描述", "Problem"), "resolution": ("办理结果", "Resolution"),
    "days_open": ("已办天数", "Days open"), "open": ("待办", "Open"), "in_progress": ("办理中", "In progress"),
    "overdue": ("逾期", "Overdue"), "on_time_share": ("按期办结（%）", "On time (%)"),
    "median_resolution_days": ("办结天数中位数", "Median days"), "mean_resolution_days": ("平均办结天数", "Mean days"),
    "item_id": ("任务编号", "Item"), "task": ("规划任务", "Plan task"), "title": ("工作任务", "Work item"),
    "lead_names": ("牵头单位", "Lead"), "cooperating_names": ("配合单位", "Co-operating"), "start": ("开始", "Start"),
    "completion": ("完成（%）", "Done (%)"), "time_share": ("时间进度（%）", "Time (%)"),
    "last_report": ("最近报告", "Last report"), "n_reports": ("报告数", "Reports"),
    "next_milestone": ("下一节点", "Next milestone"), "done": ("已完成", "Done"), "on_track": ("正常", "On track"),
    "behind": ("滞后", "Behind"), "stalled": ("停滞", "Stalled"), "not_started": ("未开始", "Not started"),
    "mean_completion": ("平均完成（%）", "Mean done (%)"), "seq": ("序号", "No."), "due": ("时限", "Due"),
    "text": ("内容", "Text"), "date": ("日期", "Date"), "attachments": ("附件", "Attachments"),
    "reporter": ("报送人", "Reporter"), "report_id": ("报告编号", "Report"), "recorded_at": ("记录时间", "Recorded"),
    "actor": ("操作人", "By"), "kind": ("方式", "How"), "column": ("字段", "Field"), "before": ("原值", "Before"),
    "after": ("新值", "After"), "basis": ("分工依据", "Basis"), "overdue_n": ("逾期", "Overdue"),
    "resolved_n": ("已办结", "Resolved"), "done_n": ("已完成", "Done"), "n_problems": ("问题数", "Problems"),
    "n_items": ("任务数", "Items"), "next_planned_short": ("计划日期", "Planned"), "no": ("序号", "No."),
}
CLI_DELIVERY_RULE: dict[str, Pair] = {
    "project_stage_overdue": ("项目阶段逾期", "project stage overdue"),
    "project_investment_behind": ("项目投资滞后", "project investment behind schedule"),
    "problem_overdue": ("三服务问题逾期", "三服务 problem overdue"),
    "task_overdue": ("任务逾期", "work item overdue"), "task_behind": ("任务进度滞后", "work item behind schedule"),
    "task_stalled": ("任务停滞", "work item stalled"), "milestone_overdue": ("任务节点逾期", "milestone overdue"),
}
CLI_DELIVERY_KIND: dict[str, Pair] = {"delivery": ("导入", "import"), "delivery_edit": ("录入", "edit")}
CLI_DELIVERY_WORDS: dict[str, Pair] = {
    "synthetic_line": ("合成数据（演示用）：{source}", "SYNTHETIC data (demo): {source}"),
    "cols_dropped": ("终端较窄，略去：{cols}（--format csv 输出全部列）",
                     "narrow terminal: {cols} left out (--format csv gives every column)"),
    "plan_tasks_line": ("任务分工：规划原文所列（{n} 项）", "Work items: as the plan's text gives them ({n})"),
    "source": ("数据来源", "Data source"), "as_of": ("判断日期", "judged on"),
    "no_rows": ("没有符合条件的记录", "nothing matches"),
    "no_tasks": ("本规划未列任务分工：可用 zhizao task import 导入任务分工方案",
                 "this plan has no task decomposition: import one with zhizao task import"),
    "projects_title": ("重点项目 {n} 个（截至 {as_of}）", "{n} projects (as of {as_of})"),
    "funnel_title": ("项目推进漏斗（截至 {as_of}）", "Project funnel (as of {as_of})"),
    "problems_title": ("三服务问题 {n} 个（截至 {as_of}）", "{n} 三服务 problems (as of {as_of})"),
    "summary_title": ("三服务问题办理情况（按{by}，截至 {as_of}）", "三服务 problems by {by} (as of {as_of})"),
    "items_title": ("任务分工 {n} 项（截至 {as_of}）", "{n} work items (as of {as_of})"),
    "progress_title": ("任务进展（按{by}，截至 {as_of}）", "Work item progress by {by} (as of {as_of})"),
    "by_whole": ("全域", "whole area"), "by_cluster": ("产业集群", "cluster"), "by_district": ("区县", "district"),
    "by_department": ("牵头单位", "lead unit"),
    "by_responsible": ("责任单位", "responsible unit"), "by_category": ("问题类别", "category"), "by_task": ("规划任务", "plan task"),
    "show_progress": ("投资与产值（逐月）", "Investment and output by month"), "show_history": ("修改记录", "Changes"),
    "show_milestones": ("节点", "Milestones"), "show_reports": ("进展报告", "Progress reports"),
    "none": ("无", "none"), "stage_none": ("未签约", "not signed"),
    "stored_line": ("已记录（批次 {batch}，操作人 {actor}）：{what}", "stored (batch {batch}, by {actor}): {what}"),
    "edit_refused": ("未保存：发现 {n} 个问题，数据库未改变", "not stored: {n} problem(s), nothing was written"),
    "imported_line": ("已导入项目、三服务与任务数据（批次 {batch}）：{rows}",
                      "imported project, 三服务 and task data (batch {batch}): {rows}"),
    "rows": ("{frame} {n} 行", "{frame} {n} rows"),
    "warn_source": ("项目、三服务与任务预警的数据：", "Project, 三服务 and task warnings from: "),
    "warn_title_delivery": ("{n} 条项目、三服务与任务预警（{origin}{period}）",
                            "{n} project, 三服务 and task warnings ({origin}{period})"),
    "sheet": ("{title}", "{title}"),
}
TABLES.update({"cli_delivery_head": CLI_DELIVERY_HEAD, "cli_delivery_rule": CLI_DELIVERY_RULE,
               "cli_delivery_kind": CLI_DELIVERY_KIND, "cli_delivery_words": CLI_DELIVERY_WORDS})

# issue 14: data fix — the grade of an office's own register (imported project register, enterprise registry):
# not a published text, so never "A 政府网站原文"; ranked with B (zhizao.analytics.selection.GRADE_RANK)
GRADE["R"] = ("R 本单位台账（导入的管理数据，非公开发布）", "R: an office's own register (imported records, not published)")
GRADE_SHORT["R"] = ("R 本单位台账", "R own register")
# `zhizao data withdraw` of a batch that is not observations: what it held and what withdrawing it does
WITHDRAW_WORDS: dict[str, Pair] = {
    "head": ("已撤回：批次 {batch}（{what}），{when}；", "withdrawn: batch {batch} ({what}) on {when}; "),
    "file": ("文件 {file}", "file {file}"),
    "rows": ("{n} 行", "{n} rows"),
    "delivery": ("本批次的记录回到此前的版本，本批次新建的记录不再显示；修改记录仍在 zhizao project|service|task show 中",
                 "its rows go back to their previous versions and rows it created no longer show; the change "
                 "history stays in zhizao project|service|task show"),
    "enterprise": ("其企业数据不再参与分析与评估（未撤回的批次照常）",
                   "its enterprise data no longer count in analyses and the assessment (other batches still do)"),
    "chain": ("其产业链数据不再参与分析（未撤回的批次照常）",
              "its chain data no longer count in analyses (other batches still do)"),
}
TABLES["withdraw_words"] = WITHDRAW_WORDS
BATCH_KIND.setdefault("chain", ("产业链数据", "chain data"))
# issue 14: fix-cli (zhizao warnings naming every kind it lists; the change history in words; the headers of
# the plain workbook dumps of project|service|task show, funnel, summary and progress)
CLI_DELIVERY_WORDS.update({
    "warn_no_monitoring_list": ("没有监测数据，只列出{what}。{reason}", "No monitoring data, so only {what} are listed. {reason}"),
    "warn_kind_chain": ("产业链预警", "the chain warnings"),
    "warn_kind_enterprise": ("企业、园区与绿色预警", "the enterprise, park and green warnings"),
    "warn_kind_delivery": ("项目、三服务与任务预警", "the project, 三服务 and task warnings"),
    "warn_kind_sep": ("，", ", "), "warn_kind_and": ("以及", " and "),
    "history_created": ("新建", "created"),
    "history_withdrawn": ("已撤回", "withdrawn"),
    "show_project": ("项目", "Project"), "show_problem": ("问题", "Problem"), "show_item": ("工作任务", "Work item"),
})
CLI_DELIVERY_HEAD.update({
    "stage_overdue": ("阶段逾期", "Stage overdue"), "investment_behind": ("投资滞后", "Investment behind"),
    "slip_signed": ("签约偏差（天）", "Signing slip (days)"), "slip_started": ("开工偏差（天）", "Start slip (days)"),
    "slip_production": ("投产偏差（天）", "Production slip (days)"),
    "slip_full_production": ("达产偏差（天）", "Full production slip (days)"),
    "department_name": ("责任单位名称", "Responsible unit"), "district_name": ("区县名称", "District name"),
    "on_time": ("按期办结", "Resolved on time"), "resolution_days": ("办结天数", "Days to resolve"),
    "days_since_report": ("距最近报告（天）", "Days since last report"),
    "next_milestone_due": ("下一节点时限", "Next milestone due"), "next_milestone_text": ("下一节点内容", "Next milestone"),
    "overdue_milestones": ("逾期节点数", "Milestones overdue"), "task_section": ("规划章节", "Plan section"),
    "task_title": ("规划任务名称", "Plan task title"), "title_en": ("英文名称", "English title"),
    "frame": ("数据表", "Table"), "key": ("编号", "Key"), "batch_id": ("批次", "Batch"),
    "withdrawn": ("已撤回", "Withdrawn"), "change": ("变动", "Change"),
    "note": ("备注", "Note"), "state": ("办理状态（截至判断日）", "State (as of)"),
})
