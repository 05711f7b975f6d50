"""Exact money: Decimal inside, two decimals (half-up) at the edge."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def round_money(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def to_json_number(amount: Decimal) -> float:
    """JSON numbers carry money to clients; a float of a 2-decimal value prints exactly."""
    return float(round_money(amount))
