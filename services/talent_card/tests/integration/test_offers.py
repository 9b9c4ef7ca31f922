"""政策找人: a qualifying event brings exactly one offer, even when delivered twice; the person
accepts it and gets the card."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from suxin.common.v1 import common_pb2 as common
from suxin.hiring.v1 import events_pb2 as hiring
from suxin.talent.v1 import events_pb2 as talent
from suxin.training.v1 import events_pb2 as training
from suxin_common.auth import Role
from suxin_common.messaging.catalog import event_type_for_subject
from suxin_common.messaging.cloudevents import EventMeta
from suxin_devkit import factfeed
from suxin_devkit.testing import (
    consumer_settled,
    eventually,
    headers_for,
    hire_event,
    make_resident_id,
    make_uscc,
    running_consumers,
    scalar,
)
from talent_card.consumers import SUBSCRIPTIONS
from talent_card.credential import Issuer
from talent_card.domain.commands import IssueCard
from talent_card.domain.model import CardLevel
from talent_card.handlers import (
    issue_card,
    offer_card_on_certification,
    offer_card_on_hire,
    record_talent_flow,
)
from talent_card.hire_confirmation import hold_hire, keep_fact, on_hire_confirmed

pytestmark = pytest.mark.integration
CERTIFIED = event_type_for_subject("suxin.training.training_certified.v1")
HIRE = event_type_for_subject("suxin.hiring.hire_recorded.v1")


def certified(person_key: str, skill: int = common.SKILL_LEVEL_SENIOR_TECHNICIAN):
    return training.TrainingCertified(
        voucher_id=str(uuid.uuid4()),
        person_key=person_key,
        institution_uscc=make_uscc(7),
        occupation_code="6-18-01-01",
        skill_level=skill,
        city_code="3210",
        certified_on=common.Date(year=2026, month=11, day=2),
    )


async def test_a_certification_delivered_twice_makes_one_offer(runtime, infra) -> None:
    person_key = runtime.personal_data.person_key(make_resident_id(1))
    event = certified(person_key)
    below = certified(runtime.personal_data.person_key(make_resident_id(2)), skill=3)

    # Every message is redelivered after commit, as after a crash before the ack.
    async with running_consumers(
        runtime, SUBSCRIPTIONS, infra.nats_url, fault_redeliver_after_commit=True
    ) as (js, runner):
        ce = headers_for(str(uuid.uuid4()), CERTIFIED.subject)
        await js.publish(CERTIFIED.subject, event.SerializeToString(), headers=ce)
        # The publisher announces the same certification again under a new event id.
        again = headers_for(str(uuid.uuid4()), CERTIFIED.subject)
        await js.publish(CERTIFIED.subject, event.SerializeToString(), headers=again)
        # 高级工 (level 3) does not qualify.
        other = headers_for(str(uuid.uuid4()), CERTIFIED.subject)
        await js.publish(CERTIFIED.subject, below.SerializeToString(), headers=other)
        await eventually(lambda: consumer_settled(js, runner))

    engine = runtime.engine
    assert await scalar(engine, "SELECT count(*) FROM card_offers") == 1
    assert await scalar(engine, "SELECT person_key FROM card_offers") == person_key
    assert await scalar(engine, "SELECT level FROM card_offers") == "C"
    assert await scalar(engine, "SELECT source_key FROM card_offers") == (
        f"training_certified:{event.voucher_id}"
    )
    assert await scalar(engine, "SELECT evidence->0->>'rule' FROM card_offers") == (
        "senior-technician"
    )
    assert await scalar(engine, "SELECT count(*) FROM dead_letters") == 0


def key_hire(runtime, n: int, *, key: bool, title: int, kind: int = 1):
    event = hire_event(n)
    event.person_key = runtime.personal_data.person_key(make_resident_id(n))
    event.key_monitored = key
    event.professional_title = title
    event.job_kind = kind
    return event


async def test_a_hire_into_a_key_enterprise_at_a_qualifying_title_makes_an_offer(runtime) -> None:
    associate = common.PROFESSIONAL_TITLE_ASSOCIATE_SENIOR
    qualifying = key_hire(runtime, 1, key=True, title=associate)
    ordinary_firm = key_hire(runtime, 2, key=False, title=associate)
    low_title = key_hire(runtime, 3, key=True, title=common.PROFESSIONAL_TITLE_INTERMEDIATE)
    gig = key_hire(runtime, 4, key=True, title=associate, kind=5)  # JOB_KIND_GIG

    # 人社·职称 states each person's title as the hire declared it.
    await verify(
        runtime,
        factfeed.title(qualifying.person_key, "associate_senior"),
        factfeed.title(ordinary_firm.person_key, "associate_senior"),
        factfeed.title(low_title.person_key, "intermediate"),
        factfeed.title(gig.person_key, "associate_senior"),
    )
    for event in (qualifying, qualifying, ordinary_firm, low_title, gig):
        await deliver(runtime, event, handler=offer_card_on_hire)

    assert await scalar(runtime.engine, "SELECT count(*) FROM card_offers") == 1
    assert await scalar(runtime.engine, "SELECT source_key FROM card_offers") == (
        f"hire_recorded:{qualifying.hire_id}"
    )


async def test_the_person_accepts_the_offer_and_gets_the_card(runtime, client, as_) -> None:
    number = make_resident_id(1)
    person_key = runtime.personal_data.person_key(number)
    await deliver(runtime, certified(person_key), handler=offer_card_on_certification)
    seeker = as_(Role.SEEKER, "account-1", person=person_key)  # the key form works too
    [offer] = (
        await client.post("/v1/card-offers/lookup", json={"resident_id": number}, headers=seeker)
    ).json()

    stranger = await client.post(
        f"/v1/card-offers/{offer['id']}/accept",
        json={"resident_id": make_resident_id(2)},
        headers=as_(Role.SEEKER, "account-2", person=make_resident_id(2)),
    )
    accepted = await client.post(
        f"/v1/card-offers/{offer['id']}/accept", json={"resident_id": number}, headers=seeker
    )
    twice = await client.post(
        f"/v1/card-offers/{offer['id']}/accept", json={"resident_id": number}, headers=seeker
    )

    assert stranger.status_code == 404
    assert accepted.status_code == 201, accepted.text
    card = accepted.json()
    assert (card["level"], card["proactive"], card["criteria_version"]) == ("C", True, "js-2026.1")
    assert twice.status_code == 409
    mine = (await client.get("/v1/me/cards", headers=seeker)).json()
    assert [c["id"] for c in mine] == [card["id"]]
    own = await client.get(f"/v1/cards/{card['id']}/credential", headers=seeker)
    assert own.status_code == 200
    payload = await scalar(
        runtime.engine,
        "SELECT payload FROM outbox WHERE subject = 'suxin.talent.card_issued.v1'",
    )
    issued = talent.CardIssued.FromString(payload)
    assert (issued.card_id, issued.proactive, issued.level) == (
        card["id"],
        True,
        talent.CARD_LEVEL_C,
    )
    assert number.encode() not in payload
    # Holding the card, the same person is offered nothing more at that level.
    await deliver(runtime, certified(person_key), handler=offer_card_on_certification)
    assert await scalar(runtime.engine, "SELECT count(*) FROM card_offers") == 1


async def test_a_gig_does_not_move_the_card_but_enters_the_history(runtime, client, as_) -> None:
    number = make_resident_id(1)
    r = await client.post(
        "/v1/cards",
        json={"resident_id": number, "level": "B", "city_code": "3201"},
        headers=as_(Role.HRSS_STAFF),
    )
    card = r.json()
    gig = key_hire(runtime, 1, key=False, title=0, kind=5)  # JOB_KIND_GIG
    gig.enterprise_uscc = make_uscc(9)

    await deliver(runtime, gig, handler=record_talent_flow)

    after = (await client.get(f"/v1/cards/{card['id']}", headers=as_(Role.HRSS_STAFF))).json()
    assert after["employer_uscc"] is None and after["city_code"] == "3201"
    assert await scalar(runtime.engine, "SELECT count(*) FROM talent_flows") == 0
    history = (
        await client.get(f"/v1/cards/{card['id']}/employments", headers=as_(Role.HRSS_STAFF))
    ).json()
    assert [(h["employer_uscc"], h["job_kind"]) for h in history] == [(make_uscc(9), "gig")]
    assert history[0]["started_on"] == str(date(2026, 11, 1))


async def deliver(runtime, event, *, handler) -> None:
    """What the consumer runner does with one message, minus the inbox and the ack: so a
    repeat counts on the natural key alone."""
    meta = EventMeta(
        id=str(uuid.uuid4()),
        type="test",
        source="/test",
        subject="test",
        time=datetime.now(UTC),
        headers={},
    )
    if handler in (record_talent_flow, offer_card_on_hire):
        # A hire takes effect once recorded and confirmed by the person.
        await deliver(runtime, event, handler=hold_hire)
        await deliver(runtime, confirmed(event), handler=on_hire_confirmed)
        return
    [subscription] = [s for s in SUBSCRIPTIONS if s.handler is handler]
    async with runtime.uow() as uow:
        await subscription.deliver(uow, event, meta)
        await uow.commit()


def confirmed(event) -> hiring.HireConfirmed:
    """The person confirmed the hire (job-matching's HireConfirmed)."""
    return hiring.HireConfirmed(
        hire_id=event.hire_id,
        version=2,
        enterprise_uscc=event.enterprise_uscc,
        person_key=event.person_key,
        start_date=event.start_date,
        job_kind=event.job_kind,
        confirmed_by=hiring.HIRE_CONFIRMATION_PERSON,
    )


async def verify(runtime, *events) -> None:
    """data-exchange's FactVerified events (titles, skill levels), kept by talent-card."""
    for event in events:
        await deliver(runtime, event, handler=keep_fact)


async def test_a_declared_title_brings_no_offer_and_a_hire_nobody_confirmed_moves_no_card(
    runtime,
) -> None:
    """Forgeries: a senior title only the profile declares unlocks no card level; a hire the
    enterprise filed that the person never confirmed moves no card."""
    forged = key_hire(runtime, 6, key=True, title=common.PROFESSIONAL_TITLE_SENIOR)
    await deliver(runtime, forged, handler=offer_card_on_hire)
    assert await scalar(runtime.engine, "SELECT count(*) FROM card_offers") == 0

    number = make_resident_id(7)
    await issue_card(
        runtime.uow(),
        IssueCard(resident_id=number, level=CardLevel.B, city_code="3201"),
        runtime.personal_data,
        Issuer.from_settings(runtime.settings),
    )
    stranger = key_hire(runtime, 7, key=True, title=0)
    await deliver(runtime, stranger, handler=hold_hire)  # recorded, never confirmed
    assert await scalar(runtime.engine, "SELECT count(*) FROM talent_flows") == 0
    assert await scalar(runtime.engine, "SELECT employer_uscc FROM cards") is None
    # Confirmed by the person: now the card follows the hire.
    await deliver(runtime, confirmed(stranger), handler=on_hire_confirmed)
    assert await scalar(runtime.engine, "SELECT count(*) FROM talent_flows") == 1
    assert await scalar(runtime.engine, "SELECT employer_uscc FROM cards") == (
        stranger.enterprise_uscc
    )


async def test_a_hire_or_certificate_before_the_first_criteria_brings_no_offer(runtime) -> None:
    """The criteria js-2026.1 take effect on 2026-01-01: a certificate of 2025-12-31 or a hire
    starting that day is handled (no offer, nothing dead-lettered), not retried for ever; the
    same on 2026-01-01 brings the offer."""
    associate = common.PROFESSIONAL_TITLE_ASSOCIATE_SENIOR
    early = key_hire(runtime, 11, key=True, title=associate)
    early.start_date.CopyFrom(common.Date(year=2025, month=12, day=31))
    on_time = key_hire(runtime, 12, key=True, title=associate)
    on_time.start_date.CopyFrom(common.Date(year=2026, month=1, day=1))
    await verify(
        runtime,
        factfeed.title(early.person_key, "associate_senior"),
        factfeed.title(on_time.person_key, "associate_senior"),
    )
    old_cert = certified(runtime.personal_data.person_key(make_resident_id(13)))
    old_cert.certified_on.CopyFrom(common.Date(year=2025, month=12, day=31))
    for event in (early, on_time):
        await deliver(runtime, event, handler=offer_card_on_hire)
    await deliver(runtime, old_cert, handler=offer_card_on_certification)

    assert await scalar(runtime.engine, "SELECT count(*) FROM card_offers") == 1
    assert await scalar(runtime.engine, "SELECT source_key FROM card_offers") == (
        f"hire_recorded:{on_time.hire_id}"
    )
