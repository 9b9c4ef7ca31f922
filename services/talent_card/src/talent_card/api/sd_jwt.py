"""The card as a holder-bound SD-JWT VC (sd_jwt_vc.py): the app asks for one bound to its key;
a verifier hands in what the app presented, with the nonce it gave the app.

The verifier's identity, which the app must put in the key-binding JWT's `aud`, is its OAuth
client id (the `client_id` of its partner token; the token's subject for a verifier without
one): a presentation made for one verifier is refused at every other.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from suxin_common.auth import Principal, Role, require_roles
from suxin_common.errors import NotFound, RuleViolation
from suxin_common.security import audit
from suxin_common.web import InputModel
from talent_card import sd_jwt_vc
from talent_card.adapters import repository as repo
from talent_card.adapters.tables import cards
from talent_card.api.credentials import JWKS_PATH
from talent_card.api.deps import TalentCardDeps
from talent_card.handlers import today_in_china

router = APIRouter(prefix="/v1", tags=["credentials"])

Holder = Annotated[Principal, Depends(require_roles(Role.SEEKER))]
Verifier = Annotated[Principal, Depends(require_roles(Role.VERIFIER))]

ISSUE_SD_JWT_VC = "issue_sd_jwt_vc"
VERIFY_PRESENTATION = "verify_card_presentation"

_EXAMPLE_KEY = {
    "kty": "EC",
    "crv": "P-256",
    "x": "TCAER19Zvu3OHF4j4W4vfSVoHIP1ILilDls7vCeGemc",
    "y": "ZxjiWWbZMQGHVWKVQ4hbSIirsVfuecCE6t4jT9F2HZQ",
}


class HolderKey(InputModel):
    """The app's public key (JWK, EC P-256); a JWK with its private part `d` is refused."""

    kty: Literal["EC"]
    crv: Literal["P-256"]
    x: str = Field(
        min_length=43, max_length=43, description="公钥 x 坐标 / the key's x (base64url)"
    )
    y: str = Field(
        min_length=43, max_length=43, description="公钥 y 坐标 / the key's y (base64url)"
    )


class SdJwtVcIn(InputModel):
    holder_jwk: HolderKey = Field(examples=[_EXAMPLE_KEY])


class SdJwtVcOut(BaseModel):
    card_id: uuid.UUID
    credential: str = Field(
        description="SD-JWT VC（含全部披露项）/ the SD-JWT VC with every disclosure: "
        "<issuer-signed JWT>~<disclosure>~…~"
    )
    vct: str
    disclosable: list[str]
    jwks_url: str


class PresentationIn(InputModel):
    presentation: str = Field(
        min_length=1,
        max_length=sd_jwt_vc.MAX_PRESENTATION_LENGTH,
        examples=[
            "eyJhbGciOiJFZERTQSJ9.e30.c2ln~WyJzYWx0IiwibGV2ZWwiLCJBIl0~eyJhbGciOiJFUzI1NiJ9.e30.c2ln"
        ],
    )
    nonce: str = Field(min_length=16, max_length=128, examples=["n-0S6_WzA2Mj-4kq9T1x"])


class PresentationOut(BaseModel):
    valid: bool
    vct: str
    disclosed: dict[str, Any]
    card_status: Literal["active", "suspended", "revoked", "unknown"]
    expires_at: datetime


@router.post("/cards/{card_id}/sd-jwt-vc", response_model=SdJwtVcOut)
async def issue_sd_jwt_vc(
    card_id: uuid.UUID, body: SdJwtVcIn, principal: Holder, deps: TalentCardDeps
) -> SdJwtVcOut:
    """The holder's card as an SD-JWT VC bound to the app's key (持卡人密钥绑定、可选择披露)."""
    async with deps.uow() as uow:
        card = await repo.get_card(uow.session, card_id)
        if card is None or card.owner_subject != principal.subject:
            raise NotFound(f"card {card_id} does not exist")
        if not card.usable_on(today_in_china()):
            raise RuleViolation("the card is suspended, revoked or outside its validity")
        try:
            token = sd_jwt_vc.issue(
                card,
                body.holder_jwk.model_dump(),
                keys=deps.issuer.keys,
                issuer=deps.issuer.issuer,
                base_url=deps.issuer.base_url,
                now=datetime.now(UTC),
            )
        except ValueError as exc:
            raise RuleViolation(str(exc), field="holder_jwk") from None
        await audit.record(
            uow,
            principal,
            action=ISSUE_SD_JWT_VC,
            object_type="card",
            object_id=str(card.id),
            purpose="holder-bound credential",
            details={"signing_kid": deps.issuer.keys.active.kid},
        )
        await uow.commit()
    return SdJwtVcOut(
        card_id=card_id,
        credential=token,
        vct=sd_jwt_vc.VCT,
        disclosable=list(sd_jwt_vc.DISCLOSABLE),
        jwks_url=deps.issuer.base_url.rstrip("/") + JWKS_PATH,
    )


@router.post("/card-presentations/verify", response_model=PresentationOut)
async def verify_presentation(
    body: PresentationIn, principal: Verifier, deps: TalentCardDeps
) -> PresentationOut:
    """Check a card presentation (验证出示): issuer's signature, the holder's key-binding JWT for
    your nonce and your client id (aud) made within the last 5 minutes, validity and status.
    Answers only what the holder disclosed; a refused presentation is a 422 saying why."""
    now = datetime.now(UTC)
    try:
        claims = sd_jwt_vc.verify(
            body.presentation,
            keys=deps.issuer.keys,
            issuer=deps.issuer.issuer,
            audience=principal.client_id or principal.subject,
            nonce=body.nonce,
            now=now,
        )
    except sd_jwt_vc.PresentationError as exc:
        raise RuleViolation(str(exc), field="presentation", code="presentation-refused") from None
    index = _status_index(claims)
    async with deps.uow() as uow:
        row = (
            await uow.session.execute(
                sa.select(cards.c.id, cards.c.status).where(cards.c.status_index == index)
            )
        ).first()
        card_status = row.status if row is not None else "unknown"
        if row is not None:
            await audit.record(
                uow,
                principal,
                action=VERIFY_PRESENTATION,
                object_type="card",
                object_id=str(row.id),
                purpose="card presentation",
                details={"disclosed": sorted(sd_jwt_vc.disclosed(claims)), "status": card_status},
            )
        await uow.commit()
    return PresentationOut(
        valid=card_status == "active",
        vct=claims["vct"],
        disclosed=sd_jwt_vc.disclosed(claims),
        card_status=card_status,
        expires_at=datetime.fromtimestamp(claims["exp"], UTC),
    )


def _status_index(claims: dict[str, Any]) -> int:
    try:
        entry = claims["status"]["revocation"]
        list_no = int(entry["uri"].rstrip("/").rsplit("/", 1)[1])
        return list_no * sd_jwt_vc.STATUS_LIST_SIZE + int(entry["idx"])
    except (KeyError, TypeError, ValueError, IndexError):
        raise RuleViolation(
            "the credential has no status entry", field="presentation", code="presentation-refused"
        ) from None
