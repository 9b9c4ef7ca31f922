"""The code tables: real codes with their names, trees that hold together, and search."""

import re
from pathlib import Path

from suxin_common import codes
from suxin_common.regions import INDUSTRY_SECTIONS, JIANGSU_CITIES


def test_jiangsu_has_13_cities_and_95_county_level_divisions():
    regions = codes.table("regions")
    cities = regions.search(level=1)
    assert {c.code: c.name for c in cities} == dict(JIANGSU_CITIES)
    counties = regions.search(level=2)
    assert len(counties) == 95
    assert regions.name_of("321003") == "邗江区" and regions.get("321003").parent == "3210"
    assert [c.name for c in regions.children("3213")] == [
        "宿城区",
        "宿豫区",
        "沭阳县",
        "泗阳县",
        "泗洪县",
    ]


def test_industries_have_20_sections_and_97_divisions_under_them():
    industries = codes.table("industries")
    sections = industries.search(level=0)
    assert {c.code: c.name for c in sections} == dict(INDUSTRY_SECTIONS)
    divisions = industries.search(level=1)
    assert [d.code for d in divisions] == [f"{n:02d}" for n in range(1, 98)]
    assert industries.get("65").parent == "I" and industries.name_of("36") == "汽车制造业"


def test_every_parent_exists_and_occupation_codes_nest_by_prefix():
    for table in codes.tables().values():
        for entry in table:
            assert entry.parent is None or entry.parent in table, (table.name, entry.code)
    for entry in codes.table("occupations"):
        if entry.parent:
            assert entry.code.startswith(entry.parent + "-")


def test_search_by_name_part_pinyin_initials_and_code_prefix():
    regions = codes.table("regions")
    assert [c.name for c in regions.search("邗江")] == ["邗江区"]
    assert "扬州市" in [c.name for c in regions.search("yangzhou")]
    assert "邗江区" in [c.name for c in regions.search("hj")]
    assert {c.code for c in regions.search("3210", level=2)} == {
        "321002",
        "321003",
        "321012",
        "321023",
        "321081",
        "321084",
    }
    assert [c.name for c in codes.table("occupations").search("dg")] == ["电工"]


def test_names_in_english_where_the_table_has_them():
    assert codes.name_of("job-kinds", "internship") == "就业见习"
    assert codes.name_of("job-kinds", "internship", "en") == "internship"
    assert codes.name_of("regions", "3210", "en") == "扬州市"  # official names stay Chinese
    assert codes.name_of("regions", "9999") is None and codes.name_of("regions", None) is None


def test_occupation_codes_have_the_2022_format_and_the_major_groups_their_names():
    """职业分类大典（2022年版）: 大类-中类-小类-细类, 1-2-2-2 digits (6-28-01-xx); the eight
    major groups keep their 2015/2022 names."""
    shape = re.compile(r"\d(-\d{2}){0,3}")
    majors = {
        "1": "党的机关、国家机关、群众团体和社会组织、企事业单位负责人",
        "2": "专业技术人员",
        "3": "办事人员和有关人员",
        "4": "社会生产服务和生活服务人员",
        "5": "农、林、牧、渔业生产及辅助人员",
        "6": "生产制造及有关人员",
    }
    for entry in codes.table("occupations"):
        assert shape.fullmatch(entry.code), entry.code
        assert entry.level == entry.code.count("-")
        if entry.level == 0:
            assert entry.name == majors[entry.code]


def test_every_occupation_code_the_code_uses_is_in_the_table():
    """Occupation codes in the services' code and data (not tests) name a table entry, so every
    response can put its name beside it."""
    root = Path(__file__).resolve().parents[4]
    found = set()
    for path in [*root.glob("services/*/src/**/*.py"), *root.glob("services/*/src/**/*.json")]:
        found |= set(re.findall(r"\b\d-\d{2}-\d{2}-\d{2}\b", path.read_text("utf-8")))
    missing = sorted(c for c in found if c not in codes.table("occupations"))
    assert not missing, missing
