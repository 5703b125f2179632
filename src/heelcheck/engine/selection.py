"""Which question to ask next, and when to stop.

In order:
1. an emergency rule has fired → stop at once (the person must act, not read on);
2. required questions, in the order of questions.yaml (who is answering, age, where,
   back pain, the red-flag screens, and the questions required for children or for
   people with back pain);
3. follow-ups that settle every red-flag rule which has begun to fire, most urgent rule
   first, whatever the care level already is: a result lists every rule that applies;
4. the question with the highest expected information gain per second of reading,
   until the leading condition is ``stop_confidence`` likely, no question is worth
   ``min_gain_per_second``, or ``max_questions`` have been asked;
5. then confirmation questions of the leading condition (evidence.yaml ``confirm``), and
   of any condition whose pair with it is at least ``second_look`` likely (two causes at
   once), and closing questions the self-care plan needs (questions.yaml ``closing``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

import numpy as np

from .inference import GainTable, entropy
from .model import FindingValue, KnowledgeBase, Question, Vector, ages_admit
from .triage import fired, open_findings


class Why(Enum):
    """Why this question was chosen, or why the interview stopped (the steps above)."""

    emergency = "emergency"  # stopped: an emergency rule fired
    required = "required"
    safety = "safety"  # settles the red-flag rule named by the choice's subject
    cap = "cap"  # stopped: max_questions were asked
    information = "information"
    confirm = "confirm"  # confirms the leading condition (the subject)
    confirm_second = "confirm_second"  # confirms a likely second cause (the subject)
    plan = "plan"
    confident = "confident"  # stopped: the leading condition is stop_confidence likely
    nothing_left = "nothing_left"  # stopped: no question is worth its reading time


@dataclass(frozen=True)
class Choice:
    question: Question | None  # None: the interview stops
    why: Why
    subject: str | None = None  # the rule (safety) or condition (confirm, confirm_second)

    @property
    def reason(self) -> str:
        """The choice as one string, as results store it: "required", "safety:<rule>",
        "confirm:<condition>"..."""
        return self.why.value if self.subject is None else f"{self.why.value}:{self.subject}"


class Selector:
    """Stateless apart from precomputed tables; one per knowledge base."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        ids = list(kb.questions)
        self.table = GainTable(ids, [kb.outcomes[q] for q in ids])
        self.index = {q: i for i, q in enumerate(ids)}
        self.seconds = np.array([kb.questions[q].seconds() for q in ids])

        # Most urgent first, so that the follow-up that could matter most is asked first.
        self.rules = tuple(sorted(kb.rules, key=lambda r: -r.level))

    def askable(self, q: Question, known: Mapping[str, FindingValue | None], asked: set[str]) -> bool:
        return (
            q.id not in asked
            and ages_admit(q.ages, known.get(self.kb.roles.age))
            and all(known.get(f) == v for f, v in q.ask_if.items())
            and not any(f in known and known[f] == v for f, v in q.skip_if.items())
        )

    def choose(self, known: Mapping[str, FindingValue | None], asked: set[str], joint: Vector) -> Choice:
        """``joint``: the posterior over hypotheses (conditions alone and pairs)."""
        kb = self.kb
        if any(r.stop and fired(r, known, kb.roles.age) for r in kb.rules):
            return Choice(None, Why.emergency)
        for q in kb.questions.values():
            if q.is_required(known, kb.roles.age) and self.askable(q, known, asked):
                return Choice(q, Why.required)
        for rule in self.rules:
            for fid in open_findings(rule, known, kb.roles.age):
                q = kb.questions[kb.question_of_finding[fid]]
                if self.askable(q, known, asked):
                    return Choice(q, Why.safety, rule.id)
        if len(asked) >= kb.settings["max_questions"]:
            return Choice(None, Why.cap)
        gains = self.table.gains(joint) / self.seconds
        candidates = [q for q in kb.questions.values() if self.askable(q, known, asked)]
        best = max(candidates, key=lambda q: gains[self.index[q.id]], default=None)
        worth_asking = best is not None and gains[self.index[best.id]] >= kb.settings["min_gain_per_second"]
        presence = kb.presence(joint)
        if worth_asking and presence.max() < kb.settings["stop_confidence"]:
            return Choice(best, Why.information)
        leading = kb.condition_ids[int(presence.argmax())]
        for qid in kb.confirm.get(leading, ()):
            q = kb.questions[qid]
            if self.askable(q, known, asked):
                return Choice(q, Why.confirm, leading)
        # A second cause that may well be present with the leading one gets its own
        # confirmation questions too, so that two causes at once are told from one.
        lead = kb.condition_ids.index(leading)
        for h, members in enumerate(kb.hypotheses.members):
            if len(members) == 2 and lead in members and joint[h] >= kb.settings["second_look"]:
                partner = kb.condition_ids[members[0] if members[1] == lead else members[1]]
                for qid in kb.confirm.get(partner, ()):
                    q = kb.questions[qid]
                    if self.askable(q, known, asked):
                        return Choice(q, Why.confirm_second, partner)
        for q in kb.questions.values():
            if (
                q.closing is not None
                and all(known.get(f) == v for f, v in q.closing.items())
                and self.askable(q, known, asked)
            ):
                return Choice(q, Why.plan)
        return Choice(None, Why.confident if worth_asking else Why.nothing_left)

    def remaining_estimate(
        self, known: Mapping[str, FindingValue | None], asked: set[str], joint: Vector
    ) -> int:
        """A rough, honest guess of how many questions are left, for a progress bar."""
        kb = self.kb
        required = sum(
            1
            for q in kb.questions.values()
            if q.is_required(known, kb.roles.age) and self.askable(q, known, asked)
        )
        # About half a bit per question is what the adaptive phase learns on average.
        adaptive = int(np.ceil(max(0.0, entropy(joint) - 0.5) / 0.5))
        cap = int(kb.settings["max_questions"]) - len(asked)
        return max(0, min(cap, required + adaptive))
