"""Review deadlines: 20 working days under the Chinese public-holiday calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from suxin_common.working_days import (
    CalendarNotCovered,
    Deadline,
    add_working_days,
    calendar_covers,
    case_deadline,
    is_chinese_workday,
    review_deadline,
)

CST = timezone(timedelta(hours=8))


def cst(*args: int) -> datetime:
    return datetime(*args, tzinfo=CST)


class TestChineseWorkdays:
    @pytest.mark.parametrize(
        ("day", "workday"),
        [
            (date(2025, 9, 28), True),  # Sunday, make-up working day (调休) for National Day
            (date(2025, 10, 1), False),  # National Day
            (date(2025, 10, 8), False),  # Wednesday, still in the National Day holiday
            (date(2025, 10, 11), True),  # Saturday, make-up working day
            (date(2026, 2, 14), True),  # Saturday, make-up working day for Spring Festival
            (date(2026, 2, 17), False),  # Spring Festival (Tuesday)
            (date(2026, 2, 28), True),  # Saturday, make-up working day
            (date(2025, 11, 8), False),  # an ordinary Saturday
        ],
    )
    def test_holidays_and_make_up_days(self, day, workday):
        assert is_chinese_workday(day) is workday

    @pytest.mark.parametrize("day", [date(2099, 3, 2), date(2003, 3, 3)])
    def test_a_year_the_calendar_does_not_know_is_refused(self, day):
        with pytest.raises(CalendarNotCovered, match=str(day.year)):
            is_chinese_workday(day)


class TestReviewDeadline:
    def test_plain_weeks_count_weekdays(self):
        # Monday 3 Nov 2025 + 20 working days, no holiday on the way: four weeks later.
        assert review_deadline(cst(2025, 11, 3, 9), 20) == date(2025, 12, 1)

    def test_across_national_day_2025(self):
        # Opened Friday 26 Sep. Counted: Sun 28 Sep (调休), 29-30 Sep; 1-8 Oct off; 9-10 Oct,
        # Sat 11 Oct (调休), then weekdays to Thursday 30 Oct. Weekdays alone would give 24 Oct.
        assert review_deadline(cst(2025, 9, 26, 10), 20) == date(2025, 10, 30)

    def test_opened_during_the_holiday(self):
        # Opened on 3 Oct: counting starts at the first working day, 9 Oct.
        assert review_deadline(cst(2025, 10, 3, 10), 20) == date(2025, 11, 4)

    def test_across_spring_festival_2026(self):
        # Opened Tuesday 10 Feb. Counted: 11-13 Feb, Sat 14 Feb (调休); 15-23 Feb off; 24-27 Feb,
        # Sat 28 Feb (调休), then weekdays to Monday 16 Mar.
        assert review_deadline(cst(2026, 2, 10, 10), 20) == date(2026, 3, 16)

    def test_the_day_is_the_day_in_china(self):
        # 16:30 UTC on 25 Sep is already 26 Sep in Beijing; 15:59 UTC is still 25 Sep.
        assert review_deadline(datetime(2025, 9, 25, 16, 30, tzinfo=UTC), 20) == date(2025, 10, 30)
        assert review_deadline(datetime(2025, 9, 25, 15, 59, tzinfo=UTC), 20) == date(2025, 10, 29)

    def test_a_deadline_in_an_unknown_year_is_refused_not_guessed(self):
        with pytest.raises(CalendarNotCovered):
            review_deadline(cst(2099, 3, 2, 10), 20)


class TestCaseDeadline:
    def test_an_announced_year_gives_a_firm_deadline(self):
        assert case_deadline(cst(2025, 9, 26, 10), 20) == Deadline(
            date(2025, 10, 30), provisional=False
        )

    def test_a_deadline_in_an_unannounced_year_counts_weekdays_and_says_so(self):
        # Monday 2 March 2099: twenty weekdays later is Monday 30 March.
        assert case_deadline(cst(2099, 3, 2, 10), 20) == Deadline(
            date(2099, 3, 30), provisional=True
        )

    def test_the_announced_part_of_a_span_keeps_its_holidays(self):
        # Opened Friday 25 Dec 2026 (covered) running into 2027 (not yet announced, at the time
        # of writing): 2026's days follow the calendar, 2027's count Monday to Friday.
        deadline = case_deadline(cst(2026, 12, 25, 10), 20)
        if calendar_covers(2027):
            assert deadline.provisional is False
        else:
            # 28-31 Dec (4, with 1 Jan 2027 a Friday counted as a weekday), then 15 weekdays.
            assert deadline == Deadline(date(2027, 1, 22), provisional=True)

    def test_a_naive_time_is_refused(self):
        with pytest.raises(ValueError, match="timezone"):
            review_deadline(datetime(2025, 9, 26, 10), 20)


class TestAddWorkingDays:
    def test_counts_with_the_calendar_it_is_given(self):
        every_day = lambda day: True  # noqa: E731
        assert add_working_days(date(2025, 12, 30), 3, is_workday=every_day) == date(2026, 1, 2)

    def test_at_least_one_day(self):
        with pytest.raises(ValueError):
            add_working_days(date(2025, 12, 30), 0)
