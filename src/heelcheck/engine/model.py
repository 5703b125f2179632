"""The knowledge base as typed, immutable values.

Everything here is built once by :mod:`heelcheck.engine.loader` from the YAML files in
``heelcheck/knowledge`` and then only read.  Probabilities are held as NumPy vectors in
the order of ``KnowledgeBase.condition_ids`` so that inference is a few vector products.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import Enum, IntEnum, StrEnum
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float64]
FindingValue = bool | float | str
QuestionKind = Literal["yes_no", "single", "multi", "number"]
AnswerValue = str | list[str] | float | int | None


class Triage(IntEnum):
    """Urgency of care; a larger value is more urgent."""

    self_care = 0
    soon = 1
    urgent = 2
    emergency = 3

    @classmethod
    def parse(cls, name: str) -> Triage:
        return cls[name]


class BackLink(StrEnum):
    """Which way heel pain and low back pain are linked (engine/backlink.py).  The values
    are what results store and the API returns."""

    heel_to_back = "heel_to_back"  # the heel pain came first and strains the back
    back_to_heel = "back_to_heel"  # a nerve cause in the spine sends symptoms to the heel
    unclear = "unclear"
    none = "none"  # no back pain reported


class Certainty(Enum):
    """How sure a result is of its leading cause, in words backed by the number."""

    very_likely = "very_likely"
    likely = "likely"
    possible = "possible"


OTHER = "other"  # the spec's condition for "none of the listed causes fits well"

NONE_OPTION = "none"  # the exclusive "None of these" of every tick-list
UNSURE_OPTION = "unsure"  # "Not sure", of a question that offers it

Ages = tuple[float, float]  # [low, high) in years


class Audience(Enum):
    """Who reads the questions: the person with the pain, a parent or carer answering for a
    child, or someone answering for another adult (the ``respondent`` finding)."""

    self = "self"
    child = "parent_or_carer"
    other = "someone_else"

    @classmethod
    def of(cls, respondent: object) -> Audience:
        for audience in cls:
            if audience.value == respondent:
                return audience
        return cls.self


def ages_admit(ages: Ages | None, age: object) -> bool:
    """Whether an age limit lets this age through.  An unknown age passes every limit: a
    question is asked, a rule may fire; only the plan is stricter (see PlanItem)."""
    if ages is None or not isinstance(age, int | float) or isinstance(age, bool):
        return True
    return ages[0] <= age < ages[1]


@dataclass(frozen=True)
class Finding:
    id: str
    type: Literal["bool", "number", "enum"]
    meaning: str
    range: tuple[float, float] | None = None
    values: tuple[str, ...] = ()
    group: str = ""  # its group in findings.yaml (history, quality, local_signs...)


@dataclass(frozen=True)
class Condition:
    id: str
    name: str
    clinical_name: str
    icd10: str
    care: Triage
    what: str
    signs: str
    helps: str
    worry: str
    sources: tuple[str, ...]
    no_plan: str = ""  # why it gets no self-care plan on purpose (a clot gets no stretches)


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    sets: Mapping[str, FindingValue]
    ages: Ages | None = None  # a tick-list box shown only for these ages
    exclusive: bool = False  # "None of these" of a tick-list: ticked alone

    @property
    def is_unsure(self) -> bool:
        return not self.sets

    @property
    def is_box(self) -> bool:
        """A tick-list box that reports a finding: not "None of these", not "Not sure"."""
        return self.id not in (NONE_OPTION, UNSURE_OPTION)


@dataclass(frozen=True)
class Question:
    id: str
    kind: QuestionKind
    text: str
    why: str
    options: tuple[Option, ...] = ()
    finding: str | None = None  # the finding a number question sets
    unit: str = ""
    minimum: float = 0.0
    maximum: float = 0.0
    allow_unsure: bool = False
    required: bool = False
    required_when: Mapping[str, FindingValue] | None = None  # required while these hold
    required_ages: Ages | None = None  # required for these ages, adaptive for others
    ages: Ages | None = None  # never asked outside these ages
    ask_if: Mapping[str, FindingValue] = field(default_factory=dict)
    skip_if: Mapping[str, FindingValue] = field(default_factory=dict)
    hint: str = ""
    closing: Mapping[str, FindingValue] | None = None  # asked at the end, for the plan
    texts: Mapping[Audience, str] = field(default_factory=dict)  # the text for each audience

    def worded(self, audience: Audience, age: object) -> Question:
        """This question as one person reads it: their wording, and only the boxes meant
        for their age.  Its findings are then only the ones the person was asked about."""
        options = tuple(o for o in self.options if ages_admit(o.ages, age))
        text = self.texts.get(audience, self.text)
        if text == self.text and len(options) == len(self.options):
            return self
        return replace(self, text=text, options=options)

    def is_required(self, known: Mapping[str, FindingValue | None], age: str) -> bool:
        """``age``: the id of the age finding (``Roles.age``)."""
        if self.required:
            return True
        if self.required_when is not None:
            return all(known.get(f) == v for f, v in self.required_when.items())
        if self.required_ages is not None:
            return age in known and ages_admit(self.required_ages, known.get(age))
        return False

    def option(self, option_id: str) -> Option | None:
        for opt in self.options:
            if opt.id == option_id:
                return opt
        return None

    @property
    def findings(self) -> tuple[str, ...]:
        """Every finding this question can set, in option order."""
        if self.finding is not None:
            return (self.finding,)
        seen: dict[str, None] = {}
        for opt in self.options:
            for fid in opt.sets:
                seen[fid] = None
        return tuple(seen)

    def words(self) -> int:
        """Words a person reads: the text and every answer label."""
        labels = " ".join(opt.label for opt in self.options)
        return len(f"{self.text} {labels}".split())

    def seconds(self) -> float:
        """Estimated reading time, the vignette harness's convention: 2 s + 3.5 words/s."""
        return 2.0 + self.words() / 3.5

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "id": self.id,
            "kind": self.kind,
            "text": self.text,
            "why": self.why,
            "hint": self.hint,
            "allow_unsure": self.allow_unsure,
            "options": [
                {"id": o.id, "label": o.label, "sets": dict(o.sets), "exclusive": o.exclusive}
                for o in self.options
            ],
        }
        if self.kind == "number":
            data.update(finding=self.finding, unit=self.unit, minimum=self.minimum, maximum=self.maximum)
        return data


