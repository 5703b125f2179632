from __future__ import annotations

from pathlib import Path

import pytest

from heelcheck.engine import KnowledgeBase, default_knowledge_base

# CI clones the project with a copy of shared/ beside the checkout.
SHARED = Path(__file__).resolve().parents[2].parent / "shared"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return default_knowledge_base()


@pytest.fixture(scope="session")
def shared() -> Path:
    assert SHARED.is_dir(), f"the shared folder is expected at {SHARED}"
    return SHARED
