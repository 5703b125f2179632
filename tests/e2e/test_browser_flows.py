"""Real Chromium against the real site: assessments taken by clicking, with and without
JavaScript, changing an answer through Back, and axe-core on the main pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from e2e_helpers import banner_level, click_answer, current_question, take
from e2e_support import serious_violations, time_limit
from playwright.sync_api import Page, expect

from heelcheck.engine import KnowledgeBase

pytestmark = pytest.mark.e2e
Vignettes = dict[str, dict[str, Any]]


def test_it_takes_a_plantar_fasciitis_assessment_by_clicking(
    page: Page, kb: KnowledgeBase, vignettes: Vignettes
) -> None:
    with time_limit(120, "the plantar fasciitis assessment"):
        take(page, kb, vignettes["D001"]["facts"], use_map=True)
        assert banner_level(page) == "self_care"
        expect(page.get_by_role("heading", level=2, name=re.compile("fits best"))).to_contain_text(
            "Plantar fasciitis"
        )
        # Causes under 3 % get no row: a clear plantar fasciitis shows it alone.
        expect(page.locator(".bars li")).to_have_count(1)
        expect(page.locator(".certainty")).to_contain_text("Very likely")
        expect(page.get_by_role("heading", name="Your self-care plan", exact=True)).to_be_visible()
        pictures = page.locator(".plan img")
        assert pictures.count() >= 1
        for i in range(pictures.count()):
            assert pictures.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")


def test_it_ends_a_sciatica_assessment_with_a_red_flag_in_the_emergency_banner(
    page: Page, kb: KnowledgeBase, vignettes: Vignettes
) -> None:
    with time_limit(120, "the sciatica assessment"):
        take(page, kb, vignettes["D030"]["facts"], use_map=True)
        assert banner_level(page) == "emergency"
        banner = page.locator(".banner")
        expect(banner).to_contain_text("Get emergency help now")
        expect(banner).to_contain_text("emergency department")
        box = banner.bounding_box()
        assert box is not None and box["y"] < 150 and box["width"] >= 380  # first, full width
        expect(page.get_by_role("heading", name="Your heel and your back", exact=True)).to_be_visible()


def test_it_takes_a_diabetic_neuropathy_assessment(
    page: Page, kb: KnowledgeBase, vignettes: Vignettes
) -> None:
    with time_limit(120, "the neuropathy assessment"):
        take(page, kb, vignettes["D033"]["facts"])
        assert banner_level(page) == "soon"
        expect(page.get_by_role("heading", level=2, name=re.compile("fits best"))).to_be_visible()
        heading = page.get_by_role("heading", level=2, name=re.compile("fits best")).inner_text()
        assert "neuropathy" in heading.lower() or "nerve" in heading.lower(), heading


def test_it_works_with_javascript_turned_off(
    page_without_js: Page, kb: KnowledgeBase, vignettes: Vignettes
) -> None:
    page = page_without_js
    with time_limit(120, "the assessment without JavaScript"):
        take(page, kb, vignettes["D001"]["facts"])
        assert banner_level(page) == "self_care"
        expect(page.get_by_role("heading", level=2, name=re.compile("fits best"))).to_contain_text(
            "Plantar fasciitis"
        )
        page.get_by_role("link", name="Print for your doctor").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("summary")
        page.go_back()
        page.get_by_role("link", name="Delete my answers").click()
        page.get_by_role("button", name="Yes, delete my answers").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your answers were deleted")


def test_it_changes_the_result_when_an_earlier_answer_is_changed_through_back(
    page: Page, kb: KnowledgeBase, vignettes: Vignettes
) -> None:
    with time_limit(180, "changing an answer through Back"):
        take(page, kb, vignettes["D001"]["facts"])
        assert banner_level(page) == "self_care"
        result_url = page.url
        page.get_by_role("link", name=re.compile("Back to the questions")).click()
        for _ in range(40):
            if current_question(page, kb).id == "alarm_body":
                break
            page.get_by_role("link", name=re.compile("Back")).first.click()
        else:
            raise AssertionError("Back never reached the red-flag question")
        expect(page.get_by_text("answered before")).to_be_visible()
        click_answer(page, kb.questions["alarm_body"], ["saddle", "bladder"])
        for _ in range(40):  # walk forward, keeping the stored answers, to the result
            page.wait_for_load_state()
            if "/r/" in page.url:
                break
            page.get_by_role("link", name="Skip ahead to where you were").click()
        assert page.url == result_url
        assert banner_level(page) == "emergency"


def test_it_reloads_to_the_same_question(page: Page, kb: KnowledgeBase, vignettes: Vignettes) -> None:
    with time_limit(60, "reloading"):
        page.goto("/")
        page.get_by_role("button", name=re.compile("Start")).click()
        click_answer(page, kb.questions["respondent"], "self")
        expect(page.locator('form.ask input[name="question"]')).to_have_value("age")
        click_answer(page, kb.questions["age"], 38)
        page.wait_for_url(re.compile(r"/a/"))
        before = current_question(page, kb).id
        page.reload()
        assert current_question(page, kb).id == before
        expect(page.get_by_text(re.compile(r"Question 3 of about \d+"))).to_be_visible()


def test_its_landing_question_and_result_pages_pass_axe(
    page: Page, kb: KnowledgeBase, vignettes: Vignettes
) -> None:
    page.goto("/")
    assert serious_violations(page) == [], "landing page"
    page.get_by_role("button", name=re.compile("Start")).click()
    page.wait_for_url(re.compile(r"/a/"))
    assert serious_violations(page) == [], "first question"
    facts = vignettes["D030"]["facts"]
    with time_limit(120, "reaching the foot picture"):
        while current_question(page, kb).id != "where":
            question = current_question(page, kb)
            from heelcheck.vignettes import respond

            click_answer(page, question, respond(question, facts, kb))
            page.wait_for_url(re.compile(r"/a/"))
    assert serious_violations(page) == [], "foot picture question"
    with time_limit(120, "reaching the result"):
        take(page, kb, vignettes["D001"]["facts"])
    assert serious_violations(page) == [], "result page"
    page.get_by_role("link", name="Print for your doctor").click()
    assert serious_violations(page) == [], "print page"


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_its_print_view_fits_one_page(
    page: Page, kb: KnowledgeBase, vignettes: Vignettes, paper: str
) -> None:
    with time_limit(120, "the print view"):
        take(page, kb, vignettes["D001"]["facts"])  # the longest plan of the three
        page.get_by_role("link", name="Print for your doctor").click()
        page.emulate_media(media="print")
        pdf = page.pdf(format=paper, prefer_css_page_size=False)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 1, f"the print view takes {pages} {paper} pages"
