"""The knowledge base in Spanish: the same ids, numbers and rules, every text a person
reads in plain Spanish, and `heelcheck kb check` refusing a layer with a gap."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from people import PF_WITH_SCIATICA
from reading_level_es import EASE_FOR_A_KIND, EASE_FOR_ONE_TEXT, ease

from heelcheck.engine import KnowledgeBase, check
from heelcheck.engine.loader import DEFAULT_DIR
from heelcheck.engine.locale import for_locale
from heelcheck.vignettes import run_vignette


@pytest.fixture(scope="module")
def es(kb: KnowledgeBase) -> KnowledgeBase:
    assert "es" in kb.catalogues
    return for_locale(kb, "es")


def test_spanish_changes_the_words_and_nothing_else(kb: KnowledgeBase, es: KnowledgeBase) -> None:
    assert es.locale == "es" and es.version == kb.version
    assert list(es.questions) == list(kb.questions)
    for qid, q in kb.questions.items():
        spanish = es.questions[qid]
        assert [(o.id, dict(o.sets), o.exclusive) for o in spanish.options] == [
            (o.id, dict(o.sets), o.exclusive) for o in q.options
        ]
        assert (spanish.kind, spanish.finding, spanish.required) == (q.kind, q.finding, q.required)
        assert spanish.text != q.text, qid
    assert [r.clauses for r in es.rules] == [r.clauses for r in kb.rules]
    assert es.evidence is kb.evidence and es.outcomes is kb.outcomes
    assert for_locale(kb, "en") is kb and for_locale(kb, "xx") is kb


def test_an_interview_in_spanish_reaches_the_same_result_in_spanish_words(
    kb: KnowledgeBase, es: KnowledgeBase
) -> None:
    english = run_vignette(kb, PF_WITH_SCIATICA)[0].result()
    spanish = run_vignette(es, PF_WITH_SCIATICA)[0].result()
    assert [(r.condition, r.probability) for r in spanish.ranked] == [
        (r.condition, r.probability) for r in english.ranked
    ]
    assert (spanish.triage, spanish.also_present, spanish.back_link) == (
        english.triage, english.also_present, english.back_link,
    )  # fmt: skip
    assert spanish.triage_title == es.texts.triage[spanish.triage.name]["title"] != english.triage_title
    assert spanish.leading.name == es.conditions["sciatica"].name != english.leading.name
    assert spanish.disclaimer != english.disclaimer
    first = spanish.answers[0]
    assert first.text == es.questions[first.question].text != kb.questions[first.question].text


def test_a_missing_spanish_text_is_named_by_kb_check(tmp_path: Path) -> None:
    target = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_DIR, target)
    path = target / "es" / "questions.yaml"
    data = yaml.safe_load(path.read_text())
    del data["questions"]["age"]["text"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert "es/questions.yaml: questions.age.text: no translation" in check(target)


def spanish_kinds(es: KnowledgeBase) -> dict[str, list[str]]:
    questions = list(es.questions.values())
    conditions = list(es.conditions.values())
    return {
        "question texts": [t for q in questions for t in {q.text, *q.texts.values()}],
        "why we ask": [q.why for q in questions],
        "answer options": [o.label for q in questions for o in q.options],
        "condition texts": [t for c in conditions for t in (c.what, c.signs, c.helps, c.worry)],
        "self-care plan": [t for item in es.plan for t in (item.title, item.how)],
        "red-flag advice": [t for rule in es.rules for t in (rule.title, rule.action)],
        "reasons of a result": [t for st in es.statements.values() for t in (st.yes, st.no) if t],
        "result texts": [es.texts.disclaimer, es.texts.no_fit, es.texts.back_link_also,
                         *es.texts.back_link.values(),
                         *(t for level in es.texts.triage.values() for t in level.values())],
    }  # fmt: skip


def test_every_kind_of_spanish_text_is_fairly_easy_to_read(es: KnowledgeBase) -> None:
    scores = {kind: round(ease(texts), 1) for kind, texts in spanish_kinds(es).items()}
    assert all(score >= EASE_FOR_A_KIND for score in scores.values()), scores


def test_no_longer_spanish_text_is_hard_to_read(es: KnowledgeBase) -> None:
    hard = {
        text[:60]: round(ease([text]), 1)
        for texts in spanish_kinds(es).values()
        for text in texts
        if text.count(". ") >= 2 and ease([text]) < EASE_FOR_ONE_TEXT
    }
    assert not hard, hard
