"""The queue order and the form parsing: pure code, no server."""

from datetime import UTC, date, datetime

import pytest

from staff_workbench.domain.facts import fact_rows
from staff_workbench.domain.forms import FormError, reason, yuan_to_fen
from staff_workbench.domain.queues import QueueItem, deadline_after, fen, ordered
from staff_workbench.web import safe_next

TODAY = date(2026, 3, 10)


def item(name: str, deadline: date | None, received: int = 1) -> QueueItem:
    return QueueItem(
        kind="x", id=name, title=name, detail="", link="/", status="",
        received=datetime(2026, 3, received, tzinfo=UTC), deadline=deadline,
    )  # fmt: skip


def test_overdue_first_then_by_deadline_then_oldest() -> None:
    items = [
        item("no-deadline", None),
        item("later", date(2026, 3, 20)),
        item("overdue-recent", date(2026, 3, 9)),
        item("soon-newer", date(2026, 3, 12), received=5),
        item("soon-older", date(2026, 3, 12), received=2),
        item("overdue-long", date(2026, 2, 1)),
    ]
    assert [i.id for i in ordered(items, TODAY)] == [
        "overdue-long", "overdue-recent", "soon-older", "soon-newer", "later", "no-deadline",
    ]  # fmt: skip
    assert item("x", date(2026, 3, 9)).days_left(TODAY) == -1
    assert deadline_after(datetime(2026, 1, 1, 23, 0, tzinfo=UTC), 60) == date(2026, 3, 2)


def test_amounts_in_yuan_become_fen_and_bad_ones_are_refused() -> None:
    assert yuan_to_fen("1,500") == 150_000
    assert yuan_to_fen(" 12.34 ") == 1234
    assert yuan_to_fen("") is None
    for bad in ("abc", "-1", "1.234", "200000000"):
        with pytest.raises(FormError):
            yuan_to_fen(bad)
    with pytest.raises(FormError):
        yuan_to_fen("", required=True)
    assert fen(123_456_789) == "1,234,567.89 元"


def test_reasons_are_required_where_the_decision_needs_one() -> None:
    with pytest.raises(FormError):
        reason("  ", required=True)
    assert reason(" 材料不全 ", required=True) == "材料不全"
    assert reason("", required=False) is None


def test_only_local_paths_are_followed_after_sign_in() -> None:
    assert safe_next("/cases/1?x=2") == "/cases/1?x=2"
    for outside in ("https://evil.example/", "//evil.example", "/\\evil", "", None):
        assert safe_next(outside) == "/"


def test_facts_show_their_source_and_whether_a_department_settled_them() -> None:
    rows = fact_rows(
        {"insured_headcount": 1000, "graduate": None, "school": "扬州大学"},
        {
            "insured_headcount": {"source": "social_insurance", "as_of": "2025-12-31"},
            "school": {"source": "declared"},
        },
    )
    by_name = {r.name: r for r in rows}
    headcount = by_name["insured_headcount"]
    assert headcount.source == "人社·社保" and headcount.verified
    assert headcount.label == "参保人数"  # the platform's glossary
    assert not by_name["school"].verified and by_name["school"].source == "申报（未核验）"
    assert by_name["graduate"].value == "—（无来源证实）"
