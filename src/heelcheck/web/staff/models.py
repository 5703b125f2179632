"""What the staff side stores: one number per staff account (see sessions.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class StaffSession(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True)
    generation = models.PositiveIntegerField(
        default=0, help_text="counted up at each logout; older sessions no longer open staff pages"
    )

    def __str__(self) -> str:
        return f"staff sessions of user {self.pk}: generation {self.generation}"
