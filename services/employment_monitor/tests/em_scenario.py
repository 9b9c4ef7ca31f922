"""A generated scenario: the source events of a few months of a province, and the statistics
computed from them independently of the service (plain Python over the generated records)."""

from __future__ import annotations

import random
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from suxin.common.v1 import common_pb2 as common
from suxin.common.v1.common_pb2 import Date
from suxin.gig.v1 import events_pb2 as gig
from suxin.hiring.v1 import events_pb2 as hiring
from suxin.insurance.v1 import events_pb2 as insurance
from suxin.subsidy.v1 import events_pb2 as subsidy
from suxin.talent.v1 import events_pb2 as talent
from suxin.training.v1 import events_pb2 as training
from suxin_devkit.testing import make_uscc

CITIES = ["3201", "3205", "3210", "3213"]
INDUSTRIES = ["C", "I", "F"]
GROUPS = {
    hiring.KEY_GROUP_COLLEGE_GRADUATE: "college_graduate",
    hiring.KEY_GROUP_EMPLOYMENT_DIFFICULTY: "employment_difficulty",
    hiring.KEY_GROUP_VETERAN: "veteran",
    hiring.KEY_GROUP_DISABLED: "disabled",
}
AS_OF = date(2026, 6, 30)


def pdate(d: date) -> Date:
    return Date(year=d.year, month=d.month, day=d.day)


def ts(d: date) -> Timestamp:
    t = Timestamp()
    t.FromDatetime(datetime(d.year, d.month, d.day, 2, 0, tzinfo=UTC))
    return t


@dataclass
class Enterprise:
    uscc: str
    city: str
    district: str
    industry: str
    specialized: bool
    monitored: bool


@dataclass
class Hire:
    hire_id: str
    ent: Enterprise
    start: date
    groups: list[str]
    job_kind: int
    unemployed: bool
    skill: int
    title: int
    end: date | None = None


@dataclass
class Scenario:
    events: list[Message] = field(default_factory=list)
    enterprises: list[Enterprise] = field(default_factory=list)
    hires: list[Hire] = field(default_factory=list)  # confirmed: counted
    declared_only: list[Hire] = field(default_factory=list)  # never confirmed: not counted
    posts: list[tuple[str, int, date, int]] = field(default_factory=list)  # city, kind, month, n
    # (city, month, person key): a person may apply several times (求职人数 counts them once).
    applications: list[tuple[str, date, str]] = field(default_factory=list)
    orders: Counter = field(default_factory=Counter)  # (city, status) -> n
    cover: Counter = field(default_factory=Counter)  # city -> contribution fen
    claims: dict[str, str] = field(default_factory=dict)  # claim -> final stage
    cases: list[dict] = field(default_factory=list)
    vouchers: list[dict] = field(default_factory=list)
    flows: list[tuple[str, str]] = field(default_factory=list)
    coverages: dict[str, tuple[str, bool]] = field(default_factory=dict)  # hire -> (uscc, ended)

    # --- the statistics, computed from the records ------------------------------------

    def hires_by_city_month(self) -> dict[tuple[str, date], dict[str, int]]:
        out: dict[tuple[str, date], Counter] = defaultdict(Counter)
        for h in self.hires:
            c = out[(h.ent.city, h.start.replace(day=1))]
            c["hires"] += 1
            c["new_jobs"] += h.job_kind != hiring.JOB_KIND_INTERNSHIP
            c["reemployed"] += h.unemployed
            c["interns"] += h.job_kind == hiring.JOB_KIND_INTERNSHIP
            c["difficulty_reemployed"] += "employment_difficulty" in h.groups
            if h.end:
                out[(h.ent.city, h.end.replace(day=1))]["separations"] += 1
        return {k: dict(v) for k, v in out.items()}

    def hires_by_group(self) -> dict[str, int]:
        return dict(Counter(g for h in self.hires for g in h.groups))

    def headcount(self, uscc: str, day: date) -> int:
        return sum(
            1
            for h in self.hires
            if h.ent.uscc == uscc and h.start <= day and not (h.end and h.end <= day)
        )

    def insured(self, uscc: str) -> int:
        return sum(1 for u, ended in self.coverages.values() if u == uscc and not ended)

    def specialized(self, day: date) -> dict[str, int]:
        current = [
            h
            for h in self.hires
            if h.ent.specialized and h.start <= day and not (h.end and h.end <= day)
        ]
        return {
            "headcount": len(current),
            "graduates": sum("college_graduate" in h.groups for h in current),
            "high_skill": sum(h.skill >= 3 for h in current),
            "senior_titles": sum(h.title >= 3 for h in current),
            "insured": sum(
                1
                for h in current
                if h.hire_id in self.coverages and not self.coverages[h.hire_id][1]
            ),
        }

    def talent_net(self) -> dict[str, int]:
        net: Counter = Counter()
        for a, b in self.flows:
            if a != b:
                if a:  # a first employer in Jiangsu is an inflow with no outflow
                    net[a] -= 1
                net[b] += 1
        return dict(net)


