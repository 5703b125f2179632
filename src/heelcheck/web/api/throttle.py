"""Rate limiting of API writes, per client, shared by every gunicorn worker.

django-ninja's sliding-window throttle does the counting: each client's recent write times
live in Django's default cache (a file cache in the data folder, which all workers on the
machine share), and ninja answers a refused request through the API's exception handlers
(so in the one error format) with a ``Retry-After`` header. This module adds what is ours:

- the limit is ``settings.HEELCHECK_API_WRITE_RATE`` writes per minute, read on each request;
- only writes count (POST, PUT, PATCH, DELETE); reads are never limited;
- the client is its remote address (the proxy's X-Forwarded-For only behind a proxy), but
  the cache key is a keyed hash of it (HMAC with the secret key): no IP address is stored,
  and the entry expires with the window;
- the read-count-write of the cache happens under a lock file, so two workers serving the
  same client at the same moment cannot both take the last place.
"""

from __future__ import annotations

import fcntl
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from ninja.throttling import SimpleRateThrottle

WINDOW_SECONDS = 60
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def client_address(request: HttpRequest) -> str:
    """The address the request came from. Behind a proxy (HEELCHECK_BEHIND_PROXY=1, which is
    what sets SECURE_PROXY_SSL_HEADER) that is the last X-Forwarded-For entry, the one our own
    proxy appended; entries before it are whatever the client chose to send."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = [a.strip() for a in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return remote


def client_key(request: HttpRequest) -> str:
    """A cache key for the client that does not reveal its address."""
    digest = salted_hmac("heelcheck.api.write-rate", client_address(request), algorithm="sha256")
    return f"heelcheck-api-writes:{digest.hexdigest()[:32]}"


@contextmanager
def cross_process_lock() -> Iterator[None]:
    """Serialise the throttle's read-modify-write across the worker processes of this machine."""
    path = Path(settings.DATA_DIR) / "api-write-rate.lock"
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class WriteThrottle(SimpleRateThrottle):
    """HEELCHECK_API_WRITE_RATE writes per client per minute. ``timer`` is the clock (tests
    replace it). Ninja keeps each check's state on the instance; here the whole check runs
    under the lock (which also excludes other threads: each one opens the lock file anew)
    and the wait it implies is kept per thread, so one instance can serve threads too."""

    def __init__(self) -> None:
        super().__init__(rate=f"1/{WINDOW_SECONDS}s")
        self.last_wait = threading.local()

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if request.method not in WRITE_METHODS:
            return None
        return client_key(request)

    def allow_request(self, request: HttpRequest) -> bool:
        if request.method not in WRITE_METHODS:
            return True
        with cross_process_lock():
            self.num_requests = int(settings.HEELCHECK_API_WRITE_RATE)
            self.duration = WINDOW_SECONDS
            allowed = bool(super().allow_request(request))
            self.last_wait.seconds = None if allowed else self.seconds_to_wait()
        return allowed

    def seconds_to_wait(self) -> float:
        """Whole seconds until a place frees up in the window (at least one). The history is
        newest first; a place frees when the write at the limit's position leaves it."""
        limit = max(1, int(self.num_requests or 1))
        if len(self.history) < limit:
            return 1.0
        return float(max(1, math.ceil(self.history[limit - 1] + WINDOW_SECONDS - self.now)))

    def wait(self) -> float:
        return float(getattr(self.last_wait, "seconds", None) or 1.0)


write_throttle = WriteThrottle()
