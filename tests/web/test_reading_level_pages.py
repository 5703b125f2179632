"""The pages' own words (not only the knowledge base's) read at about a 12-year-old's level:
the landing page, the privacy page, a question and whole result pages, measured as the
knowledge base's texts are (tests/engine/test_reading_level.py); in Spanish too, by the
Fernández-Huerta ease the knowledge base's Spanish layer is held to."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from reading_level import GRADE_FOR_A_KIND, grade
from reading_level_es import EASE_FOR_A_KIND, ease
from web_helpers import Visitor

from heelcheck.engine import KnowledgeBase

HIDDEN = re.compile(r"(?s)<(script|style|svg|head)\b[^>]*>.*?</\1>")
BLOCK = re.compile(r"(?i)</?(?:p|li|h\d|div|section|td|th|label|legend|button|summary|a|dt|dd)\b[^>]*>")


def visible_texts(page: str) -> list[str]:
    """The page's text, one piece per block; a piece without an ending (a heading, a
    button) counts as a sentence of its own, as a reader takes it."""
    pieces = []
    for block in BLOCK.split(HIDDEN.sub(" ", page)):
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", block)).split())
        if text:
            pieces.append(text if text[-1] in ".!?:" else f"{text}.")
    return pieces


def test_it_finds_the_words_a_reader_sees() -> None:
    page = "<html><head><title>x</title></head><body><h1>Heel check</h1><p>It is <b>free</b>.</p><script>var a = 1;</script></body></html>"
    assert visible_texts(page) == ["Heel check.", "It is free ."]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/privacy/"])
def test_the_fixed_pages_read_easily(client: Client, url: str) -> None:
    texts = visible_texts(client.get(url).content.decode())
    assert len(texts) > 5
    assert grade(texts) <= GRADE_FOR_A_KIND


@pytest.mark.parametrize("vignette", ["D001", "D030", "D033"])
def test_the_first_question_and_the_result_pages_read_easily(
    alice: Visitor, vignettes: dict[str, dict[str, Any]], vignette: str
) -> None:
    alice.start()
    question, _ = alice.page()
    assert grade(visible_texts(question)) <= GRADE_FOR_A_KIND
    result = alice.client.get(alice.take(vignettes[vignette]["facts"])).content.decode()
    texts = visible_texts(result)
    assert len(texts) > 20
    assert grade(texts) <= GRADE_FOR_A_KIND


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/privacy/"])
def test_the_fixed_pages_read_easily_in_spanish(url: str) -> None:
    texts = visible_texts(Client(HTTP_ACCEPT_LANGUAGE="es").get(url).content.decode())
    assert len(texts) > 5
    assert ease(texts) >= EASE_FOR_A_KIND, ease(texts)


@pytest.mark.parametrize("vignette", ["D001", "D030"])
def test_the_first_question_and_the_result_pages_read_easily_in_spanish(
    db: None, kb: KnowledgeBase, vignettes: dict[str, dict[str, Any]], vignette: str
) -> None:
    maria = Visitor(Client(HTTP_ACCEPT_LANGUAGE="es"), kb)
    maria.start()
    question, _ = maria.page()
    assert ease(visible_texts(question)) >= EASE_FOR_A_KIND
    result = maria.client.get(maria.take(vignettes[vignette]["facts"])).content.decode()
    texts = visible_texts(result)
    assert len(texts) > 20
    assert ease(texts) >= EASE_FOR_A_KIND, ease(texts)
