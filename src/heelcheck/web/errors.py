"""Error pages: every failure gets a page that says what happened and what to do next."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def problem(
    request: HttpRequest,
    status: int,
    title: str,
    message: str,
    *,
    link: str = "/",
    link_text: str = "Go to the start page",
    frame: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """A page for anything that went wrong, with one way forward. ``frame``: what draws it
    in another page frame than the site's (the embedded widget's)."""
    context = {"title": title, "message": message, "link": link, "link_text": link_text, **(frame or {})}
    response = render(request, "problem.html", context, status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return problem(request, 400, "Something was wrong with that request",
                   "The page sent something we could not read. Nothing was changed.")  # fmt: skip


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return problem(request, 403, "Not allowed", "This page is not available to you.")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return problem(request, 404, "Page not found",
                   "There is no page at this address. Check the link, or start again.")  # fmt: skip


def server_error(request: HttpRequest) -> HttpResponse:
    # No template context processors or database here: this must work when they do not.
    from django.template import loader

    html = loader.get_template("500.html").render()
    return HttpResponse(html, status=500, headers={"Cache-Control": "no-store"})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return problem(
        request,
        403,
        "This page has expired",
        "For your safety, forms only work for a while and only with cookies switched on. "
        "Nothing was changed. Go back, reload the page and try again.",
    )
