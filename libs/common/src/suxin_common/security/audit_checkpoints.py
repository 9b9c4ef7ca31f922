"""Signed checkpoints of the audit chain's head, kept outside the database.

The keyed chain (audit.py) stops someone with database rights but without the key from
recomputing hashes after a change; it cannot show that rows were removed from the end, or that
the newest rows were replaced. So each service periodically publishes its chain head to the
JetStream stream SUXIN_AUDIT_CHECKPOINTS (subject ``suxin.audit.checkpoint.<service>``, its own
retention) as ``{service, last_id, head_hash, at, kid, mac}`` with an HMAC-SHA256 under the chain
key. `verify_chain(..., checkpoint=latest(...))` then needs the checkpointed row, with the
checkpointed hash, still in the chain.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError
from sqlalchemy.ext.asyncio import AsyncEngine

from suxin_common.security.audit import ChainKeys, chain_keys
from suxin_common.tables import audit_log

log = logging.getLogger(__name__)

STREAM = "SUXIN_AUDIT_CHECKPOINTS"
SUBJECT_PREFIX = "suxin.audit.checkpoint."
# Checkpoints outlive the services' event streams: auditors compare against them for a year.
RETENTION_S = 400 * 24 * 3600.0
MAX_PER_SERVICE = 100_000


@dataclass(frozen=True)
class Checkpoint:
    service: str
    last_id: int
    head_hash: str
    at: str
    kid: str
    mac: str = ""

    def message(self) -> bytes:
        body = {k: v for k, v in asdict(self).items() if k != "mac"}
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def sign(service: str, last_id: int, head_hash: str, keys: ChainKeys | None = None) -> Checkpoint:
    keys = keys or chain_keys()
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    unsigned = Checkpoint(service, last_id, head_hash, at, keys.signing_kid)
    return Checkpoint(**{**asdict(unsigned), "mac": keys.mac(unsigned.kid, unsigned.message())})


def parse(data: bytes, service: str, keys: ChainKeys | None = None) -> Checkpoint:
    """A checkpoint whose signature, key and service check out; ValueError otherwise."""
    keys = keys or chain_keys()
    try:
        checkpoint = Checkpoint(**json.loads(data))
    except (TypeError, ValueError) as exc:
        raise ValueError("malformed audit checkpoint") from exc
    if checkpoint.service != service:
        raise ValueError("audit checkpoint of another service")
    if keys.key(checkpoint.kid) is None:
        raise ValueError("audit checkpoint signed with an unknown key")
    if not hmac.compare_digest(keys.mac(checkpoint.kid, checkpoint.message()), checkpoint.mac):
        raise ValueError("audit checkpoint signature is wrong")
    return checkpoint


def subject(service: str) -> str:
    return SUBJECT_PREFIX + service


async def ensure_stream(js: JetStreamContext, *, replicas: int = 1) -> None:
    config = StreamConfig(
        name=STREAM,
        subjects=[SUBJECT_PREFIX + ">"],
        storage=StorageType.FILE,
        retention=RetentionPolicy.LIMITS,
        discard=DiscardPolicy.OLD,
        max_age=RETENTION_S,
        max_msgs_per_subject=MAX_PER_SERVICE,
        num_replicas=replicas,
    )
    try:
        await js.stream_info(STREAM)
    except NotFoundError:
        with contextlib.suppress(Exception):  # another service created it meanwhile
            await js.add_stream(config)


async def publish(js: JetStreamContext, engine: AsyncEngine, service: str) -> Checkpoint | None:
    """Sign and publish the chain's current head (None for an empty chain)."""
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                sa.select(audit_log.c.id, audit_log.c.hash).order_by(audit_log.c.id.desc()).limit(1)
            )
        ).first()
    if row is None:
        return None
    checkpoint = sign(service, row[0], row[1])
    await js.publish(subject(service), json.dumps(asdict(checkpoint)).encode(), stream=STREAM)
    return checkpoint


async def latest(js: JetStreamContext, service: str) -> Checkpoint | None:
    """The newest checkpoint of `service`; None if there is none. A forged or unreadable one
    raises ValueError: verification must not silently fall back to the database alone."""
    try:
        msg = await js.get_last_msg(STREAM, subject(service))
    except NotFoundError:
        return None
    return parse(msg.data or b"", service)


async def run(js: JetStreamContext, engine: AsyncEngine, service: str, stop: asyncio.Event,
              interval_s: float) -> None:  # fmt: skip
    """Publish a checkpoint every `interval_s` while the head moves, until `stop`."""
    last: tuple[int, str] | None = None
    while not stop.is_set():
        try:
            async with engine.connect() as conn:
                head = (
                    await conn.execute(
                        sa.select(audit_log.c.id, audit_log.c.hash)
                        .order_by(audit_log.c.id.desc())
                        .limit(1)
                    )
                ).first()
            if head is not None and tuple(head) != last:
                checkpoint = await publish(js, engine, service)
                if checkpoint is not None:
                    last = (checkpoint.last_id, checkpoint.head_hash)
        except Exception as exc:  # keep checkpointing after a database or NATS hiccup
            log.warning("audit checkpoint failed (%s); retrying", type(exc).__name__)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval_s)
