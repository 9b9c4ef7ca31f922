"""Entitlements: recording (or refusing) the use of a card's entitlement."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from suxin_common.db import Work
from suxin_common.errors import Conflict, RuleViolation
from talent_card import criteria
from talent_card.adapters.repositories import Repositories
from talent_card.credential import (
    CredentialError,
    Issuer,
)
from talent_card.domain import commands
from talent_card.domain.entitlements import Refusal, check_use
from talent_card.handlers.common import (
    CARD_ID_PREFIX,
    REFUSE_ENTITLEMENT_USE,
    SYSTEM,
    USE_ENTITLEMENT,
    Actor,
    audit_entry,
    today_in_china,
)

# --- entitlements ---------------------------------------------------------------------------


async def record_entitlement_use(
    uow: Work[Repositories],
    cmd: commands.RecordEntitlementUse,
    issuer: Issuer,
    *,
    by: Actor = SYSTEM,
) -> tuple[dict[str, Any], bool]:
    """A partner records a use (权益使用) of a card it verified; returns the use and whether it
    is new (a retry with the same reference returns the first). Uses and refusals of a known
    card are audited."""
    entitlement = criteria.entitlement_catalogue().get(cmd.entitlement)
    if entitlement is None:
        raise RuleViolation(f"no entitlement {cmd.entitlement!r}", field="entitlement")
    try:
        claims = issuer.keys.verify(cmd.credential, issuer=issuer.issuer)
        card_id = uuid.UUID(str(claims["jti"]).removeprefix(CARD_ID_PREFIX))
    except (CredentialError, ValueError) as exc:
        raise RuleViolation(str(exc), field="credential", code="invalid-credential") from None
    async with uow:
        uses = uow.repos.entitlement_uses
        earlier = await uses.by_reference(cmd.partner_uscc, cmd.reference)
        if earlier is not None:
            if (earlier["card_id"], earlier["entitlement_code"]) != (card_id, entitlement.code):
                raise Conflict("this reference was used for another use")
            return earlier, False
        # The lock serialises concurrent uses of one card, so the limit cannot be overrun.
        card = await uow.repos.cards.get(card_id, lock=True)
        if card is None or card.holder_subject != claims.get("sub"):
            raise RuleViolation(
                "the card is unknown", field="credential", code="invalid-credential"
            )
        now = datetime.now(UTC)
        today = today_in_china(now)
        decision = {
            "card_id": str(card.id),
            "entitlement": entitlement.code,
            "level": card.level.value,
            "partner_uscc": cmd.partner_uscc,
            "reference": cmd.reference,
        }

        async def refuse(code: str, error: Exception, **more: Any) -> Exception:
            # The refusal is a decision too: audited (and committed) before it is answered.
            await audit_entry(
                uow,
                by,
                action=REFUSE_ENTITLEMENT_USE,
                object_type="card",
                object_id=card.id,
                purpose="entitlement use",
                details=decision | {"refusal": code} | more,
            )
            await uow.commit()
            return error

        if not card.usable_on(today):
            raise await refuse(
                "card-not-usable",
                Conflict(
                    "the card is not usable: it is suspended, revoked or outside its validity",
                    code="card-not-usable",
                    extra={"card_status": card.status.value},
                ),
                card_status=card.status.value,
            )
        since = entitlement.period_start(today, card.valid_from)
        used = await uses.count(card.id, entitlement.code, since)
        refusal = check_use(entitlement, card.level, used)
        if refusal is Refusal.NOT_COVERED:
            raise await refuse(
                "entitlement-not-covered",
                RuleViolation(
                    f"a level {card.level} card does not include {entitlement.code}",
                    field="entitlement",
                    code="entitlement-not-covered",
                ),
            )
        if refusal is Refusal.LIMIT_REACHED:
            raise await refuse(
                "entitlement-limit-reached",
                Conflict(
                    f"{entitlement.code} is used up for this {entitlement.period.value}",
                    code="entitlement-limit-reached",
                    extra={
                        "limit": entitlement.limit,
                        "period": entitlement.period.value,
                        "period_start": since.isoformat(),
                        "used": used,
                    },
                ),
                limit=entitlement.limit,
                period=entitlement.period.value,
                used=used,
            )
        values = {
            "id": uuid.uuid4(),
            "card_id": card.id,
            "entitlement_code": entitlement.code,
            "partner_uscc": cmd.partner_uscc,
            "partner_subject": cmd.partner_subject,
            "reference": cmd.reference,
            "used_on": today,
            "used_at": now,
        }
        if not await uses.add(**values):
            raise Conflict("this reference is being recorded concurrently; retry")
        await audit_entry(
            uow,
            by,
            action=USE_ENTITLEMENT,
            object_type="entitlement_use",
            object_id=values["id"],
            purpose="entitlement use",
            details=decision
            | {
                "used_on": today.isoformat(),
                "limit": entitlement.limit,
                "period": entitlement.period.value,
                "used_before": used,
            },
        )
        await uow.commit()
    return values, True
