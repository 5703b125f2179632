"""The patient's pages in Spanish: the language a page speaks (Accept-Language, the switch,
the assessment's own), a whole check taken in Spanish, an English result read in Spanish,
the widget in Spanish, and every page type free of the English interface text."""

from __future__ import annotations

import html
import re
from typing import Any

from django.test import Client
from people import PF_WITH_SCIATICA
from web_helpers import Visitor, form_answer, form_fields

from heelcheck.engine import KnowledgeBase
from heelcheck.engine.locale import for_locale
from heelcheck.vignettes import respond
from heelcheck.web.assessments import services
from heelcheck.web.assessments.models import Assessment

Vignettes = dict[str, dict[str, Any]]
SPANISH = "es-MX,es;q=0.9,en;q=0.5"


def text_of(page: str) -> str:
    return html.unescape(page)


def heading(page: str) -> str:
    found = re.search(r"<h1[^>]*>(?:<label for=\"answer\">)?(.*?)(?:</label>)?</h1>", page, re.S)
    assert found, page[:500]
    return html.unescape(found.group(1))


def spanish_visitor(kb: KnowledgeBase) -> Visitor:
    return Visitor(Client(HTTP_ACCEPT_LANGUAGE=SPANISH), kb)


def test_the_start_page_speaks_the_browsers_language(db: None) -> None:
    spanish = Client(HTTP_ACCEPT_LANGUAGE=SPANISH).get("/")
    page = spanish.content.decode()
    assert '<html lang="es"' in page
    assert spanish["Content-Language"] == "es"
    assert "Revisa tu dolor de talón en unos dos minutos" in page
    assert "Empezar la revisión" in page and "Start the check" not in page
    english = Client().get("/").content.decode()
    assert '<html lang="en"' in english and "Start the check" in english
    # A language the site does not have: English.
    assert '<html lang="en"' in Client(HTTP_ACCEPT_LANGUAGE="fr-FR,fr").get("/").content.decode()


def test_the_switch_works_without_javascript_and_is_remembered(db: None) -> None:
    client = Client()
    page = client.get("/").content.decode()
    # Two plain links, the current language marked: no script, no form.
    assert '<a href="/?lang=es" lang="es" hreflang="es">Español</a>' in page
    assert '<a href="/?lang=en" lang="en" aria-current="true">English</a>' in page
    spanish = client.get("/?lang=es").content.decode()
    assert '<html lang="es"' in spanish and "Empezar la revisión" in spanish
    # The choice stays with this browser (its session) for the site's other pages...
    privacy = client.get("/privacy/").content.decode()
    assert '<html lang="es"' in privacy and "Qué guardamos" in privacy
    assert '<a href="/privacy/?lang=en" lang="en" hreflang="en">English</a>' in privacy
    # ...and for the check it starts.
    started = client.post("/start/")
    assert Assessment.objects.get(pk=started["Location"].split("/")[2]).locale == "es"
    assert '<html lang="en"' in client.get("/privacy/?lang=en").content.decode()
    assert '<html lang="en"' in client.get("/").content.decode()


def test_a_whole_check_taken_in_spanish_asks_and_answers_in_spanish(
    db: None, kb: KnowledgeBase, vignettes: Vignettes
) -> None:
    es = for_locale(kb, "es")
    maria = spanish_visitor(kb)
    maria.start()
    assert maria.assessment.locale == "es"
    asked = 0
    for _ in range(60):
        response = maria.client.get(f"/a/{maria.assessment_id}/")
        if response.status_code == 303:
            break
        page = response.content.decode()
        assert '<html lang="es"' in page
        fields = form_fields(page)
        question = kb.questions[fields["question"]]
        shown = services.load_interview(maria.assessment, "es").question(question.id)
        assert heading(page) == shown.text != kb.questions[question.id].text
        assert shown.text in {es.questions[question.id].text, *_variants(es, question.id)}
        assert "Siguiente" in page or "choice" in page
        assert "¿Por qué lo preguntamos?" in page
        value = respond(question, vignettes["D001"]["facts"], kb)
        posted = maria.client.post(f"/a/{maria.assessment_id}/", {**fields, **form_answer(question, value)})
        assert posted.status_code == 303, posted.content.decode()[:2000]
        asked += 1
    else:
        raise AssertionError("the check never finished")
    assert asked >= 5
    result = maria.client.get(response["Location"]).content.decode()
    stored = maria.assessment.result
    assert stored["triage_title"] == es.texts.triage["self_care"]["title"]
    name = es.conditions["plantar_fasciitis"].name
    assert f"Tu dolor de talón se parece más a: {name}" in text_of(result)
    assert es.texts.triage["self_care"]["title"] in text_of(result)
    assert "Tu plan de cuidados en casa" in result
    assert es.texts.disclaimer in text_of(result)
    assert "Your heel pain fits best" not in result and "This is not a diagnosis" not in result


def _variants(es: KnowledgeBase, qid: str) -> set[str]:
    q = es.questions[qid]
    return {str(getattr(q, name)) for name in ("text_child", "text_other") if getattr(q, name, None)}


