"""Who may open the staff pages, and what django-axes may learn about them.

Every staff page goes through :func:`staff_required`: a visitor who is not logged in is sent
to the login page (302), and so is a session from before the account's last logout or idle
too long (see sessions.py), or one not verified by the second factor (HEELCHECK_STAFF_OTP);
a logged-in account without the staff flag gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib.auth import get_user_model
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
        if user.is_authenticated and not (sessions.is_current(request) and sessions.touch(request)):
            # A copy of a cookie from before a logout, or an idle session: end it here. Not through logout(),
            # whose signal would count the generation up again and end the current sessions.
            request.session.flush()
            request.user = AnonymousUser()
        if request.user.is_authenticated and settings.HEELCHECK_STAFF_OTP and not request.user.is_verified():  # type: ignore[attr-defined]
            request.session.flush()  # a password alone, without the second factor
            request.user = AnonymousUser()
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


def account_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the username tried, if it is an account's; None otherwise, so
    that axes never stores what someone typed in the username box (it may be a password)."""
    source: Any = credentials if credentials else getattr(request, "POST", {})
    typed = source.get(settings.AXES_USERNAME_FORM_FIELD) if source else None
    if not isinstance(typed, str) or not typed or len(typed) > 150 or "\x00" in typed:
        return None
    User = get_user_model()
    return typed if User.objects.filter(**{User.USERNAME_FIELD: typed}).exists() else None


def client_str(username: str | None, ip_address: str | None, user_agent: str | None,
               path_info: str | None, request: HttpRequest | None) -> str:  # fmt: skip
    """AXES_CLIENT_STR_CALLABLE: how axes names a client in its log lines, with nothing else."""
    return "a staff login"


class PrivateAxesHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """Axes' database handler, told nothing about the browser: no user agent, Accept header
    or path reaches its tables."""

    @staticmethod
    def _forget_browser(request: HttpRequest | None) -> None:
        if request is not None:
            request.axes_user_agent = ""  # type: ignore[attr-defined]
            request.axes_http_accept = ""  # type: ignore[attr-defined]
            request.axes_path_info = ""  # type: ignore[attr-defined]

    def user_login_failed(self, sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None,
                          **kwargs: Any) -> None:  # fmt: skip
        self._forget_browser(request)
        super().user_login_failed(sender, credentials, request, **kwargs)

    def user_logged_in(self, sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
        self._forget_browser(request)
        super().user_logged_in(sender, request, user, **kwargs)

    def user_logged_out(self, sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
        self._forget_browser(request)
        super().user_logged_out(sender, request, user, **kwargs)
