"""How the search market and its judgments were made (rerun after changing either):
``.venv/bin/python services/job_matching/tests/search_data/make_market.py``.

The market: 26 enterprises across Jiangsu's 13 cities and about 230 open posts written from
per-occupation titles, skills and descriptions (seeded, so the same every run). The
judgments: each query says what the person typing it wants, as a rule over what a post *is*
(its occupation code, city, enterprise, kind, skills), never over its words; the relevant
posts are those the rule accepts. Both files are data; the test reads only them.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).parent

ENTERPRISES = [
    # n, name, district, industry division (GB/T 4754), size
    (1, "扬州智能装备有限公司", "321002", "C", "medium"),
    (2, "扬州文旅数字科技有限公司", "321003", "I", "small"),
    (3, "南京软件谷信息技术有限公司", "320114", "I", "large"),
    (4, "苏州精密制造股份有限公司", "320505", "C", "large"),
    (5, "无锡物流服务有限公司", "320214", "G", "small"),
    (6, "常州新能源汽车零部件有限公司", "320412", "C", "large"),
    (7, "南通船舶重工有限公司", "320612", "C", "large"),
    (8, "徐州工程机械集团有限公司", "320312", "C", "large"),
    (9, "盐城风电装备有限公司", "320904", "C", "medium"),
    (10, "泰州医药科技有限公司", "321202", "C", "medium"),
    (11, "镇江港口物流有限公司", "321102", "G", "medium"),
    (12, "淮安食品有限公司", "320812", "C", "medium"),
    (13, "连云港石化有限公司", "320703", "C", "large"),
    (14, "宿迁电子商务产业园运营有限公司", "321302", "I", "small"),
    (15, "昆山电子科技有限公司", "320583", "C", "large"),
    (16, "江阴钢铁制品有限公司", "320281", "C", "large"),
    (17, "南京金陵大酒店有限公司", "320104", "H", "medium"),
    (18, "苏州姑苏餐饮管理有限公司", "320508", "H", "small"),
    (19, "扬州颐和养老服务中心", "321003", "Q", "small"),
    (20, "无锡家政服务有限公司", "320213", "O", "small"),
    (21, "南京汽车维修服务有限公司", "320115", "O", "small"),
    (22, "常州智能制造技术有限公司", "320411", "C", "medium"),
    (23, "江苏苏递即时配送有限公司", "320106", "G", "medium"),
    (24, "扬州邗江电气安装工程有限公司", "321003", "E", "small"),
    (25, "苏州智能机器人有限公司", "320506", "C", "medium"),
    (26, "南京江宁数字营销有限公司", "320115", "L", "small"),
]

# occupation code -> (titles, skills, descriptions, wage range in yuan, education)
JOBS = {
    "6-31-01-03": (
        ["维修电工", "电工", "设备电工", "水电工", "高压电工"],
        ["电工证", "PLC", "电气维修", "低压电工作业"],
        [
            "负责车间设备电气线路的日常巡检与故障排除，持有电工证。",
            "负责厂区水电维修、配电房值守，能看懂电气图纸。",
            "负责生产线电气控制柜的安装调试与维护保养。",
        ],
        (5000, 9000),
        "vocational",
    ),
    "6-18-02-04": (
        ["焊工", "电焊工", "氩弧焊工", "二保焊工"],
        ["焊接", "氩弧焊", "二氧化碳保护焊", "焊工证"],
        [
            "负责钢结构件的焊接作业，能独立完成平焊、立焊。",
            "负责不锈钢管道氩弧焊，焊缝需通过探伤检测。",
            "按图纸完成结构件焊接，两班倒，包吃住。",
        ],
        (6000, 11000),
        "junior_secondary_or_below",
    ),
    "6-18-01-01": (
        ["数控车工", "车工", "CNC车床操作工", "数控车床调机员"],
        ["数控编程", "车床操作", "看图纸"],
        [
            "操作数控车床加工轴类零件，能独立编程调机。",
            "负责精密零件车削加工，熟悉FANUC系统。",
            "看懂机械图纸，按工艺要求完成零件车削并自检。",
        ],
        (6000, 10000),
        "vocational",
    ),
    "6-18-01-02": (
        ["数控铣工", "CNC加工中心操作工", "铣工"],
        ["数控编程", "加工中心操作", "看图纸"],
        [
            "操作立式加工中心完成模具零件铣削，会手工编程。",
            "负责五轴加工中心的上下料、对刀与首件检验。",
        ],
        (6500, 11000),
        "vocational",
    ),
    "6-31-03-01": (
        ["质检员", "质量检验员", "品检员", "来料检验员"],
        ["质量检验", "三坐标测量", "卡尺使用"],
        [
            "负责来料与成品的尺寸检验，填写检验记录。",
            "使用三坐标测量仪检测精密零部件，出具检验报告。",
            "负责生产过程巡检，发现质量异常及时反馈。",
        ],
        (5000, 7500),
        "senior_secondary",
    ),
    "6-31-01-02": (
        ["机修钳工", "设备维修工", "设备钳工"],
        ["设备维护", "钳工", "液压维修"],
        [
            "负责生产设备的机械维修与保养，处理突发故障。",
            "负责液压与气动设备的检修，参与设备改造。",
        ],
        (6000, 9500),
        "vocational",
    ),
    "6-99-00-00": (
        ["普工", "生产操作工", "流水线操作工", "包装工"],
        ["吃苦耐劳"],
        [
            "流水线装配作业，无需经验，岗前带薪培训，包吃住。",
            "负责产品包装与贴标，长白班，月休四天。",
            "操作自动化设备上下料，两班倒，有夜班补贴。",
        ],
        (4500, 6500),
        None,
    ),
    "2-02-10-03": (
        ["Python 后端开发工程师", "Java 开发工程师", "前端开发工程师", "软件测试工程师"],
        ["Python", "Java", "Vue", "PostgreSQL", "软件测试"],
        [
            "参与政务服务平台后端开发，熟悉异步编程与数据库。",
            "负责企业管理系统的前端页面开发，熟悉 Vue。",
            "负责软件功能测试与自动化测试脚本编写。",
        ],
        (10000, 20000),
        "bachelor",
    ),
    "4-02-07-10": (
        ["外卖骑手", "同城配送员", "即时配送骑手"],
        ["电动车驾驶", "路线规划"],
        [
            "负责城区外卖订单配送，多劳多得，按单结算。",
            "负责同城即时配送，平台派单，时间灵活。",
        ],
        (5000, 9000),
        None,
    ),
    "4-02-06-01": (
        ["仓库管理员", "仓管员", "仓储主管"],
        ["仓储管理", "ERP系统", "叉车"],
        [
            "负责仓库出入库管理与盘点，熟悉 ERP 系统。",
            "负责物料收发、库存盘点，持叉车证优先。",
        ],
        (4500, 7000),
        "senior_secondary",
    ),
    "4-03-02-01": (
        ["厨师", "中餐厨师", "淮扬菜厨师", "面点师"],
        ["中式烹调", "淮扬菜", "面点制作"],
        [
            "负责酒店中餐厨房热菜制作，擅长淮扬菜优先。",
            "负责员工食堂饭菜烹饪，保证食品安全。",
        ],
        (5500, 9000),
        None,
    ),
    "4-10-01-05": (
        ["养老护理员", "护工", "失能老人照护员"],
        ["养老护理", "生活照料"],
        [
            "负责入住老人的生活照料与基础护理，提供岗前培训。",
            "负责失能老人的日常照护与康复协助。",
        ],
        (4500, 6500),
        None,
    ),
    "4-10-01-06": (
        ["家政服务员", "育儿嫂", "保洁员"],
        ["家政服务", "育婴", "保洁"],
        [
            "上门提供家庭保洁与收纳服务，时间灵活。",
            "负责婴幼儿日常照护，持育婴师证优先。",
        ],
        (5000, 9000),
        None,
    ),
    "4-12-01-01": (
        ["汽车维修工", "汽修学徒", "新能源汽车维修技师"],
        ["汽车维修", "新能源汽车", "故障诊断"],
        [
            "负责汽车保养与常见故障维修，有驾照优先。",
            "负责新能源汽车三电系统检测与维修。",
        ],
        (5000, 10000),
        "vocational",
    ),
    "4-01-02-02": (
        ["电商运营", "直播电商运营", "网店美工"],
        ["电商运营", "直播", "图片处理"],
        [
            "负责天猫、京东店铺日常运营与活动策划。",
            "负责直播间选品、脚本策划与数据复盘。",
        ],
        (6000, 12000),
        "junior_college",
    ),
    "4-01-02-01": (
        ["销售代表", "业务员", "数字营销专员"],
        ["销售", "客户开发", "新媒体营销"],
        [
            "负责区域客户开发与维护，底薪加提成。",
            "负责新媒体账号运营与线上推广。",
        ],
        (5000, 12000),
        "junior_college",
    ),
}

# enterprise -> occupations it hires for
HIRES_FOR = {
    1: ["6-18-01-01", "6-18-01-02", "6-31-01-03", "6-31-03-01", "6-99-00-00", "6-31-01-02"],
    2: ["2-02-10-03", "4-01-02-02", "4-01-02-01"],
    3: ["2-02-10-03", "2-02-10-03", "4-01-02-01"],
    4: ["6-18-01-01", "6-18-01-02", "6-31-03-01", "6-99-00-00", "6-31-01-02"],
    5: ["4-02-06-01", "4-02-07-10", "6-99-00-00"],
    6: ["6-18-02-04", "6-31-03-01", "6-99-00-00", "6-31-01-03", "4-12-01-01"],
    7: ["6-18-02-04", "6-31-01-03", "6-31-01-02", "6-99-00-00"],
    8: ["6-18-02-04", "6-18-01-01", "6-31-01-02", "6-31-03-01"],
    9: ["6-18-02-04", "6-31-01-03", "6-99-00-00"],
    10: ["6-31-03-01", "6-99-00-00", "4-02-06-01"],
    11: ["4-02-06-01", "6-31-01-03", "6-99-00-00"],
    12: ["6-99-00-00", "6-31-03-01", "4-03-02-01"],
    13: ["6-31-01-03", "6-31-01-02", "6-31-03-01"],
    14: ["4-01-02-02", "4-01-02-01", "4-02-06-01"],
    15: ["6-99-00-00", "6-31-03-01", "2-02-10-03", "6-31-01-03"],
    16: ["6-18-02-04", "6-99-00-00", "6-31-01-02"],
    17: ["4-03-02-01", "4-03-02-01"],
    18: ["4-03-02-01"],
    19: ["4-10-01-05", "4-03-02-01"],
    20: ["4-10-01-06", "4-10-01-05"],
    21: ["4-12-01-01"],
    22: ["6-18-01-02", "6-18-01-01", "2-02-10-03", "6-31-01-03"],
    23: ["4-02-07-10", "4-02-06-01"],
    24: ["6-31-01-03", "6-18-02-04"],
    25: ["2-02-10-03", "6-31-01-02", "6-99-00-00"],
    26: ["4-01-02-01", "4-01-02-02"],
}


# The 智能装备 and 智能制造 firms take CNC interns every year (就业见习基地).
INTERNSHIPS = {(1, "6-18-01-01"), (22, "6-18-01-02")}


def build_market() -> dict:
    rng = random.Random(26)
    posts = []
    for n, _name, district, _industry, _size in ENTERPRISES:
        for occupation in HIRES_FOR[n]:
            titles, skills, descriptions, (low, high), education = JOBS[occupation]
            for _ in range(rng.choice((2, 3, 3, 4))):
                wage_low = low + 500 * rng.randint(0, 3)
                wage_high = max(wage_low + 1000, high + 500 * rng.randint(-2, 2))
                posts.append(
                    {
                        "enterprise": n,
                        "title": rng.choice(titles),
                        "occupation": occupation,
                        "district": district,
                        "kind": "full_time",
                        "wage": [wage_low, wage_high],
                        "skills": rng.sample(skills, k=min(len(skills), rng.randint(1, 3))),
                        "education": education,
                        "description": rng.choice(descriptions),
                        "days_ago": rng.randint(0, 60),
                    }
                )
            chance = rng.random() < 0.25 or (n, occupation) in INTERNSHIPS
            if occupation != "6-99-00-00" and chance:
                title = rng.choice(titles).replace(" ", "")
                posts.append(
                    {
                        "enterprise": n,
                        "title": f"{title}见习生",
                        "occupation": occupation,
                        "district": district,
                        "kind": "internship",
                        "wage": [2500, 3500],
                        "skills": rng.sample(skills, k=1),
                        "education": "junior_college",
                        "description": "就业见习岗位，导师带教，见习期六个月，"
                        + rng.choice(descriptions),
                        "days_ago": rng.randint(0, 60),
                    }
                )
    for i, post in enumerate(posts):
        post["key"] = f"p{i + 1:03d}"
    return {
        "enterprises": [
            {"n": n, "name": name, "district": d, "industry": ind, "size": size}
            for n, name, d, ind, size in ENTERPRISES
        ],
        "posts": posts,
    }


def _city(post) -> str:
    return post["district"][:4]


def _any_skill(post, *skills) -> bool:
    return any(s in post["skills"] for s in skills)


ELECTRICIAN, WELDER, TURNER, MILLER, QC, FITTER, GENERAL = (
    "6-31-01-03",
    "6-18-02-04",
    "6-18-01-01",
    "6-18-01-02",
    "6-31-03-01",
    "6-31-01-02",
    "6-99-00-00",
)
SOFTWARE, RIDER, WAREHOUSE, COOK, CARER, HOUSEKEEPING, MECHANIC, ECOMMERCE, SALES = (
    "2-02-10-03",
    "4-02-07-10",
    "4-02-06-01",
    "4-03-02-01",
    "4-10-01-05",
    "4-10-01-06",
    "4-12-01-01",
    "4-01-02-02",
    "4-01-02-01",
)
CNC = (TURNER, MILLER)


def _occ(*codes):
    return lambda p: p["occupation"] in codes


# (query, kind, what the person wants, rule)
QUERIES = [
    ("电工", "chinese", "electricians", _occ(ELECTRICIAN)),
    ("维修电工", "chinese", "electricians (synonym)", _occ(ELECTRICIAN)),
    ("普工", "chinese", "general production workers", _occ(GENERAL)),
    ("操作工", "chinese", "general production workers (synonym)", _occ(GENERAL)),
    ("焊工", "chinese", "welders", _occ(WELDER)),
    ("电焊工", "chinese", "welders (synonym)", _occ(WELDER)),
    ("质检员", "chinese", "quality inspectors", _occ(QC)),
    ("检验员", "chinese", "quality inspectors (synonym)", _occ(QC)),
    ("厨师", "chinese", "cooks", _occ(COOK)),
    ("护工", "chinese", "care workers", _occ(CARER)),
    ("保姆", "chinese", "housekeeping (synonym)", _occ(HOUSEKEEPING)),
    ("外卖员", "chinese", "delivery riders (synonym)", _occ(RIDER)),
    ("快递员", "chinese", "delivery riders (synonym of 配送员)", _occ(RIDER)),
    ("仓管员", "chinese", "warehouse keepers", _occ(WAREHOUSE)),
    ("汽修", "chinese", "car mechanics (synonym)", _occ(MECHANIC)),
    ("程序员", "chinese", "software developers (synonym)", _occ(SOFTWARE)),
    ("电商运营", "chinese", "e-commerce operators", _occ(ECOMMERCE)),
    ("业务员", "chinese", "sales", _occ(SALES)),
    ("智能装备", "chinese", "posts of 扬州智能装备", lambda p: p["enterprise"] == 1),
    ("船舶重工", "chinese", "posts of 南通船舶重工", lambda p: p["enterprise"] == 7),
    ("金陵大酒店", "chinese", "posts of 南京金陵大酒店", lambda p: p["enterprise"] == 17),
    ("数控编程", "chinese", "posts needing CNC programming", lambda p: _any_skill(p, "数控编程")),
    ("三坐标测量", "chinese", "posts needing CMM", lambda p: _any_skill(p, "三坐标测量")),
    ("扬州", "chinese", "posts in 扬州", lambda p: _city(p) == "3210"),
    ("昆山", "chinese", "posts in 昆山", lambda p: p["district"] == "320583"),
    ("江宁", "chinese", "posts in 江宁区", lambda p: p["district"] == "320115"),
    (
        "数控 见习",
        "chinese",
        "CNC internships",
        lambda p: p["kind"] == "internship" and p["occupation"] in CNC,
    ),
    (
        "扬州 电工",
        "chinese",
        "electricians in 扬州",
        lambda p: _occ(ELECTRICIAN)(p) and _city(p) == "3210",
    ),
    ("苏州 质检", "chinese", "inspectors in 苏州", lambda p: _occ(QC)(p) and _city(p) == "3205"),
    ("南京 厨师", "chinese", "cooks in 南京", lambda p: _occ(COOK)(p) and _city(p) == "3201"),
    ("常州 焊工", "chinese", "welders in 常州", lambda p: _occ(WELDER)(p) and _city(p) == "3204"),
    (
        "无锡 普工",
        "chinese",
        "general workers in 无锡",
        lambda p: _occ(GENERAL)(p) and _city(p) == "3202",
    ),
    ("见习", "chinese", "internships", lambda p: p["kind"] == "internship"),
    ("dianhan", "pinyin", "welders (电焊)", _occ(WELDER)),
    ("diangong", "pinyin", "electricians (电工)", _occ(ELECTRICIAN)),
    ("chushi", "pinyin", "cooks (厨师)", _occ(COOK)),
    ("zhijianyuan", "pinyin", "quality inspectors (质检员)", _occ(QC)),
    ("yangzhou", "pinyin", "posts in 扬州", lambda p: _city(p) == "3210"),
    ("shukong", "pinyin", "CNC posts (数控)", _occ(*CNC)),
    ("hangong", "pinyin", "welders (焊工)", _occ(WELDER)),
    ("dg", "initials", "electricians (电工)", _occ(ELECTRICIAN)),
    ("hg", "initials", "welders (焊工)", _occ(WELDER)),
    ("cs", "initials", "cooks (厨师)", _occ(COOK)),
    ("zjy", "initials", "quality inspectors (质检员)", _occ(QC)),
    (
        "python 南京",
        "mixed",
        "Python developers in 南京",
        lambda p: _any_skill(p, "Python") and _city(p) == "3201",
    ),
    (
        "PLC 电工",
        "mixed",
        "electricians with PLC",
        lambda p: _occ(ELECTRICIAN)(p) and _any_skill(p, "PLC"),
    ),
    ("cnc 加工中心", "mixed", "machining-centre operators", _occ(MILLER)),
    ("java开发", "mixed", "software developers", _occ(SOFTWARE)),
    ("ERP 仓库", "mixed", "warehouse keepers", _occ(WAREHOUSE)),
    ("数空", "misspelled", "CNC posts (数控)", _occ(*CNC)),
    ("焊公", "misspelled", "welders (焊工)", _occ(WELDER)),
    ("质减员", "misspelled", "quality inspectors (质检员)", _occ(QC)),
    ("厨狮", "misspelled", "cooks (厨师)", _occ(COOK)),
    ("养老户理", "misspelled", "care workers (养老护理)", _occ(CARER)),
    ("外麦骑手", "misspelled", "delivery riders (外卖骑手)", _occ(RIDER)),
    ("电公", "misspelled", "electricians (电工)", _occ(ELECTRICIAN)),
]


def main() -> None:
    market = build_market()
    (HERE / "market.json").write_text(
        json.dumps(market, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    judged = []
    for query, kind, wants, rule in QUERIES:
        relevant = [p["key"] for p in market["posts"] if rule(p)]
        assert relevant, query
        judged.append({"query": query, "kind": kind, "wants": wants, "relevant": relevant})
    (HERE / "queries.json").write_text(
        json.dumps({"queries": judged}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(len(market["posts"]), "posts,", len(judged), "queries")


if __name__ == "__main__":
    main()
