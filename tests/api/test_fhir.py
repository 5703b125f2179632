"""FHIR documents parse with fhir.resources (R4B) and round-trip."""

from __future__ import annotations

import json

from api_helpers import Api
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.questionnaire import Questionnaire

from heelcheck.engine import KnowledgeBase


def test_the_findings_code_system_parses_and_round_trips(api: Api, kb: KnowledgeBase) -> None:
    response = api.get("/fhir/CodeSystem/findings")
    assert response.status_code == 200
    parsed = CodeSystem.model_validate_json(response.content)
    assert {c.code for c in parsed.concept} == set(kb.findings)
    again = CodeSystem.model_validate_json(parsed.model_dump_json())
    assert json.loads(again.model_dump_json()) == json.loads(parsed.model_dump_json())


def test_the_questionnaire_has_one_item_per_question_coded_by_findings(api: Api, kb: KnowledgeBase) -> None:
    response = api.get("/fhir/Questionnaire/heelcheck")
    assert response.status_code == 200
    parsed = Questionnaire.model_validate_json(response.content)
    assert [i.linkId for i in parsed.item] == list(kb.questions)
    codes = {c.code for i in parsed.item for c in (i.code or [])}
    assert codes <= set(kb.findings)
    again = Questionnaire.model_validate_json(parsed.model_dump_json())
    assert json.loads(again.model_dump_json()) == json.loads(parsed.model_dump_json())
