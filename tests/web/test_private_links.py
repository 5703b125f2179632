"""Who may open what: an assessment's pages open only for the browser (or widget frame) that
started it; its private link shows the finished result read-only to anyone else and hands
over nothing unfinished; the id alone opens nothing anywhere.

The attack these defeat: someone starts a check (in the widget, on the site or through the
API), sends its private link or widget address to a victim, the victim's browser goes on with
it and answers, and the sender reads the answers."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from reading_level import GRADE_FOR_A_KIND, grade
from test_embed import Widget
from test_reading_level_pages import visible_texts
from web_helpers import Visitor, form_answer

from heelcheck.engine import KnowledgeBase, Question
from heelcheck.web.assessments.models import Assessment

UNFINISHED = "This check is not finished yet"
NOT_IN_A_FRAME = "This check only works inside the page that shows it"


def any_answer(question: Question) -> Any:
    """A valid answer built from the question's kind and options alone."""
    if question.kind == "number":
        return (question.minimum + question.maximum) / 2
    if question.kind == "multi":
        return [question.options[0].id]
    return question.options[0].id


def answer_once(visitor: Visitor) -> None:
    _, fields = visitor.page()
    question = visitor.kb.questions[fields["question"]]
    posted = visitor.client.post(
        f"/a/{visitor.assessment_id}/", {**fields, **form_answer(question, any_answer(question))}
    )
    assert posted.status_code == 303


def finish(visitor: Visitor) -> str:
    """Answer whatever is asked until the result; the private link."""
    visitor.start()
    for _ in range(60):
        response = visitor.client.get(f"/a/{visitor.assessment_id}/")
        if response.status_code == 303:
            return str(response["Location"])
        answer_once(visitor)
    raise AssertionError("the evaluation never finished")


def token_of(visitor: Visitor) -> str:
    return str(visitor.client.session["assessments"][visitor.assessment_id])


def snapshot(assessment_id: str) -> dict[str, Any]:
    return Assessment.objects.get(pk=assessment_id).to_dict()


def an_answer_form(kb: KnowledgeBase, assessment: Assessment) -> dict[str, Any]:
    question = kb.questions[assessment.current_question or "age"]
    return {
        "question": question.id,
        "revision": str(assessment.revision),
        **form_answer(question, any_answer(question)),
    }


# ---------------------------------------------------------------------- the site
def test_the_id_alone_opens_none_of_an_assessments_pages(
    alice: Visitor, bob: Visitor, kb: KnowledgeBase
) -> None:
    alice.start()
    answer_once(alice)
    aid = alice.assessment_id
    asked = alice.assessment.answers[0]["question"]
    before = snapshot(aid)
    bob.client.get("/")  # a browser with a session of its own
    for url in (f"/a/{aid}/", f"/a/{aid}/q/{asked}/", f"/a/{aid}/delete", f"/r/{aid}/", f"/r/{aid}/print"):
        assert bob.client.get(url).status_code == 404, url
    assert bob.client.post(f"/a/{aid}/", an_answer_form(kb, alice.assessment)).status_code == 404
    assert bob.client.post(f"/a/{aid}/delete", {"confirm": "yes"}).status_code == 404
    framed = Client(HTTP_SEC_FETCH_DEST="iframe")
    for url in (f"/embed/a/{aid}/", f"/embed/a/{aid}/result", f"/embed/a/{aid}/delete"):
        assert framed.get(url).status_code == 404, url
    assert framed.post(f"/embed/a/{aid}/", an_answer_form(kb, alice.assessment)).status_code == 404
    assert snapshot(aid) == before
    assert alice.client.get(f"/a/{aid}/").status_code == 200


def test_an_unfinished_assessments_private_link_is_explained_and_hands_nothing_over(
    alice: Visitor, bob: Visitor, kb: KnowledgeBase
) -> None:
    alice.start()
    answer_once(alice)
    token, aid = token_of(alice), alice.assessment_id
    before = snapshot(aid)
    for url in (f"/r/{token}/", f"/r/{token}/print", f"/r/{token}/delete"):
        response = bob.client.get(url)
        assert response.status_code == 409, url
        page = response.content.decode()
        assert UNFINISHED in page and "Start a new check" in page and 'href="/"' in page
        assert f"/a/{aid}/" not in page
    assert bob.client.post(f"/r/{token}/delete", {"confirm": "yes"}).status_code == 409
    assert "assessments" not in bob.client.session
    assert bob.client.get(f"/a/{aid}/").status_code == 404
    assert bob.client.post(f"/a/{aid}/", an_answer_form(kb, alice.assessment)).status_code == 404
    assert snapshot(aid) == before


def test_the_unfinished_link_page_reads_easily(alice: Visitor, bob: Visitor) -> None:
    alice.start()
    page = bob.client.get(f"/r/{token_of(alice)}/").content.decode()
    assert grade(visible_texts(page)) <= GRADE_FOR_A_KIND


