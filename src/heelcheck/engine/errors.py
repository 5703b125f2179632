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


class HeelcheckError(Exception):
    """Base class of every error the engine raises on purpose."""


class KnowledgeBaseError(HeelcheckError):
    """The knowledge base cannot be loaded: names the file, the entry and the problem."""

    def __init__(self, file: str, entry: str, problem: str) -> None:
        self.file = file
        self.entry = entry
        self.problem = problem
        super().__init__(f"{file}: {entry}: {problem}")


class AnswerError(HeelcheckError):
    """An answer cannot be accepted.  ``code`` is stable and machine-readable."""

    def __init__(self, code: str, message: str, question: str | None = None) -> None:
        self.code = code
        self.question = question
        super().__init__(message)


class StateError(HeelcheckError):
    """A saved interview state is malformed or belongs to no known question."""
