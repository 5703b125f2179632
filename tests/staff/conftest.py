"""Shared fixtures for the staff tests: Carol works at the clinic (staff), Pete has an
account but is not staff, and an anonymous browser has neither."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from staff_helpers import PASSWORD

from heelcheck.engine import KnowledgeBase, default_knowledge_base


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return default_knowledge_base()


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
