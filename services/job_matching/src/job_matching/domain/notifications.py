"""站内消息 (notifications): what a person is told when something concerning them happens.

Each notice is built from one domain event of another context (after translation at the
consumer edge, see ``job_matching.notifications``): a Chinese title and body, and a link to the
object in the person's "我的" API of the service that holds it. One notice per (person, event).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class NoticeKind(StrEnum):
    SUBSIDY_CASE_OPENED = "subsidy_case_opened"
    SUBSIDY_CASE_DECIDED = "subsidy_case_decided"
    CLAIM_STAGE_CHANGED = "claim_stage_changed"
    CARD_ISSUED = "card_issued"
    HIRE_CONFIRMED = "hire_confirmed"
    GIG_APPLICATION_CHANGED = "gig_application_changed"
    DEADLINE_REMINDER = "deadline_reminder"


@dataclass(frozen=True)
class Notice:
    person_key: str
    event_id: str
    kind: NoticeKind
    title: str
    body: str
    service: str
    link: str
    occurred_at: datetime


# Subsidy families (rule_family of the policy book) as a person reads them.
FAMILY_ZH = {
    "hiring_absorption": "吸纳就业补贴",
    "internship": "就业见习补贴",
    "maternity_social_insurance": "产假期间社保补贴",
    "job_stabilisation": "失业保险稳岗返还",
    "job_search": "一次性求职补贴",
    "startup_loan": "创业担保贷款贴息",
    "flexible_employment_insurance": "灵活就业人员社会保险补贴",
}


def family_zh(family: str) -> str:
    return FAMILY_ZH.get(family, family or "就业补贴")


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def subsidy_case_opened(
    *, person_key: str, event_id: str, case_id: str, family: str, awaiting_data: bool, at: datetime
) -> Notice:
    waiting = "，待社保等数据到齐后开始审核" if awaiting_data else "，已进入审核"
    return Notice(
        person_key=person_key,
        event_id=event_id,
        kind=NoticeKind.SUBSIDY_CASE_OPENED,
        title="补贴案件已立案",
        body=f"与您有关的补贴（{family_zh(family)}）已立案{waiting}。",
        service="training-vouchers",
        link=f"/v1/me/subsidy-cases/{case_id}",
        occurred_at=at,
    )


def subsidy_case_decided(
    *, person_key: str, event_id: str, case_id: str, family: str, approved: bool, at: datetime
) -> Notice:
    outcome = "审核通过" if approved else "未通过审核"
    return Notice(
        person_key=person_key,
        event_id=event_id,
        kind=NoticeKind.SUBSIDY_CASE_DECIDED,
        title=f"补贴{outcome}",
        body=f"与您有关的补贴（{family_zh(family)}）{outcome}，详情请查看案件。",
        service="training-vouchers",
        link=f"/v1/me/subsidy-cases/{case_id}",
        occurred_at=at,
    )


CLAIM_STAGE_ZH = {
    "reported": "已报案",
    "under_review": "已受理，审核中",
    "approved": "已认定",
    "rejected": "不予认定",
    "paid": "已支付",
}


def claim_stage_changed(
    *,
    person_key: str,
    event_id: str,
    claim_id: str,
    stage: str,
    amount_fen: int,
    reason: str,
    at: datetime,
) -> Notice:
    body = f"您的职业伤害保障理赔{CLAIM_STAGE_ZH.get(stage, stage)}。"
    if stage in ("approved", "paid") and amount_fen:
        body += f"金额 {_yuan(amount_fen)} 元。"
    if stage == "rejected" and reason:
        body += f"理由：{reason}"
    return Notice(
        person_key=person_key,
        event_id=event_id,
        kind=NoticeKind.CLAIM_STAGE_CHANGED,
        title=f"理赔进度：{CLAIM_STAGE_ZH.get(stage, stage)}",
        body=body,
        service="injury-insurance",
        link=f"/v1/me/claims/{claim_id}",
        occurred_at=at,
    )


def card_issued(
    *, person_key: str, event_id: str, card_id: str, level: str, proactive: bool, at: datetime
) -> Notice:
    how = "（政策找人，主动发放）" if proactive else ""
    return Notice(
        person_key=person_key,
        event_id=event_id,
        kind=NoticeKind.CARD_ISSUED,
        title="苏畅卡已发放",
        body=f"您的{level}类苏畅卡已发放{how}，可在“我的苏畅卡”查看权益。",
        service="talent-card",
        link=f"/v1/me/talent-cards/{card_id}",
        occurred_at=at,
    )


def hire_confirmed(*, person_key: str, event_id: str, hire_id: str, at: datetime) -> Notice:
    return Notice(
        person_key=person_key,
        event_id=event_id,
        kind=NoticeKind.HIRE_CONFIRMED,
        title="录用已确认",
        body="您的录用已确认，就业记录已更新。",
        service="job-matching",
        link="/v1/me/hires",
        occurred_at=at,
    )


# What a worker is told about a gig application; statuses the worker set themselves (applied,
# withdrawn, or declining an invitation) need no notice.
GIG_WORKER_NOTICES = {
    "invited": ("零工邀约", "用工方邀请您参加零工“{title}”，请在“我的零工”中接受或谢绝。"),
    "confirmed": ("零工已确认", "您报名的零工“{title}”已被用工方确认，请按时到岗。"),
    "declined": ("零工未录用", "很遗憾，您报名的零工“{title}”未被用工方录用。"),
    "completed": ("零工已完工", "零工“{title}”已由用工方确认完工。"),
}


def gig_application_changed(
    *,
    person_key: str,
    event_id: str,
    application_id: str,
    status: str,
    invited: bool,
    title: str,
    at: datetime,
) -> Notice | None:
    if status == "declined" and invited:
        return None  # the worker declined the invitation themselves
    text = GIG_WORKER_NOTICES.get(status)
    if text is None:
        return None
    return Notice(
        person_key=person_key,
        event_id=event_id,
        kind=NoticeKind.GIG_APPLICATION_CHANGED,
        title=text[0],
        body=text[1].format(title=title),
        service="gig-market",
        link=f"/v1/me/gig-applications/{application_id}",
        occurred_at=at,
    )
