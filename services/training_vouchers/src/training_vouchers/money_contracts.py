"""Proto events of payments and appeals (the money side of training-vouchers)."""

from __future__ import annotations

from datetime import datetime

from google.protobuf.timestamp_pb2 import Timestamp

from suxin.subsidy.v1 import events_pb2 as subsidy
from suxin_common.protodates import to_proto_date
from training_vouchers.domain.appeals import Appeal, AppealStatus
from training_vouchers.domain.model import SubsidyCase
from training_vouchers.domain.payments import Outcome, Payment
from training_vouchers.domain.review import china_day


def _timestamp(at: datetime) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(at)
    return ts


def payment_returned(
    case: SubsidyCase, p: Payment, outcome: Outcome, requeued: Payment, at: datetime
) -> subsidy.SubsidyPaymentReturned:
    return subsidy.SubsidyPaymentReturned(
        case_id=str(case.id),
        payment_id=str(p.id),
        attempt=p.attempt,
        rule_family=case.rule_family,
        enterprise_uscc=case.enterprise_uscc,
        amount_fen=p.amount_fen,
        city_code=case.city_code or "",
        outcome=subsidy.PaymentOutcome.Value(f"PAYMENT_OUTCOME_{outcome.name}"),
        return_code=p.return_code or "",
        requeued_payment_id=str(requeued.id),
        returned_at=_timestamp(at),
    )


def appeal_decided(appeal: Appeal, case: SubsidyCase) -> subsidy.SubsidyAppealDecided:
    assert appeal.decided_at is not None
    upheld = appeal.status is AppealStatus.UPHELD
    event = subsidy.SubsidyAppealDecided(
        appeal_id=str(appeal.id),
        case_id=str(case.id),
        rule_family=case.rule_family,
        enterprise_uscc=case.enterprise_uscc,
        person_key=case.person_key or "",
        outcome=subsidy.APPEAL_OUTCOME_UPHELD if upheld else subsidy.APPEAL_OUTCOME_DISMISSED,
        case_reopened=upheld,
        due_on=to_proto_date(appeal.due_on),
        decided_in_time=china_day(appeal.decided_at) <= appeal.due_on,
        city_code=case.city_code or "",
        decided_at=_timestamp(appeal.decided_at),
    )
    if upheld and case.review_deadline is not None:
        event.review_deadline.CopyFrom(to_proto_date(case.review_deadline))
    return event
