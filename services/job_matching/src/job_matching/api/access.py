"""What every job-matching route shares: who may call (roles), who the caller is as an
Actor, page size and cursors, the audited read of a person's data, and the reads that
answer 404 for another tenant's object.

Ownership: a seeker sees only their own profile and applications, an enterprise only its own
posts, applications and hires; another tenant's object answers 404, as if it did not exist.
HRSS staff act within their district (unless province-level): enterprise-side objects (posts,
their applications and hires) by the post's district, people by the district serving them.
Every read of a person's data by someone other than that person (staff, enterprises) is written
to the audit log in the read's transaction; so are hires and separations.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Depends, Query

from job_matching.adapters import matching as match_repo
from job_matching.adapters import repository as repo
from job_matching.api.schemas import (
    JobPostOut,
)
from job_matching.domain.model import (
    Actor,
    PostStatus,
)
from suxin_common.auth import Principal, Role, require_roles
from suxin_common.db import UnitOfWork
from suxin_common.errors import Forbidden, NotFound
from suxin_common.security import audit
from suxin_common.web import page_size

ENTERPRISE_OR_STAFF = Depends(require_roles(Role.ENTERPRISE, Role.HRSS_STAFF))
SEEKER_OR_STAFF = Depends(require_roles(Role.SEEKER, Role.HRSS_STAFF))
STAFF_ONLY = Depends(require_roles(Role.HRSS_STAFF))
ANY_USER = Depends(require_roles(Role.SEEKER, Role.ENTERPRISE, Role.HRSS_STAFF))
# Page size: 20 by default, at most 50 (matching scores every candidate; a 422 beyond).
Limit = Annotated[int, Depends(page_size(20, 50))]
Cursor = Annotated[str | None, Query(max_length=2048, description="from the previous page")]


def actor_of(principal: Principal) -> Actor:
    return Actor(
        staff=principal.has_role(Role.HRSS_STAFF),
        uscc=principal.tenant.uscc if principal.has_role(Role.ENTERPRISE) else None,
        subject=principal.subject if principal.has_role(Role.SEEKER) else None,
        districts=principal.district_scope(),
    )


def check_creates_in(principal: Principal, district_code: str | None, what: str) -> None:
    """Staff create only within their district scope: 403 elsewhere (nothing exists yet, so
    there is nothing to hide)."""
    if principal.has_role(Role.HRSS_STAFF) and not principal.sees_district(district_code):
        raise Forbidden(f"{what} outside your district may not be created by you")


async def audit_read(
    uow: UnitOfWork,
    principal: Principal,
    seeker_id: uuid.UUID,
    purpose: str,
    **details: Any,
) -> None:
    """Record a read of a person's data (in the caller's transaction)."""
    await audit.record(
        uow,
        principal,
        action=audit.READ_PERSONAL_DATA,
        object_type="seeker",
        object_id=str(seeker_id),
        purpose=purpose,
        details={k: str(v) if isinstance(v, uuid.UUID) else v for k, v in details.items()},
    )


async def read_seeker(
    uow: UnitOfWork, principal: Principal, seeker_id: uuid.UUID, purpose: str
) -> Any:
    """The seeker's row if the caller may see it (the person, or staff of their district;
    else 404); a read by anyone but the person is audited in the same transaction."""
    actor = actor_of(principal)
    async with uow:
        row = await repo.get_seeker_row(uow.session, seeker_id)
        if row is None or not actor.owns_seeker(row.account_subject, row.district_code):
            raise NotFound(f"seeker {seeker_id} is not registered")
        if not actor.is_the_seeker(row.account_subject):
            await audit_read(uow, principal, seeker_id, purpose)
        await uow.commit()
    return row


def post_out(row: Any) -> JobPostOut:
    """From a SQLAlchemy row or a mapping (an asyncpg record)."""
    data = row._mapping if hasattr(row, "_mapping") else row
    fields = JobPostOut.model_fields
    return JobPostOut(**{k: v for k, v in data.items() if k in fields})


async def post_row_for(deps, post_id: uuid.UUID, actor: Actor, *, owner_only: bool) -> Any:
    async with deps.sessions() as session:
        rows = await match_repo.posts_by_ids(session, [post_id])
    row = rows.get(post_id)
    if row is None:
        raise NotFound(f"job post {post_id} does not exist")
    public = row["status"] == PostStatus.OPEN.value and not owner_only
    if not public and not actor.owns_enterprise(row["enterprise_uscc"], row["district_code"]):
        raise NotFound(f"job post {post_id} does not exist")
    return row
