"""Gig-market handlers: one function per command; the only place that changes state."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.dialects.postgresql import insert

from gig_market import contracts
from gig_market.adapters import order_store
from gig_market.adapters import repository as repo
from gig_market.adapters.tables import gig_markets
from gig_market.domain import commands
from gig_market.domain.model import (
    GigWorker,
    Platform,
    Posting,
    PostingStatus,
    Rejected,
    check_market,
    check_platform,
    check_posting,
    check_posting_place,
    check_working_age,
    mask_name,
)
from gig_market.domain.orders import (
    OrderFacts,
    Outcome,
    RowProblem,
    check_report,
    fold_batch,
    judge,
)
from suxin_common import db
from suxin_common.auth import Principal
from suxin_common.db import UnitOfWork
from suxin_common.errors import Conflict, NotFound, RuleViolation
from suxin_common.identity import birth_date_of, normalize_resident_id
from suxin_common.privacy import PersonalData
from suxin_common.security import audit
from suxin_common.working_days import CHINA_STANDARD_TIME

RESIDENT_ID_AAD = "gig_market.gig_workers.resident_id"
NAME_AAD = "gig_market.gig_workers.name"
# Audit action of a real-name registration (实名登记): personal data collected and stored.
REGISTER_REAL_NAME = "register_real_name"


def _unprocessable(exc: Rejected) -> RuleViolation:
    return RuleViolation(str(exc), field=exc.field)


# --- markets and postings -----------------------------------------------------------------


async def register_market(uow: UnitOfWork, cmd: commands.RegisterMarket) -> uuid.UUID:
    try:
        check_market(cmd.level, cmd.city_code, cmd.district_code)
    except Rejected as exc:
        raise _unprocessable(exc) from exc
    market_id = uuid.uuid4()
    async with uow:
        row = await uow.session.execute(
            insert(gig_markets)
            .values(
                id=market_id,
                name=cmd.name,
                level=cmd.level.value,
                city_code=cmd.city_code,
                district_code=cmd.district_code,
                standardised=cmd.standardised,
                provincial_level=cmd.provincial_level,
                opened_on=cmd.opened_on,
            )
            .on_conflict_do_nothing()
            .returning(gig_markets.c.id)
        )
        if row.first() is None:
            raise Conflict(f"a gig market named {cmd.name} is already registered")
        await uow.commit()
    return market_id


async def publish_posting(
    uow: UnitOfWork, cmd: commands.PublishPosting, *, today: date | None = None
) -> Posting:
    async with uow:
        market = await repo.get_market(uow.session, cmd.market_id)
        if market is None:
            raise NotFound(f"gig market {cmd.market_id} does not exist")
        try:
            check_posting(
                market.city_code,
                cmd.district_code,
                cmd.starts_on,
                cmd.ends_on,
                today or date.today(),
            )
            check_posting_place(cmd.latitude, cmd.longitude, cmd.daily_start, cmd.daily_end)
        except Rejected as exc:
            raise _unprocessable(exc) from exc
        posting = Posting(
            id=uuid.uuid4(),
            market_id=cmd.market_id,
            poster_uscc=cmd.poster_uscc,
            title=cmd.title,
            occupation_code=cmd.occupation_code,
            district_code=cmd.district_code,
            pay_unit=cmd.pay_unit,
            pay_fen=cmd.pay_fen,
            headcount=cmd.headcount,
            starts_on=cmd.starts_on,
            ends_on=cmd.ends_on,
            status=PostingStatus.OPEN,
            address=cmd.address,
            latitude=cmd.latitude,
            longitude=cmd.longitude,
            daily_start=cmd.daily_start,
            daily_end=cmd.daily_end,
            skills=cmd.skills,
        )
        await repo.add_posting(uow.session, posting)
        await uow.commit()
    return posting


async def close_posting(uow: UnitOfWork, posting: Posting) -> Posting:
    """Close an open posting (the caller has checked who may)."""
    async with uow:
        current = await repo.get_posting(uow.session, posting.id, lock=True)
        if current is None:
            raise NotFound(f"gig posting {posting.id} does not exist")
        if current.status is PostingStatus.CLOSED:
            raise Conflict("the posting is already closed")
        await repo.set_posting_status(uow.session, posting.id, PostingStatus.CLOSED)
        await uow.commit()
    return replace(current, status=PostingStatus.CLOSED)


# --- platforms and workers ----------------------------------------------------------------


async def register_platform(uow: UnitOfWork, cmd: commands.RegisterPlatform) -> Platform:
    try:
        check_platform(cmd.industries)
    except Rejected as exc:
        raise _unprocessable(exc) from exc
    platform = Platform(
        uscc=cmd.uscc,
        name=cmd.name,
        client_id=cmd.client_id,
        pilot=cmd.pilot,
        industries=cmd.industries,
        city_code=cmd.city_code,
        version=1,
        registered_at=datetime.now(UTC),
    )
    async with uow:
        taken = await repo.add_platform(uow.session, platform)
        if taken == "uscc":
            raise Conflict(f"platform {cmd.uscc} is already registered", extra={"uscc": cmd.uscc})
        if taken == "client_id":
            raise Conflict("another platform already uses this client_id")
        uow.publish(contracts.platform_registered(platform), key=platform.uscc)
        await uow.commit()
    return platform


async def change_platform(uow: UnitOfWork, cmd: commands.ChangePlatform) -> Platform:
    """Change a platform's registration; a change bumps its version and is announced."""
    async with uow:
        current = await repo.get_platform(uow.session, cmd.uscc, lock=True)
        if current is None:
            raise NotFound(f"platform {cmd.uscc} is not registered")
        changed = replace(
            current,
            name=cmd.name if cmd.name is not None else current.name,
            pilot=cmd.pilot if cmd.pilot is not None else current.pilot,
            industries=cmd.industries if cmd.industries is not None else current.industries,
        )
        if changed == current:
            return current  # nothing to change, nothing to announce
        try:
            check_platform(changed.industries)
        except Rejected as exc:
            raise _unprocessable(exc) from exc
        changed = replace(changed, version=current.version + 1)
        await repo.save_platform(uow.session, changed, datetime.now(UTC))
        uow.publish(contracts.platform_registered(changed), key=changed.uscc)
        await uow.commit()
    return changed


