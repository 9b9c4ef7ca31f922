"""Rule reasons are stored as a code and parameters and rendered from one catalogue
(suxin_common/messages/reasons.yaml), Chinese by default and English on request."""

from __future__ import annotations

import pytest

from suxin_common import reasons as why
from suxin_common.i18n import current_language


def test_every_code_has_both_languages_with_the_same_values():
    codes = why.catalogue()["codes"]
    assert codes
    for code, entry in codes.items():
        assert set(entry) >= {"zh", "en"}, code
        assert entry["zh"].strip() and entry["en"].strip(), code
        assert set(why._fields(entry["zh"])) == set(why._fields(entry["en"])), code  # noqa: SLF001


def test_a_stored_reason_renders_in_the_requested_language():
    stored = why.stored("condition.not_met", condition="全日制岗位", facts={"job_kind": None})
    assert why.render(stored, "zh") == "不符合：全日制岗位（job_kind=未提供）"
    assert why.render(stored, "en") == "not met: a full-time post (job_kind=not given)"
    token = current_language.set("en")
    try:
        assert why.render(stored).startswith("not met:")  # the request's language by default
    finally:
        current_language.reset(token)
    assert why.code_of(stored) == "condition.not_met"


def test_text_stored_before_codes_is_shown_as_it_was():
    old = "符合 met：全日制岗位（job_kind=full_time）"
    assert why.code_of(old) == why.LEGACY
    assert why.render(old, "en") == why.render(old, "zh") == old


def test_an_unknown_code_is_refused_when_stored_and_shown_as_itself_when_read():
    with pytest.raises(KeyError):
        why.stored("no.such_code")
    assert why.render('{"code": "gone.code", "params": {}}', "zh") == "gone.code"


def test_names_in_both_languages_are_picked():
    stored = why.stored(
        "calculator.not_stackable",
        family={"zh": "吸纳就业补贴", "en": "Hiring subsidies"},
        rule={"zh": "一次性扩岗补助", "en": "Job expansion subsidy"},
        rule_id="job_expansion_youth",
    )
    assert "Hiring subsidies" in why.render(stored, "en")
    assert "吸纳就业补贴" in why.render(stored, "zh")
