"""Recording the use of a card's entitlement (权益使用), through the in-memory unit of work: what
is recorded, audited and refused. The row lock and the unique reference are covered by the
integration tests."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from suxin_common.errors import Conflict, RuleViolation
from suxin_devkit.testing.uow import FakeUnitOfWork
from talent_card import handlers
from talent_card.credential import CredentialError
from talent_card.domain import commands
from talent_card.domain.model import Card, CardLevel, CardStatus, Position

PARTNER = "91320100MA1PARTNER"
HOLDER = "holder-1"
TODAY = datetime.now(UTC).date()


class FakeCards:
    def __init__(self, *cards: Card) -> None:
        self.cards = {c.id: c for c in cards}

    async def get(self, card_id: uuid.UUID, *, lock: bool = False) -> Card | None:
        return self.cards.get(card_id)


class FakeUses:
    """Uses by partner reference."""

    def __init__(self) -> None:
        self.uses: dict[tuple[str, str], dict[str, Any]] = {}

    async def by_reference(self, partner_uscc: str, reference: str) -> dict[str, Any] | None:
        return self.uses.get((partner_uscc, reference))

    async def count(self, card_id: uuid.UUID, entitlement_code: str, since: date) -> int:
        return sum(
            u["card_id"] == card_id
            and u["entitlement_code"] == entitlement_code
            and u["used_on"] >= since
            for u in self.uses.values()
        )

    async def add(self, **values: Any) -> bool:
        key = (values["partner_uscc"], values["reference"])
        if key in self.uses:
            return False
        self.uses[key] = values
        return True


class FakeRepositories:
    def __init__(self, *cards: Card) -> None:
        self.cards = FakeCards(*cards)
        self.entitlement_uses = FakeUses()


def a_card(**changes) -> Card:
    values = dict(
        id=uuid.uuid4(),
        person_key="pk_" + "2" * 32,
        masked_resident_id="320***********5678",
        level=CardLevel.B,
        status=CardStatus.ACTIVE,
        issued_position=Position(None, "3201"),
        position=Position(None, "3201"),
        position_since=None,
        issued_at=datetime.now(UTC) - timedelta(days=30),
        valid_from=TODAY - timedelta(days=30),
        valid_until=TODAY + timedelta(days=365),
        holder_subject=HOLDER,
    )
    return Card(**(values | changes))


def issuer_of(card: Card) -> Any:
    """An issuer whose keys accept the token "ok" as the card's credential."""

    def verify(token: str, *, issuer: str) -> dict[str, Any]:
        if token != "ok":
            raise CredentialError("bad signature")
        return {"jti": f"urn:uuid:{card.id}", "sub": HOLDER}

    return SimpleNamespace(issuer="https://talent.example", keys=SimpleNamespace(verify=verify))


def use(entitlement: str = "health_check", reference: str = "ref-1", credential: str = "ok"):
    return commands.RecordEntitlementUse(
        credential=credential,
        entitlement=entitlement,
        reference=reference,
        partner_uscc=PARTNER,
        partner_subject="partner-desk",
    )


async def test_a_use_is_recorded_and_audited_and_a_retry_returns_it():
    card = a_card()
    uow = FakeUnitOfWork(FakeRepositories(card))

    recorded, created = await handlers.record_entitlement_use(uow, use(), issuer_of(card))
    again, created_again = await handlers.record_entitlement_use(uow, use(), issuer_of(card))

    assert created and not created_again and again == recorded
    assert (recorded["card_id"], recorded["entitlement_code"]) == (card.id, "health_check")
    assert list(uow.repos.entitlement_uses.uses) == [(PARTNER, "ref-1")]
    [entry] = uow.audit_entries
    assert entry["action"] == "use_entitlement" and entry["object_id"] == str(recorded["id"])
    assert entry["details"]["used_before"] == 0
    assert uow.published == []


async def test_a_use_over_the_limit_is_refused_and_the_refusal_audited():
    card = a_card()
    uow = FakeUnitOfWork(FakeRepositories(card))
    await handlers.record_entitlement_use(uow, use(reference="ref-1"), issuer_of(card))

    # health_check: once a year
    with pytest.raises(Conflict) as refused:
        await handlers.record_entitlement_use(uow, use(reference="ref-2"), issuer_of(card))

    assert refused.value.code == "entitlement-limit-reached"
    assert refused.value.extra["used"] == 1
    assert list(uow.repos.entitlement_uses.uses) == [(PARTNER, "ref-1")]
    assert [e["action"] for e in uow.audit_entries] == [
        "use_entitlement",
        "refuse_entitlement_use",
    ]
    assert uow.audit_entries[-1]["details"]["refusal"] == "entitlement-limit-reached"


async def test_a_suspended_card_grants_nothing_and_the_refusal_is_audited():
    card = a_card(status=CardStatus.SUSPENDED)
    uow = FakeUnitOfWork(FakeRepositories(card))

    with pytest.raises(Conflict) as refused:
        await handlers.record_entitlement_use(uow, use(), issuer_of(card))

    assert refused.value.code == "card-not-usable"
    assert uow.repos.entitlement_uses.uses == {}
    assert [e["details"]["refusal"] for e in uow.audit_entries] == ["card-not-usable"]


async def test_a_level_without_the_entitlement_is_refused():
    card = a_card(level=CardLevel.C)
    uow = FakeUnitOfWork(FakeRepositories(card))

    with pytest.raises(RuleViolation) as refused:
        await handlers.record_entitlement_use(uow, use("housing_support"), issuer_of(card))

    assert (refused.value.code, refused.value.field) == ("entitlement-not-covered", "entitlement")
    assert uow.repos.entitlement_uses.uses == {}


async def test_a_bad_credential_or_an_unknown_entitlement_is_refused_before_anything_is_read():
    card = a_card()
    uow = FakeUnitOfWork(FakeRepositories(card))

    with pytest.raises(RuleViolation) as bad:
        await handlers.record_entitlement_use(uow, use(credential="forged"), issuer_of(card))
    with pytest.raises(RuleViolation) as unknown:
        await handlers.record_entitlement_use(uow, use("spa_days"), issuer_of(card))

    assert (bad.value.code, bad.value.field) == ("invalid-credential", "credential")
    assert unknown.value.field == "entitlement"
    assert uow.audit_entries == [] and uow.commits == 0