async def register_worker(
    uow: UnitOfWork,
    cmd: commands.RegisterGigWorker,
    pii: PersonalData,
    principal: Principal | None = None,
    *,
    actor: str | None = None,
    today: date | None = None,
) -> GigWorker:
    """Register a worker by real name (实名登记), aged 16 or more (《劳动法》第十五条). The
    raw ID and name are kept only encrypted; the registration is audited (who, for which
    platform) in the same transaction."""
    number = normalize_resident_id(cmd.resident_id)
    try:
        check_working_age(birth_date_of(number), today or datetime.now(CHINA_STANDARD_TIME).date())
    except Rejected as exc:
        raise _unprocessable(exc) from exc
    protected = pii.protect(number, RESIDENT_ID_AAD)
    worker = GigWorker(
        platform_uscc=cmd.platform_uscc,
        worker_id=cmd.worker_id,
        person_key=protected.person_key,
        masked_resident_id=protected.masked,
        masked_name=mask_name(cmd.name),
        city_code=cmd.city_code,
        birth_year=birth_date_of(number).year,
        registered_at=datetime.now(UTC),
    )
    async with uow:
        if await repo.get_platform(uow.session, cmd.platform_uscc) is None:
            raise NotFound(f"platform {cmd.platform_uscc} is not registered")
        added = await repo.add_worker(
            uow.session,
            {
                "platform_uscc": worker.platform_uscc,
                "worker_id": worker.worker_id,
                "person_key": worker.person_key,
                "resident_id_encrypted": protected.ciphertext,
                "resident_id_masked": worker.masked_resident_id,
                "name_encrypted": pii.cipher.encrypt(cmd.name, NAME_AAD),
                "name_masked": worker.masked_name,
                "city_code": worker.city_code,
                "birth_year": worker.birth_year,
                "registered_at": worker.registered_at,
            },
        )
        if not added:
            same_id = await repo.get_worker(uow.session, cmd.platform_uscc, cmd.worker_id)
            if same_id is not None:
                raise Conflict(
                    "this worker_id is already registered", extra={"worker_id": cmd.worker_id}
                )
            existing = await repo.worker_by_person(
                uow.session, cmd.platform_uscc, worker.person_key
            )
            raise Conflict(
                "this person is already registered with the platform",
                extra={"worker_id": existing.worker_id if existing else None},
            )
        # Keyed by platform, like its orders: the relay keeps one key's events in order, so
        # a consumer sees a worker's registration before that worker's first orders.
        uow.publish(contracts.gig_worker_registered(worker), key=worker.platform_uscc)
        await audit.record(
            uow,
            principal,
            actor=actor,
            action=REGISTER_REAL_NAME,
            object_type="gig_worker",
            object_id=f"{worker.platform_uscc}/{worker.worker_id}",
            purpose="real-name registration with a platform",
        )
        await uow.commit()
    return worker


