"""The write limits hold across gunicorn workers: they count in one shared store (the SQLite
counter cache in the data folder), the API's and the pages' apart."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from site_processes import live_site


def test_concurrent_writes_to_two_workers_share_one_limit(tmp_path: Path) -> None:
    with live_site(tmp_path, workers=2, HEELCHECK_API_WRITE_RATE="5", HEELCHECK_PAGE_WRITE_RATE="5") as site:
        base = site.url

        def start(_: int) -> httpx.Response:
            return httpx.post(f"{base}/api/v1/assessments", json={}, timeout=30)

        with ThreadPoolExecutor(max_workers=8) as pool:
            responses = list(pool.map(start, range(16)))
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [201] * 5 + [429] * 11
        for refused in (r for r in responses if r.status_code == 429):
            # The 5 fill this window; the next write fits once they weigh 4, 60/5 s into the
            # next window: at most 60 + 12 s away, however late in this window they came.
            assert 1 <= int(refused.headers["Retry-After"]) <= 72
            assert refused.json()["error"]["code"] == "rate_limited"
        assert httpx.get(f"{base}/api/v1/knowledge-base").status_code == 200  # reads still pass

        def start_widget(_: int) -> httpx.Response:
            # The widget starts only inside a frame (Sec-Fetch-Dest), as a browser says it.
            frame = {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Dest": "iframe"}
            return httpx.post(f"{base}/embed/start/", headers=frame, timeout=30)

        with ThreadPoolExecutor(max_workers=8) as pool:
            pages = list(pool.map(start_widget, range(16)))
        assert sorted(r.status_code for r in pages) == [303] * 5 + [429] * 11
        for refused in (r for r in pages if r.status_code == 429):
            assert "Please slow down" in refused.text
            assert 1 <= int(refused.headers["Retry-After"]) <= 72
        sources = sorted(a.source for a in site.database.stored().values())
        assert sources == ["api"] * 5 + ["embed"] * 5  # nothing stored for a refusal
