"""The URL map: the patient flow, the API, the staff pages, the health check, and the error
pages."""

from __future__ import annotations

from django.urls import include, path

from . import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("staff/", include("heelcheck.web.staff.urls")),
    path("", include("heelcheck.web.api.urls")),
    path("", include("heelcheck.web.assessments.urls")),
]

handler400 = "heelcheck.web.errors.bad_request"
handler403 = "heelcheck.web.errors.permission_denied"
handler404 = "heelcheck.web.errors.page_not_found"
handler500 = "heelcheck.web.errors.server_error"
