"""docs/money.md against the code: the maker-checker matrix is the rules the services build
from their default settings, the example batch and result files parse with the real parsers
(checksum, control totals), and the documented defaults are the settings' defaults."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from injury_insurance import four_eyes_actions as insurance_actions
from injury_insurance.settings import Settings as InsuranceSettings
from suxin_common.security.four_eyes import Level
from training_vouchers import four_eyes_actions as subsidy_actions
from training_vouchers.domain.payments import Outcome, parse_batch_file, parse_result_file
from training_vouchers.settings import Settings as SubsidySettings

DOC = Path(__file__).resolve().parents[2] / "docs" / "money.md"
NONE = "—"


def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def matrix_rows() -> list[dict[str, str]]:
    """The rows of the table under '### The matrix'."""
    section = doc().split("### The matrix", 1)[1].splitlines()
    start = next(n for n, line in enumerate(section) if line.startswith("|"))
    lines = []
    for line in section[start:]:
        if not line.startswith("|"):
            break  # the first table only
        lines.append(line)
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert set(lines[1].replace("|", "").strip()) == {"-"}  # the separator row
    rows = []
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows.append(dict(zip(header, cells, strict=True)))
    return rows


def code_rows() -> set[tuple[str, str, str, str, str, str]]:
    services = {
        "training-vouchers": subsidy_actions.registry(SubsidySettings()),
        "injury-insurance": insurance_actions.registry(InsuranceSettings()),
    }
    rows = set()
    for service, registry in services.items():
        for rule in registry.rules.values():
            above = rule.second_level_above_fen
            rows.add(
                (
                    service,
                    rule.action,
                    rule.name_zh,
                    str(above) if above is not None else NONE,
                    rule.second_level.label if above is not None else NONE,
                    rule.min_level.label,
                )
            )
    return rows


def test_the_matrix_is_the_code() -> None:
    documented = {
        (
            r["service"],
            r["action"],
            r["名称 (what)"],
            r["higher level above (fen)"],
            r["higher level"],
            r["minimum level"],
        )
        for r in matrix_rows()
    }
    assert documented == code_rows()
    # Every row says who may not check, and the maker always among them.
    assert all(r["may not check"].startswith("the maker") for r in matrix_rows())
    levels = {level.label for level in Level} | {NONE}
    assert {r["higher level"] for r in matrix_rows()} <= levels


def example(kind: str) -> bytes:
    match = re.search(rf"<!-- example: {kind} -->\n```csv\n(.*?)```", doc(), re.S)
    assert match, f"no {kind} example in docs/money.md"
    return match.group(1).encode("utf-8")


def test_the_example_batch_file_parses_with_the_real_parser() -> None:
    batch = parse_batch_file(example("batch"))

    assert (len(batch.lines), batch.total_fen, batch.payer_account) == (
        2,
        750_000,
        "JSRS-JYZJ-3210",
    )
    assert batch.name.startswith(batch.payer_account)


def test_the_example_result_file_parses_and_answers_the_batch() -> None:
    batch = parse_batch_file(example("batch"))
    result = parse_result_file(example("result"))

    assert result.batch_id == batch.batch_id
    assert [line.payment_id for line in result.lines] == [line.payment_id for line in batch.lines]
    assert [line.outcome for line in result.lines] == [Outcome.PAID, Outcome.RETURNED]
    assert result.paid_total_fen == 600_000


@pytest.mark.parametrize("kind", ["batch", "result"])
def test_a_changed_example_fails_its_checksum(kind) -> None:
    from training_vouchers.domain.payments import FileProblem

    parse = parse_batch_file if kind == "batch" else parse_result_file
    with pytest.raises(FileProblem, match="checksum"):
        parse(example(kind).replace(b"600000", b"600001", 1))


def test_the_documented_defaults_are_the_settings() -> None:
    text = doc()
    subsidy, insurance = SubsidySettings(), InsuranceSettings()
    threshold = re.search(r"`FOUR_EYES_SECOND_LEVEL_ABOVE_FEN` \(DEFAULT ([\d,]+) fen", text)
    assert (
        threshold
        and int(threshold.group(1).replace(",", ""))
        == (subsidy.four_eyes_second_level_above_fen)
        == insurance.four_eyes_second_level_above_fen
    )
    days = re.search(r"`APPEAL_WORKING_DAYS` \(DEFAULT (\d+)\)", text)
    assert days and int(days.group(1)) == subsidy.appeal_working_days
    assert f"`{subsidy.payer_account_of('3210').replace('3210', '<city>')}`" in text
