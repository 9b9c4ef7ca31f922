"""Job-matching handlers: one function per command; the only place that changes state."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func

from job_matching import confirmations, contracts, search
from job_matching.adapters import hire_writes
from job_matching.adapters import repository as repo
from job_matching.adapters import search as search_repo
from job_matching.domain import commands
from job_matching.domain import employment_services as services
from job_matching.domain.matching import (
    normalize_skill,
    occupation_minor_group,
    post_match_keys,
    seeker_match_keys,
)
from job_matching.domain.model import (
    Actor,
    ApplicationStatus,
    ApplicationSubmitted,
    EmploymentEnded,
    Enterprise,
    Hire,
    HireConfirmation,
    HireRecorded,
    HireRejected,
    HireSnapshot,
    HireTerms,
    JobKind,
    JobPost,
    JobPostClosed,
    JobPostOpened,
    KeyGroup,
    PostCloseReason,
    PostStatus,
    ProfessionalTitle,
    SkillLevel,
    TransitionRefused,
    check_application_transition,
    check_hire,
    check_post_transition,
    check_separation,
)
from suxin_common.auth import Principal
from suxin_common.db import OutboxRows, UnitOfWork
from suxin_common.identity import birth_date_of, gender_of, normalize_resident_id
from suxin_common.privacy import PersonalData
from suxin_common.regions import city_of
from suxin_common.security import audit
from suxin_common.web import Conflict, NotFound, Unprocessable

RESIDENT_ID_AAD = "job_matching.seekers.resident_id"
# Audit actions of this service (the kit's READ_PERSONAL_DATA for reads).
RECORD_HIRE = "record_hire"
RECORD_SEPARATION = "record_separation"
CLAIM_SEEKER_PROFILE = "claim_seeker_profile"


def _now() -> datetime:
    return datetime.now(UTC)


async def register_enterprise(uow: UnitOfWork, cmd: commands.RegisterEnterprise) -> Enterprise:
    if city_of(cmd.district_code) != cmd.city_code:
        raise Unprocessable("district_code is not in city_code", field="district_code")
    enterprise = Enterprise(
        uscc=cmd.uscc,
        name=cmd.name,
        city_code=cmd.city_code,
        district_code=cmd.district_code,
        industry_code=cmd.industry_code,
        size=cmd.size,
        specialized_sme=cmd.specialized_sme or cmd.little_giant,
        little_giant=cmd.little_giant,
        key_monitored=cmd.key_monitored,
    )
    async with uow:
        # Flags that unlock policy: as staff set them, or as the 工信/staff lists state them.
        listed = await confirmations.verified_flags(uow.session, cmd.uscc)
        enterprise = replace(
            enterprise,
            specialized_sme=enterprise.specialized_sme
            or listed["specialized_sme"]
            or listed["little_giant"],
            little_giant=enterprise.little_giant or listed["little_giant"],
            key_monitored=enterprise.key_monitored or listed["key_monitored"],
        )
        if not await repo.add_enterprise(uow.session, enterprise):
            raise Conflict(f"enterprise {cmd.uscc} is already registered", extra={"uscc": cmd.uscc})
        await uow.commit()
    return enterprise


@dataclass(frozen=True)
class Registration:
    """What registering a person found: a new record, or the one this person already has."""

    seeker_id: uuid.UUID
    created: bool
    masked_resident_id: str
    account_subject: str | None  # of the existing record (None: registered by staff only)
    district_code: str | None


def home_district(resident_id: str) -> str | None:
    """The household-registration district of a resident ID (its first six digits) if it is
    in Jiangsu, else None: the default district whose employment office serves the person."""
    code = normalize_resident_id(resident_id)[:6]
    try:
        city_of(code)
    except ValueError:
        return None
    return code


async def register_seeker(
    uow: UnitOfWork, cmd: commands.RegisterSeeker, pii: PersonalData
) -> Registration:
    """Register a person; if they are already registered, nothing changes and the existing
    record is described (the caller decides: a claim, or a 409). The raw ID is kept only
    encrypted."""
    number = normalize_resident_id(cmd.resident_id)
    protected = pii.protect(number, RESIDENT_ID_AAD)
    seeker_id = uuid.uuid4()
    values = {
        "id": seeker_id,
        "person_key": protected.person_key,
        "resident_id_encrypted": protected.ciphertext,
        "resident_id_masked": protected.masked,
        "account_subject": cmd.account_subject,
        "district_code": cmd.district_code,
        "gender": gender_of(number),
        "birth_year": birth_date_of(number).year,
        "education": cmd.education.value,
        "graduation_date": cmd.graduation_date,
        "key_groups": sorted(g.value for g in cmd.key_groups),
        **(profile_values(cmd.profile) if cmd.profile else {}),
    }
    values["match_keys"] = seeker_match_keys(
        values.get("desired_occupations", ()),
        values.get("desired_regions", ()),
        values.get("skills", ()),
    )
    async with uow:
        if await repo.add_seeker(uow.session, values) is None:
            existing = await repo.seeker_row_by_person_key(uow.session, protected.person_key)
            assert existing is not None
            return Registration(
                existing.id,
                False,
                existing.resident_id_masked,
                existing.account_subject,
                existing.district_code,
            )
        await uow.commit()
    return Registration(seeker_id, True, protected.masked, cmd.account_subject, cmd.district_code)


async def claim_seeker(uow: UnitOfWork, seeker_id: uuid.UUID, principal: Principal) -> None:
    """Bind a person's record to the account of the caller, whom the real-name login verified
    as that person (the route checks `principal.is_person`): a profile HRSS staff registered
    for them, or one bound to an earlier account of theirs. Audited."""
    async with uow:
        row = await repo.get_seeker_row(uow.session, seeker_id, lock=True)
        if row is None:
            raise NotFound(f"seeker {seeker_id} is not registered")
        if row.account_subject != principal.subject:
            await repo.update_seeker(uow.session, seeker_id, {"account_subject": principal.subject})
            await audit.record(
                uow,
                principal,
                action=CLAIM_SEEKER_PROFILE,
                object_type="seeker",
                object_id=str(seeker_id),
                purpose="the verified person claims their profile",
                details={"previously_bound": row.account_subject is not None},
            )
        await uow.commit()


def profile_values(p: commands.SeekerProfileUpdate) -> dict[str, Any]:
    """Column values for the profile fields given (None: left as is, unless cleared)."""
    values: dict[str, Any] = {}
    if p.education is not None:
        values["education"] = p.education.value
    if p.graduation_date is not None or "graduation_date" in p.cleared:
        values["graduation_date"] = p.graduation_date
    if p.key_groups is not None:
        values["key_groups"] = sorted(g.value for g in p.key_groups)
    if p.skills is not None:
        values["skills"] = sorted({normalize_skill(s) for s in p.skills if s.strip()})
    if p.desired_occupations is not None:
        values["desired_occupations"] = sorted(set(p.desired_occupations))
        values["desired_minor_groups"] = sorted(
            {occupation_minor_group(c) for c in p.desired_occupations}
        )
    if p.desired_regions is not None:
        values["desired_regions"] = sorted(set(p.desired_regions))
        values["desired_cities"] = sorted({city_of(r) for r in p.desired_regions})
    if p.desired_wage_fen is not None or "desired_wage_fen" in p.cleared:
        values["desired_wage_fen"] = p.desired_wage_fen
    for name, enum in (("skill_level", SkillLevel), ("professional_title", ProfessionalTitle)):
        value = getattr(p, name)
        if value is not None or name in p.cleared:
            values[name] = enum(value).value if value is not None else None
    for name in ("previously_unemployed", "open_to_offers"):
        if getattr(p, name) is not None:
            values[name] = getattr(p, name)
    return values


async def update_seeker_profile(
    uow: UnitOfWork, seeker_id: uuid.UUID, update: commands.SeekerProfileUpdate, actor: Actor
) -> None:
    """A seeker edits their own profile (HRSS staff may too); others' is not found."""
    async with uow:
        row = await repo.get_seeker_row(uow.session, seeker_id)
        if row is None or not actor.owns_seeker(row.account_subject, row.district_code):
            raise NotFound(f"seeker {seeker_id} is not registered")
        values = profile_values(update)
        if values:
            await repo.update_seeker(uow.session, seeker_id, values)
            row = await repo.get_seeker_row(uow.session, seeker_id)
            keys = seeker_match_keys(row.desired_occupations, row.desired_regions, row.skills)
            await repo.set_seeker_match_keys(uow.session, seeker_id, keys)
        await uow.commit()


