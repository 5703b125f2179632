"""Which language a page speaks.

In order, the first that applies:

1. ``?lang=xx`` in the address (the English | Español switch on every page is two such
   links, so it works without JavaScript and without a cookie);
2. on the pages of one assessment (its questions, result, print and delete pages, on the site
   and in the widget), the language stored with the assessment: it was the page's language
   when the check started, and a switch on one of its pages changes it
   (``assessments.views.speaking``);
3. on the site's other pages, the language last chosen with the switch in this browser, kept
   in the signed session cookie (no cookie of its own: the privacy page promises two);
4. the browser's Accept-Language, through Django's LocaleMiddleware; English when it names
   no language the site has.

The widget under ``/embed/`` has no cookies, so it never reads or writes the session: its
landing takes ``?lang=`` and passes it on to the start, and from then on the assessment
remembers. Staff pages are for the clinic's staff and stay in English.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

PARAM = "lang"
SESSION_KEY = "lang"
NO_SESSION = ("/embed/", "/api/", "/static/", "/healthz")  # no cookies, or no pages
ENGLISH_ONLY = ("/staff/",)


def supported(tag: object) -> str | None:
    """The site's language for a tag ("es", "es-MX", "ES"), or None if it has none."""
    if not isinstance(tag, str) or not 0 < len(tag) <= 16:
        return None
    primary = tag.split("-")[0].split("_")[0].lower()
    return primary if primary in dict(settings.LANGUAGES) else None


def chosen(request: HttpRequest) -> str | None:
    """The language the address asks for with ``?lang=``, if the site has it."""
    return supported(request.GET.get(PARAM))


def current() -> str:
    """The active language, as one of settings.LANGUAGES' codes."""
    return supported(translation.get_language()) or settings.LANGUAGE_CODE


def with_language(url: str, language: str) -> str:
    """``url`` asking for ``language`` (unchanged for the default language, which needs no
    asking: the address stays the one it always was)."""
    if language == settings.LANGUAGE_CODE:
        return url
    return f"{url}{'&' if '?' in url else '?'}{PARAM}={language}"


class LanguageMiddleware:
    """Applies rules 1 and 3 above on top of LocaleMiddleware's rule 4 (rule 2 is the
    assessment views' own)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith(ENGLISH_ONLY):
            translation.activate(settings.LANGUAGE_CODE)
        else:
            language = chosen(request)
            remembers = not path.startswith(NO_SESSION)
            if language is not None:
                translation.activate(language)
                asking = remembers and request.method in ("GET", "HEAD")
                if asking and request.session.get(SESSION_KEY) != language:
                    request.session[SESSION_KEY] = language
            elif remembers:
                kept = supported(request.session.get(SESSION_KEY))
                if kept is not None:
                    translation.activate(kept)
        request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


def home_of(path: str) -> str:
    """The start page of the part of the site ``path`` belongs to (the widget's or the site's)."""
    return "/embed/" if path.startswith("/embed/") else "/"
