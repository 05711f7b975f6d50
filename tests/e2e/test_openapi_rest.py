"""The served OpenAPI document as third-party tools read it: openapi-core validates real
requests and answers through Envoy against it (the relative server URL matches any port)."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
import pytest
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse

from tests.conftest import registration


@pytest.fixture(scope="module")
def openapi(drop_system) -> OpenAPI:  # type: ignore[no-untyped-def]
    document = httpx.get(f"{drop_system.http_url}/api/openapi.json").json()
    return OpenAPI.from_dict(document)


def _sent_cookies(response: httpx.Response) -> list[str]:
    header = response.request.headers.get("cookie", "")
    return [pair.strip() for pair in header.split(";") if "=" in pair]


def _check(openapi: OpenAPI, response: httpx.Response, body: bytes | None = None) -> None:
    url = urlsplit(str(response.request.url))
    request = MockRequest(
        f"{url.scheme}://{url.netloc}",
        response.request.method.lower(),
        url.path,
        args=dict(httpx.QueryParams(url.query)),
        data=body,
        content_type=response.request.headers.get("content-type", "application/json"),
        cookies=dict(cookie.split("=", 1) for cookie in _sent_cookies(response)),
    )
    openapi.validate_request(request)
    answer = MockResponse(
        response.content,
        status_code=response.status_code,
        headers=dict(response.headers),
        content_type=response.headers.get("content-type", ""),
    )
    openapi.validate_response(request, answer)


def test_real_answers_validate_against_the_served_document(
    openapi: OpenAPI, rest: httpx.Client
) -> None:
    _check(openapi, rest.get("/api/rates"))
    _check(openapi, rest.get("/api/rates/rsd"))
    body = httpx.Request("POST", "/", json=registration()).content
    registered = rest.post(
        "/api/auth/register", content=body, headers={"content-type": "application/json"}
    )
    assert registered.status_code == 201
    _check(openapi, registered, body)
    _check(openapi, rest.get("/api/auth/me"))
    _check(openapi, rest.get("/api/transactions", params={"limit": 5}))
    _check(openapi, rest.get("/api/rates/xyz"))  # a documented 404 envelope
