"""The result of a finished (or stopped) interview, and how it is explained."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .backlink import back_link
from .inference import findings_likelihood
from .model import OTHER, AnswerValue, BackLink, Certainty, KnowledgeBase, PlanItem, Question, Triage, Vector
from .record import RecordReason, ResultRecord
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
# A second cause is reported when the leading cause and it, together, are at least this
# likely (benchmarks/calibration.py measures how often such a second cause is right).
ALSO_PRESENT = 0.40
SHOW_AT_LEAST = 0.03  # causes less likely than this are not worth a row on the page
# The words for how sure the leading cause is: (lowest probability, words), most sure
# first; chosen from the reliability table of benchmarks/calibration.py.
CERTAINTY = ((0.80, Certainty.very_likely), (0.50, Certainty.likely), (0.0, Certainty.possible))


@dataclass(frozen=True)
class Ranked:
    condition: str
    name: str
    probability: float


@dataclass(frozen=True)
class Reason:
    question: str
    finding: str | None
    statement: str  # the finding said plainly, or the question's words when it has none
    answer: str
    weight: float  # log-odds the answer added (positive) or took away (negative)
    plain: bool = True  # the statement says it all; otherwise show it with the answer


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
    ranked: tuple[Ranked, ...]  # every condition, most likely first (`other` among them)
    also_present: tuple[str, ...]  # conditions likely present as well as the leading one
    certainty: Certainty  # how sure the leading cause is, in words
    certainty_text: str
    headline: str  # what the result leads with: the cause, or that none fits well
    triage: Triage
    triage_title: str
    triage_action: str
    red_flags: tuple[RedFlag, ...]
    back_link: BackLink
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

    @property
    def record(self) -> ResultRecord:
        """What was decided, as ids and numbers only (what a server keeps)."""
        return ResultRecord.of(self)

    @property
    def fits_a_cause(self) -> bool:
        """False when the answers fit none of the listed causes well (`other` leads)."""
        return self.leading.condition != OTHER

    @property
    def shown(self) -> tuple[Ranked, ...]:
        """The rows worth showing a person: the leading cause, the causes present as well,
        and any other cause at least SHOW_AT_LEAST likely."""
        return tuple(
            r
            for i, r in enumerate(self.ranked)
            if i == 0 or r.condition in self.also_present or r.probability >= SHOW_AT_LEAST
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["triage"] = self.triage.name
        data["certainty"] = self.certainty.value
        data["back_link"] = self.back_link.value
        data["ranked"] = [[r.condition, round(r.probability, 4)] for r in self.ranked]
        data["conditions"] = [asdict(r) for r in self.ranked]
        for exp in data["explanations"]:
            for reason in (*exp["raised"], *exp["lowered"]):
                reason["weight"] = round(reason["weight"], 3)
        return data


def build_result(interview: Interview) -> Result:
    kb = interview.kb
    known = interview.known
    joint = interview.joint_posterior
    posterior = shown_probabilities(kb, interview.posterior_vector, known.get(kb.roles.age))
    decision = care_level(kb, known, posterior)
    order = np.argsort(-posterior, kind="stable")
    also = second_causes(kb, joint, int(order[0]))
    if also:
        # Of two causes present together, the one that needs more care leads (sciatica
        # before the plantar fasciitis it comes with); equal care, the likelier one.
        together = [int(order[0]), *(kb.condition_ids.index(c) for c in also)]
        lead = max(together, key=lambda i: (kb.conditions[kb.condition_ids[i]].care, posterior[i]))
        also = tuple(kb.condition_ids[i] for i in together if i != lead)
        order = np.array([lead, *(i for i in order if i != lead)])
    level = decision.level
    flags = sorted(decision.fired, key=lambda r: -r.level)
    fired_ids = frozenset(r.id for r in decision.fired)
    explained = [int(i) for i in order[:EXPLAIN_TOP]]
    explained += [kb.condition_ids.index(c) for c in also if kb.condition_ids.index(c) not in explained]
    explanations = [explain(interview, i) for i in explained]
    plan = () if level == Triage.emergency else plan_for(kb, known, posterior, fired_ids)
    record = ResultRecord(
        kb_version=kb.version,
        ranked=tuple((kb.condition_ids[i], float(posterior[i])) for i in order),
        also_present=also,
        certainty=certainty_of(float(posterior[order[0]])),
        triage=level,
        fired_rules=tuple(r.id for r in flags),
        back_link=back_link(kb.roles, known, (kb.condition_ids[int(order[0])], *also)),
        reasons=tuple(
            RecordReason(e.condition, r.question, r.finding, r.weight)
            for e in explanations
            for r in (*e.raised, *e.lowered)
        ),
        explained=tuple(e.condition for e in explanations),
        plan=tuple(item.id for item in plan),
        questions_asked=len(interview.answers),
        seconds_estimate=round(sum(kb.questions[a.question].seconds() for a in interview.answers), 1),
        stopped=interview.next_reason,
    )
    # The words come from one place, the same that words a stored record at view time.
    from .wording import render

    return render(kb, record, [a.to_dict() for a in interview.answers])


def certainty_of(probability: float) -> Certainty:
    """The words for how sure a leading cause of this probability is (CERTAINTY)."""
    return next(words for lowest, words in CERTAINTY if probability >= lowest)


def second_causes(kb: KnowledgeBase, joint: Vector, leading: int) -> tuple[str, ...]:
    """Conditions likely present together with the leading one: those whose pair with it
    is at least ALSO_PRESENT likely, most likely first.  When no listed cause fits
    (`other` leads) there is no second cause to name."""
    if kb.condition_ids[leading] == OTHER:
        return ()
    found = []
    for h, members in enumerate(kb.hypotheses.members):
        if len(members) == 2 and leading in members and joint[h] >= ALSO_PRESENT:
            other = members[1] if members[0] == leading else members[0]
            found.append((-float(joint[h]), kb.condition_ids[other]))
    return tuple(c for _, c in sorted(found))


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
    n = kb.n_hypotheses
    # Against every hypothesis without this condition, weighted by how likely it is now.
    without = np.array([index not in members for members in kb.hypotheses.members], dtype=float)
    others = interview.joint_posterior * without
    others = others / others.sum() if others.sum() > 0 else without / without.sum()
    alpha = kb.settings["tempering"]
    reasons: list[Reason] = []
    for ans in interview.answers:
        q = interview.question(ans.question)  # as the person read it
        for finding, findings, statement, said in _pieces(kb, q, ans.value):
            like = findings_likelihood(kb.evidence, findings, n)
            weight = alpha * float(np.log(like[index]) - np.log(float(others @ like)))
            if abs(weight) >= MIN_WEIGHT:
                plain = statement not in (q.text, *(o.label for o in q.options))
                reasons.append(Reason(q.id, finding, statement, said, weight, plain))
    raised = sorted((r for r in reasons if r.weight > 0), key=lambda r: -r.weight)
    lowered = sorted((r for r in reasons if r.weight < 0), key=lambda r: r.weight)
    return Explanation(kb.condition_ids[index], tuple(raised[:REASONS_EACH]), tuple(lowered[:REASONS_EACH]))


Piece = tuple[str | None, dict[str, Any], str, str]  # finding, findings set, statement, answer


def _pieces(kb: KnowledgeBase, q: Question, value: AnswerValue) -> list[Piece]:
    """An answer cut into the parts a person can recognise, each said plainly (the
    knowledge base's statements): each ticked box of a tick-list on its own, otherwise the
    whole answer.  Without a statement, the question's words and the answer stand in."""
    if q.kind == "multi":
        # An unticked box is not something a person remembers saying: explain by ticks.
        chosen = value if isinstance(value, list) else []
        boxes = [o for o in q.options if o.is_box and o.id in chosen]
        return [(fid, {fid: True}, _said(kb, fid, True) or o.label, "yes") for o in boxes for fid in o.sets]
    if q.kind == "number":
        if value is None or q.finding is None:
            return []
        number = float(value)  # type: ignore[arg-type]
        said = _said(kb, q.finding, number) or q.text
        return [(q.finding, {q.finding: number}, said, answer_label(q, value))]
    opt = q.option(value) if isinstance(value, str) else None
    if opt is None or opt.is_unsure:
        return []
    # A pick-one answer may set several findings; the first one it sets true says it best.
    said = next((_said(kb, f, v) for f, v in opt.sets.items() if v is True and _said(kb, f, v)), "")
    if not said and len(opt.sets) == 1:
        said = _said(kb, *next(iter(opt.sets.items())))
    return [(q.finding, dict(opt.sets), said or q.text, opt.label)]


def _said(kb: KnowledgeBase, finding: str, value: Any) -> str:
    statement = kb.statements.get(finding)
    return statement.of(value) if statement is not None else ""


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
        if not item.suits_person(known, fired, kb.roles):
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
