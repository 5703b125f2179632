"""The SDC adaptive-questionnaire operation ``Questionnaire/$next-question``, stateless.

The client sends a QuestionnaireResponse (bare, or as the ``questionnaire-response``
parameter of a Parameters resource). Its contained Questionnaire holds the questions asked so
far, its items the answers. This module turns those answers back into the engine's answers
(through the same codes the published Questionnaire uses), lets the engine replay them, and
returns the QuestionnaireResponse with the contained Questionnaire rebuilt: the questions the
engine asked, then the next one. When the engine has nothing left to ask, the response is
``completed`` and carries the result twice: as a contained RiskAssessment, referenced from the
response by an extension, for software; and as a final display item, for a person.

Nothing is stored: everything the server needs travels in the resource. No clinical logic
lives here; the engine judges every answer and chooses every question.

Answers, by the published item's type:

========== ===============================================================================
choice     ``valueCoding`` whose code is ``<question>.<option>`` (as in ``answerOption``);
           one answer, or any number for a repeating (multi) item
decimal    ``valueDecimal`` or ``valueInteger``; an item with no answer means "not sure"
========== ===============================================================================

An item with no answer to a repeating item means "none of these". An answer the engine would
no longer ask for (an earlier answer was changed) is dropped, as in a saved interview.
"""

from __future__ import annotations

from typing import Any

import pydantic
from fhir.resources.R4B.parameters import Parameters
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from heelcheck.engine import AnswerError, Interview, KnowledgeBase, Question, Result, validate

from .fhir import OPTIONS_URL, QUESTIONNAIRE_URL, answer_items, option_code, question_item, risk_assessment

RESULT_EXTENSION_URL = "https://heelcheck.example/fhir/StructureDefinition/result"
CONTAINED_QUESTIONNAIRE_ID = "questions"
RISK_ASSESSMENT_ID = "result"
RESULT_ITEM_ID = "result"
PARAMETER_NAME = "questionnaire-response"


class FhirInputError(Exception):
    """The request is not an acceptable QuestionnaireResponse; nothing was computed."""

    def __init__(self, code: str, message: str, field: str | None) -> None:
        self.code = code
        self.field = field
        super().__init__(message)


def next_question(kb: KnowledgeBase, body: dict[str, Any]) -> dict[str, Any]:
    """The operation: the QuestionnaireResponse with the next question added, or completed."""
    response = parse_response(body)
    interview = Interview.replay(kb, answers_of(kb, response))
    return build_response(kb, interview, response.get("id"))


def parse_response(body: dict[str, Any]) -> dict[str, Any]:
    """The QuestionnaireResponse in ``body``, checked against the FHIR R4 model."""
    kind = body.get("resourceType")
    if kind == "Parameters":
        parameters = validated(Parameters, body)
        found = [p for p in parameters.get("parameter", []) if p.get("name") == PARAMETER_NAME]
        if len(found) != 1 or "resource" not in found[0]:
            raise FhirInputError(
                "missing_parameter",
                f"The Parameters resource must hold exactly one '{PARAMETER_NAME}' parameter "
                "with a QuestionnaireResponse resource.",
                "parameter",
            )
        body = found[0]["resource"]
        kind = body.get("resourceType")
    if kind != "QuestionnaireResponse":
        raise FhirInputError(
            "wrong_resource_type",
            "The request body must be a FHIR QuestionnaireResponse (or a Parameters resource "
            f"holding one), not {kind!r}.",
            "resourceType",
        )
    return validated(QuestionnaireResponse, body)


def validated(model: type[Any], data: dict[str, Any]) -> dict[str, Any]:
    try:
        parsed = model.model_validate(data)
    except pydantic.ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(p) for p in first["loc"] if not str(p).startswith("function-")) or None
        raise FhirInputError(
            "invalid_fhir",
            f"Not a valid FHIR R4 {model.__name__}: {field or 'resource'}: {first['msg']}.",
            field,
        ) from None
    out: dict[str, Any] = parsed.model_dump(mode="json", exclude_none=True)
    return out


def asked_questions(response: dict[str, Any]) -> set[str]:
    """linkIds of the questions in the contained Questionnaire (the ones asked so far)."""
    asked: set[str] = set()
    for resource in response.get("contained", []):
        if resource.get("resourceType") == "Questionnaire":
            asked.update(i["linkId"] for i in resource.get("item", []) if i.get("type") != "display")
    return asked


