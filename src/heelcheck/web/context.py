"""What every template may use."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from heelcheck.engine import default_knowledge_base

from . import language


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "kb_version": default_knowledge_base().version,
        "language_switch": switch(request),
        "clinic": settings.HEELCHECK_CLINIC,
    }


def switch(request: HttpRequest) -> list[dict[str, object]]:
    """The English | Español links: this page again in each language. After a form was sent
    (an error page of a POST) there is no page to ask for again, so they lead to the start."""
    here = request.path if request.method in ("GET", "HEAD") else language.home_of(request.path)
    now = language.current()
    return [
        {"code": code, "name": name, "url": f"{here}?{language.PARAM}={code}", "current": code == now}
        for code, name in settings.LANGUAGES
    ]