async def publish_job_post(uow: UnitOfWork, cmd: commands.PublishJobPost) -> uuid.UUID:
    if cmd.wage_min_fen > cmd.wage_max_fen:
        raise Unprocessable("wage_min_fen exceeds wage_max_fen", field="wage_min_fen")
    if cmd.status not in (PostStatus.DRAFT, PostStatus.OPEN):
        raise Unprocessable("a new job post is a draft or open", field="status")
    post_id = uuid.uuid4()
    now = _now()
    async with uow:
        enterprise = await repo.get_enterprise(uow.session, cmd.enterprise_uscc)
        if enterprise is None:
            raise NotFound(f"enterprise {cmd.enterprise_uscc} is not registered")
        skills = sorted({normalize_skill(s) for s in cmd.required_skills})
        values = {
            "id": post_id,
            "enterprise_uscc": cmd.enterprise_uscc,
            "title": cmd.title,
            "description": cmd.description,
            "occupation_code": cmd.occupation_code,
            "occupation_minor": occupation_minor_group(cmd.occupation_code),
            "city_code": city_of(cmd.district_code),
            "district_code": cmd.district_code,
            "kind": cmd.kind.value,
            "status": cmd.status.value,
            "headcount": cmd.headcount,
            "wage_min_fen": cmd.wage_min_fen,
            "wage_max_fen": cmd.wage_max_fen,
            "required_skills": skills,
            "match_keys": post_match_keys(cmd.occupation_code, city_of(cmd.district_code), skills),
            "min_education": cmd.min_education.value if cmd.min_education else None,
            "specialized_zone": enterprise.in_specialized_zone,
            "search_vector": func.to_tsvector(
                "simple", search.document_tokens(cmd.title, cmd.description)
            ),
            "opened_at": now if cmd.status is PostStatus.OPEN else None,
        }
        text = search_repo.post_text_of(values | {"enterprise_name": enterprise.name})
        values["search_doc"] = search_repo.search_doc_value(search.post_lexemes(text))
        await repo.add_job_post(uow.session, values)
        if cmd.status is PostStatus.OPEN:
            await search_repo.add_terms(uow.session, search.post_terms(text))
        if cmd.status is PostStatus.OPEN:
            post = await repo.get_job_post(uow.session, post_id)
            assert post is not None
            _publish_opened(uow, post, enterprise, now)
        await uow.commit()
    return post_id


