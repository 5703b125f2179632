"""Only logged-in staff reach the staff pages; logins are locked after repeated failures."""

from __future__ import annotations

import time
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from staff_helpers import PASSWORD

STAFF_URLS = ["/staff/", "/staff/export/assessments.csv", "/staff/export/fhir.json"]


@pytest.mark.parametrize("url", STAFF_URLS)
def test_it_sends_a_logged_out_visitor_to_the_login_page(db: None, url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/?next=")


@pytest.mark.parametrize("url", STAFF_URLS)
def test_it_refuses_an_account_without_the_staff_flag(pete_client: Client, url: str) -> None:
    response = pete_client.get(url)
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()


@pytest.mark.parametrize("url", STAFF_URLS)
def test_it_opens_every_staff_page_to_staff(staff_client: Client, url: str) -> None:
    response = staff_client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_it_logs_staff_in_with_the_right_password(carol: AbstractBaseUser) -> None:
    assert carol.password.startswith("argon2")
    client = Client()
    page = client.get("/staff/login/")
    assert page.status_code == 200
    assert 'autocomplete="current-password"' in page.content.decode()
    response = client.post("/staff/login/", {"username": "carol", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_it_says_so_when_the_password_is_wrong(carol: AbstractBaseUser) -> None:
    response = Client().post("/staff/login/", {"username": "carol", "password": "not it"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_it_logs_out_by_post_only(staff_client: Client) -> None:
    assert staff_client.get("/staff/logout/").status_code == 405
    response = staff_client.post("/staff/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/login/"
    assert staff_client.get("/staff/").status_code == 302


def test_it_locks_the_account_after_five_failures_and_keeps_no_ip_address(carol: AbstractBaseUser) -> None:
    client = Client()
    for _ in range(4):
        response = client.post("/staff/login/", {"username": "carol", "password": "wrong"})
        assert response.status_code == 200
    locked = client.post("/staff/login/", {"username": "carol", "password": "wrong"})
    assert locked.status_code == 429
    # Even the right password is refused now, with a page that says why and for how long.
    again = Client().post("/staff/login/", {"username": "carol", "password": PASSWORD})
    assert again.status_code == 429
    page = again.content.decode()
    assert "This account is locked for now" in page
    assert "locked for 15 minutes" in page
    assert again["Retry-After"] == "900"
    assert Client().get("/staff/").status_code == 302
    assert AccessAttempt.objects.filter(username="carol").exists()
    assert not AccessAttempt.objects.exclude(ip_address=None).exists()


def test_it_locks_one_account_without_locking_the_others(carol: AbstractBaseUser, db: None) -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("dora", password=PASSWORD, is_staff=True)
    client = Client()
    for _ in range(5):
        client.post("/staff/login/", {"username": "carol", "password": "wrong"})
    response = client.post("/staff/login/", {"username": "dora", "password": PASSWORD})
    assert response.status_code == 302


def test_it_keeps_no_access_log_of_staff_logins(carol: AbstractBaseUser) -> None:
    assert Client().post("/staff/login/", {"username": "carol", "password": PASSWORD}).status_code == 302
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    "data",
    [{"username": "x" * 300, "password": "p"}, {"username": "carol"}, {}],
)  # fmt: skip
def test_a_login_form_it_cannot_use_gets_a_message_and_stores_nothing(
    carol: AbstractBaseUser, data: dict
) -> None:
    response = Client().post("/staff/login/", data)
    assert response.status_code == 200
    assert '<div class="error" role="alert"><p>' in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_a_nul_in_the_login_form_is_refused_before_the_form_and_stores_nothing(
    carol: AbstractBaseUser,
) -> None:
    response = Client().post("/staff/login/", {"username": "carol\x00", "password": "p"})
    assert response.status_code == 400
    assert "Nothing was changed" in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_logging_out_ends_copies_of_the_session_cookie_too(carol: AbstractBaseUser) -> None:
    laptop = Client()
    assert laptop.post("/staff/login/", {"username": "carol", "password": PASSWORD}).status_code == 302
    stolen = Client()
    stolen.cookies = laptop.cookies.__class__(laptop.cookies)  # a copy of the signed cookie
    assert stolen.get("/staff/").status_code == 200
    assert laptop.post("/staff/logout/").status_code == 302
    response = stolen.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")
    assert stolen.get("/staff/export/assessments.csv").status_code == 302


def test_an_old_copy_does_not_end_a_newer_session(carol: AbstractBaseUser) -> None:
    laptop = Client()
    laptop.post("/staff/login/", {"username": "carol", "password": PASSWORD})
    old = Client()
    old.cookies = laptop.cookies.__class__(laptop.cookies)
    laptop.post("/staff/logout/")
    laptop.post("/staff/login/", {"username": "carol", "password": PASSWORD})
    assert old.get("/staff/").status_code == 302
    assert laptop.get("/staff/").status_code == 200, "the old copy must not log the new session out"


def test_an_old_logged_out_cookie_logging_out_again_does_not_end_the_live_session(
    carol: AbstractBaseUser,
) -> None:
    old = Client()
    assert old.post("/staff/login/", {"username": "carol", "password": PASSWORD}).status_code == 302
    stale = Client()
    stale.cookies = old.cookies.__class__(old.cookies)
    old.post("/staff/logout/")
    live = Client()
    assert live.post("/staff/login/", {"username": "carol", "password": PASSWORD}).status_code == 302
    stale.post("/staff/logout/")  # the copy of the ended session logs out once more
    assert live.get("/staff/").status_code == 200
    assert stale.get("/staff/").status_code == 302


def test_a_staff_session_ends_after_the_idle_minutes(
    carol: AbstractBaseUser, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.HEELCHECK_STAFF_IDLE_MINUTES = 30
    client = Client()
    assert client.post("/staff/login/", {"username": "carol", "password": PASSWORD}).status_code == 302
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 29 * 60)
    assert client.get("/staff/").status_code == 200  # use counts: the half hour starts again
    monkeypatch.setattr(time, "time", lambda: now + 58 * 60)
    assert client.get("/staff/").status_code == 200
    monkeypatch.setattr(time, "time", lambda: now + 89 * 60)
    response = client.get("/staff/")
    assert response.status_code == 302 and "/staff/login/" in response["Location"]
    monkeypatch.setattr(time, "time", lambda: now + 90 * 60)
    assert client.get("/staff/").status_code == 302  # ended for good, not only refused once
