"""Shared helpers of the engine tests: answering an interview the way a person would."""

from __future__ import annotations

from collections.abc import Mapping

from heelcheck.engine import Interview, KnowledgeBase

# The screens every person answers, with nothing to report.
NOTHING_ALARMING: dict[str, object] = {"back_pain": "no", "alarm_body": ["none"], "alarm_foot": ["none"]}
ADULT = {"respondent": "self", "age": 45, **NOTHING_ALARMING}
PLANTAR = {**ADULT, "where": ["bottom_inner"], "sex": "female"}


def default_answer(interview: Interview, qid: str) -> object:
    """ "No" to a yes/no question, "None of these" to a tick-list, "not sure" for a
    number, the last option (mostly "Not sure") otherwise."""
    q = interview.question(qid)
    if q.kind == "multi":
        return ["none"]
    if q.kind == "number":
        return None
    return "no" if q.kind == "yes_no" else q.options[-1].id


def answer_through(
    kb: KnowledgeBase, answers: Mapping[str, object], interview: Interview | None = None
) -> Interview:
    """Answer whatever is asked from ``answers``; anything else gets default_answer."""
    interview = interview or Interview.start(kb)
    while (q := interview.next_question) is not None:
        value = answers[q.id] if q.id in answers else default_answer(interview, q.id)
        interview = interview.answer(q.id, value)
    return interview


def asked(interview: Interview) -> list[str]:
    return [a.question for a in interview.answers]
