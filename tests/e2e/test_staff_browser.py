"""The staff pages in a real Chromium against `heelcheck serve`: the first account made with
the command line, login, the dashboard (axe-core, no Content-Security-Policy violation,
nothing loaded from elsewhere), logout, and the lock-out page."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
from django_otp.oath import TOTP
from e2e_support import new_page, serious_violations, time_limit
from playwright.sync_api import Browser, Page, ViewportSize
from site_processes import live_site

pytestmark = pytest.mark.e2e

PASSWORD = "heel-pain-clinic-2026"  # Carol's, as in tests/staff/staff_helpers.py
DESKTOP: ViewportSize = {"width": 1280, "height": 900}  # the dashboard is used at a desk
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


SECRET: list[str] = []  # Carol's TOTP secret, as create_staff printed it


def manage(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "heelcheck.web", *args],
        input=stdin, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`heelcheck serve` over a fresh database, with Carol's account made by the command
    against that same database, and three assessments seeded into it."""
    with live_site(tmp_path_factory.mktemp("staff-site"), workers=1) as live:
        env = live.database.env()
        made = manage(env, "create_staff", "carol", "--password-stdin", stdin=PASSWORD + "\n")
        assert made.returncode == 0, made.stderr
        secret = re.search(r"secret key: ([A-Z2-7]+)", made.stdout)
        assert secret, made.stdout
        SECRET.append(secret.group(1))
        again = manage(env, "create_staff", "carol", "--password-stdin", stdin=PASSWORD + "\n")
        assert again.returncode == 1
        assert "A user named 'carol' already exists" in again.stderr
        seeded = manage(env, "shell", "-c", SEED)
        assert seeded.returncode == 0, seeded.stderr
        yield live.url


@pytest.fixture
def page(browser: Browser, site: str) -> Iterator[Page]:
    """A desktop-sized page; fails the test if anything left the site or the
    Content-Security-Policy refused something."""
    p, outside = new_page(browser, site, javascript=True, viewport=DESKTOP)
    problems: list[str] = []
    p.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    yield p
    p.context.close()
    assert outside.urls == [], f"requests left the site: {outside.urls}"
    assert [m for m in problems if "Content Security Policy" in m] == []


def current_code() -> str:
    """What Carol's authenticator app shows now, from the secret create_staff printed."""
    secret = SECRET[0]
    totp = TOTP(base64.b32decode(secret + "=" * (-len(secret) % 8)), step=30, digits=6)
    return f"{totp.token():06d}"


def log_in(page: Page, password: str) -> None:
    page.get_by_label("Username").fill("carol")
    page.get_by_label("Password").fill(password)
    page.get_by_label("Code from your authenticator app").fill(current_code())
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
