"""HRSS's own records handled by district staff (人社经办): 就业失业登记 (unemployment
registration) and 就业困难人员认定 (employment-difficulty recognition).

Both are handled where the person usually lives (常住地登记, seed 003), whatever their household
registration: application (申请, taken by a handler at a service point), check (核验, by the
handler), decision (认定/登记决定, by another staff member: maker-checker), for recognitions a
yearly review (年度复核), and exit (退出: re-employed, moved away, no longer eligible). An
approved record is a fact (FactVerified, department HRSS_RECORDS); its exit revokes it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from data_exchange.domain.departments import Department
from data_exchange.domain.facts import FactDraft, FactKind, Subject
from suxin_common.i18n import text


class RecordKind(StrEnum):
    UNEMPLOYMENT_REGISTRATION = "unemployment_registration"  # 失业登记
    EMPLOYMENT_DIFFICULTY = "employment_difficulty"  # 就业困难人员认定


class RecordStatus(StrEnum):
    APPLIED = "applied"  # 已申请
    CHECKED = "checked"  # 已核验
    APPROVED = "approved"  # 已登记/已认定
    REJECTED = "rejected"  # 不予登记/不予认定
    EXITED = "exited"  # 已退出


class DifficultyCategory(StrEnum):
    OLDER_UNEMPLOYED = "older_unemployed"  # 大龄失业人员
    DISABLED = "disabled"  # 残疾人
    LOW_INCOME_HOUSEHOLD = "low_income_household"  # 低保/低收入家庭成员
    ZERO_EMPLOYMENT_HOUSEHOLD = "zero_employment_household"  # 零就业家庭成员
    LONG_TERM_UNEMPLOYED = "long_term_unemployed"  # 长期失业人员
    POVERTY_ALLEVIATED = "poverty_alleviated"  # 脱贫人口
    OTHER = "other"  # 其他


class ExitReason(StrEnum):
    REEMPLOYED = "reemployed"  # 实现就业
    MOVED_AWAY = "moved_away"  # 常住地迁出
    NO_LONGER_ELIGIBLE = "no_longer_eligible"  # 不再符合条件
    RETIRED = "retired"  # 达到法定退休年龄
    DECEASED = "deceased"  # 死亡
    OTHER = "other"  # 其他


class RecordRuleError(Exception):
    """A step that the record's state or the maker-checker rule forbids."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


@dataclass(frozen=True, slots=True)
class StaffRecord:
    id: uuid.UUID
    kind: RecordKind
    person_key: str
    masked_resident_id: str
    residence_district: str
    status: RecordStatus
    handler: str
    applied_on: date
    version: int = 1
    service_point: str | None = None
    category: DifficultyCategory | None = None
    statement: str | None = None
    checked_by: str | None = None
    check_note: str | None = None
    decided_by: str | None = None
    decision_note: str | None = None
    decided_on: date | None = None
    reviewed_on: date | None = None
    next_review_due: date | None = None
    exited_on: date | None = None
    exit_reason: ExitReason | None = None


def _require(record: StaffRecord, *allowed: RecordStatus) -> None:
    if record.status not in allowed:
        raise RecordRuleError(
            "wrong_status",
            text(
                f"记录状态为 {record.status.value}，此操作需要 "
                + "/".join(s.value for s in allowed),
                f"the record is {record.status.value}; this needs "
                + "/".join(s.value for s in allowed),
            ),
        )


def check(record: StaffRecord, actor: str, *, passed: bool, note: str | None) -> StaffRecord:
    """核验: the handler checks the application (documents, residence, eligibility)."""
    _require(record, RecordStatus.APPLIED)
    return replace(
        record,
        status=RecordStatus.CHECKED,
        checked_by=actor,
        check_note=("通过 passed" if passed else "未通过 failed") + (f": {note}" if note else ""),
        version=record.version + 1,
    )


def check_passed(record: StaffRecord) -> bool:
    return bool(record.check_note and record.check_note.startswith("通过"))


