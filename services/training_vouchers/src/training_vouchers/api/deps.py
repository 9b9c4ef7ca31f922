"""The one typed object training-vouchers' routes receive (``deps: TrainingVouchersDeps``).

``create_app`` builds it once with what this service adds to the kit: its typed settings, the
policy versions (loaded and validated at start-up) and the maker-checker rules. Once the
lifespan has started the kit's runtime it also reaches the database through it (units of work
with the service's repositories, sessions, personal-data protection). Routes reach nothing
through ``app.state``; the one getter below does.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from suxin_common.db import UnitOfWork
from suxin_common.privacy import PersonalData
from suxin_common.security.four_eyes import Registry
from suxin_common.service import Runtime
from suxin_common.web import ServiceUnavailable
from training_vouchers.domain.policy import PolicyBook
from training_vouchers.settings import Settings


@dataclass(frozen=True)
class ServiceDeps:
    settings: Settings
    book: PolicyBook
    four_eyes: Registry
    # The kit's runtime, once the lifespan has started it (routes that need no database, e.g.
    # the policy calculator, answer without it).
    runtime: Runtime | None = None

    def _started(self) -> Runtime:
        if self.runtime is None:
            raise ServiceUnavailable("service is starting")
        return self.runtime

    def uow(self) -> UnitOfWork[Any]:
        return self._started().uow()

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        return self._started().sessions

    @property
    def engine(self) -> AsyncEngine:
        return self._started().engine

    @property
    def personal_data(self) -> PersonalData:
        return self._started().personal_data


def get_deps(request: Request) -> ServiceDeps:
    """The service's deps (built by ``create_app``) with the runtime as the lifespan left it
    (none before start-up and after shut-down)."""
    deps: ServiceDeps = request.app.state.service_deps
    runtime = getattr(request.app.state, "runtime", None)
    if deps.runtime is not runtime:
        deps = request.app.state.service_deps = replace(deps, runtime=runtime)
    return deps


TrainingVouchersDeps = Annotated[ServiceDeps, Depends(get_deps)]
