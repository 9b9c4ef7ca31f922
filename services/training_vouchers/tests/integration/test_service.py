"""The whole service as app.py wires it: HireRecorded in from JetStream, SubsidyCaseOpened out."""

from __future__ import annotations

import uuid

import nats
import pytest

from suxin.subsidy.v1 import events_pb2 as subsidy
from suxin_common.messaging.catalog import HIRING, SUBSIDY, event_type_for_subject
from suxin_common.messaging.streams import ensure_stream
from suxin_devkit.testing import eventually, fresh_streams, headers_for, scalar
from training_vouchers.app import create_app

pytestmark = pytest.mark.integration
HIRE = event_type_for_subject("suxin.hiring.hire_recorded.v1")
OPENED = event_type_for_subject("suxin.subsidy.subsidy_case_opened.v1")


async def test_a_hire_delivered_again_and_again_opens_one_case_and_announces_it_once(
    runtime, infra, make_hire
) -> None:
    await fresh_streams(infra.nats_url)
    settings = runtime.settings.model_copy(
        update={
            "consumer_fetch_timeout_s": 0.5,
            "consumer_backoff_s": [0.05],
            "outbox_poll_interval_s": 0.1,
            # Every message comes twice, as after a crash between commit and ack.
            "fault_redeliver_after_commit": True,
        }
    )
    app = create_app(settings)
    nc = await nats.connect(infra.nats_url)
    js = nc.jetstream()
    try:
        await ensure_stream(js, HIRING, settings)
        async with app.router.lifespan_context(app):
            event = make_hire()
            payload = event.SerializeToString()
            await js.publish(HIRE.subject, payload, headers=headers_for(str(uuid.uuid4())))
            # The same hire announced again by its publisher, under a new event id.
            await js.publish(HIRE.subject, payload, headers=headers_for(str(uuid.uuid4())))
            # And a malformed one, which must be dead-lettered, not retried for ever.
            broken = make_hire()
            broken.ClearField("start_date")
            await js.publish(
                HIRE.subject, broken.SerializeToString(), headers=headers_for(str(uuid.uuid4()))
            )

            async def announced() -> bool:
                sent = await scalar(
                    runtime.engine, "SELECT count(*) FROM outbox WHERE published_at IS NOT NULL"
                )
                letters = await scalar(runtime.engine, "SELECT count(*) FROM dead_letters")
                return sent == 1 and letters == 1

            await eventually(announced)

        engine = runtime.engine
        assert await scalar(engine, "SELECT count(*) FROM subsidy_cases") == 1
        # Both announcements were handled (the inbox skips the injected redeliveries).
        assert await scalar(engine, "SELECT count(*) FROM inbox") == 2
        case_id = await scalar(engine, "SELECT id::text FROM subsidy_cases")
        assert await scalar(engine, "SELECT error FROM dead_letters") == (
            "poison: HireRecorded has no start_date"
        )
        assert (await js.stream_info(SUBSIDY.name)).state.messages == 1
        message = await js.get_last_msg(SUBSIDY.name, OPENED.subject)
        opened = subsidy.SubsidyCaseOpened.FromString(message.data)
        assert opened.case_id == case_id
        assert opened.hire_id == event.hire_id
        assert opened.rule_id == "job_expansion_youth"
        assert opened.awaiting_data
        assert message.headers["ce-type"] == OPENED.subject
        assert message.headers["ce-source"] == "/suxin/training-vouchers"
        assert message.headers["ce-subject"] == case_id
    finally:
        await nc.close()
