"""What every template may use."""

from __future__ import annotations

from django.http import HttpRequest

from heelcheck.engine import default_knowledge_base


def site(request: HttpRequest) -> dict[str, object]:
    return {"kb_version": default_knowledge_base().version}
