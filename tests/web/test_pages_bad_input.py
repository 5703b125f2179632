"""Bad input never breaks a page and never changes the stored answers: a tampered or missing
field, an unknown question, a question not asked yet, a double submit, a stale page."""

from __future__ import annotations

from typing import Any

import pytest
from web_helpers import TAMPERED_FORMS, Visitor, form_answer, plain_answer

from heelcheck.web.assessments.models import Assessment


def snapshot(assessment: Assessment) -> tuple[Any, ...]:
    assessment.refresh_from_db()
    return (assessment.answers, assessment.revision, assessment.status, assessment.result)


@pytest.fixture
def started(alice: Visitor) -> Visitor:
    """Alice has said the check is for her, answered her age, and is on the next question."""
    alice.begin()
    alice.answer(38)
    return alice


def post(visitor: Visitor, data: dict[str, Any]) -> Any:
    return visitor.client.post(f"/a/{visitor.assessment_id}/", data)


@pytest.mark.parametrize(("case", "data", "status", "says"), TAMPERED_FORMS)
def test_it_refuses_bad_input_with_a_clear_message_and_changes_nothing(
    started: Visitor, case: str, data: dict[str, Any], status: int, says: str | None
) -> None:
    before = snapshot(started.assessment)
    response = post(started, data)
    assert response.status_code == status, (case, response.content.decode()[:500])
    page = response.content.decode()
    if says:
        assert says in page, case
    assert "Nothing was changed" in page or 'role="alert"' in page, case
    assert snapshot(started.assessment) == before, case


def test_it_shows_the_question_again_with_the_error_next_to_it(started: Visitor) -> None:
    response = post(started, {"question": "age", "revision": "2", "answer": "400"})
    page = response.content.decode()
    assert 'role="alert"' in page
    assert 'aria-invalid="true"' in page
    assert 'name="question" value="age"' in page
    assert 'value="400"' in page  # what was typed stays in the box


def test_it_stores_a_double_submit_once_and_moves_on(started: Visitor) -> None:
    _, fields = started.page()
    question = started.kb.questions[fields["question"]]
    data = {**fields, **form_answer(question, plain_answer(question))}
    first = post(started, data)
    second = post(started, data)
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    stored = started.assessment
    assert stored.revision == 3
    assert len(stored.answers) == 3


def test_it_warns_about_a_stale_page_after_going_back_and_changes_nothing(
    started: Visitor,
) -> None:
    _, old_fields = started.page(f"/a/{started.assessment_id}/q/age/")
    started.answer(50, url=f"/a/{started.assessment_id}/q/age/")  # changed in another tab
    before = snapshot(started.assessment)
    response = post(started, {**old_fields, "answer": "60"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "out of date" in page and "Nothing was changed" in page
    assert 'value="50"' in page  # the stored answer, ready to change
    assert f'name="revision" value="{before[1]}"' in page
    assert snapshot(started.assessment) == before


def test_it_warns_when_a_stale_page_answers_a_question_no_longer_asked(
    alice: Visitor,
) -> None:
    alice.start()
    _, fields = alice.page()
    started = alice.assessment
    # Simulate an answer list the engine would not have asked for the stale form's question.
    Assessment.objects.filter(pk=started.pk).update(revision=7)
    response = post(alice, {**fields, "question": "tiptoe", "answer": "can"})
    assert response.status_code == 409
    assert "out of date" in response.content.decode()


def test_it_refuses_an_answer_after_the_evaluation_is_complete_for_a_new_question(
    alice: Visitor, vignettes: dict[str, dict[str, Any]]
) -> None:
    alice.take(vignettes["D030"]["facts"])
    stored = alice.assessment
    before = snapshot(stored)
    response = post(alice, {"question": "tiptoe", "revision": str(stored.revision),
                            "answer": "can"})  # fmt: skip
    assert response.status_code == 409
    assert snapshot(alice.assessment) == before


@pytest.mark.parametrize(
    "garbage",
    [
        {},
        {"question": "", "revision": ""},
        {"question": "age", "revision": "-1", "answer": "40"},
        {"question": "age", "revision": "99999999999999", "answer": "40"},
        {"question": "age", "revision": "2", "answer": "1e309"},
        {"question": "age", "revision": "2", "answer": "\x00"},
        {"question": "age", "revision": "2", "unsure": "1", "answer": "40"},
        {"question": "where", "revision": "2", "answer": ["bottom_inner"] * 50},
        {"question": "respondent", "revision": "2", "answer": "x" * 10_000},
        {"question": "where", "revision": "2", "answer": ["none", "bottom_inner"] * 20},
        {"question": "../../etc", "revision": "2"},
    ],
)
def test_it_never_answers_garbage_with_a_server_error(started: Visitor, garbage: dict[str, Any]) -> None:
    client = started.client
    client.raise_request_exception = False
    response = post(started, garbage)
    assert response.status_code < 500, garbage
