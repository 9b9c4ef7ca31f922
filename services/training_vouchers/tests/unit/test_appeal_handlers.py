"""复核 (appeals) through the in-memory unit of work: the enterprise appeals a refused case, a
staff member who took no part decides; upheld reopens the case for review. Each step is audited
and the decision announced."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from suxin_common.auth import Principal, Role, Tenant
from suxin_common.errors import Conflict, Forbidden
from training_vouchers import handlers
from training_vouchers.domain.model import CaseStatus
from training_vouchers.handlers import money

from .conftest import graduate_hire
from .fakes import fake_uow
from .test_hire_handler import deliver

AT = datetime(2026, 4, 1, 2, tzinfo=UTC)
ENTERPRISE = Principal(
    "acme-hr", frozenset({Role.ENTERPRISE}), Tenant(uscc=graduate_hire().enterprise_uscc)
)


def staff(subject: str) -> Principal:
    return Principal(subject, frozenset({Role.HRSS_STAFF}), Tenant(district="321002"))


async def refused_case(uow, book):
    await deliver(uow, graduate_hire(), book)
    [case] = uow.repos.store.cases.values()
    async with uow:
        case = await handlers.decide_case(
            uow, case.id, CaseStatus.REJECTED, reason="材料不全", by="staff-1", at=AT
        )
        await uow.commit()
    return case


async def step(uow, handler, *args, **kwargs):
    async with uow:
        result = await handler(uow, *args, **kwargs)
        await uow.commit()
    return result


async def test_an_upheld_appeal_reopens_the_refused_case(book):
    uow = fake_uow()
    case = await refused_case(uow, book)

    appeal = await step(
        uow,
        money.submit_appeal,
        case.id,
        principal=ENTERPRISE,
        grounds="补充了劳动合同",
        attachments=[],
        working_days=20,
        at=AT,
    )
    with pytest.raises(Conflict):  # one open appeal per case
        await step(
            uow,
            money.submit_appeal,
            case.id,
            principal=ENTERPRISE,
            grounds="再次申请",
            attachments=[],
            working_days=20,
            at=AT,
        )
    decided, reopened = await step(
        uow,
        money.decide_appeal,
        appeal.id,
        upheld=True,
        reason="合同有效",
        principal=staff("staff-2"),
        review_working_days=lambda case: 20,
        at=AT,
    )

    assert (appeal.appellant_kind, appeal.excluded) == ("enterprise", ("staff-1",))
    assert decided.status.value == "upheld" and decided.decided_by == "staff-2"
    assert reopened.status is CaseStatus.UNDER_REVIEW
    assert uow.repos.store.cases[case.id] == reopened
    assert uow.published[-1].type_name == "SubsidyAppealDecided"
    assert [e["action"] for e in uow.audit_entries][-2:] == ["appeal_submitted", "decide_subsidy"]
    assert uow.audit_entries[-1]["details"]["decision"] == "appeal_upheld"


async def test_who_decided_the_case_may_not_decide_its_appeal(book):
    uow = fake_uow()
    case = await refused_case(uow, book)
    appeal = await step(
        uow,
        money.submit_appeal,
        case.id,
        principal=ENTERPRISE,
        grounds="补充了劳动合同",
        attachments=[],
        working_days=20,
        at=AT,
    )
    published = len(uow.published)

    with pytest.raises(Forbidden) as refused:
        await step(
            uow,
            money.decide_appeal,
            appeal.id,
            upheld=True,
            reason="合同有效",
            principal=staff("staff-1"),
            review_working_days=lambda case: 20,
            at=AT,
        )

    assert (refused.value.code, refused.value.extra) == ("four-eyes", {"four_eyes": "took-part"})
    assert uow.repos.store.cases[case.id].status is CaseStatus.REJECTED
    assert len(uow.published) == published
