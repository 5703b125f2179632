"""``GET /healthz``: is the site up and its database reachable?"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from heelcheck.engine import default_knowledge_base

log = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    kb_version = default_knowledge_base().version
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        log.error("health check: database unreachable: %s", exc)
        return JsonResponse(
            {"status": "error", "database": "unreachable", "kb_version": kb_version}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok", "kb_version": kb_version})
