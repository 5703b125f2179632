"""Kinds are enums in the engine and the same strings in every output: the reason a
question was chosen (or the interview stopped), the code of a refused answer, and the
link between heel and back pain."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from heelcheck.engine import AnswerCode, AnswerError, BackLink, Interview, KnowledgeBase
from heelcheck.engine.selection import Choice, Why
from heelcheck.vignettes import load_vignettes, run_vignette

# The strings results stored before the kinds were enums: they must not change.
REASON = re.compile(
    r"(required|information|plan|cap|emergency|confident|nothing_left)"
    r"|(safety|confirm|confirm_second):[a-z0-9_]+"
)
ANSWER_CODES = {
    "unknown_question", "not_asked", "interview_complete", "answer_required", "not_a_number",
    "out_of_range", "not_a_list", "not_an_option", "unknown_option", "exclusive_option",
}  # fmt: skip


@pytest.mark.parametrize("why", list(Why))
def test_a_choice_reads_as_the_string_results_store(why: Why) -> None:
    assert Choice(None, why).reason == why.value
    assert Choice(None, why, "plantar_fasciitis").reason == f"{why.value}:plantar_fasciitis"


def test_every_reason_an_interview_gives_is_one_of_the_stored_strings(
    kb: KnowledgeBase, shared: Path
) -> None:
    seen: set[Why] = set()
    for vignette in load_vignettes(shared / "vignettes" / "dev.yaml"):
        interview, _ = run_vignette(kb, vignette["facts"])
        replayed = Interview.start(kb)
        for answer in interview.answers:
            assert REASON.fullmatch(replayed.next_reason), replayed.next_reason
            assert replayed.next_reason.split(":")[0] == replayed.next_why.value
            seen.add(replayed.next_why)
            replayed = replayed.answer(answer.question, answer.value)
        stored = replayed.result().to_dict()["stopped"]
        assert type(stored) is str and REASON.fullmatch(stored)
        seen.add(replayed.next_why)
    assert {Why.required, Why.safety, Why.information, Why.emergency} <= seen


def test_an_answer_code_is_its_string_in_json(kb: KnowledgeBase) -> None:
    assert {code.value for code in AnswerCode} == ANSWER_CODES
    with pytest.raises(AnswerError) as err:
        Interview.start(kb).answer("no_such_question", "yes")
    assert err.value.code is AnswerCode.unknown_question
    assert err.value.code == "unknown_question"
    assert json.dumps({"code": err.value.code}) == '{"code": "unknown_question"}'


def test_a_back_link_is_stored_as_its_string_and_read_back_as_itself(kb: KnowledgeBase, shared: Path) -> None:
    assert [link.value for link in BackLink] == ["heel_to_back", "back_to_heel", "unclear", "none"]
    assert set(kb.texts.back_link) == set(BackLink)
    for vignette in load_vignettes(shared / "vignettes" / "dev.yaml"):
        result = run_vignette(kb, vignette["facts"])[0].result()
        data = json.loads(json.dumps(result.to_dict()))
        assert type(result.to_dict()["back_link"]) is str
        assert BackLink(data["back_link"]) is result.back_link
        assert data["back_link"] == vignette["expected"].get("back_link", data["back_link"])
