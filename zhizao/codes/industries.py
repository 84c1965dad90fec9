"""GB/T 4754-2017 manufacturing divisions (门类 C, 大类 13–43) and the plan's six clusters.

Names were read from shared/data/reference/gbt4754-2017-manufacturing.csv (two unofficial copies
agreeing; see its README). The cluster ↔ division mapping is zhizao's reading of the plan, copied
from zhizao/resources/plans/chongqing-structure.partial.yaml; divisions outside any cluster map
to "other".
"""
from __future__ import annotations

DIVISIONS: dict[str, str] = {
    "13": "农副食品加工业", "14": "食品制造业", "15": "酒、饮料和精制茶制造业", "16": "烟草制品业",
    "17": "纺织业", "18": "纺织服装、服饰业", "19": "皮革、毛皮、羽毛及其制品和制鞋业",
    "20": "木材加工和木、竹、藤、棕、草制品业", "21": "家具制造业", "22": "造纸和纸制品业",
    "23": "印刷和记录媒介复制业", "24": "文教、工美、体育和娱乐用品制造业",
    "25": "石油、煤炭及其他燃料加工业", "26": "化学原料和化学制品制造业", "27": "医药制造业",
    "28": "化学纤维制造业", "29": "橡胶和塑料制品业", "30": "非金属矿物制品业",
    "31": "黑色金属冶炼和压延加工业", "32": "有色金属冶炼和压延加工业", "33": "金属制品业",
    "34": "通用设备制造业", "35": "专用设备制造业", "36": "汽车制造业",
    "37": "铁路、船舶、航空航天和其他运输设备制造业", "38": "电气机械和器材制造业",
    "39": "计算机、通信和其他电子设备制造业", "40": "仪器仪表制造业", "41": "其他制造业",
    "42": "废弃资源综合利用业", "43": "金属制品、机械和设备修理业",
}

# cluster id → (name, name_en, divisions)
CLUSTERS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "electronic_information": ("电子信息", "Electronic information", ("39",)),
    "automotive": ("汽车", "Automotive", ("36",)),
    "equipment": ("装备", "Equipment", ("34", "35")),
    "materials": ("材料", "Materials", ("26", "28", "29", "30", "31", "32")),
    "specialty_consumer_goods": ("特色消费品", "Specialty consumer goods",
                                 ("13", "14", "15", "16", "17", "18", "22")),
    "biomedicine": ("生物医药", "Biomedicine", ("27",)),
}
OTHER_CLUSTER = ("other", "其他行业", "Other industries")


def cluster_of(division: str) -> str:
    for cid, (_, _, divs) in CLUSTERS.items():
        if division in divs:
            return cid
    return OTHER_CLUSTER[0]


def cluster_name(cluster_id: str, lang: str = "zh") -> str:
    if cluster_id == OTHER_CLUSTER[0]:
        return OTHER_CLUSTER[1] if lang == "zh" else OTHER_CLUSTER[2]
    name, name_en, _ = CLUSTERS[cluster_id]
    return name if lang == "zh" else name_en


def division_name(code: str, lang: str = "zh") -> str:
    """The division's name in the reader's language (English names: issue 10, reports part)."""
    return DIVISIONS.get(str(code), str(code))
