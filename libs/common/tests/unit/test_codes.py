"""The code tables: real codes with their names, trees that hold together, and search."""

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
