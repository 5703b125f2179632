"""Helpers for the API tests."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from limit_store import Clock

__all__ = ["Api", "Clock"]


class Api:
    """A client that speaks JSON to /api/v1/, from one address (a client, for the rate limit)."""

    def __init__(self, remote_addr: str = "127.0.0.1", **headers: str) -> None:
        self.client = Client(REMOTE_ADDR=remote_addr, **headers)

    def post(self, path: str, body: Any = None, *, raw: str | bytes | None = None) -> Any:
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.post("/api/v1" + path, data=data, content_type="application/json")

    def get(self, path: str) -> Any:
        return self.client.get("/api/v1" + path)

    def delete(self, path: str) -> Any:
        return self.client.delete("/api/v1" + path)
