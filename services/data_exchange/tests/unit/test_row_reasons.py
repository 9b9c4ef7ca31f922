"""A refused row says why in the reader's language: every reason a row can carry is in the
catalogue (suxin_common/messages/reasons.yaml, codes feed.*) in Chinese and English."""

from __future__ import annotations

import pytest

from data_exchange.domain.rows import Row
from suxin_common import reasons

BAD = {
    "absent": "",
    "object": {"a": 1},
    "long": "x" * 300,
    "rid": "320000000000000000",
    "uscc": "91320000000000000Z",
    "date": "2026-13-01",
    "old": "1899-12-31",
    "month": "2026-00",
    "int": "twelve",
    "range": "99",
    "bool": "maybe",
    "choice": "purple",
    "district": "110101",
    "pattern": "!!",
}


def _every_refusal() -> list:
    row = Row(BAD, 3, lambda number: "pk")
    row.text("absent")
    row.text("object")
    row.text("long", max_len=10)
    row.person("rid")
    row.uscc("uscc")
    row.date("date")
    row.date("old")
    row.month("month")
    row.integer("int", 0, 10)
    row.integer("range", 0, 10)
    row.boolean("bool")
    row.choice("choice", {"red": 1, "红": 1})
    row.district("district")
    row.pattern("pattern", r"[A-T]", {"zh": "门类 A–T", "en": "a section A-T"})
    row.error("ended_on", "ends_before_start")
    row.error("level", "unknown_value", why="little_giant_national_only")
    row.error("nickname", "unknown_field")
    return row.errors


def test_every_row_refusal_is_refused_once_with_its_code():
    codes = [e.code for e in _every_refusal()]
    assert codes == [
        "missing", "wrong_type", "too_long", "invalid_resident_id", "invalid_uscc",
        "invalid_date", "date_out_of_range", "invalid_month", "not_an_integer", "out_of_range",
        "not_a_boolean", "unknown_value", "invalid_district", "invalid_format",
        "ends_before_start", "unknown_value", "unknown_field",
    ]  # fmt: skip


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_row_refusal_renders_in_both_languages(language):
    for error in _every_refusal():
        reason = reasons.parse(error.reason)
        assert reason.code in reasons.catalogue()["codes"], reason.code
        text = reasons.render(error.reason, language)
        assert text and "{" not in text, text
    [choice] = [e for e in _every_refusal() if e.field == "choice"]
    assert reasons.render(choice.reason, "en") == "the field choice must be one of: red, 红"
    assert reasons.render(choice.reason, "zh") == "字段 choice 的取值不在允许范围：red、红"
    [pattern] = [e for e in _every_refusal() if e.field == "pattern"]
    assert reasons.render(pattern.reason, language).endswith(
        "a section A-T" if language == "en" else "门类 A–T"
    )
