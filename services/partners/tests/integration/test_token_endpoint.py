"""The token endpoint: a registered partner gets a short-lived access token with a signed JWT
(private_key_jwt) or a client secret, and the services accept it; everything else is refused
with the RFC 6749 error it deserves."""

from __future__ import annotations

import base64
import time

import pytest
from partners_kit import PLATFORM_USCC, PartnerKey, staff_headers

from suxin_common.auth import Authenticator, Role, mint_dev_token
from suxin_common.settings import ServiceSettings
from suxin_common.web import ProblemError

pytestmark = pytest.mark.integration


def authenticator(partners, service: str) -> Authenticator:
    return Authenticator(
        ServiceSettings(
            environment="test",
            service_name=service,
            auth_jwks_url=f"{partners.base}/.well-known/jwks.json",
            auth_jwks_min_refresh_s=0.0,
        )
    )


async def test_private_key_jwt_gives_a_token_the_services_accept(partners) -> None:
    key = PartnerKey.new()
    client = await partners.register(jwks=key.jwks())

    r = await partners.token(key, client["client_id"], scope="orders:write claims:read")

    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "no-store"
    body = r.json()
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "claims:read orders:write"
    assert 60 <= body["expires_in"] <= 3600
    principal = await authenticator(partners, "gig-market").authenticate(body["access_token"])
    assert principal.roles == frozenset({Role.PLATFORM})
    assert principal.client_id == client["client_id"]
    assert principal.tenant.platform_id == client["client_id"]
    assert principal.tenant.uscc == PLATFORM_USCC
    assert principal.scopes == frozenset({"orders:write", "claims:read"})


async def test_no_scope_asked_grants_the_registered_ones(partners) -> None:
    key = PartnerKey.new()
    client = await partners.register(jwks=key.jwks())
    r = await partners.token(key, client["client_id"])
    assert r.json()["scope"] == "claims:read orders:write webhooks:manage workers:write"


async def test_a_client_restricted_to_some_services_is_refused_by_the_others(partners) -> None:
    key = PartnerKey.new()
    client = await partners.register(jwks=key.jwks(), services=["gig-market"])
    token = (await partners.token(key, client["client_id"])).json()["access_token"]

    accepted = await authenticator(partners, "gig-market").authenticate(token)
    with pytest.raises(ProblemError) as refused:
        await authenticator(partners, "talent-card").authenticate(token)

    assert accepted.client_id == client["client_id"]
    assert refused.value.status == 401
    assert "svc" in str(refused.value.detail)


async def test_a_jwks_uri_is_fetched_and_refetched_for_a_new_key(partners, receiver) -> None:
    old, new = PartnerKey.new(), PartnerKey.new()
    receiver.jwks_document = old.jwks()
    jwks_uri = receiver.url.replace("/hook", "/jwks.json")
    client = await partners.register(jwks_uri=jwks_uri)

    first = await partners.token(old, client["client_id"])
    receiver.jwks_document = {"keys": old.jwks()["keys"] + new.jwks()["keys"]}
    rotated = await partners.token(new, client["client_id"])

    assert first.status_code == 200, first.text
    assert rotated.status_code == 200, rotated.text


@pytest.mark.parametrize(
    ("change", "description"),
    [
        ({"aud": "https://elsewhere.example/token"}, "aud"),
        ({"exp": int(time.time()) - 120}, "expired"),
        ({"exp": int(time.time()) + 3000}, "at most"),
        ({"iss": "someone-else"}, "iss"),
    ],
)
async def test_unacceptable_assertions_are_invalid_client(partners, change, description) -> None:
    key = PartnerKey.new()
    client = await partners.register(jwks=key.jwks())
    form = {"client_assertion": key.assertion(client["client_id"], partners.token_url, **change)}

    r = await partners.token(key, client["client_id"], **form)

    assert r.status_code == 401, r.text
    assert r.json()["error"] == "invalid_client"
    assert description in r.json()["error_description"]


async def test_an_assertion_is_used_once(partners) -> None:
    key = PartnerKey.new()
    client = await partners.register(jwks=key.jwks())
    assertion = key.assertion(client["client_id"], partners.token_url)

    first = await partners.token(key, client["client_id"], client_assertion=assertion)
    replay = await partners.token(key, client["client_id"], client_assertion=assertion)

    assert first.status_code == 200
    assert replay.status_code == 401
    assert "already used" in replay.json()["error_description"]


async def test_a_key_the_client_did_not_register_is_refused(partners) -> None:
    registered, stranger = PartnerKey.new(), PartnerKey.new()
    client = await partners.register(jwks=registered.jwks())
    stranger.kid = registered.kid  # claims to be the registered key

    r = await partners.token(stranger, client["client_id"])

    assert r.status_code == 401
    assert r.json()["error"] == "invalid_client"


@pytest.mark.parametrize(
    ("form", "status", "error"),
    [
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
        ({"grant_type": None}, 400, "invalid_request"),
        ({"scope": "orders:write cover:read"}, 400, "invalid_scope"),
        ({"client_assertion_type": "urn:other"}, 400, "invalid_request"),
    ],
)
async def test_bad_token_requests_get_the_oauth_error(partners, form, status, error) -> None:
    key = PartnerKey.new()
    client = await partners.register(jwks=key.jwks())
    data = {
        "grant_type": "client_credentials",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": key.assertion(client["client_id"], partners.token_url),
    } | form
    data = {k: v for k, v in data.items() if v is not None}

    r = await partners.http.post("/oauth2/token", data=data)

    assert r.status_code == status, r.text
    assert r.json()["error"] == error


