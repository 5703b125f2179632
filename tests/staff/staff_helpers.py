"""Helpers for the staff tests: assessments seeded straight into the database, with the
times, statuses and results each test needs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from heelcheck.engine import Interview, KnowledgeBase
from heelcheck.engine.record import ResultRecord
from heelcheck.web.assessments.models import Assessment, new_token

PASSWORD = "heel-pain-clinic-2026"  # Carol's: long, not common, not like her name


def at(text: str) -> datetime:
    """A UTC moment from 'YYYY-MM-DD HH:MM:SS'."""
    return datetime.fromisoformat(text + "+00:00")


def seed(
    created: str,
    *,
    status: str = "in_progress",
    completed: str | None = None,
    leading: str = "plantar_fasciitis",
    triage: str = "self_care",
    current: str | None = "where",
    answers: int = 0,
    kb_version: str = "v1",
    source: str = "web",
    locale: str = "en",
) -> Assessment:
    """One assessment row. A complete one gets a small result with ``leading`` first; an
    unfinished one gets ``answers`` placeholder answers and stops at ``current``."""
    done = status == "complete"
    result: dict[str, Any] | None = None
    if done:
        result = {"ranked": [[leading, 0.7], ["heel_fat_pad", 0.2]], "triage": triage, "back_link": "none"}
    assessment = Assessment(
        status=status,
        created_at=at(created),
        completed_at=at(completed) if completed else None,
        current_question=None if done else current,
        answers=[{"question": f"q{i}", "answer": "no"} for i in range(answers)],
        result=result,
        kb_version=kb_version,
        source=source,
        locale=locale,
    )
    if result is not None:  # what the migration gives a stored result (a small, made-up one)
        record = ResultRecord.from_stored_result(result, kb_version)
        assessment.record = record.to_json()
        assessment.leading_condition, assessment.care_level = record.leading, record.triage.name
    assessment.set_token(new_token())
    assessment.save(force_insert=True)
    return assessment


def plain_answer(question: Any) -> Any:
    """A simple, always-valid answer: 40 for numbers, "None of these", "no", the first option
    (for the first question: the person answers for themselves)."""
    if question.kind == "number":
        return 40
    if question.kind == "multi":
        return ["none"]
    if question.kind == "yes_no":
        return "no"
    return question.options[0].id


def finished_interview(kb: KnowledgeBase) -> Interview:
    interview = Interview.start(kb)
    while (q := interview.next_question) is not None:
        interview = interview.answer(q.id, plain_answer(q))
    return interview


def seed_real(kb: KnowledgeBase, created: str, *, complete: bool = True, source: str = "web") -> Assessment:
    """An assessment the engine really produced: every answer and the full result."""
    interview = finished_interview(kb)
    answers = interview.to_state()["answers"]
    if not complete:
        answers = answers[:3]
        interview = Interview.from_state(kb, {"version": kb.version, "answers": answers})
    assessment = Assessment(
        status="complete" if complete else "in_progress",
        created_at=at(created),
        completed_at=at(created) if complete else None,
        current_question=None if complete else interview.next_question.id,  # type: ignore[union-attr]
        answers=answers,
        kb_version=kb.version,
        source=source,
    )
    assessment.keep_result(interview.result() if complete else None)
    assessment.set_token(new_token())
    assessment.save(force_insert=True)
    return assessment
