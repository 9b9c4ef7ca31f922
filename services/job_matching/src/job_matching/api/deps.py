"""What job-matching's routes receive: one typed object, ``deps: JobMatchingDeps``.

Built by the kit at startup from what ``create_app`` declares (``suxin_common.service.Deps``):
``deps.settings`` (job-matching's :class:`~job_matching.settings.Settings`), ``deps.uow()`` (a
unit of work with job-matching's repositories), ``deps.sessions`` for reads,
``deps.personal_data``, ``deps.clock()``. Routes reach nothing through ``app.state``.
"""

from typing import Annotated

from fastapi import Depends

from job_matching.adapters.repositories import Repositories
from job_matching.settings import Settings
from suxin_common.service import Deps, get_deps

JobMatchingDeps = Annotated[Deps[Settings, Repositories], Depends(get_deps)]
