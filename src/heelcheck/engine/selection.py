"""Which question to ask next, and when to stop.

In order:
1. an emergency rule has fired → stop at once (the person must act, not read on);
2. required questions, in the order of questions.yaml (age, where, the red-flag screen,
   and the back questions for people with back pain);
3. follow-ups that settle a red-flag rule which has begun to fire and could raise the
   care level;
4. the question with the highest expected information gain per second of reading,
   until the leading condition is ``stop_confidence`` likely, no question is worth
   ``min_gain_per_second``, or ``max_questions`` have been asked;
5. then confirmation questions of the leading condition (evidence.yaml ``confirm``),
   and closing questions the self-care plan needs (questions.yaml ``closing``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .inference import GainTable, entropy
from .model import FindingValue, KnowledgeBase, Question, Vector
from .triage import care_level, fired, open_findings


@dataclass(frozen=True)
class Choice:
    question: Question | None
    reason: str  # why this question, or why we stopped


class Selector:
    """Stateless apart from precomputed tables; one per knowledge base."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        ids = list(kb.questions)
        self.table = GainTable(ids, [kb.outcomes[q] for q in ids])
        self.index = {q: i for i, q in enumerate(ids)}
        self.seconds = np.array([kb.questions[q].seconds() for q in ids])

    def askable(self, q: Question, known: Mapping[str, FindingValue | None], asked: set[str]) -> bool:
        return q.id not in asked and all(known.get(f) == v for f, v in q.ask_if.items())

    def choose(self, known: Mapping[str, FindingValue | None], asked: set[str], posterior: Vector) -> Choice:
        kb = self.kb
        if any(r.stop and fired(r, known) for r in kb.rules):
            return Choice(None, "emergency")
        for q in kb.questions.values():
            if q.required and self.askable(q, known, asked):
                return Choice(q, "required")
        decision = care_level(kb, known, posterior)
        for rule in kb.rules:
            if rule.level <= decision.level:
                continue
            for fid in open_findings(rule, known):
                q = kb.questions[kb.question_of_finding[fid]]
                if self.askable(q, known, asked):
                    return Choice(q, f"safety:{rule.id}")
        if len(asked) >= kb.settings["max_questions"]:
            return Choice(None, "cap")
        gains = self.table.gains(posterior) / self.seconds
        candidates = [q for q in kb.questions.values() if self.askable(q, known, asked)]
        best = max(candidates, key=lambda q: gains[self.index[q.id]], default=None)
        worth_asking = best is not None and gains[self.index[best.id]] >= kb.settings["min_gain_per_second"]
        if worth_asking and posterior.max() < kb.settings["stop_confidence"]:
            return Choice(best, "information")
        leading = kb.condition_ids[int(posterior.argmax())]
        for qid in kb.confirm.get(leading, ()):
            q = kb.questions[qid]
            if self.askable(q, known, asked):
                return Choice(q, f"confirm:{leading}")
        for q in kb.questions.values():
            if (
                q.closing is not None
                and all(known.get(f) == v for f, v in q.closing.items())
                and self.askable(q, known, asked)
            ):
                return Choice(q, "plan")
        return Choice(None, "confident" if worth_asking else "nothing_left")

    def remaining_estimate(
        self, known: Mapping[str, FindingValue | None], asked: set[str], posterior: Vector
    ) -> int:
        """A rough, honest guess of how many questions are left, for a progress bar."""
        kb = self.kb
        required = sum(1 for q in kb.questions.values() if q.required and self.askable(q, known, asked))
        # About half a bit per question is what the adaptive phase learns on average.
        adaptive = int(np.ceil(max(0.0, entropy(posterior) - 0.5) / 0.5))
        cap = int(kb.settings["max_questions"]) - len(asked)
        return max(0, min(cap, required + adaptive))
