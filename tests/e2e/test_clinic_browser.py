"""Real Chromium, a phone-sized screen, a site with a clinic file: the clinic's name on the
landing, an emergency result with the emergency number to tap, a self-care result with the
clinic's booking, and axe-core finding nothing of any impact on those pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from e2e_helpers import take
from e2e_support import violations
from people import EMERGENCY
from playwright.sync_api import Page, expect
from site_processes import live_site

from heelcheck.engine import KnowledgeBase

pytestmark = pytest.mark.e2e
CLINIC = """
name = "Northside Foot Clinic"
phone = "+1 555 0100"
booking_url = "https://northside.example/book"
emergency_number = "911"
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """This module's site has a clinic file (conftest's `page` opens it)."""
    folder = tmp_path_factory.mktemp("clinic")
    (folder / "clinic.toml").write_text(CLINIC, encoding="utf-8")
    with live_site(folder / "site", HEELCHECK_CLINIC_FILE=str(folder / "clinic.toml")) as live:
        yield live.url


def test_an_emergency_result_gives_the_number_to_tap(page: Page, kb: KnowledgeBase) -> None:
    page.goto("/")
    expect(page.locator("header.top")).to_contain_text("Northside Foot Clinic")
    assert violations(page) == []
    take(page, kb, EMERGENCY)
    call = page.get_by_role("link", name="Call 911 now")
    expect(call).to_be_visible()
    expect(call).to_have_attribute("href", "tel:911")
    box = call.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44  # a thumb's target
    assert violations(page) == []


def test_a_self_care_result_offers_the_clinics_booking(
    page: Page, kb: KnowledgeBase, vignettes: dict[str, dict[str, Any]]
) -> None:
    page.goto("/")
    take(page, kb, vignettes["D001"]["facts"])
    book = page.get_by_role("link", name=re.compile("^Book at Northside Foot Clinic$"))
    expect(book).to_have_attribute("href", "https://northside.example/book")
    expect(page.get_by_role("link", name="Call Northside Foot Clinic: +1 555 0100")).to_have_attribute(
        "href", "tel:+15550100"
    )
    assert violations(page) == []
