"""Retention: assessments are deleted once they are older than HEELCHECK_RETENTION_DAYS, and
django-axes' login records once they are no longer needed.

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


@dataclass(frozen=True)
class Purged:
    assessments: int
    login_records: int


def cutoff(now: datetime | None = None, days: int | None = None) -> datetime:
    """Assessments started before this moment are past the retention period."""
    now = now or timezone.now()
    return now - timedelta(days=days if days is not None else settings.HEELCHECK_RETENTION_DAYS)


def expired_assessments(before: datetime) -> int:
    return Assessment.objects.filter(created_at__lt=before).count()


def delete_assessments(before: datetime, batch: int = BATCH) -> int:
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(
                Assessment.objects.filter(created_at__lt=before).order_by("created_at")
                .values_list("pk", flat=True)[:batch]
            )  # fmt: skip
            if not ids:
                return deleted
            count, _ = Assessment.objects.filter(pk__in=ids).delete()
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
        return Purged(expired_assessments(before), sum(qs.count() for qs in records))
    assessments = delete_assessments(before)
    logins = sum(qs.delete()[0] for qs in records)
    return Purged(assessments, logins)
