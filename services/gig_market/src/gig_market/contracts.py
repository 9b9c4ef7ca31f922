"""The one place that maps gig-market's domain to its proto contracts (suxin.gig.v1)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

from google.protobuf.timestamp_pb2 import Timestamp

from gig_market.domain.gig_work import ApplicationStatus, GigApplication
from gig_market.domain.model import GigWorker, Industry, Platform, Posting
from gig_market.domain.orders import OrderFacts, OrderStatus
from suxin.gig.v1 import events_pb2 as pb
from suxin_common.protodates import to_proto_date

INDUSTRY = {
    Industry.RIDE_HAILING: pb.PLATFORM_INDUSTRY_RIDE_HAILING,
    Industry.INSTANT_DELIVERY: pb.PLATFORM_INDUSTRY_INSTANT_DELIVERY,
    Industry.INTRA_CITY_FREIGHT: pb.PLATFORM_INDUSTRY_INTRA_CITY_FREIGHT,
    Industry.LOCAL_SERVICES: pb.PLATFORM_INDUSTRY_LOCAL_SERVICES,
}
STATUS = {
    OrderStatus.ACCEPTED: pb.ORDER_STATUS_ACCEPTED,
    OrderStatus.COMPLETED: pb.ORDER_STATUS_COMPLETED,
    OrderStatus.CANCELLED: pb.ORDER_STATUS_CANCELLED,
}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def timestamp(moment: datetime) -> Timestamp:
    delta = moment - _EPOCH
    return Timestamp(seconds=delta.days * 86_400 + delta.seconds, nanos=delta.microseconds * 1000)


def platform_registered(p: Platform) -> pb.PlatformRegistered:
    return pb.PlatformRegistered(
        platform_uscc=p.uscc,
        name=p.name,
        pilot=p.pilot,
        industries=sorted(INDUSTRY[i] for i in p.industries),
        city_code=p.city_code,
        version=p.version,
        registered_at=timestamp(p.registered_at),
    )


def gig_worker_registered(w: GigWorker) -> pb.GigWorkerRegistered:
    return pb.GigWorkerRegistered(
        platform_uscc=w.platform_uscc,
        worker_id=w.worker_id,
        person_key=w.person_key,
        masked_resident_id=w.masked_resident_id,
        city_code=w.city_code,
        birth_year=w.birth_year,
        registered_at=timestamp(w.registered_at),
    )


def orders_reported(
    platform_uscc: str,
    orders: Iterable[tuple[OrderFacts, str, str]],
    reported_at: datetime,
) -> pb.OrdersReported:
    """One chunk: each order with its worker's person key and the city it was served in."""
    message = pb.OrdersReported(
        chunk_id=str(uuid.uuid4()),
        platform_uscc=platform_uscc,
        reported_at=timestamp(reported_at),
    )
    add = message.orders.add
    for o, person_key, city_code in orders:
        completed_at, cancelled_at = o.completed_at, o.cancelled_at
        add(
            order_id=o.order_id,
            worker_id=o.worker_id,
            person_key=person_key,
            industry=INDUSTRY[o.industry],
            status=STATUS[o.status],
            accepted_at=timestamp(o.accepted_at),
            completed_at=None if completed_at is None else timestamp(completed_at),
            cancelled_at=None if cancelled_at is None else timestamp(cancelled_at),
            city_code=city_code,
        )
    return message


APPLICATION_STATUS = {
    ApplicationStatus.INVITED: pb.GIG_APPLICATION_STATUS_INVITED,
    ApplicationStatus.APPLIED: pb.GIG_APPLICATION_STATUS_APPLIED,
    ApplicationStatus.CONFIRMED: pb.GIG_APPLICATION_STATUS_CONFIRMED,
    ApplicationStatus.COMPLETED: pb.GIG_APPLICATION_STATUS_COMPLETED,
    ApplicationStatus.DECLINED: pb.GIG_APPLICATION_STATUS_DECLINED,
    ApplicationStatus.WITHDRAWN: pb.GIG_APPLICATION_STATUS_WITHDRAWN,
}


def gig_application_changed(a: GigApplication, posting: Posting) -> pb.GigApplicationChanged:
    return pb.GigApplicationChanged(
        application_id=str(a.id),
        posting_id=str(a.posting_id),
        posting_title=posting.title,
        poster_uscc=posting.poster_uscc or "",
        person_key=a.person_key,
        status=APPLICATION_STATUS[a.status],
        invited=a.invited,
        version=a.version,
        district_code=posting.district_code,
        occupation_code=posting.occupation_code,
        starts_on=to_proto_date(posting.starts_on),
        changed_at=timestamp(a.updated_at),
    )
