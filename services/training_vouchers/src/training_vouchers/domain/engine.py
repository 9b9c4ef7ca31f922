"""The rule engine (政策规则引擎): declarative conditions over named facts, and amount formulas.

A rule is data (``policies/<version>.yaml``): a list of conditions on facts (``education in
[...]``, ``contract_months at_least 12``, ``any_of``/``all_of`` groups) and one amount formula
from :data:`FORMULAS` with its parameters. Evaluation is a pure function of the rule and a flat
mapping of JSON-ready facts, so a stored decision (its inputs, rule id and policy version)
replays to the same result.

Every condition has three outcomes: met, not met, or *pending* — a condition marked
``awaits_data`` (e.g. months of social-insurance contributions) that is not met yet while the
social-insurance system may still report the data. A rule whose only unmet conditions are
pending waits (免申即享: the case is opened and re-evaluated when the data arrives).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cached_property
from typing import Any

from suxin_common import reasons as why

Facts = Mapping[str, Any]


class Verdict(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    PENDING = "pending"  # waits for data not recorded yet


class RuleError(ValueError):
    """A rule document is invalid."""


OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "equals": lambda v, x: v == x,
    "in": lambda v, x: v in x,
    "not_in": lambda v, x: v not in x,
    "at_least": lambda v, x: v >= x,
    "at_most": lambda v, x: v <= x,
    "between": lambda v, x: x[0] <= v <= x[1],
    "intersects": lambda v, x: bool(set(v) & set(x)),
    "is_true": lambda v, x: v is True,
    "is_false": lambda v, x: v is False,
}


_NOTHING: frozenset[str] = frozenset()  # no facts awaited (one instance, not one per call)


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    reasons: tuple[str, ...]


def _combine(verdicts: Sequence[Verdict], *, any_: bool) -> Verdict:
    if any_:
        if Verdict.MET in verdicts:
            return Verdict.MET
        return Verdict.PENDING if Verdict.PENDING in verdicts else Verdict.NOT_MET
    if Verdict.NOT_MET in verdicts:
        return Verdict.NOT_MET
    return Verdict.PENDING if Verdict.PENDING in verdicts else Verdict.MET


@dataclass(frozen=True)
class Condition:
    """One condition: ``fact <operator> value``, or a group (``any_of``/``all_of``)."""

    says: str  # what the condition means, in the policy's words
    fact: str | None = None
    operator: str | None = None
    value: Any = None
    awaits_data: bool = False
    any_of: tuple[Condition, ...] = ()
    all_of: tuple[Condition, ...] = ()

    @cached_property
    def reads(self) -> frozenset[str]:
        names = {self.fact} if self.fact else set()
        for c in (*self.any_of, *self.all_of):
            names |= c.reads
        return frozenset(names)

    def evaluate(self, facts: Facts, declared: Facts | None = None) -> Verdict:
        return self.judge(facts, declared)[0]

    def judge(self, facts: Facts, declared: Facts | None = None) -> tuple[Verdict, frozenset[str]]:
        """The verdict on the accepted ``facts``, and the facts it waits to see verified.

        ``declared`` holds what was only declared (or came from a source this rule does not
        accept). A condition that the accepted facts do not meet but the declared value would
        is pending: the claim may hold once an accepted source states it (awaiting
        verification); it never meets the condition by itself.
        """
        group = self.any_of or self.all_of
        if group:
            parts = [c.judge(facts, declared) for c in group]
            verdict = _combine([v for v, _ in parts], any_=bool(self.any_of))
            # A group marked awaits_data waits as a whole (e.g. "six months paid, or left").
            if verdict is Verdict.NOT_MET and self.awaits_data:
                return Verdict.PENDING, _NOTHING
            if verdict is not Verdict.PENDING:
                return verdict, _NOTHING
            return verdict, _NOTHING.union(*(w for v, w in parts if v is Verdict.PENDING))
        assert self.fact is not None
        verdict = self._leaf(facts.get(self.fact))
        if (
            verdict is not Verdict.MET
            and declared is not None
            and declared.get(self.fact) is not None
            and self._holds(declared[self.fact])
        ):
            return Verdict.PENDING, frozenset({self.fact})
        return verdict, _NOTHING

    @cached_property
    def _test(self) -> Callable[[Any, Any], bool]:
        assert self.operator is not None
        return OPERATORS[self.operator]

    def _holds(self, value: Any) -> bool:
        try:
            return bool(self._test(value, self.value))
        except TypeError:
            return False

    def _leaf(self, value: Any) -> Verdict:
        if value is None:
            return Verdict.PENDING if self.awaits_data else Verdict.NOT_MET
        if self._holds(value):
            return Verdict.MET
        return Verdict.PENDING if self.awaits_data else Verdict.NOT_MET

    def explain(
        self, facts: Facts, verdict: Verdict, awaiting: frozenset[str] = frozenset()
    ) -> str:
        """The reason (stored form, suxin_common.reasons): the verdict's code, the condition's
        meaning in the policy's words and the facts it read; rendered at the edge."""
        shown = {n: facts.get(n) for n in sorted(self.reads)}
        if awaiting:
            return why.stored(
                "condition.awaiting_verification",
                condition=self.says,
                facts=shown,
                names=sorted(awaiting),
            )
        return why.stored(REASON_CODES[verdict], condition=self.says, facts=shown)


