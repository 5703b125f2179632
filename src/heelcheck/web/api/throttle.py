"""Rate limiting of API writes, per client, shared by every gunicorn worker.

The counting is :mod:`heelcheck.web.limits` (a sliding-window counter in the ``limits``
cache, per client block, keyed by an HMAC of it); this module plugs it into django-ninja,
which answers a refused request through the API's exception handlers (so in the one error
format) with a ``Retry-After`` header. Only writes count (POST, PUT, PATCH, DELETE); reads
are never limited. The limit is ``settings.HEELCHECK_API_WRITE_RATE`` a minute, read on each
request.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from heelcheck.web.limits import API_WRITES, WINDOW_SECONDS, LimitStore, client_key

__all__ = ["WINDOW_SECONDS", "WRITE_METHODS", "WriteThrottle", "client_key", "write_throttle"]

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class WriteThrottle(BaseThrottle):
    """Ninja asks ``allow_request`` and then ``wait`` on one shared instance, so the wait of
    a refusal is kept per thread."""

    def __init__(self, store: LimitStore) -> None:
        self.store = store
        self.last_wait = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        if request.method not in WRITE_METHODS:
            return True
        decision = self.store.hit(client_key(request), int(settings.HEELCHECK_API_WRITE_RATE))
        self.last_wait.seconds = decision.retry_after
        return decision.allowed

    def wait(self) -> float:
        return float(getattr(self.last_wait, "seconds", None) or 1)


write_throttle = WriteThrottle(API_WRITES)
"""Writes are limited per client (HEELCHECK_API_WRITE_RATE a minute); reads never are."""
