"""Job-matching's repositories in memory, for handler unit tests (no PostgreSQL, no NATS).

The same methods as ``job_matching.adapters.repositories``, over dictionaries the test fills:
``fake_uow(enterprises=[...], seekers=[...], posts=[...])`` gives a ``FakeUnitOfWork`` (the
devkit's) that records what the handler published, audited and committed.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

from google.protobuf.message import Message

from job_matching.adapters.hire_writes import Context, Decision, HireRow, Written
from job_matching.domain.model import (
    Enterprise,
    EnterpriseSize,
    HireConfirmation,
    JobKind,
    JobPost,
    PostStatus,
)
from suxin_common.facts import Fact
from suxin_common.security import audit
from suxin_devkit.testing.uow import FakeUnitOfWork


@dataclass
class Store:
    """What the fake repositories hold (rows as the real ones return them)."""

    enterprises: dict[str, Enterprise] = field(default_factory=dict)
    listed_flags: dict[str, dict[str, bool]] = field(default_factory=dict)
    seekers: dict[uuid.UUID, SimpleNamespace] = field(default_factory=dict)
    posts: dict[uuid.UUID, JobPost] = field(default_factory=dict)
    applications: dict[uuid.UUID, SimpleNamespace] = field(default_factory=dict)
    hires: dict[uuid.UUID, HireRow] = field(default_factory=dict)
    enrolments: dict[str, list[Fact]] = field(default_factory=dict)  # by person key
    services: list[dict[str, Any]] = field(default_factory=list)
    facts: dict[str, Fact] = field(default_factory=dict)  # by fact key, the newest kept
    locked: list[str] = field(default_factory=list)  # subjects locked, in order
    corrections: dict[uuid.UUID, SimpleNamespace] = field(default_factory=dict)


class _Fake:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.uow: FakeUnitOfWork[Any]  # bound by fake_uow


class FakeEnterprises(_Fake):
    async def add(self, enterprise: Enterprise) -> bool:
        if enterprise.uscc in self.store.enterprises:
            return False
        self.store.enterprises[enterprise.uscc] = enterprise
        return True

    async def get(self, uscc: str) -> Enterprise | None:
        return self.store.enterprises.get(uscc)

    async def listed_flags(self, uscc: str) -> dict[str, bool]:
        flags = {"specialized_sme": False, "little_giant": False, "key_monitored": False}
        return flags | self.store.listed_flags.get(uscc, {})

    async def set_flag(self, uscc: str, column: str, value: bool) -> None:
        if uscc in self.store.enterprises:
            self.store.enterprises[uscc] = replace(self.store.enterprises[uscc], **{column: value})


class FakeFacts(_Fake):
    async def lock_subject(self, key: str) -> None:
        self.store.locked.append(key)

    async def keep(self, fact: Fact, at: datetime) -> bool:
        kept = self.store.facts.get(fact.fact_key)
        if kept is not None and kept.version >= fact.version:
            return False
        self.store.facts[fact.fact_key] = fact
        return True


class FakeSeekers(_Fake):
    async def add(self, values: Mapping[str, Any]) -> uuid.UUID | None:
        if any(s.person_key == values["person_key"] for s in self.store.seekers.values()):
            return None
        self.store.seekers[values["id"]] = seeker_row(**values)
        return values["id"]

    async def row_by_person_key(self, person_key: str) -> Any | None:
        return next((s for s in self.store.seekers.values() if s.person_key == person_key), None)

    async def row(self, seeker_id: uuid.UUID, *, lock: bool = False) -> Any | None:
        return self.store.seekers.get(seeker_id)

    async def update(self, seeker_id: uuid.UUID, values: Mapping[str, Any]) -> None:
        row = self.store.seekers[seeker_id]  # rows read earlier stay as they were read
        self.store.seekers[seeker_id] = SimpleNamespace(**(vars(row) | dict(values)))

    async def set_match_keys(self, seeker_id: uuid.UUID, keys: list[str]) -> None:
        await self.update(seeker_id, {"match_keys": keys})

    async def person_key(self, seeker_id: uuid.UUID) -> str | None:
        row = self.store.seekers.get(seeker_id)
        return row.person_key if row else None


class FakePosts(_Fake):
    async def add(self, values: Mapping[str, Any], *, enterprise_name: str) -> None:
        self.store.posts[values["id"]] = JobPost(
            id=values["id"],
            enterprise_uscc=values["enterprise_uscc"],
            title=values["title"],
            occupation_code=values["occupation_code"],
            city_code=values["city_code"],
            district_code=values["district_code"],
            kind=JobKind(values["kind"]),
            status=PostStatus(values["status"]),
            headcount=values["headcount"],
            wage_min_fen=values["wage_min_fen"],
            wage_max_fen=values["wage_max_fen"],
            specialized_zone=values["specialized_zone"],
        )

    async def get(self, post_id: uuid.UUID, *, lock: bool = False) -> JobPost | None:
        return self.store.posts.get(post_id)

    async def district(self, post_id: uuid.UUID) -> str | None:
        post = self.store.posts.get(post_id)
        return post.district_code if post else None

    async def set_status(self, post: JobPost, status: PostStatus, **values: Any) -> JobPost:
        moved = replace(post, status=status, version=post.version + 1)
        self.store.posts[post.id] = moved
        return moved

    async def index_opened(self, post_id: uuid.UUID) -> None:
        pass


class FakeApplications(_Fake):
    async def add(self, values: Mapping[str, Any]) -> bool:
        live = [
            a
            for a in self.store.applications.values()
            if (a.seeker_id, a.job_post_id) == (values["seeker_id"], values["job_post_id"])
            and a.status not in ("withdrawn", "rejected")
        ]
        if live:
            return False
        self.store.applications[values["id"]] = SimpleNamespace(**values, version=1)
        return True

    async def row(self, application_id: uuid.UUID, *, lock: bool = False) -> Any | None:
        return self.store.applications.get(application_id)

    async def set_status(
        self, application_id: uuid.UUID, status: str, note: str | None = None
    ) -> None:
        row = self.store.applications[application_id]
        self.store.applications[application_id] = SimpleNamespace(
            **(vars(row) | {"status": status})
        )


class FakeHires(_Fake):
    async def read_context(self, uscc: str, seeker_id: uuid.UUID, post_id: uuid.UUID) -> Context:
        exists = any(
            (h.seeker_id, h.job_post_id) == (seeker_id, post_id) for h in self.store.hires.values()
        )
        post = self.store.posts.get(post_id)
        return Context(
            self.store.enterprises.get(uscc),
            self.store.seekers.get(seeker_id),
            post,
            exists,
            person_locked=post is not None and post.kind is JobKind.FULL_TIME,
        )

    async def read_decision(
        self, *, seeker_id: uuid.UUID, person_key: str, uscc: str, full_time: bool
    ) -> Decision:
        active = [
            h.enterprise_uscc
            for h in self.store.hires.values()
            if full_time
            and h.seeker_id == seeker_id
            and h.end_date is None
            and h.denied_at is None
            and h.enterprise_uscc != uscc
            and h.snapshot.get("job_kind") == JobKind.FULL_TIME.value
        ]
        enrolments = self.store.enrolments.get(person_key, [])
        return Decision(active, list(enrolments), audit.ChainHead(0, audit.GENESIS_HASH))

    async def write(
        self,
        values: Mapping[str, Any],
        *,
        post_version: int,
        audit_entries: Sequence[Mapping[str, Any]],
        events: Sequence[tuple[Message, str]],
    ) -> Written:
        if any(
            (h.seeker_id, h.job_post_id) == (values["seeker_id"], values["job_post_id"])
            for h in self.store.hires.values()
        ):
            return Written(None, None, False, False)
        hire = hire_row(**{**values, "snapshot": json.loads(values["snapshot"])})
        post = self.store.posts[values["job_post_id"]]
        if post.status is not PostStatus.OPEN or post.hired >= post.headcount:
            return Written(hire, None, False, False)  # the real statement's hire rolls back
        self.store.hires[hire.id] = hire
        filled = post.hired + 1 >= post.headcount
        counted = replace(
            post,
            hired=post.hired + 1,
            status=PostStatus.FILLED if filled else post.status,
            version=post.version + 1 if filled else post.version,
        )
        self.store.posts[post.id] = counted
        await self.uow.append_audit(audit_entries)
        published = counted.version - (1 if filled else 0) == post_version
        if published:
            for message, key in events:
                self.uow.publish(message, key=key)
        return Written(hire, counted, True, published)

    async def row(self, hire_id: uuid.UUID, *, lock: bool = False) -> Any | None:
        return self.store.hires.get(hire_id)

    async def end(self, hire_id: uuid.UUID, values: Mapping[str, Any]) -> None:
        row = self.store.hires[hire_id]  # rows read earlier stay as they were read
        self.store.hires[hire_id] = HireRow(
            **(vars(row) | dict(values) | {"version": row.version + 1})
        )

    async def has_active(self, seeker_id: uuid.UUID) -> bool:
        return any(
            h.seeker_id == seeker_id and h.end_date is None for h in self.store.hires.values()
        )

    async def confirm(
        self, hire_id: uuid.UUID, how: HireConfirmation, *, evidence_ref: str | None, at: datetime
    ) -> int | None:
        row = self.store.hires[hire_id]
        if row.confirmed_by is not None:
            return None
        confirmed = {
            "confirmed_by": how.value,
            "confirmed_at": at,
            "confirmation_ref": evidence_ref,
        }
        self.store.hires[hire_id] = HireRow(
            **(vars(row) | confirmed | {"version": row.version + 1})
        )
        return row.version + 1

    async def row_with_account(self, hire_id: uuid.UUID) -> Any | None:
        row = self.store.hires.get(hire_id)
        if row is None:
            return None
        seeker = self.store.seekers[row.seeker_id]
        return HireRow(**(vars(row) | {"account_subject": seeker.account_subject}))

    async def deny(self, hire_id: uuid.UUID, at: datetime) -> None:
        row = self.store.hires[hire_id]
        self.store.hires[hire_id] = HireRow(**(vars(row) | {"denied_at": at}))

    async def unconfirmed_at(self, person_key: str, uscc: str) -> list[Any]:
        return [
            h
            for h in self.store.hires.values()
            if self.store.seekers[h.seeker_id].person_key == person_key
            and h.enterprise_uscc == uscc
            and h.confirmed_by is None
        ]


class FakeCorrections(_Fake):
    async def add(self, values: Mapping[str, Any]) -> None:
        row = {"decision_note": None, "decided_by": None, "decided_at": None} | dict(values)
        self.store.corrections[values["id"]] = SimpleNamespace(**row)

    async def get(self, correction_id: uuid.UUID, *, lock: bool = False) -> Any | None:
        return self.store.corrections.get(correction_id)

    async def decide(self, correction_id: uuid.UUID, values: Mapping[str, Any]) -> None:
        row = self.store.corrections[correction_id]  # rows read earlier stay as they were read
        self.store.corrections[correction_id] = SimpleNamespace(**(vars(row) | dict(values)))


class FakeServices(_Fake):
    async def add(self, values: Mapping[str, Any]) -> bool:
        duplicate = values["job_post_id"] is not None and any(
            (s["seeker_id"], s["programme"], s["job_post_id"])
            == (values["seeker_id"], values["programme"], values["job_post_id"])
            for s in self.store.services
        )
        if duplicate:
            return False
        self.store.services.append(dict(values))
        return True


class FakeRepositories:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.enterprises = FakeEnterprises(store)
        self.seekers = FakeSeekers(store)
        self.posts = FakePosts(store)
        self.applications = FakeApplications(store)
        self.hires = FakeHires(store)
        self.services = FakeServices(store)
        self.facts = FakeFacts(store)
        self.corrections = FakeCorrections(store)


def fake_uow(
    *,
    enterprises: Iterable[Enterprise] = (),
    seekers: Iterable[SimpleNamespace] = (),
    posts: Iterable[JobPost] = (),
    applications: Iterable[SimpleNamespace] = (),
    hires: Iterable[HireRow] = (),
) -> FakeUnitOfWork[FakeRepositories]:
    store = Store(
        enterprises={e.uscc: e for e in enterprises},
        seekers={s.id: s for s in seekers},
        posts={p.id: p for p in posts},
        applications={a.id: a for a in applications},
        hires={h.id: h for h in hires},
    )
    repos = FakeRepositories(store)
    uow = FakeUnitOfWork(repos, source="/suxin/job-matching")
    for fake in vars(repos).values():
        if isinstance(fake, _Fake):
            fake.uow = uow
    return uow


# --- rows as the real repositories return them ----------------------------------------------

ACME = Enterprise("91321002000000007X", "扬州智造", "3210", "321002", "C", EnterpriseSize.SMALL)


def seeker_row(**values: Any) -> SimpleNamespace:
    row = {
        "id": uuid.uuid4(),
        "person_key": "pk_" + uuid.uuid4().hex,
        "resident_id_masked": "3210**********123X",
        "account_subject": "person-1",
        "district_code": "321002",
        "gender": "female",
        "birth_year": 2001,
        "birth_date": date(2001, 12, 31),
        "education": "bachelor",
        "graduation_date": date(2025, 6, 30),
        "key_groups": [],
        "skill_level": None,
        "professional_title": None,
        "previously_unemployed": False,
        "desired_occupations": [],
        "desired_regions": [],
        "skills": [],
        "match_keys": [],
    }
    return SimpleNamespace(**(row | values))


def post(**values: Any) -> JobPost:
    fields = {
        "id": uuid.uuid4(),
        "enterprise_uscc": ACME.uscc,
        "title": "运维工程师",
        "occupation_code": "6-18-01-01",
        "city_code": "3210",
        "district_code": "321002",
        "kind": JobKind.FULL_TIME,
        "status": PostStatus.OPEN,
        "headcount": 2,
    }
    return JobPost(**(fields | values))


def application_row(seeker: SimpleNamespace, job_post: JobPost, status: str) -> SimpleNamespace:
    return SimpleNamespace(
        id=uuid.uuid4(),
        seeker_id=seeker.id,
        job_post_id=job_post.id,
        enterprise_uscc=job_post.enterprise_uscc,
        status=status,
        version=1,
    )


def hire_row(**values: Any) -> HireRow:
    row = {
        "version": 1,
        "recorded_at": datetime.now(UTC),
        "application_id": None,
        "end_date": None,
        "end_reason": None,
        "ended_at": None,
        "confirmed_by": None,
        "confirmed_at": None,
        "confirmation_ref": None,
        "denied_at": None,
    }
    return HireRow(**(row | values))
