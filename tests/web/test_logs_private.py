"""Nothing in a log opens an assessment or points at a person: a run of bad requests (no CSRF
cookie on a private link, 404s and 500-prone input on widget pages, failed staff logins with
a telltale user agent, a request gunicorn cannot parse) leaves no private token, id, client
address or user agent in the output, in process and under a live gunicorn; and axes' tables
keep no user agent, Accept header, path, access log or typed-in non-account username."""

from __future__ import annotations

import io
import logging
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.test import Client
from site_processes import live_site

from heelcheck.web.logs import redact

AGENT = "TelltaleBrowser/9.9 (unique-agent-string)"
ADDRESS = "203.0.113.77"
SECRET_TYPED = "my-secret-password-typed-as-username"


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """Everything the site's configured handlers write, captured."""
    out = io.StringIO()
    swapped = []
    for name in ("", "django", "django.request", "django.security.csrf", "axes"):
        for handler in logging.getLogger(name).handlers:
            if isinstance(handler, logging.StreamHandler) and handler not in [h for h, _ in swapped]:
                swapped.append((handler, handler.setStream(out)))
    assert swapped, "the site logs through no stream handler"
    yield out
    for handler, stream in swapped:
        handler.setStream(stream)


def bad_requests(client: Client, token: str) -> None:
    client.post(f"/r/{token}/", {"x": "1"}, HTTP_ORIGIN="https://evil.example")
    client.get(f"/embed/a/{token}/q/no-such-question/")
    client.get(f"/embed/a/{token}/nothing-here")
    client.post(f"/embed/a/{token}/", {"question": "age", "revision": "²"})
    for username in ("carol", SECRET_TYPED):
        client.post("/staff/login/", {"username": username, "password": "wrong password here"})


def test_no_token_address_or_user_agent_in_the_log(db: None, log_output: io.StringIO) -> None:
    get_user_model().objects.create_user("carol", password="a long enough pass", is_staff=True)
    started = Client(HTTP_SEC_FETCH_DEST="iframe").post("/embed/start/")
    token = started["Location"].split("/")[3]
    client = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=AGENT, REMOTE_ADDR=ADDRESS,
                    HTTP_X_FORWARDED_FOR=ADDRESS)  # fmt: skip
    client.raise_request_exception = False
    logging.getLogger("django.request").error(
        "Internal Server Error: %s", f"/embed/a/{token}/ from {ADDRESS}"
    )
    bad_requests(client, token)
    text = log_output.getvalue()
    assert "Forbidden" in text  # the CSRF refusal was logged, with the path redacted
    for secret in (token, ADDRESS, AGENT, "unique-agent-string", SECRET_TYPED):
        assert secret not in text, secret


def test_axes_keeps_nothing_about_the_browser(db: None) -> None:
    get_user_model().objects.create_user("carol", password="a long enough pass", is_staff=True)
    client = Client(HTTP_USER_AGENT=AGENT, HTTP_ACCEPT="text/telltale", REMOTE_ADDR=ADDRESS)
    for username in ("carol", SECRET_TYPED):
        client.post("/staff/login/", {"username": username, "password": "wrong password here"})
    client.post("/staff/login/", {"username": "carol", "password": "a long enough pass"})
    attempts = list(AccessAttempt.objects.values())
    assert not AccessLog.objects.exists()
    assert not AccessFailureLog.objects.exists()
    stored = repr(attempts)
    for secret in (AGENT, "text/telltale", ADDRESS, SECRET_TYPED, "/staff/login/"):
        assert secret not in stored, secret


def test_a_failed_login_with_an_account_name_still_counts(db: None) -> None:
    get_user_model().objects.create_user("carol", password="a long enough pass", is_staff=True)
    Client().post("/staff/login/", {"username": "carol", "password": "wrong password here"})
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.failures_since_start, attempt.user_agent) == ("carol", 1, "")
    assert "carol" not in attempt.post_data


@pytest.mark.parametrize(
    "line",
    [
        "Forbidden (CSRF cookie not set.): /r/AbC-123_xyz/",
        "Not Found: /embed/a/AbC-123_xyz/q/age/",
        "Invalid request from ip=192.0.2.1: Invalid HTTP Version",
        "Invalid request from ip=2001:db8::1: bad",
        "GET /api/v1/assessments/0b4e7a0e-5b1a-4d7e-9f3e-1c2d3e4f5a6b from ::ffff:10.0.0.1",
    ],
)
def test_the_filter_redacts(line: str) -> None:
    out = redact(line)
    for secret in ("AbC-123_xyz", "192.0.2.1", "2001:db8::1", "0b4e7a0e", "10.0.0.1"):
        assert secret not in out, out
    assert "[redacted]" in out


def test_the_filter_keeps_clock_times_and_versions() -> None:
    assert redact("at 12:30:45, version 2026.1") == "at 12:30:45, version 2026.1"


def raw_request(url: str, data: bytes) -> None:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(data)
        conn.recv(4096)


def test_no_token_address_or_user_agent_in_gunicorns_log(tmp_path: Path) -> None:
    with live_site(tmp_path, workers=1) as site:
        started = httpx.post(f"{site.url}/embed/start/", headers={"Sec-Fetch-Dest": "iframe"})
        token = started.headers["location"].split("/")[3]
        with httpx.Client(base_url=site.url, headers={"User-Agent": AGENT}) as client:
            client.post(f"/r/{token}/", data={"x": "1"})  # no CSRF cookie: logged as Forbidden
            client.get(f"/embed/a/{token}/nothing-here")
            client.post(f"/embed/a/{token}/", data={"question": "age", "revision": "²"})
            client.post("/staff/login/", data={"username": SECRET_TYPED, "password": "x"})
        raw_request(site.url, f"GET /r/{token}/ HTTP/9.9\r\nHost: x\r\n\r\n".encode())
        raw_request(site.url, b"\x16\x03\x01 garbage that is not http\r\n\r\n")
        site.stop()
        log = site.log.read_text(errors="replace")
    assert "Invalid request" in log, log[-2000:]
    assert "Forbidden" in log, log[-2000:]
    # The clients connect from 127.0.0.1, where the site also listens: only the line that
    # says where it serves may name that address.
    about_clients = "\n".join(line for line in log.splitlines() if "serving on" not in line)
    for secret in (token, "127.0.0.1", AGENT, "unique-agent-string", SECRET_TYPED):
        assert secret not in about_clients, (secret, log[-3000:])
    assert not re.search(r'"(GET|POST) /', log), "gunicorn wrote an access log"