def _publish_opened(uow: UnitOfWork, post: JobPost, enterprise: Enterprise, at: datetime) -> None:
    post = replace(post, industry_code=enterprise.industry_code)
    uow.publish(contracts.job_post_opened(JobPostOpened(post, at)), key=str(post.id))


def _publish_closed(uow: UnitOfWork, post: JobPost, reason: PostCloseReason, at: datetime) -> None:
    uow.publish(contracts.job_post_closed(JobPostClosed(post, reason, at)), key=str(post.id))


async def change_post_status(
    uow: UnitOfWork, cmd: commands.ChangePostStatus, actor: Actor
) -> PostStatus:
    """Open a draft, or close a post (岗位关闭). Another enterprise's post is not found."""
    now = _now()
    async with uow:
        post = await repo.get_job_post(uow.session, cmd.job_post_id, lock=True)
        if post is None or not actor.owns_enterprise(post.enterprise_uscc, post.district_code):
            raise NotFound(f"job post {cmd.job_post_id} does not exist")
        if cmd.status not in (PostStatus.OPEN, PostStatus.CLOSED):
            raise Unprocessable("a post is opened or closed; it fills by hires", field="status")
        try:
            check_post_transition(post.status, cmd.status)
        except TransitionRefused as exc:
            raise Conflict(str(exc), extra={"current_status": post.status.value}) from exc
        if cmd.status is PostStatus.OPEN:
            post = await repo.set_post_status(uow.session, post, PostStatus.OPEN, opened_at=now)
            enterprise = await repo.get_enterprise(uow.session, post.enterprise_uscc)
            assert enterprise is not None
            await search_repo.index_opened_post(uow.session, post.id)
            _publish_opened(uow, post, enterprise, now)
        else:
            was_open = post.status is PostStatus.OPEN
            post = await repo.set_post_status(
                uow.session, post, PostStatus.CLOSED, closed_at=now, close_reason=cmd.reason.value
            )
            if was_open:  # a draft or a filled post was never (or no longer) open
                _publish_closed(uow, post, cmd.reason, now)
        await uow.commit()
    return post.status


