"""The result of a finished (or stopped) interview, and how it is explained."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .backlink import back_link
from .inference import findings_likelihood
from .model import AnswerValue, KnowledgeBase, PlanItem, Question, Triage, Vector
from .triage import care_level

if TYPE_CHECKING:
    from .interview import Interview

EXPLAIN_TOP = 3  # conditions explained
REASONS_EACH = 4  # reasons shown each way per condition
MIN_WEIGHT = 0.35  # log-odds; smaller nudges are not worth a person's attention
PLAN_CANDIDATE = 0.20  # conditions at least this likely shape the plan
PLAN_AVOID = 0.15  # an item is left out if a condition it could harm is this likely
PLAN_MAX = 10  # a plan a person will follow, not a leaflet
PLAN_PER_TOPIC = 2


@dataclass(frozen=True)
class Ranked:
    condition: str
    name: str
    probability: float


@dataclass(frozen=True)
class Reason:
    question: str
    finding: str | None
    statement: str
    answer: str
    weight: float  # log-odds the answer added (positive) or took away (negative)


@dataclass(frozen=True)
class Explanation:
    condition: str
    raised: tuple[Reason, ...]
    lowered: tuple[Reason, ...]


@dataclass(frozen=True)
class RedFlag:
    id: str
    level: str
    title: str
    action: str


@dataclass(frozen=True)
class AnswerRecord:
    question: str
    text: str
    answer: str


@dataclass(frozen=True)
class Result:
    ranked: tuple[Ranked, ...]
    triage: Triage
    triage_title: str
    triage_action: str
    red_flags: tuple[RedFlag, ...]
    back_link: str
    back_link_text: str
    explanations: tuple[Explanation, ...]
    plan: tuple[PlanItem, ...]
    answers: tuple[AnswerRecord, ...]
    stopped: str
    questions_asked: int
    seconds_estimate: float
    kb_version: str
    disclaimer: str

    @property
    def leading(self) -> Ranked:
        return self.ranked[0]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["triage"] = self.triage.name
        data["ranked"] = [[r.condition, round(r.probability, 4)] for r in self.ranked]
        data["conditions"] = [asdict(r) for r in self.ranked]
        for exp in data["explanations"]:
            for reason in (*exp["raised"], *exp["lowered"]):
                reason["weight"] = round(reason["weight"], 3)
        return data


def build_result(interview: Interview) -> Result:
    kb = interview.kb
    known = interview.known
    posterior = shown_probabilities(kb, interview.posterior_vector, known.get("age"))
    decision = care_level(kb, known, posterior)
    order = np.argsort(-posterior, kind="stable")
    ranked = tuple(
        Ranked(kb.condition_ids[i], kb.conditions[kb.condition_ids[i]].name, float(posterior[i]))
        for i in order
    )
    link = back_link(kb, known, posterior)
    level = decision.level
    flags = sorted(decision.fired, key=lambda r: -r.level)
    # One action per result: the most urgent rule's, when a rule set the level; the other
    # rules are listed as reasons (their titles), never as competing time frames.
    action = flags[0].action if flags and flags[0].level == level else kb.texts.triage[level.name]["action"]
    fired_ids = frozenset(r.id for r in decision.fired)
    return Result(
        ranked=ranked,
        triage=level,
        triage_title=kb.texts.triage[level.name]["title"],
        triage_action=action,
        red_flags=tuple(RedFlag(r.id, r.level.name, r.title, r.action) for r in flags),
        back_link=link,
        back_link_text=kb.texts.back_link[link],
        explanations=tuple(explain(interview, i) for i in order[:EXPLAIN_TOP]),
        plan=() if level == Triage.emergency else plan_for(kb, known, posterior, fired_ids),
        answers=tuple(
            # As the person read it: a parent's summary says "How old is your child?".
            AnswerRecord(
                a.question,
                interview.question(a.question).text,
                answer_label(interview.question(a.question), a.value),
            )
            for a in interview.answers
        ),
        stopped=interview.next_reason,
        questions_asked=len(interview.answers),
        seconds_estimate=round(sum(kb.questions[a.question].seconds() for a in interview.answers), 1),
        kb_version=kb.version,
        disclaimer=kb.texts.disclaimer,
    )


def shown_probabilities(kb: KnowledgeBase, posterior: Vector, age: object) -> Vector:
    """The posterior blended with a little of the age prior.  The model treats findings as
    independent, so its raw certainty runs ahead of the evidence; a person should never
    read "100 %" from a questionnaire."""
    doubt = kb.settings["model_doubt"]
    prior = kb.prior_for_age(float(age) if isinstance(age, int | float) else None)
    shown: Vector = (1.0 - doubt) * posterior + doubt * prior
    return shown


def answer_label(question: Question, value: AnswerValue) -> str:
    if question.kind == "number":
        return "Not sure" if value is None else f"{value:g} {question.unit}".strip()
    if question.kind == "multi":
        chosen = value if isinstance(value, list) else []
        labels = [o.label for o in question.options if o.id in chosen]
        return "; ".join(labels) if labels else "None of these"
    opt = question.option(value) if isinstance(value, str) else None
    return opt.label if opt else str(value)


def explain(interview: Interview, index: int) -> Explanation:
    """The answers that moved one condition most, measured against the other
    conditions weighted by how likely they are now."""
    kb = interview.kb
    n = len(kb.condition_ids)
    posterior = interview.posterior_vector
    others = posterior.copy()
    others[index] = 0.0
    others = others / others.sum() if others.sum() > 0 else np.full(n, 1.0 / n)
    alpha = kb.settings["tempering"]
    reasons: list[Reason] = []
    for ans in interview.answers:
        q = kb.questions[ans.question]
        for finding, findings, statement, said in _pieces(q, ans.value):
            like = findings_likelihood(kb.evidence, findings, n)
            weight = alpha * float(np.log(like[index]) - np.log(float(others @ like)))
            if abs(weight) >= MIN_WEIGHT:
                reasons.append(Reason(q.id, finding, statement, said, weight))
    raised = sorted((r for r in reasons if r.weight > 0), key=lambda r: -r.weight)
    lowered = sorted((r for r in reasons if r.weight < 0), key=lambda r: r.weight)
    return Explanation(kb.condition_ids[index], tuple(raised[:REASONS_EACH]), tuple(lowered[:REASONS_EACH]))


def _pieces(q: Question, value: AnswerValue) -> list[tuple[str | None, dict[str, Any], str, str]]:
    """An answer cut into the parts a person can recognise: each option of a tick-list
    on its own, otherwise the whole answer."""
    if q.kind == "multi":
        # An unticked box is not something a person remembers saying: explain by ticks.
        chosen = value if isinstance(value, list) else []
        boxes = [o for o in q.options if o.is_box]
        return [(fid, {fid: True}, o.label, "yes") for o in boxes if o.id in chosen for fid in o.sets]
    if q.kind == "number":
        if value is None or q.finding is None:
            return []
        return [(q.finding, {q.finding: float(value)}, q.text, answer_label(q, value))]  # type: ignore[arg-type]
    opt = q.option(value) if isinstance(value, str) else None
    if opt is None or opt.is_unsure:
        return []
    return [(q.finding, dict(opt.sets), q.text, opt.label)]


def plan_for(
    kb: KnowledgeBase, known: Any, posterior: Vector, fired: frozenset[str] = frozenset()
) -> tuple[PlanItem, ...]:
    """Self-care items that suit the likely conditions, fit what the person reported (no
    finding, age, sex or fired rule of theirs rules them out), and could not harm any
    condition that is still reasonably likely."""
    top = int(posterior.argmax())
    likely = {cid for i, cid in enumerate(kb.condition_ids) if i == top or posterior[i] >= PLAN_CANDIDATE}
    risky = {cid for i, cid in enumerate(kb.condition_ids) if i == top or posterior[i] >= PLAN_AVOID}
    leading = kb.condition_ids[top]
    fitting = []
    for item in kb.plan:
        if not likely.intersection(item.suits) or risky.intersection(item.avoid_with):
            continue
        if not item.suits_person(known, fired):
            continue
        personal = any(known.get(f) is True for f in item.when_any)
        if item.when_any and not personal:
            continue
        # The leading condition's items come first, those that answer something the person
        # told us first among them; the file's order breaks ties.
        fitting.append((-(2 * (leading in item.suits) + personal), item))
    fitting.sort(key=lambda pair: pair[0])
    chosen: list[PlanItem] = []
    for _, item in fitting:
        if sum(c.topic == item.topic for c in chosen) < PLAN_PER_TOPIC and len(chosen) < PLAN_MAX:
            chosen.append(item)
    return tuple(chosen)