def build(seed: int = 7, *, enterprises: int = 12, hires: int = 240) -> Scenario:
    rnd = random.Random(seed)
    s = Scenario()
    for n in range(enterprises):
        city = CITIES[n % len(CITIES)]
        s.enterprises.append(
            Enterprise(
                uscc=make_uscc(1000 + n, region=city + "02"),
                city=city,
                district=city + "02",
                industry=INDUSTRIES[n % len(INDUSTRIES)],
                specialized=n % 3 == 0,
                monitored=n % 4 == 1,
            )
        )
    # Enterprise 1 (monitored) loses most of its staff in May–June: a warning.
    for n in range(hires):
        ent = s.enterprises[1] if n < 20 else s.enterprises[(n % enterprises) or 0]
        if n >= 20 and ent is s.enterprises[1]:
            ent = s.enterprises[0]
        start = date(2026, 1, 1) + timedelta(days=rnd.randrange(0, 45 if n < 20 else 180))
        groups = [g for g in GROUPS.values() if rnd.random() < 0.25]
        h = Hire(
            hire_id=str(uuid.UUID(int=rnd.getrandbits(128))),
            ent=ent,
            start=start,
            groups=groups,
            job_kind=rnd.choice([hiring.JOB_KIND_FULL_TIME] * 4 + [hiring.JOB_KIND_INTERNSHIP]),
            unemployed=rnd.random() < 0.3,
            skill=rnd.choice([0, 1, 3, 4, 5]),
            title=rnd.choice([0, 1, 2, 3, 4]),
        )
        if n < 20 and n % 10 < 7:
            h.end = date(2026, 5, 15) + timedelta(days=n)
        elif rnd.random() < 0.1:
            h.end = start + timedelta(days=rnd.randrange(10, 60))
            if h.end > date(2026, 12, 31):
                h.end = None
        s.hires.append(h)
        s.events.append(_hire_event(h, rnd))
        # The person (or 社保) confirmed it: only confirmed hires count.
        s.events.append(_confirmed_event(h))
        if h.end:
            s.events.append(_ended_event(h))
        cov = str(uuid.UUID(int=rnd.getrandbits(128)))
        ended = h.end is not None and h.end <= AS_OF
        s.coverages[h.hire_id] = (ent.uscc, ended)
        s.events.append(
            insurance.CoverageStarted(
                coverage_id=cov,
                hire_id=h.hire_id,
                enterprise_uscc=ent.uscc,
                scheme=insurance.SCHEME_WORK_INJURY_INSURANCE,
                start_date=pdate(start),
                city_code=ent.city,
            )
        )
        if ended:
            s.events.append(
                insurance.CoverageEnded(
                    coverage_id=cov,
                    hire_id=h.hire_id,
                    enterprise_uscc=ent.uscc,
                    scheme=insurance.SCHEME_WORK_INJURY_INSURANCE,
                    end_date=pdate(h.end),
                    city_code=ent.city,
                )
            )
    _declared_only(s, rnd)
    _market(s, rnd)
    _gig(s, rnd)
    _subsidies(s, rnd)
    _training(s, rnd)
    _talent(s, rnd)
    _fairs(s, rnd)
    return s


