"""Who may open the staff pages, and what django-axes may learn about them.

Every staff page goes through :func:`staff_required`: a visitor who is not logged in is sent
to the login page (302), and so is a session from before the account's last logout (see
sessions.py); a logged-in account without the staff flag gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.views.decorators.cache import never_cache

from . import sessions

View = Callable[..., HttpResponseBase]


def no_ip_address(request: HttpRequest) -> None:
    """AXES_CLIENT_IP_CALLABLE: axes locks by username only, so it needs no address, and
    the site keeps no IP addresses at all, not even staff members'."""
    return None


def staff_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if user.is_authenticated and not sessions.is_current(request):
            # A copy of a cookie from before a logout: end it here too. Not through logout(),
            # whose signal would count the generation up again and end the current sessions.
            request.session.flush()
            request.user = AnonymousUser()
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return never_cache(wrapper)
