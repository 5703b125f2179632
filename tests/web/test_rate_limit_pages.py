"""Starting and answering through the pages (site and widget) are limited per client, as API
writes are: over HEELCHECK_PAGE_WRITE_RATE a minute, a plain-words 429 page with Retry-After,
and nothing stored."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client, override_settings
from limit_store import Clock
from reading_level import GRADE_FOR_A_KIND, grade
from test_reading_level_pages import visible_texts
from web_helpers import form_answer, form_fields

from heelcheck.engine import KnowledgeBase, Question
from heelcheck.web.assessments.models import Assessment

pytestmark = pytest.mark.django_db


def any_answer(question: Question) -> Any:
    """A valid answer to whatever the question is, from its kind and options."""
    if question.kind == "number":
        return round((question.minimum + question.maximum) / 2)
    if question.kind == "multi":  # "none of these": an option of its own, or no tick at all
        return ["none"] if any(o.id == "none" for o in question.options) else []
    return question.options[0].id


def current_form(client: Client, url: str, kb: KnowledgeBase) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    fields = form_fields(response.content.decode())
    return {
        **fields,
        **form_answer(kb.questions[fields["question"]], any_answer(kb.questions[fields["question"]])),
    }


def assert_slow_down_page(response: Any, retry_after: int, *, framed: bool) -> str:
    assert response.status_code == 429, response.status_code
    assert response["Retry-After"] == str(retry_after)
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Please slow down" in page and f"wait {retry_after} seconds" in page
    assert "Nothing was saved." in page
    # The widget's refusal is drawn in its bare frame, which the listed sites may embed.
    assert ('<header class="top">' in page) == (not framed)
    return page


def stored_answers() -> list[int]:
    return sorted(len(a.answers) for a in Assessment.objects.all())


@override_settings(HEELCHECK_PAGE_WRITE_RATE=3)
@pytest.mark.parametrize("start_url", ["/start/", "/embed/start/"])
def test_starting_beyond_the_limit_is_refused_and_stores_nothing(clock: Clock, start_url: str) -> None:
    client = Client(HTTP_SEC_FETCH_DEST="iframe")  # the widget opens only inside a frame
    for _ in range(3):
        assert client.post(start_url).status_code == 303
    refused = client.post(start_url)
    assert_slow_down_page(refused, 80, framed=start_url.startswith("/embed/"))
    assert Assessment.objects.count() == 3
    clock.advance(80)
    assert client.post(start_url).status_code == 303
    assert Assessment.objects.count() == 4


@override_settings(HEELCHECK_PAGE_WRITE_RATE=4)
def test_answering_on_the_site_beyond_the_limit_is_refused_and_stores_nothing(
    clock: Clock, kb: KnowledgeBase
) -> None:
    client = Client(HTTP_SEC_FETCH_DEST="iframe")  # the widget opens only inside a frame
    url = client.post("/start/")["Location"]
    for _ in range(3):
        assert client.post(url, current_form(client, url, kb)).status_code == 303
    before = Assessment.objects.get().to_dict()
    form = current_form(client, url, kb)
    refused = client.post(url, form)
    page = assert_slow_down_page(refused, 75, framed=False)
    assert f'href="{url}"' in page  # "Try again" leads back to the question
    assert Assessment.objects.get().to_dict() == before
    clock.advance(75)
    assert client.post(url, form).status_code == 303
    assert stored_answers() == [4]


@override_settings(HEELCHECK_PAGE_WRITE_RATE=4)
def test_answering_in_the_widget_beyond_the_limit_is_refused_and_stores_nothing(
    clock: Clock, kb: KnowledgeBase
) -> None:
    client = Client(HTTP_SEC_FETCH_DEST="iframe")  # the widget opens only inside a frame
    url = client.post("/embed/start/")["Location"]
    assert re.fullmatch(r"/embed/a/[\w-]+/", url)
    for _ in range(3):
        assert client.post(url, current_form(client, url, kb)).status_code == 303
    before = Assessment.objects.get().to_dict()
    refused = client.post(url, current_form(client, url, kb))
    assert_slow_down_page(refused, 75, framed=True)
    assert not refused.cookies
    assert Assessment.objects.get().to_dict() == before


@override_settings(HEELCHECK_PAGE_WRITE_RATE=2)
def test_site_and_widget_share_one_limit_and_broken_forms_count_too(clock: Clock) -> None:
    client = Client(HTTP_SEC_FETCH_DEST="iframe")  # the widget opens only inside a frame
    assert client.post("/start/").status_code == 303
    url = client.post("/embed/start/")["Location"]
    assert client.post(url, {"question": "nonsense"}).status_code == 429
    assert client.post("/start/").status_code == 429
    assert Assessment.objects.count() == 2 and stored_answers() == [0, 0]


@override_settings(HEELCHECK_PAGE_WRITE_RATE=1)
def test_pages_and_the_api_count_apart(clock: Clock) -> None:
    client = Client(HTTP_SEC_FETCH_DEST="iframe")  # the widget opens only inside a frame
    assert client.post("/start/").status_code == 303
    assert client.post("/start/").status_code == 429
    created = client.post("/api/v1/assessments", "{}", content_type="application/json")
    assert created.status_code == 201  # HEELCHECK_API_WRITE_RATE is the API's own


@override_settings(HEELCHECK_PAGE_WRITE_RATE=1)
def test_reading_pages_is_never_limited(clock: Clock) -> None:
    client = Client(HTTP_SEC_FETCH_DEST="iframe")  # the widget opens only inside a frame
    url = client.post("/start/")["Location"]
    for page in [url, "/", "/privacy/", "/embed/"] * 5:
        assert client.get(page).status_code == 200


@override_settings(HEELCHECK_PAGE_WRITE_RATE=1)
def test_the_slow_down_page_reads_easily(clock: Clock) -> None:
    client = Client(HTTP_SEC_FETCH_DEST="iframe")  # the widget opens only inside a frame
    client.post("/start/")
    page = client.post("/start/").content.decode()
    message = [t for t in visible_texts(page) if "internet connection" in t]
    assert message
    assert grade(message) <= GRADE_FOR_A_KIND, message
