"""What the browser tests share: a time limit instead of a hang, the guard that fails a test
when a page loaded anything from elsewhere, a new page with that guard, and axe-core.

(A module of its own, not conftest.py: ``from conftest import`` finds whichever conftest
pytest loaded last, another folder's when several folders are collected together.)"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Frame, Page, ViewportSize


@contextmanager
def time_limit(seconds: int, what: str) -> Iterator[None]:
    """Fail instead of hanging (a browser that never answers, axe in a dead page)."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"{what} took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


class Outside:
    """Every request a page made to somewhere other than the site (and ``also``: the other
    origins a test serves itself, such as a page that embeds the widget)."""

    def __init__(self, base: str, *also: str) -> None:
        self.bases = tuple(f"{b}/" for b in (base, *also))
        self.urls: list[str] = []

    def watch(self, context: BrowserContext) -> None:
        def seen(request: Any) -> None:
            url = request.url
            if not (url.startswith(self.bases) or url.startswith("data:")):
                self.urls.append(url)

        context.on("request", seen)


PHONE: ViewportSize = {"width": 390, "height": 844}


def new_page(
    browser: Browser, site: str, *, javascript: bool, viewport: ViewportSize = PHONE
) -> tuple[Page, Outside]:
    context = browser.new_context(base_url=site, java_script_enabled=javascript, viewport=viewport)
    context.set_default_timeout(15_000)
    outside = Outside(site)
    outside.watch(context)
    return context.new_page(), outside


def violations(page: Page | Frame) -> list[str]:
    """Every axe-core finding on the page as it is now, whatever its impact.  axe-core is a
    script: on a page without JavaScript it cannot run, and none is returned."""
    from axe_playwright_python.sync_playwright import Axe

    if isinstance(page, Page) and not page.locator("html.js").count():
        return []
    with time_limit(60, f"axe-core on {page.url}"):
        results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']}" for v in results.response["violations"]]


def serious_violations(page: Page | Frame) -> list[str]:
    """axe-core's serious and critical findings on the page (or in the frame) as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    with time_limit(60, f"axe-core on {page.url}"):
        results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
