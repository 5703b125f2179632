"""``python -m heelcheck.web purge_assessments [--dry-run]``: delete what is past retention."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from heelcheck.web.staff.purge import UNANSWERED_HOURS, purge


class Command(BaseCommand):
    help = (
        "Delete assessments started more than HEELCHECK_RETENTION_DAYS days ago, those "
        f"started more than {UNANSWERED_HOURS} hours ago and never answered, and old staff "
        "login records. Run it from cron every hour: a second run deletes nothing more."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="only count, delete nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = bool(options["dry_run"])
        done = purge(dry_run=dry_run)
        days = settings.HEELCHECK_RETENTION_DAYS
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {done.assessments} assessment{'' if done.assessments == 1 else 's'} "
            f"started more than {days} days ago, {done.unanswered} started more than "
            f"{UNANSWERED_HOURS} hours ago and never answered, and {done.login_records} old staff login "
            f"record{'' if done.login_records == 1 else 's'}."
        )
