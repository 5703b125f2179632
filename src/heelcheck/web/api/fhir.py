"""FHIR R4 documents built from the knowledge base (validated with fhir.resources.R4B)."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.bundle import Bundle
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


def answer_items(answers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    items = []
    for a in answers:
        value = a["answer"]
        values = value if isinstance(value, list) else [value]
        out: list[dict[str, Any]] = []
        for v in values:
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                out.append({"valueDecimal": v})
            elif isinstance(v, str):
                out.append({"valueCoding": {"system": OPTIONS_URL, "code": f"{a['question']}.{v}"}})
        items.append({"linkId": a["question"], **({"answer": out} if out else {})})
    return items


def assessment_bundle(stored: dict[str, Any]) -> dict[str, Any]:
    """A stored assessment (Assessment.to_dict()) as a Bundle: the QuestionnaireResponse and,
    once complete, a RiskAssessment with one prediction per condition."""
    response_id = f"qr-{stored['id']}"
    entries: list[dict[str, Any]] = [{
        "fullUrl": f"urn:uuid:{stored['id']}",
        "resource": {
            "resourceType": "QuestionnaireResponse", "id": response_id,
            "questionnaire": QUESTIONNAIRE_URL,
            "status": "completed" if stored["status"] == "complete" else "in-progress",
            "item": answer_items(stored["answers"]),
        },
    }]  # fmt: skip
    result = stored["result"]
    if result is not None:
        entries.append({"resource": {
            "resourceType": "RiskAssessment", "id": f"ra-{stored['id']}", "status": "final",
            "subject": {"display": "anonymous"},
            "basis": [{"reference": f"urn:uuid:{stored['id']}"}],
            "prediction": [
                {"outcome": {"text": c["name"], "coding": [{"code": c["condition"]}]},
                 "probabilityDecimal": c["probability"],
                 "qualitativeRisk": {"text": result["triage"]}}
                for c in result["conditions"]
            ],
            "mitigation": f"{result['triage_title']}: {result['triage_action']}",
        }})  # fmt: skip
    bundle = Bundle.model_validate({"resourceType": "Bundle", "type": "collection", "entry": entries})
    data: dict[str, Any] = bundle.model_dump(mode="json", exclude_none=True)
    return data
