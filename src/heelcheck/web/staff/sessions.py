"""Logging out ends a staff session everywhere, not only in the browser that logged out.

Sessions live in signed cookies (the server keeps nothing about respondents, so there is no
session table to delete a row from). Logging out only replaces the cookie in that browser:
a copy of the old cookie would stay valid until it expires. So each staff account keeps a
generation number; a login writes it into the session, a logout counts it up, and a staff
page opens only for a session of the current generation.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import F
from django.http import HttpRequest

from .models import StaffSession

KEY = "staff_generation"


def generation(user: AbstractBaseUser) -> int:
    found = StaffSession.objects.filter(user_id=user.pk).values_list("generation", flat=True).first()
    return int(found) if found is not None else 0


def on_login(sender: Any, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any) -> None:
    if request is not None:
        request.session[KEY] = generation(user)


def on_logout(
    sender: Any, request: HttpRequest | None, user: AbstractBaseUser | AnonymousUser | None, **kwargs: Any
) -> None:
    if user is None or not user.is_authenticated:
        return
    updated = StaffSession.objects.filter(user_id=user.pk).update(generation=F("generation") + 1)
    if not updated:
        StaffSession.objects.get_or_create(user_id=user.pk, defaults={"generation": 1})


def is_current(request: HttpRequest) -> bool:
    """Whether this logged-in session began after the account's last logout."""
    return request.session.get(KEY) == generation(request.user)  # type: ignore[arg-type]
