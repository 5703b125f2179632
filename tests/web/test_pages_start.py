"""The landing page, the privacy page, starting, the health check and site-wide headers."""

from __future__ import annotations

import re
from unittest import mock

from django.db import DatabaseError
from django.test import Client
from web_helpers import Visitor

from heelcheck.engine import KnowledgeBase
from heelcheck.web.assessments.models import Assessment


def test_it_says_what_the_check_is_on_the_landing_page(client: Client) -> None:
    page = client.get("/").content.decode()
    assert "about two minutes" in page
    assert "Anonymous" in page
    assert "Not a diagnosis" in page
    assert 'action="/start/"' in page


def test_it_explains_what_is_stored_on_the_privacy_page(client: Client) -> None:
    response = client.get("/privacy/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "No IP address" in page
    assert "inside another website, it uses no cookies at all" in page


def test_it_starts_an_assessment_with_a_post_and_redirects_to_the_first_question(
    alice: Visitor,
) -> None:
    location = alice.start()
    assert location == f"/a/{alice.assessment_id}/"
    stored = alice.assessment
    assert stored.status == "in_progress"
    assert stored.answers == []
    assert stored.revision == 0
    assert stored.source == "web"
    assert stored.locale == "en"
    assert stored.current_question == "respondent"


def test_it_does_not_start_an_assessment_on_get(db: None, client: Client) -> None:
    assert client.get("/start/").status_code == 405
    assert Assessment.objects.count() == 0


def test_it_offers_to_continue_an_unfinished_assessment(alice: Visitor) -> None:
    alice.start()
    page = alice.client.get("/").content.decode()
    assert f'href="/a/{alice.assessment_id}/"' in page
    assert "Continue where you left off" in page


def test_it_refuses_a_form_without_its_csrf_token(db: None) -> None:
    response = Client(enforce_csrf_checks=True).post("/start/")
    assert response.status_code == 403
    assert "This page has expired" in response.content.decode()
    assert Assessment.objects.count() == 0


def test_it_reports_healthy_with_the_database_reachable(db: None, client: Client, kb: KnowledgeBase) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "kb_version": kb.version}


def test_it_reports_503_when_the_database_is_unreachable(client: Client) -> None:
    with mock.patch("heelcheck.web.health.connection") as connection:
        connection.cursor.side_effect = DatabaseError("down")
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_it_sends_a_strict_content_security_policy_and_security_headers(client: Client) -> None:
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_it_marks_its_cookies_secure_and_http_only(alice: Visitor) -> None:
    alice.client.get("/")
    alice.start()
    for name in ("heelcheck", "csrftoken"):
        cookie = alice.client.cookies[name]
        assert cookie["secure"], name
        assert cookie["httponly"], name


def test_it_shows_its_own_404_page(client: Client) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_it_shows_its_own_500_page_when_something_breaks(db: None) -> None:
    client = Client(raise_request_exception=False)
    with mock.patch("heelcheck.web.assessments.services.start_assessment", side_effect=RuntimeError("boom")):
        response = client.post("/start/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_it_serves_its_static_files_itself(client: Client) -> None:
    for path in ("/static/heelcheck/site.css", "/static/heelcheck/site.js"):
        response = client.get(path)
        assert response.status_code == 200, path


def test_its_pages_load_nothing_from_another_host(alice: Visitor) -> None:
    alice.start()
    for url in ("/", "/privacy/", f"/a/{alice.assessment_id}/"):
        page = alice.client.get(url).content.decode()
        for link in re.findall(r'(?:src|href|action)="([^"]*)"', page):
            assert link.startswith(("/", "#", "data:")) and not link.startswith("//"), link


def test_it_accepts_a_form_sent_from_its_own_origin(db: None) -> None:
    """Under Referrer-Policy: same-origin, browsers send the site's real Origin with its forms."""
    client = Client(enforce_csrf_checks=True)
    client.get("/")
    token = client.cookies["csrftoken"].value
    response = client.post("/start/", {"csrfmiddlewaretoken": token}, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 303


def test_it_refuses_a_form_whose_origin_is_null(db: None) -> None:
    """A sandboxed frame or a data: page sends Origin: null: it is not this site."""
    client = Client(enforce_csrf_checks=True)
    client.get("/")
    token = client.cookies["csrftoken"].value
    response = client.post("/start/", {"csrfmiddlewaretoken": token}, HTTP_ORIGIN="null")
    assert response.status_code == 403
    assert Assessment.objects.count() == 0


def test_it_refuses_a_form_sent_from_another_site(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/")
    token = client.cookies["csrftoken"].value
    response = client.post("/start/", {"csrfmiddlewaretoken": token}, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert Assessment.objects.count() == 0


def test_it_still_wants_the_csrf_token_when_the_origin_is_null(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/")
    response = client.post("/start/", {}, HTTP_ORIGIN="null")
    assert response.status_code == 403
    assert Assessment.objects.count() == 0


def test_it_answers_head_requests_for_monitoring(db: None, client: Client) -> None:
    assert client.head("/healthz").status_code == 200
    assert client.head("/").status_code == 200