async def test_json_bodies_and_repeated_parameters_are_invalid_requests(partners) -> None:
    as_json = await partners.http.post("/oauth2/token", json={"grant_type": "client_credentials"})
    repeated = await partners.http.post(
        "/oauth2/token",
        content="grant_type=client_credentials&grant_type=client_credentials",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    anonymous = await partners.http.post("/oauth2/token", data={"grant_type": "client_credentials"})

    assert (as_json.status_code, as_json.json()["error"]) == (400, "invalid_request")
    assert (repeated.status_code, repeated.json()["error"]) == (400, "invalid_request")
    assert (anonymous.status_code, anonymous.json()["error"]) == (401, "invalid_client")


def basic(client_id: str, secret: str) -> dict[str, str]:
    raw = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


async def test_client_secrets_work_rotate_with_overlap_and_end_at_revocation(partners) -> None:
    client = await partners.register(auth_method="client_secret_basic")
    client_id, first = client["client_id"], client["client_secret"]
    grant = {"grant_type": "client_credentials"}

    ok = await partners.http.post("/oauth2/token", data=grant, headers=basic(client_id, first))
    wrong = await partners.http.post("/oauth2/token", data=grant, headers=basic(client_id, "x"))
    rotated = await partners.http.post(f"/v1/clients/{client_id}/secret", headers=staff_headers())
    second = rotated.json()["client_secret"]
    old_in_overlap = await partners.http.post(
        "/oauth2/token", data=grant, headers=basic(client_id, first)
    )
    as_post = await partners.http.post(
        "/oauth2/token", data=grant | {"client_id": client_id, "client_secret": second}
    )
    revoked = await partners.http.post(
        f"/v1/clients/{client_id}/revoke",
        json={"reason": "协议终止，对接人13912345678"},
        headers=staff_headers(),
    )
    after = await partners.http.post("/oauth2/token", data=grant, headers=basic(client_id, second))
    auditor = mint_dev_token(partners.settings, "auditor-1", [Role.AUDITOR])
    entries = await partners.http.get(
        "/v1/audit/entries",
        params={"object_id": client_id},
        headers={"Authorization": f"Bearer {auditor}"},
    )

    assert first.startswith("pcs_") and second != first
    assert ok.status_code == 200, ok.text
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"].startswith("Basic")
    assert old_in_overlap.status_code == 200
    assert as_post.status_code == 200
    assert revoked.json()["status"] == "revoked"
    assert after.status_code == 401
    # The typed mobile number is masked before it is stored (issue 22, item 4).
    reasons = [e["details"].get("reason") for e in entries.json()["items"]]
    assert "协议终止，对接人139****5678" in reasons
    assert "13912345678" not in entries.text


async def test_the_secret_is_never_shown_again(partners) -> None:
    client = await partners.register(auth_method="client_secret_post")
    shown = await partners.http.get(f"/v1/clients/{client['client_id']}", headers=staff_headers())
    assert client["client_secret"]
    assert shown.json().get("client_secret") is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {
                "jwks": {
                    "keys": [
                        {"kty": "EC", "crv": "P-256", "kid": "k", "x": "AA", "y": "AA", "d": "AA"}
                    ]
                }
            },
            "jwks",
        ),
        ({"kind": "institution", "scopes": []}, "institution_id"),
        ({"scopes": ["orders:write", "cards:issue"]}, "scope"),
        ({"uscc": "91320100MA1XYZ123"}, "uscc"),
        ({"services": ["payroll"]}, "service"),
        ({"auth_method": "client_secret_basic", "jwks": PartnerKey.new().jwks()}, "secret"),
    ],
)
async def test_registration_refuses_what_cannot_work(partners, body, field) -> None:
    base = {"name": "平台", "kind": "platform", "uscc": PLATFORM_USCC, "scopes": ["orders:write"]}
    base.setdefault("jwks", PartnerKey.new().jwks())
    r = await partners.http.post("/v1/clients", json=base | body, headers=staff_headers())
    assert r.status_code == 422, r.text
    assert field in r.text


async def test_only_staff_register_and_list_clients(partners) -> None:
    key = PartnerKey.new()
    client = await partners.register(jwks=key.jwks())
    as_partner = await partners.bearer(key, client["client_id"])

    register = await partners.http.post(
        "/v1/clients",
        json={"name": "x", "kind": "platform", "uscc": PLATFORM_USCC, "jwks": key.jwks()},
        headers=as_partner,
    )
    listing = await partners.http.get("/v1/clients", headers=as_partner)
    itself = await partners.http.get(f"/v1/clients/{client['client_id']}", headers=as_partner)

    assert register.status_code == 403
    assert listing.status_code == 403
    assert itself.status_code == 200
    assert itself.json()["key_ids"] == [key.kid]


async def test_metadata_and_signing_key_rotation_keep_old_tokens_valid(partners) -> None:
    meta = (await partners.http.get("/.well-known/oauth-authorization-server")).json()
    jwks = (await partners.http.get("/.well-known/jwks.json")).json()

    assert meta["token_endpoint"] == partners.token_url
    assert "private_key_jwt" in meta["token_endpoint_auth_methods_supported"]
    assert [k["alg"] for k in jwks["keys"]] == ["ES256"]
    assert all("d" not in k for k in jwks["keys"])
