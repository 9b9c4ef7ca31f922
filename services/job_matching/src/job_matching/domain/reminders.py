"""到期提醒 (deadline reminders): a notice before a deadline that needs the reader's action,
written by the periodic sweep (``job_matching.reminders``), not built from an event.

One reminder per (recipient, object, deadline): its key (``reminder_key``) takes the inbox's
event-id column, whose uniqueness per recipient makes a second sweep, a restart or a second
replica add nothing; a moved deadline is a new deadline and reminds again.

Deadlines the data of this service actually holds, and the action that ends each:

- 招聘会 a seeker registered for (``job_fairs.starts_on``): come and check in
  (``job_fair_registrations.checked_in_at``); reminded from ``lead_days`` before the first day
  until the last day, while the fair is scheduled and the seeker has not checked in.
- 招聘会 booth showing no open post (every post of ``job_fair_booths.job_post_ids`` closed or
  filled): the enterprise puts an open post on it before the fair; same window.

Not reminded, because the data has no deadline (nothing is invented here): a job offer
(``applications.status = 'offered'``) and a 苏畅卡 offer (talent-card ``card_offers``) have no
expiry; a card's ``valid_until`` (renewal) lives in talent-card and reaches this service only
inside CardIssued, which the inbox consumer does not keep; subsidy application windows are not
modelled by any service.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from job_matching.domain.enterprise_notices import EnterpriseNotice, EnterpriseNoticeKind
from job_matching.domain.notifications import Notice, NoticeKind

MODE_ZH = {"online": "线上", "onsite": "现场"}


def reminder_key(object_kind: str, object_id: Any, deadline: date) -> str:
    """The reminder's identity in the inbox: one per recipient, object and deadline."""
    return f"reminder:{object_kind}:{object_id}:{deadline.isoformat()}"


def in_window(today: date, starts_on: date, ends_on: date, lead_days: int) -> bool:
    """From ``lead_days`` before the first day until the last day."""
    return starts_on.toordinal() - lead_days <= today.toordinal() <= ends_on.toordinal()


def _when(starts_on: date, today: date) -> str:
    days = (starts_on - today).days
    if days <= 0:
        return "今天起举办"
    if days == 1:
        return "明天开幕"
    return f"{days}天后开幕"


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def fair_registration_reminder(
    *,
    person_key: str,
    registration_id: Any,
    fair_id: Any,
    fair_name: str,
    mode: str,
    starts_on: date,
    today: date,
    at: datetime,
) -> Notice:
    how = (
        "请在举办期间进入线上会场并签到。"
        if mode == "online"
        else "请按时到场，凭报名码在入口签到。"
    )
    return Notice(
        person_key=person_key,
        event_id=reminder_key("job-fair-registration", registration_id, starts_on),
        kind=NoticeKind.DEADLINE_REMINDER,
        title=f"招聘会提醒：{fair_name}{_when(starts_on, today)}",
        body=f"您报名的{MODE_ZH.get(mode, '')}招聘会「{fair_name}」于{_day(starts_on)}开幕，{how}",
        service="job-matching",
        link=f"/v1/me/job-fair-registrations/{registration_id}",
        occurred_at=at,
    )


def fair_booth_reminder(
    *,
    enterprise_uscc: str,
    fair_id: Any,
    fair_name: str,
    starts_on: date,
    today: date,
    at: datetime,
) -> EnterpriseNotice:
    return EnterpriseNotice(
        enterprise_uscc=enterprise_uscc,
        event_id=reminder_key("job-fair-booth", fair_id, starts_on),
        kind=EnterpriseNoticeKind.DEADLINE_REMINDER,
        title=f"展位提醒：{fair_name}{_when(starts_on, today)}",
        body=(
            f"贵单位在招聘会「{fair_name}」（{_day(starts_on)}开幕）的展位目前没有在招岗位，"
            "请在开幕前为展位添加在招岗位。"
        ),
        service="job-matching",
        link=f"/v1/job-fairs/{fair_id}/booth",
        occurred_at=at,
    )
