"""The service layer: every change to an assessment goes through here, whether it comes
from the HTML pages or the JSON API. It holds no clinical logic: the engine decides which
question comes next, whether an answer is acceptable and what the result is.

Errors, drawn once::

    AnswerError (engine)   the answer is not acceptable now; nothing was stored
    StateError (engine)    the stored answers cannot be replayed (tampered database row)
    StaleRevision          the caller's revision is out of date; nothing was stored
    Assessment.DoesNotExist  no such assessment (or it was deleted)
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import OrderedDict
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from heelcheck.engine import Interview, KnowledgeBase, default_knowledge_base
from heelcheck.engine.locale import DEFAULT_LOCALE, for_locale
from heelcheck.engine.record import RecordError, ResultRecord
from heelcheck.engine.wording import render

from .models import Assessment, new_token

WRITE_ATTEMPTS = 5  # an assessment is one person's: a lost race is rare, five in a row absurd
# The locale too: the stored result is worded in it, so an answer written after a language
# switch raced it writes back the language its result was worded in.
CHANGING_FIELDS = ["answers", "kb_version", "status", "current_question", "result", "record",
                   "leading_condition", "care_level", "completed_at", "revision", "updated_at",
                   "locale"]  # fmt: skip


class StaleRevision(Exception):
    """The page (or API client) worked from an older revision than the one stored."""

    def __init__(self, assessment: Assessment, expected: int) -> None:
        self.assessment = assessment
        self.expected = expected
        self.actual = assessment.revision
        super().__init__(
            f"This assessment changed since revision {expected} (it is now at revision "
            f"{assessment.revision}); nothing was stored."
        )


def language(locale: str | None) -> str:
    """The knowledge base's language for a locale tag ("es-MX" → "es"); English when the
    base has no layer for it."""
    primary = (locale or "").split("-")[0].lower()
    return primary if primary in default_knowledge_base().catalogues else DEFAULT_LOCALE


def knowledge_base(locale: str | None = None) -> KnowledgeBase:
    """The knowledge base, worded in ``locale``'s language (the numbers are the same in all)."""
    return for_locale(default_knowledge_base(), language(locale))


def start_assessment(*, locale: str = "en", source: str = "web") -> Assessment:
    """A new, empty assessment. The returned instance carries the plain private-link token
    in ``link_token`` (only the hash is stored)."""
    if source not in Assessment.Source.values:
        raise ValueError(f"unknown source {source!r}")
    interview = Interview.start(knowledge_base(locale))
    first = interview.next_question
    for _ in range(3):  # a token collision is astronomically unlikely; retry anyway
        assessment = Assessment(
            kb_version=interview.kb.version,
            locale=locale[:16],
            source=source,
            answers=[],
            current_question=first.id if first else None,
        )
        assessment.set_token(new_token())
        try:
            with transaction.atomic():
                assessment.save(force_insert=True)
        except IntegrityError:
            continue
        return assessment
    raise RuntimeError("could not create a unique private-link token")


