"""Partners' one typed dependency object, built once in create_app and reachable from every
route (``deps: Deps``): the typed settings, the partner clients' key cache, and the kit's
runtime once the lifespan has started it (units of work, sessions, personal-data protection).
Routes reach nothing through ``app.state``; the one getter below does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from partners.oauth import ClientKeys
from partners.settings import Settings
from suxin_common.service import Runtime, RuntimeAccess, service_deps


@dataclass(frozen=True)
class PartnersDeps(RuntimeAccess):
    settings: Settings
    client_keys: ClientKeys
    runtime: Runtime | None = None


Deps = Annotated[PartnersDeps, Depends(service_deps)]
