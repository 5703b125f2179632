"""The SDC adaptive operation Questionnaire/$next-question: stateless, through FHIR R4 only."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from api_helpers import Api
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.riskassessment import RiskAssessment

from heelcheck.engine import Interview, KnowledgeBase
from heelcheck.engine.model import AnswerValue
from heelcheck.vignettes import respond, run_vignette
from heelcheck.web.assessments.models import Assessment

PATH = "/fhir/Questionnaire/$next-question"
EMPTY = {"resourceType": "QuestionnaireResponse", "status": "in-progress"}


def next_question(api: Api, body: dict[str, Any]) -> dict[str, Any]:
    """Call the operation; the answer must be a valid R4 QuestionnaireResponse that round-trips."""
    response = api.post(PATH, body)
    assert response.status_code == 200, response.content
    parsed = QuestionnaireResponse.model_validate_json(response.content)
    again = QuestionnaireResponse.model_validate_json(parsed.model_dump_json())
    assert json.loads(again.model_dump_json()) == json.loads(parsed.model_dump_json())
    data: dict[str, Any] = response.json()
    return data


def contained(resource: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(r for r in resource["contained"] if r["resourceType"] == kind)


def pending_item(response: dict[str, Any]) -> dict[str, Any]:
    """The question the server added last (the one not answered yet)."""
    item: dict[str, Any] = contained(response, "Questionnaire")["item"][-1]
    return item


def fhir_answers(item: dict[str, Any], value: AnswerValue) -> list[dict[str, Any]]:
    """What a FHIR client sends for an option id, a list of them, a number or "not sure":
    the codings come from the item's own answerOption list."""
    if value is None:
        return []
    if isinstance(value, int | float):
        return [{"valueDecimal": value}]
    chosen = value if isinstance(value, list) else [value]
    codings = {o["valueCoding"]["code"]: o["valueCoding"] for o in item.get("answerOption", [])}
    return [{"valueCoding": codings[f"{item['linkId']}.{option}"]} for option in chosen]


def answered(response: dict[str, Any], value: AnswerValue) -> dict[str, Any]:
    """The response with the pending question answered, ready to send back."""
    body = copy.deepcopy(response)
    item = pending_item(body)
    answers = fhir_answers(item, value)
    body.setdefault("item", []).append({"linkId": item["linkId"], **({"answer": answers} if answers else {})})
    return body


def test_an_empty_response_gets_the_first_question(api: Api, kb: KnowledgeBase) -> None:
    body = next_question(api, EMPTY)
    first = Interview.start(kb).next_question
    assert first is not None
    assert body["status"] == "in-progress" and "item" not in body
    assert body["questionnaire"] == "#" + contained(body, "Questionnaire")["id"]
    assert [i["linkId"] for i in contained(body, "Questionnaire")["item"]] == [first.id]
    published = api.get("/fhir/Questionnaire/heelcheck").json()["item"]
    assert pending_item(body) == next(i for i in published if i["linkId"] == first.id)


def test_the_parameters_form_of_the_operation_gives_the_same_answer(api: Api) -> None:
    wrapped = {
        "resourceType": "Parameters",
        "parameter": [{"name": "questionnaire-response", "resource": EMPTY}],
    }
    assert next_question(api, wrapped) == next_question(api, EMPTY)


@pytest.mark.parametrize("vignette_id", ["D001", "D029", "D033", "D027"])  # D027: the longest
def test_a_vignette_interview_completes_through_next_question_alone(
    api: Api, kb: KnowledgeBase, vignettes: dict[str, dict[str, Any]], vignette_id: str
) -> None:
    facts = vignettes[vignette_id]["facts"]
    body = next_question(api, EMPTY)
    while body["status"] == "in-progress":
        question = kb.questions[pending_item(body)["linkId"]]
        body = next_question(api, answered(body, respond(question, facts, kb)))
    interview = run_vignette(kb, facts)[0]
    expected = interview.result().to_dict()
    assert [i["linkId"] for i in body["item"]] == [a.question for a in interview.answers]
    assessment = RiskAssessment.model_validate(contained(body, "RiskAssessment"))
    ranked = [
        [p.outcome.coding[0].code, round(float(p.probabilityDecimal), 4)] for p in assessment.prediction
    ]
    assert ranked == expected["ranked"]
    assert {p.qualitativeRisk.coding[0].code for p in assessment.prediction} == {expected["triage"]}
    assert body["extension"][0]["valueReference"]["reference"] == "#" + assessment.id
    shown = contained(body, "Questionnaire")["item"][-1]
    assert shown["type"] == "display" and expected["triage_title"] in shown["text"]
    assert Assessment.objects.count() == 0  # stateless: nothing stored


def test_changing_an_earlier_answer_replays_the_interview(api: Api, kb: KnowledgeBase) -> None:
    body = next_question(api, EMPTY)
    body = next_question(api, answered(body, "self"))
    body = next_question(api, answered(body, 40))
    body["item"][1]["answer"] = [{"valueInteger": 11}]  # a child now: the questions change
    changed = next_question(api, body)
    expected = Interview.start(kb).answer("respondent", "self").answer("age", 11)
    assert [i["linkId"] for i in changed["item"]] == ["respondent", "age"]
    assert changed["item"][1]["answer"] == [{"valueDecimal": 11}]
    assert expected.next_question is not None
    assert pending_item(changed)["linkId"] == expected.next_question.id


