"""Run clinical vignettes through the real engine and score the results.

A simulated respondent answers exactly as ``shared/vignettes/README.md`` says: an
unlisted yes/no fact is "no", an unlisted number is "not sure", a tick-list is ticked
where the facts are true, a single choice takes the first option whose findings match,
and only questions the engine asks are answered.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .engine import Interview, KnowledgeBase, Question, Result, Triage, answer_label
from .engine.model import NONE_OPTION, UNSURE_OPTION, AnswerValue, Audience, FindingValue, Option

Facts = Mapping[str, Any]


# Facts a vignette implies without listing them (shared/vignettes/README.md).
IMPLIED: Mapping[str, Mapping[str, FindingValue]] = {
    "self_care_failed": {"self_care_tried": True},
    "fluoroquinolone_now": {"fluoroquinolone_recent": True},
}
UNSURE = "unsure"  # a fact the person does not know


def person_facts(facts: Facts, kb: KnowledgeBase) -> dict[str, Any]:
    """A vignette's facts with what they imply, and the person answering for themselves
    unless the vignette says otherwise."""
    full: dict[str, Any] = {kb.roles.respondent: Audience.self.value, **facts}
    for fid, value in facts.items():
        if value is True:
            for implied, implied_value in IMPLIED.get(fid, {}).items():
                full.setdefault(implied, implied_value)
    return full


def respond(question: Question, facts: Facts, kb: KnowledgeBase) -> AnswerValue:
    """The answer a vignette's patient gives to one question."""
    facts = person_facts(facts, kb)

    def fact(fid: str) -> FindingValue | None:
        if fid in facts:
            value: FindingValue = facts[fid]
            return value
        return False if kb.findings[fid].type == "bool" else None

    if question.kind == "number":
        assert question.finding is not None
        value = fact(question.finding)
        if value is None or value == UNSURE:
            return None
        return min(max(float(value), question.minimum), question.maximum)
    offers_unsure = question.option(UNSURE_OPTION) is not None
    if question.kind == "multi":
        boxes = [o for o in question.options if o.is_box]
        ticked = [o.id for o in boxes if all(fact(f) is True for f in o.sets)]
        doubt = any(fact(f) == UNSURE for o in boxes for f in o.sets)
        if doubt and offers_unsure:
            return [*ticked, UNSURE_OPTION]
        return ticked or [NONE_OPTION]

    def matches(opt: Option, unsure_is_false: bool) -> bool:
        def same(fid: str, wanted: FindingValue) -> bool:
            have = fact(fid)
            if have == UNSURE:
                return unsure_is_false and wanted is False
            return have == wanted

        return not opt.is_unsure and all(same(f, v) for f, v in opt.sets.items())

    for opt in question.options:
        if matches(opt, unsure_is_false=False):
            return opt.id
    unsure = next((o for o in question.options if o.is_unsure), None)
    if unsure is not None:
        return unsure.id
    # No "not sure" to give: a fact the person does not know is answered "no".
    for opt in question.options:
        if matches(opt, unsure_is_false=True):
            return opt.id
    raise ValueError(f"question '{question.id}' has no option matching the facts")


def run_vignette(kb: KnowledgeBase, facts: Facts) -> tuple[Interview, list[dict[str, Any]]]:
    interview = Interview.start(kb)
    transcript = []
    while (q := interview.next_question) is not None:
        value = respond(q, facts, kb)
        transcript.append(
            {
                "question": q.id,
                "text": q.text,
                "options": [o.label for o in q.options],
                "answer": answer_label(q, value),
            }
        )
        interview = interview.answer(q.id, value)
    return interview, transcript


@dataclass
class Score:
    n: int = 0
    top1: int = 0
    top3: int = 0
    triage_exact: int = 0
    triage_safe: int = 0
    over_triage: int = 0
    must_be_safe: int = 0
    under_triaged: list[str] = field(default_factory=list)
    under_triaged_urgent: list[str] = field(default_factory=list)
    missed_top1: list[str] = field(default_factory=list)
    back_link_n: int = 0
    back_link_ok: int = 0
    also_present_n: int = 0  # second causes the vignettes list
    also_present_found: int = 0
    missed_also_present: list[str] = field(default_factory=list)
    questions: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    questions_by_condition: dict[str, list[int]] = field(default_factory=dict)

    def add(self, vignette: Mapping[str, Any], result: Result) -> None:
        exp = vignette["expected"]
        vid = str(vignette["id"])
        ranked = [r.condition for r in result.ranked]
        self.n += 1
        if ranked[0] in {exp["condition"], *(exp.get("also_acceptable") or [])}:
            self.top1 += 1
        else:
            self.missed_top1.append(f"{vid}: {ranked[0]} (expected {exp['condition']})")
        self.top3 += exp["condition"] in ranked[:3]
        expected = Triage[exp["triage"]]
        self.triage_exact += result.triage == expected
        if result.triage >= expected:
            self.triage_safe += 1
        else:
            self.under_triaged.append(f"{vid}: {result.triage.name} < {expected.name}")
        if expected >= Triage.urgent:
            self.must_be_safe += 1
            if result.triage < expected:
                self.under_triaged_urgent.append(vid)
        self.over_triage += result.triage > expected
        if "back_link" in exp:
            self.back_link_n += 1
            self.back_link_ok += result.back_link == exp["back_link"]
        # As the vignette README scores it: the result must list it as present as well.
        for cid in exp.get("also_present") or []:
            self.also_present_n += 1
            if cid in result.also_present:
                self.also_present_found += 1
            else:
                self.missed_also_present.append(f"{vid}: {cid}")
        self.questions.append(result.questions_asked)
        self.questions_by_condition.setdefault(exp["condition"], []).append(result.questions_asked)
        self.seconds.append(result.seconds_estimate)

    def summary(self) -> dict[str, Any]:
        def pct(k: int, n: int) -> float:
            return round(100.0 * k / n, 1) if n else 100.0

        return {
            "vignettes": self.n,
            "top1_pct": pct(self.top1, self.n),
            "top3_pct": pct(self.top3, self.n),
            "triage_exact_pct": pct(self.triage_exact, self.n),
            "triage_safe_pct": pct(self.triage_safe, self.n),
            "urgent_or_emergency": self.must_be_safe,
            "under_triaged": self.under_triaged,
            "under_triaged_urgent_or_emergency": self.under_triaged_urgent,
            "over_triage_pct": pct(self.over_triage, self.n),
            "back_link_pct": pct(self.back_link_ok, self.back_link_n),
            "back_link_scored": self.back_link_n,
            "also_present_pct": pct(self.also_present_found, self.also_present_n),
            "also_present_scored": self.also_present_n,
            "missed_also_present": self.missed_also_present,
            "missed_top1": self.missed_top1,
            "questions": _spread(self.questions),
            "questions_median_by_condition": {
                c: float(statistics.median(n)) for c, n in sorted(self.questions_by_condition.items())
            },
            "seconds": _spread(self.seconds),
        }


