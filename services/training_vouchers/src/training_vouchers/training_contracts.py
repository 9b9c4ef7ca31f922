"""Maps training vouchers onto the proto events of the SUXIN_TRAINING stream."""

from __future__ import annotations

from datetime import datetime

from google.protobuf.timestamp_pb2 import Timestamp

from suxin.common.v1 import common_pb2 as common
from suxin.training.v1 import events_pb2 as training
from suxin_common.protodates import to_proto_date
from training_vouchers.domain.training import Institution, SkillLevel, TrainingKind, Voucher


def _ts(at: datetime) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(at)
    return ts


def _kind(kind: TrainingKind) -> int:
    return training.TrainingKind.Value(f"TRAINING_KIND_{kind.name}")


def _level(level: SkillLevel) -> int:
    return common.SkillLevel.Value(f"SKILL_LEVEL_{level.name}")


def voucher_issued(v: Voucher) -> training.VoucherIssued:
    return training.VoucherIssued(
        voucher_id=str(v.id),
        person_key=v.person_key,
        occupation_code=v.occupation_code,
        training_kind=_kind(v.training_kind),
        amount_fen=v.amount_fen,
        valid_until=to_proto_date(v.valid_until),
        city_code=v.city_code,
        issued_at=_ts(v.issued_at),
    )


def voucher_redeemed(v: Voucher, i: Institution) -> training.VoucherRedeemed:
    assert v.enrolled_at is not None
    return training.VoucherRedeemed(
        voucher_id=str(v.id),
        person_key=v.person_key,
        institution_uscc=i.uscc,
        occupation_code=v.occupation_code,
        training_kind=_kind(v.training_kind),
        city_code=i.city_code,
        redeemed_at=_ts(v.enrolled_at),
    )


def training_completed(v: Voucher, i: Institution, at: datetime) -> training.TrainingCompleted:
    assert v.completed_on is not None and v.passed is not None
    return training.TrainingCompleted(
        voucher_id=str(v.id),
        person_key=v.person_key,
        institution_uscc=i.uscc,
        occupation_code=v.occupation_code,
        training_kind=_kind(v.training_kind),
        passed=v.passed,
        city_code=i.city_code,
        completed_on=to_proto_date(v.completed_on),
        recorded_at=_ts(at),
    )


def training_certified(v: Voucher, i: Institution, at: datetime) -> training.TrainingCertified:
    assert v.certified_on is not None and v.skill_level is not None
    return training.TrainingCertified(
        voucher_id=str(v.id),
        person_key=v.person_key,
        institution_uscc=i.uscc,
        occupation_code=v.occupation_code,
        training_kind=_kind(v.training_kind),
        skill_level=_level(v.skill_level),
        subsidy_fen=v.subsidy_fen or 0,
        city_code=i.city_code,
        certified_on=to_proto_date(v.certified_on),
        recorded_at=_ts(at),
    )


def training_outcome_recorded(
    v: Voucher, city_code: str, days: int, at: datetime
) -> training.TrainingOutcomeRecorded:
    return training.TrainingOutcomeRecorded(
        voucher_id=str(v.id),
        person_key=v.person_key,
        outcome=training.TRAINING_OUTCOME_EMPLOYED,
        hire_id=str(v.outcome_hire_id),
        days_after_certification=days,
        training_kind=_kind(v.training_kind),
        city_code=city_code,
        recorded_at=_ts(at),
    )
