"""What the talent-card handlers share: the audited actions, who decides when no caller
does, the audit entry of a decision, and the date in China."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from suxin_common.auth import Principal
from suxin_common.db import Work
from suxin_common.security import audit
from talent_card.credential import (
    CHINA,
)
from talent_card.domain.model import (
    CardStatus,
)

RESIDENT_ID_AAD = "talent_card.cards.resident_id"
APPLICATION_RESIDENT_ID_AAD = "talent_card.card_applications.resident_id"
CARD_ID_PREFIX = "urn:uuid:"

# Access audit (security.audit): the actions this service records, inside the transaction of
# the read or decision. Details hold codes (levels, rules, ids, entitlement codes), never a
# resident ID, a name or a free-text reason.
ISSUE_CARD = "issue_card"
STATUS_ACTIONS = {
    CardStatus.SUSPENDED: "suspend_card",
    CardStatus.ACTIVE: "reinstate_card",
    CardStatus.REVOKED: "revoke_card",
}
REVIEW_APPLICATION = "review_card_application"
OFFER_CARD = "offer_card"
USE_ENTITLEMENT = "use_entitlement"
REFUSE_ENTITLEMENT_USE = "refuse_entitlement_use"
# Who decided when no caller did: the service itself (an expiry) or its event consumers.
SYSTEM = "system:talent-card"
CONSUMER = "consumer:talent-card"

Actor = Principal | str


async def audit_entry(
    uow: Work[Any],
    by: Actor,
    *,
    action: str,
    object_type: str,
    object_id: Any,
    purpose: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    principal, actor = (None, by) if isinstance(by, str) else (by, None)
    entry = audit.entry(
        principal,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        purpose=purpose,
        details=details,
    )
    await uow.append_audit([entry])


def rule_names(evidence: list[dict[str, Any]]) -> list[str]:
    return [str(e.get("rule")) for e in evidence]


def today_in_china(now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(CHINA).date()


def jsonable(attributes: Any) -> dict[str, Any]:
    return {
        k: sorted(v) if isinstance(v, frozenset | set | list | tuple) else v
        for k, v in dict(attributes).items()
    }
