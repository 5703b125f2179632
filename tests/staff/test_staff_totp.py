"""The staff second factor: a TOTP code from an authenticator app, required by default, set
up by create_staff. The tests compute real codes from the secret the command prints."""

from __future__ import annotations

import base64
import io
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django_otp.oath import TOTP
from pytest_django.fixtures import Settings
from staff_helpers import PASSWORD

from heelcheck.web.staff.forms import LoginForm

pytestmark = [pytest.mark.totp, pytest.mark.django_db]


def create_staff(monkeypatch: pytest.MonkeyPatch, *args: str, password: str = PASSWORD) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    out = io.StringIO()
    call_command("create_staff", *args, "--password-stdin", stdout=out)
    return out.getvalue()


def code_now(printed: str, offset_steps: int = 0) -> str:
    """The code an authenticator app shows, from the secret create_staff printed."""
    match = re.search(r"secret key: ([A-Z2-7]+)", printed)
    assert match, printed
    secret = match.group(1)
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key, step=30, digits=6)
    totp.time = time.time() + 30 * offset_steps
    return f"{totp.token():06d}"


def log_in(client: Client, code: str | None, password: str = PASSWORD) -> int:
    data = {"username": "erin", "password": password}
    if code is not None:
        data["otp_token"] = code
    return int(client.post("/staff/login/", data).status_code)


def test_create_staff_prints_an_otpauth_uri_and_the_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    printed = create_staff(monkeypatch, "erin")
    uri = re.search(r"(otpauth://totp/\S+)", printed)
    assert uri, printed
    assert "issuer=heelcheck" in uri.group(1)
    secret = re.search(r"secret key: ([A-Z2-7]+)", printed)
    assert secret and f"secret={secret.group(1)}" in uri.group(1)


def test_staff_log_in_with_password_and_the_current_code(monkeypatch: pytest.MonkeyPatch) -> None:
    printed = create_staff(monkeypatch, "erin")
    client = Client()
    assert log_in(client, code_now(printed)) == 302
    assert client.get("/staff/").status_code == 200


@pytest.mark.parametrize("code", [None, "", "000000x", "12345", "\uff19" * 6])
def test_a_password_alone_or_a_malformed_code_does_not_log_in(
    monkeypatch: pytest.MonkeyPatch, code: str | None
) -> None:
    create_staff(monkeypatch, "erin")
    client = Client()
    response = client.post(
        "/staff/login/",
        {"username": "erin", "password": PASSWORD, **({"otp_token": code} if code is not None else {})},
    )
    assert response.status_code == 200
    assert "code" in response.content.decode()
    assert client.get("/staff/").status_code == 302


def test_a_wrong_or_old_code_does_not_log_in(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # so that the second try is judged on its code
    printed = create_staff(monkeypatch, "erin")
    current = code_now(printed)
    wrong = f"{(int(current) + 1) % 1_000_000:06d}"
    assert log_in(Client(), wrong) == 200
    assert log_in(Client(), code_now(printed, offset_steps=-10)) == 200


def test_a_code_with_the_wrong_password_does_not_log_in(monkeypatch: pytest.MonkeyPatch) -> None:
    printed = create_staff(monkeypatch, "erin")
    assert log_in(Client(), code_now(printed), password=PASSWORD + "x") == 200


def test_an_account_without_a_device_cannot_log_in_and_is_told_why(db: None) -> None:
    get_user_model().objects.create_user("erin", password=PASSWORD, is_staff=True)
    response = Client().post(
        "/staff/login/", {"username": "erin", "password": PASSWORD, "otp_token": "123456"}
    )
    assert response.status_code == 200
    assert "no authenticator app set up" in response.content.decode()


def test_a_password_only_session_is_not_let_in_when_the_factor_is_required(db: None) -> None:
    user = get_user_model().objects.create_user("erin", password=PASSWORD, is_staff=True)
    client = Client()
    client.force_login(user)  # logged in, but never verified by a code
    assert client.get("/staff/").status_code == 302


def test_create_staff_totp_replaces_the_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    first = create_staff(monkeypatch, "erin")
    out = io.StringIO()
    call_command("create_staff", "erin", "--totp", stdout=out)
    second = out.getvalue()
    assert re.search(r"secret key: ([A-Z2-7]+)", second).group(1) != re.search(
        r"secret key: ([A-Z2-7]+)", first
    ).group(1)  # type: ignore[union-attr]
    assert log_in(Client(), code_now(second)) == 302
    assert log_in(Client(), code_now(first)) == 200


def test_the_login_page_asks_for_the_code(db: None) -> None:
    page = Client().get("/staff/login/").content.decode()
    assert 'name="otp_token"' in page and 'autocomplete="one-time-code"' in page
    assert "otp_token" in LoginForm().fields


def test_wrong_codes_are_throttled(monkeypatch: pytest.MonkeyPatch) -> None:
    printed = create_staff(monkeypatch, "erin")
    current = code_now(printed)
    assert log_in(Client(), f"{(int(current) + 1) % 1_000_000:06d}") == 200
    response = Client().post(
        "/staff/login/", {"username": "erin", "password": PASSWORD, "otp_token": current}
    )
    assert response.status_code == 200  # even the right code waits out the delay
    assert "temporarily disabled" in response.content.decode()
