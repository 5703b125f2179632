"""Shared fixtures for the staff tests: Carol works at the clinic (staff), Pete has an
account but is not staff, and an anonymous browser has neither."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from pytest_django.fixtures import Settings
from staff_helpers import PASSWORD

from heelcheck.engine import KnowledgeBase, default_knowledge_base


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return default_knowledge_base()


@pytest.fixture(autouse=True)
def password_only(request: pytest.FixtureRequest, settings: Settings) -> None:
    """These tests are about the password, the lock-out and the sessions: they log in with a
    password alone. test_staff_totp.py turns the second factor (on by default) back on."""
    if "totp" not in request.keywords:
        settings.HEELCHECK_STAFF_OTP = False


@pytest.fixture
def carol(db: None) -> AbstractBaseUser:
    return get_user_model().objects.create_user("carol", password=PASSWORD, is_staff=True)


@pytest.fixture
def staff_client(carol: AbstractBaseUser) -> Client:
    client = Client()
    client.force_login(carol)
    return client


@pytest.fixture
def pete_client(db: None) -> Client:
    pete = get_user_model().objects.create_user("pete", password=None, is_staff=False)
    client = Client()
    client.force_login(pete)
    return client
