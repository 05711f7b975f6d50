"""BankAccountService: proto <-> services.bank_accounts."""

from __future__ import annotations

import grpc

from drop.v1 import bank_accounts_pb2 as pb
from drop.v1 import bank_accounts_pb2_grpc
from drop_server.api.call import current_call
from drop_server.api.convert import optional_field
from drop_server.api.money_messages import bank_account
from drop_server.db.engine import Database
from drop_server.providers.bank import BankProvider
from drop_server.services import bank_accounts


class BankAccountServicer(bank_accounts_pb2_grpc.BankAccountServiceServicer):
    def __init__(self, db: Database, bank: BankProvider) -> None:
        self._db = db
        self._bank = bank

    def ListBankAccounts(
        self, request: pb.ListBankAccountsRequest, context: grpc.ServicerContext
    ) -> pb.ListBankAccountsResponse:
        accounts = bank_accounts.list_accounts(
            self._db, self._bank, current_call().user(), refresh=request.refresh
        )
        accounts.sort(key=lambda a: not a.is_primary)
        return pb.ListBankAccountsResponse(data=[bank_account(a) for a in accounts])

    def LinkBankAccounts(
        self, request: pb.LinkBankAccountsRequest, context: grpc.ServicerContext
    ) -> pb.LinkBankAccountsResponse:
        result = bank_accounts.link_accounts(
            self._db, self._bank, current_call().user(), optional_field(request, "bank_name")
        )
        data = pb.LinkedBankAccounts(accounts=[bank_account(a) for a in result.accounts])
        if result.consent_url is not None:
            data.consent_url = result.consent_url
        return pb.LinkBankAccountsResponse(data=data)

    def UpdateBankAccount(
        self, request: pb.UpdateBankAccountRequest, context: grpc.ServicerContext
    ) -> pb.UpdateBankAccountResponse:
        account = bank_accounts.make_primary(
            self._db, current_call().user(), request.id, optional_field(request, "is_primary")
        )
        return pb.UpdateBankAccountResponse(data=bank_account(account))

    def DeleteBankAccount(
        self, request: pb.DeleteBankAccountRequest, context: grpc.ServicerContext
    ) -> pb.DeleteBankAccountResponse:
        bank_accounts.unlink(self._db, current_call().user(), request.id)
        return pb.DeleteBankAccountResponse()
