"""Words at view time: a result record rendered with the knowledge base's words is the
result the interview gave, in any language, for every kind of person."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from heelcheck.engine import KnowledgeBase
from heelcheck.engine.locale import for_locale
from heelcheck.engine.record import ResultRecord
from heelcheck.engine.wording import render
from heelcheck.vignettes import load_vignettes, run_vignette

DATA = Path(__file__).resolve().parents[1] / "data"


def people(shared: Path) -> list[dict[str, Any]]:
    # Adults, children through a parent, two causes at once, red flags, none that fits.
    return [
        *load_vignettes(shared / "vignettes" / "dev.yaml"),
        *load_vignettes(DATA / "lay_stories.yaml"),
        *load_vignettes(DATA / "v2_vignettes.yaml"),
    ]


@pytest.mark.parametrize("locale", ["en", "es"])
def test_a_rendered_record_is_the_result_the_interview_gave(
    kb: KnowledgeBase, shared: Path, locale: str
) -> None:
    words = for_locale(kb, locale)
    for v in people(shared):
        interview, _ = run_vignette(words, v["facts"])
        result = interview.result()
        stored = json.loads(json.dumps(result.record.to_json()))  # as a database keeps it
        again = render(words, ResultRecord.from_json(stored), interview.to_state()["answers"])
        assert again.to_dict() == result.to_dict(), v["id"]


def test_a_record_made_in_english_reads_in_spanish(kb: KnowledgeBase, shared: Path) -> None:
    v = load_vignettes(shared / "vignettes" / "dev.yaml")[0]
    interview, _ = run_vignette(kb, v["facts"])
    english = interview.result()
    spanish = render(for_locale(kb, "es"), english.record, interview.to_state()["answers"])
    assert [r.condition for r in spanish.ranked] == [r.condition for r in english.ranked]
    assert spanish.triage_title != english.triage_title
    assert spanish.answers[0].text != english.answers[0].text
