"""The money side of training-vouchers: approvals under four eyes, the payment queue and
batches, the reconciliation of result files, occupation-table versions, and appeals.

Like ``training_vouchers.handlers``, each handler runs in a unit of work its caller commits;
events go out through the outbox and every step is in the audit trail. The maker-checker rules
are in ``four_eyes_actions.py``; the checks themselves in the kit
(suxin_common.security.four_eyes).
"""

from training_vouchers.domain.review import TookPart
from training_vouchers.handlers.money.appeals import (
    NotAppealable,
    appellant_kind,
    decide_appeal,
    submit_appeal,
)
from training_vouchers.handlers.money.approvals import (
    apply_approval,
    apply_payment_record,
    propose_approval,
    propose_payment_record,
)
from training_vouchers.handlers.money.batches import (
    apply_release,
    prepare_batch,
    reconcile,
    refuse_release,
)
from training_vouchers.handlers.money.common import (
    PAYMENT_RECORD,
    PAYMENT_RELEASE,
    SUBSIDY_APPROVAL,
    SUBSIDY_TABLE,
)
from training_vouchers.handlers.money.tables import apply_table, propose_table

__all__ = [
    "PAYMENT_RECORD",
    "PAYMENT_RELEASE",
    "SUBSIDY_APPROVAL",
    "SUBSIDY_TABLE",
    "NotAppealable",
    "TookPart",
    "appellant_kind",
    "apply_approval",
    "apply_payment_record",
    "apply_release",
    "apply_table",
    "decide_appeal",
    "prepare_batch",
    "propose_approval",
    "propose_payment_record",
    "propose_table",
    "reconcile",
    "refuse_release",
    "submit_appeal",
]
