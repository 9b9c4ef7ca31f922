"""Working days (工作日) under the Chinese public-holiday calendar.

Every enterprise-subsidy review must finish within 20 working days (seed 004), and an appeal
within its own number of working days (docs/money.md). Working days are
those the State Council's yearly schedule makes working days: weekdays that are not public
holidays, plus the weekend make-up days (调休). The schedule comes from the ``chinesecalendar``
package, which only knows the years already announced. :func:`is_chinese_workday` refuses to
answer for any other year. A review deadline cannot wait for the next year's schedule (cases open
every day in December), so :func:`case_deadline` counts Monday to Friday in an unannounced year
and marks the deadline provisional; staff see the flag, and the package must be upgraded when
the State Council publishes the schedule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import chinese_calendar

# China has one time zone and no daylight saving time: a fixed offset is exact.
CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")

IsWorkday = Callable[[date], bool]


class CalendarNotCovered(LookupError):
    """The holiday calendar has no schedule for the year asked about."""


def is_chinese_workday(day: date) -> bool:
    """Whether ``day`` is a working day in mainland China (make-up working days included)."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError as exc:
        raise CalendarNotCovered(
            f"the holiday calendar (chinesecalendar) has no schedule for {day.year}; "
            "upgrade it once the State Council publishes that year's holidays"
        ) from exc


def calendar_covers(year: int) -> bool:
    """Whether the holiday calendar knows ``year``'s schedule."""
    try:
        chinese_calendar.is_workday(date(year, 7, 1))
    except NotImplementedError:
        return False
    return True


def workday_or_weekday(day: date) -> bool:
    """The official answer where the year is announced; Monday to Friday where it is not."""
    if calendar_covers(day.year):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


@dataclass(frozen=True)
class Deadline:
    day: date
    provisional: bool  # counted with weekdays for a year the calendar does not know yet


def add_working_days(
    start: date, count: int, *, is_workday: IsWorkday = is_chinese_workday
) -> date:
    """The ``count``-th working day after ``start`` (``start`` itself is not counted)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    day, counted = start, 0
    while counted < count:
        day += timedelta(days=1)
        if is_workday(day):
            counted += 1
    return day


def review_deadline(
    opened_at: datetime, working_days: int, *, is_workday: IsWorkday = is_chinese_workday
) -> date:
    """Last day of the review of a case opened at ``opened_at``: ``working_days`` working days
    after the day (in China Standard Time) the case opened."""
    if opened_at.tzinfo is None:
        raise ValueError("opened_at must be timezone-aware")
    opened_on = opened_at.astimezone(CHINA_STANDARD_TIME).date()
    return add_working_days(opened_on, working_days, is_workday=is_workday)


def case_deadline(opened_at: datetime, working_days: int) -> Deadline:
    """The review deadline of a case, provisional where the calendar does not reach it."""
    try:
        return Deadline(review_deadline(opened_at, working_days), provisional=False)
    except CalendarNotCovered:
        day = review_deadline(opened_at, working_days, is_workday=workday_or_weekday)
        return Deadline(day, provisional=True)
