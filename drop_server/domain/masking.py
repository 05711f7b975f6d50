"""What of a number a response may show."""

from __future__ import annotations


def mask_account(number: str) -> str:
    """`RS35260005601001611379` -> `*****1379`: the last four only, whatever the length."""
    return "*****" + number[-4:]


def customer_display_name(first_name: str, last_name: str) -> str:
    """`Amir Bašić` -> `Amir B.`: merchants see no more of their customers."""
    initial = last_name.strip()[:1].upper()
    return f"{first_name.strip()} {initial}." if initial else first_name.strip()
