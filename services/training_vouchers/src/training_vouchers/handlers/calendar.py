"""Loading a year's official holiday schedule (调休) and what follows from it.

Deadlines counted into a year with no official schedule are provisional (statutory holidays
only). When staff load the State Council's schedule of that year, every open case whose
provisional deadline runs into it is counted again; each one that changes is saved, announced
(SubsidyCaseDeadlineRecomputed) and audited, in the same transaction as the schedule.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from suxin_common.auth import Principal
from training_vouchers import contracts
from training_vouchers.adapters.repositories import Uow
from training_vouchers.domain.model import SubsidyCase
from training_vouchers.domain.policy import PolicyBook
from training_vouchers.domain.working_days import WorkCalendar, YearSchedule, china_date
from training_vouchers.handlers.common import audit_case, save_case


@dataclass(frozen=True)
class ScheduleLoaded:
    version: int
    recomputed: list[tuple[SubsidyCase, date | None]]  # (case now, its previous deadline)


async def load_holiday_schedule(
    uow: Uow,
    schedule: YearSchedule,
    *,
    calendar: WorkCalendar,
    book: PolicyBook,
    at: datetime,
    by: str,
    principal: Principal | None = None,
) -> ScheduleLoaded:
    """Store ``schedule`` and recount the provisional deadlines it reaches. ``calendar`` is
    not changed: the caller installs the schedule once the transaction committed."""
    version = await uow.repos.holiday_schedules.save(schedule, at=at, by=by)
    recomputed = await recount_provisional(
        uow, schedule, calendar=calendar, book=book, at=at, principal=principal
    )
    return ScheduleLoaded(version, recomputed)


async def recount_provisional(
    uow: Uow,
    schedule: YearSchedule,
    *,
    calendar: WorkCalendar,
    book: PolicyBook,
    at: datetime,
    principal: Principal | None = None,
) -> list[tuple[SubsidyCase, date | None]]:
    """Count again every open case whose provisional deadline runs into ``schedule``'s year;
    save, announce and audit those that change (idempotent: a second run finds none)."""
    counted = WorkCalendar(dict(calendar.schedules) | {schedule.year: schedule})
    recomputed = []
    for case in await uow.repos.holiday_schedules.provisional_open_cases():
        start = case.review_started_at or case.opened_at
        if case.review_deadline is None or not (
            china_date(start).year <= schedule.year <= case.review_deadline.year
        ):
            continue
        try:
            working_days = book.version(case.rule_version).review_working_days
        except KeyError:
            continue
        deadline = counted.case_deadline(start, working_days)
        if (deadline.day, deadline.provisional) == (
            case.review_deadline,
            case.review_deadline_provisional,
        ):
            continue
        updated = replace(
            case,
            review_deadline=deadline.day,
            review_deadline_provisional=deadline.provisional,
            version=case.version + 1,
        )
        await save_case(uow, updated)
        uow.publish(
            contracts.subsidy_case_deadline_recomputed(
                updated, case.review_deadline, schedule.year, at
            ),
            key=str(case.id),
        )
        await audit_case(
            uow,
            principal,
            updated,
            "deadline_recomputed",
            purpose=f"{schedule.year}年节假日安排已载入：审核时限重算",
            previous_deadline=case.review_deadline.isoformat(),
            review_deadline=deadline.day.isoformat(),
            provisional=deadline.provisional,
        )
        recomputed.append((updated, case.review_deadline))
    return recomputed


async def sync_schedules(
    uow: Uow, calendar: WorkCalendar, *, book: PolicyBook | None, at: datetime
) -> list[YearSchedule]:
    """Every stored schedule, for the caller to install into ``calendar`` once committed (at
    start, then now and then, so that every replica sees what staff loaded on another). With
    ``book``, the provisional deadlines of the years that became official here are counted
    again (a case this replica opened before it knew the year)."""
    stored = await uow.repos.holiday_schedules.all()
    if book is not None:
        everything = WorkCalendar({s.year: s for s in stored})
        for schedule in stored:
            if calendar.schedules.get(schedule.year) != schedule:
                await recount_provisional(uow, schedule, calendar=everything, book=book, at=at)
    return stored
