"""The type of the employing unit (用人单位类型), from its USCC or the 市场监管 registry.

GB 32100-2015 (with amendment 1, 2016): the USCC's first character is the registration
authority (登记管理部门代码), the second the category within it (机构类别代码):

    1 机构编制: 11 机关, 12 事业单位, 13 中央编办直接管理机构编制的群众团体, 19 其他
    5 民政:     51 社会团体, 52 民办非企业单位, 53 基金会, 59 其他
    9 工商:     91 企业, 92 个体工商户, 93 农民专业合作社
    N 农业:     N1-N3 农村集体经济组织 (组级/村级/乡镇级), N9 其他
    A 中央军委改革和编制办公室: A1 军队事业单位, A9 其他
    2 外交, 3 司法行政, 4 文化, 6 旅游, 7 宗教, 8 工会, Y 其他 (Y1)

The seeds' rules only separate 企业, the units that 参照执行 (个体工商户、民办非企业单位、社会团体
"等其他参保单位"), and 机关事业单位 (excluded from the maternity subsidy, seed 003 item 11). The
registry (FactVerified ENTERPRISE_REGISTRATION, unit_type) settles the type where present; the
USCC gives it otherwise.
"""

from __future__ import annotations

from enum import StrEnum


class UnitType(StrEnum):
    """Mirrors suxin.dataexchange.v1.UnitType (without UNSPECIFIED)."""

    ENTERPRISE = "enterprise"  # 企业
    GOVERNMENT_ORGAN = "government_organ"  # 机关
    PUBLIC_INSTITUTION = "public_institution"  # 事业单位
    SOCIAL_ORGANIZATION = "social_organization"  # 社会团体
    PRIVATE_NON_ENTERPRISE = "private_non_enterprise"  # 民办非企业单位
    INDIVIDUAL_BUSINESS = "individual_business"  # 个体工商户
    FARMERS_COOPERATIVE = "farmers_cooperative"  # 农民专业合作社
    OTHER = "other"  # 其他 (基金会, 律师事务所, 宗教活动场所, 农村集体经济组织 …)


NAMES_ZH = {
    UnitType.ENTERPRISE: "企业",
    UnitType.GOVERNMENT_ORGAN: "机关",
    UnitType.PUBLIC_INSTITUTION: "事业单位",
    UnitType.SOCIAL_ORGANIZATION: "社会团体",
    UnitType.PRIVATE_NON_ENTERPRISE: "民办非企业单位",
    UnitType.INDIVIDUAL_BUSINESS: "个体工商户",
    UnitType.FARMERS_COOPERATIVE: "农民专业合作社",
    UnitType.OTHER: "其他单位",
}

# Registration authority + category -> type (GB 32100 table 1 and its amendment).
_BY_PREFIX = {
    "11": UnitType.GOVERNMENT_ORGAN,
    # 群众团体 whose staffing the central 编办 manages (工会、妇联、共青团 …) are staffed and
    # insured like 机关 (机关事业单位养老保险), so the seeds' 机关事业单位 exclusion covers them.
    "13": UnitType.GOVERNMENT_ORGAN,
    "12": UnitType.PUBLIC_INSTITUTION,
    "A1": UnitType.PUBLIC_INSTITUTION,  # 军队事业单位
    "51": UnitType.SOCIAL_ORGANIZATION,
    "52": UnitType.PRIVATE_NON_ENTERPRISE,
    "91": UnitType.ENTERPRISE,
    "92": UnitType.INDIVIDUAL_BUSINESS,
    "93": UnitType.FARMERS_COOPERATIVE,
}

# 机关事业单位: the units seed 003 excludes from the maternity subsidy.
ORGANS_AND_INSTITUTIONS = frozenset({UnitType.GOVERNMENT_ORGAN, UnitType.PUBLIC_INSTITUTION})


def unit_type_from_uscc(uscc: str) -> UnitType:
    """The type a USCC's first two characters give (GB 32100); OTHER for the rest."""
    return _BY_PREFIX.get(uscc[:2].upper(), UnitType.OTHER)


def resolve_unit_type(
    uscc: str | None, registered: UnitType | str | None = None
) -> UnitType | None:
    """The registry's type where known (市场监管 feed), else the USCC's; None without either."""
    if registered:
        return UnitType(registered)
    if not uscc:
        return None
    return unit_type_from_uscc(uscc)
