"""Turning what staff typed into what the services expect. Pure code."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

INJURY_CATEGORIES = {
    "medical": "医疗费用",
    "temporary_incapacity": "停工留薪期",
    **{f"disability_grade_{n}": f"{'一二三四五六七八九十'[n - 1]}级伤残" for n in range(1, 11)},
    "death": "因工死亡",
}


class FormError(ValueError):
    """Bad input in a form; the message is shown to staff as it is."""


def yuan_to_fen(text: str | None, *, required: bool = False) -> int | None:
    """'1,234.5' -> 123450. Empty: None (unless required)."""
    text = (text or "").replace(",", "").replace("，", "").strip()
    if not text:
        if required:
            raise FormError("请填写金额。")
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise FormError("金额须为数字（元，最多两位小数）。") from None
    if value < 0 or value != value.quantize(Decimal("0.01")) or value > Decimal("100000000"):
        raise FormError("金额须为不超过一亿元的非负数，最多两位小数。")
    return int(value * 100)


def reason(text: str | None, *, required: bool) -> str | None:
    text = (text or "").strip()
    if required and not text:
        raise FormError("请填写理由。")
    if len(text) > 500:
        raise FormError("理由最多 500 字。")
    return text or None
