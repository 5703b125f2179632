"""One question per page: what it shows, going Back, resuming, and who may open it."""

from __future__ import annotations

import re
from typing import Any

from web_helpers import Visitor, form_answer, form_fields

from heelcheck.engine import KnowledgeBase
from heelcheck.vignettes import respond


def test_it_shows_the_first_question_with_progress_and_why(alice: Visitor) -> None:
    alice.start()
    html, fields = alice.page()
    assert fields["question"] == "respondent"
    assert fields["revision"] == "0"
    assert "Who is this check for?" in html
    assert "Question 1 of about" in html
    assert "<progress" in html
    assert "<details" in html and "Why are we asking?" in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_it_asks_the_age_with_not_sure_and_words_it_for_a_parent(alice: Visitor, bob: Visitor) -> None:
    alice.begin()
    html, fields = alice.page()
    assert fields["question"] == "age"
    assert "How old are you?" in html
    assert 'name="unsure"' in html and "Not sure" in html
    bob.begin("child")
    html, _ = bob.page()
    assert "How old is your child?" in html


def test_it_moves_to_the_next_question_after_an_answer(alice: Visitor) -> None:
    alice.begin()
    response = alice.answer(38)
    assert response.status_code == 303
    assert response["Location"] == f"/a/{alice.assessment_id}/"
    stored = alice.assessment
    assert stored.answers == [{"question": "respondent", "answer": "self"}, {"question": "age", "answer": 38}]
    assert stored.revision == 2
    assert stored.current_question != "age"
    _, fields = alice.page()
    assert fields["question"] == stored.current_question
    assert fields["revision"] == "2"


def test_it_accepts_not_sure_for_a_number(alice: Visitor) -> None:
    alice.begin()
    assert alice.answer(None).status_code == 303
    assert alice.assessment.answers[-1] == {"question": "age", "answer": None}


def test_it_draws_the_foot_with_a_labelled_checkbox_for_every_painful_area(
    alice: Visitor, kb: KnowledgeBase
) -> None:
    alice.begin()
    alice.answer(38)
    while alice.assessment.current_question != "where":
        alice.answer_plainly()
    html, _ = alice.page()
    assert 'class="foot-map"' in html
    for option in kb.questions["where"].options:
        assert f'data-part="{option.id}"' in html
        assert f'<input type="checkbox" name="answer" value="{option.id}"' in html
        assert option.label in html


def on_a_tick_list(visitor: Visitor) -> str:
    """Answer plainly until a tick-list shows; its id."""
    visitor.begin()
    visitor.answer(38)
    for _ in range(10):
        question = visitor.kb.questions[visitor.page()[1]["question"]]
        if question.kind == "multi":
            return question.id
        visitor.answer_plainly()
    raise AssertionError("no tick-list among the first questions")


def test_it_stores_none_of_these_as_none(alice: Visitor) -> None:
    question = on_a_tick_list(alice)
    html, _ = alice.page()
    assert 'value="none" data-part="none" data-exclusive="none"' in html and "None of these" in html
    assert alice.answer(["none"]).status_code == 303
    assert alice.assessment.answers[-1] == {"question": question, "answer": ["none"]}


def test_it_refuses_a_tick_list_with_no_box_ticked_and_stores_nothing(alice: Visitor) -> None:
    on_a_tick_list(alice)
    before = (alice.assessment.answers, alice.assessment.revision)
    response = alice.answer([])
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please tick at least one box" in page and "None of these" in page
    assert 'role="alert"' in page
    assert (alice.assessment.answers, alice.assessment.revision) == before


def test_it_refuses_none_of_these_ticked_with_another_box_and_stores_nothing(alice: Visitor) -> None:
    question = alice.kb.questions[on_a_tick_list(alice)]
    other = next(o.id for o in question.options if not o.exclusive)
    before = (alice.assessment.answers, alice.assessment.revision)
    response = alice.answer(["none", other])
    assert response.status_code == 400
    page = response.content.decode()
    assert "“None of these” cannot be ticked together with other boxes" in page
    assert 'role="alert"' in page
    assert (alice.assessment.answers, alice.assessment.revision) == before


