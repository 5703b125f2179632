"""Exceptions raised by the engine.

The hierarchy, drawn once::

    HeelcheckError
     ├── KnowledgeBaseError   a knowledge-base file is missing, malformed or inconsistent
     ├── AnswerError          an answer is not acceptable now (unknown question, not asked yet,
     │                        unknown option, number out of range, wrong type)
     └── StateError           a saved interview state cannot be read

Every error carries a message written for the person or developer who has to fix it;
callers show ``str(error)`` as it is.  Raising never changes an interview: interviews
are immutable values, so a failed ``answer()`` leaves the caller's state untouched.
"""

from __future__ import annotations

from enum import StrEnum


class HeelcheckError(Exception):
    """Base class of every error the engine raises on purpose."""


class KnowledgeBaseError(HeelcheckError):
    """The knowledge base cannot be loaded: names the file, the entry and the problem."""

    def __init__(self, file: str, entry: str, problem: str) -> None:
        self.file = file
        self.entry = entry
        self.problem = problem
        super().__init__(f"{file}: {entry}: {problem}")


class AnswerCode(StrEnum):
    """Why an answer was refused.  The values are stable: the API's error bodies and the
    FHIR operation's outcomes carry them as they are (a StrEnum is serialised as its value)."""

    # the question
    unknown_question = "unknown_question"  # no question has this id
    not_asked = "not_asked"  # not the current question, nor one answered before
    interview_complete = "interview_complete"  # no question is being asked any more
    # the answer
    answer_required = "answer_required"  # empty, or "not sure" where it is not offered
    not_a_number = "not_a_number"
    out_of_range = "out_of_range"
    not_a_list = "not_a_list"  # a tick-list's answer must be a list of option ids
    not_an_option = "not_an_option"  # a pick-one answer must be an option id
    unknown_option = "unknown_option"
    exclusive_option = "exclusive_option"  # "None of these" ticked with other boxes


class AnswerError(HeelcheckError):
    """An answer cannot be accepted.  ``code`` is stable and machine-readable."""

    def __init__(self, code: AnswerCode, message: str, question: str | None = None) -> None:
        self.code = code
        self.question = question
        super().__init__(message)


class StateError(HeelcheckError):
    """A saved interview state is malformed or belongs to no known question."""
