"""Job post and application lifecycles, separations and the "131" / "1+3" balances."""

from __future__ import annotations

from datetime import date

import pytest

from job_matching.domain import employment_services as es
from job_matching.domain.model import (
    ApplicationStatus as A,
)
from job_matching.domain.model import (
    HireRejected,
    KeyGroup,
    PostStatus,
    TransitionRefused,
    check_application_transition,
    check_post_transition,
    check_separation,
    is_recent_graduate,
)

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("current", "wanted"),
    [
        (PostStatus.DRAFT, PostStatus.OPEN),
        (PostStatus.DRAFT, PostStatus.CLOSED),
        (PostStatus.OPEN, PostStatus.CLOSED),
        (PostStatus.OPEN, PostStatus.FILLED),
        (PostStatus.FILLED, PostStatus.CLOSED),
    ],
)
def test_allowed_post_transitions(current, wanted):
    check_post_transition(current, wanted)


@pytest.mark.parametrize(
    ("current", "wanted"),
    [
        (PostStatus.CLOSED, PostStatus.OPEN),
        (PostStatus.FILLED, PostStatus.OPEN),
        (PostStatus.OPEN, PostStatus.OPEN),
        (PostStatus.DRAFT, PostStatus.FILLED),
    ],
)
def test_refused_post_transitions(current, wanted):
    with pytest.raises(TransitionRefused):
        check_post_transition(current, wanted)


def test_application_happy_path_and_terminal_states():
    for current, wanted in [
        (A.SUBMITTED, A.SHORTLISTED),
        (A.SHORTLISTED, A.OFFERED),
        (A.OFFERED, A.HIRED),
        (A.SUBMITTED, A.WITHDRAWN),
        (A.SHORTLISTED, A.REJECTED),
    ]:
        check_application_transition(current, wanted)
    for terminal in (A.HIRED, A.REJECTED, A.WITHDRAWN):
        for wanted in A:
            with pytest.raises(TransitionRefused):
                check_application_transition(terminal, wanted)


@pytest.mark.parametrize(
    ("current", "wanted"),
    [(A.SUBMITTED, A.HIRED), (A.OFFERED, A.REJECTED), (A.OFFERED, A.SHORTLISTED)],
)
def test_refused_application_transitions(current, wanted):
    with pytest.raises(TransitionRefused):
        check_application_transition(current, wanted)


def test_a_separation_ends_between_the_start_and_today():
    check_separation(date(2026, 1, 1), TODAY, TODAY)
    with pytest.raises(HireRejected):
        check_separation(date(2026, 1, 1), date(2025, 12, 31), TODAY)
    with pytest.raises(HireRejected):
        check_separation(date(2026, 1, 1), date(2026, 12, 1), TODAY)


def test_recent_graduate_means_within_two_years():
    assert is_recent_graduate(date(2024, 11, 24), TODAY)
    assert not is_recent_graduate(date(2024, 11, 23), TODAY)
    assert not is_recent_graduate(None, TODAY)
    assert not is_recent_graduate(date(2027, 6, 30), TODAY)
    assert is_recent_graduate(date(2024, 2, 29), date(2026, 2, 28))


def test_who_is_owed_which_programme():
    grad = {KeyGroup.COLLEGE_GRADUATE}
    assert es.programmes_for(grad, date(2026, 6, 30), False, TODAY) == [es.Programme.GRADUATE_131]
    assert es.programmes_for(grad, date(2020, 6, 30), False, TODAY) == []
    assert es.programmes_for(grad, date(2026, 6, 30), True, TODAY) == []  # employed
    displaced = {KeyGroup.DISPLACED_BY_DIGITAL_TRANSFORMATION}
    assert es.programmes_for(displaced, None, False, TODAY) == [es.Programme.DISPLACED_1_3]


def test_131_balance_counts_1_guidance_3_recommendations_1_training_or_internship():
    K = es.ServiceKind
    b = es.balance(es.Programme.GRADUATE_131, {K.GUIDANCE: 2, K.JOB_RECOMMENDATION: 1})
    assert b.owed == {K.GUIDANCE: 0, K.JOB_RECOMMENDATION: 2, K.TRAINING_OR_INTERNSHIP: 1}
    assert not b.complete
    done = es.balance(es.Programme.DISPLACED_1_3, {K.GUIDANCE: 1, K.JOB_RECOMMENDATION: 3})
    assert done.complete and K.TRAINING_OR_INTERNSHIP not in done.owed
    with pytest.raises(es.NotEligible):
        es.check_deliverable(
            es.Programme.DISPLACED_1_3, K.TRAINING_OR_INTERNSHIP, [es.Programme.DISPLACED_1_3]
        )
