"""What verifiers fetch (public: JWKS and status lists) and the holder's credential and QR code.

The JWKS and the status lists are public on purpose, like any issuer's keys: they say nothing
about a person (a status list is 16 KB of bits with no names) and partners must be able to
cache them and verify offline. Everything else here needs a token.
"""

from __future__ import annotations

import io
import uuid
from typing import Annotated, Literal

import segno
from fastapi import APIRouter, Depends, Path, Query, Response

from suxin_common.auth import Principal, Role, public_endpoint, require_roles
from suxin_common.errors import NotFound
from talent_card import handlers
from talent_card.adapters import repository as repo
from talent_card.api.deps import TalentCardDeps
from talent_card.api.schemas import CredentialOut

public = APIRouter(tags=["credentials (public)"], dependencies=[Depends(public_endpoint)])
router = APIRouter(prefix="/v1", tags=["credentials"])

HolderOrStaff = Annotated[Principal, Depends(require_roles(Role.SEEKER, Role.HRSS_STAFF))]
JWKS_PATH = "/.well-known/jwks.json"
MAX_LISTS = 10_000  # 1.3 billion cards: far beyond the province


@public.get(JWKS_PATH)
@public.get("/v1/jwks")
async def jwks(response: Response, deps: TalentCardDeps) -> dict:
    """The public keys of every card-signing key still in use (JWK Set, RFC 7517)."""
    response.headers["Cache-Control"] = f"public, max-age={deps.issuer.status_list_max_age_s}"
    return deps.issuer.keys.jwks()


@public.get("/v1/status-lists/{purpose}/{list_no}")
async def status_list(
    purpose: Literal["revocation", "suspension"],
    list_no: Annotated[int, Path(ge=0, lt=MAX_LISTS)],
    deps: TalentCardDeps,
) -> Response:
    """A signed W3C Bitstring Status List (VC in JWT); cache it for max-age seconds."""
    async with deps.sessions() as session:
        token = await handlers.status_list(session, deps.issuer, purpose, list_no)
    return Response(
        token,
        media_type="application/vc+jwt",
        headers={"Cache-Control": f"public, max-age={deps.issuer.status_list_max_age_s}"},
    )


async def _credential(deps: TalentCardDeps, principal: Principal, card_id: uuid.UUID) -> str:
    async with deps.sessions() as session:
        card = await repo.get_card(session, card_id)
        token = await repo.credential_of(session, card_id)
    # The holder sees their own card; anyone else's is as good as missing (404, not 403).
    mine = card is not None and card.owner_subject == principal.subject
    staff = (
        card is not None
        and principal.has_role(Role.HRSS_STAFF)
        and principal.sees_district(card.position.city_code)
    )
    if card is None or token is None or not (mine or staff):
        raise NotFound(f"card {card_id} does not exist")
    if not mine:  # staff holding a person's credential could use it at any partner
        await handlers.audit_card_read(deps.uow(), card, principal, "card credential")
    return token


@router.get("/cards/{card_id}/credential", response_model=CredentialOut)
async def card_credential(card_id: uuid.UUID, deps: TalentCardDeps, principal: HolderOrStaff):
    """The card's signed credential (compact JWS), for the holder's wallet or app."""
    token = await _credential(deps, principal, card_id)
    return CredentialOut(
        card_id=card_id, credential=token, jwks_url=deps.issuer.base_url.rstrip("/") + JWKS_PATH
    )


@router.get("/cards/{card_id}/qr", response_class=Response)
async def card_qr(
    card_id: uuid.UUID,
    deps: TalentCardDeps,
    principal: HolderOrStaff,
    format: Literal["svg", "png"] = "svg",
    scale: Annotated[int, Query(ge=1, le=20)] = 4,
):
    """The credential as a QR code a partner scans (SVG or PNG)."""
    token = await _credential(deps, principal, card_id)
    code = segno.make(token, error="m", micro=False)
    out = io.BytesIO()
    if format == "png":
        code.save(out, kind="png", scale=scale)
        media = "image/png"
    else:
        code.save(out, kind="svg", scale=scale, xmldecl=False)
        media = "image/svg+xml"
    return Response(out.getvalue(), media_type=media, headers={"Cache-Control": "no-store"})
