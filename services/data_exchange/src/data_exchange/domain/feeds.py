"""The feeds: for each kind of batch file, its columns and how one row becomes a fact.

The column lists here are the file format (docs/data-exchange.md is checked against them by a
test). Each parser reads one row through :class:`Row`, which collects every field error; a
row with errors yields no fact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from data_exchange.domain.departments import FEED_OWNER, Department, FeedKind
from data_exchange.domain.facts import FactDraft, FactKind, Subject
from data_exchange.domain.rows import Row

# `status` of list-like feeds: the entry holds, or no longer holds (removed, withdrawn).
STATUS = {"active": False, "有效": False, "revoked": True, "撤销": True, "退出": True}
UNIT_TYPES = {
    "企业": "ENTERPRISE",
    "机关": "GOVERNMENT_ORGAN",
    "事业单位": "PUBLIC_INSTITUTION",
    "社会团体": "SOCIAL_ORGANIZATION",
    "民办非企业单位": "PRIVATE_NON_ENTERPRISE",
    "民办非企业": "PRIVATE_NON_ENTERPRISE",
    "个体工商户": "INDIVIDUAL_BUSINESS",
    "农民专业合作社": "FARMERS_COOPERATIVE",
    "其他": "OTHER",
}
REGISTRATION_STATUS = {
    "存续": "ACTIVE",
    "在业": "ACTIVE",
    "active": "ACTIVE",
    "吊销": "REVOKED",
    "revoked": "REVOKED",
    "注销": "DEREGISTERED",
    "deregistered": "DEREGISTERED",
}
SKILL_LEVELS = {
    "初级工": "JUNIOR_WORKER",
    "中级工": "INTERMEDIATE_WORKER",
    "高级工": "SENIOR_WORKER",
    "技师": "TECHNICIAN",
    "高级技师": "SENIOR_TECHNICIAN",
    "5": "JUNIOR_WORKER",
    "4": "INTERMEDIATE_WORKER",
    "3": "SENIOR_WORKER",
    "2": "TECHNICIAN",
    "1": "SENIOR_TECHNICIAN",
}
TITLES = {
    "初级": "JUNIOR",
    "中级": "INTERMEDIATE",
    "副高级": "ASSOCIATE_SENIOR",
    "正高级": "SENIOR",
}
ASSISTANCE = {"低保": "MINIMUM_LIVING", "低收入": "LOW_INCOME", "特困": "EXTREME_POVERTY"}
LIST_LEVELS = {"省级": "PROVINCIAL", "国家级": "NATIONAL"}
OCCUPATION_CODE = r"\d-\d{2}-\d{2}-\d{2}"

# What a `Row.pattern` field must look like, said in both languages (reasons.yaml feed.*).
_CERTIFICATE_NO = {"zh": "6–40 位字母、数字或连字符", "en": "6-40 letters, digits or hyphens"}
_OCCUPATION = {"zh": "职业分类代码，如 6-18-01-01", "en": "an occupation code, e.g. 6-18-01-01"}
_INDUSTRY_SECTION = {"zh": "国民经济行业门类 A–T", "en": "an industry section A-T (GB/T 4754)"}


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    meaning: str  # Chinese first, English beside


@dataclass(frozen=True)
class FeedSpec:
    kind: FeedKind
    fact_kind: FactKind
    subject: Subject
    title: str
    columns: tuple[Column, ...]
    parse: Callable[[Row, Department], FactDraft | None]

    @property
    def department(self) -> Department:
        return FEED_OWNER[self.kind]

    @property
    def column_names(self) -> frozenset[str]:
        return frozenset(c.name for c in self.columns)


def _c(name: str, meaning: str, required: bool = True) -> Column:
    return Column(name, required, meaning)


RESIDENT_ID = _c(
    "resident_id", "公民身份号码 resident ID (GB 11643); used only to derive the person key"
)
USCC = _c("uscc", "统一社会信用代码 USCC (GB 32100)")
STATUS_COL = _c("status", "状态 active|有效 or revoked|撤销|退出 (default active)", False)


def _ok(row: Row) -> bool:
    return not row.errors


def _si_enrolment(row: Row, dept: Department) -> FactDraft | None:
    pk, uscc = row.person(), row.uscc()
    enrolled, ended = row.date("enrolled_on"), row.date("ended_on", required=False)
    district = row.district()
    if enrolled and ended and ended < enrolled:
        row.error("ended_on", "ends_before_start")
    if not _ok(row):
        return None
    return FactDraft(
        f"si_enrolment:{pk}:{uscc}",
        FactKind.SOCIAL_INSURANCE_ENROLMENT,
        Subject.PERSON,
        dept,
        person_key=pk,
        uscc=uscc,
        valid_from=enrolled,
        valid_until=ended,
        detail={
            "enrolled_on": enrolled.isoformat(),
            "ended_on": ended.isoformat() if ended else None,
            "district_code": district,
        },
    )


CONTRIBUTION_AMOUNTS = (
    "employer_pension_fen",
    "employer_medical_fen",
    "employer_unemployment_fen",
    "employer_work_injury_fen",
    "employer_maternity_fen",
    "employee_total_fen",
    "base_fen",
)


def _si_contribution(row: Row, dept: Department) -> FactDraft | None:
    pk, uscc, month = row.person(), row.uscc(), row.month("month")
    amounts = {name: row.fen(name) for name in CONTRIBUTION_AMOUNTS}
    if not _ok(row):
        return None
    return FactDraft(
        f"si_contribution:{pk}:{uscc}:{month:%Y-%m}",
        FactKind.SOCIAL_INSURANCE_CONTRIBUTION,
        Subject.PERSON,
        dept,
        person_key=pk,
        uscc=uscc,
        valid_from=month,
        detail={"month": month.isoformat(), **amounts},
    )


def _education(row: Row, dept: Department) -> FactDraft | None:
    pk = row.person()
    level = row.integer("education_level", 1, 7)
    school = row.text("school")
    graduated = row.date("graduation_date")
    full_time = row.boolean("full_time")
    if not _ok(row):
        return None
    return FactDraft(
        f"education:{pk}",
        FactKind.EDUCATION,
        Subject.PERSON,
        dept,
        person_key=pk,
        valid_from=graduated,
        detail={
            "education_level": level,
            "school": school,
            "graduation_date": graduated.isoformat(),
            "full_time": full_time,
        },
    )


def _skill_certificate(row: Row, dept: Department) -> FactDraft | None:
    pk = row.person()
    number = row.pattern("certificate_no", r"[0-9A-Za-z-]{6,40}", _CERTIFICATE_NO)
    level = row.choice("skill_level", SKILL_LEVELS)
    occupation = row.pattern("occupation_code", OCCUPATION_CODE, _OCCUPATION)
    issued = row.date("issued_on")
    revoked = row.choice("status", STATUS, required=False) or False
    if not _ok(row):
        return None
    return FactDraft(
        f"skill_certificate:{pk}:{number}",
        FactKind.SKILL_CERTIFICATE,
        Subject.PERSON,
        dept,
        person_key=pk,
        valid_from=issued,
        revoked=revoked,
        detail={
            "certificate_no": number,
            "skill_level": level,
            "occupation_code": occupation,
            "issued_on": issued.isoformat(),
        },
    )


def _professional_title(row: Row, dept: Department) -> FactDraft | None:
    pk = row.person()
    number = row.pattern("certificate_no", r"[0-9A-Za-z-]{6,40}", _CERTIFICATE_NO)
    title = row.choice("title", TITLES)
    field = row.text("field")
    conferred = row.date("conferred_on")
    revoked = row.choice("status", STATUS, required=False) or False
    if not _ok(row):
        return None
    return FactDraft(
        f"professional_title:{pk}:{number}",
        FactKind.PROFESSIONAL_TITLE,
        Subject.PERSON,
        dept,
        person_key=pk,
        valid_from=conferred,
        revoked=revoked,
        detail={
            "certificate_no": number,
            "title": title,
            "field": field,
            "conferred_on": conferred.isoformat(),
        },
    )


def _enterprise_registry(row: Row, dept: Department) -> FactDraft | None:
    uscc = row.uscc()
    name = row.text("name")
    unit_type = row.choice("unit_type", UNIT_TYPES)
    status = row.choice("status", REGISTRATION_STATUS)
    district = row.district()
    industry = row.pattern("industry_code", r"[A-T]", _INDUSTRY_SECTION)
    established = row.date("established_on")
    if not _ok(row):
        return None
    return FactDraft(
        f"enterprise_registration:{uscc}",
        FactKind.ENTERPRISE_REGISTRATION,
        Subject.ENTERPRISE,
        dept,
        uscc=uscc,
        valid_from=established,
        detail={
            "name": name,
            "unit_type": unit_type,
            "status": status,
            "district_code": district,
            "industry_code": industry,
            "established_on": established.isoformat(),
        },
    )


def _list(kind: FactKind, key: str, national_only: bool):
    def parse(row: Row, dept: Department) -> FactDraft | None:
        uscc = row.uscc()
        year = row.integer("list_year", 2000, 2100)
        level = row.choice("level", LIST_LEVELS)
        valid_from = row.date("valid_from", future=True)
        valid_until = row.date("valid_until", required=False, future=True)
        revoked = row.choice("status", STATUS, required=False) or False
        if national_only and level is not None and level != "NATIONAL":
            row.error("level", "unknown_value", why="little_giant_national_only")
        if not _ok(row):
            return None
        return FactDraft(
            f"{key}:{uscc}",
            kind,
            Subject.ENTERPRISE,
            dept,
            uscc=uscc,
            valid_from=valid_from,
            valid_until=valid_until,
            revoked=revoked,
            detail={"list_year": year, "level": level},
        )

    return parse


def _low_income(row: Row, dept: Department) -> FactDraft | None:
    pk = row.person()
    category = row.choice("category", ASSISTANCE)
    district = row.district()
    valid_from = row.date("valid_from")
    revoked = row.choice("status", STATUS, required=False) or False
    if not _ok(row):
        return None
    return FactDraft(
        f"low_income:{pk}",
        FactKind.LOW_INCOME,
        Subject.PERSON,
        dept,
        person_key=pk,
        valid_from=valid_from,
        revoked=revoked,
        detail={"category": category, "district_code": district},
    )


def _poverty(row: Row, dept: Department) -> FactDraft | None:
    pk = row.person()
    year = row.integer("year", 2013, 2100)
    district = row.district()
    revoked = row.choice("status", STATUS, required=False) or False
    if not _ok(row):
        return None
    return FactDraft(
        f"poverty_alleviated:{pk}",
        FactKind.POVERTY_ALLEVIATED,
        Subject.PERSON,
        dept,
        person_key=pk,
        revoked=revoked,
        detail={"year": year, "district_code": district},
    )


def _disability(row: Row, dept: Department) -> FactDraft | None:
    pk = row.person()
    category = row.integer("category", 1, 7)
    grade = row.integer("grade", 1, 4)
    issued = row.date("issued_on")
    revoked = row.choice("status", STATUS, required=False) or False
    if not _ok(row):
        return None
    return FactDraft(
        f"disability:{pk}",
        FactKind.DISABILITY,
        Subject.PERSON,
        dept,
        person_key=pk,
        valid_from=issued,
        revoked=revoked,
        detail={"category": category, "grade": grade},
    )


def _birth(row: Row, dept: Department) -> FactDraft | None:
    pk = row.person("mother_resident_id")
    born = row.date("birth_date")
    order = row.integer("child_order", 1, 3)
    revoked = row.choice("status", STATUS, required=False) or False
    if not _ok(row):
        return None
    return FactDraft(
        f"birth:{pk}:{order}",
        FactKind.BIRTH,
        Subject.PERSON,
        dept,
        person_key=pk,
        valid_from=born,
        revoked=revoked,
        detail={"birth_date": born.isoformat(), "child_order": order},
    )


def _veteran(row: Row, dept: Department) -> FactDraft | None:
    pk = row.person()
    discharged = row.date("discharged_on")
    if not _ok(row):
        return None
    return FactDraft(
        f"veteran:{pk}",
        FactKind.VETERAN,
        Subject.PERSON,
        dept,
        person_key=pk,
        valid_from=discharged,
        detail={"discharged_on": discharged.isoformat()},
    )


_LIST_COLUMNS = (
    USCC,
    _c("name", "企业名称 enterprise name (for reading; the registry feed settles it)", False),
    _c("list_year", "认定年度 year of the list"),
    _c("level", "层级 省级|国家级 (list level)"),
    _c("valid_from", "有效期起 first day on the list"),
    _c("valid_until", "有效期止 last day on the list", False),
    STATUS_COL,
)

FEEDS: dict[FeedKind, FeedSpec] = {
    s.kind: s
    for s in (
        FeedSpec(
            FeedKind.SI_ENROLMENT,
            FactKind.SOCIAL_INSURANCE_ENROLMENT,
            Subject.PERSON,
            "社保参保登记 social-insurance enrolment",
            (
                RESIDENT_ID,
                USCC,
                _c("enrolled_on", "参保日期 first day enrolled with this employer"),
                _c("ended_on", "终止日期 last day enrolled (empty while enrolled)", False),
                _c("district_code", "参保地区划代码 six-digit district keeping the enrolment"),
            ),
            _si_enrolment,
        ),
        FeedSpec(
            FeedKind.SI_CONTRIBUTION,
            FactKind.SOCIAL_INSURANCE_CONTRIBUTION,
            Subject.PERSON,
            "社保月缴费明细 monthly contributions",
            (
                RESIDENT_ID,
                USCC,
                _c("month", "缴费所属期 month paid for, YYYY-MM"),
                _c("employer_pension_fen", "单位养老 employer pension share, fen"),
                _c("employer_medical_fen", "单位医疗 employer medical share, fen"),
                _c("employer_unemployment_fen", "单位失业 employer unemployment share, fen"),
                _c("employer_work_injury_fen", "单位工伤 employer work-injury share, fen"),
                _c("employer_maternity_fen", "单位生育 employer maternity share, fen"),
                _c("employee_total_fen", "个人缴费合计 employee share, all insurances, fen"),
                _c("base_fen", "缴费基数 contribution base, fen"),
            ),
            _si_contribution,
        ),
        FeedSpec(
            FeedKind.EDUCATION,
            FactKind.EDUCATION,
            Subject.PERSON,
            "学历 highest education",
            (
                RESIDENT_ID,
                _c("education_level", "学历层次 1 初中及以下 … 5 本科 6 硕士 7 博士 (level 1–7)"),
                _c("school", "毕业院校 school"),
                _c("graduation_date", "毕业日期 graduation date"),
                _c("full_time", "全日制 full-time study: true|false|是|否"),
            ),
            _education,
        ),
        FeedSpec(
            FeedKind.SKILL_CERTIFICATE,
            FactKind.SKILL_CERTIFICATE,
            Subject.PERSON,
            "职业技能等级证书/职业资格证书 skill certificate",
            (
                RESIDENT_ID,
                _c("certificate_no", "证书编号 certificate number"),
                _c("skill_level", "等级 初级工|中级工|高级工|技师|高级技师 (or 5…1)"),
                _c("occupation_code", "职业代码 occupation code, e.g. 6-18-01-01"),
                _c("issued_on", "发证日期 date issued"),
                STATUS_COL,
            ),
            _skill_certificate,
        ),
        FeedSpec(
            FeedKind.PROFESSIONAL_TITLE,
            FactKind.PROFESSIONAL_TITLE,
            Subject.PERSON,
            "专业技术职称 professional title",
            (
                RESIDENT_ID,
                _c("certificate_no", "职称证书编号 certificate number"),
                _c("title", "职称等级 初级|中级|副高级|正高级"),
                _c("field", "专业 field"),
                _c("conferred_on", "取得日期 date conferred"),
                STATUS_COL,
            ),
            _professional_title,
        ),
        FeedSpec(
            FeedKind.ENTERPRISE_REGISTRY,
            FactKind.ENTERPRISE_REGISTRATION,
            Subject.ENTERPRISE,
            "市场监管登记信息 enterprise registry",
            (
                USCC,
                _c("name", "名称 registered name"),
                _c(
                    "unit_type",
                    "单位类型 企业|机关|事业单位|社会团体|民办非企业单位|个体工商户"
                    "|农民专业合作社|其他",
                ),
                _c("status", "登记状态 存续|在业|吊销|注销 (or active|revoked|deregistered)"),
                _c("district_code", "登记机关区划 six-digit district of registration"),
                _c("industry_code", "行业门类 industry section A–T (GB/T 4754)"),
                _c("established_on", "成立日期 date established"),
            ),
            _enterprise_registry,
        ),
        FeedSpec(
            FeedKind.SPECIALIZED_SME,
            FactKind.SPECIALIZED_SME,
            Subject.ENTERPRISE,
            "专精特新中小企业名单 specialized SME list",
            _LIST_COLUMNS,
            _list(FactKind.SPECIALIZED_SME, "specialized_sme", national_only=False),
        ),
        FeedSpec(
            FeedKind.LITTLE_GIANT,
            FactKind.LITTLE_GIANT,
            Subject.ENTERPRISE,
            '专精特新"小巨人"名单 little-giant list',
            _LIST_COLUMNS,
            _list(FactKind.LITTLE_GIANT, "little_giant", national_only=True),
        ),
        FeedSpec(
            FeedKind.LOW_INCOME,
            FactKind.LOW_INCOME,
            Subject.PERSON,
            "低保/低收入/特困 social assistance",
            (
                RESIDENT_ID,
                _c("category", "救助类别 低保|低收入|特困"),
                _c("district_code", "审批地区划 six-digit district granting it"),
                _c("valid_from", "起始日期 first day"),
                STATUS_COL,
            ),
            _low_income,
        ),
        FeedSpec(
            FeedKind.POVERTY_ALLEVIATED,
            FactKind.POVERTY_ALLEVIATED,
            Subject.PERSON,
            "脱贫人口 people lifted out of poverty",
            (
                RESIDENT_ID,
                _c("year", "脱贫年度 year lifted out of poverty"),
                _c("district_code", "所在地区划 six-digit district keeping the record"),
                STATUS_COL,
            ),
            _poverty,
        ),
        FeedSpec(
            FeedKind.DISABILITY,
            FactKind.DISABILITY,
            Subject.PERSON,
            "残疾人证 disability certificate",
            (
                RESIDENT_ID,
                _c("category", "残疾类别 1 视力 2 听力 3 言语 4 肢体 5 智力 6 精神 7 多重"),
                _c("grade", "残疾等级 1–4"),
                _c("issued_on", "发证日期 date issued"),
                STATUS_COL,
            ),
            _disability,
        ),
        FeedSpec(
            FeedKind.BIRTH,
            FactKind.BIRTH,
            Subject.PERSON,
            "出生医学证明 births",
            (
                _c("mother_resident_id", "母亲公民身份号码 mother's resident ID"),
                _c("birth_date", "出生日期 child's date of birth"),
                _c("child_order", "孩次 child order 1|2|3 (3 = third or later)"),
                STATUS_COL,
            ),
            _birth,
        ),
        FeedSpec(
            FeedKind.VETERAN,
            FactKind.VETERAN,
            Subject.PERSON,
            "退役军人 veterans",
            (RESIDENT_ID, _c("discharged_on", "退役日期 date of discharge")),
            _veteran,
        ),
    )
}
assert set(FEEDS) == set(FeedKind)
