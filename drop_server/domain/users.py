"""Rules about users: roles, KYC states, and the checks on sign-up fields."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from drop_server.errors import ApiError, FieldError, Messages

EMAIL_PATTERN = re.compile(
    r"^[A-Za-z0-9._%+\-']+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)+$"
)
PHONE_PATTERN = re.compile(r"^\+[0-9]{8,15}$")
ISO_DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_EMAIL_LENGTH = 254
MIN_PASSWORD_LENGTH = 8
# Argon2 accepts any length; a cap keeps a single request from burning CPU.
MAX_PASSWORD_LENGTH = 128
MAX_NAME_LENGTH = 100
ADULT_AGE = 18


class Role(StrEnum):
    USER = "user"
    MERCHANT = "merchant"
    # Back-office roles; what each may do is in domain/permissions.py.
    ADMIN = "admin"
    SUPPORT = "support"
    COMPLIANCE = "compliance"
    FINANCE = "finance"


class KycStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


def normalize_email(raw: str) -> str:
    return raw.strip().lower()


def email_problem(raw: str) -> str | None:
    email = normalize_email(raw)
    if not email:
        return "Email is required"
    if len(email) > MAX_EMAIL_LENGTH or not EMAIL_PATTERN.match(email):
        return "Must be a valid email address"
    return None


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Must be at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Must be at most {MAX_PASSWORD_LENGTH} characters"
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        return "Must contain letters and digits"
    return None


def name_problem(raw: str) -> str | None:
    """validateName of the contract: 1-100 chars after trimming, a letter, no markup."""
    name = raw.strip()
    if not name:
        return "Is required"
    if len(name) > MAX_NAME_LENGTH:
        return f"Must be at most {MAX_NAME_LENGTH} characters"
    if "<" in name or ">" in name or "javascript:" in name.lower():
        return "Must not contain HTML or script"
    if not any(c.isalpha() for c in name):
        return "Must contain at least one letter"
    return None


def phone_problem(raw: str) -> str | None:
    if not PHONE_PATTERN.match(raw.strip()):
        return "Must be + followed by 8-15 digits"
    return None


def parse_iso_date(raw: str) -> date | None:
    if not ISO_DATE_PATTERN.match(raw.strip()):
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return None


def age_on(birth: date, today: date) -> int:
    had_birthday = (today.month, today.day) >= (birth.month, birth.day)
    return today.year - birth.year - (0 if had_birthday else 1)


def date_of_birth_problem(raw: str, today: date) -> str | None:
    birth = parse_iso_date(raw)
    if birth is None:
        return "Must be an ISO date (YYYY-MM-DD)"
    if birth > today:
        return "Must not be in the future"
    if age_on(birth, today) < ADULT_AGE:
        return f"You must be at least {ADULT_AGE} years old"
    return None


@dataclass(frozen=True)
class Registration:
    email: str
    password: str
    first_name: str
    last_name: str
    phone: str | None
    date_of_birth: date


@dataclass(frozen=True)
class RegistrationForm:
    """What the client sent; None means the field was absent."""

    email: str | None
    password: str | None
    first_name: str | None
    last_name: str | None
    phone: str | None
    date_of_birth: str | None


REQUIRED_REGISTRATION_FIELDS = ("email", "password", "firstName", "lastName", "dateOfBirth")


def validate_registration(form: RegistrationForm, today: date) -> Registration:
    """400 for absent required fields, then 422 with one entry per failing field."""
    given = {
        "email": form.email,
        "password": form.password,
        "firstName": form.first_name,
        "lastName": form.last_name,
        "dateOfBirth": form.date_of_birth,
    }
    missing = [
        FieldError(f, "Is required") for f in REQUIRED_REGISTRATION_FIELDS if given[f] is None
    ]
    if missing:
        raise ApiError.bad_request(Messages.MISSING_FIELDS, missing)
    assert form.email is not None and form.password is not None
    assert form.first_name is not None and form.last_name is not None
    assert form.date_of_birth is not None

    phone = form.phone.strip() if form.phone and form.phone.strip() else None
    checks = {
        "email": email_problem(form.email),
        "password": password_problem(form.password),
        "firstName": name_problem(form.first_name),
        "lastName": name_problem(form.last_name),
        "phone": phone_problem(phone) if phone is not None else None,
        "dateOfBirth": date_of_birth_problem(form.date_of_birth, today),
    }
    problems = [FieldError(field, message) for field, message in checks.items() if message]
    if problems:
        raise ApiError.validation(problems)
    birth = parse_iso_date(form.date_of_birth)
    assert birth is not None
    return Registration(
        email=normalize_email(form.email),
        password=form.password,
        first_name=form.first_name.strip(),
        last_name=form.last_name.strip(),
        phone=phone,
        date_of_birth=birth,
    )
