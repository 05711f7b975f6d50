from __future__ import annotations

from decimal import Decimal

import pytest

from drop_server.domain.account_numbers import format_account_number, is_valid_account_number
from drop_server.domain.ids import looks_like_id, new_id
from drop_server.domain.money import round_money, to_json_number


@pytest.mark.parametrize(
    ("number", "ok"),
    [("12345678903", True), ("12345678901", False), ("1234567890", False), ("1234567890a", False)],
)
def test_mod11(number: str, ok: bool) -> None:
    assert is_valid_account_number(number) is ok


def test_norwegian_format() -> None:
    assert format_account_number("12345678903") == "1234.56.78903"


def test_half_up_rounding() -> None:
    assert round_money(Decimal("0.005")) == Decimal("0.01")
    assert round_money(Decimal("2.675")) == Decimal("2.68")  # a float would give 2.67
    assert to_json_number(Decimal("15000.50")) == 15000.5


def test_ids_are_prefixed_random_hex() -> None:
    first, second = new_id("usr"), new_id("usr")
    assert first != second
    assert looks_like_id(first, "usr") and len(first) == 20
    assert looks_like_id(new_id("tx_rem"), "tx_rem")
    assert not looks_like_id("usr_XYZ", "usr")
