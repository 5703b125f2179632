from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "heelcheck.web.api"
    label = "heelcheck_api"
    verbose_name = "JSON API"
