"""Answering, changing answers, saving and bad input."""

from __future__ import annotations

import pytest
from engine_helpers import ADULT, PLANTAR, answer_through, asked

from heelcheck.engine import AnswerError, Interview, KnowledgeBase, StateError, Triage, findings_of_state
from heelcheck.engine.result import plan_for


def start(kb: KnowledgeBase, *answers: tuple[str, object]) -> Interview:
    interview = Interview.start(kb)
    for qid, value in answers:
        interview = interview.answer(qid, value)
    return interview


def test_it_starts_with_who_age_where_back_pain_then_the_two_safety_screens(kb: KnowledgeBase) -> None:
    interview = Interview.start(kb)
    order = []
    for value in ("self", 45, ["bottom_inner"], "no", ["none"], ["none"]):
        q = interview.next_question
        assert q is not None
        order.append(q.id)
        interview = interview.answer(q.id, value)
    assert order == ["respondent", "age", "where", "back_pain", "alarm_body", "alarm_foot"]
    assert interview.next_reason == "information" or not interview.next_reason.startswith("required")


def test_a_child_is_then_asked_about_rest_and_night_pain(kb: KnowledgeBase) -> None:
    interview = start(kb, ("respondent", "child"), ("age", 11), ("where", ["sides"]), ("back_pain", "no"))
    interview = interview.answer("alarm_body", ["none"]).answer("alarm_foot", ["none"])
    assert interview.next_question is not None and interview.next_question.id == "rest_night"


def test_back_pain_brings_which_came_first_and_pain_below_the_knee(kb: KnowledgeBase) -> None:
    interview = start(
        kb, ("respondent", "self"), ("age", 45), ("where", ["bottom_inner"]), ("back_pain", "yes")
    )
    interview = interview.answer("alarm_body", ["none"]).answer("alarm_foot", ["none"])
    order = []
    for _ in range(2):
        q = interview.next_question
        assert q is not None
        order.append(q.id)
        interview = interview.answer(q.id, "heel_first" if q.id == "back_timing" else "no")
    assert order == ["back_timing", "radiating"]


def test_a_full_interview_gives_a_ranked_result_over_every_condition(kb: KnowledgeBase) -> None:
    interview = answer_through(kb, {**PLANTAR, "first_steps": "yes", "press_inner_heel": "yes"})
    result = interview.result()
    assert [r.condition for r in sorted(result.ranked, key=lambda r: r.condition)] == sorted(kb.condition_ids)
    assert result.ranked[0].condition == "plantar_fasciitis"
    # Each row is the chance that the condition is present; two causes at once count for
    # both, so the rows need not sum to one, but the hypotheses do.
    assert all(0.0 <= r.probability <= 1.0 for r in result.ranked)
    assert abs(float(interview.joint_posterior.sum()) - 1.0) < 1e-9
    assert result.triage == Triage.self_care
    assert result.back_link == "none"
    assert result.kb_version == kb.version
    assert result.plan, "a self-care plan is offered"
    assert result.explanations[0].raised, "the leading condition is explained"
    data = result.to_dict()
    assert data["triage"] == "self_care" and data["ranked"][0][0] == "plantar_fasciitis"


def test_replaying_the_saved_state_gives_the_same_result(kb: KnowledgeBase) -> None:
    done = answer_through(kb, PLANTAR)
    again = Interview.from_state(kb, done.to_state())
    assert again.to_state() == done.to_state()
    assert again.result() == done.result()


def test_changing_an_earlier_answer_recomputes_everything(kb: KnowledgeBase) -> None:
    done = answer_through(kb, PLANTAR)
    assert done.result().ranked[0].condition == "plantar_fasciitis"
    child = done.answer("age", 10).answer("where", ["sides", "back"])
    child = answer_through(kb, {}, child)
    assert child.result().ranked[0].condition == "sever_disease"
    assert child.answers[1].value == 10
    assert "rest_night" in asked(child), "a child's own questions follow the new age"


def test_changing_an_answer_keeps_later_answers_that_still_apply(kb: KnowledgeBase) -> None:
    partial = start(kb, ("respondent", "self"), ("age", 45), ("where", ["bottom_inner"]))
    changed = partial.answer("age", 50)
    assert asked(changed) == ["respondent", "age", "where"]
    assert changed.answers[1].value == 50


