"""Limits on abuse: how many writes one client may make a minute, on the pages and the API.

**Who is a client.** Its address (the proxy's last X-Forwarded-For entry behind a proxy),
reduced to the block one subscriber controls:

- IPv6 by its /64. A home or phone connection is handed a whole /64 (RFC 6177 and every
  large ISP's practice) and may pick any of its 2^64 addresses, so counting single IPv6
  addresses would give an attacker an endless supply of fresh quotas.
- IPv4 by the single address. An IPv4 address is scarce and costly; the neighbours in a /24
  are usually other subscribers of the same ISP, so grouping by /24 would make strangers
  share (and use up) each other's quota while buying an attacker little.
  An IPv4-mapped IPv6 address (``::ffff:192.0.2.1``) counts as its IPv4 address.

The key is an HMAC of that block with the secret key: no address is ever stored, and a key
cannot be reversed by trying all 2^32 IPv4 addresses without the secret.

**Counting** is a sliding-window counter (as Cloudflare and ``limits`` do it): one counter
per client per fixed one-minute window, and the estimate for the last minute is this
window's count plus last window's count weighted by the part of it still inside the minute.
Per check that is one ``cache.add`` and one ``cache.incr`` (both atomic in every cache that
fits, see below) and one ``cache.get``: constant time, whatever the number of clients. The
counter is incremented first and the request judged by the value the increment returned,
so two workers can never both take the last place; a refused request gives its place back
(``decr``), so refusals do not lengthen the wait.

**Where the counts live** is the Django cache named ``limits``, and only that is a setting:

- on one machine (the default), :class:`SQLiteCounterCache` below, a small SQLite database
  of its own in the data folder, which every gunicorn worker of the machine opens;
- on several machines, a cache they share, with ``add`` and ``incr`` atomic in the server:
  Django's built-in ``django.core.cache.backends.redis.RedisCache`` (INCRBY) or
  ``PyMemcacheCache``. Nothing else changes.

Why not the caches Django already has: ``FileBasedCache`` (used until now) lists its whole
folder whenever it writes and counts more than MAX_ENTRIES, keeps expired entries until then,
and then culls a random third, resetting other clients' counts; and neither it nor
``DatabaseCache`` has an atomic ``incr`` (both inherit ``BaseCache.incr``: a ``get`` then a
``set``), which is why a lock file had to serialise every check. ``LocMemCache`` is atomic
but per process, so each gunicorn worker would allow the full limit.

Why not a library. ``django-ratelimit`` (last release 2023) counts fixed windows only (twice
the limit across a window boundary), hashes the address with plain MD5 (reversible for
IPv4) unless given another key, and needs an atomic cache just the same: it would have
replaced the twenty lines of arithmetic here, not the store. ``limits`` and
``pyrate-limiter`` are well kept and have the right algorithms, but keep counts in storages
of their own (their own Redis client and URL, no SQLite shared by processes for ``limits``;
``pyrate-limiter``'s SQLite bucket keeps one row per request), so they would not share
Django's cache configuration. The arithmetic is small enough to own and test.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import math
import os
import pickle
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

WINDOW_SECONDS = 60
LIMITS_CACHE = "limits"
logger = logging.getLogger(__name__)


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


def client_block(address: str) -> str:
    """What one client controls: an IPv4 address, or the /64 of an IPv6 one (see the module
    docstring). Anything that is not an address (a proxy's garbage) counts as itself."""
    try:
        parsed = ipaddress.ip_address(address.strip().strip("[]").split("%")[0])
    except ValueError:
        return f"other:{address}"
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        parsed = parsed.ipv4_mapped
    if isinstance(parsed, ipaddress.IPv4Address):
        return str(parsed)
    return str(ipaddress.IPv6Network((parsed, 64), strict=False))


def client_key(request: HttpRequest) -> str:
    """A key for the client that does not reveal its address."""
    block = client_block(client_address(request))
    return salted_hmac("heelcheck.limits.client", block, algorithm="sha256").hexdigest()[:32]


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int  # whole seconds until a write would be allowed (0 when allowed)


class LimitStore:
    """``limit`` writes per ``WINDOW_SECONDS`` per key, counted in the ``limits`` cache.
    ``clock`` is the time (tests replace it)."""

    def __init__(self, scope: str, clock: Callable[[], float] = time.time) -> None:
        self.scope = scope
        self.clock = clock

    def hit(self, client: str, limit: int) -> Decision:
        """Count one write of ``client`` and say whether it is allowed. If the store cannot
        be reached (a full disk, a Redis server restarting), the write is allowed and a
        warning logged: people keep getting their evaluation, and the limit is back as soon
        as the store is."""
        try:
            return self._hit(client, limit)
        except Exception as error:
            logger.warning("rate-limit store unavailable, write allowed: %s", type(error).__name__)
            return Decision(True, 0)

    def _hit(self, client: str, limit: int) -> Decision:
        cache = caches[LIMITS_CACHE]
        now = self.clock()
        window = math.floor(now / WINDOW_SECONDS)
        elapsed = now - window * WINDOW_SECONDS
        key = f"heelcheck-limits:{self.scope}:{client}:{window}"
        # Two windows: the previous one is read for the estimate during this one.
        cache.add(key, 0, timeout=2 * WINDOW_SECONDS)
        try:
            count = int(cache.incr(key))
        except ValueError:  # gone between add and incr (a cache server restarted): start again
            count = 1 if cache.add(key, 1, timeout=2 * WINDOW_SECONDS) else int(cache.incr(key))
        previous = int(cache.get(f"heelcheck-limits:{self.scope}:{client}:{window - 1}") or 0)
        weight = (WINDOW_SECONDS - elapsed) / WINDOW_SECONDS
        if previous * weight + count <= limit:
            return Decision(True, 0)
        with contextlib.suppress(ValueError):  # already gone: nothing to give back
            cache.decr(key)
        return Decision(False, seconds_to_wait(limit, previous, count - 1, elapsed))


def seconds_to_wait(limit: int, previous: int, current: int, elapsed: float) -> int:
    """Whole seconds (at least 1) until ``previous * weight + current + 1 <= limit``, the
    weight falling from 1 to 0 across this window; if this window alone is full, until the
    same holds in the next one, where this window's count is the previous one."""
    room = limit - current - 1
    if room >= 0:
        # previous * (W - t) / W <= room  <=>  t >= W * (1 - room / previous)
        at = WINDOW_SECONDS * (1 - room / previous) if previous else elapsed
        return max(1, math.ceil(at - elapsed))
    carried = current  # this window becomes the previous one; the next starts empty
    at = WINDOW_SECONDS * (1 - (limit - 1) / carried) if carried else 0.0
    return max(1, math.ceil(WINDOW_SECONDS - elapsed + max(0.0, at)))


class SQLiteCounterCache(BaseCache):
    """A Django cache in a SQLite database of its own (LOCATION: the file), made for counters
    shared by the worker processes of one machine.

    Every operation is one SQL statement on an indexed table, so it is atomic across processes
    (SQLite's write lock) and takes the same time whatever the number of entries: ``add`` is
    an upsert that replaces only an expired entry, ``incr`` an ``UPDATE ... RETURNING``. A
    write that makes an entry also deletes up to PURGE_BATCH expired ones, oldest first,
    through the index on the expiry time: no write makes more than one, so expired entries
    never pile up (a backlog left by a burst shrinks by three a write), and no write pays for
    more than a few. WAL with synchronous=NORMAL: a write never waits on the disk; losing the
    last counts on a power cut does no harm. Integers are stored as SQLite
    integers (so ``incr`` can add in SQL), anything else pickled. ``clock`` is the time."""

    PURGE_BATCH = 4

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        self.path = Path(location)
        self.clock: Callable[[], float] = time.time
        self._local = threading.local()

    # ------------------------------------------------------------------ connection
    def _db(self) -> sqlite3.Connection:
        # One connection per thread and process: a connection must not cross a fork.
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None or self._local.pid != os.getpid():
            conn = self._open()
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600))  # never world-readable
        conn = sqlite3.connect(self.path, timeout=20, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value, expires REAL NOT NULL)"
            " WITHOUT ROWID"
        )
        conn.execute("CREATE INDEX IF NOT EXISTS entries_expires ON entries (expires)")
        return conn

    def _expiry(self, timeout: Any) -> float:
        """Django's meaning: None never expires, 0 or less is already expired."""
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        if timeout is None:
            return math.inf
        seconds = float(timeout)
        return self.clock() + (seconds if seconds > 0 else -1)

    @staticmethod
    def _encode(value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def _decode(stored: Any) -> Any:
        return pickle.loads(stored) if isinstance(stored, bytes) else stored

    def _purge(self, conn: sqlite3.Connection, now: float) -> None:
        conn.execute(
            "DELETE FROM entries WHERE key IN"
            " (SELECT key FROM entries WHERE expires <= ? ORDER BY expires LIMIT ?)",
            (now, self.PURGE_BATCH),
        )

    # ------------------------------------------------------------------ the cache API
    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        conn, now = self._db(), self.clock()
        cursor = conn.execute(
            "INSERT INTO entries (key, value, expires) VALUES (?, ?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires = excluded.expires"
            " WHERE entries.expires <= ?",
            (key, self._encode(value), self._expiry(timeout), now),
        )
        if cursor.rowcount != 1:
            return False
        self._purge(conn, now)  # only a write that made an entry clears some: they keep pace
        return True

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        row = (
            self._db()
            .execute("SELECT value FROM entries WHERE key = ? AND expires > ?", (key, self.clock()))
            .fetchone()
        )
        return default if row is None else self._decode(row[0])

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        key = self.make_and_validate_key(key, version=version)
        conn = self._db()
        self._purge(conn, self.clock())
        conn.execute(
            "INSERT INTO entries (key, value, expires) VALUES (?, ?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires = excluded.expires",
            (key, self._encode(value), self._expiry(timeout)),
        )

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        cursor = self._db().execute(
            "UPDATE entries SET expires = ? WHERE key = ? AND expires > ?",
            (self._expiry(timeout), key, self.clock()),
        )
        return cursor.rowcount == 1

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        made = self.make_and_validate_key(key, version=version)
        row = (
            self._db()
            .execute(
                "UPDATE entries SET value = value + ? WHERE key = ? AND expires > ?"
                " AND typeof(value) = 'integer' RETURNING value",
                (delta, made, self.clock()),
            )
            .fetchone()
        )
        if row is None:
            if self.has_key(key, version=version):
                raise TypeError(f"Key '{key}' does not hold a whole number.")
            raise ValueError(f"Key '{key}' not found.")
        return int(row[0])

    def delete(self, key: Any, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        cursor = self._db().execute("DELETE FROM entries WHERE key = ? AND expires > ?", (key, self.clock()))
        return cursor.rowcount == 1

    def has_key(self, key: Any, version: int | None = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        row = (
            self._db()
            .execute("SELECT 1 FROM entries WHERE key = ? AND expires > ?", (key, self.clock()))
            .fetchone()
        )
        return row is not None

    def clear(self) -> None:
        self._db().execute("DELETE FROM entries")

    def entries(self) -> int:
        """How many entries the table holds, expired or not (for tests and the benchmark)."""
        return int(self._db().execute("SELECT count(*) FROM entries").fetchone()[0])


def limits_cache() -> BaseCache:
    return caches[LIMITS_CACHE]


PAGE_WRITES = LimitStore("pages")
"""Starting and answering on the site and in the widget (HEELCHECK_PAGE_WRITE_RATE)."""
API_WRITES = LimitStore("api")
"""POST and DELETE under /api/v1/ (HEELCHECK_API_WRITE_RATE)."""
