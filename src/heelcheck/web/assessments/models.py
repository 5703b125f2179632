"""One stored self-evaluation. Nothing here identifies a person: no IP address, no user agent,
no account; only the answers, what the engine made of them, and timestamps.

The private result link is ``/r/<token>/``. Only the SHA-256 of the token is stored (in
``token``), so a copy of the database cannot reopen anyone's result; the plain token exists
only in that link and in the visitor's signed session cookie. Find an assessment from a
plain token with :meth:`Assessment.objects.by_token` (it hashes for you).
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone

if TYPE_CHECKING:
    from heelcheck.engine import Result

TOKEN_BYTES = 24  # 32 URL-safe characters, 192 bits


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    # Storing only the hash is possible because the server never has to show a token again:
    # the API returns it once, in the reply that starts the assessment; the site keeps it in
    # the browser's signed session; the widget in its own address; every later request
    # brings it and is matched by this hash. A plain SHA-256 and not a slow password hash:
    # 192 random bits cannot be guessed from a stolen hash, whatever the speed, and a slow
    # hash would cost every request its time for nothing.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def by_token(self, token: str) -> Assessment | None:
        """The assessment this private-link token opens, or None."""
        if not isinstance(token, str) or not 16 <= len(token) <= 64:
            return None
        return self.filter(token=hash_token(token)).first()


class Assessment(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"

    class Source(models.TextChoices):
        WEB = "web", "Web site"
        EMBED = "embed", "Embedded"
        API = "api", "JSON API"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    token = models.CharField(
        max_length=64, unique=True, editable=False, help_text="SHA-256 (hex) of the link token"
    )
    answers = models.JSONField(default=list, help_text="the engine's state: question/answer pairs")
    result = models.JSONField(null=True, blank=True, help_text="Result.to_dict() once complete")
    record = models.JSONField(
        null=True, blank=True, help_text="ResultRecord.to_json() once complete: ids and numbers only"
    )
    # Copied out of the record, so that the staff figures group and count by plain indexed
    # columns instead of reading each row's JSON.
    leading_condition = models.CharField(max_length=40, blank=True, default="", db_index=True)
    care_level = models.CharField(max_length=16, blank=True, default="", db_index=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.IN_PROGRESS, db_index=True
    )
    current_question = models.CharField(
        max_length=64, null=True, blank=True, help_text="the question being asked; null when done"
    )
    revision = models.PositiveIntegerField(
        default=0, help_text="incremented on every stored change (optimistic concurrency)"
    )
    kb_version = models.CharField(max_length=32)
    locale = models.CharField(max_length=16, default="en")
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.WEB)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    # The plain token, set only on the instance start_assessment() returns: the one moment
    # it is known to the server. Never stored.
    link_token: str | None = None

    def __str__(self) -> str:
        return f"assessment {self.id} ({self.status}, revision {self.revision})"

    @property
    def is_complete(self) -> bool:
        return self.status == self.Status.COMPLETE

    def keep_result(self, result: Result | None) -> None:
        """Store a finished interview's result (None: not finished): its words, its record
        (ids and numbers), and the record's leading cause and care level as plain columns."""
        if result is None:
            self.result = self.record = None
            self.leading_condition = self.care_level = ""
            return
        record = result.record
        self.result = result.to_dict()
        self.record = record.to_json()
        self.leading_condition, self.care_level = record.leading, record.triage.name

    def set_token(self, token: str) -> None:
        self.token = hash_token(token)
        self.link_token = token

    def token_matches(self, token: str) -> bool:
        return secrets.compare_digest(self.token, hash_token(token))

    def to_dict(self) -> dict[str, Any]:
        """Everything stored, JSON-ready (the token hash excepted)."""
        return {
            "id": str(self.id),
            "status": self.status,
            "current_question": self.current_question,
            "revision": self.revision,
            "answers": self.answers,
            "result": self.result,
            "record": self.record,
            "kb_version": self.kb_version,
            "locale": self.locale,
            "source": self.source,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
            "completed_at": self.completed_at.isoformat() if self.completed_at else None,
        }
