"""``heelcheck serve``: bring the database up to date, then become gunicorn.

Gunicorn runs without an access log on purpose: request paths hold private result-link
tokens, and the site keeps no IP addresses. Errors go to stderr.
"""

from __future__ import annotations

import os
import sys

# A staff export streams for as long as it takes (100,000 rows: about 20 s on a busy 2-core
# machine), and a sync worker sends gunicorn no heartbeat meanwhile: 30 s would cut it off.
WORKER_TIMEOUT_SECONDS = 120


def default_workers() -> int:
    """Two sync workers per CPU, 2 to 8: each spends part of every request waiting on the
    database (on 2 CPUs, 4 workers served most; 2 clearly fewest)."""
    return min(8, max(2, 2 * (os.cpu_count() or 1)))


def forwarded_allow_ips() -> str:
    """Gunicorn trusts X-Forwarded-Proto from loopback by default, which would let any local
    process claim https; only HEELCHECK_BEHIND_PROXY=1 trusts the proxy, on loopback."""
    behind = os.environ.get("HEELCHECK_BEHIND_PROXY", "").strip().lower() in {"1", "true", "yes", "on"}
    return "127.0.0.1,::1" if behind else ""


def gunicorn_argv(host: str, port: int, workers: int) -> list[str]:
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return [
        sys.executable, "-m", "gunicorn", "heelcheck.web.wsgi:application",
        "--bind", bind,
        "--workers", str(workers),
        "--no-control-socket",
        "--timeout", str(WORKER_TIMEOUT_SECONDS),
        "--graceful-timeout", "10",
        "--logger-class", "heelcheck.web.logs.GunicornLogger",
        # X-Forwarded-* are trusted only from a proxy the operator said is there.
        "--forwarded-allow-ips", forwarded_allow_ips(),
    ]  # fmt: skip


def migrate() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heelcheck.web.settings")
    import django
    from django.core.management import call_command
    from django.db import connections

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    connections.close_all()


def serve(host: str = "127.0.0.1", port: int = 8000, workers: int | None = None) -> int:
    """Run migrations, then replace this process with gunicorn (returns only on failure)."""
    workers = default_workers() if workers is None else workers
    if not 0 < port < 65536:
        print(f"heelcheck serve: no such port {port}", file=sys.stderr)
        return 2
    if workers < 1:
        print("heelcheck serve: --workers must be at least 1", file=sys.stderr)
        return 2
    migrate()
    shown = f"[{host}]" if ":" in host else host
    print(f"heelcheck: serving on http://{shown}:{port}/ (Ctrl-C stops)", file=sys.stderr,
          flush=True)  # fmt: skip
    argv = gunicorn_argv(host, port, workers)
    try:
        os.execv(argv[0], argv)
    except OSError as exc:
        print(f"heelcheck serve: could not start gunicorn: {exc}", file=sys.stderr)
    return 1
