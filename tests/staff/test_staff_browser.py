"""The staff pages in a real Chromium against `heelcheck serve`: the first account made with
the command line, login, the dashboard (axe-core, no Content-Security-Policy violation,
nothing loaded from elsewhere), logout, and the lock-out page."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from staff_helpers import PASSWORD

pytestmark = pytest.mark.e2e

CHROMIUM = os.environ.get("HEELCHECK_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
SEED = """
from datetime import timedelta
from django.utils import timezone
from heelcheck.web.assessments.models import Assessment, new_token
now = timezone.now()
for i, (status, question) in enumerate([("complete", None), ("complete", None), ("in_progress", "where")]):
    a = Assessment(status=status, current_question=question, kb_version="v1", answers=[],
                   created_at=now - timedelta(days=i), completed_at=now if status == "complete" else None,
                   result={"ranked": [["plantar_fasciitis", 0.8]], "triage": "soon", "back_link": "none"}
                   if status == "complete" else None)
    a.set_token(new_token())
    a.save()
"""


@contextmanager
def time_limit(seconds: int, what: str) -> Iterator[None]:
    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"{what} took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def manage(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "heelcheck.web", *args],
        input=stdin, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`heelcheck serve` in a fresh data folder, with Carol's account made by the command."""
    data = tmp_path_factory.mktemp("staff-site")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env["HEELCHECK_DATA_DIR"] = str(data)
    log = (data / "serve.log").open("wb")
    cli = Path(sys.executable).with_name("heelcheck")
    proc = subprocess.Popen(
        [str(cli), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the site did not start: {(data / 'serve.log').read_text()}")
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as r:
                    if json.loads(r.read())["status"] == "ok":
                        break
            except OSError:
                time.sleep(0.2)
        made = manage(env, "create_staff", "carol", "--password-stdin", stdin=PASSWORD + "\n")
        assert made.returncode == 0, made.stderr
        again = manage(env, "create_staff", "carol", "--password-stdin", stdin=PASSWORD + "\n")
        assert again.returncode == 1
        assert "A user named 'carol' already exists" in again.stderr
        seeded = manage(env, "shell", "-c", SEED)
        assert seeded.returncode == 0, seeded.stderr
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: these tests never skip.")
    config = tmp_path_factory.mktemp("chromium-config")
    with sync_playwright() as p:
        with time_limit(60, "starting Chromium"):
            browser = p.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=ARGS,
                env={**os.environ, "XDG_CONFIG_HOME": str(config)},
            )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, site: str) -> Iterator[Page]:
    context = browser.new_context(base_url=site, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    outside: list[str] = []
    context.on(
        "request", lambda r: None if r.url.startswith((site + "/", "data:")) else outside.append(r.url)
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert outside == [], f"requests left the site: {outside}"
    assert [p for p in problems if "Content Security Policy" in p] == []


def serious_violations(page: Page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    with time_limit(60, f"axe-core on {page.url}"):
        results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def log_in(page: Page, password: str) -> None:
    page.get_by_label("Username").fill("carol")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_staff_log_in_see_the_dashboard_and_log_out(page: Page) -> None:
    with time_limit(120, "the staff pages"):
        page.goto("/staff/")
        assert "/staff/login/" in page.url
        assert serious_violations(page) == [], "login page"
        log_in(page, PASSWORD)
        page.wait_for_url("**/staff/")
        assert page.locator("#started").inner_text() == "3"
        assert page.locator("#completed").inner_text() == "2"
        assert page.locator("#completion-rate").inner_text() == "66.7 %"
        assert page.locator("svg.chart").count() == 7
        assert page.locator("svg.chart").first.bounding_box()["width"] > 300  # type: ignore[index]
        assert serious_violations(page) == [], "dashboard"
        page.get_by_role("button", name="Log out").click()
        page.wait_for_url("**/staff/login/")
        page.goto("/staff/")
        assert "/staff/login/" in page.url


def test_a_locked_account_gets_a_page_that_says_so(page: Page) -> None:
    with time_limit(120, "locking the account"):
        page.goto("/staff/login/")
        for _ in range(5):
            log_in(page, "not the password")
        assert page.get_by_role("heading", name="This account is locked for now").is_visible()
        assert serious_violations(page) == [], "lock-out page"
