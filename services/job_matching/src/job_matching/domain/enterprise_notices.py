"""单位消息 (an enterprise's notifications): what an enterprise is told when something that
needs its attention happens — a seeker applied to its post, a worker applied for or withdrew
from its gig, a subsidy case about it was opened or decided. Built from one domain event each
(translated at the consumer edge, ``job_matching.enterprise_notifications``), once per
(enterprise, event); Chinese title and body, and a link to the object in the enterprise's API.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from job_matching.domain.notifications import family_zh


class EnterpriseNoticeKind(StrEnum):
    APPLICATION_RECEIVED = "application_received"
    GIG_APPLICATION_CHANGED = "gig_application_changed"
    SUBSIDY_CASE_OPENED = "subsidy_case_opened"
    SUBSIDY_CASE_DECIDED = "subsidy_case_decided"
    DEADLINE_REMINDER = "deadline_reminder"


@dataclass(frozen=True)
class EnterpriseNotice:
    enterprise_uscc: str
    event_id: str
    kind: EnterpriseNoticeKind
    title: str
    body: str
    service: str
    link: str
    occurred_at: datetime


def application_received(
    *, uscc: str, event_id: str, application_id: str, job_post_id: str, at: datetime
) -> EnterpriseNotice:
    return EnterpriseNotice(
        enterprise_uscc=uscc,
        event_id=event_id,
        kind=EnterpriseNoticeKind.APPLICATION_RECEIVED,
        title="收到新的求职申请",
        body="您发布的岗位收到一份新的求职申请，请及时处理。",
        service="job-matching",
        link=f"/v1/job-posts/{job_post_id}/applications",
        occurred_at=at,
    )


# The poster is told when a worker acts: applies (or accepts an invitation) or withdraws.
GIG_POSTER_NOTICES = {
    "applied": ("零工报名", "有劳动者报名了您发布的零工“{title}”，请确认或婉拒。"),
    "withdrawn": ("零工报名撤回", "一位劳动者撤回了零工“{title}”的报名。"),
    "declined": ("零工邀约被谢绝", "一位受邀劳动者谢绝了零工“{title}”的邀约。"),
}


def gig_application_changed(
    *,
    uscc: str,
    event_id: str,
    posting_id: str,
    status: str,
    invited: bool,
    title: str,
    at: datetime,
) -> EnterpriseNotice | None:
    if status == "declined" and not invited:
        return None  # the poster declined it themselves
    text = GIG_POSTER_NOTICES.get(status)
    if text is None:
        return None
    return EnterpriseNotice(
        enterprise_uscc=uscc,
        event_id=event_id,
        kind=EnterpriseNoticeKind.GIG_APPLICATION_CHANGED,
        title=text[0],
        body=text[1].format(title=title),
        service="gig-market",
        link=f"/v1/gig-postings/{posting_id}/applications",
        occurred_at=at,
    )


def subsidy_case_opened(
    *, uscc: str, event_id: str, case_id: str, family: str, amount_fen: int, at: datetime
) -> EnterpriseNotice:
    return EnterpriseNotice(
        enterprise_uscc=uscc,
        event_id=event_id,
        kind=EnterpriseNoticeKind.SUBSIDY_CASE_OPENED,
        title="补贴案件已立案",
        body=f"贵单位的{family_zh(family)}已立案（免申即享），"
        f"金额 {amount_fen // 100}.{amount_fen % 100:02d} 元，审核结果将另行通知。",
        service="training-vouchers",
        link=f"/v1/subsidy-cases/{case_id}",
        occurred_at=at,
    )


def subsidy_case_decided(
    *, uscc: str, event_id: str, case_id: str, family: str, approved: bool, at: datetime
) -> EnterpriseNotice:
    outcome = "审核通过" if approved else "未通过审核"
    return EnterpriseNotice(
        enterprise_uscc=uscc,
        event_id=event_id,
        kind=EnterpriseNoticeKind.SUBSIDY_CASE_DECIDED,
        title=f"补贴{outcome}",
        body=f"贵单位的{family_zh(family)}{outcome}，详情请查看案件。",
        service="training-vouchers",
        link=f"/v1/subsidy-cases/{case_id}",
        occurred_at=at,
    )
