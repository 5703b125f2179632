"""One credential per assessment: the token returned at the start opens it (as a Bearer token
in the API, as the private result link on the site), and nothing else does: a missing or
wrong token gets exactly the answer a missing id gets."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from api_helpers import Api
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from heelcheck.web.assessments.models import Assessment, hash_token


def valid_answer(question: dict[str, Any]) -> Any:
    """An answer the question accepts, built from its kind and options alone."""
    options = [o["id"] for o in question["options"]]
    if question["kind"] == "number":
        low, high = question["minimum"], question["maximum"]
        return (low + high) / 2 if low is not None and high is not None else (low or high or 1)
    if question["kind"] == "multi":
        return options[:1]
    return options[0]


def finish(api: Api, body: dict[str, Any]) -> dict[str, Any]:
    for _ in range(60):
        if body["question"] is None:
            return body
        reply = api.post(f"/assessments/{body['id']}/answers",
                         {"question": body["question"]["id"], "answer": valid_answer(body["question"])})  # fmt: skip
        assert reply.status_code == 200, reply.json()
        body = reply.json()
    raise AssertionError("the interview never finished")


def routes(assessment_id: str) -> list[tuple[str, str, Any]]:
    base = f"/assessments/{assessment_id}"
    return [("get", base, None), ("get", f"{base}/fhir", None),
            ("post", f"{base}/answers", {"question": "age", "answer": 40}), ("delete", base, None)]  # fmt: skip


def call(api: Api, method: str, path: str, body: Any, token: str) -> Any:
    if method == "post":
        return api.post(path, body, token=token)
    return getattr(api, method)(path, token=token)


def test_starting_returns_a_token_that_opens_the_assessment(api: Api) -> None:
    body = api.post("/assessments", {"age": 40}).json()
    token = body["token"]
    assert isinstance(token, str) and len(token) >= 32
    read = api.get(f"/assessments/{body['id']}", token=token)
    assert read.status_code == 200
    assert read.json()["token"] is None
    assert {**body, "token": None} == read.json()


def test_only_a_hash_of_the_token_is_stored(api: Api) -> None:
    body = api.post("/assessments", {}).json()
    stored = Assessment.objects.get(pk=body["id"])
    assert stored.token == hash_token(body["token"])
    assert body["token"] not in str(stored.to_dict())


def test_the_token_is_the_private_link_of_the_finished_result(api: Api) -> None:
    body = finish(api, api.post("/assessments", {}).json())
    token = api.tokens[body["id"]]
    page = Client().get(f"/r/{token}/")
    assert page.status_code == 200
    assert "Your result" in page.content.decode()


@pytest.mark.parametrize(
    "credential",
    ["", "wrong-token-of-the-right-length-xyz", "other", "Basic", "malformed"],
)
def test_no_route_opens_an_assessment_without_its_own_token(api: Api, credential: str) -> None:
    mine = api.post("/assessments", {"age": 40}).json()
    other = api.post("/assessments", {}).json()
    before = Assessment.objects.get(pk=mine["id"]).to_dict()
    headers = {
        "": {},
        "wrong-token-of-the-right-length-xyz": {"HTTP_AUTHORIZATION": "Bearer " + "x" * 32},
        "other": {"HTTP_AUTHORIZATION": f"Bearer {other['token']}"},
        "Basic": {"HTTP_AUTHORIZATION": f"Basic {mine['token']}"},
        "malformed": {"HTTP_AUTHORIZATION": f"Bearer{mine['token']}"},
    }[credential]
    missing = str(uuid.uuid4())
    for (method, path, body), (_, missing_path, _) in zip(routes(mine["id"]), routes(missing), strict=True):
        kwargs: dict[str, Any] = {"content_type": "application/json", "data": body} if body else {}
        refused = getattr(api.client, method)("/api/v1" + path, **kwargs, **headers)
        absent = getattr(api.client, method)("/api/v1" + missing_path, **kwargs, **headers)
        assert refused.status_code == 404, (method, path, refused.content)
        assert refused.content == absent.content, (method, path)
        assert refused.json()["error"]["code"] == "not_found"
        assert "WWW-Authenticate" not in refused
    assert Assessment.objects.get(pk=mine["id"]).to_dict() == before


def test_a_wrong_token_and_a_missing_id_cost_the_same_queries(api: Api) -> None:
    """Timing: both are one lookup by the token's hash, the same SQL, never by the id; so a
    wrong token cannot tell whether the id exists."""
    mine = api.post("/assessments", {}).json()

    def queries(assessment_id: str) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            response = api.get(f"/assessments/{assessment_id}", token="y" * 32)
        assert response.status_code == 404
        return [q["sql"] for q in captured.captured_queries]

    existing, missing = queries(mine["id"]), queries(str(uuid.uuid4()))
    assert existing == missing and len(existing) == 1
    assert mine["id"].replace("-", "") not in existing[0] and mine["id"] not in existing[0]
    assert hash_token("y" * 32) in existing[0]


def test_the_id_in_any_spelling_is_checked_against_the_token(api: Api) -> None:
    mine = api.post("/assessments", {}).json()
    token = mine["token"]
    assert api.get(f"/assessments/{mine['id'].upper()}", token=token).status_code == 200
    for spelling in (mine["id"].replace("-", "x"), mine["id"] + "0", "not-a-uuid", ""):
        assert api.get(f"/assessments/{spelling}/fhir", token=token).status_code == 404


def test_a_deleted_assessments_token_opens_nothing(api: Api) -> None:
    mine = api.post("/assessments", {}).json()
    assert api.delete(f"/assessments/{mine['id']}").status_code == 204
    assert api.get(f"/assessments/{mine['id']}").status_code == 404
    assert api.delete(f"/assessments/{mine['id']}").status_code == 404


def test_the_openapi_document_declares_the_bearer_scheme(api: Api) -> None:
    document = api.get("/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    assert list(schemes.values()) == [{"type": "http", "scheme": "bearer"}]
    name = next(iter(schemes))
    for path, item in document["paths"].items():
        for method, operation in item.items():
            needs = path.startswith("/api/v1/assessments/{id}")
            assert (operation.get("security") == [{name: []}]) == needs, (method, path)
            assert "401" not in operation["responses"]
    start = document["paths"]["/api/v1/assessments"]["post"]["responses"]["201"]
    ref = start["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    assert "Bearer" in document["components"]["schemas"][ref]["properties"]["token"]["description"]