def test_it_links_back_to_the_previous_question_with_its_answer_filled_in(
    alice: Visitor,
) -> None:
    alice.begin()
    alice.answer(38)
    html, _ = alice.page()
    back = f'href="/a/{alice.assessment_id}/q/age/"'
    assert back in html
    earlier, fields = alice.page(f"/a/{alice.assessment_id}/q/age/")
    assert fields == {**fields, "question": "age", "revision": "2"}
    assert 'value="38"' in earlier
    assert "answered before" in earlier
    assert f'href="/a/{alice.assessment_id}/q/respondent/"' in earlier
    first, _ = alice.page(f"/a/{alice.assessment_id}/q/respondent/")
    assert 'href="/"' in first  # Back from the first question goes to the start page


def test_it_changes_an_earlier_answer_and_keeps_the_later_ones(alice: Visitor) -> None:
    alice.begin()
    alice.answer(38)
    second = alice.assessment.current_question
    alice.answer_plainly()
    response = alice.answer(40, url=f"/a/{alice.assessment_id}/q/age/")
    assert response.status_code == 303
    assert response["Location"] == f"/a/{alice.assessment_id}/q/{second}/"
    answers = alice.assessment.answers
    assert answers[1] == {"question": "age", "answer": 40}
    assert answers[2]["question"] == second
    assert alice.assessment.revision == 4


def test_it_shows_the_current_question_when_asked_for_it_by_name(alice: Visitor) -> None:
    alice.begin()
    response = alice.client.get(f"/a/{alice.assessment_id}/q/age/")
    assert response.status_code == 303
    assert response["Location"] == f"/a/{alice.assessment_id}/"


def test_it_will_not_show_a_question_that_was_never_asked(alice: Visitor) -> None:
    alice.start()
    response = alice.client.get(f"/a/{alice.assessment_id}/q/diabetes/")
    assert response.status_code == 404
    assert "not part of your evaluation" in response.content.decode()


def test_it_resumes_where_the_visitor_was_after_a_reload(alice: Visitor) -> None:
    alice.begin()
    alice.answer(38)
    current = alice.assessment.current_question
    for _ in range(2):
        _, fields = alice.page()
        assert fields["question"] == current


def test_it_will_not_open_alices_assessment_in_bobs_browser(alice: Visitor, bob: Visitor) -> None:
    alice.begin()
    alice.answer(38)
    for url in (
        f"/a/{alice.assessment_id}/",
        f"/a/{alice.assessment_id}/q/age/",
        f"/a/{alice.assessment_id}/delete",
    ):
        response = bob.client.get(url)
        assert response.status_code == 404, url
        assert "38" not in response.content.decode()
    fields = form_fields(alice.client.get(f"/a/{alice.assessment_id}/").content.decode())
    response = bob.client.post(f"/a/{alice.assessment_id}/", {**fields, "answer": "yes"})
    assert response.status_code == 404
    assert alice.assessment.revision == 2


def test_it_answers_404_for_an_id_that_is_not_a_uuid(alice: Visitor) -> None:
    assert alice.client.get("/a/not-a-uuid/").status_code == 404


def test_it_can_be_stopped_and_deleted_from_a_question_page(alice: Visitor) -> None:
    alice.start()
    html, _ = alice.page()
    assert f'href="/a/{alice.assessment_id}/delete"' in html


def test_the_progress_never_says_a_page_is_the_last_before_it_is(
    alice: Visitor, vignettes: dict[str, Any]
) -> None:
    labels = []
    alice.start()
    facts = vignettes["D001"]["facts"]
    for _ in range(60):
        response = alice.client.get(f"/a/{alice.assessment_id}/")
        if response.status_code == 303:
            break
        html = response.content.decode()
        found = re.search(r"Question (\d+) of about (\d+)", html)
        assert found, "every question page shows its progress"
        labels.append((int(found.group(1)), int(found.group(2))))
        fields = form_fields(html)
        question = alice.kb.questions[fields["question"]]
        alice.client.post(
            f"/a/{alice.assessment_id}/",
            {**fields, **form_answer(question, respond(question, facts, alice.kb))},
        )
    assert labels and all(step < total for step, total in labels), labels
    assert [step for step, _ in labels] == list(range(1, len(labels) + 1))
