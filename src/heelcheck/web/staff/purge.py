"""Retention: assessments are deleted once they are older than HEELCHECK_RETENTION_DAYS, those
never answered once they are UNANSWERED_HOURS old, and django-axes' login records once they
are no longer needed.

An assessment nobody answered holds nothing of anyone's, yet anyone can start any number of
them (the widget's start needs no cookie): left for the year's retention they would fill the
database and the dashboard's "started" figures. They are still stored at the start rather
than at the first answer, because every flow needs the row at once: the API returns the id
and the token that reads it, and the site's and widget's first question page is that row's.
So run the purge every hour (see the README) and they go within a few hours.

Deletion goes in batches, each its own short transaction, so a large purge never holds one
long lock over the table while respondents are answering. Running it again deletes nothing
more: it is safe to call from cron as often as you like.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from heelcheck.web.assessments.models import Assessment

BATCH = 1000
# Long enough for anyone who started and stepped away to come back to the first question
# (the check takes two minutes), short enough that empty starts never pile up.
UNANSWERED_HOURS = 2


@dataclass(frozen=True)
class Purged:
    assessments: int
    login_records: int
    unanswered: int = 0


def cutoff(now: datetime | None = None, days: int | None = None) -> datetime:
    """Assessments started before this moment are past the retention period."""
    now = now or timezone.now()
    return now - timedelta(days=days if days is not None else settings.HEELCHECK_RETENTION_DAYS)


def expired_assessments(before: datetime) -> int:
    return Assessment.objects.filter(created_at__lt=before).count()


def unanswered(now: datetime) -> QuerySet[Assessment]:
    """Assessments started UNANSWERED_HOURS ago or more that never stored an answer.
    revision counts every stored change, and only an answer changes a row: 0 is "never
    answered", where an empty answer list could also be an interview replayed to nothing."""
    return Assessment.objects.filter(revision=0, created_at__lt=now - timedelta(hours=UNANSWERED_HOURS))


def delete_assessments(
    before: datetime, batch: int = BATCH, *, only: QuerySet[Assessment] | None = None
) -> int:
    chosen = (only if only is not None else Assessment.objects.all()).filter(created_at__lt=before)
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(chosen.order_by("created_at").values_list("pk", flat=True)[:batch])
            if not ids:
                return deleted
            # Filtered again: one answered since it was listed is kept.
            count, _ = chosen.filter(pk__in=ids).delete()
        deleted += count


def login_record_querysets(before: datetime, now: datetime) -> list[QuerySet[Any]]:
    """Axes' logins and logouts past the retention period, and failed attempts whose
    cool-off is over (they no longer count towards a lock-out)."""
    cool_off = get_cool_off() or timedelta(days=1)
    return [
        AccessLog.objects.filter(attempt_time__lt=before),
        AccessFailureLog.objects.filter(attempt_time__lt=before),
        AccessAttempt.objects.filter(attempt_time__lt=now - cool_off),
    ]


def purge(*, dry_run: bool = False, now: datetime | None = None) -> Purged:
    """Delete (or with ``dry_run`` only count) what is past its time; return how many."""
    now = now or timezone.now()
    before = cutoff(now)
    records = login_record_querysets(before, now)
    if dry_run:
        empty = unanswered(now).filter(created_at__gte=before).count()
        return Purged(expired_assessments(before), sum(qs.count() for qs in records), empty)
    assessments = delete_assessments(before)
    empty = delete_assessments(now, only=unanswered(now))
    logins = sum(qs.delete()[0] for qs in records)
    return Purged(assessments, logins, empty)
