"""Card rules: masking, lifecycle, PINs, spending limits."""

from __future__ import annotations

from itertools import pairwise

CARD_TYPES = ("virtual", "physical")
# PATCH moves only between these; `cancelled` is reached by DELETE and is final.
SETTABLE_STATUSES = ("active", "frozen")
MIN_ADDRESS_LENGTH = 10
MASKED_CVV = "---"


def masked_number(last4: str) -> str:
    return f"---- ---- ---- {last4}"


def pin_problem(pin: str) -> str | None:
    """Exactly 4 digits, and not one a thief tries first."""
    if len(pin) != 4 or not pin.isascii() or not pin.isdigit():
        return "Must be exactly 4 digits"
    digits = [int(d) for d in pin]
    steps = {b - a for a, b in pairwise(digits)}
    if len(set(digits)) == 1:
        return "Too easy to guess: all digits are the same"
    if steps in ({1}, {-1}):
        return "Too easy to guess: the digits run in sequence"
    return None