def test_a_result_finished_in_english_reads_in_spanish(
    alice: Visitor, kb: KnowledgeBase, vignettes: Vignettes
) -> None:
    es = for_locale(kb, "es")
    url = alice.take(vignettes["D001"]["facts"])
    english = alice.assessment.result
    assert "Your heel pain fits best: Plantar fasciitis" in alice.client.get(url).content.decode()
    # A doctor's browser in Spanish opens the private link: Spanish, and nothing stored changes.
    doctor = Client(HTTP_ACCEPT_LANGUAGE=SPANISH)
    page = text_of(doctor.get(url).content.decode())
    assert f"Tu dolor de talón se parece más a: {es.conditions['plantar_fasciitis'].name}" in page
    assert es.texts.triage[english["triage"]]["title"] in page and es.texts.disclaimer in page
    printed = text_of(doctor.get(f"{url}print").content.decode())
    assert "Revisión del dolor de talón: resumen" in printed and es.texts.disclaimer in printed
    assert "Completed" not in printed and " de 20" in printed  # "4 de diciembre de 2026"
    assert alice.assessment.result == english and alice.assessment.locale == "en"
    # Its owner switches: the result, and the check's pages from then on, are in Spanish.
    switched = text_of(alice.client.get(f"{url}?lang=es").content.decode())
    assert es.texts.disclaimer in switched
    stored = alice.assessment
    assert stored.locale == "es" and stored.result["ranked"] == english["ranked"]
    assert stored.result["triage_title"] == es.texts.triage[english["triage"]]["title"]
    assert es.texts.disclaimer in text_of(alice.client.get(url).content.decode())
    assert '<html lang="es"' in alice.client.get(f"/a/{alice.assessment_id}/q/respondent/").content.decode()


def test_switching_on_a_question_page_asks_the_rest_in_spanish(alice: Visitor, kb: KnowledgeBase) -> None:
    es = for_locale(kb, "es")
    alice.begin()
    assert alice.assessment.locale == "en"
    page, fields = alice.page(f"/a/{alice.assessment_id}/?lang=es")
    assert heading(page) == es.questions[fields["question"]].text
    assert alice.assessment.locale == "es"
    assert alice.answer(38).status_code == 303  # the age
    page, fields = alice.page()
    assert '<html lang="es"' in page and heading(page) == es.questions[fields["question"]].text
    # A refused answer is told in Spanish, chosen by its kind, not the engine's English.
    refused = alice.client.post(f"/a/{alice.assessment_id}/", {**fields, "answer": "nope"})
    assert refused.status_code == 400
    assert "Elige una de las respuestas que ves." in text_of(refused.content.decode())
    # Back in English for the whole check.
    page, fields = alice.page(f"/a/{alice.assessment_id}/?lang=en")
    assert heading(page) == kb.questions[fields["question"]].text
    assert alice.assessment.locale == "en"


def test_a_number_out_of_range_is_told_in_spanish_with_spanish_units(db: None, kb: KnowledgeBase) -> None:
    maria = spanish_visitor(kb)
    maria.begin()
    response = maria.answer(400)
    assert response.status_code == 400
    unit = for_locale(kb, "es").questions["age"].unit
    assert f"Escribe un número de 3 a 110 {unit}." in text_of(response.content.decode())


def test_the_widget_takes_lang_on_its_landing_and_keeps_it_without_cookies(
    db: None, kb: KnowledgeBase
) -> None:
    es = for_locale(kb, "es")
    frame = Client(enforce_csrf_checks=True)
    headers = {"HTTP_SEC_FETCH_DEST": "iframe", "HTTP_SEC_FETCH_SITE": "same-origin"}
    landing = frame.get("/embed/?lang=es", **headers)
    page = landing.content.decode()
    assert '<html lang="es"' in page and "Empezar la revisión" in page
    assert '<form method="post" action="/embed/start/?lang=es">' in page
    assert '<a href="/embed/?lang=en" lang="en" hreflang="en">English</a>' in page
    started = frame.post("/embed/start/?lang=es", **headers)
    assert started.status_code == 303
    question = frame.get(started["Location"], **headers)
    fields = form_fields(question.content.decode())
    assert heading(question.content.decode()) == es.questions[fields["question"]].text
    token = started["Location"].split("/")[3]
    assert Assessment.objects.by_token(token).locale == "es"  # type: ignore[union-attr]
    for response in (landing, started, question):
        assert not response.cookies
    assert not frame.cookies


def test_staff_pages_stay_english(db: None) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE=SPANISH).get("/staff/login/?lang=es")
    assert response.status_code == 200 and response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()


def test_two_causes_read_in_spanish(db: None, kb: KnowledgeBase) -> None:
    maria = spanish_visitor(kb)
    url = maria.take(PF_WITH_SCIATICA)
    page = text_of(maria.client.get(url).content.decode())
    assert "Puede tener dos causas a la vez." in page or "Lo que encaja:" in page
