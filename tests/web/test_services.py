"""The service layer that the pages and the JSON API share."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from web_helpers import Visitor

from heelcheck.engine import AnswerError, StateError
from heelcheck.web.assessments import services
from heelcheck.web.assessments.models import Assessment, hash_token

pytestmark = pytest.mark.django_db


def test_it_starts_an_assessment_with_a_one_time_plain_token() -> None:
    assessment = services.start_assessment(locale="en", source="api")
    assert assessment.link_token is not None
    assert assessment.token == hash_token(assessment.link_token)
    stored = Assessment.objects.get(pk=assessment.pk)
    assert stored.link_token is None
    assert stored.source == "api"
    assert stored.revision == 0
    assert Assessment.objects.by_token(assessment.link_token) == stored


def test_it_refuses_an_unknown_source() -> None:
    with pytest.raises(ValueError, match="source"):
        services.start_assessment(locale="en", source="fax")


def test_it_stores_an_answer_and_counts_the_revision() -> None:
    assessment = services.start_assessment()
    updated = services.submit_answer(assessment.id, "respondent", "self", expected_revision=0)
    assert updated.revision == 1
    assert updated.answers == [{"question": "respondent", "answer": "self"}]
    assert updated.current_question == services.load_interview(updated).next_question.id


def test_it_stores_nothing_when_the_engine_refuses_the_answer() -> None:
    assessment = services.submit_answer(services.start_assessment().id, "respondent", "self")
    with pytest.raises(AnswerError) as refused:
        services.submit_answer(assessment.id, "age", 400)
    assert refused.value.code == "out_of_range"
    stored = Assessment.objects.get(pk=assessment.pk)
    assert (stored.answers, stored.revision) == ([{"question": "respondent", "answer": "self"}], 1)


def test_it_raises_stale_revision_and_stores_nothing() -> None:
    assessment = services.start_assessment()
    services.submit_answer(assessment.id, "respondent", "self", expected_revision=0)
    with pytest.raises(services.StaleRevision) as stale:
        services.submit_answer(assessment.id, "respondent", "child", expected_revision=0)
    assert (stale.value.expected, stale.value.actual) == (0, 1)
    assert "revision" in str(stale.value)
    assert Assessment.objects.get(pk=assessment.pk).answers[0]["answer"] == "self"


def test_it_does_not_count_an_unchanged_answer_as_a_change() -> None:
    assessment = services.start_assessment()
    services.submit_answer(assessment.id, "respondent", "self")
    services.submit_answer(assessment.id, "age", 38)
    again = services.submit_answer(assessment.id, "age", 38)
    assert again.revision == 2


def test_it_completes_with_the_engines_result_and_reopens_when_answers_change() -> None:
    assessment = services.start_assessment()
    a = services.submit_answer(assessment.id, "respondent", "self")
    a = services.submit_answer(a.id, "age", 40)
    while a.current_question is not None:
        question = services.knowledge_base().questions[a.current_question]
        if question.id == "alarm_body":
            value: object = ["saddle", "bladder"]
        elif question.kind == "multi":
            value = ["none"]
        elif question.kind == "number":
            value = None if question.allow_unsure else question.minimum
        else:
            value = question.options[-1].id
        a = services.submit_answer(a.id, question.id, value)
    assert a.status == "complete"
    assert a.result is not None and a.result["triage"] == "emergency"
    assert a.completed_at is not None
    reopened = services.submit_answer(a.id, "alarm_body", ["none"])
    assert reopened.status == "in_progress"
    assert reopened.result is None and reopened.completed_at is None
    assert reopened.current_question is not None


def test_it_raises_does_not_exist_for_an_unknown_assessment() -> None:
    with pytest.raises(Assessment.DoesNotExist):
        services.submit_answer(uuid.uuid4(), "age", 38)


def test_it_raises_state_error_for_tampered_stored_answers() -> None:
    assessment = services.start_assessment()
    Assessment.objects.filter(pk=assessment.pk).update(answers=[{"question": "nope"}])
    assessment.refresh_from_db()
    with pytest.raises(StateError):
        services.load_interview(assessment)
    with pytest.raises(StateError):
        services.submit_answer(assessment.id, "age", 38)


def test_it_deletes_an_assessment_for_good() -> None:
    assessment = services.start_assessment()
    assert services.delete_assessment(assessment.id) is True
    assert services.delete_assessment(assessment.id) is False
    assert not Assessment.objects.filter(pk=assessment.pk).exists()


def test_its_stored_dict_has_no_token_and_nothing_identifying() -> None:
    data = services.start_assessment().to_dict()
    assert "token" not in data
    assert set(data) == {
        "id", "status", "current_question", "revision", "answers", "result", "record", "kb_version",
        "locale", "source", "created_at", "updated_at", "completed_at",
    }  # fmt: skip


def test_the_model_has_no_field_that_could_identify_a_person() -> None:
    names = {f.name for f in Assessment._meta.get_fields()}
    assert names == {
        "id", "token", "answers", "result", "record", "leading_condition", "care_level", "status",
        "current_question", "revision", "kb_version", "locale", "source", "created_at", "updated_at",
        "completed_at",
    }  # fmt: skip


def race_once(monkeypatch: pytest.MonkeyPatch, rival: object) -> None:
    """Make another writer act between submit_answer's read and its write, once."""
    real = services.load_interview
    pending = [rival]

    def racing(assessment: Assessment) -> object:
        if pending:
            pending.pop()()  # type: ignore[operator]
        return real(assessment)

    monkeypatch.setattr(services, "load_interview", racing)


