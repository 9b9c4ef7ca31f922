"""What every event family's mapping shares: proto enum names, dates in China Standard Time
(UTC+8), and the checks that make a malformed event a poison message.
"""

from __future__ import annotations

import functools
import uuid
from datetime import UTC, date, datetime, timedelta

from google.protobuf.timestamp_pb2 import Timestamp

from suxin.common.v1 import common_pb2 as common
from suxin.gig.v1 import events_pb2 as gig
from suxin.hiring.v1 import events_pb2 as hiring
from suxin.insurance.v1 import events_pb2 as insurance
from suxin.subsidy.v1 import events_pb2 as subsidy
from suxin.talent.v1 import events_pb2 as talent
from suxin.training.v1 import events_pb2 as training
from suxin_common.messaging.runner import PoisonMessage

_CST_OFFSET_S = 8 * 3600
_EPOCH = date(1970, 1, 1)


def _names(enum, prefix: str) -> dict[int, str]:
    return {v.number: v.name.removeprefix(prefix).lower() for v in enum.DESCRIPTOR.values}


KEY_GROUPS = _names(hiring.KeyGroup, "KEY_GROUP_")
EDUCATION = _names(hiring.Education, "EDUCATION_")
GENDER = _names(hiring.Gender, "GENDER_")
JOB_KIND = _names(hiring.JobKind, "JOB_KIND_")
SEPARATION = _names(hiring.SeparationReason, "SEPARATION_REASON_")
CLOSE_REASON = _names(hiring.JobPostCloseReason, "JOB_POST_CLOSE_REASON_")
PLATFORM_INDUSTRY = _names(gig.PlatformIndustry, "PLATFORM_INDUSTRY_")
ORDER_STATUS = _names(gig.OrderStatus, "ORDER_STATUS_")
SCHEME = _names(insurance.Scheme, "SCHEME_")
CLAIM_STAGE = _names(insurance.ClaimStage, "CLAIM_STAGE_")
DECISION = _names(subsidy.Decision, "DECISION_")
DELIVERY = _names(subsidy.DeliveryMode, "DELIVERY_MODE_")
TRAINING_KIND = _names(training.TrainingKind, "TRAINING_KIND_")
CARD_LEVEL = _names(talent.CardLevel, "CARD_LEVEL_")
CARD_STATUS = _names(talent.CardStatus, "CARD_STATUS_")
FAIR_MODE = _names(hiring.JobFairMode, "JOB_FAIR_MODE_")
FAIR_THEME = _names(hiring.JobFairTheme, "JOB_FAIR_THEME_")
SKILL_LEVEL = _names(common.SkillLevel, "SKILL_LEVEL_")


def _uuid(value: str, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise PoisonMessage(f"{field} is not a UUID") from None


def _required(value: str, field: str) -> str:
    if not value:
        raise PoisonMessage(f"{field} is empty")
    return value


def _date(d: common.Date, field: str, *, fallback: date | None = None) -> date:
    if not (d.year or d.month or d.day):
        if fallback is not None:
            return fallback
        raise PoisonMessage(f"{field} is missing")
    try:
        return date(d.year, d.month, d.day)
    except ValueError:
        raise PoisonMessage(f"{field} is not a calendar date") from None


def _optional_date(d: common.Date) -> date | None:
    if not (d.year or d.month or d.day):
        return None
    try:
        return date(d.year, d.month, d.day)
    except ValueError:
        raise PoisonMessage("a date field is not a calendar date") from None


def cst_date(ts: Timestamp, fallback: datetime) -> date:
    """The China Standard Time calendar day of a timestamp (``fallback`` when unset)."""
    if not ts.seconds and not ts.nanos:
        return _day_of(fallback)
    return _day((ts.seconds + _CST_OFFSET_S) // 86_400)


@functools.lru_cache(maxsize=4096)
def _day(days_since_epoch: int) -> date:
    return _EPOCH + timedelta(days=days_since_epoch)


@functools.lru_cache(maxsize=1024)
def _day_of(moment: datetime) -> date:
    return _day(int(moment.timestamp() + _CST_OFFSET_S) // 86_400)


def _instant(ts: Timestamp, fallback: datetime) -> datetime:
    if not ts.seconds and not ts.nanos:
        return fallback
    return datetime.fromtimestamp(ts.seconds, UTC).replace(microsecond=ts.nanos // 1000)


def _month(d: date) -> date:
    return d.replace(day=1)