def _fairs(s: Scenario, rnd: random.Random) -> None:
    """Job fairs held (招聘会): one 专精特新 专场 on site and one general fair online per city."""
    for n, city in enumerate(CITIES):
        for mode, theme in (
            (hiring.JOB_FAIR_MODE_ONSITE, hiring.JOB_FAIR_THEME_SPECIALIZED_SME),
            (hiring.JOB_FAIR_MODE_ONLINE, hiring.JOB_FAIR_THEME_GENERAL),
        ):
            day = date(2026, 3 + n, 10)
            s.events.append(
                hiring.JobFairHeld(
                    job_fair_id=str(uuid.UUID(int=rnd.getrandbits(128))),
                    name=f"{city} 招聘会",
                    mode=mode,
                    theme=theme,
                    city_code=city,
                    district_code=city + "02",
                    starts_on=pdate(day),
                    ends_on=pdate(day),
                    booths=rnd.randint(3, 30),
                    job_posts=rnd.randint(5, 60),
                    positions=rnd.randint(10, 200),
                    registrations=rnd.randint(20, 400),
                    check_ins=rnd.randint(10, 200),
                )
            )


def _hire_event(h: Hire, rnd: random.Random) -> hiring.HireRecorded:
    inv = {v: k for k, v in GROUPS.items()}
    return hiring.HireRecorded(
        hire_id=h.hire_id,
        version=1,
        enterprise_uscc=h.ent.uscc,
        enterprise_name=f"企业{h.ent.uscc[-4:]}",
        industry_code=h.ent.industry,
        specialized_sme=h.ent.specialized,
        key_monitored=h.ent.monitored,
        city_code=h.ent.city,
        district_code=h.ent.district,
        person_key=f"pk_{rnd.getrandbits(64):016x}",
        key_groups=[inv[g] for g in h.groups],
        job_kind=h.job_kind,
        start_date=pdate(h.start),
        skill_level=h.skill,
        professional_title=h.title,
        previously_unemployed=h.unemployed,
        education=hiring.EDUCATION_BACHELOR,
        monthly_wage_fen=650_000,
        recorded_at=ts(h.start),
    )


def _confirmed_event(h: Hire) -> hiring.HireConfirmed:
    return hiring.HireConfirmed(
        hire_id=h.hire_id,
        version=2,
        enterprise_uscc=h.ent.uscc,
        person_key="pk_confirmed",
        start_date=pdate(h.start),
        job_kind=h.job_kind,
        confirmed_by=hiring.HIRE_CONFIRMATION_PERSON,
        confirmed_at=ts(h.start),
    )


def _declared_only(s: Scenario, rnd: random.Random) -> None:
    """Hires an enterprise filed about people who never confirmed them and whom 社保 does not
    show (strangers): recorded, covered by insurance, and counted in no statistic; so they are
    not in ``s.hires``, from which every expected figure is computed."""
    for n in range(6):
        ent = s.enterprises[n % len(s.enterprises)]
        h = Hire(
            hire_id=str(uuid.UUID(int=rnd.getrandbits(128))),
            ent=ent,
            start=date(2026, 3, 2) + timedelta(days=7 * n),
            groups=["employment_difficulty"],
            job_kind=hiring.JOB_KIND_FULL_TIME,
            unemployed=True,
            skill=5,
            title=4,
        )
        s.declared_only.append(h)
        s.events.append(_hire_event(h, rnd))
        # Insurance cover does not wait: it protects from day one.
        cov = str(uuid.UUID(int=rnd.getrandbits(128)))
        s.coverages[h.hire_id] = (ent.uscc, False)
        s.events.append(
            insurance.CoverageStarted(
                coverage_id=cov,
                hire_id=h.hire_id,
                enterprise_uscc=ent.uscc,
                scheme=insurance.SCHEME_WORK_INJURY_INSURANCE,
                start_date=pdate(h.start),
                city_code=ent.city,
            )
        )


def _ended_event(h: Hire) -> hiring.EmploymentEnded:
    inv = {v: k for k, v in GROUPS.items()}
    return hiring.EmploymentEnded(
        hire_id=h.hire_id,
        version=2,
        enterprise_uscc=h.ent.uscc,
        city_code=h.ent.city,
        district_code=h.ent.district,
        industry_code=h.ent.industry,
        job_kind=h.job_kind,
        end_date=pdate(h.end),
        reason=hiring.SEPARATION_REASON_RESIGNATION,
        specialized_sme=h.ent.specialized,
        key_monitored=h.ent.monitored,
        key_groups=[inv[g] for g in h.groups],
        skill_level=h.skill,
        professional_title=h.title,
    )


