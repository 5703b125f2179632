"""The simulated respondent of the vignette harness (shared/vignettes/README.md)."""

from __future__ import annotations

from heelcheck.engine import KnowledgeBase
from heelcheck.vignettes import person_facts, respond, run_vignette


def test_an_unsure_fact_is_answered_not_sure_where_the_question_offers_it(kb: KnowledgeBase) -> None:
    facts = person_facts({"age": 50, "diabetes": "unsure", "swelling": True, "foot_pale_cold": "unsure"}, kb)
    assert respond(kb.questions["diabetes"], facts, kb) == "unsure"
    assert respond(kb.questions["alarm_foot"], facts, kb) == ["swollen", "unsure"]
    assert respond(kb.questions["alarm_foot"], person_facts({"red_hot": "unsure"}, kb), kb) == ["unsure"]
    assert respond(kb.questions["age"], person_facts({"age": "unsure"}, kb), kb) is None


def test_an_unsure_fact_is_answered_no_where_there_is_no_not_sure(kb: KnowledgeBase) -> None:
    facts = person_facts({"age": 50, "fever": "unsure"}, kb)
    assert respond(kb.questions["alarm_body"], facts, kb) == ["none"]
    assert respond(kb.questions["back_pain"], person_facts({"back_pain": "unsure"}, kb), kb) == "no"


def test_nothing_ticked_is_answered_none_of_these(kb: KnowledgeBase) -> None:
    assert respond(kb.questions["alarm_foot"], person_facts({"age": 50}, kb), kb) == ["none"]


def test_implied_facts_count_as_listed(kb: KnowledgeBase) -> None:
    assert (
        respond(kb.questions["self_care"], person_facts({"self_care_failed": True}, kb), kb) == "not_helped"
    )
    assert respond(kb.questions["floxacin"], person_facts({"fluoroquinolone_now": True}, kb), kb) == "now"
    assert person_facts({"self_care_failed": True}, kb)["self_care_tried"] is True


def test_the_respondent_is_the_person_unless_the_vignette_says_otherwise(kb: KnowledgeBase) -> None:
    _, transcript = run_vignette(kb, {"age": 40, "loc_heel_bottom_inner": True})
    assert transcript[0]["question"] == "respondent" and transcript[0]["answer"] == "Me"
    child, transcript = run_vignette(kb, {"respondent": "parent_or_carer", "age": 10, "loc_heel_sides": True})
    assert child.known["respondent"] == "parent_or_carer"
    assert transcript[1]["text"] == "How old is your child?"
