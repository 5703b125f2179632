"""Words at view time: a result record (ids and numbers) with the words of a knowledge
base put on it, in that base's language and in the wording of the day.

``render(kb, record, answers)`` gives the same :class:`~.result.Result` that
``Interview.result()`` gave when the record was made (a test holds them equal), so a stored
result can be shown in another language, or in improved words, without deciding again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .interview import as_read, findings_of_state
from .model import OTHER, AnswerValue, KnowledgeBase
from .record import RecordReason, ResultRecord
from .result import AnswerRecord, Explanation, Ranked, Reason, RedFlag, Result, _pieces, answer_label


def render(kb: KnowledgeBase, record: ResultRecord, answers: Iterable[Mapping[str, Any]]) -> Result:
    """``record`` in ``kb``'s words; ``answers`` are the stored {"question", "answer"} pairs
    it was decided from (for the reasons' statements and the summary of answers)."""
    stored = [a for a in answers if a.get("question") in kb.questions]
    given: dict[str, AnswerValue] = {a["question"]: a["answer"] for a in stored}
    known = findings_of_state(kb, {"version": kb.version, "answers": stored}) if stored else {}
    level = record.triage
    rules = {r.id: r for r in kb.rules}
    flags = [rules[r] for r in record.fired_rules if r in rules]
    action = flags[0].action if flags and flags[0].level == level else kb.texts.triage[level.name]["action"]
    named = (record.leading, *record.also_present)
    link_text = kb.texts.back_link[record.back_link]
    if record.back_link == "back_to_heel" and any(c not in kb.roles.from_the_spine for c in named):
        link_text = kb.texts.back_link_also
    items = {item.id: item for item in kb.plan}
    return Result(
        ranked=tuple(Ranked(c, kb.conditions[c].name, p) for c, p in record.ranked),
        also_present=record.also_present,
        certainty=record.certainty,
        certainty_text=kb.texts.certainty[record.certainty],
        headline=kb.texts.no_fit if record.leading == OTHER else kb.conditions[record.leading].name,
        triage=level,
        triage_title=kb.texts.triage[level.name]["title"],
        triage_action=action,
        red_flags=tuple(RedFlag(r.id, r.level.name, r.title, r.action) for r in flags),
        back_link=record.back_link,
        back_link_text=link_text,
        explanations=tuple(
            _explanation(kb, cid, [r for r in record.reasons if r.condition == cid], given, known)
            for cid in record.explained
        ),
        plan=tuple(items[i] for i in record.plan if i in items),
        answers=tuple(
            AnswerRecord(qid, (q := as_read(kb, kb.questions[qid], known)).text, answer_label(q, value))
            for qid, value in given.items()
        ),
        stopped=record.stopped,
        questions_asked=record.questions_asked,
        seconds_estimate=record.seconds_estimate,
        kb_version=record.kb_version,
        disclaimer=kb.texts.disclaimer,
    )


def _explanation(
    kb: KnowledgeBase,
    cid: str,
    reasons: list[RecordReason],
    given: Mapping[str, AnswerValue],
    known: Mapping[str, Any],
) -> Explanation:
    said = [_reason(kb, r, given, known) for r in reasons]
    found = [r for r in said if r is not None]
    return Explanation(cid, tuple(r for r in found if r.weight > 0), tuple(r for r in found if r.weight < 0))


def _reason(
    kb: KnowledgeBase, reason: RecordReason, given: Mapping[str, AnswerValue], known: Mapping[str, Any]
) -> Reason | None:
    if reason.question not in given or reason.question not in kb.questions:
        return None
    q = as_read(kb, kb.questions[reason.question], known)
    for finding, _, statement, answer in _pieces(kb, q, given[reason.question]):
        if finding == reason.finding:
            plain = statement not in (q.text, *(o.label for o in q.options))
            return Reason(q.id, finding, statement, answer, reason.weight, plain)
    return None