def answers_of(kb: KnowledgeBase, response: dict[str, Any]) -> dict[str, Any]:
    """The engine's answers, by question id, each checked by the engine."""
    asked = asked_questions(response)
    pool: dict[str, Any] = {}
    for index, item in enumerate(response.get("item", [])):
        field = f"item.{index}"
        link = item["linkId"]
        question = kb.questions.get(link)
        if question is None:
            raise FhirInputError("unknown_question", f"There is no question '{link}'.", f"{field}.linkId")
        if link not in asked:
            raise FhirInputError(
                "not_asked",
                f"Question '{link}' was not asked: it is not in the contained Questionnaire.",
                f"{field}.linkId",
            )
        if link in pool:
            raise FhirInputError(
                "duplicate_answer", f"Question '{link}' is answered twice.", f"{field}.linkId"
            )
        if item.get("item"):
            raise FhirInputError("nested_item", "Items do not nest in this questionnaire.", f"{field}.item")
        value = engine_answer(question, item.get("answer", []), field)
        try:
            pool[link] = validate(question, value)
        except AnswerError as error:
            raise FhirInputError(error.code, str(error), f"{field}.answer") from None
    return pool


def engine_answer(question: Question, answers: list[dict[str, Any]], field: str) -> Any:
    """One item's FHIR answers as the engine's answer value (the engine then judges it)."""
    if question.kind == "number":
        if not answers:
            return None  # "not sure"; the engine refuses it where a number is required
        if len(answers) > 1:
            raise FhirInputError("too_many_answers", f"'{question.id}' takes one number.", f"{field}.answer")
        for key in ("valueDecimal", "valueInteger"):
            if key in answers[0]:
                return answers[0][key]
        raise FhirInputError(
            "wrong_answer_type", f"'{question.id}' takes a valueDecimal or valueInteger.", f"{field}.answer.0"
        )
    options = []
    for i, answer in enumerate(answers):
        coding = answer.get("valueCoding")
        if coding is None:
            raise FhirInputError(
                "wrong_answer_type",
                f"'{question.id}' takes a valueCoding from its answerOption list.",
                f"{field}.answer.{i}",
            )
        code = str(coding.get("code", ""))
        prefix = option_code(question, "")
        if coding.get("system", OPTIONS_URL) != OPTIONS_URL or not code.startswith(prefix):
            raise FhirInputError(
                "unknown_option",
                f"'{code}' is not one of the answer options of '{question.id}' (system {OPTIONS_URL}).",
                f"{field}.answer.{i}.valueCoding",
            )
        options.append(code[len(prefix) :])
    if question.kind == "multi":
        return options
    if len(options) > 1:
        raise FhirInputError("too_many_answers", f"'{question.id}' takes one answer.", f"{field}.answer")
    return options[0] if options else None


def build_response(kb: KnowledgeBase, interview: Interview, response_id: str | None) -> dict[str, Any]:
    asked = [interview.question(a.question) for a in interview.answers]
    following = interview.next_question
    items = [question_item(q) for q in asked]
    contained: list[dict[str, Any]] = []
    extensions: list[dict[str, Any]] = []
    if following is not None:
        items.append(question_item(following))
    else:
        result = interview.result()
        items.append({"linkId": RESULT_ITEM_ID, "type": "display", "text": result_text(result)})
        contained.append(risk_assessment(result.record, kb, RISK_ASSESSMENT_ID, "#"))
        extensions.append(
            {"url": RESULT_EXTENSION_URL, "valueReference": {"reference": f"#{RISK_ASSESSMENT_ID}"}}
        )
    questions = {
        "resourceType": "Questionnaire",
        "id": CONTAINED_QUESTIONNAIRE_ID,
        "version": kb.version,
        "derivedFrom": [QUESTIONNAIRE_URL],
        "status": "active",
        "item": items,
    }
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        **({"id": response_id} if response_id else {}),
        "contained": [questions, *contained],
        **({"extension": extensions} if extensions else {}),
        "questionnaire": f"#{CONTAINED_QUESTIONNAIRE_ID}",
        "status": "in-progress" if following is not None else "completed",
        "item": answer_items([a.to_dict() for a in interview.answers]),
    }
    return validated(QuestionnaireResponse, response)


def result_text(result: Result) -> str:
    """The result in a sentence or two, for a form renderer that only shows display items."""
    likely = ", ".join(f"{r.name} ({r.probability:.0%})" for r in result.shown[:3])
    return f"{result.triage_title}: {result.triage_action} {result.headline}. {likely}."
