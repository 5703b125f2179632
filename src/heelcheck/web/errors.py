"""Error pages: every failure gets a page that says what happened and what to do next, in the
page's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def problem(
    request: HttpRequest,
    status: int,
    title: str,
    message: str,
    *,
    link: str = "/",
    link_text: str = "",
    frame: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """A page for anything that went wrong, with one way forward (``link_text`` by default:
    "Go to the start page"). ``frame``: what draws it in another page frame than the site's
    (the embedded widget's)."""
    context = {
        "title": title,
        "message": message,
        "link": link,
        "link_text": link_text or _("Go to the start page"),
        **(frame or {}),
    }
    response = render(request, "problem.html", context, status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return problem(request, 400, _("Something was wrong with that request"),
                   _("The page sent something we could not read. Nothing was changed."))  # fmt: skip


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return problem(request, 403, _("Not allowed"), _("This page is not available to you."))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return problem(request, 404, _("Page not found"),
                   _("There is no page at this address. Check the link, or start again."))  # fmt: skip


def server_error(request: HttpRequest) -> HttpResponse:
    # No template context processors or database here: this must work when they do not.
    from django.template import loader

    html = loader.get_template("500.html").render()
    return HttpResponse(html, status=500, headers={"Cache-Control": "no-store"})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return problem(
        request,
        403,
        _("This page has expired"),
        _(
            "For your safety, forms only work for a while and only with cookies switched on. "
            "Nothing was changed. Go back, reload the page and try again."
        ),
    )
