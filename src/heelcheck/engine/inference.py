"""Bayesian arithmetic: how likely an answer is under each condition, and what a
question is expected to teach.

Answers are combined as independent evidence given the condition (naive Bayes) in the
log domain, each scaled by the knowledge base's tempering factor because real findings
travel together.  All vectors are in the order of ``KnowledgeBase.condition_ids``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .model import UNSURE_OPTION, AnswerValue, Evidence, FindingValue, Question, Vector


def findings_of_answer(question: Question, value: AnswerValue) -> dict[str, FindingValue]:
    """The findings an already-validated answer sets ("not sure" sets none)."""
    if question.kind == "number":
        assert question.finding is not None
        return {} if value is None else {question.finding: float(value)}  # type: ignore[arg-type]
    if question.kind == "multi":
        # A finding is true when any box that sets it is ticked.  The boxes left unticked
        # mean "no", unless "Not sure" is ticked too: then they are not known.
        ticked = set(value) if isinstance(value, list) else set()
        unsure = UNSURE_OPTION in ticked
        found: dict[str, FindingValue] = {}
        for opt in question.options:
            if not opt.is_box:
                continue
            for fid in opt.sets:
                if opt.id in ticked:
                    found[fid] = True
                elif not unsure:
                    found.setdefault(fid, False)
        return found
    assert isinstance(value, str)
    chosen = question.option(value)
    assert chosen is not None
    return dict(chosen.sets)


def findings_likelihood(
    evidence: Mapping[str, Evidence], findings: Mapping[str, FindingValue], n: int
) -> Vector:
    """P(these finding values | condition), treating findings as independent."""
    like = np.ones(n)
    for fid, value in findings.items():
        ev = evidence.get(fid)
        if ev is not None:
            like = like * ev.likelihood(value)
    return like


def answer_likelihood(
    question: Question, value: AnswerValue, evidence: Mapping[str, Evidence], n: int
) -> Vector:
    """P(this answer | condition).  For pick-one questions the options' probabilities are
    renormalised so that, for every condition, the definite options sum to one."""
    like = findings_likelihood(evidence, findings_of_answer(question, value), n)
    if question.kind in ("single", "yes_no") and not _is_unsure(question, value):
        like = like / _definite_total(question, evidence, n)
    return like


def outcome_matrix(question: Question, evidence: Mapping[str, Evidence], n: int) -> Vector:
    """P(outcome | condition) for every definite outcome of a question, rows × conditions.

    Used to score questions before they are asked.  A tick-list has one outcome per
    combination of the options that carry evidence; options without evidence cannot
    change the posterior and are left out.  A question with no evidence has one row of
    ones (it teaches nothing)."""
    if question.kind == "number":
        ev = evidence.get(question.finding or "")
        return ev.table.copy() if ev is not None and ev.edges else np.ones((1, n))
    if question.kind == "multi":
        rows = np.ones((1, n))
        for fid in question.findings:
            ev = evidence.get(fid)
            if ev is not None:
                p = ev.table[0]
                rows = np.concatenate([rows * (1.0 - p), rows * p])
        return rows
    definite = [o for o in question.options if not o.is_unsure]
    table = np.array([findings_likelihood(evidence, o.sets, n) for o in definite])
    normalised: Vector = table / table.sum(axis=0)
    return normalised


def _is_unsure(question: Question, value: AnswerValue) -> bool:
    opt = question.option(value) if isinstance(value, str) else None
    return opt is None or opt.is_unsure


def _definite_total(question: Question, evidence: Mapping[str, Evidence], n: int) -> Vector:
    total = np.zeros(n)
    for opt in question.options:
        if not opt.is_unsure:
            total = total + findings_likelihood(evidence, opt.sets, n)
    return total


def normalise_log(log_weights: Vector) -> Vector:
    shifted = np.exp(log_weights - log_weights.max())
    result: Vector = shifted / shifted.sum()
    return result


def entropy(p: Vector) -> float:
    nz = p[p > 0]
    return float(-(nz * np.log2(nz)).sum())


class GainTable:
    """Every question's outcome matrix stacked into one array, so that the expected
    information gain of all candidate questions is a handful of vector operations."""

    def __init__(self, question_ids: Sequence[str], matrices: Sequence[Vector]) -> None:
        self.question_ids = tuple(question_ids)
        sizes = [m.shape[0] for m in matrices]
        self.starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.intp)
        self.stacked = np.vstack(matrices)

    def gains(self, posterior: Vector) -> Vector:
        """Expected reduction of the posterior's entropy, in bits, for every question."""
        joint = self.stacked * posterior
        outcome_p = joint.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            joint_term = np.where(joint > 0, joint * np.log2(joint), 0.0).sum(axis=1)
            outcome_term = np.where(outcome_p > 0, outcome_p * np.log2(outcome_p), 0.0)
        expected_entropy = -(
            np.add.reduceat(joint_term, self.starts) - np.add.reduceat(outcome_term, self.starts)
        )
        result: Vector = entropy(posterior) - expected_entropy
        return result
