"""The peer: `GET /api/transactions` as a Python team would write it without gRPC and Envoy,
FastAPI + uvicorn over the same SQLAlchemy + psycopg use cases, database and JSON.

    DATABASE_URL=... DROP_JWT_SECRET=... uvicorn bench.peers.fastapi_transactions:app --workers N
"""

from __future__ import annotations

import os
from typing import Any

from fastapi import FastAPI, Header, Query
from fastapi.responses import JSONResponse

from drop_server.db.engine import Database
from drop_server.domain.money import to_json_number
from drop_server.domain.payments import PaymentType
from drop_server.errors import ApiError
from drop_server.server import THREADS_PER_WORKER
from drop_server.services import transactions
from drop_server.services.sessions import authenticate_token

app = FastAPI()
# The pool a Drop worker has: FastAPI runs sync routes on up to 40 threads, and overflow
# connections beyond the pool would be opened and closed per request.
_db = Database(os.environ["DATABASE_URL"], pool_size=THREADS_PER_WORKER)
_secret = os.environ["DROP_JWT_SECRET"]


def _millis(moment: Any) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@app.get("/api/transactions")
def list_transactions(
    authorization: str = Header(""),
    page: int | None = Query(None),
    limit: int | None = Query(None),
    type: str | None = Query(None),
    status: str | None = Query(None),
) -> JSONResponse:
    try:
        principal = authenticate_token(_db, _secret, authorization.partition(" ")[2])
        result = transactions.list_transactions(_db, principal, page, limit, type, status)
    except ApiError as error:
        return JSONResponse(error.envelope(), status_code=error.http_status)
    items = []
    for tx in result.transactions:
        item: dict[str, Any] = {
            "id": tx.id,
            "type": tx.type,
            "status": tx.status,
            "amount": -to_json_number(tx.amount),
            "currency": tx.currency,
        }
        if tx.type == PaymentType.REMITTANCE:
            item["recipientName"] = tx.recipient_name or ""
        else:
            item["merchantName"] = tx.merchant_name or ""
        item["createdAt"] = _millis(tx.created_at)
        items.append(item)
    info = result.page
    pagination = {
        "page": info.page,
        "limit": info.limit,
        "total": info.total,
        "totalPages": info.total_pages,
        "hasNext": info.has_next,
        "hasPrev": info.has_prev,
    }
    return JSONResponse({"data": items, "pagination": pagination})