class InterviewCache:
    """Interviews by the exact answers they were rebuilt from. An Interview is an immutable
    value and replaying the same answers always gives the same one, so a page view and the
    answer that follows it need not replay the engine again and again."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self.items: OrderedDict[tuple[int, str], Interview] = OrderedDict()
        self.lock = threading.Lock()

    @staticmethod
    def key(kb: KnowledgeBase, answers: object) -> tuple[int, str]:
        return id(kb), json.dumps(answers, sort_keys=True, separators=(",", ":"))

    def get(self, key: tuple[int, str]) -> Interview | None:
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
            return found

    def put(self, key: tuple[int, str], interview: Interview) -> None:
        with self.lock:
            self.items[key] = interview
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


interviews = InterviewCache()


def load_interview(assessment: Assessment, locale: str | None = None) -> Interview:
    """The engine's interview for the stored answers (raises StateError if unreadable),
    worded in ``locale`` (by default the assessment's own)."""
    kb = knowledge_base(locale or assessment.locale)
    key = InterviewCache.key(kb, assessment.answers)
    found = interviews.get(key)
    if found is None:
        # Our own database, written by this engine: trusted unless the base has changed since.
        state = {"version": assessment.kb_version, "answers": assessment.answers}
        found = Interview.from_state(kb, state, trusted=True)
        interviews.put(key, found)
    return found


def result_in(assessment: Assessment, locale: str | None = None) -> dict[str, Any] | None:
    """The result in ``locale``'s words (by default the assessment's own): its stored record
    rendered with today's knowledge-base texts, so that a result reads in any language and
    an improved text improves old results too.  A result without a readable record (a row
    the migration could not convert) is shown as it was stored."""
    stored: dict[str, Any] | None = assessment.result
    if stored is None:
        return None
    try:
        record = ResultRecord.from_json(assessment.record)
        words = render(knowledge_base(locale or assessment.locale), record, assessment.answers)
        # In the shape a stored result has (JSON lists, not tuples), so that both compare.
        rendered: dict[str, Any] = json.loads(json.dumps(words.to_dict()))
        return rendered
    except (RecordError, KeyError):  # KeyError: an id today's base no longer has
        return stored


def change_locale(assessment: Assessment, locale: str) -> bool:
    """Make ``locale`` the assessment's language (the page's language switch), with its
    stored result worded again in it: the stored result is always in the assessment's
    language, which :func:`result_in` relies on. Not a new revision (no answer changed, an
    open page's form stays good); an answer stored meanwhile wins, and its language stays.
    False when that happened."""
    result = result_in(assessment, locale)
    locale = locale[:16]
    changed = Assessment.objects.filter(pk=assessment.pk, revision=assessment.revision).update(
        locale=locale, result=result
    )
    if changed:
        assessment.locale, assessment.result = locale, result
    return bool(changed)


def apply(assessment: Assessment, interview: Interview) -> bool:
    """Copy the interview's state onto the assessment (not saved). False if nothing changed."""
    answers = interview.to_state()["answers"]
    if answers == assessment.answers:
        return False
    now = timezone.now()
    assessment.answers = answers
    assessment.kb_version = interview.kb.version
    question = interview.next_question
    if question is None:
        assessment.status = Assessment.Status.COMPLETE
        assessment.current_question = None
        assessment.keep_result(interview.result())
        if assessment.completed_at is None:
            assessment.completed_at = now
    else:
        assessment.status = Assessment.Status.IN_PROGRESS
        assessment.current_question = question.id
        assessment.keep_result(None)
        assessment.completed_at = None
    assessment.revision += 1
    return True


def submit_answer(
    assessment_id: uuid.UUID | str,
    question_id: str,
    value: Any,
    *,
    expected_revision: int | None = None,
) -> Assessment:
    """Answer one question (the current one, or an earlier one again) and store the outcome.

    Optimistic concurrency: the engine works on a plain read of the row, and the outcome is
    written by one UPDATE that matches only the revision it was computed from. The write lock
    (SQLite's single writer, PostgreSQL's row lock) is thus held for that statement alone,
    not while the engine thinks, which keeps many respondents from queueing behind each
    other. Two submissions of the same page are still applied one after the other: with
    ``expected_revision`` the loser fails with StaleRevision; without it (the API), it is
    recomputed from the winner's answers, as if it had come second. An AnswerError from the
    engine leaves the stored assessment exactly as it was.
    """
    for _ in range(WRITE_ATTEMPTS):
        assessment = Assessment.objects.get(pk=assessment_id)
        if expected_revision is not None and expected_revision != assessment.revision:
            raise StaleRevision(assessment, expected_revision)
        read_revision = assessment.revision
        interview = load_interview(assessment).answer(question_id, value)
        if not apply(assessment, interview):
            return assessment
        assessment.updated_at = timezone.now()
        written = Assessment.objects.filter(pk=assessment.pk, revision=read_revision).update(
            **{name: getattr(assessment, name) for name in CHANGING_FIELDS}
        )
        if written:
            interviews.put(InterviewCache.key(interview.kb, assessment.answers), interview)
            return assessment
        if not Assessment.objects.filter(pk=assessment_id).exists():
            raise Assessment.DoesNotExist(f"assessment {assessment_id} was deleted")
    # Only reachable if other writers keep winning the race for this one assessment.
    raise StaleRevision(Assessment.objects.get(pk=assessment_id), read_revision)


def delete_assessment(assessment_id: uuid.UUID | str) -> bool:
    """Remove an assessment for good. True if there was one to remove."""
    deleted, _ = Assessment.objects.filter(pk=assessment_id).delete()
    return deleted > 0
