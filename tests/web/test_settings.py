"""Settings from the environment, the secret key file, and how `heelcheck serve` starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from heelcheck.web import serve, settings


def test_it_reads_a_boolean_and_fails_loudly_on_nonsense(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEELCHECK_X", "1")
    assert settings.env_bool("HEELCHECK_X", False) is True
    monkeypatch.setenv("HEELCHECK_X", "no")
    assert settings.env_bool("HEELCHECK_X", True) is False
    monkeypatch.setenv("HEELCHECK_X", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="HEELCHECK_X"):
        settings.env_bool("HEELCHECK_X", False)


def test_it_reads_a_whole_number_and_fails_loudly_on_nonsense(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HEELCHECK_N", "7")
    assert settings.env_int("HEELCHECK_N", 1) == 7
    monkeypatch.setenv("HEELCHECK_N", "seven")
    with pytest.raises(ImproperlyConfigured):
        settings.env_int("HEELCHECK_N", 1)


def test_it_generates_the_secret_key_once_and_keeps_it(tmp_path: Path) -> None:
    first = settings.secret_key_from(tmp_path)
    assert len(first) >= 50
    assert settings.secret_key_from(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def run_settings(env: dict[str, str], code: str) -> str:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("HEELCHECK_", "DATABASE"))}
    full.update(env, DJANGO_SETTINGS_MODULE="heelcheck.web.settings")
    out = subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings as s; {code}"],
        capture_output=True, text=True, env=full, check=False, timeout=60,
    )  # fmt: skip
    return out.stdout.strip() + out.stderr.strip()


def test_it_uses_sqlite_in_the_data_folder_by_default(tmp_path: Path) -> None:
    out = run_settings(
        {"HEELCHECK_DATA_DIR": str(tmp_path)},
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.DEBUG)",
    )
    assert out == f"django.db.backends.sqlite3 {tmp_path / 'heelcheck.sqlite3'} False"
    assert (tmp_path / "secret_key").exists()


def test_it_switches_to_postgresql_with_database_url(tmp_path: Path) -> None:
    out = run_settings(
        {"HEELCHECK_DATA_DIR": str(tmp_path),
         "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/heel"},
        "d = s.DATABASES['default']; print(d['ENGINE'], d['NAME'], d['HOST'])",
    )  # fmt: skip
    assert out == "django.db.backends.postgresql heel 127.0.0.1"


def test_it_is_secure_unless_debug_is_asked_for(tmp_path: Path) -> None:
    code = "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
    code += " getattr(s, 'SECURE_HSTS_SECONDS', 0))"
    out = run_settings({"HEELCHECK_DATA_DIR": str(tmp_path)}, code)
    assert out == "False True True False 31536000"
    out = run_settings({"HEELCHECK_DATA_DIR": str(tmp_path), "HEELCHECK_DEBUG": "1"}, code)
    assert out == "True False False False 0"


def test_it_takes_the_secret_key_and_hosts_from_the_environment(tmp_path: Path) -> None:
    out = run_settings(
        {"HEELCHECK_DATA_DIR": str(tmp_path), "HEELCHECK_SECRET_KEY": "k" * 50,
         "HEELCHECK_ALLOWED_HOSTS": "heel.example.org, www.heel.example.org"},
        "print(s.SECRET_KEY == 'k' * 50, s.ALLOWED_HOSTS)",
    )  # fmt: skip
    assert out == "True ['heel.example.org', 'www.heel.example.org']"
    assert not (tmp_path / "secret_key").exists()


def test_it_stops_with_a_clear_message_on_a_bad_setting(tmp_path: Path) -> None:
    out = run_settings({"HEELCHECK_DATA_DIR": str(tmp_path), "HEELCHECK_DEBUG": "sure"},
                       "print(s.DEBUG)")  # fmt: skip
    assert "HEELCHECK_DEBUG must be 1 or 0" in out


def test_it_runs_gunicorn_without_a_control_socket_or_access_log() -> None:
    argv = serve.gunicorn_argv("127.0.0.1", 8000, 3)
    assert argv[1:4] == ["-m", "gunicorn", "heelcheck.web.wsgi:application"]
    assert "--no-control-socket" in argv
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8000"
    assert argv[argv.index("--workers") + 1] == "3"
    assert not any("access" in a for a in argv)
    assert serve.gunicorn_argv("::1", 8000, 1)[5] == "[::1]:8000"
    assert int(argv[argv.index("--timeout") + 1]) >= 60, "a long staff export must not be cut off"


def test_it_starts_two_workers_per_cpu_within_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    for cpus, workers in ((None, 2), (1, 2), (2, 4), (3, 6), (16, 8)):
        monkeypatch.setattr(serve.os, "cpu_count", lambda cpus=cpus: cpus)
        assert serve.default_workers() == workers


def test_it_refuses_a_port_or_worker_count_that_cannot_work() -> None:
    assert serve.serve(port=0) == 2
    assert serve.serve(port=8000, workers=0) == 2