def test_a_write_that_loses_a_race_is_recomputed_after_the_winner(monkeypatch: pytest.MonkeyPatch) -> None:
    assessment = services.start_assessment()
    race_once(monkeypatch, lambda: services.submit_answer(assessment.id, "respondent", "child"))
    updated = services.submit_answer(assessment.id, "respondent", "self")
    stored = Assessment.objects.get(pk=assessment.pk)
    assert (updated.revision, stored.revision) == (2, 2)
    assert stored.answers == [{"question": "respondent", "answer": "self"}]


def test_a_page_that_loses_a_race_is_stale_and_stores_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    assessment = services.start_assessment()
    race_once(monkeypatch, lambda: services.submit_answer(assessment.id, "respondent", "child"))
    with pytest.raises(services.StaleRevision):
        services.submit_answer(assessment.id, "respondent", "self", expected_revision=0)
    stored = Assessment.objects.get(pk=assessment.pk)
    assert stored.revision == 1
    assert stored.answers == [{"question": "respondent", "answer": "child"}]


def test_an_answer_to_an_assessment_deleted_meanwhile_is_not_stored(monkeypatch: pytest.MonkeyPatch) -> None:
    assessment = services.start_assessment()
    race_once(monkeypatch, lambda: services.delete_assessment(assessment.id))
    with pytest.raises(Assessment.DoesNotExist):
        services.submit_answer(assessment.id, "respondent", "self")
    assert not Assessment.objects.filter(pk=assessment.pk).exists()


def test_a_language_switch_rewords_the_stored_result_and_loses_to_a_newer_answer(
    alice: Visitor, vignettes: dict[str, dict[str, Any]]
) -> None:
    alice.take(vignettes["D001"]["facts"])
    english = alice.assessment
    before = dict(english.result or {})
    assert services.change_locale(english, "es")
    spanish = alice.assessment
    assert spanish.locale == "es" and spanish.revision == english.revision  # no answer changed
    assert spanish.result["ranked"] == before["ranked"]
    assert spanish.result["disclaimer"] != before["disclaimer"]
    # The result is always in the assessment's language: reading it in Spanish gives it as stored.
    assert services.result_in(spanish, "es") == spanish.result
    # A page that worked from an older revision switches nothing.
    Assessment.objects.filter(pk=spanish.pk).update(revision=spanish.revision + 1)
    assert not services.change_locale(spanish, "en")
    assert alice.assessment.locale == "es"
