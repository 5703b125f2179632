"""Two causes at once, and the honest answer that none fits: the hypotheses the engine
weighs, what a result says of them, and how sure it says it is."""

from __future__ import annotations

import numpy as np
import pytest
from engine_helpers import PLANTAR, answer_through
from people import NOTHING_FITS, PF_WITH_SCIATICA

from heelcheck.engine import KnowledgeBase
from heelcheck.engine.model import Combine, Hypotheses
from heelcheck.engine.result import SHOW_AT_LEAST


def test_a_yes_no_sign_of_two_causes_is_there_when_either_brings_it() -> None:
    hyp = Hypotheses(((0,), (1,), (0, 1)), np.array([1.0, 1.0, 0.5]), ((), (), ("expert",)))
    wide = hyp.widen(np.array([[0.2, 0.5]]), Combine.either)
    assert wide[0].tolist() == pytest.approx([0.2, 0.5, 1 - 0.8 * 0.5])


def test_a_fact_about_the_person_is_as_likely_as_with_the_cause_where_it_is_commoner() -> None:
    hyp = Hypotheses(((0,), (1,), (0, 1)), np.array([1.0, 1.0, 0.5]), ((), (), ("expert",)))
    wide = hyp.widen(np.array([[0.1, 0.65]]), Combine.likelier)  # diabetes: PF, neuropathy
    assert wide[0].tolist() == pytest.approx([0.1, 0.65, 0.65])


def test_a_fact_with_several_values_keeps_summing_to_one_for_a_pair() -> None:
    hyp = Hypotheses(((0,), (1,), (0, 1)), np.array([1.0, 1.0, 0.5]), ((), (), ("expert",)))
    table = np.array([[0.7, 0.1], [0.3, 0.9]])
    wide = hyp.widen(table, Combine.mean)
    assert wide[:, 2].tolist() == pytest.approx([0.4, 0.6])
    assert wide.sum(axis=0).tolist() == pytest.approx([1.0, 1.0, 1.0])


def test_a_pair_weighs_its_share_of_the_rarer_condition() -> None:
    hyp = Hypotheses(((0,), (1,), (0, 1)), np.array([1.0, 1.0, 0.25]), ((), (), ("expert",)))
    prior = hyp.prior(np.array([0.8, 0.2]))
    assert prior.tolist() == pytest.approx(np.array([0.8, 0.2, 0.05]) / 1.05)


def test_the_shipped_pairs_never_include_other_and_singles_come_first(kb: KnowledgeBase) -> None:
    members = kb.hypotheses.members
    n = len(kb.condition_ids)
    assert members[:n] == tuple((i,) for i in range(n))
    other = kb.condition_ids.index("other")
    assert all(len(m) == 2 and other not in m for m in members[n:])
    assert len(set(members)) == len(members)


def test_presence_counts_a_pair_for_both_of_its_conditions(kb: KnowledgeBase) -> None:
    n = len(kb.condition_ids)
    pair = n  # the first declared pair
    joint = np.zeros(kb.n_hypotheses)
    joint[pair] = 0.6
    joint[kb.hypotheses.members[pair][0]] = 0.4
    presence = kb.presence(joint)
    a, b = kb.hypotheses.members[pair]
    assert presence[a] == pytest.approx(1.0) and presence[b] == pytest.approx(0.6)
    assert presence.sum() == pytest.approx(1.6)


def test_rows_under_a_few_per_cent_are_not_shown(kb: KnowledgeBase) -> None:
    result = answer_through(kb, {**PLANTAR, "first_steps": "yes", "press_inner_heel": "yes"}).result()
    assert result.shown[0] == result.leading
    assert all(r.probability >= SHOW_AT_LEAST for r in result.shown[1:])
    assert len(result.shown) < len(result.ranked)


# ------------------------------------------------------------------ whole interviews
def test_plantar_fasciitis_with_sciatica_names_both_and_links_the_back_to_the_heel(kb: KnowledgeBase) -> None:
    from heelcheck.vignettes import run_vignette

    result = run_vignette(kb, PF_WITH_SCIATICA)[0].result()
    named = {result.leading.condition, *result.also_present}
    assert named == {"sciatica", "plantar_fasciitis"}
    # The cause needing more care leads; the heel's own problem is not lost.
    assert result.leading.condition == "sciatica"
    assert result.back_link == "back_to_heel"
    assert result.back_link_text == kb.texts.back_link_also  # not "treat the back" alone
    assert {e.condition for e in result.explanations} >= named
    suits = {c for item in result.plan for c in item.suits}
    assert {"sciatica", "plantar_fasciitis"} <= suits, "the plan covers both causes"


def test_answers_that_fit_no_listed_cause_say_so_and_need_a_clinician(kb: KnowledgeBase) -> None:
    from heelcheck.engine import Triage
    from heelcheck.vignettes import run_vignette

    result = run_vignette(kb, NOTHING_FITS)[0].result()
    assert result.leading.condition == "other"
    assert not result.fits_a_cause
    assert result.headline == kb.texts.no_fit
    assert result.also_present == ()
    assert result.triage >= Triage.soon


def test_plain_plantar_fasciitis_names_one_cause_in_few_questions(kb: KnowledgeBase) -> None:
    from heelcheck.vignettes import run_vignette

    facts = {"age": 45, "sex": "female", "loc_heel_bottom_inner": True, "first_step_pain": True,
             "check_press_inner_heel": True, "standing_job_hard": True, "duration_weeks": 10}  # fmt: skip
    result = run_vignette(kb, facts)[0].result()
    assert result.leading.condition == "plantar_fasciitis"
    assert result.also_present == ()
    assert result.certainty.value == "very_likely"
    assert result.questions_asked <= 10