def test_a_red_flag_stops_the_interview_with_an_emergency(kb: KnowledgeBase) -> None:
    interview = start(
        kb, ("respondent", "self"), ("age", 39), ("where", ["soles_toes"]), ("back_pain", "yes")
    )
    interview = interview.answer("alarm_body", ["saddle"])
    assert interview.is_complete
    result = interview.result()
    assert result.triage == Triage.emergency
    assert result.red_flags[0].id == "cauda_equina"
    assert result.plan == ()


def test_a_red_hot_foot_leads_to_asking_about_diabetes(kb: KnowledgeBase) -> None:
    interview = start(kb, ("respondent", "self"), ("age", 60), ("where", ["sides"]), ("back_pain", "no"))
    interview = interview.answer("alarm_body", ["none"]).answer("alarm_foot", ["red_hot"])
    assert interview.next_question is not None
    assert interview.next_question.id == "diabetes"
    assert interview.next_reason.startswith("safety:")


def test_not_sure_about_diabetes_counts_as_maybe_for_safety(kb: KnowledgeBase) -> None:
    interview = start(kb, ("respondent", "self"), ("age", 60), ("where", ["sides"]), ("back_pain", "no"))
    interview = interview.answer("alarm_body", ["fever"]).answer("alarm_foot", ["red_hot"])
    interview = interview.answer("diabetes", "unsure")
    assert interview.is_complete
    assert interview.result().triage == Triage.emergency


def test_progress_moves_forward_and_ends_complete(kb: KnowledgeBase) -> None:
    interview = Interview.start(kb)
    done, total = interview.progress()
    assert done == 0 and total >= 6
    finished = answer_through(kb, PLANTAR)
    done, total = finished.progress()
    assert done == total == len(finished.answers)


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    ("question", "value", "code"),
    [
        ("agee", 45, "unknown_question"),
        ("where", ["bottom_inner"], "not_asked"),
        ("age", 200, "out_of_range"),
        ("age", 2, "out_of_range"),
        ("age", "forty", "not_a_number"),
        ("age", True, "not_a_number"),
        ("age", float("nan"), "not_a_number"),
        ("age", ["45"], "not_a_number"),
    ],
)
def test_bad_answers_to_the_age_question_are_refused_with_a_code(
    kb: KnowledgeBase, question: str, value: object, code: str
) -> None:
    interview = start(kb, ("respondent", "self"))
    with pytest.raises(AnswerError) as err:
        interview.answer(question, value)
    assert err.value.code == code
    assert str(err.value)
    assert asked(interview) == ["respondent"]
    assert interview.next_question is not None and interview.next_question.id == "age"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("nowhere", "not_a_list"),
        (["moon"], "unknown_option"),
        ([1], "not_a_list"),
        (None, "not_a_list"),
        ([], "answer_required"),
        (["none", "bottom_inner"], "exclusive_option"),
    ],
)
def test_bad_tick_list_answers_are_refused(kb: KnowledgeBase, value: object, code: str) -> None:
    interview = start(kb, ("respondent", "self"), ("age", 45))
    with pytest.raises(AnswerError) as err:
        interview.answer("where", value)
    assert err.value.code == code
    assert asked(interview) == ["respondent", "age"]


def test_an_unknown_option_names_the_choices(kb: KnowledgeBase) -> None:
    with pytest.raises(AnswerError, match="choose one of: self, child, someone_else"):
        Interview.start(kb).answer("respondent", "yes")


def test_answering_after_the_end_is_refused(kb: KnowledgeBase) -> None:
    done = answer_through(kb, PLANTAR)
    unasked = next(q for q in kb.questions.values() if q.kind == "yes_no" and q.id not in asked(done))
    with pytest.raises(AnswerError) as err:
        done.answer(unasked.id, "yes")
    assert err.value.code == "interview_complete"


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (None, "must be an object"),
        ({"answers": "age=45"}, "must be an object with a list"),
        ({"answers": [{"question": "age"}]}, "exactly 'question' and 'answer'"),
        ({"answers": [{"question": "shoe_size", "answer": 9}]}, "unknown question 'shoe_size'"),
        ({"answers": [{"question": "age", "answer": 500}]}, "between 3 and 110"),
        ({"answers": [{"question": "where", "answer": []}]}, "Tick at least one box"),
        ({"answers": [{"question": "age", "answer": 4}, {"question": "age", "answer": 5}]}, "answered twice"),
        ({"answers": [{"question": "age", "answer": 40}] * 300}, "at most 200"),
    ],
)
def test_a_malformed_saved_state_is_refused_clearly(
    kb: KnowledgeBase, state: dict[str, object], message: str
) -> None:
    if isinstance(state, dict):
        state = {"version": kb.version, **state}
    with pytest.raises(StateError, match=message):
        Interview.from_state(kb, state)
    with pytest.raises(StateError, match=message):
        findings_of_state(kb, state)


