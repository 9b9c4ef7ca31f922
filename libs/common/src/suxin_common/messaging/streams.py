"""Idempotent JetStream stream provisioning."""

from __future__ import annotations

import logging

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


async def ensure_stream(js: JetStreamContext, spec: StreamSpec, settings: ServiceSettings) -> None:
    """Create the stream, or bring an existing one to the declared config. Safe to race."""
    config = stream_config(spec, settings)
    try:
        await js.stream_info(spec.name)
    except NotFoundError:
        try:
            await js.add_stream(config)
            log.info("created stream %s", spec.name)
            return
        except Exception:  # another replica may have created it in between
            await js.stream_info(spec.name)
    await js.update_stream(config)
