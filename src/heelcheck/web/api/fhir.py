"""FHIR R4 documents built from the knowledge base (validated with fhir.resources.R4B)."""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.codesystem import CodeSystem

from heelcheck.engine import KnowledgeBase

FINDINGS_URL = "https://heelcheck.example/fhir/CodeSystem/findings"


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
