"""Working days (工作日) under the Chinese public-holiday calendar, for any year.

Every enterprise-subsidy review must finish within 20 working days (seed 004: "确保在20个工作日内
完成各类涉企补贴审核"). Working days are those the State Council's yearly schedule makes working
days: weekdays that are not public holidays, plus the weekend make-up days (调休).

Where a year's official schedule is known it decides, in this order: a schedule staff loaded
(:class:`YearSchedule`, from a file of the State Council's notice, ``PUT /v1/holiday-schedules``),
else the ``chinesecalendar`` package (which ships the years already announced). A year with
neither is counted from the statutory holidays of 《全国年节及纪念日放假办法》
(:mod:`training_vouchers.domain.holidays`: fixed and lunar dates, and 补假 for a holiday on a
weekend) and every deadline that runs into it is *provisional*; when that year's schedule is
loaded, provisional deadlines are computed again and the change is announced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

import chinese_calendar

from suxin_common import errors
from training_vouchers.domain.holidays import (
    HolidayLawNotCovered,
    statutory_days_off,
    statutory_holidays,
)

# China has one time zone and no daylight saving time: a fixed offset is exact.
CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")

IsWorkday = Callable[[date], bool]


class CalendarNotCovered(LookupError):
    """No official schedule is known for the year asked about."""


class InvalidSchedule(errors.RuleViolation, ValueError):
    """A year's schedule contradicts itself (e.g. a day both off and a working day); 422
    naming ``field``."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message, field=field)


@dataclass(frozen=True)
class YearSchedule:
    """The State Council's published holiday schedule of one year (国务院办公厅关于…年部分节假日
    安排的通知): the days off that would otherwise be working days (holidays and days given in
    lieu, weekends inside a break need not be listed) and the weekend days made working days."""

    year: int
    days_off: frozenset[date]
    make_up_workdays: frozenset[date]
    source: str  # the notice, e.g. 国办发明电〔2025〕7号

    def __post_init__(self) -> None:
        for name, days in (
            ("days_off", self.days_off),
            ("make_up_workdays", self.make_up_workdays),
        ):
            wrong = sorted(d for d in days if d.year != self.year)
            if wrong:
                raise InvalidSchedule(f"{wrong[0]} is not in {self.year}", name)
        both = self.days_off & self.make_up_workdays
        if both:
            raise InvalidSchedule(f"{min(both)} is both a day off and a working day", "days_off")
        weekdays = sorted(d for d in self.make_up_workdays if d.weekday() < 5)
        if weekdays:
            raise InvalidSchedule(
                f"{weekdays[0]} is a weekday, not a make-up day", "make_up_workdays"
            )
        # Every statutory holiday on a weekday is off in any schedule; only the days given in
        # lieu and the make-up days are the State Council's to choose.
        named = {h.day for h in statutory_holidays(self.year) if h.day.weekday() < 5}
        missing = sorted(named - self.days_off)
        if missing:
            raise InvalidSchedule(f"the statutory holiday {missing[0]} is not off", "days_off")

    def is_workday(self, day: date) -> bool:
        if day in self.make_up_workdays:
            return True
        if day in self.days_off:
            return False
        return day.weekday() < 5


def _package_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 7, 1))
    except NotImplementedError:
        return False
    return True


@dataclass(frozen=True)
class Deadline:
    day: date
    provisional: bool  # counted from the statutory holidays for a year with no official schedule


@dataclass
class WorkCalendar:
    """Working days: official where a schedule is known, statutory (provisional) elsewhere."""

    schedules: dict[int, YearSchedule] = field(default_factory=dict)

    def load(self, schedule: YearSchedule) -> None:
        self.schedules[schedule.year] = schedule

    def replace_all(self, schedules: Iterable[YearSchedule]) -> None:
        self.schedules = {s.year: s for s in schedules}

    def official(self, year: int) -> bool:
        return year in self.schedules or _package_covers(year)

    def is_official_workday(self, day: date) -> bool:
        """The official answer; raises :class:`CalendarNotCovered` for an unannounced year."""
        if day.year in self.schedules:
            return self.schedules[day.year].is_workday(day)
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError as exc:
            raise CalendarNotCovered(
                f"no official holiday schedule for {day.year}: load the State Council's "
                "notice for that year (PUT /v1/holiday-schedules/{year})"
            ) from exc

    def is_workday(self, day: date) -> bool:
        """Official where known; else the statutory holidays with 补假 (provisional)."""
        if self.official(day.year):
            return self.is_official_workday(day)
        return statutory_workday(day)

    def add_working_days(self, start: date, count: int) -> Deadline:
        day = add_working_days(start, count, is_workday=self.is_workday)
        provisional = any(not self.official(y) for y in range(start.year, day.year + 1))
        return Deadline(day, provisional)

    def case_deadline(self, opened_at: datetime, working_days: int) -> Deadline:
        return self.add_working_days(china_date(opened_at), working_days)


def statutory_workday(day: date) -> bool:
    """Monday to Friday less the statutory holidays and the days given in lieu (补假)."""
    try:
        off = statutory_days_off(day.year)
    except HolidayLawNotCovered:
        off = frozenset()
    return day.weekday() < 5 and day not in off


# The calendar of this process: the packaged years plus the schedules staff loaded (the app
# fills it from the database at start and on every load).
CALENDAR = WorkCalendar()


def china_date(at: datetime) -> date:
    if at.tzinfo is None:
        raise ValueError("opened_at must be timezone-aware")
    return at.astimezone(CHINA_STANDARD_TIME).date()


def is_chinese_workday(day: date) -> bool:
    """Whether ``day`` is a working day in mainland China (make-up working days included);
    raises :class:`CalendarNotCovered` for a year with no official schedule."""
    return CALENDAR.is_official_workday(day)


def calendar_covers(year: int) -> bool:
    """Whether an official schedule of ``year`` is known."""
    return CALENDAR.official(year)


def workday_or_statutory(day: date) -> bool:
    """The official answer where the year is announced; the statutory holidays where not."""
    return CALENDAR.is_workday(day)


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
    return add_working_days(china_date(opened_at), working_days, is_workday=is_workday)


def case_deadline(opened_at: datetime, working_days: int) -> Deadline:
    """The review deadline of a case, provisional where no official schedule reaches it."""
    return CALENDAR.case_deadline(opened_at, working_days)


def schedule_from_document(year: int, document: Mapping) -> YearSchedule:
    """A :class:`YearSchedule` from its file/JSON form (``days_off``, ``make_up_workdays``
    as lists of ISO dates, ``source``)."""

    def days(name: str) -> frozenset[date]:
        try:
            return frozenset(
                d if isinstance(d, date) else date.fromisoformat(str(d))
                for d in document.get(name) or []
            )
        except ValueError as exc:
            raise InvalidSchedule(str(exc), name) from None

    return YearSchedule(
        year=year,
        days_off=days("days_off"),
        make_up_workdays=days("make_up_workdays"),
        source=str(document.get("source") or ""),
    )
