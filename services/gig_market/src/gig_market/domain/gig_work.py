"""零工市场 as a market: where and when gig work happens, who takes it, and the 零工驿站.

A worker (a person with a real-name-verified login) keeps a gig profile (零工求职登记): the
skills they offer, where they are and how far they will travel. They apply for an open posting,
or the poster finds them among the posting's matches (by distance and skills) and invites them;
an invited worker accepts or declines. The poster confirms as many applicants as the posting has
places, and marks confirmed work completed once it has started. Payment between the parties is
not the market's business and is not recorded. Pure code: no I/O.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum


class ApplicationStatus(StrEnum):
    """A worker's standing on one gig posting (零工报名状态)."""

    INVITED = "invited"  # 用工方邀约，待劳动者接受
    APPLIED = "applied"  # 已报名，待用工方确认
    CONFIRMED = "confirmed"  # 用工方已确认录用
    COMPLETED = "completed"  # 已完工
    DECLINED = "declined"  # 用工方婉拒，或劳动者谢绝邀约
    WITHDRAWN = "withdrawn"  # 劳动者撤回


class Actor(StrEnum):
    WORKER = "worker"
    POSTER = "poster"


class Step(StrEnum):
    ACCEPT = "accept"  # the worker takes up an invitation
    WITHDRAW = "withdraw"  # the worker steps back
    DECLINE = "decline"  # the poster turns the worker down (or the worker an invitation)
    CONFIRM = "confirm"  # the poster confirms the worker for the gig
    COMPLETE = "complete"  # the poster records the work done


class GigRuleBroken(Exception):
    """A step the rules refuse; ``code`` is the problem slug (a 409 at the API)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


# (step, who) -> (from statuses, to status)
_MOVES: dict[tuple[Step, Actor], tuple[frozenset[ApplicationStatus], ApplicationStatus]] = {
    (Step.ACCEPT, Actor.WORKER): (
        frozenset({ApplicationStatus.INVITED}),
        ApplicationStatus.APPLIED,
    ),
    (Step.DECLINE, Actor.WORKER): (
        frozenset({ApplicationStatus.INVITED}),
        ApplicationStatus.DECLINED,
    ),
    (Step.WITHDRAW, Actor.WORKER): (
        frozenset({ApplicationStatus.APPLIED, ApplicationStatus.CONFIRMED}),
        ApplicationStatus.WITHDRAWN,
    ),
    (Step.DECLINE, Actor.POSTER): (
        frozenset({ApplicationStatus.INVITED, ApplicationStatus.APPLIED}),
        ApplicationStatus.DECLINED,
    ),
    (Step.CONFIRM, Actor.POSTER): (
        frozenset({ApplicationStatus.APPLIED}),
        ApplicationStatus.CONFIRMED,
    ),
    (Step.COMPLETE, Actor.POSTER): (
        frozenset({ApplicationStatus.CONFIRMED}),
        ApplicationStatus.COMPLETED,
    ),
}


def next_status(
    current: ApplicationStatus,
    step: Step,
    actor: Actor,
    *,
    confirmed: int = 0,
    headcount: int = 1,
    starts_on: date | None = None,
    today: date | None = None,
) -> ApplicationStatus:
    """The status ``step`` by ``actor`` leads to from ``current``, or GigRuleBroken.

    Confirming needs a free place (``confirmed`` < ``headcount``); completing needs the work to
    have started (``today`` >= ``starts_on``)."""
    move = _MOVES.get((step, actor))
    if move is None:
        raise GigRuleBroken(f"the {actor.value} cannot {step.value}", "step-not-allowed")
    sources, target = move
    if current not in sources:
        raise GigRuleBroken(
            f"an application that is {current.value} cannot be {step.value}ed",
            "transition-not-allowed",
        )
    if step is Step.CONFIRM and confirmed >= headcount:
        raise GigRuleBroken("every place of the posting is already confirmed", "headcount-filled")
    if step is Step.COMPLETE and starts_on and today and today < starts_on:
        raise GigRuleBroken("the work has not started yet", "not-started")
    return target


def check_open_for_workers(status: str, ends_on: date, today: date) -> None:
    """Workers apply and are invited only while the posting is open and the work not over."""
    if status != "open":
        raise GigRuleBroken("the posting is closed", "posting-closed")
    if ends_on < today:
        raise GigRuleBroken("the posting's work is over", "posting-closed")


@dataclass(frozen=True)
class GigProfile:
    """A worker's gig profile (零工求职登记); ``id`` is what posters see, never the key."""

    id: uuid.UUID
    person_key: str
    display_name: str
    skills: list[str]
    district_code: str
    latitude: float
    longitude: float
    radius_km: int
    available: bool
    updated_at: datetime


@dataclass(frozen=True)
class GigApplication:
    """A worker's application for one gig posting (零工报名), or the poster's invitation."""

    id: uuid.UUID
    posting_id: uuid.UUID
    person_key: str
    profile_id: uuid.UUID
    invited: bool
    status: ApplicationStatus
    version: int
    created_at: datetime
    updated_at: datetime


# --- place and distance -------------------------------------------------------------------

EARTH_RADIUS_M = 6_371_000.0
# One degree of latitude, in metres (used for the bounding box that narrows a distance search).
METRES_PER_DEGREE = 111_320.0


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) around a point: every point within ``radius_m`` lies
    inside, so an index range scan finds the candidates that the exact distance then sorts."""
    dlat = radius_m / METRES_PER_DEGREE
    dlon = radius_m / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def matched_skills(offered: list[str], wanted: list[str]) -> list[str]:
    """The wanted skills the worker offers, in the posting's order (case-insensitive)."""
    have = {s.casefold() for s in offered}
    return [s for s in wanted if s.casefold() in have]


@dataclass(frozen=True)
class Match:
    """A candidate (posting for a worker, or worker for a posting) and why it was suggested."""

    distance_m: int
    matched_skills: list[str]
    wanted_skills: int

    @property
    def score(self) -> float:
        """0..1: half skills (share of wanted skills offered; all if none are asked for), half
        nearness (1 at the spot, 0 at 50 km). Explainable, not clever."""
        skills = 1.0 if not self.wanted_skills else len(self.matched_skills) / self.wanted_skills
        near = max(0.0, 1.0 - self.distance_m / 50_000)
        return round(0.5 * skills + 0.5 * near, 3)


def rank(matches: list[tuple[Match, object]]) -> list[tuple[Match, object]]:
    """Best first: score, then nearer."""
    return sorted(matches, key=lambda m: (-m[0].score, m[0].distance_m))


# --- 零工驿站 opening hours ------------------------------------------------------------------


@dataclass(frozen=True)
class OpeningHours:
    """One line of a station's opening hours: days of the week (1 = Monday … 7 = Sunday) and
    the hours of those days."""

    days: tuple[int, ...]
    opens: time
    closes: time


def check_opening_hours(hours: list[OpeningHours]) -> None:
    for i, h in enumerate(hours):
        if not h.days or any(d < 1 or d > 7 for d in h.days):
            raise ValueError(f"opening_hours[{i}].days: days are 1 (Monday) to 7 (Sunday)")
        if h.closes <= h.opens:
            raise ValueError(f"opening_hours[{i}]: closes must be after opens")


def is_open(hours: list[OpeningHours], moment: datetime) -> bool:
    """Open at ``moment`` (local time of the station, i.e. China Standard Time)."""
    day, clock = moment.isoweekday(), moment.time().replace(tzinfo=None)
    return any(day in h.days and h.opens <= clock < h.closes for h in hours)
