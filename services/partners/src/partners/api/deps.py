"""Partners' typed dependencies, built once in create_app and reachable from every route."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from partners.oauth import ClientKeys
from partners.settings import Settings


@dataclass
class PartnersDeps:
    settings: Settings
    client_keys: ClientKeys


def get_deps(request: Request) -> PartnersDeps:
    return request.app.state.partners


Deps = Annotated[PartnersDeps, Depends(get_deps)]
