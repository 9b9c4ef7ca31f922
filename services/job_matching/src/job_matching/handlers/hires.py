"""Hires (录用) and separations (解除/终止劳动关系)."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from job_matching import contracts
from job_matching.adapters import repository as rows
from job_matching.adapters.repositories import Uow
from job_matching.domain import commands
from job_matching.domain.model import (
    Actor,
    ApplicationStatus,
    EmploymentEnded,
    Hire,
    HireConfirmation,
    HireRecorded,
    HireRejected,
    HireSnapshot,
    HireTerms,
    JobKind,
    JobPost,
    KeyGroup,
    PostCloseReason,
    PostStatus,
    ProfessionalTitle,
    SkillLevel,
    TransitionRefused,
    check_application_transition,
    check_hire,
    check_separation,
)
from job_matching.handlers import confirmations
from job_matching.handlers.job_posts import publish_closed
from suxin_common.auth import Principal
from suxin_common.errors import Conflict, NotFound, RuleViolation
from suxin_common.security import audit

# Audit actions of this service (the kit's READ_PERSONAL_DATA for reads).
RECORD_HIRE = "record_hire"
RECORD_SEPARATION = "record_separation"


def _now() -> datetime:
    return datetime.now(UTC)


async def record_hire(
    uow: Uow,
    cmd: commands.RecordHire,
    actor: Actor,
    principal: Principal,
    *,
    today: date | None = None,
) -> Hire:
    """Record a hire (录用) and, in the same transaction, its HireRecorded event and the audit
    entry (a hire drives subsidies and insurance downstream). The enterprise records its own
    hires; HRSS staff those into posts in their district. Returns the hire as recorded (and
    confirmed, if the person had accepted the offer or 社保 shows the enrolment).

    Three statements between BEGIN and COMMIT (``uow.repos.hires``, over
    adapters/hire_writes.py): the context read (taking the person's lock for a full-time post),
    the reads decided on after that lock (with the audit chain claimed), and ONE statement for
    the hire, its count into the post, its audit entry and its HireRecorded outbox row. The
    rules are checked against the post as read without a lock; the count's row lock is held
    from that last statement to COMMIT only. If the count finds the post no longer open or
    full (another hire or a close committed meanwhile), the rules are checked again against
    the post as it now is, with the same answer a locked read would have given (and the hire
    rolls back)."""
    today = today or date.today()
    terms = HireTerms(cmd.start_date, cmd.contract_type, cmd.contract_months, cmd.monthly_wage_fen)
    hire_id = uuid.uuid4()
    hires = uow.repos.hires
    async with uow:
        found = await hires.read_context(cmd.enterprise_uscc, cmd.seeker_id, cmd.job_post_id)
        enterprise = found.enterprise
        if enterprise is None:
            raise NotFound(f"enterprise {cmd.enterprise_uscc} is not registered")
        seeker_row = found.seeker_row
        if seeker_row is None:
            raise NotFound(f"seeker {cmd.seeker_id} is not registered")
        post = found.post
        if post is None or not actor.owns_enterprise(post.enterprise_uscc, post.district_code):
            raise NotFound(f"job post {cmd.job_post_id} does not exist")
        application = None
        if cmd.application_id is not None:
            application = await uow.repos.applications.row(cmd.application_id, lock=True)
            if application is None or application.enterprise_uscc != enterprise.uscc:
                raise NotFound(f"application {cmd.application_id} does not exist")
            if application.seeker_id != cmd.seeker_id or application.job_post_id != post.id:
                raise RuleViolation(
                    "the application is for another seeker or post", field="application_id"
                )
        if found.hire_exists:
            # A retried request: say so before any rule about the (now filled) post.
            raise Conflict("this seeker is already hired into this job post")
        try:
            check_hire(enterprise, post, terms, today)
        except HireRejected as exc:
            raise RuleViolation(str(exc), field=exc.field) from exc
        full_time = post.kind is JobKind.FULL_TIME
        # One active full-time job per person: hires of one person wait for each other (the
        # person's lock, taken by read_context for a full-time post); what was decided on is
        # read after it, with the audit chain claimed in the same statement.
        decision = await hires.read_decision(
            seeker_id=cmd.seeker_id,
            person_key=seeker_row.person_key,
            uscc=enterprise.uscc,
            full_time=full_time,
        )
        if full_time:
            confirmations.check_full_time_elsewhere(
                decision.active_elsewhere, decision.enrolments, enterprise.uscc, terms.start_date
            )
        accepted = False
        if application is not None:
            accepted = application.status == ApplicationStatus.ACCEPTED.value
            try:
                check_application_transition(
                    ApplicationStatus(application.status), ApplicationStatus.HIRED
                )
            except TransitionRefused as exc:
                raise Conflict(str(exc), extra={"current_status": application.status}) from exc
            await uow.repos.applications.set_status(application.id, ApplicationStatus.HIRED.value)
        seeker = rows.seeker_from_row(seeker_row)
        snapshot = HireSnapshot(
            person_key=seeker.person_key,
            enterprise_uscc=enterprise.uscc,
            city_code=post.city_code,
            district_code=post.district_code,
            industry_code=enterprise.industry_code,
            job_kind=post.kind,
            specialized_sme=enterprise.specialized_sme,
            little_giant=enterprise.little_giant,
            key_monitored=enterprise.key_monitored,
            key_groups=seeker.key_groups,
            skill_level=seeker.skill_level,
            professional_title=seeker.professional_title,
        )
        now = _now()

        def recorded(as_counted: JobPost) -> Any:
            event = HireRecorded(
                hire_id=hire_id,
                version=1,
                enterprise=enterprise,
                seeker=seeker,
                post=as_counted,
                terms=terms,
                recorded_at=now,
                application_id=cmd.application_id,
            )
            return contracts.hire_recorded(event)

        entry = audit.entry(
            principal,
            action=RECORD_HIRE,
            object_type="hire",
            object_id=str(hire_id),
            purpose="hire recorded",
            details={
                "enterprise_uscc": enterprise.uscc,
                "seeker_id": str(cmd.seeker_id),
                "job_post_id": str(post.id),
                "application_id": str(cmd.application_id) if cmd.application_id else None,
                "district_code": post.district_code,
                "job_kind": post.kind.value,
                "start_date": terms.start_date.isoformat(),
                "contract_type": terms.contract_type.value,
                "contract_months": terms.contract_months,
                "monthly_wage_fen": terms.monthly_wage_fen,
                "key_groups": sorted(g.value for g in seeker.key_groups),
            },
        )
        # The event as it will read once counted (only the post's count and status move, and
        # the event carries neither); the write records it only if the post is that one.
        written = await hires.write(
            {
                "id": hire_id,
                "enterprise_uscc": enterprise.uscc,
                "seeker_id": cmd.seeker_id,
                "job_post_id": post.id,
                "start_date": terms.start_date,
                "contract_type": terms.contract_type.value,
                "contract_months": terms.contract_months,
                "monthly_wage_fen": terms.monthly_wage_fen,
                "application_id": cmd.application_id,
                "snapshot": json.dumps(snapshot_to_json(snapshot)),
            },
            post_version=post.version,
            audit_entries=[entry],
            events=[(recorded(post), str(hire_id))],
        )
        inserted, counted = written.hire, written.post
        if inserted is None:
            raise Conflict("this seeker is already hired into this job post")
        if counted is None:  # filled or closed since it was read: say why, as before
            current = await uow.repos.posts.get(post.id)
            try:
                check_hire(enterprise, current or post, terms, today)
            except HireRejected as exc:
                raise RuleViolation(str(exc), field=exc.field) from exc
            raise Conflict("the job post changed meanwhile; retry the hire")
        post = counted
        if not written.published:  # the post changed between the read and the count
            uow.publish(recorded(post), key=str(hire_id))
        # Real from the start if the person accepted the offer or 社保 already shows it.
        confirmed_by = None
        if accepted:
            confirmed_by = HireConfirmation.OFFER_ACCEPTED
            await confirmations.confirm(
                uow,
                inserted,
                HireConfirmation.OFFER_ACCEPTED,
                evidence_ref=f"application:{cmd.application_id}",
                at=now,
            )
        else:
            enrolled = confirmations.open_enrolment(
                decision.enrolments, enterprise.uscc, terms.start_date
            )
            if enrolled is not None:
                confirmed_by = HireConfirmation.SOCIAL_INSURANCE
                await confirmations.confirm(
                    uow,
                    inserted,
                    HireConfirmation.SOCIAL_INSURANCE,
                    evidence_ref=enrolled.evidence_ref,
                    at=now,
                )
        if post.status is PostStatus.FILLED:
            publish_closed(uow, post, PostCloseReason.FILLED, now)
        if not written.audited:
            raise RuntimeError("the hire was counted but its audit entry was not written")
        await uow.commit()
    hire = rows.hire_from_row(inserted)
    if confirmed_by is not None:
        hire = replace(hire, confirmed_by=confirmed_by, confirmed_at=now)
    return hire


def snapshot_to_json(s: HireSnapshot) -> dict[str, Any]:
    return {
        "person_key": s.person_key,
        "enterprise_uscc": s.enterprise_uscc,
        "city_code": s.city_code,
        "district_code": s.district_code,
        "industry_code": s.industry_code,
        "job_kind": s.job_kind.value,
        "specialized_sme": s.specialized_sme,
        "little_giant": s.little_giant,
        "key_monitored": s.key_monitored,
        "key_groups": sorted(g.value for g in s.key_groups),
        "skill_level": s.skill_level.value if s.skill_level else None,
        "professional_title": s.professional_title.value if s.professional_title else None,
    }


def snapshot_from_json(d: dict[str, Any]) -> HireSnapshot:
    return HireSnapshot(
        person_key=d["person_key"],
        enterprise_uscc=d["enterprise_uscc"],
        city_code=d["city_code"],
        district_code=d["district_code"],
        industry_code=d["industry_code"],
        job_kind=JobKind(d["job_kind"]),
        specialized_sme=d["specialized_sme"],
        little_giant=d["little_giant"],
        key_monitored=d["key_monitored"],
        key_groups=frozenset(KeyGroup(g) for g in d["key_groups"]),
        skill_level=SkillLevel(d["skill_level"]) if d["skill_level"] else None,
        professional_title=(
            ProfessionalTitle(d["professional_title"]) if d["professional_title"] else None
        ),
    )


async def record_separation(
    uow: Uow,
    cmd: commands.RecordSeparation,
    actor: Actor,
    principal: Principal,
    *,
    today: date | None = None,
) -> int:
    """End a hire (解除/终止劳动关系) and publish EmploymentEnded, audited; returns the new
    version."""
    today = today or date.today()
    async with uow:
        row = await uow.repos.hires.row(cmd.hire_id, lock=True)
        district = await uow.repos.posts.district(row.job_post_id) if row else None
        if row is None or not actor.owns_enterprise(row.enterprise_uscc, district):
            raise NotFound(f"hire {cmd.hire_id} does not exist")
        if row.end_date is not None:
            raise Conflict(
                "this employment has already ended", extra={"end_date": str(row.end_date)}
            )
        try:
            check_separation(row.start_date, cmd.end_date, today)
        except HireRejected as exc:
            raise RuleViolation(str(exc), field=exc.field) from exc
        if not row.snapshot:
            raise Conflict("this hire predates separations and cannot be ended here")
        now = _now()
        await uow.repos.hires.end(
            row.id, {"end_date": cmd.end_date, "end_reason": cmd.reason.value, "ended_at": now}
        )
        event = EmploymentEnded(
            hire_id=row.id,
            version=row.version + 1,
            snapshot=snapshot_from_json(row.snapshot),
            end_date=cmd.end_date,
            reason=cmd.reason,
            recorded_at=now,
        )
        uow.publish(contracts.employment_ended(event), key=str(row.id))
        await uow.append_audit(
            [
                audit.entry(
                    principal,
                    action=RECORD_SEPARATION,
                    object_type="hire",
                    object_id=str(row.id),
                    purpose="employment ended",
                    details={
                        "enterprise_uscc": row.enterprise_uscc,
                        "seeker_id": str(row.seeker_id),
                        "job_post_id": str(row.job_post_id),
                        "district_code": district,
                        "start_date": row.start_date.isoformat(),
                        "end_date": cmd.end_date.isoformat(),
                        "reason": cmd.reason.value,
                    },
                )
            ]
        )
        await uow.commit()
    return row.version + 1
