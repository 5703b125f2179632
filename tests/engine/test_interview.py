"""Answering, changing answers, saving and bad input."""

from __future__ import annotations

import pytest

from heelcheck.engine import AnswerError, Interview, KnowledgeBase, StateError, Triage, findings_of_state

PLANTAR = {"age": 45, "where": ["bottom_inner"], "red_flags": [], "sex": "female"}


def answer_through(
    kb: KnowledgeBase, answers: dict[str, object], interview: Interview | None = None
) -> Interview:
    """Answer whatever is asked from ``answers``; anything else gets "No", the last option,
    "not sure" or nothing ticked."""
    interview = interview or Interview.start(kb)
    while (q := interview.next_question) is not None:
        if q.id in answers:
            value = answers[q.id]
        elif q.kind == "multi":
            value = []
        elif q.kind == "number":
            value = None
        else:
            value = "no" if q.kind == "yes_no" else q.options[-1].id
        interview = interview.answer(q.id, value)
    return interview


def test_it_starts_with_age_then_sex_then_where_then_the_safety_screen(kb: KnowledgeBase) -> None:
    interview = Interview.start(kb)
    order = []
    for value in (45, "female", ["bottom_inner"]):
        q = interview.next_question
        assert q is not None
        order.append(q.id)
        interview = interview.answer(q.id, value)
    assert interview.next_question is not None
    assert [*order, interview.next_question.id] == ["age", "sex", "where", "red_flags"]


def test_a_full_interview_gives_a_ranked_result_over_all_twelve_conditions(kb: KnowledgeBase) -> None:
    result = answer_through(kb, {**PLANTAR, "pattern": ["first_steps"], "press_inner_heel": "yes"}).result()
    assert len(result.ranked) == 12
    assert result.ranked[0].condition == "plantar_fasciitis"
    assert abs(sum(r.probability for r in result.ranked) - 1.0) < 1e-9
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
    assert child.answers[0].value == 10


def test_changing_an_answer_keeps_later_answers_that_still_apply(kb: KnowledgeBase) -> None:
    partial = Interview.start(kb).answer("age", 45).answer("sex", "male").answer("where", ["bottom_inner"])
    changed = partial.answer("age", 50)
    assert [a.question for a in changed.answers] == ["age", "sex", "where"]
    assert changed.answers[0].value == 50


def test_a_red_flag_stops_the_interview_with_an_emergency(kb: KnowledgeBase) -> None:
    interview = Interview.start(kb).answer("age", 39).answer("sex", "female")
    interview = interview.answer("where", ["low_back", "soles_toes"]).answer("red_flags", ["saddle"])
    assert interview.is_complete
    result = interview.result()
    assert result.triage == Triage.emergency
    assert result.red_flags[0].id == "cauda_equina"
    assert result.plan == ()


def test_a_red_hot_foot_leads_to_asking_about_diabetes(kb: KnowledgeBase) -> None:
    interview = Interview.start(kb).answer("age", 60).answer("sex", "male").answer("where", ["sides"])
    interview = interview.answer("red_flags", ["red_hot"])
    assert interview.next_question is not None
    assert interview.next_question.id == "diabetes"
    assert interview.next_reason.startswith("safety:")


def test_not_sure_about_diabetes_counts_as_maybe_for_safety(kb: KnowledgeBase) -> None:
    interview = Interview.start(kb).answer("age", 60).answer("sex", "male").answer("where", ["sides"])
    interview = interview.answer("red_flags", ["red_hot", "fever"]).answer("diabetes", "unsure")
    assert interview.is_complete
    assert interview.result().triage == Triage.emergency


def test_progress_moves_forward_and_ends_complete(kb: KnowledgeBase) -> None:
    interview = Interview.start(kb)
    done, total = interview.progress()
    assert done == 0 and total >= 4
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
def test_bad_answers_to_the_first_question_are_refused_with_a_code(
    kb: KnowledgeBase, question: str, value: object, code: str
) -> None:
    interview = Interview.start(kb)
    with pytest.raises(AnswerError) as err:
        interview.answer(question, value)
    assert err.value.code == code
    assert str(err.value)
    assert interview.answers == ()
    assert interview.next_question is not None and interview.next_question.id == "age"


@pytest.mark.parametrize(
    ("value", "code"),
    [("nowhere", "not_a_list"), (["moon"], "unknown_option"), ([1], "not_a_list"), (None, "not_a_list")],
)
def test_bad_tick_list_answers_are_refused(kb: KnowledgeBase, value: object, code: str) -> None:
    interview = Interview.start(kb).answer("age", 45).answer("sex", "male")
    with pytest.raises(AnswerError) as err:
        interview.answer("where", value)
    assert err.value.code == code
    assert [a.question for a in interview.answers] == ["age", "sex"]