@dataclass(frozen=True)
class Rule:
    """A deterministic red-flag rule: every clause must hold; a clause holds when any
    of its findings is true (or answered "not sure", for findings in ``unsure_counts``)."""

    id: str
    level: Triage
    clauses: tuple[tuple[str, ...], ...]
    unsure_counts: frozenset[str]
    stop: bool  # end the interview at once when it fires (emergencies)
    title: str
    action: str
    sources: tuple[str, ...]
    ages: Ages | None = None  # fires only for these ages (or an unknown age)
    unless: tuple[str, ...] = ()  # does not fire when any of these is true

    @property
    def findings(self) -> frozenset[str]:
        return frozenset(f for clause in self.clauses for f in clause) | frozenset(self.unless)


@dataclass(frozen=True)
class PlanItem:
    id: str
    topic: str
    title: str
    how: str
    suits: tuple[str, ...]
    when_any: tuple[str, ...]
    avoid_with: tuple[str, ...]
    illustration: str | None
    sources: tuple[str, ...]
    not_with: tuple[str, ...] = ()  # findings that rule the item out when reported true
    not_with_rules: tuple[str, ...] = ()  # red-flag rules that rule it out when they fire
    ages: Ages | None = None  # only for these ages; never when the age is unknown
    sexes: tuple[str, ...] = ()  # only for these sexes; never when the sex is unknown

    def suits_person(
        self, known: Mapping[str, FindingValue | None], fired: frozenset[str], roles: Roles
    ) -> bool:
        """Whether nothing the person reported rules this item out."""
        if any(known.get(f) is True for f in self.not_with) or fired.intersection(self.not_with_rules):
            return False
        age = known.get(roles.age)
        if self.ages is not None and not (isinstance(age, int | float) and ages_admit(self.ages, age)):
            return False
        return not self.sexes or known.get(roles.sex) in self.sexes


@dataclass(frozen=True)
class Source:
    id: str
    cite: str
    kind: str
    url: str | None


