"""The site as real processes on loopback, for the load scripts and the live-site tests.

``Site`` runs ``heelcheck serve`` (migrate, then gunicorn) in its own process group, so that
``stop()`` (SIGTERM) and ``kill()`` (SIGKILL: no clean-up, like a power cut) reach the master
and every worker. ``Database`` is where that site keeps its data: a fresh SQLite data folder,
or a fresh database created on a PostgreSQL server; ``stored()`` reads the assessments back
with plain SQL, independently of the site's code.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"  # loopback only
ROOT = Path(__file__).resolve().parents[1]
VIGNETTES = ROOT.parent / "shared" / "vignettes" / "dev.yaml"
TABLE = "assessments_assessment"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class StoredAssessment:
    id: uuid.UUID
    status: str
    answers: list[dict[str, Any]]
    result: dict[str, Any] | None
    revision: int
    source: str


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


@dataclass
class Database:
    """One site's data: its folder (secret key, cache, SQLite file) and, for PostgreSQL, a
    database of its own, so that every assessment found there was made by this run."""

    data_dir: Path
    url: str | None = None  # postgres://...; None: SQLite in data_dir

    @property
    def kind(self) -> str:
        return "postgres" if self.url else "sqlite"

    @classmethod
    def sqlite(cls, data_dir: Path) -> Database:
        data_dir.mkdir(parents=True, exist_ok=True)
        return cls(data_dir)

    @classmethod
    def postgres(cls, server_url: str, data_dir: Path) -> Database:
        """A new, empty database on the server that ``server_url`` points to."""
        import psycopg

        name = f"heelcheck_live_{secrets.token_hex(4)}"
        with psycopg.connect(_admin_url(server_url), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        data_dir.mkdir(parents=True, exist_ok=True)
        return cls(data_dir, urllib.parse.urlparse(server_url)._replace(path=f"/{name}").geturl())

    def drop(self) -> None:
        """Remove the PostgreSQL database (the data folder is the caller's to remove)."""
        if self.url is None:
            return
        import psycopg

        name = urllib.parse.urlparse(self.url).path.lstrip("/")
        with psycopg.connect(_admin_url(self.url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def env(self) -> dict[str, str]:
        """The environment of a site process using this database."""
        env = {k: v for k, v in os.environ.items()
               if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}  # fmt: skip
        env["HEELCHECK_DATA_DIR"] = str(self.data_dir)
        if self.url:
            env["DATABASE_URL"] = self.url
        return env

    def stored(self) -> dict[uuid.UUID, StoredAssessment]:
        """Every stored assessment, by id."""
        query = f"SELECT id, status, answers, result, revision, source FROM {TABLE}"
        if self.url is None:
            with sqlite3.connect(self.data_dir / "heelcheck.sqlite3", timeout=60) as conn:
                rows = conn.execute(query).fetchall()
        else:
            import psycopg

            with psycopg.connect(self.url) as conn:
                rows = conn.execute(query).fetchall()
        found = {}
        for aid, status, answers, result, revision, source in rows:
            key = aid if isinstance(aid, uuid.UUID) else uuid.UUID(str(aid))
            found[key] = StoredAssessment(key, status, _json(answers), _json(result), int(revision), source)
        return found


def _admin_url(url: str) -> str:
    """The same server, its maintenance database `postgres`."""
    return urllib.parse.urlparse(url)._replace(path="/postgres").geturl()


class Site:
    """``heelcheck serve`` on loopback, in its own process group.

    ``env`` adds settings to the site's environment (``HEELCHECK_API_WRITE_RATE``...). The
    page write limit is raised unless ``env`` sets it: every simulated respondent comes from
    the one loopback address, which the limit would otherwise take for one fast client.
    ``program`` is the command that ``serve`` is given to (the installed ``heelcheck``
    script, say); ``log`` is where its output goes, by default ``serve.log`` in the data folder.
    """

    def __init__(
        self,
        database: Database,
        *,
        port: int | None = None,
        workers: int = 2,
        env: Mapping[str, str] | None = None,
        program: Sequence[str] = (sys.executable, "-m", "heelcheck.cli"),
        log: Path | None = None,
    ) -> None:
        self.database = database
        self.port = port or free_port()
        self.workers = workers
        self.env = {"HEELCHECK_PAGE_WRITE_RATE": "1000000", **(env or {})}
        self.program = list(program)
        self.log = log or database.data_dir / "serve.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, timeout: float = 90) -> Site:
        """Start and wait until /healthz says the site and its database are up."""
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [*self.program, "serve", "--host", HOST,
                 "--port", str(self.port), "--workers", str(self.workers)],
                env={**self.database.env(), **self.env}, stdout=subprocess.DEVNULL, stderr=log,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the site did not start:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as response:
                    if json.loads(response.read())["status"] == "ok":
                        return self
            except (OSError, ValueError):
                time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"the site did not answer /healthz within {timeout:g} s:\n"
                           f"{self.log_tail()}")  # fmt: skip

    def stop(self) -> None:
        """Graceful stop: gunicorn finishes the requests in hand."""
        self._signal(signal.SIGTERM, wait=30)

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once: nothing gets to clean up."""
        self._signal(signal.SIGKILL, wait=30)

    def _signal(self, sig: signal.Signals, wait: float) -> None:
        if self.proc is None or self.proc.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, sig)
        try:
            self.proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=wait)
        # The workers are not our children: wait until none of the group is left.
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and _group_alive(self.proc.pid):
            time.sleep(0.05)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def _group_alive(pgid: int) -> bool:
    """Whether a live (not zombie) process is left in the group. A killed worker is
    re-parented to PID 1, which may be slow to reap it; a zombie holds no socket or lock."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            return True
    return False
