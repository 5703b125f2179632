"""No input makes the API answer 5xx, and a refused request stores nothing: arbitrary JSON,
Unicode digits, huge and non-finite numbers, NUL and deep nesting, in every body the API
takes (start, answer, $next-question), on the test run's database."""

from __future__ import annotations

import json
from typing import Any

import pytest
from api_helpers import Api
from hypothesis import given
from hypothesis import strategies as st
from nasty import FUZZ, KNOWN_BAD_NUMBERS, json_values, nasty_numbers, nasty_text, nested

from heelcheck.web.assessments.models import Assessment


def stored() -> list[tuple[str, int, Any]]:
    return sorted((str(a.id), a.revision, a.answers) for a in Assessment.objects.all())


def refused_cleanly(response: Any, before: list[tuple[str, int, Any]]) -> None:
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 400:
        body = response.json()
        assert body["error"]["message"], body
        assert stored() == before


def dumps(value: Any) -> str:
    return json.dumps(value)  # NaN and Infinity as JSON's unofficial literals, on purpose


@pytest.fixture
def started(api: Api) -> dict[str, Any]:
    response = api.post("/assessments", {})
    assert response.status_code == 201
    return dict(response.json())


@pytest.mark.parametrize("number", [10**400, -(10**400)], ids=["huge", "huge negative"])
def test_a_400_digit_integer_as_an_answer_is_refused(api: Api, started: dict[str, Any], number: int) -> None:
    before = stored()
    question = started["question"]["id"]
    response = api.post(
        f"/assessments/{started['id']}/answers", raw=f'{{"question": "{question}", "answer": {number}}}'
    )
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "number_too_large"
    assert stored() == before


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_numbers_are_refused(api: Api, started: dict[str, Any], literal: str) -> None:
    before = stored()
    question = started["question"]["id"]
    response = api.post(
        f"/assessments/{started['id']}/answers", raw=f'{{"question": "{question}", "answer": {literal}}}'
    )
    assert response.status_code == 422, response.content
    assert stored() == before


def test_a_nul_in_the_locale_is_refused(api: Api) -> None:
    response = api.post("/assessments", {"locale": "en\x00"})
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "nul_character"
    assert not Assessment.objects.exists()


def next_question_body(first: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "QuestionnaireResponse",
        "status": "in-progress",
        "contained": [{"resourceType": "Questionnaire", "status": "active",
                       "item": [{"linkId": "age", "type": "decimal"}]}],
        "item": [{"linkId": "age", "answer": [first]}],
        **extra,
    }  # fmt: skip


def test_a_400_digit_value_decimal_is_refused(api: Api) -> None:
    body = dumps(next_question_body({"valueDecimal": 0})).replace(
        '"valueDecimal": 0', f'"valueDecimal": {10**400}'
    )
    response = api.post("/fhir/Questionnaire/$next-question", raw=body)
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "number_too_large"


@pytest.mark.parametrize("key", ["extension", "item", "contained", "modifierExtension"])
@pytest.mark.parametrize("depth", [150, 300, 450])
def test_deep_nesting_in_next_question_is_refused(api: Api, key: str, depth: int) -> None:
    leaf = {"url": "https://example.org/x", "valueString": "x"}
    body = next_question_body({"valueDecimal": 40}, **{key: [nested(key, depth, leaf)]})
    response = api.post("/fhir/Questionnaire/$next-question", raw=dumps(body))
    assert response.status_code in (400, 413), response.content
    assert response.json()["error"]["code"] in ("too_deep", "body_too_large")


def test_a_shallow_next_question_still_works(api: Api) -> None:
    response = api.post("/fhir/Questionnaire/$next-question", next_question_body({"valueDecimal": 40}))
    assert response.status_code == 200, response.content


@FUZZ
@given(body=json_values)
def test_any_json_body_to_start(api: Api, body: Any) -> None:
    before = stored()
    response = api.post("/assessments", raw=dumps(body))
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 400:
        assert stored() == before
        assert response.json()["error"]["message"]


