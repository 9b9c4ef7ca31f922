"""Signed checkpoints of the audit chain's head, kept outside the database.

The keyed chain (audit.py) stops someone with database rights but without the key from
recomputing hashes after a change; it cannot show that rows were removed from the end, or that
the newest rows were replaced. So each service periodically publishes its chain head to the
JetStream stream SUXIN_AUDIT_CHECKPOINTS (subject ``suxin.audit.checkpoint.<service>``, its own
retention) as ``{service, last_id, head_hash, at, kid, heads, mac}`` with an HMAC-SHA256 under
the chain key; ``heads`` lists every chain's head ``[chain, id, hash]`` (the log is several
chains, audit.CHAINS), ``last_id``/``head_hash`` the newest row. `verify_chain(...,
checkpoint=latest(...))` then needs every checkpointed row, with its checkpointed hash, still in
the log. Checkpoints written before chains (no ``heads``) name the newest row only.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError
from sqlalchemy.ext.asyncio import AsyncEngine

from suxin_common.security.audit import CHAINS, ChainKeys, chain_keys

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
    # (chain, id, hash) of every chain's newest row; empty in checkpoints from before chains
    heads: tuple[tuple[int, int, str], ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "heads", tuple(tuple(h) for h in self.heads))

    def message(self) -> bytes:
        body = {k: v for k, v in asdict(self).items() if k != "mac"}
        if not body["heads"]:
            del body["heads"]  # as signed before chains existed
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def sign(
    service: str,
    last_id: int,
    head_hash: str,
    keys: ChainKeys | None = None,
    *,
    heads: tuple[tuple[int, int, str], ...] = (),
) -> Checkpoint:
    keys = keys or chain_keys()
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    unsigned = Checkpoint(service, last_id, head_hash, at, keys.signing_kid, heads=heads)
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


# Every chain's newest row: one index probe per chain (ix_audit_log_chain).
_HEADS = sa.text(
    "SELECT h.chain, h.id, h.hash FROM generate_series(0, :chains - 1) AS c(n)"
    " CROSS JOIN LATERAL (SELECT chain, id, hash FROM audit_log WHERE chain = c.n"
    " ORDER BY id DESC LIMIT 1) AS h ORDER BY h.id"
)


async def heads(engine: AsyncEngine) -> tuple[tuple[int, int, str], ...]:
    """(chain, id, hash) of every chain's newest row, oldest first."""
    async with engine.connect() as conn:
        rows = await conn.execute(_HEADS, {"chains": CHAINS})
        return tuple((int(c), int(i), str(h)) for c, i, h in rows)


async def publish(js: JetStreamContext, engine: AsyncEngine, service: str) -> Checkpoint | None:
    """Sign and publish the chains' current heads (None for an empty log)."""
    found = await heads(engine)
    if not found:
        return None
    _chain, last_id, head_hash = found[-1]
    checkpoint = sign(service, last_id, head_hash, heads=found)
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
    last: tuple[tuple[int, int, str], ...] = ()
    while not stop.is_set():
        try:
            if await heads(engine) != last:
                checkpoint = await publish(js, engine, service)
                if checkpoint is not None:
                    last = checkpoint.heads
        except Exception as exc:  # keep checkpointing after a database or NATS hiccup
            log.warning("audit checkpoint failed (%s); retrying", type(exc).__name__)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval_s)
