"""What gig-market's routes receive: one typed object, ``deps: GigMarketDeps``.

Built by the kit at startup from what ``create_app`` declares (``suxin_common.service.Deps``):
``deps.settings`` (gig-market's :class:`~gig_market.settings.Settings`), ``deps.uow()``,
``deps.sessions`` for reads, ``deps.personal_data``, ``deps.clock()``. Routes reach nothing
through ``app.state``.
"""

from typing import Annotated, Any

from fastapi import Depends

from gig_market.settings import Settings
from suxin_common.service import Deps, get_deps

GigMarketDeps = Annotated[Deps[Settings, Any], Depends(get_deps)]
