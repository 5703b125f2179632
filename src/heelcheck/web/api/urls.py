"""Mounted by the site's URL map under ``api/v1/``."""

from __future__ import annotations

from django.urls import path

from .views import api

urlpatterns = [path("api/v1/", api.urls)]
