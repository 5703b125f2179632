"""The API in Spanish: an assessment created with `locale: es` asks in Spanish, and one
finished in English reads in Spanish with `Accept-Language: es` (the same decisions, in
other words); a language the knowledge base lacks falls back to the assessment's own."""

from __future__ import annotations

from typing import Any

from api_helpers import Api
from test_token import finish

from heelcheck.engine import KnowledgeBase
from heelcheck.engine.locale import for_locale


def read(api: Api, body: dict[str, Any], language: str) -> dict[str, Any]:
    path = f"/assessments/{body['id']}"
    reply = api.client.get("/api/v1" + path, HTTP_ACCEPT_LANGUAGE=language, **api.auth(path, None))
    assert reply.status_code == 200
    data: dict[str, Any] = reply.json()
    return data


def test_an_assessment_created_in_spanish_asks_in_spanish(api: Api, kb: KnowledgeBase) -> None:
    body = api.post("/assessments", {"locale": "es"}).json()
    spanish = for_locale(kb, "es").questions[body["question"]["id"]]
    assert body["locale"] == "es"
    assert body["question"]["text"] == spanish.text != kb.questions[spanish.id].text
    assert [o["label"] for o in body["question"]["options"]] == [o.label for o in spanish.options]


def test_a_result_finished_in_english_reads_in_spanish(api: Api, kb: KnowledgeBase) -> None:
    done = finish(api, api.post("/assessments", {"age": 40}).json())
    english = done["result"]
    spanish = read(api, done, "es-MX,es;q=0.9,en;q=0.5")["result"]
    assert [r[0] for r in spanish["ranked"]] == [r[0] for r in english["ranked"]]
    assert spanish["ranked"] == english["ranked"] and spanish["triage"] == english["triage"]
    es = for_locale(kb, "es")
    assert spanish["triage_title"] == es.texts.triage[spanish["triage"]]["title"] != english["triage_title"]
    assert spanish["disclaimer"] == es.texts.disclaimer
    # What is stored does not change by being read in another language.
    assert read(api, done, "en")["result"] == english


def test_a_language_the_base_lacks_reads_in_the_assessments_own(api: Api) -> None:
    done = finish(api, api.post("/assessments", {"age": 40}).json())
    assert read(api, done, "fr-FR,fr;q=0.9")["result"] == done["result"]


def test_a_finished_assessment_carries_its_record_of_ids_and_numbers(api: Api) -> None:
    done = finish(api, api.post("/assessments", {"age": 40}).json())
    record = done["record"]
    assert record["record_version"] == 1
    assert [c for c, _ in record["ranked"]] == [c for c, _ in done["result"]["ranked"]]
    assert record["triage"] == done["result"]["triage"]
    schema = api.get("/openapi.json").json()["components"]["schemas"]["ResultRecordOut"]
    assert {"ranked", "also_present", "triage", "fired_rules", "back_link", "reasons", "plan"} <= set(
        schema["properties"]
    )