# The reason codes of the verdicts (messages/reasons.yaml words them: 符合/met, 不符合/not met,
# 待数据/pending). Reasons are what the calculator and the cases show.
REASON_CODES = {
    Verdict.MET: "condition.met",
    Verdict.NOT_MET: "condition.not_met",
    Verdict.PENDING: "condition.pending",
}


def parse_condition(doc: Any, where: str) -> Condition:
    if not isinstance(doc, Mapping):
        raise RuleError(f"{where}: a condition must be a mapping")
    doc = dict(doc)
    says = doc.pop("says", None)
    awaits = doc.pop("awaits_data", False)
    if not isinstance(awaits, bool):
        raise RuleError(f"{where}: awaits_data must be true or false")
    for group in ("any_of", "all_of"):
        if group in doc:
            items = doc.pop(group)
            if doc or not isinstance(items, list) or not items:
                raise RuleError(f"{where}: {group} takes a non-empty list and nothing else")
            parts = tuple(parse_condition(d, f"{where}.{group}[{i}]") for i, d in enumerate(items))
            text = says or (" or " if group == "any_of" else " and ").join(p.says for p in parts)
            return Condition(says=text, **{group: parts}, awaits_data=awaits)
    fact = doc.pop("fact", None)
    if not isinstance(fact, str) or not fact:
        raise RuleError(f"{where}: a condition names a fact")
    if len(doc) != 1:
        raise RuleError(f"{where}: a condition has exactly one operator of {sorted(OPERATORS)}")
    ((operator, value),) = doc.items()
    if operator not in OPERATORS:
        raise RuleError(f"{where}: unknown operator {operator!r} (known: {sorted(OPERATORS)})")
    if operator in ("in", "not_in", "intersects") and not isinstance(value, list):
        raise RuleError(f"{where}: {operator} takes a list")
    if operator == "between" and not (isinstance(value, list) and len(value) == 2):
        raise RuleError(f"{where}: between takes [low, high]")
    if operator in ("in", "not_in", "intersects"):
        value = tuple(value)
    if operator == "between":
        value = (value[0], value[1])
    return Condition(
        says=says or f"{fact} {operator} {value}",
        fact=fact,
        operator=operator,
        value=value,
        awaits_data=awaits,
    )


# --- amount formulas ------------------------------------------------------------------------


def to_fen(amount: Decimal) -> int:
    """Round a computed amount to whole fen, half up (money is never a float)."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _decimal(value: Any, where: str) -> Decimal:
    if isinstance(value, float):
        raise RuleError(f"{where}: write shares as strings (e.g. '0.6'), never floats")
    try:
        return Decimal(str(value))
    except ArithmeticError:
        raise RuleError(f"{where}: {value!r} is not a number") from None


def _share(value: Any, where: str) -> tuple[Decimal, Decimal]:
    """A share as numerator and denominator: '0.6' or a fraction such as '2/3' (exact)."""
    text = str(value)
    if isinstance(value, str) and "/" in text:
        num, _, den = text.partition("/")
        n, d = _decimal(num.strip(), where), _decimal(den.strip(), where)
        if d <= 0 or n < 0:
            raise RuleError(f"{where}: {value!r} is not a share")
        return n, d
    n = _decimal(value, where)
    if n < 0:
        raise RuleError(f"{where}: a share must not be negative")
    return n, Decimal(1)


@dataclass(frozen=True)
class Formula:
    """How a rule's amount is computed; ``reads`` are the facts it uses."""

    name: str
    reads: frozenset[str]
    # (amount in fen, how: builds the stored reason when the decision's reasons are read)
    compute: Callable[[Facts], tuple[int, Callable[[], str]]]


def _fixed(params: Mapping[str, Any], tables: Mapping[str, Any], where: str) -> Formula:
    amount = int(params["amount_fen"])
    if amount < 0:
        raise RuleError(f"{where}: amount_fen must not be negative")
    return Formula(
        "fixed",
        frozenset(),
        lambda facts: (amount, lambda: why.stored("amount.fixed", amount_fen=amount)),
    )


