"""A simulated patient who answers by clicking, like a person would."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Frame, Page, expect

from heelcheck.engine import KnowledgeBase, Question
from heelcheck.vignettes import respond

MAX_QUESTIONS = 60


def current_question(page: Page | Frame, kb: KnowledgeBase) -> Question:
    qid = page.locator('form.ask input[name="question"]').get_attribute("value")
    assert qid is not None
    return kb.questions[qid]


# The buttons' names in each language of the pages (the .po's words).
NEXT = {"en": "Next", "es": "Siguiente"}
NOT_SURE = {"en": "Not sure", "es": "No lo sé"}
YOURS = {"en": "your answer", "es": "tu respuesta"}


def click_answer(
    page: Page | Frame, question: Question, value: Any, *, use_map: bool = False, lang: str = "en"
) -> None:
    """Give ``value`` as the answer on the question page that is showing (in a page, or in
    the frame of an embedded widget), and press on; ``question`` is worded in ``lang``."""
    if question.kind == "number":
        if value is None:
            page.get_by_role("button", name=re.compile(rf"^{NOT_SURE[lang]}")).click()
        else:
            # The label is worded for whoever answers ("How old is your child?"): find the box.
            page.locator('form.ask input[type="number"][name="answer"]').fill(f"{value:g}")
            page.get_by_role("button", name=NEXT[lang]).click()
        return
    if question.kind == "multi":
        for option in question.options:
            box = page.get_by_role("checkbox", name=option.label, exact=True)
            want = option.id in value
            region = page.locator(f'.foot-map [data-part="{option.id}"]').first
            if use_map and region.count() and box.is_checked() != want:
                region.click()  # the picture ticks the box
                expect(box).to_be_checked(checked=want)
            elif box.is_checked() != want:
                box.set_checked(want)
        page.get_by_role("button", name=NEXT[lang]).click()
        return
    label = question.option(value).label  # type: ignore[union-attr]
    page.get_by_role("button", name=re.compile(rf"^{re.escape(label)}( \({YOURS[lang]}\))?$")).click()


def take(page: Page, kb: KnowledgeBase, facts: dict[str, Any], *, use_map: bool = False) -> None:
    """From the landing page to the result, answering as the vignette's patient."""
    page.goto("/")
    page.get_by_role("button", name=re.compile("Start")).click()
    for _ in range(MAX_QUESTIONS):
        page.wait_for_load_state()
        if "/r/" in page.url:
            return
        question = current_question(page, kb)
        click_answer(page, question, respond(question, facts, kb), use_map=use_map)
        page.wait_for_url(re.compile(r"/(a|r)/"))
    raise AssertionError("the evaluation never finished")


def banner_level(page: Page | Frame) -> str:
    first = page.locator("main > *").first
    classes = first.get_attribute("class") or ""
    match = re.search(r"banner-(\w+)", classes)
    assert match, f"the result page does not open with the urgency banner: {classes!r}"
    return match.group(1)
