"""Statutory holidays of 《全国年节及纪念日放假办法》 computed for any year, and the yearly
schedule (调休) staff load."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from training_vouchers.domain.holidays import (
    HolidayLawNotCovered,
    statutory_days_off,
    statutory_holidays,
)
from training_vouchers.domain.working_days import (
    Deadline,
    InvalidSchedule,
    WorkCalendar,
    YearSchedule,
    schedule_from_document,
    statutory_workday,
)


def names(year: int) -> dict[str, list[date]]:
    out: dict[str, list[date]] = {}
    for h in statutory_holidays(year):
        out.setdefault(h.name_zh, []).append(h.day)
    return out


class TestTheLaw:
    def test_2025_revision_thirteen_days_spring_festival_four_labour_day_two(self):
        got = names(2025)
        # 春节: 农历除夕、正月初一至初三 (2025: 28 Jan to 31 Jan); 劳动节 1-2 May.
        assert got["春节"] == [
            date(2025, 1, 28),
            date(2025, 1, 29),
            date(2025, 1, 30),
            date(2025, 1, 31),
        ]
        assert got["劳动节"] == [date(2025, 5, 1), date(2025, 5, 2)]
        assert got["清明节"] == [date(2025, 4, 4)]
        assert got["端午节"] == [date(2025, 5, 31)]
        assert got["中秋节"] == [date(2025, 10, 6)]
        assert got["国庆节"] == [date(2025, 10, d) for d in (1, 2, 3)]
        assert len(statutory_holidays(2025)) == 13

    def test_2024_under_the_2013_revision_eleven_days(self):
        got = names(2024)
        assert got["春节"] == [date(2024, 2, 10), date(2024, 2, 11), date(2024, 2, 12)]
        assert got["劳动节"] == [date(2024, 5, 1)]
        assert len(statutory_holidays(2024)) == 11

    @pytest.mark.parametrize(
        ("year", "eve", "qingming", "dragon", "mid_autumn"),
        [
            (2026, date(2026, 2, 16), date(2026, 4, 5), date(2026, 6, 19), date(2026, 9, 25)),
            (2027, date(2027, 2, 5), date(2027, 4, 5), date(2027, 6, 9), date(2027, 9, 15)),
            (2030, date(2030, 2, 2), date(2030, 4, 5), date(2030, 6, 5), date(2030, 9, 12)),
        ],
    )
    def test_lunar_dates_of_later_years(self, year, eve, qingming, dragon, mid_autumn):
        got = names(year)
        assert got["春节"][0] == eve
        assert (got["清明节"], got["端午节"], got["中秋节"]) == ([qingming], [dragon], [mid_autumn])

    def test_a_holiday_on_a_weekend_is_given_back_on_the_next_weekday(self):
        # 2027: 春节 Fri 5 Feb to Mon 8 Feb; Sat 6 and Sun 7 are owed: Tue 9 and Wed 10 Feb.
        off = statutory_days_off(2027)
        assert {date(2027, 2, 5), date(2027, 2, 8), date(2027, 2, 9), date(2027, 2, 10)} <= off
        assert date(2027, 2, 11) not in off
        # 劳动节 2027 is Sat 1 and Sun 2 May: Mon 3 and Tue 4 May.
        assert {date(2027, 5, 3), date(2027, 5, 4)} <= off and date(2027, 5, 5) not in off

    def test_a_year_outside_the_encoded_revisions_is_refused(self):
        with pytest.raises(HolidayLawNotCovered):
            statutory_holidays(2007)

    def test_statutory_days_match_the_official_days_off_of_announced_years(self):
        import chinese_calendar

        for year in (2020, 2024, 2025, 2026):
            for day in statutory_days_off(year):
                assert not chinese_calendar.is_workday(day), day


SCHEDULE_2027 = {
    # An illustrative schedule in the State Council's usual shape (not the real notice).
    "source": "国务院办公厅关于2027年部分节假日安排的通知（示例）",
    "days_off": ["2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10",
                 "2027-02-11", "2027-02-12", "2027-04-05", "2027-05-03", "2027-05-04",
                 "2027-05-05", "2027-06-09", "2027-09-15", "2027-10-01", "2027-10-04",
                 "2027-10-05", "2027-10-06", "2027-10-07"],
    "make_up_workdays": ["2027-02-20", "2027-05-08", "2027-09-26", "2027-10-09"],
}  # fmt: skip


class TestLoadedSchedule:
    def test_a_loaded_schedule_makes_the_year_official(self):
        calendar = WorkCalendar()
        opened = datetime(2026, 12, 25, 2, tzinfo=UTC)  # 10:00 in Beijing
        before = calendar.case_deadline(opened, 20)
        if before.provisional:
            assert before == Deadline(date(2027, 1, 25), provisional=True)
        calendar.load(schedule_from_document(2027, SCHEDULE_2027))
        assert calendar.official(2027)
        assert calendar.case_deadline(opened, 20) == Deadline(date(2027, 1, 25), provisional=False)
        # Across the loaded 春节: opened Mon 1 Feb 2027; 2-4 Feb (3), off 5-14, 15-19 (8), Sat 20
        # make-up (9), then 11 weekdays: 22-26 (14), 1-5 Mar (19), Mon 8 Mar (20).
        assert calendar.case_deadline(datetime(2027, 2, 1, 2, tzinfo=UTC), 20) == Deadline(
            date(2027, 3, 8), provisional=False
        )

    def test_without_the_schedule_the_statutory_count_is_provisional(self):
        calendar = WorkCalendar()
        if calendar.official(2027):
            pytest.skip("the package knows 2027")
        # Mon 1 Feb 2027: 2-4 Feb (3); off 5, 8, 9, 10 (补假); 11-12 (5), 15-19 (10), 22-26 (15),
        # 1-5 Mar (20): Fri 5 Mar, provisional.
        assert calendar.case_deadline(datetime(2027, 2, 1, 2, tzinfo=UTC), 20) == Deadline(
            date(2027, 3, 5), provisional=True
        )

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"make_up_workdays": ["2027-02-22"]}, "make_up_workdays"),  # a Monday
            ({"days_off": ["2028-01-03"]}, "days_off"),  # another year
            ({"days_off": ["2027-02-05"]}, "days_off"),  # 元旦 (a Friday) missing
            ({"days_off": ["not-a-date"]}, "days_off"),
        ],
    )
    def test_a_schedule_that_cannot_be_true_is_refused(self, change, field):
        with pytest.raises(InvalidSchedule) as caught:
            schedule_from_document(2027, SCHEDULE_2027 | change)
        assert caught.value.field == field

    def test_a_day_both_off_and_working_is_refused(self):
        with pytest.raises(InvalidSchedule):
            YearSchedule(
                2027,
                frozenset({date(2027, 1, 1), date(2027, 2, 20)}),
                frozenset({date(2027, 2, 20)}),
                "x",
            )


def test_statutory_workday_is_weekdays_less_the_statutory_days():
    assert statutory_workday(date(2027, 1, 4)) is True  # Monday
    assert statutory_workday(date(2027, 1, 1)) is False  # 元旦
    assert statutory_workday(date(2027, 1, 2)) is False  # Saturday


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_shipped_schedule_files_are_valid_and_agree_with_the_package(year):
    import json
    from pathlib import Path

    import chinese_calendar

    path = Path(__file__).parents[2] / "holiday-schedules" / f"{year}.json"
    schedule = schedule_from_document(year, json.loads(path.read_text(encoding="utf-8")))
    calendar = WorkCalendar({year: schedule})
    day = date(year, 1, 1)
    while day.year == year:
        assert calendar.is_workday(day) == chinese_calendar.is_workday(day), day
        day = date.fromordinal(day.toordinal() + 1)
