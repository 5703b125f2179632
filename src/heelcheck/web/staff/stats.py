"""The dashboard's figures, each a function over a queryset of assessments.

Every figure is counted or ordered by the database (``GROUP BY``, ``COUNT``, one ``ORDER BY``
for the median), so the page stays quick with a hundred thousand rows: no function here
loads the stored answers or results into Python. All figures describe the assessments
*started* in the chosen range; "completed" means completed by now.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Func, IntegerField, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import TruncDate

from heelcheck.engine import KnowledgeBase, Triage
from heelcheck.web.assessments.models import Assessment

from .filters import DateRange

COMPLETE = Assessment.Status.COMPLETE
UNFINISHED = Assessment.Status.IN_PROGRESS


class JSONArrayLength(Func):
    """The length of a JSON array column (SQLite's json_array_length, PostgreSQL's
    jsonb_array_length)."""

    function = "JSON_ARRAY_LENGTH"
    output_field = IntegerField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="JSONB_ARRAY_LENGTH", **extra)


@dataclass(frozen=True)
class Share:
    """One bar of a distribution: how many, and what fraction of the whole."""

    key: str
    label: str
    count: int
    share: float

    @property
    def percent(self) -> str:
        return f"{self.share * 100:.1f} %"


@dataclass(frozen=True)
class Day:
    day: date
    started: int
    completed: int


@dataclass(frozen=True)
class Group:
    """Assessments sharing one value (a knowledge-base version, a source)."""

    key: str
    label: str
    started: int
    completed: int
    share_of_completed: float

    @property
    def percent(self) -> str:
        return f"{self.share_of_completed * 100:.1f} %"


@dataclass(frozen=True)
class Dashboard:
    range: DateRange
    started: int
    completed: int
    completion_rate: float | None
    median_time_to_complete: timedelta | None
    days: list[Day]
    stopped_at: list[Share]
    answers_when_stopped: list[Share]
    leading: list[Share]
    triage: list[Share]
    kb_versions: list[Group]
    sources: list[Group]

    @property
    def unfinished(self) -> int:
        return self.started - self.completed


def totals(qs: QuerySet[Assessment]) -> tuple[int, int]:
    """(started, completed)."""
    row = qs.aggregate(started=Count("pk"), completed=Count("pk", filter=Q(status=COMPLETE)))
    return row["started"], row["completed"]


def completion_rate(started: int, completed: int) -> float | None:
    return completed / started if started else None


def per_day(qs: QuerySet[Assessment], days: list[date]) -> list[Day]:
    """Started and (of those) completed, by the day they were started (UTC); every day of
    ``days`` is listed, quiet days with zeros."""
    rows = (
        qs.annotate(day=TruncDate("created_at", tzinfo=UTC))
        .values("day")
        .annotate(started=Count("pk"), completed=Count("pk", filter=Q(status=COMPLETE)))
        .order_by()
    )
    found = {r["day"]: (r["started"], r["completed"]) for r in rows}
    return [Day(d, *found.get(d, (0, 0))) for d in days]


def median_time_to_complete(qs: QuerySet[Assessment]) -> timedelta | None:
    """The median of completed_at - created_at over the completed assessments. The database
    sorts the durations; only the one or two middle values are fetched."""
    done = qs.filter(status=COMPLETE, completed_at__isnull=False)
    n = done.count()
    if n == 0:
        return None
    duration = ExpressionWrapper(F("completed_at") - F("created_at"), output_field=DurationField())
    ordered = done.annotate(duration=duration).order_by("duration", "pk").values_list("duration", flat=True)
    middle = list(ordered[(n - 1) // 2 : n // 2 + 1])
    return sum(middle, timedelta()) / len(middle)


def _shares(
    counts: Mapping[str, int], labels: Mapping[str, str], order: list[str] | None = None
) -> list[Share]:
    total = sum(counts.values())
    keys = order if order is not None else sorted(counts, key=lambda k: (-counts[k], k))
    return [
        Share(k, labels.get(k, k), counts.get(k, 0), counts.get(k, 0) / total if total else 0.0) for k in keys
    ]


def _count_by(qs: QuerySet[Assessment], expression: Any) -> dict[str, int]:
    rows = qs.annotate(value=expression).values("value").annotate(n=Count("pk")).order_by()
    return {("" if r["value"] is None else str(r["value"])): r["n"] for r in rows}


def stopped_at(qs: QuerySet[Assessment], kb: KnowledgeBase | None = None) -> list[Share]:
    """Unfinished assessments by the question they were on, most frequent first (this
    includes any still being answered right now)."""
    counts = _count_by(qs.filter(status=UNFINISHED), F("current_question"))
    labels = {q.id: q.text for q in kb.questions.values()} if kb else {}
    return _shares(counts, labels)


def answers_when_stopped(qs: QuerySet[Assessment]) -> list[Share]:
    """Unfinished assessments by how many answers they had, in order of that number."""
    counts = _count_by(qs.filter(status=UNFINISHED), JSONArrayLength("answers"))
    order = sorted(counts, key=int)
    return _shares(counts, {k: f"{k} answer{'' if k == '1' else 's'}" for k in order}, order)


def leading_conditions(qs: QuerySet[Assessment], kb: KnowledgeBase | None = None) -> list[Share]:
    """Completed assessments by their most likely condition (result["ranked"][0])."""
    counts = _count_by(qs.filter(status=COMPLETE), KT("result__ranked__0__0"))
    labels = {c.id: c.name for c in kb.conditions.values()} if kb else {}
    return _shares(counts, labels)


def triage_levels(qs: QuerySet[Assessment], kb: KnowledgeBase | None = None) -> list[Share]:
    """Completed assessments by care level, most urgent first; every level is listed."""
    counts = _count_by(qs.filter(status=COMPLETE), KT("result__triage"))
    levels = [t.name for t in sorted(Triage, reverse=True)]
    order = levels + sorted(k for k in counts if k not in levels)
    labels = {name: kb.texts.triage[name]["title"] for name in levels} if kb else {}
    return _shares(counts, labels, order)


def grouped(qs: QuerySet[Assessment], field: str, labels: Mapping[str, str] | None = None) -> list[Group]:
    """Started and completed per value of ``field``, largest first."""
    rows = (
        qs.values(field)
        .annotate(started=Count("pk"), completed=Count("pk", filter=Q(status=COMPLETE)))
        .order_by("-started", field)
    )
    completed = sum(r["completed"] for r in rows)
    return [
        Group(
            key=str(r[field]),
            label=(labels or {}).get(r[field], str(r[field])),
            started=r["started"],
            completed=r["completed"],
            share_of_completed=r["completed"] / completed if completed else 0.0,
        )
        for r in rows
    ]


def dashboard(qs: QuerySet[Assessment], date_range: DateRange, kb: KnowledgeBase | None = None) -> Dashboard:
    """Every figure of the dashboard, for the assessments of ``qs`` started in the range."""
    qs = date_range.filter(qs)
    started, completed = totals(qs)
    return Dashboard(
        range=date_range,
        started=started,
        completed=completed,
        completion_rate=completion_rate(started, completed),
        median_time_to_complete=median_time_to_complete(qs),
        days=per_day(qs, date_range.days),
        stopped_at=stopped_at(qs, kb),
        answers_when_stopped=answers_when_stopped(qs),
        leading=leading_conditions(qs, kb),
        triage=triage_levels(qs, kb),
        kb_versions=grouped(qs, "kb_version"),
        sources=grouped(qs, "source", dict(Assessment.Source.choices)),
    )
