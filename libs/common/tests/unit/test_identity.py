"""Resident IDs and credit codes: what is accepted, what is refused, and how they are shown."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from pydantic import BaseModel, TypeAdapter, ValidationError
from stdnum.cn import ric, uscc

from suxin_common.identity import (
    InvalidIdentifier,
    ResidentId,
    Uscc,
    birth_date_of,
    gender_of,
    mask_resident_id,
    normalize_resident_id,
    normalize_uscc,
)
from suxin_common.regions import (
    INDUSTRY_SECTIONS,
    JIANGSU_CITIES,
    IndustrySection,
    JiangsuCityCode,
    JiangsuDistrictCode,
    city_name,
    city_of,
)
from suxin_common.web import install_problem_handlers


def make_resident_id(first17: str) -> str:
    """A synthetic resident ID: the given 17 digits with the check digit stdnum computes."""
    # calc_check_digit expects the full number and ignores its last character.
    return first17 + ric.calc_check_digit(first17 + "0")


def make_uscc(first17: str) -> str:
    return first17 + uscc.calc_check_digit(first17)


def with_wrong_last(number: str, alphabet: str = "0123456789X") -> str:
    return number[:-1] + next(c for c in alphabet if c != number[-1])


# 扬州市邗江区, born 1990-05-17, sequence 123 (odd: male).
YANGZHOU_MAN = make_resident_id("32100319900517123")
# 南京市, born 2001-02-28, sequence 456 (even: female).
NANJING_WOMAN = make_resident_id("32010220010228456")
# 江都市 (321088) only existed from 1994; the number was assigned after birth. Real IDs like this
# exist and must be accepted even though the code postdates the birth year.
JIANGDU_1990 = make_resident_id("32108819900101123")


def find_id_with_x() -> str:
    for sequence in range(1000):
        number = make_resident_id(f"32100319900517{sequence:03d}")
        if number.endswith("X"):
            return number
    raise AssertionError("no sequence gives check digit X")


class TestResidentId:
    def test_valid_ids_are_accepted_unchanged(self) -> None:
        for number in (YANGZHOU_MAN, NANJING_WOMAN, JIANGDU_1990):
            assert normalize_resident_id(number) == number

    def test_surrounding_space_and_lowercase_x_are_normalised(self) -> None:
        with_x = find_id_with_x()
        assert normalize_resident_id(f"  {with_x[:-1]}x ") == with_x

    def test_wrong_check_digit_is_refused(self) -> None:
        with pytest.raises(InvalidIdentifier, match="check digit"):
            normalize_resident_id(with_wrong_last(YANGZHOU_MAN))

    @pytest.mark.parametrize("birth", ["19900230", "19901301", "19900100"])
    def test_impossible_birth_date_is_refused(self, birth: str) -> None:
        with pytest.raises(InvalidIdentifier, match="birth date"):
            normalize_resident_id(make_resident_id(f"321003{birth}123"))

    def test_birth_date_in_the_future_is_refused(self) -> None:
        future = date.today().year + 1
        with pytest.raises(InvalidIdentifier, match="birth date"):
            normalize_resident_id(make_resident_id(f"321003{future}0101123"))

    @pytest.mark.parametrize("length", [15, 17, 19])
    def test_wrong_length_is_refused(self, length: str) -> None:
        with pytest.raises(InvalidIdentifier, match="18 characters"):
            normalize_resident_id((YANGZHOU_MAN * 2)[:length])

    def test_letters_among_the_digits_are_refused(self) -> None:
        with pytest.raises(InvalidIdentifier, match="17 digits"):
            normalize_resident_id("3210A3199005171234")

    def test_error_message_never_contains_the_number(self) -> None:
        wrong = with_wrong_last(YANGZHOU_MAN)
        with pytest.raises(InvalidIdentifier) as raised:
            normalize_resident_id(wrong)
        assert wrong[:14] not in str(raised.value)

    def test_birth_date_and_gender_are_read_from_the_number(self) -> None:
        assert birth_date_of(YANGZHOU_MAN) == date(1990, 5, 17)
        assert gender_of(YANGZHOU_MAN) == "male"
        assert birth_date_of(NANJING_WOMAN) == date(2001, 2, 28)
        assert gender_of(NANJING_WOMAN) == "female"

    def test_masking_keeps_the_first_and_last_four(self) -> None:
        masked = mask_resident_id(YANGZHOU_MAN)
        assert masked == "3210" + "*" * 10 + YANGZHOU_MAN[-4:]
        assert len(masked) == 18


class TestUscc:
    VALID = make_uscc("91321000MA1XXXXX1")

    def test_valid_code_is_accepted_and_normalised(self) -> None:
        assert normalize_uscc(self.VALID) == self.VALID
        assert normalize_uscc(" " + self.VALID.lower()) == self.VALID

    def test_wrong_check_character_is_refused(self) -> None:
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        with pytest.raises(InvalidIdentifier, match="check character"):
            normalize_uscc(with_wrong_last(self.VALID, alphabet))

    def test_wrong_length_and_forbidden_letters_are_refused(self) -> None:
        with pytest.raises(InvalidIdentifier, match="18 characters"):
            normalize_uscc(self.VALID[:-1])
        with pytest.raises(InvalidIdentifier, match="digits or letters"):
            normalize_uscc(self.VALID[:10] + "O" + self.VALID[11:])


class Registration(BaseModel):
    resident_id: ResidentId


class TestPydanticTypes:
    def test_types_normalise_valid_values(self) -> None:
        assert TypeAdapter(ResidentId).validate_python(f" {YANGZHOU_MAN} ") == YANGZHOU_MAN
        assert TypeAdapter(Uscc).validate_python(TestUscc.VALID.lower()) == TestUscc.VALID

    def test_types_reject_invalid_values(self) -> None:
        with pytest.raises(ValidationError, match="check digit"):
            TypeAdapter(ResidentId).validate_python(with_wrong_last(YANGZHOU_MAN))

    async def test_api_field_gives_422_naming_the_field(self) -> None:
        app = FastAPI()
        install_problem_handlers(app)

        @app.post("/registrations")
        async def register(body: Registration) -> dict[str, str]:
            return {"masked": mask_resident_id(body.resident_id)}

        wrong = with_wrong_last(YANGZHOU_MAN)
        async with AsyncClient(transport=ASGITransport(app), base_url="http://t") as client:
            refused = await client.post("/registrations", json={"resident_id": wrong})
            accepted = await client.post("/registrations", json={"resident_id": YANGZHOU_MAN})

        assert refused.status_code == 422
        assert refused.json()["errors"][0]["field"] == "resident_id"
        assert "check digit" in refused.json()["errors"][0]["message"]
        assert wrong not in refused.text
        assert accepted.json() == {"masked": mask_resident_id(YANGZHOU_MAN)}


class TestRegions:
    """Region and industry codes (suxin_common.regions) — the codes that accompany identities."""

    def test_district_codes_map_to_their_city(self) -> None:
        assert city_of("321003") == "3210"
        assert city_name("321003") == "扬州市"
        assert city_of("3213") == "3213"
        assert len(JIANGSU_CITIES) == 13

    @pytest.mark.parametrize("code", ["3200", "3214", "110101", "32100", "32a003"])
    def test_codes_outside_jiangsu_or_malformed_are_refused(self, code: str) -> None:
        with pytest.raises(ValueError):
            city_of(code)

    def test_pydantic_types(self) -> None:
        assert TypeAdapter(JiangsuCityCode).validate_python("3201") == "3201"
        assert TypeAdapter(JiangsuDistrictCode).validate_python("320214") == "320214"
        assert TypeAdapter(IndustrySection).validate_python("C") == "C"
        for adapter, bad in [
            (TypeAdapter(JiangsuCityCode), "321003"),
            (TypeAdapter(JiangsuDistrictCode), "3210"),
            (TypeAdapter(JiangsuDistrictCode), "330106"),
            (TypeAdapter(IndustrySection), "U"),
        ]:
            with pytest.raises(ValidationError):
                adapter.validate_python(bad)
        assert INDUSTRY_SECTIONS["C"] == "制造业"
        assert list(INDUSTRY_SECTIONS) == [chr(c) for c in range(ord("A"), ord("T") + 1)]