async def submit_application(
    uow: UnitOfWork, cmd: commands.SubmitApplication, actor: Actor
) -> uuid.UUID:
    """A seeker applies to an open post (求职申请)."""
    application_id = uuid.uuid4()
    now = _now()
    async with uow:
        seeker_row = await repo.get_seeker_row(uow.session, cmd.seeker_id)
        if seeker_row is None or not actor.owns_seeker(
            seeker_row.account_subject, seeker_row.district_code
        ):
            raise NotFound(f"seeker {cmd.seeker_id} is not registered")
        post = await repo.get_job_post(uow.session, cmd.job_post_id)
        if post is None or (post.status is PostStatus.DRAFT and not actor.staff):
            raise NotFound(f"job post {cmd.job_post_id} does not exist")
        if post.status is not PostStatus.OPEN:
            raise Conflict(f"the job post is {post.status.value}, not open to applications")
        inserted = await repo.add_application(
            uow.session,
            {
                "id": application_id,
                "seeker_id": cmd.seeker_id,
                "job_post_id": post.id,
                "enterprise_uscc": post.enterprise_uscc,
                "status": ApplicationStatus.SUBMITTED.value,
                "cover_letter": cmd.cover_letter,
                "submitted_at": now,
                "updated_at": now,
            },
        )
        if not inserted:
            raise Conflict("this seeker already has a live application to this post")
        event = ApplicationSubmitted(application_id, post, repo.seeker_from_row(seeker_row), now)
        uow.publish(contracts.application_submitted(event), key=str(application_id))
        await uow.commit()
    return application_id


_BY_ENTERPRISE = frozenset(
    {ApplicationStatus.SHORTLISTED, ApplicationStatus.REJECTED, ApplicationStatus.OFFERED}
)


async def review_application(
    uow: UnitOfWork, cmd: commands.ReviewApplication, actor: Actor
) -> ApplicationStatus:
    """Shortlist, reject or offer (the enterprise), or withdraw (the seeker)."""
    async with uow:
        row = await repo.get_application_row(uow.session, cmd.application_id, lock=True)
        if row is None:
            raise NotFound(f"application {cmd.application_id} does not exist")
        if cmd.status in _BY_ENTERPRISE:
            district = await repo.post_district(uow.session, row.job_post_id)
            allowed = actor.owns_enterprise(row.enterprise_uscc, district)
        elif cmd.status in (ApplicationStatus.WITHDRAWN, ApplicationStatus.ACCEPTED):
            seeker = await repo.get_seeker_row(uow.session, row.seeker_id)
            allowed = seeker is not None and actor.owns_seeker(
                seeker.account_subject, seeker.district_code
            )
        else:
            raise Unprocessable("an application is hired by recording the hire", field="status")
        if not allowed:
            raise NotFound(f"application {cmd.application_id} does not exist")
        try:
            check_application_transition(ApplicationStatus(row.status), cmd.status)
        except TransitionRefused as exc:
            raise Conflict(str(exc), extra={"current_status": row.status}) from exc
        await repo.set_application_status(uow.session, row.id, cmd.status.value, cmd.note)
        await uow.commit()
    return cmd.status


