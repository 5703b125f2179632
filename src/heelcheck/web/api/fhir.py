"""FHIR R4 documents built from the knowledge base (validated with fhir.resources.R4B)."""

from __future__ import annotations

import contextlib
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.questionnaire import Questionnaire

from heelcheck.engine import KnowledgeBase, Question
from heelcheck.engine.record import RecordError, ResultRecord
from heelcheck.engine.wording import render

FINDINGS_URL = "https://heelcheck.example/fhir/CodeSystem/findings"
OPTIONS_URL = "https://heelcheck.example/fhir/CodeSystem/options"
CONDITIONS_URL = "https://heelcheck.example/fhir/CodeSystem/conditions"
CARE_LEVEL_URL = "https://heelcheck.example/fhir/CodeSystem/care-levels"
QUESTIONNAIRE_URL = "https://heelcheck.example/fhir/Questionnaire/heelcheck"
ITEM_TYPES = {"number": "decimal"}
MIN_VALUE_URL = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE_URL = "http://hl7.org/fhir/StructureDefinition/maxValue"
UNIT_URL = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"


def code_system(
    resource_id: str, url: str, name: str, version: str, concepts: dict[str, str]
) -> dict[str, Any]:
    """A complete FHIR CodeSystem of ``concepts`` (code → display), validated."""
    resource = CodeSystem.model_validate(
        {
            "resourceType": "CodeSystem",
            "id": resource_id,
            "url": url,
            "version": version,
            "name": name,
            "status": "active",
            "content": "complete",
            "concept": [{"code": code, "display": display} for code, display in concepts.items()],
        }
    )
    data: dict[str, Any] = resource.model_dump(mode="json", exclude_none=True)
    return data


def findings_code_system(kb: KnowledgeBase) -> dict[str, Any]:
    """The project's findings as a FHIR CodeSystem, one concept per finding."""
    concepts = {f.id: f.meaning for f in kb.findings.values()}
    return code_system("findings", FINDINGS_URL, "HeelcheckFindings", kb.version, concepts)


def conditions_code_system(kb: KnowledgeBase) -> dict[str, Any]:
    """The conditions the engine ranks, as a CodeSystem (the RiskAssessment's outcome codes)."""
    concepts = {c.id: c.name for c in kb.conditions.values()}
    return code_system("conditions", CONDITIONS_URL, "HeelcheckConditions", kb.version, concepts)


def question_item(q: Question) -> dict[str, Any]:
    """One question as a Questionnaire item. Its codes are the findings its answers set (from
    the findings CodeSystem); an option's coding is ``<question>.<option>`` in the options
    CodeSystem; a number question carries its range (and unit) as the standard extensions."""
    item: dict[str, Any] = {
        "linkId": q.id,
        "text": q.text,
        "type": ITEM_TYPES.get(q.kind, "choice"),
        "repeats": q.kind == "multi",
        "code": [{"system": FINDINGS_URL, "code": f} for f in q.findings],
    }
    if q.options:
        item["answerOption"] = [
            {"valueCoding": {"system": OPTIONS_URL, "code": option_code(q, o.id), "display": o.label}}
            for o in q.options
        ]
    if q.kind == "number":
        item["extension"] = [
            {"url": MIN_VALUE_URL, "valueDecimal": q.minimum},
            {"url": MAX_VALUE_URL, "valueDecimal": q.maximum},
            {"url": UNIT_URL, "valueCoding": {"display": q.unit}},
        ]
    return item


def option_code(q: Question, option_id: str) -> str:
    return f"{q.id}.{option_id}"


def questionnaire(kb: KnowledgeBase) -> dict[str, Any]:
    """Every question of the knowledge base as one item."""
    resource = Questionnaire.model_validate(
        {"resourceType": "Questionnaire", "id": "heelcheck", "url": QUESTIONNAIRE_URL,
         "version": kb.version, "name": "Heelcheck", "status": "active",
         "item": [question_item(q) for q in kb.questions.values()]}
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


def assessment_entries(
    assessment_id: str, complete: bool, answers: list[dict[str, Any]], record: object, kb: KnowledgeBase
) -> list[dict[str, Any]]:
    """One assessment's Bundle entries, not validated: the QuestionnaireResponse and, once
    complete, a RiskAssessment with one prediction per condition, built from the stored
    result record (``ResultRecord.to_json()``) in ``kb``'s words."""
    entries: list[dict[str, Any]] = [{
        "fullUrl": f"urn:uuid:{assessment_id}",
        "resource": {
            "resourceType": "QuestionnaireResponse", "id": f"qr-{assessment_id}",
            "language": kb.locale,
            "questionnaire": QUESTIONNAIRE_URL,
            "status": "completed" if complete else "in-progress",
            "item": answer_items(answers),
        },
    }]  # fmt: skip
    if record is not None:
        with contextlib.suppress(RecordError):  # a row the migration could not convert
            found = ResultRecord.from_json(record)
            basis = f"urn:uuid:{assessment_id}"
            entries.append({"resource": risk_assessment(found, kb, f"ra-{assessment_id}", basis)})
    return entries


def assessment_bundle(stored: dict[str, Any], kb: KnowledgeBase) -> dict[str, Any]:
    """A stored assessment (Assessment.to_dict()) as a validated Bundle of its entries, in
    ``kb``'s language."""
    complete = stored["status"] == "complete"
    entries = assessment_entries(stored["id"], complete, stored["answers"], stored["record"], kb)
    bundle = Bundle.model_validate({"resourceType": "Bundle", "type": "collection", "entry": entries})
    data: dict[str, Any] = bundle.model_dump(mode="json", exclude_none=True)
    return data


def risk_assessment(record: ResultRecord, kb: KnowledgeBase, resource_id: str, basis: str) -> dict[str, Any]:
    """A result record as a RiskAssessment in ``kb``'s language: one prediction per condition
    with its probability, the care level as each one's qualitative risk and, in words, as
    the mitigation. ``basis`` references the QuestionnaireResponse."""
    level = record.triage.name
    also = set(record.also_present)
    # The words of the result page, from the one place that words a record: its one action,
    # its headline and how sure it is (answers are not needed for those).
    words = render(kb, record, ())
    action, headline, sure = words.triage_action, words.headline, words.certainty_text

    def rationale(cid: str) -> dict[str, str]:
        # The leading cause says how sure it is in words; a second cause that it is present too.
        if cid == record.leading:
            return {"rationale": f"{headline} ({sure})"}
        return {"rationale": kb.texts.also_present} if cid in also else {}

    return {
        "resourceType": "RiskAssessment", "id": resource_id, "status": "final", "language": kb.locale,
        "subject": {"display": "anonymous"},
        "basis": [{"reference": basis}],
        "prediction": [
            {"outcome": {"text": kb.conditions[cid].name,
                         "coding": [{"system": CONDITIONS_URL, "code": cid,
                                     "display": kb.conditions[cid].clinical_name}]},
             "probabilityDecimal": round(p, 4),
             "qualitativeRisk": {"text": kb.texts.triage[level]["title"],
                                 "coding": [{"system": CARE_LEVEL_URL, "code": level}]},
             **rationale(cid)}
            for cid, p in record.ranked
        ],
        "mitigation": f"{kb.texts.triage[level]['title']}: {action}",
    }  # fmt: skip
