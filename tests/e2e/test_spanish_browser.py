"""Real Chromium, a phone-sized screen, a browser set to Spanish: a whole check in Spanish by
clicking (the foot pictures included), with JavaScript and without it, with axe-core finding
nothing on any page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from e2e_helpers import click_answer
from e2e_support import new_page, time_limit, violations
from playwright.sync_api import Browser, Page, expect

from heelcheck.engine import KnowledgeBase
from heelcheck.engine.locale import for_locale
from heelcheck.vignettes import respond

pytestmark = pytest.mark.e2e
Vignettes = dict[str, dict[str, Any]]


@pytest.fixture(params=[True, False], ids=["with JavaScript", "without JavaScript"])
def spanish_page(request: pytest.FixtureRequest, browser: Browser, site: str) -> Iterator[Page]:
    p, outside = new_page(browser, site, javascript=request.param)
    p.context.set_extra_http_headers({"Accept-Language": "es-MX,es;q=0.9"})
    yield p
    p.context.close()
    assert outside.urls == [], f"requests left the site: {outside.urls}"


def scripts_on(page: Page) -> bool:
    """Whether the page runs JavaScript (the foot picture ticks boxes only then)."""
    return page.locator("html.js").count() > 0


def test_a_check_in_spanish_on_a_phone_passes_axe_on_every_page_and_works_without_javascript(
    spanish_page: Page, kb: KnowledgeBase, vignettes: Vignettes
) -> None:
    page = spanish_page
    es = for_locale(kb, "es")
    facts = vignettes["D001"]["facts"]
    seen: dict[str, list[str]] = {}
    with time_limit(240, "a check in Spanish"):
        page.goto("/")
        expect(page.locator("html")).to_have_attribute("lang", "es")
        seen["landing"] = violations(page)
        page.get_by_role("button", name="Empezar la revisión").click()
        for _ in range(60):
            page.wait_for_load_state()
            if "/r/" in page.url:
                break
            qid = page.locator('form.ask input[name="question"]').get_attribute("value")
            assert qid is not None
            question = es.questions[qid]
            expect(page.locator("h1")).to_contain_text(question.text[:20])
            if qid in ("respondent", "where", "age") or question.kind == "multi":
                seen.setdefault(f"question {qid}", violations(page))
            click_answer(page, question, respond(question, facts, es), use_map=scripts_on(page), lang="es")
            page.wait_for_url(re.compile(r"/(a|r)/"))
        else:
            raise AssertionError("the check never finished")
        expect(page.locator("html")).to_have_attribute("lang", "es")
        fits = page.get_by_role("heading", level=2, name=re.compile("se parece más a"))
        expect(fits).to_contain_text(es.conditions["plantar_fasciitis"].name)
        expect(page.get_by_role("heading", name="Tu plan de cuidados en casa", exact=True)).to_be_visible()
        seen["result"] = violations(page)
        page.get_by_role("link", name="Imprimir para tu médico").click()
        expect(page.locator("h1")).to_have_text("Revisión del dolor de talón: resumen")
        seen["print"] = violations(page)
        # The switch is a plain link: back to English for this check.
        page.go_back()
        page.get_by_role("link", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_role("heading", level=2, name=re.compile("fits best"))).to_be_visible()
    assert "question where" in seen
    assert {name: found for name, found in seen.items() if found} == {}
    # Without JavaScript the pictures tick nothing: the boxes were ticked, and it worked.
