"""Error envelopes carry the request id (`requestId`, equal to the X-Request-Id answered):
checked here, then left out so a test can compare the rest exactly."""

from __future__ import annotations

from typing import Any


def envelope_of(response: Any) -> Any:
    body = response.json()
    if not isinstance(body, dict) or "error" not in body:
        return body
    request_id = body.pop("requestId", None)
    assert request_id, f"no requestId in {body}"
    header = getattr(response, "headers", {}).get("x-request-id")
    assert header is None or header == request_id, (header, request_id)
    return body


def without_request_id(body: Any) -> Any:
    """An envelope decoded from elsewhere (gRPC trailers): its requestId checked and left out."""
    assert isinstance(body, dict) and body.get("requestId"), f"no requestId in {body}"
    return {key: value for key, value in body.items() if key != "requestId"}
