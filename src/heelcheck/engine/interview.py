"""An interview: the answers given so far, and everything that follows from them.

An :class:`Interview` is an immutable value.  Its state is a plain list of
``{"question", "answer"}`` pairs; replaying that list always gives the same result.
``answer()`` returns a new interview and never changes the old one, so an invalid answer
(which raises :class:`AnswerError`) leaves the caller's state exactly as it was.

Answers take these JSON-friendly forms:

======== =================================================================
yes_no   ``"yes"``, ``"no"`` or ``"unsure"``
single   an option id, e.g. ``"back_first"``
multi    a non-empty list of option ids: boxes ticked, or ``["none"]`` ("none of
         these"), or ``["unsure"]`` ("not sure"), or boxes with ``"unsure"`` (these
         yes, the rest not known)
number   a number within the question's range, or ``None`` for "not sure"
======== =================================================================

A question is answered as the person read it (:meth:`Interview.question`): in the words
for whoever is answering, with only the boxes meant for the person's age.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import AnswerCode, AnswerError, StateError
from .inference import answer_likelihood, findings_of_answer, normalise_log
from .model import (
    NONE_OPTION,
    AnswerValue,
    Audience,
    FindingValue,
    KnowledgeBase,
    Question,
    Vector,
)
from .selection import Choice, Selector, Why

if TYPE_CHECKING:
    from .result import Result

MAX_STATE_ANSWERS = 200


@dataclass(frozen=True)
class Answer:
    question: str
    value: AnswerValue

    def to_dict(self) -> dict[str, Any]:
        return {"question": self.question, "answer": self.value}


def parse_state(kb: KnowledgeBase, state: object) -> dict[str, AnswerValue]:
    """The validated answers of a saved state (:meth:`Interview.to_state` output), by
    question, in their stored order; anything malformed raises :class:`StateError`."""
    if not isinstance(state, dict) or not isinstance(state.get("answers"), list):
        raise StateError("A saved state must be an object with a list of 'answers'.")
    raw = state["answers"]
    if len(raw) > MAX_STATE_ANSWERS:
        raise StateError(f"A saved state may hold at most {MAX_STATE_ANSWERS} answers.")
    # A state saved by another knowledge-base version may hold questions that have since
    # been removed or reworded: those answers are dropped and the questions asked again.
    older = state.get("version") != kb.version
    pool: dict[str, AnswerValue] = {}
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or set(item) != {"question", "answer"}:
            raise StateError(f"Answer {i + 1} must have exactly 'question' and 'answer'.")
        q = kb.questions.get(item["question"]) if isinstance(item["question"], str) else None
        if q is None:
            if older:
                continue
            raise StateError(f"Answer {i + 1} is for an unknown question {item['question']!r}.")
        if q.id in pool:
            raise StateError(f"Question '{q.id}' is answered twice in the saved state.")
        try:
            pool[q.id] = validate(q, item["answer"])
        except AnswerError as exc:
            if older:
                continue
            raise StateError(f"Answer {i + 1}: {exc}") from exc
    return pool


def record_findings(known: dict[str, FindingValue | None], question: Question, value: AnswerValue) -> None:
    """Write into ``known`` the findings this answer sets; None records "not sure"."""
    setting = findings_of_answer(question, value)
    for fid in question.findings:
        known[fid] = setting.get(fid)


def findings_of_state(kb: KnowledgeBase, state: object) -> dict[str, FindingValue | None]:
    """The findings a saved state's answers set, as :attr:`Interview.known` would give them
    for a state of this knowledge-base version, without rebuilding the interview (no
    posterior, no choice of question): exports read thousands of states."""
    known: dict[str, FindingValue | None] = {}
    for qid, value in parse_state(kb, state).items():
        record_findings(known, as_read(kb, kb.questions[qid], known), value)
    return known


def as_read(kb: KnowledgeBase, question: Question, known: Mapping[str, FindingValue | None]) -> Question:
    """The question as the person answering it reads it, given what is known so far."""
    return question.worded(Audience.of(known.get(kb.roles.respondent)), known.get(kb.roles.age))


@functools.lru_cache(maxsize=8)
def selector_for(kb: KnowledgeBase) -> Selector:
    return Selector(kb)


def validate(question: Question, value: object) -> AnswerValue:
    """The canonical form of an answer, or AnswerError saying what is wrong with it."""
    qid = question.id
    if question.kind == "number":
        if value is None or value == "unsure":
            if not question.allow_unsure:
                raise AnswerError(AnswerCode.answer_required, f"Please give a number for '{qid}'.", qid)
            return None
        if isinstance(value, str):
            try:
                value = float(value.strip().replace(",", "."))
            except ValueError:
                raise AnswerError(
                    AnswerCode.not_a_number, f"'{value}' is not a number (question '{qid}').", qid
                ) from None
        # int first: a huge JSON integer cannot become a float (math.isnan would overflow).
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise AnswerError(AnswerCode.not_a_number, f"The answer to '{qid}' must be a number.", qid)
        if isinstance(value, float) and not math.isfinite(value):
            raise AnswerError(AnswerCode.not_a_number, f"The answer to '{qid}' must be a number.", qid)
        if not question.minimum <= value <= question.maximum:
            shown = f"{value:g}" if isinstance(value, float) or abs(value) < 10**9 else "that"
            raise AnswerError(
                AnswerCode.out_of_range,
                f"The answer to '{qid}' must be between {question.minimum:g} and "
                f"{question.maximum:g} {question.unit}, not {shown}.",
                qid,
            )
        return int(value) if float(value).is_integer() else float(value)
    if question.kind == "multi":
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise AnswerError(
                AnswerCode.not_a_list, f"The answer to '{qid}' must be a list of option ids.", qid
            )
        chosen = set(value)
        unknown = sorted(chosen - {o.id for o in question.options})
        if unknown:
            raise AnswerError(
                AnswerCode.unknown_option, f"'{qid}' has no option {', '.join(map(repr, unknown))}.", qid
            )
        if not chosen:
            raise AnswerError(
                AnswerCode.answer_required,
                f"Tick at least one box of '{qid}', or “None of these”"
                + (", or “Not sure”." if question.allow_unsure else "."),
                qid,
            )
        if NONE_OPTION in chosen and len(chosen) > 1:
            raise AnswerError(
                AnswerCode.exclusive_option,
                f"“None of these” cannot be ticked with other boxes ('{qid}').",
                qid,
            )
        return [o.id for o in question.options if o.id in chosen]
    if not isinstance(value, str):
        raise AnswerError(AnswerCode.not_an_option, f"The answer to '{qid}' must be an option id.", qid)
    if question.option(value) is None:
        ids = ", ".join(o.id for o in question.options)
        raise AnswerError(
            AnswerCode.unknown_option, f"'{qid}' has no option '{value}' (choose one of: {ids}).", qid
        )
    return value


class Interview:
    """Answers so far, the posterior they give, and the next question (if any)."""

    __slots__ = ("_choice", "_known", "_log_post", "answers", "kb")

    def __init__(self, kb: KnowledgeBase, answers: Iterable[Answer] = ()) -> None:
        """Apply ``answers`` in order, trusting that each is valid and is the question the
        engine asks at that point.  Callers outside the engine use :meth:`start`,
        :meth:`answer` and :meth:`from_state`, which check."""
        self.kb = kb
        self.answers: tuple[Answer, ...] = ()
        self._known: dict[str, FindingValue | None] = {}
        self._log_post: Vector = np.log(kb.default_joint + 1e-300)
        self._choice = self._choose()
        for a in answers:
            self._append(a)

    # ---------------------------------------------------------------- construction
    @classmethod
    def start(cls, kb: KnowledgeBase) -> Interview:
        return cls(kb)

    @classmethod
    def replay(cls, kb: KnowledgeBase, pool: Mapping[str, AnswerValue]) -> Interview:
        """Follow the engine's own order, taking each asked question's answer from
        ``pool`` (already validated), until a question is reached that has none."""
        interview = cls(kb)
        while (q := interview.next_question) is not None and q.id in pool:
            interview = interview._with(Answer(q.id, pool[q.id]))
        return interview

    @classmethod
    def from_state(cls, kb: KnowledgeBase, state: object, *, trusted: bool = False) -> Interview:
        """Rebuild from :meth:`to_state` output.  Answers to questions the engine would
        no longer ask (after a knowledge-base update) are dropped; anything malformed
        raises :class:`StateError`.

        ``trusted``: the state was written by :meth:`to_state` of this same knowledge-base
        version and kept where nobody else could change it (a server's own database).  Its
        answers are then applied in their stored order without choosing a question after
        each one, which gives the same interview several times faster.  Answers are still
        validated, and the next question (safety questions first) is still chosen."""
        pool = parse_state(kb, state)
        if trusted and isinstance(state, dict) and state.get("version") == kb.version:
            interview = cls.__new__(cls)
            interview.kb = kb
            interview.answers = ()
            interview._known = {}
            interview._log_post = np.log(kb.default_joint + 1e-300)
            for qid, value in pool.items():
                interview._append(Answer(qid, value), choose=False)
            interview._choice = interview._choose()
            return interview
        return cls.replay(kb, pool)

    def to_state(self) -> dict[str, Any]:
        return {"version": self.kb.version, "answers": [a.to_dict() for a in self.answers]}

    # ---------------------------------------------------------------- answering
    def answer(self, question_id: str, value: object) -> Interview:
        """A new interview with this answer.  The current question is answered in turn;
        an earlier question may be answered again, which recomputes everything after it
        (later answers are kept where the engine still asks those questions)."""
        if question_id not in self.kb.questions:
            raise AnswerError(AnswerCode.unknown_question, f"There is no question '{question_id}'.")
        q = self.question(question_id)
        canonical = validate(q, value)
        current = self.next_question
        if current is not None and current.id == q.id:
            return self._with(Answer(q.id, canonical))
        if any(a.question == q.id for a in self.answers):
            pool = {a.question: a.value for a in self.answers}
            pool[q.id] = canonical
            return Interview.replay(self.kb, pool)
        if current is None:
            raise AnswerError(
                AnswerCode.interview_complete, "The evaluation is already complete.", question_id
            )
        raise AnswerError(
            AnswerCode.not_asked,
            f"Question '{question_id}' has not been asked; the current question is '{current.id}'.",
            question_id,
        )

    def _with(self, answer: Answer) -> Interview:
        clone = Interview.__new__(Interview)
        clone.kb = self.kb
        clone.answers = self.answers
        clone._known = dict(self._known)
        clone._log_post = self._log_post.copy()
        clone._append(answer)
        return clone

    def _append(self, answer: Answer, *, choose: bool = True) -> None:
        q = as_read(self.kb, self.kb.questions[answer.question], self._known)
        kb = self.kb
        n = kb.n_hypotheses
        if q.finding == kb.roles.age:
            # Age chooses the prior instead of adding evidence: swap the default prior out.
            age = None if answer.value is None else float(answer.value)  # type: ignore[arg-type]
            self._log_post = self._log_post - np.log(kb.default_joint + 1e-300)
            self._log_post = self._log_post + np.log(kb.joint_prior_for_age(age) + 1e-300)
        else:
            like = answer_likelihood(q, answer.value, kb.evidence, n)
            self._log_post = self._log_post + kb.settings["tempering"] * np.log(like)
        record_findings(self._known, q, answer.value)
        self.answers = (*self.answers, answer)
        if choose:
            self._choice = self._choose()

    def _choose(self) -> Choice:
        asked = {a.question for a in self.answers}
        return selector_for(self.kb).choose(self._known, asked, self.joint_posterior)

    # ---------------------------------------------------------------- reading
    def question(self, question_id: str) -> Question:
        """A question as this person reads it now (KeyError for an unknown id)."""
        return as_read(self.kb, self.kb.questions[question_id], self._known)

    @property
    def next_question(self) -> Question | None:
        q = self._choice.question
        return None if q is None else as_read(self.kb, q, self._known)

    @property
    def next_reason(self) -> str:
        """Why the next question is asked, or why the interview stopped, as results store
        it ("required", "safety:<rule>", "confirm:<condition>", "confident"...)."""
        return self._choice.reason

    @property
    def next_why(self) -> Why:
        """``next_reason`` as a value: its kind (the rule or condition is in the string)."""
        return self._choice.why

    @property
    def is_complete(self) -> bool:
        return self._choice.question is None

    @property
    def known(self) -> Mapping[str, FindingValue | None]:
        """Every finding asked so far; None means answered "not sure"."""
        return dict(self._known)

    @property
    def joint_posterior(self) -> Vector:
        """P(hypothesis | answers) over ``kb.hypotheses``: conditions alone, then pairs."""
        return normalise_log(self._log_post)

    @property
    def posterior_vector(self) -> Vector:
        """P(condition present | answers), in the order of ``kb.condition_ids``.  A
        condition of a likely pair counts as present, so these can sum to more than one."""
        return self.kb.presence(self.joint_posterior)

    def posterior(self) -> dict[str, float]:
        return dict(zip(self.kb.condition_ids, map(float, self.posterior_vector), strict=True))

    def progress(self) -> tuple[int, int]:
        """(questions answered, estimated total) — the total moves as answers come in."""
        asked = {a.question for a in self.answers}
        if self.is_complete:
            return len(asked), len(asked)
        left = selector_for(self.kb).remaining_estimate(self._known, asked, self.joint_posterior)
        return len(asked), len(asked) + max(1, left)

    def result(self) -> Result:
        from .result import build_result

        return build_result(self)
