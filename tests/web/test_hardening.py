"""The rest of "safe on the open internet": no caching of API answers, Cross-Origin-Resource-
Policy, a private data folder, gunicorn trusting forwarded headers only behind a proxy."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from test_settings import run_settings

from heelcheck.web import serve


class Api:
    def __init__(self) -> None:
        self.client = Client()

    def post(self, path: str, body: Any) -> Any:
        return self.client.post("/api/v1" + path, json.dumps(body), content_type="application/json")

    def get(self, path: str) -> Any:
        return self.client.get("/api/v1" + path)

    def delete(self, path: str) -> Any:
        return self.client.delete("/api/v1" + path)


@pytest.fixture
def api(db: None) -> Api:
    return Api()


def test_every_api_response_with_answers_or_results_is_not_stored(api: Api) -> None:
    started = api.post("/assessments", {})
    ident = started.json()["id"]
    responses = [
        started,
        api.get(f"/assessments/{ident}"),
        api.get(f"/assessments/{ident}/fhir"),
        api.post(f"/assessments/{ident}/answers", {"question": "age", "answer": 40}),
        api.post(f"/assessments/{ident}/answers", {"question": "age", "answer": "old"}),
        api.post("/fhir/Questionnaire/$next-question", {"resourceType": "QuestionnaireResponse",
                                                         "status": "in-progress"}),
        api.get("/assessments/00000000-0000-0000-0000-000000000000"),
        api.delete(f"/assessments/{ident}"),
    ]  # fmt: skip
    for response in responses:
        assert response["Cache-Control"] == "no-store", (response.status_code, response.wsgi_request.path)


def test_the_public_knowledge_base_may_still_be_cached(api: Api) -> None:
    assert api.get("/knowledge-base")["Cache-Control"] == "public, max-age=3600"


@pytest.mark.parametrize("path", ["/", "/privacy/", "/api/v1/knowledge-base", "/embed/", "/staff/login/",
                                  "/no-such-page", "/static/heelcheck/site.css"])  # fmt: skip
def test_every_response_is_for_this_site_only(db: None, client: Client, path: str) -> None:
    response = client.get(path)
    assert response["Cross-Origin-Resource-Policy"] == "same-origin", path


def test_the_widget_script_may_be_loaded_by_other_sites(db: None, client: Client) -> None:
    response = client.get("/static/heelcheck/embed.js")
    assert response.status_code == 200
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"


def test_the_data_folder_and_its_files_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    out = run_settings(
        {"HEELCHECK_DATA_DIR": str(data)},
        "import django; django.setup(); from django.db import connection; "
        "connection.cursor().execute('create table t (x int)'); print('ok')",
    )
    assert out.endswith("ok"), out
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    files = [p for p in data.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"heelcheck.sqlite3", "secret_key"}
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


def test_an_existing_world_readable_database_is_made_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    (data / "heelcheck.sqlite3").touch(mode=0o644)
    os.chmod(data / "heelcheck.sqlite3", 0o644)
    run_settings({"HEELCHECK_DATA_DIR": str(data)}, "print(s.DATA_DIR)")
    assert stat.S_IMODE((data / "heelcheck.sqlite3").stat().st_mode) == 0o600


def test_gunicorn_trusts_no_forwarded_headers_unless_behind_a_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HEELCHECK_BEHIND_PROXY", raising=False)
    argv = serve.gunicorn_argv("127.0.0.1", 8000, 2)
    assert argv[argv.index("--forwarded-allow-ips") + 1] == ""
    monkeypatch.setenv("HEELCHECK_BEHIND_PROXY", "1")
    argv = serve.gunicorn_argv("127.0.0.1", 8000, 2)
    assert argv[argv.index("--forwarded-allow-ips") + 1] == "127.0.0.1,::1"
