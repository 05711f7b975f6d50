"""Norwegian organisation numbers (9 digits, MOD11 check digit)."""

from __future__ import annotations

from drop_server.domain.account_numbers import mod11_check_digit

ORG_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def is_valid_org_number(number: str) -> bool:
    if len(number) != 9 or not number.isdigit():
        return False
    return mod11_check_digit(number[:8], ORG_WEIGHTS) == int(number[8])
