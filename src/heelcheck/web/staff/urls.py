from __future__ import annotations

from django.urls import path

from . import views

app_name = "staff"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("export/assessments.csv", views.export_csv, name="export_csv"),
    path("export/fhir.json", views.export_fhir, name="export_fhir"),
]
