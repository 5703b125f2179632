"""The dashboard's figures, each a function over a queryset of assessments.

Every figure is counted or ordered by the database (``GROUP BY``, ``COUNT``, one ``ORDER BY``
for the median), so the page stays quick with a hundred thousand rows: no function here
loads the stored answers or results into Python. Five queries in all: the counts per day,
version and source (:func:`tally`), the results (:func:`results`), the drop-off (two), the
median. Python then only sums the few grouped rows they return. All figures describe the assessments
*started* in the chosen range; "completed" means completed by now.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from typing import Any

from django.db.models import Count, DurationField, F, Func, IntegerField, Q, QuerySet
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


class DayStarted(TruncDate):
    """The UTC day of a timestamp. On SQLite it is read straight from the stored text
    ('YYYY-MM-DD HH:MM:SS...', kept in UTC) instead of through Django's date function, which
    calls Python once per row and is several times slower over a year of assessments."""

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.lhs)
        return f"SUBSTR({sql}, 1, 10)", params


class Elapsed(Func):
    """completed_at - created_at, only to sort by (SQLite: in days, with the native
    julianday(); Django's own subtraction there calls Python once per row)."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = DurationField()

    def __init__(self) -> None:
        super().__init__(F("completed_at"), F("created_at"))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "(JULIANDAY(%(expressions)s))"
        return self.as_sql(compiler, connection, template=template, arg_joiner=") - JULIANDAY(", **extra)


def percent(fraction: float | None) -> str:
    """A fraction as the dashboard shows it: "42.5 %", or "–" when there is none."""
    return "–" if fraction is None else f"{fraction * 100:.1f} %"


@dataclass(frozen=True)
class Share:
    """One bar of a distribution: how many, and what fraction of the whole."""

    key: str
    label: str
    count: int
    share: float

    @property
    def percent(self) -> str:
        return percent(self.share)


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
        return percent(self.share_of_completed)


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


@dataclass(frozen=True)
class Tally:
    """Started and completed counts per (day started, knowledge-base version, source): one
    scan of the table, from which the totals, the days and the groups are all summed."""

    rows: list[tuple[date, str, str, int, int]]


def tally(qs: QuerySet[Assessment]) -> Tally:
    rows = (
        qs.annotate(day=DayStarted("created_at", tzinfo=UTC))
        .values("day", "kb_version", "source")
        .annotate(started=Count("pk"), completed=Count("pk", filter=Q(status=COMPLETE)))
        .order_by()
    )
    return Tally([(r["day"], r["kb_version"], r["source"], r["started"], r["completed"]) for r in rows])


def totals(counts: Tally) -> tuple[int, int]:
    """(started, completed)."""
    return sum(r[3] for r in counts.rows), sum(r[4] for r in counts.rows)


def completion_rate(started: int, completed: int) -> float | None:
    return completed / started if started else None


def per_day(counts: Tally, days: list[date]) -> list[Day]:
    """Started and (of those) completed, by the day they were started (UTC); every day of
    ``days`` is listed, quiet days with zeros."""
    found: dict[date, list[int]] = {}
    for day, _, _, started, completed in counts.rows:
        pair = found.setdefault(day, [0, 0])
        pair[0] += started
        pair[1] += completed
    return [Day(d, *found.get(d, (0, 0))) for d in days]


def grouped(counts: Tally, field: str, labels: Mapping[str, str] | None = None) -> list[Group]:
    """Started and completed per knowledge-base version or per source, largest first."""
    column = {"kb_version": 1, "source": 2}[field]
    found: dict[str, list[int]] = {}
    for row in counts.rows:
        pair = found.setdefault(str(row[column]), [0, 0])
        pair[0] += row[3]
        pair[1] += row[4]
    completed = sum(c for _, c in found.values())
    return [
        Group(
            key=key,
            label=(labels or {}).get(key, key),
            started=started,
            completed=done,
            share_of_completed=done / completed if completed else 0.0,
        )
        for key, (started, done) in sorted(found.items(), key=lambda kv: (-kv[1][0], kv[0]))
    ]


def median_time_to_complete(qs: QuerySet[Assessment]) -> timedelta | None:
    """The median of completed_at - created_at over the completed assessments. The database
    sorts the durations; only the one or two middle values are fetched."""
    done = qs.filter(status=COMPLETE, completed_at__isnull=False)
    n = done.count()
    if n == 0:
        return None
    ordered = done.annotate(elapsed=Elapsed()).order_by("elapsed", "pk")
    pairs = ordered.values_list("created_at", "completed_at")[(n - 1) // 2 : n // 2 + 1]
    middle = [end - start for start, end in pairs if end is not None]  # never None: filtered
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
    order = sorted(counts, key=lambda k: int(k) if k.isdigit() else -1)  # "": not a list
    return _shares(counts, {k: f"{k} answer{'' if k == '1' else 's'}" for k in order}, order)


@dataclass(frozen=True)
class Results:
    """Completed assessments per (leading condition, care level)."""

    rows: list[tuple[str, str, int]]


def results(qs: QuerySet[Assessment]) -> Results:
    """Grouped by the two indexed columns copied out of each result record, so that no row's
    JSON is read (``results_from_json`` is the slower way they were counted before)."""
    rows = (
        qs.filter(status=COMPLETE)
        .values("leading_condition", "care_level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Results([(r["leading_condition"], r["care_level"], r["n"]) for r in rows])


def results_from_json(qs: QuerySet[Assessment]) -> Results:
    """The same figures read out of each stored result's JSON, as before result records:
    kept for benchmarks/staff_dashboard.py, which times both ways in one run."""
    rows = (
        qs.filter(status=COMPLETE)
        .annotate(leading=KT("result__ranked__0__0"), level=KT("result__triage"))
        .values("leading", "level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Results([(r["leading"] or "", r["level"] or "", r["n"]) for r in rows])


def _sum_by(rows: list[tuple[str, str, int]], column: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        key = str(row[column])
        counts[key] = counts.get(key, 0) + row[2]
    return counts


def leading_conditions(found: Results, kb: KnowledgeBase | None = None) -> list[Share]:
    """Completed assessments by their most likely condition (result["ranked"][0])."""
    labels = {c.id: c.name for c in kb.conditions.values()} if kb else {}
    return _shares(_sum_by(found.rows, 0), labels)


def triage_levels(found: Results, kb: KnowledgeBase | None = None) -> list[Share]:
    """Completed assessments by care level, most urgent first; every level is listed."""
    counts = _sum_by(found.rows, 1)
    levels = [t.name for t in sorted(Triage, reverse=True)]
    order = levels + sorted(k for k in counts if k not in levels)
    labels = {name: kb.texts.triage[name]["title"] for name in levels} if kb else {}
    return _shares(counts, labels, order)


def dashboard(qs: QuerySet[Assessment], date_range: DateRange, kb: KnowledgeBase | None = None) -> Dashboard:
    """Every figure of the dashboard, for the assessments of ``qs`` started in the range."""
    qs = date_range.filter(qs)
    counts = tally(qs)
    found = results(qs)
    started, completed = totals(counts)
    return Dashboard(
        range=date_range,
        started=started,
        completed=completed,
        completion_rate=completion_rate(started, completed),
        median_time_to_complete=median_time_to_complete(qs),
        days=per_day(counts, date_range.days),
        stopped_at=stopped_at(qs, kb),
        answers_when_stopped=answers_when_stopped(qs),
        leading=leading_conditions(found, kb),
        triage=triage_levels(found, kb),
        kb_versions=grouped(counts, "kb_version"),
        sources=grouped(counts, "source", dict(Assessment.Source.choices)),
    )