def _market(s: Scenario, rnd: random.Random) -> None:
    for _ in range(40):
        city = rnd.choice(CITIES)
        month = date(2026, rnd.randrange(1, 7), 1)
        kind = rnd.choice([hiring.JOB_KIND_FULL_TIME, hiring.JOB_KIND_PUBLIC_WELFARE])
        n = rnd.randrange(1, 10)
        post = str(uuid.uuid4())
        s.posts.append((city, kind, month, n))
        s.events.append(
            hiring.JobPostOpened(
                job_post_id=post, version=1, city_code=city, district_code=city + "02",
                industry_code="C", job_kind=kind, headcount=n, opened_at=ts(month),
            )
        )  # fmt: skip
        if rnd.random() < 0.3:
            s.events.append(
                hiring.JobPostClosed(job_post_id=post, version=2, city_code=city,
                                     closed_at=ts(month + timedelta(days=20)))
            )  # fmt: skip
        for _ in range(rnd.randrange(0, 6)):
            person = f"pk_{rnd.randrange(6):032x}"  # few people: some apply more than once
            s.applications.append((city, month, person))
            s.events.append(
                hiring.ApplicationSubmitted(
                    application_id=str(uuid.uuid4()), job_post_id=post, city_code=city,
                    district_code=city + "02", submitted_at=ts(month), person_key=person,
                )
            )  # fmt: skip


def _gig(s: Scenario, rnd: random.Random) -> None:
    platform = make_uscc(9001, region="320100")
    s.events.append(
        gig.PlatformRegistered(platform_uscc=platform, name="快送", pilot=True, city_code="3201")
    )
    for chunk in range(6):
        s.events.append(
            gig.GigWorkerRegistered(platform_uscc=platform, worker_id=f"w{chunk}",
                                    city_code=CITIES[chunk % 4], registered_at=ts(AS_OF))
        )  # fmt: skip
        orders = []
        for _ in range(rnd.randrange(5, 30)):
            city = rnd.choice(CITIES)
            status = rnd.choice(
                [gig.ORDER_STATUS_ACCEPTED, gig.ORDER_STATUS_COMPLETED, gig.ORDER_STATUS_CANCELLED]
            )
            s.orders[
                (city, gig.OrderStatus.Name(status).removeprefix("ORDER_STATUS_").lower())
            ] += 1
            orders.append(
                gig.OrdersReported.PlatformOrder(
                    order_id=str(uuid.uuid4()), worker_id=f"w{chunk}",
                    industry=gig.PLATFORM_INDUSTRY_INSTANT_DELIVERY, status=status,
                    accepted_at=ts(date(2026, 3, 1)), city_code=city,
                )
            )  # fmt: skip
        chunk_id = str(uuid.uuid4())
        s.events.append(
            gig.OrdersReported(chunk_id=chunk_id, platform_uscc=platform, orders=orders)
        )
        lines = Counter(o.city_code for o in orders)
        s.events.append(
            insurance.OrdersCovered(
                chunk_id=chunk_id,
                platform_uscc=platform,
                lines=[
                    insurance.OrdersCovered.Line(
                        industry=gig.PLATFORM_INDUSTRY_INSTANT_DELIVERY, city_code=c,
                        month="2026-03", orders=n, contribution_fen=n * 4,
                    )
                    for c, n in lines.items()
                ],
            )
        )  # fmt: skip
        for c, n in lines.items():
            s.cover[c] += n * 4
    for n in range(8):
        claim = str(uuid.uuid4())
        stages = [
            insurance.CLAIM_STAGE_REPORTED,
            insurance.CLAIM_STAGE_UNDER_REVIEW,
            insurance.CLAIM_STAGE_APPROVED,
            insurance.CLAIM_STAGE_PAID,
        ][: 1 + n % 4]
        for v, stage in enumerate(stages, start=1):
            s.events.append(
                insurance.ClaimStageChanged(claim_id=claim, platform_uscc=platform, stage=stage,
                                            city_code="3201", version=v, changed_at=ts(AS_OF))
            )  # fmt: skip
        s.claims[claim] = insurance.ClaimStage.Name(stages[-1]).removeprefix("CLAIM_STAGE_").lower()


