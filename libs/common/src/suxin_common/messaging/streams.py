"""Idempotent JetStream stream provisioning."""

from __future__ import annotations

import asyncio
import logging

import nats.errors
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

from suxin_common.messaging.catalog import StreamSpec
from suxin_common.settings import ServiceSettings

log = logging.getLogger(__name__)

_MAX_AGE_S = 30 * 24 * 3600.0


def stream_config(spec: StreamSpec, settings: ServiceSettings) -> StreamConfig:
    return StreamConfig(
        name=spec.name,
        subjects=spec.subjects,
        storage=StorageType.FILE,
        retention=RetentionPolicy.LIMITS,
        discard=DiscardPolicy.NEW,
        duplicate_window=settings.stream_duplicate_window_s,
        max_age=_MAX_AGE_S,
        num_replicas=settings.stream_replicas,
    )


async def ensure_stream(
    js: JetStreamContext, spec: StreamSpec, settings: ServiceSettings, *, attempts: int = 5
) -> None:
    """Create the stream, or bring an existing one to the declared config. Safe to race.

    An unchanged stream is left alone, and a JetStream API timeout is retried: in a clustered
    JetStream (replicas 3) a stream update goes through Raft, and several services starting at
    once (or a leader election) made one time out and the service fail its start-up.
    """
    config = stream_config(spec, settings)
    for attempt in range(attempts):
        try:
            await _ensure(js, spec, config)
            return
        except nats.errors.TimeoutError:
            if attempt == attempts - 1:
                raise
            log.warning("stream %s: JetStream API timed out; retrying", spec.name)
            await asyncio.sleep(1.0 + attempt)


async def _ensure(js: JetStreamContext, spec: StreamSpec, config: StreamConfig) -> None:
    try:
        info = await js.stream_info(spec.name)
    except NotFoundError:
        try:
            await js.add_stream(config)
            log.info("created stream %s", spec.name)
            return
        except Exception:  # another replica may have created it in between
            info = await js.stream_info(spec.name)
    if _same(info.config, config):
        return
    await js.update_stream(config)


def _same(have: StreamConfig, want: StreamConfig) -> bool:
    return (
        sorted(have.subjects or []) == sorted(want.subjects or [])
        and have.discard == want.discard
        and have.storage == want.storage
        and have.retention == want.retention
        and (have.num_replicas or 1) == (want.num_replicas or 1)
        and abs((have.duplicate_window or 0) - (want.duplicate_window or 0)) < 0.001
        and abs((have.max_age or 0) - (want.max_age or 0)) < 0.001
    )
