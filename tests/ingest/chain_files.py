"""Test material for chain data: a fictional plan with one chain (built here: the embedded plan's chains
are written elsewhere), and good chain files as CSV or XLSX that tests spoil one cell at a time."""
from __future__ import annotations

from pathlib import Path

import yaml

from tests import table_files
from tests.table_files import credit_code as code  # the chain tests take it from here

ASSETS = Path(__file__).parents[1] / "assets"
PLAN_ID = "riverton-industry-2023-2027"

CHAIN_PLAN_EXTRA = {
    "clusters": [{"id": "machinery", "name": "装备", "scale_target": 1000, "target_year": 2027,
                  "target_text": "千亿级", "section": "三(一)"}],
    "chains": [{
        "id": "motors", "name": "电机产业链", "name_en": "Motors", "cluster": "machinery", "section": "四(二)",
        "links": [
            {"id": "magnets", "name": "磁材", "stage": "materials", "section": "四(二)"},
            {"id": "windings", "name": "绕组", "stage": "parts", "upstream": ["magnets"], "section": "四(二)"},
            {"id": "motor", "name": "电机整机", "stage": "final", "upstream": ["windings", "magnets"],
             "section": "四(二)"},
        ],
    }],
    "supply_region": {"name": "河湾经济圈（虚构）", "division_prefixes": ["51"]},
}
DISTRICTS = [{"code": "990101", "name": "东区"}, {"code": "990102", "name": "西区"}]


def chain_plan_path(folder: Path, *, chains: bool = True) -> Path:
    """The fictional plan (河湾市) with districts, a cluster and the chain 电机产业链 — or without chains."""
    data = yaml.safe_load((ASSETS / "fictional-plan.yaml").read_text(encoding="utf-8"))
    data["regions"]["districts"] = DISTRICTS
    if chains:  # beside the fictional plan's own cluster and chain
        for key in ("clusters", "chains"):
            data[key] = list(data.get(key) or []) + CHAIN_PLAN_EXTRA[key]
        data["supply_region"] = CHAIN_PLAN_EXTRA["supply_region"]
    else:
        data["chains"] = []
    path = folder / ("chain-plan.yaml" if chains else "no-chain-plan.yaml")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


A, B, C, D = code("990101", 1), code("990102", 2), code("510100", 3), code("990101", 4)
ENTERPRISES = [
    ["企业代码", "企业名称", "所在地代码", "国家", "产值(万元)"],
    [A, "东区磁材有限公司", "990101", "", "12000"],
    [B, "西区绕组有限公司", "990102", "CN", "8,000"],
    [C, "成都电机有限公司", "510100", "中国", ""],
    [D, "东区电机集团", "990101", "CN", "50000"],
    ["JP-NIDEC-01", "日本电产", "", "JP", "90000"],
]
MEMBERS = [
    ["企业代码", "产业链", "环节", "角色", "产能(万元)"],
    [A, "motors", "magnets", "配套", "10000"],
    ["JP-NIDEC-01", "电机产业链", "磁材", "核心配套", ""],
    [B, "motors", "windings", "核心配套", "7000"],
    [C, "motors", "motor", "supplier", "3000"],
    [D, "motors", "电机整机", "链主", "48000"],
]
SUPPLY = [
    ["供应商代码", "采购商代码", "产业链", "环节", "占需求比重(%)"],
    [A, B, "motors", "magnets", "60"],
    ["JP-NIDEC-01", B, "motors", "magnets", "40"],
    [B, D, "motors", "windings", "100"],
    [A, D, "motors", "magnets", "30%"],
]
TABLES = {"enterprises": ENTERPRISES, "members": MEMBERS, "supply": SUPPLY}
SHEETS = {"enterprises": "企业", "members": "环节企业", "supply": "供应关系"}


def tables(**changes) -> dict[str, list[list[str]]]:
    """Copies of the good tables; `changes` maps 'table' → function(rows) that spoils them in place."""
    out = {k: [list(r) for r in v] for k, v in TABLES.items()}
    for name, change in changes.items():
        change(out[name])
    return out


def write_csv(folder: Path, data: dict | None = None, encoding: str = "utf-8") -> list[Path]:
    """<table>.csv for each table of `data` (else the good tables)."""
    return table_files.write_csv(folder, data or tables(), encoding)


def write_xlsx(folder: Path, data: dict | None = None, sheet_names: dict | None = None) -> Path:
    """chains.xlsx: a sheet a table of `data` (else the good tables), named by `sheet_names` (else SHEETS)."""
    names = sheet_names or SHEETS
    sheets = {names[name]: rows for name, rows in (data or tables()).items()}
    return table_files.write_workbook(folder / "chains.xlsx", sheets, note="本工作簿为测试用虚构数据")