def _spread(values: list[int] | list[float]) -> dict[str, float]:
    if not values:
        return {"median": 0.0, "p90": 0.0, "max": 0.0}
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return {
        "median": float(statistics.median(ordered)),
        "p90": float(p90),
        "max": float(ordered[-1]),
    }


def load_vignettes(path: Path | str) -> list[dict[str, Any]]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{path}: a vignette file must be a YAML list")
    return data


def evaluate(kb: KnowledgeBase, vignettes: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    score = Score()
    runs = []
    for v in vignettes:
        interview, transcript = run_vignette(kb, v["facts"])
        result = interview.result()
        score.add(v, result)
        runs.append(
            {
                "id": v["id"],
                "ranked": [[r.condition, round(r.probability, 4)] for r in result.ranked],
                "triage": result.triage.name,
                "back_link": result.back_link.value,
                "also_present": list(result.also_present),
                "transcript": transcript,
            }
        )
    return {"vignettes": runs, "summary": score.summary()}


# Facts that many people with heel pain report whatever the cause: the kind of
# irrelevant detail a real respondent adds.
COMMON_EXTRAS = (
    "sedentary",
    "long_sitting",
    "weight_gain_recent",
    "shoes_flat_worn",
    "reduced_activity",
    "end_of_day_pain",
)


def kept_facts(kb: KnowledgeBase) -> frozenset[str]:
    """Facts that decide safety, which a variant never forgets (the rules would then be
    scored on a different patient): every finding a red-flag rule reads, and the age and
    the respondent, which every rule's age limit and every question's wording read."""
    return frozenset(fid for rule in kb.rules for fid in rule.findings) | {kb.roles.age, kb.roles.respondent}


def imperfect_variants(
    kb: KnowledgeBase, vignettes: Iterable[Mapping[str, Any]], seed: int = 7
) -> list[dict[str, Any]]:
    """For each vignette, one copy with a random non-safety fact forgotten and one
    with a common irrelevant fact added: answered imperfectly, as real people do."""
    rng = random.Random(seed)
    keep = kept_facts(kb)
    out: list[dict[str, Any]] = []
    for v in vignettes:
        facts = dict(v["facts"])
        droppable = sorted(k for k, val in facts.items() if val is True and k not in keep)
        if droppable:
            gone = rng.choice(droppable)
            out.append(
                {
                    **v,
                    "id": f"{v['id']}-forgot-{gone}",
                    "facts": {k: x for k, x in facts.items() if k != gone},
                }
            )
        addable = [k for k in COMMON_EXTRAS if not facts.get(k)]
        if addable:
            extra = rng.choice(addable)
            out.append({**v, "id": f"{v['id']}-added-{extra}", "facts": {**facts, extra: True}})
    return out


def format_summary(summary: Mapping[str, Any]) -> str:
    q, s = summary["questions"], summary["seconds"]
    lines = [
        f"vignettes          {summary['vignettes']}",
        f"top-1              {summary['top1_pct']:.1f} %",
        f"top-3              {summary['top3_pct']:.1f} %",
        f"triage exact       {summary['triage_exact_pct']:.1f} %",
        f"triage safe        {summary['triage_safe_pct']:.1f} %  "
        f"(urgent/emergency under-triaged: {len(summary['under_triaged_urgent_or_emergency'])}"
        f" of {summary['urgent_or_emergency']})",
        f"over-triage        {summary['over_triage_pct']:.1f} %",
        f"back-link          {summary['back_link_pct']:.1f} % of {summary['back_link_scored']}",
        f"second causes      {summary['also_present_pct']:.1f} % of {summary['also_present_scored']}",
        f"questions          median {q['median']:g}, p90 {q['p90']:g}, max {q['max']:g}",
        f"estimated seconds  median {s['median']:.0f}, p90 {s['p90']:.0f}, max {s['max']:.0f}",
    ]
    by_condition = summary.get("questions_median_by_condition") or {}
    if by_condition:
        lines.append("questions, median  " + ", ".join(f"{c} {n:g}" for c, n in by_condition.items()))
    if summary["under_triaged"]:
        lines.append("under-triaged      " + "; ".join(summary["under_triaged"]))
    if summary["missed_top1"]:
        lines.append("missed top-1       " + "; ".join(summary["missed_top1"]))
    if summary["missed_also_present"]:
        lines.append("missed 2nd cause   " + "; ".join(summary["missed_also_present"]))
    return "\n".join(lines)
