"""Job-matching handlers: one function per command; the only place that changes state."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from job_matching import contracts
from job_matching.adapters import repository as repo
from job_matching.domain import commands
from job_matching.domain.model import Enterprise, HireRecorded, HireRejected, HireTerms, check_hire
from suxin_common.db import UnitOfWork
from suxin_common.identity import birth_date_of, gender_of, normalize_resident_id
from suxin_common.privacy import PersonalData
from suxin_common.regions import city_of
from suxin_common.web import Conflict, NotFound, Unprocessable

RESIDENT_ID_AAD = "job_matching.seekers.resident_id"


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
        if not await repo.add_enterprise(uow.session, enterprise):
            raise Conflict(f"enterprise {cmd.uscc} is already registered", extra={"uscc": cmd.uscc})
        await uow.commit()
    return enterprise


async def register_seeker(
    uow: UnitOfWork, cmd: commands.RegisterSeeker, pii: PersonalData
) -> tuple[uuid.UUID, str]:
    """Returns (seeker id, masked resident ID). The raw ID is kept only encrypted."""
    number = normalize_resident_id(cmd.resident_id)
    protected = pii.protect(number, RESIDENT_ID_AAD)
    seeker_id = uuid.uuid4()
    values = {
        "id": seeker_id,
        "person_key": protected.person_key,
        "resident_id_encrypted": protected.ciphertext,
        "resident_id_masked": protected.masked,
        "account_subject": cmd.account_subject,
        "gender": gender_of(number),
        "birth_year": birth_date_of(number).year,
        "education": cmd.education.value,
        "graduation_date": cmd.graduation_date,
        "key_groups": sorted(g.value for g in cmd.key_groups),
    }
    async with uow:
        if await repo.add_seeker(uow.session, values) is None:
            existing = await repo.seeker_id_by_person_key(uow.session, protected.person_key)
            raise Conflict("this person is already registered", extra={"seeker_id": str(existing)})
        await uow.commit()
    return seeker_id, protected.masked


async def publish_job_post(uow: UnitOfWork, cmd: commands.PublishJobPost) -> uuid.UUID:
    if cmd.wage_min_fen > cmd.wage_max_fen:
        raise Unprocessable("wage_min_fen exceeds wage_max_fen", field="wage_min_fen")
    post_id = uuid.uuid4()
    async with uow:
        enterprise = await repo.get_enterprise(uow.session, cmd.enterprise_uscc)
        if enterprise is None:
            raise NotFound(f"enterprise {cmd.enterprise_uscc} is not registered")
        await repo.add_job_post(
            uow.session,
            {
                "id": post_id,
                "enterprise_uscc": cmd.enterprise_uscc,
                "title": cmd.title,
                "occupation_code": cmd.occupation_code,
                "city_code": city_of(cmd.district_code),
                "district_code": cmd.district_code,
                "kind": cmd.kind.value,
                "status": cmd.status.value,
                "headcount": cmd.headcount,
                "wage_min_fen": cmd.wage_min_fen,
                "wage_max_fen": cmd.wage_max_fen,
            },
        )
        await uow.commit()
    return post_id


async def record_hire(
    uow: UnitOfWork, cmd: commands.RecordHire, *, today: date | None = None
) -> uuid.UUID:
    """Record a hire (录用) and, in the same transaction, its HireRecorded event."""
    today = today or date.today()
    terms = HireTerms(cmd.start_date, cmd.contract_type, cmd.contract_months, cmd.monthly_wage_fen)
    hire_id = uuid.uuid4()
    async with uow:
        enterprise = await repo.get_enterprise(uow.session, cmd.enterprise_uscc)
        if enterprise is None:
            raise NotFound(f"enterprise {cmd.enterprise_uscc} is not registered")
        seeker_row = await repo.get_seeker_row(uow.session, cmd.seeker_id)
        if seeker_row is None:
            raise NotFound(f"seeker {cmd.seeker_id} is not registered")
        post = await repo.get_job_post(uow.session, cmd.job_post_id, lock=True)
        if post is None:
            raise NotFound(f"job post {cmd.job_post_id} does not exist")
        if await repo.hire_exists(uow.session, cmd.seeker_id, post.id):
            # A retried request: say so before any rule about the (now filled) post.
            raise Conflict("this seeker is already hired into this job post")
        try:
            check_hire(enterprise, post, terms, today)
        except HireRejected as exc:
            raise Unprocessable(str(exc), field=exc.field) from exc
        inserted = await repo.add_hire(
            uow.session,
            {
                "id": hire_id,
                "enterprise_uscc": enterprise.uscc,
                "seeker_id": cmd.seeker_id,
                "job_post_id": post.id,
                "start_date": terms.start_date,
                "contract_type": terms.contract_type.value,
                "contract_months": terms.contract_months,
                "monthly_wage_fen": terms.monthly_wage_fen,
            },
        )
        if not inserted:
            raise Conflict("this seeker is already hired into this job post")
        await repo.count_hire_into_post(uow.session, post)
        event = HireRecorded(
            hire_id=hire_id,
            version=1,
            enterprise=enterprise,
            seeker=repo.seeker_from_row(seeker_row),
            post=post,
            terms=terms,
            recorded_at=datetime.now(UTC),
        )
        uow.publish(contracts.hire_recorded(event), key=str(hire_id))
        await uow.commit()
    return hire_id
