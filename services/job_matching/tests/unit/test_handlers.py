"""Job-matching handlers other than the hire, through the in-memory unit of work."""

from __future__ import annotations

import pytest

from job_matching import handlers
from job_matching.domain import commands
from job_matching.domain.model import (
    Actor,
    ApplicationStatus,
    EnterpriseSize,
    JobKind,
    PostCloseReason,
    PostStatus,
)
from suxin_common.errors import Conflict, NotFound, RuleViolation

from .fakes import ACME, fake_uow, post, seeker_row

ENTERPRISE = Actor(uscc=ACME.uscc)


def registration(**changes) -> commands.RegisterEnterprise:
    values = {
        "uscc": ACME.uscc,
        "name": ACME.name,
        "city_code": "3210",
        "district_code": "321002",
        "industry_code": "C",
        "size": EnterpriseSize.SMALL,
        "specialized_sme": False,
        "little_giant": False,
        "key_monitored": False,
    }
    return commands.RegisterEnterprise(**(values | changes))


async def test_an_enterprise_on_the_industry_list_is_registered_with_its_flags():
    uow = fake_uow()
    uow.repos.store.listed_flags[ACME.uscc] = {"little_giant": True}

    enterprise = await handlers.register_enterprise(uow, registration())

    assert (enterprise.little_giant, enterprise.specialized_sme) == (True, True)
    assert uow.commits == 1 and uow.published == []


async def test_an_enterprise_is_registered_once():
    uow = fake_uow(enterprises=[ACME])

    with pytest.raises(Conflict) as refused:
        await handlers.register_enterprise(uow, registration())

    assert refused.value.extra == {"uscc": ACME.uscc}


async def test_a_district_outside_the_city_is_refused_on_its_field():
    with pytest.raises(RuleViolation) as refused:
        await handlers.register_enterprise(fake_uow(), registration(district_code="320102"))

    assert refused.value.field == "district_code"


def publication(**changes) -> commands.PublishJobPost:
    values = {
        "enterprise_uscc": ACME.uscc,
        "title": "运维工程师",
        "description": "负责生产线设备运维",
        "occupation_code": "6-18-01-01",
        "district_code": "321002",
        "kind": JobKind.FULL_TIME,
        "headcount": 2,
        "wage_min_fen": 600000,
        "wage_max_fen": 900000,
    }
    return commands.PublishJobPost(**(values | changes))


async def test_an_open_post_is_published_and_a_draft_is_not():
    uow = fake_uow(enterprises=[ACME])

    opened = await handlers.publish_job_post(uow, publication(status=PostStatus.OPEN))
    await handlers.publish_job_post(uow, publication(status=PostStatus.DRAFT))

    [event] = uow.events_named("JobPostOpened")
    assert event.job_post_id == str(opened)
    assert len(uow.published) == 1 and len(uow.repos.store.posts) == 2


async def test_a_post_paying_less_than_its_minimum_is_refused():
    with pytest.raises(RuleViolation) as refused:
        await handlers.publish_job_post(
            fake_uow(enterprises=[ACME]), publication(wage_min_fen=900001)
        )

    assert refused.value.field == "wage_min_fen"


async def test_closing_an_open_post_publishes_it_and_closing_again_is_a_conflict():
    job_post = post()
    uow = fake_uow(enterprises=[ACME], posts=[job_post])
    close = commands.ChangePostStatus(job_post.id, PostStatus.CLOSED, PostCloseReason.CLOSED)

    assert await handlers.change_post_status(uow, close, ENTERPRISE) is PostStatus.CLOSED
    with pytest.raises(Conflict) as refused:
        await handlers.change_post_status(uow, close, ENTERPRISE)

    assert [e.type_name for e in uow.published] == ["JobPostClosed"]
    assert refused.value.extra == {"current_status": "closed"}


async def test_a_seeker_applies_once_to_an_open_post():
    seeker, job_post = seeker_row(), post()
    uow = fake_uow(enterprises=[ACME], seekers=[seeker], posts=[job_post])
    me = Actor(subject=seeker.account_subject)
    apply = commands.SubmitApplication(seeker.id, job_post.id)

    application_id = await handlers.submit_application(uow, apply, me)
    with pytest.raises(Conflict, match="already has a live application"):
        await handlers.submit_application(uow, apply, me)

    [event] = uow.events_named("ApplicationSubmitted")
    assert event.application_id == str(application_id)


async def test_nobody_applies_to_a_closed_post_or_for_someone_else():
    seeker, closed = seeker_row(), post(status=PostStatus.CLOSED)
    uow = fake_uow(enterprises=[ACME], seekers=[seeker], posts=[closed])
    apply = commands.SubmitApplication(seeker.id, closed.id)

    with pytest.raises(Conflict, match="not open"):
        await handlers.submit_application(uow, apply, Actor(subject=seeker.account_subject))
    with pytest.raises(NotFound):
        await handlers.submit_application(uow, apply, Actor(subject="someone-else"))
    assert uow.published == []


async def test_an_application_is_not_hired_by_review():
    seeker, job_post = seeker_row(), post()
    uow = fake_uow(enterprises=[ACME], seekers=[seeker], posts=[job_post])
    me = Actor(subject=seeker.account_subject)
    application_id = await handlers.submit_application(
        uow, commands.SubmitApplication(seeker.id, job_post.id), me
    )

    offered = commands.ReviewApplication(application_id, ApplicationStatus.OFFERED)
    assert await handlers.review_application(uow, offered, ENTERPRISE) is ApplicationStatus.OFFERED
    with pytest.raises(RuleViolation) as refused:
        await handlers.review_application(
            uow, commands.ReviewApplication(application_id, ApplicationStatus.HIRED), ENTERPRISE
        )
    assert refused.value.field == "status"


async def test_a_profile_edit_recomputes_the_match_keys():
    seeker = seeker_row()
    uow = fake_uow(seekers=[seeker])
    update = commands.SeekerProfileUpdate(
        desired_occupations=("6-18-01-01",), desired_regions=("321002",), skills=("PLC",)
    )

    await handlers.update_seeker_profile(
        uow, seeker.id, update, Actor(subject=seeker.account_subject)
    )

    row = uow.repos.store.seekers[seeker.id]
    assert row.desired_occupations == ["6-18-01-01"] and row.match_keys
    assert uow.commits == 1
    with pytest.raises(NotFound):
        await handlers.update_seeker_profile(uow, seeker.id, update, Actor(subject="stranger"))


def test_home_district_is_the_jiangsu_district_of_the_resident_id():
    assert handlers.home_district("321002200101011230") == "321002"
    assert handlers.home_district("11010120010101123X") is None
