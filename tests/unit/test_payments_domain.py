from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from drop_server.domain.business_days import (
    add_business_days,
    is_business_day,
    next_business_day,
)
from drop_server.domain.corridors import corridor
from drop_server.domain.masking import customer_display_name, mask_account
from drop_server.domain.organizations import is_valid_org_number
from drop_server.domain.payments import (
    PaymentType,
    amount_problem,
    charge,
    parse_amount,
    receive_amount,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (100.0, Decimal("100.00")),
        (100.1, Decimal("100.10")),
        (0.1 + 0.2, None),  # 0.30000000000000004: not what anyone typed
        (100.123, None),
        (1e300, None),
        (-1e300, None),
        (float("nan"), None),
        (float("inf"), None),
        (5e-324, None),
    ],
)
def test_parse_amount(value: float, expected: Decimal | None) -> None:
    assert parse_amount(value) == expected


@pytest.mark.parametrize(
    ("kind", "amount", "ok"),
    [
        (PaymentType.REMITTANCE, "100", True),
        (PaymentType.REMITTANCE, "99.99", False),
        (PaymentType.REMITTANCE, "50000", True),
        (PaymentType.REMITTANCE, "50000.01", False),
        (PaymentType.QR_PAYMENT, "1", True),
        (PaymentType.QR_PAYMENT, "0.99", False),
        (PaymentType.QR_PAYMENT, "100000", True),
    ],
)
def test_amount_ranges(kind: PaymentType, amount: str, ok: bool) -> None:
    assert (amount_problem(kind, Decimal(amount)) is None) is ok


def test_fees_round_half_up() -> None:
    # 0.5 % of 100.10 is 0.5005 -> 0.50; of 100.90 is 0.5045 -> 0.50; of 101.00 is 0.505 -> 0.51
    assert charge(PaymentType.REMITTANCE, Decimal("101.00")).fee == Decimal("0.51")
    assert charge(PaymentType.REMITTANCE, Decimal("100.10")).fee == Decimal("0.50")
    qr = charge(PaymentType.QR_PAYMENT, Decimal("89.50"))
    assert (qr.fee, qr.total, qr.fee_percent) == (Decimal("0.90"), Decimal("90.40"), Decimal("1.0"))
    remittance = charge(PaymentType.REMITTANCE, Decimal("2000"))
    assert (remittance.fee, remittance.total) == (Decimal("10.00"), Decimal("2010.00"))


def test_receive_amount() -> None:
    assert receive_amount(Decimal("2000"), Decimal("11.7")) == Decimal("23400.00")
    assert receive_amount(Decimal("123.45"), Decimal("0.089")) == Decimal("10.99")  # 10.98705


def test_corridors() -> None:
    assert corridor("pl").eta == "1-2 business days"  # type: ignore[union-attr]
    assert corridor("RS").eta == "2-4 business days"  # type: ignore[union-attr]
    assert corridor("DE") is None


def test_norwegian_holidays_and_business_days() -> None:
    assert not is_business_day(date(2026, 5, 17))  # Constitution Day
    assert not is_business_day(date(2026, 4, 3))  # Good Friday
    assert not is_business_day(date(2026, 11, 28))  # Saturday
    assert next_business_day(date(2026, 12, 24)) == date(
        2026, 12, 28
    )  # over Christmas and a weekend
    assert add_business_days(date(2026, 4, 1), 2) == date(2026, 4, 8)  # Easter in between
    assert not is_business_day(date(2026, 5, 14))  # Ascension Day, from the holidays package


def test_arrival_estimates_skip_the_receiving_countrys_holidays_too() -> None:
    # Serbian Orthodox Christmas (Thursday 7 January 2027) is a working day in Norway.
    assert add_business_days(date(2027, 1, 5), 2) == date(2027, 1, 7)
    assert add_business_days(date(2027, 1, 5), 2, ("NO", "RS")) == date(2027, 1, 8)
    # Polish Epiphany (Tuesday 6 January 2026).
    assert add_business_days(date(2026, 1, 5), 1, ("NO", "PL")) == date(2026, 1, 7)
    # Norwegian holidays still count: 17 May 2027 is a Monday.
    assert add_business_days(date(2027, 5, 14), 1, ("NO", "PL")) == date(2027, 5, 18)
    # Eid al-Adha in Turkey (16-19 May 2027) on top of it.
    assert add_business_days(date(2027, 5, 14), 1, ("NO", "TR")) == date(2027, 5, 20)


def test_org_numbers_and_masking() -> None:
    assert is_valid_org_number("923609016")
    assert not is_valid_org_number("923609017")
    assert not is_valid_org_number("92360901")
    assert mask_account("RS35260005601001611379") == "*****1379"
    assert customer_display_name("Amir", "bašić") == "Amir B."


def test_complaint_deadline_counts_norwegian_business_days() -> None:
    from datetime import UTC, datetime

    from drop_server.services.complaints import respond_by

    # Filed Wednesday 1 April 2026: Maundy Thursday, Good Friday and Easter Monday are skipped.
    assert respond_by(datetime(2026, 4, 1, 10, tzinfo=UTC)) == date(2026, 4, 27)
    # Filed late Friday evening UTC, which is already Saturday in Oslo.
    assert respond_by(datetime(2026, 11, 27, 23, 30, tzinfo=UTC)) == date(2026, 12, 18)


def test_the_protos_declare_the_amount_rules_the_domain_applies() -> None:
    """The OpenAPI document and generated clients see the bounds from the protos' value rules;
    the payment rules must be the same numbers."""
    from drop.v1 import transactions_pb2
    from drop_server.domain.payments import RULES, PaymentType
    from drop_server.field_rules import maximum, minimum

    for message, kind in (
        (transactions_pb2.SendRemittanceRequest, PaymentType.REMITTANCE),
        (transactions_pb2.PayMerchantRequest, PaymentType.QR_PAYMENT),
    ):
        assert minimum(message, "amount") == RULES[kind].minimum
        assert maximum(message, "amount") == RULES[kind].maximum


def test_the_protos_declare_the_values_settlement_disclosure_and_pins_accept() -> None:
    from drop.v1 import admin_pb2, cards_pb2, transactions_pb2
    from drop_server.domain.cards import pin_problem
    from drop_server.domain.payments import PaymentType
    from drop_server.field_rules import allowed, pattern
    from drop_server.services.settlement import OUTCOMES

    assert set(allowed(admin_pb2.SettleTransactionRequest, "outcome")) == set(OUTCOMES)
    assert set(allowed(transactions_pb2.CreateDisclosureRequest, "type")) == set(PaymentType)
    pin = pattern(cards_pb2.SetCardPinRequest, "pin")
    # The pattern is the format; weak PINs (0000, 1234) are refused by the card rules besides.
    for candidate in ("0000", "4821", "123", "12345", "12a4", "١٢٣٤", " 4821"):
        well_formed = pin_problem(candidate) != "Must be exactly 4 digits"
        assert bool(pin.fullmatch(candidate)) is well_formed, candidate
