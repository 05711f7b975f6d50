"""Domain objects -> the money messages shared by several servicers."""

from __future__ import annotations

from decimal import Decimal

from drop.v1 import bank_accounts_pb2, rates_pb2, transactions_pb2
from drop_server.api.convert import optional_timestamp, timestamp
from drop_server.db.models import BankAccount, ExchangeRate, Transaction
from drop_server.domain.account_numbers import format_account_number
from drop_server.domain.corridors import BASE_CURRENCY, corridor
from drop_server.domain.money import to_json_number
from drop_server.domain.payments import PaymentType

REMITTANCE_FEE = 0.005


def bank_account(account: BankAccount) -> bank_accounts_pb2.BankAccount:
    return bank_accounts_pb2.BankAccount(
        id=account.id,
        bank_name=account.bank_name,
        account_number=format_account_number(account.account_number),
        balance=to_json_number(account.balance),
        currency=account.currency,
        is_primary=account.is_primary,
    )


def rate(row: ExchangeRate) -> rates_pb2.Rate:
    return rates_pb2.Rate(
        base_currency=BASE_CURRENCY,
        currency=row.currency,
        rate=float(row.rate),
        fee=REMITTANCE_FEE,
        updated_at=timestamp(row.updated_at),
    )


def country_name(code: str | None) -> str:
    route = corridor(code or "")
    return route.country_name if route else (code or "")


def percent(value: Decimal) -> float:
    return float(value.normalize())


def transaction_detail(tx: Transaction) -> transactions_pb2.TransactionDetail:
    detail = transactions_pb2.TransactionDetail(
        id=tx.id,
        type=tx.type,
        status=tx.status,
        fee=to_json_number(tx.fee),
        total=to_json_number(tx.total),
        created_at=timestamp(tx.created_at),
        completed_at=optional_timestamp(tx.completed_at),
    )
    if tx.type == PaymentType.REMITTANCE:
        assert tx.receive_amount is not None and tx.exchange_rate is not None
        detail.send_amount = to_json_number(tx.amount)
        detail.send_currency = tx.currency
        detail.receive_amount = to_json_number(tx.receive_amount)
        detail.receive_currency = tx.receive_currency or ""
        detail.exchange_rate = float(tx.exchange_rate)
        detail.recipient_name = tx.recipient_name or ""
        detail.recipient_country = country_name(tx.recipient_country)
    else:
        detail.amount = to_json_number(tx.amount)
        detail.currency = tx.currency
        detail.merchant_name = tx.merchant_name or ""
        detail.merchant_id = tx.merchant_id or ""
    return detail
