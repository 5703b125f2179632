"""FHIR R4 documents built from the knowledge base (validated with fhir.resources.R4B)."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.questionnaire import Questionnaire

from heelcheck.engine import KnowledgeBase

FINDINGS_URL = "https://heelcheck.example/fhir/CodeSystem/findings"
OPTIONS_URL = "https://heelcheck.example/fhir/CodeSystem/options"
QUESTIONNAIRE_URL = "https://heelcheck.example/fhir/Questionnaire/heelcheck"
ITEM_TYPES = {"number": "decimal"}


def findings_code_system(kb: KnowledgeBase) -> dict[str, Any]:
    """The project's findings as a FHIR CodeSystem, one concept per finding."""
    resource = CodeSystem.model_validate(
        {
            "resourceType": "CodeSystem",
            "id": "findings",
            "url": FINDINGS_URL,
            "version": kb.version,
            "name": "HeelcheckFindings",
            "status": "active",
            "content": "complete",
            "concept": [{"code": f.id, "display": f.meaning} for f in kb.findings.values()],
        }
    )
    data: dict[str, Any] = resource.model_dump(mode="json", exclude_none=True)
    return data


def questionnaire(kb: KnowledgeBase) -> dict[str, Any]:
    """Every question of the knowledge base as one item. An item's codes are the findings
    its options set (from the findings CodeSystem); an option's coding is its own id."""
    items = []
    for q in kb.questions.values():
        findings = list(dict.fromkeys(f for o in q.options for f in o.sets))
        if q.finding:
            findings.append(q.finding)
        item: dict[str, Any] = {
            "linkId": q.id,
            "text": q.text,
            "type": ITEM_TYPES.get(q.kind, "choice"),
            "repeats": q.kind == "multi",
            "code": [{"system": FINDINGS_URL, "code": f} for f in findings],
        }
        if q.options:
            item["answerOption"] = [
                {"valueCoding": {"system": OPTIONS_URL, "code": f"{q.id}.{o.id}", "display": o.label}}
                for o in q.options
            ]
        items.append(item)
    resource = Questionnaire.model_validate(
        {"resourceType": "Questionnaire", "id": "heelcheck", "url": QUESTIONNAIRE_URL,
         "version": kb.version, "name": "Heelcheck", "status": "active", "item": items}
    )  # fmt: skip
    data: dict[str, Any] = resource.model_dump(mode="json", exclude_none=True)
    return data