@dataclass(frozen=True)
class AgeBand:
    low: float  # inclusive
    high: float  # exclusive
    prior: Vector  # over conditions, sums to one
    sources: tuple[str, ...]
    joint: Vector = field(default_factory=lambda: np.zeros(0))  # over hypotheses, sums to one


class Combine(Enum):
    """How P(finding | two causes) follows from each cause's P(finding | cause)."""

    # A sign of the pain is there when either cause brings it (noisy-OR: P(no) is the
    # product of each cause's P(no)).
    either = "either"
    # A fact about the person (diabetes, a past injection, running) is as likely as among
    # people with the cause where it is commoner: the second cause does not add a history.
    likelier = "likelier"
    # A finding with several values (sex, how long it has hurt) is one fact: the mean of
    # the members' rows, which still sums to one.
    mean = "mean"


@dataclass(frozen=True, eq=False)
class Hypotheses:
    """What the inference weighs: each condition alone, then the declared pairs of
    conditions that are often present together (two causes at once).  Singles come first
    in the order of ``KnowledgeBase.condition_ids``, so hypothesis ``i < C`` is condition
    ``i`` alone."""

    members: tuple[tuple[int, ...], ...]  # the conditions of each hypothesis
    share: Vector  # a pair's prior as a share of its rarer member's; 1 for a single
    sources: tuple[tuple[str, ...], ...]  # where each pair's share comes from

    def prior(self, condition_prior: Vector) -> Vector:
        """The prior over hypotheses for a prior over conditions: a pair weighs its share of
        the rarer condition's weight (the other member is then taken as present too)."""
        weights = np.array(
            [
                condition_prior[m[0]] if len(m) == 1 else self.share[h] * min(condition_prior[c] for c in m)
                for h, m in enumerate(self.members)
            ]
        )
        result: Vector = weights / weights.sum()
        return result

    def widen(self, table: npt.NDArray[np.float64], combine: Combine) -> npt.NDArray[np.float64]:
        """An evidence table over conditions (rows × C) as one over hypotheses (rows × H),
        each pair's column combined from its members' as ``combine`` says."""
        columns = []
        for members in self.members:
            cols = table[:, list(members)]
            if len(members) == 1:
                columns.append(cols[:, 0])
            elif combine is Combine.either:
                columns.append(1.0 - np.prod(1.0 - cols, axis=1))
            elif combine is Combine.likelier:
                columns.append(cols.max(axis=1))
            else:
                columns.append(cols.mean(axis=1))
        return np.stack(columns, axis=1)


@dataclass(frozen=True)
class Evidence:
    """P(finding | condition) for one finding, with where the numbers come from.

    bool: ``table[0]`` is P(true | c).  enum: one row per value.  number: one row per bin,
    bins split at ``edges`` (a value equal to an edge falls in the upper bin)."""

    finding: str
    table: npt.NDArray[np.float64]  # rows × conditions
    sources: tuple[str, ...]
    labels: tuple[str, ...] = ()  # enum values or bin labels
    edges: tuple[float, ...] = ()

    def likelihood(self, value: FindingValue) -> Vector:
        if isinstance(value, bool):
            p: Vector = self.table[0]
            return p if value else 1.0 - p
        row: Vector
        if isinstance(value, str):
            row = self.table[self.labels.index(value)]
        else:
            row = self.table[self.bin_index(float(value))]
        return row

    def bin_index(self, value: float) -> int:
        return int(np.searchsorted(np.asarray(self.edges), value, side="right"))


@dataclass(frozen=True)
class Statement:
    """A finding said plainly, as a reason a result gives ("Pain with the first steps in
    the morning."), without a subject so that it reads right whoever answered."""

    yes: str = ""
    no: str = ""
    number: str = ""  # a template with {value}, for number findings
    one: str = ""  # for a number of one or less, where the template's plural reads wrong

    def of(self, value: FindingValue) -> str:
        if isinstance(value, bool):
            return self.yes if value else self.no
        if isinstance(value, int | float) and self.number:
            return self.one if self.one and value <= 1 else self.number.format(value=f"{value:g}")
        return ""


