"""A card as a credential: JWKS, status lists, revocation and suspension, QR code, and the
partner example verifying offline."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time

import pytest
from joserfc import jwt as jose_jwt
from joserfc.jwk import KeySet
from sqlalchemy import text

from suxin.talent.v1 import events_pb2 as talent
from suxin_common.auth import Role
from suxin_devkit.testing import make_resident_id

pytestmark = [
    pytest.mark.integration,
    pytest.mark.filterwarnings("ignore:EdDSA is deprecated"),
]


async def issue(client, as_, n: int = 1, level: str = "B") -> dict:
    r = await client.post(
        "/v1/cards",
        json={"resident_id": make_resident_id(n), "level": level, "city_code": "3201"},
        headers=as_(Role.HRSS_STAFF),
    )
    assert r.status_code == 201, r.text
    return r.json()


async def credential_of(client, as_, card_id: str) -> str:
    r = await client.get(f"/v1/cards/{card_id}/credential", headers=as_(Role.HRSS_STAFF))
    assert r.status_code == 200, r.text
    return r.json()["credential"]


async def published(client) -> tuple[str, list[str]]:
    """What a partner caches: the JWKS and both status lists (no token needed)."""
    jwks = await client.get("/.well-known/jwks.json")
    assert jwks.status_code == 200
    lists = []
    for purpose in ("revocation", "suspension"):
        r = await client.get(f"/v1/status-lists/{purpose}/0")
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("application/vc+jwt")
        assert r.headers["cache-control"].startswith("public, max-age=")
        lists.append(r.text)
    return jwks.text, lists


async def verdict(client, verifier, token: str, runtime) -> dict:
    jwks, lists = await published(client)
    try:
        return verifier.verify(token, jwks, lists, runtime.settings.card_issuer, int(_now()))
    except verifier.Invalid as exc:
        return {"valid": False, "reason": str(exc)}


def _now() -> float:
    return time.time()


async def test_an_issued_card_verifies_offline_with_another_library(
    runtime, client, as_, verifier
) -> None:
    card = await issue(client, as_)
    token = await credential_of(client, as_, card["id"])
    jwks = (await client.get("/v1/jwks")).json()

    claims = jose_jwt.decode(token, KeySet.import_key_set(jwks), algorithms=["EdDSA"]).claims

    assert claims["jti"] == f"urn:uuid:{card['id']}"
    assert claims["iss"] == runtime.settings.card_issuer
    assert claims["vc"]["credentialSubject"]["level"] == "B"
    assert card["person_key"] not in token and make_resident_id(1) not in token
    result = await verdict(client, verifier, token, runtime)
    assert result["valid"] and result["card_id"] == card["id"]
    assert result["valid_until"] == card["valid_until"]


async def test_a_revoked_card_fails_through_the_status_list(runtime, client, as_, verifier) -> None:
    card = await issue(client, as_)
    token = await credential_of(client, as_, card["id"])

    r = await client.post(
        f"/v1/cards/{card['id']}/revoke",
        json={"reason": "证书造假"},
        headers=as_(Role.HRSS_STAFF),
    )

    assert r.status_code == 200 and r.json()["status"] == "revoked"
    assert await verdict(client, verifier, token, runtime) == {
        "valid": False,
        "reason": "the card is revoked",
    }
    async with runtime.engine.connect() as conn:
        payload = (
            await conn.execute(
                text("SELECT payload FROM outbox WHERE subject = :s"),
                {"s": "suxin.talent.card_status_changed.v1"},
            )
        ).scalar_one()
    event = talent.CardStatusChanged.FromString(payload)
    assert (event.card_id, event.status, event.version) == (
        card["id"],
        talent.CARD_STATUS_REVOKED,
        2,
    )
    # Revocation is final.
    again = await client.post(
        f"/v1/cards/{card['id']}/reinstate", json={"reason": "x"}, headers=as_(Role.HRSS_STAFF)
    )
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"


async def test_suspension_fails_verification_until_reinstated(
    runtime, client, as_, verifier
) -> None:
    card = await issue(client, as_)
    other = await issue(client, as_, n=2)
    token = await credential_of(client, as_, card["id"])
    staff = as_(Role.HRSS_STAFF)

    await client.post(f"/v1/cards/{card['id']}/suspend", json={"reason": "核查中"}, headers=staff)
    suspended = await verdict(client, verifier, token, runtime)
    unaffected = await verdict(
        client, verifier, await credential_of(client, as_, other["id"]), runtime
    )
    await client.post(
        f"/v1/cards/{card['id']}/reinstate", json={"reason": "核查完毕"}, headers=staff
    )
    reinstated = await verdict(client, verifier, token, runtime)

    assert suspended == {"valid": False, "reason": "the card is suspended"}
    assert unaffected["valid"]
    assert reinstated["valid"]
    twice = await client.post(
        f"/v1/cards/{card['id']}/reinstate", json={"reason": "x"}, headers=staff
    )
    assert twice.status_code == 409


async def test_the_example_script_verifies_from_files(
    runtime, client, as_, tmp_path, verifier
) -> None:
    card = await issue(client, as_)
    token = await credential_of(client, as_, card["id"])
    jwks, lists = await published(client)
    (tmp_path / "jwks.json").write_text(jwks)
    args = [sys.executable, verifier.__file__, "--jwks", str(tmp_path / "jwks.json")]
    for purpose, body in zip(("revocation", "suspension"), lists, strict=True):
        (tmp_path / f"{purpose}.jwt").write_text(body)
        args += ["--status-list", str(tmp_path / f"{purpose}.jwt")]
    args += ["--issuer", runtime.settings.card_issuer]

    def run(card: str) -> subprocess.CompletedProcess:
        return subprocess.run([*args, card], capture_output=True, text=True, timeout=60)

    good = await asyncio.to_thread(run, token)
    tampered = token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")
    bad = await asyncio.to_thread(run, tampered)

    assert good.returncode == 0, good.stdout + good.stderr
    assert json.loads(good.stdout)["level"] == "B"
    assert bad.returncode == 1
    assert json.loads(bad.stdout)["valid"] is False


async def test_the_qr_code_holds_the_credential(client, as_) -> None:
    card = await issue(client, as_)

    svg = await client.get(f"/v1/cards/{card['id']}/qr", headers=as_(Role.HRSS_STAFF))
    png = await client.get(
        f"/v1/cards/{card['id']}/qr", params={"format": "png"}, headers=as_(Role.HRSS_STAFF)
    )
    bad = await client.get(
        f"/v1/cards/{card['id']}/qr", params={"format": "gif"}, headers=as_(Role.HRSS_STAFF)
    )

    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
    assert svg.text.startswith("<svg")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert bad.status_code == 422


async def test_someone_elses_card_is_not_found(client, as_) -> None:
    card = await issue(client, as_)

    r = await client.get(f"/v1/cards/{card['id']}/credential", headers=as_(Role.SEEKER, "s-9"))
    verifier_call = await client.post(
        f"/v1/cards/{card['id']}/revoke", json={"reason": "x"}, headers=as_(Role.VERIFIER)
    )

    assert r.status_code == 404
    assert verifier_call.status_code == 403


@pytest.mark.parametrize(
    ("path", "status"),
    [("/v1/status-lists/expiry/0", 422), ("/v1/status-lists/revocation/-1", 422)],
)
async def test_bad_status_list_paths_are_problems(client, path, status) -> None:
    r = await client.get(path)
    assert r.status_code == status
    assert r.headers["content-type"] == "application/problem+json"


async def test_a_status_change_needs_a_reason(client, as_) -> None:
    card = await issue(client, as_)
    r = await client.post(
        f"/v1/cards/{card['id']}/suspend",
        json={"reason": "x", "status": "active"},
        headers=as_(Role.HRSS_STAFF),
    )
    assert r.status_code == 422
