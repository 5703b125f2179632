"""FHIR documents parse with fhir.resources (R4B) and round-trip."""

from __future__ import annotations

import json

from api_helpers import Api
from fhir.resources.R4B.codesystem import CodeSystem

from heelcheck.engine import KnowledgeBase


def test_the_findings_code_system_parses_and_round_trips(api: Api, kb: KnowledgeBase) -> None:
    response = api.get("/fhir/CodeSystem/findings")
    assert response.status_code == 200
    parsed = CodeSystem.model_validate_json(response.content)
    assert {c.code for c in parsed.concept} == set(kb.findings)
    again = CodeSystem.model_validate_json(parsed.model_dump_json())
    assert json.loads(again.model_dump_json()) == json.loads(parsed.model_dump_json())