def minimum_wage_fen(table: Mapping[str, Any], district_code: str | None, city_code: str | None):
    """The monthly minimum wage (fen) of an area from the policy's minimum-wage table."""
    tiers = table["tiers_fen"]
    tier = None
    if district_code:
        tier = table.get("districts", {}).get(district_code)
    if tier is None and city_code:
        tier = table.get("cities", {}).get(city_code)
    if tier is None:
        return None, None
    return int(tiers[tier]), tier


def _share_of_minimum_wage(
    params: Mapping[str, Any], tables: Mapping[str, Any], where: str
) -> Formula:
    share = _decimal(params["share"], where)
    max_months = int(params["max_months"])
    months_fact = params.get("months_fact", "contract_months")
    table = tables.get("minimum_wage")
    if table is None:
        raise RuleError(f"{where}: the policy has no minimum_wage table")

    def compute(facts: Facts) -> tuple[int, Callable[[], str]]:
        wage, tier = minimum_wage_fen(table, facts.get("district_code"), facts.get("city_code"))
        months = min(int(facts.get(months_fact) or 0), max_months)
        if wage is None:
            return 0, lambda: why.stored("amount.no_minimum_wage")
        amount = to_fen(Decimal(wage) * share) * months
        return amount, lambda: why.stored(
            "amount.share_of_minimum_wage",
            share=str(share),
            wage_fen=wage,
            tier=tier,
            months=months,
        )

    return Formula(
        "share_of_minimum_wage",
        frozenset({"district_code", "city_code", months_fact}),
        compute,
    )


def _share_of_employer_contributions(
    params: Mapping[str, Any], tables: Mapping[str, Any], where: str
) -> Formula:
    rates = {int(k): _decimal(v, where) for k, v in params["rates_by_child_order"].items()}
    insurances = tuple(params["insurances"])
    months = int(params["months"])

    def compute(facts: Facts) -> tuple[int, Callable[[], str]]:
        rate = rates.get(int(facts.get("child_order") or 0))
        if rate is None:
            return 0, lambda: why.stored("amount.no_rate_for_child_order")
        rows = sorted(facts.get("employer_contributions") or [], key=lambda r: r["month"])[:months]
        paid = sum(int(r.get(i, 0)) for r in rows for i in insurances)
        return to_fen(Decimal(paid) * rate), lambda: why.stored(
            "amount.share_of_employer_contributions",
            rate=str(rate),
            paid_fen=paid,
            insurances=list(insurances),
            months=len(rows),
        )

    return Formula(
        "share_of_employer_contributions",
        frozenset({"child_order", "employer_contributions"}),
        compute,
    )


def _share_by_enterprise_size(
    params: Mapping[str, Any], tables: Mapping[str, Any], where: str
) -> Formula:
    shares = {str(k): _decimal(v, where) for k, v in params["shares_by_enterprise_size"].items()}
    base = params.get("base_fact", "unemployment_insurance_paid_fen")

    def compute(facts: Facts) -> tuple[int, Callable[[], str]]:
        share = shares.get(str(facts.get("enterprise_size")))
        if share is None:
            return 0, lambda: why.stored("amount.no_share_for_size")
        paid = int(facts.get(base) or 0)
        return to_fen(Decimal(paid) * share), lambda: why.stored(
            "amount.share_by_enterprise_size", share=str(share), paid_fen=paid, base=base
        )

    return Formula("share_by_enterprise_size", frozenset({"enterprise_size", base}), compute)


def _share_of_fact(params: Mapping[str, Any], tables: Mapping[str, Any], where: str) -> Formula:
    """``share`` x the amount in fen a fact holds (e.g. R&D investment, contributions paid),
    at most ``cap_fen`` when given."""
    fact = str(params["fact"])
    num, den = _share(params["share"], where)
    cap = params.get("cap_fen")
    if cap is not None and int(cap) < 0:
        raise RuleError(f"{where}: cap_fen must not be negative")

    def compute(facts: Facts) -> tuple[int, Callable[[], str]]:
        base = int(facts.get(fact) or 0)
        amount = to_fen(Decimal(base) * num / den)
        shown = f"{num}/{den}" if den != 1 else str(num)
        if cap is not None and amount > int(cap):
            return int(cap), lambda: why.stored(
                "amount.share_of_fact_capped",
                share=shown,
                base_fen=base,
                fact=fact,
                amount_fen=amount,
                cap_fen=int(cap),
            )
        return amount, lambda: why.stored(
            "amount.share_of_fact", share=shown, base_fen=base, fact=fact, amount_fen=amount
        )

    return Formula("share_of_fact", frozenset({fact}), compute)


FORMULAS: dict[str, Callable[[Mapping[str, Any], Mapping[str, Any], str], Formula]] = {
    "fixed": _fixed,
    "share_of_minimum_wage": _share_of_minimum_wage,
    "share_of_employer_contributions": _share_of_employer_contributions,
    "share_by_enterprise_size": _share_by_enterprise_size,
    "share_of_fact": _share_of_fact,
}


