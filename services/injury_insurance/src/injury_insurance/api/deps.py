"""The one typed object injury-insurance's routes receive (``deps: InjuryInsuranceDeps``).

``create_app`` builds it once with what this service adds to the kit: its typed settings, the
maker-checker rules (四眼原则: thresholds from the settings) and the process's rate books (the
contribution-rate versions in force and the benefit schedule). Once the lifespan has started
the kit's runtime it also reaches the database through it (units of work, sessions,
personal-data protection; 503 before start-up). Routes reach nothing through ``app.state``;
the one getter below does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from injury_insurance.rates import RateBooks
from injury_insurance.settings import Settings
from suxin_common.security.four_eyes import Registry
from suxin_common.service import Runtime, RuntimeAccess, service_deps


@dataclass(frozen=True)
class ServiceDeps(RuntimeAccess):
    settings: Settings
    four_eyes: Registry
    rates: RateBooks
    runtime: Runtime | None = None


InjuryInsuranceDeps = Annotated[ServiceDeps, Depends(service_deps)]
