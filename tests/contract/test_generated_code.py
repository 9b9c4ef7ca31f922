"""Contract tests for the protobuf events (proto/) and their generated code (libs/contracts).

The tooling in scripts/proto.py is imported by path and reused: these tests never re-implement
generation or lint, they call the same functions as `scripts/proto.py check`.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from google.protobuf import json_format
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.timestamp_pb2 import Timestamp

REPO = Path(__file__).resolve().parents[2]
TOOL_PATH = REPO / "scripts" / "proto.py"


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("suxin_proto_tool", TOOL_PATH)
    assert spec is not None and spec.loader is not None, f"cannot load {TOOL_PATH}"
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


tool = _load_tool()

# The published events: subject -> (generated module, message, field names in field-number order).
EVENTS: dict[str, tuple[str, str, list[str]]] = {
    "suxin.dataexchange.fact_verified.v1": (
        "suxin.dataexchange.v1.events_pb2",
        "FactVerified",
        (
            "fact_id fact_key version kind subject_kind person_key enterprise_uscc department"
            " as_of_date valid_from_date valid_until revoked evidence_ref verified_at enrolment"
            " contribution education skill_certificate professional_title"
            " enterprise_registration birth list_membership social_assistance disability veteran"
            " employment_status employment_difficulty poverty_alleviation"
        ).split(),
    ),
    "suxin.hiring.hire_recorded.v1": (
        "suxin.hiring.v1.events_pb2",
        "HireRecorded",
        (
            "hire_id version enterprise_uscc enterprise_name industry_code specialized_sme"
            " little_giant key_monitored city_code district_code person_key masked_resident_id"
            " gender birth_year education graduation_date key_groups job_post_id"
            " occupation_code job_kind contract_type contract_months start_date"
            " monthly_wage_fen recorded_at skill_level professional_title application_id"
            " previously_unemployed enterprise_size age_at_start"
        ).split(),
    ),
    "suxin.hiring.employment_ended.v1": (
        "suxin.hiring.v1.events_pb2",
        "EmploymentEnded",
        (
            "hire_id version enterprise_uscc person_key city_code district_code industry_code"
            " job_kind end_date reason specialized_sme little_giant key_monitored key_groups"
            " skill_level professional_title recorded_at"
        ).split(),
    ),
    "suxin.hiring.hire_confirmed.v1": (
        "suxin.hiring.v1.events_pb2",
        "HireConfirmed",
        (
            "hire_id version enterprise_uscc person_key start_date job_kind confirmed_by"
            " evidence_ref confirmed_at"
        ).split(),
    ),
    "suxin.hiring.job_post_opened.v1": (
        "suxin.hiring.v1.events_pb2",
        "JobPostOpened",
        (
            "job_post_id version enterprise_uscc city_code district_code industry_code"
            " occupation_code job_kind headcount wage_min_fen wage_max_fen min_education"
            " specialized_zone opened_at"
        ).split(),
    ),
    "suxin.hiring.job_post_closed.v1": (
        "suxin.hiring.v1.events_pb2",
        "JobPostClosed",
        (
            "job_post_id version enterprise_uscc city_code district_code occupation_code"
            " reason hires_made closed_at"
        ).split(),
    ),
    "suxin.hiring.application_submitted.v1": (
        "suxin.hiring.v1.events_pb2",
        "ApplicationSubmitted",
        (
            "application_id job_post_id enterprise_uscc person_key city_code district_code"
            " occupation_code job_kind key_groups submitted_at"
        ).split(),
    ),
    "suxin.hiring.job_fair_held.v1": (
        "suxin.hiring.v1.events_pb2",
        "JobFairHeld",
        (
            "job_fair_id name mode theme city_code district_code starts_on ends_on booths"
            " job_posts positions registrations check_ins held_at"
        ).split(),
    ),
    "suxin.gig.platform_registered.v1": (
        "suxin.gig.v1.events_pb2",
        "PlatformRegistered",
        "platform_uscc name pilot industries city_code version registered_at".split(),
    ),
    "suxin.gig.gig_worker_registered.v1": (
        "suxin.gig.v1.events_pb2",
        "GigWorkerRegistered",
        (
            "platform_uscc worker_id person_key masked_resident_id city_code birth_year"
            " registered_at"
        ).split(),
    ),
    "suxin.gig.orders_reported.v1": (
        "suxin.gig.v1.events_pb2",
        "OrdersReported",
        "chunk_id platform_uscc orders reported_at".split(),
    ),
    "suxin.gig.gig_application_changed.v1": (
        "suxin.gig.v1.events_pb2",
        "GigApplicationChanged",
        (
            "application_id posting_id posting_title poster_uscc person_key status invited"
            " version district_code occupation_code starts_on changed_at"
        ).split(),
    ),
    "suxin.subsidy.subsidy_case_opened.v1": (
        "suxin.subsidy.v1.events_pb2",
        "SubsidyCaseOpened",
        (
            "case_id hire_id enterprise_uscc person_key rule_id rule_version amount_fen"
            " delivery_mode review_deadline opened_at rule_family city_code district_code"
            " awaiting_data"
        ).split(),
    ),
    "suxin.subsidy.subsidy_case_review_started.v1": (
        "suxin.subsidy.v1.events_pb2",
        "SubsidyCaseReviewStarted",
        (
            "case_id rule_id rule_version rule_family enterprise_uscc person_key amount_fen"
            " review_deadline city_code started_at"
        ).split(),
    ),
    "suxin.subsidy.subsidy_case_decided.v1": (
        "suxin.subsidy.v1.events_pb2",
        "SubsidyCaseDecided",
        (
            "case_id rule_id rule_version rule_family enterprise_uscc person_key decision"
            " reason amount_fen review_deadline decided_on decided_in_time city_code"
            " decided_at"
        ).split(),
    ),
    "suxin.subsidy.subsidy_case_paid.v1": (
        "suxin.subsidy.v1.events_pb2",
        "SubsidyCasePaid",
        (
            "case_id rule_family enterprise_uscc amount_fen city_code paid_at payment_id attempt"
        ).split(),
    ),
    "suxin.subsidy.subsidy_payment_returned.v1": (
        "suxin.subsidy.v1.events_pb2",
        "SubsidyPaymentReturned",
        (
            "case_id payment_id attempt rule_family enterprise_uscc amount_fen city_code"
            " outcome return_code requeued_payment_id returned_at"
        ).split(),
    ),
    "suxin.subsidy.subsidy_appeal_decided.v1": (
        "suxin.subsidy.v1.events_pb2",
        "SubsidyAppealDecided",
        (
            "appeal_id case_id rule_family enterprise_uscc person_key outcome case_reopened"
            " due_on decided_in_time city_code decided_at review_deadline"
        ).split(),
    ),
    "suxin.subsidy.subsidy_case_deadline_recomputed.v1": (
        "suxin.subsidy.v1.events_pb2",
        "SubsidyCaseDeadlineRecomputed",
        (
            "case_id rule_family enterprise_uscc city_code previous_deadline review_deadline"
            " provisional schedule_year recomputed_at"
        ).split(),
    ),
    "suxin.training.voucher_issued.v1": (
        "suxin.training.v1.events_pb2",
        "VoucherIssued",
        (
            "voucher_id person_key occupation_code training_kind amount_fen valid_until"
            " city_code issued_at"
        ).split(),
    ),
    "suxin.training.voucher_redeemed.v1": (
        "suxin.training.v1.events_pb2",
        "VoucherRedeemed",
        (
            "voucher_id person_key institution_uscc occupation_code training_kind city_code"
            " redeemed_at"
        ).split(),
    ),
    "suxin.training.training_completed.v1": (
        "suxin.training.v1.events_pb2",
        "TrainingCompleted",
        (
            "voucher_id person_key institution_uscc occupation_code training_kind passed"
            " city_code completed_on recorded_at"
        ).split(),
    ),
    "suxin.training.training_certified.v1": (
        "suxin.training.v1.events_pb2",
        "TrainingCertified",
        (
            "voucher_id person_key institution_uscc occupation_code training_kind skill_level"
            " subsidy_fen city_code certified_on recorded_at"
        ).split(),
    ),
    "suxin.training.training_outcome_recorded.v1": (
        "suxin.training.v1.events_pb2",
        "TrainingOutcomeRecorded",
        (
            "voucher_id person_key outcome hire_id days_after_certification training_kind"
            " city_code recorded_at"
        ).split(),
    ),
    "suxin.insurance.coverage_started.v1": (
        "suxin.insurance.v1.events_pb2",
        "CoverageStarted",
        (
            "coverage_id hire_id person_key enterprise_uscc scheme start_date started_at"
            " city_code worker_id"
        ).split(),
    ),
    "suxin.insurance.coverage_ended.v1": (
        "suxin.insurance.v1.events_pb2",
        "CoverageEnded",
        (
            "coverage_id hire_id person_key enterprise_uscc scheme end_date city_code ended_at"
        ).split(),
    ),
    "suxin.insurance.orders_covered.v1": (
        "suxin.insurance.v1.events_pb2",
        "OrdersCovered",
        "chunk_id platform_uscc lines covered_at".split(),
    ),
    "suxin.insurance.claim_appeal_decided.v1": (
        "suxin.insurance.v1.events_pb2",
        "ClaimAppealDecided",
        (
            "appeal_id claim_id person_key platform_uscc claim_reopened due_on"
            " decided_in_time city_code decided_at"
        ).split(),
    ),
    "suxin.insurance.claim_stage_changed.v1": (
        "suxin.insurance.v1.events_pb2",
        "ClaimStageChanged",
        (
            "claim_id person_key platform_uscc industry stage reason amount_fen city_code"
            " version changed_at"
        ).split(),
    ),
    "suxin.talent.talent_flow_recorded.v1": (
        "suxin.talent.v1.events_pb2",
        "TalentFlowRecorded",
        (
            "flow_id card_id person_key hire_id from_uscc to_uscc from_city_code to_city_code"
            " flowed_on recorded_at from_industry_code to_industry_code level"
        ).split(),
    ),
    "suxin.talent.card_issued.v1": (
        "suxin.talent.v1.events_pb2",
        "CardIssued",
        (
            "card_id person_key level city_code valid_until proactive criteria_version issued_at"
        ).split(),
    ),
    "suxin.talent.card_status_changed.v1": (
        "suxin.talent.v1.events_pb2",
        "CardStatusChanged",
        "card_id person_key status reason version changed_at".split(),
    ),
}

# Events that follow directly from a hire and must name it.
HIRE_FAN_OUT = {
    "suxin.hiring.employment_ended.v1",
    "suxin.subsidy.subsidy_case_opened.v1",
    "suxin.insurance.coverage_started.v1",
    "suxin.talent.talent_flow_recorded.v1",
}

EVENT_FILE = re.compile(r"^suxin/(?P<context>[a-z][a-z0-9_]*)/(?P<version>v[0-9]+)/events\.proto$")
SUBJECT = re.compile(r"^suxin\.(?P<context>[a-z][a-z0-9_]*)\.(?P<event>[a-z][a-z0-9_]*)\.v[0-9]+$")
# A raw resident ID must never be on the bus; only masked forms and the person key are allowed.
RAW_ID_NAME = re.compile(
    r"resident_?id|id_?(number|no|card)|identity|citizen_?id|national_?id|passport|sfz|shenfen"
)
DATE = "suxin.common.v1.Date"
TIMESTAMP = "google.protobuf.Timestamp"


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def message_class(subject: str) -> type:
    module_name, message_name, _ = EVENTS[subject]
    return getattr(importlib.import_module(module_name), message_name)


def walk_fields(descriptor: Descriptor, prefix: str = "", seen: frozenset[str] = frozenset()):
    """(dotted path, field) for every field, descending into message-typed fields."""
    for field in descriptor.fields:
        yield prefix + field.name, field
        sub = field.message_type
        if sub is not None and sub.full_name not in seen:
            yield from walk_fields(sub, f"{prefix}{field.name}.", seen | {descriptor.full_name})


@pytest.fixture(scope="module")
def event_comments() -> dict[str, str]:
    """Leading doc comment of every top-level message in suxin/<context>/vN/events.proto."""
    fds = tool.descriptor_set(include_source_info=True)
    comments = {}
    for file in fds.file:
        if not EVENT_FILE.match(file.name):
            continue
        by_path = {tuple(loc.path): loc.leading_comments for loc in file.source_code_info.location}
        for index, message in enumerate(file.message_type):
            # 4 = FileDescriptorProto.message_type
            comments[f"{file.package}.{message.name}"] = by_path.get((4, index), "")
    return comments


# --- generated code and tooling -------------------------------------------------------------


def test_generated_code_is_fresh() -> None:
    stale = tool.stale_files()
    assert stale == [], (
        "libs/contracts/src/suxin is out of date with proto/; run "
        f"`{tool.REGEN_HINT}`:\n" + "\n".join(stale)
    )


def test_freshness_check_reports_stale_missing_and_extra_files(tmp_path: Path) -> None:
    generated = tool.generate(tmp_path)
    assert "suxin/hiring/v1/events_pb2.py" in generated
    assert tool.stale_files(tmp_path) == []

    with (tmp_path / "suxin/hiring/v1/events_pb2.py").open("a") as f:
        f.write("# hand edit\n")
    (tmp_path / "suxin/talent/v1/events_pb2.pyi").unlink()
    (tmp_path / "suxin/old/v1").mkdir(parents=True)
    (tmp_path / "suxin/old/v1/events_pb2.py").write_text("")

    shown = f"{tmp_path}/suxin"
    assert tool.stale_files(tmp_path) == [
        f"stale: {shown}/hiring/v1/events_pb2.py",
        f"extra: {shown}/old/v1/events_pb2.py",
        f"missing: {shown}/talent/v1/events_pb2.pyi",
    ]


def test_every_proto_is_generated_into_an_importable_package() -> None:
    for proto in tool.proto_files():
        module_name = proto.removesuffix(".proto").replace("/", ".") + "_pb2"
        module = importlib.import_module(module_name)
        assert module.DESCRIPTOR.name == proto
        assert (tool.OUT_ROOT / proto).with_name(Path(proto).stem + "_pb2.pyi").is_file()
        package_dir = (tool.OUT_ROOT / proto).parent
        while package_dir != tool.OUT_ROOT:
            assert (package_dir / "__init__.py").is_file(), f"{package_dir} is not a package"
            package_dir = package_dir.parent


def test_buf_lint_passes() -> None:
    proc = tool.lint(capture=True)
    assert proc.returncode == 0, f"buf lint failed:\n{proc.stdout}{proc.stderr}"
    assert proc.stdout.strip() == ""


# --- HireRecorded ---------------------------------------------------------------------------


def test_hire_recorded_round_trip() -> None:
    from suxin.common.v1 import common_pb2
    from suxin.hiring.v1 import events_pb2 as hiring

    recorded_at = Timestamp()
    recorded_at.FromJsonString("2026-11-24T06:30:00.123456Z")
    event = hiring.HireRecorded(
        hire_id="0b6f3c1e-1a2b-4c3d-8e9f-0123456789ab",
        version=3,
        enterprise_uscc="91321000MA1XXXXXX1",
        enterprise_name="扬州某精密机械有限公司",
        industry_code="C",
        specialized_sme=True,
        little_giant=True,
        key_monitored=True,
        city_code="3210",
        district_code="321002",
        person_key="pk_7d3f0c2a9b",
        masked_resident_id="3210**********123X",
        gender=hiring.GENDER_FEMALE,
        birth_year=2002,
        education=hiring.EDUCATION_BACHELOR,
        graduation_date=common_pb2.Date(year=2026, month=6, day=30),
        key_groups=[hiring.KEY_GROUP_COLLEGE_GRADUATE, hiring.KEY_GROUP_MIGRANT_WORKER],
        job_post_id="post-42",
        occupation_code="2-02-10-01",
        job_kind=hiring.JOB_KIND_FULL_TIME,
        contract_type=hiring.CONTRACT_TYPE_FIXED_TERM,
        contract_months=36,
        start_date=common_pb2.Date(year=2026, month=7, day=1),
        monthly_wage_fen=850_000,
        recorded_at=recorded_at,
        skill_level=common_pb2.SKILL_LEVEL_TECHNICIAN,
        professional_title=common_pb2.PROFESSIONAL_TITLE_INTERMEDIATE,
        application_id="app-7",
        previously_unemployed=True,
        enterprise_size=common_pb2.ENTERPRISE_SIZE_SMALL,
        age_at_start=23,
    )
    # Every field was given a non-default value, so every field is on the wire.
    assert len(event.ListFields()) == len(hiring.HireRecorded.DESCRIPTOR.fields)

    data = event.SerializeToString(deterministic=True)
    parsed = hiring.HireRecorded.FromString(data)
    assert parsed == event
    assert parsed.SerializeToString(deterministic=True) == data
    assert parsed.enterprise_name == "扬州某精密机械有限公司"
    assert list(parsed.key_groups) == [
        hiring.KEY_GROUP_COLLEGE_GRADUATE,
        hiring.KEY_GROUP_MIGRANT_WORKER,
    ]
    assert (parsed.start_date.year, parsed.start_date.month, parsed.start_date.day) == (2026, 7, 1)
    assert parsed.monthly_wage_fen == 850_000
    assert parsed.recorded_at.ToJsonString() == "2026-11-24T06:30:00.123456Z"
    assert hiring.Gender.Name(parsed.gender) == "GENDER_FEMALE"

    # JSON (for logs and debugging) round-trips as well.
    assert json_format.Parse(json_format.MessageToJson(event), hiring.HireRecorded()) == event

    # An unset Date means "not applicable" and is distinguishable from a zero date.
    assert not hiring.HireRecorded().HasField("graduation_date")


def test_no_event_has_a_raw_resident_id_field() -> None:
    from suxin_common.messaging.catalog import EVENT_TYPES

    def names(descriptor):  # noqa: ANN001, ANN202
        for field in descriptor.fields:
            yield field.name
            if field.message_type is not None and field.message_type.full_name.startswith("suxin"):
                yield from names(field.message_type)

    for event_type in EVENT_TYPES:
        fields = set(names(event_type.message.DESCRIPTOR))
        for forbidden in ("resident_id", "id_number", "id_card", "id_no", "identity_number"):
            assert forbidden not in fields, event_type.name
    from suxin.hiring.v1 import events_pb2 as hiring

    assert {"person_key", "masked_resident_id"} <= set(
        hiring.HireRecorded.DESCRIPTOR.fields_by_name
    )


@pytest.mark.parametrize("subject", sorted(EVENTS))
def test_no_event_field_suggests_a_raw_resident_id(subject: str) -> None:
    for path, _ in walk_fields(message_class(subject).DESCRIPTOR):
        name = path.rsplit(".", 1)[-1]
        if RAW_ID_NAME.search(name):
            assert name.startswith("masked_"), f"{subject}: field {path!r} looks like a raw ID"


# --- events and subjects --------------------------------------------------------------------


def test_every_event_message_is_known(event_comments: dict[str, str]) -> None:
    known = {f"{message_class(s).DESCRIPTOR.full_name}" for s in EVENTS}
    assert set(event_comments) == known, "add new events to EVENTS in this test"


@pytest.mark.parametrize("subject", sorted(EVENTS))
def test_subject_follows_the_naming_rule(subject: str, event_comments: dict[str, str]) -> None:
    descriptor = message_class(subject).DESCRIPTOR
    package = descriptor.file.package  # suxin.<context>.v<N>
    _, context, version = package.split(".")
    derived = f"suxin.{context}.{snake(descriptor.name)}.{version}"
    assert derived == subject
    assert SUBJECT.match(subject)
    assert descriptor.file.name == f"suxin/{context}/{version}/events.proto"

    comment = event_comments[descriptor.full_name]
    documented = re.findall(r"^\s*Subject:\s*(\S+)\s*$", comment, re.MULTILINE)
    assert documented == [subject], f"{descriptor.full_name} comment must name its subject"
    streams = re.findall(r"^\s*Stream:\s*(\S+)\s*$", comment, re.MULTILINE)
    assert streams == [f"SUXIN_{context.upper()}"]


@pytest.mark.parametrize("subject", sorted(EVENTS))
def test_event_fields_match_the_contract(subject: str) -> None:
    _, _, expected = EVENTS[subject]
    fields = sorted(message_class(subject).DESCRIPTOR.fields, key=lambda f: f.number)
    assert [f.name for f in fields] == expected
    assert [f.number for f in fields] == list(range(1, len(fields) + 1))


@pytest.mark.parametrize("subject", sorted(EVENTS))
def test_event_fields_match_the_subject(subject: str) -> None:
    """suxin.<context>.<noun>_<verb>.vN: field 1 is the string identifier of what the event is
    about (an ``_id``, or the ``_uscc`` of an enterprise), and ``<verb>_at`` (or ``recorded_at``)
    its time."""
    descriptor = message_class(subject).DESCRIPTOR
    event = SUBJECT.match(subject)["event"]
    *noun, verb = event.split("_")

    first = min(descriptor.fields, key=lambda f: f.number)
    assert first.type == FieldDescriptor.TYPE_STRING
    assert first.name.endswith(("_id", "_uscc")), f"{first.name} is not an identifier"

    occurred = descriptor.fields_by_name.get(f"{verb}_at") or descriptor.fields_by_name.get(
        "recorded_at"
    )
    assert occurred is not None, f"{subject}: missing {verb}_at"
    assert occurred.message_type.full_name == TIMESTAMP

    if subject in HIRE_FAN_OUT:
        assert "hire_id" in descriptor.fields_by_name, "every fan-out event links to its hire"
        assert "person_key" in descriptor.fields_by_name


@pytest.mark.parametrize("subject", sorted(EVENTS))
def test_event_field_types_follow_conventions(subject: str) -> None:
    for field in message_class(subject).DESCRIPTOR.fields:
        name = field.name
        type_name = field.message_type.full_name if field.message_type else None
        if name.endswith("_fen"):
            assert field.type == FieldDescriptor.TYPE_INT64, f"{name}: money is int64 fen"
        if re.search(r"amount|wage|salary|yuan|price", name):
            assert name.endswith("_fen"), f"{name}: money fields end in _fen"
        if name.endswith("_at"):
            assert type_name == TIMESTAMP, f"{name}: times are google.protobuf.Timestamp"
        if name.endswith(("_date", "_on", "_deadline", "_until")):
            assert type_name == DATE, f"{name}: dates are {DATE}"
        if type_name in (DATE, TIMESTAMP):
            assert name.endswith(("_at", "_date", "_on", "_deadline", "_until")), f"{name}: a time"
        if field.enum_type is not None:
            zero = field.enum_type.values_by_number[0].name
            assert zero == f"{snake(field.enum_type.name).upper()}_UNSPECIFIED"
