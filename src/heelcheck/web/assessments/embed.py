"""The evaluation embedded in another site's iframe, under ``/embed/``.

The pages, the answers and every clinical decision are the site's own (``views.py`` and the
engine); this module only decides who may open an embedded assessment and lets the sites in
HEELCHECK_FRAME_ANCESTORS frame these pages.

No cookies. A page inside a cross-site iframe does not get SameSite=Lax cookies, and many
browsers block third-party cookies altogether, so neither the session nor Django's CSRF
cookie can work here. Instead the assessment's private token (192 random bits, stored only
as its SHA-256) is in every embedded URL: ``/embed/a/<token>/...``. Holding the URL is what
lets the frame continue, see or delete that assessment.

Only inside a frame, though. The URL holds the same token as the private result link, and
whoever started a check knows it: an attacker could start one and send a victim the address,
and read whatever the victim answers. On the site a link never hands over an unfinished check
(``views.by_token``); here the pages of an assessment open only as a frame's navigation
(Fetch metadata: ``Sec-Fetch-Dest: iframe``). A link opened in a tab is top-level, and only
the sites in HEELCHECK_FRAME_ANCESTORS may frame these pages, so the address alone, sent to
someone else, opens nothing. A browser too old to send Fetch metadata (before Safari 16.4,
Firefox 90, Chrome 80) is refused too: it cannot show that it is the frame.

Why the POSTs are safe from cross-site request forgery without Django's CSRF check: a forged
request works by riding on a credential the browser adds by itself (a cookie). Here there is
none: the only credential is the token in the address the form posts to, which an attacking
page cannot know or guess, so it cannot build a request that touches anyone's assessment. The
stored revision in each form still refuses a replayed or out-of-date page. The token never
leaves the frame: Referrer-Policy is same-origin, the parent page cannot read a cross-origin
frame's address, and the resize messages carry only a height. As a second lock, a POST the
browser labels as coming from another site (Fetch metadata, ``Sec-Fetch-Site``) is refused:
the widget's own forms are always same-origin. Starting a new, empty assessment needs no
credential at all (anyone may start one), so a forged start harms no one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import language
from ..errors import problem
from ..security import embeddable
from . import flows, services, views
from .flows import Flow
from .models import Assessment

View = Callable[..., HttpResponse]
HOME = flows.EMBED_HOME
SAME_ORIGIN = ("same-origin", None)  # Sec-Fetch-Site values of the widget's own forms
IN_A_FRAME = ("iframe", "frame")  # Sec-Fetch-Dest of a frame's navigations


def render_embed(request: HttpRequest, template: str) -> HttpResponse:
    """A page of the widget that belongs to no assessment (the start, deleted pages)."""
    return render(request, template, views.embed_frame())


def from_another_site(request: HttpRequest) -> HttpResponse | None:
    """The refusal for a POST the browser says another site sent (None if it did not)."""
    if request.method != "POST" or request.headers.get("Sec-Fetch-Site") in SAME_ORIGIN:
        return None
    return problem(request, 403, _("This form was sent from another site"),
                   _("For your safety, answers are only taken from the heel check's own pages. "
                     "Nothing was changed."), link=HOME, frame=views.embed_frame())  # fmt: skip


def outside_a_frame(request: HttpRequest) -> HttpResponse | None:
    """The refusal for a widget page opened anywhere but in a frame (None if in one)."""
    if request.headers.get("Sec-Fetch-Dest") in IN_A_FRAME:
        return None
    return problem(request, 403, _("This check only works inside the page that shows it"),
                   _("This address belongs to a heel check shown inside another web site. It "
                     "cannot be opened on its own, so nothing here was shown or changed. If "
                     "someone sent it to you, do not answer it for them. You can start a "
                     "check of your own instead."),
                   link="/", link_text=_("Start a new check"))  # fmt: skip


def by_url_token(view: View) -> View:
    """Open the assessment whose private token is in the URL, and give the view its Flow."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str, **kwargs: Any) -> HttpResponse:
        flow = flows.embedded(token)
        refusal = from_another_site(request) or outside_a_frame(request)
        if refusal is not None:
            return refusal
        assessment = Assessment.objects.by_token(token)
        if assessment is None:
            return views.dead_link(request, flow)
        expired = views.expired_link(request, flow, assessment)
        if expired is not None:
            return expired
        lang = views.speaking(request, assessment, mine=True)
        return views.spoken(lang, lambda: view(request, assessment, flow, token, **kwargs))

    return wrapper


@embeddable
@never_cache
@require_safe
def landing(request: HttpRequest) -> HttpResponse:
    return render_embed(request, "assessments/embed/landing.html")


@csrf_exempt  # see the module docstring: no credential is involved in starting
@embeddable
@require_POST
@views.limit_writes(embed=True, home=HOME)
def start(request: HttpRequest) -> HttpResponse:
    # Refused before anything is stored: its pages would not open outside a frame anyway.
    refusal = from_another_site(request) or outside_a_frame(request)
    if refusal is not None:
        return refusal
    # The landing's form carries its language in ?lang= (the widget has no cookies).
    assessment = services.start_assessment(locale=language.current(), source="embed")
    assert assessment.link_token is not None
    return views.see_other(flows.embedded(assessment.link_token).question)


@csrf_exempt  # the token in the URL is the credential: see the module docstring
@embeddable
@never_cache
@require_http_methods(["GET", "POST"])
@views.limit_writes(embed=True, home=HOME)
@by_url_token
def question(request: HttpRequest, assessment: Assessment, flow: Flow, token: str) -> HttpResponse:
    """GET: the current question (or the result, once complete). POST: an answer."""
    if request.method == "POST":
        return views.take_answer(request, flow, assessment.id)
    return views.show_current(request, flow, assessment)


@embeddable
@never_cache
@require_safe
@by_url_token
def revisit(request: HttpRequest, assessment: Assessment, flow: Flow, token: str, qid: str) -> HttpResponse:
    return views.show_earlier(request, flow, assessment, qid)


@embeddable
@never_cache
@require_safe
@by_url_token
def result(request: HttpRequest, assessment: Assessment, flow: Flow, token: str) -> HttpResponse:
    if not assessment.is_complete or not assessment.result:
        return views.see_other(flow.question)
    return views.show_result(request, flow, assessment, token)


@csrf_exempt  # the token in the URL is the credential: see the module docstring
@embeddable
@never_cache
@require_http_methods(["GET", "POST"])
@by_url_token
def delete(request: HttpRequest, assessment: Assessment, flow: Flow, token: str) -> HttpResponse:
    return views.confirm_delete(request, flow, assessment)


@embeddable
@never_cache
@require_safe
def deleted(request: HttpRequest) -> HttpResponse:
    return render_embed(request, "assessments/deleted.html")


@embeddable
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other address under /embed/: a not-found page that can show inside the frame."""
    return problem(request, 404, _("Page not found"),
                   _("There is no page at this address. Check the link, or start again."),
                   link=HOME, frame=views.embed_frame())  # fmt: skip
