from __future__ import annotations

from django.urls import path

from . import embed, views

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
    path("r/<str:token>/delete", views.link_delete, name="link-delete"),
    # The same evaluation for another site's iframe: the private token is in every address.
    path("embed/", embed.landing, name="embed"),
    path("embed/start/", embed.start, name="embed-start"),
    path("embed/a/<slug:token>/", embed.question, name="embed-question"),
    path("embed/a/<slug:token>/q/<slug:qid>/", embed.revisit, name="embed-revisit"),
    path("embed/a/<slug:token>/result", embed.result, name="embed-result"),
    path("embed/a/<slug:token>/delete", embed.delete, name="embed-delete"),
    path("embed/deleted/", embed.deleted, name="embed-deleted"),
    path("embed/<path:rest>", embed.not_found),
]
