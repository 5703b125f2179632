"""A full interview through the JSON API reaches the engine's own result."""

from __future__ import annotations

from typing import Any

import pytest
from api_helpers import Api

from heelcheck.engine import KnowledgeBase
from heelcheck.vignettes import respond, run_vignette


def test_starting_an_assessment_returns_201_and_the_first_question(api: Api) -> None:
    response = api.post("/assessments", {})
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "in_progress" and body["revision"] == 0 and body["result"] is None
    question = body["question"]
    assert {"id", "kind", "text", "why", "hint", "allow_unsure", "options"} <= question.keys()
    assert all({"id", "label", "findings"} <= o.keys() for o in question["options"])


def test_who_and_age_given_up_front_are_answered_through_the_engine(api: Api) -> None:
    body = api.post("/assessments", {"respondent": "child", "age": 10}).json()
    assert [a["question"] for a in body["answers"]] == ["respondent", "age"]
    assert body["question"]["id"] not in ("respondent", "age")
    assert "your child" in body["question"]["text"]


@pytest.mark.parametrize("vignette_id", ["D001", "D029", "D033"])
def test_a_vignette_driven_through_the_api_ranks_like_the_engine(
    api: Api, kb: KnowledgeBase, vignettes: dict[str, dict[str, Any]], vignette_id: str
) -> None:
    facts = vignettes[vignette_id]["facts"]
    body = api.post("/assessments", {}).json()
    while body["question"] is not None:
        question = kb.questions[body["question"]["id"]]
        response = api.post(f"/assessments/{body['id']}/answers",
                            {"question": question.id, "answer": respond(question, facts, kb)})  # fmt: skip
        assert response.status_code == 200, response.json()
        body = response.json()
    expected = run_vignette(kb, facts)[0].result().to_dict()
    assert body["status"] == "complete"
    assert body["result"]["ranked"] == expected["ranked"]
    assert body["result"]["triage"] == expected["triage"]
    assert api.get(f"/assessments/{body['id']}").json() == body


def test_answering_an_earlier_question_again_changes_it(api: Api) -> None:
    body = api.post("/assessments", {"age": 40}).json()
    changed = api.post(f"/assessments/{body['id']}/answers", {"question": "age", "answer": 70}).json()
    assert changed["answers"][1] == {"question": "age", "answer": 70.0}
    assert changed["revision"] == body["revision"] + 1


def test_a_deleted_assessment_is_gone(api: Api) -> None:
    body = api.post("/assessments", {}).json()
    assert api.delete(f"/assessments/{body['id']}").status_code == 204
    assert api.get(f"/assessments/{body['id']}").status_code == 404


def test_the_knowledge_base_is_public_and_cacheable(api: Api, kb: KnowledgeBase) -> None:
    response = api.get("/knowledge-base")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    body = response.json()
    assert body["version"] == kb.version
    assert {c["id"] for c in body["conditions"]} == set(kb.condition_ids)
    assert len(body["questions"]) == len(kb.questions) and len(body["findings"]) == len(kb.findings)


def test_the_openapi_document_and_its_docs_are_served(api: Api) -> None:
    document = api.get("/openapi.json").json()
    assert "/api/v1/assessments/{id}/answers" in document["paths"]
    assert api.get("/docs").status_code == 200
