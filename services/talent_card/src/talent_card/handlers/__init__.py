"""Talent-card handlers: one function per command or event; the only place that changes state.

One module per aggregate: :mod:`.cards` (issuing, status, status lists, audited card reads),
:mod:`.applications` (card applications with review), :mod:`.offers` (政策找人 offers),
:mod:`.entitlements` (entitlement use) and :mod:`.talent_flow` (a card follows its holder's
hires); :mod:`.common` holds the audited actions they share.
"""

from talent_card.handlers.applications import (
    lookup_offers,
    review_application,
    submit_application,
    view_application,
    view_applications,
)
from talent_card.handlers.cards import (
    audit_card_read,
    change_card_status,
    claim_card,
    issue_card,
    status_list,
    view_employments,
)
from talent_card.handlers.common import (
    APPLICATION_RESIDENT_ID_AAD,
    CARD_ID_PREFIX,
    CONSUMER,
    ISSUE_CARD,
    OFFER_CARD,
    REFUSE_ENTITLEMENT_USE,
    RESIDENT_ID_AAD,
    REVIEW_APPLICATION,
    STATUS_ACTIONS,
    SYSTEM,
    USE_ENTITLEMENT,
    today_in_china,
)
from talent_card.handlers.entitlements import record_entitlement_use
from talent_card.handlers.offers import (
    accept_offer,
    decline_offer,
    offer_card_on_certification,
    offer_card_on_hire,
)
from talent_card.handlers.talent_flow import record_employment_end, record_talent_flow

__all__ = [
    "APPLICATION_RESIDENT_ID_AAD",
    "CARD_ID_PREFIX",
    "CONSUMER",
    "ISSUE_CARD",
    "OFFER_CARD",
    "REFUSE_ENTITLEMENT_USE",
    "RESIDENT_ID_AAD",
    "REVIEW_APPLICATION",
    "STATUS_ACTIONS",
    "SYSTEM",
    "USE_ENTITLEMENT",
    "accept_offer",
    "audit_card_read",
    "change_card_status",
    "claim_card",
    "decline_offer",
    "issue_card",
    "lookup_offers",
    "offer_card_on_certification",
    "offer_card_on_hire",
    "record_employment_end",
    "record_entitlement_use",
    "record_talent_flow",
    "review_application",
    "status_list",
    "submit_application",
    "today_in_china",
    "view_application",
    "view_applications",
    "view_employments",
]