def test_an_unknown_option_names_the_choices(kb: KnowledgeBase) -> None:
    interview = Interview.start(kb).answer("age", 45)
    with pytest.raises(AnswerError, match="choose one of: female, male, other, unsure"):
        interview.answer("sex", "yes")


def test_answering_after_the_end_is_refused(kb: KnowledgeBase) -> None:
    done = answer_through(kb, PLANTAR)
    unasked = next(
        q
        for q in kb.questions.values()
        if q.kind == "yes_no" and q.id not in {a.question for a in done.answers}
    )
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
        ({"answers": [{"question": "age", "answer": 4}, {"question": "age", "answer": 5}]}, "answered twice"),
        ({"answers": [{"question": "age", "answer": 40}] * 300}, "at most 200"),
    ],
)
def test_a_malformed_saved_state_is_refused_clearly(kb: KnowledgeBase, state: object, message: str) -> None:
    with pytest.raises(StateError, match=message):
        Interview.from_state(kb, state)
    with pytest.raises(StateError, match=message):
        findings_of_state(kb, state)


def test_a_saved_state_with_answers_off_the_path_keeps_only_what_is_asked(kb: KnowledgeBase) -> None:
    state = {"answers": [{"question": "age", "answer": 45}, {"question": "tiptoe", "answer": "yes"}]}
    interview = Interview.from_state(kb, state)
    assert [a.question for a in interview.answers] == ["age"]


def test_no_result_claims_certainty(kb: KnowledgeBase) -> None:
    result = answer_through(kb, {**PLANTAR, "pattern": ["first_steps"], "press_inner_heel": "yes"})
    top = result.result().ranked[0]
    assert 0.9 < top.probability < 0.99


def test_the_plan_is_short_and_led_by_the_core_advice_for_the_leading_condition(kb: KnowledgeBase) -> None:
    answers = {**PLANTAR, "pattern": ["first_steps"], "press_inner_heel": "yes",
               "sports": ["runner", "weight_gain", "sitting"]}  # fmt: skip
    plan = [item.id for item in answer_through(kb, answers).result().plan]
    assert len(plan) <= 10
    assert {"calf_stretch", "plantar_stretch", "supportive_shoes"} <= set(plan)
    assert {"sport_load", "weight_gradual"} <= set(plan), "answers the person gave shape the plan"


def test_a_possible_rupture_gets_no_stretching(kb: KnowledgeBase) -> None:
    interview = Interview.start(kb).answer("age", 41).answer("sex", "male").answer("where", ["tendon"])
    result = answer_through(
        kb, {"red_flags": ["pop"], "tiptoe": "yes", "onset": "sudden_injury"}, interview
    ).result()
    assert result.ranked[0].condition == "achilles_rupture"
    assert result.triage == Triage.urgent
    assert not {"calf_stretch", "plantar_stretch", "heel_raises"} & {item.id for item in result.plan}


def test_unticked_boxes_are_not_given_as_reasons(kb: KnowledgeBase) -> None:
    result = answer_through(kb, PLANTAR).result()
    for exp in result.explanations:
        for reason in (*exp.raised, *exp.lowered):
            assert not (kb.questions[reason.question].kind == "multi" and reason.answer != "yes")


def test_a_trusted_saved_state_restores_the_same_interview_without_replaying_choices(
    kb: KnowledgeBase,
) -> None:
    for answers in (PLANTAR, {**PLANTAR, "red_flags": ["red_hot"]}, {"age": 10, "where": ["sides"]}):
        done = answer_through(kb, answers)
        for cut in range(len(done.answers) + 1):
            state = {"version": kb.version, "answers": [a.to_dict() for a in done.answers[:cut]]}
            fast = Interview.from_state(kb, state, trusted=True)
            slow = Interview.from_state(kb, state)
            assert fast.to_state() == slow.to_state()
            assert fast.next_question is slow.next_question
            assert fast.posterior() == pytest.approx(slow.posterior())


def test_a_trusted_state_from_another_version_is_replayed_in_full(kb: KnowledgeBase) -> None:
    state = {
        "version": "old",
        "answers": [{"question": "age", "answer": 45}, {"question": "tiptoe", "answer": "yes"}],
    }
    assert [a.question for a in Interview.from_state(kb, state, trusted=True).answers] == ["age"]


def test_the_findings_of_a_saved_state_are_those_the_interview_knows(kb: KnowledgeBase) -> None:
    for answers in (PLANTAR, {**PLANTAR, "red_flags": ["red_hot"]}, {"age": 10, "where": ["sides"]}):
        done = answer_through(kb, answers)
        for cut in range(len(done.answers) + 1):
            interview = Interview.from_state(kb, {"answers": [a.to_dict() for a in done.answers[:cut]]})
            assert findings_of_state(kb, interview.to_state()) == interview.known
