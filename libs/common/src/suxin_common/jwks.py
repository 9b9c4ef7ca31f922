"""Where the keys that sign bearer tokens come from: an inline JWKS document, a file that is
re-read when it changes, or URLs fetched and cached (key rotation without downtime).

Only signing keys (`use` absent or `sig`) with a `kid` are kept; `suxin_common.auth`'s
`Authenticator` picks one by the token's `kid`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Mapping
from pathlib import Path

import jwt

from suxin_common.settings import ServiceSettings

log = logging.getLogger(__name__)


class RemoteJwks:
    """A JWKS document fetched from a URL, cached for `cache_s` and refetched early when a
    token names a key it does not hold (at most once every `min_refresh_s`, so a flood of
    forged `kid`s cannot hammer the identity provider). When a fetch fails, the keys already
    held stay in use: an IdP outage does not lock everyone out."""

    def __init__(
        self, url: str, *, cache_s: float, min_refresh_s: float, timeout_s: float = 5.0
    ) -> None:
        self.url = url
        self._cache_s = cache_s
        self._min_refresh_s = min_refresh_s
        self._timeout_s = timeout_s
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._lock = asyncio.Lock()

    @property
    def keys(self) -> Mapping[str, jwt.PyJWK]:
        return self._keys

    def stale(self) -> bool:
        return self._fetched_at is None or time.monotonic() - self._fetched_at > self._cache_s

    async def ensure(self, kid: str | None) -> None:
        """Refetch if the cache is stale or lacks `kid` (and the last try is old enough)."""
        if not self.stale() and (kid is None or kid in self._keys):
            return
        async with self._lock:
            if not self.stale() and (kid is None or kid in self._keys):
                return  # another request refreshed while this one waited
            now = time.monotonic()
            if self._attempted_at is not None and now - self._attempted_at < self._min_refresh_s:
                return
            self._attempted_at = now
            await self._fetch()

    async def _fetch(self) -> None:
        import httpx

        try:
            async with httpx.AsyncClient(timeout=self._timeout_s) as client:
                response = await client.get(self.url, headers={"Accept": "application/json"})
                response.raise_for_status()
            keys = keys_of(jwt.PyJWKSet.from_dict(response.json()))
        except Exception as exc:  # network, HTTP status, JSON or JWKS errors alike
            log.warning("fetching the JWKS from %s failed: %s", self.url, exc)
            return
        self._keys = keys
        self._fetched_at = time.monotonic()


class FileJwks:
    """A JWKS file, re-read when a token names a key it lacks and the file has changed, so a
    rotated file needs no restart. A missing optional file counts as no keys."""

    def __init__(self, path: str | Path, *, required: bool = True) -> None:
        self.path = Path(path)
        self._keys: dict[str, jwt.PyJWK] = {}
        self._mtime: tuple[int, int, int] | None = None
        if required and not self.path.is_file():
            raise ValueError(f"the JWKS file {self.path} does not exist")
        self.refresh(strict=True)

    @property
    def keys(self) -> Mapping[str, jwt.PyJWK]:
        return self._keys

    def refresh(self, *, strict: bool = False) -> None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return
        # An atomic replace (how the dev issuer writes) gives a new inode even within one tick.
        mtime = (stat.st_mtime_ns, stat.st_ino, stat.st_size)
        if mtime == self._mtime:
            return
        try:
            jwks = jwt.PyJWKSet.from_json(self.path.read_text(encoding="utf-8"))
        except (jwt.PyJWKError, json.JSONDecodeError) as exc:
            if strict:
                raise ValueError(f"the JWKS document is unusable: {exc}") from None
            log.warning(
                "the JWKS file %s is unusable, keeping its previous keys: %s", self.path, exc
            )
            return
        self._keys = keys_of(jwks)
        self._mtime = mtime


def keys_of(jwks: jwt.PyJWKSet) -> dict[str, jwt.PyJWK]:
    return {jwk.key_id: jwk for jwk in jwks.keys if jwk.key_id and _signs(jwk)}


def _signs(jwk: jwt.PyJWK) -> bool:
    use = jwk._jwk_data.get("use")  # noqa: SLF001 (PyJWK exposes no accessor for `use`)
    return use in (None, "sig")


def load_jwks(settings: ServiceSettings) -> jwt.PyJWKSet | None:
    if not settings.auth_jwks:
        return None
    document = settings.auth_jwks
    try:
        return jwt.PyJWKSet.from_json(document)
    except (jwt.PyJWKError, json.JSONDecodeError) as exc:
        raise ValueError(f"the JWKS document is unusable: {exc}") from None


def jwks_file(settings: ServiceSettings) -> FileJwks | None:
    if settings.auth_jwks_file:
        return FileJwks(settings.auth_jwks_file)
    if settings.environment == "development" and not (settings.auth_jwks or settings.auth_jwks_url):
        # The local stack: the development issuer's JWKS (`suxin token --client`), whenever
        # it appears, so partner tokens work under `make run` with no configuration.
        if settings.auth_dev_issuer_dir:
            directory = Path(settings.auth_dev_issuer_dir)
        else:
            from suxin_common.localstack import devstack_dir

            directory = devstack_dir() / "auth"
        return FileJwks(directory / "jwks.json", required=False)
    return None
