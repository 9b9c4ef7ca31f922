"""Maker-checker rules (suxin_common.security.four_eyes): levels from the district claim,
the level a proposal needs, and who may check it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from suxin_common.auth import Principal, Role, Tenant
from suxin_common.security.four_eyes import (
    Approval,
    FourEyesViolation,
    Level,
    Rule,
    Status,
    level_of,
    may_check,
)


def staff(subject: str, *districts: str, roles=(Role.HRSS_STAFF,)) -> Principal:
    tenant = Tenant(district=districts[0] if districts else None, districts=tuple(districts[1:]))
    return Principal(subject=subject, roles=frozenset(roles), tenant=tenant)


def proposal(maker: str = "alice", level: Level = Level.DISTRICT, excluded=()) -> Approval:
    return Approval(
        id=uuid.uuid4(),
        action="subsidy_approval",
        object_type="subsidy_case",
        object_id="c1",
        amount_fen=100,
        payload={},
        maker=maker,
        maker_level=Level.DISTRICT,
        made_at=datetime(2026, 12, 7, tzinfo=UTC),
        required_level=level,
        status=Status.PENDING,
        excluded=tuple(excluded),
    )


@pytest.mark.parametrize(
    ("districts", "level"),
    [
        ((), Level.PROVINCE),
        (("32",), Level.PROVINCE),
        (("3210",), Level.CITY),
        (("321002",), Level.DISTRICT),
        (("3210", "321002"), Level.DISTRICT),  # the lowest of several counts
    ],
)
def test_the_level_comes_from_the_district_claim(districts, level) -> None:
    assert level_of(staff("s", *districts)) is level


def test_above_the_threshold_the_higher_level_is_required() -> None:
    rule = Rule("x", "x", second_level_above_fen=1000, second_level=Level.CITY)
    assert rule.required_level(1000) is Level.DISTRICT
    assert rule.required_level(1001) is Level.CITY
    table = Rule("t", "t", min_level=Level.CITY)
    assert table.required_level(0) is table.required_level(10**9) is Level.CITY
    strict = Rule("p", "p", second_level_above_fen=0, second_level=Level.PROVINCE)
    assert strict.required_level(1) is Level.PROVINCE


def test_nobody_checks_their_own_work_whatever_their_roles() -> None:
    for roles in ((Role.HRSS_STAFF,), (Role.HRSS_STAFF, Role.AUDITOR, Role.ADMIN)):
        with pytest.raises(FourEyesViolation) as refused:
            may_check(proposal("alice"), staff("alice", roles=roles))
        assert refused.value.code == "own-work"


def test_who_took_part_before_may_not_check() -> None:
    with pytest.raises(FourEyesViolation) as refused:
        may_check(proposal("carol", excluded=["alice", "bob"]), staff("bob"))
    assert refused.value.code == "took-part"
    assert may_check(proposal("carol", excluded=["alice", "bob"]), staff("dave")) is (
        Level.PROVINCE
    )


def test_a_checker_below_the_required_level_is_refused() -> None:
    city_needed = proposal(level=Level.CITY)
    with pytest.raises(FourEyesViolation) as refused:
        may_check(city_needed, staff("bob", "321002"))
    assert refused.value.code == "level"
    assert may_check(city_needed, staff("bob", "3210")) is Level.CITY
    assert may_check(city_needed, staff("bob")) is Level.PROVINCE


def test_only_staff_check() -> None:
    with pytest.raises(FourEyesViolation) as refused:
        may_check(proposal(), staff("eve", roles=(Role.ENTERPRISE,)))
    assert refused.value.code == "not-staff"
