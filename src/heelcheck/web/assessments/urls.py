from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("privacy/", views.privacy, name="privacy"),
    path("start/", views.start, name="start"),
    path("a/<uuid:aid>/", views.question, name="question"),
    path("a/<uuid:aid>/q/<slug:qid>/", views.revisit, name="revisit"),
    path("a/<uuid:aid>/delete", views.delete, name="delete"),
    path("deleted/", views.deleted, name="deleted"),
    path("r/<str:token>/", views.result, name="result"),
    path("r/<str:token>/print", views.print_view, name="print"),
]
