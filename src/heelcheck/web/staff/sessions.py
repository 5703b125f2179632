"""Logging out ends a staff session everywhere, not only in the browser that logged out.

Sessions live in signed cookies (the server keeps nothing about respondents, so there is no
session table to delete a row from). Logging out only replaces the cookie in that browser:
a copy of the old cookie would stay valid until it expires. So each staff account keeps a
generation number; a login writes it into the session, a logout counts it up, and a staff
page opens only for a session of the current generation. Logging out counts the generation
up only from a session of the current generation: an old copy of a cookie, logged out, must
not end the live session.

A staff session also ends after HEELCHECK_STAFF_IDLE_MINUTES without a staff page: each
staff page writes the time into the (signed) session.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import F
from django.http import HttpRequest

from .models import StaffSession

KEY = "staff_generation"
SEEN_KEY = "staff_seen"


def generation(user: AbstractBaseUser) -> int:
    found = StaffSession.objects.filter(user_id=user.pk).values_list("generation", flat=True).first()
    return int(found) if found is not None else 0


def on_login(sender: Any, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any) -> None:
    if request is not None:
        request.session[KEY] = generation(user)
        request.session[SEEN_KEY] = int(time.time())


def on_logout(
    sender: Any, request: HttpRequest | None, user: AbstractBaseUser | AnonymousUser | None, **kwargs: Any
) -> None:
    if user is None or not user.is_authenticated:
        return
    if request is None or request.session.get(KEY) != generation(user):
        return  # an ended session logging out again: the live ones stay
    updated = StaffSession.objects.filter(user_id=user.pk).update(generation=F("generation") + 1)
    if not updated:
        StaffSession.objects.get_or_create(user_id=user.pk, defaults={"generation": 1})


def is_current(request: HttpRequest) -> bool:
    """Whether this logged-in session began after the account's last logout."""
    return request.session.get(KEY) == generation(request.user)  # type: ignore[arg-type]


def touch(request: HttpRequest) -> bool:
    """Whether this staff session was used within HEELCHECK_STAFF_IDLE_MINUTES; if so, it
    counts as used now."""
    now = int(time.time())
    seen = request.session.get(SEEN_KEY)
    if not isinstance(seen, int) or now - seen > settings.HEELCHECK_STAFF_IDLE_MINUTES * 60:
        return False
    request.session[SEEN_KEY] = now
    return True
