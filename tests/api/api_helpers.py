"""Helpers for the API tests."""

from __future__ import annotations

import json
import os
import re
import secrets
from typing import Any

from django.test import Client
from limit_store import Clock

__all__ = ["Api", "Clock"]

# A new seed for every run of the Schemathesis tests, printed in the summary and in each
# failure; HEELCHECK_SCHEMATHESIS_SEED=N replays run N.
SCHEMATHESIS_SEED = int(os.environ.get("HEELCHECK_SCHEMATHESIS_SEED") or secrets.randbits(32))
SCHEMATHESIS_REPLAY = (
    f"schemathesis seed: {SCHEMATHESIS_SEED} (replay: HEELCHECK_SCHEMATHESIS_SEED={SCHEMATHESIS_SEED})"
)


class Api:
    """A client that speaks JSON to /api/v1/, from one address (a client, for the rate limit).

    It keeps the token of every assessment it started and sends it with every request to
    that assessment's paths, as a real client would; ``token=`` sends another one instead
    (``""``: none at all)."""

    def __init__(self, remote_addr: str = "127.0.0.1", **headers: str) -> None:
        self.client = Client(REMOTE_ADDR=remote_addr, **headers)
        self.tokens: dict[str, str] = {}

    def auth(self, path: str, token: str | None) -> dict[str, str]:
        if token is None:
            found = re.match(r"/assessments/([^/]+)", path)
            token = self.tokens.get(found.group(1), "") if found else ""
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def keep(self, path: str, response: Any) -> Any:
        if path == "/assessments" and response.status_code == 201:
            body = response.json()
            self.tokens[body["id"]] = body["token"]
        return response

    def post(self, path: str, body: Any = None, *, raw: str | bytes | None = None,
             token: str | None = None) -> Any:  # fmt: skip
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        response = self.client.post("/api/v1" + path, data=data, content_type="application/json",
                                    **self.auth(path, token))  # fmt: skip
        return self.keep(path, response)

    def get(self, path: str, *, token: str | None = None) -> Any:
        return self.client.get("/api/v1" + path, **self.auth(path, token))

    def delete(self, path: str, *, token: str | None = None) -> Any:
        return self.client.delete("/api/v1" + path, **self.auth(path, token))
