"""RateService: proto <-> services.rates."""

from __future__ import annotations

import grpc

from drop.v1 import rates_pb2 as pb
from drop.v1 import rates_pb2_grpc
from drop_server.api.convert import timestamp
from drop_server.api.money_messages import rate
from drop_server.db.engine import Database
from drop_server.domain.corridors import BASE_CURRENCY
from drop_server.services import rates


class RateServicer(rates_pb2_grpc.RateServiceServicer):
    def __init__(self, db: Database) -> None:
        self._db = db

    def ListRates(
        self, request: pb.ListRatesRequest, context: grpc.ServicerContext
    ) -> pb.ListRatesResponse:
        rows = rates.list_rates(self._db)
        table = pb.RateTable(
            base_currency=BASE_CURRENCY, rates={row.currency: float(row.rate) for row in rows}
        )
        if rows:
            table.updated_at.CopyFrom(timestamp(max(row.updated_at for row in rows)))
        return pb.ListRatesResponse(data=table)

    def GetRate(
        self, request: pb.GetRateRequest, context: grpc.ServicerContext
    ) -> pb.GetRateResponse:
        return pb.GetRateResponse(data=rate(rates.get_rate(self._db, request.currency)))
