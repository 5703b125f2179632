"""Shared helpers for the web tests: a visitor who takes the evaluation through the pages,
and a private cache and rate-limit store per test (so tests never share or leave counts)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from limit_store import Clock, frozen_clock, private_limit_store
from pytest_django.fixtures import Settings
from web_helpers import Visitor

from heelcheck.engine import KnowledgeBase, default_knowledge_base
from heelcheck.vignettes import load_vignettes

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
_cache_names = itertools.count()


@pytest.fixture(autouse=True)
def private_cache(settings: Settings, tmp_path: Path) -> None:
    private_limit_store(settings, tmp_path, f"web-test-{next(_cache_names)}")


@pytest.fixture
def clock(private_cache: None, monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The rate limiter's clock, frozen at a window boundary; ``clock.advance(s)`` moves it on."""
    return frozen_clock(monkeypatch)


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