async def record_hire(
    uow: UnitOfWork,
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

    Three statements between BEGIN and COMMIT (adapters/hire_writes.py): the context read
    (taking the person's lock for a full-time post), the reads decided on after that lock (with
    the audit chain claimed), and ONE statement for the hire, its count into the post, its audit
    entry and its HireRecorded outbox row. The rules are checked against the post as read
    without a lock; the count's row lock is held from that last statement to COMMIT only. If
    the count finds the post no longer open or full (another hire or a close committed
    meanwhile), the rules are checked again against the post as it now is, with the same answer
    a locked read would have given (and the hire rolls back)."""
    today = today or date.today()
    terms = HireTerms(cmd.start_date, cmd.contract_type, cmd.contract_months, cmd.monthly_wage_fen)
    hire_id = uuid.uuid4()
    async with uow:
        found = await hire_writes.read_context(
            uow, cmd.enterprise_uscc, cmd.seeker_id, cmd.job_post_id
        )
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
            application = await repo.get_application_row(uow.session, cmd.application_id, lock=True)
            if application is None or application.enterprise_uscc != enterprise.uscc:
                raise NotFound(f"application {cmd.application_id} does not exist")
            if application.seeker_id != cmd.seeker_id or application.job_post_id != post.id:
                raise Unprocessable(
                    "the application is for another seeker or post", field="application_id"
                )
        if found.hire_exists:
            # A retried request: say so before any rule about the (now filled) post.
            raise Conflict("this seeker is already hired into this job post")
        try:
            check_hire(enterprise, post, terms, today)
        except HireRejected as exc:
            raise Unprocessable(str(exc), field=exc.field) from exc
        full_time = post.kind is JobKind.FULL_TIME
        # One active full-time job per person: hires of one person wait for each other (the
        # person's lock, taken by read_context for a full-time post); what was decided on is
        # read after it, with the audit chain claimed in the same statement.
        decision = await hire_writes.read_decision(
            uow,
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
            await repo.set_application_status(
                uow.session, application.id, ApplicationStatus.HIRED.value
            )
        seeker = repo.seeker_from_row(seeker_row)
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

        # The event as it will read once counted (only the post's count and status move, and
        # the event carries neither); write_hire inserts it only if the post is that one.
        events = OutboxRows.of(uow.source, [(recorded(post), str(hire_id))])
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
        written = await hire_writes.write_hire(
            uow,
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
            audit_rows=audit.chained(decision.chain, [entry]),
            events=events,
        )
        inserted, counted = written.hire, written.post
        if inserted is None:
            raise Conflict("this seeker is already hired into this job post")
        if counted is None:  # filled or closed since it was read: say why, as before
            current = await repo.get_job_post(uow.session, post.id)
            try:
                check_hire(enterprise, current or post, terms, today)
            except HireRejected as exc:
                raise Unprocessable(str(exc), field=exc.field) from exc
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
            _publish_closed(uow, post, PostCloseReason.FILLED, now)
        if not written.audited:
            raise RuntimeError("the hire was counted but its audit entry was not written")
        await uow.commit()
    hire = repo.hire_from_row(inserted)
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
    uow: UnitOfWork,
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
        row = await repo.get_hire_row(uow.session, cmd.hire_id, lock=True)
        district = await repo.post_district(uow.session, row.job_post_id) if row else None
        if row is None or not actor.owns_enterprise(row.enterprise_uscc, district):
            raise NotFound(f"hire {cmd.hire_id} does not exist")
        if row.end_date is not None:
            raise Conflict(
                "this employment has already ended", extra={"end_date": str(row.end_date)}
            )
        try:
            check_separation(row.start_date, cmd.end_date, today)
        except HireRejected as exc:
            raise Unprocessable(str(exc), field=exc.field) from exc
        if not row.snapshot:
            raise Conflict("this hire predates separations and cannot be ended here")
        now = _now()
        await repo.end_hire(
            uow.session,
            row.id,
            {"end_date": cmd.end_date, "end_reason": cmd.reason.value, "ended_at": now},
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
        await audit.record(
            uow,
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
        await uow.commit()
    return row.version + 1


async def record_service_delivered(
    uow: UnitOfWork,
    cmd: commands.RecordServiceDelivered,
    actor: Actor,
    *,
    today: date | None = None,
) -> uuid.UUID:
    """HRSS staff (of the person's district) record one service of the "131" or "1+3"
    programme for a person."""
    today = today or date.today()
    service_id = uuid.uuid4()
    async with uow:
        row = await repo.get_seeker_row(uow.session, cmd.seeker_id)
        if row is None or not actor.owns_seeker(row.account_subject, row.district_code):
            raise NotFound(f"seeker {cmd.seeker_id} is not registered")
        employed = await repo.has_active_hire(uow.session, cmd.seeker_id)
        eligible = services.programmes_for(
            repo.seeker_from_row(row).key_groups, row.graduation_date, employed, today
        )
        try:
            services.check_deliverable(cmd.programme, cmd.kind, eligible)
        except services.NotEligible as exc:
            raise Conflict(str(exc)) from exc
        if cmd.kind is services.ServiceKind.JOB_RECOMMENDATION:
            if cmd.job_post_id is None:
                raise Unprocessable("a job recommendation names the post", field="job_post_id")
            post = await repo.get_job_post(uow.session, cmd.job_post_id)
            if post is None:
                raise NotFound(f"job post {cmd.job_post_id} does not exist")
            if post.status is not PostStatus.OPEN:
                raise Conflict(f"the job post is {post.status.value}; recommend an open one")
        inserted = await repo.add_service(
            uow.session,
            {
                "id": service_id,
                "seeker_id": cmd.seeker_id,
                "programme": cmd.programme.value,
                "kind": cmd.kind.value,
                "job_post_id": cmd.job_post_id,
                "note": cmd.note,
                "delivered_by": cmd.delivered_by,
            },
        )
        if not inserted:
            raise Conflict("this post was already recommended to this person")
        await uow.commit()
    return service_id
