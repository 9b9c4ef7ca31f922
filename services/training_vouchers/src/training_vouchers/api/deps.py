"""The one typed object training-vouchers' routes receive (``deps: TrainingVouchersDeps``).

``create_app`` builds it once with what this service adds to the kit: its typed settings, the
policy versions (loaded and validated at start-up) and the maker-checker rules. Once the
lifespan has started the kit's runtime it also reaches the database through it (units of work
with the service's repositories, sessions, personal-data protection). Routes reach nothing
through ``app.state``; the one getter below does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from suxin_common.security.four_eyes import Registry
from suxin_common.service import Runtime, RuntimeAccess, service_deps
from training_vouchers.domain.policy import PolicyBook
from training_vouchers.settings import Settings


@dataclass(frozen=True)
class ServiceDeps(RuntimeAccess):
    settings: Settings
    book: PolicyBook
    four_eyes: Registry
    # The kit's runtime, once the lifespan has started it (routes that need no database, e.g.
    # the policy calculator, answer without it).
    runtime: Runtime | None = None


TrainingVouchersDeps = Annotated[ServiceDeps, Depends(service_deps)]
