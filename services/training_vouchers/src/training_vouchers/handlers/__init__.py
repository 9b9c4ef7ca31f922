"""Training-vouchers handlers: the only place that changes state.

Every handler runs inside a unit of work the caller commits (the consumer runner, or an API
route); events recorded on it go out through the outbox with the change. Every decision on
money (a case opened or re-evaluated by the engine, approved, rejected, returned or paid; a
voucher issued or redeemed; a training subsidy released) is written to the audit log in the
same transaction, with codes and amounts, never personal data. Refusals are domain errors
(``suxin_common.errors``, or the domain's exceptions that subclass them).

One module per aggregate or flow: :mod:`.hires` (a hire opens subsidy cases, a confirmed hire
lets them move on), :mod:`.reported` (contributions, births, enterprise years, department
facts, ended employments), :mod:`.cases` (re-evaluation and staff decisions on a case),
:mod:`.vouchers` (subsidised training), :mod:`.loans` (创业担保贷款 cases), :mod:`.calendar`
(the holiday schedules and the review deadlines they move); :mod:`.common` holds the audit of
a case decision, its locked read and versioned write, and the errors they share. Approvals,
payments, subsidy tables and appeals are in :mod:`.money`.
"""

from training_vouchers.handlers.cases import (
    decide_case,
    evidence_of_hire,
    reconsider,
    resubmit_case,
    with_employment_end,
)
from training_vouchers.handlers.common import (
    CONSUMER_ACTOR,
    CaseChanged,
    CaseNotFound,
    audit_case,
    case_details,
)
from training_vouchers.handlers.hires import (
    on_hire_confirmed,
    on_hire_recorded,
    open_subsidy_cases,
)
from training_vouchers.handlers.reported import (
    on_employment_ended,
    on_fact_verified,
    record_birth,
    record_contributions,
    record_enterprise_year,
)
from training_vouchers.handlers.vouchers import (
    VoucherChanged,
    VoucherNotFound,
    audit_voucher,
    certify_training,
    complete_training,
    enrol_voucher,
    issue_voucher,
    record_training_outcome,
)

__all__ = [
    "CONSUMER_ACTOR",
    "CaseChanged",
    "CaseNotFound",
    "VoucherChanged",
    "VoucherNotFound",
    "audit_case",
    "audit_voucher",
    "case_details",
    "certify_training",
    "complete_training",
    "decide_case",
    "enrol_voucher",
    "evidence_of_hire",
    "issue_voucher",
    "on_employment_ended",
    "on_fact_verified",
    "on_hire_confirmed",
    "on_hire_recorded",
    "open_subsidy_cases",
    "reconsider",
    "record_birth",
    "record_contributions",
    "record_enterprise_year",
    "record_training_outcome",
    "resubmit_case",
    "with_employment_end",
]
