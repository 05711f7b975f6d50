"""Bank account numbers: Norwegian (11 digits, MOD11 check digit) and the IBANs recipients
abroad are paid to. Validation is `schwifty`'s: IBAN lengths, formats and check digits per
country, and national check digits (Norway's MOD11 among them), kept up to date upstream."""

from __future__ import annotations

import re

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

# A national account number or an IBAN, spaces removed.
ACCOUNT_PATTERN = re.compile(r"^[A-Z0-9]{5,34}$")
IBAN_START = re.compile(r"^[A-Z]{2}[0-9]{2}")

ACCOUNT_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def mod11_check_digit(digits: str, weights: tuple[int, ...]) -> int | None:
    """The check digit for `digits`, or None where MOD11 allows no valid number."""
    remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    return None if check == 10 else check


def is_valid_account_number(number: str) -> bool:
    """A Norwegian account number: 11 digits whose MOD11 check digit holds."""
    if len(number) != 11 or not number.isdigit():
        return False
    try:
        IBAN.from_bban("NO", number).validate(validate_bban=True)
    except SchwiftyException:
        return False
    return True


def recipient_account_problem(account: str, country: str | None) -> str | None:
    """Why `account` cannot receive money in `country`, or None. Anything that starts like an
    IBAN (two letters, two digits) must be a valid IBAN of that country; other numbers are
    national account numbers, which the receiving bank checks. `country` None (unsupported,
    reported on its own) skips the country match."""
    if not ACCOUNT_PATTERN.match(account):
        return "Must be 5-34 letters or digits (IBAN accepted)"
    if not IBAN_START.match(account):
        if account.isdigit():
            return None
        return "Must be an IBAN or a national account number of digits"
    try:
        iban = IBAN(account, validate_bban=True)
    except SchwiftyException as problem:
        return f"Not a valid IBAN: {str(problem).rstrip('.').lower()}"
    if country is not None and iban.country_code != country:
        return f"Must be an IBAN of the recipient's country ({country})"
    return None


def format_account_number(number: str) -> str:
    """`12345678901` -> `1234.56.78901`, the way Norwegian banks print it."""
    if len(number) != 11 or not number.isdigit():
        return number
    return f"{number[:4]}.{number[4:6]}.{number[6:]}"
