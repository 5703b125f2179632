"""The staff pages: login and logout, the dashboard, the exports, the lock-out page."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_safe

from heelcheck.engine import default_knowledge_base
from heelcheck.web.assessments.models import Assessment
from heelcheck.web.errors import problem

from . import charts, exports, stats
from .access import staff_required
from .filters import DASHBOARD_MAX_DAYS, DateRange, RangeForm
from .forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "staff/login.html"
    authentication_form = LoginForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        context["otp"] = settings.HEELCHECK_STAFF_OTP
        return context


class LogoutView(auth_views.LogoutView):
    """POST only (Django's own rule); then back to the login page (LOGOUT_REDIRECT_URL)."""


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the page shown when an account is locked after failed logins."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(
        request,
        "staff/locked_out.html",
        {"failures": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
        status=429,
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["Retry-After"] = str(minutes * 60)
    return response


def chosen_range(request: HttpRequest, max_days: int | None = None) -> tuple[DateRange, list[str]]:
    return RangeForm(request.GET, max_days=max_days).date_range()


def duration_text(value: timedelta | None) -> str:
    """A duration as people say it: "2 min 05 s", "1 h 02 min", "–" for none."""
    if value is None:
        return "–"
    seconds = round(value.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {secs:02d} s"


@require_safe
@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    date_range, errors = chosen_range(request, DASHBOARD_MAX_DAYS)
    kb = default_knowledge_base()
    figures = stats.dashboard(Assessment.objects.all(), date_range, kb)
    context = {
        "d": figures,
        "errors": errors,
        "range": date_range,
        "completion_rate": stats.percent(figures.completion_rate),
        "median": duration_text(figures.median_time_to_complete),
        "day_chart": charts.day_chart(
            "Assessments started and completed per day",
            [(f"{d.day:%Y-%m-%d}", d.started, d.completed) for d in figures.days],
        ),
        "stopped_chart": charts.bar_chart(
            "Unfinished assessments by the question they stopped at",
            [(s.label, s.count) for s in figures.stopped_at],
        ),
        "answers_chart": charts.bar_chart(
            "Unfinished assessments by the number of answers given",
            [(s.label, s.count) for s in figures.answers_when_stopped],
        ),
        "leading_chart": charts.bar_chart(
            "Completed assessments by most likely condition", [(s.label, s.count) for s in figures.leading]
        ),
        "triage_chart": charts.bar_chart(
            "Completed assessments by care level", [(s.label, s.count) for s in figures.triage]
        ),
        "versions_chart": charts.bar_chart(
            "Completed assessments by knowledge-base version",
            [(g.label, g.completed) for g in figures.kb_versions],
        ),
        "sources_chart": charts.bar_chart(
            "Completed assessments by source", [(g.label, g.completed) for g in figures.sources]
        ),
    }
    return render(request, "staff/dashboard.html", context)


def _export(
    request: HttpRequest,
    chunks: Callable[[QuerySet[Assessment]], Iterable[str]],
    content_type: str,
    name: str,
    extension: str,
) -> HttpResponseBase:
    """The assessments of the requested dates, streamed as ``chunks`` writes them, as the
    download ``heelcheck-<name>-<dates>.<extension>``; a bad date range exports nothing."""
    date_range, errors = chosen_range(request)
    if errors:
        return bad_range(request, errors)
    rows = date_range.filter(Assessment.objects.all())
    response = StreamingHttpResponse(exports.encoded(chunks(rows)), content_type=content_type)
    filename = f"heelcheck-{name}-{date_range.slug()}.{extension}"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@require_GET
@staff_required
def export_csv(request: HttpRequest) -> HttpResponseBase:
    kb = default_knowledge_base()
    return _export(
        request,
        lambda rows: exports.csv_lines(kb, rows),
        "text/csv; charset=utf-8",
        "assessments",
        "csv",
    )


@require_GET
@staff_required
def export_fhir(request: HttpRequest) -> HttpResponseBase:
    timestamp = timezone.now().isoformat()
    return _export(
        request,
        lambda rows: exports.fhir_bundle_chunks(rows, timestamp),
        "application/fhir+json; charset=utf-8",
        "fhir",
        "json",
    )


def bad_range(request: HttpRequest, errors: list[str]) -> HttpResponse:
    """An export with a date range that cannot be read: say so, export nothing."""
    return problem(
        request, 400, "These dates cannot be read", " ".join(errors[:-1]),
        link="/staff/", link_text="Back to the dashboard",
    )  # fmt: skip
