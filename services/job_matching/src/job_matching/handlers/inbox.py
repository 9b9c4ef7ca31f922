"""站内消息 and 单位消息: events of any context that concern a person or an enterprise become
notices in their inbox (translated at the consumer edge, ``contracts.notice_of_*``).

A notice is stored once: the inbox row is unique per (recipient, event), so a redelivered event,
or one handled again after the consumer restarted mid-stream, adds nothing. An event that
concerns no recipient arrives as None and is passed over.
"""

from __future__ import annotations

from job_matching.adapters.repositories import Uow
from job_matching.domain.enterprise_notices import EnterpriseNotice
from job_matching.domain.notifications import Notice


async def on_notice(uow: Uow, notice: Notice | None) -> None:
    """Put the notice in the person's inbox, once per (person, event)."""
    if notice is not None:
        await uow.repos.inbox.add_notice(notice)


async def on_enterprise_notice(uow: Uow, notice: EnterpriseNotice | None) -> None:
    """Put the notice in the enterprise's inbox, once per (enterprise, event)."""
    if notice is not None:
        await uow.repos.inbox.add_enterprise_notice(notice)
