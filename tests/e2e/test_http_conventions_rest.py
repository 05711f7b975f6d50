"""HTTP the way clients expect it, through Envoy: 405 with Allow, HEAD for every GET,
compression, ETag/304 and Cache-Control on the public rates, no-store on everything else."""

from __future__ import annotations

import httpx
import pytest

from drop_server.api.routes import ROUTES
from tests.e2e.helpers import MakeRest, signed_in
from tests.support.envelopes import envelope_of


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/api/auth/me", "GET, HEAD"),
        ("POST", "/api/health", "GET, HEAD"),
        ("PUT", "/api/bank-accounts", "GET, HEAD, POST"),
        ("GET", "/api/recipients/rcp_0123456789abcdef", "DELETE"),
        ("POST", "/api/openapi.json", "GET, HEAD"),
    ],
)
def test_a_known_path_with_another_method_is_405_with_allow(
    rest: httpx.Client, method: str, path: str, allow: str
) -> None:
    response = rest.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert envelope_of(response) == {
        "error": "method_not_allowed",
        "message": "Method not allowed; see the Allow header",
        "details": [],
    }


def test_head_answers_every_get_route_with_its_headers_and_no_body(rest: httpx.Client) -> None:
    gets = sorted({r.http_path for r in ROUTES.values() if r.http_method == "GET"})
    for path in gets:
        concrete = path.replace("{id}", "tx_rem_0123456789abcdef").replace("{currency}", "RSD")
        head = rest.head(concrete)
        get = rest.get(concrete)
        assert head.status_code == get.status_code, path
        assert head.content == b"", path
        assert head.headers.get("content-type") == get.headers.get("content-type"), path
    assert rest.head("/api/openapi.json").status_code == 200
    assert rest.head("/api/docs").status_code == 200
    assert rest.head("/api/nope").status_code == 404


def test_json_above_a_small_size_is_compressed(rest: httpx.Client) -> None:
    plain = rest.get("/api/openapi.json", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    gzipped = rest.get("/api/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert gzipped.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in gzipped.headers["vary"].lower()
    assert gzipped.content == plain.content  # httpx decoded the gzip
    # Brotli is preferred when the client accepts both (httpx cannot decode it: raw bytes).
    with rest.stream("GET", "/api/openapi.json", headers={"Accept-Encoding": "gzip, br"}) as br:
        assert br.headers["content-encoding"] == "br"
        raw = b"".join(br.iter_raw())
    assert 0 < len(raw) < len(plain.content) // 4
    # Small answers are sent as they are: compressing them costs more than it saves.
    small = rest.get("/api/rates/RSD", headers={"Accept-Encoding": "gzip, br"})
    assert "content-encoding" not in small.headers


def test_a_large_transcoded_answer_is_compressed(make_rest: MakeRest) -> None:
    client = make_rest()  # the demo user has a history (seeded by drop serve)
    login = client.post(
        "/api/auth/login", json={"email": "demo@drop.no", "password": "DemoPass123"}
    )
    assert login.status_code == 200, login.text
    response = client.get("/api/user/data-export", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and len(response.content) > 1024
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("path", ["/api/rates", "/api/rates/rsd"])
def test_rates_carry_an_etag_public_caching_and_answer_304(rest: httpx.Client, path: str) -> None:
    first = rest.get(path)
    assert first.status_code == 200
    assert first.headers["cache-control"] == "public, max-age=60"
    etag = first.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert rest.get(path).headers["etag"] == etag  # stable while the rates are
    again = rest.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert rest.get(path, headers={"If-None-Match": f'W/{etag}, "other"'}).status_code == 304
    changed = rest.get(path, headers={"If-None-Match": '"stale"'})
    assert changed.status_code == 200 and changed.json()["data"]


def test_etag_follows_a_rate_change(make_rest: MakeRest, drop_system, rest: httpx.Client) -> None:  # type: ignore[no-untyped-def]
    from tests.e2e.helpers import api_key

    key = api_key(drop_system, "rates")
    before = rest.get("/api/rates/pln")
    current = before.json()["data"]["rate"]
    updated = make_rest().put(
        "/api/admin/rates/PLN", json={"rate": current}, headers={"X-Api-Key": key}
    )
    assert updated.status_code == 200, updated.text
    after = rest.get("/api/rates/pln", headers={"If-None-Match": before.headers["etag"]})
    # Same rate, new updatedAt: a new representation, so a new ETag and a full answer.
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]


def test_personal_and_error_answers_are_never_stored(make_rest: MakeRest) -> None:
    client, _ = signed_in(make_rest)
    for path in ("/api/auth/me", "/api/bank-accounts", "/api/transactions", "/api/settings"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store", path
    assert client.post("/api/auth/login", json={}).headers["cache-control"] == "no-store"
    assert make_rest().get("/api/auth/me").headers["cache-control"] == "no-store"
