"""Job fairs (招聘会): online and on-site fairs with dates, venue or link and a 专场 theme;
booths where enterprises show their posts; seekers register and check in.

Seeds 003 and 004 ask for them: online and on-site fairs for graduates, 专场 for women, disabled
people and veterans, and at least 100 专精特新 fairs a year. HRSS staff organise a fair and
record it as held once it is over, with its counts; the monitor counts held fairs against the
targets. Pure code: no I/O.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class FairMode(StrEnum):
    ONLINE = "online"  # 线上（网络招聘会、直播带岗）
    ONSITE = "onsite"  # 线下（现场招聘会）


class FairTheme(StrEnum):
    """专场: whom the fair is for (综合 when for everyone)."""

    GENERAL = "general"  # 综合
    GRADUATES = "graduates"  # 高校毕业生专场
    WOMEN = "women"  # 女性专场
    DISABLED = "disabled"  # 残疾人专场
    VETERANS = "veterans"  # 退役军人专场
    SPECIALIZED_SME = "specialized_sme"  # 专精特新企业专场
    DIGITAL_ECONOMY = "digital_economy"  # 数字经济专场
    MIGRANT_WORKERS = "migrant_workers"  # 农民工专场（春风行动）


THEME_ZH = {
    FairTheme.GENERAL: "综合",
    FairTheme.GRADUATES: "高校毕业生专场",
    FairTheme.WOMEN: "女性专场",
    FairTheme.DISABLED: "残疾人专场",
    FairTheme.VETERANS: "退役军人专场",
    FairTheme.SPECIALIZED_SME: "专精特新企业专场",
    FairTheme.DIGITAL_ECONOMY: "数字经济专场",
    FairTheme.MIGRANT_WORKERS: "农民工专场",
}


class FairStatus(StrEnum):
    SCHEDULED = "scheduled"  # 已发布，未结束
    HELD = "held"  # 已举办（经办人员登记结束，计入监测）
    CANCELLED = "cancelled"  # 已取消


class FairRuleBroken(Exception):
    """A request the fair's rules refuse; ``code`` is the problem slug, ``field`` the input at
    fault when there is one (then a 422, else a 409)."""

    def __init__(self, message: str, code: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.field = field


@dataclass(frozen=True)
class JobFair:
    id: uuid.UUID
    name: str
    mode: FairMode
    theme: FairTheme
    city_code: str
    district_code: str | None
    starts_on: date
    ends_on: date
    venue: str | None  # on-site: the address
    link: str | None  # online: where to join
    status: FairStatus
    version: int
    created_at: datetime

    @property
    def division(self) -> str:
        return self.district_code or self.city_code


def check_fair(
    mode: FairMode,
    city_code: str,
    district_code: str | None,
    starts_on: date,
    ends_on: date,
    venue: str | None,
    link: str | None,
    today: date,
) -> None:
    if district_code is not None and not district_code.startswith(city_code):
        raise FairRuleBroken("district_code is not in city_code", "invalid", "district_code")
    if ends_on < starts_on:
        raise FairRuleBroken("ends_on is before starts_on", "invalid", "ends_on")
    if ends_on < today:
        raise FairRuleBroken("ends_on is in the past", "invalid", "ends_on")
    if mode is FairMode.ONSITE and not venue:
        raise FairRuleBroken("an on-site fair needs its venue", "invalid", "venue")
    if mode is FairMode.ONLINE and not link:
        raise FairRuleBroken("an online fair needs its link", "invalid", "link")


def check_taking_part(fair: JobFair, today: date) -> None:
    """Booths are set up and seekers register while the fair is scheduled and not over."""
    if fair.status is not FairStatus.SCHEDULED or fair.ends_on < today:
        raise FairRuleBroken("the fair is over or cancelled", "fair-closed")


def check_check_in(fair: JobFair, today: date, *, self_service: bool) -> None:
    """Check-in happens on the fair's days; a seeker checks in by themselves only online (on
    site, the organiser checks the registration code at the door)."""
    if fair.status is not FairStatus.SCHEDULED:
        raise FairRuleBroken("the fair is over or cancelled", "fair-closed")
    if not fair.starts_on <= today <= fair.ends_on:
        raise FairRuleBroken("check-in is on the fair's days", "not-fair-day")
    if self_service and fair.mode is not FairMode.ONLINE:
        raise FairRuleBroken(
            "at an on-site fair the organiser checks the code at the door", "check-in-on-site"
        )


def check_booth(fair: JobFair, in_specialized_zone: bool) -> None:
    """A 专精特新 专场 takes only 专精特新 (and 小巨人) enterprises."""
    if fair.theme is FairTheme.SPECIALIZED_SME and not in_specialized_zone:
        raise FairRuleBroken(
            "a 专精特新 fair takes only 专精特新 and 小巨人 enterprises", "not-specialized"
        )


def check_held(fair: JobFair, today: date) -> None:
    """A fair is recorded as held once its last day has begun, and only once."""
    if fair.status is not FairStatus.SCHEDULED:
        raise FairRuleBroken(f"the fair is already {fair.status.value}", "transition-not-allowed")
    if today < fair.ends_on:
        raise FairRuleBroken("the fair has not reached its last day", "not-over")


def registration_code() -> str:
    """The code a registered seeker shows at the door (8 characters, no look-alikes)."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))
