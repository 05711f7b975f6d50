"""Norwegian bank account numbers (11 digits, MOD11 check digit)."""

from __future__ import annotations

ACCOUNT_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def mod11_check_digit(digits: str, weights: tuple[int, ...]) -> int | None:
    """The check digit for `digits`, or None where MOD11 allows no valid number."""
    remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    return None if check == 10 else check


def is_valid_account_number(number: str) -> bool:
    if len(number) != 11 or not number.isdigit():
        return False
    return mod11_check_digit(number[:10], ACCOUNT_WEIGHTS) == int(number[10])


def format_account_number(number: str) -> str:
    """`12345678901` -> `1234.56.78901`, the way Norwegian banks print it."""
    if len(number) != 11 or not number.isdigit():
        return number
    return f"{number[:4]}.{number[4:6]}.{number[6:]}"
