"""Request ids: a client's well-formed X-Request-Id is kept, anything else replaced by a new
one. Envoy's Lua filter applies the same rule (envoy/http_conventions.lua), so the id a REST
client sees is the one the workers log; native gRPC callers straight to the workers get it
here."""

from __future__ import annotations

import re
import uuid

WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{8,128}")


def well_formed(value: str | None) -> bool:
    return value is not None and WELL_FORMED.fullmatch(value) is not None


def request_id_from(value: str | None) -> str:
    return value if value is not None and well_formed(value) else str(uuid.uuid4())
