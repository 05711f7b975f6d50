"""The money services over native gRPC, straight to the workers and through Envoy's port."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest

from drop.v1 import (
    admin_pb2,
    admin_pb2_grpc,
    auth_pb2,
    auth_pb2_grpc,
    bank_accounts_pb2,
    bank_accounts_pb2_grpc,
    merchants_pb2,
    merchants_pb2_grpc,
    notifications_pb2,
    notifications_pb2_grpc,
    rates_pb2,
    rates_pb2_grpc,
    recipients_pb2,
    recipients_pb2_grpc,
    transactions_pb2,
    transactions_pb2_grpc,
)
from tests.conftest import DropSystem, unique_email
from tests.e2e.helpers import MakeRest, api_key
from tests.e2e.money import valid_org_number


@pytest.fixture(scope="module", params=["direct", "envoy"])
def channel(request: pytest.FixtureRequest, drop_system: DropSystem) -> Iterator[grpc.Channel]:
    target = drop_system.grpc_target if request.param == "direct" else drop_system.envoy_target
    with grpc.insecure_channel(target) as channel:
        yield channel


@pytest.fixture(scope="module")
def admin_key(drop_system: DropSystem) -> tuple[tuple[str, str]]:
    return (("x-api-key", api_key(drop_system, "admin")),)


def new_user(drop_system: DropSystem) -> tuple[tuple[str, str], ...]:
    """Signs up on the workers' own port (Envoy limits sign-up per IP) and returns metadata."""
    with grpc.insecure_channel(drop_system.grpc_target) as direct:
        response = auth_pb2_grpc.AuthServiceStub(direct).Register(
            auth_pb2.RegisterRequest(
                email=unique_email("money"),
                password="Secret123",
                first_name="Mirza",
                last_name="Delić",
                date_of_birth="1985-02-03",
            ),
            metadata=(("x-drop-client", "mobile"),),
        )
    return (("authorization", f"Bearer {response.data.token}"),)


def test_remittance_flow_over_grpc(
    channel: grpc.Channel, drop_system: DropSystem, admin_key: tuple[tuple[str, str]]
) -> None:
    me = new_user(drop_system)
    user_id = (
        auth_pb2_grpc.AuthServiceStub(channel).GetMe(auth_pb2.GetMeRequest(), metadata=me).data.id
    )
    admin = admin_pb2_grpc.AdminServiceStub(channel)
    admin.UpdateUser(
        admin_pb2.UpdateUserRequest(id=user_id, kyc_status="approved"), metadata=admin_key
    )

    accounts = bank_accounts_pb2_grpc.BankAccountServiceStub(channel)
    linked = accounts.LinkBankAccounts(
        bank_accounts_pb2.LinkBankAccountsRequest(bank_name="DNB"), metadata=me
    ).data.accounts
    assert linked[0].is_primary and linked[0].bank_name == "DNB"

    recipient = (
        recipients_pb2_grpc.RecipientServiceStub(channel)
        .CreateRecipient(
            recipients_pb2.CreateRecipientRequest(
                name="Ana Kovač", country="BA", currency="BAM", bank_account="BA391290079401028494"
            ),
            metadata=me,
        )
        .data
    )
    assert recipient.bank_account == "*****8494"

    payments = transactions_pb2_grpc.TransactionServiceStub(channel)
    request = transactions_pb2.SendRemittanceRequest(recipient_id=recipient.id, amount=1000)
    keyed = (*me, ("idempotency-key", "grpc-1"))
    sent, call = payments.SendRemittance.with_call(request, metadata=keyed)
    assert (sent.data.status, sent.data.receive_amount, sent.data.receive_currency) == (
        "processing",
        1040,
        "BAM",
    )
    assert ("x-http-code", "201") in call.initial_metadata()
    assert payments.SendRemittance(request, metadata=keyed) == sent
    listed = payments.ListTransactions(transactions_pb2.ListTransactionsRequest(), metadata=me)
    assert [t.id for t in listed.data] == [sent.data.id] and listed.data[0].amount == -1000

    settled = admin.SettleTransaction(
        admin_pb2.SettleTransactionRequest(id=sent.data.id, outcome="completed"), metadata=admin_key
    )
    assert settled.data.status == "completed" and settled.data.HasField("completed_at")
    receipt = payments.GetReceipt(
        transactions_pb2.GetReceiptRequest(id=sent.data.id), metadata=me
    ).data
    assert receipt.recipient.country == "BA" and receipt.HasField("completed_at")

    notes = notifications_pb2_grpc.NotificationServiceStub(channel).ListNotifications(
        notifications_pb2.ListNotificationsRequest(), metadata=me
    )
    assert [n.type for n in notes.data] == ["remittance_completed", "remittance_created"]

    with pytest.raises(grpc.RpcError) as caught:
        payments.GetTransaction(
            transactions_pb2.GetTransactionRequest(id=sent.data.id), metadata=new_user(drop_system)
        )
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


