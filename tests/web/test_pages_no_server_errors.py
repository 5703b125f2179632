"""No form field makes a page answer 5xx, and a refused form stores nothing: arbitrary text,
Unicode digits, huge and non-finite numbers and NUL in every field of every form (question,
revisit, delete, the widget's, the staff login and the export's dates), on the test run's
database. Django's test client raises a view's exception: a 500 would fail loudly here."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from nasty import FUZZ, nasty_text
from respondents import form_fields
from web_helpers import Visitor

from heelcheck.engine import KnowledgeBase
from heelcheck.web.assessments.models import Assessment

FIELD_VALUES = st.one_of(nasty_text, st.lists(nasty_text, max_size=3))


def stored() -> list[tuple[str, int, Any, str]]:
    return sorted((str(a.id), a.revision, a.answers, a.status) for a in Assessment.objects.all())


def no_server_error(response: Any) -> None:
    assert response.status_code < 500, response.content[:500]


@pytest.fixture
def started(alice: Visitor) -> Visitor:
    alice.start()
    return alice


@pytest.fixture
def widget_url(db: None) -> str:
    response = Client(HTTP_SEC_FETCH_DEST="iframe").post("/embed/start/")
    assert response.status_code == 303
    return str(response["Location"])


@pytest.mark.parametrize("revision", ["²", "①", "٣", "\uff11", "1\x00"])
def test_a_revision_in_other_digits_is_refused_with_a_clear_message(started: Visitor, revision: str) -> None:
    _, fields = started.page()
    before = stored()
    response = started.client.post(
        f"/a/{started.assessment_id}/", {**fields, "revision": revision, "answer": "40"}
    )
    assert response.status_code == 400
    assert "Nothing was changed" in response.content.decode()
    assert stored() == before


@FUZZ
@given(question=st.one_of(st.none(), nasty_text), revision=st.one_of(st.none(), nasty_text),
       answer=st.one_of(st.none(), FIELD_VALUES), unsure=st.one_of(st.none(), nasty_text),
       real_question=st.booleans(), real_revision=st.booleans())  # fmt: skip
def test_any_question_form(
    started: Visitor, kb: KnowledgeBase, question: str | None, revision: str | None,
    answer: Any, unsure: str | None, real_question: bool, real_revision: bool,
) -> None:  # fmt: skip
    _, fields = started.page()
    data = {
        "question": fields["question"] if real_question else question,
        "revision": fields["revision"] if real_revision else revision,
        "answer": answer,
        "unsure": unsure,
    }
    before = stored()
    response = started.client.post(
        f"/a/{started.assessment_id}/", {k: v for k, v in data.items() if v is not None}
    )
    no_server_error(response)
    if response.status_code != 303:
        assert stored() == before
    else:  # a valid answer: undo it for the next example
        Assessment.objects.filter(pk=started.assessment_id).update(answers=[], status="in_progress")


@FUZZ
@given(fields=st.dictionaries(st.sampled_from(["question", "revision", "answer", "unsure", "confirm"]),
                              FIELD_VALUES, max_size=5),
       path=st.sampled_from(["", "q/age/", "q/sex/", "delete"]))  # fmt: skip
def test_any_form_on_any_site_page(started: Visitor, fields: dict[str, Any], path: str) -> None:
    before = stored()
    response = started.client.post(f"/a/{started.assessment_id}/{path}", fields)
    no_server_error(response)
    if response.status_code != 303:  # 303: a valid answer, or a confirmed deletion
        assert stored() == before


@FUZZ
@given(fields=st.dictionaries(st.sampled_from(["question", "revision", "answer", "unsure", "confirm"]),
                              FIELD_VALUES, max_size=5),
       path=st.sampled_from(["", "q/age/", "result", "delete"]))  # fmt: skip
def test_any_form_on_any_widget_page(widget_url: str, fields: dict[str, Any], path: str) -> None:
    before = stored()
    response = Client(HTTP_SEC_FETCH_DEST="iframe").post(f"{widget_url}{path}", fields)
    no_server_error(response)
    if response.status_code >= 400:
        assert stored() == before


@FUZZ
@given(text=nasty_text, where=st.sampled_from(["/a/{}/", "/r/{}/", "/r/{}/print", "/embed/a/{}/"]))
def test_any_text_in_an_address(started: Visitor, text: str, where: str) -> None:
    before = stored()
    url = where.format(re.sub(r"[/?#%]", "", text) or "x")
    no_server_error(started.client.get(url))
    no_server_error(started.client.post(url, {"answer": text}))
    assert stored() == before


@FUZZ
@given(username=nasty_text, password=nasty_text)
def test_any_staff_login(db: None, username: str, password: str) -> None:
    client = Client()
    no_server_error(client.post("/staff/login/", {"username": username, "password": password}))
    assert "_auth_user_id" not in client.session


@FUZZ
@given(params=st.dictionaries(st.sampled_from(["from", "to", "days", "start", "end", "period"]),
                              nasty_text, max_size=3),
       path=st.sampled_from(["/staff/", "/staff/export/assessments.csv", "/staff/export/fhir.json"]))  # fmt: skip
def test_any_dates_on_the_staff_pages(staff: Client, params: dict[str, str], path: str) -> None:
    response = staff.get(path, params)
    no_server_error(response)
    if response.status_code == 200 and hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)


@pytest.fixture
def staff(db: None, settings: Any) -> Client:
    settings.HEELCHECK_STAFF_OTP = False  # force_login gives no second factor
    user = get_user_model().objects.create_user("carol", password="a long enough pass", is_staff=True)
    client = Client()
    client.force_login(user)
    return client


def test_the_question_form_fields_are_the_ones_fuzzed(started: Visitor) -> None:
    _, fields = started.page()
    assert {"question", "revision"} <= set(
        form_fields(started.client.get(f"/a/{started.assessment_id}/").content.decode())
    )
    assert fields
