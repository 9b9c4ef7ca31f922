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

from job_matching.adapters import reminders_store as store
from job_matching.domain import reminders
from job_matching.enterprise_notifications import on_enterprise_notice
from job_matching.notifications import on_notice
from suxin_common.service import Runtime

log = logging.getLogger(__name__)
CHINA = ZoneInfo("Asia/Shanghai")


def today_in_china() -> date:
    return datetime.now(CHINA).date()


async def sweep(
    runtime: Runtime, *, today: date | None = None, lead_days: int | None = None
) -> int:
    """One sweep; returns how many reminders it found due (already sent ones included)."""
    today = today or today_in_china()
    lead = runtime.settings.reminder_lead_days if lead_days is None else lead_days
    now = datetime.now(UTC)
    async with runtime.uow() as uow:
        registrations = await store.registrations_due(uow.session, today, lead)
        booths = await store.empty_booths_due(uow.session, today, lead)
        for r in registrations:
            await on_notice(
                uow,
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
            await on_enterprise_notice(
                uow,
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
