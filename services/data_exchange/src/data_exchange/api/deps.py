"""The one typed object data-exchange's routes receive (``deps: DataExchangeDeps``).

``create_app`` builds it once with what this service adds to the kit: its typed settings and
the batch worker's wake-up (an upload wakes the worker at once instead of at its next poll).
Once the lifespan has started the kit's runtime it also reaches the database through it (units
of work, sessions, personal-data protection; 503 before start-up). Routes reach nothing through
``app.state``; the one getter below does.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from data_exchange.settings import Settings
from suxin_common.service import Runtime, RuntimeAccess, service_deps


@dataclass(frozen=True)
class ServiceDeps(RuntimeAccess):
    settings: Settings
    batch_wakeup: asyncio.Event
    runtime: Runtime | None = None

    def wake_batch_worker(self) -> None:
        """A file arrived: the batch worker looks for work now."""
        self.batch_wakeup.set()


DataExchangeDeps = Annotated[ServiceDeps, Depends(service_deps)]
