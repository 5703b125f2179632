"""`heelcheck serve` migrates a fresh data folder and serves the site under gunicorn."""

from __future__ import annotations

import json
import sys
import urllib.request
from dataclasses import replace
from pathlib import Path

from site_processes import Site, fresh_database


def test_it_serves_the_site_from_a_fresh_data_folder(tmp_path: Path) -> None:
    with fresh_database(tmp_path) as made:
        data = tmp_path / "new"  # a folder that `serve` itself has to make
        database = replace(made, data_dir=data)
        assert not data.exists()
        # The installed command, as in production; start() waits for /healthz.
        site = Site(
            database,
            workers=1,
            program=[str(Path(sys.executable).with_name("heelcheck"))],
            log=tmp_path / "serve.log",
        ).start()
        try:
            with urllib.request.urlopen(f"{site.url}/healthz", timeout=5) as r:
                body = json.loads(r.read())
            assert body["status"] == "ok" and body["database"] == "ok"
            with urllib.request.urlopen(f"{site.url}/", timeout=5) as r:
                assert "Start the check" in r.read().decode()
            if database.kind == "sqlite":
                assert (data / "heelcheck.sqlite3").exists()
            assert (data / "secret_key").exists()
        finally:
            site.stop()
