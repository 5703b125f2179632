"""Shared helpers for the API tests: a JSON client and the development vignettes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from api_helpers import Api

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
