"""The demo data set of the local stack (see :mod:`suxin_devkit.devstack.demo`).

Synthetic people and enterprises only: resident IDs and credit codes are generated with valid
check digits at load time (``suxin_devkit.testing``); none belongs to anyone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from suxin_devkit.testing import make_uscc


@dataclass(frozen=True)
class Enterprise:
    n: int
    name: str
    city: str
    district: str
    industry: str
    size: str
    specialized: bool = False  # 专精特新
    little_giant: bool = False
    key_monitored: bool = False

    @property
    def uscc(self) -> str:
        return make_uscc(self.n, region=self.district)


ENTERPRISES = [
    Enterprise(1, "扬州智能装备有限公司", "3210", "321002", "C", "medium", True, True, True),
    Enterprise(2, "扬州文旅数字科技有限公司", "3210", "321003", "I", "small"),
    Enterprise(3, "南京软件谷信息技术有限公司", "3201", "320114", "I", "large", key_monitored=True),
    Enterprise(4, "苏州精密制造股份有限公司", "3205", "320505", "C", "large"),
    Enterprise(5, "无锡物流服务有限公司", "3202", "320214", "G", "small"),
]
ENTERPRISE = {e.n: e for e in ENTERPRISES}


@dataclass(frozen=True)
class Post:
    key: str
    enterprise: int
    title: str
    occupation: str
    district: str
    kind: str
    headcount: int
    wage: tuple[int, int]  # yuan a month
    skills: tuple[str, ...]
    education: str | None
    description: str


POSTS = [
    Post(
        "cnc",
        1,
        "数控设备运维工程师",
        "6-18-01-01",
        "321002",
        "full_time",
        20,
        (6000, 9000),
        ("数控编程", "PLC", "设备维护"),
        "vocational",
        "负责五轴数控加工中心的日常运维与故障诊断。",
    ),
    Post(
        "intern",
        1,
        "智能制造见习生",
        "6-18-01-01",
        "321002",
        "internship",
        10,
        (2500, 3000),
        ("设备维护",),
        "junior_college",
        "就业见习岗位，导师带教，见习期六个月。",
    ),
    Post(
        "pm",
        2,
        "数字文旅产品经理",
        "2-02-10-03",
        "321003",
        "full_time",
        5,
        (7000, 11000),
        ("产品设计", "数据分析"),
        "bachelor",
        "负责瘦西湖数字导览等文旅小程序的产品规划。",
    ),
    Post(
        "python",
        3,
        "Python 后端开发工程师",
        "2-02-10-03",
        "320114",
        "full_time",
        30,
        (12000, 20000),
        ("Python", "PostgreSQL", "FastAPI"),
        "bachelor",
        "参与政务服务平台后端开发，熟悉异步编程。",
    ),
    Post(
        "qc",
        4,
        "质量检验员",
        "6-31-03-01",
        "320505",
        "full_time",
        15,
        (5500, 7500),
        ("质量检验", "三坐标测量"),
        "senior_secondary",
        "精密零部件来料与成品检验。",
    ),
    Post(
        "courier",
        5,
        "仓储配送员（灵活用工）",
        "4-02-06-03",
        "320214",
        "gig",
        50,
        (4000, 7000),
        ("驾驶", "仓储管理"),
        None,
        "城区即时配送，按单结算，多劳多得。",
    ),
]
POST = {p.key: p for p in POSTS}


@dataclass(frozen=True)
class Seeker:
    n: int
    district: str
    born: str
    education: str
    graduated_days_ago: int | None
    groups: tuple[str, ...]
    skills: tuple[str, ...]
    occupations: tuple[str, ...]
    regions: tuple[str, ...]
    wage: int  # yuan a month
    skill_level: str | None = None
    title: str | None = None
    unemployed: bool = False
    extra: dict = field(default_factory=dict)


SEEKERS = [
    Seeker(
        1,
        "321002",
        "20010305",
        "bachelor",
        140,
        ("college_graduate",),
        ("数控编程", "PLC"),
        ("6-18-01-01",),
        ("3210",),
        6500,
    ),
    Seeker(
        2,
        "321003",
        "19990711",
        "master",
        400,
        ("college_graduate",),
        ("产品设计", "数据分析", "Python"),
        ("2-02-10-03",),
        ("3210", "3201"),
        9000,
    ),
    Seeker(
        3,
        "320114",
        "19850120",
        "senior_secondary",
        None,
        ("employment_difficulty",),
        ("质量检验",),
        ("6-31-03-01",),
        ("3205", "3201"),
        5500,
        unemployed=True,
    ),
    Seeker(
        4,
        "320505",
        "19900418",
        "vocational",
        None,
        ("veteran",),
        ("质量检验", "三坐标测量"),
        ("6-31-03-01",),
        ("320505",),
        6000,
        skill_level="senior_worker",
    ),
    Seeker(
        5,
        "320214",
        "19931101",
        "junior_secondary_or_below",
        None,
        ("migrant_worker", "poverty_alleviated"),
        ("驾驶", "仓储管理"),
        ("4-02-06-03",),
        ("3202",),
        5000,
    ),
    Seeker(
        6,
        "321002",
        "19880909",
        "bachelor",
        None,
        ("displaced_by_digital_transformation",),
        ("设备维护", "PLC"),
        ("6-18-01-01",),
        ("3210", "3205"),
        7000,
        skill_level="technician",
    ),
    Seeker(
        7,
        "321002",
        "20020215",
        "junior_college",
        90,
        ("college_graduate",),
        ("设备维护",),
        ("6-18-01-01",),
        ("321002",),
        2800,
    ),
    Seeker(
        8,
        "320114",
        "19970606",
        "doctorate",
        300,
        ("college_graduate",),
        ("Python", "PostgreSQL", "FastAPI"),
        ("2-02-10-03",),
        ("3201",),
        15000,
        title="senior",
    ),
    Seeker(
        9,
        "321002",
        "19890312",
        "vocational",
        None,
        (),
        ("数控编程", "设备维护", "PLC"),
        ("6-18-01-01",),
        ("3210",),
        8000,
        skill_level="technician",
    ),
]
SEEKER = {s.n: s for s in SEEKERS}

# (seeker, post, contract type, months, started days ago); seeker 4 is hired through the
# application below, seeker 6's hire ends in a separation.
HIRES = [
    (1, "cnc", "fixed_term", 36, 0),
    (9, "cnc", "open_ended", 0, 0),  # a technician into a key 专精特新 enterprise: card offer
    (7, "intern", "internship_agreement", 6, 30),
    (3, "qc", "open_ended", 0, 45),
    (8, "python", "fixed_term", 36, 20),
    (5, "courier", "service_agreement", 12, 60),
    (6, "qc", "fixed_term", 24, 80),
]
APPLICATION_HIRE = (4, "qc", "fixed_term", 36, 10)
SEPARATED = 6  # seeker whose hire ends (resignation, 10 days ago)
# (seeker, post, review steps)
APPLICATIONS = [
    (4, "qc", ("shortlist", "offer")),  # then hired with the application
    (2, "pm", ("shortlist",)),
    (2, "python", ()),
    (6, "python", ("reject",)),
    (1, "intern", ("withdraw",)),
]

MARKET = {
    "name": "南京市江北新区规范化零工市场",
    "level": "county",
    "city_code": "3201",
    "district_code": "320111",
    "standardised": True,
    "provincial_level": True,
}
PLATFORM_N, PLATFORM_DISTRICT = 51, "320106"
PLATFORM_CLIENT_ID = "demo-sudi-delivery"
PLATFORM = {
    "name": "苏递同城即时配送平台",
    "client_id": PLATFORM_CLIENT_ID,
    "pilot": True,
    "industries": ["instant_delivery", "intra_city_freight"],
    "city_code": "3201",
}
# (worker id, person number, district, born, name)
WORKERS = [
    ("rider-001", 201, "320106", "19950412", "周子航"),
    ("rider-002", 202, "320113", "19920827", "吴晓东"),
    ("rider-003", 203, "320115", "19980130", "郑雨萱"),
]
ORDERS_PER_WORKER = 8

# The gig market as a market (南京江北新区): a gig posted by enterprise 3 with its place,
# daily hours and skills; a 零工驿站 about 600 m away; worker 201's gig profile nearby.
GIG_POSTER = 3
GIG_POSTING = {
    "title": "江北新区仓库装卸工（日结）",
    "occupation_code": "4-02-06-03",
    "district_code": "320111",
    "pay_unit": "day",
    "pay_fen": 22000,
    "headcount": 3,
    "address": "南京市浦口区江浦街道物流园 8 号",
    "latitude": 32.0590,
    "longitude": 118.6280,
    "daily_start": "08:00",
    "daily_end": "17:00",
    "skills": ["装卸", "叉车"],
}
GIG_STATION = {
    "name": "江北新区江浦零工驿站",
    "district_code": "320111",
    "address": "南京市浦口区江浦街道文德路 1 号",
    "latitude": 32.0630,
    "longitude": 118.6320,
    "opening_hours": [
        {"days": [1, 2, 3, 4, 5], "opens": "08:30", "closes": "17:30"},
        {"days": [6], "opens": "09:00", "closes": "12:00"},
    ],
    "services": ["求职登记", "零工对接", "政策咨询", "技能培训报名"],
    "phone": "025-58880000",
}
GIG_PROFILE = {
    "display_name": "周师傅",
    "skills": ["装卸", "搬运"],
    "district_code": "320111",
    "latitude": 32.0700,
    "longitude": 118.6400,
    "radius_km": 15,
}
# A 专精特新 专场 (seed 004: at least 100 a year) in 扬州广陵.
JOB_FAIR = {
    "name": "扬州市专精特新企业专场招聘会",
    "mode": "onsite",
    "theme": "specialized_sme",
    "city_code": "3210",
    "district_code": "321002",
    "venue": "扬州市人力资源市场（广陵区文昌中路）",
}

INSTITUTION_N, INSTITUTION_DISTRICT = 61, "321002"
INSTITUTION_NAME = "扬州市高级技工学校"
OCCUPATION = {
    "code": "6-18-01-01",
    "name": "数控机床装调维修工",
    "subsidy_fen": {
        "intermediate_worker": 150000,
        "senior_worker": 200000,
        "technician": 300000,
        "senior_technician": 400000,
    },
    "digital_skills": True,
    "shortage": True,
    "specialised_sme_oriented": True,
}
VOUCHER_HOLDER = 6  # upskilled to 高级技师: TrainingCertified brings a talent card offer
CARD_APPLICANT = 8  # 正高级 title: applies, staff approve a level-B card
