"""Partners' one typed dependency object, built once in create_app and reachable from every
route (``deps: Deps``): the typed settings, the partner clients' key cache, and the kit's
runtime once the lifespan has started it (units of work, sessions, personal-data protection).
Routes reach nothing through ``app.state``; the one getter below does."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from partners.oauth import ClientKeys
from partners.settings import Settings
from suxin_common.db import UnitOfWork
from suxin_common.privacy import PersonalData
from suxin_common.service import Runtime
from suxin_common.web import ServiceUnavailable


@dataclass(frozen=True)
class PartnersDeps:
    settings: Settings
    client_keys: ClientKeys
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
    def personal_data(self) -> PersonalData:
        return self._started().personal_data


def get_deps(request: Request) -> PartnersDeps:
    """The deps create_app built, with the runtime as the lifespan left it."""
    deps: PartnersDeps = request.app.state.partners
    runtime = getattr(request.app.state, "runtime", None)
    if deps.runtime is not runtime:
        deps = request.app.state.partners = replace(deps, runtime=runtime)
    return deps


Deps = Annotated[PartnersDeps, Depends(get_deps)]
