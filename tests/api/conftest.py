"""Shared helpers for the API tests: a JSON client, the development vignettes, and a private
cache and rate-limit store per test (so tests never share or leave counts)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from api_helpers import SCHEMATHESIS_REPLAY, Api
from limit_store import clock, private_cache  # noqa: F401 (fixtures)

from heelcheck.engine import KnowledgeBase, default_knowledge_base
from heelcheck.vignettes import load_vignettes

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return default_knowledge_base()


@pytest.fixture(scope="session")
def vignettes() -> dict[str, dict[str, Any]]:
    path = SHARED / "vignettes" / "dev.yaml"
    assert path.is_file(), f"the shared vignettes are expected at {path}"
    return {str(v["id"]): v for v in load_vignettes(path)}


@pytest.fixture
def api(db: None) -> Api:
    return Api()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The seed of this run's Schemathesis tests, if any ran, so that a failure can be replayed."""
    reports = [r for outcome in ("passed", "failed") for r in terminalreporter.stats.get(outcome, [])]
    if any("test_schemathesis" in getattr(r, "nodeid", "") for r in reports):
        terminalreporter.write_line(SCHEMATHESIS_REPLAY)
