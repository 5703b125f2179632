"""Mounted by the site's URL map. Every path under ``api/v1/`` answers in the API's error
format, including the two 4xx that Django and ninja would otherwise answer in HTML or plain
text: a path that does not exist (404) and a method the path does not take (405)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, path, re_path

from .views import api, error_response

View = Callable[..., HttpResponse]


def json_not_allowed(view: View) -> View:
    @functools.wraps(view)  # keeps ninja's csrf_exempt mark
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        allowed = response["Allow"]
        out = error_response(
            request,
            405,
            "method_not_allowed",
            f"This path does not take {request.method}; it takes {allowed}.",
            None,
        )
        out["Allow"] = allowed
        return out

    return wrapped


def not_found(request: HttpRequest) -> HttpResponse:
    return error_response(request, 404, "no_such_path", f"There is no API path {request.path}.", None)


_patterns, _app_name, _namespace = api.urls
_wrapped = [
    URLPattern(p.pattern, json_not_allowed(p.callback), p.default_args, p.name)
    if isinstance(p, URLPattern)
    else p
    for p in _patterns
]

urlpatterns = [
    path("api/v1/", (_wrapped, _app_name, _namespace)),
    re_path(r"^api/v1/", not_found),
]
