"""Headers Django does not set itself: a strict Content-Security-Policy (no inline script or
style, nothing from another host) and a Permissions-Policy that switches off every powerful
browser feature the site never uses; Cross-Origin-Resource-Policy; no caching of API answers;
and which pages other sites may frame.

CSRF is Django's own check, unchanged. The referrer policy is ``same-origin``: the site's own
forms then carry their real ``Origin``, which Django checks, while no address (and so no
private token) is ever sent to another site. (Under ``no-referrer`` browsers send
``Origin: null``, which would have had to be let through.)"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache, wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .origins import parse_origins


def content_security_policy(frame_ancestors: str = "'none'") -> str:
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        f"frame-ancestors {frame_ancestors}",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
    ])  # fmt: skip


CONTENT_SECURITY_POLICY = content_security_policy()

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer",
        "microphone", "payment", "usb", "interest-cohort", "browsing-topics",
    )
)  # fmt: skip


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if request.path.startswith("/api/"):
            # Answers and results are health data: no browser or proxy cache may keep them.
            # The public knowledge-base documents set their own Cache-Control.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def static_headers(headers: Any, path: str, url: str) -> None:
    """WHITENOISE_ADD_HEADERS_FUNCTION: static files may be loaded by this site only, except
    the widget's embed.js, which other sites' pages load."""
    headers["Cross-Origin-Resource-Policy"] = "cross-origin" if url.endswith("/embed.js") else "same-origin"


@lru_cache(maxsize=8)
def embed_policy(origins: tuple[str, ...]) -> str:
    """The Content-Security-Policy of an embeddable page: the site's own, except that the
    listed origins (checked; ImproperlyConfigured if one is not an origin) may frame it."""
    allowed = parse_origins("HEELCHECK_FRAME_ANCESTORS", origins)
    return content_security_policy(" ".join(allowed) if allowed else "'none'")


def frame_parents() -> list[str]:
    """The origins allowed to frame the embeddable pages (HEELCHECK_FRAME_ANCESTORS)."""
    return parse_origins("HEELCHECK_FRAME_ANCESTORS", settings.HEELCHECK_FRAME_ANCESTORS)


def embeddable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let the sites listed in HEELCHECK_FRAME_ANCESTORS, and only those, show this view in
    an iframe. Every other page keeps ``frame-ancestors 'none'`` and X-Frame-Options DENY.

    X-Frame-Options cannot name several sites, so it is dropped when some are allowed: every
    browser that honours frame-ancestors ignores it anyway. With none allowed it stays DENY.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        origins: Sequence[str] = settings.HEELCHECK_FRAME_ANCESTORS
        response.headers["Content-Security-Policy"] = embed_policy(tuple(origins))
        if origins:
            response.xframe_options_exempt = True
        return response

    return wrapper


class RefuseNulMiddleware:
    """Answer 400 to a query string or form holding a NUL character, before any view runs.

    No field of the site takes one, and PostgreSQL refuses NUL in text: a value that
    reached the database would fail there with a 500 instead of a clear message."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or self._holds_nul(request):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _holds_nul(request: HttpRequest) -> bool:
        fields = [request.GET]
        if request.method == "POST" and request.content_type in FORM_TYPES:
            fields.append(request.POST)
        return any(
            "\x00" in key or any("\x00" in value for value in data.getlist(key))
            for data in fields
            for key in data
        )

    @staticmethod
    def _refuse(request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            from .api.views import error_response

            return error_response(
                request, 400, "nul_character", "The request must not contain NUL characters.", None
            )
        from .errors import problem

        return problem(request, 400, "Something was wrong with that request",
                       "The page sent a character no answer can hold. Nothing was changed.")  # fmt: skip


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
