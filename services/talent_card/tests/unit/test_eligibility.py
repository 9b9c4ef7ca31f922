"""Eligibility criteria (认定标准): attributes to levels, evidence, versions in force."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from talent_card import criteria
from talent_card.domain.eligibility import (
    CriteriaError,
    decide,
    hire_may_bring_offer,
    in_force,
    parse_criteria,
)
from talent_card.domain.model import CardLevel

CURRENT = criteria.version("js-2026.1")


@pytest.mark.parametrize(
    ("attributes", "level"),
    [
        ({"talent_programme": "national"}, CardLevel.A),
        ({"talent_programme": "provincial"}, CardLevel.B),
        ({"professional_title": "senior"}, CardLevel.B),
        ({"honours": frozenset({"jiangsu_craftsman"})}, CardLevel.B),
        ({"honours": frozenset({"enterprise_chief_expert"})}, CardLevel.B),
        ({"professional_title": "associate_senior"}, CardLevel.C),
        ({"education": "doctorate"}, CardLevel.C),
        ({"skill_level": "senior_technician"}, CardLevel.C),
        ({"skill_level": "technician", "key_enterprise": True}, CardLevel.C),
        ({"skill_level": "technician", "key_enterprise": False}, None),
        ({"professional_title": "intermediate", "education": "master"}, None),
        ({}, None),
    ],
)
def test_recognised_attributes_give_a_level(attributes, level) -> None:
    assert decide(CURRENT, attributes).level == level


def test_the_best_level_wins_and_every_matching_rule_is_evidence() -> None:
    decision = decide(
        CURRENT,
        {"professional_title": "senior", "education": "doctorate", "talent_programme": "national"},
    )

    assert decision.level is CardLevel.A
    assert decision.criteria_version == "js-2026.1"
    assert {e.rule for e in decision.evidence} == {
        "national-talent-programme",
        "senior-professional-title",
        "doctorate",
    }
    national = next(e for e in decision.evidence if e.rule == "national-talent-programme")
    assert national.as_dict()["matched"] == {"talent_programme": "national"}
    assert decision.validity_years == CURRENT.validity_years[CardLevel.A]


def test_a_later_version_applies_from_its_day_and_leaves_earlier_days_alone() -> None:
    stricter = replace(
        CURRENT,
        version="js-2027.1",
        effective_from=date(2027, 1, 1),
        rules=tuple(r for r in CURRENT.rules if r.id != "doctorate"),
    )
    versions = (CURRENT, stricter)
    doctor = {"education": "doctorate"}

    assert decide(in_force(versions, date(2026, 12, 31)), doctor).level is CardLevel.C
    assert decide(in_force(versions, date(2027, 1, 1)), doctor).level is None
    with pytest.raises(LookupError):
        in_force(versions, date(2025, 12, 31))


def test_only_hires_into_key_or_specialised_enterprises_are_looked_at() -> None:
    assert hire_may_bring_offer(CURRENT, {"key_enterprise": True})
    assert not hire_may_bring_offer(CURRENT, {"key_enterprise": False})


def test_every_shipped_criteria_file_is_valid() -> None:
    versions = criteria.all_versions()
    assert [c.version for c in versions] == sorted(c.version for c in versions)
    assert all(set(c.validity_years) == set(CardLevel) for c in versions)


@pytest.mark.parametrize(
    "broken",
    [
        {"version": "2026"},
        {"rules": [{"id": "x", "name": "x", "level": "A", "when": {"shoe_size": [44]}}]},
        {"rules": [{"id": "x", "name": "x", "level": "Z", "when": {"education": ["doctorate"]}}]},
        {"validity_years": {"A": 5, "B": 5}},
    ],
)
def test_an_invalid_criteria_document_is_refused(broken) -> None:
    document = {
        "version": "js-2030.1",
        "effective_from": date(2030, 1, 1),
        "validity_years": {"A": 5, "B": 5, "C": 3},
        "rules": [{"id": "d", "name": "博士", "level": "C", "when": {"education": ["doctorate"]}}],
    } | broken
    with pytest.raises(CriteriaError):
        parse_criteria(document)


def test_before_the_first_version_there_are_no_criteria_to_decide_by() -> None:
    from talent_card.domain.eligibility import in_force_or_none

    assert in_force_or_none((CURRENT,), date(2025, 12, 31)) is None  # the day before
    assert in_force_or_none((CURRENT,), date(2026, 1, 1)) is CURRENT  # its first day
    assert in_force_or_none((CURRENT,), date(2027, 6, 1)) is CURRENT  # until replaced
