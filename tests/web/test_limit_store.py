"""The rate-limit store: who counts as one client, the sliding-window counter over any
Django cache with atomic add and incr, and the SQLite store's entries really expiring."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import RequestFactory, override_settings
from hypothesis import given
from hypothesis import strategies as st
from limit_store import Clock

from heelcheck.web.limits import LIMITS_CACHE, LimitStore, SQLiteCounterCache, client_block, client_key


def key_of(address: str, **meta: str) -> str:
    return client_key(RequestFactory().post("/start/", REMOTE_ADDR=address, **meta))


def test_ipv4_addresses_are_separate_clients() -> None:
    assert key_of("127.0.0.2") != key_of("127.0.0.3")
    assert key_of("203.0.113.7") != key_of("203.0.113.8")


def test_ipv6_addresses_in_one_64_are_one_client() -> None:
    assert key_of("2001:db8::1") == key_of("2001:db8::2")
    assert key_of("2001:db8::1") == key_of("2001:db8:0:0:ffff:ffff:ffff:ffff")
    assert key_of("2001:db8::1") != key_of("2001:db8:0:1::1")  # the next /64 is someone else
    assert client_block("2001:DB8::abcd") == "2001:db8::/64"


def test_an_ipv4_mapped_address_is_its_ipv4_address() -> None:
    assert key_of("::ffff:192.0.2.1") == key_of("192.0.2.1")
    assert key_of("::ffff:192.0.2.1") != key_of("::ffff:192.0.2.2")


def test_what_is_not_an_address_still_gets_a_key_and_never_an_error() -> None:
    assert client_block("") == "other:" and client_block("not an address") == "other:not an address"
    assert key_of("") != key_of("127.0.0.1")
    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        assert key_of("10.0.0.1", HTTP_X_FORWARDED_FOR="2001:db8::5") == key_of("2001:db8::9")
        assert key_of("10.0.0.1", HTTP_X_FORWARDED_FOR="\x00garbage") != key_of("10.0.0.1")


@override_settings(HEELCHECK_PAGE_WRITE_RATE=2)
@pytest.mark.django_db
def test_a_whole_ipv6_64_shares_the_page_limit_but_ipv4_neighbours_do_not(clock: Clock) -> None:
    from django.test import Client

    def start(address: str) -> int:
        return Client(REMOTE_ADDR=address, HTTP_SEC_FETCH_DEST="iframe").post("/embed/start/").status_code

    assert [start(f"2001:db8::{n}") for n in (1, 2, 3)] == [303, 303, 429]
    assert start("2001:db8:0:1::1") == 303
    assert [start("127.0.0.2"), start("127.0.0.2"), start("127.0.0.3")] == [303, 303, 303]


def test_expired_entries_really_go(clock: Clock) -> None:
    cache = caches[LIMITS_CACHE]
    assert isinstance(cache, SQLiteCounterCache)
    store = LimitStore("test", clock=clock)
    for n in range(40):
        assert store.hit(f"client-{n}", 5).allowed
    assert cache.entries() == 40
    clock.advance(121)  # past both windows that read those counters
    assert not cache.has_key(f"heelcheck-limits:test:client-0:{int(clock.now // 60) - 2}")
    store.hit("someone-new", 100)
    store.hit("someone-new", 100)  # a write that makes no entry clears none
    assert cache.entries() == 41 - SQLiteCounterCache.PURGE_BATCH
    # Each write that makes an entry clears up to PURGE_BATCH expired ones, oldest first.
    newcomers = math.ceil(40 / (SQLiteCounterCache.PURGE_BATCH - 1))
    for n in range(newcomers):
        store.hit(f"newcomer-{n}", 100)
    assert cache.entries() == 1 + newcomers  # only the new clients' counters are left
    assert store.hit("client-0", 1).allowed  # and the old clients start afresh


def test_an_idle_store_keeps_nothing_past_its_window_once_written_to(clock: Clock) -> None:
    cache = caches[LIMITS_CACHE]
    cache.set("a", 1, timeout=10)
    cache.set("b", "text", timeout=None)
    clock.advance(11)
    assert cache.get("a") is None and cache.get("b") == "text"
    cache.set("c", 2)
    assert isinstance(cache, SQLiteCounterCache) and cache.entries() == 2


def test_the_sqlite_cache_keeps_django_cache_semantics(clock: Clock) -> None:
    cache = caches[LIMITS_CACHE]
    assert cache.add("n", 1, timeout=30) is True
    assert cache.add("n", 5, timeout=30) is False  # add never overwrites a live entry
    assert cache.incr("n") == 2 and cache.incr("n", 10) == 12 and cache.decr("n") == 11
    with pytest.raises(ValueError):
        cache.incr("missing")
    cache.set("text", {"a": [1]})
    assert cache.get("text") == {"a": [1]}
    with pytest.raises(TypeError):
        cache.incr("text")
    clock.advance(31)
    assert cache.get("n") is None and cache.add("n", 7, timeout=30) is True  # expired: replaced
    assert cache.get("n") == 7 and cache.touch("n", 100) and cache.delete("n")
    assert not cache.has_key("n")


def test_the_store_file_is_private_to_its_owner(clock: Clock) -> None:
    caches[LIMITS_CACHE].add("x", 1)
    path = Path(caches[LIMITS_CACHE].path)  # type: ignore[attr-defined]
    assert path.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    "backend",
    [
        {"BACKEND": "heelcheck.web.limits.SQLiteCounterCache"},
        # Any Django cache with atomic add and incr will do: sharing the limits between
        # machines is pointing "limits" at Redis or memcached, nothing else.
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "limits-contract"},
    ],
)
def test_the_counter_works_on_any_atomic_django_cache(backend: dict[str, str], tmp_path: Path) -> None:
    fake = Clock(1_200_000.0)
    config = {**backend, "LOCATION": backend.get("LOCATION") or str(tmp_path / "l.sqlite3")}
    with override_settings(CACHES={"default": config, LIMITS_CACHE: config}):
        if isinstance(caches[LIMITS_CACHE], SQLiteCounterCache):
            caches[LIMITS_CACHE].clock = fake  # type: ignore[attr-defined]
        store = LimitStore("contract", clock=fake)
        assert [store.hit("c", 3).allowed for _ in range(5)] == [True, True, True, False, False]
        assert store.hit("c", 3).retry_after == 80
        assert store.hit("d", 3).allowed
        caches[LIMITS_CACHE].clear()


@pytest.mark.django_db
def test_an_unreachable_store_lets_people_through_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from django.test import Client

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the store's folder should be")
    broken = {"BACKEND": "heelcheck.web.limits.SQLiteCounterCache", "LOCATION": str(blocked / "l.sqlite3")}
    local = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    with override_settings(CACHES={"default": local, LIMITS_CACHE: broken}, HEELCHECK_PAGE_WRITE_RATE=1):
        for _ in range(3):
            assert Client(REMOTE_ADDR="192.0.2.1").post("/start/").status_code == 303
    assert "rate-limit store unavailable, write allowed" in caplog.text
    assert "192.0.2.1" not in caplog.text


@given(st.text(max_size=300))
def test_any_forwarded_text_gives_a_key_and_never_an_error(text: str) -> None:
    block = client_block(text)
    assert isinstance(block, str)
    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        request = RequestFactory().post("/start/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=text)
        assert len(client_key(request)) == 32


def test_a_counter_lost_between_add_and_incr_is_counted_on(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = caches[LIMITS_CACHE]
    real_incr = cache.incr
    lost = {"count": 0}

    def incr_once_lost(key: str, delta: int = 1, version: int | None = None) -> int:
        if lost["count"] == 0:
            lost["count"] += 1
            cache.delete(key)  # a cache server restarted in between...
            cache.add(key, 2, timeout=120)  # ...and other workers have counted two since
            raise ValueError(f"Key '{key}' not found.")
        return real_incr(key, delta, version)

    monkeypatch.setattr(cache, "incr", incr_once_lost)
    store = LimitStore("lost", clock=clock)
    assert not store.hit("c", 2).allowed  # the two others' writes still count
    assert store.hit("d", 2).allowed
