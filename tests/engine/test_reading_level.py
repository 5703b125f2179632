"""Every text a person reads is written for about a 12-year-old (US grade 6-7).

Measured with the Flesch-Kincaid grade of the ``readability`` package (surface counts:
words per sentence, syllables per word). On a short text that grade is noisy, so each kind
of text is measured as a whole (all questions together, all "what helps" together...), and
every single text longer than two sentences is held to a looser bound, so that one hard
paragraph cannot hide among easy ones.
"""

from __future__ import annotations

import pytest
from reading_level import GRADE_FOR_A_KIND, GRADE_FOR_ONE_TEXT, grade, sentences

from heelcheck.engine import KnowledgeBase


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [s for item in value for s in strings(item)]
    return []


def kinds(kb: KnowledgeBase) -> dict[str, list[str]]:
    questions = list(kb.questions.values())
    conditions = list(kb.conditions.values())
    return {
        "question texts": [q.text for q in questions],
        "why we ask": [q.why for q in questions],
        "hints": [q.hint for q in questions if q.hint],
        "answer options": [o.label for q in questions for o in q.options],
        "what a condition is": [s for c in conditions for s in strings(c.what)],
        "typical signs": [s for c in conditions for s in strings(c.signs)],
        "what helps": [s for c in conditions for s in strings(c.helps)],
        "when to worry": [s for c in conditions for s in strings(c.worry)],
        "self-care plan": [s for item in kb.plan for s in (item.title, *strings(item.how))],
        "red-flag advice": [s for rule in kb.rules for s in (rule.title, rule.action)],
        "care levels": [s for level in kb.texts.triage.values() for s in level.values()],
        "heel and back": [*kb.texts.back_link.values(), kb.texts.back_link_also],
        "reasons of a result": [
            t for st in kb.statements.values() for t in (st.yes, st.no, st.number, st.one) if t
        ],
        "why no self-care plan": [c.no_plan for c in conditions if c.no_plan],
        "headlines": [kb.texts.no_fit, kb.texts.also_present, *kb.texts.certainty.values()],
        "disclaimer": [kb.texts.disclaimer],
    }


def test_the_measure_tells_plain_from_hard_english() -> None:
    plain = "Your heel hurts most in the morning. Rest it and stretch your calf."
    hard = ("Plantar fasciopathy demonstrates characteristic nociceptive presentation "
            "predominantly following prolonged immobilisation, necessitating comprehensive "
            "biomechanical evaluation.")  # fmt: skip
    assert grade([plain]) < 5 < GRADE_FOR_ONE_TEXT < grade([hard])


KINDS = (
    "question texts", "why we ask", "hints", "answer options", "what a condition is",
    "typical signs", "what helps", "when to worry", "self-care plan", "red-flag advice",
    "care levels", "heel and back", "reasons of a result", "why no self-care plan", "headlines",
    "disclaimer",
)  # fmt: skip


def test_every_kind_of_text_is_measured(kb: KnowledgeBase) -> None:
    assert tuple(kinds(kb)) == KINDS


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_text_reads_at_about_a_12_year_olds_level(kb: KnowledgeBase, kind: str) -> None:
    texts = kinds(kb)[kind]
    assert texts, f"no {kind} found"
    assert grade(texts) <= GRADE_FOR_A_KIND, f"{kind}: grade {grade(texts):.1f}"


def test_no_single_longer_text_is_hard_to_read(kb: KnowledgeBase) -> None:
    hard = {
        text[:60]: round(grade([text]), 1)
        for texts in kinds(kb).values()
        for text in texts
        if len(sentences(text)) > 2 and grade([text]) > GRADE_FOR_ONE_TEXT
    }
    assert not hard, f"texts above grade {GRADE_FOR_ONE_TEXT}: {hard}"
