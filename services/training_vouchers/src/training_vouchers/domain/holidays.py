"""Statutory public holidays (法定节假日) of 《全国年节及纪念日放假办法》, computed for any year.

Article 2 lists the holidays every citizen has (全体公民放假的节日). Since the fourth revision
(国务院令第795号, 2024-11-10, in force from 2025-01-01) they are 13 days:

    元旦 1 day (1 January); 春节 4 days (农历除夕、正月初一至初三); 清明节 1 day (农历清明当日);
    劳动节 2 days (1 and 2 May); 端午节 1 day (农历五月初五); 中秋节 1 day (农历八月十五);
    国庆节 3 days (1 to 3 October).

The third revision (2013, in force 2014-2024) had 春节 3 days (正月初一至初三) and 劳动节 1 day;
the second (2007, in force 2008-2013) 春节 除夕、初一、初二. Article 6: a holiday of all citizens
that falls on a Saturday or Sunday is given back on a working day (补假).

Lunar dates and the solar term 清明 come from ``lunar_python`` (6tail/lunar, maintained,
tabulated for 1900-2100). What no law fixes is the State Council's yearly schedule (调休: which
weekend days become working days to make longer breaks); a year without a published schedule is
therefore counted from these statutory days and article 6 alone, and marked provisional
(see :mod:`training_vouchers.domain.working_days`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from lunar_python import Lunar

from suxin_common import errors

FIRST_YEAR = 2008  # the 2007 revision; earlier years had other holidays (五一 3 days)
LAST_YEAR = 2099  # lunar_python's tables end in 2100; the next year's 除夕 is needed


class HolidayLawNotCovered(errors.RuleViolation, LookupError):
    """No revision of the law encoded here covers the year (422 naming ``year``)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail, field="year")


@dataclass(frozen=True)
class Holiday:
    day: date
    name_zh: str


def _lunar(year: int, month: int, day: int) -> date:
    s = Lunar.fromYmd(year, month, day).getSolar()
    return date(s.getYear(), s.getMonth(), s.getDay())


def _qingming(year: int) -> date:
    s = Lunar.fromYmd(year, 3, 1).getJieQiTable()["清明"]
    return date(s.getYear(), s.getMonth(), s.getDay())


@lru_cache(maxsize=256)
def statutory_holidays(year: int) -> tuple[Holiday, ...]:
    """The days off every citizen has in ``year`` (Gregorian), in date order."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise HolidayLawNotCovered(f"statutory holidays are encoded for {FIRST_YEAR}-{LAST_YEAR}")
    new_year = _lunar(year, 1, 1)  # 正月初一
    eve = new_year - timedelta(days=1)  # 除夕: the last day of the twelfth month
    if year >= 2025:
        spring = [eve, new_year, new_year + timedelta(days=1), new_year + timedelta(days=2)]
        labour = [date(year, 5, 1), date(year, 5, 2)]
    elif year >= 2014:
        spring = [new_year, new_year + timedelta(days=1), new_year + timedelta(days=2)]
        labour = [date(year, 5, 1)]
    else:
        spring = [eve, new_year, new_year + timedelta(days=1)]
        labour = [date(year, 5, 1)]
    days = [Holiday(date(year, 1, 1), "元旦")]
    days += [Holiday(d, "春节") for d in spring]
    days.append(Holiday(_qingming(year), "清明节"))
    days += [Holiday(d, "劳动节") for d in labour]
    days.append(Holiday(_lunar(year, 5, 5), "端午节"))
    days.append(Holiday(_lunar(year, 8, 15), "中秋节"))
    days += [Holiday(date(year, 10, d), "国庆节") for d in (1, 2, 3)]
    return tuple(sorted(days, key=lambda h: h.day))


@lru_cache(maxsize=256)
def statutory_days_off(year: int) -> frozenset[date]:
    """The weekdays off in ``year`` under the law alone: every statutory holiday on a weekday,
    and for each one on a Saturday or Sunday the next weekday that is not already off (补假,
    article 6). Weekends are off anyway and are not listed."""
    off: set[date] = set()
    owed = 0
    holidays = sorted({h.day for h in statutory_holidays(year)})
    holiday_set = set(holidays)
    for day in holidays:
        if day.weekday() >= 5:
            owed += 1
        else:
            off.add(day)
        # Give back what is owed on the weekdays right after the holiday block.
        nxt = day + timedelta(days=1)
        if owed and nxt not in holiday_set:
            while owed:
                if nxt.weekday() < 5 and nxt not in holiday_set and nxt not in off:
                    off.add(nxt)
                    owed -= 1
                nxt += timedelta(days=1)
    return frozenset(off)
