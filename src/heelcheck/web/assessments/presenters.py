"""What the templates show, built from the engine's objects and the stored result.

No clinical logic: ranking, triage, explanations and the plan all come from the engine's
stored ``Result.to_dict()``; this only arranges them for a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from heelcheck.engine import Condition, Interview, KnowledgeBase, Question
from heelcheck.engine.model import OTHER
from heelcheck.engine.result import SHOW_AT_LEAST

from ..clinic import Clinic
from .flows import Flow
from .models import Assessment

ILLUSTRATIONS = frozenset({"calf_stretch", "plantar_stretch", "heel_drop", "towel_curl", "core_bridge"})
TOP = 3


@dataclass
class Choice:
    id: str
    label: str
    chosen: bool
    exclusive: bool = False


@dataclass
class QuestionPage:
    question: Question
    choices: list[Choice]
    number: str  # prefilled number, as typed
    unsure_chosen: bool
    step: int  # 1-based position of this question in the interview
    answered: int
    total: int  # estimated, moves as answers come in
    revisiting: bool
    back_url: str
    foot_map: bool
    revision: int
    error: str = ""
    notice: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def progress_label(self) -> str:
        if self.revisiting:
            return _("Question %(step)d, answered before: you can change it") % {"step": self.step}
        return _("Question %(step)d of about %(total)d") % {"step": self.step, "total": self.total}


def question_page(
    assessment: Assessment,
    interview: Interview,
    question: Question,
    flow: Flow,
    *,
    submitted: object = None,
) -> QuestionPage:
    """The page for ``question``: the current one, or an earlier one to change."""
    order = [a.question for a in interview.answers]
    stored = {a.question: a.value for a in interview.answers}
    revisiting = question.id in stored
    step = order.index(question.id) + 1 if revisiting else len(order) + 1
    value = submitted if submitted is not None else stored.get(question.id)
    back_url = flow.revisit(order[step - 2]) if step > 1 else flow.home
    chosen = set(value) if isinstance(value, list) else {value}
    answered, total = interview.progress()
    return QuestionPage(
        question=question,
        choices=[Choice(o.id, o.label, o.id in chosen, o.exclusive) for o in question.options],
        number="" if value is None or isinstance(value, list) else str(value),
        unsure_chosen=revisiting and question.kind == "number" and value is None,
        step=step,
        answered=answered,
        # An estimate never claims a page is the last before it is: "6 of about 6" followed by
        # a seventh question reads as a broken promise (issue 13).
        total=max(total, step + 1),
        revisiting=revisiting,
        back_url=back_url,
        foot_map=question.id == interview.kb.roles.foot_map,
        revision=assessment.revision,
    )


def next_url(flow: Flow, interview: Interview, answered: str, revisited: bool) -> str:
    """Where to go after an answer: after changing an earlier answer, the question that now
    follows it (so Back, Back, change, Next, Next walks through); otherwise onwards."""
    if revisited:
        order = [a.question for a in interview.answers]
        if answered in order and order.index(answered) + 1 < len(order):
            return flow.revisit(order[order.index(answered) + 1])
    return flow.question


def _percent(p: float) -> int:
    return round(100 * p)


@dataclass(frozen=True)
class Action:
    """A button under the result's one instruction: a number to tap, or the clinic's booking."""

    label: str
    href: str
    call: bool  # a tel: link


def care_actions(level: str, clinic: Clinic | None) -> list[Action]:
    """What a person can tap to act on the care level, from the clinic file: the emergency
    number for an emergency; the same-day line and the clinic's phone when it is urgent; the
    clinic's booking and phone otherwise. Without a clinic file, nothing (the instruction's
    own words say where to turn)."""
    if clinic is None:
        return []

    def call(name: str, number: str) -> Action:
        return Action(
            _("Call %(name)s: %(number)s") % {"name": name, "number": number}, clinic.tel(number), True
        )

    found: list[Action] = []
    if level == "emergency" and clinic.emergency_number:
        found.append(Action(_("Call %(number)s now") % {"number": clinic.emergency_number},
                            clinic.tel(clinic.emergency_number), True))  # fmt: skip
    advice = clinic.urgent_advice
    if level == "urgent" and advice is not None:
        found.append(
            call(advice.name, advice.number) if advice.number else Action(advice.name, advice.url, False)
        )
    if level in ("soon", "self_care") and clinic.booking_url:
        found.append(Action(_("Book at %(name)s") % {"name": clinic.name}, clinic.booking_url, False))
    if level != "emergency" and clinic.phone:
        found.append(call(clinic.name, clinic.phone))
    return found


@dataclass
class Cause:
    """A cause the result names (the leading one, or one present as well) and what
    the person said that fits it or does not."""

    condition: Condition
    raised: list[dict[str, str]]
    lowered: list[dict[str, str]]


def result_page(result: dict[str, Any], kb: KnowledgeBase, clinic: Clinic | None = None) -> dict[str, Any]:
    """Everything the result and print pages show, from a stored ``Result.to_dict()``."""
    ranked = result.get("conditions") or [
        {"condition": cid, "name": cid, "probability": p} for cid, p in result.get("ranked", [])
    ]
    also = [c for c in result.get("also_present", []) if c in kb.conditions]
    # Rows worth a person's attention: the leading cause, any cause present as well, and
    # others at least SHOW_AT_LEAST likely (Result.shown), at most TOP of them.
    shown = [
        r
        for i, r in enumerate(ranked)
        if i == 0 or r["condition"] in also or r["probability"] >= SHOW_AT_LEAST
    ][: max(TOP, 1 + len(also))]
    top = [
        {
            "id": r["condition"],
            "name": r["name"],
            "percent": _percent(r["probability"]),
            "bar": max(1, _percent(r["probability"])),
            "also": r["condition"] in also,
        }
        for r in shown
    ]
    leading = top[0] if top else None
    explanations = {e["condition"]: e for e in result.get("explanations", [])}
    present = [leading["id"], *also] if leading is not None else []
    causes = [
        Cause(
            kb.conditions[cid],
            [_reason(r) for r in explanations.get(cid, {}).get("raised", [])],
            [_reason(r) for r in explanations.get(cid, {}).get("lowered", [])],
        )
        for cid in present
        if cid in kb.conditions
    ]
    condition = causes[0].condition if causes else None
    plan = [{**item, "picture": item.get("illustration") in ILLUSTRATIONS} for item in result.get("plan", [])]
    level = result.get("triage", "soon")
    return {
        "level": level,
        "care_actions": care_actions(level, clinic),
        "alarm": level in ("emergency", "urgent"),
        "triage_title": result.get("triage_title", ""),
        "triage_action": result.get("triage_action", ""),
        "red_flags": result.get("red_flags", []),
        "top": top,
        "leading": leading,
        "fits": leading is not None and leading["id"] != OTHER,
        "headline": result.get("headline", leading["name"] if leading is not None else ""),
        "certainty": result.get("certainty_text", ""),
        "also": [kb.conditions[c].name for c in also],
        "causes": causes,
        "condition": condition,
        "raised": causes[0].raised if causes else [],
        "lowered": causes[0].lowered if causes else [],
        "no_plan": [c.condition.no_plan for c in causes if c.condition.no_plan],
        "back_link": result.get("back_link", "none"),
        "back_link_text": result.get("back_link_text", ""),
        "plan": plan,
        "answers": result.get("answers", []),
        "kb_version": result.get("kb_version", ""),
        "disclaimer": result.get("disclaimer", ""),
    }


def _reason(reason: dict[str, Any]) -> dict[str, str]:
    """A plain statement ("Pain with the first steps in the morning."), or, for an answer
    the knowledge base has no statement for, the question's words with the answer."""
    said = str(reason.get("answer", ""))
    if reason.get("plain", False):
        said = ""
    elif said in ("yes", "no"):  # a box of a tick-list, ticked or not
        said = _("ticked") if said == "yes" else _("not ticked")
    return {"statement": str(reason.get("statement", "")), "answer": said}
