"""TransactionService: proto <-> services.payments and services.transactions."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import grpc

from drop.v1 import transactions_pb2 as pb
from drop.v1 import transactions_pb2_grpc
from drop_server.api.call import current_call
from drop_server.api.convert import optional_field, optional_timestamp, pagination, timestamp
from drop_server.api.money_messages import percent, transaction_detail
from drop_server.db.engine import Database
from drop_server.db.models import Transaction
from drop_server.domain.corridors import BASE_CURRENCY, corridor
from drop_server.domain.money import to_json_number
from drop_server.domain.payments import PaymentType, answered_status
from drop_server.providers.bank import BankProvider
from drop_server.services import payments, transactions
from drop_server.services.transactions import Totals, estimated_completion


def _totals(totals: Totals) -> pb.SummaryTotals:
    return pb.SummaryTotals(
        total_count=totals.total_count,
        total_sent=to_json_number(totals.total_sent),
        total_paid=to_json_number(totals.total_paid),
        remittance_count=totals.remittance_count,
        qr_payment_count=totals.qr_payment_count,
    )


def remittance_message(tx: Transaction) -> pb.Remittance:
    """The answer to the payment request, as when the bank accepted it: a retry gets the same."""
    assert tx.receive_amount is not None and tx.exchange_rate is not None
    route = corridor(tx.recipient_country or "")
    assert route is not None
    return pb.Remittance(
        id=tx.id,
        type=tx.type,
        status=answered_status(PaymentType(tx.type)),
        send_amount=to_json_number(tx.amount),
        send_currency=tx.currency,
        receive_amount=to_json_number(tx.receive_amount),
        receive_currency=tx.receive_currency or "",
        exchange_rate=float(tx.exchange_rate),
        fee=to_json_number(tx.fee),
        fee_percent=percent(tx.fee_percent),
        total=to_json_number(tx.total),
        recipient_name=tx.recipient_name or "",
        recipient_country=route.country_name,
        from_account=tx.from_bank_name,
        eta=route.eta,
        created_at=timestamp(tx.created_at),
    )


def qr_payment_message(tx: Transaction) -> pb.QrPayment:
    return pb.QrPayment(
        id=tx.id,
        type=tx.type,
        status=answered_status(PaymentType(tx.type)),
        amount=to_json_number(tx.amount),
        currency=tx.currency,
        fee=to_json_number(tx.fee),
        fee_percent=percent(tx.fee_percent),
        merchant_name=tx.merchant_name or "",
        merchant_id=tx.merchant_id or "",
        from_account=tx.from_bank_name,
        created_at=timestamp(tx.created_at),
    )


def receipt_message(tx: Transaction) -> pb.Receipt:
    receipt = pb.Receipt(
        transaction_id=tx.id,
        date=timestamp(tx.created_at),
        type=tx.type,
        amount=to_json_number(tx.amount),
        currency=tx.currency,
        fee=to_json_number(tx.fee),
        exchange_rate=float(tx.exchange_rate or Decimal(1)),
        receive_amount=to_json_number(
            tx.receive_amount if tx.receive_amount is not None else tx.amount
        ),
        receive_currency=tx.receive_currency or BASE_CURRENCY,
        reference=tx.reference,
        status=tx.status,
        estimated_completion=timestamp(estimated_completion(tx)),
        completed_at=optional_timestamp(tx.completed_at),
    )
    if tx.type == PaymentType.REMITTANCE:
        receipt.recipient.CopyFrom(
            pb.ReceiptRecipient(name=tx.recipient_name or "", country=tx.recipient_country or "")
        )
    else:
        receipt.merchant.CopyFrom(
            pb.ReceiptMerchant(name=tx.merchant_name or "", id=tx.merchant_id or "")
        )
    return receipt


class TransactionServicer(transactions_pb2_grpc.TransactionServiceServicer):
    def __init__(self, db: Database, bank: BankProvider) -> None:
        self._db = db
        self._bank = bank

    def ListTransactions(
        self, request: pb.ListTransactionsRequest, context: grpc.ServicerContext
    ) -> pb.ListTransactionsResponse:
        result = transactions.list_transactions(
            self._db,
            current_call().user(),
            *(optional_field(request, f) for f in ("page", "limit", "type", "status", "cursor")),
        )
        items = []
        for tx in result.transactions:
            item = pb.TransactionListItem(
                id=tx.id,
                type=tx.type,
                status=tx.status,
                amount=-to_json_number(tx.amount),
                currency=tx.currency,
                created_at=timestamp(tx.created_at),
            )
            if tx.type == PaymentType.REMITTANCE:
                item.recipient_name = tx.recipient_name or ""
            else:
                item.merchant_name = tx.merchant_name or ""
            items.append(item)
        return pb.ListTransactionsResponse(
            data=items, pagination=pagination(result.page), next_cursor=result.next_cursor
        )

    def GetTransactionSummary(
        self, request: pb.GetTransactionSummaryRequest, context: grpc.ServicerContext
    ) -> pb.GetTransactionSummaryResponse:
        result = transactions.summary(self._db, current_call().user(), datetime.now(UTC))
        return pb.GetTransactionSummaryResponse(
            data=pb.TransactionSummary(
                all_time=_totals(result.all_time), this_month=_totals(result.this_month)
            )
        )

    def GetTransaction(
        self, request: pb.GetTransactionRequest, context: grpc.ServicerContext
    ) -> pb.GetTransactionResponse:
        tx = transactions.get_transaction(self._db, current_call().user(), request.id)
        return pb.GetTransactionResponse(data=transaction_detail(tx))

    def GetReceipt(
        self, request: pb.GetReceiptRequest, context: grpc.ServicerContext
    ) -> pb.GetReceiptResponse:
        tx = transactions.get_transaction(self._db, current_call().user(), request.id)
        return pb.GetReceiptResponse(data=receipt_message(tx))

    def CreateDisclosure(
        self, request: pb.CreateDisclosureRequest, context: grpc.ServicerContext
    ) -> pb.CreateDisclosureResponse:
        form = payments.DisclosureRequest(
            **{
                f: optional_field(request, f)
                for f in ("type", "amount", "currency", "recipient_id")
            }
        )
        quote = payments.disclose(self._db, current_call().user(), form)
        return pb.CreateDisclosureResponse(
            data=pb.Disclosure(
                amount=to_json_number(quote.charge.amount),
                fee=to_json_number(quote.charge.fee),
                fee_percentage=percent(quote.charge.fee_percent),
                exchange_rate=float(quote.exchange_rate),
                receive_amount=to_json_number(quote.receive_amount),
                receive_currency=quote.receive_currency,
                estimated_delivery=quote.estimated_delivery,
                total_cost=to_json_number(quote.charge.total),
            )
        )

    def SendRemittance(
        self, request: pb.SendRemittanceRequest, context: grpc.ServicerContext
    ) -> pb.SendRemittanceResponse:
        call = current_call()
        form = payments.RemittanceRequest(
            **{
                f: optional_field(request, f)
                for f in ("recipient_id", "amount", "currency", "bank_account_id")
            }
        )

        answer = payments.send_remittance(
            self._db, self._bank, call.user(), form, call.header("idempotency-key")
        )
        if answer.replay is not None:
            return pb.SendRemittanceResponse.FromString(answer.replay)
        assert answer.transaction is not None
        return pb.SendRemittanceResponse(data=remittance_message(answer.transaction))

    def PayMerchant(
        self, request: pb.PayMerchantRequest, context: grpc.ServicerContext
    ) -> pb.PayMerchantResponse:
        call = current_call()
        form = payments.QrPaymentRequest(
            merchant_id=optional_field(request, "merchant_id"),
            amount=optional_field(request, "amount"),
        )

        answer = payments.pay_merchant(
            self._db, self._bank, call.user(), form, call.header("idempotency-key")
        )
        if answer.replay is not None:
            return pb.PayMerchantResponse.FromString(answer.replay)
        assert answer.transaction is not None
        return pb.PayMerchantResponse(data=qr_payment_message(answer.transaction))
