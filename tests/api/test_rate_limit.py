"""Writes are limited per client (HEELCHECK_API_WRITE_RATE a minute); reads never are."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from api_helpers import Api, Clock
from django.conf import settings
from django.test import RequestFactory, override_settings

from heelcheck.web.api.throttle import client_key
from heelcheck.web.assessments.models import Assessment

pytestmark = pytest.mark.usefixtures("clock")


def any_answer(question: dict[str, Any]) -> Any:
    """A valid answer to whatever the question is, from its kind and options."""
    options = [o["id"] for o in question.get("options") or []]
    if question["kind"] == "number":
        return round((question["minimum"] + question["maximum"]) / 2)
    if question["kind"] == "multi":
        return ["none"] if "none" in options else []
    return options[0]


def assert_limited(response: Any, retry_after: int) -> None:
    assert response.status_code == 429, response.content
    assert response["Retry-After"] == str(retry_after)
    error = response.json()["error"]
    assert error["code"] == "rate_limited" and error["field"] is None
    assert f"{retry_after} seconds" in error["message"]


@override_settings(HEELCHECK_API_WRITE_RATE=3)
def test_the_write_over_the_limit_is_refused_and_stores_nothing(api: Api) -> None:
    for _ in range(3):
        assert api.post("/assessments", {}).status_code == 201
    # Three writes at the start of a window: the next fits once they weigh 2 (3 × 40/60),
    # 20 s into the next window.
    assert_limited(api.post("/assessments", {}), 80)
    assert Assessment.objects.count() == 3


@override_settings(HEELCHECK_API_WRITE_RATE=2)
def test_a_refused_answer_or_delete_changes_nothing(api: Api) -> None:
    body = api.post("/assessments", {}).json()
    first = {"question": body["question"]["id"], "answer": any_answer(body["question"])}
    assert api.post(f"/assessments/{body['id']}/answers", first).status_code == 200
    before = Assessment.objects.get(pk=body["id"]).to_dict()
    assert_limited(api.post(f"/assessments/{body['id']}/answers", first), 90)
    assert_limited(api.delete(f"/assessments/{body['id']}"), 90)
    assert Assessment.objects.get(pk=body["id"]).to_dict() == before


@override_settings(HEELCHECK_API_WRITE_RATE=2)
def test_another_client_is_not_affected(api: Api) -> None:
    for _ in range(2):
        api.post("/assessments", {})
    assert api.post("/assessments", {}).status_code == 429
    bob = Api(remote_addr="192.0.2.7")
    assert bob.post("/assessments", {}).status_code == 201


@override_settings(HEELCHECK_API_WRITE_RATE=2)
def test_the_window_slides_on(api: Api, clock: Clock) -> None:
    # A sliding-window counter: this minute's writes, plus last minute's weighted by the part
    # of it still inside the last 60 s. The clock starts at a window boundary.
    api.post("/assessments", {})
    clock.advance(20)
    api.post("/assessments", {})
    clock.advance(10)
    assert_limited(api.post("/assessments", {}), 60)  # at 90 s: 2 × 30/60 + 1 = 2
    clock.advance(60)
    assert api.post("/assessments", {}).status_code == 201
    assert_limited(api.post("/assessments", {}), 30)  # 2 × 30/60 + 1 + 1 > 2 until 120 s
    clock.advance(30)
    assert api.post("/assessments", {}).status_code == 201  # a new window; the last holds 1
    assert_limited(api.post("/assessments", {}), 60)  # 1 × 60/60 + 1 + 1 > 2 until 180 s
    clock.advance(60)
    assert api.post("/assessments", {}).status_code == 201


@override_settings(HEELCHECK_API_WRITE_RATE=2)
def test_refused_writes_do_not_count(api: Api, clock: Clock) -> None:
    api.post("/assessments", {})
    api.post("/assessments", {})
    for _ in range(20):
        assert api.post("/assessments", {}).status_code == 429
    clock.advance(60)  # the two weigh 2 at the boundary, and nothing else was counted
    assert_limited(api.post("/assessments", {}), 30)
    clock.advance(30)
    assert api.post("/assessments", {}).status_code == 201


@override_settings(HEELCHECK_API_WRITE_RATE=1)
def test_reads_are_never_limited_and_do_not_count(api: Api) -> None:
    body = api.post("/assessments", {}).json()
    for path in [f"/assessments/{body['id']}", "/knowledge-base", "/fhir/Questionnaire/heelcheck"] * 5:
        assert api.get(path).status_code == 200
    assert api.post("/assessments", {}).status_code == 429


def test_the_store_keeps_only_a_count_under_a_keyed_hash_and_no_address(api: Api, clock: Clock) -> None:
    Api(remote_addr="203.0.113.99").post("/assessments", {})
    path = Path(settings.CACHES["limits"]["LOCATION"])
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT key, value, expires FROM entries").fetchall()
    assert len(rows) == 1
    key, value, expires = rows[0]
    assert value == 1  # one write counted, nothing else
    assert expires == clock.now + 120  # this window and the next, which reads it
    assert "203.0.113.99" not in key
    raw = b"".join(p.read_bytes() for p in path.parent.glob("limits.sqlite3*"))
    assert b"203.0.113.99" not in raw and "203.0.113.99".encode("utf-16-le") not in raw


def test_the_cache_key_is_a_keyed_hash_of_the_address() -> None:
    request = RequestFactory().post("/api/v1/assessments", REMOTE_ADDR="203.0.113.99")
    key = client_key(request)
    assert "203.0.113.99" not in key and key == client_key(request)
    assert client_key(RequestFactory().post("/", REMOTE_ADDR="203.0.113.98")) != key
    with override_settings(SECRET_KEY="another secret key, so another hash " * 2):
        assert client_key(request) != key


@override_settings(HEELCHECK_API_WRITE_RATE=1)
def test_x_forwarded_for_is_ignored_unless_behind_a_proxy(api: Api) -> None:
    def client(forwarded: str) -> Api:
        return Api(remote_addr="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert client("198.51.100.1").post("/assessments", {}).status_code == 201
    assert client("198.51.100.2").post("/assessments", {}).status_code == 429  # a made-up header
    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        assert client("198.51.100.3").post("/assessments", {}).status_code == 201
        assert client("198.51.100.4").post("/assessments", {}).status_code == 201
        # Only the last entry, which our proxy appended, names the client; the rest is theirs.
        assert client("1.2.3.4, 198.51.100.4").post("/assessments", {}).status_code == 429


def test_every_write_documents_429_with_retry_after_and_no_read_does(api: Api) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    operations = [(method, op) for item in paths.values() for method, op in item.items()]
    assert {m for m, _ in operations} >= {"get", "post", "delete"}
    for method, op in operations:
        limited = op["responses"].get("429")
        if method in ("post", "delete"):
            assert limited is not None, op["operationId"]
            assert "Retry-After" in limited["headers"]
            assert limited["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorOut"
            }
        else:
            assert limited is None, op["operationId"]
