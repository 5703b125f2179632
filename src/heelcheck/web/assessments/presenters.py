"""What the templates show, built from the engine's objects and the stored result.

No clinical logic: ranking, triage, explanations and the plan all come from the engine's
stored ``Result.to_dict()``; this only arranges them for a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from heelcheck.engine import Interview, KnowledgeBase, Question

from .flows import Flow
from .models import Assessment

ILLUSTRATIONS = frozenset({"calf_stretch", "plantar_stretch", "heel_drop", "towel_curl", "core_bridge"})
FOOT_MAP_QUESTION = "where"
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
            return f"Question {self.step}, answered before: you can change it"
        return f"Question {self.step} of about {self.total}"


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
        total=max(total, step),
        revisiting=revisiting,
        back_url=back_url,
        foot_map=question.id == FOOT_MAP_QUESTION,
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


def result_page(result: dict[str, Any], kb: KnowledgeBase) -> dict[str, Any]:
    """Everything the result and print pages show, from a stored ``Result.to_dict()``."""
    ranked = result.get("conditions") or [
        {"condition": cid, "name": cid, "probability": p} for cid, p in result.get("ranked", [])
    ]
    top = [
        {
            "id": r["condition"],
            "name": r["name"],
            "percent": _percent(r["probability"]),
            "bar": max(1, _percent(r["probability"])),
        }
        for r in ranked[:TOP]
    ]
    leading = top[0] if top else None
    explanations = {e["condition"]: e for e in result.get("explanations", [])}
    explained = explanations.get(leading["id"], {}) if leading else {}
    condition = kb.conditions.get(leading["id"]) if leading else None
    plan = [{**item, "picture": item.get("illustration") in ILLUSTRATIONS} for item in result.get("plan", [])]
    level = result.get("triage", "soon")
    return {
        "level": level,
        "alarm": level in ("emergency", "urgent"),
        "triage_title": result.get("triage_title", ""),
        "triage_action": result.get("triage_action", ""),
        "red_flags": result.get("red_flags", []),
        "top": top,
        "leading": leading,
        "condition": condition,
        "raised": [_reason(r) for r in explained.get("raised", [])],
        "lowered": [_reason(r) for r in explained.get("lowered", [])],
        "back_link": result.get("back_link", "none"),
        "back_link_text": result.get("back_link_text", ""),
        "plan": plan,
        "answers": result.get("answers", []),
        "kb_version": result.get("kb_version", ""),
        "disclaimer": result.get("disclaimer", ""),
    }


def _reason(reason: dict[str, Any]) -> dict[str, str]:
    said = str(reason.get("answer", ""))
    if said in ("yes", "no"):  # a box of a tick-list, ticked or not
        said = "ticked" if said == "yes" else "not ticked"
    return {"statement": str(reason.get("statement", "")), "answer": said}
