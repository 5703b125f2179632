"""End-to-end fixtures: the real site under gunicorn (`heelcheck serve`) over a fresh
database (site_processes.live_site), and Debian's Chromium driven by Playwright. Browsers
are never downloaded: if /usr/bin/chromium is missing these tests fail, they do not skip."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_support import new_page, time_limit
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from site_processes import live_site

from heelcheck.engine import KnowledgeBase, default_knowledge_base
from heelcheck.vignettes import load_vignettes

CHROMIUM = os.environ.get("HEELCHECK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHARED = Path(__file__).resolve().parents[2].parent / "shared"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return default_knowledge_base()


@pytest.fixture(scope="session")
def vignettes() -> dict[str, dict[str, Any]]:
    path = SHARED / "vignettes" / "dev.yaml"
    assert path.is_file(), f"the shared vignettes are expected at {path}"
    return {str(v["id"]): v for v in load_vignettes(path)}


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of the site, served by `heelcheck serve` on loopback over a fresh
    database of this run's backend (PostgreSQL when DATABASE_URL is set, else SQLite)."""
    with live_site(tmp_path_factory.mktemp("site")) as live:
        yield live.url


# Playwright's sync API keeps an event loop running while it is open, and asyncio.run()
# refuses to start under a running loop: so it lives per test module, not for the whole
# session, and the tests collected after these (asyncio load and fault tests) run loop-free.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright: Playwright, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: install Debian's package "
            "(scripts/setup --system, or apt-get install chromium). These tests never skip."
        )
    config = tmp_path_factory.mktemp("chromium-config")
    with time_limit(60, "starting Chromium"):
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            env={**os.environ, "XDG_CONFIG_HOME": str(config)},
        )
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser, site: str) -> Iterator[Page]:
    """A phone-sized page with JavaScript on; fails the test if anything left the site."""
    p, outside = new_page(browser, site, javascript=True)
    yield p
    p.context.close()
    assert outside.urls == [], f"requests left the site: {outside.urls}"


@pytest.fixture
def page_without_js(browser: Browser, site: str) -> Iterator[Page]:
    p, outside = new_page(browser, site, javascript=False)
    yield p
    p.context.close()
    assert outside.urls == [], f"requests left the site: {outside.urls}"
