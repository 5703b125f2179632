"""The clinical core: knowledge base, adaptive interview, triage and explanation.

Pure Python and NumPy; it never imports Django, so any front end (terminal, web, API,
FHIR) can drive it.  Start here::

    kb = default_knowledge_base()
    interview = Interview.start(kb)
    while (q := interview.next_question) is not None:
        interview = interview.answer(q.id, ...)
    result = interview.result()
"""

from .errors import AnswerCode, AnswerError, HeelcheckError, KnowledgeBaseError, StateError
from .interview import Answer, Interview, findings_of_state, validate
from .loader import check, default_knowledge_base, load
from .model import BackLink, Condition, KnowledgeBase, Option, PlanItem, Question, Triage
from .result import Explanation, Ranked, Reason, Result, answer_label

__all__ = [
    "Answer",
    "AnswerCode",
    "AnswerError",
    "BackLink",
    "Condition",
    "Explanation",
    "HeelcheckError",
    "Interview",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "Option",
    "PlanItem",
    "Question",
    "Ranked",
    "Reason",
    "Result",
    "StateError",
    "Triage",
    "answer_label",
    "check",
    "default_knowledge_base",
    "findings_of_state",
    "load",
    "validate",
]
