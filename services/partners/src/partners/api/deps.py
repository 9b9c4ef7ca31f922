"""Partners' one typed dependency object, built once in create_app and reachable from every
route (``deps: Deps``): the typed settings, the partner clients' key cache, and the kit's
runtime once the lifespan has started it (units of work, sessions, personal-data protection).
Routes reach nothing through ``app.state``; the one getter below does."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated

from fastapi import Depends, Request

from partners.oauth import ClientKeys
from partners.settings import Settings
from suxin_common.service import Runtime, RuntimeAccess


@dataclass(frozen=True)
class PartnersDeps(RuntimeAccess):
    settings: Settings
    client_keys: ClientKeys
    runtime: Runtime | None = None


def get_deps(request: Request) -> PartnersDeps:
    """The deps create_app built, with the runtime as the lifespan left it."""
    deps: PartnersDeps = request.app.state.partners
    runtime = getattr(request.app.state, "runtime", None)
    if deps.runtime is not runtime:
        deps = request.app.state.partners = replace(deps, runtime=runtime)
    return deps


Deps = Annotated[PartnersDeps, Depends(get_deps)]
