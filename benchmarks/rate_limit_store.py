"""How long one rate-limit check takes in the default store (the SQLite counter cache in the
data folder, as a gunicorn worker uses it), with nobody else counted and with many other
clients counted in the same minute; and with as many expired entries waiting to be cleared.
Prints p50/p95 per check; asserts nothing.

    .venv/bin/python benchmarks/rate_limit_store.py [--clients 20000] [--checks 3000]

Each check is what a write costs: ``LimitStore.hit`` with the client's key (an HMAC of its
address block), on the site's real settings in a fresh data folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable


def percentiles(samples: list[float]) -> tuple[float, float]:
    ms = sorted(s * 1000 for s in samples)
    return statistics.median(ms), ms[int(0.95 * (len(ms) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=20_000)
    parser.add_argument("--checks", type=int, default=3_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        os.environ["HEELCHECK_DATA_DIR"] = data
        os.environ["DJANGO_SETTINGS_MODULE"] = "heelcheck.web.settings"
        import django

        django.setup()
        from django.core.cache import caches
        from django.test import RequestFactory

        from heelcheck.web.limits import LIMITS_CACHE, LimitStore, SQLiteCounterCache, client_key

        cache = caches[LIMITS_CACHE]
        factory = RequestFactory()

        def key(n: int) -> str:
            address = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"
            return client_key(factory.post("/start/", REMOTE_ADDR=address))

        keys = [key(n) for n in range(args.clients + args.checks)]
        now = [1_200_000.0]  # a window boundary; moved on by hand, so the runs are comparable
        clock: Callable[[], float] = lambda: now[0]  # noqa: E731
        if isinstance(cache, SQLiteCounterCache):
            cache.clock = clock
        store = LimitStore("bench", clock=clock)

        def timed(clients: list[str], spread: float) -> list[float]:
            """One check per client, the clock moving across ``spread`` seconds."""
            samples = []
            for i, client in enumerate(clients):
                now[0] = 1_200_000.0 + spread * i / len(clients) + offset[0]
                t0 = time.perf_counter()
                store.hit(client, 120)
                samples.append(time.perf_counter() - t0)
            return samples

        offset = [0.0]
        print(f"store: {type(cache).__module__}.{type(cache).__name__}, {args.checks} checks each")
        print(f"{'clients counted':<34} {'p50 ms':>8} {'p95 ms':>8} {'entries':>8}")

        def row(label: str, samples: list[float]) -> float:
            p50, p95 = percentiles(samples)
            entries = cache.entries() if isinstance(cache, SQLiteCounterCache) else -1
            print(f"{label:<34} {p50:8.3f} {p95:8.3f} {entries:8}")
            return p50

        probe = keys[args.clients :]
        timed(probe[:200], 1.0)  # warm up: open the database, compile the statements
        cache.clear()
        empty = row("0 (each check a new client)", timed(probe, 1.0))
        cache.clear()
        timed(keys[: args.clients], 1.0)  # fill: every client writes once in this minute
        full = row(f"{args.clients:,} (each check a new client)", timed(probe, 1.0))
        again = row(f"{args.clients:,} (each check a counted one)", timed(keys[: args.checks], 1.0))
        offset[0] = 200.0  # every entry so far expired; the checks clear them as they go
        expired = row(f"{args.clients:,} expired, being cleared", timed(probe, 1.0))
        print(f"p50 at {args.clients:,} / p50 at 0: new client {full / empty:.2f}x, "
              f"counted client {again / empty:.2f}x, with expired entries {expired / empty:.2f}x "
              "(target: within 1.5x)")  # fmt: skip
    sys.stdout.flush()


if __name__ == "__main__":
    main()
