"""Every bad request gets a 4xx in the one error format, and nothing stored changes."""

from __future__ import annotations

from typing import Any

import pytest
from api_helpers import Api

from heelcheck.web.assessments.models import Assessment


def stored(assessment_id: str) -> dict[str, Any]:
    return Assessment.objects.get(pk=assessment_id).to_dict()


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    error: dict[str, Any] = response.json()["error"]
    assert set(error) == {"code", "message", "field"} and error["message"]
    if code is not None:
        assert error["code"] == code
    return error


@pytest.mark.parametrize(
    ("raw", "status", "code"),
    [
        ("{not json", 400, "malformed_json"),
        ("[1, 2]", 400, "malformed_json"),
        ('{"answer": "yes"}', 422, "invalid"),
        ('{"question": 7, "answer": "yes"}', 422, "invalid"),
        ('{"question": "no_such_question", "answer": "yes"}', 422, None),
        ('{"question": "sex", "answer": "no_such_option"}', 422, None),
        ('{"question": "sex", "answer": ["a", "b"]}', 422, None),
        ('{"question": "age", "answer": "old"}', 422, None),
        ('{"question": "age", "answer": 9999}', 422, None),
        ('{"question": "' + "x" * 20000 + '", "answer": 1}', 413, "body_too_large"),
    ],
)
def test_a_bad_answer_is_refused_and_changes_nothing(
    api: Api, raw: str, status: int, code: str | None
) -> None:
    assessment_id = api.post("/assessments", {"age": 40}).json()["id"]
    before = stored(assessment_id)
    assert_error(api.post(f"/assessments/{assessment_id}/answers", raw=raw), status, code)
    assert stored(assessment_id) == before


def test_an_answer_to_a_question_not_yet_asked_is_refused(api: Api) -> None:
    body = api.post("/assessments", {}).json()
    last = list(api.get("/knowledge-base").json()["questions"])[-1]
    before = stored(body["id"])
    assert_error(
        api.post(f"/assessments/{body['id']}/answers", {"question": last["id"], "answer": None}), 422
    )
    assert stored(body["id"]) == before


def test_a_refused_age_up_front_stores_no_assessment(api: Api) -> None:
    assert_error(api.post("/assessments", {"age": 40, "sex": "no_such_option"}), 422)
    assert Assessment.objects.count() == 0


@pytest.mark.parametrize("assessment_id", ["not-a-uuid", "00000000-0000-4000-8000-000000000000"])
def test_an_unknown_assessment_is_404_everywhere(api: Api, assessment_id: str) -> None:
    assert_error(api.get(f"/assessments/{assessment_id}"), 404, "not_found")
    assert_error(api.post(f"/assessments/{assessment_id}/answers", {"question": "age", "answer": 1}), 404)
    assert_error(api.delete(f"/assessments/{assessment_id}"), 404, "not_found")


def test_a_deleted_assessment_cannot_be_answered(api: Api) -> None:
    assessment_id = api.post("/assessments", {}).json()["id"]
    api.delete(f"/assessments/{assessment_id}")
    assert_error(api.post(f"/assessments/{assessment_id}/answers", {"question": "age", "answer": 40}), 404)


def test_sex_is_not_taken_up_front_any_more(api: Api) -> None:
    # Sex is asked later, when it teaches something; an unknown field is refused, not ignored.
    assert_error(api.post("/assessments", {"age": 40, "sex": "female"}), 422)
    assert Assessment.objects.count() == 0


def test_an_unknown_respondent_up_front_is_refused(api: Api) -> None:
    assert_error(api.post("/assessments", {"respondent": "neighbour"}), 422)
    assert Assessment.objects.count() == 0


def test_age_null_up_front_means_not_sure(api: Api) -> None:
    body = api.post("/assessments", {"age": None}).json()
    assert body["answers"] == [
        {"question": "respondent", "answer": "self"},
        {"question": "age", "answer": None},
    ]


@pytest.mark.parametrize("path", ["/no-such-thing", "/assessments/", "/fhir/Patient/1"])
def test_an_unknown_api_path_is_404_in_the_error_format(api: Api, path: str) -> None:
    assert_error(api.get(path), 404, "no_such_path")
    assert_error(api.post(path, {}), 404, "no_such_path")


def test_a_method_a_path_does_not_take_is_405_in_the_error_format(api: Api) -> None:
    response = api.client.put("/api/v1/assessments", data="{}", content_type="application/json")
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "POST"
    assert Assessment.objects.count() == 0


def test_a_refused_answer_s_code_is_the_same_string_in_the_body(api: Api) -> None:
    """The engine's codes are an enum; the body carries exactly the string it always did."""
    assessment_id = api.post("/assessments", {}).json()["id"]
    answer = {"question": "respondent", "answer": "nobody"}
    response = api.post(f"/assessments/{assessment_id}/answers", answer)
    assert response.status_code == 422
    assert b'"code": "unknown_option"' in response.content
