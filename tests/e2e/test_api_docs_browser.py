"""The API's interactive docs work in a real Chromium under the site's strict
Content-Security-Policy, with every file served by the site itself."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from heelcheck.web.api.views import api

pytestmark = pytest.mark.e2e
OPERATIONS = sum(len(item) for item in api.get_openapi_schema()["paths"].values())


def test_the_api_docs_show_every_operation(page: Page) -> None:
    problems: list[str] = []  # script errors and Content-Security-Policy refusals
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("heelcheck API")
    expect(page.locator(".swagger-ui .opblock")).to_have_count(OPERATIONS)
    page.locator(".opblock-summary", has_text="/api/v1/fhir/Questionnaire/$next-question").click()
    expect(page.locator(".opblock.is-open")).to_contain_text("QuestionnaireResponse")
    assert problems == []
