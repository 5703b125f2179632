"""Properties that must hold for every sequence of valid answers."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heelcheck.engine import Interview, Question, Triage, default_knowledge_base

KB = default_knowledge_base()
# The cap bounds the adaptive questions; safety follow-ups may go past it, never more
# than once each.
SAFETY_QUESTIONS = {KB.question_of_finding[f] for rule in KB.rules for f in rule.findings}
CAP = int(KB.settings["max_questions"]) + len(SAFETY_QUESTIONS)
# Each screening tick on its own, with the least urgent level its rule guarantees
# whatever else is answered.
RED_FLAG_FLOORS = {
    "saddle": Triage.emergency,
    "bladder": Triage.emergency,
    "pop": Triage.urgent,
    "no_weight": Triage.urgent,
    "weak": Triage.urgent,
    "pale_cold": Triage.urgent,
    "red_hot": Triage.soon,
}


def valid_answer(q: Question) -> st.SearchStrategy[object]:
    if q.kind == "number":
        numbers = st.integers(int(q.minimum), int(q.maximum))
        return st.one_of(st.none(), numbers) if q.allow_unsure else numbers
    if q.kind == "multi":
        return st.lists(st.sampled_from([o.id for o in q.options]), unique=True)
    return st.sampled_from([o.id for o in q.options])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_valid_answers_end_in_a_result_within_the_cap(data: st.DataObject) -> None:
    interview = Interview.start(KB)
    while (q := interview.next_question) is not None:
        interview = interview.answer(q.id, data.draw(valid_answer(q), label=q.id))
        assert len(interview.answers) <= CAP
    result = interview.result()
    assert len(result.ranked) == 12
    assert result.questions_asked == len(interview.answers)
    assert Interview.from_state(KB, interview.to_state()).result() == result


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(RED_FLAG_FLOORS)), st.data())
def test_a_red_flag_always_yields_at_least_its_level(flag: str, data: st.DataObject) -> None:
    interview = Interview.start(KB)
    while (q := interview.next_question) is not None:
        value = data.draw(valid_answer(q), label=q.id)
        if q.id == "red_flags":
            value = sorted({*value, flag})  # type: ignore[misc]
        interview = interview.answer(q.id, value)
    assert interview.result().triage >= RED_FLAG_FLOORS[flag]
