"""Enterprise data files: the registry with its dated tags, yearly figures, 专精特新 inputs, parks and the
area energy/water statistics (issue 13; the frames of zhizao/ingest/enterprise_frames.py).

One XLSX workbook with any of the sheets 企业名录 / 企业标签 / 年度指标 / 专精特新 / 园区 / 能耗水耗 (or registry /
tags / annual / srdi / parks / green), or CSV files (UTF-8 or GBK) one per frame, recognised by their
headers. `read_enterprise_files` checks every row against the plan (districts, park tiers, credit codes,
vocabularies, dates, amounts, references between the frames) and returns the frames present or every
problem at once, each naming file, sheet, row and column (docs/data-import.md §Enterprise data).

Large CSV files (FAST_CSV_BYTES and more) are parsed by pandas' C reader and checked column by column,
so that 500,000 registry rows and 1.5 million yearly rows read in seconds; smaller files and workbooks
go through the row reader the chain import uses. Nothing here writes.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from zhizao.codes import uscc
from zhizao.plan.spec import Plan

from .cells import (BOOL_WORDS, YEAR_MAX, YEAR_MIN, Area, Table, check_required, date_cells, duplicates, is_filled,
                    number_cells, report_rows, text_cells, vocabulary, word_key)
from .cells import parse_date  # noqa: F401 - read as enterprises.parse_date (tests/ingest)
from .chains import uscc_reason  # the same wording as the chain import
from .enterprise_frames import ANNUAL_MEASURES, ANNUAL_UNITS, FRAMES, EnterpriseData, _dtype
from .table import HEADER_SCAN_ROWS, MAX_COLUMNS, ImportProblem, TableReadError, _csv_records, _norm_header
from .table import _shorten, decode_bytes
from .workbook import MAX_AMOUNT, FormulaCell, Problems, Sheet, clean, files_sha256, xlsx_sheets

FILE_PROBLEMS = ("unreadable_file", "no_header", "unknown_table")  # a table may hide behind these
FAST_CSV_BYTES = 4 << 20  # CSV files this large are parsed column-wise (pandas); smaller ones row by row
DATE_MIN_YEAR = 1000  # an 老字号's founding date may be centuries old; tag dates keep YEAR_MIN–YEAR_MAX
NAME_MAX = 200  # characters of an enterprise's or park's name (registered names are far shorter)
# control characters (Unicode Cc) and the bidi marks, embeddings, overrides and isolates
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
LOCAL_POINTS_MAX = 15.0  # 特色化 points: at most 15 (工信部企业〔2022〕63号); the analytics cap by setting

FRAME_NAMES = {  # frame → (中文, English) as messages and sheets name it
    "registry": ("企业名录", "registry"), "tags": ("企业标签", "tags"), "annual": ("年度指标", "annual"),
    "srdi": ("专精特新", "srdi"), "parks": ("园区", "parks"), "green": ("能耗水耗", "green"),
}
SHEET_NAMES = {
    "registry": ("企业名录", "registry", "企业", "企业清单", "企业名单", "enterprises"),
    "tags": ("企业标签", "tags", "标签", "企业称号", "认定情况"),
    "annual": ("年度指标", "annual", "年度数据", "亩均数据", "企业年度指标"),
    "srdi": ("专精特新", "srdi", "专精特新指标", "专精特新评价"),
    "parks": ("园区", "parks", "园区名录", "园区清单"),
    "green": ("能耗水耗", "green", "能耗", "能耗双控", "能耗和水耗"),
}
_IGNORED = ("序号", "no.", "no", "备注", "note", "notes", "说明")
_ENTERPRISE_NAME = ("企业名称", "name", "enterprise name", "名称")  # beside an id: for people, not stored
_ID = ("enterprise_id", "统一社会信用代码", "企业代码", "社会信用代码", "信用代码", "credit code", "credit_code", "uscc")
_YEAR = ("year", "年份", "年度", "统计年度", "年")
COLUMN_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "registry": {
        "enterprise_id": _ID,
        "name": ("name", "企业名称", "名称", "enterprise name"),
        "district": ("district", "所在区县", "区县", "区县代码", "所在地代码", "所在地", "行政区划代码", "district code"),
        "park": ("park", "所在园区", "园区", "所属园区", "园区代码", "park id"),
        "industry_class": ("industry_class", "行业代码", "国民经济行业代码", "行业分类代码", "所属行业代码", "行业分类",
                           "industry class", "industry code"),
        "size": ("size", "企业规模", "规模", "规模类型", "企业规模类型", "enterprise size"),
        "established": ("established", "成立日期", "成立时间", "注册日期", "date established"),
    },
    "tags": {
        "enterprise_id": _ID, "_ignore": _ENTERPRISE_NAME,
        "tag": ("tag", "标签", "企业标签", "称号", "认定类型", "资质"),
        "level": ("level", "级别", "认定级别", "层级"),
        "acquired": ("acquired", "认定日期", "获得日期", "取得日期", "认定时间", "date acquired"),
        "lost": ("lost", "失效日期", "取消日期", "撤销日期", "摘牌日期", "date lost"),
    },
    "annual": {
        "enterprise_id": _ID, "_ignore": _ENTERPRISE_NAME, "year": _YEAR,
        "land_area": ("land_area", "land area", "land area (mu)", "用地面积（亩）", "用地面积", "占地面积（亩）"),
        "revenue": ("revenue", "营业收入（万元）", "营业收入", "销售收入（万元）"),
        "main_revenue": ("main_revenue", "main revenue", "主营业务收入（万元）", "主营业务收入"),
        "value_added": ("value_added", "value added", "增加值（万元）", "工业增加值（万元）", "增加值", "工业增加值"),
        "tax": ("tax", "税收（万元）", "税收", "实缴税金（万元）", "实缴税金", "税收实际贡献（万元）", "纳税总额（万元）"),
        "energy": ("energy", "综合能耗（吨标准煤）", "综合能耗", "能耗（吨标准煤）", "综合能源消费量（吨标准煤）"),
        "electricity": ("electricity", "用电量（万千瓦时）", "用电量", "用电（万千瓦时）"),
        "water": ("water", "用水量（立方米）", "用水量", "取水量（立方米）"),
        "emissions": ("emissions", "主要污染物排放量（吨）", "污染物排放量（吨）", "排放量（吨）", "排放量"),
        "rd_expense": ("rd_expense", "r&d expense", "研发经费（万元）", "研发费用（万元）", "研发经费支出（万元）",
                       "r&d经费（万元）", "研发经费", "研发费用"),
        "employees": ("employees", "从业人员（人）", "从业人员", "从业人员平均人数", "年平均职工人数", "职工人数"),
        "net_profit": ("net_profit", "net profit", "净利润（万元）", "净利润"),
        "assets": ("assets", "资产总额（万元）", "资产总额", "总资产"),
        "liabilities": ("liabilities", "负债总额（万元）", "负债总额", "总负债"),
        "investment": ("investment", "固定资产投资（万元）", "投资额（万元）", "累计投资（万元）", "固定资产投资"),
        "env_violations": ("env_violations", "环保违法次数", "环境违法次数", "环保处罚次数"),
        "quality_failures": ("quality_failures", "质量抽检不合格次数", "质量不合格次数"),
        "safety_violations": ("safety_violations", "安全生产违法次数", "安全违法次数", "安全事故次数"),
        "obsolete_equipment": ("obsolete_equipment", "淘汰类设备", "使用淘汰类设备", "使用淘汰类工艺设备", "淘汰类工艺设备"),
    },
    "srdi": {
        "enterprise_id": _ID, "_ignore": _ENTERPRISE_NAME, "year": _YEAR,
        "niche_years": ("niche_years", "从事细分市场年限（年）", "从事细分市场年限", "细分市场年限", "从事特定细分市场时间（年）"),
        "product_field": ("product_field", "主导产品领域", "产品领域", "主导产品所属领域"),
        "digital_level": ("digital_level", "数字化水平", "数字化水平等级"),
        "quality_items": ("quality_items", "质量项目数", "质量荣誉与认证数", "质量奖项及认证数"),
        "ip_class": ("ip_class", "知识产权类别", "最高知识产权类别", "知识产权"),
        "rd_staff_share": ("rd_staff_share", "研发人员占比（%）", "研发人员占比", "研发人员占比(%)"),
        "rd_institution": ("rd_institution", "研发机构级别", "研发机构"),
        "equity_financing": ("equity_financing", "股权融资（万元）", "近两年股权融资（万元）", "股权融资"),
        "local_points": ("local_points", "特色化指标得分", "特色化得分", "地方特色指标得分"),
        "direct_pass": ("direct_pass", "直通条件", "直通理由", "直接认定条件"),
    },
    "parks": {
        "park_id": ("park_id", "园区代码", "园区编号", "园区编码", "park id"),
        "name": ("name", "园区名称", "名称", "park name"),
        "tier": ("tier", "层级", "园区层级", "园区类别", "类别", "级别"),
        "districts": ("districts", "所在区县", "涉及区县", "区县", "区县代码"),
        "area": ("area", "面积（亩）", "规划面积（亩）", "园区面积（亩）", "面积", "area (mu)"),
        "leading_industries": ("leading_industries", "主导产业", "主导产业代码", "主导产业（行业代码）", "leading industries"),
        "target_investment_per_mu": ("target_investment_per_mu", "投资强度目标（万元/亩）", "亩均投资目标（万元/亩）",
                                     "投资强度（万元/亩）"),
        "target_output_per_mu": ("target_output_per_mu", "亩均产出目标（万元/亩）", "亩均产值目标（万元/亩）",
                                 "亩均产出（万元/亩）", "产出强度目标（万元/亩）"),
        "target_tax_per_mu": ("target_tax_per_mu", "亩均税收目标（万元/亩）", "亩均税收（万元/亩）"),
    },
    "green": {
        "area": ("area", "地区", "地区代码", "区域", "区域代码", "行政区划代码", "区县", "区县代码"), "year": _YEAR,
        "energy": ("energy", "能源消费量（万吨标准煤）", "综合能耗（万吨标准煤）", "规上工业能耗（万吨标准煤）", "能耗（万吨标准煤）"),
        "water": ("water", "用水量（万立方米）", "规上工业用水量（万立方米）"),
        "value_added": ("value_added", "value added", "工业增加值（亿元）", "规上工业增加值（亿元）", "增加值（亿元）"),
        "va_real_growth": ("va_real_growth", "增加值可比增速（%）", "工业增加值增速（%）", "可比价增速（%）",
                           "工业增加值可比增速（%）"),
    },
}
# Each frame's columns as the template writes them and messages name them: the Chinese word and, for a
# quantity, its unit (docs/data-import.md §Enterprise data). "word（unit）" and "key (unit)" are accepted
# headers, as is any alias above followed by the column's unit in Chinese or English (用地面积（亩）,
# land area (mu)); a money column may add its price basis after the unit (增加值（亿元，当年价）).
COLUMN_WORDS: dict[str, dict[str, str]] = {
    "registry": {"enterprise_id": "统一社会信用代码", "name": "企业名称", "district": "所在区县", "park": "所在园区",
                 "industry_class": "行业代码", "size": "企业规模", "established": "成立日期"},
    "tags": {"enterprise_id": "统一社会信用代码", "tag": "标签", "level": "级别", "acquired": "认定日期",
             "lost": "失效日期"},
    "annual": {"enterprise_id": "统一社会信用代码", "year": "年份", "land_area": "用地面积", "revenue": "营业收入",
               "main_revenue": "主营业务收入", "value_added": "增加值", "tax": "税收", "energy": "综合能耗",
               "electricity": "用电量", "water": "用水量", "emissions": "主要污染物排放量", "rd_expense": "研发经费",
               "employees": "从业人员", "net_profit": "净利润", "assets": "资产总额", "liabilities": "负债总额",
               "investment": "固定资产投资", "env_violations": "环保违法次数", "quality_failures": "质量抽检不合格次数",
               "safety_violations": "安全生产违法次数", "obsolete_equipment": "使用淘汰类设备"},
    "srdi": {"enterprise_id": "统一社会信用代码", "year": "年份", "niche_years": "从事细分市场年限",
             "product_field": "主导产品领域", "digital_level": "数字化水平", "quality_items": "质量项目数",
             "ip_class": "知识产权类别", "rd_staff_share": "研发人员占比", "rd_institution": "研发机构级别",
             "equity_financing": "股权融资", "local_points": "特色化指标得分", "direct_pass": "直通条件"},
    "parks": {"park_id": "园区代码", "name": "园区名称", "tier": "层级", "districts": "所在区县", "area": "面积",
              "leading_industries": "主导产业", "target_investment_per_mu": "投资强度目标",
              "target_output_per_mu": "亩均产出目标", "target_tax_per_mu": "亩均税收目标"},
    "green": {"area": "地区代码", "year": "年份", "energy": "能源消费量", "water": "用水量", "value_added": "工业增加值",
              "va_real_growth": "工业增加值可比增速"},
}
GREEN_UNITS = {"energy": "万吨标准煤", "water": "万立方米", "value_added": "亿元", "va_real_growth": "%"}
REQUIRED = {"registry": ("enterprise_id", "name", "district"), "tags": ("enterprise_id", "tag", "acquired"),
            "annual": ("enterprise_id", "year"), "srdi": ("enterprise_id", "year"), "parks": ("park_id", "name"),
            "green": ("area", "year")}
_COUNTS = ("env_violations", "quality_failures", "safety_violations")  # 次: written without a unit
COLUMN_UNITS: dict[str, dict[str, str]] = {  # the unit a header states (a column absent here has none)
    "registry": {"industry_class": "GB/T 4754-2017"},
    "annual": {k: ("是/否" if k == "obsolete_equipment" else u) for k, u in ANNUAL_UNITS.items() if k not in _COUNTS},
    "srdi": {"niche_years": "年", "digital_level": "级", "quality_items": "项", "rd_staff_share": "%",
             "equity_financing": "万元", "local_points": "分"},
    "parks": {"area": "亩", "target_investment_per_mu": "万元/亩", "target_output_per_mu": "万元/亩",
              "target_tax_per_mu": "万元/亩"},
    "green": dict(GREEN_UNITS),
}
UNITS_EN = {"亩": "mu", "万元": "10k yuan", "亿元": "100m yuan", "吨标准煤": "tce", "万吨标准煤": "10k tce",
            "万千瓦时": "10k kWh", "立方米": "m³", "万立方米": "10k m³", "吨": "t", "人": "persons", "次": "times",
            "是/否": "yes/no", "0/1": "0/1", "年": "years", "级": "level", "项": "items", "%": "%", "分": "points",
            "万元/亩": "10k yuan/mu", "GB/T 4754-2017": "GB/T 4754-2017"}
_MORE_UNITS = {"次": ("次", "times"), "0/1": ("0/1", "是/否", "yes/no"), "是/否": ("0/1", "是/否", "yes/no"),
               "立方米": ("m3", "立方米"), "万立方米": ("10k m3", "万立方米")}
PRICE_BASIS = {  # words after a money column's unit: the price basis (value added at current prices)
    "current": ("当年价", "现价", "当年价格", "现行价格", "现行价", "current prices", "current price", "current"),
    "constant": ("可比价", "不变价", "可比价格", "不变价格", "constant prices", "comparable prices"),
}
HEADER_BASIS = {("green", "value_added"): ("当年价", "current prices")}  # stated in the template's header


def _header(frame: str, key: str, lang: str) -> str:
    word = key if lang == "en" else COLUMN_WORDS[frame][key]
    unit = COLUMN_UNITS.get(frame, {}).get(key)
    if unit is None:
        return word
    basis = HEADER_BASIS.get((frame, key))
    if lang == "en":
        return f"{word} ({UNITS_EN[unit]}{', ' + basis[1] if basis else ''})"
    return f"{word}（{unit}{'，' + basis[0] if basis else ''}）"


COLUMN_ZH = {f: {k: _header(f, k, "zh") for k in FRAMES[f]} for f in FRAMES}  # 用地面积（亩）
COLUMN_EN = {f: {k: _header(f, k, "en") for k in FRAMES[f]} for f in FRAMES}  # land_area (mu)
NOTES_SHEETS = ("说明", "About", "填表说明", "使用说明", "notes", "readme")  # a workbook's notes: not read
_NOTES = {_norm_header(n) for n in NOTES_SHEETS}
for _f, _aliases in COLUMN_ALIASES.items():
    for _k in FRAMES[_f]:
        _aliases[_k] = (*_aliases[_k], COLUMN_WORDS[_f][_k], COLUMN_ZH[_f][_k], COLUMN_EN[_f][_k])
    _aliases["_ignore"] = tuple(_aliases.get("_ignore", ())) + _IGNORED
_LOOKUP = {f: {_norm_header(a): k for k, names in cols.items() for a in names} for f, cols in COLUMN_ALIASES.items()}
_ANY = set().union(*(set(m) - {_norm_header(a) for a in _IGNORED} for m in _LOOKUP.values()))
_UNIT = re.compile(r"^(?P<base>.+?)\((?P<unit>[^()]*)\)$")
# an alias written with its unit, by its words alone (用地面积 → land_area): "用地面积（公顷）" is told the unit
_BASE_LOOKUP = {f: {m.group("base"): k for a, k in lookup.items() if (m := _UNIT.match(a)) and k != "_ignore"}
                for f, lookup in _LOOKUP.items()}


def _units_ok(frame: str, key: str) -> set[str]:
    unit = COLUMN_UNITS.get(frame, {}).get(key) or ("次" if key in _COUNTS else None)
    if unit is None:
        return set()
    return {_norm_header(u) for u in (unit, UNITS_EN[unit], *_MORE_UNITS.get(unit, ()))}


def _basis_ok(frame: str, key: str) -> set[str]:
    unit = COLUMN_UNITS.get(frame, {}).get(key)
    kind = "current" if unit in ("万元", "亿元") else "constant" if key == "va_real_growth" else None
    return {_norm_header(w) for w in PRICE_BASIS[kind]} if kind else set()


def header_key(frame: str, header: str) -> tuple[str | None, tuple[str, str] | None]:
    """The column a header names in `frame`: (key, None); (None, (zh, en) why) for one of the frame's
    columns in another unit or price basis; (None, None) when it names none ("_ignore" for 序号/备注)."""
    norm = _norm_header(header)
    key = _LOOKUP[frame].get(norm)
    if key is not None:
        return key, None
    m = _UNIT.match(norm)
    if m is None:
        return None, None
    key = _LOOKUP[frame].get(m.group("base")) or _BASE_LOOKUP[frame].get(m.group("base"))
    units = _units_ok(frame, key) if key and key != "_ignore" else set()
    if not units:
        return None, None
    unit, basis = (re.split(r"[,、;]", m.group("unit"), maxsplit=1) + [""])[:2]
    return _unit_verdict(frame, key, units, unit, basis)


def _unit_verdict(frame: str, key: str, units: set[str], unit: str, basis: str):
    want = COLUMN_UNITS.get(frame, {}).get(key) or "次"
    if unit not in units:
        return None, (f"单位须为“{want}”：请把数值换算为{want}并改写表头（如“{COLUMN_ZH[frame][key]}”）",
                      f"the unit must be '{UNITS_EN[want]}' ({want}): convert the values and rename the column "
                      f"(e.g. '{COLUMN_EN[frame][key]}')")
    if basis and basis not in _basis_ok(frame, key):
        if key == "va_real_growth":
            return None, ("增速须按可比价计算：表头中的价格口径请写“可比价”或不写",
                          "the growth rate is at constant prices: write 可比价 (constant prices) or nothing")
        return None, ("金额须为当年价（现价）：请换算为当年价，表头中的价格口径写“当年价”或不写",
                      "amounts are at current prices: convert them, and write 当年价 (current prices) or nothing "
                      "after the unit")
    return key, None


WHOLE = frozenset({"employees", "env_violations", "quality_failures", "safety_violations", "obsolete_equipment",
                   "quality_items", "digital_level"})


def _words(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {word_key(w): key for key, words in table.items() for w in (key, *words)}


TAG_WORDS = _words({
    "chain_leader": ("链主", "链主企业", "chain leader"),
    "srdi_sme": ("专精特新中小企业", "专精特新", "专精特新企业", "srdi sme"),
    "little_giant": ("小巨人", "专精特新小巨人", "专精特新小巨人企业", "小巨人企业", "little giant"),
    "single_champion": ("单项冠军", "制造业单项冠军", "单项冠军企业", "制造业单项冠军企业", "single champion"),
    "high_tech": ("高新技术企业", "高企", "high tech", "high-tech"),
    "tech_sme": ("科技型企业", "科技型中小企业", "tech sme"),
    "innovative_sme": ("创新型中小企业", "innovative sme"),
    "above_scale": ("规上", "规上企业", "规模以上", "规模以上工业企业", "规模以上企业", "above scale"),
})
# 省级 is the plan area's own level in a province's plan, as 市级 is in a municipality's
LEVEL_WORDS = _words({"national": ("国家级", "国家", "national"), "municipal": ("市级", "省级", "省市级", "provincial"),
                      "": ("无", "-", "—")})
_LEVEL_PREFIXES = (("国家级", "national"), ("省级", "municipal"), ("市级", "municipal"), ("国家", "national"))
SIZE_WORDS = _words({"large": ("大型", "大", "大型企业"), "medium": ("中型", "中", "中型企业"),
                     "small": ("小型", "小", "小型企业"), "micro": ("微型", "微", "微型企业")})
DIGITAL_WORDS = {word_key(w): float(i) for i, ws in ((1, ("一级", "1级")), (2, ("二级", "2级")), (3, ("三级", "3级")))
                 for w in ws}
PRODUCT_WORDS = _words({"key": ("补短板", "锻长板", "填空白", "补短板/锻长板/填空白"),
                        "foundation": ("工业六基", "工业“六基”", "老字号", "配套龙头", "六基"), "": ("其他", "无", "other")})
IP_WORDS = _words({"1_high_value": ("Ⅰ类高价值", "I类高价值", "一类高价值", "高价值Ⅰ类", "高价值"),
                   "1_own": ("自主研发Ⅰ类", "自主研发I类", "自主研发一类"), "1": ("Ⅰ类", "I类", "一类"),
                   "2": ("Ⅱ类", "II类", "二类"), "": ("无", "none")})
INSTITUTION_WORDS = _words({"national": ("国家级",), "provincial": ("省级",), "municipal": ("市级",),
                            "below": ("市级以下", "区县级", "区级", "县级"), "": ("无", "none")})
NONE_WORDS = {word_key(w) for w in ("无", "否", "-", "—", "none", "no")}
_SPLIT = re.compile(r"[;；,，、/\s]+")
_INDUSTRY = re.compile(r"[A-Ta-t]?(\d{2,4})")
_LINE_END = re.compile(r"\r\n|\r|\n")


# --- reading ------------------------------------------------------------------------------------------
class _ETable(Table):
    """An enterprise table: a column it lacks is named as the template writes it (用地面积（亩）)."""

    def label(self, key: str) -> str:
        return self.shown.get(key, COLUMN_ZH[self.frame].get(key, key))


def _header_index(rows: list[tuple[int, list[str]]]) -> int | None:
    for i, (_, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        if len({_norm_header(c) for c in cells} & _ANY) >= 2:
            return i
    return None


def _which_frame(header: list[str], sheet: str | None) -> str | None:
    if sheet is not None:
        name = _norm_header(sheet)
        for frame, names in SHEET_NAMES.items():
            if name in {_norm_header(n) for n in names}:
                return frame
    norms = [_norm_header(c) for c in header]
    best, score = None, (0, 0)
    for frame, lookup in _LOOKUP.items():  # FRAMES' order breaks ties: annual before srdi
        keys = {lookup[n] for n in norms if n in lookup} - {"_ignore"}
        s = (all(k in keys for k in REQUIRED[frame]), len(keys))
        if s > score:
            best, score = frame, s
    return best if score[1] >= 2 else None


def _csv_head(text: str) -> tuple[str, list[tuple[int, list[str], int]]]:
    """The delimiter (as _csv_records judges it) and the first records with the lines they end on."""
    head = text[:65536].splitlines()[:HEADER_SCAN_ROWS]
    tabs = sum("\t" in line for line in head)
    delimiter = "\t" if tabs > sum("," in line and "\t" not in line for line in head) else ","
    reader = csv.reader(io.StringIO(text[:1 << 20], newline=""), delimiter=delimiter)
    out = []
    try:
        for n, cells in enumerate(reader, start=1):
            out.append((n, cells, reader.line_num))
            if n >= HEADER_SCAN_ROWS:
                break
    except csv.Error:
        pass
    return delimiter, out


def _fast_csv(text: str, name: str, problems: Problems) -> list[tuple[Sheet, str, pd.DataFrame]] | None:
    """A large CSV through pandas' C parser: (sheet, frame, cells by header position), or None when
    the row reader must take it (no header found, a multi-line cell above the data, ragged rows)."""
    delimiter, head = _csv_head(text)
    rows = [(n, cells) for n, cells, _ in head if any(c.strip() for c in cells)]
    h = _header_index(rows)
    if h is None:
        return None
    number, header = rows[h]
    lines = next(line for n, _, line in head if n == number)
    frame = _which_frame(header, None)
    if frame is None or lines != number:
        return None
    keys = [header_key(frame, c)[0] for c in header]
    text_cols = {p for p, k in enumerate(keys) if k in (None, "_ignore") or _dtype(frame, k) == "object"}
    try:
        data = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, names=range(len(header)), skiprows=lines,
                           dtype={p: str for p in text_cols}, keep_default_na=False, na_values=[""],
                           skip_blank_lines=False, engine="c", low_memory=False)
    except (pd.errors.ParserError, ValueError, OverflowError):
        return None
    data.index = np.arange(number + 1, number + 1 + len(data))
    src = Sheet(name, None, number, [c.strip() for c in header], [])  # headers as written
    # The parser pads a row cut short with blanks: a row whose last cell is blank is counted again.
    last = data[len(header) - 1]
    suspect = ~is_filled(last) & _filled_rows(data)
    if suspect.any():
        body = _LINE_END.split(text)[lines:]
        if body and body[-1] == "":
            body.pop()
        if len(body) != len(data):
            return None  # a cell spanning lines: rows and lines differ
        short = []
        for k in np.nonzero(suspect)[0]:
            cells = next(csv.reader([body[k]], delimiter=delimiter), [])
            if len(cells) < len(header):
                short.append(k)
                lost = [h or f"(第{p + 1}列)" for p, h in enumerate(src.header) if p >= len(cells)]
                problems.add(src, name, int(data.index[k]), None, None, "missing_fields",
                             f"只有{len(cells)}个字段，缺少“{'、'.join(lost)}”列：该行可能被截断，请补全或删除该行",
                             f"has only {len(cells)} fields; the columns {', '.join(lost)} are missing: the row "
                             "looks cut off; complete or delete it")
        if short:
            data = data.drop(index=data.index[short])
    return [(src, frame, data)]


def _filled_rows(data: pd.DataFrame) -> np.ndarray:
    filled = np.zeros(len(data), dtype=bool)
    for c in data.columns:
        filled |= is_filled(data[c])
    return filled


def _records_frame(records: list[tuple[int, list[str]]]) -> tuple[list[tuple[int, list[str]]], int | None]:
    rows = [(n, [c if isinstance(c, str) else str(c) for c in cells]) for n, cells in records
            if any(str(c).strip() or isinstance(c, FormulaCell) for c in cells)]
    return rows, _header_index(rows)


def _row_tables(name: str, sheet: str | None, records, problems: Problems, workbook: bool
                ) -> list[tuple[Sheet, str, pd.DataFrame]]:
    """A sheet or small CSV read row by row: (sheet, frame, cells by header position); short rows and
    cells beyond the header reported as the chain import does."""
    rows, h = _records_frame(records)
    if h is None:
        if workbook and _which_frame([], sheet) is None:
            return []  # a sheet of notes (说明) beside the tables
        problems.add(Sheet(name, sheet, 1, [], []), name, None, None, None, "no_header",
                     f"找不到表头行：前{HEADER_SCAN_ROWS}行中没有一行含两个以上可识别的列名（如 统一社会信用代码、企业名称、"
                     "年份、园区代码）；列名见 docs/data-import.md §Enterprise data",
                     f"no header row: none of the first {HEADER_SCAN_ROWS} rows names two known columns "
                     "(enterprise_id, name, year, park_id …); see docs/data-import.md §Enterprise data")
        return []
    number, header = rows[h]
    src = Sheet(name, sheet, number, [c.strip() for c in header], rows[h + 1:])
    frame = _which_frame(src.header, sheet)
    if frame is None:
        return [(src, "", pd.DataFrame())]
    width = len(header)
    while width and not header[width - 1].strip() and not any(len(c) >= width and c[width - 1].strip()
                                                              for _, c in src.rows):
        width -= 1
    numbers, kept = [], []
    for n, raw in src.rows:
        extra = " | ".join(c.strip() for c in raw[width:] if c.strip())
        if extra:
            problems.add(src, name, n, None, extra, "extra_cells", "表头之外还有内容：请删除或为其添加表头",
                         "there are cells beyond the last header; delete them or give them a header")
        if len(raw) < width and workbook:
            raw = raw + [""] * (width - len(raw))  # a workbook leaves trailing empty cells out
        elif len(raw) < width:
            lost = [src.header[p] or f"(第{p + 1}列)" for p in range(len(raw), width)]
            problems.add(src, name, n, None, None, "missing_fields",
                         f"只有{len(raw)}个字段，缺少“{'、'.join(lost)}”列：该行可能被截断，请补全或删除该行",
                         f"has only {len(raw)} fields; the columns {', '.join(lost)} are missing: the row looks "
                         "cut off; complete or delete it")
            continue
        numbers.append(n)
        kept.append(raw[:width])
        if workbook:
            _formulas(src, frame, n, raw[:width], problems)
    data = pd.DataFrame(kept, columns=range(width), index=np.array(numbers, dtype=np.int64), dtype=object) \
        if kept else pd.DataFrame(columns=range(width), dtype=object)
    src.header = src.header[:width]
    return [(src, frame, data)]


def _formulas(src: Sheet, frame: str, n: int, cells: list[str], problems: Problems) -> None:
    """A formula Excel never computed (FormulaCell) is reported as such, not as an empty cell."""
    for p, cell in enumerate(cells):
        if isinstance(cell, FormulaCell) and header_key(frame, src.header[p])[0] != "_ignore":
            problems.add(src, src.file, n, src.header[p] or f"(第{p + 1}列)", cell.formula, "formula",
                         "单元格含公式，zhizao 不计算公式：请在Excel中复制该列并“选择性粘贴→数值”（代码等粘贴为文本）后重新导入",
                         "the cell holds a formula, which zhizao does not evaluate: copy the column in Excel and "
                         "paste it as values (codes as text), then import again")


def _file_tables(path: Path, problems: Problems) -> list[tuple[Sheet, str, pd.DataFrame]]:
    name = path.name[:200]
    try:
        data = path.read_bytes()
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        problems.add(None, name, None, None, None, "unreadable_file", f"无法打开文件（{why}）",
                     f"cannot open the file ({why})")
        return []
    try:
        if path.suffix.lower() == ".xls" or data[:4] == b"\xd0\xcf\x11\xe0":
            raise TableReadError("不支持旧版.xls文件，请另存为.xlsx或CSV", "old .xls files are not supported; save as .xlsx or CSV")
        if path.suffix.lower() in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
            out = []
            for sheet, records in xlsx_sheets(path):
                if _norm_header(sheet) in _NOTES:
                    continue  # the template's 说明: words for people, not a table
                out += _row_tables(name, sheet, records, problems, True)
            if not out and not any(p.file.startswith(name) for p in problems.items):
                problems.add(None, name, None, None, None, "unknown_table",
                             "工作簿中没有可识别的工作表：请命名为 企业名录 / 企业标签 / 年度指标 / 专精特新 / 园区 / 能耗水耗 并写表头",
                             "no sheet of the workbook is recognised: name them registry / tags / annual / srdi / "
                             "parks / green and give each a header row")
            return out
        text, _ = decode_bytes(data)
    except TableReadError as e:
        problems.add(None, name, None, None, None, "unreadable_file", e.reason_zh, e.reason_en)
        return []
    if len(data) >= FAST_CSV_BYTES:
        fast = _fast_csv(text, name, problems)
        if fast is not None:
            return fast
    return _row_tables(name, None, _csv_records(text), problems, False)


def _columns(src: Sheet, frame: str, data: pd.DataFrame, problems: Problems) -> Table | None:
    """Map the header to the frame's columns (unknown, duplicate, missing columns reported) and the
    cells by column; None when the table cannot be used."""
    file, hr = src.file, src.header_row
    zh, en = FRAME_NAMES[frame]
    cols: dict[str, pd.Series] = {}
    shown: dict[str, str] = {}
    ok = True
    if len(src.header) > MAX_COLUMNS:
        problems.add(src, file, hr, None, None, "unreadable_file", f"表头有{len(src.header)}列，超过{MAX_COLUMNS}列",
                     f"the header has {len(src.header)} columns, more than {MAX_COLUMNS}")
        return None
    for pos, header in enumerate(src.header):
        key, why = header_key(frame, header)
        column = data[pos] if pos in data.columns else pd.Series(dtype=object)
        if key == "_ignore" or (not header and not is_filled(column).any()):
            continue  # 序号/备注, or a column with neither header nor content
        label = _shorten(header) or f"(第{pos + 1}列)"
        if why is not None:
            problems.add(src, file, hr, label, None, "wrong_unit", *why)
            ok = False
        elif key is None:  # each table names its own columns and units (the green table's are not annual's)
            problems.add(src, file, hr, label, None, "unknown_column",
                         f"不是{zh}表的列名：{zh}表的列为 {'、'.join(COLUMN_ZH[frame].values())}（及序号、备注）；"
                         "请改名或删除该列",
                         f"not a column of the {en} table, whose columns are {', '.join(COLUMN_EN[frame].values())} "
                         "(and no., note); rename or delete the column")
            ok = False
        elif key in cols:
            problems.add(src, file, hr, label, None, "duplicate_column",
                         f"与“{shown[key]}”是同一列（{key}）：请删除其中一列",
                         f'the same column ({key}) as "{shown[key]}": delete one of them')
            ok = False
        else:
            cols[key], shown[key] = column.reset_index(drop=True), header
    for key in REQUIRED[frame]:
        if key not in cols:
            problems.add(src, file, None, COLUMN_ZH[frame][key], None, "missing_column",
                         f"缺少必填列“{COLUMN_ZH[frame][key]}”（{key}）：请添加该列",
                         f"the required column '{key}' ({COLUMN_ZH[frame][key]}) is missing: add it")
            ok = False
    if not ok:
        return None
    rows = data.index.to_numpy(dtype=np.int64)
    if len(rows):  # rows with nothing in the frame's columns (a spreadsheet's blank lines)
        filled = np.zeros(len(rows), dtype=bool)
        for s in cols.values():
            filled |= is_filled(s)
        if not filled.all():
            rows = rows[filled]
            cols = {k: s[filled].reset_index(drop=True) for k, s in cols.items()}
    return _ETable(src, frame, rows, cols, shown)


# --- checking cells: the enterprise-only checks (the shared ones are cells.py's) -----------------------
def _years(t: Table, problems: Problems) -> np.ndarray:
    """The year column (required, whole, YEAR_MIN–YEAR_MAX); 0 where it is not usable."""
    s = t.cols["year"]
    if s.dtype.kind not in "if":
        s = s.map(lambda v: clean(v).removesuffix("年") if isinstance(v, str) else v)
        t = _ETable(t.src, t.frame, t.rows, {**t.cols, "year": s}, t.shown)
    x = number_cells(t, "year", problems, unit="年", lo=YEAR_MIN, hi=YEAR_MAX, whole=True,
                     hint=("不是年份：请填写四位数字的年份（如 2024）", "is not a year: write the year in four digits (e.g. 2024)"))
    for i in np.nonzero(~is_filled(s))[0]:
        problems.add(t.src, t.src.file, int(t.rows[i]), t.label("year"), None, "missing_value",
                     "为空：该列必填，请填写年份（如 2024）", "is empty: this column is required; fill in the year (e.g. 2024)")
    return np.where(np.isnan(x), 0, x).astype(np.int64)


def _names(t: Table, key: str, values: np.ndarray, problems: Problems) -> None:
    """Enterprise and park names: at most NAME_MAX characters, no control characters (a line break, a
    tab) nor the invisible bidi controls (U+202E …) that would show a name reversed or spoofed."""
    text = pd.Series(values, dtype=object)
    long = (text.str.len() > NAME_MAX).to_numpy()
    hidden = text.str.contains(_HIDDEN, regex=True).to_numpy() & ~long  # vectorised: 500,000 names
    for i in np.nonzero(long)[0]:
        u = values[i]
        problems.add(t.src, t.src.file, int(t.rows[i]), t.label(key), u, "name_too_long",
                     f"名称超过{NAME_MAX}个字符（{len(u)}个）：请填写登记的名称",
                     f"the name is longer than {NAME_MAX} characters ({len(u)}): give the registered name")
    for i in np.nonzero(hidden)[0]:
        u = values[i]
        shown = "、".join(f"U+{ord(c):04X}" for c in sorted(set(_HIDDEN.findall(u))))
        # quoted in the message with the characters made visible: the name must not reverse the message
        value = _HIDDEN.sub(lambda m: f"[U+{ord(m.group()):04X}]", u)
        problems.add(t.src, t.src.file, int(t.rows[i]), t.label(key), value, "bad_name",
                     f"名称含控制字符或双向文本控制符（{shown}）：请删除这些不可见字符（换行等）后重新导入",
                     f"the name holds control or bidi characters ({shown.replace('、', ', ')}): delete these "
                     "invisible characters (line breaks …) and import again")


# --- the frames ---------------------------------------------------------------------------------------
def _registry(t: Table, area: Area, parks: dict[str, str] | None | bool, problems: Problems,
              park_districts: dict[str, list[str]] | None = None) -> dict:
    """`parks`: park id or name → id; None: there is no parks table; False: it is given but cannot be
    used (its own problems say why: the registry's parks are not checked against it)."""
    file, src = t.src.file, t.src
    ids = text_cells(t, "enterprise_id", problems, upper=True)
    filled = check_required(t, "enterprise_id", ids, problems, "18位统一社会信用代码", "the 18-character credit code")
    valid = uscc.valid_mask(ids) if len(ids) else np.zeros(0, dtype=bool)
    for i in np.nonzero(filled & ~valid)[0]:
        zh, en = uscc_reason(ids[i])
        problems.add(src, file, int(t.rows[i]), t.label("enterprise_id"), ids[i], "bad_credit_code",
                     f"不是有效的统一社会信用代码：{zh}；请核对", f"is not a valid unified social credit code: {en}; check it")
    duplicates(t, [ids], filled, problems, "enterprise_id", "duplicate_enterprise", "统一社会信用代码相同",
               "the same credit code")
    names = text_cells(t, "name", problems)
    check_required(t, "name", names, problems, "企业名称", "the enterprise's name")
    _names(t, "name", names, problems)
    raw = text_cells(t, "district", problems)
    check_required(t, "district", raw, problems, "企业所在区县（代码或名称）", "the enterprise's district (code or name)")
    districts = area.resolve(t, "district", raw, problems)
    park_text = text_cells(t, "park", problems)
    park = park_text.copy()
    if parks is False:
        pass
    elif parks is None:
        listed = park_text != ""
        if listed.any():
            report_rows(t, "park", listed, park_text, problems, "unknown_park",
                        "没有园区表：请与企业名录一起导入园区表（或先导入园区表）", "there is no parks table: import the "
                        "parks sheet with the registry (or before it)")
    else:
        codes, uniques = pd.factorize(park_text)
        resolved = [parks.get(u, parks.get("\0" + word_key(u))) if u else "" for u in uniques]
        unknown = np.array([r is None for r in resolved] + [False], dtype=bool)[codes]
        report_rows(t, "park", unknown, park_text, problems, "unknown_park",
                    "不在园区表中：请填园区表中的园区代码或名称，园区外的企业留空", "is not in the parks table: give a park "
                    "id or name of the parks table, or leave it empty outside parks")
        park = np.array([r or "" for r in resolved] + [""], dtype=object)[codes]
        _park_districts(t, park, districts, park_districts or {}, problems)
    industry = _industries(t, "industry_class", text_cells(t, "industry_class", problems), problems, single=True)
    sizes = vocabulary(t, "size", text_cells(t, "size", problems), SIZE_WORDS, problems, "unknown_size",
                       "企业规模须为 大型、中型、小型 或 微型（留空为未知）", "the size must be 大型/中型/小型/微型 "
                       "(large, medium, small, micro) or empty")
    established = date_cells(t, "established", problems, first_year=DATE_MIN_YEAR)
    return {"enterprise_id": ids, "name": names, "district": districts, "park": park, "industry_class": industry,
            "size": sizes, "established": established}


def _park_districts(t: Table, park: np.ndarray, districts: np.ndarray, of_park: dict[str, list[str]],
                    problems: Problems) -> None:
    """An enterprise in a park that lies in other districts (a park without districts is not checked)."""
    for i in np.nonzero((park != "") & (districts != ""))[0]:
        listed = of_park.get(park[i])
        if listed and districts[i] not in listed:
            where = "、".join(listed)
            problems.add(t.src, t.src.file, int(t.rows[i]), t.label("park"), str(park[i]), "park_district_mismatch",
                         f"园区“{park[i]}”位于区县 {where}，不含企业所在区县 {districts[i]}：请核对企业的所在区县或园区，"
                         "或在园区表中为该园区补上该区县",
                         f"the park {park[i]} lies in the districts {', '.join(listed)}, not in the enterprise's "
                         f"district {districts[i]}: check the enterprise's district or park, or add the district "
                         "to the park in the parks table")


def _industries(t: Table, key: str, values: np.ndarray, problems: Problems, *, single: bool) -> np.ndarray:
    """GB/T 4754-2017 codes (2–4 digits, a section letter before them dropped; divisions 01–97)."""
    codes, uniques = pd.factorize(values)
    out = []
    for j, u in enumerate(uniques):
        if not u:  # blank: the industry is unknown
            out.append("")
            continue
        parts = [u] if single else [p for p in _SPLIT.split(u) if p]
        got = []
        for p in parts:
            m = _INDUSTRY.fullmatch(p)
            if m is None or not 1 <= int(m.group(1)[:2]) <= 97:
                got = None
                break
            got.append(m.group(1))
        if got is None:
            for i in np.nonzero(codes == j)[0]:
                problems.add(t.src, t.src.file, int(t.rows[i]), t.label(key), u, "bad_industry_class",
                             "须为国民经济行业分类（GB/T 4754-2017）的2–4位代码（如 3670）" + ("" if single else "，多个用分号隔开"),
                             "must be a GB/T 4754-2017 code of 2–4 digits (e.g. 3670)" + ("" if single else
                                                                                       ", several separated by ;"))
            out.append("")
        else:
            out.append(";".join(dict.fromkeys(got)))
    return np.array([*out, ""], dtype=object)[codes]


def _references(t: Table, ids: np.ndarray, known: set[str] | None, problems: Problems) -> None:
    if known is None:
        return
    unknown = (ids != "") & ~pd.Series(ids, dtype=object).isin(known).to_numpy()
    report_rows(t, "enterprise_id", unknown, ids, problems, "unknown_enterprise",
                "不在企业名录中：请先在企业名录列出该企业", "is not in the registry: list the enterprise there first")


def _enterprise_ids(t: Table, known: set[str] | None, problems: Problems) -> np.ndarray:
    ids = text_cells(t, "enterprise_id", problems, upper=True)
    check_required(t, "enterprise_id", ids, problems, "统一社会信用代码", "the credit code")
    _references(t, ids, known, problems)
    return ids


def _tags(t: Table, known: set[str] | None, problems: Problems) -> dict:
    ids = _enterprise_ids(t, known, problems)
    raw = text_cells(t, "tag", problems)
    check_required(t, "tag", raw, problems, "标签（如 专精特新中小企业、高新技术企业）", "the tag (e.g. 专精特新中小企业)")
    stated = vocabulary(t, "level", text_cells(t, "level", problems), LEVEL_WORDS, problems, "unknown_level",
                        "级别须为 国家级 或 市级（省级规划为 省级），无级别留空", "the level must be 国家级 (national) or "
                        "市级/省级 (the plan area's own), or empty")
    # "国家级专精特新小巨人": a level written before the tag
    prefixed = np.full(len(raw), "", dtype=object)
    tag_text = raw.copy()
    for i in np.nonzero(pd.Series(raw, dtype=object).str.match(r"^(国家级|省级|市级|国家)").to_numpy())[0]:
        for word, level in _LEVEL_PREFIXES:
            if raw[i].startswith(word) and word_key(raw[i][len(word):]) in TAG_WORDS:
                tag_text[i], prefixed[i] = raw[i][len(word):], level
                break
    tags = vocabulary(t, "tag", tag_text, TAG_WORDS, problems, "unknown_tag",
                      "不是可识别的标签：可用 链主、专精特新中小企业、专精特新“小巨人”、制造业单项冠军、高新技术企业、科技型企业、"
                      "创新型中小企业、规上", "is not a known tag: use 链主 (chain leader), 专精特新中小企业, 小巨人, 单项冠军, "
                      "高新技术企业, 科技型企业, 创新型中小企业 or 规上 (or the ids chain_leader, srdi_sme …)")
    conflict = (prefixed != "") & (stated != "") & (prefixed != stated)
    report_rows(t, "level", conflict, stated, problems, "level_conflict",
                "与标签中写明的级别不一致：请只在一处写级别", "differs from the level written in the tag: state it once")
    levels = np.where(stated != "", stated, prefixed)
    acquired = date_cells(t, "acquired", problems, first_year=YEAR_MIN)
    check_required(t, "acquired", text_cells(t, "acquired", problems), problems, "认定日期（如 2024-05-01）",
                   "the date acquired (e.g. 2024-05-01)")
    lost = date_cells(t, "lost", problems, first_year=YEAR_MIN)
    backwards = (acquired != "") & (lost != "") & (lost <= acquired)
    report_rows(t, "lost", backwards, lost, problems, "lost_before_acquired",
                "失效日期须晚于认定日期", "the date lost must be after the date acquired")
    ok = (ids != "") & (tags != "") & (acquired != "") & ~backwards & ~conflict
    repeat = duplicates(t, [ids, tags, levels, acquired], ok, problems, "enterprise_id", "duplicate_tag",
                        "同一企业、标签、级别与认定日期", "the same enterprise, tag, level and date acquired")
    _overlaps(t, ids, tags, levels, acquired, lost, ok & ~repeat, problems)
    return {"enterprise_id": ids, "tag": tags, "level": levels, "acquired": acquired, "lost": lost}


def _overlaps(t: Table, ids, tags, levels, acquired, lost, ok: np.ndarray, problems: Problems) -> None:
    """Spells of one (enterprise, tag, level) that overlap: reported on the later one, naming the earlier."""
    if not ok.any():
        return
    idx = np.nonzero(ok)[0]
    start = np.array([int(a.replace("-", "")) for a in acquired[idx]], dtype=np.int64)
    end = np.array([int(x.replace("-", "")) if x else 99999999 for x in lost[idx]], dtype=np.int64)
    f = pd.DataFrame({"e": ids[idx], "t": tags[idx], "l": levels[idx], "start": start, "end": end, "i": idx})
    f = f.sort_values(["e", "t", "l", "start"], kind="stable")
    group = f.groupby(["e", "t", "l"], sort=False)
    before = group["end"].cummax().groupby([f["e"], f["t"], f["l"]], sort=False).shift(1)
    hit = (f["start"] < before).to_numpy()
    e, tg, lv = f["e"].to_numpy(), f["t"].to_numpy(), f["l"].to_numpy()
    s_, en, ix = f["start"].to_numpy(), f["end"].to_numpy(), f["i"].to_numpy()
    for k in np.nonzero(hit)[0]:
        j = k - 1  # the spell still running when this one starts: walk back within the group
        while j > 0 and en[j] <= s_[k] and (e[j - 1], tg[j - 1], lv[j - 1]) == (e[k], tg[k], lv[k]):
            j -= 1
        other, i = int(t.rows[ix[j]]), int(ix[k])
        problems.add(t.src, t.src.file, int(t.rows[i]), t.label("acquired"), acquired[i], "overlapping_spells",
                     f"与第{other}行的同一标签时段重叠：该标签失效后才能再次认定，请核对两行的认定与失效日期",
                     f"overlaps the spell of the same tag in row {other}: a tag is acquired again only after it "
                     "was lost; check both rows' dates")


def _annual(t: Table, known: set[str] | None, problems: Problems) -> dict:
    ids = _enterprise_ids(t, known, problems)
    years = _years(t, problems)
    out = {"enterprise_id": ids, "year": years}
    for m in ANNUAL_MEASURES:
        out[m] = number_cells(t, m, problems, unit=ANNUAL_UNITS[m], hi=1.0 if m == "obsolete_equipment" else MAX_AMOUNT,
                              whole=m in WHOLE, words=BOOL_WORDS if m == "obsolete_equipment" else None)
    duplicates(t, [ids, years], (ids != "") & (years > 0), problems, "enterprise_id", "duplicate_year",
               "同一企业与年份", "the same enterprise and year")
    return out


def _srdi(t: Table, known: set[str] | None, problems: Problems) -> dict:
    ids = _enterprise_ids(t, known, problems)
    years = _years(t, problems)
    out = {"enterprise_id": ids, "year": years,
           "niche_years": number_cells(t, "niche_years", problems, unit="年", hi=300),
           "digital_level": number_cells(t, "digital_level", problems, unit="级（1–3）", lo=1, hi=3, whole=True,
                                         words=DIGITAL_WORDS),
           "quality_items": number_cells(t, "quality_items", problems, unit="项", hi=1000, whole=True),
           "rd_staff_share": number_cells(t, "rd_staff_share", problems, unit="%", hi=100),
           "equity_financing": number_cells(t, "equity_financing", problems, unit="万元"),
           "local_points": number_cells(t, "local_points", problems, unit="分", hi=LOCAL_POINTS_MAX)}
    for key, words, zh, en in (
            ("product_field", PRODUCT_WORDS, "主导产品领域须为 补短板/锻长板/填空白、工业六基/老字号/配套龙头 或 其他",
             "the product field must be key (补短板/锻长板/填空白), foundation (工业六基/老字号/配套龙头) or other"),
            ("ip_class", IP_WORDS, "知识产权类别须为 Ⅰ类高价值、自主研发Ⅰ类、Ⅰ类、Ⅱ类 或 无",
             "the IP class must be 1_high_value, 1_own, 1, 2 or none (Ⅰ类高价值, 自主研发Ⅰ类, Ⅰ类, Ⅱ类, 无)"),
            ("rd_institution", INSTITUTION_WORDS, "研发机构级别须为 国家级、省级、市级、市级以下 或 无",
             "the R&D institution level must be national, provincial, municipal, below or none")):
        out[key] = vocabulary(t, key, text_cells(t, key, problems), words, problems, f"unknown_{key}", zh, en)
    direct = text_cells(t, "direct_pass", problems)
    out["direct_pass"] = np.where(pd.Series(direct, dtype=object).map(word_key).isin(NONE_WORDS).to_numpy(), "", direct)
    duplicates(t, [ids, years], (ids != "") & (years > 0), problems, "enterprise_id", "duplicate_year",
               "同一企业与年份", "the same enterprise and year")
    return out


def _parks(t: Table, plan: Plan, area: Area, problems: Problems) -> dict:
    ids = text_cells(t, "park_id", problems)
    filled = check_required(t, "park_id", ids, problems, "园区代码", "the park's id")
    duplicates(t, [ids], filled, problems, "park_id", "duplicate_park", "园区代码相同", "the same park id")
    names = text_cells(t, "name", problems)
    check_required(t, "name", names, problems, "园区名称", "the park's name")
    _names(t, "name", names, problems)
    tiers = text_cells(t, "tier", problems)
    system = plan.park_system
    if system is not None:  # a plan without a park system takes any tier text, shown as is
        words = {word_key(w): tier.id for tier in system.tiers for w in (tier.id, tier.name, tier.name_en) if w}
        listed = "、".join(f"{tier.id}（{tier.name}）" for tier in system.tiers)
        tiers = vocabulary(t, "tier", tiers, words, problems, "unknown_tier",
                           f"不是{system.name}的层级：可用 {listed}，体系外的园区留空",
                           f"is not a tier of {system.name_en or system.name}: use {listed}, or leave it empty for "
                           "a park outside the system")
    districts = text_cells(t, "districts", problems)
    codes, uniques = pd.factorize(districts)
    joined = []
    for j, u in enumerate(uniques):
        got = []
        for part in (p for p in _SPLIT.split(u) if p):
            code, problem, zh, en = area.district(part)
            if problem:
                for i in np.nonzero(codes == j)[0]:
                    problems.add(t.src, t.src.file, int(t.rows[i]), t.label("districts"), part, problem, zh, en)
            elif code not in got:
                got.append(code)
        joined.append(";".join(got))
    out = {"park_id": ids, "name": names, "tier": tiers, "districts": np.array([*joined, ""], dtype=object)[codes],
           "area": number_cells(t, "area", problems, unit="亩"),
           "leading_industries": _industries(t, "leading_industries", text_cells(t, "leading_industries", problems),
                                             problems, single=False)}
    for key in ("target_investment_per_mu", "target_output_per_mu", "target_tax_per_mu"):
        out[key] = number_cells(t, key, problems, unit="万元/亩")
    return out


def _green(t: Table, area: Area, problems: Problems) -> dict:
    raw = text_cells(t, "area", problems)
    check_required(t, "area", raw, problems, f"地区（全域代码 {area.whole} 或区县）", f"the area ({area.whole} or a district)")
    areas = area.resolve(t, "area", raw, problems, whole=True)
    years = _years(t, problems)
    out = {"area": areas, "year": years}
    for key in ("energy", "water", "value_added"):
        out[key] = number_cells(t, key, problems, unit=GREEN_UNITS[key])
    out["va_real_growth"] = number_cells(t, "va_real_growth", problems, unit="%", lo=-100, lo_open=True, hi=1000)
    duplicates(t, [areas, years], (areas != "") & (years > 0), problems, "area", "duplicate_year",
               "同一地区与年份", "the same area and year")
    return out


def _contract(frame: str, columns: dict) -> pd.DataFrame:
    """The frame with exactly the contract's columns and types ("" for no text, NaN unknown, Int64 years)."""
    n = len(next(iter(columns.values()))) if columns else 0
    out = {}
    for c in FRAMES[frame]:
        kind = _dtype(frame, c)
        v = columns.get(c)
        if kind == "Int64":
            out[c] = pd.array(np.asarray(v, dtype=np.int64), dtype="Int64")
        elif kind == "object":
            out[c] = pd.Series(np.full(n, "", dtype=object) if v is None else np.asarray(v, dtype=object),
                               dtype=object)
        else:
            out[c] = np.full(n, np.nan) if v is None else np.asarray(v, dtype="float64")
    return pd.DataFrame(out, columns=FRAMES[frame]).reset_index(drop=True)


def _existing(existing: EnterpriseData | None, frame: str) -> pd.DataFrame | None:
    if existing is None:
        return None
    f = existing.frame(frame)
    return f if f is not None and not f.empty else None


# --- the import ---------------------------------------------------------------------------------------
def read_enterprise_files(paths: Sequence[str | Path], plan: Plan, *, existing: EnterpriseData | None = None,
                          progress: Callable | None = None
                          ) -> tuple[dict[str, pd.DataFrame], list[ImportProblem], str]:
    """Read and check enterprise data for `plan`: one XLSX with any of the six sheets, or CSV files one
    per frame. Returns ({frame: contract frame} for the frames given, [], sha256 of the files) or ({},
    every problem, sha256). References (tags/annual/srdi → registry, registry park → parks) are checked
    against this import's frames, else against `existing` (the active data). Never raises for what a
    file holds."""
    step = progress or (lambda stage, rows: None)
    problems = Problems()
    paths = [Path(p) for p in paths]
    step("read", None)
    digest = files_sha256(paths)
    tables: dict[str, Table | None] = {}
    given: dict[str, Sheet] = {}
    for path in paths:
        for src, frame, data in _file_tables(path, problems):
            if not frame:
                problems.add(src, src.file, None, None, None, "unknown_table",
                             "认不出是哪张表：表头须含该表的必填列（企业名录：统一社会信用代码、企业名称、所在区县；企业标签：标签、"
                             "认定日期；年度指标与专精特新：统一社会信用代码、年份；园区：园区代码、园区名称；能耗水耗：地区、年份），"
                             "或把工作表命名为 企业名录 / 企业标签 / 年度指标 / 专精特新 / 园区 / 能耗水耗",
                             "cannot tell which table this is: the header must name the table's required columns "
                             "(registry: enterprise_id, name, district; tags: tag, acquired; annual and srdi: "
                             "enterprise_id, year; parks: park_id, name; green: area, year), or name the sheet "
                             "registry / tags / annual / srdi / parks / green")
                continue
            if frame in given:
                other = given[frame]
                zh, en = FRAME_NAMES[frame]
                problems.add(src, src.file, None, None, None, "duplicate_table",
                             f"{zh}表已由“{other.file}”{('工作表“' + other.sheet + '”') if other.sheet else ''}给出；"
                             "每张表只能给一次，请合并后导入",
                             f"the {en} table was already given by '{other.file}'"
                             f"{(' sheet ' + repr(other.sheet)) if other.sheet else ''}; give each table once "
                             "(merge them)")
                continue
            if data.empty and src.sheet is not None:
                continue  # a workbook's sheet with only its header (a template's unused sheet): not given
            given[frame] = src
            tables[frame] = _columns(src, frame, data, problems)
    for frame, t in tables.items():
        if t is not None and not len(t.rows):
            zh, en = FRAME_NAMES[frame]
            problems.add(t.src, t.src.file, None, None, None, "empty_table", f"{zh}表没有数据行：请至少填写一行，或不给该表",
                         f"the {en} table has no data rows: fill in at least one, or leave the table out")
    if not given and not problems.items:
        problems.add(None, paths[0].name[:200] if paths else "", None, None, None, "missing_table",
                     "没有可导入的表：请给出企业名录、企业标签、年度指标、专精特新、园区或能耗水耗中的至少一张",
                     "nothing to import: give at least one of the registry, tags, annual, srdi, parks or green tables")
    step("validate", sum(len(t.rows) for t in tables.values() if t is not None))
    usable = {f: t for f, t in tables.items() if t is not None and len(t.rows)}
    # a file that could not be read may hold the registry or the parks: their absence is not reported again
    hidden = any(p.code in FILE_PROBLEMS for p in problems.items)
    area = _area(plan)
    columns: dict[str, dict] = {}
    if "parks" in usable:
        columns["parks"] = _parks(usable["parks"], plan, area, problems)
    park_refs = _park_refs(columns.get("parks"), tables, _existing(existing, "parks"))
    if park_refs is None and hidden:
        park_refs = False
    if "registry" in usable:
        columns["registry"] = _registry(usable["registry"], area, park_refs, problems,
                                        _districts_of_parks(columns.get("parks"), tables, _existing(existing, "parks")))
    known = _known_ids(columns.get("registry"), tables, _existing(existing, "registry"))
    for frame in ("tags", "annual", "srdi"):
        t = usable.get(frame)
        if t is None:
            continue
        if known is None and "registry" not in tables and not hidden:
            zh, en = FRAME_NAMES[frame]
            problems.add(t.src, t.src.file, None, None, None, "no_registry",
                         f"{zh}表所列企业须在企业名录中，但本次没有企业名录表，此前也未导入：请与企业名录一起导入",
                         f"the {en} table's enterprises must be in the registry, but there is none in this import "
                         "nor imported before: import the registry with it")
        columns[frame] = {"tags": _tags, "annual": _annual, "srdi": _srdi}[frame](t, known, problems)
    if "green" in usable:
        columns["green"] = _green(usable["green"], area, problems)
    if "parks" in columns and "registry" not in tables:
        _parks_in_use(usable["parks"], columns["parks"], _existing(existing, "registry"), problems)
    if problems.items or not given:
        return {}, problems.items, digest
    return {f: _contract(f, columns[f]) for f in FRAMES if f in columns}, [], digest


def _area(plan: Plan) -> Area:
    return Area(plan)


def _park_refs(parks: dict | None, tables: dict, existing: pd.DataFrame | None) -> dict[str, str] | None | bool:
    """Park id or name → park id, from this import's parks table, else the active one; None: no parks."""
    if "parks" in tables:
        if parks is None:  # the table was given but cannot be used: its problems are reported
            return False
        ids, names = parks["park_id"], parks["name"]
    elif existing is not None:
        ids, names = existing["park_id"].astype(str).to_numpy(), existing["name"].astype(str).to_numpy()
    else:
        return None
    out = {"\0" + word_key(n): i for i, n in zip(ids, names) if i and n}
    out.update({i: i for i in ids if i})
    return out


def _districts_of_parks(parks: dict | None, tables: dict, existing: pd.DataFrame | None) -> dict[str, list[str]]:
    """Park id → its district codes, from this import's parks table, else the active one."""
    if "parks" in tables:
        if parks is None:
            return {}
        ids, districts = parks["park_id"], parks["districts"]
    elif existing is not None:
        ids, districts = existing["park_id"].astype(str), existing["districts"].fillna("").astype(str)
    else:
        return {}
    return {i: [d for d in str(ds).split(";") if d] for i, ds in zip(ids, districts) if i}


def _known_ids(registry: dict | None, tables: dict, existing: pd.DataFrame | None) -> set[str] | None:
    """The enterprise ids references are checked against; None: not checked (the registry table given
    here cannot be used — one problem for it, not one per row naming it — or there is none)."""
    if "registry" in tables:
        return {i for i in registry["enterprise_id"] if i} if registry is not None else None
    if existing is not None:
        return set(existing["enterprise_id"].astype(str))
    return None


def _parks_in_use(t: Table, parks: dict, registry: pd.DataFrame | None, problems: Problems) -> None:
    """A new parks table without a park the active registry places enterprises in, or whose districts
    leave out the district of such an enterprise."""
    if registry is None:
        return
    ids = set(parks["park_id"])
    used = registry["park"].fillna("").astype(str)
    counts = used[(used != "") & ~used.isin(ids)].value_counts()
    for park, n in counts.items():
        problems.add(t.src, t.src.file, None, t.label("park_id"), str(park), "park_in_use",
                     f"已导入的企业名录中有{n}家企业位于该园区，但本次园区表没有它：请保留该园区，或一并导入更新后的企业名录",
                     f"{n} enterprises of the imported registry are in this park, but the new parks table lacks it: "
                     "keep the park, or import the updated registry with it")
    # a park whose new districts leave out an enterprise the active registry places in it
    row_of = {pid: (int(t.rows[i]), ds) for i, (pid, ds) in enumerate(zip(parks["park_id"], parks["districts"]))
              if pid}
    placed = registry[used != ""]
    for pid, group in placed.groupby(placed["park"].astype(str), sort=True):
        if pid not in row_of or not row_of[pid][1]:
            continue
        row, ds = row_of[pid]
        listed = ds.split(";")
        outside = sorted(set(group["district"].astype(str)) - set(listed))
        if outside:
            n = int(group["district"].astype(str).isin(outside).sum())
            problems.add(t.src, t.src.file, row, t.label("districts"), ds.replace(";", "、"), "park_district_mismatch",
                         f"已导入的企业名录中有{n}家该园区的企业位于区县 {'、'.join(outside)}，不在本行所列区县中："
                         "请在园区的所在区县中补上这些区县，或一并导入更新后的企业名录",
                         f"{n} enterprises of the imported registry in this park are in the districts "
                         f"{', '.join(outside)}, which this row leaves out: add them to the park's districts, or "
                         "import the updated registry with it")
