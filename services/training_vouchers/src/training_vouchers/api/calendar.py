"""Holiday schedules (节假日安排) and working days: staff load the State Council's schedule of a
year from its file (YAML or JSON: ``source``, ``days_off``, ``make_up_workdays``); anyone may
read a year's working-day calendar and count a deadline.

    PUT /v1/holiday-schedules/2027   (staff)  -> provisional deadlines into 2027 are recounted
    GET /v1/holiday-schedules/2027             -> statutory holidays, days off, official or not
    GET /v1/working-days/deadline?from=2026-12-25&working_days=20
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from suxin_common.auth import CurrentPrincipal, Role, require_roles
from suxin_common.web import Forbidden, Unprocessable
from training_vouchers.api.deps import TrainingVouchersDeps
from training_vouchers.api.schemas import Input
from training_vouchers.domain.holidays import (
    FIRST_YEAR,
    LAST_YEAR,
    statutory_days_off,
    statutory_holidays,
)
from training_vouchers.domain.working_days import CALENDAR, YearSchedule
from training_vouchers.handlers import calendar as calendar_handlers

router = APIRouter(prefix="/v1", tags=["working days"])
STAFF = Depends(require_roles(Role.HRSS_STAFF))
ANYONE = Depends(require_roles(*Role))
Year = Annotated[int, Path(ge=FIRST_YEAR, le=LAST_YEAR)]


class ScheduleIn(Input):
    source: str = Field(
        min_length=1, max_length=200, description="the notice, e.g. 国办发明电〔…〕…号"
    )
    days_off: list[date] = Field(max_length=60, description="weekdays off (holidays, 调休)")
    make_up_workdays: list[date] = Field(default_factory=list, max_length=20)


class ScheduleLoadedOut(BaseModel):
    year: int
    version: int
    cases_recomputed: list[dict]


class YearCalendarOut(BaseModel):
    year: int
    official: bool = Field(description="an official schedule is known (loaded or packaged)")
    source: str | None
    statutory_holidays: list[dict]
    weekdays_off: list[date] = Field(description="weekdays that are not working days")
    make_up_workdays: list[date]


class DeadlineOut(BaseModel):
    start: date
    working_days: int
    deadline: date
    provisional: bool


@router.put("/holiday-schedules/{year}", response_model=ScheduleLoadedOut, dependencies=[STAFF])
async def load_schedule(
    year: Year, body: ScheduleIn, principal: CurrentPrincipal, deps: TrainingVouchersDeps
):
    """Load (or correct) the State Council's holiday schedule of ``year`` (province-level staff:
    the schedule is national). Every open case whose provisional review deadline runs into that
    year is counted again and announced."""
    if principal.district_scope() is not None:
        raise Forbidden("Public holidays are loaded by province-level staff only.")
    schedule = YearSchedule(  # a contradictory schedule: InvalidSchedule, 422 naming its field
        year, frozenset(body.days_off), frozenset(body.make_up_workdays), body.source
    )
    async with deps.uow() as uow:
        loaded = await calendar_handlers.load_holiday_schedule(
            uow,
            schedule,
            calendar=CALENDAR,
            book=deps.book,
            at=datetime.now(UTC),
            by=principal.subject,
            principal=principal,
        )
        await uow.commit()
    CALENDAR.load(schedule)
    return ScheduleLoadedOut(
        year=year,
        version=loaded.version,
        cases_recomputed=[
            {
                "case_id": str(case.id),
                "previous_deadline": previous,
                "review_deadline": case.review_deadline,
                "provisional": case.review_deadline_provisional,
            }
            for case, previous in loaded.recomputed
        ],
    )


@router.get("/holiday-schedules/{year}", response_model=YearCalendarOut, dependencies=[ANYONE])
async def year_calendar(year: Year):
    """A year's statutory holidays and weekdays off: official where the schedule is known,
    else computed from the law (provisional)."""
    holidays = statutory_holidays(year)  # outside the law encoded: 422 naming ``year``
    schedule = CALENDAR.schedules.get(year)
    official = CALENDAR.official(year)
    if official:
        off = [d for d in _days(year) if d.weekday() < 5 and not CALENDAR.is_official_workday(d)]
        make_up = [d for d in _days(year) if d.weekday() >= 5 and CALENDAR.is_official_workday(d)]
    else:
        off, make_up = sorted(statutory_days_off(year)), []
    return YearCalendarOut(
        year=year,
        official=official,
        source=schedule.source if schedule else ("chinesecalendar" if official else None),
        statutory_holidays=[{"date": h.day, "name_zh": h.name_zh} for h in holidays],
        weekdays_off=off,
        make_up_workdays=make_up,
    )


@router.get("/working-days/deadline", response_model=DeadlineOut, dependencies=[ANYONE])
async def count_deadline(
    start: Annotated[date, Query(alias="from")],
    working_days: Annotated[int, Query(ge=1, le=250)] = 20,
):
    """The ``working_days``-th working day after ``from`` (20 for a subsidy review)."""
    if not FIRST_YEAR <= start.year <= LAST_YEAR - 2:
        raise Unprocessable(f"from must lie in {FIRST_YEAR}-{LAST_YEAR - 2}", field="from")
    deadline = CALENDAR.add_working_days(start, working_days)
    return DeadlineOut(
        start=start,
        working_days=working_days,
        deadline=deadline.day,
        provisional=deadline.provisional,
    )


def _days(year: int) -> list[date]:
    first = date(year, 1, 1).toordinal()
    return [date.fromordinal(n) for n in range(first, date(year, 12, 31).toordinal() + 1)]
