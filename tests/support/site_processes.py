"""The site as real processes (gunicorn on loopback) for the tests that need them.

The starting, killing and respondent code is the load benchmark's (``benchmarks/livesite.py``
and ``benchmarks/respondents.py``, on pytest's ``pythonpath``), so the tests also keep that
code honest. Each site gets a database of its own on the backend of this test run:
PostgreSQL when DATABASE_URL names a server (a new database is created there and dropped
after), otherwise SQLite in a new folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from livesite import VIGNETTES, Database, Site, StoredAssessment, free_port
from respondents import (
    Respondent,
    SiteError,
    check,
    form_answer,
    form_fields,
    shared_transport,
    shown_labels,
)

__all__ = ["VIGNETTES", "Database", "Respondent", "Site", "SiteError", "StoredAssessment", "check",
           "form_answer", "form_fields", "free_port", "fresh_database", "live_site", "shared_transport",
           "shown_labels"]  # fmt: skip


@contextmanager
def fresh_database(tmp_path: Path) -> Iterator[Database]:
    """An empty database on this run's backend, with its data folder in ``tmp_path/data``."""
    server = os.environ.get("DATABASE_URL", "").strip()
    if server.startswith(("postgres://", "postgresql://")):
        database = Database.postgres(server, tmp_path / "data")
    else:
        database = Database.sqlite(tmp_path / "data")
    try:
        yield database
    finally:
        database.drop()


@contextmanager
def live_site(tmp_path: Path, *, workers: int = 2, **settings: str) -> Iterator[Site]:
    """`heelcheck serve` on a free loopback port over a fresh database; ``settings`` are extra
    environment variables for the site. Yields the started Site (``.url``, ``.database``);
    stops it and drops the database after."""
    with fresh_database(tmp_path) as database:
        site = Site(database, workers=workers, env=settings).start()
        try:
            yield site
        finally:
            site.stop()
