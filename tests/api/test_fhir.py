"""FHIR documents parse with fhir.resources (R4B) and round-trip."""

from __future__ import annotations

import json
from typing import Any

from api_helpers import Api
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.questionnaire import Questionnaire

from heelcheck.engine import KnowledgeBase
from heelcheck.vignettes import respond
from heelcheck.web.api.fhir import CONDITIONS_URL


def test_the_findings_code_system_parses_and_round_trips(api: Api, kb: KnowledgeBase) -> None:
    response = api.get("/fhir/CodeSystem/findings")
    assert response.status_code == 200
    parsed = CodeSystem.model_validate_json(response.content)
    assert {c.code for c in parsed.concept} == set(kb.findings)
    again = CodeSystem.model_validate_json(parsed.model_dump_json())
    assert json.loads(again.model_dump_json()) == json.loads(parsed.model_dump_json())


def test_the_conditions_code_system_holds_every_outcome_code(api: Api, kb: KnowledgeBase) -> None:
    response = api.get("/fhir/CodeSystem/conditions")
    assert response.status_code == 200
    parsed = CodeSystem.model_validate_json(response.content)
    assert [c.code for c in parsed.concept] == list(kb.condition_ids)
    assert parsed.url == CONDITIONS_URL


def test_the_questionnaire_has_one_item_per_question_coded_by_findings(api: Api, kb: KnowledgeBase) -> None:
    response = api.get("/fhir/Questionnaire/heelcheck")
    assert response.status_code == 200
    parsed = Questionnaire.model_validate_json(response.content)
    assert [i.linkId for i in parsed.item] == list(kb.questions)
    codes = {c.code for i in parsed.item for c in (i.code or [])}
    assert codes <= set(kb.findings)
    again = Questionnaire.model_validate_json(parsed.model_dump_json())
    assert json.loads(again.model_dump_json()) == json.loads(parsed.model_dump_json())


def test_a_completed_assessment_is_a_bundle_with_one_prediction_per_condition(
    api: Api, kb: KnowledgeBase, vignettes: dict[str, dict[str, Any]]
) -> None:
    facts = vignettes["D001"]["facts"]
    body = api.post("/assessments", {}).json()
    while body["question"] is not None:
        q = kb.questions[body["question"]["id"]]
        answer = {"question": q.id, "answer": respond(q, facts, kb)}
        body = api.post(f"/assessments/{body['id']}/answers", answer).json()
    response = api.get(f"/assessments/{body['id']}/fhir")
    assert response.status_code == 200, response.content
    bundle = Bundle.model_validate_json(response.content)
    kinds = [e.resource.__resource_type__ for e in bundle.entry]
    assert kinds == ["QuestionnaireResponse", "RiskAssessment"]
    predictions = bundle.entry[1].resource.prediction
    assert len(predictions) == len(kb.condition_ids)
    conditions = api.get("/fhir/CodeSystem/conditions").json()
    assert {(p.outcome.coding[0].system, p.outcome.coding[0].code) for p in predictions} == {
        (conditions["url"], c["code"]) for c in conditions["concept"]
    }
    again = Bundle.model_validate_json(bundle.model_dump_json())
    assert json.loads(again.model_dump_json()) == json.loads(bundle.model_dump_json())
