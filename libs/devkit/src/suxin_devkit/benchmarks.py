"""Helpers for the benchmarks of bench/ (``make bench``): measurements over the real runtime."""

from __future__ import annotations

import asyncio
import uuid

from suxin_common.settings import ServiceSettings
from suxin_devkit.testing import (
    eventually,
    headers_for,
    running_consumers,
    scalar,
    service_runtime,
)


async def consumer_throughput(
    infra,
    service: str,
    settings_cls: type[ServiceSettings],
    subscriptions,
    subject: str,
    payloads: list[bytes],
    *,
    count_sql: str | None = None,
) -> tuple[float, int | None]:
    """Seconds from publishing ``payloads`` on ``subject`` (500 in flight) until the service's
    real consumer runner, on a fresh migrated database, has committed an inbox row for each;
    and the result of ``count_sql`` (e.g. the effect rows) afterwards. For perf measurements."""
    import time

    import nats

    async with (
        service_runtime(infra, service, settings_cls) as runtime,
        running_consumers(runtime, subscriptions, infra.nats_url),
    ):
        nc = await nats.connect(infra.nats_url)
        try:
            js = nc.jetstream()
            t0 = time.perf_counter()
            for start in range(0, len(payloads), 500):
                await asyncio.gather(
                    *(
                        js.publish(subject, p, headers=headers_for(str(uuid.uuid4())))
                        for p in payloads[start : start + 500]
                    )
                )

            async def done() -> bool:
                return await scalar(runtime.engine, "SELECT count(*) FROM inbox") >= len(payloads)

            await eventually(done, within=600)
            elapsed = time.perf_counter() - t0
            counted = await scalar(runtime.engine, count_sql) if count_sql else None
        finally:
            await nc.close()
    return elapsed, counted