# --- orders -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportOutcome:
    """What a batch did: orders new and moved on, and the rows refused, by row index."""

    received: int
    new: int
    changed: int
    chunks: int
    problems: list[tuple[int, RowProblem]]

    @property
    def unchanged(self) -> int:
        """Rows that changed nothing themselves: repeats, late statuses, superseded rows."""
        return self.received - len(self.problems) - self.new - self.changed


_WORKER_NOT_FOUND = RowProblem(
    "worker-not-found", 404, "the worker is not registered with this platform", "worker_id"
)
_RACED = RowProblem(
    "order-changed-concurrently",
    409,
    "the order changed while this batch was stored; report the row again",
    "status",
)


async def report_orders(
    uow: UnitOfWork,
    cmd: commands.ReportOrders,
    *,
    chunk_size: int,
    skew: timedelta,
    now: datetime | None = None,
) -> ReportOutcome:
    """Record a batch of order reports and announce what changed (OrdersReported chunks).

    Idempotent per (platform, order id): re-sending a batch records and publishes nothing.
    """
    now = now or datetime.now(UTC)
    problems = list(cmd.refused)
    async with uow:
        platform = await repo.get_platform(uow.session, cmd.platform_uscc)
        if platform is None:
            raise NotFound(f"platform {cmd.platform_uscc} is not registered")
        industries = platform.industries
        sound = []
        for index, report in cmd.rows:
            problem = check_report(report, now=now, industries=industries, skew=skew)
            if problem is None:
                sound.append((index, report))
            else:
                problems.append((index, problem))
        latest, contradicted = fold_batch(sound)
        problems.extend(contradicted)

        conn = await db.driver_connection(uow)
        known = await order_store.workers(
            conn, platform.uscc, {report.worker_id for _, report in latest.values()}
        )
        staged = []  # (report, person_key, city_code), with its row index in `rows_of`
        rows_of = []
        for index, report in latest.values():
            worker = known.get(report.worker_id)
            if worker is None:
                problems.append((index, _WORKER_NOT_FOUND))
            else:
                staged.append((report, worker[0], report.city_code or worker[1]))
                rows_of.append(index)
        applied = await order_store.upsert(conn, platform.uscc, staged)
        changes = staged
        if len(applied) < len(staged):
            unapplied = [
                (index, order[0])
                for index, order in zip(rows_of, staged, strict=True)
                if order[0].order_id not in applied
            ]
            problems.extend(await _judge_unapplied(conn, platform.uscc, unapplied))
            changes = [order for order in staged if order[0].order_id in applied]

        chunks = 0
        for start in range(0, len(changes), chunk_size):
            chunk = changes[start : start + chunk_size]
            uow.publish(contracts.orders_reported(platform.uscc, chunk, now), key=platform.uscc)
            chunks += 1
        await uow.commit()
    new = sum(applied.values())
    problems.sort(key=lambda item: item[0])
    return ReportOutcome(cmd.received, new, len(applied) - new, chunks, problems)


async def _judge_unapplied(
    conn, platform_uscc: str, unapplied: list[tuple[int, OrderFacts]]
) -> list[tuple[int, RowProblem]]:
    """Say why rows changed nothing: a harmless repeat (no problem), or a refused change."""
    recorded = await order_store.recorded(conn, platform_uscc, [r.order_id for _, r in unapplied])
    problems = []
    for index, report in unapplied:
        current = recorded.get(report.order_id)
        outcome = _RACED if current is None else judge(current, report)
        if outcome is Outcome.ADVANCE:
            outcome = _RACED  # another batch got there between our upsert and this read
        if isinstance(outcome, RowProblem):
            problems.append((index, outcome))
    return problems
