from __future__ import annotations

from datetime import date

import pytest

from drop_server.domain.users import (
    RegistrationForm,
    age_on,
    date_of_birth_problem,
    email_problem,
    name_problem,
    password_problem,
    phone_problem,
    validate_registration,
)
from drop_server.errors import ApiError, ErrorCode

TODAY = date(2026, 11, 23)


def form(**overrides: str | None) -> RegistrationForm:
    values: dict[str, str | None] = {
        "email": "Amir@Example.NO",
        "password": "Secret123",
        "first_name": " Amir ",
        "last_name": "Bašić",
        "phone": None,
        "date_of_birth": "1990-04-12",
    }
    values.update(overrides)
    return RegistrationForm(**values)


@pytest.mark.parametrize(
    "email", ["a@b.no", "first.last+tag@sub.example.com", "  UPPER@EXAMPLE.NO  "]
)
def test_valid_emails(email: str) -> None:
    assert email_problem(email) is None


@pytest.mark.parametrize(
    "email", ["", "plain", "a@b", "a@@b.no", "a b@c.no", "a@-b.no", "@b.no", "a@b.no." + "x" * 250]
)
def test_invalid_emails(email: str) -> None:
    assert email_problem(email) is not None


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Secret12", True),
        ("1234567a", True),
        ("Secret1", False),
        ("lettersonly", False),
        ("12345678", False),
        ("a1" * 65, False),
    ],
)
def test_password_rules(password: str, ok: bool) -> None:
    assert (password_problem(password) is None) is ok


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("Amir", True),
        ("Bašić", True),
        ("Ødegård-Nilsen", True),
        ("O'Neil", True),
        ("", False),
        ("   ", False),
        ("1234", False),
        ("<b>Amir</b>", False),
        ("JavaScript:alert(1)", False),
        ("a" * 100, True),
        ("a" * 101, False),
    ],
)
def test_validate_name(name: str, ok: bool) -> None:
    assert (name_problem(name) is None) is ok


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("+4791234567", True),
        ("+12345678", True),
        ("+1234567", False),
        ("4791234567", False),
        ("+47 912", False),
        ("+" + "1" * 16, False),
    ],
)
def test_phone_rule(phone: str, ok: bool) -> None:
    assert (phone_problem(phone) is None) is ok


def test_age_boundary_is_the_eighteenth_birthday() -> None:
    assert date_of_birth_problem("2008-11-23", TODAY) is None
    assert date_of_birth_problem("2008-11-24", TODAY) is not None
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


@pytest.mark.parametrize(
    "value", ["1990-13-01", "1990-02-30", "12.04.1990", "1990-4-12", "2030-01-01"]
)
def test_bad_dates(value: str) -> None:
    assert date_of_birth_problem(value, TODAY) is not None


def test_registration_is_normalized() -> None:
    registration = validate_registration(form(phone=" +4791234567 "), TODAY)
    assert registration.email == "amir@example.no"
    assert registration.first_name == "Amir"
    assert registration.phone == "+4791234567"
    assert registration.date_of_birth == date(1990, 4, 12)


def test_empty_phone_counts_as_none() -> None:
    assert validate_registration(form(phone="  "), TODAY).phone is None


def test_missing_fields_are_400_before_any_field_rule() -> None:
    with pytest.raises(ApiError) as caught:
        validate_registration(form(email=None, password="short", date_of_birth=None), TODAY)
    assert caught.value.code is ErrorCode.BAD_REQUEST
    assert [d.field for d in caught.value.details] == ["email", "dateOfBirth"]


def test_field_rules_are_422_with_every_failing_field() -> None:
    with pytest.raises(ApiError) as caught:
        validate_registration(form(email="x", last_name="<i>", phone="123"), TODAY)
    assert caught.value.code is ErrorCode.VALIDATION_ERROR
    assert caught.value.http_status == 422
    assert [d.field for d in caught.value.details] == ["email", "lastName", "phone"]
