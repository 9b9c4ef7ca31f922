"""Operations on the monitor itself: rebuild the read models from the event streams."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from employment_monitor import replay
from employment_monitor.api.deps import EmploymentMonitorDeps
from suxin_common.auth import Role, require_roles
from suxin_common.errors import Conflict

router = APIRouter(prefix="/v1/admin", tags=["operations"])


@router.post("/replay", dependencies=[Depends(require_roles(Role.OPS))])
async def replay_read_models(deps: EmploymentMonitorDeps) -> dict[str, Any]:
    """Rebuild every read model from the streams, from sequence 1 (ops only). Answers when the
    rebuild committed, with the number of events and the speed; 409 while one is running."""
    lock = deps.replay_lock
    if lock.locked():
        raise Conflict("A replay is already running.")
    async with lock:
        report = await replay.rebuild(
            deps.settings.database_url,
            deps.settings.nats_url,
            batch_size=deps.settings.replay_batch_size,
        )
    return report.as_dict()