def test_a_number_item_without_an_answer_means_not_sure(api: Api, kb: KnowledgeBase) -> None:
    body = next_question(api, answered(next_question(api, EMPTY), "self"))
    body = next_question(api, answered(body, None))
    expected = Interview.start(kb).answer("respondent", "self").answer("age", None).next_question
    assert expected is not None and pending_item(body)["linkId"] == expected.id
    assert body["item"][1] == {"linkId": "age"}


def bad(api: Api, body: Any, status: int, code: str, field: str | None = None) -> None:
    response = api.post(PATH, raw=body) if isinstance(body, str) else api.post(PATH, body)
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "field"} and error["message"]
    assert error["code"] == code, error
    if field is not None:
        assert error["field"] == field
    assert Assessment.objects.count() == 0


def after_age(**item: Any) -> dict[str, Any]:
    """The response to the first question, with one answer item replaced."""
    return {
        "resourceType": "QuestionnaireResponse",
        "status": "in-progress",
        "contained": [{"resourceType": "Questionnaire", "id": "questions", "status": "active",
                       "item": [{"linkId": "age", "type": "decimal"}, {"linkId": "sex", "type": "choice"}]}],
        "questionnaire": "#questions",
        "item": [{"linkId": "age", "answer": [{"valueDecimal": 40}]}, item],
    }  # fmt: skip


def sex(code: str, system: str = "https://heelcheck.example/fhir/CodeSystem/options") -> dict[str, Any]:
    return {"linkId": "sex", "answer": [{"valueCoding": {"system": system, "code": code}}]}


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ("{not json", 400, "malformed_json", None),
        ({"hello": "world"}, 422, "wrong_resource_type", "resourceType"),
        ({"resourceType": "Patient"}, 422, "wrong_resource_type", "resourceType"),
        ({"resourceType": "QuestionnaireResponse", "status": 7}, 422, "invalid_fhir", "status"),
        ({"resourceType": "QuestionnaireResponse"}, 422, "invalid_fhir", "status"),
        ({**EMPTY, "patient": "Alice"}, 422, "invalid_fhir", "patient"),
        ({**EMPTY, "item": [{"answer": []}]}, 422, "invalid_fhir", "item.0.linkId"),
        ({**EMPTY, "item": "age"}, 422, "invalid_fhir", "item"),
        ({"resourceType": "Parameters", "parameter": []}, 422, "missing_parameter", "parameter"),
        ({"resourceType": "Parameters", "parameter": [{"name": "questionnaire-response",
          "resource": {"resourceType": "Patient"}}]}, 422, "wrong_resource_type", "resourceType"),
        (after_age(linkId="no_such_question"), 422, "unknown_question", "item.1.linkId"),
        (after_age(**sex("sex.no_such_option")), 422, "unknown_option", "item.1.answer"),
        (after_age(**sex("sex.female", system="http://example.org/other")), 422, "unknown_option", None),
        (after_age(**sex("age.female")), 422, "unknown_option", None),
        (after_age(linkId="sex", answer=[{"valueString": "female"}]), 422, "wrong_answer_type", "item.1.answer.0"),
        (after_age(linkId="sex"), 422, "not_an_option", "item.1.answer"),
        (after_age(linkId="sex", answer=[*sex("sex.female")["answer"], *sex("sex.male")["answer"]]), 422,
         "too_many_answers", "item.1.answer"),
        (after_age(linkId="age", answer=[{"valueDecimal": 50}]), 422, "duplicate_answer", "item.1.linkId"),
        (after_age(linkId="duration", answer=[{"valueDecimal": 3}]), 422, "not_asked", "item.1.linkId"),
        ({**after_age(**sex("sex.female")), "item": [{"linkId": "age", "answer": [{"valueDecimal": 400}]}]}, 422,
         "out_of_range", "item.0.answer"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_in_the_one_error_format(
    api: Api, body: Any, status: int, code: str, field: str | None
) -> None:
    bad(api, body, status, code, field)


def test_an_answer_to_a_question_not_in_the_contained_questionnaire_is_refused(api: Api) -> None:
    body = next_question(api, EMPTY)
    body["item"] = [{"linkId": "sex", "answer": [{"valueCoding": {"code": "sex.female"}}]}]
    bad(api, body, 422, "not_asked", "item.0.linkId")


def test_a_body_over_64_kb_is_refused_unread(api: Api) -> None:
    body = {**EMPTY, "text": {"status": "generated", "div": "<div>" + "x" * 70_000 + "</div>"}}
    bad(api, body, 413, "body_too_large")


def test_the_fhir_media_type_is_accepted(api: Api) -> None:
    response = api.client.post("/api/v1" + PATH, data=json.dumps(EMPTY), content_type="application/fhir+json")
    assert response.status_code == 200, response.content
    QuestionnaireResponse.model_validate_json(response.content)
