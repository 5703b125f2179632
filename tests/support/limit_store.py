"""Each test counts rate limits in a store of its own (a fresh SQLite file, the site's
default kind), so tests never share or leave counts; ``limit_clock`` freezes its time."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from django.core.cache import caches
from pytest_django.fixtures import Settings

from heelcheck.web.limits import API_WRITES, LIMITS_CACHE, PAGE_WRITES


class Clock:
    """A clock the tests move by hand (for the rate limiter's window)."""

    def __init__(self, now: float = 1_200_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def private_limit_store(settings: Settings, tmp_path: Path, default_cache: str) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": default_cache},
        LIMITS_CACHE: {
            "BACKEND": "heelcheck.web.limits.SQLiteCounterCache",
            "LOCATION": str(tmp_path / "limits.sqlite3"),
        },
    }


def frozen_clock(monkeypatch: pytest.MonkeyPatch, start: float = 1_200_000.0) -> Clock:
    """The limiter's and its store's clock, frozen at ``start`` (a window boundary: 60 × N)."""
    fake = Clock(start)
    for store in (API_WRITES, PAGE_WRITES):
        monkeypatch.setattr(store, "clock", fake)
    monkeypatch.setattr(caches[LIMITS_CACHE], "clock", fake)
    return fake


# The fixtures themselves, imported by each folder's conftest that needs them.
_cache_names = itertools.count()


@pytest.fixture(autouse=True)
def private_cache(settings: Settings, tmp_path: Path) -> None:
    private_limit_store(settings, tmp_path, f"test-{next(_cache_names)}")


@pytest.fixture
def clock(private_cache: None, monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The rate limiter's clock, frozen at a window boundary; ``clock.advance(s)`` moves it on."""
    return frozen_clock(monkeypatch)
