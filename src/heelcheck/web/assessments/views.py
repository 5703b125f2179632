"""The patient's pages. Every change is a POST answered by a redirect; every failure is a page
that says what happened, with the stored answers left as they were.

The handlers that take a :class:`~.flows.Flow` serve both the site's own pages (this module's
views, opened through the session) and the embedded widget (``embed.py``, opened through the
token in the URL); only access and links differ between the two."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from heelcheck.engine import AnswerCode, AnswerError, Interview, Question, StateError

from .. import language
from ..errors import problem
from ..limits import PAGE_WRITES, client_key
from ..security import frame_parents
from . import flows, presenters, services, visitor
from .flows import Flow
from .forms import FormError, read_answer, read_submission
from .forms import friendly as friendly_error
from .models import Assessment

View = Callable[..., HttpResponse]


def see_other(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def embed_frame() -> dict[str, Any]:
    """The template context that draws a page in the widget's bare frame."""
    return {"layout": flows.EMBED_LAYOUT, "home": flows.EMBED_HOME, "embed_parents": frame_parents()}


def render_in(
    request: HttpRequest, flow: Flow, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """A page of ``flow``, drawn in that flow's frame (the site's, or the bare embed)."""
    frame = embed_frame() if flow.embed else {}
    return render(request, template, {**context, **frame, "flow": flow}, status=status)


def trouble(
    request: HttpRequest,
    flow: Flow | None,
    status: int,
    title: str,
    message: str,
    *,
    link: str = "",
    link_text: str = "",
) -> HttpResponse:
    """:func:`~heelcheck.web.errors.problem`, in the frame of ``flow`` (None: the site's)."""
    home = flow.home if flow is not None else "/"
    frame = embed_frame() if flow is not None and flow.embed else None
    return problem(request, status, title, message, link=link or home, link_text=link_text, frame=frame)


def not_yours(request: HttpRequest) -> HttpResponse:
    return problem(
        request,
        404,
        _("We cannot open this evaluation"),
        _(
            "It was deleted, or it was started in another browser (or a private window that "
            "has since closed). If you saved your private link, open that link instead."
        ),
    )


def speaking(request: HttpRequest, assessment: Assessment, *, mine: bool) -> str:
    """The language of a page of ``assessment`` (heelcheck.web.language, rule 2).

    Its own pages (``mine``: opened by the browser or widget that started it) speak the
    assessment's language, and a ``?lang=`` switch on one of them changes it for all of
    them. A finished result opened through its private link elsewhere (a doctor's browser)
    speaks that browser's language, and changes nothing."""
    asked = language.chosen(request)
    if not mine:
        return asked or language.current()
    if asked is None:
        return language.supported(assessment.locale) or settings.LANGUAGE_CODE
    if asked != language.supported(assessment.locale):
        services.change_locale(assessment, asked)
    return asked


def spoken(lang: str, page: Callable[[], HttpResponse]) -> HttpResponse:
    """``page()``, drawn in ``lang``."""
    with translation.override(lang):
        response = page()
    response.headers["Content-Language"] = lang
    return response


def owned(view: View) -> View:
    """Load the assessment in the URL, if this browser holds its token; the page speaks its
    language."""

    @wraps(view)
    def wrapper(request: HttpRequest, aid: uuid.UUID, **kwargs: Any) -> HttpResponse:
        assessment = visitor.own(request, aid)
        if assessment is None:
            return not_yours(request)
        flow = flows.on_site(assessment.id, visitor.token_for(request, aid))
        lang = speaking(request, assessment, mine=True)
        return spoken(lang, lambda: view(request, assessment, flow, **kwargs))

    return wrapper


def limit_writes(*, embed: bool, home: str) -> Callable[[View], View]:
    """Count each POST against the client's HEELCHECK_PAGE_WRITE_RATE (starts and answers,
    site and widget together); over it, a 429 page and nothing stored. Every POST counts,
    whatever it holds, so that floods of broken forms are limited too."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                decision = PAGE_WRITES.hit(client_key(request), int(settings.HEELCHECK_PAGE_WRITE_RATE))
                if not decision.allowed:
                    # A start is retried from the start page, an answer from its question.
                    again = request.path if kwargs else home
                    return too_many(request, embed, again, decision.retry_after)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def too_many(request: HttpRequest, embed: bool, again: str, seconds: int) -> HttpResponse:
    message = ngettext(
        "We got a lot of answers from your internet connection in a short time. To keep the "
        "check working for everyone, please wait %(seconds)d second, then try again. Nothing "
        "was saved.",
        "We got a lot of answers from your internet connection in a short time. To keep the "
        "check working for everyone, please wait %(seconds)d seconds, then try again. Nothing "
        "was saved.",
        seconds,
    ) % {"seconds": seconds}
    response = problem(
        request,
        429,
        _("Please slow down"),
        message,
        link=again,
        link_text=_("Try again"),
        frame=embed_frame() if embed else None,
    )
    response.headers["Retry-After"] = str(seconds)
    return response


def unreadable(request: HttpRequest, flow: Flow) -> HttpResponse:
    return trouble(request, flow, 409, _("These answers cannot be read"),
                   _("The stored answers of this evaluation are damaged. Please start again."))  # fmt: skip


# ---------------------------------------------------------------------- start
@never_cache
@require_safe
def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "assessments/landing.html",
                  {"resume": visitor.latest_in_progress(request)})  # fmt: skip


@never_cache
@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "assessments/privacy.html",
                  {"link_days": settings.HEELCHECK_LINK_DAYS,
                   "retention_days": settings.HEELCHECK_RETENTION_DAYS})  # fmt: skip


@require_POST
@limit_writes(embed=False, home="/")
def start(request: HttpRequest) -> HttpResponse:
    assessment = services.start_assessment(locale=language.current(), source="web")
    assert assessment.link_token is not None
    visitor.remember(request, assessment, assessment.link_token)
    return see_other(f"/a/{assessment.id}/")


# ---------------------------------------------------------------------- questions
def render_question(
    request: HttpRequest,
    flow: Flow,
    assessment: Assessment,
    interview: Interview,
    question: Question,
    *,
    status: int = 200,
    error: str = "",
    notice: str = "",
    submitted: object = None,
) -> HttpResponse:
    page = presenters.question_page(assessment, interview, question, flow, submitted=submitted)
    page.error, page.notice = error, notice
    return render_in(request, flow, "assessments/question.html",
                     {"assessment": assessment, "page": page}, status=status)  # fmt: skip


@never_cache
@require_http_methods(["GET", "POST"])
@limit_writes(embed=False, home="/")
def question(request: HttpRequest, aid: uuid.UUID) -> HttpResponse:
    """GET: the current question (or the result, once complete). POST: an answer."""
    if request.method == "POST":
        return answer(request, aid)
    assessment = visitor.own(request, aid)
    if assessment is None:
        return not_yours(request)
    flow = flows.on_site(aid, visitor.token_for(request, aid))
    lang = speaking(request, assessment, mine=True)
    return spoken(lang, lambda: show_current(request, flow, assessment))


def show_current(request: HttpRequest, flow: Flow, assessment: Assessment) -> HttpResponse:
    try:
        interview = services.load_interview(assessment, language.current())
    except StateError:
        return unreadable(request, flow)
    current = interview.next_question
    if current is None:
        return see_other(flow.result)
    return render_question(request, flow, assessment, interview, current)


@never_cache
@require_safe
@owned
def revisit(request: HttpRequest, assessment: Assessment, flow: Flow, qid: str) -> HttpResponse:
    return show_earlier(request, flow, assessment, qid)


def show_earlier(request: HttpRequest, flow: Flow, assessment: Assessment, qid: str) -> HttpResponse:
    """An earlier question, shown with its stored answer, to change it."""
    try:
        interview = services.load_interview(assessment, language.current())
    except StateError:
        return unreadable(request, flow)
    current = interview.next_question
    if current is not None and current.id == qid:
        return see_other(flow.question)
    if qid not in {a.question for a in interview.answers}:
        return trouble(request, flow, 404, _("That question is not part of your evaluation"),
                       _("You have not been asked that question, so there is nothing to change."),
                       link=flow.question, link_text=_("Continue your evaluation"))  # fmt: skip
    return render_question(request, flow, assessment, interview, interview.question(qid))


def answer(request: HttpRequest, aid: uuid.UUID) -> HttpResponse:
    """Store one answer. The signed session proves this browser holds the private-link token
    (it was checked against the stored hash when the session got it), so the common path
    reads the assessment once, inside submit_answer's transaction."""
    token = visitor.token_for(request, aid)
    if token is None:
        return not_yours(request)
    # Only the wording of an error page depends on it: one column of one row, by its key.
    stored = Assessment.objects.filter(pk=aid).values_list("locale", flat=True).first()
    lang = language.supported(stored) or language.current()
    return spoken(lang, lambda: take_answer(request, flows.on_site(aid, token), aid))


def take_answer(request: HttpRequest, flow: Flow, aid: uuid.UUID) -> HttpResponse:
    """Store one answer to assessment ``aid``, which the caller has checked may be opened."""
    here = flow.question
    try:
        form = read_submission(request.POST)
    except FormError as exc:
        return trouble(request, flow, 400, _("Something was missing from the form"),
                       _("%(problem)s Nothing was changed.") % {"problem": exc}, link=here,
                       link_text=_("Show the question again"))  # fmt: skip
    question = services.knowledge_base(language.current()).questions.get(form.question)
    if question is None:
        return trouble(request, flow, 400, _("Unknown question"),
                       _("The form answered a question we do not know. Nothing was changed."),
                       link=here, link_text=_("Show the current question"))  # fmt: skip
    value: object = None
    try:
        value = read_answer(question, request.POST)
        updated = services.submit_answer(aid, question.id, value, expected_revision=form.revision)
    except services.StaleRevision as stale:
        return stale_page(request, flow, stale.assessment, question, value)
    except Assessment.DoesNotExist:
        return gone(request, flow)
    except StateError:
        return unreadable(request, flow)
    except AnswerError as exc:
        assessment = Assessment.objects.filter(pk=aid).first()
        if assessment is None:
            return gone(request, flow)
        try:
            interview = services.load_interview(assessment, language.current())
        except StateError:
            return unreadable(request, flow)
        return refused(request, flow, assessment, interview, question, exc, value)
    after = services.load_interview(updated, language.current())
    order = [a.question for a in after.answers]
    if after.is_complete and order and order[-1] == question.id:
        return see_other(flow.result)
    return see_other(presenters.next_url(flow, after, question.id, True))


def gone(request: HttpRequest, flow: Flow) -> HttpResponse:
    """The assessment was deleted while its page was open."""
    return dead_link(request, flow) if flow.embed else not_yours(request)


def refused(
    request: HttpRequest,
    flow: Flow,
    assessment: Assessment,
    interview: Interview,
    question: Question,
    error: AnswerError,
    value: object,
) -> HttpResponse:
    here = flow.question
    if error.code is AnswerCode.not_asked:
        return trouble(request, flow, 409, _("That question comes later"),
                       _("You answered a question you have not been asked yet. Nothing was "
                         "changed."), link=here, link_text=_("Go to your current question"))  # fmt: skip
    if error.code is AnswerCode.interview_complete:
        return trouble(request, flow, 409, _("Your evaluation is already complete"),
                       _("Nothing was changed."), link=here, link_text=_("See your result"))  # fmt: skip
    if error.code is AnswerCode.unknown_question:
        return trouble(request, flow, 400, _("Unknown question"), _("Nothing was changed."), link=here,
                       link_text=_("Show the current question"))  # fmt: skip
    shown = value if question.kind in ("multi", "number") else None  # what they typed or ticked
    return render_question(request, flow, assessment, interview, question, status=400,
                           error=friendly_error(question, error), submitted=shown)  # fmt: skip


def stale_page(
    request: HttpRequest, flow: Flow, assessment: Assessment, question: Question, value: object
) -> HttpResponse:
    """The page was out of date. A repeat of what is already stored (a double click, a
    resent form) simply moves on; a different answer is shown back, not applied."""
    try:
        interview = services.load_interview(assessment, language.current())
    except StateError:
        return unreadable(request, flow)
    stored = {a.question: a.value for a in interview.answers}
    if question.id in stored:
        try:
            same = interview.answer(question.id, value).answers == interview.answers
        except AnswerError:
            same = False
        if same:
            return see_other(presenters.next_url(flow, interview, question.id, True))
        return render_question(
            request, flow, assessment, interview, question, status=409,
            notice=_("This page was out of date: your answers changed in another tab or "
                     "window, or the form was sent twice. Nothing was changed. Here is this "
                     "question with the answer we have stored; change it if you like."),
        )  # fmt: skip
    current = interview.next_question
    if current is not None and current.id == question.id:
        return render_question(request, flow, assessment, interview, question, status=409,
                               notice=_("This page was out of date. Nothing was changed. "
                                        "Please answer again."))  # fmt: skip
    return trouble(request, flow, 409, _("This page was out of date"),
                   _("Your answers changed in another tab or window, so that question is no "
                     "longer part of your evaluation. Nothing was changed."),
                   link=flow.question, link_text=_("Continue from where you are"))  # fmt: skip


# ---------------------------------------------------------------------- result
def dead_link(request: HttpRequest, flow: Flow | None) -> HttpResponse:
    return trouble(request, flow, 404, _("This link does not work"),
                   _("The private link may be mistyped or cut short, or its answers were "
                     "deleted."), link_text=_("Start a new evaluation"))  # fmt: skip


def expired_link(request: HttpRequest, flow: Flow | None, assessment: Assessment) -> HttpResponse | None:
    """The page to show when ``assessment``'s private link is too old (None while it works)."""
    if assessment.created_at >= timezone.now() - timedelta(days=settings.HEELCHECK_LINK_DAYS):
        return None
    days = int(settings.HEELCHECK_LINK_DAYS)
    return trouble(request, flow, 410, _("This link has expired"),
                   ngettext("Private links work for %(days)d day.", "Private links work for %(days)d days.",
                            days) % {"days": days},
                   link_text=_("Start a new evaluation"))  # fmt: skip


def unfinished_link(request: HttpRequest) -> HttpResponse:
    return problem(
        request,
        409,
        _("This check is not finished yet"),
        _(
            "A private link only shows a result once the check is done, and this one is not done. "
            "Only the browser that started a check can go on with it. If you started it, go back "
            "to that browser. If someone sent you this link, do not answer it for them: start a "
            "check of your own instead."
        ),
        link_text=_("Start a new check"),
    )


def by_token(view: View) -> View:
    """Load the finished assessment a private link opens, for ``view(request, assessment,
    flow, token)``.

    The link never hands over an unfinished assessment, nor lets anyone change a finished
    one, unless this browser started it: a link can come from someone else (an attacker
    starts a check, sends its link, and would read whatever the victim answers through it).
    So the link is not remembered in this browser's session either."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str) -> HttpResponse:
        assessment = Assessment.objects.by_token(token)
        if assessment is None:
            return dead_link(request, None)
        refusal = expired_link(request, None, assessment)
        if refusal is not None:
            return refusal
        mine = visitor.own(request, assessment.id) is not None
        if not assessment.is_complete or not assessment.result:
            return see_other(f"/a/{assessment.id}/") if mine else unfinished_link(request)
        flow = flows.on_site(assessment.id, token) if mine else flows.by_link(token)
        lang = speaking(request, assessment, mine=mine)
        return spoken(lang, lambda: view(request, assessment, flow, token))

    return wrapper


@never_cache
@require_safe
@by_token
def result(request: HttpRequest, assessment: Assessment, flow: Flow, token: str) -> HttpResponse:
    return show_result(request, flow, assessment, token)


def result_context(assessment: Assessment) -> dict[str, Any]:
    """What the result and print pages show, in the page's language: a result finished in
    another language is worded again in this one (the same decisions)."""
    lang = language.current()
    result = services.result_in(assessment, lang) or {}
    return presenters.result_page(result, services.knowledge_base(lang), settings.HEELCHECK_CLINIC)


def show_result(request: HttpRequest, flow: Flow, assessment: Assessment, token: str) -> HttpResponse:
    context = result_context(assessment)
    last = assessment.answers[-1]["question"] if assessment.answers else None
    context.update(
        assessment=assessment,
        token=token,
        link=request.build_absolute_uri(f"/r/{token}/"),
        print_url=f"/r/{token}/print",
        last_question=last,
    )
    return render_in(request, flow, "assessments/result.html", context)


@never_cache
@require_safe
@by_token
def print_view(request: HttpRequest, assessment: Assessment, flow: Flow, token: str) -> HttpResponse:
    context = result_context(assessment)
    context.update(assessment=assessment, token=token, result_url=f"/r/{token}/")
    return render(request, "assessments/print.html", context)


# ---------------------------------------------------------------------- delete
@never_cache
@require_http_methods(["GET", "POST"])
@owned
def delete(request: HttpRequest, assessment: Assessment, flow: Flow) -> HttpResponse:
    return confirm_delete(request, flow, assessment)


@never_cache
@require_http_methods(["GET", "POST"])
@by_token
def link_delete(request: HttpRequest, assessment: Assessment, flow: Flow, token: str) -> HttpResponse:
    """Deleting through the private link: whoever holds it may see the answers, so may also
    remove them (someone who kept only the link must be able to), never change them."""
    return confirm_delete(request, flow, assessment)


def confirm_delete(request: HttpRequest, flow: Flow, assessment: Assessment) -> HttpResponse:
    """GET: ask. POST with confirm=yes: delete for good."""
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            return trouble(request, flow, 400, _("Please confirm"), _("Nothing was deleted."),
                           link=flow.delete, link_text=_("Back"))  # fmt: skip
        services.delete_assessment(assessment.id)
        if not flow.embed:
            visitor.forget(request, assessment.id)
            return see_other(flow.deleted)
        return see_other(language.with_language(flow.deleted, language.current()))  # no session
    back = flow.result if assessment.is_complete else flow.question
    return render_in(request, flow, "assessments/delete.html",
                     {"assessment": assessment, "back": back})  # fmt: skip


@never_cache
@require_safe
def deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "assessments/deleted.html")
