"""The maker-checker matrix of training-vouchers (docs/money.md): which actions need a second
staff member, from which amount a higher level, and what a confirmation carries out."""

from __future__ import annotations

from datetime import UTC, datetime

from suxin_common.security.four_eyes import Approval, Level, Registry, Rule
from training_vouchers.handlers import money
from training_vouchers.settings import Settings


def rules(settings: Settings) -> list[Rule]:
    """The rules, from the settings (the thresholds are configuration)."""
    second = Level.of_label(settings.four_eyes_second_level)
    above = settings.four_eyes_second_level_above_fen
    return [
        Rule(money.SUBSIDY_APPROVAL, "补贴审核通过 (subsidy approval)", above, second),
        Rule(money.PAYMENT_RELEASE, "支付批次放行 (payment batch release)", above, second),
        Rule(money.PAYMENT_RECORD, "手工拨付登记 (payment made outside a batch)", above, second),
        Rule(
            money.SUBSIDY_TABLE,
            "补贴标准变更 (occupation subsidy table version)",
            min_level=Level.of_label(settings.table_checker_level),
        ),
    ]


def _now() -> datetime:
    return datetime.now(UTC)


def registry(settings: Settings) -> Registry:
    by_action = {r.action: r for r in rules(settings)}
    reg = Registry()

    async def approve(uow, approval: Approval, checker):
        return await money.apply_approval(
            uow, approval, checker, at=_now(), payer_account_of=settings.payer_account_of
        )

    async def record(uow, approval: Approval, checker):
        return await money.apply_payment_record(uow, approval, checker, at=_now())

    async def release(uow, approval: Approval, checker):
        return await money.apply_release(uow, approval, checker, at=_now())

    async def table(uow, approval: Approval, checker):
        return await money.apply_table(uow, approval, checker)

    async def table_refused(uow, approval: Approval, checker):
        await money.apply_table(uow, approval, checker, status="refused")

    reg.add(by_action[money.SUBSIDY_APPROVAL], approve)
    reg.add(by_action[money.PAYMENT_RECORD], record)
    reg.add(by_action[money.PAYMENT_RELEASE], release, money.refuse_release)
    reg.add(by_action[money.SUBSIDY_TABLE], table, table_refused)
    return reg
