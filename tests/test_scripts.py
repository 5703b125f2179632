"""The developer scripts (scripts/, .ci/run): syntax, and what scripts/pg says without a server."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ["scripts/setup", "scripts/run", "scripts/pg", "scripts/test", ".ci/run"]


def run_pg(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ROOT / "scripts" / "pg"), *args],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, **env},
        check=False,
    )


@pytest.mark.parametrize("script", SCRIPTS)
def test_it_is_valid_bash(script: str) -> None:
    result = subprocess.run(["bash", "-n", str(ROOT / script)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("script", [s for s in SCRIPTS if s.startswith("scripts/")])
def test_it_is_executable(script: str) -> None:
    assert os.access(ROOT / script, os.X_OK)


def test_pg_url_names_the_default_port_and_database() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PGTEST_PORT"}
    result = subprocess.run(
        [str(ROOT / "scripts" / "pg"), "url"],
        capture_output=True,
        text=True,
        timeout=30,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "postgres://postgres@127.0.0.1:55432/heelcheck\n"


def test_pg_url_follows_pgtest_port() -> None:
    result = run_pg("url", PGTEST_PORT="56789")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"postgres://postgres@127\.0\.0\.1:56789/heelcheck\n", result.stdout)


def test_pg_rejects_an_unknown_command_with_usage() -> None:
    result = run_pg("restart-everything")
    assert result.returncode == 2
    assert "Usage: scripts/pg start|stop|status|url|clean" in result.stderr
    assert result.stdout == ""


def test_pg_status_of_a_cluster_that_was_never_started(tmp_path: Path) -> None:
    result = run_pg("status", PGTEST_DIR=str(tmp_path / "nothing-here"))
    assert result.returncode == 3
    assert result.stdout.startswith("not running: ")