def decide(
    record: StaffRecord,
    actor: str,
    *,
    approve: bool,
    note: str | None,
    today: date,
    review_days: int,
) -> StaffRecord:
    """The decision, by a staff member other than the handler (maker-checker)."""
    _require(record, RecordStatus.CHECKED)
    if actor == record.handler:
        raise RecordRuleError(
            "checker_is_handler",
            text(
                "作出决定的工作人员不能是该申请的经办人（双人复核）",
                "who decides cannot be who handled the application (four eyes)",
            ),
        )
    if approve and not check_passed(record):
        raise RecordRuleError(
            "check_failed",
            text(
                "核验未通过，只能作出不予登记/不予认定的决定",
                "the checks failed: the only decision possible is a refusal",
            ),
        )
    if not approve and not note:
        raise RecordRuleError(
            "reason_required", text("不予登记/不予认定须说明理由", "a refusal needs a reason")
        )
    due = (
        today + timedelta(days=review_days)
        if approve and record.kind is RecordKind.EMPLOYMENT_DIFFICULTY
        else None
    )
    return replace(
        record,
        status=RecordStatus.APPROVED if approve else RecordStatus.REJECTED,
        decided_by=actor,
        decision_note=note,
        decided_on=today,
        next_review_due=due,
        version=record.version + 1,
    )


def review(
    record: StaffRecord, actor: str, *, still_eligible: bool, today: date, review_days: int
) -> StaffRecord:
    """年度复核 of a recognition: still eligible extends it a year; otherwise it exits."""
    if record.kind is not RecordKind.EMPLOYMENT_DIFFICULTY:
        raise RecordRuleError(
            "no_review",
            text(
                "只有就业困难人员认定需要年度复核", "only 就业困难人员 records have a yearly review"
            ),
        )
    _require(record, RecordStatus.APPROVED)
    if not still_eligible:
        return exit_record(record, actor, reason=ExitReason.NO_LONGER_ELIGIBLE, on=today)
    return replace(
        record,
        reviewed_on=today,
        next_review_due=today + timedelta(days=review_days),
        version=record.version + 1,
    )


def exit_record(record: StaffRecord, actor: str, *, reason: ExitReason, on: date) -> StaffRecord:
    """退出: the registration or recognition ends (e.g. the person found work)."""
    _require(record, RecordStatus.APPROVED)
    if record.decided_on and on < record.decided_on:
        raise RecordRuleError(
            "exit_before_decision",
            text("退出日期早于登记/认定日期", "the exit date is before the decision date"),
        )
    return replace(
        record,
        status=RecordStatus.EXITED,
        exited_on=on,
        exit_reason=reason,
        version=record.version + 1,
    )


def fact_of(record: StaffRecord) -> FactDraft | None:
    """The fact an approved (or exited: revoked) record states; None before a decision."""
    if record.status not in (RecordStatus.APPROVED, RecordStatus.EXITED):
        return None
    revoked = record.status is RecordStatus.EXITED
    if record.kind is RecordKind.UNEMPLOYMENT_REGISTRATION:
        kind = FactKind.UNEMPLOYMENT_REGISTRATION
        detail: dict = {
            "registered_on": record.decided_on.isoformat() if record.decided_on else None,
            "district_code": record.residence_district,
        }
        until = record.exited_on
    else:
        kind = FactKind.EMPLOYMENT_DIFFICULTY
        detail = {
            "category": (record.category or DifficultyCategory.OTHER).name,
            "district_code": record.residence_district,
            "recognised_on": record.decided_on.isoformat() if record.decided_on else None,
            "reviewed_on": record.reviewed_on.isoformat() if record.reviewed_on else None,
        }
        until = record.exited_on or record.next_review_due
    return FactDraft(
        f"{kind.value}:{record.person_key}",
        kind,
        Subject.PERSON,
        Department.HRSS_RECORDS,
        person_key=record.person_key,
        valid_from=record.decided_on,
        valid_until=until,
        revoked=revoked,
        detail=detail,
    )