def parse_formula(doc: Any, tables: Mapping[str, Any], where: str) -> Formula:
    if not isinstance(doc, Mapping) or "formula" not in doc:
        raise RuleError(f"{where}: amount needs a formula of {sorted(FORMULAS)}")
    params = dict(doc)
    name = params.pop("formula")
    if name not in FORMULAS:
        raise RuleError(f"{where}: unknown formula {name!r} (known: {sorted(FORMULAS)})")
    try:
        return FORMULAS[name](params, tables, where)
    except KeyError as exc:
        raise RuleError(f"{where}: formula {name} lacks parameter {exc}") from None
    except (TypeError, ValueError) as exc:
        raise RuleError(f"{where}: formula {name}: {exc}") from None


# --- decisions ------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Decision:
    """A rule's decision on a set of facts: verdict, amount, why, and the facts it used.

    The reasons are built when first read (:attr:`reasons`): a hire is judged by every rule of
    its trigger, but only the rule each family chooses keeps its reasons, so building them for
    every rule cost more than judging (issue 21). They are a pure function of the conditions,
    verdicts and ``inputs_used``, so reading them later gives what building them at once did.
    """

    verdict: Verdict
    amount_fen: int  # 0 unless met; for a pending rule, the amount it would grant
    # Builds the stored reasons (suxin_common.reasons: a code and its parameters, as JSON
    # text), one per condition, then how the amount is made; rendered at the edge.
    explain: Callable[[], tuple[str, ...]] = field(repr=False)
    inputs_used: Mapping[str, Any] = field(default_factory=dict)
    # Facts the rule waits to see from an accepted source (declared, not yet verified).
    awaiting_verification: frozenset[str] = frozenset()
    # Each fact's source, as-of date and evidence (JSON), and the values only declared.
    sources: Mapping[str, Any] = field(default_factory=dict)
    declared: Mapping[str, Any] = field(default_factory=dict)

    @cached_property
    def reasons(self) -> tuple[str, ...]:
        return self.explain()

    @property
    def eligible(self) -> bool:
        return self.verdict is Verdict.MET

    def _key(self) -> tuple:
        return (
            self.verdict,
            self.amount_fen,
            self.reasons,
            self.inputs_used,
            self.awaiting_verification,
            self.sources,
            self.declared,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Decision):
            return NotImplemented
        return self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]  # mappings inside, as before


# Facts that place a situation in time; kept with every decision (though no condition reads
# them) so that a case waiting for data can be evaluated again on fresher data.
ANCHOR_FACTS = frozenset({"start_date", "birth_date", "year"})


def decide(
    conditions: Sequence[Condition],
    formula: Formula,
    facts: Facts,
    declared: Facts | None = None,
    reads: frozenset[str] | None = None,
) -> Decision:
    """The decision on the accepted ``facts``; ``declared`` values (see
    :meth:`Condition.judge`) can only make a condition pending, never met. ``reads``: what
    the conditions and the formula read, when the caller keeps it (a rule does)."""
    # The first condition not met decides the rule; the others are judged only if its reasons
    # are read (below), on the same values.
    judged: list[tuple[Verdict, frozenset[str]]] = []
    for c in conditions:
        judged.append(c.judge(facts, declared))
        if judged[-1][0] is Verdict.NOT_MET:
            verdict = Verdict.NOT_MET
            break
    else:
        verdict = _combine([v for v, _ in judged], any_=False)
    waiting: frozenset[str] = _NOTHING
    if verdict is Verdict.PENDING:
        waiting = _NOTHING.union(*(w for v, w in judged if v is Verdict.PENDING))
    if reads is None:
        reads = formula.reads.union(*(c.reads for c in conditions))
    used = reads.union(name for name in ANCHOR_FACTS if name in facts)
    inputs = {name: facts.get(name) for name in sorted(used)}
    rest = conditions[len(judged) :]
    # What the rest of the conditions would read when judged later: every fact a condition
    # reads is in ``inputs`` (as facts.get gave it); the declared values of those facts.
    seen_declared = (
        {n: declared[n] for n in reads if n in declared} if rest and declared is not None else None
    )
    amount, how = 0, None
    if verdict is not Verdict.NOT_MET:
        # A pending rule shows what it would grant once the claims are verified.
        would = dict(facts)
        for name, value in (declared or {}).items():
            if would.get(name) is None:
                would[name] = value
        amount, how = formula.compute(facts if verdict is Verdict.MET else would)

    def explain() -> tuple[str, ...]:
        every = judged + [c.judge(inputs, seen_declared) for c in rest]
        reasons = [c.explain(inputs, v, w) for c, (v, w) in zip(conditions, every, strict=True)]
        return (*reasons, how()) if how is not None else tuple(reasons)

    return Decision(verdict, amount, explain, inputs, waiting)