def test_the_browser_that_started_it_goes_on_from_its_private_link(alice: Visitor) -> None:
    alice.start()
    response = alice.client.get(f"/r/{token_of(alice)}/")
    assert response.status_code == 303
    assert response["Location"] == f"/a/{alice.assessment_id}/"


def test_a_finished_result_opens_read_only_in_another_browser(
    alice: Visitor, bob: Visitor, kb: KnowledgeBase
) -> None:
    link = finish(alice)
    aid = alice.assessment_id
    own_page = alice.client.get(link).content.decode()
    assert f"/a/{aid}/q/" in own_page  # the browser that took it may still change answers
    before = snapshot(aid)
    response = bob.client.get(link)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your result" in page and "Your answers" in page
    assert "/q/" not in page and f"/a/{aid}" not in page and "Back to the questions" not in page
    assert "assessments" not in bob.client.session
    assert bob.client.get(f"/a/{aid}/").status_code == 404
    earlier = alice.assessment.answers[0]["question"]
    assert bob.client.get(f"/a/{aid}/q/{earlier}/").status_code == 404
    assert bob.client.get(f"{link}print").status_code == 200
    assert snapshot(aid) == before


def test_a_finished_result_can_be_deleted_through_its_private_link(alice: Visitor, bob: Visitor) -> None:
    link = finish(alice)
    page = bob.client.get(link).content.decode()
    assert f'href="{link}delete"' in page
    confirm = bob.client.get(f"{link}delete")
    assert confirm.status_code == 200 and f'action="{link}delete"' in confirm.content.decode()
    assert bob.client.post(f"{link}delete", {}).status_code == 400
    assert Assessment.objects.filter(pk=alice.assessment_id).exists()
    done = bob.client.post(f"{link}delete", {"confirm": "yes"})
    assert done.status_code == 303 and done["Location"] == "/deleted/"
    assert not Assessment.objects.filter(pk=alice.assessment_id).exists()
    assert bob.client.get(link).status_code == 404


def test_deleting_through_the_private_link_needs_the_csrf_token(alice: Visitor) -> None:
    link = finish(alice)
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"{link}delete", {"confirm": "yes"}).status_code == 403
    assert Assessment.objects.filter(pk=alice.assessment_id).exists()


# ---------------------------------------------------------------------- the widget
@pytest.fixture
def attacker(db: None, kb: KnowledgeBase) -> Widget:
    """Someone who starts a check in the widget (in a frame) to send its address away."""
    widget = Widget(Client(enforce_csrf_checks=True), kb)
    widget.start()
    return widget


@pytest.mark.parametrize("dest", [None, "document", "empty"])
def test_a_widget_address_opened_outside_a_frame_opens_nothing(
    attacker: Widget, kb: KnowledgeBase, dest: str | None
) -> None:
    victim = Client(**({"HTTP_SEC_FETCH_DEST": dest} if dest else {}))
    base = attacker.base
    before = snapshot(str(attacker.assessment.id))
    for url in (f"{base}/", f"{base}/result", f"{base}/delete"):
        response = victim.get(url)
        assert response.status_code == 403, url
        assert NOT_IN_A_FRAME in response.content.decode()
        assert "<form" not in response.content.decode()
    posted = victim.post(
        f"{base}/", an_answer_form(kb, attacker.assessment), HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert posted.status_code == 403
    assert (
        victim.post(f"{base}/delete", {"confirm": "yes"}, HTTP_SEC_FETCH_SITE="same-origin").status_code
        == 403
    )
    assert snapshot(str(attacker.assessment.id)) == before


def test_the_widgets_private_link_sent_to_a_victim_hands_nothing_over(attacker: Widget, bob: Visitor) -> None:
    """The attack of issue 10: start in the widget, send /r/<token>/, read the answers."""
    before = snapshot(str(attacker.assessment.id))
    response = bob.client.get(f"/r/{attacker.token}/")
    assert response.status_code == 409 and UNFINISHED in response.content.decode()
    assert "assessments" not in bob.client.session
    assert bob.client.get(f"/a/{attacker.assessment.id}/").status_code == 404
    assert snapshot(str(attacker.assessment.id)) == before
    # ...while the frame that started it goes on as before.
    _, fields = attacker.page()
    assert fields["question"] == attacker.assessment.current_question


def test_the_widget_starts_nothing_outside_a_frame(db: None) -> None:
    response = Client().post("/embed/start/", HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 403 and NOT_IN_A_FRAME in response.content.decode()
    assert Assessment.objects.count() == 0


def test_the_outside_a_frame_page_reads_easily(attacker: Widget) -> None:
    page = Client().get(f"{attacker.base}/").content.decode()
    assert NOT_IN_A_FRAME in page
    assert grade(visible_texts(page)) <= GRADE_FOR_A_KIND
