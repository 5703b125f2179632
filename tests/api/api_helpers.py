"""Helpers for the API tests."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client


class Api:
    """A client that speaks JSON to /api/v1/."""

    def __init__(self) -> None:
        self.client = Client()

    def post(self, path: str, body: Any = None, *, raw: str | bytes | None = None) -> Any:
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.post("/api/v1" + path, data=data, content_type="application/json")

    def get(self, path: str) -> Any:
        return self.client.get("/api/v1" + path)

    def delete(self, path: str) -> Any:
        return self.client.delete("/api/v1" + path)