def _subsidies(s: Scenario, rnd: random.Random) -> None:
    today = (datetime.now(UTC) + timedelta(hours=8)).date()
    for n, h in enumerate(s.hires[:60]):
        case = str(uuid.uuid4())
        deadline = today + timedelta(days=rnd.randrange(-20, 20))
        record = {"city": h.ent.city, "deadline": deadline, "decided": None, "in_time": None}
        s.events.append(
            subsidy.SubsidyCaseOpened(
                case_id=case, hire_id=h.hire_id, enterprise_uscc=h.ent.uscc,
                rule_id="absorb", rule_family="hiring_absorption", amount_fen=100_000,
                review_deadline=pdate(deadline), city_code=h.ent.city,
                district_code=h.ent.district, opened_at=ts(h.start),
            )
        )  # fmt: skip
        if n % 3:
            in_time = n % 3 == 1
            decided_on = deadline - timedelta(days=1) if in_time else deadline + timedelta(days=2)
            record |= {"decided": True, "in_time": in_time}
            s.events.append(
                subsidy.SubsidyCaseDecided(
                    case_id=case, rule_family="hiring_absorption", city_code=h.ent.city,
                    decision=subsidy.DECISION_APPROVED, amount_fen=100_000,
                    review_deadline=pdate(deadline), decided_on=pdate(decided_on),
                    decided_in_time=in_time, decided_at=ts(decided_on),
                )
            )  # fmt: skip
            s.events.append(
                subsidy.SubsidyCasePaid(case_id=case, rule_family="hiring_absorption",
                                        city_code=h.ent.city, amount_fen=100_000)
            )  # fmt: skip
        s.cases.append(record)


def _training(s: Scenario, rnd: random.Random) -> None:
    kinds = [training.TRAINING_KIND_EMPLOYMENT_SKILLS, training.TRAINING_KIND_ENTREPRENEURSHIP,
             training.TRAINING_KIND_EMPLOYEE_UPSKILLING]  # fmt: skip
    for n in range(90):
        v = str(uuid.uuid4())
        kind = kinds[n % 3]
        city = rnd.choice(CITIES)
        rec = {"kind": kind, "completed": False, "passed": False, "employed": False,
               "retained": False}  # fmt: skip
        s.events.append(training.VoucherIssued(voucher_id=v, training_kind=kind, city_code=city))
        if rnd.random() < 0.8:
            passed = rnd.random() < 0.7
            rec |= {"completed": True, "passed": passed}
            s.events.append(
                training.TrainingCompleted(voucher_id=v, training_kind=kind, passed=passed,
                                           city_code=city, completed_on=pdate(AS_OF))
            )  # fmt: skip
            if passed:
                s.events.append(
                    training.TrainingCertified(voucher_id=v, training_kind=kind,
                                               skill_level=common.SKILL_LEVEL_SENIOR_WORKER,
                                               certified_on=pdate(AS_OF), city_code=city)
                )  # fmt: skip
                if rnd.random() < 0.6:
                    outcome = (training.TRAINING_OUTCOME_RETAINED
                               if kind == training.TRAINING_KIND_EMPLOYEE_UPSKILLING
                               else training.TRAINING_OUTCOME_EMPLOYED)  # fmt: skip
                    rec[
                        "employed" if outcome == training.TRAINING_OUTCOME_EMPLOYED else "retained"
                    ] = True
                    s.events.append(
                        training.TrainingOutcomeRecorded(voucher_id=v, training_kind=kind,
                                                         outcome=outcome, city_code=city)
                    )  # fmt: skip
        s.vouchers.append(rec)


def _talent(s: Scenario, rnd: random.Random) -> None:
    for n in range(30):
        a = rnd.choice(CITIES + [""])
        b = rnd.choice(CITIES)
        s.flows.append((a, b))
        s.events.append(
            talent.TalentFlowRecorded(
                flow_id=str(uuid.uuid4()), card_id=f"card{n}", hire_id=str(uuid.uuid4()),
                from_city_code=a, to_city_code=b, flowed_on=pdate(AS_OF),
                level=talent.CARD_LEVEL_C,
            )
        )  # fmt: skip
        s.events.append(
            talent.CardIssued(card_id=f"card{n}", level=talent.CARD_LEVEL_C, city_code=b)
        )
        if n % 5 == 0:
            for v, status in enumerate(
                [talent.CARD_STATUS_SUSPENDED, talent.CARD_STATUS_ACTIVE], 2
            ):
                s.events.append(
                    talent.CardStatusChanged(card_id=f"card{n}", status=status, version=v)
                )


def shuffled_with_repeats(events: list[Message], seed: int = 3) -> list[Message]:
    """The events in a random order, a tenth of them twice (redeliveries / re-announcements)."""
    rnd = random.Random(seed)
    out = list(events) + rnd.sample(events, len(events) // 10)
    rnd.shuffle(out)
    return out
