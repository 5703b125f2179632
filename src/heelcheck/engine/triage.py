"""Deterministic red-flag rules and the final care level.

A finding is in one of four states: true, false, "not sure" (asked, no answer), or not
asked yet.  A clause holds when any of its findings is true, or "not sure" for a finding
the rule lists in ``unsure_counts``; it fails when none of its findings can still make
it hold.  A rule fires when every clause holds, the person's age is within the rule's
ages (an unknown age always is: safety first), and none of its ``unless`` findings is
true; it is settled when it fired, a clause failed, or an ``unless`` finding is true.
Probabilities never enter here; :func:`care_level` may only add to what the rules decide.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from .model import FindingValue, KnowledgeBase, Rule, Triage, Vector, ages_admit

UNSURE = None  # the value recorded for a finding answered "not sure"


class ClauseState(Enum):
    HOLDS = "holds"
    FAILS = "fails"
    OPEN = "open"


def clause_state(
    clause: tuple[str, ...], rule: Rule, known: Mapping[str, FindingValue | None]
) -> ClauseState:
    open_ = False
    for fid in clause:
        if fid not in known:
            open_ = True
        elif known[fid] is True or (known[fid] is UNSURE and fid in rule.unsure_counts):
            return ClauseState.HOLDS
    return ClauseState.OPEN if open_ else ClauseState.FAILS


def applies(rule: Rule, known: Mapping[str, FindingValue | None], age: str) -> bool:
    """Whether the rule is for this person at all: their age (``age``: the id of the age
    finding, ``Roles.age``), and no ``unless`` finding."""
    return ages_admit(rule.ages, known.get(age)) and not any(known.get(f) is True for f in rule.unless)


def fired(rule: Rule, known: Mapping[str, FindingValue | None], age: str) -> bool:
    return applies(rule, known, age) and all(
        clause_state(c, rule, known) is ClauseState.HOLDS for c in rule.clauses
    )


def open_findings(rule: Rule, known: Mapping[str, FindingValue | None], age: str) -> list[str]:
    """The findings still worth asking to settle a rule that has begun to fire: empty
    when the rule cannot fire for this person, has a failed clause, or has no clause
    holding yet.  Once every clause holds, its ``unless`` findings are asked."""
    if not applies(rule, known, age):
        return []
    states = [clause_state(c, rule, known) for c in rule.clauses]
    if ClauseState.FAILS in states or ClauseState.HOLDS not in states:
        return []
    if all(state is ClauseState.HOLDS for state in states):
        return [fid for fid in rule.unless if fid not in known]
    return [
        fid
        for clause, state in zip(rule.clauses, states, strict=True)
        if state is ClauseState.OPEN
        for fid in clause
        if fid not in known
    ]


@dataclass(frozen=True)
class TriageDecision:
    level: Triage
    fired: tuple[Rule, ...]
    from_conditions: tuple[str, ...]  # conditions whose usual care set or raised the level


def care_level(
    kb: KnowledgeBase, known: Mapping[str, FindingValue | None], posterior: Vector
) -> TriageDecision:
    """The most urgent of the fired rules, the leading condition's usual care, and the
    usual care of any condition at least ``care_threshold`` likely."""
    rules = tuple(r for r in kb.rules if fired(r, known, kb.roles.age))
    level = max((r.level for r in rules), default=Triage.self_care)
    threshold = kb.settings["care_threshold"]
    top = int(posterior.argmax())
    raising = []
    for i, cid in enumerate(kb.condition_ids):
        care = kb.conditions[cid].care
        if (i == top or posterior[i] >= threshold) and care > Triage.self_care:
            raising.append(cid)
            level = max(level, care)
    return TriageDecision(Triage(level), rules, tuple(raising))
