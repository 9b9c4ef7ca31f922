"""Region and industry codes used in data and statistics.

Jiangsu's 13 设区市 (cities divided into districts) by their four-digit division codes; districts
and counties are six-digit codes under them, checked by prefix only because the list changes
(new districts every few years). Industries by GB/T 4754-2017 section (门类), A to T.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, Final

from pydantic import AfterValidator, WithJsonSchema

JIANGSU_CITIES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "3201": "南京市",
        "3202": "无锡市",
        "3203": "徐州市",
        "3204": "常州市",
        "3205": "苏州市",
        "3206": "南通市",
        "3207": "连云港市",
        "3208": "淮安市",
        "3209": "盐城市",
        "3210": "扬州市",
        "3211": "镇江市",
        "3212": "泰州市",
        "3213": "宿迁市",
    }
)

INDUSTRY_SECTIONS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "A": "农、林、牧、渔业",
        "B": "采矿业",
        "C": "制造业",
        "D": "电力、热力、燃气及水生产和供应业",
        "E": "建筑业",
        "F": "批发和零售业",
        "G": "交通运输、仓储和邮政业",
        "H": "住宿和餐饮业",
        "I": "信息传输、软件和信息技术服务业",
        "J": "金融业",
        "K": "房地产业",
        "L": "租赁和商务服务业",
        "M": "科学研究和技术服务业",
        "N": "水利、环境和公共设施管理业",
        "O": "居民服务、修理和其他服务业",
        "P": "教育",
        "Q": "卫生和社会工作",
        "R": "文化、体育和娱乐业",
        "S": "公共管理、社会保障和社会组织",
        "T": "国际组织",
    }
)


def city_of(code: str) -> str:
    """The four-digit city code of a Jiangsu city or district code (`"321003"` → `"3210"`)."""
    if len(code) not in (4, 6) or not code.isascii() or not code.isdigit():
        raise ValueError("region code must be 4 (city) or 6 (district) digits")
    city = code[:4]
    if city not in JIANGSU_CITIES:
        raise ValueError("region code is not in one of Jiangsu's 13 cities (3201–3213)")
    return city


def city_name(code: str) -> str:
    """The Chinese name of the city a city or district code lies in (`"321003"` → `"扬州市"`)."""
    return JIANGSU_CITIES[city_of(code)]


def _check_city_code(code: str) -> str:
    if len(code) != 4:
        raise ValueError("city code must be 4 digits (3201–3213)")
    return city_of(code)


def _check_district_code(code: str) -> str:
    if len(code) != 6:
        raise ValueError("district code must be 6 digits, starting with a city code 3201–3213")
    city_of(code)
    return code


def _check_industry_section(section: str) -> str:
    if section not in INDUSTRY_SECTIONS:
        raise ValueError("industry section must be one letter A–T (GB/T 4754-2017)")
    return section


JiangsuCityCode = Annotated[
    str,
    AfterValidator(_check_city_code),
    WithJsonSchema(
        {"type": "string", "enum": list(JIANGSU_CITIES), "description": "Jiangsu city (设区市)"}
    ),
]
JiangsuDistrictCode = Annotated[
    str,
    AfterValidator(_check_district_code),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^32(0[1-9]|1[0-3])\d{2}$",
            "description": "Jiangsu district or county (区/县) division code",
        }
    ),
]
IndustrySection = Annotated[
    str,
    AfterValidator(_check_industry_section),
    WithJsonSchema(
        {
            "type": "string",
            "enum": list(INDUSTRY_SECTIONS),
            "description": "Industry section (门类), GB/T 4754-2017",
        }
    ),
]
