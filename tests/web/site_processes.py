"""The site as real processes (gunicorn on loopback) for the tests that need them.

The starting, killing and respondent code is the load benchmark's (``benchmarks/livesite.py``
and ``benchmarks/respondents.py``), so the tests also keep that code honest. Each test gets a
database of its own on the backend of this test run: PostgreSQL when DATABASE_URL names a
server (a new database is created there and dropped after), otherwise SQLite in a new folder.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

from livesite import VIGNETTES, Database, Site  # noqa: E402
from respondents import (  # noqa: E402
    Respondent,
    SiteError,
    check,
    form_answer,
    form_fields,
    shared_transport,
    shown_labels,
)

__all__ = ["VIGNETTES", "Database", "Respondent", "Site", "SiteError", "check", "form_answer",
           "form_fields", "fresh_database", "shared_transport", "shown_labels"]  # fmt: skip


@contextmanager
def fresh_database(tmp_path: Path) -> Iterator[Database]:
    server = os.environ.get("DATABASE_URL", "").strip()
    if server.startswith(("postgres://", "postgresql://")):
        database = Database.postgres(server, tmp_path / "data")
    else:
        database = Database.sqlite(tmp_path / "data")
    try:
        yield database
    finally:
        database.drop()
