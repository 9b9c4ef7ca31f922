"""Job-matching's repositories, one per aggregate, as a unit of work carries them (``uow.repos``).

Handlers take ``uow: Work[Repositories]`` (``suxin_common.db.Work``) and load and write only
through these; ``tests/unit/fakes.py`` keeps the same methods in memory, so handlers are unit
tested without PostgreSQL. Each repository reaches the transaction through the unit of work
(``uow.session``, or the driver connection for the hire's fast path); the row-level queries
stay in :mod:`job_matching.adapters.repository` (shared with the read-only routes).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from google.protobuf.message import Message
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from job_matching import search
from job_matching.adapters import corrections_store, hire_writes, job_fairs_store, reminders_store
from job_matching.adapters import enterprise_inbox as enterprise_inbox_store
from job_matching.adapters import notifications_repository as inbox_store
from job_matching.adapters import repository as rows
from job_matching.adapters import search as search_repo
from job_matching.adapters.tables import enterprises, hires, seekers
from job_matching.domain.enterprise_notices import EnterpriseNotice
from job_matching.domain.job_fairs import JobFair
from job_matching.domain.model import Enterprise, HireConfirmation, JobPost, PostStatus
from job_matching.domain.notifications import Notice
from suxin_common import facts
from suxin_common.db import OutboxRows, Repository, UnitOfWork, Work
from suxin_common.facts import Fact, Source
from suxin_common.security import audit

# FactKind -> (enterprise column, the sources that may set it): 专精特新 and 小巨人 from the 工信
# lists, 重点监测 from the staff-kept list; never from the enterprise itself.
ENTERPRISE_FLAGS: dict[str, tuple[str, frozenset[Source]]] = {
    "specialized_sme": ("specialized_sme", frozenset({Source.INDUSTRY})),
    "little_giant": ("little_giant", frozenset({Source.INDUSTRY})),
    "key_monitored": ("key_monitored", frozenset({Source.HRSS_RECORDS})),
}


class EnterpriseRepository(Repository):
    async def add(self, enterprise: Enterprise) -> bool:
        """Insert; False if the USCC is already registered."""
        return await rows.add_enterprise(self.session, enterprise)

    async def get(self, uscc: str) -> Enterprise | None:
        return await rows.get_enterprise(self.session, uscc)

    async def listed_flags(self, uscc: str) -> dict[str, bool]:
        """The enterprise flags the 工信 lists / staff list state for ``uscc`` (registration
        reads them, so a list that arrived first still counts)."""
        flags = {column: False for column, _ in ENTERPRISE_FLAGS.values()}
        listed = await facts.facts_about(
            self.session, enterprise_uscc=uscc, kinds=list(ENTERPRISE_FLAGS)
        )
        for f in listed:
            column, sources = ENTERPRISE_FLAGS[f.kind]
            if f.source in sources and not f.revoked:
                flags[column] = True
        return flags

    async def set_flag(self, uscc: str, column: str, value: bool) -> None:
        """Set one of the flags the lists state (a column of :data:`ENTERPRISE_FLAGS`)."""
        await self.session.execute(
            sa.update(enterprises).where(enterprises.c.uscc == uscc).values({column: value})
        )


class FactRepository(Repository):
    """Facts from authority (the kit's verified-facts table) this service keeps."""

    async def lock_subject(self, key: str) -> None:
        """Serialise, to COMMIT, the handlers deciding on this person or enterprise."""
        await facts.lock_subject(self.session, key)

    async def keep(self, fact: Fact, at: datetime) -> bool:
        """Keep the newest version of the fact; False if it is not newer than the one kept."""
        return await facts.keep_fact(self.session, fact, at)


class SeekerRepository(Repository):
    async def add(self, values: Mapping[str, Any]) -> uuid.UUID | None:
        """Insert; None if this person (person key) is already registered."""
        return await rows.add_seeker(self.session, dict(values))

    async def row_by_person_key(self, person_key: str) -> Any | None:
        return await rows.seeker_row_by_person_key(self.session, person_key)

    async def row(self, seeker_id: uuid.UUID, *, lock: bool = False) -> Any | None:
        return await rows.get_seeker_row(self.session, seeker_id, lock=lock)

    async def update(self, seeker_id: uuid.UUID, values: Mapping[str, Any]) -> None:
        await rows.update_seeker(self.session, seeker_id, dict(values))

    async def set_match_keys(self, seeker_id: uuid.UUID, keys: list[str]) -> None:
        await rows.set_seeker_match_keys(self.session, seeker_id, keys)

    async def person_key(self, seeker_id: uuid.UUID) -> str | None:
        return await self.session.scalar(
            sa.select(seekers.c.person_key).where(seekers.c.id == seeker_id)
        )


class PostRepository(Repository):
    async def add(self, values: Mapping[str, Any], *, enterprise_name: str) -> None:
        """Insert a post (``values`` are its columns) with its search document; an open post's
        terms join the search vocabulary."""
        values = dict(values)
        values["search_vector"] = func.to_tsvector(
            "simple", search.document_tokens(values["title"], values["description"])
        )
        text = search_repo.post_text_of(values | {"enterprise_name": enterprise_name})
        values["search_doc"] = search_repo.search_doc_value(search.post_lexemes(text))
        await rows.add_job_post(self.session, values)
        if values["status"] == PostStatus.OPEN.value:
            await search_repo.add_terms(self.session, search.post_terms(text))

    async def get(self, post_id: uuid.UUID, *, lock: bool = False) -> JobPost | None:
        return await rows.get_job_post(self.session, post_id, lock=lock)

    async def district(self, post_id: uuid.UUID) -> str | None:
        """The district of a post: the HRSS district scope of its applications and hires."""
        return await rows.post_district(self.session, post_id)

    async def set_status(self, post: JobPost, status: PostStatus, **values: Any) -> JobPost:
        """Move a post to ``status``, bumping its version; returns the post as it now is."""
        return await rows.set_post_status(self.session, post, status, **values)

    async def index_opened(self, post_id: uuid.UUID) -> None:
        """A draft that opens: its search document and vocabulary."""
        await search_repo.index_opened_post(self.session, post_id)


class ApplicationRepository(Repository):
    async def add(self, values: Mapping[str, Any]) -> bool:
        """Insert; False if this person already has a live application to this post."""
        return await rows.add_application(self.session, dict(values))

    async def row(self, application_id: uuid.UUID, *, lock: bool = False) -> Any | None:
        return await rows.get_application_row(self.session, application_id, lock=lock)

    async def set_status(
        self, application_id: uuid.UUID, status: str, note: str | None = None
    ) -> None:
        await rows.set_application_status(self.session, application_id, status, note)


class HireRepository(Repository):
    """Hires. Recording one is the hot path (``POST /v1/hires``): three statements on the
    driver connection (:mod:`job_matching.adapters.hire_writes`), the last one writing the hire,
    its count into the post, its audit entry and its event together."""

    async def read_context(
        self, uscc: str, seeker_id: uuid.UUID, post_id: uuid.UUID
    ) -> hire_writes.Context:
        """The enterprise, the seeker, the post, whether this seeker is already hired into it;
        for a full-time post the person's lock is taken."""
        return await hire_writes.read_context(self._uow, uscc, seeker_id, post_id)

    async def read_decision(
        self, *, seeker_id: uuid.UUID, person_key: str, uscc: str, full_time: bool
    ) -> hire_writes.Decision:
        """After the person's lock: their active full-time hires elsewhere and 社保 enrolments;
        the audit chain is claimed for the transaction."""
        return await hire_writes.read_decision(
            self._uow, seeker_id=seeker_id, person_key=person_key, uscc=uscc, full_time=full_time
        )

    async def write(
        self,
        values: Mapping[str, Any],
        *,
        post_version: int,
        audit_entries: Sequence[Mapping[str, Any]],
        events: Sequence[tuple[Message, str]],
    ) -> hire_writes.Written:
        """One statement: the hire (``values``: :data:`hire_writes.HIRE_COLUMNS`), its count into
        the post, its audit entries (chained here) and its events (``(message, key)``), the
        events only if the post is still at ``post_version`` (else the caller publishes them on
        the unit of work)."""
        chain = await audit.claim_chain(self._uow)  # claimed by read_decision: no round trip
        return await hire_writes.write_hire(
            self._uow,
            dict(values),
            post_version=post_version,
            audit_rows=audit.chained(chain, audit_entries),
            events=OutboxRows.of(self._uow.source, events),
        )

    async def row(self, hire_id: uuid.UUID, *, lock: bool = False) -> Any | None:
        return await rows.get_hire_row(self.session, hire_id, lock=lock)

    async def end(self, hire_id: uuid.UUID, values: Mapping[str, Any]) -> None:
        await rows.end_hire(self.session, hire_id, dict(values))

    async def has_active(self, seeker_id: uuid.UUID) -> bool:
        return await rows.has_active_hire(self.session, seeker_id)

    async def confirm(
        self, hire_id: uuid.UUID, how: HireConfirmation, *, evidence_ref: str | None, at: datetime
    ) -> int | None:
        """Mark the hire confirmed; its new version, or None if it already was."""
        updated = await self.session.execute(
            sa.update(hires)
            .where(hires.c.id == hire_id, hires.c.confirmed_by.is_(None))
            .values(
                confirmed_by=how.value,
                confirmed_at=at,
                confirmation_ref=evidence_ref,
                denied_at=None,
                version=hires.c.version + 1,
            )
            .returning(hires.c.version)
        )
        return updated.scalar()

    async def row_with_account(self, hire_id: uuid.UUID) -> Any | None:
        """The hire, locked to COMMIT, with the ``account_subject`` of its person."""
        return (
            await self.session.execute(
                sa.select(hires, seekers.c.account_subject)
                .join(seekers, seekers.c.id == hires.c.seeker_id)
                .where(hires.c.id == hire_id)
                .with_for_update(of=hires)
            )
        ).first()

    async def deny(self, hire_id: uuid.UUID, at: datetime) -> None:
        """The person said the hire is not real."""
        await self.session.execute(
            sa.update(hires).where(hires.c.id == hire_id).values(denied_at=at)
        )

    async def unconfirmed_at(self, person_key: str, uscc: str) -> list[Any]:
        """The person's hires with this employer nobody confirmed yet, locked to COMMIT."""
        found = await self.session.execute(
            sa.select(hires)
            .join(seekers, seekers.c.id == hires.c.seeker_id)
            .where(
                seekers.c.person_key == person_key,
                hires.c.enterprise_uscc == uscc,
                hires.c.confirmed_by.is_(None),
            )
            .with_for_update(of=hires)
        )
        return list(found.all())


class ServiceRepository(Repository):
    """Services of the "131" / "1+3" programmes delivered to a person."""

    async def add(self, values: Mapping[str, Any]) -> bool:
        """Insert; False if this post was already recommended to this person."""
        return await rows.add_service(self.session, dict(values))


class CorrectionRepository(Repository):
    """更正请求: a person's requests to correct their profile, and staff's decisions."""

    async def add(self, values: Mapping[str, Any]) -> None:
        await corrections_store.add(self.session, values)

    async def get(self, correction_id: uuid.UUID, *, lock: bool = False) -> Any | None:
        return await corrections_store.get(self.session, correction_id, lock=lock)

    async def decide(self, correction_id: uuid.UUID, values: Mapping[str, Any]) -> None:
        await corrections_store.decide(self.session, correction_id, values)


class JobFairRepository(Repository):
    """招聘会: fairs, their booths and registrations."""

    async def add(self, fair: JobFair) -> None:
        await job_fairs_store.add_fair(self.session, fair)

    async def get(self, fair_id: uuid.UUID, *, lock: bool = False) -> JobFair | None:
        return await job_fairs_store.get_fair(self.session, fair_id, lock=lock)

    async def save_booth(
        self, fair_id: uuid.UUID, uscc: str, post_ids: list[uuid.UUID], at: datetime
    ) -> int:
        """The enterprise's booth with these posts; its booth number."""
        return await job_fairs_store.save_booth(self.session, fair_id, uscc, post_ids, at)

    async def add_registration(
        self, values: Mapping[str, Any], *, new_code: Callable[[], str]
    ) -> bool:
        """Register with a fresh code (a clash of codes, all but impossible, draws another,
        three times at most); False if the person is registered for the fair already."""
        for _ in range(3):
            try:
                async with self.session.begin_nested():
                    return await job_fairs_store.add_registration(
                        self.session, dict(values, code=new_code())
                    )
            except IntegrityError:
                continue
        return False

    async def registration(self, registration_id: uuid.UUID) -> Any | None:
        return await job_fairs_store.registration(self.session, registration_id)

    async def registration_by(self, fair_id: uuid.UUID, **key: str) -> Any | None:
        """The fair's registration with ``person_key=`` or ``code=``."""
        return await job_fairs_store.registration_by(self.session, fair_id, **key)

    async def check_in(self, registration_id: uuid.UUID, at: datetime) -> Any:
        """Record the check-in once (a second keeps the first time); the registration."""
        return await job_fairs_store.check_in(self.session, registration_id, at)

    async def counts(self, fair_id: uuid.UUID) -> dict[str, int]:
        return await job_fairs_store.counts(self.session, fair_id)

    async def mark_held(self, fair: JobFair, at: datetime) -> None:
        await job_fairs_store.mark_held(self.session, fair, at)


class InboxRepository(Repository):
    """站内消息 and 单位消息: the inboxes of persons and enterprises (one notice per recipient
    and event), and the deadlines the reminder sweep reads."""

    async def add_notice(self, notice: Notice) -> None:
        await inbox_store.add(self.session, notice)

    async def add_enterprise_notice(self, notice: EnterpriseNotice) -> None:
        await enterprise_inbox_store.add(self.session, notice)

    async def registrations_due(self, today: date, lead_days: int) -> list[Any]:
        """Registrations of fairs starting within ``lead_days`` not checked in yet."""
        return await reminders_store.registrations_due(self.session, today, lead_days)

    async def empty_booths_due(self, today: date, lead_days: int) -> list[Any]:
        """Booths of fairs starting within ``lead_days`` that show no open post."""
        return await reminders_store.empty_booths_due(self.session, today, lead_days)


class Repositories:
    """What ``uow.repos`` holds in job-matching (``build_service_app(repositories=...)``)."""

    def __init__(self, uow: UnitOfWork[Any]) -> None:
        self.enterprises = EnterpriseRepository(uow)
        self.seekers = SeekerRepository(uow)
        self.posts = PostRepository(uow)
        self.applications = ApplicationRepository(uow)
        self.hires = HireRepository(uow)
        self.services = ServiceRepository(uow)
        self.facts = FactRepository(uow)
        self.corrections = CorrectionRepository(uow)
        self.job_fairs = JobFairRepository(uow)
        self.inbox = InboxRepository(uow)


# What a job-matching handler receives.
Uow = Work[Repositories]
