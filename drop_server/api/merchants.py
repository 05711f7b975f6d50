"""MerchantService: proto <-> services.merchants."""

from __future__ import annotations

import grpc

from drop.v1 import merchants_pb2 as pb
from drop.v1 import merchants_pb2_grpc
from drop_server.api.call import current_call
from drop_server.api.convert import optional_field, pagination, timestamp
from drop_server.db.engine import Database
from drop_server.domain.money import to_json_number
from drop_server.services import merchants


class MerchantServicer(merchants_pb2_grpc.MerchantServiceServicer):
    def __init__(self, db: Database) -> None:
        self._db = db

    def RegisterMerchant(
        self, request: pb.RegisterMerchantRequest, context: grpc.ServicerContext
    ) -> pb.RegisterMerchantResponse:
        form = merchants.MerchantForm(
            **{
                f: optional_field(request, f)
                for f in ("business_name", "org_number", "address", "bank_account")
            }
        )
        merchant = merchants.register_merchant(self._db, current_call().user(), form)
        return pb.RegisterMerchantResponse(
            data=pb.MerchantProfile(
                merchant_id=merchant.id,
                business_name=merchant.business_name,
                org_number=merchant.org_number,
                address=merchant.address,
                qr_value=merchants.qr_value(merchant.id),
                created_at=timestamp(merchant.created_at),
            )
        )

    def GetDashboard(
        self, request: pb.GetDashboardRequest, context: grpc.ServicerContext
    ) -> pb.GetDashboardResponse:
        board = merchants.dashboard(
            self._db, current_call().user(), optional_field(request, "period")
        )
        return pb.GetDashboardResponse(
            data=pb.MerchantDashboard(
                revenue=to_json_number(board.revenue),
                transaction_count=board.transaction_count,
                fees=to_json_number(board.fees),
                net_revenue=to_json_number(board.net_revenue),
                next_payout=to_json_number(board.next_payout),
                payout_time=timestamp(board.payout_time),
            )
        )

    def GetQrCode(
        self, request: pb.GetQrCodeRequest, context: grpc.ServicerContext
    ) -> pb.GetQrCodeResponse:
        merchant = merchants.my_merchant(self._db, current_call().user())
        return pb.GetQrCodeResponse(
            data=pb.MerchantQrCode(
                merchant_id=merchant.id,
                business_name=merchant.business_name,
                qr_value=merchants.qr_value(merchant.id),
                address=merchant.address,
            )
        )

    def ListMerchantTransactions(
        self, request: pb.ListMerchantTransactionsRequest, context: grpc.ServicerContext
    ) -> pb.ListMerchantTransactionsResponse:
        result = merchants.sales(
            self._db,
            current_call().user(),
            optional_field(request, "page"),
            optional_field(request, "limit"),
            optional_field(request, "cursor"),
        )
        return pb.ListMerchantTransactionsResponse(
            next_cursor=result.next_cursor,
            data=[
                pb.MerchantTransaction(
                    id=sale.transaction.id,
                    amount=to_json_number(sale.transaction.amount),
                    fee=to_json_number(merchants.merchant_fee(sale.transaction.amount)),
                    status=sale.transaction.status,
                    customer_name=sale.customer_name,
                    created_at=timestamp(sale.transaction.created_at),
                )
                for sale in result.sales
            ],
            pagination=pagination(result.page),
        )
