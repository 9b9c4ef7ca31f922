"""A development token issuer, so the local stack needs no identity provider.

It plays the IdP's part of OAuth2 client credentials: Ed25519 (EdDSA) signing keys kept in a
directory (default ``.devstack/auth``), their public halves published as a JWKS file that
services read through ``AUTH_JWKS_FILE`` (or serve it and point ``AUTH_JWKS_URL`` at it), and
short-lived access tokens with ``client_id`` and ``scope``. ``rotate()`` adds a new active key
and keeps the previous public key in the JWKS, so tokens already issued stay valid while
services pick the new key up on its first unknown ``kid``. Development and test only.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from suxin_common.auth import DEV_ENVIRONMENTS, Role, Tenant
from suxin_common.settings import ServiceSettings

ALGORITHM = "EdDSA"
DEFAULT_TTL_S = 900
# Public keys kept in the JWKS after rotation: the active one and its predecessor.
KEEP_KEYS = 2


def default_directory(settings: ServiceSettings) -> Path:
    if settings.auth_dev_issuer_dir:
        return Path(settings.auth_dev_issuer_dir)
    from suxin_common.localstack import devstack_dir

    return devstack_dir() / "auth"


class DevIssuer:
    """Signing keys in ``directory/keys/<kid>.pem`` (newest active), JWKS in ``jwks.json``."""

    def __init__(self, directory: str | Path, *, issuer: str, audience: str) -> None:
        self.directory = Path(directory)
        self.issuer = issuer
        self.audience = audience

    @classmethod
    def from_settings(cls, settings: ServiceSettings, directory: str | Path | None = None):
        if settings.environment not in DEV_ENVIRONMENTS:
            raise RuntimeError("the development issuer is refused outside development and test")
        return cls(
            directory or default_directory(settings),
            issuer=settings.auth_issuer,
            audience=settings.auth_audience,
        )

    @property
    def jwks_path(self) -> Path:
        return self.directory / "jwks.json"

    @property
    def _key_dir(self) -> Path:
        return self.directory / "keys"

    def _kids(self) -> list[str]:
        """Key ids, oldest first (the ids carry a sequence number)."""
        if not self._key_dir.is_dir():
            return []
        return sorted(p.stem for p in self._key_dir.glob("*.pem"))

    def ensure_key(self) -> str:
        """The active key id, creating the first key (and the JWKS file) if there is none."""
        kids = self._kids()
        if kids:
            if not self.jwks_path.is_file():
                self._write_jwks()
            return kids[-1]
        return self.rotate()

    def rotate(self) -> str:
        """Make a new active key; keep the previous public key published; drop older ones."""
        self._key_dir.mkdir(parents=True, exist_ok=True)
        kids = self._kids()
        sequence = int(kids[-1].split("-")[1]) + 1 if kids else 1
        kid = f"dev-{sequence:05d}-{secrets.token_hex(3)}"
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path = self._key_dir / f"{kid}.pem"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
        for old in self._kids()[:-KEEP_KEYS]:
            (self._key_dir / f"{old}.pem").unlink(missing_ok=True)
        self._write_jwks()
        return kid

    def jwks(self) -> dict[str, Any]:
        keys = []
        for kid in self._kids():
            public = self._private_key(kid).public_key()
            jwk = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(public))
            keys.append(jwk | {"kid": kid, "use": "sig", "alg": ALGORITHM})
        return {"keys": keys}

    def _write_jwks(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = self.jwks_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.jwks(), indent=2), encoding="utf-8")
        tmp.replace(self.jwks_path)  # atomic: a service never reads half a file

    def _private_key(self, kid: str) -> Ed25519PrivateKey:
        key = serialization.load_pem_private_key(
            (self._key_dir / f"{kid}.pem").read_bytes(), password=None
        )
        assert isinstance(key, Ed25519PrivateKey)
        return key

    def mint(
        self,
        client_id: str,
        *,
        scopes: Iterable[str] = (),
        roles: Iterable[Role | str] = (),
        tenant: Mapping[str, Any] | None = None,
        ttl_s: int = DEFAULT_TTL_S,
        now: int | None = None,
    ) -> str:
        """An access token for `client_id` as a client-credentials grant would return it."""
        kid = self.ensure_key()
        issued = int(time.time()) if now is None else now
        claims: dict[str, Any] = {
            "sub": client_id,
            "client_id": client_id,
            "roles": [Role(role).value for role in roles],
            "tenant": Tenant.model_validate(dict(tenant or {})).model_dump(exclude_defaults=True),
            "iss": self.issuer,
            "aud": self.audience,
            "iat": issued,
            "exp": issued + ttl_s,
            "jti": secrets.token_hex(8),
        }
        if scopes:
            claims["scope"] = " ".join(scopes)
        return jwt.encode(claims, self._private_key(kid), algorithm=ALGORITHM, headers={"kid": kid})