@dataclass(frozen=True)
class Catalogue:
    """One language's words, as read from its layer: file → id → field → text."""

    locale: str
    entries: Mapping[str, Mapping[str, Any]]

    def words(self, kind: str, key: str) -> Mapping[str, Any]:
        found = self.entries.get(kind, {}).get(key)
        return found if isinstance(found, dict) else {}


@dataclass(frozen=True)
class Texts:
    """Fixed patient-facing texts: triage advice, back-link explanations, disclaimer."""

    triage: Mapping[str, Mapping[str, str]]
    back_link: Mapping[BackLink, str]
    disclaimer: str
    back_link_also: str  # back to heel, with a foot cause of its own as well
    certainty: Mapping[Certainty, str]
    no_fit: str  # the headline when no listed cause fits well
    also_present: str  # said of a cause present as well as the leading one


@dataclass(frozen=True)
class Roles:
    """The ids that the engine and the site treat in a way of their own (roles.yaml), so
    that no Python file names a clinical id.  Findings unless said otherwise."""

    age: str  # a number: chooses the prior; age limits read it
    sex: str  # an enum: plan items' `sexes` read it
    respondent: str  # an enum of Audience values: who reads the questions
    pregnancy: str  # yes/no: decides which care is safe
    foot_map: str  # a tick-list question, shown on a map of the foot
    back_pain: str
    back_pain_came_first: str
    heel_pain_came_first: str
    nerve_root_signs: tuple[str, ...]
    from_the_spine: tuple[str, ...]  # conditions: the back sends symptoms to the heel
    shared_cause: tuple[str, ...]  # conditions: cause the back pain and the heel pain both

    @property
    def structural(self) -> frozenset[str]:
        """Findings a question may set for a role alone, without evidence of their own."""
        return frozenset(
            {
                self.age,
                self.respondent,
                self.back_pain_came_first,
                self.heel_pain_came_first,
                *self.nerve_root_signs,
            }
        )


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per load
class KnowledgeBase:
    version: str
    condition_ids: tuple[str, ...]
    conditions: Mapping[str, Condition]
    findings: Mapping[str, Finding]
    questions: Mapping[str, Question]  # in declaration order
    evidence: Mapping[str, Evidence]
    age_bands: tuple[AgeBand, ...]
    default_prior: Vector  # over conditions
    hypotheses: Hypotheses
    default_joint: Vector  # over hypotheses
    rules: tuple[Rule, ...]
    plan: tuple[PlanItem, ...]
    sources: Mapping[str, Source]
    texts: Texts
    settings: Mapping[str, float]
    question_of_finding: Mapping[str, str]
    confirm: Mapping[str, tuple[str, ...]]  # condition → questions asked before it may lead a result
    outcomes: Mapping[str, npt.NDArray[np.float64]]  # question id → P(outcome | h), rows × H
    roles: Roles
    statements: Mapping[str, Statement] = field(default_factory=dict)  # finding → reason text
    locale: str = "en"  # the language of every text above (engine.locale.for_locale)
    catalogues: Mapping[str, Catalogue] = field(default_factory=dict)  # other languages' words

    @property
    def n_hypotheses(self) -> int:
        return len(self.hypotheses.members)

    def prior_for_age(self, age: float | None) -> Vector:
        """The prior over conditions for this age (None: age not known)."""
        band = self._band(age)
        return self.default_prior if band is None else band.prior

    def joint_prior_for_age(self, age: float | None) -> Vector:
        """The prior over hypotheses (conditions alone and pairs) for this age."""
        band = self._band(age)
        return self.default_joint if band is None else band.joint

    def presence(self, joint_posterior: Vector) -> Vector:
        """P(condition present) for every condition: the sum over the hypotheses that
        include it.  Pairs count for both members, so the sum can exceed one."""
        result: Vector = joint_posterior @ self._membership
        return result

    @functools.cached_property
    def _membership(self) -> npt.NDArray[np.float64]:
        table = np.zeros((self.n_hypotheses, len(self.condition_ids)))
        for h, members in enumerate(self.hypotheses.members):
            table[h, list(members)] = 1.0
        return table

    def _band(self, age: float | None) -> AgeBand | None:
        if age is None:
            return None
        for band in self.age_bands:
            if band.low <= age < band.high:
                return band
        return None