def test_a_saved_state_with_answers_off_the_path_keeps_only_what_is_asked(kb: KnowledgeBase) -> None:
    state = {
        "version": kb.version,
        "answers": [
            {"question": "respondent", "answer": "self"},
            {"question": "age", "answer": 45},
            {"question": "tiptoe", "answer": "can"},
        ],
    }
    interview = Interview.from_state(kb, state)
    assert asked(interview) == ["respondent", "age"]


def test_no_result_claims_certainty(kb: KnowledgeBase) -> None:
    result = answer_through(kb, {**PLANTAR, "first_steps": "yes", "press_inner_heel": "yes"})
    top = result.result().ranked[0]
    assert 0.9 < top.probability < 0.99


def test_the_plan_is_short_and_led_by_the_core_advice_for_the_leading_condition(kb: KnowledgeBase) -> None:
    done = answer_through(kb, {**PLANTAR, "first_steps": "yes", "press_inner_heel": "yes"})
    plan = [item.id for item in done.result().plan]
    assert len(plan) <= 10
    assert {"calf_stretch", "plantar_stretch", "supportive_shoes"} <= set(plan)
    # What the person does shapes the plan (the activities question is asked only when it
    # teaches something, so it is given here directly).
    known = {**done.known, "runner": True, "weight_gain_recent": True, "long_sitting": True}
    personal = {item.id for item in plan_for(kb, known, done.posterior_vector)}
    assert {"sport_load", "weight_gradual"} <= personal
    assert not {"sport_load", "weight_gradual"} & set(plan), "not without those answers"


def test_a_possible_rupture_gets_no_stretching(kb: KnowledgeBase) -> None:
    answers = {**ADULT, "age": 41, "where": ["tendon"], "alarm_body": ["pop"], "onset": "sudden_injury"}
    result = answer_through(kb, answers).result()
    assert result.ranked[0].condition == "achilles_rupture"
    assert result.triage == Triage.urgent
    assert not {"calf_stretch", "plantar_stretch", "heel_raises"} & {item.id for item in result.plan}


def test_only_ticked_boxes_are_given_as_reasons(kb: KnowledgeBase) -> None:
    """ "None of these" is no reason for anything being true: a reason from a tick-list
    names a finding the person ticked."""
    for answers in (PLANTAR, {**PLANTAR, "where": ["bottom_inner", "arch"], "quality": ["sharp"]}):
        done = answer_through(kb, answers)
        for exp in done.result().explanations:
            for reason in (*exp.raised, *exp.lowered):
                if kb.questions[reason.question].kind == "multi":
                    assert reason.finding is not None
                    assert done.known.get(reason.finding) is True, (reason.question, reason.statement)


STATES = (
    PLANTAR,
    {**PLANTAR, "alarm_foot": ["red_hot"]},
    {"respondent": "child", "age": 10, "where": ["sides"]},
    {**PLANTAR, "alarm_foot": ["swollen", "unsure"], "where": ["unsure"]},
)


def test_a_trusted_saved_state_restores_the_same_interview_without_replaying_choices(
    kb: KnowledgeBase,
) -> None:
    for answers in STATES:
        done = answer_through(kb, answers)
        for cut in range(len(done.answers) + 1):
            state = {"version": kb.version, "answers": [a.to_dict() for a in done.answers[:cut]]}
            fast = Interview.from_state(kb, state, trusted=True)
            slow = Interview.from_state(kb, state)
            assert fast.to_state() == slow.to_state()
            assert fast.next_question == slow.next_question
            assert fast.posterior() == pytest.approx(slow.posterior())


def test_a_trusted_state_from_another_version_is_replayed_in_full(kb: KnowledgeBase) -> None:
    state = {
        "version": "old",
        "answers": [
            {"question": "respondent", "answer": "self"},
            {"question": "age", "answer": 45},
            {"question": "tiptoe", "answer": "can"},
        ],
    }
    assert asked(Interview.from_state(kb, state, trusted=True)) == ["respondent", "age"]


def test_the_findings_of_a_saved_state_are_those_the_interview_knows(kb: KnowledgeBase) -> None:
    for answers in STATES:
        done = answer_through(kb, answers)
        for cut in range(len(done.answers) + 1):
            state = {"version": kb.version, "answers": [a.to_dict() for a in done.answers[:cut]]}
            interview = Interview.from_state(kb, state)
            assert findings_of_state(kb, interview.to_state()) == interview.known