def test_payment_errors_map_to_grpc_codes(channel: grpc.Channel, drop_system: DropSystem) -> None:
    me = new_user(drop_system)
    payments = transactions_pb2_grpc.TransactionServiceStub(channel)
    recipient = (
        recipients_pb2_grpc.RecipientServiceStub(channel)
        .CreateRecipient(
            recipients_pb2.CreateRecipientRequest(
                name="Ana", country="RS", currency="RSD", bank_account="RS35260005601001611379"
            ),
            metadata=me,
        )
        .data
    )
    with pytest.raises(grpc.RpcError) as kyc:
        payments.SendRemittance(
            transactions_pb2.SendRemittanceRequest(recipient_id=recipient.id, amount=500),
            metadata=me,
        )
    assert kyc.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.RpcError) as bad:
        payments.SendRemittance(
            transactions_pb2.SendRemittanceRequest(recipient_id=recipient.id, amount=5), metadata=me
        )
    assert bad.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(grpc.RpcError) as no_account:
        payments.PayMerchant(
            transactions_pb2.PayMerchantRequest(merchant_id="mer_0000000000000000", amount=5),
            metadata=me,
        )
    assert no_account.value.code() == grpc.StatusCode.NOT_FOUND


def test_rates_merchants_and_summary_over_grpc(
    channel: grpc.Channel, drop_system: DropSystem
) -> None:
    table = rates_pb2_grpc.RateServiceStub(channel).ListRates(rates_pb2.ListRatesRequest()).data
    assert table.base_currency == "NOK" and table.rates["PLN"] == 0.41
    me = new_user(drop_system)
    merchants = merchants_pb2_grpc.MerchantServiceStub(channel)
    profile = merchants.RegisterMerchant(
        merchants_pb2.RegisterMerchantRequest(
            business_name="Frisør Delić", org_number=valid_org_number(), bank_account="15036326783"
        ),
        metadata=me,
    ).data
    assert profile.qr_value == f"drop://pay/{profile.merchant_id}"
    board = merchants.GetDashboard(
        merchants_pb2.GetDashboardRequest(period="week"), metadata=me
    ).data
    assert board.transaction_count == 0 and board.HasField("payout_time")
    summary = (
        transactions_pb2_grpc.TransactionServiceStub(channel)
        .GetTransactionSummary(transactions_pb2.GetTransactionSummaryRequest(), metadata=me)
        .data
    )
    assert summary.all_time.total_count == 0


def test_settlement_over_grpc_follows_the_bank(
    make_rest: MakeRest, drop_system: DropSystem
) -> None:
    """Contradictory reports race: the first decides at the bank, the rest are refused."""
    from concurrent.futures import ThreadPoolExecutor

    from drop.v1 import admin_pb2, admin_pb2_grpc
    from tests.e2e.money import Operator, add_recipient, customer

    with Operator(make_rest, drop_system) as operator:
        sender = customer(make_rest, operator)
        recipient = add_recipient(sender.client)
        tx = sender.client.post(
            "/api/transactions/remittance", json={"recipientId": recipient["id"], "amount": 300}
        ).json()["data"]
        key = api_key(drop_system, "settlement")
        reports = ["completed", "failed"] * 3
        with grpc.insecure_channel(drop_system.grpc_target) as channel:
            stub = admin_pb2_grpc.AdminServiceStub(channel)

            def report(outcome: str) -> tuple[str, grpc.StatusCode]:
                try:
                    stub.SettleTransaction(
                        admin_pb2.SettleTransactionRequest(id=str(tx["id"]), outcome=outcome),
                        metadata=[("x-api-key", key)],
                        timeout=15,
                    )
                    return outcome, grpc.StatusCode.OK
                except grpc.RpcError as error:
                    return outcome, error.code()

            with ThreadPoolExecutor(max_workers=6) as pool:
                results = list(pool.map(report, reports))
        applied = [outcome for outcome, code in results if code is grpc.StatusCode.OK]
        assert len(applied) == 1
        assert {code for _, code in results} == {
            grpc.StatusCode.OK,
            grpc.StatusCode.ALREADY_EXISTS,
        }
        [(status, bank_status)] = operator.sql(
            "SELECT t.status, b.status FROM transactions t JOIN sandbox_bank_payments b"
            " ON b.reference = t.end_to_end_id WHERE t.id = :i",
            i=tx["id"],
        )
        assert status == bank_status == applied[0]
