"""Applying stated facts: compare with the current version, version the changes, publish one
FactVerified per change (through the outbox, in the caller's transaction)."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from data_exchange import contracts
from data_exchange.adapters.repositories import Repositories
from data_exchange.domain.facts import Change, FactDraft, decide
from suxin_common.db import Work


@dataclass(frozen=True, slots=True)
class Stated:
    """A fact as stated, with the evidence it came from ("<batch>#<row>" or a record id)."""

    draft: FactDraft
    evidence_ref: str


@dataclass(frozen=True, slots=True)
class Outcome:
    fact_key: str
    change: Change
    version: int  # the version now current (0: the fact does not exist)


async def apply_facts(
    uow: Work[Repositories], stated: Sequence[Stated], *, as_of: date, verified_at: datetime
) -> list[Outcome]:
    """Apply ``stated`` (distinct fact keys) in ``uow``'s transaction; the caller commits."""
    current = await uow.repos.facts.current([s.draft.fact_key for s in stated])
    outcomes: list[Outcome] = []
    fact_rows: list[dict] = []
    version_rows: list[dict] = []
    stamp = contracts.timestamp(verified_at)
    for s in stated:
        draft = s.draft
        value_hash = draft.value_hash()
        existing = current.get(draft.fact_key)
        change, version = decide(draft, existing, value_hash)
        if not version:
            outcomes.append(Outcome(draft.fact_key, change, existing.version if existing else 0))
            continue
        fact_id = uuid.uuid4()
        event_id = uow.publish(
            contracts.fact_verified(
                draft,
                fact_id=fact_id,
                version=version,
                as_of=as_of,
                evidence_ref=s.evidence_ref,
                verified_at=stamp,
            ),
            key=draft.fact_key,
        )
        common = {
            "fact_key": draft.fact_key,
            "version": version,
            "value_hash": value_hash,
            "detail": draft.detail_json(),
            "revoked": draft.revoked,
            "department": draft.department.value,
            "as_of": as_of,
            "evidence_ref": s.evidence_ref,
            "verified_at": verified_at,
        }
        fact_rows.append(
            common
            | {
                "kind": draft.kind.value,
                "subject": draft.subject.value,
                "person_key": draft.person_key,
                "uscc": draft.uscc,
                "valid_from": draft.valid_from,
                "valid_until": draft.valid_until,
            }
        )
        version_rows.append(common | {"change": change.value, "event_id": event_id})
        outcomes.append(Outcome(draft.fact_key, change, version))
    await uow.repos.facts.save(fact_rows, version_rows)
    return outcomes


def tally(outcomes: Sequence[Outcome]) -> Counter[Change]:
    return Counter(o.change for o in outcomes)
