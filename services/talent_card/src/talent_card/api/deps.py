"""The one typed object talent-card's routes receive (``deps: TalentCardDeps``), and the
helpers the routers share.

``create_app`` builds it once with what this service adds to the kit: its typed settings and
the card issuer (signing keys, status lists). Once the lifespan has started the kit's runtime
it also reaches the database through it (units of work, sessions, personal-data protection;
503 before start-up). Routes reach nothing through ``app.state``; the one getter below does.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query

from suxin_common.auth import Principal, Role
from suxin_common.errors import Forbidden, NotFound, RuleViolation
from suxin_common.privacy import PersonalData
from suxin_common.service import Runtime, RuntimeAccess, service_deps
from suxin_common.web import decode_cursor, encode_cursor, page_size
from talent_card.credential import Issuer
from talent_card.settings import Settings


@dataclass(frozen=True)
class ServiceDeps(RuntimeAccess):
    settings: Settings
    issuer: Issuer
    runtime: Runtime | None = None


TalentCardDeps = Annotated[ServiceDeps, Depends(service_deps)]
# A list's page size: 1..MAX_PAGE_SIZE (the kit's cap, a 422 beyond it), 50 by default.
Limit = Annotated[int, Depends(page_size())]
Cursor = Annotated[str | None, Query(max_length=2048, description="from the previous page")]


def check_creates_in(principal: Principal, city_code: str, what: str) -> None:
    """Staff create only in their district scope: 403 elsewhere (the object does not exist
    yet, so there is nothing to hide; other services answer the same)."""
    if not principal.sees_district(city_code):
        raise Forbidden(f"{what} outside your district may not be created by you")


def check_acts_for_person(
    principal: Principal,
    pii: PersonalData,
    resident_id: str,
    *,
    not_found: str,
    staff_may: bool = False,
) -> str:
    """The person key of ``resident_id``, if the caller may act for that person: a seeker only
    for themselves, i.e. their token carries that verified identity (claim ``person_key``, set
    by the real-name login); with ``staff_may``, HRSS staff too (their district scope is then
    applied by the caller of this check). Anyone else, an unverified seeker token included, gets
    404 with ``not_found``, the message of the route's own "nothing there", so the answer does
    not reveal whether anything exists for that resident ID."""
    key = pii.person_key(resident_id)
    if staff_may and principal.has_role(Role.HRSS_STAFF):
        return key
    if not principal.is_person(key):
        raise NotFound(not_found)
    return key


def after_id(cursor: str | None) -> uuid.UUID | None:
    """The id a page continues after (cursors over lists ordered by id)."""
    if cursor is None:
        return None
    try:
        return uuid.UUID(decode_cursor(cursor)["id"])
    except (KeyError, TypeError, ValueError):
        raise RuleViolation("The cursor is invalid.", field="cursor") from None


def next_cursor(rows: list, limit: int) -> str | None:
    return encode_cursor({"id": str(rows[limit - 1].id)}) if len(rows) > limit else None
