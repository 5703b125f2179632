"""Shared helpers for the web tests: a visitor who takes the evaluation through the pages,
and a private cache and rate-limit store per test (so tests never share or leave counts)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from limit_store import clock, private_cache  # noqa: F401 (fixtures)
from web_helpers import Visitor

from heelcheck.engine import KnowledgeBase, default_knowledge_base
from heelcheck.vignettes import load_vignettes

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """A Spanish page leaves Spanish active in the thread (Django activates a language per
    request and never resets it): the next test starts in English again."""
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return default_knowledge_base()


@pytest.fixture(scope="session")
def vignettes() -> dict[str, dict[str, Any]]:
    path = SHARED / "vignettes" / "dev.yaml"
    assert path.is_file(), f"the shared vignettes are expected at {path}"
    return {str(v["id"]): v for v in load_vignettes(path)}


@pytest.fixture
def alice(db: None, kb: KnowledgeBase) -> Iterator[Visitor]:
    yield Visitor(Client(), kb)


@pytest.fixture
def bob(db: None, kb: KnowledgeBase) -> Iterator[Visitor]:
    """Another browser, who must never see Alice's answers."""
    yield Visitor(Client(), kb)
