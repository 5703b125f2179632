"""What the engine decided about one person, as ids and numbers only.

A :class:`ResultRecord` holds no words: the causes by id with their probabilities, the
causes present as well, the care level, the rules that fired, the heel–back link, the
reasons (which answer moved which cause, by how much), the plan by item id.  It is what a
server keeps of a finished assessment; the words (in any language, in the wording of the
day) are put on it at view time from the knowledge base.  ``RECORD_VERSION`` changes when
the shape does, and :meth:`ResultRecord.from_json` refuses what it cannot read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .model import BackLink, Certainty, Triage

if TYPE_CHECKING:
    from .result import Result

RECORD_VERSION = 1


class RecordError(ValueError):
    """A stored record that this version cannot read."""


@dataclass(frozen=True)
class RecordReason:
    condition: str  # the cause the answer moved
    question: str
    finding: str | None
    weight: float  # log-odds added (positive) or taken away (negative)


@dataclass(frozen=True)
class ResultRecord:
    kb_version: str
    ranked: tuple[tuple[str, float], ...]  # (condition id, probability), leading first
    also_present: tuple[str, ...]
    certainty: Certainty
    triage: Triage
    fired_rules: tuple[str, ...]  # most urgent first
    back_link: BackLink
    reasons: tuple[RecordReason, ...]
    explained: tuple[str, ...]  # the conditions whose reasons are given, in order
    plan: tuple[str, ...]  # plan item ids, in the order shown
    questions_asked: int
    seconds_estimate: float
    stopped: str  # why the interview stopped (the selector's reason)
    record_version: int = RECORD_VERSION

    @property
    def leading(self) -> str:
        return self.ranked[0][0]

    @classmethod
    def of(cls, result: Result) -> ResultRecord:
        return cls(
            kb_version=result.kb_version,
            ranked=tuple((r.condition, r.probability) for r in result.ranked),
            also_present=result.also_present,
            certainty=result.certainty,
            triage=result.triage,
            fired_rules=tuple(f.id for f in result.red_flags),
            back_link=result.back_link,
            reasons=tuple(
                RecordReason(e.condition, r.question, r.finding, r.weight)
                for e in result.explanations
                for r in (*e.raised, *e.lowered)
            ),
            explained=tuple(e.condition for e in result.explanations),
            plan=tuple(item.id for item in result.plan),
            questions_asked=result.questions_asked,
            seconds_estimate=result.seconds_estimate,
            stopped=result.stopped,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "record_version": self.record_version,
            "kb_version": self.kb_version,
            # Numbers are kept whole (JSON keeps a float exactly): rounding is for display.
            "ranked": [[c, p] for c, p in self.ranked],
            "also_present": list(self.also_present),
            "certainty": self.certainty.value,
            "triage": self.triage.name,
            "fired_rules": list(self.fired_rules),
            "back_link": self.back_link.value,
            "reasons": [[r.condition, r.question, r.finding, r.weight] for r in self.reasons],
            "explained": list(self.explained),
            "plan": list(self.plan),
            "questions_asked": self.questions_asked,
            "seconds_estimate": self.seconds_estimate,
            "stopped": self.stopped,
        }

    @classmethod
    def from_json(cls, data: object) -> ResultRecord:
        """The record of :meth:`to_json` output; RecordError for anything else."""
        if not isinstance(data, Mapping) or data.get("record_version") != RECORD_VERSION:
            raise RecordError(f"not a result record of version {RECORD_VERSION}")
        try:
            record = cls(
                kb_version=str(data["kb_version"]),
                ranked=tuple((str(c), float(p)) for c, p in data["ranked"]),
                also_present=tuple(str(c) for c in data["also_present"]),
                certainty=Certainty(data["certainty"]),
                triage=Triage[data["triage"]],
                fired_rules=tuple(str(r) for r in data["fired_rules"]),
                back_link=BackLink(data["back_link"]),
                reasons=tuple(
                    RecordReason(str(c), str(q), None if f is None else str(f), float(w))
                    for c, q, f, w in data["reasons"]
                ),
                explained=tuple(str(c) for c in data["explained"]),
                plan=tuple(str(p) for p in data["plan"]),
                questions_asked=int(data["questions_asked"]),
                seconds_estimate=float(data["seconds_estimate"]),
                stopped=str(data["stopped"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise RecordError(f"a result record with a missing or malformed field ({exc})") from exc
        if not record.ranked:
            raise RecordError("a result record needs a ranking")
        return record

    @classmethod
    def from_stored_result(cls, result: Mapping[str, Any], kb_version: str) -> ResultRecord:
        """The record of a result stored, before records existed, as ``Result.to_dict()``:
        for the migration that converts every stored result (issue 12)."""
        ranked = tuple((str(c), float(p)) for c, p in result["ranked"])
        also = tuple(str(c) for c in result.get("also_present", ()))
        certainty = result.get("certainty")
        return cls(
            kb_version=str(result.get("kb_version") or kb_version),
            ranked=ranked,
            also_present=also,
            certainty=Certainty(certainty) if certainty in {c.value for c in Certainty} else _words(ranked),
            triage=Triage[result["triage"]],
            fired_rules=tuple(str(f["id"]) for f in result.get("red_flags", ())),
            back_link=BackLink(result.get("back_link", "none")),
            reasons=tuple(
                RecordReason(str(e["condition"]), str(r["question"]), r.get("finding"), float(r["weight"]))
                for e in result.get("explanations", ())
                for r in (*e.get("raised", ()), *e.get("lowered", ()))
            ),
            explained=tuple(str(e["condition"]) for e in result.get("explanations", ())),
            plan=tuple(str(item["id"]) for item in result.get("plan", ())),
            questions_asked=int(result.get("questions_asked", 0)),
            seconds_estimate=float(result.get("seconds_estimate", 0.0)),
            stopped=str(result.get("stopped", "")),
        )


def _words(ranked: tuple[tuple[str, float], ...]) -> Certainty:
    from .result import certainty_of

    return certainty_of(ranked[0][1])