@FUZZ
@given(locale=nasty_text, age=st.one_of(nasty_numbers, nasty_text, st.none()), sex=json_values)
def test_any_start_fields(api: Api, locale: str, age: Any, sex: Any) -> None:
    before = stored()
    response = api.post("/assessments", raw=dumps({"locale": locale, "age": age, "sex": sex}))
    refused_cleanly(response, before)


@FUZZ
@given(question=st.one_of(st.none(), nasty_text, json_values), answer=json_values, current=st.booleans())
def test_any_answer_body(
    api: Api, started: dict[str, Any], question: Any, answer: Any, current: bool
) -> None:
    before = stored()
    asked = started["question"]["id"] if current else question
    response = api.post(
        f"/assessments/{started['id']}/answers", raw=dumps({"question": asked, "answer": answer})
    )
    if response.status_code == 200:
        # A valid answer to the current question was stored; put the row back for the next example.
        Assessment.objects.filter(pk=started["id"]).update(answers=[], revision=before[0][1])
        return
    refused_cleanly(response, before)


@FUZZ
@given(answer=st.one_of(*(st.fixed_dictionaries({key: json_values}) for key in
                          ("valueDecimal", "valueInteger", "valueCoding", "valueString"))),
       extra=st.dictionaries(st.sampled_from(["extension", "contained", "item", "id", "meta", "text"]),
                             json_values, max_size=3),
       as_parameters=st.booleans())  # fmt: skip
def test_any_next_question_body(
    api: Api, answer: dict[str, Any], extra: dict[str, Any], as_parameters: bool
) -> None:
    resource: dict[str, Any] = {**next_question_body(answer), **extra}
    if as_parameters:
        resource = {"resourceType": "Parameters",
                    "parameter": [{"name": "questionnaire-response", "resource": resource}]}  # fmt: skip
    response = api.post("/fhir/Questionnaire/$next-question", raw=dumps(resource))
    assert response.status_code < 500, response.content[:500]
    assert not Assessment.objects.exists()


@FUZZ
@given(key=st.sampled_from(["extension", "item", "contained", "answer"]), depth=st.integers(1, 300),
       leaf=json_values)  # fmt: skip
def test_any_nesting_in_next_question(api: Api, key: str, depth: int, leaf: Any) -> None:
    body = next_question_body({"valueDecimal": 40}, **{key: [nested(key, depth, leaf)]})
    response = api.post("/fhir/Questionnaire/$next-question", raw=dumps(body))
    assert response.status_code < 500, response.content[:500]


@FUZZ
@given(raw=st.one_of(st.binary(max_size=200), nasty_text.map(str.encode)))
def test_any_bytes_as_a_body(api: Api, started: dict[str, Any], raw: bytes) -> None:
    before = stored()
    for path in (
        "/assessments",
        f"/assessments/{started['id']}/answers",
        "/fhir/Questionnaire/$next-question",
    ):
        refused_cleanly(api.post(path, raw=raw), before)


@FUZZ
@given(ident=nasty_text)
def test_any_id_in_the_path(api: Api, started: dict[str, Any], ident: str) -> None:
    before = stored()
    for response in (api.get(f"/assessments/{ident}"), api.get(f"/assessments/{ident}/fhir"),
                     api.delete(f"/assessments/{ident}")):  # fmt: skip
        assert response.status_code < 500
    assert stored() == before


def test_the_known_bad_numbers_are_all_exercised() -> None:
    assert any(isinstance(n, int) and abs(n) > 10**300 for n in KNOWN_BAD_NUMBERS)


@pytest.mark.parametrize(
    "content_type", ["multipart/form-data; boundary=x", "application/x-www-form-urlencoded"]
)
def test_a_form_body_to_the_api_is_refused(api: Api, content_type: str) -> None:
    body = b'--x\r\nContent-Disposition: form-data; name="locale"\r\n\r\nen\x00\r\n--x--\r\n'
    response = api.client.post("/api/v1/assessments", data=body, content_type=content_type)
    assert 400 <= response.status_code < 500, response.content
    assert not Assessment.objects.exists()
