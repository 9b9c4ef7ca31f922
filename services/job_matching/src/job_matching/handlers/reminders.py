"""到期提醒 sweep: every ``reminder_sweep_seconds`` the service looks for deadlines that need
the reader's action within ``reminder_lead_days`` (see ``domain.reminders`` for which) and
puts one reminder per (recipient, object, deadline) in the person's or the enterprise's inbox.

The inbox rows are unique per (recipient, key), so sweeping again, a restart, or every replica
sweeping at once adds nothing; the live streams (SSE) deliver the reminders like any notice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from job_matching.adapters.repositories import Uow
from job_matching.domain import reminders
from suxin_common.service import Runtime

log = logging.getLogger(__name__)
CHINA = ZoneInfo("Asia/Shanghai")


def today_in_china() -> date:
    return datetime.now(CHINA).date()


async def sweep(
    runtime: Runtime, *, today: date | None = None, lead_days: int | None = None
) -> int:
    """One sweep; returns how many reminders it found due (already sent ones included)."""
    lead = runtime.settings.reminder_lead_days if lead_days is None else lead_days
    return await send_reminders(runtime.uow(), today=today or today_in_china(), lead_days=lead)


async def send_reminders(uow: Uow, *, today: date, lead_days: int) -> int:
    """Put a reminder in the inbox of every person registered for a fair within ``lead_days``
    who has not checked in, and of every enterprise whose booth there shows no open post;
    how many were due (already sent ones included: the inbox keeps one per recipient and key)."""
    now = datetime.now(UTC)
    inbox = uow.repos.inbox
    async with uow:
        registrations = await inbox.registrations_due(today, lead_days)
        booths = await inbox.empty_booths_due(today, lead_days)
        for r in registrations:
            await inbox.add_notice(
                reminders.fair_registration_reminder(
                    person_key=r.person_key,
                    registration_id=r.id,
                    fair_id=r.fair_id,
                    fair_name=r.name,
                    mode=r.mode,
                    starts_on=r.starts_on,
                    today=today,
                    at=now,
                ),
            )
        for b in booths:
            await inbox.add_enterprise_notice(
                reminders.fair_booth_reminder(
                    enterprise_uscc=b.enterprise_uscc,
                    fair_id=b.fair_id,
                    fair_name=b.name,
                    starts_on=b.starts_on,
                    today=today,
                    at=now,
                ),
            )
        await uow.commit()
    return len(registrations) + len(booths)


async def keep_sweeping(runtime: Runtime) -> None:
    """Sweep now and every interval until the service stops; a failed sweep is logged and
    tried again at the next interval."""
    interval = runtime.settings.reminder_sweep_seconds
    while not runtime.stop.is_set():
        try:
            await sweep(runtime)
        except Exception:
            log.exception("deadline reminder sweep failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(runtime.stop.wait(), interval)
